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

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from citecheck.model import Citation, Locator, Span
from citecheck.names import LOWER, PARTICLES, UPPER, group_key, name_key

MAX_GROUP = 2000  # a bracket pair longer than this is prose, not a citation
NAME_WINDOW = 160  # how far back from a year or a bracket authors are looked for

# A year as cited. The lookarounds keep out ranges and numbers: "1991–1995", "20185", "p.2018".
YEAR = re.compile(
    r"""
    (?<![\w/.–-])
    (?:
        (?P<year>(?:1[5-9]|20)\d\d(?:/(?:1[5-9]|20)\d\d)?)   # 2018, or 1890/1983 (original/reprint)
        (?P<suffix>[a-z])?                                   # 2018a
        (?![\w]|\s*[–—-]\s*\d|[.,]\d|\s*%)                   # not 2018–2020, 2018.5, 2018 %
        (?!;\s?\d+\s?[(:])                                     # not a journal's "2018;36(1):7", "2020;21:271"
      | (?P<nd>n\.\s?d\.)(?:-?(?P<ndsuffix>[a-z])\b)?        # n.d., n.d.-a
      | (?P<press>in\s+press|forthcoming|in\s+preparation|submitted)(?:-?(?P<presssuffix>[a-z])\b)?
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

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
    (?:\s+(?:(?:of|for|the|on|de|du|des|van|von|der|da|di|y|e|i)\s+){{0,2}}{_WORD}){{0,6}}
"""
_ETAL = r"(?:\s*,?\s+(?:et\s*al\.?|et\s+alii|and\s+(?:others|colleagues|co-?workers)))"

# The authors of a citation, read at the end of a window that ends just before the year (or the
# bracket of a narrative citation).
AUTHORS = re.compile(
    rf"""
    (?P<authors>
        (?P<first>{_NAME})
        (?:
            (?P<etal>{_ETAL})                                 # Smith et al.
          | (?P<rest>(?:\s*,\s*{_NAME}){{0,12}}               # Smith, Jones,
                     \s*,?\s*(?:&|\band\b)\s*{_NAME}           # & Lee
                     (?P<etal2>{_ETAL})?)
        )?
    )
    (?:\s*\[(?P<abbr>{_U}[\w&.]{{1,15}})\])?                  # [WHO]
    (?P<possessive>['’]s?)?
    [\s,]*$
    """,
    re.VERBOSE,
)

# "et al., 2012" standing outside any bracket.
BARE_ETAL = re.compile(r"\bet\s+al\.?,?[ \t]+(?=(?:1[5-9]|20)\d\d\b)")

_SPLIT_AUTHORS = re.compile(r"\s*,\s*(?:&|\band\b)?\s*|\s+(?:&|\band\b)\s+")
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


@dataclass
class _Group:
    open: int
    close: int  # index of the closing bracket
    nested: list[tuple[int, int]]


def bracket_groups(text: str) -> Iterator[_Group]:
    """Matched ``(...)`` and ``[...]`` pairs, innermost first, each with the pairs nested in it."""
    stack: list[tuple[int, str, list[tuple[int, int]]]] = []
    closer = {")": "(", "]": "["}
    for m in re.finditer(r"[()\[\]]", text):
        ch = m.group()
        pos = m.start()
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

    def _knows(self, name: str) -> bool:
        return self.known.knows(name) or name_key(name) in self.abbreviations

    def find(self, text: str) -> list[Citation]:
        found: list[Citation] = []
        groups = 0
        for groups, group in enumerate(bracket_groups(text), start=1):
            found.extend(self._in_group(text, group, groups))
        found.extend(self._bare(text, groups + 1))
        found.sort(key=lambda c: c.span.start)
        # Narrative citations and bracket pairs nested in one another can find the same place twice.
        out: list[Citation] = []
        for c in found:
            if out and c.span.start < out[-1].span.end:
                continue
            out.append(c)
        return out

    def _bare(self, text: str, number: int) -> list[Citation]:
        """Citations outside brackets, only in the unmistakable "et al." form: "Sample sizes used in
        Lin et al., 2012 and this replication". A single name before a bare year ("Paris, 2019")
        is too often something else."""
        out: list[Citation] = []
        for m in BARE_ETAL.finditer(text):
            y = YEAR.match(text, m.end())
            if y is None:
                continue
            head_start = max(0, m.start() - NAME_WINDOW)
            cited = self._authors(text[head_start : m.end()], head_start, text)
            if cited is None or not cited.etal:
                continue
            end = min(len(text), y.end() + 200)
            years, after = _year_list(text, y, end)
            locator, after = _locator(text, after, end)
            out.extend(_per_year(text, cited, years, locator, 0, after, True, number + len(out)))
        return out

    # -- one bracket pair ------------------------------------------------------------------------

    def _in_group(self, text: str, group: _Group, number: int) -> list[Citation]:
        inner_start = group.open + 1
        content = text[inner_start : group.close]
        if not YEAR.search(content):
            return []
        # Blank the pairs nested inside, except an abbreviation: "(World Health Organization [WHO], 2019)".
        if group.nested:
            chars = list(content)
            for s, e in group.nested:
                inner = text[s + 1 : e]
                if text[s] == "[" and re.fullmatch(rf"{_U}[\w&.]{{1,15}}", inner):
                    continue
                for i in range(s - inner_start, e - inner_start + 1):
                    chars[i] = " "
            content = "".join(chars)
        out: list[Citation] = []
        part_start = 0
        for part_end in [m.start() for m in re.finditer(";", content)] + [len(content)]:
            first = part_start == 0
            previous = out[-1] if out else None
            out.extend(self._in_part(text, content, inner_start, part_start, part_end, group, number, first, previous))
            part_start = part_end + 1
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
            years, after = _year_list(content, m, end)
            locator, after = _locator(content, after, end)
            cited = None
            if first and pos == start and not head.strip(" \t\n,"):
                cited = self._narrative(text, group)
                narrative = True
            else:
                cited = self._authors(head, base + pos, text)
                narrative = False
                if cited is None and previous is not None and pos == start and not head.strip(" \t\n,"):
                    # "(Smith et al., 2010; 2011)": a bare year after a semicolon keeps the authors
                    cited = _Authors(base + m.start(), previous.authors, previous.etal, previous.initials, None, "")
            if cited is None:
                pos = m.end()
                continue
            close = None
            if narrative and len(years) == 1 and end == len(content) and not content[after:end].strip():
                close = group.close + 1  # "Smith (2018)", "Smith (2018, p. 4)": the span takes in the bracket
            out.extend(_per_year(text, cited, years, locator, base, after, narrative, number, close))
            pos = after
        return out

    # -- authors ---------------------------------------------------------------------------------

    def _narrative(self, text: str, group: _Group) -> _Authors | None:
        lo = max(0, group.open - NAME_WINDOW)
        window = text[lo : group.open]
        # Only white space may stand between the name and the bracket: "Smith (2018)",
        # "Smith et al. (2018)", "Smith's (2018)".
        stripped = window.rstrip(" \t\n")
        if not stripped or not (stripped[-1].isalpha() or stripped[-1] in ".'’"):
            return None
        window = _cut_window(window)
        m = AUTHORS.search(window)
        if m is None:
            return None
        return self._settle(m, group.open - len(window), narrative=True, comma=False, text=text)

    def _authors(self, head: str, offset: int, text: str) -> _Authors | None:
        if len(head) > NAME_WINDOW:
            offset += len(head) - NAME_WINDOW
            head = head[-NAME_WINDOW:]
        # Inside brackets a blank line is a page break that a running header left behind.
        cut = _cut_window(head, paragraphs=False)
        offset += len(head) - len(cut)
        m = AUTHORS.search(cut)
        if m is None:
            return None
        comma = cut.rstrip().endswith(",")
        settled = self._settle(m, offset, narrative=False, comma=comma, text=text)
        if settled is None:
            return None
        prefix = " ".join(cut[: m.start()].strip(" ,").split())
        return settled._replace(prefix=prefix)

    def _settle(self, m: re.Match[str], offset: int, narrative: bool, comma: bool, text: str) -> _Authors | None:
        raw = m.group("authors")
        etal = bool(m.group("etal") or m.group("etal2"))
        body = _ETAL_TAIL.sub("", raw) if etal else raw
        names = [n for n in _SPLIT_AUTHORS.split(body) if n]
        # "However, Smith and Jones (2008)": the list regex took the connective for a first author.
        while len(names) > 1 and names[0].lower() in LEAD_WORDS:
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
        lead = self._trim(names[0], narrative=narrative, alone=len(names) == 1 and not etal)
        if lead is None:
            return None
        names[0] = lead
        start = offset + m.start("authors") + (0 if initials else raw.find(lead))
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
        if m.group("abbr"):
            self.abbreviations.add(name_key(m.group("abbr")))
        return _Authors(start, tuple(names), etal, initials, m.group("abbr"), "")

    def _trim(self, name: str, narrative: bool, alone: bool) -> str | None:
        """Settle where the first name begins: "See Smith" -> "Smith", "Results of Smith" -> "Smith"."""
        words = name.split()
        while len(words) > 1 and words[0].lower() in LEAD_WORDS:
            words.pop(0)
        if not words or (len(words) == 1 and words[0].lower() in LEAD_WORDS):
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
        if first.lower() in NOT_NAMES:
            return False
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
        if narrative:
            # "the annexation of Crimea (2014)" is not a citation.
            before = text[max(0, start - 30) : start].split()
            if before and before[-1].lower().strip(",") in THING_BEFORE:
                return False
        return True


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


POSSESSIVE = re.compile(r"['’]s?$")
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


def _year_list(content: str, m: re.Match[str], end: int) -> tuple[list[tuple[int, int, str]], int]:
    """The first year and any further years of the same authors; returns them and where they end."""
    years = [(m.start(), m.end(), _year_label(m))]
    pos = m.end()
    prev = int(m.group("year")[:4]) if m.group("year") else None
    while True:
        n = NEXT_YEAR.match(content, pos, end)
        if n is None:
            break
        if n.group("year"):
            value = int(n.group("year"))
            # "(Smith 2018, 1999)": a smaller number after a year is a page, not a year.
            if prev is not None and value < prev and not n.group("suffix"):
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
}


def _locator(content: str, pos: int, end: int) -> tuple[Locator | None, int]:
    m = LOCATOR.match(content, pos, end)
    if m is None:
        return None, pos
    kind_word = (m.group("kind") or "").lower()
    if not kind_word:
        # A bare number is a page only right after the year, Chicago style: "(Smith 2018, 45)".
        if not m.group("first").isdigit():
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
    return Locator(kind=kind, first=first, last=last), m.end()


def parse_locator(note: str) -> Locator | None:
    """The locator of a citation's note, as LaTeX post-notes and Pandoc suffixes write it:
    "p.~45", "pp. 45--50", "45", "chap. 2". None when the note holds no locator."""
    note = note.replace("~", " ").replace("\\,", " ").replace("---", "–").replace("--", "–").strip()
    if not note:
        return None
    loc, end = _locator(", " + note, 0, len(note) + 2)
    if loc is None or note[end - 2 :].strip(" .;,"):
        return None  # "see the discussion on p. 4 of the appendix" is a comment, not a locator
    return loc


def known_names(surnames: list[str], groups: list[str], text: str) -> KnownNames:
    """Build the names a finder checks against from the reference list and the text."""
    lowercase = frozenset(w for w in re.findall(r"(?<![\w'’-])[a-z][a-z'’-]+", text))
    return KnownNames(
        surnames=frozenset(name_key(s) for s in surnames if s),
        groups=frozenset(group_key(g) for g in groups if g),
        lowercase_words=lowercase,
        group_names=tuple(dict.fromkeys(g for g in groups if len(g.split()) > 1)),
    )


def find_citations(text: str, known: KnownNames | None = None) -> list[Citation]:
    return CitationFinder(known).find(text)
