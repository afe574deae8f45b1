"""The rules on the reference list and bibliography files (CC2xx): entries never cited, duplicated,
unparsed, out of order, or sharing an author and year without a suffix."""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterator

from citecheck.cache import regex
from citecheck.model import Finding, Reference, Severity
from citecheck.names import core_key, name_key
from citecheck.references import earlier_twins, same_work
from citecheck.rules.labels import cited_references, ref_label
from citecheck.rules.registry import Context, Rule, rule


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
    cited = ctx.shared(cited_references)  # made once for the rules that ask
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
    for members in ctx.shared(_author_year_groups):
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


def _author_signature(ref: Reference) -> tuple[str, ...]:
    return tuple(name_key(a.family) for a in ref.authors)


def _author_year_groups(ctx: Context) -> list[list[int]]:
    """Entries of one list with the same author list and year, two or more to a group, in list
    order. A book's chapters each have their list: a work in two of them is no duplicate."""
    groups: dict[tuple[int, tuple[str, ...], str], list[int]] = defaultdict(list)
    for i, ref in enumerate(ctx.references):
        if ref.authors and ref.year:
            groups[(ctx.list_of(ref), _author_signature(ref), ref.year)].append(i)
    return [members for members in groups.values() if len(members) > 1]


@rule("CC203", "duplicate-reference", Severity.WARNING)
def duplicate_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """The same work listed twice.

    Flags: two entries with the same DOI, or the same authors, year and (nearly) the same title.
    Why: duplicates inflate the list and split the citations between two entries.
    Example: Lo, B. (2019). Axis of convenience ... listed twice.
    Limits: the same work listed under different years is not caught.
    """
    seen_doi: dict[tuple[int, str], int] = {}
    reported: set[int] = set()
    for i, ref in enumerate(ctx.references):
        if ref.doi:
            key = (ctx.list_of(ref), ref.doi.lower())
            if key in seen_doi:
                reported.add(i)
                yield _duplicate(r, ctx, seen_doi[key], i)
            else:
                seen_doi[key] = i
    for members in ctx.shared(_author_year_groups):
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


@rule("CC204", "unparsed-reference", Severity.WARNING)
def unparsed_reference(ctx: Context, r: Rule) -> Iterator[Finding]:
    """An entry with no recognisable author or year.

    Flags: a reference-list entry in which no author list or no year could be found.
    Why: citations cannot be linked to it, so every check on it is blind.
    Example: "Anonymous report on trade, retrieved from the ministry website."; in a .bib, an entry
    with an unbalanced brace, or one with no author, editor or year field.
    Limits: also flags stray text that ended up inside the reference list. An entry with its
    authors but no year that the text cites (DIN 1505-2 and Copernicus print no year for a web
    page or software) is a note: the citation is linked, only its year goes unchecked.
    """
    cited = ctx.shared(cited_references)  # made once for the rules that ask
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
        if ref.authors and i in cited:
            yield r.finding(
                f"Reference entry '{excerpt}' gives no year, so the year of its citations was not checked.",
                span=ref.span,
                reference=i,
                severity=Severity.NOTE,
                suggestion="Give the entry its year (or 'n.d.') if the style allows it.",
            )
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
    particles ("van der Berg" under V or B), apostrophes and Mac/Mc differ. An entry with no year
    is left out (a style may file a web page under its author and print only its title), and so is
    an edited book listed under its editors (DIN 1505-2 files it first, by its missing author).
    """
    lists: dict[int, list[int]] = defaultdict(list)
    for i, ref in enumerate(ctx.references):
        # a bibliography file is sorted by the style
        if ref.origin == "list" and ref.year and not EDITED.search(ref.text[:200]):
            lists[ctx.list_of(ref)].append(i)
    for listed in lists.values():
        yield from _out_of_order(ctx, r, listed)


# An edited book's editor mark after the names: "(Hrsg.)", "(Eds.)", "(éd.)", Chicago's ", ed.".
EDITED = regex(r"^[^()]{1,150}?(?:\((?:[eé]ds?|hrsg|hg)\.\)|,\s*eds?\.)", re.IGNORECASE)


def _out_of_order(ctx: Context, r: Rule, listed: list[int]) -> Iterator[Finding]:
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
    k = listed.index(i)
    h = listed[k - 1]
    after = listed[k + 1] if k + 1 < len(listed) else None
    # The entry above may be the one out of place: "Zhou" before "Adams", "Baker".
    above_misplaced = after is not None and bool(keys[after][0]) and _initial(keys[after], max) < _initial(keys[h], min)
    moved, other = (h, i) if above_misplaced else (i, h)
    ref = ctx.references[moved]
    yield r.finding(
        f"{ref_label(ref)} is listed {'before' if above_misplaced else 'after'} {ref_label(ctx.references[other])}, "
        "out of alphabetical order.",
        span=ref.span,
        reference=moved,
        suggestion=f"Move {ref_label(ref)} to its alphabetical place.",
    )


def _initial(key: tuple[str, str], pick: Callable[[str, str], str]) -> str:
    """The initial a sort key files under, one way of filing particles or the other."""
    return pick(key[0][:1], key[1][:1])


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
    for i, ref in enumerate(ctx.references):
        if ref.key is not None and ref.origin == "bibliography" and ref.key.casefold() not in used:
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
