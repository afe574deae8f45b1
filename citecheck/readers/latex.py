"""LaTeX manuscripts: the files a document is made of, and the citation commands in them.

Input: the path of the main ``.tex`` file. ``read_latex`` follows ``\\input`` and ``\\include``
(relative to the main file's folder, as LaTeX does when run there) and the bibliographies that
``\\bibliography{...}`` and ``\\addbibresource{...}`` name, and returns one ``Source`` of all of
them, each file a ``Part``, so that every finding points into the file it concerns.

A file with neither ``\\documentclass`` nor ``\\begin{document}`` is a chapter: ``find_root`` looks
for the document it belongs to, and the root is read instead, with a note saying so. The root is
the file a ``% !TEX root = ../main.tex`` comment in the chapter's first lines names (in the
chapter's folder or a folder at most ``MAX_ROOT_LEVELS`` above it), else a ``.tex`` file of the
chapter's folder that inputs it. Reading the root is confined to the root's folder as always, and
the root is used only when it does read the chapter; otherwise the chapter is read alone.

``find_latex_citations`` reads the natbib and biblatex citation commands, with their pre- and
post-notes and several keys each, into ``Citation`` records whose span is the key itself;
``\\nocite`` keys are returned apart, and a command that is never closed is reported as malformed.
``find_bibitems`` reads a list written by hand (``thebibliography``, one ``\\bibitem`` an entry).

Nothing here expands macros: text is only searched for the commands above. Comments, the
``comment`` environment and verbatim text are blanked first (same length, so offsets hold).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from citecheck.cache import regex
from citecheck.citations import parse_locator
from citecheck.errors import InputError
from citecheck.model import BIBLIOGRAPHY, MANUSCRIPT, Citation, Reference, Source, Span, join_sources, keyed_citation, make_source
from citecheck.read import read_path, within
from citecheck.readers.syntax import Markup, Syntax
from citecheck.references import parse_entry

MAX_FILES = 500  # \input chains deeper or wider than this are a loop or a hostile file
MAX_ROOT_LEVELS = 3  # a "% !TEX root" comment may name a file this many folders above the chapter's
MAGIC_LINES = 20  # where a "% !TEX root" comment is looked for, as TeXShop and TeXstudio look
MAX_SIBLINGS = 200  # the .tex files of a chapter's folder read to find the one that inputs it
MAX_SIBLING_BYTES = 16 * 1024 * 1024  # a larger one is no root (a generated table, say): not read
TEX_EXTENSIONS = (".tex", ".ltx")
MAX_ARGUMENT = 2000  # an optional argument or key list longer than this was never closed

# natbib and biblatex commands whose keys are citations. Narrative ones name the author in the text.
NARRATIVE = frozenset({"citet", "Citet", "citealt", "Citealt", "textcite", "Textcite", "textcites", "Textcites"})
CITE_COMMANDS = NARRATIVE | frozenset(
    {
        "cite", "Cite", "citep", "Citep", "citealp", "Citealp", "citeauthor", "Citeauthor", "citeyear",
        "citeyearpar", "citenum", "citefullauthor", "parencite", "Parencite", "footcite", "footcitetext",
        "smartcite", "Smartcite", "autocite", "Autocite", "supercite", "citetitle", "Citetitle", "citedate",
        "fullcite", "footfullcite", "cites", "Cites", "parencites", "Parencites", "footcites", "smartcites",
        "autocites", "Autocites", "supercites",
    }
)  # fmt: skip
# Commands that take several {keys} groups, each with its own notes: \parencites[pre][post]{a}[post]{b}.
MULTI = frozenset(c for c in CITE_COMMANDS if c.endswith("cites") or c.endswith("Cites"))

COMMAND = regex(r"\\([A-Za-z]*cite[A-Za-z]*|[A-Za-z]*Cite[A-Za-z]*)(\*?)")
INPUT = regex(r"\\(?:input|include|subfile)\s*\{([^{}\n]+)\}")
# What makes a file a document rather than a chapter of one (comments blanked first).
DOCUMENT = regex(r"\\documentclass\b|\\begin\s*\{document\}")
TEX_ROOT = regex(r"^[ \t]*%[ \t]*!TEX[ \t]+root[ \t]*=[ \t]*(?P<name>[^\r\n]*)$", re.IGNORECASE | re.MULTILINE)
BIBLIOGRAPHY_COMMAND = regex(r"\\bibliography\s*\{([^{}]+)\}")
ADDBIBRESOURCE = regex(r"\\addbibresource\s*(?:\[[^\]]*\]\s*)?\{([^{}]+)\}")
# Text that is not typeset as text: comments, the comment environment, verbatim material.
_UNTYPESET_ENVS = ("comment", "verbatim", "Verbatim", "lstlisting", "minted")
_UNTYPESET = regex(r"\\begin\{(" + "|".join(_UNTYPESET_ENVS) + r")\*?\}.*?(?:\\end\{\1\*?\}|\Z)", re.DOTALL)
_VERB = regex(r"\\verb\*?([^A-Za-z\s*])[^\n]*?\1")
THEBIBLIOGRAPHY = regex(r"\\begin\{thebibliography\}(?:\{[^{}\n]*\})?(?P<body>.*?)(?:\\end\{thebibliography\}|\Z)", re.DOTALL)
BIBITEM = regex(r"\\bibitem\s*(?:\[[^\]\n]*\])?\s*\{(?P<key>[^{}\n]+)\}")
# Markup inside a hand-written entry that is not its text: \newblock, \emph{, {\em, font switches.
_MARKUP = regex(r"\\(?:newblock|emph|textit|textbf|textsc|em|it|bf|sc|url|href\{[^{}]*\})\b\s*|[{}]")


@dataclass(frozen=True)
class Found:
    """What the citation commands of a LaTeX text say."""

    citations: list[Citation]
    nocite: list[tuple[str, Span]]  # keys of \nocite, "*" for all
    malformed: list[tuple[Span, str]]  # a command that could not be read, and why


def read_latex(path: str) -> Source:
    """The main file, the files it inputs, and the bibliographies it names, as one ``Source``; for
    a chapter, those of its root (see ``find_root``), or of the chapter alone when it has none."""
    main = read_path(path)
    root, how, notes = find_root(path, main)
    if root is not None:
        try:
            whole: Source | None = _read_files(root, None)
        except InputError as exc:
            whole, notes = None, (*notes, f"{path}: its root {root} could not be read ({exc}); it was audited alone")
        chapter = os.path.realpath(path)
        if whole is not None and any(p.role == MANUSCRIPT and os.path.realpath(p.path) == chapter for p in whole.parts):
            return _with_notes(whole, (*notes, f"{path} was audited through its root {root}, {how}"))
        if whole is not None:
            notes = (*notes, f"{path}: its root {root} does not input it; it was audited alone")
    return _with_notes(_read_files(path, main), notes)


def _with_notes(source: Source, notes: tuple[str, ...]) -> Source:
    return replace(source, notes=source.notes + notes) if notes else source


def find_root(path: str, main: Source) -> tuple[str | None, str, tuple[str, ...]]:
    """The root of a chapter (a file with no ``\\documentclass`` and no ``\\begin{document}``),
    how it was found, and a note on a ``% !TEX root`` comment that could not be followed; (None,
    "", ()) for a document, a chapter whose comment names itself, or one whose root is not found."""
    if DOCUMENT.search(blank_comments(main.text)):
        return None, "", ()
    folder = os.path.dirname(path)
    notes: tuple[str, ...] = ()
    head = main.text[: _nth_line_end(main.text, MAGIC_LINES)]
    magic = TEX_ROOT.search(head)
    if magic is not None:
        name = magic.group("name").strip().strip("\"'")
        root, problem = _magic_root(path, folder, name)
        if root is not None:
            return root, "which its '% !TEX root' comment names", ()
        if not problem:
            return None, "", ()  # it names itself
        line = head.count("\n", 0, magic.start()) + 1
        notes = (f"{path}:{line}: the '% !TEX root' comment names '{name}', {problem}; it was not followed",)
    root = _including_sibling(path, folder)
    if root is not None:
        return root, "which inputs it", notes
    return None, "", notes


def _nth_line_end(text: str, n: int) -> int:
    at = -1
    for _ in range(n):
        at = text.find("\n", at + 1)
        if at == -1:
            return len(text)
    return at


def _magic_root(path: str, folder: str, name: str) -> tuple[str | None, str]:
    """The file a ``% !TEX root`` comment names, or why it is not taken: it must be a .tex file in
    the chapter's folder or in a folder at most ``MAX_ROOT_LEVELS`` above it (not a sibling folder,
    not elsewhere); (None, "") for the chapter itself."""
    if not name:
        return None, "no file"
    target = _resolve(folder, name, ".tex")
    if target is None:
        return None, "a file that was not found"
    if os.path.splitext(target)[1].lower() not in TEX_EXTENSIONS:
        return None, "a file that is not a .tex file"
    if os.path.realpath(target) == os.path.realpath(path):
        return None, ""
    root_folder = os.path.realpath(os.path.dirname(target) or os.curdir)
    here = os.path.realpath(folder or os.curdir)
    if not within(root_folder, here) or len(os.path.relpath(here, root_folder).split(os.sep)) > MAX_ROOT_LEVELS:
        return None, f"a file outside the chapter's folder and the {MAX_ROOT_LEVELS} folders above it"
    return target, ""


def _including_sibling(path: str, folder: str) -> str | None:
    """A .tex file of the chapter's folder that ``\\input``s or ``\\include``s it (by name, with
    or without .tex, resolved as ``read_latex`` resolves it): a document (one with
    ``\\documentclass``) first, then by name."""
    chapter = os.path.realpath(path)
    try:
        with os.scandir(folder or os.curdir) as entries:
            names = sorted(e.name for e in entries if os.path.splitext(e.name)[1].lower() in TEX_EXTENSIONS and e.is_file())
    except OSError:
        return None
    found: list[tuple[bool, str]] = []
    for name in names[:MAX_SIBLINGS]:
        candidate = os.path.join(folder, name)
        if os.path.realpath(candidate) == chapter or not within(folder, candidate):
            continue
        try:
            if os.path.getsize(candidate) > MAX_SIBLING_BYTES:
                continue
            clean = blank_comments(read_path(candidate).text)
        except (InputError, OSError):
            continue
        for m in INPUT.finditer(clean):
            target = _resolve(folder, m.group(1).strip(), ".tex")
            if target is not None and os.path.realpath(target) == chapter:
                found.append((DOCUMENT.search(clean) is None, name))
                break
    return os.path.join(folder, min(found)[1]) if found else None


def _read_files(path: str, main: Source | None) -> Source:
    """``read_latex`` for a main file: it, what it inputs, the bibliographies it names."""
    main = main if main is not None else read_path(path)
    base = os.path.dirname(path)  # relative names stay relative, so findings name files as the user does
    files: list[Source] = []
    notes: list[str] = []
    seen: set[str] = set()
    pending = [main]
    while pending and len(files) < MAX_FILES:
        src = pending.pop(0)
        if os.path.abspath(src.path or "") in seen:
            continue
        seen.add(os.path.abspath(src.path or ""))
        files.append(src)
        clean = blank_comments(src.text)
        for m in INPUT.finditer(clean):
            target = _resolve(base, m.group(1).strip(), ".tex")
            if target is not None and not within(base, target):
                line = src.position(m.start())[0]
                notes.append(f"{src.path}:{line}: {m.group(0)} names a file outside the manuscript's folder; it was not read")
            elif target is None:
                line = src.position(m.start())[0]
                notes.append(f"{src.path}:{line}: {m.group(0)} names a file that was not found; its citations are not checked")
            elif os.path.abspath(target) not in seen:
                try:
                    pending.append(read_path(target))
                except InputError as exc:  # "\input{figure.pdf}": the rest of the manuscript is still worth auditing
                    notes.append(f"{src.path}:{src.position(m.start())[0]}: {m.group(0)} was not read: {exc}")
    bibs: list[Source] = []
    for src in files:
        for name, line in bibliography_names(blank_comments(src.text), src):
            target = _resolve(base, name, ".bib")
            if target is not None and not within(base, target):
                notes.append(f"{src.path}:{line}: the bibliography '{name}' is outside the manuscript's folder; it was not read")
            elif target is None:
                notes.append(f"{src.path}:{line}: the bibliography '{name}' was not found")
            elif os.path.abspath(target) not in seen:
                seen.add(os.path.abspath(target))
                bibs.append(read_path(target))
    joined = join_sources([(f, MANUSCRIPT) for f in files] + [(b, BIBLIOGRAPHY) for b in bibs])
    return make_source(joined.text, path, joined.encoding, joined.notes + tuple(notes), format="latex", parts=joined.parts)


def bibliography_names(clean: str, src: Source) -> list[tuple[str, int]]:
    """The bibliography files a LaTeX text names, each with the line that names it."""
    names: list[tuple[str, int]] = []
    for m in BIBLIOGRAPHY_COMMAND.finditer(clean):
        line = src.position(m.start())[0]
        names.extend((n.strip(), line) for n in m.group(1).split(",") if n.strip())
    for m in ADDBIBRESOURCE.finditer(clean):
        names.append((m.group(1).strip(), src.position(m.start())[0]))
    return names


def _resolve(base: str, name: str, extension: str) -> str | None:
    """The file LaTeX would read for ``name``: with the default extension first, as BibTeX and TeX
    add it whatever the name holds ("refs.v2" is "refs.v2.bib"), then as given."""
    candidates = [name] if name.endswith(extension) else [name + extension, name]
    for candidate in candidates:
        full = os.path.normpath(os.path.join(base, candidate))
        if os.path.isfile(full):
            return full
    return None


def blank_comments(text: str) -> str:
    """The text with comments, comment environments and verbatim material replaced by spaces
    (newlines kept), so that offsets into it are offsets into the text."""
    chars = list(text)

    def wipe(start: int, end: int) -> None:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "

    for m in _UNTYPESET.finditer(text):
        wipe(m.start(), m.end())
    for m in _VERB.finditer(text):
        wipe(m.start(), m.end())
    at = text.find("%")
    while at != -1:
        backslashes = 0
        while at - backslashes - 1 >= 0 and text[at - backslashes - 1] == "\\":
            backslashes += 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        if backslashes % 2 == 0 and chars[at] == "%":
            wipe(at, end)
            at = text.find("%", end)
        else:
            at = text.find("%", at + 1)
    return "".join(chars)


def find_latex_citations(clean: str, start: int = 0, end: int | None = None) -> Found:
    """The citation commands in ``clean[start:end]`` (a text whose comments are blanked)."""
    stop = len(clean) if end is None else end
    found = Found([], [], [])
    group = 0
    commands = list(COMMAND.finditer(clean, start, stop))
    for n, m in enumerate(commands):
        name = m.group(1)
        # A command's arguments end before the next command: scanning no further keeps a file of
        # 100,000 unclosed "\\citep{" linear instead of scanning 2,000 characters for each.
        end = commands[n + 1].start() if n + 1 < len(commands) else stop
        if name == "nocite":
            keys, after = _braced(clean, _skip_space(clean, m.end(), end), end)
            if keys is None:
                found.malformed.append((Span(m.start(), min(end, m.start() + 60)), "its key list is never closed"))
                continue
            found.nocite.extend((key, span) for key, span in _keys(clean, keys))
            continue
        if name not in CITE_COMMANDS:
            continue
        pos = m.end()
        items: list[tuple[list[str], Span]] = []  # (optional arguments, key list) for each key group
        broken = None
        while True:
            if name in MULTI:  # the global notes of \cites: (pre)(post)
                while pos < end and clean.startswith("(", _skip_space(clean, pos, end)):
                    close = clean.find(")", pos, min(end, pos + MAX_ARGUMENT))
                    if close == -1:
                        break
                    pos = close + 1
            options: list[str] = []
            pos = _skip_space(clean, pos, end)
            while pos < end and clean[pos] == "[" and len(options) < 2:
                option, after = _bracketed(clean, pos, end)
                if option is None:
                    broken = "an optional argument is never closed"
                    break
                options.append(clean[option.start : option.end])
                pos = _skip_space(clean, after, end)
            if broken:
                break
            if pos >= end or clean[pos] != "{":
                if not items:
                    broken = "it has no {key} argument"
                break
            keys, after = _braced(clean, pos, end)
            if keys is None:
                broken = "its key list is never closed"
                break
            items.append((options, keys))
            pos = after
            if name not in MULTI:
                break
            peek = _skip_space(clean, pos, end)
            if peek >= end or clean[peek] not in "[{":
                break
        if broken:
            found.malformed.append((Span(m.start(), min(end, m.start() + 60, _line_end(clean, m.start()))), broken))
            continue
        command = " ".join(clean[m.start() : pos].split())
        for options, keys in items:
            pre, post = ("", options[0]) if len(options) == 1 else (options[0], options[1]) if options else ("", "")
            locator = parse_locator(post)
            for key, span in _keys(clean, keys):
                found.citations.append(
                    keyed_citation(span, key, command, name in NARRATIVE, locator, group, " ".join(pre.replace("~", " ").split()))
                )
        group += 1
    return found


def find_bibitems(clean: str) -> tuple[list[Reference], Span | None]:
    """The entries of a ``thebibliography`` list, parsed as author-date entries and keyed, and the
    span of the list."""
    m = THEBIBLIOGRAPHY.search(clean)
    if m is None:
        return [], None
    items = list(BIBITEM.finditer(clean, m.start("body"), m.end("body")))
    out = []
    for item, following in zip(items, [*items[1:], None], strict=True):
        end = following.start() if following is not None else m.end("body")
        raw = clean[item.end() : end]
        text = " ".join(_MARKUP.sub("", raw).replace("~", " ").replace("\\&", "&").replace("--", "–").split())
        ref = parse_entry(text, Span(item.start(), item.start() + len(clean[item.start() : end].rstrip())))
        out.append(replace(ref, key=item.group("key").strip(), text=text))
    return out, Span(m.start(), m.end())


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line_end(text: str, pos: int) -> int:
    at = text.find("\n", pos)
    return len(text) if at == -1 else at


def _braced(text: str, pos: int, end: int) -> tuple[Span | None, int]:
    """The inside of the ``{...}`` opening at ``pos`` (nested braces allowed), and where it ends."""
    if pos >= end or text[pos] != "{":
        return None, pos
    depth = 0
    limit = min(end, pos + MAX_ARGUMENT)
    for i in range(pos, limit):
        c = text[i]
        if c == "{" and text[i - 1] != "\\":
            depth += 1
        elif c == "}" and text[i - 1] != "\\":
            depth -= 1
            if depth == 0:
                return Span(pos + 1, i), i + 1
        elif c == "\n" and text.startswith("\n", i + 1):
            break  # a paragraph break: the brace was never closed
    return None, pos


def _bracketed(text: str, pos: int, end: int) -> tuple[Span | None, int]:
    """The inside of an optional argument ``[...]`` opening at ``pos``; braces protect brackets."""
    depth = 0
    limit = min(end, pos + MAX_ARGUMENT)
    i = pos + 1
    while i < limit:
        c = text[i]
        if c == "{":
            inner, after = _braced(text, i, end)
            if inner is None:
                return None, pos
            i = after
            continue
        if c == "]" and depth == 0:
            return Span(pos + 1, i), i + 1
        if c == "\n" and text.startswith("\n", i + 1):
            break
        i += 1
    return None, pos


def _keys(text: str, inside: Span) -> list[tuple[str, Span]]:
    """The comma-separated keys of a ``{...}`` argument, each with its own span."""
    out: list[tuple[str, Span]] = []
    at = inside.start
    for piece in text[inside.start : inside.end].split(","):
        stripped = piece.strip()
        if stripped:
            first = at + piece.index(stripped)
            out.append((stripped, Span(first, first + len(stripped))))
        at += len(piece) + 1
    return out


def _as_written(text: str, citations: list[Citation]) -> list[Citation]:
    """The citations with the text their spans hold in the file: a key list a comment runs
    through ("\\citep{smith% note\n jones}") is read with the comment blanked, and quoted as written."""
    out = []
    for c in citations:
        written = text[c.span.start : c.span.end]
        out.append(c if written == c.text else replace(c, text=written))
    return out


class LatexSyntax(Syntax):
    """LaTeX: ``\\cite`` commands and ``\\bibitem`` entries are all there is; its prose is not read."""

    def whole(self, source: Source, bibliography: list[Reference]) -> Markup:
        end = source.manuscript_end
        clean = blank_comments(source.text[:end])
        commands = find_latex_citations(clean)
        items, listed = find_bibitems(clean)
        return Markup(
            clean + source.text[end:],
            sorted(_as_written(source.text, commands.citations), key=lambda c: c.span.start),
            items + bibliography,
            reference_list=listed,
            bibliographies=sum(1 for p in source.parts if p.role != MANUSCRIPT),
            nocite=commands.nocite,
            malformed=commands.malformed,
        )
