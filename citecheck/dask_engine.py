"""The Dask engine: ``batch.audit_one`` for each document on a ``dask.distributed`` cluster, the
results in input order, as the local process pool gives them.

Input: the tasks ``batch.audit_many`` makes (a path and the settings of its audit), and where to
run them: a cluster of ``jobs`` worker processes started on this machine for the run, or the
address of a scheduler already running ("tcp://host:8786"). Output: what ``audit_one`` gives for
each task (a ``Report``, the ``Rendered`` text of one, or an ``Unreadable``), in input order, each
as soon as it and those before it are done. At most two documents per worker thread of the cluster
are in flight, so that memory is bounded by the cluster, not by the number of files; each result
is released on the cluster once read.

Paths are sent as given and the workers read them: on a cluster of several machines they must be
paths every worker sees, the same on each (absolute paths on a shared file system), and every
worker must have the same citecheck installed. A worker that dies (a crash in a library, memory
exhausted) takes down with it the documents it held; each of those is tried again alone once the
others in flight are done, and only one that kills its worker alone too is reported, as
``crashed`` (``timeout`` when that took its whole deadline). The local cluster counts a document
as lost with its first worker; a scheduler of one's own, after its
``distributed.scheduler.allowed-failures`` (3 by default), and as many again alone.

Dask is imported when a run starts, never when citecheck starts. The local cluster's workers are
started with ``multiprocessing``'s spawn method: a script that runs it guards its top level with
``if __name__ == "__main__":``.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

from citecheck import __version__, batch
from citecheck.batch import CRASHED, Task, timed_out
from citecheck.errors import CitecheckError
from citecheck.model import Rendered, Report, Unreadable

if TYPE_CHECKING:
    from distributed import Client, Future

NEEDS_DASK = "the Dask engine needs the dask extra: pip install 'citecheck-audit[dask]'"
CONNECT_TIMEOUT = 10.0  # seconds for a scheduler to answer, and for it to have a worker
STOPPED = "the Dask scheduler stopped answering during the run"
LOOK_EVERY = 5.0  # seconds between two looks at how many worker threads the cluster has (it may grow)


def dask_results(
    tasks: Sequence[Task], jobs: int, scheduler: str | None = None, *, timeout: float = CONNECT_TIMEOUT
) -> Iterator[Report | Rendered | Unreadable]:
    """Each task's result (``audit_one``'s arguments), in order, on a Dask cluster: one of
    ``jobs`` single-threaded worker processes started here for the run and closed after it, or,
    given a ``scheduler`` address, that scheduler's workers (``jobs`` is then not used). Raises
    ``CitecheckError`` when Dask is not installed or no scheduler answers at the address within
    ``timeout`` seconds; as a generator, when the first result is asked for."""
    try:
        import distributed
    except ImportError:
        raise CitecheckError(NEEDS_DASK) from None
    with ExitStack() as stack:
        stack.enter_context(_quiet(logging.ERROR))
        if scheduler is None:
            where = "the local Dask cluster"
            client = _local_client(distributed, stack, jobs)
        else:
            where = scheduler
            client = _remote_client(distributed, stack, scheduler, timeout)
        yield from _in_order(distributed, client, tasks, where)


def _local_client(distributed: Any, stack: ExitStack, jobs: int) -> Client:
    cluster = distributed.LocalCluster(
        n_workers=max(1, jobs),
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        # The workers' own log lines silenced but for the critical: citecheck tells what concerns
        # the audit, and a worker whose heartbeat finds the scheduler closed at the run's end (a
        # loaded machine) logs an error that concerns nothing.
        silence_logs=logging.CRITICAL,
        # No memory limit of Dask's own, as in the local pool: by default each worker would be
        # killed past 95% of the machine's memory divided by the workers, a large PDF's share.
        memory_limit=0,
        scheduler_kwargs={
            # A worker lost counts against the documents it held at once: those are tried again alone.
            "allowed_failures": 0,
            # The scheduler's HTTP server (health, metrics) serves even without a dashboard: on a
            # free port of the loopback, not 8787, which a second run would find taken, and say so.
            "dashboard_address": "127.0.0.1:0",
        },
    )
    stack.callback(cluster.close)
    client = distributed.Client(cluster, set_as_default=False)
    stack.callback(client.close)
    return client


def _remote_client(distributed: Any, stack: ExitStack, scheduler: str, timeout: float) -> Client:
    from distributed.comm.addressing import get_address_host_port

    try:
        # Checked first: a Client refused a malformed address outlives its error and stalls the exit.
        _, port = get_address_host_port(scheduler)
        if not 0 < port < 65536:
            raise ValueError(f"port {port} is not between 1 and 65535")
        client = distributed.Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, ValueError) as exc:
        text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        reason = f"no answer in {timeout:g} s" if text.startswith("Timed out") else text
        raise CitecheckError(f"{scheduler}: no Dask scheduler answers there ({reason})") from None
    stack.callback(client.close)
    try:
        client.wait_for_workers(1, timeout=timeout)
    except (OSError, TimeoutError):
        raise CitecheckError(
            f"{scheduler}: the Dask scheduler has no worker after {timeout:g} s (start some: dask worker {scheduler})"
        ) from None
    # Reports are the same on every machine only if citecheck is: checked on the workers there now.
    install = f"install citecheck-audit {__version__} on every worker"
    try:
        versions = client.run(citecheck_version)
    except Exception as exc:
        raise CitecheckError(
            f"{scheduler}: a Dask worker cannot run citecheck ({type(exc).__name__}: {exc}); {install}"
        ) from None
    if others := sorted({v for v in versions.values() if v != __version__}):
        raise CitecheckError(
            f"{scheduler}: Dask workers have citecheck {', '.join(others)}, this machine {__version__}; {install}"
        )
    return client


def citecheck_version() -> str:
    """The version of citecheck a worker runs (``Client.run`` calls it on each)."""
    import citecheck

    return citecheck.__version__


def _in_order(distributed: Any, client: Client, tasks: Sequence[Task], where: str) -> Iterator[Report | Rendered | Unreadable]:
    todo = iter(tasks)
    pending: deque[tuple[Task, Future]] = deque()
    window, looked = 0, float("-inf")

    def top_up() -> None:
        nonlocal window, looked
        if time.monotonic() - looked > LOOK_EVERY:
            try:
                window, looked = 2 * max(1, sum(client.nthreads().values())), time.monotonic()
            except OSError:
                raise CitecheckError(f"{where}: {STOPPED}") from None
        while len(pending) < window and (task := next(todo, None)) is not None:
            pending.append((task, _submit(client, task)))

    try:
        top_up()
        while pending:
            task, future = pending.popleft()
            result = _outcome(task, future, where)
            if result is None:
                # Its worker died, of it or of another document it held: tried alone, it tells which.
                with client.as_current():
                    distributed.wait([f for _, f in pending])
                result = _alone(client, task, where)
            yield result
            top_up()
    finally:
        if pending and client.status == "running":
            client.cancel([f for _, f in pending])
        pending.clear()


def _submit(client: Client, task: Task) -> Future:
    # pure=False: a key of its own, so that the same path twice is audited twice, as in the pool.
    return client.submit(on_worker, *task, pure=False)


def on_worker(*task: Any) -> Report | Rendered | Unreadable:
    """``batch.audit_one`` on a worker, a bug it meets told there as the pool tells it: no
    exception travels back through Dask, where one that cannot be pickled (a RecursionError's
    traceback, too deep) would leave its document never done and the run waiting for it."""
    try:
        return batch.audit_one(*task)
    except Exception as exc:
        return _internal_error(task[0], exc)


def _internal_error(path: str, exc: Exception) -> Unreadable:
    return Unreadable(path, f"internal error: {type(exc).__name__}: {exc} (please report this)", "crashed")


def _alone(client: Client, task: Task, where: str) -> Report | Rendered | Unreadable:
    """The task, the only one of this run in flight: ``crashed`` when it kills its worker again
    (``timeout`` when that took its whole deadline: the kernel stopped it)."""
    started = time.monotonic()
    result = _outcome(task, _submit(client, task), where)
    if result is not None:
        return result
    limit = task[5]
    if limit and time.monotonic() - started >= limit:
        return Unreadable(task[0], timed_out(limit), "timeout")
    return Unreadable(task[0], CRASHED, "crashed")


def _outcome(task: Task, future: Future, where: str) -> Report | Rendered | Unreadable | None:
    """The task's result, or None when the workers running it died (Dask's ``KilledWorker``)."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker

    try:
        return future.result()  # type: ignore[no-any-return]
    except KilledWorker:
        return None
    except CancelledError:
        # The client cancels its futures when it loses the scheduler; nothing else cancels ours.
        raise CitecheckError(f"{where}: {STOPPED}") from None
    except Exception as exc:  # a result that could not be sent back, say: told for its document, the others go on
        return _internal_error(task[0], exc)
    finally:
        future.release()


@contextmanager
def _quiet(level: int) -> Iterator[None]:
    """Dask's log lines on stderr below ``level`` silenced for the run (its connection retries,
    workers restarted), and the scheduler's word on a document that killed its workers, which
    citecheck tells itself (as ``crashed``): citecheck tells what concerns the audit."""
    streams = [h for h in logging.getLogger("distributed").handlers if isinstance(h, logging.StreamHandler)]
    before = [h.level for h in streams]
    for h in streams:
        h.setLevel(max(level, h.level))
        h.addFilter(_told_by_citecheck)
    try:
        yield
    finally:
        for h, old in zip(streams, before, strict=True):
            h.setLevel(old)
            h.removeFilter(_told_by_citecheck)


def _told_by_citecheck(record: logging.LogRecord) -> bool:
    # "Task on_worker-866e… marked as failed because 1 workers died while trying to run it"
    return not (record.name == "distributed.scheduler" and str(record.msg).startswith("Task %s marked as failed"))
