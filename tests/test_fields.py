"""Reference-manager fields settle links (fields.py): DOCX files with Zotero, Mendeley and EndNote fields, audited whole."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import findings_of, links_of
from hypothesis import given, settings
from hypothesis import strategies as st
from make_docx import Doc, endnote_field, endnote_record, field, mendeley, run, zotero

import citecheck
from citecheck.model import Author, Citation, Link, LinkStatus, Reference, Span
from citecheck.readers.docx import _endnote_citation
from citecheck.readers.fields import settle_field_links
from citecheck.report import to_dict

BROWN_J = "Brown, J. (2021). Salt marsh accretion under sea-level rise. Estuarine Ecology, 41(2), 101–118."
BROWN_K = "Brown, K. (2021). Grazing and the vegetation of restored marshes. Coastal Management, 43(3), 205–222."
CASTILLO = "Castillo, M. (2017). Sediment budgets of realigned marshes. Marine Geology, 390, 12–25. https://doi.org/10.1016/j.margeo.2017.05.001"
ADAMS = "Adams, P., & Okafor, N. (2019). Tidal restoration of reclaimed farmland. Estuarine Ecology, 41(2), 101–118."
BERG = "van den Berg, A. (2016). Realignment and its discontents. Ocean & Coastal Management, 120, 33–41."
LU = "Lu, W. (2020). Creek networks after breaching. Geomorphology, 350, 106–119."
NGUYEN_18 = "Nguyen, H. (2018). Accretion rates at twelve realignment sites. Estuaries and Coasts, 41(5), 1300–1315."
NGUYEN_20 = "Nguyen, H. (2020). Vegetation succession on realigned land. Estuaries and Coasts, 43(2), 410–422."
SMITH_ONE = "Smith, A. (2018). Birds of the saltings. Ibis, 160(1), 1–12."
SMITH_THREE = "Smith, A., Okafor, N., & Lee, C. (2018). Managed realignment at scale. Nature Sustainability, 1, 40–47."


def item(family: str, given: str, year: int, title: str, doi: str | None = None, **more: Any) -> dict[str, Any]:
    """CSL-JSON of one work, as Zotero and Mendeley embed it in ``itemData``."""
    data: dict[str, Any] = {
        "type": "article-journal",
        "title": title,
        "author": [{"family": family, "given": given}],
        "issued": {"date-parts": [[year]]},
    }
    if doi:
        data["DOI"] = doi
    return data | more


def cites(*items: dict[str, Any]) -> dict[str, Any]:
    """A CSL citation object of the given works, ids and URIs as Zotero writes them."""
    return {
        "citationID": "x9y8z7",
        "properties": {"formattedCitation": "", "plainCitation": "", "noteIndex": 0},
        "citationItems": [
            {"id": n, "uris": [f"http://zotero.org/users/1/items/K{n}"], "itemData": {"id": n} | data}
            for n, data in enumerate(items, 1)
        ],
        "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
    }


J = item("Brown", "Jane", 2021, "Salt marsh accretion under sea-level rise")
K = item("Brown", "Karim", 2021, "Grazing and the vegetation of restored marshes")


def paper(tmp_path: Path, body: str, *entries: str) -> Path:
    """A DOCX of one paragraph (WordprocessingML runs and fields) and a reference list."""
    doc = Doc().heading("Tidal marsh recovery", 0).xml(body).heading("References")
    for entry in entries:
        doc.para(entry)
    path = tmp_path / "paper.docx"
    doc.save(path)
    return path


@pytest.mark.parametrize("wrap", [zotero, mendeley], ids=["zotero", "mendeley"])
def test_field_tells_two_browns_apart(tmp_path: Path, wrap: Callable[[str, dict[str, Any]], str]) -> None:
    plain = paper(tmp_path, run("Accretion keeps pace (Brown, 2021), but grazing slows it (Brown, 2021)."), BROWN_J, BROWN_K)
    report = citecheck.audit(plain)
    assert [status for _, status, _ in links_of(report)] == ["ambiguous", "ambiguous"]
    assert ("ambiguous-citation", "Brown, 2021") in findings_of(report)
    assert [c["linked_by"] for c in to_dict(report)["citations"]] == ["text", "text"]

    # The second citation's field comes first in no list: each field names its own Brown.
    body = run("Accretion keeps pace ") + wrap("(Brown, 2021)", cites(J)) + run(", but grazing slows it ")
    body += wrap("(Brown, 2021)", cites(K)) + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_K, BROWN_J))
    assert links_of(report) == [("Brown, 2021", "exact", "Brown, J"), ("Brown, 2021", "exact", "Brown, K")]
    assert findings_of(report) == set()
    # The report says what decided each link.
    assert [c["linked_by"] for c in to_dict(report)["citations"]] == ["field", "field"]


@pytest.mark.parametrize("base64_data", [False, True], ids=["xml-in-instruction", "en-cite-data"])
def test_endnote_field_tells_two_browns_apart(tmp_path: Path, base64_data: bool) -> None:
    # EndNote's records carry the full name and title; the cite's own <Author> is only "Brown".
    jane = endnote_record("Brown", "Jane", 2021, "Salt marsh accretion under sea-level rise")
    karim = endnote_record("Brown", "Karim", 2021, "Grazing and the vegetation of restored marshes")
    body = run("Accretion keeps pace ") + endnote_field("(Brown, 2021)", jane, base64_data=base64_data)
    body += run(", but grazing slows it ") + endnote_field("(Brown, 2021)", karim, base64_data=base64_data) + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_K, BROWN_J))
    assert links_of(report) == [("Brown, 2021", "exact", "Brown, J"), ("Brown, 2021", "exact", "Brown, K")]
    assert findings_of(report) == set()


@pytest.mark.parametrize(
    "shown",
    [
        # A cite without its record names no title: both Browns still fit.
        pytest.param(endnote_field("(Brown, 2021)", "<Cite><Author>Brown</Author><Year>2021</Year></Cite>"), id="no-record"),
        pytest.param(field(" ADDIN EN.CITE <EndNote><Cite><record>", "(Brown, 2021)"), id="broken-xml"),
        pytest.param(field(' ADDIN EN.CITE <!DOCTYPE x [<!ENTITY a "aaaa">]><EndNote>&a;</EndNote>', "(Brown, 2021)"), id="dtd"),
        pytest.param(endnote_field("(Brown, 2021)", "<Cite>", base64_data=True), id="broken-base64-record"),
    ],
)
def test_unusable_endnote_field_is_ignored(tmp_path: Path, shown: str) -> None:
    report = citecheck.audit(paper(tmp_path, run("Accretion keeps pace ") + shown + run("."), BROWN_J, BROWN_K))
    assert links_of(report) == [("Brown, 2021", "ambiguous", None)]


def test_an_endnote_name_with_a_run_of_blanks_is_read_once(tmp_path: Path) -> None:
    # A name read by a regex that backtracked over every run of blanks: quadratic in the name.
    # Spaces and tabs at random, so that the document does not compress like a zip bomb.
    blanks = "".join(random.Random(7).choices(" \t", k=400_000))
    jane = endnote_record("Brown", "Jane" + blanks + "A.", 2021, "Salt marsh accretion under sea-level rise")
    body = run("Accretion keeps pace ") + endnote_field("(Brown, 2021)", jane, base64_data=True) + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_J))
    assert links_of(report) == [("Brown, 2021", "exact", "Brown, J")]
    assert [c["linked_by"] for c in to_dict(report)["citations"]] == ["field"]


def test_one_field_of_two_browns(tmp_path: Path) -> None:
    # Zotero sorts a citation's items for display; which Brown is which comes from the initials.
    body = run("Both matter ") + zotero("(K. Brown, 2021; J. Brown, 2021)", cites(J, K)) + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_J, BROWN_K))
    assert links_of(report) == [("K. Brown, 2021", "exact", "Brown, K"), ("J. Brown, 2021", "exact", "Brown, J")]
    body = run("Both matter ") + zotero("(Brown, 2021; Brown, 2021)", cites(J, K)) + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_J, BROWN_K))
    assert links_of(report) == [("Brown, 2021", "exact", "Brown, J"), ("Brown, 2021", "exact", "Brown, K")]
    assert findings_of(report) == set()


def test_field_item_not_listed_stays_missing(tmp_path: Path) -> None:
    taylor = item("Taylor", "Rose", 2022, "Blue carbon in realigned marshes")
    # A Castillo (2017) that is another work than the listed one: the text's link stands.
    other = item("Castillo", "Maria", 2017, "A completely different monograph on dunes")
    body = run("Carbon is stored ") + zotero("(Taylor, 2022)", cites(taylor)) + run(" in sediment ")
    body += zotero("(Castillo, 2017)", cites(other)) + run(".")
    report = citecheck.audit(paper(tmp_path, body, CASTILLO))
    assert links_of(report) == [("Taylor, 2022", "missing", None), ("Castillo, 2017", "exact", "Castillo, M")]
    assert findings_of(report) == {("missing-reference", "Taylor, 2022")}


def test_clean_list_with_fields_has_no_findings(tmp_path: Path) -> None:
    adams = item("Adams", "Peter", 2019, "Tidal restoration of reclaimed farmland") | {
        "author": [{"family": "Adams", "given": "Peter"}, {"family": "Okafor", "given": "Ngozi"}]
    }
    # The listed title differs from the library's; the DOI says it is the same work.
    castillo = item("Castillo", "Maria", 2017, "Sediment budgets", doi="https://doi.org/10.1016/J.MARGEO.2017.05.001")
    berg = {"type": "article-journal", "title": "<i>Realignment</i> and its discontents", "issued": {"raw": "2016-03"}}
    berg["author"] = [{"family": "Berg", "given": "Anke", "non-dropping-particle": "van den"}]
    body = run("Realignment works ") + zotero("(Adams & Okafor, 2019; Castillo, 2017)", cites(castillo, adams))
    body += run(", though not everywhere ") + mendeley("(van den Berg, 2016)", cites(berg))
    body += run(". Adams and Okafor ") + zotero("(2019)", cites(adams)) + run(" show it.")
    report = citecheck.audit(paper(tmp_path, body, ADAMS, BERG, CASTILLO))
    assert [status for _, status, _ in links_of(report)] == ["exact"] * 4
    assert findings_of(report) == set()


def test_narrative_citation_with_the_author_suppressed(tmp_path: Path) -> None:
    # Zotero's "suppress author": the name is typed, only "(2021)" is the field, and the citation
    # the text shows overlaps the field without lying inside it.
    suppressed = cites(K)
    suppressed["citationItems"][0]["suppress-author"] = True
    body = run("As Brown ") + zotero("(2021)", suppressed) + run(" found, grazing slows recovery.")
    report = citecheck.audit(paper(tmp_path, body, BROWN_J, BROWN_K))
    assert links_of(report) == [("Brown (2021)", "exact", "Brown, K")]
    assert findings_of(report) == {("uncited-reference", BROWN_J)}


def test_field_moves_a_link_to_the_work_it_cites(tmp_path: Path) -> None:
    smith = item("Smith", "Anna", 2018, "Managed realignment at scale")
    nguyen = item("Nguyen", "Hoa", 2020, "Vegetation succession on realigned land")
    lu = item("Lu", "Wei", 2020, "Creek networks after breaching")
    body = run("Schemes grew ") + zotero("(Smith, 2018)", cites(smith)) + run(", plants followed ")
    body += zotero("(Nguyen, 2019)", cites(nguyen)) + run(" along creeks ") + zotero("(Li, 2020)", cites(lu)) + run(".")
    entries = (LU, NGUYEN_18, NGUYEN_20, SMITH_ONE, SMITH_THREE)

    plain = run("Schemes grew (Smith, 2018), plants followed (Nguyen, 2019) along creeks (Li, 2020).")
    report = citecheck.audit(paper(tmp_path, plain, *entries))
    assert links_of(report) == [
        ("Smith, 2018", "exact", "Smith, A"),
        ("Nguyen, 2019", "year-mismatch", "Nguyen, H"),
        ("Li, 2020", "missing", None),
    ]
    assert [report.references[x.reference].year for x in report.links[:2] if x.reference is not None] == ["2018", "2018"]

    report = citecheck.audit(paper(tmp_path, body, *entries))
    got = [(x.status.value, report.references[x.reference].text if x.reference is not None else None) for x in report.links]
    assert got == [("exact", SMITH_THREE), ("year-mismatch", NGUYEN_20), ("author-misspelling", LU)]
    # What the text gets wrong about the work the field cites is reported against that work.
    assert findings_of(report) >= {
        ("et-al-misuse", "Smith, 2018"),
        ("year-mismatch", "Nguyen, 2019"),
        ("author-misspelling", "Li, 2020"),
        ("uncited-reference", SMITH_ONE),
        ("uncited-reference", NGUYEN_18),
    }
    assert not any(f.kind == "missing-reference" for f in report.findings)


@pytest.mark.parametrize(
    "instruction",
    [
        pytest.param("ADDIN ZOTERO_ITEM CSL_CITATION {not json", id="not-json"),
        pytest.param("ADDIN ZOTERO_ITEM CSL_CITATION " + json.dumps({"citationItems": "Brown"}), id="items-not-a-list"),
        pytest.param(
            "ADDIN CSL_CITATION "
            + json.dumps(
                {
                    "citationItems": [
                        1,
                        {"itemData": []},
                        {"itemData": {"author": "Brown", "issued": "2021", "title": 5, "DOI": None}},
                        {"itemData": {"author": [None, {"family": 7}], "issued": {"date-parts": [[]]}}},
                        {"itemData": {"author": [{"family": "Brown"}], "issued": {"date-parts": "2021"}}},
                    ]
                }
            ),
            id="items-of-every-wrong-type",
        ),
    ],
)
def test_malformed_field_is_ignored(tmp_path: Path, instruction: str) -> None:
    body = run("Accretion keeps pace ") + field(instruction, "(Brown, 2021)") + run(".")
    report = citecheck.audit(paper(tmp_path, body, BROWN_J, BROWN_K))
    assert links_of(report) == [("Brown, 2021", "ambiguous", None)]
    assert ("ambiguous-citation", "Brown, 2021") in findings_of(report)


def _ref(family: str, title: str, doi: str | None = None, year: str = "2021") -> Reference:
    return Reference(Span(0, 1), title, (Author(family),), year=year, title=title, doi=doi)


OTHER = _ref("Brown", "Grazing and the vegetation of restored marshes")


@pytest.mark.parametrize(
    ("data", "entry", "settled"),
    [
        pytest.param(J, _ref("Brown", "Salt-marsh accretion under sea level rise."), True, id="title-punctuation"),
        pytest.param(J, _ref("Brown", "Salt marsh accretion"), True, id="title-shortened"),
        pytest.param(J, _ref("Brown", "Salt marsh accretion under sea-level rise", year="2020"), False, id="other-year"),
        pytest.param(J, _ref("Browne", "Salt marsh accretion under sea-level rise"), False, id="other-author"),
        pytest.param(J, _ref("Brown", "Marsh birds in winter"), False, id="other-title"),
        pytest.param(
            item("Brown", "J", 2021, "Accretion", doi="https://doi.org/10.1/ABC"),
            _ref("Brown", "Sea level and salt marshes", doi="10.1/abc"),
            True,
            id="same-doi-other-title",
        ),
        pytest.param(
            item("Brown", "J", 2021, "Salt marsh accretion under sea-level rise", doi="10.1/abc"),
            _ref("Brown", "Salt marsh accretion under sea-level rise", doi="10.1/xyz"),
            False,
            id="other-doi-same-title",
        ),
        pytest.param(
            {"title": "<i>Salt marsh</i> accretion", "issued": {"raw": "2021-03"}, "editor": [{"family": "Brown"}]},
            _ref("Brown", "Salt marsh accretion"),
            True,
            id="editors-raw-date-rich-text",
        ),
        pytest.param(
            {"title": "Salt marsh accretion", "issued": {"date-parts": [["2021", "3"]]}}
            | {"author": [{"family": "Brun", "non-dropping-particle": "le"}]},
            _ref("le Brun", "Salt marsh accretion"),
            True,
            id="particle-and-year-as-text",
        ),
    ],
)
def test_item_is_found_in_the_list(data: dict[str, Any], entry: Reference, settled: bool) -> None:
    family = entry.authors[0].family
    citations = [Citation(Span(1, 12), f"{family}, 2021", (family,), False, "2021", False)]
    links = [Link(0, LinkStatus.AMBIGUOUS, None, also=(0, 1))]
    got = settle_field_links([(0, 13, cites(data))], citations, [entry, OTHER], links)
    assert got == ([Link(0, LinkStatus.EXACT, 0, basis="field")] if settled else links)


def _citation(start: int, family: str, year: str) -> Citation:
    return Citation(Span(start, start + 12), f"{family}, {year}", (family,), False, year, False)


def test_links_outside_fields_are_left_alone() -> None:
    refs = [Reference(Span(0, 1), "J", (), title="Salt marsh accretion under sea-level rise")]
    citations = [_citation(0, "Brown", "2021"), _citation(40, "Brown", "2021")]
    links = [Link(0, LinkStatus.AMBIGUOUS, None, also=(0, 1)), Link(1, LinkStatus.MISSING, None)]
    fields = [(20, 35, cites(J))]  # between the two citations
    assert settle_field_links(fields, citations, refs, links) == links
    assert settle_field_links([], citations, refs, links) == links


CSL_KEYS = [
    "citationItems",
    "itemData",
    "author",
    "editor",
    "family",
    "given",
    "literal",
    "issued",
    "date-parts",
    "raw",
    "title",
    "DOI",
]
# JSON of any shape: what a damaged or hand-edited field can hold.
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(CSL_KEYS) | st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=30,
)


@settings(deadline=None, max_examples=300)
@given(JSON)
def test_fields_of_any_shape_never_raise(csl: Any) -> None:
    refs = [_ref("Brown", "Salt marsh accretion"), OTHER]
    links = [Link(0, LinkStatus.AMBIGUOUS, None, also=(0, 1))]
    got = settle_field_links([(0, 13, csl)], [_citation(1, "Brown", "2021")], refs, links)
    assert len(got) == 1 and got[0].reference in (None, 0, 1)


@settings(deadline=None, max_examples=300)
@given(st.text(max_size=300), st.lists(st.text(alphabet="ABCDabcd+/=", max_size=40), max_size=3))
def test_endnote_records_of_any_text_never_raise(xml: str, data: list[str]) -> None:
    got = _endnote_citation(" ADDIN EN.CITE " + xml, data)
    assert got is None or isinstance(got["citationItems"], list)
