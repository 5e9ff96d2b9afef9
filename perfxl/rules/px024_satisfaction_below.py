"""A satisfaction answer one step below the target (较满意, 比较满意, 基本满意).

Raised by the engine while scoring; this rule passes the engine's finding on. Against a
满意 target, or a quantitative 满意度 target such as ≥90% answered in words, these are
partly met: the 部分达成 band of the profile's `[qualitative] bands` (scored at the band's
top, or at the evaluator's score inside the band), not full marks. 满意, 很满意 and
非常满意 stay 达成; a target that itself asks 基本满意 is met by 基本满意.

Wrong:

    受益群众满意度 | 年度指标值 满意 | 实际完成值 基本满意 | 分值 10 | 得分 10

Right:

    受益群众满意度 | 年度指标值 满意 | 实际完成值 基本满意 | 分值 10 | 得分 8
"""

from __future__ import annotations

from perfxl.findings import CODES, Finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import engine_findings

CODE = "PX024"
NAME = "satisfaction.below_target"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring; this module documents and passes it on


def check(result: TableResult, profile: Profile) -> list[Finding]:
    return engine_findings(result, CODE)
