"""The annotated PDF copy: a highlight with a pop-up note on exactly the text of each finding, the
rest of the file untouched.

Every PDF is built here (tests/make_pdf.py) and audited by the pipeline; the copies are read back
with pypdf (the annotations), pdfminer (the characters under each highlight's quadrilaterals),
PDFium when pypdfium2 is installed (the same, by another library), and Poppler's pdftoppm when it is
installed (the highlight is drawn where the text is). CI sets ``CITECHECK_REQUIRE_POPPLER=1``, and
the rendering tests then fail rather than skip without pdftoppm.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import make_pdf
import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTComponent, LTContainer
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Text
from pypdf.generic import IndirectObject

from citecheck.annotate import anchor, annotated, note_text
from citecheck.annotate.pdf import AUTHOR, COLOURS, annotated_pdf
from citecheck.errors import InputError
from citecheck.model import Finding, Report, Severity, Span
from citecheck.pipeline import audit_source
from citecheck.readers import read_document

REFERENCES = [
    "References",
    "Abara, N. (2019). Blue carbon accounting for coastal wetlands. Marine Policy, 41(2), 10–30.",
    "Bellweather, T. (2020). Drivers of mangrove loss. Global Environmental Change, 61(2), 220–236.",
    "Carvalho, R., & Duin, P. (2021). National restoration targets compared. Ocean Policy, 12(2), 1–12.",
    "Ulvaeus, B. (2011). Salt pans that nobody cites. Wetlands, 31(2), 1–9.",
]
# A manuscript with a finding of each severity: a year that differs, a work that is not listed (its
# citation over a line break), unpublished work (a note), an entry nothing cites.
PAGES = [
    [
        "Coastal wetlands store carbon at rates that exceed most forests (Abara, 2019).",
        "Their loss has accelerated since 1990 (Bellweather, 2021), chiefly through",
        "drainage and conversion to farmland, as regional surveys found (Nobody,",
        "2015). Restoration has become a policy goal (Carvalho & Duin, 2021), and",
        "monitoring data remain partial (Quist, in preparation).",
    ],
    REFERENCES,
]
EXPECTED = {  # rule: the text the highlight covers
    "CC102": "Bellweather, 2021",
    "CC101": "Nobody,\n2015",
    "CC111": "Quist, in preparation",
    "CC201": "Ulvaeus, B. (2011). Salt pans that nobody cites. Wetlands, 31(2), 1–9.",
}


def manuscript(tmp_path: Path, name: str = "manuscript.pdf") -> Path:
    path = tmp_path / name
    make_pdf.lines_pdf(path, PAGES, size=10)
    return path


def audited(path: Path) -> Report:
    return audit_source(read_document(str(path)))


def annotations(data: bytes) -> list[list[Any]]:
    """Each page's annotations in the copy, as pypdf reads them back."""
    reader = PdfReader(io.BytesIO(data))
    return [[a.get_object() for a in page.get("/Annots", [])] for page in reader.pages]


def highlights(data: bytes) -> list[tuple[int, Any]]:
    """(page, annotation) of each highlight, in the order they were written."""
    found = [(p, a) for p, page in enumerate(annotations(data)) for a in page if a["/Subtype"] == "/Highlight"]
    return sorted(found, key=lambda pa: int(pa[1]["/NM"].rsplit("-", 1)[1]))


def quads(annotation: Any) -> list[list[float]]:
    points = [float(v) for v in annotation["/QuadPoints"]]
    assert len(points) % 8 == 0
    return [points[i : i + 8] for i in range(0, len(points), 8)]


def chars(path: Path) -> list[list[LTChar]]:
    """Each page's characters as pdfminer lays them out (in user space, for pages from the origin)."""

    def walk(item: LTComponent) -> list[LTChar]:
        if isinstance(item, LTChar):
            return [item]
        return [c for child in item for c in walk(child)] if isinstance(item, LTContainer) else []

    return [walk(page) for page in extract_pages(str(path))]


def text_under(page: list[LTChar], quad: list[float]) -> str:
    """The characters whose centres lie inside a quadrilateral's box, left to right."""
    xs, ys = quad[0::2], quad[1::2]
    inside = [c for c in page if min(xs) <= (c.x0 + c.x1) / 2 <= max(xs) and min(ys) <= (c.y0 + c.y1) / 2 <= max(ys)]
    return "".join(c.get_text() for c in sorted(inside, key=lambda c: c.x0))


def squeeze(text: str) -> str:
    return "".join(text.split())


def placed(report: Report) -> list[Finding]:
    """The findings that have a place in the copy, in the report's order."""
    anchors = report.source.anchors
    return [f for f in report.findings if (s := anchor(report, f)) is not None and anchors.quads(s.start, s.end)]


def test_a_highlight_and_note_on_exactly_the_text_of_each_finding(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    before = path.read_bytes()
    report = audited(path)
    assert {f.rule: report.source.text[f.span.start : f.span.end] for f in report.findings if f.span} == EXPECTED
    data, count = annotated_pdf(report)
    assert path.read_bytes() == before  # the input is only read
    assert data.startswith(before)  # an incremental update: the input's bytes, then the annotations
    found = highlights(data)
    assert count == len(found) == len(report.findings) == 4
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(data)
    laid_out = chars(copy)
    for (page, h), f in zip(found, report.findings, strict=True):
        assert f.span is not None
        assert h["/Contents"] == note_text(f)
        assert h["/T"] == AUTHOR
        assert h["/Subj"] == f"{f.rule} {f.kind}"
        assert [float(c) for c in h["/C"]] == pytest.approx(COLOURS[f.severity])
        assert page == report.source.page(f.span.start) - 1
        lines = quads(h)
        assert len(lines) == EXPECTED[f.rule].count("\n") + 1  # one quadrilateral a line
        under = "".join(text_under(laid_out[page], q) for q in lines)
        assert squeeze(under) == squeeze(EXPECTED[f.rule])
        x0, y0, x1, y1 = (float(v) for v in h["/Rect"])
        assert all(x0 <= x <= x1 for q in lines for x in q[0::2]) and all(y0 <= y <= y1 for q in lines for y in q[1::2])
        popup = h["/Popup"].get_object()
        assert popup["/Subtype"] == "/Popup" and popup["/Parent"].get_object() == h
        assert h["/F"] == 4  # printed
    # The copy reads as the same manuscript, findings and all.
    again = audited(copy)
    assert again.source.text == report.source.text
    assert [(f.rule, f.span) for f in again.findings] == [(f.rule, f.span) for f in report.findings]


def test_the_dispatcher_writes_the_pdf_copy(tmp_path: Path) -> None:
    report = audited(manuscript(tmp_path))
    assert annotated(report) == annotated_pdf(report)


def test_every_finding_of_a_two_column_article_lands_on_its_text(tmp_path: Path) -> None:
    article = make_pdf.article(16)
    paragraphs = list(article.paragraphs)
    paragraphs[1] = paragraphs[1].replace(article.citations[0], article.citations[0].replace("2019", "2018"), 1)
    paragraphs[2] += " Grazing matters less than was thought (Nobody, 2015). Data remain partial (Quist, in preparation)."
    references = [*article.references, "Ulvaeus, B. (2011). Salt pans that nobody cites. Wetlands, 31(2), 1–9."]
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, paragraphs, references)
    report = audited(path)
    assert {f.severity for f in report.findings} == {Severity.ERROR, Severity.WARNING, Severity.NOTE}
    data, count = annotated_pdf(report)
    found = highlights(data)
    assert count == len(found) == len(placed(report)) == len(report.findings)
    copy = tmp_path / "copy.pdf"
    copy.write_bytes(data)
    laid_out = chars(copy)
    for (page, h), f in zip(found, report.findings, strict=True):
        span = anchor(report, f)
        assert span is not None
        under = "".join(text_under(laid_out[page], q) for q in quads(h))
        assert squeeze(under) == squeeze(report.source.text[span.start : span.end])


def test_pdfium_finds_the_cited_text_under_each_highlight(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    report = audited(manuscript(tmp_path))
    data, _ = annotated_pdf(report)
    doc = pdfium.PdfDocument(data)
    for (page, h), f in zip(highlights(data), report.findings, strict=True):
        text = doc[page].get_textpage()
        under = ""
        for q in quads(h):
            xs, ys = q[0::2], q[1::2]
            under += text.get_text_bounded(left=min(xs), bottom=min(ys), right=max(xs), top=max(ys))
        assert squeeze(under) == squeeze(EXPECTED[f.rule])


def test_the_annotations_a_file_has_are_kept(tmp_path: Path) -> None:
    path = manuscript(tmp_path, "plain.pdf")
    writer = PdfWriter(clone_from=str(path))
    writer.add_annotation(0, Text(rect=(500, 780, 520, 800), text="A reviewer's own note"))
    noted = tmp_path / "noted.pdf"
    writer.write(noted)
    data, count = annotated_pdf(audited(noted))
    first = annotations(data)[0]
    assert [a["/Subtype"] for a in first].count("/Text") == 1
    assert next(a for a in first if a["/Subtype"] == "/Text")["/Contents"] == "A reviewer's own note"
    assert count == len(highlights(data)) == 4


def test_what_has_no_place_in_the_file_is_left_out_and_not_counted(tmp_path: Path) -> None:
    report = audited(manuscript(tmp_path))
    source = report.source
    extra = (
        Finding("CC100", "no-reference-list", Severity.ERROR, "A finding about the whole document."),  # no span
        Finding("CC101", "missing-reference", Severity.ERROR, "Past the text.", span=Span(len(source.text), len(source.text))),
    )
    report = dataclasses.replace(report, findings=report.findings + extra)
    data, count = annotated_pdf(report)
    assert count == len(highlights(data)) == 4
    # A page the reader could not place its lines on (no frame) gets no highlight.
    source.anchors.frames[0] = None
    data, count = annotated_pdf(report)
    assert count == len(highlights(data)) == 1  # the uncited entry, on the second page
    assert highlights(data)[0][0] == 1


def test_a_bibliography_given_beside_the_pdf_gets_no_highlight(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    bib = tmp_path / "library.bib"
    bib.write_text("@article{x, author = {Nobody, A.}, title = {Grazing}, journal = {Marsh}, year = {2015}}\n@article{y,\n")
    report = audit_source(read_document(str(path), bibs=[str(bib)]))
    end = report.source.manuscript_end
    assert end < len(report.source.text)
    data, count = annotated_pdf(report)
    assert count == len(highlights(data)) == sum(1 for f in report.findings if f.span and f.span.start < end)


def test_nothing_to_place_gives_the_input_itself(tmp_path: Path) -> None:
    article = make_pdf.article(4)
    path = tmp_path / "clean.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    report = audited(path)
    assert report.findings == ()
    assert annotated_pdf(report) == (path.read_bytes(), 0)


def test_a_source_without_anchors_has_its_file_read_again(tmp_path: Path) -> None:
    report = audited(manuscript(tmp_path))
    bare = dataclasses.replace(report, source=dataclasses.replace(report.source, anchors=None))
    assert annotated_pdf(bare) == annotated_pdf(report)


def test_a_file_that_changed_since_it_was_read_is_not_annotated(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    report = audited(path)
    make_pdf.lines_pdf(path, [PAGES[0]], size=10)  # a page fewer
    bare = dataclasses.replace(report, source=dataclasses.replace(report.source, anchors=None))
    assert annotated_pdf(bare) == (path.read_bytes(), 0)
    assert annotated_pdf(report) == (path.read_bytes(), 0)


@pytest.mark.parametrize("loop", make_pdf.LOOPS)
def test_a_pdf_that_refers_to_itself_is_annotated_or_refused_in_one_line(tmp_path: Path, loop: str) -> None:
    path = tmp_path / "loop.pdf"
    make_pdf.looped_pdf(path, loop)
    try:
        report = audited(path)
    except InputError:
        return  # the reader refuses it (tests/test_reader_pdf.py says how)
    started = time.monotonic()
    try:
        data, count = annotated_pdf(report)
    except InputError as exc:
        assert str(exc).startswith(f"{path}: cannot be annotated")
        assert "\n" not in str(exc)
    else:
        assert count in (0, len(highlights(data)))
    assert time.monotonic() - started < 10


# ------------------------------------------------------------------------- drawn where the text is

PDFTOPPM = shutil.which("pdftoppm")
DPI = 50


@pytest.fixture
def poppler() -> str:
    if PDFTOPPM is None:
        if os.environ.get("CITECHECK_REQUIRE_POPPLER") == "1":
            pytest.fail("pdftoppm is not installed and CITECHECK_REQUIRE_POPPLER=1 (apt-get install poppler-utils)")
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    return PDFTOPPM


def render(poppler: str, data: bytes, folder: Path, page: int = 1) -> Image.Image:
    """The page as pdftoppm draws it, annotations and all, at ``DPI``."""
    pdf = folder / "render.pdf"
    pdf.write_bytes(data)
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run([poppler, "-r", str(DPI), "-png", *pages, str(pdf), str(folder / "page")], check=True)
    [png] = folder.glob("page*.png")
    image = Image.open(png).convert("RGB")
    png.unlink()
    return image


def pixel_box(quad: list[float], media: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """A quadrilateral's box in the pixels of an unrotated page rendered from its media box."""
    xs, ys = quad[0::2], quad[1::2]
    scale = DPI / 72
    return (
        round((min(xs) - media[0]) * scale),
        round((media[3] - max(ys)) * scale),
        round((max(xs) - media[0]) * scale),
        round((media[3] - min(ys)) * scale),
    )


def share(image: Image.Image, box: tuple[int, int, int, int], test: Any) -> float:
    """The share of the pixels of a box (inset a pixel) for which ``test`` holds."""
    x0, y0, x1, y1 = box[0] + 1, box[1] + 1, box[2] - 1, box[3] - 1
    pixels = [image.getpixel((x, y)) for x in range(x0, x1) for y in range(y0, y1)]
    assert pixels, box
    return sum(1 for p in pixels if test(p)) / len(pixels)


def tinted(colour: tuple[float, float, float]) -> Any:
    target = [round(255 * c) for c in colour]
    return lambda p: all(abs(a - b) <= 16 for a, b in zip(p, target, strict=True))


def ink(p: tuple[int, int, int]) -> bool:
    return sum(p) < 3 * 110  # text, darkened further by the highlight's multiply


def check_drawn(image: Image.Image, found: list[tuple[int, Any]], media: tuple[float, float, float, float], page: int) -> None:
    """Each highlight of the page is drawn in its colour inside its quadrilaterals, with the text
    under it; and nowhere else on the page is that colour."""
    boxes = []
    for p, h in found:
        if p != page:
            continue
        colour = tuple(float(c) for c in h["/C"])
        for q in quads(h):
            box = pixel_box(q, media)
            boxes.append((box, colour))
            assert share(image, box, tinted(colour)) > 0.25, box
            assert share(image, box, ink) > 0.03, box  # the text is under the highlight, not beside it
    assert boxes
    for colour in {c for _, c in boxes}:
        inside = {
            (x, y) for (x0, y0, x1, y1), c in boxes if c == colour for x in range(x0 - 2, x1 + 3) for y in range(y0 - 2, y1 + 3)
        }
        stray = [(x, y) for x in range(image.width) for y in range(image.height) if tinted(colour)(image.getpixel((x, y)))]
        assert [xy for xy in stray if xy not in inside] == []


def test_poppler_draws_each_highlight_on_its_text(tmp_path: Path, poppler: str) -> None:
    report = audited(manuscript(tmp_path))
    data, _ = annotated_pdf(report)
    found = highlights(data)
    media = (0.0, 0.0, 595.2756, 841.8898)  # reportlab's A4
    for page in (0, 1):
        check_drawn(render(poppler, data, tmp_path, page + 1), found, media, page)


@pytest.mark.parametrize(("origin", "crop"), [((100.0, 200.0), 0.0), ((-60.0, 35.0), 30.0)], ids=["media-box", "crop-box"])
def test_a_page_whose_box_is_not_at_the_origin_is_highlighted_in_place(
    tmp_path: Path, poppler: str, origin: tuple[float, float], crop: float
) -> None:
    path = tmp_path / "boxed.pdf"
    lines = [
        "Coastal wetlands store carbon (Abara, 2019) at high rates.",
        "Their loss has accelerated (Nobody,",
        "2015) since drainage began.",
        "",
        "References",
        "Abara, N. (2019). Blue carbon accounting. Marine Policy, 41(2), 10-30.",
    ]
    make_pdf.boxed_pdf(path, lines, origin, crop=crop)
    report = audited(path)
    assert [f.rule for f in report.findings] == ["CC101"]
    data, count = annotated_pdf(report)
    [(page, h)] = highlights(data)
    assert count == 1 and len(quads(h)) == 2
    media = (origin[0], origin[1], origin[0] + 595.2756, origin[1] + 841.8898)  # pdftoppm draws the media box
    check_drawn(render(poppler, data, tmp_path), [(page, h)], media, 0)


def test_the_copy_is_compressed_and_small(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    data, count = annotated_pdf(audited(path))
    added = data[len(path.read_bytes()) :]
    assert b"/Type /XRef" in added and b"/FlateDecode" in added  # the update's cross-references, compressed
    assert len(added) < 1500 * count


def test_the_input_bytes_are_the_same_after(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    stat = path.stat()
    annotated_pdf(audited(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert path.stat().st_mtime_ns == stat.st_mtime_ns


def test_the_pages_change_only_by_their_annotations(tmp_path: Path) -> None:
    path = manuscript(tmp_path)
    data, _ = annotated_pdf(audited(path))
    before, after = PdfReader(str(path)).pages, PdfReader(io.BytesIO(data)).pages
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        assert set(new) == set(old) | {"/Annots"}
        assert {k: plain(v) for k, v in new.items() if k != "/Annots"} == {k: plain(v) for k, v in old.items()}


def plain(value: Any) -> Any:
    """A PDF value as plain data, references as their object numbers (two readers' references to
    one object are not equal)."""
    if isinstance(value, IndirectObject):
        return ("ref", value.idnum, value.generation)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
