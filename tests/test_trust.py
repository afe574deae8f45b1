"""False alarms and misses seen on real articles, one test (or more) per pattern.

Each manuscript here is invented in the shape of the pattern it covers: an in-text citation form,
a reference list, and what the audit must say of them (most often: nothing). The pattern ids (A1,
B2, ...) name the general pattern behind a false alarm, so that a regression points at it.
"""

from __future__ import annotations

from pathlib import Path

from invented import audit, kinds, linked_to

import citecheck
from citecheck.model import Report, Severity


def cited(report: Report) -> list[str]:
    return [report.source.text[c.span.start : c.span.end] for c in report.citations]


# -- A. finding citations in running text --------------------------------------------------------------


def test_a1_a_surname_that_is_a_function_word_is_kept() -> None:
    report = audit(
        "Shell growth slowed in cold water (In et al., 2012). Later surveys agreed (Moss, 2010; An et al. 2016).",
        [
            "In, S. J., Park, K., & Cho, M. (2012). Shell growth in cold water. Marine Biology, 5, 1–10.",
            "An, Y., Lee, H., & Kim, J. (2016). Surveys of shells. Marine Biology, 9, 11–20.",
            "Moss, T. (2010). Shells. Marine Biology, 3, 1–9.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["In 2012", "Moss 2010", "An 2016"]


def test_a2_products_and_events_before_a_year_are_not_citations() -> None:
    report = audit(
        "Plates were read (either a Lumora reader or an Orbix 2000). Events were run at Eastvale College "
        "(Data Week 2019 (Marek et al., 2019), Teaching Fair 2020 (Pohl et al., 2020), 2021 (Pohl et al., 2021)).",
        [
            "Marek, A., Ruiz, B., & Sato, C. (2019). Data week. Teaching Notes, 1, 1–5.",
            "Pohl, D., Quade, E., & Rask, F. (2020). Teaching fair. Teaching Notes, 2, 6–9.",
            "Pohl, D., Quade, E., & Rask, F. (2021). Teaching fair again. Teaching Notes, 3, 10–15.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Marek 2019", "Pohl 2020", "Pohl 2021"]


def test_a3_a_figure_panel_letter_is_no_coauthor() -> None:
    report = audit(
        "Cells migrate further (Figure 2C and Ulloa et al., 2010), as in flies (Table 1B and Vidal, 2004).",
        [
            "Ulloa, F., Marti, E., & Briscoe, J. (2010). Migration. Development, 4, 1–8.",
            "Vidal, M. (2004). Flies. Genetics, 2, 3–9.",
        ],
    )
    assert kinds(report) == []
    assert cited(report) == ["Ulloa et al., 2010", "Vidal, 2004"]


def test_a4_a_second_year_in_any_order_is_a_year_not_a_page() -> None:
    report = audit(
        "Growth was fast (Okafor et al., 2011, 2010) and slow (Ibe, 1999, 1987).",
        [
            "Ibe, K. (1987). Slow growth. Plant Journal, 1, 1–9.",
            "Ibe, K. (1999). Slower growth. Plant Journal, 12, 10–19.",
            "Okafor, N., Eze, C., & Obi, D. (2010). Fast growth. Plant Journal, 8, 20–30.",
            "Okafor, N., Eze, C., & Obi, D. (2011). Faster growth. Plant Journal, 9, 410–422.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Okafor 2011", "Okafor 2010", "Ibe 1999", "Ibe 1987"]


def test_a4_a_smaller_number_the_range_could_hold_is_still_a_page() -> None:
    report = audit("As argued (Hale, 2011, 1500) and (Hale, 2011, 1999).", ["Hale, P. (2011). A long book. Big Press."])
    assert [c.locator.first if c.locator else None for c in report.citations] == [1500, 1999]


def test_a5_a_ratio_is_no_page_and_a_bare_number_raises_no_error() -> None:
    report = audit(
        "Antibody was diluted (Renner et al., 2008, 1:5000). Later work (Sorel et al., 2009, 12) agreed.",
        [
            "Renner, A., Bose, B., & Carr, C. (2008). Antibodies. Immunology, 3, 70–84.",
            "Sorel, D., Tam, E., & Uhl, F. (2009). More antibodies. Immunology, 4, 100–110.",
        ],
    )
    assert report.citations[0].locator is None
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_a6_running_text_citations_with_a_year_suffix() -> None:
    report = audit(
        "Specimens described by Garnet et al., 2004, Hollis et al., 2009a, and Hollis et al., 2009b were used.",
        [
            "Garnet, A., Hale, B., & Ivo, C. (2004). Bones. Zoology, 1, 1–10.",
            "Hollis, D., Jun, E., & Kemp, F. (2009a). Teeth. Zoology, 2, 11–20.",
            "Hollis, D., Jun, E., & Kemp, F. (2009b). Jaws. Zoology, 3, 21–30.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Garnet 2004", "Hollis 2009a", "Hollis 2009b"]


def test_a6_running_text_citations_of_two_authors_in_a_table_cell() -> None:
    report = audit(
        "Gene | Drug | Reference\nSMAD4 | none | Schutte et al., 1996; Demagny and De Robertis, 2016\n\nMore text follows.",
        [
            "Demagny, H., & De Robertis, E. M. (2016). Smad4. Development, 1, 1–9.",
            "Schutte, M., Hruban, R., & Kern, S. (1996). Smad4 again. Science, 2, 10–19.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Schutte 1996", "Demagny 2016"]


def test_a7_initials_after_the_surname_inside_the_citation() -> None:
    report = audit(
        "Tests agree (Belford, R. et al., 2011; Amsel et al., 2003) and (Corso, M. A., & Pike, 2019).",
        [
            "Amsel, A., Berg, B., & Cole, C. (2003). Tests. Methods, 1, 1–9.",
            "Belford, R., Dunn, D., & Eck, E. (2011). More tests. Methods, 2, 10–19.",
            "Corso, M. A., & Pike, L. (2019). Tests again. Methods, 3, 20–29.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Belford 2011", "Amsel 2003", "Corso 2019"]


def test_a8_a_group_author_with_comma_separated_parts() -> None:
    report = audit(
        "Coverage rose (Republic of Norland, Ministry of Health, Survey Unit, 2018).",
        ["Republic of Norland, Ministry of Health, Survey Unit. (2018). National health survey. Norland City."],
    )
    assert kinds(report) == []
    assert cited(report) == ["Republic of Norland, Ministry of Health, Survey Unit, 2018"]


def test_a9_a_group_name_opening_with_digits_glued_to_letters() -> None:
    report = audit(
        "Scans were made by the core (3D Imaging Core of Easton University, 2017).",
        ["3D Imaging Core of Easton University. (2017). Scanning protocols. Easton."],
    )
    assert kinds(report) == []
    assert cited(report) == ["3D Imaging Core of Easton University, 2017"]


def test_a10_a_work_cited_by_its_quoted_title() -> None:
    report = audit(
        "Networks are introduced in such as “Practical Neural Networks” (n.d.) and in (“Deep Trees”, 2021).",
        [
            "Deep Trees. (2021). Retrieved from https://example.org/trees",
            "Practical Neural Networks. (n.d.). Retrieved from https://example.org/nets",
        ],
    )
    assert kinds(report) == []
    assert len(report.citations) == 2


def test_c3_a_quoted_title_that_matches_no_entry_is_reported_on_the_citation() -> None:
    report = audit(
        "See “Intro to Nets” (n.d.) and Moss (2010).",
        ["Moss, T. (2010). Shells. Marine Biology, 3, 1–9.", "Nets for Everyone. (2023). Retrieved from https://example.org"],
    )
    missing = [f for f in report.findings if f.kind == "missing-reference"]
    assert len(missing) == 1 and "Intro to Nets" in missing[0].message


def test_d3_a_line_break_between_et_al_and_the_year() -> None:
    report = audit(
        "As shown by Garnet et al.,\n2004, bones differ.",
        ["Garnet, A., Hale, B., & Ivo, C. (2004). Bones. Zoology, 1, 1–10."],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Garnet 2004"]


# -- B. linking and judging ------------------------------------------------------------------------------


def test_b1_a_one_letter_slip_in_the_list_beats_a_year_that_is_off() -> None:
    report = audit(
        "Soils were wet (Kovačević et al., 2000) and dry (Kovačević et al., 1999).",
        [
            "Kovačevi, M., Horvat, I., & Babić, T. (2000). Wet soils. Soil Science, 1, 1–9.",
            "Kovačević, M., Horvat, I., & Babić, T. (1999). Dry soils. Soil Science, 2, 10–19.",
        ],
    )
    assert kinds(report) == ["author-misspelling"]
    assert linked_to(report) == ["Kovačevi 2000", "Kovačević 1999"]
    finding = report.findings[0]
    assert "year" not in (finding.suggestion or "")  # never "change the year to 1999", another work's
    assert (finding.suggestion or "").startswith("Correct the entry")  # the list spells it right elsewhere


def test_b2_two_of_three_authors_of_a_unique_entry() -> None:
    report = audit(
        "Moods vary (Lindqvist & Moreau, 2020).",
        ["Lindqvist, A., Baptiste, C., & Moreau, D. (2020). Moods. Emotion, 1, 1–9."],
    )
    assert linked_to(report) == ["Lindqvist 2020"]
    assert not [f for f in report.findings if f.severity is Severity.ERROR]


def test_b3_an_initial_left_in_the_surname_field() -> None:
    report = audit("Rain fell (Talbot, 2006).", ["Talbot R, P. (2006). Rain. Weather, 1, 1–9."])
    assert not [f for f in report.findings if f.severity is not Severity.NOTE]
    assert linked_to(report) == ["Talbot 2006"]


def test_e_an_author_list_that_differs_as_well_as_the_year() -> None:
    report = audit("Birds sang (Brook, 2001).", ["Brook, A., Cole, B., & Dunn, C. (2000). Birdsong. Ibis, 1, 1–9."])
    assert kinds(report) == ["year-mismatch"]


# -- C. policy --------------------------------------------------------------------------------------------


def test_c1_unpublished_work_is_a_note_of_its_own_kind() -> None:
    report = audit(
        "Flies sleep (Quint and Adair, in preparation; Vance et al. 2016, in revision), as Moss (2010) found "
        "(R. Ng, personal communication; Orr, unpublished data). Vance et al. (2016, in revision) agree.",
        ["Moss, T. (2010). Shells. Marine Biology, 3, 1–9."],
    )
    assert [f.kind for f in report.findings] == ["unpublished-citation"] * 5
    assert all(f.severity is Severity.NOTE for f in report.findings)
    vance = [c for c in report.citations if c.authors == ("Vance",)]
    assert [(c.year, c.status) for c in vance] == [("2016", "in revision")] * 2
    assert cited(report)[-1] == "Vance et al. (2016, in revision)"  # the bracket closes after the status


def test_c2_undated_in_the_text_dated_in_the_list_is_a_warning() -> None:
    report = audit("As Prasad (n.d.) shows.", ["Prasad, S. (2025). Dates. Retrieved from https://example.org"])
    assert kinds(report) == ["year-mismatch"]
    assert report.findings[0].severity is Severity.WARNING


# -- D. format readers ------------------------------------------------------------------------------------


def test_d5_a_bibliography_name_with_a_dot(tmp_path: Path) -> None:
    (tmp_path / "refs.v2.bib").write_text("@article{smith2018,\n  author={Smith, J.},\n  title={T},\n  year={2018}\n}\n")
    main = tmp_path / "main.tex"
    main.write_text(
        "\\documentclass{article}\n\\begin{document}\nA \\citep{smith2018}.\n\\bibliography{refs.v2}\n\\end{document}\n"
    )
    report = citecheck.audit(main)
    assert [f.kind for f in report.findings] == []


# -- E. domain knowledge -----------------------------------------------------------------------------------


def test_e_taxonomic_authorities_are_not_citations() -> None:
    report = audit(
        "We collected *Carabus auratus* Linnaeus, 1758 and Carabus nemoralis (Müller, 1764) near the coast, "
        "with Harmothoe spinosa Grube, 1858 and Nereis diversicolor (Mañé-Garzón, 1949), as Ruiz (2015) describes.",
        ["Ruiz, P. (2015). Beetles of the coast. Zootaxa, 1, 1–20."],
    )
    assert kinds(report) == []
    assert cited(report) == ["Ruiz (2015)"]


def test_e_numbers_in_parentheses_that_are_not_years_of_a_work() -> None:
    report = audit(
        "We typed 1,024 alleles (2048 samples) under a grant (grant 2019) and Moss (2010).",
        ["Moss, T. (2010). Shells. Marine Biology, 3, 1–9."],
    )
    assert kinds(report) == []


def test_e_citations_written_with_given_names() -> None:
    report = audit(
        "Maps were drawn (Jeremy T. White et al., 2020).",
        ["White, J. T., Stone, A., & Reed, B. (2020). Maps. Cartography, 1, 1–9."],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["White 2020"]


def test_e_particles_hyphens_and_suffixes_on_one_side_only() -> None:
    report = audit(
        "Frogs call (De la Riva, 2005; el-Hajj, 2011; Ross Jr., 2014; Ames III, 2012), as Ross Jr. (2014) says.",
        [
            "Ames, W., III. (2012). Calls. Herpetology, 4, 1–9.",
            "El Hajj, K. (2011). Frogs. Herpetology, 2, 10–19.",
            "Riva, I. (2005). Calls of frogs. Herpetology, 1, 20–29.",
            "Ross, T., Jr. (2014). More frogs. Herpetology, 3, 30–39.",
        ],
    )
    assert kinds(report) == []


def test_e_a_year_range() -> None:
    report = audit("As surveyed (Smith, 2001–2003).", ["Smith, J. (2002). Surveys. Ecology, 1, 1–9."])
    assert kinds(report) == []


def test_e_a_word_opening_the_clause_is_no_first_author() -> None:
    report = audit(
        "Nevertheless, Günther and Assmann (2004) found it. In South Brazil, Gallucci & Netto (2004) found more. "
        "But Smtih, Jones and Lee (2001) misspell one.",
        [
            "Gallucci, F., & Netto, S. (2004). Sand. Marine Ecology, 1, 1–20.",
            "Günther, J., & Assmann, T. (2004). Beetles. Zootaxa, 1, 1–20.",
            "Smith, A., Jones, B., & Lee, C. (2001). Shells. Zootaxa, 2, 21–40.",
        ],
    )
    assert cited(report)[:2] == ["Günther and Assmann (2004)", "Gallucci & Netto (2004)"]
    assert kinds(report) == ["author-misspelling"]  # a name one slip from a listed one stays


def test_e_a_group_listed_with_its_abbreviation() -> None:
    report = audit(
        "Obesity rose (NCD Risk Factor Collaboration, 2016; NCD-RisC, 2016).",
        ["NCD Risk Factor Collaboration (NCD-RisC). (2016). Trends in obesity. Lancet, 1, 1–20."],
    )
    assert kinds(report) == []
    assert len(report.citations) == 2


def test_e_bare_citations_in_table_cells_and_running_text() -> None:
    report = audit(
        "Gene | Summary | Reference\nX | lethal. | Yadav et al., 2014; Wang, 2002\nY | inactive. | Froimchuk et al., 2017Kadoch "
        "et al., 2013\n\nThis is explained in Clark, 2015. In Paris, 2019 was warm.",
        [
            "Clark, G. (2015). Surnames. Economics, 1, 2–9.",
            "Froimchuk, F., Jang, A., & Ge, S. (2017). Sand. Marine Ecology, 1, 1–20.",
            "Kadoch, J., Li, A., & Wu, T. (2013). Beetles. Zootaxa, 1, 1–20.",
            "Wang, J. C. (2002). Topoisomerases. Nature, 1, 2–9.",
            "Yadav, J., Li, A., & Wu, T. (2014). Beetles. Zootaxa, 1, 1–20.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Yadav 2014", "Wang 2002", "Froimchuk 2017", "Kadoch 2013", "Clark 2015"]


def test_e_a_capitalised_word_opening_a_sentence_is_no_genus() -> None:
    report = audit("Forests recover (Reed, 2013). Fires recur (Hale, 2010).", ["Reed, T. (2016). Fire. Ecology, 1, 1–9."])
    assert kinds(report) == ["missing-reference", "year-mismatch"]


def test_only_what_is_certain_is_an_error() -> None:
    # A text that cites "Name 2010" without commas: an unlisted "Orbix 2000" may be a citation, or a product.
    report = audit(
        "Plates were read (Moss 2010; Orbix 2000), as before (Hale 2011, 45).",
        ["Hale, P. (2011). Plates. Methods, 3, 1–9.", "Moss, T. (2010). Shells. Marine Biology, 3, 1–9."],
    )
    assert [(f.kind, f.severity, f.confidence) for f in report.findings] == [
        ("missing-reference", Severity.WARNING, "likely"),
        ("page-out-of-range", Severity.WARNING, "possible"),
    ]


def test_e_an_organisation_cited_by_the_first_of_its_parts() -> None:
    report = audit(
        "Rates fell (World Health Organization, 2019).",
        ["World Health Organization, Regional Office for Europe. (2019). Health report. Copenhagen."],
    )
    assert kinds(report) == []


def test_e_a_bracket_never_closed_closes_with_its_sentence() -> None:
    report = audit(
        "Body length is over 10 mm at low altitudes (Goulet 1974; and Arndt (1998). Others agree.\n\nNext (Moss, 2010).",
        [
            "Arndt, E. (1998). Beetles. Zootaxa, 1, 1–9.",
            "Goulet, H. (1974). Classification. Quaestiones, 2, 10–19.",
            "Moss, T. (2010). Shells. Marine Biology, 3, 1–9.",
        ],
    )
    assert kinds(report) == []
    assert linked_to(report) == ["Goulet 1974", "Arndt 1998", "Moss 2010"]


def test_e_a_taxonomic_authority_after_a_line_break() -> None:
    report = audit(
        "The most abundant was the tanaidacean\nMonokalliapseudes schubartti (Mañé-Garzón, 1949), as Ruiz (2015) found.",
        ["Ruiz, P. (2015). Beetles of the coast. Zootaxa, 1, 1–20."],
    )
    assert kinds(report) == []


def test_a2_an_unlisted_name_before_a_span_of_years_is_an_event() -> None:
    report = audit(
        "We ran hackathons (Transform 2020/2021) as before (Moss 2010; Hale 2011).",
        ["Hale, P. 2011. Plates. Methods 3: 1–9.", "Moss, T. 2010. Shells. Marine Biology 3: 1–9."],
    )
    assert kinds(report) == []


def test_a_possessive_a_word_before_a_year_of_that_author() -> None:
    # "Adams's work (2012)" cites Adams (2012); a year the list does not have for Adams is left alone.
    report = audit(
        "Adams showed it (Adams, 2010). Adams's work (2012, p. 40) is the second; Adams's work (2015) is unlisted.",
        ["Adams, R. (2010). Marsh one. Marsh Journal, 1, 1–30.", "Adams, R. (2012). Marsh two. Marsh Journal, 3, 31–60."],
    )
    assert report.findings == ()
    assert [c.year for c in report.citations] == ["2010", "2012"]
    assert report.citations[1].locator is not None and report.citations[1].locator.first == 40
