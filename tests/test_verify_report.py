"""An audit with --verify, end to end through the command line, against the fake registry.

The manuscript is fixtures/pdf-extracted.txt; the registry knows three of its works: one whose
real year differs from the list, one listed correctly, and one that was retracted. The others are
unknown to it. The evidence must show in the text report and in the JSON report.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_registry import FakeRegistry
from registry_catalogue import Update, Work

from citecheck.cli import run

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
WORKS = [
    Work(
        index=1, doi="10.5555/blue.carbon", openalex_id="W9000001", type="book",
        title="Blue carbon: Accounting for coastal wetlands", authors=(("Nkechi", "Abara"),),
        year=2017, month=5, day=1, publisher="Island Press",
    ),
    Work(
        index=2, doi="10.5555/bgs.2016.101", openalex_id="W9000002", type="journal-article",
        title="Carbon burial in restored salt marshes", authors=(("Valeria", "Gallardo"),),
        year=2016, month=3, day=2, publisher="Copernicus", container="Biogeosciences",
        volume="13", issue="5", first_page="101", last_page="118",
    ),
    Work(
        index=3, doi="10.5555/wem.2015.1", openalex_id="W9000003", type="journal-article",
        title="The hidden costs of wetland monitoring", authors=(("Per", "Lindahl"),),
        year=2015, month=1, day=5, publisher="Springer", container="Wetlands Ecology and Management",
        volume="23", issue="1", first_page="1", last_page="14",
        updated_by=(Update(type="retraction", doi="10.5555/wem.2016.9", source="retraction-watch", date=(2016, 4, 2)),),
    ),
]  # fmt: skip


@pytest.fixture(scope="module")
def registry() -> Iterator[FakeRegistry]:
    with FakeRegistry(works=WORKS) as fake:
        yield fake


def audit(registry: FakeRegistry, tmp_path: Path, *extra: str) -> int:
    return run(
        ["audit", str(FIXTURES / "pdf-extracted.txt"), "--verify", "--crossref-url", registry.crossref_url,
         "--openalex-url", registry.openalex_url, "--no-cache", "--timeout", "5", *extra]
    )  # fmt: skip


def test_text_report_shows_the_registry_evidence(
    registry: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit(registry, tmp_path) == 1
    out = capsys.readouterr().out
    assert "metadata-mismatch: Abara (2019): list says year 2019, Crossref says 2017." in out
    assert "evidence: Crossref 10.5555/blue.carbon: 'Blue carbon: Accounting for coastal wetlands' (2017)" in out
    assert (
        "retracted-work: Lindahl (2015) was retracted: retraction on 2016-04-02, notice 10.5555/wem.2016.9 (retraction-watch)"
        in out
    )
    assert "Gallardo (2016): neither" not in out  # found, and right: nothing to say


def test_json_report_carries_evidence_and_verdicts(
    registry: FakeRegistry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    audit(registry, tmp_path, "--format", "json")
    report = json.loads(capsys.readouterr().out)
    by_author = {r["authors"][0]: r for r in report["references"]}
    assert by_author["Gallardo"]["verification"]["status"] == "ok"
    assert by_author["Abara"]["verification"]["mismatches"] == [{"field": "year", "listed": "2019", "registry": "2017"}]
    assert by_author["Quarles"]["verification"]["status"] == "not-found"
    retracted = next(f for f in report["findings"] if f["kind"] == "retracted-work")
    assert retracted["evidence"]["doi"] == "10.5555/wem.2015.1"
    assert retracted["evidence"]["updates"][0] == {
        "type": "retraction",
        "source": "retraction-watch",
        "doi": "10.5555/wem.2016.9",
        "date": "2016-04-02",
    }
    not_found = [f for f in report["findings"] if f["kind"] == "reference-not-found"]
    assert {f["severity"] for f in not_found} == {"warning", "note"}  # books are only a note


def test_offline_with_an_empty_cache_leaves_everything_unverified(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["audit", str(FIXTURES / "pdf-extracted.txt"), "--verify", "--offline", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1  # the audit's own errors
    statuses = {r["verification"]["status"] for r in report["references"]}
    assert statuses == {"unverified"}


def test_a_fresh_command_reports_the_registry_findings(registry: FakeRegistry, tmp_path: Path) -> None:
    """In a process of its own, where nothing else has loaded the --verify rules before they are chosen."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "citecheck", "audit", str(FIXTURES / "pdf-extracted.txt"), "--verify", "--no-cache"]
    command += ["--crossref-url", registry.crossref_url, "--openalex-url", registry.openalex_url, "--timeout", "5"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "CC306 retracted-work: Lindahl (2015) was retracted" in done.stdout and "CC302 metadata-mismatch" in done.stdout
