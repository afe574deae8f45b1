"""The shortcuts that spare a long text of short lines a pattern tried at every line: each finds
what the plain form finds."""

from __future__ import annotations

import random
import re
import sys

import pytest
from invented import line_texts

from citecheck import layout
from citecheck.model import Span
from citecheck.references import entry_text
from citecheck.references.patterns import LINK_WORD, LINK_WORD_START

LINES = [
    "References",
    "## 7. References",
    "**Bibliography**",
    "RÉFÉRENCES",
    "Works Cited:",
    "Literaturverzeichnis",
    "ſources",
    "Lıterature Cited",
    "İ",
    "Appendix A: data",
    "Acknowledgements",
    "Table 2. Drugs and genes",
    "TABLE 1:",
    "| a | b |",
    "a | b | c",
    "x\ty\tz",
    "\t",
    " ",
    "",
    "Smith, J. (2019). Title. Journal, 1, 2–3.",
    "Jones, K. 2020. A long title of a work, with words enough to read as an entry",
    "references",
    "ab",
]


def test_the_words_fold_as_the_patterns_do() -> None:
    # In the letters of the words, lower case and IGNORECASE agree but for the characters kept apart.
    letters = set("".join(layout.HEADING_WORDS + layout.BACK_MATTER_WORDS))
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    lowered: dict[str, set[str]] = {}
    for c in every:
        if c.lower() in letters:
            lowered.setdefault(c.lower(), set()).add(c)
    for letter in letters:
        matched = set(re.findall(re.escape(letter), every, re.IGNORECASE))
        assert matched ^ lowered[letter] <= set(layout._FOLD_APART), letter


@pytest.mark.parametrize("seed", range(3))
def test_line_matches_are_those_of_the_pattern(seed: int) -> None:
    for text in line_texts(LINES, seed):
        for pattern, words in ((layout.HEADING, layout.HEADING_WORDS), (layout.BACK_MATTER, layout.BACK_MATTER_WORDS)):
            for pos in (0, len(text) // 3):
                found = [m.span() for m in layout._line_matches(pattern, words, text, pos, len(text))]
                assert found == [m.span() for m in pattern.finditer(text, pos)], (text, pos)


def plain_table_after_entries(clean: str, start: int, end: int) -> int:
    """``layout._table_after_entries`` as it reads each line."""
    entries, row_at, since = False, None, 0
    for m in layout._LINE.finditer(clean, start, end):
        line = m.group()
        if not line.strip():
            continue
        if layout._is_table_row(line):
            if not entries:
                return end
            if row_at is not None:
                return row_at
            row_at, since = m.start(), 0
            continue
        if entries and layout.TABLE_CAPTION.match(line):
            return m.start()
        since += 1
        if since > 1:
            row_at = None
        entries = True
    return end


@pytest.mark.parametrize("seed", range(3))
def test_a_table_after_the_entries_is_where_each_line_puts_it(seed: int) -> None:
    rng = random.Random(seed)
    for text in line_texts(LINES, seed + 10):
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        assert layout._table_after_entries(text, start, end) == plain_table_after_entries(text, start, end), (text, start, end)


def test_spaced_keeps_the_line_breaks() -> None:
    assert layout._spaced("ab\n\nc d\n") == "  \n\n   \n"
    assert layout._spaced("") == ""


def test_a_link_word_starts_where_a_word_reads_as_a_link() -> None:
    words = ["https://doi.org/10.1/x", "x://y", "doi:10.1/x", "DOI:", "www.who.int", "WWW.X", "(10.1007/s1", "10.123/x"]
    words += ["10.12345/x", "Retrieved", "(accessed", "a.b/c", "xdoi:", "10.1/x", "ab"]
    text = " ".join(words)
    starts = {m.start() for m in LINK_WORD_START.finditer(text)}
    expected = {m.start() for m in re.finditer(r"\S+", text) if LINK_WORD.search(m.group())}
    assert starts == expected


@pytest.mark.parametrize(
    ("raw", "joined"),
    [
        ("https://doi.org/10.1007/s11121-\n011-0217-6", "https://doi.org/10.1007/s11121-011-0217-6"),
        ("https://doi.org/10.1002/\n(SICI)1097-4547\n(19991115)58:4", "https://doi.org/10.1002/(SICI)1097-4547 (19991115)58:4"),
        ("Title. https://doi.org/10.1000/ab\nab\nab", "Title. https://doi.org/10.1000/ab ab ab"),
        ("See https://www.who.int/\nAccessed 3 May", "See https://www.who.int/ Accessed 3 May"),
        ("www.x.org/a-\nb c\nd", "www.x.org/a-b c d"),
        # A link longer than the tail that is read of it is still cut after a DOI prefix.
        ("https://example.org/a/very/long/path/10.1000/\nrest", "https://example.org/a/very/long/path/10.1000/rest"),
    ],
)
def test_entry_text_glues_a_link_a_line_break_cut(raw: str, joined: str) -> None:
    assert entry_text(raw) == joined


@pytest.mark.parametrize("seed", range(3))
def test_the_headings_before_a_place_are_those_a_scan_up_to_it_finds(seed: int) -> None:
    # The headings of the whole text are kept; those before a line start are taken from them.
    rng = random.Random(seed)
    for text in line_texts(LINES, seed + 20, 500):
        line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        for end in [None, len(text), rng.randint(0, len(text)), *line_starts]:
            scanned = list(layout._headings_in(text, len(text) if end is None else end))
            assert list(layout.reference_headings(text, end)) == scanned, (text, end)


def plain_find_noise(text: str) -> list[Span]:
    """``layout.find_noise`` as it reads a record of each line that is not empty."""
    lines = []
    pos = 0
    for line in text.split("\n"):
        if line:
            lines.append((pos, pos + len(line), line.strip()))
        pos += len(line) + 1
    numbers = []
    for start, end, _ in lines:
        m = layout.PAGE_NUMBER.match(text[start:end])
        numbers.append(int(layout._DIGITS.findall(m.group())[0]) if m else None)
    pages: list[int | None] = [None] * len(lines)
    for j in (j for j, n in enumerate(numbers) if n is not None):
        after = next((i for i in range(j + 1, len(lines)) if lines[i][2]), None)
        if after is not None:
            pages[after] = numbers[j]
    for j in (j for j, n in enumerate(numbers) if n is not None):
        before = next((i for i in range(j - 1, -1, -1) if lines[i][2]), None)
        if before is not None and pages[before] is None:
            pages[before] = numbers[j]
    shapes = layout._shapes([s for _, _, s in lines if s and len(s) <= layout.MAX_FOOTER_CHARS and s[0] != "|"])
    counts: dict[str, int] = {}
    paged: dict[str, list[int]] = {}
    last_seen: dict[str, int] = {}
    previous: dict[str, str] = {}
    changing: dict[str, set[int]] = {}
    entries: set[str] = set()
    for (start, _, stripped), page in zip(lines, pages, strict=True):
        key = shapes.get(stripped)
        if key is None:
            continue
        if start - last_seen.get(key, -layout.MIN_GAP) >= layout.MIN_GAP:
            counts[key] = counts.get(key, 0) + 1
            if page is not None:
                paged.setdefault(key, []).append(page)
        last_seen[key] = start
        if "#" in key and key in previous:
            now, before = layout._DIGITS.findall(stripped), layout._DIGITS.findall(previous[key])
            changed = [i for i, (a, b) in enumerate(zip(before, now, strict=True)) if a != b]
            changing.setdefault(key, set()).update(changed)
            if any(len(now[i]) > 4 or len(before[i]) > 4 or int(now[i]) < int(before[i]) for i in changed):
                entries.add(key)
        if "#" in key:
            previous[key] = stripped
    spans = []
    for (start, end, stripped), number in zip(lines, numbers, strict=True):
        shape = shapes.get(stripped)
        if shape is None:
            continue
        count = counts[shape]
        header = count > 1 and layout._is_header(shape, count, paged.get(shape, []), changing, entries)
        if header or (number is not None and not layout._carries_on(text, start)):
            spans.append(Span(start, end))
    return spans


NOISE_LINES = [
    "JOURNAL OF MARSH STUDIES 12 (2020)",
    "Journal of Marsh Studies, 13",
    "Thyroid Carcinoma",
    "12",
    "- 13 -",
    "Page 4 of 9",
    "  7  ",
    "| a | b |",
    "(Bajrami et al.,",
    "Smith, J. (2019). Title. Journal, 1, 2–3.",
    "https://doi.org/10.1107/S0907444909052925",
    "https://doi.org/10.1107/S0907444909052926",
    "",
    " ",
    "\t",
    "x" * 130,
    "A line of body text that goes on for a while, as prose does, and ends mid-way",
]


@pytest.mark.parametrize("seed", range(3))
def test_the_noise_is_what_a_record_of_each_line_finds(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(300):
        # Repeats far apart and near: a page of filler between some of them.
        count = rng.randint(0, 60)
        parts = [rng.choice(NOISE_LINES) if rng.random() < 0.8 else "filler " * rng.randint(1, 120) for _ in range(count)]
        text = "\n".join(parts) + rng.choice(["", "\n"])
        assert layout.find_noise(text) == plain_find_noise(text), text
