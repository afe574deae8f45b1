"""Bibliography files: BibTeX/BibLaTeX (.bib), CSL-JSON (.json) and RIS (.ris) read into ``Reference`` records.

Input: a path (``read_bibliography``) or the decoded text of a file (``parse_bibtex``, ``parse_csl_json``,
``parse_ris``). Output: one ``Reference`` per entry, in file order, whose ``span`` is the entry's
character range in that text (for BibTeX from the ``@`` to the closing brace, for CSL-JSON the item's
``{...}``, for RIS from ``TY  -`` to ``ER  -``) and whose ``text`` is a one-line APA-like summary
built from the fields. ``read_bibliography`` also returns the decoded file as a ``Source``, so that
the spans can be turned into lines and columns like those of a manuscript.

An entry that cannot be parsed is kept, with its span, its raw text squeezed onto one line and empty
fields, so that the ``unparsed-reference`` rule reports it instead of the entry silently vanishing. A
file that is no bibliography at all, or whose JSON is malformed, raises ``InputError`` with one line.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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

from citecheck.errors import InputError
from citecheck.model import Author, Pages, Reference, Source, Span, make_source
from citecheck.names import initials_of
from citecheck.read import decode, read_bytes
from citecheck.references import ORG_HINT

# bibtexparser logs a multi-line warning for every malformed block. We report such blocks as
# ``unparsed-reference`` findings, and the command line promises one line on stderr, so its
# records must not reach Python's last-resort handler; an application that configures logging
# still receives them.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

BIBTEX, CSL_JSON, RIS = "bibtex", "csl-json", "ris"
EXTENSIONS = {".bib": BIBTEX, ".bibtex": BIBTEX, ".json": CSL_JSON, ".ris": RIS}

# ---------------------------------------------------------------------------------------------------
# Patterns
# ---------------------------------------------------------------------------------------------------

# A BibTeX entry (or @string, @comment...) opening at the start of a line, as bibtexparser requires.
BIBTEX_BLOCK = re.compile(
    r"""
    ^[ \t]*@[ \t]*[A-Za-z]+[ \t]*   # "@article", "@ Book"
    [{(]                            # entries open with a brace or, rarely, a parenthesis
    """,
    re.VERBOSE | re.MULTILINE,
)

# The BibTeX blocks that hold no work, so that a malformed one is not taken for a broken entry.
NON_ENTRY_BLOCK = re.compile(
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
URL_MACRO = re.compile(r"^\s*\\url\s*\{(?P<address>.*)\}\s*$", re.VERBOSE | re.DOTALL)

# The characters a URL field escapes for LaTeX: "\%", "\_", "\&", "\#".
URL_ESCAPE = re.compile(r"\\(?P<char>[%_&\#])", re.VERBOSE)

# One tagged RIS line: two characters, two spaces, a hyphen and the value. Exporters differ in the
# spacing ("ER  -" has no value, some write "TY - "), so one or two spaces are accepted.
RIS_LINE = re.compile(
    r"""
    ^(?P<tag>[A-Z][A-Z0-9])         # the tag: "TY", "AU", "T2", "ER"
    [ ]{1,2}-                       # "  -"
    (?:[ ](?P<value>[^\r\n]*))?     # the value, absent on "ER  -"
    [ \t]*\r?$
    """,
    re.VERBOSE | re.MULTILINE,
)

# What a JSON scanner must see to find each item's braces: strings are skipped whole, since they
# may contain braces of their own.
JSON_TOKEN = re.compile(
    r"""
    "[^"\\]*(?:\\.[^"\\]*)*"         # a string, escapes included (unrolled, so long strings stay linear)
    | [{}\[\]]                      # a bracket that opens or closes an object or array
    """,
    re.VERBOSE | re.DOTALL,
)

# What makes a field value LaTeX rather than plain text.
LATEX_MARKUP = re.compile(
    r"""
    [\\{}~$]        # a macro, a group, a tie or math
    | --            # an en or em dash
    | ``|''         # TeX quotation marks
    """,
    re.VERBOSE,
)

# The year of an entry, in a BibTeX year or date field, a CSL raw date or an RIS PY/Y1/DA line.
YEAR = re.compile(
    r"""
    (?<!\d)(?P<year>(?:1[0-9]|20)\d\d)(?P<suffix>[a-z])?(?![\da-z])   # 2018, 2018a, 2018-05-01, 2018///
    | (?P<nd>n\.\s?d\.?|no\s+date)                                    # n.d.
    | (?P<press>in\s+press|forthcoming|in\s+preparation|submitted)    # in press
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A page field: "45--67" (BibTeX), "45-67", "45–67", "pp. 45–67", "e1234", "xii--xv".
PAGE_RANGE = re.compile(
    r"""
    ^\s*(?:pp?\.\s*)?               # an optional "p." or "pp."
    (?P<first>[^\s,;\-‐‑‒–—]+)      # the first page: "45", "e1234", "S12", "xii"
    (?:\s*
        (?:-{1,3}                   # "-", BibTeX's en dash "--", or "---"
          | [‐‑‒–—]                 # a Unicode hyphen or dash
        )
        \s*(?P<last>[^\s,;\-‐‑‒–—]+)  # the last page
    )?
    \s*$
    """,
    re.VERBOSE,
)

# What stands before a DOI in a DOI or URL field; the DOI itself starts with "10.".
DOI_PREFIX = re.compile(
    r"""
    ^\s*(?:
        https?://(?:dx\.|www\.)?doi\.org/   # https://doi.org/10..., http://dx.doi.org/10...
      | doi:\s*                             # doi:10...
      | doi\s+                              # "DOI 10..."
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

# A language tag: BCP 47 ("en-US", "zh-Hans"), POSIX ("de_DE") or a plain code or name ("de", "ger",
# "german"); only the first of several ("english and german", "en; de") counts.
LANGUAGE_TAG = re.compile(
    r"""
    ^\s*\{?\s*(?P<primary>[A-Za-z]+)   # the first word: a code or a language name
    (?:[-_][A-Za-z0-9]+)*              # region or script subtags: "-US", "_DE", "-Hans"
    """,
    re.VERBOSE,
)

# ---------------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------------

# Language names as BibLaTeX's langid (babel/polyglossia names), RIS LA and exporters write them,
# and ISO 639-2 codes, to ISO 639-1. A two-letter code is taken as it is.
LANGUAGES: Mapping[str, str] = {
    **dict.fromkeys(
        "english american british ukenglish usenglish australian canadian newzealand canadianenglish eng".split(), "en"
    ),
    **dict.fromkeys("german ngerman austrian naustrian swissgerman nswissgerman deutsch deu ger".split(), "de"),
    **dict.fromkeys("french francais français acadian canadien fra fre".split(), "fr"),
    **dict.fromkeys("spanish español espanol castilian spa".split(), "es"),
    **dict.fromkeys("italian italiano ita".split(), "it"),
    **dict.fromkeys("portuguese portuges brazil brazilian português portugues por".split(), "pt"),
    **dict.fromkeys("dutch nederlands flemish nld dut".split(), "nl"),
    **dict.fromkeys("swedish svenska swe".split(), "sv"),
    **dict.fromkeys("norwegian norsk nor".split(), "no"),
    **dict.fromkeys("bokmal bokmål nob".split(), "nb"),
    **dict.fromkeys("nynorsk nno".split(), "nn"),
    **dict.fromkeys("danish dansk dan".split(), "da"),
    **dict.fromkeys("finnish suomi fin".split(), "fi"),
    **dict.fromkeys("icelandic isl ice".split(), "is"),
    **dict.fromkeys("polish polski pol".split(), "pl"),
    **dict.fromkeys("czech ces cze".split(), "cs"),
    **dict.fromkeys("slovak slk slo".split(), "sk"),
    **dict.fromkeys("slovene slovenian slv".split(), "sl"),
    **dict.fromkeys("croatian hrv".split(), "hr"),
    **dict.fromkeys("serbian srp".split(), "sr"),
    **dict.fromkeys("bulgarian bul".split(), "bg"),
    **dict.fromkeys("russian rus".split(), "ru"),
    **dict.fromkeys("ukrainian ukr".split(), "uk"),
    **dict.fromkeys("greek polutonikogreek ell gre".split(), "el"),
    **dict.fromkeys("turkish tur".split(), "tr"),
    **dict.fromkeys("hungarian magyar hun".split(), "hu"),
    **dict.fromkeys("romanian ron rum".split(), "ro"),
    **dict.fromkeys("latin lat".split(), "la"),
    **dict.fromkeys("catalan cat".split(), "ca"),
    **dict.fromkeys("basque eus baq".split(), "eu"),
    **dict.fromkeys("galician glg".split(), "gl"),
    **dict.fromkeys("irish gle".split(), "ga"),
    **dict.fromkeys("welsh cym wel".split(), "cy"),
    **dict.fromkeys("estonian est".split(), "et"),
    **dict.fromkeys("latvian lav".split(), "lv"),
    **dict.fromkeys("lithuanian lit".split(), "lt"),
    **dict.fromkeys("hebrew heb".split(), "he"),
    **dict.fromkeys("arabic ara".split(), "ar"),
    **dict.fromkeys("persian farsi fas per".split(), "fa"),
    **dict.fromkeys("hindi hin".split(), "hi"),
    **dict.fromkeys("chinese mandarin zho chi".split(), "zh"),
    **dict.fromkeys("japanese jpn".split(), "ja"),
    **dict.fromkeys("korean kor".split(), "ko"),
    **dict.fromkeys("vietnamese vie".split(), "vi"),
    **dict.fromkeys("thai tha".split(), "th"),
    **dict.fromkeys("indonesian bahasa ind".split(), "id"),
    **dict.fromkeys("afrikaans afr".split(), "af"),
}

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
CSL_KINDS: Mapping[str, str] = {
    **dict.fromkeys(("article", "article-journal", "article-magazine", "article-newspaper", "review"), "article"),
    **dict.fromkeys(("book", "classic"), "book"),
    **dict.fromkeys(("chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary", "entry"), "chapter"),
    "report": "report",
    "thesis": "thesis",
    **dict.fromkeys(("webpage", "post", "post-weblog"), "web"),
}
RIS_KINDS: Mapping[str, str] = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "ABST", "INPR"), "article"),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK", "CLSWK"), "book"),
    **dict.fromkeys(("CHAP", "ECHAP", "CONF", "CPAPER", "ENCYC", "DICT"), "chapter"),
    "RPRT": "report",
    "THES": "thesis",
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), "web"),
}

# For works that stand alone, the container in the summary is whoever published them.
_PUBLISHED_BY_KINDS = ("book", "report", "thesis")


# ---------------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------------


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
    try:
        return PARSERS[fmt](text)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None


def detect_format(text: str, extension: str = "") -> str | None:
    """``"bibtex"``, ``"csl-json"``, ``"ris"``, or None when the text is none of them.

    The extension is believed when the content agrees with it (or the file is empty); otherwise the
    content decides, because exporters and users name files freely (a RIS export saved as .txt, a
    .bib that holds CSL-JSON).
    """
    claimed = EXTENSIONS.get(extension)
    if claimed is not None and (not text.strip() or _LOOKS_LIKE[claimed](text)):
        return claimed
    for fmt in (CSL_JSON, RIS, BIBTEX):
        if _LOOKS_LIKE[fmt](text):
            return fmt
    return None


def _looks_like_json(text: str) -> bool:
    # JSON is the only one of the three whose first character is a bracket.
    return text.lstrip("\ufeff \t\r\n")[:1] in ("[", "{")


def _looks_like_ris(text: str) -> bool:
    # A RIS file is records of tagged lines, each record opened by TY.
    return any(m.group("tag") == "TY" for m in RIS_LINE.finditer(text, 0, min(len(text), 65536)))


def _looks_like_bibtex(text: str) -> bool:
    return BIBTEX_BLOCK.search(text) is not None


_LOOKS_LIKE: Mapping[str, Callable[[str], bool]] = {
    BIBTEX: _looks_like_bibtex,
    CSL_JSON: _looks_like_json,
    RIS: _looks_like_ris,
}


# ---------------------------------------------------------------------------------------------------
# BibTeX / BibLaTeX
# ---------------------------------------------------------------------------------------------------


def parse_bibtex(text: str) -> list[Reference]:
    """Parse BibTeX or BibLaTeX; one ``Reference`` per entry (``@string``, ``@comment`` and
    ``@preamble`` are not entries). Malformed entries and duplicate keys never raise."""
    library = bibtexparser.parse_string(text)
    line_starts = make_source(text).line_starts
    out: list[Reference] = []
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
        out.append(_bibtex_reference(entry, span) if entry is not None else _unparsed(text, span))
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
    return Reference(span=span, text=_squeeze(text[span.start : span.end]))


def _bibtex_reference(entry: Entry, span: Span) -> Reference:
    fields: dict[str, str] = {}
    for f in entry.fields:
        if isinstance(f.value, str):
            fields.setdefault(f.key.lower(), f.value)  # BibTeX itself keeps the first of a repeated field
    kind = BIBTEX_KINDS.get(entry.entry_type.lower(), "other")
    authors, etal = _bibtex_names(fields.get("author") or fields.get("editor") or "")
    year, suffix = _year(fields.get("year") or fields.get("date") or "")
    container = _latex(fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle") or "")
    if not container and kind in _PUBLISHED_BY_KINDS:
        container = _latex(fields.get("publisher") or fields.get("institution") or fields.get("school") or "")
    url = _latex_url(fields.get("url") or "")
    doi = _doi(fields.get("doi") or "") or _doi_from_url(url)
    ref = Reference(
        span=span,
        text="",
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=_latex(fields.get("title") or "") or None,
        container=container or None,
        volume=_latex(fields.get("volume") or "") or None,
        issue=_latex(fields.get("number") or fields.get("issue") or "") or None,
        pages=_pages(_strip_braces(fields.get("pages") or "")),
        doi=doi,
        url=url or None,
        kind=kind,
        key=entry.key or None,
        language=_language(_strip_braces(fields.get("langid") or fields.get("language") or "")),
    )
    return dataclasses.replace(ref, text=summary(ref))


def _bibtex_names(value: str) -> tuple[tuple[Author, ...], bool]:
    """BibTeX name list: "Last, First and First Last and {Group Name} and others"."""
    authors: list[Author] = []
    etal = False
    for name in split_multiple_persons_names(value):
        if name.strip().lower() == "others":
            etal = True
            continue
        if _wholly_braced(name.strip()):
            # Braces around the whole name are how BibTeX keeps a group author from being split
            # into first and last names.
            authors.append(Author(_latex(name), "", group=True))
            continue
        parts = parse_single_name_into_parts(name, strict=False)
        family = _latex(" ".join(parts.von + parts.last))
        if family:
            authors.append(Author(family, initials_of(_latex(" ".join(parts.first)))))
    return tuple(authors), etal


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
        return _squeeze(value)  # most fields are plain text; the LaTeX parser costs far more than this test
    try:
        nodes, _, _ = LatexWalker(value, latex_context=_WALKER_CONTEXT, tolerant_parsing=True).get_latex_nodes()
        decoded = _DECODER.nodelist_to_text(nodes)
    except Exception:  # pylatexenc is tolerant, but a field must never stop the reading of a file
        decoded = _strip_braces(value)
    return _squeeze(decoded)


def _latex_url(value: str) -> str:
    # A URL is not LaTeX apart from \url{} and escaped "%", "_", "&", "#"; decoding it would turn
    # "--" into a dash and "~" into a space.
    value = URL_MACRO.sub(r"\g<address>", value.strip())
    return _strip_braces(URL_ESCAPE.sub(r"\g<char>", value)).strip()


def _strip_braces(value: str) -> str:
    return _squeeze(value.replace("{", "").replace("}", ""))


# ---------------------------------------------------------------------------------------------------
# CSL-JSON
# ---------------------------------------------------------------------------------------------------


def parse_csl_json(text: str) -> list[Reference]:
    """Parse a CSL-JSON list of items. Malformed JSON, or JSON that is not a list of objects,
    raises ``InputError`` with a one-line message."""
    try:
        data = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply") from None
    if not isinstance(data, list):
        raise InputError(f"not CSL-JSON: the top level is a JSON {_json_type(data)}, not a list of items")
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise InputError(f"not CSL-JSON: item {n} is a JSON {_json_type(item)}, not an object")
    spans = list(_json_item_spans(text))
    if len(spans) != len(data):  # cannot happen for a list of objects; a guard against a scanner bug
        raise InputError(f"not CSL-JSON: found {len(spans)} item objects for {len(data)} items")
    return [_csl_reference(item, span) for item, span in zip(data, spans, strict=True)]


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def _json_item_spans(text: str) -> Iterator[Span]:
    """The ``{...}`` of each object directly inside the top-level array (json.loads keeps no offsets)."""
    depth = 0
    start = 0
    for m in JSON_TOKEN.finditer(text):
        tok = m.group(0)
        if tok[0] == '"':
            continue
        if tok in "{[":
            if depth == 1 and tok == "{":
                start = m.start()
            depth += 1
        else:
            depth -= 1
            if depth == 1 and tok == "}":
                yield Span(start, m.end())


def _csl_reference(item: Mapping[str, Any], span: Span) -> Reference:
    kind = CSL_KINDS.get(str(item.get("type") or ""), "other")
    people = item.get("author") or item.get("editor") or []
    authors, etal = _csl_names(people if isinstance(people, list) else [])
    year, suffix = _csl_year(item.get("issued"))
    if item.get("year-suffix"):
        suffix = str(item["year-suffix"]).strip()
    container = _csl_text(item.get("container-title"))
    if not container and kind in _PUBLISHED_BY_KINDS:
        container = _csl_text(item.get("publisher"))
    url = _csl_text(item.get("URL"))
    ref = Reference(
        span=span,
        text="",
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=_csl_text(item.get("title")) or None,
        container=container or None,
        volume=_csl_text(item.get("volume")) or None,
        issue=_csl_text(item.get("issue")) or None,
        pages=_pages(_csl_text(item.get("page")) or _csl_text(item.get("page-first"))),
        doi=_doi(_csl_text(item.get("DOI"))) or _doi_from_url(url),
        url=url or None,
        kind=kind,
        key=_csl_text(item.get("id")) or None,
        language=_language(_csl_text(item.get("language"))),
    )
    return dataclasses.replace(ref, text=summary(ref))


def _csl_text(value: object) -> str:
    """A CSL field as one line of text; numbers are allowed where strings are expected, and some
    exporters write a title as a one-element list."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return _squeeze(str(value))


def _csl_names(people: Sequence[object]) -> tuple[tuple[Author, ...], bool]:
    authors: list[Author] = []
    etal = False
    for p in people:
        if not isinstance(p, dict):
            continue
        literal = _csl_text(p.get("literal"))
        family = " ".join(x for x in (_csl_text(p.get("non-dropping-particle")), _csl_text(p.get("family"))) if x)
        given = _csl_text(p.get("given"))
        if _is_etal(literal or family):
            etal = True
        elif literal:
            authors.append(Author(literal, "", group=True))
        elif family:
            # Exporters put an institution into "family" when they have no "literal"; without a given
            # name, a name that reads as an organisation is a group author.
            group = not given and ORG_HINT.search(family) is not None
            authors.append(Author(family, "" if group else initials_of(given), group=group))
    return tuple(authors), etal


def _csl_year(issued: object) -> tuple[str | None, str]:
    if not isinstance(issued, dict):
        return _year(_csl_text(issued))
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year, suffix = _year(_csl_text(parts[0][0]))
        if year:
            return year, suffix
    return _year(_csl_text(issued.get("raw")) or _csl_text(issued.get("literal")))


# ---------------------------------------------------------------------------------------------------
# RIS
# ---------------------------------------------------------------------------------------------------


def parse_ris(text: str) -> list[Reference]:
    """Parse RIS; one ``Reference`` per record from ``TY  -`` to ``ER  -``. A record cut off before
    its ``ER`` ends at its last tagged line."""
    out: list[Reference] = []
    record: dict[str, list[str]] | None = None
    start = end = 0
    last_tag = ""
    for line_start, line_end in _line_ranges(text):
        line = text[line_start:line_end]
        m = RIS_LINE.match(line)
        if m is None:
            # An untagged line continues the previous value (wrapped abstracts, long titles).
            if record is not None and last_tag and line.strip():
                record[last_tag][-1] += " " + line.strip()
                end = line_start + len(line.rstrip())
            continue
        tag, value = m.group("tag"), (m.group("value") or "").strip()
        if tag == "TY":
            if record is not None:
                out.append(_ris_reference(record, Span(start, end)))
            record, start, last_tag = {"TY": [value]}, line_start, "TY"
            end = line_start + len(line.rstrip())
        elif record is not None:
            end = line_start + len(line.rstrip())
            if tag == "ER":
                out.append(_ris_reference(record, Span(start, end)))
                record, last_tag = None, ""
            else:
                record.setdefault(tag, []).append(value)
                last_tag = tag
    if record is not None:
        out.append(_ris_reference(record, Span(start, end)))
    return out


def _line_ranges(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    while pos < len(text):
        nl = text.find("\n", pos)
        end = len(text) if nl == -1 else nl
        yield pos, end
        pos = end + 1


def _ris_reference(record: Mapping[str, list[str]], span: Span) -> Reference:
    def first(*tags: str) -> str:
        for tag in tags:
            for value in record.get(tag, ()):
                if value.strip():
                    return _squeeze(value)
        return ""

    kind = RIS_KINDS.get(first("TY").upper(), "other")
    names = (record.get("AU", []) + record.get("A1", [])) or record.get("ED", [])
    authors, etal = _ris_names(names)
    year, suffix = _year(first("PY", "Y1", "DA"))
    container = first("T2", "JF", "JO", "JA", "BT", "J2")
    if not container and kind in _PUBLISHED_BY_KINDS:
        container = first("PB")
    sp, ep = first("SP"), first("EP")
    url = first("UR", "L2")
    ref = Reference(
        span=span,
        text="",
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=first("TI", "T1", "CT") or None,
        container=container or None,
        volume=first("VL") or None,
        issue=first("IS", "CP") or None,
        pages=_pages(f"{sp}-{ep}" if sp and ep else sp),
        doi=_doi(first("DO")) or _doi_from_url(url),
        url=url or None,
        kind=kind,
        key=first("ID") or None,
        language=_language(first("LA")),
    )
    return dataclasses.replace(ref, text=summary(ref))


def _ris_names(names: Sequence[str]) -> tuple[tuple[Author, ...], bool]:
    """RIS names are "Last, First[, Suffix]"; a name without a comma is a group author when it
    reads as one ("World Health Organization", "UNESCO"), else "First Last"."""
    authors: list[Author] = []
    etal = False
    for raw in names:
        name = _squeeze(raw)
        if not name:
            continue
        if _is_etal(name):
            etal = True
        elif "," in name:
            family, given = [s.strip() for s in name.split(",")][:2]  # a third part is a suffix ("Jr.")
            authors.append(Author(family, initials_of(given)))
        else:
            words = name.split()
            if ORG_HINT.search(name) or name.isupper() or len(words) != 2:
                authors.append(Author(name, "", group=len(words) > 1 or name.isupper()))
            else:
                authors.append(Author(words[1], initials_of(words[0])))
    return tuple(authors), etal


# ---------------------------------------------------------------------------------------------------
# Fields shared by the three formats
# ---------------------------------------------------------------------------------------------------


def _squeeze(s: str) -> str:
    return " ".join(s.split())


def _is_etal(name: str) -> bool:
    return name.strip().lower().rstrip(".") in ("others", "et al", "et al.", "etal")


def _year(value: str) -> tuple[str | None, str]:
    """(year, suffix) from a year or date field: "2018" and "2018-05-01" give 2018, "2018a" gives
    2018 with suffix "a", "n.d." and "in press" are kept as words."""
    m = YEAR.search(value.replace("{", "").replace("}", ""))
    if m is None:
        return None, ""
    if m.group("year"):
        return m.group("year"), (m.group("suffix") or "").lower()
    if m.group("nd"):
        return "n.d.", ""
    return " ".join(m.group("press").lower().split()), ""


def _pages(value: str) -> Pages | None:
    value = _squeeze(value)
    if not value:
        return None
    m = PAGE_RANGE.match(value)
    if m is None:
        return Pages(value)  # "45, 50–52" or "45ff": kept as written, never guessed at
    return Pages(m.group("first"), m.group("last"))


def _doi(value: str) -> str | None:
    value = _strip_braces(value)
    value = DOI_PREFIX.sub("", value).strip().rstrip(".")
    return value or None


def _doi_from_url(url: str) -> str | None:
    # A URL that is a DOI link names the DOI even when the entry has no DOI field.
    return _doi(url) if url and DOI_PREFIX.match(url) and url.lower().startswith("http") else None


def _language(value: str) -> str | None:
    m = LANGUAGE_TAG.match(value)
    if m is None:
        return None
    primary = m.group("primary").lower()
    if len(primary) == 2:
        return primary
    return LANGUAGES.get(primary)


def summary(ref: Reference) -> str:
    """A one-line APA-like rendering of a parsed entry, for reports and messages:
    "Smith, J., & Lee, K. (2018). Title. Container, 12(3), 45–67. https://doi.org/10...."."""
    parts: list[str] = []
    names = [_author_label(a) for a in ref.authors]
    if ref.etal:
        names.append("et al.")
    if names:
        people = names[0] if len(names) == 1 else ", ".join(names[:-1]) + (", " if ref.etal else ", & ") + names[-1]
        parts.append(_period(people))
    title = _period(ref.title) if ref.title else ""
    if not names and title:
        parts.append(title)  # APA: a work without an author is listed by its title, then the date
    parts.append(f"({ref.year}{ref.suffix})." if ref.year else "(n.d.).")
    if names and title:
        parts.append(title)
    page_range = f"{ref.pages.first}–{ref.pages.last}" if ref.pages and ref.pages.last else (ref.pages.first if ref.pages else "")
    if ref.kind == "chapter" and ref.container:
        parts.append(_period(f"In {ref.container}" + (f" (pp. {page_range})" if page_range else "")))
    elif ref.container or ref.volume:
        tail = ref.container or ""
        if ref.volume:
            tail += (", " if tail else "") + ref.volume + (f"({ref.issue})" if ref.issue else "")
        if page_range:
            tail += ", " + page_range
        parts.append(_period(tail))
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    elif ref.url:
        parts.append(ref.url)
    return _squeeze(" ".join(parts))


def _period(s: str) -> str:
    """``s`` ended by a period, unless it ends in punctuation already ("Why now?", "Smith, J.")."""
    return s if s.endswith((".", "?", "!")) else s + "."


def _author_label(a: Author) -> str:
    if a.group or not a.initials:
        return a.family
    return f"{a.family}, {' '.join(i + '.' for i in a.initials)}"


PARSERS: Mapping[str, Callable[[str], list[Reference]]] = {
    BIBTEX: parse_bibtex,
    CSL_JSON: parse_csl_json,
    RIS: parse_ris,
}
