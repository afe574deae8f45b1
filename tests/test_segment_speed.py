"""The shortcuts the segmenter takes over a long list: each finds what a look at every line finds."""

from __future__ import annotations

import importlib
import itertools
import random
import re

import pytest
from invented import line_texts

from citecheck.model import Span
from citecheck.references.patterns import _PARAGRAPH, BULLET

# The module, not the function ``citecheck.references`` names after it.
segment_module = importlib.import_module("citecheck.references.segment")

LINES = [
    "",
    " ",
    "\t",
    "- Smith, J. (2019). Title. Journal, 1, 2–3.",
    "  • Jones, K. 2020. A title.",
    "–\tLee, P. (2018). Another.",
    "-Smith",
    "* ",
    "  - ",
    "1. Smith, J. (2019). Title.",
    "    continued on a hanging indent",
    "ab",
    "https://doi.org/10.1000/",
]


@pytest.mark.parametrize("seed", range(3))
def test_the_bulleted_lines_are_those_that_match_one_by_one(seed: int) -> None:
    rng = random.Random(seed)
    for text in line_texts(LINES, seed):
        start = rng.randint(0, len(text))
        span = Span(start, rng.randint(start, len(text)))
        lines = segment_module._line_texts(text, span)
        assert segment_module._bulleted_lines(text, span, lines) == sum(BULLET.match(t) is not None for t in lines), (text, span)


@pytest.mark.parametrize("seed", range(3))
def test_the_indents_are_those_of_each_line(seed: int) -> None:
    for text in line_texts(LINES, seed + 10):
        lines = text.split("\n")
        assert segment_module._indents(lines) == {len(t) - len(t.lstrip(" \t")) for t in lines if t.strip()}, text


def test_a_paragraph_ends_where_a_character_at_a_time_it_does() -> None:
    by_character = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")
    rng = random.Random(1)
    for _ in range(20000):
        text = "".join(rng.choice(["a", " ", "\t", "\n", "\r", "b c", "\u00a0"]) for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        found = [m.span() for m in _PARAGRAPH.finditer(text, start, end)]
        assert found == [m.span() for m in by_character.finditer(text, start, end)], (text, start, end)


@pytest.mark.parametrize("seed", range(3))
def test_one_line_paragraphs_are_told_as_from_every_line(seed: int) -> None:
    for text in line_texts(LINES, seed + 20):
        lines = text.split("\n")
        filled = [i for i, t in enumerate(lines) if t.strip()]
        plain = len(filled) >= 3 and all(b - a > 1 for a, b in itertools.pairwise(filled))
        assert segment_module._one_line_paragraphs(lines) == plain, text
