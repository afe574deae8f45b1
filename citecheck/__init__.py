"""citecheck: audit the author-date citations of a manuscript against its reference list.

>>> report = citecheck.audit("paper.txt")   # a path, or the manuscript text itself
>>> [f.kind for f in report.findings]
"""

__version__ = "0.1.0"

from citecheck.audit import audit, audit_source
from citecheck.errors import CitecheckError, InputError
from citecheck.model import Report

__all__ = ["CitecheckError", "InputError", "Report", "__version__", "audit", "audit_source"]
