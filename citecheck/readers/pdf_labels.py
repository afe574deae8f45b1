"""The page labels a PDF gives its pages, as a viewer shows them: "xii" for the twelfth page of
front matter, "245" for the first page of an article in a journal's volume.

Input: a pdfminer document and its page count. Output: one label per page, from the catalog's
/PageLabels number tree (ranges of pages, each with a style: /D decimal, /R and /r roman, /A and
/a letters; a prefix /P; a first number /St), "" for a page before the first range; no labels at
all when the document has none, or a tree that cannot be read, then with a note saying so.

pdfminer's own reader walks the tree whole and recursively, and believes it: thirty nodes that
each name the next one twice make a tree of a billion leaves, and a node among its own kids never
ends. This one walks it with a stack, visits each node once (a node met again is a tree that
refers back to itself, which no writer produces), and stops past a budget of nodes and entries
that a real tree of the document's pages stays far under. Labels are bounded too: a prefix of a
megabyte, or roman numerals of a first number of a billion, would be one such label per page.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdftypes import PDFObjRef
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from citecheck.readers.pdf_limits import Exceeded, ReferenceLoop

MAX_HOPS = 32  # references to references before a value; real files have one
MAX_PREFIX = 64  # characters of a label's prefix kept ("Appendix A-", "S")
MAX_START = 10**9  # a range's first number; beyond, the tree is no one's page numbering
MAX_ROMAN = 4999  # MMMMCMXCIX: past this a roman label is written in digits
MAX_LETTERS = 26 * 100  # "A" to "ZZZ...Z" of a hundred letters: past this a letter label is digits

ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"))
ROMAN += ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


class Unreadable(Exception):
    """The page-label tree cannot be read; the message says why, for the note."""


def page_labels(doc: PDFDocument, count: int) -> tuple[tuple[str, ...], str | None]:
    """The label of each of the document's ``count`` pages, and a note when the document has
    labels that could not be read; ``()`` when it has none."""
    try:
        root = doc.catalog.get("PageLabels")
        if root is None:
            return (), None
        entries = tree_entries(root, 64 + 10 * count)
        labels = tuple(labels_of(entries, count))
    except Exceeded:  # the document's own limits: read_pdf refuses it
        raise
    except Unreadable as exc:
        return (), _unread(str(exc))
    except ReferenceLoop:
        return (), _unread("a reference of it leads back to itself")
    except Exception:  # pdfminer's errors on a damaged object; RecursionError
        return (), _unread("an object of it is damaged")
    return (labels if any(labels) else ()), None


def _unread(why: str) -> str:
    return f"the PDF's page labels could not be read ({why}); pages are named by their number"


def tree_entries(root: object, budget: int) -> list[tuple[int, dict[str, Any]]]:
    """The (first page, label dictionary) entries of a number tree, in the order the tree lists
    them, its nodes visited once each and no more than ``budget`` nodes and entries in all."""
    seen: set[int] = set()
    stack = [root]
    entries: list[tuple[int, dict[str, Any]]] = []
    work = 0
    while stack:
        node = _value(stack.pop(), seen)
        if not isinstance(node, dict):
            raise Unreadable("a node of its tree is not a dictionary")
        nums = _value(node.get("Nums", []), seen)
        kids = _value(node.get("Kids", []), seen)
        if not isinstance(nums, list) or not isinstance(kids, list):
            raise Unreadable("a node of its tree has entries that are not an array")
        work += 1 + len(nums) // 2 + len(kids)
        if work > budget:
            raise Unreadable("its tree is far larger than the document's pages need")
        for i in range(0, len(nums) - 1, 2):
            key, spec = _value(nums[i]), _value(nums[i + 1])
            if not isinstance(key, int) or isinstance(key, bool) or not isinstance(spec, dict):
                raise Unreadable("an entry of its tree is not a page number and a label")
            entries.append((key, spec))
        stack.extend(reversed(kids))  # depth first, left to right: the tree's order
    return entries


def _value(obj: object, seen: set[int] | None = None) -> Any:
    """The object a value refers to, through at most ``MAX_HOPS`` references; a node of the tree
    (``seen`` given) must not have been reached before."""
    for _ in range(MAX_HOPS):
        if not isinstance(obj, PDFObjRef):
            return obj
        if seen is not None:
            if obj.objid in seen:
                raise Unreadable("its tree refers back to itself")
            seen.add(obj.objid)
        obj = obj.resolve()
    raise Unreadable("a reference of it leads to references for ever")


def labels_of(entries: list[tuple[int, dict[str, Any]]], count: int) -> list[str]:
    """One label per page from the entries of the tree: each range from its first page to the
    next range's; "" before the first. Of two entries for one page, the first counts."""
    firsts: dict[int, dict[str, Any]] = {}
    for key, spec in entries:
        if 0 <= key < count:
            firsts.setdefault(key, spec)
    keys = sorted(firsts)
    labels = [""] * count
    for j, key in enumerate(keys):
        end = keys[j + 1] if j + 1 < len(keys) else count
        style, prefix, start = _range(firsts[key])
        for page in range(key, end):
            labels[page] = prefix + (number_label(style, start + page - key) if style else "")
    return labels


def _range(spec: dict[str, Any]) -> tuple[str, str, int]:
    """A range's style ("D", "R", "r", "A", "a" or "" for none), prefix and first number."""
    style = _value(spec.get("S"))
    name = style.name if isinstance(style, PSLiteral) else ""
    name = name if isinstance(name, str) and name in ("D", "R", "r", "A", "a") else ""
    prefix = _value(spec.get("P", b""))
    text = decode_text(prefix[: 4 * MAX_PREFIX]) if isinstance(prefix, bytes) else ""
    text = "".join(c for c in text if c.isprintable())[:MAX_PREFIX]
    start = _value(spec.get("St", 1))
    if not isinstance(start, int) or isinstance(start, bool) or not 1 <= start <= MAX_START:
        raise Unreadable("a range of it starts at no page number")
    return name, text, start


def number_label(style: str, n: int) -> str:
    """``n`` (1 or more) in a label style: 245, ccxlv, CCXLV, a (1) to z, aa (27) to zz, aaa..."""
    if style in ("R", "r") and n <= MAX_ROMAN:
        out = []
        left = n
        for value, letters in ROMAN:
            times, left = divmod(left, value)
            out.append(letters * times)
        roman = "".join(out)
        return roman.upper() if style == "R" else roman
    if style in ("A", "a") and n <= MAX_LETTERS:
        letter = chr(ord("A" if style == "A" else "a") + (n - 1) % 26)
        return letter * ((n - 1) // 26 + 1)
    return str(n)
