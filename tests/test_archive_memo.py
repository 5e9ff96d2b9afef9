"""A member that passed in an earlier file is not inflated again only when its bytes
are the same (perfxl.reader.archive.check_members): same sizes and CRC with other
compressed bytes must still be inflated and checked."""

from __future__ import annotations

import io
import zipfile

import pytest

from perfxl.reader.archive import ArchiveProblem, check_members

THEME = b"<a:theme>" + b"x" * 3000 + b"</a:theme>"


def _zip(theme: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        archive.writestr("xl/theme/theme1.xml", theme)
    return buffer.getvalue()


def _check(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return check_members(data, archive, lambda name: name.startswith("xl/theme/"))


def test_a_member_seen_before_keeps_its_bytes() -> None:
    data = _zip(THEME)
    assert _check(data)["xl/theme/theme1.xml"] == THEME
    assert _check(_zip(THEME))["xl/theme/theme1.xml"] == THEME  # remembered, same bytes


def test_same_numbers_other_bytes_are_checked_again() -> None:
    good = _zip(THEME)
    _check(good)  # passes, and is remembered
    # flip one compressed byte of the theme: header numbers (sizes, CRC) unchanged
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        info = archive.getinfo("xl/theme/theme1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(good)
    damaged[start + info.compress_size // 2] ^= 0xFF
    with pytest.raises(ArchiveProblem):
        _check(bytes(damaged))
