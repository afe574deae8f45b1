"""Lines and columns, and the paragraph numbers of readers that write one paragraph per block (DOCX,
JATS): found by a search over breaks counted once, the same numbers as counting the breaks before
each place."""

from __future__ import annotations

import dataclasses
import random

from citecheck.model import make_source


def test_paragraph_numbers_match_counting_the_breaks_before() -> None:
    rng = random.Random(3)
    text = "".join(rng.choice(["a", "\n", "\n\n", "\n\n\n", "b "]) for _ in range(3000))
    source = make_source(text, paragraphs=True)
    assert [source.paragraph(o) for o in range(len(text))] == [text.count("\n\n", 0, o) + 1 for o in range(len(text))]


def test_no_paragraph_numbers_for_other_readers() -> None:
    assert make_source("a\n\nb").paragraph(3) is None


def test_line_and_column_match_counting_the_breaks_before() -> None:
    # Line starts are worked out once, when first asked for, also for a source made from another.
    rng = random.Random(5)
    for text in ["", "\n", "a", "a\n", "\n\nb"] + [
        "".join(rng.choice(["a", "\n", "\r\n", "b "]) for _ in range(n)) for n in (50, 2000)
    ]:
        source = dataclasses.replace(make_source(text), notes=("a note",))
        expected = [(text.count("\n", 0, o) + 1, o - (text.rfind("\n", 0, o) + 1) + 1) for o in range(len(text) + 1)]
        assert [source.position(o) for o in range(len(text) + 1)] == expected
