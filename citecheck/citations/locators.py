"""The pinpoint of a citation: "p. 45", "pp. 45–50", "chap. 2", Chicago's bare ", 45".

Input: the text just after a citation's years (``_locator``), or a note as LaTeX post-notes and
Pandoc suffixes write it (``parse_locator``). Output: a ``Locator`` (kind, first, last) or None,
and, from ``_locator``, where the locator ends.
"""

from __future__ import annotations

import re

from citecheck.cache import regex
from citecheck.model import Locator, page_number

# A pinpoint after the year: ", p. 45", ", pp. 45–50", ", para. 3", ", chap. 2", Chicago ", 45",
# Harvard ": 45"; with no comma only a page marked as one, "(Wollerton et al. 2004 p. 108)"
# (Annals of Botany, ASCE).
LOCATOR = regex(
    r"""
    (?:\s*+[,:]\s*+|[ \t\n]++(?=pp?\.[ \t\n]?\d))
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
          | S(?=\.)                              # S. 45 (German: Seite)
        )\.?\s*
    )?
    (?P<first>[A-Za-z]?\d+[A-Za-z]?|(?i:[ivxlc]+)\b)
    (?:\s*[–—-]\s*(?P<last>[A-Za-z]?\d+[A-Za-z]?|(?i:[ivxlc]+)\b))?
    (?:\s*(?:,|&|and)\s*(?P<more>(?!(?:1[5-9]|20)\d\d\b)\d+)(?:\s*[–—-]\s*(?P<morelast>\d+))?)*  # not a year
    (?:\s*ff?\.)?
    """,
    re.VERBOSE,
)

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
    "s": "page",
}

RATIO = regex(r"\s*+[:/]\s*+\d")


def _locator(content: str, pos: int, end: int) -> tuple[Locator | None, int]:
    m = LOCATOR.match(content, pos, end)
    if m is None:
        return None, pos
    kind_word = (m.group("kind") or "").lower()
    if not kind_word:
        # A bare number is a page only right after the year, Chicago style: "(Smith 2018, 45)";
        # a ratio or a dilution is not: "(Renner et al., 2008, 1:5000)".
        if page_number(m.group("first")) is None or RATIO.match(content, m.end()):
            return None, pos
        kind = "page"
    else:
        kind = _KINDS.get(kind_word, "other")
    number = page_number(m.group("first"))
    first: int | str = number if number is not None else m.group("first")
    last_raw = m.group("morelast") or m.group("more") or m.group("last")
    last: int | str = first
    if last_raw:
        number = page_number(last_raw)
        last = number if number is not None else last_raw
        if isinstance(first, int) and isinstance(last, int) and last < first:
            # "pp. 1234–56": an abbreviated range
            digits = str(first)
            expanded = int(digits[: len(digits) - len(str(last))] + str(last)) if len(str(last)) < len(digits) else last
            last = expanded if expanded >= first else last
    return Locator(kind=kind, first=first, last=last, marked=bool(kind_word)), m.end()


def parse_locator(note: str) -> Locator | None:
    """The locator of a citation's note, as LaTeX post-notes and Pandoc suffixes write it:
    "p.~45", "pp. 45--50", "45", "chap. 2". None when the note holds no locator."""
    note = note.replace("~", " ").replace("\\,", " ").replace("---", "–").replace("--", "–").strip()
    if not note:
        return None
    loc, end = _locator(", " + note, 0, len(note) + 2)
    if loc is None or note[end - 2 :].strip(" .;,"):
        return None  # "see the discussion on p. 4 of the appendix" is a comment, not a locator
    return Locator(loc.kind, loc.first, loc.last)  # a bare number as a note is a page (biblatex, citeproc)
