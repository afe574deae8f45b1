"""The annotated copy of a DOCX manuscript: the same document with one Word comment per finding,
on exactly the text the finding is about.

Input: a ``Report`` whose source was read by ``readers/docx.py``. Output: the copy's bytes and the
number of comments written; the input file is only read. Each comment's author is "citecheck"
(initials "cc"), its text the finding's message, an empty paragraph, then its suggestion (as
``note_text`` gives them, a paragraph a line), dated now (or at ``SOURCE_DATE_EPOCH``, for a copy
that is the same bytes each time). It is written as Word writes one: a ``w:commentRangeStart``
before the first run of the text, a ``w:commentRangeEnd`` after its last, a ``w:commentReference``
run after that, and the comment in ``word/comments.xml`` (appended to the document's own when it
has comments, with new ids), related from the document and typed in ``[Content_Types].xml``.

Finding the text: the reader's ``Anchors`` say which piece of which part each character was read
from, and ``text_elements`` walks the parts exactly as the reader does to find those elements
again. A run that holds more than the text is split at the text's ends (each part keeps the run's
``w:rPr``, its ``w:t`` keeps ``xml:space="preserve"``); nothing else in the copy changes. Formatting,
styles, fields (Zotero, Mendeley, EndNote), tracked changes, hyperlinks and the rest are kept as
they are, and every zip member but the ones written here is copied unchanged, in the same order,
``[Content_Types].xml`` first. The XML is parsed and written by lxml, which keeps each namespace
prefix (``mc:Ignorable`` names prefixes; ElementTree would rename them and break the file).

Where comments go:

* A citation inside a tracked insertion, a hyperlink, a field's result or a content control gets
  its range there; the reference mark goes after the insertion, link, field or control, where
  refreshing a field or following a link cannot take it away.
* A citation in a table cell gets its comment in its cell. One in a footnote or an endnote gets
  none: Word allows comments there, but LibreOffice (7.4) refuses to open a DOCX with a comment
  mark in a note at all, and the copy must open wherever the reviewer works. Those findings are in
  the report, and are not counted.
* A span over two paragraphs (a reference entry's first line never is; a citation cannot be) is
  anchored from its first run to its last, as Word anchors a selection.
* A finding is left out, never guessed at, when its text is not where the reader found it (the
  file changed since it was read), when it begins or ends on text the reader wrote itself (a table's
  bars), crosses from one part into another, or begins or ends inside an element that is not a
  run's own (text in a markup-compatibility fallback). Findings about the document as a whole, or
  about a bibliography file beside it, have no place in the copy (``annotate.anchor``).
"""

from __future__ import annotations

import copy
import datetime
import io
import itertools
import os
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from citecheck.annotate import anchor, note_text
from citecheck.errors import CitecheckError, InputError
from citecheck.model import Finding, Report
from citecheck.read import read_bytes
from citecheck.readers.docx import DOCUMENT, UNPACK_ERRORS, Anchors, open_package, read_docx, text_elements

try:
    from lxml import etree
except ImportError as exc:  # pragma: no cover - lxml comes with python-docx, in the docx extra
    raise CitecheckError("install citecheck[docx] to write annotated DOCX files (they need lxml)") from exc

AUTHOR, INITIALS = "citecheck", "cc"

_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_COMMENTS_REL = {
    "transitional": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
    "strict": "http://purl.oclc.org/ooxml/officeDocument/relationships/comments",
}
_COMMENTS_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
CONTENT_TYPES = "[Content_Types].xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"

# Elements a run can stand in whose content is the paragraph's own: a comment's reference mark goes
# after them rather than into them (a refreshed field or an accepted insertion would take it along).
_WRAPPERS = frozenset({"ins", "moveTo", "hyperlink", "smartTag", "customXml", "dir", "bdo", "fldSimple", "sdtContent", "sdt"})
# What XML 1.0 cannot hold; a message quoting a manuscript's stray control character must not break the part.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class _Placed:
    """A finding whose text was found: its first piece and offset there, its last piece and the
    offset after its last character."""

    finding: Finding
    first: tuple[int, int]
    last: tuple[int, int]


def annotated_docx(report: Report) -> tuple[bytes, int]:
    """The DOCX of a report's manuscript with a comment on the text of each finding that has one,
    and the number of comments written; the input's own bytes when no finding could be placed."""
    src = report.source
    path = src.path
    if path is None:
        raise CitecheckError("--annotate needs the DOCX file itself, not text")
    anchors = src.anchors if isinstance(src.anchors, Anchors) else read_docx(path).anchors
    data = read_bytes(path, "DOCX")
    with open_package(path, data) as zf:
        members = {info.filename: info for info in zf.infolist()}
        if any(name not in members for name in anchors.parts):
            return data, 0  # the file is no longer the one that was read
        trees = {name: _parse(path, name, _read(path, zf, name)) for name in anchors.parts}
        roots = [trees[name].getroot() for name in anchors.parts]
        try:
            elements = text_elements(roots[0], roots[1:])
        except RecursionError:
            raise InputError(f"{path}: is not a readable DOCX (its elements are nested too deeply)") from None
        if len(elements) != len(anchors.starts):
            return data, 0  # the file changed since it was read: no piece can be trusted
        placed = [p for f in report.findings if (p := _place(report, f, anchors, elements)) is not None]
        if not placed:
            return data, 0
        package = _Package(path, zf, members)
        count = package.comment(placed, anchors, elements, trees)
        return package.write(), count


def _read(path: str, zf: zipfile.ZipFile, member: str | zipfile.ZipInfo) -> bytes:
    try:
        return zf.read(member)
    except UNPACK_ERRORS as exc:
        name = member.filename if isinstance(member, zipfile.ZipInfo) else member
        raise InputError(f"{path}: cannot be annotated ({name} cannot be unpacked: {_reason(exc)})") from None


def _parse(path: str, name: str, data: bytes) -> Any:
    """One part as an lxml tree. The reader has refused a DTD already; lxml's own guards go on top:
    no entity is expanded, nothing is fetched, nesting deeper than libxml2's default (256 levels)
    is an error."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"{path}: cannot be annotated ({name} is not XML lxml can read: {_reason(exc)})") from None
    if tree.docinfo.doctype:
        raise InputError(f"{path}: {name} declares a DTD, which no DOCX does; refused (an entity-expansion attack?)")
    return tree


def _reason(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _place(report: Report, f: Finding, anchors: Anchors, elements: Sequence[tuple[Any, str]]) -> _Placed | None:
    """Where a finding's comment goes, once its text is found where the reader read it; else None."""
    span = anchor(report, f)
    if span is None:
        return None
    found = anchors.locate(span.start, span.end)
    if not found or anchors.part(found[0][0]) != 0:
        return None  # not in the body: a comment in a note makes the file one LibreOffice cannot open
    (first, at, a, _), (last, last_at, last_a, b) = found[0], found[-1]
    if at != span.start or last_at + b - last_a != span.end or anchors.part(first) != anchors.part(last):
        return None
    text = report.source.text
    for piece, pos, lo, hi in found:
        if elements[piece][1][lo:hi] != text[pos : pos + hi - lo]:
            return None
    if not (_placeable(elements[first][0]) and _placeable(elements[last][0])):
        return None
    return _Placed(f, (first, a), (last, b))


def _local(el: Any) -> str:
    """The local name of an element ('' for a comment or processing instruction)."""
    tag = el.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(el: Any) -> str:
    return el.tag[1:].partition("}")[0]


def _placeable(el: Any) -> bool:
    """Whether a comment can begin or end at a text element: it is a run's own, and not in the
    fallback of a markup-compatibility choice, which Word does not read when it knows the choice
    (a range there would be lost, and the comment with it)."""
    parent = el.getparent()
    if parent is None or _local(parent) != "r" or _namespace(parent) != _namespace(el):
        return False
    return not any(_local(a) == "Fallback" and _namespace(a) == _MC for a in parent.iterancestors())


class _Package:
    """The zip being copied, and the parts of it that change."""

    def __init__(self, path: str, zf: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> None:
        self.path = path
        self.zf = zf
        self.members = members
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}

    def comment(
        self, placed: Sequence[_Placed], anchors: Anchors, elements: Sequence[tuple[Any, str]], trees: dict[str, Any]
    ) -> int:
        """Mark each placed finding's text in its part and write its comment; returns how many."""
        document = trees[DOCUMENT].getroot()
        w = _namespace(document)
        comments_name, comments = self._comments_part(w)
        date = _date()
        ids = _Ids([*trees.values(), comments])
        # First every run that a comment begins or ends in is split there, once for all comments;
        # only then are the marks placed, so that no split moves a mark already placed.
        cuts: dict[int, set[int]] = {}
        for p in placed:
            cuts.setdefault(p.first[0], set()).add(p.first[1])
            cuts.setdefault(p.last[0], set()).add(p.last[1])
        fragments = {piece: _split(elements[piece][0], elements[piece][1], offsets, ids) for piece, offsets in cuts.items()}
        starts: dict[Any, list[int]] = {}
        ends: dict[Any, list[int]] = {}
        for p in placed:
            cid = ids.next()
            starts.setdefault(fragments[p.first[0]][p.first[1]][0].getparent(), []).append(cid)
            ends.setdefault(fragments[p.last[0]][p.last[1]][1].getparent(), []).append(cid)
            comments.getroot().append(_comment(comments.getroot(), cid, note_text(p.finding), date))
        for run, cids in starts.items():
            for cid in cids:
                run.addprevious(_element(run, "commentRangeStart", id=cid))
        for run, cids in ends.items():
            mark = run
            for cid in cids:
                end = _element(run, "commentRangeEnd", id=cid)
                mark.addnext(end)
                mark = end
            after = _reference_place(mark)
            for cid in cids:
                reference = _reference_run(run, cid)
                after.addnext(reference)
                after = reference
        touched = {anchors.parts[anchors.part(piece)] for piece in cuts}
        for name in touched:
            self.changed[name] = _serialize(trees[name])
        target = self.changed if comments_name in self.members else self.added
        target[comments_name] = _serialize(comments)
        return len(placed)

    def _comments_part(self, w: str) -> tuple[str, Any]:
        """The comments part (name and tree): the document's own, else a new one, related from the
        document and typed in the content types."""
        rels = self._tree(DOCUMENT_RELS) if DOCUMENT_RELS in self.members else None
        if rels is None:
            rels = etree.ElementTree(etree.Element(f"{{{_RELS}}}Relationships", nsmap={None: _RELS}))
        kind = _COMMENTS_REL["strict" if w == _STRICT else "transitional"]
        name = None
        for rel in rels.getroot():
            if rel.get("Type") in _COMMENTS_REL.values() and rel.get("TargetMode") != "External" and rel.get("Target"):
                name = _target(rel.get("Target"))
                break
        if name is None:
            name = _free_name(self.members, "word/comments{}.xml")
            used = {rel.get("Id") for rel in rels.getroot()}
            rel_id = next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)
            rels.getroot().append(
                etree.Element(f"{{{_RELS}}}Relationship", Id=rel_id, Type=kind, Target=posixpath.relpath(name, "word"))
            )
            self._set(DOCUMENT_RELS, _serialize(rels))
        if name in self.members:
            comments = self._tree(name)
        else:
            comments = etree.ElementTree(etree.Element(f"{{{w}}}comments", nsmap={"w": w}))
        self._content_type(name)
        return name, comments

    def _content_type(self, name: str) -> None:
        if CONTENT_TYPES in self.members:
            types = self._tree(CONTENT_TYPES)
        else:  # no package opens without one; the copy gets one that types at least what it adds
            types = etree.ElementTree(etree.Element(f"{{{_TYPES}}}Types", nsmap={None: _TYPES}))
        root = types.getroot()
        part = "/" + name
        if any((o.get("PartName") or "").lower() == part.lower() for o in root if _local(o) == "Override"):
            return
        root.append(etree.Element(f"{{{_TYPES}}}Override", PartName=part, ContentType=_COMMENTS_TYPE))
        self._set(CONTENT_TYPES, _serialize(types))

    def _tree(self, name: str) -> Any:
        data = self.changed.get(name) or self.added.get(name) or _read(self.path, self.zf, name)
        return _parse(self.path, name, data)

    def _set(self, name: str, data: bytes) -> None:
        (self.changed if name in self.members else self.added)[name] = data

    def write(self) -> bytes:
        """The copy: every member in its place, ``[Content_Types].xml`` first, the new ones last."""
        entries: list[tuple[zipfile.ZipInfo, zipfile.ZipInfo | bytes]] = []
        for info in self.zf.infolist():
            entries.append((_copy_info(info), self.changed.get(info.filename, info)))
        stamp = self.members[DOCUMENT].date_time
        for name, data in self.added.items():
            new = zipfile.ZipInfo(name, stamp)
            new.compress_type = zipfile.ZIP_DEFLATED
            entries.append((new, data))
        entries.sort(key=lambda entry: entry[0].filename != CONTENT_TYPES)  # stable: the rest keep their order
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as zo:
            for info, content in entries:
                zo.writestr(info, content if isinstance(content, bytes) else _read(self.path, self.zf, content))
        return out.getvalue()


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A member's entry as it was (name, time, compression, attributes), for its copy."""
    copied = zipfile.ZipInfo(info.filename, info.date_time)
    copied.compress_type = info.compress_type
    copied.external_attr = info.external_attr
    copied.create_system = info.create_system
    copied.comment = info.comment
    return copied


def _target(target: str) -> str:
    """A relationship target of the document, as a member name."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("word", target))


def _free_name(members: Iterable[str], pattern: str) -> str:
    taken = set(members)
    return next(name for n in ["", *range(2, len(taken) + 3)] if (name := pattern.format(n)) not in taken)


class _Ids:
    """Fresh ``w:id`` values: above every one the parts use, so that neither a new comment nor a
    copied revision mark (a ``w:rPrChange`` in a split run's properties) repeats one."""

    def __init__(self, trees: Iterable[Any]) -> None:
        top = -1
        for tree in trees:
            root = tree.getroot()
            attribute = f"{{{_namespace(root)}}}id"
            for el in root.iter():
                value = el.get(attribute) if isinstance(el.tag, str) else None
                if value is not None and value.lstrip("-").isdigit() and len(value) < 10:
                    top = max(top, int(value))
        self.last = top

    def next(self) -> int:
        self.last += 1
        return self.last


def _split(el: Any, text: str, offsets: set[int], ids: _Ids) -> dict[int, tuple[Any, Any]]:
    """Cut a text element at ``offsets`` and give each fragment a run of its own; returns, per
    offset, the fragment beginning there (for a comment's start) and the one ending there (for its
    end)."""
    bounds = sorted({0, len(text), *(o for o in offsets if 0 < o < len(text))})
    fragments = [el]
    if len(bounds) > 2:
        el.text = text[: bounds[1]]
        el.set(_XML_SPACE, "preserve")
        previous = el
        for lo, hi in itertools.pairwise(bounds[1:]):
            fragment = el.makeelement(el.tag, dict(el.attrib))
            fragment.text = text[lo:hi]
            fragment.set(_XML_SPACE, "preserve")
            previous.addnext(fragment)
            previous = fragment
            fragments.append(fragment)
    for fragment in fragments:
        _isolate(fragment, ids)
    at: dict[int, tuple[Any, Any]] = {}
    for i, offset in enumerate(bounds):
        begins = fragments[i] if i < len(fragments) else None
        ending = fragments[i - 1] if i else None
        at[offset] = (begins, ending)
    return at


def _isolate(child: Any, ids: _Ids) -> None:
    """Make ``child`` the only content of its run, the rest of the run going into copies of it
    before and after (same properties), so that a mark can stand right before or after it."""
    run = child.getparent()
    after = list(child.itersiblings())
    if after:
        rest = _copy_run(run, ids)
        rest.extend(after)
        run.addnext(rest)
    if any(_local(c) != "rPr" for c in child.itersiblings(preceding=True)):
        own = _copy_run(run, ids)
        own.append(child)
        run.addnext(own)


def _copy_run(run: Any, ids: _Ids) -> Any:
    """An empty run with the properties of ``run``."""
    new = run.makeelement(run.tag, dict(run.attrib))
    props = next((c for c in run if _local(c) == "rPr"), None)
    if props is not None:
        props = copy.deepcopy(props)
        attribute = f"{{{_namespace(run)}}}id"
        for el in props.iter():
            if isinstance(el.tag, str) and el.get(attribute) is not None:
                el.set(attribute, str(ids.next()))  # a formatting revision: each has its own id
        new.append(props)
    return new


def _element(beside: Any, name: str, **attributes: int | str) -> Any:
    w = _namespace(beside)
    return beside.makeelement(f"{{{w}}}{name}", {f"{{{w}}}{k}": str(v) for k, v in attributes.items()})


def _reference_run(beside: Any, cid: int) -> Any:
    """The run of a comment's reference mark, styled as Word styles it."""
    w = _namespace(beside)
    run = _element(beside, "r")
    props = etree.SubElement(run, f"{{{w}}}rPr")
    etree.SubElement(props, f"{{{w}}}rStyle", {f"{{{w}}}val": "CommentReference"})
    etree.SubElement(run, f"{{{w}}}commentReference", {f"{{{w}}}id": str(cid)})
    return run


def _reference_place(mark: Any) -> Any:
    """The element after which a comment's reference run goes, its range ending at ``mark``: out of
    any insertion, link, content control or simple field around it, to the paragraph, and past the
    end of any complex field (a Zotero citation) whose result the range ends in."""
    node = mark
    while (parent := node.getparent()) is not None and _local(parent) in _WRAPPERS:
        node = parent
    if parent is None or _local(parent) != "p":
        return mark
    place, depth = node, 0
    for sibling in node.itersiblings():
        for el in sibling.iter():
            if _local(el) != "fldChar":
                continue
            kind = next((v for k, v in el.attrib.items() if k.endswith("}fldCharType")), None)
            if kind == "begin":
                depth += 1
            elif kind == "end":
                if depth:
                    depth -= 1
                else:
                    place = sibling  # the end of a field the range ends in
    return place


def _date() -> str:
    """When the comments were written, as Word dates them (LibreOffice shows a comment without a
    date as of the year 0); ``SOURCE_DATE_EPOCH`` (seconds) fixes it, as reproducible builds do."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    when = datetime.datetime.now(datetime.UTC)
    if epoch.isdigit() and len(epoch) < 12:
        when = datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _comment(comments: Any, cid: int, text: str, date: str) -> Any:
    """One ``w:comment``: a paragraph a line, the first with the annotation mark, as Word writes it."""
    w = _namespace(comments)

    def attrs(**values: str) -> dict[str, str]:
        return {f"{{{w}}}{k}": v for k, v in values.items()}

    comment = etree.Element(f"{{{w}}}comment", attrs(id=str(cid), author=AUTHOR, date=date, initials=INITIALS))
    for i, line in enumerate(_NOT_XML.sub("", text).split("\n")):
        p = etree.SubElement(comment, f"{{{w}}}p")
        props = etree.SubElement(p, f"{{{w}}}pPr")
        etree.SubElement(props, f"{{{w}}}pStyle", attrs(val="CommentText"))
        if i == 0:
            mark = etree.SubElement(p, f"{{{w}}}r")
            etree.SubElement(etree.SubElement(mark, f"{{{w}}}rPr"), f"{{{w}}}rStyle", attrs(val="CommentReference"))
            etree.SubElement(mark, f"{{{w}}}annotationRef")
        if line:
            r = etree.SubElement(p, f"{{{w}}}r")
            t = etree.SubElement(r, f"{{{w}}}t")
            t.text = line
            t.set(_XML_SPACE, "preserve")
    return comment


def _serialize(tree: Any) -> bytes:
    # Word declares every part standalone; a part built here says so too.
    standalone = tree.docinfo.standalone
    data: bytes = etree.tostring(
        tree, xml_declaration=True, encoding="UTF-8", standalone=True if standalone is None else standalone
    )
    return data
