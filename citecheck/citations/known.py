"""The names the reference list holds, as the finder checks them.

Input: the surnames, group authors and (first author, year) of the entries, and the text, for the
words it writes in lowercase. Output: a ``KnownNames``, which says whether a name is listed,
whether an author has an entry of a year, and which listed group name a shorter one ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from citecheck.names import group_key, name_key, surname_words


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

    def ends_with_group(self, key: str) -> bool:
        """Whether a listed group's key ends ``key``, a group key, letter by letter. A long list is
        not walked for each name: the key's endings, fewer than its groups, are looked up instead."""
        if len(self.groups) <= len(key):
            return any(key.endswith(g) for g in self.groups)
        return any(key[i:] in self.groups for i in range(len(key) + 1))

    def completion(self, name: str, before: str) -> str | None:
        """The listed group name that ``name`` ends and ``before`` begins: "Genomes Project
        Consortium" after "1000 " is "1000 Genomes Project Consortium", "Sequencing Consortium"
        after "C. elegans " is "C. elegans Sequencing Consortium"."""
        for listed in self._ending(group_key(name)):
            head = listed[: len(listed) - len(name)].rstrip()
            if head and group_key(before[-len(head) - 1 :]).endswith(group_key(head)):
                return listed
        return None

    def ends_a_group(self, name: str) -> bool:
        """Whether a listed group name of more words ends with ``name``: only then can the text
        before it complete one (``completion``)."""
        return bool(self._ending(group_key(name)))

    def near(self, key: str) -> bool:
        """Whether a listed surname is ``key`` or one slip away from it (rapidfuzz ratio 75 or
        more), a name key; each key is compared with the list once."""
        found = self._near.get(key)
        if found is None:
            found = self._near[key] = process.extractOne(key, self._surnames, scorer=fuzz.ratio, score_cutoff=75) is not None
        return found

    @cached_property
    def _near(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _surnames(self) -> list[str]:
        return list(self.surnames)

    def _ending(self, key: str) -> list[str]:
        """The listed group names whose key ends with ``key``, a word ending shorter than the whole:
        "Project Consortium" and "Consortium" for "1000 Genomes Project Consortium". Looked for
        among the groups of the same last word, so that a list is never walked word ending by word
        ending (a group name of thousands of words made that quadratic)."""
        found = self._endings.get(key)
        if found is None:
            tail = " " + key
            found = self._endings[key] = [
                listed for listed, whole in self._by_last_word.get(key.rpartition(" ")[2], ()) if whole.endswith(tail)
            ]
        return found

    @cached_property
    def _endings(self) -> dict[str, list[str]]:
        return {}

    @cached_property
    def _by_last_word(self) -> dict[str, list[tuple[str, str]]]:
        """The listed group names, each with its key, by the last word of the key."""
        out: dict[str, list[tuple[str, str]]] = {}
        for listed in self.group_names:
            whole = group_key(listed)
            out.setdefault(whole.rpartition(" ")[2], []).append((listed, whole))
        return out


def known_names(surnames: list[str], groups: list[str], text: str, works: Iterable[tuple[str, str]] = ()) -> KnownNames:
    """Build the names a finder checks against from the reference list and the text; ``works``
    are the (first author, year) of the entries."""
    # the letter first, then what stands before it: the engine skips to the next lowercase letter
    lowercase = frozenset(re.findall(r"[a-z](?<![\w'’-][a-z])[a-z'’-]+", text))
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
