"""calamine is handed the checked archive re-packed with every member stored
(perfxl.reader.archive.stored_copy), so it inflates nothing a second time. The copy
must hold the same members, in the same order, under the same names, with the bytes
and CRC that passed the checks, and be a zip that zipfile and calamine both read; an
archive that is not plain, too large, or names a member twice is left as it is."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest

from perfxl.reader import grid
from perfxl.reader.archive import (
    STORED_COPY_LIMIT,
    archive_members,
    check_members,
    stored_copy,
    wants_stored_copy,
)
from perfxl.reader.calamine_copy import NEVER_READ, STYLES, formats_only, with_early_merge_cells

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.xlsx"))


def _zip(
    members: list[tuple[str, bytes]], comment: bytes = b"", method: int = zipfile.ZIP_DEFLATED
) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members:
            archive.writestr(name, content)
        archive.comment = comment
    return buffer.getvalue()


def _contents(data: bytes) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every CRC holds
        return [(i.filename, i.CRC, archive.read(i)) for i in archive.infolist()]


def _for_calamine(name: str, xml: bytes) -> bytes | None:
    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
        return with_early_merge_cells(xml)
    if name == STYLES:  # only numFmts and cellXfs (see perfxl.reader.calamine_copy)
        shortened = formats_only(xml)
        return None if shortened is xml else shortened
    return None


def test_the_copy_holds_the_same_members_stored() -> None:
    members = [
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/worksheets/sheet1.xml", b"<worksheet>" + b"<row/>" * 500 + b"</worksheet>"),
        ("xl/中文部件.xml", "数据".encode()),  # a UTF-8 name (flag 0x800)
        ("xl/empty/", b""),
    ]
    data = _zip(members)
    listed = archive_members(data)
    assert wants_stored_copy(listed)
    copy = stored_copy(listed, check_members(data, listed, lambda name: True))
    assert _contents(copy) == _contents(data)
    assert [name for name, _, _ in _contents(copy)] == [name for name, _ in members]
    with zipfile.ZipFile(io.BytesIO(copy)) as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
        assert [bool(i.flag_bits & 0x800) for i in archive.infolist()] == [
            False, False, False, True, False,
        ]  # fmt: skip
    # the copy is itself a plain archive: listed again, it has the same members
    assert [m.filename for m in archive_members(copy)] == [name for name, _ in members]


def test_archives_left_as_they_are() -> None:
    book = [("xl/workbook.xml", b"<workbook/>")]
    # a comment: listed by zipfile, not the plain directory
    assert not wants_stored_copy(archive_members(_zip(book, comment=b"note")))
    # a name twice
    with pytest.warns(UserWarning):  # zipfile warns of the name written twice
        twice = _zip(book + book)
    assert not wants_stored_copy(archive_members(twice))
    # larger than the copy's limit (stored already: a ratio that passes the checks)
    big = [(f"xl/big{n}.bin", b"\0" * (9 * 1024 * 1024)) for n in range(2)]
    assert STORED_COPY_LIMIT < 2 * 9 * 1024 * 1024
    assert not wants_stored_copy(archive_members(_zip(book + big, method=zipfile.ZIP_STORED)))


def test_seeds_read_the_same_from_the_copy_as_from_the_file(monkeypatch) -> None:
    assert SEEDS
    original_open = grid._open_checked

    def unpacked(data: bytes, for_calamine: bool = False):
        return original_open(data)[0], data

    for seed in SEEDS:
        data = seed.read_bytes()
        copied = grid.load(seed, data)
        monkeypatch.setattr(grid, "_open_checked", unpacked)
        plain = grid.load(seed, data)
        monkeypatch.setattr(grid, "_open_checked", original_open)
        assert copied.problem is None and plain.problem is None
        assert [(g.name, g.rows, g.formulas) for g in copied.grids] == [
            (g.name, g.rows, g.formulas) for g in plain.grids
        ]


def test_shared_strings_reach_calamine_through_the_copy() -> None:
    # a template written with shared strings (xl/sharedStrings.xml), which the copy
    # must carry for calamine; the count check still reads them first
    path = ROOT / "workbook_templates" / "mof2020_self_udf.xlsx"
    data = path.read_bytes()
    listed = archive_members(data)
    assert any(m.filename == "xl/sharedStrings.xml" for m in listed)
    assert wants_stored_copy(listed)
    _, copy = grid._open_checked(data, for_calamine=True)
    # the same members but those calamine never reads; each worksheet part opens with
    # an empty <mergeCells> (see perfxl.reader.calamine_copy) and its CRC is the changed
    # part's, which testzip checks
    expected = [
        (name, zlib.crc32(changed), changed)
        if (changed := _for_calamine(name, xml))
        else (name, crc, xml)
        for name, crc, xml in _contents(data)
        if not name.startswith(NEVER_READ)
    ]
    assert len(expected) < len(_contents(data))  # the template has document properties
    assert copy != data and _contents(copy) == expected
    loaded = grid.load(path, data)
    assert loaded.problem is None
    # the title typed in the template's first sheet, read through the shared strings
    assert any("绩效自评表" in str(v) for g in loaded.grids for r in g.rows for v in r)
