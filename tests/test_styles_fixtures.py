"""Invented articles rendered by pandoc's citeproc in twelve author-date CSL styles.

``fixtures/styles`` is a short review (ten citations of ten works); ``fixtures/styles-names`` cites
35 works whose names and kinds trouble a reader of lists: particles before and after the given name
("van der Berg", "Cruz, Ana de la", "d’Alembert"), hyphens ("Smith-Jones", "Ji-Hoon"), "Jr.",
two-letter surnames, letters outside ASCII, organisations, software, a thesis, a chapter with
editors, a preprint, and a web page with no date (which some styles print with no year at all, and
cite by its author or its title alone). In each directory ``source.md`` and ``refs.json`` are the
article, ``STYLE.txt`` its rendering in a style and ``STYLE.gold.json`` where each citation and each
entry of the rendering is and which entry each citation cites. An editor expects the same audit in
every style: every citation found and linked to its entry, every entry read as one reference, and no
error or warning (the articles have no defect; a note may say that a year could not be checked).
Regenerate the fixtures with ``fixtures/styles/render.sh`` (needs pandoc); these tests do not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import citecheck
from citecheck.report import to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SETS = {"styles": 10, "styles-names": 57}  # directory: its number of citations and of entries
STYLES = [
    "apa",
    "chicago-author-date",
    "harvard-cite-them-right",
    "american-sociological-association",
    "american-anthropological-association",
    "elsevier-harvard",
    "springer-basic-author-date",
    "taylor-and-francis-chicago-author-date",
    "american-political-science-association",
    "copernicus-publications",
    "din-1505-2",
    "iso690-author-date-fr",
]


def overlap(a: dict[str, Any], b: dict[str, Any]) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


CASES = [pytest.param(d, style, id=f"{d}-{style}") for d in SETS for style in STYLES]


def load(directory: str, style: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    path = FIXTURES / directory / f"{style}.txt"
    gold = json.loads((FIXTURES / directory / f"{style}.gold.json").read_text(encoding="utf-8"))
    return path.read_text(encoding="utf-8"), gold, to_dict(citecheck.audit(str(path)))


@pytest.mark.parametrize(("directory", "style"), CASES)
def test_gold_indexes_the_rendering(directory: str, style: str) -> None:
    text, gold, _ = load(directory, style)
    for item in gold["citations"] + gold["references"]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert len(gold["citations"]) == SETS[directory]
    assert len(gold["references"]) == SETS[directory]


@pytest.mark.parametrize(("directory", "style"), CASES)
def test_every_entry_is_one_reference(directory: str, style: str) -> None:
    _, gold, report = load(directory, style)
    problems = []
    for entry in gold["references"]:
        hits = [r for r in report["references"] if overlap(r, entry) > 0]
        if len(hits) != 1:
            problems.append(f"entry {entry['text'][:60]!r} is read as {len(hits)} references")
    for r in report["references"]:
        if not any(overlap(r, entry) > 0 for entry in gold["references"]):
            problems.append(f"{r['text'][:60]!r} is read as a reference but is no entry")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("directory", "style"), CASES)
def test_every_citation_is_found_and_linked(directory: str, style: str) -> None:
    _, gold, report = load(directory, style)
    entries = {e["id"]: e for e in gold["references"]}
    problems = []
    for cited in gold["citations"]:
        year = re.search(r"\d{4}", cited["text"])
        found = [
            c
            for c in report["citations"]
            if overlap(c, cited) > 0 and (year is None or year.group() in c["text"] or cited["text"] in c["text"])
        ]
        if not found:
            problems.append(f"{cited['text']!r} is not found")
            continue
        ref = found[0]["reference"]
        entry = entries[cited["reference_ids"][0]]
        if ref is None or overlap(report["references"][ref], entry) == 0:
            linked = "nothing" if ref is None else repr(report["references"][ref]["text"][:50])
            problems.append(f"{cited['text']!r} is linked to {linked}, not to {entry['text'][:50]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("directory", "style"), CASES)
def test_no_finding_on_a_clean_article(directory: str, style: str) -> None:
    _, _, report = load(directory, style)
    findings = [f"{f['kind']}: {f['message']}" for f in report["findings"] if f["severity"] != "note"]
    assert not findings, "\n".join(findings)
    notes = {f["kind"] for f in report["findings"] if f["severity"] == "note"}
    assert notes <= {"unparsed-reference"}, notes  # only "gives no year, so the year was not checked"
