"""The HTML renderer (``--format html``): one self-contained page that an editor reads, filters and
forwards to the author.

In: the reports of a run. Out: one HTML document with a summary over all of them, then a section
per document: its reading notes, the findings (each problem once with every place it recurs, see
``groups.py``), each place with the sentence around it (``context.py``) and, beside it, the entry
it was matched to with what differs marked, and the reference list with how often each entry is
cited.

The page needs nothing but itself: styles and the filter script are inline, a Content-Security-
Policy lets the browser fetch nothing at all, and everything taken from the manuscript is escaped
(it is untrusted input: a pasted "<script>" must stay text). Without JavaScript every finding is
shown and the filters are hidden. The same reports always render to the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from citecheck import __version__
from citecheck.model import Citation, Finding, Link, Record, Reference, Report, Severity, Source, Span, page_number
from citecheck.names import name_key
from citecheck.report.context import sentence
from citecheck.report.data import record_dict, summary
from citecheck.report.groups import group_findings
from citecheck.report.text import place
from citecheck.rules import RULES

SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.NOTE)
ENTRY_CHARACTERS = 600  # a reference entry longer than this (the parser took in stray text) is cut
CANDIDATES = 3  # nearest entries shown for a citation linked to none
REGISTRIES = {"crossref": "Crossref", "openalex": "OpenAlex"}

# Characters HTML forbids (C0 controls but tab, line feed and carriage return) and lone surrogates,
# which a damaged file can decode to and which no UTF-8 page can hold.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def render_html(reports: Sequence[Report]) -> str:
    """The page for the reports of a run: one section per document, the summary over all of them."""
    subject = (reports[0].source.path or "<text>") if len(reports) == 1 else f"{len(reports)} documents"
    body = [
        f'<header><h1>Citation report</h1><p class="subtitle">{_esc(subject)}</p></header>',
        _summary(reports),
        _filters(reports),
        *(_document(n, report) for n, report in enumerate(reports, 1)),
        f"<footer><p>Written by citecheck {_esc(__version__)}.</p></footer>",
    ]
    return _page(f"citecheck: {subject}", "\n".join(body))


def _page(title: str, body: str) -> str:
    """The document around the body, with a policy that allows the page's own style and script
    (by their hashes) and nothing else: no request leaves the page, whatever the body holds."""
    policy = (
        f"default-src 'none'; style-src '{_digest(STYLE)}'; script-src '{_digest(SCRIPT)}'; base-uri 'none'; form-action 'none'"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{body}\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )


def _digest(code: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")


def _esc(text: object) -> str:
    """Text for HTML content and attribute values alike."""
    return html.escape(_UNWRITABLE.sub("\ufffd", str(text)))


def _plural(n: int, word: str, words: str = "") -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {words or word + 's'}"


# The summary and the filters


def _summary(reports: Sequence[Report]) -> str:
    citations = sum(len(r.citations) for r in reports)
    references = sum(len(r.references) for r in reports)
    by_severity = Counter(f.severity for r in reports for f in r.findings)
    out = ['<section id="summary" class="summary">', "<h2>Summary</h2>", '<dl class="counts">']
    out.append(f'<div><dt>Citations</dt><dd id="count-citations">{citations:,}</dd></div>')
    out.append(f'<div><dt>References</dt><dd id="count-references">{references:,}</dd></div>')
    for severity in SEVERITIES:
        out.append(
            f'<div class="{severity}"><dt>{str(severity).capitalize()}s</dt>'
            f'<dd id="count-{severity}">{by_severity[severity]:,}</dd></div>'
        )
    out.append("</dl>")
    suppressed, baselined = sum(r.suppressed for r in reports), sum(r.baselined for r in reports)
    dropped = [f"{_plural(suppressed, 'finding')} silenced by the manuscript's own comments"] if suppressed else []
    dropped += [f"{_plural(baselined, 'finding')} accepted by the baseline"] if baselined else []
    if dropped:
        out.append(f"<p>Not shown: {_esc(', '.join(dropped))}.</p>")
    if len(reports) > 1:
        out.append(_documents_table(reports))
    by_rule = Counter((f.rule, f.kind) for r in reports for f in r.findings)
    if by_rule:
        out.append('<table class="kinds"><thead><tr><th>Rule</th><th>Findings</th><th>What it flags</th></tr></thead><tbody>')
        for (code, kind), n in sorted(by_rule.items()):
            rule = RULES.get(code)
            out.append(
                f'<tr><td><code>{_esc(code)}</code> {_esc(kind)}</td><td class="number">{n:,}</td>'
                f"<td>{_esc(rule.summary if rule else '')}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append('<p class="clean">No findings.</p>')
    out.append("</section>")
    return "\n".join(out)


def _documents_table(reports: Sequence[Report]) -> str:
    out = [
        '<table class="documents"><thead><tr><th>Document</th><th>Citations</th><th>References</th>'
        "<th>Errors</th><th>Warnings</th><th>Notes</th></tr></thead><tbody>"
    ]
    for n, report in enumerate(reports, 1):
        s = summary(report)
        cells = "".join(f'<td class="number">{s[k]:,}</td>' for k in ("citations", "references", "errors", "warnings", "notes"))
        out.append(f'<tr><td><a href="#d{n}">{_esc(report.source.path or "<text>")}</a></td>{cells}</tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _filters(reports: Sequence[Report]) -> str:
    """The filter boxes, hidden until the script shows them (without it they would do nothing),
    and the count of findings shown, which the script keeps up to date."""
    findings = [f for r in reports for f in r.findings]
    by_severity = Counter(str(f.severity) for f in findings)
    by_rule = Counter((f.rule, f.kind) for f in findings)
    out = ['<div id="filters" class="filters" hidden>', "<fieldset><legend>Severity</legend>"]
    for severity in SEVERITIES:
        out.append(
            f'<label><input type="checkbox" data-filter="severity" value="{severity}" checked> '
            f'{severity} <span class="tally">{by_severity[str(severity)]:,}</span></label>'
        )
    out.append("</fieldset>")
    if by_rule:
        out.append("<fieldset><legend>Rule</legend>")
        for (code, kind), n in sorted(by_rule.items()):
            out.append(
                f'<label><input type="checkbox" data-filter="rule" value="{_esc(code)}" checked> '
                f'<code>{_esc(code)}</code> {_esc(kind)} <span class="tally">{n:,}</span></label>'
            )
        out.append("</fieldset>")
    out.append("</div>")
    out.append(
        f'<p class="shown"><span id="finding-count">{len(findings):,}</span> of {_plural(len(findings), "finding")} shown</p>'
    )
    return "\n".join(out)


# A document


def _document(n: int, report: Report) -> str:
    src = report.source
    s = summary(report)
    counts = ", ".join(
        _plural(s[key], word)
        for key, word in (
            ("citations", "citation"),
            ("references", "reference"),
            ("errors", "error"),
            ("warnings", "warning"),
            ("notes", "note"),
        )
    )
    out = [
        f'<section class="document" id="d{n}">',
        f"<h2>{_esc(src.path or '<text>')}</h2>",
        f'<p class="counts-line">{counts}</p>',
    ]
    if src.notes:
        out.append('<div class="notes"><h3>Reading notes</h3><ul>')
        out += [f"<li>{_esc(note)}</li>" for note in src.notes]
        out.append("</ul></div>")
    index = {id(f): i for i, f in enumerate(report.findings, 1)}
    # Errors first, then warnings, then notes; in reading order within each.
    groups = sorted(group_findings(report.findings), key=lambda g: -g[0].severity)
    out.append('<div class="findings">')
    if not groups:
        out.append('<p class="clean">No findings.</p>')
    for k, group in enumerate(groups, 1):
        out.append(_group(n, k, report, group, [index[id(f)] for f in group]))
    out.append("</div>")
    out.append(_reference_list(n, report))
    out.append("</section>")
    return "\n".join(out)


def _group(doc: int, k: int, report: Report, group: list[Finding], numbers: list[int]) -> str:
    """One problem: its rule, its fix, and each place it occurs. A group of repeats links to each
    place from its heading; the entry they share is shown once, above them."""
    first = group[0]
    severity, rule = str(first.severity), _esc(first.rule)
    ids = [f"d{doc}-f{i}" for i in numbers]
    heading = [
        f'<span class="badge {severity}">{severity}</span>',
        f'<span class="rule"><code>{rule}</code> {_esc(first.kind)}</span>',
    ]
    if len(group) > 1:
        links = ", ".join(
            f'<a href="#{i}">{_esc(_short_place(report.source, f.span))}</a>' for i, f in zip(ids, group, strict=True)
        )
        heading.append(f'<span class="places">{len(group)} places: {links}</span>')
    out = [f'<article class="group" id="d{doc}-g{k}" data-severity="{severity}" data-rule="{rule}">']
    out.append(f"<h3>{' '.join(heading)}</h3>")
    if first.suggestion:
        out.append(f'<p class="fix"><span class="label">Fix</span> {_esc(first.suggestion)}</p>')
    shown = [_shown_with(doc, report, f) for f in group]
    panels = {panel for _, panel in shown}
    shared = len(group) > 1 and len(panels) == 1
    if shared and shown[0][1]:
        out.append(f'<div class="shared">{shown[0][1]}</div>')
    for finding_id, f, (context, panel) in zip(ids, group, shown, strict=True):
        out.append(f'<div class="finding" id="{finding_id}" data-severity="{severity}" data-rule="{rule}">')
        out.append(f'<p class="where"><a href="#{finding_id}">{_esc(_place(report.source, f.span))}</a></p>')
        out.append(f'<p class="message">{_esc(f.message)}</p>')
        side = "" if shared else panel
        out.append(f'<div class="pair">{context}{side}</div>' if side else context)
        if f.evidence is not None:
            out.append(_record(f.evidence))
        out.append("</div>")
    out.append("</article>")
    return "\n".join(out)


def _short_place(src: Source, span: Span | None) -> str:
    """Where a finding is, in the group's list of places."""
    return "the document" if span is None else place(src, span, src.path or "<text>", short=True)


def _place(src: Source, span: Span | None) -> str:
    """Where a finding is, told as the text report tells it (``text.place``): line and column in a
    text (the file named when it is not the main one), the printed page and margin line of a PDF,
    the paragraph's first words of a DOCX."""
    return "The document as a whole" if span is None else place(src, span, src.path or "<text>", short=True)


def _shown_with(doc: int, report: Report, f: Finding) -> tuple[str, str]:
    """What a finding shows: the passage it points at, and beside it the entries it concerns."""
    if f.span is None:
        return "", ""
    if f.citation is None:
        # A finding on the list itself (uncited, duplicate, unparsed entry): the entry is the passage.
        src = report.source
        related = "".join(
            f'<div class="entry"><p class="label">The other entry</p><p>{_esc(_entry_text(src.text[s.start : s.end]))}</p></div>'
            for s in f.related
        )
        if f.reference is not None:
            passage = _esc(_entry_text(src.text[f.span.start : f.span.end]))
            return f'<blockquote class="context listed">{passage}</blockquote>', related
        return _context(src, f.span, []), related
    c, link = report.citations[f.citation], report.links[f.citation]
    cited = sentence(report.source, f.span)[1]
    # A rule on a linked citation may leave the reference out (quotation-without-locator): the link has it.
    matched = f.reference if f.reference is not None else link.reference
    panel, marks = _beside(doc, report, c, cited, matched, link)
    return _context(report.source, f.span, marks), panel


def _beside(
    doc: int, report: Report, c: Citation, cited: str, matched: int | None, link: Link
) -> tuple[str, list[tuple[int, int]]]:
    """The entry a citation was matched to, else the ones that fit it equally or come nearest,
    with what differs marked; and where the citation differs from the first of them."""
    if not report.references:
        return "", []
    choices: list[tuple[int, str, float | None]]  # (entry, how it relates, its score)
    if matched is not None:
        choices = [(matched, "Listed as", None)]
    elif link.also:
        choices = [(i, "Fits equally", None) for i in link.also]
    elif link.candidates:
        choices = [(k.reference, "Nearest entry", k.score) for k in link.candidates[:CANDIDATES]]
    else:
        return '<div class="entry none"><p class="label">No entry of the list comes near.</p></div>', []
    panels: list[str] = []
    marks: list[tuple[int, int]] = []
    for n, (i, label, score) in enumerate(choices):
        ref = report.references[i]
        entry = _entry_text(ref.text)
        in_cited, in_entry = _differences(c, cited, ref, entry)
        if n == 0:
            marks = in_cited
        how_near = f' <span class="score">score {score:.0f}</span>' if score is not None else ""
        panels.append(
            f'<div class="entry"><p class="label">{label} <a href="#d{doc}-r{i + 1}">entry {i + 1}</a>{how_near}</p>'
            f"<p>{_marked(entry, in_entry)}</p></div>"
        )
    return f'<div class="entries">{"".join(panels)}</div>', marks


def _entry_text(text: str) -> str:
    shown = " ".join(text.split())  # an entry over several lines reads as one
    if len(shown) <= ENTRY_CHARACTERS:
        return shown
    return shown[:ENTRY_CHARACTERS].rsplit(" ", 1)[0] + " …"


def _differences(c: Citation, cited: str, ref: Reference, entry: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Where a citation and an entry differ, as ranges of each one's shown text: the year, the
    letters of a misspelt surname ("Kuznet[z]ov" against "Kuznet[s]ov"), a cited page against the
    listed range. The rules compare the same fields (rules/citations.py)."""
    in_cited: list[tuple[int, int]] = []
    in_entry: list[tuple[int, int]] = []
    if c.year and ref.year and c.year != ref.year_label:
        _mark_first(in_cited, cited, c.year)
        if not _mark_first(in_entry, entry, ref.year_label):
            _mark_first(in_entry, entry, ref.year)  # "n.d.-a": the label is "n.d.a"
    for name, listed in zip(c.authors, (a.family for a in ref.authors), strict=False):
        at, listed_at = cited.find(name), entry.find(listed)
        if name_key(name) == name_key(listed) or at < 0 or listed_at < 0:
            continue
        letters = SequenceMatcher(None, name, listed, autojunk=False)
        if letters.ratio() < 0.6:
            continue  # another name, not a slip: marking every letter would say nothing
        for op, i1, i2, j1, j2 in letters.get_opcodes():
            if op != "equal":
                in_cited += [(at + i1, at + i2)] if i2 > i1 else []
                in_entry += [(listed_at + j1, listed_at + j2)] if j2 > j1 else []
    loc, pages = c.locator, ref.pages
    if loc and loc.kind == "page" and isinstance(loc.first, int) and isinstance(loc.last, int) and pages and pages.last:
        first, last = page_number(pages.first), page_number(pages.last)
        if first is not None and last is not None and first <= last and (loc.first < first or loc.last > last):
            _mark_last(in_cited, cited, rf"\b{loc.first}(?:\s*[-–—]+\s*{loc.last})?\b")
            _mark_last(in_entry, entry, rf"\b{re.escape(pages.first)}\s*[-–—]+\s*{re.escape(pages.last)}\b")
    return in_cited, in_entry


def _mark_first(ranges: list[tuple[int, int]], text: str, part: str | None) -> bool:
    at = text.find(part) if part else -1
    if at >= 0:
        ranges.append((at, at + len(part or "")))
    return at >= 0


def _mark_last(ranges: list[tuple[int, int]], text: str, pattern: str) -> None:
    """The last match: a locator comes after the year ("Weitz, 2022, p. 61"), pages after the title."""
    found = list(re.finditer(pattern, text))
    if found:
        ranges.append(found[-1].span())


def _marked(text: str, ranges: list[tuple[int, int]]) -> str:
    """Escaped text with the ranges that differ marked; a range overlapping an earlier one is dropped."""
    out: list[str] = []
    at = 0
    for start, end in sorted(set(ranges)):
        if start < at or end > len(text):
            continue
        out += [_esc(text[at:start]), '<b class="diff">', _esc(text[start:end]), "</b>"]
        at = end
    out.append(_esc(text[at:]))
    return "".join(out)


# The sentence around a citation


def _context(src: Source, span: Span, marks: list[tuple[int, int]]) -> str:
    """The sentence a span stands in (``context.sentence``, as the text and JSON reports show it),
    the span highlighted and what differs from the entry marked in it."""
    before, cited, after = sentence(src, span)
    return f'<blockquote class="context">{_esc(before)}<mark>{_marked(cited, marks)}</mark>{_esc(after)}</blockquote>'


# Registry records and the reference list


def _record(record: Record) -> str:
    """The registry's record behind a --verify finding, field by field."""
    d = record_dict(record)
    published = d["container"] or ""
    if d["volume"]:
        published += f" {d['volume']}" + (f"({d['issue']})" if d["issue"] else "")
    if d["pages"]:
        published += f", {d['pages']['first']}" + (f"–{d['pages']['last']}" if d["pages"]["last"] else "")
    rows = [
        ("Title", d["title"]),
        ("Authors", ", ".join(d["authors"])),
        ("Year", ", ".join(str(y) for y in d["years"])),
        ("Published in", published.strip(", ")),
        ("Publisher", d["publisher"]),
        ("DOI", d["doi"]),
        ("Type", d["type"]),
        ("Status", "retracted" if d["retracted"] else None),
    ]
    for u in d["updates"]:
        notice = ", ".join(str(x) for x in (u["source"], u["date"], u["doi"] and f"DOI {u['doi']}") if x)
        rows.append(("Notice", f"{u['type'].replace('_', ' ')}" + (f" ({notice})" if notice else "")))
    cells = "".join(f"<dt>{label}</dt><dd>{_esc(value)}</dd>" for label, value in rows if value)
    registry = REGISTRIES.get(record.registry, record.registry)
    heading = f'<span class="label">{_esc(registry)}\'s record</span> <code>{_esc(record.id)}</code>'
    return f'<div class="record"><p>{heading}</p><dl>{cells}</dl></div>'


def _reference_list(doc: int, report: Report) -> str:
    """Every entry with how often it is cited. The entries of a --bib library are shown only when
    cited: a library holds many works the manuscript has no use for."""
    if not report.references:
        return ""
    cited = Counter(link.reference for link in report.links if link.reference is not None)
    verdicts = {v.reference: v.status for v in report.verifications or ()}
    out = [
        '<section class="reference-list">',
        f"<h3>Reference list ({_plural(len(report.references), 'entry', 'entries')})</h3>",
        "<ol>",
    ]
    library = 0
    for i, ref in enumerate(report.references):
        n = cited[i]
        if ref.origin == "library" and not n:
            library += 1
            continue
        times = "never cited" if not n else "cited once" if n == 1 else f"cited {n:,} times"
        verdict = f' <span class="verdict">verified: {_esc(verdicts[i])}</span>' if i in verdicts else ""
        uncited = " uncited" if not n else ""
        out.append(
            f'<li value="{i + 1}" id="d{doc}-r{i + 1}" class="reference{uncited}" data-cited="{n}">'
            f'<span class="cites">{times}</span>{verdict} {_esc(_entry_text(ref.text))}</li>'
        )
    out.append("</ol>")
    if library:
        out.append(f"<p>{_plural(library, 'entry', 'entries')} of the --bib library, never cited, not shown.</p>")
    out.append("</section>")
    return "\n".join(out)


STYLE = """
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --paper: #fff;
  --error: #b42318; --warning: #9a5b00; --note: #1f5fbf; --mark: #fff1a8; --diff: #f7c4bf; }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; color: var(--ink); background: var(--paper);
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; }
h1 { font-size: 1.6rem; margin: 0; }
h2 { font-size: 1.3rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1rem; margin: 0 0 .5rem; font-weight: 600; }
.subtitle, .counts-line, .where, footer { color: var(--muted); }
code { font: .9em ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
a { color: inherit; }
.counts { display: flex; flex-wrap: wrap; gap: .75rem; margin: 0 0 1rem; }
.counts div { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .9rem; min-width: 7rem; }
.counts dt { font-size: .85rem; color: var(--muted); }
.counts dd { margin: 0; font-size: 1.4rem; font-weight: 600; }
.counts .error dd { color: var(--error); } .counts .warning dd { color: var(--warning); } .counts .note dd { color: var(--note); }
table { border-collapse: collapse; margin: .5rem 0 1rem; }
th, td { text-align: left; padding: .3rem .8rem .3rem 0; border-bottom: 1px solid var(--line); vertical-align: top; }
td.number { text-align: right; }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; margin: 1rem 0 .25rem; }
.filters fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0; padding: .3rem .8rem .5rem; }
.filters label { display: inline-block; margin-right: 1rem; white-space: nowrap; }
.tally { color: var(--muted); font-size: .85rem; }
.shown { color: var(--muted); }
.group { border: 1px solid var(--line); border-left: 4px solid var(--note); border-radius: 6px;
  padding: .8rem 1rem; margin: 1rem 0; }
.group[data-severity=error] { border-left-color: var(--error); }
.group[data-severity=warning] { border-left-color: var(--warning); }
.badge { font-size: .75rem; text-transform: uppercase; letter-spacing: .04em; border-radius: 4px; padding: .05rem .4rem;
  border: 1px solid currentColor; margin-right: .3rem; }
.badge.error { color: var(--error); } .badge.warning { color: var(--warning); } .badge.note { color: var(--note); }
.places { font-weight: normal; color: var(--muted); margin-left: .5rem; }
.label { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin-right: .4rem; }
.fix { margin: .25rem 0 .75rem; }
.finding { border-top: 1px dashed var(--line); padding-top: .5rem; margin-top: .5rem; }
.group > h3 + .finding, .group > .fix + .finding, .shared + .finding { border-top: 0; }
.where { margin: 0; font-size: .85rem; }
.message { margin: .2rem 0 .5rem; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.context { margin: 0; padding: .4rem .8rem; border-left: 3px solid var(--line); font-style: normal; }
.entry, .record { border: 1px solid var(--line); border-radius: 6px; padding: .4rem .8rem; margin-bottom: .5rem; }
.entry p, .record p { margin: 0; }
.entry.none { color: var(--muted); }
.score { color: var(--muted); font-size: .85rem; }
mark { background: var(--mark); padding: 0 .1em; }
b.diff { background: var(--diff); font-weight: 700; text-decoration: underline; }
.record dl { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: .3rem 0 0; }
.record dt { color: var(--muted); } .record dd { margin: 0; }
.notes { border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; margin: 1rem 0; }
.notes ul { margin: 0; }
.reference-list li { margin: .3rem 0; }
.cites { display: inline-block; min-width: 7.5rem; font-size: .8rem; color: var(--muted); }
.uncited .cites { color: var(--warning); font-weight: 600; }
.verdict { font-size: .8rem; border: 1px solid var(--line); border-radius: 4px; padding: 0 .3rem; }
.clean { color: var(--muted); }
@media (max-width: 48rem) { .pair { grid-template-columns: 1fr; } }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  .filters, .shown { display: none !important; }
  .finding[hidden], .group[hidden] { display: block !important; }
  .group, .finding, .entry, .record, .reference-list li { break-inside: avoid; }
  .group { border-left-width: 3px; }
  mark { background: none; font-weight: 600; text-decoration: underline; }
  b.diff { background: none; text-decoration: underline double; }
  a { text-decoration: none; }
}
"""

# The filters: each box shows or hides the findings of its severity or rule; a group whose findings
# are all hidden is hidden too, and the count says how many are shown. Only the page's own text
# (a number) is ever written into it: nothing of the manuscript passes through the script.
SCRIPT = """
"use strict";
(() => {
  const filters = document.getElementById("filters");
  const count = document.getElementById("finding-count");
  const boxes = Array.from(filters.querySelectorAll("input[data-filter]"));
  const findings = Array.from(document.querySelectorAll(".finding"));
  const groups = Array.from(document.querySelectorAll(".group"));
  const update = () => {
    const on = new Set(boxes.filter((box) => box.checked).map((box) => box.dataset.filter + " " + box.value));
    let shown = 0;
    for (const finding of findings) {
      const visible = on.has("severity " + finding.dataset.severity) && on.has("rule " + finding.dataset.rule);
      finding.hidden = !visible;
      shown += visible ? 1 : 0;
    }
    for (const group of groups) {
      group.hidden = group.querySelector(".finding:not([hidden])") === null;
    }
    count.textContent = shown.toLocaleString("en");
  };
  filters.hidden = false;
  filters.addEventListener("change", update);
  update();
})();
"""
