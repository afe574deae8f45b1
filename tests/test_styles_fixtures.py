"""One invented article rendered by pandoc's citeproc in twelve author-date CSL styles (fixtures/styles).

``fixtures/styles/source.md`` cites ten times, ``refs.json`` lists ten works; ``STYLE.txt`` is the
rendering in a style and ``STYLE.gold.json`` says where each citation and each entry of the rendering
is and which entry each citation cites. An editor expects the same audit in every style: every
citation found and linked to its entry, every entry read as one reference, and no finding at all
(the article has no defect). Styles citecheck does not read yet are marked ``xfail`` with what goes
wrong. Regenerate the fixtures with ``fixtures/styles/render.sh`` (needs pandoc); these tests do not.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import citecheck
from citecheck.report import to_dict

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "styles"
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


def load(style: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    path = FIXTURES / f"{style}.txt"
    gold = json.loads((FIXTURES / f"{style}.gold.json").read_text(encoding="utf-8"))
    return path.read_text(encoding="utf-8"), gold, to_dict(citecheck.audit(str(path)))


@pytest.mark.parametrize("style", STYLES)
def test_gold_indexes_the_rendering(style: str) -> None:
    text, gold, _ = load(style)
    for item in gold["citations"] + gold["references"]:
        assert text[item["start"] : item["end"]] == item["text"]
    assert len(gold["citations"]) == 10
    assert len(gold["references"]) == 10


@pytest.mark.parametrize("style", STYLES)
def test_every_entry_is_one_reference(style: str) -> None:
    _, gold, report = load(style)
    problems = []
    for entry in gold["references"]:
        hits = [r for r in report["references"] if overlap(r, entry) > 0]
        if len(hits) != 1:
            problems.append(f"entry {entry['text'][:60]!r} is read as {len(hits)} references")
    for r in report["references"]:
        if not any(overlap(r, entry) > 0 for entry in gold["references"]):
            problems.append(f"{r['text'][:60]!r} is read as a reference but is no entry")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("style", STYLES)
def test_every_citation_is_found_and_linked(style: str) -> None:
    _, gold, report = load(style)
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


@pytest.mark.parametrize("style", STYLES)
def test_no_finding_on_a_clean_article(style: str) -> None:
    _, _, report = load(style)
    findings = [f"{f['kind']}: {f['message']}" for f in report["findings"]]
    assert not findings, "\n".join(findings)
