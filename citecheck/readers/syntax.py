"""What a format's own markup says about a manuscript, beyond the prose every format shares.

The pipeline (``citecheck.pipeline``) reads every manuscript the same way: the layout stage finds the
reference lists in the text, the references and citations stages read them and the prose. A format
whose markup says more plugs in here, through the ``Syntax`` its entry in ``readers.READERS`` names:

- ``layout_text``: the text the layout stage analyses, with what is no prose blanked (Pandoc's YAML
  front matter), and where that was;
- ``scan``: the citations the markup makes by key (``[@smith04]``), the keys cited without a place
  (``nocite``), and the body as the prose finder should read it (code and comments blanked);
- ``whole``: for a format whose citations and entries are all markup (LaTeX's ``\\cite`` and
  ``\\bibitem``), everything the stages would find, so that its prose is never read for more.

Input: a ``Source`` (and the references of its bibliography files). Output: a ``Markup``, the
citations, references and lists the later stages (link, rules) take, whatever the format.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from citecheck.model import Citation, Reference, Source, Span


@dataclasses.dataclass
class Markup:
    """What the finding stages hand to linking and the rules."""

    clean: str  # the text as the rules quote it, noise and markup blanked
    citations: list[Citation]
    references: list[Reference]
    reference_list: Span | None = None
    bibliographies: int = 0  # bibliography files that are part of the manuscript
    nocite: list[tuple[str, Span]] = dataclasses.field(default_factory=list)
    malformed: list[tuple[Span, str]] = dataclasses.field(default_factory=list)
    lists: list[Span] = dataclasses.field(default_factory=list)  # the reference lists, when there are several


@dataclasses.dataclass
class Scanned:
    """The citations a format's markup makes by key, and the body left for the prose finder."""

    citations: list[Citation]
    body: str
    nocite: list[tuple[str, Span]] = dataclasses.field(default_factory=list)


class Syntax:
    """Plain text, PDF and DOCX: prose only."""

    def whole(self, source: Source, bibliography: list[Reference]) -> Markup | None:
        return None

    def layout_text(self, source: Source) -> tuple[str, Span | None]:
        return source.text[: source.manuscript_end], None

    def scan(self, source: Source, body: str, hidden: Span | None, bibliography: Sequence[Reference]) -> Scanned:
        return Scanned([], body)


PLAIN = Syntax()


def syntax_of(source: Source) -> Syntax:
    """The syntax of a source's format: its reader's, or plain prose."""
    from citecheck.readers import syntax_factory

    factory = syntax_factory(source.format)
    return factory() if factory is not None else PLAIN
