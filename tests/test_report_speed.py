"""The places of a report's spans, worked out once per source, are those ``Source`` tells span by
span: for one file or several, with pages or paragraphs or neither."""

from __future__ import annotations

import pytest

from citecheck.model import BIBLIOGRAPHY, Part, Source, Span, make_source
from citecheck.report.data import _place, _places

MANUSCRIPT = "Intro line.\n\nA claim (Smith, 2019).\nMore text.\n\nReferences\n\nSmith, J. (2019). Title.\n"
BIB = "@article{smith19,\n  title = {Title},\n  year = {2019}\n}\n"


def _sources() -> dict[str, Source]:
    text = MANUSCRIPT + BIB
    parts = (Part(0, "paper.md"), Part(len(MANUSCRIPT), "refs.bib", BIBLIOGRAPHY))
    pages = (0, 30, 60)
    return {
        "one file": make_source(MANUSCRIPT, "paper.md"),
        "pages": make_source(MANUSCRIPT, "paper.pdf", pages=pages, format="pdf"),
        "paragraphs": make_source(MANUSCRIPT, "paper.docx", paragraphs=True, format="docx"),
        "two files": make_source(text, "paper.md", parts=parts),
        "two files with pages and paragraphs": make_source(text, "paper.md", pages=pages, parts=parts, paragraphs=True),
        "no line starts": Source(text, "paper.md", parts=parts, pages=pages),
    }


@pytest.mark.parametrize("name", list(_sources()))
def test_every_span_is_placed_as_the_source_places_it(name: str) -> None:
    src = _sources()[name]
    place = _places(src)
    for start in range(len(src.text)):
        span = Span(start, min(start + 5, len(src.text)))
        assert place(span) == _place(src, span), start
