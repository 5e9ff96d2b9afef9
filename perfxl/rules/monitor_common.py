"""What the monitoring rules (FORM = "monitoring") share: where a table-level finding
goes and how a light reads. Not a rule module (its name does not start with px)."""

from __future__ import annotations

from perfxl.model import CellRef
from perfxl.monitoring.lights import Light
from perfxl.monitoring.model import MonitoringRow, MonitoringTable

WARNING_LIGHTS = (Light.RED, Light.YELLOW)
WEAK_ANSWERS = ("有可能", "不可能")  # 完全不可能 contains 不可能


def table_cell(table: MonitoringTable, *keys: str) -> CellRef:
    """The first known of the table's or its funds' cells named `keys`, else the
    project cell, else the first row's, else A1."""
    for key in keys:
        cell = table.funds.cells.get(key) or table.cells.get(key)
        if cell is not None:
            return cell
    if "project" in table.cells:
        return table.cells["project"]
    for row in table.rows:
        if row.cell is not None:
            return row.cell
    return CellRef(table.sheet, 1, 1)


def row_cell(row: MonitoringRow, *keys: str) -> CellRef | None:
    for key in keys:
        if key in row.cells:
            return row.cells[key]
    return row.cell


def weak_answer(answer: str | None) -> bool:
    """完成目标可能性 is 有可能 or 完全不可能 (or 不可能)."""
    return bool(answer) and any(w in answer for w in WEAK_ANSWERS)
