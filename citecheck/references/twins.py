"""Telling when two entries of a list are the same work listed twice.

Input: ``Reference`` records, and for ``earlier_twins`` the indexes of the entries that share
authors and a year. Output: whether two entries are one work (``same_work``), and for each entry
listed again the first earlier entry of the same work.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

from citecheck.model import Reference


def same_work(a: Reference, b: Reference) -> bool:
    """Two entries for one work: the same DOI, or (without DOIs) nearly the same title and no
    volume, issue or first page that tells them apart."""
    if a.doi and b.doi:
        return a.doi.lower() == b.doi.lower()
    # A column or report that recurs in each issue: "Report on the January 1981 TUG Steering
    # Committee meeting", TUGboat 2(1), 5-6, and "... May 1981 ...", 2(2), 4-5, are two works.
    if any(_differ(x, y) for x, y in ((a.volume, b.volume), (a.issue, b.issue), (_first_page(a), _first_page(b)))):
        return False
    if not (a.title and b.title):
        return " ".join(a.text.lower().split()) == " ".join(b.text.lower().split())
    return fuzz.token_sort_ratio(a.title.lower(), b.title.lower()) >= 90


def _differ(x: str | None, y: str | None) -> bool:
    if not x or not y:
        return False
    return x.strip().lower() != y.strip().lower()


def _first_page(ref: Reference) -> str | None:
    return ref.pages.first if ref.pages else None


MAX_FUZZY_GROUP = 50  # beyond this many candidates, duplicates are found by exact title or DOI


def _work_key(ref: Reference) -> str:
    if ref.doi:
        return ref.doi.lower()
    where = (ref.volume or "", ref.issue or "", _first_page(ref) or "")  # what same_work tells works apart by
    return " ".join((ref.title or ref.text).lower().split()) + "|" + "|".join(w.strip().lower() for w in where)


def earlier_twins(references: Sequence[Reference], members: Sequence[int]) -> dict[int, int]:
    """For entries listed again, the first earlier entry of the same work: {again: first}.

    Fuzzy title comparison is pairwise, so a large group (one author's 2,000 works of one year)
    is compared by exact DOI or title instead, keeping the work linear.
    """
    twins: dict[int, int] = {}
    if len(members) > MAX_FUZZY_GROUP:
        first: dict[str, int] = {}
        for i in members:
            key = _work_key(references[i])
            if key in first:
                twins[i] = first[key]
            else:
                first[key] = i
        return twins
    for n, i in enumerate(members):
        for j in members[:n]:
            if j not in twins and same_work(references[j], references[i]):
                twins[i] = j
                break
    return twins
