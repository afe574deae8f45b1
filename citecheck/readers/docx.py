"""Reading a DOCX manuscript: the text Word displays, in document order, as a ``Source``.

Input: the path of a ``.docx`` file (WordprocessingML in a zip). Output: a ``Source`` whose text is
laid out like a plain-text manuscript, so that every later stage reads it the same way:

* Each paragraph of the body, headings included, is one line, with a blank line between
  paragraphs. Empty paragraphs are left out, so line ``2n - 1`` of the text is the ``n``-th
  non-empty paragraph of the document; that is how a user finds a reported line in Word. A line
  break inside a paragraph (Shift+Enter) is a newline, so such a paragraph spans two lines; a page
  or column break inside a paragraph is a space.
* A table is one line per row, written as a Markdown row, ``| cell | cell |``, with a blank line
  between rows. A cell's paragraphs are joined by spaces. The leading ``|`` is deliberate:
  ``layout.find_noise`` never takes such a line for a running header, however often it recurs.
* Footnotes and then endnotes follow the body, under a line ``Notes``; each note is one paragraph
  (its own paragraphs joined by spaces). The note numbers are left out of both the body and the
  notes, so that a footnote mark after a year ("2018¹") does not read as "20181".
* The runs of a paragraph are joined, so a citation split over bold and italic runs is one piece
  of text. Tracked changes read as if accepted: insertions (``w:ins``, ``w:moveTo``) are read,
  deletions (``w:del``, ``w:moveFrom``) are not. Text formatted as hidden (``w:vanish``) is not read.
* A field (Zotero, Mendeley, EndNote, a cross-reference) reads as its displayed result, never its
  instruction. The ``Source``'s ``fields`` are the citations of its Zotero, Mendeley and EndNote
  fields, as CSL citation JSON (EndNote's XML records converted to it), each with the span of its
  displayed text in that same text.
* The ``Source``'s ``anchors`` (an ``Anchors``) say where each piece of the text was read from, so
  that an annotator can find a span's runs in the file again (``annotate/docx.py``).

Not read: text boxes, shapes and equations, comments, headers and footers. A file that cannot be
read raises ``InputError`` with one line naming it: not a zip or a corrupt one, a zip without
``word/document.xml``, a zip bomb, an XML part with a DTD (entity expansion), a password-protected
Office file, a plain-text file named ``.docx``.

The XML is parsed by ``defusedxml`` with DTDs forbidden (no DOCX part has one), and walked here
rather than through python-docx, whose ``paragraph.text`` reads deleted text and field instructions.
"""

from __future__ import annotations

import base64
import bisect
import io
import itertools
import json
import operator
import posixpath
import re
import zipfile
import zlib
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import Field, Source, make_source
from citecheck.read import _looks_binary, read_bytes

# Transitional (what Word writes) and Strict OOXML name the same elements in two namespaces.
_W = frozenset(
    {"http://schemas.openxmlformats.org/wordprocessingml/2006/main", "http://purl.oclc.org/ooxml/wordprocessingml/main"}
)
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

DOCUMENT = "word/document.xml"
MAX_TOTAL = 200 * 1024 * 1024  # uncompressed bytes of all members together, the same cap as a text file
MAX_RATIO = 100  # Word's parts compress 5 to 40 times; a bomb compresses a thousand times
# A member this small cannot hurt whatever its ratio, and a short run of repeated XML can compress
# more than 100 times; below this size the ratio is not held against a file.
RATIO_FLOOR = 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: Word 97-2003, or an encrypted DOCX
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML package keeps its keys in

# Elements whose children are read as if they stood in their place (inline content).
_INLINE_CONTAINERS = frozenset({"ins", "moveTo", "hyperlink", "smartTag", "customXml", "dir", "bdo"})
_INLINE_SKIPPED = frozenset({"del", "moveFrom"})  # tracked deletions: what the reader of the document no longer sees

# A Zotero or Mendeley citation field: "ADDIN ZOTERO_ITEM CSL_CITATION {json}", "ADDIN CSL_CITATION {json}".
_CSL_FIELD = regex(r"\s*ADDIN\s+(?:ZOTERO_ITEM\s+)?CSL_CITATION\b")
# An EndNote citation field: "ADDIN EN.CITE <EndNote>...</EndNote>", or "ADDIN EN.CITE" holding a
# nested "ADDIN EN.CITE.DATA" field whose ``w:fldData`` is the same XML in base64 (EndNote's form
# for long records).
_ENDNOTE_FIELD = regex(
    r"""
    \s*ADDIN\s+EN\.CITE\s*
    (?:<     # the record inline: "ADDIN EN.CITE <EndNote><Cite>..."
    | $      # the record in a nested EN.CITE.DATA field
    )
    """,
    re.VERBOSE,
)
_ENDNOTE_DATA = regex(r"\s*ADDIN\s+EN\.CITE\.DATA\b")
MAX_FIELD_DATA = 1024 * 1024  # decoded bytes of one EndNote field's record: a citation of a few works is a few KiB


@dataclass
class _Frame:
    """A field being read: its instruction until the separator, then its displayed result."""

    instruction: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # ``w:fldData``: base64, EndNote's records
    showing: bool = False  # past the separator: the displayed result, which is read
    start: tuple[int, int] | None = None  # (paragraph, offset) where the result starts


@dataclass(frozen=True, eq=False)
class Anchors:
    """Where each piece of a DOCX's text was read from: what an annotator needs to find a span's
    runs in the file again.

    A piece is the text the reader takes from one element: a ``w:t``'s text, the tab of a ``w:tab``,
    the newline of a ``w:br``, and so on. Pieces are numbered in the order the reader reads them,
    all parts together (the body, then the footnotes, then the endnotes), which is the order of
    ``text_elements``. Per piece, where its text starts in ``Source.text`` and how many of its
    characters are there (the white space at a paragraph's ends is stripped, an empty paragraph
    left out: such a piece can be shorter, or empty). The text between pieces is the reader's own
    (paragraph breaks, table bars, the "Notes" line). Arrays of 32-bit integers keep the memory at
    8 bytes a piece: a 1.3 MB manuscript of 50,000 runs costs 400 KB.
    """

    parts: tuple[str, ...]  # the XML parts read, in reading order: word/document.xml, the footnotes, the endnotes
    firsts: tuple[int, ...]  # the number of each part's first piece
    starts: array[int]  # per piece, ascending: where its first character stands in the text
    lengths: array[int]  # per piece: how many of its characters the text has
    skips: Mapping[int, int]  # pieces whose first characters were stripped (a paragraph's leading spaces): how many
    end: int  # the length of the text the pieces were read into; later offsets are another file's

    def part(self, piece: int) -> int:
        """The index in ``parts`` of the part a piece was read from."""
        return bisect.bisect_right(self.firsts, piece) - 1

    def locate(self, start: int, end: int) -> list[tuple[int, int, int, int]]:
        """The pieces the characters of ``text[start:end]`` were read from, in order, as (piece,
        offset in the text, first and last character in the piece's own text); empty when the span
        is not within the text. Characters the reader wrote itself belong to no piece."""
        if not 0 <= start < end <= self.end:
            return []
        starts, lengths = self.starts, self.lengths
        i = max(bisect.bisect_right(starts, start) - 1, 0)
        while i > 0 and starts[i - 1] + lengths[i - 1] > start:
            i -= 1
        out = []
        while i < len(starts) and starts[i] < end:
            first, stop = max(start, starts[i]), min(end, starts[i] + lengths[i])
            if first < stop:
                skip = self.skips.get(i, 0) - starts[i]
                out.append((i, first, first + skip, stop + skip))
            i += 1
        return out


@dataclass
class _Extracted:
    text: str
    fields: list[Field]
    notes: tuple[str, ...]
    anchors: Anchors


def read_docx(path: str) -> Source:
    """Read a DOCX manuscript; raises ``InputError`` with one line when the file cannot be read."""
    got = _extract(path)
    return make_source(
        got.text,
        path=path,
        encoding="docx",
        notes=got.notes,
        format="docx",
        fields=tuple(got.fields),
        paragraphs=True,
        anchors=got.anchors,
    )


def _extract(path: str) -> _Extracted:
    data = read_bytes(path, "DOCX")
    with open_package(path, data) as zf:
        document = _parse(path, zf, DOCUMENT)
        names = _note_parts(path, zf)
        notes_parts = [_parse(path, zf, name) for name in names]
    writer = _Writer()
    try:
        firsts = _walk(writer, document, notes_parts)
    except RecursionError:
        # Word nests tables and content controls a few levels deep; thousands of levels is a hostile file.
        raise InputError(f"{path}: is not a readable DOCX (its elements are nested too deeply)") from None
    text, fields, pieces = writer.finish()
    if not text.strip():
        raise InputError(f"{path}: the DOCX contains no text")
    starts, lengths, skips = pieces
    anchors = Anchors((DOCUMENT, *names), tuple(firsts), starts, lengths, skips, len(text))
    return _Extracted(text, fields, writer.notes(), anchors)


def _walk(writer: _Writer, document: Element, notes_parts: Sequence[Element]) -> list[int]:
    """Read the body, then the notes of each notes part, into ``writer``; returns the number of
    each part's first piece."""
    body = _child(document, "body")
    if body is not None:
        writer.blocks(body)
    writer.end_story()
    firsts = [0]
    notes = [[n for n in _children(part, "footnote", "endnote") if _is_note(n)] for part in notes_parts]
    if any(notes):
        writer.line("Notes")
    for part in notes:
        firsts.append(len(writer.piece_offsets))
        for note in part:
            writer.note(note)
    return firsts


def text_elements(document: Any, notes_parts: Sequence[Any]) -> list[tuple[Any, str]]:
    """Each element the reader takes text from, with the text it takes, in the order it reads them:
    the ``i``-th is the piece ``i`` of ``Anchors``. The parts may come from any parser with
    ElementTree's interface (the annotator's is lxml, which keeps the namespace prefixes); raises
    ``RecursionError`` on parts nested too deeply, as ``read_docx`` refuses them."""
    writer = _Writer(elements=[])
    _walk(writer, document, notes_parts)
    assert writer.elements is not None
    return writer.elements


def _endnote_citation(instruction: str, data: list[str]) -> dict[str, Any] | None:
    """An EndNote field's citation as CSL citation JSON, the form Zotero and Mendeley write, so that
    one reading of fields serves all three; None when its record cannot be read."""
    start = instruction.find("<")
    if start >= 0:
        xml = instruction[start:]
    else:
        encoded = "".join(data)
        if len(encoded) > MAX_FIELD_DATA * 4 // 3 + 4:
            return None
        try:
            raw = base64.b64decode(encoded.encode("ascii"), validate=False)
        except (ValueError, UnicodeEncodeError):
            return None
        if not raw or len(raw) > MAX_FIELD_DATA:
            return None
        xml = raw.decode("utf-8", errors="replace")
    if len(xml) > MAX_FIELD_DATA:
        return None
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except (ParseError, DefusedXmlException, LookupError, ValueError, RecursionError):
        return None  # a damaged record: its text is still read, only the certain link is lost
    items = [{"itemData": _endnote_item(cite)} for cite in root.iter("Cite")]
    return {"citationItems": items} if items else None


def _endnote_person(name: str) -> dict[str, str]:
    """CSL name data of an EndNote record's author: "Smith, Anna" or "Smith, A." is a family name and
    a given one; a group author is one name without a comma. Read by partition, as a regex that
    backtracks over the blanks before a comma is quadratic in a long name."""
    family, comma, given = name.partition(",")
    family, given = family.rstrip(), given.strip()
    if comma and family and "\n" not in given:
        return {"family": family.lstrip(), "given": given}
    return {"literal": name.strip(" ,")}


def _endnote_item(cite: Element) -> dict[str, Any]:
    """CSL item data of one ``<Cite>``: its record's authors (editors for an edited book), year,
    title and DOI; without a record, the cite's own author and year."""
    record = cite.find("record")  # EndNote's XML has no namespace

    def text(parent: Element | None, *path: str) -> list[str]:
        els = parent.findall("/".join(path)) if parent is not None else []
        return [t for t in ("".join(el.itertext()).strip() for el in els) if t]

    names = text(record, "contributors", "authors", "author") or text(record, "contributors", "secondary-authors", "author")
    names = names or text(cite, "Author")
    people = [_endnote_person(name) for name in names]
    years = text(record, "dates", "year") or text(cite, "Year")
    data: dict[str, Any] = {"author": people, "title": next(iter(text(record, "titles", "title")), "")}
    if years:
        data["issued"] = {"raw": years[0]}
    doi = text(record, "electronic-resource-num")
    if doi:
        data["DOI"] = doi[0]
    return data


def open_package(path: str, data: bytes) -> zipfile.ZipFile:
    """The archive, once it is known to be a DOCX that is safe to unpack."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise InputError(f"{path}: is a password-protected (encrypted) Office file; remove the password and save it again")
        raise InputError(f"{path}: is a Word 97-2003 (.doc) or other OLE file, not DOCX; save it as DOCX in Word")
    if not data:
        raise InputError(f"{path}: is empty, not a DOCX file")
    if not data.startswith(b"PK"):
        if not _looks_binary(data):
            raise InputError(f"{path}: is a plain-text file, not DOCX; read it as text (--from text)")
        raise InputError(f"{path}: is not a DOCX file (not a zip archive)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        members = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        # NotImplementedError: a zip that claims to need a later version of the format ("25.3")
        raise InputError(f"{path}: is not a readable DOCX (corrupt zip archive: {_reason(exc)})") from None
    names = {m.filename for m in members}
    if DOCUMENT not in names:
        # An OpenDocument file (LibreOffice, Google Docs' .odt export) names its type in a member
        # "mimetype" of a few dozen bytes.
        small = {m.filename for m in members if m.file_size < 100}
        if "mimetype" in small and _member(zf, "mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
            raise InputError(f"{path}: is an OpenDocument text (.odt), not DOCX; save it as DOCX or PDF")
        raise InputError(f"{path}: is a zip archive but not a DOCX (it has no {DOCUMENT})")
    # The sizes in the directory are what zipfile lets each member inflate to, so checking them
    # bounds the memory that reading can take, whatever the members really hold.
    total = sum(m.file_size for m in members)
    if total > MAX_TOTAL:
        raise InputError(f"{path}: unpacks to {total // (1024 * 1024)} MiB, more than the 200 MiB limit (a zip bomb?)")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1):
            ratio = m.file_size // max(m.compress_size, 1)
            raise InputError(f"{path}: member {m.filename} is compressed {ratio} times, more than {MAX_RATIO} (a zip bomb?)")
    return zf


# What reading a zip member can raise: RuntimeError for an encrypted member, NotImplementedError for
# an unknown compression method, the rest for damaged data.
UNPACK_ERRORS = (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError, NotImplementedError, ValueError)


def _member(zf: zipfile.ZipFile, name: str) -> bytes:
    """A member's bytes; none when it cannot be unpacked."""
    try:
        return zf.read(name)
    except UNPACK_ERRORS:
        return b""


def _parse(path: str, zf: zipfile.ZipFile, name: str) -> Element:
    """One XML part, parsed with DTDs (and so entity declarations) refused."""
    try:
        data = zf.read(name)
    except UNPACK_ERRORS as exc:
        raise InputError(f"{path}: is not a readable DOCX ({name} cannot be unpacked: {_reason(exc)})") from None
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise InputError(f"{path}: {name} declares a DTD, which no DOCX does; refused (an entity-expansion attack?)") from None
    except (ParseError, LookupError, ValueError) as exc:  # LookupError: an encoding no parser knows ("UTF-0")
        raise InputError(f"{path}: is not a readable DOCX ({name} is not well-formed XML: {_reason(exc)})") from None
    return root


def _note_parts(path: str, zf: zipfile.ZipFile) -> list[str]:
    """The footnotes and endnotes parts, footnotes first, as the document's relationships name them."""
    names = set(zf.namelist())
    found = {"footnotes": "word/footnotes.xml", "endnotes": "word/endnotes.xml"}
    rels_name = "word/_rels/document.xml.rels"
    if rels_name in names:
        rels = _parse(path, zf, rels_name)
        for rel in rels.iter(f"{{{_RELS}}}Relationship"):
            kind = rel.get("Type", "").rpartition("/")[2]
            target = rel.get("Target", "")
            if kind in found and target and rel.get("TargetMode") != "External":
                found[kind] = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join("word", target))
    return [found[k] for k in ("footnotes", "endnotes") if found[k] in names]


def _reason(exc: BaseException) -> str:
    # Library messages can run over lines; the report promises one.
    return " ".join(str(exc).split()) or type(exc).__name__


def _local(el: Element) -> str:
    """The local name of a WordprocessingML element; '' for any other namespace."""
    tag = el.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return ""
    ns, _, name = tag[1:].partition("}")
    if ns in _W:
        return name
    if ns == _MC:
        return "mc:" + name
    return ""


def _attr(el: Element, name: str) -> str | None:
    for ns in _W:
        value = el.get(f"{{{ns}}}{name}")
        if value is not None:
            return value
    return None


def _child(el: Element, name: str) -> Element | None:
    return next((c for c in el if _local(c) == name), None)


def _children(el: Element, *names: str) -> Iterator[Element]:
    return (c for c in el if _local(c) in names)


def _is_note(note: Element) -> bool:
    # The separator lines Word keeps among the notes are notes of another type.
    return _attr(note, "type") in (None, "normal")


def _is_on(el: Element | None) -> bool:
    """A WordprocessingML toggle property (``<w:vanish/>``) that is present and not switched off."""
    return el is not None and _attr(el, "val") not in ("0", "false", "off")


def _fallback(el: Element) -> Element | None:
    # Markup compatibility: a consumer that knows none of the Choices reads the Fallback, and this
    # reader knows none of them (they hold drawings and newer Word features, not running text).
    return next((c for c in el if _local(c) == "mc:Fallback"), None)


class _Writer:
    """Collects paragraphs in reading order and where fields' displayed text starts and ends.

    Positions are ``(paragraph, offset)`` pairs until ``finish`` lays the paragraphs out, because a
    paragraph's place in the text is known only once it is known whether it is empty.
    """

    def __init__(self, elements: list[tuple[Any, str]] | None = None) -> None:
        self.paragraphs: list[str] = []
        self.current: list[str] = []
        self.length = 0  # characters in ``current``
        self.flat = 0  # > 0 inside a table row or a note: paragraphs are joined by spaces on one line
        self.stack: list[_Frame] = []
        self.found: list[tuple[tuple[int, int], tuple[int, int], dict[str, Any]]] = []
        self.tracked = False
        self.hidden = False
        self.unbalanced = False
        # Each piece of text read from an element: its offset in its paragraph and its length; and
        # per paragraph, the number of pieces read when it ended (see ``Anchors``).
        self.piece_offsets = array("i")
        self.piece_lengths = array("i")
        self.paragraph_pieces = array("i")
        self.elements = elements  # the elements themselves, for the annotator

    # Blocks: paragraphs, tables, content controls.

    def blocks(self, parent: Element) -> None:
        for el in parent:
            name = _local(el)
            if name == "p":
                self.paragraph(el)
            elif name == "tbl":
                self.table(el)
            elif name in ("sdt", "customXml"):
                content = _child(el, "sdtContent") if name == "sdt" else el
                if content is not None:
                    self.blocks(content)
            elif name == "mc:AlternateContent":
                fallback = _fallback(el)
                if fallback is not None:
                    self.blocks(fallback)

    def paragraph(self, p: Element) -> None:
        if self.flat:
            # Inside a cell or a note: the next paragraph continues the same line after a space.
            if self.current and not self.current[-1].endswith(" "):
                self.emit(" ")
            self.inline(p)
            return
        self.inline(p)
        self.end_paragraph()

    def table(self, tbl: Element) -> None:
        for row in self._rows(tbl):
            # A table inside a cell or a note is read on its line, its cells' paragraphs spaced
            # like any paragraphs there.
            outer = not self.flat
            self.flat += 1
            if outer:
                self.emit("| ")
            for i, cell in enumerate(self._cells(row)):
                if i and outer:
                    self.emit(" | ")
                self.blocks(cell)
            self.flat -= 1
            if outer:
                self.emit(" |")
                if not "".join(self.current).strip(" |\t\n"):
                    self.current, self.length = [], 0  # a row of empty cells is left out, like an empty paragraph
                self.end_paragraph()

    def _rows(self, el: Element) -> Iterator[Element]:
        # Rows and cells can be wrapped in content controls and custom XML, like paragraphs.
        for c in el:
            name = _local(c)
            if name == "tr":
                yield c
            elif name in ("sdt", "customXml"):
                content = _child(c, "sdtContent") if name == "sdt" else c
                if content is not None:
                    yield from self._rows(content)

    def _cells(self, row: Element) -> Iterator[Element]:
        for c in row:
            name = _local(c)
            if name == "tc":
                yield c
            elif name in ("sdt", "customXml"):
                content = _child(c, "sdtContent") if name == "sdt" else c
                if content is not None:
                    yield from self._cells(content)

    def note(self, note: Element) -> None:
        self.flat += 1
        self.blocks(note)
        self.flat -= 1
        self.end_paragraph()
        self.end_story()

    def line(self, text: str) -> None:
        self.emit(text)
        self.end_paragraph()

    # Inline content: runs, and the elements that wrap them.

    def inline(self, parent: Element) -> None:
        for el in parent:
            name = _local(el)
            if name == "r":
                self.run(el)
            elif name in _INLINE_CONTAINERS:
                self.tracked = self.tracked or name in ("ins", "moveTo")
                self.inline(el)
            elif name in _INLINE_SKIPPED:
                self.tracked = True
            elif name == "sdt":
                content = _child(el, "sdtContent")
                if content is not None:
                    self.inline(content)
            elif name == "fldSimple":
                frame = _Frame([_attr(el, "instr") or ""], showing=True, start=self.here())
                self.stack.append(frame)
                self.inline(el)
                self.stack.pop()
                self.close(frame)
            elif name == "mc:AlternateContent":
                fallback = _fallback(el)
                if fallback is not None:
                    self.inline(fallback)

    def run(self, r: Element) -> None:
        props = _child(r, "rPr")
        hidden = props is not None and _is_on(_child(props, "vanish"))
        for el in r:
            name = _local(el)
            if name == "fldChar":
                self.field_char(_attr(el, "fldCharType"))
                data = _child(el, "fldData")
                if data is not None and data.text and self.stack and not self.stack[-1].showing:
                    self.stack[-1].data.append(data.text)
            elif name == "instrText":
                if self.stack and not self.stack[-1].showing:
                    self.stack[-1].instruction.append(el.text or "")
            elif hidden:
                self.hidden = self.hidden or (name == "t" and bool(el.text))
            elif not self.showing():
                continue
            elif name == "t":
                if el.text:
                    self.emit_from(el, el.text)
            elif name in ("tab", "ptab"):
                self.emit_from(el, "\t")
            elif name == "br":
                kind = _attr(el, "type")
                self.emit_from(el, "\n" if kind in (None, "textWrapping") and not self.flat else " ")
            elif name == "cr":
                self.emit_from(el, " " if self.flat else "\n")
            elif name == "noBreakHyphen":
                self.emit_from(el, "-")
            elif name == "mc:AlternateContent":
                fallback = _fallback(el)
                if fallback is not None:
                    self.run(fallback)
            # softHyphen, footnote and endnote marks, symbols in symbol fonts, drawings: no text.

    # Fields: begin, instruction, separate, displayed result, end; they nest and span paragraphs.

    def field_char(self, kind: str | None) -> None:
        if kind == "begin":
            self.stack.append(_Frame())
        elif kind == "separate" and self.stack:
            top = self.stack[-1]
            top.showing = True
            top.start = self.here()
        elif kind == "end" and self.stack:
            self.close(self.stack.pop())
        elif kind in ("separate", "end"):
            self.unbalanced = True

    def showing(self) -> bool:
        return all(f.showing for f in self.stack)

    def close(self, frame: _Frame) -> None:
        instruction = "".join(frame.instruction)
        if _ENDNOTE_DATA.match(instruction) and self.stack and not self.stack[-1].showing:
            self.stack[-1].data.extend(frame.data)  # the record of the EN.CITE field it is nested in
            return
        if frame.start is None or not self.showing():
            return
        if _ENDNOTE_FIELD.match(instruction):
            csl = _endnote_citation(instruction, frame.data)
            if csl is not None:
                self.found.append((frame.start, self.here(), csl))
            return
        if not _CSL_FIELD.match(instruction):
            return
        brace = instruction.find("{")
        if brace < 0:
            return
        try:
            csl, _ = json.JSONDecoder().raw_decode(instruction, brace)
        except (ValueError, RecursionError):
            return  # a damaged field: its text is still read, only the certain link is lost
        if isinstance(csl, dict):
            self.found.append((frame.start, self.here(), csl))

    def end_story(self) -> None:
        # A field never spans the body and a note; one left open by a damaged file must not hide
        # the rest of the text.
        if self.stack:
            self.unbalanced = True
            self.stack.clear()

    # Text.

    def emit(self, text: str) -> None:
        if text:
            self.current.append(text)
            self.length += len(text)

    def emit_from(self, el: Element, text: str) -> None:
        """Text read from an element of the file, a piece of ``Anchors``."""
        self.piece_offsets.append(self.length)
        self.piece_lengths.append(len(text))
        if self.elements is not None:
            self.elements.append((el, text))
        self.current.append(text)
        self.length += len(text)

    def here(self) -> tuple[int, int]:
        return len(self.paragraphs), self.length

    def end_paragraph(self) -> None:
        self.paragraphs.append("".join(self.current))
        self.paragraph_pieces.append(len(self.piece_offsets))
        self.current, self.length = [], 0

    def finish(self) -> tuple[str, list[Field], tuple[array[int], array[int], dict[int, int]]]:
        """The text, paragraphs stripped and separated by blank lines, the fields' spans in it, and
        the pieces' starts, lengths and skips in it (see ``Anchors``)."""
        if self.current:
            self.end_paragraph()
        kept: list[str] = []
        starts: list[int] = []  # per paragraph: its offset in the text (the next kept one's, if left out)
        leads: list[int] = []
        sizes: list[int] = []  # per paragraph: its length once stripped
        pos = 0
        for raw in self.paragraphs:
            stripped = raw.strip()
            leads.append(len(raw) - len(raw.lstrip()))
            sizes.append(len(stripped))
            if stripped:
                if kept:
                    pos += 2
                kept.append(stripped)
                starts.append(pos)
                pos += len(stripped)
            else:
                starts.append(pos + 2 if kept else 0)
        text = "\n\n".join(kept) + "\n" if kept else ""

        last = len(text.rstrip("\n"))

        def offset(where: tuple[int, int]) -> int:
            para, off = where
            if para >= len(self.paragraphs):
                return last
            return min(starts[para] + min(max(off - leads[para], 0), sizes[para]), last)

        fields: list[Field] = [(offset(a), offset(b), csl) for a, b, csl in self.found]
        return text, fields, self._pieces(starts, leads, sizes, last)

    def _pieces(
        self, starts: list[int], leads: list[int], sizes: list[int], last: int
    ) -> tuple[array[int], array[int], dict[int, int]]:
        """Each piece's place in the text laid out by ``finish``: its start, how many of its
        characters the text kept, and (when the paragraph's leading white space cut it) how many
        it lost at its front."""
        offsets, lengths, ends = self.piece_offsets, self.piece_lengths, self.paragraph_pieces
        # Most paragraphs lose nothing to stripping: their pieces keep their offsets, shifted by
        # where the paragraph starts, and their lengths. That is done for all pieces at once, in C,
        # which keeps the cost to a few milliseconds for a book; then the pieces of the paragraphs
        # that were stripped (or left out) are cut to what the text kept of them.
        counts = list(map(operator.sub, ends, itertools.chain((0,), ends)))
        shifts = itertools.chain.from_iterable(map(itertools.repeat, map(operator.sub, starts, leads), counts))
        out_starts = array("i", map(operator.add, shifts, offsets))
        out_lengths = array("i", lengths)
        skips: dict[int, int] = {}
        raw_sizes = map(len, self.paragraphs)
        for para, (raw, size, count) in enumerate(zip(raw_sizes, sizes, counts, strict=True)):
            if not count or (raw == size and size):
                continue
            lead, base = leads[para], starts[para]
            for i in range(ends[para] - count, ends[para]):
                # The piece's characters in the stripped paragraph: [off - lead, off + length - lead) cut to [0, size).
                off = offsets[i]
                start, stop = min(max(off - lead, 0), size), min(max(off + lengths[i] - lead, 0), size)
                out_starts[i] = min(base + start, last)
                out_lengths[i] = stop - start
                if off < lead and start < stop:
                    skips[i] = lead - off
        return out_starts, out_lengths, skips

    def notes(self) -> tuple[str, ...]:
        out = []
        if self.tracked:
            out.append("the DOCX has tracked changes; it was read as if they were accepted (deletions left out)")
        if self.hidden:
            out.append("text formatted as hidden was left out")
        if self.unbalanced:
            out.append("the DOCX has damaged fields; the text around them may be incomplete")
        return tuple(out)
