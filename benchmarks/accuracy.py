"""Accuracy of citecheck on the shared corpus: how much of what an expert marked does the audit find?

For every corpus set under ``../shared/corpus`` that has gold files (``NAME.gold.json`` next to
``NAME.txt``: dev, dev2), each manuscript is audited by the installed code, exactly as
``citecheck audit --format json`` does it (same reader, same rules, same JSON writer), the reports
are written to a temporary directory and scored by the shared scorer (``../shared/eval/score.py``,
imported from there, never copied). One row per set gives, micro-averaged over its articles:

- citations F1: citation spans found, matched one-to-one to gold spans that overlap and agree on the
  year and the first surname;
- linking: the share of gold citation -> reference links the audit reproduced;
- references F1: reference-list entries segmented as the gold has them;
- findings P/R: the scored kinds of finding (missing-reference, uncited-reference, year-mismatch,
  author-misspelling, page-out-of-range) against the article's real inconsistencies, micro over all
  kinds and per kind; and how many findings hit a "control" (a citation that must not be flagged).

The seed set has no gold: its journal article is summarised by counts (citations, references,
findings by kind and severity) next to the counts an editor expects, and its blog post, a control,
must have no finding at all.

``--pdf`` also renders every gold article as a two-column PDF (reportlab, ``tests/make_pdf.py``),
audits the PDF, maps each reported span from the PDF's extracted text back onto the manuscript
text the gold indexes (a word alignment of the two texts), and scores that: the rows "dev (PDF)"
and "dev2 (PDF)" measure the PDF reader on top of everything else. ``--details`` lists every false
positive and miss. Without ``../shared`` (or ``--shared DIR``) it prints "no corpus" and exits 0.

``--styles [STYLE ...]`` also renders the dev and dev2 articles with pandoc's citeproc in author-date
CSL styles (all twelve of ``benchmarks/styles.py`` when no style is named), each with a gold of its own
and an injected variant, and adds one row per style and variant ("apa", "apa-injected") to the table.
Renderings are cached in the temporary directory; pandoc runs ``--jobs`` at a time.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import difflib
import hashlib
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

KINDS = ("missing-reference", "uncited-reference", "year-mismatch", "author-misspelling", "page-out-of-range")
SHORT = {
    "missing-reference": "missing",
    "uncited-reference": "uncited",
    "year-mismatch": "year",
    "author-misspelling": "author",
    "page-out-of-range": "page",
}
# What an editor reading the seed article flags (counts only); the blog post is a control.
EXPECTED_SEED = {"cjssr-china-russia-2025": {"citations": 56, "references": 32, "findings": 35}}
REFERENCE_HEADINGS = {"references", "reference list", "bibliography", "literature cited", "works cited"}
CACHE = Path(tempfile.gettempdir()) / "citecheck-accuracy-pdf"


# ------------------------------------------------------------------ auditing (in worker processes)
def audit_to_dict(path: str) -> tuple[dict[str, Any], str]:
    """The JSON report of one file, as the command line writes it, and the text its offsets index."""
    from citecheck.pipeline import audit_source
    from citecheck.readers import read_document
    from citecheck.report import render_json

    source = read_document(path)
    return json.loads(render_json([audit_source(source)])), source.text


def audit_text_job(txt: str, out: str) -> str | None:
    """Audit a manuscript, write NAME.json; returns an error message, or None."""
    Path(out).unlink(missing_ok=True)  # no stale report from an earlier --keep run is scored
    try:
        report, _ = audit_to_dict(txt)
    except Exception as exc:  # a crash is reported after the table, and the article scored as empty
        return f"{Path(txt).name}: {type(exc).__name__}: {exc}"
    Path(out).write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return None


def audit_pdf_job(txt: str, out: str) -> str | None:
    """Render a manuscript as a two-column PDF (cached), audit the PDF, map the report's spans onto the
    manuscript text and write NAME.json; the PDF's own report and text go beside it."""
    text = read_text(Path(txt))
    Path(out).unlink(missing_ok=True)
    try:
        pdf = render_pdf(text)
        report, pdf_text = audit_to_dict(str(pdf))
    except Exception as exc:
        return f"{Path(txt).name} (PDF): {type(exc).__name__}: {exc}"
    stem = out[: -len(".json")]
    Path(stem + ".pdf.txt").write_text(pdf_text, encoding="utf-8")
    Path(stem + ".pdf.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    mapped = map_report(report, Aligner(pdf_text, text))
    Path(out).write_text(json.dumps(mapped, ensure_ascii=False), encoding="utf-8")
    return None


# ------------------------------------------------------------------ rendering a manuscript as a PDF
def layout_article(text: str) -> tuple[str, list[str], list[str]]:
    """Title, body paragraphs and reference entries of a corpus manuscript.

    Paragraphs are separated by blank lines; the lines of a table each become a paragraph (a PDF
    paragraph would run them together); a short line without a full stop is set as a heading.
    Everything after the reference-list heading is the reference list, one entry per paragraph.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    title, paragraphs, references = blocks[0], [], []
    target = paragraphs
    for block in blocks[1:]:
        if target is paragraphs and block.lower().rstrip(":") in REFERENCE_HEADINGS:
            target = references
            continue
        for line in block.split("\n"):
            line = line.strip()
            if not line:
                continue
            heading = target is paragraphs and "\n" not in block and len(line) < 80 and not line.endswith((".", ":", ")"))
            target.append("## " + line if heading else line)
    return title, paragraphs, references


def render_pdf(text: str) -> Path:
    """The two-column PDF of a manuscript, from the cache when the text and the renderer are unchanged."""
    if str(TESTS) not in sys.path:
        sys.path.insert(0, str(TESTS))
    import make_pdf

    key = hashlib.sha256((text + Path(make_pdf.__file__).read_text(encoding="utf-8")).encode()).hexdigest()[:24]
    path = CACHE / f"{key}.pdf"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        title, paragraphs, references = layout_article(text)
        partial = path.with_suffix(f".{os.getpid()}.part")
        make_pdf.two_column_pdf(partial, title, paragraphs, references)
        partial.replace(path)
    return path


# ------------------------------------------------------------------ mapping PDF offsets to manuscript offsets
WORD = re.compile(r"\S+")


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).replace("\u00ad", "")


class Aligner:
    """Maps offsets in one text (the PDF's extracted text) to offsets in another (the manuscript).

    Both texts are cut into words; the word sequences are aligned with difflib (no autojunk, so common
    words still anchor the alignment). Equal words map character for character; runs of differing
    words (a header in the middle of a paragraph, a glyph the font lacks, a word the reader joined)
    are aligned again character by character. Every mapped character is an anchor; an offset that is
    not one takes the next anchor (for a start) or the previous one (for an end).
    """

    def __init__(self, source: str, target: str) -> None:
        self.target_length = len(target)
        sw = [(m.start(), m.group()) for m in WORD.finditer(source)]
        tw = [(m.start(), m.group()) for m in WORD.finditer(target)]
        matcher = difflib.SequenceMatcher(None, [_key(w) for _, w in sw], [_key(w) for _, w in tw], autojunk=False)
        pairs: list[tuple[int, int]] = []
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                for (s, a), (t, b) in zip(sw[i1:i2], tw[j1:j2], strict=True):
                    pairs.extend((s + k, t + k) for k in range(min(len(a), len(b))))
            elif op == "replace":
                pairs.extend(self._characters(source, target, sw[i1:i2], tw[j1:j2]))
        pairs.sort()
        self.source_offsets = [s for s, _ in pairs]
        self.target_offsets = [t for _, t in pairs]

    @staticmethod
    def _characters(source: str, target: str, sw: list[tuple[int, str]], tw: list[tuple[int, str]]) -> list[tuple[int, int]]:
        s0, s1 = sw[0][0], sw[-1][0] + len(sw[-1][1])
        t0, t1 = tw[0][0], tw[-1][0] + len(tw[-1][1])
        if (s1 - s0) * (t1 - t0) > 4_000_000:  # a long run of differences: leave it to the anchors around it
            return []
        a, b = source[s0:s1], target[t0:t1]
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        out = []
        for i, j, n in matcher.get_matching_blocks():
            out.extend((s0 + i + k, t0 + j + k) for k in range(n) if not a[i + k].isspace())
        return out

    def start(self, offset: int) -> int:
        i = bisect.bisect_left(self.source_offsets, offset)
        return self.target_offsets[i] if i < len(self.target_offsets) else self.target_length

    def end(self, offset: int) -> int:
        i = bisect.bisect_right(self.source_offsets, offset - 1) - 1
        return self.target_offsets[i] + 1 if i >= 0 else 0

    def span(self, start: int, end: int) -> tuple[int, int]:
        s, e = self.start(start), self.end(end)
        if e <= s:  # nothing of the span survived in the other text: an empty span, which overlaps nothing
            return s, s
        return s, e


def map_report(report: dict[str, Any], aligner: Aligner) -> dict[str, Any]:
    """The report with every span (citations, references, findings) moved onto the aligner's target."""
    out = dict(report)

    def moved(item: dict[str, Any] | None) -> dict[str, Any] | None:
        if not isinstance(item, dict) or "start" not in item:
            return item
        start, end = aligner.span(item["start"], item["end"])
        return {**item, "start": start, "end": end, "pdf_start": item["start"], "pdf_end": item["end"]}

    out["citations"] = [moved(c) for c in report.get("citations", [])]
    out["references"] = [moved(r) for r in report.get("references", [])]
    out["findings"] = [
        {**f, "citation": moved(f.get("citation")), "span": moved(f.get("span"))} for f in report.get("findings", [])
    ]
    return out


# ------------------------------------------------------------------ scoring
def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_score", shared / "eval" / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {shared / 'eval' / 'score.py'}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_sets(shared: Path) -> list[Path]:
    corpus = shared / "corpus"
    if not corpus.is_dir():
        return []
    return [d for d in sorted(corpus.iterdir()) if d.is_dir() and any(d.glob("*.gold.json"))]


def read_text(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def run_audits(job, items: list[tuple[str, str]], jobs: int) -> list[str]:
    """Run ``job(txt, out)`` for each pair, in a pool of ``jobs`` processes; returns the errors."""
    if jobs <= 1:
        results = [job(txt, out) for txt, out in items]
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(job, *zip(*items, strict=True)))
    return [r for r in results if r]


def score_set(score: ModuleType, set_dir: Path, report_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The scorer's micro-averaged totals for one set, and per article what details need."""
    results, articles = [], []
    for gold_path in sorted(set_dir.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        report_path = report_dir / f"{name}.json"
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
        text = read_text(set_dir / f"{name}.txt")
        result = score.score_one(gold, report, text)
        results.append(result)
        articles.append({"name": name, "gold": gold, "report": report, "text": text, "result": result})
    return score.aggregate(results), articles


def score_audits(score: ModuleType, set_dir: Path, out_dir: Path, pdf: bool, jobs: int) -> dict[str, Any]:
    out_dir.mkdir(parents=True, exist_ok=True)
    names = [p.name[: -len(".gold.json")] for p in sorted(set_dir.glob("*.gold.json"))]
    items = [(str(set_dir / f"{n}.txt"), str(out_dir / f"{n}.json")) for n in names]
    start = time.perf_counter()
    errors = run_audits(audit_pdf_job if pdf else audit_text_job, items, jobs)
    seconds = time.perf_counter() - start
    total, articles = score_set(score, set_dir, out_dir)
    label = set_dir.name + (" (PDF)" if pdf else "")
    return {"label": label, "total": total, "articles": articles, "errors": errors, "seconds": seconds}


# ------------------------------------------------------------------ printing
def table(rows: list[list[str]], left: tuple[int, ...] = (0,)) -> str:
    """Rows as aligned columns, the first row a header; columns in ``left`` are left-aligned."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [c.ljust(w) if i in left else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _pr(rec: dict[str, Any]) -> str:
    """Precision/recall (true positives/predicted/expected); "-" where there is nothing to divide by."""
    if rec["n_pred"] == 0 and rec["n_gold"] == 0:
        return "-"
    p = f"{rec['precision']:.2f}" if rec["n_pred"] else "-"
    r = f"{rec['recall']:.2f}" if rec["n_gold"] else "-"
    return f"{p}/{r} ({rec['tp']}/{rec['n_pred']}/{rec['n_gold']})"


def score_rows(runs: list[dict[str, Any]]) -> list[list[str]]:
    head = ["set", "articles", "citations F1", "linking", "references F1", "findings P/R (tp/pred/gold)"]
    head += [SHORT[k] for k in KINDS] + ["control alarms", "seconds"]
    rows = [head]
    for run in runs:
        t = run["total"]
        f = t["findings"]
        rows.append(
            [
                run["label"],
                str(t["articles"]),
                f"{t['citations']['f1']:.4f}",
                f"{t['linking']['accuracy']:.4f}",
                f"{t['references']['f1']:.4f}",
                _pr(f["micro"]),
                *(_pr(f["per_kind"][k]) for k in KINDS),
                f"{f['control_false_alarms']}/{f['n_controls']}",
                f"{run['seconds']:.1f}",
            ]
        )
    return rows


def seed_rows(seed_dir: Path, jobs: int) -> list[list[str]]:
    """Counts for the seed articles (no gold): the journal article against expected counts, the blog control."""
    files = sorted(seed_dir.glob("cjssr-*.txt")) + sorted(seed_dir.glob("blog-*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        items = [(str(p), str(Path(tmp) / f"{p.stem}.json")) for p in files]
        errors = run_audits(audit_text_job, items, jobs)
        reports = {p.stem: json.loads((Path(tmp) / f"{p.stem}.json").read_text(encoding="utf-8")) for p in files}
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    rows = [["seed file", "citations", "references", "findings", "expected (cit/ref/findings)", "by kind and severity"]]
    for p in files:
        report = reports.get(p.stem)
        if report is None:
            rows.append([p.name, "crashed", "", "", "", ""])
            continue
        s = report["summary"]
        control = p.name.startswith("blog-")
        want = {"citations": 0, "references": 0, "findings": 0} if control else EXPECTED_SEED.get(p.stem)
        kinds = collections.Counter(f"{f['kind']} {f['severity']}" for f in report["findings"])
        found = s["errors"] + s["warnings"]
        rows.append(
            [
                p.name + (" (control)" if control else ""),
                str(s["citations"]),
                str(s["references"]),
                str(found) + (f" (+{s['notes']} notes)" if s["notes"] else ""),
                f"{want['citations']}/{want['references']}/{want['findings']}" if want else "-",
                ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())) or "none",
            ]
        )
    return rows


def details(run: dict[str, Any], score: ModuleType) -> list[str]:
    """Every false positive and miss of a run: citations, references, links and findings."""
    out = [f"## {run['label']}"]
    for art in run["articles"]:
        gold, report, text, name = art["gold"], art["report"], art["text"], art["name"]
        lines: list[str] = []
        t2g, _ = score.map_references(gold, report)
        g2p, preds, _ = score.match_citations(gold, report, text)
        matched = set(g2p.values())
        for gi, g in enumerate(gold["citations"]):
            if gi not in g2p:
                near = [p for p in preds if p["end"] > g["start"] - 40 and p["start"] < g["end"] + 40]
                around = "; ".join(f"{p['text']!r} {p['start']}-{p['end']}" for p in near) or "no tool span near"
                lines.append(f"miss citation        {g['start']}-{g['end']} {g['text']!r}; tool: {around}")
            elif g["reference_ids"]:
                r = preds[g2p[gi]].get("reference")
                got = t2g.get(r) if isinstance(r, int) else None
                if got not in g["reference_ids"]:
                    lines.append(
                        f"wrong link           {g['start']}-{g['end']} {g['text']!r}: gold {g['reference_ids']}, tool {got}"
                    )
        for pi, p in enumerate(preds):
            if pi not in matched:
                lines.append(f"FP citation          {p['start']}-{p['end']} {p.get('text', '')!r}")
        mapped = set(t2g.values())
        for r in gold["references"]:
            if r["id"] not in mapped:
                lines.append(f"miss reference       {r['id']} {r['text'][:90]!r}")
        for i, r in enumerate(report.get("references", [])):
            if i not in t2g:
                lines.append(f"FP reference         {r['start']}-{r['end']} {r.get('text', '')[:90]!r}")
        findings = art["result"]["findings"]
        for m in findings.get("missed", []):
            where = m.get("citation_offset") or m.get("reference_id")
            lines.append(f"miss {m['kind']:<18} {where}: {m.get('detail')}")
        for f in findings.get("false_positives", []):
            span = f.get("citation")
            where = (
                f"{span['start']}-{span['end']} {text[span['start'] : span['end']]!r}" if span else f"reference {f['reference']}"
            )
            lines.append(f"FP {f['kind']:<20} {where}: {f['message']}")
        if lines:
            out.append(f"{name}:")
            out.extend("  " + line for line in lines)
    if len(out) == 1:
        out.append("nothing missed, no false positive")
    return out


def style_runs(score: ModuleType, args: argparse.Namespace, base: Path) -> list[dict[str, Any]]:
    """Render dev + dev2 in the chosen styles (benchmarks/styles.py, clean and injected), audit and score each."""
    spec = importlib.util.spec_from_file_location("citecheck_styles_benchmark", ROOT / "benchmarks" / "styles.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load benchmarks/styles.py")
    styles = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = styles  # dataclasses look their module up by name
    spec.loader.exec_module(styles)
    start = time.perf_counter()
    directories, counts = styles.write_sets(args.shared, base / "styles", styles.parse_styles(args.styles), True, args.jobs)
    print(f"rendered {len(directories)} style sets in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    runs = []
    for directory in directories:
        run = score_audits(score, directory, base / "styles-reports" / directory.name, False, args.jobs)
        c = counts[directory.name]
        run["note"] = f"{c['item spans']} item spans, {c['cluster spans']} cluster spans"
        runs.append(run)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared directory (default: ../shared)")
    parser.add_argument("--pdf", action="store_true", help="also score the gold articles rendered as two-column PDFs")
    parser.add_argument("--details", action="store_true", help="list every false positive and miss")
    parser.add_argument("--jobs", type=int, default=2, help="audits run in parallel (default: 2)")
    parser.add_argument("--keep", type=Path, help="write the reports to this directory instead of a temporary one")
    parser.add_argument(
        "--styles", nargs="*", metavar="STYLE", help="also score the articles rendered in these CSL styles (default: all twelve)"
    )
    args = parser.parse_args(argv)

    sets = gold_sets(args.shared)
    seed = args.shared / "corpus" / "seed"
    if not sets and not seed.is_dir():
        print(f"no corpus: nothing to score under {args.shared / 'corpus'} (give --shared DIR)")
        return 0
    scorer = args.shared / "eval" / "score.py"
    if sets and not scorer.exists():
        print(f"error: {scorer} not found: the gold sets cannot be scored", file=sys.stderr)
        return 2
    score = load_scorer(args.shared) if sets else None
    started = time.perf_counter()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        base = args.keep or Path(tmp)
        for pdf in (False, True) if args.pdf else (False,):
            for set_dir in sets:
                runs.append(score_audits(score, set_dir, base / (set_dir.name + ("-pdf" if pdf else "")), pdf, args.jobs))
        if args.styles is not None and sets:
            runs += style_runs(score, args, base)
    if runs:
        print(table(score_rows(runs)))
        print(
            "\ncitations F1 and references F1: micro over the set's articles; linking: gold links reproduced;"
            "\nfindings and each kind: precision/recall (true positives/findings/expected), '-' for nothing found or expected;"
            "\ncontrol alarms: findings on citations that must not be flagged / controls."
        )
    if seed.is_dir():
        print()
        print(table(seed_rows(seed, args.jobs), left=(0, 5)))
        print("findings: errors and warnings (notes apart); expected: what an editor flags, and nothing in the control.")
    errors = [e for run in runs for e in run["errors"]]
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if args.details:
        for run in runs:
            print()
            print("\n".join(details(run, score)))
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
