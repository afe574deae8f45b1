"""Pandoc Markdown: which citation keys are found, with what locator, prefix and group, and which
bibliographies the YAML front matter names."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citecheck.model import Citation, Locator, Span
from citecheck.readers.pandoc import find_pandoc_citations, front_matter

P = pytest.param


def keys(text: str) -> list[str | None]:
    return [c.key for c in find_pandoc_citations(text)]


def one(text: str) -> Citation:
    found = find_pandoc_citations(text)
    assert len(found) == 1, found
    return found[0]


def check_sound(text: str, found: list[Citation]) -> None:
    for c in found:
        assert 0 <= c.span.start < c.span.end <= len(text)
        assert c.text == text[c.span.start : c.span.end]
        assert c.text.startswith("@")
    for a, b in itertools.pairwise(found):
        assert a.span.end <= b.span.start


# ---------------------------------------------------------------------------------------------------
# Citation keys
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P("Blah [@doe99].", ["doe99"], id="one-key-in-brackets"),
        P("Blah [@doe99; @smith2000; @smith2004].", ["doe99", "smith2000", "smith2004"], id="keys-split-by-semicolons"),
        P("[see @doe99, pp. 33-35; also @smith04, chap. 1]", ["doe99", "smith04"], id="prefixes-and-locators"),
        P("Smith says so [-@smith04].", ["smith04"], id="suppress-author"),
        P("@doe99 says blah.", ["doe99"], id="author-in-text"),
        P("@doe99 [p. 33] says blah.", ["doe99"], id="author-in-text-with-locator"),
        P("As shown by @doe99.", ["doe99"], id="trailing-period-is-not-part-of-the-key"),
        P("(@doe99), @doe99's view, @doe99:", ["doe99", "doe99", "doe99"], id="trailing-punctuation"),
        P("@Foo_bar.baz. and @Foo_bar--baz", ["Foo_bar.baz", "Foo_bar"], id="internal-punctuation-only"),
        P("[@1657:huygens]", ["1657:huygens"], id="key-starting-with-a-digit"),
        P("[@_private]", ["_private"], id="key-starting-with-an-underscore"),
        P("[@müller2020]", ["müller2020"], id="non-ascii-letters"),
        P(
            "[@{https://example.com/bib?name=foobar&date=2000}, p. 33]",
            ["https://example.com/bib?name=foobar&date=2000"],
            id="braced-url-key",
        ),
        P("@{Foo_bar.baz.} says", ["Foo_bar.baz."], id="braced-key-keeps-its-final-period"),
        P("@http://zotero.org/users/1/items/A1 says", ["http://zotero.org/users/1/items/A1"], id="url-key-with-double-slash"),
        P("*@doe99* and **@smith04**", ["doe99", "smith04"], id="inside-emphasis"),
        P("_@smith04_", ["smith04_"], id="underscore-is-a-word-character"),
        P("[see [the appendix] and @doe99]", ["doe99"], id="nested-bracket-in-a-prefix"),
    ],
)
def test_citation_keys(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        P("Write to john@example.com or jane.doe@example.org.", id="e-mail-addresses"),
        P("An escaped \\@doe99 is text.", id="escaped-at-sign"),
        P("Run `git log --author=@doe99` first.", id="inline-code"),
        P("Run ``a ` @doe99`` first.", id="inline-code-with-two-backticks"),
        P("Before\n\n```python\nx = [@doe99]\n@decorator\n```\n\nAfter.", id="backtick-fence"),
        P("Before\n\n~~~~ {.r}\n@doe99\n~~~~\n", id="tilde-fence-with-attributes"),
        P("[@jgm](https://twitter.com/jgm) wrote it.", id="link-text"),
        P("[@jgm][twitter] wrote it.", id="reference-link-text"),
        P("[@jgm]: https://twitter.com/jgm", id="link-definition"),
        P("![@logo](logo.png)", id="image"),
        P("See [the post](https://medium.com/@author/post).", id="at-sign-in-a-link-target"),
        P("See https://medium.com/@author/post and <https://x.org/@y>.", id="at-sign-in-a-url"),
        P("<!-- [@doe99] is cut -->", id="html-comment"),
        P("Brackets [with no key] and [p. 33] alone.", id="brackets-without-a-key"),
        P("A lone @ sign, @-, @., and @{} cite nothing.", id="at-sign-without-a-key"),
    ],
)
def test_not_citations(text: str) -> None:
    assert find_pandoc_citations(text) == []


def test_code_does_not_hide_what_follows_it() -> None:
    text = "Use `@x` as [@doe99] says.\n\n```\n@y\n```\n\n@smith04 agrees."
    assert keys(text) == ["doe99", "smith04"]


def test_an_unclosed_fence_is_text_as_pandoc_reads_it() -> None:
    assert keys("```\n[@doe99]\n") == ["doe99"]


def test_a_fence_is_closed_by_the_next_bare_fence_as_long_skipping_shorter_ones() -> None:
    text = "`````\n[@a]\n````\n[@b]\n```\n[@c]\n``````\n[@d]\n~~~\n[@e]\n"
    assert keys(text) == ["d", "e"]


def test_a_fence_with_an_info_string_closes_nothing() -> None:
    assert keys("````\n[@a]\n````python\n[@b]\n````\n[@c]\n") == ["c"]


def test_an_unclosed_backtick_is_a_literal_backtick() -> None:
    assert keys("A ` stray backtick and [@doe99].") == ["doe99"]


def test_a_code_span_ends_at_its_paragraph() -> None:
    assert keys("A `stray\n\nbacktick and [@doe99]`.") == ["doe99"]


# ---------------------------------------------------------------------------------------------------
# What each citation records
# ---------------------------------------------------------------------------------------------------


def test_span_is_the_key_with_its_at_sign() -> None:
    text = "Blah [see @doe99, p. 33]."
    c = one(text)
    assert c.span == Span(10, 16)
    assert c.text == "@doe99" == text[c.span.start : c.span.end]


def test_span_leaves_out_the_dash_of_suppress_author() -> None:
    c = one("Smith [-@smith04].")
    assert c.text == "@smith04"
    assert c.narrative is False


def test_braced_key_span_includes_the_braces() -> None:
    c = one("[@{a b}] and [@{weird.key.}]")
    assert (c.text, c.key) == ("@{weird.key.}", "weird.key.")


def test_bracketed_citation_fields() -> None:
    text = "Blah [see @doe99, pp. 33-35; also @smith04, chap. 1]."
    doe, smith = find_pandoc_citations(text)
    assert doe.command == smith.command == "[see @doe99, pp. 33-35; also @smith04, chap. 1]"
    assert (doe.prefix, doe.locator) == ("see", Locator("page", 33, 35))
    assert (smith.prefix, smith.locator) == ("also", Locator("chapter", 1, 1))
    assert not doe.narrative and not smith.narrative
    assert (doe.authors, doe.etal, doe.year) == ((), False, "")


@pytest.mark.parametrize(
    ("text", "locator"),
    [
        P("[@doe99, p. 33]", Locator("page", 33, 33), id="page"),
        P("[@doe99, pp. 33-35]", Locator("page", 33, 35), id="pages"),
        P("[@doe99 p. 33]", Locator("page", 33, 33), id="without-a-comma"),
        P("[@doe99, chap. 1]", Locator("chapter", 1, 1), id="chapter"),
        P("[@doe99, p. 33 and *passim*]", None, id="a-suffix-that-is-no-locator"),
        P("[@doe99]", None, id="none"),
        P("@doe99 [p. 33] says", Locator("page", 33, 33), id="narrative"),
        P("@doe99 [, p. 33] says", Locator("page", 33, 33), id="narrative-with-a-comma"),
    ],
)
def test_locator(text: str, locator: Locator | None) -> None:
    assert one(text).locator == locator


def test_narrative_citation_with_its_locator() -> None:
    c = one("@doe99 [p. 33] says blah.")
    assert c.narrative is True
    assert c.command == "@doe99 [p. 33]"
    assert c.prefix == ""


def test_narrative_citation_alone() -> None:
    c = one("@doe99 says blah.")
    assert (c.narrative, c.command, c.locator) == (True, "@doe99", None)


def test_locator_on_the_next_line_still_belongs_to_the_key() -> None:
    c = one("As @doe99\n[p. 33] says.")
    assert c.locator == Locator("page", 33, 33)
    assert c.command == "@doe99 [p. 33]"


def test_narrative_bracket_may_add_further_keys() -> None:
    a, b = find_pandoc_citations("@a [p. 33; @b] agree.")
    assert (a.key, a.narrative, a.locator) == ("a", True, Locator("page", 33, 33))
    assert (b.key, b.narrative, b.locator) == ("b", False, None)
    assert a.group == b.group
    assert a.command == b.command == "@a [p. 33; @b]"


def test_a_bracket_that_opens_with_a_key_after_a_narrative_key_is_its_own_citation() -> None:
    a, b = find_pandoc_citations("@a [@b] agree.")
    assert (a.narrative, a.command, a.locator) == (True, "@a", None)
    assert (b.narrative, b.command) == (False, "[@b]")
    assert a.group != b.group


def test_a_footnote_mark_after_a_narrative_key_is_no_locator() -> None:
    c = one("@doe99 [^1] says.")
    assert c.command == "@doe99"


def test_a_link_after_a_narrative_key_is_no_locator() -> None:
    c = one("@doe99 [p. 33](http://x.org) says.")
    assert (c.command, c.locator) == ("@doe99", None)


def test_suppress_author_outside_brackets_is_not_narrative() -> None:
    c = one("Smith -@smith04 says.")
    assert (c.key, c.narrative) == ("smith04", False)


def test_keys_in_an_inline_note_are_narrative() -> None:
    c = one("Blah.^[As @doe99 shows.]")
    assert (c.key, c.narrative) == ("doe99", True)


def test_two_keys_in_one_item_both_count() -> None:
    # Pandoc reads the second as part of the first's suffix; both are still cited.
    a, b = find_pandoc_citations("[see @a, p. 4, @b]")
    assert (a.prefix, a.locator) == ("see", Locator("page", 4, 4))
    assert (b.prefix, b.locator) == ("", None)
    assert a.group == b.group


def test_command_joins_lines_with_one_space() -> None:
    c = one("[see\n   @doe99]")
    assert c.command == "[see @doe99]"
    assert c.prefix == "see"


# ---------------------------------------------------------------------------------------------------
# Groups, brackets and ranges
# ---------------------------------------------------------------------------------------------------


def test_groups_count_brackets_and_narrative_citations() -> None:
    text = "@a says [@b; @c]. Then [-@d] and @e [p. 1; @f], [@g]."
    found = find_pandoc_citations(text)
    assert [(c.key, c.group) for c in found] == [("a", 0), ("b", 1), ("c", 1), ("d", 2), ("e", 3), ("f", 3), ("g", 4)]


def test_a_bracket_is_not_carried_over_a_blank_line() -> None:
    found = find_pandoc_citations("[@a\n\n@b]")
    assert [(c.key, c.narrative) for c in found] == [("a", True), ("b", True)]


def test_a_bracket_may_span_lines_of_one_paragraph() -> None:
    found = find_pandoc_citations("[@a;\n@b]")
    assert [(c.key, c.narrative, c.group) for c in found] == [("a", False, 0), ("b", False, 0)]


def test_a_bracket_longer_than_the_limit_is_not_a_citation() -> None:
    c = one("[" + "word " * 500 + "@doe99]")
    assert (c.narrative, c.command) == (True, "@doe99")


def test_an_escaped_bracket_is_no_bracket() -> None:
    c = one("\\[@doe99]")
    assert c.narrative is True


def test_nested_citation_brackets_are_separate_groups() -> None:
    found = find_pandoc_citations("[see @a [@b] and @c]")
    assert [c.key for c in found] == ["a", "b", "c"]
    assert found[0].group == found[2].group != found[1].group


def test_range_limits_the_search_and_spans_stay_in_the_whole_text() -> None:
    text = "[@a] middle [@b] end [@c]"
    start = text.index("middle")
    end = text.index("end")
    (c,) = find_pandoc_citations(text, start, end)
    assert c.key == "b"
    assert text[c.span.start : c.span.end] == "@b"


# ---------------------------------------------------------------------------------------------------
# Properties and pathological input
# ---------------------------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from(
    [
        "[", "]", ";", ",", " ", "\n", "\n\n", ".", "-", "@", "@doe99", "@{a{b}}", "see ", "p. 33", "pp. 3-5",
        "`", "```", "~~~", "\\", "^", "(", ")", ":", "<!--", "-->", "https://x.org/", "a", "_", "{", "}",
    ]
)  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_property_arbitrary_text(text: str) -> None:
    check_sound(text, find_pandoc_citations(text))


@settings(deadline=None, max_examples=500)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_property_citation_like_text(text: str) -> None:
    check_sound(text, find_pandoc_citations(text))


@pytest.mark.parametrize(
    ("text", "count"),
    [
        P("[" * 100_000, 0, id="100k-open-brackets"),
        P("]" * 100_000, 0, id="100k-close-brackets"),
        P("@" * 100_000, 0, id="100k-at-signs"),
        P("[@a " * 25_000, 25_000, id="25k-unclosed-brackets-with-keys"),
        P("@a [" * 25_000, 25_000, id="25k-narrative-keys-before-unclosed-brackets"),
        P("[" + "@a; " * 25_000 + "]", 25_000, id="one-bracket-too-long"),
        P("`" * 100_000, 0, id="100k-backticks"),
        P("".join("`" * n + " " for n in range(1, 440)), 0, id="backtick-runs-of-every-length"),
        P("```\n" * 25_000, 0, id="25k-fences"),
        P("".join("`" * n + "x\n" for n in range(440, 3, -1)), 0, id="unclosed-fences-of-falling-length"),
        P("".join("`" * n + "\n" for n in range(1400, 2, -1)), 0, id="bare-fences-of-falling-length"),
        P("](" * 50_000, 0, id="50k-link-targets-never-closed"),
        P("<!--" * 25_000, 0, id="25k-comments-never-closed"),
        P("@{" * 50_000, 0, id="50k-braced-keys-never-closed"),
        P("@a:" * 33_000, 33_000, id="33k-keys-with-trailing-colons"),
    ],
)
def test_pathological_input_finishes(text: str, count: int) -> None:
    found = find_pandoc_citations(text)
    assert len(found) == count
    check_sound(text, found)


# ---------------------------------------------------------------------------------------------------
# YAML front matter
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml", "paths"),
    [
        P("bibliography: refs.bib", ["refs.bib"], id="plain"),
        P('bibliography: "refs.bib"', ["refs.bib"], id="double-quoted"),
        P("bibliography: 'refs.bib'", ["refs.bib"], id="single-quoted"),
        P("bibliography: 'O''Brien.bib'", ["O'Brien.bib"], id="single-quoted-with-a-quote"),
        P('bibliography: "C:\\\\refs\\\\my refs.bib"', ["C:\\refs\\my refs.bib"], id="double-quoted-with-escapes"),
        P("bibliography: refs.bib # the main one", ["refs.bib"], id="plain-with-a-comment"),
        P("bibliography: refs#1.bib", ["refs#1.bib"], id="hash-inside-a-plain-value"),
        P('bibliography: [a.bib, "b.json"]', ["a.bib", "b.json"], id="flow-list"),
        P("bibliography: ['a, b.bib', c.yaml]  # two", ["a, b.bib", "c.yaml"], id="flow-list-with-a-comma-in-quotes"),
        P("bibliography: [a.bib,\n  b.json]", ["a.bib", "b.json"], id="flow-list-over-two-lines"),
        P("bibliography: []", [], id="empty-flow-list"),
        P("bibliography:\n  - a.bib\n  - b.json", ["a.bib", "b.json"], id="block-list"),
        P("bibliography:\n- a.bib\n- 'b c.json'  # note\ntitle: x", ["a.bib", "b c.json"], id="block-list-not-indented"),
        P("bibliography:\n  refs.bib", ["refs.bib"], id="value-on-the-next-line"),
        P("bibliography:\ntitle: x", [], id="empty-value"),
        P("bibliography: |\n  refs.bib", [], id="multi-line-string-is-not-read"),
        P("title: On refs\nauthor:\n  - Jane\nbibliography: refs.bib\nlang: en", ["refs.bib"], id="among-other-keys"),
        P("citation:\n  bibliography: nested.bib\nlink-citations: true", [], id="nested-key-is-ignored"),
        P("abstract: |\n  bibliography: not.bib\n  more text\ntitle: x", [], id="key-inside-a-multi-line-string"),
        P("bibliographies: x.bib\nmy-bibliography: y.bib", [], id="other-keys-with-similar-names"),
        P("title: x", [], id="no-bibliography-key"),
        P("bibliography: a.bib\nbibliography: b.bib", ["b.bib"], id="a-later-key-wins"),
        P("bibliography: [unclosed.bib, 'x", ["unclosed.bib", "x"], id="unclosed-flow-list-is-read-to-its-end"),
        P('bibliography: "unclosed.bib', ["unclosed.bib"], id="unclosed-quote"),
    ],
)
def test_front_matter_bibliography(yaml: str, paths: list[str]) -> None:
    span, found = front_matter(f"---\n{yaml}\n---\n\nText [@doe99].\n")
    assert span is not None
    assert found == paths


def test_front_matter_span_runs_from_the_opening_dashes_to_the_end_of_the_closing_line() -> None:
    text = "\n\n---\nbibliography: refs.bib\n...\nText [@doe99].\n"
    span, paths = front_matter(text)
    assert span is not None
    assert text[span.start : span.end] == "---\nbibliography: refs.bib\n..."
    assert paths == ["refs.bib"]


def test_front_matter_after_a_byte_order_mark() -> None:
    text = "\ufeff---\r\nbibliography: refs.bib\r\n---\r\nText.\r\n"
    span, paths = front_matter(text)
    assert span == Span(1, text.index("---\r\nText") + 3)
    assert paths == ["refs.bib"]


@pytest.mark.parametrize(
    "text",
    [
        P("", id="empty"),
        P("\n\n  \n", id="blank"),
        P("# Title\n\nText [@doe99].\n", id="no-front-matter"),
        P("---\nbibliography: refs.bib\n\nText [@doe99].\n", id="unclosed"),
        P("---\n\nbibliography: refs.bib\n---\n", id="a-rule-then-a-blank-line"),
        P("Text first.\n\n---\nbibliography: refs.bib\n---\n", id="not-at-the-start"),
        P("  ---\nbibliography: refs.bib\n---\n", id="indented-dashes"),
        P("----\nbibliography: refs.bib\n----\n", id="four-dashes"),
    ],
)
def test_no_front_matter(text: str) -> None:
    assert front_matter(text) == (None, [])


@settings(deadline=None, max_examples=300)
@given(st.text())
def test_property_front_matter_never_raises(text: str) -> None:
    for candidate in ("---\n" + text, "---\nbibliography:" + text + "\n---\n", text):
        span, paths = front_matter(candidate)
        assert span is None or candidate[span.start : span.end].startswith("---")
        assert all(isinstance(p, str) and p for p in paths)


def test_front_matter_never_closed_in_a_long_text() -> None:
    assert front_matter("---\n" + "bibliography: [a.bib,\n" * 50_000) == (None, [])


def test_front_matter_with_many_bibliography_keys() -> None:
    span, paths = front_matter("---\n" + "bibliography: [a.bib,\n  b.bib\n" * 20_000 + "---\n")
    assert span is not None
    assert paths == ["a.bib", "b.bib"]


def test_a_colon_after_a_citation_in_running_text() -> None:
    """Only at the start of a line is "[label]: url" a link definition; mid-sentence "[@a]:" cites."""
    assert [c.key for c in find_pandoc_citations("as shown [@davis1998; @mcgill2006]: for example")] == [
        "davis1998",
        "mcgill2006",
    ]
    assert find_pandoc_citations("[@foo]: https://example.org\n") == []
