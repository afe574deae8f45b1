"""The HTML report (``--format html``): what an editor reads is all there, word for word; repeats
are told once with each place; the manuscript's own text stays text; the page fetches nothing.
Then the same page in a real browser (tests/browser.py): its filters, its count, its print view."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browser import chromium
from conftest import TRADE_BIB, manuscript

import citecheck
from citecheck.model import Report, make_source
from citecheck.pipeline import audit_source
from citecheck.report.html import render_html

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

OKAFOR = "Okafor, N. (2019). Tides of the Niger delta. *Estuaries*, 4(1), 1–9."
KUZNETSOV = "Kuznetsov, A. (2022). Gulls on the Baltic shore. *Ornis Baltica*, 3, 5–9."
WEITZ = "Weitz, B. (2022). Sluice gates.\n  *Flow Control*, 2(1), 19–45."  # an entry over two lines
UNWIN = "Unwin, T. (2001). A history of breakwaters. *Coasts*, 2(2), 3–4."
# A year cited wrongly three times (CC102), a misspelt name (CC103), a page outside the listed
# range (CC105), a missing work (CC101), unpublished work (CC111, a note) and an uncited entry
# (CC201, a warning).
DEFECTS = manuscript(
    """
Introduction

Coastal erosion has been measured for decades (Okafor, 2018). As Okafor (2018) argued, the
tides matter more than the wind. Later surveys (Okafor, 2018, p. 3) agree with this.

Gull colonies shift with the shoreline (Kuznetzov, 2022). The sluices were rebuilt in 1990
(Weitz, 2022, p. 61). Storm records are patchy (Pereira, 2013). Work on dunes continues
(Quist, in preparation).
""",
    OKAFOR,
    KUZNETSOV,
    WEITZ,
    UNWIN,
)


def audited(text: str, path: str | None = "paper.md", **source: Any) -> Report:
    return audit_source(make_source(text, path=path, **source))


@pytest.fixture(scope="module")
def report() -> Report:
    return audited(DEFECTS)


@pytest.fixture(scope="module")
def page(report: Report) -> str:
    return render_html([report])


# Reading the page back


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def all(self, css_class: str = "", tag: str = "") -> list[Node]:
        """The elements inside this one with the class (and tag) given, in document order."""
        found: list[Node] = []
        for c in self.children:
            if isinstance(c, Node):
                if (not css_class or css_class in c.classes) and (not tag or c.tag == tag):
                    found.append(c)
                found += c.all(css_class, tag)
        return found

    def by_id(self, ident: str) -> Node:
        [found] = [n for n in self.all() if n.attrs.get("id") == ident]
        return found


class _TreeBuilder(HTMLParser):
    VOID = frozenset({"meta", "input", "br", "img", "link", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in self.VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def tree(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "elements left open"
    return builder.root


def squeeze(text: str) -> str:
    return " ".join(text.split())


# What the page says


def test_every_finding_shows_its_message_word_for_word_and_its_fix(report: Report, page: str) -> None:
    assert len(report.findings) == 8
    for f in report.findings:
        assert escape(f.message) in page
        assert f.suggestion and escape(f.suggestion) in page
    shown = [squeeze(n.text) for n in tree(page).all("message")]
    assert sorted(shown) == sorted(squeeze(f.message) for f in report.findings)


def test_a_year_cited_wrongly_three_times_is_one_group_with_three_places(report: Report, page: str) -> None:
    root = tree(page)
    [group] = [g for g in root.all("group") if g.attrs["data-rule"] == "CC102"]
    places = group.all("finding")
    assert len(places) == 3
    heading = group.all(tag="h3")[0]
    assert "3 places" in heading.text
    # the heading links to each place, and each place has its own message and sentence
    links = [a.attrs["href"] for a in heading.all(tag="a")]
    assert links == ["#" + p.attrs["id"] for p in places]
    assert len({p.attrs["id"] for p in root.all("finding")}) == len(report.findings)  # ids are unique
    assert [squeeze(p.all("context")[0].text) for p in places] == [
        "Coastal erosion has been measured for decades (Okafor, 2018).",
        "As Okafor (2018) argued, the tides matter more than the wind.",
        "Later surveys (Okafor, 2018, p. 3) agree with this.",
    ]
    assert [p.all("where")[0].text for p in places] == ["3:48", "3:66", "4:49"]
    # the entry they share is shown once, its year marked
    [shared] = group.all("shared")
    assert '(<b class="diff">2019</b>)' in page and shared.all("diff")[0].text == "2019"
    assert all(not p.all("entry") for p in places)


@pytest.mark.parametrize(
    ("rule", "cited", "listed"),
    [
        ("CC102", ["2018"], ["2019"]),  # the year in both
        ("CC103", ["z"], ["s"]),  # Kuznetzov against Kuznetsov: the letter that differs
        ("CC105", ["61"], ["19–45"]),  # the cited page against the entry's range
    ],
    ids=["year-mismatch", "author-misspelling", "page-out-of-range"],
)
def test_what_differs_is_marked_in_the_citation_and_in_the_entry(
    page: str, rule: str, cited: list[str], listed: list[str]
) -> None:
    group = next(g for g in tree(page).all("group") if g.attrs["data-rule"] == rule)
    marked = group.all(tag="mark")[0]
    assert [b.text for b in marked.all("diff")] == cited
    assert [b.text for b in group.all("entry")[0].all("diff")] == listed


def test_a_citation_linked_to_no_entry_shows_the_nearest_or_the_equal_ones() -> None:
    report = audited(
        manuscript(
            "Tides turn (Okafour, 2017). Waves break (Azevedo, 2017).",
            OKAFOR,
            "Azevedo, Q. (2017). Waves. *Coasts*, 3, 2–8.",
            "Azevedo, R. (2017). Winds. *Coasts*, 4, 1–9.",
        )
    )
    root = tree(render_html([report]))
    missing = next(g for g in root.all("group") if g.attrs["data-rule"] == "CC101")
    [nearest] = missing.all("entry")
    assert "Nearest entry" in nearest.text and "Okafor, N. (2019)" in nearest.text
    assert [b.text for b in missing.all(tag="mark")[0].all("diff")] == ["u", "2017"]
    ambiguous = next(g for g in root.all("group") if g.attrs["data-rule"] == "CC104")
    assert [(e.all("label")[0].text, e.all(tag="p")[1].text[:11]) for e in ambiguous.all("entry")] == [
        ("Fits equally entry 2", "Azevedo, Q."),
        ("Fits equally entry 3", "Azevedo, R."),
    ]


def _context(body: str) -> str:
    """The sentence shown around the first finding's citation, "(Okafor, 2018)" against an entry of 2019."""
    report = audited(manuscript(body, OKAFOR))
    assert report.findings[0].kind == "year-mismatch", report.findings
    return squeeze(tree(render_html([report])).all("context")[0].text)


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("First. Then (Okafor, 2018) said so. Last.", "Then (Okafor, 2018) said so."),
        ("First? Then (Okafor, 2018) said so! Last.", "Then (Okafor, 2018) said so!"),
        ('He wrote "it ended." Then (Okafor, 2018) said so.', "Then (Okafor, 2018) said so."),
        ("First. Lee et al. Then (Okafor, 2018) said so.", "Lee et al. Then (Okafor, 2018) said so."),
        ("First. Data from J. Brown (Okafor, 2018) said so.", "Data from J. Brown (Okafor, 2018) said so."),
        ("First. See pp. Ten and cf. Lee (Okafor, 2018).", "See pp. Ten and cf. Lee (Okafor, 2018)."),
        ("First. Then (Okafor, 2018) said e.g. Tides. Last.", "Then (Okafor, 2018) said e.g. Tides."),
        ("No stop here\n\nThen (Okafor, 2018) said so\n\nNext block.", "Then (Okafor, 2018) said so"),
        ("First. Then (Okafor, 2018) said so. lower case goes on. Last.", "Then (Okafor, 2018) said so. lower case goes on."),
    ],
    ids=["stop", "question", "quotation", "et-al", "initial", "pp-cf", "e-g-after", "paragraph", "lower-case"],
)
def test_the_context_is_the_sentence_around_the_citation(body: str, shown: str) -> None:
    assert _context(body) == shown


def test_a_long_sentence_is_cut_about_300_characters_each_side() -> None:
    words = " ".join(f"word{i}" for i in range(120))
    shown = _context(f"Start {words} (Okafor, 2018) {words} end.")
    before, after = shown.split("(Okafor, 2018)")
    assert before.startswith("…") and after.endswith("…")
    assert 250 <= len(before) <= 310 and 250 <= len(after) <= 310


HOSTILE = '<script>alert("body")</script> <img src=http://127.0.0.1:9/x.png onerror=alert(1)>'
HOSTILE_ENTRY = 'Okafor, N. (2019). </blockquote><script>alert("entry")</script>. *Estuaries*, 4(1), 1–9.'
HOSTILE_PAGE = manuscript(f"Tides {HOSTILE} rise (Okafor, 2018). Unwin wrote too.", HOSTILE_ENTRY)


def test_hostile_manuscript_text_stays_text() -> None:
    page = render_html([audited(HOSTILE_PAGE, path='<b onmouseover="x()">paper</b>.md')])
    assert page.count("<script") == 1 and page.count("</script>") == 1  # the page's own
    assert "<img" not in page and "<b onmouseover" not in page
    assert escape(HOSTILE) in page and escape('</blockquote><script>alert("entry")</script>') in page
    assert "&lt;b onmouseover=&quot;x()&quot;&gt;paper&lt;/b&gt;.md" in page
    root = tree(page)  # and the page still parses into the elements it meant
    assert squeeze(root.all("context")[0].text) == f"Tides {HOSTILE} rise (Okafor, 2018)."


def test_characters_html_cannot_hold_are_replaced() -> None:
    page = render_html([audited(manuscript("Tides\x00 rise\x01 (Okafor, 2018).", OKAFOR))])
    assert "\x00" not in page and "\x01" not in page and "Tides\ufffd rise\ufffd" in page


def test_the_page_needs_no_network_and_forbids_fetching(page: str) -> None:
    assert not re.search(r"""\b(?:src|srcset|action|poster|data)\s*=""", page)
    assert re.findall(r'href="([^"]*)"', page) and all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', page))
    assert "url(" not in page and "@import" not in page and "<link" not in page and "<iframe" not in page
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["base-uri"] == "'none'"
    # the page's own style and script are allowed by their hashes, nothing else is
    for tag, directive in (("style", "style-src"), ("script", "script-src")):
        [code] = re.findall(rf"<{tag}>(.*?)</{tag}>", page, re.DOTALL)
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"
    assert page.index("Content-Security-Policy") < page.index("<style>")


def test_the_summary_counts_the_document_and_its_findings(report: Report, page: str) -> None:
    root = tree(page)
    counts = {key: root.by_id(f"count-{key}").text for key in ("citations", "references", "error", "warning", "note")}
    assert counts == {"citations": "7", "references": "4", "error": "6", "warning": "1", "note": "1"}
    assert root.all("subtitle")[0].text == "paper.md"
    kinds = [squeeze(row.text) for row in root.all("kinds")[0].all(tag="tr")[1:]]
    assert kinds[:2] == [
        "CC101 missing-reference1A citation with no reference of that author and year.",
        "CC102 year-mismatch3The cited author matches a reference but the year differs.",
    ]
    assert len(kinds) == 6
    assert root.by_id("finding-count").text == "8"


def test_the_summary_says_what_suppressions_and_the_baseline_left_out(report: Report) -> None:
    page = render_html([dataclasses.replace(report, suppressed=2, baselined=1)])
    assert "Not shown: 2 findings silenced by the manuscript&#x27;s own comments, 1 finding accepted by the baseline." in page


def test_each_entry_says_how_often_it_is_cited(page: str) -> None:
    entries = tree(page).all("reference", tag="li")
    assert [(e.attrs["id"], e.attrs["data-cited"], e.all("cites")[0].text) for e in entries] == [
        ("d1-r1", "3", "cited 3 times"),
        ("d1-r2", "1", "cited once"),
        ("d1-r3", "1", "cited once"),
        ("d1-r4", "0", "never cited"),
    ]
    assert [e.attrs["id"] for e in entries if "uncited" in e.classes] == ["d1-r4"]
    assert "Weitz, B. (2022). Sluice gates. *Flow Control*, 2(1), 19–45." in entries[2].text  # one line


def test_several_documents_are_summed_at_the_top_and_have_a_section_each(report: Report) -> None:
    clean = audited(manuscript("As shown before (Okafor, 2019).", OKAFOR), path="clean.md")
    root = tree(render_html([report, clean]))
    assert root.by_id("count-citations").text == "8" and root.by_id("count-error").text == "6"
    assert root.all("subtitle")[0].text == "2 documents"
    assert [s.all(tag="h2")[0].text for s in root.all("document")] == ["paper.md", "clean.md"]
    assert [a.attrs["href"] for a in root.all("documents")[0].all(tag="a")] == ["#d1", "#d2"]
    assert "No findings." in root.by_id("d2").text
    ids = [n.attrs["id"] for n in root.all() if "id" in n.attrs]
    assert len(ids) == len(set(ids))


def test_the_same_report_renders_the_same_bytes(page: str) -> None:
    assert render_html([audited(DEFECTS)]) == page


def test_the_documents_notes_are_shown() -> None:
    note = "read as Windows-1252 <guessed>: the file is not UTF-8"
    page = render_html([audited(manuscript("Tides (Okafor, 2018).", OKAFOR), notes=(note,))])
    assert [squeeze(li.text) for li in tree(page).all("notes")[0].all(tag="li")] == [note]


def test_a_place_names_the_printed_page_and_margin_line() -> None:
    page_one = "Received in May; accepted in June.\n\n"
    text = page_one + manuscript("Tides rise here (Okafor, 2018). Storms too.", OKAFOR)
    report = audited(
        text, path="paper.pdf", pages=(0, len(page_one)), page_labels=("244", "245"), line_numbers=((len(page_one), 40),)
    )
    [where] = tree(render_html([report])).all("where")
    assert where.text == "page 245 (PDF page 2), line 40"  # as printed, not the extracted text's 3:18


def test_a_place_in_another_file_than_the_main_one_names_it(tmp_path: Path) -> None:
    (tmp_path / "main.tex").write_text("Ports grew \\citet{lee2021}.\n\\bibliography{refs}\n", encoding="utf-8")
    (tmp_path / "refs.bib").write_text(TRADE_BIB, encoding="utf-8")
    report = citecheck.audit(tmp_path / "main.tex")
    root = tree(render_html([report]))
    places = {f.kind: root.by_id(f"d1-f{i}").all("where")[0].text for i, f in enumerate(report.findings, 1)}
    assert places == {"missing-reference": "1:19", "unused-entry": f"{tmp_path / 'refs.bib'}:9:1"}  # lee2020, after smith2018


def test_a_verify_finding_shows_the_registrys_record() -> None:
    from fake_registry import FakeRegistry
    from registry_catalogue import Update, Work

    from citecheck.verify.client import Settings

    work = Work(
        index=1, doi="10.5555/creeks.2014.7", openalex_id="W9100001", type="journal-article",
        title="Salt and silt in tidal creeks", authors=(("Mira", "Halvorsen"),), year=2014, month=2, day=3,
        publisher="Springer", container="Estuarine Letters", volume="9", issue="2", first_page="7", last_page="21",
        updated_by=(Update(type="retraction", doi="10.5555/creeks.2016.1", source="retraction-watch", date=(2016, 5, 6)),),
    )  # fmt: skip
    text = manuscript(
        "Creeks silt up (Halvorsen, 2014).",
        "Halvorsen, M. (2014). Salt and silt in tidal creeks. *Estuarine Letters*, 9(2), 7–21. https://doi.org/10.5555/creeks.2014.7",
    )
    with FakeRegistry(works=[work]) as fake:
        settings = Settings(crossref_url=fake.crossref_url, openalex_url=fake.openalex_url, cache=False, timeout=5)
        report = audit_source(make_source(text, path="paper.md"), verify=settings)
    [f] = [f for f in report.findings if f.evidence is not None]
    root = tree(render_html([report]))
    [record] = root.all("record")
    fields = dict(zip((dt.text for dt in record.all(tag="dt")), (dd.text for dd in record.all(tag="dd")), strict=True))
    assert fields["Title"] == "Salt and silt in tidal creeks" and fields["Authors"] == "Halvorsen"
    assert fields["Year"] == "2014" and fields["Published in"] == "Estuarine Letters 9(2), 7–21"
    assert fields["DOI"] == "10.5555/creeks.2014.7" and fields["Status"] == "retracted"
    assert fields["Notice"].startswith("retraction (retraction-watch")
    assert squeeze(f.message) in [squeeze(m.text) for m in root.all("message")]
    assert root.by_id("d1-r1").all("verdict")


def test_a_clean_manuscript_says_so() -> None:
    root = tree(render_html([audited(manuscript("As shown before (Okafor, 2019).", OKAFOR))]))
    assert root.by_id("finding-count").text == "0"
    assert not root.all("finding") and root.all("clean")


# In a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as b:
        yield b


@pytest.fixture
def report_file(tmp_path: Path, page: str) -> Path:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def _visible(page: Page, severity: str | None = None, rule: str | None = None) -> list[bool]:
    """Whether each finding element (of a severity, of a rule) is shown."""
    selector = ".finding" + (f"[data-severity={severity}]" if severity else "") + (f"[data-rule={rule}]" if rule else "")
    return [f.is_visible() for f in page.locator(selector).all()]


def test_in_a_browser_the_filters_hide_exactly_what_they_name(browser: Browser, report_file: Path, report: Report) -> None:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: problems.append(f"dialog {d.message}"))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(report_file.as_uri())
    assert requests == [report_file.as_uri()]
    count = page.locator("#finding-count")
    assert count.inner_text() == str(len(report.findings))
    assert page.locator("#filters").is_visible()  # the script showed them
    assert all(_visible(page)) and len(_visible(page)) == len(report.findings)

    page.locator("input[data-filter=severity][value=note]").uncheck()
    assert _visible(page, severity="note") == [False]
    assert all(_visible(page, severity="error")) and all(_visible(page, severity="warning"))
    assert count.inner_text() == str(len(report.findings) - 1)
    assert not page.locator(".group[data-severity=note]").is_visible()

    page.locator("input[data-filter=severity][value=note]").check()
    page.locator("input[data-filter=rule][value=CC102]").uncheck()
    assert _visible(page, rule="CC102") == [False, False, False]
    assert sum(_visible(page)) == len(report.findings) - 3 == int(count.inner_text())
    assert not page.locator(".group[data-rule=CC102]").is_visible()

    shot = report_file.with_suffix(".png")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n") and shot.stat().st_size > 20_000
    assert problems == []
    page.close()


def test_in_a_browser_printing_shows_every_finding_and_no_filter(browser: Browser, report_file: Path, report: Report) -> None:
    page = browser.new_page()
    page.goto(report_file.as_uri())
    page.locator("input[data-filter=severity][value=error]").uncheck()
    page.emulate_media(media="print")
    assert all(_visible(page)) and len(_visible(page)) == len(report.findings)
    assert not page.locator("#filters").is_visible() and not page.locator("#finding-count").is_visible()
    page.close()


def test_in_a_browser_without_javascript_everything_is_shown(browser: Browser, report_file: Path, report: Report) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report_file.as_uri())
    assert all(_visible(page)) and len(_visible(page)) == len(report.findings)
    assert not page.locator("#filters").is_visible()  # boxes that would do nothing are not offered
    assert page.locator("#finding-count").inner_text() == str(len(report.findings))
    context.close()


def test_in_a_browser_the_policy_refuses_a_request(browser: Browser, report_file: Path) -> None:
    page = browser.new_page()
    page.goto(report_file.as_uri())
    refused = page.evaluate(
        """() => new Promise((done) => {
            document.addEventListener("securitypolicyviolation", (e) => done(e.violatedDirective));
            const img = document.createElement("img");
            img.src = "http://127.0.0.1:9/pixel.png";
            document.body.append(img);
        })"""
    )
    assert refused == "img-src"
    page.close()


def test_in_a_browser_hostile_text_runs_nothing_and_loads_nothing(browser: Browser, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render_html([audited(HOSTILE_PAGE)]), encoding="utf-8")
    page = browser.new_page()
    events: list[str] = []
    page.on("dialog", lambda d: events.append(f"dialog {d.message}"))
    page.on("console", lambda m: events.append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: events.append(r.url) if r.url != path.as_uri() else None)
    page.goto(path.as_uri())
    assert squeeze(page.locator(".context").first.inner_text()) == f"Tides {HOSTILE} rise (Okafor, 2018)."
    assert events == []
    page.close()
