"""Per-stage CPU and wall time of one audit, run in-process the way ``citecheck audit`` runs it.

    python3 benchmarks/profile.py FILE [--format json|text] [--repeats N] [--cprofile OUT]
    make profile FILE=paper.txt

The audit is ``citecheck.readers.read_document``, ``citecheck.pipeline.audit_source`` with every
rule, and ``citecheck.report.render_json`` (or ``render_text``), as the command line calls them, in a
process set up as the command line sets up its own (``citecheck.cli.run --version`` is run first:
it sets the garbage collector's thresholds). The stages are timed by wrapping the names
``audit_source`` calls in the ``citecheck.pipeline`` namespace (``analyse``, ``read_references``,
``link_all``, ``run_rules``) and ``CitationFinder.find`` on its class, and restored afterwards. A
stage's figure is its own time: a timed stage called inside another counts for itself only.
``other`` is the total less the stages: the pipeline's own glue (the blanked body, the finder's
known names, the markup scan, the chapters of a book, ...).

Each of ``--repeats`` runs (3) is a fresh process, so that every run pays for what a real run pays
for (regular expressions compiled, ``lru_cache`` of names empty); each figure in the table is its
minimum over the runs, so the rows need not add up to the total exactly. The imports of the
command line and the pipeline are timed apart and left out of the total. The garbage collections
(``gc.callbacks``) and the peak memory are those of the fastest run. ``--cprofile OUT`` runs the
audit once more under cProfile and writes its stats to OUT (read them with ``python3 -m pstats OUT``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
# This file is named profile.py, and the standard library's cProfile imports "profile": the folder
# of this script must not come first on the path when cProfile is imported.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

STAGES = ("read", "layout", "references", "citations", "link", "rules", "report")
# stage -> the name audit_source calls, in the citecheck.pipeline namespace
PIPELINE_NAMES = {"layout": "analyse", "references": "read_references", "link": "link_all", "rules": "run_rules"}
WHAT = {
    "read": "citecheck.readers.read_document",
    "layout": "citecheck.layout.analyse",
    "references": "citecheck.references.read_references",
    "citations": "CitationFinder.find",
    "link": "citecheck.link.link_all",
    "rules": "citecheck.rules.run_rules",
    "report": "citecheck.report.render_{fmt}",
    "other": "total less the stages",
    "total": "read + audit_source + render",
}
USAGE = (
    "usage: make profile FILE=paper.txt, or python3 benchmarks/profile.py FILE [--format json|text] [--repeats N] "
    "[--cprofile OUT]"
)
MIB = 1024 * 1024


class Clock:
    """CPU and wall time per stage, each stage's own (a timed stage inside another counts for itself)."""

    def __init__(self) -> None:
        self.cpu = dict.fromkeys(STAGES, 0.0)
        self.wall = dict.fromkeys(STAGES, 0.0)
        self.calls = dict.fromkeys(STAGES, 0)
        self._nested: list[list[float]] = []  # per open stage: wall and CPU of the stages timed inside it

    def call(self, stage: str, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        self._nested.append([0.0, 0.0])
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kw)
        finally:
            wall, cpu = time.perf_counter() - w0, time.process_time() - c0
            inner_wall, inner_cpu = self._nested.pop()
            self.wall[stage] += wall - inner_wall
            self.cpu[stage] += cpu - inner_cpu
            self.calls[stage] += 1
            if self._nested:
                self._nested[-1][0] += wall
                self._nested[-1][1] += cpu

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kw: Any) -> Any:
            return self.call(stage, fn, *args, **kw)

        timed.__name__ = getattr(fn, "__name__", stage)
        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


class GcWatch:
    """The garbage collections while it is installed, and the wall time spent in them."""

    def __init__(self) -> None:
        self.counts = [0, 0, 0]
        self.collected = 0
        self.seconds = 0.0
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            generation = info.get("generation", 0)
            self.counts[min(generation, 2)] += 1
            self.collected += info.get("collected", 0)

    @contextmanager
    def installed(self) -> Iterator[GcWatch]:
        import gc

        gc.callbacks.append(self)
        try:
            yield self
        finally:
            gc.callbacks.remove(self)


@contextmanager
def timed_stages(clock: Clock) -> Iterator[list[str]]:
    """Wrap the stages audit_source calls; yields the notes on names that could not be wrapped."""
    from unittest import mock

    import citecheck.pipeline as pipeline
    from citecheck.citations.finder import CitationFinder

    notes = []
    with ExitStack() as stack:
        for stage, name in PIPELINE_NAMES.items():
            fn = getattr(pipeline, name, None)
            if fn is None:
                notes.append(f"citecheck.pipeline has no name {name!r}: the {stage} stage is counted in 'other'")
                continue
            stack.enter_context(mock.patch.object(pipeline, name, clock.wrap(stage, fn)))
        stack.enter_context(mock.patch.object(CitationFinder, "find", clock.wrap("citations", CitationFinder.find)))
        yield notes


def cli_process_settings() -> str:
    """Set this process up as the command line sets up its own (``citecheck.cli.run``: the garbage
    collector's thresholds, the signal handlers) by running ``citecheck --version`` in it."""
    import gc
    import io
    from contextlib import redirect_stdout

    from citecheck import cli

    with redirect_stdout(io.StringIO()):
        cli.run(["--version"])
    return f"gc thresholds {gc.get_threshold()}, as citecheck.cli.run sets them"


def audit_once(path: str, fmt: str, profiler: Any = None) -> dict[str, Any]:
    """One audit of ``path`` in this process, timed per stage (the child's side)."""
    w0, c0 = time.perf_counter(), time.process_time()
    settings = cli_process_settings()
    from citecheck.pipeline import audit_source
    from citecheck.readers import read_document
    from citecheck.report import render_json, render_text
    from citecheck.rules import select_rules

    imports = {"wall": time.perf_counter() - w0, "cpu": time.process_time() - c0}
    render = render_json if fmt == "json" else render_text
    clock = Clock()
    gcw = GcWatch()
    with timed_stages(clock) as notes, gcw.installed():
        if profiler is not None:
            profiler.enable()
        w0, c0 = time.perf_counter(), time.process_time()
        source = clock.call("read", read_document, path)
        report = audit_source(source, select_rules((), ()), None, None)
        rendered = clock.call("report", render, [report])
        wall, cpu = time.perf_counter() - w0, time.process_time() - c0
        if profiler is not None:
            profiler.disable()
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "wall": clock.wall,
        "cpu": clock.cpu,
        "calls": clock.calls,
        "total": {"wall": wall, "cpu": cpu},
        "imports": imports,
        "gc": {"counts": gcw.counts, "collected": gcw.collected, "seconds": gcw.seconds},
        "peak": rss if sys.platform == "darwin" else rss * 1024,
        "chars": len(source.text),
        "report_chars": len(rendered),
        "citations": len(report.citations),
        "references": len(report.references),
        "findings": len(report.findings),
        "notes": notes,
        "settings": settings,
    }


def child(path: str, fmt: str, cprofile: str | None) -> int:
    from citecheck.errors import CitecheckError

    profiler = None
    if cprofile:
        import cProfile

        profiler = cProfile.Profile()
    try:
        result = audit_once(path, fmt, profiler)
    except CitecheckError as e:
        print(f"{path}: {e}", file=sys.stderr)
        return 2
    if profiler is not None:
        profiler.dump_stats(cprofile)
    json.dump(result, sys.stdout)
    return 0


def run_child(path: str, fmt: str, cprofile: str | None = None) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", path, "--format", fmt]
    if cprofile:
        cmd += ["--cprofile", cprofile]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        raise SystemExit(lines[-1] if lines else f"the audit exited {proc.returncode}")
    return json.loads(proc.stdout)


# -- the table ---------------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1_000_000 else f"{n / 1e3:.1f} KB"


def _share(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole > 0 else "-"


def markdown_table(rows: Sequence[Sequence[str]], left: int) -> list[str]:
    """Rows as a Markdown table, the first ``left`` columns aligned left and the others right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(r: Sequence[str]) -> str:
        cells = [c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        return "| " + " | ".join(cells) + " |"

    sep = "|" + "|".join("-" * (w + 2) if i < left else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return [line(rows[0]), sep, *(line(r) for r in rows[1:])]


def summarise(runs: Sequence[dict[str, Any]], fmt: str) -> list[str]:
    """The per-stage table: each figure its minimum over ``runs``."""
    total_cpu = min(r["total"]["cpu"] for r in runs)
    total_wall = min(r["total"]["wall"] for r in runs)

    def row(stage: str, calls: str, cpu: float, wall: float) -> tuple[str, ...]:
        return (
            stage,
            WHAT[stage].format(fmt=fmt),
            calls,
            f"{cpu:.3f}",
            _share(cpu, total_cpu),
            f"{wall:.3f}",
            _share(wall, total_wall),
        )

    rows = [("stage", "timed", "calls", "CPU s", "CPU share", "wall s", "wall share")]
    for stage in STAGES:
        cpu = min(r["cpu"][stage] for r in runs)
        wall = min(r["wall"][stage] for r in runs)
        rows.append(row(stage, str(runs[0]["calls"][stage]), cpu, wall))
    other_cpu = min(r["total"]["cpu"] - sum(r["cpu"].values()) for r in runs)
    other_wall = min(r["total"]["wall"] - sum(r["wall"].values()) for r in runs)
    rows.append(row("other", "-", other_cpu, other_wall))
    rows.append(row("total", "-", total_cpu, total_wall))
    return markdown_table(rows, left=2)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], usage=USAGE.removeprefix("usage: "))
    p.add_argument("file", nargs="?", default="", metavar="FILE", help="the manuscript to audit")
    p.add_argument("--format", choices=["json", "text"], default="json", help="report format (default json)")
    p.add_argument("--repeats", type=int, default=3, help="runs, each a fresh process; the table shows minima (default 3)")
    p.add_argument("--cprofile", metavar="OUT", help="also write the cProfile stats of one more run to OUT")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.file:
        print(USAGE, file=sys.stderr)
        return 2
    if args.child:
        return child(args.file, args.format, args.cprofile)
    if not os.path.isfile(args.file):
        print(f"profile.py: no such file: {args.file}", file=sys.stderr)
        return 2
    path = os.path.abspath(args.file)
    runs = []
    for i in range(max(1, args.repeats)):
        runs.append(run_child(path, args.format))
        print(f"  run {i + 1}: {runs[-1]['total']['wall']:.3f} s wall", file=sys.stderr, flush=True)
    first = runs[0]
    size = os.path.getsize(path)
    print(
        f"citecheck audit --format {args.format} {args.file} ({_size(size)}, {first['chars']:,} characters): "
        f"{first['citations']:,} citations, {first['references']:,} references, {first['findings']:,} findings"
    )
    imports = min(r["imports"]["wall"] for r in runs)
    print(f"minimum of {len(runs)} runs, each in a fresh process; the imports took {imports:.3f} s (not in the total)")
    print(f"the process set up as the command line does: {first['settings']}")
    for note in first["notes"]:
        print(f"note: {note}")
    print()
    for line in summarise(runs, args.format):
        print(line)
    print()
    fastest = min(runs, key=lambda r: r["total"]["wall"])
    gc = fastest["gc"]
    share = _share(gc["seconds"], fastest["total"]["wall"])
    print(
        f"garbage collections (fastest run): {sum(gc['counts']):,} (generation 0/1/2: {'/'.join(map(str, gc['counts']))}), "
        f"{gc['seconds']:.3f} s wall in them ({share} of its wall time), {gc['collected']:,} objects collected"
    )
    print(
        f"peak memory (fastest run): {fastest['peak'] / MIB:.0f} MiB; report: {_size(fastest['report_chars'])} of {args.format}"
    )
    if args.cprofile:
        run_child(path, args.format, os.path.abspath(args.cprofile))
        print(f"cProfile stats of one more run: {args.cprofile} (python3 -m pstats {args.cprofile})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
