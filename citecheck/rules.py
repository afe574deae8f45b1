"""The checks: one registry of rules, each a function from the linked manuscript to findings.

A rule is registered with a stable code, a kebab-case name that names the problem, and a default
severity. Its docstring is its documentation: the first line is the summary ``citecheck rules``
prints, and the sections "Flags", "Why", "Example" and "Limits" are what ``docs/rules.md`` shows.
"""

from __future__ import annotations

import dataclasses
import inspect
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from citecheck.model import Citation, Finding, Link, LinkStatus, Pages, Reference, Severity, Span, Verification
from citecheck.names import core_key, name_key
from citecheck.references import earlier_twins, same_work


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at."""

    text: str
    clean: str  # the text with running headers and page numbers blanked, same length
    citations: Sequence[Citation]
    references: Sequence[Reference]
    links: Sequence[Link]
    has_reference_list: bool
    verifications: Sequence[Verification] | None = None  # registry verdicts, with --verify only
    nocite: Sequence[tuple[str, Span]] = ()  # keys a LaTeX \\nocite names ("*": all of them)
    malformed: Sequence[tuple[Span, str]] = ()  # citation commands that could not be read, and why


Check = Callable[[Context, "Rule"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def finding(self, message: str, **kw: object) -> Finding:
        severity = kw.pop("severity", None) or self.severity
        return Finding(rule=self.code, kind=self.name, severity=severity, message=message, **kw)  # type: ignore[arg-type]


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if code in RULES or any(r.name == name for r in RULES.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        RULES[code] = Rule(code, name, severity, check)
        return check

    return register


def run_rules(ctx: Context, selected: Sequence[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for r in selected if selected is not None else RULES.values():
        findings.extend(r.check(ctx, r))
    findings.sort(key=lambda f: (f.span.start if f.span else 1 << 62, f.rule))
    return findings


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """Rules chosen by code ("CC101"), code prefix ("CC1") or name ("uncited-reference")."""

    def matches(r: Rule, pattern: str) -> bool:
        return r.code.startswith(pattern.upper()) or r.name == pattern.lower()

    chosen = [r for r in RULES.values() if not select or any(matches(r, p) for p in select)]
    return [r for r in chosen if not any(matches(r, p) for p in ignore)]


# -- how references and citations are named in messages ---------------------------------------------


def ref_label(ref: Reference) -> str:
    """ "Smith (2018)", "Smith & Lee (2018)", "Smith et al. (2018)" as the list has it."""
    names = [a.family for a in ref.authors]
    if not names:
        who = "an entry"
    elif len(names) == 1 and not ref.etal:
        who = names[0]
    elif len(names) == 2 and not ref.etal:
        who = f"{names[0]} & {names[1]}"
    else:
        who = f"{names[0]} et al."
    return f"{who} ({ref.year_label or 'no year'})"


def _with_initial(ref: Reference) -> str:
    a = ref.authors[0]
    initial = f"{a.initials[0]}. " if a.initials else ""
    return f"{initial}{a.family}, {ref.year_label}"


def _family_initial_year(ref: Reference) -> str:
    """ "Brown, J. (2021)"."""
    a = ref.authors[0]
    return f"{a.family}, {a.initials[0] + '. ' if a.initials else ''}({ref.year_label})"


def _short_title(ref: Reference) -> str:
    title = ref.title or ref.text
    return title if len(title) <= 40 else title[:37].rstrip() + "..."


def _cited_authors(c: Citation) -> str:
    """ "Smith", "Smith & Lee", "Smith et al." as cited."""
    if c.etal:
        return f"{c.authors[0]} et al."
    return " & ".join(c.authors) if len(c.authors) <= 2 else ", ".join(c.authors[:-1]) + f" & {c.authors[-1]}"


def _cited(ctx: Context, c: Citation) -> str:
    """The citation as written, less any running header that a page break put inside it; for a
    keyed citation, the command it stands in."""
    if c.key is not None:
        return c.command or c.key
    return " ".join(ctx.clean[c.span.start : c.span.end].split())


def _pages_label(ref: Reference) -> str:
    assert ref.pages is not None
    return ref.pages.first + (f"–{ref.pages.last}" if ref.pages.last else "")


def _linked(ctx: Context, status: LinkStatus) -> Iterator[tuple[Link, Citation, Reference]]:
    """The citations linked to a reference with the given status, with that reference."""
    for link in ctx.links:
        if link.status is status and link.reference is not None:
            yield link, ctx.citations[link.citation], ctx.references[link.reference]


# -- the rules --------------------------------------------------------------------------------------


@rule("CC101", "missing-reference", Severity.ERROR)
def missing_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A citation with no reference of that author and year.

    Flags: an in-text citation for which the reference list has no entry with the cited first
    author and year, nor one that differs only by a slip in the year or the spelling.
    Why: the reader cannot find the work; often a reference was dropped while editing.
    Example: "(Taylor, 2022, p. 62)" when no Taylor is listed; "\\citep{taylor2022}" or
    "[@taylor2022]" when no entry of the bibliography has that key (the nearest key is suggested).
    Limits: when the manuscript has no reference list at all, this is reported once, as
    no-reference-list, instead of for every citation.
    """
    if not ctx.has_reference_list:
        return
    for link in ctx.links:
        if link.status is not LinkStatus.MISSING:
            continue
        c = ctx.citations[link.citation]
        if c.key is not None:
            yield _undefined_key(ctx, r, link, c)
            continue
        who = _cited_authors(c)
        suggestion = f"Add {who} ({c.year}) to the reference list, or correct the citation."
        near = [cand for cand in link.candidates if cand.score >= 60]
        message = f"'{_cited(ctx, c)}' has no entry in the reference list."
        if near:
            labels = " or ".join(ref_label(ctx.references[cand.reference]) for cand in near[:2])
            message = f"'{_cited(ctx, c)}' has no entry in the reference list; the nearest are {labels}."
            suggestion = f"Add {who} ({c.year}) to the reference list, or correct the citation if it means {labels}."
        yield r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion)


def _undefined_key(ctx: Context, r: Rule, link: Link, c: Citation) -> Finding:
    message = f"'{_cited(ctx, c)}': the key '{c.key}' is not defined in the bibliography."
    suggestion = f"Add an entry with the key '{c.key}' to the bibliography, or correct the key."
    if link.candidates:
        near = ctx.references[link.candidates[0].reference]
        message += f" The nearest key is '{near.key}', {ref_label(near)}."
        suggestion = f"Change the key to '{near.key}' if it means {ref_label(near)}, or add an entry with the key '{c.key}'."
    return r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion)


@rule("CC100", "no-reference-list", Severity.ERROR)
def no_reference_list(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Citations in the text but no reference list.

    Flags: a manuscript with author-date citations and no heading such as "References",
    "Bibliography" or "Works Cited"; a LaTeX or Markdown manuscript with citation keys and no
    bibliography file.
    Why: every citation is then unresolvable; one finding says so instead of one per citation.
    Example: a draft whose reference list was not pasted in.
    Limits: a reference list under an unusual heading is not found; rename the heading.
    """
    if ctx.has_reference_list or not ctx.citations:
        return
    c = ctx.citations[0]
    if c.key is not None:
        yield r.finding(
            f"{len(ctx.citations)} citations, first '{_cited(ctx, c)}', but no bibliography file was found.",
            span=c.span,
            citation=0,
            suggestion="Name the bibliography (\\bibliography{refs}, or 'bibliography:' in YAML front matter), or --bib FILE.",
        )
        return
    yield r.finding(
        f"{len(ctx.citations)} citations, first '{_cited(ctx, c)}', but no reference list was found.",
        span=c.span,
        citation=0,
        suggestion="Add the reference list under a heading such as 'References'.",
    )


@rule("CC102", "year-mismatch", Severity.ERROR)
def year_mismatch(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The cited author matches a reference but the year differs.

    Flags: a citation whose authors match exactly one listed work while its year matches none of
    that author's works.
    Why: either the year in the text or the one in the list is wrong; readers look up the wrong
    edition or cannot find the work.
    Example: "(Sakwa, 2020, p. 67)" when the list has Sakwa, R. (2023).
    Limits: if the author has several listed works, the nearest year is named.
    """
    for link, c, ref in _linked(ctx, LinkStatus.YEAR_MISMATCH):
        yield r.finding(
            f"'{_cited(ctx, c)}' cites {c.year}, but the reference list has {ref_label(ref)}.",
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=f"Change the year to {ref.year_label}, or add the {c.year} work to the reference list.",
            related=(ref.span,),
        )


@rule("CC103", "author-misspelling", Severity.ERROR)
def author_misspelling(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The year matches a reference and the name differs slightly.

    Flags: a citation whose surname (or a co-author's) is one slip away from the listed one, with
    the same year. Accents and particles are not slips: "Müller" = "Muller", "de Souza" = "De Souza".
    Why: a misspelt name breaks searches and looks careless to reviewers.
    Example: "(Kuznetzov, 2022)" when the list has Kuznetsov, A. (2022).
    Limits: names shorter than four letters are never called misspelt (Li, Lu, Lo are different people).
    """
    for link, c, ref in _linked(ctx, LinkStatus.AUTHOR_MISMATCH):
        pairs = [(cited, listed.family) for cited, listed in zip(c.authors, ref.authors, strict=False)]
        wrong = [(a, b) for a, b in pairs if name_key(a) != name_key(b)]
        if not wrong:
            continue
        fixes = ", ".join(f"'{a}' to '{b}'" for a, b in wrong)
        yield r.finding(
            f"'{_cited(ctx, c)}': the reference list spells the name as {ref_label(ref)}.",
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=f"Change {fixes}.",
            related=(ref.span,),
        )


@rule("CC104", "ambiguous-citation", Severity.ERROR)
def ambiguous_citation(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The citation fits two or more references equally.

    Flags: two listed works with the same first author and year that the citation cannot tell
    apart: two "Brown, 2021" by different Browns, or one author's two works without 2021a/2021b.
    Why: the reader cannot know which work is meant.
    Example: "(Brown, 2021, p. 112)" with Brown, J. (2021) and Brown, K. (2021) listed.
    Limits: initials in the citation ("J. Brown, 2021") settle it and silence this rule.
    """
    for link in ctx.links:
        if link.status is not LinkStatus.AMBIGUOUS:
            continue
        c = ctx.citations[link.citation]
        refs = [ctx.references[i] for i in link.also]
        names = [_family_initial_year(x) for x in refs]
        if len(set(names)) < len(names):  # the same label twice: tell them apart by title
            names = [f"{n} '{_short_title(x)}'" for n, x in zip(names, refs, strict=True)]
        labels = " and ".join(names) if len(names) <= 3 else ", ".join(names[:3]) + f" and {len(names) - 3} more"
        initials = {a.authors[0].initials[:1] for a in refs}
        if len(initials) == len(refs) and "" not in initials:
            options = " or ".join(f"({_with_initial(x)})" for x in refs)
            suggestion = f"Add the first author's initial: {options}."
        else:
            suggestion = f"Add year suffixes ({', '.join(c.year + s for s in 'abcdefgh'[: len(refs)])}) in the list and the text."
        message = f"'{_cited(ctx, c)}' fits {len(refs)} references equally: {labels}."
        loc = c.locator
        if loc and loc.kind == "page" and isinstance(loc.first, int) and isinstance(loc.last, int):
            outside = [x for x in refs if _outside(loc.first, loc.last, x) is True]
            if len(outside) == len(refs):
                message += f" Page {loc.first} lies outside the pages of each of them."
        yield r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion, related=tuple(x.span for x in refs))


def _page_range(ref: Reference) -> tuple[int, int] | None:
    if ref.pages is None or not ref.pages.last:
        return None
    if not (ref.pages.first.isdigit() and ref.pages.last.isdigit()):
        return None
    first, last = int(ref.pages.first), int(ref.pages.last)
    return (first, last) if first <= last else None


def _outside(first: int, last: int, ref: Reference) -> bool | None:
    rng = _page_range(ref)
    if rng is None:
        return None
    return first < rng[0] or last > rng[1]


@rule("CC105", "page-out-of-range", Severity.ERROR)
def page_out_of_range(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The cited page lies outside the reference's page range.

    Flags: a page locator ("p. 45", "pp. 45–50", Chicago "(Smith 2018, 45)") outside the first and
    last page the list gives for the work.
    Why: the reader cannot find the passage; often the locator belongs to another work.
    Example: "(Weitz, 2022, p. 61)" when the list gives Weitz (2022) pages 19–45.
    Limits: a warning, not an error, when the work is a book, since a book's listed range may be
    a chapter's; works with one page or an article number (e0123456) are not checked. With
    --verify, a work listed without pages is checked against the registry's page range.
    """
    # With --verify, a work the list gives no pages for is checked against the registry's pages.
    learned = {
        v.reference: v.record
        for v in ctx.verifications or ()
        if v.status in ("ok", "metadata-mismatch") and v.record is not None and v.record.first_page and v.record.last_page
    }
    for link, c, ref in _linked(ctx, LinkStatus.EXACT):
        loc = c.locator
        if loc is None or loc.kind != "page" or not isinstance(loc.first, int) or not isinstance(loc.last, int):
            continue
        evidence = None
        if ref.pages is None and link.reference in learned:
            evidence = learned[link.reference]
            ref = dataclasses.replace(ref, pages=Pages(evidence.first_page or "", evidence.last_page))
        if _outside(loc.first, loc.last, ref) is not True:
            continue
        cited = f"page {loc.first}" if loc.first == loc.last else f"pages {loc.first}–{loc.last}"
        source = "" if evidence is None else f" (according to {evidence.registry.capitalize()}; the list gives none)"
        severity = Severity.WARNING if ref.kind == "book" else None
        yield r.finding(
            f"'{_cited(ctx, c)}': {cited} lies outside the pages of {ref_label(ref)}, {_pages_label(ref)}{source}.",
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=f"Check the page against {ref_label(ref)} and correct the locator or the listed pages.",
            related=(ref.span,),
            severity=severity,
            evidence=evidence,
        )


@rule("CC106", "et-al-misuse", Severity.WARNING)
def et_al_misuse(ctx: Context, r: Rule) -> Iterator[Finding]:
    """ "et al." for a work with one or two authors, or too few names for a work with more.

    Flags: "Smith et al." citing a work by Smith and Jones; "Smith" alone or "Smith and Jones"
    citing a work by three or more authors.
    Why: author-date styles fix how many names a citation shows; a wrong count also hints that the
    citation points at another work than intended.
    Example: "(Friedman et al., 2020)" when the list has Friedman, M., & Tan, K. (2020).
    Limits: lists cut with "et al." or "..." are taken to have three or more authors; keyed
    citations (LaTeX, Pandoc) are left out, since the style writes their names.
    """
    for link, c, ref in _linked(ctx, LinkStatus.EXACT):
        n = len(ref.authors)
        if ref.etal or not ref.authors or ref.authors[0].group or c.key is not None:
            continue
        k = len(c.authors)
        names = [a.family for a in ref.authors]
        if c.etal and n <= 2:
            right = names[0] if n == 1 else f"{names[0]} & {names[1]}"
            message = f"'{_cited(ctx, c)}' uses 'et al.' for a work with {'one author' if n == 1 else 'two authors'}."
            suggestion = f"Cite it as ({right}, {c.year})."
        elif not c.etal and k == 1 and n >= 2:
            right = f"{names[0]} & {names[1]}" if n == 2 else f"{names[0]} et al."
            message = f"'{_cited(ctx, c)}' names one author of a work with {n} authors."
            suggestion = f"Cite it as ({right}, {c.year})."
        elif not c.etal and k >= 2 and k != n:
            message = f"'{_cited(ctx, c)}' names {k} authors; the listed work has {n}."
            right = f"{names[0]} et al." if n >= 3 else f"{names[0]} & {names[1]}"
            suggestion = f"Cite it as ({right}, {c.year})."
        else:
            continue
        yield r.finding(message, span=c.span, citation=link.citation, reference=link.reference, suggestion=suggestion)


def _cited_references(ctx: Context) -> set[int]:
    cited: set[int] = set()
    for link in ctx.links:
        if link.reference is not None:
            cited.add(link.reference)
        cited.update(link.also)
    return cited


@rule("CC201", "uncited-reference", Severity.WARNING)
def uncited_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A reference that nothing in the text cites.

    Flags: a reference-list entry that no citation links to, not even through a slip in its year
    or spelling (those are reported on the citation instead).
    Why: author-date styles list only works cited in the text; an uncited entry is often the
    trace of a citation that was deleted or mistyped.
    Example: Bennett, R. (2022) listed, while no "(Bennett, 2022)" appears.
    Limits: silent when the text has no author-date citation at all (a numeric style, say). Entries
    of a bibliography file are never printed unless cited: unused-entry covers them.
    """
    if not ctx.citations:
        return
    cited = _cited_references(ctx)
    by_author_year: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in cited:
        ref = ctx.references[i]
        if ref.authors and ref.year:
            by_author_year[(name_key(ref.authors[0].family), ref.year)].append(i)
    for i, ref in enumerate(ctx.references):
        if i in cited or not ref.authors or not ref.year or ref.origin != "list":
            continue
        twins = by_author_year.get((name_key(ref.authors[0].family), ref.year), [])
        if any(same_work(ctx.references[j], ref) for j in twins):
            continue  # a second entry for a cited work: duplicate-reference says so
        yield r.finding(
            f"{ref_label(ref)} is listed but never cited.",
            span=ref.span,
            reference=i,
            suggestion="Cite the work in the text or remove it from the reference list.",
        )


def _author_signature(ref: Reference) -> tuple[str, ...]:
    return tuple(name_key(a.family) for a in ref.authors)


def _author_year_groups(ctx: Context) -> list[list[int]]:
    """Entries with the same author list and year, two or more to a group, in list order."""
    groups: dict[tuple[tuple[str, ...], str], list[int]] = defaultdict(list)
    for i, ref in enumerate(ctx.references):
        if ref.authors and ref.year:
            groups[(_author_signature(ref), ref.year)].append(i)
    return [members for members in groups.values() if len(members) > 1]


@rule("CC203", "duplicate-reference", Severity.WARNING)
def duplicate_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The same work listed twice.

    Flags: two entries with the same DOI, or the same authors, year and (nearly) the same title.
    Why: duplicates inflate the list and split the citations between two entries.
    Example: Lo, B. (2019). Axis of convenience ... listed twice.
    Limits: the same work listed under different years is not caught.
    """
    seen_doi: dict[str, int] = {}
    reported: set[int] = set()
    for i, ref in enumerate(ctx.references):
        if ref.doi:
            key = ref.doi.lower()
            if key in seen_doi:
                reported.add(i)
                yield _duplicate(r, ctx, seen_doi[key], i)
            else:
                seen_doi[key] = i
    for members in _author_year_groups(ctx):
        for b, a in earlier_twins(ctx.references, members).items():
            if b not in reported:
                reported.add(b)
                yield _duplicate(r, ctx, a, b)


def _duplicate(r: Rule, ctx: Context, first: int, again: int) -> Finding:
    ref = ctx.references[again]
    return r.finding(
        f"{ref_label(ref)} is listed twice.",
        span=ref.span,
        reference=again,
        suggestion="Remove one of the two entries.",
        related=(ctx.references[first].span,),
    )


@rule("CC202", "suffix-needed", Severity.ERROR)
def suffix_needed(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Two references share author(s) and year without 2020a/2020b.

    Flags: different works by the same author list in the same year whose years carry no letter
    suffix, or the same letter.
    Why: the citations cannot say which of the two works they mean.
    Example: Filot, I. (2025). Elements ... and Filot, I. (2025). PyQInt documentation.
    Limits: authors are compared by surname; two different people with one surname and initials
    that differ are left to ambiguous-citation. In a bibliography file the style adds the letters
    (biblatex's extradate, natbib's author-year styles), so entries there are flagged only when a
    year written with a letter ("2020a") leaves two of them without distinct ones.
    """
    for members in _author_year_groups(ctx):
        if any(ctx.references[i].origin != "list" for i in members) and not any(ctx.references[i].suffix for i in members):
            continue  # bibliography entries: biblatex (extradate) and natbib's styles add the letters
        first = ctx.references[members[0]]
        twins = earlier_twins(ctx.references, members)
        seen_suffixes: set[str] = set()
        for n, b in enumerate(members):
            rb = ctx.references[b]
            clash = not rb.suffix or rb.suffix in seen_suffixes or not first.suffix
            seen_suffixes.add(rb.suffix)
            if n == 0 or not clash or b in twins:
                continue  # the first of its group, a distinct suffix, or a duplicate (reported as such)
            if [x.initials[:1] for x in first.authors] != [x.initials[:1] for x in rb.authors]:
                continue  # J. Brown and K. Brown are two people
            yield r.finding(
                f"{ref_label(rb)} shares author(s) and year with {ref_label(first)} above it and has no distinct suffix.",
                span=rb.span,
                reference=b,
                suggestion=f"Add suffixes: {rb.year}a, {rb.year}b, ... in the list and in the citations.",
                related=(first.span,),
            )


@rule("CC204", "unparsed-reference", Severity.WARNING)
def unparsed_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """An entry with no recognisable author or year.

    Flags: a reference-list entry in which no author list or no year could be found.
    Why: citations cannot be linked to it, so every check on it is blind.
    Example: "Anonymous report on trade, retrieved from the ministry website."; in a .bib, an entry
    with an unbalanced brace, or one with no author, editor or year field.
    Limits: also flags stray text that ended up inside the reference list.
    """
    for i, ref in enumerate(ctx.references):
        if ref.authors and ref.year:
            continue
        missing = "author" if not ref.authors else "year"
        if not ref.authors and not ref.year:
            missing = "author or year"
        excerpt = ref.text if len(ref.text) <= 60 else ref.text[:57] + "..."
        if ref.origin != "list":
            yield _unparsed_entry(r, i, ref, missing, excerpt)
            continue
        yield r.finding(
            f"Reference entry '{excerpt}' has no recognisable {missing}.",
            span=ref.span,
            reference=i,
            suggestion="Write the entry as 'Surname, I. (Year). Title. Source.'",
        )


def _unparsed_entry(r: Rule, i: int, ref: Reference, missing: str, excerpt: str) -> Finding:
    if ref.key is None and not ref.title:
        return r.finding(
            f"Bibliography entry '{excerpt}' could not be parsed.",
            span=ref.span,
            reference=i,
            suggestion="Check the entry's braces, quotes and commas; BibTeX skips an entry it cannot read.",
        )
    field = {"author": "an author (or editor)", "year": "a year (or date)"}.get(missing, "an author and a year")
    return r.finding(
        f"Bibliography entry '{ref.key or excerpt}' has no {missing} field.",
        span=ref.span,
        reference=i,
        suggestion=f"Give the entry {field}; author-date styles print 'Anon.' or 'n.d.' otherwise.",
    )


def all_rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: r.code)


# A quotation of four or more words that closes right before the citation's bracket:
# '... "a pragmatic response to external pressure" (Schmidt, 2021)'.
QUOTATION = re.compile(r"""[“"](?P<quote>[^“”"\n]{12,600})[”"][ \t]*$""")


@rule("CC107", "quotation-without-locator", Severity.WARNING)
def quotation_without_locator(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A direct quotation cited without a page or paragraph.

    Flags: a citation that follows a quoted passage of four or more words directly and gives no
    locator.
    Why: APA, Harvard and Chicago all require a page (or paragraph) for a direct quotation so the
    reader can find the words.
    Example: '"a pragmatic response to external pressure" (Schmidt, 2021)'.
    Limits: runs only when the manuscript gives a page locator somewhere, since journals that never
    use locators (much of the life sciences) do not ask for them; quotations closed long before the
    citation, and block quotations, are not seen; short quoted terms ("Vostok") are ignored.
    """
    if not any(c.locator is not None for c in ctx.citations):
        return
    for i, c in enumerate(ctx.citations):
        if c.locator is not None:
            continue
        # the text between the end of a quotation and the citation: only the opening bracket
        head_end = c.span.start
        if c.narrative:
            continue  # 'Smith (2018) wrote "..."': the quotation follows, its locator often after it
        open_at = ctx.clean.rfind("(", max(0, head_end - 80), head_end)
        if open_at < 0 or ctx.clean[open_at + 1 : head_end].strip(" ,;"):
            if open_at < 0:
                continue
            between = ctx.clean[open_at + 1 : head_end]
            if between.strip() and not between.strip().endswith(";"):
                continue
        m = QUOTATION.search(ctx.clean, max(0, open_at - 620), open_at)
        if m is None or len(m.group("quote").split()) < 4:
            continue
        yield r.finding(
            f"'{_cited(ctx, c)}' follows a direct quotation but gives no page.",
            span=c.span,
            citation=i,
            suggestion=f"Add the page of the quotation: ({_cited_authors(c)}, {c.year}, p. N).",
        )


def _sort_keys(ref: Reference) -> tuple[str, str]:
    """Sorting keys with and without particles: lists file "de Melo" under D or under M."""
    if not ref.authors:
        return "", ""
    return name_key(ref.authors[0].family), core_key(ref.authors[0].family)


@rule("CC205", "reference-order", Severity.NOTE)
def reference_order(ctx: Context, r: Rule) -> Iterator[Finding]:
    """An entry out of the alphabetical order the rest of the list keeps.

    Flags: the first entry whose first author sorts before the one above it, in a list that is
    otherwise alphabetical (one neighbour in ten out of order at most, or just this one).
    Why: author-date styles sort the list by first author so readers can find an entry; one entry
    out of place is usually a late addition.
    Example: "Zhou, H. (2020)" listed between "Baker" and "Baumann".
    Limits: reported once per list; only the initial letter is compared, since conventions for
    particles ("van der Berg" under V or B), apostrophes and Mac/Mc differ.
    """
    listed = [i for i, ref in enumerate(ctx.references) if ref.origin == "list"]  # a bibliography file is sorted by the style
    keys = {i: _sort_keys(ctx.references[i]) for i in listed}
    pairs = [(i, keys[h], keys[i]) for h, i in itertools.pairwise(listed) if keys[i][0] and keys[h][0]]
    if len(pairs) < 5:
        return
    # Out of order by initial letter whichever way particles are filed. Within a letter, conventions
    # differ too much (O'Neil/Okafor, Mac/Mc, accents) to call an order wrong.
    out_of_order = [i for i, a, b in pairs if max(b[0][:1], b[1][:1]) < min(a[0][:1], a[1][:1])]
    if not out_of_order or len(out_of_order) > max(1, len(pairs) // 10):
        return  # sorted, or not meant to be sorted
    i = out_of_order[0]
    ref, above = ctx.references[i], ctx.references[listed[listed.index(i) - 1]]
    yield r.finding(
        f"{ref_label(ref)} is listed after {ref_label(above)}, out of alphabetical order.",
        span=ref.span,
        reference=i,
        suggestion=f"Move {ref_label(ref)} to its alphabetical place.",
    )


@rule("CC108", "malformed-citation", Severity.ERROR)
def malformed_citation(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A LaTeX citation command that cannot be read.

    Flags: "\\citep{smith2018" whose key list is never closed, an optional argument "[p.~4" never
    closed, or a citation command with no {key} argument.
    Why: LaTeX stops with an error or swallows the text that follows, and the citation is lost.
    Example: "as shown by \\citet{smith2018, and later".
    Limits: an argument is taken to be unclosed at a paragraph break or after 2,000 characters.
    """
    for span, why in ctx.malformed:
        written = " ".join(ctx.text[span.start : span.end].split())
        yield r.finding(
            f"'{written}' cannot be read: {why}.",
            span=span,
            suggestion="Close the braces and brackets of the command: \\citep[pre][post]{key1,key2}.",
        )


@rule("CC206", "unused-entry", Severity.NOTE)
def unused_entry(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A bibliography entry that no key cites and no \\nocite names.

    Flags: an entry of a .bib or CSL-JSON file named by the manuscript (\\bibliography,
    \\addbibresource, YAML front matter) whose key no citation uses.
    Why: BibTeX and citeproc leave it out of the list, which is what the author wants only if the
    entry is unused on purpose; often its citation was deleted or mistyped.
    Example: refs.bib defines lo2019 while the text cites lo2017 only.
    Limits: a note, since shared .bib files hold many works on purpose; silent with \\nocite{*},
    and for bibliographies given with --bib.
    """
    if not any(c.key is not None for c in ctx.citations) or any(key == "*" for key, _ in ctx.nocite):
        return
    # Letter case aside: a key that differs only in case is an undefined key or a duplicate key.
    used = {c.key.casefold() for c in ctx.citations if c.key is not None} | {key.casefold() for key, _ in ctx.nocite}
    for i in [i for i, ref in enumerate(ctx.references) if ref.key is not None and ref.origin == "bibliography"]:
        ref = ctx.references[i]
        if ref.key is not None and ref.key.casefold() not in used:
            yield r.finding(
                f"Entry '{ref.key}', {ref_label(ref)}, is never cited.",
                span=ref.span,
                reference=i,
                suggestion=f"Cite it, remove it, or keep it listed: \\nocite{{{ref.key}}} (LaTeX), nocite: @{ref.key} (Pandoc).",
            )


@rule("CC207", "duplicate-key", Severity.ERROR)
def duplicate_key(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Two bibliography entries with the same key.

    Flags: a key defined twice in the bibliography files, letter case ignored as BibTeX does.
    Why: BibTeX keeps the first entry and drops the second with a warning, biber stops; citations
    of the key may mean either work.
    Example: two entries "@article{smith2018," in refs.bib.
    Limits: only keys of bibliography files; the manuscript's own reference list has none.
    """
    first: dict[str, int] = {}
    for i, ref in enumerate(ctx.references):
        if ref.key is None:
            continue
        seen = first.setdefault(ref.key.casefold(), i)
        if seen == i:
            continue
        earlier = ctx.references[seen]
        same = "" if earlier.key == ref.key else f" (as '{earlier.key}')"
        yield r.finding(
            f"The key '{ref.key}' is defined twice{same}: {ref_label(earlier)} and {ref_label(ref)}.",
            span=ref.span,
            reference=i,
            suggestion="Give one of the two entries another key, or remove it if it is the same work.",
            related=(earlier.span,),
        )
