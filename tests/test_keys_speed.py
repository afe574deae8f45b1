"""Work done once instead of twice: a grouping the rules share, a summary written into the entry it
summarises, the nearest keys of an undefined key looked up only among keys one slip away."""

from __future__ import annotations

import dataclasses

from citecheck import link as link_module
from citecheck.bibliography.bibtex import _without_sort_key, parse_bibtex
from citecheck.bibliography.common import summarised, summary
from citecheck.link import FULL_KEY_SEARCH, KeyLinker, link_all
from citecheck.model import Author, Citation, LinkStatus, Pages, Reference, Span, keyed_citation
from citecheck.rules.registry import Context


def _context() -> Context:
    return Context(text="", clean="", citations=[], references=[], links=[], has_reference_list=True)


def test_a_shared_result_is_made_once_per_context() -> None:
    calls: list[Context] = []

    def compute(ctx: Context) -> list[int]:
        calls.append(ctx)
        return [len(calls)]

    ctx = _context()
    first = ctx.shared(compute)
    assert ctx.shared(compute) is first
    assert calls == [ctx]
    other = _context()
    assert other.shared(compute) == [2]  # another context makes its own


def test_a_summarised_entry_reads_as_one_made_with_its_summary() -> None:
    fields = dict(
        span=Span(0, 10),
        authors=(Author("Smith", "J"), Author("Lee", "K")),
        year="2018",
        title="A title",
        container="Journal",
        volume="12",
        issue="3",
        pages=Pages("45", "67"),
        doi="10.1000/x",
        kind="article",
        key="smith18",
    )
    ref = summarised(**fields)
    made = Reference(text=summary(Reference(text="", **fields)), **fields)  # type: ignore[arg-type]
    assert ref == made
    assert dataclasses.astuple(ref) == dataclasses.astuple(made)
    assert ref.text == "Smith, J., & Lee, K. (2018). A title. Journal, 12(3), 45–67. https://doi.org/10.1000/x"


def test_a_sort_key_is_removed_only_where_there_is_one() -> None:
    assert _without_sort_key("{\\noopsort{1973a}}1973") == "{}1973"
    assert _without_sort_key("2019") == "2019"
    assert _without_sort_key("\\noopsort") == "\\noopsort"  # no braced argument: nothing to remove


def test_an_entry_named_by_crossref_still_lends_its_fields() -> None:
    text = (
        "@incollection{ch,\n  author = {Smith, J.},\n  title = {Chapter},\n  crossref = {bk}\n}\n"
        "@book{bk,\n  title = {The Book},\n  year = {2001},\n  publisher = {Press}\n}\n"
        "@article{plain,\n  author = {Lee, K.},\n  title = {Alone},\n  year = {2002}\n}\n"
    )
    chapter, book, plain = parse_bibtex(text)
    assert (chapter.year, chapter.container) == ("2001", "The Book")
    assert book.container == "Press"
    assert (plain.year, plain.container) == ("2002", None)


def _linked(defined: list[str], cited: list[str]) -> dict[str, list[str | None]]:
    references = [Reference(span=Span(i, i + 1), text=key, key=key) for i, key in enumerate(defined)]
    citations = [keyed_citation(Span(i, i + 1), key, f"[@{key}]", False, None, i) for i, key in enumerate(cited)]
    linker = KeyLinker(references, citations)
    return {
        c.key or "": [references[cand.reference].key for cand in linker.link(i, c).candidates] for i, c in enumerate(citations)
    }


def test_undefined_keys_get_the_keys_one_slip_away_through_the_index() -> None:
    defined = [f"key{n}" for n in range(2000)] + ["smith2019"]
    cited = [f"missing{n}" for n in range(1001)] + ["smtih2019", "Smith2019"]
    assert len(set(cited)) * len(defined) > FULL_KEY_SEARCH  # the index, not a comparison with every key
    linked = _linked(defined, cited)
    assert linked["smtih2019"] == ["smith2019"]  # two letters swapped
    assert linked["Smith2019"] == ["smith2019"]  # another letter case
    assert all(linked[f"missing{n}"] == [] for n in range(1001))  # nothing near: no candidate


def test_undefined_keys_compared_with_every_key_when_there_are_few() -> None:
    linked = _linked(["smith2019", "key1"], ["smtih2019", "missing1"])
    assert linked == {"smtih2019": ["smith2019"], "missing1": []}


def test_keys_equally_near_come_in_the_list_order_through_the_index_too(monkeypatch) -> None:
    # "smith2018" is one slip from each: the index must rank the ties as the full search does
    defined = ["smith2019", "smith2017", "smith2010", "smith2011", "smitt2018", "smith2048"]
    cited = ["smith2018"]
    full = _linked(defined, cited)
    monkeypatch.setattr(link_module, "FULL_KEY_SEARCH", 0)
    assert _linked(defined, cited) == full
    assert full["smith2018"] == ["smith2019", "smith2017", "smith2010"]


def test_a_text_that_cites_by_key_alone_links_as_one_that_also_cites_by_name() -> None:
    refs = [
        Reference(span=Span(i * 10, i * 10 + 5), text="", key=k, authors=(Author("Smith", "J"),), year="2019")
        for i, k in enumerate(["a1", "b2"])
    ]
    keyed = [keyed_citation(Span(100 + i, 101 + i), k, k, False, None, i) for i, k in enumerate(["a1", "zz", "b2"])]
    alone = link_all(keyed, refs)
    by_name = Citation(span=Span(200, 210), text="Smith, 2019", authors=("Smith",), etal=False, year="2019", narrative=False)
    assert link_all([*keyed, by_name], refs)[:3] == alone
    assert [link.status for link in alone] == [LinkStatus.EXACT, LinkStatus.MISSING, LinkStatus.EXACT]
