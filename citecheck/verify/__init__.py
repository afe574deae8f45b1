"""Verifying references against bibliographic registries (Crossref, then OpenAlex).

The parts: ``client`` (HTTP, politeness, cache), ``records`` (registry answers as ``Record``),
``match`` (does a record fit a reference, and where do they differ), ``verdicts`` (the order of
look-ups and the verdict per reference) and ``rules`` (the findings). The names below load on
first use, so that an audit without ``--verify`` never imports ``requests``.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "RegistryClient": "citecheck.verify.client",
    "Settings": "citecheck.verify.client",
    "verify_references": "citecheck.verify.verdicts",
    "verify_one": "citecheck.verify.verdicts",
    "terminal_progress": "citecheck.verify.verdicts",
    "Progress": "citecheck.verify.verdicts",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
