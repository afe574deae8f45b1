"""The plain data that flows through the pipeline.

Every stage takes and returns these frozen records. Locations are character offsets into the decoded
text of the manuscript (``Source.text``); lines, columns and pages are computed only when a report is
written (see ``report.py``).
"""

from __future__ import annotations

import bisect
import dataclasses
import enum
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """``@dataclass(frozen=True, slots=True)``, written for less. ``dataclass`` compiles six
    methods for each frozen class, a quarter of the start-up of a run, and its ``__init__`` calls
    ``object.__setattr__`` by name for every field, the price of being frozen: a book makes
    hundreds of thousands of these records. Here only ``__init__`` is compiled, setting each slot
    through the slot's own descriptor, which halves what a record costs to make; equality, the
    hash, the repr, the refusal to change a field and pickling are functions shared by every
    record, which compare, hash and show the fields as ``dataclass`` does. The arguments, their
    defaults and the records made are the same (tests/test_model_init.py holds them to it)."""
    undocumented = cls.__doc__ is None
    if undocumented:
        # ``dataclass`` writes an empty docstring over with the class's signature, through
        # ``inspect`` (tens of times slower with no ``__init__`` made yet): written below instead
        cls.__doc__ = "-"
    cls = dataclass(slots=True, init=False, repr=False, eq=False)(cls)
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    if getattr(cls, "__post_init__", None) is not None or any(
        p.default_factory is not dataclasses.MISSING or p.kw_only or not (p.init and p.repr and p.compare) or p.hash is not None
        for p in params
    ):
        raise TypeError(f"{cls.__name__}: only plain fields can be set by slot")
    names = tuple(p.name for p in params)
    setters = tuple(getattr(cls, name).__set__ for name in names)  # each slot's own, for __init__ and unpickling
    scope: dict[str, Any] = {}
    args, body = [], []
    for k, p in enumerate(params):
        scope[f"_set{k}"] = setters[k]
        if p.default is dataclasses.MISSING:
            args.append(p.name)
        else:
            scope[f"_default{k}"] = p.default
            args.append(f"{p.name}=_default{k}")
        body.append(f"    _set{k}(self, {p.name})")
    exec(f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body), scope)  # our own field names, nothing read
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    cls.__init__ = init  # type: ignore[misc]
    values = attrgetter(*names) if len(names) > 1 else lambda made: (getattr(made, names[0]),)
    cls._record_values = staticmethod(values)  # type: ignore[attr-defined]  # the fields' values, a tuple
    cls._record_setters = setters  # type: ignore[attr-defined]
    for name, method in _RECORD_METHODS.items():
        setattr(cls, name, method)
    if undocumented:
        shown = (p.name if p.default is dataclasses.MISSING else f"{p.name}={p.default!r}" for p in params)
        cls.__doc__ = f"{cls.__name__}({', '.join(shown)})"
    return cls


# The methods every record shares, as ``dataclass`` writes them for a frozen class: equal to a
# record of its own class with equal fields, hashed by its fields' tuple, shown field by field,
# never changed. A record is built from its parts and never holds itself, so its repr has no
# guard against recursion.
def _record_eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return self._record_values(self) == other._record_values(other)
    return NotImplemented


def _record_hash(self: Any) -> int:
    return hash(self._record_values(self))


def _record_repr(self: Any) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(self.__match_args__, self._record_values(self), strict=True))
    return f"{self.__class__.__qualname__}({shown})"


def _record_setattr(self: Any, name: str, value: Any) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _record_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")


def _record_getstate(self: Any) -> list[Any]:
    return list(self._record_values(self))


def _record_setstate(self: Any, state: list[Any]) -> None:
    for set_slot, value in zip(self._record_setters, state, strict=True):
        set_slot(self, value)


_RECORD_METHODS = {
    "__eq__": _record_eq,
    "__hash__": _record_hash,
    "__repr__": _record_repr,
    "__setattr__": _record_setattr,
    "__delattr__": _record_delattr,
    "__getstate__": _record_getstate,
    "__setstate__": _record_setstate,
}


class Severity(enum.IntEnum):
    """How much a finding matters; ordered so that ``ERROR > WARNING > NOTE``."""

    NOTE = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


@record
class Span:
    """Half-open character range ``[start, end)`` into ``Source.text``."""

    start: int
    end: int


MANUSCRIPT, BIBLIOGRAPHY, LIBRARY = "manuscript", "bibliography", "library"


@record
class Part:
    """One file of a manuscript made of several: a LaTeX file and the ones it inputs, and the
    bibliographies. ``role`` is ``manuscript``, ``bibliography`` (named by the manuscript itself:
    ``\\bibliography{...}``, YAML front matter) or ``library`` (given with ``--bib``)."""

    start: int  # where the file's text begins in ``Source.text``; always at a line start
    path: str
    role: str = MANUSCRIPT


# A reference-manager citation field: (start, end, CSL citation JSON), the span being the text it displays.
Field = tuple[int, int, Mapping[str, Any]]


@dataclass(frozen=True)
class Source:
    """A decoded manuscript.

    ``text`` is exactly what offsets index. ``notes`` records what reading had to guess (a legacy
    8-bit encoding, say) so that the report can say so. A manuscript of several files has their
    texts one after the other, manuscript files first, each file a ``Part``; lines and columns are
    then counted within each file.
    """

    text: str
    path: str | None = None
    encoding: str = "utf-8"
    notes: tuple[str, ...] = ()
    pages: tuple[int, ...] = field(default=(), compare=False, repr=False)  # offset where each page starts (PDF)
    format: str = "text"  # text, markdown, pdf, docx, latex, jats
    parts: tuple[Part, ...] = ()  # empty for a single file
    # Reference-manager citation fields (DOCX: Zotero, Mendeley, EndNote): (start, end, CSL citation
    # JSON) of each, the span being the field's displayed text.
    fields: tuple[Field, ...] = field(default=(), compare=False, repr=False)
    # Whether the reader wrote one paragraph per block, blocks separated by a blank line (DOCX,
    # JATS): a place is then also told by its paragraph, the text's lines being the reader's own.
    paragraphs: bool = field(default=False, compare=False, repr=False)
    # Paged formats (PDF): the label each page prints, from the file's /PageLabels ("245", "xii"),
    # one per page; empty when the file has none.
    page_labels: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # A manuscript under review prints line numbers in its margin: (offset where a line of the
    # text starts, the number printed beside it), in offset order; empty when it prints none.
    line_numbers: tuple[tuple[int, int], ...] = field(default=(), compare=False, repr=False)
    # What an annotator needs to find a span in the original file: for a PDF the glyph boxes of
    # each line (readers/pdf.py), for a DOCX where each piece of text came from (readers/docx.py);
    # None for formats that are not annotated.
    anchors: Any = field(default=None, compare=False, repr=False)

    def part(self, offset: int) -> Part | None:
        """The file an offset lies in, for a manuscript of several files."""
        if not self.parts:
            return None
        i = bisect.bisect_right(self.part_starts, offset) - 1
        return self.parts[max(i, 0)]

    @functools.cached_property
    def line_starts(self) -> tuple[int, ...]:
        """Where each line of ``text`` starts: worked out when first asked for, as a source is
        often made again from another (its notes, its format) before any line is counted."""
        return _line_starts(self.text)

    @functools.cached_property
    def part_starts(self) -> list[int]:
        return [p.start for p in self.parts]

    def part_text(self, i: int) -> str:
        """The text of the ``i``-th file of a manuscript of several."""
        end = self.parts[i + 1].start if i + 1 < len(self.parts) else len(self.text)
        return self.text[self.parts[i].start : end]

    def file(self, offset: int) -> str | None:
        part = self.part(offset)
        return part.path if part is not None else self.path

    def file_offset(self, offset: int) -> int:
        """The offset counted from the start of the file it lies in."""
        part = self.part(offset)
        return offset - part.start if part is not None else offset

    @property
    def manuscript_end(self) -> int:
        """Where the manuscript's own files end and the bibliographies begin."""
        for p in self.parts:
            if p.role != MANUSCRIPT:
                return p.start
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset, within its file."""
        starts = self.line_starts
        i = bisect.bisect_right(starts, offset) - 1
        line = i + 1
        part = self.part(offset)
        if part is not None and part.start:
            line -= bisect.bisect_right(starts, part.start - 1)
        return line, offset - starts[i] + 1

    def paragraph(self, offset: int) -> int | None:
        """1-based paragraph of an offset, for sources whose reader writes one paragraph per block
        (DOCX, JATS), blocks separated by a blank line."""
        if not self.paragraphs or offset >= self.manuscript_end:
            return None
        # as text.count("\n\n", 0, offset) counts them, without a scan from the start per span
        return bisect.bisect_right(self.paragraph_breaks, offset) + 1

    @functools.cached_property
    def paragraph_breaks(self) -> list[int]:
        """Where each blank-line break ends, the breaks taken as ``str.count`` takes them."""
        return [m.end() for m in re.finditer("\n\n", self.text)]

    def page(self, offset: int) -> int | None:
        """1-based page of a character offset, for sources read from paged formats."""
        if not self.pages or offset >= self.manuscript_end:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def page_label(self, offset: int) -> str | None:
        """The label printed on the page of an offset ("245"), when the PDF gives page labels."""
        page = self.page(offset)
        if page is None or page > len(self.page_labels):
            return None
        return self.page_labels[page - 1] or None

    def printed_line(self, offset: int) -> int | None:
        """The line number printed in the margin beside the line an offset lies on, if any."""
        if not self.line_numbers or offset >= self.manuscript_end:
            return None
        i = bisect.bisect_right(self._numbered_starts, offset) - 1
        if i < 0:
            return None
        start, number = self.line_numbers[i]
        return number if "\n" not in self.text[start:offset] else None

    @functools.cached_property
    def _numbered_starts(self) -> list[int]:
        return [start for start, _ in self.line_numbers]


def _line_starts(text: str) -> tuple[int, ...]:
    """0 and the offset after each line break, found one after the other: splitting the text into
    its lines would be faster, but would copy the whole text for a moment."""
    starts = [0]
    find = text.find
    i = find("\n")
    while i != -1:
        starts.append(i + 1)
        i = find("\n", i + 1)
    return tuple(starts)


def make_source(
    text: str,
    path: str | None = None,
    encoding: str = "utf-8",
    notes: tuple[str, ...] = (),
    pages: tuple[int, ...] = (),
    format: str = "text",
    parts: tuple[Part, ...] = (),
    fields: tuple[Field, ...] = (),
    paragraphs: bool = False,
    page_labels: tuple[str, ...] = (),
    line_numbers: tuple[tuple[int, int], ...] = (),
    anchors: Any = None,
) -> Source:
    return Source(
        text=text,
        path=path,
        encoding=encoding,
        notes=notes,
        pages=pages,
        format=format,
        parts=parts,
        fields=fields,
        paragraphs=paragraphs,
        page_labels=page_labels,
        line_numbers=line_numbers,
        anchors=anchors,
    )


def join_sources(sources: Sequence[tuple[Source, str]]) -> Source:
    """One ``Source`` of several files, each given with its role; the first is the main file,
    whose path, encoding and format the whole takes."""
    texts: list[str] = []
    parts: list[Part] = []
    notes: list[str] = []
    at = 0
    for src, role in sources:
        text = src.text if not src.text or src.text.endswith("\n") else src.text + "\n"
        parts.append(Part(at, src.path or "<text>", role))
        texts.append(text)
        notes.extend(f"{src.path}: {n}" if at else n for n in src.notes)
        at += len(text)
    main = sources[0][0]
    pages = main.pages
    return make_source("".join(texts), main.path, main.encoding, tuple(notes), pages, main.format, tuple(parts))


@record
class Locator:
    """A pinpoint inside a cited work: ``p. 45``, ``pp. 45–50``, ``para. 3``, ``chap. 2``."""

    kind: str  # page, paragraph, chapter, section, figure, table, other
    first: int | str
    last: int | str
    marked: bool = True  # "p. 45", not a bare "45" after the year (Chicago), which may be something else


@record
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
    year: str  # "2018", "2018a", "n.d.", "in press", "1890/1983"; "" for "(Harlow)" of an undated entry
    narrative: bool
    locator: Locator | None = None
    initials: str | None = None  # "J" in "(J. Brown, 2021)"
    abbreviation: str | None = None  # "WHO" in "(World Health Organization [WHO], 2019)"
    group: int = 0
    prefix: str = ""  # "e.g.", "see also", "as cited in"
    key: str | None = None  # the citation key of "\\citep{smith18}" or "[@smith18]"; the span is the key's
    command: str = ""  # the command or bracket the key stands in: "\\citep[p.~45]{smith18}", "[@smith18, p. 45]"
    status: str = ""  # a publication status after the year: "in revision" in "(2016, in revision)"
    # A weak reading: one unlisted name and a year with no comma ("(Orbix 2000)"), kept because the
    # text cites that way; what is said of it is never certain.
    weak: bool = False


def keyed_citation(
    span: Span,
    key: str,
    command: str,
    narrative: bool,
    locator: Locator | None,
    group: int,
    prefix: str = "",
    text: str | None = None,
) -> Citation:
    """A citation by key (LaTeX, Pandoc): its authors and year are the entry's, filled in once the
    bibliography is read; its text is the key as written (``text``, the key itself by default)."""
    return Citation(
        span=span,
        text=key if text is None else text,
        authors=(),
        etal=False,
        year="",
        narrative=narrative,
        locator=locator,
        group=group,
        prefix=prefix,
        key=key,
        command=command,
    )


@record
class Author:
    family: str
    initials: str = ""
    group: bool = False  # a corporate or group author ("World Health Organization")


@record
class Pages:
    first: str
    last: str | None = None


MAX_PAGE_DIGITS = 9  # a page, volume or issue number longer than this is no number to compare


def json_int(digits: str) -> int | str:
    """A JSON integer for ``json.loads(parse_int=...)``: kept as its digits when longer than any
    field needs (Python refuses to convert 4,300 digits or more)."""
    return int(digits) if len(digits) <= 18 else digits


def page_number(text: str) -> int | None:
    """The value of a page number written in ASCII digits, at most nine of them; else None (a
    superscript "²", a run of 5,000 digits, "e1002")."""
    if not text or len(text) > MAX_PAGE_DIGITS or not text.isascii() or not text.isdigit():
        return None
    return int(text)


@record
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
    origin: str = "list"  # "list" (the manuscript's own), "bibliography" (a file it names), "library" (--bib)

    @property
    def year_label(self) -> str:
        return (self.year or "n.d.") + self.suffix if self.year else ""

    @property
    def first_author(self) -> str | None:
        return self.authors[0].family if self.authors else None


@record
class Candidate:
    reference: int
    score: float


class LinkStatus(enum.Enum):
    EXACT = "exact"  # author(s) and year agree
    YEAR_MISMATCH = "year-mismatch"  # author agrees, year differs
    AUTHOR_MISMATCH = "author-misspelling"  # year agrees, name differs slightly
    AMBIGUOUS = "ambiguous"  # two or more references fit equally
    MISSING = "missing"  # nothing fits
    UNDATED = "undated"  # the author agrees; the entry gives no year to compare


@record
class Link:
    """What linking decided for one citation, with the evidence behind it."""

    citation: int
    status: LinkStatus
    reference: int | None
    candidates: tuple[Candidate, ...] = ()
    also: tuple[int, ...] = ()  # the other equally good references, when ambiguous
    # What decided the link: "text" (the cited names and year against the list), "key" (a
    # citation key), "field" (a reference-manager field naming the work: Zotero, Mendeley, EndNote).
    basis: str = "text"


@record
class Update:
    """A notice about a published work: a retraction, an expression of concern, a correction."""

    kind: str  # "retraction", "withdrawal", "removal", "expression_of_concern", "correction", ...
    source: str | None = None  # "retraction-watch", "publisher"
    doi: str | None = None  # the notice's own DOI
    date: str | None = None


@record
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
    updates: tuple[Update, ...] = ()  # the notices of this work ("updated-by")
    notice_of: tuple[Update, ...] = ()  # the works this record is itself a notice of ("update-to")
    # The work's other registered titles: its title with its subtitle ("Title: Subtitle", which
    # tells that the registry gives a subtitle), its original and translated titles, short titles.
    other_titles: tuple[str, ...] = ()
    preprint_of: tuple[str, ...] = ()  # DOIs of this preprint's published versions ("is-preprint-of")
    preprints: tuple[str, ...] = ()  # DOIs of this work's preprints ("has-preprint")

    @property
    def year(self) -> int | None:
        return self.years[0] if self.years else None


@record
class Mismatch:
    """One field on which the reference list and the registry disagree."""

    field: str  # year, title, authors, container, volume, issue, pages
    listed: str
    registry: str


@record
class Verification:
    """What the registries said about one reference."""

    reference: int
    status: str  # ok, metadata-mismatch, not-found, doi-invalid, doi-not-found, doi-mismatch, unverified
    record: Record | None = None
    score: float | None = None  # how well the record matches the reference, 0-100
    mismatches: tuple[Mismatch, ...] = ()
    detail: str = ""  # why a reference stayed unverified, what a wrong DOI resolves to
    registries: tuple[str, ...] = ()  # the registries that answered


@record
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
    # How sure the finding is: "certain" (only these are errors), "likely", "possible".
    confidence: str = "certain"


@record
class Document:
    """A manuscript split into its parts: the noise, and where the reference list is."""

    source: Source
    clean: str  # same length as source.text, extraction noise blanked out
    references: Span | None  # the reference list, heading excluded
    heading: Span | None = None
    noise: tuple[Span, ...] = ()


@record
class Unreadable:
    """An input of a batch that could not be audited, and why (one line)."""

    path: str
    reason: str
    status: str = "unreadable"


@record
class Rendered:
    """A document's report as the worker that audited it wrote it (a JSON line, the text of its
    findings), with what the run needs of it: the files it read, whether a finding reached
    ``--fail-on``, and its counts for the run's summary (a ``report.text.Tally``). A worker sends
    this, not the ``Report``: a few kilobytes of text instead of every object of the document."""

    path: str
    parts: tuple[str, ...]
    text: str
    failed: bool
    tally: object


@record
class Report:
    source: Source
    citations: tuple[Citation, ...]
    references: tuple[Reference, ...]
    links: tuple[Link, ...]
    findings: tuple[Finding, ...]
    reference_list: Span | None = None
    verifications: tuple[Verification, ...] | None = None  # None: not verified (the default)
    suppressed: int = 0  # findings that the manuscript's own suppression comments silenced
    baselined: int = 0  # findings that --baseline accepted

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)
