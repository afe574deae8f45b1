"""The reference list: splitting it into entries and parsing each entry.

Input: the cleaned text and the span of the reference list (from ``layout``). Output: one
``Reference`` per entry, in list order, each with its span. An entry that cannot be parsed keeps
its span and text with empty fields; the ``unparsed-reference`` rule reports it.

Entries may be separated by blank lines, by bullets or numbers, or only by line wraps with hanging
indents; in text extracted from a PDF even the indents are gone, and an entry starts where a line
opens with "Surname, I." after a line that ended an entry. A page break (its page number and running
header blanked by ``layout``) or a wrap inside an author or editor list starts none: an entry with no
year or title yet, or one cut mid-list, goes on past it.

The parts: ``patterns`` (the regexes), ``segment`` (the list into entries), ``entry`` (an entry
into its fields), ``authors`` (an author list into authors) and ``twins`` (one work listed
twice). The names below are those the rest of citecheck imports from here.
"""

from __future__ import annotations

from citecheck.model import Reference, Span
from citecheck.references.entry import entry_text, parse_entries, parse_entry
from citecheck.references.patterns import ORG_HINT
from citecheck.references.segment import earlier_lists, segment
from citecheck.references.twins import earlier_twins, same_work

__all__ = [
    "ORG_HINT",
    "earlier_lists",
    "earlier_twins",
    "entry_text",
    "parse_entries",
    "parse_entry",
    "read_references",
    "same_work",
    "segment",
]


def read_references(clean: str, span: Span | None, as_written: bool = False) -> list[Reference]:
    """The entries of the list at ``span``, parsed; ``as_written``: as ``parse_entries`` takes it."""
    if span is None:
        return []
    return parse_entries(clean, segment(clean, span), as_written)
