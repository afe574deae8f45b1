"""Time the real ``citecheck audit`` command on generated manuscripts from 80 KB to 1.3 MB.

For each input the command ``citecheck audit --format json --fail-on never FILE -o OUT`` runs as a
fresh subprocess several times; the table reports the median wall time and the peak resident memory
of the child (``ru_maxrss`` from ``os.wait4``), with the citations and references the audit found
next to the ones the generator wrote. ``citecheck --version`` is timed as the start-up baseline, the
real seed article is timed when ``../shared/corpus/seed`` exists next to the repository, and the
adversarial inputs (300,000 open brackets, one name repeated 100,000 times, 250 works by one author
in one year) are timed too.

Run with ``make bench`` or ``python3 benchmarks/bench.py``; ``--help`` lists the options. Nothing is
asserted about times: the numbers are for reading, and a run slower than ``--timeout`` is killed and
reported as such. The exit code is 1 only when an audit crashed (exited non-zero by itself).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "generate.py"
SIZES_KIB = (80, 160, 320, 640, 1280)
SEED_ARTICLE = REPO.parent / "shared" / "corpus" / "seed" / "cjssr-china-russia-2025.txt"
MIB = 1024 * 1024


@dataclass
class Run:
    seconds: float
    max_rss: int  # bytes
    status: int  # exit code; -9 when killed after the timeout
    timed_out: bool = False
    stderr: str = ""


@dataclass
class Case:
    name: str
    path: Path | None  # None: the start-up baseline
    written_citations: int | None = None
    written_references: int | None = None
    size: int = 0
    runs: list[Run] = field(default_factory=list)
    found_citations: int | None = None
    found_references: int | None = None
    findings: int | None = None

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.status == 0 and not r.timed_out]

    @property
    def median(self) -> float | None:
        ok = self.ok
        return statistics.median(r.seconds for r in ok) if ok else None

    @property
    def fastest(self) -> float | None:
        ok = self.ok
        return min(r.seconds for r in ok) if ok else None

    @property
    def peak(self) -> int | None:
        return max((r.max_rss for r in self.runs), default=None)

    @property
    def problem(self) -> str:
        for r in self.runs:
            if r.timed_out:
                return f"killed after {r.seconds:.0f} s"
            if r.status != 0:
                return f"exit {r.status}: {r.stderr.strip().splitlines()[-1] if r.stderr.strip() else ''}"
        return ""


def citecheck_command() -> list[str]:
    """The installed ``citecheck`` script, or ``python -m citecheck`` when it is not on PATH."""
    exe = shutil.which("citecheck")
    return [exe] if exe else [sys.executable, "-m", "citecheck"]


def run_once(cmd: Sequence[str], timeout: float) -> Run:
    """Run ``cmd`` in a fresh child: its wall time and its own peak resident memory (Linux, macOS)."""
    with tempfile.TemporaryFile() as err:
        killed = threading.Event()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)

        def kill() -> None:
            killed.set()
            proc.kill()

        timer = threading.Timer(timeout, kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # reaps the child and returns its own resource usage
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            timer.cancel()
        # ru_maxrss is in KiB on Linux and in bytes on macOS.
        rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(seconds=elapsed, max_rss=rss, status=proc.returncode, timed_out=killed.is_set(), stderr=stderr)


def measure(case: Case, repeats: int, timeout: float, budget: float, out: Path) -> None:
    """Run one case up to ``repeats`` times, fewer once the runs of this case have used ``budget`` seconds."""
    base = citecheck_command()
    if case.path is None:
        cmd = [*base, "--version"]
    else:
        case.size = case.path.stat().st_size
        cmd = [*base, "audit", "--format", "json", "--fail-on", "never", str(case.path), "-o", str(out)]
    spent = 0.0
    for _ in range(repeats):
        if out.exists():
            out.unlink()
        run = run_once(cmd, timeout)
        case.runs.append(run)
        spent += run.seconds
        if run.timed_out or run.status != 0 or spent > budget:
            break
    if case.path is not None and case.ok and out.exists():
        summary = report_summary(out)
        case.found_citations = summary.get("citations")
        case.found_references = summary.get("references")
        case.findings = sum(summary.get(k, 0) for k in ("errors", "warnings", "notes"))
    median = f"{case.median:.3f} s" if case.median is not None else case.problem
    print(f"  {case.name}: {len(case.runs)} run(s), median {median}", file=sys.stderr, flush=True)


def report_summary(path: Path) -> dict[str, int]:
    """The ``summary`` object at the end of a JSON report, read without loading the whole report.

    The benchmark process stays small on purpose: a child forked from it starts with the parent's
    resident size, and Linux keeps that in the child's peak across ``exec``.
    """
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 4096))
        tail = fh.read().decode("utf-8", "replace")
    at = tail.rfind('"summary"')
    if at < 0:
        return {}
    try:
        obj, _ = json.JSONDecoder().raw_decode(tail, tail.index("{", at))
    except ValueError:
        return {}
    return obj if isinstance(obj, dict) else {}


def generate_inputs(where: Path, sizes: Sequence[float], seed: int, pathological: bool) -> list[dict[str, object]]:
    """Run the generator in a child process (see ``report_summary`` for why) and read its manifest."""
    sizes_args = [f"{s:g}" for s in sizes]
    subprocess.run([sys.executable, str(GENERATOR), "--all", str(where), "--sizes", *sizes_args, "--seed", str(seed)], check=True)
    if pathological:
        subprocess.run([sys.executable, str(GENERATOR), "--pathological", str(where)], check=True)
    return json.loads((where / "manifest.json").read_text(encoding="utf-8"))


def _int(value: object) -> int | None:
    return value if isinstance(value, int) else None


def own_peak() -> int:
    """Peak resident size of this process, in bytes."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# -- the report --------------------------------------------------------------------------------------


def _count(found: int | None, written: int | None) -> str:
    if found is None:
        return "-" if written is None else f"? / {written:,}"
    return f"{found:,}" if written is None else f"{found:,} / {written:,}"


def _size(n: int) -> str:
    if n == 0:
        return "-"
    return f"{n / 1e6:.2f} MB" if n >= 1_000_000 else f"{n / 1e3:.0f} KB"


def table(cases: Sequence[Case]) -> str:
    """A Markdown table: one row per input."""
    head = ("input", "size", "citations found / written", "references found / written", "findings", "runs", "median s", "min s")
    rows = [(*head, "peak MiB")]
    for c in cases:
        rows.append(
            (
                c.name,
                _size(c.size),
                _count(c.found_citations, c.written_citations),
                _count(c.found_references, c.written_references),
                "-" if c.findings is None else f"{c.findings:,}",
                str(len(c.runs)),
                f"{c.median:.3f}" if c.median is not None else c.problem or "-",
                f"{c.fastest:.3f}" if c.fastest is not None else "-",
                f"{c.peak / MIB:.0f}" if c.peak is not None else "-",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(r: Sequence[str]) -> str:
        cells = [r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(r))]
        return "| " + " | ".join(cells) + " |"

    sep = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), sep, *(line(r) for r in rows[1:])])


def growth(synthetic: Sequence[Case], startup: float | None) -> list[str]:
    """Time growth from the smallest to the largest manuscript against size growth, and the fitted exponent."""
    done = [(c, c.median) for c in synthetic if c.median is not None and c.size]
    if len(done) < 2:
        return ["growth: not enough completed runs to compare sizes"]
    (small, t_small), (large, t_large) = done[0], done[-1]
    size_factor = large.size / small.size
    out = [
        f"size grows x{size_factor:.1f} ({small.name} -> {large.name}); "
        f"wall time grows x{t_large / t_small:.1f} ({t_small:.2f} s -> {t_large:.2f} s)"
    ]
    if startup is None or t_small <= startup:
        return out
    net_small, net_large = t_small - startup, t_large - startup
    out.append(f"net of the {startup:.2f} s start-up: x{net_large / net_small:.1f} ({net_small:.2f} s -> {net_large:.2f} s)")
    pts = [(math.log(c.size), math.log(t - startup)) for c, t in done if t > startup]
    if len(pts) >= 3:
        mx = statistics.fmean(x for x, _ in pts)
        my = statistics.fmean(y for _, y in pts)
        slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
        verdict = "close to linear" if slope <= 1.15 else "mildly super-linear" if slope <= 1.4 else "super-linear"
        out.append(f"fitted exponent of (time - start-up) against size: {slope:.2f} ({verdict}; 1 = linear, 2 = quadratic)")
    return out


# -- main --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="runs per input (default 5)")
    p.add_argument("--timeout", type=float, default=60.0, help="kill a run after this many seconds (default 60)")
    p.add_argument("--budget", type=float, default=25.0, help="stop repeating an input after this many seconds (default 25)")
    p.add_argument("--sizes", type=float, nargs="+", default=list(SIZES_KIB), help="manuscript sizes in KiB")
    p.add_argument("--seed", type=int, default=20250101, help="generator seed")
    p.add_argument("--no-pathological", action="store_true", help="skip the adversarial inputs")
    p.add_argument("--keep", type=Path, metavar="DIR", help="write the inputs into DIR and keep them")
    args = p.parse_args(argv)

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="citecheck-bench-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        out = Path(tmp) / "report.json"
        print(f"generating inputs in {where} ...", file=sys.stderr, flush=True)
        synthetic: list[Case] = []
        pathological: list[Case] = []
        for e in generate_inputs(where, args.sizes, args.seed, not args.no_pathological):
            path = where / str(e["file"])
            if e["kind"] == "synthetic":
                synthetic.append(Case(f"synthetic {e['label']}", path, _int(e.get("citations")), _int(e.get("references"))))
            else:
                pathological.append(Case(str(e["label"]).replace("-", " ", 1), path))
        synthetic.sort(key=lambda c: c.path.stat().st_size if c.path else 0)
        others: list[Case] = []
        if SEED_ARTICLE.is_file():
            others.append(Case(f"seed article ({SEED_ARTICLE.name})", SEED_ARTICLE))
        others += pathological
        startup = Case("citecheck --version (start-up)", None)

        print(f"timing {' '.join(citecheck_command())}, up to {args.repeats} runs each ...", file=sys.stderr, flush=True)
        for case in [startup, *synthetic, *others]:
            measure(case, args.repeats, args.timeout, args.budget, out)

    print()
    print(table([startup, *synthetic, *others]))
    print()
    for line in growth(synthetic, startup.median):
        print(line)
    peak = max((c.peak for c in synthetic if c.peak is not None), default=None)
    if peak is not None:
        print(f"highest peak memory of the synthetic audits: {peak / MIB:.0f} MiB")
    slow = [c for c in [*synthetic, *others] if c.problem or (c.median is not None and c.median > 5.0)]
    for c in slow:
        print(f"attention: {c.name}: {c.problem or f'median {c.median:.1f} s'}")
    crashed = any(r.status != 0 and not r.timed_out for c in [startup, *synthetic, *others] for r in c.runs)
    print(
        f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; benchmark took {time.perf_counter() - started:.0f} s; "
        f"the benchmark process itself peaked at {own_peak() / MIB:.0f} MiB (a child's figure cannot read lower)"
    )
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
