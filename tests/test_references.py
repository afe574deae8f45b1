"""The reference list: splitting it into entries and parsing each entry."""

from __future__ import annotations

import pytest
from conftest import findings_of, links_of, span_text
from hypothesis import given, settings
from hypothesis import strategies as st

import citecheck
from citecheck.model import Author, Pages, Span
from citecheck.references import earlier_lists, entry_text, parse_entry, read_references, segment

P = pytest.param

# ---------------------------------------------------------------------------------------------------
# parse_entry: each entry gives at least these fields (fields not named are not checked).
# ---------------------------------------------------------------------------------------------------

ARTICLE = "Ecology, 94(2), 10–20."

PARSE = [
    P(
        "Okafor, N. A., & Lindqvist, E. (2019). Tidal flooding of farmland. Estuarine Ecology, 41(2), 101–118.",
        {
            "authors": (Author("Okafor", "NA"), Author("Lindqvist", "E")),
            "etal": False,
            "year": "2019",
            "suffix": "",
            "title": "Tidal flooding of farmland",
            "container": "Estuarine Ecology",
            "volume": "41",
            "issue": "2",
            "pages": Pages("101", "118"),
            "doi": None,
            "kind": "article",
        },
        id="apa-journal-article",
    ),
    P(
        "Okafor, N. A., & Lindqvist, E. (2019). Tidal flooding of farmland. *Estuarine Ecology*, *41*(2), 101–118.",
        {
            "authors": (Author("Okafor", "NA"), Author("Lindqvist", "E")),
            "title": "Tidal flooding of farmland",
            "container": "Estuarine Ecology",
            "volume": "41",
            "issue": "2",
            "pages": Pages("101", "118"),
            "kind": "article",
        },
        id="apa-journal-article-markdown-italics",
    ),
    P(
        "van der Berg, J., & O'Neil, T. (2018). Dune migration rates. Earth Surface Processes, 43(5), 1000–1012.",
        {
            "authors": (Author("van der Berg", "J"), Author("O'Neil", "T")),
            "year": "2018",
            "container": "Earth Surface Processes",
            "pages": Pages("1000", "1012"),
        },
        id="apa-particles-and-apostrophe",
    ),
    P(
        "Dubois-Dauphin, C. (2022). Coastal dunes. Geomorphology, 400, 50–61.",
        {
            "authors": (Author("Dubois-Dauphin", "C"),),
            "container": "Geomorphology",
            "volume": "400",
            "issue": None,
            "pages": Pages("50", "61"),
        },
        id="apa-hyphenated-no-issue",
    ),
    P(
        "Castillo, M. (2017). *Sediment budgets of realigned marshes*. Harbour Press.",
        {
            "authors": (Author("Castillo", "M"),),
            "year": "2017",
            "title": "Sediment budgets of realigned marshes",
            "container": "Harbour Press",
            "volume": None,
            "pages": None,
            "kind": "book",
        },
        id="apa-book-with-publisher",
    ),
    P(
        "Reed, T. (2016). Forest recovery. In A. Lee (Ed.), *Forests of the north* (pp. 33–58). Harbour Press.",
        {"authors": (Author("Reed", "T"),), "title": "Forest recovery", "pages": Pages("33", "58"), "kind": "chapter"},
        id="apa-book-chapter",
    ),
    P(
        "Smith, J. 2018. Field notes on dunes. Harbour Press.",
        {
            "authors": (Author("Smith", "J"),),
            "year": "2018",
            "title": "Field notes on dunes",
            "container": "Harbour Press",
            "kind": "book",
        },
        id="harvard-book",
    ),
    P(
        "Smith, John, and Mary Lee. 2018. Field Notes on Dunes.",
        {"authors": (Author("Smith", "J"), Author("Lee", "M")), "year": "2018", "title": "Field Notes on Dunes"},
        id="chicago-two-authors-title-only",
    ),
    P(
        "Castillo, Maria, and Peter Adams. 2017. Sediment Budgets of Realigned Marshes. Harbour Press.",
        {
            "authors": (Author("Castillo", "M"), Author("Adams", "P")),
            "year": "2017",
            "title": "Sediment Budgets of Realigned Marshes",
            "container": "Harbour Press",
            "kind": "book",
        },
        id="chicago-book",
    ),
    P(
        'Castillo, Maria, Peter Adams, and Anne van der Berg. 2017. "Sediment Budgets." Marine Geology 390: 12–25.',
        {
            "authors": (Author("Castillo", "M"), Author("Adams", "P"), Author("van der Berg", "A")),
            "year": "2017",
            "title": "Sediment Budgets",
            "container": "Marine Geology",
            "volume": "390",
            "pages": Pages("12", "25"),
            "kind": "article",
        },
        id="chicago-journal-article",
    ),
    P(
        "World Meteorological Organization. (2020). *State of the climate in the north*. WMO Press.",
        {
            "authors": (Author("World Meteorological Organization", "", group=True),),
            "year": "2020",
            "title": "State of the climate in the north",
            "kind": "book",
        },
        id="group-author",
    ),
    P(
        "Reed, T., Alvarez, M., Osei, K., et al. (2016). Forest recovery. " + ARTICLE,
        {"authors": (Author("Reed", "T"), Author("Alvarez", "M"), Author("Osei", "K")), "etal": True, "year": "2016"},
        id="author-list-cut-with-et-al",
    ),
    P(
        "Reed, T., Alvarez, M., Osei, K., Diaz, L., Fox, R., Gale, S., ... Zhou, Y. (2016). Forest recovery. " + ARTICLE,
        {
            "authors": tuple(
                Author(f, i) for f, i in zip(["Reed", "Alvarez", "Osei", "Diaz", "Fox", "Gale", "Zhou"], "TMKLRSY", strict=True)
            ),
            "etal": True,
            "year": "2016",
        },
        id="author-list-cut-with-three-dots",
    ),
    P(
        "Reed, T., Alvarez, M., Osei, K., Diaz, L., Fox, R., Gale, S., … Zhou, Y. (2016). Forest recovery. " + ARTICLE,
        {"etal": True, "year": "2016", "container": "Ecology"},
        id="author-list-cut-with-ellipsis-character",
    ),
    P(
        "Reed, T., Alvarez, M., Osei, K., Diaz, L., Fox, R., Gale, S., . . . Zhou, Y. (2016). Forest recovery. " + ARTICLE,
        {"etal": True, "year": "2016", "container": "Ecology"},
        id="author-list-cut-with-spaced-dots",
    ),
    P("Reed, T. (2016a). Forest recovery. " + ARTICLE, {"year": "2016", "suffix": "a"}, id="year-suffix"),
    P(
        "Reed, T. (n.d.). Forest recovery. Forest Notes. https://example.org/forest",
        {
            "authors": (Author("Reed", "T"),),
            "year": "n.d.",
            "suffix": "",
            "title": "Forest recovery",
            "url": "https://example.org/forest",
        },
        id="year-no-date",
    ),
    P(
        "Reed, T. (in press). Forest recovery. Ecology.",
        {"authors": (Author("Reed", "T"),), "year": "in press", "title": "Forest recovery", "container": "Ecology"},
        id="year-in-press",
    ),
    P(
        "Reed, T. (2016, March 5). Forest recovery. Forest Notes.",
        {"year": "2016", "title": "Forest recovery"},
        id="year-with-date",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Ecology, 94(2), 1234–56.",
        {"pages": Pages("1234", "1256"), "kind": "article"},
        id="pages-abbreviated-range",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Island Biology, 14(3), e0123456.",
        {"container": "Island Biology", "volume": "14", "issue": "3", "pages": Pages("e0123456", None), "kind": "article"},
        id="pages-article-number",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Island Biology, 14(3), Article e0123456.",
        {"container": "Island Biology", "volume": "14", "issue": "3", "pages": Pages("e0123456", None), "kind": "article"},
        id="pages-apa7-article-number",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Ecology, 94(Suppl. 1), S12–S19.",
        {"volume": "94", "issue": "Suppl. 1", "pages": Pages("S12", "S19"), "kind": "article"},
        id="pages-supplement",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Ecology, 94(2), 10–20. https://doi.org/10.1000/eco.2016.94",
        {"doi": "10.1000/eco.2016.94", "url": "https://doi.org/10.1000/eco.2016.94", "pages": Pages("10", "20"), "year": "2016"},
        id="doi-as-url",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Ecology, 94(2), 10–20. doi:10.1000/eco.1",
        {"doi": "10.1000/eco.1", "url": None, "pages": Pages("10", "20")},
        id="doi-prefix",
    ),
    P(
        "Reed, T. (2016). Forest recovery. Forest Notes. https://example.org/notes/1999/forest",
        {"year": "2016", "url": "https://example.org/notes/1999/forest", "doi": None},
        id="url-with-a-year-inside",
    ),
]


@pytest.mark.parametrize(("entry", "expected"), PARSE)
def test_parse_entry(entry: str, expected: dict[str, object]) -> None:
    span = Span(100, 100 + len(entry))
    ref = parse_entry(entry, span)
    assert ref.span == span
    assert {k: getattr(ref, k) for k in expected} == expected


@pytest.mark.parametrize(
    "entry",
    [
        P("Anonymous report on trade, retrieved from the ministry website.", id="no-author-no-year"),
        P("Okafor, N. Untitled manuscript on trade.", id="author-but-no-year"),
    ],
)
def test_unparseable_entry_keeps_span_and_text(entry: str) -> None:
    span = Span(7, 7 + len(entry))
    ref = parse_entry(entry, span)
    assert ref.span == span
    assert ref.text == entry
    assert (ref.authors, ref.year) == ((), None)


# ---------------------------------------------------------------------------------------------------
# segment: a reference list gives exactly these entries (exact slices of the text).
# ---------------------------------------------------------------------------------------------------

HALE = "Hale, M. (2019). Coastal towns. Urban History, 46(2), 200–215."
IBARRA = "Ibarra, L., & Cole, D. (2021). Trade routes. Maritime Studies, 20(1), 1–18."
QUIST = "Quist, R. (2018). Ports. Harbour Studies, 7(3), 40–52."

SEGMENTS = [
    P(f"{HALE}\n\n{IBARRA}\n\n{QUIST}\n", [HALE, IBARRA, QUIST], id="blank-lines"),
    P(f"\n\n{HALE}\n\n\n\n{IBARRA}\n   \n{QUIST}", [HALE, IBARRA, QUIST], id="blank-lines-irregular"),
    P(f"- {HALE}\n- {IBARRA}\n- {QUIST}\n", [f"- {HALE}", f"- {IBARRA}", f"- {QUIST}"], id="bullets-dash"),
    P(f"• {HALE}\n• {IBARRA}\n", [f"• {HALE}", f"• {IBARRA}"], id="bullets-dot"),
    P(f"1. {HALE}\n2. {IBARRA}\n3. {QUIST}\n", [f"1. {HALE}", f"2. {IBARRA}", f"3. {QUIST}"], id="numbers-dot"),
    P(f"[1] {HALE}\n[2] {IBARRA}\n", [f"[1] {HALE}", f"[2] {IBARRA}"], id="numbers-bracketed"),
    P(
        "Hale, M. (2019). Coastal towns and their harbours in the long\n"
        "    nineteenth century. Urban History, 46(2), 200–215.\n"
        "Ibarra, L., & Cole, D. (2021). Trade routes across the northern\n"
        "    seas. Maritime Studies, 20(1), 1–18.\n"
        f"{QUIST}\n",
        [
            "Hale, M. (2019). Coastal towns and their harbours in the long\n"
            "    nineteenth century. Urban History, 46(2), 200–215.",
            "Ibarra, L., & Cole, D. (2021). Trade routes across the northern\n    seas. Maritime Studies, 20(1), 1–18.",
            QUIST,
        ],
        id="hanging-indent",
    ),
    P(
        "Hale, M. (2019). Coastal towns and their harbours in the long\n"
        "nineteenth century. Urban History, 46(2), 200–215.\n"
        "Ibarra, L., & Cole, D. (2021). Trade routes across the northern\n"
        "seas. Maritime Studies, 20(1), 1–18.\n",
        [
            "Hale, M. (2019). Coastal towns and their harbours in the long\nnineteenth century. Urban History, 46(2), 200–215.",
            "Ibarra, L., & Cole, D. (2021). Trade routes across the northern\nseas. Maritime Studies, 20(1), 1–18.",
        ],
        id="line-wraps-without-indent",
    ),
    P(
        "Hale, M. (2019). Coastal towns and their harbours. Journal of\n\nUrban History, 46(2), 200–215.\n\n" + IBARRA,
        ["Hale, M. (2019). Coastal towns and their harbours. Journal of\n\nUrban History, 46(2), 200–215.", IBARRA],
        id="entry-cut-by-a-page-break",
    ),
    P(
        f"{HALE}\n\nAnonymous report on trade, retrieved from the ministry website.\n\n{IBARRA}\n",
        [HALE, "Anonymous report on trade, retrieved from the ministry website.", IBARRA],
        id="stray-line-between-blank-lines",
    ),
    P(
        f"- {HALE}\n- Anonymous report on trade, retrieved from the ministry website.\n- {IBARRA}\n",
        [f"- {HALE}", "- Anonymous report on trade, retrieved from the ministry website.", f"- {IBARRA}"],
        id="stray-line-as-bullet",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENTS)
def test_segment(text: str, expected: list[str]) -> None:
    spans = segment(text, Span(0, len(text)))
    assert [span_text(text, s) for s in spans] == expected


@pytest.mark.parametrize(("text", "expected"), SEGMENTS)
def test_read_references_parses_each_segment(text: str, expected: list[str]) -> None:
    refs = read_references(text, Span(0, len(text)))
    assert [span_text(text, r.span) for r in refs] == expected
    firsts = [r.first_author for r in refs]
    assert firsts == [None if "Anonymous" in e else e.lstrip("-•[]0123456789. ").split(",")[0] for e in expected]


def test_segment_only_reads_inside_the_span() -> None:
    text = f"Body text (Hale, 2019).\n\nReferences\n\n{HALE}\n\n{IBARRA}\n\nAppendix A\n\nTables follow."
    start = text.index(HALE)
    end = text.index("Appendix")
    spans = segment(text, Span(start, end))
    assert [span_text(text, s) for s in spans] == [HALE, IBARRA]


def test_read_references_without_a_list() -> None:
    assert read_references("No list here.", None) == []


# ---------------------------------------------------------------------------------------------------
# Reference lists in a full audit.
# ---------------------------------------------------------------------------------------------------


def test_entry_split_by_a_repeated_running_header() -> None:
    header = "HARBOUR REVIEW Vol. 12 (2024)"
    page = "Quays were rebuilt and warehouses moved inland as the river silted up.\n" * 8  # a page of prose
    text = f"""{header}
Coastal towns grew fast (Hale, 2019). Trade routes shifted south
(Ibarra & Cole, 2021) and ports followed (Quist, 2018).
{page}
{header}
More prose on the harbours of the north.
{page}

References

Hale, M. (2019). Coastal towns and their harbours in the long nineteenth
{header}
century. Urban History, 46(2), 200–215.
{IBARRA}
{QUIST}
"""
    report = citecheck.audit(text)
    assert [r.text for r in report.references] == [
        "Hale, M. (2019). Coastal towns and their harbours in the long nineteenth century. Urban History, 46(2), 200–215.",
        IBARRA,
        QUIST,
    ]
    hale = report.references[0]
    assert hale.title == "Coastal towns and their harbours in the long nineteenth century"
    assert (hale.container, hale.volume, hale.issue, hale.pages) == ("Urban History", "46", "2", Pages("200", "215"))
    assert span_text(text, hale.span).startswith("Hale, M. (2019)")
    assert span_text(text, hale.span).endswith("200–215.")
    assert [c.text for c in report.citations] == ["Hale, 2019", "Ibarra & Cole, 2021", "Quist, 2018"]
    assert findings_of(report) == set()


def test_entry_split_by_a_running_header_between_blank_lines() -> None:
    header = "HARBOUR REVIEW Vol. 12 (2024)"
    page = "Quays were rebuilt and warehouses moved inland as the river silted up. " * 8  # a page of prose
    text = f"""{header}

Coastal towns grew fast (Hale, 2019). Trade routes shifted south (Ibarra & Cole, 2021). {page}

{header}

More prose on the harbours of the north. {page}

References

Hale, M. (2019). Coastal towns and their harbours in the long nineteenth

{header}

century. Urban History, 46(2), 200–215.

{IBARRA}
"""
    report = citecheck.audit(text)
    assert [r.text for r in report.references] == [
        "Hale, M. (2019). Coastal towns and their harbours in the long nineteenth century. Urban History, 46(2), 200–215.",
        IBARRA,
    ]
    assert report.references[0].pages == Pages("200", "215")
    assert findings_of(report) == set()


@pytest.mark.parametrize(
    "layout",
    [
        P("blank", id="blank-lines"),
        P("bullets", id="bullets"),
    ],
)
def test_unparsed_entry_is_reported_and_the_audit_goes_on(layout: str) -> None:
    stray = "Anonymous report on trade, retrieved from the ministry website."
    entries = [HALE, stray, IBARRA, QUIST]
    if layout == "bullets":
        refs = "\n".join(f"- {e}" for e in entries)
    else:
        refs = "\n\n".join(entries)
    text = (
        f"Coastal towns grew fast (Hale, 2019), and routes shifted (Ibarra & Colle, 2021; Pratt, 2017).\n\nReferences\n\n{refs}\n"
    )
    report = citecheck.audit(text)
    assert len(report.references) == 4
    unparsed = report.references[1]
    assert span_text(text, unparsed.span).endswith(stray)
    assert (unparsed.authors, unparsed.year) == ((), None)
    prefix = "- " if layout == "bullets" else ""
    assert findings_of(report) == {
        ("unparsed-reference", prefix + stray),
        ("author-misspelling", "Ibarra & Colle, 2021"),
        ("missing-reference", "Pratt, 2017"),
        ("uncited-reference", prefix + QUIST),
    }
    assert links_of(report)[0] == ("Hale, 2019", "exact", "Hale, M")


# Reference lists as a PDF reader leaves them: columns and pages break entries, and lines open with
# the tails of numbers.
# The running header recurs a page apart in the body, and then inside entries where the columns
# and pages of the list break them.
PAGE = "Channels open when calcium rises in the cell, and close again as it is pumped out. " * 8
COLUMN_BREAKS = f"""eLife 2018;7:e36409 RESEARCH ARTICLE

Text (Harteneck, 2005; Kühn et al., 2015; Launay et al., 2002; Ji & Nielsen, 2015). {PAGE}

eLife 2018;7:e36409 RESEARCH ARTICLE

{PAGE}

References

Harteneck, C. (2005). The mammalian melastatin-related transient receptor
potential cation channels: an overview. Pflügers Archiv, 451, 204–211.

Kühn, F. J., Kühn, C., & Lückhoff, A. (2015). Functional characterisation of
a TRPM2 orthologue. Scientific Reports, 5,
8032. https://doi.org/10.1038/srep08032

Ji, B., & Nielsen, J. (2015). From next-generation sequencing to systems modeling of the gut microbiome.

eLife 2018;7:e36409 RESEARCH ARTICLE

frontiers in Genetics, 6, 219.

Launay, P., Fleig, A., & Penner, R. (2002). TRPM4 is a Ca2+-activated nonselective cation
channel. Cell, 109,

eLife 2018;7:e36409 RESEARCH ARTICLE

397–407.

eLife 2018;7:e36409 RESEARCH ARTICLE
"""


def test_entries_broken_by_columns_and_pages_stay_whole() -> None:
    report = citecheck.audit(COLUMN_BREAKS)
    assert [r.authors[0].family for r in report.references] == ["Harteneck", "Kühn", "Ji", "Launay"]
    assert report.references[1].doi == "10.1038/srep08032"
    assert report.references[3].pages is not None and report.references[3].pages.last == "407"
    assert report.findings == ()


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        P(
            "https://doi.org/10.1007/s11121-\n011-0217-6",
            "https://doi.org/10.1007/s11121-011-0217-6",
            id="doi-cut-after-a-hyphen",
        ),
        P(
            "R Markdown. https://elifesciences.org/labs/cad57bc\nf/composing-reproducible-manuscripts.",
            "R Markdown. https://elifesciences.org/labs/cad57bcf/composing-reproducible-manuscripts.",
            id="url-cut-mid-word",
        ),
        P("doi:10.1016/S0140-\n6736(20)30183-5", "doi:10.1016/S0140-6736(20)30183-5", id="doi-with-brackets"),
        P(
            "https://doi.org/10.1002/\n(SICI)1097-4547(19991115)58:4",
            "https://doi.org/10.1002/(SICI)1097-4547(19991115)58:4",
            id="doi-cut-after-its-prefix",
        ),
        P(
            "https://doi.\norg/10.1890/0012-9658(1999)080[1762:IFEAPF]2.0.CO;2",
            "https://doi.org/10.1890/0012-9658(1999)080[1762:IFEAPF]2.0.CO;2",
            id="link-cut-in-its-host",
        ),
        P("https://www.who.int/\nAccessed 3 May 2021.", "https://www.who.int/ Accessed 3 May 2021.", id="a-word-after-a-link"),
        P(
            "https://www.who.int/\n(accessed 3 May 2021).",
            "https://www.who.int/ (accessed 3 May 2021).",
            id="a-note-after-a-link",
        ),
        P("https://osf.io/x7q2m\n2nd edition.", "https://osf.io/x7q2m 2nd edition.", id="a-plain-word-after-a-link"),
        P("Marsh carbon and/or\nsediment-bound nutrients.", "Marsh carbon and/or sediment-bound nutrients.", id="no-link"),
    ],
)
def test_a_line_break_inside_a_link_is_closed(raw: str, joined: str) -> None:
    assert entry_text(raw) == joined


def test_links_cut_by_line_breaks_are_read_whole() -> None:
    text = """Prevention works (Valentine et al., 2011), and cells divide (Okafor, 2020).

References

Okafor, N. (2020). Division in marsh algae. Cell Biology, 4(2), 1–9. https://doi.org/10.1016/j.cell-
bio.2020.01.004

Valentine, J. C., Biglan, A., & Schinke, S. P. (2011). Replication in prevention science. Prevention
Science, 12, 103–117. https://doi.org/10.1007/s11121-
011-0217-6
"""
    report = citecheck.audit(text)
    # The hyphen before a break inside a DOI is the DOI's own, not a word's hyphenation.
    assert [r.doi for r in report.references] == ["10.1016/j.cell-bio.2020.01.004", "10.1007/s11121-011-0217-6"]
    assert report.references[1].text.endswith("https://doi.org/10.1007/s11121-011-0217-6")
    assert findings_of(report) == set()


@settings(deadline=None, max_examples=500)
@given(
    st.lists(
        st.sampled_from(["https://doi.org/10.1/", "s11-", "Accessed", "and/or", "(x)", "10.1002/", "\n", " ", "a", "-"]),
        max_size=30,
    ).map("".join)
)
def test_joining_lines_changes_only_white_space(raw: str) -> None:
    joined = entry_text(raw)
    assert "".join(joined.split()) == "".join(raw.split())
    assert "  " not in joined and joined == joined.strip()


def test_a_page_range_cut_in_a_numbered_list_stays_in_its_entry() -> None:
    text = """Nodules are common [1], and surgery frequent [2].

References

1. Hegedus L. Clinical practice. The thyroid nodule. N Engl J Med. 2004;351(17):1764-
1771. Available at: https://pubmed.ncbi.nlm.nih.gov/15496625
2. Cooper DS, Doherty GM. Revised guidelines. Thyroid. 2009;19(11):1167-
214. Available at: https://pubmed.ncbi.nlm.nih.gov/19860577
"""
    report = citecheck.audit(text)
    # "1771." and "214." open lines like entry numbers, but numbers count up by one.
    assert [r.text[:12] for r in report.references] == ["1. Hegedus L", "2. Cooper DS"]
    assert report.findings == ()


def test_an_earlier_list_runs_to_the_next_chapter() -> None:
    text = """Chapter 1

Text (Hale, 2019; Ibarra, 2021).

References

Hale, M. (2019). Coastal towns and their harbours. Urban History,

46(2), 200–215.

Ibarra, L. (2021). Trade routes. Maritime

Studies, 20(1), 1–18.

https://doi.org/10.1000/ms.1

Chapter 2

Quist (2018) saw it first.

References

Quist, A. (2018). Ports. Shipping, 3, 1–9.
"""
    last = Span(text.rindex("References"), text.rindex("References") + len("References"))
    [(heading, span)] = earlier_lists(text, last)
    # Page-break fragments of entries carry the list on; the next chapter's heading ends it.
    assert text[heading.start : heading.end] == "References"
    assert text[span.start : span.end].strip().endswith("https://doi.org/10.1000/ms.1")
    report = citecheck.audit(text)
    assert [r.authors[0].family for r in report.references] == ["Hale", "Ibarra", "Quist"]
    assert report.findings == ()
