"""Validation rules, one per module (sqlfluff style); `run_rules` applies every one.

Each rule module `pxNNN_<what>.py` defines CODE (PXnnn), NAME (dotted), SEVERITY, a
Chinese MESSAGE template, a docstring with a wrong and a right example (it becomes
docs/rules.md, see scripts/build_rules_doc.py) and
`check(result, profile) -> list[Finding]`. Modules are found by name, so a new rule
needs a new module and nothing else.

Rules judge the engine's figures; they never compute a rate or a score themselves.
Five codes are raised by the engine while scoring (PX010–PX012, PX020, PX021); their
modules document them and pass on the engine's findings, so a finding is reported
once whichever way it is reached.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import anchor

RULE_FAILED = "PX100"  # a rule raised: reported as a finding so a batch goes on


def _discover() -> list[ModuleType]:
    modules = [
        importlib.import_module(f"{__name__}.{info.name}")
        for info in pkgutil.iter_modules(__path__)
        if info.name.startswith("px")
    ]
    return sorted(modules, key=lambda m: m.CODE)


RULES: list[ModuleType] = _discover()


def run_rules(result: TableResult, profile: Profile) -> list[Finding]:
    found: list[Finding] = []
    for rule in RULES:
        try:
            found.extend(rule.check(result, profile))
        except Exception as exc:  # a table no rule foresaw must not stop the file
            message = f"校验规则 {rule.CODE}（{rule.NAME}）未能执行：{type(exc).__name__}"
            found.append(Finding(RULE_FAILED, Severity.WARNING, message, anchor(result.table)))
    return found
