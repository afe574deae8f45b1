"""Registry responses turned into ``Record``: Crossref works and OpenAlex works.

Input: the decoded JSON of one work as each registry documents it (Crossref's ``message``, an
OpenAlex work object). Output: a ``Record`` with the fields a reference carries, its years (issued,
print, online) and the notices attached to it (retractions, expressions of concern, corrections).
"""

from __future__ import annotations

import re
from typing import Any

from citecheck.model import Record, Update

# Crossref "updated-by" types that withdraw a work; a retraction notice itself carries
# "update-to" instead, and is not retracted.
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
CONCERN = frozenset({"expression_of_concern", "expression-of-concern"})
CORRECTING = frozenset({"correction", "erratum", "corrigendum", "addendum", "clarification"})

_TAGS = re.compile(r"<[^>]+>")  # Crossref titles may hold JATS markup: <i>, <sub>
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def normalise_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).lower()


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = " ".join(_TAGS.sub("", str(value)).split())
    return text or None


def _year_of(part: Any) -> int | None:
    try:
        return int(part["date-parts"][0][0])
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _pages(page: str | None) -> tuple[str | None, str | None]:
    if not page:
        return None, None
    parts = re.split(r"\s*[-–—]+\s*", page.strip())
    first = parts[0] or None
    last = parts[1] if len(parts) > 1 and parts[1] else None
    return first, last


def from_crossref(message: dict[str, Any]) -> Record:
    years: list[int] = []
    for field in ("issued", "published-print", "published-online", "published"):
        y = _year_of(message.get(field))
        if y is not None and y not in years:
            years.append(y)
    authors = []
    for a in message.get("author") or []:
        name = a.get("family") or a.get("name") or a.get("literal")
        if name:
            authors.append(str(name))
    updates = []
    for u in message.get("updated-by") or []:
        kind = str(u.get("type", "")).lower()
        updates.append(Update(kind=kind, source=u.get("source"), doi=u.get("DOI"), date=_date(u.get("updated"))))
    first, last = _pages(message.get("page"))
    doi = message.get("DOI")
    return Record(
        registry="crossref",
        id=normalise_doi(doi) if doi else "",
        title=_first(message.get("title")),
        authors=tuple(authors),
        years=tuple(years),
        container=_first(message.get("container-title")),
        publisher=_first(message.get("publisher")),
        volume=_first(message.get("volume")),
        issue=_first(message.get("issue")),
        first_page=first,
        last_page=last,
        doi=normalise_doi(doi) if doi else None,
        type=message.get("type"),
        retracted=any(u.kind in RETRACTING for u in updates),
        updates=tuple(updates),
    )


def _date(value: Any) -> str | None:
    if isinstance(value, dict) and value.get("date-parts"):
        return "-".join(str(p) for p in value["date-parts"][0] if p is not None)
    return None


def from_openalex(work: dict[str, Any]) -> Record:
    authors = []
    for authorship in work.get("authorships") or []:
        name = (authorship.get("author") or {}).get("display_name") or authorship.get("raw_author_name")
        if name:
            # OpenAlex gives display names ("Ada M. Smith"); the last word is the family name
            # often enough to compare with a reference's surname.
            authors.append(str(name).split()[-1])
    biblio = work.get("biblio") or {}
    source = ((work.get("primary_location") or {}).get("source") or {}).get("display_name")
    doi = work.get("doi")
    year = work.get("publication_year")
    updates = (Update(kind="retraction", source="openalex"),) if work.get("is_retracted") else ()
    return Record(
        registry="openalex",
        id=str(work.get("id", "")),
        title=_first(work.get("title") or work.get("display_name")),
        authors=tuple(authors),
        years=(int(year),) if isinstance(year, int) else (),
        container=_first(source),
        volume=_first(biblio.get("volume")),
        issue=_first(biblio.get("issue")),
        first_page=_first(biblio.get("first_page")),
        last_page=_first(biblio.get("last_page")),
        doi=normalise_doi(doi) if doi else None,
        type=work.get("type"),
        retracted=bool(work.get("is_retracted")),
        updates=updates,
    )
