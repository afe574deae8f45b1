"""Folding a name for comparison: an ASCII name takes the short way, which must give what the full
way (ligatures, NFKD, combining marks dropped, lower case) gives. The same for the keys: a name of
ASCII letters, digits and spaces takes the short way, which must give what the regular expressions
give."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.names import _ABBREVIATION, _FOLD_EXTRA, _NON_KEY, PARTICLES, core_key, fold, group_key, name_key

CI = settings(derandomize=True, database=None, deadline=None, max_examples=400)


def full_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


@CI
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_an_ascii_name_folds_as_the_full_way_folds_it(name: str) -> None:
    assert fold(name) == full_fold(name)


def test_every_ascii_character_folds_as_the_full_way_folds_it() -> None:
    every = "".join(map(chr, range(128)))
    assert fold(every) == full_fold(every)


def test_names_beyond_ascii_still_lose_their_accents() -> None:
    assert fold("Müller") == "muller"
    assert name_key("Ørsted-Łukasz") == "orstedlukasz"
    assert fold("Dvořák Straße") == "dvorak strasse"


def full_name_key(name: str) -> str:
    return _NON_KEY.sub("", fold(name))


def full_core_key(name: str) -> str:
    words = fold(name).replace("'", "' ").split()
    while len(words) > 1 and words[0].rstrip(".") in PARTICLES:
        words.pop(0)
    return _NON_KEY.sub("", " ".join(words))


def full_group_key(name: str) -> str:
    bare = _ABBREVIATION.sub(" ", name)
    return " ".join(w for w in _NON_KEY.split(fold(bare if bare.strip() else name)) if w and w != "the")


# Mostly what takes the short way (letters, digits, spaces, "the", particles), with enough of what
# does not (punctuation, brackets, other blanks, accents, other scripts) to cross the border.
NAMES = st.lists(
    st.sampled_from(["the", "The", "van", "de", "Smith", "WHO", "of", "2019", "X1", " ", "  "])
    | st.text(alphabet="aZ09 .,'-()[]\t\nüØßΣж\u0301", max_size=6),
    max_size=8,
).map(" ".join)


@CI
@given(NAMES)
def test_the_keys_of_a_name_are_what_the_regular_expressions_make_of_it(name: str) -> None:
    for short, full in ((name_key, full_name_key), (core_key, full_core_key), (group_key, full_group_key)):
        assert short.__wrapped__(name) == full(name), (short.__name__, name)


def test_plain_names_take_the_short_way_to_the_same_keys() -> None:
    assert name_key("De Souza") == "desouza"
    assert core_key("van der Berg") == "berg"
    assert group_key("The World Health Organization") == "world health organization"
    assert group_key("NCD Risk Factor Collaboration (NCD-RisC)") == "ncd risk factor collaboration"
