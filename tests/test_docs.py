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


def test_the_readme_states_the_limits_the_code_enforces() -> None:
    import re

    from citecheck import bibliography, read
    from citecheck.bibliography import cslyaml
    from citecheck.readers import docx, latex, pdf
    from citecheck.verify import client

    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    paragraph = readme[readme.index("Limits, each refused") :].split("\n\n")[0]
    limits = " ".join(paragraph.split())
    stated = [
        f"{read.MAX_BYTES // 2**20} MiB",
        f"{docx.MAX_TOTAL // 2**20} MiB",
        f"{docx.MAX_RATIO} times",
        f"{pdf.MAX_PAGES:,} pages",
        f"{pdf.MAX_INFLATED // 2**20} MB",
        f"{pdf.MAX_SECONDS:g} s to read",
        f"{latex.MAX_FILES} LaTeX files",
        f"{bibliography.MAX_ENTRIES:,} entries",
        f"{client.MAX_BODY // 2**20} MB each",
        f"{cslyaml.MAX_YAML_BYTES // 2**20} MiB or {cslyaml.MAX_NODES:,} YAML nodes",
    ]
    for words in stated:
        assert re.search(re.escape(words), limits), f"README's limits do not say {words!r}"
