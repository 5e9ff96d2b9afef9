"""How far each sheet of an .xls, .xlsb or .ods reaches, and where its formulas are,
measured from the file's own records before python-calamine is asked to read it.

calamine sizes a sheet by its farthest cell (and reserves what an .xls DIMENSIONS
record declares), and reads every sheet of an .xls or .ods when the file is opened. So
the measure follows calamine's own reading of each format (perfxl.reader.legacy uses
it; the limits are the .xlsx ones, perfxl.reader.extent):

- .xls: the BIFF records of the Workbook stream, each sheet from the offset its
  BOUNDSHEET record gives to its EOF; the cell records calamine keeps (not blanks),
  MULRK's last column, DIMENSIONS as declared; FORMULA records are the formula cells;
- .xlsb: BrtRowHdr rows and the cell records (BrtCellRk … BrtFmlaError) of each
  worksheet part, the parts named from xl/workbook.bin; BrtFmla* are formula cells;
- .ods: content.xml's rows and cells with their repeat counts, up to the last cell with
  content (LibreOffice ends each sheet with a million empty repeated rows, which
  calamine does not keep); cells with table:formula are formula cells.

.xlsb and .ods are zip archives: every member is inflated once under the archive
budget (perfxl.reader.archive) before anything here or in calamine reads it.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from perfxl.model import column_letter
from perfxl.reader.archive import OLE_MAGIC, SAVE_AS_XLSX, check_members
from perfxl.reader.extent import MAX_CELLS, MAX_ROWS

MAX_LEGACY_BYTES = 32 * 1024 * 1024  # an .xls is stored uncompressed: a few MB at most


class Refused(Exception):
    """The file is not read; the message is the Chinese reason."""


@dataclass
class SheetReach:
    name: str
    rows: int = 0  # 1-based reach, as calamine will place the cells
    columns: int = 0
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def reach(self, row: int, col: int) -> None:
        """Note a cell at 0-based (row, col)."""
        self.rows = max(self.rows, row + 1)
        self.columns = max(self.columns, col + 1)

    def check(self) -> None:
        if self.rows > MAX_ROWS or self.rows * self.columns > MAX_CELLS:
            far = f"{column_letter(min(self.columns, 10**6))}{self.rows}"
            raise Refused(
                f"工作表“{self.name}”的已用区域异常大（至 {far}），不予读取；"
                "请删除表格以外的多余内容，另存为 .xlsx 后重新提交"
            )


# --- .xls: the BIFF records of the Workbook stream -------------------------------------

_BOF, _EOF, _BOUNDSHEET, _FILEPASS, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x002F, 0x0200
_FORMULA, _MULRK = 0x0006, 0x00BD
# cell records calamine keeps, each starting with row and column (u16, u16)
_CELLS = frozenset({0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, _FORMULA})
_U16 = struct.Struct("<H")
_HEADER = struct.Struct("<HH")


def _measure_xls(data: bytes) -> list[SheetReach]:
    if data.startswith(b"PK"):
        raise Refused(
            "文件扩展名为 .xls，但内容是 .xlsx 格式的工作簿；请把扩展名改为 .xlsx 后重新提交"
        )
    if _looks_like_markup(data):
        raise Refused(
            "文件扩展名为 .xls，但内容是网页（HTML/XML）导出的表格，不是 Excel 工作簿；"
            "请在 Excel 或 WPS 中打开，" + SAVE_AS_XLSX
        )
    if not data.startswith(OLE_MAGIC):
        raise Refused("文件内容不是 Excel 工作簿（扩展名与内容不符）")
    stream = _workbook_stream(data)
    return _scan_biff(stream)


def _looks_like_markup(data: bytes) -> bool:
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") or head.startswith(b"\xff\xfe<") or b"<html" in head


def _workbook_stream(data: bytes) -> bytes:
    import olefile

    damaged = "旧版 .xls 文件已损坏或无法解析，请在 Excel 中打开后另存为 .xlsx"
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception as exc:
        raise Refused(damaged) from exc
    with ole:
        if ole.exists("EncryptedPackage"):
            raise Refused("工作簿已加密（设置了打开密码），请取消密码并另存为 .xlsx")
        for name in ("Workbook", "Book"):
            if ole.exists(name):
                try:
                    if ole.get_size(name) > MAX_LEGACY_BYTES:
                        raise Refused(damaged)
                    return ole.openstream(name).read()
                except Refused:
                    raise
                except Exception as exc:
                    raise Refused(damaged) from exc
    raise Refused("这是 Office 文件，但不是 Excel 工作簿（没有工作簿数据流）；" + SAVE_AS_XLSX)


def _records(stream: bytes, start: int = 0) -> Iterator[tuple[int, int, memoryview]]:
    """(offset, type, data) of each BIFF record from `start`; stops at a record cut short."""
    view = memoryview(stream)
    at, end = start, len(stream)
    while at + 4 <= end:
        typ, size = _HEADER.unpack_from(stream, at)
        if at + 4 + size > end:
            return
        yield at, typ, view[at + 4 : at + 4 + size]
        at += 4 + size


MAX_WALK = 8  # the sheets' records may be read this many times the stream, no more


def _scan_biff(stream: bytes) -> list[SheetReach]:
    """Each sheet's reach and formulas, read as calamine reads them: every BOUNDSHEET
    record names a sheet and the offset its records start at, and calamine parses the
    records from there to the sheet's EOF (nested BOF … EOF substreams, embedded
    charts, skipped). So each sheet is walked from its own offset, wherever it points:
    a crafted offset into the middle of another record is read the same way here.
    """
    places: list[tuple[int, str]] = []
    for _, typ, data in _records(stream):
        if typ == _BOUNDSHEET and len(data) >= 8:
            offset = struct.unpack_from("<I", data)[0]
            places.append((offset, _sheet_name(data, len(places) + 1)))
        elif typ == _FILEPASS:
            raise Refused("工作簿已加密（设置了打开密码），请取消密码并另存为 .xlsx")
    budget = MAX_WALK * len(stream) + (1 << 20)
    sheets = []
    for offset, name in places:
        sheet = SheetReach(name)
        sheets.append(sheet)
        seen_bof, depth = False, 0
        for _, typ, data in _records(stream, offset):
            budget -= 4 + len(data)
            if budget < 0:
                raise Refused("工作簿结构异常（工作表记录互相重叠），疑似异常文件，不予读取")
            if depth:
                depth += typ == _BOF
                depth -= typ == _EOF
                continue
            if typ == _BOF:
                depth, seen_bof = (1, seen_bof) if seen_bof else (0, True)
            elif typ == _EOF:
                break
            elif typ in _CELLS and len(data) >= 4:
                row, col = _HEADER.unpack_from(data)
                sheet.reach(row, col)
                if typ == _FORMULA:
                    sheet.formulas.add((row, col))
            elif typ == _MULRK and len(data) >= 6:
                row, first = _HEADER.unpack_from(data)
                last = _U16.unpack_from(data, len(data) - 2)[0]
                sheet.reach(row, max(first, last))
            elif typ == _DIMENSIONS:
                _declared(sheet, data)
    return sheets


def _declared(sheet: SheetReach, data: memoryview) -> None:
    """What a DIMENSIONS record makes calamine reserve: rows × columns it declares."""
    if len(data) == 14:
        first_row, last_row, first_col, last_col = struct.unpack_from("<IIHH", data)
    elif len(data) == 10:
        first_row, last_row, first_col, last_col = struct.unpack_from("<HHHH", data)
    else:
        return
    if first_col > 0xFF or last_col < first_col:
        first_col = 0
    if last_row < 1 or last_col < 1:
        return
    rows, cols = last_row - first_row, last_col - first_col
    if rows <= 0 or cols <= 0:  # calamine's unsigned arithmetic wraps: counted as huge
        rows, cols = 2**32, 2**16
    sheet.rows = max(sheet.rows, min(rows, 2**32))
    sheet.columns = max(sheet.columns, cols)


def _sheet_name(data: memoryview, number: int) -> str:
    """A BOUNDSHEET record's sheet name (BIFF8), for messages only."""
    try:
        count, flags = data[6], data[7]
        raw = bytes(data[8 : 8 + count * (2 if flags & 1 else 1)])
        return raw.decode("utf-16-le" if flags & 1 else "latin-1")[:100]
    except (IndexError, UnicodeDecodeError):
        return f"第{number}个工作表"


# --- .xlsb and .ods: zip archives, checked under the archive budget ---------------------


def _open_zip(data: bytes, required: str, kind: str) -> zipfile.ZipFile:
    """The .xlsb/.ods archive through the .xlsx reader's checks (empty, encrypted, not a
    zip, broken, bomb-sized, missing its workbook part), each reason a refusal."""
    from perfxl.reader.archive import ArchiveProblem, open_archive

    try:
        return open_archive(data, required, kind)
    except ArchiveProblem as exc:
        raise Refused(str(exc)) from exc


_XLSB_WORKBOOK = "xl/workbook.bin"
_XLSB_RELS = "xl/_rels/workbook.bin.rels"


def _measure_xlsb(data: bytes) -> list[SheetReach]:
    archive = _open_zip(data, _XLSB_WORKBOOK, ".xlsb")
    with archive:

        def keep(name: str) -> bool:
            return name in (_XLSB_WORKBOOK, _XLSB_RELS) or (
                name.startswith("xl/worksheets/") and name.endswith(".bin")
            )

        parts = check_members(data, archive, keep)
    named = _xlsb_sheets(parts)
    if named is None:  # names unknown: every worksheet-like part is measured, by its name
        return [
            _scan_xlsb(name.rsplit("/", 1)[-1], parts[name])
            for name in sorted(parts, key=_part_order)
            if name.startswith("xl/worksheets/")
        ]
    return [_scan_xlsb(sheet, parts[part]) for sheet, part in named if part in parts]


def _xlsb_sheets(parts: dict[str, bytes]) -> list[tuple[str, str]] | None:
    """(sheet name, part) from the BrtBundleSh records of xl/workbook.bin and the
    workbook's relationships; None when they cannot be read."""
    try:
        rels = ElementTree.fromstring(parts[_XLSB_RELS])
        targets = {}
        for rel in rels:
            target = (rel.get("Target") or "").replace("\\", "/")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[rel.get("Id")] = target
        book = parts[_XLSB_WORKBOOK]
        sheets = []
        at = 0
        while at < len(book):
            typ, at = _varint(book, at, 2)
            size, at = _varint(book, at, 4)
            body, at = book[at : at + size], at + size
            if typ == 0x009C:  # BrtBundleSh: state, tab id, relationship id, name
                rel_id, end = _wide(body, 8)
                name, _ = _wide(body, end)
                sheets.append((name, targets.get(rel_id, "")))
        return sheets
    except (KeyError, IndexError, ElementTree.ParseError, UnicodeDecodeError, struct.error):
        return None


def _wide(body: bytes, at: int) -> tuple[str, int]:
    """An XLWideString: a character count (u32), then UTF-16LE."""
    (count,) = struct.unpack_from("<I", body, at)
    if count == 0xFFFFFFFF:
        return "", at + 4
    end = at + 4 + 2 * count
    if end > len(body):
        raise IndexError
    return body[at + 4 : end].decode("utf-16-le"), end


def _part_order(name: str) -> tuple[int, str]:
    digits = "".join(ch for ch in name.rsplit("/", 1)[-1] if ch.isdigit())
    return (int(digits) if digits else 0, name)


def _varint(data: bytes, at: int, most: int) -> tuple[int, int]:
    """An .xlsb record's type or size: 7 bits a byte, low first, at most `most` bytes."""
    value = shift = 0
    for _ in range(most):
        if at >= len(data):
            raise IndexError
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value, at


_XLSB_ROW = 0x0000
_XLSB_CELLS = frozenset(range(0x0002, 0x000C))  # BrtCellRk … BrtFmlaError (not blanks)
_XLSB_FORMULAS = frozenset(range(0x0008, 0x000C))


def _scan_xlsb(name: str, part: bytes) -> SheetReach:
    sheet = SheetReach(name.rsplit("/", 1)[-1])
    row = 0
    at = 0
    try:
        while at < len(part):
            typ, at = _varint(part, at, 2)
            size, at = _varint(part, at, 4)
            body = part[at : at + min(size, 4)]
            at += size
            if len(body) < 4:
                continue
            if typ == _XLSB_ROW:
                row = struct.unpack("<I", body)[0]
            elif typ in _XLSB_CELLS:
                col = struct.unpack("<I", body)[0]
                sheet.reach(row, col)
                if typ in _XLSB_FORMULAS:
                    sheet.formulas.add((row, col))
    except IndexError:  # a record cut short: calamine stops there too
        pass
    return sheet


# calamine matches ODS tags by their written names (table:table-row …), as does this
_ODS_TAG = re.compile(
    rb"<(/?)(table:table-row|table:table-cell|table:covered-table-cell|table:table|text:p)"
    rb"(?=[\s/>])((?:[^>\"'/]|/(?!>)|\"[^\"]*\"|'[^']*')*)(/?)>"
)
_ROWS_REPEATED = re.compile(rb"""\stable:number-rows-repeated\s*=\s*["']([^"']*)""")
_COLUMNS_REPEATED = re.compile(rb"""\stable:number-columns-repeated\s*=\s*["']([^"']*)""")
_VALUE_TYPE = re.compile(rb"\soffice:value-type\s*=")
_FORMULA_ATTR = re.compile(rb"\stable:formula\s*=")
_NAME_ATTR = re.compile(rb"""\stable:name\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _repeat(pattern: re.Pattern[bytes], attributes: bytes) -> int:
    found = pattern.search(attributes)
    if found is None:
        return 1
    value = found.group(1).strip()
    return int(value) if value.isdigit() and len(value) < 10 else 10**9


def _measure_ods(data: bytes) -> list[SheetReach]:
    archive = _open_zip(data, "content.xml", ".ods")
    with archive:
        content = check_members(data, archive, lambda name: name == "content.xml")
    return _scan_ods(content["content.xml"])


def _scan_ods(xml: bytes) -> list[SheetReach]:
    """Each table's reach up to its last cell with content, repeats counted in full.

    One pass of a tag pattern over content.xml: rows and cells with their repeat
    counts; a cell has content when it has a value type or a paragraph.
    """
    sheets: list[SheetReach] = []
    current: SheetReach | None = None
    depth = 0  # tables nested in cells (shapes) are not sheets
    row = col = row_filled_to = 0
    cell: tuple[int, bytes] | None = None  # repeat and attributes of the open cell
    filled = False
    for match in _ODS_TAG.finditer(xml):
        closing, tag, attributes, empty = match.groups()
        if tag == b"table:table":
            if closing:
                depth -= 1
            elif not empty:
                depth += 1
                if depth == 1:
                    named = _NAME_ATTR.search(attributes)
                    name = (
                        (named.group(1) or named.group(2) or b"").decode("utf-8", "replace")
                        if named
                        else ""
                    )
                    current = SheetReach(name or f"第{len(sheets) + 1}个工作表")
                    sheets.append(current)
                    row = 0
            continue
        if current is None or depth != 1:
            continue
        if tag == b"table:table-row":
            if not closing:
                col = row_filled_to = 0
                row_repeat = _repeat(_ROWS_REPEATED, attributes)
            if closing or empty:
                if row_filled_to:
                    current.reach(row + row_repeat - 1, row_filled_to - 1)
                row += row_repeat
        elif tag == b"text:p":
            if not closing and cell is not None:
                filled = True
        else:  # a cell or a covered cell
            if not closing:
                cell = (_repeat(_COLUMNS_REPEATED, attributes), attributes)
                filled = _VALUE_TYPE.search(attributes) is not None
            if (closing or empty) and cell is not None:
                repeat, opened = cell
                if filled:
                    row_filled_to = col + repeat
                    if _FORMULA_ATTR.search(opened) and repeat < MAX_CELLS:
                        current.formulas.update((row, c) for c in range(col, col + repeat))
                col += repeat
                cell = None
    return sheets


MEASURES = {".xls": _measure_xls, ".xlsb": _measure_xlsb, ".ods": _measure_ods}
