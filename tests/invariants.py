"""What every report and every refusal must satisfy, whatever the input: shared by the property tests
(``test_properties.py``) and the fuzzer (``benchmarks/fuzz.py``), so that both hold citecheck to
the same invariants.

A report is sound when every citation's text is the text at its span, every span lies inside the
text, the links are one per citation and point at references that exist, so do the findings, and
both renderers finish with the JSON parsing. An ``InputError`` says why in one line.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from citecheck.errors import InputError
from citecheck.model import Reference, Report, Span
from citecheck.report import render_json, render_text


class Violation(Exception):
    """A property of the report or the exit code broken; ``name`` groups failures."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(f"{name}: {detail}")
        self.name = name


def inside(span: Span, length: int, what: str) -> None:
    """A span within a text of ``length`` characters."""
    if not 0 <= span.start <= span.end <= length:
        raise Violation("span-outside-text", f"{what} {span} in a text of {length}")


def _index(i: int | None, count: int, what: str) -> None:
    if i is not None and not 0 <= i < count:
        raise Violation("dangling-index", f"{what} {i} of {count}")


def check_report(report: Report) -> None:
    """Spans in the text, a citation's text the text at its span, links and findings pointing at
    what exists, and both renderers finishing."""
    text, ncit, nref = report.source.text, len(report.citations), len(report.references)
    for i, c in enumerate(report.citations):
        inside(c.span, len(text), f"citation {i}")
        if text[c.span.start : c.span.end] != c.text:
            raise Violation("citation-text", f"citation {i} is {c.text!r}, its span holds {text[c.span.start : c.span.end]!r}")
    for i, r in enumerate(report.references):
        inside(r.span, len(text), f"reference {i}")
    if [link.citation for link in report.links] != list(range(ncit)):
        raise Violation("links", f"{len(report.links)} links for {ncit} citations, not one each in order")
    for link in report.links:
        for ref in (link.reference, *link.also, *(c.reference for c in link.candidates)):
            _index(ref, nref, "link to reference")
    for f in report.findings:
        for span in (f.span, *f.related) if f.span else f.related:
            inside(span, len(text), f"finding {f.kind}")
        _index(f.citation, ncit, f"finding {f.kind}: citation")
        _index(f.reference, nref, f"finding {f.kind}: reference")
    parses(render_json([report]), "report-json")
    render_text([report])


def parses(document: str, what: str) -> None:
    try:
        json.loads(document)
    except ValueError as exc:
        raise Violation(what, f"not JSON: {exc}") from None


def check_entries(references: Sequence[Reference], text: str) -> None:
    """A bibliography's entries, as its parsers promise: in file order, each span inside the text
    and none overlapping the next."""
    for i, r in enumerate(references):
        inside(r.span, len(text), f"bibliography entry {i}")
    for i, (a, b) in enumerate(itertools.pairwise(references)):
        if a.span.end > b.span.start:
            raise Violation("entries-overlap", f"entry {i} {a.span} runs into entry {i + 1} {b.span}")


def one_line(exc: InputError) -> None:
    if "\n" in str(exc) or "\r" in str(exc):
        raise Violation("input-error-not-one-line", repr(str(exc)))
