"""An entered 得分 differs from the score the profile's rule gives.

Raised by the engine while scoring; this rule passes the engine's finding on. The
engine recomputes every computed, qualitative and budget-execution row and keeps its
own figure; the entered one is shown beside it. Rubric rows without a target (决策,
过程 common indicators) take the evaluator's score and are never reported here.

Seed 003 prints 2.7 for its 预算执行率 row, where the threshold-linear rule gives
(81.82% − 60%) / (1 − 60%) × 5 = 2.73.

Wrong:

    预算执行率 | 年度指标值 100% | 实际完成值 81.82% | 分值 5 | 得分 2.7   (评分规则 xj-60)

Right:

    预算执行率 | 年度指标值 100% | 实际完成值 81.82% | 分值 5 | 得分 2.73
"""

from __future__ import annotations

from perfxl.findings import CODES, Finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import engine_findings

CODE = "PX020"
NAME = "score.entered_differs"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring; this module documents and passes it on


def check(result: TableResult, profile: Profile) -> list[Finding]:
    return engine_findings(result, CODE)
