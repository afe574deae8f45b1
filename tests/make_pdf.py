"""Building the PDFs the PDF reader tests read, with reportlab, on the fly.

Input: the text to lay out (paragraphs, references, a running header). Output: a PDF file at the
given path, laid out the way journals and scanners produce them: a single-column page, a two-column
article with a full-width title block, running headers and page numbers, a page drawn with
ligature glyphs, an encrypted file, a scan with no text layer. ``article`` writes the text of a
deterministic synthetic article whose every citation matches its reference list.
"""

from __future__ import annotations

import os
import random
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import reportlab
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
)

HEADER = "JOURNAL OF TESTS Vol.3 (2024)"
MARGIN = 56.0
GUTTER = 18.0
HEADING = "## "  # a paragraph that starts with this is set as a section heading

BODY = ParagraphStyle("body", fontName="Times-Roman", fontSize=9.5, leading=11.5, alignment=4, spaceAfter=6)
HEAD = ParagraphStyle("head", fontName="Times-Bold", fontSize=11, leading=13, spaceBefore=6, spaceAfter=6)
REF = ParagraphStyle("ref", parent=BODY, alignment=0, leftIndent=12, firstLineIndent=-12, spaceAfter=4)
TITLE = ParagraphStyle("title", fontName="Times-Bold", fontSize=16, leading=19, alignment=1, spaceAfter=8)
BYLINE = ParagraphStyle("byline", fontName="Times-Roman", fontSize=11, leading=13, alignment=1, spaceAfter=8)


@dataclass(frozen=True)
class Work:
    """One entry of a synthetic reference list and how the text cites it."""

    authors: tuple[str, ...]  # "Abara, N."
    year: int
    title: str
    journal: str
    volume: int
    first: int
    last: int

    @property
    def surnames(self) -> tuple[str, ...]:
        return tuple(a.split(",")[0] for a in self.authors)

    def entry(self) -> str:
        names = self.authors[0] if len(self.authors) == 1 else ", ".join(self.authors[:-1]) + ", & " + self.authors[-1]
        return f"{names} ({self.year}). {self.title}. {self.journal}, {self.volume}(2), {self.first}–{self.last}."

    def cite(self, page: int) -> str:
        s = self.surnames
        who = s[0] if len(s) == 1 else f"{s[0]} & {s[1]}" if len(s) == 2 else f"{s[0]} et al."
        return f"({who}, {self.year}, p. {page})"


WORKS = (
    Work(("Abara, N.",), 2019, "Blue carbon accounting for coastal wetlands", "Marine Policy", 41, 10, 30),
    Work(("Bellweather, T.",), 2020, "Drivers of mangrove loss since 1990", "Global Environmental Change", 61, 220, 236),
    Work(("Carvalho, R.", "Duin, P."), 2021, "National restoration targets compared", "Ocean Policy", 12, 1, 12),
    Work(("Eskildsen, M.",), 2017, "Reopening tidal channels", "Ecological Engineering", 102, 65, 80),
    Work(("Fontaine, C.",), 2021, "Sediment supply in restored marshes", "Estuarine Science", 250, 10, 25),
    Work(("Gallardo, V.",), 2016, "Carbon burial in restored salt marshes", "Biogeosciences", 13, 101, 118),
    Work(("Haugland, E.", "Ortiz, F.", "Sato, K."), 2020, "Fishers as stewards", "Coastal Management", 190, 300, 315),
    Work(("Ibekwe, U.",), 2023, "Financing blue carbon", "Climate Finance", 7, 60, 75),
    Work(("Jaramillo, D.",), 2019, "Why blue-carbon credits rarely pay", "Climate Policy", 19, 1, 15),
    Work(("Kovalenko, S.",), 2021, "Permanence in coastal carbon markets", "Carbon Management", 12, 33, 47),
    Work(("Lindahl, P.",), 2015, "The hidden costs of wetland monitoring", "Wetlands Ecology", 23, 1, 14),
    Work(("Smith, J.",), 2018, "Tidal prism and marsh recovery", "Coastal Engineering", 88, 40, 60),
)

_SUBJECTS = (
    "Restored marshes", "Tidal channels", "Planted seedlings", "Local fishers", "Carbon credits", "Sediment budgets",
    "Monitoring programmes", "Seawall breaches", "Mangrove stands", "Estuarine managers", "Funding agencies",
    "Regional surveys", "Field crews", "Hydrological models", "Blue-carbon schemes", "Coastal councils",
)  # fmt: skip
_VERBS = (
    "recovered more slowly than", "outperformed", "depended on", "were limited by", "tracked", "diverged from",
    "were shaped by", "often ignored", "rarely matched", "amplified", "stabilised", "undermined",
)  # fmt: skip
_OBJECTS = (
    "the expectations of engineers", "sediment supply in winter", "the timing of tidal reconnection",
    "the commitment of volunteers", "the prices paid for offsets", "grazing pressure from geese",
    "the density of early planting", "storm frequency along the shore", "the width of the breach",
    "salinity at the landward edge", "the cost of annual monitoring", "the tenure of the land",
)  # fmt: skip
_TAILS = (
    "across most of the sites we visited", "during the first decade after works ended", "in the northern estuaries",
    "whenever funding lapsed after three years", "even where hydrology was restored well", "in both wet and dry years",
    "according to the surveys of the regional agency", "once the seawall had been removed entirely",
)  # fmt: skip


@dataclass(frozen=True)
class Article:
    """A synthetic article: its paragraphs (headings marked with ``HEADING``), sentences and references."""

    title: str
    paragraphs: tuple[str, ...]
    sentences: tuple[str, ...]  # in reading order
    citations: tuple[str, ...]  # every bracketed citation as written, in reading order
    references: tuple[str, ...]


def article(paragraphs: int = 12, seed: int = 7) -> Article:
    """A deterministic article of ``paragraphs`` paragraphs, each of 3-6 sentences, most ending in a citation.

    Every work in ``WORKS`` is cited at least once with a page inside its range, so an audit of the
    text finds nothing to report. Sentences are unique so that a test can find each one.
    """
    rng = random.Random(seed)
    seen: set[str] = set()
    sentences: list[str] = []
    citations: list[str] = []
    paras: list[str] = []
    order = list(WORKS)
    k = 0
    for p in range(paragraphs):
        if p % 4 == 0:
            paras.append(HEADING + ("Introduction", "Methods", "Results", "Discussion", "Synthesis")[(p // 4) % 5])
        body = []
        for _ in range(rng.randint(3, 6)):
            while True:
                s = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)} {rng.choice(_TAILS)}"
                if s not in seen:
                    seen.add(s)
                    break
            if rng.random() < 0.7:
                work = order[k % len(order)]
                k += 1
                cite = work.cite(rng.randint(work.first, work.last))
                citations.append(cite)
                s = f"{s} {cite}."
            else:
                s += "."
            sentences.append(s)
            body.append(s)
        paras.append(" ".join(body))
    # Cite whatever the paragraphs did not reach, so that no reference goes uncited.
    rest = [w.cite(w.first) for w in order[k:]] if k < len(order) else []
    if rest:
        group = "; ".join(c[1:-1] for c in rest).join("()")
        s = f"Earlier syntheses reached similar conclusions {group}."
        citations.append(group)
        sentences.append(s)
        paras.append(s)
    refs = tuple(w.entry() for w in sorted(WORKS, key=lambda w: w.surnames))
    return Article(
        "Restoring Coastal Wetlands: Hydrology, Planting and Stewardship", tuple(paras), tuple(sentences), tuple(citations), refs
    )


def _flowables(
    paragraphs: Sequence[str], references: Sequence[str], body: ParagraphStyle = BODY, ref: ParagraphStyle = REF
) -> list[Paragraph]:
    out = [
        Paragraph(escape(p[len(HEADING) :]), HEAD) if p.startswith(HEADING) else Paragraph(escape(p), body) for p in paragraphs
    ]
    if references:
        out.append(Paragraph("References", HEAD))
        out.extend(Paragraph(escape(r), ref) for r in references)
    return out


def _decorate(
    header: str | None, page_numbers: bool, alternate: bool = False
) -> Callable[[canvas.Canvas, BaseDocTemplate], None]:
    """An onPage callback: the running header (left-aligned, right-aligned on even pages when
    ``alternate``) and the page number centred at the foot."""

    def draw(c: canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        c.saveState()
        if header:
            c.setFont("Times-Italic", 8.5)
            if alternate and doc.page % 2 == 0:
                c.drawRightString(width - MARGIN, height - 36, header)
            else:
                c.drawString(MARGIN, height - 36, header)
        if page_numbers:
            c.setFont("Times-Roman", 9)
            c.drawCentredString(width / 2, 30, str(doc.page))
        c.restoreState()

    return draw


def two_column_pdf(
    path: str | os.PathLike[str],
    title: str,
    paragraphs: Sequence[str],
    references: Sequence[str] = (),
    header: str | None = HEADER,
    authors: str = "A. N. Author and B. Writer",
    page_numbers: bool = True,
    abstract: str | None = None,
    gutter: float = GUTTER,
    justified: bool = True,
    size: float = 9.5,
) -> int:
    """A two-column article: a full-width title block (and abstract) on page 1, then text in two
    columns, justified or ragged-right, in a font of ``size`` points with the reference list a
    point smaller.

    The running header alternates between the left and the right margin; the page number is centred
    at the foot, inside the gutter. Returns the number of pages.
    """
    width, height = A4
    top, bottom = height - 50, 50
    col = (width - 2 * MARGIN - gutter) / 2
    body = ParagraphStyle("b", parent=BODY, fontSize=size, leading=size * 1.2, alignment=4 if justified else 0)
    ref = ParagraphStyle("r", parent=REF, fontSize=size - 1, leading=(size - 1) * 1.2)
    title_h = 230.0 if abstract else 110.0

    def columns(y_top: float) -> list[Frame]:
        h = y_top - bottom
        return [
            Frame(MARGIN, bottom, col, h, id="left", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0),
            Frame(
                MARGIN + col + gutter, bottom, col, h, id="right", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
            ),
        ]

    head = Frame(MARGIN, top - title_h, width - 2 * MARGIN, title_h, id="title", leftPadding=0, rightPadding=0, topPadding=0)
    draw = _decorate(header, page_numbers, alternate=True)
    doc = BaseDocTemplate(str(path), pagesize=A4, title=title, pageCompression=1)
    doc.addPageTemplates(
        [
            PageTemplate(id="first", frames=[head, *columns(top - title_h - 10)], onPage=draw),
            PageTemplate(id="later", frames=columns(top), onPage=draw),
        ]
    )
    story = [Paragraph(escape(title), TITLE), Paragraph(escape(authors), BYLINE)]
    if abstract:
        story.append(Paragraph(escape(abstract), BODY))
    story.extend([NextPageTemplate("later"), FrameBreak()])
    story.extend(_flowables(paragraphs, references, body, ref))
    doc.build(story)
    return int(doc.page)


def single_column_pdf(
    path: str | os.PathLike[str],
    paragraphs: Sequence[str],
    references: Sequence[str] = (),
    header: str | None = None,
    page_numbers: bool = True,
) -> int:
    """A plain single-column document; returns the number of pages."""
    draw = _decorate(header, page_numbers)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=60, bottomMargin=60)
    doc.build(_flowables(paragraphs, references), onFirstPage=draw, onLaterPages=draw)
    return int(doc.page)


def lines_pdf(
    path: str | os.PathLike[str],
    pages: Sequence[Sequence[str]],
    font: str = "Helvetica",
    size: float = 11,
    line_numbers: bool = False,
) -> None:
    """Each page's lines drawn one under another from the top left, nothing else; with
    ``line_numbers``, numbered in the left margin as a manuscript under review is (1, 2, 3... through
    the document).

    ``font`` "Vera" is the Bitstream Vera TrueType font shipped with reportlab, which has the ligature
    glyphs U+FB01 and U+FB02; it is embedded with a Unicode map, as typesetting programs do.
    """
    if font == "Vera" and "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    c = canvas.Canvas(str(path), pagesize=A4)
    number = 0
    for lines in pages:
        y = A4[1] - 72
        for line in lines:
            c.setFont(font, size)
            c.drawString(72, y, line)
            if line_numbers:
                number += 1
                c.setFont("Helvetica", size * 0.8)
                c.drawRightString(50, y, str(number))
            y -= size * 1.3
        c.showPage()
    c.save()


def encrypted_pdf(path: str | os.PathLike[str], user_password: str = "secret", owner_password: str = "owner") -> None:
    """A one-page PDF encrypted with RC4; an empty ``user_password`` only restricts permissions."""
    enc = StandardEncryption(user_password, ownerPassword=owner_password, canPrint=0, canCopy=0, canModify=0)
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=enc)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Wetlands store carbon (Abara, 2019, p. 14).")
    c.showPage()
    c.save()


def bomb_pdf(path: str | os.PathLike[str], inflated: int, codec: str = "FlateDecode") -> None:
    """Two pages: a line of text, then a content stream of ``inflated`` spaces packed with
    ``codec`` (FlateDecode, LZWDecode or RunLengthDecode): a decompression bomb. Written by hand,
    since no PDF writer packs a stream that way."""
    blank = b" " * inflated
    packed = {"FlateDecode": lambda: zlib.compress(blank, 9), "LZWDecode": lambda: lzw_encode(blank)}.get(
        codec,
        lambda: (b"\x81 " * (inflated // 128)) + b"\x80",  # RunLength: 128 spaces per pair, then end
    )()
    text = b"BT /F1 11 Tf 72 700 Td (Wetlands store carbon \\(Abara, 2019\\).) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R /Resources << >> >>",
        b"<< /Length %d /Filter /%s >>\nstream\n%s\nendstream" % (len(packed), codec.encode(), packed),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    handmade_pdf(path, objects)


def handmade_pdf(path: str | os.PathLike[str], objects: Sequence[bytes], trailer: bytes = b"") -> None:
    """Objects numbered from 1 as given (``stream`` bodies included), a cross-reference table and a
    trailer whose /Root is object 1, plus ``trailer`` entries: a PDF as hostile as its objects, which
    no PDF writer would produce."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    with open(path, "wb") as fh:
        fh.write(out)


# The hostile PDFs below are one page (objects 1-5 of ``one_page``) that reads WETLANDS_TEXT, with
# some objects replaced and more added from object 6 on.
WETLANDS = b"BT /F1 11 Tf 72 700 Td (Wetlands store carbon \\(Abara, 2019\\).) Tj ET"
WETLANDS_TEXT = "Wetlands store carbon (Abara, 2019)."
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
FONT_F1 = b"<< /Font << /F1 5 0 R >> >>"
FORM = b"/Type /XObject /Subtype /Form /BBox [0 0 600 850] "


def stream(data: bytes, entries: bytes = b"") -> bytes:
    """The body of a stream object: a dictionary of ``entries`` and the /Length, then ``data``."""
    return b"<< %s/Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def page(contents: bytes = b"4 0 R", resources: bytes = FONT_F1) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %s /Resources %s >>" % (contents, resources)


def one_page(content: bytes = WETLANDS, font: bytes = HELVETICA) -> list[bytes]:
    """Objects 1-5 of a one-page PDF: catalog, page tree, page, content stream, font F1."""
    return [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(), stream(content), font]


def _type0(descendant: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Type /Font /Subtype /Type0 /BaseFont /F /Encoding /Identity-H /DescendantFonts [%s] %s>>" % (
        descendant,
        entries,
    )


# Where ``looped_pdf`` puts its loop: objects of ``one_page`` replaced (by number), objects added.
_LOOPS: dict[str, tuple[dict[int, bytes], list[bytes]]] = {
    # Object 6 (or 2) is a reference to itself, or to another that refers back, where a value is needed.
    "page-tree": ({2: b"2 0 R"}, []),
    "page-tree-through-another": ({2: b"6 0 R"}, [b"2 0 R"]),
    "contents": ({3: page(contents=b"6 0 R")}, [b"6 0 R"]),
    "resources": ({3: page(resources=b"6 0 R")}, [b"6 0 R"]),
    "font": ({5: b"5 0 R"}, []),
    "to-unicode": ({5: HELVETICA[:-2] + b"/ToUnicode 6 0 R >>"}, [b"6 0 R"]),
    "length": ({4: b"<< /Length 6 0 R >>\nstream\n%s\nendstream" % WETLANDS}, [b"6 0 R"]),
    # Objects that contain themselves.
    "length-of-itself": ({4: b"<< /Length 4 0 R >>\nstream\n%s\nendstream" % WETLANDS}, []),
    "kids": ({2: b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"}, []),
    "parent": ({3: page()[:-2] + b"/Parent 3 0 R >>"}, []),
    "form-drawing-itself": (
        {3: page(b"[4 0 R 7 0 R]", b"<< /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>")},
        [stream(b"/X Do", FORM + b"/Resources << /XObject << /X 6 0 R >> >> "), stream(b"/X Do")],
    ),
    "forms-drawing-each-other": (
        {3: page(b"[4 0 R 8 0 R]", b"<< /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >>")},
        [
            stream(b"/X Do", FORM + b"/Resources << /XObject << /X 7 0 R >> >> "),
            stream(b"/X Do", FORM + b"/Resources << /XObject << /X 6 0 R >> >> "),
            stream(b"/X Do"),
        ],
    ),
    "font-its-own-descendant": ({5: _type0(b"5 0 R")}, []),
    "page-labels": ({1: b"<< /Type /Catalog /Pages 2 0 R /PageLabels 6 0 R >>"}, [b"<< /Kids [6 0 R] >>"]),
}
LOOPS = (*_LOOPS, "cross-reference-sections", "object-stream-in-itself")


def looped_pdf(path: str | os.PathLike[str], loop: str) -> None:
    """A one-page PDF with a reference that leads back to where it started, at ``loop`` (one of
    ``LOOPS``): an object that is a reference to itself used as the page tree, the page's contents
    or resources, a font, a stream's /Length; a stream whose /Length is the stream itself; page
    tree kids that include their parent; a form that draws itself; a font that is its own
    descendant; page labels, cross-reference sections or an object stream that contain themselves."""
    if loop == "cross-reference-sections":
        handmade_pdf(path, one_page())
        with open(path, "rb") as fh:
            xref = int(fh.read().rsplit(b"startxref\n", 1)[1].split()[0])
        handmade_pdf(path, one_page(), b"/Prev %d " % xref)  # the same offset: the table is its own previous
        return
    objects = one_page()
    if loop == "object-stream-in-itself":
        objects[2] = page(resources=b"7 0 R")
        xref_stream_pdf(path, objects, {6: (6, 0), 7: (6, 1)})  # 6 is inside 6, and so is the resources' 7
        return
    replaced, added = _LOOPS[loop]
    for number, body in replaced.items():
        objects[number - 1] = body
    handmade_pdf(path, objects + added)


def xref_stream_pdf(path: str | os.PathLike[str], objects: Sequence[bytes], packed: dict[int, tuple[int, int]]) -> None:
    """``objects`` numbered from 1, then the objects of ``packed`` (numbered on, each with the object
    stream that holds it and its index there), in a cross-reference stream (PDF 1.5)."""
    out = bytearray(b"%PDF-1.5\n")
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]  # object 0: free
    for number, body in enumerate(objects, 1):
        rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for number in range(len(objects) + 1, max(packed) + 1):
        container, index = packed[number]
        rows.append(b"\x02" + container.to_bytes(4, "big") + index.to_bytes(2, "big"))
    table = len(rows)
    rows.append(b"\x01" + len(out).to_bytes(4, "big") + b"\x00\x00")
    data = b"".join(rows)
    entries = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R " % (table + 1)
    out += b"%d 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (table, stream(data, entries), len(out))
    with open(path, "wb") as fh:
        fh.write(out)


def fanout_pdf(path: str | os.PathLike[str], depth: int, text: bool = True) -> None:
    """A page that draws a form that draws the next form twice, ``depth`` forms deep, the last one
    drawing WETLANDS (or, without ``text``, nothing): 2**depth drawings from a few hundred bytes."""
    forms = [stream(b"/X Do /X Do", FORM + b"/Resources << /XObject << /X %d 0 R >> >> " % (n + 1)) for n in range(6, 5 + depth)]
    forms.append(stream(WETLANDS if text else b"0 0 m", FORM + b"/Resources %s " % FONT_F1))
    objects = one_page(b"/X Do")
    objects[2] = page(resources=b"<< /XObject << /X 6 0 R >> >>")
    handmade_pdf(path, objects + forms)


def content_pdf(path: str | os.PathLike[str], data: bytes, entries: bytes = b"") -> None:
    """A page whose content stream holds ``data`` as given, with ``entries`` (its /Filter) in its
    dictionary: a stream of a few kilobytes that decodes to megabytes of operands or arrays."""
    objects = one_page()
    objects[3] = stream(data, entries)
    handmade_pdf(path, objects)


FONT_BOMBS = ("widths", "to-unicode", "bounding-box")


def font_bomb_pdf(path: str | os.PathLike[str], kind: str) -> None:
    """A page whose font asks pdfminer for a table of billions of entries in a few numbers: the
    widths of a CID font for codes 0 to 2**31 ("widths"), a ToUnicode map of one range of 2**31
    codes ("to-unicode"), a bounding box that is an array naming the next array twice, thirty deep
    ("bounding-box")."""
    cid = b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /F /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) "
    cid += b"/Supplement 0 >> /FontDescriptor << /Type /FontDescriptor /FontName /F /Flags 4 >> %s>>"
    cmap = b"begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange 1 beginbfrange <00000000> <7FFFFFFF> <0041>"
    cmap += b" endbfrange endcmap"
    text = b"BT /F1 11 Tf 72 700 Td <00410042> Tj ET"
    if kind == "widths":
        objects = [*one_page(text, _type0(b"6 0 R")), cid % b"/W [0 2147483647 500] "]
    elif kind == "to-unicode":
        objects = [*one_page(text, _type0(b"6 0 R", b"/ToUnicode 7 0 R ")), cid % b"", stream(cmap)]
    else:
        descriptor = b"<< /Type /FontDescriptor /FontName /F /Flags 4 /FontBBox 6 0 R >>"
        objects = one_page(font=b"<< /Type /Font /Subtype /Type1 /BaseFont /F /FontDescriptor %s >>" % descriptor)
        objects += [b"[%d 0 R %d 0 R]" % (n + 1, n + 1) for n in range(6, 36)] + [b"[0 0 1 1]"]
    handmade_pdf(path, objects)


def lzw_encode(data: bytes) -> bytes:
    """LZW as PDF's LZWDecode reads it (codes of 9 to 12 bits, widened one code early); ``data`` must
    need fewer than 3,800 codes, as a run of one byte a few million long does."""
    table = {bytes([b]): b for b in range(256)}
    codes = [256]  # clear the table
    word = b""
    for b in data:
        longer = word + bytes([b])
        if longer in table:
            word = longer
            continue
        codes.append(table[word])
        table[longer] = len(table) + 2  # 256 and 257 are the clear and end codes
        word = bytes([b])
    codes += [table[word], 257]
    assert len(codes) < 3800, "the table would need clearing"
    bits = []
    for i, code in enumerate(codes):
        n = i - 1  # the reader's table grows by one per code after the first that follows a clear
        width = 9 if n < 254 else 10 if n < 766 else 11 if n < 1790 else 12
        bits.append(format(code, f"0{width}b"))
    joined = "".join(bits)
    joined += "0" * (-len(joined) % 8)
    return int(joined, 2).to_bytes(len(joined) // 8, "big")


def scanned_pdf(path: str | os.PathLike[str], pages: int = 2, text: str | None = None) -> None:
    """Pages that are only a picture of text, as a scanner without OCR writes them; with ``text``,
    a first page that has a text layer with that line (a cover page added to a scan)."""
    img = Image.new("L", (600, 800), 255)
    ink = ImageDraw.Draw(img)
    for row in range(40, 760, 24):
        ink.rectangle((40, row, 560, row + 10), fill=30)  # lines of "text", as blocks of ink
    c = canvas.Canvas(str(path), pagesize=A4)
    if text:
        c.setFont("Helvetica", 11)
        c.drawString(72, 700, text)
        c.showPage()
    for _ in range(pages):
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()


def words_pdf(path: str | os.PathLike[str], lines: Sequence[str], size: float = 11, seed: int | None = None) -> None:
    """Lines drawn a word at a time with no space characters, as TeX writes them.

    With a ``seed``, the words are drawn in shuffled order, as some converters do; the reader must
    put them back by position.
    """
    c = canvas.Canvas(str(path), pagesize=A4)
    space = pdfmetrics.stringWidth(" ", "Times-Roman", size)
    placed: list[tuple[float, float, str]] = []
    y = A4[1] - 72
    for line in lines:
        x = 72.0
        for word in line.split():
            placed.append((x, y, word))
            x += pdfmetrics.stringWidth(word, "Times-Roman", size) + space
        y -= size * 1.3
    if seed is not None:
        random.Random(seed).shuffle(placed)
    c.setFont("Times-Roman", size)
    for x, y, word in placed:
        c.drawString(x, y, word)
    c.showPage()
    c.save()


def marks_pdf(path: str | os.PathLike[str], size: float = 11) -> None:
    """A line with a raised footnote number, and a name whose umlaut is drawn as a glyph of its own
    over the letter (as TeX does with its OT1 fonts): "Study by Mu¨ller²³ was cited (Müller, 2019)"."""
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 72
    x = 72.0
    c.setFont("Helvetica", size)
    for piece in ("Study by M", "u"):
        c.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, "Helvetica", size)
    u = pdfmetrics.stringWidth("u", "Helvetica", size)
    dieresis = pdfmetrics.stringWidth("\u00a8", "Helvetica", size)
    c.drawString(x - u + (u - dieresis) / 2, y, "\u00a8")  # over the u
    c.drawString(x, y, "ller")
    x += pdfmetrics.stringWidth("ller", "Helvetica", size)
    c.setFont("Helvetica", size * 0.65)
    c.drawString(x + 0.5, y + size * 0.38, "23")  # a superscript, off the baseline
    x += pdfmetrics.stringWidth("23", "Helvetica", size * 0.65) + 0.5
    c.setFont("Helvetica", size)
    c.drawString(x + pdfmetrics.stringWidth(" ", "Helvetica", size), y, "was cited (M\u00fcller, 2019).")
    c.showPage()
    c.save()


def turned_pdf(path: str | os.PathLike[str], stamp: str, table: Sequence[str], turn: int = 90) -> None:
    """Two pages: an upright line with a stamp running up the left margin (as arXiv adds), then a
    table set turned by ``turn`` degrees on a portrait page, as landscape tables are."""
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Wetlands store carbon at rates that exceed those of most forests (Abara, 2019, p. 14).")
    c.saveState()
    c.translate(30, 250)
    c.rotate(90)
    c.drawString(0, 0, stamp)
    c.restoreState()
    c.showPage()
    c.saveState()
    c.translate(A4[0] / 2, A4[1] / 2)
    c.rotate(turn)
    c.setFont("Helvetica", 11)
    for i, row in enumerate(table):
        c.drawString(-250, 100 - i * 14, row)
    c.restoreState()
    c.showPage()
    c.save()


# -------------------------------------------------------------- places a person finds: labels, line numbers


def wrap(text: str, measure: float, font: str = "Helvetica", size: float = 11) -> list[str]:
    """``text`` broken into lines no wider than ``measure`` points in ``font`` at ``size``."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        longer = f"{line} {word}" if line else word
        if line and pdfmetrics.stringWidth(longer, font, size) > measure:
            lines.append(line)
            line = word
        else:
            line = longer
    return [*lines, line] if line else lines


def labelled_pdf(
    path: str | os.PathLike[str],
    pages: Sequence[Sequence[str]],
    labels: Sequence[tuple[int, str | None, int | None, str | None]],
    size: float = 11,
) -> None:
    """``lines_pdf``'s pages (no line numbers) with page labels as reportlab writes them: each of
    ``labels`` is (first page index, style "D", "r", "R", "a", "A" or None, first number, prefix)."""
    c = canvas.Canvas(str(path), pagesize=A4)
    for lines in pages:
        y = A4[1] - 72
        c.setFont("Helvetica", size)
        for line in lines:
            c.drawString(72, y, line)
            y -= size * 1.3
        c.showPage()
    names = {"D": "ARABIC", "R": "ROMAN_UPPER", "r": "ROMAN_LOWER", "A": "LETTERS_UPPER", "a": "LETTERS_LOWER"}
    for first, style, start, prefix in labels:
        c.addPageLabel(first, names[style] if style else None, start, prefix)
    c.save()


def numbered_pdf(
    path: str | os.PathLike[str],
    pages: Sequence[Sequence[str]],
    first: int = 1,
    restart: bool = False,
    size: float = 11,
) -> list[list[int]]:
    """Pages of lines with a number in the left margin beside each, as a manuscript under review
    has: from ``first`` on through the document, or from ``first`` again on each page
    (``restart``). Returns the numbers printed on each page."""
    c = canvas.Canvas(str(path), pagesize=A4)
    printed: list[list[int]] = []
    number = first
    for lines in pages:
        if restart:
            number = first
        printed.append([])
        y = A4[1] - 72
        for line in lines:
            c.setFont("Helvetica", size)
            c.drawString(72, y, line)
            c.setFont("Helvetica", size * 0.8)
            c.drawRightString(54, y, str(number))
            printed[-1].append(number)
            number += 1
            y -= size * 1.3
        c.showPage()
    c.save()
    return printed


def numbered_columns_pdf(
    path: str | os.PathLike[str], left: str, right: str, size: float = 9, first: int = 1
) -> tuple[list[str], list[str]]:
    """One page of two columns, ``left`` and ``right`` wrapped to fill each, their rows level, a
    line number in the left margin beside each row (from ``first``). Returns the lines of each column."""
    width = A4[0]
    col = (width - 2 * 72 - GUTTER) / 2
    lines = wrap(left, col, size=size), wrap(right, col, size=size)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setFont("Helvetica", size)
    y = A4[1] - 72
    for row in range(max(len(lines[0]), len(lines[1]))):
        for x, column in ((72.0, lines[0]), (72 + col + GUTTER, lines[1])):
            if row < len(column):
                c.drawString(x, y, column[row])
        c.setFont("Helvetica", size * 0.8)
        c.drawRightString(58, y, str(first + row))
        c.setFont("Helvetica", size)
        y -= size * 1.25
    c.showPage()
    c.save()
    return lines


def page_labels_pdf(path: str | os.PathLike[str], tree: Sequence[bytes], root: bytes = b"6 0 R") -> None:
    """``one_page`` with page labels whose tree is ``root`` and the objects ``tree``, numbered from
    6: a hostile number tree (nodes that name themselves or the next node twice, huge ranges)."""
    objects = one_page()
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R /PageLabels %s >>" % root
    handmade_pdf(path, objects + list(tree))


def boxed_pdf(
    path: str | os.PathLike[str],
    lines: Sequence[str],
    origin: tuple[float, float],
    crop: float = 0.0,
    rotate: int = 0,
    size: float = 11,
) -> None:
    """One page whose media box starts at ``origin`` rather than (0, 0), as a page cut out of a
    larger sheet has, with a crop box ``crop`` points inside it and /Rotate ``rotate``; the lines
    drawn from 72 points right of and below its top-left corner, in its own user space."""
    x0, y0 = origin
    w, h = A4
    text = [b"BT /F1 %g Tf %g TL %g %g Td" % (size, size * 1.3, x0 + 72, y0 + h - 72)]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(b"(%s) Tj T*" % escaped.encode("cp1252"))
    text.append(b"ET")
    boxes = b"/MediaBox [%g %g %g %g] /CropBox [%g %g %g %g] /Rotate %d" % (
        x0, y0, x0 + w, y0 + h, x0 + crop, y0 + crop, x0 + w - crop, y0 + h - crop, rotate
    )  # fmt: skip
    objects = one_page(b"\n".join(text), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    objects[2] = b"<< /Type /Page /Parent 2 0 R %s /Contents 4 0 R /Resources %s >>" % (boxes, FONT_F1)
    handmade_pdf(path, objects)
