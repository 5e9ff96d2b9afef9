"""Target and actual are in units that cannot be converted into each other.

Raised by the engine while scoring (the row gets 0 points); this module documents
it. 元 and 万元, `95%` and `0.95`, 月 and 个月 are converted; people
and money, or 人 and 月, are not.

Wrong:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 5万元

Right:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 120人
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX012"
NAME = "units.mismatch"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
