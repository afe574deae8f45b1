"""The Dask engine: on a real cluster of worker processes, the same results as the local pool, in
input order, at most two documents per worker thread in flight; a worker that dies, an unreadable
input and a bug are told for their document only; no scheduler, no Dask: one line."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from conftest import manuscript
from distributed import LocalCluster

import citecheck
from citecheck import batch
from citecheck.dask_engine import NEEDS_DASK, dask_results
from citecheck.errors import CitecheckError
from citecheck.model import Rendered, Report, Unreadable
from citecheck.report.data import to_dict
from citecheck.report.jsondoc import json_chunks

PAPERS = [
    manuscript(f"As Meyer ({2011 + i % 3}) showed, and Lindqvist (2019) too.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20.")
    for i in range(8)
]
# A task's settings after its path, as ``audit_many`` makes them with none given (batch.Task).
DEFAULTS: tuple[object, ...] = ((), (), None, (), None, (), None)


def task(path: str, **settings: object) -> batch.Task:
    names = ["select", "ignore", "fmt", "bibs", "timeout", "severities", "render"]
    unknown = set(settings) - set(names)
    assert not unknown, unknown
    return (path, *(settings.get(n, d) for n, d in zip(names, DEFAULTS, strict=True)))  # type: ignore[return-value]


def papers(tmp_path: Path, n: int = len(PAPERS)) -> list[str]:
    paths = []
    for i in range(n):
        path = tmp_path / f"paper{i}.md"
        path.write_text(PAPERS[i % len(PAPERS)], encoding="utf-8")
        paths.append(str(path))
    return paths


def plain(result: Report | Rendered | Unreadable) -> object:
    if isinstance(result, Report):
        return to_dict(result)
    if isinstance(result, Rendered):  # its tally is an object of its own: what it counted is in the text
        return (result.path, result.parts, result.text, result.failed)
    return result


def local_cluster(workers: int) -> LocalCluster:
    """Single-threaded worker processes, as ``--engine dask --jobs N`` starts them; the scheduler's
    HTTP server on a free port, as the engine's own has it (8787 may be taken)."""
    return LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    )


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """Two single-threaded worker processes, as ``--engine dask --jobs 2`` starts them."""
    with local_cluster(2) as started:
        yield started


def test_on_a_cluster_the_reports_are_those_of_the_local_run_in_order(tmp_path: Path, cluster: LocalCluster) -> None:
    tasks = [task(p) for p in papers(tmp_path)]
    local = list(batch.audit_tasks(tasks, 1))
    on_dask = list(dask_results(tasks, 2, cluster.scheduler_address))
    assert all(isinstance(r, Report) for r in on_dask)
    assert [plain(r) for r in on_dask] == [plain(r) for r in local]
    assert [r.source.path for r in on_dask] == [t[0] for t in tasks]  # type: ignore[union-attr]
    assert "".join(json_chunks(on_dask)).encode() == "".join(json_chunks(local)).encode()  # type: ignore[arg-type]


def test_the_settings_reach_the_workers_and_the_same_path_twice_is_audited_twice(tmp_path: Path, cluster: LocalCluster) -> None:
    first, second = papers(tmp_path, 2)
    tasks = [
        task(first),
        task(first, select=("CC102",)),
        task(first),  # the same task again: a key of its own, not merged with the first
        task(second, severities=(("CC102", "note"),)),
        task(second, render=("jsonl", None, False, False)),
    ]
    local = [plain(r) for r in batch.audit_tasks(tasks, 1)]
    on_dask = [plain(r) for r in dask_results(tasks, 2, cluster.scheduler_address)]
    assert on_dask == local
    assert on_dask[0] == on_dask[2] != on_dask[1]
    assert isinstance(on_dask[4], tuple) and json.loads(on_dask[4][2])["status"] == "ok"


def test_an_unreadable_input_is_told_in_its_place(tmp_path: Path, cluster: LocalCluster) -> None:
    paths = papers(tmp_path, 4)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01 binary")
    missing = str(tmp_path / "missing.md")
    tasks = [task(p) for p in [paths[0], str(binary), paths[1], missing, paths[2], paths[3]]]
    on_dask = list(dask_results(tasks, 2, cluster.scheduler_address))
    assert [plain(r) for r in on_dask] == [plain(r) for r in batch.audit_tasks(tasks, 1)]
    assert [type(r).__name__ for r in on_dask] == ["Report", "Unreadable", "Report", "Unreadable", "Report", "Report"]
    assert on_dask[1].path == str(binary) and "binary" in on_dask[1].reason  # type: ignore[union-attr]
    assert on_dask[3].path == missing and on_dask[3].status == "unreadable"  # type: ignore[union-attr]


def test_a_bug_met_on_one_document_is_told_for_it_as_the_pool_tells_it(tmp_path: Path, cluster: LocalCluster) -> None:
    paths = papers(tmp_path, 3)
    # A rule pattern that is not a string fails in the worker, as a bug would (not an InputError).
    tasks = [task(paths[0]), task(paths[1], select=(None,)), task(paths[2])]
    on_dask = list(dask_results(tasks, 2, cluster.scheduler_address))
    assert [plain(r) for r in on_dask] == [plain(r) for r in batch.audit_tasks(tasks, 2)]
    bug = on_dask[1]
    assert isinstance(bug, Unreadable) and bug.status == "crashed" and bug.path == paths[1]
    assert bug.reason.startswith("internal error: AttributeError: ") and bug.reason.endswith("(please report this)")


def test_at_most_two_documents_per_worker_thread_are_on_the_cluster(tmp_path: Path, cluster: LocalCluster) -> None:
    paths = papers(tmp_path, 20)
    held = []
    run = dask_results([task(p) for p in paths], 2, cluster.scheduler_address)
    assert isinstance(run, Generator)  # closed below, half-way
    with contextlib.closing(run) as results:
        for i, result in enumerate(results):
            held.append(len(cluster.scheduler.tasks))
            assert isinstance(result, Report) and result.source.path == paths[i]
            if i == 9:
                break
        assert 0 < max(held) <= 4
    # closed half-way: what was still in flight is released, the cluster holds nothing of the run
    deadline = time.monotonic() + 5
    while cluster.scheduler.tasks and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not cluster.scheduler.tasks


# Loaded by each worker as it starts, and again by each worker started in place of one that died
# (Dask's worker preload): a worker dies, as a segmentation fault or the out-of-memory killer would
# end it, on the document named "dies.md", and only on it.
DIES_ON_ONE = """\
import os
import time

from citecheck import batch


def audit_one(path, *rest, audit_one=batch.audit_one):
    if path.endswith("dies.md"):
        time.sleep(0.3)  # long enough for the worker to be sent another document
        os._exit(1)
    return audit_one(path, *rest)


if not hasattr(batch.audit_one, "dies"):  # a worker may run it twice
    audit_one.dies = True
    batch.audit_one = audit_one
"""


def test_a_worker_that_dies_loses_only_its_own_document(tmp_path: Path) -> None:
    import dask

    paths = papers(tmp_path)
    dies = tmp_path / "dies.md"
    dies.write_text(PAPERS[0], encoding="utf-8")
    preload = tmp_path / "dies_on_one.py"
    preload.write_text(DIES_ON_ONE, encoding="utf-8")
    tasks = [task(p) for p in [str(dies), *paths]]
    # Without work stealing, the worker given the first document is given the third too, and
    # keeps it: the worker dies holding a document that did not kill it.
    settings = {"distributed.worker.preload": [str(preload)], "distributed.scheduler.work-stealing": False}
    with dask.config.set(settings):
        on_dask = list(dask_results(tasks, 2))  # the engine's own cluster, started for the run
    assert [type(r).__name__ for r in on_dask] == ["Unreadable"] + ["Report"] * len(paths)
    assert on_dask[0] == Unreadable(str(dies), batch.CRASHED, "crashed")
    # The documents the dead worker held with it were audited again, and are as the local run's.
    assert [plain(r) for r in on_dask[1:]] == [plain(r) for r in batch.audit_tasks(tasks[1:], 1)]


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        pytest.param("tcp://127.0.0.1:1", "no answer in 1 s", id="nothing-listens"),
        pytest.param("127.0.0.1", "missing port number", id="no-port"),
        pytest.param("tcp://127.0.0.1:port", "invalid literal", id="bad-port"),
        pytest.param("tcp://127.0.0.1:99999", "not between 1 and 65535", id="port-out-of-range"),
        pytest.param("ftp://127.0.0.1:8786", "unknown address scheme", id="bad-scheme"),
    ],
)
def test_no_scheduler_at_the_address_is_one_line(tmp_path: Path, address: str, reason: str) -> None:
    started = time.monotonic()
    with pytest.raises(CitecheckError) as caught:
        list(dask_results([task(p) for p in papers(tmp_path, 2)], 2, address, timeout=1))
    assert time.monotonic() - started < 10
    message = str(caught.value)
    assert message.startswith(f"{address}: no Dask scheduler answers there (") and reason in message
    assert "\n" not in message


def test_a_scheduler_without_workers_is_one_line(tmp_path: Path) -> None:
    with local_cluster(0) as empty, pytest.raises(CitecheckError) as caught:
        list(dask_results([task(p) for p in papers(tmp_path, 1)], 1, empty.scheduler_address, timeout=0.5))
    address = empty.scheduler_address
    assert str(caught.value) == f"{address}: the Dask scheduler has no worker after 0.5 s (start some: dask worker {address})"


def test_a_scheduler_that_goes_away_during_the_run_stops_it_with_one_line(tmp_path: Path) -> None:
    paths = papers(tmp_path, 12)
    with local_cluster(1) as doomed:
        results = dask_results([task(p) for p in paths], 1, doomed.scheduler_address, timeout=1)
        assert isinstance(next(results), Report)
        doomed.close()
        started = time.monotonic()
        with pytest.raises(CitecheckError) as caught:
            list(results)
    assert time.monotonic() - started < 10
    assert str(caught.value) == f"{doomed.scheduler_address}: the Dask scheduler stopped answering during the run"


def test_workers_that_run_another_citecheck_are_refused_with_one_line(tmp_path: Path) -> None:
    import dask

    preload = tmp_path / "older.py"
    preload.write_text("import citecheck\n\ncitecheck.__version__ = '0.0.1'\n", encoding="utf-8")
    with (
        dask.config.set({"distributed.worker.preload": [str(preload)]}),
        local_cluster(1) as older,
        pytest.raises(CitecheckError) as caught,
    ):
        list(dask_results([task(p) for p in papers(tmp_path, 1)], 1, older.scheduler_address))
    assert str(caught.value) == (
        f"{older.scheduler_address}: Dask workers have citecheck 0.0.1, this machine {citecheck.__version__};"
        f" install citecheck-audit {citecheck.__version__} on every worker"
    )


def test_without_dask_the_message_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed: ImportError
    with pytest.raises(CitecheckError) as caught:
        list(dask_results([task(p) for p in papers(tmp_path, 1)], 2))
    assert str(caught.value) == NEEDS_DASK == "the Dask engine needs the dask extra: pip install 'citecheck-audit[dask]'"


RUN_ALONE = """\
import json, sys

import citecheck.dask_engine

# citecheck's start-up stays free of Dask until a run starts
assert not [m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")], "imported at start-up"

if __name__ == "__main__":
    from citecheck.dask_engine import dask_results
    from citecheck.report.data import to_dict

    tasks = [(p, (), (), None, (), None, (), None) for p in sys.argv[1:]]
    print(json.dumps([to_dict(r) for r in dask_results(tasks, 2)]))
"""


def test_a_run_on_a_cluster_of_its_own_writes_nothing_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = [Path(p).name for p in papers(tmp_path, 4)]  # as given: its workers start in this folder
    script = tmp_path / "run_alone.py"
    script.write_text(RUN_ALONE, encoding="utf-8")
    env = {**os.environ, "CITECHECK_CACHE_DIR": str(tmp_path / "cache")}
    taken = socket.socket()  # Dask's usual port, busy: not a word about it
    with contextlib.suppress(OSError):  # already busy
        taken.bind(("127.0.0.1", 8787))
        taken.listen()
    with taken:
        done = subprocess.run(
            [sys.executable, str(script), *names], capture_output=True, text=True, env=env, timeout=120, check=False
        )
    assert (done.returncode, done.stderr) == (0, "")
    local = [to_dict(r) for r in batch.audit_tasks([task(n) for n in names], 1)]  # type: ignore[arg-type]
    assert json.loads(done.stdout) == json.loads(json.dumps(local))
    assert [r["document"]["path"] for r in local] == names


@pytest.mark.parametrize("fmt", ["jsonl", "text", "json"])
def test_the_command_line_on_a_cluster_writes_the_report_of_the_local_run(
    tmp_path: Path, cluster: LocalCluster, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    from citecheck.cli import run

    papers(tmp_path)
    (tmp_path / "bad.md").write_bytes(b"\x00\x01 binary")
    (tmp_path / "citecheck.toml").write_text('ignore = ["CC201"]\n[severity]\nCC101 = "warning"\n', encoding="utf-8")
    runs = []
    for engine in (["--jobs", "2"], ["--scheduler", cluster.scheduler_address]):
        code = run(["audit", str(tmp_path), "--format", fmt, "-o", str(tmp_path / "out"), *engine])
        text = (tmp_path / "out").read_text(encoding="utf-8")
        runs.append((code, capsys.readouterr().err, "".join(x for x in text.splitlines(True) if not x.startswith("  time: "))))
    assert runs[0] == runs[1]
    code, err, text = runs[1]
    assert code == 2 and err.count("\n") == 1 and "bad.md" in err
    warned = "Warnings (" in text if fmt == "text" else '"severity":"warning"' in text.replace(" ", "")
    assert warned and "CC201" not in text  # the settings reached the workers
