"""Choosing a reader for an input file: plain text and Markdown here, PDF and DOCX in their modules.

Input: a path and, optionally, the format the user named (``--from``). Output: a ``Source`` whose
text every later stage reads the same way, whatever the format. The format comes from ``--from``,
else from the file's first bytes (a ``.txt`` that is really a PDF is read as PDF), else from its
extension. Each reader's library is an optional dependency, imported only when needed.
"""

from __future__ import annotations

import os

from citecheck.errors import InputError
from citecheck.model import Source
from citecheck.read import read_bytes, read_path

FORMATS = ("text", "markdown", "pdf", "docx")
_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".md": "markdown", ".markdown": "markdown", ".txt": "text"}
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


def read_document(path: str, fmt: str | None = None) -> Source:
    """Read any supported manuscript; raises ``InputError`` with one line when it cannot."""
    read_bytes(path)  # the same one-line errors for a missing file, a directory, an unreadable one
    fmt = fmt or sniff(path)
    if fmt not in FORMATS:
        raise InputError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    if fmt in ("text", "markdown"):
        return read_path(path)
    module, extra = _EXTRA[fmt]
    try:
        __import__(module)
    except ImportError:
        raise InputError(f"{path}: reading {fmt.upper()} needs an extra: pip install 'citecheck-audit[{extra}]'") from None
    if fmt == "pdf":
        from citecheck.readers.pdf import read_pdf

        return read_pdf(path)
    from citecheck.readers.docx import read_docx

    return read_docx(path)
