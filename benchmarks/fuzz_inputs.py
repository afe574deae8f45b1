"""The inputs ``benchmarks/fuzz.py`` feeds citecheck: seed cases built from ``fixtures/`` and the test
helpers, and hypothesis strategies for the damage done to them.

A case is what one audit reads: a manuscript and the files beside it that it names or is given
(a ``.bib``, CSL-JSON, an ``\\input`` file), as bytes by relative path, written to a folder before
each run. The damage is what broken, converted and hostile files carry: flipped bytes, truncation,
pieces of other fixtures spliced in, a chunk repeated, numbers made huge or foreign, lines moved,
another encoding, and tokens inserted (digit runs, unbalanced brackets and braces, control and
bidi characters, unicode digits, markup of every format read).

Strategies draw a recipe (a seed and a list of operations whose positions are fractions of the
content), and the fuzzer carries it out (``Recipe.case``, ``TextRecipe.text``) when it runs the
input; so drawing is cheap whatever the file, and hypothesis shrinks a failure towards the seed
with fewer and simpler operations.
"""

from __future__ import annotations

import functools
import io
import re
import sys
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
sys.path.insert(0, str(ROOT / "tests"))  # make_docx, make_pdf and one_source build the binary seeds

MAX_FILE = 200 * 1024  # a damaged file is cut here: the point is hostility, not size
SCALE = 1 << 20  # positions are drawn as n / SCALE of the content, so a recipe fits any file
_SPREAD = 0x9E3779B1  # hypothesis draws small and boundary numbers often: spread them over the file


@dataclass(frozen=True)
class Case:
    """One input: files by relative path, the first the manuscript, and those given as ``--bib``."""

    target: str
    files: Mapping[str, bytes]
    bibs: tuple[str, ...] = ()
    argv: tuple[str, ...] = ()  # the CLI target's options, "{dir}" standing for the folder

    @property
    def main(self) -> str:
        return next(iter(self.files))

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())

    def write(self, folder: Path) -> Path:
        """Write the files under ``folder``; returns the manuscript's path."""
        for name, data in self.files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        return folder / self.main


# Tokens that have broken, or could break, a reader or the finder: runs that make a pattern
# backtrack or a number overflow, brackets that never close, characters that are digits or line
# breaks to Unicode but not to ASCII, and the markup of every format citecheck reads.
HOSTILE = [
    "(", ")", "[", "]", "{", "}", "(" * 5000, ")" * 5000, "[" * 5000, "{" * 3000, "}" * 3000, "({[" * 1000,
    "9" * 5000, "2018" * 1500, "0" * 400, "١٩٩٨", "２０１８", "²⁰¹⁸", "𝟐𝟎𝟏𝟖", "߂߀߁߈", "Ⅻ",
    "\x00", "\x07", "\x0b", "\x0c", "\x1b[2J", "\x7f", "\x85", "\u2028", "\u2029", "\r", "\r\n", "\t",
    "\ufeff", "\u200b", "\u202e", "\u0301" * 200, "e\u0301" * 50, "\ufffd", "\U0001f600", "ǅ", "ß", "İ",
    " et al." * 1000, "Smith, " * 2000, "Smith and " * 1000, "(Smith, 2018", "Smith (2018", "(Smith, 2018, p. " + "9" * 400 + ")",
    "(Smith, 2018, pp. 1–" + "9" * 40 + ")", "(n.d.)", "(in press)", "(1890/1983)", "(2018a, 2018b)", "(, )", "(;)",
    "\n\nReferences\n\n", "\nReferences\n", "\n\nBibliography\n\n", "\n\n", "\n" * 500, " " * 5000, "-\n",
    "Smith, J. (2018). T. J, 1(2), 3–4.\n", "Smith, J. (" + "9" * 30 + "). T. J, " + "1" * 30 + ", 3–4.\n",
    "&", "&amp;", "&#0;", "&#x110000;", "&#xD800;", "&lt;", "&nbsp;", "<", ">", "<![CDATA[", "]]>", "<!--", "-->",
    '<!DOCTYPE a [<!ENTITY e "x">]>', "&e;", '<xref ref-type="bibr" rid="bib1">', "</xref>", "<ref id='bib1'>",
    "</ref>", "<ref-list>", "</p>", "<p>", "<b>" * 3000, "<sec><title>References</title>" * 100, "<?xml?>",
    "\\", "\\citep{", "\\citep[p.~", "\\cite{" + "a," * 2000 + "}", "\\input{main}", "\\input{../../../etc/passwd}",
    "\\bibliography{refs}", "\\bibliography{", "%", "\\verb|", "\\begin{document}", "\\end{document}", "$", "\\\\" * 100,
    "@", "[@", "[@adams2019", "@{", "[-@x]", "---\n", "---\nbibliography: refs.json\n---\n", "bibliography: [", "```",
    "@article{", "@article{x,\n", "@string{x = ", "@comment{", "@preamble{", '"', "#", "author = {", "and others",
    "https://doi.org/10.", "10.1000/" + "x" * 3000, "doi:", "http://", "TY  - JOUR\n", "ER  - \n", "AU  - ", "PY  - ",
    '{"id": ', "[[", "]]", "null", "1e999", "-0", '"date-parts": [[', "[" * 2000 + "]" * 2000, "true",
]  # fmt: skip

# What a PDF is made of, so that damage lands on its syntax and not only on compressed bytes.
PDF_TOKENS = [
    "stream\n", "\nendstream", " 0 obj", "endobj", "xref\n", "trailer", "startxref\n", "%%EOF", "/Length 999999999",
    "/Length -1", "<<" * 2000, ">>" * 2000, "[" * 2000, "/Filter /FlateDecode", "/Filter /LZWDecode",
    "/Type /Pages /Kids [1 0 R] /Count 99999999", "/Font", "BT ", " ET", "(" * 500 + ") Tj", "/F1 0 Tf", " 1 0 R",
    "9" * 400, "\x00",
]  # fmt: skip

# Numbers in the text (years, pages, PDF object numbers and offsets) become one of these.
NUMBERS = ["0", "00000", "1", "-1", "999999999999", "9" * 5000, "٣", "２０１８", "2018a", "", "1.5e308", "2147483648"]

ENCODINGS = ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "cp1252", "latin-1", "mac-roman"]


# Operations. Each takes the content, the drawn arguments, and the pool of other contents to
# splice from; text is handled as str (its invalid bytes kept by surrogateescape), binary as bytes.

Content = str | bytes


def _at(n: int, content: Content) -> int:
    """The place n stands for; 0 (where shrinking goes) is the start."""
    return ((n * _SPREAD) % SCALE) * (len(content) + 1) // SCALE


def _like(token: str, content: Content) -> Content:
    return token.encode("utf-8", "surrogatepass") if isinstance(content, bytes) else token


def insert(content: Content, pos: int, token: str) -> Content:
    i = _at(pos, content)
    return content[:i] + _like(token, content) + content[i:]


def delete(content: Content, pos: int, length: int) -> Content:
    i = _at(pos, content)
    return content[:i] + content[i + length :]


def truncate(content: Content, pos: int) -> Content:
    return content[: _at(pos, content)]


def repeat(content: Content, pos: int, length: int, times: int) -> Content:
    i = _at(pos, content)
    chunk = content[i : i + length]
    return content[:i] + chunk * times + content[i:]


def splice(content: Content, pos: int, donor: Content, start: int, length: int) -> Content:
    """A piece of another file of the same kind put in: a reference list inside a citation, say."""
    i, j = _at(pos, content), _at(start, donor)
    return content[:i] + donor[j : j + length] + content[i:]


def flip(content: Content, pos: int, mask: int) -> Content:
    # surrogatepass: a text may already hold a lone surrogate that an earlier flip made
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    if not data:
        return content
    i = min(_at(pos, data), len(data) - 1)
    flipped = data[:i] + bytes([data[i] ^ mask]) + data[i + 1 :]
    return flipped.decode("utf-8", "surrogateescape") if isinstance(content, str) else flipped


_DIGITS = re.compile(r"\d+")
_DIGITS_B = re.compile(rb"\d+")


def renumber(content: Content, which: int, number: str) -> Content:
    """One run of digits replaced: a year of 5,000 digits, a page in Devanagari, an empty /Length."""
    runs = list((_DIGITS_B if isinstance(content, bytes) else _DIGITS).finditer(content))
    if not runs:
        return content
    m = runs[(which * _SPREAD) % len(runs)]
    return content[: m.start()] + _like(number, content) + content[m.end() :]


_TEXT_NODE = re.compile(r">(?=[^<])")
_TEXT_NODE_B = re.compile(rb">(?=[^<])")
_ROOT = re.compile(r"<[A-Za-z]")
_ROOT_B = re.compile(rb"<[A-Za-z]")


def insert_in_xml(content: Content, which: int, token: str) -> Content:
    """A token escaped and put inside an element's text, so that the XML stays well-formed and the
    damage reaches the reader's text instead of stopping at the parser."""
    binary = isinstance(content, bytes)
    root = (_ROOT_B if binary else _ROOT).search(content)  # type: ignore[arg-type]
    after = root.end() if root else 0  # text before the root element (the prolog) is no element's
    nodes = list((_TEXT_NODE_B if binary else _TEXT_NODE).finditer(content, after))  # type: ignore[arg-type]
    if not nodes:
        return content
    i = nodes[(which * _SPREAD) % len(nodes)].end()
    return content[:i] + _like(escape(token), content) + content[i:]


def move_line(content: Content, src: int, dst: int) -> Content:
    """A line moved elsewhere: a heading after its list, an entry into the body."""
    nl = b"\n" if isinstance(content, bytes) else "\n"
    lines = content.split(nl)  # type: ignore[arg-type]
    line = lines.pop((src * _SPREAD) % len(lines))
    lines.insert((dst * _SPREAD) % (len(lines) + 1), line)
    return nl.join(lines)  # type: ignore[arg-type]


OPS: dict[str, Callable[..., Content]] = {
    "insert": insert,
    "delete": delete,
    "truncate": truncate,
    "repeat": repeat,
    "splice": splice,
    "flip": flip,
    "renumber": renumber,
    "insert_in_xml": insert_in_xml,
    "move_line": move_line,
}

_POS = st.integers(0, SCALE)
_LENGTH = st.integers(1, 4000)


def operation(tokens: list[str], xml: bool = False) -> st.SearchStrategy[tuple]:
    """One operation as a tuple (name, arguments...); ``splice`` draws its donor by index. For XML,
    half the operations keep it well-formed, or most inputs would stop at the parser."""
    if not xml:
        return _operation(tokens)
    in_xml = st.tuples(st.just("insert_in_xml"), st.integers(0, 10_000), st.sampled_from(tokens))
    # (one_of would flatten the nine operations in beside it, and weigh each the same)
    return st.booleans().flatmap(lambda gentle: in_xml if gentle else _operation(tokens))


def _operation(tokens: list[str]) -> st.SearchStrategy[tuple]:
    return st.one_of(
        st.tuples(st.just("insert"), _POS, st.sampled_from(tokens)),
        st.tuples(st.just("delete"), _POS, _LENGTH),
        st.tuples(st.just("truncate"), _POS),
        st.tuples(st.just("repeat"), _POS, st.integers(1, 2000), st.integers(2, 50)),
        st.tuples(st.just("splice"), _POS, st.integers(0, 1000), _POS, _LENGTH),
        st.tuples(st.just("flip"), _POS, st.integers(1, 255)),
        st.tuples(st.just("renumber"), st.integers(0, 10_000), st.sampled_from(NUMBERS)),
        st.tuples(st.just("insert_in_xml"), st.integers(0, 10_000), st.sampled_from(tokens)),
        st.tuples(st.just("move_line"), st.integers(0, 10_000), st.integers(0, 10_000)),
    )


def run_op(content: Content, op: tuple, pool: list[Content]) -> Content:
    name, *args = op
    if name == "splice":
        donors = [d for d in pool if isinstance(d, type(content))] or [content]
        pos, donor, start, length = args
        args = [pos, donors[donor % len(donors)], start, length]
    out = OPS[name](content, *args)
    return out[:MAX_FILE]


# Seeds: the fixtures as they are, and the helpers' synthetic manuscript in every format.


def _fixture(*parts: str) -> bytes:
    return FIXTURES.joinpath(*parts).read_bytes()


@functools.cache
def _one_source(kind: str) -> dict[str, bytes]:
    """The test suite's one manuscript written in a format, as the files the writer made."""
    import tempfile

    import one_source

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        writer = {
            "text": one_source.as_text,
            "pdf": one_source.as_pdf,
            "docx": one_source.as_docx,
            "latex": one_source.as_latex,
            "markdown": one_source.as_markdown,
        }[kind]
        main = writer(folder)
        files = {main.name: main.read_bytes()}
        files.update({p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p != main})
        return files


def text_seeds() -> list[bytes]:
    names = ["example.md", "pdf-extracted.txt", "bib/manuscript.txt"]
    texts = [_fixture(n) for n in names]
    texts += [p.read_bytes() for p in sorted((FIXTURES / "styles").glob("*.txt"))]
    texts += [p.read_bytes() for p in sorted((FIXTURES / "styles-names").glob("*.txt"))[:4]]
    return [*texts, _one_source("text")["marsh.txt"]]


def _bib_seeds(target: str, names: list[str], extension: str) -> list[Case]:
    """The small manuscript of fixtures/bib given each named fixture with ``--bib``, as ``lib``
    with the fixture's own extension (else ``extension``)."""
    manuscript = _fixture("bib", "manuscript.txt")
    cases = []
    for n in names:
        lib = f"lib{Path(n).suffix or extension}"
        cases.append(Case(target, {"paper.txt": manuscript, lib: _fixture(*n.split("/"))}, (lib,)))
    return cases


@functools.cache
def seeds(target: str) -> list[Case]:
    """The undamaged cases a target starts from."""
    if target == "markdown":
        pandoc = {"paper.md": _fixture("pandoc", "paper.md"), "refs.json": _fixture("pandoc", "refs.json")}
        styles = {"source.md": _fixture("styles", "source.md"), "refs.json": _fixture("styles", "refs.json")}
        marsh = _one_source("markdown")
        return [
            Case(target, pandoc),
            Case(target, styles),
            Case(target, marsh),
            Case(target, {"example.md": _fixture("example.md")}),
        ]
    if target == "latex":
        files = {n: _fixture("latex", *n.split("/")) for n in ("main.tex", "sections/methods.tex", "refs.bib")}
        return [Case(target, files), Case(target, _one_source("latex"))]
    if target == "bibtex":
        bibs = ["bib/sample.bib", "bib/broken.bib", "bib/duplicates.bib", "bib/csl-saved-as.bib", "latex/refs.bib"]
        marsh = _one_source("latex")
        own = Case(target, {"paper.txt": _one_source("text")["marsh.txt"], "lib.bib": marsh["marsh.bib"]}, ("lib.bib",))
        return [own, *_bib_seeds(target, bibs, ".bib"), *_bib_seeds(target, ["bib/bibtex-without-extension"], "")]
    if target == "csljson":
        names = ["bib/sample.json", "bib/malformed.json", "bib/object.json", "pandoc/refs.json", "styles-names/refs.json"]
        return _bib_seeds(target, names, ".json")
    if target == "ris":
        return _bib_seeds(target, ["bib/sample.ris", "bib/ris-export.txt"], ".ris")
    if target == "jats":
        return [Case(target, {"article.xml": _fixture("jats", "article.xml")})]
    if target == "docx":
        return [Case(target, {"marsh.docx": _one_source("docx")["marsh.docx"]}), Case(target, {"fields.docx": _fields_docx()})]
    if target == "pdf":
        marsh = _one_source("pdf")["marsh.pdf"]
        return [Case(target, {"marsh.pdf": marsh}), Case(target, {"lines.pdf": lines_pdf(_example_lines(), compress=False)})]
    raise KeyError(target)


def _example_lines() -> list[str]:
    return [line for line in _fixture("example.md").decode().splitlines() if line.strip()][:60]


def _fields_docx() -> bytes:
    """A DOCX whose citations are Zotero, Mendeley and EndNote fields, beside plain paragraphs."""
    import tempfile

    import make_docx as md

    doc = md.Doc().heading("Tidal marsh recovery")
    doc.xml(md.run("Recovery was slow ") + md.zotero("(Adams, 2019)", md.csl_citation(("adams", "Adams", 2019))) + md.run("."))
    doc.xml(md.run("Grazing ") + md.mendeley("(Jablonski, 2014)", md.csl_citation(("jab", "Jablonski", 2014))))
    doc.xml(md.run("Costs ") + md.endnote_field("(Olsen, 2012)", md.endnote_record("Olsen", "Gro", 2012, "Saltmarsh")))
    doc.para("References")
    for entry in (
        "Adams, P. (2019). Tidal restoration. Estuarine Ecology, 41, 101–118.",
        "Olsen, G. (2012). Saltmarsh. EE, 40, 1–9.",
    ):
        doc.para(entry)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fields.docx"
        doc.save(path)
        return path.read_bytes()


def lines_pdf(lines: list[str], compress: bool = True) -> bytes:
    """A PDF of the lines, 50 to a page; uncompressed, so that damage to its bytes hits the text."""
    import tempfile

    import make_pdf
    from reportlab import rl_config

    pages = [lines[i : i + 50] for i in range(0, len(lines), 50)] or [[]]
    saved = rl_config.pageCompression
    rl_config.pageCompression = int(compress)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "lines.pdf"
            make_pdf.lines_pdf(path, pages)
            return path.read_bytes()
    finally:
        rl_config.pageCompression = saved


# Applying a recipe to a seed.


def damage_text(data: bytes, ops: list[tuple], pool: list[Content], encoding: str | None = None) -> bytes:
    """Operations on a text file's characters (bytes that are no UTF-8 kept as they are), then
    perhaps another encoding."""
    text = data.decode("utf-8", "surrogateescape")
    for op in ops:
        text = run_op(text, op, pool)  # type: ignore[assignment]
    if encoding is None:
        return text.encode("utf-8", "surrogateescape")
    return text.encode(encoding, "replace")


def damage_bytes(data: bytes, ops: list[tuple], pool: list[Content]) -> bytes:
    for op in ops:
        data = run_op(data, op, pool)  # type: ignore[assignment]
    return data


def damage_zip(data: bytes, member: int, ops: list[tuple], pool: list[Content]) -> bytes:
    """One member of a DOCX damaged as text (document.xml most often) and the package zipped again;
    a package an earlier edit broke is damaged as bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = {name: zf.read(name) for name in zf.namelist()}
    except Exception:
        return damage_bytes(data, ops, pool)
    names = sorted(parts, key=lambda n: (n != "word/document.xml", n))
    name = names[0] if member % 3 else names[member % len(names)]
    parts[name] = damage_text(parts[name], ops, pool)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, content in parts.items():
            zf.writestr(n, content)
    return buf.getvalue()


@dataclass(frozen=True)
class Recipe:
    """A seed and what is done to each of its files: (file index, mode, argument, operations)."""

    target: str
    seed: int
    edits: tuple[tuple[int, str, int, tuple[tuple, ...]], ...]

    def case(self) -> Case:
        base = seeds(self.target)[self.seed % len(seeds(self.target))]
        files = dict(base.files)
        names = list(files)
        pool = _pool(self.target)
        for index, mode, arg, ops in self.edits:
            name = names[index % len(names)]
            files[name] = _edit(files[name], name, mode, arg, list(ops), pool)
        return Case(self.target, files, base.bibs)


def _edit(data: bytes, name: str, mode: str, arg: int, ops: list[tuple], pool: list[Content]) -> bytes:
    binary = name.endswith((".pdf", ".docx"))
    if mode == "bytes" or (binary and not name.endswith(".docx")):
        return damage_bytes(data, ops, pool)
    if binary:  # a DOCX: damage inside a member, or to the zip's own bytes
        return damage_zip(data, arg, ops, pool) if mode == "text" else damage_bytes(data, ops, pool)
    encoding = ENCODINGS[arg % len(ENCODINGS)] if mode == "encode" else None
    return damage_text(data, ops, pool, encoding)


@functools.cache
def _pool(target: str) -> list[Content]:
    """What splices take pieces from: every seed file of the target, and the text fixtures."""
    own = [data for case in seeds(target) for data in case.files.values()]
    texts = [t.decode("utf-8", "surrogateescape") for t in text_seeds()]
    return [*own, *[d.decode("utf-8", "surrogateescape") for d in own if not d.startswith((b"%PDF", b"PK"))], *texts]


def recipes(target: str) -> st.SearchStrategy[Recipe]:
    """Recipes for a target's seeds: up to four edits of up to six operations each (three in XML)."""
    tokens = HOSTILE + PDF_TOKENS if target == "pdf" else HOSTILE
    xml = target in ("jats", "docx")  # fewer and gentler edits, that most inputs pass the parser
    edit = st.tuples(
        st.integers(0, 7),
        st.sampled_from(["text"] * (6 if xml else 3) + ["bytes", "encode"]),
        st.integers(0, 100),
        st.lists(operation(tokens, xml), min_size=1, max_size=3 if xml else 6).map(tuple),
    )
    return st.builds(Recipe, st.just(target), st.integers(0, 100), st.lists(edit, max_size=4).map(tuple))


# The text given to citecheck.audit directly.

_WORDS = [
    "Smith", "Jones", "van der Berg", "O'Neil", "Müller", "J.", "World Health Organization", "[WHO]", "et al.", "e.g.,",
    "see also", "as cited in", "2018", "2018a", "n.d.", "in press", "p. 45", "pp. 45–50", "para. 3", ",", ";", " ", ".",
    "&", "and", "References", "\n", "\n\n", "(", ")", "[", "]", "Smith, J. (2018). Title. Journal, 1(2), 3–4.",
]  # fmt: skip


@dataclass(frozen=True)
class TextRecipe:
    """A manuscript text: a seed text damaged, or words and hostile tokens strung together."""

    seed: int | None
    ops: tuple[tuple, ...] = ()
    pieces: tuple[str, ...] = ()

    def text(self) -> str:
        if self.seed is None:
            return "".join(self.pieces)
        seeds_ = text_seeds()
        text = seeds_[self.seed % len(seeds_)].decode("utf-8")
        pool: list[Content] = [t.decode("utf-8") for t in seeds_]
        for op in self.ops:
            text = run_op(text, op, pool)  # type: ignore[assignment]
        return text


def text_recipes() -> st.SearchStrategy[TextRecipe]:
    """Damaged fixture texts most of the time; strings of pieces, and arbitrary unicode, too."""
    tokens = [*HOSTILE, "\ud800", "\udfff"]  # a str handed to the API may hold lone surrogates
    damaged = st.builds(TextRecipe, st.integers(0, 100), st.lists(operation(tokens), max_size=8).map(tuple))
    strung = st.builds(TextRecipe, st.none(), st.just(()), st.lists(st.sampled_from(_WORDS + tokens), max_size=60).map(tuple))
    arbitrary = st.builds(TextRecipe, st.none(), st.just(()), st.tuples(st.text(max_size=2000)))
    return st.one_of(damaged, damaged, strung, arbitrary)


def pdf_render_recipes() -> st.SearchStrategy[TextRecipe]:
    """Lines of the example manuscript, damaged as text, for a PDF drawn from them."""
    return st.builds(TextRecipe, st.just(0), st.lists(operation(HOSTILE), max_size=6).map(tuple))
