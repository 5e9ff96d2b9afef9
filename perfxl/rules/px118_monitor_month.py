"""The monitoring month is missing, or later than the table's own date.

序时进度 is the month over 12, so a monitoring table must say which month it reports
— in a column label (`1-6月执行数`, `截至6月底执行数`) or a 监控月份 cell. A month after
the table's 填报日期 (a June round filled in May) reports figures that cannot exist yet.

Wrong:

    监控月份 (空) | 执行数 87.57

    1-8月执行数 … | 填报日期 2024年7月10日

Right:

    1-6月执行数 87.57 | 填报日期 2024年7月10日
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.rules.monitor_common import table_cell

CODE = "PX118"
NAME = "monitor.month"
SEVERITY = Severity.ERROR
FORM = "monitoring"
MESSAGE = "监控月份有误：{detail}"
MISSING = "未找到监控月份（如“1-6月执行数”或“监控月份”），无法计算序时进度"
LATER = "监控月份为{month}月，晚于填报日期{year}年{date_month}月"


def check(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    table = result.table
    if result.month is None:
        cell = table_cell(table, "month", "spent")
        return [Finding(CODE, SEVERITY, MESSAGE.format(detail=MISSING), cell)]
    if table.date is None:
        return []
    year, month = table.date
    same_year = table.year if table.year is not None else year
    if (same_year, result.month) > (year, month):
        detail = LATER.format(month=result.month, year=year, date_month=month)
        return [
            Finding(
                CODE, SEVERITY, MESSAGE.format(detail=detail), table_cell(table, "date", "month")
            )
        ]
    return []
