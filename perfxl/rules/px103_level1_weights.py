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
from perfxl.results import RowResult, TableResult
from perfxl.rules.common import ZERO, anchor, by_identity, canon, missing, num

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
    groups: dict[str, list[RowResult]] = {}
    name: object = groups  # no level-1 name: the first row opens its group
    for row in result.rows:
        level1 = row.indicator.level1
        if level1 != name:  # rows of one level 1 come together
            name = level1
            group = groups.setdefault(canon(name), [])
        group.append(row)
    if not groups or not groups.keys() <= expected.keys():
        return []
    found = []
    for name, rows in groups.items():
        weights = [r.indicator.weight for r in rows]
        if missing(weights):
            continue  # PX013 reports the missing 分值
        weight = sum(weights, ZERO)
        if weight == expected[name]:
            continue
        first = rows[0].indicator
        cell = first.cells.get("level1") or first.cells.get("weight") or anchor(result.table)
        message = MESSAGE.format(
            level1=first.level1,
            weight=num(weight),
            profile=profile.name,
            expected=num(expected[name]),
        )
        found.append(Finding(CODE, SEVERITY, message, cell))
    return found
