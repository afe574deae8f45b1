"""The GitHub Actions renderer (``--format github``): one workflow command per finding, which the
runner shows as an annotation on the file and line, and a Markdown summary of the run appended to
the job's summary when ``GITHUB_STEP_SUMMARY`` names its file.

Values are escaped as GitHub's toolkit (``@actions/core``) escapes them: the message's ``%``, CR
and LF; a property's ``:`` and ``,`` too.
"""

from __future__ import annotations

from collections.abc import Sequence

from citecheck.model import Report, Severity
from citecheck.report.data import summary
from citecheck.report.sarif import full_message, located

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "notice"}
SUMMARY_ROWS = 1000  # a job summary holds 1 MiB: a book's findings past this are counted, not listed


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(reports: Sequence[Report]) -> str:
    out = []
    for report in reports:
        for f, place, _ in located(report):
            props = [("file", place["file"] or report.source.path or "<text>")]
            if place["line"] is not None:
                props += [("line", place["line"]), ("col", place["column"]), ("endLine", place["end_line"])]
                if place["end_line"] == place["line"]:
                    props.append(("endColumn", place["end_column"]))
            props.append(("title", f"{f.rule} {f.kind}"))
            properties = ",".join(f"{k}={escape_property(str(v))}" for k, v in props)
            out.append(f"::{COMMANDS[f.severity]} {properties}::{escape_data(full_message(f))}\n")
    return "".join(out)


def step_summary(reports: Sequence[Report]) -> str:
    """The job summary: the counts by severity of each document, then a table of the findings."""
    out = ["## citecheck", "", "| document | errors | warnings | notes |", "| --- | ---: | ---: | ---: |"]
    for report in reports:
        s = summary(report)
        out.append(f"| {_cell(report.source.path or '<text>')} | {s['errors']} | {s['warnings']} | {s['notes']} |")
    rows, total = [], 0
    for report in reports:
        for f, place, _ in located(report):
            total += 1
            if len(rows) < SUMMARY_ROWS:
                where = place["file"] or report.source.path or "<text>"
                if place["line"] is not None:
                    where += f":{place['line']}"
                rows.append(f"| {_cell(where)} | {f.rule} `{f.kind}` ({f.severity}) | {_cell(full_message(f))} |")
    out.append("")
    if rows:
        out += ["| where | rule | message |", "| --- | --- | --- |", *rows]
        if total > len(rows):
            out += ["", f"... and {total - len(rows):,} more findings: see the annotations or the full report."]
    else:
        out.append("No findings.")
    return "\n".join(out) + "\n"


def append_step_summary(reports: Sequence[Report], path: str) -> None:
    """Add the summary to the job's summary file, after what earlier steps wrote there."""
    text = step_summary(reports)
    with open(path, "a", encoding="utf-8") as fh:
        if fh.tell():
            text = "\n" + text
        fh.write(text)


def _cell(text: str) -> str:
    """Text for a Markdown table cell: one line, no column break, no HTML."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
