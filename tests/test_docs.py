"""The rule reference in docs/ is generated from the rules' docstrings and must not drift."""

from __future__ import annotations

from pathlib import Path

from citecheck.cli import rules_markdown
from citecheck.rules import all_rules

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_rules_doc_is_generated_from_the_code() -> None:
    assert (DOCS / "rules.md").read_text(encoding="utf-8") == rules_markdown(), "run 'make docs'"


def test_every_rule_documents_its_sections() -> None:
    for rule in all_rules():
        for section in ("Flags:", "Why:", "Example:", "Limits:"):
            assert section in rule.doc, f"{rule.code} {rule.name} lacks {section}"
        assert rule.name == rule.name.lower() and " " not in rule.name
