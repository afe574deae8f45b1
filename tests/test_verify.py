"""Verdicts: what a reference becomes once the registries have answered (with ``responses``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import responses

import citecheck
from citecheck.model import Author, Pages, Reference, Span
from citecheck.verify import verify_references
from citecheck.verify.client import Settings
from citecheck.verify.match import mismatches, score
from citecheck.verify.records import from_crossref, from_openalex

CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"


def crossref(doi: str, title: str, family: str, year: int, **extra: Any) -> dict[str, Any]:
    message = {
        "DOI": doi,
        "title": [title],
        "author": [{"given": "A.", "family": family, "sequence": "first"}],
        "issued": {"date-parts": [[year, 3, 1]]},
        "container-title": ["Journal of Tests"],
        "volume": "12",
        "issue": "3",
        "page": "45-67",
        "type": "journal-article",
    }
    message.update(extra)
    return {"status": "ok", "message-type": "work", "message": message}


def ref(title: str = "Forest recovery after fire", doi: str | None = None, **kw: Any) -> Reference:
    fields: dict[str, Any] = {
        "span": Span(0, 10),
        "text": title,
        "authors": (Author("Reed", "T"),),
        "year": "2016",
        "title": title,
        "container": "Journal of Tests",
        "volume": "12",
        "issue": "3",
        "pages": Pages("45", "67"),
        "doi": doi,
        "kind": "article",
    }
    fields.update(kw)
    return Reference(**fields)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)


def verdict(reference: Reference, settings: Settings) -> Any:
    return verify_references([reference], settings)[0]


@responses.activate
def test_doi_that_matches_is_ok(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016))
    v = verdict(ref(doi="10.5555/a.1"), settings)
    assert v.status == "ok" and v.record.registry == "crossref"
    assert v.score is not None and v.score > 90


@responses.activate
def test_year_and_pages_that_differ_are_field_mismatches(settings: Settings) -> None:
    body = crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2013, page="101-118")
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=body)
    v = verdict(ref(doi="https://doi.org/10.5555/A.1"), settings)
    assert v.status == "metadata-mismatch"
    assert {(m.field, m.listed, m.registry) for m in v.mismatches} == {("year", "2016", "2013"), ("pages", "45–67", "101–118")}


@responses.activate
def test_print_and_online_years_one_apart_are_both_right(settings: Settings) -> None:
    body = crossref(
        "10.5555/a.1",
        "Forest recovery after fire",
        "Reed",
        2015,
        **{"published-online": {"date-parts": [[2015, 12]]}, "published-print": {"date-parts": [[2016, 2]]}},
    )
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=body)
    assert verdict(ref(doi="10.5555/a.1"), settings).status == "ok"


@responses.activate
def test_doi_of_another_work(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=crossref("10.5555/a.1", "Quantum dots in glass", "Zhang", 2009))
    assert verdict(ref(doi="10.5555/a.1"), settings).status == "doi-mismatch"


@responses.activate
def test_doi_unknown_to_both_registries_and_to_every_agency(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/none", status=404, body="Resource not found.")
    responses.get(f"{OPENALEX}/works/doi:10.5555/none", status=404, json={"error": "not found"})
    responses.get(f"{CROSSREF}/works/10.5555/none/agency", status=404, body="Resource not found.")
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": []}})
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})
    v = verdict(ref(doi="10.5555/none"), settings)
    assert v.status == "doi-not-found" and "does not resolve" in v.detail


DATACITE = "http://datacite.test"


def agency(doi: str, ident: str, label: str) -> dict[str, Any]:
    """Crossref's answer to /works/{doi}/agency, as documented."""
    message = {"DOI": doi, "agency": {"id": ident, "label": label}}
    return {"status": "ok", "message-type": "work-agency", "message-version": "1.0.0", "message": message}


def datacite(doi: str, title: str, family: str = "Reed", year: int = 2016) -> dict[str, Any]:
    """DataCite's answer to /dois/{doi}: a JSON:API document."""
    attributes = {
        "doi": doi,
        "titles": [{"title": title}, {"title": "Daten zur Waldregeneration", "titleType": "TranslatedTitle"}],
        "creators": [
            {"name": f"{family}, Tom", "nameType": "Personal", "givenName": "Tom", "familyName": family},
            {"name": "Forest Data Group", "nameType": "Organizational"},
        ],
        "publisher": "Dryad",
        "publicationYear": year,
        "types": {"resourceTypeGeneral": "Dataset", "resourceType": "Dataset"},
        "container": {},
    }
    return {"data": {"id": doi, "type": "dois", "attributes": attributes}}


def unknown_to_crossref_and_openalex(doi: str) -> None:
    responses.get(f"{CROSSREF}/works/{doi}", status=404, body="Resource not found.")
    responses.get(f"{OPENALEX}/works/doi:{doi}", status=404, json={"error": "Not Found"})


@pytest.fixture
def with_datacite(settings: Settings) -> Settings:
    import dataclasses

    return dataclasses.replace(settings, datacite_url=DATACITE)


@responses.activate
def test_a_datacite_doi_is_looked_up_at_datacite(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.5061/dryad.1")
    responses.get(f"{CROSSREF}/works/10.5061/dryad.1/agency", json=agency("10.5061/dryad.1", "datacite", "DataCite"))
    responses.get(f"{DATACITE}/dois/10.5061/dryad.1", json=datacite("10.5061/dryad.1", "Forest recovery after fire"))
    data = ref(kind="dataset", container=None, volume=None, issue=None, pages=None, doi="10.5061/dryad.1")
    v = verdict(data, with_datacite)
    assert v.status == "ok" and v.record.registry == "datacite" and v.record.authors == ("Reed", "Forest Data Group")
    assert v.record.title == "Forest recovery after fire" and v.record.year == 2016 and v.record.type == "dataset"
    assert v.registries == ("crossref", "openalex", "datacite")


@responses.activate
def test_a_datacite_doi_of_another_work_is_a_mismatch(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.5061/dryad.2")
    responses.get(f"{CROSSREF}/works/10.5061/dryad.2/agency", json=agency("10.5061/dryad.2", "datacite", "DataCite"))
    responses.get(
        f"{DATACITE}/dois/10.5061/dryad.2", json=datacite("10.5061/dryad.2", "Soil microbes of alpine meadows", "Okafor", 2009)
    )
    assert verdict(ref(doi="10.5061/dryad.2"), with_datacite).status == "doi-mismatch"


@responses.activate
def test_only_the_registering_agency_says_a_doi_does_not_exist(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.5061/dryad.3")
    responses.get(f"{CROSSREF}/works/10.5061/dryad.3/agency", json=agency("10.5061/dryad.3", "datacite", "DataCite"))
    errors = {"errors": [{"status": "404", "title": "The resource you are looking for doesn't exist."}]}
    responses.get(f"{DATACITE}/dois/10.5061/dryad.3", status=404, json=errors)
    v = verdict(ref(doi="10.5061/dryad.3"), with_datacite)
    assert v.status == "doi-not-found" and "DataCite" in v.detail


@responses.activate
def test_a_doi_of_an_agency_not_read_is_unverified_never_missing(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.1400/12345")
    responses.get(f"{CROSSREF}/works/10.1400/12345/agency", json=agency("10.1400/12345", "medra", "mEDRA"))
    v = verdict(ref(doi="10.1400/12345"), with_datacite)
    assert v.status == "unverified" and "mEDRA" in v.detail and len(responses.calls) == 3  # nothing asked of DataCite


@responses.activate
def test_an_agency_that_cannot_be_asked_leaves_the_doi_unverified(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.5061/dryad.4")
    responses.get(f"{CROSSREF}/works/10.5061/dryad.4/agency", status=503)
    v = verdict(ref(doi="10.5061/dryad.4"), with_datacite)
    assert v.status == "unverified" and "registration agency could not be asked" in v.detail


@responses.activate
def test_datacite_down_leaves_the_doi_unverified(with_datacite: Settings) -> None:
    unknown_to_crossref_and_openalex("10.5061/dryad.5")
    responses.get(f"{CROSSREF}/works/10.5061/dryad.5/agency", json=agency("10.5061/dryad.5", "datacite", "DataCite"))
    responses.get(f"{DATACITE}/dois/10.5061/dryad.5", status=404, body="<html>Not Found</html>", content_type="text/html")
    v = verdict(ref(doi="10.5061/dryad.5"), with_datacite)
    assert v.status == "unverified" and v.detail.startswith("DataCite: ")


def test_malformed_doi_is_invalid_and_the_work_is_searched(settings: Settings) -> None:
    with responses.RequestsMock() as mock:
        mock.get(
            f"{CROSSREF}/works",
            json={
                "status": "ok",
                "message": {"items": [crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016)["message"]]},
            },
        )
        v = verdict(ref(doi="10.5555 /a.1"), settings)
    assert v.status == "doi-invalid" and v.record is not None and v.record.doi == "10.5555/a.1"


@responses.activate
def test_search_finds_the_work_without_a_doi(settings: Settings) -> None:
    items = [
        crossref("10.5555/r.1", "Review of: Forest recovery after fire", "Okafor", 2017)["message"],
        crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016)["message"],
    ]
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": items}})
    v = verdict(ref(), settings)
    assert v.status == "ok" and v.record.doi == "10.5555/a.1"


@responses.activate
def test_a_book_is_not_matched_to_a_review_of_it(settings: Settings) -> None:
    review = crossref("10.5555/r.1", "Forest recovery after fire", "Reed", 2016)["message"]  # same words, a journal article
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": [review]}})
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})
    book = ref(kind="book", volume=None, issue=None, pages=None, container="Harbour Press")
    assert verdict(book, settings).status == "not-found"


@responses.activate
def test_nothing_found_anywhere_is_not_found(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": []}})
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})
    v = verdict(ref(title="A survey nobody wrote"), settings)
    assert v.status == "not-found" and v.registries == ("crossref", "openalex")


@responses.activate
def test_failure_is_unverified_never_not_found(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works", status=503)
    responses.get(f"{OPENALEX}/works", json={"meta": {"count": 0}, "results": []})
    v = verdict(ref(title="A survey nobody wrote"), settings)
    assert v.status == "unverified" and "503" in v.detail


@responses.activate
def test_openalex_answers_when_crossref_does_not_know_the_doi(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/d.1", status=404, body="Resource not found.")
    work = {
        "id": "https://openalex.org/W9",
        "doi": "https://doi.org/10.5555/d.1",
        "title": "Forest recovery after fire",
        "publication_year": 2016,
        "authorships": [{"author": {"display_name": "Tom Reed"}}],
        "primary_location": {"source": {"display_name": "Journal of Tests"}},
        "biblio": {"volume": "12", "issue": "3", "first_page": "45", "last_page": "67"},
        "type": "article",
        "is_retracted": True,
    }
    responses.get(f"{OPENALEX}/works/doi:10.5555/d.1", json=work)
    v = verdict(ref(doi="10.5555/d.1"), settings)
    assert v.status == "ok" and v.record.registry == "openalex" and v.record.retracted


def openalex_only_work(title: str) -> dict[str, Any]:
    """A work OpenAlex knows and Crossref does not (a conference paper of another agency, say)."""
    return {
        "id": "https://openalex.org/W11",
        "doi": None,
        "title": title,
        "publication_year": 2017,  # online the year after the entry's 2016: within the filter
        "authorships": [{"author": {"display_name": "Tom Reed"}}],
        "primary_location": {"source": {"display_name": "Journal of Tests"}},
        "biblio": {"volume": "12", "issue": "3", "first_page": "45", "last_page": "67"},
        "type": "article",
    }


def openalex_title_search(registered: str) -> Any:
    """OpenAlex's search as documented, over one work registered with this title: every word sent
    must be in its title (or abstract, full text), so it is found by its title and by nothing
    else sent with it; and its year, 2017, must be in the filter's range."""
    import json
    import re
    from urllib.parse import parse_qs, urlsplit

    def answer(request: Any) -> tuple[int, dict[str, str], str]:
        query = parse_qs(urlsplit(request.url).query)
        words = set(query["search"][0].split())
        found = words <= set(re.findall(r"\w+", registered.lower())) and query.get("filter") == ["publication_year:2015-2017"]
        results = [openalex_only_work(registered)] if found else []
        return 200, {}, json.dumps({"meta": {"count": len(results)}, "results": results})

    return answer


@responses.activate
def test_openalex_is_searched_by_the_title_alone_and_the_year_as_a_filter(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": []}})
    title = "Forest recovery after fire: The $\\alpha$-helix of <i>E. coli</i>"
    responses.add_callback(responses.GET, f"{OPENALEX}/works", callback=openalex_title_search(title))
    v = verdict(ref(title=title), settings)
    assert v.status == "ok" and v.record.registry == "openalex" and v.registries == ("crossref", "openalex")
    sent = responses.calls[-1].request.url
    assert "Reed" not in sent and "2016" not in sent.split("filter=")[0] and "Tests" not in sent


@responses.activate
def test_a_bracketed_translation_after_a_title_is_not_searched_for(settings: Settings) -> None:
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message": {"items": []}})
    responses.add_callback(responses.GET, f"{OPENALEX}/works", callback=openalex_title_search("Forest recovery after fire"))
    v = verdict(ref(title="Forest recovery after fire [Waldregeneration nach Feuer]"), settings)
    assert v.status == "ok" and v.record.registry == "openalex"


def test_records_read_retraction_but_not_a_notice() -> None:
    retracted = from_crossref(
        crossref(
            "10.5555/a.1",
            "T",
            "Reed",
            2016,
            **{"updated-by": [{"DOI": "10.5555/n.1", "type": "retraction", "source": "retraction-watch"}]},
        )["message"]
    )
    notice = from_crossref(
        crossref(
            "10.5555/n.1", "Retraction notice", "Reed", 2017, **{"update-to": [{"DOI": "10.5555/a.1", "type": "retraction"}]}
        )["message"]
    )
    concern = from_crossref(
        crossref("10.5555/e.1", "T", "Reed", 2016, **{"updated-by": [{"type": "expression_of_concern"}]})["message"]
    )
    assert retracted.retracted and retracted.updates[0].source == "retraction-watch"
    assert not notice.retracted and not concern.retracted
    assert from_openalex({"id": "W1", "is_retracted": True}).retracted


def test_score_and_mismatches_are_plain_functions() -> None:
    record = from_crossref(crossref("10.5555/a.1", "Forest recovery after fire: A field study", "Reed", 2016)["message"])
    assert score(ref(), record) > 90  # a subtitle on one side only is the same work
    assert mismatches(ref(volume="13"), record)[0].field == "volume"


@responses.activate
def test_audit_with_verify_reports_evidence(tmp_path: Path) -> None:
    body = crossref(
        "10.5555/a.1",
        "Forest recovery after fire",
        "Reed",
        2013,
        **{"updated-by": [{"type": "retraction", "source": "publisher"}]},
    )
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=body)
    text = (
        "Forests recover (Reed, 2013).\n\nReferences\n\n"
        "Reed, T. (2016). Forest recovery after fire. Journal of Tests, 12(3), 45–67. https://doi.org/10.5555/a.1\n"
    )
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3")
    report = citecheck.audit(text, verify=settings)
    kinds = {f.kind for f in report.findings}
    assert {"retracted-work", "metadata-mismatch", "year-mismatch"} <= kinds
    mismatch = next(f for f in report.findings if f.kind == "metadata-mismatch")
    assert "list says year 2016, Crossref says 2013" in mismatch.message
    assert "the list is the odd one out" in mismatch.message
    assert mismatch.evidence is not None and mismatch.evidence.doi == "10.5555/a.1"


def test_audit_without_verify_sends_nothing() -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        report = citecheck.audit(
            "Text (Reed, 2016).\n\nReferences\n\nReed, T. (2016). A title. J, 1(1), 1–2. https://doi.org/10.5555/a.1\n"
        )
        assert len(mock.calls) == 0
    assert report.verifications is None


@responses.activate
def test_registry_pages_feed_the_page_check_when_the_list_has_none(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/10.5555/a.1", json=crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016))
    text = (
        "Forests recover (Reed, 2016, p. 80), as shown (Reed, 2016, p. 50).\n\nReferences\n\n"
        "Reed, T. (2016). Forest recovery after fire. Journal of Tests. https://doi.org/10.5555/a.1\n"
    )
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3")
    report = citecheck.audit(text, verify=settings)
    pages = [f for f in report.findings if f.kind == "page-out-of-range"]
    assert len(pages) == 1 and "page 80" in pages[0].message and "according to Crossref" in pages[0].message
    assert pages[0].evidence is not None and pages[0].evidence.first_page == "45"
    assert citecheck.audit(text).findings == ()  # without --verify there is nothing to check against


def test_two_runs_can_share_the_cache_at_once(tmp_path: Path) -> None:
    import threading

    from citecheck.verify.cache import Cache

    path = tmp_path / "shared.sqlite3"
    caches = [Cache(path), Cache(path)]
    errors: list[BaseException] = []

    def write(cache: Cache, n: int) -> None:
        try:
            for i in range(200):
                cache.put(f"key-{n}-{i}", 200, "{}")
                assert cache.get(f"key-{n}-{i}") is not None
        except BaseException as exc:  # pragma: no cover - the failure is what the test reports
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c, n)) for n, c in enumerate(caches)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all(caches[0].get(f"key-1-{i}") is not None for i in range(200))


def test_titles_compare_without_markup_or_a_bracketed_translation() -> None:
    from citecheck.verify.match import title_similarity

    assert title_similarity("Lesen im Mittelalter [Reading in the Middle Ages]", "Lesen im Mittelalter") == 100
    assert title_similarity("Growth of <i>Quercus robur</i> seedlings", "Growth of Quercus robur seedlings") == 100
    assert title_similarity("Lesen im Mittelalter [Reading in the Middle Ages]", "Schreiben im Mittelalter") < 90


def test_a_run_without_contact_or_key_is_warned_of_and_an_offline_one_is_not(tmp_path: Path) -> None:
    from citecheck.verify.client import missing_credentials

    bare = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, mailto=None, openalex_key=None)
    said = missing_credentials(bare)
    assert len(said) == 2 and "--mailto" in said[0] and "CITECHECK_OPENALEX_KEY" in said[1]
    import dataclasses

    assert missing_credentials(dataclasses.replace(bare, mailto="ed@example.org", openalex_key="k")) == []
    assert missing_credentials(dataclasses.replace(bare, offline=True)) == []


def test_the_command_warns_once_of_each_missing_credential(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from citecheck.cli import main

    monkeypatch.delenv("CITECHECK_MAILTO", raising=False)
    monkeypatch.delenv("CITECHECK_OPENALEX_KEY", raising=False)
    bib = tmp_path / "refs.json"
    # an entry with neither title nor DOI: nothing to send, so the run asks no registry
    bib.write_text('[{"id": "a", "type": "book", "issued": {"date-parts": [[2016]]}}]', encoding="utf-8")
    args = ["verify", str(bib), "--no-cache", "--fail-on", "never"]
    assert "warning" not in CliRunner().invoke(main, [*args, "--offline"]).stderr  # nothing is sent: nothing lacks
    result = CliRunner().invoke(main, args)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("citecheck: warning: ")]
    assert len(warnings) == 2 and "contact address" in warnings[0] and "OpenAlex API key" in warnings[1]
    monkeypatch.setenv("CITECHECK_OPENALEX_KEY", "k")
    assert "warning" not in CliRunner().invoke(main, [*args, "--mailto", "ed@example.org"]).stderr


def test_verdicts_are_counted_for_the_final_line() -> None:
    from citecheck.model import Verification
    from citecheck.verify.verdicts import verdict_counts

    made = [Verification(i, s) for i, s in enumerate(["ok", "ok", "not-found", "unverified", "ok"])]
    assert verdict_counts(made) == "5 references verified: 3 ok, 1 not-found, 1 unverified"


def test_progress_is_drawn_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    from citecheck.verify.verdicts import TerminalProgress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for stream, drawn in ((Terminal(), True), (io.StringIO(), False)):
        monkeypatch.setattr(sys, "stderr", stream)
        progress = TerminalProgress()
        for done in range(1, 4):
            progress(done, 3)
        assert ("verifying" in stream.getvalue()) is drawn and progress.bar is None


def test_abbreviated_page_ranges_on_either_side_are_the_same_pages() -> None:
    listed = ref(pages=Pages("123", "45"))
    record = from_crossref(crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016, page="123-145")["message"])
    assert not [m for m in mismatches(listed, record) if m.field == "pages"]
    record = from_crossref(crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016, page="1203-9")["message"])
    assert not [m for m in mismatches(ref(pages=Pages("1203", "1209")), record) if m.field == "pages"]
    (wrong,) = [
        m
        for m in mismatches(
            ref(pages=Pages("123", "146")),
            from_crossref(crossref("10.5555/a.1", "Forest recovery after fire", "Reed", 2016, page="123-45")["message"]),
        )
        if m.field == "pages"
    ]
    assert (wrong.listed, wrong.registry) == ("123–146", "123–45")


def test_a_family_name_of_several_words_is_found_in_a_display_name() -> None:
    from citecheck.model import Author

    work = {
        "id": "https://openalex.org/W12",
        "title": "Forest recovery after fire",
        "publication_year": 2016,
        "authorships": [{"author": {"display_name": "Gabriel García Márquez"}}],
        "type": "article",
    }
    record = from_openalex(work)
    for family in ("García Márquez", "Márquez"):
        listed = ref(authors=(Author(family, "G"),), container=None, volume=None, issue=None, pages=None)
        assert not [m for m in mismatches(listed, record) if m.field == "authors"], family
        assert score(listed, record) > 90
    other = ref(authors=(Author("Okafor", "G"),), container=None, volume=None, issue=None, pages=None)
    assert [m.field for m in mismatches(other, record)] == ["authors"]
