"""The manuscripts a run audits, from what the command line names: files, folders, globs and lists.

A folder stands for the manuscripts in it and below it: the files of a format citecheck reads
(``readers.READERS``), hidden files and folders (``.git``) left out, in name order so that a run
reports the same way each time. A pattern with ``*``, ``?`` or ``[`` that is no existing file's
name is a glob, expanded here (``'**/*.tex'`` reaches every folder below), since a quoted pattern
reaches citecheck unexpanded. ``--files-from`` reads one path a line (blank lines and ``#``
comments skipped; ``-`` reads standard input). ``--exclude`` drops what matches a pattern, tried on
the path as found and on the file's name. A LaTeX chapter found this way is audited through its
root by the reader, and the run audits each root once.

A named file is kept as given, whatever its extension: the reader says what it cannot read. A
folder, glob or list that yields nothing is an error (``InputError``), since a run that audits
nothing would pass in CI without a word.
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Sequence

from citecheck.errors import InputError

MAX_LISTED = 1_000_000  # paths a --files-from list may hold: a stream that never ends is refused


def readable_extensions() -> frozenset[str]:
    from citecheck.readers import READERS

    return frozenset(ext for reader in READERS.values() for ext in reader.extensions)


def expand(paths: Sequence[str], exclude: Sequence[str] = ()) -> list[str]:
    """The files to audit, in order, each once, from files, folders and globs."""
    extensions = readable_extensions()
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
        elif os.path.isdir(p):
            found = [f for f in _walk(p, extensions) if not _excluded(f, exclude)]
            if not found:
                raise InputError(f"{p}: is a folder with no manuscript in it (of {_listing(extensions)})")
            out.extend(found)
        elif glob.has_magic(p) and not os.path.exists(p):
            matched = sorted(f for f in glob.glob(p, recursive=True) if os.path.isfile(f))
            found = [f for f in matched if not _excluded(f, exclude)]
            if not found:
                raise InputError(f"{p}: matches no file")
            out.extend(found)
        elif not _excluded(p, exclude):
            out.append(p)
    return _once(out)


def files_from(lines: Iterable[str], name: str) -> list[str]:
    """The paths of a --files-from list: one a line, blank lines and ``#`` comments skipped."""
    paths = []
    for line in lines:
        path = line.strip("\r\n")
        if path.strip() and not path.lstrip().startswith("#"):
            paths.append(path.strip())
            if len(paths) > MAX_LISTED:
                raise InputError(f"{name}: lists more than {MAX_LISTED:,} paths; split the list")
    if not paths:
        raise InputError(f"{name}: lists no file to audit")
    return paths


def _walk(folder: str, extensions: frozenset[str]) -> list[str]:
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in extensions:
                found.append(os.path.join(root, name))
    return found


def _excluded(path: str, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    normal = os.path.normpath(path)
    name = os.path.basename(normal)
    return any(fnmatch.fnmatch(normal, p) or fnmatch.fnmatch(name, p) or fnmatch.fnmatch(path, p) for p in patterns)


def _once(paths: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for p in paths:
        if p == "-":  # kept each time: standard input named twice is the command line's error to tell
            out.append(p)
            continue
        key = os.path.realpath(p)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _listing(extensions: frozenset[str]) -> str:
    return " ".join(sorted(extensions))
