"""Write the 项目支出绩效目标执行监控表 template (`perfxl template --form monitor`).

The same machinery as the 自评表 templates (perfxl.template.builder): XlsxWriter, fixed
creation date (rebuilding gives the same bytes), a 填表说明 sheet, the form sheet with
drop-downs, protection, print set-up and named key cells, and hidden meta and list
sheets. Positions are perfxl.template.monitor_layout; formula text is
perfxl.template.monitor_formulas (plain: ordinary functions; udf: PERF_TIME_PROGRESS
and PERF_MONITOR_LIGHT). The lights get their fills by conditional formats on the
cell's word, so Excel, WPS and LibreOffice colour them alike.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from perfxl.profiles import Profile
from perfxl.template import layout as SL
from perfxl.template import monitor_layout as M
from perfxl.template.builder import print_and_protect
from perfxl.template.meta import write_meta
from perfxl.template.monitor_formulas import MonitorFormulas, settings_of
from perfxl.template.monitor_guide import guide_lines
from perfxl.template.styles import COMPUTED_FILL, INPUT_FILL, Styles


def build_monitor(profile: Profile, formulas: str, path: Path) -> Path:
    """Write the monitoring template for `profile` at `path` (atomically) and return it."""
    if formulas not in SL.FORMULA_MODES:
        raise ValueError(f"formulas must be one of {SL.FORMULA_MODES}, not {formulas!r}")
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    try:
        _write(temp, profile, formulas)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def _write(path: Path, profile: Profile, mode: str) -> None:
    from perfxl.template.builder import CREATED

    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties(
        {
            "title": M.TITLE,
            "subject": f"评分规则 {profile.name}",
            "author": "perfxl",
            "company": "",
            "comments": f"perfxl template {SL.TEMPLATE_VERSION}",
            "created": CREATED,
        }
    )
    styles = _Styles(wb)
    guide = wb.add_worksheet(SL.GUIDE_SHEET)
    sheet = wb.add_worksheet(M.SHEET)
    meta = wb.add_worksheet(SL.META_SHEET)
    lists = wb.add_worksheet(SL.LISTS_SHEET)
    write_meta(wb, meta, profile, M.FORM, mode)
    _write_lists(wb, lists)
    _write_guide(guide, styles, profile, mode)
    _write_form(wb, sheet, styles, MonitorFormulas(profile, mode))
    sheet.activate()
    wb.close()


class _Styles(Styles):
    """The 自评表 formats plus the light cells and the lights' conditional fills."""

    SPECS: ClassVar[dict[str, dict[str, Any]]] = {
        **Styles.SPECS,
        "light": {"bold": True, "align": "center", "bg_color": COMPUTED_FILL},
        "progress": {"bg_color": COMPUTED_FILL, "num_format": "0.00%", "align": "center"},
        "month": {"locked": False, "bg_color": INPUT_FILL, "align": "center", "num_format": "0"},
        "date": {
            "locked": False,
            "bg_color": INPUT_FILL,
            "align": "center",
            "num_format": "yyyy-mm-dd",
        },
        **{f"fill_{word}": {"bg_color": fill} for word, fill in M.LIGHT_FILLS.items()},
    }

    def get(self, name: str) -> Format:
        if name.startswith("fill_") and name not in self._cache:  # fill only
            self._cache[name] = self.workbook.add_format(dict(self.SPECS[name]))
        return super().get(name)


# --- hidden sheets ----------------------------------------------------------------------


def _write_lists(wb, ws: Worksheet) -> None:
    every = tuple(dict.fromkeys(x for l2s in M.LEVELS.values() for x in l2s))
    columns: list[tuple[str, tuple]] = [
        ("PX_MONTHS", M.MONTHS),
        ("PX_L1", tuple(M.LEVELS)),
        *((f"PX_L2_{i}", l2s) for i, l2s in enumerate(M.LEVELS.values(), 1)),
        ("PX_L2_ALL", every),
        ("PX_UNITS", M.UNITS),
        ("PX_QUAL", M.GRADES),
        ("PX_CAUSES", M.CAUSES),
        ("PX_LIKELIHOOD", M.LIKELIHOOD),
    ]
    for c, (name, values) in enumerate(columns):
        ws.write_string(0, c, name)
        for r, value in enumerate(values, 1):
            if isinstance(value, str):
                ws.write_string(r, c, value)
            else:
                ws.write_number(r, c, value)
        letter = xlsxwriter.utility.xl_col_to_name(c)
        wb.define_name(name, f"={SL.LISTS_SHEET}!${letter}$2:${letter}${len(values) + 1}")
    ws.hide()
    ws.protect("")


# --- 填表说明 ------------------------------------------------------------------------------


def _write_guide(ws: Worksheet, styles: Styles, profile: Profile, mode: str) -> None:
    text, heading = styles.get("text"), styles.get("heading")
    ws.set_column(0, 3, 24)
    ws.merge_range(0, 0, 0, 3, f"{M.TITLE}填表说明", styles.get("title"))
    ws.set_row(0, 28)
    r = 2
    for head, lines in guide_lines(settings_of(profile), mode):
        ws.merge_range(r, 0, r, 3, head, heading)
        r += 1
        for n, line in enumerate(lines, 1):
            ws.merge_range(r, 0, r, 3, f"{n}. {line}", text)
            ws.set_row(r, 15 * max(1, -(-len(line) // 50)))
            r += 1
        r += 1
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"format_rows": True, "format_columns": True})


# --- the form ---------------------------------------------------------------------------


def _write_form(wb, ws: Worksheet, styles: Styles, fx: MonitorFormulas) -> None:
    s = styles.get
    last = len(M.COLUMNS) - 1
    for key, width in M.WIDTHS.items():
        c = M.col_index(key)
        ws.set_column(c, c, width)
    ws.set_column(len(M.COLUMNS), len(M.COLUMNS), 2, None, {"hidden": True})
    ws.set_column(f"{M.COL['l1']}:{M.COL[M.HELPERS[-1]]}", 8, s("helper"), {"hidden": True})

    z = _zero
    ws.merge_range(z(M.TITLE_ROW), 0, z(M.TITLE_ROW), last, M.TITLE, s("title"))
    ws.set_row(z(M.TITLE_ROW), 30)
    _write_header(ws, styles, fx)
    _write_funds(ws, styles, fx)
    g = z(M.GOAL_LABEL_ROW)
    ws.merge_range(g, 0, g + 1, 0, "年度总体目标", s("label"))
    ws.merge_range(g, 1, g, 6, "预期目标", s("label"))
    ws.merge_range(g, 7, g, last, "目标执行情况", s("label"))
    ws.merge_range(g + 1, 1, g + 1, 6, "", s("input_left"))
    ws.merge_range(g + 1, 7, g + 1, last, "", s("input_left"))
    ws.set_row(g + 1, 45)

    for c, (key, label) in enumerate(M.COLUMNS.items()):
        if key == "actual":
            ws.write_formula(z(M.HEADER_ROW), c, f"={M.month_label(label)}", s("label"), label)
        else:
            ws.write_string(z(M.HEADER_ROW), c, label, s("label"))
    for c, helper in enumerate(M.HELPERS, len(M.COLUMNS) + 1):
        ws.write_string(z(M.HEADER_ROW), c, f"px_{helper}", s("helper"))
    ws.set_row(z(M.HEADER_ROW), 30)
    _write_rows(ws, styles, fx)
    p = z(M.PROJECT_LIGHT_ROW)
    light = M.col_index("light")
    ws.merge_range(p, 0, p, light - 1, "项目灯（执行灯与各指标灯中最差者）", s("label"))
    ws.write_formula(p, light, f"={fx.project_light()}", s("light"), "")
    ws.merge_range(
        p,
        light + 1,
        p,
        last,
        "灯：红 严重偏离；黄 有偏离；绿 正常；蓝 大幅超前（指标值可能定得偏低）",
        s("fixed_left"),
    )
    ws.merge_range(
        z(M.SIGN_ROW), 0, z(M.SIGN_ROW), last,
        "填表人：　　　　　　　　联系电话：　　　　　　　　填报日期：　　　　年　　月　　日",
        s("note"),
    )  # fmt: skip
    _checks(ws, styles, fx)
    q = SL.quoted(M.SHEET)
    for name, cell in M.KEY_NAMES.items():
        wb.define_name(name, f"={q}!{cell}")
    wb.define_name("PX_INDICATORS", f"={q}!$A${M.FIRST_ROW}:${M.LAST_COLUMN}${M.LAST_ROW}")

    print_and_protect(ws, M.HEADER_ROW, M.SIGN_ROW, last)


def _zero(row: int) -> int:
    return row - 1


def _write_header(ws: Worksheet, styles: Styles, fx: MonitorFormulas) -> None:
    s, z = styles.get, _zero
    last = len(M.COLUMNS) - 1
    y = z(M.YEAR_ROW)
    ws.write_string(y, 0, "年度", s("label"))
    ws.write_blank(M.YEAR_CELL, None, s("input"))
    ws.write_string(y, 2, "监控月份", s("label"))
    ws.write_blank(M.MONTH_CELL, None, s("month"))
    ws.write_string(y, 4, "填报日期", s("label"))
    ws.write_blank(M.DATE_CELL, None, s("date"))
    note = "序时进度 = 监控月份 ÷ 12（见资金栏）；金额单位：万元"
    ws.merge_range(y, 6, y, last, note, s("fixed_left"))
    ws.write_string(z(M.PROJECT_ROW), 0, "项目名称", s("label"))
    ws.merge_range(z(M.PROJECT_ROW), 1, z(M.PROJECT_ROW), last, "", s("input_left"))
    d = z(M.DEPARTMENT_ROW)
    ws.write_string(d, 0, "主管部门", s("label"))
    ws.merge_range(d, 1, d, 5, "", s("input_left"))
    ws.write_string(d, 6, "实施单位", s("label"))
    ws.merge_range(d, 7, d, last, "", s("input_left"))


def _write_funds(ws: Worksheet, styles: Styles, fx: MonitorFormulas) -> None:
    s, z = styles.get, _zero
    top = z(M.FUNDS_HEADER_ROW)
    ws.merge_range(top, 0, z(M.FUNDS_SOURCE_ROWS[-1]), 0, "项目资金（万元）", s("label"))
    ws.write_blank(top, 1, None, s("label"))
    tp = M.col_index_of(M.FUNDS_COLUMNS["time_progress"])
    ws.merge_range(top, tp, top, tp + 1, "", s("label"))
    for key, label in M.FUNDS_LABELS.items():
        cell = f"{M.FUNDS_COLUMNS[key]}{M.FUNDS_HEADER_ROW}"
        if label.startswith("1-N月"):
            ws.write_formula(cell, f"={M.month_label(label)}", s("label"), label)
        else:
            ws.write_string(cell, label, s("label"))
    labels = ("年度资金总额", *M.FUNDS_SOURCES)
    for r, label in zip(M.FUNDS_ROWS, labels, strict=True):
        ws.write_string(z(r), 1, label, s("label_left" if r == M.FUNDS_ROW else "fixed_left"))
        for key in M.FUNDS_INPUTS:
            ws.write_blank(M.funds_ref(key, r), None, s("input_money"))
        ws.write_formula(M.funds_ref("rate", r), f"={fx.funds_rate(r)}", s("rate"), "")
        tp = M.col_index_of(M.FUNDS_COLUMNS["time_progress"])
        ws.merge_range(z(r), tp, z(r), tp + 1, "", s("progress" if r == M.FUNDS_ROW else "fixed"))
        if r != M.FUNDS_ROW:
            for key in ("progress", "light"):
                ws.write_blank(M.funds_ref(key, r), None, s("fixed"))
    ws.write_formula(M.PROGRESS_CELL, f"={fx.time_progress()}", s("progress"), "")
    ws.write_formula(M.funds_ref("progress"), f"={fx.exec_progress()}", s("progress"), "")
    ws.write_formula(M.funds_ref("light"), f"={fx.exec_light()}", s("light"), "")
    ws.write_formula(M.EXEC_RANK.replace("$", ""), f"={fx.exec_rank()}", s("helper"), "")
    last = len(M.COLUMNS) - 1
    note = M.col_index_of(M.FUNDS_COLUMNS["light"]) + 1
    ws.merge_range(top, note, z(M.FUNDS_SOURCE_ROWS[-1]), last, fx.funds_note(), s("fixed_left"))


def _write_rows(ws: Worksheet, styles: Styles, fx: MonitorFormulas) -> None:
    s = styles.get
    skeleton = M.skeleton_rows()
    formats = {"target": "input_number", "actual": "input_number", "predicted": "input_number"}
    formats.update({"name": "input_left", "reason": "input_left", "measures": "input_left"})
    computed = {"progress": "progress", "light": "light"}
    for n in range(M.ROW_COUNT):
        r = M.FIRST_ROW + n
        prefill = (
            dict(zip(("level1", "level2"), skeleton[n], strict=True)) if n < len(skeleton) else {}
        )
        for key in M.INPUT_COLUMNS:
            fmt = s(formats.get(key, "input"))
            value = prefill.get(key)
            if value is None:
                ws.write_blank(M.ref(key, r), None, fmt)
            else:
                ws.write_string(M.ref(key, r), value, fmt)
        for key, formula in fx.row(r).items():
            ws.write_formula(M.ref(key, r), f"={formula}", s(computed.get(key, "helper")), "")
        ws.set_row(r - 1, 20)


def _checks(ws: Worksheet, styles: Styles, fx: MonitorFormulas) -> None:
    """Drop-downs, input checks and the light fills."""
    first, last = M.FIRST_ROW - 1, M.LAST_ROW - 1
    col = M.col_index

    def dv(key: str, options: dict) -> None:
        ws.data_validation(first, col(key), last, col(key), options)

    month = _list("=PX_MONTHS", "监控月份", "请选择监控截至的月份（1–12），序时进度 = 月份 ÷ 12")
    ws.data_validation(M.MONTH_CELL, month)
    ws.data_validation(
        M.DATE_CELL,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": date(2000, 1, 1),
            "maximum": date(2100, 12, 31),
            "input_title": "填报日期",
            "input_message": "填表的日期，如 2024-06-30；监控月份不应晚于它",
            "error_title": "填报日期",
            "error_message": "请填写日期，如 2024-06-30",
        },
    )
    r = M.FIRST_ROW
    dv("level1", _list("=PX_L1", "一级指标", "请从下拉列表选择一级指标"))
    l1 = f"${M.COL['l1']}{r}"
    level2 = f'=INDIRECT(IF({l1}="","PX_L2_ALL","PX_L2_"&MATCH({l1},PX_L1,0)))'
    dv("level2", _list(level2, "二级指标", "请选择所选一级指标下的二级指标"))
    dv("nature", _list(list(M.NATURES), "指标性质", "≥ 正向，≤ 反向（上限），等于，定性 文字表述"))
    d, e = M.ref("nature", r), M.ref("target", r)
    dv(
        "target",
        {
            "validate": "custom",
            # a number needs its sign first: a bare figure is left to perfxl (marked red)
            "value": (
                f'=IF(${d}="{M.QUALITATIVE}",NOT(ISNUMBER({e})),'
                f"AND(ISNUMBER({e}),LEN(TRIM(${d}))>0))"
            ),
            "input_title": "年度指标值",
            "input_message": "先选指标性质；定量指标填数字（百分比填 95 而非 95%），定性指标填文字",
            "error_title": "年度指标值",
            "error_message": (
                "定量指标须先在指标性质中选择 ≥、≤ 或 等于，年度指标值填数字；"
                "定性指标请在指标性质中选择“定性”"
            ),
        },
    )
    dv("unit", _list("=PX_UNITS", "计量单位", "请从下拉列表选择计量单位；定性指标留空"))
    for key, title in (("actual", "截至监控月份的实际完成值"), ("predicted", "全年预计完成值")):
        options = _list(
            "=PX_QUAL", title, f"{title}：定量指标填数字（与指标值同单位），定性指标选择达成档次"
        )
        options["show_error"] = False
        dv(key, options)
    dv(
        "cause",
        _list("=PX_CAUSES", "偏差原因分析", "红灯、黄灯须选择主要偏差原因，并在原因说明中写明"),
    )
    dv("likelihood", _list("=PX_LIKELIHOOD", "完成目标可能性", "确定能 / 有可能 / 完全不可能"))
    money = {
        "validate": "decimal",
        "criteria": "between",
        "minimum": 0,
        "maximum": 1e12,
        "input_title": "资金（万元）",
        "input_message": "以万元为单位",
        "error_title": "资金（万元）",
        "error_message": "资金须为不小于 0 的数（万元）",
    }
    for key in M.FUNDS_INPUTS:
        c = M.FUNDS_COLUMNS[key]
        ws.data_validation(f"{c}{M.FUNDS_ROW}:{c}{M.FUNDS_SOURCE_ROWS[-1]}", money)
    # the lights' fills, on the word the cell shows
    lights = [
        f"{M.funds_ref('light')}",
        f"{M.COL['light']}{M.FIRST_ROW}:{M.COL['light']}{M.LAST_ROW}",
        f"{M.COL['light']}{M.PROJECT_LIGHT_ROW}",
    ]
    for area in lights:
        top = area.split(":")[0]
        for word in M.LIGHT_FILLS:
            ws.conditional_format(
                area,
                {
                    "type": "formula",
                    "criteria": f'={top}="{word}"',
                    "format": styles.get(f"fill_{word}"),
                },
            )
    # red: what the formulas cannot read (a number target without 指标性质, a figure
    # that is no number, a grade that is none of the three)
    k = {key: f"${M.COL[key]}{r}" for key in M.COL}
    unread = {
        "nature": f"=AND(ISNUMBER({k['target']}),LEN(TRIM({k['nature']}))=0)",
        "actual": f'=AND(LEN(TRIM({k["actual"]}))>0,{k["kind"]}<>"",NOT(ISNUMBER({k["act"]})))',
        "predicted": (
            f'=AND(LEN(TRIM({k["predicted"]}))>0,{k["kind"]}<>"",NOT(ISNUMBER({k["pred"]})))'
        ),
    }
    for key, criteria in unread.items():
        ws.conditional_format(
            first, col(key), last, col(key),
            {"type": "formula", "criteria": criteria, "format": styles.get("error")},
        )  # fmt: skip
    # 原因说明 wanted: a 红/黄 light or a doubtful answer (warn fill)
    c = {k: f"${M.COL[k]}{r}" for k in ("light", "likelihood", "reason", "cause")}
    wanted = (
        f'=AND(LEN(TRIM({c["reason"]}))=0,OR({c["light"]}="红",{c["light"]}="黄",'
        f'{c["likelihood"]}="有可能",{c["likelihood"]}="完全不可能"))'
    )
    ws.conditional_format(
        first, col("reason"), last, col("reason"),
        {"type": "formula", "criteria": wanted, "format": styles.get("warn")},
    )  # fmt: skip
    cause = f'=AND(LEN(TRIM({c["cause"]}))=0,{c["light"]}="红")'
    ws.conditional_format(
        first, col("cause"), last, col("cause"),
        {"type": "formula", "criteria": cause, "format": styles.get("warn")},
    )  # fmt: skip


def _list(source, title: str, message: str) -> dict:
    return {
        "validate": "list",
        "source": source,
        "input_title": title,
        "input_message": message,
        "error_title": title,
        "error_message": message,
    }
