"""BibTeX and BibLaTeX (``.bib``) entries read into ``Reference`` records with bibtexparser v2, field
values decoded from LaTeX with pylatexenc.

An entry's span runs from its ``@`` to its closing brace. Malformed entries and duplicate keys never
raise: an entry that cannot be parsed is kept with its span and raw text, for ``unparsed-reference``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares.middleware import BlockMiddleware
from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names
from bibtexparser.middlewares.parsestack import default_parse_stack
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db
from pylatexenc.latexwalker import LatexWalker
from pylatexenc.latexwalker import get_default_latex_context_db as get_default_latex_walker_context_db

from citecheck.bibliography.bibscan import BibEntry, scan
from citecheck.bibliography.common import (
    PUBLISHED_BY_KINDS,
    doi_from_url,
    language_code,
    parse_doi,
    parse_pages,
    parse_year,
    squeeze,
    strip_braces,
    summarised,
)
from citecheck.cache import regex
from citecheck.model import Author, Reference, Span, make_source
from citecheck.names import initials_of

# bibtexparser logs a multi-line warning for every malformed block. We report such blocks as
# ``unparsed-reference`` findings, and the command line promises one line on stderr, so its
# records must not reach Python's last-resort handler; an application that configures logging
# still receives them.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

# The BibTeX blocks that hold no work, so that a malformed one is not taken for a broken entry.
NON_ENTRY_BLOCK = regex(
    r"""
    @\s*(?:
        string          # @string{jgr = "..."}: a macro
      | comment         # @comment{...}
      | preamble        # @preamble{"..."}: LaTeX for the bibliography style
    )\b
    """,
    re.VERBOSE | re.IGNORECASE,
)


# A URL field wrapped in \url{...}, as BibLaTeX styles and some exporters write it.
URL_MACRO = regex(r"^\s*\\url\s*\{(?P<address>.*)\}\s*$", re.VERBOSE | re.DOTALL)


# The characters a URL field escapes for LaTeX: "\%", "\_", "\&", "\#".
URL_ESCAPE = regex(r"\\(?P<char>[%_&\#])", re.VERBOSE)


# A sort key BibTeX users hide in a field: "{\noopsort{1973a}}1973" prints 1973.
NOOPSORT = regex(r"\\noopsort\s*\{[^{}]*\}")

# What makes a field value LaTeX rather than plain text.
LATEX_MARKUP = regex(
    r"""
    [\\{}~$]        # a macro, a group, a tie or math
    | --            # an en or em dash
    | ``|''         # TeX quotation marks
    """,
    re.VERBOSE,
)


# Entry types to the kinds the rules know. BibTeX types are lowercased by bibtexparser; a paper in
# proceedings is a chapter here, as it is "In ..." a book with its own page range.
BIBTEX_KINDS: Mapping[str, str] = {
    **dict.fromkeys(("article", "periodical", "suppperiodical"), "article"),
    **dict.fromkeys(("book", "mvbook", "booklet", "collection", "mvcollection", "proceedings", "mvproceedings"), "book"),
    **dict.fromkeys(("incollection", "inbook", "bookinbook", "inproceedings", "conference", "inreference"), "chapter"),
    **dict.fromkeys(("techreport", "report"), "report"),
    **dict.fromkeys(("phdthesis", "mastersthesis", "thesis"), "thesis"),
    **dict.fromkeys(("online", "electronic", "www", "webpage"), "web"),
}


def parse_bibtex(text: str) -> list[Reference]:
    """Parse BibTeX or BibLaTeX; one ``Reference`` per entry (``@string``, ``@comment`` and
    ``@preamble`` are not entries). Malformed entries and duplicate keys never raise.

    A file of well-formed entries is read by ``bibscan``, several times faster than by bibtexparser
    and to the same entries; any other file, by bibtexparser."""
    found: Sequence[BibEntry | Span] | None = scan(text)
    if found is None:
        found = _split(text)
    return _references(text, found)


def _split(text: str) -> list[BibEntry | Span]:
    """The entries bibtexparser reads in ``text``, and the spans of the blocks it could not parse."""
    library = bibtexparser.parse_string(text)
    line_starts = make_source(text).line_starts
    found: list[BibEntry | Span] = []
    cursor = 0  # where the previous block ended, so two blocks on one line get their own spans
    for block in library.blocks:
        entry: Entry | None = None
        if isinstance(block, Entry):
            entry = block
        elif isinstance(block, DuplicateBlockKeyBlock | DuplicateFieldKeyBlock) and isinstance(block.ignore_error_block, Entry):
            # The splitter read these entries whole; only the library refused them (a key seen
            # before, a field given twice), so the parse stack never ran on them. Run it here and
            # keep them: two entries for one key are a finding for the audit, not a reason to lose one.
            entry = _apply_parse_stack(block.ignore_error_block, library)
        elif not isinstance(block, ParsingFailedBlock) or _is_non_entry(block.raw or ""):
            continue
        span = _block_span(text, line_starts, block.start_line, block.raw or "", cursor)
        if span is None:
            continue
        cursor = span.end
        found.append(span if entry is None else BibEntry(entry.entry_type, entry.key, _fields(entry), span))
    return found


def _references(text: str, found: Sequence[BibEntry | Span]) -> list[Reference]:
    """One ``Reference`` per entry, and one per span of a block that could not be parsed."""
    by_key: dict[str, dict[str, str]] = {}
    for entry in found:
        if isinstance(entry, BibEntry) and entry.key:
            by_key.setdefault(entry.key.casefold(), entry.fields)  # BibTeX keys ignore case
    # Each entry's fields are read once and shared with ``by_key``: nothing below changes them.
    return [
        _bibtex_reference(entry.entry_type, entry.key, _inherited(entry.fields, by_key), entry.span)
        if isinstance(entry, BibEntry)
        else _unparsed(text, entry)
        for entry in found
    ]


def _fields(entry: Entry) -> dict[str, str]:
    fields: dict[str, str] = {}
    for f in entry.fields:
        value = f.value
        if isinstance(value, str):
            fields.setdefault(f.key.lower(), value)  # BibTeX itself keeps the first of a repeated field
    return fields


def _inherited(fields: dict[str, str], by_key: dict[str, dict[str, str]], depth: int = 0) -> dict[str, str]:
    """An entry's fields with those it lacks taken from the entries its ``crossref`` (BibTeX) or
    ``xdata`` (biblatex) names, as BibTeX and biber fill them: a chapter's author, year and pages
    are its own, its book's title becomes its ``booktitle``."""
    if "crossref" not in fields and "xdata" not in fields:
        return fields  # most entries name no parent
    parents = [fields["crossref"]] if fields.get("crossref") else []
    parents += [k for k in (fields.get("xdata") or "").split(",") if k.strip()]
    if not parents or depth > 3:  # a chain longer than that is a loop
        return fields
    out = dict(fields)
    for name in parents:
        parent = by_key.get(name.strip().casefold())
        if parent is None:
            continue
        parent = _inherited(parent, by_key, depth + 1)
        if "title" in parent and "booktitle" not in out:
            out["booktitle"] = parent["title"]
        for key, value in parent.items():
            if key not in ("crossref", "xdata", "title", "ids", "key"):
                out.setdefault(key, value)
    return out


def _apply_parse_stack(entry: Entry, library: Library) -> Entry:
    block: Any = entry
    for middleware in default_parse_stack(allow_inplace_modification=False):
        if isinstance(middleware, BlockMiddleware):
            block = middleware.transform_block(block, library)
    return block if isinstance(block, Entry) else entry


def _is_non_entry(raw: str) -> bool:
    return NON_ENTRY_BLOCK.match(raw) is not None


def _block_span(text: str, line_starts: Sequence[int], start_line: int | None, raw: str, cursor: int) -> Span | None:
    """Character range of a block: bibtexparser gives its 0-based first line and its raw text,
    which is a verbatim slice of the input starting at the ``@``."""
    line = start_line if start_line is not None and 0 <= start_line < len(line_starts) else 0
    origin = max(line_starts[line], cursor)
    raw = raw.rstrip()
    if raw and text.startswith(raw, origin):
        return Span(origin, origin + len(raw))  # where the search below would find it first
    start = text.find(raw, origin) if raw else -1
    if start != -1:
        return Span(start, start + len(raw))
    # Not found verbatim (a block the library rewrote): take the next "@" and match its braces.
    at = text.find("@", origin)
    if at == -1:
        return None
    return Span(at, _matching_close(text, at))


def _matching_close(text: str, at: int) -> int:
    """End (exclusive) of the block opening at ``at``: just after the brace or parenthesis that
    closes its first opening one, or the end of the text when it is never closed."""
    depth = 0
    for i in range(at, len(text)):
        c = text[i]
        if c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text.rstrip())


def _unparsed(text: str, span: Span) -> Reference:
    return Reference(span=span, text=squeeze(text[span.start : span.end]))


def _bibtex_reference(entry_type: str, key: str, fields: dict[str, str], span: Span) -> Reference:
    kind = BIBTEX_KINDS.get(entry_type.lower(), "other")
    authors, etal = _bibtex_names(fields.get("author") or fields.get("editor") or "")
    if not authors and fields.get("organization"):
        # A manual or proceedings without author or editor is listed under its organisation.
        authors = (Author(_latex(fields["organization"]), "", group=True),)
    # "{\noopsort{1973a}}1973": a sort key for the style, hidden in the printed year.
    year, suffix = parse_year(_without_sort_key(fields.get("year") or fields.get("date") or ""))
    container = _latex(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle") or "")
    if not container and kind in PUBLISHED_BY_KINDS:
        container = _latex(fields.get("publisher") or fields.get("institution") or fields.get("school") or "")
    url = _latex_url(fields.get("url") or "")
    doi = parse_doi(fields.get("doi") or "") or doi_from_url(url)
    # Most entries give neither pages nor a language, which read as None: not looked at then.
    pages = fields.get("pages")
    language = fields.get("langid") or fields.get("language")
    return summarised(
        span=span,
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=_latex(fields.get("title") or "") or None,
        container=container or None,
        volume=_latex(fields.get("volume") or "") or None,
        issue=_latex(fields.get("number") or fields.get("issue") or "") or None,
        pages=parse_pages(strip_braces(pages)) if pages else None,
        doi=doi,
        url=url or None,
        kind=kind,
        key=key or None,
        language=language_code(strip_braces(language)) if language else None,
    )


def _without_sort_key(value: str) -> str:
    # The pattern opens with the literal "\\noopsort": a value without it has nothing to remove.
    return NOOPSORT.sub("", value) if "\\noopsort" in value else value


@lru_cache(maxsize=65536)
def _bibtex_names(value: str) -> tuple[tuple[Author, ...], bool]:
    """BibTeX name list: "Last, First and First Last and {Group Name} and others".

    Cached as ``_latex`` is: the same author lists come back entry after entry."""
    authors: list[Author] = []
    etal = False
    for name in split_multiple_persons_names(value):
        if name.strip().lower() == "others":
            etal = True
            continue
        author = _bibtex_name(name)
        if author is not None:
            authors.append(author)
    return tuple(authors), etal


@lru_cache(maxsize=65536)
def _bibtex_name(name: str) -> Author | None:
    """One name of a list, None for one with no family name. Cached too: a coauthor comes back in
    lists that differ in the others."""
    if _wholly_braced(name.strip()):
        # Braces around the whole name are how BibTeX keeps a group author from being split
        # into first and last names.
        return Author(_latex(name), "", group=True)
    parts = parse_single_name_into_parts(name, strict=False)
    family = _latex(" ".join(parts.von + parts.last))
    return Author(family, initials_of(_latex(" ".join(parts.first)))) if family else None


def _wholly_braced(s: str) -> bool:
    """Whether one brace pair encloses all of ``s``: "{World Health Organization}" but not
    "{\\"U}nal, Ayşe", whose first brace closes early."""
    if not (s.startswith("{") and s.endswith("}")):
        return False
    depth = 0
    for i, c in enumerate(s):
        if c == "{" and (i == 0 or s[i - 1] != "\\"):
            depth += 1
        elif c == "}" and (i == 0 or s[i - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return i == len(s) - 1
    return False


def _make_decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    # pylatexenc writes \url{x} as "<x>"; an address in a title or note reads better bare.
    context.add_context_category("citecheck", prepend=True, macros=[MacroTextSpec("url", simplify_repl="%s")])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


_DECODER = _make_decoder()
# ``latex_to_text`` builds pylatexenc's default parsing context anew for every string, which costs
# more than the parsing; one context serves every field.
_WALKER_CONTEXT = get_default_latex_walker_context_db()


@lru_cache(maxsize=65536)
def _latex(value: str) -> str:
    """LaTeX to plain Unicode on one line: braces dropped, accents ({\\"u}, \\'{e}) composed.

    Cached because bibliographies repeat themselves: the same authors, journals and publishers.
    """
    if not value:
        return ""
    if not LATEX_MARKUP.search(value):
        return squeeze(value)  # most fields are plain text; the LaTeX parser costs far more than this test
    try:
        nodes, _, _ = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True).get_latex_nodes()
        decoded = _DECODER.nodelist_to_text(nodes)
    except Exception:  # pylatexenc is tolerant, but a field must never stop the reading of a file
        decoded = strip_braces(value)
    return squeeze(decoded)


def _latex_url(value: str) -> str:
    # A URL is not LaTeX apart from \url{} and escaped "%", "_", "&", "#"; decoding it would turn
    # "--" into a dash and "~" into a space.
    if not value:
        return ""  # most entries have no URL
    value = URL_MACRO.sub(r"\g<address>", value.strip())
    return strip_braces(URL_ESCAPE.sub(r"\g<char>", value)).strip()
