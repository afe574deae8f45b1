"""The JSON Lines renderer (``--format jsonl``): one line per input document, the report exactly as
``--format json`` writes it for that document (``data.to_dict``), with ``path`` (the input) and
``status`` (``findings`` when something reached ``--fail-on``, else ``ok``) in front; an input of
a batch that could not be read is a line of its own, ``{"path", "status": "unreadable", "reason"}``. Compact,
non-ASCII kept; a document at a time, so that a batch of many is never held whole."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence

from citecheck.model import Report, Severity, Unreadable
from citecheck.report.data import to_dict

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def jsonl_lines(reports: Sequence[Report], threshold: Severity | None) -> Iterator[str]:
    """``threshold`` is the least severity that counts (``--fail-on``); None counts nothing."""
    for report in reports:
        failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
        line = {"path": report.source.path, "status": "findings" if failed else "ok", **to_dict(report)}
        yield _ENCODER.encode(line) + "\n"


def with_failures(lines: Iterable[str], failures: Sequence[tuple[int, Unreadable]]) -> Iterator[str]:
    """The report lines with a line ``{"path", "status", "reason"}`` for each input that could not
    be read, in input order: each failure comes after as many reports as it says."""
    pending = list(failures)
    for done, line in enumerate(lines):
        while pending and pending[0][0] <= done:
            yield failure_line(pending.pop(0)[1])
        yield line
    for _, failure in pending:
        yield failure_line(failure)


def failure_line(failure: Unreadable) -> str:
    """The line of an input that could not be read: path, status, reason."""
    return _ENCODER.encode({"path": failure.path, "status": failure.status, "reason": failure.reason}) + "\n"


def render_jsonl(reports: Sequence[Report], threshold: Severity | None) -> str:
    return "".join(jsonl_lines(reports, threshold))
