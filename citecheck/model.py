"""The plain data that flows through the pipeline.

Every stage takes and returns these frozen records. Locations are character offsets into the decoded
text of the manuscript (``Source.text``); lines, columns and pages are computed only when a report is
written (see ``report.py``).
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``ERROR > WARNING > NOTE``."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Span:
    """Half-open character range ``[start, end)`` into ``Source.text``."""

    start: int
    end: int


@dataclass(frozen=True)
class Source:
    """A decoded manuscript.

    ``text`` is exactly what offsets index. ``notes`` records what reading had to guess (a legacy
    8-bit encoding, say) so that the report can say so.
    """

    text: str
    path: str | None = None
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    line_starts: tuple[int, ...] = field(default=(), compare=False, repr=False)
    pages: tuple[int, ...] = field(default=(), compare=False, repr=False)  # offset where each page starts (PDF)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        starts = self.line_starts or _line_starts(self.text)
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def paragraph(self, offset: int) -> int | None:
        """1-based paragraph of an offset, for sources read from DOCX: the DOCX reader writes one
        paragraph per block, blocks separated by a blank line."""
        if self.encoding != "docx":
            return None
        return self.text.count("\n\n", 0, offset) + 1

    def page(self, offset: int) -> int | None:
        """1-based page of a character offset, for sources read from paged formats."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return tuple(starts)


def make_source(
    text: str, path: str | None = None, encoding: str = "utf-8", notes: tuple[str, ...] = (), pages: tuple[int, ...] = ()
) -> Source:
    return Source(text=text, path=path, encoding=encoding, notes=notes, line_starts=_line_starts(text), pages=pages)


@dataclass(frozen=True)
class Locator:
    """A pinpoint inside a cited work: ``p. 45``, ``pp. 45–50``, ``para. 3``, ``chap. 2``."""

    kind: str  # page, paragraph, chapter, section, figure, table, other
    first: int | str
    last: int | str


@dataclass(frozen=True)
class Citation:
    """One author-date citation as written in the text.

    ``authors`` are the surnames (or group names) as cited; ``etal`` says "et al." followed them.
    ``group`` numbers the bracket pair (or narrative phrase) the citation stands in, so that
    ``(Newman, 2004, 2005)`` can be told apart from two separate citations.
    """

    span: Span
    text: str
    authors: tuple[str, ...]
    etal: bool
    year: str  # "2018", "2018a", "n.d.", "in press", "1890/1983"
    narrative: bool
    locator: Locator | None = None
    initials: str | None = None  # "J" in "(J. Brown, 2021)"
    abbreviation: str | None = None  # "WHO" in "(World Health Organization [WHO], 2019)"
    group: int = 0
    prefix: str = ""  # "e.g.", "see also", "as cited in"


@dataclass(frozen=True)
class Author:
    family: str
    initials: str = ""
    group: bool = False  # a corporate or group author ("World Health Organization")


@dataclass(frozen=True)
class Pages:
    first: str
    last: str | None = None


@dataclass(frozen=True)
class Reference:
    """One entry of the reference list, parsed as far as it could be."""

    span: Span
    text: str
    authors: tuple[Author, ...] = ()
    etal: bool = False  # the list of authors was cut ("et al." or "...")
    year: str | None = None  # "2018", "n.d.", "in press"; suffix separate
    suffix: str = ""  # "a" in 2018a
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: Pages | None = None
    doi: str | None = None
    url: str | None = None
    kind: str = "other"  # article, book, chapter, report, thesis, web, other
    key: str | None = None  # the citation key in a .bib, CSL-JSON or RIS file
    language: str | None = None  # ISO 639-1 code when the bibliography says ("de", "zh")

    @property
    def year_label(self) -> str:
        return (self.year or "n.d.") + self.suffix if self.year else ""

    @property
    def first_author(self) -> str | None:
        return self.authors[0].family if self.authors else None


@dataclass(frozen=True)
class Candidate:
    reference: int
    score: float


class LinkStatus(enum.Enum):
    EXACT = "exact"  # author(s) and year agree
    YEAR_MISMATCH = "year-mismatch"  # author agrees, year differs
    AUTHOR_MISMATCH = "author-misspelling"  # year agrees, name differs slightly
    AMBIGUOUS = "ambiguous"  # two or more references fit equally
    MISSING = "missing"  # nothing fits


@dataclass(frozen=True)
class Link:
    """What linking decided for one citation, with the evidence behind it."""

    citation: int
    status: LinkStatus
    reference: int | None
    candidates: tuple[Candidate, ...] = ()
    also: tuple[int, ...] = ()  # the other equally good references, when ambiguous


@dataclass(frozen=True)
class Update:
    """A notice about a published work: a retraction, an expression of concern, a correction."""

    kind: str  # "retraction", "withdrawal", "removal", "expression_of_concern", "correction", ...
    source: str | None = None  # "retraction-watch", "publisher"
    doi: str | None = None  # the notice's own DOI
    date: str | None = None


@dataclass(frozen=True)
class Record:
    """A registry's record of a work (Crossref or OpenAlex), reduced to what references carry."""

    registry: str  # "crossref" or "openalex"
    id: str  # the DOI (Crossref) or the OpenAlex id
    title: str | None = None
    authors: tuple[str, ...] = ()  # family names, or display names where no family is given
    years: tuple[int, ...] = ()  # issued first, then print and online years where they differ
    container: str | None = None
    publisher: str | None = None
    volume: str | None = None
    issue: str | None = None
    first_page: str | None = None
    last_page: str | None = None
    doi: str | None = None
    type: str | None = None  # "journal-article", "book", "book-chapter", ...
    retracted: bool = False
    updates: tuple[Update, ...] = ()

    @property
    def year(self) -> int | None:
        return self.years[0] if self.years else None


@dataclass(frozen=True)
class Mismatch:
    """One field on which the reference list and the registry disagree."""

    field: str  # year, title, authors, container, volume, issue, pages
    listed: str
    registry: str


@dataclass(frozen=True)
class Verification:
    """What the registries said about one reference."""

    reference: int
    status: str  # ok, metadata-mismatch, not-found, doi-invalid, doi-not-found, doi-mismatch, unverified
    record: Record | None = None
    score: float | None = None  # how well the record matches the reference, 0-100
    mismatches: tuple[Mismatch, ...] = ()
    detail: str = ""  # why a reference stayed unverified, what a wrong DOI resolves to
    registries: tuple[str, ...] = ()  # the registries that answered


@dataclass(frozen=True)
class Finding:
    rule: str  # "CC101"
    kind: str  # "missing-reference"
    severity: Severity
    message: str
    span: Span | None = None
    suggestion: str | None = None
    citation: int | None = None
    reference: int | None = None
    related: tuple[Span, ...] = ()
    evidence: Record | None = None  # the registry record behind a verification finding


@dataclass(frozen=True)
class Document:
    """A manuscript split into its parts: the noise, and where the reference list is."""

    source: Source
    clean: str  # same length as source.text, extraction noise blanked out
    references: Span | None  # the reference list, heading excluded
    heading: Span | None = None
    noise: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Report:
    source: Source
    citations: tuple[Citation, ...]
    references: tuple[Reference, ...]
    links: tuple[Link, ...]
    findings: tuple[Finding, ...]
    reference_list: Span | None = None
    verifications: tuple[Verification, ...] | None = None  # None: not verified (the default)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)
