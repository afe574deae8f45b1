"""Pandoc Markdown audited end to end: keys against the bibliography its front matter names or
``--bib`` gives, and the rendered reference list when there are no keys. The key syntax itself is
tested in test_pandoc.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import TRADE_BIB

import citecheck
from citecheck.cli import run
from citecheck.pipeline import audit_source
from citecheck.readers import read_document

BIB = TRADE_BIB

CSL = [
    {"id": "smith2018", "type": "article-journal", "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2018]]}, "title": "Trade and tariffs", "page": "10-20"},  # noqa: E501
    {"id": "lee2020", "type": "article-journal", "author": [{"family": "Lee", "given": "Ann"}, {"family": "Park", "given": "Bo"}], "issued": {"date-parts": [[2020]]}, "title": "Ports", "page": "1-30"},  # noqa: E501
]  # fmt: skip


def write(directory: Path, body: str, front: str = "bibliography: refs.bib\n") -> Path:
    (directory / "refs.bib").write_text(BIB, encoding="utf-8")
    (directory / "refs.json").write_text(json.dumps(CSL), encoding="utf-8")
    path = directory / "paper.md"
    path.write_text((f"---\ntitle: A paper\n{front}---\n\n" if front is not None else "") + body, encoding="utf-8")
    return path


def found(report: citecheck.Report) -> list[tuple[str, str]]:  # type: ignore[name-defined]
    return sorted((f.kind, report.source.text[f.span.start : f.span.end]) for f in report.findings if f.span)


@pytest.mark.parametrize("front", ["bibliography: refs.bib\n", "bibliography: [refs.json]\n", "bibliography:\n  - refs.bib\n"])
def test_clean_manuscript_has_no_findings(tmp_path: Path, front: str) -> None:
    body = "Trade fell [see @smith2018, p. 12; @lee2020]. @lee2020 [p. 4] agree, as does [-@smith2018].\n"
    report = citecheck.audit(write(tmp_path, body, front))
    assert [c.key for c in report.citations] == ["smith2018", "lee2020", "lee2020", "smith2018"]
    assert report.findings == ()


def test_undefined_key_unused_entry_and_page(tmp_path: Path) -> None:
    body = "Trade fell [@smtih2018]. Later [@smith2018, p. 45].\n"
    report = citecheck.audit(write(tmp_path, body))
    assert found(report) == [
        ("missing-reference", "@smtih2018"),
        ("page-out-of-range", "@smith2018"),
        ("unused-entry", BIB[BIB.index("@article{lee2020") : BIB.index("}\n", BIB.index("@article{lee2020")) + 1]),
    ]
    missing = next(f for f in report.findings if f.kind == "missing-reference")
    assert report.source.file(missing.span.start) == str(tmp_path / "paper.md")  # type: ignore[union-attr]
    assert report.source.position(missing.span.start) == (6, 13)  # type: ignore[union-attr]
    unused = next(f for f in report.findings if f.kind == "unused-entry")
    assert report.source.file(unused.span.start) == str(tmp_path / "refs.bib")  # type: ignore[union-attr]
    assert report.source.position(unused.span.start) == (9, 1)  # type: ignore[union-attr]


def test_a_key_cut_by_a_hyphen_at_a_line_end_is_read_as_pandoc_reads_it(tmp_path: Path) -> None:
    # Pandoc ends a key before a hyphen that no letter follows: "@smi-\nth2018" cites "smi". The
    # rejoining of words hyphenated at line ends (for PDF text) leaves a key as it is written.
    body = "Trade fell [@lee2020; @smi-\nth2018]. Later [@smith2018].\n"
    report = citecheck.audit(write(tmp_path, body))
    text = report.source.text
    assert [c.key for c in report.citations] == ["lee2020", "smi", "smith2018"]
    assert all(text[c.span.start : c.span.end] == c.text for c in report.citations)
    assert found(report) == [("missing-reference", "@smi")]


def test_yaml_nocite(tmp_path: Path) -> None:
    report = citecheck.audit(write(tmp_path, "Trade fell [@smith2018].\n", "bibliography: refs.bib\nnocite: |\n  @lee2020\n"))
    assert report.findings == ()
    report = citecheck.audit(write(tmp_path, "Trade fell [@smith2018].\n", "bibliography: refs.bib\nnocite: '@*'\n"))
    assert report.findings == ()


def test_mentions_and_emails_are_not_citations(tmp_path: Path) -> None:
    body = "Thanks to @octocat and mail@example.org for help; see [@smith2018] and [@lee2020].\n"
    report = citecheck.audit(write(tmp_path, body))
    assert [c.key for c in report.citations] == ["smith2018", "lee2020"]
    assert report.findings == ()


def test_keys_without_a_bibliography(tmp_path: Path) -> None:
    report = citecheck.audit(write(tmp_path, "Trade fell [@smith2018].\n", front=None))  # type: ignore[arg-type]
    assert [f.kind for f in report.findings] == ["no-reference-list"]
    assert "--bib" in (report.findings[0].suggestion or "")


def test_bib_option_supplies_the_bibliography(tmp_path: Path) -> None:
    path = write(tmp_path, "Trade fell [@smith2018] and [@lee2020].\n", front=None)  # type: ignore[arg-type]
    report = audit_source(read_document(str(path), None, [str(tmp_path / "refs.bib")]))
    assert report.findings == ()
    assert [p.role for p in report.source.parts] == ["manuscript", "library"]


def test_rendered_list_is_used_when_there_are_no_keys(tmp_path: Path) -> None:
    body = "Trade fell (Smith, 2018).\n\n## References\n\nSmith, J. (2018). Trade and tariffs. Journal of Trade, 1, 10–20.\n"
    report = citecheck.audit(write(tmp_path, body, front=None))  # type: ignore[arg-type]
    assert len(report.citations) == 1 and report.citations[0].key is None
    assert report.findings == ()


def test_code_and_comments_hold_no_author_date_citations(tmp_path: Path) -> None:
    # A README or a style guide in Markdown shows citations as examples; none is one.
    body = "Write `(Smith, 2018)` for one work.\n\n```\nJones (2019) found\n```\n\n<!-- (Lee, 2020) -->\nMore text.\n"
    report = citecheck.audit(write(tmp_path, body, front=None))  # type: ignore[arg-type]
    assert (len(report.citations), report.findings) == (0, ())
    # The same words as text are cited, and their missing list is reported.
    report = citecheck.audit(write(tmp_path, "Write (Smith, 2018) for one work.\n", front=None))  # type: ignore[arg-type]
    assert [f.kind for f in report.findings] == ["no-reference-list"]


def test_author_date_text_against_a_bib(tmp_path: Path) -> None:
    """--bib for any input: author-date citations linked to the entries of an external bibliography."""
    text = tmp_path / "draft.txt"
    text.write_text("Trade fell (Smith, 2018, p. 12), ports grew (Lee & Park, 2021) and (Jones, 2019).\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    report = audit_source(read_document(str(text), None, [str(tmp_path / "refs.bib")]))
    assert found(report) == [("missing-reference", "Jones, 2019"), ("year-mismatch", "Lee & Park, 2021")]
    # an external bibliography is a library: its uncited entries are not reported


@pytest.mark.parametrize("given", [["refs.bib"], ["refs.bib", "./refs.bib"]], ids=["named-and-given", "given-thrice"])
def test_a_bibliography_given_twice_is_read_once(tmp_path: Path, given: list[str]) -> None:
    path = write(tmp_path, "Trade fell [@smith2018] and [@lee2020].\n")  # its front matter names refs.bib
    report = audit_source(read_document(str(path), None, [str(tmp_path / name) for name in given]))
    assert [r.key for r in report.references] == ["smith2018", "lee2020"]
    assert [p.role for p in report.source.parts] == ["manuscript", "bibliography"]
    assert report.findings == ()


def test_latex_bibliography_given_again_with_bib_is_read_once() -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "latex"
    alone = audit_source(read_document(str(fixture / "main.tex")))
    again = audit_source(read_document(str(fixture / "main.tex"), None, [str(fixture / "refs.bib")]))
    assert [r.key for r in again.references] == [r.key for r in alone.references]
    assert [f.kind for f in again.findings] == [f.kind for f in alone.findings]


def test_cli_bib_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "Trade fell [@smith2018] and [@lee2020].\n", front=None)  # type: ignore[arg-type]
    assert run(["audit", "--bib", str(tmp_path / "refs.json"), str(path)]) == 0
    assert run(["audit", "--bib", str(tmp_path / "absent.bib"), str(path)]) == 2
    assert "absent.bib" in capsys.readouterr().err
    assert run(["audit", "--bib", str(tmp_path / "refs.bib"), "-o", str(tmp_path / "refs.bib"), str(path)]) == 2
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == BIB
