"""Bibliography files: BibTeX/BibLaTeX, CSL-JSON and RIS read into references, with exact spans."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest
from conftest import span_text

from citecheck.bibliography import detect_format, read_bibliography
from citecheck.bibliography.bibtex import parse_bibtex
from citecheck.bibliography.csljson import parse_csl_json
from citecheck.bibliography.ris import parse_ris
from citecheck.errors import InputError
from citecheck.model import Author, Pages, Reference

P = pytest.param
FIXTURES = os.path.join(os.path.dirname(__file__), os.pardir, "fixtures", "bib")


def fixture(name: str) -> str:
    return os.path.join(FIXTURES, name)


def by_key(path: str) -> dict[str | None, Reference]:
    return {r.key: r for r in read_bibliography(path)[1]}


# Builders of one-entry files, so that one table row can be checked in all three formats.


def bib(entry_type: str = "article", key: str = "k", **fields: str) -> str:
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields.items())
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def csl(**fields: Any) -> str:
    return json.dumps([{"id": "k", "type": "article-journal", **fields}], ensure_ascii=False)


def ris(ty: str = "JOUR", **fields: str) -> str:
    lines = [f"TY  - {ty}", "ID  - k"] + [f"{tag}  - {value}" for tag, value in fields.items()]
    return "\n".join(lines) + "\nER  - \n"


def only(refs: list[Reference]) -> Reference:
    assert len(refs) == 1, refs
    return refs[0]


# ---------------------------------------------------------------------------------------------------
# Each format's fields, read from the sample files (fields not named are not checked).
# ---------------------------------------------------------------------------------------------------

OKAFOR_TEXT = (
    "Okafor, N. A., & Lindqvist, E. (2019). Tidal flooding of farmland. Estuarine Ecology, 41(2), 101–118. "
    "https://doi.org/10.5555/ecol.2019.041"
)

FIELDS = [
    P(
        "sample.bib",
        "okafor2019",
        {
            "text": OKAFOR_TEXT,
            "authors": (Author("Okafor", "NA"), Author("Lindqvist", "E")),
            "etal": False,
            "year": "2019",
            "suffix": "",
            "title": "Tidal flooding of farmland",
            "container": "Estuarine Ecology",  # from an @string macro
            "volume": "41",
            "issue": "2",
            "pages": Pages("101", "118"),
            "doi": "10.5555/ecol.2019.041",
            "url": None,
            "kind": "article",
            "language": None,
        },
        id="bib-article",
    ),
    P(
        "sample.bib",
        "who2019a",
        {
            "text": "World Health Organization. (2019a). Guidelines on Coastal Water Safety. WHO Press.",
            "authors": (Author("World Health Organization", "", group=True),),
            "year": "2019",
            "suffix": "a",
            "title": "Guidelines on Coastal Water Safety",
            "container": "WHO Press",
            "kind": "book",
        },
        id="bib-book-group-author-year-suffix",
    ),
    P(
        "sample.bib",
        "mueller2020",
        {
            "text": "Müller, J., van der Berg, A., et al. (2020). Café culture and the Übergang of Hamburg. "
            "In Cities by the Sea (pp. 45–67).",
            "authors": (Author("Müller", "J"), Author("van der Berg", "A")),
            "etal": True,
            "year": "2020",
            "title": "Café culture and the Übergang of Hamburg",
            "container": "Cities by the Sea",
            "pages": Pages("45", "67"),
            "kind": "chapter",
            "language": "de",
        },
        id="bib-incollection-first-last-names-and-others-accents",
    ),
    P(
        "sample.bib",
        "tanaka2017",
        {
            "authors": (Author("Tanaka", "H"), Author("Ünal", "A")),
            "year": "2017",
            "title": "Naïve estimators of dune migration",
            "container": "Earth Surface Processes",
            "volume": "43",
            "issue": "5",
            "pages": Pages("1000", "1012"),
            "doi": "10.5555/esp.43.1000",
            "kind": "article",
            "language": "en",
        },
        id="biblatex-journaltitle-date-language",
    ),
    P(
        "sample.bib",
        "ferreira2021",
        {
            "text": "Ferreira, L. (2021). Sediment budgets, explained. https://example.org/sediment",
            "authors": (Author("Ferreira", "L"),),
            "year": "2021",
            "url": "https://example.org/sediment",
            "container": None,
            "kind": "web",
            "language": "pt",
        },
        id="biblatex-online-langid",
    ),
    P(
        "sample.json",
        "okafor2019",
        {
            "authors": (Author("Okafor", "NA"), Author("van der Berg", "A")),
            "year": "2019",
            "title": "Tidal flooding of farmland",
            "container": "Estuarine Ecology",
            "volume": "41",
            "issue": "2",
            "pages": Pages("101", "118"),
            "doi": "10.5555/ecol.2019.041",
            "kind": "article",
            "language": "en",
        },
        id="csl-article-particle",
    ),
    P(
        "sample.json",
        "who2019a",
        {
            "authors": (Author("World Health Organization", "", group=True),),
            "year": "2019",
            "suffix": "a",
            "container": "WHO Press",
            "kind": "book",
        },
        id="csl-book-literal-author-year-suffix",
    ),
    P(
        "sample.json",
        "17",
        {
            "authors": (Author("Müller", "J"),),
            "etal": True,
            "year": "in press",
            "title": 'Harbour cities: {braces} and [brackets] inside a "string"',
            "container": "Proceedings of the Coastal Meeting",
            "pages": Pages("45", "67"),
            "kind": "chapter",
            "language": "de",
        },
        id="csl-paper-numeric-id-in-press-others",
    ),
    P(
        "sample.ris",
        "okafor2019",
        {
            "text": OKAFOR_TEXT,
            "authors": (Author("Okafor", "NA"), Author("Lindqvist", "E")),
            "year": "2019",
            "title": "Tidal flooding of farmland",  # wrapped onto a continuation line in the file
            "container": "Estuarine Ecology",
            "volume": "41",
            "issue": "2",
            "pages": Pages("101", "118"),
            "doi": "10.5555/ecol.2019.041",
            "kind": "article",
            "language": "en",
        },
        id="ris-journal-sp-ep",
    ),
    P(
        "sample.ris",
        "who2019a",
        {
            "authors": (Author("World Health Organization", "", group=True),),
            "year": "2019",
            "suffix": "a",
            "container": "WHO Press",
            "kind": "book",
        },
        id="ris-book-group-author",
    ),
    P(
        "sample.ris",
        "mueller2020",
        {
            "authors": (Author("Müller", "J"),),
            "etal": True,
            "year": "2020",
            "title": "Café culture in Hamburg",
            "container": "Cities by the Sea",
            "pages": Pages("45", "67"),
            "url": "https://example.org/cafe",
            "kind": "chapter",
            "language": "de",
        },
        id="ris-chapter-a1-et-al-da",
    ),
]


@pytest.mark.parametrize(("name", "key", "expected"), FIELDS)
def test_fields(name: str, key: str, expected: dict[str, object]) -> None:
    ref = by_key(fixture(name))[key]
    got = {field: getattr(ref, field) for field in expected}
    assert got == expected


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        P("sample.bib", ["okafor2019", "who2019a", "mueller2020", "tanaka2017", "ferreira2021"], id="bib"),
        P("sample.json", ["okafor2019", "who2019a", "17"], id="csl-json"),
        P("sample.ris", ["okafor2019", "who2019a", "mueller2020"], id="ris"),
    ],
)
def test_one_reference_per_entry_in_file_order(name: str, keys: list[str]) -> None:
    assert [r.key for r in read_bibliography(fixture(name))[1]] == keys


# ---------------------------------------------------------------------------------------------------
# Spans: each entry's range in the decoded text, from its opening to its end.
# ---------------------------------------------------------------------------------------------------

SPANS = [
    P("sample.bib", "@", "}", id="bib"),
    P("broken.bib", "@", "", id="bib-with-broken-entry"),
    P("duplicates.bib", "@", "}", id="bib-duplicate-keys"),
    P("sample.json", "{", "}", id="csl-json"),
    P("sample.ris", "TY  -", "ER  -", id="ris"),
    P("ris-export.txt", "TY  -", "ER  -", id="ris-detected-by-content"),
]


@pytest.mark.parametrize(("name", "opening", "ending"), SPANS)
def test_spans_cover_each_entry(name: str, opening: str, ending: str) -> None:
    source, refs = read_bibliography(fixture(name))
    assert refs
    previous_end = 0
    for ref in refs:
        covered = span_text(source.text, ref.span)
        assert covered.startswith(opening)
        assert covered.endswith(ending)
        assert ref.span.start >= previous_end  # in file order, never overlapping
        previous_end = ref.span.end


def test_csl_json_item_span_is_the_whole_object() -> None:
    source, refs = read_bibliography(fixture("sample.json"))
    items = json.loads(source.text)
    assert [json.loads(span_text(source.text, r.span)) for r in refs] == items


def test_bibtex_spans_of_blocks_sharing_lines() -> None:
    text = '@misc{a, title={One}} @misc{b, title={Two}}\n@article(c, title = "Three", year = 2001)\n'
    refs = parse_bibtex(text)
    assert [span_text(text, r.span) for r in refs] == [
        "@misc{a, title={One}}",
        "@misc{b, title={Two}}",
        '@article(c, title = "Three", year = 2001)',
    ]


def test_ris_record_without_er_ends_at_its_last_line() -> None:
    text = "TY  - JOUR\nAU  - Smith, J.\nPY  - 2001\nER  - \n\nTY  - BOOK\nTI  - Cut off\n"
    refs = parse_ris(text)
    assert [span_text(text, r.span) for r in refs] == [
        "TY  - JOUR\nAU  - Smith, J.\nPY  - 2001\nER  -",
        "TY  - BOOK\nTI  - Cut off",
    ]


# ---------------------------------------------------------------------------------------------------
# Names: BibTeX's forms, group authors, "and others".
# ---------------------------------------------------------------------------------------------------

BIBTEX_AUTHORS = [
    P("Smith, John and Lee, Kim", (Author("Smith", "J"), Author("Lee", "K")), False, id="last-first"),
    P("John Smith and Kim Lee", (Author("Smith", "J"), Author("Lee", "K")), False, id="first-last"),
    P("Smith, J. A. and Lee, K.", (Author("Smith", "JA"), Author("Lee", "K")), False, id="initials"),
    P("Jean-Pierre Dupont", (Author("Dupont", "JP"),), False, id="hyphenated-given"),
    P("van der Berg, Jan", (Author("van der Berg", "J"),), False, id="particle-last-first"),
    P("Jan van der Berg", (Author("van der Berg", "J"),), False, id="particle-first-last"),
    P("Smith, Jr., John", (Author("Smith", "J"),), False, id="jr"),
    P("{World Health Organization}", (Author("World Health Organization", "", group=True),), False, id="group"),
    P(
        "{World Health Organization} and Smith, J.",
        (Author("World Health Organization", "", group=True), Author("Smith", "J")),
        False,
        id="group-and-person",
    ),
    P("{Simon and Schuster}", (Author("Simon and Schuster", "", group=True),), False, id="group-with-and-inside"),
    P("Smith, J. and others", (Author("Smith", "J"),), True, id="and-others"),
    P('M{\\"u}ller, J{\\"o}rg', (Author("Müller", "J"),), False, id="accents"),
    P('{\\"U}nal, Ay{\\c{s}}e', (Author("Ünal", "A"),), False, id="leading-braced-accent-is-no-group"),
]


@pytest.mark.parametrize(("value", "authors", "etal"), BIBTEX_AUTHORS)
def test_bibtex_authors(value: str, authors: tuple[Author, ...], etal: bool) -> None:
    ref = only(parse_bibtex(bib(author=value, year="2001")))
    assert (ref.authors, ref.etal) == (authors, etal)


def test_bibtex_editors_stand_in_for_missing_authors() -> None:
    ref = only(parse_bibtex(bib("book", editor="Lee, Kim and Park, Min", title="Edited", year="2001")))
    assert ref.authors == (Author("Lee", "K"), Author("Park", "M"))


CSL_AUTHORS = [
    P([{"family": "Smith", "given": "John A."}], (Author("Smith", "JA"),), False, id="family-given"),
    P(
        [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"}],
        (Author("van der Berg", "J"),),
        False,
        id="particle",
    ),
    P([{"literal": "Environment Agency"}], (Author("Environment Agency", "", group=True),), False, id="literal-group"),
    P(
        [{"family": "World Health Organization"}],
        (Author("World Health Organization", "", group=True),),
        False,
        id="org-as-family",
    ),
    P([{"family": "Smith", "given": "J."}, {"literal": "others"}], (Author("Smith", "J"),), True, id="others"),
]


@pytest.mark.parametrize(("people", "authors", "etal"), CSL_AUTHORS)
def test_csl_authors(people: list[dict[str, str]], authors: tuple[Author, ...], etal: bool) -> None:
    ref = only(parse_csl_json(csl(author=people)))
    assert (ref.authors, ref.etal) == (authors, etal)


RIS_AUTHORS = [
    P(["Smith, John A."], (Author("Smith", "JA"),), False, id="last-first"),
    P(["Smith, John, Jr."], (Author("Smith", "J"),), False, id="suffix"),
    P(["World Health Organization"], (Author("World Health Organization", "", group=True),), False, id="group"),
    P(["UNESCO"], (Author("UNESCO", "", group=True),), False, id="acronym-group"),
    P(["Smith, J.", "et al."], (Author("Smith", "J"),), True, id="et-al"),
]


@pytest.mark.parametrize(("names", "authors", "etal"), RIS_AUTHORS)
def test_ris_authors(names: list[str], authors: tuple[Author, ...], etal: bool) -> None:
    text = "TY  - JOUR\n" + "".join(f"AU  - {n}\n" for n in names) + "PY  - 2001\nER  - \n"
    ref = only(parse_ris(text))
    assert (ref.authors, ref.etal) == (authors, etal)


# ---------------------------------------------------------------------------------------------------
# BibTeX titles: braces and LaTeX accents decoded to Unicode.
# ---------------------------------------------------------------------------------------------------

LATEX = [
    P("Caf\\'{e} society", "Café society", id="acute-braced"),
    P("Caf\\'e society", "Café society", id="acute-bare"),
    P('M{\\"u}ller and {\\"U}ber', "Müller and Über", id="umlaut-in-braces"),
    P('Na{\\"\\i}ve', "Naïve", id="dotless-i"),
    P("\\v{S}koda and Gda{\\'n}sk", "Škoda and Gdańsk", id="caron-acute"),
    P('{\\o}re, \\ss{} and {\\AA}ngstr{\\"o}m', "øre, ß and Ångström", id="special-letters"),
    P("The {DNA} of {E}. coli", "The DNA of E. coli", id="protective-braces"),
    P("50\\% of \\emph{Spartina}", "50% of Spartina", id="escapes-and-macros"),
    P("Dunes,\n    waves and  tides", "Dunes, waves and tides", id="line-breaks-squeezed"),
    P("Plain title", "Plain title", id="plain"),
]


@pytest.mark.parametrize(("value", "title"), LATEX)
def test_bibtex_latex_decoded(value: str, title: str) -> None:
    assert only(parse_bibtex(bib(title=value))).title == title


# ---------------------------------------------------------------------------------------------------
# Page forms, DOI prefixes, years, entry types and languages, in all three formats.
# ---------------------------------------------------------------------------------------------------


def parse_with(fmt: str, bib_fields: dict[str, str], csl_fields: dict[str, Any], ris_fields: dict[str, str]) -> Reference:
    if fmt == "bib":
        return only(parse_bibtex(bib(**bib_fields)))
    if fmt == "csl":
        return only(parse_csl_json(csl(**csl_fields)))
    return only(parse_ris(ris(**ris_fields)))


FORMATS = ["bib", "csl", "ris"]

PAGES = [
    P("45--67", Pages("45", "67"), id="double-hyphen"),
    P("45-67", Pages("45", "67"), id="hyphen"),
    P("45–67", Pages("45", "67"), id="en-dash"),
    P("45 -- 67", Pages("45", "67"), id="spaced"),
    P("pp. 45-67", Pages("45", "67"), id="pp-prefix"),
    P("e0123456", Pages("e0123456"), id="article-number"),
    P("xii--xv", Pages("xii", "xv"), id="roman"),
    P("45", Pages("45"), id="single"),
    P("45, 50-52", Pages("45, 50-52"), id="list-kept-as-written"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("value", "pages"), PAGES)
def test_pages(fmt: str, value: str, pages: Pages) -> None:
    ref = parse_with(fmt, {"pages": value}, {"page": value}, {"SP": value})
    assert ref.pages == pages


def test_ris_start_and_end_page() -> None:
    assert only(parse_ris(ris(SP="101", EP="118"))).pages == Pages("101", "118")


DOIS = [
    P("10.5555/abc.123", id="bare"),
    P("https://doi.org/10.5555/abc.123", id="https"),
    P("http://dx.doi.org/10.5555/abc.123", id="dx"),
    P("https://www.doi.org/10.5555/abc.123", id="www"),
    P("doi:10.5555/abc.123", id="doi-colon"),
    P("DOI 10.5555/abc.123", id="doi-space"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", DOIS)
def test_doi_prefixes_stripped(fmt: str, value: str) -> None:
    assert parse_with(fmt, {"doi": value}, {"DOI": value}, {"DO": value}).doi == "10.5555/abc.123"


@pytest.mark.parametrize("fmt", FORMATS)
def test_doi_from_a_doi_url(fmt: str) -> None:
    url = "https://doi.org/10.5555/abc.123"
    ref = parse_with(fmt, {"url": url}, {"URL": url}, {"UR": url})
    assert (ref.doi, ref.url) == ("10.5555/abc.123", url)


YEARS = [
    P("bib", {"year": "2018"}, ("2018", ""), id="bib-year"),
    P("bib", {"year": "2018a"}, ("2018", "a"), id="bib-year-suffix"),
    P("bib", {"date": "2018-05-01"}, ("2018", ""), id="biblatex-date"),
    P("bib", {"year": "n.d."}, ("n.d.", ""), id="bib-nd"),
    P("bib", {"year": "{In press}"}, ("in press", ""), id="bib-in-press"),
    P("bib", {"title": "Undated"}, (None, ""), id="bib-no-year"),
    P("csl", {"issued": {"date-parts": [[2018, 5, 1]]}}, ("2018", ""), id="csl-date-parts"),
    P("csl", {"issued": {"date-parts": [["2018"]]}, "year-suffix": "b"}, ("2018", "b"), id="csl-year-suffix"),
    P("csl", {"issued": {"raw": "2018a"}}, ("2018", "a"), id="csl-raw"),
    P("csl", {"issued": {"literal": "forthcoming"}}, ("forthcoming", ""), id="csl-literal"),
    P("ris", {"PY": "2018///"}, ("2018", ""), id="ris-py-slashes"),
    P("ris", {"Y1": "2018a"}, ("2018", "a"), id="ris-y1-suffix"),
    P("ris", {"DA": "2018/05/01/"}, ("2018", ""), id="ris-da"),
]


@pytest.mark.parametrize(("fmt", "fields", "year"), YEARS)
def test_years(fmt: str, fields: dict[str, Any], year: tuple[str | None, str]) -> None:
    ref = parse_with(fmt, fields, fields, fields)
    assert (ref.year, ref.suffix) == year


KINDS = [
    *[
        P("bib", t, kind, id=f"bib-{t}")
        for t, kind in [
            ("article", "article"),
            ("book", "book"),
            ("collection", "book"),
            ("incollection", "chapter"),
            ("inbook", "chapter"),
            ("inproceedings", "chapter"),
            ("techreport", "report"),
            ("report", "report"),
            ("phdthesis", "thesis"),
            ("mastersthesis", "thesis"),
            ("thesis", "thesis"),
            ("online", "web"),
            ("misc", "other"),
            ("unpublished", "other"),
            ("ARTICLE", "article"),
        ]
    ],
    *[
        P("csl", t, kind, id=f"csl-{t}")
        for t, kind in [
            ("article-journal", "article"),
            ("article-newspaper", "article"),
            ("book", "book"),
            ("chapter", "chapter"),
            ("paper-conference", "chapter"),
            ("report", "report"),
            ("thesis", "thesis"),
            ("webpage", "web"),
            ("dataset", "other"),
        ]
    ],
    *[
        P("ris", t, kind, id=f"ris-{t}")
        for t, kind in [
            ("JOUR", "article"),
            ("BOOK", "book"),
            ("EDBOOK", "book"),
            ("CHAP", "chapter"),
            ("CONF", "chapter"),
            ("RPRT", "report"),
            ("THES", "thesis"),
            ("ELEC", "web"),
            ("GEN", "other"),
        ]
    ],
]


@pytest.mark.parametrize(("fmt", "entry_type", "kind"), KINDS)
def test_entry_types_to_kinds(fmt: str, entry_type: str, kind: str) -> None:
    parsers: dict[str, Callable[[], list[Reference]]] = {
        "bib": lambda: parse_bibtex(bib(entry_type, title="T")),
        "csl": lambda: parse_csl_json(json.dumps([{"id": "k", "type": entry_type, "title": "T"}])),
        "ris": lambda: parse_ris(ris(entry_type, TI="T")),
    }
    assert only(parsers[fmt]()).kind == kind


LANGUAGES = [
    P("bib", {"langid": "german"}, "de", id="bib-langid-german"),
    P("bib", {"langid": "ngerman"}, "de", id="bib-langid-ngerman"),
    P("bib", {"langid": "english"}, "en", id="bib-langid-english"),
    P("bib", {"langid": "british"}, "en", id="bib-langid-british"),
    P("bib", {"language": "French"}, "fr", id="bib-language-capitalised"),
    P("bib", {"language": "english and german"}, "en", id="bib-language-first-of-two"),
    P("bib", {"langid": "klingon"}, None, id="bib-unknown-language"),
    P("bib", {"title": "T"}, None, id="bib-no-language"),
    P("csl", {"language": "en-US"}, "en", id="csl-bcp47"),
    P("csl", {"language": "zh-Hans"}, "zh", id="csl-script-subtag"),
    P("csl", {"language": "de_DE"}, "de", id="csl-posix"),
    P("ris", {"LA": "English"}, "en", id="ris-name"),
    P("ris", {"LA": "ger"}, "de", id="ris-iso-639-2"),
    P("ris", {"LA": "es"}, "es", id="ris-iso-639-1"),
]


@pytest.mark.parametrize(("fmt", "fields", "language"), LANGUAGES)
def test_language(fmt: str, fields: dict[str, str], language: str | None) -> None:
    assert parse_with(fmt, fields, fields, fields).language == language


# ---------------------------------------------------------------------------------------------------
# Malformed and duplicate BibTeX entries: kept, never raised.
# ---------------------------------------------------------------------------------------------------


def test_broken_entry_between_two_good_ones() -> None:
    source, refs = read_bibliography(fixture("broken.bib"))
    assert [r.key for r in refs] == ["good1", None, "good2"]
    good1, broken, good2 = refs
    assert (good1.title, good1.year, good2.title, good2.year) == ("Before the break", "2015", "After the break", "2017")
    # The broken entry keeps its place and span, with empty fields, so "unparsed-reference" reports it.
    assert source.position(broken.span.start) == (8, 1)
    assert span_text(source.text, broken.span).startswith("@article{broken,")
    assert (broken.authors, broken.year, broken.title) == ((), None, None)
    assert broken.text.startswith("@article{broken, author = {Nobody, N.") and "\n" not in broken.text
    assert source.position(good2.span.start) == (13, 1)


def test_broken_entry_logs_nothing_to_stderr() -> None:
    # bibtexparser logs a multi-line warning per failed block; the command line promises one line.
    code = "import sys; from citecheck.bibliography import read_bibliography; print(len(read_bibliography(sys.argv[1])[1]))"
    run = subprocess.run([sys.executable, "-c", code, fixture("broken.bib")], capture_output=True, text=True, check=True)
    assert (run.stdout.strip(), run.stderr) == ("3", "")


@pytest.mark.parametrize(("name", "loaded"), [("sample.json", False), ("sample.ris", False), ("sample.bib", True)])
def test_bibtex_libraries_load_only_for_bibtex(name: str, loaded: bool) -> None:
    # bibtexparser and pylatexenc take a tenth of a second to import: a CSL-JSON or RIS file does without.
    code = (
        "import sys; from citecheck.bibliography import read_bibliography; read_bibliography(sys.argv[1]); "
        "print(sorted(m for m in ('bibtexparser', 'pylatexenc') if m in sys.modules))"
    )
    run = subprocess.run([sys.executable, "-c", code, fixture(name)], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == str(["bibtexparser", "pylatexenc"] if loaded else [])


def test_unterminated_last_entry_is_kept() -> None:
    text = "@article{a, author = {Smith, J.}, year = {2001}}\n\n@article{b, author = {Lee, K.},\n  title = {Never closed\n"
    a, b = parse_bibtex(text)
    assert (a.key, a.year) == ("a", "2001")
    assert span_text(text, b.span) == "@article{b, author = {Lee, K.},\n  title = {Never closed"
    assert (b.key, b.authors) == (None, ())


def test_duplicate_keys_keep_both_entries() -> None:
    source, refs = read_bibliography(fixture("duplicates.bib"))
    assert [(r.key, r.title, source.position(r.span.start)) for r in refs] == [
        ("kowalczyk2019", "Salt marsh accretion", (1, 1)),
        ("kowalczyk2019", "Salt marsh erosion", (8, 1)),
    ]
    # The second is parsed like any other entry: enclosing braces removed, authors split.
    assert refs[1].authors == (Author("Kowalczyk", "B"),)
    assert refs[1].container == "Wetlands"


def test_repeated_field_keeps_the_entry_and_the_first_value() -> None:
    text = "@article{k, author = {Smith, J.}, year = {2001}, year = {2002}, title = {T}}\n"
    ref = only(parse_bibtex(text))
    assert (ref.key, ref.authors, ref.year, ref.title) == ("k", (Author("Smith", "J"),), "2001", "T")
    assert span_text(text, ref.span) == text.rstrip()


CROSSREF = """\
@InCollection{lee2019,
  author = {Lee, Kim},
  title = {Tides},
  pages = {10--20},
  crossref = {Book2019},
}

@Book{book2019,
  editor = {Okafor, Ngozi},
  title = {Coasts},
  publisher = {Harbour Press},
  year = {2019},
}

@InCollection{ng2019,
  title = {Dunes},
  xdata = {shared},
}

@XData{shared,
  author = {Ng, Wei},
  year = {2018},
  crossref = {ng2019},
}

@InCollection{orphan,
  author = {Park, Bo},
  title = {Reefs},
  year = {2020},
  crossref = {nowhere},
}

@Manual{manual,
  organization = {World Health Organization},
  title = {Malaria report},
  year = {2020},
}

@Book{knuth,
  author = {Knuth, Donald},
  title = {Fundamental algorithms},
  year = {{\noopsort{1973a}}1973},
}
"""


def test_crossref_and_xdata_fill_what_an_entry_lacks() -> None:
    lee, book, ng, shared, orphan, manual, knuth = parse_bibtex(CROSSREF)
    # The chapter keeps its author and pages and takes the year and, as booktitle, the book's title
    # (the key's case differs, as BibTeX allows).
    assert (lee.authors[0].family, lee.year, lee.container, lee.pages) == ("Lee", "2019", "Coasts", Pages("10", "20"))
    assert (book.authors[0].family, book.year) == ("Okafor", "2019")
    # xdata fills author and year; a crossref back to the child (a loop) ends.
    assert (ng.authors[0].family, ng.year, ng.title) == ("Ng", "2018", "Dunes")
    assert shared.year == "2018"
    assert (orphan.year, orphan.container) == ("2020", None)  # its crossref names no entry: nothing to fill
    # An organisation stands for the author of a manual or proceedings that has none.
    assert (manual.authors, manual.year) == ((Author("World Health Organization", "", group=True),), "2020")
    # "{\noopsort{1973a}}1973" prints 1973: the sort key is no suffix.
    assert (knuth.year, knuth.suffix) == ("1973", "")


def test_string_comment_and_preamble_blocks_are_not_entries() -> None:
    text = '@preamble{"\\newcommand{\\x}{y}"}\n@string{j = {Wetlands}}\n@comment{not an entry}\n@article{a, journal = j}\n'
    ref = only(parse_bibtex(text))
    assert (ref.key, ref.container) == ("a", "Wetlands")


# ---------------------------------------------------------------------------------------------------
# Format detection and encodings.
# ---------------------------------------------------------------------------------------------------

DETECT = [
    P("ris-export.txt", ["okafor2019", "who2019a", "mueller2020"], id="ris-named-txt"),
    P("csl-saved-as.bib", ["okafor2019", "who2019a", "17"], id="csl-json-named-bib"),
    P("bibtex-without-extension", ["kowalczyk2019", "kowalczyk2019"], id="bibtex-no-extension"),
]


@pytest.mark.parametrize(("name", "keys"), DETECT)
def test_format_detected_by_content(name: str, keys: list[str]) -> None:
    assert [r.key for r in read_bibliography(fixture(name))[1]] == keys


DETECT_TEXT = [
    P("@article{a, title={T}}\n", ".bib", "bibtex", id="bib-as-named"),
    P("@article{a, title={T}}\n", ".json", "bibtex", id="bib-named-json"),
    P("% exported\n\n  @Book{a,\n}\n", "", "bibtex", id="bib-after-comment"),
    P('[{"id": "a"}]', ".txt", "csl-json", id="csl-named-txt"),
    P('\n  [{"id": "a"}]', ".ris", "csl-json", id="csl-named-ris"),
    P("TY  - JOUR\nER  - \n", ".bib", "ris", id="ris-named-bib"),
    P("\nTY  - BOOK\r\nER  -\r\n", "", "ris", id="ris-crlf-no-extension"),
    P("", ".ris", "ris", id="empty-file-trusts-extension"),
    P("Smith (2019) says so.\n", ".bib", None, id="prose-named-bib"),
    P("", ".txt", None, id="empty-unknown-extension"),
]


@pytest.mark.parametrize(("text", "extension", "fmt"), DETECT_TEXT)
def test_detect_format(text: str, extension: str, fmt: str | None) -> None:
    assert detect_format(text, extension) == fmt


def test_crlf_and_bom_keep_offsets_exact(tmp_path: Any) -> None:
    path = tmp_path / "crlf.bib"
    text = "@article{a,\r\n  author = {Smith, J.},\r\n  year = {2001},\r\n}\r\n\r\n@book{b,\r\n  title = {B},\r\n}\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    source, refs = read_bibliography(str(path))
    assert source.text == text  # the byte-order mark is consumed, the \r kept
    assert [span_text(source.text, r.span) for r in refs] == [
        "@article{a,\r\n  author = {Smith, J.},\r\n  year = {2001},\r\n}",
        "@book{b,\r\n  title = {B},\r\n}",
    ]


def test_latin1_file_is_decoded_with_a_note(tmp_path: Any) -> None:
    path = tmp_path / "legacy.ris"
    path.write_bytes("TY  - JOUR\nAU  - Müller, Jörg\nTI  - Café\nPY  - 2001\nER  - \n".encode("cp1252"))
    source, refs = read_bibliography(str(path))
    assert source.encoding == "cp1252" and source.notes
    assert (refs[0].authors, refs[0].title) == ((Author("Müller", "J"),), "Café")
    assert span_text(source.text, refs[0].span).startswith("TY  - JOUR")


# ---------------------------------------------------------------------------------------------------
# Unusable input: InputError with one line naming the file and the problem.
# ---------------------------------------------------------------------------------------------------

ERRORS = [
    P("malformed.json", "not valid JSON: Expecting ',' delimiter at line 3, column 1", id="malformed-json"),
    P("object.json", "not CSL-JSON: the top level is a JSON object, not a list of items", id="json-object"),
    P("manuscript.txt", "not a bibliography", id="not-a-bibliography"),
    P("missing.bib", "no such file", id="missing-file"),
]


@pytest.mark.parametrize(("name", "message"), ERRORS)
def test_unusable_file_raises_one_line(name: str, message: str) -> None:
    path = fixture(name)
    with pytest.raises(InputError) as info:
        read_bibliography(path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert "\n" not in text


TMP_ERRORS = [
    P("items.json", b"[1, 2]", "not CSL-JSON: item 1 is a JSON number, not an object", id="json-list-of-numbers"),
    P("scalar.json", b'"just a string"', "not CSL-JSON: the top level is a JSON string", id="json-scalar"),
    P("prose.json", b"Smith (2019) says so.", "not valid JSON: Expecting value at line 1, column 1", id="json-named-prose"),
    P("truncated.json", b'[{"id": "a", "title": "T"', "not valid JSON", id="truncated-json"),
    P("binary.bib", b"\x00\x01\x02\x03" * 100, "not a bibliography: this looks like a binary file", id="binary"),
]


@pytest.mark.parametrize(("name", "data", "message"), TMP_ERRORS)
def test_unusable_content_raises_one_line(tmp_path: Any, name: str, data: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        read_bibliography(str(path))
    assert str(info.value).startswith(f"{path}: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_directory_raises(tmp_path: Any) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_bibliography(str(tmp_path))


# ---------------------------------------------------------------------------------------------------
# End to end: the same works exported in three formats read alike.
# ---------------------------------------------------------------------------------------------------


def test_three_formats_read_the_same_works_alike() -> None:
    def essentials(ref: Reference) -> tuple[object, ...]:
        return (ref.first_author, ref.year_label, ref.title, ref.container, ref.volume, ref.issue, ref.pages, ref.doi, ref.kind)

    bib_refs, csl_refs, ris_refs = (by_key(fixture(n)) for n in ("sample.bib", "sample.json", "sample.ris"))
    assert essentials(bib_refs["okafor2019"]) == essentials(csl_refs["okafor2019"]) == essentials(ris_refs["okafor2019"])
    who = [refs["who2019a"] for refs in (bib_refs, csl_refs, ris_refs)]
    assert {(r.authors, r.year_label, r.kind) for r in who} == {
        ((Author("World Health Organization", "", group=True),), "2019a", "book")
    }
    for refs in (bib_refs, csl_refs, ris_refs):
        for ref in refs.values():
            assert ref.text and "\n" not in ref.text


URLS = [
    P("https://example.org/a_b", "https://example.org/a_b", id="plain"),
    P("\\url{https://example.org/a_b}", "https://example.org/a_b", id="url-macro"),
    P("https://example.org/a\\_b?x=1\\&y=2\\%20", "https://example.org/a_b?x=1&y=2%20", id="escaped"),
    P("https://example.org/~user/a--b", "https://example.org/~user/a--b", id="tilde-and-dashes-kept"),
]


@pytest.mark.parametrize(("value", "url"), URLS)
def test_bibtex_url(value: str, url: str) -> None:
    assert only(parse_bibtex(bib(url=value))).url == url


def test_block_span_falls_back_to_matching_braces() -> None:
    # Should bibtexparser ever hand back a block whose raw text is not a verbatim slice, the span
    # still runs from the "@" on the block's line to the brace that closes the entry.
    from citecheck.bibliography.bibtex import _block_span

    text = "% header\n@article{a, title = {A {nested} title}} trailing\n"
    span = _block_span(text, (0, 9), 1, "not in the text", 0)
    assert span is not None and span_text(text, span) == "@article{a, title = {A {nested} title}}"
