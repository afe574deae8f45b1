"""``CitationFinder``: from bracket pairs, years and authors to ``Citation`` records.

Input: the cleaned text and the names the reference list holds (``KnownNames``). Output:
``Citation`` records in text order, one per year cited, each with its span. The finder walks the
bracket pairs (groups.py), splits each at semicolons, reads the authors before each year
(authors.py) and the locator after it (locators.py), then the citations outside brackets, and
keeps one of two readings of the same place.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable

from citecheck.cache import regex
from citecheck.citations.authors import AuthorReader, _Authors, _remember, _skip_space
from citecheck.citations.groups import _Group, bracket_groups
from citecheck.citations.known import KnownNames
from citecheck.citations.locators import _locator
from citecheck.citations.patterns import (
    _U,
    BARE_ETAL,
    BARE_PAIR,
    BINOMIAL,
    EPITHET_ENDINGS,
    NAME_WINDOW,
    NEXT_YEAR,
    STATUS_AFTER,
    YEAR,
    bare_ones,
)
from citecheck.model import Citation, Locator, Span, record
from citecheck.names import name_key


class CitationFinder(AuthorReader):
    """Finds citations in one text, knowing the names the reference list holds and the
    abbreviations the text defines as it goes ("(World Health Organization [WHO], 2019)")."""

    def __init__(self, known: KnownNames | None = None) -> None:
        self.known = known or KnownNames()
        self.abbreviations: set[str] = set()
        self._listed_names: dict[str, bool] = {}
        # Weak readings: one unlisted name and a year with no comma between ("an Orbix 2000",
        # "Data Week 2019"), kept only if the text writes its listed citations that way too.
        self._weak: set[int] = set()  # id() of the weak citations found
        self._commas = [0, 0]  # listed single names cited with, and without, a comma before the year
        self._read: set[int] = set()  # where the years a bracket pair cited start in the text
        self._shown = ""  # the text citations are quoted from (see find)
        self._bodies = {}
        self._group_ends = {}
        self._outside = False
        self._pairs: dict[str, _Reading] = {}  # what a bracket pair reads as, by its text (see _kept)
        self._pairs_abbreviations = 0  # how many abbreviations the text had defined when they were kept
        self._reads: list[int] | None = None  # the years a pair being read cites, while it is kept
        # Listed group names, read whole where they end before a year, by the key of their last
        # word: "Republic of Norland, Ministry of Health, Survey Unit", "3D Imaging Core of Easton
        # University", "The pandas development team", which no name pattern reads.
        self._groups: dict[str, list[str]] = {}
        for listed in self.known.group_names:
            words = re.findall(r"\w+", listed)
            if len(words) > 1:
                self._groups.setdefault(name_key(words[-1]), []).append(listed)

    def _listed(self, cited: _Authors) -> Callable[[int], bool]:
        return lambda year: self.known.lists(cited.names[0], year)

    def find(self, text: str, shown: str | None = None) -> list[Citation]:
        """The citations of ``text``; their ``text`` is taken from ``shown`` when given, the same
        text before markup was blanked (offsets are the same in both)."""
        self._shown = text if shown is None else shown
        found: list[Citation] = []
        groups = 0
        for groups, group in enumerate(bracket_groups(text), start=1):
            found.extend(self._kept(text, group, groups))
        found.extend(self._bare(text, groups + 1))
        if self._weak:
            # A text that writes its listed citations "Name, 2018" makes "Name 2018" something else.
            drop = self._commas[0] > self._commas[1]
            weak = self._weak
            found = [dataclasses.replace(c, weak=True) if id(c) in weak else c for c in found if not (drop and id(c) in weak)]
        found.sort(key=lambda c: c.span.start)
        # Narrative citations and bracket pairs nested in one another can find the same place twice.
        out: list[Citation] = []
        for c in found:
            if out and c.span.start < out[-1].span.end:
                continue
            if self._authority(text, c):
                continue
            out.append(c)
        return out

    def _authority(self, text: str, c: Citation) -> bool:
        """A taxonomic authority after a Latin name names who described a species, it does not cite
        a work of the list: "Carabus auratus Linnaeus, 1758", "Anchomenus dorsalis (Pontoppidan,
        1763)". A name the list has is a citation all the same, and so is one after a capitalised
        word that opens a sentence ("Forests recover (Reed, 2013)")."""
        if not c.authors or not c.year[:4].isdigit() or self._knows(c.authors[0]):
            return False
        lo = max(0, c.span.start - 80)
        if not _may_end_in_binomial(text[lo : c.span.start]):
            return False
        m = BINOMIAL.search(text, lo, c.span.start)
        if m is None:
            return False
        # The Latin name must not open a sentence or a paragraph; a line may break before it (PDF).
        lead = text[max(0, m.start() - 40) : m.start()]
        before = lead.rstrip(" \t\n*_")
        return bool(before) and before[-1] not in ".!?" and "\n\n" not in lead[len(before) :]

    def _bare(self, text: str, number: int) -> list[Citation]:
        """Citations outside brackets, only in unmistakable forms: "et al." ("Sample sizes used in
        Lin et al., 2012 and this replication"), or two listed names ("Demagny and De Robertis,
        2016" in a table cell). A single name before a bare year ("Paris, 2019") is too often
        something else."""
        out: list[Citation] = []
        matches = itertools.chain(
            ((*m.span(), False) for m in BARE_ETAL.finditer(text)),
            ((*m.span(), False) for m in BARE_PAIR.finditer(text)),
            ((start, end, True) for start, end in bare_ones(text)),
        )
        read = self._read
        for m_start, m_end, alone in matches:
            if m_end in read:
                continue  # a year a bracket pair has cited: "(Lin et al., 2012)" was read there, whole
            y = YEAR.match(text, m_end)
            if y is None:
                continue
            head_start = max(0, m_start - NAME_WINDOW)
            cited = self._authors(text[head_start:m_end], head_start, text)
            if cited is None:
                continue
            listed = all(map(self._knows, cited.names))
            if alone:
                # names and a year alone ("Clark 2015", "Haldane, Okoro 2011"): only a listed work of
                # theirs, and not the tail of a longer list of names
                if not (
                    listed
                    and len(cited.names) <= 3
                    and not _after_names(text[head_start : cited.start])
                    and y.group("year")
                    and self.known.lists(cited.names[0], int(y.group("year")[:4]))
                ):
                    continue
            elif not (cited.etal or (len(cited.names) >= 2 and listed)):
                continue
            end = min(len(text), y.end() + 200)
            years, after = _year_list(text, y, end, self._listed(cited))
            locator, after = _locator(text, after, end)
            new = _per_year(self._shown, cited, years, locator, 0, after, True, number + len(out))
            out.extend(new)
            out.extend(self._bare_more(text, after, end, cited, new[-1]))
        return out

    def _bare_more(self, text: str, pos: int, end: int, cited: _Authors, last: Citation) -> list[Citation]:
        """Further works of the same authors after a semicolon, as a table cell lists them:
        "Huang et al. 2009a; b", "Huang, Sherman and Lempicki, 2009b; 2009a". A letter goes on
        from a year with a letter; a year must be one the list has for these authors."""
        out: list[Citation] = []
        while (m := _SEMICOLON.match(text, pos, end)) is not None and m.end() < end:
            at = m.end()
            if _suffixed(last.year) and "a" <= text[at] <= "z" and not text[at + 1 : at + 2].isalnum():
                year, stop = last.year[:4] + text[at], at + 1
            else:
                y = YEAR.match(text, at, end)
                if y is None or not y.group("year") or not self.known.lists(cited.names[0], int(y.group("year")[:4])):
                    break
                year, stop = _year_label(y), y.end()
            shown = self._shown[at:stop]
            last = Citation(Span(at, stop), shown, cited.names, cited.etal, year, True, None, cited.initials, None, last.group)
            out.append(last)
            pos = stop
        return out

    # -- one bracket pair ------------------------------------------------------------------------

    def _kept(self, text: str, group: _Group, number: int) -> list[Citation]:
        """``_in_group``, kept by the pair's text: a text cites "(Smith, 2018)" again and again.
        A pair is read anew each time when its reading looked outside it (a narrative citation's
        name before the bracket, a weak reading, a name a comma joins to the words before) or
        defined an abbreviation, and all kept readings go when the text has defined a new one."""
        base = group.open + 1
        if group.nested or group.close - base > NAME_WINDOW:
            return self._in_group(text, group, number)
        content = text[base : group.close]
        if len(self.abbreviations) != self._pairs_abbreviations:
            self._pairs.clear()
            self._pairs_abbreviations = len(self.abbreviations)
        kept = self._pairs.get(content)
        if kept is not None:
            return kept.at(self, base, number)
        self._outside = False
        reads = self._reads = []
        commas = tuple(self._commas)
        found = self._in_group(text, group, number)
        self._reads = None
        if not self._outside:
            _remember(
                self._pairs,
                content,
                _Reading(
                    tuple((c, c.span.start - base, c.span.end - base) for c in found),
                    tuple(at - base for at in reads),
                    (self._commas[0] - commas[0], self._commas[1] - commas[1]),
                ),
            )
        return found

    def _in_group(self, text: str, group: _Group, number: int) -> list[Citation]:
        inner_start = group.open + 1
        content = text[inner_start : group.close]
        found = YEAR.search(content)  # the pair's reading is kept whole (_kept), not its first year
        if found is None:
            return self._undated_parts(text, inner_start, content, number)
        # Blank the pairs nested inside, except an abbreviation, "(World Health Organization [WHO],
        # 2019)", and ISO 690's no-date, "(Harlow [sans date])".
        if group.nested:
            chars = list(content)
            for s, e in group.nested:
                inner = text[s + 1 : e]
                if text[s] == "[" and (re.fullmatch(rf"{_U}[\w&.]{{1,15}}", inner) or re.fullmatch(r"sans\s+date", inner)):
                    continue
                for i in range(s - inner_start, e - inner_start + 1):
                    chars[i] = " "
            content = "".join(chars)
            found = None  # the year found before the blanking may have been blanked
        out: list[Citation] = []
        part_start = 0
        ends = _semicolons(content)
        for part_end in ends:
            first = part_start == 0
            previous = out[-1] if out else None
            # A pair of one part has the year the search of the whole pair found (the same search).
            year = found if len(ends) == 1 and found is not None else YEAR.search(content, part_start, part_end)
            if year is not None:
                out.extend(self._in_part(text, content, inner_start, part_start, part_end, group, number, first, previous, year))
            elif (letter := self._suffix_alone(content, inner_start, part_start, part_end, out, number)) is not None:
                out.append(letter)
            else:
                out.extend(self._undated_parts(text, inner_start + part_start, content[part_start:part_end], number))
            part_start = part_end + 1
        return out

    def _suffix_alone(self, content: str, base: int, start: int, end: int, out: list[Citation], number: int) -> Citation | None:
        """A year's letter alone after a semicolon, "(Eastwood and Phillips 2014a; b)" (Annals of
        Botany, ASCE): the next work of the same authors and year, when the citation before it in
        the pair has a year with a letter."""
        part = content[start:end]
        letter = part.strip()
        previous = out[-1] if out else None
        if len(letter) != 1 or not "a" <= letter <= "z" or previous is None or previous.weak or id(previous) in self._weak:
            return None
        year = previous.year
        if not _suffixed(year):
            return None
        at = base + start + part.index(letter)
        return Citation(
            Span(at, at + 1),
            self._shown[at : at + 1],
            previous.authors,
            previous.etal,
            year[:4] + letter,
            False,
            None,
            previous.initials,
            None,
            number,
        )

    def _undated_parts(self, text: str, base: int, content: str, number: int) -> list[Citation]:
        """The parts of a bracket pair that name, whole and with no year, an entry the list gives no
        year: "(Harlow)" (Springer and DIN print no "n.d."), "(Tides and currents)" (Copernicus cites
        a web page with no author and no date by its title)."""
        out: list[Citation] = []
        if not self.known.undated:
            return out
        pos = 0
        for part in content.split(";"):
            name = part.strip()
            if name[:1].isupper() and len(name) <= 120 and name_key(name) in self.known.undated:
                start = base + pos + len(part) - len(part.lstrip())
                span = Span(start, start + len(name))
                shown = self._shown[span.start : span.end]
                out.append(Citation(span=span, text=shown, authors=(name,), etal=False, year="", narrative=False, group=number))
            pos += len(part) + 1
        return out

    def _in_part(
        self,
        text: str,
        content: str,
        base: int,
        start: int,
        end: int,
        group: _Group,
        number: int,
        first: bool,
        previous: Citation | None,
        year: re.Match[str] | None = None,
    ) -> list[Citation]:
        """The citations of one part of a bracket pair, ``content[start:end]``; ``year`` is the
        first year in it when the caller has searched for it already."""
        out: list[Citation] = []
        pos = start
        while pos < end:
            m = year if year is not None and pos == start else YEAR.search(content, pos, end)
            if m is None:
                break
            head = content[pos : m.start()]
            cited = None
            if first and pos == start and not head.strip(" \t\n,"):
                self._outside = True
                cited = self._narrative(text, group)
                narrative = True
            else:
                cited = self._authors(head, base + pos, text)
                narrative = False
                if cited is None and previous is not None and pos == start and not head.strip(" \t\n,"):
                    # "(Smith et al., 2010; 2011)": a bare year after a semicolon keeps the authors
                    weak = id(previous) in self._weak
                    cited = _Authors(base + m.start(), previous.authors, previous.etal, previous.initials, None, "", weak)
            if cited is None:
                pos = m.end()
                continue
            years, after = _year_list(content, m, end, self._listed(cited))
            locator, after = _locator(content, after, end)
            status = STATUS_AFTER.match(content, after, end)  # "Vance et al. (2016, in revision)"
            if status is not None:
                after = status.end()
            if cited.weak:
                self._outside = True  # the text after the pair has a say
            if cited.weak and (text.startswith("(", _skip_space(text, base + after)) or "/" in years[0][2]):
                # "Teaching Fair 2020 (Pohl et al., 2020)": the thing the citation after it is about;
                # "(Transform 2020/2021)": an unlisted name before a span of years is an event
                pos = m.end()
                continue
            close = None
            closed = text[group.close : group.close + 1] in (")", "]")  # not a bracket closed by its sentence
            if narrative and closed and len(years) == 1 and end == len(content) and not content[after:end].strip():
                close = group.close + 1  # "Smith (2018)", "Smith (2018, p. 4)": the span takes in the bracket
            new = _per_year(self._shown, cited, years, locator, base, after, narrative, number, close)
            if status is not None:
                new[-1] = dataclasses.replace(new[-1], status=" ".join(status.group(1).lower().split()))
            if cited.weak:
                self._weak.update(id(c) for c in new)
            for y_start, _, _ in years:
                self._read.add(base + y_start)
                if self._reads is not None:
                    self._reads.append(base + y_start)
            out.extend(new)
            pos = after
        return out


@record
class _Reading:
    """What a bracket pair read as, with offsets from just inside its opening bracket: its
    citations (each with its start and end), the years it cited, and what it added to the counts
    of listed names cited with and without a comma."""

    citations: tuple[tuple[Citation, int, int], ...]
    reads: tuple[int, ...]
    commas: tuple[int, int]

    def at(self, finder: CitationFinder, base: int, number: int) -> list[Citation]:
        """The reading for the same text at ``base``, the ``number``-th pair: its citations, quoted
        from the finder's text, and its years and counts added to the finder's."""
        shown = finder._shown
        out = []
        for c, start, end in self.citations:
            start += base
            end += base
            out.append(
                Citation(
                    Span(start, end),
                    shown[start:end],
                    c.authors,
                    c.etal,
                    c.year,
                    c.narrative,
                    c.locator,
                    c.initials,
                    c.abbreviation,
                    number,
                    c.prefix,
                    c.key,
                    c.command,
                    c.status,
                    c.weak,
                )
            )
        for at in self.reads:
            finder._read.add(base + at)
        if self.commas != (0, 0):
            finder._commas[0] += self.commas[0]
            finder._commas[1] += self.commas[1]
        return out


# How a window that ``BINOMIAL`` matches ends: an epithet, or the "in" or "ex" before an authority
# ("Isolda pulchella (Müller in ").
_BINOMIAL_ENDINGS = (*EPITHET_ENDINGS, "in", "ex")


def _after_names(before: str) -> bool:
    """Whether a bare citation's names follow a comma that joins them to names before: the tail
    of a longer list. A comma after a year parts two citations, as German styles write them in a
    table cell: "Yadav et al. 2014, Wang 2002"."""
    before = before.rstrip()
    return before.endswith(",") and _YEAR_COMMA.search(before) is None


_YEAR_COMMA = regex(r"\b(?:1[5-9]|20)\d\d[a-z]?,$")


def _may_end_in_binomial(window: str) -> bool:
    """Whether ``BINOMIAL`` can match at the end of ``window``. Past the blanks, the bracket and
    the emphasis mark the pattern lets follow the epithet, the window must end as an epithet does,
    or with the "in" or "ex" of an authority, whose blanks the same stripping takes away."""
    tail = window.rstrip()
    if tail.endswith("("):
        tail = tail[:-1].rstrip()
    if tail.endswith(("*", "_")):
        tail = tail[:-1]
    return tail.endswith(_BINOMIAL_ENDINGS)


_SEMICOLON = regex(r"[ \t]*;[ \t]*")


def _suffixed(year: str) -> bool:
    """Whether a year label is a year and a letter: "2014a"."""
    return len(year) == 5 and year[:4].isdigit() and "a" <= year[4] <= "z"


def _semicolons(content: str) -> list[int]:
    """Where the parts of a bracket pair end: at each semicolon, and the last at its end."""
    ends = []
    at = content.find(";")
    while at >= 0:
        ends.append(at)
        at = content.find(";", at + 1)
    ends.append(len(content))
    return ends


def _per_year(
    text: str,
    cited: _Authors,
    years: list[tuple[int, int, str]],
    locator: Locator | None,
    base: int,
    after: int,
    narrative: bool,
    group: int,
    close: int | None = None,
) -> list[Citation]:
    """One citation per year of the same authors: "(Smith, 2018, 2020)" gives "Smith, 2018" and
    "2020"; the locator goes with the last. ``base`` turns the year offsets into text offsets."""
    out = []
    for i, (y_start, y_end, year) in enumerate(years):
        last = i == len(years) - 1
        start = cited.start if i == 0 else base + y_start
        end = close if close is not None else base + (after if last else y_end)
        # by position, in the order of the fields: a book makes tens of thousands of these
        out.append(
            Citation(
                Span(start, end),
                text[start:end],
                cited.names,
                cited.etal,
                year,
                narrative,
                locator if last else None,
                cited.initials,
                cited.abbreviation,
                group,
                cited.prefix,
            )
        )
    return out


def _year_list(
    content: str, m: re.Match[str], end: int, listed: Callable[[int], bool] = lambda year: False
) -> tuple[list[tuple[int, int, str]], int]:
    """The first year and any further years of the same authors; returns them and where they end.
    ``listed`` says whether the list has a work of these authors in a year."""
    years = [(m.start(), m.end(), _year_label(m))]
    pos = m.end()
    prev = int(m.group("year")[:4]) if m.group("year") else None
    while _comma_at(content, pos, end):  # each further year follows a comma
        n = NEXT_YEAR.match(content, pos, end)
        if n is None:
            break
        if n.group("year"):
            value = int(n.group("year"))
            # "(Smith 2018, 1999)": a smaller number after a year is a page, not a year, unless the
            # list has a work of theirs in that year: "(Okafor et al., 2011, 2010)".
            if prev is not None and value < prev and not n.group("suffix") and not listed(value):
                break
            prev = value
            years.append((n.start("year"), n.end(), n.group("year") + (n.group("suffix") or "")))
        else:
            base = years[0][2][:4] if years[0][2][:4].isdigit() else years[0][2]
            years.append((n.start("letter"), n.end(), base + n.group("letter")))
        pos = n.end()
    return years, pos


def _comma_at(content: str, pos: int, end: int) -> bool:
    """Whether a comma stands at ``pos`` after any blanks, before ``end``."""
    while pos < end and content[pos].isspace():
        pos += 1
    return pos < end and content[pos] == ","


def _year_label(m: re.Match[str]) -> str:
    if m.group("year"):
        return m.group("year") + (m.group("suffix") or "")
    if m.group("nd"):
        return "n.d." + (("-" + m.group("ndsuffix")) if m.group("ndsuffix") else "")
    return " ".join(m.group("press").lower().split()) + (("-" + m.group("presssuffix")) if m.group("presssuffix") else "")


def find_citations(text: str, known: KnownNames | None = None) -> list[Citation]:
    return CitationFinder(known).find(text)
