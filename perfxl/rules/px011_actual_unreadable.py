"""The 实际完成值 cannot be read, so the row cannot be scored.

Raised by the engine while scoring (the row gets 0 points); this module documents
it. The actual must be a number with a unit that can be compared with
the target's (`100人`, `95%`, `1.82万元`), or a phrase that says how far a qualitative
target was met (`达成预期指标`, `部分达成`).

Wrong:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 1-2人

Right:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 120人
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX011"
NAME = "actual.unreadable"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
