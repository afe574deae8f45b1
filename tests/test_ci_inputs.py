"""The inputs CI sees (issue 12, section 6): Quarto and R Markdown read as Pandoc Markdown, their code
chunks not read; the ``references:`` of a YAML front matter read as a bibliography (CSL YAML), and
refused with a note when they cannot be; a LaTeX chapter audited alone found its root."""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import pytest
from conftest import SMITH_2018, TRADE_BIB

import citecheck
from citecheck.bibliography import cslyaml, detect_format, parse_bibliography
from citecheck.bibliography.csljson import parse_csl_json
from citecheck.model import Report, Span
from citecheck.pipeline import audit_source
from citecheck.readers import read_document, sniff

BIB = TRADE_BIB

BODY = """\
Trade fell [see @smith2018, p. 12; @lee2020]. @lee2020 [p. 44] disagree, and [@ghost1999] is not listed.
"""


def findings(report: Report) -> list[tuple[str, str, int, int]]:
    """(kind, file name, line, column) of each finding, sorted."""
    out = []
    for f in report.findings:
        assert f.span is not None
        line, column = report.source.position(f.span.start)
        out.append((f.kind, os.path.basename(report.source.file(f.span.start) or ""), line, column))
    return sorted(out)


def keyed(report: Report) -> list[str | None]:
    return [c.key for c in report.citations]


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# -- Quarto and R Markdown --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["paper.qmd", "paper.Rmd", "paper.rmd"])
def test_quarto_and_r_markdown_read_as_markdown(tmp_path: Path, name: str) -> None:
    write(tmp_path, "refs.bib", BIB)
    text = "---\ntitle: A paper\nbibliography: refs.bib\n---\n\n" + BODY
    md = citecheck.audit(write(tmp_path, "paper.md", text))
    other = citecheck.audit(write(tmp_path, name, text))
    assert sniff(str(tmp_path / name)) == "markdown"
    assert other.source.format == "markdown"
    assert keyed(other) == keyed(md) == ["smith2018", "lee2020", "lee2020", "ghost1999"]
    assert [(k, line, col) for k, _, line, col in findings(other)] == [(k, line, col) for k, _, line, col in findings(md)]
    assert {k for k, *_ in findings(other)} == {"missing-reference", "page-out-of-range"}


CHUNKS = [
    pytest.param("```{r}\nx <- '[@notakey] (Smith, 2019)'\n```\n", id="r-chunk"),
    pytest.param("```{r setup, include=FALSE}\n# (Smith, 2019) [@notakey]\n```\n", id="r-chunk-with-options"),
    pytest.param("```{python}\n#| label: fig-a\nprint('(Smith, 2019) @notakey')\n```\n", id="quarto-python-chunk"),
    pytest.param("````{r}\n```\n(Smith, 2019) [@notakey]\n````\n", id="longer-fence-holding-a-shorter-one"),
    pytest.param("~~~{.r}\n(Smith, 2019) [@notakey]\n~~~\n", id="tilde-fence-with-a-class"),
    pytest.param("Inline `r cite('(Smith, 2019) [@notakey]')` code.\n", id="inline-r-code"),
]


@pytest.mark.parametrize("chunk", CHUNKS)
@pytest.mark.parametrize("name", ["paper.Rmd", "paper.qmd"])
def test_code_chunks_are_code(tmp_path: Path, name: str, chunk: str) -> None:
    reference = "\n# References\n\nSmith, J. (2019). A work. Journal, 1, 1-2.\n"
    text = "---\ntitle: A paper\n---\n\nProse first.\n\n" + chunk + "\nProse after.\n" + reference
    report = citecheck.audit(write(tmp_path, name, text))
    assert report.citations == ()
    # The same text outside a chunk is cited: the test could fail.
    cited = citecheck.audit(write(tmp_path, "control.md", text.replace(chunk, "(Smith, 2019) [@notakey]\n")))
    assert {c.key for c in cited.citations} == {None, "notakey"}


# -- Inline references: CSL YAML in the front matter ------------------------------------------------

REFERENCES = """\
references:
- id: smith2018
  type: article-journal
  author:
    - family: Smith
      given: John
  issued:
    date-parts: [[2018]]
  title: Trade and tariffs
  container-title: Journal of Trade
  page: 10-20
  DOI: 10.1000/trade.2018
- id: lee2020
  type: article-journal
  author: [{family: Lee, given: Ann}, {family: Park, given: Bo}]
  issued: 2020
  title: Ports
  page: 1-30
- id: olsen2012
  author:
    - family: Olsen
      given: Greta
  issued: 2012
  title: Unused
"""

CSL_JSON = [
    {"id": "smith2018", "type": "article-journal", "author": [{"family": "Smith", "given": "John"}], "issued": {"date-parts": [[2018]]}, "title": "Trade and tariffs", "container-title": "Journal of Trade", "page": "10-20", "DOI": "10.1000/trade.2018"},  # noqa: E501
    {"id": "lee2020", "type": "article-journal", "author": [{"family": "Lee", "given": "Ann"}, {"family": "Park", "given": "Bo"}], "issued": 2020, "title": "Ports", "page": "1-30"},  # noqa: E501
    {"id": "olsen2012", "author": [{"family": "Olsen", "given": "Greta"}], "issued": 2012, "title": "Unused"},
]  # fmt: skip


def inline(tmp_path: Path, front: str = REFERENCES, body: str = BODY, name: str = "paper.md") -> Report:
    return audit_source(read_document(str(write(tmp_path, name, f"---\ntitle: A paper\n{front}---\n\n{body}"))))


@pytest.mark.parametrize("name", ["paper.md", "paper.qmd", "paper.Rmd"])
def test_inline_references_link_and_the_unused_one_is_reported(tmp_path: Path, name: str) -> None:
    report = inline(tmp_path, name=name)
    assert report.source.notes == ()
    by_key = {r.key: r for r in report.references}
    assert set(by_key) == {"smith2018", "lee2020", "olsen2012"}
    assert all(r.origin == "bibliography" for r in report.references)
    cited = {
        c.key: report.references[link.reference].key
        for c, link in zip(report.citations, report.links, strict=True)
        if link.reference is not None
    }
    assert cited == {"smith2018": "smith2018", "lee2020": "lee2020"}
    # olsen2012 unused, as a .bib entry would be; lee2020's p. 44 is outside 1-30; ghost1999 is listed nowhere.
    # Each finding names the manuscript and the place: the unused entry its "id:" line in the front matter.
    assert findings(report) == [
        ("missing-reference", name, 29, 79),
        ("page-out-of-range", name, 29, 47),
        ("unused-entry", name, 21, 3),
    ]
    olsen = by_key["olsen2012"]
    assert report.source.text[olsen.span.start : olsen.span.end].startswith("id: olsen2012\n  author:")
    assert report.source.text[olsen.span.start : olsen.span.end].endswith("title: Unused")


def test_inline_references_are_the_records_csl_json_gives(tmp_path: Path) -> None:
    report = inline(tmp_path)
    from_json = parse_csl_json(json.dumps(CSL_JSON))
    # The same records but for where each stands and which file it came from.
    assert [dataclasses.replace(r, span=Span(0, 0), origin="") for r in report.references] == [
        dataclasses.replace(r, span=Span(0, 0), origin="") for r in from_json
    ]
    smith = report.references[0]
    assert (smith.year, smith.doi, smith.container, smith.pages.first if smith.pages else None) == (
        "2018",
        "10.1000/trade.2018",
        "Journal of Trade",
        "10",
    )


@pytest.mark.parametrize(
    ("issued", "year"),
    [
        ("issued: 2018", "2018"),
        ("issued:\n    date-parts: [[2018, 5, 1]]", "2018"),
        ("issued: {date-parts: [['2018']]}", "2018"),
        ("issued: 2018-05-01", "2018"),  # a date, read as text as CSL reads it
        ("issued: '2018a'", "2018"),
        ("issued: {raw: May 2018}", "2018"),
        ("issued: {literal: in press}", "in press"),
        ("title: no date", None),
    ],
)
def test_issued_as_a_year_and_as_date_parts(tmp_path: Path, issued: str, year: str | None) -> None:
    front = f"references:\n- id: smith2018\n  author: [{{family: Smith}}]\n  {issued}\n"
    [ref] = inline(tmp_path, front, "Text [@smith2018].\n").references
    assert ref.year == year


def test_plain_scalars_are_text_as_pandoc_reads_them(tmp_path: Path) -> None:
    # YAML 1.1 would read "012" as octal 10, "1:30" as 90, "No" as false and "2020" as a number.
    front = "references:\n- id: 2020\n  author: [{family: Norman, given: No}]\n  issued: 2020\n  volume: 1:30\n  page: 012\n"
    [ref] = inline(tmp_path, front, "Text [@2020].\n").references
    assert (ref.key, ref.authors[0].initials, ref.volume, ref.pages.first if ref.pages else None) == ("2020", "N", "1:30", "012")


def test_an_anchor_used_twice_is_read(tmp_path: Path) -> None:
    front = "me: &me {family: Smith, given: John}\nreferences:\n- id: a2018\n  author: [*me]\n  issued: 2018\n- id: b2019\n  author: [*me]\n  issued: 2019\n"  # noqa: E501
    report = inline(tmp_path, front, "Text [@a2018; @b2019].\n")
    assert [(r.key, r.authors[0].family) for r in report.references] == [("a2018", "Smith"), ("b2019", "Smith")]
    assert report.findings == ()


def test_inline_references_come_with_a_bibliography_file(tmp_path: Path) -> None:
    write(tmp_path, "refs.bib", BIB.replace("smith2018", "smith2018x"))
    front = "bibliography: refs.bib\nreferences:\n- id: olsen2012\n  author: [{family: Olsen}]\n  issued: 2012\n"
    report = inline(tmp_path, front, "Text [@olsen2012; @smith2018x; @lee2020].\n")
    assert [r.key for r in report.references] == ["olsen2012", "smith2018x", "lee2020"]  # the front matter's first, as Pandoc
    assert [p.role for p in report.source.parts] == ["manuscript", "bibliography", "bibliography"]
    assert report.findings == ()


def test_a_front_matter_without_references_is_read_as_before(tmp_path: Path) -> None:
    # "references" in a title is no key; the YAML is valid, so nothing is noted and no part is added.
    report = inline(tmp_path, "abstract: We list our references below.\n", "Text.\n")
    assert report.source.parts == () and report.source.notes == ()


def note(report: Report) -> str:
    [only] = report.source.notes
    return only


@pytest.mark.parametrize(
    ("front", "says"),
    [
        pytest.param("references: [\n  {id: a, title: unclosed\n", "not valid YAML", id="malformed-flow"),
        pytest.param("references:\n- id: a\n title: bad indent\n", "not valid YAML", id="malformed-indent"),
        pytest.param("references:\n  - id: a\n\tissued: 2018\n", "not valid YAML", id="a-tab"),
        pytest.param("references: Smith (2018)\n", "'references' (line 3) is a string, not a list", id="a-string"),
        pytest.param("references: {id: a}\n", "is a mapping, not a list", id="a-mapping"),
        pytest.param("references:\n- smith2018\n", "item 1 of 'references' (line 4) is a string", id="an-item-a-string"),
        pytest.param(
            "references: !!python/object/apply:os.system [ls]\n", "not valid YAML: could not determine", id="a-python-tag"
        ),
        pytest.param("references: [{id: a, issued: !!timestamp 2018-02-30}]\n", "not valid YAML", id="a-bad-timestamp"),
        pytest.param("references: &r [*r]\n", "recursive", id="a-recursive-alias"),
        pytest.param("references: " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply", id="3000-nested-lists"),
    ],
)
def test_references_that_cannot_be_read_are_a_note(tmp_path: Path, front: str, says: str) -> None:
    report = inline(tmp_path, front, "Text [@a] and (Smith, 2018).\n")
    assert says in note(report)
    assert note(report).startswith(f"{tmp_path / 'paper.md'}: the references of the front matter were not read: ")
    assert "\n" not in note(report)
    assert report.source.parts == ()
    assert [c.key for c in report.citations] == ["a", None]  # the audit goes on: [@a] and (Smith, 2018)
    assert {f.kind for f in report.findings} == {"no-reference-list"}


def test_an_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    # Nine levels of nine aliases: 9**9 (387 million) nodes once expanded, from 400 bytes.
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 9):
        name, below = chr(ord("a") + n), chr(ord("a") + n - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{below}"] * 9) + "]")
    front = "\n".join(levels) + "\nreferences:\n- id: x\n  title: *i\n"
    started = time.perf_counter()
    report = inline(tmp_path, front, "Text [@x].\n")
    assert time.perf_counter() - started < 2
    assert f"more than {cslyaml.MAX_NODES:,} nodes" in note(report)
    assert report.source.parts == ()


def test_a_front_matter_over_a_mebibyte_is_refused_before_parsing(tmp_path: Path) -> None:
    front = "references:\n- id: x\n  title: " + "x" * cslyaml.MAX_YAML_BYTES + "\n"
    report = inline(tmp_path, front, "Text [@x].\n")
    assert "larger than 1 MiB" in note(report)


def test_many_nodes_without_aliases_are_refused(tmp_path: Path) -> None:
    front = "references:\n" + "".join(f"- {{id: k{i}, title: t}}\n" for i in range(cslyaml.MAX_NODES // 5 + 1))
    report = inline(tmp_path, front, "Text [@k1].\n")
    assert f"more than {cslyaml.MAX_NODES:,} nodes" in note(report)


def test_the_pure_python_parser_reads_as_libyaml_does(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\ntitle: Ünïcode first\n" + REFERENCES + "---\n"
    with_c = [(r.key, r.span) for r in cslyaml.parse_csl_yaml(text)]
    import yaml

    cslyaml._loader.cache_clear()
    cslyaml._parse.cache_clear()
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    try:
        without = [(r.key, r.span) for r in cslyaml.parse_csl_yaml(text)]
    finally:
        cslyaml._loader.cache_clear()
        cslyaml._parse.cache_clear()
    assert without == with_c
    assert [text[s.start : s.start + len(f"id: {k}")] for k, s in without] == [f"id: {k}" for k, _ in without]


def test_a_yaml_bibliography_file(tmp_path: Path) -> None:
    # Pandoc reads CSL YAML bibliography files too: "bibliography: refs.yaml".
    write(tmp_path, "refs.yaml", "---\n" + REFERENCES + "...\n")
    report = inline(tmp_path, "bibliography: refs.yaml\n")
    assert [r.key for r in report.references] == ["smith2018", "lee2020", "olsen2012"]
    assert ("unused-entry", "refs.yaml", 20, 3) in findings(report)
    assert detect_format("---\nreferences: []\n", ".txt") == "csl-yaml"
    assert detect_format("@article{a,\n}\n", ".yaml") == "bibtex"  # the content decides when it disagrees
    with pytest.raises(citecheck.InputError, match=r"refs\.yaml: 'references' \(line 1\) is a string"):
        parse_bibliography("references: none\n", "refs.yaml")


# -- A LaTeX chapter audited alone ------------------------------------------------------------------

LATEX_BIB = (
    SMITH_2018
    + """
@article{olsen2012,
  author = {Olsen, Greta},
  title = {Unused},
  journal = {Letters},
  year = {2012},
}
"""
)

CHAPTER = "\\section{Trade}\nTrade fell \\citep[p.~99]{smith2018}, as \\citet{ghost1999} saw.\n"


def root_tex(inputs: str, command: str = "input") -> str:
    body = f"\\{command}{{{inputs}}}\n\\bibliography{{refs}}\n"
    return "\\documentclass{article}\n\\begin{document}\n" + body + "\\end{document}\n"


def latex(tmp_path: Path, files: dict[str, str], audited: str) -> Report:
    write(tmp_path, "refs.bib", LATEX_BIB)
    for name, text in files.items():
        write(tmp_path, name, text)
    old = os.getcwd()
    os.chdir(tmp_path)  # paths as a CI job gives them, relative to the repository
    try:
        return citecheck.audit(audited)
    finally:
        os.chdir(old)


THROUGH_ROOT = [
    ("page-out-of-range", "ch1.tex", 2, 26),
    ("missing-reference", "ch1.tex", 2, 48),
    ("unused-entry", "refs.bib", 9, 1),
]


@pytest.mark.parametrize(
    ("files", "audited", "root", "how"),
    [
        pytest.param(
            {"main.tex": root_tex("chapters/ch1"), "chapters/ch1.tex": "% !TEX root = ../main.tex\n" + CHAPTER},
            "chapters/ch1.tex",
            "main.tex",
            "which its '% !TEX root' comment names",
            id="tex-root-in-the-parent-folder",
        ),
        pytest.param(
            {"main.tex": root_tex("ch1"), "ch1.tex": "%!TeX root=main\n" + CHAPTER},
            "ch1.tex",
            "main.tex",
            "which its '% !TEX root' comment names",
            id="tex-root-without-extension-nor-spaces",
        ),
        pytest.param(
            {
                "a/b/main.tex": root_tex("c/ch1"),
                "a/b/refs.bib": LATEX_BIB,
                "a/b/c/ch1.tex": "% !TEX root = ../main.tex\n" + CHAPTER,
            },
            "a/b/c/ch1.tex",
            "a/b/main.tex",
            "which its '% !TEX root' comment names",
            id="tex-root-in-subfolders",
        ),
        pytest.param(
            {"thesis.tex": root_tex("ch1.tex", "include"), "ch1.tex": CHAPTER, "other.tex": root_tex("ch2")},
            "ch1.tex",
            "thesis.tex",
            "which inputs it",
            id="sibling-includes-it-with-extension",
        ),
        pytest.param(
            {"a-part.tex": "\\input{ch1}\n", "main.tex": root_tex("ch1"), "ch1.tex": CHAPTER},
            "ch1.tex",
            "main.tex",
            "which inputs it",
            id="the-sibling-that-is-a-document-first",
        ),
    ],
)
def test_a_chapter_is_audited_through_its_root(tmp_path: Path, files: dict[str, str], audited: str, root: str, how: str) -> None:
    report = latex(tmp_path, files, audited)
    assert report.source.notes == (f"{audited} was audited through its root {root}, {how}",)
    assert report.source.path == root
    shift = 1 if files[audited].startswith("%") else 0  # the comment's line comes before the chapter's
    assert findings(report) == sorted(
        (kind, name, line + (shift if name == "ch1.tex" else 0), col) for kind, name, line, col in THROUGH_ROOT
    )
    assert report.source.file(report.findings[0].span.start) == audited  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("files", "notes"),
    [
        pytest.param({"ch1.tex": CHAPTER}, (), id="no-root"),
        pytest.param({"ch1.tex": CHAPTER, "main.tex": root_tex("ch2")}, (), id="a-sibling-that-inputs-another-file"),
        pytest.param({"ch1.tex": CHAPTER, "main.tex": "% \\input{ch1}\n" + root_tex("ch2")}, (), id="an-input-commented-out"),
        pytest.param({"ch1.tex": CHAPTER, "../main.tex": root_tex("x/ch1")}, (), id="a-root-in-the-parent-without-comment"),
        pytest.param({"ch1.tex": "% !TEX root = ch1.tex\n" + CHAPTER}, (), id="names-itself"),
        pytest.param(
            {"ch1.tex": "% !TEX root = main.tex\n" + CHAPTER},
            ("ch1.tex:1: the '% !TEX root' comment names 'main.tex', a file that was not found; it was not followed",),
            id="tex-root-not-found",
        ),
        pytest.param(
            {"ch1.tex": "% !TEX root = ../other/main.tex\n" + CHAPTER, "../other/main.tex": root_tex("../x/ch1")},
            (
                "ch1.tex:1: the '% !TEX root' comment names '../other/main.tex', a file outside the chapter's folder "
                "and the 3 folders above it; it was not followed",
            ),
            id="tex-root-in-a-sibling-folder",
        ),
        pytest.param(
            {"ch1.tex": "% !TEX root = refs.bib\n" + CHAPTER},
            ("ch1.tex:1: the '% !TEX root' comment names 'refs.bib', a file that is not a .tex file; it was not followed",),
            id="tex-root-not-a-tex-file",
        ),
        pytest.param(
            {"ch1.tex": "% !TEX root = ../main.tex\n" + CHAPTER, "../main.tex": root_tex("x/other")},
            ("ch1.tex: its root ../main.tex does not input it; it was audited alone",),
            id="tex-root-that-does-not-input-it",
        ),
    ],
)
def test_a_chapter_whose_root_is_not_found_is_audited_alone(
    tmp_path: Path, files: dict[str, str], notes: tuple[str, ...]
) -> None:
    (tmp_path / "x").mkdir()
    report = latex(tmp_path / "x", files, "ch1.tex")
    assert report.source.path == "ch1.tex"
    assert report.source.notes == notes
    assert [p.path for p in report.source.parts] == ["ch1.tex"]
    assert {f.kind for f in report.findings} == {"no-reference-list"}
    assert [c.key for c in report.citations] == ["smith2018", "ghost1999"]


def test_a_document_is_never_replaced_by_another(tmp_path: Path) -> None:
    # main.tex has \documentclass: the sibling that inputs it (a wrapper) is not looked for.
    files = {"main.tex": root_tex("ch1"), "ch1.tex": CHAPTER, "wrapper.tex": "\\input{main}\n"}
    report = latex(tmp_path, files, "main.tex")
    assert report.source.notes == ()
    assert [p.path for p in report.source.parts] == ["main.tex", "ch1.tex", "refs.bib"]


def test_the_cli_names_the_root_in_the_report(tmp_path: Path) -> None:
    from citecheck.cli import run

    write(tmp_path, "refs.bib", LATEX_BIB)
    write(tmp_path, "main.tex", root_tex("ch1"))
    chapter = write(tmp_path, "ch1.tex", CHAPTER)
    out = tmp_path / "report.json"
    assert run(["audit", "--format", "json", "--fail-on", "never", "-o", str(out), str(chapter)]) == 0
    document = json.loads(out.read_text(encoding="utf-8"))["document"]
    assert document["notes"] == [f"{chapter} was audited through its root {tmp_path / 'main.tex'}, which inputs it"]
    assert [f["path"] for f in document["files"]] == [str(tmp_path / "main.tex"), str(chapter), str(tmp_path / "refs.bib")]
