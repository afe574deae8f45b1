"""Writing a ``Report``: the JSON document (schema ``citecheck-report/1``) and the text report.

This is the only place where offsets become lines and columns. Renderers are small functions of
the same report; the command line picks one by ``--format``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from citecheck import __version__
from citecheck.model import Finding, Locator, Record, Report, Severity, Source, Verification
from citecheck.verify.rules import describe

SCHEMA = "citecheck-report/1"


def _locator(loc: Locator | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"kind": loc.kind, "first": loc.first, "last": loc.last}


def to_dict(report: Report) -> dict[str, Any]:
    src = report.source
    cited_by: dict[int, list[str]] = {}
    citations = []
    for i, (c, link) in enumerate(zip(report.citations, report.links, strict=True)):
        line, col = src.position(c.span.start)
        if link.reference is not None:
            cited_by.setdefault(link.reference, []).append(f"c{i + 1}")
        citations.append(
            {
                "id": f"c{i + 1}",
                "start": c.span.start,
                "end": c.span.end,
                "line": line,
                "column": col,
                "page": src.page(c.span.start),
                "paragraph": src.paragraph(c.span.start),
                "text": c.text,
                "authors": list(c.authors),
                "et_al": c.etal,
                "year": c.year,
                "locator": _locator(c.locator),
                "narrative": c.narrative,
                "reference": link.reference,
                "link": link.status.value,
                "candidates": [{"reference": k.reference, "score": k.score} for k in link.candidates],
            }
        )
    verdicts = {v.reference: _verification(v) for v in report.verifications or ()}
    references: list[dict[str, Any]] = []
    for i, r in enumerate(report.references):
        line, col = src.position(r.span.start)
        references.append(
            {
                "id": f"r{i + 1}",
                "start": r.span.start,
                "end": r.span.end,
                "line": line,
                "page": src.page(r.span.start),
                "paragraph": src.paragraph(r.span.start),
                "text": r.text,
                "authors": [a.family for a in r.authors],
                "initials": [a.initials for a in r.authors],
                "et_al": r.etal,
                "year": r.year_label or None,
                "title": r.title,
                "container": r.container,
                "volume": r.volume,
                "issue": r.issue,
                "pages": {"first": r.pages.first, "last": r.pages.last} if r.pages else None,
                "doi": r.doi,
                "url": r.url,
                "type": r.kind,
                "cited_by": cited_by.get(i, []),
            }
        )
        if report.verifications is not None:
            references[-1]["verification"] = verdicts.get(i, {"status": "skipped", "detail": "no title or DOI to look up"})
    findings = [_finding(report, f) for f in report.findings]
    return {
        "schema": SCHEMA,
        "tool": {"name": "citecheck", "version": __version__},
        "document": {
            "path": src.path,
            "characters": len(src.text),
            "encoding": src.encoding,
            "notes": list(src.notes),
            "reference_list": (
                {"start": report.reference_list.start, "end": report.reference_list.end} if report.reference_list else None
            ),
        },
        "citations": citations,
        "references": references,
        "findings": findings,
        "summary": _summary(report),
    }


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    line = col = None
    if f.span is not None:
        line, col = report.source.position(f.span.start)
    is_citation = f.citation is not None
    return {
        "rule": f.rule,
        "kind": f.kind,
        "severity": str(f.severity),
        "message": f.message,
        "suggestion": f.suggestion,
        "citation": {"start": f.span.start, "end": f.span.end} if is_citation and f.span else None,
        "reference": f.reference,
        "span": {"start": f.span.start, "end": f.span.end} if f.span else None,
        "line": line,
        "column": col,
        "page": report.source.page(f.span.start) if f.span else None,
        "paragraph": report.source.paragraph(f.span.start) if f.span else None,
        "related": [{"start": s.start, "end": s.end, "line": report.source.position(s.start)[0]} for s in f.related],
        "evidence": record_dict(f.evidence) if f.evidence else None,
    }


def record_dict(record: Record) -> dict[str, Any]:
    """A registry record as evidence: what the registry says, field by field."""
    return {
        "registry": record.registry,
        "id": record.id,
        "doi": record.doi,
        "title": record.title,
        "authors": list(record.authors),
        "years": list(record.years),
        "container": record.container,
        "publisher": record.publisher,
        "volume": record.volume,
        "issue": record.issue,
        "pages": {"first": record.first_page, "last": record.last_page} if record.first_page else None,
        "type": record.type,
        "retracted": record.retracted,
        "updates": [{"type": u.kind, "source": u.source, "doi": u.doi, "date": u.date} for u in record.updates],
    }


def _verification(v: Verification) -> dict[str, Any]:
    return {
        "status": v.status,
        "score": v.score,
        "registries": list(v.registries),
        "record": record_dict(v.record) if v.record else None,
        "mismatches": [{"field": m.field, "listed": m.listed, "registry": m.registry} for m in v.mismatches],
        "detail": v.detail or None,
    }


def _summary(report: Report) -> dict[str, int]:
    return {
        "citations": len(report.citations),
        "references": len(report.references),
        "errors": report.errors,
        "warnings": report.warnings,
        "notes": sum(1 for f in report.findings if f.severity is Severity.NOTE),
    }


def render_json(reports: Sequence[Report]) -> str:
    # Compact: indenting switches json to its pure-Python encoder, four times slower on a book.
    # Pipe through "python3 -m json.tool" or "jq" to read it.
    if len(reports) == 1:
        return json.dumps(to_dict(reports[0]), ensure_ascii=False) + "\n"
    body = {"schema": "citecheck-reports/1", "reports": [to_dict(r) for r in reports]}
    return json.dumps(body, ensure_ascii=False) + "\n"


_HEADINGS = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.NOTE: "Notes"}


def _place(src: Source, offset: int) -> str:
    """ " (page 3)" for a PDF, " (paragraph 12)" for a DOCX, nothing for text."""
    page = src.page(offset)
    if page:
        return f" (page {page})"
    paragraph = src.paragraph(offset)
    return f" (paragraph {paragraph})" if paragraph else ""


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
                    where = f"{name}:{line}:{col}" + (
                        f" (page {page})" if page else f" (paragraph {paragraph})" if paragraph else ""
                    )
                out.append(f"  {where}: {f.rule} {f.kind}: {f.message}")
                if f.evidence is not None:
                    out.append(f"      evidence: {describe(f.evidence)}")
                if f.suggestion:
                    out.append(f"      fix: {f.suggestion}")
            out.append("")
        s = _summary(report)
        out.append(
            f"{name}: {s['citations']} citations, {s['references']} references, {s['errors']} errors, {s['warnings']} warnings"
        )
    return "\n".join(out) + "\n"
