"""The shortcuts the entry parser takes: each finds what the plain reading of the whole entry finds."""

from __future__ import annotations

import importlib
import random
import re

import pytest

from citecheck.references.patterns import REF_YEAR_APA, REF_YEAR_BARE

entry = importlib.import_module("citecheck.references.entry")

PIECES = [
    "Smith, J.",
    "Brown, Thomas.",
    " ",
    ". ",
    ", ",
    "(2019)",
    "(2019a).",
    "(n.d.)",
    "2003.",
    "2018b",
    "n.d.",
    "in press",
    "“Title.”",
    '"Quoted"',
    "Old Coasts 5 (2003): 100–140.",
    "Journal, 4(2), 10–20.",
    "ab",
    "(",
    "1990/2001",
]


def plain_entry_year(scan: str) -> re.Match[str] | None:
    """``entry._entry_year`` as it looks for a bare year in the whole entry."""
    ym = REF_YEAR_APA.search(scan)
    first = None
    bare = None
    for m in REF_YEAR_BARE.finditer(scan):
        before = scan[: m.start()].rstrip()
        if not before or before.endswith((".", ",", "(")):
            bare = m
            break
        first = first or m
    bare = bare or first
    if bare is not None and (ym is None or ym.start() > 0.8 * len(scan) or entry._right_after_names(scan, bare, ym)):
        return bare
    return ym


@pytest.mark.parametrize("seed", range(3))
def test_the_year_of_an_entry_is_the_one_the_whole_entry_gives(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        scan = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        found, plain = entry._entry_year(scan), plain_entry_year(scan)
        assert (found and found.span()) == (plain and plain.span()), scan
