"""The six sheets of the county summary, each from the ledger and the aggregates.

Column lists are data (Column(title, kind, value)), so a sheet's layout can be read at
a glance and the golden tests can name columns by their Chinese titles.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfxl.batch.ledger import REJECTED, SEVERITY_LABELS, Consolidation, ProjectEntry
from perfxl.summary.aggregate import (
    COUNTY_TOTAL,
    DepartmentStats,
    by_department,
    grade_counts,
    is_behind,
    lag_line,
)
from perfxl.summary.table import (
    MAX_ROWS,
    ROW_NUMBER,
    Column,
    Formats,
    ListSheet,
    print_setup,
    put,
    write_table,
)

PROJECTS, DEPARTMENTS, GRADES, PROBLEMS, FILES, NOTES = (
    "项目汇总", "单位汇总", "等级分布", "问题清单", "文件清单", "说明",
)  # fmt: skip
# 总览 comes first, 未报送 / 结果应用 / 核查抽样 before 说明 (their own modules)
SHEETS = (
    "总览", PROJECTS, DEPARTMENTS, GRADES, PROBLEMS, FILES, "未报送", "结果应用", "核查抽样", NOTES,
)  # fmt: skip
_DENOMINATORS = {"received": "全年到位数", "budget": "全年预算数", "initial_budget": "年初预算数"}


TECHNICAL = ("大小（字节）", "SHA-256")  # 文件清单's columns for the machine: last, not printed


def _notes(project: ProjectEntry, line: Decimal) -> str:
    notes = [project.note] if project.note else []
    if is_behind(project, line):
        notes.append("执行进度滞后")
    if project.reported_total is not None and project.reported_total != project.total:
        notes.append("填报总分与计算不一致")
    return "；".join(notes)


def write_projects(book: Workbook, formats: Formats, c: Consolidation) -> Worksheet:
    ws = book.add_worksheet(PROJECTS, worksheet_class=ListSheet)
    line = lag_line(c)
    columns = [
        Column("序号", "int", ROW_NUMBER, (5, 6)),
        Column("主管部门", "text", attrgetter("department"), (10, 30)),
        Column("实施单位", "text", attrgetter("unit"), (10, 30)),
        Column("项目名称", "text", attrgetter("project"), (12, 36)),
        Column("全年预算数（万元）", "money", attrgetter("budget")),
        Column("全年执行数（万元）", "money", attrgetter("spent")),
        Column("预算执行率", "rate", attrgetter("execution_rate")),
        Column("总体完成率", "rate", attrgetter("completion_rate")),
        Column("偏差（百分点）", "points", attrgetter("deviation")),
        Column("总分", "score", attrgetter("total")),
        Column("等级", "text", attrgetter("grade"), (6, 8)),
        Column("评分规则", "text", attrgetter("profile"), (8, 12)),
        Column("填报总分", "score", attrgetter("reported_total")),
        Column("填报等级", "text", attrgetter("reported_grade"), (6, 8)),
        Column("错误数", "int", attrgetter("errors")),
        Column("警告数", "int", attrgetter("warnings")),
        Column("备注", "text", lambda p: _notes(p, line), (8, 40)),
        Column("来源文件", "text", attrgetter("file"), (12, 50)),
        Column("工作表", "text", attrgetter("sheet"), (8, 24)),
    ]
    count = write_table(ws, formats, columns, c.projects)
    print_setup(ws)
    # 来源文件 and 工作表 trace a row back on screen; left off paper, the rest prints larger
    ws.print_area(0, 0, max(count, 1), len(columns) - 3)
    if count:
        last = count
        at = {column.title: n for n, column in enumerate(columns)}
        grade, rate, deviation = at["等级"], at["预算执行率"], at["偏差（百分点）"]
        ws.conditional_format(1, grade, last, grade, _equals("差", formats.bad))
        ws.conditional_format(1, grade, last, grade, _equals("中", formats.warn))
        ws.conditional_format(1, rate, last, rate, _below(float(line), formats.warn))
        threshold = float(c.profile.deviation_threshold)
        ws.conditional_format(1, deviation, last, deviation, {
            "type": "cell", "criteria": "not between", "minimum": -threshold,
            "maximum": threshold, "format": formats.warn,
        })  # fmt: skip
        errors = at["错误数"]
        ws.conditional_format(1, errors, last, errors, _above(0, formats.bad))
    return ws


def _equals(text: str, fmt) -> dict:
    return {"type": "cell", "criteria": "==", "value": f'"{text}"', "format": fmt}


def _below(value: float, fmt) -> dict:
    return {"type": "cell", "criteria": "<", "value": value, "format": fmt}


def _above(value: float, fmt) -> dict:
    return {"type": "cell", "criteria": ">", "value": value, "format": fmt}


def write_departments(
    book: Workbook, formats: Formats, c: Consolidation, stats: list[DepartmentStats] | None = None
) -> list[DepartmentStats]:
    """`stats`: aggregate.by_department of `c` when the caller already has them."""
    ws = book.add_worksheet(DEPARTMENTS)
    stats = by_department(c) if stats is None else stats
    grades = [grade for grade, _ in c.profile.grades]
    columns = [
        Column("主管部门", "text", lambda s: s.name, (12, 36)),
        Column("项目数", "int", lambda s: s.projects),
        Column("全年预算数合计（万元）", "money", lambda s: s.budget),
        Column("全年执行数合计（万元）", "money", lambda s: s.spent),
        Column("预算执行率", "rate", lambda s: s.execution_rate),
        Column("平均得分", "score", lambda s: s.mean_score),
        *[Column(f"{g}（个）", "int", lambda s, g=g: s.grades.get(g, 0)) for g in grades],
        Column("执行滞后项目数", "int", lambda s: s.behind),
        Column("偏差超限项目数", "int", lambda s: s.deviating),
        Column("错误数", "int", lambda s: s.errors),
        Column("警告数", "int", lambda s: s.warnings),
    ]
    departments, county = stats[:-1], stats[-1]
    count = write_table(ws, formats, columns, departments)
    total_row = count + 2  # one blank line, outside the filter range
    for col, column in enumerate(columns):
        value = COUNTY_TOTAL if col == 0 else column.value(county)
        put(ws, total_row, col, value, formats, column.kind)
    ws.set_row(total_row, None, formats.label)
    print_setup(ws)
    return stats


def insert_grade_chart(
    book: Workbook, ws: Worksheet, rows: tuple[int, int], value_col: int, at_col: int
) -> None:
    """The native column chart of projects per grade (grades in column A of `ws`), the
    same in the county summary and the prefecture roll-up."""
    first, last = rows
    chart = book.add_chart({"type": "column"})
    chart.add_series({
        "name": "项目数",
        "categories": [ws.name, first, 0, last, 0],
        "values": [ws.name, first, value_col, last, value_col],
        "data_labels": {"value": True},
        "fill": {"color": "#4472C4"},
    })  # fmt: skip
    chart.set_title({"name": "项目等级分布"})
    chart.set_x_axis({"name": "等级"})
    chart.set_y_axis({"name": "项目数", "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    ws.insert_chart(1, at_col, chart, {"x_scale": 1.2, "y_scale": 1.1})


def write_grades(book: Workbook, formats: Formats, c: Consolidation, projects: int) -> None:
    ws = book.add_worksheet(GRADES)
    others = "、".join(name for name in c.profiles if name != c.profile.name)
    rule = f"{c.profile.name} {c.profile.title}" + (f"；部分文件夹按 {others}" if others else "")
    ws.write_string(0, 0, f"项目等级分布（评分规则：{rule}）", formats.title)
    counts = grade_counts(c)
    total = sum(n for _, n in counts)
    bands = _bands(c)
    # 占比 is a summary statistic (a count over a count of engine grades), not a score;
    # it is left unrounded so the shares add up to exactly 100 % (the cell shows 0.00%).
    columns = [
        Column("等级", "text", lambda r: r[0], (8, 10)),
        Column("总分区间", "text", lambda r: bands.get(r[0], ""), (10, 16)),
        Column("项目数", "int", lambda r: r[1]),
        Column("占比", "rate", lambda r: (Decimal(r[1]) / total) if total else None),
    ]
    write_table(ws, formats, columns, counts, top=2)
    last = 2 + len(counts)
    insert_grade_chart(book, ws, rows=(3, last), value_col=2, at_col=5)

    # The diagonal (执行率 = 完成率) helps read deviation: points above it spent slowly.
    ws.write_string(last + 3, 0, "参考线", formats.label)
    for n, value in enumerate((0, 1)):
        ws.write_number(last + 4 + n, 0, value, formats.kinds["rate"])
        ws.write_number(last + 4 + n, 1, value, formats.kinds["rate"])
    scatter = book.add_chart({"type": "scatter"})
    if projects:
        scatter.add_series({
            "name": "项目",
            "categories": [PROJECTS, 1, 6, projects, 6],
            "values": [PROJECTS, 1, 7, projects, 7],
            "marker": {"type": "circle", "size": 5},
        })  # fmt: skip
    scatter.add_series({
        "name": "执行率 = 完成率",
        "categories": [GRADES, last + 4, 0, last + 5, 0],
        "values": [GRADES, last + 4, 1, last + 5, 1],
        "line": {"color": "#A5A5A5", "dash_type": "dash"},
        "marker": {"type": "none"},
    })  # fmt: skip
    scatter.set_title({"name": "预算执行率与总体完成率"})
    scatter.set_x_axis({"name": "预算执行率", "min": 0, "max": 1, "num_format": "0%"})
    scatter.set_y_axis({"name": "总体完成率", "min": 0, "max": 1, "num_format": "0%"})
    scatter.set_legend({"position": "bottom"})
    ws.insert_chart(SCATTER_ROW, 5, scatter, {"x_scale": 1.2, "y_scale": 1.4})
    # The title row is repeated, not the table's header: LibreOffice repeats whatever
    # drawing overlaps a repeated row, and the first chart starts on row 2.
    print_setup(ws, header_row=0)
    ws.set_h_pagebreaks([SCATTER_ROW])  # one chart per page, never cut in two


SCATTER_ROW = 18  # the second chart starts a printed page of its own


def _bands(c: Consolidation) -> dict[str, str]:
    bands, upper = {}, None
    for grade, minimum in c.profile.grades:
        low = f"{minimum:g}"
        if upper is None:
            bands[grade] = f"≥{low}"
        elif minimum <= 0:
            bands[grade] = f"<{upper}"
        else:
            bands[grade] = f"{low}（含）至{upper}"
        upper = low
    return bands


def _split(book: Workbook, name: str, rows: list) -> list[tuple[Worksheet, list, int]]:
    """One sheet per MAX_ROWS - 1 rows (the header takes one): 问题清单, 问题清单（2）, …
    An Excel sheet holds 1,048,576 rows; a longer list would make a file Excel refuses.
    Each part comes with the 序号 of its first row (numbering runs on across sheets)."""
    per_sheet = MAX_ROWS - 1
    starts = range(0, len(rows), per_sheet)
    parts = [(rows[i : i + per_sheet], i + 1) for i in starts] or [([], 1)]
    sheets = []
    for n, (part, first) in enumerate(parts, start=1):
        title = name if n == 1 else f"{name}（{n}）"
        sheets.append((book.add_worksheet(title, worksheet_class=ListSheet), part, first))
    return sheets


def write_problems(book: Workbook, formats: Formats, c: Consolidation) -> None:
    columns = [
        Column("序号", "int", ROW_NUMBER, (5, 7)),
        Column("严重程度", "text", lambda p: SEVERITY_LABELS.get(p.severity, p.severity), (8, 8)),
        Column("代码", "text", attrgetter("code"), (7, 7)),
        Column("主管部门", "text", attrgetter("department"), (10, 30)),
        Column("项目名称", "text", attrgetter("project"), (10, 30)),
        Column("来源文件", "text", attrgetter("file"), (12, 50)),
        Column("位置", "text", attrgetter("location"), (8, 24)),
        Column("问题说明", "text", attrgetter("message"), (30, 90)),
    ]
    for ws, part, first in _split(book, PROBLEMS, c.problems):
        count = write_table(ws, formats, columns, part, first=first)
        print_setup(ws)
        if count:
            ws.conditional_format(1, 1, count, 1, _equals("错误", formats.bad))
            ws.conditional_format(1, 1, count, 1, _equals("警告", formats.warn))


def write_files(book: Workbook, formats: Formats, c: Consolidation) -> None:
    columns = [
        Column("序号", "int", ROW_NUMBER, (5, 7)),
        Column("文件", "text", attrgetter("path"), (16, 60)),
        Column("状态", "text", attrgetter("status"), (8, 8)),
        Column("原因或说明", "text", attrgetter("reason"), (12, 70)),
        Column("指标表数", "int", attrgetter("tables")),
        Column("错误数", "int", attrgetter("errors")),
        Column("警告数", "int", attrgetter("warnings")),
        Column(TECHNICAL[0], "int", lambda f: f.size if f.size >= 0 else None),
        Column(TECHNICAL[1], "text", attrgetter("sha256"), (16, 66)),
    ]
    printed = len(columns) - len(TECHNICAL)
    for ws, part, first in _split(book, FILES, c.files):
        count = write_table(ws, formats, columns, part, first=first)
        print_setup(ws)
        ws.print_area(0, 0, max(count, 1), printed - 1)  # size and hash stay on screen only
        if count:
            ws.conditional_format(1, 2, count, 2, _equals(REJECTED, formats.bad))
