"""Hostile and broken input that once crashed the audit: each test is the smallest reproducer of
one, and the audit must finish (a finding, or nothing) or refuse with a one-line ``InputError``."""

from __future__ import annotations

import io
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

import citecheck
from citecheck.bibliography.csljson import parse_csl_json
from citecheck.errors import InputError
from citecheck.layout import find_noise
from citecheck.model import page_number
from citecheck.readers import read_document
from citecheck.verify.cache import Cache

ENTRY = "Smith, J. (2018). Title. Journal, 1, {pages}.\n"


@pytest.mark.parametrize("text", ["#\n1\n", "Table #\nTable 1\n", "A\n\n12\n\n" + "1" * 5000 + "\n\nB\n\n13\n\n7\n"])
def test_running_header_detection_takes_any_line(text: str) -> None:
    find_noise(text)  # a literal "#" once looked like a number's place; 5,000 digits like a page
    citecheck.audit(text)


@pytest.mark.parametrize(
    ("cited", "pages"),
    [
        ("Smith (2018)", "1" * 5000),  # a first page of 5,000 digits
        ("Smith (2018, p. 4)", "1–" + "9" * 5000),  # a range ending in 5,000 digits
        ("Smith (2018, p. " + "9" * 5000 + ")", "1–9"),  # a locator of 5,000 digits
        ("Smith (2018, p. ²)", "²–³"),  # superscript digits are no page numbers
    ],
)
def test_numbers_of_any_length_or_script_are_no_crash(cited: str, pages: str) -> None:
    report = citecheck.audit(f"{cited} said so.\n\nReferences\n\n" + ENTRY.format(pages=pages))
    assert "page-out-of-range" not in [f.kind for f in report.findings]


def test_page_number_reads_ascii_digits_only() -> None:
    assert page_number("1234") == 1234
    assert page_number("²") is None and page_number("e1002") is None and page_number("9" * 10) is None


def test_a_csl_json_integer_of_thousands_of_digits_is_kept_as_its_digits() -> None:
    refs = parse_csl_json(
        '[{"id": "a", "type": "article-journal", "author": [{"family": "Smith"}], '
        '"issued": {"date-parts": [[2018]]}, "page": ' + "1" * 5000 + "}]"
    )
    assert refs[0].year == "2018"


def test_a_zip_that_claims_a_later_format_version_is_a_one_line_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    data = bytearray(buf.getvalue())
    for signature, at in ((b"PK\x03\x04", 4), (b"PK\x01\x02", 6)):  # "version needed to extract": 25.3
        i = data.find(signature)
        while i >= 0:
            data[i + at : i + at + 2] = (253).to_bytes(2, "little")
            i = data.find(signature, i + 4)
    path = tmp_path / "v253.docx"
    path.write_bytes(bytes(data))
    pytest.importorskip("docx")
    with pytest.raises(InputError, match=r"25\.3"):
        read_document(str(path))


def test_a_damaged_cache_file_is_left_alone_and_not_used(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = tmp_path / "cache.sqlite"
    damaged.write_bytes(b"not a database " * 100)
    cache = Cache(damaged)
    assert cache.problem is not None and cache.get("k") is None
    cache.put("k", 200, "{}")  # no error, nothing written
    cache.close()
    assert damaged.read_bytes() == b"not a database " * 100
    assert "not a usable cache" in capsys.readouterr().err


def test_another_programs_database_at_the_cache_path_is_not_used(tmp_path: Path) -> None:
    foreign = tmp_path / "cache.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE answers (a TEXT)")
    db.execute("INSERT INTO answers VALUES ('theirs')")
    db.commit()
    db.close()
    cache = Cache(foreign)
    assert cache.problem is not None and cache.get("k") is None
    cache.close()
    db = sqlite3.connect(foreign)
    assert db.execute("SELECT a FROM answers").fetchall() == [("theirs",)]
    db.close()


# -- files: what a manuscript may make citecheck read, and where the report may go ----------------

MANUSCRIPT = "As (Smith, 2018) showed.\n\nReferences\n\nSmith, J. (2018). Title. Journal, 1, 1–2.\n"


def test_latex_inputs_and_bibliographies_outside_the_manuscripts_folder_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret.tex").write_text("SECRET-LINE\n", encoding="utf-8")
    (tmp_path / "secret.bib").write_text("@article{s, author={Secret, S.}, year={2001}, title={SECRET}}\n", encoding="utf-8")
    paper = tmp_path / "paper"
    paper.mkdir()
    (paper / "intro.tex").write_text("Intro text.\n", encoding="utf-8")
    main = paper / "main.tex"
    main.write_text(
        "\\documentclass{article}\\begin{document}\n\\input{intro}\n\\input{../secret}\n\\input{"
        + str(tmp_path / "secret")
        + "}\n\\bibliography{../secret}\n\\end{document}\n",
        encoding="utf-8",
    )
    source = read_document(str(main))
    assert "Intro text." in source.text  # its own folder is read
    assert "SECRET" not in source.text
    assert sum("outside the manuscript's folder" in n for n in source.notes) == 3


def test_a_markdown_bibliography_outside_the_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "outside.bib").write_text("@article{s, author={Secret, S.}, year={2001}, title={SECRET}}\n", encoding="utf-8")
    paper = tmp_path / "paper"
    paper.mkdir()
    md = paper / "paper.md"
    md.write_text("---\nbibliography: ../outside.bib\n---\n\nAs [@s].\n", encoding="utf-8")
    source = read_document(str(md))
    assert "SECRET" not in source.text
    assert any("outside the manuscript's folder" in n for n in source.notes)
    # named on the command line, the same file is read
    assert "SECRET" in read_document(str(md), bibs=[str(tmp_path / "outside.bib")]).text


def _run(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from citecheck.cli import main

    result = CliRunner().invoke(main, list(args))
    return result.exit_code, (result.output or "") + str(result.exception or "")


def test_the_report_never_replaces_an_input_through_a_link(tmp_path: Path) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(MANUSCRIPT, encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(paper)
    code, said = _run("audit", "-o", str(link), str(paper))
    assert code != 0 and "input" in said
    assert paper.read_text(encoding="utf-8") == MANUSCRIPT


def test_a_link_to_another_file_keeps_pointing_there(tmp_path: Path) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(MANUSCRIPT, encoding="utf-8")
    target = tmp_path / "target.txt"
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    code, _ = _run("audit", "-o", str(link), str(paper))
    assert code == 0 and link.is_symlink()
    assert "1 citation," in target.read_text(encoding="utf-8")


def test_a_device_is_written_into_not_replaced() -> None:
    code, _ = _run("audit", "-o", os.devnull, "--format", "json", __file__)
    assert Path(os.devnull).is_char_device()
    assert code in (0, 1)


def test_a_full_disk_is_a_one_line_error(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    paper = tmp_path / "paper.txt"
    paper.write_text(MANUSCRIPT, encoding="utf-8")
    code, said = _run("audit", "-o", "/dev/full", str(paper))
    assert code != 0 and "could not be written" in said


@pytest.mark.parametrize("signum", ["SIGTERM", "SIGHUP"])
def test_a_run_stopped_while_writing_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: str
) -> None:
    import signal

    import citecheck.cli

    paper = tmp_path / "paper.txt"
    paper.write_text(MANUSCRIPT, encoding="utf-8")
    report = tmp_path / "report.txt"
    report.write_text("the previous report\n", encoding="utf-8")
    real_fdopen = os.fdopen

    def fdopen(fd: int, *args: object, **kw: object) -> io.TextIOWrapper:
        fh = real_fdopen(fd, *args, **kw)  # type: ignore[call-overload]
        write = fh.write

        def stopped(data: str) -> int:
            written = write(data[:10])
            os.kill(os.getpid(), getattr(signal, signum))  # the signal arrives halfway through
            return written + write(data[10:])

        fh.write = stopped
        return fh

    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP)}
    monkeypatch.setattr(citecheck.cli.os, "fdopen", fdopen)
    try:
        code = citecheck.cli.run(["audit", "-o", str(report), str(paper)])
    finally:
        for s, handler in saved.items():
            signal.signal(s, handler)
    assert code == 128 + getattr(signal, signum)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.txt", "report.txt"]
    assert report.read_text(encoding="utf-8") == "the previous report\n"


def test_a_device_or_a_pipe_as_input_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in ("/dev/zero", str(fifo)):
        if not os.path.exists(path):
            continue
        with pytest.raises(InputError, match="not a regular file"):
            read_document(path)
    paper = tmp_path / "paper.txt"
    paper.write_text(MANUSCRIPT, encoding="utf-8")
    with pytest.raises(InputError, match="not a regular file"):
        read_document(str(paper), bibs=[str(fifo)])


@pytest.mark.parametrize(
    ("name", "record"),
    [
        ("refs.bib", "@article{{k{i}, author = {{Smith, J.}}, title = {{T}}, year = {{2019}}}}\n"),
        ("refs.ris", "TY  - JOUR\nAU  - Smith, J.\nTI  - T{i}\nPY  - 2019\nER  - \n"),
        ("refs.json", None),
    ],
)
def test_a_bibliography_past_the_entry_limit_is_refused_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, record: str | None
) -> None:
    import json

    import citecheck.bibliography

    monkeypatch.setattr(citecheck.bibliography, "MAX_ENTRIES", 3)
    if record is None:
        text = json.dumps([{"id": f"k{i}", "type": "book", "title": "T", "issued": {"date-parts": [[2019]]}} for i in range(4)])
    else:
        text = "".join(record.format(i=i) for i in range(4))
    (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "paper.md").write_text(f"---\nbibliography: {name}\n---\n\nSeen [@k1].\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"refs\.\w+: has 4 entries, more than the 3 limit; export the works"):
        citecheck.audit(str(tmp_path / "paper.md"))
    monkeypatch.setattr(citecheck.bibliography, "MAX_ENTRIES", 4)
    assert len(citecheck.audit(str(tmp_path / "paper.md")).references) == 4


def test_xml_in_an_encoding_no_parser_knows_is_a_one_line_error(tmp_path: Path) -> None:
    from make_docx import with_document_xml

    declared = '<?xml version="1.0" encoding="UTF-0"?>'
    jats = tmp_path / "article.xml"
    jats.write_text(declared + "<article><body><p>Seen (Smith, 2019).</p></body></article>", encoding="utf-8")
    with pytest.raises(InputError, match=r"article\.xml: not readable XML \(unknown encoding: UTF-0\)$"):
        read_document(str(jats))
    docx = tmp_path / "paper.docx"
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    with_document_xml(docx, f'{declared}<w:document xmlns:w="{w}"><w:body><w:p/></w:body></w:document>')
    with pytest.raises(InputError, match=r"word/document\.xml is not well-formed XML: unknown encoding: UTF-0\)$"):
        read_document(str(docx))


def test_a_jats_article_nested_thousands_deep_is_a_one_line_error(tmp_path: Path) -> None:
    depth = 20_000
    body = "<sec>" * depth + "<p>Seen (Smith, 2019).</p>" + "</sec>" * depth
    jats = tmp_path / "article.xml"
    jats.write_text(f"<article><body>{body}</body></article>", encoding="utf-8")
    with pytest.raises(InputError, match=r"article\.xml: is nested too deeply to read"):
        read_document(str(jats))
