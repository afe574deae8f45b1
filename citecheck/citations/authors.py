"""Reading the authors of a citation back from its year or its bracket.

Input: a window of text that ends just before a year (inside brackets) or before a bracket (a
narrative citation), and the names the reference list holds. Output: an ``_Authors`` record (where
the names start, the names, "et al.", initials, an abbreviation the text defines, the words
before the names), or None when the window ends in no author list. ``AuthorReader`` holds the
steps that settle where the first name begins; ``CitationFinder`` inherits them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple, TypeVar

from citecheck.cache import regex
from citecheck.citations.groups import _Group
from citecheck.citations.known import KnownNames
from citecheck.citations.patterns import (
    _ETAL_TAIL,
    _SPLIT_AUTHORS,
    _STOP_CHARS,
    AUTHORS,
    GIVEN,
    INITIALS,
    INITIALS_AFTER,
    LEAD_WORDS,
    LISTED_BEFORE,
    NAME_WINDOW,
    NOT_NAMES,
    ORG_WORDS,
    POSSESSIVE,
    POSSESSIVE_BEFORE,
    QUOTED_END,
    THING_BEFORE,
    YEAR,
)
from citecheck.names import PARTICLES, group_key, name_key


class _Authors(NamedTuple):
    start: int
    names: tuple[str, ...]
    etal: bool
    initials: str | None
    abbreviation: str | None
    prefix: str
    weak: bool = False  # one unlisted name and a year, no comma between: maybe a product or an event


WORD = regex(r"\w+")
_T = TypeVar("_T")


@lru_cache(maxsize=4096)
def _group_words(listed: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in re.findall(r"\w+", listed))


_STOP = regex("[" + re.escape(_STOP_CHARS) + "]")


_JOINS_GROUP = regex(r"(?:,[ \t]*|[ \t]+)(?:&|and)[ \t]+$")  # ", & " or " and " before a group's name


def _word_before(text: str, start: int) -> str:
    before = text[max(0, start - 30) : start].split()
    return before[-1].lower().strip(",") if before else ""


def _may_split(body: str) -> bool:
    """Whether ``_SPLIT_AUTHORS`` can cut ``body``: each of its separators holds a comma, or a
    blank and then "&", "and", "und" or "et" ("Council of Science Studies" has none), or a slash."""
    if "," in body or "/" in body:
        return True
    if body.isalnum() or not any(c.isspace() for c in body):
        return False
    return "&" in body or "and" in body or "und" in body or "et" in body


# What every match of INITIALS_AFTER holds, in a pattern that opens with a character to skip to:
# a comma, blanks and a letter with a full stop (", R."), or a blank and a suffix (" Jr", " III").
_INITIALS_AFTER_NEED = regex(r",[ \t]*[^\W\d_]\.|[ \t](?:Jr|Sr|II|IV)")


def _may_have_initials_after(window: str) -> bool:
    """Whether ``INITIALS_AFTER`` can match in ``window``: its initials need a comma and a full
    stop, its suffixes one of their letters, and both what ``_INITIALS_AFTER_NEED`` finds."""
    if not (("," in window and "." in window) or "Jr" in window or "Sr" in window or "II" in window or "IV" in window):
        return False
    return _INITIALS_AFTER_NEED.search(window) is not None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n":
        pos += 1
    return pos


def _cut_window(window: str, paragraphs: bool = True) -> str:
    """The tail of a window after the last character no author list contains (digits, brackets),
    and, unless inside a bracket pair, after the last paragraph break."""
    stop = _STOP.search(window[::-1])  # the first in the reversed window is the last in it
    last = len(window) - 1 - stop.start() if stop is not None else -1
    para = window.rfind("\n\n") if paragraphs else -1
    if para > last:
        last = para + 1
    return window[last + 1 :]


MEMO_LIMIT = 65_536  # windows kept per memo: past it a finder reads the others afresh each time


def _remember(memo: dict[str, _T], key: str, value: _T) -> _T:
    """``value``, kept in ``memo`` under ``key`` while the memo has room. A full memo keeps what it
    has rather than making room: a text that cycles through more windows than a memo holds would
    otherwise lose each one just before it came round again."""
    if len(memo) < MEMO_LIMIT:
        memo[key] = value
    return value


def _names_at_end(head: str) -> tuple[str, re.Match[str] | None, re.Match[str] | None]:
    """The author list a window inside brackets ends with: the tail of the window a list may
    take, initials after a surname blanked in it (offsets kept), the first of those initials, and
    the ``AUTHORS`` match. It depends on the window alone."""
    # Inside brackets a blank line is a page break that a running header left behind.
    cut = _cut_window(head, paragraphs=False)
    # "(Belford, R. et al., 2011)", "(Corso, M. A., & Pike, 2019)": initials after a surname,
    # as some styles and converters write them, are blanked and remembered.
    after = INITIALS_AFTER.search(cut) if _may_have_initials_after(cut) else None
    if after is not None:
        cut = INITIALS_AFTER.sub(lambda i: " " * len(i.group()), cut)
    return cut, after, AUTHORS.search(cut)


def _split_names(body: str) -> tuple[str, ...]:
    """The names of an author list without its "et al."; a separator needs a comma or a blank,
    so "Smith" alone is one name."""
    if not _may_split(body):
        return (body,) if body else ()
    return tuple(n for n in _SPLIT_AUTHORS.split(body) if n)


class AuthorReader:
    """The steps that read and settle the authors before a year or a bracket, knowing the names
    the reference list holds and the abbreviations the text has defined so far. Mixed into
    ``CitationFinder``, which sets these attributes."""

    known: KnownNames
    abbreviations: set[str]
    _commas: list[int]
    _listed_names: dict[str, bool]  # name -> whether the reference list holds it (see _knows)
    _groups: dict[str, list[str]]  # listed group names of more than one word, by the key of their last word
    # What an author list, and a listed group ending a window, read as, kept by their text: a text
    # cites the same authors the same way again and again (see _remember). A window's own reading
    # is not kept: its bracket pair is (CitationFinder._kept), and the window before a year outside
    # brackets ("Lin et al., 2012") takes in the words before it, which seldom come again.
    _bodies: dict[str, tuple[str, ...]]
    _group_ends: dict[str, tuple[_Authors | None]]  # in a 1-tuple: one look-up tells "none" from "not read"
    # Set where a reading looks at the text outside the window it was given, or changes what the
    # finder knows: a bracket pair read so is not kept by its text (see CitationFinder._kept).
    _outside: bool

    def _group_at_end(self, window: str, offset: int) -> _Authors | None:
        """A listed group name that the window ends with, read whole."""
        if not self._groups:
            return None
        kept = self._group_ends.get(window)
        (found,) = kept if kept is not None else _remember(self._group_ends, window, (self._listed_group_at_end(window),))
        return found._replace(start=offset + found.start) if found is not None else None

    def _listed_group_at_end(self, window: str) -> _Authors | None:
        """``_group_at_end`` with offsets in the window."""
        words = list(WORD.finditer(window))
        for listed in self._groups.get(name_key(words[-1].group()), ()) if words else ():
            # its words, whatever the punctuation between them: "Republic of Norland, Ministry of Health"
            want = _group_words(listed)
            if len(want) <= len(words) and all(w.group().casefold() == v for w, v in zip(words[-len(want) :], want, strict=True)):
                start = words[-len(want)].start()
                prefix = " ".join(window[:start].strip(" ,").split())
                return _Authors(start, (listed,), False, None, None, prefix)
        return None

    def _names_before_group(self, head: str, offset: int, group: _Authors, text: str) -> _Authors | None:
        """A listed group as the last of several authors, joined by "&" or "and", as APA 6 writes
        them: "(Band, Rockett, & Malaria Genomic Epidemiology Network, 2015)". The names before it
        are read as any list is, the first a listed one."""
        if len(group.names) != 1 or not group.prefix:
            return None
        before = head[: group.start - offset]
        join = _JOINS_GROUP.search(before)
        if join is None:
            return None
        names = self._authors(before[: join.start()], offset, text)
        if names is None or names.etal or names.abbreviation or names.weak or not self._knows(names.names[0]):
            return None
        return names._replace(names=names.names + group.names)

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
        return any(self.known.near(name_key(word)) for word in name.split()[-2:])

    def _misspelt(self, word: str) -> bool:
        """Whether an unlisted word is a listed surname misspelt, not a word of the text's own."""
        low = word.lower()
        if low in NOT_NAMES or low in LEAD_WORDS or low in self.known.lowercase_words:
            return False
        return self._near_known(word)

    def _knows(self, name: str) -> bool:
        # The list's names never change while a text is read: a name is looked up once.
        listed = self._listed_names.get(name)
        if listed is None:
            listed = self._listed_names[name] = self.known.knows(name)
        return listed or (bool(self.abbreviations) and name_key(name) in self.abbreviations)

    # -- authors ---------------------------------------------------------------------------------

    def _narrative(self, text: str, group: _Group) -> _Authors | None:
        lo = max(0, group.open - NAME_WINDOW)
        window = text[lo : group.open]
        # Only white space may stand between the name and the bracket: "Smith (2018)",
        # "Smith et al. (2018)", "Smith's (2018)".
        stripped = window.rstrip(" \t\n")
        if not stripped or not (stripped[-1].isalpha() or stripped[-1] in ".'’”\""):
            return None
        if _may_have_initials_after(window):
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
            return self._names_before_group(head, offset, whole, text) or whole
        cut, after, m = _names_at_end(head)
        offset += len(head) - len(cut)
        if m is None:
            return None
        comma = cut.rstrip().endswith(",")
        settled = self._settle(m, offset, narrative=False, comma=comma, text=text)
        if settled is None:
            return None
        prefix = " ".join(cut[: m.start()].strip(" ,").split()) if m.start() else ""
        initials = settled.initials
        if after is not None and initials is None and not cut[m.start("authors") : after.start()].strip(" ").count(" "):
            initials = re.sub(r"[^A-Z]", "", after.group())
        return _Authors(settled.start, settled.names, settled.etal, initials, settled.abbreviation, prefix, settled.weak)

    def _settle(self, m: re.Match[str], offset: int, narrative: bool, comma: bool, text: str) -> _Authors | None:
        raw = m.group("authors")
        etal = bool(m.group("etal") or m.group("etal2") or m.group("etal3"))
        body = _ETAL_TAIL.sub("", raw) if etal else raw
        names = list(self._bodies.get(body) or _remember(self._bodies, body, _split_names(body)))
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
        if not self._knows(names[0]) and self.known.group_names and self.known.ends_a_group(names[0]):
            # a listed group name that opens with digits or lowercase, which no name pattern reads
            self._outside = True  # the text before may lie before the bracket pair
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
            # only where a comma ends what stands before the name (the pattern's ",[ \t]*$")
            while len(names) < 12 and text[max(0, start - 60) : start].rstrip(" \t\n").endswith(","):
                self._outside = True
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
        if weak:
            self._outside = True
            if _word_before(text, start) in THING_BEFORE:
                return None  # "(either a reader or an Orbix 2000)"
        if m.group("abbr"):
            self._outside = True  # what the text defines changes how it reads from here on
            self.abbreviations.add(name_key(m.group("abbr")))
        return _Authors(start, tuple(names), etal, initials, m.group("abbr"), "", weak)

    def _given_before(self, name: str, lead: str) -> str | None:
        """The given name just before the listed surname ``lead`` in ``name``, if a word is one."""
        name = " ".join(name.split())  # a line break inside the name: "Di\nGiulio"
        if lead == name or not name.endswith(" " + lead) or name_key(lead) not in self.known.surnames:
            return None
        if any(w.lower() in ORG_WORDS for w in name.split()) or self.known.ends_with_group(group_key(name)):
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
