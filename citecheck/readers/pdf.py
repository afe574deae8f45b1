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

What a person finds a place by comes along: ``page_labels``, the label a viewer shows for each page
(``pdf_labels`` reads them), ``line_numbers``, the number printed in the margin beside each line
that has one, and ``anchors``, where each line and character of the text lies on its page, in the
page's default user space (``pdf_layout.Anchors``), from which ``annotate/pdf.py`` writes highlights.

pdfminer.six interprets the content streams; the characters are collected here by a small
device rather than through a layout library's page objects (pdfplumber's cost three times as
much for the positions this module needs), and ``pdf_layout`` turns them into lines and columns.
A file that cannot be read raises ``InputError`` with one line naming it: encrypted, without a
text layer, corrupt or truncated, too long, or hostile: ``pdf_limits`` holds pdfminer to
a budget of memory and time, and the interpreter and device here keep what a page may pile up
bounded.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, cast

from pdfminer.pdfdevice import PDFTextDevice, PDFTextSeq
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFNoPageLabels, PDFPasswordIncorrect, PDFXRefFallback
from pdfminer.pdffont import PDFFont, PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import int_value, stream_value
from pdfminer.utils import Matrix, Point

from citecheck.errors import InputError
from citecheck.model import Source, make_source
from citecheck.read import read_bytes
from citecheck.readers.pdf_labels import page_labels
from citecheck.readers.pdf_layout import Anchors, Char, Frame, page_lines, plain
from citecheck.readers.pdf_limits import Exceeded, TooLarge, check_time, limited

if TYPE_CHECKING:
    from pdfminer.pdfcolor import PDFColorSpace
    from pdfminer.pdfinterp import PDFGraphicState, PDFStackT
    from pdfminer.pdftypes import PDFStream

# pdfminer logs recoverable oddities of a file as warnings; without a handler of its own Python
# would print them on stderr, between the report's lines. An application that wants them can
# still attach a handler to the "pdfminer" logger.
logging.getLogger("pdfminer").addHandler(logging.NullHandler())

MAX_PAGES = 2000
# Bytes all of a document's streams may decompress to. A 30-page article's content streams and
# fonts take a few MB and a 2,000-page book's about a hundred; a decompression bomb passes this
# within a second, before it can exhaust memory.
MAX_INFLATED = 256 * 1024 * 1024
# Seconds one document may take to read: a 30-page article takes under a second and a 2,000-page
# book (``MAX_PAGES``) about 25 s on a 2-core machine, so this leaves a slower machine room, and a
# file built to keep pdfminer busy for ever is stopped. A limit by page count would refuse a short
# document with one huge figure.
MAX_SECONDS = 120.0
# Glyphs one page may draw: a dense page has about 10,000, and one form drawn over and over could
# otherwise draw billions, each kept until the page ends.
MAX_GLYPHS = 200_000
# Forms and images one page may draw ("Do"). A page draws a few, a plot a marker for each point;
# a form that draws the next one twice, forty deep, would draw 2**40. Past this the page's further
# forms and images are not drawn, and a note says so.
MAX_DRAWN = 50_000
UNDRAWN = "forms or images to draw; those past it were not drawn and any text in them is missing"
# Graphics states saved (q) and not yet restored (Q). Real pages nest a few; some writers never
# restore, and those states are never needed again.
MAX_SAVED = 4096
TRUNCATED = "it is truncated (no %%EOF marker at its end); download or export it again"


def read_pdf(path: str) -> Source:
    """Read a PDF's text layer; raises ``InputError`` with one line when the file cannot be read."""
    data = read_bytes(path, "PDF")
    if not data:
        raise InputError(f"{path}: is not a readable PDF: the file is empty")
    # Viewers accept a few bytes of junk before the header; anything else is not a PDF at all.
    if b"%PDF-" not in data[:1024]:
        raise InputError(f"{path}: is not a readable PDF: it does not start with %PDF- (is it a PDF at all?)")
    with limited(MAX_INFLATED, MAX_SECONDS) as budget:
        try:
            source = _read_document(path, data)
        except (InputError, Exceeded):
            if not budget.exceeded:
                raise
    if budget.exceeded:  # whatever pdfminer made of it: a stream stopped, a page or font given up
        raise InputError(f"{path}: is not a readable PDF: {budget.reason}")
    return source


def _read_document(path: str, data: bytes) -> Source:
    # A download cut short loses the end of the file, where the %%EOF marker and the main
    # cross-reference table live; pdfminer then rebuilds what it can, which is not the whole document.
    truncated = b"%%EOF" not in data[-2048:]
    try:
        doc = Document(PDFParser(io.BytesIO(data)))
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
    labels, unlabelled = page_labels(doc, len(pages))
    problems = Problems()
    log = logging.getLogger("pdfminer")
    log.addHandler(problems)
    try:
        texts, notes, unmapped, anchors, numbers = _read_pages(path, pages, truncated)
    finally:
        log.removeHandler(problems)
    if rebuilt:
        notes.insert(0, "the PDF's cross-reference table is damaged; its objects were found by scanning the file")
    if unlabelled:
        notes.append(unlabelled)
    text, starts = join_pages(texts)
    if not text.strip():
        # No text at all: a damaged file whose streams pdfminer skipped with a warning, fonts that
        # give no Unicode for their glyphs, or (by far the most common) a scan.
        if problems.messages:
            raise InputError(f"{path}: is not a readable PDF: {_reason(problems.messages[0])}")
        crowded = [note for note in notes if note.endswith(UNDRAWN)]
        if crowded:  # no scan: a form drawn over and over
            raise InputError(f"{path}: is not a readable PDF: {crowded[0]}")
        if unmapped:
            raise InputError(f"{path}: has text only in fonts without a Unicode map, which cannot be read; run OCR on it")
        raise InputError(f"{path}: has no text layer (a scanned document?); run OCR on it first")
    return make_source(
        text,
        path=path,
        encoding="pdf",
        notes=tuple(notes),
        pages=starts,
        format="pdf",
        page_labels=labels,
        line_numbers=numbers,
        anchors=anchors,
    )


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
    if isinstance(exc, RecursionError):  # pdfminer walks trees recursively, loops in them too
        return "its objects nest too deeply or refer to one another in a loop"
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


def _read_pages(
    path: str, pages: Sequence[PDFPage], truncated: bool
) -> tuple[list[str], list[str], int, Anchors, tuple[tuple[int, int], ...]]:
    """Each page's text, notes on what could not be read, the count of glyphs without Unicode,
    where the lines lie on their pages, and the line numbers printed beside them (offsets in the
    text of ``join_pages``)."""
    rsrcmgr = PDFResourceManager()
    device = Collector(rsrcmgr)
    interpreter = Interpreter(rsrcmgr, device)
    texts: list[str] = []
    anchors = Anchors()
    numbers: list[tuple[int, int]] = []
    offset = 0  # where the page's text starts in the text of join_pages
    failed: list[tuple[int, str]] = []
    scanned: list[int] = []
    crowded: list[int] = []  # pages that draw more than MAX_DRAWN forms and images
    unmapped = rotated = lined = 0
    for number, page in enumerate(pages, 1):
        check_time()  # between pages too: laying them out is this module's work, which pdfminer's checks miss
        try:
            interpreter.process_page(page)
        except Exception as exc:  # one broken content stream should not lose the other pages
            failed.append((number, _reason(exc)))
            texts.append("")
            offset += 2
            continue
        chars, left_out, turn = device.upright_chars()
        text, numbered, lines = page_lines(chars, lined > 0)
        texts.append(text)
        anchors.add_page(number - 1, offset, lines, user_frame(device.ctm, turn))
        numbers.extend((offset + line.start, line.number) for line in lines if line.number is not None)
        offset += len(text) + 2
        lined += numbered
        unmapped += device.unmapped
        rotated += left_out
        if device.undrawn:
            crowded.append(number)
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
    if crowded:
        notes.append(f"{_page_list(crowded)} more than {MAX_DRAWN:,} {UNDRAWN}")
    if lined:
        notes.append(f"line numbers in the left margin of {lined} page{'s' if lined > 1 else ''} were left out")
    if unmapped:
        notes.append(f"{unmapped} characters in fonts without a Unicode map were left out")
    if rotated:
        notes.append(f"{rotated} characters of rotated or vertical text were left out")
    return texts, notes, unmapped, anchors, tuple(numbers)


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


class Document(PDFDocument):
    """pdfminer's document without its page labels: ``pdf_labels`` reads them.

    pdfminer walks the labels' number tree whole, recursively, before the first page; a tree whose
    nodes name the next one twice over, thirty deep, has a billion leaves.
    """

    def get_page_labels(self) -> Iterator[str]:
        raise PDFNoPageLabels


class Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter with what a page piles up kept bounded.

    pdfminer keeps every operand until an operator takes the last few, every saved graphics state
    until it is restored, and every path segment until the path is painted: a content stream of a
    billion "1", "q" or "0 0 l" (a few megabytes compressed) would fill memory. Here operands no
    operator can reach are dropped, so are the oldest saved states past ``MAX_SAVED``, and paths,
    which a text reader never looks at, are not kept at all.
    """

    def push(self, obj: PDFStackT) -> None:
        stack = self.argstack
        if len(stack) >= 1024:
            del stack[:-64]  # an operator takes at most 33 operands (a colour of 32 inks and a pattern)
        stack.append(obj)

    def do_Do(self, xobjid_arg: PDFStackT) -> None:
        device = cast(Collector, self.device)
        if device.drawn >= MAX_DRAWN:
            device.undrawn += 1
            return
        device.drawn += 1
        super().do_Do(xobjid_arg)

    def do_q(self) -> None:
        if len(self.gstack) >= MAX_SAVED:
            del self.gstack[0]
        super().do_q()

    # pdfminer pops as many operands as an operator's method has parameters: these keep the counts.
    def do_m(self, x: PDFStackT, y: PDFStackT) -> None:
        pass

    def do_l(self, x: PDFStackT, y: PDFStackT) -> None:
        pass

    def do_c(self, x1: PDFStackT, y1: PDFStackT, x2: PDFStackT, y2: PDFStackT, x3: PDFStackT, y3: PDFStackT) -> None:
        pass

    def do_v(self, x2: PDFStackT, y2: PDFStackT, x3: PDFStackT, y3: PDFStackT) -> None:
        pass

    def do_y(self, x1: PDFStackT, y1: PDFStackT, x3: PDFStackT, y3: PDFStackT) -> None:
        pass

    def do_h(self) -> None:
        pass

    def do_re(self, x: PDFStackT, y: PDFStackT, w: PDFStackT, h: PDFStackT) -> None:
        pass


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
        self.drawn = self.undrawn = 0  # forms and images drawn on the page, and those past MAX_DRAWN
        # (font, glyph id) -> (text, width); fonts are kept by the resource manager for the document.
        self._glyphs: dict[tuple[PDFFont, int], tuple[str, float]] = {}
        self._box = (float("-inf"), float("-inf"), float("inf"), float("inf"))
        self.ctm: Matrix = (1, 0, 0, 1, 0, 0)  # the page's, from its user space to the device's

    def begin_page(self, page: PDFPage, ctm: Matrix) -> None:
        self.ctm = ctm
        self.chars = []
        self.unmapped = self.rotated = self.images = self.drawn = self.undrawn = 0
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
            if len(chars) + self.rotated + len(obj) > MAX_GLYPHS:  # a byte or more for each glyph
                raise TooLarge(f"it draws more than {MAX_GLYPHS:,} characters on one page (a form drawn over and over?)")
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

    def upright_chars(self) -> tuple[list[Char], int, int]:
        """The glyphs of the page's main orientation, how many glyphs in other orientations are
        left out, and the quarter turns of that orientation. Most pages are upright; a page whose
        text is mostly turned is read turned."""
        chars = self.chars
        turn, turned = max(self.turned.items(), key=lambda item: len(item[1]), default=(0, []))
        if len(turned) > 2 * len(chars):  # clearly: not an arXiv stamp beside a short page
            return turned, self.rotated - len(turned) + len(chars), turn
        return chars, self.rotated, 0

    @staticmethod
    def _glyph(font: PDFFont, cid: int) -> tuple[str, float]:
        try:
            raw = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            raw = ""
        return plain(raw), font.char_width(cid)


def _quarter_turn(a: float, b: float) -> int | None:
    """0-3 quarter turns anticlockwise of a baseline direction (a, b); None if it is skewed."""
    angle = math.atan2(b, a)
    turn = round(angle / (math.pi / 2))
    if abs(angle - turn * math.pi / 2) > 0.05:
        return None
    return turn % 4


def user_frame(ctm: Matrix, turn: int) -> Frame | None:
    """The map from a page's layout frame, glyphs turned by ``turn`` quarter turns (as
    ``Collector`` collects them), to the page's default user space, through the inverse of the
    page's ``ctm``; None if that cannot be inverted. An unrotated page whose media box starts at
    (x0, y0) has x + x0 and y0 - baseline."""
    a, b, c, d, e, f = (float(v) for v in ctm)
    det = a * d - b * c
    if not math.isfinite(det) or abs(det) < 1e-9:
        return None
    cos, sin = ((1, 0), (0, 1), (-1, 0), (0, -1))[turn % 4]
    # layout (x, base) -> device (cos x + sin base, sin x - cos base) -> user: the inverse of ctm
    return (
        (d * cos - c * sin) / det,
        (d * sin + c * cos) / det,
        (c * f - d * e) / det,
        (a * sin - b * cos) / det,
        (-a * cos - b * sin) / det,
        (b * e - a * f) / det,
    )
