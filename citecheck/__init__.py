"""citecheck: audit the author-date citations of a manuscript against its reference list.

>>> report = citecheck.audit("paper.txt")   # a path, or the manuscript text itself
>>> [f.kind for f in report.findings]

The names below are imported when first used, so that ``citecheck --version`` loads none of the
pipeline.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["CitecheckError", "InputError", "Report", "__version__", "audit", "audit_source"]

_HOMES = {
    "audit": "citecheck.pipeline",
    "audit_source": "citecheck.pipeline",
    "CitecheckError": "citecheck.errors",
    "InputError": "citecheck.errors",
    "Report": "citecheck.model",
}

if TYPE_CHECKING:
    from citecheck.errors import CitecheckError, InputError
    from citecheck.model import Report
    from citecheck.pipeline import audit, audit_source


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'citecheck' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOMES])
