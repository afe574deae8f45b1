"""The command line reads the nearest configuration file (docs/config.md): its rules, severities,
failing severity, format and bibliographies, with the command line's options over them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citecheck.cli import run
from citecheck.config import clear_cache

# One missing reference (CC101, error) and one year that differs (CC102, error).
PAPER = (
    "Grazing slows recovery (Okafor, 2019) and trampling too (Lindqvist, 2016).\n\n"
    "References\n\n"
    "Lindqvist, M. (2015). Trampling. *Ecology*, 5(1), 1–9.\n"
)


@pytest.fixture(autouse=True)
def _fresh() -> None:
    clear_cache()


def _audit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str, config: tuple[str, str] | None = None
) -> tuple[int, str]:
    (tmp_path / "paper.txt").write_text(PAPER, encoding="utf-8")
    if config is not None:
        (tmp_path / config[0]).write_text(config[1], encoding="utf-8")
    capsys.readouterr()
    code = run(
        ["audit", "--format", "json", *args, str(tmp_path / "paper.txt")]
        if "--format" not in args
        else ["audit", *args, str(tmp_path / "paper.txt")]
    )
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def _rules(out: str) -> list[tuple[str, str]]:
    return [(f["rule"], f["severity"]) for f in json.loads(out)["findings"]]


@pytest.mark.parametrize(
    ("config", "args", "expected"),
    [
        pytest.param(None, (), [("CC101", "error"), ("CC102", "error")], id="no-file"),
        pytest.param(
            ("pyproject.toml", '[tool.citecheck]\nignore = ["CC101"]\n'), (), [("CC102", "error")], id="pyproject-ignore"
        ),
        pytest.param(("citecheck.toml", 'ignore = ["missing-reference"]\n'), (), [("CC102", "error")], id="toml-ignore-by-name"),
        pytest.param(("citecheck.toml", 'select = ["CC101"]\n'), (), [("CC101", "error")], id="select"),
        pytest.param(
            ("citecheck.toml", '[severity]\nCC102 = "note"\n'), (), [("CC101", "error"), ("CC102", "note")], id="severity"
        ),
        pytest.param(("citecheck.toml", '[per-file-ignores]\n"*.txt" = ["CC102"]\n'), (), [("CC101", "error")], id="per-file"),
        pytest.param(
            ("citecheck.toml", '[per-file-ignores]\n"*.md" = ["CC102"]\n'),
            (),
            [("CC101", "error"), ("CC102", "error")],
            id="per-file-other",
        ),
        pytest.param(
            ("citecheck.toml", 'ignore = ["CC101"]\n'), ("--isolated",), [("CC101", "error"), ("CC102", "error")], id="isolated"
        ),
        pytest.param(
            ("citecheck.toml", 'ignore = ["CC101"]\n'), ("--ignore", "CC102"), [("CC101", "error")], id="command-line-over-file"
        ),
        pytest.param(
            ("pyproject.toml", '[project]\nname = "x"\n'),
            (),
            [("CC101", "error"), ("CC102", "error")],
            id="pyproject-without-table",
        ),
    ],
)
def test_rules_and_severities_from_the_nearest_file(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    config: tuple[str, str] | None,
    args: tuple[str, ...],
    expected: list[tuple[str, str]],
) -> None:
    _, out = _audit(tmp_path, capsys, *args, config=config)
    assert _rules(out) == expected


def test_fail_on_and_format_from_the_file_and_the_command_line_over_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "citecheck.toml").write_text('fail-on = "never"\nformat = "jsonl"\n', encoding="utf-8")
    (tmp_path / "paper.txt").write_text(PAPER, encoding="utf-8")
    assert run(["audit", str(tmp_path / "paper.txt")]) == 0  # errors, but fail-on never
    assert json.loads(capsys.readouterr().out)["status"] == "ok"  # jsonl: one report with its status
    assert run(["audit", "--fail-on", "error", "--format", "text", str(tmp_path / "paper.txt")]) == 1
    assert "Errors (2)" in capsys.readouterr().out


def test_a_named_config_replaces_discovery(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "other.toml").write_text('ignore = ["CC1"]\n', encoding="utf-8")
    _, out = _audit(tmp_path, capsys, "--config", str(tmp_path / "other.toml"), config=("citecheck.toml", 'ignore = ["CC102"]\n'))
    assert _rules(out) == []


def test_bibliographies_named_in_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "paper.md").write_text("Grazing slows recovery [@okafor2019].\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text("@article{okafor2019, author={Okafor, A.}, title={T}, year={2019}}\n", encoding="utf-8")
    (tmp_path / "citecheck.toml").write_text('bib = ["refs.bib"]\n', encoding="utf-8")  # without it: an undefined key
    assert run(["audit", "--format", "json", str(tmp_path / "paper.md")]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [c["link"] for c in report["citations"]] == ["exact"] and report["findings"] == []


@pytest.mark.parametrize(
    ("content", "words"),
    [
        pytest.param('colour = "red"\n', ["unknown key", "colour"], id="unknown-key"),
        pytest.param('select = ["CC999"]\n', ["select", "CC999"], id="unknown-rule"),
        pytest.param('ignore = "CC101"\n', ["ignore"], id="wrong-type"),
        pytest.param("select = [\n", ["citecheck.toml"], id="bad-toml"),
    ],
)
def test_a_wrong_file_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, words: list[str]
) -> None:
    code, err = _audit(tmp_path, capsys, config=("citecheck.toml", content))
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("citecheck: error: ")
    assert all(w in err for w in words), err
