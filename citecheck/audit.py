"""The pipeline: the one place that knows the order of the stages.

read -> layout (noise, reference list) -> references -> citations -> link -> rules -> Report.
Each stage is a plain function of plain data and can be called alone.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence

from citecheck.citations import CitationFinder, known_names
from citecheck.layout import analyse, blank
from citecheck.link import link_all
from citecheck.model import Report, Source, Span, make_source
from citecheck.read import read_path
from citecheck.references import read_references
from citecheck.rules import Context, Rule, run_rules


def audit_source(source: Source, rules: Sequence[Rule] | None = None) -> Report:
    doc = analyse(source)
    references = read_references(doc.clean, doc.references)
    # Citations are looked for everywhere but in the reference list itself.
    body = doc.clean
    if doc.heading is not None and doc.references is not None:
        body = blank(doc.clean, [Span(doc.heading.start, doc.references.end)])
    surnames = [a.family for r in references for a in r.authors if not a.group]
    groups = [a.family for r in references for a in r.authors if a.group]
    finder = CitationFinder(known_names(surnames, groups, body))
    citations = [dataclasses.replace(c, text=source.text[c.span.start : c.span.end]) for c in finder.find(body)]
    # A reference's text is the entry as written, less any running header inside it.
    references = [dataclasses.replace(r, text=" ".join(doc.clean[r.span.start : r.span.end].split())) for r in references]
    links = link_all(citations, references)
    ctx = Context(
        text=source.text,
        clean=doc.clean,
        citations=citations,
        references=references,
        links=links,
        has_reference_list=doc.references is not None,
    )
    findings = run_rules(ctx, rules)
    return Report(
        source=source,
        citations=tuple(citations),
        references=tuple(references),
        links=tuple(links),
        findings=tuple(findings),
        reference_list=doc.references,
    )


def audit(path_or_text: str | os.PathLike[str], rules: Sequence[Rule] | None = None) -> Report:
    """Audit a manuscript given as a path or as its text.

    A ``str`` that names an existing file is read as a path; any other ``str`` is the manuscript
    text itself. Raises ``InputError`` for a file that cannot be read as a manuscript.
    """
    is_path = isinstance(path_or_text, os.PathLike) or (
        "\n" not in path_or_text and len(path_or_text) < 4096 and os.path.isfile(path_or_text)
    )
    if is_path:
        source = read_path(os.fspath(path_or_text))
    else:
        source = make_source(str(path_or_text))
    return audit_source(source, rules)
