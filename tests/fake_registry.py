"""A fake Crossref and OpenAlex served over real HTTP on 127.0.0.1, so that tests never touch the network.

This module owns the HTTP side of the fake: the documented routes, status codes, headers and JSON
bodies; a small relevance search over the catalogue (``registry_catalogue``); the misbehaviour a
client has to survive (latency, look-ups that stall, scripted faults such as 429, 503 or broken
JSON); a log of every request; and hard caps so that a client stuck in a loop stops.

Routes (under ``.crossref_url`` and ``.openalex_url``):

- ``GET /crossref/works/{doi}``: 200 ``{"status": "ok", "message-type": "work", ...}`` or 404
  "Resource not found."; ``/crossref/works/{doi}/agency`` names the registration agency.
- ``GET /crossref/works?query.bibliographic=...&rows=N`` (also ``query``, ``query.title``,
  ``query.author``, ``query.editor``, ``query.contributor``, ``query.container-title``, ``filter``,
  ``offset``, ``select``, ``mailto``): a ``work-list`` ranked by a relevance ``score``.
- ``GET /openalex/works/doi:{doi}``, ``/openalex/works/https://doi.org/{doi}``,
  ``/openalex/works/W...``: a Work object or 404; a merged id answers 301 to its new id.
- ``GET /openalex/works?search=...&per-page=N`` (also ``filter=title.search:...``, ``doi:``,
  ``publication_year:``, ``type:``, ``is_retracted:``, ``page``, ``select``): ``meta`` + ``results``.

Every Crossref answer carries the headers Crossref documents (``x-rate-limit-limit``,
``x-rate-limit-interval``, ``x-concurrency-limit``, ``x-api-pool``). DOIs may be percent-encoded
and compare case-insensitively.

Search, in brief: words are folded (case, accents), stop words dropped and plurals trimmed.
Crossref scores every query word found in an item (title words count double, authors and years
once, container half) weighted by rarity across the catalogue, with no length normalisation; each
``query.*`` parameter must match something (they are ANDed). OpenAlex requires every word to be
in the work's title, abstract or full text, as its documentation says; the catalogue holds no
abstracts or full texts, so its ``search`` (and ``title.search``) look in titles (with subtitles)
only: a surname, a year or a journal's name sent with the title finds nothing. Ties go to the
work earlier in the catalogue, so a book review, which precedes its book, outranks the book on a
title-only query.
"""

from __future__ import annotations

import json
import math
import re
import select
import socket
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

try:
    from registry_catalogue import (
        DATA_DIR,
        STOP_WORDS,
        Work,
        catalogue,
        content_words,
        crossref_message,
        openalex_type,
        openalex_work,
        review_of,
        tagged,
        words,
    )
except ImportError:  # imported as ``tests.fake_registry`` from the repository root
    from tests.registry_catalogue import (  # type: ignore[no-redef]
        DATA_DIR,
        STOP_WORDS,
        Work,
        catalogue,
        content_words,
        crossref_message,
        openalex_type,
        openalex_work,
        review_of,
        tagged,
        words,
    )

__all__ = ["FakeRegistry", "FaultSpec", "RequestRecord", "SearchIndex", "fixture_documents", "normalise_doi"]


class RequestRecord(NamedTuple):
    """One request as the fake received it."""

    method: str
    path: str  # percent-decoded, without the query string
    query: dict[str, str]  # last value of each parameter
    time: float  # time.monotonic() on arrival


# A scripted fault: a status; (status, headers); (status, headers, body); or one of the words
# "malformed-json", "empty", "html", "disconnect", "stall".
FaultSpec = int | tuple[int, Mapping[str, str]] | tuple[int, Mapping[str, str], Any] | str

_DOI_IN_TEXT = re.compile(r"10\.\d{4,9}/[^\s,|&]+")
_DOI_URL = re.compile(r"^(?:https?:/+(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)
_NOT_SEARCH_PARAMS = frozenset(
    {"rows", "offset", "per-page", "per_page", "page", "select", "mailto", "api_key", "sort", "order", "cursor"}
)


def normalise_doi(doi: str) -> str:
    """A DOI without its URL or ``doi:`` prefix, in lower case (DOIs are case-insensitive)."""
    return _DOI_URL.sub("", doi.strip()).lower()


def _stem(word: str) -> str:
    # Enough of a stemmer that "islands" finds "island"; the registries use real ones (Kstem for OpenAlex).
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _terms(text: str) -> list[str]:
    """The searchable words of a query or field: folded, stop words out, plurals trimmed, each once."""
    return list(dict.fromkeys(_stem(w) for w in words(text) if w not in STOP_WORDS))


def _date_key(value: str) -> tuple[int, int, int] | None:
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value.strip())
    if not m:
        return None
    return (int(m[1]), int(m[2] or 0), int(m[3] or 0))


class _BadRequest(Exception):
    """A request the real registry would refuse with 400; the argument is the JSON body."""

    def __init__(self, body: Any) -> None:
        super().__init__(body)
        self.body = body


@dataclass(frozen=True)
class _Fields:
    title: frozenset[str]
    authors: frozenset[str]
    editors: frozenset[str]
    years: frozenset[str]
    container: frozenset[str]
    numbers: frozenset[str]

    @property
    def everything(self) -> frozenset[str]:
        return self.title | self.authors | self.editors | self.years | self.container | self.numbers


class SearchIndex:
    """The catalogue as the two registries' search engines see it (usable without a server)."""

    def __init__(self, works: Sequence[Work]) -> None:
        self.works = list(works)
        self.fields: dict[int, _Fields] = {}
        for w in self.works:
            years = {str(w.year), str(w.issued[0])}
            numbers = {x.lower() for x in (w.volume, w.issue, w.first_page, w.last_page) if x}
            self.fields[w.index] = _Fields(
                title=frozenset(_terms(f"{w.title} {w.subtitle or ''}")),
                authors=frozenset(_terms(" ".join(f"{g} {f}" for g, f in w.authors))),
                editors=frozenset(_terms(" ".join(f"{g} {f}" for g, f in w.editors))),
                years=frozenset(years),
                container=frozenset(_terms(f"{w.container or ''} {w.publisher}")),
                numbers=frozenset(numbers),
            )
        df: Counter[str] = Counter()
        for f in self.fields.values():
            df.update(f.everything)
        n = len(self.works)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}

    # Crossref: every query word adds its weight; each query.* parameter must match something.
    def crossref_score(self, work: Work, params: Mapping[str, str]) -> float | None:
        f = self.fields[work.index]
        total = 0.0
        for name, text in params.items():
            terms = _terms(text)
            if name in ("query", "query.bibliographic"):
                s = sum(self.idf.get(t, 0) * self._crossref_weight(f, t, with_editors=name == "query") for t in terms)
            elif name == "query.title":
                s = sum(self.idf.get(t, 0) * 2 for t in terms if t in f.title)
            elif name == "query.author":
                s = sum(self.idf.get(t, 0) for t in terms if t in f.authors)
            elif name == "query.editor":
                s = sum(self.idf.get(t, 0) for t in terms if t in f.editors)
            elif name == "query.contributor":
                s = sum(self.idf.get(t, 0) for t in terms if t in f.authors | f.editors)
            else:  # query.container-title
                s = sum(self.idf.get(t, 0) for t in terms if t in f.container)
            if s <= 0:
                return None
            total += s
        return round(total * 4, 3)

    @staticmethod
    def _crossref_weight(f: _Fields, term: str, *, with_editors: bool) -> float:
        if term in f.title:
            return 2.0
        if term in f.authors or term in f.years or (with_editors and term in f.editors):
            return 1.0
        if term in f.container:
            return 0.5
        return 0.0

    # OpenAlex: every word must be present (words without operators are ANDed).
    def openalex_score(self, work: Work, text: str, *, title_only: bool) -> float | None:
        f = self.fields[work.index]
        terms = _terms(text)
        pool = f.title if title_only else f.everything
        if any(t not in pool for t in terms):
            return None
        return round(sum(self.idf.get(t, 0) * (2 if t in f.title else 1) for t in terms) * 25, 6)


class _Stopping(Exception):
    """The registry is closing while a request sleeps: drop the connection quietly."""


class _ClientGone(Exception):
    """The client hung up (its own time-out) while the request slept: it is no longer in flight."""


class FakeRegistry:
    """A fake Crossref + OpenAlex on ``127.0.0.1`` (a free port), run in a daemon thread.

    Use it as a context manager, or call ``start()`` and ``close()``. ``latency``, ``timeouts``
    and ``timeout_sleep`` may be changed while it runs; faults are added with ``add_faults``.
    """

    def __init__(
        self,
        *,
        works: Sequence[Work] | None = None,
        latency: float = 0.0,
        timeouts: Iterable[str] = (),
        timeout_sleep: float = 5.0,
        faults: Mapping[str, Sequence[FaultSpec]] | None = None,
        max_requests: int = 5000,
        max_duration: float = 300.0,
        concurrency_limit: int | None = None,
        rate_limit: tuple[int, str] = (50, "1s"),
        advertised_concurrency: int = 5,
    ) -> None:
        self.works = list(works) if works is not None else list(catalogue())
        self.latency = latency  # seconds added to every answer
        self.timeouts: set[str] = set(timeouts)  # DOIs and/or titles whose look-ups stall
        self.timeout_sleep = timeout_sleep
        self.max_requests = max_requests
        self.max_duration = max_duration
        self.concurrency_limit = concurrency_limit  # above it, answer 429 (None: never)
        self.rate_limit = rate_limit
        self.advertised_concurrency = advertised_concurrency

        self.requests: list[RequestRecord] = []
        self.status_counts: Counter[int] = Counter()  # by status; 499: abandoned by the client, 0: dropped
        self.in_flight = 0
        self.max_in_flight = 0
        self.cap_reached: str | None = None  # "requests" or "duration" once a cap has stopped answering

        self.index = SearchIndex(self.works)
        self._by_doi = {w.doi.lower(): w for w in self.works}
        self._by_openalex = {w.openalex_id.upper(): w for w in self.works}
        self._merged = {old.upper(): w for w in self.works for old in w.merged_ids}
        self._crossref = {w.index: crossref_message(w) for w in self.works if w.in_crossref}
        self._openalex = {w.index: openalex_work(w) for w in self.works if w.in_openalex}

        self._lock = threading.Lock()
        self._faults: dict[str, deque[FaultSpec]] = {}
        for key, specs in (faults or {}).items():
            self.add_faults(key, *specs)
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._watchdog: threading.Timer | None = None
        self._started = 0.0
        self.port = 0

    # --- life cycle -----------------------------------------------------------------------------

    def start(self) -> FakeRegistry:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.registry = self  # type: ignore[attr-defined]
        server.handle_error = _quiet_errors(server.handle_error)  # type: ignore[method-assign,assignment]
        self._server = server
        self.port = server.server_address[1]
        self._started = time.monotonic()
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        # A client that never stops would keep a test run alive; past the time cap (plus a grace
        # period in which requests get 410) the server goes away altogether.
        self._watchdog = threading.Timer(self.max_duration + 2.0, self.close)
        self._watchdog.daemon = True
        self._watchdog.start()
        return self

    def close(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is None:
            return
        self._stop.set()  # wakes every request asleep in a latency or a stalled look-up
        if self._watchdog is not None and self._watchdog is not threading.current_thread():
            self._watchdog.cancel()
        server.shutdown()
        server.server_close()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeRegistry:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def crossref_url(self) -> str:
        return f"{self.base_url}/crossref"

    @property
    def openalex_url(self) -> str:
        return f"{self.base_url}/openalex"

    # --- configuration and inspection ------------------------------------------------------------

    def add_faults(self, key: str, *responses: FaultSpec) -> None:
        """Serve these responses, in order, to the next requests matching ``key``, before normal answers.

        ``key`` is a path (``/crossref/works/10.5555/cc.0001``; a path also covers the paths below
        it, so ``/crossref`` covers all of Crossref), a DOI (any look-up of it, in either
        registry, by path or ``doi`` filter), or ``*`` (any request).
        """
        normal = _fault_key(key)
        with self._lock:
            self._faults.setdefault(normal, deque()).extend(responses)

    def pending_faults(self) -> dict[str, int]:
        """Faults not yet served, by (normalised) key."""
        return {k: len(v) for k, v in self._faults.items() if v}

    def count(self, path_prefix: str = "") -> int:
        """How many requests arrived whose decoded path starts with ``path_prefix``."""
        return sum(1 for r in list(self.requests) if r.path.startswith(path_prefix))

    def clear_log(self) -> None:
        """Forget the request log and the counters (between runs on one registry)."""
        with self._lock:
            self.requests.clear()
            self.status_counts.clear()
            self.max_in_flight = self.in_flight

    # --- request bookkeeping (called by the handler) ---------------------------------------------

    def _arrive(self, method: str, path: str, query: dict[str, str]) -> str | None:
        """Log a request and count it in flight; the cap it breaks, if any."""
        with self._lock:
            self.requests.append(RequestRecord(method, path, query, time.monotonic()))
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            if len(self.requests) > self.max_requests:
                self.cap_reached = self.cap_reached or "requests"
            elif time.monotonic() - self._started > self.max_duration:
                self.cap_reached = self.cap_reached or "duration"
            too_many = self.concurrency_limit is not None and self.in_flight > self.concurrency_limit
            return self.cap_reached or ("concurrency" if too_many else None)

    def _leave(self, status: int) -> None:
        with self._lock:
            self.in_flight -= 1
            self.status_counts[status] += 1

    def _next_fault(self, path: str, dois: set[str]) -> FaultSpec | None:
        low = path.lower().rstrip("/")
        candidates = [f"path:{low}", *(f"doi:{d}" for d in sorted(dois))]
        prefixes = sorted(
            (k for k in self._faults if k.startswith("path:") and low.startswith(k[5:] + "/")), key=len, reverse=True
        )
        with self._lock:
            for key in [*candidates, *prefixes, "*"]:
                queue = self._faults.get(key)
                if queue:
                    return queue.popleft()
        return None

    def _stalls(self, dois: set[str], text: str) -> bool:
        """Whether a request concerns a work whose look-ups time out."""
        if not self.timeouts:
            return False
        query_words = " ".join(words(text))
        query_set = set(query_words.split())
        for key in list(self.timeouts):
            titles = [key]
            if key.lower().startswith("10.") or _DOI_URL.match(key):
                doi = normalise_doi(key)
                if doi in dois:
                    return True
                work = self._by_doi.get(doi)
                titles = [work.title] if work else []
            for title in titles:
                phrase = " ".join(words(title))
                # The title as a phrase, or (a query that dropped stop words or reordered) all its words.
                if phrase and (phrase in query_words or (len(content_words(title)) >= 3 and content_words(title) <= query_set)):
                    return True
        return False

    # --- Crossref ------------------------------------------------------------------------------------

    def crossref_headers(self, query: Mapping[str, str]) -> dict[str, str]:
        limit, interval = self.rate_limit
        return {
            "x-rate-limit-limit": str(limit),
            "x-rate-limit-interval": interval,
            "x-concurrency-limit": str(self.advertised_concurrency),
            "x-api-pool": "polite" if query.get("mailto") else "public",
        }

    def crossref_work(self, doi: str) -> tuple[int, Any]:
        work = self._by_doi.get(normalise_doi(doi))
        if work is None or work.index not in self._crossref:
            return 404, "Resource not found."
        return 200, {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": self._crossref[work.index]}

    def crossref_agency(self, doi: str) -> tuple[int, Any]:
        work = self._by_doi.get(normalise_doi(doi))
        if work is None or work.index not in self._crossref:
            return 404, "Resource not found."
        message = {"DOI": work.doi, "agency": {"id": "crossref", "label": "Crossref"}}
        return 200, {"status": "ok", "message-type": "work-agency", "message-version": "1.0.0", "message": message}

    def crossref_search(self, query: Mapping[str, str]) -> tuple[int, Any]:
        rows = _integer(query.get("rows", "20"), "rows", 0, 1000)
        offset = _integer(query.get("offset", "0"), "offset", 0, 10000)
        queries = {k: v for k, v in query.items() if k == "query" or k.startswith("query.")}
        unknown = [k for k in queries if k not in _CROSSREF_QUERIES]
        if unknown:
            raise _BadRequest(
                _crossref_failure("parameter-not-allowed", unknown[0], f"Parameter {unknown[0]} specified but is not allowed")
            )
        keep = _crossref_filters(query.get("filter", ""))
        scored: list[tuple[float, Work]] = []
        for work in self.works:
            if work.index not in self._crossref or not keep(work):
                continue
            score = self.index.crossref_score(work, queries) if queries else 1.0
            if score is not None:
                scored.append((score, work))
        scored.sort(key=lambda sw: (-sw[0], sw[1].index))
        select = [s for s in query.get("select", "").split(",") if s]
        items = []
        for score, work in scored[offset : offset + rows]:
            item = dict(self._crossref[work.index], score=score)
            items.append({k: v for k, v in item.items() if k in select} if select else item)
        terms = query.get("query.bibliographic") or query.get("query")
        message = {
            "facets": {},
            "total-results": len(scored),
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": offset, "search-terms": terms},
        }
        return 200, {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}

    # --- OpenAlex ------------------------------------------------------------------------------------

    def openalex_single(self, ident: str) -> tuple[int, Any, dict[str, str]]:
        work: Work | None = None
        if _DOI_URL.match(ident):
            work = self._by_doi.get(normalise_doi(ident))
        else:
            m = re.fullmatch(r"(?:https?:/+openalex\.org/)?(w\d+)", ident, re.IGNORECASE)
            if m:
                key = m[1].upper()
                if key in self._merged:
                    # A merged entity redirects to the one it was merged into.
                    new = self._merged[key].openalex_id
                    return 301, {"redirect": new}, {"Location": f"{self.openalex_url}/works/{new}"}
                work = self._by_openalex.get(key)
        if work is None or work.index not in self._openalex:
            return 404, {"error": "Not Found", "message": f"The requested work '{ident}' does not exist."}, {}
        return 200, self._openalex[work.index], {}

    def openalex_search(self, query: Mapping[str, str]) -> tuple[int, Any]:
        per_page = _integer(query.get("per-page", query.get("per_page", "25")), "per-page", 1, 200, openalex=True)
        page = _integer(query.get("page", "1"), "page", 1, 10000, openalex=True)
        searches: list[tuple[str, bool]] = []
        if query.get("search"):
            searches.append((query["search"], True))  # title, abstract, full text: here, titles
        keep = _openalex_filters(query.get("filter", ""), searches)
        scored: list[tuple[float, Work]] = []
        for work in self.works:
            if work.index not in self._openalex or not keep(work):
                continue
            total = 0.0
            for text, title_only in searches:
                s = self.index.openalex_score(work, text, title_only=title_only)
                if s is None:
                    break
                total += s
            else:
                scored.append((total, work))
        if searches:
            scored.sort(key=lambda sw: (-sw[0], sw[1].index))
        select = [s for s in query.get("select", "").split(",") if s]
        results = []
        for score, work in scored[(page - 1) * per_page : page * per_page]:
            item = dict(self._openalex[work.index])
            if searches:
                item["relevance_score"] = score
            results.append({k: v for k, v in item.items() if k in select} if select else item)
        meta = {"count": len(scored), "db_response_time_ms": 7, "page": page, "per_page": per_page, "groups_count": None}
        return 200, {"meta": meta, "results": results, "group_by": []}


def _quiet_errors(default: Callable[[Any, Any], None]) -> Callable[[Any, Any], None]:
    """Connection resets are what timing-out clients do; print only other errors."""

    def handle_error(request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, _Stopping)):
            default(request, client_address)

    return handle_error


def _fault_key(key: str) -> str:
    if key == "*":
        return "*"
    if key.startswith("/"):
        return "path:" + unquote(key).lower().rstrip("/")
    return "doi:" + normalise_doi(key)


def _integer(value: str, name: str, low: int, high: int, *, openalex: bool = False) -> int:
    try:
        n = int(value)
    except ValueError:
        n = low - 1
    if low <= n <= high:
        return n
    if openalex:
        raise _BadRequest(
            {"error": "Invalid query parameters error.", "message": f"{name} must be an integer between {low} and {high}"}
        )
    raise _BadRequest(
        _crossref_failure("integer-not-valid", value, f"Integer specified as {value} but must be between {low} and {high}")
    )


def _crossref_failure(kind: str, value: str, message: str) -> dict[str, Any]:
    return {
        "status": "failed",
        "message-type": "validation-failure",
        "message": [{"type": kind, "value": value, "message": message}],
    }


_CROSSREF_QUERIES = frozenset({
    "query", "query.bibliographic", "query.title", "query.author", "query.editor", "query.contributor", "query.container-title",
})  # fmt: skip


def _crossref_filters(spec: str) -> Callable[[Work], bool]:
    """Crossref's ``filter``: different names are ANDed, the same name repeated is ORed."""
    tests: dict[str, list[Callable[[Work], bool]]] = {}
    for part in (p for p in spec.split(",") if p.strip()):
        name, _, value = part.partition(":")
        name = name.strip()
        test = _crossref_filter(name, value.strip())
        if test is None:
            raise _BadRequest(
                _crossref_failure(
                    "filter-not-available", name, f"Filter {name} specified but there is no such filter for this route."
                )
            )
        tests.setdefault(name, []).append(test)
    return lambda w: all(any(t(w) for t in group) for group in tests.values())


def _crossref_filter(name: str, value: str) -> Callable[[Work], bool] | None:
    low = value.lower()
    if name in ("from-pub-date", "until-pub-date", "from-print-pub-date", "until-print-pub-date"):
        bound = _date_key(value)
        if bound is None:
            raise _BadRequest(
                _crossref_failure("date-not-valid", value, f"Date specified as {value} but must be of the form YYYY[-MM[-DD]]")
            )

        n = sum(1 for x in bound if x)  # compare only as many parts as the filter gives (a year, a month)

        def date_of(w: Work) -> tuple[int, ...]:
            return ((w.year, w.month, w.day) if "print" in name else w.issued)[:n]

        if name.startswith("from"):
            return lambda w: date_of(w) >= bound[:n]
        return lambda w: date_of(w) <= bound[:n]
    simple: dict[str, Callable[[Work], bool]] = {
        "type": lambda w: w.type == value,
        "doi": lambda w: w.doi.lower() == normalise_doi(value),
        "prefix": lambda w: w.doi.lower().startswith(low + "/"),
        "is-update": lambda w: bool(w.update_to) == (low == "true"),
        "update-type": lambda w: any(u.type == value for u in w.update_to),
        "container-title": lambda w: (w.container or "").lower() == low,
        "issn": lambda w: value.upper() in w.issn,
        "isbn": lambda w: re.sub(r"\D", "", value) in w.isbn,
        "has-update-policy": lambda w: bool(w.updated_by or w.update_to) == (low == "true"),
    }
    return simple.get(name)


_OPENALEX_SEARCH_FILTERS = {
    "title.search": True,
    "display_name.search": True,
    "title_and_abstract.search": True,
    "default.search": True,
}


def _openalex_filters(spec: str, searches: list[tuple[str, bool]]) -> Callable[[Work], bool]:
    """OpenAlex's ``filter``: comma-separated, ANDed; ``|`` ORs values. Search filters go to ``searches``."""
    parts: list[str] = []
    for piece in spec.split(","):
        if ":" not in piece and parts:
            parts[-1] += "," + piece  # a comma inside a search phrase, not a new filter
        elif piece.strip():
            parts.append(piece)
    tests: list[Callable[[Work], bool]] = []
    for part in parts:
        name, _, value = part.partition(":")
        name = name.strip()
        if name in _OPENALEX_SEARCH_FILTERS:
            searches.append((value, _OPENALEX_SEARCH_FILTERS[name]))
            continue
        test = _openalex_filter(name, value.strip())
        if test is None:
            raise _BadRequest(
                {"error": "Invalid query parameters error.", "message": f"{name} is not a valid field for filtering works."}
            )
        tests.append(test)
    return lambda w: all(t(w) for t in tests)


def _openalex_filter(name: str, value: str) -> Callable[[Work], bool] | None:
    options = [v.strip() for v in value.split("|") if v.strip()]
    negate = bool(options) and options[0].startswith("!")
    options = [o.lstrip("!") for o in options]

    def years(w: Work) -> bool:
        y = w.issued[0]
        for o in options:
            if re.fullmatch(r"\d{4}", o) and y == int(o):
                return True
            if (
                (m := re.fullmatch(r"(\d{4})?-(\d{4})?", o))
                and (m[1] is None or y >= int(m[1]))
                and (m[2] is None or y <= int(m[2]))
            ):
                return True
            if (o.startswith(">") and y > int(o[1:])) or (o.startswith("<") and y < int(o[1:])):
                return True
        return False

    tests: dict[str, Callable[[Work], bool]] = {
        "doi": lambda w: w.doi.lower() in {normalise_doi(o) for o in options},
        "publication_year": years,
        "type": lambda w: openalex_type(w) in options,
        "type_crossref": lambda w: w.type in options,
        "is_retracted": lambda w: w.is_retracted == (options[:1] == ["true"]),
        "openalex": lambda w: w.openalex_id.upper() in {o.rsplit("/", 1)[-1].upper() for o in options},
        "ids.openalex": lambda w: w.openalex_id.upper() in {o.rsplit("/", 1)[-1].upper() for o in options},
        "language": lambda w: w.language in options,
    }
    test = tests.get(name)
    if test is None or not negate:
        return test
    return lambda w: not test(w)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as the real services; every answer has a Content-Length
    server_version = "FakeRegistry/1.0"
    timeout = 30  # an idle keep-alive connection is closed after this long
    # Headers and body go out in separate writes; with Nagle's algorithm on, the client's delayed
    # ACK adds about 40 ms to every answer, which would swamp the latency under test.
    disable_nagle_algorithm = True

    @property
    def registry(self) -> FakeRegistry:
        return self.server.registry  # type: ignore[attr-defined,no-any-return]

    def log_message(self, format: str, *args: Any) -> None:  # the request log is kept in .requests instead
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        reg = self.registry
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        blocked = reg._arrive(method, path, query)
        self._left = False
        try:
            self._answer(method, path, query, blocked)
        except _Stopping:
            self.close_connection = True
        except (_ClientGone, ConnectionError, TimeoutError):
            self.close_connection = True  # the client gave up waiting: nothing to answer
        finally:
            self._leave(CLIENT_CLOSED)

    def _leave(self, status: int) -> None:
        # Leave the in-flight count before the answer goes out: once a client holds its answer,
        # the request is over, so a strictly sequential client never counts as two in flight.
        if not self._left:
            self._left = True
            self.registry._leave(status)

    def _answer(self, method: str, path: str, query: dict[str, str], blocked: str | None) -> int:
        reg = self.registry
        crossref = path == "/crossref" or path.startswith("/crossref/")
        extra = reg.crossref_headers(query) if crossref else {}
        if blocked in ("requests", "duration"):
            # Gone, not 503: a client must not retry its way past the cap.
            self.close_connection = True
            body = {"error": f"fake registry stopped answering: {blocked} cap reached"}
            return self._send(410, body, extra, head=method == "HEAD")
        if blocked == "concurrency":
            return self._send(429, "Too many concurrent requests", {**extra, "Retry-After": "1"}, head=method == "HEAD")
        dois = self._dois(path, query)
        self._sleep(reg.latency)
        fault = reg._next_fault(path, dois)
        if fault is not None and fault != "stall":
            return self._fault(fault, extra, head=method == "HEAD")
        text = " ".join(v for k, v in query.items() if k not in _NOT_SEARCH_PARAMS)
        if fault == "stall" or reg._stalls(dois, text):
            self._sleep(reg.timeout_sleep)
        if method == "POST":
            self.close_connection = True  # its body is never read, so the connection cannot be reused
            return self._send(405, "Method not allowed", extra)
        try:
            status, body, headers = self._route(path, query)
        except _BadRequest as bad:
            status, body, headers = 400, bad.body, {}
        return self._send(status, body, {**extra, **headers}, head=method == "HEAD")

    def _sleep(self, seconds: float) -> None:
        """Wait, but stop early when the registry closes or the client hangs up."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if self.registry._stop.wait(min(0.05, left)):
                raise _Stopping
            if self._client_gone():
                raise _ClientGone

    def _client_gone(self) -> bool:
        # A closed socket reads as ready with nothing to read; requests does not pipeline, so
        # nothing else arrives on a connection while its request is being answered.
        try:
            ready, _, _ = select.select([self.connection], [], [], 0)
            return bool(ready) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def _dois(self, path: str, query: Mapping[str, str]) -> set[str]:
        """The DOIs a request is about: in its path, or in its filters and queries."""
        found: set[str] = set()
        for prefix in ("/crossref/works/", "/openalex/works/"):
            if path.startswith(prefix):
                rest = path[len(prefix) :].removesuffix("/agency")
                if rest.lower().startswith("10.") or _DOI_URL.match(rest):
                    found.add(normalise_doi(rest))
                elif prefix == "/openalex/works/":
                    m = re.fullmatch(r"(?:https?:/+openalex\.org/)?(w\d+)", rest, re.IGNORECASE)
                    work = m and (self.registry._by_openalex.get(m[1].upper()) or self.registry._merged.get(m[1].upper()))
                    if work:
                        found.add(work.doi.lower())
        for value in query.values():
            found.update(normalise_doi(d) for d in _DOI_IN_TEXT.findall(value))
        return found

    def _route(self, path: str, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        reg = self.registry
        path = path.rstrip("/") or "/"
        if path == "/crossref/works":
            return (*reg.crossref_search(query), {})
        if path.startswith("/crossref/works/"):
            doi = path[len("/crossref/works/") :]
            if doi.endswith("/agency"):
                return (*reg.crossref_agency(doi.removesuffix("/agency")), {})
            return (*reg.crossref_work(doi), {})
        if path == "/openalex/works":
            return (*reg.openalex_search(query), {})
        if path.startswith("/openalex/works/"):
            return reg.openalex_single(path[len("/openalex/works/") :])
        if path.startswith("/openalex"):
            return 404, {"error": "Not Found", "message": f"No route for {path}"}, {}
        return 404, "Resource not found.", {}

    def _fault(self, spec: FaultSpec, extra: dict[str, str], *, head: bool) -> int:
        if spec == "disconnect":
            self.close_connection = True  # no answer at all: the client sees the connection drop
            self._leave(DROPPED)
            return DROPPED
        if spec == "malformed-json":
            return self._send(
                200, b'{"status": "ok", "message-type": "work", "message": {"DOI": "10.5', extra, head=head, json_type=True
            )
        if spec == "empty":
            return self._send(200, b"", extra, head=head, json_type=True)
        if spec == "html":
            page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
            return self._send(502, page, {**extra, "Content-Type": "text/html"}, head=head)
        if isinstance(spec, int):
            spec = (spec, {})
        if isinstance(spec, tuple):
            status, headers = spec[0], dict(spec[1])
            body = spec[2] if len(spec) > 2 else _DEFAULT_BODIES.get(status, f"HTTP {status}")
            return self._send(status, body, {**extra, **headers}, head=head)
        raise ValueError(f"unknown fault {spec!r}")

    def _send(self, status: int, body: Any, headers: Mapping[str, str], *, head: bool = False, json_type: bool = False) -> int:
        if isinstance(body, bytes):
            data, ctype = body, "application/json" if json_type else "text/plain; charset=utf-8"
        elif isinstance(body, str):
            data, ctype = body.encode(), "text/plain; charset=utf-8"
        else:
            data, ctype = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        self._leave(status)
        self.send_response(status)
        out = {"Content-Type": ctype, **headers}
        if status == 301:
            data = b""
        for name, value in out.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head:
            self.wfile.write(data)
        return status


# Besides HTTP statuses, status_counts counts these two outcomes that have no answer.
CLIENT_CLOSED = 499  # the client hung up first (its time-out); nginx's code for it
DROPPED = 0  # a "disconnect" fault closed the connection without answering

_DEFAULT_BODIES = {
    403: {"error": "Forbidden", "message": "Too many requests; slow down."},
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


# --- Fixture files for unit tests with ``responses`` -------------------------------------------------


def _ok_work() -> Work:
    """A plain journal article with both print and online dates, two or more authors, in both registries."""
    return next(
        w
        for w in catalogue()
        if not w.tags and w.type == "journal-article" and w.language == "en" and w.online_month and len(w.authors) >= 2
    )


def fixture_documents() -> dict[str, Any]:
    """The single-response JSON files of ``tests/data/registry/`` (name -> body), as the fake serves them."""
    reg = FakeRegistry()
    ok = _ok_work()
    retracted = next(w for w in tagged("retracted") if any(u.type == "correction" for u in w.updated_by))
    book = tagged("reviewed-book")[0]

    def from_publisher(tag: str) -> Work:
        return next(w for w in tagged(tag) if w.updated_by[0].source == "publisher")

    review = review_of(book)
    assert review is not None
    book_query = f"{book.title} {book.authors[0][1]} {book.year}"
    search = reg.crossref_search({"query.bibliographic": book_query, "rows": "3"})[1]
    # What the client sends OpenAlex: the title alone, the year give or take one as a filter.
    years = f"publication_year:{book.year - 1}-{book.year + 1}"
    openalex_search = reg.openalex_search({"search": book.title, "filter": years, "per-page": "5"})[1]
    return {
        "crossref-work-ok.json": reg.crossref_work(ok.doi)[1],
        "crossref-work-retracted.json": reg.crossref_work(retracted.doi)[1],
        "crossref-work-notice.json": reg.crossref_work(tagged("retraction-notice")[0].doi)[1],
        "crossref-work-eoc.json": reg.crossref_work(from_publisher("eoc").doi)[1],
        "crossref-work-corrected.json": reg.crossref_work(from_publisher("corrected").doi)[1],
        "crossref-search.json": search,
        "openalex-work-ok.json": reg.openalex_single(ok.openalex_id)[1],
        "openalex-work-retracted.json": reg.openalex_single(retracted.openalex_id)[1],
        "openalex-search.json": openalex_search,
    }


def fixture_text(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    if sys.argv[1:] != ["--write-fixtures"]:
        sys.exit("usage: python3 tests/fake_registry.py --write-fixtures")
    for name, body in fixture_documents().items():
        Path(DATA_DIR, name).write_text(fixture_text(body), encoding="utf-8")
        print(f"wrote {DATA_DIR / name}", file=sys.stderr)
