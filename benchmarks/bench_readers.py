"""Benchmark of the readers: PDF pages per second, and the share of an audit spent reading.

Builds a 30-page two-column article (tests/make_pdf.py, reportlab) and the same text as DOCX (plain,
and with every citation a Zotero field, tests/make_docx.py), as plain text, as LaTeX with a .bib
(natbib commands) and as Pandoc Markdown with the same .bib, then times reading and the whole audit
of each, in this process, median of 5. For LaTeX and Markdown, reading includes the .bib file;
parsing it happens in the audit. For DOCX with fields, the audit includes settling the links.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import docx  # noqa: E402
import make_docx  # noqa: E402
import make_pdf  # noqa: E402

from citecheck.model import Source  # noqa: E402
from citecheck.pipeline import audit_source  # noqa: E402
from citecheck.read import read_path  # noqa: E402
from citecheck.readers import read_document  # noqa: E402
from citecheck.readers.docx import read_docx  # noqa: E402
from citecheck.readers.pdf import read_pdf  # noqa: E402

RUNS = 5


def median_seconds(work: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _key(work: make_pdf.Work) -> str:
    return f"{work.surnames[0].lower()}{work.year}"


def _bibtex() -> str:
    entries = []
    for w in make_pdf.WORKS:
        authors = " and ".join(w.authors)
        entries.append(
            f"@article{{{_key(w)},\n  author = {{{authors}}},\n  title = {{{w.title}}},\n  journal = {{{w.journal}}},\n"
            f"  year = {{{w.year}}},\n  volume = {{{w.volume}}},\n  pages = {{{w.first}--{w.last}}},\n}}\n"
        )
    return "\n".join(entries)


def _keyed(paragraph: str, latex: bool) -> str:
    """The article's "(Smith, 2018, p. 45; ...)" written as natbib or Pandoc citations."""
    keys = {(w.surnames[0], str(w.year)): _key(w) for w in make_pdf.WORKS}

    def replace(m: re.Match[str]) -> str:
        items = []
        for item in m.group(1).split("; "):
            who, year, page = item.split(", ")
            items.append((keys[(who.split(" ")[0], year)], page.removeprefix("p. ")))
        if latex:
            return " ".join(f"\\citep[p.~{page}]{{{key}}}" for key, page in items)
        return "[" + "; ".join(f"@{key}, p. {page}" for key, page in items) + "]"

    return re.sub(r"\(([^()]*\d{4}, p\. \d+)\)", replace, paragraph)


def _zotero_docx(path: Path, article: make_pdf.Article) -> None:
    """The article as DOCX with each bracket of citations a Zotero field naming its works."""
    works = {(w.surnames[0], str(w.year)): w for w in make_pdf.WORKS}

    def item(w: make_pdf.Work) -> dict[str, object]:
        family, given = w.authors[0].split(", ")
        return {
            "itemData": {"type": "article-journal", "title": w.title, "author": [{"family": family, "given": given}]}
            | {"issued": {"date-parts": [[w.year]]}, "container-title": w.journal, "page": f"{w.first}-{w.last}"}
        }

    doc = make_docx.Doc()
    for paragraph in [article.title, *article.paragraphs]:
        xml, pos = "", 0
        for m in re.finditer(r"\(([^()]*\d{4}, p\. \d+)\)", paragraph):
            cited = [works[(i.split(", ")[0].split(" ")[0], i.split(", ")[1])] for i in m.group(1).split("; ")]
            xml += make_docx.run(paragraph[pos : m.start()]) + make_docx.zotero(
                m.group(0), {"citationItems": [item(w) for w in cited]}
            )
            pos = m.end()
        doc.xml(xml + make_docx.run(paragraph[pos:]))
    doc.heading("References")
    for entry in article.references:
        doc.para(entry)
    doc.save(path)


def main() -> int:
    article = make_pdf.article(340)
    with tempfile.TemporaryDirectory() as tmp:
        pdf, docx_path, txt = Path(tmp) / "a.pdf", Path(tmp) / "a.docx", Path(tmp) / "a.txt"
        pages = make_pdf.two_column_pdf(pdf, article.title, article.paragraphs, article.references)
        document = docx.Document()
        for paragraph in [article.title, *article.paragraphs, "References", *article.references]:
            document.add_paragraph(paragraph)
        document.save(str(docx_path))
        zotero_path = Path(tmp) / "zotero.docx"
        _zotero_docx(zotero_path, article)
        txt.write_text("\n\n".join([article.title, *article.paragraphs, "References", *article.references]), encoding="utf-8")
        tex, md = Path(tmp) / "a.tex", Path(tmp) / "a.md"
        (Path(tmp) / "refs.bib").write_text(_bibtex(), encoding="utf-8")
        body = [_keyed(p, latex=True).replace(make_pdf.HEADING, "\\section*{") for p in article.paragraphs]
        body = [p + "}" if p.startswith("\\section*{") else p for p in body]
        tex.write_text(
            "\\documentclass{article}\n\\usepackage{natbib}\n\\begin{document}\n"
            + "\n\n".join(body)
            + "\n\\bibliographystyle{plainnat}\n\\bibliography{refs}\n\\end{document}\n",
            encoding="utf-8",
        )
        md.write_text(
            "---\nbibliography: refs.bib\n---\n\n" + "\n\n".join(_keyed(p, latex=False) for p in article.paragraphs),
            encoding="utf-8",
        )
        readers: list[tuple[str, Callable[[], Source]]] = [
            ("text", lambda: read_path(str(txt))),
            ("docx", lambda: read_docx(str(docx_path))),
            ("docx, Zotero fields", lambda: read_docx(str(zotero_path))),
            ("pdf", lambda: read_pdf(str(pdf))),
            ("latex", lambda: read_document(str(tex))),
            ("markdown", lambda: read_document(str(md))),
        ]
        print(f"a {pages}-page two-column article ({len(read_pdf(str(pdf)).text):,} characters), median of {RUNS} runs")
        print("| format | read s | audit s (read included) | share reading | citations | findings |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for name, read in readers:
            reading = median_seconds(read)
            whole = median_seconds(lambda read=read: audit_source(read()))  # type: ignore[misc]
            report = audit_source(read())
            print(
                f"| {name} | {reading:.3f} | {whole:.3f} | {100 * reading / whole:.0f}% | {len(report.citations)}"
                f" | {len(report.findings)} |"
            )
            if name == "pdf":
                print(f"PDF extraction: {pages / reading:.0f} pages per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
