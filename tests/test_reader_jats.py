"""JATS XML input (fixtures/jats/article.xml, an invented article): read as the text a reader sees,
then audited like any other format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import citecheck
from citecheck.errors import InputError
from citecheck.readers import read_document, sniff
from citecheck.readers.jats import read_jats

ARTICLE = Path(__file__).resolve().parent.parent / "fixtures" / "jats" / "article.xml"


def test_the_article_is_read_in_reading_order() -> None:
    text = read_jats(str(ARTICLE)).text
    blocks = text.split("\n\n")
    assert blocks[0] == "Restoring drained upland peat"
    assert "Introduction" in blocks and "Methods" in blocks and "References" in blocks
    assert "Moor House | 12 | Haldane & Okoro, 2011" in blocks  # a table row, its cells joined
    assert "We thank the wardens." in blocks  # back matter before the list
    assert text.index("Methods") < text.index("References")
    assert "Journal of Upland Hydrology" not in blocks  # the journal's name is no paragraph
    assert " h " not in text.split("References")[0].split("rise")[-1]  # inline MathML is left out


def test_element_citations_are_set_out_in_the_apa_order() -> None:
    entries = read_jats(str(ARTICLE)).text.split("References\n\n", 1)[1].split("\n\n")
    assert "Marchetti, L., Brandt, S., & Ivanova, T. (2016). Five years of vegetation change after ditch blocking. " in entries[1]
    assert entries[1].endswith("Mires and Peat Research, 22, 311–329.")
    assert entries[0].startswith("Haldane, R. M., & Okoro, C. (2011).")  # a mixed citation as printed


def test_the_audit_finds_the_one_defect_and_links_the_rest() -> None:
    report = citecheck.audit(str(ARTICLE))
    assert report.source.format == "jats"
    assert len(report.citations) == 7 and len(report.references) == 6
    assert [f.kind for f in report.findings] == ["year-mismatch"]
    assert all(link.reference is not None for link in report.links)
    finding = report.findings[0]
    assert report.source.paragraph(finding.span.start) is not None  # placed by paragraph, as in DOCX


def test_the_format_comes_from_the_extension_and_from_the_option(tmp_path: Path) -> None:
    assert sniff(str(ARTICLE)) == "jats"
    renamed = tmp_path / "article.txt"
    renamed.write_bytes(ARTICLE.read_bytes())
    assert read_document(str(renamed), "jats").format == "jats"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<article><body><p>unclosed</body></article>", "not well-formed XML"),
        (b"<html><body><p>A web page.</p></body></html>", "not a JATS article"),
    ],
)
def test_a_broken_or_foreign_file_is_a_one_line_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_document(str(path))


def test_an_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    lol = b'<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa">' + b"".join(
        b'<!ENTITY %s "%s">' % (b"a" + bytes([98 + i]), (b"&a" + (bytes([97 + i]) if i else b"") + b";") * 10) for i in range(8)
    )
    path = tmp_path / "bomb.xml"
    path.write_bytes(lol + b"]><article><body><p>&ai;</p></body></article>")
    with pytest.raises(InputError):
        read_document(str(path))


def test_the_command_line_reads_jats() -> None:
    command = [sys.executable, "-m", "citecheck", "audit", "--format", "json", str(ARTICLE)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr  # an error was found
    report = json.loads(run.stdout)
    assert [f["kind"] for f in report["findings"]] == ["year-mismatch"]
    assert report["findings"][0]["paragraph"] is not None
