"""The 年度指标值 cannot be read, so the row cannot be scored.

Raised by the engine while scoring (the row gets 0 points); this module documents
it. A target needs a comparison, a number and a unit that perfxl
knows (`≥2个`, `大于等于95%`, `≤4万元`), or a qualitative phrase (`有效提升`).
An empty target beside a filled actual is reported here too.

Wrong:

    三级指标 培训人数 | 年度指标值 ≥100xyz | 实际完成值 100人

Right:

    三级指标 培训人数 | 年度指标值 ≥100人 | 实际完成值 100人
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX010"
NAME = "target.unreadable"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
