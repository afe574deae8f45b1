"""Golden reports for the whole manuscripts in fixtures/.

Each fixture has a ``NAME.expected.json`` beside it listing its findings (rule, kind, severity, line
and the cited text). Regenerate them after a deliberate change with
``CITECHECK_REGEN=1 python3 -m pytest tests/test_fixtures.py`` and review the diff; never edit them
by hand.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import citecheck
from citecheck.report import to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MANUSCRIPTS = [
    *sorted(p for p in FIXTURES.iterdir() if p.suffix in (".md", ".txt") and p.name != "README.md"),
    FIXTURES / "latex" / "main.tex",
    FIXTURES / "pandoc" / "paper.md",
    *sorted((FIXTURES / "styles").glob("*.txt")),  # one article in twelve citation styles (fixtures/styles/render.sh)
]


def summarise(path: Path) -> dict:
    report = to_dict(citecheck.audit(str(path)))
    findings = []
    for f in report["findings"]:
        span = f["span"]
        text = Path(f["file"]).read_text(encoding="utf-8")
        findings.append(
            {
                "rule": f["rule"],
                "kind": f["kind"],
                "severity": f["severity"],
                "file": Path(f["file"]).relative_to(path.parent).as_posix(),
                "line": f["line"],
                "text": " ".join(text[span["start"] : span["end"]].split())[:80] if span else None,
            }
        )
    return {"summary": report["summary"], "findings": findings}


@pytest.mark.parametrize("path", MANUSCRIPTS, ids=[p.relative_to(FIXTURES).as_posix() for p in MANUSCRIPTS])
def test_golden_report(path: Path) -> None:
    expected_path = path.with_suffix(".expected.json")
    actual = summarise(path)
    if os.environ.get("CITECHECK_REGEN"):
        expected_path.write_text(json.dumps(actual, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert actual == expected


def _kinds(report: citecheck.Report, text: str) -> set[tuple[str, str]]:
    out = set()
    for f in report.findings:
        assert f.span is not None
        out.add((f.kind, " ".join(text[f.span.start : f.span.end].split()[:5])))
    return out


def test_pdf_extracted_article_reads_like_an_editor() -> None:
    """fixtures/pdf-extracted.txt is built like text extracted from a journal PDF: running headers
    inside sentences and inside the reference list, page numbers, wrapped lines, a hyphenated word
    and a citation split across a page break. Its defects are the ones listed in fixtures/README.md."""
    path = FIXTURES / "pdf-extracted.txt"
    text = path.read_text(encoding="utf-8")
    report = citecheck.audit(str(path))
    assert len(report.citations) == 20
    assert len(report.references) == 16
    assert not any("Vol.07" in c.text and "Ibekwe" not in c.text for c in report.citations)
    assert not any("Vol.07" in r.text or "JOURNAL OF" in r.text for r in report.references)
    assert _kinds(report, text) == {
        ("missing-reference", "Dravid, 2018, p. 41"),
        ("year-mismatch", "Fontaine, 2022, p. 19"),
        ("ambiguous-citation", "Brown, 2021, p. 57"),
        ("ambiguous-citation", "Brown, 2021, p. 90"),
        ("page-out-of-range", "Gallardo, 2016, p. 120"),
        ("page-out-of-range", "Ibekwe, 3 Vol.07 No.02 (2024)"),
        ("uncited-reference", "Quarles, H. (2014). Seawall breaching"),
    }
    severities = {f.kind + ":" + str(f.severity) for f in report.findings if f.kind == "page-out-of-range"}
    assert severities == {"page-out-of-range:error", "page-out-of-range:warning"}  # journal, book


def test_example_has_exactly_its_documented_defects() -> None:
    path = FIXTURES / "example.md"
    text = path.read_text(encoding="utf-8")
    assert _kinds(citecheck.audit(str(path)), text) == {
        ("et-al-misuse", "Fairweather et al. (2021, pp."),
        ("year-mismatch", "Halvorsen, 2016"),
        ("page-out-of-range", "Jablonski, 2014, p. 88"),
        ("ambiguous-citation", "Kowalczyk, 2019"),
        ("suffix-needed", "Kowalczyk, B. (2019). Grazing and"),
        ("author-misspelling", "Lindquist et al., 2020"),
        ("missing-reference", "Pereira, 2013"),
        ("uncited-reference", "Olsen, G. (2012). Saltmarsh creation:"),
    }
