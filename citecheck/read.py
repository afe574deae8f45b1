"""Reading a manuscript file into a ``Source``: bytes in, decoded text out.

Offsets everywhere else index the text this module returns, so it never rewrites newlines or any
other character: a CRLF file keeps its ``\\r``. A byte-order mark is consumed as part of decoding.
"""

from __future__ import annotations

import codecs
import os
import stat

from citecheck.errors import InputError
from citecheck.model import Source, make_source

# Formats no reader handles; plain text and Markdown are read here, PDF and DOCX in citecheck.readers.
_NOT_YET = {
    ".doc": "Word 97-2003",
    ".odt": "OpenDocument",
    ".rtf": "RTF",
}

MAX_BYTES = 200 * 1024 * 1024


def decode(data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Decode manuscript bytes; returns (text, encoding, notes).

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are taken as they are. Anything else that
    is not valid UTF-8 is read as Windows-1252 (a superset of Latin-1 for printable text), with a
    note, because that is what legacy word processors on the desktops of our users wrote.
    """
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(name), name.replace("-sig", ""), ()
            except UnicodeDecodeError as exc:
                raise InputError(f"the file starts with a {name} byte-order mark but is not valid {name}") from exc
    if _looks_binary(data):
        raise InputError("this looks like a binary file, not a text manuscript")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    # cp1252 leaves five bytes undefined; Latin-1 maps them, so prefer it when they occur.
    if "\ufffd" in text:
        text = data.decode("latin-1")
        return text, "latin-1", ("not valid UTF-8; read as Latin-1",)
    return text, "cp1252", ("not valid UTF-8; read as Windows-1252 (Latin-1)",)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    # Control characters other than tab, newline, form feed and carriage return are rare in text.
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return len(head) > 0 and controls / len(head) > 0.05


def check_file(path: str, what: str = "manuscript") -> int:
    """The size of an input file that can be read, or ``InputError`` saying in one line why not."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, not a {what} file")
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            # "/dev/zero" would be read until memory ran out, a pipe would wait forever
            raise InputError(f"{path}: is not a regular file (a pipe or a device), not a {what} file")
        size = os.path.getsize(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise InputError(f"{path}: file is {size // (1024 * 1024)} MiB, larger than the 200 MiB limit")
    return size


def read_bytes(path: str, what: str = "manuscript") -> bytes:
    """The bytes of an input file, or ``InputError`` saying in one line why not."""
    size = check_file(path, what)
    try:
        with open(path, "rb") as fh:
            # As many bytes as the file had: asking for the limit would reserve 200 MiB for any
            # file. One that grows while it is read is read on, a mebibyte at a time, to the limit.
            parts = [fh.read(size + 1)]
            total = len(parts[0])
            while total > size and total <= MAX_BYTES:
                more = fh.read(min(1 << 20, MAX_BYTES + 1 - total))
                if not more:
                    break
                parts.append(more)
                total += len(more)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if total > MAX_BYTES:
        raise InputError(f"{path}: file is larger than the 200 MiB limit")
    return parts[0] if len(parts) == 1 else b"".join(parts)


def read_path(path: str) -> Source:
    """Read and decode a manuscript file; raises ``InputError`` with a one-line reason."""
    ext = os.path.splitext(path)[1].lower()
    if ext in _NOT_YET and os.path.isfile(path):
        raise InputError(f"{path}: {_NOT_YET[ext]} files cannot be read; save the manuscript as DOCX, PDF or plain text")
    data = read_bytes(path)
    if data.startswith(b"%PDF-"):
        raise InputError(f"{path}: is a PDF file, not text; read it as PDF (--from pdf)")
    if data.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is a zip archive, not text; a DOCX is read with --from docx")
    try:
        text, encoding, notes = decode(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    return make_source(text, path=path, encoding=encoding, notes=notes)


def within(folder: str, path: str) -> bool:
    """Whether ``path``, links resolved, lies in ``folder`` or below it: a manuscript may name
    files of its own folder ("\\input{sections/intro}", "bibliography: refs.bib"), never others
    ("/etc/passwd", "../../secrets.bib", "~/.ssh/id_rsa"); files named on the command line are
    read wherever they are."""
    root = os.path.realpath(folder or os.curdir)
    real = os.path.realpath(path)
    return os.path.commonpath([root, real]) == root
