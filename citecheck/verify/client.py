"""Talking to the registries: one HTTP session, polite identification, limits, retries, the cache.

Input: look-ups by DOI and searches by reference metadata. Output: an ``Answer`` with the status
and decoded JSON, or the reason there is none. Nothing here decides what an answer means.

Politeness, as Crossref and OpenAlex document it: a User-Agent that names citecheck and a contact
address (``--mailto`` / ``CITECHECK_MAILTO``, also sent as Crossref's ``mailto`` parameter); the
OpenAlex key as its ``api_key`` parameter; never more requests in flight than ``--concurrency`` or
Crossref's ``x-concurrency-limit``; requests spaced by Crossref's ``x-rate-limit-limit`` per
``x-rate-limit-interval``; retries with exponential backoff and jitter on 429, 5xx and OpenAlex's
403 (its "slow down"), honouring ``Retry-After``.
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import requests

from citecheck import __version__
from citecheck.verify.cache import DEFAULT_TTL_DAYS, Cache

CROSSREF_URL = "https://api.crossref.org"
OPENALEX_URL = "https://api.openalex.org"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FAILED = 0  # the status a failed look-up is cached under
FAILURE_TTL = 600.0  # seconds a failed look-up is remembered


@dataclass(frozen=True)
class Settings:
    crossref_url: str = field(default_factory=lambda: os.environ.get("CITECHECK_CROSSREF_URL") or CROSSREF_URL)
    openalex_url: str = field(default_factory=lambda: os.environ.get("CITECHECK_OPENALEX_URL") or OPENALEX_URL)
    mailto: str | None = field(default_factory=lambda: os.environ.get("CITECHECK_MAILTO") or None)
    openalex_key: str | None = field(default_factory=lambda: os.environ.get("CITECHECK_OPENALEX_KEY") or None)
    concurrency: int = 4
    timeout: float = 10.0  # seconds for one response
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
    """At most ``limit`` requests in flight, whichever registry they go to."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.in_flight = 0
        self.max_in_flight = 0
        self._cond = threading.Condition()

    def __enter__(self) -> None:
        with self._cond:
            while self.in_flight >= self.limit:
                self._cond.wait()
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self.in_flight -= 1
            self._cond.notify()

    def learn(self, limit: str | None) -> None:
        """Lower the limit to the one a registry announces (never raise it)."""
        with self._cond:
            if limit and limit.isdigit() and 0 < int(limit) < self.limit:
                self.limit = int(limit)


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

    def learn(self, limit: str | None, interval: str | None) -> None:
        if not (limit and interval and limit.isdigit() and int(limit) > 0):
            return
        seconds = _seconds(interval)
        if not seconds:
            return
        rate = int(limit) / seconds
        with self._lock:
            if not self.rate or rate < self.rate:
                if not self.rate:
                    self._tokens = float(int(limit)) - 1.0  # this answer's request spent one
                self.rate, self.burst = rate, float(int(limit))


def _seconds(interval: str) -> float | None:
    """ "1s" -> 1.0, "2m" -> 120.0 (Crossref's x-rate-limit-interval)."""
    unit = {"s": 1.0, "m": 60.0, "h": 3600.0}.get(interval[-1:])
    number = interval[:-1] if unit else interval
    try:
        return float(number) * (unit or 1.0)
    except ValueError:
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RegistryClient:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        s = self.settings
        self.session = requests.Session()
        contact = f"; mailto:{s.mailto}" if s.mailto else ""
        self.session.headers["User-Agent"] = f"citecheck/{__version__} (author-date citation auditor{contact})"
        self.session.headers["Accept"] = "application/json"
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=max(4, s.concurrency))
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        # One gate for both registries: --concurrency bounds everything this run has in flight.
        self.gate = _Gate(s.concurrency)
        self.paces = {"crossref": _Pace(), "openalex": _Pace()}
        self.cache = Cache(s.cache_path, s.cache_ttl_days) if s.cache else None
        self.sent = 0  # requests that went out, retries included
        self._count = threading.Lock()

    def close(self) -> None:
        self.session.close()
        if self.cache is not None:
            self.cache.close()

    @property
    def max_in_flight(self) -> int:
        return self.gate.max_in_flight

    # -- the look-ups ---------------------------------------------------------------------------

    def crossref_work(self, doi: str) -> Answer:
        return self._get("crossref", f"/works/{quote(doi, safe='/:;()')}", {})

    def crossref_search(self, text: str, rows: int = 5) -> Answer:
        return self._get("crossref", "/works", {"query.bibliographic": text, "rows": str(rows)})

    def openalex_work(self, doi: str) -> Answer:
        return self._get("openalex", f"/works/doi:{quote(doi, safe='/:;()')}", {})

    def openalex_search(self, text: str, rows: int = 5) -> Answer:
        return self._get("openalex", "/works", {"search": text, "per-page": str(rows)})

    # -- the machinery --------------------------------------------------------------------------

    def _get(self, registry: str, path: str, params: dict[str, str]) -> Answer:
        s = self.settings
        base = (s.crossref_url if registry == "crossref" else s.openalex_url).rstrip("/")
        key = f"{registry} {path}?{urlencode(sorted(params.items()))}"
        if self.cache is not None and not s.refresh:
            hit = self.cache.get(key)
            if hit is not None and hit.status == FAILED:
                if time.time() - hit.fetched < FAILURE_TTL:
                    minutes = max(1, round((time.time() - hit.fetched) / 60))
                    return Answer(status=None, error=f"{hit.body} ({minutes} min ago; --refresh asks again)", cached=True)
            elif hit is not None:
                return self._decode(hit.status, hit.body, cached=True)
        if s.offline:
            return Answer(status=None, error="offline, and not in the cache")
        sent = dict(params)
        if registry == "crossref" and s.mailto:
            sent["mailto"] = s.mailto
        if registry == "openalex":
            if s.openalex_key:
                sent["api_key"] = s.openalex_key
            if s.mailto:
                sent["mailto"] = s.mailto
        answer, body = self._fetch(registry, base + path, sent)
        if self.cache is not None:
            if answer.error is None and answer.status in (200, 404) and body is not None:
                self.cache.put(key, answer.status, body)
            elif answer.status is None or answer.status in RETRY_STATUSES or answer.status == 403:
                # Remembered briefly, so that a second run minutes later does not stall on the same
                # look-up; long enough to spare the registry, short enough to ask again soon.
                self.cache.put(key, FAILED, answer.error or "no answer")
        return answer

    def _fetch(self, registry: str, url: str, params: dict[str, str]) -> tuple[Answer, str | None]:
        s = self.settings
        pace = self.paces[registry]
        attempt = timeouts = 0
        while True:
            try:
                pace.wait()
                with self.gate:
                    with self._count:
                        self.sent += 1
                    response = self.session.get(url, params=params, timeout=s.timeout)
                self.gate.learn(response.headers.get("x-concurrency-limit"))
                pace.learn(response.headers.get("x-rate-limit-limit"), response.headers.get("x-rate-limit-interval"))
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
            status = response.status_code
            if registry == "openalex" and status == 429:
                # OpenAlex answers 429 when the day's allowance is spent: waiting seconds won't help
                return Answer(status=429, error="OpenAlex's daily limit is reached (set CITECHECK_OPENALEX_KEY)"), None
            slow_down = status in RETRY_STATUSES or (registry == "openalex" and status == 403)
            if not slow_down:
                return self._decode(status, response.text), response.text
            attempt += 1
            wait = _retry_after(response.headers.get("Retry-After"))
            if attempt > s.retries or (wait is not None and wait > s.max_retry_wait):
                return Answer(status=status, error=f"{registry} answered {status} {response.reason or ''}".strip()), None
            time.sleep(wait if wait is not None else _backoff(attempt))

    @staticmethod
    def _decode(status: int, body: str, cached: bool = False) -> Answer:
        if status == 404:
            return Answer(status=404, cached=cached)
        if status != 200:
            return Answer(status=status, error=f"answered {status}", cached=cached)
        try:
            # an integer of thousands of digits is kept as its digits, not converted (and refused)
            data = json.loads(body, parse_int=lambda digits: int(digits) if len(digits) <= 18 else digits)
            return Answer(status=200, data=data, cached=cached)
        except ValueError:
            return Answer(status=200, error="answered with malformed JSON", cached=cached)


def _backoff(attempt: int) -> float:
    """0.5 s, 1 s, 2 s ... with up to a quarter more at random, so parallel retries spread out."""
    base = 0.5 * 2 ** (attempt - 1)
    return base + random.uniform(0, base / 4)
