"""What several rules share: where to put a table-level finding, and name matching."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from perfxl.model import CellRef, Indicator, IndicatorTable
from perfxl.results import Method, RowResult, TableResult
from perfxl.text import normalize


def blank(text: str | None) -> bool:
    return text is None or not str(text).strip()


@lru_cache(maxsize=4096)  # pragma: no mutate (a cache size never changes an answer)
def canon(name: str | None) -> str:
    """A level name as compared with the profile: 产出指标 and 产出 are the same.
    Remembered: a county's tables use a few dozen level names, each rule asks per row."""
    text = normalize(name or "")
    return text.removesuffix("指标") or text


def cell_of(indicator: Indicator, key: str) -> CellRef | None:
    """The row's cell for `key`, or its first known cell."""
    return indicator.cells.get(key) or indicator.cell


def known_cells(table: IndicatorTable) -> list[CellRef]:
    cells = [*table.cells.values(), *table.funds.cells.values()]
    cells += [c for ind in table.indicators for c in ind.cells.values()]
    return cells


def anchor(table: IndicatorTable) -> CellRef:
    """A cell for a finding about the whole table: the total, else its top-left cell."""
    if "total" in table.cells:
        return table.cells["total"]
    return top_cell(table)


def top_cell(table: IndicatorTable) -> CellRef:
    """The table's top-left known cell (A1 when nothing is known)."""
    cells = known_cells(table)
    if not cells:
        return CellRef(table.sheet, 1, 1)
    return min(cells, key=lambda c: (c.row, c.col))


def header_cell(table: IndicatorTable, key: str) -> CellRef:
    """The indicator header's cell for a column (年度指标值 for "target"), as near as known.

    The header sits right above the first indicator row; without rows, the table's anchor.
    """
    for indicator in table.indicators:
        cell = indicator.cells.get(key)
        if cell is not None:
            return CellRef(cell.sheet, max(cell.row - 1, 1), cell.col)
    return anchor(table)


def scored_rows(result: TableResult) -> list[RowResult]:
    """Rows that count: neither not applicable nor left unscored."""
    return [r for r in result.rows if r.method not in (Method.NOT_APPLICABLE, Method.UNSCORED)]


def pct(value: Decimal) -> str:
    return f"{value * 100:.2f}%"


def num(value: Decimal | None) -> str:
    """A figure as staff write it: 87.26, 100, 2.7."""
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def engine_findings(result: TableResult, code: str) -> list:
    """The findings the engine raised with `code` while scoring this table."""
    return [f for f in result.all_findings if f.code == code]
