"""End to end against a fake Crossref + OpenAlex on 127.0.0.1: the 100-reference scenario.

72 genuine works (half with a DOI, half to be searched for), 10 fabricated ones, 10 real works
miscited (wrong year, pages or volume), 3 retracted works, and 5 whose look-ups time out.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_registry import FakeRegistry
from registry_catalogue import bibliography_100

from citecheck.bibliography import read_bibliography
from citecheck.model import Verification
from citecheck.pipeline import verify_bibliography
from citecheck.verify import RegistryClient, Settings, verify_references

DATA = Path(__file__).resolve().parent / "data" / "registry"
SCENARIO = bibliography_100()


def verdict(v: Verification) -> str:
    if v.record is not None and v.record.retracted and v.status not in ("doi-mismatch", "doi-not-found"):
        return "retracted-work"
    return {"not-found": "reference-not-found"}.get(v.status, v.status)


@pytest.fixture(scope="module")
def registry() -> Iterator[FakeRegistry]:
    with FakeRegistry(timeouts=SCENARIO.registry_timeouts, timeout_sleep=3.0, latency=0.01) as fake:
        yield fake


@pytest.fixture(scope="module")
def client(registry: FakeRegistry, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryClient]:
    settings = Settings(
        crossref_url=registry.crossref_url,
        openalex_url=registry.openalex_url,
        mailto="editor@example.org",
        cache_path=tmp_path_factory.mktemp("cache") / "registry.sqlite3",
        timeout=1.0,
        concurrency=4,
    )
    c = RegistryClient(settings)
    yield c
    c.close()


@pytest.fixture(scope="module")
def verdicts(client: RegistryClient) -> dict[str, str]:
    _, references = read_bibliography(str(DATA / "bibliography-100.json"))
    results = verify_references(references, client=client)
    return {references[v.reference].key or "": verdict(v) for v in results}


def keys(category: str) -> list[str]:
    return sorted(k for k, c in SCENARIO.categories.items() if c.startswith(category))


def test_every_reference_gets_its_expected_verdict(verdicts: dict[str, str]) -> None:
    wrong = {k: (verdicts.get(k), want) for k, want in SCENARIO.expected.items() if verdicts.get(k) != want}
    assert wrong == {}


def test_no_genuine_work_is_called_not_found(verdicts: dict[str, str]) -> None:
    genuine = [k for k, doi in SCENARIO.works.items() if doi is not None and k not in SCENARIO.timeout_keys]
    assert len(genuine) >= 80
    assert [k for k in genuine if verdicts[k] in ("reference-not-found", "doi-not-found")] == []


def test_fabricated_miscited_retracted_and_timed_out(verdicts: dict[str, str]) -> None:
    fabricated = [k for k, doi in SCENARIO.works.items() if doi is None]
    assert len(fabricated) == 10
    assert all(verdicts[k] in ("reference-not-found", "doi-not-found") for k in fabricated)
    assert sum(verdicts[k] == "retracted-work" for k in SCENARIO.expected) == 3
    assert len(SCENARIO.timeout_keys) == 5
    assert all(verdicts[k] == "unverified" for k in SCENARIO.timeout_keys)


def test_concurrency_is_never_exceeded(client: RegistryClient, verdicts: dict[str, str], tmp_path: Path) -> None:
    assert verdicts
    assert 1 <= client.max_in_flight <= 4
    # Seen from the server, in a run where no look-up stalls (a stalled request the client gave up
    # on keeps the server busy after the client has moved on).
    with FakeRegistry(latency=0.05) as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, concurrency=3)
        _, references = read_bibliography(str(DATA / "bibliography-100.json"))
        verify_references(references[:40], settings)
        assert 2 <= fake.max_in_flight <= 3


def test_second_run_sends_no_request(registry: FakeRegistry, tmp_path: Path) -> None:
    settings = Settings(
        crossref_url=registry.crossref_url,
        openalex_url=registry.openalex_url,
        cache_path=tmp_path / "registry.sqlite3",
        timeout=1.0,
    )
    path = str(DATA / "bibliography-100.json")
    registry.timeouts = set()  # a clean first run fills the cache
    try:
        verify_bibliography(path, settings)
        before = len(registry.requests)
        report = verify_bibliography(path, settings)
        assert len(registry.requests) == before
    finally:
        registry.timeouts = set(SCENARIO.registry_timeouts)
    assert report.verifications is not None and len(report.verifications) == 100


def _with_doi(work: object, **change: object) -> object:
    from citecheck.model import Author, Reference, Span

    fields: dict[str, object] = {
        "span": Span(0, 1),
        "text": work.title,  # type: ignore[attr-defined]
        "authors": tuple(Author(f) for _, f in work.authors),  # type: ignore[attr-defined]
        "year": str(work.year),  # type: ignore[attr-defined]
        "title": work.title,  # type: ignore[attr-defined]
        "doi": work.doi,  # type: ignore[attr-defined]
        "kind": "article",
    }
    fields.update(change)
    return Reference(**fields)  # type: ignore[arg-type]


def test_a_stalling_registry_costs_a_reference_its_timeout_once(tmp_path: Path) -> None:
    import time

    from registry_catalogue import catalogue

    work = next(w for w in catalogue() if w.doi and w.type == "journal-article")
    with FakeRegistry(timeouts={work.doi}, timeout_sleep=3.0) as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, timeout=0.6)
        started = time.monotonic()
        (v,) = verify_references([_with_doi(work)], settings)  # type: ignore[list-item]
        took = time.monotonic() - started
        asked = [r.path for r in fake.requests]
    # Crossref stalled for the whole 0.6 s: OpenAlex, which stalls on it too, is not asked after it
    assert v.status == "unverified" and "did not answer within 0.6 s" in v.detail and "not asked" in v.detail
    assert took < 1.1 and len(asked) == 1 and asked[0].startswith("/crossref/works/")


def test_searches_go_first_and_the_verdicts_keep_the_list_order(tmp_path: Path) -> None:
    from registry_catalogue import catalogue

    works = [w for w in catalogue() if w.doi and w.type == "journal-article"][:6]
    refs = [_with_doi(w, doi=None) if n % 2 == 0 else _with_doi(w) for n, w in enumerate(works)]
    with FakeRegistry() as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, concurrency=1, batch=1)
        results = verify_references(refs, settings)  # type: ignore[arg-type]
        paths = [r.path for r in fake.requests]
    assert [v.reference for v in results] == list(range(6)) and all(v.status == "ok" for v in results)
    # The references that may take several look-ups (searches) start first; DOI look-ups fill in after.
    assert paths[:3] == ["/crossref/works"] * 3 and all(p.startswith("/crossref/works/") for p in paths[3:])


def test_every_reference_is_asked_once_before_any_is_asked_again(tmp_path: Path) -> None:
    from registry_catalogue import catalogue, tagged

    elsewhere = tagged("not-in-crossref")[:1]  # Crossref answers 404: OpenAlex is asked next
    plain = [w for w in catalogue() if w.doi and w.type == "journal-article" and not w.tags][:5]
    refs = [_with_doi(w) for w in (*elsewhere, *plain)]
    with FakeRegistry(latency=0.05) as fake:  # long enough for every thread to queue at the gate
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, concurrency=1, batch=1)
        verify_references(refs, settings)  # type: ignore[arg-type]
        paths = [r.path for r in fake.requests]
    # Six first look-ups (Crossref), then the follow-up (OpenAlex), though it was ready long before.
    assert all(p.startswith("/crossref/works/") for p in paths[:6]) and paths[6].startswith("/openalex/"), paths


def test_time_spent_waiting_for_a_place_is_not_taken_from_a_reference(tmp_path: Path) -> None:
    from registry_catalogue import catalogue

    works = [w for w in catalogue() if w.doi and w.type == "journal-article" and not w.tags][:12]
    with FakeRegistry(latency=0.1) as fake:
        # One place, 12 references: the last waits about 1.1 s for it, more than its 0.5 s.
        settings = Settings(
            crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, concurrency=1, timeout=0.5, batch=1
        )
        results = verify_references([_with_doi(w) for w in works], settings)  # type: ignore[misc]
    assert [v.status for v in results] == ["ok"] * 12


def test_crossref_searches_and_look_ups_are_paced_apart_and_a_429_slows_down(tmp_path: Path) -> None:
    from citecheck.verify.client import _Pace

    with FakeRegistry(rate_limit=(20, "1s")) as fake:
        client = RegistryClient(Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False))
        try:
            client.crossref_search("forest recovery")
            assert client.paces["crossref-list"].rate == 20 and client.paces["crossref"].rate == 0
            client.crossref_work("10.5555/none")
            assert client.paces["crossref"].rate == 20
        finally:
            client.close()
    pace = _Pace()
    pace.learn("50", "1s")
    pace.slow_down()
    assert pace.rate == 25 and pace.burst == 25
