"""What an author-date citation looks like in running text: the regexes and word lists the finder
reads with.

Each pattern runs on a bounded window the finder hands it (a bracket pair, the text just before a
year or a bracket): a year as cited (``YEAR``) and further years of the same authors
(``NEXT_YEAR``), an author list read back from a year (``AUTHORS``), the forms outside brackets
(``BARE_ETAL``, ``BARE_PAIR``, ``BARE_ONE``) and the words that are not names (``LEAD_WORDS``,
``NOT_NAMES``, ``THING_BEFORE``, ``ORG_WORDS``). ``UNPUBLISHED`` and ``unpublished`` say which
statuses mark work not (yet) published.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from citecheck.cache import regex
from citecheck.model import Citation
from citecheck.names import LOWER, PARTICLES, UPPER

NAME_WINDOW = 160  # how far back from a year or a bracket authors are looked for

# A year as cited. The lookarounds keep out ranges and numbers: "1991–1995", "20185", "p.2018"; a
# capitalised name glued after it ("2018Kadoch", "2018KADOCH", a flattened table cell) is let through.
YEAR = regex(
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
STATUS_AFTER = regex(
    r"\s*+,\s*+(in\s+press|in\s+revision|in\s+review|under\s+review|submitted|in\s+preparation|unpublished)\b", re.IGNORECASE
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
    if label[:1].isdigit():
        return None  # a year: every status opens with a letter
    for status in UNPUBLISHED:
        if label.startswith(status):
            return status
    return None


# A further year of the same authors: "(Smith, 2018, 2020)", "(Smith, 2018a, b)".
NEXT_YEAR = regex(
    r"""
    \s*,\s*
    (?:
        (?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\w]|\s*[–—-]\s*\d)
      | (?P<letter>[a-z])(?![\w.])
    )
    """,
    re.VERBOSE,
)

_U = f"[{UPPER}]"
_L = f"[{LOWER}]"
_WORD = f"(?:{_U}(?:[{UPPER}{LOWER}'’\\-]|\\.(?={_L}))*)"  # Smith, O'Neil, Dubois-Dauphin, McDonald, WHO
_PARTICLE = "(?:" + "|".join(sorted((re.escape(p) for p in PARTICLES if not p.endswith("'")), key=lambda p: (-len(p), p))) + ")"
# One name: optional initials ("J. Brown"), particles ("van der Berg", "de Melo", "d'Alembert"),
# then up to seven words for group authors ("Human Microbiome Project Consortium", "Department of
# Health").
_NAME = rf"""
    (?:{_U}\.(?:\s?-?{_U}\.)?\s*)?
    (?:(?:{_PARTICLE})\s+|[dDlL]['’]|St[e]?\.\s*)*
    {_WORD}
    (?:\s+(?:(?:of|for|the|on|de|du|des|del|della|la|le|van|von|der|den|ter|da|di|dos|das|y|e|i)\s+){{0,2}}{_WORD}){{0,6}}
"""
# The blanks before "et al." are read one way only (a comma, then blanks): "\s*,?\s+" split a run of
# blanks every way there is, at every place a search tried. "u. a.": German, and its slash: "Espinoza/Ghisi/et al.".
_ETAL = r"(?:(?:(?:\s*+,)?\s++|/)(?:et\s*al\.?|et\s+alii|and\s+(?:others|colleagues|co-?workers)|u\.\s?a\.|et\s+coll\.))"

# The authors of a citation, read at the end of a window that ends just before the year (or the
# bracket of a narrative citation).
AUTHORS = regex(
    rf"""
    (?P<authors>
        (?P<first>{_NAME})
        (?:
            (?P<etal>{_ETAL})                                 # Smith et al.
          | (?P<rest>(?:\s*[,/]\s*{_NAME}){{0,12}}            # Smith, Jones, / Smith/Jones/
                     (?:\s*,?\s*(?:&|\b(?:and|und|et)\b)|\s*/)\s*{_NAME}  # & Lee, und Lee, et Lee, /Lee
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
_YEAR_AHEAD = rf"(?=(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)(?!(?!{_U}(?:{_L}|{_U}{{2}}))[\w–-]))"
_BARE_YEAR = r"(?:[ \t]+|[ \t]*\n[ \t]*)" + _YEAR_AHEAD
# These three run over the whole text. Each opens with a literal, its word boundary or letter
# checked behind it ("e(?<=\be)t al" is "\bet al"), so that the engine skips to the next candidate
# character instead of trying every position: the same matches (tests/test_whole_text_patterns.py
# holds the plain forms), in a third of the time.
BARE_ETAL = regex(r"(?:e(?<=\be)t\s+al\.?|u(?<=\bu)\.\s?a\.),?" + _BARE_YEAR)
# A blank just before a year: where "as explained in Clark, 2015" may end (see bare_ones).
_BLANK_YEAR = regex(r"[ \t\n]" + _YEAR_AHEAD)


def bare_ones(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each letter's comma and blanks before a year, "Clark, 2015" and "Clark
    2015", with Clark (2015) listed: the blanks hold at most one line break and the comma is
    optional. ``finditer`` of the plain pattern ``(?<=[^\\W\\d_]),?`` + ``_BARE_YEAR`` finds the
    same (tests/test_whole_text_patterns.py), but tries it after every letter of the text; the
    blanks before a year are fewer and read back by hand."""
    for m in _BLANK_YEAR.finditer(text):
        end = m.end()
        at = end - 1
        breaks = 0
        while at >= 0 and text[at] in " \t\n":
            breaks += text[at] == "\n"
            at -= 1
        if breaks > 1 or at < 0:
            continue
        start = at + 1
        if text[at] == ",":
            start = at
            at -= 1
        # a letter: what the engine's [^\W\d_] takes, a word character that is no digit or "_"
        if at >= 0 and text[at].isalnum() and not text[at].isdecimal():
            yield start, end


BARE_PAIR = regex(r"(?:&|a(?<=\ba)nd\b)[ \t]+[^\W\d_][^,;()\[\]\n]{0,60}?,?" + _BARE_YEAR)

# German styles join the names with slashes: "(Moss/Carvajal/Jaffe 2019)".
_SPLIT_AUTHORS = regex(r"\s*,\s*(?:&|\b(?:and|und|et)\b)?\s*|\s+(?:&|\b(?:and|und|et)\b)\s+|\s*/\s*")
_ETAL_TAIL = regex(_ETAL + r"$", re.VERBOSE)

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

# A Latin binomial (genus, optional subgenus, epithet, optional subspecies) right before a name and
# a year: "Platynus assimilis (Paykull 1790)", "*Isolda pulchella* (Müller in Grube, 1858)".
EPITHET_ENDINGS = ("us", "a", "um", "i", "ae", "is", "es", "ensis", "oides", "x", "on", "or", "er", "ens", "ans")
_EPITHET = r"[a-z]{2,}(?:" + "|".join(EPITHET_ENDINGS) + ")"
BINOMIAL = regex(
    rf"(?:\b[A-Z][a-z]+|\b[A-Z]\.)[*_]?\s+(?:\([A-Z][a-z]+\)\s+)?[*_]?{_EPITHET}(?:\s+{_EPITHET})?[*_]?"
    rf"\s*\(?\s*(?:{_U}[\w'’-]+\s+(?:in|ex)\s+)?$"
)
QUOTED_END = regex(r"[“\"](?P<title>[^“”\"\n]{2,200})[”\"][\s,]*$")
LISTED_BEFORE = regex(rf"(?<![\w'’-])((?:{_U}[{UPPER}{LOWER}'’\-]+[ \t]+){{0,2}}({_U}[{UPPER}{LOWER}'’\-]+))[ \t]*,[ \t]*$")
# "Adams's work ", "Okoro's later survey ": a possessive and a word or two before a year in brackets
POSSESSIVE_BEFORE = regex(rf"(?<![\w'’-])(?P<name>{_U}[{LOWER}]+(?:-{_U}[{LOWER}]+)?)['’]s?(?:[ \t]+[{LOWER}]+){{1,2}}[ \t]*$")
GIVEN = regex(rf"{_U}{_L}+(?:-{_U}{_L}+)?")  # "James", "Jean-Paul"
POSSESSIVE = regex(r"['’]s?$")
INITIALS_AFTER = regex(
    rf"(?<=[{LOWER}])(?:,[ \t]*(?:{_U}\.[ \t]?-?){{1,3}}|,?[ \t]+(?:Jr|Sr|II|III|IV)\b\.?)(?=[ \t]*(?:et\s+al|,|&|\band\b|$))"
)
INITIALS = regex(rf"({_U})\.(?:\s?-?({_U})\.)?\s*")
# Square brackets are not among them: "(World Health Organization [WHO], 2019)".
_STOP_CHARS = '();:"“”!?=<>0123456789'
