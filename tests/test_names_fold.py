"""Folding a name for comparison: an ASCII name takes the short way, which must give what the full
way (ligatures, NFKD, combining marks dropped, lower case) gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.names import _FOLD_EXTRA, fold, name_key

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
