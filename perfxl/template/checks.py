"""Data validation and conditional formats of the form sheet.

Drop-downs come from named lists on the hidden lists sheet; level 2 is limited to its
level 1 through INDIRECT("PX_L2_" & position of level 1), which Excel, WPS and
LibreOffice all honour (tests/test_template_libreoffice.py checks LibreOffice). Level 1
is taken from a helper column that inherits a blank cell's level 1 from above, as the
reader does. 实际完成值 offers the three grades but accepts numbers and text (no error
alert), so a conditional format marks red what the formulas cannot read for the row's
指标性质: the same helper cells that decide whether the row computes decide the mark. In
a udf template, where the engine reads the actual, the mark follows the engine instead:
red where 得分 shows that PERF_SCORE could not read the actual.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from perfxl.profiles import Profile
from perfxl.template import layout as L
from perfxl.template.expr import any_of, num
from perfxl.template.styles import Styles


def add_checks(
    ws: Worksheet, styles: Styles, profile: Profile, form: str, mode: str = "plain"
) -> None:
    """Drop-downs and input checks on the indicator block and the funds block."""
    first, last = L.FIRST_ROW - 1, L.LAST_ROW - 1
    col = L.col_index

    def dv(key: str, options: dict) -> None:
        ws.data_validation(first, col(key), last, col(key), options)

    r = L.FIRST_ROW
    dv("level1", _list("=PX_L1", "一级指标", "请从下拉列表选择一级指标"))
    level2 = (
        f'=INDIRECT(IF(${L.COL["l1"]}{r}="","PX_L2_ALL","PX_L2_"&MATCH(${L.COL["l1"]}{r},PX_L1,0)))'
    )
    dv("level2", _list(level2, "二级指标", "请选择所选一级指标下的二级指标"))
    dv(
        "nature",
        _list(list(L.NATURES), "指标性质", "≥ 正向，≤ 反向，等于，定性 文字表述；未写符号留空"),
    )
    d, e = L.ref("nature", r), L.ref("target", r)
    dv(
        "target",
        {
            "validate": "custom",
            "value": f'=IF(${d}="{L.QUALITATIVE}",NOT(ISNUMBER({e})),ISNUMBER({e}))',
            "input_title": "指标值",
            "input_message": "定量指标填数字（百分比填 95 而非 95%），定性指标填文字",
            "error_title": "指标值",
            "error_message": "定量指标的指标值须为数字；定性指标请在指标性质中选择“定性”",
        },
    )
    dv("unit", _list("=PX_UNITS", "计量单位", "请从下拉列表选择计量单位；定性指标留空"))
    actual = _list(
        "=PX_QUAL", "实际完成值", "定量指标填数字；定性指标选择达成档次；不适用填“无此类指标”"
    )
    actual["show_error"] = False  # numbers must be accepted too
    dv("actual", actual)
    dv("weight", _decimal("分值", "该指标的分值（0–100）"))
    i, h = L.ref("entered", r), L.ref("weight", r)
    dv(
        "entered",
        {
            "validate": "custom",
            "value": f"=AND(ISNUMBER({i}),{i}>=0,OR(NOT(ISNUMBER(${h})),{i}<=${h}))",
            "input_title": "评分",
            "input_message": "仅评分类指标（无指标值）或定性指标档内打分时填写，不超过分值",
            "error_title": "评分",
            "error_message": "评分须为不超过分值的非负数",
        },
    )
    funds = L.FUNDS_ROW - 1
    money = _decimal("资金（万元）", "以万元为单位", upper=1e12)
    ws.data_validation(funds, 2, L.FUNDS_SOURCE_ROWS[-1] - 1, 5, money)
    if form == "self":
        ws.data_validation(funds, 6, funds, 6, _decimal("分值", "预算执行率的分值"))
    _conditional(ws, styles, profile, mode)


def _list(source, title: str, message: str) -> dict:
    return {
        "validate": "list",
        "source": source,
        "input_title": title,
        "input_message": message,
        "error_title": title,
        "error_message": message,
    }


def _decimal(title: str, message: str, upper: float = 100) -> dict:
    return {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": upper,
        "input_title": title,
        "input_message": message,
        "error_title": title,
        "error_message": f"{title}须为 0 到 {num(upper)} 之间的数",
    }


# What a udf template's 得分 shows when the engine cannot read the actual (PERF_SCORE).
ACTUAL_ERRORS = ("PX011", "PX012", "PX015", "PX017")


def red_actual(r: int, mode: str) -> str:
    """When row r's 实际完成值 is marked red (its conditional format, without the =)."""
    c = {k: f"${L.COL[k]}{r}" for k in L.COL}
    nature, g = f"TRIM({c['nature']})", c["actual"]
    if mode == "udf":  # the engine reads the actual: red where it could not
        from perfxl.excel.udfs import CELL_ERRORS  # xlwings only for udf templates

        errors = sorted({CELL_ERRORS[code] for code in ACTUAL_ERRORS})
        return f"AND(LEN(TRIM({g}))>0,{any_of(c['score'], errors)})"
    # red where the formulas cannot read the actual (the helpers grade and num): a
    # qualitative row neither graded nor restating its target, a number row whose actual
    # is no number in the row's unit
    words = any_of(nature, ["", L.QUALITATIVE, "定性指标", "定量", "定量指标"])
    qual = f"AND({words},LEN(TRIM({c['target']}))>0,NOT(ISNUMBER({c['target']})))"
    return (
        f'AND(LEN(TRIM({g}))>0,{c["na"]}=0,{c["rub"]}=0,OR(AND({qual},{c["grade"]}=""),'
        f"AND(ISNUMBER({c['target']}),NOT(ISNUMBER({c['num']})))))"
    )


def red_target(r: int) -> str:
    """When row r's 指标性质 and 指标值 are marked red in a plain template: a number target
    that the formulas do not read (an unknown sign, a year, a month number outside 1–12,
    a bare month on a time row that perfxl judges as a deadline)."""
    c = {k: f"${L.COL[k]}{r}" for k in L.COL}
    return f'AND({c["exists"]}=1,{c["na"]}=0,ISNUMBER({c["target"]}),{c["dir"]}="")'


def _conditional(ws: Worksheet, styles: Styles, profile: Profile, mode: str) -> None:
    r = L.FIRST_ROW
    c = {k: f"${L.COL[k]}{r}" for k in L.COL}
    g = c["actual"]
    wrong = f"={red_actual(r, mode)}"
    rows = (L.FIRST_ROW - 1, L.LAST_ROW - 1)
    col = L.col_index

    def cf(key: str, formula: str, style: str) -> None:
        ws.conditional_format(
            rows[0], col(key), rows[1], col(key),
            {"type": "formula", "criteria": formula, "format": styles.get(style)},
        )  # fmt: skip

    cf("actual", wrong, "error")
    if mode == "plain":  # a number target the formulas leave to perfxl (targets.direction)
        unread = f"={red_target(r)}"
        cf("nature", unread, "error")
        cf("target", unread, "error")
    cf("reason", f"=AND(ISNUMBER({c['rate']}),{c['rate']}<1,LEN(TRIM({c['reason']}))=0)", "warn")
    no_figures = f"OR(AND(LEN(TRIM({c['target']}))=0,LEN(TRIM({g}))=0),{c['rub']}=1)"
    rubric = (
        f'=AND({c["exists"]}=1,{c["na"]}=0,{c["kind"]}="",{no_figures},'
        f"NOT(ISNUMBER({c['entered']})))"
    )
    cf("entered", rubric, "warn")
    # an amount pasted as text (46.5万): perfxl reads it, the formulas take it for empty
    first, last = f"C{L.FUNDS_ROW}", f"F{L.FUNDS_SOURCE_ROWS[-1]}"
    ws.conditional_format(
        f"{first}:{last}",
        {
            "type": "formula",
            "criteria": f"=AND(LEN(TRIM({first}))>0,NOT(ISNUMBER({first})))",
            "format": styles.get("error"),
        },
    )
    dev = L.summary_ref(L.DEVIATION_ROW)
    ws.conditional_format(
        dev.replace("$", ""),
        {
            "type": "formula",
            "criteria": f"=AND(ISNUMBER({dev}),ABS({dev})>{num(profile.deviation_threshold)})",
            "format": styles.get("error"),
        },
    )
