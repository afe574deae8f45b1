"""Writing a ``Report``: small renderers over the same report, the command line picking one by
``--format``. ``data`` turns the report into the plain data of the JSON schema (offsets into files,
lines, columns, pages, paragraphs); ``jsondoc`` writes it as JSON, ``jsonl`` as one line per
document, ``text`` as a report to read; ``sarif`` (GitHub code scanning), ``github`` (workflow
commands and the job summary), ``gitlab`` (Code Quality) and ``junit`` (test results) are for CI
(docs/ci.md); ``html`` and ``markdown`` are for people (docs/report-format.md). All but JSON
and text are imported when first used: the JSON and text reports do not wait for them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from citecheck import lazy_names
from citecheck.report.data import SCHEMA, record_dict, summary, to_dict
from citecheck.report.jsondoc import render_json
from citecheck.report.text import render_text

_HOMES = {
    "render_github": "citecheck.report.github",
    "step_summary": "citecheck.report.github",
    "render_gitlab": "citecheck.report.gitlab",
    "render_html": "citecheck.report.html",
    "render_markdown": "citecheck.report.markdown",
    "render_jsonl": "citecheck.report.jsonl",
    "render_junit": "citecheck.report.junit",
    "render_sarif": "citecheck.report.sarif",
}

if TYPE_CHECKING:
    from citecheck.report.github import render_github, step_summary
    from citecheck.report.gitlab import render_gitlab
    from citecheck.report.html import render_html
    from citecheck.report.jsonl import render_jsonl
    from citecheck.report.junit import render_junit
    from citecheck.report.markdown import render_markdown
    from citecheck.report.sarif import render_sarif

__all__ = [
    "SCHEMA",
    "record_dict",
    "render_github",
    "render_gitlab",
    "render_html",
    "render_json",
    "render_jsonl",
    "render_junit",
    "render_markdown",
    "render_sarif",
    "render_text",
    "step_summary",
    "summary",
    "to_dict",
]


__getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
