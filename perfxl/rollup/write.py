"""The prefecture summary workbook (州级汇总), written like the county summary.

Same formats, list writer and print set-up as perfxl.summary (A4 landscape, fit to
width, header repeated), the same native grade chart, and the same way out: bytes made
in memory, then a temporary file renamed over the output (perfxl.batch.atomic).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import xlsxwriter

from perfxl import __version__
from perfxl.batch.atomic import publish
from perfxl.rollup import ROLLUP_MARKER, ROLLUP_TITLE, ROLLUP_VERSION, Rollup
from perfxl.rollup.read import PROJECT_COLUMNS, number
from perfxl.rounding import excel_round
from perfxl.summary import overview as ov
from perfxl.summary.sheets import insert_grade_chart
from perfxl.summary.table import Column, Formats, ListSheet, print_setup, put, write_table

COUNTIES, PROJECTS, GRADES, PROBLEMS, REFUSED, NOTES = (
    "县级汇总", "项目汇总", "等级分布", "问题统计", "未纳入文件", "说明",
)  # fmt: skip
SHEETS = (COUNTIES, PROJECTS, GRADES, PROBLEMS, REFUSED, NOTES)
TOTAL = "全州合计"
_KINDS = {
    "全年预算数（万元）": "money", "全年执行数（万元）": "money", "预算执行率": "rate",
    "总体完成率": "rate", "偏差（百分点）": "points", "总分": "score", "错误数": "int",
    "警告数": "int",
}  # fmt: skip


def write_rollup(result: Rollup, path: str | Path) -> Path:
    return publish(Path(path), rollup_bytes(result))


def grade_names(result: Rollup) -> list[str]:
    """Every grade any county uses, in the order the counties list them (优 良 中 差)."""
    names: list[str] = []
    for county in result.counties:
        names += [g for g, _ in county.grades if g not in names]
    return names


def mean_score(result: Rollup) -> Decimal | None:
    """The mean of every counted project's total, rounded half up to 0.01 (as 平均得分)."""
    totals = [p["总分"] for c in result.counties for p in c.projects if p["counted"]]
    totals = [number(t) for t in totals if isinstance(t, float)]
    return excel_round(sum(totals, Decimal(0)) / len(totals), 2) if totals else None


def _sum(values) -> Decimal | None:
    present = [v for v in values if isinstance(v, Decimal)]
    return sum(present, Decimal(0)) if present else None


def rollup_bytes(result: Rollup) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    properties = {"title": ROLLUP_TITLE, "author": "perfxl", "comments": f"perfxl {__version__}"}
    if result.started is not None:
        properties["created"] = result.started.replace(tzinfo=None)
    book.set_properties(properties)
    book.set_custom_property(ROLLUP_MARKER, ROLLUP_VERSION)
    formats = Formats(book)
    _counties(book, formats, result)
    _projects(book, formats, result)
    _grades(book, formats, result)
    _problems(book, formats, result)
    _refused(book, formats, result)
    _notes(book, formats, result)
    book.close()
    return buffer.getvalue()


_COUNTY_FIGURES = (
    (ov.EXPECTED, "int"), (ov.SUBMITTED, "int"), (ov.MISSING_UNITS, "int"),
    (ov.PROJECTS, "int"), (ov.BUDGET, "money"), (ov.SPENT, "money"), (ov.MEAN_SCORE, "score"),
)  # fmt: skip
_COUNTY_COUNTS = (
    (ov.DEVIATING, "int"), (ov.BEHIND, "int"), (ov.REJECTED_FILES, "int"),
    (ov.ERRORS, "int"), (ov.WARNINGS, "int"),
)  # fmt: skip


def _counties(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(COUNTIES)
    grades = grade_names(result)

    def fact(label):
        return lambda c: c.figure(label)

    columns = [
        Column("县（市、区）", "text", lambda c: c.name, (10, 24)),
        Column("评价年度", "int", lambda c: c.year),
        *[Column(label, kind, fact(label)) for label, kind in _COUNTY_FIGURES],
        *[Column(f"{g}（个）", "int", lambda c, g=g: dict(c.grades).get(g, 0)) for g in grades],
        *[Column(label, kind, fact(label)) for label, kind in _COUNTY_COUNTS],
        Column("来源文件", "text", lambda c: c.path, (12, 40)),
    ]
    count = write_table(ws, formats, columns, result.counties)
    total_row = count + 2  # one blank line, outside the filter range
    mean = mean_score(result)
    for col, column in enumerate(columns):
        if col == 0:
            value = TOTAL
        elif column.title == ov.MEAN_SCORE:
            value = mean
        elif column.kind in ("int", "money") and column.title not in ("评价年度",):
            value = _sum(_as_decimal(column.value(c)) for c in result.counties)
        else:
            value = None
        put(ws, total_row, col, value, formats, column.kind)
    ws.set_row(total_row, None, formats.label)
    print_setup(ws)
    ws.print_area(0, 0, total_row, len(columns) - 2)  # 来源文件 stays on screen


def _as_decimal(value) -> Decimal | None:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return None


def _projects(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(PROJECTS, worksheet_class=ListSheet)
    rows = [(c.name, p) for c in result.counties for p in c.projects]
    columns = [
        Column("序号", "int", lambda r: r[0], (5, 7)),
        Column("县（市、区）", "text", lambda r: r[1][0], (8, 16)),
        *[
            Column(title, _KINDS.get(title, "text"), lambda r, t=title: r[1][1].get(t), (6, 30))
            for title in PROJECT_COLUMNS
        ],
    ]
    write_table(ws, formats, columns, enumerate(rows, start=1))
    print_setup(ws)


def grade_counts(result: Rollup) -> list[tuple[str, int]]:
    totals = {g: 0 for g in grade_names(result)}
    for county in result.counties:
        for grade, n in county.grades:
            totals[grade] += n
    return list(totals.items())


def _grades(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(GRADES)
    ws.write_string(0, 0, f"项目等级分布（{len(result.counties)} 个县（市、区））", formats.title)
    counts = grade_counts(result)
    total = sum(n for _, n in counts)
    columns = [
        Column("等级", "text", lambda r: r[0], (8, 10)),
        Column("项目数", "int", lambda r: r[1]),
        Column("占比", "rate", lambda r: (Decimal(r[1]) / total) if total else None),
    ]
    write_table(ws, formats, columns, counts, top=2)
    insert_grade_chart(book, ws, rows=(3, 2 + max(len(counts), 1)), value_col=1, at_col=4)
    print_setup(ws, header_row=0)  # the title row: a chart overlapping a repeated row repeats


def problem_counts(result: Rollup) -> list[tuple[str, str, int, int]]:
    """(code, severity, problems, counties) by problems, most first, then code."""
    totals: dict[tuple[str, str], list[int]] = {}
    for county in result.counties:
        for key, n in county.problems.items():
            entry = totals.setdefault(key, [0, 0])
            entry[0] += n
            entry[1] += 1
    rows = [(code, sev, n, k) for (code, sev), (n, k) in totals.items()]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))


def _problems(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(PROBLEMS)
    columns = [
        Column("代码", "text", lambda r: r[0], (7, 8)),
        Column("严重程度", "text", lambda r: r[1], (8, 8)),
        Column("问题数", "int", lambda r: r[2]),
        Column("涉及县数", "int", lambda r: r[3]),
    ]
    write_table(ws, formats, columns, problem_counts(result))
    ws.set_column(5, 5, 80)
    ws.write_string(
        0, 5, "问题数按各县“问题清单”所列计数（每个文件最多列出的条数见各县汇总的说明）。"
    )
    print_setup(ws)


def _refused(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(REFUSED)
    columns = [
        Column("序号", "int", lambda r: r[0], (5, 7)),
        Column("文件", "text", lambda r: r[1][0], (16, 60)),
        Column("原因", "text", lambda r: r[1][1], (20, 90)),
    ]
    write_table(ws, formats, columns, enumerate(result.refused, start=1))
    print_setup(ws)


def _notes(book, formats: Formats, result: Rollup) -> None:
    ws = book.add_worksheet(NOTES)
    ws.write_string(0, 0, f"{ROLLUP_TITLE} — 说明", formats.title)
    started = result.started.strftime("%Y-%m-%d %H:%M:%S") if result.started else ""
    projects = sum(1 for c in result.counties for p in c.projects if p["counted"])
    facts = [
        ("生成时间", started, "text"),
        ("perfxl 版本", __version__, "text"),
        ("纳入的县级汇总数", len(result.counties), "int"),
        ("未纳入的文件数", len(result.refused), "int"),
        ("计入汇总的项目数", projects, "int"),
        ("平均得分", mean_score(result), "score"),
    ]
    ws.write_string(2, 0, "项目", formats.header)
    ws.write_string(2, 1, "内容", formats.header)
    for row, (label, value, kind) in enumerate(facts, start=3):
        ws.write_string(row, 0, label, formats.label)
        put(ws, row, 1, value, formats, kind)
    notes = [
        "各县数字取自该县 perfxl consolidate 生成的县级汇总（“总览”“项目汇总”“问题清单”），不重新计分。",
        "只读取带 perfxl 县级汇总标记、且格式与本版本一致的工作簿；其他文件列在“未纳入文件”并写明原因。",
        "全州合计：各县数字相加；平均得分为全州计入汇总的各项目总分的算术平均，四舍五入保留两位小数。",
        "同一县、同一年度的汇总只计入一次。疑似重复提交、未计入该县汇总的项目列在“项目汇总”中，不计入合计。",
    ]
    start = 4 + len(facts)
    ws.write_string(start, 0, "口径说明", formats.header)
    ws.write_string(start, 1, "", formats.header)
    for n, text in enumerate(notes, start=1):
        ws.write_number(start + n, 0, n, formats.kinds["int"])
        ws.write_string(start + n, 1, text, formats.wrap)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 100)
    print_setup(ws, header_row=2)
