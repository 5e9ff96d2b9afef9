"""The 全年预计执行数 is above the budget.

A unit cannot expect to spend more than its 全年预算数 (年初预算数 when 全年 is blank
or 0): either the prediction is wrong or a budget adjustment is missing from the table.
Amounts are compared as read (万元).

Wrong:

    年初预算数 220 | 全年预算数 220 | 1-6月执行数 87.57 | 全年预计执行数 250

Right:

    年初预算数 220 | 全年预算数 220 | 1-6月执行数 87.57 | 全年预计执行数 215
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.rules.common import num
from perfxl.rules.monitor_common import table_cell

CODE = "PX117"
NAME = "monitor.predicted_over_budget"
SEVERITY = Severity.ERROR
FORM = "monitoring"
MESSAGE = "全年预计执行数 {predicted} 万元超过{which} {budget} 万元"


def check(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    funds = result.table.funds
    if funds.predicted is None:
        return []
    if funds.budget is not None and funds.budget > 0:
        budget, which = funds.budget, "全年预算数"
    elif funds.initial_budget is not None and funds.initial_budget > 0:
        budget, which = funds.initial_budget, "年初预算数"
    else:
        return []
    if funds.predicted <= budget:
        return []
    message = MESSAGE.format(predicted=num(funds.predicted), which=which, budget=num(budget))
    return [Finding(CODE, SEVERITY, message, table_cell(result.table, "predicted"))]
