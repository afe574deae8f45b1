"""Finding author-date citations in the body of a manuscript.

Input: the cleaned text (same length as the source, reference list blanked) and the names the
reference list knows. Output: ``Citation`` records in text order, each with its own span:
``(Smith, 2018; Jones, 2020)`` gives two, ``Smith (2018)`` one.

The finder anchors on years, never on names: it looks at each bracket pair, splits it at
semicolons, finds the years in each part and reads the authors backwards from each year. A name
before a bracket that opens with a year makes a narrative citation. Anchoring on years keeps the
work linear in the length of the text whatever the text holds (300,000 open brackets, a name
repeated 100,000 times): every regex runs on a bounded window.

The parts: ``patterns`` (the regexes and word lists), ``known`` (the names the reference list
holds), ``groups`` (the bracket pairs), ``authors`` (the names before a year or a bracket),
``locators`` (the pinpoint after the year) and ``finder`` (``CitationFinder``, which puts them
together). The names below are those the rest of citecheck imports from here.
"""

from __future__ import annotations

from citecheck.citations.finder import CitationFinder, find_citations
from citecheck.citations.known import KnownNames, known_names
from citecheck.citations.locators import parse_locator
from citecheck.citations.patterns import UNPUBLISHED, unpublished

__all__ = ["UNPUBLISHED", "CitationFinder", "KnownNames", "find_citations", "known_names", "parse_locator", "unpublished"]
