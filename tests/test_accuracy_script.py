"""benchmarks/accuracy.py on a tiny synthetic corpus: the table, the seed counts, --details, --pdf, and
"no corpus" when there is nothing to score. None of this needs ../shared: the corpus and a small
stand-in for the shared scorer are written here; one test also runs the real scorer when it exists."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "accuracy.py"
REAL_SCORER = ROOT.parent / "shared" / "eval" / "score.py"

ARTICLE = """Salt Marsh Recovery After Storms

Introduction

Salt marshes recover within a decade after a storm (Okafor, 2019). Recovery is slower where the supply of \
sediment is low (Lindqvist & Moreau, 2015, p. 12). Hartmann (2011) measured accretion on forty transects.

References

Hartmann, P. (2012). Accretion on storm-damaged marshes. Coastal Research, 8(2), 11–29.

Lindqvist, A., & Moreau, C. (2015). Sediment supply and marsh recovery. Estuaries, 4(1), 1–20.

Okafor, N. (2019). Tides and storms. Marine Geology, 12(3), 40–52.

Unwin, T. (2001). A study nobody cites. Coasts, 2(2), 3–4.
"""

# A stand-in for ../shared/eval/score.py with the functions accuracy.py calls: spans match when they
# overlap, one to one; findings match by kind and citation span (or reference, for uncited ones).
STUB_SCORER = """
KINDS = ["missing-reference", "uncited-reference", "year-mismatch", "author-misspelling", "page-out-of-range"]


def overlap(a, b):
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def prf(tp, n_pred, n_gold):
    p = tp / n_pred if n_pred else float(n_gold == 0)
    r = tp / n_gold if n_gold else float(n_pred == 0)
    return {"tp": tp, "n_pred": n_pred, "n_gold": n_gold, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def pairs(golds, preds):
    out, used = {}, set()
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            if pi not in used and overlap(g, p) > 0:
                out[gi] = pi
                used.add(pi)
                break
    return out


def map_references(gold, report):
    g2t = pairs(gold["references"], report.get("references", []))
    t2g = {t: gold["references"][g]["id"] for g, t in g2t.items()}
    return t2g, prf(len(t2g), len(report.get("references", [])), len(gold["references"]))


def match_citations(gold, report, text):
    preds = report.get("citations", [])
    g2p = pairs(gold["citations"], preds)
    return g2p, preds, prf(len(g2p), len(preds), len(gold["citations"]))


def score_one(gold, report, text=None):
    t2g, refs = map_references(gold, report)
    g2p, preds, cits = match_citations(gold, report, text)
    linked = sum(1 for gi, pi in g2p.items() if t2g.get(preds[pi].get("reference")) in gold["citations"][gi]["reference_ids"])
    expected = gold["expected_findings"]
    matched = [False] * len(expected)
    per_kind = {k: {"tp": 0, "n_pred": 0, "n_gold": sum(e["kind"] == k for e in expected)} for k in KINDS}
    fps, alarms = [], 0
    for f in report.get("findings", []):
        if f["kind"] not in per_kind:
            continue
        per_kind[f["kind"]]["n_pred"] += 1
        ref = t2g.get(f.get("reference"))
        for i, e in enumerate(expected):
            span = f.get("citation")
            hit = ref == e.get("reference_id") if span is None else overlap(span, e["citation_offset"]) > 0
            if e["kind"] == f["kind"] and not matched[i] and hit:
                matched[i] = True
                per_kind[f["kind"]]["tp"] += 1
                break
        else:
            fps.append({"kind": f["kind"], "citation": f.get("citation"), "reference": ref, "message": f["message"]})
            alarms += any(f.get("citation") and overlap(f["citation"], c["citation_offset"]) for c in gold["controls"])
    missed = [{"kind": e["kind"], "reference_id": e.get("reference_id"), "citation_offset": e.get("citation_offset"),
               "detail": e.get("detail")} for i, e in enumerate(expected) if not matched[i]]
    findings = {"per_kind": {k: prf(v["tp"], v["n_pred"], v["n_gold"]) for k, v in per_kind.items()},
                "control_false_alarms": alarms, "n_controls": len(gold["controls"]), "missed": missed,
                "false_positives": fps}
    n = len(gold["citations"])
    return {"references": refs, "citations": cits, "findings": findings,
            "linking": {"gold_links": n, "correct": linked, "accuracy": linked / n if n else 1.0}}


def aggregate(results):
    def add(rs):
        return prf(sum(r["tp"] for r in rs), sum(r["n_pred"] for r in rs), sum(r["n_gold"] for r in rs))

    per_kind = {k: add([r["findings"]["per_kind"][k] for r in results]) for k in KINDS}
    links = sum(r["linking"]["gold_links"] for r in results)
    correct = sum(r["linking"]["correct"] for r in results)
    return {"articles": len(results),
            "citations": add([r["citations"] for r in results]),
            "references": add([r["references"] for r in results]),
            "linking": {"gold_links": links, "correct": correct, "accuracy": correct / links if links else 1.0},
            "findings": {"per_kind": per_kind, "micro": add(list(per_kind.values())),
                         "control_false_alarms": sum(r["findings"]["control_false_alarms"] for r in results),
                         "n_controls": sum(r["findings"]["n_controls"] for r in results)}}
"""


def _span(text: str, needle: str, after: int = 0) -> dict[str, int]:
    start = text.index(needle, after)
    return {"start": start, "end": start + len(needle)}


def gold_of(text: str) -> dict:
    """The gold of ARTICLE, in the shared corpus's format."""
    entries = [line for line in text.split("\n") if re.match(r"[A-Z][a-z]+, [A-Z]\.", line)]
    references = [{"id": f"b{i + 1}", "text": e, **_span(text, e)} for i, e in enumerate(entries)]
    cited = [("Okafor, 2019", "b3"), ("Lindqvist & Moreau, 2015, p. 12", "b2"), ("Hartmann (2011)", "b1")]
    citations = [{"text": t, **_span(text, t), "reference_ids": [ref]} for t, ref in cited]
    hartmann, lindqvist = citations[2], citations[1]
    expected = [
        {
            "kind": "year-mismatch",
            "reference_id": "b1",
            "citation_offset": {"start": hartmann["start"], "end": hartmann["end"]},
            "origin": "natural",
            "detail": "cited 2011, reference year 2012",
        },
        {"kind": "uncited-reference", "reference_id": "b4", "citation_offset": None, "origin": "natural", "detail": "b4"},
    ]
    controls = [{"citation_offset": {"start": lindqvist["start"], "end": lindqvist["end"]}}]
    return {
        "name": "marsh",
        "references": references,
        "citations": citations,
        "expected_findings": expected,
        "controls": controls,
    }


def make_shared(tmp_path: Path, scorer: Path | None = None, extra_finding: dict | None = None) -> Path:
    """A shared directory: corpus/dev with one article and its gold, corpus/seed, and eval/score.py."""
    shared = tmp_path / "shared"
    dev = shared / "corpus" / "dev"
    seed = shared / "corpus" / "seed"
    dev.mkdir(parents=True)
    seed.mkdir(parents=True)
    (dev / "marsh.txt").write_text(ARTICLE, encoding="utf-8")
    gold = gold_of(ARTICLE)
    if extra_finding:
        gold["expected_findings"].append(extra_finding)
    (dev / "marsh.gold.json").write_text(json.dumps(gold), encoding="utf-8")
    (seed / "cjssr-marsh.txt").write_text(ARTICLE, encoding="utf-8")
    (seed / "blog-notes.txt").write_text("A walk along the marsh.\n\nNothing is cited here.\n", encoding="utf-8")
    (shared / "eval").mkdir()
    if scorer is None:
        (shared / "eval" / "score.py").write_text(STUB_SCORER, encoding="utf-8")
    else:
        (shared / "eval" / "score.py").symlink_to(scorer)
    return shared


def run_script(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=ROOT, check=False
    )


def row(out: str, label: str) -> list[str]:
    """The cells of the table row whose first cell is ``label`` (cells are two or more spaces apart)."""
    for line in out.splitlines():
        cells = re.split(r"\s{2,}", line.strip())
        if cells[0] == label:
            return cells
    raise AssertionError(f"no row {label!r} in:\n{out}")


def header(out: str) -> list[str]:
    return row(out, "set")


def cell(out: str, label: str, column: str) -> str:
    return row(out, label)[header(out).index(column)]


def test_no_shared_directory_says_no_corpus(tmp_path: Path) -> None:
    result = run_script("--shared", tmp_path / "absent")
    assert result.returncode == 0, result.stderr
    assert "no corpus" in result.stdout


def test_table_of_a_synthetic_set(tmp_path: Path) -> None:
    result = run_script("--shared", make_shared(tmp_path))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert cell(out, "dev", "articles") == "1"
    assert cell(out, "dev", "citations F1") == "1.0000"
    assert cell(out, "dev", "linking") == "1.0000"
    assert cell(out, "dev", "references F1") == "1.0000"
    assert cell(out, "dev", "findings P/R (tp/pred/gold)") == "1.00/1.00 (2/2/2)"
    assert cell(out, "dev", "year") == "1.00/1.00 (1/1/1)"
    assert cell(out, "dev", "uncited") == "1.00/1.00 (1/1/1)"
    assert cell(out, "dev", "missing") == "-"
    assert cell(out, "dev", "control alarms") == "0/1"


def test_seed_counts_and_the_control(tmp_path: Path) -> None:
    out = run_script("--shared", make_shared(tmp_path)).stdout
    article = row(out, "cjssr-marsh.txt")
    assert article[1:4] == ["3", "4", "2"]  # citations, references, findings
    assert "uncited-reference warning: 1" in article[-1]
    assert "year-mismatch error: 1" in article[-1]
    control = row(out, "blog-notes.txt (control)")
    assert control[1:5] == ["0", "0", "0", "0/0/0"]


def test_details_list_what_was_missed(tmp_path: Path) -> None:
    okafor = _span(ARTICLE, "Okafor, 2019")
    unexpected = {"kind": "page-out-of-range", "reference_id": "b3", "citation_offset": okafor, "detail": "invented"}
    result = run_script("--shared", make_shared(tmp_path, extra_finding=unexpected), "--details")
    assert result.returncode == 0, result.stderr
    assert cell(result.stdout, "dev", "page") == "-/0.00 (0/0/1)"
    details = result.stdout.split("## dev", 1)[1]
    assert "marsh:" in details
    assert re.search(r"miss page-out-of-range .*invented", details)


def test_pdf_rows(tmp_path: Path) -> None:
    result = run_script("--shared", make_shared(tmp_path), "--pdf")
    assert result.returncode == 0, result.stderr
    assert cell(result.stdout, "dev (PDF)", "citations F1") == "1.0000"
    assert cell(result.stdout, "dev (PDF)", "references F1") == "1.0000"
    assert cell(result.stdout, "dev (PDF)", "findings P/R (tp/pred/gold)") == "1.00/1.00 (2/2/2)"


def load_accuracy():
    spec = importlib.util.spec_from_file_location("accuracy", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_offsets_map_across_headers_and_line_breaks() -> None:
    accuracy = load_accuracy()
    target = "Marshes recover (Okafor, 2019). Sediment matters (Lindqvist & Moreau, 2015).\n"
    source = "JOURNAL 3\n\nMarshes recover (Okafor,\n2019). Sediment matters (Lind-\nqvist & Moreau, 2015).\n\n7\n"
    aligner = accuracy.Aligner(source, target)
    for needle, wanted in (("Okafor,\n2019", "Okafor, 2019"), ("Moreau, 2015", "Moreau, 2015"), ("Lind-\nqvist", "Lindqvist")):
        start = source.index(needle)
        s, e = aligner.span(start, start + len(needle))
        assert target[s:e] == wanted


def test_layout_of_an_article() -> None:
    accuracy = load_accuracy()
    title, paragraphs, references = accuracy.layout_article(ARTICLE)
    assert title == "Salt Marsh Recovery After Storms"
    assert paragraphs[0] == "## Introduction"
    assert len(paragraphs) == 2
    assert [r.split(",")[0] for r in references] == ["Hartmann", "Lindqvist", "Okafor", "Unwin"]


@pytest.mark.skipif(not REAL_SCORER.exists(), reason="needs ../shared/eval/score.py")
def test_the_real_scorer_on_the_synthetic_set(tmp_path: Path) -> None:
    result = run_script("--shared", make_shared(tmp_path, scorer=REAL_SCORER))
    assert result.returncode == 0, result.stderr
    assert cell(result.stdout, "dev", "citations F1") == "1.0000"
    assert cell(result.stdout, "dev", "year") == "1.00/1.00 (1/1/1)"
