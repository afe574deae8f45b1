"""The JSON report writes its citations, references and findings field by field into templates
(report/data.py, ``_citations_written`` and the others): exactly what json.dumps writes of the
dictionaries ``to_dict`` makes, over sources of every shape (pages, paragraphs, several files, no
path), with verifications and evidence, and with strings json must escape."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

import citecheck
from citecheck.model import Finding, Locator, Mismatch, Part, Record, Report, Severity, Span, Update, Verification
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.report import render_json, to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ODD = 'Ünïcödé "quoted" back\\slash\ttab\nline \x01 \u2028 \ud83d\ude00 end'


def _same(report: Report) -> None:
    assert render_json([report]) == json.dumps(to_dict(report), ensure_ascii=False) + "\n"


def _text(odd: str = "") -> str:
    return (
        f"Seen (Smith, 2019, p. 4) and (Smyth & Lee, 2019) and (Brown et al., 2020, in press){odd}. "
        "(Jones, 2018a; Jones, 2018b) and (Missing, 2001) and Taylor (2019, pp. 3–9). Again (Smyth & Lee, 2019), "
        "(Missing, 2001) and (Smith, 2019): citations alike, linked alike.\n\nReferences\n\n"
        "Smith, J. (2019). A title. *Journal*, 1(2), 3–4. https://doi.org/10.1000/xyz\n\n"
        "Lee, K., & Smith, J. (2019). Another. *Journal*, 2, 5.\n\n"
        "Brown, A., Black, B., & White, C. (2021). Third. Publisher.\n\n"
        f"Jones, P. (2018). Fourth{odd}. *J*, 1.\n\n"
        "Taylor, R. (2019). Fifth. https://example.org/x\n"
    )


@pytest.mark.parametrize("odd", ["", ODD], ids=["plain", "escapes"])
def test_a_text_report(odd: str) -> None:
    _same(citecheck.audit(_text(odd)))


@pytest.mark.parametrize(
    "path",
    ["example.md", "pdf-extracted.txt", "latex/main.tex", "pandoc/paper.md", "jats/article.xml", "bib/manuscript.txt"],
)
def test_the_fixtures(path: str) -> None:
    _same(audit_source(read_document(str(FIXTURES / path))))


def test_a_source_of_pages_paragraphs_and_parts() -> None:
    report = citecheck.audit(_text())
    text = report.source.text
    half = len(text) // 2
    # pages, paragraphs, two files, line numbers and page labels: every place looked up the long way
    source = dataclasses.replace(
        report.source,
        path=None,
        pages=(0, half),
        paragraphs=True,
        parts=(Part(path="a.md", start=0, role="manuscript"), Part(path=ODD, start=half, role="bibliography")),
        page_labels=("i", ""),
        line_numbers=((0, 7), (half, 9)),
    )
    _same(dataclasses.replace(report, source=source))
    _same(dataclasses.replace(report, source=dataclasses.replace(source, parts=(), pages=(), page_labels=())))


def test_verifications_evidence_and_odd_values() -> None:
    report = citecheck.audit(_text())
    record = Record(
        registry="crossref",
        id="10.1/x",
        title=ODD,
        authors=("Smith", ODD),
        years=(2019, 2020),
        first_page="3",
        retracted=True,
        updates=(Update(kind="retraction", source="crossref", doi="10.1/y", date="2020-01-01"),),
    )
    verifications = (
        Verification(reference=0, status="ok", record=record, score=97.5, registries=("crossref",)),
        Verification(reference=1, status="metadata-mismatch", mismatches=(Mismatch("year", "2019", "2017"),), detail=ODD),
    )
    findings = (
        *report.findings,
        Finding(rule="CC900", kind="odd", severity=Severity.NOTE, message=ODD, suggestion=None, evidence=record),
        Finding(
            rule="CC901",
            kind="odd",
            severity=Severity.WARNING,
            message="m",
            span=Span(3, 9),
            citation=None,
            reference=2,
            related=(Span(0, 1), Span(40, 60)),
            confidence="possible",
        ),
    )
    citations = tuple(
        dataclasses.replace(c, status=ODD, key=ODD, locator=Locator("page", 4, "iv", marked=False)) if i % 2 else c
        for i, c in enumerate(report.citations)
    )
    _same(dataclasses.replace(report, verifications=verifications, findings=findings, citations=citations))
    _same(dataclasses.replace(report, verifications=()))
