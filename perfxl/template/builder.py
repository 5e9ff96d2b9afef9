"""Write a template workbook from a profile with XlsxWriter.

The output is deterministic: the creation date is fixed and XlsxWriter stamps every
zip member with the same date, so rebuilding gives the same bytes and the committed
files in workbook_templates/ only change when the generator or a profile does.
Formula cells carry "" as their cached result, which is what an empty form computes.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from perfxl.profiles import Profile
from perfxl.template import actuals as A
from perfxl.template import guide, targets
from perfxl.template import layout as L
from perfxl.template.checks import add_checks
from perfxl.template.formulas import Formulas
from perfxl.template.meta import write_meta
from perfxl.template.styles import Styles
from perfxl.template.unit_table import unit_table

CREATED = datetime(2024, 1, 1)


def build_template(
    profile: Profile, form: str = "self", formulas: str = "plain", path: str | Path = ""
) -> Path:
    """Build the `form` ("self", "eval" or "monitor") template for `profile` at `path`."""
    if form == "monitor":  # the 监控表 has its own layout (perfxl.template.monitor)
        from perfxl.template.monitor import build_monitor

        return build_monitor(
            profile, formulas, Path(path or f"绩效监控表_{profile.name}_{formulas}.xlsx")
        )
    if form not in L.FORMS:
        raise ValueError(f"form must be one of {L.FORMS}, not {form!r}")
    if formulas not in L.FORMULA_MODES:
        raise ValueError(f"formulas must be one of {L.FORMULA_MODES}, not {formulas!r}")
    target = Path(path or f"{L.TITLES[form]}_{profile.name}_{formulas}.xlsx")
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.xlsx")  # same folder
    try:
        _write(Path(temp), profile, form, formulas)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def _write(path: Path, profile: Profile, form: str, mode: str) -> None:
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties(
        {
            "title": L.TITLES[form],
            "subject": f"评分规则 {profile.name}",
            "author": "perfxl",
            "company": "",
            "comments": f"perfxl template {L.TEMPLATE_VERSION}",
            "created": CREATED,
        }
    )
    styles = Styles(wb)
    guide_sheet = wb.add_worksheet(L.GUIDE_SHEET)
    sheet = wb.add_worksheet(L.FORM_SHEETS[form])
    meta = wb.add_worksheet(L.META_SHEET)
    lists = wb.add_worksheet(L.LISTS_SHEET)
    write_meta(wb, meta, profile, form, mode)
    _write_lists(wb, lists, form, profile)
    _write_guide(guide_sheet, styles, profile, form, mode)
    _write_form(wb, sheet, styles, profile, form, Formulas(profile, mode))
    sheet.activate()
    wb.close()


# --- hidden sheets ----------------------------------------------------------------------


def _write_lists(wb, ws: Worksheet, form: str, profile: Profile) -> None:
    """One column per list; each gets a defined name the validations and formulas refer
    to (an empty list gets no name: the formulas then do not look it up)."""
    levels = L.LEVELS[form]
    columns: list[tuple[str, tuple[str, ...]]] = [("PX_L1", tuple(levels))]
    columns += [(f"PX_L2_{i}", l2s) for i, l2s in enumerate(levels.values(), 1)]
    every = tuple(dict.fromkeys(x for l2s in levels.values() for x in l2s))
    columns += [
        ("PX_L2_ALL", every),
        ("PX_UNITS", L.UNITS),
        ("PX_QUAL", L.GRADES),
        (A.NA_LIST, tuple(A.na_spellings())),
    ]
    operators = targets.operator_list()
    columns += [
        (targets.OPS, tuple(s for s, _ in operators)),
        (targets.OP_CODES, tuple(code for _, code in operators)),
    ]
    columns += [(name, tuple(words)) for name, words in targets.word_lists(profile).items()]
    for c, (name, values) in enumerate(columns):
        ws.write_string(0, c, name)
        for r, value in enumerate(values, 1):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
        letter = xlsxwriter.utility.xl_col_to_name(c)
        if values:
            wb.define_name(name, f"={L.LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}")
    _write_unit_table(wb, ws, len(columns) + 1)
    ws.hide()
    ws.protect("")


def _write_unit_table(wb, ws: Worksheet, first: int) -> None:
    """The unit table of perfxl.template.unit_table from column `first` on: the number of
    each 计量单位, then each spelling with its number, and the factor into every row
    unit (and into no unit) as numerator and denominator; cells left empty read as 0,
    which the formulas take as "the engine does not convert this"."""
    table = unit_table(L.UNITS)
    columns = (*L.UNITS, "")
    col = xlsxwriter.utility.xl_col_to_name

    def name(defined: str, c0: int, c1: int, rows: int) -> None:
        wb.define_name(defined, f"={L.LISTS_SHEET}!${col(c0)}$2:${col(c1)}${rows + 1}")

    ws.write_string(0, first, A.UNIT_NUMBERS)
    for r in range(len(L.UNITS)):
        ws.write_number(r + 1, first, r + 1)
    name(A.UNIT_NUMBERS, first, first, len(L.UNITS))
    spell, number = first + 1, first + 2
    mul, div = number + 1, number + 1 + len(columns)
    ws.write_string(0, spell, A.SPELLINGS)
    ws.write_string(0, number, A.SPELLING_NUMBERS)
    for c, unit in enumerate(columns):
        ws.write_string(0, mul + c, f"{A.FACTOR_MUL}:{unit or '无单位'}")
        ws.write_string(0, div + c, f"{A.FACTOR_DIV}:{unit or '无单位'}")
    for r, (spelling, factors) in enumerate(table, 1):
        ws.write_string(r, spell, spelling)
        ws.write_number(r, number, r)
        for c, factor in enumerate(factors):
            if factor is not None:
                ws.write_number(r, mul + c, factor.numerator)
                ws.write_number(r, div + c, factor.denominator)
    name(A.SPELLINGS, spell, spell, len(table))
    name(A.SPELLING_NUMBERS, number, number, len(table))
    name(A.FACTOR_MUL, mul, mul + len(columns) - 1, len(table))
    name(A.FACTOR_DIV, div, div + len(columns) - 1, len(table))


# --- 填表说明 ------------------------------------------------------------------------------


def _write_guide(ws: Worksheet, styles: Styles, profile: Profile, form: str, mode: str) -> None:
    text, heading = styles.get("text"), styles.get("heading")
    ws.set_column(0, 0, 22)
    ws.set_column(1, 2, 24)
    ws.set_column(3, 3, 44)
    ws.merge_range(0, 0, 0, 3, guide.title(form), styles.get("title"))
    ws.set_row(0, 28)
    r = 2
    for head, lines in (
        ("一、怎样填写", guide.fill_lines(form)),
        ("二、计算规则", guide.rule_lines(profile, form, mode)),
    ):
        ws.merge_range(r, 0, r, 3, head, heading)
        r += 1
        for n, line in enumerate(lines, 1):
            ws.merge_range(r, 0, r, 3, f"{n}. {line}", text)
            ws.set_row(r, 15 * max(1, -(-len(line) // 60)))
            r += 1
        r += 1
    ws.merge_range(r, 0, r, 3, "三、填写示例（按本表评分规则计算）", heading)
    r += 1
    for c, head in enumerate(("栏目", "示例一（定量指标）", "示例二（定性指标）", "填写要点")):
        ws.write_string(r, c, head, styles.get("label"))
    for row in guide.examples(profile, form):
        r += 1
        ws.write_string(r, 0, row[0], styles.get("label_left"))
        for c, value in enumerate(row[1:], 1):
            ws.write_string(r, c, value, styles.get("fixed" if c < 3 else "fixed_left"))
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_rows": True, "format_columns": True})


# --- the form ---------------------------------------------------------------------------


def _write_form(wb, ws: Worksheet, styles: Styles, profile: Profile, form: str, fx: Formulas):
    s = styles.get
    last = len(L.COLUMNS) - 1
    for key, width in L.WIDTHS.items():
        c = list(L.COLUMNS).index(key)
        ws.set_column(c, c, width)
    ws.set_column(len(L.COLUMNS), len(L.COLUMNS), 2, None, {"hidden": True})
    ws.set_column(f"{L.COL['l1']}:{L.COL['wapp']}", 10, s("helper"), {"hidden": True})

    z = _zero
    ws.merge_range(z(L.TITLE_ROW), 0, z(L.TITLE_ROW), last, L.TITLES[form], s("title"))
    ws.set_row(z(L.TITLE_ROW), 30)
    ws.merge_range(z(L.YEAR_ROW), 0, z(L.YEAR_ROW), last - 2, "", s("subtitle"))
    ws.write_string(
        z(L.YEAR_ROW), last - 1, "自评年度" if form == "self" else "评价年度", s("label")
    )
    ws.write_blank(z(L.YEAR_ROW), last, None, s("input"))
    ws.write_string(z(L.PROJECT_ROW), 0, "项目名称", s("label"))
    ws.merge_range(z(L.PROJECT_ROW), 1, z(L.PROJECT_ROW), last, "", s("input_left"))
    ws.write_string(z(L.DEPARTMENT_ROW), 0, "主管部门", s("label"))
    ws.merge_range(z(L.DEPARTMENT_ROW), 1, z(L.DEPARTMENT_ROW), 5, "", s("input_left"))
    ws.write_string(z(L.DEPARTMENT_ROW), 6, "实施单位", s("label"))
    ws.merge_range(z(L.DEPARTMENT_ROW), 7, z(L.DEPARTMENT_ROW), last, "", s("input_left"))
    _write_funds(ws, styles, profile, form, fx)

    g = z(L.GOAL_LABEL_ROW)
    ws.merge_range(g, 0, g + 1, 0, "年度总体目标", s("label"))
    ws.merge_range(g, 1, g, 5, "预期目标", s("label"))
    ws.merge_range(g, 6, g, last, "实际完成情况", s("label"))
    ws.merge_range(g + 1, 1, g + 1, 5, "", s("input_left"))
    ws.merge_range(g + 1, 6, g + 1, last, "", s("input_left"))
    ws.set_row(g + 1, 60)

    for c, label in enumerate(L.COLUMNS.values()):
        ws.write_string(z(L.HEADER_ROW), c, label, s("label"))
    for c, helper in enumerate(L.HELPERS, len(L.COLUMNS) + 1):
        ws.write_string(z(L.HEADER_ROW), c, f"px_{helper}", s("helper"))
    ws.set_row(z(L.HEADER_ROW), 30)
    _write_rows(ws, styles, form, fx)
    _write_summary(ws, styles, fx)
    add_checks(ws, styles, profile, form, fx.mode)
    _define_names(wb, L.FORM_SHEETS[form])

    print_and_protect(ws, L.HEADER_ROW, L.SIGN_ROW, last)


def print_and_protect(ws: Worksheet, header_row: int, sign_row: int, last: int) -> None:
    """A4 landscape, one page wide, the header row repeated, page numbers in Chinese; then
    the sheet protected with the empty password (rows and columns may still be resized),
    the same for every form so a clerk prints and unlocks them all alike."""
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(_zero(header_row))
    ws.print_area(0, 0, _zero(sign_row), last)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.protect("", {"format_rows": True, "format_columns": True})


def _zero(row: int) -> int:
    return row - 1


def _write_funds(ws: Worksheet, styles: Styles, profile: Profile, form: str, fx: Formulas):
    s, z = styles.get, _zero
    top, values = z(L.FUNDS_HEADER_ROW), z(L.FUNDS_ROW)
    ws.merge_range(top, 0, z(L.FUNDS_SOURCE_ROWS[-1]), 0, "项目资金（万元）", s("label"))
    ws.write_blank(top, 1, None, s("label"))
    for letter, label in L.FUNDS_COLUMNS.values():
        ws.write_string(f"{letter}{L.FUNDS_HEADER_ROW}", label, s("label"))
    ws.write_string(values, 1, "年度资金总额", s("label_left"))
    for key in L.FUNDS_INPUTS:
        ws.write_blank(f"{L.FUNDS_COLUMNS[key][0]}{L.FUNDS_ROW}", None, s("input_money"))
    for r, label in zip(L.FUNDS_SOURCE_ROWS, L.FUNDS_SOURCES, strict=True):
        ws.write_string(z(r), 1, label, s("fixed_left"))
        for key in L.FUNDS_INPUTS:
            ws.write_blank(f"{L.FUNDS_COLUMNS[key][0]}{r}", None, s("input_money"))
        for key in ("weight", "rate", "score"):
            ws.write_blank(f"{L.FUNDS_COLUMNS[key][0]}{r}", None, s("fixed"))
    weight, rate, score = (
        f"{L.FUNDS_COLUMNS[k][0]}{L.FUNDS_ROW}" for k in ("weight", "rate", "score")
    )
    funds = fx.funds()
    ws.write_formula(rate, f"={funds['rate']}", s("rate"), "")
    if form == "self":
        default = profile.execution.default_weight
        if default is None:
            ws.write_blank(weight, None, s("input_number"))
        else:
            ws.write_number(weight, float(default), s("input_number"))
        ws.write_formula(score, f"={funds['score']}", s("score"), "")
    else:  # the evaluation form scores 预算执行率 as a 过程 row
        ws.write_string(weight, "—", s("fixed"))
        ws.write_string(score, "—", s("fixed"))
    denominators = "、".join(guide.FUNDS_WORDS[f] for f in profile.execution.denominator)
    note = f"执行率 = 全年执行数 ÷ {denominators}（依次取第一个已填写的数）"
    if form == "eval":
        note += "；预算执行率在过程指标中计分"
    last = len(L.COLUMNS) - 1
    ws.merge_range(top, 9, z(L.FUNDS_SOURCE_ROWS[-1]), last, note, s("fixed_left"))


def _write_rows(ws: Worksheet, styles: Styles, form: str, fx: Formulas) -> None:
    s = styles.get
    common = L.COMMON_ROWS[form]
    skeleton = L.skeleton_rows(form)
    formats = {"entered": "input_number", "weight": "input_number", "reason": "input_left"}
    formats.update({"name": "input_left", "target": "input_number", "actual": "input_number"})
    for n in range(L.ROW_COUNT):
        r = L.FIRST_ROW + n
        prefill: dict[str, object] = {}
        if n < len(common):
            row = common[n]
            prefill = {"level1": row.level1, "level2": row.level2, "name": row.name}
            prefill["weight"] = row.weight
            if row.target is not None:
                prefill.update(zip(("nature", "target", "unit"), row.target, strict=True))
        elif n - len(common) < len(skeleton):
            prefill = dict(zip(("level1", "level2"), skeleton[n - len(common)], strict=True))
        for key in L.INPUT_COLUMNS:
            fmt = s(formats.get(key, "input"))
            value = prefill.get(key)
            cell = L.ref(key, r)
            if value is None:
                ws.write_blank(cell, None, fmt)
            elif isinstance(value, str):
                ws.write_string(cell, value, fmt)
            else:
                ws.write_number(cell, float(value), fmt)
        for key, formula in fx.row(r).items():
            fmt = s({"rate": "rate", "score": "score"}.get(key, "helper"))
            ws.write_formula(L.ref(key, r), f"={formula}", fmt, "")
        ws.set_row(r - 1, 20)


def _write_summary(ws: Worksheet, styles: Styles, fx: Formulas) -> None:
    s, z = styles.get, _zero
    entered, score = list(L.COLUMNS).index("entered"), list(L.COLUMNS).index("score")
    last = len(L.COLUMNS) - 1
    labels = {
        L.TOTAL_ROW: ("总分", "score"),
        L.GRADE_ROW: ("评价等级", "computed"),
        L.EXEC_ROW: ("预算执行率", "rate"),
        L.ARRIVAL_ROW: ("资金到位率", "rate"),
        L.COMPLETION_ROW: ("总体完成率", "rate"),
        L.DEVIATION_ROW: ("偏差（总体完成率 − 预算执行率，百分点）", "score"),
    }
    formulas = fx.summary()
    for row, (label, fmt) in labels.items():
        label_end = 6 if row == L.TOTAL_ROW else 7  # 总分 shows the points total in 分值
        ws.merge_range(z(row), 0, z(row), label_end, label, s("label"))
        ws.merge_range(z(row), entered, z(row), score, "", s(fmt))
        ws.write_formula(
            L.summary_ref(row).replace("$", ""), f"={formulas[L.summary_ref(row)]}", s(fmt), ""
        )
        note = f"$L${row}"
        if note in formulas:
            ws.write_formula(note.replace("$", ""), f"={formulas[note]}", s("fixed_left"), "")
        else:
            ws.write_blank(z(row), last, None, s("fixed_left"))
    ws.write_formula(f"H{L.TOTAL_ROW}", f"={formulas[f'$H${L.TOTAL_ROW}']}", s("score"), "")
    for key in L.SUMMARY_HELPERS:
        cell = L.summary_helper(key)
        ws.write_formula(cell.replace("$", ""), f"={formulas[cell]}", s("helper"), "")
    ws.merge_range(
        z(L.SIGN_ROW), 0, z(L.SIGN_ROW), last,
        "填表人：　　　　　　　　联系电话：　　　　　　　　填报日期：　　　　年　　月　　日",
        s("note"),
    )  # fmt: skip


def _define_names(wb, sheet: str) -> None:
    q = L.quoted(sheet)
    for name, row in L.KEY_NAMES.items():
        wb.define_name(name, f"={q}!{L.summary_ref(row)}")
    wb.define_name("PX_WEIGHT_TOTAL", f"={q}!$H${L.TOTAL_ROW}")
    funds = L.FUNDS_COLUMNS
    wb.define_name(
        "PX_FUNDS",
        f"={q}!${funds['initial_budget'][0]}${L.FUNDS_ROW}:${funds['score'][0]}${L.FUNDS_ROW}",
    )
    wb.define_name("PX_INDICATORS", f"={q}!$A${L.FIRST_ROW}:${L.LAST_COLUMN}${L.LAST_ROW}")
