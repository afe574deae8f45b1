"""The finder's shortcuts: each cheap test it runs before a pattern must say no only where the
pattern finds nothing, so that skipping the pattern never changes what is found.

Checked over generated strings of the characters the patterns turn on (letters, initials, "Jr",
"II", commas, full stops, blanks of every kind, "&", "and"), deterministically.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.citations.authors import _may_have_initials_after, _may_split
from citecheck.citations.finder import _comma_at, _semicolons
from citecheck.citations.known import known_names
from citecheck.citations.patterns import _SPLIT_AUTHORS, INITIALS_AFTER, LISTED_BEFORE, NEXT_YEAR, UNPUBLISHED
from citecheck.names import UPPER

CI = settings(derandomize=True, database=None, deadline=None, max_examples=400)

PIECES = st.sampled_from(
    [
        *("Smith", "smith", "J.", "A.-B.", "Jr", "Sr", "II", "III", "IV", ",", ".", " ", "\t", "\n", "\u00a0", "\u2003"),
        *("&", "and", "und", "et", "2018", "2018a", "a", ";", "Ó", "é", "'", "-"),
    ]
)
TEXT = st.lists(PIECES, max_size=14).map("".join)


@CI
@given(TEXT)
def test_initials_after_is_skipped_only_where_it_cannot_match(window: str) -> None:
    if not _may_have_initials_after(window):
        assert INITIALS_AFTER.search(window) is None


@CI
@given(TEXT)
def test_authors_are_split_alone_only_where_no_separator_stands(body: str) -> None:
    if not _may_split(body):
        assert _SPLIT_AUTHORS.split(body) == [body]


@CI
@given(TEXT, st.integers(0, 40), st.integers(0, 40))
def test_a_further_year_is_looked_for_only_after_a_comma(content: str, pos: int, end: int) -> None:
    if NEXT_YEAR.match(content, pos, end) is not None:
        assert _comma_at(content, pos, end)


@CI
@given(TEXT)
def test_a_listed_name_before_is_looked_for_only_after_a_comma(text: str) -> None:
    for start in range(len(text) + 1):
        if LISTED_BEFORE.search(text, max(0, start - 60), start) is not None:
            assert text[max(0, start - 60) : start].rstrip(" \t\n").endswith(",")


@CI
@given(TEXT)
def test_parts_end_at_each_semicolon_and_at_the_end(content: str) -> None:
    assert _semicolons(content) == [m.start() for m in re.finditer(";", content)] + [len(content)]


@CI
@given(TEXT)
def test_lowercase_words_read_letter_first_are_the_same(text: str) -> None:
    # a lowercase word: a run of letters, apostrophes and hyphens opening with a letter, after none of them
    plain = frozenset(re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text))
    assert known_names([], [], text).lowercase_words == plain


def test_the_shortcuts_say_yes_where_the_patterns_match() -> None:
    # the cases each shortcut exists to let through
    assert _may_have_initials_after("Belford, R. et al.") and INITIALS_AFTER.search("Belford, R. et al.")
    assert _may_have_initials_after("Ross Jr.") and INITIALS_AFTER.search("Ross Jr.")
    assert _may_split("Smith & Lee") and _SPLIT_AUTHORS.split("Smith & Lee") == ["Smith", "Lee"]
    assert _may_split("Smith\tand\tLee") and _SPLIT_AUTHORS.split("Smith\tand\tLee") == ["Smith", "Lee"]
    assert not _may_split("Council of Science Studies")  # blanks, but no connector between them
    assert _comma_at("2018 , 2019)", 4, 12) and NEXT_YEAR.match("2018 , 2019)", 4, 12)
    assert not _comma_at("2018)", 4, 5)


def test_a_year_is_never_a_status() -> None:
    # unpublished() returns at once for a label opening with a digit
    assert all(not status[:1].isdigit() for status in UNPUBLISHED)


def test_every_initial_is_a_letter_to_the_shortcut() -> None:
    # _INITIALS_AFTER_NEED reads an initial as [^\W\d_]: each capital INITIALS_AFTER takes is one
    capital, letter = re.compile(f"[{UPPER}]"), re.compile(r"[^\W\d_]")
    assert not [c for c in map(chr, range(0x110000)) if capital.match(c) and not letter.match(c)]
