"""Shared helpers for the test tables: building tiny manuscripts and reading reports back as plain data."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# citecheck stores its compiled patterns in the cache folder when it is first imported, before any
# fixture runs: this run gets a folder of its own, removed at the end, never the user's.
_CACHE = tempfile.mkdtemp(prefix="citecheck-test-cache-")
os.environ["CITECHECK_CACHE_DIR"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

from citecheck.model import Report, Span  # noqa: E402  (after the cache folder is set)

# The BibTeX entry the reader and suppression tests cite, and with a second work of 2020.
SMITH_2018 = """\
@article{smith2018,
  author = {Smith, John},
  title = {Trade and tariffs},
  journal = {Journal of Trade},
  year = {2018},
  pages = {10--20},
}
"""
TRADE_BIB = (
    SMITH_2018
    + """
@article{lee2020,
  author = {Lee, Ann and Park, Bo},
  title = {Ports},
  journal = {Shipping},
  year = {2020},
  pages = {1--30},
}
"""
)


def span_text(text: str, span: Span) -> str:
    """The slice of ``text`` a span covers."""
    return text[span.start : span.end]


def squeeze(s: str) -> str:
    """White space collapsed, so that a multi-line reference entry compares as one line."""
    return " ".join(s.split())


def manuscript(body: str, *entries: str, heading: str = "References") -> str:
    """A body, a reference-list heading and entries separated by blank lines."""
    if not entries:
        return body.strip() + "\n"
    return body.strip() + "\n\n" + heading + "\n\n" + "\n\n".join(entries) + "\n"


def findings_of(report: Report) -> set[tuple[str, str]]:
    """The findings as a set of (kind, text the finding points at), white space collapsed."""
    text = report.source.text
    return {(f.kind, squeeze(span_text(text, f.span)) if f.span else "") for f in report.findings}


def links_of(report: Report) -> list[tuple[str, str, str | None]]:
    """Each citation as (cited text, link status, first author of the linked reference or None)."""
    out = []
    for link in report.links:
        c = report.citations[link.citation]
        ref = report.references[link.reference] if link.reference is not None else None
        who = None
        if ref is not None:
            a = ref.authors[0]
            who = f"{a.family}, {a.initials}" if a.initials else a.family
        out.append((c.text, link.status.value, who))
    return out


@pytest.fixture(autouse=True)
def private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's registry cache, and none reaches a real registry."""
    monkeypatch.setenv("CITECHECK_CACHE_DIR", str(tmp_path_factory.mktemp("citecheck-cache")))
    monkeypatch.setenv("CITECHECK_CROSSREF_URL", "http://127.0.0.1:9/crossref-not-in-tests")
    monkeypatch.setenv("CITECHECK_OPENALEX_URL", "http://127.0.0.1:9/openalex-not-in-tests")
