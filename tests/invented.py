"""Invented manuscripts for the pattern tests (test_trust, test_trust_lists, test_styles): a body and
a reference list audited together, and the report read back as what an editor looks at."""

from __future__ import annotations

import random

import citecheck
from citecheck.model import Report


def audit(body: str, references: list[str], heading: str = "References") -> Report:
    return citecheck.audit(body.strip() + "\n\n" + heading + "\n\n" + "\n\n".join(references) + "\n")


def kinds(report: Report) -> list[str]:
    return sorted(f.kind for f in report.findings)


def linked_to(report: Report) -> list[str | None]:
    """The first author and year of the entry each citation is linked to."""
    out: list[str | None] = []
    for link in report.links:
        ref = report.references[link.reference] if link.reference is not None else None
        out.append(f"{ref.authors[0].family} {ref.year_label}" if ref is not None and ref.authors else None)
    return out


def line_texts(lines: list[str], seed: int, count: int = 2000) -> list[str]:
    """``count`` texts of up to 12 of ``lines`` each, drawn by a generator seeded with ``seed``, for
    the tests that hold a shortcut to the plain computation."""
    rng = random.Random(seed)
    return ["\n".join(rng.choice(lines) for _ in range(rng.randint(0, 12))) + rng.choice(["", "\n"]) for _ in range(count)]
