"""The archive handed to calamine: each worksheet opening with an empty <mergeCells>,
and without the members calamine never reads.

python-calamine's get_sheet_by_name always asks calamine for the sheet's merged cells
(Xlsx::merge_cells_by_sheet_name), and calamine finds them by reading the part's XML
from the top until the first <mergeCells> start tag: after the whole <sheetData>, where
the schema puts it. Every sheet was therefore parsed twice, once for its cells and once
more for merged cells that perfxl never asks calamine for (merges matter only when
annotate re-writes an .xls, read by xlrd). That second pass was 0.81 M of the 7.86 M
instructions a worker spent per workbook (benchmarks/instructions.py).

An empty <mergeCells></mergeCells> right after the root start tag ends that scan at
once. calamine's cell reader skips every element before <sheetData> (XlsxCellReader::new
in calamine 0.3x), so the cells it reads are the same; tests/test_calamine_copy.py
compares calamine's cells with and without the element on every fixture workbook, and a
calamine that reads merged cells some other way would only be slower, never read other
cells. A part is changed only when its root start tag is plainly written (an optional
UTF-8 byte-order mark and XML declaration, then `<worksheet …>` with quoted attribute
values holding no `<` or `>`); anything else (UTF-16, a comment before the root, an odd
tag) is handed over as it is, and calamine reads it the slower way.

Document properties, the theme, printer settings and the calculation chain are left
out: calamine opens a workbook through its relationships, shared strings, styles and
workbook part, and reads a sheet's part; these others it never opens, yet it copied
them in (a stored copy is read through a Python file object) and listed them. In the
benchmark county that is a third of the copy's bytes and 0.09 M instructions a file;
Excel's printer settings and a formula-heavy template's calculation chain weigh more.

Only the copy made for calamine is changed (archive.stored_copy): the bytes the
extent, formula and style scans read, openpyxl's fallback, and the file itself are
untouched.
"""

from __future__ import annotations

import re
import zlib

from perfxl.reader.archive import Member

EMPTY_MERGE_CELLS = b"<mergeCells></mergeCells>"
NEVER_READ = ("docProps/", "xl/theme/", "xl/printerSettings/", "xl/calcChain.xml")

_ROOT = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml[^<>]*\?>)?[ \t\r\n]*"
    rb"<(?:[A-Za-z_][\w.-]*:)?worksheet"
    rb"""(?:[ \t\r\n]+[^\s=<>/"']+[ \t\r\n]*=[ \t\r\n]*(?:"[^"<>]*"|'[^'<>]*'))*[ \t\r\n]*>"""
)


def with_early_merge_cells(xml: bytes) -> bytes | None:
    """The part with an empty <mergeCells> right after its root start tag, or None when
    the root start tag is not plainly written (see the module docstring)."""
    root = _ROOT.match(xml)
    if root is None:
        return None
    end = root.end()
    return xml[:end] + EMPTY_MERGE_CELLS + xml[end:]


def calamine_parts(
    members: list[Member], contents: dict[str, bytes]
) -> tuple[list[Member], dict[str, bytes]]:
    """`members` and `contents` for archive.stored_copy: those calamine may read (see
    NEVER_READ), each worksheet part (as xl/worksheets/*.xml) opening with an empty
    <mergeCells> and carrying its new CRC."""
    changed = dict(contents)
    listed: list[Member] = []
    for member in members:
        name = member.filename
        if name.startswith(NEVER_READ):
            continue
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = with_early_merge_cells(contents[name])
            if xml is not None:
                changed[name] = xml
                member = _restated(member, zlib.crc32(xml), len(xml))
        listed.append(member)
    return listed, changed


def _restated(member: Member, crc: int, size: int) -> Member:
    copy = Member()
    for slot in Member.__slots__:
        setattr(copy, slot, getattr(member, slot))
    copy.CRC, copy.file_size = crc, size
    return copy
