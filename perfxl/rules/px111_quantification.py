"""Too few of the project's own indicators are quantified (指标量化率 under 70%).

The 指标量化率 is the engine's share of the project's own indicators (not the 决策 /
过程 rubric rows, not the budget rows) whose target is a number; at least the
profile's `[rules] quantification_min` (0.7) is expected. The finding sits on the
年度指标值 header.

Wrong:

    产出指标 | 数量指标 | 培训人数 | ≥100人
    产出指标 | 质量指标 | 服务质量 | 有效提升
    效益指标 | 社会效益指标 | 群众获得感 | 逐步提高      (量化率 1/3 = 33.33%)

Right:

    产出指标 | 数量指标 | 培训人数 | ≥100人
    产出指标 | 质量指标 | 培训合格率 | ≥95%
    产出指标 | 时效指标 | 完成时间 | 2023年12月前
    效益指标 | 社会效益指标 | 群众获得感 | 逐步提高      (量化率 3/4 = 75.00%)
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import header_cell, pct

CODE = "PX111"
NAME = "quantification.low"
SEVERITY = Severity.WARNING
MESSAGE = "指标量化率 {rate}，低于 {minimum}"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    rate, minimum = result.quantification_rate, profile.rules.quantification_min
    if rate is None or rate >= minimum:
        return []
    message = MESSAGE.format(rate=pct(rate), minimum=pct(minimum))
    return [Finding(CODE, SEVERITY, message, header_cell(result.table, "target"))]
