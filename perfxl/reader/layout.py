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

import re
from decimal import Decimal
from typing import Any

from perfxl.model import CellRef, IndicatorTable
from perfxl.reader.cells import Figures, cell_number, cell_ref, cell_text, label
from perfxl.reader.funds import (
    NOT_LOOKED,
    _funds_columns,
    funds_columns_of,
    funds_row,
    read_funds,
)
from perfxl.reader.grid import Grid
from perfxl.reader.labels import (
    HEADER_FIELDS,
    HEADER_TOTAL_LABELS,
    INDICATOR_COLUMNS,
    REQUIRED_COLUMNS,
    SCAN_COLUMNS,
    UNASKED,
    YEAR_LABELS,
    asked,
    label_columns,
    looks_at,
    match_column,
    matcher,
    may_hold_long,
    sheet_labels,
    split_label_value,
)
from perfxl.reader.rows import read_body

__all__ = ["cell_number", "cell_text", "find_header_rows", "label", "read_tables"]


def _complete(columns: dict[str, int]) -> bool:
    return len(columns) >= _REQUIRED and columns.keys() >= _REQUIRED_SET


_REQUIRED_SET = frozenset(REQUIRED_COLUMNS)
_REQUIRED = len(_REQUIRED_SET)


def _indicator_columns(texts: list[str]) -> dict[str, int]:
    return label_columns(texts, INDICATOR_COLUMNS)


def _header_row(texts: list[str]) -> tuple[dict[str, int], bool] | None:
    """The indicator columns a row names and whether they make a header, or None when
    it names none; remembered per texts."""
    columns = asked(texts, _indicator_columns)
    return (columns, _complete(columns)) if columns else None


def find_header_rows(grid: Grid) -> list[tuple[int, dict[str, int]]]:
    """Rows that name the indicator columns, with field -> 0-based column.

    A header may take two rows: 绩效指标 merged over 一级/二级/三级指标 in the row below,
    while 年度指标值, 实际完成值 and 分值 are merged down over both; or 年度指标值 over
    指标性质 | 指标值 | 度量单位. The lower row then counts as the header row, since the
    indicators start right under it, and its labels win where both rows name a field.
    """
    found = []
    r = 0
    labels = sheet_labels(grid)
    rows = len(labels)
    while r < rows:
        texts = labels[r]  # asked inline: every row of every sheet comes here
        header = texts.answers.get(_header_row, UNASKED)  # shared: never modified
        if header is UNASKED:
            header = asked(texts, _header_row)
        if header is None:  # most rows: no indicator label at all
            pass
        elif header[1]:
            found.append((r, header[0]))
        elif r + 1 < rows:
            columns = header[0]
            below = asked(labels[r + 1], _indicator_columns)
            if not below:  # nothing below to complete the row's columns
                r += 1
                continue
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
    figures = Figures(grid.name)
    fields, field_cells, funds_at = _header_fields(grid, top, header_row)
    funds = read_funds(grid, top, header_row, figures, funds_at)
    body = read_body(grid, header_row, stop, columns, figures)
    cells = dict(field_cells)
    if body.total is None:  # no 总分 row: a 自评得分 in the header block, if any
        body.total, body.total_cell = _header_total(grid, top, header_row, figures)
    if body.total_cell is not None:
        cells["total"] = body.total_cell
    table = IndicatorTable(  # by position (keywords to a class cost a dict), in field order
        grid.name,  # sheet
        fields.get("project"),
        fields.get("department"),
        fields.get("unit"),
        funds,
        tuple(body.indicators),
        body.total,  # reported_total
        body.grade,  # reported_grade
        "perfxl" if "nature" in columns else "national",  # layout
        cells,
        table_year(grid, top, header_row, funds_at),  # year
        tuple(figures.findings),
    )
    return table, body.end


_header_label = matcher(HEADER_FIELDS)


def _header_fields(
    grid: Grid, top: int, bottom: int
) -> tuple[dict[str, str], dict[str, CellRef], int | None]:
    """项目名称 / 主管部门 / 实施单位: the value right of its label, or after a colon in it;
    and the funds block's label row (funds.funds_row), found in the same walk over the
    rows above the header, for read_funds and table_year."""
    values: dict[str, str] = {}
    cells: dict[str, CellRef] = {}
    funds_at = None
    labels = sheet_labels(grid)
    for r in range(top, bottom):
        texts = labels[r]
        answers = texts.answers  # asked inline: each row above each header comes here
        if funds_at is None:
            funds = answers.get(_funds_columns, UNASKED)
            if funds is UNASKED:
                funds = funds_columns_of(texts)
            if funds is not None:
                funds_at = r
        look = answers.get(_header_cells, UNASKED)
        if look is UNASKED:
            look = asked(texts, _header_cells)
        if not look:
            continue
        row = grid.rows[r][:SCAN_COLUMNS]
        for c, field in look:
            value = row[c]
            if value.__class__ is not str or not value or len(value) > 300:
                continue  # not a label, nor 项目名称：… in one cell
            if field is None:
                pair = _colon_pair(value, HEADER_FIELDS)
                if pair is not None and pair[0] not in values:
                    values[pair[0]] = pair[1]
                    cells[pair[0]] = cell_ref(grid.name, r + 1, c + 1)
                continue
            if field in values:
                continue
            for c2 in range(c + 1, len(row)):
                if texts[c2] and _header_label(texts[c2]) is not None:
                    break  # the next label: this field was left blank
                text = cell_text(row[c2])
                if text:
                    values[field] = text
                    cells[field] = cell_ref(grid.name, r + 1, c2 + 1)
                    break
    return values, cells, funds_at


def _header_cells(texts: list[str]) -> tuple[tuple[int, str | None], ...]:
    """The cells of a row _header_fields must look at, in order: (column, the header
    field its text names, else None). A cell whose text is neither a header label nor
    holds a ':' cannot give a field (a raw colon shows in the text, see
    perfxl.reader.rows._Sketch); a cell without a label text may hold a long text
    with 项目名称：… in it. Remembered per distinct texts (perfxl.reader.labels.asked)."""
    long = may_hold_long(texts)  # else a blank text is no text (Labels.long)
    cells = []
    for c, text in enumerate(texts):
        field = _header_label(text) if text else None
        if field is not None or (long if not text else ":" in text):
            cells.append((c, field))
    return tuple(cells)


_HEADER_TOTAL = {"total": HEADER_TOTAL_LABELS}


def _header_total(
    grid: Grid, top: int, bottom: int, figures: Figures
) -> tuple[Decimal | None, CellRef | None]:
    """自评得分 | 98 in the header block: the figure right of the label."""
    for r in range(top, bottom):
        row = grid.rows[r][:SCAN_COLUMNS]
        texts = grid.labels(r)
        for c, text in enumerate(texts):
            if not text or not match_column(text, _HEADER_TOTAL):
                continue
            for c2 in range(c + 1, len(row)):
                if cell_number(row[c2]) is not None:
                    if grid.is_formula(r, c2):
                        return None, None
                    number = figures.number(row[c2], "points", text, r, c2)
                    return number, figures.cell(r, c2)
                if texts[c2]:
                    break  # the next label: left blank
            return None, None
    return None, None


# （2023年度）, 2023年度XX项目, 2023年 in a title; a year cell of its own: 2023 or 2023年
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")
_YEAR_VALUE = re.compile(r"^(20\d\d)(?:年|年度)?$")
_YEAR = {"year": YEAR_LABELS}
# what _header_row, _header_cells and _year_cells look for
looks_at((INDICATOR_COLUMNS, HEADER_FIELDS, _YEAR), (_TITLE_YEAR,))


def table_year(grid: Grid, top: int, bottom: int, funds_at: int | None = NOT_LOOKED) -> int | None:
    """The year the table evaluates, from the rows above its indicator header.

    A 自评年度 / 年度 label with the year right of it (or after its colon) wins; else a
    title or heading cell written `（2023年度）`, `2023年度XX项目自评表` or `2023年…`,
    the first one from the top. Texts that merely mention a year lower down (the
    goals, the 年度资金总额 row) are not asked: only cells above the funds labels
    (`funds_at`, their row, when the caller has found it: funds.funds_row).
    """
    title_year = None
    labels = sheet_labels(grid)
    if funds_at == NOT_LOOKED:
        funds_at = funds_row(grid, top, bottom)
    for r in range(top, bottom if funds_at is None else funds_at):
        texts = labels[r]
        look = texts.answers.get(_year_cells, UNASKED)
        if look is UNASKED:
            look = asked(texts, _year_cells)
        if not look:
            continue
        row = grid.rows[r][:SCAN_COLUMNS]
        for c, known in look:
            value = row[c]
            if value.__class__ is not str or not value or len(value) > 200:
                continue
            if known is not None:  # the answers of a label text alone
                colon, is_label, in_title = known
                if colon:
                    pair = _colon_pair(value, _YEAR)
                    if pair is not None and (found := _YEAR_VALUE.match(label(pair[1]))):
                        return int(found.group(1))
                if is_label:
                    year = _year_right_of(row, c)
                    if year is not None:
                        return year
                    continue
                if title_year is None:
                    title_year = in_title
                continue
            text = label(value)  # a text too long to be a label (or only spaces)
            pair = _colon_pair(value, _YEAR)
            if pair is not None and (found := _YEAR_VALUE.match(label(pair[1]))):
                return int(found.group(1))
            if match_column(text, _YEAR):
                year = _year_right_of(row, c)
                if year is not None:
                    return year
                continue
            if title_year is None and (found := _TITLE_YEAR.search(text)):
                title_year = int(found.group(1))
    return title_year


def _year_cells(
    texts: list[str],
) -> tuple[tuple[int, tuple[bool, bool, int | None] | None], ...]:
    """The cells of a row table_year must look at, in order, with what their label text
    alone answers: (column, (holds a ':', is a year label, the year of a title)), or
    (column, None) for a cell without a label text, which may hold a long title. Other
    cells can give no year. Remembered per distinct texts (perfxl.reader.labels.asked)."""
    long = may_hold_long(texts)  # else a blank text is no text (Labels.long)
    cells: list[tuple[int, tuple[bool, bool, int | None] | None]] = []
    for c, text in enumerate(texts):
        if not text:
            if long:
                cells.append((c, None))
            continue
        colon, is_label = ":" in text, bool(match_column(text, _YEAR))
        found = _TITLE_YEAR.search(text)
        in_title = int(found.group(1)) if found else None
        if colon or is_label or in_title is not None:
            cells.append((c, (colon, is_label, in_title)))
    return tuple(cells)


def _year_right_of(row: list[Any], c: int) -> int | None:
    """The year right of a 自评年度 label, before the next text."""
    for other in row[c + 1 :]:
        year = _year_value(other)
        if year is not None:
            return year
        if label(other):
            break
    return None


def _colon_pair(text: str, columns: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """split_label_value, skipped for the many texts without a colon to split at."""
    if "：" not in text and ":" not in text:
        return None
    return split_label_value(text, columns)


def _year_value(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 2000 <= value <= 2099:
        return value
    if isinstance(value, float) and value.is_integer() and 2000 <= value <= 2099:
        return int(value)
    found = _YEAR_VALUE.match(label(value)) if isinstance(value, str) else None
    return int(found.group(1)) if found else None
