"""The Book interface over an openpyxl workbook in memory: annotated copies and tests."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from perfxl.excel.protection import Protection, SheetLocked
from perfxl.excel.sheet import (
    _HEX,
    COMMENT_AUTHOR,
    column_widths,
    display_width,
    link_target,
)
from perfxl.model import CellRef
from perfxl.reader.grid import Grid

# Excel's Allow* options and the OOXML sheetProtection attribute that forbids each
# (formatCells="1" means formatting cells is NOT allowed on the protected sheet).
_ALLOW = {
    "AllowFormattingCells": "formatCells",
    "AllowFormattingColumns": "formatColumns",
    "AllowFormattingRows": "formatRows",
    "AllowInsertingColumns": "insertColumns",
    "AllowInsertingRows": "insertRows",
    "AllowInsertingHyperlinks": "insertHyperlinks",
    "AllowDeletingColumns": "deleteColumns",
    "AllowDeletingRows": "deleteRows",
    "AllowSorting": "sort",
    "AllowFiltering": "autoFilter",
    "AllowUsingPivotTables": "pivotTables",
}
# Worksheet.EnableSelection values (XlEnableSelection)
NO_RESTRICTIONS, UNLOCKED_CELLS, NO_SELECTION = 0, 1, -4142


class OpenpyxlBook:
    """The interface over an openpyxl workbook in memory.

    `grid()` reads the file this book was opened from through perfxl's reader, so the
    values are exactly those `perfxl validate` sees (cached formula results, formula
    cells flagged); a book built in memory is read from its cells instead. `calculate`
    asks Excel to recalculate fully when the file is next opened; `message` collects
    texts in `messages`; `open` collects paths in `opened`.
    """

    def __init__(self, workbook: Any, path: Path | None = None) -> None:
        self.workbook = workbook
        self.path = Path(path) if path is not None else None
        self.messages: list[str] = []
        self.opened: list[Path] = []

    @classmethod
    def load(cls, path: str | Path) -> OpenpyxlBook:
        import openpyxl

        path = Path(path)
        keep_vba = path.suffix.lower() in (".xlsm", ".xlam")
        return cls(openpyxl.load_workbook(path, keep_vba=keep_vba, rich_text=True), path)

    def save(self, path: str | Path) -> None:
        self.workbook.save(str(path))

    # -- the protocol

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def active_sheet(self) -> str:
        return self.workbook.active.title

    def activate(self, sheet: str) -> None:
        target = self.workbook[sheet]
        for ws in self.workbook.worksheets:
            ws.sheet_view.tabSelected = ws is target
        self.workbook.active = target

    def grid(self, sheet: str) -> Grid:
        if self.path is not None:
            from perfxl.reader.grid import load

            for grid in load(self.path).grids:
                if grid.name == sheet:
                    return grid
        ws = self.workbook[sheet]
        rows, formulas = [], set()
        for r, row in enumerate(ws.iter_rows()):
            values = []
            for c, cell in enumerate(row):
                if cell.data_type == "f":
                    formulas.add((r, c))
                    values.append("")
                else:
                    values.append("" if cell.value is None else cell.value)
            rows.append(values)
        return Grid(sheet, rows, frozenset(formulas))

    def rows(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.workbook.sheetnames:
            return []
        ws = self.workbook[sheet]
        return [list(r) for r in ws.iter_rows(values_only=True)]

    def _cell(self, cell: CellRef) -> Any:
        return self.workbook[cell.sheet].cell(row=cell.row, column=cell.col)

    def anchor(self, cell: CellRef) -> CellRef:
        for area in self.workbook[cell.sheet].merged_cells.ranges:
            if (
                area.min_row <= cell.row <= area.max_row
                and area.min_col <= cell.col <= area.max_col
            ):
                return CellRef(cell.sheet, area.min_row, area.min_col)
        return cell

    def fill(self, cell: CellRef) -> str | None:
        fill = self._cell(cell).fill
        if fill is None or fill.fill_type != "solid":
            return None
        color = fill.fgColor
        if color.type == "rgb" and isinstance(color.rgb, str):
            return "#" + color.rgb[-6:].upper()
        if color.type == "theme":
            return f"theme:{color.theme}:{color.tint}"
        if color.type == "indexed":
            return f"indexed:{color.indexed}"
        return None

    def set_fill(self, cell: CellRef, color: str | None) -> None:
        from openpyxl.styles import Color, PatternFill

        target = self._cell(cell)
        if not color:
            target.fill = PatternFill(fill_type=None)
        elif _HEX.match(color.upper()):
            rgb = "FF" + color[1:].upper()
            target.fill = PatternFill(fill_type="solid", fgColor=rgb, bgColor=rgb)
        elif color.startswith("theme:"):
            _, theme, tint = color.split(":")
            shade = Color(theme=int(theme), tint=float(tint))
            target.fill = PatternFill(fill_type="solid", fgColor=shade)
        elif color.startswith("indexed:"):
            shade = Color(indexed=int(color.split(":")[1]))
            target.fill = PatternFill(fill_type="solid", fgColor=shade)
        else:  # another implementation's token: no way to restore it here
            target.fill = PatternFill(fill_type=None)

    def comment(self, cell: CellRef) -> str | None:
        note = self._cell(cell).comment
        return None if note is None else note.text

    def set_comment(self, cell: CellRef, text: str | None) -> None:
        from openpyxl.comments import Comment

        target = self._cell(cell)
        if text is None:
            target.comment = None
            return
        lines = sum(max(1, -(-display_width(line) // 40)) for line in text.split("\n"))
        target.comment = Comment(text, COMMENT_AUTHOR, height=min(20 + 15 * lines, 400), width=260)

    def protection(self, sheet: str) -> Protection | None:
        state = self.workbook[sheet].protection
        if not state.sheet:
            return None
        options = {excel: not getattr(state, ooxml) for excel, ooxml in _ALLOW.items()}
        options |= {"Contents": True, "DrawingObjects": bool(state.objects)}
        options |= {"Scenarios": bool(state.scenarios), "UserInterfaceOnly": False}
        if state.selectUnlockedCells:
            selection = NO_SELECTION
        else:
            selection = UNLOCKED_CELLS if state.selectLockedCells else NO_RESTRICTIONS
        return Protection(options, selection, copy.copy(state))

    def unprotect(self, sheet: str) -> None:
        """Like Excel with the empty password: a sheet with a password stays locked."""
        from openpyxl.worksheet.protection import SheetProtection

        ws = self.workbook[sheet]
        if ws.protection.password or ws.protection.hashValue:
            raise SheetLocked(sheet)
        ws.protection = SheetProtection()

    def protect(self, sheet: str, protection: Protection) -> None:
        from openpyxl.worksheet.protection import SheetProtection

        if protection.token is not None:
            self.workbook[sheet].protection = copy.copy(protection.token)
            return
        o = protection.options
        state = SheetProtection(
            sheet=True, objects=o.get("DrawingObjects", True), scenarios=o.get("Scenarios", True)
        )
        for excel, ooxml in _ALLOW.items():
            setattr(state, ooxml, not o.get(excel, False))
        state.selectLockedCells = protection.enable_selection in (UNLOCKED_CELLS, NO_SELECTION)
        state.selectUnlockedCells = protection.enable_selection == NO_SELECTION
        self.workbook[sheet].protection = state

    def structure_locked(self) -> bool:
        security = self.workbook.security
        return bool(security is not None and security.lockStructure)

    def _replace_sheet(self, sheet: str) -> Any:
        index = None
        if sheet in self.workbook.sheetnames:
            index = self.workbook.sheetnames.index(sheet)
            self.delete_sheet(sheet)
        return self.workbook.create_sheet(sheet, index)

    def write_hidden(self, sheet: str, rows: Sequence[Sequence[str]]) -> None:
        ws = self._replace_sheet(sheet)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                _put_text(ws.cell(row=r, column=c), value)
        ws.sheet_state = "veryHidden"

    def write_sheet(
        self,
        sheet: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        links: Sequence[CellRef | None],
        widths: Sequence[float],
    ) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.hyperlink import Hyperlink

        ws = self._replace_sheet(sheet)
        bold, grey = Font(bold=True), PatternFill("solid", fgColor="FFD9D9D9")
        for c, title in enumerate(header, start=1):
            cell = ws.cell(row=1, column=c)
            _put_text(cell, title)
            cell.font, cell.fill = bold, grey
        top_wrap = Alignment(vertical="top", wrap_text=True)
        for r, (row, link) in enumerate(zip(rows, links, strict=True), start=2):
            for c, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                _put_text(cell, value)
                cell.alignment = top_wrap
            if link is not None:
                cell = ws.cell(row=r, column=3)
                cell.hyperlink = Hyperlink(ref=cell.coordinate, location=link_target(link))
                cell.font = Font(color="FF0563C1", underline="single")
        for c, width in enumerate(column_widths(header, rows, widths), start=1):
            ws.column_dimensions[get_column_letter(c)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"

    def delete_sheet(self, sheet: str) -> None:
        active = self.workbook.active  # openpyxl keeps the index, not the sheet, active
        self.workbook.remove(self.workbook[sheet])
        if self.workbook.worksheets:
            keep = active is not None and active.title != sheet and active.title in self.workbook
            self.activate(active.title if keep else self.workbook.worksheets[0].title)

    def calculate(self) -> None:
        self.workbook.calculation.fullCalcOnLoad = True

    def message(self, text: str) -> None:
        self.messages.append(text)

    def folder(self) -> Path | None:
        return None if self.path is None else self.path.parent

    def open(self, path: Path) -> None:
        self.opened.append(Path(path))


def _put_text(cell: Any, value: Any) -> None:
    """Write a value; text is always stored as text, even when it starts with = + - @."""
    if value is None or isinstance(value, int | float | date | datetime):
        cell.value = value
        return
    cell.value = str(value)
    cell.data_type = "s"
