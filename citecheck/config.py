"""The user's configuration: ``citecheck.toml`` or ``[tool.citecheck]`` in ``pyproject.toml``, found as ruff finds its own.

For each input, the nearest configuration file walking upward from the input's folder applies:
``citecheck.toml`` (keys at top level) or a ``pyproject.toml`` that has a ``[tool.citecheck]``
table (one without it does not count and the search goes on upward); within one folder
``citecheck.toml`` wins. ``--config FILE`` replaces the search for every input, ``--isolated``
ignores every file. The command line's options go over the file's values (``Config.merged``), the
file's over the defaults. See docs/config.md.

Everything wrong in a file (its TOML, an unknown key, rule, severity or format, a value of the wrong
type) is a ``CitecheckError`` of one line that names the file and the key; the command line turns it
into exit code 2. A file is read once per process however many inputs it applies to.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from citecheck.errors import CitecheckError
from citecheck.model import record
from citecheck.read import within

CONFIG_FILE = "citecheck.toml"
PYPROJECT = "pyproject.toml"
FILE_NAMES = (CONFIG_FILE, PYPROJECT)  # looked for in each folder, in this order
MAX_BYTES = 1 << 20  # a configuration file larger than 1 MiB is refused

FAIL_ON = ("error", "warning", "note", "never")
FORMATS = ("text", "json", "sarif", "github", "gitlab", "junit", "jsonl", "html", "markdown")
SEVERITIES = ("error", "warning", "note")
KEYS = ("select", "ignore", "per-file-ignores", "fail-on", "bib", "format", "severity")


def _no_severity() -> Mapping[str, str]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Config:
    """One configuration file's settings, validated; ``Config()`` when no file applies.

    ``select`` and ``ignore`` hold rule codes, code prefixes or names as written (``select_rules``
    reads them); ``per_file_ignores`` pairs a glob, relative to the file's folder, with the rules
    it ignores; ``bib`` holds paths resolved against the file's folder (relative to the current
    folder when they lie in it, absolute otherwise); ``severity`` maps a rule CODE to "error",
    "warning" or "note". ``None`` and ``()`` mean "not set": the default applies.
    """

    path: Path | None = None
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fail_on: str | None = None
    bib: tuple[str, ...] = ()
    format: str | None = None
    severity: Mapping[str, str] = field(default_factory=_no_severity, hash=False)

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """``ignore`` and then the rules of every per-file-ignores glob that matches the input ``path``
        (made relative to the configuration file's folder), each rule once, in that order. An input
        outside that folder (possible with ``--config``) matches no glob."""
        if not self.per_file_ignores:
            return self.ignore
        relative = _relative(path, self.path.parent if self.path is not None else Path.cwd())
        extra: list[str] = []
        if relative is not None:
            for glob, rules in self.per_file_ignores:
                if _glob_regex(glob).fullmatch(relative):
                    extra.extend(rules)
        return tuple(dict.fromkeys((*self.ignore, *extra)))

    def merged(
        self,
        *,
        select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        fail_on: str | None = None,
        bib: Sequence[str] = (),
        format: str | None = None,
    ) -> Config:
        """This configuration with the command line's options over it: each option given (a
        non-empty sequence, a string that is not ``None``) replaces the file's value whole; the
        others keep it. ``per_file_ignores`` and ``severity`` have no option and always stay."""
        return Config(
            path=self.path,
            select=tuple(select) or self.select,
            ignore=tuple(ignore) or self.ignore,
            per_file_ignores=self.per_file_ignores,
            fail_on=fail_on if fail_on is not None else self.fail_on,
            bib=tuple(bib) or self.bib,
            format=format if format is not None else self.format,
            severity=self.severity,
        )


EMPTY = Config()

# Caches for one process (the command line never changes folder): parsed TOML by absolute path,
# validated configurations by (absolute path, current folder), and the search's answer by folder.
_DOCUMENTS: dict[str, dict[str, Any]] = {}
_CONFIGS: dict[tuple[str, str], Config] = {}
_FOUND: dict[str, Path | None] = {}


def clear_cache() -> None:
    """Forget every file read and every search made (for tests, or a process that edits its files)."""
    _DOCUMENTS.clear()
    _CONFIGS.clear()
    _FOUND.clear()


def config_for(input_path: str, config_file: str | None = None, isolated: bool = False) -> Config:
    """The configuration that applies to one input: ``config_file`` (``--config``) when given,
    else the nearest file found upward from the input's folder, else ``Config()``; always
    ``Config()`` when ``isolated``. ``--config`` with ``--isolated`` is an error."""
    if isolated:
        if config_file is not None:
            raise CitecheckError("--config and --isolated cannot be used together")
        return EMPTY
    if config_file is not None:
        return load_config(Path(config_file))
    found = find_config(input_path)
    return load_config(found) if found is not None else EMPTY


def find_config(input_path: str) -> Path | None:
    """The nearest configuration file for an input, as an absolute path, or ``None``: from the
    input's folder upward to the filesystem root, in each folder ``citecheck.toml``, then a
    ``pyproject.toml`` with a ``[tool.citecheck]`` table. A pyproject.toml that cannot be read
    or parsed on the way is an error, since whether it counts cannot be told."""
    folder = os.path.dirname(os.path.abspath(input_path))
    walked: list[str] = []
    found: Path | None = None
    while True:
        if folder in _FOUND:
            found = _FOUND[folder]
            break
        walked.append(folder)
        found = _in_folder(folder)
        parent = os.path.dirname(folder)
        if found is not None or parent == folder:  # the root is its own parent: the search ends there
            break
        folder = parent
    for seen in walked:
        _FOUND[seen] = found
    return found


def _in_folder(folder: str) -> Path | None:
    for name in FILE_NAMES:
        candidate = os.path.join(folder, name)
        if not os.path.exists(candidate) or os.path.isdir(candidate):
            continue  # a pipe or a device of that name is found, and refused when it is read
        if name == CONFIG_FILE or _tool_table(_document(candidate)) is not None:
            return Path(candidate)
    return None


def load_config(path: Path | str) -> Config:
    """Read and validate one configuration file: a ``pyproject.toml`` by its ``[tool.citecheck]``
    table (which it must have), any other file by its top-level keys. Cached by absolute path;
    raises ``CitecheckError`` with one line naming the file and the key."""
    absolute = os.path.abspath(path)
    key = (absolute, os.getcwd())
    config = _CONFIGS.get(key)
    if config is None:
        config = _CONFIGS[key] = _parse(Path(absolute), _document(absolute))
    return config


# Reading


def _document(path: str) -> dict[str, Any]:
    document = _DOCUMENTS.get(path)
    if document is None:
        document = _DOCUMENTS[path] = _toml(path, _read(path))
    return document


def _read(path: str) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; a pipe is never waited on, a device never read."""
    shown = _shown(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise _error(f"{shown}: no such configuration file") from None
    except OSError as exc:
        raise _error(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _error(f"{shown}: is a directory, not a configuration file")
    if not stat.S_ISREG(info.st_mode):
        raise _error(f"{shown}: is not a regular file (a pipe or a device), not a configuration file")
    if info.st_size > MAX_BYTES:
        raise _error(f"{shown}: is {info.st_size:,} bytes, larger than the 1 MiB limit for a configuration file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb", closefd=True) as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # replaced since it was looked at
                raise _error(f"{shown}: is not a regular file (a pipe or a device), not a configuration file")
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _error(f"{shown}: cannot read: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise _error(f"{shown}: is larger than the 1 MiB limit for a configuration file")
    return data


def _toml(path: str, data: bytes) -> dict[str, Any]:
    shown = _shown(path)
    try:
        text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _error(f"{shown}: is not valid UTF-8 (byte {exc.start}); TOML files are UTF-8") from None
    import tomllib  # only when a TOML file is there to read

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _error(f"{shown}: invalid TOML: {exc}") from None
    except RecursionError:
        raise _error(f"{shown}: invalid TOML: arrays or tables nested too deeply") from None


def _tool_table(document: dict[str, Any]) -> object | None:
    tool = document.get("tool")
    return tool.get("citecheck") if isinstance(tool, dict) else None


# Validating


def _parse(path: Path, document: dict[str, Any]) -> Config:
    shown = _shown(str(path))
    table: dict[str, Any] = document
    where = _Where(shown, "")
    if path.name == PYPROJECT:
        tool = _tool_table(document)
        if tool is None:
            raise _error(f"{shown}: has no [tool.citecheck] table")
        if not isinstance(tool, dict):
            raise _error(f"{shown}: [tool.citecheck]: expected a table, got {_kind(tool)}")
        table, where = tool, _Where(shown, "[tool.citecheck] ")
    for key in table:
        if key not in KEYS:
            close = _close(key.replace("_", "-"), KEYS)
            hint = f" (did you mean '{close}'?)" if close else f" (known keys: {', '.join(KEYS)})"
            raise where.error(_toml_key(key), "unknown key" + hint)
    folder = str(path.parent)
    return Config(
        path=path,
        select=_rules(where, "select", table.get("select", [])),
        ignore=_rules(where, "ignore", table.get("ignore", [])),
        per_file_ignores=_per_file_ignores(where, table.get("per-file-ignores", {})),
        fail_on=_choice(where, "fail-on", table.get("fail-on"), FAIL_ON),
        bib=_bibs(where, folder, table.get("bib", [])),
        format=_choice(where, "format", table.get("format"), FORMATS),
        severity=_severities(where, table.get("severity", {})),
    )


@record
class _Where:
    """The file as shown in messages and the table its keys are in ("" for the top level)."""

    shown: str
    section: str

    def error(self, key: str, problem: str) -> CitecheckError:
        return _error(f"{self.shown}: {self.section}{key}: {problem}")


def _strings(where: _Where, key: str, value: object) -> list[str]:
    if not isinstance(value, list):
        example = f" ({key} = [{json.dumps(value)}])" if isinstance(value, str) else ""
        raise where.error(key, f"expected an array of strings{example}, got {_kind(value)}")
    for item in value:
        if not isinstance(item, str):
            raise where.error(key, f"expected an array of strings, got an array holding {_kind(item)} ({item!r})")
    return value


def _registry() -> Any:
    """The rule registry, every rule registered: the --verify rules (CC3xx) are configured before they run."""
    from citecheck import rules
    from citecheck.verify import rules as _verify_rules  # noqa: F401  (registers CC301-CC309)

    return rules


def _rules(where: _Where, key: str, value: object) -> tuple[str, ...]:
    """Rule codes, code prefixes or names, each matching at least one rule as ``select_rules`` matches them."""
    registry = _registry()
    patterns = _strings(where, key, value)
    for pattern in patterns:
        if not pattern:
            raise where.error(key, "an empty string is not a rule code, prefix or name")
        if not registry.select_rules([pattern]):
            raise where.error(key, f"unknown rule {pattern!r}" + _suggest(pattern, registry.all_rules()))
    return tuple(patterns)


def _close(word: str, known: Sequence[str]) -> str | None:
    import difflib  # only for a message: not imported by a run whose files are right

    close = difflib.get_close_matches(word, known, n=1)
    return close[0] if close else None


def _suggest(pattern: str, known: Sequence[Any]) -> str:
    close = _close(pattern.lower(), [r.name for r in known])
    return f" (did you mean '{close}'?)" if close else " (see 'citecheck rules')"


def _per_file_ignores(where: _Where, value: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(value, dict):
        raise where.error("per-file-ignores", f'expected a table of "glob" = [rules], got {_kind(value)}')
    out = []
    for glob, rules in value.items():
        key = f"per-file-ignores.{_toml_key(glob)}"
        if not glob:
            raise where.error(key, "an empty glob matches no file")
        if glob.startswith("/") or os.path.isabs(glob) or re.match(r"[A-Za-z]:", glob):
            raise where.error(key, "the glob must be relative to the configuration file's folder")
        try:
            _glob_regex(glob)
        except re.error as exc:
            raise where.error(key, f"invalid glob ({exc})") from None
        out.append((glob, _rules(where, key, rules)))
    return tuple(out)


def _choice(where: _Where, key: str, value: object, allowed: Sequence[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise where.error(key, f"expected a string, got {_kind(value)}")
    if value not in allowed:
        raise where.error(key, f"unknown value {value!r} (expected one of: {', '.join(allowed)})")
    return value


def _bibs(where: _Where, folder: str, value: object) -> tuple[str, ...]:
    """Paths resolved against the file's folder, which they must not leave: a configuration file
    that came with a manuscript may not have citecheck read '~/.ssh/id_rsa' into the report."""
    out = []
    for name in _strings(where, "bib", value):
        if not name:
            raise where.error("bib", "an empty string is not a path")
        resolved = os.path.normpath(os.path.join(folder, name))
        if not within(folder, resolved):
            raise where.error("bib", f"{name!r} is outside the configuration file's folder (name it with --bib instead)")
        out.append(_shown(resolved))
    return tuple(out)


def _severities(where: _Where, value: object) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise where.error("severity", f'expected a table of rule = "error" | "warning" | "note", got {_kind(value)}')
    all_rules = _registry().all_rules()
    by_code = {r.code: r for r in all_rules}
    by_name = {r.name: r for r in all_rules}
    out: dict[str, str] = {}
    given: dict[str, str] = {}
    for name, level in value.items():
        key = f"severity.{_toml_key(name)}"
        rule = by_code.get(name.upper()) or by_name.get(name.lower())
        if rule is None:
            prefix = " (a prefix is not enough here: name one rule)" if any(c.startswith(name.upper()) for c in by_code) else ""
            raise where.error(key, f"unknown rule {name!r}" + (prefix or _suggest(name, all_rules)))
        if rule.code in given:
            raise where.error(key, f"{rule.code} is given twice (as {given[rule.code]!r} and {name!r})")
        if not isinstance(level, str):
            raise where.error(key, f"expected a string, got {_kind(level)}")
        if level not in SEVERITIES:
            raise where.error(key, f"unknown severity {level!r} (expected one of: {', '.join(SEVERITIES)})")
        given[rule.code] = name
        out[rule.code] = level
    return MappingProxyType(dict(sorted(out.items())))


# Globs


@functools.lru_cache(maxsize=512)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """A per-file-ignores glob as a regular expression over '/'-separated relative paths: ``*`` and
    ``?`` stay within one folder, ``[abc]`` is a set as in fnmatch, a whole ``**`` segment is any
    number of folders (none included), a trailing '/' means everything below."""
    while glob.startswith("./"):
        glob = glob[2:]
    if glob.endswith("/"):
        glob += "**"
    parts = glob.split("/")
    out = []
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        if part == "**":
            out.append(".*" if last else "(?:[^/]+/)*")
        else:
            out.append(_segment(part) + ("" if last else "/"))
    return re.compile("".join(out))


def _segment(part: str) -> str:
    out, i = [], 0
    while i < len(part):
        c = part[i]
        i += 1
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "[":
            j = i + (part[i : i + 1] == "!")
            j += part[j : j + 1] == "]"
            j = part.find("]", j)
            if j < 0:
                out.append(re.escape(c))
                continue
            inner = part[i:j]
            negate = inner.startswith("!")
            inner = "".join("\\" + ch if ch in "\\[]^&~|" else ch for ch in inner[negate:])
            out.append(f"[^/{inner}]" if negate else f"[{inner}]")
            i = j + 1
        else:
            out.append(re.escape(c))
    return "".join(out)


def _relative(path: str, folder: Path) -> str | None:
    """``path`` relative to ``folder`` with '/' separators, or ``None`` when it lies outside it."""
    try:
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(folder))
    except ValueError:  # another drive
        return None
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return relative.replace(os.sep, "/")


# Messages


def _shown(path: str) -> str:
    """A path as messages and reports show it: relative to the current folder when it lies in it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return path if relative == os.pardir or relative.startswith(os.pardir + os.sep) else relative


def _kind(value: object) -> str:
    kinds = {str: "a string", bool: "a boolean", int: "an integer", float: "a float", list: "an array", dict: "a table"}
    return kinds.get(type(value), "a date or time")


def _toml_key(key: str) -> str:
    """A key as TOML writes it: bare when it can be, else quoted."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _error(message: str) -> CitecheckError:
    """One line whatever the file holds: a key or a path with a line break in it is escaped."""
    return CitecheckError("".join(c if c.isprintable() else repr(c)[1:-1] for c in message))
