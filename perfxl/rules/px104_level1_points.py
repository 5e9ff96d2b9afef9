"""The points printed in a level-1 cell differ from the sum of its rows' 分值.

Many forms print a category's points in its level-1 cell, `产出指标(50分)`, and some
print a category figure that no longer matches the rows below it. Seed 002 reports
决策 as 20 points while its six rows list 5 + 3 + 4 + 3 + 4 + 2 = 21.

Wrong:

    产出指标(50分) | 数量指标 | 培训人数 | 分值 30
                   | 质量指标 | 合格率   | 分值 30

Right:

    产出指标(60分) | 数量指标 | 培训人数 | 分值 30
                   | 质量指标 | 合格率   | 分值 30
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.model import Indicator
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import ZERO, anchor, missing, num

CODE = "PX104"
NAME = "weights.level1_points"
SEVERITY = Severity.WARNING
MESSAGE = "一级指标“{level1}”标注 {points} 分，其下各项分值合计 {weight}"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    for row in result.rows:
        if row.indicator.level1_points is not None:
            break
    else:
        return []  # no level-1 cell of the table prints its points: nothing to compare
    groups: dict[str, list[Indicator]] = {}
    name: object = groups  # no level-1 name: the first row opens its group
    for row in result.rows:
        indicator = row.indicator
        if indicator.level1 != name:  # rows of one level 1 come together
            name = indicator.level1
            group = groups.setdefault(name, [])
        group.append(indicator)
    found = []
    for name, members in groups.items():
        printed = next((i.level1_points for i in members if i.level1_points is not None), None)
        weights = [i.weight for i in members]
        if printed is None or missing(weights):
            continue
        weight = sum(weights, ZERO)
        if weight == printed:
            continue
        first = members[0]
        cell = first.cells.get("level1") or first.cell or anchor(result.table)
        message = MESSAGE.format(level1=name, points=num(printed), weight=num(weight))
        found.append(Finding(CODE, SEVERITY, message, cell))
    return found
