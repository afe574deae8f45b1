"""False alarms seen on real articles in the reference list and the layout: page furniture, author
names, organisations and tables. One test (or more) per pattern, each manuscript invented in the
shape of the pattern (D2, D4, B3, E1, E2 name the pattern behind the false alarm).
"""

from __future__ import annotations

from invented import kinds, linked_to

import citecheck
from citecheck.layout import find_noise, find_reference_list
from citecheck.model import Author, Report, Span
from citecheck.references import parse_entry, read_references

HEADER = "Journal of Coastal Studies, Vol. 3 (2025)"
PAGE = "The marsh recovered slowly after the storm, and the sediment settled over the winter months. " * 12


def pages(*texts: str, header: str = HEADER, first: int = 12) -> str:
    """Pages of text extracted from a PDF: each page after the first opens with its number and the
    running header, each on its line between blank lines."""
    out = [texts[0]]
    for n, t in enumerate(texts[1:], first):
        out.append(f"\n\n{n}\n\n{header}\n\n{t}")
    return "".join(out)


def entries(report: Report) -> list[str]:
    return [" ".join(report.source.text[r.span.start : r.span.end].split()) for r in report.references]


# -- D2. an entry that goes on past a page break ---------------------------------------------------------


def test_d2_an_author_list_cut_by_a_page_break_is_one_entry() -> None:
    text = pages(
        PAGE,
        PAGE + "\n\nGrazing slowed recovery (Abel et al., 2002; Gray, 2010).",
        "References\n\nAbel, T., Baker, S., Cruz, N.,",
        "Dunn, H., Eto, Y., & Fay, K. (2002). Tidal flooding of farmland. Estuarine Ecology, 41(2),\n101–118.\n"
        "Gray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n",
    )
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert linked_to(report) == ["Abel 2002", "Gray 2010"]
    assert [a.family for a in report.references[0].authors] == ["Abel", "Baker", "Cruz", "Dunn", "Eto", "Fay"]


def test_d2_an_author_list_ending_in_an_initial_before_the_page_break() -> None:
    # "Cruz, N." ends like an entry; but the entry has no year and no title yet.
    text = pages(
        PAGE,
        PAGE + "\n\nGrazing slowed recovery (Abel et al., 2002; Gray, 2010).",
        "References\n\nAbel, T., Baker, S., Cruz, N.",
        "Dunn, H., & Fay, K. (2002). Tidal flooding of farmland. Estuarine Ecology, 41(2), 101–118.\n\n"
        "Gray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n",
    )
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert linked_to(report) == ["Abel 2002", "Gray 2010"]


def test_d2_a_wrapped_author_list_in_a_list_separated_by_blank_lines() -> None:
    text = (
        "Grazing slowed recovery (Abel et al., 2002; Gray, 2010).\n\nReferences\n\n"
        "Abel, T., Baker, S., Cruz, N.,\n\nDunn, H., & Fay, K. (2002). Tidal flooding. Estuarine Ecology, 41(2), 101–118.\n\n"
        "Gray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n"
    )
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert len(report.references) == 2


def test_d2_an_editor_list_cut_by_a_page_break_out_of_order() -> None:
    # The entry has its year; the line before the break ends mid-list and "Baker" cannot follow "Morris".
    text = pages(
        PAGE,
        PAGE + "\n\nGrazing slowed recovery (Morris, 2002; Smith, 2010).\n\n"
        "References\n\nMorris, T. (2002). Grazing. In Lund, K., Vega, S., &",
        "Baker, N. (Eds.), Salt marshes (pp. 1–10). Coast Press.\n\n"
        "Smith, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n",
    )
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert len(report.references) == 2


def test_d2_an_editor_list_wrapped_before_a_blank_line_out_of_order() -> None:
    text = (
        "Grazing slowed recovery (Morris, 2002; Smith, 2010).\n\nReferences\n\n"
        "Morris, T. (2002). Grazing. In Lund, K., Vega, S., &\n\n"
        "Baker, N. (Eds.), Salt marshes (pp. 1–10). Coast Press.\n\n"
        "Smith, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n"
    )
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert len(report.references) == 2


def test_d2_an_unsorted_list_keeps_its_entries_apart() -> None:
    # Entries without a closing period, in no order: a name before the last one's opens an entry.
    entries = [
        "Zorn, A. (2011). Marsh notes. Coast Press",
        "Abel, T. (2002). Tidal flooding. Estuary Press",
        "Young, B. (2004). Salt. Marsh Press",
        "Cole, D. (2009). Reeds. Coast Press",
    ]
    text = "References\n\n" + "\n\n".join(entries) + "\n"
    refs = read_references(text, Span(len("References\n"), len(text)))
    assert [r.authors[0].family for r in refs] == ["Zorn", "Abel", "Young", "Cole"]


def test_d2_entries_after_a_page_break_still_start_entries() -> None:
    # Finished entries on each side of the break stay two, and an entry without a year is still
    # one of its own in a list of blank-line separated entries.
    text = pages(
        PAGE,
        PAGE + "\n\nGrazing slowed recovery (Abel, 2002; Gray, 2010; Zorn, 2011).\n\n"
        "References\n\nAbel, T. (2002). Tidal flooding. Estuarine Ecology, 41(2), 101–118.",
        "Gray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n\n"
        "Hale, M. Marsh notes. Coast Press.\n\n"
        "Zorn, A. (2011). Salt. Marine Biology, 13(1), 1–10.\n",
    )
    report = citecheck.audit(text)
    assert len(report.references) == 4
    assert linked_to(report) == ["Abel 2002", "Gray 2010", "Zorn 2011"]


def test_d2_an_undated_entry_followed_by_an_earlier_name_in_an_unsorted_list() -> None:
    text = (
        "References\n\nZorn, A. Marsh notes. Coast Press.\n\n"
        "Abel, T. (2002). Tidal flooding. Estuarine Ecology, 41(2), 101–118.\n"
    )
    refs = read_references(text, Span(len("References\n"), len(text)))
    assert len(refs) == 2


def test_d2_a_running_header_on_two_pages_beside_the_page_numbers() -> None:
    # Two sightings are enough when each sits beside a page number: a page break.
    text = pages(
        PAGE,
        PAGE + "\n\nGrazing slowed recovery (Abel et al., 2002; Gray, 2010).\n\nReferences\n\nAbel, T., Baker, S., Cruz, N.,",
        "Dunn, H., & Fay, K. (2002). Tidal flooding. Estuarine Ecology, 41(2), 101–118.\n"
        "Gray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n",
    )
    assert text.count(HEADER) == 2
    assert HEADER in {text[s.start : s.end] for s in find_noise(text)}
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert linked_to(report) == ["Abel 2002", "Gray 2010"]


def test_d2_a_wrapped_journal_name_or_initials_line_carries_its_entry_on() -> None:
    # Lines wrapped in a list flattened from two columns: a journal name with a comma ("Marine,
    # Coastal and Shelf Studies"), or a volume and a year ("Frontiers in Marsh Science, 5, 2011."),
    # opens its line like an entry; initials "N. D." are no "n.d."; "W., Tan, M. (2018)" is the
    # rest of an author list.
    entries = [
        "Orsini, S., Lamb, C. S., & Reed, C. (2011). Rewarding effects of sugar in\nvoles.\n"
        "Marine, Coastal and Shelf Studies, 10, 625–636.",
        "Pratt, I., Quinn, A., Rossi, N. D., Soto, J.\nW., Tan, M., & Ueda, M. (2018). Stopping behaviour of\nlarvae. "
        "Larval Biology, 7, e38740.",
        "Vance, I. H., & Webb, F. (2011). Prey capture by larvae.\nFrontiers in Marsh Science, 5, 2011.",
    ]
    for sep in ("\n\n", "\n"):
        text = "Voles (Orsini et al., 2011), larvae (Pratt et al., 2018; Vance & Webb, 2011).\n\nReferences\n\n"
        text += sep.join(entries) + "\n"
        report = citecheck.audit(text)
        assert kinds(report) == [], sep
        assert linked_to(report) == ["Orsini 2011", "Pratt 2018", "Vance 2011"], sep
    entry = "Rossi, N. D. 2019. Larvae. Coast Press."
    assert parse_entry(entry, Span(0, len(entry))).year == "2019"


def test_d2_a_dash_and_an_editor_list_wrapped_onto_lines_of_their_own() -> None:
    entries = [
        "Lund, I., & Moss, A. (2003). Catalogue of marsh beetles\n- Volume 1: Water beetles, Coast\nBooks, Eastvale, 819 pp.",
        "Marsh Panel. (2013). Marsh change 2013. In\nT. F. Oakes, D. Pine, G.-K. Quist, S. K. Reyes, J.\n"
        "Sandoval, A. Tate, & P. M. Ueda (Eds.), Report of the marsh panel.\nCoast Press.",
        "Nolan, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.",
    ]
    for sep in ("\n\n", "\n"):
        text = "Beetles (Lund & Moss, 2003; Marsh Panel, 2013; Nolan, 2010).\n\nReferences\n\n" + sep.join(entries) + "\n"
        report = citecheck.audit(text)
        assert kinds(report) == [], sep
        assert len(report.references) == 3, sep
    # In a list of bullets, a bullet opens each entry.
    text = "References\n\n- Lund, I. (2003). Beetles.\n- Moss, A. (2004). Water\nbeetles.\n"
    assert len(read_references(text, Span(len("References\n"), len(text)))) == 2


def test_d2_lines_of_a_list_beside_numbers_on_two_pages_are_no_header() -> None:
    # A list numbered on lines of their own: two entries that differ in a year, or one entry
    # listed twice, each beside a growing number, are entries still.
    filler = "Malaria fell in the decade after the campaign began. " * 12
    for a, b in (("WHO. (2018). Report", "WHO. (2019). Report"), ("Smith, J. (2010). Report.", "Smith, J. (2010). Report.")):
        text = f"{filler}\n\n3\n\n{a}\n\n{filler}\n\n4\n\n{b}\n\n"
        assert {text[s.start : s.end] for s in find_noise(text)} == {"3", "4"}


# -- D4. a citation that crosses a page break --------------------------------------------------------------

REFS_D4 = (
    "References\n\nGray, P. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n\n"
    "Mima, K. (2008). Salt. Marine Biology, 12(1), 1–10.\n\n"
    "Ross, A., Lee, B., & Kim, C. (2017). Grazing. Marine Biology, 12(1), 1–10.\n"
)


def test_d4_the_header_year_inside_a_citation_is_not_its_year() -> None:
    text = pages(PAGE, PAGE + "\n\nGrazing slowed recovery (Mima, 2008; Ross et al.,", "2017; Gray, 2010).\n\n" + REFS_D4)
    assert text.count(HEADER) == 2
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert linked_to(report) == ["Mima 2008", "Ross 2017", "Gray 2010"]
    assert [c.year for c in report.citations] == ["2008", "2017", "2010"]


def test_d4_a_header_on_many_pages_and_a_page_number_are_blanked_in_body_and_list() -> None:
    text = pages(
        PAGE, PAGE, PAGE + "\n\nGrazing slowed (Mima, 2008; Ross et al.,", "2017; Gray, 2010).\n\n" + REFS_D4[:60], REFS_D4[60:]
    )
    noise = [text[s.start : s.end] for s in find_noise(text)]
    assert noise.count(HEADER) == 4 and {"12", "13", "14", "15"} <= set(noise)
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert [c.year for c in report.citations] == ["2008", "2017", "2010"]


def test_d4_a_line_seen_once_is_no_header() -> None:
    # Once, a line beside a page number cannot be told from a heading or a line of text.
    text = f"{PAGE}\n\n7\n\n{HEADER}\n\n{PAGE}\n"
    assert {text[s.start : s.end] for s in find_noise(text)} == {"7"}


# -- B3. an initial left in the surname field ---------------------------------------------------------------


def test_b3_an_initial_left_in_the_surname_field_is_no_part_of_the_surname() -> None:
    text = "Rain fell (Talbot, 2006) and rose (Nakamura-Lee, 2010).\n\nReferences\n\n"
    text += "Talbot R, P. (2006). Rain. Weather, 1, 1–9.\n\nNakamura-Lee JK, Maria. (2010). Snow. Weather, 2, 1–9.\n"
    report = citecheck.audit(text)
    assert kinds(report) == []
    assert report.references[0].authors == (Author("Talbot", "RP"),)
    assert report.references[1].authors[0].family == "Nakamura-Lee"


def test_b3_group_authors_and_capital_surnames_keep_their_capitals() -> None:
    def authors(entry: str) -> tuple[Author, ...]:
        return parse_entry(entry, Span(0, len(entry))).authors

    assert authors("R Core Team. (2020). R: A language. Vienna.") == (Author("R Core Team", "", group=True),)
    assert authors("WHO. (2019). Report. Geneva.") == (Author("WHO", "", group=True),)
    assert authors("DE LA CRUZ, M. (2019). Report. Geneva.") == (Author("DE LA CRUZ", "M"),)
    assert authors("Talbot RP, Lee K. (2006). Rain. Weather, 1, 1–9.") == (Author("Talbot", "RP"), Author("Lee", "K"))


# -- E1. a table column headed "References" ------------------------------------------------------------------

BODY_E1 = "Olaparib slows growth (Abel, 2002).\n\n"
LIST_E1 = (
    "References\n\nAbel, T. (2002). Tidal flooding. Marine Biology, 12(1), 1–10.\n\n"
    "Baker, S. (2010). Salt marsh grazing. Marine Biology, 12(1), 1–10.\n\n"
    "Cruz, N. (2015). Salt. Marine Biology, 12(1), 1–10.\n\n"
)
TABLES_E1 = {
    "cells-per-line": "Gene\nDrug\nSummary\nReferences\nBRCA1\nOlaparib\nReduced growth\nBaker (2010)\n"
    "TP53\nNone\nNo change\nCruz (2015)\n",
    "cells-between-blank-lines": "Gene\n\nDrug\n\nReferences\n\nBRCA1\n\nOlaparib\n\nBaker (2010)\n\n"
    "TP53\n\nNone\n\nCruz (2015)\n",
    "a-row-of-its-own": "| Gene | Drug | Summary |\nReferences\n| BRCA1 | Olaparib | Reduced growth, Baker (2010) |\n"
    "| TP53 | None | No change, Cruz (2015) |\n",
    "pipe-rows": "| Gene | Drug | Summary | References |\n|---|---|---|---|\n"
    "| BRCA1 | Olaparib | Reduced growth | Baker (2010) |\n| TP53 | None | No change | Cruz (2015) |\n",
    "tab-rows": "Gene\tDrug\tSummary\tReferences\nBRCA1\tOlaparib\tReduced growth\tBaker (2010)\n"
    "TP53\tNone\tNo change\tCruz (2015)\n",
}


def test_e1_a_table_column_headed_references_after_the_list() -> None:
    for name, table in TABLES_E1.items():
        text = BODY_E1 + LIST_E1 + "Table 1. Drugs and genes.\n\n" + table
        report = citecheck.audit(text)
        assert kinds(report) == [], name
        assert linked_to(report) == ["Abel 2002", "Baker 2010", "Cruz 2015"], name
        assert len(report.references) == 3, name


def test_e1_a_table_with_no_caption_after_the_list() -> None:
    for name in ("a-row-of-its-own", "pipe-rows", "tab-rows"):
        report = citecheck.audit(BODY_E1 + LIST_E1 + TABLES_E1[name])
        assert kinds(report) == [], name
        assert len(report.references) == 3, name


def test_e1_a_table_column_headed_references_in_the_body() -> None:
    text = "Olaparib slows growth (Abel, 2002).\n\nGene\nDrug\nReferences\nBRCA1\nOlaparib\nBaker (2010)\n\n" + LIST_E1
    report = citecheck.audit(text)
    assert kinds(report) == ["uncited-reference"]  # Cruz (2015): cited by nobody
    assert linked_to(report) == ["Abel 2002", "Baker 2010"]


def test_e1_a_true_heading_still_wins() -> None:
    # The heading alone between paragraphs, and a list in a table (one row an entry) after it.
    rows = "".join(f"| {n} | {e} |\n" for n, e in enumerate(LIST_E1.split("\n\n")[1:4], 1))
    text = BODY_E1 + "References\n\n" + rows
    found = find_reference_list(text)
    assert found is not None and text[found[0].start : found[0].end] == "References"
    assert found[1].end == len(text)
    # A heading straight after a table, entries after it.
    text = BODY_E1 + "| Gene | Drug |\n| BRCA1 | Olaparib |\n" + LIST_E1
    found = find_reference_list(text)
    assert found is not None and found[0].start == text.index("References")
    # With no entry after any heading, the last heading is still taken.
    text = "Body text.\n\nReferences\n\nNone yet.\n"
    assert find_reference_list(text) is not None


# -- E2. an organisation written in comma-separated parts ------------------------------------------------------


def test_e2_an_organisation_in_comma_separated_parts_is_one_group_author() -> None:
    def authors(entry: str) -> tuple[Author, ...]:
        return parse_entry(entry, Span(0, len(entry))).authors

    entry = "Republic of Norland, Ministry of Health, Survey Unit. (2018). National health survey. Norland City."
    assert authors(entry) == (Author("Republic of Norland, Ministry of Health, Survey Unit", "", group=True),)
    assert authors("Ministry of Health, Norland. (2018). Report. Oslo.") == (
        Author("Ministry of Health, Norland", "", group=True),
    )
    # Persons and groups joined by "&" or "and" stay apart.
    assert len(authors("World Health Organization, & UNICEF. (2018). Report. Geneva.")) == 2
    assert len(authors("Smith, J., & World Health Organization. (2018). Report. Geneva.")) == 2


def test_e2_a_group_or_title_with_and_in_the_author_place_is_one_author() -> None:
    def authors(entry: str) -> tuple[Author, ...]:
        return parse_entry(entry, Span(0, len(entry))).authors

    assert authors("Disparities in the risk and outcomes from COVID-19. (2020). Public Health England.") == (
        Author("Disparities in the risk and outcomes from COVID-19", "", group=True),
    )
    assert authors("Bill and Melinda Gates Foundation. (2019). Goalkeepers. Seattle.") == (
        Author("Bill and Melinda Gates Foundation", "", group=True),
    )
    assert len(authors("Smith, J., and Jones, K. (2019). Two people. Press.")) == 2


def test_d4_a_year_wrapped_onto_a_line_of_its_own_is_no_page_number() -> None:
    text = (
        "Gene | Drug | Reference\nBRCA1 | Olaparib | Parry et al., 2010; Bajrami et al.,\n2014\n\n"
        "More text on page one.\n\n12\n\nReferences\n\n"
        "Bajrami, I., Frankum, J., & Konde, A. (2014). Genes. Cancer Research, 74, 287–297.\n\n"
        "Parry, D., Guzi, T., & Shanahan, F. (2010). Dinaciclib. Molecular Cancer Therapeutics, 9, 2344–2353.\n"
    )
    report = citecheck.audit(text)
    assert [f.kind for f in report.findings] == []
    assert len(report.citations) == 2
