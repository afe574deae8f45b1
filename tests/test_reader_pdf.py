"""The PDF reader: reading order in one and two columns, page offsets, characters, unreadable files.

Every PDF is built on the fly with reportlab (``tests/make_pdf.py``); nothing is read from the network.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import make_pdf
import pytest
from make_pdf import HEADER
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import LIT
from pdfminer.runlength import rldecode

import citecheck
from citecheck.cli import run
from citecheck.errors import InputError
from citecheck.layout import analyse
from citecheck.model import LinkStatus, Source
from citecheck.pipeline import audit_source
from citecheck.readers import pdf as pdf_reader
from citecheck.readers import pdf_limits
from citecheck.readers.pdf import read_pdf
from citecheck.readers.pdf_layout import page_text, plain
from citecheck.readers.pdf_limits import TooLarge, limited

ABSTRACT = (
    "We surveyed forty-two restored marshes along three coasts and asked why some recovered while others stayed "
    "bare for a decade. Planting, hydrology and the involvement of local fishers all mattered, and funding that "
    "outlasted the first monitoring cycle mattered most of all."
)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def clean_text(source: Source) -> str:
    """The text as the rest of the pipeline sees it: headers and page numbers blanked, white space collapsed."""
    return squeeze(analyse(source).clean)


WIDE_HEADER = "JOURNAL OF TESTS Vol.3 (2024) · Restoring coastal wetlands: hydrology, planting and stewardship · A. N. Author"


@dataclass(frozen=True)
class Layout:
    """One way of setting the synthetic article, and what reading it must give back."""

    build: Callable[[Path, make_pdf.Article], int]  # writes the PDF, returns its page count
    header: str | None = HEADER  # the running header each page starts with
    paragraphs: int = 40


def two_column(header: str | None = HEADER, **options: Any) -> Callable[[Path, make_pdf.Article], int]:
    return lambda p, a: make_pdf.two_column_pdf(p, a.title, a.paragraphs, a.references, header=header, **options)


LAYOUTS = {
    "two-column": Layout(two_column()),
    "two-column-abstract": Layout(two_column(abstract=ABSTRACT)),
    "two-column-header-across-the-gutter": Layout(two_column(WIDE_HEADER), header=WIDE_HEADER),
    "two-column-no-header-no-page-numbers": Layout(two_column(None, page_numbers=False), header=None),
    "two-column-narrow-gutter": Layout(two_column(gutter=11)),
    "two-column-wide-gutter": Layout(two_column(gutter=36)),
    "two-column-ragged-right": Layout(two_column(justified=False)),
    "two-column-small-type": Layout(two_column(size=7.5), paragraphs=60),
    "single-column": Layout(lambda p, a: make_pdf.single_column_pdf(p, a.paragraphs, a.references, header=HEADER)),
    "single-page": Layout(lambda p, a: make_pdf.single_column_pdf(p, a.paragraphs, header=None), header=None, paragraphs=2),
}


@pytest.fixture(scope="module", params=list(LAYOUTS), ids=list(LAYOUTS))
def laid_out(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, make_pdf.Article, int, Source]:
    layout = LAYOUTS[request.param]
    article = make_pdf.article(layout.paragraphs)
    path = tmp_path_factory.mktemp("pdf") / f"{request.param}.pdf"
    pages = layout.build(path, article)
    return request.param, article, pages, read_pdf(str(path))


def test_every_sentence_is_whole_and_in_reading_order(laid_out: tuple[str, make_pdf.Article, int, Source]) -> None:
    _, article, _, source = laid_out
    text = clean_text(source)
    at = -1
    for sentence in article.sentences:
        found = text.find(sentence, at + 1)
        assert found != -1, f"not found whole, or out of order: {sentence!r}"
        at = found


def test_every_citation_is_intact(laid_out: tuple[str, make_pdf.Article, int, Source]) -> None:
    _, article, _, source = laid_out
    text = clean_text(source)
    for cite in set(article.citations):
        assert text.count(cite) == article.citations.count(cite), cite


def test_one_offset_per_page_at_its_first_line(laid_out: tuple[str, make_pdf.Article, int, Source]) -> None:
    name, _, pages, source = laid_out
    assert len(source.pages) == pages
    assert source.pages[0] == 0
    assert list(source.pages) == sorted(set(source.pages))
    for number, offset in enumerate(source.pages, 1):
        first = source.text[offset:].split("\n", 1)[0]
        if LAYOUTS[name].header:
            assert first == LAYOUTS[name].header, f"page {number}"
        assert source.page(offset) == number
        if number > 1:
            assert source.text[offset - 2 : offset] == "\n\n", "pages are separated by a blank line"


def test_headers_and_page_numbers_are_lines_of_their_own(laid_out: tuple[str, make_pdf.Article, int, Source]) -> None:
    name, _, pages, source = laid_out
    header = LAYOUTS[name].header
    if not header:
        # no header to remove: nothing but page numbers may be taken for noise
        noise = {source.text[s.start : s.end].strip() for s in analyse(source).noise}
        assert noise <= {str(n) for n in range(1, pages + 1)}
        return
    lines = source.text.split("\n")
    assert lines.count(header) == pages
    for number in range(1, pages + 1):
        assert str(number) in lines, f"page number {number}"
    # layout.py recognises all of them as noise, and nothing else.
    noise = {source.text[s.start : s.end].strip() for s in analyse(source).noise}
    assert noise == {header} | {str(n) for n in range(1, pages + 1)}


def test_headings_and_paragraphs_are_set_apart_by_blank_lines(laid_out: tuple[str, make_pdf.Article, int, Source]) -> None:
    _, article, _, source = laid_out
    blocks = [b for b in source.text.split("\n\n") if b.strip()]
    for heading in {p[len(make_pdf.HEADING) :] for p in article.paragraphs if p.startswith(make_pdf.HEADING)}:
        assert heading in blocks
    assert len(blocks) >= len(article.paragraphs)


def test_title_block_and_abstract_come_before_the_columns(tmp_path: Path) -> None:
    article = make_pdf.article(8)
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references, abstract=ABSTRACT)
    blocks = read_pdf(str(path)).text.split("\n\n")
    assert blocks[:3] == [HEADER, article.title, "A. N. Author and B. Writer"]
    assert squeeze(blocks[3]) == ABSTRACT
    assert blocks[4] == "Introduction"


def test_a_two_column_article_audits_clean(tmp_path: Path) -> None:
    article = make_pdf.article(40)
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    report = audit_source(read_pdf(str(path)))
    assert report.findings == ()
    assert len(report.citations) == sum(c.count(";") + 1 for c in article.citations)  # "(A, 2019; B, 2020)" is two
    assert len(report.references) == len(make_pdf.WORKS)
    assert {link.status for link in report.links} == {LinkStatus.EXACT}
    assert {report.references[link.reference].first_author for link in report.links if link.reference is not None} == {
        w.surnames[0] for w in make_pdf.WORKS
    }


def test_a_pdf_path_is_audited_through_the_public_api(tmp_path: Path) -> None:
    article = make_pdf.article(6)
    path = tmp_path / "article.pdf"
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    report = citecheck.audit(str(path))
    assert report.source.encoding == "pdf"
    assert report.findings == ()
    assert report.source.page(report.citations[-1].span.start) == len(report.source.pages)


@pytest.mark.parametrize(
    ("drawn", "read"),
    [
        pytest.param("The \ufb01rst \ufb02ow of \ufb01sh", "The first flow of fish", id="fi-fl-ligatures"),
        pytest.param("restor\u00adation of marshes", "restoration of marshes", id="soft-hyphen-inside-a-word"),
        pytest.param("restor\u00ad", "restor-", id="soft-hyphen-at-line-end-shows-as-hyphen"),
        pytest.param("(Smith,\u00a02018,\u00a0p.\u00a045)", "(Smith, 2018, p. 45)", id="no-break-spaces"),
    ],
)
def test_ligatures_and_special_spaces_become_plain_text(tmp_path: Path, drawn: str, read: str) -> None:
    path = tmp_path / "chars.pdf"
    # Vera (shipped with reportlab) has the fi and fl ligature glyphs, embedded with a Unicode map.
    make_pdf.lines_pdf(path, [[drawn]], font="Vera")
    source = read_pdf(str(path))
    assert source.text == read


@pytest.mark.parametrize(
    ("glyph", "text"),
    [
        pytest.param("\ufb00", "ff", id="ff"),
        pytest.param("\ufb03", "ffi", id="ffi"),
        pytest.param("\ufb04", "ffl", id="ffl"),
        pytest.param("\ufb06", "st", id="st"),
        pytest.param("\uff33", "S", id="full-width-S"),
        pytest.param("\u2167", "VIII", id="roman-numeral"),
        pytest.param("\u00a0", " ", id="no-break-space"),
        pytest.param("\u200b", "", id="zero-width-space"),
        pytest.param("\x07", " ", id="control-character"),
        pytest.param("\u00e9", "\u00e9", id="e-acute-kept"),
        pytest.param("\u00b4", "\u00b4", id="spacing-accent-kept-for-placing"),
    ],
)
def test_each_glyph_is_read_as_plain_characters(glyph: str, text: str) -> None:
    assert plain(glyph) == text


@pytest.mark.parametrize("seed", [pytest.param(None, id="in-order"), pytest.param(5, id="drawn-in-shuffled-order")])
def test_word_spaces_come_from_gaps_when_the_pdf_has_no_space_characters(tmp_path: Path, seed: int | None) -> None:
    lines = ["Coastal wetlands store carbon (Abara, 2019, p. 14) at high rates,", "higher than most forests (Smith, 2018)."]
    path = tmp_path / "words.pdf"
    make_pdf.words_pdf(path, lines, seed=seed)
    assert read_pdf(str(path)).text == "\n".join(lines)


def test_superscripts_and_drawn_accents_stay_in_their_line(tmp_path: Path) -> None:
    path = tmp_path / "marks.pdf"
    make_pdf.marks_pdf(path)
    assert read_pdf(str(path)).text == "Study by Müller23 was cited (Müller, 2019)."


def test_line_numbers_in_the_margin_are_left_out(tmp_path: Path) -> None:
    pages = [
        [
            "Coastal wetlands store carbon at rates that exceed those",
            "of most terrestrial forests, and they do so for centuries",
            "once the marsh surface keeps pace with the sea (Abara,",
            "2019, p. 14). Their loss has accelerated since 1990",
            "(Bellweather, 2020), chiefly through drainage and",
        ],
        ["conversion to farmland, and restoration has become a", "policy goal in many countries (Carvalho & Duin, 2021)."],
    ]
    path = tmp_path / "numbered.pdf"
    make_pdf.lines_pdf(path, pages, line_numbers=True)
    source = read_pdf(str(path))
    assert source.text == "\n\n".join("\n".join(lines) for lines in pages)
    assert source.notes == ("line numbers in the left margin of 2 pages were left out",)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_turned_page_is_read_turned_and_a_margin_stamp_left_out(tmp_path: Path, turn: int) -> None:
    stamp = "arXiv:2401.00001v2 [q-bio.PE] 3 Jan 2024"
    table = ["Table 3. Sites and sources", "Marsh A restored 2004 (Smith, 2018, p. 45)", "Marsh B restored 2009 (Abara, 2019)"]
    path = tmp_path / "turned.pdf"
    make_pdf.turned_pdf(path, stamp, table, turn)
    source = read_pdf(str(path))
    first, second = source.text[: source.pages[1]].strip(), source.text[source.pages[1] :]
    assert first == "Wetlands store carbon at rates that exceed those of most forests (Abara, 2019, p. 14)."
    assert second == "\n".join(table)
    assert source.notes == (f"{len(stamp)} characters of rotated or vertical text were left out",)


def test_an_owner_password_alone_does_not_stop_reading(tmp_path: Path) -> None:
    path = tmp_path / "restricted.pdf"
    make_pdf.encrypted_pdf(path, user_password="")
    assert read_pdf(str(path)).text == "Wetlands store carbon (Abara, 2019, p. 14)."


def _truncated(path: Path) -> None:
    article = make_pdf.article(8)
    make_pdf.two_column_pdf(path, article.title, article.paragraphs, article.references)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])


def _garbage_after_header(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7\n" + random.Random(1).randbytes(4000) + b"\n%%EOF\n")


UNREADABLE: dict[str, tuple[Callable[[Path], object], str]] = {
    "encrypted": (make_pdf.encrypted_pdf, r"is encrypted; remove the password and try again"),
    "scanned": (make_pdf.scanned_pdf, r"has no text layer \(a scanned document\?\); run OCR on it first"),
    "truncated": (_truncated, r"is not a readable PDF: it is truncated"),
    "text-named-pdf": (
        lambda p: p.write_text("Just a note (Smith, 2018).\n"),
        r"is not a readable PDF: it does not start with %PDF-",
    ),
    "garbage-after-header": (_garbage_after_header, r"is not a readable PDF: "),
    "empty": (lambda p: p.write_bytes(b""), r"is not a readable PDF: the file is empty"),
}


@pytest.mark.parametrize(("make", "message"), list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_unreadable_files_are_one_line_input_errors(tmp_path: Path, make: Callable[[Path], object], message: str) -> None:
    path = tmp_path / "paper.pdf"
    make(path)
    with pytest.raises(InputError, match=message) as caught:
        read_pdf(str(path))
    text = str(caught.value)
    assert text.startswith(f"{path}: ")
    assert "\n" not in text


def test_the_command_line_reports_an_unreadable_pdf_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "paper.pdf"
    make_pdf.encrypted_pdf(path)
    assert run(["audit", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "is encrypted; remove the password and try again" in err
    assert "\n" not in err


@pytest.mark.parametrize("seed", range(12))
def test_damaged_bytes_never_raise_anything_but_input_error(tmp_path: Path, seed: int) -> None:
    good = tmp_path / "good.pdf"
    article = make_pdf.article(6)
    make_pdf.two_column_pdf(good, article.title, article.paragraphs, article.references)
    rng = random.Random(seed)
    data = bytearray(good.read_bytes())
    for _ in range(rng.randint(1, 12)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(bytes(data))
    try:
        source = read_pdf(str(bad))
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert source.pages


def test_pages_beyond_the_cap_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_PAGES", 3)
    path = tmp_path / "long.pdf"
    make_pdf.lines_pdf(path, [[f"Page {n} of a long file."] for n in range(1, 5)])
    with pytest.raises(InputError, match=r"has more than 3 pages; split it and audit the parts"):
        read_pdf(str(path))


def test_a_page_of_spaces_has_no_text() -> None:
    # Found on a real file (a PDF whose only page draws space glyphs): no segment, no crash.
    spaces = [(72.0 + 6 * i, 78.0 + 6 * i, 700.0, 11.0, " ") for i in range(20)]
    assert page_text(spaces) == ("", False)


@pytest.mark.parametrize("codec", ["FlateDecode", "LZWDecode", "RunLengthDecode"])
def test_a_decompression_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, codec: str) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_INFLATED", 1024 * 1024)
    path = tmp_path / "bomb.pdf"
    make_pdf.bomb_pdf(path, 3 * 1024 * 1024, codec)  # a 3 MB content stream after a page of text
    with pytest.raises(
        InputError, match=r"is not a readable PDF: its streams decompress to more than 1 MB \(a decompression bomb\?\)$"
    ):
        read_pdf(str(path))
    # Under a limit it fits, the same file is read.
    monkeypatch.setattr(pdf_reader, "MAX_INFLATED", 4 * 1024 * 1024)
    assert "Wetlands store carbon (Abara, 2019)." in read_pdf(str(path)).text


def test_other_users_of_pdfminer_decompress_without_a_limit() -> None:
    # The counting decoders replace pdfminer's for every user of it; only a read sets a limit.
    data = b" " * (3 * 1024 * 1024)
    with limited(1024 * 1024, 60), pytest.raises(TooLarge):
        PDFStream({"Filter": LIT("FlateDecode")}, zlib.compress(data)).get_data()
    assert PDFStream({"Filter": LIT("FlateDecode")}, zlib.compress(data)).get_data() == data


def test_scanned_pages_among_text_pages_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "mixed.pdf"
    make_pdf.scanned_pdf(path, pages=2, text="Downloaded from the archive on 3 May 2024")
    source = read_pdf(str(path))
    assert source.text.startswith("Downloaded from the archive on 3 May 2024")
    assert len(source.pages) == 3
    assert source.notes == ("pages 2–3 have only an image (scanned?); their text is missing, run OCR to include it",)


@pytest.mark.parametrize(
    "packed",
    [b"\x02abc\xfex\x80", b"\x00a\x81b", b"\x80after the end", b"", b"\x7f" + bytes(range(128)) + b"\xff-"],
    ids=["literal-then-run", "no-end-marker", "end-first", "empty", "longest-literal"],
)
def test_run_length_is_decoded_as_pdfminer_decodes_it(packed: bytes) -> None:
    # Here a chunk at a time into bytes; pdfminer's own keeps eight bytes for each byte it decodes.
    with limited(1024 * 1024, 60):
        assert PDFStream({"Filter": LIT("RunLengthDecode")}, packed).get_data() == rldecode(packed)


LOOPED_AND_REFUSED = {
    "page-tree": "object 2 refers to itself through a loop of references",
    "page-tree-through-another": "object 2 refers to itself through a loop of references",
    "contents": "object 6 refers to itself through a loop of references",
    "resources": "object 6 refers to itself through a loop of references",
    "font": "object 5 refers to itself through a loop of references",
    "to-unicode": "object 6 refers to itself through a loop of references",
    "length": "object 6 refers to itself through a loop of references",
    "length-of-itself": "its objects nest too deeply or refer to one another in a loop",
    "font-its-own-descendant": "its objects nest too deeply or refer to one another in a loop",
    "cross-reference-sections": "its objects nest too deeply or refer to one another in a loop",
    "object-stream-in-itself": "its objects nest too deeply or refer to one another in a loop",
}


@pytest.mark.parametrize("loop", make_pdf.LOOPS)
def test_a_pdf_that_refers_to_itself_is_read_or_refused_in_one_line(tmp_path: Path, loop: str) -> None:
    # The references to themselves once kept pdfminer busy for ever, the structures that hold
    # themselves ended in a RecursionError; loops pdfminer already breaks are read.
    path = tmp_path / "loop.pdf"
    make_pdf.looped_pdf(path, loop)
    if loop not in LOOPED_AND_REFUSED:
        assert read_pdf(str(path)).text == make_pdf.WETLANDS_TEXT
        return
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    assert str(caught.value) == f"{path}: is not a readable PDF: {LOOPED_AND_REFUSED[loop]}"


def test_reading_past_the_time_limit_is_stopped_with_the_limit_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_SECONDS", 0.5)
    monkeypatch.setattr(pdf_reader, "MAX_DRAWN", 2**50)  # the time limit alone, not the count of forms drawn
    path = tmp_path / "forms.pdf"
    make_pdf.fanout_pdf(path, 40, text=False)  # 2**40 forms to draw: years of pdfminer's time
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    limit = "reading it takes more than 0.5 s, the limit for one PDF; split it and audit the parts"
    assert str(caught.value) == f"{path}: is not a readable PDF: {limit}"


def test_forms_past_the_limit_of_a_page_are_not_drawn_and_a_note_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_DRAWN", 10)
    path = tmp_path / "forms.pdf"
    make_pdf.fanout_pdf(path, 6)  # 63 forms drawn, the last ones holding the text
    source = read_pdf(str(path))
    assert source.text == make_pdf.WETLANDS_TEXT
    assert source.notes == (f"page 1 has more than 10 {pdf_reader.UNDRAWN}",)
    make_pdf.fanout_pdf(path, 40, text=False)  # 2**40 forms to draw, nothing in them
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    assert str(caught.value) == f"{path}: is not a readable PDF: page 1 has more than 10 {pdf_reader.UNDRAWN}"


def test_a_form_drawn_over_and_over_stops_at_the_glyph_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "forms.pdf"
    make_pdf.fanout_pdf(path, 6)  # the line drawn 64 times over itself, 2,240 glyphs
    assert read_pdf(str(path)).text == make_pdf.WETLANDS_TEXT
    monkeypatch.setattr(pdf_reader, "MAX_GLYPHS", 1000)
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    limit = "it draws more than 1,000 characters on one page (a form drawn over and over?)"
    assert str(caught.value) == f"{path}: is not a readable PDF: {limit}"


@pytest.mark.parametrize(
    ("content", "limit"),
    [
        pytest.param(b"[" * 2000, "it has arrays or dictionaries nested more than 1,000 deep", id="nested-arrays"),
        pytest.param(b"<<" * 2000, "it has arrays or dictionaries nested more than 1,000 deep", id="nested-dictionaries"),
        pytest.param(b"[" + b"1 " * 5000 + b"]", "it has an array or a dictionary of more than 1,000 items", id="long-array"),
    ],
)
def test_arrays_too_deep_or_too_long_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, limit: str
) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_ITEMS", 1000)
    path = tmp_path / "arrays.pdf"
    make_pdf.content_pdf(path, zlib.compress(make_pdf.WETLANDS + b" " + content), b"/Filter /FlateDecode ")
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    assert str(caught.value) == f"{path}: is not a readable PDF: {limit}"


def test_an_object_nested_too_deep_is_refused(tmp_path: Path) -> None:
    objects = make_pdf.one_page()
    objects[2] = make_pdf.page()[:-2] + b"/Extra " + b"[" * 10_000 + b"]" * 10_000 + b" >>"  # in the page's dictionary
    path = tmp_path / "nested.pdf"
    make_pdf.handmade_pdf(path, objects)
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    assert str(caught.value) == f"{path}: is not a readable PDF: it has arrays or dictionaries nested more than 1,000 deep"


@pytest.mark.parametrize(
    "junk",
    [b"1 " * 5000, b"q " * 5000, b"0 0 m 1 1 l " * 5000 + b"S "],
    ids=["operands-no-operator-takes", "states-saved-and-never-restored", "a-path-of-10000-segments"],
)
def test_what_a_page_piles_up_is_dropped_without_changing_its_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, junk: bytes
) -> None:
    monkeypatch.setattr(pdf_reader, "MAX_SAVED", 16)
    path = tmp_path / "junk.pdf"
    make_pdf.content_pdf(path, zlib.compress(junk + make_pdf.WETLANDS), b"/Filter /FlateDecode ")
    assert read_pdf(str(path)).text == make_pdf.WETLANDS_TEXT


@pytest.mark.parametrize("kind", make_pdf.FONT_BOMBS)
def test_a_font_that_asks_for_billions_of_entries_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_MAPPED", 10_000)  # the bounding box's billion values take seconds to reach the default
    path = tmp_path / "font.pdf"
    make_pdf.font_bomb_pdf(path, kind)
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    assert str(caught.value) == f"{path}: is not a readable PDF: its fonts' tables have more than 10,000 entries (a font bomb?)"


def test_a_large_stream_behind_a_predictor_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_limits, "MAX_PREDICTED", 1024 * 1024)
    rows = (b"\x02" + b"\x00" * 99) * 20_000  # 2 MB of PNG rows, each "the same as the row above"
    path = tmp_path / "predicted.pdf"
    make_pdf.content_pdf(path, zlib.compress(rows), b"/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 99 >> ")
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    limit = "it has a stream of more than 1 MB behind a predictor (a decompression bomb?)"
    assert str(caught.value) == f"{path}: is not a readable PDF: {limit}"


def test_a_content_stream_packed_as_a_fax_image_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "fax.pdf"
    fax = b"\x55" * 20_000  # 8 MB of image, which pdfminer decodes a bit at a time for over a minute
    make_pdf.content_pdf(path, fax, b"/Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 1728 >> ")
    with pytest.raises(InputError) as caught:
        read_pdf(str(path))
    limit = "a content stream or font is packed as a fax image (CCITTFaxDecode)"
    assert str(caught.value) == f"{path}: is not a readable PDF: {limit}"
