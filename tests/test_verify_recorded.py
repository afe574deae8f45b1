"""Verdicts from registry answers in their documented shapes (tests/data/registry/), one per file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import responses

from citecheck.model import Author, Reference, Span
from citecheck.rules import Context, run_rules
from citecheck.verify import Settings, verify_references
from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers CC301-CC309, run alone too)
from citecheck.verify.records import from_crossref, from_openalex

DATA = Path(__file__).resolve().parent / "data" / "registry"
CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"


def body(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def as_reference(message: dict[str, Any], with_doi: bool = True, **change: Any) -> Reference:
    """The entry an author would write for the work the message describes."""
    record = from_crossref(message)
    fields: dict[str, Any] = {
        "span": Span(0, 1),
        "text": record.title or "",
        "authors": tuple(Author(a) for a in record.authors),
        "year": str(record.years[-1] if len(record.years) > 1 else record.years[0]),
        "title": (record.title or "").removeprefix("RETRACTED: "),
        "container": record.container,
        "volume": record.volume,
        "issue": record.issue,
        "doi": record.doi if with_doi else None,
        "kind": "book" if record.type == "book" else "article",
    }
    fields.update(change)
    return Reference(**fields)


def findings_for(reference: Reference, tmp_path: Path) -> set[str]:
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    verifications = verify_references([reference], settings)
    ctx = Context(
        text="", clean="", citations=[], references=[reference], links=[], has_reference_list=True, verifications=verifications
    )
    return {f.kind for f in run_rules(ctx)}


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        pytest.param("crossref-work-ok.json", set(), id="ok"),
        # one finding for the work, naming both notices (test_a_retracted_and_corrected_work_is_one_finding)
        pytest.param("crossref-work-retracted.json", {"retracted-work"}, id="retracted-and-corrected"),
        pytest.param("crossref-work-notice.json", set(), id="a-retraction-notice-is-not-retracted"),
        pytest.param("crossref-work-eoc.json", {"expression-of-concern"}, id="expression-of-concern"),
        pytest.param("crossref-work-corrected.json", {"corrected-work"}, id="corrected"),
    ],
)
@responses.activate
def test_crossref_work_verdicts(name: str, kinds: set[str], tmp_path: Path) -> None:
    message = body(name)["message"]
    responses.get(f"{CROSSREF}/works/{message['DOI']}", json=body(name))
    reference = as_reference(message)
    if not reference.authors:  # a notice has no authors; an entry for it would name the journal
        reference = as_reference(message, authors=(Author(message.get("publisher", "Publisher"), group=True),))
    assert findings_for(reference, tmp_path) == kinds


@responses.activate
def test_openalex_retraction_when_crossref_does_not_know_the_doi(tmp_path: Path) -> None:
    work = body("openalex-work-retracted.json")
    doi = work["doi"].removeprefix("https://doi.org/")
    responses.get(f"{CROSSREF}/works/{doi}", status=404, body="Resource not found.")
    responses.get(f"{OPENALEX}/works/doi:{doi}", json=work)
    record = from_openalex(work)
    reference = Reference(
        span=Span(0, 1), text="", authors=(Author(record.authors[0]),), year=str(record.years[0]), title=record.title, doi=doi
    )
    assert "retracted-work" in findings_for(reference, tmp_path)


@responses.activate
def test_a_book_searched_for_is_not_taken_for_its_review(tmp_path: Path) -> None:
    search = body("crossref-search.json")
    book = next(item for item in search["message"]["items"] if item["type"] == "book")
    responses.get(f"{CROSSREF}/works", json=search)
    reference = as_reference(book, with_doi=False, kind="book")
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    (verdict,) = verify_references([reference], settings)
    assert verdict.status == "ok"
    assert verdict.record is not None and verdict.record.doi == book["DOI"].lower()


def test_openalex_search_shape_is_read() -> None:
    results = body("openalex-search.json")["results"]
    records = [from_openalex(r) for r in results]
    assert all(r.title for r in records) and any(r.type == "book" for r in records)


def findings(reference: Reference, tmp_path: Path) -> list[Any]:
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    verifications = verify_references([reference], settings)
    ctx = Context(
        text="", clean="", citations=[], references=[reference], links=[], has_reference_list=True, verifications=verifications
    )
    return list(run_rules(ctx))


@responses.activate
def test_a_retracted_and_corrected_work_is_one_finding(tmp_path: Path) -> None:
    message = body("crossref-work-retracted.json")["message"]
    responses.get(f"{CROSSREF}/works/{message['DOI']}", json=body("crossref-work-retracted.json"))
    (found,) = findings(as_reference(message), tmp_path)
    assert found.kind == "retracted-work" and "retraction on 2020-08-15" in found.message
    assert "also correction on 2018-11-13" in found.message


@responses.activate
def test_a_notice_that_also_says_it_is_updated_by_a_retraction_is_not_retracted(tmp_path: Path) -> None:
    # Some publishers give the retraction notice an "updated-by" retraction too (pointing at itself
    # or at the notice it is): it is the notice, not a retracted work.
    notice = json.loads(json.dumps(body("crossref-work-notice.json")))
    message = notice["message"]
    for target in (message["DOI"], message["update-to"][0]["DOI"]):
        message["updated-by"] = [{**message["update-to"][0], "DOI": target}]
        responses.upsert(responses.GET, f"{CROSSREF}/works/{message['DOI']}", json=notice)
        reference = as_reference(message, authors=(Author(message.get("publisher", "Publisher"), group=True),))
        assert findings(reference, tmp_path / target.replace("/", "_")) == []


@responses.activate
def test_a_title_marked_retracted_is_a_retraction_never_a_title_mismatch(tmp_path: Path) -> None:
    ok = json.loads(json.dumps(body("crossref-work-ok.json")))
    message = ok["message"]
    listed = as_reference(message)  # the title as the author cited it
    message["title"] = [f"RETRACTED: {message['title'][0]}"]
    responses.get(f"{CROSSREF}/works/{message['DOI']}", json=ok)
    (found,) = findings(listed, tmp_path)
    assert found.kind == "retracted-work" and "registered title is marked as retracted" in found.message
