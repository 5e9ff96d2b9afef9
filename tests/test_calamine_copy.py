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
