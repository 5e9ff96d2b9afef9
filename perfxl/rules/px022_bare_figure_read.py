"""How a 年度指标值 written without an operator was read (for the clerk to check).

Raised by the engine while scoring; this module documents it. Published
tables write `90%`, `12次` or just a number and mean "at least": over-achievement gets
full marks. The profile decides the reading, and this note says which was used:

- `[rows] bare` (default "at_least"; "at_most"; "equal") for a bare figure;
- `[rows] bare_cost` (default "at_most") in cost rows (`[rows] cost_level2`);
- `[rows] bare_at_most_names`: names or texts holding 投诉率, 事故率, 差错率, 发生率,
  违规, 超标, 损失, 控制在 … are read at most, unless they also hold a word of
  `[rows] bare_at_least_names` (整改, 挽回, 下降 …: 违规问题整改率 is at least);
- `[deadlines] bare` (default "deadline"): a bare date or month (`2023年12月`, `12月份`,
  `12月` in a `[deadlines] time_level2` row) is a deadline, met on or before it;
- `[deadlines] bare_duration` (default "at_most"): a bare duration on a time row (`30天`,
  `5个工作日`, and `12月` when the actual says `12个月`) is a time limit.

Only `=`, `==` and `等于` make an equality target; `达到95%` is at least; `为`, `约` and
`左右` name no direction and leave the figure bare. Budget-execution rows are scored by
the funds rule and get no note.

Wrong:

    三级指标 培训合格率 | 年度指标值 90% | 实际完成值 100%   (read as = 90%: 8.89 of 10)

Right:

    三级指标 培训合格率 | 年度指标值 ≥90% | 实际完成值 100%   (10 of 10; a bare 90% is read so too)
"""

from __future__ import annotations

from perfxl.findings import CODES

CODE = "PX022"
NAME = "target.bare_figure_read"
SEVERITY, MESSAGE = CODES[CODE]
ENGINE = True  # raised by perfxl.scoring on the row; this module only documents it
