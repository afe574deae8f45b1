"""Registry answers of the wrong shape, odd headers, redirects and slow answers (with ``responses``).

None of them may crash the audit, and none may turn a genuine work into ``doi-not-found``,
``reference-not-found`` or ``doi-mismatch``: an answer that is not a well-formed answer from the
registry leaves the reference ``unverified`` for this run (and is not cached).
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import pytest
import responses

from citecheck.cli import EXIT_INTERNAL, run
from citecheck.model import Author, Pages, Reference, Span
from citecheck.verify import verify_references
from citecheck.verify.client import MAX_BODY, MAX_REDIRECTS, RegistryClient, Settings

CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"
DOI = "10.5555/a.1"
TITLE = "Forest recovery after fire"
ERRORS = {"doi-not-found", "reference-not-found", "doi-mismatch"}  # findings a hostile answer must never cause
_sleep = time.sleep  # the real one, for a registry that answers slowly


def message(**change: Any) -> dict[str, Any]:
    work: dict[str, Any] = {
        "DOI": DOI,
        "title": [TITLE],
        "author": [{"given": "T.", "family": "Reed", "sequence": "first"}],
        "issued": {"date-parts": [[2016, 3, 1]]},
        "container-title": ["Journal of Tests"],
        "volume": "12",
        "issue": "3",
        "page": "45-67",
        "type": "journal-article",
    }
    work.update(change)
    return work


def work(**change: Any) -> dict[str, Any]:
    return {"status": "ok", "message-type": "work", "message": message(**change)}


def ref(doi: str | None = DOI) -> Reference:
    return Reference(
        span=Span(0, 10),
        text=TITLE,
        authors=(Author("Reed", "T"),),
        year="2016",
        title=TITLE,
        container="Journal of Tests",
        volume="12",
        issue="3",
        pages=Pages("45", "67"),
        doi=doi,
        kind="article",
    )


def settings(tmp_path: Path, **kw: Any) -> Settings:
    kw.setdefault("retries", 0)
    return Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", **kw)


def client(tmp_path: Path, **kw: Any) -> RegistryClient:
    return RegistryClient(settings(tmp_path, **kw))


def verdict(reference: Reference, tmp_path: Path, **kw: Any) -> Any:
    return verify_references([reference], settings(tmp_path, **kw))[0]


def openalex_knows_nothing() -> None:
    """OpenAlex's genuine answers: the DOI unknown, the search empty."""
    responses.get(f"{OPENALEX}/works/doi:{DOI}", status=404, json={"error": "Not Found", "message": "no such work"})
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff waits are recorded, not slept."""
    recorded: list[float] = []
    monkeypatch.setattr("citecheck.verify.client.time.sleep", recorded.append)
    return recorded


# -- bodies of the wrong shape ------------------------------------------------------------------


@responses.activate
def test_a_message_that_is_a_string_is_unverified(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json={"message": "busy"})
    openalex_knows_nothing()
    v = verdict(ref(), tmp_path)
    assert v.status == "unverified" and "crossref answered in an unexpected shape" in v.detail
    assert v.registries == ("openalex",)
    # not cached: the next run asks Crossref again
    responses.replace(responses.GET, f"{CROSSREF}/works/{DOI}", json=work())
    assert verdict(ref(), tmp_path).status == "ok"


@responses.activate
def test_items_that_are_a_number_are_unverified_not_not_found(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": 5}})
    openalex_knows_nothing()
    v = verdict(ref(doi=None), tmp_path)
    assert v.status == "unverified" and "'items' is a number" in v.detail
    assert v.registries == ("openalex",)


@responses.activate
def test_authors_that_are_strings_are_unverified(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(author=["Smith"]))
    openalex_knows_nothing()
    v = verdict(ref(), tmp_path)
    assert v.status == "unverified" and "'author' is not a list of objects" in v.detail
    # the same item in a search result
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": [message(author=["Smith"])]}})
    assert verdict(ref(doi=None), tmp_path).status == "unverified"


@responses.activate
def test_a_page_that_is_a_number_is_read_as_its_digits(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(page=45, volume=12))
    v = verdict(ref(), tmp_path)
    assert v.status == "ok" and v.record.first_page == "45" and v.record.volume == "12"


@responses.activate
def test_an_empty_object_is_unverified(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json={})
    responses.get(f"{CROSSREF}/works", json={})
    openalex_knows_nothing()
    assert verdict(ref(), tmp_path).status == "unverified"
    assert verdict(ref(doi=None), tmp_path).status == "unverified"


@responses.activate
def test_an_empty_list_is_unverified(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json=[])
    responses.get(f"{CROSSREF}/works", json=[])
    responses.get(f"{OPENALEX}/works/doi:{DOI}", json=[])
    responses.get(f"{OPENALEX}/works", json=[])
    for reference in (ref(), ref(doi=None)):
        v = verdict(reference, tmp_path)
        assert v.status == "unverified" and "the answer is a list, not an object" in v.detail


@responses.activate
def test_a_work_without_its_doi_is_no_doi_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json={"status": "ok", "message": {}})
    openalex_knows_nothing()
    assert verdict(ref(), tmp_path).status == "unverified"


@responses.activate
def test_a_record_without_a_title_is_no_doi_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(title=[], author=[]))
    v = verdict(ref(), tmp_path)
    assert v.status == "unverified" and "no title to compare" in v.detail


@responses.activate
def test_json_nested_too_deep_is_malformed_not_a_crash(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", body="[" * 200_000, content_type="application/json")
    answer = client(tmp_path).crossref_work(DOI)
    assert not answer.ok and "malformed" in (answer.error or "")


@responses.activate
def test_an_html_404_from_a_proxy_is_no_proof_of_absence(tmp_path: Path) -> None:
    page = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>nginx</p></body></html>"
    responses.get(f"{CROSSREF}/works/{DOI}", status=404, body=page, content_type="text/html")
    openalex_knows_nothing()
    answer = client(tmp_path).crossref_work(DOI)
    assert answer.status == 404 and not answer.not_found and "not its own" in (answer.error or "")
    v = verdict(ref(), tmp_path)
    assert v.status == "unverified" and v.registries == ("openalex",)
    # the registries' own 404s, and no agency that registered it, still mean the DOI does not exist
    responses.replace(responses.GET, f"{CROSSREF}/works/{DOI}", status=404, body="Resource not found.")
    responses.get(f"{CROSSREF}/works/{DOI}/agency", status=404, body="Resource not found.")
    assert verdict(ref(), tmp_path).status == "doi-not-found"


@responses.activate
def test_a_50_mb_body_is_not_read_whole(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", body=b" " * (50 * 2**20), content_type="application/json")
    openalex_knows_nothing()
    answer = client(tmp_path).crossref_work(DOI)
    assert not answer.ok and "more than 5 MB" in (answer.error or "")
    assert verdict(ref(), tmp_path).status == "unverified"


class _Endless(io.RawIOBase):
    """A body without end (and without a Content-Length): spaces, then it counts what was read."""

    def __init__(self, pause: float = 0.0) -> None:
        self.given = 0
        self.pause = pause

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self.pause:
            _sleep(self.pause)
            buffer[:1] = b" "
            n = 1
        else:
            n = len(buffer)
            buffer[:n] = b" " * n
        self.given += n
        return n


@responses.activate
def test_an_endless_body_is_cut_off_at_the_cap(tmp_path: Path) -> None:
    endless = _Endless()
    responses.get(f"{CROSSREF}/works/{DOI}", body=io.BufferedReader(endless), content_type="application/json")
    answer = client(tmp_path).crossref_work(DOI)
    assert not answer.ok and "more than 5 MB" in (answer.error or "")
    assert MAX_BODY < endless.given < MAX_BODY + 2**20


# -- headers ------------------------------------------------------------------------------------


@responses.activate
def test_a_superscript_concurrency_limit_is_ignored(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(), headers={"x-concurrency-limit": "²"})
    c = client(tmp_path, concurrency=4)
    assert c.crossref_work(DOI).ok and c.gate.limit == 4


@pytest.mark.parametrize("interval", ["-1s", "0s", "nans", "infs", "1e999s", "1x", "²s", ""])
@responses.activate
def test_a_negative_or_odd_rate_interval_is_ignored(tmp_path: Path, interval: str, waits: list[float]) -> None:
    headers = {"x-rate-limit-limit": "50", "x-rate-limit-interval": interval}
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(), headers=headers)
    c = client(tmp_path, cache=False)
    assert c.crossref_work(DOI).ok and c.crossref_work(DOI).ok  # the second request passes the pace
    assert c.paces["crossref"].rate == 0.0 and all(w >= 0 for w in waits)


@responses.activate
def test_a_rate_limit_of_5000_digits_is_ignored(tmp_path: Path) -> None:
    headers = {"x-rate-limit-limit": "9" * 5000, "x-rate-limit-interval": "1s", "x-concurrency-limit": "7" * 5000}
    responses.get(f"{CROSSREF}/works/{DOI}", json=work(), headers=headers)
    c = client(tmp_path, concurrency=4)
    assert c.crossref_work(DOI).ok
    assert c.paces["crossref"].rate == 0.0 and c.gate.limit == 4


@responses.activate
def test_a_superscript_retry_after_falls_back_to_the_backoff(tmp_path: Path, waits: list[float]) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", status=429, headers={"Retry-After": "²"})
    responses.get(f"{CROSSREF}/works/{DOI}", status=429, headers={"Retry-After": "9" * 5000})
    responses.get(f"{CROSSREF}/works/{DOI}", json=work())
    assert client(tmp_path, retries=3).crossref_work(DOI).ok
    assert len(waits) == 2 and 0.5 <= waits[0] <= 0.625 and 1.0 <= waits[1] <= 1.25


# -- redirects ----------------------------------------------------------------------------------


@responses.activate
def test_a_redirect_with_a_latin1_byte_is_no_crash(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", status=301, headers={"Location": "/works/10.5555/caf\xe9"})
    responses.get(f"{CROSSREF}/works/10.5555/caf%E9", json=work())
    answer = client(tmp_path).crossref_work(DOI)
    assert answer.ok and responses.calls[1].request.url == f"{CROSSREF}/works/10.5555/caf%E9"
    # to a host of Latin-1 bytes: refused, not a crash
    responses.get(f"{CROSSREF}/works/10.5555/b.2", status=302, headers={"Location": "http://caf\xe9.test/x"})
    assert "another host" in (client(tmp_path).crossref_work("10.5555/b.2").error or "")


@responses.activate
def test_a_redirect_to_another_host_is_not_followed(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{DOI}", status=302, headers={"Location": "https://elsewhere.test/works/x"})
    openalex_knows_nothing()
    c = client(tmp_path, mailto="editor@example.org")
    answer = c.crossref_work(DOI)
    assert answer.status == 302 and "another host (elsewhere.test); not followed" in (answer.error or "")
    assert [call.request.url.split("?")[0] for call in responses.calls] == [f"{CROSSREF}/works/{DOI}"]
    assert verdict(ref(), tmp_path).status == "unverified"


@responses.activate
def test_a_redirect_from_https_to_http_is_not_followed(tmp_path: Path) -> None:
    secure = "https://crossref.test"
    responses.get(f"{secure}/works/{DOI}", status=301, headers={"Location": f"http://crossref.test/works/{DOI}"})
    c = RegistryClient(Settings(crossref_url=secure, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3"))
    answer = c.crossref_work(DOI)
    assert not answer.ok and "from https to http" in (answer.error or "") and len(responses.calls) == 1
    # the other way, an upgrade to https on the same host, is followed
    responses.get(f"{CROSSREF}/works/10.5555/b.2", status=301, headers={"Location": f"{secure}/works/10.5555/b.2"})
    responses.get(f"{secure}/works/10.5555/b.2", json=work(DOI="10.5555/b.2"))
    assert client(tmp_path).crossref_work("10.5555/b.2").ok


@responses.activate
def test_a_redirect_loop_stops(tmp_path: Path) -> None:
    responses.get(f"{OPENALEX}/works/doi:{DOI}", status=301, headers={"Location": f"{OPENALEX}/works/W1"})
    responses.get(f"{OPENALEX}/works/W1", status=301, headers={"Location": f"{OPENALEX}/works/W2"})
    responses.get(f"{OPENALEX}/works/W2", status=308, headers={"Location": "/works/W1"})
    answer = client(tmp_path).openalex_work(DOI)
    assert not answer.ok and f"more than {MAX_REDIRECTS} times" in (answer.error or "")
    assert len(responses.calls) == MAX_REDIRECTS + 1


# -- slow answers -------------------------------------------------------------------------------


@responses.activate
def test_a_trickling_answer_is_bounded_by_one_deadline(tmp_path: Path) -> None:
    """Every byte comes well within the socket time-out; the whole answer never does."""
    responses.get(f"{CROSSREF}/works/{DOI}", body=io.BufferedReader(_Endless(pause=0.01)), content_type="application/json")
    start = time.monotonic()
    answer = client(tmp_path, timeout=0.3).crossref_work(DOI)
    assert time.monotonic() - start < 3.0
    assert answer.status is None and "did not answer within 0.3 s" in (answer.error or "")


# -- the whole audit ----------------------------------------------------------------------------


@responses.activate
def test_audit_verify_survives_every_hostile_answer(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each reference meets another hostile answer; the audit ends normally and calls none of them an error."""
    hostile = {
        "10.5555/h.1": {"json": {"message": "busy"}},
        "10.5555/h.2": {"json": work(author=["Smith"])},
        "10.5555/h.3": {"json": []},
        "10.5555/h.4": {"status": 404, "body": "<html><body>404</body></html>", "content_type": "text/html"},
        "10.5555/h.5": {"status": 301, "headers": {"Location": "http://elsewhere.test/\xe9"}},
        "10.5555/h.6": {"json": work(), "headers": {"x-concurrency-limit": "²", "x-rate-limit-interval": "-1s"}},
    }
    entries = []
    for n, (doi, answer) in enumerate(hostile.items(), start=1):
        responses.get(f"{CROSSREF}/works/{doi}", **answer)
        responses.get(f"{OPENALEX}/works/doi:{doi}", status=404, json={"error": "Not Found"})
        entries.append(f"Reed, T. (2016). {TITLE} {n}. Journal of Tests, 12(3), 45–67. https://doi.org/{doi}")
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": 5}})
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})
    entries.append(f"Reed, T. (2016). {TITLE} without a DOI. Journal of Tests, 12(3), 45–67.")
    cites = " ".join(f"(Reed, 2016{chr(96 + n)})" for n in range(1, len(entries) + 1))
    paper = tmp_path / "paper.txt"
    paper.write_text(f"Forests recover {cites}.\n\nReferences\n\n" + "\n\n".join(entries) + "\n", encoding="utf-8")
    code = run(["audit", "--verify", "--format", "json", "--crossref-url", CROSSREF, "--openalex-url", OPENALEX, str(paper)])
    out, err = capsys.readouterr()
    assert code != EXIT_INTERNAL and "Traceback" not in err and "internal error" not in err
    kinds = finding_kinds(json.loads(out))
    assert "unverified" in kinds and not ERRORS & kinds


def finding_kinds(report: Any) -> set[str]:
    """Every finding's kind, wherever the JSON report nests them."""
    if isinstance(report, list):
        return set().union(*(finding_kinds(x) for x in report)) if report else set()
    if isinstance(report, dict):
        own = {f["kind"] for f in report.get("findings", []) if isinstance(f, dict) and "kind" in f}
        return own.union(*(finding_kinds(v) for k, v in report.items() if k != "findings"))
    return set()
