"""One synthetic manuscript written out in every input format citecheck reads.

The manuscript is data: paragraphs of text and citations, and the works they cite. ``render`` writes
it as plain text with an author-date reference list, as a two-column PDF with running headers, as a
DOCX, as LaTeX (natbib) with a .bib file, and as Pandoc Markdown with a .bib or CSL-JSON file. Its
defects are the ones every format can carry:

- ``pereira2013`` is cited but not in the bibliography (missing-reference);
- ``olsen2012`` is in the bibliography but never cited (uncited-reference; unused-entry for keys);
- ``castillo2017`` is cited at page 40, outside its pages 12-25 (page-out-of-range).

Everything else is cited correctly: one-, two- and three-author works, narrative and parenthetical
citations, several works in one bracket, pre-notes and page locators within range.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import docx
import make_pdf


@dataclass(frozen=True)
class Work:
    key: str
    authors: tuple[tuple[str, str], ...]  # (family, given)
    year: int
    title: str
    journal: str
    volume: int
    pages: tuple[int, int]


@dataclass(frozen=True)
class Cite:
    keys: tuple[str, ...]
    narrative: bool = False
    prefix: str = ""
    page: int | None = None  # a page locator, for a single key


WORKS = {
    w.key: w
    for w in [
        Work("adams2019", (("Adams", "Paul"), ("Okafor", "Nia")), 2019, "Tidal restoration", "Estuarine Ecology", 41, (101, 118)),
        Work("bergstrom2015", (("Bergstrom", "Lena"), ("Moreau", "Claire"), ("Patel", "Ravi")), 2015, "Slow starts", "Coasts", 43,
             (205, 222)),
        Work("castillo2017", (("Castillo", "Marta"),), 2017, "Sediment budgets", "Marine Geology", 390, (12, 25)),
        Work("nguyen2018", (("Nguyen", "Hoa"),), 2018, "Accretion at twelve sites", "Estuaries", 41, (1300, 1315)),
        Work("halvorsen2016", (("Halvorsen", "Kari"),), 2016, "Warm-site vegetation", "Plant Ecology", 216, (611, 625)),
        Work("jablonski2014", (("Jablonski", "Adam"),), 2014, "Grazing and marsh recovery", "Applied Ecology", 51, (60, 71)),
        Work("olsen2012", (("Olsen", "Gro"),), 2012, "Saltmarsh creation", "Ecological Engineering", 40, (1, 9)),
        Work("pereira2013", (("Pereira", "Ana"),), 2013, "Restoration costs", "Coastal Economics", 7, (1, 20)),
    ]
}  # fmt: skip
MISSING = {"pereira2013"}  # cited, never listed
LISTED = sorted((w for k, w in WORKS.items() if k not in MISSING), key=lambda w: w.key)  # alphabetical, as styles sort

PARAGRAPHS: list[list[str | Cite]] = [
    [
        "Managed realignment restores tidal flooding to reclaimed land ",
        Cite(("adams2019",)),
        ". Early schemes recovered slowly ",
        Cite(("bergstrom2015",), page=214),
        ", and sediment supply was the limiting factor ",
        Cite(("castillo2017", "halvorsen2016"), prefix="see"),
        ".",
    ],
    [
        Cite(("nguyen2018",), narrative=True),
        " measured accretion at twelve sites, while grazing slowed recovery ",
        Cite(("jablonski2014",), page=65),
        ". Sediment budgets were closed at last ",
        Cite(("castillo2017",), page=40),
        ".",
    ],
    ["Restoration costs are reported elsewhere ", Cite(("pereira2013",)), "."],
]

# The defects as (kind, work): what every format must report, and nothing else.
EXPECTED = {("missing-reference", "pereira2013"), ("uncited-reference", "olsen2012"), ("page-out-of-range", "castillo2017")}


def _names(w: Work) -> str:
    fam = [f for f, _ in w.authors]
    return fam[0] if len(fam) == 1 else f"{fam[0]} & {fam[1]}" if len(fam) == 2 else f"{fam[0]} et al."


def _author_date(c: Cite) -> str:
    works = [WORKS[k] for k in c.keys]
    if c.narrative:
        return f"{_names(works[0]).replace('&', 'and')} ({works[0].year})"
    items = []
    for w in works:
        item = f"{_names(w)}, {w.year}"
        if c.page is not None:
            item += f", p. {c.page}"
        items.append(item)
    return "(" + (c.prefix + " " if c.prefix else "") + "; ".join(items) + ")"


def _entry(w: Work) -> str:
    names = [f"{f}, {g[0]}." for f, g in w.authors]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
    return f"{who} ({w.year}). {w.title}. {w.journal}, {w.volume}, {w.pages[0]}–{w.pages[1]}."


def body_paragraphs(cite: object) -> list[str]:
    return ["".join(s if isinstance(s, str) else cite(s) for s in p) for p in PARAGRAPHS]  # type: ignore[operator]


def text_blocks() -> tuple[list[str], list[str]]:
    return body_paragraphs(_author_date), [_entry(w) for w in LISTED]


def as_text(directory: Path) -> Path:
    body, refs = text_blocks()
    path = directory / "marsh.txt"
    path.write_text("\n\n".join(["Tidal marsh recovery", *body, "References", *refs]) + "\n", encoding="utf-8")
    return path


def as_pdf(directory: Path) -> Path:
    body, refs = text_blocks()
    path = directory / "marsh.pdf"
    make_pdf.two_column_pdf(path, "Tidal marsh recovery", [*body, "References"], refs, header="JOURNAL OF TESTS Vol.3 (2024)")
    return path


def as_docx(directory: Path) -> Path:
    body, refs = text_blocks()
    document = docx.Document()
    document.add_heading("Tidal marsh recovery", level=1)
    for paragraph in [*body, "References", *refs]:
        document.add_paragraph(paragraph)
    path = directory / "marsh.docx"
    document.save(str(path))
    return path


def _bibtex(w: Work) -> str:
    authors = " and ".join(f"{f}, {g}" for f, g in w.authors)
    return (
        f"@article{{{w.key},\n  author = {{{authors}}},\n  title = {{{w.title}}},\n  journal = {{{w.journal}}},\n"
        f"  year = {{{w.year}}},\n  volume = {{{w.volume}}},\n  pages = {{{w.pages[0]}--{w.pages[1]}}},\n}}\n"
    )


def write_bib(path: Path) -> None:
    path.write_text("% the works of the marsh manuscript\n\n" + "\n".join(_bibtex(w) for w in LISTED), encoding="utf-8")


def write_csl_json(path: Path) -> None:
    items = [
        {
            "id": w.key,
            "type": "article-journal",
            "author": [{"family": f, "given": g} for f, g in w.authors],
            "issued": {"date-parts": [[w.year]]},
            "title": w.title,
            "container-title": w.journal,
            "volume": str(w.volume),
            "page": f"{w.pages[0]}-{w.pages[1]}",
        }
        for w in LISTED
    ]
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")


def _latex_cite(c: Cite) -> str:
    command = "\\citet" if c.narrative else "\\citep"
    notes = ""
    if c.prefix or c.page is not None:
        post = f"p.~{c.page}" if c.page is not None else ""
        notes = f"[{c.prefix}][{post}]" if c.prefix else f"[{post}]"
    return f"{command}{notes}{{{','.join(c.keys)}}}"


def as_latex(directory: Path) -> Path:
    """main.tex inputs body.tex (the first paragraph stays in main.tex) and names marsh.bib."""
    paragraphs = body_paragraphs(_latex_cite)
    (directory / "body.tex").write_text("\n\n".join(paragraphs[1:]) + "\n", encoding="utf-8")
    write_bib(directory / "marsh.bib")
    path = directory / "main.tex"
    path.write_text(
        "\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n\\section{Tidal marsh recovery}\n"
        "% \\citep{ghost1999} is a comment, not a citation\n"
        f"{paragraphs[0]}\n\n\\input{{body}}\n\n\\bibliographystyle{{plainnat}}\n\\bibliography{{marsh}}\n\\end{{document}}\n",
        encoding="utf-8",
    )
    return path


def _pandoc_cite(c: Cite) -> str:
    if c.narrative:
        return f"@{c.keys[0]}"
    items = [f"@{k}" + (f", p. {c.page}" if c.page is not None else "") for k in c.keys]
    return "[" + (c.prefix + " " if c.prefix else "") + "; ".join(items) + "]"


def as_markdown(directory: Path, bibliography: str = "marsh.bib") -> Path:
    """Markdown whose YAML front matter names the bibliography (a .bib or a CSL-JSON file)."""
    if bibliography.endswith(".json"):
        write_csl_json(directory / bibliography)
    else:
        write_bib(directory / bibliography)
    path = directory / "marsh.md"
    front = f"---\ntitle: Tidal marsh recovery\nbibliography: {bibliography}\n---\n\n"
    path.write_text(front + "\n\n".join(body_paragraphs(_pandoc_cite)) + "\n\n# References\n", encoding="utf-8")
    return path
