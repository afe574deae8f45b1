"""Make the screenshots in docs/img from fixtures/example.md: its HTML report in Debian's chromium,
and the first page of an annotated PDF of it rendered by poppler's pdftoppm.

Run with ``make screenshots`` (needs the test extra, chromium and poppler-utils). The PDF is set
by the tests' own builder (tests/make_pdf.py), so the picture shows what the tests check.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import make_pdf  # noqa: E402  (the tests' PDF builder)
from browser import ARGS, CHROMIUM  # noqa: E402

from citecheck.annotate import annotated  # noqa: E402
from citecheck.pipeline import audit_source  # noqa: E402
from citecheck.readers import read_document  # noqa: E402
from citecheck.report.html import render_html  # noqa: E402

EXAMPLE = Path("fixtures") / "example.md"  # as a user names it, from the project folder
OUT = ROOT / "docs" / "img"


def html_report(folder: Path) -> None:
    from playwright.sync_api import sync_playwright

    page_file = folder / "example.html"
    page_file.write_text(render_html([audit_source(read_document(str(EXAMPLE)))]), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1100, "height": 1500}, device_scale_factor=1)
        page.goto(page_file.as_uri())
        page.screenshot(path=str(OUT / "html-report.png"))
        browser.close()


def annotated_pdf_page(folder: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    paragraphs = [" ".join(p.lstrip("#").replace("*", "").split()) for p in text.split("\n\n") if p.strip()]
    pdf = folder / "example.pdf"
    make_pdf.single_column_pdf(pdf, paragraphs)
    data, _ = annotated(audit_source(read_document(str(pdf))))
    copy = folder / "example-annotated.pdf"
    copy.write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(copy), str(OUT / "annotated-pdf")], check=True
    )


def main() -> None:
    os.chdir(ROOT)
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        html_report(Path(tmp))
        annotated_pdf_page(Path(tmp))
    print(f"wrote {OUT / 'html-report.png'} and {OUT / 'annotated-pdf.png'}")


if __name__ == "__main__":
    main()
