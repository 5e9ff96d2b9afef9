"""Loading a workbook into plain grids of cell values, never raising on bad files.

python-calamine is the fast path (about 0.5 ms for a small workbook, no formula
evaluation, cached values only); openpyxl is tried when calamine refuses a file it can
read. Before either is asked, the file is sniffed so that the common failures (empty,
encrypted, old .xls, not a workbook, a zip bomb) get a reason a clerk can act on.
Hidden sheets are left out: units hide old copies and drop-down lists there, and
reading them would score a project twice.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from perfxl.reader.formulas import formula_cells

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNCOMPRESSED = 256 * 1024 * 1024  # a unit's self-evaluation workbook is a few hundred KB
MAX_RATIO = 200  # zip bombs compress thousands of times; real sheets far less
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real self-evaluation workbook


@dataclass
class Grid:
    """One sheet's values, 0-based rows and columns from A1."""

    name: str
    rows: list[list[Any]]
    formulas: frozenset[tuple[int, int]] = frozenset()  # (row, col) of formula cells

    def is_formula(self, row: int, col: int) -> bool:
        """True when the cell holds a formula, whose cached value perfxl does not trust."""
        return (row, col) in self.formulas

    def get(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return ""


@dataclass
class LoadedWorkbook:
    grids: list[Grid] = field(default_factory=list)
    problem: str | None = None  # why the file could not be read at all (Chinese)
    sheet_problems: dict[str, str] = field(default_factory=dict)


def _suffix_problem(path: Path) -> str | None:
    if path.suffix.lower() in SUPPORTED_SUFFIXES:
        return None
    if path.suffix.lower() == ".xls":
        return "旧版 .xls 格式不受支持，请在 Excel 中另存为 .xlsx 后重新提交"
    return f"不支持的文件类型“{path.suffix}”，请提交 .xlsx 或 .xlsm 工作簿"


def _archive_problem(data: bytes) -> tuple[str | None, zipfile.ZipFile | None]:
    """Check the bytes of a would-be workbook; on success hand back the open archive."""
    if not data:
        return "文件为空（0 字节）", None
    if data.startswith(OLE_MAGIC):
        return "工作簿已加密（设置了打开密码）或实为旧版 .xls 文件，请取消密码并另存为 .xlsx", None
    if not data.startswith(b"PK"):
        return "文件内容不是 Excel 工作簿（扩展名与内容不符）", None
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return "工作簿已损坏（压缩包结构无法读取）", None
    infos = archive.infolist()
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if total > MAX_UNCOMPRESSED or (total > 16 * 1024 * 1024 and total / packed > MAX_RATIO):
        return f"工作簿解压后过大（{total // (1024 * 1024)} MB），疑似异常文件，已拒绝读取", None
    if not any(info.filename == "xl/workbook.xml" for info in infos):
        return "压缩包中没有工作簿内容（xl/workbook.xml），不是有效的 Excel 文件", None
    return None, archive


def sniff(path: Path) -> str | None:
    """A Chinese reason why `path` is not a readable .xlsx/.xlsm workbook, or None."""
    problem = _suffix_problem(path)
    if problem is not None:
        return problem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"文件无法打开：{exc.strerror or exc}"
    return _archive_problem(data)[0]


def load(path: str | Path) -> LoadedWorkbook:
    """Every visible worksheet of the workbook as a Grid; problems as Chinese text.

    The file is read from disk once: the sniffing, the formula scan and calamine all
    work on the same bytes (a unit's workbook is a few hundred KB at most; anything
    larger than MAX_FILE_BYTES is refused before it is read).
    """
    path = Path(path)
    problem = _suffix_problem(path)
    if problem is not None:
        return LoadedWorkbook(problem=problem)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return LoadedWorkbook(
                problem=f"文件过大（{path.stat().st_size // (1024 * 1024)} MB），已拒绝读取"
            )
        data = path.read_bytes()
    except OSError as exc:
        return LoadedWorkbook(problem=f"文件无法打开：{exc.strerror or exc}")
    problem, archive = _archive_problem(data)
    if problem is not None or archive is None:
        return LoadedWorkbook(problem=problem)
    with archive:
        try:
            loaded = _load_calamine(data)
        except Exception as calamine_error:  # calamine raises its own types: try openpyxl
            try:
                loaded = _load_openpyxl(path)
            except Exception:
                problem = f"工作簿内容已损坏，无法解析（{_short(calamine_error)}）"
                return LoadedWorkbook(problem=problem)
        formulas = formula_cells(archive)
    for grid in loaded.grids:
        grid.formulas = formulas.get(grid.name, frozenset())
    return loaded


def _load_calamine(data: bytes) -> LoadedWorkbook:
    loaded = LoadedWorkbook()
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        for meta in book.sheets_metadata:
            if str(meta.typ) != str(python_calamine.SheetTypeEnum.WorkSheet):
                continue
            if str(meta.visible) != str(python_calamine.SheetVisibleEnum.Visible):
                continue
            try:
                sheet = book.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
            except Exception as exc:  # one broken sheet must not lose the others
                loaded.sheet_problems[meta.name] = _short(exc)
                continue
            loaded.grids.append(Grid(meta.name, rows))
    return loaded


def _load_openpyxl(path: Path) -> LoadedWorkbook:
    import openpyxl

    loaded = LoadedWorkbook()
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows = [
                ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
            ]
            loaded.grids.append(Grid(sheet.title, rows))
    finally:
        book.close()
    return loaded


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
