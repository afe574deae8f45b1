"""CSL YAML: the ``references:`` Pandoc reads from a Markdown file's YAML front matter, and from a
``.yaml`` bibliography file, read into the same ``Reference`` records as CSL-JSON with the same items.

Input: a text whose YAML is either all of it or the block between an opening ``---`` line and the
next ``---`` or ``...`` line (a front matter, a Pandoc ``.yaml`` bibliography). Output: one
``Reference`` per item of its top-level ``references:`` list, whose span is the item in that text
(from its first key, ``- id: ...``, to the end of its last value). YAML that is malformed, too large,
or whose ``references`` is not a list of mappings raises ``InputError`` with one line.

PyYAML reads the YAML (imported when a text is first read), with the constructor of
``yaml.safe_load`` and two changes:

- a bound on the work: YAML over ``MAX_YAML_BYTES`` is refused before it is parsed, and the
  composer counts the nodes as it builds them, an alias counting as the nodes it repeats, and stops
  past ``MAX_NODES`` (a "billion laughs" of nested aliases is refused in milliseconds); an alias
  inside the node it names (a recursive structure) is refused too;
- plain scalars are text, as CSL fields are and as Pandoc (YAML 1.2) reads them: "012" is not the
  octal 10, "1:30" not the sexagesimal 90, "2018-05-01" not a date, "No" (a given name) not false.
  Only ``null``/``~``/nothing and ``true``/``false`` keep their YAML meaning.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from citecheck.bibliography.csljson import csl_reference
from citecheck.cache import regex
from citecheck.errors import InputError
from citecheck.model import Reference, Span

MAX_YAML_BYTES = 1024 * 1024  # a front matter holds a title and a few dozen references, not a megabyte
MAX_NODES = 50_000  # about 2,000 references of 25 nodes each; aliases count as the nodes they repeat
OPEN, CLOSE = "---", ("---", "...")

# The YAML 1.1 resolvers of safe_load that turn plain text into something else; "true" and "false" stay booleans.
_NOT_TEXT = frozenset(f"tag:yaml.org,2002:{t}" for t in ("bool", "int", "float", "timestamp", "value", "yaml"))
_BOOL = "tag:yaml.org,2002:bool"
_TRUE_OR_FALSE = regex(r"^(?:true|True|TRUE|false|False|FALSE)$")


def parse_csl_yaml(text: str) -> list[Reference]:
    """The references of a CSL YAML text (a front matter, a ``.yaml`` bibliography), spans into ``text``."""
    start, end = yaml_body(text)
    refs = _parse(text[start:end], text.count("\n", 0, start) + 1)
    return [dataclasses.replace(r, span=Span(r.span.start + start, r.span.end + start)) for r in refs]


def yaml_body(text: str) -> tuple[int, int]:
    """Where a text's YAML lies: after the ``---`` line that opens it (a byte-order mark and blank
    lines before it allowed) up to the next ``---`` or ``...`` line, or to the end when none closes
    it; the whole text when it opens with no ``---`` line."""
    pos = 1 if text.startswith("\ufeff") else 0
    whole = (pos, len(text))
    while pos < len(text):
        newline = text.find("\n", pos)
        line_end = len(text) if newline == -1 else newline
        line = text[pos:line_end]
        if line.strip():
            if line.rstrip() != OPEN:
                return whole
            break
        pos = line_end + 1
    else:
        return whole
    body = line_end + 1
    at = body
    while at < len(text):
        newline = text.find("\n", at)
        line_end = len(text) if newline == -1 else newline
        if text[at:line_end].rstrip() in CLOSE:
            return body, at
        at = line_end + 1
    return min(body, len(text)), len(text)


@functools.lru_cache(maxsize=4)  # the reader checks a front matter, the pipeline reads it again: parsed once
def _parse(body: str, first_line: int) -> tuple[Reference, ...]:
    """The references of a YAML text; ``first_line`` is the line it starts on, for messages."""
    if len(body) > MAX_YAML_BYTES or len(body.encode("utf-8", "surrogatepass")) > MAX_YAML_BYTES:
        raise InputError(f"its YAML is larger than {MAX_YAML_BYTES // 2**20} MiB")
    node, data = _load(body, first_line)
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise InputError(f"its YAML is {_a(data)}, not a mapping with 'references'")
    items = data.get("references")
    if items is None:
        return ()
    value = _value_node(node, "references")
    line = first_line + value.start_mark.line if value is not None else first_line
    if not isinstance(items, list):
        raise InputError(f"'references' (line {line}) is {_a(items)}, not a list of references")
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise InputError(f"item {n} of 'references' (line {line}) is {_a(item)}, not a mapping of CSL fields")
    spans = _item_spans(body, value, len(items))
    return tuple(csl_reference(item, span) for item, span in zip(items, spans, strict=True))


def _a(value: object) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return f"a {type(value).__name__}"


def _value_node(node: Any, key: str) -> Any:
    """The node of a top-level key's value: the last, as a mapping keeps the last of a repeated key."""
    from yaml.nodes import MappingNode, ScalarNode

    if not isinstance(node, MappingNode):
        return None
    for k, v in reversed(node.value):
        if isinstance(k, ScalarNode) and k.value == key:
            return v
    return None


def _item_spans(body: str, value: Any, count: int) -> list[Span]:
    """Each item's place in the text, trailing blank lines and spaces excluded; the place of the
    whole list for every item when its nodes cannot be told apart (a list built by a merge key)."""
    from yaml.nodes import SequenceNode

    if isinstance(value, SequenceNode) and len(value.value) == count:
        spans = []
        for item in value.value:
            start, end = item.start_mark.index, item.end_mark.index
            spans.append(Span(start, max(start + len(body[start:end].rstrip()), start + 1)))
        return spans
    start = value.start_mark.index if value is not None else 0
    return [Span(start, start + 1)] * count


def _load(body: str, first_line: int) -> tuple[Any, Any]:
    """The YAML's node tree and data, or ``InputError`` with one line."""
    import yaml

    loader = _loader()(body)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        where = f" at line {first_line + exc.problem_mark.line}" if exc.problem_mark is not None else ""
        raise InputError(f"not valid YAML: {_one_line(exc.problem or exc.context or 'malformed')}{where}") from None
    except yaml.YAMLError as exc:  # the reader's: a control character
        raise InputError(f"not valid YAML: {_one_line(str(exc).splitlines()[0])}") from None
    except RecursionError:
        raise InputError("its YAML is nested too deeply to read") from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's: "!!timestamp 2018-02-30"
        raise InputError(f"not valid YAML: {_one_line(str(exc))}") from None
    finally:
        loader.dispose()
    return node, data


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


@functools.cache
def _loader() -> type:
    """safe_load's loader (libyaml's parser when PyYAML has it, else PyYAML's own) whose composer
    counts nodes, and whose plain scalars are text."""
    import yaml
    from yaml.composer import Composer
    from yaml.events import AliasEvent
    from yaml.resolver import Resolver

    base = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    resolvers = {
        first: [(tag, pattern) for tag, pattern in pairs if tag not in _NOT_TEXT]
        for first, pairs in Resolver.yaml_implicit_resolvers.items()
    }
    for first in "tTfF":
        resolvers.setdefault(first, []).append((_BOOL, _TRUE_OR_FALSE))

    class Loader(base, Composer):  # type: ignore[valid-type,misc]
        yaml_implicit_resolvers = resolvers
        # Composer's, not libyaml's: libyaml composes in C, where no node could be counted.
        get_single_node = Composer.get_single_node

        def __init__(self, stream: str) -> None:
            base.__init__(self, stream)
            Composer.__init__(self)
            self.nodes = 0
            self.sizes: dict[str, int] = {}  # the nodes under each anchor, its aliases expanded

        def count(self, n: int) -> None:
            self.nodes += n
            if self.nodes > MAX_NODES:
                raise InputError(f"its YAML has more than {MAX_NODES:,} nodes (aliases counted as the nodes they repeat)")

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            if isinstance(event, AliasEvent):
                size = self.sizes.get(event.anchor)
                if size is None and event.anchor in self.anchors:
                    raise InputError(f"its YAML has an alias inside the node it names ('*{event.anchor}'), a recursive structure")
                self.count(size or 1)
                return Composer.compose_node(self, parent, index)
            before = self.nodes
            self.count(1)
            node = Composer.compose_node(self, parent, index)
            if event.anchor is not None:
                self.sizes[event.anchor] = self.nodes - before
            return node

    return Loader
