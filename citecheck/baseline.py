"""The baseline: the findings a project has accepted for now, so that CI fails on new ones only.

``--write-baseline FILE`` writes every finding of the run as a fingerprint (the same line-free
identity SARIF and GitLab use: rule, file, the text the finding is about, the reference's first
author and year; see ``citecheck.report.sarif.finding_key``) with the number of times it occurs.
``--baseline FILE`` then drops from the reports as many findings of each fingerprint as the
baseline counts: a third copy of the same wrong citation, where the baseline has two, is new.

    {"schema": "citecheck-baseline/1",
     "findings": [{"fingerprint": "...", "rule": "CC101", "file": "paper.md", "count": 2}, ...]}

A baseline that cannot be read, or is not of this schema, is a one-line error (exit 2).
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterator, Sequence

from citecheck.errors import CitecheckError
from citecheck.model import Report
from citecheck.read import read_bytes

SCHEMA = "citecheck-baseline/1"
MAX_ENTRIES = 1_000_000


def _keyed(report: Report) -> Iterator[tuple[str, str, str]]:
    """(fingerprint, rule, file) of each finding, in order."""
    from citecheck.report.sarif import digest, finding_key, relative_path

    src = report.source
    for f in report.findings:
        file = src.file(f.span.start) if f.span is not None else src.path
        yield digest(finding_key(report, f)), f.rule, relative_path(file or "")


def baseline_chunks(reports: Sequence[Report]) -> Iterator[str]:
    """The baseline of these reports as JSON, one finding a line, sorted so that it diffs well."""
    counts: Counter[tuple[str, str, str]] = Counter(k for r in reports for k in _keyed(r))
    rows = sorted(counts.items(), key=lambda item: (item[0][2], item[0][1], item[0][0]))
    yield '{"schema": "' + SCHEMA + '", "findings": ['
    for i, ((fingerprint, rule, file), count) in enumerate(rows):
        entry = {"fingerprint": fingerprint, "rule": rule, "file": file, "count": count}
        yield ("\n  " if i == 0 else ",\n  ") + json.dumps(entry, ensure_ascii=False)
    yield "\n]}\n" if rows else "]}\n"


def load_baseline(path: str) -> Counter[str]:
    """How many findings of each fingerprint the baseline accepts."""
    data = read_bytes(path, "baseline")
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise CitecheckError(f"{path}: not a citecheck baseline (not JSON: {exc})") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA or not isinstance(doc.get("findings"), list):
        raise CitecheckError(f"{path}: not a citecheck baseline (expected schema '{SCHEMA}' with a 'findings' list)")
    if len(doc["findings"]) > MAX_ENTRIES:
        raise CitecheckError(f"{path}: a baseline of more than {MAX_ENTRIES:,} findings is refused")
    accepted: Counter[str] = Counter()
    for i, entry in enumerate(doc["findings"]):
        fingerprint = entry.get("fingerprint") if isinstance(entry, dict) else None
        count = entry.get("count", 1) if isinstance(entry, dict) else None
        if not isinstance(fingerprint, str) or not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise CitecheckError(f"{path}: baseline finding {i + 1} needs a 'fingerprint' string and a 'count' of 1 or more")
        accepted[fingerprint] += count
    return accepted


def apply_baseline(report: Report, accepted: Counter[str]) -> Report:
    """The report less the findings the baseline accepts; ``accepted`` is used up as it goes, so
    that the same fingerprint in two reports of one run is counted once in all."""
    kept = []
    dropped = 0
    for f, (fingerprint, _, _) in zip(report.findings, _keyed(report), strict=True):
        if accepted[fingerprint] > 0:
            accepted[fingerprint] -= 1
            dropped += 1
        else:
            kept.append(f)
    if not dropped:
        return report
    return dataclasses.replace(report, findings=tuple(kept), baselined=report.baselined + dropped)
