"""Loading a workbook into plain grids of cell values, never raising on bad files.

python-calamine is the fast path (about 0.5 ms for a small workbook, no formula
evaluation, cached values only); openpyxl is tried when calamine refuses a file it can
read. Before either is asked, the file is sniffed so that the common failures (empty,
encrypted, old .xls, not a workbook, a zip bomb) get a reason a clerk can act on.
Hidden sheets are left out: units hide old copies and drop-down lists there, and
reading them would score a project twice.

Every sheet part is read from the archive once, for two looks at its bytes: where its
formulas are (perfxl.reader.formulas) and how far it reaches (perfxl.reader.extent).
calamine allocates a sheet's whole used range, so a sheet with one stray cell at
XFD1048576 would abort the process; such a sheet is read bounded with openpyxl
instead (the first READ_ROWS rows and READ_COLUMNS columns) and the file gets a
warning naming the far cell. The other sheets of the file go through calamine.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from perfxl.reader.extent import READ_COLUMNS, READ_ROWS, far_cells, too_large
from perfxl.reader.formulas import formula_positions, has_formulas, sheet_parts

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
        """True when the cell holds a formula: its value is a cached result, or empty."""
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
    limited: dict[str, str] = field(default_factory=dict)  # sheet read bounded -> far cells

    def limited_messages(self) -> list[str]:
        """Why a sheet was read only in part, one Chinese sentence per sheet."""
        return [limited_message(sheet, far) for sheet, far in self.limited.items()]


def limited_message(sheet: str, far: str) -> str:
    return (
        f"工作表“{sheet}”的已用区域异常大（至 {far}），只读取了前 {READ_ROWS} 行、"
        f"{READ_COLUMNS} 列；请删除表格以外的多余内容"
    )


class _SheetParts:
    """The worksheet parts of one archive, each read once: their reach and formulas.

    Every xl/worksheets/*.xml part is read up front (the size estimate and the formula
    byte search need them all). The workbook's own XML, which ties sheet names to
    parts, is parsed only when some part is too large or holds a formula, or when the
    workbook lists more worksheets than that folder holds.
    """

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.xml: dict[str, bytes] = {}
        self.budget = [MAX_UNCOMPRESSED]  # shared by all parts: what the file may inflate to
        self.unreadable: set[str] = set()
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                try:
                    self.xml[info.filename] = _read_capped(archive, info, self.budget)
                except (OSError, zipfile.BadZipFile, NotImplementedError):
                    self.unreadable.add(info.filename)  # calamine reports the sheet
                    continue
        self.large = {member for member, xml in self.xml.items() if too_large(xml)}
        self.with_formulas = {member for member, xml in self.xml.items() if has_formulas(xml)}
        self._names: dict[str, str] | None = None

    def _member(self, sheet: str) -> str | None:
        """The part of `sheet`, read and measured if it lies outside xl/worksheets/."""
        if self._names is None:
            try:
                self._names = sheet_parts(self.archive)
            except Exception:  # names not known: see limit()
                self._names = {}
        member = self._names.get(sheet)
        if member is not None and member not in self.xml:
            if member in self.unreadable:
                return None
            try:
                xml = _read_capped(self.archive, self.archive.getinfo(member), self.budget)
            except (KeyError, OSError, zipfile.BadZipFile, NotImplementedError, _Inflates):
                self.unreadable.add(member)
                return None
            self.xml[member] = xml
            if too_large(xml):
                self.large.add(member)
            if has_formulas(xml):
                self.with_formulas.add(member)
        return member

    def limit(self, sheet: str, worksheets: int) -> str | None:
        """The far cells of `sheet` when it must be read bounded, else None.

        `worksheets` is how many worksheets the workbook lists: when every one has a
        part among those read and none of them is too large, nothing more is asked.
        """
        if not self.large and worksheets <= len(self.xml):
            return None
        member = self._member(sheet)
        if member is not None and member in self.large:
            return far_cells(self.xml[member])
        if member is None:  # its part is unknown: bounded if a large part is unclaimed
            claimed = set((self._names or {}).values())
            unclaimed = sorted(self.large - claimed)
            if unclaimed:
                return far_cells(self.xml[unclaimed[0]])
        return None

    def formulas(self, sheet: str, bounded: bool) -> frozenset[tuple[int, int]]:
        if not self.with_formulas:
            return frozenset()
        member = self._member(sheet)
        if member is None or member not in self.with_formulas:
            return frozenset()
        return formula_positions(self.xml[member], READ_ROWS if bounded else None)


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


class _Inflates(Exception):
    """A zip member inflates past the budget although its header claimed otherwise."""


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    """Read a member in blocks, stopping once the whole file has inflated past the budget:
    a zip can lie about its sizes, and `ZipFile.read` would inflate up to 2 GiB first."""
    chunks = []
    with archive.open(info) as member:
        while block := member.read(1 << 20):
            budget[0] -= len(block)
            if budget[0] < 0:
                raise _Inflates
            chunks.append(block)
    return b"".join(chunks)


def load(path: str | Path) -> LoadedWorkbook:
    """Every visible worksheet of the workbook as a Grid; problems as Chinese text.

    The file is read from disk once: the sniffing, the look at the sheet parts and
    calamine all work on the same bytes (a unit's workbook is a few hundred KB at most;
    anything larger than MAX_FILE_BYTES is refused before it is read).
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
            parts = _SheetParts(archive)
        except _Inflates:
            limit = MAX_UNCOMPRESSED // (1024 * 1024)
            return LoadedWorkbook(problem=f"工作簿解压后超过 {limit} MB，疑似异常文件，已拒绝读取")
        try:
            loaded = _load_calamine(data, parts)
        except Exception as calamine_error:  # calamine raises its own types: try openpyxl
            try:
                loaded = _load_openpyxl(data, parts)
            except Exception:
                problem = f"工作簿内容已损坏，无法解析（{_short(calamine_error)}）"
                return LoadedWorkbook(problem=problem)
        for grid in loaded.grids:
            grid.formulas = parts.formulas(grid.name, bounded=grid.name in loaded.limited)
    return loaded


def _load_calamine(data: bytes, parts: _SheetParts) -> LoadedWorkbook:
    loaded = LoadedWorkbook()
    bounded = _BoundedReader(data)
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        worksheet = str(python_calamine.SheetTypeEnum.WorkSheet)
        metas = [meta for meta in book.sheets_metadata if str(meta.typ) == worksheet]
        try:
            for meta in metas:
                if str(meta.visible) != str(python_calamine.SheetVisibleEnum.Visible):
                    continue
                try:
                    far = parts.limit(meta.name, len(metas))
                    if far is not None:  # calamine would allocate the whole used range
                        rows = bounded.rows(meta.name)
                        loaded.limited[meta.name] = far
                    else:
                        sheet = book.get_sheet_by_name(meta.name)
                        rows = sheet.to_python(skip_empty_area=False)
                except Exception as exc:  # one broken sheet must not lose the others
                    loaded.sheet_problems[meta.name] = _short(exc)
                    continue
                loaded.grids.append(Grid(meta.name, rows))
        finally:
            bounded.close()
    return loaded


class _BoundedReader:
    """openpyxl over the same bytes, opened only when a sheet needs it."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.book: Any = None

    def rows(self, sheet: str) -> list[list[Any]]:
        if self.book is None:
            import openpyxl

            self.book = openpyxl.load_workbook(
                io.BytesIO(self.data), read_only=True, data_only=True
            )
        return _bounded_rows(self.book[sheet])

    def close(self) -> None:
        if self.book is not None:
            self.book.close()


def _bounded_rows(sheet: Any) -> list[list[Any]]:
    """The first READ_ROWS × READ_COLUMNS cells of a read-only sheet, without the empty
    rows at the bottom; parsing stops at the first row beyond the bound."""
    cells = sheet.iter_rows(max_row=READ_ROWS, max_col=READ_COLUMNS, values_only=True)
    rows = [["" if v is None else v for v in row] for row in cells]
    while rows and all(v == "" for v in rows[-1]):
        rows.pop()
    return rows


def _load_openpyxl(data: bytes, parts: _SheetParts) -> LoadedWorkbook:
    import openpyxl

    loaded = LoadedWorkbook()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            far = parts.limit(sheet.title, len(book.worksheets))
            if far is not None:
                rows = _bounded_rows(sheet)
                loaded.limited[sheet.title] = far
            else:
                rows = [
                    ["" if v is None else v for v in row]
                    for row in sheet.iter_rows(values_only=True)
                ]
            loaded.grids.append(Grid(sheet.title, rows))
    finally:
        book.close()
    return loaded


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
