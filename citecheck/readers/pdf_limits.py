"""A budget on what pdfminer decompresses, so that a small PDF cannot inflate to gigabytes.

Flate compresses a run of one byte about a thousand times: a 400 KB PDF can hold a 400 MB content
stream, and pdfminer.six inflates each stream whole, in memory. Within ``inflating(limit)`` the
bytes that pdfminer's Flate, LZW and RunLength decoders give are counted, and past the limit they
raise ``TooLarge``. Flate and LZW are decoded here in chunks, so the limit bounds memory too;
RunLength (at most 64 times its input) is counted after decoding.

The decoders replace those in ``pdfminer.pdftypes`` once, when this module is imported. Outside
``inflating`` (another user of pdfminer in the same process) they are the originals, and the
budget is held per context, so threads reading PDFs at once each keep their own.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from io import BytesIO
from typing import Any

import pdfminer.pdftypes
from pdfminer.lzw import LZWDecoder

CHUNK = 1024 * 1024  # bytes inflated at a time: what an over-limit stream can cost before it is stopped


class TooLarge(Exception):
    """A document's streams decompress to more than the limit."""


class _Budget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.left = limit
        self.exceeded = False

    @property
    def reason(self) -> str:
        return f"its streams decompress to more than {self.limit // (1024 * 1024)} MB (a decompression bomb?)"

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            self.exceeded = True  # pdfminer swallows some errors (a font it cannot load): the reader asks
            raise TooLarge(self.reason)


_budget: ContextVar[_Budget | None] = ContextVar("citecheck_pdf_budget", default=None)


@contextmanager
def inflating(limit: int) -> Iterator[_Budget]:
    """Count what pdfminer decompresses in this block; ``TooLarge`` past ``limit`` bytes."""
    budget = _Budget(limit)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


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


def _lzwdecode(data: bytes) -> bytes:
    budget = _budget.get()
    if budget is None:
        return _original_lzwdecode(data)
    pieces = []
    for piece in LZWDecoder(BytesIO(data)).run():
        budget.take(len(piece))
        pieces.append(piece)
    return b"".join(pieces)


def _rldecode(data: bytes) -> bytes:
    out = _original_rldecode(data)
    budget = _budget.get()
    if budget is not None:
        budget.take(len(out))
    return out


pdfminer.pdftypes.zlib = _Zlib()  # type: ignore[assignment]
pdfminer.pdftypes.lzwdecode = _lzwdecode
pdfminer.pdftypes.rldecode = _rldecode
