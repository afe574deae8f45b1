"""Writing a ``Report``: small renderers over the same report, the command line picking one by
``--format``. ``data`` turns the report into the plain data of the JSON schema (offsets into files,
lines, columns, pages, paragraphs); ``jsondoc`` writes it as JSON, ``text`` as a report to read."""

from citecheck.report.data import SCHEMA, record_dict, summary, to_dict
from citecheck.report.jsondoc import render_json
from citecheck.report.text import render_text

__all__ = ["SCHEMA", "record_dict", "render_json", "render_text", "summary", "to_dict"]
