"""The baseline: accepted findings are dropped and counted, new ones (a third copy of the same
wrong citation, a finding moved to another rule) are reported, lines moving changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cli import run

BODY = "Grazing slows recovery (Okafor, 2019) and trampling too (Lindqvist, 2016).\n\nAgain (Okafor, 2019).\n"
LIST = "\nReferences\n\nLindqvist, M. (2015). Trampling. *Ecology*, 5(1), 1–9.\n"


def _audit(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    capsys.readouterr()
    code = run(["audit", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_write_then_read_the_baseline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper, base = tmp_path / "paper.txt", tmp_path / "baseline.json"
    paper.write_text(BODY + LIST, encoding="utf-8")
    code, report = _audit(capsys, "--write-baseline", str(base), str(paper))
    assert code == 0 and report["findings"] == [] and report["summary"]["baselined"] == 3
    doc = json.loads(base.read_text(encoding="utf-8"))
    assert doc["schema"] == "citecheck-baseline/1"
    assert sorted((e["rule"], e["count"]) for e in doc["findings"]) == [("CC101", 2), ("CC102", 1)]
    assert all(e["file"].endswith("paper.txt") for e in doc["findings"])

    # Lines moved: nothing new.
    paper.write_text("\n\n\n" + BODY + LIST, encoding="utf-8")
    code, report = _audit(capsys, "--baseline", str(base), str(paper))
    assert (code, report["findings"], report["summary"]["baselined"]) == (0, [], 3)

    # A third copy of the same missing citation is new; so is another wrong year.
    paper.write_text(BODY + "And once more (Okafor, 2019), and (Lindqvist, 2017).\n" + LIST, encoding="utf-8")
    code, report = _audit(capsys, "--baseline", str(base), str(paper))
    assert code == 1
    assert sorted((f["rule"], f["line"]) for f in report["findings"]) == [("CC101", 4), ("CC102", 4)]
    assert report["summary"]["baselined"] == 3


def test_no_baseline_no_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(BODY + LIST, encoding="utf-8")
    _, report = _audit(capsys, str(paper))
    assert "baselined" not in report["summary"] and len(report["findings"]) == 3


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param("not json", "not JSON", id="not-json"),
        pytest.param('{"schema": "other/1", "findings": []}', "citecheck-baseline/1", id="other-schema"),
        pytest.param('{"schema": "citecheck-baseline/1", "findings": [{"count": 1}]}', "fingerprint", id="no-fingerprint"),
        pytest.param(
            '{"schema": "citecheck-baseline/1", "findings": [{"fingerprint": "x", "count": 0}]}', "count", id="bad-count"
        ),
    ],
)
def test_a_wrong_baseline_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: str
) -> None:
    paper, base = tmp_path / "paper.txt", tmp_path / "baseline.json"
    paper.write_text(BODY + LIST, encoding="utf-8")
    base.write_text(content, encoding="utf-8")
    capsys.readouterr()
    assert run(["audit", "--baseline", str(base), str(paper)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err


def test_the_baseline_never_replaces_an_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(BODY + LIST, encoding="utf-8")
    assert run(["audit", "--write-baseline", str(paper), str(paper)]) == 2
    assert paper.read_text(encoding="utf-8") == BODY + LIST
