"""The fake registry and its catalogue, tested on their own with plain ``requests`` (no citecheck code).

What is checked: the catalogue's contents and determinism; the acceptance bibliography and the
files written from it; every route's documented shape, 404s and the 301 of a merged OpenAlex id;
search ranking; and the misbehaviour tests rely on (latency, stalls, scripted faults, the
in-flight counter, the caps).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import registry_catalogue as cat
import requests
from fake_registry import FakeRegistry, fixture_documents, fixture_text

DATA = Path(__file__).parent / "data" / "registry"


@pytest.fixture(scope="module")
def registry() -> Iterator[FakeRegistry]:
    with FakeRegistry() as reg:
        yield reg


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


def plain_work(n: int = 0) -> cat.Work:
    """The n-th plain journal article (no special case attached)."""
    return [w for w in cat.catalogue() if not w.tags and w.type == "journal-article" and w.language == "en"][n]


# --- the catalogue -----------------------------------------------------------------------------------


def test_catalogue_is_large_deterministic_and_unambiguous() -> None:
    works = cat.catalogue()
    assert len(works) >= 220
    assert cat.catalogue.__wrapped__() == works  # built again from the seed: the same works
    assert len({w.doi.lower() for w in works}) == len(works)
    assert len({w.openalex_id for w in works}) == len(works)
    assert len({cat.fold(w.title) for w in works}) == len(works)
    assert {w.type for w in works} == {"journal-article", "book", "book-chapter"}
    assert {w.language for w in works} >= {"en", "de", "fr", "es"}


def test_catalogue_has_the_editorial_cases() -> None:
    retracted = cat.tagged("retracted")
    assert len(retracted) >= 5 and all(w.is_retracted for w in retracted)
    sources = {u.source for w in retracted for u in w.updated_by if u.type == "retraction"}
    assert sources == {"retraction-watch", "publisher"}
    assert all(u.record_id for w in retracted for u in w.updated_by if u.source == "retraction-watch")
    assert [len(cat.tagged(t)) for t in ("eoc", "corrected")] == [2, 2]
    assert {u.type for w in cat.tagged("eoc") for u in w.updated_by} == {"expression_of_concern"}
    assert {u.type for w in cat.tagged("corrected") for u in w.updated_by} == {"correction"}
    assert not any(w.is_retracted for w in cat.tagged("eoc") + cat.tagged("corrected"))
    [notice] = cat.tagged("retraction-notice")
    assert not notice.is_retracted and not notice.updated_by
    [update] = notice.update_to
    target = cat.by_doi()[update.doi]
    assert update.type == "retraction" and target.is_retracted and notice.doi in {u.doi for u in target.updated_by}
    assert len(cat.tagged("merged")) == 3
    assert all(w.online_year == w.year - 1 for w in cat.tagged("online-year"))


def test_book_reviews_are_journal_articles_titled_after_their_books() -> None:
    books = cat.tagged("reviewed-book")
    assert len(books) >= 3
    for book in books:
        review = cat.review_of(book)
        assert review is not None and book.type == "book" and review.type == "journal-article"
        assert review.title == f"Review of: {book.title}"
        assert review.index < book.index  # a title-only search meets the review first


def test_crossref_message_has_the_documented_shape() -> None:
    work = next(w for w in cat.tagged("retracted") if any(u.type == "correction" for u in w.updated_by))
    m = cat.crossref_message(work)
    assert m["DOI"] == work.doi and m["title"] == [work.title] and m["type"] == "journal-article"
    assert [a["sequence"] for a in m["author"]] == ["first"] + ["additional"] * (len(work.authors) - 1)
    assert {"given", "family"} <= set(m["author"][0])
    assert m["issued"] == {"date-parts": [list(work.issued)]}
    assert m["published-print"]["date-parts"] == [[work.year, work.month, work.day]]
    assert m["container-title"] == [work.container] and m["page"] == f"{work.first_page}-{work.last_page}"
    assert [(u["type"], u["source"]) for u in m["updated-by"]] == [
        ("correction", "retraction-watch"),
        ("retraction", "retraction-watch"),
    ]
    assert set(m["updated-by"][1]) == {"updated", "DOI", "type", "source", "label", "record-id"}
    notice = cat.crossref_message(cat.tagged("retraction-notice")[0])
    assert "update-to" in notice and "updated-by" not in notice and "author" not in notice
    online = cat.crossref_message(cat.tagged("online-year")[0])
    assert online["published-online"]["date-parts"][0][0] + 1 == online["published-print"]["date-parts"][0][0]
    book = cat.crossref_message(cat.tagged("reviewed-book")[0])
    assert "container-title" in book and book["container-title"] == [] and book["ISBN"] and "page" not in book


def test_openalex_work_has_the_documented_shape() -> None:
    work = cat.tagged("retracted")[0]
    o = cat.openalex_work(work)
    assert o["id"] == f"https://openalex.org/{work.openalex_id}" and o["doi"] == f"https://doi.org/{work.doi}"
    assert o["title"] == o["display_name"] == work.title and o["publication_year"] == work.issued[0]
    assert o["is_retracted"] is True and o["type"] == "article" and o["type_crossref"] == "journal-article"
    assert [a["raw_author_name"] for a in o["authorships"]] == [f"{g} {f}" for g, f in work.authors]
    assert o["authorships"][0]["author"]["display_name"] == " ".join(work.authors[0])
    assert o["primary_location"]["source"]["display_name"] == work.container
    assert o["biblio"] == {"volume": work.volume, "issue": work.issue, "first_page": work.first_page, "last_page": work.last_page}
    assert cat.openalex_work(cat.tagged("retraction-notice")[0])["type"] == "retraction"


# --- the acceptance bibliography ---------------------------------------------------------------------


def test_bibliography_100_has_the_agreed_composition() -> None:
    s = cat.bibliography_100()
    keys = [r["key"] for r in s.references]
    assert len(keys) == 100 == len(set(keys)) and set(keys) == set(s.expected) == set(s.categories) == set(s.works)
    assert Counter(s.expected.values()) == {
        "ok": 72,
        "metadata-mismatch": 10,
        "reference-not-found": 6,
        "doi-not-found": 4,
        "retracted-work": 3,
        "unverified": 5,
    }
    genuine = [r for r in s.references if s.expected[r["key"]] == "ok"]
    assert Counter(bool(r["doi"]) for r in genuine) == {True: 36, False: 36}
    assert {r["kind"] for r in genuine} == {"article", "book", "chapter"}
    assert s.timeout_keys == {k for k, v in s.expected.items() if v == "unverified"}
    assert {s.works[k] for k in s.timeout_keys} <= s.registry_timeouts
    assert cat.bibliography_100().references == s.references  # fresh objects, same content


def test_bibliography_references_cite_their_works() -> None:
    s = cat.bibliography_100()
    for ref in s.references:
        doi = s.works[ref["key"]]
        if doi is None:
            continue
        work = cat.by_doi()[doi]
        assert cat.content_words(ref["title"]) == cat.content_words(work.plain_title), ref["key"]
        assert ref["doi"] is None or ref["doi"].lower() == doi
        if s.expected[ref["key"]] == "ok":
            assert ref["year"] in (work.year, work.online_year)
            assert (ref["volume"], ref["first_page"]) == (work.volume, work.first_page)
        if s.categories[ref["key"]] == "miscited-year":
            assert abs(ref["year"] - work.year) >= 2


def test_fabricated_references_exist_nowhere() -> None:
    s = cat.bibliography_100()
    titles = [cat.content_words(w.title) for w in cat.catalogue()]
    families = {cat.fold(f) for w in cat.catalogue() for _, f in w.authors}
    fabricated = [r for r in s.references if s.works[r["key"]] is None]
    assert len(fabricated) == 10
    for ref in fabricated:
        mine = cat.content_words(ref["title"])
        assert max(len(mine & t) / len(mine | t) for t in titles) < 0.3, ref["title"]
        assert not {cat.fold(a["family"]) for a in ref["authors"]} & families
        assert ref["doi"] is None or ref["doi"].lower() not in cat.by_doi()


def test_bibliography_files_are_in_step() -> None:
    for name, text in cat.bibliography_files().items():
        assert (DATA / name).read_text(encoding="utf-8") == text, f"rewrite with: python3 tests/registry_catalogue.py ({name})"
    items = json.loads((DATA / "bibliography-100.json").read_text(encoding="utf-8"))
    assert len(items) == 100 and {i["type"] for i in items} == {"article-journal", "book", "chapter"}
    assert all({"id", "type", "author", "issued", "title"} <= set(i) for i in items)
    assert sum("DOI" in i for i in items) == 50


def test_fixture_files_are_in_step_and_described() -> None:
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    documents = fixture_documents()
    for name, body in documents.items():
        assert (DATA / name).read_text(encoding="utf-8") == fixture_text(body), f"rewrite with --write-fixtures ({name})"
    for path in DATA.glob("*.json"):
        assert f"`{path.name}`" in readme
    search = documents["crossref-search.json"]["message"]["items"]
    assert len(search) == 3 and [i["type"] for i in search[:2]] == ["journal-article", "book"]
    assert search[0]["title"][0] == f"Review of: {search[1]['title'][0]}"
    retracted = documents["crossref-work-retracted.json"]["message"]["updated-by"]
    assert any(u["type"] == "retraction" and u["source"] == "retraction-watch" for u in retracted)
    assert documents["openalex-work-retracted.json"]["is_retracted"] is True


# --- routes ------------------------------------------------------------------------------------------


def test_crossref_work_by_doi(registry: FakeRegistry, http: requests.Session) -> None:
    work = plain_work()
    r = http.get(f"{registry.crossref_url}/works/{work.doi}")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert {k: body[k] for k in ("status", "message-type", "message-version")} == {
        "status": "ok",
        "message-type": "work",
        "message-version": "1.0.0",
    }
    assert body["message"] == cat.crossref_message(work)
    headers = {k: r.headers[k] for k in ("x-rate-limit-limit", "x-rate-limit-interval", "x-concurrency-limit", "x-api-pool")}
    assert headers == {
        "x-rate-limit-limit": "50",
        "x-rate-limit-interval": "1s",
        "x-concurrency-limit": "5",
        "x-api-pool": "public",
    }
    polite = http.get(f"{registry.crossref_url}/works/{work.doi}", params={"mailto": "editor@example.org"})
    assert polite.headers["x-api-pool"] == "polite"


@pytest.mark.parametrize("form", ["upper", "encoded", "encoded-upper"])
def test_crossref_doi_is_case_insensitive_and_may_be_percent_encoded(
    registry: FakeRegistry, http: requests.Session, form: str
) -> None:
    work = cat.tagged("sici")[0]  # "10.5555/(sici)...<...>...;2-x": characters that must be encoded
    doi = {"upper": work.doi.upper(), "encoded": quote(work.doi, safe=""), "encoded-upper": quote(work.doi.upper(), safe="")}[
        form
    ]
    r = http.get(f"{registry.crossref_url}/works/{doi}")
    assert r.status_code == 200 and r.json()["message"]["DOI"] == work.doi


def test_crossref_unknown_doi_is_404_resource_not_found(registry: FakeRegistry, http: requests.Session) -> None:
    for doi in ("10.5555/cc.9999", cat.tagged("not-in-crossref")[0].doi):
        r = http.get(f"{registry.crossref_url}/works/{doi}")
        assert (r.status_code, r.text) == (404, "Resource not found.")
        assert r.headers["x-rate-limit-limit"] == "50"


def test_crossref_agency(registry: FakeRegistry, http: requests.Session) -> None:
    work = plain_work()
    r = http.get(f"{registry.crossref_url}/works/{work.doi}/agency")
    assert r.json()["message"] == {"DOI": work.doi, "agency": {"id": "crossref", "label": "Crossref"}}
    assert http.get(f"{registry.crossref_url}/works/10.5555/nope/agency").status_code == 404


def test_crossref_search_ranks_the_cited_work_first(registry: FakeRegistry, http: requests.Session) -> None:
    work = plain_work(3)
    q = f"{work.title} {work.authors[0][1]} {work.year} {work.container}"
    r = http.get(f"{registry.crossref_url}/works", params={"query.bibliographic": q, "rows": "4", "mailto": "a@b.org"})
    message = r.json()["message"]
    assert r.json()["message-type"] == "work-list" and message["items-per-page"] == 4 and len(message["items"]) == 4
    assert message["total-results"] >= 4 and message["query"] == {"start-index": 0, "search-terms": q}
    assert message["items"][0]["DOI"] == work.doi
    scores = [i["score"] for i in message["items"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 2 * scores[1]


def test_crossref_field_queries_are_anded(registry: FakeRegistry, http: requests.Session) -> None:
    work = plain_work(4)
    found = http.get(
        f"{registry.crossref_url}/works", params={"query.title": work.title, "query.author": work.authors[0][1]}
    ).json()
    assert found["message"]["items"][0]["DOI"] == work.doi
    none = http.get(f"{registry.crossref_url}/works", params={"query.title": work.title, "query.author": "Zyxwvut"}).json()
    assert none["message"]["total-results"] == 0 and none["message"]["items"] == []


def test_crossref_filters_select_and_validation(registry: FakeRegistry, http: requests.Session) -> None:
    url = f"{registry.crossref_url}/works"
    books = http.get(url, params={"filter": "type:book", "rows": "100", "select": "DOI,type,title"}).json()["message"]
    assert books["total-results"] == 12 and {i["type"] for i in books["items"]} == {"book"}
    assert all(set(i) == {"DOI", "type", "title"} for i in books["items"])
    notices = http.get(url, params={"filter": "update-type:retraction"}).json()["message"]
    assert [i["DOI"] for i in notices["items"]] == [cat.tagged("retraction-notice")[0].doi]
    recent = http.get(url, params={"filter": "from-pub-date:2020,until-pub-date:2020-12-31", "rows": "1000"}).json()["message"]
    assert recent["total-results"] > 0 and {i["issued"]["date-parts"][0][0] for i in recent["items"]} == {2020}
    bad = http.get(url, params={"filter": "no-such-filter:1"})
    assert bad.status_code == 400 and bad.json()["message-type"] == "validation-failure"
    assert http.get(url, params={"rows": "5000"}).status_code == 400


def test_book_review_outranks_the_book_so_a_client_must_check_the_type(registry: FakeRegistry, http: requests.Session) -> None:
    book = cat.tagged("reviewed-book")[1]
    items = http.get(f"{registry.crossref_url}/works", params={"query.bibliographic": book.title}).json()["message"]["items"]
    assert [(i["type"], i["title"][0]) for i in items[:2]] == [
        ("journal-article", f"Review of: {book.title}"),
        ("book", book.title),
    ]
    assert items[0]["relation"]["is-review-of"][0]["id"] == book.doi
    results = http.get(f"{registry.openalex_url}/works", params={"search": book.title}).json()["results"]
    assert [r["type"] for r in results[:2]] == ["review", "book"]


@pytest.mark.parametrize(
    "form", ["doi:{doi}", "https://doi.org/{doi}", "{encoded}", "doi:{upper}", "{wid}", "https://openalex.org/{wid}"]
)
def test_openalex_single_work(registry: FakeRegistry, http: requests.Session, form: str) -> None:
    work = plain_work(1)
    ident = form.format(
        doi=work.doi, upper=work.doi.upper(), encoded=quote(f"https://doi.org/{work.doi}", safe=""), wid=work.openalex_id.lower()
    )
    r = http.get(f"{registry.openalex_url}/works/{ident}")
    assert r.status_code == 200 and r.json() == cat.openalex_work(work)


def test_openalex_unknown_is_404_json(registry: FakeRegistry, http: requests.Session) -> None:
    for ident in ("doi:10.5555/cc.9999", "W1", f"doi:{cat.tagged('not-in-openalex')[0].doi}"):
        r = http.get(f"{registry.openalex_url}/works/{ident}")
        assert r.status_code == 404 and "error" in r.json()


def test_openalex_merged_id_answers_301_to_the_new_id(registry: FakeRegistry, http: requests.Session) -> None:
    for work in cat.tagged("merged"):
        old = work.merged_ids[0]
        r = http.get(f"{registry.openalex_url}/works/{old}", allow_redirects=False)
        assert r.status_code == 301 and r.headers["Location"] == f"{registry.openalex_url}/works/{work.openalex_id}"
        followed = http.get(f"{registry.openalex_url}/works/{old}")
        assert followed.history[0].status_code == 301 and followed.json()["id"].endswith(work.openalex_id)


def test_openalex_search_and_filters(registry: FakeRegistry, http: requests.Session) -> None:
    work = plain_work(2)
    url = f"{registry.openalex_url}/works"
    body = http.get(url, params={"search": work.title, "per-page": "3"}).json()
    assert set(body["meta"]) >= {"count", "per_page", "page", "db_response_time_ms"} and body["meta"]["per_page"] == 3
    assert body["results"][0]["id"].endswith(work.openalex_id) and body["results"][0]["relevance_score"] > 0
    # OpenAlex's search wants every word in the title, abstract or full text: a surname, a year or
    # the journal's name sent with the title finds nothing
    for extra in (work.authors[0][1], str(work.year), work.container or work.publisher):
        assert http.get(url, params={"search": f"{work.title} {extra}"}).json()["meta"]["count"] == 0, extra
    years = f"publication_year:{work.year - 1}-{work.year + 1}"
    assert http.get(url, params={"search": work.title, "filter": years}).json()["results"][0]["id"].endswith(work.openalex_id)
    elsewhen = f"publication_year:{work.year + 2}-{work.year + 4}"
    assert all(
        not r["id"].endswith(work.openalex_id)
        for r in http.get(url, params={"search": work.title, "filter": elsewhen}).json()["results"]
    )
    titled = http.get(url, params={"filter": f"title.search:{work.title}"}).json()
    assert titled["results"][0]["doi"] == f"https://doi.org/{work.doi}"
    # every word must match: an author's name is not in a title
    assert http.get(url, params={"filter": f"title.search:{work.title} {work.authors[0][1]}"}).json()["meta"]["count"] == 0
    by_doi = http.get(url, params={"filter": f"doi:https://doi.org/{work.doi}|{plain_work(5).doi}"}).json()
    assert by_doi["meta"]["count"] == 2 and "relevance_score" not in by_doi["results"][0]
    retracted = http.get(url, params={"filter": "is_retracted:true", "per-page": "50"}).json()
    assert retracted["meta"]["count"] == len(cat.tagged("retracted"))
    assert http.get(url, params={"per-page": "500"}).status_code == 400
    assert http.get(url, params={"filter": "nonsense:1"}).json()["error"]


def test_head_and_unknown_routes(registry: FakeRegistry, http: requests.Session) -> None:
    head = http.head(f"{registry.crossref_url}/works/{plain_work().doi}")
    assert head.status_code == 200 and head.content == b"" and int(head.headers["Content-Length"]) > 0
    assert http.head(f"{registry.crossref_url}/works/10.5555/nope").status_code == 404
    assert http.get(f"{registry.base_url}/elsewhere").status_code == 404


def test_request_log_records_method_path_query_and_time(registry: FakeRegistry, http: requests.Session) -> None:
    before = time.monotonic()
    doi = plain_work().doi
    http.get(f"{registry.crossref_url}/works/{quote(doi, safe='')}", params={"mailto": "a@b.org"})
    method, path, query, when = registry.requests[-1]
    assert (method, path, query) == ("GET", f"/crossref/works/{doi}", {"mailto": "a@b.org"})
    assert before <= when <= time.monotonic()
    assert registry.count("/crossref/works/") >= 1


# --- misbehaviour ------------------------------------------------------------------------------------


def test_latency_is_added_to_every_answer() -> None:
    with FakeRegistry(latency=0.2) as reg, requests.Session() as http:
        for url in (f"{reg.crossref_url}/works/{plain_work().doi}", f"{reg.openalex_url}/works?search=x"):
            start = time.monotonic()
            http.get(url)
            assert time.monotonic() - start >= 0.2


def test_timeout_keys_stall_their_look_ups_and_nothing_else() -> None:
    slow, titled, other = plain_work(6), plain_work(7), plain_work(8)
    with FakeRegistry(timeouts={slow.doi, titled.title}, timeout_sleep=3.0) as reg, requests.Session() as http:
        stalled = [
            f"{reg.crossref_url}/works/{slow.doi.upper()}",
            f"{reg.openalex_url}/works/doi:{slow.doi}",
            f"{reg.crossref_url}/works?query.bibliographic={quote(slow.title.lower())}",  # a DOI key stalls its title too
            f"{reg.openalex_url}/works?search={quote(titled.title + ' ' + titled.authors[0][1])}",
        ]
        for url in stalled:
            with pytest.raises(requests.exceptions.ReadTimeout):
                http.get(url, timeout=0.25)
        start = time.monotonic()
        assert http.get(f"{reg.crossref_url}/works/{other.doi}", timeout=2).status_code == 200
        assert http.get(f"{reg.crossref_url}/works/{titled.doi}", timeout=2).status_code == 200  # a title key: searches only
        assert time.monotonic() - start < 0.5


def test_an_abandoned_look_up_leaves_the_in_flight_count() -> None:
    work = plain_work(6)
    with FakeRegistry(timeouts={work.doi}, timeout_sleep=3.0) as reg:
        with pytest.raises(requests.exceptions.ReadTimeout):
            requests.get(f"{reg.crossref_url}/works/{work.doi}", timeout=0.2)
        deadline = time.monotonic() + 1
        while reg.in_flight and time.monotonic() < deadline:
            time.sleep(0.02)
        assert reg.in_flight == 0 and reg.status_counts[499] == 1


def test_a_stalled_look_up_answers_after_timeout_sleep() -> None:
    work = plain_work(6)
    with FakeRegistry(timeouts={work.doi}, timeout_sleep=0.3) as reg:
        start = time.monotonic()
        r = requests.get(f"{reg.crossref_url}/works/{work.doi}", timeout=5)
        assert r.status_code == 200 and time.monotonic() - start >= 0.3


def test_close_wakes_requests_that_are_asleep() -> None:
    work = plain_work(6)
    reg = FakeRegistry(timeouts={work.doi}, timeout_sleep=60).start()
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            requests.get(f"{reg.crossref_url}/works/{work.doi}", timeout=10)
        except requests.RequestException as e:
            errors.append(e)

    thread = threading.Thread(target=ask)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    reg.close()
    thread.join(timeout=5)
    assert not thread.is_alive() and errors and time.monotonic() - start < 2


def test_faults_are_served_in_order_then_the_normal_answer() -> None:
    work = plain_work()
    faults: dict[str, list[Any]] = {work.doi: [(429, {"Retry-After": "1"}), (429, {}), (503, {}), "malformed-json"]}
    with FakeRegistry(faults=faults) as reg, requests.Session() as http:
        url = f"{reg.crossref_url}/works/{work.doi}"
        answers = [http.get(url) for _ in range(5)]
        assert [a.status_code for a in answers] == [429, 429, 503, 200, 200]
        assert answers[0].headers["Retry-After"] == "1" and "Retry-After" not in answers[1].headers
        assert answers[0].headers["x-concurrency-limit"] == "5"  # faults carry Crossref's headers too
        with pytest.raises(requests.exceptions.JSONDecodeError):
            answers[3].json()
        assert answers[4].json()["message"]["DOI"] == work.doi
        assert reg.pending_faults() == {}


def test_faults_by_path_prefix_and_wildcard() -> None:
    work = plain_work()
    with FakeRegistry(faults={"/openalex": [403, "html", "empty"]}) as reg, requests.Session() as http:
        oa = f"{reg.openalex_url}/works/doi:{work.doi}"
        assert http.get(f"{reg.crossref_url}/works/{work.doi}").status_code == 200  # Crossref is not affected
        first, second, third = http.get(oa), http.get(oa), http.get(oa)
        assert first.status_code == 403 and "error" in first.json()
        assert second.status_code == 502 and second.headers["Content-Type"] == "text/html"
        assert third.status_code == 200 and third.content == b""
        assert http.get(oa).json()["doi"] == f"https://doi.org/{work.doi}"
        reg.add_faults("*", "disconnect")
        with pytest.raises(requests.exceptions.ConnectionError):
            http.get(f"{reg.crossref_url}/works/{work.doi}")
        assert http.get(f"{reg.crossref_url}/works/{work.doi}").status_code == 200


def _concurrently(url: str, n: int) -> list[int]:
    statuses: list[int] = []
    barrier = threading.Barrier(n)

    def one() -> None:
        barrier.wait()
        statuses.append(requests.get(url, timeout=5).status_code)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_in_flight_counter_sees_parallel_requests_and_not_sequential_ones() -> None:
    with FakeRegistry() as reg, requests.Session() as http:
        url = f"{reg.crossref_url}/works/{plain_work().doi}"
        for fresh in (False, True) * 10:  # on one connection, and each on a new one
            (requests if fresh else http).get(url)
        assert reg.max_in_flight == 1
        reg.latency = 0.3
        assert _concurrently(url, 4) == [200] * 4
        assert reg.max_in_flight == 4 and reg.in_flight == 0


def test_concurrency_limit_answers_429_beyond_it() -> None:
    with FakeRegistry(latency=0.3, concurrency_limit=2) as reg:
        statuses = _concurrently(f"{reg.crossref_url}/works/{plain_work().doi}", 4)
        assert Counter(statuses) == {200: 2, 429: 2}


def test_request_cap_stops_a_runaway_client() -> None:
    with FakeRegistry(max_requests=3) as reg, requests.Session() as http:
        url = f"{reg.crossref_url}/works/{plain_work().doi}"
        assert [http.get(url).status_code for _ in range(5)] == [200, 200, 200, 410, 410]
        assert reg.cap_reached == "requests" and len(reg.requests) == 5


def test_duration_cap_stops_answering() -> None:
    with FakeRegistry(max_duration=0.2) as reg:
        url = f"{reg.crossref_url}/works/{plain_work().doi}"
        assert requests.get(url, timeout=2).status_code == 200
        time.sleep(0.3)
        assert requests.get(url, timeout=2).status_code == 410 and reg.cap_reached == "duration"
