"""Monitoring tables (双监控) on their way through the nightly run: payload and ledger row.

A worker boils each MonitoringResult (perfxl.monitoring.model) down to a small JSON-ready
dict beside the file's 自评表 tables (payload key "monitoring"), the parent turns it into
a MonitoringEntry of the ledger (Consolidation.monitored). The two kinds never mix: a
monitoring table is no 自评表 project, is not counted in 项目汇总 or 单位汇总, and a
project monitored in May and self-evaluated at year end is not a repeated submission.

Every figure and light here is the engine's (perfxl.monitoring.lights, through
perfxl.monitoring.engine), carried as text; nothing is computed on the way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfxl.findings import counts

KEY = "monitoring"  # the payload's list of monitoring tables
_WARNING_LIGHTS = ("红", "黄")


@dataclass(frozen=True, slots=True)
class Alert:
    """A row the unit explains or the engine flags: an indicator or the funds row."""

    name: str  # 三级指标, or 预算执行 for the funds row
    light: str  # the row's light (红/黄/绿/蓝) or ""
    causes: str  # 偏差原因 categories joined by 、 (or the cause as written)
    likelihood: str  # 完成目标可能性 as written
    reason: str  # 原因说明 (and 改进措施)


@dataclass(slots=True)
class MonitoringEntry:
    """One monitored project of the run, as the 监控汇总 sheet lists it."""

    file: str
    sheet: str
    project: str
    department: str
    unit: str
    month: int | None
    time_progress: Decimal | None
    initial_budget: Decimal | None
    budget: Decimal | None
    spent: Decimal | None
    predicted: Decimal | None
    execution_rate: Decimal | None
    execution_light: str | None
    light: str | None
    alerts: list[Alert] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    profile: str = ""
    counted: bool = True  # False for the same project of the same round sent again
    note: str = ""

    @property
    def amount(self) -> Decimal | None:
        """The amount monitored: 全年预算数, 年初预算数 where that is blank or 0 (as the
        engine's execution_rate takes its denominator)."""
        for value in (self.budget, self.initial_budget):
            if value is not None and value > 0:
                return value
        return None

    @property
    def warned(self) -> bool:
        return self.light in _WARNING_LIGHTS


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _light(value: Any) -> str | None:
    return None if value is None else str(value)


def monitoring_payload(result: Any, findings: list[list[str]], omitted: list[int]) -> dict:
    """One MonitoringResult as a JSON-ready dict; `findings` are its entries already cut
    to the file's budget (perfxl.batch.payload), `omitted` the counts of the rest."""
    table, funds = result.table, result.table.funds
    tally = counts(result.all_findings)
    alerts = []
    if funds.causes or funds.reason or _light(result.execution_light) in _WARNING_LIGHTS:
        alerts.append(
            ["预算执行", _light(result.execution_light) or "", "、".join(funds.causes),
             funds.likelihood or "", funds.reason or ""]
        )  # fmt: skip
    for row in result.rows:
        light = _light(row.light) or ""
        source = row.row
        causes = "、".join(source.causes) or (source.cause_text or "").strip()
        reason = source.explanation or ""
        if light in _WARNING_LIGHTS or causes or reason:
            alerts.append([source.name, light, causes, source.likelihood or "", reason])
    payload = {
        "sheet": table.sheet,
        "project": table.project,
        "department": table.department,
        "unit": table.unit,
        "profile": result.profile,
        "month": result.month,
        "time_progress": _text(result.time_progress),
        "initial_budget": _text(funds.initial_budget),
        "budget": _text(funds.budget),
        "spent": _text(funds.spent),
        "predicted": _text(funds.predicted),
        "execution_rate": _text(result.execution_rate),
        "execution_light": _light(result.execution_light),
        "light": _light(result.light),
        "alerts": alerts,
        "errors": tally.errors,
        "warnings": tally.warnings,
        "findings": findings,
    }
    if any(omitted):
        payload["omitted"] = omitted
    return payload


_NUMBERS = ("time_progress", "initial_budget", "budget", "spent", "predicted", "execution_rate")
_TEXTS = ("project", "department", "unit", "execution_light", "light")


def valid_monitoring(tables: Any, valid_finding, valid_counts, finite) -> bool:
    """True when a cached payload's monitoring list has every key the ledger reads."""
    if not isinstance(tables, list):
        return False
    for t in tables:
        if not isinstance(t, dict) or not isinstance(t.get("sheet"), str):
            return False
        month = t.get("month", "")
        if month is not None and (isinstance(month, bool) or not isinstance(month, int)):
            return False
        if not all(isinstance(t.get(k, 0), str | type(None)) for k in _TEXTS + _NUMBERS):
            return False
        if not all(t[k] is None or finite(t[k]) for k in _NUMBERS):
            return False
        if not (isinstance(t.get("errors"), int) and isinstance(t.get("warnings"), int)):
            return False
        alerts, found = t.get("alerts"), t.get("findings")
        if not isinstance(alerts, list) or not isinstance(found, list):
            return False
        if not all(
            isinstance(a, list) and len(a) == 5 and all(isinstance(x, str) for x in a)
            for a in alerts
        ):
            return False
        if not all(map(valid_finding, found)):
            return False
        if "omitted" in t and not valid_counts(t["omitted"]):
            return False
    return True


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def monitoring_entry(shown: str, table: dict[str, Any], no_department: str) -> MonitoringEntry:
    """The ledger row of one payload table found in file `shown`."""
    department = (table["department"] or table["unit"] or no_department).strip()
    return MonitoringEntry(
        file=shown,
        sheet=table["sheet"],
        project=(table["project"] or "").strip(),
        department=department,
        unit=(table["unit"] or "").strip(),
        month=table["month"],
        time_progress=_dec(table["time_progress"]),
        initial_budget=_dec(table["initial_budget"]),
        budget=_dec(table["budget"]),
        spent=_dec(table["spent"]),
        predicted=_dec(table["predicted"]),
        execution_rate=_dec(table["execution_rate"]),
        execution_light=table["execution_light"],
        light=table["light"],
        alerts=[Alert(*a) for a in table["alerts"]],
        errors=table["errors"],
        warnings=table["warnings"],
        profile=table.get("profile") or "",
    )
