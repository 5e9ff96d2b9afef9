"""Validation rules, one per module (sqlfluff style); `run_rules` applies every one.

Each rule module `pxNNN_<what>.py` defines CODE (PXnnn), NAME (dotted), SEVERITY, a
Chinese MESSAGE template, a docstring with a wrong and a right example (it becomes
docs/rules.md, see scripts/build_rules_doc.py) and
`check(result, profile) -> list[Finding]`. Modules are found by name, so a new rule
needs a new module and nothing else.

Rules judge the engine's figures; they never compute a rate or a score themselves.
Six codes are raised by the engine on a row (PX010–PX012, PX022–PX024); their
modules set ENGINE = True and hold only the documentation (no `check`), so each finding
is made in one place and reported once.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from perfxl.findings import Finding, finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import anchor

RULE_FAILED = "PX100"  # a rule raised: an error finding (exit 1), so a batch goes on


def _discover() -> list[ModuleType]:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("px")
    ]
    return sorted(modules, key=lambda m: m.CODE)


RULES: list[ModuleType] = _discover()  # every documented code (docs/rules.md)
# a monitoring rule (FORM = "monitoring") judges a MonitoringResult: check(result, profile,
# year_end) with the 自评表 of the same file; the others judge a 自评表's TableResult
MONITOR_CHECKS: list[ModuleType] = [
    rule
    for rule in RULES
    if getattr(rule, "FORM", "self") == "monitoring" and not getattr(rule, "ENGINE", False)
]
CHECKS: list[ModuleType] = [
    rule
    for rule in RULES
    if not getattr(rule, "ENGINE", False) and getattr(rule, "FORM", "self") == "self"
]


def run_rules(result: TableResult, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    for rule in CHECKS:
        try:
            found.extend(rule.check(result, profile))
        except Exception as exc:  # a table no rule foresaw must not stop the file
            detail = f"{rule.CODE}（{rule.NAME}）未能执行：{type(exc).__name__}"
            found.append(finding(RULE_FAILED, detail, anchor(result.table)))
    return found


def run_monitoring_rules(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    """Every monitoring rule on a MonitoringResult (perfxl.monitoring.model); a rule that
    raises is a PX100 error on the table, as for the 自评表."""
    found: list[Finding] = []
    for rule in MONITOR_CHECKS:
        try:
            found.extend(rule.check(result, profile, year_end))
        except Exception as exc:
            detail = f"{rule.CODE}（{rule.NAME}）未能执行：{type(exc).__name__}"
            table = result.table
            where = table.cells.get("project") or next(
                (row.cell for row in table.rows if row.cell is not None), None
            )
            found.append(finding(RULE_FAILED, detail, where, where=table.sheet))
    return found
