"""Linking each citation to the reference it means.

Input: citations and references. Output: one ``Link`` per citation with a status (exact,
year-mismatch, author-misspelling, ambiguous, missing), the chosen reference and the runner-up
candidates with their scores, which are the evidence behind every finding.

The order of trust: an exact surname and year always wins over anything fuzzy ("Bown, 2023" is
Bown 2023 even when Brown 2021 is listed); then the same authors with another year; then the same
year with a surname one slip away ("Smyth" for "Smith"). The shape of the author list takes part
throughout: "et al." means three or more authors, two names mean exactly two.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from itertools import compress
from operator import itemgetter

from rapidfuzz import fuzz, process

from citecheck.cache import regex
from citecheck.citations import unpublished
from citecheck.model import Author, Candidate, Citation, Link, LinkStatus, Reference, record
from citecheck.names import core_key, fold, group_key, name_key, surname_words
from citecheck.references import earlier_twins

# Surname similarity (rapidfuzz ratio, 0-100) from which a differing name with the same year is
# taken for a misspelling: "Smyth"/"Smith" 80, "Jonson"/"Johnson" 92, "Li"/"Lu" 50 (too short to tell).
MISSPELLING_MIN = 80.0
# Below this a co-author is a different person: "Smith & Jones" is not "Smith & Lee".
COAUTHOR_MIN = 60.0
# A surname that close is offered as a suggestion for a missing reference.
SUGGEST_MIN = 70.0
MAX_CANDIDATES = 3
# What each fit of the author lists (``Linker._shape_fits``) adds to a candidate's score.
SHAPE_SCORES = {4: 100.0, 3: 80.0, 2: 60.0, -1: 0.0}
# The closest surnames of a year weighed for a misspelling: a list of thousands of names alike
# ("Lee", "Leo", "Lei") would otherwise have each unmatched citation weigh hundreds of them.
NEAR_LIMIT = 25
# Entries of one year beyond which a misspelling is looked for among names of the same first letter
# only: thousands of unmatched citations against thousands of entries of their year would otherwise
# compare every pair (a slip in the first letter is the rarest).
NEAR_SCAN = 500
# Names weighed for a misspelling beyond which those that cannot reach MISSPELLING_MIN are first
# counted out by their letters (``_Letters``): below it, scoring every name costs no more.
NEAR_FILTER = 1000
LISTED_ABBREVIATION = regex(r"[(\[]([A-Z][\w&.-]{1,15})[)\]]\s*$")


@record
class _Key:
    names: tuple[str, ...]
    etal: bool
    year: str
    initials: str | None
    unpublished: bool = False  # "in preparation", "personal communication": no other year is this work


def _year_parts(year: str) -> tuple[str, str]:
    """ "2018a" -> ("2018", "a"); "n.d.-b" -> ("n.d.", "b"); "in press" -> ("in press", "")."""
    if year[:4].isdigit():
        base = year.split("/")[-1] if "/" in year else year
        digits = base[:4]
        return digits, base[4:]
    if "-" in year and len(year.rsplit("-", 1)[1]) == 1:
        base, suffix = year.rsplit("-", 1)
        return base, suffix
    return year, ""


def _ref_year(ref: Reference) -> str:
    return ref.year or ""


_WORDS_SPLIT = regex(r"[\s-]+")


class Linker:
    def __init__(self, references: Sequence[Reference], abbreviations: dict[str, str] | None = None) -> None:
        self.references = references
        self.abbreviations = {name_key(k): v for k, v in (abbreviations or {}).items()}
        # A group the list names with its abbreviation: "NCD Risk Factor Collaboration (NCD-RisC)".
        for ref in references:
            for a in ref.authors[:1]:
                m = LISTED_ABBREVIATION.search(a.family) if a.group else None
                if m is not None:
                    self.abbreviations.setdefault(name_key(m.group(1)), a.family)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_year: dict[str, list[int]] = defaultdict(list)
        self.by_part: dict[str, list[int]] = defaultdict(list)
        # Entries the list gives no year (DIN 1505-2 and Copernicus print none for a web page or
        # software): a citation of their author and any year means them, unchecked.
        self.undated: dict[str, list[int]] = defaultdict(list)
        for i, ref in enumerate(references):
            if ref.authors and not ref.year:
                for key in {name_key(ref.authors[0].family), group_key(ref.authors[0].family).replace(" ", "")}:
                    if key:
                        self.undated[key].append(i)
            if not ref.authors or not ref.year:
                continue
            first = ref.authors[0].family
            keys = {name_key(first), core_key(first), group_key(first).replace(" ", "")}
            if ref.authors[0].group and "," in first:
                # "(World Health Organization, 2019)" for World Health Organization, Regional Office for Europe
                keys.add(group_key(first.split(",")[0]).replace(" ", ""))
            for key in keys:
                if key:
                    self.by_name[key].append(i)
            if not ref.authors[0].group:
                # A compound surname cited by one of its words: "Brandmayr" for Zetto Brandmayr,
                # "Rodríguez" for Rodríguez Mora; used only when no whole surname fits.
                for word in surname_words(first):
                    self.by_part[word].append(i)
            self.by_year[_ref_year(ref)].append(i)
        self.first_keys = sorted(self.by_name)
        # The name key of each entry's first author, which candidates are scored by.
        self._first_names = [name_key(ref.authors[0].family) if ref.authors else "" for ref in references]
        self._year_keys: dict[tuple[str, str], tuple[list[str], list[int], _Letters | None]] = {}
        # Suggestions for a missing reference look only at names that share the first or the last
        # two letters ("Smyth" -> "Smith", "Msith" -> "Smith"): a full fuzzy scan of every name for
        # every unmatched citation made a book with the wrong reference list take seconds.
        self._by_ends: dict[str, list[str]] = defaultdict(list)
        for k in self.first_keys:
            self._by_ends["<" + k[:2]].append(k)
            self._by_ends[">" + k[-2:]].append(k)
        self._name_sets: dict[str, frozenset[int]] = {}
        self._memo: dict[
            tuple[tuple[str, ...], bool, str, str | None, str],
            tuple[LinkStatus, int | None, tuple[Candidate, ...], tuple[int, ...]],
        ] = {}

    # -- public -----------------------------------------------------------------------------------

    def link(self, index: int, citation: Citation) -> Link:
        # a plain tuple, hashed in C once per citation; the year and status settle ``unpublished``
        fields = (citation.authors, citation.etal, citation.year, citation.initials, citation.status)
        found = self._memo.get(fields)
        if found is None:
            key = _Key(citation.authors, citation.etal, citation.year, citation.initials, unpublished(citation) is not None)
            found = self._memo[fields] = self._decide(key)
        return Link(index, *found)

    # -- deciding ---------------------------------------------------------------------------------

    def _name_refs(self, name: str) -> list[int]:
        out: list[int] = []
        seen: set[int] = set()
        keys = [name_key(name), core_key(name), group_key(name).replace(" ", "")]
        expanded = self.abbreviations.get(name_key(name))
        if expanded:
            keys += [name_key(expanded), group_key(expanded).replace(" ", "")]
        for k in keys:
            for i in self.by_name.get(k, ()):
                if i not in seen:
                    seen.add(i)
                    out.append(i)
        return out or list(self.by_part.get(name_key(name), ()))

    def _decide(self, key: _Key) -> tuple[LinkStatus, int | None, tuple[Candidate, ...], tuple[int, ...]]:
        year, suffix = _year_parts(key.year)
        same_name = self._name_refs(key.names[0])
        # 1. same first author, same year
        exact = [i for i in same_name if self.references[i].year == year and _suffix_fits(suffix, self.references[i].suffix)]
        if exact:
            ranked = self._rank_shape(key, exact, suffix)
            best = ranked[0][0]
            if best[1] < 0:
                # the co-authors differ: "Smith & Jones, 2020" is not "Smith & Lee, 2020"
                return LinkStatus.MISSING, None, self._candidates(key, [i for _, i in ranked]), ()
            tops = [i for s, i in ranked if s == best]
            # One work listed twice is a duplicate (its own finding), not an ambiguity.
            twins = earlier_twins(self.references, tops) if len(tops) > 1 else {}
            tops = [i for i in tops if i not in twins]
            cands = self._candidates(key, [i for _, i in ranked] + same_name)
            if len(tops) > 1:
                return LinkStatus.AMBIGUOUS, None, cands, tuple(tops)
            status = LinkStatus.EXACT
            if best[1] == 2:  # the co-author is one slip away from the listed one
                status = LinkStatus.AUTHOR_MISMATCH
            return status, tops[0], cands, ()
        if key.unpublished:
            return LinkStatus.MISSING, None, self._candidates(key, same_name), ()
        undated = self._undated(key)
        if undated:
            return LinkStatus.UNDATED, undated[0], (), tuple(undated[1:])
        # 2. same first author, another year: the same shape of author list first ("Brook (2001)"
        # is the Brook (2000) of three authors when no other Brook is listed)
        shapes = {i: self._shape_fits(key, i) for i in same_name}
        other_years = [i for i in same_name if shapes[i] == 4] or [i for i in same_name if shapes[i] == 3]
        if other_years:
            target = year
            other_years.sort(
                key=lambda i: (_year_distance(self.references[i].year or "", target), self.references[i].suffix != suffix, i)
            )
            return LinkStatus.YEAR_MISMATCH, other_years[0], self._candidates(key, other_years), ()
        # 3. same year, a surname one slip away
        q = name_key(key.names[0])
        shapes: dict[int, int] = {}
        near = self.near_in_year(key, shapes)  # best first
        if near:
            tops = [i for s, i in near if s == near[0][0]]
            cands = self._near_candidates(key, near, shapes)
            if len(tops) > 1:
                return LinkStatus.AMBIGUOUS, None, cands, tuple(tops)
            return LinkStatus.AUTHOR_MISMATCH, tops[0], cands, ()
        # 4. nothing fits
        pool = list(same_name)
        if q:
            near_names = sorted(set(self._by_ends.get("<" + q[:2], [])) | set(self._by_ends.get(">" + q[-2:], [])))
            for name, _score, _ in process.extract(q, near_names, scorer=fuzz.ratio, score_cutoff=SUGGEST_MIN, limit=5):
                pool.extend(self.by_name[name])
        return LinkStatus.MISSING, None, self._candidates(key, pool), ()

    def _undated(self, key: _Key) -> list[int]:
        """The entries without a year that the cited names fit, in list order."""
        if not self.undated:
            return []
        name = key.names[0]
        seen = dict.fromkeys(i for k in (name_key(name), group_key(name).replace(" ", "")) for i in self.undated.get(k, ()))
        return [i for i in seen if self._shape_fits(key, i) >= 3]

    def near_in_year(self, key: _Key, shapes: dict[int, int] | None = None) -> list[tuple[float, int]]:
        """Entries of the cited year whose first surname is one slip away from the cited one, and
        whose co-authors fit, best first: "Kovačević et al., 2000" and Kovačevi et al. (2000).
        ``shapes`` takes in how the author list of each entry found fits (``_shape_fits``)."""
        year, suffix = _year_parts(key.year)
        q = name_key(key.names[0])
        near = []
        same_year = self.by_year.get(year, [])
        if len(q) >= 4 and same_year:
            keys, entries, letters = self._year_names(year, q[0] if len(same_year) > NEAR_SCAN else "")
            if letters is not None and (places := letters.reachable(q)) is not None:
                # the names that may score MISSPELLING_MIN, in the same order: the same ones found
                # (picked by one itemgetter, in C, which gives an item alone rather than a tuple of one)
                if len(places) > 1:
                    pick = itemgetter(*places)
                    keys, entries = pick(keys), pick(entries)
                else:
                    keys, entries = [keys[j] for j in places], [entries[j] for j in places]
            for _, score, j in process.extract(q, keys, scorer=fuzz.ratio, score_cutoff=MISSPELLING_MIN, limit=NEAR_LIMIT):
                i = entries[j]
                if score < 100 and _suffix_fits(suffix, self.references[i].suffix):
                    fit = self._shape_fits(key, i)
                    if shapes is not None:
                        shapes[i] = fit
                    if fit >= 2:
                        near.append((score, i))
        near.sort(key=lambda x: (-x[0], x[1]))
        return near

    def _year_names(self, year: str, initial: str) -> tuple[list[str], list[int], _Letters | None]:
        """The first authors' name keys of a year's entries and the entries, those whose key opens
        with ``initial`` only when one is given; and, for more than NEAR_FILTER names, their letters."""
        found = self._year_keys.get((year, initial))
        if found is None:
            named = [(name_key(self.references[i].authors[0].family), i) for i in self.by_year.get(year, [])]
            keys = [key for key, _ in named if key.startswith(initial)]
            entries = [i for key, i in named if key.startswith(initial)]
            found = self._year_keys[(year, initial)] = (keys, entries, _Letters(keys) if len(keys) > NEAR_FILTER else None)
        return found

    def _rank_shape(self, key: _Key, refs: list[int], suffix: str) -> list[tuple[tuple[int, int, int], int]]:
        """Candidates best first, by (initials agree, shape of the author list, suffix agrees)."""
        ranked = []
        for i in refs:
            ref = self.references[i]
            initials = 0 if not key.initials else (1 if _initials_fit(key.initials, ref) else -1)
            ranked.append(((initials, self._shape_fits(key, i), int(ref.suffix == suffix)), i))
        ranked.sort(key=lambda x: (tuple(-v for v in x[0]), x[1]))
        return ranked

    def _shape_fits(self, key: _Key, i: int) -> int:
        """How well the cited author list fits the reference's.

        4 the names and their number agree; 3 the names agree but not their number (et al. for two
        authors, one name for three); 2 a co-author is one slip away; -1 a co-author is someone else.
        """
        ref = self.references[i]
        n = len(ref.authors)
        k = len(key.names)
        if k >= 2:
            if n < 2:
                return 3 if ref.authors and ref.authors[0].group else -1
            sims = [_coauthor_fits(c, a) for c, a in zip(key.names[1:], ref.authors[1:], strict=False)]
            if any(s < COAUTHOR_MIN for s in sims):
                # "(Lindqvist & Moreau, 2020)" for Lindqvist, Baptiste & Moreau (2020): the names
                # cited are among the listed ones, in order, but not all of them
                return 3 if k < n and _in_order([name_key(c) for c in key.names[1:]], ref.authors[1:]) else -1
            if any(s < 100 for s in sims):
                return 2
            fits = (n > k or ref.etal) if key.etal else (n == k or ref.etal)
            return 4 if fits else 3
        if key.etal:
            return 4 if n >= 3 or ref.etal else 3
        return 4 if n == 1 or ref.authors[0].group else 3

    def _near_candidates(self, key: _Key, near: list[tuple[float, int]], shapes: dict[int, int]) -> tuple[Candidate, ...]:
        """``_candidates`` for the entries ``near_in_year`` found, which it has weighed already:
        each is of the cited year with a suffix that fits (a year score of 100), its surname score
        is the one found, and ``shapes`` holds how its author list fits."""
        same_name = self._name_sets.get(key.names[0])
        if same_name is None:
            same_name = self._name_sets[key.names[0]] = frozenset(self._name_refs(key.names[0]))
        scored = [
            (round(0.6 * (100.0 if i in same_name else name) + 0.3 * 100.0 + 0.1 * SHAPE_SCORES[shapes[i]], 1), i)
            for name, i in near
        ]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return tuple(Candidate(reference=i, score=s) for s, i in scored[:MAX_CANDIDATES])

    def _candidates(self, key: _Key, refs: list[int], shapes: dict[int, int] | None = None) -> tuple[Candidate, ...]:
        """The entries ``refs`` scored against the citation, best first; ``shapes``: how the author
        lists of some of them fit, found already."""
        seen: set[int] = set()
        scored = []
        q = name_key(key.names[0])
        year, suffix = _year_parts(key.year)
        same_name = self._name_sets.get(key.names[0])
        if same_name is None:  # the entries of a name never change: asked once per name
            same_name = self._name_sets[key.names[0]] = frozenset(self._name_refs(key.names[0]))
        for i in refs:
            if i in seen:
                continue
            seen.add(i)
            ref = self.references[i]
            name = 100.0 if i in same_name else fuzz.ratio(q, self._first_names[i])
            ystr = ref.year or ""
            if ystr == year:
                ys = 100.0 if _suffix_fits(suffix, ref.suffix) else 90.0
            else:
                ys = max(0.0, 100.0 - 25.0 * _year_distance(ystr, year))
            fit = shapes.get(i) if shapes else None
            shape = SHAPE_SCORES[self._shape_fits(key, i) if fit is None else fit]
            scored.append((round(0.6 * name + 0.3 * ys + 0.1 * shape, 1), i))
        scored.sort(key=lambda x: (-x[0], x[1]))
        return tuple(Candidate(reference=i, score=s) for s, i in scored[:MAX_CANDIDATES])


class _Letters:
    """Which of many names may have a ``fuzz.ratio`` of ``minimum`` or more with a given name, told
    by their letters alone, before any pair is scored.

    The ratio of names ``a`` and ``b`` is 100 * (1 - d / (len(a) + len(b))), d the letters to drop
    or add to turn one into the other: len(a) + len(b) less twice their longest common
    subsequence. That subsequence has no more of a letter than either name, so no more than M, the
    sum over letters of the smaller count, and a ratio of ``minimum`` needs M >= s * (len(a) +
    len(b)), s = minimum / 200. Count ``a``'s letters as the pairs (letter, n), one for its n-th
    copy of each: ``b`` has M of them (it has (letter, n) when it has n copies or more) and lacks
    len(a) - M, so a ``b`` lacking more than len(a) - s * (len(a) + len(b)) is never that close.
    Each pair's holders are a bitmask over the names of one length: counting the names that lack
    too many takes a few operations on integers for the whole group."""

    def __init__(self, names: Sequence[str], minimum: float = MISSPELLING_MIN) -> None:
        numerator, denominator = float(minimum).as_integer_ratio()  # s, exactly: the bounds below are in integers
        common = math.gcd(numerator, denominator * 200)
        self.share = (numerator // common, denominator * 200 // common)
        by_length: dict[int, list[int]] = defaultdict(list)
        for j, name in enumerate(names):
            by_length[len(name)].append(j)
        # per length: the places of its names in ``names``, and for each (letter, n) the bitmask of
        # those with n copies of the letter or more (the highest bit for the first of that length)
        self.groups: list[tuple[int, list[int], dict[tuple[str, int], int]]] = []
        for length, places in sorted(by_length.items()):
            holders: dict[tuple[str, int], int] = defaultdict(int)
            top = len(places) - 1
            for k, j in enumerate(places):
                for pair in _letter_pairs(names[j]):
                    holders[pair] |= 1 << (top - k)
            self.groups.append((length, places, dict(holders)))
        self.size = len(names)

    def reachable(self, name: str) -> list[int] | None:
        """The places, in order, of the names that may score ``minimum`` or more with ``name``; None
        when that is most of them (scoring every name then costs less than listing those)."""
        pairs = _letter_pairs(name)
        n = len(name)
        p, q = self.share
        found: list[int] = []
        for length, places, holders in self.groups:
            # of the pairs of ``name``, the most one of these may lack: n - s * (n + length)
            most = (q * n - p * (n + length)) // q
            if most < max(n - length, 0):
                continue  # too long, or too short: a shorter name lacks n - length pairs at the least
            every = (1 << len(places)) - 1
            # lacking[c]: the names (as a bitmask) lacking at least c of the pairs counted so far
            lacking = [every] + [0] * (most + 1)
            for pair in pairs:
                without = every ^ holders.get(pair, 0)
                if without:  # a pair every name of the length has counts for none
                    for c in range(most + 1, 0, -1):
                        lacking[c] |= lacking[c - 1] & without
            # bit k, counted from the highest, for the k-th name: as digits, in the names' order
            kept = format(every ^ lacking[most + 1], f"0{len(places)}b").encode().translate(_DIGITS)
            found.extend(compress(places, kept))
            if 2 * len(found) > self.size:
                return None
        if len(self.groups) > 1:
            found.sort()
        return found


_DIGITS = bytes.maketrans(b"01", b"\0\1")  # "0" and "1" as false and true, for ``compress``


def _letter_pairs(name: str) -> list[tuple[str, int]]:
    """ "anna" -> [("a", 1), ("n", 1), ("n", 2), ("a", 2)]: each letter with how many of it came so far."""
    seen: dict[str, int] = {}
    pairs = []
    for c in name:
        seen[c] = n = seen.get(c, 0) + 1
        pairs.append((c, n))
    return pairs


def _suffix_fits(cited: str, listed: str) -> bool:
    # "2018" matches 2018a (the suffix was left off) but "2018a" does not match 2018b.
    return not cited or not listed or cited == listed


def _coauthor_fits(cited: str, listed: Author) -> float:
    """How alike a cited co-author is to a listed one, 0-100. "Jackson JK" in a list reads as the
    surname Jackson and initials JK, or, given name first, as the surname JK: the text that
    cites "JK" settles it."""
    if len(cited) <= 3 and cited.isupper() and cited == listed.initials:
        return 100.0
    return _coauthor(cited, listed.family)


def _coauthor(cited: str, listed: str) -> float:
    """How alike two spellings of a co-author are, 0-100; a compound surname cited whole or in
    part is the same person: "Rodríguez Mora" and "Mora"."""
    words_a, words_b = set(_WORDS_SPLIT.split(fold(cited))) - {""}, set(_WORDS_SPLIT.split(fold(listed))) - {""}
    if words_a and words_b and (words_a < words_b or words_b < words_a):
        return 100.0
    return fuzz.ratio(name_key(cited), name_key(listed))


def _in_order(cited: Sequence[str], listed: Sequence[Author]) -> bool:
    """Whether every cited co-author stands among the listed ones, in the listed order."""
    keys = iter(name_key(a.family) for a in listed)
    return all(any(c == k for k in keys) for c in cited)


def _initials_fit(initials: str, ref: Reference) -> bool:
    have = ref.authors[0].initials if ref.authors else ""
    return bool(have) and have.startswith(initials)


def _year_distance(a: str, b: str) -> int:
    if a[:4].isdigit() and b[:4].isdigit():
        return abs(int(a[:4]) - int(b[:4]))
    return 4


def link_all(citations: Sequence[Citation], references: Sequence[Reference]) -> list[Link]:
    """One link per citation, in order: by key for a keyed citation, by author and year otherwise."""
    keys = KeyLinker(references, citations) if any(c.key is not None for c in citations) else None
    if keys is not None and all(c.key is not None for c in citations):
        # a Pandoc or LaTeX manuscript that cites by key alone: no author-year linking to do
        return _settle_same_group(citations, [keys.link(i, c) for i, c in enumerate(citations)])
    linker = Linker(references, _abbreviations(citations))
    links = [keys.link(i, c) if keys is not None and c.key is not None else linker.link(i, c) for i, c in enumerate(citations)]
    return _misspelt_in_the_list(citations, _settle_same_group(citations, links), linker)


def _misspelt_in_the_list(citations: Sequence[Citation], links: list[Link], linker: Linker) -> list[Link]:
    """The links of a document weighed together. A citation whose year is off from its author's
    entry may instead name an entry of its very year whose surname is one slip away, which
    nothing else cites: "(Kovačević et al., 2000)" with Kovačević et al. (1999), cited as such
    elsewhere, and Kovačevi et al. (2000), cited nowhere. The uncited entry of the right year is
    the better explanation: its name is misspelt (in the list or the text), and "change the year
    to 1999" would make a correct citation wrong."""
    cited = {link.reference for link in links if link.reference is not None and link.status is not LinkStatus.YEAR_MISMATCH}
    out = []
    for link in links:
        c = citations[link.citation]
        if link.status is LinkStatus.YEAR_MISMATCH and c.key is None and c.year[:4].isdigit():
            near = [(s, i) for s, i in linker.near_in_year(_Key(c.authors, c.etal, c.year, c.initials)) if i not in cited]
            if near and (len(near) == 1 or near[0][0] > near[1][0]):
                link = Link(link.citation, LinkStatus.AUTHOR_MISMATCH, near[0][1], link.candidates, basis=link.basis)
        out.append(link)
    return out


def _abbreviations(citations: Sequence[Citation]) -> dict[str, str]:
    """Group abbreviations as the text introduces them: "(World Health Organization [WHO], 2019)"."""
    return {c.abbreviation: c.authors[0] for c in citations if c.abbreviation}


class EntryJudge:
    """How a citation's text fits one given entry, judged as linking judges it (surname keys,
    particles, group abbreviations, the shape of the author list), for when something else has
    said which entry it means: a reference manager's field, the chapter a citation is in. One
    linker per entry, built once."""

    def __init__(self, references: Sequence[Reference], citations: Sequence[Citation]) -> None:
        self.references = references
        self.abbreviations = _abbreviations(citations)
        self.linkers: dict[int, Linker] = {}

    def status(self, c: Citation, entry: int) -> LinkStatus:
        linker = self.linkers.get(entry)
        if linker is None:
            linker = self.linkers[entry] = Linker([self.references[entry]], self.abbreviations)
        return linker.link(0, c).status


# Undefined keys times defined keys beyond which the nearest defined keys are looked for only among
# those one slip away (a letter changed, added or dropped, two letters swapped), found through an
# index instead of a comparison with every key: thousands of undefined keys against as many entries
# would take minutes otherwise.
FULL_KEY_SEARCH = 2_000_000
INDEXED_KEY_LENGTH = 64  # longer keys are left out of that index (a key is a few words at most)


class KeyLinker:
    """Linking by citation key, which is exact: a key is defined or it is not. A key that is not
    defined gets the nearest defined keys as candidates (a typo, or a case that differs)."""

    def __init__(self, references: Sequence[Reference], citations: Sequence[Citation] = ()) -> None:
        self.by_key: dict[str, int] = {}
        for i, ref in enumerate(references):
            if ref.key is not None:
                self.by_key.setdefault(ref.key, i)  # the first of two entries with one key is the one used
        self.keys = list(self.by_key)
        by_key = self.by_key
        undefined = {key for c in citations if (key := c.key) is not None and key not in by_key}
        self.near: dict[str, tuple[Candidate, ...]] = {}
        self.index: dict[str, list[int]] | None = None
        if len(undefined) * len(self.keys) > FULL_KEY_SEARCH:
            # each defined key, by its place in ``keys``, under itself and every one-shorter string
            index: defaultdict[str, list[int]] = defaultdict(list)
            for j, key in enumerate(self.keys):
                folded = key.casefold()
                if len(folded) > INDEXED_KEY_LENGTH:
                    continue
                index[folded].append(j)
                for i in range(len(folded)):
                    index[folded[:i] + folded[i + 1 :]].append(j)
            self.index = index

    def link(self, index: int, citation: Citation) -> Link:
        assert citation.key is not None
        found = self.by_key.get(citation.key)
        if found is not None:
            return Link(citation=index, status=LinkStatus.EXACT, reference=found, basis="key")
        candidates = self.near.get(citation.key)
        if candidates is None:
            candidates = self.near[citation.key] = self._nearest(citation.key)
        return Link(citation=index, status=LinkStatus.MISSING, reference=None, candidates=candidates, basis="key")

    def _nearest(self, key: str) -> tuple[Candidate, ...]:
        pool = self.keys
        if self.index is not None:
            index = self.index
            places = {j for v in _deletions(key.casefold()) for j in index.get(v, ())}
            if not places:
                return ()  # no defined key is one slip away, and only those are weighed
            pool = [self.keys[j] for j in sorted(places)]  # in the list's order, as the full search weighs them
        near = process.extract(
            key, pool, scorer=fuzz.ratio, processor=str.casefold, limit=MAX_CANDIDATES, score_cutoff=SUGGEST_MIN
        )
        return tuple(Candidate(self.by_key[k], round(score, 1)) for k, score, _ in near)


def _deletions(key: str) -> set[str]:
    """A key and every string one character shorter: two keys share one when a letter changed,
    added or dropped, or two swapped, tells them apart. Nothing for a key past ``INDEXED_KEY_LENGTH``."""
    if len(key) > INDEXED_KEY_LENGTH:
        return set()
    variants = {key[:i] + key[i + 1 :] for i in range(len(key))}
    variants.add(key)
    return variants


def _settle_same_group(citations: Sequence[Citation], links: list[Link]) -> list[Link]:
    """ "(Newman, 2004, 2005)" with only Newman 2005 listed: 2004 is another work, not a typo of
    2005, because the same bracket cites 2005 too. Make such a year mismatch a missing reference."""
    exact_in_group: dict[tuple[int, int], bool] = {}
    for link in links:
        c = citations[link.citation]
        if link.status is LinkStatus.EXACT and link.reference is not None and not c.narrative and c.key is None:
            exact_in_group[(c.group, link.reference)] = True
    out = []
    for link in links:
        c = citations[link.citation]
        if link.status is LinkStatus.YEAR_MISMATCH and (c.group, link.reference) in exact_in_group:
            link = Link(link.citation, LinkStatus.MISSING, None, link.candidates, basis=link.basis)
        out.append(link)
    return out
