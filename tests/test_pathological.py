"""Inputs built to make regexes backtrack: they must simply finish and stay correct.

How long they take is measured by the benchmark (``make bench``), not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


# -- stages that compared everything with everything ------------------------------------------------


def _nearest_keys(keys: list[str], cited: list[str]) -> list[list[str]]:
    """The candidate keys the key linker offers for each cited key."""
    from citecheck.link import KeyLinker
    from citecheck.model import Citation, Reference, Span

    refs = [Reference(span=Span(0, 1), text=k, key=k) for k in keys]
    citations = [Citation(Span(0, 1), k, ("X",), etal=False, year="", narrative=False, key=k) for k in cited]
    linker = KeyLinker(refs, citations)
    return [[keys[c.reference] for c in linker.link(i, c).candidates] for i, c in enumerate(citations)]


KEYS = ["smith2018", "Smith2019", "smyth2018", "jones2020", "lee2021a"]
CITED = ["smtih2018", "SMITH2019", "jones2021", "nobody1999"]


def test_an_undefined_key_gets_the_nearest_defined_keys() -> None:
    assert _nearest_keys(KEYS, CITED) == [
        ["smith2018", "smyth2018", "Smith2019"],
        ["Smith2019", "smith2018", "smyth2018"],
        ["jones2020"],
        [],
    ]


def test_thousands_of_undefined_keys_look_only_one_slip_away(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past the budget of comparisons, an index of keys one slip apart finds the near ones; two
    # slips ("smtih2018" and "Smith2019", "SMITH2019" and "smyth2018") drop out, the rest keep their order.
    import citecheck.link

    monkeypatch.setattr(citecheck.link, "FULL_KEY_SEARCH", 0)
    assert _nearest_keys(KEYS, CITED) == [["smith2018", "smyth2018"], ["Smith2019", "smith2018"], ["jones2020"], []]


@pytest.mark.parametrize("scan", [500, 0], ids=["every-name-of-the-year", "names-of-its-first-letter"])
def test_a_misspelt_name_among_dozens_alike_of_its_year_finds_the_nearest(monkeypatch: pytest.MonkeyPatch, scan: int) -> None:
    # In a year of more than NEAR_SCAN entries only names of the same first letter are weighed.
    from invented import audit, linked_to

    import citecheck.link

    monkeypatch.setattr(citecheck.link, "NEAR_SCAN", scan)

    names = [f"Kowalski{a}{b}" for a in "abc" for b in "defghijklmn"] + ["Kowalskiqr"]
    entries = [f"{n}, J. (2019). Study {i}. Journal, 1, {i}–{i + 9}." for i, n in enumerate(sorted(names))]
    body = "Shown before (Kowalskiqs, 2019). " + " ".join(f"({n}, 2019)" for n in names if n != "Kowalskiqr") + "."
    report = audit(body, entries)
    assert linked_to(report)[0] == "Kowalskiqr 2019"
    assert report.links[0].status.name == "AUTHOR_MISMATCH"


@pytest.mark.parametrize(
    "token",
    ["x" * 30_000, "<sec><title>References</title>" * 1000, "</a>" * 5000 + " x"],
    ids=["no-slash", "markup", "slashes-before-a-last-word"],
)
def test_a_line_of_one_long_token_in_the_list_is_read_once(token: str) -> None:
    # "How an entry ends" once tried every start in the token: 20,000 characters took seconds.
    entries = "Smith, J. (2019). Title. J, 1, 2.\n" + token + "\nJones, K. (2020). T. J, 3, 4.\n"
    text = "Seen (Smith, 2019).\n\nReferences\n\n" + entries
    report = citecheck.audit(text)
    assert [link.status.name for link in report.links] == ["EXACT"]
    assert report.references[0].text.startswith("Smith, J. (2019). Title. J, 1, 2.")


def _hostile_shapes() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "hostile.py"
    spec = importlib.util.spec_from_file_location("hostile", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = _hostile_shapes()


@pytest.mark.parametrize("shape", list(HOSTILE.SHAPES))
def test_the_benchmarks_hostile_shapes_give_sound_reports(tmp_path: Path, shape: str) -> None:
    # The same shapes, small: what the benchmark times must also be right.
    from invariants import check_report

    path = HOSTILE.write(tmp_path, shape, 20_000)
    report = citecheck.audit(str(path))
    check_report(report)
    assert report.citations


@pytest.mark.parametrize(
    "cited",
    ["(Smith" + " " * 120 + "et al., 2019)", "(Smith," + " " * 120 + "et al., 2019)"],
    ids=["blanks-before-et-al", "comma-and-blanks-before-et-al"],
)
def test_blanks_before_et_al_are_read_once(cited: str) -> None:
    # "\s*,?\s+" before "et al." once split a run of blanks every way there is: cubic in the run.
    from invented import audit

    report = audit(f"As shown {cited}.", ["Smith, J., Lee, K., & Park, S. (2019). Title. J, 1, 2–3."])
    assert [(c.authors, c.etal) for c in report.citations] == [(("Smith",), True)]
    assert report.findings == ()


def test_initials_then_a_run_of_blanks_in_the_list_are_read_once() -> None:
    # A separator between initials once could take a run of blanks apart every way there is.
    from invented import audit

    report = audit("As shown (Harper, 2019).", ["Harper, T." + " " * 3000 + "x (2019). Title. J, 1, 2–3."])
    assert [link.status.name for link in report.links] == ["EXACT"]


def test_a_name_of_many_initials_in_the_list_is_read_once() -> None:
    # The blank after an initial's period could be taken by either of two optional blanks: each more
    # initial doubled the ways to try, and thirty of them ran for hours.
    from invented import audit

    names = "Smith, J., " + "S. " * 200 + "S"
    report = audit("As shown (Smith, 2018).", [f"{names} (2018). A title. Journal, 1(2), 3–4."])
    assert [link.status.name for link in report.links] == ["EXACT"]
    assert report.references[0].authors[0].family == "Smith"


def test_a_run_of_blanks_before_and_in_a_list_of_names_is_read_once() -> None:
    # "\s*,?\s*" before "and" split a run of blanks not followed by one every way there is, at every
    # start: cubic. A reference's text has its blanks collapsed, the names of other readers may not.
    from citecheck.references.authors import parse_authors

    authors, etal = parse_authors("Smith, J.," + " " * 3000 + "Lee, K., and Park, S.")
    assert [(a.family, a.initials) for a in authors] == [("Smith", "J"), ("Lee", "K"), ("Park", "S")]
    assert not etal
