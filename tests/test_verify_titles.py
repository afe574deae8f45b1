"""Titles with subtitles, original and short titles; a preprint and its published version.

Registry bodies are built here in the shapes Crossref and DataCite document (a copy of
tests/data/registry/crossref-work-ok.json, edited), and mocked at the HTTP edge with ``responses``.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import responses

from citecheck.model import Author, Finding, Pages, Record, Reference, Severity, Span, Verification
from citecheck.rules import Context, run_rules
from citecheck.verify import Settings, verify_references
from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers CC301-CC310)
from citecheck.verify.match import (
    TITLE_MIN,
    TITLE_SAME,
    accepts,
    mismatches,
    names_preprint_server,
    record_title_similarity,
    score,
    title_similarity,
    versions,
)
from citecheck.verify.records import Malformed, crossref_work, datacite_work, from_crossref

DATA = Path(__file__).resolve().parent / "data" / "registry"
CROSSREF = "http://crossref.test"
OPENALEX = "http://openalex.test"

PUBLISHED = "10.5555/cc.0006"  # the DOI of crossref-work-ok.json
PREPRINT = "10.5555/cc.0006.pre"
TITLE = "Rethinking adolescent sleep duration: a natural experiment"


def work(**change: Any) -> dict[str, Any]:
    """Crossref's answer to GET /works/{doi} for the plain article of crossref-work-ok.json, with
    the message's fields changed (a value of None removes the field)."""
    body = copy.deepcopy(json.loads((DATA / "crossref-work-ok.json").read_text(encoding="utf-8")))
    for key, value in change.items():
        if value is None:
            body["message"].pop(key, None)
        else:
            body["message"][key] = value
    return body


def relation(kind: str, *dois: str) -> dict[str, Any]:
    return {kind: [{"id-type": "doi", "id": doi, "asserted-by": "subject"} for doi in dois]}


def published_with_preprint() -> dict[str, Any]:
    """The journal article (2022), whose record links its preprint."""
    return work(relation=relation("has-preprint", PREPRINT))


def preprint_of_published() -> dict[str, Any]:
    """Its preprint: posted-content of 2020, no journal, volume or pages, linked to the article."""
    return work(
        DOI=PREPRINT.upper(),
        type="posted-content",
        subtype="preprint",
        issued={"date-parts": [[2020, 11, 3]]},
        published={"date-parts": [[2020, 11, 3]]},
        posted={"date-parts": [[2020, 11, 3]]},
        **{
            "published-print": None,
            "published-online": None,
            "container-title": [],
            "volume": None,
            "issue": None,
            "page": None,
            "institution": [{"name": "bioRxiv"}],
            "relation": relation("is-preprint-of", PUBLISHED),
        },
    )


def entry(**change: Any) -> Reference:
    """The reference-list entry for the journal article, as an author writes it."""
    fields: dict[str, Any] = {
        "span": Span(0, 10),
        "text": TITLE,
        "authors": (Author("Laurent", "C"), Author("Dimitriou", "N")),
        "etal": True,
        "year": "2022",
        "title": TITLE,
        "container": "Quarterly Journal of Rural Economics",
        "volume": "48",
        "issue": "4",
        "pages": Pages("1404", "1432"),
        "doi": None,
        "kind": "article",
    }
    fields.update(change)
    return Reference(**fields)


def preprint_entry(**change: Any) -> Reference:
    """The entry for the preprint: bioRxiv, 2020, no volume or pages."""
    fields: dict[str, Any] = {"year": "2020", "container": "bioRxiv", "volume": None, "issue": None, "pages": None}
    fields.update(change)
    return entry(**fields)


def audit(reference: Reference, tmp_path: Path) -> tuple[Verification, list[Finding]]:
    settings = Settings(crossref_url=CROSSREF, openalex_url=OPENALEX, cache_path=tmp_path / "c.sqlite3", retries=0)
    (verification,) = verify_references([reference], settings)
    ctx = Context(
        text="", clean="", citations=[], references=[reference], links=[], has_reference_list=True, verifications=[verification]
    )
    return verification, list(run_rules(ctx))


# -- records: the other titles and the relations Crossref and DataCite give ------------------------


def test_crossref_subtitle_original_and_short_titles_are_other_titles() -> None:
    record = crossref_work(
        work(
            title=["Rethinking adolescent <i>sleep</i> duration"],
            subtitle=["a natural experiment"],
            **{"original-title": ["Repenser la durée du sommeil des adolescents"], "short-title": ["Adolescent sleep"]},
        )
    )
    assert record.title == "Rethinking adolescent sleep duration"
    assert record.other_titles == (
        "Rethinking adolescent sleep duration: a natural experiment",
        "Repenser la durée du sommeil des adolescents",
        "Adolescent sleep",
    )


def test_a_plain_record_has_no_other_titles_and_no_relations() -> None:
    # crossref-work-ok.json has empty "subtitle", "original-title", "short-title" and "relation"
    record = crossref_work(work())
    assert (record.other_titles, record.preprint_of, record.preprints) == ((), (), ())


def test_a_subtitle_the_title_already_holds_is_given_once() -> None:
    record = crossref_work(work(title=[TITLE], subtitle=["A natural experiment"], **{"short-title": [TITLE]}))
    assert record.title == TITLE and record.other_titles == ()


def test_a_title_ending_in_a_question_mark_takes_its_subtitle_without_a_colon() -> None:
    record = crossref_work(work(title=["Do adolescents sleep less?"], subtitle=["A natural experiment"]))
    assert record.other_titles == ("Do adolescents sleep less? A natural experiment",)


def test_other_titles_of_another_shape_are_left_out_not_an_error() -> None:
    record = crossref_work(
        work(
            title=["Rethinking adolescent sleep duration"],
            subtitle=[{"value": "x"}, 7, None, "a natural experiment"],
            **{"original-title": {"x": 1}, "short-title": True},
        )
    )
    assert record.other_titles == (TITLE,)
    with pytest.raises(Malformed):  # the title itself is still read strictly
        crossref_work(work(title=[{"value": TITLE}]))


def test_crossref_relations_are_read_as_normalised_dois() -> None:
    body = work(
        relation={
            "is-preprint-of": [
                {"id-type": "doi", "id": "https://doi.org/10.5555/Pub.1", "asserted-by": "subject"},
                {"id-type": "DOI", "id": "doi:10.5555/PUB.1", "asserted-by": "object"},  # the same, once
                {"id-type": "doi", "id": "10.5555/pub.2", "asserted-by": "subject"},
            ],
            "has-preprint": [{"id-type": "doi", "id": "10.5555/PRE.1", "asserted-by": "object"}],
            "is-version-of": [{"id-type": "doi", "id": "10.5555/other", "asserted-by": "subject"}],
        }
    )
    record = crossref_work(body)
    assert record.preprint_of == ("10.5555/pub.1", "10.5555/pub.2")
    assert record.preprints == ("10.5555/pre.1",)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param([], id="a-list"),
        pytest.param("is-preprint-of", id="a-string"),
        pytest.param({"is-preprint-of": "10.5555/pub.1"}, id="a-string-for-the-list"),
        pytest.param({"is-preprint-of": {"id": "10.5555/pub.1"}}, id="an-object-for-the-list"),
        pytest.param({"is-preprint-of": ["10.5555/pub.1", None, 3]}, id="items-not-objects"),
        pytest.param({"is-preprint-of": [{"id-type": "uri", "id": "https://example.org/pub"}]}, id="not-a-doi"),
        pytest.param({"is-preprint-of": [{"id-type": "doi", "id": 42}]}, id="an-id-not-text"),
        pytest.param({"is-preprint-of": [{"id-type": "doi"}]}, id="no-id"),
        pytest.param({"is-preprint-of": [{"id": "10.5555/pub.1"}]}, id="no-id-type"),
        pytest.param({"is-preprint-of": [{"id-type": "doi", "id": "not a doi"}]}, id="an-id-not-a-doi"),
        pytest.param({"is-preprint-of": [{"id-type": "doi", "id": PUBLISHED}]}, id="itself"),
    ],
)
def test_relations_of_another_shape_are_ignored(value: Any) -> None:
    record = crossref_work(work(relation=value))
    assert record.preprint_of == () and record.preprints == ()


def test_a_truly_malformed_work_still_raises() -> None:
    with pytest.raises(Malformed):
        from_crossref(["not", "a", "work"])


def datacite(titles: list[dict[str, Any]]) -> dict[str, Any]:
    """DataCite's answer to /dois/{doi}: a JSON:API document."""
    attributes = {
        "doi": "10.5061/dryad.9",
        "titles": titles,
        "creators": [{"name": "Laurent, Catalina", "nameType": "Personal", "familyName": "Laurent"}],
        "publisher": "Dryad",
        "publicationYear": 2022,
        "types": {"resourceTypeGeneral": "Dataset"},
    }
    return {"data": {"id": "10.5061/dryad.9", "type": "dois", "attributes": attributes}}


def test_datacite_title_types() -> None:
    record = datacite_work(
        datacite(
            [
                {"title": "Sleep duration of adolescents", "lang": "en"},
                {"title": "data from a natural experiment", "titleType": "Subtitle"},
                {"title": "Schlafdauer von Jugendlichen", "titleType": "TranslatedTitle", "lang": "de"},
                {"title": "Adolescent sleep data", "titleType": "AlternativeTitle"},
                {"title": "Internal code 77-B", "titleType": "Other"},
                {"title": "Durée du sommeil des adolescents", "lang": "fr"},
            ]
        )
    )
    assert record.title == "Sleep duration of adolescents"
    assert record.other_titles == (
        "Sleep duration of adolescents: data from a natural experiment",
        "Schlafdauer von Jugendlichen",
        "Adolescent sleep data",
        "Durée du sommeil des adolescents",
    )
    assert record_title_similarity("Schlafdauer von Jugendlichen", record) == 100.0
    assert record_title_similarity("Sleep duration of adolescents: data from a natural experiment", record) == 100.0
    assert record_title_similarity("Internal code 77-B", record) < TITLE_MIN


def test_a_datacite_title_of_another_shape_is_left_out() -> None:
    record = datacite_work(
        datacite([{"title": "Sleep duration"}, {"title": {"x": 1}, "titleType": "Subtitle"}, {"title": "a", "titleType": 3}])
    )
    assert record.title == "Sleep duration" and record.other_titles == ()


# -- matching: the best of the record's titles ------------------------------------------------------


def subtitled(title: str = "Rethinking adolescent sleep duration", subtitle: str = "a natural experiment") -> Record:
    return from_crossref(work(title=[title], subtitle=[subtitle])["message"])


@pytest.mark.parametrize(
    "listed",
    [
        pytest.param(TITLE, id="with-the-subtitle"),
        pytest.param("Rethinking adolescent sleep duration", id="without-the-subtitle"),
        pytest.param("Rethinking adolescent sleep duration. A natural experiment", id="with-a-full-stop"),
    ],
)
def test_an_entry_with_or_without_the_records_subtitle_is_the_work(listed: str) -> None:
    record = subtitled()
    reference = entry(title=listed)
    assert record_title_similarity(listed, record) >= TITLE_SAME
    assert accepts(reference, record) and score(reference, record) > 95
    assert mismatches(reference, record) == ()


@pytest.mark.parametrize(
    "listed",
    [
        pytest.param(TITLE, id="with-the-subtitle"),
        pytest.param("Rethinking adolescent sleep duration", id="without-the-subtitle"),
    ],
)
def test_a_record_whose_title_holds_its_subtitle_matches_either_entry(listed: str) -> None:
    record = from_crossref(work(title=[TITLE])["message"])
    assert accepts(entry(title=listed), record) and mismatches(entry(title=listed), record) == ()


def test_a_translated_work_matches_its_original_title_and_its_translation() -> None:
    translated = "Rethinking adolescent sleep duration"
    original = "Repenser la durée du sommeil des adolescents"
    record = from_crossref(work(title=[translated], **{"original-title": [original]})["message"])
    for listed in (original, translated, f"{original} [{translated}]"):
        reference = entry(title=listed)
        assert accepts(reference, record), listed
        assert mismatches(reference, record) == (), listed
    # without the original title, the original is another work
    plain = from_crossref(work(title=[translated])["message"])
    assert not accepts(entry(title=original), plain)
    assert [m.field for m in mismatches(entry(title=original), plain)] == ["title"]


def test_a_short_title_matches_only_as_a_whole() -> None:
    record = from_crossref(work(title=[TITLE], **{"short-title": ["Adolescent sleep"]})["message"])
    assert mismatches(entry(title="Adolescent sleep"), record) == ()
    # a short title is the start of many titles: it forgives no subtitle
    other = "Adolescent sleep: a survey of school start times in twelve countries"
    assert record_title_similarity(other, record) < TITLE_MIN and not accepts(entry(title=other), record)


def test_the_title_mismatch_names_the_records_title_with_its_subtitle() -> None:
    record = subtitled()
    (mismatch,) = mismatches(entry(title="Adolescent sleep in rural schools"), record)
    assert (mismatch.field, mismatch.registry) == ("title", TITLE)


@pytest.mark.parametrize(
    ("listed", "registered"),
    [
        pytest.param("Part one", "Part two", id="one-listed-two-registered"),
        pytest.param("Part two", "Part one", id="two-listed-one-registered"),
        pytest.param("Part I", "Part II", id="roman"),
        pytest.param("Study 2", "Study 1", id="digits"),
    ],
)
def test_one_main_title_with_different_subtitles_is_not_the_same_work(listed: str, registered: str) -> None:
    reference = entry(title=f"Introduction: {listed}", year="2022")
    as_subtitle = from_crossref(work(title=["Introduction"], subtitle=[registered])["message"])
    in_title = from_crossref(work(title=[f"Introduction: {registered}"])["message"])
    for record in (as_subtitle, in_title):
        assert record_title_similarity(reference.title, record) < TITLE_MIN
        assert not accepts(reference, record)
        assert "title" in {m.field for m in mismatches(reference, record)}
    assert title_similarity(f"Introduction: {listed}", f"Introduction: {registered}") < TITLE_MIN
    assert title_similarity(f"Introduction: {registered}", f"Introduction: {listed}") < TITLE_MIN


def test_numbers_written_in_other_ways_are_the_same_numbers() -> None:
    assert title_similarity("Introduction: Part 2", "Introduction: Part two") >= TITLE_SAME
    assert title_similarity("Sleep in adolescents, study 02", "Sleep in adolescents, study 2") >= TITLE_SAME
    assert title_similarity("Climate report 2013", "Climate report 2014") < TITLE_MIN
    # a number of more digits than int() reads is compared as text
    assert title_similarity("Part " + "9" * 5000, "Part " + "8" * 5000) < TITLE_MIN


def test_a_main_title_alone_still_forgives_a_subtitle_on_one_side() -> None:
    record = from_crossref(work(title=["Introduction"], subtitle=["Part two"])["message"])
    assert record_title_similarity("Introduction", record) == 100.0
    assert title_similarity("Introduction", "Introduction: Part two") >= TITLE_SAME
    assert title_similarity("Introduction: Part two", "Introduction") >= TITLE_SAME
    # two subtitles are compared, not forgiven
    assert title_similarity("Commentary: sleep loss in adolescents", "Commentary: forest fires in Siberia") < TITLE_MIN


# -- a preprint and its published version ------------------------------------------------------------


@pytest.mark.parametrize(
    ("container", "server"),
    [
        ("bioRxiv", True),
        ("BIORXIV", True),
        ("arXiv preprint arXiv:2101.00001", True),
        ("SSRN Electronic Journal", True),
        ("Research Square", True),
        ("medRxiv : the preprint server for health sciences", True),
        ("PsyArXiv", True),
        ("SocArXiv", True),
        ("OSF Preprints", True),
        ("Preprints.org", True),
        ("Quarterly Journal of Rural Economics", False),
        ("Nature", False),
        ("Biorxivist Quarterly", False),  # words, not parts of words
        (None, False),
    ],
)
def test_preprint_servers_are_named_as_words(container: str | None, server: bool) -> None:
    assert names_preprint_server(container) is server


def test_an_entry_of_the_published_version_against_the_preprint_record() -> None:
    record = from_crossref(preprint_of_published()["message"])
    assert record.type == "posted-content" and record.preprint_of == (PUBLISHED,)
    assert versions(entry(), record) and mismatches(entry(), record) == ()
    # the title and the authors are still compared
    wrong = entry(title="Adolescent sleep in rural schools", authors=(Author("Okafor", "N"),))
    assert {m.field for m in mismatches(wrong, record)} == {"title", "authors"}


def test_an_entry_of_the_preprint_against_the_published_record() -> None:
    record = from_crossref(published_with_preprint()["message"])
    assert record.preprints == (PREPRINT,)
    for container in ("bioRxiv", "Research Square", "SSRN Electronic Journal"):
        assert versions(preprint_entry(container=container), record)
        assert mismatches(preprint_entry(container=container), record) == (), container


def test_an_entry_in_a_journal_against_a_record_with_preprints_is_compared_as_usual() -> None:
    record = from_crossref(published_with_preprint()["message"])
    reference = entry(year="2018", volume="12")
    assert not versions(reference, record)
    assert {m.field for m in mismatches(reference, record)} == {"year", "volume"}


def test_a_preprint_without_a_known_published_version_still_forgives_a_journal_entry() -> None:
    record = from_crossref(preprint_of_published()["message"])
    bare = dataclasses.replace(record, preprint_of=())
    assert versions(entry(), bare) and mismatches(entry(), bare) == ()
    # an entry of the preprint itself, with another year, is compared as usual
    assert [m.field for m in mismatches(preprint_entry(year="2017"), bare)] == ["year"]


def test_a_record_without_relations_is_compared_as_usual_whatever_the_container() -> None:
    record = from_crossref(work()["message"])
    assert not versions(preprint_entry(year="2018"), record)
    assert {m.field for m in mismatches(preprint_entry(year="2018"), record)} == {"year", "container"}


# -- end to end: the verdict and the findings ---------------------------------------------------------


@responses.activate
def test_a_preprint_entry_with_the_published_doi_is_a_note_not_a_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{PUBLISHED}", json=published_with_preprint())
    verification, findings = audit(preprint_entry(doi=PUBLISHED), tmp_path)
    assert verification.status == "ok" and verification.mismatches == ()
    (finding,) = findings
    assert (finding.rule, finding.kind, finding.severity) == ("CC310", "published-version", Severity.NOTE)
    assert finding.message == f"Laurent et al. (2020) cites the preprint of the work published as {PUBLISHED}."
    assert (finding.suggestion or "").startswith("Cite the published version if it is the one you read")
    assert finding.evidence is not None and finding.evidence.doi == PUBLISHED and finding.reference == 0


@responses.activate
def test_a_journal_entry_with_the_preprint_doi_is_a_note_not_a_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{PREPRINT}", json=preprint_of_published())
    verification, findings = audit(entry(doi=PREPRINT), tmp_path)
    assert verification.status == "ok"
    assert [(f.rule, f.message) for f in findings] == [
        ("CC310", f"Laurent et al. (2022) cites a preprint; a published version exists: {PUBLISHED}.")
    ]
    assert findings[0].evidence is not None and findings[0].evidence.doi == PREPRINT


@responses.activate
def test_a_preprint_found_by_search_is_a_note_not_a_mismatch(tmp_path: Path) -> None:
    found = published_with_preprint()["message"]
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message-type": "work-list", "message": {"items": [found]}})
    verification, findings = audit(preprint_entry(year="2021", container="Research Square"), tmp_path)
    assert verification.status == "ok" and verification.record is not None and verification.record.doi == PUBLISHED
    assert [f.kind for f in findings] == ["published-version"]


@responses.activate
def test_a_preprint_entry_with_another_title_still_has_its_title_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{PUBLISHED}", json=published_with_preprint())
    listed = "Rethinking adolescent sleep: evidence from a natural experiment in rural schools"
    verification, findings = audit(preprint_entry(doi=PUBLISHED, title=listed), tmp_path)
    assert verification.status == "metadata-mismatch"
    assert [m.field for m in verification.mismatches] == ["title"]
    assert sorted(f.kind for f in findings) == ["metadata-mismatch", "published-version"]


@responses.activate
def test_an_unrelated_work_with_a_preprint_server_and_another_year_keeps_its_mismatch(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{PUBLISHED}", json=work())  # no relation
    verification, findings = audit(preprint_entry(doi=PUBLISHED, year="2018"), tmp_path)
    assert verification.status == "metadata-mismatch"
    assert {m.field for m in verification.mismatches} == {"year", "container"}
    assert [f.kind for f in findings] == ["metadata-mismatch"]


@responses.activate
def test_a_journal_entry_of_a_work_with_preprints_keeps_its_mismatch_and_no_note(tmp_path: Path) -> None:
    responses.get(f"{CROSSREF}/works/{PUBLISHED}", json=published_with_preprint())
    verification, findings = audit(entry(doi=PUBLISHED, year="2018"), tmp_path)
    assert [m.field for m in verification.mismatches] == ["year"]
    assert [f.kind for f in findings] == ["metadata-mismatch"]


@responses.activate
def test_a_subtitle_registered_apart_is_the_work_end_to_end(tmp_path: Path) -> None:
    body = work(title=["Rethinking adolescent sleep duration"], subtitle=["a natural experiment"])
    responses.get(f"{CROSSREF}/works/{PUBLISHED}", json=body)
    for listed in (TITLE, "Rethinking adolescent sleep duration"):
        verification, findings = audit(entry(doi=PUBLISHED, title=listed), tmp_path)
        assert verification.status == "ok" and findings == [], listed


def test_the_note_reads_only_ok_and_mismatched_verdicts_with_relations() -> None:
    preprint = from_crossref(preprint_of_published()["message"])
    plain = from_crossref(work()["message"])
    reference = entry()
    verdicts = [
        Verification(0, "doi-mismatch", preprint, 40.0),
        Verification(0, "not-found"),
        Verification(0, "ok", plain, 99.0),
        Verification(0, "metadata-mismatch", preprint, 90.0, mismatches(entry(title="Another title"), preprint)),
    ]
    ctx = Context(
        text="", clean="", citations=[], references=[reference], links=[], has_reference_list=True, verifications=verdicts
    )
    notes = [f for f in run_rules(ctx) if f.rule == "CC310"]
    assert len(notes) == 1 and notes[0].evidence == preprint


@responses.activate
def test_a_cited_preprints_page_is_not_checked_against_the_published_pages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from citecheck.cli import run

    found = published_with_preprint()["message"]  # pages 1404-1432
    responses.get(f"{CROSSREF}/works", json={"status": "ok", "message-type": "work-list", "message": {"items": [found]}})
    manuscript = tmp_path / "paper.md"
    manuscript.write_text(
        "Sleep shifts with school hours (Laurent & Dimitriou, 2021, p. 5).\n\n# References\n\n"
        f"Laurent, C., & Dimitriou, N. (2021). {TITLE}. Research Square.\n",
        encoding="utf-8",
    )
    code = run(
        ["audit", str(manuscript), "--verify", "--no-cache", "--crossref-url", CROSSREF, "--openalex-url", OPENALEX,
         "--format", "json"]
    )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    kinds = [f["kind"] for f in report["findings"]]
    assert "published-version" in kinds and "page-out-of-range" not in kinds, kinds
    assert code == 0
