"""The reference list: splitting it into entries and parsing each entry.

Input: the cleaned text and the span of the reference list (from ``layout``). Output: one
``Reference`` per entry, in list order, each with its span. An entry that cannot be parsed keeps
its span and text with empty fields; the ``unparsed-reference`` rule reports it.

Entries may be separated by blank lines, by bullets or numbers, or only by line wraps with hanging
indents; in text extracted from a PDF even the indents are gone, and an entry starts where a line
opens with "Surname, I." after a line that ended an entry. A page break (its page number and running
header blanked by ``layout``) or a wrap inside an author or editor list starts none: an entry with no
year or title yet, or one cut mid-list, goes on past it.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence

from rapidfuzz import fuzz

from citecheck.layout import reference_headings
from citecheck.model import Author, Pages, Reference, Span
from citecheck.names import LOWER, PARTICLES, UPPER, initials_of, name_key

_U = f"[{UPPER}]"

# A bullet or number before an entry: "- ", "• ", "1. ", "[12] ", "12) ".
# A year opening a wrapped line ("1990. Global Environmental Change ...") is no list number.
MARKER = re.compile(r"^[ \t]*(?:[-•*·▪◦–][ \t]+|\[\d{1,4}\][ \t]*|(?!(?:1[5-9]|20)\d\d[.)])\d{1,4}[.)][ \t]+)")
# A line that opens with the tail of a number: "8032. https://...", "101–118.", "12(3), 45–67."
CONTINUED_NUMBER = re.compile(r"\d+[ \t]*[.,:;()–—-]")
BULLET = re.compile(r"^[ \t]*[-•*·▪◦–][ \t]+")

# The opening of an entry: "Surname, I." / "Surname, Given" / "van der Berg, J." / a group author
# followed by a year ("World Health Organization. (2019)").
# Particles before a surname: "van der Berg", "de la Cruz", "d’Alembert", "D’ ALEMBERT".
_LEAD_PARTICLES = rf"(?:(?:{'|'.join(sorted(PARTICLES, key=len, reverse=True))})[ \t]+|[dDlL]['’][ \t]?)*"
ENTRY_START = re.compile(
    rf"""
    ^[ \t]*(?:[-•*·▪◦–][ \t]+|\[\d{{1,4}}\][ \t]*|(?!(?:1[5-9]|20)\d\d[.)])\d{{1,4}}[.)][ \t]+)?[*_]{{0,2}}
    (?:
        {_LEAD_PARTICLES}{_U}[\w'’\-]+(?:[ \t]+{_U}[\w'’\-]+){{0,2}}
        ,[ \t]*{_U}                                    # Surname, I. / Surname, Given
      | {_LEAD_PARTICLES}  # "de Melo J, Miki K, ... (2012)"
        (?:\d{{1,5}}[ \t]+)?{_U}[^\n]{{0,200}}?          # World Health Organization, 1000 Genomes Project
        (?:\((?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.|in[ \t]+press)[^)\n]{{0,30}}\)   # (2019) / (2019, May 3)
          | [.,][ \t]+(?:(?:1[5-9]|20)\d\d[a-z]?|n\.\s?d\.)[.,])                      # . 2019.
    )
    """,
    re.VERBOSE,
)

# How an entry ends: a period, a page range, a DOI or a URL.
# "...", "1–10", a URL or DOI, a year with its letter ("DANDI Archive, 2018b")
ENTRY_END = re.compile(r"(?:[.)\]]|\d|\b(?:1[5-9]|20)\d\d[a-z]|\S*/\S*|doi:\S+)[*_]*[ \t\r]*$")

# The year of an entry. APA puts it in brackets after the authors, possibly with a date;
# Harvard and Chicago put it bare after the authors.
REF_YEAR_APA = re.compile(
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
REF_YEAR_BARE = re.compile(
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
INITIALS_TOKEN = re.compile(rf"^(?:{_U}[a-z]?\.?[ \t]*-?[ \t]*){{1,4}}{_AFTER_PARTICLES}$")  # "J. L.", "J. de"
# The particles that close a given name or initials: "J. de", "Saskia E. J. de", "J. L. van".
TRAILING_PARTICLES = re.compile(rf"(?:(?<=[ \t.])|^)((?:{_PARTICLES_AFTER})(?:[ \t]+(?:{_PARTICLES_AFTER}))*)[ \t]*$")
# A given name, hyphenated ones too: "Karen", "Jean-Paul", "Ji-Hoon".
_GIVEN_WORD = rf"{_U}[{LOWER}'’]+(?:-{_U}?[{LOWER}'’]+)*"
GIVEN_NAME = re.compile(rf"^{_GIVEN_WORD}(?:[ \t]+(?:{_U}\.|{_GIVEN_WORD})){{0,2}}{_AFTER_PARTICLES}$")
# Initials without periods after a given name ("Daniel L", "Nathan S"), in the Chicago family
GIVEN_BARE = re.compile(rf"^{_GIVEN_WORD}(?:[ \t]+{_U}{{1,3}})+{_AFTER_PARTICLES}$")
# A name in natural order after an inverted first one (Chicago, ASA, APSA, AAA): "J. Stougaard",
# "Louis J. Gross", "J.-C. Cho", "Mary van der Berg".
_PARTICLE_WORDS = "|".join(sorted((re.escape(p) for p in PARTICLES if not p.endswith("'")), key=len, reverse=True))
NATURAL = re.compile(
    rf"^(?P<given>(?:{_U}\.[ \t]?-?[ \t]?)+|{_GIVEN_WORD}(?:[ \t]+{_U}{{1,3}}\.?)*)[ \t]+"
    rf"(?P<family>(?:(?:{_PARTICLE_WORDS}|De|Del|Della|Di|Da|Du|Van|Von|Le|La|Den|Der|Ten|Ter)[ \t]+)*{_U}[{UPPER}{LOWER}'’\-]+)$"
)
GIVEN_INITIAL = re.compile(rf"^{_GIVEN_WORD}(?:[ \t]+{_U}\.?)+$")  # "Carol A" (its period stripped)
# "Smith JA", "Cho J-C", "Varga M de la" (the particle after the initials)
# "Cho J-C", "Smith JK"; PubMed writes a given name it took for a particle in lowercase: "Huang da W".
VANCOUVER = re.compile(rf"^(?P<family>.+?)[ \t]+(?P<initials>{_U}(?:-?{_U}){{0,2}}|d[aeiou][ \t]?{_U}{_U}?){_AFTER_PARTICLES}$")
VANCOUVER_SUFFIX = re.compile(rf"^(.+[ \t]{_U}{{1,3}})[ \t]+(?:Jr|Sr|II|III|IV)\.?$")
SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
ORG_HINT = re.compile(
    r"\b(?:organi[sz]ation|team|consortium|association|institute|society|council|agency|bank|group|project|"
    r"committee|office|department|ministry|commission|foundation|board|cent(?:er|re)|programme?|union|"
    r"nations|fund|service|survey|network|collaboration|initiative|forum|university|federation|bureau|"
    r"authority|administration|government|workgroup|inc|ltd|corporation|company)\b",
    re.IGNORECASE,
)

DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
URL = re.compile(r"https?://[^\s<>\"]+")
# A word that is a link or a DOI, or the start of one: "https://doi.org/10.1007/s11121-", "doi:10.1/x".
LINK_WORD = re.compile(
    r"""
    ://                 # "https://doi.org/10.1/x", "https://elifesciences.org/labs/cad57bc"
    | ^(?:doi:|www\.)   # "doi:10.1016/S0140-", "www.who.int/"
    | ^\(?10\.\d{4,9}/   # a bare DOI: "10.1007/s11121-"
    """,
    re.IGNORECASE | re.VERBOSE,
)
# The rest of a link that a line break cut: no spaces, opens with a lower-case letter or a digit,
# and has what links have and words do not ("f/composing-reproducible-manuscripts", "011-0217-6"),
# unless the line broke where a link cannot end ("...s11121-"). A link may end in "/", so a word
# after ".../" must show it is a link's rest: "https://www.who.int/" then "Accessed 3 May" is not.
LINK_REST = re.compile(r"[a-z0-9][\w\-./~%?=&#:+;()\[\]]*")
LINK_BREAK = re.compile(r"[-_=?&#~%]$")
_WORD = re.compile(r"\S+")
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![ \t]*\n))*")  # text up to a blank line
# A DOI cut right after its prefix ("https://doi.org/10.1002/"), which no DOI ends with: whatever
# follows is its suffix, "(SICI)1097-4547(19991115)58:4" included.
DOI_STEM = re.compile(r"(?:^|[/:])10\.\d{4,9}/$")
# Volume, issue and pages of a journal article: "29(3), 52–67", "*32*(1), 98–114", "4, e04024".
VOLUME_PAGES = re.compile(
    r"""
    ,\s*[*_]{0,2}(?P<volume>\d{1,5}[A-Z]?)[*_]{0,2}
    (?:\s*\((?P<issue>[^()]{1,20})\))?
    (?:\s*,\s*(?:pp?\.\s*|[Aa]rticle\s+)?(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?)?
    (?=\s*[.,;]|\s*$)
    """,
    re.VERBOSE,
)
# Elsevier Harvard: "Journal of Upland Hydrology 14, 88–104.", "Science 337, 749–753."
BARE_VOLUME_PAGES = re.compile(
    r"\s(?P<volume>\d{1,5})(?:\s*\((?P<issue>[^()]{1,20})\))?,\s*(?P<first>[A-Za-z]{0,2}\d+)"
    r"(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?(?=\s*[.,;]|\s*$)"
)
# Chicago: "Marine Geology 390 (2): 12–25."
CHICAGO_VOLUME_PAGES = re.compile(
    r"""
    \s[*_]{0,2}(?P<volume>\d{1,5})[*_]{0,2}
    (?:\s*\((?P<issue>[^()]{1,20})\))?
    \s*:\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?
    (?=\s*[.,;]|\s*$)
    """,
    re.VERBOSE,
)
QUOTED_TITLE = re.compile(r"""\s*[“"‘'](?P<title>[^”"’]{3,}?)[”"’']\s*[.,]?\s*""")
BOOK_PAGES = re.compile(r"\b(?:pp?|S)\.\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?")
# ISO 690 and DIN 1505-2: "Vol. 14, n° 2, pp. 88‑104", "Bd. 14 (2011), Nr. 2, S. 88–104".
LABELLED_VOLUME_PAGES = re.compile(
    r"""
    \b(?:Vol|Bd|Jg)\.\s*(?P<volume>\d{1,5})
    (?:[^.;]{0,20}?\b(?:n°|no\.|Nr\.|H\.|Heft)\s*(?P<issue>[\w-]{1,8}))?
    [^;]{0,30}?\b(?:pp?|S)\.\s*(?P<first>[A-Za-z]{0,2}\d+)(?:\s*[-–—‑]\s*(?P<last>[A-Za-z]{0,2}\d+))?
    """,
    re.VERBOSE,
)
# Copernicus and DIN close the author list with a colon: "Haldane, R. M. and Okoro, C.: Title, ...";
# no digit stands before it.
AUTHORS_COLON = re.compile(r"^(?P<authors>[^:\[\]“”\"]{2,300}?)[ \t]*:(?:[ \t]+(?=\S)|[ \t]*$)")
# A number in an author list is part of a name ("SARS-CoV-2", "1000 Genomes"), never a year or a page.
_NUMBER_IN_HEAD = re.compile(r"(?<![\w-])(?:(?:1[5-9]|20)\d\d|\d+[–-]\d+|\d+\(\d)")
# Copernicus puts the year at the very end: "..., 1837, 1769–1780, https://doi.org/..., 2014."
# A number after "S.", "p.", "Nr." or "Bd." is a page, issue or volume: "Bd. 18 (2017), S. 1886".
YEAR_AT_END = re.compile(
    r"(?<!\bS\.)(?<!\bp\.)(?<!\bpp\.)(?<!\bNr\.)(?<!\bBd\.)(?<!\bVol\.)"
    r"[,\s](?P<year>(?:1[5-9]|20)\d\d)(?P<suffix>[a-z])?[ \t]*\.?[ \t]*$"
)
PUBLISHER = re.compile(
    r"\b(?:press|publish(?:ing|ers?)|books|routledge|springer|wiley|elsevier|palgrave|polity|brill|sage|"
    r"macmillan|norton|penguin|verlag|dover|mcgraw|pearson|blackwell|harper|random house|edition|"
    r"university library|endowment)\b",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"(?<!\w)[*_]{1,2}|[*_]{1,2}(?!\w)")


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
        opening = m.group().split("\n", 1)[0]
        carried_on = (
            opening[:1].islower()  # "gliosis in retina ..."
            or CONTINUED_NUMBER.match(opening) is not None  # "8032. https://..."
            or VOLUME_PAGES.search(opening) is not None  # "Security, 32(1), 1–10."
            or LINK_WORD.search(opening.split(" ", 1)[0]) is not None  # "https://doi.org/10.1/x"
        )
        if end > start and not (_opens_entry(opening) or carried_on):
            break
        end = m.end()
    return end


def segment(clean: str, span: Span) -> list[Span]:
    """Split the reference list into entry spans (white space trimmed)."""
    lines = list(_lines(clean, span))
    entries: list[list[tuple[int, int]]] = []
    indents = [len(t) - len(t.lstrip(" \t")) for _, _, t in lines if t.strip()]
    hanging = bool(indents) and min(indents) < max(indents)
    first_indent = min(indents) if indents else 0
    # A number opening a line marks an entry only in a list that opens with one: elsewhere it is a
    # wrapped page or article number ("Scientific Reports, 5,\n8032. https://...").
    first_line = next((t for _, _, t in lines if t.strip()), "")
    numbered = MARKER.match(first_line) is not None and BULLET.match(first_line) is None
    # Likewise a bullet, in a list that opens with one or bullets half its entries: elsewhere "- "
    # opening a line is a dash that wrapped ("Catalogue of marsh beetles\n- Volume 1: ...").
    bullets = sum(1 for _, _, t in lines if BULLET.match(t))
    bulleted = BULLET.match(first_line) is not None or (
        bullets >= 2 and 2 * bullets >= sum(1 for _, _, t in lines if ENTRY_START.match(t))
    )
    blank_before = True
    page_break = False  # whether the blank lines before this line held page furniture, blanked
    previous = None
    dated = False  # whether the entry being read has shown its year yet
    head = _Head()  # what the entry being read has shown before its year
    alphabetical = _alphabetical(t for _, _, t in lines)
    # A list of one-line paragraphs (a word processor's or a web page's, never a PDF's wrapped
    # lines) puts one entry in each: "Overdose death rates:" is a whole entry (Copernicus renders
    # a web page by its title), not the head of the next.
    texts = [t for _, _, t in lines]
    filled = [i for i, t in enumerate(texts) if t.strip()]
    one_per_paragraph = len(filled) >= 3 and all(b - a > 1 for a, b in itertools.pairwise(filled))
    last_number: int | None = None  # of the last numbered entry, in a numbered list
    for start, end, t in lines:
        if not t.strip():
            blank_before = True
            page_break = page_break or " " in t  # a running header or page number blanked to spaces
            continue
        marked = (bulleted and BULLET.match(t) is not None) or (numbered and MARKER.match(t) is not None)
        starts = _starts_entry(t, previous, dated, blank_before, hanging, first_indent, marked)
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
            starts = ENTRY_START.match(t) is not None and ENTRY_END.search(previous or "") is not None
        if starts and number is not None:
            last_number = number
        if starts or not entries:
            head = _Head(t)
        elif not dated:
            head.read(t)
        dated = (dated and not starts) or REF_YEAR_APA.search(t) is not None or REF_YEAR_BARE.search(t) is not None
        previous = t
        if starts or not entries:
            entries.append([(start, end)])
        else:
            entries[-1].append((start, end))
        blank_before = page_break = False
    out = []
    for e in entries:
        first, last = e[0][0], e[-1][1]
        while first < last and clean[first].isspace():
            first += 1
        while last > first and clean[last - 1].isspace():
            last -= 1
        if last > first:
            out.append(Span(first, last))
    return out


# "Surname, I." opening a line: "Abel, T.", "van der Berg, J.-P.", "Ōno, K. A.".
INITIALS_AFTER_NAME = re.compile(
    rf"[ \t*_]*{_LEAD_PARTICLES}{_U}[\w'’\-]+"
    rf"(?:[ \t]+{_U}[\w'’\-]+){{0,2}},[ \t]*{_U}\."
)
DANGLING_INITIAL = re.compile(rf"[,&][ \t]+{_U}\.(?:[ \t]*-?{_U}\.)*[*_]*[ \t\r]*$")  # "..., S. K. Reyes, J."
# One name of an author list, as a line break leaves it: "Cruz", "van der Berg", "Susan Baker".
AUTHOR_NAME = re.compile(rf"{_LEAD_PARTICLES}{_U}[\w'’\-]+(?:[ \t]+{_U}[\w'’\-]+){{0,2}}")
# The first surname of a line that opens like an entry, for the alphabetical order of a list.
LEADING_NAME = re.compile(rf"[ \t*_]*({_LEAD_PARTICLES}{_U}[\w'’\-]*)")
OPEN_END = re.compile(r"(?:[,;&]|\band|\bIn)[*_]*[ \t\r]*$")  # "Cruz, N.,", "Vega, S., &", "... In"


class _Head:
    """What an entry has shown so far: whether it is only names and initials (no title yet), and
    its first surname. A line that opens like a new entry after a head that is only names carries
    the author list on past a page break or a wrap ("Abel, T., Baker, S., Cruz, N.," then "Dunn,
    H., & Fay, K. (2002). ...")."""

    def __init__(self, line: str = "") -> None:
        self.names_only = bool(line)
        self.initials = False
        self.surname = ""
        if line:
            m = LEADING_NAME.match(MARKER.sub("", line, count=1))
            self.surname = name_key(m.group(1)) if m else ""
            self.read(line)

    def read(self, line: str) -> None:
        """Take in a line of the entry that came before its year."""
        if not self.names_only:
            return
        line = MARKER.sub("", line, count=1).strip(" \t\r*_")
        for token in re.split(r",|&|\band\b", line.replace("…", ",").replace("...", ",")):
            token = token.strip(" \t.")
            if not token or token == "et al":
                continue
            if INITIALS_TOKEN.match(token + ".") or INITIALS_TOKEN.match(token):
                self.initials = True
            elif AUTHOR_NAME.fullmatch(token) is None:
                self.names_only = False
                return

    def carried_on_by(self, line: str, previous: str, dated: bool, page_break: bool, alphabetical: bool) -> bool:
        """Whether ``line``, which opens like an entry, carries this one on instead."""
        if not dated and self.names_only and self.initials:
            return True  # no year and no title yet: the author list goes on
        if page_break and OPEN_END.search(previous) is not None:
            return True  # an entry does not end in a comma, an "&" or an "In" before a page break
        if not alphabetical or ENTRY_END.search(previous) is not None or not self.surname:
            return False
        # The entry is unfinished: in an alphabetical list, a name before its own cannot open the next.
        m = LEADING_NAME.match(MARKER.sub("", line, count=1))
        return m is not None and name_key(m.group(1)) < self.surname


MAX_OUT_OF_ORDER = 0.2  # of the lines that open like entries, the share that may break the order


def _alphabetical(lines: Iterable[str]) -> bool:
    """Whether the lines that open like entries follow each other in alphabetical order, but for
    one or a few (a wrapped author list, a misfiled entry)."""
    keys = []
    for line in lines:
        if ENTRY_START.match(line):
            m = LEADING_NAME.match(MARKER.sub("", line, count=1))
            if m is not None:
                keys.append(name_key(m.group(1)))
    out_of_order = sum(1 for a, b in itertools.pairwise(keys) if b < a)
    return out_of_order <= max(1, MAX_OUT_OF_ORDER * (len(keys) - 1))


def _entry_number(line: str) -> int | None:
    """The number a numbered entry opens with: "12. Smith ...", "[12] Smith ...", "12) Smith ..."."""
    m = MARKER.match(line)
    digits = "".join(c for c in m.group(0) if c.isdigit()) if m else ""
    return int(digits) if digits else None


def _lines(clean: str, span: Span) -> Iterator[tuple[int, int, str]]:
    pos = span.start
    while pos < span.end:
        nl = clean.find("\n", pos, span.end)
        end = span.end if nl == -1 else nl
        yield pos, end, clean[pos:end]
        pos = end + 1


def _starts_entry(
    line: str, previous: str | None, dated: bool, blank_before: bool, hanging: bool, first_indent: int, marked: bool
) -> bool:
    if previous is None or marked:
        return True
    looks_start = ENTRY_START.match(line) is not None
    # After its year, an entry that ends in a lone initial is in a list of editors cut by a line
    # break ("In T. F. Oakes, ..., S. K. Reyes, J." then "Sandoval, A. Tate, ... (Eds.)").
    ended = ENTRY_END.search(previous) is not None and not (dated and DANGLING_INITIAL.search(previous))
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


def parse_entries(clean: str, spans: list[Span]) -> list[Reference]:
    """Parse each entry span of ``clean``, the text with running headers blanked."""
    out: list[Reference] = []
    texts = [entry_text(clean[span.start : span.end]) for span in spans]
    # A list whose entries mostly close their authors with a colon (Copernicus, DIN) does so for
    # every entry, an organisation's too: "Executable Books Community: Jupyter book, 2020."
    colons = sum(1 for t in texts if _colon_entry(t) is not None) * 2 >= len(texts) > 0
    for span, text in zip(spans, texts, strict=True):
        # Chicago and AAA leave a repeated author list out: "———. 2010. Title." or, AAA, the
        # year alone: "2019b Title.", or all but the "et al.": ", et al. 2018a Title." The entry
        # is the previous one's authors'.
        repeated = SAME_AUTHORS.match(text)
        if repeated is not None and out and out[-1].authors:
            rest = re.sub(r"^((?:1[5-9]|20)\d\d[a-z]?)(?=[A-Z])", r"\1 ", text[repeated.end() :])  # "2018bDistinct"
            ref = parse_entry("Anon. " + rest, span)
            ref = dataclasses.replace(ref, text=text, authors=out[-1].authors, etal=out[-1].etal)
        else:
            ref = parse_entry(text, span, colons)
        out.append(ref)
    return out


SAME_AUTHORS = re.compile(
    r"^(?:[—–_-]{2,}[ \t]*[.,]?[ \t]*|(?:[—–_-]{2,})?[ \t]*,[ \t]*et[ \t]+al\.[ \t]*|(?=(?:1[5-9]|20)\d\d[a-z]?(?:[ \t.]|[A-Z])))"
)


def entry_text(raw: str) -> str:
    """An entry's lines joined by single spaces, except where a line break cut a link or a DOI:
    "https://doi.org/10.1007/s11121-" and "011-0217-6" on the next line are one DOI."""
    if "/" not in raw and "doi" not in raw.lower():
        return " ".join(raw.split())
    out: list[str] = []
    after = 0  # where the previous word ended
    for m in _WORD.finditer(raw):
        word = m.group()
        if out and "\n" in raw[after : m.start()] and LINK_WORD.search(out[-1]) and _continues_link(out[-1], word):
            out[-1] += word
        else:
            out.append(word)
        after = m.end()
    return " ".join(out)


def _continues_link(link: str, word: str) -> bool:
    if DOI_STEM.search(link):
        return True
    if not LINK_REST.fullmatch(word):
        return False  # "(accessed 3 May 2021)", "Retrieved from": words, not the rest of a link
    return LINK_BREAK.search(link) is not None or any(c in word for c in "/-_.=?&%")


def parse_entry(entry: str, span: Span, colons: bool = False) -> Reference:
    """Parse one entry of an APA, Harvard or Chicago author-date list."""
    entry = MARKER.sub("", entry, count=1).strip()
    italic_spans = [(m.start(), m.end()) for m in re.finditer(r"\*[^*]+\*|_[^_]+_", entry)]
    plain = _EMPHASIS.sub("", entry)
    doi_m = DOI.search(plain)
    doi = doi_m.group(1).rstrip(".,;)") if doi_m else None
    url_m = URL.search(plain)
    url = url_m.group(0).rstrip(".,;)") if url_m else None
    scan = URL.sub(" ", plain)  # years and pages inside URLs and DOIs are not the entry's

    colon = _colon_entry(scan, colons)
    if colon is not None:
        author_part, year, suffix, rest = colon
        authors, etal = parse_authors(author_part)
        title, after_title = _colon_title(rest)
    else:
        ym = REF_YEAR_APA.search(scan)
        ym_bare = _bare_year(scan)
        # The year right after the authors wins over a bracketed one later on: Chicago's "Brown,
        # Thomas. 2003. “Title.” Old Coasts 5 (2003): 100–140." (Taylor & Francis repeats it).
        if ym_bare is not None and (ym is None or ym.start() > 0.8 * len(scan) or _right_after_names(scan, ym_bare, ym)):
            ym = ym_bare
        if ym is None:
            return _undated_entry(entry, scan, span, doi, url)
        year, suffix = _year_of(ym)
        start, end = ym.start(), ym.end()
        # Chicago gives a reprint its original year first: "Darwin, Charles. (1859) 2009." or
        # "[1859] 2009." The work is cited by the year of the edition read: "([1859] 2009, 42)".
        original = ORIGINAL_THEN.match(scan, start) or ORIGINAL_THEN.match(scan, max(0, start - 1))
        if original is not None:
            year, suffix = original.group(2), original.group(3) or ""
            start, end = original.start(), original.end()
        author_part = scan[:start].strip(" .,([")
        authors, etal = parse_authors(author_part)
        rest = scan[end:].lstrip(" .,)")
        title, after_title = _title(rest)
    container, volume, issue, pages = _container(after_title)
    if pages is None:
        bp = BOOK_PAGES.search(after_title)
        if bp:
            pages = _pages(bp.group("first"), bp.group("last"))
    kind = "other"
    if volume:
        kind = "article"
    elif re.search(r"\bIn\b.*\((?:Eds?\.|Hrsg\.)\)", rest) or rest.startswith("In "):
        kind = "chapter"
    elif PUBLISHER.search(after_title) or (italic_spans and title and _title_italic(entry, title)):
        kind = "book"
    elif url and not container:
        kind = "web"
    return Reference(
        span=span,
        text=entry,
        authors=tuple(authors),
        etal=etal,
        year=year or None,
        suffix=suffix,
        title=title,
        container=container,
        volume=volume,
        issue=issue,
        pages=pages,
        doi=doi,
        url=url,
        kind=kind,
    )


# The author list of an entry without a year, where the title plainly begins: Chicago's quoted
# title ("Harlow, Grace. “Marsh Bird Counts.”"), or after Vancouver names ("Harlow G, Ode K Marsh
# bird counts.").
_VANCOUVER_NAME = rf"{_U}[\w'’\-]+(?:[ \t]{_U}[\w'’\-]+)?[ \t]{_U}{{1,3}}"
UNDATED_AUTHORS = re.compile(
    rf"^(?:(?P<quoted>[^“”\"():]{{2,200}}?)\.[ \t]+[“\"]"
    rf"|(?P<edited>[^“”\"():.]{{2,100}}?[ \t]*\((?:[eé]ds?|Hrsg|Hg)\.\))"
    rf"|(?P<vancouver>{_VANCOUVER_NAME}(?:,[ \t]{_VANCOUVER_NAME})*)[ \t]+(?={_U}[{LOWER}]))"
)


def _undated_entry(entry: str, scan: str, span: Span, doi: str | None, url: str | None) -> Reference:
    """An entry with no year: its authors where they can be told from its title, so that a
    citation of them is linked (its year unchecked) rather than called missing."""
    m = UNDATED_AUTHORS.match(scan)
    authors: list[Author] = []
    etal = False
    if m is not None:
        authors, etal = parse_authors(m.group("quoted") or m.group("edited") or m.group("vancouver"))
        if not authors or any(a.group for a in authors):
            authors, etal = [], False
    return Reference(span=span, text=entry, authors=tuple(authors), etal=etal, doi=doi, url=url)


def _colon_entry(scan: str, colons: bool = False) -> tuple[str, str, str, str] | None:
    """(authors, year, suffix, the rest) of an entry whose author list ends with a colon and whose
    year comes later: at its very end (Copernicus), or after the title (DIN 1505-2, "(2011)")."""
    m = _colon_head(scan, colons)
    if m is None:
        return None
    rest = scan[m.end() :]
    end = YEAR_AT_END.search(rest)
    if end is not None:
        return m.group("authors"), end.group("year"), end.group("suffix") or "", rest[: end.start()]
    ym = REF_YEAR_APA.search(rest) or REF_YEAR_BARE.search(rest)
    if ym is None:
        # In a list of colon entries one with no year is still one: DIN 1505-2 and Copernicus
        # print none for a web page or software ("ANDREWS, S.: FastQC.", "Overdose death rates:").
        return (m.group("authors"), "", "", rest) if colons else None
    year, suffix = _year_of(ym)
    return m.group("authors"), year, suffix, rest


def _colon_head(scan: str, colons: bool = False) -> re.Match[str] | None:
    """The author list that opens an entry and ends in a colon, in a list of such entries
    (``colons``) or where it reads as names: "Lee, J. and Park, K.:", "ANDREWS, S.:"."""
    m = AUTHORS_COLON.match(scan)
    if m is None:
        return None
    names = m.group("authors")
    if _NUMBER_IN_HEAD.search(names):
        return None
    if not colons and not re.search(r"[,;]|\b[A-Z]\.", names) and not ORG_HINT.search(names) and not names.isupper():
        return None  # "Title: subtitle" of an entry with no author
    return m


def _colon_title(rest: str) -> tuple[str | None, str]:
    """The title of a colon entry and what follows it: up to ". " (DIN), or, where the entry goes
    on with commas only (Copernicus: "Title, Journal, 14, 88–104"), up to the container before
    the volume."""
    if re.search(r"(?<=[^\s.])\.\s+\S", rest):
        return _title(rest)
    vp = VOLUME_PAGES.search(rest)
    if vp is not None:
        head = rest[: vp.start()]
        cut = head.rfind(",")
        if cut > 0:
            return head[:cut].strip(" .,") or None, rest[cut:].lstrip(" ,")
    return _title(rest)


ORIGINAL_THEN = re.compile(r"[(\[]((?:1[5-9]|20)\d\d)[)\]][ \t]+((?:1[5-9]|20)\d\d)([a-z])?(?=[.,])")


def _right_after_names(scan: str, bare: re.Match[str], bracketed: re.Match[str]) -> bool:
    """Whether a bare year closes the author list, before a bracketed year: "Brown, Thomas. 2003."."""
    before = scan[: bare.start()].rstrip()
    return bare.start() < bracketed.start() and before.endswith(".") and not re.search(r"[“\"]", before)


def _bare_year(scan: str) -> re.Match[str] | None:
    # Harvard "Smith, J. 2018. Title." or Chicago "Smith, John. 2018. Title.": the first year after
    # what reads as an author list. Chicago notes put the year at the end: "... Press, 2018."
    for m in REF_YEAR_BARE.finditer(scan):
        before = scan[: m.start()].rstrip()
        if not before or before.endswith((".", ",", "(")):
            return m
    return REF_YEAR_BARE.search(scan)


def _year_of(m: re.Match[str]) -> tuple[str, str]:
    if m.group("year"):
        return m.group("year"), m.group("suffix") or ""
    if m.group("nd"):
        return "n.d.", m.group("ndsuffix") or ""
    return " ".join(m.group("press").lower().split()), m.group("presssuffix") or ""


def _title(rest: str) -> tuple[str | None, str]:
    quoted = QUOTED_TITLE.match(rest)
    if quoted:  # Chicago and Harvard quote article titles: "Sediment Budgets." Marine Geology ...
        return quoted.group("title").rstrip(" .,") or None, rest[quoted.end() :]
    m = re.search(r"(?<=[^\s.])(?:[.?!])\s+(?=\S)|(?<=[?!])\s+", rest)
    if m is None:
        return (rest.strip(" .") or None), ""
    title = rest[: m.start() + 1].strip()
    title = title.rstrip(".") if not title.endswith(("?", "!")) else title
    return title or None, rest[m.end() :]


def _container(after: str) -> tuple[str | None, str | None, str | None, Pages | None]:
    vp = (
        VOLUME_PAGES.search(after)
        or CHICAGO_VOLUME_PAGES.search(after)
        or LABELLED_VOLUME_PAGES.search(after)
        or BARE_VOLUME_PAGES.search(after)
    )
    if vp and vp.start() > 0:
        container = after[: vp.start()].strip(" .,") or None
        pages = _pages(vp.group("first"), vp.group("last")) if vp.group("first") else None
        return container, vp.group("volume"), vp.group("issue"), pages
    head = re.split(r"(?<=[^\s.][a-z])\.\s|,\s*pp?\.|\.\s*https?://", after, maxsplit=1)[0]
    return (head.strip(" .,") or None), None, None, None


def _pages(first: str, last: str | None) -> Pages:
    if last and first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
        # "1234–56" means 1234–1256
        last = first[: len(first) - len(last)] + last
    return Pages(first=first, last=last)


def _title_italic(entry: str, title: str) -> bool:
    head = title[:20]
    i = entry.find(head)
    return i > 0 and entry[i - 1] in "*_"


def parse_authors(part: str) -> tuple[list[Author], bool]:
    """Parse an author list: APA "Smith, J. A., & Lee, K.", Chicago "Smith, John, and Mary Lee",
    Vancouver-like "Smith JA, Lee K", a group ("World Health Organization") or a mix."""
    # An editor's mark after the names: "(Eds.)", "(éd.)", "(Hrsg.)", Chicago's ", ed." / ", eds."
    part = re.sub(r"\s*\((?:[eé]ds?|hrsg|hg|comps?|coords?|trans)\.?\)\s*$", "", part, flags=re.IGNORECASE)
    part = re.sub(r",\s*(?:eds?|hrsg|hg|comps?|trans)\.?\s*$", "", part.strip(" ."), flags=re.IGNORECASE)
    part = part.strip(" .,")
    etal = False
    if re.search(r"(?:,\s*)?\bet\s*al\.?$", part):
        etal = True
        part = re.sub(r"(?:,\s*)?\bet\s*al\.?$", "", part).strip(" ,")
    part = re.sub(r"\.\s\.\s\.", "...", part)  # APA 6 spaces its ellipsis: ". . ."
    if "…" in part or "..." in part:
        etal = True  # APA 7 lists 19 authors, an ellipsis, then the last one
        part = part.replace("…", ",").replace("...", ",")
    if not part:
        return [], etal
    given_in_capitals = any(re.match(r"[ \t]*[A-Z]{3,}\b(?!\.)", t) for t in re.split(r"[,;]", part)[1:])
    if "," in part and part.upper() == part and given_in_capitals:
        part = part.title()  # a list in capitals (small capitals flattened): its given names read as names
    if ";" in part:
        # DIN 1505-2: "HALDANE, RUTH M. ; OKORO, CHIDI": every author inverted, one to a segment
        people: list[Author] = []
        for seg in (s.strip(" .") for s in part.split(";")):
            if not seg:
                continue
            if re.fullmatch(r"u\.\s?a|et\s+al|et\s+coll", seg, flags=re.IGNORECASE):
                etal = True  # "...; u. a." (DIN's "and others")
            elif "," in seg and not ORG_HINT.search(seg):
                family, given = seg.split(",", 1)
                people.append(_person(family.strip(), given.strip(" .")))
            else:  # a surname alone ("HITZEMANN ; IANCU"), or an organisation
                people.append(Author(seg, "", group=len(seg.split()) > 1 or bool(ORG_HINT.search(seg))))
        if people:
            return people, etal
    group = _one_group(part) or _one_phrase(part)
    if group is not None:
        return [group], etal
    part = re.sub(r"\s*,?\s*(?:&|\b(?:and|und|et)\b)\s+", ", ", part)
    tokens = [t.strip(" .") if not INITIALS_TOKEN.match(t.strip()) else t.strip() for t in part.split(",")]
    tokens = [t for t in tokens if t and t.lower() not in SUFFIXES]
    # Vancouver puts a suffix after the initials: "King M Jr., Lowe A".
    tokens = [VANCOUVER_SUFFIX.sub(r"\1", t) for t in tokens]
    authors: list[Author] = []
    chicago = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if INITIALS_TOKEN.match(t) and authors and not authors[-1].initials and not authors[-1].group:
            authors[-1] = _person(authors[-1].family, t)
            i += 1
            continue
        nm = NATURAL.match(t) if authors and not authors[-1].group else None
        if nm and not re.match(rf"{_U}\.", t) and nxt is not None and INITIALS_TOKEN.match(nxt):
            nm = None  # "De Robertis, E. M.": a surname and its initials, not "Louis Gross"
        if nm and not ORG_HINT.search(t) and not nm.group("family").isupper():  # "Giovannoni SJ" is Vancouver
            # "Desbrosses, G. J., and J. Stougaard": the first inverted, the others in natural order
            authors.append(Author(nm.group("family"), initials_of(nm.group("given"))))
            i += 1
            continue
        if nxt is not None and "." not in nxt and VANCOUVER.match(t) and VANCOUVER.match(nxt) and not ORG_HINT.search(t):
            vm = VANCOUVER.match(t)  # "Jing L, Li JX": two Vancouver names, not a surname and its initials
            assert vm is not None
            authors.append(Author(vm.group("family"), _vancouver_initials(vm)))
            i += 1
            continue
        if nxt is not None and INITIALS_TOKEN.match(nxt) and not ORG_HINT.search(t):
            authors.append(_person(t, nxt))
            i += 2
            continue
        given = nxt is not None and (
            GIVEN_NAME.match(nxt)
            or (GIVEN_INITIAL.match(nxt) and nxt + "." in part)
            or (GIVEN_BARE.match(nxt) and not VANCOUVER.match(t))  # "Rabosky, Daniel L", not "Smith J, Jones K"
        )
        capitals = t.upper() == t and len(t) > 1 and bool(authors)
        if given and not ORG_HINT.search(t) and capitals:
            # ISO 690: "HALDANE, Ruth M. et OKORO, Chidi": every author inverted, surnames in capitals
            authors.append(_person(t, nxt or ""))
            i += 2
            continue
        if i == 0 and given and not ORG_HINT.search(t):
            # Chicago: the first author inverted with a full given name ("Smith, John A."), the others
            # in natural order.
            authors.append(_person(t, nxt))
            chicago = True
            i += 2
            continue
        vm = VANCOUVER.match(t)
        if vm and not ORG_HINT.search(t) and len(t.split()) <= 4:
            authors.append(Author(vm.group("family"), _vancouver_initials(vm)))
            i += 1
            continue
        words = t.split()
        if chicago and 1 < len(words) <= 4 and not ORG_HINT.search(t) and ":" not in t:
            j = len(words) - 1
            while j > 0 and words[j - 1].lower() in PARTICLES:
                j -= 1
            authors.append(Author(" ".join(words[j:]), initials_of(" ".join(words[:j]))))
        else:
            authors.append(Author(t, "", group=len(words) > 1 or t.isupper()))
        i += 1
    return authors, etal


LEFT_INITIALS = re.compile(rf"{_U}\.?(?:{_U}\.?)?")  # "R", "R.", "RP": initials left after a surname


def _vancouver_initials(vm: re.Match[str]) -> str:
    """ "J-C" -> "JC"; PubMed's "da W" (Da Wei) -> "DW"."""
    initials = vm.group("initials")
    return initials[0].upper() + "".join(c for c in initials[1:] if c.isupper())


def _person(family: str, given: str) -> Author:
    """An inverted name, "Surname, I.". Some converters leave an initial in the surname field
    ("Talbot R, P."): capital initials after a surname that has lowercase letters are initials, so
    that the surname is "Talbot". A surname in capitals ("DE LA CRUZ") keeps all its words."""
    words = family.split()
    if (
        len(words) > 1
        and LEFT_INITIALS.fullmatch(words[-1])
        and words[-1].lower() not in SUFFIXES  # "Smith II"
        and any(c.islower() for c in "".join(words[:-1]))
    ):
        return Author(" ".join(words[:-1]), initials_of(words[-1]) + initials_of(given))
    # Chicago inverts a name with its particle last, "Melo, J. de", "Zanden, J. L. van", and cites
    # it "de Melo", "van Zanden": the particle belongs to the surname.
    tail = TRAILING_PARTICLES.search(given)
    if tail is not None and tail.start() > 0:
        joiner = "" if tail.group(1)[-1] in "'’" else " "  # "Alembert, Claire d’" -> "d’Alembert"
        return Author(f"{tail.group(1)}{joiner}{family}", initials_of(given[: tail.start()]))
    return Author(family, initials_of(given))


def _one_group(part: str) -> Author | None:
    """An organisation written in comma-separated parts, "Republic of Norland, Ministry of Health,
    Survey Unit": one group author, not three. It names an organisation ("Ministry", "Survey" ...),
    joins no parts with "&" or "and", and no part reads as a person's name or initials."""
    if "," not in part or "&" in part or re.search(r"\band\b", part):
        return None
    tokens = [t.strip(" .") for t in part.split(",")]
    if not all(tokens) or not any(ORG_HINT.search(t) for t in tokens):
        return None
    for n, t in enumerate(tokens):
        if ORG_HINT.search(t):
            continue
        if INITIALS_TOKEN.match(t + ".") and (len(t) == 1 or not t.isupper()):
            return None  # "J", "Th"; "NZ", "WHO" can be parts of an organisation's name
        if "." in t or (VANCOUVER.match(t) and not t.isupper()):
            return None  # "Smith JA"
        if n == 1 and GIVEN_NAME.match(t) and not ORG_HINT.search(tokens[0]):
            return None  # Chicago: "Smith, John"
    return Author(", ".join(tokens), "", group=True)


def _one_phrase(part: str) -> Author | None:
    """A group or a title in the author's place with "and" inside and no comma: "Bill and Melinda
    Gates Foundation", "Disparities in the risk and outcomes from COVID-19". Names of people
    joined by "and" are capitalised words; these hold an organisation's word or lowercase words."""
    if "," in part or "&" in part or not re.search(r"\band\b", part):
        return None
    words = [w for w in part.split() if w != "and"]
    lowercase = [w for w in words if w[:1].islower() and w not in PARTICLES and len(w) > 2]
    if not ORG_HINT.search(part) and not lowercase:
        return None
    return Author(part, "", group=True)


def same_work(a: Reference, b: Reference) -> bool:
    """Two entries for one work: the same DOI, or (without DOIs) nearly the same title and no
    volume, issue or first page that tells them apart."""
    if a.doi and b.doi:
        return a.doi.lower() == b.doi.lower()
    # A column or report that recurs in each issue: "Report on the January 1981 TUG Steering
    # Committee meeting", TUGboat 2(1), 5-6, and "... May 1981 ...", 2(2), 4-5, are two works.
    if any(_differ(x, y) for x, y in ((a.volume, b.volume), (a.issue, b.issue), (_first_page(a), _first_page(b)))):
        return False
    if not (a.title and b.title):
        return " ".join(a.text.lower().split()) == " ".join(b.text.lower().split())
    return fuzz.token_sort_ratio(a.title.lower(), b.title.lower()) >= 90


def _differ(x: str | None, y: str | None) -> bool:
    if not x or not y:
        return False
    return x.strip().lower() != y.strip().lower()


def _first_page(ref: Reference) -> str | None:
    return ref.pages.first if ref.pages else None


MAX_FUZZY_GROUP = 50  # beyond this many candidates, duplicates are found by exact title or DOI


def _work_key(ref: Reference) -> str:
    if ref.doi:
        return ref.doi.lower()
    where = (ref.volume or "", ref.issue or "", _first_page(ref) or "")  # what same_work tells works apart by
    return " ".join((ref.title or ref.text).lower().split()) + "|" + "|".join(w.strip().lower() for w in where)


def earlier_twins(references: Sequence[Reference], members: Sequence[int]) -> dict[int, int]:
    """For entries listed again, the first earlier entry of the same work: {again: first}.

    Fuzzy title comparison is pairwise, so a large group (one author's 2,000 works of one year)
    is compared by exact DOI or title instead, keeping the work linear.
    """
    twins: dict[int, int] = {}
    if len(members) > MAX_FUZZY_GROUP:
        first: dict[str, int] = {}
        for i in members:
            key = _work_key(references[i])
            if key in first:
                twins[i] = first[key]
            else:
                first[key] = i
        return twins
    for n, i in enumerate(members):
        for j in members[:n]:
            if j not in twins and same_work(references[j], references[i]):
                twins[i] = j
                break
    return twins


def read_references(clean: str, span: Span | None) -> list[Reference]:
    if span is None:
        return []
    return parse_entries(clean, segment(clean, span))
