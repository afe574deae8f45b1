"""Registry responses turned into ``Record``: Crossref, OpenAlex and DataCite works.

Input: the decoded JSON of one work as each registry documents it (Crossref's ``message``, an
OpenAlex work object), or a whole answer (``crossref_work``, ``crossref_items``, ``openalex_work``,
``openalex_results``). Output: a ``Record`` with the fields a reference carries, its years (issued,
print, online), the notices attached to it (retractions, expressions of concern, corrections), its
other titles (with its subtitle, original, translated and short titles) and, from Crossref's
``relation``, the DOIs of its published version or of its preprints.

An answer of another shape (a message that is a string, authors that are strings, a title that is
an object) raises ``Malformed``: it is no evidence about the work, and the reference stays
unverified. A number where text is documented (Crossref's ``"page": 12``) is read as its digits.
The other titles and the relations only add ways to match: a value of another shape there is
left out, never an error.
"""

from __future__ import annotations

import re
from typing import Any

from citecheck.cache import regex
from citecheck.model import Record, Update

# Crossref "updated-by" types that withdraw a work; a retraction notice itself carries
# "update-to" instead, and is not retracted.
RETRACTING = frozenset({"retraction", "withdrawal", "removal", "partial_retraction"})
CONCERN = frozenset({"expression_of_concern", "expression-of-concern"})
CORRECTING = frozenset({"correction", "erratum", "corrigendum", "addendum", "clarification"})

_TAGS = regex(r"<[^>]+>")  # Crossref titles may hold JATS markup: <i>, <sub>
# How some publishers re-title a retracted or withdrawn work in its metadata: a signal of the
# retraction, never a part of the title the entry is compared with.
_RETITLED = regex(r"^\s*(?:RETRACTED|Retracted|WITHDRAWN|Withdrawn)(?:\s+(?:ARTICLE|[Aa]rticle))?\s*[:.]\s*")


def _retitled(title: str | None) -> tuple[str | None, tuple[Update, ...]]:
    """The title without a "RETRACTED: " label, and the signal it was."""
    if title and (m := _RETITLED.match(title)) and title[m.end() :].strip():
        kind = "withdrawal" if m.group().strip().lower().startswith("withdrawn") else "retraction"
        return title[m.end() :], (Update(kind=kind, source="title"),)
    return title, ()


_DOI_PREFIX = regex(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


class Malformed(ValueError):
    """A registry answer, or a record in it, that is not of the shape the registry documents."""


def normalise_doi(doi: str) -> str:
    return _DOI_PREFIX.sub("", doi.strip()).lower()


def _kind(value: Any) -> str:
    """What a JSON value is, in words: "a string", "a list", "an object"..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {str: "a string", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(type(value), "a value")


def _text(value: Any, field: str) -> str | None:
    """A text field: a string, an integer (read as its digits), or a list whose first item is one."""
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise Malformed(f"'{field}' is {_kind(value)}, not text")
    text = " ".join(_TAGS.sub("", str(value)).split())
    return text or None


def _texts(value: Any) -> list[str]:
    """Every text of an optional list of strings (Crossref's "subtitle", "original-title",
    "short-title"); anything else in it is left out."""
    out = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str) and (text := " ".join(_TAGS.sub("", item).split())):
            out.append(text)
    return out


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def _with_subtitle(title: str | None, subtitle: str) -> str | None:
    """ "Title: Subtitle"; None without a title, or when the title already ends with the subtitle
    (some publishers register both)."""
    if not title or not _words(subtitle) or f" {_words(title)}".endswith(f" {_words(subtitle)}"):
        return None
    head = title.rstrip()
    if head[-1] in "?!.":  # "Why do we sleep? A review"
        return f"{head} {subtitle}"
    return f"{head.rstrip(':;').rstrip()}: {subtitle}"


def _other_titles(title: str | None, others: list[str | None]) -> tuple[str, ...]:
    """The titles other than ``title``, once each, in the order given."""
    seen = {_words(title)} if title else set()
    out = []
    for other in others:
        if other and (key := _words(other)) and key not in seen:
            seen.add(key)
            out.append(other)
    return tuple(out)


# A DOI as a relation gives it, once normalised: "10." + registrant + "/" + suffix.
_RELATED_DOI = regex(r"^10\.\d{4,9}/\S+$")


def _related(message: dict[str, Any], kind: str, own: str) -> tuple[str, ...]:
    """The DOIs of Crossref's ``relation`` of one kind (``{"is-preprint-of": [{"id-type": "doi",
    "id": "10.x/y", "asserted-by": "subject"}]}``), normalised; items of another shape, and other
    kinds of identifier, are left out."""
    relation = message.get("relation")
    items = relation.get(kind) if isinstance(relation, dict) else None
    out: list[str] = []
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        if not isinstance(item.get("id-type"), str) or item["id-type"].lower() != "doi":
            continue
        doi = normalise_doi(item["id"])
        if _RELATED_DOI.match(doi) and doi != own and doi not in out:
            out.append(doi)
    return tuple(out)


def _object(value: Any, field: str) -> dict[str, Any]:
    """An optional object: absent or null is empty."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Malformed(f"'{field}' is {_kind(value)}, not an object")
    return value


def _objects(value: Any, field: str) -> list[dict[str, Any]]:
    """An optional list of objects: absent or null is empty."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Malformed(f"'{field}' is not a list of objects")
    return value


def _year_of(part: Any, field: str) -> int | None:
    """The year of a Crossref date (``{"date-parts": [[2016, 3, 1]]}``); ``[[null]]`` is no year."""
    parts = _object(part, field).get("date-parts")
    if not parts:
        return None
    if not isinstance(parts, list) or not isinstance(parts[0], list):
        raise Malformed(f"'{field}' has no list of date parts")
    year = parts[0][0] if parts[0] else None
    if year is None or isinstance(year, str):  # a string: an integer of thousands of digits
        return None
    if isinstance(year, bool) or not isinstance(year, int):
        raise Malformed(f"'{field}' has a year that is {_kind(year)}")
    return year


def _pages(page: str | None) -> tuple[str | None, str | None]:
    if not page:
        return None, None
    parts = re.split(r"\s*[-–—]+\s*", page.strip())
    first = parts[0] or None
    last = parts[1] if len(parts) > 1 and parts[1] else None
    return first, last


def from_crossref(message: Any) -> Record:
    if not isinstance(message, dict):
        raise Malformed(f"the work is {_kind(message)}, not an object")
    doi = message.get("DOI")
    if not isinstance(doi, str) or not doi.strip():
        raise Malformed("the work has no DOI")
    years: list[int] = []
    for field in ("issued", "published-print", "published-online", "published"):
        y = _year_of(message.get(field), field)
        if y is not None and y not in years:
            years.append(y)
    authors = []
    for a in _objects(message.get("author"), "author"):
        name = _text(a.get("family"), "family") or _text(a.get("name"), "name") or _text(a.get("literal"), "literal")
        if name:
            authors.append(name)
    own = normalise_doi(doi)
    # "update-to": this record is itself a notice (a retraction notice, a correction) of other works.
    notice_of = tuple(_updates(message, "update-to"))
    updates = [
        u
        for u in _updates(message, "updated-by")
        # Some publishers give a notice an "updated-by" of its own kind too, or pointing at itself:
        # that does not make the notice retracted.
        if not (u.doi and normalise_doi(u.doi) == own) and not (notice_of and u.kind in {n.kind for n in notice_of})
    ]
    title, signal = _retitled(_text(message.get("title"), "title"))
    if signal and not notice_of and not any(u.kind in RETRACTING for u in updates):
        updates.extend(signal)
    # Its title with its subtitle, its other titles (another language), the original title of a
    # translated work, and its short titles: each may be the title a reference list gives.
    others = [_with_subtitle(title, sub) for sub in _texts(message.get("subtitle"))]
    others += [_retitled(t)[0] for t in _texts(message.get("title"))[1:]]
    others += _texts(message.get("original-title")) + _texts(message.get("short-title"))
    first, last = _pages(_text(message.get("page"), "page"))
    return Record(
        registry="crossref",
        id=own,
        title=title,
        authors=tuple(authors),
        years=tuple(years),
        container=_text(message.get("container-title"), "container-title"),
        publisher=_text(message.get("publisher"), "publisher"),
        volume=_text(message.get("volume"), "volume"),
        issue=_text(message.get("issue"), "issue"),
        first_page=first,
        last_page=last,
        doi=normalise_doi(doi),
        type=_text(message.get("type"), "type"),
        retracted=any(u.kind in RETRACTING for u in updates),
        updates=tuple(updates),
        notice_of=notice_of,
        other_titles=_other_titles(title, others),
        preprint_of=_related(message, "is-preprint-of", own),
        preprints=_related(message, "has-preprint", own),
    )


def _updates(message: dict[str, Any], field: str) -> list[Update]:
    """Crossref's "updated-by" (the notices of this work) or "update-to" (the works this one is a notice of)."""
    out = []
    for u in _objects(message.get(field), field):
        out.append(
            Update(
                kind=(_text(u.get("type"), f"{field} type") or "").lower(),
                source=_text(u.get("source"), f"{field} source"),
                doi=_text(u.get("DOI"), f"{field} DOI"),
                date=_date(u.get("updated")),
            )
        )
    return out


def _date(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("date-parts"), list) and value["date-parts"]:
        first = value["date-parts"][0]
        if isinstance(first, list):
            # ISO 8601: months and days of two digits ("2020-08-15", not "2020-8-15")
            parts = [p for p in first if isinstance(p, (int, str)) and not isinstance(p, bool)]
            return (
                "-".join(f"{p:02d}" if isinstance(p, int) and i and 0 <= p < 100 else str(p) for i, p in enumerate(parts)) or None
            )
    return None


def from_openalex(work: Any) -> Record:
    if not isinstance(work, dict):
        raise Malformed(f"the work is {_kind(work)}, not an object")
    ident = work.get("id")
    if not isinstance(ident, str) or not ident.strip():
        raise Malformed("the work has no id")
    authors = []
    for authorship in _objects(work.get("authorships"), "authorships"):
        author = _object(authorship.get("author"), "author")
        name = _text(author.get("display_name"), "display_name") or _text(authorship.get("raw_author_name"), "raw_author_name")
        if name:
            # OpenAlex gives display names ("Ada M. Smith", "Gabriel García Márquez"): kept whole,
            # and compared by their ends with a list's family name (match._family_tails).
            authors.append(name)
    biblio = _object(work.get("biblio"), "biblio")
    location = _object(work.get("primary_location"), "primary_location")
    source = _text(_object(location.get("source"), "source").get("display_name"), "source display_name")
    doi = work.get("doi")
    if doi is not None and not isinstance(doi, str):
        raise Malformed(f"'doi' is {_kind(doi)}, not text")
    year = work.get("publication_year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, (int, str))):
        raise Malformed(f"'publication_year' is {_kind(year)}")
    retracted = work.get("is_retracted")
    if retracted is not None and not isinstance(retracted, bool):
        raise Malformed(f"'is_retracted' is {_kind(retracted)}, not true or false")
    updates: tuple[Update, ...] = (Update(kind="retraction", source="openalex"),) if retracted else ()
    title, signal = _retitled(_text(work.get("title"), "title") or _text(work.get("display_name"), "display_name"))
    if signal and not retracted:
        updates, retracted = signal, signal[0].kind in RETRACTING
    return Record(
        registry="openalex",
        id=ident,
        title=title,
        authors=tuple(authors),
        years=(year,) if isinstance(year, int) else (),  # a string: an integer of thousands of digits
        container=source,
        volume=_text(biblio.get("volume"), "volume"),
        issue=_text(biblio.get("issue"), "issue"),
        first_page=_text(biblio.get("first_page"), "first_page"),
        last_page=_text(biblio.get("last_page"), "last_page"),
        doi=normalise_doi(doi) if doi and doi.strip() else None,
        type=_text(work.get("type"), "type"),
        retracted=bool(retracted),
        updates=updates,
    )


# -- whole answers ------------------------------------------------------------------------------


def _crossref_message(data: Any) -> Any:
    if not isinstance(data, dict):
        raise Malformed(f"the answer is {_kind(data)}, not an object")
    if data.get("status", "ok") != "ok":
        raise Malformed(f"the answer's status is {str(data.get('status'))[:40]!r}")
    if "message" not in data:
        raise Malformed("the answer has no message")
    return data["message"]


def _crossref_object(data: Any) -> dict[str, Any]:
    """The ``message`` of a Crossref answer whose message is documented as an object."""
    message = _crossref_message(data)
    if not isinstance(message, dict):
        raise Malformed(f"the message is {_kind(message)}, not an object")
    return message


def crossref_work(data: Any) -> Record:
    """Crossref's answer to ``/works/{doi}``: ``{"status": "ok", "message": {work}}``."""
    return from_crossref(_crossref_object(data))


def crossref_items(data: Any) -> list[Record]:
    """Crossref's answer to a search: ``{"status": "ok", "message": {"items": [work, ...]}}``."""
    return [record for record, _ in crossref_listed(data)]


def crossref_listed(data: Any) -> list[tuple[Record, dict[str, Any]]]:
    """A list request's works, each as read and as Crossref sent it (to keep as the answer to the
    work's own look-up)."""
    items = _crossref_object(data).get("items")
    if not isinstance(items, list):
        raise Malformed(f"'items' is {_kind(items)}, not a list")
    return [(from_crossref(item), item) for item in items]


def openalex_work(data: Any) -> Record:
    """OpenAlex's answer to ``/works/doi:{doi}``: the work object itself."""
    return from_openalex(data)


def openalex_results(data: Any) -> list[Record]:
    """OpenAlex's answer to a search: ``{"meta": {...}, "results": [work, ...]}``."""
    return [record for record, _ in openalex_listed(data)]


def openalex_listed(data: Any) -> list[tuple[Record, dict[str, Any]]]:
    """An OpenAlex list's works, each as read and as sent."""
    if not isinstance(data, dict):
        raise Malformed(f"the answer is {_kind(data)}, not an object")
    results = data.get("results")
    if not isinstance(results, list):
        raise Malformed(f"'results' is {_kind(results)}, not a list")
    return [(from_openalex(work), work) for work in results]


def crossref_agency(data: Any) -> str:
    """Crossref's answer to ``/works/{doi}/agency``: ``{"status": "ok", "message": {"DOI": ...,
    "agency": {"id": "datacite", "label": "DataCite"}}}``; the agency's id, lower-cased."""
    agency = _object(_crossref_object(data).get("agency"), "agency")
    ident = _text(agency.get("id"), "agency id")
    if not ident:
        raise Malformed("the agency has no id")
    return ident.lower()


# DataCite's resourceTypeGeneral, as the types of Crossref that the matching knows.
_DATACITE_TYPES = {
    "journalarticle": "journal-article",
    "book": "book",
    "bookchapter": "book-chapter",
    "preprint": "posted-content",
    "conferencepaper": "proceedings-article",
    "dissertation": "dissertation",
    "report": "report",
}


def datacite_work(data: Any) -> Record:
    """DataCite's answer to ``/dois/{doi}`` (JSON:API): ``{"data": {"id": doi, "type": "dois",
    "attributes": {"titles": [{"title", "titleType"}], "creators": [{"name", "familyName"}],
    "publicationYear", "publisher", "container": {"title", "volume", "issue", "firstPage",
    "lastPage"}, "types": {"resourceTypeGeneral"}}}}``. The title is the first without a
    ``titleType``; a "Subtitle" is joined to it, and "TranslatedTitle", "AlternativeTitle" and
    further titles without a type (other languages) are its other titles."""
    if not isinstance(data, dict):
        raise Malformed(f"the answer is {_kind(data)}, not an object")
    item = _object(data.get("data"), "data")
    doi = _text(item.get("id"), "id")
    if not doi:
        raise Malformed("the record has no id")
    attributes = _object(item.get("attributes"), "attributes")
    titles = _objects(attributes.get("titles"), "titles")
    title = next((t for t in (_text(x.get("title"), "title") for x in titles if not x.get("titleType")) if t), None)
    others: list[str | None] = []
    for x in titles:
        kind = x.get("titleType")
        kind = kind.lower() if isinstance(kind, str) else kind
        for text in _texts(x.get("title"))[:1]:
            if kind == "subtitle":
                others.append(_with_subtitle(title, text))
            elif not kind or kind in ("translatedtitle", "alternativetitle"):
                others.append(text)
    authors = []
    for creator in _objects(attributes.get("creators"), "creators"):
        family = _text(creator.get("familyName"), "familyName")
        name = _text(creator.get("name"), "name")
        if family:
            authors.append(family)
        elif name:
            # "Family, Given" for a person; an organisation's name whole
            authors.append(name.split(",")[0].strip() if creator.get("nameType") != "Organizational" else name)
    year = attributes.get("publicationYear")
    if isinstance(year, str) and year.isascii() and year.isdigit() and len(year) == 4:
        year = int(year)
    if year is not None and (isinstance(year, bool) or not isinstance(year, (int, str))):
        raise Malformed(f"'publicationYear' is {_kind(year)}")
    publisher = attributes.get("publisher")
    if isinstance(publisher, dict):  # newer answers (?publisher=true): {"name": ...}
        publisher = publisher.get("name")
    container = _object(attributes.get("container"), "container")
    general = _text(_object(attributes.get("types"), "types").get("resourceTypeGeneral"), "resourceTypeGeneral")
    return Record(
        registry="datacite",
        id=normalise_doi(doi),
        title=title,
        authors=tuple(authors),
        years=(year,) if isinstance(year, int) else (),
        container=_text(container.get("title"), "container title"),
        publisher=_text(publisher, "publisher"),
        volume=_text(container.get("volume"), "volume"),
        issue=_text(container.get("issue"), "issue"),
        first_page=_text(container.get("firstPage"), "firstPage"),
        last_page=_text(container.get("lastPage"), "lastPage"),
        doi=normalise_doi(doi),
        type=_DATACITE_TYPES.get((general or "").lower(), (general or "").lower() or None),
        other_titles=_other_titles(title, others),
    )
