"""``audit_many``: many manuscripts in worker processes, reports in input order, identical to
auditing each alone; an unreadable input and a worker that dies are told for that input only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import manuscript

import citecheck
from citecheck import batch
from citecheck.model import Report, Unreadable
from citecheck.report.data import to_dict

PAPERS = [
    manuscript(f"As Meyer ({2011 + i % 3}) showed, and Lindqvist (2019) too.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20.")
    for i in range(7)
]


def papers(tmp_path: Path) -> list[str]:
    paths = []
    for i, text in enumerate(PAPERS):
        path = tmp_path / f"paper{i}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def plain(result: Report | Unreadable) -> object:
    return to_dict(result) if isinstance(result, Report) else result


def test_in_processes_the_reports_are_those_of_one_at_a_time_in_order(tmp_path: Path) -> None:
    paths = papers(tmp_path)
    alone = [plain(r) for r in citecheck.audit_many(paths, jobs=1)]
    assert [plain(r) for r in citecheck.audit_many(paths, jobs=2)] == alone
    assert [r["document"]["path"] for r in alone] == paths  # type: ignore[index]
    assert [plain(r) for r in citecheck.audit_many(paths, jobs=2, select=["CC102"])] != alone


def test_an_unreadable_input_is_told_in_its_place(tmp_path: Path) -> None:
    paths = papers(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01 binary")
    results = list(citecheck.audit_many([paths[0], str(bad), paths[1]], jobs=2))
    assert isinstance(results[0], Report) and isinstance(results[2], Report)
    assert results[1] == Unreadable(str(bad), results[1].reason) and "binary" in results[1].reason


REAL_AUDIT_ONE = batch.audit_one


def dies_on_one(path: str, *rest: object) -> object:
    """``audit_one``, but the worker dies on the path the environment names, as a segmentation
    fault or the out-of-memory killer would end it. At module level: the pool pickles it by name."""
    if path == os.environ.get("CITECHECK_TEST_DIE_ON"):
        os._exit(1)
    return REAL_AUDIT_ONE(path, *rest)  # type: ignore[arg-type]


def test_a_worker_that_dies_loses_only_its_own_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = papers(tmp_path)
    monkeypatch.setenv("CITECHECK_TEST_DIE_ON", paths[2])
    monkeypatch.setattr(batch, "audit_one", dies_on_one)  # forked workers see both
    results = list(citecheck.audit_many(paths, jobs=2))
    assert [type(r).__name__ for r in results] == ["Report", "Report", "Unreadable", *["Report"] * 4]
    assert results[2].status == "crashed" and results[2].path == paths[2]  # type: ignore[union-attr]
    assert [r.source.path for r in results if isinstance(r, Report)] == [p for p in paths if p != paths[2]]


def test_the_command_line_gives_the_same_report_in_processes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    papers(tmp_path)
    (tmp_path / "citecheck.toml").write_text('ignore = ["CC201"]\n[severity]\nCC102 = "warning"\n', encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        for fmt in ("json", "jsonl", "text"):
            code = run(["audit", str(tmp_path), "--jobs", jobs, "--format", fmt])
            outputs.append((code, capsys.readouterr().out))
    assert outputs[:3] == outputs[3:]
    assert '"severity": "warning"' in outputs[0][1] and "CC201" not in outputs[0][1]  # the settings reached the workers


def test_in_processes_the_report_still_never_replaces_a_bibliography(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    (tmp_path / "refs.bib").write_text(
        "@article{meyer2011, author={Meyer, B.}, title={Grazing}, year={2011}}\n", encoding="utf-8"
    )
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("---\nbibliography: refs.bib\n---\n\nAs [@meyer2011] showed.\n", encoding="utf-8")
    before = (tmp_path / "refs.bib").read_bytes()
    code = run(["audit", str(tmp_path / "a.md"), str(tmp_path / "b.md"), "--jobs", "2", "-o", str(tmp_path / "refs.bib")])
    assert code == 2 and "refusing to overwrite an input file" in capsys.readouterr().err
    assert (tmp_path / "refs.bib").read_bytes() == before


def test_streamed_json_lines_tell_an_unreadable_file_in_its_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    paths = papers(tmp_path)
    (tmp_path / "paper3.md").write_bytes(b"\x00\x01 binary")
    runs = []
    for jobs in ("1", "2"):
        code = run(
            ["audit", *paths, "--jobs", jobs, "--format", "jsonl", "--fail-on", "never", "-o", str(tmp_path / "out.jsonl")]
        )
        runs.append((code, capsys.readouterr().err, (tmp_path / "out.jsonl").read_text(encoding="utf-8")))
    assert runs[0] == runs[1]
    code, err, out = runs[1]
    assert code == 2 and err.count("\n") == 1
    assert [line.split('"status":"')[1].split('"')[0] for line in out.splitlines()] == ["ok"] * 3 + ["unreadable"] + ["ok"] * 3


def test_progress_on_a_terminal_and_nothing_on_a_pipe(tmp_path: Path) -> None:
    import fcntl
    import pty
    import struct
    import subprocess
    import sys
    import termios

    paths = papers(tmp_path)
    (tmp_path / "paper3.md").write_bytes(b"\x00\x01 binary")
    command = [sys.executable, "-m", "citecheck", "audit", *paths, "--jobs", "2", "--format", "jsonl", "--fail-on", "never"]
    command += ["-o", str(tmp_path / "out.jsonl")]
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    try:
        subprocess.run(command, stderr=follower, stdout=subprocess.DEVNULL, timeout=120, check=False)
    finally:
        os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal's other end is closed: all was read
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    frames = shown.decode("utf-8", "replace").split("\r")
    assert any("/7 [" in f for f in frames)  # "43%|███  | 3/7 [00:00<00:00, 9.8file/s]"
    assert any("/7 [" in f and "1 unreadable" in f for f in frames)
    # the error line is a line of its own, written above the progress line
    assert "\rcitecheck: error: " in shown.decode("utf-8", "replace")
    piped = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert piped.stderr.count("\n") == 1 and "file/s" not in piped.stderr  # the error line alone
