"""The sheet interface: what the ribbon and annotated copies need from a workbook.

The ribbon works on a live workbook through xlwings; `perfxl validate --annotate`
writes a copy with openpyxl; the tests here run on Linux without Excel. All three mark
cells the same way because the marking itself (`mark_findings`, `clear_marks`,
`write_results`) is written once, against the small `Book` protocol below, and each
implementation only translates primitive calls (read a sheet, set a fill, set a
comment, write a sheet) into its library:

- `OpenpyxlBook`: an openpyxl workbook in memory (annotated copies and tests);
- `XlwingsBook`: a live workbook in Excel (Windows/macOS). No test can run it here,
  so every method is a line or two over the xlwings API.

perfxl only undoes its own marks: every cell it fills or comments is recorded, with
the fill and comment it had before, in the very hidden sheet `perfxl_marks`; 清除标记
restores those cells (unless the user has since changed them) and touches nothing else.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from perfxl.findings import Finding, Severity
from perfxl.model import CellRef
from perfxl.reader.grid import Grid

MARKS_SHEET = "perfxl_marks"  # very hidden: one row per marked cell
META_SHEETS = (
    "perfxl_meta",
    "_perfxl",
)  # hidden key/value sheet (perfxl.template writes perfxl_meta)
RESULTS_SHEET = "校验结果"
RESULTS_FALLBACK = "perfxl校验结果"  # when the workbook has its own sheet named 校验结果
RESULTS_HEADER = ("代码", "级别", "位置", "说明")
RESULTS_WIDTHS = (9.0, 7.0, 24.0, 90.0)  # characters; 说明 wraps
MARKS_HEADER = ("sheet", "cell", "fill_before", "fill_mark", "comment_before", "had_comment")

# Fills as #RRGGBB: Excel's standard "bad" red and a clear orange; info findings get a
# comment but no fill, so a sheet full of hints does not look alarming.
FILLS: dict[Severity, str | None] = {
    Severity.ERROR: "#FF7C80",
    Severity.WARNING: "#FFC000",
    Severity.INFO: None,
}
SEVERITY_ZH = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
COMMENT_HEAD = "perfxl 校验："  # every perfxl comment starts so; clearing looks for it
COMMENT_BEFORE = "——原有批注——"
COMMENT_AUTHOR = "perfxl"
FORMULA_STARTS = ("=", "+", "-", "@")  # text starting so must be written as text
_HEX = re.compile(r"^#[0-9A-F]{6}$")


class Book(Protocol):
    """The few operations the ribbon and annotated copies need from a workbook.

    Cells are `CellRef`s (1-based). A fill is a colour token: None for no fill,
    "#RRGGBB" for a solid colour, or an implementation's own token (openpyxl keeps
    theme colours as "theme:N:tint") that only the same implementation restores.
    Every text written through `write_sheet` and `write_hidden` lands as text, never
    as a formula, whatever its first character.
    """

    def sheet_names(self) -> list[str]: ...

    def active_sheet(self) -> str: ...

    def activate(self, sheet: str) -> None: ...

    def grid(self, sheet: str) -> Grid:
        """The sheet's values from A1 (formula cells flagged), as the reader expects."""
        ...

    def rows(self, sheet: str) -> list[list[Any]]:
        """A (possibly hidden) sheet's values from A1; [] when there is no such sheet."""
        ...

    def anchor(self, cell: CellRef) -> CellRef:
        """The top-left cell of the merged area holding `cell`; the cell itself if unmerged.
        Marks go there: it is the cell Excel shows, fills and comments."""
        ...

    def fill(self, cell: CellRef) -> str | None: ...

    def set_fill(self, cell: CellRef, color: str | None) -> None: ...

    def comment(self, cell: CellRef) -> str | None: ...

    def set_comment(self, cell: CellRef, text: str | None) -> None: ...

    def write_hidden(self, sheet: str, rows: Sequence[Sequence[str]]) -> None:
        """Replace a very hidden sheet's contents with text rows (create it if needed)."""
        ...

    def write_sheet(
        self,
        sheet: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        links: Sequence[CellRef | None],
        widths: Sequence[float],
    ) -> None:
        """Replace a visible sheet with a table: bold frozen header, filter, column widths;
        `links[i]` makes row i's third column a link to that cell."""
        ...

    def delete_sheet(self, sheet: str) -> None: ...

    def calculate(self) -> None: ...

    def message(self, text: str) -> None: ...

    def folder(self) -> Path | None:
        """Where the workbook is saved; None for a new, unsaved one."""
        ...

    def open(self, path: Path) -> None:
        """Open another workbook for the user (a newly built form)."""
        ...


# --------------------------------------------------------------------------- marking


def comment_text(findings: Iterable[Finding], before: str | None = None) -> str:
    """The comment perfxl puts on a cell: every finding there, then any earlier comment."""
    lines = [COMMENT_HEAD]
    lines += [f"[{SEVERITY_ZH[f.severity]}] {f.code} {f.message}" for f in findings]
    if before:
        lines += [COMMENT_BEFORE, before]
    return "\n".join(lines)


def _worst(findings: Iterable[Finding]) -> Severity:
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    return min((f.severity for f in findings), key=order.index)


def marked_cells(book: Book) -> list[CellRef]:
    """The cells perfxl has marked and not yet cleared."""
    return [CellRef(r[0], *_rowcol(r[1])) for r in _mark_rows(book)]


def mark_findings(book: Book, findings: Sequence[Finding]) -> list[CellRef]:
    """Fill and comment every cell that has a finding; earlier perfxl marks are cleared
    first. Findings on sheets the workbook does not have are skipped (they still appear
    in the 校验结果 sheet). Returns the marked cells."""
    clear_marks(book, results=False)
    sheets = set(book.sheet_names())
    by_cell: dict[CellRef, list[Finding]] = {}
    for f in findings:
        if f.cell is not None and f.cell.sheet in sheets:
            by_cell.setdefault(book.anchor(f.cell), []).append(f)
    records = []
    for cell in sorted(by_cell):
        group = by_cell[cell]
        fill_before, comment_before = book.fill(cell), book.comment(cell)
        fill = FILLS[_worst(group)]
        if fill is not None:
            book.set_fill(cell, fill)
        book.set_comment(cell, comment_text(group, comment_before))
        records.append(
            [
                cell.sheet,
                cell.a1,
                fill_before or "",
                fill or "",
                comment_before or "",
                "1" if comment_before is not None else "0",
            ]
        )
    if records:
        book.write_hidden(MARKS_SHEET, [list(MARKS_HEADER), *records])
    return sorted(by_cell)


def clear_marks(book: Book, *, results: bool = True) -> int:
    """Undo perfxl's marks: restore each marked cell's fill and comment, unless the user
    has changed them since; delete the marks sheet and (with `results`) the 校验结果
    sheet perfxl wrote. Nothing else in the workbook is touched. Returns cells restored."""
    sheets = set(book.sheet_names())
    restored = 0
    for row in _mark_rows(book):
        sheet, a1, fill_before, fill_mark, comment_before, had = (list(row) + [""] * 6)[:6]
        if sheet not in sheets:
            continue
        cell = CellRef(sheet, *_rowcol(a1))
        if fill_mark and _same_color(book.fill(cell), fill_mark):
            book.set_fill(cell, fill_before or None)
        current = book.comment(cell)
        if current is not None and current.startswith(COMMENT_HEAD):
            book.set_comment(cell, comment_before if had == "1" else None)
        restored += 1
    if MARKS_SHEET in sheets:
        book.delete_sheet(MARKS_SHEET)
    if results:
        name = results_sheet_name(book, existing=True)
        if name is not None:
            book.delete_sheet(name)
    return restored


def _mark_rows(book: Book) -> list[list[str]]:
    rows = book.rows(MARKS_SHEET)
    return [[_text(v) for v in r] for r in rows[1:] if r and r[0] not in (None, "")]


def _same_color(current: str | None, mark: str) -> bool:
    return (current or "").upper() == mark.upper()


# --------------------------------------------------------------------------- 校验结果


def results_sheet_name(book: Book, *, existing: bool = False) -> str | None:
    """The sheet perfxl's results go to: 校验结果, unless the workbook has its own sheet
    by that name (one without perfxl's header), then perfxl校验结果. With `existing`,
    the name of the results sheet perfxl already wrote, or None."""
    names = set(book.sheet_names())
    for name in (RESULTS_SHEET, RESULTS_FALLBACK):
        if name not in names:
            if not existing:
                return name
            continue
        rows = book.rows(name)
        if rows and tuple(_text(v) for v in rows[0][: len(RESULTS_HEADER)]) == RESULTS_HEADER:
            return name
    return None


def result_rows(findings: Sequence[Finding]) -> list[list[str]]:
    return [[f.code, SEVERITY_ZH[f.severity], f.location, f.message] for f in findings]


def write_results(book: Book, findings: Sequence[Finding]) -> str:
    """Write (or replace) the 校验结果 sheet: one row per finding with a link to its cell.
    Returns the sheet's name."""
    name = results_sheet_name(book, existing=True) or results_sheet_name(book)
    assert name is not None  # a free name always exists: perfxl校验结果 is perfxl's own
    sheets = set(book.sheet_names())
    links = [f.cell if f.cell is not None and f.cell.sheet in sheets else None for f in findings]
    book.write_sheet(name, RESULTS_HEADER, result_rows(findings), links, RESULTS_WIDTHS)
    return name


def link_target(cell: CellRef) -> str:
    """An in-workbook link target: 'Sheet'!E12 (quotes in sheet names doubled)."""
    return "'{}'!{}".format(cell.sheet.replace("'", "''"), cell.a1)


# --------------------------------------------------------------------------- the profile


def workbook_meta(book: Book) -> dict[str, str]:
    """Key/value pairs from the template's hidden meta sheet (first two columns)."""
    names = set(book.sheet_names())
    meta: dict[str, str] = {}
    for sheet in META_SHEETS:
        if sheet in names:
            for row in book.rows(sheet):
                if len(row) >= 2 and row[0] not in (None, "") and row[1] not in (None, ""):
                    meta.setdefault(_text(row[0]).strip().lower(), _text(row[1]).strip())
    return meta


def workbook_profile(book: Book) -> str | None:
    """The profile name a template recorded in its meta sheet (key profile or 评分规则)."""
    meta = workbook_meta(book)
    return meta.get("profile") or meta.get("评分规则") or None


# --------------------------------------------------------------------------- helpers


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rowcol(a1: str) -> tuple[int, int]:
    """'E12' -> (12, 5)."""
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", a1.strip())
    if not match:
        raise ValueError(f"not a cell address: {a1!r}")
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


def display_width(text: str) -> int:
    """Width in Excel character units: a CJK character counts as two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def column_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], limits: Sequence[float]
) -> list[float]:
    """Widths fitted to the content, each capped by its limit (long text wraps)."""
    widths = []
    for i, limit in enumerate(limits):
        texts = [header[i], *(r[i] for r in rows if i < len(r))]
        widest = max(display_width(_text(t)) for t in texts) + 2
        widths.append(float(min(max(widest, 6), limit)))
    return widths


# --------------------------------------------------------------------------- openpyxl


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


# --------------------------------------------------------------------------- xlwings


def _as_text(value: Any) -> Any:
    """Excel parses what is assigned to Range.value like typed input ("00123" -> 123,
    "=A1" -> a formula); a leading apostrophe keeps a text a text."""
    return "'" + value if isinstance(value, str) and value else value


class XlwingsBook:
    """The interface over a live workbook in Excel, through xlwings (Windows/macOS).

    There is no Excel here: tests run it only against fakes of xlwings' classes (which
    offer nothing the real classes lack). So each method stays a thin call of the
    xlwings API: Range.value/formula/color/note/add_note/merge_area, Book.sheets.add,
    Sheet.visible, App.calculate, App.alert; only a filter, frozen panes and very hidden
    sheets, which xlwings lacks for desktop Excel, go through COM on Windows.
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
        area = ws.range((1, 1), (last.row, last.column)).options(ndim=2)
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
