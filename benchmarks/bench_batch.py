"""Time ``citecheck audit`` over batches of real-sized articles (2,000 and 10,000 files) against a hand-made loop.

The inputs are articles of about 48 KiB of Markdown with 70 citations and 40 references each
(``generate(48, seed=i, citations=70, references=40)`` from ``generate.py``). A child process writes
200 distinct ones, timed on its own and left out of every rate; the rest of a batch are hard links
to them (copies where a link cannot be made) under names of their own.

Each of these runs as a fresh subprocess, so that its wall time includes start-up:

- the command ``citecheck audit --files-from LIST --format jsonl -o OUT --jobs 2 --fail-on never``
  on 2,000 articles, 3 times (once with ``--quick``); the rate is the median;
- the best hand-made loop over the Python API on the same list (this script's hidden ``--hand-loop``
  mode): a ``multiprocessing`` pool (fork, 2 processes) whose workers ``citecheck.audit`` a path and
  return the report's JSON Lines text, the parent writing it in input order (``imap``). It runs at
  chunk sizes 1, 8 and 32 with the collector setting the command makes, and at the best of them
  with Python's default one; the best median counts, and each output is compared with the command's;
- the command on 10,000 paths, one of them (in the middle) a ``.docx`` that is not a zip archive,
  once. Its output must have one valid JSON line per path, one ``unreadable`` line naming that file, the
  first 2,000 lines byte-identical to the 2,000-article run's, and every other line equal to the
  line of the article it copies, the path aside;
- when ``distributed`` is installed and the command has ``--engine``: 200 articles with
  ``--engine dask`` and with the local pool, whose lines must be byte-identical once sorted by path.

The floor is measured in the same run, before and after the 2,000-article runs: one process
audits 60 distinct articles over the Python API (no pool, no start-up), and this machine's limit is
its CPUs over that process's CPU time per article. The rate target (90 articles/s where the limit was
109) is also set as a ratio to it, which a slower or busier machine does not change.

Each run reports its wall time, articles per second and CPU utilisation: the user and system time
of the whole process tree (``os.wait4`` counts the workers the command waited for) over wall time
× ``os.cpu_count()``. Memory is read three ways. The tree's peak is the sum of the resident sizes
(VmRSS) of every process of the tree, found through ``/proc/PID/task/*/children`` every 50 ms; a
page a forked worker still shares with its parent counts in both, so the sum reads high. The
command's own peak is the VmHWM of its first process. ``ru_maxrss`` from ``os.wait4`` is, on Linux,
the largest single process of the tree. Next to these, the share of the machine's CPU time that
went to other processes meanwhile (``/proc/stat``) and to other machines (the hypervisor's steal):
on a shared machine, a low utilisation with a high share of others is the neighbours', not the
batch's.

Run ``python3 benchmarks/bench_batch.py`` (``--help`` lists the options); at about 50 articles a
second on 2 cores it takes about 13 minutes, ``--quick`` about 7. Nothing is asserted: the last table sets the figures against the
targets. The exit code is 1 only when a timed run crashed (killed, timed out, or an exit code
above 2).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import multiprocessing
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench import citecheck_command, markdown_table  # noqa: E402  (make bench's, written once)

ARTICLE_KIB = 48
ARTICLE_CITATIONS = 70
ARTICLE_REFERENCES = 40
DISTINCT = 200  # articles generated; the others are links to them
FILES = 2_000
BIG = 10_000
DASK_FILES = 200
JOBS = 2
CHUNKSIZES = (1, 8, 32)
REPEATS = 3
SAMPLE_SECONDS = 0.05
CLI_GC = (50_000, 20, 100)  # the collector thresholds citecheck.cli.run sets for the command
MB = 1_000_000
MIB = 1024 * 1024

RATE_BOUND = 90.0  # articles per second
BUSY_BOUND = 0.80  # "both cores busy": user + system time over wall time x CPUs
MEMORY_BOUND = 300 * MB  # the tree's peak, strictly below
GROWTH_BOUND = 1.10  # the tree's peak at 10,000 files over that at 2,000: not growing with the files
LOOP_BOUND = 0.90  # the command's rate over the hand-made loop's
# The rate target as a ratio to the floor measured in the same run: 90 articles/s where this
# machine's limit (its CPUs over one process's CPU time per article) was 109 articles/s.
LIMIT_BOUND = 90.0 / 109.0
COST_ARTICLES = 60  # distinct articles one process audits to measure the CPU time per article


# -- measuring a run ---------------------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu: float  # user + system seconds of the whole tree
    status: int  # exit code; negative for a signal
    tree_peak: int | None  # bytes, the highest sum of VmRSS over the tree; None without /proc
    own_peak: int | None  # bytes, VmHWM of the command's process
    max_rss: int  # bytes, ru_maxrss from os.wait4
    processes: int  # most processes of the tree seen at once
    others: float | None = None  # CPU seconds the machine spent on other processes meanwhile (/proc/stat)
    steal: float | None = None  # CPU seconds the hypervisor gave to other machines meanwhile
    timed_out: bool = False
    stderr: str = ""

    @property
    def crashed(self) -> bool:
        return self.timed_out or not 0 <= self.status <= 2

    def utilisation(self, cpus: int) -> float:
        return self.cpu / (self.seconds * cpus) if self.seconds else 0.0

    def share(self, seconds: float | None, cpus: int) -> float | None:
        return None if seconds is None or not self.seconds else max(0.0, seconds) / (self.seconds * cpus)


@dataclass
class Series:
    name: str
    files: int
    runs: list[Run] = field(default_factory=list)
    note: str = ""  # what its output check found

    @property
    def done(self) -> list[Run]:
        return [r for r in self.runs if not r.crashed]

    @property
    def rate(self) -> float | None:
        """Articles per second, the median of the runs."""
        done = self.done
        return statistics.median(self.files / r.seconds for r in done) if done else None

    @property
    def seconds(self) -> float | None:
        done = self.done
        return statistics.median(r.seconds for r in done) if done else None

    def utilisation(self, cpus: int) -> float | None:
        done = self.done
        return statistics.median(r.utilisation(cpus) for r in done) if done else None

    def others(self, cpus: int) -> float | None:
        shares = [x for r in self.done if (x := r.share(r.others, cpus)) is not None]
        return statistics.median(shares) if shares else None

    def steal(self, cpus: int) -> float | None:
        shares = [x for r in self.done if (x := r.share(r.steal, cpus)) is not None]
        return statistics.median(shares) if shares else None

    @property
    def tree_peak(self) -> int | None:
        return max((r.tree_peak for r in self.runs if r.tree_peak is not None), default=None)

    @property
    def own_peak(self) -> int | None:
        return max((r.own_peak for r in self.runs if r.own_peak is not None), default=None)

    @property
    def max_rss(self) -> int | None:
        return max((r.max_rss for r in self.runs), default=None)

    @property
    def statuses(self) -> str:
        return ",".join(sorted({("killed" if r.timed_out else str(r.status)) for r in self.runs})) or "-"

    @property
    def problem(self) -> str:
        for r in self.runs:
            if r.crashed:
                last = r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ""
                return f"killed after {r.seconds:.0f} s" if r.timed_out else f"exit {r.status}: {last}"
        return ""


def _memory(pid: int) -> tuple[int, int]:
    """VmRSS and VmHWM of a process, in bytes; 0 for a process gone or a zombie (it has neither)."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return rss, hwm


def _tree(root: int) -> list[int]:
    """The process and its descendants, through the children each of its threads started."""
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            tasks = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tasks:
            try:
                with open(f"/proc/{pid}/task/{tid}/children", "rb") as fh:
                    todo.extend(int(c) for c in fh.read().split())
            except (OSError, ValueError):
                pass
    return pids


class TreeSampler(threading.Thread):
    """Every 50 ms, the sum of the resident sizes of a process tree; keeps the highest."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.available = os.path.isdir(f"/proc/{root}/task")
        self.peak = 0
        self.own_peak = 0
        self.processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while self.available and not self._halt.is_set():
            self.sample()
            self._halt.wait(SAMPLE_SECONDS)

    def sample(self) -> None:
        pids = _tree(self.root)
        total = 0
        for pid in pids:
            rss, hwm = _memory(pid)
            total += rss
            if pid == self.root:
                self.own_peak = max(self.own_peak, hwm)
        self.peak = max(self.peak, total)
        self.processes = max(self.processes, len(pids))

    def stop(self) -> None:
        self._halt.set()
        self.join()


def _machine_cpu() -> tuple[float, float] | None:
    """CPU seconds of every CPU so far: busy (user, nice, system, irq, softirq) and stolen by the
    hypervisor; from the first line of /proc/stat."""
    try:
        with open("/proc/stat", "rb") as fh:
            ticks = [int(x) for x in fh.readline().split()[1:9]]
        hz = os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks
    return (user + nice + system + irq + softirq) / hz, steal / hz


def run_measured(cmd: Sequence[str], timeout: float) -> Run:
    """Run ``cmd`` in a session of its own: wall time, the tree's CPU time and memory."""
    with tempfile.TemporaryFile() as err:
        killed = threading.Event()
        before = _machine_cpu()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()

        def kill() -> None:
            killed.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # its session's group: the workers too

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            if hasattr(os, "waitid"):
                # Exited but not reaped: its pid cannot be taken by another process while the sampler stops.
                os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
                elapsed = time.perf_counter() - start
                after = _machine_cpu()
                sampler.stop()
            _, status, usage = os.wait4(proc.pid, 0)  # with the usage of the descendants it waited for
            if not hasattr(os, "waitid"):
                elapsed = time.perf_counter() - start
                after = _machine_cpu()
                sampler.stop()
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    cpu = usage.ru_utime + usage.ru_stime
    others = steal = None
    if before is not None and after is not None:
        others, steal = after[0] - before[0] - cpu, after[1] - before[1]
    return Run(
        seconds=elapsed,
        cpu=cpu,
        status=proc.returncode,
        tree_peak=sampler.peak if sampler.available else None,
        own_peak=sampler.own_peak if sampler.available else None,
        max_rss=rss,
        processes=sampler.processes,
        others=others,
        steal=steal,
        timed_out=killed.is_set(),
        stderr=stderr,
    )


def measure(series: Series, cmd: Sequence[str], out: Path, repeats: int, timeout: float) -> None:
    for i in range(repeats):
        out.unlink(missing_ok=True)
        run = run_measured(cmd, timeout)
        series.runs.append(run)
        rate = f"{series.files / run.seconds:.1f} articles/s" if not run.crashed else series.problem
        print(f"  {series.name}: run {i + 1}/{repeats}: {run.seconds:.2f} s, {rate}", file=sys.stderr, flush=True)
        if run.crashed:
            break


def audit_command(listing: Path, out: Path, jobs: int, *extra: str) -> list[str]:
    return [
        *citecheck_command(),
        "audit",
        "--files-from",
        str(listing),
        "--format",
        "jsonl",
        "-o",
        str(out),
        "--jobs",
        str(jobs),
        "--fail-on",
        "never",
        *extra,
    ]


# -- the hand-made loop (a child of the benchmark) ----------------------------------------------------


def _audited_line(path: str) -> str:
    """The work of a worker of the loop: one article's JSON Lines text."""
    import citecheck
    from citecheck.report.jsonl import failure_line, jsonl_lines

    try:
        report = citecheck.audit(path)
    except citecheck.InputError as exc:
        return failure_line(citecheck.Unreadable(path, str(exc).removeprefix(f"{path}: ")))
    return "".join(jsonl_lines([report], None))  # --fail-on never: no threshold


def hand_loop(listing: Path, out: Path, jobs: int, chunksize: int, cli_gc: bool) -> int:
    """The loop a user of the Python API would write for a batch: a forked pool, ``imap`` in order."""
    if cli_gc:
        gc.set_threshold(*CLI_GC)
    # Imported before the fork, so that each worker starts with the pipeline loaded, as the command's do.
    import citecheck.pipeline
    import citecheck.report.jsonl  # noqa: F401

    paths = [p for p in listing.read_text(encoding="utf-8").splitlines() if p]
    pool = multiprocessing.get_context("fork").Pool(jobs)
    try:
        with out.open("w", encoding="utf-8") as fh:
            for text in pool.imap(_audited_line, paths, chunksize):
                fh.write(text)
    except BaseException:
        pool.terminate()
        raise
    pool.close()
    pool.join()  # the workers reaped, so that os.wait4 of this process counts their CPU time
    return 0


def one_process_cost(listing: Path, count: int) -> int:
    """The floor: CPU seconds per article of one process auditing articles one after another over
    the Python API, with no pool, no pipe and no start-up (printed, for the parent to read)."""
    gc.set_threshold(*CLI_GC)
    paths = [p for p in listing.read_text(encoding="utf-8").splitlines() if p][:count]
    for path in paths[:3]:  # warm: imports and compiled patterns are start-up, not the article's
        _audited_line(path)
    started = time.process_time()
    for path in paths:
        _audited_line(path)
    print(f"{(time.process_time() - started) / len(paths):.6f}")
    return 0


def machine_limit(listing: Path, timeout: float) -> float | None:
    """This machine's limit now, in articles per second: its CPUs over ``one_process_cost``, the
    median of three fresh processes."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one-process-cost", str(listing), str(COST_ARTICLES)]
    costs = []
    for _ in range(3):
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
        with contextlib.suppress(ValueError, IndexError):
            costs.append(float(done.stdout.split()[-1]))
    return (os.cpu_count() or 1) / statistics.median(costs) if costs else None


def hand_loop_command(listing: Path, out: Path, jobs: int, chunksize: int, cli_gc: bool) -> list[str]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--hand-loop", str(listing), str(out)]
    cmd += ["--jobs", str(jobs), "--chunksize", str(chunksize)]
    return [*cmd, *([] if cli_gc else ["--default-gc"])]


# -- the inputs ---------------------------------------------------------------------------------------


def article_name(k: int) -> str:
    return f"article-{k:05d}.md"


def write_articles(folder: Path, count: int) -> int:
    """Write ``count`` distinct articles (in a child, so that the benchmark process stays small: a
    child forked from it starts with its resident size); print their totals as JSON."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    folder.mkdir(parents=True, exist_ok=True)
    totals = {"articles": 0, "bytes": 0, "citations": 0, "references": 0}
    for k in range(count):
        m = generate(ARTICLE_KIB, seed=k, citations=ARTICLE_CITATIONS, references=ARTICLE_REFERENCES)
        data = m.text.encode("utf-8")
        (folder / article_name(k)).write_bytes(data)
        totals["articles"] += 1
        totals["bytes"] += len(data)
        totals["citations"] += m.citations
        totals["references"] += m.references
    print(json.dumps(totals))
    return 0


@dataclass
class Inputs:
    folder: Path
    distinct: int
    articles: int  # paths of articles, the distinct ones first
    totals: dict[str, int]
    generate_seconds: float
    link_seconds: float
    linked: bool  # hard links; False when some had to be copies

    def path(self, k: int) -> str:
        return str(self.folder / article_name(k))

    def original(self, k: int) -> int:
        return k % self.distinct


def make_inputs(folder: Path, articles: int, timeout: float) -> Inputs:
    distinct = min(DISTINCT, articles)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--write-articles", str(folder), str(distinct)],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
        timeout=timeout,
    )
    generated = time.perf_counter() - start
    totals = json.loads(proc.stdout.strip().splitlines()[-1])
    start = time.perf_counter()
    linked = True
    for k in range(distinct, articles):
        source, target = folder / article_name(k % distinct), folder / article_name(k)
        target.unlink(missing_ok=True)
        try:
            os.link(source, target)
        except OSError:
            linked = False
            shutil.copyfile(source, target)
    return Inputs(folder, distinct, articles, totals, generated, time.perf_counter() - start, linked)


def write_corrupt(path: Path) -> None:
    """A .docx that is not a zip archive: random bytes, the same each run."""
    import random

    path.write_bytes(random.Random(20250101).randbytes(48 * 1024))


def write_list(path: Path, paths: Sequence[str]) -> None:
    path.write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")


# -- the checks of the outputs --------------------------------------------------------------------------


def _lines(path: Path) -> Iterator[bytes]:
    if not path.is_file():
        return
    with path.open("rb") as fh:
        yield from fh


def count_lines(path: Path) -> int:
    return sum(1 for _ in _lines(path))


def same_bytes(a: Path, b: Path) -> bool:
    if not (a.is_file() and b.is_file()) or a.stat().st_size != b.stat().st_size:
        return False
    with a.open("rb") as fa, b.open("rb") as fb:
        while True:
            x, y = fa.read(1 << 20), fb.read(1 << 20)
            if x != y:
                return False
            if not x:
                return True


def check_loop(series: Series, out: Path, cli_out: Path, cli_lines: int | None) -> bool:
    """The loop's output against the command's: as many lines (the target), and the same bytes."""
    lines = count_lines(out)
    identical = same_bytes(out, cli_out)
    series.note = f"{lines:,} lines (command: {cli_lines if cli_lines is None else f'{cli_lines:,}'}); " + (
        "byte-identical to the command's" if identical else "not byte-identical to the command's"
    )
    return lines == cli_lines


@dataclass
class BigCheck:
    expected: int  # lines: one per listed path
    lines: int = 0
    invalid: int = 0  # lines that are not a JSON object
    wrong_path: int = 0  # lines whose path is not the path listed at that place
    unreadable: list[str] = field(default_factory=list)  # the paths of the "unreadable" lines
    prefix: int = 0  # lines of the first FILES paths
    prefix_same: int = 0  # of them, byte-identical to the smaller run's
    copies: int = 0  # lines of the other articles
    copies_same: int = 0  # of them, the line of the article copied, the path aside
    corrupt: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.lines == self.expected
            and not self.invalid
            and not self.wrong_path
            and self.unreadable == [self.corrupt]
            and self.prefix_same == self.prefix
            and self.copies_same == self.copies
        )

    def describe(self) -> str:
        named = "the corrupt file" if self.unreadable == [self.corrupt] else ", ".join(self.unreadable[:3]) or "none"
        return (
            f"{self.lines:,} lines of {self.expected:,} expected; {self.invalid} not JSON; {self.wrong_path} out of place; "
            f"{len(self.unreadable)} unreadable ({named}); "
            f"first {self.prefix:,}: {self.prefix_same:,} byte-identical to the {self.prefix:,}-article run; "
            f"other {self.copies:,} articles: {self.copies_same:,} equal to their original's line, the path aside"
        )


def _encoded(path: str) -> bytes:
    return json.dumps(path, ensure_ascii=False).encode("utf-8")


def check_big(out: Path, listed: Sequence[str], small_out: Path, small: int, inputs: Inputs, corrupt: str) -> BigCheck:
    """The 10,000-path output, a line at a time (it is hundreds of MB)."""
    check = BigCheck(expected=len(listed), corrupt=corrupt)
    index = {inputs.path(k): k for k in range(inputs.articles)}
    originals: dict[int, bytes] = {}  # the lines of the distinct articles, met before their copies
    small_lines = _lines(small_out)
    for i, line in enumerate(_lines(out)):
        check.lines += 1
        try:
            obj = json.loads(line)
        except ValueError:
            obj = None
        if not isinstance(obj, dict):
            check.invalid += 1
            obj = {}
        path = obj.get("path")
        if i >= len(listed) or path != listed[i]:
            check.wrong_path += 1
        if obj.get("status") == "unreadable":
            check.unreadable.append(str(path))
        if i < small:
            check.prefix += 1
            check.prefix_same += line == next(small_lines, None)
        k = index.get(str(path))
        if k is None:
            continue
        original = inputs.original(k)
        if k == original:
            originals[k] = line
        elif i >= small:
            check.copies += 1
            expected = originals.get(original)
            same = expected is not None and expected.replace(_encoded(inputs.path(original)), _encoded(str(path))) == line
            check.copies_same += same
    return check


def sorted_by_path(path: Path) -> list[bytes]:
    def key(line: bytes) -> str:
        try:
            return str(json.loads(line).get("path"))
        except (ValueError, AttributeError):
            return ""

    return sorted(_lines(path), key=key)


# -- the report ---------------------------------------------------------------------------------------


def _mb(n: int | None) -> str:
    return "-" if n is None else f"{n / MB:.0f}"


def runs_table(all_series: Sequence[Series], cpus: int) -> str:
    head = ("run", "articles", "runs", "median wall s", "articles/s (median)", "articles/s min-max", "CPU utilisation")
    head += ("others' CPU", "steal", "tree peak MB", "command's own peak MB", "wait4 ru_maxrss MB", "processes", "exit")
    rows = [head]
    for s in all_series:
        done = s.done
        rates = [s.files / r.seconds for r in done]
        util, others, steal = s.utilisation(cpus), s.others(cpus), s.steal(cpus)
        rows.append(
            (
                s.name,
                f"{s.files:,}",
                str(len(s.runs)),
                f"{s.seconds:.2f}" if s.seconds is not None else "crashed" if s.problem else "-",
                f"{s.rate:.1f}" if s.rate is not None else "-",
                f"{min(rates):.1f}-{max(rates):.1f}" if rates else "-",
                "-" if util is None else f"{util:.0%}",
                "-" if others is None else f"{others:.0%}",
                "-" if steal is None else f"{steal:.0%}",
                _mb(s.tree_peak),
                _mb(s.own_peak),
                _mb(s.max_rss),
                str(max((r.processes for r in s.runs), default=0)),
                s.statuses,
            )
        )
    return markdown_table(rows, left={0})


def _verdict(ok: bool | None) -> str:
    return "skipped" if ok is None else "met" if ok else "not met"


def acceptance(
    small: Series,
    big: Series | None,
    loop: Series | None,
    big_check: BigCheck | None,
    dask: tuple[bool | None, str],
    cpus: int,
    limit: float | None = None,
) -> str:
    rows: list[tuple[str, ...]] = [("target", "measured", "bound", "verdict")]
    if limit is not None and small.rate is not None:
        rows.append(
            (
                "rate against this machine's limit now (the same target as a ratio)",
                f"{small.rate:.1f} / {limit:.1f} = {small.rate / limit:.2f}",
                f">= {LIMIT_BOUND:.2f} (90 of 109 articles/s)",
                _verdict(small.rate / limit >= LIMIT_BOUND),
            )
        )
    for s in (small, big):
        if s is None:
            continue
        label = f"{s.files:,} articles"
        rate, util, peak = s.rate, s.utilisation(cpus), s.tree_peak
        rows.append(
            (
                f"rate, {label} (command)",
                "-" if rate is None else f"{rate:.1f} articles/s",
                f">= {RATE_BOUND:g} articles/s",
                _verdict(None if rate is None else rate >= RATE_BOUND),
            )
        )
        rows.append(
            (
                f"both cores busy, {label}",
                "-" if util is None else f"{util:.0%} of {cpus} CPUs",
                f">= {BUSY_BOUND:.0%} (user+sys / wall x CPUs)",
                _verdict(None if util is None else util >= BUSY_BOUND),
            )
        )
        rows.append(
            (
                f"tree peak memory, {label}",
                "-" if peak is None else f"{peak / MB:.0f} MB ({peak / MIB:.0f} MiB)",
                f"< {MEMORY_BOUND / MB:.0f} MB",
                _verdict(None if peak is None else peak < MEMORY_BOUND),
            )
        )
    if big is not None and small.tree_peak and big.tree_peak:
        growth = big.tree_peak / small.tree_peak
        rows.append(
            (
                f"memory does not grow with the files ({big.files:,} / {small.files:,})",
                f"{big.tree_peak / MB:.0f} MB / {small.tree_peak / MB:.0f} MB = x{growth:.2f}",
                f"<= x{GROWTH_BOUND:.2f}",
                _verdict(growth <= GROWTH_BOUND),
            )
        )
    else:
        rows.append(("memory does not grow with the files", "-", f"<= x{GROWTH_BOUND:.2f}", _verdict(None)))
    if loop is not None and small.rate is not None and loop.rate:
        ratio = small.rate / loop.rate
        rows.append(
            (
                "command within 10% of the hand-made loop (rate / rate)",
                f"{small.rate:.1f} / {loop.rate:.1f} = {ratio:.2f}",
                f">= {LOOP_BOUND:.2f}",
                _verdict(ratio >= LOOP_BOUND),
            )
        )
    else:
        rows.append(("command within 10% of the hand-made loop", "-", f">= {LOOP_BOUND:.2f}", _verdict(None)))
    if big is not None and big_check is not None:
        rows.append(
            (
                f"{big.files:,}-line JSONL valid, one unreadable line, nothing else changed",
                f"{big_check.lines:,} lines, {len(big_check.unreadable)} unreadable",
                "all checks (see above)",
                _verdict(big_check.ok),
            )
        )
        rows.append(("exit code with one unreadable input", big.statuses, "2", _verdict(big.statuses == "2")))
    ok, why = dask
    rows.append(("Dask engine: lines byte-identical to the local pool's, sorted by path", why, "identical", _verdict(ok)))
    return markdown_table(rows, left={0, 1, 2, 3})


# -- main ---------------------------------------------------------------------------------------------


def engine_offered() -> bool:
    proc = subprocess.run([*citecheck_command(), "audit", "--help"], capture_output=True, text=True)
    return "--engine" in proc.stdout


def run_dask(work: Path, inputs: Inputs, jobs: int, timeout: float) -> tuple[list[Series], tuple[bool | None, str]]:
    """200 articles with the Dask engine and with the local pool; the outputs compared, sorted by path."""
    import importlib.util

    if importlib.util.find_spec("distributed") is None:
        return [], (None, "skipped: distributed is not installed (pip install distributed)")
    if not engine_offered():
        return [], (None, "skipped: citecheck audit has no --engine option yet")
    count = min(DASK_FILES, inputs.articles)
    listing = work / f"files-{count}.txt"
    write_list(listing, [inputs.path(k) for k in range(count)])
    series = []
    outs = {}
    for engine in ("dask", "local"):
        s = Series(f"command, --engine {engine}" if engine == "dask" else "command, local pool", count)
        out = work / f"{engine}-{count}.jsonl"
        extra = ("--engine", "dask") if engine == "dask" else ()
        measure(s, audit_command(listing, out, jobs, *extra), out, 1, timeout)
        series.append(s)
        outs[engine] = out
        if not s.done:
            s.note = s.problem
            return series, (False, f"--engine {engine}: crashed, exit {s.statuses}")
    dask_lines, local_lines = sorted_by_path(outs["dask"]), sorted_by_path(outs["local"])
    same = dask_lines == local_lines and len(local_lines) == count
    return series, (same, f"{len(dask_lines)} / {len(local_lines)} lines, {'identical' if same else 'different'}")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help=f"one run of each instead of {REPEATS} (the same file counts)")
    p.add_argument("--files", type=int, default=FILES, metavar="N", help=f"articles of the first batch (default {FILES:,})")
    p.add_argument("--big", type=int, default=BIG, metavar="N", help=f"paths of the batch with a corrupt file (default {BIG:,})")
    p.add_argument("--jobs", type=int, default=JOBS, metavar="N", help=f"processes of the command and the loop (default {JOBS})")
    p.add_argument("--timeout", type=float, default=1800.0, help="kill a run after this many seconds (default 1800)")
    p.add_argument("--keep", type=Path, metavar="DIR", help="write the inputs and outputs into DIR and keep them")
    p.add_argument("--hand-loop", nargs=2, type=Path, metavar=("LIST", "OUT"), help=argparse.SUPPRESS)
    p.add_argument("--chunksize", type=int, default=1, help=argparse.SUPPRESS)
    p.add_argument("--default-gc", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--write-articles", nargs=2, metavar=("DIR", "COUNT"), help=argparse.SUPPRESS)
    p.add_argument("--one-process-cost", nargs=2, metavar=("LIST", "COUNT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one_process_cost:
        return one_process_cost(Path(args.one_process_cost[0]), int(args.one_process_cost[1]))
    if args.hand_loop:
        return hand_loop(*args.hand_loop, args.jobs, args.chunksize, not args.default_gc)
    if args.write_articles:
        return write_articles(Path(args.write_articles[0]), int(args.write_articles[1]))
    if args.files < 1 or args.big <= args.files:
        p.error("--big must be greater than --files, and --files at least 1")
    repeats = 1 if args.quick else REPEATS
    cpus = os.cpu_count() or 1

    from citecheck import __version__

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    print(f"# citecheck batch benchmark\n\ncitecheck {__version__}; Python {sys.version.split()[0]} ({sys.executable})")
    print(f"{cpus} CPUs ({platform.machine()}, {platform.system()} {platform.release()}); load average at start {load}")
    print(f"command: {' '.join(citecheck_command())}; --jobs {args.jobs}; {repeats} run(s) of each")
    if (args.files, args.big) != (FILES, BIG):
        print(f"note: counts overridden ({args.files:,} and {args.big:,}); the targets are stated at {FILES:,} and {BIG:,}")
    print(flush=True)

    started = time.perf_counter()
    crashed = False
    with tempfile.TemporaryDirectory(prefix="citecheck-bench-batch-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        folder, work = root / "articles", root / "work"
        work.mkdir(exist_ok=True)

        # The inputs: the big batch is the small one's paths, more articles, and the corrupt file.
        print(f"generating {min(DISTINCT, args.big - 1)} articles in {folder} ...", file=sys.stderr, flush=True)
        inputs = make_inputs(folder, max(args.files, args.big - 1), args.timeout)
        at = max(args.files, args.big // 2)  # the corrupt file's place: in the middle, after the small batch
        corrupt = folder / f"corrupt-{at:05d}.docx"
        write_corrupt(corrupt)
        small_paths = [inputs.path(k) for k in range(args.files)]
        big_paths = [inputs.path(k) for k in range(args.big - 1)]
        big_paths.insert(at, str(corrupt))
        small_list, big_list = work / f"files-{args.files}.txt", work / f"files-{args.big}.txt"
        write_list(small_list, small_paths)
        write_list(big_list, big_paths)
        t = inputs.totals
        n = max(t["articles"], 1)
        inputs_rows = [
            ("inputs", "value"),
            ("distinct articles generated", f"{t['articles']:,}"),
            ("mean size", f"{t['bytes'] / n / 1024:.1f} KiB"),
            ("citations per article (written)", f"{t['citations'] / n:.0f}"),
            ("references per article (written)", f"{t['references'] / n:.0f}"),
            ("generation (child process, in no rate)", f"{inputs.generate_seconds:.1f} s"),
            (
                f"{inputs.articles - inputs.distinct:,} more as {'hard links' if inputs.linked else 'copies'}",
                f"{inputs.link_seconds:.1f} s",
            ),
            (f"corrupt file (.docx, not a zip), place {at:,} of {args.big:,}", corrupt.name),
        ]

        # The floor, before and after the command: one process's CPU time per article.
        print("measuring this machine's limit (one process, CPU time per article) ...", file=sys.stderr, flush=True)
        distinct_list = work / "distinct.txt"
        write_list(distinct_list, [inputs.path(k) for k in range(min(inputs.distinct, COST_ARTICLES))])
        limits = [machine_limit(distinct_list, args.timeout)]

        # The command on the small batch.
        print(f"timing the command on {args.files:,} articles ...", file=sys.stderr, flush=True)
        small = Series("command", args.files)
        small_out = work / f"cli-{args.files}.jsonl"
        measure(small, audit_command(small_list, small_out, args.jobs), small_out, repeats, args.timeout)
        small_lines = count_lines(small_out) if small.done else None
        small.note = "-" if small_lines is None else f"{small_lines:,} lines"

        # The hand-made loop on the same list, at each chunk size; then Python's default collector at the best.
        loops: list[Series] = []
        loop_out = work / f"loop-{args.files}.jsonl"
        lines_match = True
        for chunksize in CHUNKSIZES:
            s = Series(f"hand-made loop, chunksize {chunksize}", args.files)
            print(f"timing the {s.name} ...", file=sys.stderr, flush=True)
            measure(s, hand_loop_command(small_list, loop_out, args.jobs, chunksize, True), loop_out, repeats, args.timeout)
            lines_match &= check_loop(s, loop_out, small_out, small_lines)
            loops.append(s)
        best = max((s for s in loops if s.rate is not None), key=lambda s: s.rate or 0.0, default=None)
        if best is not None:
            chunksize = CHUNKSIZES[loops.index(best)]
            s = Series(f"hand-made loop, chunksize {chunksize}, default gc", args.files)
            print(f"timing the {s.name} ...", file=sys.stderr, flush=True)
            measure(s, hand_loop_command(small_list, loop_out, args.jobs, chunksize, False), loop_out, repeats, args.timeout)
            lines_match &= check_loop(s, loop_out, small_out, small_lines)
            loops.append(s)
            best = max((s for s in loops if s.rate is not None), key=lambda s: s.rate or 0.0)
        if not args.keep:
            loop_out.unlink(missing_ok=True)

        limits.append(machine_limit(distinct_list, args.timeout))
        known = [x for x in limits if x is not None]
        limit = statistics.median(known) if known else None

        # The command on the big batch, with the corrupt file.
        print(f"timing the command on {args.big:,} paths, one corrupt ...", file=sys.stderr, flush=True)
        big = Series("command, one corrupt", args.big)
        big_out = work / f"cli-{args.big}.jsonl"
        measure(big, audit_command(big_list, big_out, args.jobs), big_out, 1, args.timeout)

        # Dask, when it can run.
        print("the Dask engine ...", file=sys.stderr, flush=True)
        dask_series, dask = run_dask(work, inputs, args.jobs, args.timeout)

        print("checking the outputs ...", file=sys.stderr, flush=True)
        big_check = check_big(big_out, big_paths, small_out, args.files, inputs, str(corrupt)) if big.done else None
        big.note = big_check.describe() if big_check is not None else big.problem
        unreadable_told = [line for r in big.runs for line in r.stderr.splitlines() if corrupt.name in line]
        all_series = [small, *loops, big, *dask_series]
        crashed = any(s.problem for s in all_series)

    print(markdown_table(inputs_rows, left={0}))
    print()
    print(runs_table(all_series, cpus))
    print()
    print("CPU utilisation: user + system time of the process tree (os.wait4) over wall time x CPUs;")
    print("others' CPU: the machine's busy time meanwhile (/proc/stat) less the tree's, on that scale; steal: the hypervisor's.")
    print("tree peak: the highest sum of VmRSS over the process tree, sampled every 50 ms (pages shared after fork count twice);")
    print("command's own peak: VmHWM of the first process; wait4 ru_maxrss: the largest single process of the tree (Linux).")
    print()
    print("checks of the outputs:")
    for s in [small, *loops, big, *dask_series]:
        print(f"- {s.name} ({s.files:,}): {s.note or '-'}")
    if unreadable_told:
        print(f"- {big.name}: on stderr: {unreadable_told[0]}")
    print(f"- Dask: {dask[1]}")
    if not lines_match:
        print("- attention: a hand-made loop's output has not as many lines as the command's")
    if best is not None:
        print(f"\nbest hand-made loop: {best.name}, {best.rate:.1f} articles/s")
    if limit is not None:
        shown = ", ".join("-" if x is None else f"{x:.1f}" for x in limits)
        print(f"\nthis machine's limit now: {limit:.1f} articles/s ({cpus} CPUs over one process's CPU time per article;")
        print(f"measured before and after the 2,000-article runs: {shown})")
    print("\nacceptance (this run's figures; nothing is asserted):\n")
    print(acceptance(small, big, best, big_check, dask, cpus, limit))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s; load average at the end {load}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
