"""A monitoring row under a red or yellow light, or not sure to be met, has no 原因说明.

Where a row's light is 红 or 黄 (its progress lags 序时进度, its 全年预计完成值 falls
short, or its 完成目标可能性 is 有可能 / 完全不可能), the unit must say why and what it
will do (原因说明 / 改进措施). The same holds for the execution light on the funds row.
Forms that give one table-wide 偏差或不能完成目标原因分析 row instead of a column per
row are satisfied by that row. Rows of a form without any reason column are not judged.

Wrong:

    培训人数 | ≥100人 | 1-6月 20人 | 全年预计 80人 | 有可能 | 原因说明 (空)

Right:

    培训人数 | ≥100人 | 1-6月 20人 | 全年预计 80人 | 有可能 | 原因说明 疫情停训两个月，下半年加开两期
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.rules.common import blank
from perfxl.rules.monitor_common import WARNING_LIGHTS, row_cell, table_cell, weak_answer

CODE = "PX115"
NAME = "monitor.reason_missing"
SEVERITY = Severity.WARNING
FORM = "monitoring"
MESSAGE = "“{name}”{why}，需填写原因说明及改进措施"


def check(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    table = result.table
    wide = not blank(table.reason) or not blank(table.measures)
    found = []
    for judged in result.rows:
        row = judged.row
        has_column = any(k in row.cells for k in ("reason", "measures", "cause"))
        if wide or not has_column or row.explanation or row.cause_text:
            continue
        why = _why(judged.light, row.likelihood)
        if why:
            cell = row_cell(row, "reason", "measures", "cause")
            found.append(Finding(CODE, SEVERITY, MESSAGE.format(name=row.name, why=why), cell))
    funds = table.funds
    lagging = result.execution_light in WARNING_LIGHTS and not wide
    if lagging and "reason" in funds.cells and blank(funds.reason):
        why = f"为{result.execution_light}灯"
        cell = table_cell(table, "reason")
        found.append(Finding(CODE, SEVERITY, MESSAGE.format(name="预算执行", why=why), cell))
    return found


def _why(light, answer: str | None) -> str | None:
    if light in WARNING_LIGHTS:
        return f"为{light}灯"
    if weak_answer(answer):
        return f"完成目标可能性为“{answer}”"
    return None
