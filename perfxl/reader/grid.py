"""Loading a workbook into plain grids of cell values, never raising on bad files.

python-calamine is the fast path (about 0.5 ms for a small workbook, no formula
evaluation, cached values only); openpyxl is tried when calamine refuses a file it can
read. Before either is asked, the file is sniffed so that the common failures (empty,
encrypted, old .xls, not a workbook, a zip bomb) get a reason a clerk can act on, and
every member of the archive is checked and inflated once under one budget
(perfxl.reader.archive), so no reader inflates a part that lies about its size or
fails its CRC.
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
import os
import re
import stat
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import python_calamine

from perfxl.reader.archive import (
    MAX_UNCOMPRESSED,  # noqa: F401  (re-exported: tests and callers know it here)
    ArchiveProblem,
    Budget,
    archive_members,
    check_members,
    inflate,
    stored_copy,
    wants_stored_copy,
)
from perfxl.reader.calamine_copy import calamine_parts
from perfxl.reader.extent import READ_COLUMNS, READ_ROWS, far_cells, survey
from perfxl.reader.formulas import formula_positions, sheet_parts
from perfxl.reader.labels import short_labels
from perfxl.reader.styles import PercentStyles, cell_style

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm")
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above any real self-evaluation workbook


@dataclass
class Grid:
    """One sheet's values, 0-based rows and columns from A1."""

    name: str
    rows: list[list[Any]]
    formulas: frozenset[tuple[int, int]] = frozenset()  # (row, col) of formula cells
    # (row, col) -> whether the cell's number format is a percentage, None if unknown
    percent_format: Callable[[int, int], bool | None] | None = None
    # row -> short_labels of that row, computed on first use (see labels())
    _labels: dict[int, list[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def labels(self, row: int) -> list[str]:
        """The normalised label text of each cell of `row` in the first SCAN_COLUMNS
        columns ("" for a cell that cannot be a label): the layout looks for several
        kinds of label in one row, and each cell is normalised only once."""
        texts = self._labels.get(row)
        if texts is None:
            cells = self.rows[row] if 0 <= row < len(self.rows) else []
            texts = self._labels[row] = short_labels(cells)
        return texts

    def is_percent(self, row: int, col: int) -> bool | None:
        """Whether the cell is formatted as a percentage; None when that is not known
        (a live sheet, a cell written without its reference, unreadable styles)."""
        if self.percent_format is None:
            return None
        try:
            return self.percent_format(row, col)
        except Exception:  # a best-effort look: the value has been read already
            return None

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
    """The worksheet parts of one archive, each inflated once: their reach and formulas.

    Every member has passed perfxl.reader.archive (sizes, CRC, one budget) before this
    sees it; the xl/worksheets/*.xml parts are kept (the size estimate and the formula
    byte search need them all). The workbook's own XML, which ties sheet names to
    parts, is parsed only when some part is too large or holds a formula, or when the
    workbook lists more worksheets than that folder holds.
    """

    def __init__(self, data: bytes, xml: dict[str, bytes]) -> None:
        self.data = data
        self.styles = PercentStyles(xml.pop(STYLES, None))
        self.xml = xml
        self.large: set[str] = set()
        self.with_formulas: set[str] = set()
        for member, part in self.xml.items():
            self._survey(member, part)
        self._names: dict[str, str] | None = None

    def _survey(self, member: str, xml: bytes) -> None:
        """How far the part reaches and whether it holds a formula, in one look."""
        large, formulas = survey(xml)
        if large:
            self.large.add(member)
        if formulas:
            self.with_formulas.add(member)

    def _member(self, sheet: str) -> str | None:
        """The part of `sheet`, read and measured if it lies outside xl/worksheets/."""
        if self._names is None:
            try:
                with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                    self._names = sheet_parts(archive)
            except Exception:  # names not known: see limit()
                self._names = {}
        member = self._names.get(sheet)
        if member is not None and member not in self.xml:
            try:  # checked already: this inflates it again for its bytes
                with zipfile.ZipFile(io.BytesIO(self.data)) as archive:
                    info = archive.getinfo(member)
                xml = inflate(self.data, info, Budget(), keep=True)
            except (KeyError, ArchiveProblem):
                return None
            self.xml[member] = xml
            self._survey(member, xml)
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

    def percent_format(self, sheet: str) -> Callable[[int, int], bool | None]:
        """Whether a cell of `sheet` is formatted as a percentage (perfxl.reader.styles)."""

        def percent(row: int, col: int) -> bool | None:
            member = self._member(sheet)
            if member is None:
                return None
            style = cell_style(self.xml[member], row, col)
            return None if style is None else self.styles.percent(style)

        return percent

    def formulas(self, sheet: str, bounded: bool) -> frozenset[tuple[int, int]]:
        if not self.with_formulas:
            return frozenset()
        member = self._member(sheet)
        if member is None or member not in self.with_formulas:
            return frozenset()
        return formula_positions(self.xml[member], READ_ROWS if bounded else None)


def _suffix_problem(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    if suffix == ".xls":
        return "旧版 .xls 格式不受支持，请在 Excel 中另存为 .xlsx 后重新提交"
    return f"不支持的文件类型“{path.suffix}”，请提交 .xlsx 或 .xlsm 工作簿"


STYLES = "xl/styles.xml"


def _is_kept(name: str) -> bool:
    """The parts kept once checked: the worksheets, the styles for number formats and
    the shared strings for their declared count."""
    return _is_kept_part(name) or name.lower().endswith("sharedstrings.xml")


def _is_kept_part(name: str) -> bool:
    """The parts _SheetParts looks at: the worksheets and the styles (shared strings
    are only counted, even under xl/worksheets/)."""
    if name.lower().endswith("sharedstrings.xml"):
        return False
    return (name.startswith("xl/worksheets/") and name.endswith(".xml")) or name == STYLES


def _open_checked(data: bytes, for_calamine: bool = False) -> tuple[dict[str, bytes], bytes]:
    """The archive's worksheet parts, every member checked (ArchiveProblem if not), and
    the bytes to hand calamine: with `for_calamine`, a small plain archive re-packed
    with every member stored (archive.stored_copy: calamine then inflates nothing
    again), else `data` itself."""
    members = archive_members(data)
    whole = for_calamine and wants_stored_copy(members)
    kept = check_members(data, members, _keep_all if whole else _is_kept)
    parts: dict[str, bytes] = {}
    for name, part in kept.items():  # _is_kept_part, written out: one pass, no calls
        if name.lower().endswith("sharedstrings.xml"):
            _check_shared_strings(name, part)
        elif (name.startswith("xl/worksheets/") and name.endswith(".xml")) or name == STYLES:
            parts[name] = part
    if whole:
        data = stored_copy(*calamine_parts(members, kept))  # see perfxl.reader.calamine_copy
    return parts, data


def _keep_all(name: str) -> bool:
    return True


_SST = re.compile(rb"<(?:[\w.-]+:)?sst(?=[\s/>])")
_UNIQUE = re.compile(rb"""\suniqueCount\s*=\s*["']\s*\+?([0-9]+)""")
_SI = re.compile(rb"<(?:[\w.-]+:)?si(?=[\s/>])")
MAX_STRINGS_SLACK = 1_000  # a declared count may exceed the strings present by this much


def _check_shared_strings(name: str, xml: bytes) -> None:
    """calamine reserves room for the declared uniqueCount before reading a string:
    uniqueCount="4000000000" in a 1 KB part asked for 96 GB and aborted the process.
    A count beyond the strings the part holds (plus slack) rejects the file."""
    root = _SST.search(xml)
    if root is None:
        return
    end = xml.find(b">", root.end())
    found = _UNIQUE.search(xml, root.end(), end if end >= 0 else len(xml))
    if found is None:
        return
    declared = found.group(1).lstrip(b"0") or b"0"
    if len(declared) <= 12 and int(declared) <= MAX_STRINGS_SLACK:
        return  # within the slack whatever the part holds: the strings need no count
    present = len(_SI.findall(xml))
    if len(declared) > 12 or int(declared) > 2 * present + MAX_STRINGS_SLACK:
        shown = declared[:15].decode()
        raise ArchiveProblem(
            f"工作簿已损坏（{name} 声明有 {shown} 个字符串，实际只有 {present} 个），疑似异常文件，不予读取"
        )


def sniff(path: Path) -> str | None:
    """A Chinese reason why `path` is not a readable .xlsx/.xlsm workbook, or None."""
    problem = _suffix_problem(path)
    if problem is not None:
        return problem
    try:
        data = path.read_bytes()
    except OSError as exc:
        return f"文件无法打开：{exc.strerror or exc}"
    try:
        _open_checked(data)
    except ArchiveProblem as exc:
        return str(exc)
    return None


def load(path: str | Path, data: bytes | None = None) -> LoadedWorkbook:
    """Every visible worksheet of the workbook as a Grid; problems as Chinese text.

    The file is read from disk once: the sniffing, the look at the sheet parts and
    calamine all work on the same bytes (a unit's workbook is a few hundred KB at most;
    anything larger than MAX_FILE_BYTES is refused before it is read). With `data`, those
    bytes are the workbook (an upload held in memory) and `path` only names it.
    """
    path = path if isinstance(path, Path) else Path(path)
    problem = _suffix_problem(path)
    if problem is not None:
        return LoadedWorkbook(problem=problem)
    if data is None:
        data = read_at_most(path, MAX_FILE_BYTES)
        if isinstance(data, str):
            return LoadedWorkbook(problem=data)
    elif len(data) > MAX_FILE_BYTES:
        return LoadedWorkbook(problem=too_big(len(data)))
    try:
        xml, stored = _open_checked(data, for_calamine=True)
    except ArchiveProblem as exc:
        return LoadedWorkbook(problem=str(exc))
    parts = _SheetParts(data, xml)
    try:
        loaded = _load_calamine(stored, data, parts)
    except BaseException as calamine_error:  # calamine raises its own types: try openpyxl
        _unless_panic(calamine_error)
        try:
            loaded = _load_openpyxl(data, parts)
        except Exception:
            problem = f"工作簿内容已损坏，无法解析（{_short(calamine_error)}）"
            return LoadedWorkbook(problem=problem)
    for grid in loaded.grids:
        grid.formulas = parts.formulas(grid.name, bounded=grid.name in loaded.limited)
        grid.percent_format = parts.percent_format(grid.name)
    return loaded


def too_big(size: int) -> str:
    return f"文件过大（{size // (1024 * 1024)} MB），不予读取"


def read_at_most(path: Path, limit: int) -> bytes | str:
    """The file's bytes, or the Chinese reason they are not read (too large, or the
    file cannot be opened). The size is asked of the open file, so nothing larger than
    `limit` is read; a regular file is read with one call (os level: a file object and
    its buffer cost more than the read itself for a workbook of a few dozen KB)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0) | os.O_CLOEXEC)
    except OSError as exc:
        return f"文件无法打开：{exc.strerror or exc}"
    try:
        status = os.fstat(fd)
        if status.st_size > limit:
            return too_big(status.st_size)
        wanted = status.st_size + 1
        chunks = [os.read(fd, wanted)]
        got = len(chunks[0])
        # a regular file that gives less than asked has ended; anything else is read on
        if not (stat.S_ISREG(status.st_mode) and got < wanted):
            while chunks[-1] and got <= limit:
                chunks.append(os.read(fd, 1 << 16))
                got += len(chunks[-1])
        if got > limit:  # grown since it was measured
            return too_big(got)
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        return f"文件无法打开：{exc.strerror or exc}"
    finally:
        os.close(fd)


def _load_calamine(stored: bytes, data: bytes, parts: _SheetParts) -> LoadedWorkbook:
    """calamine over `stored` (the checked archive, maybe re-packed stored); a sheet
    read bounded is read by openpyxl from the original `data`."""
    loaded = LoadedWorkbook()
    bounded = _BoundedReader(data)
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(stored)) as book:
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
                except BaseException as exc:  # one broken sheet must not lose the others
                    _unless_panic(exc)
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


def _unless_panic(exc: BaseException) -> None:
    """Re-raise anything but an ordinary exception or a Rust panic: pyo3 turns a panic
    inside calamine into PanicException, which derives from BaseException and would
    otherwise end the whole command instead of failing one file."""
    if isinstance(exc, Exception) or type(exc).__name__ == "PanicException":
        return
    raise exc


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
