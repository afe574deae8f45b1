"""The bracket pairs of a text, where the finder looks for citations.

Input: the cleaned text. Output: ``_Group`` records, innermost first: where a pair opens and
closes, and the pairs nested in it. A pair longer than ``MAX_GROUP`` is prose and is left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from citecheck.cache import regex

MAX_GROUP = 2000  # a bracket pair longer than this is prose, not a citation

SENTENCE_END = regex(r"[.!?](?=\s|$)")
# A bracket, or a blank line that ends a paragraph. The text's end, which ends a paragraph too, is
# left out: as an alternative it kept the engine from skipping to the next bracket or line break.
MARKS = regex(r"[()\[\]]|\n[ \t]*\n")


@dataclass
class _Group:
    open: int
    close: int  # index of the closing bracket
    nested: list[tuple[int, int]]


def bracket_groups(text: str) -> Iterator[_Group]:
    """Matched ``(...)`` and ``[...]`` pairs, innermost first, each with the pairs nested in it.
    A round bracket still open where its paragraph ends ("(Goulet 1974; and Arndt (1998). The
    beetles ...") is also taken to close where its sentence does; it stays open, since a blank
    line inside brackets may be a page break, and a pair closed later finds the same citations."""
    stack: list[tuple[int, str, list[tuple[int, int]]]] = []
    closer = {")": "(", "]": "["}
    unclosed: set[int] = set()
    for m in MARKS.finditer(text):
        ch = m.group()
        pos = m.start()
        if ch not in "()[]":  # a paragraph ends
            yield from _closed_by_paragraph(text, stack, unclosed, pos)
            continue
        if ch in "([":
            if len(stack) > 64:  # deeper than any citation: drop the oldest so memory stays bounded
                stack.pop(0)
            stack.append((pos, ch, []))
            continue
        want = closer[ch]
        # pop unmatched openers of the other kind ("(a]" in a formula)
        while stack and stack[-1][1] != want:
            stack.pop()
        if not stack:
            continue
        start, _, nested = stack.pop()
        if pos - start <= MAX_GROUP:
            yield _Group(start, pos, nested)
        if stack:
            stack[-1][2].append((start, pos))
    yield from _closed_by_paragraph(text, stack, unclosed, len(text))  # the text's end ends its last paragraph


def _closed_by_paragraph(
    text: str, stack: list[tuple[int, str, list[tuple[int, int]]]], unclosed: set[int], pos: int
) -> Iterator[_Group]:
    """The round brackets still open where a paragraph ends at ``pos``, each closed where its
    sentence ends, once (``unclosed`` holds those already closed so)."""
    for start, kind, nested in stack:
        if kind == "(" and start not in unclosed and pos - start <= MAX_GROUP:
            unclosed.add(start)
            stop = SENTENCE_END.search(text, nested[-1][1] if nested else start, pos)
            yield _Group(start, stop.start() if stop else pos, list(nested))
