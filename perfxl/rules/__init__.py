"""Validation rules, one per module (sqlfluff style); `run_rules` applies every one.

Each rule module defines CODE (PXnnn), NAME (dotted), SEVERITY, a Chinese MESSAGE, a
docstring with a wrong and a right example (it becomes docs/rules.md) and
`check(result, profile) -> list[Finding]`.
"""

from __future__ import annotations

from perfxl.findings import Finding
from perfxl.profiles import Profile
from perfxl.results import TableResult

RULES: list = []  # filled with the rule modules as they are added


def run_rules(result: TableResult, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    for rule in RULES:
        found.extend(rule.check(result, profile))
    return found
