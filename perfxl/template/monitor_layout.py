"""Where everything sits in the 项目支出绩效目标执行监控表 template (`--form monitor`).

The sheet follows the MoF 财预〔2019〕136号 annex: a header block (项目名称, 主管部门,
实施单位, 年度, 监控月份), the funds block in 万元 (年初预算数, 全年预算数, 1-N月执行数,
执行率, 全年预计执行数; rows 年度资金总额 / 其中：财政拨款 / 其他资金), 年度总体目标,
the indicator block (一级/二级/三级指标, 年度指标值, 1-N月实际完成值, 全年预计完成值,
偏差原因分析, 完成目标可能性, 原因说明, 改进措施) and the 项目灯 row. Like the 自评表
template the target is typed in three cells, 指标性质 | 年度指标值 | 计量单位, so that the
formulas need not parse text; the readers join them into one target text
(`≥` `200` `人` → `≥200人`), as a hidden helper does for the in-cell functions.

Beyond the annex the sheet shows what the monitoring round computes: 序时进度 beside the
month, and in aligned columns 进度 (v = 执行率 ÷ 序时进度 on the funds row, the
indicator's progress on an indicator row) and 灯 (红/黄/绿/蓝). Hidden helpers sit right of
a spacer column, labelled `px_…` so that no header matcher takes them for a column.
"""

from __future__ import annotations

from perfxl.model import QualLevel, column_letter

FORM = "monitor"
SHEET = "绩效监控表"
TITLE = "项目支出绩效目标执行监控表"

# --- header block -----------------------------------------------------------------
TITLE_ROW = 1
# 年度 | year | 监控月份 | month | 填报日期 | date: a label follows the month, so that a
# reader looking right of 监控月份 for its value stops there when the month is blank
YEAR_ROW = 2
YEAR_CELL, MONTH_CELL, DATE_CELL = "B2", "D2", "F2"
PROGRESS_CELL = "H6"  # 序时进度, in the funds block beside 执行率 (merged over H:I)
PROJECT_ROW, DEPARTMENT_ROW = 3, 4

# --- funds block (万元) ---------------------------------------------------------------
FUNDS_HEADER_ROW, FUNDS_ROW = 5, 6
FUNDS_SOURCE_ROWS = (7, 8)
FUNDS_SOURCES = ("其中：财政拨款", "其他资金")
FUNDS_ROWS = (FUNDS_ROW, *FUNDS_SOURCE_ROWS)
FUNDS_COLUMNS: dict[str, str] = {  # key -> column letter (序时进度 merged over H:I)
    "initial_budget": "C",
    "budget": "D",
    "spent": "E",
    "rate": "F",
    "predicted": "G",
    "time_progress": "H",
    "progress": "J",  # under the indicators' 进度
    "light": "K",  # under their 灯
}
FUNDS_LABELS: dict[str, str] = {
    "initial_budget": "年初预算数",
    "budget": "全年预算数",
    "spent": "1-N月执行数",  # the month comes in by formula (month_label)
    "rate": "执行率",
    "predicted": "全年预计执行数",
    "time_progress": "序时进度",
    "progress": "进度",
    "light": "灯",
}
FUNDS_INPUTS = ("initial_budget", "budget", "spent", "predicted")

# --- 年度总体目标 ---------------------------------------------------------------------
GOAL_LABEL_ROW, GOAL_ROW = 9, 10

# --- indicator block ----------------------------------------------------------------
HEADER_ROW = 11
FIRST_ROW = 12
ROW_COUNT = 40
LAST_ROW = FIRST_ROW + ROW_COUNT - 1
PROJECT_LIGHT_ROW = LAST_ROW + 1
SIGN_ROW = PROJECT_LIGHT_ROW + 2

COLUMNS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "nature": "指标性质",
    "target": "年度指标值",
    "unit": "计量单位",
    "actual": "1-N月实际完成值",  # month by formula, as in the funds block
    "predicted": "全年预计完成值",
    "progress": "进度",
    "light": "灯",
    "cause": "偏差原因分析",
    "likelihood": "完成目标可能性",
    "reason": "原因说明",
    "measures": "改进措施",
}
INPUT_COLUMNS = (
    "level1",
    "level2",
    "name",
    "nature",
    "target",
    "unit",
    "actual",
    "predicted",
    "cause",
    "likelihood",
    "reason",
    "measures",
)
HELPERS = (
    "l1",  # level 1 in force (a blank cell inherits from above, as merged cells read)
    "l2",  # level 2 in force
    "text",  # the target as one text, as the readers join it (≥200人)
    "kind",  # P pro-rated (≥ count), L level (%), C ceiling (≤), Q 定性, "" no target
    "tgt",  # the target as a number in its unit (a percentage as 95 for 95%)
    "act",  # the value to date as a number (定性: its grade's rank), "" when none
    "pred",  # the predicted value, likewise
    "raw",  # the progress unrounded (the light's measure; 进度 shows it rounded)
    "rank",  # the row's light as a rank: 1 红, 2 黄, 3 蓝, 4 绿, "" none
)
COL: dict[str, str] = {key: column_letter(i + 1) for i, key in enumerate(COLUMNS)}
COL.update({h: column_letter(len(COLUMNS) + 2 + i) for i, h in enumerate(HELPERS)})
LAST_COLUMN = COL["measures"]
EXEC_RANK = f"${COL['l1']}${FUNDS_ROW}"  # helper cell: the execution light's rank

WIDTHS = {
    "level1": 9,
    "level2": 11,
    "name": 22,
    "nature": 7,
    "target": 10,
    "unit": 8,
    "actual": 12,
    "predicted": 11,
    "progress": 9,
    "light": 6,
    "cause": 12,
    "likelihood": 11,
    "reason": 24,
    "measures": 24,
}

# --- drop-down lists ----------------------------------------------------------------
MONTHS = tuple(range(1, 13))
NATURES = ("≥", "≤", "等于", "定性")
QUALITATIVE = "定性"
GRADES = tuple(level.value for level in QualLevel)  # 达成, 部分达成, 未达成
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOOD = ("确定能", "有可能", "完全不可能")
LIGHTS = ("红", "黄", "蓝", "绿")  # by rank 1–4, worst first (perfxl.monitoring.lights)
LIGHT_FILLS = {"红": "#FF6B6B", "黄": "#FFE066", "绿": "#8FD694", "蓝": "#74C0FC"}
UNITS = (
    "%",
    "个",
    "人",
    "人次",
    "次",
    "户",
    "家",
    "项",
    "件",
    "场",
    "套",
    "台",
    "辆",
    "所",
    "名",
    "篇",
    "期",
    "份",
    "元",
    "万元",
    "天",
    "个月",
    "小时",
    "平方米",
    "亩",
    "公里",
    "米",
    "吨",
)
LEVELS: dict[str, tuple[str, ...]] = {  # the 136号 annex uses the 自评表's framework
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
SKELETON = (
    ("产出指标", "数量指标", 3),
    ("产出指标", "质量指标", 2),
    ("产出指标", "时效指标", 2),
    ("产出指标", "成本指标", 2),
    ("效益指标", "经济效益指标", 1),
    ("效益指标", "社会效益指标", 2),
    ("效益指标", "生态效益指标", 1),
    ("效益指标", "可持续影响指标", 1),
    ("满意度指标", "服务对象满意度指标", 1),
)


def skeleton_rows() -> list[tuple[str, str]]:
    return [(l1, l2) for l1, l2, n in SKELETON for _ in range(n)]


def col_index(key: str) -> int:
    """0-based column number (XlsxWriter's convention)."""
    return col_index_of(COL[key])


def ref(key: str, row: int) -> str:
    return f"{COL[key]}{row}"


def funds_ref(key: str, row: int = FUNDS_ROW) -> str:
    return f"{FUNDS_COLUMNS[key]}{row}"


def span(key: str) -> str:
    c = COL[key]
    return f"${c}${FIRST_ROW}:${c}${LAST_ROW}"


def month_label(label: str) -> str:
    """A `1-N月…` label as a formula that names the chosen month (1-6月执行数)."""
    month = f"${MONTH_CELL[0]}${MONTH_CELL[1:]}"
    rest = label.removeprefix("1-N月")
    return f'IF(ISNUMBER({month}),"1-"&{month}&"月{rest}","{label}")'


# Defined names of the key cells (ASCII: some WPS builds mishandle CJK names).
KEY_NAMES: dict[str, str] = {
    "PX_MONTH": f"${MONTH_CELL[0]}${MONTH_CELL[1:]}",
    "PX_TIME_PROGRESS": f"${PROGRESS_CELL[0]}${PROGRESS_CELL[1:]}",
    "PX_EXEC_RATE": f"${FUNDS_COLUMNS['rate']}${FUNDS_ROW}",
    "PX_EXEC_LIGHT": f"${FUNDS_COLUMNS['light']}${FUNDS_ROW}",
    "PX_PROJECT_LIGHT": f"${COL['light']}${PROJECT_LIGHT_ROW}",
}


def col_index_of(letter: str) -> int:
    """0-based number of a column letter."""
    number = 0
    for ch in letter:
        number = number * 26 + ord(ch) - 64
    return number - 1
