"""Finding indicator tables in a sheet by their header labels.

Real tables move things around: a title or not, a funds block or not, merged level-1
cells, blank spacer rows, extra columns, traditional characters. So nothing here looks
at fixed positions: the indicator header row is the row that names the columns, the
funds block is the row above it that names budget columns, and header fields are the
cells to the right of their labels.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from perfxl.model import CellRef, Funds, Indicator, IndicatorTable
from perfxl.reader.grid import Grid
from perfxl.reader.labels import (
    FUNDS_COLUMNS,
    FUNDS_TOTAL_ROW,
    GRADE_LABELS,
    HEADER_FIELDS,
    INDICATOR_COLUMNS,
    REQUIRED_COLUMNS,
    TOTAL_LABELS,
    match_column,
    split_points,
)
from perfxl.rounding import to_decimal
from perfxl.text import normalize

SCAN_COLUMNS = 40  # headers sit in the first columns; wide sheets are scanned this far


def label(value: Any) -> str:
    """Cell text as compared with labels."""
    if value is None or value == "":
        return ""
    return normalize(str(value))


def cell_text(value: Any) -> str | None:
    """Cell value as the text a target/actual parser expects (dates as 2022年12月)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return format(to_decimal(value).normalize(), "f")
    text = str(value).strip()
    return text or None


def cell_number(value: Any) -> Decimal | None:
    """A numeric cell (or text such as '5分', '81.82%') as a Decimal."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return to_decimal(value)
    text = label(value).removesuffix("分").removesuffix("万元").replace(",", "")
    percent = text.endswith("%")
    try:
        number = Decimal(text.removesuffix("%"))
    except InvalidOperation:
        return None
    return number / 100 if percent else number


def find_header_rows(grid: Grid) -> list[tuple[int, dict[str, int]]]:
    """Rows that name the indicator columns, with field -> 0-based column."""
    found = []
    for r, row in enumerate(grid.rows):
        columns: dict[str, int] = {}
        for c, value in enumerate(row[:SCAN_COLUMNS]):
            field = match_column(label(value), INDICATOR_COLUMNS)
            if field and field not in columns:
                columns[field] = c
        if all(f in columns for f in REQUIRED_COLUMNS):
            found.append((r, columns))
    return found


def read_tables(grid: Grid) -> list[IndicatorTable]:
    """Every indicator table in the sheet (usually one)."""
    headers = find_header_rows(grid)
    tables = []
    start = 0
    for i, (header_row, columns) in enumerate(headers):
        stop = headers[i + 1][0] if i + 1 < len(headers) else len(grid.rows)
        tables.append(_read_table(grid, start, header_row, stop, columns))
        start = header_row + 1
    return tables


def _read_table(
    grid: Grid, top: int, header_row: int, stop: int, columns: dict[str, int]
) -> IndicatorTable:
    fields, field_cells = _header_fields(grid, top, header_row)
    funds = _funds(grid, top, header_row)
    indicators, total, total_cell, grade = _indicator_rows(grid, header_row, stop, columns)
    cells = dict(field_cells)
    if total_cell is not None:
        cells["total"] = total_cell
    return IndicatorTable(
        sheet=grid.name,
        project=fields.get("project"),
        department=fields.get("department"),
        unit=fields.get("unit"),
        funds=funds,
        indicators=tuple(indicators),
        reported_total=total,
        reported_grade=grade,
        layout="perfxl" if "nature" in columns else "national",
        cells=cells,
    )


def _header_fields(grid: Grid, top: int, bottom: int) -> tuple[dict[str, str], dict[str, CellRef]]:
    values: dict[str, str] = {}
    cells: dict[str, CellRef] = {}
    for r in range(top, bottom):
        row = grid.rows[r]
        for c, value in enumerate(row[:SCAN_COLUMNS]):
            field = match_column(label(value).rstrip(":："), HEADER_FIELDS)
            if not field or field in values:
                continue
            for c2 in range(c + 1, min(len(row), SCAN_COLUMNS)):
                text = cell_text(row[c2])
                if text and match_column(label(text).rstrip(":："), HEADER_FIELDS) is None:
                    values[field] = text
                    cells[field] = CellRef(grid.name, r + 1, c2 + 1)
                    break
    return values, cells


def _funds(grid: Grid, top: int, bottom: int) -> Funds:
    for r in range(top, bottom):
        columns: dict[str, int] = {}
        for c, value in enumerate(grid.rows[r][:SCAN_COLUMNS]):
            field = match_column(label(value), FUNDS_COLUMNS)
            if field and field not in columns:
                columns[field] = c
        if "spent" not in columns or not (
            {"budget", "initial_budget", "received"} & columns.keys()
        ):
            continue
        value_row = _funds_value_row(grid, r + 1, bottom, columns)
        if value_row is None:
            return Funds()
        numbers = {field: cell_number(grid.get(value_row, c)) for field, c in columns.items()}
        cells = {field: CellRef(grid.name, value_row + 1, c + 1) for field, c in columns.items()}
        rate = numbers.get("rate")
        if (
            rate is not None
            and rate > 1
            and isinstance(grid.get(value_row, columns["rate"]), int | float)
        ):
            rate = rate / 100  # a rate typed as 81.82 rather than 81.82%
        return Funds(
            initial_budget=numbers.get("initial_budget"),
            budget=numbers.get("budget"),
            received=numbers.get("received"),
            spent=numbers.get("spent"),
            weight=numbers.get("weight"),
            reported_rate=rate,
            reported_score=numbers.get("score"),
            cells=cells,
        )
    return Funds()


def _funds_value_row(grid: Grid, first: int, bottom: int, columns: dict[str, int]) -> int | None:
    """The 年度资金总额 row, or else the first row below the labels with a number in it."""
    spent_col = columns["spent"]
    fallback = None
    for r in range(first, bottom):
        texts = [label(v) for v in grid.rows[r][: min(spent_col, SCAN_COLUMNS)]]
        if any(t in FUNDS_TOTAL_ROW or t.startswith("年度资金总额") for t in texts):
            return r
        if fallback is None and any(
            cell_number(grid.get(r, c)) is not None for c in columns.values()
        ):
            fallback = r
    return fallback


def _indicator_rows(
    grid: Grid, header_row: int, stop: int, columns: dict[str, int]
) -> tuple[list[Indicator], Decimal | None, CellRef | None, str | None]:
    indicators: list[Indicator] = []
    level1 = level2 = ""
    points: Decimal | None = None
    total: Decimal | None = None
    total_cell: CellRef | None = None
    grade: str | None = None
    first_col = min(columns.values())
    for r in range(header_row + 1, stop):
        row = grid.rows[r]
        lead = [label(v) for v in row[: first_col + 3]]
        if any(t in TOTAL_LABELS for t in lead):
            score_col = columns.get("score", columns["weight"])
            total = cell_number(grid.get(r, score_col))
            total_cell = CellRef(grid.name, r + 1, score_col + 1)
            continue
        if any(t in GRADE_LABELS for t in lead):
            grade = next(
                (label(v) for v in row[first_col:] if label(v) and label(v) not in GRADE_LABELS),
                None,
            )
            continue
        values = {field: grid.get(r, c) for field, c in columns.items()}
        if "level1" in columns and label(values["level1"]):
            level1, pts = split_points(label(values["level1"]))
            points = None if pts is None else Decimal(pts)
            level2 = ""
        if "level2" in columns and label(values["level2"]):
            level2 = label(values["level2"])
        name = cell_text(values["name"])
        target = _target_text(values, columns)
        if (
            not name
            and target is None
            and cell_text(values["actual"]) is None
            and cell_number(values["weight"]) is None
        ):
            continue  # a spacer row, or a merged level-1/level-2 cell's tail
        cells = {field: CellRef(grid.name, r + 1, c + 1) for field, c in columns.items()}
        indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name or level2,
                target_text=target,
                actual_text=cell_text(values["actual"]),
                weight=cell_number(values["weight"]),
                entered_score=cell_number(values.get("score")),
                reason=cell_text(values.get("reason")),
                cells=cells,
                level1_points=points,
            )
        )
    return indicators, total, total_cell, grade


def _target_text(values: dict[str, Any], columns: dict[str, int]) -> str | None:
    """The target as one text; perfxl's own layout splits it into 指标性质 | 指标值 | 计量单位."""
    target = cell_text(values["target"])
    if "nature" not in columns:
        return target
    nature = cell_text(values.get("nature")) or ""
    unit = cell_text(values.get("unit")) or ""
    if target is None:
        return None
    if nature in ("定性", "定性指标"):
        return target
    return f"{nature}{target}{unit}"
