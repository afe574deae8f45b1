"""The SARIF renderer: SARIF 2.1.0 as GitHub code scanning reads it (``--format sarif``).

One run for all the documents: the tool with every rule of the registry (its documentation, the
link to its section of docs/rules.md, its default level), then one result per finding, at the file,
line and column the JSON report gives. Each result carries a fingerprint that does not depend on
where the finding is (see ``fingerprints``), so that code scanning keeps an alert open, not a new
one, when lines are inserted above it.

The helpers that say where a finding is and what its fingerprint is serve the GitHub and GitLab
renderers as well.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from citecheck import __version__
from citecheck.model import Finding, Report, Severity
from citecheck.report.data import parts

# The project's repository, as pyproject.toml's [project.urls] names it; every rule's helpUri
# points at its section of docs/rules.md there.
REPOSITORY = "https://github.com/citecheck-audit/citecheck"
RULES_DOC = f"{REPOSITORY}/blob/main/docs/rules.md"

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "citecheck/v1"  # the key of partialFingerprints; a new version if what is hashed changes

_ENCODER = json.JSONEncoder(ensure_ascii=False)

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}
_HEADS = ("Flags:", "Why:", "Example:", "Limits:")


def render_sarif(reports: Sequence[Report]) -> str:
    return "".join(sarif_chunks(reports))


def sarif_log(reports: Sequence[Report]) -> dict[str, Any]:
    """The SARIF log as plain data."""
    return json.loads(render_sarif(reports))


def sarif_chunks(reports: Sequence[Report]) -> Iterator[str]:
    """The SARIF log in pieces, a result a line: a book's thousands of results are written as
    they are made, by json's C encoder (indenting would switch it to the pure-Python one)."""
    from citecheck.rules import all_rules

    rules = [{"code": r.code, "name": r.name, "severity": r.severity, "summary": r.summary, "doc": r.doc} for r in all_rules()]
    index = {r["code"]: i for i, r in enumerate(rules)}
    for f in (f for report in reports for f in report.findings):
        if f.rule not in index:  # not a registered rule: described by what the finding says
            index[f.rule] = len(rules)
            rules.append({"code": f.rule, "name": f.kind, "severity": f.severity, "summary": f.kind, "doc": ""})
    log = {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "citecheck",
                        "version": __version__,
                        "informationUri": REPOSITORY,
                        "rules": [_descriptor(r) for r in rules],
                    }
                },
                # columns count code points, as the JSON report's do (SARIF's default is UTF-16 units)
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
    head = _ENCODER.encode(log)
    assert head.endswith("}]}")
    yield head[: -len("}]}")] + ', "results": ['
    first = True
    for report in reports:
        for f, place, fingerprint in located(report):
            yield ("\n" if first else ",\n") + _ENCODER.encode(_result(f, place, fingerprint, index[f.rule]))
            first = False
    yield "\n]}]}\n"


def located(report: Report) -> Iterator[tuple[Finding, dict[str, Any], str]]:
    """Each finding with where it is and its fingerprint. The place is the JSON report's finding
    (``file``, ``line``, ``column``, ``span``, ``page``, ``paragraph``, ``related``) with
    ``end_line`` and ``end_column`` (one past the last character) added when it has a span."""
    findings = dict(parts(report))["findings"]
    src = report.source
    for f, place, fingerprint in zip(report.findings, findings, fingerprints(report), strict=True):
        if f.span is not None:
            end = max(f.span.end - 1, f.span.start)
            end_line, end_col = src.position(end)
            place["end_line"], place["end_column"] = end_line, end_col + (1 if f.span.end > f.span.start else 0)
        yield f, place, fingerprint


def fingerprints(report: Report) -> list[str]:
    """A fingerprint per finding that survives lines moving: the SHA-256 (32 hex digits) of its
    ``finding_key``. The second finding with the same key in a document (the same missing work
    cited twice) hashes its ordinal too."""
    seen: dict[str, int] = {}
    out = []
    for f in report.findings:
        key = finding_key(report, f)
        n = seen.get(key, 0)
        seen[key] = n + 1
        out.append(digest(key + f"\x1f{n}" if n else key))
    return out


def finding_key(report: Report, f: Finding) -> str:
    """What identifies a finding whatever line it moves to: the rule, the file (its path from the
    working directory, however it was named), the text the finding is about (the citation as
    written, else the reference entry, else the text it points at, else its message; white space
    collapsed) and, when it is about a reference, that reference's first author and year."""
    src = report.source
    if f.citation is not None:
        about = report.citations[f.citation].text
    elif f.reference is not None:
        about = report.references[f.reference].text
    elif f.span is not None:
        about = src.text[f.span.start : f.span.end]
    else:
        about = f.message
    identity = ""
    if f.reference is not None:
        ref = report.references[f.reference]
        identity = f"{ref.first_author or ''} {ref.year_label}".strip()
    file = src.file(f.span.start) if f.span is not None else src.path
    return "\x1f".join([f.rule, relative_path(file or ""), " ".join(about.split()), identity])


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def full_message(f: Finding) -> str:
    """The finding's message, then what would fix it."""
    return f"{f.message} {f.suggestion}" if f.suggestion else f.message


def rule_anchor(code: str, name: str, severity: Severity | str) -> str:
    """The anchor GitHub gives the rule's heading in docs/rules.md, ``## CC101 `missing-reference` (error)``:
    lower case, punctuation other than hyphens and spaces dropped, spaces made hyphens."""
    return heading_anchor(f"{code} `{name}` ({severity})")


def heading_anchor(heading: str) -> str:
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def help_uri(code: str, name: str, severity: Severity | str) -> str:
    return f"{RULES_DOC}#{rule_anchor(code, name, severity)}"


@functools.lru_cache(maxsize=256)  # a report names a few files, thousands of times
def artifact_uri(path: str | None) -> tuple[str, str | None]:
    """The URI of a file and its base: a relative path stays relative, under ``%SRCROOT%``
    (the checkout, for code scanning); an absolute one becomes a ``file:`` URI."""
    path = path or "<text>"
    if PureWindowsPath(path).is_absolute() and not path.startswith("/"):
        return PureWindowsPath(path).as_uri(), None
    if os.path.isabs(path):
        return PurePosixPath(path).as_uri(), None
    return quote(path.replace(os.sep, "/")), "%SRCROOT%"


def relative_path(path: str) -> str:
    """The path from the working directory, with forward slashes (GitLab matches it against the
    repository's files, the job running at the repository's root)."""
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was removed
        return path.replace(os.sep, "/")
    return _relative(path, cwd)


@functools.lru_cache(maxsize=256)  # a report names a few files, thousands of times
def _relative(path: str, cwd: str) -> str:
    with contextlib.suppress(ValueError):  # another drive (Windows): kept as given
        path = os.path.relpath(path, cwd)
    return path.replace(os.sep, "/")


def _result(f: Finding, place: dict[str, Any], fingerprint: str, rule_index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[f.severity],
        "message": {"text": full_message(f)},
        "locations": [_location(place["file"], place)],
        "partialFingerprints": {FINGERPRINT: fingerprint},
    }
    related = [_location(r["file"], r, i + 1) for i, r in enumerate(place["related"])]
    if related:
        result["relatedLocations"] = related
    properties: dict[str, Any] = {"kind": f.kind, "confidence": f.confidence}
    if f.suggestion:
        properties["suggestion"] = f.suggestion
    for key in ("page", "paragraph"):
        if place.get(key) is not None:
            properties[key] = place[key]
    result["properties"] = properties
    return result


def _location(file: str | None, place: dict[str, Any], related_id: int | None = None) -> dict[str, Any]:
    uri, base = artifact_uri(file)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    physical: dict[str, Any] = {"artifactLocation": artifact}
    if place.get("line") is not None:
        region: dict[str, Any] = {"startLine": place["line"]}
        if place.get("column") is not None:
            region["startColumn"] = place["column"]
        if "end_line" in place:
            region["endLine"] = place["end_line"]
            if place["end_line"] == place["line"]:
                region["endColumn"] = place["end_column"]
        span = place.get("span") or ({"start": place["start"], "end": place["end"]} if "start" in place else None)
        if span is not None:
            region["charOffset"] = span["start"]
            region["charLength"] = span["end"] - span["start"]
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if related_id is not None:
        location["id"] = related_id
    return location


def _descriptor(r: dict[str, Any]) -> dict[str, Any]:
    paragraphs = _sections(r["doc"])
    plain = "\n\n".join(paragraphs) or r["summary"]
    markdown = "\n\n".join(_bold_head(p) for p in paragraphs) or r["summary"]
    url = help_uri(r["code"], r["name"], r["severity"])
    return {
        "id": r["code"],
        "name": r["name"],
        "shortDescription": {"text": r["summary"]},
        "fullDescription": {"text": plain},
        "help": {"text": f"{plain}\n\n{url}", "markdown": f"{markdown}\n\n[{r['code']} {r['name']}]({url})"},
        "helpUri": url,
        "defaultConfiguration": {"level": LEVELS[Severity(r["severity"])]},
        "properties": {"tags": ["citations"]},
    }


def _sections(doc: str) -> list[str]:
    """The docstring after its summary, one paragraph per section (Flags, Why, Example, Limits),
    each section's wrapped lines joined."""
    out: list[list[str]] = []
    for line in doc.splitlines()[1:]:
        line = line.strip()
        if not line:
            continue
        if not out or line.startswith(_HEADS):
            out.append([])
        out[-1].append(line)
    return [" ".join(p) for p in out]


def _bold_head(paragraph: str) -> str:
    for head in _HEADS:
        if paragraph.startswith(head):
            return f"**{head[:-1]}**: {paragraph[len(head) :].strip()}"
    return paragraph
