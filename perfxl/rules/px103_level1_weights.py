"""A level-1 category's points differ from the profile's level-1 weights.

The MoF self-evaluation form (财预〔2020〕10号) sets 预算执行率 10, 产出 50, 效益 30 and
满意度 10 points; a profile lists its own under `[rules] level1_weights`. The check
applies only to tables whose level-1 names all appear in that list: an evaluation table
built on 决策 / 过程 / 产出 / 效益 uses another framework and is left alone. Names
compare without a trailing 指标 (产出指标 is 产出).

Wrong:

    产出指标 | 分值 60 (rows)   效益指标 | 分值 20   满意度指标 | 分值 10   预算执行率 10

Right:

    产出指标 | 分值 50 (rows)   效益指标 | 分值 30   满意度指标 | 分值 10   预算执行率 10
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import ZERO, anchor, by_identity, canon, num

CODE = "PX103"
NAME = "weights.level1"
SEVERITY = Severity.WARNING
MESSAGE = "一级指标“{level1}”分值合计 {weight}，评分规则“{profile}”规定为 {expected}"


@by_identity
def _expected(weights: tuple[tuple[str, Decimal], ...]) -> dict[str, Decimal]:
    """The profile's level-1 weights by canon() name; made once per profile, not per table."""
    return {canon(name): weight for name, weight in weights}


def check(result: TableResult, profile: Profile) -> list[Finding]:
    expected = _expected(profile.rules.level1_weights)
    if not expected:
        return []
    # canon(level-1 name) -> [its first indicator, the sum of its 分值 so far, None once
    # one is missing]: summed in the one pass, in row order, as sum() would
    groups: dict[str, list] = {}
    name: object = groups  # no level-1 name: the first row opens its group
    for row in result.rows:
        ind = row.indicator
        level1 = ind.level1
        if level1 != name:  # rows of one level 1 come together
            name = level1
            key = canon(level1)
            group = groups.get(key)
            if group is None:
                group = groups[key] = [ind, ZERO]
        weight = ind.weight
        if weight is None:
            group[1] = None  # PX013 reports the missing 分值
        elif group[1] is not None:
            group[1] += weight
    if not groups or not groups.keys() <= expected.keys():
        return []
    found = []
    for name, (first, weight) in groups.items():
        if weight is None or weight == expected[name]:
            continue
        cell = first.cells.get("level1") or first.cells.get("weight") or anchor(result.table)
        message = MESSAGE.format(
            level1=first.level1,
            weight=num(weight),
            profile=profile.name,
            expected=num(expected[name]),
        )
        found.append(Finding(CODE, SEVERITY, message, cell))
    return found
