"""RIS (``.ris``, the tagged-line format of EndNote, Mendeley and publishers' exports) read into
``Reference`` records, one per record from ``TY  -`` to ``ER  -``."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from citecheck.bibliography.common import (
    PUBLISHED_BY_KINDS,
    RIS_LINE,
    doi_from_url,
    is_etal,
    language_code,
    parse_doi,
    parse_pages,
    parse_year,
    squeeze,
    summarised,
)
from citecheck.model import Author, Reference, Span
from citecheck.names import initials_of
from citecheck.references import ORG_HINT

RIS_KINDS: Mapping[str, str] = {
    **dict.fromkeys(("JOUR", "JFULL", "EJOUR", "MGZN", "NEWS", "ABST", "INPR"), "article"),
    **dict.fromkeys(("BOOK", "EBOOK", "EDBOOK", "CLSWK"), "book"),
    **dict.fromkeys(("CHAP", "ECHAP", "CONF", "CPAPER", "ENCYC", "DICT"), "chapter"),
    "RPRT": "report",
    "THES": "thesis",
    **dict.fromkeys(("ELEC", "WEB", "BLOG"), "web"),
}


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
                    return squeeze(value)
        return ""

    kind = RIS_KINDS.get(first("TY").upper(), "other")
    names = (record.get("AU", []) + record.get("A1", [])) or record.get("ED", [])
    authors, etal = _ris_names(names)
    year, suffix = parse_year(first("PY", "Y1", "DA"))
    container = first("T2", "JF", "JO", "JA", "BT", "J2")
    if not container and kind in PUBLISHED_BY_KINDS:
        container = first("PB")
    sp, ep = first("SP"), first("EP")
    url = first("UR", "L2")
    return summarised(
        span=span,
        authors=authors,
        etal=etal,
        year=year,
        suffix=suffix,
        title=first("TI", "T1", "CT") or None,
        container=container or None,
        volume=first("VL") or None,
        issue=first("IS", "CP") or None,
        pages=parse_pages(f"{sp}-{ep}" if sp and ep else sp),
        doi=parse_doi(first("DO")) or doi_from_url(url),
        url=url or None,
        kind=kind,
        key=first("ID") or None,
        language=language_code(first("LA")),
    )


def _ris_names(names: Sequence[str]) -> tuple[tuple[Author, ...], bool]:
    """RIS names are "Last, First[, Suffix]"; a name without a comma is a group author when it
    reads as one ("World Health Organization", "UNESCO"), else "First Last"."""
    authors: list[Author] = []
    etal = False
    for raw in names:
        name = squeeze(raw)
        if not name:
            continue
        if is_etal(name):
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
