"""Benchmark of the readers: PDF pages per second, and the share of an audit spent reading.

Builds a 30-page two-column article (tests/make_pdf.py, reportlab) and the same text as DOCX and
as plain text, then times reading and the whole audit of each, in this process, median of 5.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import docx  # noqa: E402
import make_pdf  # noqa: E402

from citecheck.audit import audit_source  # noqa: E402
from citecheck.model import Source  # noqa: E402
from citecheck.read import read_path  # noqa: E402
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


def main() -> int:
    article = make_pdf.article(340)
    with tempfile.TemporaryDirectory() as tmp:
        pdf, docx_path, txt = Path(tmp) / "a.pdf", Path(tmp) / "a.docx", Path(tmp) / "a.txt"
        pages = make_pdf.two_column_pdf(pdf, article.title, article.paragraphs, article.references)
        document = docx.Document()
        for paragraph in [article.title, *article.paragraphs, "References", *article.references]:
            document.add_paragraph(paragraph)
        document.save(str(docx_path))
        txt.write_text("\n\n".join([article.title, *article.paragraphs, "References", *article.references]), encoding="utf-8")
        readers: list[tuple[str, Callable[[], Source]]] = [
            ("text", lambda: read_path(str(txt))),
            ("docx", lambda: read_docx(str(docx_path))),
            ("pdf", lambda: read_pdf(str(pdf))),
        ]
        print(f"a {pages}-page two-column article ({len(read_pdf(str(pdf)).text):,} characters), median of {RUNS} runs")
        print("| format | read s | audit s (read included) | share reading | citations |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, read in readers:
            reading = median_seconds(read)
            whole = median_seconds(lambda read=read: audit_source(read()))  # type: ignore[misc]
            citations = len(audit_source(read()).citations)
            print(f"| {name} | {reading:.3f} | {whole:.3f} | {100 * reading / whole:.0f}% | {citations} |")
            if name == "pdf":
                print(f"PDF extraction: {pages / reading:.0f} pages per second")
    return 0


if __name__ == "__main__":
    sys.exit(main())
