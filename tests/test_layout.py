"""Running headers, footers and page numbers: what is taken for extraction noise, and what never is."""

from __future__ import annotations

import pytest

from citecheck.layout import find_noise


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
    text = "".join(f"{line} More prose follows.\n\n{repeated}\n\n{n}\n\n" for n, line in enumerate(prose, 1))
    found = noise(text)
    assert (repeated in found) is is_noise
    assert {"1", "2", "3", "4"} <= found  # the page numbers, always
    assert not any("prose" in line for line in found)
