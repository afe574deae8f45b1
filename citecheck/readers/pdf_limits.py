"""Limits on what pdfminer may spend on one PDF, so that a small hostile file can neither hang the
reader nor exhaust its memory.

pdfminer.six trusts the file: it follows a reference to a reference for as long as there is one,
inflates each stream whole, in memory, and fills dicts and lists as large as a few numbers in the
file ask for. Within ``limited(inflated, seconds)``:

- the bytes that its Flate, LZW and RunLength decoders give are counted, and past ``inflated`` they
  raise ``TooLarge``; all three decode a chunk at a time here, so the count bounds memory too;
- the time is checked wherever pdfminer reads a few kilobytes more of a file or a stream, resolves
  an object or decodes a chunk, and past ``seconds`` it raises ``TooSlow``;
- a reference that leads back to itself raises ``ReferenceLoop`` instead of looping for ever;
- arrays, dictionaries and the nesting of either are capped where they are parsed, and so are the
  ranges from which fonts and character maps fill their tables (a width for each of four billion
  codes takes a 600-byte file);
- predictors and fax images, which pdfminer undoes in pure Python loops that no check reaches, are
  refused past a few megabytes and at all.

The replacements are installed in pdfminer's modules once, when this module is imported. Outside
``limited`` (another user of pdfminer in the same process) they do what the originals do, and the
budget is held per context, so threads reading PDFs at once each keep their own.
"""

from __future__ import annotations

import builtins
import time
import weakref
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any, BinaryIO

import pdfminer.cmapdb
import pdfminer.pdffont
import pdfminer.pdftypes
from pdfminer.lzw import LZWDecoder
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFObjRef
from pdfminer.psparser import PSBaseParser

CHUNK = 1024 * 1024  # bytes decoded at a time: what an over-limit stream can cost before it is stopped
MAX_DEPTH = 1000  # arrays and dictionaries inside one another; real files stay under 10
MAX_ITEMS = 1_000_000  # items of one array or dictionary, or tokens a parser holds at once
# Entries all of a document's fonts and character maps may define: 64 fonts of 65,536 glyphs.
MAX_MAPPED = 64 * 65536
# pdfminer undoes a PNG or TIFF predictor in pure Python, with a list of ints eight times the data's
# size and up to a few seconds a megabyte, out of the time checks' reach. What comes here with a
# predictor is a cross-reference or object stream, or a content stream, a few kilobytes each
# (images, which can be larger, are never decoded).
MAX_PREDICTED = 4 * 1024 * 1024


class Exceeded(Exception):
    """A limit on reading one document was passed; the message says which."""


class TooLarge(Exceeded):
    """A document's streams decompress, or its structures grow, past a limit."""


class TooSlow(Exceeded):
    """Reading a document took longer than the limit."""


class ReferenceLoop(Exception):
    """An object whose value is a reference that leads, through others, back to itself."""


class _Budget:
    def __init__(self, inflated: int, seconds: float) -> None:
        self.limit = inflated
        self.left = inflated
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.mapped = 0
        self.reason = ""  # the first limit passed; pdfminer swallows some errors, so the reader asks

    @property
    def exceeded(self) -> bool:
        return bool(self.reason)

    def refuse(self, reason: str, kind: type[Exceeded] = TooLarge) -> None:
        self.reason = self.reason or reason
        raise kind(self.reason)

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self.refuse(f"its streams decompress to more than {self.limit // (1024 * 1024)} MB (a decompression bomb?)")

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            reason = f"reading it takes more than {self.seconds:g} s, the limit for one PDF; split it and audit the parts"
            self.refuse(reason, TooSlow)

    def fill(self, entries: int) -> None:
        """Count entries of the tables pdfminer builds for fonts."""
        self.mapped += entries
        if self.mapped > MAX_MAPPED:
            self.refuse(f"its fonts' tables have more than {MAX_MAPPED:,} entries (a font bomb?)")

    def parsing(self, parser: PSBaseParser) -> None:
        """Called each time a parser reads a few kilobytes more (a content parser: once before it
        has its stacks)."""
        self.tick()
        if len(getattr(parser, "context", ())) > MAX_DEPTH:
            self.refuse(f"it has arrays or dictionaries nested more than {MAX_DEPTH:,} deep")
        if len(getattr(parser, "curstack", ())) > MAX_ITEMS:
            self.refuse(f"it has an array or a dictionary of more than {MAX_ITEMS:,} items")


_budget: ContextVar[_Budget | None] = ContextVar("citecheck_pdf_budget", default=None)


@contextmanager
def limited(inflated: int, seconds: float) -> Iterator[_Budget]:
    """Hold pdfminer in this block to ``inflated`` bytes decompressed and ``seconds`` of time."""
    budget = _Budget(inflated, seconds)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def check_time() -> None:
    """``TooSlow`` if the time of the ``limited`` block around is up; for the reader's own loops."""
    budget = _budget.get()
    if budget is not None:
        budget.tick()


# -- decompression --------------------------------------------------------------------------------


class _Inflater:
    """``zlib.decompressobj`` that charges what it gives to the budget, inflating a chunk at a time."""

    def __init__(self, *args: Any) -> None:
        self._d = zlib.decompressobj(*args)

    @property
    def eof(self) -> bool:
        return self._d.eof

    @property
    def unused_data(self) -> bytes:
        return self._d.unused_data

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        budget = _budget.get()
        if budget is None or max_length:
            return self._d.decompress(data, max_length)
        pieces = []
        piece = self._d.decompress(data, CHUNK)
        while True:
            budget.take(len(piece))
            budget.tick()
            pieces.append(piece)
            if not self._d.unconsumed_tail and len(piece) < CHUNK:
                return b"".join(pieces)
            piece = self._d.decompress(self._d.unconsumed_tail, CHUNK)

    def flush(self, *args: Any) -> bytes:
        out = self._d.flush(*args)
        budget = _budget.get()
        if budget is not None:
            budget.take(len(out))
        return out


class _Zlib:
    """What ``pdfminer.pdftypes`` uses of ``zlib``, with ``decompress`` and ``decompressobj`` counted."""

    error = zlib.error

    def __getattr__(self, name: str) -> Any:
        return getattr(zlib, name)

    @staticmethod
    def decompress(data: bytes, wbits: int = zlib.MAX_WBITS, bufsize: int = zlib.DEF_BUF_SIZE) -> bytes:
        if _budget.get() is None:
            return zlib.decompress(data, wbits, bufsize)
        inflater = _Inflater(wbits)
        out = inflater.decompress(data)
        if not inflater.eof:
            # What zlib.decompress raises, so that pdfminer tries its repair of a damaged stream.
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    @staticmethod
    def decompressobj(*args: Any) -> _Inflater:
        return _Inflater(*args)


_original_rldecode = pdfminer.pdftypes.rldecode
_original_lzwdecode = pdfminer.pdftypes.lzwdecode
_original_png_predictor = pdfminer.pdftypes.apply_png_predictor
_original_tiff_predictor = pdfminer.pdftypes.apply_tiff_predictor
_original_ccittfaxdecode = pdfminer.pdftypes.ccittfaxdecode


def _lzwdecode(data: bytes) -> bytes:
    budget = _budget.get()
    if budget is None:
        return _original_lzwdecode(data)
    pieces = []
    for n, piece in enumerate(LZWDecoder(BytesIO(data)).run()):
        budget.take(len(piece))
        if n % 4096 == 0:  # a code at a time: the clock is read once in a few thousand
            budget.tick()
        pieces.append(piece)
    return b"".join(pieces)


def _rldecode(data: bytes) -> bytes:
    """RunLength as pdfminer decodes it, but into bytes and counted as it grows: pdfminer's own
    keeps a list of Python ints, eight bytes for each byte, and 40 MB of runs make 20 GB of them."""
    budget = _budget.get()
    if budget is None:
        return _original_rldecode(data)
    out = bytearray()
    counted = i = 0
    while i < len(data) and data[i] != 128:  # 128 marks the end
        length = data[i]
        if length < 128:  # the next length + 1 bytes as they are
            out += data[i + 1 : i + length + 2]
            i += length + 2
        else:  # the next byte, 257 - length times
            out += data[i + 1 : i + 2] * (257 - length)
            i += 2
        if len(out) - counted >= CHUNK:
            budget.take(len(out) - counted)
            budget.tick()
            counted = len(out)
    budget.take(len(out) - counted)
    return bytes(out)


def _predicted(data: bytes) -> None:
    budget = _budget.get()
    if budget is not None and len(data) > MAX_PREDICTED:
        size = MAX_PREDICTED // (1024 * 1024)
        budget.refuse(f"it has a stream of more than {size} MB behind a predictor (a decompression bomb?)")


def _png_predictor(pred: int, colors: int, columns: int, bitspercomponent: int, data: bytes) -> bytes:
    _predicted(data)
    return _original_png_predictor(pred, colors, columns, bitspercomponent, data)


def _tiff_predictor(colors: int, columns: int, bitspercomponent: int, data: bytes) -> bytes:
    _predicted(data)
    return _original_tiff_predictor(colors, columns, bitspercomponent, data)


def _ccittfaxdecode(data: bytes, params: dict[str, object]) -> bytes:
    """Fax images are never read for text (pdfminer hands images to the device undecoded); what
    asks for one here is a content stream or a font packed with an image codec, which pdfminer
    would decode a bit at a time in pure Python."""
    budget = _budget.get()
    if budget is None:
        return _original_ccittfaxdecode(data, params)
    raise ValueError("a content stream or font is packed as a fax image (CCITTFaxDecode)")


# -- references, parsing and tables ---------------------------------------------------------------

_original_resolve = PDFObjRef.resolve
_original_resolve_all = pdfminer.pdftypes.resolve_all
_original_parser_init = PSBaseParser.__init__
_original_fillfp = PDFContentParser.fillfp


def _resolve(self: PDFObjRef, default: object = None) -> Any:
    """The object a reference names, followed through references to references, which pdfminer
    follows in a loop that never ends when they lead back to where they started."""
    obj = _original_resolve(self, default)
    budget = _budget.get()
    if budget is None:
        return obj
    budget.tick()
    seen = {self.objid}
    while isinstance(obj, PDFObjRef):
        if obj.objid in seen:
            raise ReferenceLoop(f"object {self.objid} refers to itself through a loop of references")
        seen.add(obj.objid)
        obj = _original_resolve(obj, default)
    return obj


def _resolve_all(x: object, default: object = None) -> Any:
    """pdfminer's resolve_all, each call (one for every value it reaches) counted: it copies a
    structure whole, and thirty arrays that each name the next one twice make a billion values."""
    budget = _budget.get()
    if budget is not None:
        budget.fill(1)
    return _original_resolve_all(x, default)


class _Watched:
    """A parser's file, whose reads (a few kilobytes each time the parser moves on, not one for
    every token) check the budget and the parser's stacks."""

    def __init__(self, fp: BinaryIO, parser: PSBaseParser) -> None:
        self._fp = fp
        self._parser = weakref.ref(parser)  # no cycle, which would keep the parser and its data until a collection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fp, name)

    def read(self, size: int = -1) -> bytes:
        budget = _budget.get()
        parser = self._parser()
        if budget is not None and parser is not None:
            budget.parsing(parser)
        return self._fp.read(size)


def _parser_init(self: PSBaseParser, fp: BinaryIO) -> None:
    # The file, its object streams, character maps and font headers; content streams come below.
    _original_parser_init(self, fp)
    if fp is not None and _budget.get() is not None:
        self.fp = _Watched(fp, self)  # type: ignore[assignment]


def _fillfp(self: PDFContentParser) -> bool:
    # Where a content stream's parser moves on (to its next few kilobytes, or its next stream).
    budget = _budget.get()
    if budget is not None:
        budget.parsing(self)
    return _original_fillfp(self)


def _range(*args: int) -> range:
    """``range`` for the loops in which pdfminer fills a font's or a character map's tables, each
    range charged to the budget before it is walked."""
    span = builtins.range(*args)
    budget = _budget.get()
    if budget is not None:
        try:
            budget.fill(len(span))
        except OverflowError:  # longer than a C integer holds
            budget.fill(MAX_MAPPED + 1)
    return span


pdfminer.pdftypes.zlib = _Zlib()  # type: ignore[assignment]
pdfminer.pdftypes.lzwdecode = _lzwdecode
pdfminer.pdftypes.rldecode = _rldecode
pdfminer.pdftypes.apply_png_predictor = _png_predictor
pdfminer.pdftypes.apply_tiff_predictor = _tiff_predictor
pdfminer.pdftypes.ccittfaxdecode = _ccittfaxdecode
pdfminer.pdftypes.resolve_all = _resolve_all
pdfminer.pdffont.resolve_all = _resolve_all
PDFObjRef.resolve = _resolve  # type: ignore[method-assign]
PSBaseParser.__init__ = _parser_init  # type: ignore[method-assign]
PDFContentParser.fillfp = _fillfp  # type: ignore[method-assign]
pdfminer.pdffont.range = _range  # type: ignore[attr-defined]
pdfminer.cmapdb.range = _range  # type: ignore[attr-defined]
