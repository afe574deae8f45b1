"""The pipeline: the one place that knows the order of the stages.

read -> layout (noise, reference list) -> references -> citations -> link -> rules -> Report.
Each stage is a plain function of plain data and can be called alone.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from citecheck.citations import CitationFinder, known_names
from citecheck.layout import analyse, blank
from citecheck.link import link_all
from citecheck.model import Citation, Link, Reference, Report, Source, Span, Verification, make_source
from citecheck.readers import read_document
from citecheck.references import read_references
from citecheck.rules import Context, Rule, run_rules
from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers the --verify rules)

if TYPE_CHECKING:
    from citecheck.verify.client import Settings
    from citecheck.verify.verdicts import Progress


def audit_source(
    source: Source,
    rules: Sequence[Rule] | None = None,
    verify: Settings | None = None,
    progress: Progress | None = None,
) -> Report:
    """Audit one manuscript; with ``verify`` settings, also check its references with the registries."""
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
    verifications = None
    if verify is not None:
        from citecheck.verify.verdicts import verify_references  # imports requests: only when asked to verify

        verifications = verify_references(references, verify, progress)
    return _check(source, doc.clean, citations, references, links, doc.references, verifications, rules)


def _check(
    source: Source,
    clean: str,
    citations: list[Citation],
    references: list[Reference],
    links: list[Link],
    reference_list: Span | None,
    verifications: list[Verification] | None,
    rules: Sequence[Rule] | None = None,
    has_reference_list: bool | None = None,
) -> Report:
    """Run the rules over what the stages found, and gather it all in a report."""
    ctx = Context(
        text=source.text,
        clean=clean,
        citations=citations,
        references=references,
        links=links,
        has_reference_list=reference_list is not None if has_reference_list is None else has_reference_list,
        verifications=verifications,
    )
    return Report(
        source=source,
        citations=tuple(citations),
        references=tuple(references),
        links=tuple(links),
        findings=tuple(run_rules(ctx, rules)),
        reference_list=reference_list,
        verifications=tuple(verifications) if verifications is not None else None,
    )


def audit(path_or_text: str | os.PathLike[str], rules: Sequence[Rule] | None = None, verify: Settings | None = None) -> Report:
    """Audit a manuscript given as a path or as its text.

    A ``str`` that names an existing file is read as a path; any other ``str`` is the manuscript
    text itself. Raises ``InputError`` for a file that cannot be read as a manuscript.
    """
    is_path = isinstance(path_or_text, os.PathLike) or (
        "\n" not in path_or_text and len(path_or_text) < 4096 and os.path.isfile(path_or_text)
    )
    if is_path:
        source = read_document(os.fspath(path_or_text))
    else:
        source = make_source(str(path_or_text))
    return audit_source(source, rules, verify)


def verify_bibliography(path: str, settings: Settings, progress: Progress | None = None) -> Report:
    """Verify a bibliography file alone (BibTeX, CSL-JSON, RIS): registry checks and list checks."""
    # bibtexparser and requests take a tenth of a second to import: only when this runs
    from citecheck.bibliography import read_bibliography
    from citecheck.verify.verdicts import verify_references

    source, references = read_bibliography(path)
    verifications = verify_references(references, settings, progress)
    # A bibliography alone is all reference list: there is none to locate inside it.
    return _check(source, source.text, [], references, [], None, verifications, has_reference_list=True)
