"""LaTeX + BibTeX: the natbib and biblatex commands, the files a document is made of, and the checks
that keys make possible (undefined key, unused entry, duplicate key, a post-note page out of range,
a .bib entry that does not parse), each located in the .tex or .bib file it concerns."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SMITH_2018

import citecheck
from citecheck.cli import run
from citecheck.model import Report
from citecheck.readers.latex import blank_comments, find_latex_citations

BIB = (
    SMITH_2018
    + """
@book{lee2020,
  author = {Lee, Ann and Park, Bo},
  title = {A book},
  publisher = {Press},
  year = {2020},
}

@article{miller2019,
  author = {Miller, Carl and Wang, Li and Diaz, Rosa},
  title = {Three authors},
  journal = {Letters},
  year = {2019},
  pages = {1--9},
}
"""
)


def keys(tex: str) -> list[tuple[str, bool, str, object]]:
    """(key, narrative, prefix, locator) of each citation in a LaTeX text."""
    found = find_latex_citations(blank_comments(tex))
    return [(c.key, c.narrative, c.prefix, c.locator) for c in found.citations]  # type: ignore[misc]


def write(directory: Path, tex: str, bib: str = BIB, name: str = "main.tex") -> Path:
    (directory / "refs.bib").write_text(bib, encoding="utf-8")
    path = directory / name
    path.write_text(tex, encoding="utf-8")
    return path


def document(body: str, bibliography: str = "\\bibliography{refs}") -> str:
    return f"\\documentclass{{article}}\n\\begin{{document}}\n{body}\n{bibliography}\n\\end{{document}}\n"


def kinds(report: Report) -> list[tuple[str, str]]:
    return sorted((f.kind, report.source.text[f.span.start : f.span.end]) for f in report.findings if f.span)


# -- the commands -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\cite{a}", [("a", False)]),
        ("\\citep{a, b}", [("a", False), ("b", False)]),
        ("\\citet{a}", [("a", True)]),
        ("\\citet*{a}", [("a", True)]),
        ("\\citealp{a}", [("a", False)]),
        ("\\citeauthor{a} and \\citeyear{b}", [("a", False), ("b", False)]),
        ("\\parencite{a}", [("a", False)]),
        ("\\textcite{a}", [("a", True)]),
        ("\\autocite{a}", [("a", False)]),
        ("\\Textcite{a}", [("a", True)]),
        ("\\footcite{a}", [("a", False)]),
        ("\\citep  {a}", [("a", False)]),  # spaces before the argument
        ("\\citep{\n  a,\n  b\n}", [("a", False), ("b", False)]),
        ("\\parencites[p.~4]{a}[e.g.][]{b}", [("a", False), ("b", False)]),
    ],
)
def test_citation_commands(tex: str, expected: list[tuple[str, bool]]) -> None:
    assert [(k, n) for k, n, _, _ in keys(tex)] == expected


def test_pre_and_post_notes() -> None:
    [(key, _, prefix, locator)] = keys("\\citep[e.g.,][pp.~12--14]{smith2018}")
    assert (key, prefix) == ("smith2018", "e.g.,")
    assert locator is not None and (locator.kind, locator.first, locator.last) == ("page", 12, 14)  # type: ignore[attr-defined]
    [(_, _, prefix, locator)] = keys("\\citep[p.~45]{smith2018}")  # one optional argument is the post-note
    assert prefix == "" and locator.first == 45  # type: ignore[attr-defined]
    [(_, _, _, locator)] = keys("\\autocite[45]{smith2018}")  # biblatex: a bare number is a page
    assert locator.first == 45  # type: ignore[attr-defined]
    [(_, _, prefix, locator)] = keys("\\citep[see][]{smith2018}")
    assert prefix == "see" and locator is None


def test_span_is_the_key_itself() -> None:
    tex = "See \\citep[p.~4]{alpha, beta}."
    found = find_latex_citations(blank_comments(tex))
    assert [tex[c.span.start : c.span.end] for c in found.citations] == ["alpha", "beta"]
    assert {c.command for c in found.citations} == {"\\citep[p.~4]{alpha, beta}"}
    assert len({c.group for c in found.citations}) == 1


def test_a_key_list_a_comment_runs_through_is_quoted_as_written(tmp_path: Path) -> None:
    # The comment takes the closing brace away: the key list runs on to the next line's brace.
    tex = "As shown \\citep{smith% a note}. More\nwords }.\n"
    (tmp_path / "paper.tex").write_text(tex, encoding="utf-8")
    report = citecheck.audit(tmp_path / "paper.tex")
    (c,) = report.citations
    assert c.text == tex[c.span.start : c.span.end] == "smith% a note}. More\nwords"
    assert "%" not in c.key


def test_comments_and_verbatim_are_not_read() -> None:
    tex = (
        "% \\citep{inline}\n"
        "text 50\\% done \\citep{real} % \\citep{trailing}\n"
        "\\begin{comment}\n\\citep{env}\n\\end{comment}\n"
        "\\begin{verbatim}\n\\citep{verb}\n\\end{verbatim}\n"
        "\\verb|\\citep{inline-verb}|\n"
    )
    assert [k for k, *_ in keys(tex)] == ["real"]
    assert len(blank_comments(tex)) == len(tex)


def test_commands_that_are_not_citations_are_ignored() -> None:
    tex = "\\newcommand{\\mycite}[1]{x} \\excite{a} \\citestyle{plain} \\foo{bar}[baz] \\recite{b}"
    assert keys(tex) == []


@pytest.mark.parametrize(
    "tex",
    [
        "\\citep{smith2018 and the rest of the paragraph",
        "\\citep[p.~4{smith2018}",
        "\\citep",
        pytest.param("\\citep{" + "{" * 5000, id="5000-braces-in-a-key-list"),
        pytest.param("{" * 10000 + "\\citep{a}", id="10000-open-braces-before"),
        pytest.param("\\citep[" * 3000, id="3000-unclosed-optional-arguments"),
        # each command's scan stops at the next: linear, not 100,000 x 2,000 steps
        pytest.param("\\citep{" * 100_000, id="100000-unclosed-commands"),
    ],
)
def test_unbalanced_braces_never_crash(tmp_path: Path, tex: str) -> None:
    report = citecheck.audit(write(tmp_path, document(tex)))
    assert report.findings is not None


def test_an_unclosed_command_is_a_finding(tmp_path: Path) -> None:
    report = citecheck.audit(write(tmp_path, document("As shown \\citep{smith2018\n\nNext paragraph \\citet{lee2020}.")))
    malformed = [f for f in report.findings if f.kind == "malformed-citation"]
    assert len(malformed) == 1 and "never closed" in malformed[0].message
    assert report.source.position(malformed[0].span.start)[0] == 3  # type: ignore[union-attr]
    assert [c.key for c in report.citations] == ["lee2020"]


def test_unknown_macros_are_harmless(tmp_path: Path) -> None:
    body = (
        "\\newcommand{\\R}{\\mathbb{R}}\\def\\x#1{#1}\n\\makeatletter\\@ifundefined{foo}{}{}\\makeatother\n"
        "$\\R^n$ \\unknownmacro[opt]{arg}{arg2} \\begin{weirdenv}{x}text\\end{weirdenv}\n"
        "Trade \\citep{smith2018}, books \\citet{lee2020} and letters \\citep{miller2019}.\n"
    )
    report = citecheck.audit(write(tmp_path, document(body)))
    assert len(report.citations) == 3
    assert report.findings == ()


# -- files ------------------------------------------------------------------------------------------


def test_input_include_and_bibliography_are_followed(tmp_path: Path) -> None:
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "intro.tex").write_text("Intro \\citep{smith2018}.\n\\input{sections/more}\n", encoding="utf-8")
    (tmp_path / "sections" / "more.tex").write_text("More \\citet{lee2020} and \\citep{miller2019}.\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    main = tmp_path / "main.tex"
    main.write_text(document("\\input{sections/intro}\n\\include{main}", "\\addbibresource{refs.bib}"), encoding="utf-8")
    report = citecheck.audit(main)
    assert [c.key for c in report.citations] == ["smith2018", "lee2020", "miller2019"]
    assert [Path(p.path).name for p in report.source.parts] == ["main.tex", "intro.tex", "more.tex", "refs.bib"]
    assert report.findings == ()  # \include of itself is read once


def test_missing_input_and_bibliography_are_noted(tmp_path: Path) -> None:
    main = tmp_path / "main.tex"
    main.write_text(document("\\input{nowhere} \\citep{smith2018}", "\\bibliography{absent}"), encoding="utf-8")
    report = citecheck.audit(main)
    assert any("nowhere" in n and "not found" in n for n in report.source.notes)
    assert any("absent" in n and "not found" in n for n in report.source.notes)
    assert [f.kind for f in report.findings] == ["no-reference-list"]
    assert "bibliography" in report.findings[0].message


# -- the checks keys make possible --------------------------------------------------------------------


def test_undefined_key_names_the_nearest(tmp_path: Path) -> None:
    report = citecheck.audit(write(tmp_path, document("Trade \\citep{smtih2018} and \\citep{lee2020, miller2019}.")))
    assert sorted(f.kind for f in report.findings) == ["missing-reference", "unused-entry"]  # smith2018 is not cited
    finding = report.findings[0]
    assert "'smtih2018'" in finding.message and "'smith2018'" in finding.message
    assert report.source.text[finding.span.start : finding.span.end] == "smtih2018"  # type: ignore[union-attr]
    assert report.source.position(finding.span.start) == (3, 14)  # type: ignore[union-attr]


def test_unused_entry_and_nocite(tmp_path: Path) -> None:
    report = citecheck.audit(write(tmp_path, document("Trade \\citep{smith2018}.")))
    unused = [f for f in report.findings if f.kind == "unused-entry"]
    assert sorted(report.references[f.reference].key for f in unused) == ["lee2020", "miller2019"]  # type: ignore[index,misc]
    assert all(f.severity.name == "NOTE" for f in unused)
    report = citecheck.audit(write(tmp_path, document("Trade \\citep{smith2018}.\\nocite{lee2020}")))
    assert [report.references[f.reference].key for f in report.findings] == ["miller2019"]  # type: ignore[index]
    report = citecheck.audit(write(tmp_path, document("Trade \\citep{smith2018}.\\nocite{*}")))
    assert report.findings == ()


def test_duplicate_keys(tmp_path: Path) -> None:
    again = "@article{Smith2018, author = {Smith, Jo}, title = {Other}, journal = {J}, year = {2018}}"
    bib = BIB + "\n" + again + "\n"
    report = citecheck.audit(write(tmp_path, document("\\citep{smith2018, lee2020, miller2019}"), bib=bib))
    [finding] = report.findings
    assert finding.kind == "duplicate-key" and "'Smith2018' is defined twice (as 'smith2018')" in finding.message
    assert finding.span is not None
    assert Path(report.source.file(finding.span.start) or "").name == "refs.bib"
    assert report.source.position(finding.span.start) == (bib.splitlines().index(again) + 1, 1)


def test_post_note_page_outside_the_entry(tmp_path: Path) -> None:
    body = (
        "In range \\citep[p.~15]{smith2018}; out \\citep[pp.~18--24]{smith2018};"
        " book \\citet[p.~400]{lee2020}; \\citep{miller2019}."
    )
    report = citecheck.audit(write(tmp_path, document(body)))
    [finding] = report.findings
    assert finding.kind == "page-out-of-range"
    assert "pages 18–24" in finding.message and "\\citep[pp.~18--24]{smith2018}" in finding.message


def test_same_author_and_year_in_a_bib_is_the_styles_job(tmp_path: Path) -> None:
    twin = "@article{smith2018b, author = {Smith, John}, title = {Another}, journal = {J}, year = {2018}}\n"
    report = citecheck.audit(write(tmp_path, document("\\citep{smith2018, smith2018b, lee2020, miller2019}"), bib=BIB + twin))
    assert report.findings == ()  # biblatex's extradate and natbib's styles add 2018a, 2018b
    clash = BIB.replace("year = {2018}", "year = {2018a}") + twin.replace("{2018}", "{2018a}")
    report = citecheck.audit(write(tmp_path, document("\\citep{smith2018, smith2018b, lee2020, miller2019}"), bib=clash))
    assert [f.kind for f in report.findings] == ["suffix-needed"]


def test_broken_bib_entry_is_a_finding_with_its_line(tmp_path: Path) -> None:
    broken = "@article{bad2000, author = {Bad, B.}, title = {Unclosed, journal = {J}, year = {2000}}\n"
    bib = BIB + "\n" + broken + "\n@misc{notitle2001, year = {2001}, title = {No author}}\n"
    report = citecheck.audit(write(tmp_path, document("\\citep{smith2018, lee2020, miller2019}"), bib=bib))
    unparsed = [f for f in report.findings if f.kind == "unparsed-reference"]
    assert len(unparsed) == 2
    lines = sorted(report.source.position(f.span.start)[0] for f in unparsed)  # type: ignore[union-attr]
    assert lines[0] == bib.splitlines().index(broken.strip()) + 1
    assert any("could not be parsed" in f.message for f in unparsed)
    assert any("'notitle2001' has no author" in f.message for f in unparsed)


def test_cli_reports_files_and_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main = write(tmp_path, document("Trade \\citep{smtih2018}.\\nocite{*}"))
    assert run(["audit", str(main)]) == 1
    out = capsys.readouterr().out
    assert f"{main}:3:14: CC101 missing-reference" in out
    assert run(["audit", "--format", "json", str(main)]) == 1
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["citations"][0]["file"] == str(main)
    assert report["citations"][0]["key"] == "smtih2018"
    assert report["references"][0]["file"].endswith("refs.bib") and report["references"][0]["start"] == 0
    assert [f["role"] for f in report["document"]["files"]] == ["manuscript", "bibliography"]


def test_thebibliography_is_the_reference_list(tmp_path: Path) -> None:
    tex = document(
        "Trade \\citep[p.~15]{smith2018}, books \\citet{lee2020} and \\citep{nobody2001}.\n"
        "\\begin{thebibliography}{9}\n"
        "\\bibitem[Smith(2018)]{smith2018} Smith, J. (2018). \\newblock Trade. \\newblock \\emph{J. Trade}, 12, 10--20.\n"
        "\\bibitem[Lee and Park(2020)]{lee2020}\nLee, A., \\& Park, B. (2020).\n\\newblock {\\em A book}. Press.\n"
        "\\bibitem{olsen2012} Olsen, G. (2012). Saltmarsh creation. Ecol. Eng., 40, 1--9.\n"
        "\\end{thebibliography}",
        bibliography="",
    )
    path = tmp_path / "items.tex"
    path.write_text(tex, encoding="utf-8")
    report = citecheck.audit(path)
    assert [(r.key, r.authors[0].family, r.year) for r in report.references] == [
        ("smith2018", "Smith", "2018"),
        ("lee2020", "Lee", "2020"),
        ("olsen2012", "Olsen", "2012"),
    ]
    olsen = tex[tex.index("\\bibitem{olsen2012}") : tex.index("\n\\end{thebibliography}")]
    assert kinds(report) == [("missing-reference", "nobody2001"), ("uncited-reference", olsen)]  # page 15 is in 10-20


def test_an_unreadable_input_is_noted_and_the_rest_audited(tmp_path: Path) -> None:
    (tmp_path / "figure.tex").write_bytes(b"%PDF-1.4 binary")
    report = citecheck.audit(write(tmp_path, document("\\input{figure}\nTrade \\citep{smith2018, lee2020, miller2019}.")))
    assert any("figure" in n and "not read" in n for n in report.source.notes)
    assert len(report.citations) == 3 and report.findings == ()


def test_from_latex_reads_any_extension(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    path = write(tmp_path, document("Trade \\citep{smith2018, lee2020, miller2019}."), name="paper.txt")
    assert run(["audit", "--format", "json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["citations"] == 0  # as text: no author-date citation
    assert run(["audit", "--from", "latex", "--format", "json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["citations"] == 3
