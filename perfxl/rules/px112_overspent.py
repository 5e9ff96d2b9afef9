"""Spending above the budget, or an execution rate above 100%.

全年执行数 cannot exceed 全年预算数 (or 年初预算数 where no adjusted budget is given),
and the printed 执行率 cannot exceed 100%: either the figures are wrong or money was
spent without a budget.

Wrong:

    年度资金总额 | 全年预算数 100 | 全年到位数 100 | 全年执行数 120 | 执行率 120%

Right:

    年度资金总额 | 全年预算数 120 | 全年到位数 120 | 全年执行数 120 | 执行率 100%
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import num, pct, top_cell

CODE = "PX112"
NAME = "funds.overspent"
SEVERITY = Severity.ERROR
MESSAGE = "支出超过预算：{detail}"
ONE = Decimal(1)


def check(result: TableResult, profile: Profile) -> list[Finding]:
    table = result.table
    funds = table.funds
    problems = []
    budget = funds.budget if funds.budget is not None else funds.initial_budget
    if funds.spent is not None and budget is not None and funds.spent > budget:
        detail = f"全年执行数 {num(funds.spent)} 万元大于全年预算数 {num(budget)} 万元"
        problems.append((detail, funds.cells.get("spent")))
    if funds.reported_rate is not None and funds.reported_rate > ONE:
        detail = f"执行率填报为 {pct(funds.reported_rate)}，超过100%"
        problems.append((detail, funds.cells.get("rate")))
    return [
        Finding(CODE, SEVERITY, MESSAGE.format(detail=detail), cell or top_cell(table))
        for detail, cell in problems
    ]
