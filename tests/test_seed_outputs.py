"""The seed article (../shared/corpus/seed, when it is there) set as a DOCX and as a PDF: each gives
the findings its text gives, every one of them as one comment or highlight on its own citation,
and the HTML report shows every one. Skipped where ../shared is absent (a clean clone)."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

import docx
import make_pdf
import pypdf
import pytest
from lxml import etree

from citecheck.annotate import anchor, annotated, note_text
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.report.html import render_html

SEED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "seed"
ARTICLE = next(iter(sorted(SEED.glob("cjssr-*.txt"))), None) if SEED.is_dir() else None
pytestmark = pytest.mark.skipif(ARTICLE is None, reason="the seed article (../shared/corpus/seed) is not here")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def lines() -> tuple[str, list[str]]:
    """The article's running header and its lines, the header's repeats (page breaks) left out."""
    assert ARTICLE is not None
    rows = [r.strip() for r in ARTICLE.read_text(encoding="utf-8").splitlines() if r.strip()]
    return rows[0], [rows[0]] + [r for r in rows[1:] if r != rows[0]]


def _as_docx(path: Path, rows: list[str]) -> None:
    """A Word file as an author would have it: one paragraph a line, list items as bullets, the
    emphasis marked with asterisks as italic runs."""
    d = docx.Document()
    for row in rows:
        bullet = row.startswith("- ")
        p = d.add_paragraph(style="List Bullet" if bullet else None)
        for i, piece in enumerate(re.split(r"\*", row[2:] if bullet else row)):
            if piece:
                p.add_run(piece).italic = bool(i % 2) or None
    d.save(path)


def test_the_docx_copy_has_one_comment_per_finding_on_its_citation(tmp_path: Path, lines: tuple[str, list[str]]) -> None:
    text_findings = len(audit_source(read_document(str(ARTICLE))).findings)
    path = tmp_path / "seed.docx"
    _as_docx(path, lines[1])
    report = audit_source(read_document(str(path)))
    assert len(report.findings) == text_findings
    data, count = annotated(report)
    copy = tmp_path / "annotated.docx"
    copy.write_bytes(data)
    comments = docx.Document(str(copy)).comments
    assert count == len(list(comments)) == text_findings
    root = etree.fromstring(zipfile.ZipFile(copy).read("word/document.xml"))
    open_ranges: dict[str, list[str]] = {}
    anchored: dict[str, str] = {}
    for el in root.iter():
        if el.tag == f"{W}commentRangeStart":
            open_ranges[el.get(f"{W}id")] = []
        elif el.tag == f"{W}commentRangeEnd":
            anchored[el.get(f"{W}id")] = "".join(open_ranges.pop(el.get(f"{W}id")))
        elif el.tag == f"{W}t":
            for pieces in open_ranges.values():
                pieces.append(el.text or "")
    expected = sorted(
        (note_text(f).split("\n\n")[0], report.source.text[a.start : a.end])
        for f in report.findings
        if (a := anchor(report, f)) is not None
    )
    got = sorted((c.paragraphs[0].text, anchored[str(c.comment_id)]) for c in comments)
    assert got == expected


def test_the_pdf_copy_has_one_highlight_per_finding(tmp_path: Path, lines: tuple[str, list[str]]) -> None:
    header, rows = lines
    text_findings = len(audit_source(read_document(str(ARTICLE))).findings)
    path = tmp_path / "seed.pdf"
    make_pdf.single_column_pdf(path, [r.replace("*", "") for r in rows[1:]], header=header)
    report = audit_source(read_document(str(path)))
    assert len(report.findings) == text_findings
    data, count = annotated(report)
    copy = tmp_path / "annotated.pdf"
    copy.write_bytes(data)
    notes = [
        str(a.get_object()["/Contents"])
        for page in pypdf.PdfReader(copy).pages
        for a in page.get("/Annots") or []
        if a.get_object()["/Subtype"] == "/Highlight"
    ]
    assert count == len(notes) == text_findings
    assert sorted(notes) == sorted(note_text(f) for f in report.findings)


def test_the_html_report_shows_every_finding() -> None:
    report = audit_source(read_document(str(ARTICLE)))
    page = render_html([report])
    assert page.count('<div class="finding" ') == len(report.findings)
    for f in report.findings:
        assert html.escape(f.message) in page
