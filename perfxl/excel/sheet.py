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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from perfxl.excel.protection import Protection, unprotected
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

    def protection(self, sheet: str) -> Protection | None:
        """The sheet's protection (perfxl.excel.protection); None when unprotected."""
        ...

    def unprotect(self, sheet: str) -> None:
        """Lift protection set without a password; SheetLocked when it has a password."""
        ...

    def protect(self, sheet: str, protection: Protection) -> None:
        """Protect the sheet again, without a password, with the options it had."""
        ...

    def structure_locked(self) -> bool:
        """Whether the workbook's structure is protected (no sheet can be added or
        deleted, so perfxl cannot write its 校验结果 and marks sheets)."""
        ...

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


def worst_severity(findings: Iterable[Finding]) -> Severity:
    """The most severe of the findings on one cell (error, then warning, then info): it
    picks the cell's fill (FILLS). The Excel ribbon, annotated copies and perfxl serve's
    /api/check-sheet marks all colour a cell by it, so they look the same."""
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    return min((f.severity for f in findings), key=order.index)


def marked_cells(book: Book) -> list[CellRef]:
    """The cells perfxl has marked and not yet cleared."""
    return [CellRef(r[0], *_rowcol(r[1])) for r in _mark_rows(book)]


@dataclass
class Marked:
    """What marking did: the cells marked, and the sheets left unmarked because they are
    protected with a password (their findings are only in the 校验结果 sheet)."""

    cells: list[CellRef] = field(default_factory=list)
    locked: list[str] = field(default_factory=list)


@dataclass
class Cleared:
    """What clearing did: cells restored, and sheets whose marks stay because they are
    now protected with a password (their records stay in the marks sheet)."""

    restored: int = 0
    locked: list[str] = field(default_factory=list)
    kept: list[list[str]] = field(default_factory=list)


def mark_findings(book: Book, findings: Sequence[Finding]) -> list[CellRef]:
    """Fill and comment every cell that has a finding (see `mark`); returns the cells."""
    return mark(book, findings).cells


def mark(book: Book, findings: Sequence[Finding]) -> Marked:
    """Fill and comment every cell that has a finding; earlier perfxl marks are cleared
    first. Findings on sheets the workbook does not have are skipped (they still appear
    in the 校验结果 sheet). A protected sheet is unprotected for the marking and
    protected again with the same options; one with a password is left unmarked."""
    cleared = _clear(book, results=False)
    sheets = set(book.sheet_names())
    by_cell: dict[CellRef, list[Finding]] = {}
    for f in findings:
        if f.cell is not None and f.cell.sheet in sheets:
            by_cell.setdefault(book.anchor(f.cell), []).append(f)
    records = list(cleared.kept)
    with unprotected(book, sorted({cell.sheet for cell in by_cell})) as locked:
        cells = [cell for cell in sorted(by_cell) if cell.sheet not in locked]
        for cell in cells:
            group = by_cell[cell]
            fill_before, comment_before = book.fill(cell), book.comment(cell)
            fill = FILLS[worst_severity(group)]
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
    return Marked(cells, sorted(locked | set(cleared.locked)))


def clear_marks(book: Book, *, results: bool = True) -> int:
    """Undo perfxl's marks (see `clear`); returns the number of cells restored."""
    return clear(book, results=results).restored


def clear(book: Book, *, results: bool = True) -> Cleared:
    """Undo perfxl's marks: restore each marked cell's fill and comment, unless the user
    has changed them since; delete the marks sheet and (with `results`) the 校验结果
    sheet perfxl wrote. Nothing else in the workbook is touched. Protected sheets are
    unprotected meanwhile and protected again with the same options; marks on a sheet
    now protected with a password stay, and so do their records."""
    cleared = _clear(book, results=results)
    if cleared.kept:
        book.write_hidden(MARKS_SHEET, [list(MARKS_HEADER), *cleared.kept])
    return cleared


def _clear(book: Book, *, results: bool) -> Cleared:
    sheets = set(book.sheet_names())
    rows = [(list(row) + [""] * 6)[:6] for row in _mark_rows(book)]
    rows = [row for row in rows if row[0] in sheets]
    cleared = Cleared()
    with unprotected(book, sorted({row[0] for row in rows})) as locked:
        for row in rows:
            sheet, a1, fill_before, fill_mark, comment_before, had = row
            if sheet in locked:
                cleared.kept.append(row)
                continue
            cell = CellRef(sheet, *_rowcol(a1))
            if fill_mark and _same_color(book.fill(cell), fill_mark):
                book.set_fill(cell, fill_before or None)
            current = book.comment(cell)
            if current is not None and current.startswith(COMMENT_HEAD):
                book.set_comment(cell, comment_before if had == "1" else None)
            cleared.restored += 1
    cleared.locked = sorted(locked)
    if MARKS_SHEET in sheets:
        book.delete_sheet(MARKS_SHEET)
    if results:
        name = results_sheet_name(book, existing=True)
        if name is not None:
            book.delete_sheet(name)
    return cleared


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


# The two implementations live in their own modules; importing them here keeps
# `from perfxl.excel.sheet import OpenpyxlBook, XlwingsBook` working.
from perfxl.excel.book_openpyxl import OpenpyxlBook  # noqa: E402
from perfxl.excel.book_xlwings import XlwingsBook  # noqa: E402

__all__ = ["Book", "OpenpyxlBook", "XlwingsBook"]
