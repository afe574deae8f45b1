"""The JSON Lines renderer (``--format jsonl``): one line per input document, the report exactly as
``--format json`` writes it for that document (``data.to_dict``), with ``path`` (the input) and
``status`` (``findings`` when something reached ``--fail-on``, else ``ok``) in front. Compact,
non-ASCII kept; a document at a time, so that a batch of many is never held whole."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

from citecheck.model import Report, Severity
from citecheck.report.data import to_dict

_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def jsonl_lines(reports: Sequence[Report], threshold: Severity | None) -> Iterator[str]:
    """``threshold`` is the least severity that counts (``--fail-on``); None counts nothing."""
    for report in reports:
        failed = threshold is not None and any(f.severity >= threshold for f in report.findings)
        line = {"path": report.source.path, "status": "findings" if failed else "ok", **to_dict(report)}
        yield _ENCODER.encode(line) + "\n"


def render_jsonl(reports: Sequence[Report], threshold: Severity | None) -> str:
    return "".join(jsonl_lines(reports, threshold))
