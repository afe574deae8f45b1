"""The report as plain data: the JSON document of schema ``citecheck-report/1``, which every
renderer (JSON, and those to come: SARIF, HTML, JUnit) reads rather than the model itself.

This is the only place where offsets become files, lines and columns. For a manuscript of several
files (LaTeX and its bibliography, say), ``start`` and ``end`` count from the start of the file
named by ``file``.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

from citecheck import __version__
from citecheck.model import LinkStatus, Locator, Record, Report, Severity, Source, Span, Verification
from citecheck.report.context import paragraph_start, sentence

SCHEMA = "citecheck-report/1"


def _locator(loc: Locator) -> dict[str, Any]:
    return {"kind": loc.kind, "first": loc.first, "last": loc.last, "marked": loc.marked}


# Where a span is: its file, its offsets in that file, line, column, page and paragraph.
Place = tuple[str | None, int, int, int, int, int | None, int | None]


def _place(src: Source, span: Span) -> Place:
    """Where a span is, the way ``Source`` tells it offset by offset."""
    at = span.start
    line, col = src.position(at)
    shift = at - src.file_offset(at)
    return src.file(at), at - shift, span.end - shift, line, col, src.page(at), src.paragraph(at)


def _places(src: Source) -> Callable[[Span], Place]:
    """``_place`` for the spans of one source, a book's thousands of them, with what is the same
    for every span worked out once: each file's path, where it starts and how many lines come
    before it, and whether the source has pages or paragraphs at all (when it has not, every
    span's page and paragraph are None)."""
    starts = src.line_starts
    if not starts:
        return lambda span: _place(src, span)
    if not (src.parts or src.pages or src.paragraphs):
        return _single_file_places(src.path, starts)
    find = bisect.bisect_right
    files = [(p.path, p.start, find(starts, p.start - 1) if p.start else 0) for p in src.parts] or [(src.path, 0, 0)]
    file_starts = [start for _, start, _ in files]
    page = src.page if src.pages else None
    paragraph = src.paragraph if src.paragraphs else None

    def place(span: Span) -> Place:
        at = span.start
        path, shift, lines_before = files[max(find(file_starts, at) - 1, 0)]
        i = find(starts, at) - 1
        return (
            path,
            at - shift,
            span.end - shift,
            i + 1 - lines_before,
            at - starts[i] + 1,
            page(at) if page is not None else None,
            paragraph(at) if paragraph is not None else None,
        )

    return place


def _single_file_places(path: Any, starts: tuple[int, ...], nothing: Any = None) -> Callable[[Span], Place]:
    """``_places`` for a single file with no pages and no paragraphs (text, Markdown): a span's
    offsets are its own, which leaves only its line to look up. ``path`` and ``nothing`` stand for
    the path and for the page and paragraph in every place (as JSON, for ``_written_places``)."""
    find = bisect.bisect_right

    def place(span: Span) -> Place:
        at = span.start
        i = find(starts, at) - 1
        return path, at, span.end, i + 1, at - starts[i] + 1, nothing, nothing

    return place


def to_dict(report: Report) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, Iterator) else value for key, value in parts(report)}


def parts(report: Report, written: bool = False) -> list[tuple[str, Any]]:
    """The report's keys in order, each with its value; the three long lists are generators, so
    that a renderer can write a book's report one citation at a time (see jsondoc.py). With
    ``written``, each item of those lists comes as its JSON text (see ``_citations_written``)."""
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
        ("citations", _citations_written(report) if written else _citations(report)),
        ("references", _references_written(report, cited_by) if written else _references(report, cited_by)),
        ("findings", _findings_written(report) if written else _findings(report)),
        ("summary", summary(report)),
    ]


# The names the report gives severities by, made once rather than per finding.
_SEVERITY_NAMES = {severity: str(severity) for severity in Severity}

# The items of the three long lists written as JSON directly, field by field, into a template of
# their keys (``_citations_written`` and the others): ``json`` would write every key of every item
# anew, and its dictionaries cost as much again to make. Each value is written as json writes it
# (``_ENCODE`` for the rare nested ones): compact separators, non-ASCII kept, a string escaped by
# the very function json escapes it with. Each writer gives the fields of the function above it,
# in its order; tests/test_report_written.py holds them to it.
_ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
_string = encode_basestring
_SEVERITY_JSON = {severity: _string(name) for severity, name in _SEVERITY_NAMES.items()}


def _written_places(src: Source) -> Callable[[Span], tuple[str, int, int, int, int, str, str]]:
    """``_places`` with the file, page and paragraph as JSON: for a single file, the same texts
    for every span, written once."""
    if src.line_starts and not (src.parts or src.pages or src.paragraphs):
        return _single_file_places(_optional(src.path), src.line_starts, "null")
    place = _places(src)

    def written(span: Span) -> tuple[str, int, int, int, int, str, str]:
        file, start, end, line, column, page, paragraph = place(span)
        return _optional(file), start, end, line, column, _number(page), _number(paragraph)

    return written


def _optional(value: str | None) -> str:
    return "null" if value is None else _string(value)


def _number(value: int | None) -> str:
    return "null" if value is None else int.__repr__(value)


def _strings(values: Sequence[str]) -> str:
    return "[" + ", ".join(map(_string, values)) + "]"


def _truth(value: bool) -> str:
    return "true" if value is True else "false" if value is False else _ENCODE(value)  # json's test, in its order


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
            "locator": _locator(c.locator) if c.locator is not None else None,
            "narrative": c.narrative,
            "status": c.status or None,
            "reference": link.reference,
            "link": link.status._value_,  # the member's value without the call of the ``value`` property
            "linked_by": link.basis,
            "candidates": [{"reference": k.reference, "score": k.score} for k in link.candidates],
        }


_CITATION = (
    '{"id": "c%d", "file": %s, "start": %d, "end": %d, "line": %d, "column": %d, "page": %s, "paragraph": %s, '
    '"text": %s, "key": %s, "authors": %s, "et_al": %s, "year": %s, "locator": %s, "narrative": %s, "status": %s, '
    '"reference": %s, "link": %s, "linked_by": %s, "candidates": [%s]}'
)
_CANDIDATE = '{"reference": %d, "score": %s}'  # the score by ``repr``, as json writes a finite float
_LINK_JSON = {status: _string(status._value_) for status in LinkStatus}


def _citations_written(report: Report) -> Iterator[str]:
    """``_citations``, each as its JSON text."""
    place = _written_places(report.source)
    # Linking gives the citations it judged alike one tuple of candidates: each is written once,
    # found again by the tuple's identity (the report holds every tuple until it is written).
    written: dict[int, str] = {}
    for i, (c, link) in enumerate(zip(report.citations, report.links, strict=True), 1):
        file, start, end, line, column, page, paragraph = place(c.span)
        candidates = written.get(id(link.candidates))
        if candidates is None:
            candidates = ", ".join([_CANDIDATE % (k.reference, repr(k.score)) for k in link.candidates])
            written[id(link.candidates)] = candidates
        yield _CITATION % (
            i,
            file,
            start,
            end,
            line,
            column,
            page,
            paragraph,
            _string(c.text),
            _optional(c.key),
            _strings(c.authors),
            _truth(c.etal),
            _string(c.year),
            _ENCODE(_locator(c.locator)) if c.locator is not None else "null",
            _truth(c.narrative),
            _string(c.status) if c.status else "null",
            _number(link.reference),
            _LINK_JSON[link.status],
            _optional(link.basis),
            candidates,
        )


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


_REFERENCE = (
    '{"id": "r%d", "file": %s, "start": %d, "end": %d, "line": %d, "column": %d, "page": %s, "paragraph": %s, '
    '"text": %s, "key": %s, "authors": %s, "initials": %s, "et_al": %s, "year": %s, "title": %s, "container": %s, '
    '"volume": %s, "issue": %s, "pages": %s, "doi": %s, "url": %s, "type": %s, "cited_by": %s%s}'
)


def _references_written(report: Report, cited_by: dict[int, list[str]]) -> Iterator[str]:
    """``_references``, each as its JSON text."""
    place = _written_places(report.source)
    verdicts = {v.reference: _verification(v) for v in report.verifications or ()}
    verified = report.verifications is not None
    for i, r in enumerate(report.references):
        file, start, end, line, column, page, paragraph = place(r.span)
        verification = ""
        if verified:
            verdict = verdicts.get(i, {"status": "skipped", "detail": "no title or DOI to look up"})
            verification = ', "verification": ' + _ENCODE(verdict)
        yield _REFERENCE % (
            i + 1,
            file,
            start,
            end,
            line,
            column,
            page,
            paragraph,
            _string(r.text),
            _optional(r.key),
            _strings([a.family for a in r.authors]),
            _strings([a.initials for a in r.authors]),
            _truth(r.etal),
            _optional(r.year_label or None),
            _optional(r.title),
            _optional(r.container),
            _optional(r.volume),
            _optional(r.issue),
            _ENCODE({"first": r.pages.first, "last": r.pages.last}) if r.pages else "null",
            _optional(r.doi),
            _optional(r.url),
            _string(r.kind),
            _strings(cited_by.get(i, [])),
            verification,
        )


def _findings(report: Report) -> Iterator[dict[str, Any]]:
    src = report.source
    place = _places(src)
    unplaced = (src.path, None, None, None, None)
    findable = _findable if src.page_labels or src.line_numbers or src.paragraphs else _nothing_findable
    for f in report.findings:
        span = None
        file, line, column, page, paragraph = unplaced
        if f.span is not None:
            file, start, end, line, column, page, paragraph = place(f.span)
            span = {"start": start, "end": end}
        page_label, printed_line, context, opening = findable(src, f.span)
        yield {
            "rule": f.rule,
            "kind": f.kind,
            "severity": _SEVERITY_NAMES[f.severity],
            "message": f.message,
            "suggestion": f.suggestion,
            "citation": span if f.citation is not None else None,
            "reference": f.reference,
            "span": span,
            "file": file,
            "line": line,
            "column": column,
            "page": page,
            "paragraph": paragraph,
            "page_label": page_label,
            "printed_line": printed_line,
            "context": context,
            "paragraph_start": opening,
            "related": [_related(place(s)) for s in f.related],
            "evidence": record_dict(f.evidence) if f.evidence else None,
            "confidence": f.confidence,
        }


_FINDING = (
    '{"rule": %s, "kind": %s, "severity": %s, "message": %s, "suggestion": %s, "citation": %s, "reference": %s, '
    '"span": %s, %s, %s, "related": [%s], "evidence": %s, "confidence": %s}'
)
_FINDABLE = '"page_label": %s, "printed_line": %s, "context": %s, "paragraph_start": %s'
_NOTHING_FINDABLE = _FINDABLE % ("null", "null", "null", "null")
_SPAN = '{"start": %d, "end": %d}'
_WHERE = '"file": %s, "line": %d, "column": %d, "page": %s, "paragraph": %s'  # a finding's place
_RELATED = '{"file": %s, "start": %d, "end": %d, "line": %d}'


def _findings_written(report: Report) -> Iterator[str]:
    """``_findings``, each as its JSON text."""
    src = report.source
    place = _written_places(src)
    unplaced = f'"file": {_optional(src.path)}, "line": null, "column": null, "page": null, "paragraph": null'
    findable = bool(src.page_labels or src.line_numbers or src.paragraphs)  # else nothing but the place
    for f in report.findings:
        span = "null"
        where = unplaced
        if f.span is not None:
            file, start, end, line, column, page, paragraph = place(f.span)
            where = _WHERE % (file, line, column, page, paragraph)
            span = _SPAN % (start, end)
        found = _NOTHING_FINDABLE
        if findable:
            page_label, printed_line, context, opening = _findable(src, f.span)
            found = _FINDABLE % (_optional(page_label), _number(printed_line), _optional(context), _optional(opening))
        related = [_RELATED % place(other)[:4] for other in f.related]
        yield _FINDING % (
            _string(f.rule),
            _string(f.kind),
            _SEVERITY_JSON[f.severity],
            _string(f.message),
            _optional(f.suggestion),
            span if f.citation is not None else "null",
            _number(f.reference),
            span,
            where,
            found,
            ", ".join(related),
            _ENCODE(record_dict(f.evidence)) if f.evidence else "null",
            _string(f.confidence),
        )


def _related(place: Place) -> dict[str, Any]:
    file, start, end, line = place[:4]
    return {"file": file, "start": start, "end": end, "line": line}


# The printed page label, the margin line number, the sentence and the paragraph's first words.
Findable = tuple[str | None, int | None, str | None, str | None]


def _findable(src: Source, span: Span | None) -> Findable:
    """What a person looks for to find the place: in a PDF the printed page label and margin line
    number (``page`` and ``line`` count the file's pages and the extracted text's lines); in a
    DOCX, which shows no lines, the sentence and the paragraph's first words."""
    if span is None:
        return None, None, None, None
    at = span.start
    by_words = src.paragraph(at) is not None
    return (
        src.page_label(at),
        src.printed_line(at),
        "".join(sentence(src, span)) if by_words else None,
        paragraph_start(src, at) if by_words else None,
    )


def _nothing_findable(src: Source, span: Span | None) -> Findable:
    """``_findable`` for a source with no page labels, no margin line numbers and no paragraphs,
    where there is nothing more to find a place by."""
    return None, None, None, None


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
