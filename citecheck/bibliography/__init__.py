"""Bibliography files: BibTeX/BibLaTeX (.bib), CSL-JSON (.json), CSL YAML (.yaml, and the ``references:``
of a Markdown file's front matter) and RIS (.ris) read into ``Reference`` records.

Input: a path (``read_bibliography``) or the decoded text of a file (``parse_bibtex``, ``parse_csl_json``,
``parse_csl_yaml``, ``parse_ris``). Output: one ``Reference`` per entry, in file order, whose ``span`` is
the entry's character range in that text (for BibTeX from the ``@`` to the closing brace, for CSL-JSON
the item's ``{...}``, for CSL YAML the item's keys and values, for RIS from ``TY  -`` to ``ER  -``) and
whose ``text`` is a one-line APA-like summary built from the fields. ``read_bibliography`` also returns
the decoded file as a ``Source``, so that the spans can be turned into lines and columns like those of
a manuscript.

An entry that cannot be parsed is kept, with its span, its raw text squeezed onto one line and empty
fields, so that the ``unparsed-reference`` rule reports it instead of the entry silently vanishing. A
file that is no bibliography at all, or whose JSON or YAML is malformed, raises ``InputError`` with one line.

The readers live in ``bibtex`` (bibtexparser and pylatexenc, imported only when a BibTeX file is
read: together they take a tenth of a second to import), ``csljson``, ``cslyaml`` (PyYAML, imported
when a YAML text is read) and ``ris``; what they share (years, pages, DOIs, languages, the one-line
summary) is in ``common``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping

from citecheck.bibliography.common import RIS_LINE
from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import Reference, Source, make_source
from citecheck.read import decode, read_bytes

BIBTEX, CSL_JSON, CSL_YAML, RIS = "bibtex", "csl-json", "csl-yaml", "ris"
EXTENSIONS = {".bib": BIBTEX, ".bibtex": BIBTEX, ".json": CSL_JSON, ".ris": RIS, ".yaml": CSL_YAML, ".yml": CSL_YAML}
# A Markdown file read as a bibliography is the references of its front matter (how the Markdown
# reader hands them to the pipeline: see readers/__init__.py).
EXTENSIONS.update(dict.fromkeys((".md", ".markdown", ".qmd", ".rmd"), CSL_YAML))

# A BibTeX entry (or @string, @comment...) opening at the start of a line, as bibtexparser requires.
BIBTEX_BLOCK = regex(
    r"""
    ^[ \t]*@[ \t]*[A-Za-z]+[ \t]*   # "@article", "@ Book"
    [{(]                            # entries open with a brace or, rarely, a parenthesis
    """,
    re.VERBOSE | re.MULTILINE,
)


# Entries a bibliography file may hold. A reference manager's whole library runs to a few tens of
# thousands; reading 100,000 BibTeX entries takes about a minute and a gigabyte, for a manuscript
# that cites a few dozen of them.
MAX_ENTRIES = 50_000
# Where a record opens, to count them before any is parsed.
_RIS_RECORD = regex(r"^TY  -", re.MULTILINE)
_REFERENCES = regex(r"\breferences\b")
_YAML_OPENING = regex(r"\ufeff?(?:[ \t]*\r?\n)*---[ \t]*\r?$", re.MULTILINE)


def read_bibliography(path: str) -> tuple[Source, list[Reference]]:
    """Read a bibliography file; the format comes from the extension, or from the content when the
    extension is unknown or the content says otherwise. Raises ``InputError`` with one line."""
    data = read_bytes(path, "bibliography")
    try:
        text, encoding, notes = decode(data)
    except InputError as exc:
        raise InputError(f"{path}: not a bibliography: {exc}") from None
    source = make_source(text, path=path, encoding=encoding, notes=notes)
    return source, parse_bibliography(text, path)


def parse_bibliography(text: str, path: str) -> list[Reference]:
    """The entries of a bibliography file's text, its format told by ``detect_format``."""
    extension = os.path.splitext(path)[1].lower()
    fmt = detect_format(text, extension)
    if fmt is None and extension == ".json":
        fmt = CSL_JSON  # let the JSON parser say what is wrong with a .json file that is no bibliography
    if fmt is None:
        raise InputError(f"{path}: not a bibliography: found no BibTeX entry, CSL-JSON list or RIS record")
    if fmt in (BIBTEX, RIS):  # JSON and YAML are counted once parsed: their records are hard to count before
        _check_count(path, len((BIBTEX_BLOCK if fmt == BIBTEX else _RIS_RECORD).findall(text)))
    try:
        references = parser(fmt)(text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    _check_count(path, len(references))
    return references


def _check_count(path: str, entries: int) -> None:
    if entries > MAX_ENTRIES:
        raise InputError(
            f"{path}: has {entries:,} entries, more than the {MAX_ENTRIES:,} limit; "
            "export the works the manuscript cites (or one collection) instead of the whole library"
        )


def detect_format(text: str, extension: str = "") -> str | None:
    """``"bibtex"``, ``"csl-json"``, ``"ris"``, or None when the text is none of them.

    The extension is believed when the content agrees with it (or the file is empty); otherwise the
    content decides, because exporters and users name files freely (a RIS export saved as .txt, a
    .bib that holds CSL-JSON).
    """
    claimed = EXTENSIONS.get(extension)
    if claimed is not None and (not text.strip() or _LOOKS_LIKE[claimed](text)):
        return claimed
    for fmt in (CSL_JSON, CSL_YAML, RIS, BIBTEX):
        if _LOOKS_LIKE[fmt](text) and (fmt != CSL_YAML or _opens_yaml(text)):
            return fmt
    return None


def _looks_like_json(text: str) -> bool:
    # JSON is the only one of the three whose first character is a bracket.
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def _looks_like_yaml(text: str) -> bool:
    # CSL YAML is a mapping with a "references" key; the parser says whether it is one.
    return _REFERENCES.search(text) is not None


def _opens_yaml(text: str) -> bool:
    # Without an extension that says YAML, only a text that opens with a "---" line is taken for it.
    return _YAML_OPENING.match(text) is not None


def _looks_like_ris(text: str) -> bool:
    # A RIS file is records of tagged lines, each record opened by TY.
    return any(m.group("tag") == "TY" for m in RIS_LINE.finditer(text, 0, min(len(text), 65536)))


def _looks_like_bibtex(text: str) -> bool:
    return BIBTEX_BLOCK.search(text) is not None


_LOOKS_LIKE: Mapping[str, Callable[[str], bool]] = {
    BIBTEX: _looks_like_bibtex,
    CSL_JSON: _looks_like_json,
    CSL_YAML: _looks_like_yaml,
    RIS: _looks_like_ris,
}


def parser(fmt: str) -> Callable[[str], list[Reference]]:
    """The parser of a format; a format's module is imported when a file of it is first read."""
    if fmt == BIBTEX:
        from citecheck.bibliography.bibtex import parse_bibtex

        return parse_bibtex
    if fmt == CSL_JSON:
        from citecheck.bibliography.csljson import parse_csl_json

        return parse_csl_json
    if fmt == CSL_YAML:
        from citecheck.bibliography.cslyaml import parse_csl_yaml

        return parse_csl_yaml
    from citecheck.bibliography.ris import parse_ris

    return parse_ris
