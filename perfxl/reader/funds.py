"""The funds block (项目资金, 万元): amounts, the printed 执行率 and its points.

The block's label row names 全年执行数 beside a budget or arrival column; its figures
stand on the 年度资金总额 row, or on the first row below the labels with a figure.
Published tables bend this in three ways the reader follows:

- Amounts typed as text (`46.5万`, `50万元`, `"50"`) are read with the engine's
  quantity parser (perfxl.reader.cells.Figures.money), as in the indicator rows. A
  figure that cannot be read is a PX007 finding naming its cell; when a 执行率 was
  typed, the engine may then take it (Funds.rate_fallback) rather than score 0.
- A block headed 项目资金(元) (or 单位：元) holds 元: its bare figures are divided
  by 10,000, since perfxl's money is 万元; figures typed with a unit keep it.
- A 年度资金总额 row left at 0 with the figures on its 其中 row (`其中:本年财政拨款`):
  the amounts come from that row, the printed 执行率 and 得分 stay the total row's.
- A typed 执行率 is a fraction when it can be one. 1.0259 shown as 102.59% was
  divided by 100 for being above 1. Only a figure above FRACTION_LIMIT (an execution
  beyond 200%, which no budget reaches) is re-read as typed in percent (81.82 → 81.82%),
  and not even then when the cell's number format is a percentage (2.5 shown 250%).
  A text with % is a percentage as written; a text without one follows the same rule.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from perfxl.model import CellRef, Funds, Quantity
from perfxl.quantities import parse_actual
from perfxl.reader.cells import _MONEY_TARGET, ONE, Figures, cell_number, label
from perfxl.reader.grid import Grid
from perfxl.reader.labels import (
    FUNDS_COLUMNS,
    FUNDS_TOTAL_ROW,
    UNASKED,
    asked,
    label_columns,
    looks_at,
    sheet_labels,
    short_labels,
)

FRACTION_LIMIT = Decimal(2)
MONEY_FIELDS = ("initial_budget", "budget", "received", "spent")
_NAMES = {
    "initial_budget": "年初预算数",
    "budget": "全年预算数",
    "received": "全年到位数",
    "spent": "全年执行数",
    "weight": "分值",
    "rate": "执行率",
    "score": "得分",
}
_BREAKDOWN = ("其中", "本年财政拨款", "财政拨款", "上年结转", "其他资金")


NOT_LOOKED = -1  # read_funds / table_year: the caller has not looked for the label row


def read_funds(
    grid: Grid, top: int, bottom: int, figures: Figures, at: int | None = NOT_LOOKED
) -> Funds:
    """The first funds block between `top` and `bottom` (0-based rows), else Funds().

    `at` is its label row when the caller has found it already (funds_row; None when
    there is none), so the rows above a header are walked once for all it holds."""
    r = funds_row(grid, top, bottom) if at == NOT_LOOKED else at
    if r is None:
        return Funds()
    columns = funds_columns_of(sheet_labels(grid)[r])  # remembered by funds_row
    if columns is None:  # `at` named a row that is not a label row: no block there
        return Funds()
    value_row = _value_row(grid, r + 1, bottom, columns)
    if value_row is None:
        return Funds()
    scale = _YUAN if _in_yuan(grid, r) else ONE
    return _block(grid, value_row, bottom, columns, figures, scale)


def funds_row(grid: Grid, top: int, bottom: int) -> int | None:
    """The first row between `top` and `bottom` that is a funds block's label row."""
    labels = sheet_labels(grid)
    for r in range(top, bottom):
        texts = labels[r]
        columns = texts.answers.get(_funds_columns, UNASKED)  # asked inline (funds_columns_of)
        if columns is UNASKED:
            columns = asked(texts, _funds_columns)
        if columns is not None:
            return r
    return None


_YUAN = Decimal("0.0001")  # 元 → 万元
_UNIT_NOTE = re.compile(r"\((?:单位|金额单位)?[:：]?(万元|元)\)|^(?:单位|金额单位)[:：](万元|元)$")
looks_at((FUNDS_COLUMNS,), (_UNIT_NOTE,))  # what _funds_columns and _unit_note look for


def _in_yuan(grid: Grid, labels: int) -> bool:
    """The block says its amounts are in 元: 项目资金(元) on its label row or the row
    above, or 单位：元 there. Money is 万元 everywhere else in perfxl."""
    texts = sheet_labels(grid)
    for r in (labels - 1, labels):
        unit = asked(texts[r], _unit_note) if r >= 0 else None
        if unit is not None:
            return unit == "元"
    return False


def _unit_note(texts: list[str]) -> str | None:
    """The unit the first note of a row names (元 or 万元), remembered per texts."""
    for text in texts:
        found = _UNIT_NOTE.search(text)
        if found:
            return found.group(1) or found.group(2)
    return None


def funds_columns(row: list[Any]) -> dict[str, int] | None:
    """The funds block's label row: 全年执行数 beside a budget or arrival column."""
    return funds_columns_of(short_labels(row))


def funds_columns_of(texts: list[str]) -> dict[str, int] | None:
    """funds_columns of a row given as its short_labels (Grid.labels); the answer is
    remembered for the row's texts (perfxl.reader.labels.asked), so never modified."""
    return asked(texts, _funds_columns)


def _funds_columns(texts: list[str]) -> dict[str, int] | None:
    columns = label_columns(texts, FUNDS_COLUMNS)
    if "spent" not in columns or not ({"budget", "initial_budget", "received"} & columns.keys()):
        return None
    return columns


def _block(
    grid: Grid,
    value_row: int,
    bottom: int,
    columns: dict[str, int],
    figures: Figures,
    scale: Decimal,
) -> Funds:
    money_row = value_row
    if _all_zero(grid, value_row, columns):
        money_row = _breakdown_row(grid, value_row + 1, bottom, columns) or value_row
    values: dict[str, Decimal | None] = {}
    cells: dict[str, CellRef] = {}
    unreadable: list[str] = []
    for field, c in columns.items():
        r = money_row if field in MONEY_FIELDS else value_row
        cells[field] = figures.cell(r, c)
        if field in MONEY_FIELDS:
            values[field], bad = figures.money(grid.get(r, c), _NAMES[field], r, c, scale)
            if bad:
                unreadable.append(field)
        elif field == "rate":
            values[field] = _rate(grid, r, c, figures)
        elif grid.is_formula(r, c):  # a printed score a formula derived is no report
            values[field] = None
        else:
            values[field] = figures.number(grid.get(r, c), "points", _NAMES[field], r, c)
    rate = values.get("rate")
    no_budget = values.get("budget") is None and values.get("initial_budget") is None
    fallback = rate is not None and (
        "spent" in unreadable
        or (no_budget and bool({"budget", "initial_budget"} & set(unreadable)))
    )
    if fallback:  # the amounts give no rate: the engine takes the typed one
        figures.note_fallback(rate, cells["rate"])
    return Funds(  # by position (keywords to a class cost a dict per call), in field order
        values.get("initial_budget"),
        values.get("budget"),
        values.get("received"),
        values.get("spent"),
        values.get("weight"),
        rate,  # reported_rate
        values.get("score"),  # reported_score
        cells,
        fallback,  # rate_fallback
    )


def _rate(grid: Grid, row: int, col: int, figures: Figures) -> Decimal | None:
    """The printed 执行率 as a fraction (module docstring); a formula's result is none."""
    if grid.is_formula(row, col):
        return None
    value = grid.get(row, col)
    rate = figures.number(value, "rate", "执行率", row, col)
    if rate is None or rate <= FRACTION_LIMIT:
        return rate
    if isinstance(value, str) and "%" in label(value):
        return rate  # 250% as written
    if grid.is_percent(row, col):
        return rate  # 2.5 shown as 250%
    return rate / 100


def _value_row(grid: Grid, first: int, bottom: int, columns: dict[str, int]) -> int | None:
    """The 年度资金总额 row, or else the first row below the labels with a figure in it."""
    spent_col = columns["spent"]
    fallback = None
    labels = sheet_labels(grid)
    for r in range(first, bottom):
        for t in labels[r][:spent_col]:  # loops: no generator made per row
            if t in FUNDS_TOTAL_ROW or t.startswith("年度资金总额"):
                return r
        if fallback is None:
            for c in columns.values():
                if _has_figure(grid.get(r, c)):
                    fallback = r
                    break
    return fallback


def _all_zero(grid: Grid, row: int, columns: dict[str, int]) -> bool:
    """The amounts of a row are all empty or 0 (a total row left unfilled)."""
    for field, c in columns.items():
        if field in MONEY_FIELDS:
            value = grid.get(row, c)
            if value.__class__ is float:  # most amounts: its Decimal is 0 only if it is
                if value != 0.0 and value - value == 0.0:  # finite (not NaN, not ±inf)
                    return False
                continue
            number = cell_number(value)
            if number is not None and number.is_finite() and number != 0:
                return False
            if number is None and _has_figure(value):
                return False
    return True


def _breakdown_row(grid: Grid, first: int, bottom: int, columns: dict[str, int]) -> int | None:
    """The one breakdown row under the total row (其中:本年财政拨款, 上年结转资金, 其他资金)
    that holds an amount other than 0; None when none does or several do."""
    spent_col = columns["spent"]
    found = []
    labels = sheet_labels(grid)
    for r in range(first, min(bottom, first + 4)):
        texts = labels[r][:spent_col]
        if not any(t.startswith(_BREAKDOWN) for t in texts if t):
            break
        if not _all_zero(grid, r, columns):
            found.append(r)
    return found[0] if len(found) == 1 else None


def _has_figure(value: Any) -> bool:
    """A number, or a text the quantity parser reads as an amount."""
    if cell_number(value) is not None:
        return True
    if not isinstance(value, str) or not value.strip() or len(value) > 100:
        return False
    return isinstance(parse_actual(value, _MONEY_TARGET), Quantity)
