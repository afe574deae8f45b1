"""Settling links with reference-manager fields: a Zotero, Mendeley or EndNote field says which work it cites.

Input: the CSL citation fields of a DOCX (``Source.fields`` from ``readers.docx``: the span of each
field's displayed text and its CSL citation JSON), the citations, the references and the links
that linking by author and year made. Output: the links, with those of citations inside a field
settled by the field's item where the reference list has that item:

* an ambiguous link becomes a link to the one candidate that is the item: two "(Brown, 2021)" by
  different Browns are told apart by the field;
* a link to an entry that is another work moves to the entry that is the item, when the citation
  fits that entry as well (a citation "(Smith, 2018)" first linked to Smith (2018) when the field
  cites Smith, Okafor & Lee (2018));
* a missing reference becomes a link only when the item is listed.

A citation outside every field keeps its link, and so does one whose item is not listed: the field
cannot say more than the list holds. The item is matched to an entry by DOI, else by first author,
year and title, never by the displayed text, which the user may have edited.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, utils

from citecheck.bibliography.common import parse_doi
from citecheck.cache import regex
from citecheck.link import EntryJudge
from citecheck.model import Citation, Field, Link, LinkStatus, Reference
from citecheck.names import core_key, initials_of, name_key

# Title similarity (rapidfuzz token_set_ratio on lower-cased words, 0-100) from which an entry is
# the item: "Tidal restoration of reclaimed farmland" / "Tidal restoration of reclaimed farmland:
# a review" 100, while two works of one author and year rarely pass 60.
TITLE_MIN = 85.0

# A year in a CSL date given as text: "2021-03-04", "Spring 2019".
_YEAR = regex(r"(?<!\d)(\d{4})(?!\d)")
# Rich text Zotero keeps in titles: "<i>Spartina</i> dieback".
_MARKUP = regex(r"<[^<>]{1,40}>")


@dataclass(frozen=True)
class FieldItem:
    """One work a field cites, reduced to what identifies it in a reference list."""

    family: str  # the first author's family name, particle included: "van den Berg"; "" without authors
    initials: str  # "JK" for "Jane Karin"
    year: str | None  # "2021"; None when the item has no date
    title: str
    doi: str  # lower-cased, without "https://doi.org/"; "" when none


def settle_field_links(
    fields: Sequence[Field], citations: Sequence[Citation], references: Sequence[Reference], links: Sequence[Link]
) -> list[Link]:
    """The links, with those of citations inside a field settled by the item the field cites."""
    if not fields or not links:
        return list(links)
    items = _cited_items(fields, citations)
    if not items:
        return list(links)
    index = _EntryIndex(references)
    judge = EntryJudge(references, citations)
    out = []
    for link in links:
        item = items.get(link.citation)
        entries = index.entries(item) if item is not None else []
        if entries:
            link = _settle(link, citations[link.citation], entries, judge)
        out.append(link)
    return out


# -- which item each citation stands for -------------------------------------------------------------


def _cited_items(fields: Sequence[Field], citations: Sequence[Citation]) -> dict[int, FieldItem]:
    """For each citation in a field, the field's item it stands for: {citation index: item}."""
    spans = sorted(range(len(fields)), key=lambda f: fields[f][0])
    starts = [fields[f][0] for f in spans]
    inside: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(citations):
        f = _field_of(c, fields, spans, starts)
        if f is not None:
            inside[f].append(i)
    out: dict[int, FieldItem] = {}
    for f, cited in inside.items():
        items = _items(fields[f][2])
        if len(items) == 1 and len(cited) == 1:
            if items[0] is not None:
                out[cited[0]] = items[0]  # the field cites one work and the text shows one citation: that work
            continue
        out.update(_pair(cited, citations, items))
    return out


def _field_of(c: Citation, fields: Sequence[Field], spans: list[int], starts: list[int]) -> int | None:
    """The field a citation's span overlaps. Overlap rather than containment, because a narrative
    citation is often half typed: "Brown (2021)" where only "(2021)" is Zotero's field, its author
    suppressed."""
    lo, hi = 0, len(starts)
    while lo < hi:  # the last field that starts before the citation ends
        mid = (lo + hi) // 2
        if starts[mid] < c.span.end:
            lo = mid + 1
        else:
            hi = mid
    if lo == 0:
        return None
    f = spans[lo - 1]
    return f if fields[f][1] > c.span.start else None


def _pair(cited: list[int], citations: Sequence[Citation], items: list[FieldItem | None]) -> dict[int, FieldItem]:
    """Each citation of a field with several items to the item whose first author and year fit it
    best. An item already taken yields to one that is not, so that "(Brown, 2021; Brown, 2021)" in
    one field takes the field's two Browns in turn; a citation that fits no item by name or year
    gets none."""
    out: dict[int, FieldItem] = {}
    taken: set[int] = set()
    readable = [(n, item) for n, item in enumerate(items) if item is not None]
    if not readable:
        return out
    for i in cited:
        c = citations[i]
        n, best = max(readable, key=lambda pair: (_fit(c, pair[1]), pair[0] not in taken, -pair[0]))
        name, year, _ = _fit(c, best)
        if name or year:
            out[i] = best
            taken.add(n)
    return out


def _fit(c: Citation, item: FieldItem) -> tuple[int, int, int]:
    """How well a citation fits an item: (first author agrees, year agrees, initials agree)."""
    cited = c.authors[0] if c.authors else ""
    same_name = bool(item.family) and _same_name(cited, item.family)
    same_year = item.year is not None and item.year == _year_of(c.year)
    same_initials = bool(c.initials) and item.initials.startswith(c.initials or "")
    return int(same_name), int(same_year), int(same_initials)


# -- the items of a field ----------------------------------------------------------------------------


def _items(csl: Mapping[str, Any]) -> list[FieldItem | None]:
    """The items of a CSL citation, in its order; None for one without readable ``itemData``.
    The JSON is the user's document: any part of it can be missing or of another type."""
    raw = csl.get("citationItems") if isinstance(csl, Mapping) else None
    if not isinstance(raw, list):
        return []
    out: list[FieldItem | None] = []
    for entry in raw:
        data = entry.get("itemData") if isinstance(entry, Mapping) else None
        out.append(_item(data) if isinstance(data, Mapping) else None)
    return out


def _item(data: Mapping[str, Any]) -> FieldItem:
    # An edited book has editors and no authors; its entry is listed under the editors.
    people = data.get("author") or data.get("editor")
    first = people[0] if isinstance(people, list) and people and isinstance(people[0], Mapping) else {}
    family = " ".join(
        str(first[k]).strip() for k in ("non-dropping-particle", "family") if isinstance(first.get(k), str | int) and first[k]
    )
    family = family or str(first.get("literal") or "").strip()  # a group author: {"literal": "World Health Organization"}
    title = data.get("title")
    doi = data.get("DOI")
    return FieldItem(
        family=family,
        initials=initials_of(str(first.get("given") or "")),
        year=_issued_year(data.get("issued")),
        title=_MARKUP.sub("", title) if isinstance(title, str) else "",
        doi=(parse_doi(doi) or "").lower() if isinstance(doi, str) else "",
    )


def _issued_year(issued: object) -> str | None:
    """The year of a CSL date: {"date-parts": [[2021, 3]]}, {"date-parts": [["2021"]]}, {"raw": "2021-03"}."""
    if not isinstance(issued, Mapping):
        return None
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        m = _YEAR.search(str(parts[0][0]))
        if m:
            return m.group(1)
    for key in ("raw", "literal"):
        if isinstance(issued.get(key), str):
            m = _YEAR.search(issued[key])
            if m:
                return m.group(1)
    return None


# -- which entry of the list is the item -------------------------------------------------------------


class _EntryIndex:
    """The reference list looked up by DOI and by (first author, year), for finding an item in it."""

    def __init__(self, references: Sequence[Reference]) -> None:
        self.references = references
        self.by_doi: dict[str, list[int]] = defaultdict(list)
        self.by_name_year: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i, ref in enumerate(references):
            if ref.doi:
                self.by_doi[(parse_doi(ref.doi) or "").lower()].append(i)
            if ref.authors:
                family = ref.authors[0].family
                for key in {name_key(family), core_key(family)}:
                    self.by_name_year[(key, ref.year or "")].append(i)

    def entries(self, item: FieldItem) -> list[int]:
        """The entries that are the item, in list order: more than one only when the list has the
        work twice (duplicate-reference reports that)."""
        found = set(self.by_doi.get(item.doi, ())) if item.doi else set()
        if item.family and item.title:
            years = [item.year] if item.year else ["", "n.d."]
            for year in years:
                for key in {name_key(item.family), core_key(item.family)}:
                    for i in self.by_name_year.get((key, year), ()):
                        if self._same_title(item, self.references[i]):
                            found.add(i)
        return sorted(found)

    def _same_title(self, item: FieldItem, ref: Reference) -> bool:
        if item.doi and ref.doi:
            return False  # both have a DOI, and they differ: another work whatever its title says
        if not ref.title:
            return False
        return fuzz.token_set_ratio(item.title, ref.title, processor=utils.default_process) >= TITLE_MIN


# -- the settled link --------------------------------------------------------------------------------


def _settle(link: Link, c: Citation, entries: list[int], judge: EntryJudge) -> Link:
    """The link of a citation whose item is listed as ``entries``."""
    if link.status is LinkStatus.AMBIGUOUS:
        hits = [i for i in link.also if i in entries]
        if len(hits) != 1:
            return link
        status = judge.status(c, hits[0])
        return _to(link, hits[0], status if status is not LinkStatus.MISSING else LinkStatus.EXACT)
    if link.status is LinkStatus.MISSING:
        status = judge.status(c, entries[0])
        if status is LinkStatus.MISSING:
            status = _trusting_field(c, judge.references[entries[0]])
        return _to(link, entries[0], status)
    if link.reference in entries:
        return dataclasses.replace(link, basis="field")  # the field confirms what the text said
    # Linked to another work. Move only where the citation fits the item's entry as well as it
    # fitted the wrong one: "(Smith, 2018)" linked exactly to Smith (2018) while the field cites
    # Smith, Okafor & Lee (2018) moves, but an edited "(Jones, 2019)" in a field for Smith stays.
    status = judge.status(c, entries[0])
    if status is LinkStatus.EXACT or status is link.status:
        return _to(link, entries[0], status)
    return link


def _trusting_field(c: Citation, ref: Reference) -> LinkStatus:
    """The status of a citation that linking found nothing for, when its field says it is ``ref``.
    The field is certain about the work; what the text gets wrong is reported: "(Li, 2020)" in a
    field for Lu (2020) is a misspelt name (linking never calls names under four letters slips),
    "(Smith & Lee, 2019)" for Smith & Jones (2020) a wrong year (and only that: one finding a link)."""
    if _year_of(c.year) != _year_of(ref.year or ""):
        return LinkStatus.YEAR_MISMATCH
    if all(_same_name(a, b.family) for a, b in zip(c.authors, ref.authors, strict=False)):
        return LinkStatus.EXACT
    return LinkStatus.AUTHOR_MISMATCH


def _to(link: Link, reference: int, status: LinkStatus) -> Link:
    # The candidates stay: they are the evidence of what the text alone would have matched.
    return Link(citation=link.citation, status=status, reference=reference, candidates=link.candidates, basis="field")


def _same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b) or core_key(a) == core_key(b)


def _year_of(label: str) -> str | None:
    """The four-digit year of a cited year: "2021a" -> "2021", "1890/1983" -> "1983"; None for "n.d."."""
    years = _YEAR.findall(label.split("/")[-1]) or _YEAR.findall(label)
    return years[-1] if years else None
