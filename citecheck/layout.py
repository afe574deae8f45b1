"""Where things are in a manuscript: extraction noise, the body, and the reference list.

Input: a ``Source``. Output: a ``Document`` whose ``clean`` text has the same length as the source,
with running headers, footers and page numbers blanked to spaces and words hyphenated at line ends
rejoined, so that every later stage can search ``clean`` and report offsets into ``source.text``.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
from collections.abc import Iterator

from citecheck.cache import regex
from citecheck.model import Document, Source, Span

# A reference-list heading alone on its line. The last one in the document wins, because a
# "Sources" or "References" heading can also appear in a table of contents or in the abstract.
HEADING = regex(
    r"""
    ^[ \t#*_]*+                                  # Markdown heading marks, bold
    (?:(?:\d+(?:\.\d+)*|[IVXLC]+|[A-Z])\.?[ \t]+)?  # a section number: "7.", "VII.", "A "
    (?P<name>
        references(?:[ \t]+(?:and|&)[ \t]+notes|[ \t]+cited)?
      | reference[ \t]+list
      | literaturverzeichnis | literatur(?:liste)? | quellen(?:verzeichnis)?     # German
      | bibliographie | r[ée]f[ée]rences(?:[ \t]+bibliographiques)?          # French
      | bibliograf[íi]a | referencias(?:[ \t]+bibliogr[áa]ficas)?           # Spanish, Italian
      | refer[êe]ncias(?:[ \t]+bibliogr[áa]ficas)?                          # Portuguese
      | list[ \t]+of[ \t]+references
      | bibliography
      | select(?:ed)?[ \t]+bibliography
      | works[ \t]+cited
      | literature[ \t]+cited
      | cited[ \t]+literature
      | sources(?:[ \t]+cited)?
    )
    [ \t]*:?[ \t*_\r]*$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

# Back matter that ends a reference list when it follows one ("Appendix A", "Figure legends").
BACK_MATTER = regex(
    r"""
    ^[ \t#*_]*(?:\d+(?:\.\d+)*\.?[ \t]+)?
    (?:
        appendix(?:[ \t]+[A-Z0-9]+)?(?:[ \t]*[:.].*)?
      | appendices
      | supplementary(?:[ \t]+\w+){0,3}
      | supporting[ \t]+information
      | acknowledge?ments?
      | figure[ \t]+legends?
      | tables?
      | notes
      | endnotes
      | footnotes
      | author[ \t]+contributions?
      | about[ \t]+the[ \t]+authors?
      | biograph(?:y|ies)
      | conflicts?[ \t]+of[ \t]+interests?
      | declaration[ \t]+of[ \t]+(?:competing[ \t]+)?interests?
      | data[ \t]+availability(?:[ \t]+statement)?
    )
    [ \t]*:?[ \t*_\r]*$
    """,
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)

# A word each match of HEADING holds, in lower case, one at least for each of its names: a line
# without one is no heading.
HEADING_WORDS = ("ref", "réf", "literatur", "quellen", "bibliogr", "cited", "sources")
# Likewise for BACK_MATTER.
BACK_MATTER_WORDS = (
    "appendi",
    "supplementary",
    "supporting",
    "acknowledg",
    "figure",
    "table",
    "notes",
    "author",
    "about",
    "biograph",
    "conflict",
    "declaration",
    "data",
)
# The only characters whose lower case differs from what an IGNORECASE pattern takes them for, in
# the letters of these words: "İ" and "ı" match "i", and "ſ" matches "s". "İ" is also the only
# character whose lower case is longer than one character.
_FOLD_APART = ("İ", "ı", "ſ")


def _line_matches(pattern: re.Pattern[str], words: tuple[str, ...], text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    """The matches of ``pattern`` in ``text[pos:endpos]``, in order, as ``pattern.finditer`` finds
    them, for an IGNORECASE pattern that matches within one line from the line's start and whose
    every match holds one of ``words`` (in lower case). Run over a long text of short lines, the
    pattern costs most at the start of each line; it is tried only on the lines that hold a word,
    found in the text in lower case, which keeps the text's offsets where no ``_FOLD_APART`` is."""
    window = text[pos:endpos]
    folded = window.lower()
    if len(folded) != len(window) or any(c in window for c in _FOLD_APART):
        yield from pattern.finditer(text, pos, endpos)
        return
    for line_start, _ in _lines_holding(text, words, pos, endpos, folded):
        m = pattern.match(text, line_start, endpos)
        if m is not None:
            yield m


def _lines_holding(
    text: str, words: tuple[str, ...], pos: int, endpos: int, searched: str | None = None
) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of ``text[pos:endpos]`` that holds one of ``words``, in order;
    the first line starts at ``pos`` and the last ends at ``endpos`` at the latest. The words are
    looked for in ``searched``, that stretch of the text itself or another text with its offsets."""
    window = text[pos:endpos] if searched is None else searched
    base = pos  # where ``window`` starts in ``text``
    upcoming = {word: window.find(word) for word in words}  # the next place of each word, or -1
    while hits := [at for at in upcoming.values() if at >= 0]:
        hit = base + min(hits)
        line_start = text.rfind("\n", pos, hit) + 1 or pos
        line_end = text.find("\n", hit, endpos)
        yield line_start, endpos if line_end == -1 else line_end
        if line_end == -1:
            return
        pos = line_end + 1
        for word, at in upcoming.items():
            if 0 <= at < pos - base:
                upcoming[word] = window.find(word, pos - base)


# A line that is only a page number: "12", "- 12 -", "Page 12", "Page 12 of 30".
PAGE_NUMBER = regex(
    r"^[ \t]*(?:[-–—][ \t]*)?(?:page[ \t]+)?\d{1,4}(?:[ \t]+of[ \t]+\d{1,4})?(?:[ \t]*[-–—])?[ \t\r]*$", re.IGNORECASE
)

# A word broken at a line end: "geo-\npolitics". Only lowercase on both sides, so that a
# hyphenated name ("Dubois-\nDauphin") keeps its hyphen.
HYPHENATED = regex(r"(?<=[a-zà-ÿ])-\n[ \t]*(?=[a-zà-ÿ])")

_LINE = regex(r"[^\n]*")
_DIGITS = regex(r"\d\d*")  # "\d+", opening with one digit: the engine skips to the next digit

MIN_REPEATS = 3  # a running header recurs on most pages; three sightings rule out chance
# Sightings from which a line of words alone is a header too: "Thyroid Carcinoma" on each of a
# guideline's 137 pages, a book's chapter title. A heading ("Results") recurs a few times at most.
MANY_REPEATS = 10
MAX_HEADER_CHARS = 120
# A footer this long is one only when it recurs on many pages (``MANY_REPEATS``): "This content
# downloaded from 128.42.0.1 on Mon, 12 Jan 2021 10:20:30 UTC All use subject to
# https://about.jstor.org/terms", "Printed by ... on 1/27/2021. For personal use only. ...".
MAX_FOOTER_CHARS = 300
# Characters from one sighting of a header to the next: a page holds thousands, while lines of one
# shape that follow each other closely are entries of a list ("World malaria report 2018. WHO.",
# "... 2019. WHO.", "... 2020. WHO.") and count as one sighting.
MIN_GAP = 500


def find_noise(text: str) -> list[Span]:
    """Spans of lines that are running headers, footers or page numbers.

    A running header is a short line that recurs at least three times a page or more apart, digits
    ignored so that "Journal of X, 12" and "Journal of X, 13" count as one ("Vol.03 No.01 (2025)"
    recurs on every page of an extracted PDF). At most one of its numbers changes from page to
    page, and that one grows and has at most four digits (the page number): lines of one shape
    whose numbers differ otherwise are entries of a reference list ("Neuroscience, 33,
    10972–10985." and "Neuroscience, 32, 850–863.", "https://doi.org/10.1107/S0907444909052925").
    Table rows ("| a | b |") and lines that end a sentence mid-way are never headers.
    """
    # One list per line property rather than a record per line: a text of many short lines makes
    # as many records, and building them was most of the cost. Blank lines are in the lists too;
    # they have no shape and no number, and every step below passes over them.
    lines = text.split("\n")
    starts = _line_starts(lines)
    stripped = list(map(str.strip, lines))
    numbers = {
        i: number
        for i, (line, s) in enumerate(zip(lines, stripped, strict=True))
        if s and (s[0].isdigit() or s[0] in _PAGE_OPENERS) and (number := _page_number(line)) is not None
    }
    pages = _page_beside(stripped, numbers)
    counts: dict[str, int] = {}  # sightings of each shape
    # Sightings beside a page number, and those page numbers: a line on two pages is a header too
    # when both times it sits beside the number of a later page ("12", header; "13", header).
    paged: dict[str, list[int]] = {}
    last_seen: dict[str, int] = {}
    previous: dict[str, str] = {}  # the text of a shape's last sighting
    changing: dict[str, set[int]] = {}  # which of a shape's numbers differ between its sightings
    entries: set[str] = set()  # shapes whose changing number is no page number
    # Table rows ("| a | b |") and lines too long for a footer have no shape.
    shapes = _shapes([s for s in dict.fromkeys(stripped) if s and len(s) <= MAX_FOOTER_CHARS and s[0] != "|"])
    keys = list(map(shapes.get, stripped))
    for n, start, line, key in zip(itertools.count(), starts, stripped, keys):
        if key is None:
            continue
        if start - last_seen.get(key, -MIN_GAP) >= MIN_GAP:
            counts[key] = counts.get(key, 0) + 1
            page = pages.get(n)
            if page is not None:
                paged.setdefault(key, []).append(page)
        last_seen[key] = start
        if "#" in key:
            last = previous.get(key)
            previous[key] = line
            if last is None:
                continue  # a shape's first sighting: no number has changed yet
            numbers_here, before = _DIGITS.findall(line), _DIGITS.findall(last)
            changed = [i for i, (a, b) in enumerate(zip(before, numbers_here, strict=True)) if a != b]
            changing.setdefault(key, set()).update(changed)
            # A page number has at most four digits and grows: "S0907444909052925" in three DOIs does not.
            if any(len(numbers_here[i]) > 4 or len(before[i]) > 4 or int(numbers_here[i]) < int(before[i]) for i in changed):
                entries.add(key)
    # Every shape is counted at its first sighting; seen once, a line is no header (_is_header
    # asks for two sightings at least).
    headers = {
        shape: count > 1 and _is_header(shape, count, paged.get(shape, []), changing, entries) for shape, count in counts.items()
    }
    blanked = set(itertools.compress(itertools.count(), map(headers.get, keys)))
    blanked.update(i for i in numbers if not _carries_on(text, starts[i]))
    return [Span(starts[i], starts[i] + len(lines[i])) for i in sorted(blanked)]


def _shapes(texts: list[str]) -> dict[str, str]:
    """The shape of each of the (stripped) line texts: white space runs as one space, and "#" for
    each number (a "#" of the text's own becomes "♯", so that "#" and "1" differ). One substitution
    over all the distinct texts at once, rather than one a line: a text holds no line break, so
    the shapes come apart again at them."""
    distinct = list(dict.fromkeys(texts))
    if not distinct:
        return {}
    # A text whose only white space is single spaces is its own (white space in any other form
    # than " " is no printable character), and splitting it is most of the cost.
    spaced = [t if t.isprintable() and "  " not in t else " ".join(t.split()) for t in distinct]
    joined = "\n".join(spaced).replace("#", "♯")
    return dict(zip(distinct, _DIGITS.sub("#", joined).split("\n"), strict=True))


def _is_header(shape: str, count: int, pages: list[int], changing: dict[str, set[int]], entries: set[str]) -> bool:
    """Whether lines of this shape, seen ``count`` times (beside ``pages``), are a running header."""
    return (
        (count >= MIN_REPEATS or (_on_pages(count, pages) and _same_each_time(shape, changing)))
        and len(changing.get(shape, ())) <= 1
        and shape not in entries
        and (len(shape) <= MAX_HEADER_CHARS or count >= MANY_REPEATS)
        and _is_header_like(shape, count >= MANY_REPEATS)
    )


def _line_starts(lines: list[str]) -> list[int]:
    """Where each of the lines of a text (``text.split("\\n")``) starts."""
    widths = map(operator.add, map(len, lines), itertools.repeat(1))
    return list(itertools.accumulate(widths, initial=0))[: len(lines)]


_PAGE_OPENERS = "-–—pP"  # what a page number opens with, digits aside


def _page_number(line: str) -> int | None:
    """The page number a line holds alone ("12", "- 12 -", "Page 3 of 9"), if it does. What the
    pattern matches opens, once stripped, with a digit or one of ``_PAGE_OPENERS``."""
    m = PAGE_NUMBER.match(line)
    return int(_DIGITS.findall(m.group())[0]) if m else None


# The end of a line that a number on the next line carries on: "(Bajrami et al.,⏎2014", "pp.⏎45".
_OPEN_END = regex(r"(?:[,;&(]|\bet\s+al\.|\band|\bpp?\.|\bin)[ \t]*$")


def _carries_on(text: str, start: int) -> bool:
    """Whether the line before, with no blank line between, leaves off where a number goes on: a
    year wrapped onto a line of its own is no page number."""
    if start == 0 or text[start - 1] != "\n":
        return False
    previous = text[text.rfind("\n", 0, start - 1) + 1 : start - 1]
    return bool(previous.strip()) and _OPEN_END.search(previous) is not None


def _page_beside(stripped: list[str], numbers: dict[int, int]) -> dict[int, int]:
    """For the lines (``stripped``) beside a page number (``numbers``, by line), the page number on
    the nearest line before or after them (blank lines between them aside)."""
    out: dict[int, int] = {}
    # Only the lines next to a page number get one, and a page number is a line with text.
    for j in numbers:  # the page number on the line before, first
        i = j + 1
        while i < len(stripped) and not stripped[i]:
            i += 1
        if i < len(stripped):
            out[i] = numbers[j]
    for j in numbers:  # else the one on the line after
        i = j - 1
        while i >= 0 and not stripped[i]:
            i -= 1
        if i >= 0 and i not in out:
            out[i] = numbers[j]
    return out


def _on_pages(count: int, pages: list[int]) -> bool:
    # Seen twice, a page apart, and each time beside a page number that grows: a running header of a
    # short article. Seen once, a line beside a page number could be a heading or a line of text.
    return count >= 2 and len(pages) == count and all(a < b for a, b in itertools.pairwise(pages))


def _same_each_time(shape: str, changing: dict[str, set[int]]) -> bool:
    # A header seen on two pages only is the same line both times; two entries of a list differ in
    # a year ("WHO. (2018). Report." and "WHO. (2019). Report."), and an entry ends with a period.
    return not changing.get(shape) and not shape.endswith(".")


def _is_header_like(key: str, often: bool = False) -> bool:
    # A repeated heading such as "Results" or a repeated citation line is not a header; a running
    # header carries a number (volume, year, page), is in capitals, or (``often``) recurs on many
    # pages in words alone. A wrapped tail of a reference ("    101–118.") repeats in shape too,
    # but has no words.
    letters = [c for c in key if c.isalpha()]
    if len(letters) < 3:
        return False
    # A header's first word holds a capital or is a page number ("eLife", "JOURNAL", "12"), and the
    # header closes what it opens; a wrapped tail of a sentence ("et al., 2013).") repeats in a long
    # text too, but does neither.
    first = key.split()[0]
    if not (any(c.isupper() for c in first) or first.startswith("#")) or key.count("(") != key.count(")"):
        return False
    # A citation alone on its line, "(Abara, 2019, p. 21).", recurs in a long text set in narrow
    # columns; a header neither opens with a bracket nor ends a sentence after one.
    if key[0] in "([" or key.endswith((").", "),", ");", "].")):
        return False
    if "#" in key:
        return True
    if often and len(key.split()) >= 2 and not HEADING.match(key) and not BACK_MATTER.match(key):
        return True  # the headings that bound a reference list stay, however often they recur
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) > 0.8


def blank(text: str, spans: list[Span]) -> str:
    """Replace each span by spaces, keeping its newlines, so offsets do not move."""
    if not spans:
        return text
    parts = []
    pos = 0
    for s in spans:
        parts.append(text[pos : s.start])
        parts.append(_spaced(text[s.start : s.end]))
        pos = s.end
    parts.append(text[pos:])
    return "".join(parts)


def _spaced(text: str) -> str:
    """The text with each character but the line breaks turned into a space."""
    widths = list(map(len, text.split("\n")))
    # One string of spaces for each width, shared by the lines of that width: a long run of short
    # lines would otherwise make as many strings as lines.
    spaces = {width: " " * width for width in set(widths)}
    return "\n".join(map(spaces.__getitem__, widths))


def rejoin_hyphens(text: str) -> str:
    """Rejoin "geo-\\npolitics" into "geopolitics" without moving anything outside the word.

    The rest of the word is shifted left over the hyphen and line break, and the freed characters
    become spaces before the next white space: offsets shift by at most a few characters, only
    inside that word.
    """
    if "-\n" not in text:
        return text
    out = []
    pos = 0
    for m in HYPHENATED.finditer(text):
        if m.start() < pos:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        word = text[max(text.rfind(" ", line_start, m.start()) + 1, line_start) : m.start()]
        if "/" in word or "www." in word or "@" in word:
            # a link, a DOI, a citation key or an address: its hyphen is its own ("10.1016/j.cell-bio",
            # "@ose-\ni2019a", which Pandoc reads as the key "ose"); the break joins it as it is
            continue
        gap = m.end() - m.start()
        tail_end = m.end()
        while tail_end < len(text) and not text[tail_end].isspace() and tail_end - m.end() < 64:
            tail_end += 1
        out.append(text[pos : m.start()])
        out.append(text[m.end() : tail_end])
        out.append(" " * gap)
        pos = tail_end
    out.append(text[pos:])
    joined = "".join(out)
    assert len(joined) == len(text)
    return joined


# A row of a table has cells between bars ("| a | b |") or three cells split by bars or tabs
# ("a | b | c"). A line of a reference entry may hold one bar or one tab ("1.<TAB>Smith, J.").
MIN_CELLS = 3
# A table's caption alone on its line: "Table 2. Drugs and genes", "TABLE 1:", "Table S3 |".
TABLE_CAPTION = regex(r"^[ \t#*_]*(?:Table|TABLE)[ \t]+[A-Z]?\d{1,3}[ \t]*(?:[.:|—–-]|$)", re.MULTILINE)
# A year or "n.d." as an entry shows it.
_ENTRY_YEAR = regex(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)|\bn\.\s?d\.", re.IGNORECASE)
MIN_ENTRY_CHARS = 30  # a line shorter than this, and without a year, is no entry's first line
ENTRY_LINES = 3  # the lines after a heading in which one must read like an entry


def _is_table_row(line: str) -> bool:
    line = line.strip()
    if "|" in line:
        if len(line) > 1 and line[0] == "|" and line[-1] == "|":
            return True
        if sum(1 for cell in line.split("|") if cell.strip()) >= MIN_CELLS:
            return True
    return "\t" in line and sum(1 for cell in line.split("\t") if cell.strip()) >= MIN_CELLS


def _lines_around(clean: str, start: int, end: int) -> tuple[str, str]:
    """The lines right before and right after the line from ``start`` to ``end`` ("" at the edges)."""
    before_end = start - 1 if start > 0 else 0
    before = clean[clean.rfind("\n", 0, max(before_end, 0)) + 1 : before_end] if start > 0 else ""
    after_start = clean.find("\n", end)
    if after_start == -1:
        return before, ""
    after_end = clean.find("\n", after_start + 1)
    return before, clean[after_start + 1 : len(clean) if after_end == -1 else after_end]


def _in_table(clean: str, heading: Span) -> bool:
    """Whether a heading line is a cell of a table: a row of cells lies right below it, or right
    above it and no entries follow (a true heading may come straight after a table)."""
    before, after = _lines_around(clean, heading.start, heading.end)
    return _is_table_row(after) or (_is_table_row(before) and not _entries_follow(clean, heading.end))


def _entries_follow(clean: str, pos: int) -> bool:
    """Whether one of the first lines after ``pos`` reads like a reference entry: long, or with a
    year, and no row of a table. The cells of a table headed "References" ("BRCA1", "Olaparib",
    "Baker (2010)") are short lines each."""
    seen = 0
    for m in _LINE.finditer(clean, pos):
        line = m.group().strip()
        if not line:
            continue
        if (
            not _is_table_row(line)
            and len(line) >= MIN_ENTRY_CHARS
            and (_ENTRY_YEAR.search(line) or len(line) >= 2 * MIN_ENTRY_CHARS or line.endswith(","))
        ):
            return True
        seen += 1
        if seen >= ENTRY_LINES:
            break
    return False


def reference_headings(clean: str, end: int | None = None) -> Iterator[Span]:
    """The reference-list headings of the text (before ``end``), in order. A heading is
    capitalised; "references" alone on a line is a label in a figure or diagram, and a line
    between rows of a table is one of its cells."""
    if end is None or end >= len(clean):
        return iter(_all_headings(clean))
    if end > 0 and clean[end - 1] == "\n":
        # Before a line start, the headings are those of the whole text that start before it: a
        # heading is one line, and each is told from the whole text around it.
        return itertools.takewhile(lambda h: h.start < end, _all_headings(clean))
    return _headings_in(clean, end)


@functools.lru_cache(maxsize=1)
def _all_headings(clean: str) -> tuple[Span, ...]:
    """``reference_headings`` of the whole text. Kept for the last text: ``find_reference_list``
    asks for them, and ``earlier_lists`` again for a book's lists before the last, where a heading
    after each chapter makes them many."""
    return tuple(_headings_in(clean, len(clean)))


def _headings_in(clean: str, end: int) -> Iterator[Span]:
    for m in _line_matches(HEADING, HEADING_WORDS, clean, 0, end):
        span = Span(m.start(), m.end())
        if m.group("name")[0].isupper() and not _in_table(clean, span):
            yield span


def find_reference_list(clean: str) -> tuple[Span, Span] | None:
    """(heading, list) spans of the last reference-list section, or None.

    The last heading that entries follow wins: a "References" line in a table of contents, or
    a table's column "References" after the list, has none after it. With entries after no
    heading, the last heading is taken. The list runs to the back matter or to a table after its
    entries.
    """
    headings = tuple(reference_headings(clean))
    if not headings:
        return None
    # From the last heading back: the first that entries follow is the last of them.
    last = next((h for h in reversed(headings) if _entries_follow(clean, h.end)), headings[-1])
    end = len(clean)
    back = next(_line_matches(BACK_MATTER, BACK_MATTER_WORDS, clean, last.end, len(clean)), None)
    if back is not None:
        end = back.start()
    end = _table_after_entries(clean, last.end, end)
    return last, Span(last.end, end)


def _table_after_entries(clean: str, start: int, end: int) -> int:
    """Where a table (its caption, or two rows) begins after the entries of a list between
    ``start`` and ``end``; ``end`` if none does. A table right after the heading is the list."""
    entries = False
    row_at: int | None = None  # where a table row after the entries began
    since = 0  # lines since that row that are no rows: a row of its own ("References") may sit between
    pos = start
    for line_start, line_end in _lines_holding(clean, TABLE_HINTS, start, end):
        # The lines before this one hold no bar, tab or "Table": no row and no caption, entries all.
        # Only whether ``since`` passes 1 matters, so two of them count for any number.
        filled = _filled_lines(clean, pos, line_start)
        if filled:
            since += filled
            if since > 1:
                row_at = None
            entries = True
        pos = line_end
        line = clean[line_start:line_end]
        if not line.strip():
            continue
        if _is_table_row(line):
            if not entries:
                return end  # the list is itself a table, an entry a row
            if row_at is not None:
                return row_at
            row_at, since = line_start, 0
            continue
        if entries and TABLE_CAPTION.match(line):
            return line_start
        since += 1
        if since > 1:
            row_at = None
        entries = True
    return end


# What a row of a table (a bar or a tab) or its caption ("Table", "TABLE") cannot do without.
TABLE_HINTS = ("|", "\t", "Table", "TABLE")
_FILLED = regex(r"\S")  # what a line that is not blank (``str.strip``) holds


def _filled_lines(clean: str, start: int, end: int) -> int:
    """How many of the lines between ``start`` and ``end`` are not blank: 0, 1, or 2 for two or more."""
    first = _FILLED.search(clean, start, end)
    if first is None:
        return 0
    line_end = clean.find("\n", first.end(), end)
    return 1 if line_end == -1 or _FILLED.search(clean, line_end, end) is None else 2


def analyse(source: Source) -> Document:
    """Blank the noise, rejoin hyphenated words and locate the reference list."""
    text = source.text
    noise = find_noise(text)
    clean = rejoin_hyphens(blank(text, noise))
    found = find_reference_list(clean)
    if found is None:
        return Document(source=source, clean=clean, references=None, noise=tuple(noise))
    heading, refs = found
    return Document(
        source=source,
        clean=clean,
        references=refs,
        heading=heading,
        noise=tuple(noise),
    )
