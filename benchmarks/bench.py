"""Time the real ``citecheck audit`` command on generated manuscripts from 80 KB to 5 MB.

For each input the command ``citecheck audit --format json --fail-on never FILE -o OUT`` runs as a
fresh subprocess several times; the table reports the median wall time and the peak resident memory
of the child (``ru_maxrss`` from ``os.wait4``), with the citations and references the audit found
next to the ones the generator wrote. ``citecheck --version`` is timed as the start-up baseline, the
real seed article is timed when ``../shared/corpus/seed`` exists next to the repository, and the
adversarial inputs (300,000 open brackets, one name repeated 100,000 times, 250 works by one author
in one year) are timed too.

citecheck's own modules are byte-compiled first, as pip compiles an installed wheel: an editable
install run with ``PYTHONDONTWRITEBYTECODE`` set would otherwise compile each from source every run.
Floors are timed the same way, each a fresh process: bare Python (``python -c pass``) and, per input
file, one pass of one compiled regular expression over its text (the file read as UTF-8). The 1.3 MB
manuscript is also audited as a DOCX (one Word paragraph per paragraph) next to the same text as a
``.txt``. ``--version`` and the seed article run in turn with bare Python (``--pairs`` times): their
ratios are the median of the ratios pair by pair, since a machine's speed drifts between two runs
minutes apart by as much as a start-up costs. The last block sets the figures against their
targets, as ratios to the floors of the same run.

Run with ``make bench`` or ``python3 benchmarks/bench.py``; ``--help`` lists the options. Nothing is
asserted about times: the numbers are for reading, and a run slower than ``--timeout`` is killed and
reported as such. The exit code is 1 only when an audit crashed (exited non-zero by itself).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import json
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GENERATOR = HERE / "generate.py"
SIZES_KIB = (80, 160, 320, 640, 1280, 5120)
BOOK_KIB = 1280  # "the 1.3 MB book": also written as DOCX
LARGE_KIB = 5120  # "5 MB"; --quick leaves out every size above BOOK_KIB
SEED_ARTICLE = REPO.parent / "shared" / "corpus" / "seed" / "cjssr-china-russia-2025.txt"
MIB = 1024 * 1024
MB = 1_000_000
# The floor of an audit of a text: read the file and run one compiled regular expression over it.
FLOOR_PATTERN = r"\(([^()]*\d{4}[^()]*)\)"
REGEX_PASS = "import re, sys\ntext = open(sys.argv[1], encoding='utf-8').read()\nre.compile(sys.argv[2]).findall(text)\n"


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
    path: Path | None  # None: the start-up baseline or bare Python
    written_citations: int | None = None
    written_references: int | None = None
    size: int = 0
    runs: list[Run] = field(default_factory=list)
    found_citations: int | None = None
    found_references: int | None = None
    findings: int | None = None
    kind: str = "audit"  # "audit", "version" (citecheck --version), "bare" (python -c pass), "regex" (the regex pass)
    floor: Case | None = None  # the regex pass over the same file
    paired: list[float] = field(default_factory=list)  # this case's time over bare Python's, run by run in turn

    @property
    def paired_ratio(self) -> float | None:
        return statistics.median(self.paired) if self.paired else None

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


def compile_package() -> str:
    """Byte-compile the citecheck package the command runs, as pip does when it installs a wheel,
    and say where. Without it, an editable install run with PYTHONDONTWRITEBYTECODE set compiles
    every module from source on every run, which an installed copy never does (the standard
    library and the dependencies the floors and the audit load are compiled already)."""
    spec = importlib.util.find_spec("citecheck")
    if spec is None or spec.origin is None:
        return "citecheck not importable here: its modules were not byte-compiled"
    folder = Path(spec.origin).parent
    compileall.compile_dir(str(folder), quiet=1)
    return f"citecheck's modules byte-compiled in {folder}, as an installed wheel has them"


def citecheck_command() -> list[str]:
    """The ``citecheck`` script installed with this interpreter, else the one on PATH, else ``python -m citecheck``.

    The interpreter's own scripts folder comes first: on PATH there may be a version manager's shim
    (pyenv's is a shell script that costs 0.15 s a run) instead of the script itself.
    """
    name = "citecheck.exe" if os.name == "nt" else "citecheck"
    own = Path(sysconfig.get_path("scripts")) / name
    if own.is_file() and os.access(own, os.X_OK):
        return [str(own)]
    exe = shutil.which("citecheck")
    return [exe] if exe else [sys.executable, "-m", "citecheck"]


def command(case: Case, out: Path) -> list[str]:
    if case.kind == "bare":
        return [sys.executable, "-c", "pass"]
    if case.kind == "version":
        return [*citecheck_command(), "--version"]
    assert case.path is not None
    if case.kind == "regex":
        return [sys.executable, "-c", REGEX_PASS, str(case.path), FLOOR_PATTERN]
    return [*citecheck_command(), "audit", "--format", "json", "--fail-on", "never", str(case.path), "-o", str(out)]


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
    if case.path is not None:
        case.size = case.path.stat().st_size
    cmd = command(case, out)
    spent = 0.0
    for _ in range(repeats):
        if out.exists():
            out.unlink()
        run = run_once(cmd, timeout)
        case.runs.append(run)
        spent += run.seconds
        if run.timed_out or run.status != 0 or spent > budget:
            break
    if case.kind == "audit" and case.ok and out.exists():
        summary = report_summary(out)
        case.found_citations = summary.get("citations")
        case.found_references = summary.get("references")
        case.findings = sum(summary.get(k, 0) for k in ("errors", "warnings", "notes"))
    median = f"{case.median:.3f} s" if case.median is not None else case.problem
    print(f"  {case.name}: {len(case.runs)} run(s), median {median}", file=sys.stderr, flush=True)
    if case.floor is not None:
        measure(case.floor, repeats, timeout, budget, out)


def measure_paired(case: Case, bare: Case, pairs: int, timeout: float, out: Path) -> None:
    """Run ``case`` and bare Python in turn, ``pairs`` times each, keeping each pair's ratio.

    A start-up figure is a few tens of milliseconds, and a machine's speed drifts by as much between
    one minute and the next; two runs side by side see the same machine, so the median of the pair
    ratios says what the start-up costs better than two medians taken minutes apart."""
    if case.path is not None:
        case.size = case.path.stat().st_size
    cmd, floor_cmd = command(case, out), command(bare, out)
    for _ in range(pairs):
        run, floor = run_once(cmd, timeout), run_once(floor_cmd, timeout)
        case.runs.append(run)
        bare.runs.append(floor)
        if run.timed_out or run.status != 0:
            break
        if floor.status == 0 and floor.seconds > 0:
            case.paired.append(run.seconds / floor.seconds)
    ratio = f", x{case.paired_ratio:.2f} bare Python run by run" if case.paired_ratio is not None else ""
    median = f"{case.median:.3f} s" if case.median is not None else case.problem
    print(f"  {case.name}: {len(case.runs)} run(s) paired with bare Python, median {median}{ratio}", file=sys.stderr, flush=True)


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


def generate_one(path: Path, size: float, seed: int) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--size", f"{size:g}", "--seed", str(seed), "-o", str(path)], check=True)


def size_label(kib: float) -> str:
    """The generator's label of a size: "80KB" ... "640KB", "1.3MB", "5.2MB"."""
    return f"{kib * 1024 / 1e6:.1f}MB" if kib >= 1000 else f"{kib:g}KB"


# -- DOCX ----------------------------------------------------------------------------------------


def paragraphs(markdown: str) -> list[tuple[int, list[tuple[str, bool]]]]:
    """The generated Markdown as paragraphs: (heading level or 0, runs of (text, italic)).

    A paragraph's wrapped lines are joined by spaces, as a word processor holds them; ``*...*``
    becomes an italic run and a heading's ``#`` marks its level.
    """
    out = []
    for block in re.split(r"\n[ \t]*\n", markdown):
        block = block.strip()
        if not block:
            continue
        heading = re.match(r"(#{1,6})[ \t]+(.*)", block)
        level = len(heading.group(1)) if heading else 0
        text = " ".join(line.strip() for line in (heading.group(2) if heading else block).splitlines())
        runs = [(piece, i % 2 == 1) for i, piece in enumerate(re.split(r"\*([^*]+)\*", text)) if piece]
        out.append((level, runs))
    return out


def write_docx_pair(source: Path, docx_path: Path, txt_path: Path) -> int:
    """Write ``source`` as a DOCX and as plain text of the same words (in a child of the benchmark)."""
    try:
        import docx  # python-docx, the project's "docx" extra
    except ImportError:
        print("python-docx is not installed", file=sys.stderr)
        return 2
    document = docx.Document()
    texts = []
    for level, runs in paragraphs(source.read_text(encoding="utf-8")):
        para = document.add_heading(level=level) if level else document.add_paragraph()
        for text, italic in runs:
            para.add_run(text).italic = italic or None
        texts.append("".join(text for text, _ in runs))
    document.save(str(docx_path))
    txt_path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return 0


def docx_cases(where: Path, synthetic: Sequence[Case], seed: int) -> list[Case]:
    """The 1.3 MB manuscript as a DOCX and as the same text in a .txt, written by a child process."""
    if importlib.util.find_spec("docx") is None:
        print("DOCX: python-docx is not installed (the docx extra: pip install 'citecheck-audit[docx]'); skipped")
        return []
    label = size_label(BOOK_KIB)
    book = next((c for c in synthetic if c.name == f"synthetic {label}"), None)
    source = book.path if book is not None and book.path is not None else where / f"docx-source-{label}.md"
    if book is None:
        generate_one(source, BOOK_KIB, seed)
    docx_path, txt_path = where / f"book-{label}.docx", where / f"book-{label}.txt"
    print(f"writing {docx_path.name} and {txt_path.name} ...", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--write-docx", str(source), str(docx_path), str(txt_path)]
    )
    if proc.returncode != 0:
        print(f"DOCX: writing the DOCX failed (exit {proc.returncode}); skipped")
        return []
    cited = (book.written_citations, book.written_references) if book is not None else (None, None)
    as_docx = Case(f"DOCX {label} (.docx)", docx_path, *cited)
    as_txt = Case(f"DOCX {label}, same text (.txt)", txt_path, *cited)
    as_txt.floor = regex_floor(txt_path)
    return [as_docx, as_txt]


def regex_floor(path: Path) -> Case:
    return Case(f"one regex pass over {path.name}", path, kind="regex")


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


def _seconds(t: float | None) -> str:
    return "-" if t is None else f"{t:.3f}"


def _ratio(t: float | None, floor: float | None) -> str:
    return "-" if t is None or not floor else f"x{t / floor:.1f}"


def table(cases: Sequence[Case]) -> str:
    """A Markdown table: one row per input."""
    head = ("input", "size", "citations found / written", "references found / written", "findings", "runs", "median s", "min s")
    rows = [(*head, "peak MiB", "regex pass s", "x regex pass")]
    for c in cases:
        floor = c.floor.median if c.floor is not None else None
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
                _seconds(floor) if c.floor is None or c.floor.median is not None else c.floor.problem,
                _ratio(c.median, floor),
            )
        )
    return markdown_table(rows, left={0})


def markdown_table(rows: Sequence[Sequence[str]], left: set[int]) -> str:
    """Rows as a Markdown table, the columns in ``left`` aligned left and the others right."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]

    def line(r: Sequence[str]) -> str:
        cells = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))]
        return "| " + " | ".join(cells) + " |"

    sep = "|" + "|".join("-" * (w + 2) if i in left else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
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


# -- acceptance --------------------------------------------------------------------------------------


def _figure(c: Case | None, missing: str) -> tuple[float | None, str]:
    """A case's median, or why there is none."""
    if c is None:
        return None, missing
    if c.median is None:
        return None, c.problem or "no completed run"
    return c.median, ""


def _within(value: float, bound: float) -> str:
    return "within" if value <= bound else "over"


def _bound_row(target: str, measured: Case | None, bound: float, missing: str) -> tuple[str, ...]:
    """A target in seconds."""
    t, why = _figure(measured, missing)
    if t is None:
        return (target, "-", "-", "-", f"<= {bound:g} s", f"not measured: {why}")
    return (target, f"{t:.3f} s", "-", "-", f"<= {bound:g} s", _within(t, bound))


def _ratio_row(
    target: str, measured: Case | None, floor: Case | None, floor_name: str, bound: float, missing: str
) -> tuple[str, ...]:
    """A target as a ratio of two medians of this run, or as the median of the ratios of runs made in
    turn with bare Python when the case was timed so."""
    t, why = _figure(measured, missing)
    f, why_floor = _figure(floor, missing)
    if t is None or not f:
        why = why or f"{floor_name}: {why_floor or 'no time'}"
        return (target, "-" if t is None else f"{t:.3f} s", "-", "-", f"<= x{bound:g}", f"not measured: {why}")
    ratio = measured.paired_ratio if measured is not None and measured.paired_ratio is not None else t / f
    return (target, f"{t:.3f} s", f"{f:.3f} s ({floor_name})", f"x{ratio:.2f}", f"<= x{bound:g}", _within(ratio, bound))


def acceptance(
    bare: Case,
    version: Case,
    seed: Case | None,
    book: Case | None,
    large: Case | None,
    docx_pair: Sequence[Case] | None,
    quick: bool = False,
) -> str:
    """The issue's targets against this run's figures, one row per target; nothing is asserted.

    ``docx_pair`` is None with --quick, empty when the DOCX could not be written."""
    book_label, large_label = size_label(BOOK_KIB), size_label(LARGE_KIB)
    no_book = f"--sizes has no {BOOK_KIB:g}"
    no_large = "--quick" if quick else f"--sizes has no {LARGE_KIB:g}"
    no_seed = f"{SEED_ARTICLE.parent} is missing"
    rows = [
        ("target", "measured", "floor", "ratio", "bound", "verdict"),
        _ratio_row("--version <= 3x bare Python", version, bare, "bare Python", 3, ""),
        _ratio_row("seed article <= 4x bare Python", seed, bare, "bare Python", 4, no_seed),
        _bound_row(f"{book_label} book <= 0.5 s", book, 0.5, no_book),
        _ratio_row(f"{book_label} book <= 10x one regex pass", book, book and book.floor, "one regex pass", 10, no_book),
        _bound_row(f"{large_label} <= 2 s", large, 2.0, no_large),
        _ratio_row(
            f"growth {book_label} -> {large_label} <= x4.4", large, book, book_label, 4.4, no_large if large is None else no_book
        ),
    ]
    memory = f"peak memory at {large_label} <= 150 MB"
    if large is None or large.peak is None:
        rows.append((memory, "-", "-", "-", "<= 150 MB", f"not measured: {no_large if large is None else 'no run'}"))
    else:
        peak = f"{large.peak / MB:.0f} MB ({large.peak / MIB:.0f} MiB)"
        rows.append((memory, peak, "-", "-", "<= 150 MB", _within(large.peak / MB, 150)))
    docx_target = f"DOCX {book_label} <= 1.5x the same text as .txt"
    if not docx_pair:
        why = "--quick" if docx_pair is None else "no DOCX (see above)"
        rows.append((docx_target, "-", "-", "-", "<= x1.5", f"not measured: {why}"))
    else:
        rows.append(_ratio_row(docx_target, docx_pair[0], docx_pair[1], ".txt", 1.5, ""))
    return markdown_table(rows, left={0, 4, 5})


# -- main --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=5, help="runs per input (default 5)")
    p.add_argument(
        "--pairs", type=int, default=15, help="runs of --version and of the seed, each in turn with bare Python (default 15)"
    )
    p.add_argument("--timeout", type=float, default=60.0, help="kill a run after this many seconds (default 60)")
    p.add_argument("--budget", type=float, default=25.0, help="stop repeating an input after this many seconds (default 25)")
    p.add_argument("--sizes", type=float, nargs="+", default=list(SIZES_KIB), help="manuscript sizes in KiB")
    p.add_argument("--quick", action="store_true", help=f"leave out the sizes above {BOOK_KIB} KiB and the DOCX case")
    p.add_argument("--seed", type=int, default=20250101, help="generator seed")
    p.add_argument("--no-pathological", action="store_true", help="skip the adversarial inputs")
    p.add_argument("--keep", type=Path, metavar="DIR", help="write the inputs into DIR and keep them")
    p.add_argument("--write-docx", nargs=3, type=Path, metavar=("SOURCE", "DOCX", "TXT"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.write_docx:
        return write_docx_pair(*args.write_docx)
    sizes = [s for s in args.sizes if not (args.quick and s > BOOK_KIB)]
    if not sizes:
        p.error("no size left to time")

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="citecheck-bench-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        out = Path(tmp) / "report.json"
        print(f"generating inputs in {where} ...", file=sys.stderr, flush=True)
        synthetic: list[Case] = []
        pathological: list[Case] = []
        for e in generate_inputs(where, sizes, args.seed, not args.no_pathological):
            path = where / str(e["file"])
            if e["kind"] == "synthetic":
                if e["label"] not in {size_label(s) for s in sizes}:
                    continue  # a manifest kept in --keep DIR from an earlier run
                synthetic.append(Case(f"synthetic {e['label']}", path, _int(e.get("citations")), _int(e.get("references"))))
            elif not args.no_pathological:
                pathological.append(Case(str(e["label"]).replace("-", " ", 1), path))
        synthetic.sort(key=lambda c: c.path.stat().st_size if c.path else 0)
        seed: Case | None = None
        others: list[Case] = []
        if SEED_ARTICLE.is_file():
            seed = Case(f"seed article ({SEED_ARTICLE.name})", SEED_ARTICLE)
            others.append(seed)
        others += pathological
        docx_pair: list[Case] | None = None if args.quick else docx_cases(where, synthetic, args.seed)
        for case in [*synthetic, *others]:
            case.floor = regex_floor(case.path) if case.path is not None else None
        bare = Case("python -c pass (bare Python)", None, kind="bare")
        startup = Case("citecheck --version (start-up)", None, kind="version")
        timed = [bare, startup, *synthetic, *others, *(docx_pair or [])]

        print(compile_package(), file=sys.stderr, flush=True)
        print(f"timing {' '.join(citecheck_command())}, up to {args.repeats} runs each ...", file=sys.stderr, flush=True)
        for case in timed:
            if case.kind == "bare":
                continue  # timed in turn with each start-up case below
            if case is startup or case is seed:
                measure_paired(case, bare, args.pairs, args.timeout, out)
                if case.floor is not None:
                    measure(case.floor, args.repeats, args.timeout, args.budget, out)
            else:
                measure(case, args.repeats, args.timeout, args.budget, out)

    print()
    print(table(timed))
    print()
    for line in growth(synthetic, startup.median):
        print(line)
    peak = max((c.peak for c in synthetic if c.peak is not None), default=None)
    if peak is not None:
        print(f"highest peak memory of the synthetic audits: {peak / MIB:.0f} MiB")
    if docx_pair:
        docx_t, txt_t = docx_pair[0].median, docx_pair[1].median
        if docx_t is not None and txt_t:
            print(f"DOCX against the same text as .txt: {docx_t:.3f} s / {txt_t:.3f} s = x{docx_t / txt_t:.2f}")
    slow = [c for c in timed[2:] if c.problem or (c.median is not None and c.median > 5.0)]
    for c in slow:
        print(f"attention: {c.name}: {c.problem or f'median {c.median:.1f} s'}")
    by_label = {c.name: c for c in synthetic}
    print(
        "\nacceptance (this run's medians against floors timed in the same run, start-up ratios pair by pair;"
        " nothing is asserted):\n"
    )
    print(
        acceptance(
            bare,
            startup,
            seed,
            by_label.get(f"synthetic {size_label(BOOK_KIB)}"),
            by_label.get(f"synthetic {size_label(LARGE_KIB)}"),
            docx_pair,
            args.quick,
        )
    )
    crashed = any(r.status != 0 and not r.timed_out for c in timed for r in c.runs)  # the floors are not audits
    print(
        f"\n{os.cpu_count()} CPUs, Python {sys.version.split()[0]}; benchmark took {time.perf_counter() - started:.0f} s; "
        f"the benchmark process itself peaked at {own_peak() / MIB:.0f} MiB (a child's figure cannot read lower)"
    )
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
