"""What a run audits when the command line names folders, globs and lists of files (issue 14's
inputs): every manuscript below a folder, hidden ones left out, in name order; quoted globs
expanded; --exclude; --files-from a file or standard input; a LaTeX chapter through its root."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import manuscript

from citecheck.cli import run
from citecheck.errors import InputError
from citecheck.inputs import expand, files_from

PAPER = manuscript("As Meyer (2011) showed.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20.")


def tree(root: Path, *names: str) -> list[str]:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(PAPER, encoding="utf-8")
    return [str(root / n) for n in names]


def audited(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str], str]:
    code = run(["audit", *args, "--format", "jsonl", "--fail-on", "never"])
    out, err = capsys.readouterr()
    return code, [json.loads(line)["path"] for line in out.splitlines()], err


def test_a_folder_is_every_manuscript_below_it_in_name_order(tmp_path: Path) -> None:
    b, a, c = tree(tmp_path, "b.md", "a.txt", "sub/c.tex")
    tree(tmp_path, ".hidden.md", ".git/x.md", "data.csv", "refs.bib")
    assert expand([str(tmp_path)]) == [a, b, c]


def test_a_glob_is_expanded_and_a_named_file_kept_as_given(tmp_path: Path) -> None:
    a, b, c = tree(tmp_path, "one/a.tex", "one/b.md", "two/deep/c.tex")
    assert expand([str(tmp_path / "**" / "*.tex")]) == [a, c]
    odd = tmp_path / "paper.weird"
    odd.write_text(PAPER, encoding="utf-8")
    assert expand([str(odd), b]) == [str(odd), b]


def test_each_file_once_and_exclusions(tmp_path: Path) -> None:
    a, b, c = tree(tmp_path, "a.md", "drafts/b.md", "c.md")
    assert expand([a, str(tmp_path), a]) == [a, c, b]
    assert expand([str(tmp_path)], exclude=["*/drafts/*"]) == [a, c]
    assert expand([str(tmp_path)], exclude=["c.md"]) == [a, b]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a folder with no manuscript in it"),
        (lambda p: None, "matches no file"),
    ],
)
def test_nothing_to_audit_is_an_error(tmp_path: Path, make, message: str) -> None:
    target = tmp_path / "empty"
    make(target)
    with pytest.raises(InputError, match=message):
        expand([str(target) if target.exists() else str(tmp_path / "*.md")])


def test_a_list_of_files() -> None:
    assert files_from(io.StringIO("a.md\n\n# drafts\n  b.tex  \n"), "list") == ["a.md", "b.tex"]
    with pytest.raises(InputError, match="lists no file"):
        files_from(io.StringIO("\n# nothing\n"), "list")


def test_the_command_line_audits_folders_globs_and_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = tree(tmp_path, "in/a.md", "in/sub/b.txt")
    code, paths, _ = audited(capsys, str(tmp_path / "in"))
    assert (code, paths) == (0, [a, b])
    code, paths, _ = audited(capsys, str(tmp_path / "in" / "**" / "*.txt"))
    assert paths == [b]
    listing = tmp_path / "list.txt"
    listing.write_text(f"{b}\n{a}\n", encoding="utf-8")
    code, paths, _ = audited(capsys, "--files-from", str(listing))
    assert paths == [b, a]
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{a}\n"))
    code, paths, _ = audited(capsys, "--files-from", "-")
    assert paths == [a]
    code, paths, _ = audited(capsys, str(tmp_path / "in"), "--exclude", "b.txt")
    assert paths == [a]


def test_refusals_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["audit"]) == 2
    assert "name the manuscripts to audit" in capsys.readouterr().err
    assert run(["audit", "--files-from", str(tmp_path / "missing.txt")]) == 2
    err = capsys.readouterr().err
    assert "the list of files cannot be read" in err and err.count("\n") == 1
    assert run(["audit", "-", "--files-from", "-"]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_folder_of_latex_audits_each_root_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "main.tex").write_text("\\documentclass{article}\\begin{document}\\input{ch1}\\end{document}\n", encoding="utf-8")
    (tmp_path / "ch1.tex").write_text("As Meyer (2011) showed.\n", encoding="utf-8")
    code, paths, _ = audited(capsys, str(tmp_path))
    assert code == 0 and paths == [str(tmp_path / "main.tex")]


def test_an_unreadable_file_of_many_stops_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, c = tree(tmp_path, "a.md", "c.md")
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    missing = str(tmp_path / "gone.md")
    code = run(["audit", a, str(bad), missing, c, "--format", "jsonl", "--fail-on", "never"])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 2  # an input could not be read: the run says so, after auditing the rest
    assert [(r["path"], r["status"]) for r in lines] == [(a, "ok"), (str(bad), "unreadable"), (missing, "unreadable"), (c, "ok")]
    assert "binary" in lines[1]["reason"] and lines[2]["reason"] == "no such file"
    assert err.count("\n") == 2 and f"{bad}: " in err and "the other inputs are audited" in err
    code = run(["audit", str(bad), a])
    out, err = capsys.readouterr()
    assert code == 2 and f"{a}: 1 citation" in out  # the text report of the readable one


def test_one_unreadable_file_alone_is_the_runs_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "b.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    assert run(["audit", str(bad), "--format", "jsonl"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
