"""The annotated copy of a PDF manuscript: the same file with a highlight and a pop-up note on the
text of each finding.

Input: a ``Report`` whose source was read by ``readers/pdf.py``. Output: the copy's bytes and the
number of highlights written; the input file is only read. Each finding that has a place in the
manuscript (``annotate.anchor``) gets a /Highlight annotation whose /QuadPoints cover exactly the
characters of its text, one quadrilateral a line ("(Smith,\\n2018)" has two), coloured by severity
(an error red, a warning amber, a note blue), written by "citecheck" (/T), with the finding's
message, a blank line and its suggestion (``note_text``) as its /Contents and the rule as its
subject (/Subj), and a /Popup annotation for the note, each naming the other (/Popup, /Parent).
The highlight has no appearance stream of its own: viewers draw one from the quadrilaterals
(Acrobat, pdf.js, Chrome's PDFium, Poppler and Preview all do), in the colour given.

Where the text is: the reader's ``Anchors`` keep, for each line of the text, its page, baseline,
font size and the x position of each character, and the map from the page's layout to its default
user space (the media box's origin, /Rotate and a page read turned all allowed for), so a span's
quadrilaterals come straight from them. A span over a page break is highlighted on its first page;
findings on a page without anchors, or about a bibliography file given beside the PDF, have no
place in the copy and are not counted.

The copy is an incremental update, written by pypdf: the input's bytes unchanged, then the new
annotations, the pages that now list them and a compressed cross-reference stream. Everything the
file had (its annotations, forms, signatures, structure) stays as it was.
"""

from __future__ import annotations

import io
import logging
from typing import Any

from citecheck.annotate import anchor, note_text
from citecheck.errors import CitecheckError, InputError
from citecheck.model import Finding, Report, Severity
from citecheck.read import read_bytes
from citecheck.readers.pdf_layout import Anchors

try:
    from pypdf import PdfReader, PdfWriter
    from pypdf.annotations import Highlight, Popup
    from pypdf.generic import ArrayObject, FloatObject, NameObject, TextStringObject
except ImportError as exc:  # pragma: no cover - pypdf is in the pdf extra
    raise CitecheckError("install citecheck[pdf] to write annotated PDF files (they need pypdf)") from exc

# pypdf logs what it forgives in a file as warnings; the report is no place for them.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

AUTHOR = "citecheck"
# Highlight colours, as RGB: light enough that the text stays legible under them.
COLOURS = {
    Severity.ERROR: (1.0, 0.42, 0.42),
    Severity.WARNING: (1.0, 0.76, 0.2),
    Severity.NOTE: (0.45, 0.7, 1.0),
}
POPUP = (220.0, 110.0)  # width and height of the note's window, in points
PAD = 1.0  # the highlight's /Rect stands this far outside its quadrilaterals


def annotated_pdf(report: Report) -> tuple[bytes, int]:
    """The PDF of a report's manuscript with a highlight and note on the text of each finding that
    has one, and the number of highlights; the input's own bytes when no finding could be placed."""
    src = report.source
    path = src.path
    if path is None:
        raise CitecheckError("--annotate needs the PDF file itself, not text")
    anchors = _anchors(report)
    data = read_bytes(path, "PDF")
    placed = [p for f in report.findings if (p := _place(report, f, anchors)) is not None]
    if not placed:
        return data, 0
    try:
        writer = PdfWriter(PdfReader(io.BytesIO(data)), incremental=True)
        pages = writer.pages
        if len(pages) != len(src.pages):  # the file is no longer the one that was read
            return data, 0
        for i, (page, quads, finding) in enumerate(placed, 1):
            _annotate(writer, pages[page], quads, finding, f"citecheck-{i}")
        out = io.BytesIO()
        writer.write(out)
    except (CitecheckError, MemoryError):
        raise
    except Exception as exc:  # pypdf's errors on a file it cannot take apart; RecursionError too
        words = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise InputError(f"{path}: cannot be annotated (pypdf: {words})") from None
    return out.getvalue(), len(placed)


def _anchors(report: Report) -> Anchors:
    """The reader's anchors of the report's PDF: the source's own, else the file's read again,
    when it reads as the same text (a report whose source was made without them)."""
    src = report.source
    if isinstance(src.anchors, Anchors):
        return src.anchors
    from citecheck.readers.pdf import read_pdf

    fresh = read_pdf(src.path or "")
    if not src.text.startswith(fresh.text) or not isinstance(fresh.anchors, Anchors):
        return Anchors()  # the file changed since it was read: nothing can be placed
    return fresh.anchors


def _place(report: Report, f: Finding, anchors: Anchors) -> tuple[int, list[tuple[float, ...]], Finding] | None:
    """The page and quadrilaterals of a finding's text, on the first page it touches; None when it
    has no place in the file."""
    span = anchor(report, f)
    if span is None:
        return None
    quads = anchors.quads(span.start, span.end)
    if not quads:
        return None
    page = quads[0][0]
    return page, [q for p, q in quads if p == page], f


def _annotate(writer: PdfWriter, page: Any, quads: list[tuple[float, ...]], f: Finding, name: str) -> None:
    """A highlight over ``quads`` on the page, with its note in a pop-up beside it; ``name`` is
    the highlight's, unique in the file (/NM)."""
    xs = [v for q in quads for v in q[0::2]]
    ys = [v for q in quads for v in q[1::2]]
    rect = (min(xs) - PAD, min(ys) - PAD, max(xs) + PAD, max(ys) + PAD)
    points = ArrayObject([FloatObject(round(v, 2)) for q in quads for v in q])
    highlight = Highlight(rect=rect, quad_points=points, printing=True, title_bar=AUTHOR)
    highlight[NameObject("/Type")] = NameObject("/Annot")
    highlight[NameObject("/C")] = ArrayObject([FloatObject(c) for c in COLOURS[f.severity]])
    highlight[NameObject("/Contents")] = TextStringObject(note_text(f))
    highlight[NameObject("/Subj")] = TextStringObject(f"{f.rule} {f.kind}")
    highlight[NameObject("/NM")] = TextStringObject(name)
    added = writer.add_annotation(page, highlight)
    popup = writer.add_annotation(page, Popup(rect=_popup_rect(page, rect), parent=added, open=False))
    added[NameObject("/Popup")] = popup.indirect_reference  # pypdf 7 sets it too; not every release has


def _popup_rect(page: Any, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Where the note's window opens: right of the highlight, its top level with the highlight's,
    kept on the page's visible area where there is room."""
    left, bottom, right, top = _visible(page) or rect
    width, height = POPUP
    x0 = min(max(rect[2] + 4, left), max(left, right - width))
    y1 = min(max(rect[3], bottom + height), top)
    return (x0, y1 - height, x0 + width, y1)


def _visible(page: Any) -> tuple[float, float, float, float] | None:
    """The page's crop box, else its media box, as the page itself gives them (pypdf's ``cropbox``
    would write a /CropBox into a page that has none); None if neither can be read."""
    for name in ("/CropBox", "/MediaBox"):
        try:
            x0, y0, x1, y1 = (float(v) for v in page[name].get_object())
        except Exception:  # missing (inherited from the page tree), or not four numbers
            continue
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
    return None
