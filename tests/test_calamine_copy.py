"""perfxl.reader.calamine_copy: calamine reads the same cells from a part that opens with
an empty <mergeCells>, and the element goes in only where the root tag is plainly written."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import python_calamine

from perfxl.reader.archive import (
    ArchiveProblem,
    archive_members,
    check_members,
    stored_copy,
    wants_stored_copy,
)
from perfxl.reader.calamine_copy import EMPTY_MERGE_CELLS, calamine_parts, with_early_merge_cells

ROOT = Path(__file__).resolve().parents[1]
NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def test_inserted_right_after_the_root_start_tag():
    xml = DECLARATION + b"<worksheet " + NS + b"><sheetData/></worksheet>"
    changed = with_early_merge_cells(xml)
    assert (
        changed
        == DECLARATION
        + b"<worksheet "
        + NS
        + b">"
        + EMPTY_MERGE_CELLS
        + b"<sheetData/></worksheet>"
    )


@pytest.mark.parametrize(
    "xml",
    [
        b"\xef\xbb\xbf" + DECLARATION + b"<worksheet " + NS + b">",  # byte-order mark
        b"<x:worksheet xmlns:x='urn:x' mc:Ignorable=\"x14ac\">",  # prefix, both quotes
        b"<worksheet\r\n\t" + NS + b"\n>",  # line breaks between attributes
        b"<worksheet>",  # no attribute at all
    ],
)
def test_plainly_written_roots_are_changed(xml):
    changed = with_early_merge_cells(xml)
    assert changed == xml + EMPTY_MERGE_CELLS


@pytest.mark.parametrize(
    "xml",
    [
        "<worksheet><sheetData/></worksheet>".encode("utf-16"),  # not UTF-8
        b"<!-- made by hand --><worksheet>",  # a comment before the root
        b'<worksheet a="x>y">',  # a ">" inside a value: where the tag ends is not plain
        b'<worksheet a="x<y">',
        b"<worksheet/>",  # no content to put anything into
        b"<chartsheet>",  # not a worksheet
        b"<worksheetx>",
        b'<worksheet a=x">',  # an unquoted value
        b"",
    ],
)
def test_anything_else_is_left_alone(xml):
    assert with_early_merge_cells(xml) is None


def _copies(data: bytes) -> tuple[bytes, bytes] | None:
    """calamine's copy of the archive as it was made before and as it is made now."""
    try:
        members = archive_members(data)
        if not wants_stored_copy(members):
            return None
        kept = check_members(data, members, lambda name: True)
    except ArchiveProblem:
        return None
    return stored_copy(members, kept), stored_copy(*calamine_parts(members, kept))


def _sheets(data: bytes) -> dict[str, list]:
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)) as book:
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }


def _fixture_workbooks() -> list[Path]:
    found = []
    for folder in ("examples", "workbook_templates", "tests"):
        found += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".xlsx", ".xlsm")]
    return sorted(found)


def test_calamine_reads_the_same_cells_from_every_tracked_workbook():
    """Templates, seeds, examples, the realworld and hostile fixtures, files saved by
    LibreOffice and WPS-like writers: every sheet's cells are equal either way."""
    compared = 0
    for path in _fixture_workbooks():
        copies = _copies(path.read_bytes())
        if copies is None:
            continue
        before, after = copies
        try:
            expected = _sheets(before)
        except Exception:
            continue
        assert _sheets(after) == expected, path
        compared += 1
    assert compared >= 40  # the fixtures are there: the loop did not skip everything


def test_calamine_no_longer_scans_for_merged_cells():
    """How the time is saved: calamine's merged-cell scan stops at the empty element,
    so it reports none for a sheet that has merges. If a calamine release finds merged
    cells another way this fails: the change is then dead weight, and worth a look."""
    data = (ROOT / "workbook_templates" / "mof2020_self_plain.xlsx").read_bytes()
    before, after = _copies(data)
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(before)) as book:
        name = book.sheet_names[0]
        assert book.get_sheet_by_name(name).merged_cell_ranges
    with python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(after)) as book:
        assert not book.get_sheet_by_name(name).merged_cell_ranges


STYLES_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
NUM_FMTS = b'<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;\xe5\xb9\xb4&quot;m&quot;\xe6\x9c\x88&quot;"/></numFmts>'
CELL_XFS = b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"><alignment wrapText="1"/></xf></cellXfs>'
FONTS = b'<fonts count="1"><font><sz val="11"/></font></fonts>'
COLORS = b'<colors><indexedColors><rgbColor rgb="00000000"/></indexedColors></colors>'


def _styles(body: bytes, root: bytes = b"styleSheet") -> bytes:
    return DECLARATION + b"<" + root + b" " + STYLES_NS + b">" + body + b"</" + root + b">"


def test_the_styles_part_keeps_only_number_and_cell_formats_in_their_order():
    from perfxl.reader.calamine_copy import formats_only

    xml = _styles(NUM_FMTS + FONTS + b"\n" + CELL_XFS + COLORS)
    assert formats_only(xml) == _styles(NUM_FMTS + CELL_XFS)
    # cellXfs before numFmts stays so: calamine then finds no custom format for them
    late = _styles(CELL_XFS + FONTS + NUM_FMTS)
    assert formats_only(late) == _styles(CELL_XFS + NUM_FMTS)
    prefixed = (
        b'<x:styleSheet xmlns:x="urn:x"><x:fonts/>'
        + b'<x:cellXfs><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>'
    )
    assert formats_only(prefixed) == (
        b'<x:styleSheet xmlns:x="urn:x"><x:cellXfs><x:xf numFmtId="14"/></x:cellXfs></x:styleSheet>'
    )


@pytest.mark.parametrize(
    "xml",
    [
        _styles(b"<!-- a comment -->" + FONTS + CELL_XFS),
        b"<!DOCTYPE styleSheet>" + _styles(FONTS + CELL_XFS),
        _styles(FONTS + b"<?pi x?>" + CELL_XFS),
        _styles(FONTS + CELL_XFS, root=b"sheet"),  # calamine would find no styleSheet end
        _styles(b"<extLst>" + NUM_FMTS + b"</extLst>" + CELL_XFS),  # calamine reads it there
        _styles(FONTS + b"<styleSheet/>" + CELL_XFS),  # calamine stops at its end
        _styles(b"<a:b:fonts/>" + CELL_XFS),  # a name quick-xml splits otherwise
        _styles(FONTS + CELL_XFS)[:-3],  # not well-formed
        _styles(FONTS + b"<fonts>&unknown;</fonts>" + CELL_XFS),
        _styles(NUM_FMTS + CELL_XFS),  # nothing to leave out
        "<styleSheet><fonts/><cellXfs/></styleSheet>".encode("utf-16"),
    ],
)
def test_a_styles_part_not_plainly_written_is_handed_over_as_it_is(xml):
    from perfxl.reader.calamine_copy import formats_only

    assert formats_only(xml) is xml


def test_the_styles_worked_out_are_bounded():
    from perfxl.reader import calamine_copy

    for n in range(3 * calamine_copy._STYLES_ENTRIES):
        calamine_copy.formats_only(_styles(FONTS + CELL_XFS + b"<x%d/>" % n))
    assert len(calamine_copy._STYLES) <= calamine_copy._STYLES_ENTRIES
    big = _styles(FONTS + b" " * calamine_copy._STYLES_BYTES + CELL_XFS)
    assert calamine_copy.formats_only(big) == _styles(CELL_XFS)
    assert big not in calamine_copy._STYLES


def test_dates_read_the_same_from_the_shortened_styles(tmp_path):
    """A cell whose date shows only through its custom number format (and one through a
    built-in format) is a date either way; fonts, fills and borders are left out."""
    import datetime

    import openpyxl
    from openpyxl.styles import Border, Font, PatternFill, Side

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = datetime.datetime(2023, 12, 31)
    sheet["A1"].number_format = 'yyyy"年"m"月"d"日"'
    sheet["A1"].font = Font(bold=True, color="FF0000")
    sheet["A1"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet["B1"] = 45000.5
    sheet["B1"].number_format = "mm-dd-yy"
    sheet["C1"] = 0.25
    sheet["C1"].number_format = "0.00%"
    sheet["C1"].border = Border(left=Side(style="thin"))
    sheet["D1"] = 12.5
    path = tmp_path / "dates.xlsx"
    book.save(path)
    before, after = _copies(path.read_bytes())
    assert len(after) < len(before)
    cells = _sheets(after)
    assert cells == _sheets(before)
    first = next(iter(cells.values()))[0]
    assert isinstance(first[0], datetime.date) and isinstance(first[1], datetime.date)
    assert first[2:] == [0.25, 12.5]


def test_a_restated_member_keeps_every_other_field():
    from perfxl.reader.archive import Member
    from perfxl.reader.calamine_copy import _restated

    member = Member()
    for n, slot in enumerate(Member.__slots__):
        setattr(member, slot, f"value {n}")
    copy = _restated(member, 7, 9)
    assert (copy.CRC, copy.file_size) == (7, 9)
    for slot in set(Member.__slots__) - {"CRC", "file_size"}:
        assert getattr(copy, slot) == getattr(member, slot), slot
