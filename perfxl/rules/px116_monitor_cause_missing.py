"""A monitoring row under a red light has no 偏差原因 category.

A 红 row (progress below the red threshold, a ceiling exceeded, a deadline missed, or
完成目标可能性 完全不可能) must say which kind of cause holds it back — 经费保障, 制度
保障, 人员保障, 硬件条件保障 or 其他 — ticked (√) or written in the 偏差原因分析
column. So must a red execution light where the funds row has that column. Forms
without a 偏差原因分析 column are not judged.

Wrong:

    培训人数 | ≥100人 | 1-6月 10人 (红) | 经费保障 □ 制度保障 □ 人员保障 □ 硬件条件保障 □ 其他 □

Right:

    培训人数 | ≥100人 | 1-6月 10人 (红) | 经费保障 □ 制度保障 □ 人员保障 √ 硬件条件保障 □ 其他 □
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.monitoring.lights import Light
from perfxl.profiles import Profile
from perfxl.rules.common import blank
from perfxl.rules.monitor_common import row_cell, table_cell

CODE = "PX116"
NAME = "monitor.cause_missing"
SEVERITY = Severity.WARNING
FORM = "monitoring"
MESSAGE = "“{name}”为红灯，需在偏差原因分析中选择原因类别（经费保障、制度保障、人员保障、硬件条件保障、其他）"


def check(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    found = []
    for judged in result.rows:
        row = judged.row
        if judged.light != Light.RED or "cause" not in row.cells or row.has_cause:
            continue
        cell = row_cell(row, "cause")
        found.append(Finding(CODE, SEVERITY, MESSAGE.format(name=row.name), cell))
    funds = result.table.funds
    red = result.execution_light == Light.RED and "cause" in funds.cells
    if red and not funds.causes and blank(funds.reason):
        cell = table_cell(result.table, "cause")
        found.append(Finding(CODE, SEVERITY, MESSAGE.format(name="预算执行"), cell))
    return found
