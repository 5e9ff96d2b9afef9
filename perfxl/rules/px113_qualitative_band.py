"""A qualitative row's entered 得分 lies outside the band of its achievement level.

A qualitative actual falls into one of the profile's bands — by default 达成
(100%–80%], 部分达成 (80%–60%], 未达成 (60%–0%] of the row's 分值 — and the evaluator
may mark within the band only. Outside it the engine keeps the band's top and this rule
reports the entered figure. Scores above the 分值 or below zero are PX105's.

Wrong:

    效益指标 | 社会效益指标 | 群众获得感 | 有效提升 | 部分达成 | 分值 10 | 得分 5

Right:

    效益指标 | 社会效益指标 | 群众获得感 | 有效提升 | 部分达成 | 分值 10 | 得分 7
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.rates import band_scores
from perfxl.results import TableResult
from perfxl.rules.common import QUALITATIVE, cell_of, num

CODE = "PX113"
NAME = "qualitative.band"
SEVERITY = Severity.WARNING
MESSAGE = "“{name}”完成情况为“{level}”，得分应在 {low} 至 {high} 之间，填报 {score}"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    found = []
    for row in result.rows:
        if row.method != QUALITATIVE:
            continue
        ind = row.indicator
        score, weight = ind.entered_score, ind.weight
        if score is None or not weight:
            continue
        if score < 0 or score > weight:
            continue  # PX105
        assert row.level is not None  # a qualitative row always has its band
        low, high = band_scores(row.level, weight, profile)
        if low <= score <= high:
            continue
        message = MESSAGE.format(
            name=ind.name, level=row.level.value, low=num(low), high=num(high), score=num(score)
        )
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "score")))
    return found
