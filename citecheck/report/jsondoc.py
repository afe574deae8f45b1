"""The JSON renderer: one report, or several (``citecheck-reports/1``), as one JSON document.

The document is made as pieces, a citation at a time, so that a book's report is never held twice
(as dictionaries and as text): the pieces join into exactly what ``json.dumps`` writes for the
whole (compact separators ", " and ": ", no indent, non-ASCII kept).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from itertools import islice

from citecheck.model import Report
from citecheck.report.data import parts

# The report is a tree of fresh dictionaries and lists, none inside itself: the check for circular
# references (a set of every container being encoded) would find none.
_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)


def render_json(reports: Sequence[Report]) -> str:
    return "".join(json_chunks(reports))


def json_chunks(reports: Sequence[Report]) -> Iterator[str]:
    """The JSON document in pieces. Compact: indenting switches json to its pure-Python encoder,
    four times slower on a book; pipe through "python3 -m json.tool" or "jq" to read it."""
    if len(reports) == 1:
        yield from _report(reports[0])
    else:
        yield '{"schema": "citecheck-reports/1", "reports": ['
        for i, r in enumerate(reports):
            if i:
                yield ", "
            yield from _report(r)
        yield "]}"
    yield "\n"


def _report(report: Report) -> Iterator[str]:
    for i, (key, value) in enumerate(parts(report, written=True)):
        yield ("{" if i == 0 else ", ") + _ENCODER.encode(key) + ": "
        if isinstance(value, Iterator):
            yield from _list(value)
        else:
            yield _ENCODER.encode(value)
    yield "}"


def _list(items: Iterator[str]) -> Iterator[str]:
    """A list whose items come as JSON texts, a few hundred at a time: fewer writes, little memory."""
    yield "["
    separator = ""
    while batch := list(islice(items, 256)):
        yield separator + ", ".join(batch)
        separator = ", "
    yield "]"
