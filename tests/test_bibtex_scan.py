"""The fast reading of ``.bib`` files (``bibscan``) against bibtexparser's: for every text, well-formed
or nearly so, ``parse_bibtex`` gives the references it gives when bibtexparser reads the file, and
the fast reading is taken for files of well-formed entries and refused for the rest.

The texts are generated from the pieces real exports are made of (Zotero, JabRef, BibDesk: braced,
quoted and bare values, ``@comment`` blocks, comments between entries) and from what sends a file
to bibtexparser (``@string``, ``#``, escaped braces, parentheses, a brace left open, an ``@`` where a
block could start, odd characters in keys and names), then damaged one character at a time.
Deterministic (``derandomize``, no example database), as the suite runs in CI.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.bibliography import bibtex
from citecheck.bibliography.bibscan import BibEntry, scan
from citecheck.bibliography.bibtex import _references, _split, parse_bibtex
from citecheck.model import Span

CI = settings(derandomize=True, database=None, deadline=None, max_examples=200)

# Whitespace as files have it, and the Unicode whitespace ``str.strip`` removes as well.
BLANKS = st.sampled_from(["", " ", "  ", "\t", "\n", "\r\n", "\n  ", " \n\t", "\u00a0", "\u2028", "\x1c", "\x0c"])

TYPES = st.sampled_from(["article", "Article", "BOOK", "inProceedings", "misc", "online", "a", "x_1", "artículo", "İnbook"])
KEYS = st.sampled_from(
    ["smith2019", "Smith2019", "SMITH2019", "a:b", "doe_2020a", "müller", "k-1", "10.1000/x", "o'brien", "k+1"]
)
NAMES = st.sampled_from(
    ["author", "Author", "AUTHOR", "title", "Title", "year", "journal", "booktitle", "publisher", "date-added", "Bdsk-Url-1",
     "url", "doi", "pages", "crossref", "xdata", "langid", "month", "editor", "organization", "date", "number", "x_y"]
)  # fmt: skip

# What values are made of: names, LaTeX accents and groups, punctuation the splitter reads as
# marks, quotes inside braces, commas and equals signs, Unicode, URLs, numbers.
ATOMS = st.sampled_from(
    ["Smith, J.", " and ", "Lee, Kim", "{World Health Organization}", "others", "{DNA}", '{\\"o}', '\\"o', "\\'e", "{\\c{s}}",
     "Title", " ", "\n", "\t", ",", "=", '"', "'", "2019", "2019a", "--", "~", "$x^2$", "é", "ß", "中文", "\u00a0", "%",
     "\\url{https://x.org/a_b?c=d#e}", "https://doi.org/10.1000/xyz", "doi:10.5555/a.b", "\\noopsort{1973a}", "a@b.org",
     "{{Deep {nested {braces {here}}}}}", "{\\em emph}", "\\&", "\\%", "\\_", "\\,", "\\=", "(", ")", "#", "\\\n"]
)  # fmt: skip
TEXT = st.lists(ATOMS, max_size=6).map("".join)
# Text whose braces balance: atoms, and groups of atoms nested a few deep.
BALANCED = st.recursive(
    TEXT, lambda inner: st.lists(st.one_of(TEXT, inner.map("{{{}}}".format)), max_size=3).map("".join), max_leaves=6
)
BARE = st.sampled_from(["2019", "jan", "Jan", "12", "ecol", "1e3", "x-y", "a.b"])


def quoted(content: str) -> str:
    # Inside quotes, a quote the splitter does not take for the closing one is after a backslash.
    return '"' + content.replace('"', '\\"') + '"'


GOOD_VALUES = st.one_of(BALANCED.map("{{{}}}".format), BALANCED.map(quoted), BARE)
EQUALS = st.builds("{}={}".format, BLANKS, BLANKS)
BRACES = st.just(("{", "}"))


@st.composite
def entry(
    draw: st.DrawFn,
    types: st.SearchStrategy[str] = TYPES,
    keys: st.SearchStrategy[str] = KEYS,
    names: st.SearchStrategy[str] = NAMES,
    values: st.SearchStrategy[str] = GOOD_VALUES,
    brackets: st.SearchStrategy[tuple[str, str]] = BRACES,
) -> str:
    opening, closing = draw(brackets)
    head = "@" + draw(types) + draw(st.sampled_from(["", " ", "\t"])) + opening + draw(BLANKS) + draw(keys) + draw(BLANKS)
    fields = draw(st.lists(st.tuples(BLANKS, names, EQUALS, values, BLANKS).map("".join), max_size=6))
    if not fields:
        return head + draw(st.sampled_from(["", ",", ", ", ",\n"])) + closing
    return head + "," + ",".join(fields) + draw(st.sampled_from(["", ","])) + draw(BLANKS) + closing


# What may stand between entries in a file read fast: free text without "@", and balanced
# @comment and @preamble blocks (JabRef ends its files with one).
BETWEEN = st.sampled_from(
    ["", "\n", "\n\n", " ", "% A comment line, with = signs and {braces}\n", "Free text.\n", "\ufeff", "}{\n", "\t\n",
     "@comment{A comment block}\n", "@Comment{jabref-meta: databaseType:bibtex;}\n", "@COMMENT {x, y = {z}}\n",
     '@preamble{"\\newcommand{\\noopsort}[1]{}"}\n', "@commentary{taken for a comment, as the splitter does}\n"]
)  # fmt: skip


@st.composite
def bib_file(draw: st.DrawFn, entries: st.SearchStrategy[str], between: st.SearchStrategy[str] = BETWEEN) -> str:
    parts = [draw(between)]
    for text in draw(st.lists(entries, max_size=5)):
        parts += [text, draw(between)]
    return "".join(parts)


WELL_FORMED = bib_file(entry())

# Near misses: what sends a file to bibtexparser, among forms the fast reading takes.
ODD_TYPES = st.sampled_from(["", "string", "String", "comment", "preamble", "stringent", "a-b", "a.b"])
ODD_KEYS = st.sampled_from(["", " ", "a b", "a,b", "a{b", 'a"b', "a=b", "a\\b", "a@b", "a#b", "a%b", "(x)", "k}", "k)"])
ODD_NAMES = st.sampled_from(["", "a b", "na=me", "x\\y", "n@me", "a#b", "(x)", '"t"', "{t}", "%t", "a\\\nb"])
ODD_VALUES = st.sampled_from(
    ['"a" # "b"', "jan # feb", "{a} # {b}", "{unclosed", "closed}", "{a}}", '"a{"', '"a\\"', '"a"b"', '{"}', "@", "a b",
     "{a\\{b}", "{a\\}b}", "{a\\{}", "{\\}b}", "{\\{\\}}", "{a\\\\}", "", "{\n@article{x,}", "{a @misc{b}", "{a @ {b}}",
     "a\\,b", "{x} junk", ",", "{" * 9 + "deep" + "}" * 9, "{" * 10 + "deeper" + "}" * 10, '"{"}"', '"say {"}hi{"}"',
     "\\x", "@x", '"a@b(c)"']
)  # fmt: skip
ODD_BRACKETS = st.sampled_from([("(", ")"), ("{", ")"), ("(", "}"), ("{", ""), ("{", "}}"), ("{{", "}")])
ODD_BETWEEN = st.sampled_from(
    ["@string{ecol = {Estuarine Ecology}}\n", '@STRING{jan = "January"}\n', "@String(x = {y})\n", "@stringent{z}\n",
     "@comment(paren)\n", "@comment{open\n", "@preamble{unbalanced {}\n", "write to a@b.org\n", "@ {x}\n", "@\n",
     "\\{", "\\}", "{", "@misc(p, title = {Paren})\n", "@article\n{k, title = {T}}\n", "@{nokey, title = {T}}\n"]
)  # fmt: skip
ODD_ENTRY = entry(
    st.one_of(TYPES, ODD_TYPES),
    st.one_of(KEYS, ODD_KEYS),
    st.one_of(NAMES, ODD_NAMES),
    st.one_of(GOOD_VALUES, ODD_VALUES),
    st.one_of(BRACES, ODD_BRACKETS),
)
NEAR_MISS = bib_file(st.one_of(entry(), ODD_ENTRY), st.one_of(BETWEEN, ODD_BETWEEN))

# A well-formed file with one character inserted, removed or replaced: a brace, a quote, a comma...
DAMAGE = st.sampled_from([*'{}",=@#\\()\n %', "", "@misc{", "\\{"])


@st.composite
def damaged(draw: st.DrawFn) -> str:
    text = draw(WELL_FORMED)
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(DAMAGE) + text[at + draw(st.integers(0, 1)) :]


def same_both_ways(text: str) -> bool:
    """Whether ``parse_bibtex`` gives what it gives with bibtexparser reading ``text`` (and, when
    ``text`` is read fast, the entries are bibtexparser's): whether it was read fast."""
    assert parse_bibtex(text) == _references(text, _split(text))  # bibtexparser reading every file
    entries = scan(text)
    if entries is not None:
        assert entries == _split(text)
    return entries is not None


def depth(text: str) -> int:
    """How deep braces nest in ``text``."""
    level = deepest = 0
    for c in text:
        level += (c == "{") - (c == "}")
        deepest = max(deepest, level)
    return deepest


@CI
@given(WELL_FORMED)
def test_a_file_of_well_formed_entries_is_read_fast_and_the_same(text: str) -> None:
    # Braces nested more than 8 deep inside a value (10 with the value's and the entry's) are left
    # to bibtexparser.
    assert same_both_ways(text) or depth(text) > 10


@CI
@given(NEAR_MISS)
def test_a_nearly_well_formed_file_reads_the_same(text: str) -> None:
    same_both_ways(text)


@CI
@given(damaged())
def test_a_damaged_file_reads_the_same(text: str) -> None:
    same_both_ways(text)


EXAMPLES = {
    "zotero": '@article{smith2019,\n\ttitle = {{The {DNA} of {\\"O}land}},\n\tauthor = {Smith, J.},\n\tyear = {2019},\n}\n',
    "jabref": "@Article{Lee2020,\n  author = {Lee, K.},\n  year   = {2020},\n}\n\n@Comment{jabref-meta: databaseType:bibtex;}\n",
    "bibdesk": "%% Created using BibDesk.\n\n@book{b,\n\tAuthor = {Park, M.},\n\tDate-Added = {2020-01-01},\n\tYear = 2001}\n",
    "month macro": "@misc{m, title = {T}, month = jan, year = 2001}",
    "quoted with an escaped quote": '@misc{q, author = "M\\"uller, J.", title = "A \\"quoted\\" word"}',
    "braces nested 8 deep in a value": "@misc{a, title = {" + "{" * 8 + "A" + "}" * 8 + "}}",
    "no fields": "@misc{a}\n@misc{b,}\n",
    "repeated key and field": "@misc{k, title = {One}, Title = {Two}}\n@misc{k, title = {Three}, title = {Four}}\n",
    "crossref": "@inbook{c, crossref = {B}, pages = {1--2}}\n@book{b, title = {Book}, year = 1999}\n",
    "two on a line": "@misc{a, title={One}} @misc{b, title={Two}}\n",
}


@pytest.mark.parametrize("text", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_examples_are_read_fast_and_the_same(text: str) -> None:
    assert same_both_ways(text)


def test_the_fast_reading_is_taken_for_well_formed_entries_and_not_for_a_string(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    parse_string = bibtex.bibtexparser.parse_string

    def counted(text: str) -> object:
        calls.append(text)
        return parse_string(text)

    monkeypatch.setattr(bibtex.bibtexparser, "parse_string", counted)
    plain = "@article{k,\n  author = {Smith, J.},\n  title = {T},\n  year = 2019,\n}\n"
    assert [r.key for r in parse_bibtex(plain)] == ["k"]
    assert calls == []
    with_string = '@string{j = "Journal"}\n' + plain.replace("year", "journal = j,\n  year")
    (ref,) = parse_bibtex(with_string)
    assert calls == [with_string]
    assert ref.container == "Journal"


def test_the_fast_reading_gives_fields_as_bibtexparser_leaves_them() -> None:
    text = '% head\n@Article {Key ,\n  TITLE = { A {B} C } ,\n  Note = "x, \\"y\\"",\n  year = 2019 , }\ntail'
    fields = {"title": " A {B} C ", "note": 'x, \\"y\\"', "year": "2019"}
    assert scan(text) == [BibEntry("article", "Key", fields, Span(7, len(text) - len("\ntail")))]
    assert same_both_ways(text)


REFUSED = {
    "string": '@string{j = "J"}\n@misc{a, journal = j}',
    "concatenation": "@misc{a, title = {A} # {B}}",
    "a quote braced inside quotes": '@misc{q, title = "A {"}quoted{"} word"}',
    "escaped brace": "@misc{a, title = {A \\{ B}}",
    "escaped braces, as many as the others": "@misc{a, title = {A\\{}, note = {\\}B}}",
    "parentheses": "@misc(a, title = {A})",
    "unclosed": "@misc{a, title = {A}",
    "at between": "@misc{a, title = {A}}\nmail a@b.org\n",
    "block start in a value": "@misc{a, title = {see\n@misc{b}}}",
    "empty key": "@misc{, title = {A}}",
    "key with a space": "@misc{a b, title = {A}}",
    "name with a space": "@misc{a, ti tle = {A}}",
    "deep braces": "@misc{a, title = {" + "{" * 9 + "A" + "}" * 9 + "}}",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_the_fast_reading_is_refused(text: str) -> None:
    assert scan(text) is None
    same_both_ways(text)
