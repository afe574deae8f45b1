"""Pandoc Markdown: the citation keys in the text, and the bibliographies its YAML front matter names.

Input: the text of a Markdown manuscript. ``front_matter`` returns the span of the YAML block that
opens it and the paths under its ``bibliography:`` key. ``find_pandoc_citations`` returns one
``Citation`` per key in text order, whose span is the key with its ``@``: ``[see @doe99, p. 33;
@smith04]`` gives two in one group, ``@doe99 [p. 33] says`` one narrative citation.

Nothing here parses Markdown as a whole. Code (fenced blocks and inline spans), HTML comments,
link targets and URLs are blanked first (same length, so offsets hold); then one regex pass finds
brackets, blank lines and keys, and a stack pairs the brackets. Every step is linear in the length
of the text, whatever it holds (100,000 ``[`` or ``@``). The front matter is not skipped: pass its
end as ``start`` when its ``nocite:`` keys should not count.

Known limits: indented code blocks are read as text (list items are indented alike); a braced key
holds no spaces, as in Pandoc 3 (``@{weird key}`` is text); a semicolon inside a nested bracket
still splits items; Pandoc rejects a bracket with an item that has no key (``[see above; @doe99]``),
this module reads the keyed items and drops the rest. Only a front matter block at the very start
is read, and of its YAML only the top-level ``bibliography:`` key.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import NamedTuple

from citecheck.cache import regex
from citecheck.citations import parse_locator
from citecheck.layout import blank as blank_spans
from citecheck.model import Citation, Locator, Reference, Source, Span, keyed_citation
from citecheck.readers.syntax import Scanned, Syntax

MAX_BRACKET = 2000  # a bracket pair longer than this is prose, not a citation

# What the scan looks for, in one pass: blank lines, brackets and citation keys. Every token opens
# with one of five characters, matched first, so that the engine skips straight to the next of them
# (a pattern that opens with a lookbehind is tried at every position of the text); lookbehinds then
# tell which token it opens and look at the character before it. ``dash`` and the kinds but
# ``braced`` and ``key`` are empty groups: ``lastgroup`` names the token.
TOKEN = regex(
    r"""
    [\n\[\]@-]
    (?:
        (?<=\n)[ \t\r]*+(?=\n)(?P<paragraph>)   # a blank line: no bracket runs across paragraphs
      | (?<=\[)(?<!\\\[)(?P<open>)              # "\[" is an escaped bracket, not one
      | (?<=\])(?<!\\\])(?P<close>)
        # not after a letter or digit ("john@example.com") nor escaped ("\@"); "-@doe99" suppresses
        # the author's name
      | (?:(?<=-)(?<![^\W_]-)(?<!\\-)(?P<dash>)@|(?<=@)(?<![^\W_]@)(?<!\\@))
        (?:
            \{(?P<braced>(?:[^\s{}]++|\{[^\s{}]*+\})++)\}     # @{https://x.org/?a=b}: no spaces, braces balanced
          | (?P<key>\w(?:\w|[:.#$%&+?<>~/-](?=\w)|[:/](?=/))*+)  # @Foo_bar.baz: punctuation only between word characters
        )
    )
    """,
    re.VERBOSE,
)

# What follows a narrative key when a bracket holds its locator: "@doe99 [p. 33]", spaces and at most one line break between.
LOCATOR_BRACKET = regex(r"[ \t]*+(?:\r?\n[ \t]*+)?\[")

# An opening code fence: ``` or ~~~, then a language or {attributes}, nothing else on the line.
FENCE = regex(r"^[ \t]*+(?P<fence>`{3,}+|~{3,}+)[ \t]*+(?:\{[^\n]*\}|[^\s`{]*+)[ \t\r]*+$", re.MULTILINE)
BACKTICKS = regex(r"``*")  # "`+", written to open with a literal: the engine skips to the next "`"
PARAGRAPH_BREAK = regex(r"\n[ \t\r]*+(?=\n)")
# A link's target, "[text](http://x.org/@user)"; parentheses inside it end the blanking early, which
# is harmless. Excluding brackets and parentheses keeps each attempt short: "](](](" never rescans.
LINK_TARGET = regex(r"\]\((?P<target>[^()\[\]\n]*+)\)")
# A URL, bare or in <...>: "https://medium.com/@user" names no citation. Brackets end it; a URL
# that is a key, "@http://zotero.org/x" or "@{https://x.org/?a=b}", stays.
# Each scheme's first letter checks what stands before it (no "@", "{" or letter: a word
# boundary), so that the pattern opens with a literal and the engine skips to the next "h" or "f".
URL = regex(r"(?:h(?<=(?<![@{\w])h)ttps?|f(?<=(?<![@{\w])f)tps?)://[^\s<>\[\]{}]++")

# The top-level key of the front matter this module reads; indented (nested) keys do not count.
BIBLIOGRAPHY_KEY = regex(r"bibliography[ \t]*:(?:[ \t]+(?P<value>.*))?$")
LIST_ITEM = regex(r"[ \t]*-(?:[ \t]+(?P<value>.*))?$")
YAML_COMMENT = regex(r"(?:^|[ \t])#")
FRONT_MATTER_OPEN = "---"
FRONT_MATTER_CLOSE = ("---", "...")


class _Key(NamedTuple):
    at: int  # where "@" or the "-" of "-@" stands
    span: Span  # the key with its "@"
    key: str
    suppress: bool  # "-@doe99"
    bracket: int | None  # the innermost bracket holding it, an index into the brackets


@dataclass(slots=True)
class _Bracket:
    start: int  # the "["
    end: int | None = None  # the "]"; None while (or if never) closed
    keys: list[int] = field(default_factory=list)  # the keys directly inside, indices into the keys


# The sort key of citations in text order.
_START = attrgetter("span.start")

# What a closed bracket is, once the scan is done.
CITE, LINK, TEXT = "cite", "link", "text"


def find_pandoc_citations(text: str, start: int = 0, end: int | None = None) -> list[Citation]:
    """The Pandoc citations in ``text[start:end]``, one per key, in text order."""
    end = len(text) if end is None else max(start, min(end, len(text)))
    region = text[start:end]
    clean = blank_unparsed(region)
    keys, brackets = _scan(clean)
    kinds = [_kind(clean, b) for b in brackets]
    opening = {b.start: i for i, b in enumerate(brackets)}
    found: list[Citation] = []
    done: set[int] = set()  # brackets whose keys are already read
    group = 0
    for k in keys:
        b = k.bracket
        if b is not None and kinds[b] == LINK:
            continue  # "[@jgm](https://x.org/jgm)" is a link to a handle, not a citation
        if b is not None and kinds[b] == CITE:
            if b not in done:
                done.add(b)
                command = _command(region, brackets[b].start, brackets[b])
                found.extend(_bracketed(region, clean, keys, brackets[b], brackets[b].keys, group, command, start))
                group += 1
            continue
        # Outside any citation bracket: author-in-text, maybe with its locator in the bracket after it.
        after = LOCATOR_BRACKET.match(clean, k.span.end)
        held = opening.get(after.end() - 1) if after else None
        if held is not None and held not in done and _holds_locator(clean, keys, brackets[held], kinds[held]):
            done.add(held)
            bracket = brackets[held]
            command = _command(region, k.at, bracket)
            pieces = _pieces(clean, bracket)
            suffix = region[bracket.start + 1 : pieces[0][1]]
            found.append(_citation(region, k, group, not k.suppress, "", _locator(suffix), command, start))
            rest = [i for i in bracket.keys if keys[i].at >= pieces[0][1]]
            found.extend(_bracketed(region, clean, keys, bracket, rest, group, command, start))
        else:
            command = " ".join(region[k.at : k.span.end].split())
            found.append(_citation(region, k, group, not k.suppress, "", None, command, start))
        group += 1
    found.sort(key=_START)
    return found


def _scan(clean: str) -> tuple[list[_Key], list[_Bracket]]:
    """The keys and the brackets of a text, each bracket paired with its close by a stack."""
    keys: list[_Key] = []
    brackets: list[_Bracket] = []
    stack: list[int] = []
    for m in TOKEN.finditer(clean):
        kind = m.lastgroup
        if kind == "paragraph":
            stack.clear()  # a bracket left open at a paragraph's end never closes
        elif kind == "open":
            stack.append(len(brackets))
            brackets.append(_Bracket(m.start()))
        elif kind == "close":
            if stack:
                brackets[stack.pop()].end = m.start()
        else:
            dash = m.group("dash") is not None
            key_start = m.start() + 1 if dash else m.start()  # the span leaves out the "-" of "-@doe99"
            # The innermost open bracket holds the key; were it never closed, no bracket below it closes either.
            inside = stack[-1] if stack else None
            if inside is not None:
                brackets[inside].keys.append(len(keys))
            key = m.group("braced") or m.group("key")
            keys.append(_Key(m.start(), Span(key_start, m.end()), key, dash, inside))
    return keys, brackets


def _kind(clean: str, bracket: _Bracket) -> str:
    if bracket.end is None or bracket.end - bracket.start + 1 > MAX_BRACKET:
        return TEXT  # never closed, or too long to be one citation
    after = clean[bracket.end + 1 : bracket.end + 2]
    before = clean[bracket.start - 1 : bracket.start] if bracket.start else ""
    if after in ("(", "[") or before == "]":
        return LINK  # "[@foo](url)", "[@foo][ref]", and the "[ref]" of "[text][ref]"
    if after == ":" and not clean[clean.rfind("\n", 0, bracket.start) + 1 : bracket.start].strip(" "):
        return LINK  # "[@foo]: url" defines a link, at the start of a line only; "... [@doe99]: for example" cites
    if before == "^":
        return TEXT  # an inline note, "^[As @doe99 shows.]": the keys inside are narrative
    return CITE if bracket.keys else TEXT


def _holds_locator(clean: str, keys: list[_Key], bracket: _Bracket, kind: str) -> bool:
    """Whether the bracket after a narrative key is its locator: "@doe99 [p. 33]", "@doe99 [p. 33; @smith04]".
    A bracket that opens with a key is a citation of its own ("@doe99 [@smith04]")."""
    if kind == LINK or bracket.end is None or bracket.end - bracket.start + 1 > MAX_BRACKET:
        return False
    if clean.startswith("^", bracket.start + 1):
        return False  # "@doe99 [^1]" is a footnote mark
    first_end = _pieces(clean, bracket)[0][1]
    return all(keys[i].at >= first_end for i in bracket.keys)


def _pieces(clean: str, bracket: _Bracket) -> list[tuple[int, int]]:
    """The items of a closed bracket, split at semicolons: (start, end) of each, brackets excluded."""
    assert bracket.end is not None
    pieces = []
    at = bracket.start + 1
    semicolon = clean.find(";", at, bracket.end)
    while semicolon != -1:
        pieces.append((at, semicolon))
        at = semicolon + 1
        semicolon = clean.find(";", at, bracket.end)
    pieces.append((at, bracket.end))
    return pieces


def _bracketed(
    region: str, clean: str, keys: list[_Key], bracket: _Bracket, which: list[int], group: int, command: str, offset: int
) -> list[Citation]:
    """A citation for each of the keys ``which`` inside a bracket. An item's prefix is the text before its
    key ("see"); its suffix runs to the next semicolon, or to the next key when two share an item."""
    pieces = _pieces(clean, bracket)
    starts = [p[0] for p in pieces]
    out = []
    for n, i in enumerate(which):
        k = keys[i]
        piece_start, piece_end = pieces[bisect.bisect_right(starts, k.at) - 1]
        following = keys[which[n + 1]].at if n + 1 < len(which) else piece_end
        # "[@doe99, @smith04]": the second key has no prefix of its own; the comma ends the first's suffix.
        shared = n > 0 and keys[which[n - 1]].at >= piece_start
        prefix = "" if shared else " ".join(region[piece_start : k.at].split())
        suffix = region[k.span.end : min(following, piece_end)]
        out.append(_citation(region, k, group, False, prefix, _locator(suffix), command, offset))
    return out


def _locator(suffix: str) -> Locator | None:
    # "[@doe99, pp. 33-35]" and "@doe99 [p. 33]": the comma that opens a suffix is no part of it.
    suffix = suffix.strip()
    if suffix.startswith(","):
        suffix = suffix[1:]
    return parse_locator(suffix) if suffix else None  # most keys have no suffix, and an empty one no locator


def _command(region: str, start: int, bracket: _Bracket) -> str:
    assert bracket.end is not None
    return " ".join(region[start : bracket.end + 1].split())


def _citation(
    region: str, k: _Key, group: int, narrative: bool, prefix: str, locator: Locator | None, command: str, offset: int
) -> Citation:
    """The citation of key ``k``, its span moved by ``offset``, from the region into the whole text."""
    span = Span(k.span.start + offset, k.span.end + offset) if offset else k.span
    # "@doe99", "@{doe99}": the key as written.
    return keyed_citation(span, k.key, command, narrative, locator, group, prefix, region[k.span.start : k.span.end])


# --- Text that is not read for citations -------------------------------------------------------


def blank_unparsed(text: str) -> str:
    """The text with code, HTML comments, link targets and URLs replaced by spaces (line breaks
    kept), so that offsets into it are offsets into the text. Each stage reads what the one
    before left: a fence's backticks never open an inline code span."""
    text = _blank(text, _fenced_code(text))
    text = _blank(text, _inline_code(text))
    spans = _comments(text)
    spans += [m.span("target") for m in LINK_TARGET.finditer(text)]
    spans += _urls(text)
    return _blank(text, spans)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return text
    out = []
    at = 0
    for start, end in sorted(spans):
        start = max(start, at)
        if end <= start:
            continue
        out.append(text[at:start])
        piece = text[start:end]  # blanked to spaces but its line breaks: so line numbers stay
        out.append(" " * len(piece) if "\n" not in piece else "\n".join(" " * len(line) for line in piece.split("\n")))
        at = end
    out.append(text[at:])
    return "".join(out)


def _fenced_code(text: str) -> list[tuple[int, int]]:
    """Fenced code blocks, from the opening fence to the closing one: the next line of the same
    character alone, at least as long. As in Pandoc, a fence that is never closed opens no block.

    The fences are found in one pass, and which of them could still be closed is known from the
    longest closing fence after each, so no fence sends a search to the end of the text (a
    thousand fences of decreasing length would have the text read a thousand times)."""
    if "```" not in text and "~~~" not in text:
        return []  # no fence: a text without code is not scanned line by line
    fences = [
        # where it starts and ends, its character and length, whether it can close a block (no info string)
        (m.start(), m.end(), m["fence"][0], len(m["fence"]), m[0].strip(" \t\r") == m["fence"])
        for m in FENCE.finditer(text)
    ]
    longest_after: dict[str, list[int]] = {"`": [0] * (len(fences) + 1), "~": [0] * (len(fences) + 1)}
    for k in range(len(fences) - 1, -1, -1):
        _, _, char, size, closes = fences[k]
        for c, longest in longest_after.items():
            longest[k] = max(longest[k + 1], size if closes and c == char else 0)
    spans = []
    i = 0
    while i < len(fences):
        start, _, char, size, _ = fences[i]
        if longest_after[char][i + 1] < size:
            i += 1
            continue
        j = i + 1
        while not (fences[j][2] == char and fences[j][4] and fences[j][3] >= size):
            j += 1
        spans.append((start, fences[j][1]))
        i = j + 1
    return spans


def _inline_code(text: str) -> list[tuple[int, int]]:
    """Inline code spans: a run of backticks closed by the next run of the same length in the
    same paragraph ("``a ` b``"). A run that finds none is literal backticks."""
    runs = [m.span() for m in BACKTICKS.finditer(text)]
    if not runs:
        return []
    breaks = [m.start() for m in PARAGRAPH_BREAK.finditer(text)]
    following: list[int | None] = [None] * len(runs)  # the next run of the same length
    last: dict[int, int] = {}
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        following[i] = last.get(length)
        last[length] = i
    spans = []
    i = 0
    while i < len(runs):
        j = following[i]
        same_paragraph = j is not None and bisect.bisect(breaks, runs[i][0]) == bisect.bisect(breaks, runs[j][0])
        if j is not None and same_paragraph:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
        else:
            i += 1
    return spans


def _urls(text: str) -> list[tuple[int, int]]:
    """The spans of ``URL.finditer(text)``, found from each "://" in the text rather than by trying
    the pattern at every "h" and "f". A match holds its scheme's "://" right after the scheme, 3 to
    5 characters after its start; only one of those starts can spell a scheme, and a "://" inside
    the URL before it was part of that match, as ``finditer`` would have it."""
    spans: list[tuple[int, int]] = []
    end = 0  # where the last match ended: no match starts before it
    at = text.find("://")
    while at != -1:
        for start in (at - 5, at - 4, at - 3):
            m = URL.match(text, start) if start >= end else None
            if m is not None:
                spans.append(m.span())
                end = m.end()
                break
        at = text.find("://", at + 1)
    return spans


def _comments(text: str) -> list[tuple[int, int]]:
    """HTML comments: a citation commented out is not cited. A ``<!--`` never closed is text."""
    spans = []
    at = text.find("<!--")
    while at != -1:
        close = text.find("-->", at + 4)
        if close == -1:
            break  # no comment after this one closes either
        spans.append((at, close + 3))
        at = text.find("<!--", close + 3)
    return spans


# --- YAML front matter ---------------------------------------------------------------------------


def front_matter(text: str) -> tuple[Span | None, list[str]]:
    """The YAML block at the start of the text (after a byte-order mark or blank lines), from its
    opening ``---`` to the end of its closing ``---`` or ``...`` line (line break excluded), and the
    paths its ``bibliography:`` key names, in order. (None, []) when the text opens with no such
    block; odd YAML gives fewer paths, never an error."""
    lines = _lines(text, 1 if text.startswith("\ufeff") else 0)
    opening = next((line for line in lines if text[line[0] : line[1]].strip()), None)
    if opening is None or text[opening[0] : opening[1]].rstrip() != FRONT_MATTER_OPEN:
        return None, []
    body: list[str] = []
    for line_start, line_end in lines:  # the same generator: the lines after the opening one
        line = text[line_start:line_end]
        if not body and not line.strip():
            return None, []  # "---" then a blank line is a horizontal rule, as Pandoc reads it
        if line.rstrip() in FRONT_MATTER_CLOSE:
            return Span(opening[0], line_start + len(line.rstrip("\r"))), _bibliography(body)
        body.append(line.rstrip("\r"))
    return None, []  # never closed


def _lines(text: str, pos: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each line from ``pos``, line breaks excluded; lazily, so that a long text
    with no front matter is not split whole."""
    while True:
        newline = text.find("\n", pos)
        if newline == -1:
            yield pos, len(text)
            return
        yield pos, newline
        pos = newline + 1


def _bibliography(lines: list[str]) -> list[str]:
    """The paths under the top-level ``bibliography:`` key of the front matter's lines. A later
    ``bibliography:`` replaces an earlier one, as most YAML readers do."""
    paths: list[str] = []
    for n, line in enumerate(lines):
        m = BIBLIOGRAPHY_KEY.match(line)
        if m is None:
            continue
        value = _uncommented(m.group("value") or "")
        if value.startswith("["):
            paths = _flow_list(" ".join([value, *_continued(lines, n + 1)]))
        elif value:
            path = _scalar(value)
            paths = [path] if path else []
        else:
            paths = _block_value(lines, n + 1)
    return paths


def _continued(lines: list[str], n: int) -> Iterator[str]:
    """The indented lines from line ``n`` on: where a value written over several lines goes on."""
    while n < len(lines) and lines[n][:1] in (" ", "\t"):
        yield lines[n]
        n += 1


def _block_value(lines: list[str], n: int) -> list[str]:
    """The value written under a key from line ``n`` on: ``- item`` lines, or one indented scalar."""
    paths: list[str] = []
    for line in lines[n:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = LIST_ITEM.match(line)
        if item is not None:
            path = _scalar(_uncommented(item.group("value") or ""))
            if path:
                paths.append(path)
            continue
        if not paths and line[:1] in (" ", "\t"):
            path = _scalar(_uncommented(line.strip()))
            return [path] if path else []
        break  # the next key
    return paths


def _uncommented(value: str) -> str:
    """A value without its trailing comment ("refs.bib # main"); quoted and flow values are read
    up to their own close, so a "#" inside them stays."""
    value = value.strip()
    if value[:1] in ("'", '"', "["):
        return value
    m = YAML_COMMENT.search(value)
    return (value[: m.start()] if m else value).strip()


def _scalar(value: str) -> str | None:
    """A YAML scalar: plain, 'single-quoted' or "double-quoted". None for what is not a path: an
    empty value, a multi-line string (``|``, ``>``), a null, a mapping, an anchor."""
    value = value.strip()
    if not value or value[0] in "|>&*!{[" or value in ("~", "null", "Null", "NULL"):
        return None
    if value[0] == "'":
        return _single_quoted(value) or None
    if value[0] == '"':
        return _double_quoted(value) or None
    return _uncommented(value) or None


def _single_quoted(value: str) -> str:
    # Inside single quotes, a doubled quote is a quote: 'O''Brien.bib'.
    out: list[str] = []
    i = 1
    while i < len(value):
        if value[i] == "'":
            if not value.startswith("''", i):
                break
            i += 1
        out.append(value[i])
        i += 1
    return "".join(out)


def _double_quoted(value: str) -> str:
    # Inside double quotes a backslash escapes the next character: "C:\\refs.bib". YAML's other
    # escapes (\t, \u00e9) do not occur in file names and are read as the character itself.
    out: list[str] = []
    i = 1
    while i < len(value) and value[i] != '"':
        if value[i] == "\\" and i + 1 < len(value):
            i += 1
        out.append(value[i])
        i += 1
    return "".join(out)


def _flow_list(value: str) -> list[str]:
    """The items of ``[a.bib, "b.json"]``, up to its closing bracket (or the end of the value)."""
    items: list[str] = []
    current: list[str] = []
    quote = ""
    for c in value[1:]:
        if quote:
            quote = "" if c == quote else quote
        elif c in "'\"":
            quote = c
        elif c in ",]":
            items.append("".join(current))
            current = []
            if c == "]":
                break
            continue
        current.append(c)
    else:
        items.append("".join(current))
    return [p for p in (_scalar(item) for item in items) if p]


class MarkdownSyntax(Syntax):
    """Pandoc Markdown: YAML front matter, ``[@key]`` citations and ``nocite``, code and comments."""

    def layout_text(self, source: Source) -> tuple[str, Span | None]:
        text = source.text[: source.manuscript_end]
        matter, _ = front_matter(text)
        if matter is not None:  # "bibliography:" in the front matter is no reference-list heading
            text = blank_spans(text, [matter])
        return text, matter

    def scan(self, source: Source, body: str, hidden: Span | None, bibliography: Sequence[Reference]) -> Scanned:
        nocite = _yaml_nocite(source.text, hidden) if hidden is not None else []
        keyed = find_pandoc_citations(body)
        # Code, comments and link targets show examples, not citations: "`(Smith, 2018)` has one".
        body = blank_unparsed(blank_spans(body, [c.span for c in keyed]))
        return Scanned([c for c in keyed if not _mention(c, bibliography)], body, nocite)


# Pandoc's "nocite:" key: "nocite: '@*'", "nocite: |\n  @smith04, @doe99".
YAML_NOCITE = regex(r"^nocite:(?P<value>.*(?:\n[ \t]+.*)*)", re.MULTILINE)
NOCITE_KEY = regex(r"@(\*|\w[\w:.#$%&+?<>~/-]*)")


def _yaml_nocite(text: str, matter: Span) -> list[tuple[str, Span]]:
    m = YAML_NOCITE.search(text, matter.start, matter.end)
    if m is None:
        return []
    return [(k.group(1), Span(k.start(), k.end())) for k in NOCITE_KEY.finditer(text, m.start("value"), m.end("value"))]


def _mention(c: Citation, bibliography: Sequence[Reference]) -> bool:
    """A bare "@name" in running text that no entry defines and that carries no year is taken for
    a mention ("thanks to @octocat"), not a citation; in brackets, "[@name]" is always a citation."""
    if not c.narrative or any(ch.isdigit() for ch in c.key or ""):
        return False
    return not any(ref.key == c.key for ref in bibliography)
