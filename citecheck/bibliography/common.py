"""What the three bibliography formats share: years, page ranges, DOIs, language codes, the kinds
of work, and the one-line summary a parsed entry is shown by."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from citecheck.cache import regex
from citecheck.model import Author, Pages, Reference

# One tagged RIS line: two characters, two spaces, a hyphen and the value. Exporters differ in the
# spacing ("ER  -" has no value, some write "TY - "), so one or two spaces are accepted.
RIS_LINE = regex(
    r"""
    ^(?P<tag>[A-Z][A-Z0-9])         # the tag: "TY", "AU", "T2", "ER"
    [ ]{1,2}-                       # "  -"
    (?:[ ](?P<value>[^\r\n]*))?     # the value, absent on "ER  -"
    [ \t]*\r?$
    """,
    re.VERBOSE | re.MULTILINE,
)


# The year of an entry, in a BibTeX year or date field, a CSL raw date or an RIS PY/Y1/DA line.
YEAR = regex(
    r"""
    (?<!\d)(?P<year>(?:1[0-9]|20)\d\d)(?P<suffix>[a-z])?(?![\da-z])   # 2018, 2018a, 2018-05-01, 2018///
    | (?P<nd>n\.\s?d\.?|no\s+date)                                    # n.d.
    | (?P<press>in\s+press|forthcoming|in\s+preparation|submitted)    # in press
    """,
    re.VERBOSE | re.IGNORECASE,
)


# A page field: "45--67" (BibTeX), "45-67", "45–67", "pp. 45–67", "e1234", "xii--xv".
PAGE_RANGE = regex(
    r"""
    ^\s*(?:pp?\.\s*)?               # an optional "p." or "pp."
    (?P<first>[^\s,;\-‐‑‒–—]+)      # the first page: "45", "e1234", "S12", "xii"
    (?:\s*
        (?:-{1,3}                   # "-", BibTeX's en dash "--", or "---"
          | [‐‑‒–—]                 # a Unicode hyphen or dash
        )
        \s*(?P<last>[^\s,;\-‐‑‒–—]+)  # the last page
    )?
    \s*$
    """,
    re.VERBOSE,
)


# What stands before a DOI in a DOI or URL field; the DOI itself starts with "10.".
DOI_PREFIX = regex(
    r"""
    ^\s*(?:
        https?://(?:dx\.|www\.)?doi\.org/   # https://doi.org/10..., http://dx.doi.org/10...
      | doi:\s*                             # doi:10...
      | doi\s+                              # "DOI 10..."
    )
    """,
    re.VERBOSE | re.IGNORECASE,
)


# A language tag: BCP 47 ("en-US", "zh-Hans"), POSIX ("de_DE") or a plain code or name ("de", "ger",
# "german"); only the first of several ("english and german", "en; de") counts.
LANGUAGE_TAG = regex(
    r"""
    ^\s*+\{?\s*+(?P<primary>[A-Za-z]+) # the first word: a code or a language name
    (?:[-_][A-Za-z0-9]+)*              # region or script subtags: "-US", "_DE", "-Hans"
    """,
    re.VERBOSE,
)


# Language names as BibLaTeX's langid (babel/polyglossia names), RIS LA and exporters write them,
# and ISO 639-2 codes, to ISO 639-1. A two-letter code is taken as it is.
LANGUAGES: Mapping[str, str] = {
    **dict.fromkeys(
        "english american british ukenglish usenglish australian canadian newzealand canadianenglish eng".split(), "en"
    ),
    **dict.fromkeys("german ngerman austrian naustrian swissgerman nswissgerman deutsch deu ger".split(), "de"),
    **dict.fromkeys("french francais français acadian canadien fra fre".split(), "fr"),
    **dict.fromkeys("spanish español espanol castilian spa".split(), "es"),
    **dict.fromkeys("italian italiano ita".split(), "it"),
    **dict.fromkeys("portuguese portuges brazil brazilian português portugues por".split(), "pt"),
    **dict.fromkeys("dutch nederlands flemish nld dut".split(), "nl"),
    **dict.fromkeys("swedish svenska swe".split(), "sv"),
    **dict.fromkeys("norwegian norsk nor".split(), "no"),
    **dict.fromkeys("bokmal bokmål nob".split(), "nb"),
    **dict.fromkeys("nynorsk nno".split(), "nn"),
    **dict.fromkeys("danish dansk dan".split(), "da"),
    **dict.fromkeys("finnish suomi fin".split(), "fi"),
    **dict.fromkeys("icelandic isl ice".split(), "is"),
    **dict.fromkeys("polish polski pol".split(), "pl"),
    **dict.fromkeys("czech ces cze".split(), "cs"),
    **dict.fromkeys("slovak slk slo".split(), "sk"),
    **dict.fromkeys("slovene slovenian slv".split(), "sl"),
    **dict.fromkeys("croatian hrv".split(), "hr"),
    **dict.fromkeys("serbian srp".split(), "sr"),
    **dict.fromkeys("bulgarian bul".split(), "bg"),
    **dict.fromkeys("russian rus".split(), "ru"),
    **dict.fromkeys("ukrainian ukr".split(), "uk"),
    **dict.fromkeys("greek polutonikogreek ell gre".split(), "el"),
    **dict.fromkeys("turkish tur".split(), "tr"),
    **dict.fromkeys("hungarian magyar hun".split(), "hu"),
    **dict.fromkeys("romanian ron rum".split(), "ro"),
    **dict.fromkeys("latin lat".split(), "la"),
    **dict.fromkeys("catalan cat".split(), "ca"),
    **dict.fromkeys("basque eus baq".split(), "eu"),
    **dict.fromkeys("galician glg".split(), "gl"),
    **dict.fromkeys("irish gle".split(), "ga"),
    **dict.fromkeys("welsh cym wel".split(), "cy"),
    **dict.fromkeys("estonian est".split(), "et"),
    **dict.fromkeys("latvian lav".split(), "lv"),
    **dict.fromkeys("lithuanian lit".split(), "lt"),
    **dict.fromkeys("hebrew heb".split(), "he"),
    **dict.fromkeys("arabic ara".split(), "ar"),
    **dict.fromkeys("persian farsi fas per".split(), "fa"),
    **dict.fromkeys("hindi hin".split(), "hi"),
    **dict.fromkeys("chinese mandarin zho chi".split(), "zh"),
    **dict.fromkeys("japanese jpn".split(), "ja"),
    **dict.fromkeys("korean kor".split(), "ko"),
    **dict.fromkeys("vietnamese vie".split(), "vi"),
    **dict.fromkeys("thai tha".split(), "th"),
    **dict.fromkeys("indonesian bahasa ind".split(), "id"),
    **dict.fromkeys("afrikaans afr".split(), "af"),
}


# For works that stand alone, the container in the summary is whoever published them.
PUBLISHED_BY_KINDS = ("book", "report", "thesis")


def strip_braces(value: str) -> str:
    return squeeze(value.replace("{", "").replace("}", ""))


def squeeze(s: str) -> str:
    return " ".join(s.split())


def is_etal(name: str) -> bool:
    return name.strip().lower().rstrip(".") in ("others", "et al", "et al.", "etal")


@lru_cache(maxsize=4096)
def parse_year(value: str) -> tuple[str | None, str]:
    """(year, suffix) from a year or date field: "2018" and "2018-05-01" give 2018, "2018a" gives
    2018 with suffix "a", "n.d." and "in press" are kept as words.

    Cached: a bibliography's entries share a few dozen years."""
    m = YEAR.search(value.replace("{", "").replace("}", ""))
    if m is None:
        return None, ""
    if m.group("year"):
        return m.group("year"), (m.group("suffix") or "").lower()
    if m.group("nd"):
        return "n.d.", ""
    return " ".join(m.group("press").lower().split()), ""


def parse_pages(value: str) -> Pages | None:
    value = squeeze(value)
    if not value:
        return None
    m = PAGE_RANGE.match(value)
    if m is None:
        return Pages(value)  # "45, 50–52" or "45ff": kept as written, never guessed at
    return Pages(m.group("first"), m.group("last"))


def parse_doi(value: str) -> str | None:
    if not value:
        return None  # most entries have no DOI field
    value = strip_braces(value)
    value = DOI_PREFIX.sub("", value).strip().rstrip(".")
    return value or None


def doi_from_url(url: str) -> str | None:
    # A URL that is a DOI link names the DOI even when the entry has no DOI field.
    return parse_doi(url) if url and DOI_PREFIX.match(url) and url.lower().startswith("http") else None


def language_code(value: str) -> str | None:
    if not value:
        return None  # the pattern needs a letter; most entries name no language
    m = LANGUAGE_TAG.match(value)
    if m is None:
        return None
    primary = m.group("primary").lower()
    if len(primary) == 2:
        return primary
    return LANGUAGES.get(primary)


def summary(ref: Reference) -> str:
    """A one-line APA-like rendering of a parsed entry, for reports and messages:
    "Smith, J., & Lee, K. (2018). Title. Container, 12(3), 45–67. https://doi.org/10...."."""
    parts: list[str] = []
    names = [_author_label(a) for a in ref.authors]
    if ref.etal:
        names.append("et al.")
    if names:
        people = names[0] if len(names) == 1 else ", ".join(names[:-1]) + (", " if ref.etal else ", & ") + names[-1]
        parts.append(_period(people))
    title = _period(ref.title) if ref.title else ""
    if not names and title:
        parts.append(title)  # APA: a work without an author is listed by its title, then the date
    parts.append(f"({ref.year}{ref.suffix})." if ref.year else "(n.d.).")
    if names and title:
        parts.append(title)
    page_range = f"{ref.pages.first}–{ref.pages.last}" if ref.pages and ref.pages.last else (ref.pages.first if ref.pages else "")
    if ref.kind == "chapter" and ref.container:
        parts.append(_period(f"In {ref.container}" + (f" (pp. {page_range})" if page_range else "")))
    elif ref.container or ref.volume:
        tail = ref.container or ""
        if ref.volume:
            tail += (", " if tail else "") + ref.volume + (f"({ref.issue})" if ref.issue else "")
        if page_range:
            tail += ", " + page_range
        parts.append(_period(tail))
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    elif ref.url:
        parts.append(ref.url)
    return squeeze(" ".join(parts))


def summarised(**fields: Any) -> Reference:
    """A parsed entry whose text is its summary. The summary is read from the entry, so the entry
    is made without a text and given it before anyone else sees it, the way a frozen record's own
    ``__init__`` sets its fields: making the entry a second time would cost as much again."""
    ref = Reference(text="", **fields)
    object.__setattr__(ref, "text", summary(ref))
    return ref


def _period(s: str) -> str:
    """``s`` ended by a period, unless it ends in punctuation already ("Why now?", "Smith, J.")."""
    return s if s.endswith((".", "?", "!")) else s + "."


def _author_label(a: Author) -> str:
    if a.group or not a.initials:
        return a.family
    return f"{a.family}, {' '.join(i + '.' for i in a.initials)}"
