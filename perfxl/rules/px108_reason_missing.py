"""A row that was not fully met has no 偏差原因分析及改进措施.

Wherever the engine's completion rate of a row is below 100% — a quantity short of
its target, a qualitative row only partly achieved, a rubric row marked down, a budget
not fully spent — the unit must say why and what it will change. Rows of a layout
without a reason column are not judged.

Wrong:

    产出指标 | 数量指标 | 培训人数 | ≥100人 | 80人 | 分值 10 | 得分 8 | 偏差原因 (空)

Right:

    产出指标 | 数量指标 | 培训人数 | ≥100人 | 80人 | 分值 10 | 得分 8 | 偏差原因 疫情停训两个月，下半年加开培训班
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import NOT_SCORED, blank, pct

CODE = "PX108"
NAME = "reason.missing"
SEVERITY = Severity.WARNING
MESSAGE = "“{name}”完成率 {rate}，未达100%，需填写偏差原因分析及改进措施"
ONE = Decimal(1)


def check(result: TableResult, profile: Profile) -> list[Finding]:
    found = []
    for row in result.rows:
        if row.method in NOT_SCORED:  # only rows that count
            continue
        ind = row.indicator
        cell = ind.cells.get("reason")
        rate = row.rate
        if cell is None or rate is None or rate >= ONE or not blank(ind.reason):
            continue
        message = MESSAGE.format(name=ind.name, rate=pct(rate))
        found.append(Finding(CODE, SEVERITY, message, cell))
    return found
