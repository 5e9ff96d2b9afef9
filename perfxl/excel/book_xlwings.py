"""The Book interface over a live Excel workbook through xlwings (Windows/macOS).

No test can run Excel here, so every method stays a line or two over the xlwings API;
tests/test_ribbon_xlwings.py drives it with fakes offering only real xlwings attributes.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from perfxl.excel.protection import PROTECT_OPTIONS, Protection, SheetLocked
from perfxl.excel.sheet import (
    _HEX,
    column_widths,
    link_target,
)
from perfxl.model import CellRef
from perfxl.reader.extent import MAX_CELLS, MAX_ROWS, READ_COLUMNS, READ_ROWS
from perfxl.reader.grid import Grid


def _as_text(value: Any) -> Any:
    """Excel parses what is assigned to Range.value like typed input ("00123" -> 123,
    "=A1" -> a formula); a leading apostrophe keeps a text a text."""
    return "'" + value if isinstance(value, str) and value else value


class XlwingsBook:
    """The interface over a live workbook in Excel, through xlwings (Windows/macOS).

    There is no Excel here: tests run it only against fakes of xlwings' classes (which
    offer nothing the real classes lack). So each method stays a thin call of the
    xlwings API: Range.value/formula/color/note/add_note/merge_area, Book.sheets.add,
    Sheet.visible, App.calculate, App.alert; only a filter, frozen panes, very hidden
    sheets and sheet protection, which xlwings lacks for desktop Excel, go through COM
    on Windows.
    """

    VERY_HIDDEN = 2  # xlSheetVeryHidden

    def __init__(self, book: Any) -> None:
        self.book = book

    @classmethod
    def active(cls) -> XlwingsBook:
        """The workbook the user is looking at, in the Excel that called RunPython (the
        caller may be the perfxl add-in itself, not the user's workbook)."""
        import xlwings as xw

        return cls(xw.Book.caller().app.books.active)

    def _range(self, cell: CellRef) -> Any:
        return self.book.sheets[cell.sheet].range((cell.row, cell.col))

    def anchor(self, cell: CellRef) -> CellRef:
        area = self._range(cell).merge_area
        return CellRef(cell.sheet, area.row, area.column)

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.book.sheets]

    def active_sheet(self) -> str:
        return self.book.sheets.active.name

    def activate(self, sheet: str) -> None:
        self.book.sheets[sheet].activate()

    def grid(self, sheet: str) -> Grid:
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        # a stray cell at XFD1048576 must not pull a billion cells into Python: read the
        # same bounded area the file reader reads of an oversized sheet
        rows = last.row if last.row <= MAX_ROWS else READ_ROWS
        cols = min(last.column, READ_COLUMNS) if last.row * last.column > MAX_CELLS else last.column
        area = ws.range((1, 1), (rows, cols)).options(ndim=2)
        values = [["" if v is None else v for v in row] for row in area.value]
        formulas = area.formula
        formulas = [[formulas]] if isinstance(formulas, str) else formulas
        flagged = frozenset(
            (r, c)
            for r, row in enumerate(formulas)
            for c, text in enumerate(row)
            if str(text).startswith("=")
        )
        return Grid(sheet, values, flagged)

    def rows(self, sheet: str) -> list[list[Any]]:
        if sheet not in self.sheet_names():
            return []
        ws = self.book.sheets[sheet]
        last = ws.used_range.last_cell
        return ws.range((1, 1), (last.row, last.column)).options(ndim=2).value

    def fill(self, cell: CellRef) -> str | None:
        rgb = self._range(cell).color
        return None if rgb is None else "#{:02X}{:02X}{:02X}".format(*rgb)

    def set_fill(self, cell: CellRef, color: str | None) -> None:
        self._range(cell).color = color if color and _HEX.match(color.upper()) else None

    def comment(self, cell: CellRef) -> str | None:
        note = self._range(cell).note
        return None if note is None else note.text

    def set_comment(self, cell: CellRef, text: str | None) -> None:
        target = self._range(cell)
        if target.note is not None:
            target.note.delete()
        if text:
            target.add_note(text)

    def protection(self, sheet: str) -> Protection | None:
        """Read through COM (xlwings has no protection API); None off Windows, where
        perfxl does not unprotect (macOS Excel is not supported, docs/excel.md)."""
        if not sys.platform.startswith("win"):
            return None
        ws = self.book.sheets[sheet].api
        if not (ws.ProtectContents or ws.ProtectDrawingObjects or ws.ProtectScenarios):
            return None
        allowed = ws.Protection
        options = {name: bool(getattr(allowed, name)) for name in PROTECT_OPTIONS[4:]}
        options |= {
            "DrawingObjects": bool(ws.ProtectDrawingObjects),
            "Contents": bool(ws.ProtectContents),
            "Scenarios": bool(ws.ProtectScenarios),
            "UserInterfaceOnly": bool(ws.ProtectionMode),
        }
        return Protection(options, int(ws.EnableSelection))

    def unprotect(self, sheet: str) -> None:
        """Unprotect with the empty password: it opens a sheet protected without one and
        fails on any other. (Leaving Password out would make Excel prompt for it.)"""
        try:
            self.book.sheets[sheet].api.Unprotect(Password="")
        except Exception as exc:  # pywintypes.com_error: the password is wrong
            raise SheetLocked(sheet) from exc

    def protect(self, sheet: str, protection: Protection) -> None:
        ws = self.book.sheets[sheet].api
        ws.Protect(**{name: protection.options[name] for name in PROTECT_OPTIONS})
        if protection.enable_selection is not None:
            ws.EnableSelection = protection.enable_selection

    def structure_locked(self) -> bool:
        """Workbook.ProtectStructure through COM; False off Windows (not read there)."""
        return sys.platform.startswith("win") and bool(self.book.api.ProtectStructure)

    def _replace_sheet(self, sheet: str) -> Any:
        if sheet in self.sheet_names():
            self.delete_sheet(sheet)
        return self.book.sheets.add(sheet, after=self.book.sheets[-1])

    def write_hidden(self, sheet: str, rows: Sequence[Sequence[str]]) -> None:
        ws = self._replace_sheet(sheet)
        ws.range("A1").value = [[_as_text(v) for v in row] for row in rows]
        ws.visible = False
        if sys.platform.startswith("win"):
            ws.api.Visible = self.VERY_HIDDEN  # not even listed under 取消隐藏

    def write_sheet(
        self,
        sheet: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        links: Sequence[CellRef | None],
        widths: Sequence[float],
    ) -> None:
        ws = self._replace_sheet(sheet)
        ws.range("A1").value = [[_as_text(v) for v in r] for r in [header, *rows]]
        ws.range((1, 1), (1, len(header))).font.bold = True
        for r, link in enumerate(links, start=2):
            if link is not None:
                target, shown = link_target(link).replace('"', '""'), str(link).replace('"', '""')
                ws.range((r, 3)).formula = f'=HYPERLINK("#{target}","{shown}")'
        for c, width in enumerate(column_widths(header, rows, widths), start=1):
            ws.range((1, c)).column_width = width
        if rows:
            ws.range((2, 4), (len(rows) + 1, 4)).wrap_text = True
        if sys.platform.startswith("win"):  # COM; xlwings has no filter/freeze for desktop
            ws.api.Range(f"A1:D{len(rows) + 1}").AutoFilter()
            ws.activate()
            window = ws.book.app.api.ActiveWindow
            window.SplitRow, window.SplitColumn = 1, 0
            window.FreezePanes = True

    def delete_sheet(self, sheet: str) -> None:
        ws = self.book.sheets[sheet]
        ws.visible = True  # Excel refuses to delete a very hidden sheet
        ws.delete()

    def calculate(self) -> None:
        self.book.app.calculate()

    def message(self, text: str) -> None:
        self.book.app.alert(text, title="perfxl")

    def folder(self) -> Path | None:
        full = Path(self.book.fullname)
        return full.parent if full.is_absolute() and full.parent.exists() else None

    def open(self, path: Path) -> None:
        self.book.app.books.open(str(path))
