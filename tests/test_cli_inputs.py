"""What the command line takes: a manuscript on standard input named by --stdin-filename, a folder
refused with a hint, a chapter and its root named together audited once."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from citecheck.cli import run

TEXT = "Grazing slows recovery (Okafor, 2019).\n\nReferences\n\nLind, M. (2015). Trampling. *Ecology*, 1, 1–2.\n"


def _stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_standard_input_with_a_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "refs.bib").write_text("@book{lind2015, author={Lind, M.}, title={Trampling}, year={2015}}\n", encoding="utf-8")
    _stdin(monkeypatch, b"---\nbibliography: refs.bib\n---\n\nTrampling [@lind2015] and [@okafor2019].\n")
    assert run(["audit", "--format", "json", "--stdin-filename", str(tmp_path / "paper.md"), "-"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["document"]["path"] == str(tmp_path / "paper.md")
    assert [(c["key"], c["link"]) for c in report["citations"]] == [("lind2015", "exact"), ("okafor2019", "missing")]


def test_standard_input_without_a_name_is_text(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _stdin(monkeypatch, TEXT.encode("utf-8"))
    assert run(["audit", "-"]) == 1
    out = capsys.readouterr().out
    assert "<stdin>:1:25: CC101 missing-reference" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["audit", "--stdin-filename", "x.md", "paper.txt"], "give '-' as the input", id="name-without-dash"),
        pytest.param(["audit", "-", "-"], "can be given once", id="dash-twice"),
        pytest.param(["audit", "--stdin-filename", "x.pdf", "-"], "PDF is not read from standard input", id="pdf"),
    ],
)
def test_standard_input_misused(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    _stdin(monkeypatch, TEXT.encode("utf-8"))
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_folder_with_no_manuscript_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.csv").write_text("a,b\n", encoding="utf-8")
    assert run(["audit", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a folder with no manuscript in it" in err and err.count("\n") == 1


def test_a_chapter_and_its_root_are_audited_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tex").write_text(
        "\\documentclass{article}\n\\begin{document}\n\\input{chapter}\n\\bibliography{refs}\n\\end{document}\n", encoding="utf-8"
    )
    (tmp_path / "chapter.tex").write_text("Grazing \\citep{okafor2019}.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(
        "@article{okafor2019, author={Okafor, A.}, title={G}, journal={E}, year={2019}}\n", encoding="utf-8"
    )
    assert run(["audit", "--format", "jsonl", str(tmp_path / "main.tex"), str(tmp_path / "chapter.tex")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["document"]["path"] for line in lines] == [str(tmp_path / "main.tex")]


def test_a_report_file_has_a_normal_mode(tmp_path: Path) -> None:
    import os
    import stat

    paper = tmp_path / "paper.txt"
    paper.write_text(TEXT, encoding="utf-8")
    new, old = tmp_path / "new.json", tmp_path / "old.json"
    old.write_text("{}", encoding="utf-8")
    old.chmod(0o640)
    umask = os.umask(0o022)
    try:
        assert run(["audit", "--fail-on", "never", "-o", str(new), str(paper)]) == 0
        assert run(["audit", "--fail-on", "never", "-o", str(old), str(paper)]) == 0
    finally:
        os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o644  # as any new file under umask 022, not mkstemp's 0600
    assert stat.S_IMODE(old.stat().st_mode) == 0o640  # the replaced file's own
