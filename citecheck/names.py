"""Personal and group names: the character classes that find them and the keys that compare them.

Both the citation finder and the reference parser read names, and the linker compares them, so the
rules for what a surname looks like and when two spellings are the same live here, once.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from citecheck.cache import regex

# Upper- and lowercase letters of the Latin, Greek and Cyrillic scripts, for regex classes
# (the standard library's ``re`` has no \p{Lu}).
_RANGES = [(0x41, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x1E00, 0x1EFF)]
UPPER = "".join(chr(i) for a, b in _RANGES for i in range(a, b + 1) if chr(i).isupper())
LOWER = "".join(chr(i) for a, b in _RANGES for i in range(a, b + 1) if chr(i).islower())

# Lowercase words that belong to a surname: "van der Berg", "de Souza", "da Silva", "bin Laden".
PARTICLES = frozenset(
    """
    van von der den de del della di da das dos du la le los las ten ter zu zur op het 't d' bin ibn al
    el st
    """.split()
)

_FOLD_EXTRA = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "œ": "oe",
        "Œ": "OE",
        "ı": "i",
        "\u2019": "'",
        "\u2018": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)
_NON_KEY = regex(r"[^a-z0-9]+")
_ABBREVIATION = regex(r"\s*+[(\[][^()\[\]]{1,20}[)\]]")


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Lowercase, accents and ligatures removed: "Müller" -> "muller", "Ø" -> "o"."""
    if s.isascii():
        return s.lower()  # no ASCII character has a decomposition, a combining mark or an entry above
    s = unicodedata.normalize("NFKD", s.translate(_FOLD_EXTRA))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Comparison key of a surname: folded, spaces, hyphens and apostrophes dropped.

    "De Souza" = "de Souza" = "DeSouza", "O'Neil" = "ONeil", "Müller" = "Muller".
    ``core_key`` also drops leading particles, for a second, looser comparison.
    """
    return _keyed(fold(name))


@lru_cache(maxsize=65536)
def core_key(name: str) -> str:
    """Key without leading particles: "van der Berg" -> "berg", "de Melo" -> "melo"."""
    words = fold(name).replace("'", "' ").split()
    while len(words) > 1 and words[0].rstrip(".") in PARTICLES:
        words.pop(0)
    return _keyed(" ".join(words))


@lru_cache(maxsize=65536)
def group_key(name: str) -> str:
    """Key of a group author: folded words, "the", punctuation and an abbreviation in brackets
    dropped: "NCD Risk Factor Collaboration (NCD-RisC)" = "NCD Risk Factor Collaboration"."""
    folded = fold(name)
    if _plain(folded):  # no bracket, no punctuation: only the blanks and "the" to drop
        words = folded.split()
        return " ".join([w for w in words if w != "the"] if "the" in words else words)
    bare = _ABBREVIATION.sub(" ", name)
    words = [w for w in _NON_KEY.split(fold(bare if bare.strip() else name)) if w and w != "the"]
    return " ".join(words)


def _plain(folded: str) -> bool:
    """Whether a folded name holds only ASCII letters, digits and spaces, as most names do: what
    ``_NON_KEY`` drops is then its spaces alone."""
    bare = folded.replace(" ", "")
    return bare.isascii() and bare.isalnum()


def _keyed(folded: str) -> str:
    """A folded name with all but its letters and digits dropped, most often by dropping spaces."""
    bare = folded.replace(" ", "")
    return bare if bare.isascii() and bare.isalnum() else _NON_KEY.sub("", folded)


_SURNAME_SPLIT = regex(r"[\s\-]+")  # "Zetto Brandmayr", "Rodríguez-Mora"
_GIVEN_SPLIT = regex(r"[\s.\-]+")  # "J.-P.", "A. D."


def surname_words(family: str) -> list[str]:
    """The keys of the words of a compound surname, particles and short words aside: "Zetto
    Brandmayr" -> ["zetto", "brandmayr"]; a one-word surname has none."""
    words = [w for w in _SURNAME_SPLIT.split(family) if w]
    if len(words) < 2:
        return []
    return [name_key(w) for w in words if len(w) >= 4 and w.lower() not in PARTICLES]


def initials_of(given: str) -> str:
    """ "A. D." -> "AD", "Jean-Pierre" -> "JP", "J.-P." -> "JP", "Roger BJ" -> "RBJ"; particles
    after a given name are no initials: "Miguel de la" -> "M"."""
    parts = [part for part in _GIVEN_SPLIT.split(given) if part and part[0].isalpha()]
    if any(p[0].isupper() for p in parts):
        parts = [p for p in parts if p[0].isupper()]
    return "".join(p if p.isupper() and len(p) <= 3 else p[0] for p in parts).upper()
