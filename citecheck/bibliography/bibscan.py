"""A fast reading of the common ``.bib`` file, made of well-formed entries and nothing bibtexparser
treats specially, with the result bibtexparser's default parse stack gives it.

bibtexparser's splitter walks a file mark by mark in Python, which costs about 30 µs an entry, and
its middlewares copy and rewrite every field after it. The entries most files hold need none of
that: ``@type{key, name = {braced} | "quoted" | bare, ...}``, between lines of free text. ``scan``
reads them with a few compiled patterns, one match per field, and answers None for a file holding
anything else (``@string``, ``#``, escaped braces, a brace left open, a parenthesised entry, an
``@`` between entries, a block start inside an entry...), which ``parse_bibtex`` then hands to
bibtexparser whole. Nothing is guessed: what is read here is what bibtexparser would read.

Why the results are the same, for a file ``scan`` accepts (bibtexparser 2's splitter and its
default stack, string resolution then enclosing removal):

- The splitter's marks are ``{ } " , = newline`` not preceded by a backslash, and ``@word`` before
  ``{`` or ``(``. With no ``\\{`` or ``\\}`` in the file every brace is a mark. A backslash before a
  quote, comma, equals sign or newline is accepted only inside a braced value, where the splitter
  ignores those marks anyway (a newline counts lines only, and the lines only seed the search for
  an entry's span, which finds the same ``@`` from any earlier line: see ``parse_bibtex``).
- Every block start in the file (``BLOCK_START``) is one of the blocks read here, so the splitter
  opens the same blocks and none inside a value; free text between them holds no ``@``.
- A type, key or field name is what the splitter strips of whitespace (``\\s`` is exactly what
  ``str.strip`` removes) and lowercases as it does. A value is what the splitter keeps between
  ``=`` and the next ``,`` or ``}``, less the enclosing pair the middleware removes: the braces of
  one balanced group, the quotes of a string with no quote inside (nor a backslash or ``{`` before
  its closing quote, which the splitter would not take for the end), or nothing around a bare word.
- With no ``@string`` there is nothing to resolve, so an entry refused by bibtexparser's library (a
  key seen before, a field given twice), which ``parse_bibtex`` runs through the enclosing removal
  alone, reads the same as any other; a repeated field keeps its first value, as ``parse_bibtex``'s
  own reading does.
- ``@comment`` and ``@preamble`` blocks with balanced braces are passed over, as ``parse_bibtex``
  passes over the blocks bibtexparser makes of them.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from citecheck.cache import regex
from citecheck.model import Span

# The block starts of bibtexparser's splitter: "@", a word, blanks, before "{" or "(". It finds
# them anywhere, not only at the start of a line.
BLOCK_START = regex(r"@\w*[ \t]*(?=[{(])")

# Blocks that send a file to bibtexparser, looked for in the whole file first so that one near its
# end costs no reading of all that comes before: "@String{" and the like, and a block opened with a
# parenthesis. Only a shortcut: ``scan`` refuses them where it meets them, by the splitter's tests.
REFUSED_BLOCK = regex(r"@(?:[sS][tT][rR][iI][nN][gG]\w*[ \t]*[{(]|\w*[ \t]*\()")

# A type, key, field name or bare value: none of the characters the splitter or BibTeX read as
# syntax, no backslash (an escaped mark is no mark) and no whitespace.
_WORD = r"""[^\s{}",=\\@#%()]+"""


def _balanced(depth: int) -> str:
    """What may stand between a pair of braces: text whose own braces nest at most ``depth`` deep."""
    inner = r"[^{}]*"
    for _ in range(depth):
        inner = rf"[^{{}}]*(?:\{{{inner}\}}[^{{}}]*)*"
    return inner


# Braces nested deeper inside a value than this send the file to bibtexparser.
_BALANCED = _balanced(8)

# The opening of a block: "@article{" (group 1 as the splitter lowercases it, less the brace).
HEAD = regex(r"(@\w+[ \t]*)\{")

# One field, after the comma before it: its name and its value, less the value's enclosing braces or
# quotes; of the three value groups, those that do not take part are empty in ``findall``.
_FIELD = rf"""
    ,\s*({_WORD})\s*=\s*           # the name, "="
    (?:
        \{{({_BALANCED})\}}        # a braced value, its braces balanced
      | "([^"]*(?:(?<=\\)"[^"]*)*)(?<![\\{{])"  # a quoted one: a quote inside only after a backslash,
                                        # and none or a brace before the closing quote
      | ({_WORD})                  # 2019, jan: a bare word
    )
    \s*
"""
FIELD = regex(_FIELD, re.VERBOSE)

# The rest of an entry after its opening brace: the key, the fields (group 2), a comma or not, "}".
# A field's match is the only one at its place (a braced value ends at its matching brace, a quoted
# one at the next quote, a word and the blanks around it run as far as they go), so ``FIELD.findall``
# over group 2 reads the fields this pattern read.
REST = regex(rf"\s*({_WORD})\s*((?:{_FIELD})*),?\s*\}}", re.VERBOSE)

# The rest of a @comment or @preamble block after its opening brace.
SKIPPED_BODY = regex(rf"{_BALANCED}\}}")


class BibEntry(NamedTuple):
    """An entry as ``parse_bibtex`` reads it, from ``scan`` or from bibtexparser's blocks."""

    entry_type: str  # lowercased: "article"
    key: str
    fields: dict[str, str]  # lowercased names; the first value of a repeated name
    span: Span  # from the "@" to just after the closing brace


def scan(text: str) -> list[BibEntry] | None:
    """The entries of ``text`` in file order, or None when the file holds anything but well-formed
    entries, balanced ``@comment`` and ``@preamble`` blocks, and free text without ``@``."""
    if "\\{" in text or "\\}" in text or text.count("{") != text.count("}") or REFUSED_BLOCK.search(text):
        return None  # an escaped brace or one left open, whose entry the splitter reads otherwise; see above
    entries: list[BibEntry] = []
    blocks = 0
    pos = 0
    while (at := text.find("@", pos)) != -1:
        head = HEAD.match(text, at)
        if head is None:
            return None
        blocks += 1
        opening = head.group(1).lower()
        if opening.startswith(("@comment", "@preamble")):  # as the splitter tells them apart
            body = SKIPPED_BODY.match(text, head.end())
            if body is None:
                return None
            pos = body.end()
            continue
        if opening.startswith("@string"):
            return None
        m = REST.match(text, head.end())
        if m is None:
            return None
        fields: dict[str, str] = {}
        for name, braced, quoted, bare in FIELD.findall(text, m.start(2), m.end(2)):
            fields.setdefault(name.lower(), braced or quoted or bare)
        pos = m.end()
        entries.append(BibEntry(opening[1:].strip(), m.group(1), fields, Span(at, pos)))
    if sum(1 for _ in BLOCK_START.finditer(text)) != blocks:
        return None  # a block start inside a value or a comment: the splitter would see a block there
    return entries
