"""Many manuscripts at once, on every core: ``audit_many`` yields each report in input order as
soon as it and those before it are done.

Documents are audited in worker processes (``concurrent.futures``; forked on Linux, so that a
worker starts with the pipeline already imported), at most ``2 × jobs`` of them in flight, so that
memory is bounded by the jobs, not by the number of files. An input that cannot be read yields an
``Unreadable`` record with the reason, and the rest go on. A worker that dies (a crash in a
library, the kernel's out-of-memory killer) takes the documents it shares a pool with down with
it; those are audited again one at a time in a fresh pool, and only the one that kills its worker
alone is reported, as ``crashed``.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from citecheck.errors import InputError
from citecheck.model import Report, Unreadable

CRASHED = "the process auditing it stopped (a crash, or memory exhausted); the other inputs are audited"


def audit_many(
    paths: Iterable[str],
    jobs: int | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    fmt: str | None = None,
    bibs: Sequence[str] = (),
) -> Iterator[Report | Unreadable]:
    """Audit each path (files, folders and globs, as the command line takes them) with the rules
    ``select`` and ``ignore`` choose, in ``jobs`` processes (default: every core); a report or an
    ``Unreadable`` per input, in input order."""
    from citecheck.inputs import expand

    tasks = [(p, tuple(select), tuple(ignore), fmt, tuple(bibs)) for p in expand(list(paths))]
    yield from audit_tasks(tasks, max(1, jobs or os.cpu_count() or 1))


def audit_tasks(tasks: Sequence[Task], jobs: int) -> Iterator[Report | Unreadable]:
    """Each task's result (``audit_one``'s arguments), in order, in ``jobs`` processes."""
    if jobs == 1 or len(tasks) == 1:
        for task in tasks:
            yield audit_one(*task)
        return
    yield from _in_pool(list(tasks), jobs)


def audit_one(
    path: str, select: Sequence[str], ignore: Sequence[str], fmt: str | None, bibs: Sequence[str]
) -> Report | Unreadable:
    """One input's report, or why it could not be read: the work of one worker."""
    from citecheck.pipeline import audit_source
    from citecheck.readers import read_document
    from citecheck.rules import select_rules

    try:
        source = read_document(path, fmt, bibs)
    except InputError as exc:
        return Unreadable(path, str(exc).removeprefix(f"{path}: "))
    return audit_source(source, select_rules(select, ignore))


Task = tuple[str, tuple[str, ...], tuple[str, ...], "str | None", tuple[str, ...]]


def _pool(jobs: int) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def _in_pool(tasks: list[Task], jobs: int) -> Iterator[Report | Unreadable]:
    todo = iter(tasks)
    pool = _pool(jobs)
    pending: deque[tuple[Task, Future[Report | Unreadable]]] = deque()
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


def _submit(pool: ProcessPoolExecutor, task: Task) -> Future[Report | Unreadable]:
    """The task's future; one that has already failed when the pool broke before it was sent (it
    is then tried again with the others in flight)."""
    try:
        return pool.submit(audit_one, *task)
    except BrokenProcessPool as exc:
        failed: Future[Report | Unreadable] = Future()
        failed.set_exception(exc)
        return failed


def _alone(task: Task) -> Report | Unreadable:
    """One document in a pool of its own: its report, or ``crashed`` when it kills its worker."""
    pool = _pool(1)
    try:
        return pool.submit(audit_one, *task).result()
    except BrokenProcessPool:
        return Unreadable(task[0], CRASHED, "crashed")
    except Exception as exc:
        return Unreadable(task[0], f"internal error: {type(exc).__name__}: {exc} (please report this)", "crashed")
    finally:
        pool.shutdown(wait=True)
