"""From a PDF page's glyphs to its text: rows and columns found from the glyphs' positions alone.

Input: the glyphs of one page, each ``(left x, right x, baseline, font size, text)`` as
``readers.pdf`` collects them from pdfminer.six. Output: the page's text, lines in reading order
and paragraphs apart. A page in two columns (a gutter that runs down the page) is read left column
first, full-width parts (the title block, a wide caption, a justified line stretched so wide that a
word of it stands over the gutter) in their place; accents drawn as glyphs of their own are put on
their letters, soft hyphens dropped, ligatures NFKC-normalised, and line numbers in the margin of a
manuscript under review left out. Alongside the text, each line of it keeps where it lies: its
baseline, font size and the x position between each two of its characters (a word space the text
inserts lies in the gap it stands for), and the number printed beside it; ``Anchors`` keeps those
of a whole document compactly, for the annotator. Pure geometry: no PDF library here.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
import unicodedata
from array import array
from collections.abc import Sequence
from itertools import accumulate, islice, repeat
from typing import Final

# A character: (left x, right x, baseline measured downwards, font size, text). Plain tuples,
# because a page has thousands of them and a tuple is the cheapest record Python builds.
Char = tuple[float, float, float, float, str]
X0: Final = 0
X1: Final = 1
BASE: Final = 2
SIZE: Final = 3
TEXT: Final = 4

# Spacing accents that TeX and some word processors draw as a glyph of their own over the letter
# ("´" then "e"). Over a letter they become the combining mark, so that "´e" reads "é".
ACCENTS = {
    "\u00b4": "\u0301", "`": "\u0300", "\u00a8": "\u0308", "\u02c6": "\u0302", "^": "\u0302", "\u02dc": "\u0303",
    "~": "\u0303", "\u02c7": "\u030c", "\u02d8": "\u0306", "\u02da": "\u030a", "\u00b8": "\u0327", "\u02db": "\u0328",
    "\u02dd": "\u030b", "\u00af": "\u0304", "\u02d9": "\u0307",
}  # fmt: skip
SOFT_HYPHEN = "\u00ad"
# Control characters read as spaces; zero-width characters and byte-order marks carry no text.
_INVISIBLE = {**{c: " " for c in [*range(32), *range(127, 160)]}, 0x200B: None, 0x2060: None, 0xFEFF: None}

# Layout thresholds, in multiples of the font size unless said otherwise. Word spaces in justified
# text stay under 0.8 em, while column gutters are wider than 1.2 em in every journal style seen.
WORD_GAP = 0.12  # a gap wider than this between two glyphs is a word space (TeX writes no spaces)
SPLIT_GAP = 0.8  # a gap wider than this ends a segment of a line (a gutter, a table column)
ROW_TOLERANCE = 0.3  # glyphs whose baselines differ by less belong to the same row
PARAGRAPH = 1.2  # a line this many line pitches below the previous one starts a paragraph
MIN_SEGMENT = 8  # characters a segment needs to count as column text when finding the gutter
STRAY = 0.05  # the share of a page's lines that may lie in the gutter as pieces of full-width lines


def plain(raw: str) -> str:
    """A glyph's text in plain characters: NFKC (ligatures, full-width and no-break forms), control
    characters as spaces, zero-width ones dropped. Spacing accents and soft hyphens are kept for
    ``segment_text``, which needs to see where they stand."""
    if raw in ACCENTS:  # normalised once placed: over a letter it becomes a combining mark
        return raw
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    return text.translate(_INVISIBLE)


class Segment:
    """A run of glyphs on one row with no gap wider than ``SPLIT_GAP`` in it: a line of one column."""

    __slots__ = ("base", "chars", "edges", "number", "row", "size", "text", "x0", "x1")

    def __init__(self, chars: list[Char], row: int) -> None:
        self.chars = chars
        self.row = row  # segments of one row are one line when the page is read across
        ink = [ch for ch in chars if not ch[TEXT].isspace()]
        # Its own baseline, not the row's: the two columns' lines of one row may sit points apart.
        self.base = statistics.median([ch[BASE] for ch in ink])
        self.x0 = min([ch[X0] for ch in ink])
        self.x1 = max([ch[X1] for ch in ink])
        self.size = statistics.median([ch[SIZE] for ch in ink])
        self.text = ""
        self.edges: list[float] = []  # see ``segment_edges``
        self.number: int | None = None  # the line number printed in the margin beside it


class Line:
    """One line of output text and where it sits on the page: ``edges`` are the x positions between
    its characters (``segment_edges``), ``number`` the line number printed beside it, ``start``
    where it starts in the page's text."""

    __slots__ = ("base", "edges", "number", "size", "start", "text")

    def __init__(self, text: str, base: float, size: float, edges: list[float], number: int | None = None) -> None:
        self.text = text
        self.base = base
        self.size = size
        self.edges = edges
        self.number = number
        self.start = 0


def page_text(chars: Sequence[Char], numbered: bool = False) -> tuple[str, bool]:
    """The text of one page from its glyphs: lines in reading order, paragraphs apart; and whether
    line numbers in the margin were left out (``numbered``: earlier pages had them)."""
    text, numbered, _ = page_lines(chars, numbered)
    return text, numbered


def page_lines(chars: Sequence[Char], numbered: bool = False) -> tuple[str, bool, list[Line]]:
    """``page_text``, and the page's lines with where each starts in that text, where its
    characters lie and the line number printed beside it."""
    segments = _segments(chars)
    if not segments:
        return "", False, []
    for s in segments:
        s.text, s.edges = segment_edges(s.chars)
    segments, numbered = _drop_line_numbers([s for s in segments if s.text], numbered)
    gutter = find_gutter(segments)
    lines = _read_columns(segments, gutter) if gutter else _read_rows(segments)
    return _join_lines(lines), numbered, lines


def _drop_line_numbers(segments: list[Segment], expected: bool = False) -> tuple[list[Segment], bool]:
    """The segments less the line numbers of a manuscript under review, and whether there were any;
    each number is kept on the segment it stands beside (``Segment.number``).

    Read with their lines they would split sentences and citations ("(Abara,\n12 2019)"). They are
    bare numbers in the left margin, outside the text's left edge, on several rows of the page; on
    a short last page one will do when the pages before had them (``expected``).
    """
    edges = sorted(s.x0 for s in segments if len(s.text) >= MIN_SEGMENT)
    if len(edges) < (1 if expected else 5):
        return segments, False
    left = edges[len(edges) // 10]  # the text's left edge, whatever a few outdented lines do
    numbers = {id(s) for s in segments if len(s.text) <= 4 and s.text.isdigit() and s.x1 < left - 0.5 * s.size}
    if len(numbers) < (1 if expected else 3):
        return segments, False
    kept = [s for s in segments if id(s) not in numbers]
    _number_lines([s for s in segments if id(s) in numbers], kept, left)
    return kept, True


def _number_lines(numbers: Sequence[Segment], kept: Sequence[Segment], left: float) -> None:
    """Give each margin number to the segment it stands beside: the first of its row, which starts
    in the left quarter of the text (an indented line's does; on a two-column page, the left
    column's, not the right column's beside an empty line of the left one)."""
    if not kept:
        return
    reach = left + 0.25 * (max(s.x1 for s in kept) - left)
    first: dict[int, Segment] = {}
    for s in kept:
        if s.x0 <= reach and (s.row not in first or s.x0 < first[s.row].x0):
            first[s.row] = s
    for n in sorted(numbers, key=lambda n: n.x1):  # of two numbers beside one line, the nearer
        s = first.get(n.row)
        if s is not None and s.x0 > n.x1 and n.text.isdecimal():
            s.number = int(n.text)


def _segments(chars: Sequence[Char]) -> list[Segment]:
    """Group glyphs into rows by baseline, cut rows at wide gaps, and attach superscripts."""
    if not chars:
        return []
    order = sorted(chars, key=lambda ch: ch[BASE])
    rows: list[list[Char]] = []
    row: list[Char] = []
    last = size = float("-inf")
    for ch in order:
        # Chained on the previous baseline, so that a row whose glyphs jitter by a point holds together.
        chsize = ch[SIZE]
        if chsize > size:
            size = chsize
        if ch[BASE] - last > ROW_TOLERANCE * size:
            row = []
            rows.append(row)
            size = chsize
        row.append(ch)
        last = ch[BASE]
    segments: list[Segment] = []
    for r, row in enumerate(rows):
        row.sort(key=lambda ch: ch[X0])
        current: list[Char] = []
        inked = False
        right = float("-inf")  # the right edge of the ink so far; spaces do not bridge a gutter
        for ch in row:
            if not ch[TEXT].isspace():
                if inked and ch[X0] - right > SPLIT_GAP * ch[SIZE]:
                    segments.append(Segment(current, r))
                    current = []
                    right = float("-inf")
                inked = True
                if ch[X1] > right:
                    right = ch[X1]
            current.append(ch)
        if inked:
            segments.append(Segment(current, r))
    return _attach_small(segments) if segments else []  # a page whose glyphs are all spaces has none


def _attach_small(segments: list[Segment]) -> list[Segment]:
    """Move superscripts, subscripts and raised accents into the line they belong to.

    They sit off the line's baseline, so they form rows of their own: a segment of a few glyphs, or
    in a smaller font, that touches a bigger segment on a baseline less than 0.7 em away is merged
    into it.
    """
    by_row: dict[int, list[Segment]] = {}
    for s in segments:
        by_row.setdefault(s.row, []).append(s)
    rows = sorted(by_row, key=lambda r: by_row[r][0].base)
    index = {r: i for i, r in enumerate(rows)}
    gone: set[int] = set()
    body = 0.85 * _page_size(segments)
    for s in segments:
        ink = sum(1 for ch in s.chars if not ch[TEXT].isspace())
        if ink > 3 and s.size >= body:
            continue
        best: Segment | None = None
        i = index[s.row]
        for j in range(max(0, i - 3), min(len(rows), i + 4)):
            for t in by_row[rows[j]]:
                if t is s or id(t) in gone or t.size < s.size or abs(t.base - s.base) > 0.7 * t.size:
                    continue
                near = s.x0 - t.x1 <= 0.5 * t.size and t.x0 - s.x1 <= 0.5 * t.size
                if near and (best is None or abs(t.base - s.base) < abs(best.base - s.base)):
                    best = t
        if best is not None:
            best.chars.extend(s.chars)
            best.chars.sort(key=lambda ch: ch[X0])
            best.x0, best.x1 = min(best.x0, s.x0), max(best.x1, s.x1)
            gone.add(id(s))
    return [s for s in segments if id(s) not in gone]


def _page_size(segments: Sequence[Segment]) -> float:
    sizes = [s.size for s in segments if len(s.chars) >= MIN_SEGMENT]
    return statistics.median(sizes) if sizes else statistics.median(s.size for s in segments)


def segment_text(chars: Sequence[Char]) -> str:
    """The text of a segment's glyphs (sorted left to right): word spaces from gaps, accents composed,
    doubled glyphs of fake bold dropped, soft hyphens dropped except one that ends the line."""
    return segment_edges(chars)[0]


def segment_edges(chars: Sequence[Char]) -> tuple[str, list[float]]:
    """``segment_text``, and the x positions between its characters: ``len(text) + 1`` of them,
    character i lying from ``edges[i]`` to ``edges[i + 1]``. A word space lies in the gap between
    its neighbours; the letters of one glyph ("fi" of a ligature) share its width."""
    out: list[str] = []
    lefts: list[float] = []  # where each piece of ``out`` starts
    # The glyph before, unpacked: a page has thousands of glyphs, and locals are what Python reads fastest.
    put, mark, gap = out.append, lefts.append, WORD_GAP
    before: str | None = None  # its text; None before the first
    bx0 = bx1 = bsize = 0.0
    for x0, x1, _, size, t in _place_accents(chars):
        if t.isspace():
            if out and out[-1] != " ":
                put(" ")
                mark(bx1)
            continue
        if before is not None:
            # Fake bold draws each glyph twice, a fraction of a point apart.
            if t == before and abs(x0 - bx0) < 0.3 * max(bx1 - bx0, 0.1 * size):
                continue
            if x0 - bx1 > gap * max(size, bsize) and out[-1] != " ":
                put(" ")
                mark(bx1)
        put(t)
        mark(x0)
        before, bx0, bx1, bsize = t, x0, x1, size
    raw = "".join(out)
    single = len(raw) == len(out) and "" not in out  # one character a glyph, as nearly always
    edges = lefts if single else _spread(out, lefts, bx1)
    edges.append(bx1)
    text = raw.strip()
    if len(text) != len(raw):
        lead = len(raw) - len(raw.lstrip())
        edges = edges[lead : lead + len(text) + 1]
    if SOFT_HYPHEN in text:
        # A soft hyphen is printed only where the line breaks; there it reads as the hyphen it shows,
        # which layout.py rejoins. Anywhere else it marks a possible break and carries no text.
        tail = "-" if text.endswith(SOFT_HYPHEN) else ""
        kept = [edges[i] for i, c in enumerate(text) if c != SOFT_HYPHEN]
        edges = [*kept, edges[-2], edges[-1]] if tail else [*kept, edges[-1]]
        text = text.replace(SOFT_HYPHEN, "") + tail
    if text.isascii():
        return text, edges
    composed = unicodedata.normalize("NFC", text)
    return composed, edges if len(composed) == len(text) else _recomposed(text, composed, edges)


def _spread(pieces: Sequence[str], lefts: Sequence[float], right: float) -> list[float]:
    """The left edge of each character of pieces of several (a ligature's "fi") or none, each
    piece's width shared out among its characters."""
    out: list[float] = []
    for k, piece in enumerate(pieces):
        a = lefts[k]
        b = lefts[k + 1] if k + 1 < len(lefts) else right
        out.extend(a + (b - a) * j / len(piece) for j in range(len(piece)))
    return out


def _recomposed(text: str, composed: str, edges: list[float]) -> list[float]:
    """The edges of ``text`` carried over to its NFC form, which is shorter where a combining mark
    of a glyph of its own joins the letter before it ("e" then U+0301 becomes "é"): each run of a
    letter and its marks keeps its place; failing that (a composition across letters), evenly."""
    runs = [i for i, c in enumerate(text) if not unicodedata.combining(c)]
    if not runs or runs[0] != 0:
        runs.insert(0, 0)
    runs.append(len(text))
    out: list[float] = []
    for a, b in itertools.pairwise(runs):
        piece = unicodedata.normalize("NFC", text[a:b])
        out.extend(edges[a] + (edges[b] - edges[a]) * j / len(piece) for j in range(len(piece)))
    if len(out) != len(composed):
        lo, hi = edges[0], edges[-1]
        out = [lo + (hi - lo) * j / len(composed) for j in range(len(composed))]
    out.append(edges[-1])
    return out


def _place_accents(chars: Sequence[Char]) -> list[Char]:
    """Glyphs with each spacing accent that overlaps a letter turned into a combining mark on it."""
    if not any(ch[TEXT] in ACCENTS for ch in chars):
        return list(chars)
    out = [ch for ch in chars if ch[TEXT] not in ACCENTS]
    for acc in (ch for ch in chars if ch[TEXT] in ACCENTS):
        width = max(acc[X1] - acc[X0], 0.01)
        best, overlap = -1, 0.0
        for i, ch in enumerate(out):
            o = min(acc[X1], ch[X1]) - max(acc[X0], ch[X0])
            if o > overlap and ch[TEXT].isalpha():
                best, overlap = i, o
        if best >= 0 and overlap >= 0.4 * width:
            base = out[best]
            letter = {"ı": "i", "ȷ": "j"}.get(base[TEXT], base[TEXT])  # dotless i and j take the accent's place
            out[best] = (base[X0], base[X1], base[BASE], base[SIZE], letter + ACCENTS[acc[TEXT]])
        else:
            # Not over a letter: the character itself ("~" in a URL), placed by position.
            plain = unicodedata.normalize("NFKC", acc[TEXT]).strip()
            out.append((acc[X0], acc[X1], acc[BASE], acc[SIZE], plain or acc[TEXT]))
            out.sort(key=lambda ch: ch[X0])
    return out


def find_gutter(segments: Sequence[Segment]) -> tuple[float, float] | None:
    """The gutter of a two-column page as (left, right) x, or None for any other page.

    The gutter is the widest vertical band in the middle of the text that the column text leaves
    empty, found in two steps. First the valley: the band that the fewest lines cover, give or take
    a few pieces of full-width lines (a word of a justified line stretched wide that lands over the
    gutter, the last line of an abstract that ends there). Then the rows that cross the valley as
    whole lines are left out (``_crossing_rows``: a title, an abstract, a caption), and the gutter is
    the band that the rest, the column text, leaves emptiest. The page is taken as two columns when
    the columns are of comparable width, lines on both sides of the band fill their column, and
    rows that cross it are no more than the lines that do not.
    """
    body = [s for s in segments if len(s.text) >= MIN_SEGMENT]
    if len(body) < 4:
        return None
    lo = min(s.x0 for s in body)
    hi = max(s.x1 for s in body)
    width = int(hi - lo) + 1
    if not 100 <= width <= 20000:  # too narrow for two columns; or a page no one prints
        return None
    a, b = int(width * 0.3), int(width * 0.7)
    cover = _cover(body, lo, width)
    least = min(cover[a:b])
    k, j = _widest_run(cover, a, b, least)
    # The valley: that band widened over a few pieces of full-width lines. Fewer than the lines on
    # either side of it, so that a column of a few lines (the end of an article) is no part of it.
    sides = min(sum(1 for s in body if s.x1 < lo + k), sum(1 for s in body if s.x0 >= lo + j))
    valley = _widest_run(cover, k, j, least + min(max(2, int(STRAY * len(body))), max(1, sides // 2)))
    crossing = _crossing_rows(segments, body, lo, valley)
    columns = [s for s in body if s.row not in crossing]
    if not columns:
        return None
    cover = _cover(columns, lo, width)
    a, b = max(a, valley[0]), min(b, valley[1])  # the valley was found from points in [a, b)
    k, j = _widest_run(cover, a, b, min(cover[a:b]))
    left_edge, right_edge = lo + k, lo + j
    size = _page_size(segments)
    if right_edge - left_edge < 0.6 * size:
        return None
    # Two columns of comparable width, each wide enough for a line of text: not the right-hand
    # words of a justified line stretched wide, on a page whose second column is empty.
    narrow, wide = sorted((left_edge - lo, hi - right_edge))
    if narrow < 10 * size or narrow < 0.5 * wide:
        return None
    left = [s for s in columns if s.x1 <= left_edge + 1]
    right = [s for s in columns if s.x0 >= right_edge - 1]
    across = len(crossing) + len(columns) - len(left) - len(right)
    if not left or not right or across > len(left) + len(right):
        return None
    # Columns of running text have full lines; a table's cells or a ragged list rarely do.
    full_left = sum(1 for s in left if s.x1 - s.x0 >= 0.6 * (left_edge - lo))
    full_right = sum(1 for s in right if s.x1 - s.x0 >= 0.6 * (hi - right_edge))
    if full_left == 0 or full_right == 0 or full_left + full_right < 4:
        return None
    return left_edge, right_edge


def _cover(segments: Sequence[Segment], lo: float, width: int) -> list[int]:
    """How many of the segments cover each point across the text (``width`` points from ``lo``), from a
    difference array: a segment covers the points from int(x0 - lo) to int(x1 - lo), both included."""
    cover = [0] * (width + 2)
    for s in segments:
        cover[int(s.x0 - lo)] += 1
        cover[int(s.x1 - lo) + 1] -= 1
    return list(itertools.accumulate(cover))


def _widest_run(cover: Sequence[int], a: int, b: int, limit: int) -> tuple[int, int]:
    """The widest run of points [k, j) covered ``limit`` times or fewer that has a point in [a, b)
    (there must be one); it may reach beyond [a, b) on either side."""
    width = len(cover) - 2
    best = (a, a)
    i = a
    while i < b:
        if cover[i] > limit:
            i += 1
            continue
        j = i
        while j < width and cover[j] <= limit:
            j += 1
        k = i
        while k > 0 and cover[k - 1] <= limit:
            k -= 1
        if j - k > best[1] - best[0]:
            best = (k, j)
        i = j
    return best


def _crossing_rows(segments: Sequence[Segment], body: Sequence[Segment], lo: float, valley: tuple[int, int]) -> set[int]:
    """The rows that cross the valley [k, j) (points from ``lo``) as whole lines, and so are no column text.

    Such a row has a line of text (a segment of ``body``) in the valley that spans it; or that has
    more of its row on both sides, a piece of a justified line stretched so wide that its words
    stand apart; or that comes into it from the left alone in its row, a full-width line set flush
    left that ends over the gutter. Any other line in the valley is column text: the ragged end of
    a line of the left column beside the right column's line of its row, or a line that starts in
    the valley, where a column starts.
    """
    k, j = valley
    rows: dict[int, list[Segment]] = {}
    for s in segments:
        rows.setdefault(s.row, []).append(s)
    crossing: set[int] = set()
    for s in body:
        first, last = int(s.x0 - lo), int(s.x1 - lo)
        if last < k or first >= j or s.row in crossing:
            continue
        before = any(t.x0 < s.x0 for t in rows[s.row])
        after = any(t.x0 > s.x0 for t in rows[s.row])
        spans, ends_in_it = first < k and last >= j, first < k and not after
        if spans or ends_in_it or (before and after):
            crossing.add(s.row)
    return crossing


def _read_rows(segments: Sequence[Segment]) -> list[Line]:
    """Lines of a page (or part) read row by row, the segments of a row joined by a space."""
    by_row: dict[int, list[Segment]] = {}
    for s in segments:
        by_row.setdefault(s.row, []).append(s)
    lines = []
    for row in sorted(by_row.values(), key=lambda r: min(s.base for s in r)):
        row.sort(key=lambda s: s.x0)
        # The edges of segments joined by a space run on: the space lies between them.
        edges = row[0].edges if len(row) == 1 else [x for s in row for x in s.edges]
        base, size = statistics.median([s.base for s in row]), max(s.size for s in row)
        lines.append(Line(" ".join(s.text for s in row), base, size, edges, row[0].number))
    return lines


def _read_columns(segments: Sequence[Segment], gutter: tuple[float, float]) -> list[Line]:
    """Lines of a two-column page: full-width rows in place, between them the left column, then the right."""
    left_edge, right_edge = gutter
    slack = 0.5 * _page_size(segments)
    side: dict[int, str] = {}
    for s in segments:
        if s.x1 <= right_edge + slack:
            side[id(s)] = "L"  # this includes a page number centred in the gutter
        elif s.x0 >= left_edge - slack:
            side[id(s)] = "R"
        else:
            side[id(s)] = "S"  # spans the gutter
    by_row: dict[int, list[Segment]] = {}
    for s in segments:
        by_row.setdefault(s.row, []).append(s)
    rows = sorted(by_row.values(), key=lambda r: min(s.base for s in r))
    # A running header or footer sits apart from the columns; read in a column it would land in
    # the middle of the text, between the foot of the left column and the head of the right.
    # The line pitch is measured within each column: the two columns' baselines need not align.
    alone = set()
    pitches: list[float] = []
    for column in ("L", "R"):
        bases = sorted({s.base for s in segments if side[id(s)] == column})
        pitches.extend(b - a for a, b in itertools.pairwise(bases))
    if len(rows) > 2 and pitches:
        pitch = statistics.median(pitches)
        if min(s.base for s in rows[1]) - max(s.base for s in rows[0]) > 1.5 * pitch:
            alone.add(0)
        if min(s.base for s in rows[-1]) - max(s.base for s in rows[-2]) > 1.5 * pitch:
            alone.add(len(rows) - 1)
    lines: list[Line] = []
    run: list[list[Segment]] = []

    def flush() -> None:
        for column in ("L", "R"):
            lines.extend(_read_rows([s for row in run for s in row if side[id(s)] == column]))
        run.clear()

    for i, row in enumerate(rows):
        if i in alone or _across(row, side, gutter):
            flush()
            lines.extend(_read_rows(row))
        else:
            run.append(row)
    flush()
    return lines


def _across(row: Sequence[Segment], side: dict[int, str], gutter: tuple[float, float]) -> bool:
    """Whether a row of a two-column page is one line across the page, to be read whole.

    It is when a segment spans the gutter; when a piece with letters in it lies over the gutter with
    more of the row on both sides, a word of a justified line stretched so wide that its words
    stand apart (not a line number set in the gutter); or when the row is such a line with the
    gutter in one of its spaces: single words, three or more on each side, the space across the
    gutter no wider than one and a half of its other spaces and not the gutter itself, which the
    two columns' lines of a row end and start at.
    """
    if any(side[id(s)] == "S" for s in row):
        return True
    if len(row) < 3:
        return False
    left_edge, right_edge = gutter
    ordered = sorted(row, key=lambda s: s.x0)
    for s in ordered[1:-1]:
        if s.x0 < right_edge and s.x1 > left_edge and any(c.isalpha() for c in s.text):
            return True
    middle = (left_edge + right_edge) / 2
    split = sum(1 for s in ordered if s.x1 <= middle)
    if split < 3 or len(ordered) - split < 3 or any(" " in s.text for s in ordered):
        return False
    before, after = ordered[split - 1], ordered[split]
    if after.x0 < middle:  # something over the middle of the gutter that is no word (words were seen to above)
        return False
    gaps = [t.x0 - s.x1 for s, t in itertools.pairwise(ordered)]
    space = gaps.pop(split - 1)
    edges = abs(before.x1 - left_edge) + abs(after.x0 - right_edge) <= 0.4 * before.size
    return not edges and space <= 1.5 * statistics.median(gaps)


def _join_lines(lines: Sequence[Line]) -> str:
    """Lines joined by newlines, with a blank line where the gap above a line is a paragraph break;
    each line's ``start`` is set to where it starts in the text.

    The line pitch is measured per font size, so that a reference list in a smaller font is
    judged by its own spacing; a line above the previous one (the head of the next column) never
    starts a paragraph by position alone.
    """
    if not lines:
        return ""
    steps: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        step = b.base - a.base
        if round(a.size * 2) == round(b.size * 2) and 0 < step <= 2.5 * b.size:
            steps.setdefault(round(b.size * 2) / 2, []).append(step)
    # The lower quartile, not the median: in a reference list of two-line entries half the steps
    # are gaps between entries.
    pitch = {size: sorted(v)[len(v) // 4] for size, v in steps.items()}

    def pitch_of(line: Line) -> float:
        return pitch.get(round(line.size * 2) / 2, 1.2 * line.size)

    out = [lines[0].text]
    lines[0].start = at = 0
    for a, b in itertools.pairwise(lines):
        step = b.base - a.base
        gap = "\n\n" if step > PARAGRAPH * min(pitch_of(a), pitch_of(b)) else "\n"
        out.append(gap)
        out.append(b.text)
        at += len(a.text) + len(gap)
        b.start = at  # where the line starts in the text returned
    return "".join(out)


# A line's glyphs reach this far above and below its baseline, in multiples of its font size: the
# ascenders and descenders of the common text faces, so that a highlight covers the line's letters
# and none of the line above or below (set 1.2 em apart).
ASCENT = 0.8
DESCENT = 0.25

# An affine map from a page's layout frame (x, baseline measured downwards) to the PDF's default
# user space: (x, b) -> (xx * x + xb * b + x0, yx * x + yb * b + y0), as (xx, xb, x0, yx, yb, y0).
Frame = tuple[float, float, float, float, float, float]


class Anchors:
    """Where each line of a PDF's text lies on its page, for an annotator to find a span again.

    Per line of ``Source.text``, in offset order: ``starts`` (its offset), ``page`` (0-based),
    ``base`` and ``size`` (its baseline and font size), and its characters' ``edges``, the x
    positions between them (``segment_edges``), one more than the line has characters, from
    ``first[i]`` to ``first[i + 1]``; the newline after a line lies at its last edge. These are in
    the layout frame of the page; ``frames[page]`` maps them to the page's default user space
    (None: not known, and the page is not annotated). Arrays of 32-bit floats, so four bytes a
    character (a 100-page article's 700,000 take 2.8 MB): integers in steps of a sixteenth of a
    point would take half that, and cost three times the time, which in Python is per character.
    """

    __slots__ = ("base", "edges", "first", "frames", "page", "size", "starts")

    def __init__(self) -> None:
        self.starts = array("q")
        self.page = array("i")
        self.base = array("f")
        self.size = array("f")
        self.first = array("q", [0])
        self.edges = array("f")
        self.frames: dict[int, Frame | None] = {}

    def add_page(self, page: int, offset: int, lines: Sequence[Line], frame: Frame | None) -> None:
        """The lines of page ``page`` (0-based), whose text starts at ``offset`` in the whole text."""
        self.frames[page] = frame
        add = self.edges.fromlist  # twice as fast as extend(): a list it can read directly
        for line in lines:
            add(line.edges)
        self.first.extend(islice(accumulate((len(line.edges) for line in lines), initial=self.first[-1]), 1, None))
        self.starts.extend([offset + line.start for line in lines])
        self.page.extend(repeat(page, len(lines)))
        self.base.extend([line.base for line in lines])
        self.size.extend([line.size for line in lines])

    def quads(self, start: int, end: int) -> list[tuple[int, tuple[float, ...]]]:
        """The text ``[start, end)`` as a quadrilateral on each line it touches: (page, the four
        corners upper left, upper right, lower left, lower right as x, y in user space), as
        /QuadPoints orders them. Lines of pages without a frame are left out."""
        starts, first, edges = self.starts, self.first, self.edges
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        out: list[tuple[int, tuple[float, ...]]] = []
        while i < len(starts) and starts[i] < end:
            at, k = starts[i], first[i]
            n = first[i + 1] - k - 1  # characters of the line
            a, b = max(start, at) - at, min(end, at + n) - at
            frame = self.frames.get(self.page[i])
            if a < b and frame is not None:
                xs = edges[k + a : k + b + 1]
                lo, hi = min(xs), max(xs)
                base, size = self.base[i], self.size[i]
                top, bottom = base - ASCENT * size, base + DESCENT * size
                xx, xb, x0, yx, yb, y0 = frame
                corners: list[float] = []
                for x, y in ((lo, top), (hi, top), (lo, bottom), (hi, bottom)):
                    corners.extend((xx * x + xb * y + x0, yx * x + yb * y + y0))
                out.append((self.page[i], tuple(corners)))
            i += 1
        return out
