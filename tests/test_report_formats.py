"""The CI formats of ``--format``: SARIF, GitHub workflow commands, GitLab Code Quality, JUnit XML
and JSON Lines, each checked against the JSON report of the same run and, where there is one,
against the format's own definition (the SARIF 2.1.0 schema, a JUnit reader)."""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import jsonschema
import pytest
from conftest import manuscript
from junitparser import Failure, JUnitXml

from citecheck.cli import run
from citecheck.model import Finding, Report, Severity, Span, make_source
from citecheck.report import github, sarif
from citecheck.report.github import escape_data, escape_property, render_github
from citecheck.report.junit import render_junit
from citecheck.rules import all_rules

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-2.1.0.json").read_text(encoding="utf-8"))

OKAFOR = "Okafor, N. (2019). Tides. *Estuaries*, 4(1), 1–9."
UNWIN = "Unwin, T. (2001). Never cited.\n  *Coasts*, 2(2), 3–4."  # an entry over two lines
# One error (CC101 Pereira), one note (CC111 Quist) and one warning (CC201 Unwin), in text order.
ISSUES = manuscript(
    "Tides rise (Okafor, 2019). Storms too (Pereira, 2013). Work continues (Quist, in preparation).", OKAFOR, UNWIN
)
CLEAN = manuscript("As shown before (Okafor, 2019).", OKAFOR)


def write(directory: Path, text: str, name: str = "paper.md") -> str:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = run(list(argv))
    return code, capsys.readouterr().out


def json_reports(capsys: pytest.CaptureFixture[str], *paths: str) -> list[dict[str, Any]]:
    _, out = cli(capsys, "audit", "--format", "json", *paths)
    doc = json.loads(out)
    return doc.get("reports", [doc])


@pytest.fixture
def papers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The manuscript with findings and the clean one, by relative paths from the working directory."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ISSUES, "issues.md")
    write(tmp_path, CLEAN, "clean.md")
    return "issues.md", "clean.md"


# SARIF


def test_sarif_validates_against_the_schema_and_has_the_json_reports_places(
    papers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = cli(capsys, "audit", "--format", "sarif", *papers)
    assert code == 1  # --fail-on error, as with every format
    log = json.loads(out)
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    assert log["version"] == "2.1.0" and "2.1.0" in log["$schema"]
    [run_] = log["runs"]
    findings = [f for report in json_reports(capsys, *papers) for f in report["findings"]]
    assert len(findings) == 3
    results = run_["results"]
    assert [r["ruleId"] for r in results] == [f["rule"] for f in findings]
    levels = {"error": "error", "warning": "warning", "note": "note"}
    for result, f in zip(results, findings, strict=True):
        assert result["level"] == levels[f["severity"]]
        assert result["message"]["text"] == f"{f['message']} {f['suggestion']}"
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": f["file"], "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        assert (region["startLine"], region["startColumn"]) == (f["line"], f["column"])
        assert region["charOffset"] == f["span"]["start"]
        assert region["charLength"] == f["span"]["end"] - f["span"]["start"]
        assert run_["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == f["rule"]
    pereira = results[0]["locations"][0]["physicalLocation"]["region"]
    assert ISSUES.splitlines()[0][pereira["startColumn"] - 1 : pereira["endColumn"] - 1] == "Pereira, 2013"
    assert pereira["endLine"] == pereira["startLine"]
    unwin = results[2]["locations"][0]["physicalLocation"]["region"]
    assert (unwin["startLine"], unwin["endLine"]) == (7, 8) and "endColumn" not in unwin  # over two lines


def test_sarif_describes_every_rule_with_an_absolute_link_to_its_section(
    papers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = cli(capsys, "audit", "--format", "sarif", "--fail-on", "never", papers[1])
    driver = json.loads(out)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "citecheck"
    registry = all_rules()
    assert [r["id"] for r in driver["rules"]] == [r.code for r in registry]
    headings = re.findall(r"^## (.+)$", (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), re.M)
    anchors = {sarif.heading_anchor(h) for h in headings}
    repository = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
    assert sarif.REPOSITORY == repository == driver["informationUri"]
    for descriptor, rule in zip(driver["rules"], registry, strict=True):
        url = urlparse(descriptor["helpUri"])
        assert url.scheme == "https" and url.netloc == "github.com"
        assert descriptor["helpUri"].startswith(f"{repository}/blob/main/docs/rules.md#")
        assert url.fragment in anchors
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["defaultConfiguration"]["level"] == str(rule.severity)
        assert "Flags:" in descriptor["fullDescription"]["text"]
    assert driver["rules"][1]["helpUri"].endswith("#cc101-missing-reference-error")


@pytest.mark.parametrize(
    ("heading", "anchor"),
    [
        ("CC101 `missing-reference` (error)", "cc101-missing-reference-error"),
        ("Adding an output format", "adding-an-output-format"),
        ("What's new: SARIF, JUnit & more!", "whats-new-sarif-junit--more"),
    ],
)
def test_heading_anchors_are_githubs(heading: str, anchor: str) -> None:
    assert sarif.heading_anchor(heading) == anchor


def _fingerprints(capsys: pytest.CaptureFixture[str], path: str) -> list[tuple[str, int, str]]:
    _, out = cli(capsys, "audit", "--format", "sarif", path)
    return [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"], r["partialFingerprints"]["citecheck/v1"])
        for r in json.loads(out)["runs"][0]["results"]
    ]


def test_fingerprints_survive_lines_moving_and_tell_citations_apart(
    papers: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = _fingerprints(capsys, papers[0])
    assert all(re.fullmatch("[0-9a-f]{32}", fp) for _, _, fp in before)
    Path(papers[0]).write_text("\n\n" + ISSUES, encoding="utf-8")  # two blank lines above the citation
    moved = _fingerprints(capsys, papers[0])
    assert [line for _, line, _ in moved] == [line + 2 for _, line, _ in before]
    assert [(rule, fp) for rule, _, fp in moved] == [(rule, fp) for rule, _, fp in before]
    Path(papers[0]).write_text(ISSUES.replace("Pereira, 2013", "Pereira, 2014"), encoding="utf-8")
    other = _fingerprints(capsys, papers[0])
    assert other[0][0] == "CC101" and other[0][2] != before[0][2]
    assert other[1:] == before[1:]


def test_the_same_finding_twice_has_two_fingerprints(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, manuscript("One (Pereira, 2013). Two (Pereira, 2013).", OKAFOR.replace("Okafor", "Adams")))
    prints = [fp for rule, _, fp in _fingerprints(capsys, path) if rule == "CC101"]
    assert len(prints) == 2 and len(set(prints)) == 2


def _report(text: str, *findings: Finding, path: str = "paper.md") -> Report:
    return Report(source=make_source(text, path), citations=(), references=(), links=(), findings=findings)


def test_a_finding_without_a_span_points_at_the_file_and_an_absolute_path_is_a_file_uri() -> None:
    report = _report("Text.\n", Finding("CC100", "no-reference-list", Severity.ERROR, "No list."), path="/srv/paper one.md")
    log = sarif.sarif_log([report])
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    [result] = log["runs"][0]["results"]
    assert result["locations"] == [{"physicalLocation": {"artifactLocation": {"uri": "file:///srv/paper%20one.md"}}}]
    assert result["message"]["text"] == "No list."


# GitHub


def test_github_commands_one_per_finding_with_its_severity_and_place(
    papers: tuple[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    code, out = cli(capsys, "audit", "--format", "github", "--fail-on", "warning", *papers)
    assert code == 1
    [f_error, f_note, f_warning] = json_reports(capsys, *papers)[0]["findings"]
    lines = out.splitlines()
    assert len(lines) == 3
    for line, f, command in zip(lines, (f_error, f_note, f_warning), ("error", "notice", "warning"), strict=True):
        assert line.startswith(f"::{command} file=issues.md,line={f['line']},col={f['column']},endLine=")
        assert f",title={f['rule']} {f['kind']}::{escape_data(f['message'])} " in line
    assert ",endLine=1,endColumn=53," in lines[0]  # one past 'Pereira, 2013', which starts at column 40
    assert ",endLine=8,title=" in lines[2]  # the entry is over two lines: no endColumn
    assert not list(Path().glob("*summary*"))


def test_github_escapes_messages_and_properties(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert escape_data("100% done\r\nnext: a, b") == "100%25 done%0D%0Anext: a, b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    text = "Bad (Lee, 2020).\n"
    finding = Finding("CC101", "missing-reference", Severity.WARNING, "Lee, 2020: odd,\nvery odd", Span(5, 14))
    [command] = render_github([_report(text, finding, path="dir,with:odd.md")]).splitlines()
    assert command == (
        "::warning file=dir%2Cwith%3Aodd.md,line=1,col=6,endLine=1,endColumn=15,"
        "title=CC101 missing-reference::Lee, 2020: odd,%0Avery odd"
    )
    # and through the command line: the path as given, escaped
    path = write(tmp_path, ISSUES, "a,b:c.md")
    _, out = cli(capsys, "audit", "--format", "github", path)
    assert out.startswith("::error file=" + escape_property(path) + ",line=1,")


def test_github_step_summary_is_appended_never_overwritten(
    papers: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    summary_file = tmp_path / "step_summary.md"
    summary_file.write_text("# An earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary_file))
    _, first = cli(capsys, "audit", "--format", "github", *papers)
    _, second = cli(capsys, "audit", "--format", "github", "-o", "annotations.txt", *papers)
    assert second == "" and Path("annotations.txt").read_text(encoding="utf-8") == first
    assert "## citecheck" not in first  # the summary goes to its file only
    summary = summary_file.read_text(encoding="utf-8")
    assert summary.startswith("# An earlier step\n")
    assert summary.count("## citecheck") == 2
    assert summary.count("| issues.md | 1 | 1 | 1 |") == 2
    assert summary.count("| clean.md | 0 | 0 | 0 |") == 2
    assert summary.count("| issues.md:1 | CC101 `missing-reference` (error) | 'Pereira, 2013' has no entry") == 2
    assert summary.count("| issues.md:7 | CC201 `uncited-reference` (warning) |") == 2
    # another format leaves the summary alone
    cli(capsys, "audit", "--format", "sarif", *papers)
    assert summary_file.read_text(encoding="utf-8") == summary


def test_github_step_summary_cells_stay_in_their_column() -> None:
    finding = Finding("CC101", "missing-reference", Severity.ERROR, "a | b <i>x</i>\nc", Span(0, 4))
    text = github.step_summary([_report("Text.\n", finding)])
    assert "| paper.md:1 | CC101 `missing-reference` (error) | a \\| b &lt;i&gt;x&lt;/i&gt; c |" in text


# GitLab


def test_gitlab_code_quality(
    papers: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    absolute = [str(tmp_path / p) for p in papers]
    code, out = cli(capsys, "audit", "--format", "gitlab", "--fail-on", "never", *absolute)
    assert code == 0
    issues = json.loads(out)
    findings = json_reports(capsys, *papers)[0]["findings"]
    assert [i["check_name"] for i in issues] == [f["rule"] for f in findings] == ["CC101", "CC111", "CC201"]
    assert [i["severity"] for i in issues] == ["major", "info", "minor"]
    assert [i["location"] for i in issues] == [{"path": "issues.md", "lines": {"begin": f["line"]}} for f in findings]
    assert issues[0]["description"] == f"{findings[0]['message']} {findings[0]['suggestion']}"
    _, log = cli(capsys, "audit", "--format", "sarif", *papers)
    assert [i["fingerprint"] for i in issues] == [
        r["partialFingerprints"]["citecheck/v1"] for r in json.loads(log)["runs"][0]["results"]
    ]
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    _, out = cli(capsys, "audit", "--format", "gitlab", absolute[0])
    assert {i["location"]["path"] for i in json.loads(out)} == {"../issues.md"}


# JUnit


@pytest.mark.parametrize(
    ("fail_on", "failures"),
    [
        pytest.param("error", ["CC101 missing-reference line 1"], id="error"),
        pytest.param(
            "note",
            ["CC101 missing-reference line 1", "CC111 unpublished-citation line 1", "CC201 uncited-reference line 7"],
            id="note",
        ),
        pytest.param("never", [], id="never"),
    ],
)
def test_junit_read_back(papers: tuple[str, str], capsys: pytest.CaptureFixture[str], fail_on: str, failures: list[str]) -> None:
    code, _ = cli(capsys, "audit", "--format", "junit", "--fail-on", fail_on, "-o", "results.xml", *papers)
    assert code == (1 if failures else 0)
    xml = JUnitXml.fromfile("results.xml")
    suites = list(xml)
    assert [s.name for s in suites] == list(papers)
    issues, clean = suites
    assert (issues.tests, issues.failures, issues.errors, issues.skipped) == (len(failures) or 1, len(failures), 0, 0)
    assert (clean.tests, clean.failures, clean.errors, clean.skipped) == (1, 0, 0, 0)
    assert (xml.tests, xml.failures, xml.errors, xml.skipped) == (issues.tests + 1, len(failures), 0, 0)
    cases = list(issues)
    assert [c.name for c in cases if not c.is_passed] == failures
    assert all(c.classname == "issues.md" for c in cases)
    [clean_case] = list(clean)
    assert clean_case.is_passed and clean_case.classname == "clean.md"
    if failures:
        [failure] = cases[0].result
        assert isinstance(failure, Failure)
        assert failure.type == "CC101"
        assert failure.message == "'Pereira, 2013' has no entry in the reference list."
        assert failure.text == "Add Pereira (2013) to the reference list, or correct the citation."
    else:
        assert [c.is_passed for c in cases] == [True]


def test_junit_holds_text_xml_cannot() -> None:
    finding = Finding("CC101", "missing-reference", Severity.ERROR, 'Odd \x0b "<&>" text', Span(0, 4), suggestion="Fix\x00 it.")
    root = ET.fromstring(render_junit([_report("Text.\n", finding)], Severity.ERROR).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == 'Odd \ufffd "<&>" text' and failure.text == "Fix\ufffd it."


# JSON Lines


def test_jsonl_one_line_per_input_as_the_json_report(papers: tuple[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out = cli(capsys, "audit", "--format", "jsonl", *papers)
    assert code == 1
    lines = out.splitlines(keepends=True)
    assert len(lines) == 2 and all(line.endswith("}\n") for line in lines)
    assert '", "' not in out and "–" in out  # compact, non-ASCII kept
    reports = json_reports(capsys, *papers)
    for line, path, status, report in zip(lines, papers, ("findings", "ok"), reports, strict=True):
        record = json.loads(line)
        assert (record.pop("path"), record.pop("status")) == (path, status)
        assert record == report
    _, out = cli(capsys, "audit", "--format", "jsonl", "--fail-on", "never", papers[0])
    assert json.loads(out)["status"] == "ok"
    _, out = cli(capsys, "audit", "--format", "jsonl", "--fail-on", "note", papers[0])
    assert json.loads(out)["status"] == "findings"


# every format, from both commands


@pytest.mark.parametrize("fmt", ["sarif", "github", "gitlab", "junit", "jsonl"])
def test_verify_takes_the_same_formats_and_o_writes_what_stdout_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@article{ok19,\n  author={Okafor, N.},\n  title={Tides},\n  year={2019}\n}\n", "utf-8")
    code, out = cli(capsys, "verify", "--offline", "--format", fmt, "--fail-on", "note", "refs.bib")
    assert code == 1  # unverified offline: a note
    assert "CC309" in out
    assert cli(capsys, "verify", "--offline", "--format", fmt, "--fail-on", "note", "-o", "out", "refs.bib") == (1, "")
    assert Path("out").read_text(encoding="utf-8") == out


def test_the_examples_in_docs_ci_are_real_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from citecheck.cli import FORMATS_OUT

    doc = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    for fmt in FORMATS_OUT:
        assert f"| `{fmt}` |" in doc
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    example = "fixtures/example.md"
    commands = [line for line in doc.splitlines() if line.startswith("::")]
    assert len(commands) == 3 and set(commands) <= set(cli(capsys, "audit", "--format", "github", example)[1].splitlines())
    log = json.loads(cli(capsys, "audit", "--format", "sarif", example)[1])
    jsonschema.Draft4Validator(SCHEMA).validate(log)  # with related locations (the ambiguous citation's entries)
    results = {r["ruleId"]: r for r in log["runs"][0]["results"]}
    assert len(results["CC104"]["relatedLocations"]) == 2
    assert f'"citecheck/v1": "{results["CC101"]["partialFingerprints"]["citecheck/v1"]}"' in doc
    assert json.dumps(results["CC101"]["locations"][0]["physicalLocation"]["region"]) in doc
    issues = {i["check_name"]: i for i in json.loads(cli(capsys, "audit", "--format", "gitlab", example)[1])}
    assert f'"fingerprint": "{issues["CC102"]["fingerprint"]}"' in doc
    junit = cli(capsys, "audit", "--format", "junit", example)[1]
    assert all(line in junit for line in doc.split("```xml\n")[1].split("```")[0].splitlines() if line.strip() != "...")
