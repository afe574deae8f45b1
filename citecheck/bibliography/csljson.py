"""CSL-JSON (``.json``, a list of items as Zotero and Pandoc write them) read into ``Reference`` records.

An item's span is its ``{...}`` in the file. JSON that is malformed, or not a list of objects,
raises ``InputError`` with one line.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from citecheck.bibliography.common import (
    PUBLISHED_BY_KINDS,
    doi_from_url,
    is_etal,
    language_code,
    parse_doi,
    parse_pages,
    parse_year,
    squeeze,
    summarised,
)
from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import Author, Reference, Span, json_int
from citecheck.names import initials_of
from citecheck.references import ORG_HINT

# What a JSON scanner must see to find each item's braces: strings are skipped whole, since they
# may contain braces of their own.
JSON_TOKEN = regex(
    r"""
    "[^"\\]*(?:\\.[^"\\]*)*"         # a string, escapes included (unrolled, so long strings stay linear)
    | [{}\[\]]                      # a bracket that opens or closes an object or array
    """,
    re.VERBOSE | re.DOTALL,
)


CSL_KINDS: Mapping[str, str] = {
    **dict.fromkeys(("article", "article-journal", "article-magazine", "article-newspaper", "review"), "article"),
    **dict.fromkeys(("book", "classic"), "book"),
    **dict.fromkeys(("chapter", "paper-conference", "entry-encyclopedia", "entry-dictionary", "entry"), "chapter"),
    "report": "report",
    "thesis": "thesis",
    **dict.fromkeys(("webpage", "post", "post-weblog"), "web"),
}


def parse_csl_json(text: str) -> list[Reference]:
    """Parse a CSL-JSON list of items. Malformed JSON, or JSON that is not a list of objects,
    raises ``InputError`` with a one-line message."""
    try:
        data = json.loads(text.lstrip("\ufeff"), parse_int=json_int)
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
    return [csl_reference(item, span) for item, span in zip(data, spans, strict=True)]


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


def csl_reference(item: Mapping[str, Any], span: Span) -> Reference:
    """One CSL item (from JSON or YAML, see cslyaml.py) as a ``Reference`` whose span is ``span``."""
    kind = CSL_KINDS.get(str(item.get("type") or ""), "other")
    people = item.get("author") or item.get("editor") or []
    authors, etal = _csl_names(people if isinstance(people, list) else [])
    year, suffix = _csl_year(item.get("issued"))
    if item.get("year-suffix"):
        suffix = str(item["year-suffix"]).strip()
    container = _csl_text(item.get("container-title"))
    if not container and kind in PUBLISHED_BY_KINDS:
        container = _csl_text(item.get("publisher"))
    url = _csl_text(item.get("URL"))
    return summarised(
        span=span,
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=_csl_text(item.get("title")) or None,
        container=container or None,
        volume=_csl_text(item.get("volume")) or None,
        issue=_csl_text(item.get("issue")) or None,
        pages=parse_pages(_csl_text(item.get("page")) or _csl_text(item.get("page-first"))),
        doi=parse_doi(_csl_text(item.get("DOI"))) or doi_from_url(url),
        url=url or None,
        kind=kind,
        key=_csl_text(item.get("id")) or None,
        language=language_code(_csl_text(item.get("language"))),
    )


def _csl_text(value: object) -> str:
    """A CSL field as one line of text; numbers are allowed where strings are expected, and some
    exporters write a title as a one-element list."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool) or value is None or isinstance(value, dict | list):
        return ""
    return squeeze(str(value))


def _csl_names(people: Sequence[object]) -> tuple[tuple[Author, ...], bool]:
    authors: list[Author] = []
    etal = False
    for p in people:
        if not isinstance(p, dict):
            continue
        literal = _csl_text(p.get("literal"))
        family = " ".join(x for x in (_csl_text(p.get("non-dropping-particle")), _csl_text(p.get("family"))) if x)
        given = _csl_text(p.get("given"))
        if is_etal(literal or family):
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
        return parse_year(_csl_text(issued))
    parts = issued.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        year, suffix = parse_year(_csl_text(parts[0][0]))
        if year:
            return year, suffix
    return parse_year(_csl_text(issued.get("raw")) or _csl_text(issued.get("literal")))
