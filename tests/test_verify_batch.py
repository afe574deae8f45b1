"""DOIs looked up together: one list request per group (Crossref ``filter=doi:a,doi:b``, then
OpenAlex ``filter=doi:a|b`` for those Crossref lacks), each work kept as the answer to its own
look-up; whatever goes wrong with a batch, the DOIs are looked up one by one."""

from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import responses
from fake_registry import FakeRegistry
from registry_catalogue import catalogue

from citecheck.model import Author, Reference, Span
from citecheck.verify import Settings, verify_references
from citecheck.verify.records import from_crossref, from_openalex

DATA = Path(__file__).resolve().parent / "data" / "registry"
CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"


def body(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def entry(title: str, family: str, year: int, doi: str) -> Reference:
    return Reference(span=Span(0, 1), text=title, authors=(Author(family),), year=str(year), title=title, doi=doi)


def crossref_entry(message: dict[str, Any]) -> Reference:
    record = from_crossref(message)
    return entry(record.title or "", record.authors[0], record.years[0], record.doi or "")


def work_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """Crossref's answer to a list request, as documented: a ``work-list`` message."""
    message = {"facets": {}, "total-results": len(items), "items": items, "items-per-page": len(items), "query": {}}
    return {"status": "ok", "message-type": "work-list", "message-version": "1.0.0", "message": message}


def another(message: dict[str, Any], doi: str, title: str) -> dict[str, Any]:
    other = copy.deepcopy(message)
    other["DOI"], other["title"] = doi, [title]
    return other


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@responses.activate
def test_crossref_answers_several_dois_in_one_list_request(tmp_path: Path) -> None:
    first = body("crossref-work-ok.json")["message"]
    second = another(first, "10.5555/cc.9001", "Seasonal patterns of adolescent sleep in two cities")
    responses.get(f"{CROSSREF}/works", json=work_list([second, first]))  # in any order
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    results = verify_references([crossref_entry(first), crossref_entry(second)], settings)
    assert [v.status for v in results] == ["ok", "ok"]
    assert [v.record.doi for v in results if v.record] == ["10.5555/cc.0006", "10.5555/cc.9001"]
    (call,) = responses.calls  # no look-up of either DOI alone
    sent = query_of(call.request.url)
    assert sent["rows"] == ["2"]
    assert sorted(sent["filter"][0].split(",")) == ["doi:10.5555/cc.0006", "doi:10.5555/cc.9001"]
    # The works are kept as their own look-ups: the next run asks nothing.
    again = verify_references([crossref_entry(first), crossref_entry(second)], settings)
    assert [v.status for v in again] == ["ok", "ok"] and len(responses.calls) == 1


@responses.activate
def test_dois_crossref_lacks_are_asked_of_openalex_together(tmp_path: Path) -> None:
    in_crossref = body("crossref-work-ok.json")["message"]
    work = body("openalex-work-ok.json")
    elsewhere = []
    for n, title in enumerate(("Open data practices in hydrology", "Preprint servers and their readers")):
        w = copy.deepcopy(work)
        w["doi"], w["title"], w["display_name"] = f"https://doi.org/10.5281/zenodo.{700 + n}", title, title
        w["id"] = f"https://openalex.org/W99{n}"
        elsewhere.append(w)
    responses.get(f"{CROSSREF}/works", json=work_list([in_crossref]))
    for w in elsewhere:  # Crossref's own look-up tells that it has no record of the DOI
        responses.get(f"{CROSSREF}/works/{w['doi'].removeprefix('https://doi.org/')}", status=404, body="Resource not found.")
    meta = {"count": 2, "db_response_time_ms": 9, "page": 1, "per_page": 2, "groups_count": None}
    responses.get(f"{OPENALEX}/works", json={"meta": meta, "results": elsewhere, "group_by": []})
    refs = [crossref_entry(in_crossref)]
    for w in elsewhere:
        record = from_openalex(w)
        refs.append(entry(record.title or "", record.authors[0].split()[-1], record.years[0], record.doi or ""))
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    results = verify_references(refs, settings)
    assert [v.status for v in results] == ["ok", "ok", "ok"]
    assert [v.registries for v in results][1:] == [("crossref", "openalex")] * 2
    openalex = [c.request.url for c in responses.calls if c.request.url.startswith(OPENALEX)]
    assert len(openalex) == 1  # one list request, no look-up alone
    sent = query_of(openalex[0])
    assert sent["filter"] == ["doi:10.5281/zenodo.700|10.5281/zenodo.701"] and sent["per-page"] == ["2"]


def _plain(n: int) -> list[Any]:
    return [w for w in catalogue() if w.doi and w.type == "journal-article" and not w.tags][:n]


def _ref(work: Any) -> Reference:
    return entry(work.title, work.authors[0][1], work.year, work.doi)


def test_a_batch_gives_the_verdicts_each_look_up_alone_gives(tmp_path: Path) -> None:
    works = _plain(7)
    with FakeRegistry() as fake:

        def run(batch: int) -> list[Any]:
            settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, batch=batch)
            return verify_references([_ref(w) for w in works], settings)

        fake.clear_log()
        together = run(20)
        paths = [(r.path, r.query.get("filter", "")) for r in fake.requests]
        fake.clear_log()
        alone = run(1)
        singles = [r.path for r in fake.requests]
    assert together == alone and all(v.status == "ok" for v in together)
    assert len(paths) == 1 and paths[0][0] == "/crossref/works" and paths[0][1].count("doi:") == 7
    assert len(singles) == 7 and all(p.startswith("/crossref/works/10.") for p in singles)


def test_groups_are_at_most_the_batch_size_and_even(tmp_path: Path) -> None:
    works = _plain(11)
    with FakeRegistry() as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, batch=4)
        verify_references([_ref(w) for w in works], settings)
        sizes = sorted(r.query["filter"].count("doi:") for r in fake.requests)
    assert sizes == [3, 4, 4]


@pytest.mark.parametrize("fault", [400, 414, "malformed-json", "html"])
def test_a_batch_refused_or_unreadable_means_one_look_up_each(fault: Any, tmp_path: Path) -> None:
    works = _plain(3)
    with FakeRegistry() as fake:
        fake.add_faults("/crossref/works", fault)  # the first request below it: the batch
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, retries=0)
        results = verify_references([_ref(w) for w in works], settings)
        paths = [r.path for r in fake.requests]
    assert [v.status for v in results] == ["ok"] * 3
    assert paths[0] == "/crossref/works" and sorted(paths[1:]) == sorted(f"/crossref/works/{w.doi}" for w in works)


def test_a_stalling_batch_is_given_up_soon_and_its_dois_asked_alone(tmp_path: Path) -> None:
    works = _plain(4)
    with FakeRegistry(timeouts={works[0].doi}, timeout_sleep=3.0) as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, timeout=0.9)
        started = time.monotonic()
        results = verify_references([_ref(w) for w in works], settings)
        took = time.monotonic() - started
    # The batch has a third of the 0.9 s; then the stalling DOI costs its reference 0.9 s alone.
    assert [v.status for v in results] == ["unverified", "ok", "ok", "ok"]
    assert took < 0.3 + 0.9 + 0.6


def test_a_doi_with_a_comma_is_looked_up_alone(tmp_path: Path) -> None:
    works = _plain(2)
    odd = entry("A fabricated study of commas", "Comma", 2020, "10.5555/cc.1,2")
    with FakeRegistry() as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False)
        results = verify_references([_ref(works[0]), odd, _ref(works[1])], settings)
        batches = [r.query["filter"] for r in fake.requests if r.query.get("filter", "").startswith("doi:")]
        alone = [r.path for r in fake.requests if r.path.startswith("/crossref/works/")]
    assert batches == [f"doi:{works[0].doi},doi:{works[1].doi}"]
    assert "/crossref/works/10.5555/cc.1,2" in alone and results[1].status == "doi-not-found"


def test_an_offline_run_sends_no_batch(tmp_path: Path) -> None:
    works = _plain(3)
    with FakeRegistry() as fake:
        settings = Settings(
            crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache_path=tmp_path / "c", offline=True
        )
        results = verify_references([_ref(w) for w in works], settings)
        assert fake.requests == []
    assert [v.status for v in results] == ["unverified"] * 3


def test_dois_that_failed_minutes_ago_are_not_batched_again(tmp_path: Path) -> None:
    works = _plain(4)
    with FakeRegistry(timeouts={works[0].doi, works[1].doi}, timeout_sleep=2.0) as fake:
        settings = Settings(
            crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache_path=tmp_path / "c", timeout=0.6
        )
        first = verify_references([_ref(w) for w in works], settings)
        fake.clear_log()
        second = verify_references([_ref(w) for w in works], settings)
        assert fake.requests == []  # the failures are remembered for minutes: nothing to ask
    assert [v.status for v in first] == [v.status for v in second] == ["unverified", "unverified", "ok", "ok"]


def test_a_run_the_cache_answers_whole_starts_no_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from citecheck.verify import client as client_module

    works = _plain(6)
    refs = [_ref(w) for w in works] + [entry("A title nobody registered", "Nobody", 2020, "")]
    with FakeRegistry() as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache_path=tmp_path / "c")
        first = verify_references(refs, settings)
        fake.clear_log()
        asked_from: set[str] = set()
        real = client_module.RegistryClient._get

        def spy(self: Any, *args: Any, **kwargs: Any) -> Any:
            asked_from.add(threading.current_thread().name)
            return real(self, *args, **kwargs)

        monkeypatch.setattr(client_module.RegistryClient, "_get", spy)
        second = verify_references(refs, settings)
        assert fake.requests == []
    assert second == first and first[-1].status == "not-found"
    assert asked_from == {threading.current_thread().name}
