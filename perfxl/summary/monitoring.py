"""The 监控汇总 sheet: a monitoring round (双监控) of the county on one sheet.

Seed 004 reports each round as projects, amount and overall progress against 序时进度
(May: 130 projects, 24,066 万元, 46 % against 41.7 %). The sheet gives, per round
(monitoring month): those figures and the projects per light; per 主管部门 the same with
a chart of execution rate against 序时进度; and the 预警清单 — every 红 or 黄 project with
the indicators that lag and the unit's 偏差原因 and 原因说明.

Only counting and adding happen here. Every light, 执行率 and 序时进度 of a project is
the engine's (perfxl.monitoring.lights through perfxl.monitoring.engine, carried by the
batch payload); a department's or the county's 执行率 over summed amounts and its
execution light are asked of the same functions (lights.execution_rate,
lights.execution_light) with the default profile's digits and [monitoring] thresholds.

The sheet is written only when the run found monitoring tables, so a folder of 自评表
alone gives the same workbook as before; 自评表 sheets never list monitoring tables.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfxl.batch.ledger import Consolidation
from perfxl.batch.monitored import MonitoringEntry
from perfxl.monitoring.lights import (
    ORDER,
    execution_light,
    execution_rate,
    execution_ratio,
    time_progress,
)
from perfxl.rounding import excel_round
from perfxl.summary.aggregate import COUNTY_TOTAL, settings
from perfxl.summary.table import Formats, print_setup, put, text_width

MONITORING = "监控汇总"
LIGHTS = tuple(str(light) for light in ORDER)  # 红 黄 蓝 绿: worst first
NO_MONTH = "监控月份未注明"
ALERT_TITLE = "预警清单（红灯、黄灯项目）"
DEPARTMENT_TITLE = "各主管部门监控情况"
ROUND_TITLE = "监控轮次概况"
_BLUE = {"bg_color": "#DDEBF7", "font_color": "#1F4E79"}


@dataclass
class MonitorStats:
    """One department's (or the county's) figures in one round."""

    name: str
    month: int | None
    projects: int = 0
    amount: Decimal | None = None  # 全年预算数 (年初预算数 where blank), 万元
    spent: Decimal | None = None  # 1-N月执行数, 万元
    execution_rate: Decimal | None = None
    lights: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LIGHTS, 0))
    unjudged: int = 0  # no light: the table lacked what the engine needs


def monitored(c: Consolidation) -> list[MonitoringEntry]:
    """The counted monitoring projects of the run (a repeated one is listed, not counted)."""
    return [e for e in getattr(c, "monitored", ()) if e.counted]


def months(c: Consolidation) -> list[int | None]:
    """The rounds of the run in calendar order (an unknown month last)."""
    found = {e.month for e in monitored(c)}
    return sorted(found, key=lambda m: (m is None, m or 0))


def round_name(month: int | None) -> str:
    return f"{month}月" if month is not None else NO_MONTH


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def stats(name: str, month: int | None, entries: list[MonitoringEntry], c: Consolidation):
    """Counts and sums of `entries`; the rate over the projects reporting both an amount
    and spending (a partial sum is never divided by the whole)."""
    s = MonitorStats(name, month, projects=len(entries))
    s.amount = _sum(e.amount for e in entries)
    s.spent = _sum(e.spent for e in entries)
    paired = [e for e in entries if e.amount is not None and e.spent is not None]
    if paired:
        s.execution_rate = execution_rate(
            _sum(e.spent for e in paired), _sum(e.amount for e in paired), None,
            c.profile.rate_digits,
        )  # fmt: skip
    for e in entries:
        if e.light in s.lights:
            s.lights[e.light] += 1
        else:
            s.unjudged += 1
    return s


def county_light(s: MonitorStats, c: Consolidation) -> str | None:
    """The execution light of summed figures, by the default profile's thresholds."""
    if s.execution_rate is None or s.month is None:
        return None
    return str(execution_light(s.execution_rate, time_progress(s.month), c.profile.monitoring))


def shown_progress(month: int | None, c: Consolidation) -> Decimal | None:
    """序时进度 as shown (rounded half up to the profile's rate digits, as the engine
    reports each table's)."""
    if month is None:
        return None
    return excel_round(time_progress(month), c.profile.rate_digits)


def shown_ratio(s: MonitorStats, c: Consolidation) -> Decimal | None:
    if s.execution_rate is None or s.month is None:
        return None
    ratio = execution_ratio(s.execution_rate, time_progress(s.month))
    return excel_round(ratio, c.profile.rate_digits)


def by_round(c: Consolidation) -> list[tuple[MonitorStats, list[MonitorStats]]]:
    """Per round: the county's figures and each department's in name order."""
    rounds = []
    for month in months(c):
        entries = [e for e in monitored(c) if e.month == month]
        groups: dict[str, list[MonitoringEntry]] = {}
        for e in entries:
            groups.setdefault(e.department, []).append(e)
        departments = [stats(name, month, groups[name], c) for name in sorted(groups)]
        rounds.append((stats(COUNTY_TOTAL, month, entries, c), departments))
    return rounds


def overview_rounds(c: Consolidation) -> list[tuple[str, int, Decimal | None, Decimal | None]]:
    """(round, projects, 万元, 执行率) per round for 总览 (perfxl.summary.overview)."""
    return [
        (round_name(county.month), county.projects, county.amount, county.execution_rate)
        for county, _ in by_round(c)
    ]


def alerts(c: Consolidation) -> list[MonitoringEntry]:
    """Every counted 红 or 黄 project, worst first, then by round, department and list order."""
    warned = [e for e in monitored(c) if e.warned]
    return sorted(warned, key=lambda e: (LIGHTS.index(e.light), e.month or 0, e.department))


def _flagged(e: MonitoringEntry) -> str:
    return "；".join(f"{a.name}（{a.light}）" for a in e.alerts if a.light in ("红", "黄"))


def _causes(e: MonitoringEntry) -> str:
    return "；".join(f"{a.name}：{a.causes}" for a in e.alerts if a.causes)


def _likelihoods(e: MonitoringEntry) -> str:
    """The answers on the rows that light 红 or 黄 (a red row the unit is sure of says so)."""
    shown = [
        f"{a.name}：{a.likelihood}" for a in e.alerts if a.likelihood and a.light in ("红", "黄")
    ]
    return "；".join(shown)


def _reasons(e: MonitoringEntry) -> str:
    return "；".join(f"{a.name}：{a.reason}" for a in e.alerts if a.reason)


# --------------------------------------------------------------------------- writing

_ROUND_COLUMNS = (
    ("监控月份", "text"), ("序时进度", "rate"), ("监控项目数", "int"),
    ("全年预算数合计（万元）", "money"), ("累计执行数合计（万元）", "money"),
    ("预算执行率", "rate"), ("执行率 ÷ 序时进度", "rate"), ("执行进度灯", "text"),
    *((f"{light}灯项目数", "int") for light in LIGHTS), ("未判定项目数", "int"),
)  # fmt: skip
_DEPARTMENT_COLUMNS = (
    ("监控月份", "text"), ("主管部门", "text"), ("项目数", "int"),
    ("全年预算数合计（万元）", "money"), ("累计执行数合计（万元）", "money"),
    ("预算执行率", "rate"), ("序时进度", "rate"),
    *((f"{light}灯（个）", "int") for light in LIGHTS),
)  # fmt: skip
_ALERT_COLUMNS = (
    ("序号", "int"), ("主管部门", "text"), ("项目名称", "text"), ("监控月份", "text"),
    ("项目预警灯", "text"), ("执行进度灯", "text"), ("全年预算数（万元）", "money"),
    ("累计执行数（万元）", "money"), ("预算执行率", "rate"), ("序时进度", "rate"),
    ("预警指标", "text"), ("偏差原因", "text"), ("完成目标可能性", "text"),
    ("原因说明及改进措施", "text"), ("实施单位", "text"), ("来源文件", "text"), ("工作表", "text"),
)  # fmt: skip
_PRINTED = 14  # 实施单位, 来源文件 and 工作表 trace a row on screen; left off paper
# One width per column for the three tables stacked on the sheet (Excel characters):
# the department names of 各主管部门 share column B with the 预警清单's.
_WIDTHS = (8, 30, 24, 13, 13, 10, 12, 12, 10, 10, 24, 20, 16, 40, 24, 40, 16)
_WRAPPED = frozenset(range(10, 15))  # the 预警清单's texts wrap within their width


def _round_row(county: MonitorStats, c: Consolidation) -> list:
    return [
        round_name(county.month), shown_progress(county.month, c), county.projects,
        county.amount, county.spent, county.execution_rate, shown_ratio(county, c),
        county_light(county, c), *(county.lights[light] for light in LIGHTS), county.unjudged,
    ]  # fmt: skip


def _department_row(s: MonitorStats, c: Consolidation) -> list:
    return [
        round_name(s.month), s.name, s.projects, s.amount, s.spent, s.execution_rate,
        shown_progress(s.month, c), *(s.lights[light] for light in LIGHTS),
    ]  # fmt: skip


def _alert_row(n: int, e: MonitoringEntry) -> list:
    return [
        n, e.department, e.project, round_name(e.month), e.light, e.execution_light, e.amount,
        e.spent, e.execution_rate, e.time_progress, _flagged(e), _causes(e), _likelihoods(e),
        _reasons(e), e.unit, e.file, e.sheet,
    ]  # fmt: skip


def _table(
    ws: Worksheet, formats: Formats, top: int, columns: tuple, rows: list[list], wrap=frozenset()
) -> int:
    """Header at `top`, rows below (texts in `wrap` columns wrapped); the row after the last."""
    for col, (title, _) in enumerate(columns):
        ws.write_string(top, col, title, formats.header)
    for n, values in enumerate(rows, start=top + 1):
        lines = 1
        for col, ((_, kind), value) in enumerate(zip(columns, values, strict=True)):
            if col in wrap and isinstance(value, str) and value:
                ws.write_string(n, col, value, formats.wrap)
                lines = max(lines, math.ceil(text_width(value) / (_WIDTHS[col] - 1)))
            else:
                put(ws, n, col, value, formats, kind)
        if lines > 1:  # XlsxWriter cannot autofit: a height that shows the wrapped text
            ws.set_row(n, 13.5 * lines)
    ws.set_row(top, 30)
    return top + 1 + len(rows)


def _light_formats(book: Workbook, ws: Worksheet, formats: Formats, area: tuple) -> None:
    blue = book.add_format(_BLUE)
    colours = {"红": formats.bad, "黄": formats.warn, "绿": formats.good, "蓝": blue}
    first_row, first_col, last_row, last_col = area
    for light, fmt in colours.items():
        ws.conditional_format(first_row, first_col, last_row, last_col, {
            "type": "cell", "criteria": "==", "value": f'"{light}"', "format": fmt,
        })  # fmt: skip


CHART_ROWS = 22  # rows a round's chart takes below the department table


def write_monitoring(book: Workbook, formats: Formats, c: Consolidation) -> Worksheet | None:
    """The 监控汇总 sheet, or nothing when the run found no monitoring table."""
    rounds = by_round(c)
    if not rounds:
        return None
    ws = book.add_worksheet(MONITORING)
    county = settings(c)
    year = f"{county.year}年度" if county.year else ""
    ws.write_string(0, 0, f"{county.name}{year}项目支出绩效运行监控汇总", formats.title)
    m = c.profile.monitoring
    ws.write_string(1, 0, (
        "预算执行率 = 累计执行数 ÷ 全年预算数（未填时为年初预算数）；序时进度 = 监控月份 ÷ 12。"
        f"执行进度灯按评分规则 {c.profile.name}：执行率 ÷ 序时进度 低于 {m.execution_red:g} 为红灯、"
        f"低于 {m.execution_yellow:g} 为黄灯，其余为绿灯；指标进度低于 {m.indicator_red:g} 红、"
        f"低于 {m.indicator_yellow:g} 黄、达到 {m.indicator_blue:g} 及以上为蓝灯（目标可能偏低）；"
        "项目预警灯取执行进度灯与各指标灯中最差者（红、黄、蓝、绿）。"
    ), formats.kinds["text"])  # fmt: skip
    ws.write_string(3, 0, ROUND_TITLE, formats.label)
    end = _table(ws, formats, 4, _ROUND_COLUMNS, [_round_row(s, c) for s, _ in rounds])
    _light_formats(book, ws, formats, (5, 7, end - 1, 7))

    top = end + 1
    ws.write_string(top, 0, DEPARTMENT_TITLE, formats.label)
    body: list[list] = []
    spans = []  # (month, first row, last row) of each round's departments, for its chart
    for county_stats, departments in rounds:
        first = top + 2 + len(body)
        body.extend(_department_row(s, c) for s in departments)
        spans.append((county_stats.month, first, top + 1 + len(body)))
        body.append(_department_row(county_stats, c))
    end = _table(ws, formats, top + 1, _DEPARTMENT_COLUMNS, body)
    for n, (month, first, last) in enumerate(spans):
        _chart(book, ws, month, first, last, end + 1 + n * CHART_ROWS)

    top = end + 1 + len(spans) * CHART_ROWS
    warned = alerts(c)
    ws.write_string(top, 0, f"{ALERT_TITLE}：{len(warned)} 个", formats.label)
    rows = [_alert_row(n, e) for n, e in enumerate(warned, start=1)]
    end = _table(ws, formats, top + 1, _ALERT_COLUMNS, rows, _WRAPPED)
    if rows:
        _light_formats(book, ws, formats, (top + 2, 4, end - 1, 5))
        ws.autofilter(top + 1, 0, end - 1, len(_ALERT_COLUMNS) - 1)
    for col, width in enumerate(_WIDTHS):
        ws.set_column(col, col, width)
    print_setup(ws, header_row=None)
    ws.print_area(0, 0, max(end - 1, top + 1), _PRINTED - 1)
    return ws


def _chart(book: Workbook, ws: Worksheet, month, first: int, last: int, row: int) -> None:
    """Execution rate per department (columns) against 序时进度 (a line)."""
    if last < first:
        return
    name = ws.name
    columns = book.add_chart({"type": "column"})
    columns.add_series({
        "name": "预算执行率",
        "categories": [name, first, 1, last, 1],
        "values": [name, first, 5, last, 5],
        "fill": {"color": "#4472C4"},
    })  # fmt: skip
    line = book.add_chart({"type": "line"})
    line.add_series({
        "name": "序时进度",
        "categories": [name, first, 1, last, 1],
        "values": [name, first, 6, last, 6],
        "line": {"color": "#C00000", "dash_type": "dash", "width": 2},
        "marker": {"type": "none"},
    })  # fmt: skip
    columns.combine(line)
    columns.set_title({"name": f"{round_name(month)}各主管部门预算执行率与序时进度"})
    columns.set_y_axis({"name": "比例", "num_format": "0%", "min": 0,
                        "major_gridlines": {"visible": True}})  # fmt: skip
    columns.set_x_axis({"num_font": {"rotation": -45}})
    columns.set_legend({"position": "bottom"})
    ws.insert_chart(row, 1, columns, {"x_scale": 2.2, "y_scale": 1.4})


def console_lines(c: Consolidation) -> list[str]:
    """One line per round for the console (`perfxl consolidate`, `perfxl demo`)."""
    lines = []
    for county, _ in by_round(c):
        rate = "—" if county.execution_rate is None else f"{county.execution_rate:.2%}"
        progress = shown_progress(county.month, c)
        schedule = "—" if progress is None else f"{progress:.2%}"
        amount = "—" if county.amount is None else f"{county.amount:,.2f}"
        lights = "，".join(f"{light} {county.lights[light]}" for light in LIGHTS)
        light = county_light(county, c)
        lines.append(
            f"{round_name(county.month)}绩效监控：项目 {county.projects} 个，资金 {amount} 万元，"
            f"预算执行率 {rate}（序时进度 {schedule}"
            + (f"，{light}灯" if light else "")
            + f"）；项目预警灯：{lights}"
        )
    warned = len(alerts(c))
    if lines:
        lines.append(f"预警清单（红灯、黄灯）{warned} 个项目，见汇总的“{MONITORING}”工作表")
    return lines


def monitoring_definitions(c: Consolidation) -> list[str]:
    """The 说明 sheet's lines on monitoring tables, when the run found any."""
    if not getattr(c, "monitored", None):
        return []
    return [
        f"绩效监控表（项目支出绩效目标执行监控表）只计入“{MONITORING}”工作表，不计入项目汇总、单位汇总、"
        "等级分布和结果应用；各项目的执行率、序时进度和预警灯由 perfxl 按该文件所用评分规则的 [monitoring] "
        "阈值重新计算，部门与全县合计的执行进度灯按默认评分规则。",
        "同一单位的同一项目在同一监控月份提交两份监控表时，后一份列入问题清单、不计入监控汇总（PX902）。",
    ]
