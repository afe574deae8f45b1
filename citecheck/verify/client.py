"""Talking to the registries: one HTTP session, polite identification, limits, retries, the cache.

Input: look-ups by DOI and searches by reference metadata. Output: an ``Answer`` with the status
and decoded JSON, or the reason there is none. Nothing here decides what an answer means.

Politeness, as Crossref and OpenAlex document it: a User-Agent that names citecheck and a contact
address (``--mailto`` / ``CITECHECK_MAILTO``, also sent as Crossref's ``mailto`` parameter); the
OpenAlex key as its ``api_key`` parameter; never more requests in flight than ``--concurrency`` or
Crossref's ``x-concurrency-limit``; requests spaced by Crossref's ``x-rate-limit-limit`` per
``x-rate-limit-interval``; retries with exponential backoff and jitter on 429, 5xx and OpenAlex's
403 (its "slow down"), honouring ``Retry-After``.

Distrust, since answers may come from a proxy or a registry having a bad day: headers are read
only as small ASCII numbers (anything else is ignored); a body is read up to ``MAX_BODY`` bytes;
one attempt, redirects included, has ``timeout`` seconds in all, not per socket read (the clock is
read between socket reads, each of which waits at most what was left when the request went out,
so a trickling answer stops within twice ``timeout``), and so do all the look-ups of one reference
together (``reference_budget``): a registry that stalls costs a reference its ``timeout`` once,
not once per registry asked; a redirect is followed only to the same
host, never from https to http, at most ``MAX_REDIRECTS`` times; a 404 that is not the registry's
own (an HTML page) is no proof of absence; a body that does not have the documented shape
(``records.Malformed``) is no answer and is not cached. Each of these leaves the reference
unverified for this run.
"""

from __future__ import annotations

import email.utils
import heapq
import http.client
import itertools
import json
import os
import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote, urlencode, urljoin, urlsplit

from citecheck import __version__
from citecheck.cache import regex
from citecheck.model import json_int
from citecheck.verify.cache import DEFAULT_TTL_DAYS, Cache
from citecheck.verify.records import (
    Malformed,
    crossref_agency,
    crossref_items,
    crossref_work,
    datacite_work,
    openalex_results,
    openalex_work,
)

if TYPE_CHECKING:
    import requests

CROSSREF_URL = "https://api.crossref.org"
OPENALEX_URL = "https://api.openalex.org"
DATACITE_URL = "https://api.datacite.org"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FAILED = 0  # the status a failed look-up is cached under
FAILURE_TTL = 600.0  # seconds a failed look-up is remembered
MAX_BODY = 5 * 1024 * 1024  # bytes of one answer; a longer one is no answer
MAX_REDIRECTS = 5  # same-host redirects followed in one look-up
_CHUNK = 64 * 1024
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_DIGITS = regex(r"[0-9]{1,9}")  # ASCII only: str.isdigit() also takes "²", which int() refuses
_INTERVAL = regex(r"([0-9]{1,6}(?:\.[0-9]{1,6})?)\s*([smh]?)")


@dataclass(frozen=True)
class Settings:
    crossref_url: str = field(default_factory=lambda: os.environ.get("CITECHECK_CROSSREF_URL") or CROSSREF_URL)
    openalex_url: str = field(default_factory=lambda: os.environ.get("CITECHECK_OPENALEX_URL") or OPENALEX_URL)
    datacite_url: str = field(default_factory=lambda: os.environ.get("CITECHECK_DATACITE_URL") or DATACITE_URL)
    mailto: str | None = field(default_factory=lambda: os.environ.get("CITECHECK_MAILTO") or None)
    openalex_key: str | None = field(default_factory=lambda: os.environ.get("CITECHECK_OPENALEX_KEY") or None)
    concurrency: int = 4
    # DOIs looked up in one list request (Crossref's page of rows by default, and a short address);
    # 1 looks each up alone
    batch: int = 20
    timeout: float = 10.0  # seconds for one attempt in all: connecting, redirects, the whole body
    retries: int = 3  # further attempts after a 429, 5xx or dropped connection
    # A time-out is not tried again in the same run: it holds a connection for the whole time-out,
    # and a registry that stalls is usually overloaded. The reference stays unverified, failures
    # are not cached, and the next run asks again.
    timeout_retries: int = 0
    max_retry_wait: float = 30.0  # a Retry-After longer than this gives up instead
    cache: bool = True
    cache_path: Path | None = None
    cache_ttl_days: float = DEFAULT_TTL_DAYS
    refresh: bool = False  # ask again even when the cache has an answer
    offline: bool = False  # the cache only; nothing is sent
    retractions: Path | None = None  # a local copy of the Retraction Watch CSV (--retractions)


def missing_credentials(settings: Settings) -> list[str]:
    """What a run that asks the registries lacks, in words: a contact address (Crossref serves
    requests without one from its slower public pool) and an OpenAlex API key (which OpenAlex
    requires since February 2026). Nothing for a run that sends nothing (``offline``)."""
    if settings.offline:
        return []
    out = []
    if not settings.mailto:
        out.append("no contact address (--mailto or CITECHECK_MAILTO): Crossref answers from its slower public pool")
    if not settings.openalex_key:
        out.append("no OpenAlex API key (CITECHECK_OPENALEX_KEY), which OpenAlex requires: its look-ups may be refused")
    return out


@dataclass(frozen=True)
class Answer:
    status: int | None  # HTTP status, None when no answer came
    data: Any = None
    error: str | None = None  # why there is no usable answer
    cached: bool = False

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None

    @property
    def not_found(self) -> bool:
        return self.status == 404 and self.error is None


class _Gate:
    """At most ``limit`` requests in flight, whichever registry they go to. When a place frees,
    the waiting request with the lowest priority goes first (``enter(priority)``): a reference's
    first look-up before another's follow-up, so that every reference is asked early and a look-up
    that stalls does so while the others still have work to overlap it."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.in_flight = 0
        self.max_in_flight = 0
        self._cond = threading.Condition()
        self._waiting: list[tuple[Any, int]] = []  # a heap of (priority, arrival)
        self._arrivals = itertools.count()

    @contextmanager
    def enter(self, priority: Any = ()) -> Iterator[None]:
        ticket = (priority, next(self._arrivals))
        with self._cond:
            heapq.heappush(self._waiting, ticket)
            while self.in_flight >= self.limit or self._waiting[0] != ticket:
                self._cond.wait()
            heapq.heappop(self._waiting)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self._cond.notify_all()  # the next in line may take a place still free
        try:
            yield
        finally:
            with self._cond:
                self.in_flight -= 1
                self._cond.notify_all()

    def learn(self, limit: str | None) -> None:
        """Lower the limit to the one a registry announces (never raise it)."""
        n = _count(limit, 1000)
        with self._cond:
            if n is not None and n < self.limit:
                self.limit = n


class _Budget:
    """What is left of one reference's time for answers, and how many look-ups it has made."""

    def __init__(self, seconds: float, order: int) -> None:
        self.left = seconds
        self.order = order
        self.asked = 0

    def spend(self, seconds: float) -> None:
        self.left -= seconds
        self.asked += 1


class _Pace:
    """A registry's announced rate as a token bucket: Crossref's "50 per 1s" allows 50 requests at
    once, then one every 20 ms. The wait happens before a request takes its place under the gate,
    so pacing one registry never holds a place another registry's request could use."""

    def __init__(self) -> None:
        self.rate = 0.0  # tokens per second; 0 = no announced limit
        self.burst = 0.0
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    @property
    def spacing(self) -> float:
        return 1.0 / self.rate if self.rate else 0.0

    def wait(self) -> None:
        while True:
            with self._lock:
                if not self.rate:
                    return
                now = time.monotonic()
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                delay = (1.0 - self._tokens) / self.rate
            time.sleep(delay)

    def slow_down(self) -> None:
        """Half the rate (a 429: too many requests), at least one request every 10 s; a registry
        that announced no rate gets one of 5 a second."""
        with self._lock:
            self.rate = max(0.1, self.rate / 2) if self.rate else 5.0
            self.burst = max(1.0, min(self.burst, self.rate))
            # The retry itself goes when its wait (Retry-After, or the backoff) is over; the
            # requests after it are spaced at the new rate.
            self._tokens, self._stamp = 1.0, time.monotonic()

    def learn(self, limit: str | None, interval: str | None) -> None:
        n = _count(limit, 100_000)
        seconds = _seconds(interval)
        if n is None or seconds is None:
            return
        rate = n / seconds
        with self._lock:
            if not self.rate or rate < self.rate:
                if not self.rate:
                    self._tokens = float(n) - 1.0  # this answer's request spent one
                self.rate, self.burst = rate, float(n)


def _count(value: str | None, most: int) -> int | None:
    """A header's positive whole number up to ``most``, or None: "²", "-1", "4.5" and 5,000 digits are ignored."""
    if value is None or not _DIGITS.fullmatch(value.strip()):
        return None
    n = int(value.strip())
    return n if 0 < n <= most else None


def _seconds(interval: str | None) -> float | None:
    """ "1s" -> 1.0, "2m" -> 120.0 (Crossref's x-rate-limit-interval); None unless above 0 and at most a day."""
    m = _INTERVAL.fullmatch(interval.strip()) if interval else None
    if m is None:
        return None
    seconds = float(m[1]) * {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0}[m[2]]
    return seconds if 0 < seconds <= 86400 else None


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (a number or an HTTP date); None when it is neither."""
    if not value or len(value) > 64:
        return None
    if _DIGITS.fullmatch(value.strip()):
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    except (TypeError, ValueError, OverflowError, IndexError):
        return None


def _new_session(concurrency: int, mailto: str | None) -> requests.Session:
    """The HTTP session, made when the first request goes out: a run the cache answers whole
    never imports ``requests``. It leaves redirects to ``RegistryClient._exchange``: even when
    asked not to follow them, ``requests`` reads a redirect's Location to prepare the next
    request, decoding it as UTF-8, and one Latin-1 byte there raised UnicodeDecodeError."""
    import requests

    class _Session(requests.Session):
        def get_redirect_target(self, resp: requests.Response) -> str | None:
            return None

    session = _Session()
    contact = f"; mailto:{mailto}" if mailto else ""
    session.headers["User-Agent"] = f"citecheck/{__version__} (author-date citation auditor{contact})"
    session.headers["Accept"] = "application/json"
    adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(4, concurrency))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class RegistryClient:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self._session: requests.Session | None = None
        self._session_lock = threading.Lock()
        # One gate for both registries: --concurrency bounds everything this run has in flight.
        self.gate = _Gate(s.concurrency)
        # A bucket per pool: Crossref meters single-work look-ups and list requests (searches,
        # filters) apart, so that the lists' rate never holds a DOI look-up back.
        self.paces = {"crossref": _Pace(), "crossref-list": _Pace(), "openalex": _Pace(), "datacite": _Pace()}
        self._batched: dict[tuple[str, str], Answer] = {}  # (registry, DOI) -> a work a list request answered with
        self._reference = threading.local()  # the budget of the reference this thread verifies
        self.cache = Cache(s.cache_path, s.cache_ttl_days) if s.cache else None
        self.sent = 0  # requests that went out, retries included
        self._count = threading.Lock()

    @property
    def session(self) -> requests.Session:
        with self._session_lock:
            if self._session is None:
                self._session = _new_session(self.settings.concurrency, self.settings.mailto)
            return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self.cache is not None:
            self.cache.close()

    @property
    def max_in_flight(self) -> int:
        return self.gate.max_in_flight

    @contextmanager
    def reference_budget(self, seconds: float, order: int = 0) -> Iterator[None]:
        """The look-ups made inside (by this thread) share ``seconds`` of waiting for answers in
        all: once they are spent, what is left is not asked, and the reference stays unverified.
        Time spent queueing for a place (``--concurrency``) or pacing is not counted. ``order`` is
        the reference's place in the run: at the gate, first look-ups go by it, before any
        reference's second look-up."""
        before = getattr(self._reference, "budget", None)
        self._reference.budget = _Budget(seconds, order)
        try:
            yield
        finally:
            self._reference.budget = before

    @contextmanager
    def cache_only(self) -> Iterator[Callable[[], bool]]:
        """The look-ups made inside (by this thread) are answered from the cache, or not at all:
        one the cache cannot answer is not sent, and the function yielded then tells False (what
        was verified inside must be verified again, outside)."""
        before = getattr(self._reference, "cache_only", None)
        state = self._reference.cache_only = [True]
        try:
            yield lambda: state[0]
        finally:
            self._reference.cache_only = before

    def _left(self) -> float | None:
        budget = getattr(self._reference, "budget", None)
        return None if budget is None else budget.left

    # -- the look-ups ---------------------------------------------------------------------------

    def crossref_work(self, doi: str) -> Answer:
        return self._batched.get(("crossref", doi)) or self._get("crossref", _work_path(doi), {}, crossref_work)

    def crossref_works(self, dois: Sequence[str]) -> Answer:
        """Several works in one list request (``filter=doi:a,doi:b``: one filter repeated is ORed),
        for ``remember``; the answer itself is not cached, the works in it are."""
        params = {"filter": ",".join(f"doi:{d}" for d in dois), "rows": str(len(dois))}
        return self._get("crossref", "/works", params, crossref_items, keep=False)

    def crossref_search(self, text: str, rows: int = 5) -> Answer:
        return self._get("crossref", "/works", {"query.bibliographic": text, "rows": str(rows)}, crossref_items)

    def crossref_agency(self, doi: str) -> Answer:
        """Which agency registered the DOI (Crossref, DataCite, mEDRA, JaLC, ...): Crossref answers
        for every DOI, and 404 for one that no agency registered."""
        return self._get("crossref", f"{_work_path(doi)}/agency", {}, crossref_agency)

    def datacite_work(self, doi: str) -> Answer:
        return self._get("datacite", f"/dois/{quote(doi, safe='/:;()')}", {}, datacite_work)

    def openalex_work(self, doi: str) -> Answer:
        return self._batched.get(("openalex", doi)) or self._get("openalex", _openalex_path(doi), {}, openalex_work)

    def openalex_works(self, dois: Sequence[str]) -> Answer:
        """Several works in one list request (``filter=doi:a|b``: OpenAlex takes up to 100), for ``remember``."""
        params = {"filter": "doi:" + "|".join(dois), "per-page": str(len(dois))}
        return self._get("openalex", "/works", params, openalex_results, keep=False)

    def knows(self, registry: str, doi: str) -> bool:
        """Whether the cache answers the look-up of ``doi`` without asking (``--refresh`` asks):
        with the work, its absence, or a failure too recent to ask again."""
        if self.cache is None or self.settings.refresh:
            return False
        path = _work_path(doi) if registry == "crossref" else _openalex_path(doi)
        hit = self.cache.get(_key(registry, path, {}))
        return hit is not None and (hit.status != FAILED or time.time() - hit.fetched < FAILURE_TTL)

    def remember(self, registry: str, doi: str, work: dict[str, Any]) -> None:
        """A work that a list request answered with, kept as the answer to its own look-up: for
        the rest of this run, and in the cache as if it had been looked up alone."""
        if registry == "crossref":
            data: Any = {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": work}
            path = _work_path(doi)
        else:
            data, path = work, _openalex_path(doi)
        self._batched[(registry, doi)] = Answer(status=200, data=data)
        if self.cache is not None:
            self.cache.put(_key(registry, path, {}), 200, json.dumps(data, ensure_ascii=False))

    def openalex_search(self, text: str, rows: int = 5, filter: str | None = None) -> Answer:
        params = {"search": text, "per-page": str(rows), **({"filter": filter} if filter else {})}
        return self._get("openalex", "/works", params, openalex_results)

    # -- the machinery --------------------------------------------------------------------------

    def _get(
        self, registry: str, path: str, params: dict[str, str], read: Callable[[Any], object], *, keep: bool = True
    ) -> Answer:
        """``read`` parses the decoded body (``records``): when it raises ``Malformed`` the body is
        no answer. ``keep``: the answer (or the failure) goes in the cache."""
        s = self.settings
        base = {"crossref": s.crossref_url, "openalex": s.openalex_url, "datacite": s.datacite_url}[registry].rstrip("/")
        key = _key(registry, path, params)
        if self.cache is not None and keep and not s.refresh:
            hit = self.cache.get(key)
            if hit is not None and hit.status == FAILED:
                if time.time() - hit.fetched < FAILURE_TTL:
                    minutes = max(1, round((time.time() - hit.fetched) / 60))
                    return Answer(status=None, error=f"{hit.body} ({minutes} min ago; --refresh asks again)", cached=True)
            elif hit is not None:
                answer = self._decode(registry, hit.status, hit.body, read, cached=True)
                if answer.error is None:
                    return answer
                # kept by an earlier version that took any body: asked again
        if s.offline:
            return Answer(status=None, error="offline, and not in the cache")
        only = getattr(self._reference, "cache_only", None)
        if only is not None:
            only[0] = False  # not in the cache: this reference is verified again, with requests
            return Answer(status=None, error="not in the cache")
        sent = dict(params)
        if registry == "crossref" and s.mailto:
            sent["mailto"] = s.mailto
        if registry == "openalex":
            if s.openalex_key:
                sent["api_key"] = s.openalex_key
            if s.mailto:
                sent["mailto"] = s.mailto
        # Crossref meters its list requests (searches, filters) apart from single-work look-ups.
        pool = "crossref-list" if registry == "crossref" and path == "/works" else registry
        answer, body = self._fetch(registry, base + path, sent, read, pool)
        if self.cache is not None and keep:
            if answer.error is None and answer.status in (200, 404) and body is not None:
                self.cache.put(key, answer.status, body)
            elif answer.status is None or answer.status in RETRY_STATUSES or answer.status == 403:
                # (A look-up not asked because its reference's time was spent is remembered too: the
                # next run minutes later gives the reference the same verdict without stalling on it.)
                # Remembered briefly, so that a second run minutes later does not stall on the same
                # look-up; long enough to spare the registry, short enough to ask again soon.
                self.cache.put(key, FAILED, answer.error or "no answer")
        return answer

    def _fetch(
        self, registry: str, url: str, params: dict[str, str], read: Callable[[Any], object], pool: str
    ) -> tuple[Answer, str | None]:
        import requests  # here, not at import: a run the cache answers whole sends nothing

        s = self.settings
        pace = self.paces[pool]
        attempt = timeouts = 0
        while True:
            left = self._left()
            if left is not None and left <= 0:
                spent = f"not asked: the {s.timeout:g} s of this reference's look-ups were spent"
                return Answer(status=None, error=f"{registry} {spent}"), None
            budget: _Budget | None = getattr(self._reference, "budget", None)
            try:
                pace.wait()
                with self.gate.enter((budget.asked, budget.order) if budget else (0, 0)):
                    with self._count:
                        self.sent += 1
                    start = time.monotonic()
                    try:
                        reply = self._exchange(registry, url, params, pool)
                    finally:
                        if budget is not None:
                            budget.spend(time.monotonic() - start)
            except requests.Timeout:
                timeouts += 1
                if timeouts > s.timeout_retries:
                    return Answer(status=None, error=f"{registry} did not answer within {s.timeout:g} s"), None
                continue
            except requests.RequestException as exc:
                attempt += 1
                if attempt > s.retries:
                    return Answer(status=None, error=f"{registry} could not be reached: {type(exc).__name__}"), None
                time.sleep(_backoff(attempt))
                continue
            if isinstance(reply, Answer):
                return reply, None
            status = reply.status
            if registry == "openalex" and status == 429:
                # OpenAlex answers 429 when the day's allowance is spent: waiting seconds won't help
                return Answer(status=429, error="OpenAlex's daily limit is reached (set CITECHECK_OPENALEX_KEY)"), None
            slow_down = status in RETRY_STATUSES or (registry == "openalex" and status == 403)
            if not slow_down:
                return self._decode(registry, status, reply.body, read, reply.content_type), reply.body
            attempt += 1
            if status == 429:
                pace.slow_down()  # asked to: fewer requests a second from now on
            wait = _retry_after(reply.retry_after)
            if attempt > s.retries or (wait is not None and wait > s.max_retry_wait):
                return Answer(status=status, error=f"{registry} answered {status} {reply.reason}".strip()), None
            time.sleep(wait if wait is not None else _backoff(attempt))

    def _exchange(self, registry: str, url: str, params: dict[str, str], pool: str | None = None) -> _Reply | Answer:
        """One attempt: the request, the redirects it may follow, and the body, within ``timeout`` seconds
        in all, and within what is left of the reference's. Raises what ``requests`` raises (a
        time-out as ``requests.Timeout``)."""
        import requests

        deadline = time.monotonic() + self.settings.timeout
        left = self._left()
        if left is not None:
            deadline = min(deadline, time.monotonic() + left)
        status = 0
        for _ in range(MAX_REDIRECTS + 1):
            left = deadline - time.monotonic()
            if left <= 0:
                raise requests.Timeout(f"no answer within {self.settings.timeout:g} s")
            response = self.session.get(url, params=params, timeout=left, stream=True, allow_redirects=False)
            try:
                status = response.status_code
                headers = response.headers
                self.gate.learn(headers.get("x-concurrency-limit"))
                self.paces[pool or registry].learn(headers.get("x-rate-limit-limit"), headers.get("x-rate-limit-interval"))
                if not (status in _REDIRECTS and "location" in headers):
                    return self._reply(registry, response, deadline)
                target, refused = _redirect_target(response.url or url, headers["location"])
            finally:
                response.close()
            if target is None:
                return Answer(status=status, error=f"{registry} redirected {refused}; not followed")
            url, params = target, {}
        return Answer(status=status, error=f"{registry} redirected more than {MAX_REDIRECTS} times")

    def _reply(self, registry: str, response: requests.Response, deadline: float) -> _Reply | Answer:
        import requests
        import urllib3

        status = response.status_code
        reason = response.reason if isinstance(response.reason, str) else ""
        reply = _Reply(status, reason, response.headers.get("Content-Type", ""), response.headers.get("Retry-After"), "")
        if status not in (200, 404):
            return reply  # only a look-up's answer or its absence is read
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isascii() and declared.isdigit() and (len(declared) > 9 or int(declared) > MAX_BODY):
            return Answer(status=status, error=f"{registry} answered with more than {MAX_BODY // 2**20} MB")
        data = bytearray()
        raw = response.raw
        chunk = getattr(raw, "read1", None) or raw.read  # read1: at most one socket read, so a trickle sees the clock
        while True:
            try:
                piece = chunk(_CHUNK, decode_content=True)
            except urllib3.exceptions.ReadTimeoutError as exc:
                raise requests.Timeout(str(exc)) from exc
            except (urllib3.exceptions.HTTPError, http.client.HTTPException, OSError) as exc:
                raise requests.ConnectionError(str(exc)) from exc
            if not piece:
                break
            data += piece
            if len(data) > MAX_BODY:
                return Answer(status=status, error=f"{registry} answered with more than {MAX_BODY // 2**20} MB")
            if time.monotonic() > deadline:
                raise requests.Timeout(f"no whole answer within {self.settings.timeout:g} s")
        try:
            text = bytes(data).decode(response.encoding or "utf-8", errors="replace")
        except (LookupError, ValueError):  # a charset Python does not know
            text = bytes(data).decode("utf-8", errors="replace")
        return reply._replace(body=text)

    @staticmethod
    def _decode(
        registry: str,
        status: int,
        body: str,
        read: Callable[[Any], object],
        content_type: str | None = None,
        *,
        cached: bool = False,
    ) -> Answer:
        if status == 404:
            if _registry_404(body, content_type):
                return Answer(status=404, cached=cached)
            # A proxy's or a web server's page: no proof that the registry lacks the work.
            return Answer(status=404, error=f"{registry} answered 404 with a page that is not its own", cached=cached)
        if status != 200:
            return Answer(status=status, error=f"{registry} answered {status}", cached=cached)
        try:
            data = json.loads(body, parse_int=json_int)  # thousands of digits stay digits
        except (ValueError, RecursionError):
            return Answer(status=200, error=f"{registry} answered with malformed JSON", cached=cached)
        try:
            read(data)
        except (Malformed, RecursionError) as exc:
            why = str(exc) if isinstance(exc, Malformed) else "nesting too deep"
            return Answer(status=200, error=f"{registry} answered in an unexpected shape: {why}", cached=cached)
        return Answer(status=200, data=data, cached=cached)


def _work_path(doi: str) -> str:
    return f"/works/{quote(doi, safe='/:;()')}"


def _openalex_path(doi: str) -> str:
    return f"/works/doi:{quote(doi, safe='/:;()')}"


def _key(registry: str, path: str, params: dict[str, str]) -> str:
    """The cache key of a look-up: its registry, path and parameters (the contact and key left out)."""
    return f"{registry} {path}?{urlencode(sorted(params.items()))}"


class _Reply(NamedTuple):
    status: int
    reason: str
    content_type: str
    retry_after: str | None
    body: str


def _registry_404(body: str, content_type: str | None) -> bool:
    """Crossref's plain "Resource not found." or OpenAlex's JSON error; not an HTML page from a proxy."""
    if content_type and "html" in content_type.lower():
        return False
    text = body.strip()
    if text.startswith("{"):
        try:
            return isinstance(json.loads(text), dict)
        except (ValueError, RecursionError):
            return False
    return not text.startswith("<") and len(text) <= 200 and "not found" in text.lower()


_PORTS = {"http": 80, "https": 443}


def _redirect_target(current: str, location: str) -> tuple[str | None, str]:
    """The address a redirect leads to, when it is followed: the same host, by https or from http to
    https. Otherwise None and where it led. A Location's bytes outside ASCII are percent-encoded."""
    try:
        raw = location.encode("latin-1")  # how http.client decoded the header's bytes
    except UnicodeEncodeError:
        raw = location.encode("utf-8", errors="replace")
    target = urljoin(current, quote(raw, safe="!#$%&'()*+,/:;=?@[]~"))
    try:
        here, there = urlsplit(current), urlsplit(target)
        here_port = here.port or _PORTS.get(here.scheme)
        there_port = there.port or _PORTS.get(there.scheme)
    except ValueError:
        return None, "to an unreadable address"
    if there.scheme not in _PORTS or not there.hostname:
        return None, "to an address that is not http(s)"
    if here.scheme == "https" and there.scheme == "http":
        return None, "from https to http"
    if there.hostname != here.hostname:
        return None, f"to another host ({there.hostname[:80]})"
    if there_port != here_port and not (here.scheme == "http" and there.scheme == "https" and there_port == 443):
        return None, f"to another port ({there_port})"
    return target, ""


def _backoff(attempt: int) -> float:
    """0.5 s, 1 s, 2 s ... with up to a quarter more at random, so parallel retries spread out."""
    base = 0.5 * 2 ** (attempt - 1)
    return base + random.uniform(0, base / 4)
