"""The same manuscript in every format gives the same findings, located where the user can find them.

The manuscript is fixtures/example.md (every rule's case, see fixtures/README.md). It is rendered to
a two-column PDF with a running header and page numbers (reportlab) and to a DOCX whose citations
cross bold and italic runs (python-docx), and each rendering is audited through the command line's
reader choice.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import make_pdf
import one_source
import pytest

import citecheck
from citecheck.model import Finding, Report
from citecheck.names import name_key

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "example.md"


def blocks() -> tuple[list[str], list[str]]:
    """The example's paragraphs and reference entries, Markdown emphasis and headings dropped."""
    text = FIXTURE.read_text(encoding="utf-8")
    parts = [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]
    parts = [re.sub(r"[*_]", "", p).lstrip("# ") for p in parts]
    at = parts.index("References")
    return parts[1:at], parts[at + 1 :]


def as_pdf(path: Path) -> None:
    body, refs = blocks()
    make_pdf.two_column_pdf(path, "Tidal marsh recovery", [*body, "References"], refs, header="JOURNAL OF TESTS Vol.3 (2024)")


def as_docx(path: Path) -> None:
    body, refs = blocks()
    document = docx.Document()
    for paragraph in [*body, "References", *refs]:
        p = document.add_paragraph()
        for n, k in enumerate(range(0, len(paragraph), 23)):  # runs cut every 23 characters
            run = p.add_run(paragraph[k : k + 23])
            run.bold, run.italic = n % 3 == 1, n % 3 == 2
    document.save(str(path))


def findings(report: Report) -> set[tuple[str, str]]:
    text = report.source.text
    return {(f.kind, " ".join(text[f.span.start : f.span.end].split()[:3])) for f in report.findings if f.span}


@pytest.fixture(scope="module")
def reference() -> set[tuple[str, str]]:
    return findings(citecheck.audit(str(FIXTURE)))


@pytest.mark.parametrize(
    ("suffix", "render"), [pytest.param(".pdf", as_pdf, id="pdf"), pytest.param(".docx", as_docx, id="docx")]
)
def test_same_findings_in_every_format(tmp_path: Path, reference: set[tuple[str, str]], suffix: str, render: object) -> None:
    path = tmp_path / f"example{suffix}"
    render(path)  # type: ignore[operator]
    report = citecheck.audit(str(path))
    assert len(reference) == 8
    assert findings(report) == reference


def test_pdf_findings_carry_their_page(tmp_path: Path) -> None:
    path = tmp_path / "example.pdf"
    as_pdf(path)
    report = citecheck.audit(str(path))
    pages = {f.kind: report.source.page(f.span.start) for f in report.findings if f.span}
    assert pages["year-mismatch"] == 1  # the first paragraphs are on page 1
    assert max(pages.values()) == len(report.source.pages)  # the uncited entry is at the end


def test_docx_findings_carry_their_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "example.docx"
    as_docx(path)
    report = citecheck.audit(str(path))
    paragraph = {f.kind: report.source.paragraph(f.span.start) for f in report.findings if f.span}
    # 1 the note on the fixture, 2 "Introduction", 3 "Managed realignment ...", 4 "Nguyen (2018) measured ..."
    assert paragraph["et-al-misuse"] == 4


# -- one source in all five formats, keyed formats included -------------------------------------------


def _work(report: Report, f: Finding) -> str:
    """The work a finding is about, as "castillo2017": the key, or the first author and the year."""
    if f.citation is not None:
        c = report.citations[f.citation]
        return c.key or f"{name_key(c.authors[0])}{c.year}"
    assert f.reference is not None
    ref = report.references[f.reference]
    return ref.key or f"{name_key(ref.authors[0].family)}{ref.year_label}"


def defects(report: Report) -> set[tuple[str, str]]:
    """The findings as (kind, work); unused-entry is what uncited-reference is for a key."""
    kinds = {"unused-entry": "uncited-reference"}
    return {(kinds.get(f.kind, f.kind), _work(report, f)) for f in report.findings}


RENDERINGS = {
    "text": one_source.as_text,
    "pdf": one_source.as_pdf,
    "docx": one_source.as_docx,
    "latex": one_source.as_latex,
    "markdown-bib": one_source.as_markdown,
    "markdown-csl-json": lambda d: one_source.as_markdown(d, "marsh.json"),
}


@pytest.mark.parametrize("fmt", list(RENDERINGS))
def test_one_source_same_defects_in_every_format(tmp_path: Path, fmt: str) -> None:
    report = citecheck.audit(RENDERINGS[fmt](tmp_path))
    cited = 8  # seven citations of listed works, one of the missing work
    assert len(report.citations) == cited
    assert defects(report) == one_source.EXPECTED


def test_one_source_latex_findings_point_into_each_file(tmp_path: Path) -> None:
    report = citecheck.audit(one_source.as_latex(tmp_path))
    where = {}
    for f in report.findings:
        assert f.span is not None
        path = report.source.file(f.span.start)
        line, _ = report.source.position(f.span.start)
        where[f.kind] = (Path(path or "").name, line, report.source.text[f.span.start : f.span.end].split("\n")[0])
    body = (tmp_path / "body.tex").read_text(encoding="utf-8").splitlines()
    bib = (tmp_path / "marsh.bib").read_text(encoding="utf-8").splitlines()
    name, line, text = where["missing-reference"]
    assert (name, text) == ("body.tex", "pereira2013") and "pereira2013" in body[line - 1]
    name, line, text = where["page-out-of-range"]
    assert (name, text) == ("body.tex", "castillo2017") and "p.~40]{castillo2017}" in body[line - 1]
    name, line, text = where["unused-entry"]
    assert name == "marsh.bib" and bib[line - 1] == "@article{olsen2012,"


def test_one_source_pdf_and_docx_locations(tmp_path: Path) -> None:
    pdf = citecheck.audit(one_source.as_pdf(tmp_path))
    assert {pdf.source.page(f.span.start) for f in pdf.findings if f.span} <= set(range(1, len(pdf.source.pages) + 1))
    document = citecheck.audit(one_source.as_docx(tmp_path))
    missing = next(f for f in document.findings if f.kind == "missing-reference")
    assert missing.span is not None
    assert document.source.paragraph(missing.span.start) == 4  # the title, then the three paragraphs
