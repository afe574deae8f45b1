"""Many manuscripts at once, on every core: ``audit_many`` yields each report in input order as
soon as it and those before it are done.

Documents are audited in worker processes (``concurrent.futures``; forked on Linux, so that a
worker starts with the pipeline already imported), at most ``2 × jobs`` of them in flight, so that
memory is bounded by the jobs, not by the number of files. An input that cannot be read yields an
``Unreadable`` record with the reason, and the rest go on. A worker that dies (a crash in a
library, the kernel's out-of-memory killer) takes the documents it shares a pool with down with
it; those are audited again one at a time in a fresh pool, and only the one that kills its worker
alone is reported, as ``crashed``.

A document may be given a deadline (``--timeout-per-file``): past it, the worker stops it and tells
it as ``timeout``. The deadline is a wall-clock timer (SIGALRM) in the worker, which interrupts
Python code and the regular expression engine; code that does not return to the interpreter is
stopped by the kernel instead, a CPU-time limit (RLIMIT_CPU) a few seconds later killing the worker,
which is then told like a crash, as ``timeout`` when it took the whole deadline alone.
"""

from __future__ import annotations

import math
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from citecheck.errors import InputError
from citecheck.model import Rendered, Report, Severity, Unreadable

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# multiprocessing and concurrent.futures are imported when a pool is made: one manuscript audited
# in this process (the common case) does not pay for them at start-up.
_IN_WORKER = False  # True in a process of this module's pools (set by _mark_worker)

CRASHED = "the process auditing it stopped (a crash, or memory exhausted)"
# Seconds of CPU time past the deadline before the kernel stops a worker that never returned to Python.
HARD_GRACE = 5


def timed_out(seconds: float) -> str:
    """The reason told for a document stopped at its deadline."""
    return f"not done within {seconds:g} s (--timeout-per-file)"


def audit_many(
    paths: Iterable[str],
    jobs: int | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fmt: str | None = None,
    bibs: Sequence[str] = (),
    timeout: float | None = None,
    engine: str = "local",
    scheduler: str | None = None,
) -> Iterator[Report | Rendered | Unreadable]:
    """Audit each path (files, folders and globs, as the command line takes them) with the rules
    ``select`` and ``ignore`` choose, in ``jobs`` processes (default: every core); a report or an
    ``Unreadable`` per input, in input order. ``timeout`` gives each document that many seconds;
    ``engine="dask"`` (or a ``scheduler`` address) runs them on a Dask cluster (docs/scale.md)."""
    from citecheck.inputs import expand

    tasks = [(p, tuple(select), tuple(ignore), fmt, tuple(bibs), timeout, (), None) for p in expand(list(paths))]
    workers = max(1, jobs or os.cpu_count() or 1)
    if engine == "dask" or scheduler is not None:
        from citecheck.dask_engine import dask_results

        yield from dask_results(tasks, workers, scheduler)
        return
    yield from audit_tasks(tasks, workers)


def audit_tasks(tasks: Sequence[Task], jobs: int) -> Iterator[Report | Rendered | Unreadable]:
    """Each task's result (``audit_one``'s arguments), in order, in ``jobs`` processes. A task with
    a deadline always runs in a worker, so that a document stopped by the kernel takes only its
    worker down."""
    if (jobs == 1 or len(tasks) == 1) and not any(task[5] for task in tasks):
        for task in tasks:
            yield audit_one(*task)
        return
    yield from _in_pool(list(tasks), jobs)


def audit_one(
    path: str,
    select: Sequence[str],
    ignore: Sequence[str],
    fmt: str | None,
    bibs: Sequence[str],
    timeout: float | None = None,
    severities: Sequence[tuple[str, str]] = (),
    render: Render | None = None,
) -> Report | Rendered | Unreadable:
    """One input's report, or why it could not be read: the work of one worker. ``severities``
    are a configuration file's per rule; with ``render``, the report comes back written."""
    from citecheck.pipeline import audit_source
    from citecheck.readers import read_document
    from citecheck.rules import select_rules

    try:
        with deadline(timeout, hard=_IN_WORKER):
            try:
                source = read_document(path, fmt, bibs)
            except InputError as exc:
                return Unreadable(path, str(exc).removeprefix(f"{path}: "))
            report = with_severities(audit_source(source, select_rules(select, ignore)), dict(severities))
            return report if render is None else rendered(report, *render)
    except DeadlinePassed:
        return Unreadable(path, timed_out(timeout or 0), "timeout")


# path, select, ignore, --from, --bib, deadline, severities, render; audit_one's arguments
Task = tuple[
    str,
    tuple[str, ...],
    tuple[str, ...],
    "str | None",
    tuple[str, ...],
    "float | None",
    tuple[tuple[str, str], ...],
    "Render | None",
]
# A report written in the worker: format ("jsonl" or "text"), the least severity that fails the
# run (None: none), colour, and a header naming the document (text of several).
Render = tuple[str, "Severity | None", bool, bool]


def rendered(report: Report, fmt: str, threshold: Severity | None, colour: bool, header: bool) -> Rendered:
    """The report written as ``--format`` ``fmt`` writes it, for a document of a streamed run."""
    from citecheck.report.text import Tally, render_document

    if fmt == "jsonl":
        from citecheck.report.jsonl import jsonl_lines

        text = "".join(jsonl_lines([report], threshold))
    else:
        text = render_document(report, colour, header=header, first=False)
    tally = Tally()
    tally.add(report)
    failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
    return Rendered(report.source.path, tuple(part.path for part in report.source.parts), text, failed, tally)


def with_severities(report: Report, severities: dict[str, str]) -> Report:
    """The report with the severities a configuration file sets per rule (``CC206 = "warning"``)."""
    if not severities:
        return report
    import dataclasses

    findings = tuple(
        dataclasses.replace(f, severity=Severity[severities[f.rule].upper()]) if f.rule in severities else f
        for f in report.findings
    )
    return dataclasses.replace(report, findings=findings)


class DeadlinePassed(BaseException):
    """Raised by the timer in the code a document's audit was running (a BaseException, so that no
    ``except Exception`` on the way turns it into a finding)."""


@contextmanager
def deadline(seconds: float | None, hard: bool = False) -> Iterator[None]:
    """Stop what runs inside after ``seconds`` of wall-clock time (``DeadlinePassed``); with ``hard``
    (in a worker process only), the kernel also kills the process after as much CPU time and
    ``HARD_GRACE`` more. Outside the main thread (a Dask worker's task), where no signal arrives,
    the interpreter raises it in the thread instead (``_in_thread``)."""
    if not seconds:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _in_thread(seconds):
            yield
        return

    def expire(signum: int, frame: object) -> None:
        raise DeadlinePassed

    previous = signal.signal(signal.SIGALRM, expire)
    limits = None
    if hard:
        import resource

        limits = resource.getrlimit(resource.RLIMIT_CPU)
        used = resource.getrusage(resource.RUSAGE_SELF)
        soft = math.ceil(used.ru_utime + used.ru_stime + seconds + HARD_GRACE)
        if limits[1] == resource.RLIM_INFINITY or soft < limits[1]:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, limits[1]))
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if limits is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_CPU, limits)


@contextmanager
def _in_thread(seconds: float) -> Iterator[None]:
    """``DeadlinePassed`` raised in this thread after ``seconds``, by the interpreter at the
    thread's next bytecode (``PyThreadState_SetAsyncExc``, the C API's way to interrupt a thread);
    never after the block has ended."""
    import ctypes

    ident = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"open": True, "fired": False}

    def expire() -> None:
        with lock:
            if state["open"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, ctypes.py_object(DeadlinePassed))

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["open"] = False
        timer.cancel()
        if state["fired"]:  # set but not raised yet, as the block ended first: cleared
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ident, None)


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_mark_worker)


def _mark_worker() -> None:
    """In a new worker: a deadline there may have the kernel stop the process (``deadline``'s hard)."""
    global _IN_WORKER
    _IN_WORKER = True


def _in_pool(tasks: list[Task], jobs: int) -> Iterator[Report | Rendered | Unreadable]:
    from concurrent.futures.process import BrokenProcessPool

    todo = iter(tasks)
    pool = _pool(jobs)
    pending: deque[tuple[Task, Future[Report | Rendered | Unreadable]]] = deque()
    try:
        for task in todo:
            pending.append((task, _submit(pool, task)))
            if len(pending) >= 2 * jobs:
                break
        while pending:
            task, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                # Which document killed the pool is not known: each in flight is tried alone.
                pool.shutdown(wait=True, cancel_futures=True)
                again = [task, *(t for t, _ in pending)]
                pending.clear()
                for t in again:
                    yield _alone(t)
                pool = _pool(jobs)
            except Exception as exc:  # a bug met on one document: told for it, the others go on
                yield Unreadable(task[0], f"internal error: {type(exc).__name__}: {exc} (please report this)", "crashed")
            else:
                yield result
            for task in todo:
                pending.append((task, _submit(pool, task)))
                if len(pending) >= 2 * jobs:
                    break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _submit(pool: ProcessPoolExecutor, task: Task) -> Future[Report | Rendered | Unreadable]:
    """The task's future; one that has already failed when the pool broke before it was sent (it
    is then tried again with the others in flight)."""
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    try:
        return pool.submit(audit_one, *task)
    except BrokenProcessPool as exc:
        failed: Future[Report | Rendered | Unreadable] = Future()
        failed.set_exception(exc)
        return failed


def _alone(task: Task) -> Report | Rendered | Unreadable:
    """One document in a pool of its own: its report, or ``crashed`` when it kills its worker
    (``timeout`` when that took its whole deadline: the kernel stopped it)."""
    from concurrent.futures.process import BrokenProcessPool

    pool = _pool(1)
    started = time.monotonic()
    try:
        return pool.submit(audit_one, *task).result()
    except BrokenProcessPool:
        limit = task[5]
        if limit and time.monotonic() - started >= limit:
            return Unreadable(task[0], timed_out(limit), "timeout")
        return Unreadable(task[0], CRASHED, "crashed")
    except Exception as exc:
        return Unreadable(task[0], f"internal error: {type(exc).__name__}: {exc} (please report this)", "crashed")
    finally:
        pool.shutdown(wait=True)
