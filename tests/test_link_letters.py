"""The names of a year that ``_Letters`` counts out by their letters are never those a misspelling
is found among: scoring only the names it keeps finds what scoring every name finds, the same
names with the same scores in the same order, and so does ``Linker.near_in_year`` with the filter
and without. Checked over generated names alike (few letters, many repeated), deterministically."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

import citecheck.link
from citecheck.link import MISSPELLING_MIN, NEAR_LIMIT, Linker, _Key, _Letters
from citecheck.model import Author, Reference, Span

CI = settings(derandomize=True, database=None, deadline=None, max_examples=300)

NAME = st.text("aabcen", max_size=14)
NAMES = st.lists(NAME, min_size=1, max_size=120)


def _near(name: str, names: list[str], minimum: float) -> list[tuple[str, float, int]]:
    return process.extract(name, names, scorer=fuzz.ratio, score_cutoff=minimum, limit=NEAR_LIMIT)


def _near_kept(name: str, names: list[str], minimum: float) -> list[tuple[str, float, int]]:
    places = _Letters(names, minimum).reachable(name)
    if places is None:
        return _near(name, names, minimum)
    return [(k, score, places[j]) for k, score, j in _near(name, [names[j] for j in places], minimum)]


@CI
@given(NAMES, NAME, st.sampled_from([MISSPELLING_MIN, 60.0, 70.0, 85.5, 95.0]))
def test_the_names_kept_score_as_every_name_does(names: list[str], name: str, minimum: float) -> None:
    assert _near_kept(name, names, minimum) == _near(name, names, minimum)


@CI
@given(NAMES, st.data())
def test_a_name_one_slip_from_a_listed_one_finds_the_same(names: list[str], data: st.DataObject) -> None:
    listed = data.draw(st.sampled_from(names))
    at = data.draw(st.integers(0, len(listed)))
    slip = data.draw(st.sampled_from(["", "a", "c", "x"]))
    name = listed[:at] + slip + listed[at + 1 :]
    assert _near_kept(name, names, MISSPELLING_MIN) == _near(name, names, MISSPELLING_MIN)


def test_every_name_kept_that_could_reach_the_minimum() -> None:
    # thousands of names three letters apart, each cited with its last letter changed
    names = [f"sur{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676 % 26)}name" for i in range(3000)]
    letters = _Letters(names)
    kept = 0
    for name in names[::7]:
        cited = name[:-1] + "x"
        places = letters.reachable(cited)
        kept += len(names) if places is None else len(places)
        assert _near_kept(cited, names, MISSPELLING_MIN) == _near(cited, names, MISSPELLING_MIN)
    assert kept < len(names[::7]) * len(names) / 4  # most are counted out


def test_names_too_long_or_too_short_are_never_kept() -> None:
    # the lengths from which "abcdef" may score 80: 4 to 9 letters (2 * 6 / 3 to 3 * 6 / 2)
    names = ["abc", "abcd", "abcdef", "abcdefghi", "abcdefghij", "xyzxyzxyz", "xyz", "xyzxyz"]
    assert _Letters(names).reachable("abcdef") == [1, 2, 3]


@pytest.mark.parametrize("year_size", [1200, 40])
def test_near_in_year_finds_the_same_with_the_filter_and_without(monkeypatch: pytest.MonkeyPatch, year_size: int) -> None:
    stems = ["kovacevic", "kovalenko", "kowalski", "koval", "kovacs"]
    names = [f"{stems[i % 5]}{chr(97 + i // 5 % 26)}{chr(97 + i // 130 % 26)}" for i in range(year_size)]
    refs = [
        Reference(span=Span(i, i + 1), text="", authors=(Author(n.capitalize(), "J"),), year="2019", suffix="")
        for i, n in enumerate(names)
    ]
    cited = [n[:-1] + "q" for n in names[::37]] + [n[1:] for n in names[::53]] + ["kovacevicz", "kovacs"]
    found = {}
    for limit in (0, 10**9):
        monkeypatch.setattr(citecheck.link, "NEAR_FILTER", limit)
        linker = Linker(refs)
        found[limit] = [linker.near_in_year(_Key((name.capitalize(),), False, "2019", None)) for name in cited]
    assert found[0] == found[10**9]
    assert any(found[0])
