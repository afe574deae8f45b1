"""The pipeline: the one place that knows the order of the stages.

read -> layout (noise, reference list) -> references -> citations -> link -> rules -> suppressions -> Report.
Each stage is a plain function of plain data and can be called alone.
"""

from __future__ import annotations

import bisect
import dataclasses
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from citecheck.citations import CitationFinder, known_names
from citecheck.layout import analyse, blank
from citecheck.link import EntryJudge, link_all
from citecheck.model import MANUSCRIPT, Citation, Link, LinkStatus, Reference, Report, Source, Span, Verification, make_source
from citecheck.names import name_key
from citecheck.readers import read_document
from citecheck.readers.syntax import Markup, syntax_of
from citecheck.references import earlier_lists, read_references, same_work
from citecheck.rules import Context, Rule, run_rules
from citecheck.suppressions import suppress
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
    found = _find(source)
    references = found.references
    citations = _with_cited_works(found.citations, references)
    links = link_all(citations, references)
    if len(found.lists) > 1:
        links = _by_chapter(links, citations, references, found.lists)
    if source.fields:
        # Zotero, Mendeley and EndNote fields say which work a citation means, which settles its link.
        from citecheck.readers.fields import settle_field_links

        links = settle_field_links(source.fields, citations, references, links)
    verifications = None
    if verify is not None:
        from citecheck.verify.verdicts import verify_references  # imports requests: only when asked to verify

        verifications = verify_references(references, verify, progress)
    return _check(
        source,
        found.clean,
        citations,
        references,
        links,
        found.reference_list,
        verifications,
        rules,
        has_reference_list=found.reference_list is not None or found.bibliographies > 0,
        nocite=found.nocite,
        malformed=found.malformed,
        lists=found.lists,
    )


def _by_chapter(links: list[Link], citations: list[Citation], references: list[Reference], lists: list[Span]) -> list[Link]:
    """In a book with a list after each chapter, a citation that fits entries of several lists
    means the one in its own chapter's list, the first list after it: "(Smith, 2018)" in chapter
    2 is the Smith (2018) of chapter 2's list, whatever chapter 1's list holds."""
    starts = [span.start for span in lists]
    judge = EntryJudge(references, citations)
    out = []
    for link in links:
        chapter = bisect.bisect_right(starts, citations[link.citation].span.start)
        if link.status is LinkStatus.AMBIGUOUS and chapter < len(lists):
            own = [i for i in link.also if lists[chapter].start <= references[i].span.start < lists[chapter].end]
            if len(own) == 1:
                # Judged as linking judges it against that one entry: a slip in a name stays a slip.
                status = judge.status(citations[link.citation], own[0])
                if status is not LinkStatus.MISSING:
                    link = Link(link.citation, status, own[0], link.candidates)
        out.append(link)
    return out


def _find(source: Source) -> Markup:
    """The citations and references of a manuscript, whatever its format: its reader's syntax
    says what its markup adds to the prose every format shares."""
    bibliography = _bibliography_references(source)
    syntax = syntax_of(source)
    whole = syntax.whole(source, bibliography)
    if whole is not None:
        return whole
    text, hidden = syntax.layout_text(source)
    doc = analyse(source if text == source.text else make_source(text))
    # A book or thesis has a list after each chapter: all are read, the last one to its end.
    lists = earlier_lists(doc.clean, doc.heading) if doc.heading is not None else []
    if doc.heading is not None and doc.references is not None:
        lists.append((doc.heading, doc.references))
    # A reference's text is the entry as written, less any running header inside it, its links whole.
    own = [ref for _, span in lists for ref in read_references(doc.clean, span, as_written=True)]
    # Citations are looked for everywhere but in the reference lists themselves.
    body = blank(doc.clean, [Span(heading.start, span.end) for heading, span in lists])
    scanned = syntax.scan(source, body, hidden, bibliography)
    references = own + _not_listed(bibliography, own)
    surnames = [a.family for r in references for a in r.authors if not a.group]
    groups = [a.family for r in references for a in r.authors if a.group]
    works = [(r.authors[0].family, r.year or "") for r in references if r.authors]
    finder = CitationFinder(known_names(surnames, groups, scanned.body, works))
    author_date = finder.find(scanned.body, source.text)
    citations = sorted(author_date + scanned.citations, key=lambda c: c.span.start)
    return Markup(
        doc.clean + source.text[source.manuscript_end :],
        citations,
        references,
        reference_list=doc.references,
        bibliographies=sum(1 for p in source.parts if p.role != MANUSCRIPT),
        nocite=scanned.nocite,
        lists=[span for _, span in lists],
    )


def _bibliography_references(source: Source) -> list[Reference]:
    """The entries of the bibliography files that are part of the manuscript, spans shifted into it."""
    if all(p.role == MANUSCRIPT for p in source.parts):
        return []
    from citecheck.bibliography import parse_bibliography

    out: list[Reference] = []
    for i, part in enumerate(source.parts):
        if part.role == MANUSCRIPT:
            continue
        for ref in parse_bibliography(source.part_text(i), part.path):
            span = Span(ref.span.start + part.start, ref.span.end + part.start)
            out.append(dataclasses.replace(ref, span=span, origin=part.role))
    return out


def _not_listed(bibliography: list[Reference], own: list[Reference]) -> list[Reference]:
    """The bibliography's entries less those the manuscript's own list has too: a work listed in
    both is one work, and the entry the reader sees is the listed one."""
    if not own or not bibliography:
        return bibliography
    listed: dict[tuple[str, str], list[Reference]] = {}
    for ref in own:
        if ref.authors and ref.year:
            listed.setdefault((name_key(ref.authors[0].family), ref.year), []).append(ref)
    out = []
    for ref in bibliography:
        twins = listed.get((name_key(ref.authors[0].family), ref.year or ""), []) if ref.authors else []
        if not any(same_work(ref, t) for t in twins):
            out.append(ref)
    return out


def _with_cited_works(citations: list[Citation], references: list[Reference]) -> list[Citation]:
    """Keyed citations take the authors and year of the entry their key names, so that every rule
    reads them like author-date citations."""
    if not any(c.key is not None for c in citations):
        return citations
    by_key: dict[str, Reference] = {}
    for ref in references:
        if ref.key is not None:
            by_key.setdefault(ref.key, ref)
    out = []
    for c in citations:
        cited = by_key.get(c.key) if c.key is not None else None
        if cited is not None:
            c = dataclasses.replace(c, authors=tuple(a.family for a in cited.authors), etal=cited.etal, year=cited.year_label)
        out.append(c)
    return out


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
    nocite: Sequence[tuple[str, Span]] = (),
    malformed: Sequence[tuple[Span, str]] = (),
    lists: Sequence[Span] = (),
) -> Report:
    """Run the rules over what the stages found, and gather it all in a report."""
    ctx = Context(
        nocite=tuple(nocite),
        malformed=tuple(malformed),
        lists=tuple(lists),
        text=source.text,
        clean=clean,
        citations=citations,
        references=references,
        links=links,
        has_reference_list=reference_list is not None if has_reference_list is None else has_reference_list,
        verifications=verifications,
    )
    # The manuscript's "citecheck: ignore" comments silence the findings where they stand.
    findings, suppressed = suppress(source, run_rules(ctx, rules), rules, verified=verifications is not None)
    return Report(
        source=source,
        citations=tuple(citations),
        references=tuple(references),
        links=tuple(links),
        findings=tuple(findings),
        reference_list=reference_list,
        verifications=tuple(verifications) if verifications is not None else None,
        suppressed=suppressed,
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
