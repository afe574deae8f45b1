"""Choosing a reader for an input file: plain text and Markdown here, PDF, DOCX, LaTeX and JATS XML in
their modules, each a line of ``READERS``.

Input: a path, optionally the format the user named (``--from``) and bibliography files to audit
against (``--bib``). Output: a ``Source`` whose text every later stage reads the same way, whatever
the format. The format comes from ``--from``, else from the file's first bytes (a ``.txt`` that is
really a PDF is read as PDF), else from its extension. Each reader's library is an optional
dependency, imported only when needed.

Bibliographies become parts of the ``Source``: those the manuscript names itself (LaTeX
``\\bibliography``, a Markdown file's YAML front matter) and those given with ``--bib``. The
``references:`` written in a Markdown front matter (CSL YAML) are a bibliography part too: a copy of
the file's text up to the end of its front matter, with the file's path, so that each entry's span
is its place in the front matter, in the file's own lines and columns (see
``_front_matter_references``).
"""

from __future__ import annotations

import dataclasses
import importlib
import os
from collections.abc import Callable, Sequence
from typing import Any

from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import BIBLIOGRAPHY, LIBRARY, MANUSCRIPT, Source, join_sources, make_source, record
from citecheck.read import check_file, decode, read_path, within
from citecheck.readers.syntax import Syntax


@record
class Reader:
    """One input format: the function that reads it (``module:function``), its file extensions, the
    library it needs and the extra that installs it, and the syntax its markup adds to its prose
    (``module:class``, see syntax.py)."""

    read: str
    extensions: tuple[str, ...] = ()
    needs: str | None = None
    extra: str | None = None
    syntax: str | None = None


# Adding a format is a module in readers/ and a line here.
READERS: dict[str, Reader] = {
    "text": Reader("citecheck.readers:read_text", (".txt",)),
    # Quarto (.qmd) and R Markdown (.Rmd) are Pandoc Markdown; their code chunks (```{r}) are fenced code.
    "markdown": Reader(
        "citecheck.readers:read_markdown", (".md", ".markdown", ".qmd", ".rmd"), syntax="citecheck.readers.pandoc:MarkdownSyntax"
    ),
    "pdf": Reader("citecheck.readers.pdf:read_pdf", (".pdf",), needs="pdfminer", extra="pdf"),
    "docx": Reader("citecheck.readers.docx:read_docx", (".docx",), needs="defusedxml", extra="docx"),
    "latex": Reader("citecheck.readers.latex:read_latex", (".tex", ".ltx"), syntax="citecheck.readers.latex:LatexSyntax"),
    "jats": Reader("citecheck.readers.jats:read_jats", (".xml", ".nxml")),
}
FORMATS = tuple(READERS)
_EXTENSIONS = {ext: fmt for fmt, reader in READERS.items() for ext in reader.extensions}


def _load(spec: str) -> Any:
    module, name = spec.split(":")
    return getattr(importlib.import_module(module), name)


def syntax_factory(fmt: str) -> Callable[[], Syntax] | None:
    """The syntax class of a format whose markup says more than its prose, else None."""
    reader = READERS.get(fmt)
    return _load(reader.syntax) if reader is not None and reader.syntax else None


def read_text(path: str, fmt: str = "text") -> Source:
    source = read_path(path)
    return make_source(source.text, source.path, source.encoding, source.notes, format=fmt)


def read_markdown(path: str) -> Source:
    return read_text(path, "markdown")


def sniff(path: str) -> str:
    """The format of a file, from its first bytes first and its extension second."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04") and os.path.splitext(path)[1].lower() != ".pdf":
        return "docx"
    return _EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")


def read_document(path: str, fmt: str | None = None, bibs: Sequence[str] = (), data: bytes | None = None) -> Source:
    """Read any supported manuscript, with the bibliographies it names and ``bibs``; raises
    ``InputError`` with one line when it cannot. ``data`` is a manuscript given on standard input
    and named ``path`` (``--stdin-filename``): the files it names are looked for beside ``path``."""
    source = _read(path, fmt) if data is None else _from_bytes(path, fmt, data)
    named = _front_matter_bibliographies(source) if source.format == "markdown" else []
    inline, inline_notes = _front_matter_references(source) if source.format == "markdown" else (None, ())
    # A manuscript names files of its own folder only: "bibliography: /etc/passwd" is not read.
    folder = os.path.dirname(path)
    outside = [n for n in named if not within(folder, n)]
    named = [n for n in named if within(folder, n)]
    # A file given twice (as --bib and in the front matter or \bibliography, or twice as --bib) is read once.
    seen = {os.path.realpath(p.path) for p in source.parts} | {os.path.realpath(path)}
    # Pandoc prefers the front matter's references to a file's entry of the same id: they come first.
    libraries = [(inline, BIBLIOGRAPHY)] if inline is not None else []
    for name, role in [(b, BIBLIOGRAPHY) for b in named] + [(b, LIBRARY) for b in bibs]:
        real = os.path.realpath(name)
        if real not in seen:
            seen.add(real)
            libraries.append((read_path(name), role))
    notes = inline_notes + tuple(
        f"{path}: the bibliography '{n}' is outside the manuscript's folder; it was not read" for n in outside
    )
    if not libraries:
        if not notes:
            return source
        return dataclasses.replace(source, notes=source.notes + notes)
    if source.parts:
        parts = [(make_source(source.part_text(i), p.path), p.role) for i, p in enumerate(source.parts)]
        joined = join_sources(parts + libraries)
    else:
        joined = join_sources([(source, MANUSCRIPT), *libraries])
    return make_source(
        joined.text,
        source.path,
        source.encoding,
        joined.notes + notes,
        source.pages,
        source.format,
        joined.parts,
        source.fields,
        source.paragraphs,
        source.page_labels,
        source.line_numbers,
        source.anchors,
    )


def _front_matter_bibliographies(source: Source) -> list[str]:
    from citecheck.readers.pandoc import front_matter

    _, names = front_matter(source.text)
    base = os.path.dirname(source.path or "")  # relative names stay relative, as the user wrote them
    return [os.path.normpath(os.path.join(base, os.path.expanduser(n))) for n in names]


def _front_matter_references(source: Source) -> tuple[Source | None, tuple[str, ...]]:
    """The ``references:`` of a Markdown front matter as a bibliography part: the file's text up
    to the end of its front matter, which ``citecheck.bibliography`` reads as CSL YAML (by the
    file's extension, or because it opens with ``---``). None when there are none, and a note when
    they cannot be read (malformed YAML, ``references`` no list of mappings, a front matter over
    1 MiB or of more than 50,000 nodes): the rest of the manuscript is still audited.

    PyYAML is imported only for a front matter that has the word "references" in it."""
    from citecheck.readers.pandoc import front_matter

    matter, _ = front_matter(source.text)
    if matter is None or not _REFERENCES.search(source.text, matter.start, matter.end):
        return None, ()
    from citecheck.bibliography.cslyaml import parse_csl_yaml

    text = source.text[: matter.end]
    try:
        found = parse_csl_yaml(text)
    except InputError as exc:
        return None, (f"{source.path}: the references of the front matter were not read: {exc}",)
    if not found:
        return None, ()
    return make_source(text, source.path, source.encoding, format=source.format), ()


_REFERENCES = regex(r"\breferences\b")


def _from_bytes(path: str, fmt: str | None, data: bytes) -> Source:
    """A manuscript read from standard input: plain text or Markdown (Quarto, R Markdown), whose
    format its name's extension gives; the other formats are read from their files."""
    fmt = fmt or _EXTENSIONS.get(os.path.splitext(path)[1].lower(), "text")
    if fmt not in ("text", "markdown"):
        raise InputError(f"{path}: {fmt.upper()} is not read from standard input; name the file instead")
    try:
        text, encoding, notes = decode(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return make_source(text, path, encoding, notes, format=fmt)


def _read(path: str, fmt: str | None) -> Source:
    check_file(path)  # the same one-line errors for a missing file, a directory, a device, a pipe
    fmt = fmt or sniff(path)
    if fmt not in READERS:
        raise InputError(f"{path}: unknown format '{fmt}'; use one of {', '.join(FORMATS)}")
    reader = READERS[fmt]
    if reader.needs is not None:
        try:
            __import__(reader.needs)
        except ImportError:
            raise InputError(
                f"{path}: reading {fmt.upper()} needs an extra: pip install 'citecheck-audit[{reader.extra}]'"
            ) from None
    try:
        source: Source = _load(reader.read)(path)
    except RecursionError:  # XML of elements thousands deep, which no writer produces
        raise InputError(f"{path}: is nested too deeply to read (elements within elements, thousands of levels)") from None
    return source
