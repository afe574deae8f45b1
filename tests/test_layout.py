"""Running headers, footers and page numbers: what is taken for extraction noise, and what never is."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citecheck
from citecheck.layout import find_noise, find_reference_list, rejoin_hyphens


def noise(text: str) -> set[str]:
    return {text[s.start : s.end].strip() for s in find_noise(text)}


@pytest.mark.parametrize(
    ("repeated", "is_noise"),
    [
        pytest.param("CONTEMPORARY JOURNAL OF SOCIAL SCIENCE REVIEW Vol.03 No.01 (2025)", True, id="journal-header"),
        pytest.param("Vol.03 No.01 (2025)", True, id="volume-line"),
        pytest.param("eLife 2018;7:e36409 RESEARCH ARTICLE", True, id="lowercase-first-letter"),
        pytest.param("(Abara, 2019, p. 21).", False, id="a-citation-alone-on-its-line"),
        pytest.param("et al., 2013).", False, id="the-tail-of-a-citation"),
        pytest.param("101–118.", False, id="the-tail-of-a-page-range"),
        pytest.param("Results", False, id="a-repeated-heading"),
        pytest.param("| Lin et al. (2012) | 21.17 |", False, id="a-table-row"),
    ],
)
def test_a_line_repeated_on_four_pages(repeated: str, is_noise: bool) -> None:
    prose = ["Tides rose over the marsh.", "Sediment settled in winter.", "Grazing slowed the recovery.", "Birds returned late."]
    page = " More prose follows." * 30  # a page's worth of text between the sightings
    text = "".join(f"{line}{page}\n\n{repeated}\n\n{n}\n\n" for n, line in enumerate(prose, 1))
    found = noise(text)
    assert (repeated in found) is is_noise
    assert {"1", "2", "3", "4"} <= found  # the page numbers, always
    assert not any("prose" in line for line in found)


def test_entries_of_one_shape_in_a_list_are_not_headers() -> None:
    # A report series differs only in its years, as a running header does; but it is three entries
    # in a row, not one line a page apart.
    series = [f"World Health Organization. ({y}). World malaria report {y}. WHO." for y in (2018, 2019, 2020)]
    text = "References\n\n" + "\n\n".join(series) + "\n"
    assert noise(text) == set()
    # Spread out a page apart, they are still entries: their numbers change in two places, while
    # a running header changes its page number at most.
    page = "Malaria fell in the decade after the campaign began. " * 12
    assert noise("".join(f"{page}\n\n{line}\n\n" for line in series)) == set()
    headers = [f"Malaria Review 12 (2020), page {n}" for n in (3, 4, 5)]
    assert noise("".join(f"{page}\n\n{line}\n\n" for line in headers)) == set(headers)


def test_journal_lines_of_entries_a_page_apart_are_not_headers() -> None:
    # A long list cites one journal many times; wrapped, its entries share lines of one shape.
    tails = ["Neuroscience, 33, 10972–10985.", "Neuroscience, 32, 850–863.", "Neuroscience, 27, 4027–4035."]
    dois = [f"https://doi.org/10.1523/JNEUROSCI.{n}" for n in ("1241-13.2013", "5309-12.2012", "0462-07.2007")]
    names = ["Borg, B. (2013). Glutamate release at bipolar cell synapses. The Journal of",
             "Chen, N. (2012). Cholinergic retinal waves. The Journal of",
             "Kurth, S. (2007). Calcium in Bergmann glial cells. The Journal of"]  # fmt: skip
    filler = "Another entry of the list, long enough to fill a column of the page. " * 8
    text = "".join(f"{n}\n{t}\n{d}\n\n{filler}\n\n" for n, t, d in zip(names, tails, dois, strict=True))
    assert noise(text) == set()
    # Only one number changes between these DOIs, but it is no page number.
    dois = [f"https://doi.org/10.1107/S{n}" for n in ("0907444909052925", "1399004714021683", "0907444910007493")]
    assert noise("".join(f"{filler}\n\n{d}\n\n" for d in dois)) == set()


def test_a_report_series_is_audited_as_a_list(tmp_path: Path) -> None:
    # Taken for a running header, the series would vanish and its three citations read as missing.
    series = "\n\n".join(f"World Health Organization. ({y}). World malaria report {y}. WHO." for y in (2018, 2019, 2020))
    path = tmp_path / "paper.txt"
    path.write_text(f"Cases fell (World Health Organization, 2018, 2019, 2020).\n\nReferences\n\n{series}\n", encoding="utf-8")
    report = citecheck.audit(path)
    assert [link.status.value for link in report.links] == ["exact"] * 3
    assert report.findings == ()


def test_lines_of_words_on_many_pages_are_headers() -> None:
    page = "Thyroid nodules are common and mostly benign in adults of every age. " * 8
    footer = (
        "This content downloaded from 128.42.0.1 on Mon, 12 Jan 2021 10:20:30 UTC All use subject to "
        "https://about.jstor.org/terms and to the conditions of use"
    )
    assert len(footer) > 120  # longer than a running header may be, unless it recurs on many pages
    lines = ["Thyroid Carcinoma", footer, "References", "Results"]
    many = "".join(f"{page}\n\n" + "\n\n".join(lines) + "\n\n" for _ in range(10))
    # A guideline's title and a download stamp on each of ten pages are noise; the headings that
    # bound a reference list, and a one-word heading, stay whatever their count.
    assert noise(many) == {"Thyroid Carcinoma", footer}
    few = "".join(f"{page}\n\n" + "\n\n".join(lines) + "\n\n" for _ in range(4))
    assert noise(few) == set()


def test_a_lowercase_label_is_no_reference_list_heading() -> None:
    # "references" alone on a line, in a UML diagram's text: a label, not a heading.
    diagram = "Name: LineEvents\n\nNetworkComponent\nreferences\n\nModel::Event 0..* 0..1\n"
    assert find_reference_list(diagram) is None
    found = find_reference_list(diagram + "\nReferences\n\nSmith, J. (2018). Title. Journal, 1, 1-2.\n")
    assert found is not None and found[0].start == len(diagram) + 1


# Lines of the kinds page furniture is made of, in any order and number.
LINES = st.sampled_from(
    [
        "Thyroid Carcinoma", "JOURNAL OF TESTS Vol.3 (2024)", "12", "Page 3 of 12", "References", "Results",
        "Neuroscience, 33, 10972–10985.", "https://doi.org/10.1523/JNEUROSCI.1241-13.2013", "(Abara, 2019, p. 21).",
        "Tides rose over the marsh in winter and the sediment settled.", "geo-", "politics", "| a | b |", "",
    ]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.lists(LINES, max_size=80).map("\n".join))
def test_noise_spans_are_whole_lines_in_order(text: str) -> None:
    spans = find_noise(text)
    assert all(0 <= a.start < a.end <= len(text) for a in spans)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))
    assert all(text[a.start : a.end] == text[a.start : a.end].split("\n")[0] for a in spans)
    rejoined = rejoin_hyphens(text)
    assert len(rejoined) == len(text) and rejoined.count("\n") <= text.count("\n")
