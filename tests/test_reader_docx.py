"""The DOCX reader: the text it lays out, the citation fields it returns, the files it refuses."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import findings_of, links_of
from make_docx import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    NS,
    Doc,
    csl_citation,
    damaged_member,
    deleted,
    endnote,
    endnote_mark,
    field,
    footnote_mark,
    inserted,
    lying_zip_bomb,
    mendeley,
    ole_file,
    run,
    truncated_zip,
    with_document_xml,
    zip_bomb,
    zip_without_document,
    zotero,
)

from citecheck.errors import InputError
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.readers.docx import read_docx

SMITH = csl_citation(("ABCD1234", "Smith", 2018))
BR = "<w:r><w:br/></w:r>"
NESTED = (
    f"<w:document {NS}><w:body>{'<w:sdt><w:sdtContent>' * 20000}<w:p><w:r><w:t>x</w:t></w:r></w:p>"
    f"{'</w:sdtContent></w:sdt>' * 20000}</w:body></w:document>"
)
HIDDEN = '<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">(Hidden, 1999) </w:t></w:r>'


def _notes() -> Doc:
    doc = Doc()
    doc.footnote("See Smith (2018).")
    doc.footnote("A note of two paragraphs:\nthe second one.")
    doc.endnote("Jones (2019) disagrees.")
    return doc.xml(run("Body text.") + footnote_mark(1) + run(" More") + footnote_mark(2) + run(".") + endnote_mark(1))


@pytest.mark.parametrize(
    ("build", "text"),
    [
        pytest.param(
            lambda: Doc().heading("Introduction").para("First paragraph.").para("").para("Second paragraph."),
            "Introduction\n\nFirst paragraph.\n\nSecond paragraph.\n",
            id="paragraphs-and-headings-empty-paragraph-left-out",
        ),
        pytest.param(
            lambda: Doc().para("As found ", "(", ("Smith", "b"), ", ", ("2018", "i"), ", ", ("p. 45", "bi"), ").", ""),
            "As found (Smith, 2018, p. 45).\n",
            id="citation-split-over-bold-and-italic-runs",
        ),
        pytest.param(
            lambda: (
                Doc()
                .para("Before the table.")
                .table([["Site", "Source"], ["Marsh A", "Smith (2018)"], ["", ""], ["Marsh B", "Jones\n(2019)"]])
                .para("After the table.")
            ),
            "Before the table.\n\n| Site | Source |\n\n| Marsh A | Smith (2018) |\n\n| Marsh B | Jones (2019) |\n\n"
            "After the table.\n",
            id="table-one-row-per-line-empty-row-left-out",
        ),
        pytest.param(
            _notes,
            "Body text. More.\n\nNotes\n\nSee Smith (2018).\n\nA note of two paragraphs: the second one.\n\n"
            "Jones (2019) disagrees.\n",
            id="footnotes-then-endnotes-under-notes",
        ),
        pytest.param(
            lambda: Doc().xml(run("Recovery was ") + deleted("fast (Olsen, 2012) ") + inserted("slow ") + run("(Smith, 2018).")),
            "Recovery was slow (Smith, 2018).\n",
            id="tracked-insertion-read-deletion-ignored",
        ),
        pytest.param(
            lambda: Doc().xml(run("Marshes recover ") + zotero("(Smith, 2018)", SMITH) + run(".")),
            "Marshes recover (Smith, 2018).\n",
            id="zotero-field-displayed-text-only",
        ),
        pytest.param(
            lambda: Doc().xml(run("Marshes recover ") + mendeley("(Smith, 2018)", SMITH) + run(".")),
            "Marshes recover (Smith, 2018).\n",
            id="mendeley-field-displayed-text-only",
        ),
        pytest.param(
            lambda: Doc().xml(run("Marshes recover ") + endnote("(Smith, 2018)", "Smith", 2018) + run(".")),
            "Marshes recover (Smith, 2018).\n",
            id="endnote-field-displayed-text-only",
        ),
        pytest.param(
            lambda: Doc().xml(f'<w:hyperlink r:id="x" xmlns:r="urn:r">{run("Smith")}</w:hyperlink>' + run(" (2018)")),
            "Smith (2018)\n",
            id="hyperlink-runs-read",
        ),
        pytest.param(
            lambda: Doc().xml(run("One line") + BR + run("and the next,") + "<w:r><w:tab/></w:r>" + run("tabbed.")),
            "One line\nand the next,\ttabbed.\n",
            id="line-break-is-newline-tab-kept",
        ),
        pytest.param(
            lambda: Doc().xml(run("Shown ") + HIDDEN + run("(Smith, 2018).")),
            "Shown (Smith, 2018).\n",
            id="hidden-text-left-out",
        ),
    ],
)
def test_text_layout(tmp_path: Path, build: Callable[[], Doc], text: str) -> None:
    path = tmp_path / "paper.docx"
    build().save(path)
    source = read_docx(str(path))
    assert source.text == text
    assert (source.path, source.encoding) == (str(path), "docx")


def test_paragraph_n_is_on_line_2n_minus_1(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    Doc().heading("Title").para("").para("One.").para("Two (Smith, 2018).").save(path)
    source = read_docx(str(path))
    assert source.position(source.text.index("Smith")) == (5, 6)  # the third non-empty paragraph


@pytest.mark.parametrize(
    ("build", "found"),
    [
        pytest.param(
            lambda: Doc().xml(run("Marshes recover ") + zotero("(Smith, 2018)", SMITH) + run(".")),
            [("(Smith, 2018)", SMITH)],
            id="zotero",
        ),
        pytest.param(
            lambda: Doc().para("  Indented first paragraph.").xml(run("  Later ") + mendeley("(Smith, 2018)", SMITH)),
            [("(Smith, 2018)", SMITH)],
            id="mendeley-after-stripped-white-space",
        ),
        pytest.param(
            lambda: (
                Doc()
                .table([["a", "b"]])
                .xml(zotero("(Smith, 2018)", SMITH) + run(" and ") + zotero("(Jones, 2019)", csl_citation(("K2", "Jones", 2019))))
            ),
            [("(Smith, 2018)", SMITH), ("(Jones, 2019)", csl_citation(("K2", "Jones", 2019)))],
            id="two-fields-after-a-table",
        ),
        pytest.param(
            lambda: Doc().xml(run("Marshes ") + field("ADDIN ZOTERO_ITEM CSL_CITATION {not json", "(Smith, 2018)")),
            [],
            id="malformed-json-skipped",
        ),
        pytest.param(
            lambda: Doc().xml(endnote("(Smith, 2018)", "Smith", 2018) + field(" REF _Ref123 \\h ", "Table 1")),
            # EndNote's XML is converted to CSL citation JSON; a cross-reference cites nothing.
            [
                (
                    "(Smith, 2018)",
                    {"citationItems": [{"itemData": {"author": [{"literal": "Smith"}], "title": "", "issued": {"raw": "2018"}}}]},
                )
            ],
            id="endnote-as-csl-and-cross-reference-skipped",
        ),
    ],
)
def test_citation_fields(tmp_path: Path, build: Callable[[], Doc], found: list[tuple[str, dict[str, object]]]) -> None:
    path = tmp_path / "paper.docx"
    build().save(path)
    source = read_docx(str(path))
    text, fields = source.text, source.fields
    assert [(text[start:end], csl) for start, end, csl in fields] == found
    # The instruction never leaks into the text, whatever the field.
    for leak in ("ADDIN", "CSL_CITATION", "citationItems", "EN.CITE", "EndNote", "_Ref123"):
        assert leak not in text


def test_malformed_field_still_reads_its_text(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    Doc().xml(run("Marshes ") + field("ADDIN ZOTERO_ITEM CSL_CITATION {not json", "(Smith, 2018)")).save(path)
    assert read_docx(str(path)).text == "Marshes (Smith, 2018)\n"


def test_tracked_changes_are_noted(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    Doc().xml(run("Recovery was ") + deleted("fast") + inserted("slow")).save(path)
    assert any("tracked changes" in note for note in read_docx(str(path)).notes)
    Doc().para("No changes here.").save(path)
    assert read_docx(str(path)).notes == ()


def _write(content: bytes) -> Callable[[str], None]:
    def write(path: str) -> None:
        with open(path, "wb") as fh:
            fh.write(content)

    return write


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        pytest.param(zip_bomb, r"compressed \d+ times, more than 100 \(a zip bomb\?\)", id="zip-bomb-ratio"),
        pytest.param(lying_zip_bomb, r"unpacks to \d+ MiB, more than the 200 MiB limit", id="zip-bomb-declared-size"),
        pytest.param(lambda p: with_document_xml(p, BILLION_LAUGHS), r"declares a DTD.*entity-expansion", id="billion-laughs"),
        pytest.param(lambda p: with_document_xml(p, EXTERNAL_ENTITY), r"declares a DTD", id="external-entity"),
        pytest.param(lambda p: with_document_xml(p, "<w:document"), r"not well-formed XML", id="broken-xml"),
        pytest.param(lambda p: with_document_xml(p, NESTED), r"nested too deeply", id="nested-20000-deep"),
        pytest.param(truncated_zip, r"corrupt zip archive", id="truncated-zip"),
        pytest.param(damaged_member, r"word/document.xml cannot be unpacked", id="damaged-member"),
        pytest.param(ole_file, r"password-protected \(encrypted\) Office file", id="encrypted-office-file"),
        pytest.param(lambda p: ole_file(p, encrypted=False), r"Word 97-2003 \(\.doc\)", id="word-97-doc"),
        pytest.param(_write(b"As shown (Smith, 2018).\n\nReferences\n"), r"plain-text file, not DOCX", id="text-named-docx"),
        pytest.param(_write(b"\x00\x01\x02binary" * 50), r"not a DOCX file \(not a zip archive\)", id="binary-not-zip"),
        pytest.param(zip_without_document, r"is an OpenDocument text \(\.odt\), not DOCX; save it as DOCX or PDF", id="odt"),
        pytest.param(
            lambda p: zip_without_document(p, b"application/epub+zip"),
            r"zip archive but not a DOCX \(it has no word/document.xml\)",
            id="zip-not-docx",
        ),
        pytest.param(_write(b""), r"is empty", id="empty-file"),
        pytest.param(lambda p: Doc().para("").save(p), r"contains no text", id="no-text"),
    ],
)
def test_refused_with_one_line(tmp_path: Path, make: Callable[[str], None], reason: str) -> None:
    path = str(tmp_path / "paper.docx")
    make(path)
    with pytest.raises(InputError) as caught:
        read_docx(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert re.search(reason, message), message
    assert caught.value.__cause__ is None or caught.value.__suppress_context__


def test_dispatcher_reads_docx(tmp_path: Path) -> None:
    path = tmp_path / "paper.docx"
    Doc().para("As shown (Smith, 2018).").save(path)
    assert read_document(str(path)).text == "As shown (Smith, 2018).\n"
    renamed = tmp_path / "paper.bin"
    os.replace(path, renamed)
    assert read_document(str(renamed)).encoding == "docx"  # sniffed from the zip signature


REFERENCES = [
    "Adams, P., & Okafor, N. (2019). Tidal restoration of reclaimed farmland. Estuarine Ecology, 41(2), 101–118.",
    "Bergström, L., Moreau, C., & Patel, R. (2015). Slow starts: Early managed realignment. Coastal Management, 43(3), 205–222.",
    "Castillo, M. (2017). Sediment budgets of realigned marshes. Marine Geology, 390, 12–25.",
    "Nguyen, H. (2018). Accretion rates at twelve realignment sites. Estuaries and Coasts, 41(5), 1300–1315.",
]


def test_audit_end_to_end(tmp_path: Path) -> None:
    csl = csl_citation(("CAST2017", "Castillo", 2017))
    doc = Doc().heading("Tidal marsh recovery", 0).heading("Introduction")
    doc.para("Managed realignment restores tidal flooding to farmland (", ("Adams", "b"), " & ", ("Okafor", "i"), ", 2019).")
    doc.xml(
        run("Early schemes recovered slowly (Bergström et al., 2015, p. 214), and sediment supply limited them ")
        + zotero("(Castillo, 2017)", csl)
        + run(".")
        + deleted(" Olsen (2012) said so first.")
        + footnote_mark(doc.footnote("Accretion was measured by Nguyen (2018)."))
    )
    doc.table([["Site", "Study"], ["Marsh A", "Castillo (2017)"]])
    doc.heading("References")
    for entry in REFERENCES:
        doc.para(entry)
    path = tmp_path / "paper.docx"
    doc.save(path)

    report = audit_source(read_docx(str(path)))
    assert links_of(report) == [
        ("Adams & Okafor, 2019", "exact", "Adams, P"),
        ("Bergström et al., 2015, p. 214", "exact", "Bergström, L"),
        ("Castillo, 2017", "exact", "Castillo, M"),
        ("Castillo (2017)", "exact", "Castillo, M"),
        ("Nguyen (2018)", "exact", "Nguyen, H"),
    ]
    assert findings_of(report) == set()
    [(start, end, got)] = read_docx(str(path)).fields
    assert report.source.text[start:end] == "(Castillo, 2017)"
    assert json.dumps(got, sort_keys=True) == json.dumps(csl, sort_keys=True)
