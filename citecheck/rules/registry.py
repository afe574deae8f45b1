"""The rule registry: what a rule is, how it registers, how the chosen ones run."""

from __future__ import annotations

import inspect
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from citecheck.model import Citation, Finding, Link, Record, Reference, Severity, Span, Verification, record

T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """Everything a rule may look at."""

    text: str
    clean: str  # the text with running headers and page numbers blanked, same length
    citations: Sequence[Citation]
    references: Sequence[Reference]
    links: Sequence[Link]
    has_reference_list: bool
    verifications: Sequence[Verification] | None = None  # registry verdicts, with --verify only
    nocite: Sequence[tuple[str, Span]] = ()  # keys a LaTeX \\nocite names ("*": all of them)
    malformed: Sequence[tuple[Span, str]] = ()  # citation commands that could not be read, and why
    lists: Sequence[Span] = ()  # the reference lists of a manuscript with several (one per chapter)

    def list_of(self, ref: Reference) -> int:
        """The index of the reference list an entry is in; -1 for a bibliography file's entries."""
        starts, ordered = self._lists_in_order
        k = bisect_right(starts, ref.span.start) - 1
        if k >= 0 and ref.span.start < self.lists[ordered[k]].end:
            return ordered[k]
        return -1

    @cached_property
    def _lists_in_order(self) -> tuple[list[int], list[int]]:
        """The lists' starts in text order and their indices: a binary search finds an entry's
        list, where a scan of every list for every entry is quadratic in a book of chapters."""
        ordered = sorted(range(len(self.lists)), key=lambda n: self.lists[n].start)
        return [self.lists[n].start for n in ordered], ordered

    def shared(self, compute: Callable[[Context], T]) -> T:
        """What ``compute`` makes of the context, made once for every rule that asks for it: two
        rules that group the entries alike need not group them twice. The result is shared, so a
        rule must not change it."""
        made = self._made
        if compute not in made:
            made[compute] = compute(self)
        return made[compute]

    @cached_property
    def _made(self) -> dict[Callable[[Context], Any], Any]:
        return {}


Check = Callable[[Context, "Rule"], Iterator[Finding]]


@record
class Rule:
    code: str
    name: str
    severity: Severity
    check: Check

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0] if self.doc else ""

    def finding(
        self,
        message: str,
        *,
        severity: Severity | None = None,
        confidence: str = "certain",
        span: Span | None = None,
        suggestion: str | None = None,
        citation: int | None = None,
        reference: int | None = None,
        related: tuple[Span, ...] = (),
        evidence: Record | None = None,
    ) -> Finding:
        # every field named, none gathered into a dictionary: thousands of findings are made this way
        if severity is None:
            severity = self.severity
        if severity is Severity.ERROR and confidence != "certain":
            severity = Severity.WARNING  # only what is certain is an error
        code, name = self.code, self.name
        return Finding(code, name, severity, message, span, suggestion, citation, reference, related, evidence, confidence)


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: Severity) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        if code in RULES or any(r.name == name for r in RULES.values()):
            raise ValueError(f"rule {code} {name} registered twice")
        RULES[code] = Rule(code, name, severity, check)
        return check

    return register


def run_rules(ctx: Context, selected: Sequence[Rule] | None = None) -> list[Finding]:
    findings: list[Finding] = []
    for r in selected if selected is not None else RULES.values():
        findings.extend(r.check(ctx, r))
    findings.sort(key=lambda f: (f.span.start if f.span else 1 << 62, f.rule))
    return findings


def select_rules(select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
    """Rules chosen by code ("CC101"), code prefix ("CC1") or name ("uncited-reference")."""

    def matches(r: Rule, pattern: str) -> bool:
        return r.code.startswith(pattern.upper()) or r.name == pattern.lower()

    chosen = [r for r in RULES.values() if not select or any(matches(r, p) for p in select)]
    return [r for r in chosen if not any(matches(r, p) for p in ignore)]


def all_rules() -> list[Rule]:
    return sorted(RULES.values(), key=lambda r: r.code)
