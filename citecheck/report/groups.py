"""Repeated findings told once: the same problem with the same work, wherever it recurs.

A year cited wrongly three times is one thing for the author to fix, not three; the text, HTML and
Markdown reports show each group once, with every place it occurs. JSON, SARIF and the other
machine formats keep one record per finding, since tools count and fingerprint them one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

from citecheck.model import Finding


def group_findings(findings: Sequence[Finding]) -> list[list[Finding]]:
    """The findings in groups of the same rule, severity and work with the same fix, each group in
    the order its first finding comes, and within it in the findings' own order. Two findings with
    no fix are grouped only when their messages are the same word for word."""
    groups: dict[tuple[object, ...], list[Finding]] = {}
    for f in findings:
        key = (f.rule, f.severity, f.reference, f.suggestion or f.message)
        groups.setdefault(key, []).append(f)
    return list(groups.values())
