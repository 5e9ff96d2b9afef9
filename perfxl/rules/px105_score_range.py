"""An entered 得分 is above the row's 分值 or below zero.

A row can earn at most its 分值 and never less than nothing. The funds block's printed
得分 for 预算执行率 is checked the same way.

Wrong:

    产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 分值 10 | 得分 12

Right:

    产出指标 | 数量指标 | 培训人数 | ≥100人 | 120人 | 分值 10 | 得分 10
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import ZERO, cell_of, num

CODE = "PX105"
NAME = "score.range"
SEVERITY = Severity.ERROR
MESSAGE = "“{name}”的得分 {score} 不在 0 到分值 {weight} 之间"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    found = []
    for row in result.rows:
        ind = row.indicator
        score = ind.entered_score
        if score is None:
            continue
        weight = ind.weight
        too_high = weight is not None and score > weight
        if not too_high and score >= ZERO:
            continue
        message = MESSAGE.format(name=ind.name, score=num(score), weight=num(ind.weight))
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "score")))
    return found
