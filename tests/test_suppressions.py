"""Inline suppressions: "% citecheck: ignore[CC101] reason" (LaTeX, BibTeX) and "<!-- citecheck:
ignore CC101 -->" (Markdown) silence the findings on their line, or on the next when alone on theirs;
one that silences nothing is an unused-suppression note (CC110); the summary counts what was silenced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import SMITH_2018

from citecheck.model import Report, Span, make_source
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.report.data import summary, to_dict
from citecheck.report.text import render_text
from citecheck.rules import RULES, select_rules
from citecheck.suppressions import suppress

BIB = SMITH_2018

# Each line's finding, once the line is written alone: CC101 on the undefined key "nokey", CC105 on
# "smith2018" cited at a page outside 10-20.
MISSING = "\\citep{nokey}"
BOTH = "\\citep[p.~99]{smith2018} and \\citep{nokey}"
MD_MISSING = "Trade fell [@nokey]."
MD_BOTH = "Trade fell [@smith2018, p. 99; @nokey]."


def audit(path: Path, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Report:
    return audit_source(read_document(str(path)), select_rules(select, ignore))


def latex(directory: Path, body: str, bib: str = BIB, select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Report:
    """A LaTeX manuscript citing smith2018 (so that its entry is used) and then ``body``."""
    (directory / "refs.bib").write_text(bib, encoding="utf-8")
    path = directory / "main.tex"
    opening = "\\documentclass{article}\n\\begin{document}\nSee \\citet{smith2018}.\n"
    path.write_text(f"{opening}{body}\n\\bibliography{{refs}}\n\\end{{document}}\n", encoding="utf-8")
    return audit(path, select, ignore)


def markdown(directory: Path, body: str, name: str = "paper.md", ignore: tuple[str, ...] = ()) -> Report:
    """A Pandoc Markdown manuscript whose front matter names refs.bib, citing smith2018, then ``body``."""
    (directory / "refs.bib").write_text(BIB, encoding="utf-8")
    path = directory / name
    path.write_text(f"---\nbibliography: refs.bib\n---\n\nSee @smith2018.\n\n{body}\n", encoding="utf-8")
    return audit(path, ignore=ignore)


def left(report: Report) -> list[tuple[str, str]]:
    """The findings as (rule, the text it points at), in report order."""
    text = report.source.text
    return [(f.rule, text[f.span.start : f.span.end] if f.span else "") for f in report.findings]


def line_of(report: Report, rule: str) -> list[int]:
    return [report.source.position(f.span.start)[0] for f in report.findings if f.rule == rule and f.span]


# -- LaTeX ------------------------------------------------------------------------------------------

LATEX = [
    pytest.param(f"{MISSING} % citecheck: ignore[CC101]", [], 1, id="same-line"),
    pytest.param(f"% citecheck: ignore[CC101]\n{MISSING}", [], 1, id="alone-on-the-line-before"),
    pytest.param(f"  %% citecheck:ignore[CC101]\n{MISSING}", [], 1, id="indented-double-percent-no-space"),
    pytest.param(f"{BOTH} % citecheck: ignore[CC101,CC105]", [], 2, id="several-codes"),
    pytest.param(f"{BOTH} % citecheck: ignore[CC101, page-out-of-range]", [], 2, id="a-code-and-a-name"),
    pytest.param(f"% citecheck: ignore[missing-reference]\n{MISSING}", [], 1, id="a-name-instead-of-a-code"),
    pytest.param(f"{BOTH} % citecheck: ignore[CC1] both are known", [], 2, id="a-code-prefix"),
    pytest.param(f"{MISSING} % citecheck: ignore[cc101] the entry is in review, see #12", [], 1, id="a-reason-and-lower-case"),
    pytest.param(f"{BOTH} % citecheck: ignore", [], 2, id="no-list-silences-every-rule"),
    pytest.param(f"{BOTH} % citecheck: ignore[CC101]", [("CC105", "smith2018")], 1, id="another-rule-stays"),
    pytest.param(
        f"% citecheck: ignore[CC101]\n\nAnd {MISSING}.",
        [("CC110", "% citecheck: ignore[CC101]"), ("CC101", "nokey")],
        0,
        id="two-lines-before-does-not-silence",
    ),
    pytest.param(
        f"Text. % citecheck: ignore[CC101]\n{MISSING}",
        [("CC110", "% citecheck: ignore[CC101]"), ("CC101", "nokey")],
        0,
        id="after-text-on-the-line-before-does-not-silence",
    ),
    pytest.param(
        f"{MISSING}\n% citecheck: ignore[CC101]",
        [("CC101", "nokey"), ("CC110", "% citecheck: ignore[CC101]")],
        0,
        id="the-line-after-does-not-silence",
    ),
    pytest.param(f"Up 50\\% citecheck: ignore[CC101] {MISSING}", [("CC101", "nokey")], 0, id="escaped-percent-is-no-comment"),
    pytest.param(f"{MISSING} \\\\% citecheck: ignore[CC101]", [], 1, id="percent-after-a-line-break-is-a-comment"),
    pytest.param(
        f"\\verb|% citecheck: ignore[CC101]| {MISSING}", [("CC101", "nokey")], 0, id="percent-in-verbatim-is-no-comment"
    ),
    pytest.param(f"{MISSING} % see citecheck: ignore[CC101]", [("CC101", "nokey")], 0, id="directive-must-open-the-comment"),
    pytest.param(f"{MISSING} <!-- citecheck: ignore -->", [("CC101", "nokey")], 0, id="html-comment-is-text-in-latex"),
]


@pytest.mark.parametrize(("body", "expected", "suppressed"), LATEX)
def test_latex_suppressions(tmp_path: Path, body: str, expected: list[tuple[str, str]], suppressed: int) -> None:
    report = latex(tmp_path, body)
    assert left(report) == expected
    assert report.suppressed == suppressed


def test_without_suppression_each_table_line_has_its_findings(tmp_path: Path) -> None:
    # What the tables above silence is there to silence.
    assert left(latex(tmp_path, MISSING)) == [("CC101", "nokey")]
    assert left(latex(tmp_path, BOTH)) == [("CC105", "smith2018"), ("CC101", "nokey")]
    assert left(markdown(tmp_path, MD_MISSING)) == [("CC101", "@nokey")]
    assert left(markdown(tmp_path, MD_BOTH)) == [("CC105", "@smith2018"), ("CC101", "@nokey")]


def test_a_suppression_applies_in_its_own_file_only(tmp_path: Path) -> None:
    # main.tex's last line is a suppression alone on its line; the next line of the joined text is
    # the first line of the file it inputs, which it must not reach.
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    (tmp_path / "chapter.tex").write_text(f"{MISSING}\n", encoding="utf-8")
    main = tmp_path / "main.tex"
    main.write_text(
        "\\documentclass{article}\n\\begin{document}\n\\citet{smith2018}\n\\input{chapter}\n"
        "\\bibliography{refs}\n\\end{document}\n% citecheck: ignore[CC101]\n",
        encoding="utf-8",
    )
    report = audit(main)
    assert [(f.rule, report.source.file(f.span.start)) for f in report.findings if f.span] == [
        ("CC110", str(main)),
        ("CC101", str(tmp_path / "chapter.tex")),
    ]
    assert report.suppressed == 0


# -- BibTeX -----------------------------------------------------------------------------------------

ENTRIES = {
    "lee": "@book{lee2020,\n  author = {Lee, Ann},\n  title = {A book},\n  publisher = {Press},\n  year = {2020},\n}\n",
    "park": "@book{park2021,\n  author = {Park, Bo},\n  title = {Another},\n  publisher = {Press},\n  year = {2021},\n}\n",
}


@pytest.mark.parametrize(
    ("before_lee", "unused", "notes"),
    [
        pytest.param("% citecheck: ignore[CC206] kept for the appendix\n", ["park2021"], 0, id="silences-that-entry-only"),
        pytest.param("% kept for the appendix\n% citecheck: ignore[unused-entry]\n", ["park2021"], 0, id="among-comment-lines"),
        pytest.param("% citecheck: ignore[CC206]\n\n", ["lee2020", "park2021"], 1, id="blank-line-before-the-entry"),
        pytest.param("% citecheck: ignore[CC207]\n", ["lee2020", "park2021"], 1, id="another-rule"),
    ],
)
def test_bibtex_comment_before_an_entry(tmp_path: Path, before_lee: str, unused: list[str], notes: int) -> None:
    report = latex(tmp_path, "", bib=BIB + "\n" + before_lee + ENTRIES["lee"] + "\n" + ENTRIES["park"])
    assert [report.references[f.reference].key for f in report.findings if f.rule == "CC206"] == unused  # type: ignore[index]
    cc110 = [f for f in report.findings if f.rule == "CC110"]
    assert len(cc110) == notes
    assert all(report.source.file(f.span.start) == str(tmp_path / "refs.bib") for f in cc110)  # type: ignore[union-attr]
    assert report.suppressed == 2 - len(unused)


def test_a_bibtex_suppression_before_no_entry_says_where_it_belongs(tmp_path: Path) -> None:
    report = latex(tmp_path, "", bib=BIB + "\n% citecheck: ignore[CC206]\n")
    (note,) = [f for f in report.findings if f.rule == "CC110"]
    assert "stands before no entry" in note.message


# -- Markdown ---------------------------------------------------------------------------------------

MARKDOWN = [
    pytest.param(f"{MD_MISSING} <!-- citecheck: ignore CC101 -->", [], 1, id="same-line-bare-code"),
    pytest.param(f"{MD_MISSING} <!-- citecheck: ignore[CC101] -->", [], 1, id="same-line-bracketed"),
    pytest.param(f"<!-- citecheck: ignore[CC101] -->\n{MD_MISSING}", [], 1, id="alone-on-the-line-before"),
    pytest.param(f"<!--\n  citecheck: ignore CC101 over\n  two lines -->\n{MD_MISSING}", [], 1, id="a-comment-of-several-lines"),
    pytest.param(f"{MD_BOTH} <!-- citecheck: ignore CC101,CC105 -->", [], 2, id="several-codes"),
    pytest.param(f"<!-- citecheck: ignore missing-reference -->\n{MD_MISSING}", [], 1, id="a-name-instead-of-a-code"),
    pytest.param(f"{MD_BOTH} <!-- citecheck: ignore[CC1] -->", [], 2, id="a-code-prefix"),
    pytest.param(f"{MD_MISSING} <!-- citecheck: ignore CC101 the entry is pending -->", [], 1, id="a-reason"),
    pytest.param(f"{MD_BOTH} <!-- citecheck: ignore because both are known -->", [], 2, id="a-reason-and-no-list"),
    pytest.param(f"{MD_BOTH} <!-- citecheck: ignore CC101 -->", [("CC105", "@smith2018")], 1, id="another-rule-stays"),
    pytest.param(
        f"<!-- citecheck: ignore CC101 -->\n\n{MD_MISSING}",
        [("CC110", "<!-- citecheck: ignore CC101 -->"), ("CC101", "@nokey")],
        0,
        id="two-lines-before-does-not-silence",
    ),
    pytest.param(
        f"Intro. <!-- citecheck: ignore CC101 -->\n{MD_MISSING}",
        [("CC110", "<!-- citecheck: ignore CC101 -->"), ("CC101", "@nokey")],
        0,
        id="after-text-on-the-line-before-does-not-silence",
    ),
    pytest.param(f"```\n<!-- citecheck: ignore CC101 -->\n```\n{MD_MISSING}", [("CC101", "@nokey")], 0, id="in-a-code-fence"),
    pytest.param(f"`<!-- citecheck: ignore -->` {MD_MISSING}", [("CC101", "@nokey")], 0, id="in-inline-code"),
    pytest.param(f"{MD_MISSING} % citecheck: ignore[CC101]", [("CC101", "@nokey")], 0, id="percent-is-text-in-markdown"),
]


@pytest.mark.parametrize(("body", "expected", "suppressed"), MARKDOWN)
def test_markdown_suppressions(tmp_path: Path, body: str, expected: list[tuple[str, str]], suppressed: int) -> None:
    report = markdown(tmp_path, body)
    assert left(report) == expected
    assert report.suppressed == suppressed


AUTHOR_DATE = "Trade grew (Smith, 2018) and fell (Jones, 2020).{after}\n\nReferences\n\nSmith, J. (2018). Trade. J, 1, 1-2.\n"


@pytest.mark.parametrize(
    ("name", "fmt", "silenced"),
    [
        pytest.param("paper.qmd", None, True, id="quarto-is-markdown"),
        pytest.param("paper.Rmd", None, True, id="r-markdown-is-markdown"),
        pytest.param("paper.txt", None, False, id="plain-text-has-no-comments"),
        pytest.param("paper.md", "text", False, id="markdown-read-as-text-has-no-comments"),
    ],
)
def test_comment_syntax_follows_the_format(tmp_path: Path, name: str, fmt: str | None, silenced: bool) -> None:
    path = tmp_path / name
    path.write_text(AUTHOR_DATE.format(after=" <!-- citecheck: ignore CC101 -->"), encoding="utf-8")
    report = audit_source(read_document(str(path), fmt))
    assert [f.rule for f in report.findings] == ([] if silenced else ["CC101"])
    assert report.suppressed == int(silenced)


def test_a_bibliography_verified_alone_reads_its_bibtex_comments() -> None:
    # verify_bibliography audits a .bib file alone: a registry finding on an entry is silenced too.
    text = "% citecheck: ignore[reference-not-found] a report, in no registry\n" + ENTRIES["lee"] + "\n" + ENTRIES["park"]
    source = make_source(text, "refs.bib")
    cc301 = RULES["CC301"]
    found = [cc301.finding("not found", span=Span(text.index(f"@book{{{key}"), len(text))) for key in ("lee2020", "park2021")]
    assert suppress(source, found, None, verified=True) == (found[1:], 1)


# -- unused suppressions ----------------------------------------------------------------------------


def test_an_unused_suppression_is_one_note_on_the_comment_line(tmp_path: Path) -> None:
    report = markdown(tmp_path, "Intro.\n\n<!-- citecheck: ignore[CC101] -->\nAll is cited here.")
    (note,) = [f for f in report.findings]
    assert (note.rule, note.kind, str(note.severity)) == ("CC110", "unused-suppression", "note")
    assert line_of(report, "CC110") == [9]  # front matter (3), a blank, "See", a blank, "Intro.", a blank
    assert note.message == "'citecheck: ignore[CC101]' silences nothing here: no CC101 finding on this line or the next."
    assert note.suggestion == "Remove the comment, or correct the rule code."


@pytest.mark.parametrize(
    ("comment", "rules", "needle"),
    [
        pytest.param("% citecheck: ignore[CC999]", ["CC110", "CC101"], "names an unknown rule 'CC999'", id="unknown-code"),
        pytest.param(
            "% citecheck: ignore[missing-referense]",
            ["CC110", "CC101"],
            "names an unknown rule 'missing-referense'",
            id="unknown-name",
        ),
        # the code that is right still silences
        pytest.param("% citecheck: ignore[CC101,CC9]", ["CC110"], "names an unknown rule 'CC9' (", id="one-of-two-unknown"),
        pytest.param(
            "% citecheck: ignore[CC101,CC105]", ["CC110"], "silences nothing for CC105 here: no CC105", id="one-of-two-unused"
        ),
    ],
)
def test_a_suppression_that_names_a_wrong_code_is_a_note(tmp_path: Path, comment: str, rules: list[str], needle: str) -> None:
    report = latex(tmp_path, f"{comment}\n{MISSING}")
    assert [f.rule for f in report.findings] == rules
    assert needle in report.findings[0].message
    assert report.suppressed == 2 - len(rules)


@pytest.mark.parametrize(
    ("comment", "select"),
    [
        pytest.param("% citecheck: ignore[CC306] retracted, discussed in the text", (), id="a-verify-rule-without-verify"),
        pytest.param("% citecheck: ignore[uncited-reference]", ("CC1",), id="a-rule-not-selected"),
    ],
)
def test_a_rule_that_did_not_run_is_no_unused_suppression(tmp_path: Path, comment: str, select: tuple[str, ...]) -> None:
    assert left(latex(tmp_path, f"{comment}\nNothing cited here.", select=select)) == []
    # The same comment naming a rule that ran and found nothing there is a note.
    report = latex(tmp_path, "% citecheck: ignore[CC101]\nNothing cited here.", select=select)
    assert [f.rule for f in report.findings] == ["CC110"]


@pytest.mark.parametrize("ignore", [("CC110",), ("unused-suppression",), ("CC11",)])
def test_ignoring_cc110_turns_the_notes_off_and_still_suppresses(tmp_path: Path, ignore: tuple[str, ...]) -> None:
    body = f"% citecheck: ignore[CC999]\nIntro.\n{MISSING} % citecheck: ignore[CC101]\n% citecheck: ignore[CC102]"
    assert [f.rule for f in latex(tmp_path, body).findings] == ["CC110", "CC110"]
    report = latex(tmp_path, body, ignore=ignore)
    assert report.findings == ()
    assert report.suppressed == 1


def test_cc110_is_a_registered_rule_whose_check_finds_nothing() -> None:
    cc110 = RULES["CC110"]
    assert (cc110.name, str(cc110.severity)) == ("unused-suppression", "note")
    assert list(cc110.check(None, cc110)) == []  # type: ignore[arg-type]  (the suppression stage writes the notes)
    assert [r.code for r in select_rules(["unused-suppression"])] == ["CC110"]


# -- the summary ------------------------------------------------------------------------------------


def test_the_summary_counts_what_was_suppressed(tmp_path: Path) -> None:
    report = latex(tmp_path, f"{BOTH} % citecheck: ignore")
    assert summary(report)["suppressed"] == 2
    assert json.loads(json.dumps(to_dict(report)))["summary"]["suppressed"] == 2
    assert render_text([report]).rstrip().endswith("0 errors, 0 warnings (2 suppressed)")


@pytest.mark.parametrize(
    "body",
    [pytest.param(MISSING, id="no-suppression"), pytest.param(f"% citecheck: ignore[CC105]\n{MISSING}", id="unused-suppression")],
)
def test_the_summary_has_no_suppressed_key_when_nothing_was(tmp_path: Path, body: str) -> None:
    report = latex(tmp_path, body)
    assert report.suppressed == 0
    assert list(summary(report)) == ["citations", "references", "errors", "warnings", "notes"]
    assert "suppressed" not in render_text([report])


# -- many of them -----------------------------------------------------------------------------------


def test_ten_thousand_suppressions_finish_and_stay_correct() -> None:
    # Each comment line before an entry is not walked again for the next; each finding looks at
    # the suppressions of its own place only.
    bib = "% citecheck: ignore[CC206]\n" * 10_000 + ENTRIES["lee"]
    found = [RULES["CC206"].finding("unused", span=Span(bib.index("@book"), len(bib)))]
    kept, silenced = suppress(make_source(bib, "refs.bib"), found, select_rules(ignore=["CC110"]), verified=False)
    assert (kept, silenced) == ([], 1)
    line = f"{MISSING} % citecheck: ignore[CC101]\n"
    tex = line * 10_000
    found = [RULES["CC101"].finding("missing", span=Span(n * len(line) + 7, n * len(line) + 12)) for n in range(10_000)]
    kept, silenced = suppress(make_source(tex, "main.tex", format="latex"), found, None, verified=False)
    assert (kept, silenced) == ([], 10_000)
