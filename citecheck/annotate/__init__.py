"""Annotated copies of the manuscript: the file the editor or reviewer was sent, with one comment
(DOCX) or highlight and pop-up note (PDF) per finding, on the text it is about.

``annotated(report)`` returns the copy's bytes; the input is only read. Each annotation's text is
the finding's message, a blank line, then its suggestion (``note_text``), and it sits on exactly
the cited text, or on the first line of the reference entry for a finding about an entry
(``anchor``). Findings about the document as a whole, or about a bibliography file given beside
it, have no place in the copy and are left out of it (they are in the report).
"""

from __future__ import annotations

from citecheck.errors import CitecheckError
from citecheck.model import Finding, Report, Span

FORMATS = ("docx", "pdf")


def annotated(report: Report) -> tuple[bytes, int]:
    """The annotated copy of a report's manuscript, and how many findings it carries."""
    fmt = report.source.format
    if fmt == "docx":
        from citecheck.annotate.docx import annotated_docx

        return annotated_docx(report)
    if fmt == "pdf":
        from citecheck.annotate.pdf import annotated_pdf

        return annotated_pdf(report)
    raise CitecheckError(f"{report.source.path}: --annotate takes a DOCX or PDF manuscript, not {fmt}")


def note_text(f: Finding) -> str:
    """An annotation's text: the message, a blank line, the suggestion."""
    return f"{f.message}\n\n{f.suggestion}" if f.suggestion else f.message


def anchor(report: Report, f: Finding) -> Span | None:
    """The text an annotation sits on: the citation, or the first line of a reference entry; None
    for a finding with no place in the manuscript itself."""
    src = report.source
    if f.span is None or f.span.start >= src.manuscript_end:
        return None
    span = f.span
    if f.citation is None:
        text = src.text
        end = text.find("\n", span.start, span.end)
        if end != -1:
            span = Span(span.start, end)
    return span
