"""Inputs built to make regexes backtrack: they must simply finish and stay correct.

How long they take is measured by the benchmark (``make bench``), not here.
"""

from __future__ import annotations

import pytest

import citecheck

LIST = "\n\nReferences\n\nSmith, J. (2018). A title. *Journal*, 1(2), 3–4.\n"


@pytest.mark.parametrize(
    ("body", "citations"),
    [
        pytest.param("(" * 300_000, 0, id="300k-open-brackets"),
        pytest.param(")" * 300_000, 0, id="300k-close-brackets"),
        pytest.param("([" * 50_000 + "Smith, 2018" + "])" * 50_000, 1, id="50k-nested-pairs"),
        pytest.param("Smith " * 100_000 + "(2018)", 1, id="100k-names-then-a-year"),
        pytest.param("(" + "Smith, " * 100_000 + "2018)", 0, id="100k-names-in-one-pair"),
        pytest.param("(" + "Smith and " * 100_000 + "Jones, 2018)", 0, id="100k-and-in-one-pair"),
        pytest.param("Smith et al., " * 100_000, 0, id="100k-et-al-without-year"),
        pytest.param("(Smith, 2018) " * 20_000, 20_000, id="20k-citations"),
    ],
)
def test_pathological_input_finishes(body: str, citations: int) -> None:
    report = citecheck.audit(body + LIST)
    assert len(report.citations) == citations
    text = report.source.text
    assert all(text[c.span.start : c.span.end] == c.text for c in report.citations)
