"""The checks: one registry of rules, each a function from the linked manuscript to findings.

A rule is registered with a stable code, a kebab-case name that names the problem, and a default
severity. Its docstring is its documentation: the first line is the summary ``citecheck rules``
prints, and the sections "Flags", "Why", "Example" and "Limits" are what ``docs/rules.md`` shows.
"""

from citecheck.rules import citations as _citations  # noqa: F401  (registers the CC1xx rules)
from citecheck.rules import references as _references  # noqa: F401  (registers the CC2xx rules)
from citecheck.rules.labels import ref_label
from citecheck.rules.registry import RULES, Check, Context, Rule, all_rules, rule, run_rules, select_rules

__all__ = ["RULES", "Check", "Context", "Rule", "all_rules", "ref_label", "rule", "run_rules", "select_rules"]
