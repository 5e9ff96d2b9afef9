"""An actual far above its target: was the target set too low?

MoF asks units to explain results far beyond the target, since a target that is
easily exceeded says little about performance. Reported when the engine's uncapped
ratio of actual to target exceeds the profile's `[rules] far_above_ratio` (1.5, i.e.
more than 50% above), for targets to be reached or equalled (≥, =).

Wrong:

    产出指标 | 数量指标 | 培训人数 | ≥100人 | 300人

Right:

    产出指标 | 数量指标 | 培训人数 | ≥280人 | 300人
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.model import Direction
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import COMPUTED, cell_of, pct

CODE = "PX110"
NAME = "target.too_low"
SEVERITY = Severity.WARNING
MESSAGE = "“{name}”实际完成值为指标值的 {ratio}，超过 {limit}，请说明指标值是否设定偏低"
_MORE_IS_MET = (Direction.POSITIVE, Direction.EQUAL)  # looked up once (see rules.common)


def check(result: TableResult, profile: Profile) -> list[Finding]:
    limit = profile.rules.far_above_ratio
    found = []
    for row in result.rows:
        ratio = row.ratio
        if row.method != COMPUTED or ratio is None or ratio <= limit:
            continue
        if row.direction not in _MORE_IS_MET:
            continue
        ind = row.indicator
        message = MESSAGE.format(name=ind.name, ratio=pct(ratio), limit=pct(limit))
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "actual")))
    return found
