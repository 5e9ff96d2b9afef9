"""The rows' 分值 do not add up to 100.

Weights may be moved between indicators but the table as a whole is worth 100 points,
so that totals and grades compare across projects. Counted are every row's 分值,
including not-applicable rows and the funds block's 预算执行率 points (left out when
the profile's total covers the indicators only, [total] includes_execution = false).
Rows without a 分值 are reported by the engine (PX013) and this rule then stays silent.

Seed 002 adds up to 100 (决策 21 + 过程 19 + 产出 30 + 效益 30) although its report
gives 决策 as 20 points: a printed category figure is PX104's case, not this one.

Wrong:

    产出指标 | 数量指标 | 培训人数 | 分值 60
    效益指标 | 社会效益指标 | 群众知晓率 | 分值 30
    总分 | 分值 100 (rows: 90)

Right:

    产出指标 | 数量指标 | 培训人数 | 分值 70
    效益指标 | 社会效益指标 | 群众知晓率 | 分值 30
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import Finding, Severity
from perfxl.model import CellRef
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import EXECUTION, ZERO, anchor, missing, num

CODE = "PX102"
NAME = "weights.total"
SEVERITY = Severity.ERROR
MESSAGE = "各项分值合计为 {total}，应为 100"
FULL = Decimal(100)


def check(result: TableResult, profile: Profile) -> list[Finding]:
    # [total] includes_execution = false: the indicators alone make the 100 points
    every = profile.total.includes_execution
    weights = [row.indicator.weight for row in result.rows if every or row.method != EXECUTION]
    if not weights or missing(weights):
        return []
    total = sum(weights, ZERO)
    if total == FULL:
        return []
    return [Finding(CODE, SEVERITY, MESSAGE.format(total=num(total)), _cell(result))]


def _cell(result: TableResult) -> CellRef:
    """The 分值 column of the 总分 row, where the printed 100 sits."""
    table = result.table
    total = table.cells.get("total")
    weight = next(
        (
            r.indicator.cells["weight"]
            for r in reversed(result.rows)
            if "weight" in r.indicator.cells
        ),
        None,
    )
    if total is not None and weight is not None:
        return CellRef(total.sheet, total.row, weight.col)
    return weight or anchor(table)
