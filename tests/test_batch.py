"""``audit_many``: many manuscripts in worker processes, reports in input order, identical to
auditing each alone; an unreadable input and a worker that dies are told for that input only."""

from __future__ import annotations

import json
import os
import re
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


def untimed(text: str) -> str:
    """The report without the line of the run's time, which differs from run to run."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("  time: "))


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
            outputs.append((code, untimed(capsys.readouterr().out)))
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


def clean_paper(tmp_path: Path) -> str:
    path = tmp_path / "clean.md"
    path.write_text(manuscript("As Meyer (2011) showed.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20."), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_text_of_several_names_each_file_with_findings_and_sums_up_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    from citecheck.cli import run

    paths = papers(tmp_path)[:3]  # Lindqvist (2019) is never listed; paper1 also cites Meyer (2012)
    clean = clean_paper(tmp_path)
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"\x00\x01 binary")
    code = run(["audit", paths[0], clean, str(bad), paths[1], paths[2], "--jobs", jobs, "--fail-on", "never"])
    out = capsys.readouterr().out
    assert code == 2
    headers = [line for line in out.splitlines() if line.startswith("==> ")]
    assert headers == [f"==> {p} <==" for p in paths]  # the clean file and the unreadable one have none
    assert f"{clean}: 1 citation, 1 reference, 0 errors, 0 warnings" in out
    summary = out[out.index("\nSummary: ") :]
    assert "Summary: 5 documents (4 audited, 1 not)" in summary
    assert "  7 citations, 4 references, 5 errors, 0 warnings, 0 notes" in summary
    assert "    CC101 missing-reference  3" in summary and "    CC102 year-mismatch      2" in summary
    assert f"    {bad}: unreadable: this looks like a binary file" in summary
    assert re.search(r"\n  time: \d+\.\d\d s \(\d[\d,.]* documents/s\)\n$", summary)


def test_text_streamed_to_a_file_is_the_one_written_at_the_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    paths = papers(tmp_path)
    written = []
    for extra in ([], ["--baseline", str(tmp_path / "none.json")]):
        if extra:  # a baseline that accepts nothing: the report is made whole, then written
            (tmp_path / "none.json").write_text('{"schema": "citecheck-baseline/1", "findings": []}', encoding="utf-8")
        code = run(["audit", *paths, "--jobs", "2", "-o", str(tmp_path / "out.txt"), *extra])
        assert code == 1, capsys.readouterr().err
        written.append(untimed((tmp_path / "out.txt").read_text(encoding="utf-8")))
    assert written[0] == written[1] and written[0].count("==> ") == 7


def test_one_manuscript_is_told_without_a_header_or_a_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    run(["audit", papers(tmp_path)[0]])
    out = capsys.readouterr().out
    assert "==>" not in out and "Summary:" not in out and out.startswith("Errors (1)")


def test_a_deadline_stops_python_code() -> None:
    import time

    started = time.monotonic()
    with pytest.raises(batch.DeadlinePassed), batch.deadline(0.05):
        while True:
            pass
    assert time.monotonic() - started < 5


def test_a_deadline_stops_python_code_in_a_thread_too() -> None:
    import threading
    import time

    outcome: list[str] = []

    def work() -> None:
        try:
            with batch.deadline(0.05):
                while True:
                    pass
        except batch.DeadlinePassed:
            outcome.append("stopped")
        with batch.deadline(5):  # in time: nothing raised, then or later
            time.sleep(0.01)
        time.sleep(0.1)
        outcome.append("went on")

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(10)
    assert outcome == ["stopped", "went on"]


def _never_returns() -> None:
    """In a worker: code that never gives the timer a chance (SIGALRM blocked), which the kernel
    must stop after the deadline's CPU time and the grace."""
    import signal

    batch.HARD_GRACE = 1
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
    with batch.deadline(0.2, hard=True):
        while True:
            pass


def test_a_hard_deadline_has_the_kernel_stop_a_worker_that_never_returns() -> None:
    import multiprocessing
    import signal

    child = multiprocessing.get_context("fork").Process(target=_never_returns)
    child.start()
    child.join(30)
    if child.is_alive():
        child.kill()
        pytest.fail("the worker was not stopped")
    assert child.exitcode == -signal.SIGXCPU


def test_a_document_past_its_deadline_is_told_for_itself_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import time

    from citecheck import readers
    from citecheck.cli import run

    paths = papers(tmp_path)
    real_read = readers.read_document

    def slow_on_one(path: str, *rest: object) -> object:
        if path == paths[1]:
            time.sleep(60)
        return real_read(path, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(readers, "read_document", slow_on_one)  # the forked workers see it
    out = tmp_path / "out.jsonl"
    code = run(["audit", *paths, "--jobs", "2", "--timeout-per-file", "0.5", "--format", "jsonl", "-o", str(out)])
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 2 and [line["status"] for line in lines] == ["findings", "timeout", *["findings"] * 5]
    assert lines[1] == {"path": paths[1], "status": "timeout", "reason": batch.timed_out(0.5)}
    assert err == f"citecheck: error: {paths[1]}: not done within 0.5 s (--timeout-per-file); the other inputs are audited\n"


def test_a_deadline_leaves_a_document_that_is_in_time_alone(tmp_path: Path) -> None:
    paths = papers(tmp_path)
    timed = [plain(r) for r in citecheck.audit_many(paths, jobs=2, timeout=60)]
    assert timed == [plain(r) for r in citecheck.audit_many(paths, jobs=1)]


def test_one_manuscript_past_its_deadline_is_the_run_s_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from citecheck.cli import run

    big = tmp_path / "big.md"
    body = "\n\n".join(f"As Meyer{i} ({1900 + i % 120}) and Lindqvist{i} (2019) showed." for i in range(20_000))
    big.write_text(manuscript(body, "Meyer, B. (2011). Grazing. Oikos, 4, 10–20."), encoding="utf-8")
    code = run(["audit", str(big), "--timeout-per-file", "0.01"])
    assert code == 2
    assert capsys.readouterr().err == f"citecheck: error: {big}: not done within 0.01 s (--timeout-per-file)\n"


def _worker_flag() -> bool:
    return batch._IN_WORKER


def test_the_pool_s_workers_know_they_are_workers_and_this_process_does_not() -> None:
    pool = batch._pool(1)
    try:
        assert pool.submit(_worker_flag).result(timeout=60) is True
    finally:
        pool.shutdown()
    assert batch._IN_WORKER is False  # a deadline here never has the kernel stop the command itself
