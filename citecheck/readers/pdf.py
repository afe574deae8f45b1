"""Reading a PDF manuscript: the text layer of each page, in reading order, as a ``Source``.

Input: the path of a PDF file. Output: a ``Source`` whose text is the pages' text one after the
other, separated by a blank line, and whose ``pages`` are the offsets where each page's text starts.
Within a page, lines are separated by a newline and paragraphs (a vertical gap wider than the line
spacing) by a blank line, like ``fixtures/pdf-extracted.txt``. A page set in two columns is read
left column first, with full-width parts (the title block, a wide figure caption) in their place.
Running headers, footers and page numbers are kept, each on a line of its own, and words hyphenated
at line ends are left as they are: ``layout.py`` blanks the first and rejoins the second. Characters
are NFKC-normalised (ligatures become letters), accents drawn as glyphs of their own are put on
their letters, soft hyphens are dropped (one that ends a line reads as the hyphen it shows), and the
line numbers of a manuscript under review are left out. ``notes`` say what could not be read.

pdfminer.six (the parser under pdfplumber) interprets the content streams; the characters are
collected here by a small device rather than through pdfplumber's page objects, which cost three
times as much for the positions this module needs. A file that cannot be read raises ``InputError``
with one line naming it: encrypted, without a text layer, corrupt or truncated, or too long.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import statistics
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from pdfminer.pdfdevice import PDFTextDevice, PDFTextSeq
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect, PDFXRefFallback
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import int_value, stream_value
from pdfminer.utils import Matrix, Point

from citecheck.errors import InputError
from citecheck.model import Source, make_source
from citecheck.read import read_bytes

if TYPE_CHECKING:
    from pdfminer.pdfcolor import PDFColorSpace
    from pdfminer.pdfinterp import PDFGraphicState
    from pdfminer.pdftypes import PDFStream

# pdfminer logs recoverable oddities of a file as warnings; without a handler of its own Python
# would print them on stderr, between the report's lines. An application that wants them can
# still attach a handler to the "pdfminer" logger.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

MAX_PAGES = 2000
TRUNCATED = "it is truncated (no %%EOF marker at its end); download or export it again"

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


def read_pdf(path: str) -> Source:
    """Read a PDF's text layer; raises ``InputError`` with one line when the file cannot be read."""
    data = read_bytes(path, "PDF")
    if not data:
        raise InputError(f"{path}: is not a readable PDF: the file is empty")
    # Viewers accept a few bytes of junk before the header; anything else is not a PDF at all.
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: is not a readable PDF: it does not start with %PDF- (is it a PDF at all?)")
    # A download cut short loses the end of the file, where the %%EOF marker and the main
    # cross-reference table live; pdfminer then rebuilds what it can, which is not the whole document.
    truncated = b"%%EOF" not in data[-2048:]
    try:
        doc = PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise InputError(f"{path}: is encrypted; remove the password and try again") from None
    except PDFEncryptionError as exc:
        raise InputError(f"{path}: is encrypted ({_reason(exc)}); remove the encryption and try again") from None
    except Exception as exc:  # pdfminer raises all kinds of errors on a damaged file; each means the same here
        raise InputError(f"{path}: is not a readable PDF: {TRUNCATED if truncated else _reason(exc)}") from None
    rebuilt = any(isinstance(x, PDFXRefFallback) for x in doc.xrefs)
    if truncated and rebuilt:
        raise InputError(f"{path}: is not a readable PDF: {TRUNCATED}")
    pages = _pages(path, doc)
    problems = Problems()
    log = logging.getLogger("pdfminer")
    log.addHandler(problems)
    try:
        texts, notes, unmapped = _read_pages(path, pages, truncated)
    finally:
        log.removeHandler(problems)
    if rebuilt:
        notes.insert(0, "the PDF's cross-reference table is damaged; its objects were found by scanning the file")
    text, starts = join_pages(texts)
    if not text.strip():
        # No text at all: a damaged file whose streams pdfminer skipped with a warning, fonts that
        # give no Unicode for their glyphs, or (by far the most common) a scan.
        if problems.messages:
            raise InputError(f"{path}: is not a readable PDF: {_reason(problems.messages[0])}")
        if unmapped:
            raise InputError(f"{path}: has text only in fonts without a Unicode map, which cannot be read; run OCR on it")
        raise InputError(f"{path}: has no text layer (a scanned document?); run OCR on it first")
    return make_source(text, path=path, encoding="pdf", notes=tuple(notes), pages=starts, format="pdf")


class Problems(logging.Handler):
    """Collects the first few warnings pdfminer logs while reading: the only sign of a damaged
    stream, which it skips rather than raise."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 3:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # a malformed log call must not break the reading
                self.messages.append(str(record.msg))


def _reason(exc: BaseException | str) -> str:
    """An exception as one short printable line, for the end of an ``InputError`` message."""
    words = " ".join(str(exc).split()) or type(exc).__name__
    words = "".join(c if c.isprintable() else "?" for c in words)
    return words if len(words) <= 160 else words[:157] + "..."


def _pages(path: str, doc: PDFDocument) -> list[PDFPage]:
    """The page objects, refusing a document with more than ``MAX_PAGES`` before any is interpreted."""
    pages: list[PDFPage] = []
    try:
        for page in PDFPage.create_pages(doc):
            pages.append(page)
            if len(pages) > MAX_PAGES:
                raise InputError(f"{path}: has more than {MAX_PAGES:,} pages; split it and audit the parts")
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{path}: is not a readable PDF: {_reason(exc)}") from None
    if not pages:
        raise InputError(f"{path}: is not a readable PDF: it has no pages")
    return pages


def _read_pages(path: str, pages: Sequence[PDFPage], truncated: bool) -> tuple[list[str], list[str], int]:
    """Each page's text, notes on what could not be read, and the count of glyphs without Unicode."""
    rsrcmgr = PDFResourceManager()
    device = Collector(rsrcmgr)
    interpreter = PDFPageInterpreter(rsrcmgr, device)
    texts: list[str] = []
    failed: list[tuple[int, str]] = []
    scanned: list[int] = []
    unmapped = rotated = lined = 0
    for number, page in enumerate(pages, 1):
        try:
            interpreter.process_page(page)
        except Exception as exc:  # one broken content stream should not lose the other pages
            failed.append((number, _reason(exc)))
            texts.append("")
            continue
        chars, left_out = device.upright_chars()
        text, numbered = page_text(chars, lined > 0)
        texts.append(text)
        lined += numbered
        unmapped += device.unmapped
        rotated += left_out
        if not texts[-1] and _undecodable(page):
            failed.append((number, "its content cannot be decompressed"))
        elif device.images and not texts[-1]:
            scanned.append(number)
    if failed and (truncated or len(failed) == len(pages)):
        reason = TRUNCATED if truncated else failed[0][1]
        raise InputError(f"{path}: is not a readable PDF: {reason}")
    notes = []
    if failed:
        notes.append(f"{_page_list([n for n, _ in failed])} could not be read ({failed[0][1]}); their text is missing")
    if scanned and len(scanned) < len(pages):
        notes.append(f"{_page_list(scanned)} only an image (scanned?); their text is missing, run OCR to include it")
    if lined:
        notes.append(f"line numbers in the left margin of {lined} page{'s' if lined > 1 else ''} were left out")
    if unmapped:
        notes.append(f"{unmapped} characters in fonts without a Unicode map were left out")
    if rotated:
        notes.append(f"{rotated} characters of rotated or vertical text were left out")
    return texts, notes, unmapped


def _undecodable(page: PDFPage) -> bool:
    """Whether a content stream of the page has data that decodes to nothing.

    pdfminer reads a stream whose compressed data is damaged as empty, without a word; an empty
    page is then not a blank page but a broken one.
    """
    for ref in page.contents:
        try:
            stream = stream_value(ref)
            if int_value(stream.get("Length", 0)) > 16 and not stream.get_data():
                return True
        except Exception:  # a stream too broken to look at is broken too
            return True
    return False


def _page_list(numbers: Sequence[int]) -> str:
    """Page numbers for a note, runs collapsed: "page 3 has", "pages 2–4, 9 have"."""
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}–{numbers[j]}")
        i = j + 1
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(parts) + (" has" if len(numbers) == 1 else " have")


def join_pages(texts: Sequence[str]) -> tuple[str, tuple[int, ...]]:
    """The pages' texts separated by a blank line, and the offset where each starts."""
    starts = []
    pos = 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 2
    return "\n\n".join(texts), tuple(starts)


class Collector(PDFTextDevice):
    """A pdfminer device that keeps, for each glyph drawn on the page, only what layout needs."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr)
        self.chars: list[Char] = []
        self.unmapped = 0  # glyphs whose font gives no Unicode text
        self.rotated = 0  # glyphs not set left to right on a horizontal baseline
        # Glyphs set a quarter, half or three quarters turned, in the frame where they run left to
        # right: a landscape table on a portrait page is read in its own orientation.
        self.turned: dict[int, list[Char]] = {}
        self.images = 0
        # (font, glyph id) -> (text, width); fonts are kept by the resource manager for the document.
        self._glyphs: dict[tuple[PDFFont, int], tuple[str, float]] = {}
        self._box = (float("-inf"), float("-inf"), float("inf"), float("inf"))

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        self.chars = []
        self.unmapped = self.rotated = self.images = 0
        self.turned = {}
        # Text outside the crop box is not shown by viewers (printers' marks, hidden leftovers).
        x0, y0, x1, y1 = page.cropbox
        a, b, c, d, e, f = ctm
        xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
        ys = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
        self._box = (min(xs) - 2, -max(ys) - 2, max(xs) + 2, -min(ys) + 2)

    def render_image(self, name: str, stream: PDFStream) -> None:
        self.images += 1

    def render_char(
        self,
        matrix: Matrix,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        rise: float,
        cid: int,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> float:
        # Only vertical writing comes here (horizontal text is handled below without this call).
        self.rotated += 1
        return font.char_width(cid) * fontsize * scaling

    def render_string_horizontal(
        self,
        seq: PDFTextSeq,
        matrix: Matrix,
        pos: Point,
        font: PDFFont,
        fontsize: float,
        scaling: float,
        charspace: float,
        wordspace: float,
        rise: float,
        dxscale: float,
        ncs: PDFColorSpace,
        graphicstate: PDFGraphicState,
    ) -> Point:
        # The same walk as pdfminer's, minus the LTChar object per glyph that costs most of its time.
        x, y = pos
        a, b, c, d, e, f = matrix
        # Left to right on a (nearly) horizontal baseline; anything else is rotated text.
        horizontal = a > 0 and d > 0 and abs(b) <= 0.1 * a and abs(c) <= d
        size = abs(fontsize * d) if horizontal else abs(fontsize) * math.hypot(c, d)
        if not 0 < size < 10000:  # a zero, absurd or NaN size from a malformed file; any size reads
            size = 10.0
        turn = None if horizontal else _quarter_turn(a, b)
        if turn is not None:
            scale = math.hypot(a, b)
            cos, sin = ((1, 0), (0, 1), (-1, 0), (0, -1))[turn]
            turned = self.turned.setdefault(turn, [])
        ty = y + rise
        bx0, by0, bx1, by1 = self._box
        chars = self.chars
        glyphs = self._glyphs
        needcharspace = False
        for obj in seq:
            if isinstance(obj, (int, float)):
                x -= obj * dxscale
                needcharspace = True
                continue
            if not isinstance(obj, bytes):
                continue
            for cid in font.decode(obj):
                if needcharspace:
                    x += charspace
                glyph = glyphs.get((font, cid))
                if glyph is None:
                    glyph = glyphs[font, cid] = self._glyph(font, cid)
                text, width = glyph
                adv = width * fontsize * scaling
                if not horizontal:
                    self.rotated += 1
                    if text and turn is not None:
                        # Rotated into the frame where this text runs left to right.
                        ox, oy = a * x + c * ty + e, b * x + d * ty + f
                        x0 = ox * cos + oy * sin
                        turned.append((x0, x0 + abs(adv) * scale, ox * sin - oy * cos, size, text))
                elif text:
                    x0 = a * x + c * ty + e
                    base = -(b * x + d * ty + f)
                    if bx0 <= x0 <= bx1 and by0 <= base <= by1:
                        x1 = x0 + a * adv
                        # A malformed width must not stretch a glyph off the page (or backwards).
                        chars.append((x0, x1 if x0 <= x1 <= bx1 else min(max(x0, bx1), x0 + size), base, size, text))
                elif cid != 32:
                    self.unmapped += 1
                x += adv
                if cid == 32 and wordspace:
                    x += wordspace
                needcharspace = True
        return (x, y)

    def upright_chars(self) -> tuple[list[Char], int]:
        """The glyphs of the page's main orientation, and how many glyphs in other orientations are
        left out. Most pages are upright; a page whose text is mostly turned is read turned."""
        chars = self.chars
        turned = max(self.turned.values(), key=len, default=[])
        if len(turned) > 2 * len(chars):  # clearly: not an arXiv stamp beside a short page
            return turned, self.rotated - len(turned) + len(chars)
        return chars, self.rotated

    @staticmethod
    def _glyph(font: PDFFont, cid: int) -> tuple[str, float]:
        try:
            raw = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            raw = ""
        return plain(raw), font.char_width(cid)


def plain(raw: str) -> str:
    """A glyph's text in plain characters: NFKC (ligatures, full-width and no-break forms), control
    characters as spaces, zero-width ones dropped. Spacing accents and soft hyphens are kept for
    ``segment_text``, which needs to see where they stand."""
    if raw in ACCENTS:  # normalised once placed: over a letter it becomes a combining mark
        return raw
    text = raw if raw.isascii() else unicodedata.normalize("NFKC", raw)
    return text.translate(_INVISIBLE)


def _quarter_turn(a: float, b: float) -> int | None:
    """0-3 quarter turns anticlockwise of a baseline direction (a, b); None if it is skewed."""
    angle = math.atan2(b, a)
    turn = round(angle / (math.pi / 2))
    if abs(angle - turn * math.pi / 2) > 0.05:
        return None
    return turn % 4


class Segment:
    """A run of glyphs on one row with no gap wider than ``SPLIT_GAP`` in it: a line of one column."""

    __slots__ = ("base", "chars", "row", "size", "text", "x0", "x1")

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


class Line:
    """One line of output text and where it sits on the page."""

    __slots__ = ("base", "size", "text")

    def __init__(self, text: str, base: float, size: float) -> None:
        self.text = text
        self.base = base
        self.size = size


def page_text(chars: Sequence[Char], numbered: bool = False) -> tuple[str, bool]:
    """The text of one page from its glyphs: lines in reading order, paragraphs apart; and whether
    line numbers in the margin were left out (``numbered``: earlier pages had them)."""
    segments = _segments(chars)
    if not segments:
        return "", False
    for s in segments:
        s.text = segment_text(s.chars)
    segments, numbered = _drop_line_numbers([s for s in segments if s.text], numbered)
    gutter = find_gutter(segments)
    lines = _read_columns(segments, gutter) if gutter else _read_rows(segments)
    return _join_lines(lines), numbered


def _drop_line_numbers(segments: list[Segment], expected: bool = False) -> tuple[list[Segment], bool]:
    """The segments less the line numbers of a manuscript under review, and whether there were any.

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
    return [s for s in segments if id(s) not in numbers], True


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
    return _attach_small(segments)


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
    glyphs = _place_accents(chars)
    out: list[str] = []
    prev: Char | None = None
    for ch in glyphs:
        t = ch[TEXT]
        if t.isspace():
            if out and out[-1] != " ":
                out.append(" ")
            continue
        if prev is not None:
            # Fake bold draws each glyph twice, a fraction of a point apart.
            if t == prev[TEXT] and abs(ch[X0] - prev[X0]) < 0.3 * max(prev[X1] - prev[X0], 0.1 * ch[SIZE]):
                continue
            if ch[X0] - prev[X1] > WORD_GAP * max(ch[SIZE], prev[SIZE]) and out[-1] != " ":
                out.append(" ")
        out.append(t)
        prev = ch
    text = "".join(out).strip()
    if SOFT_HYPHEN in text:
        # A soft hyphen is printed only where the line breaks; there it reads as the hyphen it shows,
        # which layout.py rejoins. Anywhere else it marks a possible break and carries no text.
        tail = "-" if text.endswith(SOFT_HYPHEN) else ""
        text = text.replace(SOFT_HYPHEN, "") + tail
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


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

    The gutter is the widest vertical band in the middle of the text that the fewest lines cross;
    only lines that run across the whole page (a title, an abstract) may cross it. The page is
    taken as two columns when the columns are of comparable width, lines on both sides of the band
    fill their column, and lines that cross it are no more than those that do not.
    """
    body = [s for s in segments if len(s.text) >= MIN_SEGMENT]
    if len(body) < 4:
        return None
    lo = min(s.x0 for s in body)
    hi = max(s.x1 for s in body)
    width = int(hi - lo) + 1
    if not 100 <= width <= 20000:  # too narrow for two columns; or a page no one prints
        return None
    # How many lines cover each point across the text, from a difference array.
    cover = [0] * (width + 2)
    for s in body:
        cover[int(s.x0 - lo)] += 1
        cover[int(s.x1 - lo) + 1] -= 1
    for i in range(1, len(cover)):
        cover[i] += cover[i - 1]
    a, b = int(width * 0.3), int(width * 0.7)
    least = min(cover[a:b])
    best: tuple[int, int] | None = None
    i = a
    while i < b:
        if cover[i] != least:
            i += 1
            continue
        j = i
        while j < width and cover[j] == least:
            j += 1
        k = i
        while k > 0 and cover[k - 1] == least:
            k -= 1
        if best is None or j - k > best[1] - best[0]:
            best = (k, j)
        i = j
    if best is None:
        return None
    left_edge, right_edge = lo + best[0], lo + best[1]
    size = _page_size(segments)
    if right_edge - left_edge < 0.6 * size:
        return None
    # Two columns of comparable width, each wide enough for a line of text: not the right-hand
    # words of a justified line stretched wide, on a page whose second column is empty.
    narrow, wide = sorted((left_edge - lo, hi - right_edge))
    if narrow < 10 * size or narrow < 0.5 * wide:
        return None
    left = [s for s in body if s.x1 <= left_edge + 1]
    right = [s for s in body if s.x0 >= right_edge - 1]
    across = len(body) - len(left) - len(right)
    if not left or not right or across > len(left) + len(right):
        return None
    # Columns of running text have full lines; a table's cells or a ragged list rarely do.
    full_left = sum(1 for s in left if s.x1 - s.x0 >= 0.6 * (left_edge - lo))
    full_right = sum(1 for s in right if s.x1 - s.x0 >= 0.6 * (hi - right_edge))
    if full_left == 0 or full_right == 0 or full_left + full_right < 4:
        return None
    return left_edge, right_edge


def _read_rows(segments: Sequence[Segment]) -> list[Line]:
    """Lines of a page (or part) read row by row, the segments of a row joined by a space."""
    by_row: dict[int, list[Segment]] = {}
    for s in segments:
        by_row.setdefault(s.row, []).append(s)
    lines = []
    for row in sorted(by_row.values(), key=lambda r: min(s.base for s in r)):
        row.sort(key=lambda s: s.x0)
        lines.append(Line(" ".join(s.text for s in row), statistics.median([s.base for s in row]), max(s.size for s in row)))
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
        if i in alone or any(side[id(s)] == "S" for s in row):
            flush()
            lines.extend(_read_rows(row))
        else:
            run.append(row)
    flush()
    return lines


def _join_lines(lines: Sequence[Line]) -> str:
    """Lines joined by newlines, with a blank line where the gap above a line is a paragraph break.

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
    for a, b in itertools.pairwise(lines):
        step = b.base - a.base
        out.append("\n\n" if step > PARAGRAPH * min(pitch_of(a), pitch_of(b)) else "\n")
        out.append(b.text)
    return "".join(out)
