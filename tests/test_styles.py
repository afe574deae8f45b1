"""Author-date styles other than APA, as citation processors render them (issue: every style).

Each test is an invented manuscript in the shape one style family gives its citations and its
list: Chicago and its kin (the first author inverted, the others in natural order, the year bare),
Springer and Vancouver-like names ("Cho J-C"), German and French terms ("u. a.", "o. J.",
"s. d.", "S. 45", "und", "et") and the headings of their lists.
"""

from __future__ import annotations

import pytest
from invented import audit, kinds, linked_to

from citecheck.model import Pages, Severity
from citecheck.references.authors import parse_authors


def test_chicago_first_author_inverted_the_others_in_natural_order() -> None:
    report = audit(
        "Nodules form (Desbrosses and Stougaard 2011; Brewer and Gross 2003, 1415).",
        [
            "Brewer, Carol A., and Louis J. Gross. 2003. “Training Ecologists.” Ecology 84 (6): 1412–20.",
            "Desbrosses, G. J., and J. Stougaard. 2011. “Root Nodulation.” Cell Host & Microbe 10 (4): 348–58.",
        ],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Desbrosses 2011", "Brewer 2003"]
    assert [(a.family, a.initials) for a in report.references[0].authors] == [("Brewer", "CA"), ("Gross", "LJ")]


def test_springer_names_with_hyphenated_initials() -> None:
    report = audit(
        "Oligotrophs grow slowly (Cho and Giovannoni 2003).", ["Cho J-C, Giovannoni SJ (2003) Oligotrophs. Microbiol 69:1–9"]
    )
    assert report.findings == ()
    assert [(a.family, a.initials) for a in report.references[0].authors] == [("Cho", "JC"), ("Giovannoni", "SJ")]


def test_german_terms_and_heading() -> None:
    report = audit(
        "Wie gezeigt (Müller und Schmidt o. J.; Weber u.\u00a0a. 2010, S. 45).",
        [
            "Müller, Hans, und Karl Schmidt. o. J. Titel. Berlin: Verlag.",
            "Weber, A., B. Klein, und C. Groß. 2010. Titel zwei. Zeitschrift 12: 40–50.",
        ],
        heading="Literaturverzeichnis",
    )
    assert report.findings == ()
    assert [c.year for c in report.citations] == ["n.d.", "2010"]
    assert report.citations[1].etal and report.citations[1].locator is not None and report.citations[1].locator.first == 45


def test_german_page_outside_the_range_is_found() -> None:
    report = audit(
        "Wie gezeigt (Weber u. a. 2010, S. 99).", ["Weber, A., B. Klein, und C. Groß. 2010. Titel. Zeitschrift 12: 40–50."]
    )
    assert [f.kind for f in report.findings] == ["page-out-of-range"]


def test_french_terms_and_heading() -> None:
    report = audit(
        "Comme le montrent (Dupont et Martin s. d.; Leroy 2019).",
        ["Dupont, Jean, et Marie Martin. s. d. Titre. Paris.", "Leroy, Anne. 2019. Autre titre. Lyon : Presses."],
        heading="Références bibliographiques",
    )
    assert report.findings == ()
    assert linked_to(report) == ["Dupont n.d.", "Leroy 2019"]


@pytest.mark.parametrize(
    "heading",
    [
        "References Cited",
        "Literature Cited",
        "Works Cited",
        "Bibliography",
        "Literatur",
        "Quellen",
        "Bibliographie",
        "Références",
        "Bibliografía",
        "Referencias",
        "Referências",
        "Bibliografia",
    ],
)
def test_reference_list_headings(heading: str) -> None:
    report = audit("Shells grow (Moss 2010).", ["Moss, T. 2010. Shells. Marine Biology 3: 1–9."], heading=heading)
    assert report.findings == ()
    assert linked_to(report) == ["Moss 2010"]


def test_copernicus_authors_end_with_a_colon_and_the_year_ends_the_entry() -> None:
    report = audit(
        "Water tables rise (Haldane and Okoro, 2011, p. 90; Delacroix, 2014).",
        [
            "Delacroix, A.: Reprofiling ditch banks, in: Handbook of Mire Engineering, Fenland Academic, Cambridge, 2014.",
            "Haldane, R. M. and Okoro, C.: Water table response, Journal of Upland Hydrology, 1837, 88–104, "
            "https://doi.org/10.5555/juh.2011.0142, 2011.",
        ],
    )
    assert report.findings == ()
    ref = report.references[1]
    assert (ref.year, ref.volume, ref.pages) == ("2011", "1837", Pages("88", "104"))


def test_din_authors_in_capitals_separated_by_semicolons() -> None:
    report = audit(
        "Wie gezeigt (HALDANE & OKORO, 2011, S. 120; FERNLUND, 2008).",
        [
            "FERNLUND, BJÖRN: Peatland restoration. Inverness : Moorland Press, 2008",
            "HALDANE, RUTH M. ; OKORO, CHIDI: Water table response. In: Journal of Hydrology Bd. 14 (2011), Nr. 2, S. 88–104",
        ],
        heading="Literaturverzeichnis",
    )
    assert [f.kind for f in report.findings] == ["page-out-of-range"]
    assert [(a.family, a.initials) for a in report.references[1].authors] == [("Haldane", "RM"), ("Okoro", "C")]


def test_iso690_names_joined_by_commas_alone() -> None:
    report = audit(
        "Les eaux montent (Haldane, Okoro 2011). Marchetti, Brandt, Ivanova (2016) le confirment.",
        [
            "HALDANE, Ruth M. et OKORO, Chidi, 2011. Water table. Journal of Upland Hydrology. Vol. 14, n° 2, pp. 88‑104.",
            "MARCHETTI, Lucia, BRANDT, Sören et IVANOVA, Tamara, 2016. Five years. Mires. Vol. 22, pp. 311‑329.",
        ],
        heading="Références",
    )
    assert report.findings == ()
    assert [c.authors for c in report.citations] == [("Haldane", "Okoro"), ("Marchetti", "Brandt", "Ivanova")]
    assert report.references[0].pages == Pages("88", "104")


def test_aaa_repeated_authors_left_out() -> None:
    report = audit(
        "Carbon (Osei 2019a, 2019b, 2020, 2021).",
        [
            "Osei, Kwame\n2019a Carbon Fluxes of a Rewetted Bog. Peatland Carbon 7(1): 1–18.",
            "2019b Methane After Rewetting. Peatland Carbon 7(3): 140–156.",
            "———. 2020. A Third Record. Peatland Carbon 8: 1–5.",
            "2021Methane Again. Peatland Carbon 9: 6–9.",  # a converter that ran the year into the title
        ],
    )
    assert report.findings == ()
    assert [r.authors[0].family for r in report.references] == ["Osei"] * 4


def test_aaa_repeated_authors_left_out_but_for_et_al() -> None:
    report = audit(
        "Cortex pathways (Ekwueme et al. 2018a; Ekwueme et al. 2018b).",
        [
            "Ekwueme, Michael N., Sarada Vance, Bosiljka Tasch, et al.\n2018b Motor Pathways. Nature 563(7729): 79–84.",
            ", et al.\n2018a Delay Response Task. DANDI Archive.",
        ],
    )
    assert report.findings == ()
    assert [(r.authors[0].family, r.year_label) for r in report.references] == [("Ekwueme", "2018b"), ("Ekwueme", "2018a")]


def test_names_added_to_tell_two_works_apart() -> None:
    report = audit(
        "Penguins dive (De Cian, Delemos, et al., 2007; De Cian, Cristofari, et al., 2007).",
        [
            "De Cian, C., Delemos, A., & Le Maho, Y. (2007). One. Polar Biology, 1, 1–9.",
            "De Cian, C., Cristofari, R., & Le Maho, Y. (2007). Two. Polar Biology, 2, 10–19.",
        ],
    )
    assert [f.kind for f in report.findings] == []
    assert [link.reference for link in report.links] == [0, 1]


def test_chicago_natural_order_names_with_capital_particles_and_two_letters() -> None:
    report = audit(
        "As shown (Demagny and De Robertis 2016; Froimchuk, Jang, and Ge 2017; Jing and Li 2015).",
        [
            "Demagny, H., and E. M. De Robertis. 2016. “Point Mutations.” Cell 1: 1–9.",
            "Froimchuk, E., Y. Jang, and K. Ge. 2017. “Histone Methyltransferase.” Gene 627: 337–342.",
            "Jing L, Li JX (2015) Trace amine-associated receptor 1. Front Pharmacol 9:279",
        ],
    )
    assert report.findings == ()
    assert [len(r.authors) for r in report.references] == [2, 3, 2]


def test_an_acronym_before_a_listed_name_and_et_al_is_no_coauthor() -> None:
    report = audit(
        "Cells lie (in the IPL, Randlett et al., 2013).", ["Randlett, O., Norden, C., & Harris, W. (2013). Cells. Dev, 1, 1–9."]
    )
    assert report.findings == ()
    assert [c.text for c in report.citations] == ["Randlett et al., 2013"]


def test_running_text_citations_without_a_comma_before_the_year() -> None:
    report = audit(
        "Gene | Summary | Reference\nX | lethal | Schutte et al. 1996; Demagny and De Robertis 2016; Wang 2002\n"
        "Y | other | Edelmann, Nicholson, and Kessler 2011\n\nAs explained in Clark 2015, and in Paris 2019 it was warm.",
        [
            "Clark, G. 2015. The Son Also Rises. Princeton: Press.",
            "Demagny, H., and E. M. De Robertis. 2016. “Point.” Cell 1: 1–9.",
            "Edelmann, M. J., B. Nicholson, and B. M. Kessler. 2011. “Drugs.” Expert 1: 1–9.",
            "Schutte, M., R. Hruban, and S. Kern. 1996. “Smad4.” Science 2: 10–19.",
            "Wang, J. C. 2002. “Topo.” Nature 3: 430–440.",
        ],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Schutte 1996", "Demagny 2016", "Wang 2002", "Edelmann 2011", "Clark 2015"]


def test_a_compound_surname_cited_whole_and_listed_in_part() -> None:
    report = audit(
        "Surnames persist (Güell, Rodríguez Mora, and Telmer 2015).",
        ["Güell, Maia, José V. Rodríguez Mora, and Christopher I. Telmer. 2015. “Surnames.” Review 82 (2): 693–735."],
    )
    assert report.findings == ()


def test_din_organisation_with_its_abbreviation_before_the_colon() -> None:
    report = audit(
        "Gewicht (NCD RISK FACTOR COLLABORATION (NCD-RISC), 2016).",
        ["NCD RISK FACTOR COLLABORATION (NCD-RISC): Trends in body-mass index: an analysis. In: Lancet Bd. 387 (2016)"],
        heading="Literaturverzeichnis",
    )
    assert report.findings == ()


def test_chicago_given_names_with_bare_initials_and_trailing_particles() -> None:
    report = audit(
        "Trees (Rabosky and Benson 2021; Upham, Esselstyn, and Jetz 2019; Varga, Schaaf, and Wellmann 2019).",
        [
            "Rabosky, Daniel L, and Roger BJ Benson. 2021. “Drivers.” Nature Communications 12 (1): 2945.",
            "Upham, Nathan S, Jacob A Esselstyn, and Walter Jetz. 2019. “Tree.” PLoS Biology 17 (12): 1–9.",
            "Varga, Miguel de la, Alexander Schaaf, and Florian Wellmann. 2019. “GemPy.” Geoscientific Model Development, 1–32.",
        ],
    )
    assert report.findings == ()
    assert [(a.family, a.initials) for a in report.references[0].authors] == [("Rabosky", "DL"), ("Benson", "RBJ")]


def test_vancouver_names_with_a_particle_after_the_initials() -> None:
    report = audit("Models (Varga et al. 2019).", ["Varga M de la, Schaaf A, Wellmann F (2019) GemPy. Geosci Model Dev 12:1–32"])
    assert report.findings == ()


def test_every_entry_of_a_colon_list_closes_its_authors_with_the_colon() -> None:
    report = audit(
        "Books (Executable Books Community, 2020; Haldane and Okoro, 2011; Fernlund, 2008).",
        [
            "Executable Books Community: Jupyter Book, Zenodo, https://doi.org/10.5281/zenodo.4539666, 2020.",
            "Fernlund, B.: Peatland restoration: A practical handbook, Moorland Press, Inverness, 2008.",
            "Haldane, R. M. and Okoro, C.: Water table response, Journal of Upland Hydrology, 14, 88–104, 2011.",
        ],
    )
    assert report.findings == ()


def test_din_segments_of_surnames_alone_groups_and_u_a() -> None:
    report = audit(
        "Wie gezeigt (HITZEMANN u. a., 2019; MALARIA GENOMIC EPIDEMIOLOGY NETWORK u. a., 2014).",
        [
            "HITZEMANN ; IANCU ; REED ; BABA: Regional analysis. In: Brain Sciences Bd. 9 (2019), S. 155",
            "MALARIA GENOMIC EPIDEMIOLOGY NETWORK ; ROCKETT, K. A. ; CLARKE, G. M. ; u. a.: Reappraisal. In: Nature "
            "Genetics Bd. 46 (2014), S. 1197–1204",
        ],
        heading="Literaturverzeichnis",
    )
    assert report.findings == ()
    assert report.references[1].etal


def test_din_running_text_citations_with_u_a() -> None:
    report = audit(
        "Gen | Referenz\nATRX | BACKERT u. a., 1999; MATHESON u. a., 2016\n\nMehr Text.",
        [
            "BACKERT, S. ; GERWIG, R. ; HUG, T.: Eins. In: Journal Bd. 1 (1999), S. 1–9",
            "MATHESON, C. J. ; BACKOS, D. S. ; REIGAN, P.: Zwei. In: Trends Bd. 37 (2016), S. 872–881",
        ],
        heading="Literaturverzeichnis",
    )
    assert report.findings == ()
    assert len(report.citations) == 2


def test_compound_surnames_cited_by_one_word_or_whole_in_a_comma_list() -> None:
    report = audit(
        "Coléoptères (Brandmayr, Pizzolotto 1994; Güell, Rodríguez Mora, Telmer 2015). Autre (Mora, 2015).",
        [
            "GÜELL, Maia, RODRÍGUEZ MORA, José V. et TELMER, Christopher I., 2015. Surnames. Review. Vol. 82, pp. 693‑735.",
            "MORA, Ana, 2015. Other. Review. Vol. 3, pp. 1‑9.",
            "ZETTO BRANDMAYR, Tullia et PIZZOLOTTO, Roberto, 1994. Beetles. Fauna. Vol. 1, pp. 1‑9.",
        ],
        heading="Références",
    )
    assert report.findings == ()
    assert [link.reference for link in report.links] == [2, 0, 1]  # "Mora" alone is Mora, not Rodríguez Mora


def test_elsevier_volume_and_pages_without_a_comma_before_the_volume() -> None:
    report = audit(
        "Water tables rise (Haldane and Okoro, 2011, p. 120).",
        ["Haldane, R.M., Okoro, C., 2011. Water table response. Journal of Upland Hydrology 14, 88–104."],
    )
    assert [f.kind for f in report.findings] == ["page-out-of-range"]
    assert report.references[0].volume == "14"


def test_springer_entry_opening_with_a_lowercase_particle_in_a_flattened_list() -> None:
    report = audit(
        "Mice (de Melo et al. 2012; Dai et al. 2011; Zhou 2013).",
        [
            "Dai X, Li Y, Zhou W (2011) Other work. Neuron 1:1–9\n"
            "de Melo J, Miki K, Rattner A, et al (2012) Injury-independent induction. PNAS 109:4657–4662\n"
            "Zhou Q (2013) Third. Cell 2:1–9"
        ],
    )
    assert report.findings == ()
    assert len(report.references) == 3


def test_din_entries_without_a_year_are_linked_by_their_author_unchecked() -> None:
    # DIN 1505-2 prints no year for a web page or software: the citation's year cannot be checked,
    # so it is neither missing nor a year mismatch, and the entry is not uncited.
    report = audit(
        "Wir nutzten Werkzeuge (ORTEGA & LINDQVIST, 2019; HALVORSEN, 2021b; HALVORSEN, 2021a; BRANDT, 2020) "
        "und Daten (BRANDT, 2018; DAHL & VOSS, 2019; KOCH, 2020; LUND & MOE, 2021).",
        [
            "BRANDT, K.: Tidal flats. In: Coastal Research Bd. 12 (2018), S. 40–52",
            "BRANDT, K.: Marsh tools. GitHub.",
            "DAHL, P. ; VOSS, M.: Salt marshes. In: Estuaries Bd. 3 (2019), S. 1–9",
            "HALVORSEN, T.: Sediment cores. GitLab.",
            "HALVORSEN, T.: Grain size scripts. GitLab.",
            "KOCH, R.: Tides. In: Coastal Research Bd. 14 (2020), S. 5–15",
            "LUND, E. ; MOE, A.: Creeks. In: Estuaries Bd. 5 (2021), S. 10–20",
            "ORTEGA, J. ; LINDQVIST, S. J.: Salt marsh viewer. GitHub.",
        ],
        heading="Literatur",
    )
    assert {(f.kind, f.severity) for f in report.findings} == {("unparsed-reference", Severity.NOTE)}
    assert [link.status.value for link in report.links][:5] == ["undated", "undated", "undated", "undated", "exact"]
    ortega = report.references[report.links[0].reference]
    assert ortega.year is None and [a.family for a in ortega.authors] == ["Ortega", "Lindqvist"]


def test_din_a_page_number_at_the_end_is_not_the_year() -> None:
    report = audit(
        "Wie gezeigt (NORDIN u.\u00a0a., 2017).",
        ["NORDIN, T. ; BERG, G. ; OLSEN, F.: Tidal mixing. In: Journal of Estuaries Bd. 18 (2017), S. 1886"],
        heading="Literatur",
    )
    assert report.findings == ()
    assert report.references[0].year == "2017"


def test_copernicus_web_pages_rendered_by_their_title_alone_are_entries_of_their_own() -> None:
    # Copernicus renders a web page with no date as its title and a colon; the entry after it is
    # not carried on by it, even where the title sorts after the entry's author.
    report = audit(
        "Guidelines were followed (National Marsh Council, 2011; Quist et al., 2016).",
        [
            "Quist, A., Berg, T., and Lund, K.: Salt marshes, Coastal Research, 12, 40–52, 2016.",
            "Tidal gauge readings:",
            "Storm surge maps:",
            "National Marsh Council: Guide for the Care of Salt Marshes, Marsh Press, 2011.",
        ],
    )
    # an entry with neither author nor year is worth a warning in an author-date list, nothing more
    assert kinds(report) == ["unparsed-reference", "unparsed-reference"]
    assert len(report.references) == 4
    assert [r.year for r in report.references] == ["2016", None, None, "2011"]


def test_copernicus_a_group_whose_name_holds_a_number() -> None:
    report = audit(
        "Assays were compared (Quist et al., 2016; The Regional H5N1 Assay Working Group, 2020).",
        [
            "Quist, A., Berg, T., and Lund, K.: Salt marshes, Coastal Research, 12, 40–52, 2016.",
            "The Regional H5N1 Assay Working Group: Benchmark of five assays, Lancet Marsh, 2020.",
        ],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Quist 2016", "The Regional H5N1 Assay Working Group 2020"]


def test_din_a_table_cell_glues_a_year_to_the_next_capitalised_name() -> None:
    # Table cells flattened to text lose the separator between two citations: "2017KADOCH".
    report = audit(
        "Gene | Role | FROIMSON u.\u00a0a., 2017KADER u.\u00a0a., 2013; RAIS & DOHM, 2015\n\nWie gezeigt.",
        [
            "FROIMSON, E. ; JANG, Y. ; GEL, K.: Methyltransferases. In: Gene Bd. 627 (2017), S. 337–342",
            "KADER, C. ; HARGREAVES, D. ; HODGES, C.: Remodelling. In: Nature Genetics Bd. 45 (2013), S. 592–601",
            "RAIS, Y. ; DOHM, Y.: Lysine methyltransferases. In: Cancer Bd. 15 (2015), S. 334–346",
        ],
        heading="Literatur",
    )
    assert report.findings == ()
    assert [c.year for c in report.citations] == ["2017", "2013", "2015"]


def test_an_entry_ending_in_its_year_and_letter_ends_there() -> None:
    # DIN renders a data set's year last ("DANDI Archive, 2018b"); the title-only entry after it
    # is one of its own, not the rest of that one.
    report = audit(
        "Daten (ECKERT u.\u00a0a., 2018b; ECKERT u.\u00a0a., 2018a; MARSH PROJECT, 2021).",
        [
            "ECKERT, M. ; VOSS, S. ; TASCH, B.: Motor pathways. In: Nature Bd. 563 (2018a), S. 79–84",
            "ECKERT, M. ; VOSS, S. ; TASCH, B.: Delay task recordings : DANDI archive; DANDI Archive, 2018b",
            "MARSH PROJECT: Tide book.",
        ],
        heading="Literatur",
    )
    assert len(report.references) == 3
    assert [link.status.value for link in report.links] == ["exact", "exact", "undated"]


def test_iso690_comma_only_names_with_the_first_one_misspelt() -> None:
    # ISO 690 separates the names by commas alone; a misspelt first name is still part of the
    # citation (and reported), not a word before a citation of the second author.
    report = audit(
        "Les marais reculent (Quist, Berg 2016; Yesfuu, Bandelow, Hogervorst 2007). However, Quist, Berg (2016) le nient.",
        [
            "QUIST, Anna et BERG, Tove, 2016. Salt marshes. Coastal Research. 2016. Vol. 12, p. 40-52.",
            "YESUFU, Jide, BANDELOW, Stephan et HOGERVORST, Eef, 2007. Tides. Marsh Letters. 2007. Vol. 3, p. 1-9.",
        ],
        heading="Bibliographie",
    )
    assert kinds(report) == ["author-misspelling"]
    assert report.citations[1].authors == ("Yesfuu", "Bandelow", "Hogervorst")
    assert report.citations[2].authors == ("Quist", "Berg")  # "However," opens the sentence


def test_springer_pubmed_lowercase_given_name() -> None:
    # PubMed writes Da Wei Huang as "Huang da W"; the entry is Huang's, of three authors.
    report = audit(
        "Genes were enriched (Hoang et al. 2009a, b; Hoang et al. 2006).",
        [
            "Hoang daW, Sherwin BT, Lempe RA (2009a) Gene lists. Nat Protoc 4:44–57",
            "Hoang daW, Sherwin BT, Lempe RA (2009b) Enrichment tools. Nucleic Acids Res 37:1–13",
            "Hoang TT, Nijs SMB, Mirza KD (2006) Autocleavage. Nat Cell Biol 8:341–347",
        ],
    )
    assert report.findings == ()
    assert [(a.family, a.initials) for a in report.references[0].authors] == [("Hoang", "DW"), ("Sherwin", "BT"), ("Lempe", "RA")]


def test_asa_a_coauthor_cited_by_what_the_list_reads_as_initials() -> None:
    # "Jackson JK" after an inverted first author reads as given name and surname JK, or as a
    # surname and initials: the citation "Arden, JK, and EB" settles it, it is not another work.
    report = audit(
        "Rarity was estimated (Arden, JK, and EB 2006).",
        ["Arden, D. B., Jackson JK, and Kramer EB. 2006. “Rarity.” Journal of Streams 25:977–97."],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Arden 2006"]


def test_din_a_bare_citation_of_an_entry_without_a_year() -> None:
    report = audit(
        "Software | Version | Quelle\nFastQC | 0.11.3 | ANDERS, 2010\n\nWir nutzten es (KOCH, 2020).",
        ["ANDERS, S.: FastQC.", "KOCH, R.: Tides. In: Coastal Research Bd. 14 (2020), S. 5–15"],
        heading="Literatur",
    )
    assert [(c.authors, c.year) for c in report.citations] == [(("ANDERS",), "2010"), (("KOCH",), "2020")]
    assert [link.status.value for link in report.links] == ["undated", "exact"]


def test_chicago_particle_after_the_initials_belongs_to_the_surname() -> None:
    # Chicago files "Melo, J. de" under M and cites "de Melo et al. 2012": the citation, particle
    # and all, is that entry's, and the list's names are read whole.
    report = audit(
        "Gliosis follows (Baten and Blum 2012; de Mello et al. 2012). As van Zandt et al. (2014) show, it lasts.",
        [
            "Baten, J., and M. Blum. 2012. “Height.” Economics 3: 1–9.",
            "Mello, J. de, K. Miki, and L. Roe. 2012. “Gliosis.” Retina 3: 10–19.",
            "Zandt, J. L. van, J. Bates, and C. Smith. 2014. How Was Life? Paris: Marsh Press.",
        ],
    )
    assert report.findings == ()
    assert [report.source.text[c.span.start : c.span.end] for c in report.citations][1:] == [
        "de Mello et al. 2012",
        "van Zandt et al. (2014)",
    ]
    assert [(a.family, a.initials) for a in report.references[1].authors] == [("de Mello", "J"), ("Miki", "K"), ("Roe", "L")]


@pytest.mark.parametrize(
    "entry",
    [
        "d’Alembert, C. (2010). An apostrophe particle. Revue des Côtes, 9, 77–88.",  # APA
        "Alembert, Claire d’. 2010. “An Apostrophe Particle.” Revue des Côtes 9: 77–88.",  # Chicago
        "d’Alembert, C.: An apostrophe particle, Revue des Côtes, 9, 77–88, 2010.",  # Copernicus
    ],
)
def test_an_apostrophe_particle_opens_an_entry_or_closes_the_given_name(entry: str) -> None:
    report = audit(
        "As Brown (2003) and d’Alembert (2010) show.",
        ["Brown, T. (2003). Last marsh surveys. Old Coasts, 5, 100–140.", entry],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Brown 2003", "d’Alembert 2010"]


@pytest.mark.parametrize(
    ("body", "entry", "heading"),
    [
        ("(Harlow, no date)", "Harlow, G. (no date) Marsh bird counts. Available at: https://example.org/birds.", "References"),
        (
            "(Harlow [sans date])",
            "HARLOW, Grace, [sans date]. Marsh bird counts. [en ligne]. Disponible à l'adresse : https://example.org/birds",
            "Bibliographie",
        ),
    ],
)
def test_no_date_written_out(body: str, entry: str, heading: str) -> None:
    report = audit(f"Bird counts are online {body}.", [entry], heading)
    assert report.findings == ()
    assert [c.year for c in report.citations] == ["n.d."]


BROWN_COLON = "Brown, T.: Last marsh surveys, Old Coasts, 5, 100–140, 2003."


@pytest.mark.parametrize(
    ("body", "entry"),
    [
        ("(Harlow n.d.)", "Harlow, Grace. “Marsh Bird Counts.” https://example.org/birds."),  # APSA: no n.d. in the list
        ("(Harlow)", "Harlow G Marsh bird counts. https://example.org/birds"),  # Springer: no year anywhere
        ("(Tides and currents)", "Tides and currents: https://example.org/tides."),  # Copernicus: the title alone
    ],
)
def test_a_web_page_the_list_gives_no_year(body: str, entry: str) -> None:
    report = audit(
        f"Bird counts are online {body}, and surveys are older (Brown 2003).",
        [BROWN_COLON if ":" in entry else "Brown T (2003) Surveys. Coasts 5:1–9", entry],
    )
    assert [f.kind for f in report.findings if f.severity is not Severity.NOTE] == []
    assert [link.status.value for link in report.links] == ["undated", "exact"]


def test_taylor_and_francis_repeats_the_year_after_the_volume() -> None:
    report = audit(
        "Brown surveyed the marshes (Brown 1999, 2003).",
        [
            "Brown, Thomas. 1999. “Early Marsh Surveys.” Old Coasts 1 (1999): 1–50.",
            "Brown, Thomas. 2003. “Last Marsh Surveys, with a Long Title on Sediment.” Old Coasts 5 (2003): 100–140.",
        ],
    )
    assert report.findings == ()
    assert [len(r.authors) for r in report.references] == [1, 1]


@pytest.mark.parametrize(
    ("cited", "entry"),
    [
        ("Smith-Jones, Kim 2015", "SMITH-JONES, Karen et KIM, Ji-Hoon, 2015. Hyphenated names. Cores. 2015. Vol. 19, pp. e1002."),
        ("Smith-Jones and Kim 2015", "Smith-Jones K, Kim J-H (2015) Hyphenated names. Sediment Records 19:e1002"),
        ("King and Lowe 2015", "King M Jr., Lowe A (2015) Suffixes in names. Names Quarterly 4:1–12"),
    ],
)
def test_hyphenated_given_names_and_a_suffix_after_the_initials(cited: str, entry: str) -> None:
    report = audit(f"Cores were dated ({cited}).", [entry], "Bibliographie" if "et KIM" in entry else "References")
    assert report.findings == ()
    assert len(report.references[0].authors) == 2


@pytest.mark.parametrize(
    ("cited", "entry"),
    [
        ("(Vega 2005, 3)", "Vega, Sara, ed. 2005. Handbook of Marsh Ecology. Oslo: Coast Press."),  # Chicago
        ("(Vega, 2005, p. 3)", "Vega, S. (Ed.). (2005). Handbook of marsh ecology. Coast Press."),  # APA
        ("(Vega und Moreau 2005, S. 3)", "Vega, Sara, und Paul Moreau, Hrsg. 2005. Handbuch. Oslo: Coast Press."),
    ],
)
def test_an_edited_book_is_listed_under_its_editors(cited: str, entry: str) -> None:
    report = audit(f"The handbook {cited} is the standard.", [entry])
    assert report.findings == ()
    assert linked_to(report) == ["Vega 2005"]


@pytest.mark.parametrize(
    "entry",
    ["Darwin, Charles. (1859) 2009. On the Origin of Species. Penguin.", "Darwin, Charles. [1859] 2009. On the Origin. Penguin."],
)
def test_chicago_original_year_before_the_edition_read(entry: str) -> None:
    report = audit("The idea goes back to Darwin ([1859] 2009, 42).", [entry])
    assert report.findings == ()
    assert report.references[0].year == "2009"


def test_given_names_added_to_tell_two_authors_apart() -> None:
    # Citation processors add the given name when two listed authors share a surname and a year.
    report = audit(
        "Two Browns worked on dunes (James Brown 2018; Katherine Brown 2018), and Katherine Brown (2018) went on.",
        [
            "Brown, James. 2018. “Dune Grasses.” Coastal Plants 3: 10–20.",
            "Brown, Katherine. 2018. “Dune Insects.” Coastal Insects 4: 30–44.",
        ],
    )
    assert report.findings == ()
    assert [link.reference for link in report.links] == [0, 1, 1]
    spans = [report.source.text[c.span.start : c.span.end] for c in report.citations]
    assert spans[:2] == ["James Brown 2018", "Katherine Brown 2018"]


def test_din_an_entry_that_ends_without_a_period_before_an_organisation() -> None:
    # DIN prints nothing for "in press": "... In: Asian Coasts" ends the entry, and the
    # organisation's entry after it opens with its name and a colon.
    report = audit(
        "Neu (NAKANO, 2021; NATIONAL MARSH ADMINISTRATION, 2022; NGUYEN & TRAN, 2017).",
        [
            "NAKANO, YUKI: Marsh loss in Japan. In: Asian Coasts (2021)",
            "NAKAMURA, YUKI: Marsh gain in Japan. In: Asian Coasts",
            "NATIONAL MARSH ADMINISTRATION: Tides and currents. URL https://example.org/tides",
            "NGUYEN, VAN AN ; TRAN, THI BINH: Mekong delta subsidence. In: Delta Studies Bd. 12 (2017), S. 200–220",
        ],
        heading="Literatur",
    )
    assert len(report.references) == 4
    assert [link.status.value for link in report.links] == ["exact", "undated", "exact"]


def test_a_given_name_is_never_read_inside_a_group_or_across_a_line_break() -> None:
    # A line break inside a compound surname or a group name (a PDF's column) keeps the whole name
    # in the citation; only a person's surname takes a given name before it.
    report = audit(
        "Tools (Di\nGiulio et al. 2009; Malaria Genomic Epidemiology\nNetwork et al., 2014; James Brown 2018; Brown 2017).",
        [
            "Di Giulio, A., Rossi, E., & Romani, R. (2009). Glands. Zoology, 1, 1–9.",
            "Malaria Genomic Epidemiology Network, Band, G., & Rockett, K. (2014). Malaria. Nature Genetics, 1, 1–9.",
            "Brown, J. (2018). Dunes. Coasts, 1, 1–9.",
            "Brown, K. (2017). Dunes again. Coasts, 2, 1–9.",
        ],
    )
    assert report.findings == ()
    texts = [report.source.text[c.span.start : c.span.end] for c in report.citations]
    assert texts[:3] == ["Di\nGiulio et al. 2009", "Malaria Genomic Epidemiology\nNetwork et al., 2014", "James Brown 2018"]
    assert [c.initials for c in report.citations] == [None, None, "J", None]


def test_mhra_a_dash_stands_for_the_first_authors_of_the_entry_before_and_and_others_is_et_al() -> None:
    # MHRA: "——, and M. B. Feller" is the first author of the entry before with a co-author of
    # its own; "——. 2014b." all of its authors; "and others" ends a list cut short.
    report = audit(
        "Waves start early (Blankenship and others 2009; Blankenship and Feller 2010; Eastwood 2014a, 2014b;"
        " Komlos and Baur 2004; Nag, Ode and Lee 2011).",
        [
            "Blankenship, A. G., and others. 2009. ‘Retinal Waves’, Neuron, 12: 1–10",
            "——, and M. B. Feller. 2010. ‘Mechanisms of Patterned Activity’, Nature Reviews Neuroscience, 11: 18–29",
            "Eastwood, R. 2014a. ‘Roots’, Plant Journal, 3: 1–9",
            "——. 2014b. ‘Shoots’, Plant Journal, 4: 1–9",
            "Komlos, J., and M. Baur. 2003. ‘Height’, Economics, 1: 1–4",
            "——, and M. Baur. 2004. ‘From the Tallest to the Fattest’, Economics and Human Biology, 2: 57–74",
            "Nag, P., and A. Ode. 2010. ‘Tides’, Coasts, 1: 1–4",
            "——, ——, and K. Lee. 2011. ‘Tides Again’, Coasts, 2: 5–9",
        ],
    )
    families = [[a.family for a in r.authors] for r in report.references]
    assert families == [
        ["Blankenship"],
        ["Blankenship", "Feller"],
        ["Eastwood"],
        ["Eastwood"],
        ["Komlos", "Baur"],
        ["Komlos", "Baur"],
        ["Nag", "Ode"],
        ["Nag", "Ode", "Lee"],
    ]
    assert report.references[0].etal and not report.references[1].etal
    assert kinds(report) == ["uncited-reference", "uncited-reference"]  # Komlos 2003, Nag 2010
    linked = ["Blankenship 2009", "Blankenship 2010", "Eastwood 2014a", "Eastwood 2014b", "Komlos 2004", "Nag 2011"]
    assert linked_to(report) == linked


def test_a_year_letter_alone_after_a_semicolon_is_the_next_work_of_the_same_authors() -> None:
    # Annals of Botany and ASCE: "(Eastwood and Phillips 2014a; b)"; in a table cell too, where a
    # year after the semicolon must be one the list has for them.
    report = audit(
        "Roots grow (Eastwood and Phillips 2014a; b; Lee 2010).\n\n| Tool | Source |\n|---|---|\n"
        "| DAVID | Huang et al. 2009a; b |\n| edgeR | Huang, Sherman and Lempicki, 2009b; 2009a |\n"
        "| X | Huang et al. 2009a; 2020 |\n",
        [
            "Eastwood, R., and T. Phillips. 2014a. Roots. Plant Journal 3: 1–9.",
            "Eastwood, R., and T. Phillips. 2014b. Shoots. Plant Journal 4: 1–9.",
            "Huang, D., B. Sherman, and R. Lempicki. 2009a. Tools. Nature Protocols 4: 44–57.",
            "Huang, D., B. Sherman, and R. Lempicki. 2009b. Enrichment. Nucleic Acids Research 37: 1–13.",
            "Lee, K. 2010. Leaves. Botany 2: 3–4.",
        ],
    )
    assert report.findings == ()
    assert [c.year for c in report.citations] == ["2014a", "2014b", "2010", "2009a", "2009b", "2009b", "2009a", "2009a"]
    assert linked_to(report)[:2] == ["Eastwood 2014a", "Eastwood 2014b"]


def test_a_page_marked_as_one_may_follow_the_year_without_a_comma() -> None:
    # Annals of Botany, ASCE, Weed Science: "(Wollerton et al. 2004 p. 108)"
    report = audit(
        "Roots grow (Wollerton et al. 2004 p. 108) and shoots (Thompson 1994 pp. 2–3; Lee 2010 p < 4).",
        [
            "Lee, K. 2010. Leaves. Botany 2: 3–4.",
            "Thompson, J. 1994. Shoots. Botany 2: 5–9.",
            "Wollerton, T., A. Bee, and C. Dee. 2004. Roots. Botany 2: 100–120.",
        ],
    )
    assert [(c.locator.first, c.locator.last) if c.locator else None for c in report.citations] == [(108, 108), (2, 3), None]
    assert kinds(report) == ["page-out-of-range"]  # Thompson's pages are 5–9


def test_an_entry_without_a_final_period_ends_where_a_long_vancouver_list_or_a_dash_opens_the_next() -> None:
    # Weed Science: "Qin N, Yang F, ... Li L (2014)" holds its year far along the line; MHRA: "——.
    # 2010." after an entry ending in a quotation mark.
    people = [("Qin", "N"), ("Yang", "F"), ("Le Chatelier", "E"), ("Batto", "JM"), ("Prifti", "SD")] * 8
    names = ", ".join(f"{surname} {initials}" for surname, initials in people)
    report = audit(
        "As shown (Okasha 2008; Qin et al. 2014; Fund 2009, 2010).",
        [
            "Okasha S (2008) Evolution and the levels of selection. Oxford University Press, Oxford",
            f"{names}, kConFab Investigators, Li L (2014) Alterations of the gut microbiome. Nature 513:59–64",
            "Fund, W. 2009. ‘Diet, Nutrition and Cancer: A Global Perspective’",
            "——. 2010. ‘Breast Cancer’, Cancer Reports, 2: 1–9",
        ],
    )
    assert len(report.references) == 4
    assert report.findings == ()


def test_small_capitals_names_in_natural_order_and_one_dash_for_the_authors_before() -> None:
    # Antiquity: surnames in small capitals (flattened to capitals), the co-authors' initials first,
    # a particle in capitals, and one em dash for the authors of the entry before.
    report = audit(
        "Rates vary (Okafor & Le Brun 1988; Okafor 1990, 1994; Okafor et al. 2001a, b).",
        [
            "OKAFOR, T.J. 1990. Tidal mixing in estuaries. Marine Letters 4: 11–19.",
            "—. 1994. Salt wedges revisited. Marine Letters 8: 101–9.",
            "OKAFOR, T.J. & A.M. LE BRUN. 1988. Brackish fronts. Coastal Research 2: 5–12.",
            "OKAFOR, T.J. et al. 2001a. Sediment plumes. Coastal Research 15: 40–52.",
            "— et al. 2001b. Turbid layers. Coastal Research 15: 60–71.",
        ],
    )
    assert report.findings == ()
    assert linked_to(report) == ["OKAFOR 1988", "OKAFOR 1990", "OKAFOR 1994", "OKAFOR 2001a", "OKAFOR 2001b"]
    assert [(a.family, a.initials) for a in report.references[2].authors] == [("OKAFOR", "TJ"), ("LE BRUN", "AM")]


def test_initials_with_full_stops_after_a_surname_in_capitals() -> None:
    # Archeologia e Calcolatori, Travail et Emploi: "ROSSI M.G., BIANCHI L." with no comma between.
    report = audit(
        "Kilns are dated (VARELLI, DONATI 2011; CORSO 2004).",
        [
            "CORSO P.L. 2004, Fornaci romane, «Archeologia Medievale», 31, 55-70.",
            "VARELLI M.G., DONATI L. 2011, Ceramica e fuoco, «Archeologia Medievale», 38, 101-118.",
        ],
    )
    assert report.findings == ()
    assert [(a.family, a.initials) for a in report.references[1].authors] == [("Varelli", "MG"), ("Donati", "L")]
    assert [(a.family, a.initials, a.group) for a in report.references[0].authors] == [("CORSO", "PL", False)]


def test_the_year_after_a_quoted_title_leaves_the_authors_whole() -> None:
    # Journal of Accounting Research: the year in the container's place, after the quoted title.
    report = audit(
        "As Haldane, Brecker, and Osei [2019] and Lund and Varga [2014] report.",
        [
            "HALDANE, M., B. BRECKER, and I. OSEI. “Ledger Audits in Practice.” The Accounting Review 94 (2019): 107–29.",
            "LUND, W., and J. VARGA. “Links Between Earnings and Accruals.” Journal of Finance 14 (2014): 26–38.",
        ],
    )
    assert report.findings == ()
    assert [a.family for a in report.references[0].authors] == ["HALDANE", "BRECKER", "OSEI"]
    assert report.references[1].pages == Pages("26", "38")


def test_german_names_joined_by_slashes_and_the_last_two_entries_by_und() -> None:
    # Swiss and German education styles: "(Brandt/Kovač/et al. 2015, Lund/Varga 2014)", the
    # list's names each closed by a semicolon but the last two joined by "und".
    report = audit(
        "Wie gezeigt (Brandt/Kovač/et al. 2015, Lund/Varga 2014) und nach Oster/Pfeil/Rauch (2011).",
        [
            "Brandt, S.; Kovač, V.; et al. (2015): Lernen im Verbund. In: Didaktik 9. S. 3–15.",
            "Lund, W. und Varga, J. (2014): Schulen im Wandel. In: Didaktik 7. S. 26–38.",
            "Oster, M. J.; Pfeil, B. und Rauch, B. M. (2011): Lehrpläne. In: Bildung 5. S. 2–9.",
        ],
        heading="Literaturverzeichnis",
    )
    assert report.findings == ()
    assert [(c.authors, c.etal) for c in report.citations] == [
        (("Brandt", "Kovač"), True),
        (("Lund", "Varga"), False),
        (("Oster", "Pfeil", "Rauch"), False),
    ]
    assert [a.family for a in report.references[2].authors] == ["Oster", "Pfeil", "Rauch"]


def test_a_table_cell_may_part_bare_citations_with_a_comma_after_each_year() -> None:
    report = audit(
        "Gene | Role | Sources\n"
        "BRC7 | repair | Haldane et al. 2018, Okoro 2002, Lund/Varga 2014\n\n"
        "As shown (Haldane et al., 2018).",
        [
            "Haldane, R.; Okoro, C.; et al. (2018): Repair. In: Cell 9. S. 3–15.",
            "Lund, W. und Varga, J. (2014): Links. In: Cell 7. S. 26–38.",
            "Okoro, C. (2002): Fronts. In: Cell 5. S. 2–9.",
        ],
    )
    assert report.findings == ()
    assert linked_to(report) == ["Haldane 2018", "Okoro 2002", "Lund 2014", "Haldane 2018"]


def test_two_letter_surnames_in_capitals_with_stopped_initials() -> None:
    # "XU Y." and "LI J.X." are surnames and initials, not initials alone ("Th. M." is).
    report = audit(
        "Shown (OKAFOR, XU, BRANDT, 2013; JING, LI, 2015; Haldane 2001).",
        [
            "HALDANE T.M. (2001), « Tides », Marine Letters, vol. 4, p. 11-19.",
            "JING L., LI J.X. (2015), « Receptors », Pharmacology, vol. 3, p. 1-12.",
            "OKAFOR X., XU Y., BRANDT N. (2013), « Sediments », Coastal Research, vol. 5, p. 30-41.",
        ],
        heading="Références",
    )
    assert report.findings == ()
    assert [[a.family for a in r.authors] for r in report.references] == [["HALDANE"], ["Jing", "Li"], ["Okafor", "Xu", "Brandt"]]
    assert [(a.family, a.initials) for a in parse_authors("Smith, Th. M., & Lee, K.")[0]] == [("Smith", "TM"), ("Lee", "K")]


def test_a_listed_group_as_the_last_of_several_authors_in_the_text() -> None:
    # APA 6 names every author up to five: a group may close the list.
    report = audit(
        "Samples were typed (Haldane, Okoro, & Coastal Genomics Network, 2015; Coastal Genomics Network, 2014).",
        [
            "Coastal Genomics Network. (2014). Reappraisal of tides. Marine Genetics, 46, 1197–1204.",
            "Haldane, G., Okoro, K. A., & Coastal Genomics Network. (2015). A novel locus. Marine Letters, 526, 253–257.",
        ],
    )
    assert report.findings == ()
    assert [c.authors for c in report.citations] == [
        ("Haldane", "Okoro", "Coastal Genomics Network"),
        ("Coastal Genomics Network",),
    ]
    assert linked_to(report) == ["Haldane 2015", "Coastal Genomics Network 2014"]


def test_aaa_year_after_the_names_wins_over_a_year_in_the_title() -> None:
    # Australian Archaeology: "..., and T.M. Errington 2017 Replication of Lin et al., 2012".
    # Victoria University Harvard: "Fo, C 1990, ‘Currents: winter, 1979’".
    report = audit(
        "As replicated (Okoro et al. 2017; Haldane et al. 2011; Varga 1990).",
        [
            "Haldane, B., K. Huemer, and A. Zeller 2011 Cuticle of the isopod Tylos europeus Arcangeli, 1938. "
            "Journal of Structural Biology 174:512–526.",
            "Okoro, L.M., M.C. Edwards, and T.M. Errington 2017 Replication of Lin et al., 2012. Open Science Framework.",
            "Varga, C 1990, ‘Wind driven currents in the channel: winter, 1979’, Oceanography, vol. 38, pp. 11–20.",
        ],
    )
    assert report.findings == ()
    assert [r.year for r in report.references] == ["2011", "2017", "1990"]


def test_harvard_initials_without_stops_a_horizontal_bar_and_spaced_stopped_initials() -> None:
    # Victoria University Harvard: "Hogg, JR & Goff, SP 2010" (JR is two initials, not "Jr") and
    # "― 2008b," for the authors before; Bulletin of Insectology: "CHI S. W., ZANG J. B.".
    report = audit(
        "Decay is fast (Varga & Okoro 2010; Lund & Belasco 2008a, 2008b; Chi, Zang & Mele 2009).",
        [
            "CHI S. W., ZANG J. B., MELE A., 2009.- Argonaute maps.- Nature, 460: 479–486.",
            "Lund, L & Belasco, JG 2008a, ‘Counting the ways’, Molecular Cell, vol. 29, pp. 1–7.",
            "― 2008b, ‘Examining translation’, Methods, vol. 449, pp. 373–393.",
            "Varga, JR & Okoro, SP 2010, ‘Length senses decay’, Cell, vol. 143, pp. 379–389.",
        ],
    )
    assert report.findings == ()
    assert [[(a.family, a.initials) for a in r.authors] for r in report.references] == [
        [("Chi", "SW"), ("Zang", "JB"), ("Mele", "A")],
        [("Lund", "L"), ("Belasco", "JG")],
        [("Lund", "L"), ("Belasco", "JG")],
        [("Varga", "JR"), ("Okoro", "SP")],
    ]


def test_vancouver_names_with_the_year_after_the_journal() -> None:
    # Journal of Hand Surgery (European): the year follows the journal, not the names.
    report = audit(
        "Splints help (Okoro 2011; Haldane et al. 2009).",
        [
            "Haldane SW, Zang JB, Mele A, et al. Splinting after tendon repair. Hand Research. 2009, 460: 479–86.",
            "Okoro E. Wrist fractures in the elderly. Journal of Hand Surgery. 2011, 109: 687–96.",
        ],
    )
    assert report.findings == ()
    assert [[a.family for a in r.authors] for r in report.references] == [["Haldane", "Zang", "Mele"], ["Okoro"]]
    assert report.references[1].pages == Pages("687", "696")
