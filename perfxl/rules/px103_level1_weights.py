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
from perfxl.rules.common import anchor, canon, num

CODE = "PX103"
NAME = "weights.level1"
SEVERITY = Severity.WARNING
MESSAGE = "一级指标“{level1}”分值合计 {weight}，评分规则“{profile}”规定为 {expected}"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    expected = {canon(name): weight for name, weight in profile.rules.level1_weights}
    groups: dict[str, list[RowResult]] = {}
    for row in result.rows:
        groups.setdefault(canon(row.indicator.level1), []).append(row)
    if not expected or not groups or any(name not in expected for name in groups):
        return []
    found = []
    for name, rows in groups.items():
        weights = [r.indicator.weight for r in rows]
        if any(w is None for w in weights):
            continue  # PX013 reports the missing 分值
        weight = sum(weights, Decimal(0))
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
