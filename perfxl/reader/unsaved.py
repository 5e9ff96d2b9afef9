"""Formula cells saved without their result: say so, instead of "未填写".

A workbook written by a program rather than by Excel or WPS (openpyxl, some exports,
a template filled in by a script) can hold a formula such as `=封面!B2` or `=SUM(…)`
with no saved result. perfxl reads saved results only (it does not evaluate formulas),
so such a cell reads as empty, and the engine and the rules would tell the clerk that
项目名称 or 实际完成值 "未填写" although the cell is filled in. Opening and saving the
file in Excel or WPS stores the results; the finding says exactly that (PX009).

`flag_unsaved` looks only at the cells a table was read from (names, funds, targets,
actuals, weights, scores) that are formula cells and read as empty, so an ordinary
table costs a few dozen dictionary lookups. Only when there is such a cell is the
sheet's XML read again, to tell a formula with no `<v>` (no saved result) from one
whose saved result is an empty text (`<v></v>`, which Excel writes for `=IF(…,"",…)`).
.xls, .xlsb and .ods always store a formula's result, so only .xlsx/.xlsm are looked at.

`supersede` drops the "未填写"/"无法识别" findings the engine and the rules then give on
those same cells (PX010, PX011, PX013, PX014, PX101), used by perfxl.validation.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree

from perfxl.findings import Finding, finding
from perfxl.model import CellRef, IndicatorTable
from perfxl.reader.archive import MAX_UNCOMPRESSED
from perfxl.reader.formulas import sheet_parts
from perfxl.reader.grid import Grid
from perfxl.reader.labels import HEADER_FIELDS, match_column
from perfxl.results import TableResult

CODE = "PX009"
SUPERSEDED = frozenset({"PX010", "PX011", "PX013", "PX014", "PX101"})
_OOXML = (".xlsx", ".xlsm")


def _table_cells(table: IndicatorTable) -> set[CellRef]:
    cells = set(table.cells.values()) | set(table.funds.cells.values())
    for indicator in table.indicators:
        cells.update(indicator.cells.values())
    return {cell for cell in cells if isinstance(cell, CellRef)}


def flag_unsaved(
    path: str | Path, grid: Grid, tables: list[IndicatorTable], data: bytes | None = None
) -> list[IndicatorTable]:
    """`tables` with a PX009 finding on each of their cells that is a formula without a
    saved result (module docstring). Never raises: any trouble leaves them as they are."""
    try:
        if not grid.formulas or _suffix(path) not in _OOXML:
            return tables
        headers = [_blank_header_formulas(grid, table) for table in tables]
        suspects = [
            {cell for cell in _table_cells(table) if _empty_formula(grid, cell)}
            | set(headers[index].values())
            for index, table in enumerate(tables)
        ]
        if not any(suspects):
            return tables
        refs = {cell.a1 for cells in suspects for cell in cells}
        unsaved = _without_value(
            path if isinstance(path, Path) else Path(path), grid.name, refs, data
        )
        flagged = []
        for index, table in enumerate(tables):
            cells = sorted(c for c in suspects[index] if c.a1 in unsaved)
            if not cells:
                flagged.append(table)
                continue
            found = tuple(finding(CODE, cell=cell) for cell in cells)
            # a blank 项目名称 has no cell of its own: the formula's is where it would be
            known = {f: c for f, c in headers[index].items() if c.a1 in unsaved}
            flagged.append(
                replace(
                    table,
                    findings=(*table.findings, *found),
                    cells={**known, **table.cells},
                )
            )
        return flagged
    except Exception:  # a best-effort look: the table has been read already
        return tables


def _suffix(path: str | Path) -> str:
    return (path if isinstance(path, Path) else Path(path)).suffix.lower()


def _empty_formula(grid: Grid, cell: CellRef) -> bool:
    return (
        cell.sheet == grid.name
        and grid.is_formula(cell.row - 1, cell.col - 1)
        and grid.get(cell.row - 1, cell.col - 1) in ("", None)
    )


def _blank_header_formulas(grid: Grid, table: IndicatorTable) -> dict[str, CellRef]:
    """项目名称 / 主管部门 / 实施单位 read as blank whose value cell (right of the label,
    before the next label) is a formula that reads as empty: field -> that cell."""
    missing = [f for f in HEADER_FIELDS if f not in table.cells and not getattr(table, f, None)]
    if not missing:
        return {}
    rows = [c.row - 1 for c in table.funds.cells.values()]
    rows += [c.row - 1 for i in table.indicators for c in i.cells.values()]
    bottom = min(rows, default=0)
    found: dict[str, CellRef] = {}
    for r in range(min(bottom, len(grid.rows))):
        texts = grid.labels(r)
        for c, text in enumerate(texts):
            field = match_column(text, HEADER_FIELDS) if text else None
            if field not in missing or field in found:
                continue
            for c2 in range(c + 1, len(texts)):
                if texts[c2] and match_column(texts[c2], HEADER_FIELDS) is not None:
                    break
                cell = CellRef(grid.name, r + 1, c2 + 1)
                if _empty_formula(grid, cell):
                    found[field] = cell
                    break
                if grid.get(r, c2) not in ("", None):
                    break
    return found


def _without_value(path: Path, sheet: str, refs: set[str], data: bytes | None) -> set[str]:
    """Which of `refs` (A1) on `sheet` are <c> elements with an <f> and no saved value
    (in `data` when given, else in the file at `path`)."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes() if data is None else data)) as archive:
        member = sheet_parts(archive).get(sheet)
        if member is None or archive.getinfo(member).file_size > MAX_UNCOMPRESSED:
            return set()
        xml = archive.read(member)
    found: set[str] = set()
    for _, element in ElementTree.iterparse(io.BytesIO(xml)):
        if element.tag.rsplit("}", 1)[-1] != "c":
            continue
        ref = element.get("r")
        if ref in refs:
            children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
            value = children.get("v")
            # no <v>, or an empty one on a cell that is not of text type (openpyxl writes
            # <v/>): no saved result; Excel saves an empty text result as t="str" <v></v>
            saved = value is not None and (bool(value.text) or element.get("t") == "str")
            if "f" in children and not saved:
                found.add(ref)
        element.clear()
    return found


def explain_unsaved(result: TableResult) -> TableResult:
    """The result without the blank-cell findings (rows' and table-level) on cells whose
    PX009 already says why they read as empty."""
    cells = unsaved_cells(result.table)
    if not cells:
        return result
    rows = tuple(replace(row, findings=supersede(row.findings, cells)) for row in result.rows)
    return replace(result, rows=rows, findings=supersede(result.findings, cells))


def supersede(findings: tuple[Finding, ...], unsaved: set[CellRef]) -> tuple[Finding, ...]:
    """`findings` without the blank-cell ones on cells PX009 already explains."""
    return tuple(f for f in findings if not (f.code in SUPERSEDED and f.cell in unsaved))


def unsaved_cells(table: IndicatorTable) -> set[CellRef]:
    return {f.cell for f in table.findings if f.code == CODE and f.cell is not None}
