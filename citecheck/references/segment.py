"""Splitting a reference list into entries, and finding the lists before the last one.

Input: the cleaned text and the span of a reference list (``segment``), or the span of the last
list's heading (``earlier_lists``). Output: one ``Span`` per entry, white space trimmed, in list
order; or (heading, list) spans of each earlier list, as a book with a list per chapter has.
"""

from __future__ import annotations

import itertools
import operator

from citecheck.cache import regex
from citecheck.layout import reference_headings
from citecheck.model import Span
from citecheck.names import name_key
from citecheck.references.authors import _initials
from citecheck.references.entry import _colon_head
from citecheck.references.patterns import (
    _LEAD_PARTICLES,
    _PARAGRAPH,
    _U,
    BULLET,
    BULLET_AFTER_BREAK,
    CONTINUED_NUMBER,
    ENTRY_START,
    LINK_WORD,
    MARKER,
    REF_YEAR_APA,
    REF_YEAR_BARE,
    VOLUME_PAGES,
    ends_entry,
)


def earlier_lists(clean: str, last: Span) -> list[tuple[Span, Span]]:
    """(heading, list) of each reference list before the heading ``last``: a book or a thesis with
    a list after each chapter. A heading counts when the next line opens like a dated entry, so a
    "References" line in a table of contents does not. Each list runs to the first paragraph
    that is not an entry: the next chapter's heading or text."""
    headings = [h for h in reference_headings(clean, last.start) if _opens_entry(clean[h.end : h.end + 400].lstrip())]
    if not headings:
        return []
    stops = [h.start for h in headings[1:]] + [last.start]
    return [(h, Span(h.end, _list_end(clean, h.end, stop))) for h, stop in zip(headings, stops, strict=True)]


def _opens_entry(block: str) -> bool:
    line = block.split("\n", 1)[0]
    return ENTRY_START.match(line) is not None and (REF_YEAR_APA.search(line) or REF_YEAR_BARE.search(line)) is not None


def _list_end(clean: str, start: int, stop: int) -> int:
    """Where a list that starts at ``start`` ends, at ``stop`` at the latest: after its last
    paragraph that opens like an entry or carries one on after a page break."""
    end = start
    for m in _PARAGRAPH.finditer(clean, start, stop):
        if end > start:  # the first paragraph is the list's, whatever it opens with
            opening = m.group().split("\n", 1)[0]
            if not (_opens_entry(opening) or _carries_entry_on(opening)):
                break
        end = m.end()
    return end


def _carries_entry_on(opening: str) -> bool:
    """Whether a paragraph that opens with this line carries an entry on after a page break."""
    return (
        opening[:1].islower()  # "gliosis in retina ..."
        or CONTINUED_NUMBER.match(opening) is not None  # "8032. https://..."
        or VOLUME_PAGES.search(opening) is not None  # "Security, 32(1), 1–10."
        or LINK_WORD.search(opening.split(" ", 1)[0]) is not None  # "https://doi.org/10.1/x"
    )


def segment(clean: str, span: Span) -> list[Span]:
    """Split the reference list into entry spans (white space trimmed)."""
    texts = _line_texts(clean, span)
    starts = _line_starts(span.start, texts)
    entries: list[list[int]] = []  # the start of each entry's first line and the end of its last
    indents = _indents(texts)
    hanging = bool(indents) and min(indents) < max(indents)
    first_indent = min(indents, default=0)
    # A number opening a line marks an entry only in a list that opens with one: elsewhere it is a
    # wrapped page or article number ("Scientific Reports, 5,\n8032. https://...").
    first_line = next((t for t in texts if t.strip()), "")
    numbered = MARKER.match(first_line) is not None and BULLET.match(first_line) is None
    # Likewise a bullet, in a list that opens with one or bullets half its entries: elsewhere "- "
    # opening a line is a dash that wrapped ("Catalogue of marsh beetles\n- Volume 1: ...").
    bullets = _bulleted_lines(clean, span, texts)
    opens = list(map(bool, map(ENTRY_START.match, texts)))  # whether each line opens like an entry
    bulleted = BULLET.match(first_line) is not None or (bullets >= 2 and 2 * bullets >= sum(opens))
    blank_before = True
    page_break = False  # whether the blank lines before this line held page furniture, blanked
    previous = None
    dated = False  # whether the entry being read has shown its year yet
    head = _Head()  # what the entry being read has shown before its year
    # The first surname of each line that opens like an entry: for the order of the list, and for
    # the entry the line starts.
    surnames: list[str | None] = [None] * len(texts)
    for i in itertools.compress(itertools.count(), opens):  # the others pass by without a step of Python
        surnames[i] = _leading_surname(texts[i])
    alphabetical = _alphabetical([key for key in surnames if key is not None])
    # A list of one-line paragraphs (a word processor's or a web page's, never a PDF's wrapped
    # lines) puts one entry in each: "Overdose death rates:" is a whole entry (Copernicus renders
    # a web page by its title), not the head of the next.
    one_per_paragraph = _one_line_paragraphs(texts)
    last_number: int | None = None  # of the last numbered entry, in a numbered list
    # In a list with no hanging indents, bullets, numbers or one entry a paragraph, a line that
    # follows a line of an entry that has shown its year, and opens like no entry, carries that
    # entry on: none of the tests below can start an entry there.
    plain = not (hanging or one_per_paragraph or bulleted or numbered)
    for start, t, looks_start, surname in zip(starts, texts, opens, surnames, strict=True):
        end = start + len(t)
        if plain and dated and not blank_before and not looks_start and t and not t.isspace():
            previous = t
            entries[-1][1] = end
            continue
        if not t.strip():
            blank_before = True
            page_break = page_break or " " in t  # a running header or page number blanked to spaces
            continue
        marked = (bulleted and BULLET.match(t) is not None) or (numbered and MARKER.match(t) is not None)
        starts = _starts_entry(t, previous, dated, blank_before, hanging, first_indent, marked, looks_start)
        if starts and previous is not None and not marked and head.carried_on_by(t, previous, dated, page_break, alphabetical):
            starts = False
        if one_per_paragraph and previous is not None and not page_break:
            if previous.rstrip().endswith(":"):
                starts = not _carried_on(t)  # the entry before is a title alone: "Overdose death rates:"
            elif not starts and _colon_head(t.strip()) is not None:
                starts = True  # an author list and its colon open an entry: "NATIONAL OCEANIC ...: Tides."
        number = _entry_number(t) if numbered and starts else None
        if number is not None and last_number is not None and number not in (last_number + 1, 1):
            # Numbers count up by one: "110. Available at: ..." after entry 57 is the end of a page
            # range a page break cut ("...;31:101-" then "110."), unless it opens like an entry.
            starts = looks_start and ends_entry(previous or "")
        if starts and number is not None:
            last_number = number
        if starts or not entries:
            head = _Head(t, surname if looks_start else _leading_surname(t))
        elif not dated:
            head.read(t)
        dated = (dated and not starts) or REF_YEAR_APA.search(t) is not None or REF_YEAR_BARE.search(t) is not None
        previous = t
        if starts or not entries:
            entries.append([start, end])
        else:
            entries[-1][1] = end
        blank_before = page_break = False
    out = []
    for first, last in entries:
        while first < last and clean[first].isspace():
            first += 1
        while last > first and clean[last - 1].isspace():
            last -= 1
        if last > first:
            out.append(Span(first, last))
    return out


# "Surname, I." opening a line: "Abel, T.", "van der Berg, J.-P.", "Ōno, K. A.".
INITIALS_AFTER_NAME = regex(
    rf"[ \t*_]*{_LEAD_PARTICLES}{_U}[\w'’\-]+"
    rf"(?:[ \t]+{_U}[\w'’\-]+){{0,2}},[ \t]*{_U}\."
)
DANGLING_INITIAL = regex(rf"[,&][ \t]+{_U}\.(?:[ \t]*-?{_U}\.)*[*_]*[ \t\r]*$")  # "..., S. K. Reyes, J."
# One name of an author list, as a line break leaves it: "Cruz", "van der Berg", "Susan Baker".
AUTHOR_NAME = regex(rf"{_LEAD_PARTICLES}{_U}[\w'’\-]+(?:[ \t]+{_U}[\w'’\-]+){{0,2}}")
# The first surname of a line that opens like an entry, for the alphabetical order of a list.
LEADING_NAME = regex(rf"[ \t*_]*({_LEAD_PARTICLES}{_U}[\w'’\-]*)")
OPEN_END = regex(r"(?:[,;&]|\band|\bIn)[*_]*[ \t\r]*$")  # "Cruz, N.,", "Vega, S., &", "... In"


# What parts the names of an author list: a comma, an "&" or the word "and" (",|&|\band\b"). Each
# alternative opens with a character, so that the engine skips to the next one.
_NAME_BREAK = regex(r",|&|a(?<!\wa)nd\b")


class _Head:
    """What an entry has shown so far: whether it is only names and initials (no title yet), and
    its first surname. A line that opens like a new entry after a head that is only names carries
    the author list on past a page break or a wrap ("Abel, T., Baker, S., Cruz, N.," then "Dunn,
    H., & Fay, K. (2002). ...").

    Its lines are read for names when that is asked, which is only before the entry's year: an
    entry whose first line shows its year, as most do, is never read."""

    def __init__(self, line: str = "", surname: str | None = None) -> None:
        """``surname``: the line's first surname (``_leading_surname``)."""
        self.names_only = bool(line)
        self.initials = False
        self.surname = surname or ""
        self._unread: list[str] = []
        if line:
            self.read(line)

    def read(self, line: str) -> None:
        """Take in a line of the entry that came before its year."""
        self._unread.append(line)

    def names_and_initials(self) -> bool:
        """Whether the entry's lines so far are only names, initials among them."""
        for line in self._unread:
            self._read_names(line)
        self._unread.clear()
        return self.names_only and self.initials

    def _read_names(self, line: str) -> None:
        if not self.names_only:
            return
        line = _unmarked(line).strip(" \t\r*_")
        for token in _NAME_BREAK.split(line.replace("…", ",").replace("...", ",")):
            token = token.strip(" \t.")
            if not token or token == "et al":
                continue
            if _initials(token + ".") or _initials(token):
                self.initials = True
            elif AUTHOR_NAME.fullmatch(token) is None:
                self.names_only = False
                return

    def carried_on_by(self, line: str, previous: str, dated: bool, page_break: bool, alphabetical: bool) -> bool:
        """Whether ``line``, which opens like an entry, carries this one on instead."""
        if not dated and self.names_and_initials():
            return True  # no year and no title yet: the author list goes on
        if page_break and OPEN_END.search(previous) is not None:
            return True  # an entry does not end in a comma, an "&" or an "In" before a page break
        if not alphabetical or ends_entry(previous) or not self.surname:
            return False
        # The entry is unfinished: in an alphabetical list, a name before its own cannot open the next.
        surname = _leading_surname(line)
        return surname is not None and surname < self.surname


MAX_OUT_OF_ORDER = 0.2  # of the lines that open like entries, the share that may break the order


def _leading_surname(line: str) -> str | None:
    """The key (``name_key``) of the surname a line opens with, after its bullet or number; None
    where it opens with none."""
    m = LEADING_NAME.match(_unmarked(line))
    return name_key(m.group(1)) if m is not None else None


def _alphabetical(keys: list[str]) -> bool:
    """Whether the first surnames of the lines that open like entries follow each other in
    alphabetical order, but for one or a few (a wrapped author list, a misfiled entry)."""
    out_of_order = sum(1 for a, b in itertools.pairwise(keys) if b < a)
    return out_of_order <= max(1, MAX_OUT_OF_ORDER * (len(keys) - 1))


def _unmarked(line: str) -> str:
    """A line without the bullet or number it opens with (``MARKER``)."""
    m = MARKER.match(line)
    return line[m.end() :] if m else line


def _entry_number(line: str) -> int | None:
    """The number a numbered entry opens with: "12. Smith ...", "[12] Smith ...", "12) Smith ..."."""
    m = MARKER.match(line)
    digits = "".join(c for c in m.group(0) if c.isdigit()) if m else ""
    return int(digits) if digits else None


def _one_line_paragraphs(texts: list[str]) -> bool:
    """Whether three of the lines at least are not blank, and no two of those follow each other."""
    # Read up to the first two lines that follow each other, which in most lists are the first two.
    filled = itertools.compress(itertools.count(), map(str.strip, texts))
    pairs = 0
    for a, b in itertools.pairwise(filled):
        if b - a == 1:
            return False
        pairs += 1
    return pairs >= 2


def _bulleted_lines(clean: str, span: Span, texts: list[str]) -> int:
    """How many of the lines ``texts`` of the span open with a bullet (``BULLET``): the first, and
    those after a line break inside the span."""
    first = bool(texts) and BULLET.match(texts[0]) is not None
    return first + len(BULLET_AFTER_BREAK.findall(clean, span.start, span.end))


def _line_texts(clean: str, span: Span) -> list[str]:
    """The text of each line of the span; a line break that ends the span opens no line after it."""
    texts = clean[span.start : span.end].split("\n")
    if not texts[-1]:
        texts.pop()
    return texts


def _line_starts(start: int, texts: list[str]) -> list[int]:
    """Where each of the lines ``texts``, which follow each other from ``start``, begins: a line
    begins one past the end of the line before it, after its line break."""
    widths = map(operator.add, map(len, texts), itertools.repeat(1))
    return list(itertools.accumulate(widths, initial=start))[: len(texts)]


def _indents(texts: list[str]) -> set[int]:
    """The indents, in spaces and tabs, of the lines that are not blank."""
    # Each line once: the lines of a long list repeat (a link cut by a line break after each few
    # characters), and the indents are a set.
    filled = set(filter(str.strip, texts))
    return set(map(operator.sub, map(len, filled), map(len, map(str.lstrip, filled, itertools.repeat(" \t")))))


def _starts_entry(
    line: str,
    previous: str | None,
    dated: bool,
    blank_before: bool,
    hanging: bool,
    first_indent: int,
    marked: bool,
    looks_start: bool,
) -> bool:
    """Whether ``line`` starts an entry; ``looks_start``: whether it opens like one (``ENTRY_START``)."""
    if previous is None or marked:
        return True
    # After its year, an entry that ends in a lone initial is in a list of editors cut by a line
    # break ("In T. F. Oakes, ..., S. K. Reyes, J." then "Sandoval, A. Tate, ... (Eds.)").
    ended = ends_entry(previous) and not (dated and _dangling_initial(previous))
    if blank_before:
        # After a blank line a new entry starts, unless the line carries on an entry that a page or
        # column break cut in two: "... Journal of\n\nSecurity, 32(1), 1–10.", or a line opening
        # in lowercase or with a bare number ("gliosis in retina ...", "8032. https://...").
        if not looks_start and _carried_on(line):
            return False
        return looks_start or ended
    indent = len(line) - len(line.lstrip(" \t"))
    if hanging:
        return indent == first_indent
    # No blank line before it and no indents (text flattened from a PDF): a line that opens like an
    # entry starts one only after a line that closed one, and only once the current entry has its
    # year ("Adams, P. D., Afonine, P. V.,\nHung, L. W., ..." is one long author list); and it opens
    # with a name and initials or shows its year before any other number: a journal's name that
    # wraps onto its own line ("Marine, Coastal and Shelf Studies, 10, 625–636.", "Frontiers in Marsh
    # Science, 5, 2011.") carries its entry on.
    return looks_start and ended and dated and (INITIALS_AFTER_NAME.match(line) is not None or _year_first(line))


def _dangling_initial(line: str) -> bool:
    """Whether a line ends in a lone initial after a comma or an "&" (``DANGLING_INITIAL``)."""
    # A match holds no comma or "&" after its first character, so it can only start at the last one.
    start = max(line.rfind(","), line.rfind("&"))
    return start >= 0 and DANGLING_INITIAL.search(line, start) is not None


def _carried_on(line: str) -> bool:
    """A line that opens in lowercase or with a bare number carries an entry on: "gliosis in
    retina ...", "8032. https://..."."""
    opening = line.lstrip()
    return opening[:1].islower() or CONTINUED_NUMBER.match(opening) is not None


def _year_first(line: str) -> bool:
    if REF_YEAR_APA.search(line):
        return True
    m = REF_YEAR_BARE.search(line)
    return m is not None and not any(c.isdigit() for c in line[: m.start()])
