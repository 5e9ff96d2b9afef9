"""Budget execution and indicator completion drift apart and nobody says why.

The deviation is the engine's 总体完成率 − 预算执行率 in percentage points; above the
profile's `[deviation] threshold` (20 by default) it must be explained. The
explanation belongs in the 偏差原因 of the 预算执行率 row; where budget execution is
scored in the funds block, which has no reason cell, any 偏差原因 in the table counts.
The finding sits on the 预算执行率 row's reason cell, else on the funds block's 执行率.

Seed 002: 92.75% − 34.79% = 57.96 points, explained on its 预算执行率 row
(单位资金支付运转保障计划有变).

Wrong:

    预算执行率 | 100% | 34.79% | 分值 5 | 得分 1.74 | 偏差原因 (空)   (总体完成率 92.75%)

Right:

    预算执行率 | 100% | 34.79% | 分值 5 | 得分 1.74 | 偏差原因 资金支付计划有变，下年按进度拨付
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import EXECUTION, anchor, blank, num

CODE = "PX109"
NAME = "reason.deviation"
SEVERITY = Severity.WARNING
MESSAGE = "总体完成率与预算执行率偏差 {deviation} 个百分点，超过 {threshold}，需说明原因"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    deviation = result.deviation
    if deviation is None or abs(deviation) <= profile.deviation_threshold:
        return []
    table = result.table
    execution = next(
        (
            r.indicator
            for r in result.rows
            if r.method == EXECUTION and "reason" in r.indicator.cells
        ),
        None,
    )
    if execution is not None:
        if not blank(execution.reason):
            return []
        cell = execution.cells["reason"]
    else:
        if any(not blank(r.indicator.reason) for r in result.rows):
            return []
        cell = table.funds.cells.get("rate") or anchor(table)
    message = MESSAGE.format(deviation=num(deviation), threshold=num(profile.deviation_threshold))
    return [Finding(CODE, SEVERITY, message, cell)]
