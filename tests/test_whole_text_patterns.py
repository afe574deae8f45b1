"""Patterns that run over a whole manuscript are written to open with a literal (so that the regex
engine skips ahead), or read by hand from a rarer place (``bare_ones``, from the blank before a
year); each must find exactly what its plain form finds."""

from __future__ import annotations

import random
import re

import pytest

from citecheck.citations import patterns as cp
from citecheck.readers import pandoc

Y = cp._BARE_YEAR
PLAIN = {
    "BARE_ETAL": (cp.BARE_ETAL.finditer, re.compile(r"\b(?:et\s+al\.?|u\.\s?a\.),?" + Y)),
    "BARE_ONE": (cp.bare_ones, re.compile(r"(?<=[^\W\d_]),?" + Y)),
    "BARE_PAIR": (cp.BARE_PAIR.finditer, re.compile(r"(?:&|\band\b)[ \t]+[^\W\d_][^,;()\[\]\n]{0,60}?,?" + Y)),
    "URL": (pandoc.URL.finditer, re.compile(r"(?<![@{])\b(?:https?|ftps?)://[^\s<>\[\]{}]++")),
}
PIECES = [
    *("et al.", "et  al", "u. a.", "u.a.", "and", "band", "&", " ", "  ", "\t", "\n", ",", "2015", "2019a", "1850"),
    *("n.d.", "n. d.", "Clark", "é", "x", "1", "_", ";", "(", "–", "A", "Bc", "20", "15", "Ünal", "Ωmega"),
    *("\n\n", " \n ", ", \n", "²", "Ⅻ", "ª", "\u00a0"),
    *("http://", "https://", "ftp://", "ftps://", "@", "{", "[", "]", "<", "a.org/x", "/", ":"),
]


@pytest.mark.parametrize("name", PLAIN)
def test_finds_what_the_plain_form_finds(name: str) -> None:
    ours, plain = PLAIN[name]
    rng = random.Random(name)
    for _ in range(20_000):
        s = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 14)))
        assert list(map(_span, ours(s))) == [m.span() for m in plain.finditer(s)], s


@pytest.mark.parametrize(
    ("name", "text", "spans"),
    [
        ("BARE_ETAL", "as in Lin et al., 2012 and", [(10, 18)]),
        ("BARE_ETAL", "Lin bet al. 2012", []),
        ("BARE_ONE", "in Clark, 2015 and Clark\n2016", [(8, 10), (24, 25)]),
        ("BARE_ONE", "in 12, 2015", []),
        ("BARE_PAIR", "Demagny and De Robertis, 2016", [(8, 25)]),
        ("BARE_PAIR", "Demagny band De Robertis, 2016", []),
        ("URL", "see https://x.org/a and @http://z.org", [(4, 19)]),
    ],
)
def test_examples(name: str, text: str, spans: list[tuple[int, int]]) -> None:
    assert list(map(_span, PLAIN[name][0](text))) == spans


def _span(found: re.Match[str] | tuple[int, int]) -> tuple[int, int]:
    return found.span() if isinstance(found, re.Match) else found
