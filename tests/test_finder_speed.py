"""What the finder keeps and skips for speed: the test before ``BINOMIAL`` says no only where the
pattern finds nothing, what the finder keeps by a window's text reads the same as reading it
afresh, however often a text cites the same authors, and a group ending a name is found the same
whether the list's groups or the name's endings are looked through.

Checked over generated strings of the characters the patterns turn on, deterministically.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations import authors as authors_module
from citecheck.citations.authors import _remember, _split_names
from citecheck.citations.finder import CitationFinder, _may_end_in_binomial
from citecheck.citations.known import KnownNames, known_names
from citecheck.citations.patterns import _SPLIT_AUTHORS, BINOMIAL

CI = settings(derandomize=True, database=None, deadline=None, max_examples=400)

LATIN = st.sampled_from(
    [
        *("Carabus", "Isolda", "C.", "auratus", "pulchella", "dorsalis", "ensis", "oides", "alba", "rex"),
        *("Müller", "Linnaeus", "in", "ex", "before", "Shown", "(", "(Subgenus)", "*", "_", " ", "\t", "\n"),
        *("\u00a0", "\u2003", ",", "."),
    ]
)
LATIN_TEXT = st.lists(LATIN, max_size=12).map("".join)

NAMES = st.sampled_from(
    ["Smith", "J.", "et al.", ",", ", ", " ", "\n", "&", "and", "und", "et", "Lee", "van der", "Berg", "Ó", "-"]
)
NAMES_TEXT = st.lists(NAMES, max_size=12).map("".join)


@CI
@given(LATIN_TEXT, st.integers(0, 80))
def test_a_latin_name_is_looked_for_only_where_one_can_end(text: str, back: int) -> None:
    for end in range(len(text) + 1):
        lo = max(0, end - back)
        if not _may_end_in_binomial(text[lo:end]):
            assert BINOMIAL.search(text, lo, end) is None


def test_the_latin_name_test_says_yes_where_the_pattern_matches() -> None:
    for window in ("Carabus auratus ", "*Isolda pulchella* (", "Carabus auratus\n", "Isolda pulchella (Müller in "):
        assert BINOMIAL.search(window) and _may_end_in_binomial(window)
    assert not _may_end_in_binomial("Shown before (")


@CI
@given(NAMES_TEXT)
def test_author_lists_split_as_the_pattern_splits_them(body: str) -> None:
    assert _split_names(body) == tuple(n for n in _SPLIT_AUTHORS.split(body) if n)


def test_a_full_memo_keeps_what_it_has(monkeypatch) -> None:
    monkeypatch.setattr(authors_module, "MEMO_LIMIT", 2)
    memo: dict[str, int] = {}
    assert [_remember(memo, key, value) for key, value in (("a", 1), ("b", 2), ("c", 3))] == [1, 2, 3]
    assert memo == {"a": 1, "b": 2}


def test_citations_cited_again_read_as_the_first_time() -> None:
    known = known_names(["Smith", "Lee"], ["World Health Organization"], "")
    one = "See (Smith & Lee, 2018; World Health Organization [WHO], 2019) and Smith et al. (2020). "
    found = CitationFinder(known).find(one * 5)
    alone = CitationFinder(known).find(one)
    assert len(found) == 5 * len(alone)
    for i, c in enumerate(found):
        first = alone[i % len(alone)]
        shift = len(one) * (i // len(alone))
        assert (c.span.start - shift, c.span.end - shift, c.text, c.authors, c.year) == (
            first.span.start,
            first.span.end,
            first.text,
            first.authors,
            first.year,
        )


@CI
@given(st.lists(st.sampled_from(["", "network", "health organization", "organization", "k", "a b"]), max_size=6), NAMES_TEXT)
def test_a_group_ending_a_name_is_found_either_way(groups: list[str], name: str) -> None:
    known = KnownNames(groups=frozenset(groups))
    for key in (name, name.lower() + " network", "world health organization"):
        assert known.ends_with_group(key) == any(key.endswith(g) for g in groups)
