"""An entered 得分 differs from the score the profile's rule gives.

The engine recomputes every computed, qualitative and budget-execution row and keeps its
own figure; the entered one is shown beside it. Rubric rows without a target (决策,
过程 common indicators) take the evaluator's score and are never reported here.

Seed 003 prints 2.7 for its 预算执行率 row, where the threshold-linear rule gives
(81.82% − 60%) / (1 − 60%) × 5 = 2.73.

Two profile settings change what "the rule's score" is. `[execution] points_rounding =
"truncate"` cuts execution points to a whole point (Shanxi 2020 and Yunnan 2023 tables:
99.10% or 97.81% of 10 → 9), so a printed 9 is then no difference. `[rows]
entered_scores = "keep"` takes the evaluator's entered score (0 to 分值) of computed and
qualitative rows into the total, as for rubric rows; the difference is still reported.

Wrong:

    预算执行率 | 年度指标值 100% | 实际完成值 81.82% | 分值 5 | 得分 2.7   (评分规则 xj-60)

Right:

    预算执行率 | 年度指标值 100% | 实际完成值 81.82% | 分值 5 | 得分 2.73
"""

from __future__ import annotations

from perfxl.findings import CODES, Finding, finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import anchor, cell_of

CODE = "PX020"
NAME = "score.entered_differs"
SEVERITY, MESSAGE = CODES[CODE]


def check(result: TableResult, profile: Profile) -> list[Finding]:
    found = []
    for row in result.rows:
        # a row with no printed 得分 never differs: asked before the property's call
        if row.indicator.entered_score is None or not row.score_differs:
            continue
        computed = row.computed_score if row.computed_score is not None else row.score
        detail = f"“{row.indicator.name}”填报 {row.reported_score}，按“{profile.name}”规则计算为 {computed}"
        if row.computed_score is not None:
            detail += "；按规则设置采用填报得分"
        cell = cell_of(row.indicator, "score") or anchor(result.table)
        found.append(finding(CODE, detail, cell))
    return found
