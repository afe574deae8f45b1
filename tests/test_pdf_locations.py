"""The places a person finds a PDF's text by: the page labels a viewer shows ("245", "xii"), the line
numbers printed in a manuscript's margin, and where each character lies on its page (the anchors an
annotator writes highlights from).

Every PDF is built here with reportlab or by hand (``tests/make_pdf.py``). Where text lies is
checked against where the builder drew it (reportlab's own font metrics) and, when pypdfium2 is
installed, against the characters PDFium finds inside each quadrilateral.
"""

from __future__ import annotations

import time
from pathlib import Path

import make_pdf
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics

from citecheck.model import Source
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.readers.pdf import read_pdf, user_frame
from citecheck.readers.pdf_labels import labels_of, number_label
from citecheck.readers.pdf_layout import Anchors

FRONT = [["Preface of the volume"], ["Contents of the volume"], ["Acknowledgements of the volume"]]
BODY = [
    ["Tidal restoration recovers marsh soils within a decade (Abara, 2019, p. 14)."],
    ["Mangrove loss slowed after 2005 in most regions (Bellweather, 2020)."],
    ["Targets differ between countries by a factor of three (Carvalho & Duin, 2021)."],
]
REFERENCES = [["References", *(w.entry() for w in make_pdf.WORKS[:3])]]


def offset_of(source: Source, needle: str, start: int = 0) -> int:
    i = source.text.find(needle, start)
    assert i != -1, needle
    return i


# ------------------------------------------------------------------------------------------ page labels


@pytest.mark.parametrize(
    ("style", "n", "label"),
    [
        ("D", 245, "245"),
        ("r", 4, "iv"),
        ("r", 12, "xii"),
        ("R", 1994, "MCMXCIV"),
        ("R", 4999, "MMMMCMXCIX"),
        ("R", 5000, "5000"),  # past what roman numerals are written for: digits, not five thousand Ms
        ("a", 1, "a"),
        ("A", 26, "Z"),
        ("A", 28, "BB"),
        ("a", 53, "aaa"),
        ("A", 10**6, "1000000"),
    ],
    ids=lambda v: str(v),
)
def test_a_number_in_each_label_style(style: str, n: int, label: str) -> None:
    assert number_label(style, n) == label


def test_ranges_run_to_the_next_and_pages_before_the_first_have_no_label() -> None:
    entries = [(2, {"S": _literal("r")}), (4, {"S": _literal("D"), "St": 245}), (6, {"P": b"Cover"})]
    assert labels_of(entries, 7) == ["", "", "i", "ii", "245", "246", "Cover"]


def _literal(name: str) -> object:
    from pdfminer.psparser import LIT

    return LIT(name)


def test_roman_front_matter_then_the_journal_s_page_numbers(tmp_path: Path) -> None:
    path = tmp_path / "labelled.pdf"
    make_pdf.labelled_pdf(path, FRONT + BODY + REFERENCES, [(0, "r", None, None), (3, "D", 245, None)])
    source = read_pdf(str(path))
    assert source.page_labels == ("i", "ii", "iii", "245", "246", "247", "248")
    assert source.notes == ()
    assert source.page_label(offset_of(source, "Contents")) == "ii"
    report = audit_source(source)
    cited = {c.authors[0]: source.page_label(c.span.start) for c in report.citations}
    assert cited == {"Abara": "245", "Bellweather": "246", "Carvalho": "247"}


def test_a_prefix_and_letters(tmp_path: Path) -> None:
    path = tmp_path / "appendix.pdf"
    make_pdf.labelled_pdf(path, [*BODY, ["Appendix A"], ["Appendix B"]], [(0, "D", 1, None), (3, "A", None, "App. ")])
    assert read_pdf(str(path)).page_labels == ("1", "2", "3", "App. A", "App. B")


def test_a_pdf_without_labels_has_none(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    make_pdf.lines_pdf(path, BODY)
    source = read_pdf(str(path))
    assert source.page_labels == ()
    assert source.page_label(0) is None


NUMS_D = b"<< /Nums [0 << /S /D >>] >>"
# Number trees a hostile file may hold, each read in bounded time to no labels and a note, the
# page's text still read.
HOSTILE = {
    "kids-naming-their-own-node": ([b"<< /Kids [6 0 R] >>"], "its tree refers back to itself"),
    "a-node-that-is-a-reference-to-itself": ([b"6 0 R"], "a reference of it leads back to itself"),
    "two-references-to-each-other": ([b"7 0 R", b"6 0 R"], "a reference of it leads back to itself"),
    # Thirty nodes each naming the next twice: a billion leaves to a recursive walk.
    "a-doubling-tree-thirty-deep": (
        [b"<< /Kids [%d 0 R %d 0 R] >>" % (n + 1, n + 1) for n in range(6, 36)] + [NUMS_D],
        "its tree is far larger than the document's pages need",
    ),
    "a-node-that-is-its-own-kid-twice": ([b"<< /Kids [7 0 R 7 0 R] >>", NUMS_D], "its tree refers back to itself"),
    "ten-thousand-ranges-for-one-page": (
        [b"<< /Nums [%s] >>" % b" ".join(b"%d << /S /D >>" % i for i in range(10_000))],
        "its tree is far larger than the document's pages need",
    ),
    "a-first-number-of-thirty-digits": (
        [b"<< /Nums [0 << /S /D /St 100000000000000000000000000000 >>] >>"],
        "a range of it starts at no page number",
    ),
    "a-first-number-below-one": ([b"<< /Nums [0 << /S /D /St -4 >>] >>"], "a range of it starts at no page number"),
    "entries-that-are-no-array": ([b"<< /Nums 5 >>"], "a node of its tree has entries that are not an array"),
    "a-node-that-is-a-number": ([b"<< /Kids [7 0 R] >>", b"42"], "a node of its tree is not a dictionary"),
    "a-label-that-is-a-name": ([b"<< /Nums [0 /D] >>"], "an entry of its tree is not a page number and a label"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_label_tree_is_read_in_bounded_time_to_no_labels(tmp_path: Path, case: str) -> None:
    tree, why = HOSTILE[case]
    path = tmp_path / "labels.pdf"
    make_pdf.page_labels_pdf(path, tree)
    started = time.monotonic()
    source = read_pdf(str(path))
    assert time.monotonic() - started < 5
    assert source.text == make_pdf.WETLANDS_TEXT
    assert source.page_labels == ()
    assert source.notes == (f"the PDF's page labels could not be read ({why}); pages are named by their number",)


@pytest.mark.parametrize(
    ("tree", "label"),
    [
        ([b"<< /Nums [0 << /S /R /St 900000000 >>] >>"], "900000000"),  # not 900,000 Ms
        ([b"<< /Nums [0 << /P (%s) /S /D >>] >>" % (b"S" * 1_000_000)], "S" * 64 + "1"),  # not a megabyte a page
        ([b"<< /Nums [0 << /S /a /St 27 /P (Suppl. ) >>] >>"], "Suppl. aa"),
        ([b"<< /Kids [7 0 R] >>", b"<< /Kids [8 0 R] /Limits [0 0] >>", b"<< /Nums [0 9 0 R] >>", b"<< /S /D /St 245 >>"], "245"),
    ],
    ids=["roman-of-a-billion", "a-megabyte-prefix", "letters-after-a-prefix", "kids-and-references"],
)
def test_labels_stay_bounded_and_references_are_followed(tmp_path: Path, tree: list[bytes], label: str) -> None:
    path = tmp_path / "labels.pdf"
    make_pdf.page_labels_pdf(path, tree)
    source = read_pdf(str(path))
    assert (source.page_labels, source.notes) == ((label,), ())


# ------------------------------------------------------------------------------- margin line numbers

PAGES = [
    [
        "Coastal wetlands store carbon at rates that exceed those",
        "of most terrestrial forests, and they do so for centuries",
        "once the marsh surface keeps pace with the sea (Abara,",
        "2019, p. 14). Their loss has accelerated since 1990",
        "(Bellweather, 2020), chiefly through drainage and",
    ],
    [
        "conversion to farmland, and restoration has become a",
        "policy goal in many countries (Carvalho & Duin, 2021).",
        "Monitoring costs remain the main obstacle to scaling up",
    ],
]


def _every_line_numbered(source: Source, pages: list[list[str]], printed: list[list[int]]) -> None:
    """Each drawn line's start gives the number printed beside it, and so does its last character."""
    at = 0
    for lines, numbers in zip(pages, printed, strict=True):
        for line, number in zip(lines, numbers, strict=True):
            at = offset_of(source, line, at)
            assert (source.printed_line(at), source.printed_line(at + len(line) - 1)) == (number, number), line
    assert len(source.line_numbers) == sum(map(len, printed))


@pytest.mark.parametrize(("restart", "first"), [(False, 1), (True, 1), (False, 101)], ids=["continuous", "per-page", "from-101"])
def test_the_line_number_printed_beside_each_line(tmp_path: Path, restart: bool, first: int) -> None:
    path = tmp_path / "numbered.pdf"
    printed = make_pdf.numbered_pdf(path, PAGES, first=first, restart=restart)
    source = read_pdf(str(path))
    assert source.text == "\n\n".join("\n".join(lines) for lines in PAGES)  # the numbers are still left out
    _every_line_numbered(source, PAGES, printed)


def test_a_citation_is_on_the_numbered_line_it_starts_on(tmp_path: Path) -> None:
    path = tmp_path / "numbered.pdf"
    make_pdf.numbered_pdf(path, PAGES, restart=True)
    report = audit_source(read_pdf(str(path)))
    lines = {c.text: (report.source.page(c.span.start), report.source.printed_line(c.span.start)) for c in report.citations}
    assert lines == {"Abara,\n2019, p. 14": (1, 3), "Bellweather, 2020": (1, 5), "Carvalho & Duin, 2021": (2, 2)}


def test_the_numbers_of_the_existing_lines_pdf_builder(tmp_path: Path) -> None:
    path = tmp_path / "numbered.pdf"
    make_pdf.lines_pdf(path, PAGES, line_numbers=True)
    source = read_pdf(str(path))
    _every_line_numbered(source, PAGES, [[1, 2, 3, 4, 5], [6, 7, 8]])


def test_numbers_beside_the_left_column_of_a_two_column_page(tmp_path: Path) -> None:
    text = " ".join(f"Restored marsh {i} recovered as tidal channels reopened (Abara, 2019) over years." for i in range(10))
    path = tmp_path / "columns.pdf"
    left, right = make_pdf.numbered_columns_pdf(path, text, text.replace("marsh", "fen"))
    source = read_pdf(str(path))
    assert source.text.startswith("\n".join(left) + "\n")  # the left column first, as two columns
    assert len(left) > 10 and len(right) > 10
    at = 0
    for number, line in enumerate(left, 1):
        at = offset_of(source, line, at)
        assert source.printed_line(at) == number
    at = source.text.index(right[0])
    assert [source.printed_line(offset_of(source, line, at)) for line in right] == [None] * len(right)


def test_no_numbers_no_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "plain.pdf"
    make_pdf.lines_pdf(path, PAGES)
    source = read_pdf(str(path))
    assert source.line_numbers == ()
    assert source.printed_line(10) is None


def test_the_places_pass_through_read_document(tmp_path: Path) -> None:
    path = tmp_path / "labelled.pdf"
    make_pdf.labelled_pdf(path, BODY + REFERENCES, [(0, "D", 245, None)])
    bib = tmp_path / "library.bib"
    bib.write_text("@article{x, author = {Quist, R.}, title = {Salt pans}, journal = {Wetlands}, year = {2011}}\n")
    source = read_document(str(path), bibs=[str(bib)])
    assert source.page_labels == ("245", "246", "247", "248")
    assert isinstance(source.anchors, Anchors)
    assert source.page_label(offset_of(source, "Carvalho &")) == "247"
    assert source.page_label(len(source.text) - 5) is None  # in the library given beside it


# ------------------------------------------------------------------------------------------- anchors

LINES = ["Wetlands store carbon at high rates (Abara, 2019, p. 14), as", "surveys found (Smith,", "2018) in most estuaries."]
SIZE = 11.0


def expected_box(line: int, before: str, text: str, origin: tuple[float, float] = (0, 0)) -> tuple[float, float, float]:
    """Where ``boxed_pdf`` draws ``text`` after ``before`` on line ``line``: left x, right x and the
    baseline, in user space, from reportlab's metrics of Helvetica."""
    x = origin[0] + 72 + pdfmetrics.stringWidth(before, "Helvetica", SIZE)
    base = origin[1] + A4[1] - 72 - line * SIZE * 1.3
    return x, x + pdfmetrics.stringWidth(text, "Helvetica", SIZE), base


@pytest.mark.parametrize("origin", [(0.0, 0.0), (100.0, 200.0), (-50.0, 30.5)], ids=["origin", "shifted", "negative"])
@pytest.mark.parametrize("crop", [0.0, 20.0], ids=["media-box", "crop-box"])
def test_quadrilaterals_lie_on_the_text_in_user_space(tmp_path: Path, origin: tuple[float, float], crop: float) -> None:
    path = tmp_path / "boxed.pdf"
    make_pdf.boxed_pdf(path, LINES, origin, crop=crop)
    source = read_pdf(str(path))
    assert source.text == "\n".join(LINES)
    start = offset_of(source, "(Abara")
    [(page, quad)] = source.anchors.quads(start, start + len("(Abara, 2019, p. 14)"))
    left, right, base = expected_box(0, "Wetlands store carbon at high rates ", "(Abara, 2019, p. 14)", origin)
    xs, ys = quad[0::2], quad[1::2]
    assert page == 0
    assert xs == pytest.approx([left, right, left, right], abs=0.05)
    assert ys[0] == ys[1] and ys[2] == ys[3]  # upper edge, then lower
    assert ys[2] < base < ys[0] and ys[0] - base == pytest.approx(0.8 * SIZE, abs=0.01)
    assert base - ys[2] == pytest.approx(0.25 * SIZE, abs=0.01)


def test_a_span_over_a_line_break_is_one_quadrilateral_a_line(tmp_path: Path) -> None:
    path = tmp_path / "boxed.pdf"
    make_pdf.boxed_pdf(path, LINES, (0, 0))
    source = read_pdf(str(path))
    start = offset_of(source, "(Smith,")
    quads = source.anchors.quads(start, start + len("(Smith,\n2018)"))
    assert [page for page, _ in quads] == [0, 0]
    (_, first), (_, second) = quads
    left, right, _ = expected_box(1, "surveys found ", "(Smith,")
    assert (first[0], first[2]) == pytest.approx((left, right), abs=0.05)
    left, right, _ = expected_box(2, "", "2018)")
    assert (second[0], second[2]) == pytest.approx((left, right), abs=0.05)
    assert second[1] < first[5]  # the second line's top below the first's bottom
    # The newline alone has no width to show; a span of word spaces lies between the words.
    assert source.anchors.quads(start + len("(Smith,"), start + len("(Smith,\n")) == []
    space = offset_of(source, " found")
    [(_, quad)] = source.anchors.quads(space, space + 1)
    assert quad[0] == pytest.approx(expected_box(1, "surveys", "")[0], abs=0.05)
    assert quad[2] == pytest.approx(expected_box(1, "surveys ", "")[0], abs=0.05)


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
def test_a_rotated_page_s_quadrilaterals_hold_the_text(tmp_path: Path, rotate: int) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    path = tmp_path / "rotated.pdf"
    make_pdf.boxed_pdf(path, LINES, (40, 60), crop=10, rotate=rotate)
    source = read_pdf(str(path))
    assert source.text == "\n".join(LINES)
    page = pdfium.PdfDocument(str(path))[0].get_textpage()
    for needle in ("(Abara, 2019, p. 14)", "(Smith,\n2018)", "estuaries."):
        start = offset_of(source, needle)
        got = ""
        for _, quad in source.anchors.quads(start, start + len(needle)):
            xs, ys = quad[0::2], quad[1::2]
            got += page.get_text_bounded(left=min(xs), bottom=min(ys), right=max(xs), top=max(ys))
        assert "".join(got.split()) == "".join(needle.split())


def test_every_citation_of_a_two_column_article_is_found_where_pdfium_sees_it(tmp_path: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2")
    article = make_pdf.article(30)
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    report = audit_source(read_pdf(str(path)))
    doc = pdfium.PdfDocument(str(path))
    pages = [doc[i].get_textpage() for i in range(len(doc))]
    text = report.source.text
    assert len(report.citations) > 40
    for c in report.citations:
        got = ""
        for page, quad in report.source.anchors.quads(c.span.start, c.span.end):
            xs, ys = quad[0::2], quad[1::2]
            got += pages[page].get_text_bounded(left=min(xs), bottom=min(ys), right=max(xs), top=max(ys))
        # A word hyphenated at a line's end reads as its two halves in PDFium too.
        assert "".join(got.split()) == "".join(text[c.span.start : c.span.end].split())


def test_anchors_cover_every_line_and_take_four_bytes_a_character(tmp_path: Path) -> None:
    article = make_pdf.article(20)
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    source = read_pdf(str(path))
    anchors = source.anchors
    assert isinstance(anchors, Anchors)
    lines = [(start, anchors.first[i + 1] - anchors.first[i] - 1) for i, start in enumerate(anchors.starts)]
    # Every line of text is one line of the anchors, and nothing else is.
    read = [(m, len(line)) for m, line in _lines(source.text)]
    assert lines == read
    assert anchors.edges.itemsize == 4 and len(anchors.edges) == len(source.text) - source.text.count("\n") + len(lines)
    assert sorted(anchors.starts) == list(anchors.starts)


def _lines(text: str) -> list[tuple[int, str]]:
    out, at = [], 0
    for line in text.split("\n"):
        if line:
            out.append((at, line))
        at += len(line) + 1
    return out


@pytest.mark.parametrize(
    ("ctm", "turn", "point", "user"),
    [
        ((1, 0, 0, 1, 0, 0), 0, (72, -770), (72, 770)),
        ((1, 0, 0, 1, -100, -200), 0, (72, -700), (172, 900)),  # a media box from (100, 200)
        ((0, -1, 1, 0, 0, 595), 3, (-523, -770), (72, 770)),  # /Rotate 90: its text runs down the device
    ],
    ids=["upright", "shifted", "rotated"],
)
def test_the_layout_frame_maps_to_user_space(
    ctm: tuple[float, ...], turn: int, point: tuple[float, float], user: tuple[float, float]
) -> None:
    frame = user_frame(ctm, turn)
    assert frame is not None
    xx, xb, x0, yx, yb, y0 = frame
    x, b = point
    assert (xx * x + xb * b + x0, yx * x + yb * b + y0) == pytest.approx(user)


def test_a_page_whose_matrix_cannot_be_inverted_has_no_frame() -> None:
    assert user_frame((0, 0, 0, 0, 5, 5), 0) is None
