"""The candidates of a citation whose surname is one slip from entries of its year are scored from
what the search for those entries found (``Linker._near_candidates``): the same scores, in the
same order, as scoring each entry afresh (``Linker._candidates``). Checked over generated lists of
surnames alike, with co-authors, suffixes and group authors, deterministically."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.link import Linker, _Key
from citecheck.model import Author, Reference, Span

CI = settings(derandomize=True, database=None, deadline=None, max_examples=300)

# a few stems and a letter or two after them: surnames one slip from one another, and others
SURNAME = st.tuples(st.sampled_from(["Kovacevic", "Johnson", "Lee"]), st.text("abc", max_size=2)).map("".join)
ENTRY = st.tuples(
    st.lists(SURNAME, min_size=1, max_size=3),
    st.sampled_from(["2019", "2019", "2020"]),
    st.sampled_from(["", "", "a", "b"]),
    st.booleans(),
)
CITED = st.tuples(st.lists(SURNAME, min_size=1, max_size=2), st.booleans(), st.sampled_from(["2019", "2019a", "2020"]))


def _reference(i: int, names: list[str], year: str, suffix: str, group: bool) -> Reference:
    authors = tuple(Author(n, "J", group=group and k == 0) for k, n in enumerate(names))
    return Reference(span=Span(i * 10, i * 10 + 5), text="", authors=authors, year=year, suffix=suffix)


@CI
@given(st.lists(ENTRY, min_size=1, max_size=40), CITED)
def test_near_candidates_score_as_candidates_do(entries, cited) -> None:  # type: ignore[no-untyped-def]
    linker = Linker([_reference(i, *e) for i, e in enumerate(entries)])
    names, etal, year = cited
    key = _Key(tuple(names), etal, year, None)
    shapes: dict[int, int] = {}
    near = linker.near_in_year(key, shapes)
    assert linker._near_candidates(key, near, shapes) == linker._candidates(key, [i for _, i in near], shapes)
