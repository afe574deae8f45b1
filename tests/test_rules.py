"""The checks: for each rule a manuscript that passes and one that fails, and the exact findings of each."""

from __future__ import annotations

import pytest
from conftest import findings_of, links_of, manuscript

import citecheck
from citecheck.model import Severity

P = pytest.param

PEREIRA = "Pereira, A. (2013). Forest recovery. Ecology, 94(2), 10–20."
PEREYRA = "Pereyra, A. (2013). Forest recovery. Ecology, 94(2), 10–20."
SMITH_ARTICLE = "Smith, A. (2013). Forest recovery. Ecology, 94(2), 10–20."
SMITH_BOOK = "Smith, A. (2013). *Forest recovery*. Harbour Press, pp. 10–200."
BROWN_J = "Brown, J. (2021). Growth in cities. Urban Studies, 58(2), 10–20."
BROWN_K = "Brown, K. (2021). Growth in towns. Rural Studies, 40(1), 30–44."
REED_A = "Reed, T. (2016a). Forest recovery. Ecology, 94(2), 10–20."
REED_B = "Reed, T. (2016b). Forest decline. Ecology, 95(1), 30–40."
REED_1 = "Reed, T. (2016). Forest recovery. Ecology, 94(2), 10–20."
REED_2 = "Reed, T. (2016). Forest decline. Ecology, 95(1), 30–40."
REED_TWO = "Reed, T., & Alvarez, M. (2016). Forest recovery. Ecology, 94(2), 10–20."
REED_THREE = "Reed, T., Alvarez, M., & Osei, K. (2016). Forest recovery. Ecology, 94(2), 10–20."
VANCE = "Vance, P. (2017). Rain and soil. Hydrology, 3(1), 1–5."

# (manuscript, the exact set of (finding kind, text the finding points at))
RULES = [
    # -- missing-reference --
    P(manuscript("Forests recovered (Pereira, 2013).", PEREIRA), set(), id="missing-reference-clean"),
    P(
        manuscript("Forests recovered (Tanaka, 2013).", PEREIRA),
        {("missing-reference", "Tanaka, 2013"), ("uncited-reference", PEREIRA)},
        id="missing-reference-no-such-author",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2015).", PEREYRA),
        {("missing-reference", "Pereira, 2015"), ("uncited-reference", PEREYRA)},
        id="missing-reference-near-name-other-year",
    ),
    P(
        manuscript("Forests recovered (Reed & Osei, 2016).", REED_TWO),
        {("missing-reference", "Reed & Osei, 2016"), ("uncited-reference", REED_TWO)},
        id="missing-reference-co-author-differs",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2012, 2013).", PEREIRA),
        {("missing-reference", "Pereira, 2012")},
        id="missing-reference-other-year-in-the-same-pair",
    ),
    # -- uncited-reference --
    P(
        manuscript("Forests recovered (Pereira, 2013). Rain fell (Vance, 2017).", PEREIRA, VANCE),
        set(),
        id="uncited-reference-clean",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2013).", PEREIRA, VANCE),
        {("uncited-reference", VANCE)},
        id="uncited-reference",
    ),
    P(
        manuscript("This text cites nothing at all, in 2001 or later.", PEREIRA, VANCE),
        set(),
        id="uncited-reference-silent-without-citations",
    ),
    # -- year-mismatch --
    P(manuscript("Pereira (2013) measured it.", PEREIRA), set(), id="year-mismatch-clean"),
    P(
        manuscript(
            "Dreams matter (Freud, 1890/1983, p. 12).",
            "Freud, S. (1983). *The meaning of dreams*. Harbour Press. (Original work published 1890)",
        ),
        set(),
        id="year-mismatch-clean-original-and-reprint",
    ),
    P(
        manuscript(
            "Forests recovered (Smith, 2018, 2020).", SMITH_ARTICLE.replace("2013", "2018"), SMITH_ARTICLE.replace("2013", "2020")
        ),
        set(),
        id="year-mismatch-clean-two-years-one-author",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2014).", PEREIRA),
        {("year-mismatch", "Pereira, 2014")},
        id="year-mismatch",
    ),
    P(
        manuscript("Pereira (2014) measured it.", PEREIRA),
        {("year-mismatch", "Pereira (2014)")},
        id="year-mismatch-narrative",
    ),
    # -- author-misspelling --
    P(manuscript("Forests recovered (Smith, 2013).", SMITH_ARTICLE), set(), id="author-misspelling-clean"),
    P(
        manuscript("Forests recovered (Müller, 2020).", "Muller, K. (2020). Soil maps. Geoderma, 12, 1–9."),
        set(),
        id="author-misspelling-accent-is-no-slip",
    ),
    P(
        manuscript("Forests recovered (Smyth, 2013).", SMITH_ARTICLE),
        {("author-misspelling", "Smyth, 2013")},
        id="author-misspelling",
    ),
    P(
        manuscript("Forests recovered (Reed & Alvarz, 2016).", REED_TWO),
        {("author-misspelling", "Reed & Alvarz, 2016")},
        id="author-misspelling-co-author",
    ),
    # -- ambiguous-citation --
    P(
        manuscript("Growth slowed (J. Brown, 2021), then rose (K. Brown, 2021).", BROWN_J, BROWN_K),
        set(),
        id="ambiguous-citation-clean-initials",
    ),
    P(
        manuscript("Growth slowed (Brown, 2021).", BROWN_J, BROWN_K),
        {("ambiguous-citation", "Brown, 2021")},
        id="ambiguous-citation-two-browns",
    ),
    # -- page-out-of-range --
    P(manuscript("Forests recovered (Smith, 2013, p. 15).", SMITH_ARTICLE), set(), id="page-out-of-range-clean-inside"),
    P(manuscript("Forests recovered (Smith, 2013, p. 20).", SMITH_ARTICLE), set(), id="page-out-of-range-clean-last-page"),
    P(manuscript("Forests recovered (Smith, 2013, pp. 10–12).", SMITH_ARTICLE), set(), id="page-out-of-range-clean-range-inside"),
    P(
        manuscript("Forests recovered (Smith, 2013, p. 25).", SMITH_ARTICLE),
        {("page-out-of-range", "Smith, 2013, p. 25")},
        id="page-out-of-range-article",
    ),
    P(
        manuscript("Forests recovered (Smith, 2013, pp. 18–22).", SMITH_ARTICLE),
        {("page-out-of-range", "Smith, 2013, pp. 18–22")},
        id="page-out-of-range-range-overlaps-end",
    ),
    P(
        manuscript("Forests recovered (Smith 2013, 9).", SMITH_ARTICLE),
        {("page-out-of-range", "Smith 2013, 9")},
        id="page-out-of-range-chicago-page",
    ),
    P(
        manuscript("Smith (2013, p. 2) measured it.", SMITH_ARTICLE),
        {("page-out-of-range", "Smith (2013, p. 2)")},
        id="page-out-of-range-narrative",
    ),
    P(manuscript("Forests recovered (Smith, 2013, p. 150).", SMITH_BOOK), set(), id="page-out-of-range-clean-book"),
    P(
        manuscript(
            "Castillo and Adams (2017, 30) disagree with that reading.",
            'Castillo, Maria, and Peter Adams. 2017. "Sediment Budgets." Marine Geology 390 (2): 12–25.',
        ),
        {("page-out-of-range", "Castillo and Adams (2017, 30)")},
        id="page-out-of-range-chicago-journal-article",
    ),
    P(
        manuscript("Forests recovered (Smith, 2013, p. 250).", SMITH_BOOK),
        {("page-out-of-range", "Smith, 2013, p. 250")},
        id="page-out-of-range-book",
    ),
    P(
        manuscript(
            "Forests recovered (Smith, 2013, p. 900).",
            "Smith, A. (2013). Forest recovery. Island Biology, 14(3), e0123456.",
        ),
        set(),
        id="page-out-of-range-article-number-not-checked",
    ),
    # -- suffix-needed --
    P(manuscript("Forests recovered (Reed, 2016a) and declined (Reed, 2016b).", REED_A, REED_B), set(), id="suffix-needed-clean"),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, REED_2),
        {("ambiguous-citation", "Reed, 2016"), ("suffix-needed", REED_2)},
        id="suffix-needed-no-suffixes",
    ),
    P(
        manuscript(
            "Forests recovered (Reed, 2016a).",
            REED_A,
            "Reed, T. (2016a). Forest decline. Ecology, 95(1), 30–40.",
        ),
        {("ambiguous-citation", "Reed, 2016a"), ("suffix-needed", "Reed, T. (2016a). Forest decline. Ecology, 95(1), 30–40.")},
        id="suffix-needed-same-letter",
    ),
    # -- et-al-misuse --
    P(manuscript("Forests recovered (Reed & Alvarez, 2016).", REED_TWO), set(), id="et-al-misuse-clean-two-authors"),
    P(manuscript("Forests recovered (Reed et al., 2016).", REED_THREE), set(), id="et-al-misuse-clean-three-authors"),
    P(
        manuscript(
            "Forests recovered (Reed et al., 2016).",
            "Reed, T., Alvarez, M., et al. (2016). Forest recovery. Ecology, 94(2), 10–20.",
        ),
        set(),
        id="et-al-misuse-clean-list-cut",
    ),
    P(
        manuscript("Forests recovered (Reed et al., 2016).", REED_TWO),
        {("et-al-misuse", "Reed et al., 2016")},
        id="et-al-misuse-et-al-for-two",
    ),
    P(
        manuscript("Reed et al. (2016) measured it.", REED_TWO),
        {("et-al-misuse", "Reed et al. (2016)")},
        id="et-al-misuse-et-al-for-two-narrative",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_THREE),
        {("et-al-misuse", "Reed, 2016")},
        id="et-al-misuse-one-name-for-three",
    ),
    P(
        manuscript("Forests recovered (Reed & Alvarez, 2016).", REED_THREE),
        {("et-al-misuse", "Reed & Alvarez, 2016")},
        id="et-al-misuse-two-names-for-three",
    ),
    # -- duplicate-reference --
    P(
        manuscript("Forests recovered (Reed, 2016a) and declined (Reed, 2016b).", REED_A, REED_B),
        set(),
        id="duplicate-reference-clean",
    ),
    P(
        manuscript(
            "Forests recovered (Reed, 2016).",
            REED_1 + " https://doi.org/10.1000/eco.1",
            REED_1 + " https://doi.org/10.1000/eco.1",
        ),
        {("duplicate-reference", REED_1 + " https://doi.org/10.1000/eco.1")},
        id="duplicate-reference-same-doi",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, REED_1),
        {("duplicate-reference", REED_1)},
        id="duplicate-reference-same-entry",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2013).", PEREIRA, VANCE, VANCE),
        {("uncited-reference", VANCE), ("duplicate-reference", VANCE)},
        id="duplicate-reference-uncited",
    ),
    P(
        manuscript(
            "The committee met twice (Morris, 1981a, 1981b).",
            "Morris, R. (1981a). Report on the January 1981 steering committee meeting. TUGboat, 2(1), 5–6.",
            "Morris, R. (1981b). Report on the May 1981 steering committee meeting. TUGboat, 2(2), 4–5.",
        ),
        set(),
        id="duplicate-reference-a-column-in-two-issues",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, "Reed, T. (2016). Forest recovery. Ecology, 94, 10–20."),
        {("duplicate-reference", "Reed, T. (2016). Forest recovery. Ecology, 94, 10–20.")},
        id="duplicate-reference-one-without-its-issue",
    ),
    # -- unparsed-reference --
    P(manuscript("Forests recovered (Reed, 2016).", REED_1), set(), id="unparsed-reference-clean"),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, "Okafor, N. Untitled manuscript on trade."),
        {("unparsed-reference", "Okafor, N. Untitled manuscript on trade.")},
        id="unparsed-reference-no-year",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, "Anonymous report on trade, retrieved from the ministry website."),
        {("unparsed-reference", "Anonymous report on trade, retrieved from the ministry website.")},
        id="unparsed-reference-stray-line",
    ),
    # -- no-reference-list --
    P(
        manuscript("Forests recovered (Reed, 2016). Rain fell (Vance, 2017)."),
        {("no-reference-list", "Reed, 2016")},
        id="no-reference-list",
    ),
    P(manuscript("Forests recovered, as every survey since 2001 shows."), set(), id="no-reference-list-clean-no-citations"),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, heading="Bibliography"),
        set(),
        id="no-reference-list-clean-bibliography",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_1, heading="## Works Cited"),
        set(),
        id="no-reference-list-clean-works-cited",
    ),
    # -- quotation-without-locator --
    P(
        manuscript('Growth was "slower than any model had predicted for the region" (Reed, 2016, p. 12).', REED_1),
        set(),
        id="quotation-without-locator-clean",
    ),
    P(
        manuscript(
            'Growth was "slower than any model had predicted" (Reed, 2016). Rain fell (Vance, 2017, p. 2).', REED_1, VANCE
        ),
        {("quotation-without-locator", "Reed, 2016")},
        id="quotation-without-locator",
    ),
    P(
        manuscript('Drills such as "Vostok" grew (Reed, 2016). Rain fell (Vance, 2017, p. 2).', REED_1, VANCE),
        set(),
        id="quotation-without-locator-clean-a-quoted-term",
    ),
    P(
        manuscript('Growth was "slower than any model had predicted" (Reed, 2016).', REED_1),
        set(),
        id="quotation-without-locator-clean-style-without-locators",
    ),
    # -- reference-order --
    P(
        manuscript(
            "A (Adams, 2001), B (Baker, 2002), C (Cole, 2003), D (de Melo, 2004), E (Duarte, 2005), F (Evans, 2006).",
            "Adams, A. (2001). One. Ecology, 1(1), 1–2.",
            "Baker, B. (2002). Two. Ecology, 1(1), 1–2.",
            "Cole, C. (2003). Three. Ecology, 1(1), 1–2.",
            "de Melo, D. (2004). Four. Ecology, 1(1), 1–2.",
            "Duarte, E. (2005). Five. Ecology, 1(1), 1–2.",
            "Evans, F. (2006). Six. Ecology, 1(1), 1–2.",
        ),
        set(),
        id="reference-order-clean-particle-filed-either-way",
    ),
    P(
        manuscript(
            "A (Adams, 2001), B (Baker, 2002), C (Cole, 2003), D (Zhou, 2004), E (Dunn, 2005), F (Evans, 2006), G (Ford, 2007).",
            "Adams, A. (2001). One. Ecology, 1(1), 1–2.",
            "Baker, B. (2002). Two. Ecology, 1(1), 1–2.",
            "Cole, C. (2003). Three. Ecology, 1(1), 1–2.",
            "Zhou, D. (2004). Four. Ecology, 1(1), 1–2.",
            "Dunn, E. (2005). Five. Ecology, 1(1), 1–2.",
            "Evans, F. (2006). Six. Ecology, 1(1), 1–2.",
            "Ford, G. (2007). Seven. Ecology, 1(1), 1–2.",
        ),
        {("reference-order", "Zhou, D. (2004). Four. Ecology, 1(1), 1–2.")},  # the entry out of place, not the one after it
        id="reference-order",
    ),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_rules(text: str, expected: set[tuple[str, str]]) -> None:
    assert findings_of(citecheck.audit(text)) == expected


# ---------------------------------------------------------------------------------------------------
# What the findings say: a part of the message, the suggestion or the severity.
# ---------------------------------------------------------------------------------------------------

DETAILS = [
    P(
        manuscript("Forests recovered (Pereira, 2015).", PEREYRA),
        "missing-reference",
        "message",
        "Pereyra (2013)",
        id="missing-names-nearest",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2015).", PEREYRA),
        "missing-reference",
        "suggestion",
        "Pereyra (2013)",
        id="missing-suggests-nearest",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2014).", PEREIRA),
        "year-mismatch",
        "message",
        "2013",
        id="year-mismatch-names-listed-year",
    ),
    P(
        manuscript("Forests recovered (Pereira, 2014).", PEREIRA),
        "year-mismatch",
        "suggestion",
        "2013",
        id="year-mismatch-suggests-listed-year",
    ),
    P(
        manuscript("Forests recovered (Smyth, 2013).", SMITH_ARTICLE),
        "author-misspelling",
        "suggestion",
        "'Smith'",
        id="misspelling-suggests-listed-spelling",
    ),
    P(
        manuscript("Forests recovered (Smyth, 2013).", SMITH_ARTICLE),
        "author-misspelling",
        "message",
        "Smith",
        id="misspelling-names-listed-spelling",
    ),
    P(
        manuscript("Growth slowed (Brown, 2021).", BROWN_J, BROWN_K),
        "ambiguous-citation",
        "suggestion",
        "(J. Brown, 2021)",
        id="ambiguous-suggests-initials",
    ),
    P(
        manuscript("Forests recovered (Smith, 2013, p. 25).", SMITH_ARTICLE),
        "page-out-of-range",
        "message",
        "10–20",
        id="page-names-listed-range",
    ),
    P(
        manuscript("Forests recovered (Reed et al., 2016).", REED_TWO),
        "et-al-misuse",
        "suggestion",
        "(Reed & Alvarez, 2016)",
        id="et-al-suggests-two-names",
    ),
    P(
        manuscript("Forests recovered (Reed, 2016).", REED_THREE),
        "et-al-misuse",
        "suggestion",
        "(Reed et al., 2016)",
        id="et-al-suggests-et-al",
    ),
]


@pytest.mark.parametrize(("text", "kind", "field", "needle"), DETAILS)
def test_finding_details(text: str, kind: str, field: str, needle: str) -> None:
    (finding,) = [f for f in citecheck.audit(text).findings if f.kind == kind]
    assert needle in (getattr(finding, field) or "")


def test_missing_reference_without_a_near_name_suggests_nothing_in_particular() -> None:
    (finding,) = [
        f
        for f in citecheck.audit(manuscript("Forests recovered (Tanaka, 2013).", PEREIRA)).findings
        if f.kind == "missing-reference"
    ]
    assert "Pereira" not in finding.message


SEVERITIES = [
    P(
        manuscript("Forests recovered (Smith, 2013, p. 25).", SMITH_ARTICLE),
        "page-out-of-range",
        Severity.ERROR,
        id="page-article-error",
    ),
    P(
        manuscript("Forests recovered (Smith, 2013, p. 250).", SMITH_BOOK),
        "page-out-of-range",
        Severity.WARNING,
        id="page-book-warning",
    ),
    P(manuscript("Forests recovered (Tanaka, 2013).", PEREIRA), "missing-reference", Severity.ERROR, id="missing-error"),
    P(manuscript("Forests recovered (Tanaka, 2013).", PEREIRA), "uncited-reference", Severity.WARNING, id="uncited-warning"),
    P(manuscript("Forests recovered (Reed et al., 2016).", REED_TWO), "et-al-misuse", Severity.WARNING, id="et-al-warning"),
]


@pytest.mark.parametrize(("text", "kind", "severity"), SEVERITIES)
def test_severity(text: str, kind: str, severity: Severity) -> None:
    assert [f.severity for f in citecheck.audit(text).findings if f.kind == kind] == [severity]


def test_book_and_article_are_told_apart() -> None:
    report = citecheck.audit(manuscript("Forests recovered (Smith, 2013).", SMITH_BOOK))
    assert report.references[0].kind == "book"
    report = citecheck.audit(manuscript("Forests recovered (Smith, 2013).", SMITH_ARTICLE))
    assert report.references[0].kind == "article"


# ---------------------------------------------------------------------------------------------------
# Linking: an exact name and year beat a fuzzy match.
# ---------------------------------------------------------------------------------------------------

BOWN = "Bown, P. (2023). Growth in villages. Rural Studies, 42(1), 5–19."
BROWN_2023 = "Brown, J. (2023). Growth in suburbs. Urban Studies, 60(1), 1–9."

EXACT_FIRST = [
    P(
        manuscript("Growth slowed (Brown, 2021). It stalled later (Bown, 2023).", BROWN_J, BOWN),
        [("Brown, 2021", "exact", "Brown, J"), ("Bown, 2023", "exact", "Bown, P")],
        id="bown-2023-with-brown-2021",
    ),
    P(
        manuscript("It stalled (Bown, 2023), then recovered (Brown, 2023).", BOWN, BROWN_2023),
        [("Bown, 2023", "exact", "Bown, P"), ("Brown, 2023", "exact", "Brown, J")],
        id="bown-and-brown-same-year",
    ),
    P(
        manuscript("It stalled (Bown, 2023).", BROWN_2023, BOWN),
        [("Bown, 2023", "exact", "Bown, P")],
        id="bown-with-brown-listed-first",
    ),
]


@pytest.mark.parametrize(("text", "expected_links"), EXACT_FIRST)
def test_exact_beats_fuzzy(text: str, expected_links: list[tuple[str, str, str]]) -> None:
    report = citecheck.audit(text)
    assert links_of(report) == expected_links
    assert not {kind for kind, _ in findings_of(report)} & {"author-misspelling", "ambiguous-citation", "missing-reference"}


# ---------------------------------------------------------------------------------------------------
# Whole manuscripts with nothing to report.
# ---------------------------------------------------------------------------------------------------

CLEAN = manuscript(
    """
# Dune recovery on the northern coast

Dunes recover within a decade when grazing stops (Okafor & Lindqvist, 2019), although the pace
varies (e.g., Reed, 2016a, 2016b; see also van der Berg et al., 2018, p. 1004). Castillo (2017)
argued that sediment supply sets that pace, and Reed's earlier survey agrees (Reed, 2016a, pp. 12–14).
Monitoring follows national guidance (World Meteorological Organization [WMO], 2020), revised
since (WMO, 2022). Sand transport was measured by O'Neil (in press) and by Müller (n.d.).

The sample covered 240 sites (N = 240) surveyed in March 2020 (Figure 2), and the effect held
(p < .05) across the years 1991–1995.
""",
    "Castillo, M. (2017). *Sediment budgets of realigned marshes*. Harbour Press.",
    "Muller, K. (n.d.). Sand on the move. Dune Notes. https://example.org/dunes",
    "O'Neil, T. (in press). Sand transport on beaches. Sedimentology.",
    "Okafor, N. A., & Lindqvist, E. (2019). Tidal flooding of farmland. *Estuarine Ecology*, *41*(2), 101–118.",
    "Reed, T. (2016a). Forest recovery. Ecology, 94(2), 10–20.",
    "Reed, T. (2016b). Forest decline. Ecology, 95(1), 30–40.",
    "van der Berg, J., Diaz, L., & Fox, R. (2018). Dune migration rates. Earth Surface Processes, 43(5), 1000–1012.",
    "World Meteorological Organization. (2020). *State of the climate in the north*. WMO Press.",
    "World Meteorological Organization. (2022). *State of the climate in the north: Revised*. WMO Press.",
)


def test_clean_manuscript_has_no_findings() -> None:
    report = citecheck.audit(CLEAN)
    assert [c.text for c in report.citations] == [
        "Okafor & Lindqvist, 2019",
        "Reed, 2016a",
        "2016b",
        "van der Berg et al., 2018, p. 1004",
        "Castillo (2017)",
        "Reed, 2016a, pp. 12–14",
        "World Meteorological Organization [WMO], 2020",
        "WMO, 2022",
        "O'Neil (in press)",
        "Müller (n.d.)",
    ]
    assert all(link.status.value == "exact" for link in report.links)
    assert report.findings == ()


@pytest.mark.parametrize(
    "text",
    [
        P("Dunes move inland every winter.\n", id="one-line"),
        P(
            "# Notes\n\nDunes move (slowly) inland in 2001 and 2002.\n\nThey stop at the road (Figure 3).\n",
            id="prose-with-brackets-and-years",
        ),
        P("", id="empty"),
    ],
)
def test_no_citations_and_no_list_gives_no_findings(text: str) -> None:
    report = citecheck.audit(text)
    assert report.citations == ()
    assert report.findings == ()


BOOK = """Chapter 1. Marshes

Marshes recover slowly (Smith, 2018). Tides matter (Lee, 2020).

References

Smith, J. (2018). Marsh recovery. Estuaries, 12(2), 20–30.

Lee, K. (2020). Tides. Coastal Review, 3(1), 1–10.

Chapter 2. Dunes

Dunes move (Smith, 2018), as tides do (Lee, 2020). Wind shapes them (Okafor, 2021).

References

Lee, K. (2020). Tides. Coastal Review, 3(1), 1–10.

Okafor, N. (2021). Wind and sand. Aeolian Research, 7, 100–110.

Smith, J. (2018). Dune migration. Geomorphology, 40, 5–15.
"""


def test_a_list_per_chapter() -> None:
    report = citecheck.audit(BOOK)
    # Every chapter's list is read; each keeps its own order, and a work listed in two chapters
    # is no duplicate. "(Smith, 2018)" means chapter 1's Smith in chapter 1 and chapter 2's in 2.
    assert len(report.references) == 5
    assert report.findings == ()
    got = [(link.status.value, report.references[link.reference].title) for link in report.links if link.reference is not None]
    assert got == [
        ("exact", "Marsh recovery"),
        ("exact", "Tides"),
        ("exact", "Dune migration"),
        ("exact", "Tides"),
        ("exact", "Wind and sand"),
    ]
    # A chapter's list ends where the next chapter begins: its text is searched for citations.
    assert [c.text for c in report.citations][2:] == ["Smith, 2018", "Lee, 2020", "Okafor, 2021"]
    # A "References" line in a table of contents heads no list.
    contents = "Contents\n\nIntroduction\n\nReferences\n\nAppendix\n\n" + BOOK.split("Chapter 2. Dunes")[1]
    assert citecheck.audit(contents).findings == ()
