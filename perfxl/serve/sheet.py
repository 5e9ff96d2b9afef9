"""/api/check-sheet: a sheet's used range as a 2-D array, checked as the ribbon checks it.

The WPS add-in cannot hand over a file, only what its ET object model gives:
Range.Value2 of the used range (numbers as doubles, dates as serial numbers, empty cells
as null) and the range's top-left address. That array becomes the reader's own Grid
(values from A1, 0-based), and then the ribbon's path runs unchanged:
perfxl.validation.check_sheet (the reader's read_sheet, so 自评表 and 监控表 alike, then
the engine and the rules), and the marks (fill colour and note text) perfxl.excel.sheet
puts on a workbook's cells, so a sheet marked by the add-in looks like one marked in
Excel. Each table in the answer says its "kind" ("self" or "monitoring") with the
figures `perfxl score --format json` gives it (a 监控表: month, 序时进度, 执行率 and
the lights as the words 红/黄/绿/蓝).
"""

from __future__ import annotations

import math
import re
from typing import Any

from perfxl.excel.sheet import FILLS, comment_text, worst_severity
from perfxl.findings import Finding, finding, ordered
from perfxl.profiles import Profile
from perfxl.reader.extent import MAX_CELLS, MAX_ROWS, READ_COLUMNS, READ_ROWS
from perfxl.reader.grid import Grid, limited_message
from perfxl.report import monitoring_to_dict, table_to_dict
from perfxl.validation import MonitoringCheck, TableCheck
from perfxl.validation import check_sheet as check_grid

MAX_TEXT = 32_767  # Excel's own limit for one cell's text
MAX_SHEET_NAME = 31
TABLE_KEYS = (
    "sheet",
    "kind",
    "project",
    "total",
    "grade",
    "execution_rate",
    "completion_rate",
    "deviation",
)
# a 监控表's figures (perfxl.report.MONITORING_FIELDS): lights as 红/黄/绿/蓝
MONITORING_KEYS = (
    "sheet",
    "kind",
    "project",
    "month",
    "time_progress",
    "execution_rate",
    "execution_light",
    "light",
)
NO_TABLE = (
    "工作表“{sheet}”中未找到指标表：自评表需要含“三级指标、年度指标值、实际完成值、分值”的表头，"
    "监控表需要含“三级指标、年度指标值”和“1-N月实际完成值”或“完成目标可能性”的表头"
)
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


class SheetError(Exception):
    """The request does not describe a sheet; the message is Chinese (400)."""


def top_left(address: Any) -> tuple[int, int]:
    """'B3' (or '$B$3', or 'B3:K40' as WPS's Address gives it) -> 0-based (row, col)."""
    if not isinstance(address, str):
        raise SheetError("top_left 应为单元格地址，例如 A1")
    match = _A1.fullmatch(address.strip().split(":")[0])
    if not match:
        raise SheetError(f"top_left“{address[:20]}”不是单元格地址，例如 A1")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(match.group(2))
    if not (1 <= row <= 1_048_576 and 1 <= col <= 16_384):
        raise SheetError(f"top_left“{address[:20]}”超出工作表范围")
    return row - 1, col - 1


def _cell(value: Any) -> Any:
    """A Value2 cell as the reader holds it: "" for empty, numbers and text as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | int | str):
        if isinstance(value, str) and len(value) > MAX_TEXT:
            return value[:MAX_TEXT]
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else ""
    raise SheetError("cells 中的值只能是文本、数字、是/否或 null")


def build_grid(sheet: str, address: Any, cells: Any) -> tuple[Grid, list[Finding]]:
    """The reader's Grid for the posted range, and a PX005 finding when the range reached
    too far and only its top-left part was kept (the file reader's bounds)."""
    if not isinstance(cells, list) or not all(isinstance(row, list) for row in cells):
        raise SheetError("cells 应为二维数组（行的列表）")
    row0, col0 = top_left(address)
    height = row0 + len(cells)
    width = col0 + max((len(row) for row in cells), default=0)
    found: list[Finding] = []
    rows_kept, cols_kept = height, width
    if height > MAX_ROWS or height * width > MAX_CELLS:
        rows_kept = min(height, READ_ROWS)
        cols_kept = min(width, READ_COLUMNS)
        found.append(finding("PX005", limited_message(sheet, f"第 {height} 行、第 {width} 列")))
    rows: list[list[Any]] = [[] for _ in range(min(row0, rows_kept))]
    for values in cells[: max(0, rows_kept - row0)]:
        kept = values[: max(0, cols_kept - col0)]
        rows.append([""] * col0 + [_cell(v) for v in kept] if kept else [])
    return Grid(sheet, rows), found


def marks(sheet: str, findings: list[Finding]) -> list[dict[str, Any]]:
    """Per cell of this sheet with findings: the ribbon's fill colour and note text."""
    by_cell: dict = {}
    for f in findings:
        if f.cell is not None and f.cell.sheet == sheet:
            by_cell.setdefault(f.cell, []).append(f)
    out = []
    for cell in sorted(by_cell):
        group = by_cell[cell]
        severity = worst_severity(group)
        out.append(
            {
                "cell": cell.a1,
                "color": FILLS[severity],
                "note": comment_text(group),
                "severity": str(severity),
            }
        )
    return out


def check_sheet(request: Any, profile: Profile) -> dict[str, Any]:
    """The answer to /api/check-sheet for a decoded JSON body (SheetError if malformed)."""
    if not isinstance(request, dict):
        raise SheetError('请求体应为 JSON 对象：{"sheet": …, "top_left": …, "cells": …}')
    sheet = request.get("sheet")
    if not isinstance(sheet, str) or not sheet.strip() or len(sheet) > MAX_SHEET_NAME:
        raise SheetError("sheet 应为工作表名称（1 至 31 个字符）")
    grid, found = build_grid(sheet, request.get("top_left", "A1"), request.get("cells"))
    checks = check_grid(grid, profile)  # the ribbon's 校验本表, on the posted range
    if not checks:
        found.append(finding("PX002", NO_TABLE.format(sheet=sheet)))
    findings = ordered(found + [f for check in checks for f in check.findings], [sheet])
    return {
        "findings": [f.to_dict() for f in findings],
        "marks": marks(sheet, findings),
        "tables": [table_figures(check) for check in checks],
    }


def table_figures(check: TableCheck | MonitoringCheck) -> dict[str, Any]:
    """A table's figures for the add-in: a 自评表's total and grade, a 监控表's month,
    execution rate and lights, as `perfxl score --format json` gives them."""
    if isinstance(check, MonitoringCheck):
        full = monitoring_to_dict(check.result)
        return {key: full[key] for key in MONITORING_KEYS}
    full = table_to_dict(check.result)
    return {key: full[key] for key in TABLE_KEYS}
