"""Choosing a reader for an input file: plain text and Markdown here, PDF, DOCX and LaTeX in their modules.

Input: a path, optionally the format the user named (``--from``) and bibliography files to audit
against (``--bib``). Output: a ``Source`` whose text every later stage reads the same way, whatever
the format. The format comes from ``--from``, else from the file's first bytes (a ``.txt`` that is
really a PDF is read as PDF), else from its extension. Each reader's library is an optional
dependency, imported only when needed.

Bibliographies become parts of the ``Source``: those the manuscript names itself (LaTeX
``\\bibliography``, a Markdown file's YAML front matter) and those given with ``--bib``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence

from citecheck.errors import InputError
from citecheck.model import BIBLIOGRAPHY, LIBRARY, MANUSCRIPT, Source, join_sources, make_source
from citecheck.read import read_bytes, read_path
from citecheck.readers.syntax import Syntax

FORMATS = ("text", "markdown", "pdf", "docx", "latex")


def _markdown_syntax() -> Syntax:
    from citecheck.readers.pandoc import MarkdownSyntax

    return MarkdownSyntax()


def _latex_syntax() -> Syntax:
    from citecheck.readers.latex import LatexSyntax

    return LatexSyntax()


# The formats whose markup says more than their prose (see syntax.py); the others are prose only.
SYNTAXES: dict[str, Callable[[], Syntax]] = {"markdown": _markdown_syntax, "latex": _latex_syntax}
_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".tex": "latex",
    ".ltx": "latex",
}
_EXTRA = {"pdf": ("pdfplumber", "pdf"), "docx": ("docx", "docx")}


def sniff(path: str) -> str:
    """The format of a file, from its first bytes first and its extension second."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and os.path.splitext(path)[1].lower() != ".pdf":
        return "docx"
    return _EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def read_document(path: str, fmt: str | None = None, bibs: Sequence[str] = ()) -> Source:
    """Read any supported manuscript, with the bibliographies it names and ``bibs``; raises
    ``InputError`` with one line when it cannot."""
    source = _read(path, fmt)
    named = _front_matter_bibliographies(source) if source.format == "markdown" else []
    # A file given twice (as --bib and in the front matter or \bibliography, or twice as --bib) is read once.
    seen = {os.path.realpath(p.path) for p in source.parts} | {os.path.realpath(path)}
    libraries = []
    for name, role in [(b, BIBLIOGRAPHY) for b in named] + [(b, LIBRARY) for b in bibs]:
        real = os.path.realpath(name)
        if real not in seen:
            seen.add(real)
            libraries.append((read_path(name), role))
    if not libraries:
        return source
    if source.parts:
        parts = [(make_source(source.part_text(i), p.path), p.role) for i, p in enumerate(source.parts)]
        joined = join_sources(parts + libraries)
    else:
        joined = join_sources([(source, MANUSCRIPT), *libraries])
    return make_source(
        joined.text, source.path, source.encoding, joined.notes, source.pages, source.format, joined.parts, source.fields
    )


def _front_matter_bibliographies(source: Source) -> list[str]:
    from citecheck.readers.pandoc import front_matter

    _, names = front_matter(source.text)
    base = os.path.dirname(source.path or "")  # relative names stay relative, as the user wrote them
    return [os.path.normpath(os.path.join(base, os.path.expanduser(n))) for n in names]


def _read(path: str, fmt: str | None) -> Source:
    read_bytes(path)  # the same one-line errors for a missing file, a directory, an unreadable one
    fmt = fmt or sniff(path)
    if fmt not in FORMATS:
        raise InputError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt in ("text", "markdown"):
        source = read_path(path)
        return make_source(source.text, source.path, source.encoding, source.notes, format=fmt)
    if fmt == "latex":
        from citecheck.readers.latex import read_latex

        return read_latex(path)
    module, extra = _EXTRA[fmt]
    try:
        __import__(module)
    except ImportError:
        raise InputError(f"{path}: reading {fmt.upper()} needs an extra: pip install 'citecheck-audit[{extra}]'") from None
    if fmt == "pdf":
        from citecheck.readers.pdf import read_pdf

        source = read_pdf(path)
    else:
        from citecheck.readers.docx import read_docx

        source = read_docx(path)
    return source
