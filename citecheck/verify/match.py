"""Deciding whether a registry record is the work a reference means, and where they differ.

Input: a ``Reference`` and candidate ``Record``s. Output: a match score (0-100) and the fields on
which the two disagree. The thresholds are documented in docs/verify.md and reported with every
verdict, so an editor can see why a record was taken or refused.

A record's title is compared together with its other titles (``Record.other_titles``: with its
subtitle, original, translated and short titles), the best of them counting. A preprint and its
published version are one work in two versions: their years, containers, volumes, issues and
pages may differ (``versions``).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from citecheck.cache import regex
from citecheck.model import Mismatch, Record, Reference
from citecheck.names import fold, name_key

# A record is taken for the reference when its score reaches ACCEPT, and the title alone is at
# least TITLE_MIN similar: the same author and year with another title is another work.
ACCEPT = 75.0
TITLE_MIN = 70.0
# A DOI whose record scores below this is a DOI for another work.
DOI_SAME_WORK = 50.0
# Below this title similarity a matched record's title counts as a mismatch.
TITLE_SAME = 90.0
CONTAINER_SAME = 60.0
# Two titles each with a number the other lacks ("Part one" and "Part two", "Study 1" and "Study 2",
# "Volume II" and "Volume III", 2013 and 2014) name different works: at most this similar.
NUMBERS_APART = 60.0

# Preprint servers, as a reference list names them in the container. Each is matched as whole
# words and case-insensitively: "bioRxiv", "arXiv preprint arXiv:2101.00001", "SSRN Electronic
# Journal", "Research Square".
PREPRINT_SERVERS = (
    "arXiv",
    "bioRxiv",
    "medRxiv",
    "ChemRxiv",
    "TechRxiv",
    "EarthArXiv",
    "PsyArXiv",
    "SocArXiv",
    "EdArXiv",
    "SSRN",
    "Research Square",
    "OSF Preprints",
    "Preprints.org",
    "SciELO Preprints",
    "Authorea",
)
_SERVER = regex(
    r"(?<![^\W_])(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in PREPRINT_SERVERS) + r")(?![^\W_])",
    re.IGNORECASE,
)

_WORD = regex(r"[^\W_]+")
_BOOK_TYPES = frozenset({"book", "monograph", "edited-book", "reference-book", "book-set", "book-series"})
_REVIEW = regex(r"^\s*(?:book\s+)?review(?:ed)?\s*(?:of)?\s*[:.-]?\s", re.IGNORECASE)


_TAG = regex(r"<[^<>]{0,200}>")  # HTML in a registered or listed title: <i>, <sub>, </scp>
# An English translation a reference list adds in brackets after a title in another language.
_TRANSLATION = regex(r"\s*\[[^\[\]]{3,300}\]\s*\.?$")


def normal_title(title: str | None) -> str:
    return " ".join(_WORD.findall(fold(_TAG.sub(" ", title or ""))))


_NUMBER_WORDS = {
    w: n
    for n, words in enumerate(
        [
            ("zero",),
            ("one", "first"),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven",),
            ("twelve",),
        ]
    )
    for w in words
}
_ORDINAL = regex(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN = regex(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_UNITS = {"": 0, "i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}


def _numbers(normal: str) -> set[str]:
    """The numbers a title's words name, in digits: digits, ordinals ("2nd"), number words ("two",
    "second"), Roman numerals to 39 ("II")."""
    out = set()
    for word in normal.split():
        if word.isascii() and word.isdigit():
            out.add(word.lstrip("0") or "0")  # as text: a title may hold more digits than int() reads
        elif (m := _ORDINAL.match(word)) is not None:
            out.add(m[1].lstrip("0") or "0")
        elif word in _NUMBER_WORDS:
            out.add(str(_NUMBER_WORDS[word]))
        elif word and (m := _ROMAN.match(word)) is not None:
            out.add(str(10 * len(m[1]) + _ROMAN_UNITS[m[2]]))
    return out


def _numbered_apart(x: str, y: str) -> bool:
    """Each title has a number the other lacks: "Part one" and "Part two" (a number on one side
    only, "Title" and "Title: Part 2", says nothing)."""
    a, b = _numbers(x), _numbers(y)
    return bool(a - b) and bool(b - a)


def _whole_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two titles as wholes: no subtitle forgiven, a bracketed translation left out."""
    x, y = normal_title(a), normal_title(b)
    if not x or not y:
        return 0.0
    score = fuzz.ratio(x, y)
    if _TRANSLATION.search(a or "") or _TRANSLATION.search(b or ""):
        # "Lesen im Mittelalter [Reading in the Middle Ages]" is the work registered as "Lesen im Mittelalter"
        bare_a, bare_b = normal_title(_TRANSLATION.sub("", a or "")), normal_title(_TRANSLATION.sub("", b or ""))
        if bare_a and bare_b:
            score = max(score, fuzz.ratio(bare_a, bare_b))
    return float(min(score, NUMBERS_APART) if _numbered_apart(x, y) else score)


def title_similarity(a: str | None, b: str | None) -> float:
    """Similarity of two titles, forgiving a subtitle on one side only: "Title" for "Title: A
    subtitle" (or the reverse) is the same work, "Title: One subtitle" and "Title: Another" need
    not be."""
    score = _whole_similarity(a, b)
    x, y = normal_title(a), normal_title(b)
    main_a, main_b = normal_title((a or "").split(":")[0]), normal_title((b or "").split(":")[0])
    if ":" in (a or "") + (b or "") and main_a and main_b and not _numbered_apart(x, y):
        shorter, longer = sorted((x, y), key=len)
        if longer.startswith(shorter) and len(shorter) >= 20:
            score = max(score, 95.0)
        if (":" in (a or "")) != (":" in (b or "")):
            score = max(score, fuzz.ratio(main_a, main_b) - 5.0)
    return float(score)


def _extends(longer: str, title: str) -> bool:
    """``longer`` is ``title`` and more: the title with its subtitle."""
    return normal_title(longer).startswith(normal_title(title) + " ")


def record_title_similarity(title: str | None, record: Record) -> float:
    """The similarity of an entry's title to the best of a record's titles. The record's own title
    is compared as ``title_similarity`` does (a subtitle on one side forgiven), unless the record
    gives its subtitle ("Title: Subtitle" among its other titles): then the entry must match the
    title alone, or, when it goes on after the title (a subtitle of its own), the title with that
    subtitle. The other titles (original, translated, short) are compared as wholes, since a
    short title is the start of many titles."""
    own = record.title
    best = 0.0
    if own and not any(_extends(other, own) for other in record.other_titles):
        best = title_similarity(title, own)
    elif own and not _extends(title or "", own):
        best = _whole_similarity(title, own)
    for other in record.other_titles:
        best = max(best, _whole_similarity(title, other))
    return best


def _full_title(record: Record) -> str | None:
    """The record's title with its subtitle, when it gives one; else its title."""
    own = record.title
    if not own:
        return record.other_titles[0] if record.other_titles else None
    return next((other for other in record.other_titles if _extends(other, own)), own)


def names_preprint_server(container: str | None) -> bool:
    """Whether a container names a preprint server (``PREPRINT_SERVERS``)."""
    return bool(container) and _SERVER.search(container or "") is not None


def versions(ref: Reference, record: Record) -> bool:
    """Whether the entry and the record may be a preprint and its published version, one work:
    the record is a preprint with a published version; or it is a published work with preprints
    and the entry's container names a preprint server; or the record is a preprint
    (posted-content) and the entry names a container that is not a preprint server (a journal)."""
    server = names_preprint_server(ref.container)
    if record.preprint_of or (record.preprints and server):
        return True
    return record.type == "posted-content" and bool(ref.container) and not server


def _author_similarity(ref: Reference, record: Record) -> float:
    if not ref.authors or not record.authors:
        return 50.0  # unknown: neither for nor against
    cited = name_key(ref.authors[0].family)
    best = max(fuzz.ratio(cited, name_key(tail)) for a in record.authors[:3] for tail in _family_tails(a))
    return float(best)


def _family_tails(name: str) -> list[str]:
    """The ends of a registry's name that may be the family name a list gives: OpenAlex gives
    display names ("Gabriel García Márquez"), whose family may be one word or more
    ("Márquez", "García Márquez"); a family name alone is its own only end."""
    words = name.split()
    return [" ".join(words[i:]) for i in range(len(words))] or [name]


def _last_page(first: str, last: str | None) -> str | None:
    """The last page written out: "123–45" ends on 145, "1203–9" on 1209 (as either side may
    abbreviate it); a last page as long as the first, or not a number, as it is."""
    if last and first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def _year_similarity(ref: Reference, record: Record) -> float:
    if not ref.year or not ref.year[:4].isdigit() or not record.years:
        return 50.0
    listed = int(ref.year[:4])
    if listed in record.years:
        return 100.0
    gap = min(abs(listed - y) for y in record.years)
    return 80.0 if gap == 1 else max(0.0, 60.0 - 20.0 * gap)


def _type_fits(ref: Reference, record: Record) -> bool:
    """A book is not matched to a review of the book, which carries the book's title."""
    review_of_book = _REVIEW.match(record.title or "") or record.type == "journal-article"
    if ref.kind == "book" and record.type and record.type not in _BOOK_TYPES and review_of_book:
        return False
    return not (_REVIEW.match(record.title or "") and not _REVIEW.match(ref.title or ""))


def _detail_similarity(ref: Reference, record: Record) -> float | None:
    """Container, volume and first page, where both sides give them; None when neither does."""
    scores = []
    if ref.container and record.container:
        scores.append(float(fuzz.token_set_ratio(normal_title(ref.container), normal_title(record.container))))
    if ref.volume and record.volume:
        scores.append(100.0 if ref.volume.strip() == record.volume.strip() else 0.0)
    if ref.pages and record.first_page:
        scores.append(100.0 if ref.pages.first == record.first_page else 0.0)
    return sum(scores) / len(scores) if scores else None


def score(ref: Reference, record: Record) -> float:
    """How well a record fits a reference: 60% title, 25% first author, 15% year; then, where both
    give a container, volume or first page, those count for 15% of the whole."""
    if not _type_fits(ref, record):
        return 0.0
    title = record_title_similarity(ref.title, record)
    base = 0.6 * title + 0.25 * _author_similarity(ref, record) + 0.15 * _year_similarity(ref, record)
    details = _detail_similarity(ref, record)
    return round(base if details is None else 0.85 * base + 0.15 * details, 1)


def accepts(ref: Reference, record: Record) -> bool:
    return score(ref, record) >= ACCEPT and record_title_similarity(ref.title, record) >= TITLE_MIN


def mismatches(ref: Reference, record: Record) -> tuple[Mismatch, ...]:
    """The fields on which a matched record disagrees with the reference list. Of a preprint and
    its published version (``versions``), only the title and the authors: the year, container,
    volume, issue and pages of one version are not those of the other."""
    out: list[Mismatch] = []
    two_versions = versions(ref, record)
    if ref.year and ref.year[:4].isdigit() and record.years and not two_versions:
        listed = int(ref.year[:4])
        gap = min(abs(listed - y) for y in record.years)
        # Print and online years may differ by one. A record with one year may lack the other,
        # so a year one off is forgiven; a record that gives both must match one of them.
        if gap > 1 or (gap == 1 and len(record.years) > 1):
            out.append(Mismatch("year", ref.year, str(record.years[0])))
    if ref.title and (record.title or record.other_titles) and record_title_similarity(ref.title, record) < TITLE_SAME:
        out.append(Mismatch("title", ref.title, _full_title(record) or ""))
    if ref.authors and record.authors and _author_similarity(ref, record) < 90:
        out.append(Mismatch("authors", ref.authors[0].family, record.authors[0]))
    if two_versions:
        return tuple(out)
    if (
        ref.kind == "article"
        and ref.container
        and record.container
        and fuzz.token_set_ratio(normal_title(ref.container), normal_title(record.container)) < CONTAINER_SAME
    ):
        out.append(Mismatch("container", ref.container, record.container))
    for name, ours, theirs in (("volume", ref.volume, record.volume), ("issue", ref.issue, record.issue)):
        if ours and theirs and ours.strip().lower() != theirs.strip().lower():
            out.append(Mismatch(name, ours, theirs))
    if ref.pages and record.first_page:
        listed_pages = ref.pages.first + (f"–{ref.pages.last}" if ref.pages.last else "")
        registry_pages = record.first_page + (f"–{record.last_page}" if record.last_page else "")
        ours, theirs = _last_page(ref.pages.first, ref.pages.last), _last_page(record.first_page, record.last_page)
        differs = ref.pages.first.lower() != record.first_page.lower() or (
            ours is not None and theirs is not None and ours.lower() != theirs.lower()
        )
        if differs:
            out.append(Mismatch("pages", listed_pages, registry_pages))
    return tuple(out)


# What OpenAlex's search would read as its own syntax, or words no registered title holds: LaTeX
# and HTML markup, a bracketed translation after a non-English title, quotes (a phrase), and
# Boolean operators (AND, OR, NOT in capitals); what is left is lower-cased words.
_TITLE_MARKUP = regex(
    r"<[^<>]{0,200}>"  # HTML: <i>, </sub>
    r"|\\[A-Za-z]+\*?"  # LaTeX commands: \alpha, \textit
    r"|\[[^\[\]]{0,300}\]"  # a bracketed translation: [Reading in the Middle Ages]
    r"|[^\w\s']"  # the rest of punctuation: $ { } " ( ) - : ...
)
_YEAR = regex(r"(1[5-9]|20)\d\d")


def title_query(ref: Reference) -> tuple[str, str | None]:
    """What is sent to OpenAlex's search, which finds works holding every word sent in their
    title, abstract or full text: the entry's title alone, its markup out; and the filter of its
    year give or take one (a work online a year before print), when the entry has a year."""
    words = " ".join(_TITLE_MARKUP.sub(" ", ref.title or "").split()).lower()
    year = _YEAR.search(ref.year or "")
    span = f"publication_year:{int(year[0]) - 1}-{int(year[0]) + 1}" if year else None
    return words, span


def query_text(ref: Reference) -> str:
    """What is sent to Crossref's bibliographic search, which ranks works by every word it finds
    in any field: title, first author, year and container, nothing else."""
    parts = [ref.title or "", ref.authors[0].family if ref.authors else "", ref.year or "", ref.container or ""]
    return " ".join(p for p in parts if p)
