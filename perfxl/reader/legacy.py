"""The other formats clerks send: .xls (Excel 97–2003), .xlsb and .ods, read into the
same grids as .xlsx; and the files that are no workbook at all, with a reason.

County offices still save in Excel 97–2003 format, and some units use LibreOffice or
Excel's binary format. python-calamine reads all three, so they go through the same
layout reader as .xlsx (perfxl.reader.layout) and score the same way.

calamine keeps to no budget of its own here either, so each file is looked at before
calamine is asked, as perfxl.reader.grid does for .xlsx:

- the file is at most MAX_LEGACY_BYTES; .xlsb and .ods are zip archives and every
  member is inflated once under the archive budget (perfxl.reader.archive);
- every sheet's reach is measured from the file's own records, the way calamine will
  place the cells, and must stay within the .xlsx limits (extent.MAX_ROWS, MAX_CELLS).
  calamine sizes a sheet by its farthest cell (and reserves what an .xls DIMENSIONS
  record declares), and reads every sheet of an .xls or .ods when the file is opened,
  so a sheet that reaches too far rejects the whole file (PX001, naming the far cell)
  instead of being read in part;
- formula cells are found in the same pass (FORMULA records, BrtFmla* records,
  table:formula attributes), so printed totals in formulas are treated as for .xlsx.

Text limits apply unchanged: the layout cuts labels and values as it does for any grid.

`load_any` is the reader's entry point for every path: an Office lock file (`~$名称`),
a WPS file (.et, .wps) and these formats are handled here, everything else by
perfxl.reader.grid.load.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import python_calamine

from perfxl.reader.archive import SAVE_AS_XLSX, ArchiveProblem
from perfxl.reader.grid import Grid, LoadedWorkbook, _short, _unless_panic, load

if TYPE_CHECKING:  # the record readers are imported when a legacy file comes (load_legacy)
    from perfxl.reader.legacy_reach import SheetReach

LEGACY_SUFFIXES = (".xls", ".xlsb", ".ods")
LOCK_PREFIX = "~$"
_IN_WPS = "（WPS 表格：文件 → 另存为 → Excel 工作簿 *.xlsx）"
WPS_FORMATS = {
    ".et": "这是 WPS 表格专用格式（.et），无法读取。" + SAVE_AS_XLSX + _IN_WPS,
    ".ett": "这是 WPS 表格模板（.ett），无法读取。" + SAVE_AS_XLSX + _IN_WPS,
    ".wps": "这是 WPS 文字文档（.wps），不是表格。请把自评表放进 WPS 表格或 Excel 中，"
    + SAVE_AS_XLSX,
}
FORMAT_NAMES = {".xls": "Excel 97–2003 工作簿（.xls）", ".xlsb": ".xlsb", ".ods": ".ods"}


def lock_file_reason(name: str) -> str:
    """Why `~$名称.xlsx` is not read: Excel writes it while the workbook is open."""
    return (
        f"“{name}”是 Excel/WPS 打开工作簿时生成的锁定文件，说明该工作簿正在 Excel 中打开，"
        "它本身不是工作簿；请关闭 Excel 后提交原工作簿"
    )


def special_problem(path: Path) -> str | None:
    """The reason a lock file or a WPS file is not read, else None."""
    if path.name.startswith(LOCK_PREFIX):
        return lock_file_reason(path.name)
    return WPS_FORMATS.get(path.suffix.lower())


def load_any(path: str | Path, data: bytes | None = None) -> LoadedWorkbook:
    """Every visible worksheet of any workbook perfxl reads (see the module docstring).
    With `data`, those bytes are the file (an upload held in memory), `path` its name."""
    path = path if isinstance(path, Path) else Path(path)
    problem = special_problem(path)
    if problem is not None:
        return LoadedWorkbook(problem=problem)
    if path.suffix.lower() in LEGACY_SUFFIXES:
        return load_legacy(path, data=data)
    return load(path, data)


def load_legacy(
    path: Path, merges: dict[str, list] | None = None, data: bytes | None = None
) -> LoadedWorkbook:
    """An .xls, .xlsb or .ods workbook as grids, or the reason it cannot be read.

    With `merges`, each sheet's merged areas ((row, col), (row, col)), 0-based, where
    calamine knows them (.xls), are put there too (for annotated copies). With `data`,
    those bytes are the file and `path` only names it."""
    # imported here, not with this module: an .xlsx-only run never needs the record readers
    from perfxl.reader.legacy_reach import MAX_LEGACY_BYTES, MEASURES, Refused

    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size if data is None else len(data)
        if size > MAX_LEGACY_BYTES:
            return LoadedWorkbook(problem=f"文件过大（{size // (1024 * 1024)} MB），不予读取")
        data = path.read_bytes() if data is None else data
    except OSError as exc:
        return LoadedWorkbook(problem=f"文件无法打开：{exc.strerror or exc}")
    try:
        sheets = MEASURES[suffix](data)
        for sheet in sheets:
            sheet.check()
    except Refused as exc:
        return LoadedWorkbook(problem=str(exc))
    except ArchiveProblem as exc:
        return LoadedWorkbook(problem=str(exc))
    return _read(data, suffix, sheets, merges)


def _read(
    data: bytes, suffix: str, sheets: list[SheetReach], merges: dict[str, list] | None
) -> LoadedWorkbook:
    """calamine over the measured bytes, with each sheet's formula cells by its name."""
    loaded = LoadedWorkbook()
    by_name = {sheet.name: sheet for sheet in sheets}
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except BaseException as exc:  # calamine raises its own types, or panics
        _unless_panic(exc)
        name = FORMAT_NAMES[suffix]
        return LoadedWorkbook(
            problem=f"{name}文件已损坏或无法解析（{_short(exc)}），请在 Excel 中打开后另存为 .xlsx"
        )
    with book:
        worksheet = str(python_calamine.SheetTypeEnum.WorkSheet)
        visible = str(python_calamine.SheetVisibleEnum.Visible)
        metas = [meta for meta in book.sheets_metadata if str(meta.typ) == worksheet]
        for meta in metas:
            if str(meta.visible) != visible:
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
                if merges is not None:
                    merges[meta.name] = list(sheet.merged_cell_ranges or [])
            except BaseException as exc:  # one broken sheet must not lose the others
                _unless_panic(exc)
                loaded.sheet_problems[meta.name] = _short(exc)
                continue
            measured = by_name.get(meta.name)
            formulas = frozenset(measured.formulas) if measured is not None else frozenset()
            loaded.grids.append(Grid(meta.name, rows, formulas))
    return loaded
