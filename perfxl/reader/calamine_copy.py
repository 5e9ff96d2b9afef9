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

Document properties, the theme, printer settings, the calculation chain and the content
types are left
out: calamine opens a workbook through its relationships, shared strings, styles and
workbook part, and reads a sheet's part; these others it never opens, yet it copied
them in (a stored copy is read through a Python file object) and listed them. In the
benchmark county that is a third of the copy's bytes and 0.09 M instructions a file;
Excel's printer settings and a formula-heavy template's calculation chain weigh more.

The styles part keeps only its number formats and cell formats (`numFmts`, `cellXfs`):
calamine's read_styles walks the whole part, every font, fill, border and colour, and
takes from it only the number format of each cell format (what tells a date from a
number). Those elements go over byte for byte, in their order, inside the same root
tag, so calamine builds the same list of formats; a part that is not plainly written
(not well-formed, a comment, a DOCTYPE or processing instruction, the kept elements
anywhere but under the root) is handed over as it is. A run's workbooks mostly share
a handful of styles parts, so each distinct part is worked out once (`_STYLES`).

Only the copy made for calamine is changed (archive.stored_copy): the bytes the
extent, formula and style scans read, openpyxl's fallback, and the file itself are
untouched.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from perfxl.reader.archive import _FAST, Member

EMPTY_MERGE_CELLS = b"<mergeCells></mergeCells>"
NEVER_READ = (
    "docProps/",
    "xl/theme/",
    "xl/printerSettings/",
    "xl/calcChain.xml",
    "[Content_Types].xml",
)
STYLES = "xl/styles.xml"

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
                member = _restated(member, _FAST.crc32(xml), len(xml))
        elif name == STYLES:
            original = contents[name]
            xml = formats_only(original)
            if xml is not original:
                changed[name] = xml
                member = _restated(member, _FAST.crc32(xml), len(xml))
        listed.append(member)
    return listed, changed


# styles part -> what calamine is handed (the part itself when it is not plainly
# written); bounded in entries and in the size of each, the oldest dropped first
_STYLES: dict[bytes, bytes] = {}
_STYLES_ENTRIES = 16
_STYLES_BYTES = 256 * 1024
_KEPT_STYLES = ("numFmts", "cellXfs")  # what calamine's read_styles takes


def formats_only(xml: bytes) -> bytes:
    """The styles part with only its numFmts and cellXfs under the root, or `xml`
    itself when it is not plainly written (see the module docstring)."""
    known = _STYLES.get(xml)
    if known is not None:
        return known
    shrunk = _formats_only(xml)
    result = xml if shrunk is None else shrunk
    if len(xml) <= _STYLES_BYTES:
        if len(_STYLES) >= _STYLES_ENTRIES:
            _STYLES.pop(next(iter(_STYLES)))
        _STYLES[xml] = result
    return result


class _NotPlain(Exception):
    pass


def _formats_only(xml: bytes) -> bytes | None:
    """Each child of the root runs from its start tag to the next child's (or the
    root's end tag): the kept children's spans, joined between the bytes up to the
    first child and those from the root's end tag, are the part without the others.
    Element names are compared as calamine compares them (the name after the first
    colon); the root must be styleSheet and no other element may be named so, the
    kept elements must be the root's children. expat, stricter than calamine's
    quick-xml, must accept the part, so no dropped byte could have made calamine fail."""
    first = 3 if xml.startswith(b"\xef\xbb\xbf") else 0  # after a byte-order mark
    # a tag first, no comment, CDATA or DOCTYPE, no processing instruction but the
    # XML declaration
    if not xml.startswith(b"<", first) or b"<!" in xml or xml.find(b"<?", first + 1) >= 0:
        return None
    parser = expat.ParserCreate()
    depth = 0
    children: list[tuple[int, bool]] = []  # (where it starts, whether it is kept)
    root_end = -1

    def start(name: str, attributes: object) -> None:
        nonlocal depth
        local = name.split(":", 1)[-1]
        if name.count(":") > 1 or (local == "styleSheet") != (depth == 0):
            raise _NotPlain
        kept = local in _KEPT_STYLES
        if kept and depth != 1:
            raise _NotPlain
        if depth == 1:
            children.append((parser.CurrentByteIndex, kept))
        depth += 1

    def end(name: str) -> None:
        nonlocal depth, root_end
        depth -= 1
        if depth == 0:
            root_end = parser.CurrentByteIndex

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, _NotPlain, ValueError):
        return None
    if root_end < 0 or all(kept for _, kept in children):
        return None  # an empty root, or nothing to leave out
    ends = [at for at, _ in children[1:]] + [root_end]
    spans = [xml[at:end] for (at, kept), end in zip(children, ends, strict=True) if kept]
    return xml[: children[0][0]] + b"".join(spans) + xml[root_end:]


def _restated(member: Member, crc: int, size: int) -> Member:
    copy = Member()
    copy.filename, copy.raw_name = member.filename, member.raw_name
    copy.flag_bits, copy.compress_type = member.flag_bits, member.compress_type
    copy.compress_size, copy.header_offset = member.compress_size, member.header_offset
    copy.CRC, copy.file_size = crc, size
    return copy
