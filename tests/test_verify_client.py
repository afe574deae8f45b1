"""The registry client at the network edge, with ``responses``: retries, limits, cache, privacy."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests
import responses

from citecheck.verify.client import RegistryClient, Settings

CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"
WORK = {"status": "ok", "message-type": "work", "message": {"DOI": "10.5555/a.1", "title": ["A title"]}}


def client(tmp_path: Path, **kw: object) -> RegistryClient:
    settings = Settings(
        crossref_url=CROSSREF,
        openalex_url=OPENALEX,
        mailto="editor@example.org",
        cache_path=tmp_path / "cache.sqlite3",
        retries=kw.pop("retries", 3),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )
    return RegistryClient(settings)


@pytest.fixture(autouse=True)
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits are recorded, not slept."""
    waits: list[float] = []
    monkeypatch.setattr("citecheck.verify.client.time.sleep", waits.append)
    return waits


@responses.activate
def test_identifies_itself_and_sends_the_contact(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    answer = client(tmp_path).crossref_work("10.5555/a.1")
    assert answer.ok and answer.data["message"]["title"] == ["A title"]
    sent = responses.calls[0].request
    assert sent.headers["User-Agent"].startswith("citecheck/")
    assert "editor@example.org" in sent.headers["User-Agent"]
    assert "mailto=editor%40example.org" in sent.url


@responses.activate
def test_429_with_retry_after_is_honoured(tmp_path: Path, no_sleep: list[float]) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", status=429, headers={"Retry-After": "2"})
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    assert client(tmp_path).crossref_work("10.5555/a.1").ok
    assert no_sleep == [2.0]


@responses.activate
def test_429_without_retry_after_backs_off_with_jitter(tmp_path: Path, no_sleep: list[float]) -> None:
    for _ in range(2):
        responses.get(f"{CROSSREF}/works/10.5555/a.1", status=429)
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    assert client(tmp_path).crossref_work("10.5555/a.1").ok
    assert 0.5 <= no_sleep[0] <= 0.625 and 1.0 <= no_sleep[1] <= 1.25


@responses.activate
def test_5xx_exhausts_retries_and_reports_why(tmp_path: Path) -> None:
    for _ in range(4):
        responses.get(f"{CROSSREF}/works/10.5555/a.1", status=503)
    answer = client(tmp_path).crossref_work("10.5555/a.1")
    assert not answer.ok and answer.status == 503
    assert "503" in (answer.error or "")
    assert len(responses.calls) == 4  # the first try and three retries


@responses.activate
def test_a_retry_after_too_long_gives_up_at_once(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", status=429, headers={"Retry-After": "3600"})
    answer = client(tmp_path).crossref_work("10.5555/a.1")
    assert answer.status == 429 and answer.error
    assert len(responses.calls) == 1


@responses.activate
def test_openalex_403_means_slow_down(tmp_path: Path) -> None:
    responses.get(f"{OPENALEX}/works/doi:10.5555/a.1", status=403)
    responses.get(f"{OPENALEX}/works/doi:10.5555/a.1", json={"id": "https://openalex.org/W1", "title": "A title"})
    assert client(tmp_path).openalex_work("10.5555/a.1").ok


@responses.activate
def test_openalex_429_is_the_daily_limit_and_not_retried(tmp_path: Path) -> None:
    responses.get(f"{OPENALEX}/works/doi:10.5555/a.1", status=429)
    answer = client(tmp_path).openalex_work("10.5555/a.1")
    assert answer.status == 429 and "daily limit" in (answer.error or "")
    assert len(responses.calls) == 1


@responses.activate
def test_timeout_is_reported_without_a_retry_by_default(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", body=requests.Timeout())
    answer = client(tmp_path, timeout=0.5).crossref_work("10.5555/a.1")
    assert answer.status is None and "did not answer" in (answer.error or "")
    assert len(responses.calls) == 1


@responses.activate
def test_timeout_retries_can_be_asked_for(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", body=requests.Timeout())
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    assert client(tmp_path, timeout=0.5, timeout_retries=1).crossref_work("10.5555/a.1").ok


@responses.activate
def test_malformed_json_is_an_error_not_a_crash(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", body="{not json", content_type="application/json")
    answer = client(tmp_path).crossref_work("10.5555/a.1")
    assert not answer.ok and "malformed" in (answer.error or "")


@responses.activate
def test_merged_openalex_work_follows_the_301(tmp_path: Path) -> None:
    responses.get(f"{OPENALEX}/works/doi:10.5555/a.1", status=301, headers={"Location": f"{OPENALEX}/works/W2"})
    responses.get(f"{OPENALEX}/works/W2", json={"id": "https://openalex.org/W2", "title": "A title"})
    answer = client(tmp_path).openalex_work("10.5555/a.1")
    assert answer.ok and answer.data["id"].endswith("W2")


@responses.activate
def test_second_look_up_comes_from_the_cache(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    responses.get(f"{CROSSREF}/works/10.5555/missing", status=404, body="Resource not found.")
    first = client(tmp_path)
    assert first.crossref_work("10.5555/a.1").ok and first.crossref_work("10.5555/missing").not_found
    first.close()
    again = client(tmp_path)
    assert again.crossref_work("10.5555/a.1").cached and again.crossref_work("10.5555/missing").not_found
    assert again.sent == 0 and len(responses.calls) == 2


@responses.activate
def test_failures_are_remembered_briefly_never_as_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(4):
        responses.get(f"{CROSSREF}/works/10.5555/a.1", status=500)
    client(tmp_path).crossref_work("10.5555/a.1")
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    again = client(tmp_path).crossref_work("10.5555/a.1")  # minutes later: not asked again
    assert not again.ok and again.cached and "--refresh" in (again.error or "")
    assert len(responses.calls) == 4
    assert client(tmp_path, refresh=True).crossref_work("10.5555/a.1").ok
    later = time.time() + 3600  # an hour later the failure is forgotten
    monkeypatch.setattr("citecheck.verify.client.time.time", lambda: later)
    monkeypatch.setattr("citecheck.verify.cache.time.time", lambda: later)
    assert client(tmp_path).crossref_work("10.5555/a.1").ok


@responses.activate
def test_offline_sends_nothing(tmp_path: Path) -> None:
    answer = client(tmp_path, offline=True).crossref_work("10.5555/a.1")
    assert answer.status is None and "offline" in (answer.error or "")
    assert len(responses.calls) == 0


@responses.activate
def test_refresh_asks_again(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK)
    client(tmp_path).crossref_work("10.5555/a.1")
    assert not client(tmp_path, refresh=True).crossref_work("10.5555/a.1").cached
    assert len(responses.calls) == 2


@responses.activate
def test_search_sends_only_what_it_is_given(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": []}})
    client(tmp_path).crossref_search("Forest recovery Reed 2016 Ecology")
    url = responses.calls[0].request.url or ""
    assert "query.bibliographic=Forest+recovery+Reed+2016+Ecology" in url


@responses.activate
def test_learns_crossref_limits_from_headers(tmp_path: Path) -> None:
    headers = {"x-rate-limit-limit": "50", "x-rate-limit-interval": "1s", "x-concurrency-limit": "2"}
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=WORK, headers=headers)
    c = client(tmp_path, concurrency=8)
    c.crossref_work("10.5555/a.1")
    assert c.gate.limit == 2
    assert c.paces["crossref"].spacing == pytest.approx(0.02)
    assert c.paces["openalex"].spacing == 0.0
