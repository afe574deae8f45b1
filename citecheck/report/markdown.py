"""The Markdown renderer: the report for a review form or a pull-request comment.

One section per document: a summary line, then the findings by severity, each problem once with
every place it recurs (``groups.py``), its fix, and the registry's record when ``--verify`` found
one. Text from the manuscript is escaped, so that a citation's asterisks, brackets or HTML read as
written rather than as markup, whatever renders the comment.
"""

from __future__ import annotations

from collections.abc import Sequence

from citecheck.cache import regex
from citecheck.model import Report, Severity
from citecheck.report.groups import group_findings
from citecheck.report.text import place, summary_line
from citecheck.verify.rules import describe

_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}
# Characters that Markdown (CommonMark, GitHub's tables and strikethrough) would read as markup
# within a line: emphasis, code, links and images (their brackets), HTML and entities, table cells.
_MARKUP = regex(r"([\\`*_\[\]<>&|~])")


def escape(text: str) -> str:
    """Text as it reads, on one line, never markup: each special character backslash-escaped."""
    return _MARKUP.sub(r"\\\1", " ".join(text.split()))


def render_markdown(reports: Sequence[Report]) -> str:
    out: list[str] = []
    for report in reports:
        src = report.source
        name = src.path or "<text>"
        out += [f"## citecheck: {escape(name)}", "", summary_line(report), ""]
        for note in src.notes:
            out.append(f"> **Note:** {escape(note)}")
        if src.notes:
            out.append("")
        if not report.findings:
            out += ["No findings.", ""]
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE):
            found = [f for f in report.findings if f.severity is severity]
            if not found:
                continue
            out += [f"### {_HEADINGS[severity]} ({len(found)})", ""]
            for group in group_findings(found):
                f = group[0]
                where = ", ".join(escape(place(src, g.span, name, short=i > 0)) for i, g in enumerate(group))
                repeats = f" ({len(group)} places)" if len(group) > 1 else ""
                out.append(f"- **{f.rule} {f.kind}**: {escape(f.message)}  ")
                out.append(f"  at {where}{repeats}  ")
                if f.evidence is not None:
                    out.append(f"  registry: {escape(describe(f.evidence))}  ")
                if f.suggestion:
                    out.append(f"  *Fix:* {escape(f.suggestion)}")
                out[-1] = out[-1].rstrip()
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
