"""Benchmark of PDF text engines: pdfminer.six (citecheck's reader) against PDFium, per page, and
whether PDFium's bulk text runs could feed ``readers/pdf_layout`` at equal accuracy.

    python3 benchmarks/pdf_engines.py [--repeats N]

Builds test PDFs with tests/make_pdf.py (reportlab): a 29-page two-column article, the same text
in one column, a 30-page manuscript with a line number in the left margin beside each line, a
page of two columns with line numbers, and one-page cases for what layout has to get right
(superscripts and an accent drawn as a glyph of its own, words drawn in shuffled order with no
spaces, ligature glyphs, rotated text). Then times, in this process, each path on each file,
interleaved (each repeat runs every path once, in turn), the minimum of ``--repeats`` (5):

- ``pdfminer``: ``citecheck.readers.pdf.read_pdf``, the whole reader (interpretation, layout,
  anchors); and ``pdfminer layout``, ``pdf_layout.page_lines`` alone on the glyphs the reader's
  device collected (already in memory), the share of the reader that is layout.
- ``pdfium text``: pypdfium2 plain text, ``PdfTextPage.get_text_range()`` per page: the floor of
  any PDFium path.
- ``pdfium glyphs``: one box per glyph, through pypdfium2's raw functions with reused ctypes
  arguments (``FPDFText_GetUnicode``, ``IsGenerated``, ``GetCharOrigin``, ``GetLooseCharBox``,
  ``GetFontSize``: PDFium has no call that returns all boxes of a page at once), as the
  ``(x0, x1, baseline, size, text)`` glyphs ``pdf_layout`` reads; then ``page_lines`` on them.
- ``pdfium runs``: the bulk path: ``FPDFText_CountRects`` and per text run (a rectangle, one
  per line of a text object) ``FPDFText_GetRect``, its text by ``FPDFText_GetBoundedText``, and
  the baseline and font size of one of its characters (``GetCharIndexAtPos``, ``GetCharOrigin``,
  ``GetFontSize``), a handful of calls per line instead of per glyph; each run is spread into
  glyphs of equal width (its text over its rectangle) and laid out by ``page_lines``. The
  ``extract`` column is that path up to the runs, without the layout.

Pages per second are the file's pages over the fastest run. The agreement columns set each PDFium
path's result against the pdfminer reader's, for the same file: ``pages same`` pages whose text is
identical; ``lines same`` the reader's lines found with the same text in the same order (difflib's
matching blocks over the line texts); ``x/base err`` the largest difference, in points, between
the two of a matched line's left and right ends and baselines; ``edge err`` the largest difference
between the x positions between characters of a matched line (what the annotator highlights
from; median over lines / max); ``numbers`` the printed line numbers given to the same lines.
Needs reportlab and pypdfium2 (the project's test extra) and pdfminer.six (the pdf extra).
"""

from __future__ import annotations

import argparse
import ctypes
import difflib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import make_pdf  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
import pypdfium2.raw as fpdf  # noqa: E402

from citecheck.readers.pdf import read_pdf  # noqa: E402
from citecheck.readers.pdf_layout import Char, Line, page_lines, plain  # noqa: E402

# A page's result: its text and its lines (pdf_layout.Line: text, baseline, size, edges, number).
Page = tuple[str, list[Line]]


# ----------------------------------------------------------------------------------- the paths


def pdfminer_pages(path: str) -> list[Page]:
    """citecheck's reader, its Source cut back into pages and lines through its anchors."""
    source = read_pdf(path)
    anchors = source.anchors
    assert anchors is not None
    numbers = dict(source.line_numbers)
    pages: list[Page] = [(t, []) for t in _page_texts(source.text, source.pages)]
    for i, start in enumerate(anchors.starts):
        k, n = anchors.first[i], anchors.first[i + 1] - anchors.first[i] - 1
        edges = list(anchors.edges[k : k + n + 1])
        line = Line(source.text[start : start + n], anchors.base[i], anchors.size[i], edges, numbers.get(start))
        pages[anchors.page[i]][1].append(line)
    return pages


def _page_texts(text: str, starts: tuple[int, ...]) -> list[str]:
    ends = [s - 2 for s in starts[1:]] + [len(text)]
    return [text[a:b] for a, b in zip(starts, ends, strict=True)]


def pdfminer_glyphs(path: str) -> list[list[Char]]:
    """The glyphs the reader's device collects on each page, for timing the layout alone."""
    import io

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from citecheck.readers import pdf

    with open(path, "rb") as fh:
        doc = pdf.Document(PDFParser(io.BytesIO(fh.read())))
    manager = pdf.PDFResourceManager()
    device = pdf.Collector(manager)
    interpreter = pdf.Interpreter(manager, device)
    out = []
    for page in PDFPage.create_pages(doc):
        interpreter.process_page(page)
        out.append(device.upright_chars()[0])
    return out


def layout(pages: list[list[Char]]) -> list[Page]:
    """pdf_layout on each page's glyphs, numbers carried from page to page as the reader does."""
    out: list[Page] = []
    lined = False
    for chars in pages:
        text, numbered, lines = page_lines(chars, lined)
        lined = lined or numbered
        out.append((text, lines))
    return out


def _text_pages(path: str) -> Iterator[Any]:
    """Each page's PDFium text page, in order; each is closed with its page once read, and the
    document at the end."""
    doc = pdfium.PdfDocument(path)
    try:
        for page in doc:
            textpage = page.get_textpage()
            try:
                yield textpage
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()


def pdfium_text(path: str) -> list[str]:
    out = []
    for textpage in _text_pages(path):
        out.append(textpage.get_text_range())
    return out


def pdfium_glyphs(path: str) -> list[list[Char]]:
    """One box per glyph: five calls a glyph, with their ctypes arguments made once."""
    x, y = ctypes.c_double(), ctypes.c_double()
    box = fpdf.FS_RECTF()
    px, py, pbox = ctypes.byref(x), ctypes.byref(y), ctypes.byref(box)
    unicode, generated, origin = fpdf.FPDFText_GetUnicode, fpdf.FPDFText_IsGenerated, fpdf.FPDFText_GetCharOrigin
    loose, fontsize = fpdf.FPDFText_GetLooseCharBox, fpdf.FPDFText_GetFontSize
    out = []
    for textpage in _text_pages(path):
        raw = textpage.raw
        chars: list[Char] = []
        for i in range(fpdf.FPDFText_CountChars(raw)):
            code = unicode(raw, i)
            if generated(raw, i) == 1 or code in (13, 10, 0xFFFE):
                continue
            origin(raw, i, px, py)
            loose(raw, i, pbox)
            text = plain(chr(code))
            if text:
                chars.append((x.value, max(box.right, x.value), -y.value, fontsize(raw, i), text))
        out.append(chars)
    return out


# A run: (left, right, baseline measured downwards, font size, text)
Run = tuple[float, float, float, float, str]


def pdfium_runs(path: str) -> list[list[Run]]:
    """The bulk path: per text run (rectangle), its box, its text and one character's baseline and size."""
    left, top, right, bottom = (ctypes.c_double() for _ in range(4))
    x, y = ctypes.c_double(), ctypes.c_double()
    refs = [ctypes.byref(v) for v in (left, top, right, bottom)]
    px, py = ctypes.byref(x), ctypes.byref(y)
    get_rect, bounded, at = fpdf.FPDFText_GetRect, fpdf.FPDFText_GetBoundedText, fpdf.FPDFText_GetCharIndexAtPos
    origin, fontsize = fpdf.FPDFText_GetCharOrigin, fpdf.FPDFText_GetFontSize
    buffer = (ctypes.c_ushort * 4096)()
    out = []
    for textpage in _text_pages(path):
        raw = textpage.raw
        runs: list[Run] = []
        for r in range(fpdf.FPDFText_CountRects(raw, 0, -1)):
            get_rect(raw, r, *refs)
            lo, hi, t, b = left.value, right.value, top.value, bottom.value
            n = bounded(raw, lo, t, hi, b, buffer, len(buffer))
            text = bytes(buffer)[: 2 * max(n - 1, 0)].decode("utf-16-le", "ignore")
            i = at(raw, (lo + hi) / 2, (t + b) / 2, hi - lo, t - b)
            if i < 0 or not text.strip():
                continue
            origin(raw, i, px, py)
            runs.append((lo, hi, -y.value, fontsize(raw, i), text))
        out.append(runs)
    return out


def pdfium_lines(path: str) -> list[list[Run]]:
    """The bulk path through the page's text: ``get_text_range`` once, cut at the line breaks PDFium
    inserts, and per line the box of its first and last character (advance-wide), the baseline and
    size of its first: six calls a line, none of which scans the page."""
    box = fpdf.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    pbox, px, py = ctypes.byref(box), ctypes.byref(x), ctypes.byref(y)
    char_at, loose = fpdf.FPDFText_GetCharIndexFromTextIndex, fpdf.FPDFText_GetLooseCharBox
    origin, fontsize = fpdf.FPDFText_GetCharOrigin, fpdf.FPDFText_GetFontSize
    out = []
    for textpage in _text_pages(path):
        raw = textpage.raw
        runs: list[Run] = []
        at = 0
        for text in textpage.get_text_range().split("\r\n"):
            start, at = at, at + len(text) + 2
            if not text.strip():
                continue
            first, last = char_at(raw, start), char_at(raw, start + len(text) - 1)
            if first < 0 or last < 0:
                continue
            loose(raw, last, pbox)
            right = box.right
            origin(raw, first, px, py)
            runs.append((x.value, max(right, x.value), -y.value, fontsize(raw, first), text))
        out.append(runs)
    return out


def run_glyphs(pages: list[list[Run]]) -> list[list[Char]]:
    """Each run's text spread evenly over its box, one glyph a character, as pdf_layout reads them."""
    out = []
    for runs in pages:
        chars: list[Char] = []
        for x0, x1, base, size, text in runs:
            step = (x1 - x0) / len(text)
            for k, c in enumerate(text):
                t = plain(c)
                if t:
                    chars.append((x0 + k * step, x0 + (k + 1) * step, base, size, t))
        out.append(chars)
    return out


# ------------------------------------------------------------------------------- the agreement


def agreement(reference: list[Page], other: list[Page]) -> dict[str, str]:
    """How far ``other`` gives what the pdfminer reader gives, page by page and line by line."""
    same_pages = sum(1 for (a, _), (b, _) in zip(reference, other, strict=True) if a == b)
    lines = matched = numbered = numbers_same = 0
    x_err = base_err = 0.0
    edge_errs: list[float] = []
    for (_, ref), (_, got) in zip(reference, other, strict=True):
        lines += len(ref)
        numbered += sum(1 for line in ref if line.number is not None)
        blocks = difflib.SequenceMatcher(None, [r.text for r in ref], [g.text for g in got], autojunk=False)
        for block in blocks.get_matching_blocks():
            for k in range(block.size):
                r, g = ref[block.a + k], got[block.b + k]
                matched += 1
                x_err = max(x_err, abs(r.edges[0] - g.edges[0]), abs(r.edges[-1] - g.edges[-1]))
                base_err = max(base_err, abs(r.base - g.base))
                edge_errs.append(max(abs(p - q) for p, q in zip(r.edges, g.edges, strict=True)))
                numbers_same += r.number is not None and r.number == g.number
    edges = f"{statistics.median(edge_errs):.2f} / {max(edge_errs):.2f}" if edge_errs else "-"
    return {
        "pages same": f"{same_pages}/{len(reference)}",
        "lines same": f"{100 * matched / max(lines, 1):.1f}%",
        "x/base err": f"{x_err:.2f} / {base_err:.2f}",
        "edge err": edges,
        "numbers": f"{numbers_same}/{numbered}" if numbered else "-",
    }


# --------------------------------------------------------------------------------- the test PDFs


def build(folder: Path) -> list[tuple[str, Path]]:
    article = make_pdf.article(340)
    files: list[tuple[str, Path]] = []

    def add(name: str, make: Callable[[Path], object]) -> None:
        path = folder / f"{len(files)}.pdf"
        make(path)
        files.append((name, path))

    add("two-column article", lambda p: make_pdf.two_column_pdf(p, article.title, article.paragraphs, article.references))
    add("one-column article", lambda p: make_pdf.single_column_pdf(p, article.paragraphs, article.references, make_pdf.HEADER))
    words = " ".join(article.paragraphs[1:200:2]).replace(make_pdf.HEADING, "")
    lines = make_pdf.wrap(words, 420)
    add("line-numbered manuscript", lambda p: make_pdf.numbered_pdf(p, [lines[i : i + 45] for i in range(0, 45 * 30, 45)]))
    add(
        "line-numbered two columns",
        lambda p: make_pdf.numbered_columns_pdf(p, " ".join(article.paragraphs[1:4]), " ".join(article.paragraphs[5:8])),
    )
    add("superscript, accent glyph", make_pdf.marks_pdf)
    add("words shuffled, no spaces", lambda p: make_pdf.words_pdf(p, lines[:40], seed=3))
    add("ligature glyphs", lambda p: make_pdf.lines_pdf(p, [["The first flow of fine office files (Abara, 2019)."] * 30], "Vera"))
    table = [f"Site {i}   {1990 + i}   {i * 3.5:.1f} t/ha" for i in range(12)]
    add("rotated stamp and table", lambda p: make_pdf.turned_pdf(p, "arXiv:2401.00001v1 [q-bio.PE] 1 Jan 2024", table))
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = build(Path(tmp))
        rows = []
        for name, path in files:
            p = str(path)
            glyphs = pdfminer_glyphs(p)
            paths: dict[str, Callable[[], object]] = {
                "pdfminer": lambda p=p: pdfminer_pages(p),
                "pdfminer layout": lambda glyphs=glyphs: layout(glyphs),
                "pdfium text": lambda p=p: pdfium_text(p),
                "pdfium glyphs": lambda p=p: layout(pdfium_glyphs(p)),
                "pdfium runs extract": lambda p=p: pdfium_runs(p),
                "pdfium runs": lambda p=p: layout(run_glyphs(pdfium_runs(p))),
                "pdfium lines extract": lambda p=p: pdfium_lines(p),
                "pdfium lines": lambda p=p: layout(run_glyphs(pdfium_lines(p))),
            }
            best = dict.fromkeys(paths, float("inf"))
            for _ in range(args.repeats):
                for key, work in paths.items():
                    start = time.perf_counter()
                    work()
                    best[key] = min(best[key], time.perf_counter() - start)
            reference = pdfminer_pages(p)
            pages = len(reference)
            runs, lines = pdfium_runs(p), pdfium_lines(p)
            rows.append(
                (
                    name,
                    pages,
                    sum(len(r) for _, r in reference),
                    sum(len(r) for r in runs),
                    sum(len(r) for r in lines),
                    {key: pages / seconds for key, seconds in best.items()},
                    {
                        "pdfium glyphs": agreement(reference, layout(pdfium_glyphs(p))),
                        "pdfium runs": agreement(reference, layout(run_glyphs(runs))),
                        "pdfium lines": agreement(reference, layout(run_glyphs(lines))),
                    },
                )
            )
    print(f"pages per second, fastest of {args.repeats} interleaved runs in this process")
    keys = list(rows[0][5])
    print("| file | pages | lines | runs | pdfium lines | " + " | ".join(keys) + " |")
    print("| --- | ---: | ---: | ---: | ---: | " + " | ".join("---:" for _ in keys) + " |")
    for name, pages, n_lines, n_runs, n_pdfium, rates, _ in rows:
        figures = " | ".join(f"{rates[k]:.0f}" for k in keys)
        print(f"| {name} | {pages} | {n_lines} | {n_runs} | {n_pdfium} | {figures} |")
    print()
    print("agreement with the pdfminer reader (x/base err, edge err: points)")
    columns = list(next(iter(rows[0][6].values())))
    print("| file | path | " + " | ".join(columns) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in columns) + " |")
    for name, *_, agreements in rows:
        for label, figures in agreements.items():
            print(f"| {name} | {label} | " + " | ".join(figures[c] for c in columns) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
