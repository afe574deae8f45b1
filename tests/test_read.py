"""Reading manuscript files: encodings, byte-order marks, binary and missing files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

import citecheck
from citecheck import read
from citecheck.errors import InputError
from citecheck.read import decode, read_path

MANUSCRIPT = "Grazing slows recovery (Müller, 2014, p. 3).\n\nReferences\n\nMüller, A. (2014). Grazing. *Ecology*, 5(1), 1–9.\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(MANUSCRIPT.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + MANUSCRIPT.encode("utf-8"), "utf-8", id="utf-8-bom"),
        pytest.param(MANUSCRIPT.encode("utf-16"), "utf-16", id="utf-16-bom"),
        pytest.param(codecs.BOM_UTF16_BE + MANUSCRIPT.encode("utf-16-be"), "utf-16", id="utf-16-be-bom"),
        pytest.param(MANUSCRIPT.encode("cp1252"), "cp1252", id="windows-1252"),
    ],
)
def test_decodes_to_the_same_text(data: bytes, encoding: str) -> None:
    text, used, notes = decode(data)
    assert text == MANUSCRIPT
    assert used == encoding
    assert bool(notes) == (encoding == "cp1252")


def test_latin1_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    text, used, notes = decode("caf\xe9 \x81".encode("latin-1"))
    assert (text, used) == ("caf\xe9 \x81", "latin-1")
    assert "Latin-1" in notes[0]


def test_crlf_is_kept_so_offsets_index_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(MANUSCRIPT.replace("\n", "\r\n").encode("utf-8"))
    report = citecheck.audit(str(path))
    c = report.citations[0]
    assert report.source.text[c.span.start : c.span.end] == "Müller, 2014, p. 3"
    assert report.findings == ()


def test_legacy_encoded_file_is_audited_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes(MANUSCRIPT.encode("cp1252"))
    report = citecheck.audit(str(path))
    assert report.source.notes
    assert [c.authors for c in report.citations] == [("Müller",)]
    assert report.findings == ()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50, "binary", id="elf"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF", id="pdf"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 40, "zip", id="docx-zip"),
    ],
)
def test_unreadable_files_raise_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_path(str(path))
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_path(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="directory"):
        read_path(str(tmp_path))


def test_audit_accepts_text_as_well_as_a_path() -> None:
    report = citecheck.audit(MANUSCRIPT)
    assert report.source.path is None
    assert len(report.citations) == 1


def test_a_small_file_does_not_reserve_the_size_limit(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "paper.txt"
    path.write_text(MANUSCRIPT * 100, encoding="utf-8")
    tracemalloc.start()
    try:
        read.read_bytes(str(path))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * path.stat().st_size + 1_000_000  # not the 200 MiB the limit allows


def test_a_file_that_grows_while_it_is_read_is_read_whole_or_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "paper.txt"
    data = (MANUSCRIPT * 300).encode("utf-8")
    path.write_bytes(data)
    monkeypatch.setattr(read.os.path, "getsize", lambda p: 10)  # the size it had when it was looked at
    assert read.read_bytes(str(path)) == data
    monkeypatch.setattr(read, "MAX_BYTES", len(data) - 1)
    with pytest.raises(InputError, match="larger than the 200 MiB limit"):
        read.read_bytes(str(path))
