"""What a reference list and its entries look like: the regexes the segmenter and the parsers read
with.

Each pattern runs on one line of the list or one entry's text: the marks and openings that start
an entry (``MARKER``, ``BULLET``, ``ENTRY_START``) and the endings that close one (``ENTRY_END``),
the year in its two places (``REF_YEAR_APA``, ``REF_YEAR_BARE``, ``YEAR_AT_END``), the shapes of
names and initials (``INITIALS_TOKEN``, ``GIVEN_NAME``, ``NATURAL``, ``VANCOUVER``, ``ORG_HINT``),
links and DOIs, and volume, issue and pages as each style writes them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from citecheck.cache import regex
from citecheck.names import LOWER, PARTICLES, UPPER

_U = f"[{UPPER}]"

# A bullet or number before an entry: "- ", "• ", "1. ", "[12] ", "12) ".
# A year opening a wrapped line ("1990. Global Environmental Change ...") is no list number.
MARKER = regex(r"^[ \t]*(?:[-•*·▪◦–][ \t]+|\[\d{1,4}\][ \t]*|(?!(?:1[5-9]|20)\d\d[.)])\d{1,4}[.)][ \t]+)")
# A line that opens with the tail of a number: "8032. https://...", "101–118.", "12(3), 45–67."
CONTINUED_NUMBER = regex(r"\d+[ \t]*[.,:;()–—-]")
_BULLET = r"[ \t]*[-•*·▪◦–][ \t]+"
BULLET = regex("^" + _BULLET)
# A line break and a bullet opening the line after it: the bulleted lines of a list, all found by
# one search (its line breaks are found as a string search finds them) rather than one match a line.
BULLET_AFTER_BREAK = regex("\n" + _BULLET)

# The opening of an entry: "Surname, I." / "Surname, Given" / "van der Berg, J." / a group author
# followed by a year ("World Health Organization. (2019)").
# Particles before a surname: "van der Berg", "de la Cruz", "d’Alembert", "D’ ALEMBERT".
_LEAD_PARTICLES = rf"(?:(?:{'|'.join(sorted(PARTICLES, key=lambda p: (-len(p), p)))})[ \t]+|[dDlL]['’][ \t]?)*"
# The dash for the authors of the entry before: "———. 2010." (Chicago, AAA, MHRA), or one em dash
# (or a horizontal bar) before a full stop, a comma, "et al." or the year: "—. 2010.", "— et al.
# 2009b." (Antiquity), "― 2008b," (Victoria University Harvard).
_DASHES = r"(?:[—–―_-]{2,}|[—―](?=[ \t]*(?:[.,]|et[ \t]+al\.|(?:1[5-9]|20)\d\d)))"
# One name of an author list in Vancouver form: "Qin N", "Le Chatelier E", "Batto JM", "de Vos WM".
_VANCOUVER_NAME = rf"{_LEAD_PARTICLES}{_U}[\w'’\-]+(?:[ \t]+{_U}[\w'’\-]+)?[ \t]+{_U}{{1,3}}\b"
# A name after the first in such a list: a person or a group ("kConFab Investigators").
_LIST_MEMBER = r"[\w'’\-]++(?:[ \t]+[\w'’\-]++){0,5}+"
ENTRY_START = regex(
    rf"""
    ^[ \t]*(?:[-•*·▪◦–][ \t]+|\[\d{{1,4}}\][ \t]*|(?!(?:1[5-9]|20)\d\d[.)])\d{{1,4}}[.)][ \t]+)?[*_]{{0,2}}
    (?:
        {_LEAD_PARTICLES}{_U}[\w'’\-]+(?:[ \t]+{_U}[\w'’\-]+){{0,2}}
        ,[ \t]*{_U}                                    # Surname, I. / Surname, Given
      | {_LEAD_PARTICLES}  # "de Melo J, Miki K, ... (2012)"
        (?:\d{{1,5}}[ \t]+)?{_U}[^\n]{{0,200}}?          # World Health Organization, 1000 Genomes Project
        (?:\((?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.|in[ \t]+press)[^)\n]{{0,30}}\)   # (2019) / (2019, May 3)
          | [.,][ \t]+(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)[.,])                      # . 2019.
      | {_VANCOUVER_NAME}(?:,[ \t]+{_LIST_MEMBER})*+[ \t]+\((?:1[5-9]|20)\d\d   # "Qin N, Yang F, ... Li L (2014)"
      | {_DASHES}[ \t]*(?:[.,]|et[ \t]+al\.)          # "———. 2010.", "— et al. 2009b": the entry before's
    )
    """,
    re.VERBOSE,
)

# How an entry ends: a period, a page range, a DOI or a URL.
# "...", "1–10", a URL or DOI, a year with its letter ("DANDI Archive, 2018b")
# Every ending lies in the line's last word: ``ends_entry`` searches only there, so that a long line
# of slashes ("</a></a>...") is not searched again from each of them.
ENTRY_END = regex(r"(?:[.)\]]|\d|\b(?:1[5-9]|20)\d\d[a-z]|/\S*+|doi:\S++)[*_]*[ \t\r]*$")


@lru_cache(maxsize=256)  # a line is asked about again as the line before the next one
def ends_entry(line: str) -> bool:
    """Whether a line ends as an entry does (``ENTRY_END``), looked for in its last word."""
    body = line.rstrip(" \t\r")
    return ENTRY_END.search(line, max(body.rfind(" "), body.rfind("\t")) + 1) is not None


# The year of an entry. APA puts it in brackets after the authors, possibly with a date;
# Harvard and Chicago put it bare after the authors.
REF_YEAR_APA = regex(
    r"""
    \(\s*
    (?:
        (?P<year>(?:1[5-9]|20)\d\d)(?:/(?:1[5-9]|20)\d\d)?(?P<suffix>[a-z])?   # (2018) (2018a) (1890/1983)
      | (?P<nd>n\.\s?d\.|(?-i:o\.\s?J\.|s\.\s?[df]\.)|sans\s+date|no\s+date)(?:-?(?P<ndsuffix>[a-z]))?  # (n.d.), (o. J.)
      | (?P<press>in\s+press|forthcoming|in\s+preparation|submitted)(?:-?(?P<presssuffix>[a-z]))?
    )
    (?:,[^()]{0,40})?                                                          # (2018, March 5)
    \s*\)
    """,
    re.VERBOSE | re.IGNORECASE,
)
REF_YEAR_BARE = regex(
    r"""
    (?<![\w/.–-])
    (?:
        (?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?(?![\w–-])
      | (?P<nd>(?-i:[nN]\.\s?d\.|o\.\s?J\.|s\.\s?[df]\.|(?<![,&]\s)(?<![,&])(?<![A-Z]\.\s)(?<![A-Z]\.)N\.\s?D\.)|\[sans\s+date\])
        (?:-?(?P<ndsuffix>[a-z]))?
      | (?P<press>in\s+press|forthcoming)(?:-?(?P<presssuffix>[a-z]))?
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Particles a style writes after the given name or the initials: "Varga, Miguel de la", "Varga M de la".
_PARTICLES_AFTER = "de|la|van|der|den|von|du|da|dos|del|di|le|d['’]"
_AFTER_PARTICLES = rf"(?:[ \t]+(?:{_PARTICLES_AFTER}))*"
# Up to four initials ("J. L.", "J.-P."), then particles ("J. de"). Each separator is read one way
# only (its blanks possessed), or a run of blanks after an initial is split every way there is.
_INITIAL = rf"(?:{_U}[a-z]\.|{_U}\.?)"  # "J.", "J", "Th." ("Xu", with no stop, is a surname: "Xu Y.")
INITIALS_TOKEN = regex(
    rf"^{_INITIAL}(?:[ \t]*+(?:-[ \t]*+)?{_INITIAL}){{0,3}}(?:[ \t]*-)?(?:(?:[ \t]+(?:{_PARTICLES_AFTER}))+|[ \t]*)$"
)
# The particles that close a given name or initials: "J. de", "Saskia E. J. de", "J. L. van".
TRAILING_PARTICLES = regex(rf"(?:(?<=[ \t.])|^)((?:{_PARTICLES_AFTER})(?:[ \t]+(?:{_PARTICLES_AFTER}))*)[ \t]*$")
# A given name, hyphenated ones too: "Karen", "Jean-Paul", "Ji-Hoon".
_GIVEN_WORD = rf"{_U}[{LOWER}'’]+(?:-{_U}?[{LOWER}'’]+)*"
GIVEN_NAME = regex(rf"^{_GIVEN_WORD}(?:[ \t]+(?:{_U}\.|{_GIVEN_WORD})){{0,2}}{_AFTER_PARTICLES}$")
# Initials without periods after a given name ("Daniel L", "Nathan S"), in the Chicago family
GIVEN_BARE = regex(rf"^{_GIVEN_WORD}(?:[ \t]+{_U}{{1,3}})+{_AFTER_PARTICLES}$")
# A name in natural order after an inverted first one (Chicago, ASA, APSA, AAA): "J. Stougaard",
# "Louis J. Gross", "J.-C. Cho", "Mary van der Berg", in small capitals "E.M. DE ROBERTIS".
_PARTICLE_WORDS = "|".join(sorted((re.escape(p) for p in PARTICLES if not p.endswith("'")), key=lambda p: (-len(p), p)))
NATURAL = regex(
    rf"^(?P<given>(?:{_U}\.(?:[ \t]?-[ \t]?|[ \t]{{0,2}}))+|{_GIVEN_WORD}(?:[ \t]+{_U}{{1,3}}\.?)*)[ \t]+"
    rf"(?P<family>(?:(?:{_PARTICLE_WORDS}|{_PARTICLE_WORDS.upper()}|De|Del|Della|Di|Da|Du|Van|Von|Le|La|Den|Der|Ten|Ter)[ \t]+)*"
    rf"{_U}[{UPPER}{LOWER}'’\-]+)$"
)
GIVEN_INITIAL = regex(rf"^{_GIVEN_WORD}(?:[ \t]+{_U}\.?)+$")  # "Carol A" (its period stripped)
# "Smith JA", "Cho J-C", "Varga M de la" (the particle after the initials)
# "Cho J-C", "Smith JK"; PubMed writes a given name it took for a particle in lowercase: "Huang da W".
# Italian and French lists stop the initials: "ROSSI M.G., BIANCHI L.", "CHI S. W." (the final stop stripped).
_STOPPED = rf"{_U}\.?(?:(?:(?<=\.)[ \t])?-?{_U}\.?){{0,2}}"  # "JA", "J-C", "M.G", "S. W"
VANCOUVER = regex(rf"^(?P<family>.+?)[ \t]+(?P<initials>{_STOPPED}|d[aeiou][ \t]?{_U}{_U}?){_AFTER_PARTICLES}$")
VANCOUVER_SUFFIX = regex(rf"^(.+[ \t]{_U}{{1,3}})[ \t]+(?:Jr|Sr|II|III|IV)\.?$")
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
ORG_HINT = regex(
    r"\b(?:organi[sz]ation|team|consortium|association|institute|society|council|agency|bank|group|project|"
    r"committee|office|department|ministry|commission|foundation|board|cent(?:er|re)|programme?|union|"
    r"nations|fund|service|survey|network|collaboration|initiative|forum|university|federation|bureau|"
    r"authority|administration|government|workgroup|inc|ltd|corporation|company)\b",
    re.IGNORECASE,
)

DOI = regex(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
URL = regex(r"https?://[^\s<>\"]+")
# A word that is a link or a DOI, or the start of one: "https://doi.org/10.1007/s11121-", "doi:10.1/x".
LINK_WORD = regex(
    r"""
    ://                 # "https://doi.org/10.1/x", "https://elifesciences.org/labs/cad57bc"
    | ^(?:doi:|www\.)   # "doi:10.1016/S0140-", "www.who.int/"
    | ^\(?10\.\d{4,9}/   # a bare DOI: "10.1007/s11121-"
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The start of a word that reads as a link (``LINK_WORD``, the same three ways): a word that holds
# "://", or opens with "doi:", "www." or a bare DOI. The lazy run stops at the first "://" or at
# the word's end, so that each word costs its own length at most.
LINK_WORD_START = regex(r"(?<!\S)(?:\S*?://|doi:|www\.|\(?10\.\d{4,9}/)", re.IGNORECASE)
# The rest of a link that a line break cut: no spaces, opens with a lower-case letter or a digit,
# and has what links have and words do not ("f/composing-reproducible-manuscripts", "011-0217-6"),
# unless the line broke where a link cannot end ("...s11121-"). A link may end in "/", so a word
# after ".../" must show it is a link's rest: "https://www.who.int/" then "Accessed 3 May" is not.
LINK_REST = regex(r"[a-z0-9][\w\-./~%?=&#:+;()\[\]]*")
LINK_BREAK = regex(r"[-_=?&#~%]$")
_WORD = regex(r"\S+")
# Text up to a blank line, "\S(?:.|\n(?![ \t]*\n))*" read a run of the line at a time rather
# than a character at a time (nothing follows the run, so it gives back no character).
_PARAGRAPH = regex(r"\S(?:[^\n]++|\n(?![ \t]*\n))*+")
# A DOI cut right after its prefix ("https://doi.org/10.1002/"), which no DOI ends with: whatever
# follows is its suffix, "(SICI)1097-4547(19991115)58:4" included.
DOI_STEM = regex(r"(?:^|[/:])10\.\d{4,9}/$")
# Volume, issue and pages of a journal article: "29(3), 52–67", "*32*(1), 98–114", "4, e04024".
VOLUME_PAGES = regex(
    r"""
    ,\s*[*_]{0,2}(?P<volume>\d{1,5}[A-Z]?)[*_]{0,2}
    (?:\s*\((?P<issue>[^()]{1,20})\))?
    (?:\s*,\s*(?:pp?\.\s*|[Aa]rticle\s+)?(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?)?
    (?=\s*[.,;]|\s*$)
    """,
    re.VERBOSE,
)
# Elsevier Harvard: "Journal of Upland Hydrology 14, 88–104.", "Science 337, 749–753."
BARE_VOLUME_PAGES = regex(
    r"\s(?P<volume>\d{1,5})(?:\s*\((?P<issue>[^()]{1,20})\))?,\s*(?P<first>[A-Za-z]{0,2}\d+)"
    r"(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?(?=\s*[.,;]|\s*$)"
)
# Chicago: "Marine Geology 390 (2): 12–25."
CHICAGO_VOLUME_PAGES = regex(
    r"""
    \s[*_]{0,2}(?P<volume>\d{1,5})[*_]{0,2}
    (?:\s*\((?P<issue>[^()]{1,20})\))?
    \s*:\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?
    (?=\s*[.,;]|\s*$)
    """,
    re.VERBOSE,
)
QUOTED_TITLE = regex(r"""\s*[“"‘'](?P<title>[^”"’]{3,}?)[”"’']\s*[.,]?\s*""")
BOOK_PAGES = regex(r"\b(?:pp?|S)\.\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?")
# ISO 690 and DIN 1505-2: "Vol. 14, n° 2, pp. 88‑104", "Bd. 14 (2011), Nr. 2, S. 88–104".
LABELLED_VOLUME_PAGES = regex(
    r"""
    \b(?:Vol|Bd|Jg)\.\s*(?P<volume>\d{1,5})
    (?:[^.;]{0,20}?\b(?:n°|no\.|Nr\.|H\.|Heft)\s*(?P<issue>[\w-]{1,8}))?
    [^;]{0,30}?\b(?:pp?|S)\.\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?
    """,
    re.VERBOSE,
)
# Copernicus and DIN close the author list with a colon: "Haldane, R. M. and Okoro, C.: Title, ...";
# no digit stands before it.
AUTHORS_COLON = regex(r"^(?P<authors>[^:\[\]“”\"]{2,300}?)[ \t]*:(?:[ \t]+(?=\S)|[ \t]*$)")
# A number in an author list is part of a name ("SARS-CoV-2", "1000 Genomes"), never a year or a page.
_NUMBER_IN_HEAD = regex(r"(?<![\w-])(?:(?:1[5-9]|20)\d\d|\d+[–-]\d+|\d+\(\d)")
# Copernicus puts the year at the very end: "..., 1837, 1769–1780, https://doi.org/..., 2014."
# A number after "S.", "p.", "Nr." or "Bd." is a page, issue or volume: "Bd. 18 (2017), S. 1886".
YEAR_AT_END = regex(
    r"(?<!\bS\.)(?<!\bp\.)(?<!\bpp\.)(?<!\bNr\.)(?<!\bBd\.)(?<!\bVol\.)"
    r"[,\s](?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?[ \t]*\.?[ \t]*$"
)
PUBLISHER = regex(
    r"\b(?:press|publish(?:ing|ers?)|books|routledge|springer|wiley|elsevier|palgrave|polity|brill|sage|"
    r"macmillan|norton|penguin|verlag|dover|mcgraw|pearson|blackwell|harper|random house|edition|"
    r"university library|endowment)\b",
    re.IGNORECASE,
)
# One or two "*" or "_" at a word's edge, "(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)", written to open with
# the class: the engine skips to the next "*" or "_" instead of trying a lookbehind at each
# character, and the lookbehind looks past the "*" or "_" it follows.
_EMPHASIS = regex(r"[*_](?:(?<!\w[*_])[*_]?|[*_](?!\w)|(?!\w))")
