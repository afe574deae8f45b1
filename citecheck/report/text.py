"""The text renderer: findings grouped by severity, each with where it is, what it says and the fix."""

from __future__ import annotations

from collections.abc import Sequence

from citecheck.model import Report, Severity
from citecheck.report.data import summary
from citecheck.verify.rules import describe

_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}


def render_text(reports: Sequence[Report]) -> str:
    out: list[str] = []
    for report in reports:
        src = report.source
        name = src.path or "<text>"
        for note in src.notes:
            out.append(f"{name}: note: {note}")
        for severity in (Severity.ERROR, Severity.WARNING, Severity.NOTE):
            group = [f for f in report.findings if f.severity is severity]
            if not group:
                continue
            out.append(f"{_HEADINGS[severity]} ({len(group)})")
            for f in group:
                where = name
                if f.span is not None:
                    line, col = src.position(f.span.start)
                    page, paragraph = src.page(f.span.start), src.paragraph(f.span.start)
                    where = f"{src.file(f.span.start) or name}:{line}:{col}" + (
                        f" (page {page})" if page else f" (paragraph {paragraph})" if paragraph else ""
                    )
                out.append(f"  {where}: {f.rule} {f.kind}: {f.message}")
                if f.evidence is not None:
                    out.append(f"      evidence: {describe(f.evidence)}")
                if f.suggestion:
                    out.append(f"      fix: {f.suggestion}")
            out.append("")
        s = summary(report)
        dropped = [f"{s[k]} {k}" for k in ("suppressed", "baselined") if s.get(k)]
        suppressed = f" ({', '.join(dropped)})" if dropped else ""
        out.append(
            f"{name}: {s['citations']} citations, {s['references']} references, {s['errors']} errors, {s['warnings']} warnings"
            + suppressed
        )
    return "\n".join(out) + "\n"
