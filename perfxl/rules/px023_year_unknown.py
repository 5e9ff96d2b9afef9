"""A deadline month without a year cannot be judged: the table's year is unknown.

Raised by the engine while scoring; this module documents it. A month
without a year (`12月底前`, a bare `12月` on a time row) is a month of the table's year,
found by the reader in the title (`（2023年度）`), the 自评年度 cell or the file name
(IndicatorTable.year); `次年1月` is the month after December. When the actual names its
year (`2024年1月10日`) and the table's year is unknown, on time or late cannot be told:
late for a 2023 table, early for a 2024 one. perfxl does not guess: the evaluator's
entered 得分 is taken with this warning, and without one the row is PX017.

How a missed deadline scores is `[deadlines] late_rate` (default 0: 未达成).

Wrong:

    项目完成时间 | 年度指标值 12月底前 | 实际完成值 2024年1月10日   (no 年度 anywhere)

Right:

    项目支出绩效自评表（2023年度） … 项目完成时间 | 12月底前 | 2024年1月10日   (late: 0)
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX023"
NAME = "deadline.year_unknown"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
