"""Finding the gutter of a two-column page when full-width lines put ink over it.

A justified full-width line (an abstract's, a caption's) stretched so wide that its words stand
apart can leave one word over the gutter; the last line of a full-width paragraph can end there.
The gutter must still be found from the column text, and the line read whole, or every citation
that wraps in either column is cut apart. Each page is drawn word by word with reportlab (no
space characters, as TeX writes them), so that a test knows where each word lands.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

import citecheck
from citecheck.readers.pdf import read_pdf

FONT, BOLD, SIZE = "Times-Roman", "Times-Bold", 9.5
PITCH = 1.2 * SIZE
WIDTH, HEIGHT = A4
MARGIN, GUTTER = 56.0, 18.0
FULL = WIDTH - 2 * MARGIN
COLUMN = (FULL - GUTTER) / 2
GUTTER_AT = (MARGIN + COLUMN, MARGIN + COLUMN + GUTTER)
HEADER = "JOURNAL OF TESTS Vol.3 (2024)"

Placed = list[tuple[float, float, str]]  # (left x, right x, word) of each word of a line


def width(text: str, font: str = FONT) -> float:
    return pdfmetrics.stringWidth(text, font, SIZE)


def wrap(text: str, measure: float, indent: float = 0.0) -> list[list[str]]:
    """The words of ``text`` in lines no wider than ``measure``, filled greedily; "|" forces a break.
    Lines after the first are ``indent`` narrower (a hanging indent)."""
    lines: list[list[str]] = []
    line: list[str] = []
    for word in text.split():
        if word == "|":
            lines.append(line)
            line = []
            continue
        room = measure - (indent if lines else 0.0)
        if line and width(" ".join([*line, word])) > room:
            lines.append(line)
            line = []
        line.append(word)
    return [*lines, line] if line else lines


class Sheet:
    """One page built top to bottom: a running header, full-width lines, blocks of two columns, and the
    page number centred at the foot (in the gutter)."""

    def __init__(self, path: Path, header: str | None = HEADER, number: str | None = "1") -> None:
        self.canvas = canvas.Canvas(str(path), pagesize=A4)
        self.number = number
        if header:
            self.canvas.setFont("Times-Italic", 8.5)
            self.canvas.drawString(MARGIN, HEIGHT - 36, header)
        self.y = 72.0  # from the top of the page

    def line(self, x: float, y: float, words: Sequence[str], measure: float | None = None, font: str = FONT) -> Placed:
        """Words drawn one at a time; spread to fill ``measure`` when given (a justified line)."""
        space = width(" ", font)
        if measure is not None and len(words) > 1:
            space = (measure - sum(width(w, font) for w in words)) / (len(words) - 1)
        self.canvas.setFont(font, SIZE)
        placed = []
        for word in words:
            self.canvas.drawString(x, HEIGHT - y, word)
            placed.append((x, x + width(word, font), word))
            x += width(word, font) + space
        return placed

    def title(self, text: str) -> None:
        self.canvas.setFont(BOLD, 16)
        self.canvas.drawCentredString(WIDTH / 2, HEIGHT - self.y, text)
        self.y += 28

    def paragraph(self, x: float, y: float, text: str, measure: float) -> float:
        """A paragraph at (x, y) from the top: a heading ("## "), a reference entry ("@ ", ragged with a
        hanging indent) or justified text; returns where the next one starts."""
        if text.startswith("## "):
            self.line(x, y, text[3:].split(), font=BOLD)
            return y + 1.5 * PITCH
        entry = text.startswith("@ ")
        lines = wrap(text[2:] if entry else text, measure, 12.0 if entry else 0.0)
        for i, words in enumerate(lines):
            indent = 12.0 if entry and i else 0.0
            last = i == len(lines) - 1
            self.line(x + indent, y, words, None if entry or last else measure - indent)
            y += PITCH
        return y + PITCH / 3

    def full(self, text: str) -> None:
        """A full-width justified paragraph."""
        self.y = self.paragraph(MARGIN, self.y, text, FULL)

    def stretched(self, words: Sequence[str]) -> Placed:
        """A full-width justified line of a few words, stretched so wide that each word stands apart."""
        placed = self.line(MARGIN, self.y, words, FULL)
        self.y += PITCH
        return placed

    def columns(self, left: Sequence[str], right: Sequence[str]) -> None:
        """A block of two columns of paragraphs, their lines at the same heights."""
        top = self.y + PITCH / 2
        ends = []
        for x, paragraphs in ((MARGIN, left), (GUTTER_AT[1], right)):
            y = top
            for text in paragraphs:
                y = self.paragraph(x, y, text, COLUMN)
            ends.append(y)
        self.y = max(ends) + PITCH / 2

    def save(self) -> None:
        if self.number:
            self.canvas.setFont(FONT, 9)
            self.canvas.drawCentredString(WIDTH / 2, 30, self.number)
        self.canvas.showPage()
        self.canvas.save()


ABSTRACT = (
    "We counted the waders on twelve restored marshes for two years and asked which of them the birds came back to "
    "first and which they avoided, and why they did so. Marshes differed in how often they flooded, in how much "
    "traffic passed on the water and in the age of the works, so that each could be compared with the others."
)
ABSTRACT_END = "while disturbance by boats kept them away from the others for the whole of the second season."
LEFT = (
    "## Introduction",
    "Restored marshes were surveyed over four seasons, and the birds that used them were counted at dawn by the same "
    "observers each time. Waders returned first to the sites that flooded twice a day, and they answered calls played "
    "back from the shore much as other studies of tidal stimuli (Brandt and | Weller, 2005) had led us to expect. "
    "Where boats passed often the birds fed less and flushed sooner, a response to noise already known from "
    "estuaries further south (Okafor, 2011). Counts in the second year were higher at every site but one.",
)
RIGHT = (
    "The exception was a marsh whose seawall had been breached only partly, so that water reached the upper flats on "
    "spring tides alone. Its birds were few in both years, and most of them were gulls that roost on any open mud. "
    "Later work on restored shores reached the same conclusion about partial breaches and the slow return of waders "
    "(Lindqvist, 2019).",
    "## References",
    "@ Brandt, K., & Weller, P. (2005). Attention to tidal stimuli in marsh birds. Journal of Coastal Studies, 12(3), 45–60.",
    "@ Lindqvist, A. (2019). Noise and nesting on restored shores. Estuarine Ecology, 8(1), 1–14.",
    "@ Okafor, C. (2011). Acoustic disturbance of waders. Bird Study, 58(2), 101–110.",
)
WRAPPED = "(Brandt and Weller, 2005)"
TAIL = ["therefore.", "favoured", "by", "most", "waders"]

# Stretched abstract lines whose word "therefore." lands over the gutter (288.6 to 306.6), leaving
# less than 0.6 em of it clear: over its right part, over its left part, over all of it.
STRAYS = {
    "over-the-right-part": ["All", "sites", "wet", "daily", "were", *TAIL],
    "over-the-left-part": ["Big", "sites", "wet", "were", *TAIL],
    "over-all-of-it": ["Sites", "flooded", "daily", "were", *TAIL],
}


def clear(x0: float, x1: float) -> float:
    """How much of the gutter a piece of text from x0 to x1 over it leaves clear, on its wider side."""
    left, right = GUTTER_AT
    assert x0 < right and x1 > left, "the piece is over the gutter"
    return max(x0 - left, right - x1, 0.0)


def squeeze(text: str) -> str:
    return " ".join(text.split())


def lines_of(path: Path) -> list[str]:
    return read_pdf(str(path)).text.split("\n")


def assert_clean(path: Path) -> None:
    """The audit finds nothing: every citation read whole and matched to its entry."""
    report = citecheck.audit(str(path))
    assert [(f.kind, f.message) for f in report.findings] == []
    assert len(report.citations) == 3
    assert WRAPPED in squeeze(report.source.text)


def abstract_page(path: Path, stray: Sequence[str]) -> Placed:
    """A two-column page under a full-width justified abstract that has one line stretched wide."""
    sheet = Sheet(path)
    sheet.title("Waders on Restored Marshes")
    sheet.full(ABSTRACT + " |")
    placed = sheet.stretched(stray)
    sheet.full(ABSTRACT_END)
    sheet.columns(LEFT, RIGHT)
    sheet.save()
    return placed


@pytest.mark.parametrize("stray", list(STRAYS.values()), ids=list(STRAYS))
def test_a_stretched_word_over_the_gutter_does_not_hide_it(tmp_path: Path, stray: list[str]) -> None:
    path = tmp_path / "d1.pdf"
    placed = abstract_page(path, stray)
    x0, x1, _ = next(p for p in placed if p[2] == "therefore.")
    assert clear(x0, x1) < 0.6 * SIZE  # too little of the gutter left clear to count as one
    assert_clean(path)
    lines = lines_of(path)
    assert " ".join(stray) in lines  # the stretched line read whole, in its place
    assert lines.index(" ".join(stray)) < lines.index("Introduction")


def test_the_columns_are_read_one_after_the_other(tmp_path: Path) -> None:
    path = tmp_path / "d1.pdf"
    abstract_page(path, STRAYS["over-the-right-part"])
    text = squeeze(read_pdf(str(path)).text)
    order = ["Restored marshes were surveyed", "tidal stimuli (Brandt and Weller, 2005) had led", "every site but one.",
             "The exception was a marsh", "(Lindqvist, 2019).", "References", "Okafor, C. (2011)"]  # fmt: skip
    at = [text.find(piece) for piece in order]
    assert -1 not in at and at == sorted(at), at
    assert text.index("of the second season.") < text.index("Restored marshes")


def test_an_abstract_ending_over_the_gutter(tmp_path: Path) -> None:
    path = tmp_path / "ends.pdf"
    sheet = Sheet(path)
    sheet.title("Waders on Restored Marshes")
    sheet.full(ABSTRACT + " " + ABSTRACT_END + " |")
    # a last line, set flush left, that ends over the gutter: most of the gutter covered by a full-width line
    last = sheet.line(MARGIN, sheet.y, "and the last line of this abstract, a short one, ends over the gutter.".split())
    sheet.y += PITCH
    assert clear(MARGIN, last[-1][1]) < 0.6 * SIZE
    sheet.columns(LEFT, RIGHT)
    sheet.save()
    assert_clean(path)


def test_a_full_width_caption_between_two_column_blocks(tmp_path: Path) -> None:
    path = tmp_path / "caption.pdf"
    sheet = Sheet(path, header=None)
    sheet.columns(
        ["The first block of the page runs in two columns as usual, and its lines are justified to the width of a column "
         "so that they end together at the gutter."],
        ["Its right column runs beside the left one at the same heights, and the reader is expected to read it only "
         "after the left column has ended."],
    )  # fmt: skip
    sheet.full(
        "Figure 1. Counts of waders at the twelve marshes in both years, the sites ordered by how often they flood, "
        "with the sites where boats pass often marked; a caption set across both columns, its lines stretched to"
    )
    sheet.stretched(["fill", "the", "page", "width", "exactly,", "therefore.", "broadly", "spaced", "ending", "line"])
    sheet.columns(LEFT, RIGHT)
    sheet.save()
    lines = lines_of(path)
    text = squeeze("\n".join(lines))
    assert text.index("end together at the gutter.") < text.index("Its right column") < text.index("Figure 1.")
    assert text.index("Figure 1.") < text.index("Restored marshes") < text.index("The exception was")
    assert "fill the page width exactly, therefore. broadly spaced ending line" in lines
    assert_clean(path)


def test_a_stretched_line_with_the_gutter_in_one_of_its_spaces_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "space.pdf"
    sheet = Sheet(path)
    sheet.title("Waders on Restored Marshes")
    sheet.full(ABSTRACT + " |")
    words = ["Sites", "that", "flood", "were", "used", "by", "most", "birds"]
    placed = sheet.stretched(words)
    assert any(a[1] < GUTTER_AT[0] and b[0] > GUTTER_AT[1] for a, b in itertools.pairwise(placed))
    sheet.full(ABSTRACT_END)
    sheet.columns(LEFT, RIGHT)
    sheet.save()
    assert " ".join(words) in lines_of(path)
    assert_clean(path)


def test_justified_columns_stretched_side_by_side_stay_apart(tmp_path: Path) -> None:
    """Both columns' lines of a row stretched into single words: still two lines, one per column."""
    path = tmp_path / "both.pdf"
    sheet = Sheet(path)
    sheet.columns(LEFT, RIGHT)
    left = sheet.line(MARGIN, sheet.y, "Counts rose steadily afterwards".split(), COLUMN)
    right = sheet.line(GUTTER_AT[1], sheet.y, "Gulls stayed mostly elsewhere".split(), COLUMN)
    assert all(b[0] - a[1] > 0.8 * SIZE for line in (left, right) for a, b in itertools.pairwise(line))
    sheet.save()
    lines = lines_of(path)
    assert "Counts rose steadily afterwards" in lines and "Gulls stayed mostly elsewhere" in lines


def test_a_single_column_page_with_a_ragged_edge_and_an_indented_block_is_one_column(tmp_path: Path) -> None:
    path = tmp_path / "single.pdf"
    sheet = Sheet(path)
    lines = []
    for i, text in enumerate([ABSTRACT, " ".join(LEFT[1:]), ABSTRACT_END, " ".join(RIGHT[:1])]):
        indent = 60.0 if i == 2 else 0.0  # a block quotation, indented on both sides
        for words in wrap(text.replace("| ", ""), FULL - 2 * indent - (i * 37 % 90)):  # each paragraph ragged differently
            sheet.line(MARGIN + indent, sheet.y, words)
            sheet.y += PITCH
            lines.append(" ".join(words))
    short = ["Short lines", "of a list", "set flush left", "end well before the middle of the page"]
    for text in short:
        sheet.line(MARGIN, sheet.y, text.split())
        sheet.y += PITCH
    sheet.save()
    read = [line for line in lines_of(path) if line.strip()]
    assert read == [HEADER, *lines, *short, "1"]


@pytest.mark.parametrize("offset", [0.0, 5.0], ids=["rows-aligned", "rows-apart"])
def test_a_right_column_of_two_lines_is_still_a_column(tmp_path: Path, offset: float) -> None:
    """The last page of an article: a full left column, two lines in the right one (at the heights of
    the left column's lines, or between them)."""
    path = tmp_path / "last.pdf"
    sheet = Sheet(path)
    body = " ".join([ABSTRACT, *LEFT[1:], ABSTRACT_END] * 3).replace("| ", "")
    lines = wrap(body, COLUMN)[:50]
    for i, words in enumerate(lines):
        sheet.line(MARGIN, sheet.y + i * PITCH, words, COLUMN if i < len(lines) - 1 else None)
    sheet.line(GUTTER_AT[1], sheet.y + offset, "Later work reached the same conclusion about partial breaches".split(), COLUMN)
    sheet.line(GUTTER_AT[1], sheet.y + offset + PITCH, "and the slow return of waders (Lindqvist, 2019).".split())
    sheet.save()
    text = read_pdf(str(path)).text
    assert squeeze(text).endswith(" ".join(lines[-1]) + " Later work reached the same conclusion about partial breaches "
                                  "and the slow return of waders (Lindqvist, 2019). 1")  # fmt: skip
