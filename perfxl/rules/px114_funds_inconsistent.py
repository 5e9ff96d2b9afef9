"""The funds block contradicts itself: the printed 执行率 is not 全年执行数 ÷ 全年预算数.

The form defines 执行率 as 全年执行数 / 全年预算数 (年初预算数 where no adjusted budget
is given). A printed rate further than the profile's `[rules] rate_tolerance` (0.01%)
from that quotient means one of the three figures is wrong. When the printed rate
matches 全年执行数 / 全年到位数 instead, the message says so.

Seed 003 prints 全年预算数 81.82 and 全年执行数 81.82 (100%) yet 执行率 81.82%, which
is 81.82 of the 100 received: the budget figure was overwritten with the spending.

Wrong:

    年度资金总额 | 全年预算数 81.82 | 全年到位数 100 | 全年执行数 81.82 | 执行率 81.82%

Right:

    年度资金总额 | 全年预算数 100 | 全年到位数 100 | 全年执行数 81.82 | 执行率 81.82%
"""

from __future__ import annotations

from dataclasses import replace

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.profiles.settings import FundsRule
from perfxl.rates import funds_rate
from perfxl.results import TableResult
from perfxl.rules.common import by_identity, num, pct, top_cell

CODE = "PX114"
NAME = "funds.inconsistent"
SEVERITY = Severity.ERROR
MESSAGE = "资金表执行率填报 {printed}，而全年执行数 {spent} ÷ {name} {budget} = {rate}{hint}"


@by_identity
def _by_budget(execution: FundsRule) -> FundsRule:
    """The profile's execution rule over the budget; made once per profile."""
    return replace(execution, denominator=("budget", "initial_budget"))


@by_identity
def _by_received(execution: FundsRule) -> FundsRule:
    """The profile's execution rule over the funds received; made once per profile."""
    return replace(execution, denominator=("received",))


def check(result: TableResult, profile: Profile) -> list[Finding]:
    funds = result.table.funds
    printed = funds.reported_rate
    if printed is None:
        return []
    rate = funds_rate(funds, _by_budget(profile.execution), "spent")
    if rate is None or abs(printed - rate) <= profile.rules.rate_tolerance:
        return []
    by_received = funds_rate(funds, _by_received(profile.execution), "spent")
    hint = ""
    if by_received is not None and abs(printed - by_received) <= profile.rules.rate_tolerance:
        hint = "；填报的执行率等于 全年执行数 ÷ 全年到位数，请核对全年预算数"
    budget_name = "全年预算数" if funds.budget else "年初预算数"
    message = MESSAGE.format(
        printed=pct(printed),
        spent=num(funds.spent),
        name=budget_name,
        budget=num(funds.budget or funds.initial_budget),
        rate=pct(rate),
        hint=hint,
    )
    return [Finding(CODE, SEVERITY, message, funds.cells.get("rate") or top_cell(result.table))]
