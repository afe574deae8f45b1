"""The command line: ``citecheck audit`` and ``citecheck rules``.

Exit codes: 0 nothing reached ``--fail-on``; 1 something did; 2 unusable input or a usage error
(an input of several that cannot be read, after the others are audited and reported); 3 an
internal error (a bug). Failures are always one line on stderr, never a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

from citecheck import __version__
from citecheck.errors import CitecheckError, InputError
from citecheck.readers import FORMATS

if TYPE_CHECKING:
    from citecheck.batch import Render
    from citecheck.model import Rendered, Report, Severity, Unreadable
    from citecheck.verify.client import Settings

# The pipeline, the rules and the renderers are imported by the commands that use them, so that
# ``citecheck --version`` and ``--help`` start as fast as click does.

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citecheck")
def main() -> None:
    """Audit the author-date citations of a manuscript against its reference list."""


def verify_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options that configure registry look-ups, shared by ``audit --verify`` and ``verify``."""
    options = [
        click.option("--mailto", metavar="EMAIL", help="Contact address sent to the registries (or CITECHECK_MAILTO)."),
        click.option("--crossref-url", metavar="URL", help="Crossref API base URL (or CITECHECK_CROSSREF_URL)."),
        click.option("--openalex-url", metavar="URL", help="OpenAlex API base URL (or CITECHECK_OPENALEX_URL)."),
        click.option("--datacite-url", metavar="URL", help="DataCite API base URL (or CITECHECK_DATACITE_URL)."),
        click.option(
            "--concurrency", type=click.IntRange(1, 16), default=4, show_default=True, help="Requests in flight at most."
        ),
        click.option(
            "--timeout", type=click.FloatRange(0.1, 300), default=10.0, show_default=True, help="Seconds to wait for an answer."
        ),
        click.option(
            "--batch",
            type=click.IntRange(1, 100),
            default=20,
            show_default=True,
            help="DOIs looked up in one request (1: each alone).",
        ),
        click.option(
            "--cache-ttl", type=click.FloatRange(0), default=30.0, show_default=True, help="Days a cached answer stays valid."
        ),
        click.option(
            "--retractions",
            type=click.Path(dir_okay=False),
            metavar="FILE",
            help="A local copy of the Retraction Watch CSV, read for every verified work's notices.",
        ),
        click.option("--refresh", is_flag=True, help="Ask the registries again, ignoring cached answers."),
        click.option("--offline", is_flag=True, help="Use cached answers only; send nothing."),
        click.option("--no-cache", is_flag=True, help="Neither read nor write the cache."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(kw: dict[str, Any]) -> Settings:
    import pathlib

    from citecheck.verify.client import (
        Settings,  # imports requests: only when verifying
        missing_credentials,
    )

    base = Settings()
    settings = Settings(
        crossref_url=kw["crossref_url"] or base.crossref_url,
        openalex_url=kw["openalex_url"] or base.openalex_url,
        datacite_url=kw["datacite_url"] or base.datacite_url,
        mailto=kw["mailto"] or base.mailto,
        openalex_key=base.openalex_key,
        concurrency=kw["concurrency"],
        timeout=kw["timeout"],
        batch=kw["batch"],
        cache=not kw["no_cache"],
        cache_ttl_days=kw["cache_ttl"],
        refresh=kw["refresh"],
        offline=kw["offline"],
        retractions=pathlib.Path(kw["retractions"]) if kw["retractions"] else None,
    )
    if settings.retractions is not None:
        from citecheck.verify.retractions import check_file

        check_file(settings.retractions)  # refused in one line before anything is asked
    for missing in missing_credentials(settings):
        click.echo(f"citecheck: warning: {missing}", err=True)
    return settings


def _verified(verifications: Sequence[Any]) -> None:
    """On a terminal, the run's verdicts counted, once the references are verified."""
    if verifications and sys.stderr.isatty():
        from citecheck.verify.verdicts import verdict_counts

        click.echo(f"citecheck: {verdict_counts(verifications)}", err=True)


def _emit(
    reports: list[Report],
    fmt: str,
    output: str | None,
    fail_on: str,
    failures: Sequence[tuple[int, Unreadable]] = (),
    seconds: float | None = None,
) -> None:
    """Write the report; exit 1 when a finding reaches ``fail_on``. The inputs that could not be
    read (``failures``, each after so many reports) have a line of their own in JSON Lines, and
    are told in the text's summary of a run over several (with its time, ``seconds``)."""
    threshold = _threshold(fail_on)
    rendered = _rendered(reports, fmt, threshold, output, [f for _, f in failures], seconds)
    if fmt == "jsonl" and failures:
        from citecheck.report.jsonl import with_failures

        rendered = with_failures(rendered, failures)
    if output:
        _write_atomically(output, rendered)
    else:
        for chunk in rendered:
            click.echo(chunk, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        _append_step_summary(reports, os.environ["GITHUB_STEP_SUMMARY"])
    if not failures and threshold is not None and any(f.severity >= threshold for r in reports for f in r.findings):
        sys.exit(EXIT_FINDINGS)


def _threshold(fail_on: str) -> Severity | None:
    """The least severity that fails the run (``--fail-on``); None for ``never``."""
    from citecheck.model import Severity

    return {"error": Severity.ERROR, "warning": Severity.WARNING, "note": Severity.NOTE}.get(fail_on)


def _unreadable_line(failure: Unreadable) -> str:
    """The error line of an input of a batch that could not be audited."""
    return f"citecheck: error: {failure.path}: {failure.reason}; the other inputs are audited"


def _rendered(
    reports: list[Report],
    fmt: str,
    threshold: Severity | None,
    output: str | None,
    failures: Sequence[Unreadable] = (),
    seconds: float | None = None,
) -> Iterable[str]:
    """The report in pieces, each renderer imported only when it is the one asked for."""
    if fmt == "json":
        from citecheck.report.jsondoc import json_chunks

        # JSON is written as it is made, a few hundred citations at a time: a book's report is
        # never held whole in memory.
        return json_chunks(reports)
    if fmt == "jsonl":
        from citecheck.report.jsonl import jsonl_lines

        return jsonl_lines(reports, threshold)
    if fmt == "sarif":
        from citecheck.report.sarif import sarif_chunks

        return sarif_chunks(reports)
    if fmt == "github":
        from citecheck.report.github import render_github

        return [render_github(reports)]
    if fmt == "gitlab":
        from citecheck.report.gitlab import gitlab_chunks

        return gitlab_chunks(reports)
    if fmt == "junit":
        from citecheck.report.junit import render_junit

        return [render_junit(reports, threshold)]
    if fmt == "html":
        from citecheck.report.html import render_html

        return [render_html(reports)]
    if fmt == "markdown":
        from citecheck.report.markdown import render_markdown

        return [render_markdown(reports)]
    from citecheck.report.text import render_text

    # Colour on a terminal only, and never when NO_COLOR is set (https://no-color.org).
    colour = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    return [render_text(reports, colour=colour, failures=failures, seconds=seconds)]


def _append_step_summary(reports: list[Report], path: str) -> None:
    """GitHub's job summary: added to what the job's earlier steps wrote, never written over. A
    summary that cannot be written is a warning: the annotations are out, the exit code stands."""
    from citecheck.report.github import append_step_summary

    try:
        append_step_summary(reports, path)
    except OSError as exc:
        click.echo(f"citecheck: warning: {path}: the job summary could not be written ({exc.strerror or exc})", err=True)


FORMATS_OUT = ["text", "json", "jsonl", "sarif", "github", "gitlab", "junit", "html", "markdown"]
# --format and --fail-on have no click default: a configuration file's value applies when the
# command line gives none (docs/config.md), and the defaults, text and error, when neither does.
_FORMAT = click.option("--format", "fmt", type=click.Choice(FORMATS_OUT), help="Report format (see docs/ci.md)  [default: text]")
_OUTPUT = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the report to this file (an existing one is replaced, whole).",
)
_FAIL = click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "note", "never"]),
    help="Exit 1 when a finding of this severity or worse is reported.  [default: error]",
)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_FORMAT
@_OUTPUT
@_FAIL
@click.option(
    "--files-from", "files_from", metavar="FILE", help="Also audit the files this list names, one a line ('-': standard input)."
)
@click.option(
    "--exclude", multiple=True, metavar="GLOB", help="Leave out files matching this pattern (path or name); repeatable."
)
@click.option(
    "--jobs",
    "jobs_count",
    type=click.IntRange(1, 256),
    metavar="N",
    help="Audit several manuscripts in N processes at once  [default: every core].",
)
@click.option(
    "--timeout-per-file",
    "file_timeout",
    type=click.FloatRange(0, min_open=True),
    metavar="SECONDS",
    help="Stop a manuscript's audit after this long and tell it as not audited; the others go on.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    help="Where the manuscripts are audited: processes here, or a Dask cluster (docs/scale.md).  [default: local]",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Audit on the Dask cluster of this scheduler (tcp://host:8786); implies --engine dask.",
)
@click.option("--select", multiple=True, help="Run only these rules (code, code prefix or name); repeatable.")
@click.option("--ignore", multiple=True, help="Skip these rules (code, code prefix or name); repeatable.")
@click.option("--from", "fmt_in", type=click.Choice(list(FORMATS)), help="Read the inputs as this format.")
@click.option(
    "--bib",
    "bibs",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=str),
    help="Also audit against this bibliography (BibTeX, CSL-JSON or RIS); repeatable.",
)
@click.option("--verify", is_flag=True, help="Also check the references with Crossref and OpenAlex (sends reference metadata).")
@click.option(
    "--config", "config_file", metavar="FILE", help="Read the settings from this file, not from the nearest one (docs/config.md)."
)
@click.option("--isolated", is_flag=True, help="Read no configuration file.")
@click.option(
    "--stdin-filename", metavar="NAME", help="The name of the manuscript read from '-' (gives its format, folder and settings)."
)
@click.option("--baseline", "baseline", metavar="FILE", help="Report only the findings this baseline does not hold.")
@click.option(
    "--write-baseline", "write_baseline", metavar="FILE", help="Write every finding of this run to FILE as the baseline."
)
@click.option(
    "--annotate",
    "annotate",
    metavar="OUT",
    help="Write a copy of the DOCX or PDF manuscript with a comment or highlight on each finding (docs/report-format.md).",
)
@verify_options
def audit(
    paths: Sequence[str],
    fmt: str | None,
    output: str | None,
    fail_on: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    fmt_in: str | None,
    bibs: Sequence[str],
    verify: bool,
    config_file: str | None,
    isolated: bool,
    baseline: str | None,
    write_baseline: str | None,
    stdin_filename: str | None,
    annotate: str | None,
    files_from: str | None,
    exclude: Sequence[str],
    jobs_count: int | None,
    file_timeout: float | None,
    engine: str,
    scheduler: str | None,
    **kw: Any,
) -> None:
    """Audit manuscripts (plain text, Markdown, PDF, DOCX, LaTeX, JATS): files, folders (every
    manuscript below), quoted globs ('**/*.tex') and lists of paths (--files-from)."""
    from citecheck.config import config_for
    from citecheck.inputs import expand
    from citecheck.model import Report
    from citecheck.rules import select_rules
    from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers the CC3xx rules before any is selected)

    if files_from is not None:
        paths = [*paths, *_listed(files_from, "-" in paths)]
    if not paths:
        raise click.UsageError("name the manuscripts to audit (files, folders, globs or --files-from FILE)")
    paths = expand(paths, exclude)
    stdin = _read_stdin(paths, stdin_filename)
    name = stdin_filename or "<stdin>"
    paths = [name if p == "-" else p for p in _through_users(paths)]
    if not paths:
        return
    # Each input's settings: the nearest configuration file's (or --config's), the command line's over them.
    # An archive's files share a few settings: each is made once, and so is each set of rules.
    merged: dict[int, tuple[Any, Any]] = {}
    rule_sets: dict[tuple[tuple[str, ...], tuple[str, ...]], Any] = {}
    configs, selected = [], []
    for p in paths:
        base = config_for(p, config_file, isolated)
        if id(base) not in merged:
            merged[id(base)] = (base, base.merged(select=select, ignore=ignore, bib=bibs))
        cfg = merged[id(base)][1]
        ignored = tuple(cfg.ignores_for(p))
        if (cfg.select, ignored) not in rule_sets:
            rules = select_rules(cfg.select, ignored)
            if (cfg.select or ignored) and not rules:
                where = "--select/--ignore" if select or ignore else f"the settings of {cfg.path}"
                raise click.UsageError(f"{where} leave no rule to run for {p}; see 'citecheck rules'")
            rule_sets[(cfg.select, ignored)] = rules
        configs.append(cfg)
        selected.append(rule_sets[(cfg.select, ignored)])
    # The report's format and the failing severity are one for the run: the first input's settings give them.
    fmt = fmt or configs[0].format or "text"
    fail_on = fail_on or configs[0].fail_on or "error"
    bib_files = dict.fromkeys(b for _, cfg in merged.values() for b in cfg.bib)
    inputs = [*paths, *bib_files, *([baseline] if baseline else [])]
    _check_output(output, inputs)
    _check_output(write_baseline, inputs)
    _check_output(annotate, inputs)
    named = [n for n in (output, write_baseline, annotate) if n]
    if len({os.path.realpath(n) for n in named}) < len(named):
        raise CitecheckError(f"{named[-1]}: named for two of the outputs (--output, --write-baseline, --annotate)")
    if annotate and len(paths) > 1:
        raise click.UsageError("--annotate writes the copy of one manuscript; give one input")
    accepted = None
    if baseline:
        from citecheck.baseline import load_baseline

        accepted = load_baseline(baseline)
    if kw["retractions"] is not None and not verify:
        raise click.UsageError("--retractions is read with --verify (add --offline to ask no registry)")
    settings = _settings(kw) if verify else None
    workers = jobs_count or os.cpu_count() or 1
    dask = engine == "dask" or scheduler is not None
    if dask and (stdin is not None or settings is not None):
        raise click.UsageError("the Dask engine audits files the workers read, without --verify; not '-' or --verify")
    started = time.monotonic()
    # Told a document at a time as they are done: a run over an archive holds only those in flight.
    streamed = fmt in ("jsonl", "text") and not write_baseline and accepted is None and not annotate
    colour = fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    if dask or (stdin is None and settings is None and ((workers > 1 and len(paths) > 1) or file_timeout)):
        # Streamed, each worker writes its document's part of the report and sends that back.
        render = (fmt, _threshold(fail_on), colour, len(paths) > 1) if streamed else None
        results = _pool_results(paths, configs, fmt_in, workers, file_timeout, render, scheduler if dask else None, dask)
    else:
        results = _local_results(paths, selected, configs, fmt_in, stdin, name, settings, file_timeout)
    # Each manuscript once, with its settings' severities; an input that could not be read is told
    # on stderr as it is met; progress on a terminal.
    results = _told(results, configs, _batch_progress(len(paths)) if settings is None else None)
    if streamed:
        _stream(results, fmt, output, fail_on, len(paths) > 1, started, colour)
        return
    reports: list[Report] = []
    failures: list[tuple[int, Unreadable]] = []
    for result in results:
        if isinstance(result, Report):
            reports.append(result)
        else:
            failures.append((len(reports), result))
    # The report never replaces a file a manuscript reads (its .bib, its \input files).
    _check_output(output, [part.path for r in reports for part in r.source.parts])
    if annotate:
        from citecheck.annotate import FORMATS as ANNOTATED

        source = reports[0].source
        if source.format not in ANNOTATED:
            raise CitecheckError(f"{source.path}: --annotate takes a DOCX or PDF manuscript, not {source.format}")
    if write_baseline:
        from citecheck.baseline import baseline_chunks, load_baseline

        # The findings of this run become the baseline, and the report is read against it.
        _write_atomically(write_baseline, baseline_chunks(reports))
        accepted = load_baseline(write_baseline)
    if accepted is not None:
        from citecheck.baseline import apply_baseline

        reports = [apply_baseline(r, accepted) for r in reports]
    if annotate:
        _annotate(reports[0], annotate)
    _verified([v for r in reports for v in r.verifications or ()])
    _emit(reports, fmt, output, fail_on, failures, time.monotonic() - started)
    if failures:
        sys.exit(EXIT_USAGE)


def _local_results(
    paths: Sequence[str],
    selected: Sequence[Any],
    configs: Sequence[Any],
    fmt_in: str | None,
    stdin: bytes | None,
    name: str,
    settings: Settings | None,
    timeout: float | None,
) -> Iterator[Report | Unreadable]:
    """Each input read and audited in this process, one after another; an input of several that
    cannot be read is an ``Unreadable``, one alone the run's error."""
    from citecheck.batch import DeadlinePassed, deadline, timed_out
    from citecheck.model import Unreadable
    from citecheck.pipeline import audit_source
    from citecheck.readers import read_document

    for p, rules, cfg in zip(paths, selected, configs, strict=True):
        try:
            with deadline(timeout):
                source = read_document(p, fmt_in, cfg.bib, stdin if stdin is not None and p == name else None)
                report = audit_source(source, rules, settings, _progress() if settings is not None else None)
        except InputError as exc:
            if len(paths) == 1:  # one manuscript: its error is the run's
                raise
            # One file of many that cannot be read stops nothing: it is told, and the others audited.
            yield Unreadable(p, str(exc).removeprefix(f"{p}: "))
            continue
        except DeadlinePassed:
            yield Unreadable(p, timed_out(timeout or 0), "timeout")
            continue
        yield report


def _pool_results(
    paths: Sequence[str],
    configs: Sequence[Any],
    fmt_in: str | None,
    workers: int,
    timeout: float | None,
    render: Render | None,
    scheduler: str | None = None,
    dask: bool = False,
) -> Iterator[Report | Rendered | Unreadable]:
    """The inputs audited in ``workers`` processes (``batch``), or on a Dask cluster, each with its
    own settings, in input order as they are done; written there, with ``render``."""
    tasks = [
        (p, tuple(cfg.select), tuple(cfg.ignores_for(p)), fmt_in, tuple(cfg.bib), timeout, tuple(cfg.severity.items()), render)
        for p, cfg in zip(paths, configs, strict=True)
    ]
    if dask:
        from citecheck.dask_engine import dask_results

        return dask_results(tasks, workers, scheduler)
    from citecheck.batch import audit_tasks

    return audit_tasks(tasks, workers)


def _told(
    results: Iterable[Report | Rendered | Unreadable], configs: Sequence[Any], progress: _BatchProgress | None
) -> Iterator[Report | Rendered | Unreadable]:
    """The results with their settings' severities, a manuscript reached twice (a chapter and its
    root) once; an input that could not be audited is told on stderr as it comes."""
    from citecheck.batch import with_severities
    from citecheck.model import Report, Unreadable

    seen: set[str] = set()
    for result, cfg in zip(results, configs, strict=True):
        if isinstance(result, Unreadable):
            if len(configs) == 1:
                raise InputError(f"{result.path}: {result.reason}")  # one manuscript: its error is the run's
            line = _unreadable_line(result)
            if progress is not None:
                progress.bar.write(line, file=sys.stderr)  # above the progress line, which is drawn again
            else:
                click.echo(line, err=True)
        if progress is not None:
            progress.update(result)
        if isinstance(result, Unreadable):
            yield result
            continue
        path = result.source.path if isinstance(result, Report) else result.path
        key = os.path.realpath(path) if path else str(id(result))
        if key not in seen:
            seen.add(key)
            # A worker that wrote the report applied them already (Rendered).
            yield with_severities(result, cfg.severity) if isinstance(result, Report) else result


class _BatchProgress:
    """A batch's progress line on a terminal (stderr): files done, rate, time left, and the
    files that could not be read so far; tqdm draws it."""

    def __init__(self, total: int) -> None:
        from tqdm import tqdm

        self.bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True, leave=False)
        self.unreadable = 0

    def update(self, result: object) -> None:
        from citecheck.model import Unreadable

        if isinstance(result, Unreadable):
            self.unreadable += 1
            self.bar.set_postfix_str(f"{self.unreadable} unreadable")
        self.bar.update(1)
        if self.bar.n >= (self.bar.total or 0):
            self.bar.close()


def _batch_progress(total: int) -> _BatchProgress | None:
    """Progress only for a person watching: stderr a terminal, several files; nothing on a pipe."""
    return _BatchProgress(total) if total > 1 and sys.stderr.isatty() else None


def _stream(
    results: Iterable[Report | Rendered | Unreadable],
    fmt: str,
    output: str | None,
    fail_on: str,
    several: bool,
    started: float,
    colour: bool,
) -> None:
    """JSON Lines or text written a document at a time as they are done, so that a run over an
    archive holds only the documents in flight (text ends with the run's summary); then the exit
    code of the whole. A document a worker wrote (``Rendered``) is written as it came."""
    from citecheck.batch import rendered
    from citecheck.model import Report, Unreadable
    from citecheck.report.text import Tally

    threshold = _threshold(fail_on)
    seen = {"findings": False, "unreadable": False, "written": False}
    tally = Tally()
    verified: list[Any] = []  # the verdicts of --verify, counted at the end

    def lines() -> Iterator[str]:
        for item in results:
            tally.add(item)
            if isinstance(item, Unreadable):
                seen["unreadable"] = True  # its error line is out already (_told)
                if fmt == "jsonl":
                    from citecheck.report.jsonl import failure_line

                    yield failure_line(item)
                continue
            if isinstance(item, Report) and item.verifications:
                verified.extend(item.verifications)
            done = rendered(item, fmt, threshold, colour, several) if isinstance(item, Report) else item
            # The report never replaces a file a manuscript reads (its .bib, its \input files).
            _check_output(output, done.parts)
            seen["findings"] |= done.failed
            # The first document's header has no blank line above it.
            yield done.text if seen["written"] else done.text.removeprefix("\n")
            seen["written"] = True
        if fmt == "text" and several:
            yield tally.render(time.monotonic() - started, colour)

    if output:
        _write_atomically(output, lines())
    else:
        for line in lines():
            click.echo(line, nl=False)
    _verified(verified)
    if seen["unreadable"]:
        sys.exit(EXIT_USAGE)
    if seen["findings"]:
        sys.exit(EXIT_FINDINGS)


def _annotate(report: Report, out: str) -> None:
    """The annotated copy of the manuscript, written whole or not at all."""
    from citecheck.annotate import annotated

    data, _ = annotated(report)
    _write_atomically(out, data, what="annotated copy")


def _listed(name: str, stdin_taken: bool) -> list[str]:
    """The paths a --files-from list names."""
    from citecheck.inputs import files_from

    if name == "-":
        if stdin_taken:
            raise click.UsageError("standard input holds either a manuscript ('-') or the list (--files-from -), not both")
        return files_from(sys.stdin, "standard input")
    try:
        with open(name, encoding="utf-8", errors="surrogateescape") as fh:
            return files_from(fh, name)
    except (OSError, UnicodeError) as exc:
        raise CitecheckError(f"{name}: the list of files cannot be read ({getattr(exc, 'strerror', None) or exc})") from None


def _read_stdin(paths: Sequence[str], name: str | None) -> bytes | None:
    """The manuscript given as '-', read whole from standard input (at most the file size limit)."""
    from citecheck.read import MAX_BYTES

    if "-" not in paths:
        if name:
            raise click.UsageError("--stdin-filename names the manuscript read from '-'; give '-' as the input")
        return None
    if list(paths).count("-") > 1:
        raise click.UsageError("'-' (standard input) can be given once")
    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise CitecheckError(f"standard input: larger than the {MAX_BYTES // 2**20} MiB limit")
    return data


_MANUSCRIPTS = (".tex", ".md", ".markdown", ".qmd", ".rmd")


def _through_users(paths: Sequence[str]) -> list[str]:
    """The inputs to audit: a .bib file given alone (pre-commit passes the files a commit changed)
    is audited through the manuscripts of its own folder that name it, each manuscript once."""
    out: list[str] = []
    for p in paths:
        if not p.lower().endswith(".bib"):
            out.append(p)
            continue
        users = _users_of(p)
        if not users:
            click.echo(f"citecheck: note: {p}: no manuscript in its folder names this bibliography; not audited", err=True)
        out.extend(users)
    seen: set[str] = set()
    unique = []
    for p in out:
        real = os.path.realpath(p)
        if real not in seen:
            seen.add(real)
            unique.append(p)
    return unique


def _users_of(bib: str) -> list[str]:
    """The manuscripts beside a bibliography that name it: "\\bibliography{refs}",
    "\\addbibresource{refs.bib}", "bibliography: refs.bib" in a front matter."""
    import re

    folder = os.path.dirname(bib) or "."
    name = os.path.basename(bib)
    stem = os.path.splitext(name)[0]
    named = re.compile(rf"(?<![\w.-])(?:{re.escape(name)}|{re.escape(stem)})(?![\w-]|\.\w)")
    users = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []
    for entry in entries:
        if not entry.name.lower().endswith(_MANUSCRIPTS) or not entry.is_file() or entry.stat().st_size > 10 * 1024 * 1024:
            continue
        try:
            with open(entry.path, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except OSError:
            continue
        for line in text.splitlines():
            if ("bibliography" in line or "addbibresource" in line or line.lstrip().startswith("- ")) and named.search(line):
                users.append(os.path.join(os.path.dirname(bib), entry.name))
                break
    return users


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=str))
@_FORMAT
@_OUTPUT
@_FAIL
@verify_options
def verify(paths: Sequence[str], fmt: str | None, output: str | None, fail_on: str | None, **kw: Any) -> None:
    """Check a bibliography (BibTeX, CSL-JSON, RIS) with Crossref and OpenAlex."""
    from citecheck.pipeline import verify_bibliography

    _check_output(output, paths)
    settings = _settings(kw)
    reports = [verify_bibliography(p, settings, _progress()) for p in paths]
    _verified([v for r in reports for v in r.verifications or ()])
    _emit(reports, fmt or "text", output, fail_on or "error")


def _progress() -> Callable[[int, int], None]:
    """A progress line for the references of one document being verified (on a terminal only)."""
    from citecheck.verify.verdicts import TerminalProgress

    return TerminalProgress()


def _check_output(output: str | None, paths: Sequence[str]) -> None:
    """The report goes to a new or a regular file that is none of the inputs, links resolved."""
    if not output:
        return
    if os.path.isdir(output):
        raise CitecheckError(f"{output}: is a directory; name a file for the report")
    real = os.path.realpath(output)
    if any(real == os.path.realpath(p) for p in paths if p):
        raise CitecheckError(f"{output}: refusing to overwrite an input file")


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True)
def rules(fmt: str) -> None:
    """List every rule with its code, name, default severity and summary."""
    from citecheck.rules import all_rules
    from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers the CC3xx rules)

    if fmt == "markdown":
        click.echo(rules_markdown(), nl=False)
        return
    for r in all_rules():
        click.echo(f"{r.code}  {r.name:<22} {r.severity!s:<8} {r.summary}")


def rules_markdown() -> str:
    """The rule reference in docs/rules.md, generated from the rules' docstrings."""
    from citecheck.rules import all_rules
    from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers the CC3xx rules)

    out = ["# Rules", "", "Generated by `citecheck rules --format markdown`; do not edit by hand.", ""]
    out += ["| code | name | severity | summary |", "| --- | --- | --- | --- |"]
    out += [f"| {r.code} | `{r.name}` | {r.severity} | {r.summary} |" for r in all_rules()]
    for r in all_rules():
        out += ["", f"## {r.code} `{r.name}` ({r.severity})", ""]
        body = r.doc.splitlines()[1:]
        for line in body:
            line = line.strip()
            for head in ("Flags:", "Why:", "Example:", "Limits:"):
                if line.startswith(head):
                    line = f"**{head[:-1]}**: {line[len(head) :].strip()}"
                    if out[-1] != "":
                        out.append("")
            if line:
                out.append(line)
    return "\n".join(out) + "\n"


def _write_atomically(path: str, data: Iterable[str] | bytes, what: str = "report") -> None:
    """Write the report (text pieces) or a copy (bytes) whole or not at all: to a temporary file
    beside it, then renamed over it. A symbolic link keeps pointing where it did (its target is
    written), and a pipe or a device ("/dev/null", "/dev/stdout") is written into, never replaced
    by a regular file."""
    path = os.path.realpath(path)
    binary = isinstance(data, bytes)
    pieces = [data] if isinstance(data, bytes) else data
    if os.path.exists(path) and not os.path.isfile(path):
        try:
            with open(path, "wb") if binary else open(path, "w", encoding="utf-8") as fh:
                fh.writelines(pieces)
        except OSError as exc:
            raise CitecheckError(f"{path}: the {what} could not be written ({exc.strerror})") from None
        return
    directory = os.path.dirname(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".citecheck-", dir=directory)
    except OSError as exc:
        raise CitecheckError(f"{path}: cannot write the {what} there ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(pieces)
        # mkstemp makes the file 0600; a report is a normal file: the mode of the file it replaces,
        # else what the umask gives any new file.
        os.chmod(tmp, _new_file_mode(path))
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a quota: the report would be cut off
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise CitecheckError(f"{path}: the {what} could not be written ({exc.strerror}); nothing was written") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _new_file_mode(path: str) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _stop_on_signal(signum: int, frame: object) -> None:
    # A termination request ends the run as an exception does, so that a report being written is
    # not left behind as a temporary file; the exit code is the shell's for that signal.
    raise SystemExit(128 + signum)


def run(argv: Sequence[str] | None = None) -> int:
    """Entry point: turns every expected failure into one line on stderr and exit code 2."""
    # The pipeline makes many small objects and few reference cycles: collecting every 700
    # allocations (Python's default) took 6% of a book's audit for nothing.
    gc.set_threshold(50_000, 20, 100)
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), _stop_on_signal)
    try:
        main.main(args=list(argv) if argv is not None else None, prog_name="citecheck", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.UsageError as exc:
        click.echo(f"citecheck: error: {exc.format_message()}", err=True)
        return EXIT_USAGE
    except click.Abort:
        click.echo("citecheck: aborted", err=True)
        return EXIT_USAGE
    except CitecheckError as exc:
        click.echo(f"citecheck: error: {exc}", err=True)
        return EXIT_USAGE
    except OSError as exc:
        click.echo(f"citecheck: error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        return EXIT_USAGE
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except Exception as exc:  # a bug in citecheck: still one line, and a code of its own
        click.echo(f"citecheck: internal error: {type(exc).__name__}: {exc} (please report this)", err=True)
        return EXIT_INTERNAL
    return EXIT_OK
