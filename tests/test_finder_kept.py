"""A bracket pair the finder has read is kept by its text (``CitationFinder._kept``): the same pair
cited again reads as it did the first time, at its own place. Checked against a finder that reads
every pair afresh, over generated texts that cite a few pairs again and again, among them the
readings that look outside the pair or change what the finder knows: a narrative citation, a weak
reading, a group name the words before complete, names a comma joins, an abbreviation defined
before and after its use, an undated entry.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.finder import CitationFinder
from citecheck.citations.known import known_names
from citecheck.model import Span

CI = settings(derandomize=True, database=None, deadline=None, max_examples=300)

PAIRS = [
    "(Smith, 2018)",
    "(Smith 2018)",
    "(Smith & Lee, 2018; Lee, 2019)",
    "(e.g., Smith, 2018, p. 4)",
    "(Smith et al., 2010; 2011)",
    "(Smith, 2018, 2020)",
    "(2018)",
    "(2018, p. 12)",
    "(World Health Organization [WHO], 2019)",
    "(WHO, 2020)",
    "(Orbix 2000)",
    "(Genomes Project Consortium, 2015)",
    "(Haldane, Okoro 2011)",
    "(Okoro 2011)",
    "(Lee, in press)",
    "(Harlow)",
    "(Figure 2C and Ulloa et al., 2010)",
    "(Linnaeus, 1758)",
    "(Smyth, 2018)",
    "(see Smith, 2018; cf. Lee, 2019)",
    "[Smith, 2018]",
    "(Smith, 2018",
]
PROSE = [
    "As shown ",
    "Smith ",
    "Smith and Lee ",
    "1000 ",
    "either a reader or an ",
    "Carabus auratus ",
    "Haldane, ",
    "In 2019, ",
    ". ",
    "\n\n",
    "the Paris Agreement ",
    "",
]
TEXT = st.lists(st.tuples(st.sampled_from(PROSE), st.sampled_from(PAIRS)), min_size=1, max_size=30).map(
    lambda parts: "".join(p + c + " " for p, c in parts)
)
KNOWN = known_names(
    ["Smith", "Lee", "Haldane", "Okoro", "Ulloa", "Harlow"],
    ["World Health Organization", "1000 Genomes Project Consortium"],
    "a reader or an orbix",
    [("Smith", "2018"), ("Lee", "2019"), ("Haldane", "2011"), ("Okoro", "2011"), ("Harlow", "")],
)


class Afresh(CitationFinder):
    """A finder that reads every bracket pair anew."""

    def _kept(self, text, group, number):  # type: ignore[no-untyped-def]
        return self._in_group(text, group, number)


def _state(finder: CitationFinder) -> tuple[object, ...]:
    return (sorted(finder._read), finder._commas, sorted(finder.abbreviations))


@CI
@given(TEXT)
def test_a_kept_pair_reads_as_it_read_afresh(text: str) -> None:
    kept, afresh = CitationFinder(KNOWN), Afresh(KNOWN)
    assert kept.find(text) == afresh.find(text)
    assert _state(kept) == _state(afresh)


@CI
@given(TEXT)
def test_a_kept_pair_is_quoted_from_the_text_shown(text: str) -> None:
    shown = text.replace("Smith", "Smi*h")
    kept, afresh = CitationFinder(KNOWN), Afresh(KNOWN)
    assert kept.find(text, shown) == afresh.find(text, shown)


def test_a_pair_cited_again_is_kept_and_placed_where_it_stands() -> None:
    finder = CitationFinder(KNOWN)
    text = "First (Smith, 2018). Again (Smith, 2018)."
    first, second = finder.find(text)
    assert "Smith, 2018" in finder._pairs
    assert second.span == Span(text.rindex("Smith"), text.rindex("2018") + 4)
    assert (second.text, second.group) == ("Smith, 2018", 2)
    assert (first.authors, first.year) == (second.authors, second.year)


def test_a_pair_whose_reading_looks_outside_it_is_not_kept() -> None:
    finder = CitationFinder(KNOWN)
    pairs = ["2018", "Zorbix 2000", "World Health Organization [WHO], 2019", "Genomes Project Consortium, 2015"]
    pairs += ["Haldane, Okoro 2011"]
    assert finder.find(" and ".join(f"Smith ({pair})" for pair in pairs))
    assert not set(pairs) & set(finder._pairs)


def test_an_abbreviation_defined_later_changes_a_pair_read_before() -> None:
    text = "(WHO, 2018) then (World Health Organization [WHO], 2019) and (WHO, 2018)."
    assert CitationFinder(KNOWN).find(text) == Afresh(KNOWN).find(text)


GROUP_WORDS = st.lists(st.sampled_from(["Genomes", "Project", "Consortium", "of", "the", "Health", "1000", "C."]), max_size=5)


@CI
@given(st.lists(GROUP_WORDS.map(" ".join), max_size=6), GROUP_WORDS.map(" ".join))
def test_a_group_name_ending_is_found_as_every_ending_of_every_group_lists_it(groups: list[str], name: str) -> None:
    from citecheck.names import group_key

    known = known_names([], groups, "")
    tails: dict[str, list[str]] = {}
    for listed in known.group_names:
        words = group_key(listed).split(" ")
        for i in range(1, len(words)):
            tails.setdefault(" ".join(words[i:]), []).append(listed)
    assert known._ending(group_key(name)) == tails.get(group_key(name), [])
    assert known.ends_a_group(name) == (group_key(name) in tails)


def test_a_group_name_of_thousands_of_words_is_read_in_one_pass() -> None:
    # every ending of it was joined once: 30,000 words took seconds
    huge = " ".join(f"Word{i}" for i in range(30_000)) + " Council"
    known = known_names([], [huge], "")
    assert known.ends_a_group("Word29999 Council") and not known.ends_a_group("Word1 Council")
    assert CitationFinder(known).find("As reported (Word29999 Council, 2020).")
