"""The JSON renderer: one report, or several (``citecheck-reports/1``), as one JSON document."""

from __future__ import annotations

import json
from collections.abc import Sequence

from citecheck.model import Report
from citecheck.report.data import to_dict


def render_json(reports: Sequence[Report]) -> str:
    # Compact: indenting switches json to its pure-Python encoder, four times slower on a book.
    # Pipe through "python3 -m json.tool" or "jq" to read it.
    if len(reports) == 1:
        return json.dumps(to_dict(reports[0]), ensure_ascii=False) + "\n"
    body = {"schema": "citecheck-reports/1", "reports": [to_dict(r) for r in reports]}
    return json.dumps(body, ensure_ascii=False) + "\n"
