"""Finding author-date citations in the body of a manuscript.

Input: the cleaned text (same length as the source, reference list blanked) and the names the
reference list knows. Output: ``Citation`` records in text order, each with its own span:
``(Smith, 2018; Jones, 2020)`` gives two, ``Smith (2018)`` one.

The finder anchors on years, never on names: it looks at each bracket pair, splits it at
semicolons, finds the years in each part and reads the authors backwards from each year. A name
before a bracket that opens with a year makes a narrative citation. Anchoring on years keeps the
work linear in the length of the text whatever the text holds (300,000 open brackets, a name
repeated 100,000 times): every regex runs on a bounded window.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process

from citecheck.model import Citation, Locator, Span
from citecheck.names import LOWER, PARTICLES, UPPER, group_key, name_key, surname_words

MAX_GROUP = 2000  # a bracket pair longer than this is prose, not a citation
NAME_WINDOW = 160  # how far back from a year or a bracket authors are looked for

# A year as cited. The lookarounds keep out ranges and numbers: "1991–1995", "20185", "p.2018"; a
# capitalised name glued after it ("2018Kadoch", "2018KADOCH", a flattened table cell) is let through.
YEAR = re.compile(
    r"""
    (?<![\w/.–-])
    (?:
        (?P<year>(?:1[5-9]|20)\d\d(?:/(?:1[5-9]|20)\d\d)?)   # 2018, or 1890/1983 (original/reprint)
        (?P<suffix>(?-i:[a-z]))?                             # 2018a
        (?!(?!(?-i:[{UPPER}](?:[{LOWER}]|[{UPPER}]{2})))\w|\s*[–—-]\s*\d|[.,]\d|\s*%)  # not 2018–2020, 2018.5, 2018 %
        (?!;\s?\d+\s?[(:])                                     # not a journal's "2018;36(1):7", "2020;21:271"
      | (?P<nd>n\.\s?d\.|(?-i:o\.\s?J\.|s\.\s?[df]\.|no\s+date)|\[sans\s+date\])(?:-?(?P<ndsuffix>[a-z])\b)?  # n.d.-a, o. J.
      | (?P<press>in\s+press|forthcoming|in\s+preparation|submitted|in\s+revision|in\s+review|under\s+review
          |unpublished(?:\s+(?:data|work|observations?|results|manuscript))?|personal\s+communication|pers\.\s?comm\.
        )(?:-?(?P<presssuffix>[a-z])\b)?
    )
    """.replace("{UPPER}", UPPER).replace("{LOWER}", LOWER),
    re.VERBOSE | re.IGNORECASE,
)

# A publication status after the year: "(2016, in revision)", "(Smith, 2019, submitted)".
STATUS_AFTER = re.compile(
    r"\s*,\s*(in\s+press|in\s+revision|in\s+review|under\s+review|submitted|in\s+preparation|unpublished)\b", re.IGNORECASE
)

# Work not (yet) published, which many styles leave out of the list: the status, and what APA 7 says.
UNPUBLISHED = {
    "personal communication": "APA 7 (8.9) cites personal communications in the text only and never lists them",
    "pers. comm.": "APA 7 (8.9) cites personal communications in the text only and never lists them",
    "unpublished": "APA 7 (10.8) lists an unpublished manuscript or unpublished data ('Unpublished manuscript', "
    "'[Unpublished raw data]'); many journals leave them out",
    "in preparation": "APA 7 (10.8) lists it as 'Manuscript in preparation'; many journals leave it out",
    "submitted": "APA 7 (10.8) lists it as 'Manuscript submitted for publication'; many journals leave it out",
    "in revision": "APA 7 (10.8) lists it as 'Manuscript submitted for publication'; many journals leave it out",
    "in review": "APA 7 (10.8) lists it as 'Manuscript submitted for publication'; many journals leave it out",
    "under review": "APA 7 (10.8) lists it as 'Manuscript submitted for publication'; many journals leave it out",
}


def unpublished(c: Citation) -> str | None:
    """The status of work cited as not published ("in preparation", "personal communication"),
    from the year's place or after the year; None for a published or in-press work."""
    label = c.status or c.year
    for status in UNPUBLISHED:
        if label.startswith(status):
            return status
    return None


# A further year of the same authors: "(Smith, 2018, 2020)", "(Smith, 2018a, b)".
NEXT_YEAR = re.compile(
    r"""
    \s*,\s*
    (?:
        (?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\w]|\s*[–—-]\s*\d)
      | (?P<letter>[a-z])(?![\w.])
    )
    """,
    re.VERBOSE,
)

# A pinpoint after the year: ", p. 45", ", pp. 45–50", ", para. 3", ", chap. 2", Chicago ", 45",
# Harvard ": 45".
LOCATOR = re.compile(
    r"""
    \s*[,:]\s*
    (?:
        (?P<kind>
            pp?|pgs?|pages?                      # p. 45, pp. 45-50, page 45
          | paras?|paragraphs?|¶¶?               # para. 3, ¶ 3
          | chaps?|ch|chapters?                  # chap. 2
          | secs?|sections?|§§?                  # sec. 4, § 4
          | figs?|figures?                       # fig. 2
          | tables?|tab                          # table 3
          | nn?|notes?|fn                        # n. 12
          | ll?|lines?                           # l. 10
          | cols?|columns?                       # col. 2
          | S(?=\.)                              # S. 45 (German: Seite)
        )\.?\s*
    )?
    (?P<first>[A-Za-z]?\d+[A-Za-z]?|(?i:[ivxlc]+)\b)
    (?:\s*[–—-]\s*(?P<last>[A-Za-z]?\d+[A-Za-z]?|(?i:[ivxlc]+)\b))?
    (?:\s*(?:,|&|and)\s*(?P<more>(?!(?:1[5-9]|20)\d\d\b)\d+)(?:\s*[–—-]\s*(?P<morelast>\d+))?)*  # not a year
    (?:\s*ff?\.)?
    """,
    re.VERBOSE,
)

_U = f"[{UPPER}]"
_L = f"[{LOWER}]"
_WORD = f"(?:{_U}(?:[{UPPER}{LOWER}'’\\-]|\\.(?={_L}))*)"  # Smith, O'Neil, Dubois-Dauphin, McDonald, WHO
_PARTICLE = "(?:" + "|".join(sorted((re.escape(p) for p in PARTICLES if not p.endswith("'")), key=len, reverse=True)) + ")"
# One name: optional initials ("J. Brown"), particles ("van der Berg", "de Melo", "d'Alembert"),
# then up to seven words for group authors ("Human Microbiome Project Consortium", "Department of
# Health").
_NAME = rf"""
    (?:{_U}\.(?:\s?-?{_U}\.)?\s*)?
    (?:(?:{_PARTICLE})\s+|[dDlL]['’]|St[e]?\.\s*)*
    {_WORD}
    (?:\s+(?:(?:of|for|the|on|de|du|des|del|della|la|le|van|von|der|den|ter|da|di|dos|das|y|e|i)\s+){{0,2}}{_WORD}){{0,6}}
"""
_ETAL = r"(?:\s*,?\s+(?:et\s*al\.?|et\s+alii|and\s+(?:others|colleagues|co-?workers)|u\.\s?a\.|et\s+coll\.))"  # u. a.: German

# The authors of a citation, read at the end of a window that ends just before the year (or the
# bracket of a narrative citation).
AUTHORS = re.compile(
    rf"""
    (?P<authors>
        (?P<first>{_NAME})
        (?:
            (?P<etal>{_ETAL})                                 # Smith et al.
          | (?P<rest>(?:\s*,\s*{_NAME}){{0,12}}               # Smith, Jones,
                     \s*,?\s*(?:&|\b(?:and|und|et)\b)\s*{_NAME}  # & Lee, und Lee, et Lee
                     (?P<etal2>{_ETAL})?)
          | (?P<named>(?:\s*,\s*{_NAME}){{1,12}}(?P<etal3>{_ETAL}))  # Shabani, Dobbs, et al. (APA's disambiguation)
        )?
    )
    (?:\s*\[(?P<abbr>{_U}[\w&.]{{1,15}})\])?                  # [WHO]
    (?P<possessive>['’]s?)?
    [\s,]*$
    """,
    re.VERBOSE,
)

# Citations standing outside any bracket: "Lin et al., 2012", "Hollis et al., 2009a", and, when
# both names are listed, "Demagny and De Robertis, 2016". A line may break before the year.
_BARE_YEAR = rf"(?:[ \t]+|[ \t]*\n[ \t]*)(?=(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)(?!(?!{_U}(?:{_L}|{_U}{{2}}))[\w–-]))"
BARE_ETAL = re.compile(r"\b(?:et\s+al\.?|u\.\s?a\.),?" + _BARE_YEAR)
BARE_ONE = re.compile(r"(?<=[^\W\d_]),?" + _BARE_YEAR)  # "as explained in Clark, 2015", with Clark (2015) listed
BARE_PAIR = re.compile(r"(?:&|\band\b)[ \t]+[^\W\d_][^,;()\[\]\n]{0,60}?,?" + _BARE_YEAR)

_SPLIT_AUTHORS = re.compile(r"\s*,\s*(?:&|\b(?:and|und|et)\b)?\s*|\s+(?:&|\b(?:and|und|et)\b)\s+")
_ETAL_TAIL = re.compile(_ETAL + r"$", re.VERBOSE)

# Words that open a bracket or a sentence before the names: "(see also Smith, 2018)",
# "(Reviewed in Jones, 2020)", "Both Smith and Lee (2019)". Compared in lowercase.
LEAD_WORDS = frozenset(
    """
    see also but cf cf. compare reviewed review reviews in for from data adapted modified based on as
    cited by after following using both while whereas although though unlike like since because when
    where thus hence here then recently previously similarly notably indeed however moreover furthermore
    finally first second third later earlier the a an this that these those and or nor yet so if unless
    until before during with without within according per via eg e.g. e.g ie i.e. i.e table tables
    figure figures fig fig. box appendix section chapter eq equation model study studies work works
    citing quoted quoting translated originally reprinted reviewing summarized described discussed
    reported proposed shown similar same other others many some most several recent early classic
    seminal original pioneering our their his her its we they he she it i you reprint update updated
    extended
    """.split()
)

# Capitalised words that are not authors although they stand before a year: "(March 2020)",
# "(Spring, 2019)", "Figure (2018)".
NOT_NAMES = frozenset(
    """
    january february march april may june july august september october november december jan feb mar
    apr jun jul aug sep sept oct nov dec spring summer autumn fall winter monday tuesday wednesday
    thursday friday saturday sunday figure figures fig table tables eq equation section chapter vol
    volume no issue page pages appendix supplement supplementary version release edition update phase
    wave round year years since until circa ca about approximately before after from to by in during
    between ad bc ce bce fy q1 q2 q3 q4 est established founded born died
    """.split()
)

# Determiners and prepositions before a capitalised word make it a thing, not a person:
# "the annexation of Crimea (2014)", "the Treaty (2001)".
THING_BEFORE = frozenset(
    """
    the a an this that these those its their our his her of in on at from to into with
    """.split()
)

# Words in group-author names ("World Health Organization", "R Core Team").
ORG_WORDS = frozenset(
    """
    organization organisation team consortium association institute society council agency bank group
    project committee office department ministry commission foundation board centre center program
    programme union nations fund service survey network collaboration initiative forum university
    federation bureau authority administration trust panel alliance partnership government parliament
    court academy laboratory laboratories corporation company inc ltd workgroup working party
    secretariat statistics census
    """.split()
)


@dataclass(frozen=True)
class KnownNames:
    """Names the reference list holds, so the finder can settle where a name begins."""

    surnames: frozenset[str] = frozenset()  # name_key of every family name
    groups: frozenset[str] = frozenset()  # group_key of every group author
    lowercase_words: frozenset[str] = frozenset()  # words the text uses in lowercase
    group_names: tuple[str, ...] = ()  # group authors as listed
    works: frozenset[tuple[str, str]] = frozenset()  # (name_key of the first author, year) of every entry
    undated: frozenset[str] = frozenset()  # name_key of the first author of every entry with no year

    def lists(self, name: str, year: int) -> bool:
        """Whether an entry of this first author has this year, or no year to tell: "(Okafor et
        al., 2011, 2010)", "ANDREWS, 2010" for "ANDREWS, S.: FastQC." (DIN prints no year)."""
        key = name_key(name)
        return (key, str(year)) in self.works or (key, "") in self.works

    def knows(self, name: str) -> bool:
        return name_key(name) in self.surnames or group_key(name) in self.groups

    def completion(self, name: str, before: str) -> str | None:
        """The listed group name that ``name`` ends and ``before`` begins: "Genomes Project
        Consortium" after "1000 " is "1000 Genomes Project Consortium", "Sequencing Consortium"
        after "C. elegans " is "C. elegans Sequencing Consortium"."""
        key = group_key(name)
        for listed in self.group_names:
            full = group_key(listed)
            if full != key and full.endswith(" " + key):
                head = listed[: len(listed) - len(name)].rstrip()
                if head and group_key(before[-len(head) - 1 :]).endswith(group_key(head)):
                    return listed
        return None


SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


@dataclass
class _Group:
    open: int
    close: int  # index of the closing bracket
    nested: list[tuple[int, int]]


def bracket_groups(text: str) -> Iterator[_Group]:
    """Matched ``(...)`` and ``[...]`` pairs, innermost first, each with the pairs nested in it.
    A round bracket still open where its paragraph ends ("(Goulet 1974; and Arndt (1998). The
    beetles ...") is also taken to close where its sentence does; it stays open, since a blank
    line inside brackets may be a page break, and a pair closed later finds the same citations."""
    stack: list[tuple[int, str, list[tuple[int, int]]]] = []
    closer = {")": "(", "]": "["}
    unclosed: set[int] = set()
    for m in re.finditer(r"[()\[\]]|\n[ \t]*\n|\Z", text):
        ch = m.group()
        pos = m.start()
        if ch not in "()[]" or not ch:  # a paragraph ends, or the text
            for start, kind, nested in stack:
                if kind == "(" and start not in unclosed and pos - start <= MAX_GROUP:
                    unclosed.add(start)
                    stop = SENTENCE_END.search(text, nested[-1][1] if nested else start, pos)
                    yield _Group(start, stop.start() if stop else pos, list(nested))
            continue
        if ch in "([":
            if len(stack) > 64:  # deeper than any citation: drop the oldest so memory stays bounded
                stack.pop(0)
            stack.append((pos, ch, []))
            continue
        want = closer[ch]
        # pop unmatched openers of the other kind ("(a]" in a formula)
        while stack and stack[-1][1] != want:
            stack.pop()
        if not stack:
            continue
        start, _, nested = stack.pop()
        if pos - start <= MAX_GROUP:
            yield _Group(start, pos, nested)
        if stack:
            stack[-1][2].append((start, pos))


class CitationFinder:
    """Finds citations in one text, knowing the names the reference list holds and the
    abbreviations the text defines as it goes ("(World Health Organization [WHO], 2019)")."""

    def __init__(self, known: KnownNames | None = None) -> None:
        self.known = known or KnownNames()
        self.abbreviations: set[str] = set()
        # Weak readings: one unlisted name and a year with no comma between ("an Orbix 2000",
        # "Data Week 2019"), kept only if the text writes its listed citations that way too.
        self._weak: set[int] = set()  # id() of the weak citations found
        self._commas = [0, 0]  # listed single names cited with, and without, a comma before the year
        # Listed group names, read whole where they end before a year, by the key of their last
        # word: "Republic of Norland, Ministry of Health, Survey Unit", "3D Imaging Core of Easton
        # University", "The pandas development team", which no name pattern reads.
        self._groups: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for listed in self.known.group_names:
            words = re.findall(r"\w+", listed)
            if len(words) > 1:
                pattern = re.compile(r"(?<!\w)" + r"[\W_]+".join(map(re.escape, words)) + r"[\W_]*$", re.IGNORECASE)
                self._groups.setdefault(name_key(words[-1]), []).append((listed, pattern))

    def _listed(self, cited: _Authors) -> Callable[[int], bool]:
        return lambda year: self.known.lists(cited.names[0], year)

    def _group_at_end(self, window: str, offset: int) -> _Authors | None:
        """A listed group name that the window ends with, read whole."""
        if not self._groups:
            return None
        last = re.search(r"(\w+)[\W_]*$", window)
        for listed, pattern in self._groups.get(name_key(last.group(1)), []) if last else ():
            m = pattern.search(window)
            if m is not None:
                prefix = " ".join(window[: m.start()].strip(" ,").split())
                return _Authors(offset + m.start(), (listed,), False, None, None, prefix)
        return None

    def _quoted_title(self, window: str, offset: int) -> _Authors | None:
        """A work with no author cited by its title in quotation marks: "“Practical Neural
        Networks” (n.d.)", "(“Deep Trees”, 2021)". A quotation that names no listed title is
        taken for one only when it is set like a title and the list has entries without authors:
        'it is “a pragmatic response” (2021)' quotes a work, it does not name one."""
        m = QUOTED_END.search(window)
        if m is None:
            return None
        title = " ".join(m.group("title").split())
        if not self._knows(title):
            words = [w for w in title.split() if len(w) > 3]
            if not self.known.groups or not title[0].isupper() or sum(w[0].isupper() for w in words) * 2 < len(words):
                return None
        return _Authors(offset + m.start(), (title,), False, None, None, "")

    def _near_known(self, name: str) -> bool:
        """Whether a listed surname is the name or one slip away from it ("Smtih" for "Smith")."""
        if self._knows(name):
            return True
        return any(
            process.extractOne(name_key(word), self.known.surnames, scorer=fuzz.ratio, score_cutoff=75) is not None
            for word in name.split()[-2:]
        )

    def _misspelt(self, word: str) -> bool:
        """Whether an unlisted word is a listed surname misspelt, not a word of the text's own."""
        low = word.lower()
        if low in NOT_NAMES or low in LEAD_WORDS or low in self.known.lowercase_words:
            return False
        return self._near_known(word)

    def _knows(self, name: str) -> bool:
        return self.known.knows(name) or name_key(name) in self.abbreviations

    def find(self, text: str) -> list[Citation]:
        found: list[Citation] = []
        groups = 0
        for groups, group in enumerate(bracket_groups(text), start=1):
            found.extend(self._in_group(text, group, groups))
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
        m = BINOMIAL.search(text, max(0, c.span.start - 80), c.span.start)
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
            ((m, False) for m in BARE_ETAL.finditer(text)),
            ((m, False) for m in BARE_PAIR.finditer(text)),
            ((m, True) for m in BARE_ONE.finditer(text)),
        )
        for m, alone in matches:
            y = YEAR.match(text, m.end())
            if y is None:
                continue
            head_start = max(0, m.start() - NAME_WINDOW)
            cited = self._authors(text[head_start : m.end()], head_start, text)
            if cited is None:
                continue
            listed = all(map(self._knows, cited.names))
            if alone:
                # names and a year alone ("Clark 2015", "Haldane, Okoro 2011"): only a listed work of
                # theirs, and not the tail of a longer list of names
                if not (
                    listed
                    and len(cited.names) <= 3
                    and not text[head_start : cited.start].rstrip().endswith(",")
                    and y.group("year")
                    and self.known.lists(cited.names[0], int(y.group("year")[:4]))
                ):
                    continue
            elif not (cited.etal or (len(cited.names) >= 2 and listed)):
                continue
            end = min(len(text), y.end() + 200)
            years, after = _year_list(text, y, end, self._listed(cited))
            locator, after = _locator(text, after, end)
            out.extend(_per_year(text, cited, years, locator, 0, after, True, number + len(out)))
        return out

    # -- one bracket pair ------------------------------------------------------------------------

    def _in_group(self, text: str, group: _Group, number: int) -> list[Citation]:
        inner_start = group.open + 1
        content = text[inner_start : group.close]
        if not YEAR.search(content):
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
        out: list[Citation] = []
        part_start = 0
        for part_end in [m.start() for m in re.finditer(";", content)] + [len(content)]:
            first = part_start == 0
            previous = out[-1] if out else None
            if YEAR.search(content, part_start, part_end):
                out.extend(self._in_part(text, content, inner_start, part_start, part_end, group, number, first, previous))
            else:
                out.extend(self._undated_parts(text, inner_start + part_start, content[part_start:part_end], number))
            part_start = part_end + 1
        return out

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
                out.append(Citation(span=span, text=name, authors=(name,), etal=False, year="", narrative=False, group=number))
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
    ) -> list[Citation]:
        out: list[Citation] = []
        pos = start
        while pos < end:
            m = YEAR.search(content, pos, end)
            if m is None:
                break
            head = content[pos : m.start()]
            cited = None
            if first and pos == start and not head.strip(" \t\n,"):
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
            if cited.weak and (text.startswith("(", _skip_space(text, base + after)) or "/" in years[0][2]):
                # "Teaching Fair 2020 (Pohl et al., 2020)": the thing the citation after it is about;
                # "(Transform 2020/2021)": an unlisted name before a span of years is an event
                pos = m.end()
                continue
            close = None
            closed = text[group.close : group.close + 1] in (")", "]")  # not a bracket closed by its sentence
            if narrative and closed and len(years) == 1 and end == len(content) and not content[after:end].strip():
                close = group.close + 1  # "Smith (2018)", "Smith (2018, p. 4)": the span takes in the bracket
            new = _per_year(text, cited, years, locator, base, after, narrative, number, close)
            if status is not None:
                new[-1] = dataclasses.replace(new[-1], status=" ".join(status.group(1).lower().split()))
            if cited.weak:
                self._weak.update(id(c) for c in new)
            out.extend(new)
            pos = after
        return out

    # -- authors ---------------------------------------------------------------------------------

    def _narrative(self, text: str, group: _Group) -> _Authors | None:
        lo = max(0, group.open - NAME_WINDOW)
        window = text[lo : group.open]
        # Only white space may stand between the name and the bracket: "Smith (2018)",
        # "Smith et al. (2018)", "Smith's (2018)".
        stripped = window.rstrip(" \t\n")
        if not stripped or not (stripped[-1].isalpha() or stripped[-1] in ".'’”\""):
            return None
        window = INITIALS_AFTER.sub(lambda i: " " * len(i.group()), window)  # "Ross Jr. (2014)"
        whole = self._group_at_end(window, lo) or self._quoted_title(window, lo)
        if whole is not None:
            return whole
        window = _cut_window(window)
        m = AUTHORS.search(window)
        if m is None:
            return self._possessive_before(text, group, window)
        return self._settle(m, group.open - len(window), narrative=True, comma=False, text=text)

    def _possessive_before(self, text: str, group: _Group, window: str) -> _Authors | None:
        """A listed author's possessive a word or two before a year of theirs: "Adams's work
        (2012, p. 40)", "Okoro's later survey (2015)"."""
        m = POSSESSIVE_BEFORE.search(window)
        y = YEAR.match(text, _skip_space(text, group.open + 1))
        if m is None or y is None or not y.group("year") or not self._knows(m.group("name")):
            return None
        if not self.known.lists(m.group("name"), int(y.group("year")[:4])):
            return None
        start = group.open - len(window) + m.start("name")
        return _Authors(start, (m.group("name"),), False, None, None, "")

    def _authors(self, head: str, offset: int, text: str) -> _Authors | None:
        if len(head) > NAME_WINDOW:
            offset += len(head) - NAME_WINDOW
            head = head[-NAME_WINDOW:]
        whole = self._group_at_end(head, offset) or self._quoted_title(head, offset)
        if whole is not None:
            return whole
        # Inside brackets a blank line is a page break that a running header left behind.
        cut = _cut_window(head, paragraphs=False)
        offset += len(head) - len(cut)
        # "(Belford, R. et al., 2011)", "(Corso, M. A., & Pike, 2019)": initials after a surname,
        # as some styles and converters write them, are blanked (offsets kept) and remembered.
        after = INITIALS_AFTER.search(cut)
        if after is not None:
            cut = INITIALS_AFTER.sub(lambda i: " " * len(i.group()), cut)
        m = AUTHORS.search(cut)
        if m is None:
            return None
        comma = cut.rstrip().endswith(",")
        settled = self._settle(m, offset, narrative=False, comma=comma, text=text)
        if settled is None:
            return None
        prefix = " ".join(cut[: m.start()].strip(" ,").split())
        if after is not None and settled.initials is None and not cut[m.start("authors") : after.start()].strip(" ").count(" "):
            settled = settled._replace(initials=re.sub(r"[^A-Z]", "", after.group()))
        return settled._replace(prefix=prefix)

    def _settle(self, m: re.Match[str], offset: int, narrative: bool, comma: bool, text: str) -> _Authors | None:
        raw = m.group("authors")
        etal = bool(m.group("etal") or m.group("etal2") or m.group("etal3"))
        body = _ETAL_TAIL.sub("", raw) if etal else raw
        names = [n for n in _SPLIT_AUTHORS.split(body) if n]
        # "However, Smith and Jones (2008)": the list regex took the connective for a first author.
        # A listed surname that is also a function word stays: "(In & Park, 2012)".
        while len(names) > 1 and names[0].lower() in LEAD_WORDS and not self._knows(names[0]):
            names.pop(0)
        at = offset + m.start("authors")
        if len(names) > 1 and len(names[0]) == 1 and at > 0 and text[at - 1].isdigit():
            names.pop(0)  # "(Figure 2C and Ulloa et al., 2010)": the letter is a figure panel's
        # "Nevertheless, Günther and Assmann (2004)", "in South Brazil, Gallucci & Netto (2004)": a
        # word before a comma that no listed name is near, ahead of listed ones, opens the clause.
        while narrative and len(names) > 2 and self._knows(names[1]) and not self._near_known(names[0]):
            names.pop(0)
        # "(in the IPL, Randlett et al., 2013)": an unlisted word before a listed name and "et al."
        while m.group("named") and len(names) > 1 and self._knows(names[1]) and not self._near_known(names[0]):
            names.pop(0)
        if narrative and names:
            names[-1] = POSSESSIVE.sub("", names[-1])  # "Smith's (2018)", "O'Neil's (2018)"
        if not names:
            return None
        # "J. Brown": the initials pick one of two Browns.
        initials = None
        im = INITIALS.match(names[0])
        if im and len(names[0]) > im.end():
            initials = "".join(g for g in im.groups() if g)
            names[0] = names[0][im.end() :]
        lead = self._trim(names[0], narrative=narrative, alone=len(names) == 1 and not etal, etal=etal)
        if lead is None:
            return None
        # A given name before a listed surname tells two of them apart, as citation processors
        # write it: "(James Brown 2018; Katherine Brown 2018)" for J. and K. Brown.
        given = self._given_before(names[0], lead) if initials is None else None
        names[0] = lead
        at_lead = raw.find(lead)
        if at_lead < 0:  # a line break inside the name: "Di\nGiulio" for "Di Giulio"
            found = re.search(r"\s+".join(map(re.escape, lead.split())), raw)
            at_lead = found.start() if found else -1
        at_given = raw.rfind(given, 0, at_lead) if given is not None and at_lead > 0 else -1
        if at_given >= 0 and given is not None:
            initials = given[0]
        start = offset + m.start("authors") + (at_given if at_given >= 0 else 0 if initials else at_lead)
        if not self._knows(names[0]) and self.known.group_names:
            # a listed group name that opens with digits or lowercase, which no name pattern reads
            whole = self.known.completion(names[0], text[max(0, start - 80) : start])
            if whole is not None:
                start -= len(whole) - len(names[0])
                start = max(0, start)
                while start < len(text) and text[start].isspace():
                    start += 1
                names[0], initials = whole, None
        if not self._plausible(names, etal, narrative, comma, text, start):
            return None
        known = self._knows(names[0])
        if known and len(names) == 1:
            # ISO 690 and Springer separate two or three names by commas alone: "(Haldane, Okoro 2011)",
            # "Marchetti, Brandt, Ivanova (2016)". Listed names only, or one slip away from a listed
            # one ("(Yesfuu, Bandelow 2007)" for Yesufu and Bandelow: a misspelling to report).
            while len(names) < 12:
                before = LISTED_BEFORE.search(text, max(0, start - 60), start)
                if before is None:
                    break
                group = 1 if self._knows(before.group(1)) else 2  # "Rodríguez Mora", else its last word
                if not self._knows(before.group(group)) and not (not narrative and self._misspelt(before.group(2))):
                    break
                names.insert(0, before.group(group))
                start = before.start(group)
        if not narrative and len(names) == 1 and not etal and known:
            self._commas[0 if comma else 1] += 1
        weak = not narrative and not comma and len(names) == 1 and not etal and not known and not m.group("abbr")
        if weak and _word_before(text, start) in THING_BEFORE:
            return None  # "(either a reader or an Orbix 2000)"
        if m.group("abbr"):
            self.abbreviations.add(name_key(m.group("abbr")))
        return _Authors(start, tuple(names), etal, initials, m.group("abbr"), "", weak)

    def _given_before(self, name: str, lead: str) -> str | None:
        """The given name just before the listed surname ``lead`` in ``name``, if a word is one."""
        name = " ".join(name.split())  # a line break inside the name: "Di\nGiulio"
        if lead == name or not name.endswith(" " + lead) or name_key(lead) not in self.known.surnames:
            return None
        if any(w.lower() in ORG_WORDS for w in name.split()) or any(group_key(name).endswith(g) for g in self.known.groups):
            return None  # "Malaria Genomic Epidemiology Network": a group's words, not a person's names
        before = name[: name.rfind(lead)].split()
        word = before[-1] if before else ""
        low = word.lower()
        if not GIVEN.fullmatch(word) or low in LEAD_WORDS or low in NOT_NAMES or low in self.known.lowercase_words:
            return None
        return None if self._knows(word) else word

    def _trim(self, name: str, narrative: bool, alone: bool, etal: bool = False) -> str | None:
        """Settle where the first name begins: "See Smith" -> "Smith", "Results of Smith" -> "Smith".
        A function word that is the only name is a surname when the list has it or "et al." follows
        it: "(In et al., 2012)", "(An, 2016)" with An, Y. listed."""
        words = name.split()
        while len(words) > 1 and words[0].lower() in LEAD_WORDS:
            words.pop(0)
        if not words:
            return None
        if len(words) == 1 and words[0].lower() in LEAD_WORDS and not (etal or self._knows(words[0])):
            return None
        if len(words) == 1:
            return words[0]
        full = " ".join(words)
        if self._knows(full):
            return full
        for i in range(1, len(words)):
            if words[i].lower() in ("of", "for", "the", "on"):
                continue
            tail = " ".join(words[i:])
            if self._knows(tail):
                return tail
        if any(w.lower() in ORG_WORDS for w in words) or sum(w.isupper() for w in words) >= 2:
            return full
        if narrative or alone:
            # A person: the last word and the particles before it ("Both van der Berg" -> "van der Berg").
            # "Ramón y Cajal" keeps both surnames.
            i = len(words) - 1
            while i > 0 and (words[i - 1].lower() in PARTICLES or (words[i - 1] in ("y", "e", "i") and i > 1)):
                i -= 2 if words[i - 1] in ("y", "e", "i") else 1
            if narrative and alone and i > 0:
                # Capitalised words before an unknown name in running text make a proper noun
                # phrase, not a citation: "the Paris Agreement (2015)", "Hurricane Katrina (2005)".
                return None
            return " ".join(words[i:])
        return full

    def _plausible(self, names: list[str], etal: bool, narrative: bool, comma: bool, text: str, start: int) -> bool:
        first = names[0]
        if first.lower() in NOT_NAMES and not (etal or self._knows(first)):
            return False  # "(March 2020)"; but "(March et al., 2020)", and "(In, 2012)" with In listed
        if self._knows(first) or etal or len(names) > 1:
            return True
        if not narrative and comma:
            return True
        if first.isupper() and len(first) > 1:
            return False  # an acronym before a bare year is software or a product: "(MATLAB 2018b)"
        # An unknown single name with no comma before the year: "(March 2020)" was caught above,
        # "(Summit 2019)" is caught here because the text uses "summit" as a common noun.
        if first.lower() in self.known.lowercase_words:
            return False
        # "the annexation of Crimea (2014)" is not a citation.
        return not (narrative and _word_before(text, start) in THING_BEFORE)


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
        out.append(
            Citation(
                span=Span(start, end),
                text=text[start:end],
                authors=cited.names,
                etal=cited.etal,
                year=year,
                narrative=narrative,
                locator=locator if last else None,
                initials=cited.initials,
                abbreviation=cited.abbreviation,
                group=group,
                prefix=cited.prefix,
            )
        )
    return out


class _Authors(NamedTuple):
    start: int
    names: tuple[str, ...]
    etal: bool
    initials: str | None
    abbreviation: str | None
    prefix: str
    weak: bool = False  # one unlisted name and a year, no comma between: maybe a product or an event


def _word_before(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start].split()
    return before[-1].lower().strip(",") if before else ""


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


# A Latin binomial (genus, optional subgenus, epithet, optional subspecies) right before a name and
# a year: "Platynus assimilis (Paykull 1790)", "*Isolda pulchella* (Müller in Grube, 1858)".
_EPITHET = r"[a-z]{2,}(?:us|a|um|i|ae|is|es|ensis|oides|x|on|or|er|ens|ans)"
BINOMIAL = re.compile(
    rf"(?:\b[A-Z][a-z]+|\b[A-Z]\.)[*_]?\s+(?:\([A-Z][a-z]+\)\s+)?[*_]?{_EPITHET}(?:\s+{_EPITHET})?[*_]?"
    rf"\s*\(?\s*(?:{_U}[\w'’-]+\s+(?:in|ex)\s+)?$"
)
QUOTED_END = re.compile(r"[“\"](?P<title>[^“”\"\n]{2,200})[”\"][\s,]*$")
LISTED_BEFORE = re.compile(rf"(?<![\w'’-])((?:{_U}[{UPPER}{LOWER}'’\-]+[ \t]+){{0,2}}({_U}[{UPPER}{LOWER}'’\-]+))[ \t]*,[ \t]*$")
# "Adams's work ", "Okoro's later survey ": a possessive and a word or two before a year in brackets
POSSESSIVE_BEFORE = re.compile(
    rf"(?<![\w'’-])(?P<name>{_U}[{LOWER}]+(?:-{_U}[{LOWER}]+)?)['’]s?(?:[ \t]+[{LOWER}]+){{1,2}}[ \t]*$"
)
GIVEN = re.compile(rf"{_U}{_L}+(?:-{_U}{_L}+)?")  # "James", "Jean-Paul"
POSSESSIVE = re.compile(r"['’]s?$")
INITIALS_AFTER = re.compile(
    rf"(?<=[{LOWER}])(?:,[ \t]*(?:{_U}\.[ \t]?-?){{1,3}}|,?[ \t]+(?:Jr|Sr|II|III|IV)\b\.?)(?=[ \t]*(?:et\s+al|,|&|\band\b|$))"
)
INITIALS = re.compile(rf"({_U})\.(?:\s?-?({_U})\.)?\s*")
# Square brackets are not among them: "(World Health Organization [WHO], 2019)".
_STOP_CHARS = '();:"“”!?=<>0123456789'


def _cut_window(window: str, paragraphs: bool = True) -> str:
    """The tail of a window after the last character no author list contains (digits, brackets),
    and, unless inside a bracket pair, after the last paragraph break."""
    last = max(window.rfind(ch) for ch in _STOP_CHARS)
    para = window.rfind("\n\n") if paragraphs else -1
    if para > last:
        last = para + 1
    return window[last + 1 :]


def _year_list(
    content: str, m: re.Match[str], end: int, listed: Callable[[int], bool] = lambda year: False
) -> tuple[list[tuple[int, int, str]], int]:
    """The first year and any further years of the same authors; returns them and where they end.
    ``listed`` says whether the list has a work of these authors in a year."""
    years = [(m.start(), m.end(), _year_label(m))]
    pos = m.end()
    prev = int(m.group("year")[:4]) if m.group("year") else None
    while True:
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


def _year_label(m: re.Match[str]) -> str:
    if m.group("year"):
        return m.group("year") + (m.group("suffix") or "")
    if m.group("nd"):
        return "n.d." + (("-" + m.group("ndsuffix")) if m.group("ndsuffix") else "")
    return " ".join(m.group("press").lower().split()) + (("-" + m.group("presssuffix")) if m.group("presssuffix") else "")


_KINDS = {
    "p": "page",
    "pp": "page",
    "pg": "page",
    "pgs": "page",
    "page": "page",
    "pages": "page",
    "para": "paragraph",
    "paras": "paragraph",
    "paragraph": "paragraph",
    "paragraphs": "paragraph",
    "¶": "paragraph",
    "¶¶": "paragraph",
    "chap": "chapter",
    "chaps": "chapter",
    "ch": "chapter",
    "chapter": "chapter",
    "chapters": "chapter",
    "sec": "section",
    "secs": "section",
    "section": "section",
    "sections": "section",
    "§": "section",
    "§§": "section",
    "fig": "figure",
    "figs": "figure",
    "figure": "figure",
    "figures": "figure",
    "table": "table",
    "tables": "table",
    "tab": "table",
    "s": "page",
}


RATIO = re.compile(r"\s*[:/]\s*\d")


def _locator(content: str, pos: int, end: int) -> tuple[Locator | None, int]:
    m = LOCATOR.match(content, pos, end)
    if m is None:
        return None, pos
    kind_word = (m.group("kind") or "").lower()
    if not kind_word:
        # A bare number is a page only right after the year, Chicago style: "(Smith 2018, 45)";
        # a ratio or a dilution is not: "(Renner et al., 2008, 1:5000)".
        if not m.group("first").isdigit() or RATIO.match(content, m.end()):
            return None, pos
        kind = "page"
    else:
        kind = _KINDS.get(kind_word, "other")
    first: int | str = int(m.group("first")) if m.group("first").isdigit() else m.group("first")
    last_raw = m.group("morelast") or m.group("more") or m.group("last")
    last: int | str = first
    if last_raw:
        last = int(last_raw) if last_raw.isdigit() else last_raw
        if isinstance(first, int) and isinstance(last, int) and last < first:
            # "pp. 1234–56": an abbreviated range
            digits = str(first)
            expanded = int(digits[: len(digits) - len(str(last))] + str(last)) if len(str(last)) < len(digits) else last
            last = expanded if expanded >= first else last
    return Locator(kind=kind, first=first, last=last, marked=bool(kind_word)), m.end()


def parse_locator(note: str) -> Locator | None:
    """The locator of a citation's note, as LaTeX post-notes and Pandoc suffixes write it:
    "p.~45", "pp. 45--50", "45", "chap. 2". None when the note holds no locator."""
    note = note.replace("~", " ").replace("\\,", " ").replace("---", "–").replace("--", "–").strip()
    if not note:
        return None
    loc, end = _locator(", " + note, 0, len(note) + 2)
    if loc is None or note[end - 2 :].strip(" .;,"):
        return None  # "see the discussion on p. 4 of the appendix" is a comment, not a locator
    return Locator(loc.kind, loc.first, loc.last)  # a bare number as a note is a page (biblatex, citeproc)


def known_names(surnames: list[str], groups: list[str], text: str, works: Iterable[tuple[str, str]] = ()) -> KnownNames:
    """Build the names a finder checks against from the reference list and the text; ``works``
    are the (first author, year) of the entries."""
    lowercase = frozenset(w for w in re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text))
    parts = [word for s in surnames if s for word in surname_words(s)]
    return KnownNames(
        works=frozenset((name_key(name), year) for name, year in works)
        | frozenset((word, year) for name, year in works for word in surname_words(name)),
        undated=frozenset(name_key(name) for name, year in works if not year),
        surnames=frozenset(name_key(s) for s in surnames if s) | frozenset(parts),
        groups=frozenset(group_key(g) for g in groups if g),
        lowercase_words=lowercase,
        group_names=tuple(dict.fromkeys(g for g in groups if len(g.split()) > 1)),
    )


def find_citations(text: str, known: KnownNames | None = None) -> list[Citation]:
    return CitationFinder(known).find(text)
