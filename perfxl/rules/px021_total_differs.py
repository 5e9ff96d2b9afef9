"""The printed 总分 differs from the sum of the rows' scores.

Raised by the engine while scoring; this rule passes the engine's finding on. The
total compared with is the engine's: the rows' computed scores added up (and rescaled
where not-applicable rows are left out, if the profile says so). Under `[total]
includes_execution = false` (a Sichuan 衔接资金 form: indicators 70 + 20 + 10 = 100) the
预算执行率 row is scored and shown but not added to 总分 or the grade.

Seed 002 prints 87.26 for rows worth 21 + 15.74 + 21.52 + 30 = 88.26.

Wrong:

    总分 | 分值 100 | 得分 87.26   (rows add up to 88.26)

Right:

    总分 | 分值 100 | 得分 88.26
"""

from __future__ import annotations

from perfxl.findings import CODES, Finding
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import engine_findings

CODE = "PX021"
NAME = "total.printed_differs"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring; this module documents and passes it on


def check(result: TableResult, profile: Profile) -> list[Finding]:
    return engine_findings(result, CODE)
