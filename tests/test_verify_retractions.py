"""--retractions FILE: a local copy of the Retraction Watch CSV, read offline."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from fake_registry import FakeRegistry
from registry_catalogue import Update as WorkUpdate
from registry_catalogue import Work

from citecheck.cli import run
from citecheck.errors import InputError
from citecheck.model import Author, Record, Reference, Span, Update, Verification
from citecheck.verify.retractions import check_file, read_notices, with_notices

# The columns of the file Crossref distributes, in its order.
HEADER = [
    "Record ID", "Title", "Subject", "Institution", "Journal", "Publisher", "Country", "Author", "URLS",
    "ArticleType", "RetractionDate", "RetractionDOI", "RetractionPubMedID", "OriginalPaperDate",
    "OriginalPaperDOI", "OriginalPaperPubMedID", "RetractionNature", "Reason", "Paywalled", "Notes",
]  # fmt: skip


def row(doi: str, nature: str, date: str = "3/21/2023 0:00", notice: str = "unavailable", title: str = "A study") -> list[str]:
    values = dict.fromkeys(HEADER, "")
    values.update(
        {
            "Record ID": "1",
            "Title": title,
            "Journal": "Journal of Examples",
            "RetractionDate": date,
            "RetractionDOI": notice,
            "OriginalPaperDOI": doi,
            "RetractionNature": nature,
            "Reason": "+Falsification/Fabrication of Data;",
        }
    )
    return [values[h] for h in HEADER]


def write(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_notices_are_read_by_the_works_doi(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rw.csv",
        [
            row("10.5555/A.1", "Retraction", "3/21/2023 0:00", "10.5555/notice.1"),
            row("https://doi.org/10.5555/b.2", "Expression of concern", "11/2/2019 0:00"),
            row("10.5555/b.2", "Correction", "1/5/2020 0:00", "10.5555/erratum.2"),
            row("unavailable", "Retraction"),
            row("10.5555/c.3", "Something else"),
        ],
    )
    notices = read_notices(path)
    assert notices["10.5555/a.1"] == (Update("retraction", "retraction-watch", "10.5555/notice.1", "2023-03-21"),)
    assert [u.kind for u in notices["10.5555/b.2"]] == ["expression_of_concern", "correction"]
    assert notices["10.5555/b.2"][0].doi is None  # "unavailable" is no DOI
    assert set(notices) == {"10.5555/a.1", "10.5555/b.2"}
    assert set(read_notices(path, wanted={"10.5555/b.2"})) == {"10.5555/b.2"}


def test_a_reinstatement_undoes_the_retraction_before_it(tmp_path: Path) -> None:
    path = write(
        tmp_path / "rw.csv",
        [
            row("10.5555/r.1", "Reinstatement", "6/1/2021 0:00"),
            row("10.5555/r.1", "Retraction", "1/1/2020 0:00"),
            row("10.5555/r.2", "Reinstatement", "1/1/2019 0:00"),
            row("10.5555/r.2", "Retraction", "1/1/2022 0:00"),
        ],
    )
    notices = read_notices(path)
    assert notices["10.5555/r.1"] == ()
    assert [u.kind for u in notices["10.5555/r.2"]] == ["retraction"]  # retracted again after it


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1"])
def test_the_file_is_read_in_the_encodings_it_comes_in(encoding: str, tmp_path: Path) -> None:
    path = write(tmp_path / "rw.csv", [row("10.5555/e.1", "Retraction", title="Études sur les données")], encoding)
    assert [u.kind for u in read_notices(path)["10.5555/e.1"]] == ["retraction"]


def test_a_file_that_is_not_retraction_watch_is_refused_in_one_line(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("doi,title\n10.5555/x,A title\n", encoding="utf-8")
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"PK\x03\x04\x00\x00" * 100)
    for path, words in ((other, "no OriginalPaperDOI or RetractionNature column"), (binary, "a binary file")):
        with pytest.raises(InputError, match=words):
            check_file(path)
    with pytest.raises(InputError, match="cannot read"):
        check_file(tmp_path / "missing.csv")


def _ref(doi: str | None) -> Reference:
    return Reference(span=Span(0, 1), text="", authors=(Author("Lindahl"),), year="2015", title="A study", doi=doi)


def test_the_files_notices_join_the_registrys_once_each() -> None:
    crossref = Update("retraction", "retraction-watch", "10.5555/notice.1", "2023-03-21")  # Crossref serves RW's too
    record = Record(registry="crossref", id="10.5555/a.1", title="A study", doi="10.5555/a.1", updates=(crossref,))
    listed = {
        "10.5555/a.1": (Update("retraction", "retraction-watch", "10.5555/notice.1", "2023-03-21"),),
        "10.5555/b.2": (Update("correction", "retraction-watch", None, "2020-01-05"),),
        "10.5555/c.3": (Update("retraction", "retraction-watch", None, "2021-01-01"),),
        "10.5555/d.4": (Update("retraction", "retraction-watch", None, "2021-01-01"),),
    }
    unchanged = Verification(0, "ok", record, 100.0)
    corrected = Verification(1, "ok", Record(registry="crossref", id="10.5555/b.2", title="B", doi="10.5555/b.2"), 100.0)
    unasked = Verification(2, "unverified", detail="offline, and not in the cache")
    another = Verification(3, "doi-mismatch", Record(registry="crossref", id="10.5555/d.4", title="Z", doi="10.5555/d.4"))
    refs = [_ref("10.5555/a.1"), _ref("10.5555/b.2"), _ref("https://doi.org/10.5555/C.3"), _ref("10.5555/d.4")]
    out = with_notices([unchanged, corrected, unasked, another], refs, listed)
    assert out[0] == unchanged  # the same notice, not a second one
    assert out[1].record is not None and [u.kind for u in out[1].record.updates] == ["correction"]
    assert not out[1].record.retracted
    assert out[2].status == "unverified" and out[2].record is not None and out[2].record.retracted
    assert out[2].record.registry == "retraction-watch" and out[2].record.doi == "10.5555/c.3"
    assert out[3] == another  # the DOI is another work's: its notices are not this entry's


def _bibliography(tmp_path: Path, dois: list[str]) -> Path:
    items = [
        {
            "id": f"w{n}",
            "type": "article-journal",
            "author": [{"family": ("Lindahl", "Okafor", "Brandt")[n], "given": "Per"}],
            "issued": {"date-parts": [[2015]]},
            "title": f"The hidden costs of wetland monitoring, part {n}",
            "container-title": "Wetlands Ecology and Management",
            "DOI": doi,
        }
        for n, doi in enumerate(dois)
    ]
    path = tmp_path / "refs.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def test_offline_the_file_alone_tells_a_retracted_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rw = write(tmp_path / "rw.csv", [row("10.5555/wem.2015.1", "Retraction", "4/2/2016 0:00", "10.5555/wem.2016.9")])
    bib = _bibliography(tmp_path, ["10.5555/wem.2015.1", "10.5555/wem.2015.2"])
    code = run(["verify", str(bib), "--offline", "--no-cache", "--retractions", str(rw), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    (retracted,) = [f for f in report["findings"] if f["kind"] == "retracted-work"]
    assert "retraction on 2016-04-02, notice 10.5555/wem.2016.9" in retracted["message"]
    assert retracted["reference"] == 0
    # The other could not be checked, and says so; nothing claims it is fine.
    assert {f["kind"] for f in report["findings"] if f["reference"] == 1} == {"unverified"}


def test_online_a_retraction_the_registry_does_not_know_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    work = Work(
        index=1, doi="10.5555/wem.2015.1", openalex_id="W9000003", type="journal-article",
        title="The hidden costs of wetland monitoring, part 0", authors=(("Per", "Lindahl"),),
        year=2015, month=1, day=5, publisher="Springer", container="Wetlands Ecology and Management",
        updated_by=(WorkUpdate(type="correction", doi="10.5555/wem.2015.c", source="publisher", date=(2015, 6, 1)),),
    )  # fmt: skip
    rw = write(tmp_path / "rw.csv", [row("10.5555/wem.2015.1", "Retraction", "4/2/2024 0:00", "10.5555/wem.2024.9")])
    bib = _bibliography(tmp_path, ["10.5555/wem.2015.1"])
    with FakeRegistry(works=[work]) as fake:
        code = run(
            ["verify", str(bib), "--no-cache", "--crossref-url", fake.crossref_url, "--openalex-url", fake.openalex_url,
             "--retractions", str(rw), "--format", "json"]
        )  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    kinds = [f["kind"] for f in report["findings"]]
    assert kinds.count("retracted-work") == 1 and "corrected-work" not in kinds  # one finding naming both
    (finding,) = [f for f in report["findings"] if f["kind"] == "retracted-work"]
    assert "retraction on 2024-04-02" in finding["message"] and "correction" in finding["message"]


def test_the_option_is_refused_without_verify_and_a_bad_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    manuscript = tmp_path / "paper.md"
    manuscript.write_text("Text (Lindahl, 2015).\n\n# References\n\nLindahl, P. (2015). A study.\n", encoding="utf-8")
    rw = write(tmp_path / "rw.csv", [])
    assert run(["audit", str(manuscript), "--retractions", str(rw)]) == 2
    assert "--retractions is read with --verify" in capsys.readouterr().err
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert run(["audit", str(manuscript), "--verify", "--offline", "--retractions", str(other)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "not a Retraction Watch CSV" in err


def test_a_long_cell_is_read_and_a_broken_quote_costs_only_its_rows(tmp_path: Path) -> None:
    long = row("10.5555/l.1", "Retraction")
    long[HEADER.index("Notes")] = "x" * 300_000  # beyond csv's default limit of 131,072 characters
    path = write(tmp_path / "rw.csv", [row("10.5555/a.1", "Retraction"), long])
    assert set(read_notices(path)) == {"10.5555/a.1", "10.5555/l.1"}
    broken = tmp_path / "broken.csv"
    broken.write_text(",".join(HEADER) + "\n" + ",".join(row("10.5555/b.1", "Correction")) + '\n"10.5555/x,unclosed\n')
    assert set(read_notices(broken)) == {"10.5555/b.1"}


def test_a_pipe_or_a_directory_is_refused_at_once(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "rw.fifo"
    os.mkfifo(fifo)  # opened, it would wait for a writer forever
    with pytest.raises(InputError, match="not a regular file"):
        check_file(fifo)
    with pytest.raises(InputError, match="directory"):
        check_file(tmp_path)
