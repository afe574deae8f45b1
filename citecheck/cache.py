"""The user's cache folder, and the compiled regular expressions citecheck keeps in it between runs.

Python keeps a module's bytecode in ``__pycache__`` but compiles every regular expression again in
each process, and this package's patterns (Unicode letter classes repeated in long verbose
patterns) took 190 ms of a 300 ms start-up. ``regex(pattern, flags)`` is ``re.compile`` for a
module-level constant: the first process stores the program the regex compiler made for it, and the
next builds the pattern from that program (``_sre.compile``, which checks a program before it
accepts it) instead of parsing the pattern again, in 2 ms for all of them.

The file (``regex-<interpreter>-<engine>.marshal`` in the cache folder) is named after the
interpreter's cache tag and the regex engine's magic number, so another Python never reads it. A
missing, damaged or foreign file, a program the engine refuses, or a folder that cannot be written
all end the same way: the pattern is compiled as ``re.compile`` would, and the run goes on. Only
constants go through here; a pattern built from a manuscript's text is compiled with ``re.compile``
and never stored.
"""

from __future__ import annotations

import atexit
import contextlib
import marshal
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

try:  # CPython's regex engine and compiler; another Python compiles every pattern
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover
    _sre = None  # type: ignore[assignment]

MAX_PATTERNS = 2_000  # a stored file never holds more; past it only this run's patterns are kept
MAX_FILE_BYTES = 16 * 1024 * 1024  # a larger file is not ours: ignored

Program = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]

_stored: dict[tuple[str, int], Program] | None = None  # read from the file on first use
_used: dict[tuple[str, int], Program] = {}  # every program this run compiled or read
_unsaved = False


def cache_dir() -> Path:
    """$CITECHECK_CACHE_DIR, else $XDG_CACHE_HOME/citecheck, else ~/.cache/citecheck."""
    base = os.environ.get("CITECHECK_CACHE_DIR")
    if base:
        return Path(base)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "citecheck"


def regex(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the program a previous run stored when there is one."""
    global _unsaved
    if _sre is None:  # pragma: no cover
        return re.compile(pattern, flags)
    key = (pattern, int(flags))
    program = _programs().get(key)
    if program is not None:
        try:
            compiled = _sre.compile(pattern, *program)
        except Exception:
            pass
        else:
            _used[key] = program
            return compiled
    try:
        program = _program(pattern, int(flags))
        compiled = _sre.compile(pattern, *program)
    except re.error:
        raise
    except Exception:
        return re.compile(pattern, flags)
    _used[key] = program
    if not _unsaved:
        _unsaved = True
        atexit.register(save)
    return compiled


def _program(pattern: str, flags: int) -> Program:
    """What ``re._compiler.compile`` hands the engine, as plain ints and strings."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return int(flags | parsed.state.flags), code, parsed.state.groups - 1, groupindex, tuple(indexgroup)


def store_path() -> Path:
    """The file of this interpreter and regex engine in the cache folder."""
    tag = f"{sys.implementation.cache_tag}-{getattr(_sre, 'MAGIC', 0)}-{getattr(_sre, 'CODESIZE', 0)}"
    return cache_dir() / f"regex-{tag}.marshal"


def _programs() -> dict[tuple[str, int], Program]:
    global _stored
    if _stored is None:
        _stored = {}
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            with open(store_path(), "rb") as fh:
                data: Any = marshal.loads(fh.read(MAX_FILE_BYTES + 1))
            if isinstance(data, dict) and len(data) <= MAX_PATTERNS:
                _stored = data
    return _stored


def save() -> None:
    """Store the programs of this run beside those already stored, atomically; silent on failure."""
    global _unsaved
    if not _unsaved:
        return
    _unsaved = False
    merged = {**_programs(), **_used}
    if len(merged) > MAX_PATTERNS:
        merged = dict(_used)
    path = store_path()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".regex-", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            marshal.dump(merged, fh)
        os.replace(tmp, path)
        tmp = None
    except (OSError, ValueError):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
