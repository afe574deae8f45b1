"""Choosing the reader: by --from, by the file's first bytes, by extension; one-line errors."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest

from citecheck.errors import InputError
from citecheck.model import make_source
from citecheck.readers import read_document, sniff

TEXT = "As shown (Okafor, 2019).\n\nReferences\n\nOkafor, N. (2019). Tides. *Estuaries*, 4(1), 1–9.\n"


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        pytest.param("paper.txt", TEXT.encode(), "text", id="text"),
        pytest.param("paper.md", TEXT.encode(), "markdown", id="markdown"),
        pytest.param("paper.txt", b"%PDF-1.7\n...", "pdf", id="pdf-named-txt"),
        pytest.param("paper.pdf", b"%PDF-1.4\n...", "pdf", id="pdf"),
        pytest.param("paper.docx", b"PK\x03\x04rest", "docx", id="docx"),
        pytest.param("paper.bin", b"PK\x03\x04rest", "docx", id="zip-named-otherwise"),
        pytest.param("paper", TEXT.encode(), "text", id="no-extension"),
    ],
)
def test_sniff(tmp_path: Path, name: str, content: bytes, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert sniff(str(path)) == fmt


def test_text_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "paper.md"
    path.write_text(TEXT, encoding="utf-8")
    assert read_document(str(path)).text == TEXT


def test_missing_extra_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    real_import = builtins.__import__

    def no_pdfminer(name: str, *args: Any, **kw: Any) -> Any:
        if name == "pdfminer":
            raise ImportError(name)
        return real_import(name, *args, **kw)

    monkeypatch.setattr(builtins, "__import__", no_pdfminer)
    with pytest.raises(InputError, match=r"pip install 'citecheck-audit\[pdf\]'"):
        read_document(str(path))


def test_from_overrides_the_file(tmp_path: Path) -> None:
    path = tmp_path / "paper.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(InputError, match="is a PDF file, not text"):
        read_document(str(path), "text")
    with pytest.raises(InputError, match="unknown format"):
        read_document(str(path), "rtf")


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "none.pdf"))


def test_pages_locate_offsets() -> None:
    source = make_source("page one\n\npage two\n\npage three", pages=(0, 10, 20))
    assert [source.page(i) for i in (0, 9, 10, 25)] == [1, 1, 2, 3]
    assert make_source("no pages").page(3) is None
