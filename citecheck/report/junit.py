"""The JUnit XML renderer (``--format junit``), for CI systems that show test results: one test
suite per document, one failed test case per finding at or above ``--fail-on``, one passing test
case per file of the document with none. Findings below ``--fail-on`` are not test cases, so that
the test results say what the exit code says.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from citecheck.model import Report, Severity
from citecheck.report.sarif import located

# Characters XML 1.0 cannot hold, even escaped (control characters a PDF's text may carry).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_junit(reports: Sequence[Report], threshold: Severity | None) -> str:
    """``threshold`` is the least severity that fails (``--fail-on``); None fails nothing."""
    root = ET.Element("testsuites", name="citecheck")
    totals = {"tests": 0, "failures": 0}
    for report in reports:
        name = report.source.path or "<text>"
        suite = ET.SubElement(root, "testsuite", name=_xml(name))
        tests = failures = 0
        failed_files: set[str] = set()
        for f, place, _ in located(report):
            if threshold is None or f.severity < threshold:
                continue
            file = place["file"] or name
            failed_files.add(file)
            case_name = f"{f.rule} {f.kind}" + (f" line {place['line']}" if place["line"] is not None else "")
            case = ET.SubElement(suite, "testcase", classname=_xml(file), name=case_name)
            if place["line"] is not None:
                case.set("file", _xml(file))
                case.set("line", str(place["line"]))
            failure = ET.SubElement(case, "failure", message=_xml(f.message), type=f.rule)
            failure.text = _xml(f.suggestion or f.message)
            tests, failures = tests + 1, failures + 1
        files = [p.path for p in report.source.parts] or [name]
        for file in files:
            if file not in failed_files:
                passed = "audited (--fail-on never)" if threshold is None else f"no finding at or above {threshold}"
                ET.SubElement(suite, "testcase", classname=_xml(file), name=passed, file=_xml(file))
                tests += 1
        _counts(suite, tests, failures)
        totals["tests"] += tests
        totals["failures"] += failures
    _counts(root, totals["tests"], totals["failures"])
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _counts(element: ET.Element, tests: int, failures: int) -> None:
    for key, value in (("tests", tests), ("failures", failures), ("errors", 0), ("skipped", 0)):
        element.set(key, str(value))


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
