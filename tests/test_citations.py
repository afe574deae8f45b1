"""Finding author-date citations: what is one, what is not, and what each one says."""

from __future__ import annotations

import itertools
from typing import NamedTuple

import pytest
from conftest import findings_of, links_of, manuscript, span_text
from hypothesis import given, settings
from hypothesis import strategies as st

import citecheck
from citecheck.citations import KnownNames, find_citations
from citecheck.model import Citation


class Cit(NamedTuple):
    """What a test expects of one citation; ``text`` is the exact slice its span covers."""

    text: str
    authors: tuple[str, ...]
    year: str
    etal: bool = False
    narrative: bool = False
    locator: tuple[str, int | str, int | str] | None = None
    prefix: str = ""


def summary(source: str, c: Citation) -> Cit:
    loc = (c.locator.kind, c.locator.first, c.locator.last) if c.locator else None
    return Cit(span_text(source, c.span), c.authors, c.year, c.etal, c.narrative, loc, c.prefix)


def N(text: str, authors: tuple[str, ...], year: str, **kw: object) -> Cit:
    """A narrative citation."""
    return Cit(text, authors, year, narrative=True, **kw)  # type: ignore[arg-type]


P = pytest.param
SMITH = ("Smith",)

# ---------------------------------------------------------------------------------------------------
# Citations: each text gives exactly these citations, in this order.
# ---------------------------------------------------------------------------------------------------

CITATIONS = [
    # -- parenthetical, one work, with and without a locator --
    P("Rates fell sharply (Smith, 2018).", [Cit("Smith, 2018", SMITH, "2018")], id="paren-comma"),
    P("Rates fell sharply (Smith 2018).", [Cit("Smith 2018", SMITH, "2018")], id="paren-no-comma"),
    P(
        "Rates fell sharply (Smith, 2018, p. 45).",
        [Cit("Smith, 2018, p. 45", SMITH, "2018", locator=("page", 45, 45))],
        id="paren-page",
    ),
    P(
        "Rates fell sharply (Smith, 2018, pp. 45–50).",
        [Cit("Smith, 2018, pp. 45–50", SMITH, "2018", locator=("page", 45, 50))],
        id="paren-page-range-en-dash",
    ),
    P(
        "Rates fell sharply (Smith, 2018, pp. 45-50).",
        [Cit("Smith, 2018, pp. 45-50", SMITH, "2018", locator=("page", 45, 50))],
        id="paren-page-range-hyphen",
    ),
    P(
        "Rates fell sharply (Smith, 2018, pp. 1234–56).",
        [Cit("Smith, 2018, pp. 1234–56", SMITH, "2018", locator=("page", 1234, 1256))],
        id="paren-page-range-abbreviated",
    ),
    P(
        "Rates fell sharply (Smith 2018, 45).",
        [Cit("Smith 2018, 45", SMITH, "2018", locator=("page", 45, 45))],
        id="paren-chicago-bare-page",
    ),
    P(
        "Rates fell sharply (Smith 2018: 45).",
        [Cit("Smith 2018: 45", SMITH, "2018", locator=("page", 45, 45))],
        id="paren-harvard-colon-page",
    ),
    P(
        "Rates fell sharply (Smith, 2018, para. 3).",
        [Cit("Smith, 2018, para. 3", SMITH, "2018", locator=("paragraph", 3, 3))],
        id="paren-paragraph",
    ),
    P(
        "Rates fell sharply (Smith, 2018, chap. 2).",
        [Cit("Smith, 2018, chap. 2", SMITH, "2018", locator=("chapter", 2, 2))],
        id="paren-chapter",
    ),
    # -- several citations in one pair --
    P(
        "Rates fell sharply (Smith, 2018; Jones & Lee, 2020).",
        [Cit("Smith, 2018", SMITH, "2018"), Cit("Jones & Lee, 2020", ("Jones", "Lee"), "2020")],
        id="several-semicolon",
    ),
    P(
        "Rates fell sharply (Smith, 2018, p. 45; Jones, 2020).",
        [Cit("Smith, 2018, p. 45", SMITH, "2018", locator=("page", 45, 45)), Cit("Jones, 2020", ("Jones",), "2020")],
        id="several-semicolon-first-with-page",
    ),
    P(
        "Rates fell sharply (Smith, 2018, 2020).",
        [Cit("Smith, 2018", SMITH, "2018"), Cit("2020", SMITH, "2020")],
        id="several-years-same-author",
    ),
    P(
        "Rates fell sharply (Smith, 2018a, 2018b).",
        [Cit("Smith, 2018a", SMITH, "2018a"), Cit("2018b", SMITH, "2018b")],
        id="several-suffixed-years-same-author",
    ),
    P(
        "Rates fell sharply (e.g., Smith, 2018; see also Jones, 2020).",
        [Cit("Smith, 2018", SMITH, "2018", prefix="e.g."), Cit("Jones, 2020", ("Jones",), "2020", prefix="see also")],
        id="several-with-lead-words",
    ),
    P(
        "Rates fell sharply (Smith, 2018, as cited in Jones, 2020).",
        [Cit("Smith, 2018", SMITH, "2018"), Cit("Jones, 2020", ("Jones",), "2020", prefix="as cited in")],
        id="secondary-as-cited-in",
    ),
    P("Rates fell sharply (see Smith, 2018).", [Cit("Smith, 2018", SMITH, "2018", prefix="see")], id="lead-word-see"),
    # -- author lists --
    P(
        "Rates fell sharply (Smith & Lee, 2018).",
        [Cit("Smith & Lee, 2018", ("Smith", "Lee"), "2018")],
        id="two-authors-ampersand",
    ),
    P("Rates fell sharply (Smith and Lee, 2018).", [Cit("Smith and Lee, 2018", ("Smith", "Lee"), "2018")], id="two-authors-and"),
    P(
        "Rates fell sharply (Smith, Jones, & Lee, 2018).",
        [Cit("Smith, Jones, & Lee, 2018", ("Smith", "Jones", "Lee"), "2018")],
        id="three-authors-serial-comma",
    ),
    P(
        "Rates fell sharply (Smith, Jones, and Lee, 2018).",
        [Cit("Smith, Jones, and Lee, 2018", ("Smith", "Jones", "Lee"), "2018")],
        id="three-authors-and",
    ),
    P("Rates fell sharply (Smith et al., 2018).", [Cit("Smith et al., 2018", SMITH, "2018", etal=True)], id="et-al"),
    P("Rates fell sharply (Smith et al. 2018).", [Cit("Smith et al. 2018", SMITH, "2018", etal=True)], id="et-al-no-comma"),
    P(
        "Rates fell sharply (Smith et al., 2019, pp. 4–5).",
        [Cit("Smith et al., 2019, pp. 4–5", SMITH, "2019", etal=True, locator=("page", 4, 5))],
        id="et-al-with-pages",
    ),
    P(
        "Rates fell sharply (World Health Organization, 2019).",
        [Cit("World Health Organization, 2019", ("World Health Organization",), "2019")],
        id="group-author",
    ),
    P("Rates fell sharply (R Core Team, 2023).", [Cit("R Core Team, 2023", ("R Core Team",), "2023")], id="group-author-short"),
    P(
        "Rates fell sharply (World Health Organization [WHO], 2019). They kept falling (WHO, 2019).",
        [
            Cit("World Health Organization [WHO], 2019", ("World Health Organization",), "2019"),
            Cit("WHO, 2019", ("WHO",), "2019"),
        ],
        id="group-abbreviation-introduced-and-reused",
    ),
    P("Rates fell sharply (van der Berg, 2018).", [Cit("van der Berg, 2018", ("van der Berg",), "2018")], id="particles-van-der"),
    P("Rates fell sharply (De Souza, 2018).", [Cit("De Souza, 2018", ("De Souza",), "2018")], id="prefix-de"),
    P("Rates fell sharply (De Souza 2018).", [Cit("De Souza 2018", ("De Souza",), "2018")], id="prefix-de-no-comma"),
    P("Rates fell sharply (O'Neil, 2018).", [Cit("O'Neil, 2018", ("O'Neil",), "2018")], id="apostrophe-oneil"),
    P("Rates fell sharply (McDonald, 2018).", [Cit("McDonald, 2018", ("McDonald",), "2018")], id="inner-capital-mcdonald"),
    P(
        "Rates fell sharply (van der Berg & De Souza, 2018).",
        [Cit("van der Berg & De Souza, 2018", ("van der Berg", "De Souza"), "2018")],
        id="two-authors-with-particles",
    ),
    P(
        "Rates fell sharply (O'Neil & McDonald, 2018).",
        [Cit("O'Neil & McDonald, 2018", ("O'Neil", "McDonald"), "2018")],
        id="two-authors-oneil-mcdonald",
    ),
    P(
        "Rates fell sharply (Dubois-Dauphin, 2018).",
        [Cit("Dubois-Dauphin, 2018", ("Dubois-Dauphin",), "2018")],
        id="hyphenated-name",
    ),
    P("Rates fell sharply (Müller, 2018).", [Cit("Müller, 2018", ("Müller",), "2018")], id="accented-name"),
    P("Rates fell sharply (J. Brown, 2021).", [Cit("J. Brown, 2021", ("Brown",), "2021")], id="initial-before-surname"),
    # -- years --
    P("Rates fell sharply (Smith, 2018a).", [Cit("Smith, 2018a", SMITH, "2018a")], id="year-suffix"),
    P("Rates fell sharply (Smith, n.d.).", [Cit("Smith, n.d.", SMITH, "n.d.")], id="year-no-date"),
    P(
        "Rates fell sharply (Smith & Jones, n.d.).",
        [Cit("Smith & Jones, n.d.", ("Smith", "Jones"), "n.d.")],
        id="year-no-date-two",
    ),
    P("Rates fell sharply (Smith, in press).", [Cit("Smith, in press", SMITH, "in press")], id="year-in-press"),
    P("Rates fell sharply (Smith, forthcoming).", [Cit("Smith, forthcoming", SMITH, "forthcoming")], id="year-forthcoming"),
    P("Rates fell sharply (Smith, 1890/1983).", [Cit("Smith, 1890/1983", SMITH, "1890/1983")], id="year-original-reprint"),
    P(
        "Rates fell sharply (Smith, 1890/1983, p. 12).",
        [Cit("Smith, 1890/1983, p. 12", SMITH, "1890/1983", locator=("page", 12, 12))],
        id="year-original-reprint-with-page",
    ),
    # -- narrative --
    P("Smith (2018) measured the decline.", [N("Smith (2018)", SMITH, "2018")], id="narrative"),
    P("Earlier work exists. Smith (2018) measured it.", [N("Smith (2018)", SMITH, "2018")], id="narrative-mid-paragraph"),
    P(
        "Smith and Jones (2018) measured the decline.",
        [N("Smith and Jones (2018)", ("Smith", "Jones"), "2018")],
        id="narrative-two-authors",
    ),
    P(
        "As shown by Smith and Jones (2018), rates fell.",
        [N("Smith and Jones (2018)", ("Smith", "Jones"), "2018")],
        id="narrative-after-lead-words",
    ),
    P(
        "Smith et al. (2019, p. 4) measured the decline.",
        [N("Smith et al. (2019, p. 4)", SMITH, "2019", etal=True, locator=("page", 4, 4))],
        id="narrative-et-al-with-page",
    ),
    P("Smith's (2018) study measured the decline.", [N("Smith's (2018)", SMITH, "2018")], id="narrative-possessive"),
    P("Smith (in press) measured the decline.", [N("Smith (in press)", SMITH, "in press")], id="narrative-in-press"),
    P(
        "Both van der Berg (2018) and O'Neil (2019) measured it.",
        [N("van der Berg (2018)", ("van der Berg",), "2018"), N("O'Neil (2019)", ("O'Neil",), "2019")],
        id="narrative-two-in-one-sentence",
    ),
    P(
        "Van der Berg (2018) measured the decline.",
        [N("Van der Berg (2018)", ("Van der Berg",), "2018")],
        id="narrative-particle-capitalised",
    ),
]


@pytest.mark.parametrize(("text", "expected"), CITATIONS)
def test_citation_forms(text: str, expected: list[Cit]) -> None:
    found = find_citations(text)
    assert [span_text(text, c.span) for c in found] == [e.text for e in expected]
    assert [summary(text, c) for c in found] == expected
    assert all(c.text == span_text(text, c.span) for c in found)


@pytest.mark.parametrize(("text", "expected"), CITATIONS)
def test_citation_forms_survive_the_audit(text: str, expected: list[Cit]) -> None:
    """The whole pipeline (layout, then the finder with the text's own words) finds the same citations."""
    report = citecheck.audit(text)
    assert [summary(text, c) for c in report.citations] == expected


def test_citations_in_one_pair_share_a_group() -> None:
    text = "Rates fell (Smith, 2018, 2020; Jones, 2019) and rose again (Lee, 2021)."
    found = find_citations(text)
    assert [span_text(text, c.span) for c in found] == ["Smith, 2018", "2020", "Jones, 2019", "Lee, 2021"]
    groups = [c.group for c in found]
    assert groups[0] == groups[1] == groups[2]
    assert groups[3] != groups[0]


def test_initials_are_kept_apart_from_the_surname() -> None:
    (c,) = find_citations("Rates fell sharply (J. Brown, 2021).")
    assert (c.authors, c.initials) == (("Brown",), "J")


def test_abbreviation_is_recorded_where_it_is_introduced() -> None:
    text = "Rates fell (World Health Organization [WHO], 2019) and kept falling (WHO, 2019)."
    first, second = find_citations(text)
    assert (first.authors, first.abbreviation) == (("World Health Organization",), "WHO")
    assert (second.authors, second.abbreviation) == (("WHO",), None)


# ---------------------------------------------------------------------------------------------------
# Not citations: nothing is extracted, by the finder alone or by the whole audit.
# ---------------------------------------------------------------------------------------------------

NOT_CITATIONS = [
    P("The treaty created a bloc (SCO) for the region.", id="acronym"),
    P("The trend is clear (Figure 2) in every region.", id="figure-reference"),
    P("The trend is clear (see Table 3) in every region.", id="see-table"),
    P("The sample was large (N = 2018) and varied.", id="sample-size-like-a-year"),
    P("The effect was significant (p < .05) in both groups.", id="p-value"),
    P("The survey ran last spring (March 2020) in two towns.", id="month-and-year"),
    P("The boom lasted five years (1991–1995) in the south.", id="year-range"),
    P("The programme cost a lot ($190 billion) in total.", id="money"),
    P("The firm was founded in 2001 and grew quickly.", id="bare-year-in-prose"),
    P("The index rose (Figure 2, 2018) in most towns.", id="figure-with-year"),
    P("It was signed as the Treaty of Rome (1957) by six states.", id="thing-before-year"),
    P("Consider dabrafenib [Subbiah V, et al. J Clin Oncol 2018;36(1):7-13] first.", id="inline-vancouver-reference"),
    P("(Drilon A, et al. N Engl J Med 2018;378:731-739) and more.", id="inline-vancouver-without-issue"),
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_citations(text: str) -> None:
    assert find_citations(text) == []
    report = citecheck.audit(text)
    assert report.citations == ()
    assert report.findings == ()


def test_running_header_with_a_year_is_not_a_citation() -> None:
    """ "Vol.03 No.01 (2025)" recurs on every page of a PDF-extracted text; it is noise, not a citation."""
    header = "Vol.03 No.01 (2025)"
    text = manuscript(
        f"""
{header}
Coastal towns grew fast after the war (Hale, 2019). Ports expanded
in the north as well.

{header}
Trade routes shifted south (Ibarra & Cole, 2021). Shipping costs fell.

{header}
Later surveys agree with this reading of the harbour records.

{header}
Nothing else changed.
""",
        "Hale, M. (2019). Coastal towns. Urban History, 46(2), 200–215.",
        "Ibarra, L., & Cole, D. (2021). Trade routes. Maritime Studies, 20(1), 1–18.",
    )
    assert text.count(header) >= 3
    report = citecheck.audit(text)
    assert [c.text for c in report.citations] == ["Hale, 2019", "Ibarra & Cole, 2021"]
    header_spans = []
    pos = text.find(header)
    while pos != -1:
        header_spans.append((pos, pos + len(header)))
        pos = text.find(header, pos + 1)
    for c in report.citations:
        assert all(c.span.end <= s or c.span.start >= e for s, e in header_spans)
    assert findings_of(report) == set()


# ---------------------------------------------------------------------------------------------------
# Name forms in a full audit: the citation links to the entry it means and nothing is reported.
# ---------------------------------------------------------------------------------------------------

AUDITED = [
    P(
        manuscript(
            "Cases rose (World Health Organization [WHO], 2019). Later counts agreed (WHO, 2019).",
            "World Health Organization. (2019). *Global report on fevers*. WHO Press.",
        ),
        [
            ("World Health Organization [WHO], 2019", "exact", "World Health Organization"),
            ("WHO, 2019", "exact", "World Health Organization"),
        ],
        id="abbreviation-links-to-group-author",
    ),
    P(
        manuscript(
            "Dunes moved (van der Berg, 2018; De Souza, 2019). Later O'Neil (2020) and McDonald (2021) agreed.",
            "De Souza, M. (2019). Dune mobility. Aeolian Research, 38, 1–12.",
            "McDonald, R. (2021). Dune grasses. Plant Ecology, 222(3), 300–310.",
            "O'Neil, T. (2020). Sand transport. Sedimentology, 67(2), 700–720.",
            "van der Berg, J. (2018). Dune migration rates. Earth Surface Processes, 43(5), 1000–1012.",
        ),
        [
            ("van der Berg, 2018", "exact", "van der Berg, J"),
            ("De Souza, 2019", "exact", "De Souza, M"),
            ("O'Neil (2020)", "exact", "O'Neil, T"),
            ("McDonald (2021)", "exact", "McDonald, R"),
        ],
        id="particles-and-prefixes",
    ),
    P(
        manuscript(
            "Dunes moved, as De Souza (2019) showed.",
            "de Souza, M. (2019). Dune mobility. Aeolian Research, 38, 1–12.",
        ),
        [("De Souza (2019)", "exact", "de Souza, M")],
        id="particle-case-differs",
    ),
    P(
        manuscript(
            "Dunes moved (Dubois-Dauphin, 2022).",
            "Dubois-Dauphin, C. (2022). Coastal dunes. Geomorphology, 400, 50–61.",
        ),
        [("Dubois-Dauphin, 2022", "exact", "Dubois-Dauphin, C")],
        id="hyphenated",
    ),
    P(
        manuscript(
            "Soil maps were used (Müller, 2020).",
            "Muller, K. (2020). Soil maps. Geoderma, 12, 1–9.",
        ),
        [("Müller, 2020", "exact", "Muller, K")],
        id="accent-cited-plain-listed",
    ),
    P(
        manuscript(
            "Growth slowed (J. Brown, 2021), then recovered (K. Brown, 2021).",
            "Brown, J. (2021). Growth in cities. Urban Studies, 58(2), 10–20.",
            "Brown, K. (2021). Growth in towns. Rural Studies, 40(1), 30–44.",
        ),
        [("J. Brown, 2021", "exact", "Brown, J"), ("K. Brown, 2021", "exact", "Brown, K")],
        id="initials-disambiguate",
    ),
    P(
        manuscript(
            "Smith's (2018) study measured the decline.",
            "Smith, A. (2018). Forest decline. Ecology, 94(2), 10–20.",
        ),
        [("Smith's (2018)", "exact", "Smith, A")],
        id="possessive-narrative",
    ),
]


@pytest.mark.parametrize(("text", "expected_links"), AUDITED)
def test_name_forms_link_without_findings(text: str, expected_links: list[tuple[str, str, str | None]]) -> None:
    report = citecheck.audit(text)
    assert links_of(report) == expected_links
    assert findings_of(report) == set()


def test_initials_pick_one_brown_and_the_other_is_uncited() -> None:
    text = manuscript(
        "Growth slowed (J. Brown, 2021).",
        "Brown, J. (2021). Growth in cities. Urban Studies, 58(2), 10–20.",
        "Brown, K. (2021). Growth in towns. Rural Studies, 40(1), 30–44.",
    )
    report = citecheck.audit(text)
    assert links_of(report) == [("J. Brown, 2021", "exact", "Brown, J")]
    assert findings_of(report) == {("uncited-reference", "Brown, K. (2021). Growth in towns. Rural Studies, 40(1), 30–44.")}


# ---------------------------------------------------------------------------------------------------
# Properties: whatever the text, the finder returns sound spans and never raises.
# ---------------------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "(", ")", "[", "]", ";", ",", ", ", " ", "\n", "\n\n", ".", ":", "–", "-", "'s", "&", " and ",
        "Smith", "Jones", "van der Berg", "O'Neil", "Müller", "J. ", "World Health Organization", "[WHO]", "WHO",
        " et al.", "e.g., ", "see also ", "as cited in ", "2018", "2018a", "b", "1890/1983", "n.d.", "in press",
        "forthcoming", "p. 45", "pp. 45–50", "para. 3", "chap. 2", "45", "Figure 2", "N = 2018", "March",
    ]
)  # fmt: skip

KNOWN = KnownNames(surnames=frozenset({"smith", "jones", "vanderberg", "oneil"}), groups=frozenset({"world health organization"}))


def check_sound(text: str, found: list[Citation]) -> None:
    for c in found:
        assert 0 <= c.span.start < c.span.end <= len(text)
        assert c.text == span_text(text, c.span)
        assert c.authors
    for a, b in itertools.pairwise(found):
        assert a.span.end <= b.span.start


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_property_arbitrary_text(text: str) -> None:
    check_sound(text, find_citations(text))
    check_sound(text, find_citations(text, KNOWN))


@settings(deadline=None, max_examples=500)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_property_citation_like_text(text: str) -> None:
    check_sound(text, find_citations(text))
    check_sound(text, find_citations(text, KNOWN))


GROUPS_AND_BARE_YEARS = """Known (Smith et al., 2010; 2011). Mapped (1000 Genomes Project Consortium, 2015) and sequenced
(C. elegans Sequencing Consortium, 1998).

References

Smith, A., Lee, B., & Wu, C. (2010). One. Cell, 1(1), 1–2.

Smith, A., Lee, B., & Wu, C. (2011). Two. Cell, 2(1), 1–2.

1000 Genomes Project Consortium. (2015). A global reference for human genetic variation. Nature, 526, 68–74.

C. elegans Sequencing Consortium. (1998). Genome sequence of the nematode. Science, 282, 2012–2018.
"""


def test_bare_year_after_a_semicolon_and_group_names_no_pattern_reads() -> None:
    """A later part holding only a year keeps the authors before it; a listed group name that opens
    with digits or a lowercase word is read whole."""
    report = citecheck.audit(GROUPS_AND_BARE_YEARS)
    assert [(c.text, c.authors[0]) for c in report.citations] == [
        ("Smith et al., 2010", "Smith"),
        ("2011", "Smith"),
        ("1000 Genomes Project Consortium, 2015", "1000 Genomes Project Consortium"),
        ("C. elegans Sequencing Consortium, 1998", "C. elegans Sequencing Consortium"),
    ]
    assert all(link.status.value == "exact" for link in report.links)
    assert report.findings == ()
