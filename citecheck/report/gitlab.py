"""The GitLab renderer (``--format gitlab``): a Code Quality report, the JSON list of issues that
a merge request shows as it changes (``artifacts: reports: codequality:``).

Each issue has the finding's message, the rule code as ``check_name``, the fingerprint SARIF gives
it (line-independent, so that an issue on a line that moved is not new), a severity (error: major,
warning: minor, note: info) and the file, relative to the working directory, with its line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from citecheck.model import Report, Severity
from citecheck.report.sarif import full_message, located, relative_path

_ENCODER = json.JSONEncoder(ensure_ascii=False)
SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def render_gitlab(reports: Sequence[Report]) -> str:
    return "".join(gitlab_chunks(reports))


def gitlab_chunks(reports: Sequence[Report]) -> Iterator[str]:
    """The report in pieces, an issue a line, written as they are made."""
    yield "["
    first = True
    for issue in code_quality(reports):
        yield ("\n" if first else ",\n") + _ENCODER.encode(issue)
        first = False
    yield "\n]\n"


def code_quality(reports: Sequence[Report]) -> Iterator[dict[str, Any]]:
    for report in reports:
        for f, place, fingerprint in located(report):
            yield {
                "description": full_message(f),
                "check_name": f.rule,
                "fingerprint": fingerprint,
                "severity": SEVERITIES[f.severity],
                "location": {
                    "path": relative_path(place["file"] or report.source.path or "<text>"),
                    # a finding about the whole document (no reference list) is put on its first line
                    "lines": {"begin": place["line"] or 1},
                },
            }
