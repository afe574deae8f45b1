"""Inline suppressions: a comment in the manuscript that silences a finding where it occurs.

As linters allow (ruff's ``# noqa``), a manuscript may say that a finding is known and accepted:

- LaTeX: ``% citecheck: ignore[CC101] reason`` (a comment: ``\\%`` is a percent sign, not one);
- Markdown: ``<!-- citecheck: ignore CC101 reason -->`` or ``<!-- citecheck: ignore[CC101] reason -->``
  (not inside code: a fenced block or an inline span shows an example, it suppresses nothing);
- BibTeX: ``% citecheck: ignore[CC206] reason`` on the comment line(s) right before an entry's
  ``@article{...``, for the findings on that entry.

The list names rules as ``--select`` and ``--ignore`` do (a code, a code prefix, a rule name, several
separated by commas); without one, every rule is silenced. A comment on a line with other text
silences the findings that start on that line; one alone on its line, those on that line and the
next. A finding with no place cannot be silenced inline, and a suppression applies in its own file.

Input: the ``Source``, the findings the rules gave, the rules that ran. Output: the findings that
remain, with an ``unused-suppression`` note (CC110) for each comment that silenced nothing or names
a rule that does not exist, and the number of findings silenced. Plain text, PDF, DOCX and JATS
have no comment syntax: nothing is read in them. A manuscript that never writes "citecheck:" is
not read at all, so its findings are returned as they came.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from citecheck.cache import regex
from citecheck.model import MANUSCRIPT, Finding, Source, Span
from citecheck.rules.registry import RULES, Rule, select_rules

UNUSED = "CC110"
MARK = "citecheck:"
LATEX, MARKDOWN, BIBTEX = "latex", "markdown", "bibtex"
_BIBTEX_EXTENSIONS = (".bib", ".bibtex")

# The directive opens the comment: "% citecheck: ignore", "%% citecheck:ignore[CC1]", "<!-- citecheck: ignore".
LATEX_DIRECTIVE = regex(r"%+[ \t]*citecheck:[ \t]*ignore(?![\w-])")
MARKDOWN_DIRECTIVE = regex(r"<!--\s*citecheck:[ \t]*ignore(?![\w-])")
# "[CC101, uncited-reference]"; a bracket never closed takes the rest of the comment.
LISTED = regex(r"[ \t]*\[(?P<items>[^\]\n]*)\]?")
# "ignore CC101,CC201 reason": the words after "ignore" that name rules are its list, the rest the reason.
BARE = regex(r"[ \t]+(?P<items>[^\s,]+(?:[ \t]*,[ \t]*[^\s,]+)*)")
CODE = regex(r"[Cc][Cc]\d*")


@dataclass
class Suppression:
    """One ``citecheck: ignore`` comment: where it is, what it names, which findings it may silence."""

    comment: Span  # the comment itself, where an unused-suppression note points
    items: tuple[str, ...]  # the rules as written; empty: every rule
    bracketed: bool  # "ignore[CC101]" rather than "ignore CC101"
    covers: Span  # a finding whose span starts here may be silenced
    where: str  # "on this line", "on this line or the next", "on the entry below it"; "" when it covers nothing
    used: set[str] = field(default_factory=set)  # the items that silenced a finding ("" for a bare "ignore")

    @property
    def written(self) -> str:
        if not self.items:
            return "citecheck: ignore"
        listed = ",".join(self.items)
        return f"citecheck: ignore[{listed}]" if self.bracketed else f"citecheck: ignore {listed}"


def suppress(
    source: Source, findings: Sequence[Finding], rules: Sequence[Rule] | None, verified: bool
) -> tuple[list[Finding], int]:
    """The findings left once the manuscript's suppressions have silenced theirs, with a CC110 note
    for each suppression that silenced nothing, and how many were silenced.

    ``rules`` are those that ran (None: all of them); ``verified`` says whether the registry rules
    had verdicts to read. A suppression naming only rules that did not run is not reported unused:
    whether it would silence something is not known."""
    if MARK not in source.text:
        return list(findings), 0
    suppressions = find_suppressions(source)
    if not suppressions:
        return list(findings), 0
    written = {item for s in suppressions for item in s.items}
    matched = {item: frozenset(r.code for r in select_rules([item])) for item in written}
    kept, silenced = _silence(findings, suppressions, matched)
    ran = list(rules) if rules is not None else list(RULES.values())
    unused_rule = next((r for r in ran if r.code == UNUSED), None)
    if unused_rule is not None:
        ran_codes = {r.code for r in ran if verified or not _needs_verdicts(r)}
        kept.extend(note for s in suppressions if (note := _unused_note(unused_rule, s, matched, ran_codes)) is not None)
        kept.sort(key=lambda f: (f.span.start if f.span else 1 << 62, f.rule))  # as run_rules orders them
    return kept, silenced


def _silence(
    findings: Sequence[Finding], suppressions: list[Suppression], matched: dict[str, frozenset[str]]
) -> tuple[list[Finding], int]:
    """The findings no suppression covers, and how many were silenced; each suppression records
    which of its items silenced something. Findings are taken in text order and the suppressions
    that cover the place are kept at hand, so that each finding looks at a few of them only."""
    ordered = sorted((s for s in suppressions if s.covers.end > s.covers.start), key=lambda s: s.covers.start)
    places = sorted((f.span.start, n) for n, f in enumerate(findings) if f.span is not None)
    dropped: set[int] = set()
    active: list[Suppression] = []
    k = 0
    for at, n in places:
        f = findings[n]
        while k < len(ordered) and ordered[k].covers.start <= at:
            active.append(ordered[k])
            k += 1
        active = [s for s in active if s.covers.end > at]
        for s in active:
            if not s.items:
                s.used.add("")
                dropped.add(n)
                continue
            hits = [item for item in s.items if f.rule in matched[item]]
            if hits:
                s.used.update(hits)
                dropped.add(n)
    return [f for n, f in enumerate(findings) if n not in dropped], len(dropped)


def _needs_verdicts(r: Rule) -> bool:
    """A rule that reads registry verdicts (citecheck.verify.rules), silent unless --verify."""
    return r.check.__module__.startswith("citecheck.verify")


def _unused_note(r: Rule, s: Suppression, matched: dict[str, frozenset[str]], ran: set[str]) -> Finding | None:
    """The CC110 note on a suppression that silenced nothing, or that names a rule no rule is."""
    unknown = [item for item in s.items if not matched[item]]
    known = [item for item in s.items if matched[item]]
    # An item whose rules did not run may well silence something when they do.
    silent = [item for item in known if item not in s.used and matched[item] & ran]
    said = []
    if unknown:
        names = ", ".join(f"'{item}'" for item in unknown)
        which = "an unknown rule" if len(unknown) == 1 else "unknown rules"
        said.append(f"names {which} {names} (no rule has that code, prefix or name)")
    if not s.items and not s.used:
        said.append("silences nothing here: " + (f"no finding {s.where}" if s.where else NOWHERE))
    elif silent:
        what = " or ".join(silent)
        lead = f"silences nothing for {what} here" if s.used else "silences nothing here"
        said.append(f"{lead}: " + (f"no {what} finding {s.where}" if s.where else NOWHERE))
    if not said:
        return None
    return r.finding(
        f"'{s.written}' " + ", and ".join(said) + ".",
        span=s.comment,
        suggestion="Remove the comment, or correct the rule code.",
    )


NOWHERE = "it stands before no entry (in a .bib file it goes on the comment lines right before an entry's '@')"


# --- Finding the comments ----------------------------------------------------------------------


def find_suppressions(source: Source) -> list[Suppression]:
    """The suppression comments of every file of a manuscript, in text order, each in the comment
    syntax of its file's format."""
    out: list[Suppression] = []
    for start, end, syntax in _files(source):
        if source.text.find(MARK, start, end) == -1:
            continue
        text = source.text[start:end]
        if syntax == LATEX:
            found = _latex(text)
        elif syntax == MARKDOWN:
            found = _markdown(text)
        else:
            found = _bibtex(text)
        for comment, items, bracketed, covers, where in found:
            out.append(
                Suppression(
                    Span(comment.start + start, comment.end + start),
                    items,
                    bracketed,
                    Span(covers.start + start, covers.end + start),
                    where,
                )
            )
    return out


def _files(source: Source) -> Iterator[tuple[int, int, str]]:
    """(start, end, syntax) of each file of a source whose format has comments."""
    if not source.parts:
        if source.format in (LATEX, MARKDOWN):
            yield 0, len(source.text), source.format
        elif os.path.splitext(source.path or "")[1].lower() in _BIBTEX_EXTENSIONS:
            yield 0, len(source.text), BIBTEX  # a bibliography verified alone
        return
    for i, part in enumerate(source.parts):
        end = source.parts[i + 1].start if i + 1 < len(source.parts) else len(source.text)
        if part.role == MANUSCRIPT:
            if source.format in (LATEX, MARKDOWN):
                yield part.start, end, source.format
        elif _is_bibtex(part.path, source.text[part.start : end]):
            yield part.start, end, BIBTEX


def _is_bibtex(path: str, text: str) -> bool:
    """Whether a bibliography file is BibTeX, as its parser tells (a CSL-JSON file named .bib is not)."""
    if MARK not in text:
        return False  # nothing to read in it anyway
    from citecheck.bibliography import BIBTEX as BIBTEX_FORMAT
    from citecheck.bibliography import detect_format

    return detect_format(text, os.path.splitext(path)[1].lower()) == BIBTEX_FORMAT


Found = tuple[Span, tuple[str, ...], bool, Span, str]  # comment, items, bracketed, covers, where (offsets in the file)


def _marked_lines(text: str, starts: list[int]) -> Iterator[int]:
    """The lines that hold the directive's mark ("citecheck:"), each once, in order."""
    last = -1
    at = text.find(MARK)
    while at != -1:
        line = bisect.bisect_right(starts, at) - 1
        if line != last:
            yield line
            last = line
        at = text.find(MARK, at + len(MARK))


def _latex(text: str) -> list[Found]:
    """The ``%`` comments of a LaTeX file that open with the directive. A ``%`` is a comment when an
    even number of backslashes stands before it ("\\%" is a percent sign, "\\\\%" a line break and a
    comment) and it lies outside verbatim text and the comment environment."""
    from citecheck.readers.latex import blank_comments

    # The reader's own blanking of verbatim material, with every "%" a NUL first so that it finds no
    # comment to blank: a NUL left standing is a "%" outside verbatim text.
    outside = blank_comments(text.replace("%", "\0"))
    starts = _line_starts(text)
    out: list[Found] = []
    for line in _marked_lines(text, starts):
        begin, end = _line(text, starts, line)
        comment = _comment_start(text, outside, begin, end)
        if comment is None:
            continue
        m = LATEX_DIRECTIVE.match(text, comment, end)
        if m is None:
            continue
        items, bracketed = _items(text, m.end(), end)
        alone = not text[begin:comment].strip()
        out.append((Span(comment, _trimmed(text, comment, end)), items, bracketed, *_covers(text, starts, line, line, alone)))
    return out


def _comment_start(text: str, outside: str, begin: int, end: int) -> int | None:
    """Where the comment of a LaTeX line begins, if it has one."""
    p = text.find("%", begin, end)
    while p != -1:
        backslashes = 0
        while p - backslashes - 1 >= begin and text[p - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0 and outside[p] == "\0":
            return p
        p = text.find("%", p + 1, end)
    return None


def _markdown(text: str) -> list[Found]:
    """The HTML comments of a Markdown file that open with the directive, those in code left out."""
    from citecheck.readers.pandoc import blank_unparsed

    # The reader's own blanking of code, with every "<!--" defaced first so that it blanks no comment:
    # an opening left standing is one outside code.
    defaced = "<!\0\0"
    outside = blank_unparsed(text.replace("<!--", defaced))
    starts = _line_starts(text)
    out: list[Found] = []
    at = text.find("<!--")
    while at != -1:
        if not outside.startswith(defaced, at):
            at = text.find("<!--", at + 4)  # in code: no comment
            continue
        close = text.find("-->", at + 4)
        if close == -1:
            break  # a comment never closed is text, as is every "<!--" after it
        m = MARKDOWN_DIRECTIVE.match(text, at, close)
        if m is not None:
            items, bracketed = _items(text, m.end(), close)
            first = bisect.bisect_right(starts, at) - 1
            last = bisect.bisect_right(starts, close) - 1
            begin, _ = _line(text, starts, first)
            _, end = _line(text, starts, last)
            alone = not text[begin:at].strip() and not text[close + 3 : end].strip()
            out.append((Span(at, close + 3), items, bracketed, *_covers(text, starts, first, last, alone)))
        at = text.find("<!--", close + 3)
    return out


def _bibtex(text: str) -> list[Found]:
    """The ``%`` comment lines of a BibTeX file that open with the directive; those in the block of
    comment lines right before an entry cover that entry, up to the next one."""
    from citecheck.bibliography import BIBTEX_BLOCK

    starts = _line_starts(text)
    entries = [m.start() for m in BIBTEX_BLOCK.finditer(text)]  # each at the start of its line
    out: list[Found] = []
    below = 0  # the first line below the last block of comment lines walked through
    for line in _marked_lines(text, starts):
        begin, end = _line(text, starts, line)
        comment = begin + len(text[begin:end]) - len(text[begin:end].lstrip(" \t"))
        m = LATEX_DIRECTIVE.match(text, comment, end)
        if m is None:
            continue
        items, bracketed = _items(text, m.end(), end)
        # The comment lines below it, then the entry they stand before; a block already walked
        # through (several suppressions before one entry) is not walked again.
        below = max(below, line + 1)
        while below < len(starts) and text[starts[below] : _line(text, starts, below)[1]].lstrip(" \t").startswith("%"):
            below += 1
        covers, where = Span(0, 0), ""
        if below < len(starts):
            k = bisect.bisect_left(entries, starts[below])
            if k < len(entries) and entries[k] == starts[below]:
                covers = Span(entries[k], entries[k + 1] if k + 1 < len(entries) else len(text))
                where = "on the entry below it"
        out.append((Span(comment, _trimmed(text, comment, end)), items, bracketed, covers, where))
    return out


def _items(text: str, pos: int, end: int) -> tuple[tuple[str, ...], bool]:
    """The rules a directive names, from just after its "ignore", and whether they are bracketed."""
    m = LISTED.match(text, pos, end)
    if m is not None:
        return tuple(item.strip() for item in m["items"].split(",") if item.strip()), True
    m = BARE.match(text, pos, end)
    if m is None:
        return (), False
    items = []
    for item in (item.strip() for item in m["items"].split(",")):
        if not (CODE.fullmatch(item) or any(r.name == item.lower() for r in RULES.values())):
            break  # the reason begins
        items.append(item)
    return tuple(items), False


def _covers(text: str, starts: Sequence[int], first: int, last: int, alone: bool) -> tuple[Span, str]:
    """The lines a comment from line ``first`` to line ``last`` covers: its first line, and the
    line after it when it stands alone."""
    begin, end = _line(text, starts, first)
    if alone:
        _, end = _line(text, starts, min(last + 1, len(starts) - 1))
    # to the line break included, never into the file after this one
    return Span(begin, min(end + 1, len(text))), "on this line or the next" if alone else "on this line"


def _line(text: str, starts: Sequence[int], line: int) -> tuple[int, int]:
    """Where the 0-based line begins and ends (its line break excluded)."""
    begin = starts[line]
    end = starts[line + 1] - 1 if line + 1 < len(starts) else len(text)
    return begin, end


def _trimmed(text: str, begin: int, end: int) -> int:
    """The end of a comment that runs to the end of its line, a carriage return left out."""
    return end - 1 if end > begin and text[end - 1] == "\r" else end


def _line_starts(text: str) -> list[int]:
    starts = [0]
    at = text.find("\n")
    while at != -1:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts
