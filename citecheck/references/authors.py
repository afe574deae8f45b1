"""Parsing the author list of an entry into ``Author`` records.

Input: the author part of an entry, as the entry parser cut it: APA "Smith, J. A., & Lee, K.",
Chicago "Smith, John, and Mary Lee", Vancouver "Smith JA, Lee K", DIN "HALDANE, RUTH M. ; OKORO,
CHIDI", a group author. Output: the authors in order (family name and initials, or a group
name) and whether the list is cut short ("et al.", an ellipsis).
"""

from __future__ import annotations

import re
from functools import lru_cache

from citecheck.cache import regex
from citecheck.model import Author
from citecheck.names import PARTICLES, initials_of
from citecheck.references.patterns import (
    _U,
    GIVEN_BARE,
    GIVEN_INITIAL,
    GIVEN_NAME,
    INITIALS_TOKEN,
    NATURAL,
    ORG_HINT,
    SUFFIXES,
    TRAILING_PARTICLES,
    VANCOUVER,
    VANCOUVER_SUFFIX,
)

# An editor's mark after the names: "(Eds.)", "(éd.)", "(Hrsg.)", Chicago's ", ed." / ", eds."
_EDITORS_BRACKET = regex(r"\s*\((?:[eé]ds?|hrsg|hg|comps?|coords?|trans)\.?\)\s*$", re.IGNORECASE)
_EDITORS_AFTER = regex(r",\s*(?:eds?|hrsg|hg|comps?|trans)\.?\s*$", re.IGNORECASE)
_ETAL_END = regex(r"(?:,\s*)?\b(?:et\s*al\.?|and\s+others)$")  # MHRA writes "and others"
_SPACED_ELLIPSIS = regex(r"\.\s\.\s\.")
_CAPITALS_WORD = regex(r"[ \t]*(?:[A-Z]{3,}\b(?!\.)|[A-Z]{2}[ \t]+[A-Z]\.)")  # "OKORO", or "LI J.X."
_COMMA_OR_SEMICOLON = regex(r"[,;]")
_OPENING_INITIAL = regex(rf"{_U}\.")  # "J. Stougaard"
_AND = regex(r"\s*(?:,\s*)?(?:&|\b(?:and|und|et)\b)\s+")  # not "\s*,?\s*": cubic on a run of blanks


def parse_authors(part: str) -> tuple[list[Author], bool]:
    """Parse an author list: APA "Smith, J. A., & Lee, K.", Chicago "Smith, John, and Mary Lee",
    Vancouver-like "Smith JA, Lee K", a group ("World Health Organization") or a mix."""
    if ")" in part:
        part = _EDITORS_BRACKET.sub("", part)
    part = _EDITORS_AFTER.sub("", part.strip(" ."))
    part = part.strip(" .,")
    etal = False
    if ("et" in part or "others" in part) and _ETAL_END.search(part):
        etal = True
        part = _ETAL_END.sub("", part).strip(" ,")
    part = _SPACED_ELLIPSIS.sub("...", part)  # APA 6 spaces its ellipsis: ". . ."
    if "…" in part or "..." in part:
        etal = True  # APA 7 lists 19 authors, an ellipsis, then the last one
        part = part.replace("…", ",").replace("...", ",")
    if not part:
        return [], etal
    if "," in part and part.upper() == part and _given_in_capitals(part):
        part = part.title()  # a list in capitals (small capitals flattened): its given names read as names
    if ";" in part:
        # DIN 1505-2: "HALDANE, RUTH M. ; OKORO, CHIDI": every author inverted, one to a segment
        people: list[Author] = []
        for seg in (s.strip(" .") for s in _segments(part)):
            if not seg:
                continue
            if re.fullmatch(r"u\.\s?a|et\s+al|et\s+coll", seg, flags=re.IGNORECASE):
                etal = True  # "...; u. a." (DIN's "and others")
            elif "," in seg and not _org(seg):
                family, given = seg.split(",", 1)
                people.append(_person(family.strip(), given.strip(" .")))
            else:  # a surname alone ("HITZEMANN ; IANCU"), or an organisation
                people.append(Author(seg, "", group=len(seg.split()) > 1 or _org(seg)))
        if people:
            return people, etal
    group = _one_group(part) or _one_phrase(part)
    if group is not None:
        return [group], etal
    if "&" in part or "nd" in part or "et" in part:  # what _AND needs: "&", "and", "und" or "et"
        part = _AND.sub(", ", part)
    tokens: list[str] = []
    caps = part.isupper()
    for t in part.split(","):
        t = t.strip(" .") if not _initials(t.strip()) else t.strip()
        if t and (t.lower() not in SUFFIXES or (t in ("JR", "SR") and not caps)):  # "Hogg, JR & Goff, SP"
            # Vancouver puts a suffix after the initials: "King M Jr., Lowe A".
            tokens.append(VANCOUVER_SUFFIX.sub(r"\1", t) if _has_suffix_word(t) else t)
    authors: list[Author] = []
    chicago = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if _initials(t) and authors and not authors[-1].initials and not authors[-1].group:
            authors[-1] = _person(authors[-1].family, t)
            i += 1
            continue
        nm = _natural(t) if authors and not authors[-1].group else None
        if nm and not _OPENING_INITIAL.match(t) and nxt is not None and _initials(nxt):
            nm = None  # "De Robertis, E. M.": a surname and its initials, not "Louis Gross"
        if nm and not _org(t) and (not nm.group("family").isupper() or _OPENING_INITIAL.match(t)):
            # "Giovannoni SJ" is Vancouver; "Y.W. KAN", its initials first, is not (a surname in capitals)
            # "Desbrosses, G. J., and J. Stougaard": the first inverted, the others in natural order
            authors.append(Author(nm.group("family"), initials_of(nm.group("given"))))
            i += 1
            continue
        if nxt is not None and ("." not in nxt or "." in t) and _vancouver(t) and _vancouver(nxt) and not _org(t):
            vm = _vancouver(t)  # "Jing L, Li JX": two Vancouver names, not a surname and its initials
            assert vm is not None
            authors.append(Author(vm.group("family"), _vancouver_initials(vm)))
            i += 1
            continue
        if nxt is not None and _initials(nxt) and not _org(t):
            authors.append(_person(t, nxt))
            i += 2
            continue
        given = nxt is not None and (
            GIVEN_NAME.match(nxt)
            or (GIVEN_INITIAL.match(nxt) and nxt + "." in part)
            or (GIVEN_BARE.match(nxt) and not _vancouver(t))  # "Rabosky, Daniel L", not "Smith J, Jones K"
        )
        capitals = t.upper() == t and len(t) > 1 and bool(authors)
        if given and not _org(t) and capitals:
            # ISO 690: "HALDANE, Ruth M. et OKORO, Chidi": every author inverted, surnames in capitals
            authors.append(_person(t, nxt or ""))
            i += 2
            continue
        if i == 0 and given and not _org(t):
            # Chicago: the first author inverted with a full given name ("Smith, John A."), the others
            # in natural order.
            authors.append(_person(t, nxt))
            chicago = True
            i += 2
            continue
        vm = _vancouver(t)
        if vm and not _org(t) and len(t.split()) <= 4:
            authors.append(Author(vm.group("family"), _vancouver_initials(vm)))
            i += 1
            continue
        words = t.split()
        if chicago and 1 < len(words) <= 4 and not _org(t) and ":" not in t:
            j = len(words) - 1
            while j > 0 and words[j - 1].lower() in PARTICLES:
                j -= 1
            authors.append(Author(" ".join(words[j:]), initials_of(" ".join(words[:j]))))
        else:
            authors.append(Author(t, "", group=len(words) > 1 or t.isupper()))
        i += 1
    return authors, etal


# The names and initials of an author list recur in a list and from list to list ("J.", "Smith"), and
# each token is asked about more than once: the answers are kept.
@lru_cache(maxsize=65536)
def _initials(token: str) -> bool:
    """Whether a token is initials (``INITIALS_TOKEN``): "J. A.", "J.-P.", "J. de"."""
    return INITIALS_TOKEN.match(token) is not None


@lru_cache(maxsize=65536)
def _org(text: str) -> bool:
    """Whether a name holds an organisation's word (``ORG_HINT``): "Institute", "Ministry"."""
    return ORG_HINT.search(text) is not None


def _has_suffix_word(token: str) -> bool:
    """Whether a token holds one of the suffixes ``VANCOUVER_SUFFIX`` reads, so that it can match."""
    return "Jr" in token or "Sr" in token or "II" in token or "IV" in token


def _segments(part: str) -> list[str]:
    """The names of a list that ends each one with a semicolon; the last two may be joined by
    "und", "and", "&" or "et" instead, both inverted: "Edelmann, M. J.; Nicholson, B. und
    Kessler, B. M." (German styles)."""
    out = []
    for seg in part.split(";"):
        m = _AND_BETWEEN.search(seg)
        if m is not None and "," in seg[: m.start()] and "," in seg[m.end() :]:
            out += [seg[: m.start()], seg[m.end() :]]
        else:
            out.append(seg)
    return out


_AND_BETWEEN = regex(r"\s+(?:&|\b(?:and|und|et)\b)\s+")


# Both read a blank between the names ("Louis Gross", "Smith JA"): a word alone is neither.
def _natural(token: str) -> re.Match[str] | None:
    """``NATURAL``: a name in natural order, "J. Stougaard", "Mary van der Berg"."""
    return NATURAL.match(token) if " " in token or "\t" in token else None


def _vancouver(token: str) -> re.Match[str] | None:
    """``VANCOUVER``: a family name and its initials, "Smith JA", "Cho J-C"."""
    return VANCOUVER.match(token) if " " in token or "\t" in token else None


def _given_in_capitals(part: str) -> bool:
    """Whether an author after the first has given names in capitals: "SMITH, JOHN, LEE, MARY"."""
    return any(_CAPITALS_WORD.match(t) for t in _COMMA_OR_SEMICOLON.split(part)[1:])


LEFT_INITIALS = regex(rf"{_U}\.?(?:{_U}\.?)?")  # "R", "R.", "RP": initials left after a surname


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
    particles, initials = _given_parts(given)
    if particles:
        joiner = "" if particles[-1] in "'’" else " "  # "Alembert, Claire d’" -> "d’Alembert"
        return Author(f"{particles}{joiner}{family}", initials)
    return Author(family, initials)


@lru_cache(maxsize=65536)
def _given_parts(given: str) -> tuple[str, str]:
    """The particles that close a given name or initials, if any, and its initials: "J. L. van" ->
    ("van", "JL"), "Claire d’" -> ("d’", "C"), "A. D." -> ("", "AD"). Given names recur: kept."""
    tail = TRAILING_PARTICLES.search(given)
    if tail is not None and tail.start() > 0:
        return tail.group(1), initials_of(given[: tail.start()])
    return "", initials_of(given)


_AND_WORD = regex(r"\band\b")


def _has_and(part: str) -> bool:
    """Whether the word "and" is in a text; one without the letters is spared the search."""
    return "and" in part and _AND_WORD.search(part) is not None


def _one_group(part: str) -> Author | None:
    """An organisation written in comma-separated parts, "Republic of Norland, Ministry of Health,
    Survey Unit": one group author, not three. It names an organisation ("Ministry", "Survey" ...),
    joins no parts with "&" or "and", and no part reads as a person's name or initials."""
    if "," not in part or "&" in part or _has_and(part):
        return None
    tokens = [t.strip(" .") for t in part.split(",")]
    if not all(tokens) or not any(_org(t) for t in tokens):
        return None
    for n, t in enumerate(tokens):
        if _org(t):
            continue
        if _initials(t + ".") and (len(t) == 1 or not t.isupper()):
            return None  # "J", "Th"; "NZ", "WHO" can be parts of an organisation's name
        if "." in t or (VANCOUVER.match(t) and not t.isupper()):
            return None  # "Smith JA"
        if n == 1 and GIVEN_NAME.match(t) and not _org(tokens[0]):
            return None  # Chicago: "Smith, John"
    return Author(", ".join(tokens), "", group=True)


def _one_phrase(part: str) -> Author | None:
    """A group or a title in the author's place with "and" inside and no comma: "Bill and Melinda
    Gates Foundation", "Disparities in the risk and outcomes from COVID-19". Names of people
    joined by "and" are capitalised words; these hold an organisation's word or lowercase words."""
    if "," in part or "&" in part or not _has_and(part):
        return None
    words = [w for w in part.split() if w != "and"]
    lowercase = [w for w in words if w[:1].islower() and w not in PARTICLES and len(w) > 2]
    if not _org(part) and not lowercase:
        return None
    return Author(part, "", group=True)
