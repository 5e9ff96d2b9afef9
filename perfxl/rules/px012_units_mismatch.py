"""Target and actual are in units that cannot be converted into each other.

Raised by the engine while scoring (the row gets 0 points); this rule passes the
engine's finding on. 元 and 万元, `95%` and `0.95`, 月 and 个月 are converted; people
and money, or 人 and 月, are not.

Wrong:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 5万元

Right:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 120人
"""

from __future__ import annotations

from perfxl.findings import CODES, Finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import engine_findings

CODE = "PX012"
NAME = "units.mismatch"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring; this module documents and passes it on


def check(result: TableResult, profile: Profile) -> list[Finding]:
    return engine_findings(result, CODE)
