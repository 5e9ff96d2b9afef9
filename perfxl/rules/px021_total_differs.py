"""The printed 总分 differs from the sum of the rows' scores.

The total compared with is the engine's: the rows' computed scores added up (and rescaled
where not-applicable rows are left out, if the profile says so). Under `[total]
includes_execution = false` (a Sichuan 衔接资金 form: indicators 70 + 20 + 10 = 100) the
预算执行率 row is scored and shown but not added to 总分 or the grade.

Seed 002 prints 87.26 for rows worth 21 + 15.74 + 21.52 + 30 = 88.26.

Wrong:

    总分 | 分值 100 | 得分 87.26   (rows add up to 88.26)

Right:

    总分 | 分值 100 | 得分 88.26
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import CODES, Finding, finding
from perfxl.profiles import Profile
from perfxl.results import RowResult, TableResult
from perfxl.rules.common import NOT_APPLICABLE, ZERO, anchor, missing
from perfxl.scoring import summed_rows

CODE = "PX021"
NAME = "total.printed_differs"
SEVERITY, MESSAGE = CODES[CODE]


def check(result: TableResult, profile: Profile) -> list[Finding]:
    printed, total = result.table.reported_total, result.total
    if printed is None:
        return []
    printed_rows = _printed_sum(summed_rows(result.rows, profile))
    if printed == total and (printed_rows is None or printed_rows == printed):
        return []
    detail = f"填报总分 {printed}，按“{profile.name}”规则重新计算为 {total}"
    if printed_rows is not None and printed_rows != printed:
        detail += f"；表内各项填报得分合计为 {printed_rows}"
    return [finding(CODE, detail, anchor(result.table))]


def _printed_sum(rows: tuple[RowResult, ...]) -> Decimal | None:
    """The sum of the printed 得分 column, when every applicable row has one."""
    scores = [r.indicator.entered_score for r in rows if r.method != NOT_APPLICABLE]
    if not scores or missing(scores):
        return None
    return sum(scores, ZERO)
