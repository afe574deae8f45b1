"""The reports people read: the text report (repeats grouped, counts in words, colour only on a
terminal), the Markdown report, the places a person can find (a DOCX's sentence and paragraph),
and the command line's --annotate refusals."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import manuscript
from make_docx import Doc

from citecheck.cli import run
from citecheck.model import Span, make_source
from citecheck.pipeline import audit, audit_source
from citecheck.readers import read_document
from citecheck.report.context import paragraph_start, sentence
from citecheck.report.markdown import escape, render_markdown
from citecheck.report.text import render_text, summary_line

REPEATED = manuscript(
    "Lindqvist (2019) saw it first. Later work agrees (Lindqvist, 2019). So did Lindqvist (2019, p. 3).\n\n"
    "Meyer (2011) disagreed.",
    "Lindqvist, A. (2018). Nesting birds. Ornis, 3, 1–9.",
    "Meyer, B. (2011). Grazing. Oikos, 4, 10–20.",
)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """The command line as a user runs it: its exit code, standard output and standard error."""

    def call(args: list[str]) -> tuple[int, str, str]:
        code = run(args)
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_a_repeated_problem_is_told_once_with_every_place() -> None:
    report = audit(REPEATED)
    years = [f for f in report.findings if f.kind == "year-mismatch"]
    assert len(years) == 3
    out = render_text([report])
    assert out.count("year-mismatch") == 1
    assert "(3 places)" in out
    _, col2 = report.source.position(years[1].span.start)
    _, col3 = report.source.position(years[2].span.start)
    assert f"also at: 1:{col2}, 1:{col3}" in out
    assert "Errors (3)" in out  # the heading counts findings, not groups


def test_different_works_with_the_same_rule_stay_apart() -> None:
    text = manuscript(
        "Lindqvist (2019) and Meyer (2012) both.",
        "Lindqvist, A. (2018). Nesting birds. Ornis, 3, 1–9.",
        "Meyer, B. (2011). Grazing. Oikos, 4, 10–20.",
    )
    out = render_text([audit(text)])
    assert out.count("year-mismatch") == 2
    assert "places)" not in out


def test_the_summary_line_counts_in_words() -> None:
    one = audit(manuscript("As Meyer (2011) showed.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20."))
    assert summary_line(one) == "1 citation, 1 reference, 0 errors, 0 warnings"
    many = audit(REPEATED)
    assert summary_line(many).startswith("4 citations, 2 references, 3 errors, 0 warnings")


def test_notes_are_counted_when_there_are_some() -> None:
    report = audit(REPEATED)
    notes = sum(1 for f in report.findings if str(f.severity) == "note")
    line = summary_line(report)
    assert (f"{notes} note" in line) == (notes > 0)


def test_colour_only_when_asked() -> None:
    report = audit(REPEATED)
    assert "\x1b[" not in render_text([report])
    coloured = render_text([report], colour=True)
    assert "\x1b[1;31mErrors (3)\x1b[0m" in coloured
    # the words are the same with the colour codes taken out
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render_text([report])


def test_colour_on_a_terminal_unless_no_color(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text(REPEATED, encoding="utf-8")
    _, piped, _ = run_cli(["audit", str(paper), "--fail-on", "never"])
    assert "\x1b[" not in piped and "Errors (3)" in piped
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    _, terminal, _ = run_cli(["audit", str(paper), "--fail-on", "never"])
    assert "\x1b[1;31mErrors (3)" in terminal
    monkeypatch.setenv("NO_COLOR", "1")
    _, plain, _ = run_cli(["audit", str(paper), "--fail-on", "never"])
    assert plain == piped


def test_paths_are_shown_as_given(run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "paper.md").write_text(REPEATED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, out, _ = run_cli(["audit", "sub/../sub/paper.md", "--fail-on", "never"])
    assert "sub/../sub/paper.md:1:1: CC102" in out


def test_the_sentence_around_a_citation() -> None:
    text = "Intro.\n\nEarlier work by J. Smith et al. (2018, p. 4) found this. Later, Jones (2019) said so. More.\n\nNext."
    src = make_source(text)
    at = text.index("Jones (2019)")
    assert sentence(src, Span(at, at + 12)) == ("Later, ", "Jones (2019)", " said so.")
    at = text.index("Smith et al.")
    cited = "Smith et al. (2018, p. 4)"
    # neither the initial "J." nor "et al." nor "p." ends the sentence
    assert sentence(src, Span(at, at + len(cited))) == ("Earlier work by J. ", cited, " found this.")
    assert paragraph_start(src, at) == "Earlier work by J. Smith et al. (2018,…"


def test_a_long_sentence_is_cut_with_an_ellipsis() -> None:
    text = "word " * 200 + "Smith (2018) " + "more " * 200
    src = make_source(text)
    at = text.index("Smith")
    before, cited, after = sentence(src, Span(at, at + 12))
    assert before.startswith("…") and after.endswith("…") and cited == "Smith (2018)"
    assert len(before) < 320 and len(after) < 320


def _docx(tmp_path: Path) -> Path:
    path = tmp_path / "paper.docx"
    doc = Doc()
    doc.para("Grazing shapes nesting. Earlier counts (Lindqvist, 2019) were lower than ours.")
    doc.para("Meyer (2011) disagreed.")
    doc.heading("References")
    doc.para("Lindqvist, A. (2018). Nesting birds. Ornis, 3, 1–9.")
    doc.para("Meyer, B. (2011). Grazing. Oikos, 4, 10–20.")
    doc.save(path)
    return path


def test_docx_findings_say_the_sentence_and_the_paragraph(run_cli, tmp_path: Path) -> None:
    path = _docx(tmp_path)
    code, out, _ = run_cli(["audit", str(path), "--format", "json", "--fail-on", "never"])
    assert code == 0
    (year,) = [f for f in json.loads(out)["findings"] if f["kind"] == "year-mismatch"]
    assert year["context"] == "Earlier counts (Lindqvist, 2019) were lower than ours."
    assert year["paragraph_start"] == "Grazing shapes nesting. Earlier counts (Lindqvist, 2019) were…"
    assert year["page_label"] is None and year["printed_line"] is None
    _, text, _ = run_cli(["audit", str(path), "--fail-on", "never"])
    assert f"{path}, paragraph “Grazing shapes nesting." in text
    assert "in: “Earlier counts (Lindqvist, 2019) were lower than ours.”" in text
    from citecheck.report.html import render_html

    page = render_html([audit_source(read_document(str(path)))])
    assert "paragraph “Grazing shapes nesting. Earlier counts (Lindqvist, 2019) were…”" in page


def test_text_findings_have_no_docx_or_pdf_places(run_cli, tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text(REPEATED, encoding="utf-8")
    _, out, _ = run_cli(["audit", str(paper), "--format", "json", "--fail-on", "never"])
    for f in json.loads(out)["findings"]:
        assert (f["page_label"], f["printed_line"], f["context"], f["paragraph_start"]) == (None, None, None, None)


def test_markdown_groups_repeats_and_escapes_the_manuscript() -> None:
    report = audit(REPEATED)
    md = render_markdown([report])
    assert md.startswith("## citecheck: \\<text\\>\n")
    assert md.count("**CC102 year-mismatch**") == 1 and "(3 places)" in md
    assert "### Errors (3)" in md
    assert escape("*a* [b](c) <i> &amp; (2019)") == "\\*a\\* \\[b\\](c) \\<i\\> \\&amp; (2019)"


def test_markdown_of_a_clean_manuscript() -> None:
    report = audit(manuscript("As Meyer (2011) showed.", "Meyer, B. (2011). Grazing. Oikos, 4, 10–20."))
    assert "No findings." in render_markdown([report])


def test_annotate_refuses_other_formats_in_one_line(run_cli, tmp_path: Path) -> None:
    paper = tmp_path / "paper.md"
    paper.write_text(REPEATED, encoding="utf-8")
    code, out, err = run_cli(["audit", str(paper), "--annotate", str(tmp_path / "out.docx")])
    assert code == 2 and out == ""
    assert err.strip().count("\n") == 0 and "--annotate takes a DOCX or PDF manuscript" in err
    assert not (tmp_path / "out.docx").exists()


def test_annotate_takes_one_input_and_never_an_input_as_output(run_cli, tmp_path: Path) -> None:
    path = _docx(tmp_path)
    other = tmp_path / "other.md"
    other.write_text(REPEATED, encoding="utf-8")
    code, _, err = run_cli(["audit", str(path), str(other), "--annotate", str(tmp_path / "out.docx")])
    assert code == 2 and "one input" in err
    before = path.read_bytes()
    code, _, err = run_cli(["audit", str(path), "--annotate", str(path)])
    assert code == 2 and "refusing to overwrite an input file" in err
    assert path.read_bytes() == before
    code, _, err = run_cli(["audit", str(path), "-o", str(tmp_path / "r"), "--annotate", str(tmp_path / "r")])
    assert code == 2 and "named for two of the outputs" in err


def test_read_document_of_a_docx_has_paragraphs(tmp_path: Path) -> None:
    # the DOCX places above rest on the reader writing one paragraph per block
    assert read_document(os.fspath(_docx(tmp_path))).paragraphs


def _pdf_pages() -> list[list[str]]:
    body = [f"Sentence {i} of the introduction runs on for a while here." for i in range(1, 9)]
    body[4] = "As Lindqvist (2019) found, grazing matters to nesting birds."
    refs = ["References", "Lindqvist, A. (2018). Nesting birds. Ornis, 3, 1-9.", "Meyer, B. (2011). Grazing. Oikos, 4, 10-20."]
    return [body, refs + [f"Appendix line {i} closes the document here." for i in range(1, 6)]]


def test_pdf_places_are_the_printed_page_and_line(run_cli, tmp_path: Path) -> None:
    import make_pdf

    labelled = tmp_path / "labelled.pdf"
    make_pdf.labelled_pdf(labelled, _pdf_pages(), [(0, "D", 245, None)])
    _, out, _ = run_cli(["audit", str(labelled), "--fail-on", "never"])
    assert f"{labelled}, page 245 (PDF page 1): CC102 year-mismatch" in out
    assert f"{labelled}, page 246 (PDF page 2): CC201 uncited-reference" in out
    numbered = tmp_path / "numbered.pdf"
    printed = make_pdf.numbered_pdf(numbered, _pdf_pages(), first=101)
    _, out, _ = run_cli(["audit", str(numbered), "--fail-on", "never", "--format", "json"])
    (year,) = [f for f in json.loads(out)["findings"] if f["kind"] == "year-mismatch"]
    assert (year["page"], year["page_label"], year["printed_line"]) == (1, None, printed[0][4])
    _, out, _ = run_cli(["audit", str(numbered), "--fail-on", "never"])
    assert f"{numbered}, page 1, line {printed[0][4]}: CC102" in out
