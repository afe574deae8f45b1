"""The command line: exit codes, one-line errors, formats, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from citecheck.cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CLEAN = "As shown before (Okafor, 2019).\n\nReferences\n\nOkafor, N. (2019). Tides. *Estuaries*, 4(1), 1–9.\n"
WARNING_ONLY = CLEAN + "\nUnwin, T. (2001). Never cited. *Coasts*, 2(2), 3–4.\n"


def write(tmp_path: Path, text: str, name: str = "paper.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_clean_manuscript_exits_0_with_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit", write(tmp_path, CLEAN)]) == 0
    out = capsys.readouterr().out
    assert "1 citation, 1 reference, 0 errors, 0 warnings" in out


@pytest.mark.parametrize(
    ("fail_on", "code"),
    [
        pytest.param("error", 0, id="warning-below-error"),
        pytest.param("warning", 1, id="warning-reaches-warning"),
        pytest.param("never", 0, id="never"),
    ],
)
def test_fail_on(tmp_path: Path, fail_on: str, code: int) -> None:
    assert run(["audit", "--fail-on", fail_on, write(tmp_path, WARNING_ONLY)]) == code


def test_errors_exit_1() -> None:
    assert run(["audit", str(FIXTURES / "example.md")]) == 1


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["audit", "/nonexistent/paper.txt"], id="missing-file"),
        pytest.param(["audit", "--bogus", "x"], id="unknown-option"),
        pytest.param(["audit"], id="no-path"),
        pytest.param(["audit", "--format", "xml", "x"], id="bad-format"),
        pytest.param(["audit", "--select", "nonsense", "x"], id="no-rule-selected"),
    ],
)
def test_usage_errors_exit_2_with_one_line(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("citecheck: error:")
    assert err.count("\n") == 1


def test_binary_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "a.out"
    path.write_bytes(bytes(range(256)) * 8)
    assert run(["audit", str(path)]) == 2
    assert "binary" in capsys.readouterr().err


def test_no_traceback_from_the_installed_command(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "citecheck", "audit", str(tmp_path / "missing.txt")], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


def test_json_report_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["audit", "--format", "json", str(FIXTURES / "example.md")])
    report = json.loads(capsys.readouterr().out)
    assert report["schema"] == "citecheck-report/1"
    assert report["tool"]["name"] == "citecheck"
    text = (FIXTURES / "example.md").read_text(encoding="utf-8")
    for c in report["citations"]:
        assert text[c["start"] : c["end"]] == c["text"]
        assert c["reference"] is None or 0 <= c["reference"] < len(report["references"])
    kinds = {f["kind"] for f in report["findings"]}
    assert {"missing-reference", "year-mismatch", "uncited-reference"} <= kinds
    assert report["summary"]["citations"] == len(report["citations"])
    for f in report["findings"]:
        assert f["line"] >= 1 and f["column"] >= 1


def test_output_is_written_to_a_new_file_and_input_untouched(tmp_path: Path) -> None:
    src = write(tmp_path, CLEAN)
    before = Path(src).read_bytes()
    out = tmp_path / "report.json"
    assert run(["audit", "--format", "json", "-o", str(out), src]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["citations"] == 1
    assert Path(src).read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".citecheck-")] == []


def test_refuses_to_overwrite_the_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path, CLEAN)
    assert run(["audit", "-o", src, src]) == 2
    assert Path(src).read_text(encoding="utf-8") == CLEAN
    assert "input" in capsys.readouterr().err


def test_ignore_and_select(tmp_path: Path) -> None:
    path = write(tmp_path, WARNING_ONLY)
    assert run(["audit", "--fail-on", "warning", "--ignore", "uncited-reference", path]) == 0
    assert run(["audit", "--fail-on", "warning", "--select", "CC2", path]) == 1


def test_rules_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["rules"]) == 0
    out = capsys.readouterr().out
    for name in (
        "missing-reference",
        "uncited-reference",
        "year-mismatch",
        "author-misspelling",
        "ambiguous-citation",
        "page-out-of-range",
        "suffix-needed",
        "et-al-misuse",
        "duplicate-reference",
        "unparsed-reference",
    ):
        assert name in out


def test_several_paths_give_one_json_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = write(tmp_path, CLEAN, "a.txt"), write(tmp_path, WARNING_ONLY, "b.txt")
    assert run(["audit", "--format", "json", a, b]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [r["document"]["path"] for r in doc["reports"]] == [a, b]


def test_control_text_without_citations_is_silent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    prose = "The summit (SCO) in March 2020 drew $190 billion in pledges (p < .05) across (1991–1995) talks.\n" * 20
    assert run(["audit", write(tmp_path, prose)]) == 0
    assert "0 citations, 0 references, 0 errors, 0 warnings" in capsys.readouterr().out
