"""Finding indicator tables in a sheet by their header labels.

Real tables move things around: a title or not, a funds block or not, merged level-1
cells, blank spacer rows, extra columns, traditional characters. So nothing here looks
at fixed positions: the indicator header row is the row (or pair of rows) that names
the columns, the funds block is the row above it that names budget columns, header
fields are the cells to the right of their labels, and a table ends at its 总分 row or
at the next project's 项目名称.

A printed total, funds rate or funds score that sits in a formula cell is read as
absent: its cached value is not a report (see perfxl.reader.formulas). An indicator's
得分 keeps its cached value and is marked as a formula (Indicator.score_formula): a
rubric row's score is often =G13 or a sum of sub-items, and the engine takes it as the
evaluator's score without comparing it as a printed one. Other inputs keep their
cached values too, since nothing could recompute them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
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
    MAX_LABEL_CHARS,
    REQUIRED_COLUMNS,
    TOTAL_LABELS,
    match_column,
    split_label_value,
    split_points,
)
from perfxl.rounding import to_decimal
from perfxl.text import normalize

SCAN_COLUMNS = 40  # headers sit in the first columns; wide sheets are scanned this far


def label(value: Any) -> str:
    """Cell text as compared with labels, cut at MAX_LABEL_CHARS before it is parsed."""
    if value is None or value == "":
        return ""
    return normalize(str(value)[:MAX_LABEL_CHARS])


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


def _row_columns(row: list[Any], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field -> 0-based column for the labels found in one row (first occurrence wins)."""
    found: dict[str, int] = {}
    for c, value in enumerate(row[:SCAN_COLUMNS]):
        if value.__class__ is not str or not value:
            continue  # labels are text; most cells of a sheet are numbers or empty
        field = match_column(label(value), columns)
        if field and field not in found:
            found[field] = c
    return found


def _complete(columns: dict[str, int]) -> bool:
    return all(f in columns for f in REQUIRED_COLUMNS)


def find_header_rows(grid: Grid) -> list[tuple[int, dict[str, int]]]:
    """Rows that name the indicator columns, with field -> 0-based column.

    A header may take two rows: 绩效指标 merged over 一级/二级/三级指标 in the row below,
    while 年度指标值, 实际完成值 and 分值 are merged down over both. The lower row then
    counts as the header row, since the indicators start right under it.
    """
    found = []
    r = 0
    while r < len(grid.rows):
        columns = _row_columns(grid.rows[r], INDICATOR_COLUMNS)
        if _complete(columns):
            found.append((r, columns))
        elif columns and r + 1 < len(grid.rows):
            below = _row_columns(grid.rows[r + 1], INDICATOR_COLUMNS)
            merged = {**columns, **below}  # the lower row names the columns split below
            if not _complete(below) and _complete(merged):
                found.append((r + 1, merged))
                r += 1
        r += 1
    return found


def read_tables(grid: Grid) -> list[IndicatorTable]:
    """Every indicator table in the sheet (usually one).

    Tables stacked in one sheet are split at the next 项目名称 row, and nothing after a
    总分 row is an indicator, so one table does not take the next project's header or
    funds rows as indicators and the next table finds its own header block and funds.
    """
    headers = find_header_rows(grid)
    tables = []
    top = 0
    for i, (header_row, columns) in enumerate(headers):
        stop = headers[i + 1][0] if i + 1 < len(headers) else len(grid.rows)
        table, end = _read_table(grid, top, header_row, stop, columns)
        tables.append(table)
        top = end
    return tables


def _read_table(
    grid: Grid, top: int, header_row: int, stop: int, columns: dict[str, int]
) -> tuple[IndicatorTable, int]:
    """The table under `header_row` and the row where it ended."""
    fields, field_cells = _header_fields(grid, top, header_row)
    funds = _funds(grid, top, header_row)
    body = _indicator_rows(grid, header_row, stop, columns)
    cells = dict(field_cells)
    if body.total_cell is not None:
        cells["total"] = body.total_cell
    table = IndicatorTable(
        sheet=grid.name,
        project=fields.get("project"),
        department=fields.get("department"),
        unit=fields.get("unit"),
        funds=funds,
        indicators=tuple(body.indicators),
        reported_total=body.total,
        reported_grade=body.grade,
        layout="perfxl" if "nature" in columns else "national",
        cells=cells,
    )
    return table, body.end


def _header_fields(grid: Grid, top: int, bottom: int) -> tuple[dict[str, str], dict[str, CellRef]]:
    """项目名称 / 主管部门 / 实施单位: the value right of its label, or after a colon in it."""
    values: dict[str, str] = {}
    cells: dict[str, CellRef] = {}
    for r in range(top, bottom):
        row = grid.rows[r][:SCAN_COLUMNS]
        for c, value in enumerate(row):
            if value.__class__ is not str or not value:
                continue
            field = match_column(label(value), HEADER_FIELDS)
            if field is None:
                pair = split_label_value(str(value), HEADER_FIELDS) if label(value) else None
                if pair is not None and pair[0] not in values:
                    values[pair[0]] = pair[1]
                    cells[pair[0]] = CellRef(grid.name, r + 1, c + 1)
                continue
            if field in values:
                continue
            for c2 in range(c + 1, len(row)):
                if match_column(label(row[c2]), HEADER_FIELDS) is not None:
                    break  # the next label: this field was left blank
                text = cell_text(row[c2])
                if text:
                    values[field] = text
                    cells[field] = CellRef(grid.name, r + 1, c2 + 1)
                    break
    return values, cells


def _funds(grid: Grid, top: int, bottom: int) -> Funds:
    for r in range(top, bottom):
        columns = _funds_columns(grid.rows[r])
        if columns is None:
            continue
        value_row = _funds_value_row(grid, r + 1, bottom, columns)
        if value_row is None:
            return Funds()
        numbers = {
            field: _reported(grid, value_row, c)
            if field in ("rate", "score")  # figures a formula may derive from the amounts
            else cell_number(grid.get(value_row, c))
            for field, c in columns.items()
        }
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


def _funds_columns(row: list[Any]) -> dict[str, int] | None:
    """The funds block's label row: 全年执行数 beside a budget or arrival column."""
    columns = _row_columns(row, FUNDS_COLUMNS)
    if "spent" not in columns or not ({"budget", "initial_budget", "received"} & columns.keys()):
        return None
    return columns


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


@dataclass
class _Body:
    """What the rows under a header gave; `end` is the first row not part of the table
    (the next 项目名称 row, or the row after the last indicator, 总分 or 评价等级)."""

    end: int
    indicators: list[Indicator]
    total: Decimal | None = None
    total_cell: CellRef | None = None
    grade: str | None = None

    def ended(self, end: int) -> _Body:
        self.end = end
        return self


def _starts_block(row: list[Any], lead: int) -> bool:
    """A 项目名称 / 主管部门 / 实施单位 row: the next project's table starts here.

    Only the first `lead` cells count, where a header block starts, so a reason written
    as 实施单位：… does not end the table. Funds labels do not count either: some forms
    repeat 全年预算数 | 全年执行数 inside the 预算执行率 rows.
    """
    for value in row[:lead]:
        if value.__class__ is not str:
            continue
        text = label(value)
        if text and (
            match_column(text, HEADER_FIELDS) or split_label_value(str(value), HEADER_FIELDS)
        ):
            return True
    return False


def _grade(row: list[Any], lead: int) -> tuple[bool, str | None]:
    """Whether the row names a grade (评价等级 | 优, or 评价等级：优), and the grade.

    The label is looked for in the first `lead` cells, where 总分 and 评价等级 sit, or
    anywhere on a total row (总分 | … | 95.72 | 评价等级 | 优); the grade is right of it.
    """
    cells = row[:SCAN_COLUMNS]
    for c, value in enumerate(cells[:lead]):
        if value.__class__ is not str:
            continue
        text = label(value)
        if not text:
            continue
        pair = split_label_value(str(value), _GRADE)
        if pair is not None:
            return True, label(pair[1])
        if match_column(text, _GRADE):
            rest = (label(v) for v in cells[c + 1 :])
            return True, next((t for t in rest if t and not match_column(t, _GRADE)), None)
    return False, None


_GRADE = {"grade": GRADE_LABELS}


def _indicator_rows(grid: Grid, header_row: int, stop: int, columns: dict[str, int]) -> _Body:
    body = _Body(end=stop, indicators=[])
    level1 = level2 = ""
    points: Decimal | None = None
    closed = False  # after 总分 only the grade may follow; notes and signatures are not rows
    lead = min(columns.values()) + 3  # cells that may hold 总分, 评价等级, 项目名称
    score_col = columns.get("score")
    last = header_row
    for r in range(header_row + 1, stop):
        row = grid.rows[r]
        if _starts_block(row, lead):
            return body.ended(r)
        is_total = any(v.__class__ is str and match_column(label(v), _TOTAL) for v in row[:lead])
        is_grade, grade = _grade(row, SCAN_COLUMNS if is_total else lead)
        body.grade = grade or body.grade
        if is_total or is_grade:
            last = r
        if is_total:
            closed = True
            if score_col is not None:  # the 分值 column's total is 100, not a score
                body.total = _reported(grid, r, score_col)
                body.total_cell = CellRef(grid.name, r + 1, score_col + 1)
            continue
        if closed or is_grade:
            continue
        values = {key: grid.get(r, c) for key, c in columns.items()}
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
        cells = {key: CellRef(grid.name, r + 1, c + 1) for key, c in columns.items()}
        body.indicators.append(
            Indicator(
                level1=level1,
                level2=level2,
                name=name or level2,
                target_text=target,
                actual_text=cell_text(values["actual"]),
                weight=cell_number(values["weight"]),
                entered_score=None if score_col is None else cell_number(values["score"]),
                reason=cell_text(values.get("reason")),
                cells=cells,
                level1_points=points,
                score_formula=score_col is not None and grid.is_formula(r, score_col),
            )
        )
        last = r
    return body.ended(last + 1)


_TOTAL = {"total": TOTAL_LABELS}


def _reported(grid: Grid, row: int, col: int) -> Decimal | None:
    """A printed total or rate; a formula's cached result is not one (module docstring)."""
    if grid.is_formula(row, col):
        return None
    return cell_number(grid.get(row, col))


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
