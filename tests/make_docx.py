"""Building the DOCX files the DOCX reader tests read: with python-docx, and by hand where it cannot.

Input: what a document holds, block by block (headings, paragraphs of formatted runs, tables, raw
WordprocessingML for tracked changes and fields, footnotes and endnotes). Output: a ``.docx`` file
at the given path. python-docx writes the package and the paragraphs it knows; tracked changes,
complex fields (Zotero, Mendeley, EndNote) and notes it has no API for are written here as XML and
patched into the package. The hostile files (zip bombs, entity expansion, a corrupt zip, an
encrypted Office file, a text file named ``.docx``) are built from a valid package or from bytes.
"""

from __future__ import annotations

import base64
import io
import json
import os
import struct
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.oxml import parse_xml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = f'xmlns:w="{W}"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml"

# A run is its text, or its text and its formatting: "b" bold, "i" italic, "bi" both.
Run = str | tuple[str, str]


# WordprocessingML fragments, for what python-docx cannot write.


def run(text: str, fmt: str = "") -> str:
    """One run of text, bold and/or italic."""
    props = ("<w:b/>" if "b" in fmt else "") + ("<w:i/>" if "i" in fmt else "")
    return f'<w:r>{f"<w:rPr>{props}</w:rPr>" if props else ""}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def inserted(text: str) -> str:
    """A tracked insertion."""
    return f'<w:ins w:id="901" w:author="Reviewer" w:date="2024-05-01T10:00:00Z">{run(text)}</w:ins>'


def deleted(text: str) -> str:
    """A tracked deletion: the run keeps its text in ``w:delText``."""
    return (
        '<w:del w:id="902" w:author="Reviewer" w:date="2024-05-01T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>'
    )


def field(instruction: str, shown: str) -> str:
    """A complex field as Word writes it: begin, instruction in 255-character runs, separate, result, end."""
    chunks = [instruction[i : i + 255] for i in range(0, len(instruction), 255)] or [""]
    instr = "".join(f'<w:r><w:instrText xml:space="preserve">{escape(c)}</w:instrText></w:r>' for c in chunks)
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        + instr
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run(shown)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def csl_citation(*items: tuple[str, str, int]) -> dict[str, Any]:
    """A CSL citation object like Zotero's: one item per (key, family name, year)."""
    return {
        "citationID": "a1b2c3",
        "properties": {"formattedCitation": "", "plainCitation": "", "noteIndex": 0},
        "citationItems": [
            {
                "id": n,
                "uris": [f"http://zotero.org/users/1/items/{key}"],
                "itemData": {
                    "id": n,
                    "type": "article-journal",
                    "title": f"Work by {family}",
                    "author": [{"family": family}],
                    "issued": {"date-parts": [[year]]},
                },
            }
            for n, (key, family, year) in enumerate(items, 1)
        ],
        "schema": "https://github.com/citation-style-language/schema/raw/master/csl-citation.json",
    }


def zotero(shown: str, csl: dict[str, Any]) -> str:
    return field(f"ADDIN ZOTERO_ITEM CSL_CITATION {json.dumps(csl)}", shown)


def mendeley(shown: str, csl: dict[str, Any]) -> str:
    return field(f"ADDIN CSL_CITATION {json.dumps(csl)}", shown)


def endnote(shown: str, author: str, year: int) -> str:
    record = f"<EndNote><Cite><Author>{author}</Author><Year>{year}</Year><RecNum>1</RecNum></Cite></EndNote>"
    return field(f" ADDIN EN.CITE {record}", shown)


def endnote_record(family: str, given: str, year: int, title: str) -> str:
    """One ``<Cite>`` of an EndNote field with its record, names in EndNote's ``<style>`` runs."""
    return (
        f"<Cite><Author>{family}</Author><Year>{year}</Year><RecNum>7</RecNum><record><rec-number>7</rec-number>"
        f'<contributors><authors><author><style face="normal" font="default" size="100%">{family}, {given}</style>'
        f"</author></authors></contributors><titles><title>{title}</title></titles>"
        f"<dates><year>{year}</year></dates></record></Cite>"
    )


def endnote_field(shown: str, *cites: str, base64_data: bool = False) -> str:
    """An EndNote citation field: the XML in the instruction, or (``base64_data``) in the
    ``w:fldData`` of a nested ``ADDIN EN.CITE.DATA`` field, as EndNote writes long records."""
    xml = "<EndNote>" + "".join(cites) + "</EndNote>"
    if not base64_data:
        return field(f" ADDIN EN.CITE {xml}", shown)
    data = base64.b64encode(xml.encode()).decode()
    nested = (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:fldData xml:space="preserve">{data}</w:fldData></w:fldChar></w:r>'
        '<w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE.DATA </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> ADDIN EN.CITE </w:instrText></w:r>'
        + nested
        + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        + run(shown)
        + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def footnote_mark(note_id: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'


def endnote_mark(note_id: int) -> str:
    return f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:endnoteReference w:id="{note_id}"/></w:r>'


class Doc:
    """A document being written; ``save`` writes the package."""

    def __init__(self) -> None:
        self.doc = docx.Document()
        self.footnotes: list[str] = []
        self.endnotes: list[str] = []

    def heading(self, text: str, level: int = 1) -> Doc:
        self.doc.add_heading(text, level)
        return self

    def para(self, *runs: Run) -> Doc:
        p = self.doc.add_paragraph()
        for r in runs:
            text, fmt = (r, "") if isinstance(r, str) else r
            added = p.add_run(text)
            added.bold = "b" in fmt or None
            added.italic = "i" in fmt or None
        return self

    def table(self, rows: Sequence[Sequence[str]]) -> Doc:
        t = self.doc.add_table(rows=len(rows), cols=len(rows[0]))
        for row, cells in zip(t.rows, rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=True):
                # A cell's paragraphs are separated by newlines in the table given here.
                first, *rest = text.split("\n")
                cell.paragraphs[0].text = first
                for more in rest:
                    cell.add_paragraph(more)
        return self

    def xml(self, inner: str) -> Doc:
        """A paragraph written as WordprocessingML: ``inner`` is what goes inside ``<w:p>``."""
        p = parse_xml(f"<w:p {NS}>{inner}</w:p>")
        body = self.doc.element.body
        body.insert(len(body) - 1, p)  # before the section properties, which close the body
        return self

    def footnote(self, text: str) -> int:
        """Add a footnote; returns its id, for ``footnote_mark``."""
        self.footnotes.append(text)
        return len(self.footnotes)

    def endnote(self, text: str) -> int:
        self.endnotes.append(text)
        return len(self.endnotes)

    def save(self, path: str | os.PathLike[str]) -> None:
        buf = io.BytesIO()
        self.doc.save(buf)
        data = buf.getvalue()
        if self.footnotes or self.endnotes:
            data = _with_notes(data, self.footnotes, self.endnotes)
        with open(path, "wb") as fh:
            fh.write(data)


def _notes_part(kind: str, texts: Sequence[str]) -> str:
    # Word keeps two separator "notes" (ids -1 and 0) before the real ones; the reader must skip them.
    tag = kind[:-1]  # footnote, endnote
    ref = f"<w:r><w:rPr><w:vertAlign w:val='superscript'/></w:rPr><w:{tag}Ref/></w:r>"
    seps = (
        f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
        f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{tag}>'
    )
    notes = "".join(
        f'<w:{tag} w:id="{i}"><w:p>{ref}{run(" " + first)}</w:p>{"".join(f"<w:p>{run(t)}</w:p>" for t in rest)}</w:{tag}>'
        for i, (first, *rest) in enumerate((t.split("\n") for t in texts), 1)
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:{kind} {NS}>{seps}{notes}</w:{kind}>'


def _with_notes(data: bytes, footnotes: Sequence[str], endnotes: Sequence[str]) -> bytes:
    """The package with footnote and endnote parts added, related and typed as Word does."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            parts[name] = zf.read(name)
    rels = parts["word/_rels/document.xml.rels"].decode()
    types = parts["[Content_Types].xml"].decode()
    for n, (kind, texts) in enumerate((("footnotes", footnotes), ("endnotes", endnotes)), 1):
        if not texts:
            continue
        parts[f"word/{kind}.xml"] = _notes_part(kind, texts).encode()
        rel = f'<Relationship Id="rIdN{n}" Type="{_REL}/{kind}" Target="{kind}.xml"/>'
        rels = rels.replace("</Relationships>", rel + "</Relationships>")
        types = types.replace("</Types>", f'<Override PartName="/word/{kind}.xml" ContentType="{_CT}.{kind}+xml"/></Types>')
    parts["word/_rels/document.xml.rels"] = rels.encode()
    parts["[Content_Types].xml"] = types.encode()
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in parts.items():
            zf.writestr(name, content)
    return buf.getvalue()


def _parts(doc: Doc) -> dict[str, bytes]:
    buf = io.BytesIO()
    doc.doc.save(buf)
    with zipfile.ZipFile(buf) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _small() -> Doc:
    return Doc().para("As shown (Smith, 2018).")


# Hostile and broken files.


def zip_bomb(path: str | os.PathLike[str], mib: int = 20) -> None:
    """A valid DOCX with a member of ``mib`` MiB of zeros, which deflate shrinks about a thousand times."""
    parts = _parts(_small())
    parts["word/media/padding.bin"] = bytes(mib * 1024 * 1024)
    with open(path, "wb") as fh:
        fh.write(_zip(parts))


def lying_zip_bomb(path: str | os.PathLike[str]) -> None:
    """A small DOCX whose central directory claims that document.xml unpacks to 4 GiB."""
    buf = io.BytesIO()
    _small().doc.save(buf)
    data = bytearray(buf.getvalue())
    # Central directory entries start with PK\x01\x02; the uncompressed size is at offset 24, the
    # name (whose length is at offset 28) at offset 46.
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 0xFFFF0000)
        pos = data.find(b"PK\x01\x02", pos + 4)
    with open(path, "wb") as fh:
        fh.write(bytes(data))


def with_document_xml(path: str | os.PathLike[str], document: str) -> None:
    """A valid package whose word/document.xml is replaced by the given XML."""
    parts = _parts(_small())
    parts["word/document.xml"] = document.encode()
    with open(path, "wb") as fh:
        fh.write(_zip(parts))


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + f"]>\n<w:document {NS}><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
)

EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    f"<w:document {NS}><w:body><w:p><w:r><w:t>&secret;</w:t></w:r></w:p></w:body></w:document>"
)


def truncated_zip(path: str | os.PathLike[str]) -> None:
    """A DOCX cut in half, as an interrupted download leaves it: no central directory."""
    buf = io.BytesIO()
    _small().doc.save(buf)
    data = buf.getvalue()
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 2])


def damaged_member(path: str | os.PathLike[str]) -> None:
    """A DOCX whose word/document.xml has garbage in its compressed bytes; the directory is intact."""
    buf = io.BytesIO()
    _small().doc.save(buf)
    data = bytearray(buf.getvalue())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("word/document.xml")
    name_len, extra_len = struct.unpack_from("<HH", data, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    with open(path, "wb") as fh:
        fh.write(bytes(data))


def ole_file(path: str | os.PathLike[str], encrypted: bool = True) -> None:
    """The start of an OLE compound file: what Word saves a password-protected DOCX (or a .doc) as.

    Only what the reader looks at is real: the signature, and for an encrypted package the name of
    its ``EncryptionInfo`` stream in the directory, in UTF-16.
    """
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    name = ("EncryptionInfo" if encrypted else "WordDocument").encode("utf-16-le")
    with open(path, "wb") as fh:
        fh.write(header + name + bytes(512 - len(name)))


def zip_without_document(path: str | os.PathLike[str], mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> None:
    """A zip that is not a DOCX: an OpenDocument text (by default) has content.xml, not word/document.xml."""
    with open(path, "wb") as fh:
        fh.write(_zip({"mimetype": mimetype, "content.xml": b"<office:document/>"}))
