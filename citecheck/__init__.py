"""citecheck: audit the author-date citations of a manuscript against its reference list.

>>> report = citecheck.audit("paper.txt")   # a path, or the manuscript text itself
>>> [f.kind for f in report.findings]

The names below are imported when first used, so that ``citecheck --version`` loads none of the
pipeline.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["CitecheckError", "InputError", "Report", "Unreadable", "__version__", "audit", "audit_many", "audit_source"]

_HOMES = {
    "audit": "citecheck.pipeline",
    "audit_source": "citecheck.pipeline",
    "audit_many": "citecheck.batch",
    "CitecheckError": "citecheck.errors",
    "InputError": "citecheck.errors",
    "Report": "citecheck.model",
    "Unreadable": "citecheck.model",
}

if TYPE_CHECKING:
    from citecheck.batch import audit_many
    from citecheck.errors import CitecheckError, InputError
    from citecheck.model import Report, Unreadable
    from citecheck.pipeline import audit, audit_source


def lazy_names(
    module: str, namespace: dict[str, Any], homes: dict[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` for names imported when first used: ``homes``
    maps each name to the module that defines it; once imported, a name is a plain global."""

    def getattr_(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        import importlib

        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    def dir_() -> list[str]:
        return sorted([*namespace, *homes])

    return getattr_, dir_


__getattr__, __dir__ = lazy_names(__name__, globals(), _HOMES)
