"""The central directory read without a ZipFile (perfxl.reader.archive._plain_directory)
must list exactly what zipfile lists, or decline and leave the archive to zipfile: the
member checks, and so the budget every reader keeps to, rest on that listing."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

from perfxl.reader.archive import (
    ArchiveProblem,
    _plain_directory,
    archive_members,
    open_archive,
)

FIELDS = ("filename", "flag_bits", "compress_type", "CRC", "compress_size", "file_size")
SEEDS = sorted((Path(__file__).resolve().parents[1] / "examples" / "seeds").glob("*.xlsx"))


def _zip(members: dict[str, bytes], comment: bytes = b"", **options) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, **options) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
        archive.comment = comment
    return buffer.getvalue()


def _zipfile_listing(data: bytes) -> list[tuple] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except Exception:
        return None
    return [(*(getattr(i, f) for f in FIELDS), i.header_offset) for i in infos]


def _agrees(data: bytes) -> bool:
    """True when the fast listing declines or equals zipfile's (offsets included)."""
    mine = _plain_directory(data)
    if mine is None:
        return True
    return _zipfile_listing(data) == [
        (*(getattr(m, f) for f in FIELDS), m.header_offset) for m in mine
    ]


BOOK = {"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"<worksheet/>" * 50}


def test_a_plain_archive_is_listed_as_zipfile_lists_it() -> None:
    data = _zip({**BOOK, "xl/中文.xml": b"x"})
    mine = _plain_directory(data)
    assert mine is not None  # the usual archive takes the fast way
    assert _agrees(data)
    assert [m.filename for m in mine] == [
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/中文.xml",
    ]


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_the_seed_workbooks_are_listed_as_zipfile_lists_them(seed: Path) -> None:
    data = seed.read_bytes()
    assert _plain_directory(data) is not None
    assert _agrees(data)


def test_what_zipfile_reads_differently_is_left_to_zipfile() -> None:
    plain = _zip(BOOK)
    odd = {
        "comment": _zip(BOOK, comment=b"hello"),  # the end record is not last
        "prepended": b"MZ" + b"\0" * 100 + plain,  # zipfile moves every offset
        "zip64 locator": plain[:-22] + struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1) + plain[-22:],
        "trailing byte": plain + b"\0",
        "truncated": plain[:-1],
    }
    for what, data in odd.items():
        assert _plain_directory(data) is None, what
    # a NUL in a name (zipfile cuts it there) and an extra field (zipfile decodes it)
    assert _plain_directory(_rename(plain, b"xl/workbook.xml", b"xl/workbook\0xml")) is None
    assert _plain_directory(_with_extra(BOOK)) is None


def test_every_damaged_directory_is_declined_or_listed_as_zipfile_lists_it() -> None:
    """Random bytes changed in the central directory and end record of real archives."""
    rng = random.Random(14)
    for data in [_zip(BOOK), *(seed.read_bytes() for seed in SEEDS[:2])]:
        directory = data.rfind(b"PK\x01\x02") - 200
        for _ in range(400):
            damaged = bytearray(data)
            for _ in range(rng.choice((1, 2, 3))):
                at = rng.randrange(max(0, directory), len(data))
                damaged[at] = rng.randrange(256)
            assert _agrees(bytes(damaged))


def test_the_reasons_are_those_of_open_archive() -> None:
    cases = [
        _zip({"other.xml": b"x"}),  # no xl/workbook.xml
        _zip({**BOOK, "big.xml": b"\0" * (17 * 1024 * 1024)}),  # ratio of a bomb
        b"PK\x03\x04 not a zip at all" + b"\0" * 80,
    ]
    for data in cases:
        with pytest.raises(ArchiveProblem) as expected:
            open_archive(data).close()
        with pytest.raises(ArchiveProblem) as got:
            archive_members(data)
        assert str(got.value) == str(expected.value)


def _rename(data: bytes, old: bytes, new: bytes) -> bytes:
    assert len(old) == len(new)
    return data.replace(old, new)


def _with_extra(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            info.extra = struct.pack("<HH4s", 0x5455, 4, b"abcd")  # a time stamp field
            archive.writestr(info, content)
    return buffer.getvalue()


def test_an_archive_needing_a_later_zip_version_is_a_damaged_workbook_not_a_crash():
    """zipfile raises NotImplementedError ("zip file version 10.0") for a member whose
    central-directory entry asks for a later version to extract; the file must be
    refused as PX001 with a Chinese reason, not end in PX004 (a program error)."""
    from perfxl.profiles import load_profile
    from perfxl.validation import check_file

    data = bytearray(SEEDS[0].read_bytes())
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        data[at + 6 : at + 8] = struct.pack("<H", 100)  # version needed to extract: 10.0
        at += 4
    with pytest.raises(ArchiveProblem, match="压缩包结构无法读取"):
        open_archive(bytes(data))
    check = check_file("版本.xlsx", load_profile("mof2020"), data=bytes(data))
    assert [f.code for f in check.all_findings] == ["PX001"]
