"""Where everything sits in a perfxl template, and the lists its drop-downs offer.

The form sheet follows the national 项目支出绩效自评表 (title, header block, funds block,
年度总体目标, indicator table, 总分, 评价等级), with perfxl's structured target columns
指标性质 | 指标值 | 计量单位 that the reader already composes into one target text
(`≥` `2` `个` → `≥2个`). Positions are fixed here once, so the builder, the formula
generator, `fill_template` and the tests agree on them without searching.

One column goes beyond the national form: 评分, the evaluator's typed score. A formula
cell cannot also take input, so rubric rows (no target) and the in-band mark-down of a
qualitative row need a cell of their own. It sits left of the computed 得分, so that the
reader, which takes the first score-like header, reads what was typed and never a
formula's cached result.

Hidden helper columns (from N on) hold the intermediate values the formulas share; they are
locked, left out of the print area and labelled `px_…` so that no header matcher takes
them for a table column.
"""

from __future__ import annotations

from dataclasses import dataclass

from perfxl.model import QualLevel, column_letter

# 1.1: an empty 指标性质 is a bare figure read by the profile (issue 8); 1.2: 指标性质 offers
# 等于 instead of `=`, and 总分/等级/总体完成率 stay empty until something is entered
TEMPLATE_VERSION = "1.3"
FORMS = ("self", "eval")
FORMULA_MODES = ("plain", "udf")

META_SHEET = "perfxl_meta"  # hidden: template version, profile, form, formula mode
LISTS_SHEET = "perfxl_lists"  # hidden: the drop-down lists
GUIDE_SHEET = "填表说明"
FORM_SHEETS = {"self": "绩效自评表", "eval": "绩效评价表"}
TITLES = {"self": "项目支出绩效自评表", "eval": "项目支出绩效评价表"}

# --- rows ---------------------------------------------------------------------------
TITLE_ROW, YEAR_ROW, PROJECT_ROW, DEPARTMENT_ROW = 1, 2, 3, 4
FUNDS_HEADER_ROW, FUNDS_ROW = 5, 6  # 年度资金总额 is row 6; rows 7–9 are its sources
FUNDS_SOURCE_ROWS = (7, 8, 9)
FUNDS_SOURCES = ("其中：当年财政拨款", "上年结转资金", "其他资金")
GOAL_LABEL_ROW, GOAL_ROW = 10, 11
HEADER_ROW = 12
FIRST_ROW = 13
ROW_COUNT = 50  # room for 50 indicators (the issue asks for at least 40)
LAST_ROW = FIRST_ROW + ROW_COUNT - 1
TOTAL_ROW = LAST_ROW + 1
GRADE_ROW = TOTAL_ROW + 1
EXEC_ROW = GRADE_ROW + 1
ARRIVAL_ROW = EXEC_ROW + 1
COMPLETION_ROW = ARRIVAL_ROW + 1
DEVIATION_ROW = COMPLETION_ROW + 1
SIGN_ROW = DEVIATION_ROW + 2

# --- columns ------------------------------------------------------------------------
# Visible indicator columns, left to right, with their header labels.
COLUMNS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "nature": "指标性质",
    "target": "指标值",
    "unit": "计量单位",
    "actual": "实际完成值",
    "weight": "分值",
    "entered": "评分",
    "rate": "完成率",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
}
INPUT_COLUMNS = (
    "level1",
    "level2",
    "name",
    "nature",
    "target",
    "unit",
    "actual",
    "weight",
    "entered",
    "reason",
)
# Hidden helpers, right of a blank spacer column M.
HELPERS = (
    "l1",  # level 1 in force on this row (blank cells inherit, as merged cells read)
    "l2",  # level 2 in force, the reader's rule: a new level 1 resets it
    "exists",  # 1 when the reader would take the row as an indicator
    "head",  # running: 1 after an indicator with 分值 but no target or actual (a heading)
    "na",  # 1 when the row says 无此类指标 / 不涉及 / …
    "nac",  # 1 when its 三级指标 says so (perfxl.quantities.is_not_applicable) …
    "nat",  # … its target text …
    "nag",  # … its 实际完成值
    "rub",  # 1 for a rubric row: a dash target with a described actual, or a worded
    # actual without target but with a 评分 (scored by the evaluator, perfxl.scoring)
    "kind",  # E: the profile's 预算执行率 row, A: its 资金到位率 row
    "text",  # the target as one text, as the reader composes it
    "op",  # 指标性质 as the engine reads it: 1 ≥, 2 ≤, 3 =, 4 no sign (bare), 0 unknown
    "dir",  # ≥ ≤ = by which a number target is compared ("" not read: perfxl.template.targets)
    "typed",  # an actual typed as text, without spaces ("" for a number)
    "sfx",  # the unit typed after the number: that text without its digits and point
    "bare",  # that text without the unit at its end (180人 → 180, 12个月 → 12)
    "sidx",  # the unit's line in the unit table (perfxl.template.unit_table), 0 unknown
    "uidx",  # the row's 计量单位's column in the unit table
    "umul",  # what the typed unit is worth in the row's: umul ÷ udiv (0: not convertible)
    "udiv",
    "num",  # the actual as a number in the row's unit: typed as one, or "bare" × umul ÷ udiv
    "grade",  # 达成 / 部分达成 / 未达成 chosen, or read from an actual restating the target
    "mode",  # M manual, V evaluator's score, Q qualitative, C computed, X unscored
    "act",  # the actual in the target's unit (95% typed as 0.95 → 95)
    "grate",  # the row's own rate (rounded), "" when it cannot be scored
    "gratio",  # its uncapped actual-vs-target ratio (rounded), "" when there is none
    "src",  # E/A rows: the funds block's rate, else the row's own ratio (or rate)
    "first_exec",  # running: the first E row's rate (execution rate without funds data)
    "wrate",  # rate × weight of applicable rows (for a weighted completion rate)
    "wapp",  # weight of applicable rows
)
COL: dict[str, str] = {key: column_letter(i + 1) for i, key in enumerate(COLUMNS)}
COL.update({h: column_letter(len(COLUMNS) + 2 + i) for i, h in enumerate(HELPERS)})
LAST_COLUMN = COL["reason"]  # print area A…L

# Funds block: label row 5, values row 6.
FUNDS_COLUMNS: dict[str, tuple[str, str]] = {
    "initial_budget": ("C", "年初预算数"),
    "budget": ("D", "全年预算数"),
    "received": ("E", "全年到位数"),
    "spent": ("F", "全年执行数"),
    "weight": ("G", "分值"),
    "rate": ("H", "执行率"),
    "score": ("I", "得分"),
}
FUNDS_INPUTS = ("initial_budget", "budget", "received", "spent")
# Summary helper cells, in hidden column N below the 评价等级 row: the reader looks for
# the grade to the right of its label, so nothing hidden may sit on the 总分/等级 rows.
SUMMARY_HELPERS: dict[str, int] = {
    "funds_row": EXEC_ROW,  # 1 when the funds block is scored as the execution row
    "applicable": EXEC_ROW + 1,  # rows that enter the completion rate
    "possible": EXEC_ROW + 2,  # all points, not-applicable rows included
    "skipped": EXEC_ROW + 3,  # points of not-applicable rows
    "raw": EXEC_ROW + 4,  # sum of row scores before rescaling
    "funds_rate": EXEC_ROW + 5,  # the funds row's capped rate (0 when unscored)
    "input": EXEC_ROW + 6,  # 1 once an actual, a 评分 or an amount is entered
}
SUMMARY_COL = COL["l1"]

WIDTHS = {
    "level1": 10,
    "level2": 13,
    "name": 30,
    "nature": 7,
    "target": 12,
    "unit": 9,
    "actual": 12,
    "weight": 7,
    "entered": 7,
    "rate": 10,
    "score": 8,
    "reason": 30,
}

# --- drop-down lists ----------------------------------------------------------------
# 等于, not a bare `=`: typed into a cell, `=` starts a formula in Excel and WPS. The
# engine reads 等于 (perfxl.quantities.OPERATORS), and a pasted `=` still works.
NATURES = ("≥", "≤", "等于", "定性")
QUALITATIVE = "定性"
GRADES = tuple(level.value for level in QualLevel)  # 达成, 部分达成, 未达成
# Spellings the engine reads as 无此类指标, as the guide shows them; the formulas look up
# every spelling the engine reads (perfxl.template.actuals.na_spellings).
NOT_APPLICABLE = (
    "无此类指标",
    "无此项指标",
    "无该项指标",
    "本项目不涉及",
    "不涉及",
    "不适用",
    "无",
)
NOT_APPLICABLE += ("/", "—", "——", "-", "n/a")
# Units the formulas can compare without conversion; all are known to perfxl.units and
# none is a calendar date, so `actual ÷ target` is always meaningful.
UNITS = (
    "%",
    "个",
    "人",
    "人次",
    "次",
    "批次",
    "户",
    "家",
    "项",
    "件",
    "场",
    "场次",
    "套",
    "台",
    "辆",
    "所",
    "名",
    "篇",
    "期",
    "份",
    "本",
    "元",
    "万元",
    "亿元",
    "天",
    "个月",
    "月",
    "年",
    "小时",
    "工作日",
    "平方米",
    "亩",
    "公里",
    "米",
    "立方米",
    "吨",
    "次/年",
    "元/人",
)

LEVELS: dict[str, dict[str, tuple[str, ...]]] = {
    "self": {  # 财预〔2020〕10号 自评表
        "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
        "满意度指标": ("服务对象满意度指标",),
    },
    "eval": {  # the evaluation reports (seeds 000–003)
        "决策": ("项目立项", "绩效目标", "资金投入"),
        "过程": ("资金管理", "组织实施"),
        "产出": ("数量指标", "质量指标", "时效指标", "成本指标"),
        "效益": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "满意度指标"),
    },
}


@dataclass(frozen=True)
class CommonRow:
    """A prefilled indicator of the evaluation form (决策/过程)."""

    level1: str
    level2: str
    name: str
    weight: int
    target: tuple[str, float, str] | None = None  # 指标性质, 指标值, 计量单位


# Weights as in seeds 002 and 003 (决策 21, 过程 19; seed 003 moves one point in 过程).
# 资金到位率 / 预算执行率 are scored from the funds block; their target only serves when
# the block is left empty and the actual is typed in the row, as the reports print it.
_FULL = ("≥", 100, "%")
COMMON_ROWS: dict[str, tuple[CommonRow, ...]] = {
    "self": (),
    "eval": (
        CommonRow("决策", "项目立项", "立项依据充分性", 5),
        CommonRow("决策", "项目立项", "立项程序规范性", 3),
        CommonRow("决策", "绩效目标", "绩效目标合理性", 4),
        CommonRow("决策", "绩效目标", "绩效指标明确性", 3),
        CommonRow("决策", "资金投入", "预算编制科学性", 4),
        CommonRow("决策", "资金投入", "资金分配合理性", 2),
        CommonRow("过程", "资金管理", "资金到位率", 4, _FULL),
        CommonRow("过程", "资金管理", "预算执行率", 5, _FULL),
        CommonRow("过程", "资金管理", "资金使用合规性", 4),
        CommonRow("过程", "组织实施", "管理制度健全性", 2),
        CommonRow("过程", "组织实施", "制度执行有效性", 4),
    ),
}

# Level 1 / level 2 prefilled on the free rows, so the form shows its blocks.
SKELETON: dict[str, tuple[tuple[str, str, int], ...]] = {
    "self": (
        ("产出指标", "数量指标", 3),
        ("产出指标", "质量指标", 3),
        ("产出指标", "时效指标", 2),
        ("产出指标", "成本指标", 2),
        ("效益指标", "经济效益指标", 2),
        ("效益指标", "社会效益指标", 2),
        ("效益指标", "生态效益指标", 2),
        ("效益指标", "可持续影响指标", 2),
        ("满意度指标", "服务对象满意度指标", 2),
    ),
    "eval": (
        ("产出", "数量指标", 3),
        ("产出", "质量指标", 2),
        ("产出", "时效指标", 2),
        ("产出", "成本指标", 3),
        ("效益", "经济效益指标", 2),
        ("效益", "社会效益指标", 3),
        ("效益", "生态效益指标", 1),
        ("效益", "可持续影响指标", 2),
        ("效益", "满意度指标", 2),
    ),
}


def skeleton_rows(form: str) -> list[tuple[str, str]]:
    """(level 1, level 2) of each prefilled free row, in order."""
    return [(l1, l2) for l1, l2, n in SKELETON[form] for _ in range(n)]


def col_index(key: str) -> int:
    """0-based column number of an indicator or helper column (XlsxWriter's convention)."""
    number = 0
    for ch in COL[key]:
        number = number * 26 + ord(ch) - 64
    return number - 1


def ref(key: str, row: int) -> str:
    """A1 reference of an indicator or helper column in a row."""
    return f"{COL[key]}{row}"


def span(key: str, absolute: bool = True) -> str:
    """The whole indicator block of one column, e.g. $J$13:$J$62."""
    c = COL[key]
    return f"${c}${FIRST_ROW}:${c}${LAST_ROW}" if absolute else f"{c}{FIRST_ROW}:{c}{LAST_ROW}"


def funds_ref(key: str) -> str:
    return f"${FUNDS_COLUMNS[key][0]}${FUNDS_ROW}"


def summary_ref(row: int) -> str:
    """The visible value cell of a summary row (merged I:K)."""
    return f"${COL['entered']}${row}"


def summary_helper(key: str) -> str:
    return f"${SUMMARY_COL}${SUMMARY_HELPERS[key]}"


def quoted(sheet: str) -> str:
    return f"'{sheet}'"


# Defined names for the key cells (ASCII: some WPS builds mishandle CJK names).
KEY_NAMES: dict[str, int] = {
    "PX_TOTAL": TOTAL_ROW,
    "PX_GRADE": GRADE_ROW,
    "PX_EXEC_RATE": EXEC_ROW,
    "PX_ARRIVAL_RATE": ARRIVAL_ROW,
    "PX_COMPLETION": COMPLETION_ROW,
    "PX_DEVIATION": DEVIATION_ROW,
}
