"""A monitoring row's progress cannot be computed from its target and actual.

The monitoring engine reads 年度指标值 and 1-N月实际完成值 with the year-end parsers.
When the target is missing or the actual is words (按计划推进中), or their units cannot
be converted, no progress can be computed: the row is then judged by its 全年预计完成值
and 完成目标可能性 alone, and this warning says so. It is raised by the engine, not by
a rule, and is a warning rather than an error because mid-year tables often describe
progress in words.

Wrong:

    培训人数 | ≥100人 | 1-6月 按计划推进中

Right:

    培训人数 | ≥100人 | 1-6月 45人
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX030"
NAME = "monitor.progress_unreadable"
ENGINE = True
FORM = "monitoring"
SEVERITY, MESSAGE = CODES[CODE]
