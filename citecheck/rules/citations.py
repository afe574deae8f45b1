"""The rules on citations (CC1xx): each citation against the entry it was linked to, or the lack of one;
and unused-suppression (CC110), whose notes the suppression stage (citecheck.suppressions) writes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from citecheck.cache import regex
from citecheck.citations import UNPUBLISHED, unpublished
from citecheck.model import Citation, Finding, Link, LinkStatus, Pages, Reference, Severity, page_number
from citecheck.names import name_key
from citecheck.rules.labels import (
    as_cited,
    cited_authors,
    family_initial_year,
    linked,
    pages_label,
    ref_label,
    short_title,
    with_initial,
)
from citecheck.rules.registry import Context, Rule, rule


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
            f"{len(ctx.citations)} citations, first '{as_cited(ctx, c)}', but no bibliography file was found.",
            span=c.span,
            citation=0,
            suggestion="Name the bibliography (\\bibliography{refs}, or 'bibliography:' in YAML front matter), or --bib FILE.",
        )
        return
    yield r.finding(
        f"{len(ctx.citations)} citations, first '{as_cited(ctx, c)}', but no reference list was found.",
        span=c.span,
        citation=0,
        suggestion="Add the reference list under a heading such as 'References'.",
    )


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
        if unpublished(c) is not None:
            continue  # unpublished-citation says it, as a note
        who = cited_authors(c)
        suggestion = f"Add {who} ({c.year}) to the reference list, or correct the citation."
        near = [cand for cand in link.candidates if cand.score >= 60]
        message = f"'{as_cited(ctx, c)}' has no entry in the reference list."
        if near:
            labels = " or ".join(ref_label(ctx.references[cand.reference]) for cand in near[:2])
            message = f"'{as_cited(ctx, c)}' has no entry in the reference list; the nearest are {labels}."
            suggestion = f"Add {who} ({c.year}) to the reference list, or correct the citation if it means {labels}."
        # A weak reading ("Name 2018", no comma, a name the list lacks) may be a product or an event.
        confidence = "likely" if c.weak else "certain"
        yield r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion, confidence=confidence)


def _undefined_key(ctx: Context, r: Rule, link: Link, c: Citation) -> Finding:
    message = f"'{as_cited(ctx, c)}': the key '{c.key}' is not defined in the bibliography."
    suggestion = f"Add an entry with the key '{c.key}' to the bibliography, or correct the key."
    if link.candidates:
        near = ctx.references[link.candidates[0].reference]
        message += f" The nearest key is '{near.key}', {ref_label(near)}."
        suggestion = f"Change the key to '{near.key}' if it means {ref_label(near)}, or add an entry with the key '{c.key}'."
    return r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion)


@rule("CC110", "unused-suppression", Severity.NOTE)
def unused_suppression(ctx: Context, r: Rule) -> Iterator[Finding]:
    """A suppression comment that silences nothing.

    Flags: a "% citecheck: ignore[CC101]" (LaTeX, BibTeX) or "<!-- citecheck: ignore CC101 -->"
    (Markdown) comment where no finding of the rules it names starts: on its line, and on the next
    when it stands alone on its line; in a .bib file, on the entry right after its comment lines.
    Also one that names a rule that does not exist ("ignore[CC1O1]"), and a .bib one before no entry.
    Why: a suppression outlives the problem it silenced, and a mistyped code silences nothing while
    it seems to; left in place, either would hide the next real finding on that line.
    Example: "\\citep{taylor2022} % citecheck: ignore[CC101] cited before publication" once the
    entry taylor2022 has been added to refs.bib.
    Limits: the suppression stage writes these notes once the other rules have run; this check
    itself finds nothing. A rule that did not run (not selected, or a --verify rule without
    --verify) is not counted as silencing nothing. The notes cannot be silenced inline: use
    --ignore CC110.
    """
    return iter(())


@rule("CC111", "unpublished-citation", Severity.NOTE)
def unpublished_citation(ctx: Context, r: Rule) -> Iterator[Finding]:
    """Unpublished work cited in the text and absent from the list.

    Flags: a citation whose year is a status ("in preparation", "submitted", "in revision",
    "under review", "unpublished data", "personal communication"), or that follows the year
    ("2016, in revision"), when no entry of the list has it.
    Why: many styles list such work ("Manuscript in preparation") and many journals leave it out;
    personal communications are never listed. The note says which, so an editor can decide.
    Example: "(Quint and Adair, in preparation)" with no Quint entry.
    Limits: "in press" and "forthcoming" works are published ones and must be listed: a missing
    one is missing-reference.
    """
    if not ctx.has_reference_list:
        return
    for link in ctx.links:
        c = ctx.citations[link.citation]
        status = unpublished(c) if link.status is LinkStatus.MISSING and c.key is None else None
        if status is None:
            continue
        if status in ("personal communication", "pers. comm."):
            suggestion = "Nothing to add if the journal follows APA; give the date of the communication in the text."
        else:
            suggestion = "Leave it out of the list if the journal does not list unpublished work; otherwise add an entry."
        yield r.finding(
            f"'{as_cited(ctx, c)}' cites unpublished work ({status}) that the reference list does not hold; "
            f"{UNPUBLISHED[status]}.",
            span=c.span,
            citation=link.citation,
            suggestion=suggestion,
        )


@rule("CC102", "year-mismatch", Severity.ERROR)
def year_mismatch(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The cited author matches a reference but the year differs.

    Flags: a citation whose authors match exactly one listed work while its year matches none of
    that author's works.
    Why: either the year in the text or the one in the list is wrong; readers look up the wrong
    edition or cannot find the work.
    Example: "(Sakwa, 2020, p. 67)" when the list has Sakwa, R. (2023).
    Limits: if the author has several listed works, the nearest year is named. "n.d." in the text
    against a dated entry is a warning: citation processors write "n.d." for works known by an
    access date alone, and converters may put that year in the entry.
    """
    for link, c, ref in linked(ctx, LinkStatus.YEAR_MISMATCH):
        if c.year.startswith("n.d.") and ref.year and ref.year[:4].isdigit():
            # Citation processors write "n.d." for a work known by its access date alone, whose
            # year a converter may then put in the entry: worth a look, not an error.
            message = f"'{as_cited(ctx, c)}' is undated in the text, but the reference list dates it: {ref_label(ref)}."
            suggestion = f"Cite it with the year {ref.year_label} if the work is dated; otherwise make the entry undated."
            confidence = "likely"
        else:
            shape = ""
            if not c.etal and len(c.authors) != len(ref.authors) and not ref.etal and ref.authors and not ref.authors[0].group:
                shape = f" It names {len(c.authors)} of the work's {len(ref.authors)} authors."
            message = f"'{as_cited(ctx, c)}' cites {c.year}, but the reference list has {ref_label(ref)}.{shape}"
            suggestion = f"Change the year to {ref.year_label}, or add the {c.year} work to the reference list."
            confidence = "likely" if shape else "certain"  # the author list differs too: maybe another work
        yield r.finding(
            message,
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=suggestion,
            related=(ref.span,),
            confidence=confidence,
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
    spelt: dict[str, Reference] = {}  # every surname the list spells, with an entry that spells it so
    for ref in ctx.references:
        for a in ref.authors:
            spelt.setdefault(name_key(a.family), ref)
    advice: dict[tuple[tuple[str, ...], int | None], tuple[str, str] | None] = {}  # one name cited again and again
    for link, c, ref in linked(ctx, LinkStatus.AUTHOR_MISMATCH):
        said = advice.get((c.authors, link.reference), ())
        if said == ():
            said = advice[(c.authors, link.reference)] = _respelling(c.authors, ref, spelt)
        if said is None:
            continue
        label, suggestion = said
        yield r.finding(
            f"'{as_cited(ctx, c)}': the reference list spells the name as {label}.",
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=suggestion,
            related=(ref.span,),
        )


def _respelling(cited: tuple[str, ...], ref: Reference, spelt: dict[str, Reference]) -> tuple[str, str] | None:
    """The entry's label and the advice for names cited one slip away from its own; None when
    every name agrees."""
    pairs = [(name, listed.family) for name, listed in zip(cited, ref.authors, strict=False)]
    wrong = [(a, b) for a, b in pairs if name_key(a) != name_key(b)]
    if not wrong:
        return None
    # Which side is wrong is not known: the advice names both, the likelier first. A cited
    # spelling that another entry has too is more likely the list's slip.
    fixes = ", ".join(f"'{a}' to '{b}'" for a, b in wrong)
    undo = ", ".join(f"'{b}' to '{a}'" for a, b in wrong)
    elsewhere = next((spelt[name_key(a)] for a, _ in wrong if name_key(a) in spelt), None)
    if elsewhere is not None:
        suggestion = (
            f"Correct the entry: change {undo}, as the list spells it in {ref_label(elsewhere)}; "
            f"or change {fixes} in the text if the entry is right."
        )
    else:
        suggestion = f"Change {fixes} in the text, or {undo} in the entry if the text is right."
    return ref_label(ref), suggestion


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
        names = [family_initial_year(x) for x in refs]
        if len(set(names)) < len(names):  # the same label twice: tell them apart by title
            names = [f"{n} '{short_title(x)}'" for n, x in zip(names, refs, strict=True)]
        labels = " and ".join(names) if len(names) <= 3 else ", ".join(names[:3]) + f" and {len(names) - 3} more"
        initials = {a.authors[0].initials[:1] for a in refs}
        if len(initials) == len(refs) and "" not in initials:
            options = " or ".join(f"({with_initial(x)})" for x in refs)
            suggestion = f"Add the first author's initial: {options}."
        else:
            suggestion = f"Add year suffixes ({', '.join(c.year + s for s in 'abcdefgh'[: len(refs)])}) in the list and the text."
        message = f"'{as_cited(ctx, c)}' fits {len(refs)} references equally: {labels}."
        loc = c.locator
        if loc and loc.kind == "page" and isinstance(loc.first, int) and isinstance(loc.last, int):
            outside = [x for x in refs if _outside(loc.first, loc.last, x) is True]
            if len(outside) == len(refs):
                message += f" Page {loc.first} lies outside the pages of each of them."
        yield r.finding(message, span=c.span, citation=link.citation, suggestion=suggestion, related=tuple(x.span for x in refs))


def _page_range(ref: Reference) -> tuple[int, int] | None:
    if ref.pages is None or not ref.pages.last:
        return None
    first, last = page_number(ref.pages.first), page_number(ref.pages.last)
    if first is None or last is None:
        return None
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
    a chapter's, and when the locator is a bare number with no "p." ("(Smith 2018, 45)"), which may
    be something else than a page; a ratio ("1:5000") is never read as a page; works with one page
    or an article number (e0123456) are not checked. With --verify, a work listed without pages is
    checked against the registry's page range, unless the registry's record is another version of
    it (the published version of a cited preprint).
    """
    # With --verify, a work the list gives no pages for is checked against the registry's pages;
    # not against another version's (the published pages of a cited preprint).
    learned = {}
    if ctx.verifications:
        from citecheck.verify.match import versions  # imports rapidfuzz: only when verifying

        learned = {
            v.reference: v.record
            for v in ctx.verifications
            if v.status in ("ok", "metadata-mismatch")
            and v.record is not None
            and v.record.first_page
            and v.record.last_page
            and not versions(ctx.references[v.reference], v.record)
        }
    for link, c, ref in linked(ctx, LinkStatus.EXACT):
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
        # A book's listed range may be a chapter's; a bare number after the year may be no page.
        confidence = "possible" if not loc.marked else "likely" if ref.kind == "book" else "certain"
        yield r.finding(
            f"'{as_cited(ctx, c)}': {cited} lies outside the pages of {ref_label(ref)}, {pages_label(ref)}{source}.",
            span=c.span,
            citation=link.citation,
            reference=link.reference,
            suggestion=f"Check the page against {ref_label(ref)} and correct the locator or the listed pages.",
            related=(ref.span,),
            confidence=confidence,
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
    for link, c, ref in linked(ctx, LinkStatus.EXACT):
        n = len(ref.authors)
        if ref.etal or not ref.authors or ref.authors[0].group or c.key is not None:
            continue
        k = len(c.authors)
        names = [a.family for a in ref.authors]
        if c.etal and n <= 2:
            right = names[0] if n == 1 else f"{names[0]} & {names[1]}"
            message = f"'{as_cited(ctx, c)}' uses 'et al.' for a work with {'one author' if n == 1 else 'two authors'}."
            suggestion = f"Cite it as ({right}, {c.year})."
        elif not c.etal and k == 1 and n >= 2:
            right = f"{names[0]} & {names[1]}" if n == 2 else f"{names[0]} et al."
            message = f"'{as_cited(ctx, c)}' names one author of a work with {n} authors."
            suggestion = f"Cite it as ({right}, {c.year})."
        elif not c.etal and k >= 2 and k != n:
            message = f"'{as_cited(ctx, c)}' names {k} authors; the listed work has {n}."
            right = f"{names[0]} et al." if n >= 3 else f"{names[0]} & {names[1]}"
            suggestion = f"Cite it as ({right}, {c.year})."
        else:
            continue
        yield r.finding(message, span=c.span, citation=link.citation, reference=link.reference, suggestion=suggestion)


# A quotation of four or more words that closes right before the citation's bracket:
# '... "a pragmatic response to external pressure" (Schmidt, 2021)'.
QUOTATION = regex(r"""[“"](?P<quote>[^“”"\n]{12,600})[”"][ \t]*$""")


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
        before = ctx.clean[max(0, open_at - 620) : open_at]
        if before.rstrip(" \t\n")[-1:] not in ("”", '"'):
            continue  # no quotation closes right before the bracket: QUOTATION ends in one
        m = QUOTATION.search(ctx.clean, max(0, open_at - 620), open_at)
        if m is None or len(m.group("quote").split()) < 4:
            continue
        yield r.finding(
            f"'{as_cited(ctx, c)}' follows a direct quotation but gives no page.",
            span=c.span,
            citation=i,
            suggestion=f"Add the page of the quotation: ({cited_authors(c)}, {c.year}, p. N).",
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
