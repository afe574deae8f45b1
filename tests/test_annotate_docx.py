"""The annotated DOCX copy: one Word comment per finding, on exactly the cited text, the rest of the
file untouched; and the reader's anchors that find the text in the file again.

Every DOCX is built here (tests/make_docx.py); the copies are read back with python-docx (the
comments), lxml (where each comment's range lies), citecheck itself (the same findings again) and,
when it is installed, LibreOffice (it opens the copy and sees the same comments on the same text).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import shutil
import struct
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from make_docx import NS, Doc, csl_citation, deleted, footnote_mark, inserted, run, with_document_xml, zotero

from citecheck.annotate import anchor, note_text
from citecheck.annotate.docx import annotated_docx
from citecheck.errors import InputError
from citecheck.model import Finding, Report, Severity, Span
from citecheck.pipeline import audit_source
from citecheck.readers import read_document
from citecheck.readers.docx import read_docx, text_elements

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_ID = f"{{{W}}}id"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

REFERENCES = [
    "Adams, P., & Okafor, N. (2019). Tidal restoration of reclaimed farmland. Estuarine Ecology, 41(2), 101–118.",
    "Castillo, M. (2017). Sediment budgets of realigned marshes. Marine Geology, 390, 12–25.",
    "Nguyen, H. (2018). Accretion rates at twelve realignment sites. Estuaries and Coasts, 41(5), 1300–1315.",
    "Quist, R. (2011). Salt pans that nobody cites. Wetlands, 31, 1–9.",
]


def _hyperlink(doc: Doc, inner: str) -> str:
    rid = doc.doc.part.relate_to("https://example.org/marsh", RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    return f'<w:hyperlink r:id="{rid}" xmlns:r="{R}">{inner}</w:hyperlink>'


def _manuscript() -> Doc:
    """A manuscript with a finding in every place a citation sits in Word: across bold and italic
    runs, in the middle of a run, in a tracked insertion, in a Zotero field, in a hyperlink, in a
    table cell, in a footnote; and an entry nothing cites."""
    doc = Doc().heading("Tidal marsh recovery", 0).heading("Introduction")
    # A year that differs, over three runs; a missing work inside one run.
    doc.para("Realignment restores flooding (", ("Adams", "b"), " & ", ("Okafor", "i"), ", ", ("2018", "bi"), ").")
    doc.para(("Early schemes were slow (Bergström, 2015) and costly.", "b"))
    doc.xml(
        run("Sediment limited them ")
        + deleted("(Olsen, 2012) ")
        + inserted("(Castillo, 2016) ")
        + run("as fields show ")
        + zotero("(Castillo, 2017; Nguyen, 2017)", csl_citation(("CAST", "Castillo", 2017), ("NGUY", "Nguyen", 2017)))
        + run(".")
        + footnote_mark(doc.footnote("Measured as in Nguyen (2019)."))
    )
    doc.xml(run("See ") + _hyperlink(doc, run("Moreau (2020)")) + run(" online."))
    doc.table([["Site", "Study"], ["Marsh A", "Patel (2014)"]])
    doc.heading("References")
    for entry in REFERENCES:
        doc.para(entry)
    return doc


def _audit(path: Path) -> Report:
    return audit_source(read_document(str(path)))


def _annotate(tmp_path: Path, doc: Doc) -> tuple[Path, Path, Report, int]:
    source, copy = tmp_path / "paper.docx", tmp_path / "paper-annotated.docx"
    doc.save(source)
    report = _audit(source)
    data, count = annotated_docx(report)
    copy.write_bytes(data)
    return source, copy, report, count


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def _ranges(path: Path, part: str = "word/document.xml") -> dict[int, str]:
    """Each comment's anchored text: the ``w:t`` text between its range start and end."""
    root = etree.fromstring(_member(path, part))
    open_: dict[int, list[str]] = {}
    done: dict[int, str] = {}
    for el in root.iter(f"{{{W}}}commentRangeStart", f"{{{W}}}commentRangeEnd", f"{{{W}}}t"):
        name = etree.QName(el).localname
        if name == "commentRangeStart":
            open_[int(el.get(W_ID))] = []
        elif name == "commentRangeEnd":
            done[int(el.get(W_ID))] = "".join(open_.pop(int(el.get(W_ID))))
        else:
            for texts in open_.values():
                texts.append(el.text or "")
    assert not open_, "a comment range is never closed"
    return done


def _references(path: Path) -> list[int]:
    root = etree.fromstring(_member(path, "word/document.xml"))
    return [int(el.get(W_ID)) for el in root.iter(f"{{{W}}}commentReference")]


def _count(path: Path, name: str, part: str = "word/document.xml") -> int:
    return sum(1 for _ in etree.fromstring(_member(path, part)).iter(f"{{{W}}}{name}"))


def _placed(report: Report) -> list[Finding]:
    """The findings that have a place in the body (the copy leaves out those in notes)."""
    notes = report.source.text.find("\n\nNotes\n\n")
    out = []
    for f in report.findings:
        span = anchor(report, f)
        if span is not None and (notes < 0 or span.start < notes):
            out.append(f)
    return out


def test_one_comment_per_finding_on_exactly_its_text(tmp_path: Path) -> None:
    _, copy, report, count = _annotate(tmp_path, _manuscript())
    text = report.source.text
    expected = _placed(report)
    cited = {text[anchor(report, f).start : anchor(report, f).end] for f in expected}
    # Every kind of place is among them, or the test would prove less than it says.
    assert {"Adams & Okafor, 2018", "Bergström, 2015", "Castillo, 2016", "Moreau (2020)", "Patel (2014)"} <= cited
    assert any(t.startswith("Quist, R. (2011)") for t in cited)
    assert count == len(expected)

    comments = list(docx.Document(str(copy)).comments)
    assert len(comments) == count
    ranges = _ranges(copy)
    assert sorted(ranges) == sorted(c.comment_id for c in comments) == sorted(_references(copy))
    for comment, f in zip(comments, expected, strict=True):
        span = anchor(report, f)
        assert (comment.author, comment.initials) == ("citecheck", "cc")
        assert comment.text == note_text(f) == f"{f.message}\n\n{f.suggestion}"
        assert ranges[comment.comment_id] == text[span.start : span.end]


def test_comment_ranges_keep_the_runs_formatting(tmp_path: Path) -> None:
    _, copy, _, _ = _annotate(tmp_path, _manuscript())
    root = etree.fromstring(_member(copy, "word/document.xml"))
    ns = {"w": W}
    # The citation in the middle of a bold run: the run was split in three, each part still bold.
    starts = list(root.iter(f"{{{W}}}commentRangeStart"))
    [start] = [el for el in starts if el.getnext().findtext("w:t", namespaces=ns) == "Bergström, 2015"]
    runs = [r for r in start.getparent().iterfind("w:r", ns) if r.find("w:t", ns) is not None]
    assert [r.findtext("w:t", namespaces=ns) for r in runs] == ["Early schemes were slow (", "Bergström, 2015", ") and costly."]
    assert runs[1] is start.getnext()
    for r in runs:
        assert r.find("w:rPr/w:b", ns) is not None
        assert r.find("w:t", ns).get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    # The citation over bold, plain and italic runs: its range starts at the bold one.
    [adams] = [el for el in starts if el.getnext().findtext("w:t", namespaces=ns) == "Adams"]
    assert adams.getnext().find("w:rPr/w:b", ns) is not None
    # The range in a tracked insertion stays in it; the reference mark follows the insertion.
    [ins] = root.iter(f"{{{W}}}ins")
    assert ins.find("w:commentRangeStart", ns) is not None and ins.find("w:commentRangeEnd", ns) is not None
    assert ins.getnext().find("w:commentReference", ns) is not None
    # The range in a hyperlink stays in it; the mark follows the link, not inside it.
    [link] = root.iter(f"{{{W}}}hyperlink")
    assert link.find("w:commentRangeEnd", ns) is not None and link.find(".//w:commentReference", ns) is None
    assert link.getnext().find("w:commentReference", ns) is not None
    # The range in the Zotero field's result; the mark after the field's end, where a refresh of
    # the field cannot take it away.
    [field_end] = [el.getparent() for el in root.iter(f"{{{W}}}fldChar") if el.get(f"{{{W}}}fldCharType") == "end"]
    assert field_end.getnext().find("w:commentReference", ns) is not None


def test_the_rest_of_the_file_is_kept(tmp_path: Path) -> None:
    doc = _manuscript()
    source = tmp_path / "paper.docx"
    doc.save(source)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    report = _audit(source)
    data, _ = annotated_docx(report)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # the input is only read
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)

    with zipfile.ZipFile(source) as old, zipfile.ZipFile(copy) as new:
        names = new.namelist()
        assert names[0] == "[Content_Types].xml"
        assert names == [*old.namelist(), "word/comments.xml"]
        changed = {"[Content_Types].xml", "word/document.xml", "word/_rels/document.xml.rels"}
        for name in old.namelist():
            if name not in changed:
                assert new.read(name) == old.read(name), name
    # Tracked changes, fields, links, tables, notes: as many as before.
    for name in ("ins", "del", "delText", "instrText", "fldChar", "hyperlink", "tbl", "footnoteReference", "b", "i"):
        assert _count(copy, name) >= _count(source, name) > 0, name
    for name in ("ins", "del", "delText", "instrText", "fldChar", "hyperlink", "tbl", "footnoteReference"):
        assert _count(copy, name) == _count(source, name), name
    assert _member(copy, "word/footnotes.xml") == _member(source, "word/footnotes.xml")
    # The namespace prefixes Word relies on (mc:Ignorable names them) are the same.
    old_root, new_root = (etree.fromstring(_member(p, "word/document.xml")) for p in (source, copy))
    assert new_root.nsmap == old_root.nsmap
    ignorable = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Ignorable"
    assert new_root.get(ignorable) == old_root.get(ignorable) == "w14 wp14"
    # The comments part is related and typed as Word relates and types it.
    rels = _member(copy, "word/_rels/document.xml.rels").decode()
    assert rels.count("relationships/comments") == 1 and 'Target="comments.xml"' in rels
    types = _member(copy, "[Content_Types].xml").decode()
    assert 'PartName="/word/comments.xml"' in types and "wordprocessingml.comments+xml" in types


def test_re_auditing_the_copy_finds_the_same(tmp_path: Path) -> None:
    source, copy, report, _ = _annotate(tmp_path, _manuscript())
    again = _audit(copy)
    assert again.source.text == report.source.text  # comments are not read as text
    assert [(f.rule, f.message, f.span) for f in again.findings] == [(f.rule, f.message, f.span) for f in report.findings]
    assert read_docx(str(copy)).fields == read_docx(str(source)).fields


def test_findings_in_notes_are_left_out(tmp_path: Path) -> None:
    _, copy, report, count = _annotate(tmp_path, _manuscript())
    in_notes = [f for f in report.findings if f.span and "Nguyen (2019)" in report.source.text[f.span.start : f.span.end]]
    assert in_notes, "the footnote's citation has a finding"
    assert all(f not in _placed(report) for f in in_notes)
    assert count == len(_placed(report)) < len([f for f in report.findings if anchor(report, f)])
    assert _count(copy, "commentRangeStart", "word/footnotes.xml") == 0


def test_existing_comments_are_kept_and_ids_stay_unique(tmp_path: Path) -> None:
    doc = Doc().para("Marshes recover (Smith, 2017).").para("An earlier remark is here.")
    doc.doc.add_comment(doc.doc.paragraphs[1].runs, text="Check this paragraph.", author="Editor", initials="ED")
    doc.heading("References").para("Smith, A. (2018). Marshes. Wetlands, 1, 1–2.")
    _, copy, report, count = _annotate(tmp_path, doc)
    assert count == 1
    comments = list(docx.Document(str(copy)).comments)
    assert [(c.author, c.text) for c in comments] == [
        ("Editor", "Check this paragraph."),
        ("citecheck", note_text(report.findings[0])),
    ]
    assert len({c.comment_id for c in comments}) == 2
    assert _ranges(copy) == {comments[0].comment_id: "An earlier remark is here.", comments[1].comment_id: "Smith, 2017"}
    assert _member(copy, "word/_rels/document.xml.rels").decode().count("relationships/comments") == 1
    assert _member(copy, "[Content_Types].xml").decode().count("/word/comments.xml") == 1


def test_overlapping_and_nested_findings(tmp_path: Path) -> None:
    """Two findings on one citation and one on a part of it: each range on its own text, the run
    cut once at every end."""
    source = tmp_path / "paper.docx"
    Doc().para(("Marshes recover (Smith, 2017) slowly.", "i")).heading("References").para(
        "Smith, A. (2018). Marshes. Wetlands, 1, 1–2."
    ).save(source)
    report = _audit(source)
    [year] = [f for f in report.findings if f.kind == "year-mismatch"]
    start = report.source.text.index("2017")
    inner = dataclasses.replace(year, span=Span(start, start + 4), message="The year \x07alone.", suggestion=None)
    report = dataclasses.replace(report, findings=(year, year, inner))
    data, count = annotated_docx(report)
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)
    assert count == 3
    comments = list(docx.Document(str(copy)).comments)
    assert [c.text for c in comments][2] == "The year alone."  # a control character XML cannot hold is dropped
    assert [_ranges(copy)[c.comment_id] for c in comments] == ["Smith, 2017", "Smith, 2017", "2017"]
    assert _audit(copy).source.text == report.source.text


def test_a_span_over_two_paragraphs_is_anchored_from_first_run_to_last(tmp_path: Path) -> None:
    source = tmp_path / "paper.docx"
    Doc().para("First paragraph ends here.").para("Second one starts.").save(source)
    report = _audit(source)
    text = report.source.text
    span = Span(text.index("ends"), text.index(" starts"))
    finding = Finding("CC999", "test", Severity.NOTE, "Across.", span=span, citation=0)
    data, count = annotated_docx(dataclasses.replace(report, findings=(finding,)))
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)
    assert count == 1
    assert list(_ranges(copy).values()) == ["ends here.Second one"]


def test_text_that_differs_is_not_guessed_at(tmp_path: Path) -> None:
    """The file changed after it was read: a finding whose text is no longer there is left out."""

    def doc(name: str) -> Doc:
        return Doc().para(f"One ({name}, 2015) and two (Jones, 2016).").heading("References").para(REFERENCES[0])

    source = tmp_path / "paper.docx"
    doc("Smith").save(source)
    report = _audit(source)
    assert len(_placed(report)) == 3  # two missing works, an uncited entry
    doc("Smyth").save(source)
    data, count = annotated_docx(report)
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)
    assert count == 2
    assert list(_ranges(copy).values()) == ["Jones, 2016", REFERENCES[0]]
    # A file with other runs altogether: nothing can be trusted, nothing is written.
    Doc().para("One (Smith, 2015) and ", "two (Jones, 2016).").heading("References").para(REFERENCES[0]).save(source)
    assert annotated_docx(report) == (source.read_bytes(), 0)


def test_no_finding_no_change(tmp_path: Path) -> None:
    source, _, report, count = _annotate(tmp_path, Doc().para("Nothing is cited here."))
    assert count == 0
    assert annotated_docx(report)[0] == source.read_bytes()


def _repack(source: Path, target: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """A copy of a package with each member changed by ``change`` (None leaves it out)."""
    with zipfile.ZipFile(source) as zf, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name in zf.namelist():
            data = change(name, zf.read(name))
            if data is not None:
                out.writestr(name, data)


MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'


@pytest.mark.parametrize(
    ("build", "placed"),
    [
        pytest.param(
            lambda p: Doc().para("One (Smith, 2015).").save(p),
            ["Smith, 2015"],
            id="plain",
        ),
        pytest.param(
            # The reader reads the fallback of a markup-compatibility choice, which Word skips when it
            # knows the choice: a comment there would be lost, so none is written.
            lambda p: (
                Doc()
                .xml(
                    f"<mc:AlternateContent {MC}><mc:Choice Requires='w14'>{run('One (Smith, 2015).')}</mc:Choice>"
                    f"<mc:Fallback>{run('One (Smith, 2015).')}</mc:Fallback></mc:AlternateContent>"
                )
                .save(p)
            ),
            [],
            id="in-a-fallback",
        ),
        pytest.param(
            lambda p: with_document_xml(
                p,
                '<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>'
                f"<w:p>{run('One (Smith, 2015).')}</w:p></w:body></w:document>",
            ),
            ["Smith, 2015"],
            id="strict-ooxml",
        ),
    ],
)
def test_where_a_comment_can_go(tmp_path: Path, build: Callable[[Path], None], placed: list[str]) -> None:
    source = tmp_path / "paper.docx"
    build(source)
    report = _audit(source)
    assert len(_placed(report)) == 1  # the citation of a manuscript with no reference list
    data, count = annotated_docx(report)
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)
    assert count == len(placed)
    if not placed:
        assert data == source.read_bytes()
        return
    root = etree.fromstring(_member(copy, "word/document.xml"))
    w = etree.QName(root).namespace
    texts = [el.getnext().findtext(f"{{{w}}}t") for el in root.iter(f"{{{w}}}commentRangeStart")]
    assert texts == placed
    comments = etree.fromstring(_member(copy, "word/comments.xml"))
    assert etree.QName(comments).namespace == w
    assert _audit(copy).source.text == report.source.text


def test_a_package_without_content_types_gets_one_first(tmp_path: Path) -> None:
    built, source = tmp_path / "built.docx", tmp_path / "paper.docx"
    Doc().para("One (Smith, 2015).").save(built)
    _repack(built, source, lambda name, data: None if name == "[Content_Types].xml" else data)
    data, count = annotated_docx(_audit(source))
    copy = tmp_path / "copy.docx"
    copy.write_bytes(data)
    assert count == 1
    assert zipfile.ZipFile(copy).namelist()[0] == "[Content_Types].xml"
    assert b'PartName="/word/comments.xml"' in _member(copy, "[Content_Types].xml")


def test_a_damaged_member_is_one_line(tmp_path: Path) -> None:
    """A member the reader never reads (the thumbnail) that cannot be unpacked: the copy cannot
    be made, and the error says so in one line, never a traceback."""
    source = tmp_path / "paper.docx"
    Doc().para("One (Smith, 2015).").save(source)
    data = bytearray(source.read_bytes())
    with zipfile.ZipFile(source) as zf:
        info = zf.getinfo("docProps/thumbnail.jpeg")
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)  # the local header's
    start = info.header_offset + 30 + name_length + extra_length
    for i in range(start, start + min(info.compress_size, 64)):
        data[i] ^= 0x5A
    source.write_bytes(bytes(data))
    report = _audit(source)
    with pytest.raises(InputError) as caught:
        annotated_docx(report)
    message = str(caught.value)
    assert message.startswith(f"{source}: cannot be annotated (docProps/thumbnail.jpeg cannot be unpacked")
    assert "\n" not in message


def test_the_comments_date_can_be_fixed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "paper.docx"
    Doc().para("One (Smith, 2015).").save(source)
    report = _audit(source)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, _ = annotated_docx(report)
    assert annotated_docx(report)[0] == first
    copy = tmp_path / "copy.docx"
    copy.write_bytes(first)
    assert b'w:date="2023-11-14T22:13:20Z"' in _member(copy, "word/comments.xml")


# The reader's anchors: every piece of text the reader read is found again where it came from.


def _check_anchors(path: Path) -> None:
    source = read_docx(str(path))
    anchors = source.anchors
    with zipfile.ZipFile(path) as zf:
        roots = [etree.fromstring(zf.read(name)) for name in anchors.parts]
    elements = text_elements(roots[0], roots[1:])
    assert len(elements) == len(anchors.starts) == len(anchors.lengths)
    text = source.text
    covered = bytearray(len(text))
    end = 0
    for i, (_, piece) in enumerate(elements):
        start, length, skip = anchors.starts[i], anchors.lengths[i], anchors.skips.get(i, 0)
        assert start >= end or length == 0  # in order, never overlapping
        assert text[start : start + length] == piece[skip : skip + length]
        covered[start : start + length] = b"\x01" * length
        end = max(end, start + length)
    # What no piece covers is the reader's own: paragraph breaks, table bars, the "Notes" line.
    own = "".join(ch for ch, c in zip(text, covered, strict=True) if not c)
    assert set(own.replace("Notes", "")) <= set("\n |"), repr(own)
    # locate() gives each piece back, and each finding's span its pieces.
    for i in range(len(elements)):
        start, length, skip = anchors.starts[i], anchors.lengths[i], anchors.skips.get(i, 0)
        if length:
            assert anchors.locate(start, start + length) == [(i, start, skip, skip + length)]
    for f in audit_source(source).findings:
        if f.span is not None and f.span.end <= anchors.end:
            found = anchors.locate(f.span.start, f.span.end)
            assert "".join(elements[p][1][a:b] for p, _, a, b in found) == "".join(
                text[pos : pos + b - a] for _, pos, a, b in found
            )


TAB = "<w:r><w:tab/></w:r>"
BR = "<w:r><w:br/></w:r>"


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: Doc().para("   Leading and trailing   ").para("").para("(Smith, 2018)"), id="stripped-and-empty"),
        pytest.param(lambda: Doc().xml(run("  ") + run("  Spaces first (Smith, 2018)") + run("  ")), id="spaces-over-runs"),
        pytest.param(lambda: Doc().xml(run("Tab") + TAB + run("and") + BR + run("break (Smith, 2018).")), id="tab-and-break"),
        pytest.param(lambda: Doc().table([["a", " b "], ["", ""], ["Smith\n(2018)", "x"]]).para("After."), id="table"),
        pytest.param(lambda: _manuscript(), id="manuscript-with-notes"),
        pytest.param(lambda: Doc().xml(run("   ")).para("Only one (Smith, 2018)."), id="blank-first-paragraph"),
    ],
)
def test_anchors_find_every_piece(tmp_path: Path, build: Callable[[], Doc]) -> None:
    path = tmp_path / "paper.docx"
    build().save(path)
    _check_anchors(path)


_WORDS = st.sampled_from(["", " ", "  ", "\u00a0", "Smith", "(2018)", "x y", " (Lee, 2020) ", "\t"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paragraphs=st.lists(st.lists(_WORDS, max_size=5), min_size=1, max_size=6), tab=st.booleans())
def test_anchors_property(tmp_path: Path, paragraphs: list[list[str]], tab: bool) -> None:
    """Any paragraphs of runs, blank ones, white space at their ends: the anchors give each piece
    back (an empty document, which the reader refuses, is skipped)."""
    body = "".join(
        "<w:p>" + "".join(run(word) + (TAB if tab and i == 1 else "") for i, word in enumerate(words)) + "</w:p>"
        for words in paragraphs
    )
    if not "".join("".join(words) for words in paragraphs).strip():
        return
    path = tmp_path / "paper.docx"
    with_document_xml(path, f"<w:document {NS}><w:body>{body}</w:body></w:document>")
    _check_anchors(path)


# LibreOffice: the copy opens, converts, and shows the same comments on the same text.


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        reason = "LibreOffice (soffice) is not installed"
        if os.environ.get("CITECHECK_REQUIRE_OFFICE") == "1":
            pytest.fail(f"CITECHECK_REQUIRE_OFFICE=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    return found


def _convert(soffice: str, path: Path, fmt: str, tmp_path: Path) -> Path:
    out = tmp_path / f"out-{fmt}"
    # A profile of its own: LibreOffice writes one, and the user's HOME may not be writable.
    profile = f"-env:UserInstallation=file://{tmp_path}/lo"
    done = subprocess.run(
        [soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(out), str(path)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    converted = out / f"{path.stem}.{fmt}"
    assert done.returncode == 0 and converted.exists(), done.stdout + done.stderr
    return converted


def test_libreoffice_opens_the_copy(tmp_path: Path) -> None:
    soffice = _soffice()
    _, copy, report, count = _annotate(tmp_path, _manuscript())
    pdf = _convert(soffice, copy, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF-")
    # Through OpenDocument, where LibreOffice writes what it understood: each comment, by its
    # author, on the text between its start and its end.
    odt = _convert(soffice, copy, "odt", tmp_path)
    with zipfile.ZipFile(odt) as zf:
        content = etree.parse(io.BytesIO(zf.read("content.xml")))
    ns = {
        "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
        "dc": "http://purl.org/dc/elements/1.1/",
    }
    ours = [a for a in content.iterfind(".//office:annotation", ns) if a.findtext("dc:creator", namespaces=ns) == "citecheck"]
    assert len(ours) == count
    seen = []
    for a in ours:
        name = a.get(f"{{{ns['office']}}}name")
        between = content.xpath(
            "//text()[preceding::office:annotation[@office:name=$n] and following::office:annotation-end[@office:name=$n]"
            " and not(ancestor::office:annotation)]",
            namespaces=ns,
            n=name,
        )
        seen.append("".join(between))
    # LibreOffice reads a field's result as a field mark, which holds no comment range: a comment
    # on a citation inside a Zotero field is shown at the field's end instead, on no text.
    text, fields = report.source.text, report.source.fields
    expected = []
    for f in _placed(report):
        span = anchor(report, f)
        in_field = any(start <= span.start and span.end <= end for start, end, _ in fields)
        expected.append("" if in_field else text[span.start : span.end])
    assert "" in expected and seen == expected
