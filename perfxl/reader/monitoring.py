"""Finding monitoring tables (项目支出绩效目标执行监控表) in a sheet by their labels.

A monitoring table is told apart from a 自评表 by what its headers say, both ways:
its indicator header names a target (年度指标值) and something only a monitoring
table has — an actual to date with its month (`1-6月实际完成值`, `半年度指标执行情
况`), 全年预计完成值 or 完成目标可能性 — and never a 分值 or 得分 column, which
every 自评表 has and perfxl.reader.layout requires. A sheet titled 自评表 is never
read here either. So neither reader takes the other's table.

Nothing sits at a fixed position: the header may take two rows (偏差原因分析 merged
over 经费保障 / 制度保障 / … and 完成目标可能性 over 确定能 / 有可能 / 完全不可能, ticked
with √), the funds block is the row above the indicators that names 年初预算数 or
全年预算数 and an amount spent to date, and the month comes from a label (`1—7月执行
数`, `截至6月底执行数`) or a 监控月份 cell. Tables stacked in one sheet split at the
next header. Figures go through perfxl.reader.cells.Figures (a NaN or 1e308 is a
PX006 finding, 46.5万 and 465000元 are 46.5 万元).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from perfxl.model import CellRef
from perfxl.monitoring.model import MonitoringFunds, MonitoringTable
from perfxl.reader.cells import Figures, cell_number, cell_text, label
from perfxl.reader.funds import _YUAN, _in_yuan, _rate
from perfxl.reader.grid import Grid
from perfxl.reader.labels import (
    SCAN_COLUMNS,
    UNASKED,
    asked,
    looks_at,
    match_column,
    sheet_labels,
    table_cache,
)
from perfxl.reader.layout import table_year
from perfxl.reader.monitoring_labels import (
    CAUSE_COLUMNS,
    COLUMNS,
    FUNDS,
    FUNDS_TOTAL_ROW,
    HEADER,
    LIKELIHOOD_COLUMNS,
    SELF_WORDS,
    column_field,
    month_label,
    month_number,
    sub_field,
)
from perfxl.reader.monitoring_rows import read_rows


def read_monitoring(grid: Grid) -> list[MonitoringTable]:
    """Every monitoring table in the sheet (usually one); none in a 自评表's sheet."""
    headers = find_monitoring_headers(grid)
    tables = []
    top = 0
    for i, (row, columns, month, sub) in enumerate(headers):
        stop = headers[i + 1][0] - 1 if i + 1 < len(headers) else len(grid.rows)
        stop = _next_project(grid, row, stop)
        tables.append(_read_table(grid, top, row, stop, columns, month, sub))
        top = stop
    return tables


def _next_project(grid: Grid, header: int, stop: int) -> int:
    """The next table's 项目名称 row (stacked tables), else `stop`."""
    for r in range(header + 1, stop):
        if any(t == "项目名称" or t.startswith("项目名称:") for t in grid.labels(r) if t):
            return r
    return stop


def find_monitoring_headers(
    grid: Grid,
) -> list[tuple[int, dict[str, int], int | None, dict[str, dict[int, str]]]]:
    """(header row, field -> column, month in a label, sub-columns) of each indicator
    header of a monitoring table. The sub-columns are the cause categories and the
    likelihood answers named in the row below (column -> category or answer)."""
    found = []
    r = 0
    labels = sheet_labels(grid)
    rows = len(labels)
    while r < rows:
        texts = labels[r]  # asked inline: every row of every sheet comes here
        candidate = texts.answers.get(_candidate, UNASKED)
        if candidate is UNASKED:
            candidate = asked(texts, _candidate)
        if candidate is not None and not _self_titled(grid, r):
            columns, month = candidate
            columns = dict(columns)  # the remembered answer is shared
            sub = _sub_columns(grid.labels(r + 1)) if r + 1 < rows else {}
            below, _ = asked(grid.labels(r + 1), _indicator_columns)
            for field, c in below.items():  # 1-6月 | 实际完成值 split over two rows
                columns.setdefault(field, c)
            header = r + 1 if any(sub.values()) or below.keys() - {"weight"} else r
            if "weight" not in below and _is_monitoring(columns, month):
                found.append((header, columns, month, sub))
                r = header
        r += 1
    return found


def _candidate(texts: list[str]) -> tuple[dict[str, int], int | None] | None:
    """The columns and month of a row that may head a monitoring table's indicators
    (it names 三级指标 and 年度指标值, and no 分值), else None; remembered per texts."""
    columns, month = asked(texts, _indicator_columns)
    if {"name", "target"} <= columns.keys() and "weight" not in columns:
        return columns, month
    return None


def _indicator_columns(texts: list[str]) -> tuple[dict[str, int], int | None]:
    """_columns of the indicator block, remembered per row texts: every row of every
    sheet is asked (perfxl.reader.labels.asked), so the answer is never modified."""
    return _columns(texts, COLUMNS)


def _columns(texts: list[str], table: dict) -> tuple[dict[str, int], int | None]:
    columns: dict[str, int] = {}
    month = None
    known = table_cache(table, "monitoring column")  # column_field's answers
    for c, text in enumerate(texts):
        if not text:
            continue
        answer = known.get(text)
        field, in_label = column_field(text, table) if answer is None else answer
        if field is None or field in columns:
            continue
        columns[field] = c
        if in_label is not None:
            month = month or in_label
            if field == "actual":
                columns["actual_month"] = c
    return columns, month


def _month_label(text: str) -> bool:
    return month_label(text) is not None


# what _candidate and _indicator_columns look for (column_field: a month label, or a label)
looks_at((COLUMNS,), tests=(_month_label,))


def _is_monitoring(columns: dict[str, int], month: int | None) -> bool:
    return bool({"actual_month", "predicted", "likelihood"} & columns.keys()) or (
        month is not None and "actual" in columns
    )


def _sub_columns(texts: list[str]) -> dict[str, dict[int, str]]:
    causes = {c: f for c, t in enumerate(texts) if (f := sub_field(t, CAUSE_COLUMNS))}
    answers = {c: f for c, t in enumerate(texts) if (f := sub_field(t, LIKELIHOOD_COLUMNS))}
    return {
        "causes": causes if len(causes) >= 2 else {},
        "answers": answers if len(answers) >= 2 else {},
    }


def _self_titled(grid: Grid, header: int) -> bool:
    """A title above says 自评表 (and not 监控): the self-evaluation reader's table."""
    for r in range(max(0, header - 12), header):
        for text in grid.labels(r):
            if text and any(w in text for w in SELF_WORDS) and "监控" not in text:
                return True
    return False


def _read_table(
    grid: Grid,
    top: int,
    header: int,
    stop: int,
    columns: dict[str, int],
    month: int | None,
    sub: dict[str, dict[int, str]],
) -> MonitoringTable:
    figures = Figures(grid.name)
    fields, cells = _header_fields(grid, top, stop)
    funds, funds_month = _funds(grid, top, header, figures)
    rows, notes = read_rows(grid, header, stop, columns, sub, figures)
    month_value = _month_value(fields["month"]) if "month" in fields else None
    date = _date_value(fields["date"]) if "date" in fields else None
    return MonitoringTable(
        sheet=grid.name,
        project=fields.get("project"),
        department=fields.get("department"),
        unit=fields.get("unit"),
        year=table_year(grid, top, header),
        month=month_value or funds_month or month,
        date=date,
        funds=funds,
        rows=tuple(rows),
        layout="mof2019" if "level2" in columns else "provincial",
        cells=cells,
        findings=tuple(figures.findings),
        reason=notes.get("reason"),
        measures=notes.get("measures"),
    )


def _header_fields(grid: Grid, top: int, stop: int) -> tuple[dict[str, Any], dict[str, CellRef]]:
    """项目名称, 主管部门, 实施单位, 监控月份, 填报日期: the value right of the label (or
    after its colon). The date may sit below the table, so the whole table is looked at."""
    values: dict[str, Any] = {}
    cells: dict[str, CellRef] = {}
    for r in range(top, stop):
        row = grid.rows[r][:SCAN_COLUMNS]
        texts = grid.labels(r)
        for c, value in enumerate(row):
            if value.__class__ is not str or not value or len(value) > 300:
                continue
            field = match_column(texts[c], HEADER) if texts[c] else None
            if field is None:
                field, rest = _colon(value)
                if field is not None and field not in values:
                    _keep(values, cells, field, rest, CellRef(grid.name, r + 1, c + 1))
                continue
            if field in values:
                continue
            for c2 in range(c + 1, len(row)):
                if texts[c2] and match_column(texts[c2], HEADER) is not None:
                    break
                if row[c2] not in (None, ""):
                    _keep(values, cells, field, row[c2], CellRef(grid.name, r + 1, c2 + 1))
                    break
    return values, cells


def _keep(values: dict, cells: dict, field: str, raw: Any, cell: CellRef) -> None:
    """Names as text; the month and the date as typed (a number, a date, a text)."""
    if field in ("month", "date"):
        values[field] = raw
    elif text := cell_text(raw):
        values[field] = text
    else:
        return
    cells[field] = cell


def _colon(text: str) -> tuple[str | None, str]:
    for sep in ("：", ":"):
        head, found, tail = text.partition(sep)
        if found and tail.strip() and len(head) <= 40:
            field = match_column(label(head), HEADER)
            if field is not None:
                return field, tail.strip()
    return None, ""


def _month_value(value: Any) -> int | None:
    """监控月份 as typed: 6, '6', '6月', '六月', '1-6月', a date."""
    if isinstance(value, dt.date):
        return value.month
    number = cell_number(value)
    if number is not None:
        return int(number) if number == int(number) and 1 <= number <= 12 else None
    text = label(value)
    found = month_label(text + ("执行数" if text.endswith("月") else ""))
    if found is not None:
        return found[0]
    match = re.fullmatch(r"(?:20\d\d年)?(\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份|底|末)?", text)
    return month_number(match.group(1)) if match else None


_DATE = re.compile(r"(20\d\d)\s*[年./-]\s*(\d{1,2})")


def _date_value(value: Any) -> tuple[int, int] | None:
    if isinstance(value, dt.date):
        return value.year, value.month
    found = _DATE.search(label(value)) if isinstance(value, str) else None
    if found and 1 <= int(found.group(2)) <= 12:
        return int(found.group(1)), int(found.group(2))
    return None


def _funds(
    grid: Grid, top: int, header: int, figures: Figures
) -> tuple[MonitoringFunds, int | None]:
    """The funds block above the indicator header, and the month its labels name."""
    for r in range(top, header):
        columns, month = _columns(grid.labels(r), FUNDS)
        if "spent" not in columns or not {"budget", "initial_budget"} & columns.keys():
            continue
        extra, _ = _columns(grid.labels(r), COLUMNS)  # 偏差原因 / 可能性 / 原因说明 there
        for field in ("cause", "likelihood", "reason"):
            if field in extra and extra[field] not in columns.values():
                columns[field] = extra[field]
        value_row = _value_row(grid, r + 1, header, columns)
        if value_row is None:
            return MonitoringFunds(cells={k: figures.cell(r, c) for k, c in columns.items()}), month
        scale = _YUAN if _in_yuan(grid, r) else Decimal(1)
        return _funds_row(grid, value_row, columns, figures, scale), month
    return MonitoringFunds(), None


def _value_row(grid: Grid, first: int, bottom: int, columns: dict[str, int]) -> int | None:
    """The 年度资金总额 row, else the first row below the labels with an amount."""
    fallback = None
    money = [columns[f] for f in ("initial_budget", "budget", "spent") if f in columns]
    for r in range(first, bottom):
        texts = grid.labels(r)[: min(money)]
        if any(t in FUNDS_TOTAL_ROW or t.startswith("年度资金总额") for t in texts):
            return r
        if fallback is None and any(cell_number(grid.get(r, c)) is not None for c in money):
            fallback = r
    return fallback


_FUNDS_NAMES = {"initial_budget": "年初预算数", "budget": "全年预算数", "spent": "执行数",
                "predicted": "全年预计执行数"}  # fmt: skip


def _funds_row(
    grid: Grid, r: int, columns: dict[str, int], figures: Figures, scale: Decimal
) -> MonitoringFunds:
    values: dict[str, Any] = {}
    for field, c in columns.items():
        if field in _FUNDS_NAMES:
            values[field], _ = figures.money(grid.get(r, c), _FUNDS_NAMES[field], r, c, scale)
        elif field == "rate":
            values[field] = _rate(grid, r, c, figures)
        else:
            values[field] = cell_text(grid.get(r, c))
    cause = values.get("cause")
    return MonitoringFunds(
        initial_budget=values.get("initial_budget"),
        budget=values.get("budget"),
        spent=values.get("spent"),
        reported_rate=values.get("rate"),
        predicted=values.get("predicted"),
        causes=tuple(
            k for k, words in CAUSE_COLUMNS.items() if cause and any(w in cause for w in words)
        ),
        likelihood=values.get("likelihood"),
        reason=values.get("reason"),
        cells={k: figures.cell(r, c) for k, c in columns.items()},
    )
