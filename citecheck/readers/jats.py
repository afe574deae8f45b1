"""JATS XML (the article format of PubMed Central, eLife, PLOS and most publishers' archives).

Input: a path to a JATS ``<article>``. Output: a ``Source`` whose text is the article as a reader
sees it, one paragraph per block, that the pipeline reads like any other text: the title, the
abstract, each section's title and paragraphs, table rows as cells joined by `` | ``, figure
captions, then the back matter with the reference list under its own title ("References" when it
has none), one entry per ``<ref>``. The citations are the text of the ``<xref ref-type="bibr">``
elements where the article puts them, "(Smith et al., 2018)", so they are found, linked and
checked as the prose of any format is. An entry is its ``<mixed-citation>`` as printed, or, for an
``<element-citation>`` (fields without punctuation), the fields set out in the APA order.

The standard library's parser is used: it resolves no external entity and fetches nothing, and its
expat refuses entity expansion bombs. A file that is not well-formed XML, or whose root is not an
article, is a one-line ``InputError``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator

from citecheck.errors import InputError
from citecheck.model import Source, make_source
from citecheck.read import read_bytes

SKIPPED = frozenset({"object-id", "label", "alternatives", "graphic", "inline-graphic", "tex-math", "mml:math", "math"})


def read_jats(path: str) -> Source:
    data = read_bytes(path)
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise InputError(f"{path}: not well-formed XML ({e})") from None
    except (LookupError, ValueError) as e:  # an encoding the parser does not know: "UTF-0", "UTF-16" in a UTF-8 file
        raise InputError(f"{path}: not readable XML ({e})") from None
    if _tag(root) != "article":
        raise InputError(f"{path}: not a JATS article (the root element is <{_tag(root)}>, not <article>)")
    paragraphs = list(_article(root))
    text = "\n\n".join(p for p in paragraphs if p) + "\n"
    return make_source(text, path=path, encoding="jats", format="jats", paragraphs=True)


def _article(root: ET.Element) -> Iterator[str]:
    front = _child(root, "front")
    meta = _child(front, "article-meta") if front is not None else None
    if meta is not None:
        title = _find(meta, "article-title")
        if title is not None:
            yield _text(title)
        for abstract in _all(meta, "abstract"):
            yield from _blocks(abstract)
    body = _child(root, "body")
    if body is not None:
        yield from _blocks(body)
    back = _child(root, "back")
    if back is not None:
        for child in back:
            if _tag(child) == "ref-list":
                yield from _ref_list(child)
            else:
                yield from _blocks(child)


def _blocks(element: ET.Element) -> Iterator[str]:
    """The paragraphs of a section, a box or the back matter, in reading order."""
    for child in element:
        tag = _tag(child)
        if tag in ("p", "title"):
            if any(_tag(c) in ("table-wrap", "fig", "list") for c in child):
                yield _text(child, skip=("table-wrap", "fig", "list"))
                yield from _blocks(child)
            else:
                yield _text(child)
        elif tag == "table-wrap":
            yield from _table(child)
        elif tag == "ref-list":
            yield from _ref_list(child)
        elif tag in SKIPPED:
            continue
        else:
            yield from _blocks(child)


def _table(wrap: ET.Element) -> Iterator[str]:
    caption = _find(wrap, "caption")
    if caption is not None:
        yield from _blocks(caption)
    for row in wrap.iter():
        if _tag(row) == "tr":
            yield " | ".join(_text(cell) for cell in row if _tag(cell) in ("td", "th"))


def _ref_list(ref_list: ET.Element) -> Iterator[str]:
    title = _child(ref_list, "title")
    yield _text(title) if title is not None and _text(title) else "References"
    for child in ref_list:
        tag = _tag(child)
        if tag == "ref":
            yield _entry(child)
        elif tag == "ref-list":  # a list in parts: "Primary sources", "Secondary sources"
            yield from _ref_list(child)


def _entry(ref: ET.Element) -> str:
    mixed = _find(ref, "mixed-citation")
    if mixed is not None:
        return _text(mixed, skip=("label",))
    element = _first(ref, "element-citation", "citation")
    return _from_fields(element) if element is not None else _text(ref, skip=("label",))


def _from_fields(citation: ET.Element) -> str:
    """An element citation's fields in the APA order: "Smith, J., & Lee, K. (2018). Title. Source, 4(2), 1–9."."""
    names = []
    for name in citation.iter():
        tag = _tag(name)
        if tag == "name":
            surname = _text(_child(name, "surname"))
            given = _text(_child(name, "given-names"))
            initials = " ".join(f"{w[0]}." for w in given.replace("-", " ").split() if w[:1].isalpha())
            names.append(f"{surname}, {initials}" if initials else surname)
        elif tag in ("collab", "string-name") and not list(name.iter("surname")):
            names.append(_text(name))
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else ""
    year = _text(_find(citation, "year")) or "n.d."
    title = _text(_first(citation, "article-title", "chapter-title", "data-title"))
    source = _text(_find(citation, "source"))
    volume, issue = _text(_find(citation, "volume")), _text(_find(citation, "issue"))
    first, last = _text(_find(citation, "fpage")), _text(_find(citation, "lpage"))
    parts = [f"{authors} ({year})." if authors else f"({year})."]
    if title:
        parts.append(title.rstrip(".") + ".")
    where = source
    if volume:
        where += f", {volume}" + (f"({issue})" if issue else "")
    if first:
        where += f", {first}" + (f"–{last}" if last else "")
    if where:
        parts.append(where.rstrip(".") + ".")
    return " ".join(parts)


# -- the tree ---------------------------------------------------------------------------------------


def _tag(element: ET.Element) -> str:
    """A tag without its namespace: "{http://www.w3.org/1998/Math/MathML}math" -> "math"."""
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element | None, tag: str) -> ET.Element | None:
    if element is None:
        return None
    return next((c for c in element if _tag(c) == tag), None)


def _find(element: ET.Element, tag: str) -> ET.Element | None:
    return next((e for e in element.iter() if _tag(e) == tag and e is not element), None)


def _first(element: ET.Element, *tags: str) -> ET.Element | None:
    """The first descendant with the first of ``tags`` that there is (an element with no children
    is falsy, so ``or`` cannot choose between them)."""
    for tag in tags:
        found = _find(element, tag)
        if found is not None:
            return found
    return None


def _all(element: ET.Element, tag: str) -> list[ET.Element]:
    return [e for e in element.iter() if _tag(e) == tag]


def _text(element: ET.Element | None, skip: tuple[str, ...] = ()) -> str:
    """An element's text with its white space collapsed, leaving out the subtrees tagged ``skip``."""
    if element is None:
        return ""
    out: list[str] = []
    _gather(element, set(skip) | SKIPPED, out, top=True)
    return " ".join("".join(out).split())


def _gather(element: ET.Element, skip: set[str], out: list[str], top: bool = False) -> None:
    if not top and _tag(element) in skip:
        out.append(element.tail or "")
        return
    out.append(element.text or "")
    for child in element:
        _gather(child, skip, out)
    if not top:
        out.append(element.tail or "")
