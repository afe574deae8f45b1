"""The report as plain data: the JSON document of schema ``citecheck-report/1``, which every
renderer (JSON, and those to come: SARIF, HTML, JUnit) reads rather than the model itself.

This is the only place where offsets become files, lines and columns. For a manuscript of several
files (LaTeX and its bibliography, say), ``start`` and ``end`` count from the start of the file
named by ``file``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator
from typing import Any

from citecheck import __version__
from citecheck.model import Finding, Locator, Record, Report, Severity, Source, Span, Verification
from citecheck.report.context import paragraph_start, sentence

SCHEMA = "citecheck-report/1"


def _locator(loc: Locator | None) -> dict[str, Any] | None:
    if loc is None:
        return None
    return {"kind": loc.kind, "first": loc.first, "last": loc.last, "marked": loc.marked}


# Where a span is: its file, its offsets in that file, line, column, page and paragraph.
PLACE = ("file", "start", "end", "line", "column", "page", "paragraph")
Place = tuple[str | None, int, int, int, int, int | None, int | None]


def _span(src: Source, span: Span) -> dict[str, Any]:
    """Where a span is, as a dictionary of the keys ``PLACE``."""
    return dict(zip(PLACE, _place(src, span), strict=True))


def _place(src: Source, span: Span) -> Place:
    """Where a span is: the values of the keys ``PLACE``."""
    at = span.start
    line, col = src.position(at)
    shift = at - src.file_offset(at)
    return src.file(at), at - shift, span.end - shift, line, col, src.page(at), src.paragraph(at)


def _places(src: Source) -> Callable[[Span], Place]:
    """``_place`` for the spans of one source, a book's thousands of them: for a single file with
    no pages and no paragraphs (text, Markdown), whose line starts the reader counted, a span's
    file is the source's, its offsets are its own and its page and paragraph are None, which
    leaves only its line to look up."""
    starts = src.line_starts
    if src.parts or src.pages or src.paragraphs or not starts:
        return lambda span: _place(src, span)
    path = src.path
    find = bisect.bisect_right

    def place(span: Span) -> Place:
        at = span.start
        i = find(starts, at) - 1
        return path, at, span.end, i + 1, at - starts[i] + 1, None, None

    return place


def to_dict(report: Report) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, Iterator) else value for key, value in parts(report)}


def parts(report: Report) -> list[tuple[str, Any]]:
    """The report's keys in order, each with its value; the three long lists are generators, so
    that a renderer can write a book's report one citation at a time (see jsondoc.py)."""
    src = report.source
    cited_by: dict[int, list[str]] = {}
    for i, link in enumerate(report.links):
        if link.reference is not None:
            cited_by.setdefault(link.reference, []).append(f"c{i + 1}")
    return [
        ("schema", SCHEMA),
        ("tool", {"name": "citecheck", "version": __version__}),
        (
            "document",
            {
                "path": src.path,
                "characters": len(src.text),
                "encoding": src.encoding,
                "notes": list(src.notes),
                "files": [{"path": p.path, "role": p.role} for p in src.parts] or [{"path": src.path, "role": "manuscript"}],
                "reference_list": (
                    {"start": report.reference_list.start, "end": report.reference_list.end} if report.reference_list else None
                ),
            },
        ),
        ("citations", _citations(report)),
        ("references", _references(report, cited_by)),
        ("findings", (_finding(report, f) for f in report.findings)),
        ("summary", summary(report)),
    ]


def _citations(report: Report) -> Iterator[dict[str, Any]]:
    place = _places(report.source)
    for i, (c, link) in enumerate(zip(report.citations, report.links, strict=True), 1):
        file, start, end, line, column, page, paragraph = place(c.span)
        yield {
            "id": f"c{i}",
            "file": file,
            "start": start,
            "end": end,
            "line": line,
            "column": column,
            "page": page,
            "paragraph": paragraph,
            "text": c.text,
            "key": c.key,
            "authors": list(c.authors),
            "et_al": c.etal,
            "year": c.year,
            "locator": _locator(c.locator),
            "narrative": c.narrative,
            "status": c.status or None,
            "reference": link.reference,
            "link": link.status.value,
            "linked_by": link.basis,
            "candidates": [{"reference": k.reference, "score": k.score} for k in link.candidates] if link.candidates else [],
        }


def _references(report: Report, cited_by: dict[int, list[str]]) -> Iterator[dict[str, Any]]:
    place = _places(report.source)
    verdicts = {v.reference: _verification(v) for v in report.verifications or ()}
    for i, r in enumerate(report.references):
        file, start, end, line, column, page, paragraph = place(r.span)
        entry = {
            "id": f"r{i + 1}",
            "file": file,
            "start": start,
            "end": end,
            "line": line,
            "column": column,
            "page": page,
            "paragraph": paragraph,
            "text": r.text,
            "key": r.key,
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
        if report.verifications is not None:
            entry["verification"] = verdicts.get(i, {"status": "skipped", "detail": "no title or DOI to look up"})
        yield entry


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    src = report.source
    where: dict[str, Any] = {"file": src.path, "line": None, "column": None, "page": None, "paragraph": None}
    span = None
    if f.span is not None:
        place = _span(src, f.span)
        span = {"start": place.pop("start"), "end": place.pop("end")}
        where = place
    related = []
    for s in f.related:
        place = _span(src, s)
        related.append({"file": place["file"], "start": place["start"], "end": place["end"], "line": place["line"]})
    return {
        "rule": f.rule,
        "kind": f.kind,
        "severity": str(f.severity),
        "message": f.message,
        "suggestion": f.suggestion,
        "citation": span if f.citation is not None else None,
        "reference": f.reference,
        "span": span,
        **where,
        **_findable(src, f.span),
        "related": related,
        "evidence": record_dict(f.evidence) if f.evidence else None,
        "confidence": f.confidence,
    }


def _findable(src: Source, span: Span | None) -> dict[str, Any]:
    """What a person looks for to find the place: in a PDF the printed page label and margin line
    number (``page`` and ``line`` count the file's pages and the extracted text's lines); in a
    DOCX, which shows no lines, the sentence and the paragraph's first words."""
    at = span.start if span is not None else None
    by_words = at is not None and src.paragraph(at) is not None
    return {
        "page_label": src.page_label(at) if at is not None else None,
        "printed_line": src.printed_line(at) if at is not None else None,
        "context": "".join(sentence(src, span)) if by_words and span is not None else None,
        "paragraph_start": paragraph_start(src, at) if by_words and at is not None else None,
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
        "other_titles": list(record.other_titles),
        "preprint_of": list(record.preprint_of),
        "preprints": list(record.preprints),
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


def summary(report: Report) -> dict[str, int]:
    counts = {
        "citations": len(report.citations),
        "references": len(report.references),
        "errors": report.errors,
        "warnings": report.warnings,
        "notes": sum(1 for f in report.findings if f.severity is Severity.NOTE),
    }
    if report.suppressed:  # only then: a report with no suppression reads as it always did
        counts["suppressed"] = report.suppressed
    if report.baselined:
        counts["baselined"] = report.baselined
    return counts
