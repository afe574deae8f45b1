"""Fuzzing citecheck with hostile input, for a fixed time: ``make fuzz FUZZ_SECONDS=1200``.

Targets, run in turn until the budget is spent: ``citecheck.audit`` on a text; each reader through
the file path API (Markdown with its CSL-JSON, LaTeX with its ``\\input`` and ``.bib``, a manuscript
given a BibTeX, CSL-JSON or RIS file as ``--bib``, DOCX, PDF, a PDF drawn from damaged text, JATS
XML); and the command line, in this process and now and then as a real one. Inputs are the
fixtures and the test helpers' documents, damaged by ``fuzz_inputs``.

What must hold for every input:

- nothing escapes but ``InputError`` (from a reader; never from the audit of a text), and its
  message is one line; the command line exits 0, 1 or 2 (3 is its internal error), and a 2 says
  why in one line on stderr;
- the report is sound: every citation's text is the text at its span, every span lies in the text,
  links and findings point at citations and references that exist, the JSON and text renderers
  finish; one input in ten is audited twice and must give the same JSON;
- an input of up to 100 KB takes at most 2 s of CPU time (more, proportionally, for a larger one):
  slower is a hang or a quadratic blow-up, and past ten times the bound in wall time the run is
  interrupted and saved.

Each distinct failure (its exception and the citecheck line it came from, or the property broken)
is saved once, the smallest input that shows it, to ``--save`` (``/tmp/fuzz-failures``) with its
traceback and the command that replays it: ``python3 benchmarks/fuzz.py --replay DIR``. The input
being run is also in ``SAVE/current`` in case the process itself dies.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fuzz_inputs as fi
from invariants import Violation, check_entries, check_report, one_line, parses

import citecheck
from citecheck import cli
from citecheck.errors import InputError
from citecheck.model import Report
from citecheck.pipeline import audit_source
from citecheck.readers import FORMATS, read_document
from citecheck.report import render_json
from citecheck.rules import all_rules

ROOT = fi.ROOT
BOUND_SECONDS, BOUND_BYTES = 2.0, 100 * 1024  # an input of up to 100 KB slower than 2 s is a failure
HANG_FACTOR = 10  # past ten times its bound an input is interrupted
SHRINK_SECONDS = 30.0  # time given to hypothesis to shrink a failure before the fuzzer moves on
STARTUP_SECONDS = 1.0  # what a child process may add to the bound: the interpreter and citecheck's imports
PER_MB_FLOOR = 4096  # seconds per MB are compared among inputs of at least 4 KB (start-up costs dominate below)


class Slow(Exception):
    """An input slower than its bound."""


class Hang(BaseException):
    """Raised by the alarm inside citecheck; a BaseException, so that no reader's ``except
    Exception`` turns it into an ``InputError`` and hypothesis does not try to shrink it."""


class TurnOver(BaseException):
    """The target's time (or the time to shrink its failure) is spent: ends hypothesis's run."""


# The targets: each checks one case written to a folder.


@dataclass
class Run:
    """What one check did: whether the reader refused the input, for the statistics."""

    refused: bool = False
    twice: bool = False  # audit it twice and compare


def _audit_files(case: fi.Case, folder: Path) -> Report:
    main = folder / case.main
    if not case.bibs:
        return citecheck.audit(main)  # the file path API
    return audit_source(read_document(str(main), None, [str(folder / b) for b in case.bibs]))


def _deterministic(first: Report, again: Callable[[], Report]) -> None:
    if render_json([first]) != render_json([again()]):
        raise Violation("not-deterministic", "the same input audited twice gave two reports")


def check_document(case: fi.Case, folder: Path, run: Run) -> None:
    """A file through the path API (and its bibliographies): a sound report, or a one-line InputError."""
    try:
        report = _audit_files(case, folder)
    except InputError as exc:
        one_line(exc)
        run.refused = True
        return
    check_report(report)
    if run.twice:
        _deterministic(report, lambda: _audit_files(case, folder))


def check_bibliography(case: fi.Case, folder: Path, run: Run) -> None:
    """The manuscript audited with the file as ``--bib``, and the file read alone (as ``citecheck
    verify`` reads it): entries whose spans lie in its text, or a one-line InputError."""
    from citecheck.bibliography import read_bibliography

    check_document(case, folder, run)
    try:
        source, refs = read_bibliography(str(folder / case.bibs[0]))
    except InputError as exc:
        one_line(exc)
        return
    check_entries(refs, source.text)


def check_text(case: fi.Case, folder: Path, run: Run) -> None:
    """``citecheck.audit`` on the text itself: never an exception, always a sound report."""
    text = case.files["input.txt"].decode("utf-8", "surrogatepass")
    report = citecheck.audit(text)
    check_report(report)
    if run.twice:
        _deterministic(report, lambda: citecheck.audit(text))


def check_cli(case: fi.Case, folder: Path, run: Run) -> None:
    """The command line, in this process or as a child: exit 0, 1 or 2, a 2 with one line on stderr,
    and a JSON report on stdout that parses."""
    how, *args = (a.replace("{dir}", str(folder)) for a in case.argv)
    if how == "subprocess":
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
        command = [sys.executable, "-m", "citecheck", *args]
        done = subprocess.run(command, capture_output=True, encoding="utf-8", errors="replace", env=env, check=False)
        code, out, err = done.returncode, done.stdout, done.stderr
    else:
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = cli.run(args)
        out, err = stdout.getvalue(), stderr.getvalue()
    if code not in (0, 1, 2):
        raise Violation("cli-exit-code", f"exit {code}: {err.strip()[-300:]!r}")
    if code == 2:
        run.refused = True
        if len(err.splitlines()) != 1 or not err.startswith("citecheck: "):
            raise Violation("cli-error-not-one-line", repr(err[-300:]))
    elif _last("--format", args) == "json" and "-o" not in args:
        parses(out, "cli-json")


def _last(option: str, args: Sequence[str]) -> str | None:
    """The value an option given several times ends with, as click reads it."""
    values = [args[i + 1] for i, a in enumerate(args[:-1]) if a == option]
    return values[-1] if values else None


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    build: Callable[[Any], fi.Case | None]  # None: the input could not be made (not citecheck's fault)
    check: Callable[[fi.Case, Path, Run], None]


def _text_case(recipe: fi.TextRecipe) -> fi.Case:
    return fi.Case("text", {"input.txt": recipe.text().encode("utf-8", "surrogatepass")})


def _rendered_pdf(recipe: fi.TextRecipe) -> fi.Case | None:
    """A PDF drawn by reportlab from damaged lines; None when reportlab cannot draw them."""
    lines = [line for line in recipe.text().splitlines() if line.strip()][:400]
    try:
        data = fi.lines_pdf(lines)
    except Exception:
        return None
    return fi.Case("pdf-render", {"render.pdf": data})


FILE_TARGETS = ["markdown", "latex", "bibtex", "csljson", "ris", "jats", "docx", "pdf"]
_OPTION_NAMES = [r.code for r in all_rules()] + [r.name for r in all_rules()] + ["CC", "CC1", "cc2", "nonsense", ""]


def cli_options() -> st.SearchStrategy[tuple[str, ...]]:
    """The options of one ``citecheck audit``: formats, thresholds, rule choices, ``--from``, ``-o``."""
    pairs = st.lists(
        st.one_of(
            st.tuples(st.just("--format"), st.sampled_from(["text", "json"])),
            st.tuples(st.just("--fail-on"), st.sampled_from(["error", "warning", "note", "never"])),
            st.tuples(st.just("--from"), st.sampled_from(FORMATS)),
            st.tuples(st.sampled_from(["--select", "--ignore"]), st.sampled_from(_OPTION_NAMES)),
            st.tuples(st.just("-o"), st.just("{dir}/report.out")),
        ),
        max_size=4,
    )
    return pairs.map(lambda ps: tuple(x for p in ps for x in p))


def _cli_case(drawn: tuple[fi.Recipe, tuple[str, ...]]) -> fi.Case:
    recipe, options = drawn
    case = recipe.case()
    # One input in twenty runs as a real process, chosen by its bytes: the same input always alike.
    how = "subprocess" if zlib.crc32(case.files[case.main]) % 20 == 0 else "inprocess"
    bibs = [x for b in case.bibs for x in ("--bib", "{dir}/" + b)]
    argv = (how, "audit", "{dir}/" + case.main, *bibs, *options)
    return fi.Case("cli", case.files, case.bibs, argv)


def targets() -> dict[str, Target]:
    """Every target by name, in the order they take turns."""
    out = {"text": Target("text", fi.text_recipes(), _text_case, check_text)}
    for name in FILE_TARGETS:
        check = check_bibliography if name in ("bibtex", "csljson", "ris") else check_document
        out[name] = Target(name, fi.recipes(name), fi.Recipe.case, check)
    out["pdf-render"] = Target("pdf-render", fi.pdf_render_recipes(), _rendered_pdf, check_document)
    cli_recipes = st.sampled_from(FILE_TARGETS).flatmap(fi.recipes)
    out["cli"] = Target("cli", st.tuples(cli_recipes, cli_options()), _cli_case, check_cli)
    return out


# Running one input under the alarm, timed, and keeping what failed.


def bound(size: int, audits: int = 1) -> float:
    """The time an input may take: 2 s per audit up to 100 KB, in proportion above."""
    return audits * BOUND_SECONDS * max(1.0, size / BOUND_BYTES)


@contextlib.contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """``Hang`` past ``seconds`` of wall-clock time: the deadline a batch gives each document."""
    from citecheck.batch import DeadlinePassed, deadline

    try:
        with deadline(seconds):
            yield
    except DeadlinePassed:
        raise Hang(f"interrupted after {seconds:.1f} s") from None


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children: what an audit costs, whatever else
    the machine is doing (wall time on a shared machine doubles when another job runs)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def timed_check(check: Callable[[fi.Case, Path, Run], None], case: fi.Case, folder: Path, run: Run) -> float:
    """CPU seconds the check took; raises what it raised, ``Hang`` past ten times the bound in wall
    time, ``Slow`` past the bound in CPU time."""
    limit = bound(case.size, 2 if run.twice else 1) + (STARTUP_SECONDS if case.argv[:1] == ("subprocess",) else 0)
    start = cpu_seconds()
    with alarm(HANG_FACTOR * limit):
        check(case, folder, run)
    elapsed = cpu_seconds() - start
    if elapsed > limit:
        twice = ", audited twice" if run.twice else ""
        raise Slow(f"{elapsed:.2f} s for {case.size:,} bytes{twice} (bound {limit:.1f} s)")
    return elapsed


def signature(exc: BaseException, target: str) -> str:
    """What tells one failure from another: the property broken (or the time bound) and the target,
    or the exception and the line of citecheck it came out of, whatever the target."""
    if isinstance(exc, Violation):
        return f"property {exc.name} ({target})"
    if isinstance(exc, Slow | Hang):
        return f"{type(exc).__name__.lower()} ({target})"
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/citecheck/" in f.filename] or frames
    where = ours[-1] if ours else None
    at = f" at {os.path.relpath(where.filename, ROOT)}:{where.lineno} in {where.name}" if where else ""
    return f"{type(exc).__name__}{at}"


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")[:90]


def save_case(case: fi.Case, folder: Path, note: str, twice: bool = False) -> str:
    """Write a case where it can be replayed; returns the one-line command that replays it."""
    shutil.rmtree(folder, ignore_errors=True)
    case.write(folder / "input")
    meta = {"target": case.target, "files": list(case.files), "bibs": list(case.bibs), "argv": list(case.argv), "twice": twice}
    (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n")
    if case.target == "text" and case.size <= 20_000:
        literal = case.files["input.txt"].decode("utf-8", "surrogatepass")
        (folder / "input.py").write_text(f"TEXT = {literal!r}\n", encoding="utf-8", errors="backslashreplace")
    command = f"cd {ROOT} && PYTHONPATH={ROOT} python3 benchmarks/fuzz.py --replay {folder}"
    (folder / "repro.txt").write_text(command + "\n")
    (folder / "traceback.txt").write_text(note)
    return command


@dataclass
class Failure:
    signature: str
    target: str
    count: int
    size: int
    folder: Path
    command: str
    last_line: str


@dataclass
class Stats:
    """Per target: inputs tried, refused (InputError), not buildable, failing (hypothesis's
    shrinking included), the slowest input and the slowest per MB."""

    tried: int = 0
    refused: int = 0
    unbuilt: int = 0
    failures: int = 0
    seconds: float = 0.0
    slowest: tuple[float, int] = (0.0, 0)
    per_mb: tuple[float, float, int] = (0.0, 0.0, 0)  # seconds per MB, seconds, bytes
    per_mb_case: fi.Case | None = None

    def add(self, elapsed: float, size: int, case: fi.Case) -> None:
        self.tried += 1
        self.seconds += elapsed
        self.slowest = max(self.slowest, (elapsed, size))
        rate = elapsed / (size / 1e6) if size >= PER_MB_FLOOR else 0.0
        if rate > self.per_mb[0]:
            self.per_mb, self.per_mb_case = (rate, elapsed, size), case


@dataclass
class Fuzzer:
    save: Path
    failures: dict[str, Failure] = field(default_factory=dict)
    stats: dict[str, Stats] = field(default_factory=dict)
    turn_end: float = 0.0
    shrink_end: float | None = None
    harness_errors: Counter[str] = field(default_factory=Counter)
    deadline: float = 0.0

    @property
    def current(self) -> Path:
        return self.save / "current"

    def record(self, target: str, case: fi.Case, exc: BaseException, twice: bool) -> None:
        """Keep the failure, its smallest input so far, and say so the first time it is seen."""
        sig = signature(exc, target)
        self.stats[target].failures += 1
        if self.shrink_end is None:
            self.shrink_end = min(self.deadline, time.monotonic() + SHRINK_SECONDS)
        known = self.failures.get(sig)
        if known is not None:
            known.count += 1
            if case.size >= known.size:
                return
        note = "".join(traceback.format_exception(exc))
        folder = self.save / _slug(sig)
        command = save_case(case, folder, f"{sig}\n\n{note}", twice)
        last = note.strip().splitlines()[-1][:300]
        if known is None:
            self.failures[sig] = Failure(sig, target, 1, case.size, folder, command, last)
            print(f"  FAILURE [{target}] {sig}: {last}\n    saved: {command}", flush=True)
        else:
            known.size, known.folder, known.command, known.last_line = case.size, folder, command, last

    def build(self, target: Target, drawn: Any) -> fi.Case | None:
        """The case a recipe makes; an error here is the fuzzer's own, said once and not a failure."""
        try:
            return target.build(drawn)
        except Exception as exc:
            where = signature(exc, target.name)
            if where not in self.harness_errors:
                print(f"  HARNESS ERROR [{target.name}] {where}\n{''.join(traceback.format_exception(exc))}", flush=True)
            self.harness_errors[where] += 1
            return None

    def execute(self, target: Target, drawn: Any) -> None:
        """The body hypothesis calls: build the case, write it, check it, keep what failed."""
        now = time.monotonic()
        if now > (self.turn_end if self.shrink_end is None else self.shrink_end) or now > self.deadline:
            raise TurnOver  # after a failure, hypothesis shrinks it for SHRINK_SECONDS at most
        stats = self.stats[target.name]
        case = self.build(target, drawn)
        if case is None:
            stats.unbuilt += 1
            return
        shutil.rmtree(self.current, ignore_errors=True)
        self.current.mkdir(parents=True)
        case.write(self.current)
        run = Run(twice=zlib.crc32(case.files[case.main]) % 10 == 0)  # the same input is always run alike
        try:
            elapsed = timed_check(target.check, case, self.current, run)
        except Hang as exc:
            self.record(target.name, case, exc, run.twice)
            raise TurnOver from None  # no shrinking: every try would take the full alarm
        except Exception as exc:
            self.record(target.name, case, exc, run.twice)
            raise
        stats.refused += run.refused
        stats.add(elapsed, case.size, case)

    def turn(self, target: Target, until: float, round_seed: int) -> None:
        """Hypothesis runs on the target until its turn is over; after a failure, a new run."""
        self.turn_end = until
        while time.monotonic() < min(until, self.deadline):
            self.shrink_end = None

            @seed(round_seed)
            @settings(
                max_examples=10**9,
                deadline=None,
                database=None,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
                verbosity=Verbosity.quiet,
                report_multiple_bugs=False,
            )
            @given(target.strategy)
            def body(drawn: Any) -> None:
                self.execute(target, drawn)

            with contextlib.suppress(TurnOver, Exception):  # a failure ends the run; it is recorded
                body()
            round_seed += 1


def _limit_memory(mib: int) -> None:
    """A blow-up becomes a MemoryError (a failure like any) instead of swapping the machine."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (mib * 1024 * 1024, hard))


def _isolate(save: Path) -> None:
    """No registry, no user cache, and a working folder where no text names a file."""
    work = save / "cwd"
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(work)
    os.environ["CITECHECK_CACHE_DIR"] = str(save / "cache")
    os.environ["CITECHECK_CROSSREF_URL"] = "http://127.0.0.1:9/crossref-not-in-fuzz"
    os.environ["CITECHECK_OPENALEX_URL"] = "http://127.0.0.1:9/openalex-not-in-fuzz"


def fuzz(names: Sequence[str], seconds: float, save: Path, first_seed: int) -> Fuzzer:
    """Targets take turns until the budget is spent, each turn half the budget shared among the
    targets (10 to 60 s): a long budget comes back to every target, and no target starves the rest."""
    chosen = [targets()[n] for n in names]
    fuzzer = Fuzzer(save, stats={n: Stats() for n in names})
    fuzzer.deadline = time.monotonic() + seconds
    slice_ = min(60.0, max(10.0, seconds / (2 * len(chosen))))
    round_seed = first_seed
    while time.monotonic() < fuzzer.deadline:
        for target in chosen:
            if time.monotonic() >= fuzzer.deadline:
                break
            fuzzer.turn(target, time.monotonic() + slice_, round_seed)
            round_seed += 1000
            s = fuzzer.stats[target.name]
            print(f"{target.name:<10} {s.tried:>7} inputs  {s.failures:>3} failing  {len(fuzzer.failures)} distinct", flush=True)
    return fuzzer


def summary(fuzzer: Fuzzer) -> str:
    lines = [
        "",
        f"{'target':<11}{'inputs':>8}{'refused':>9}{'unbuilt':>9}{'failing':>9}  {'slowest':>18}"
        f"  {'slowest per MB (inputs >= 4 KB)':>34}",
    ]
    for name, s in fuzzer.stats.items():
        slow = f"{s.slowest[0]:.3f} s / {s.slowest[1] / 1024:.0f} KB"
        per = f"{s.per_mb[0]:.2f} s/MB ({s.per_mb[1]:.3f} s, {s.per_mb[2] / 1024:.0f} KB)" if s.per_mb[2] else "-"
        lines.append(f"{name:<11}{s.tried:>8}{s.refused:>9}{s.unbuilt:>9}{s.failures:>9}  {slow:>18}  {per:>34}")
    if fuzzer.harness_errors:
        lines.append(f"\nharness errors (the fuzzer's own, not citecheck's): {dict(fuzzer.harness_errors)}")
    lines.append(f"\n{len(fuzzer.failures)} distinct failures")
    for f in fuzzer.failures.values():
        lines += [
            f"- [{f.target}] {f.signature} (seen {f.count}x, smallest {f.size:,} bytes)",
            f"    {f.last_line}",
            f"    {f.command}",
        ]
    return "\n".join(lines)


def _save_slowest(fuzzer: Fuzzer) -> None:
    for name, s in fuzzer.stats.items():
        if s.per_mb_case is not None:
            save_case(
                s.per_mb_case, fuzzer.save / "slowest" / name, f"slowest per MB: {s.per_mb[1]:.3f} s for {s.per_mb[2]} bytes\n"
            )


def replay(folder: Path) -> int:
    """Run a saved case once, as the fuzzer did, and say what happens."""
    meta = json.loads((folder / "meta.json").read_text())
    files = {n: (folder / "input" / n).read_bytes() for n in meta["files"]}
    case = fi.Case(meta["target"], files, tuple(meta["bibs"]), tuple(meta["argv"]))
    check = targets()[meta["target"]].check if meta["target"] in targets() else check_document
    _isolate(Path(os.environ.get("TMPDIR", "/tmp")) / "fuzz-replay")
    work = folder / "input"
    try:
        elapsed = timed_check(check, case, work, Run(twice=meta.get("twice", False)))
    except (Exception, Hang) as exc:
        traceback.print_exception(exc)
        print(f"\nFAILS: {signature(exc, case.target)}")
        return 1
    print(f"passes: {elapsed:.3f} s for {case.size:,} bytes")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=float(os.environ.get("FUZZ_SECONDS", 180)), help="time budget (FUZZ_SECONDS)")
    p.add_argument("--targets", nargs="+", choices=list(targets()), default=list(targets()))
    p.add_argument("--save", type=Path, default=Path("/tmp/fuzz-failures"), help="where failing inputs are written")
    p.add_argument("--seed", type=int, default=None, help="first hypothesis seed (default: random, printed)")
    p.add_argument("--memory-mib", type=int, default=3072, help="address-space limit of this process")
    p.add_argument("--replay", type=Path, help="run one saved failure again and exit")
    args = p.parse_args(argv)
    if args.replay:
        return replay(args.replay.resolve())
    first_seed = args.seed if args.seed is not None else random.randrange(10**6)
    save = args.save.resolve()
    save.mkdir(parents=True, exist_ok=True)
    _isolate(save)
    _limit_memory(args.memory_mib)
    print(f"fuzzing {', '.join(args.targets)} for {args.seconds:.0f} s, seed {first_seed}; failures to {save}", flush=True)
    fuzzer = fuzz(args.targets, args.seconds, save, first_seed)
    _save_slowest(fuzzer)
    print(summary(fuzzer))
    return 1 if fuzzer.failures else 0


if __name__ == "__main__":
    sys.exit(main())
