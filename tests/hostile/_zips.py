"""Workbooks with hand-made archives, built at test time for the hostile reader tests.

`write_zip` lays out local headers and a central directory itself, so a member may
claim any size or CRC while its deflate stream inflates to something else; the
seeds give real tables to hide the attacks in.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS


@dataclass
class Member:
    name: str
    raw: bytes  # the bytes stored (deflated unless method is 0)
    size: int  # the uncompressed size the headers claim
    crc: int  # the CRC-32 the headers claim
    method: int = zipfile.ZIP_DEFLATED


def deflated(name: str, data: bytes) -> Member:
    """An honest member."""
    packer = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    raw = packer.compress(data) + packer.flush()
    return Member(name, raw, len(data), zlib.crc32(data))


def write_zip(path: Path, members: list[Member]) -> Path:
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        out += struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, m.method, 0, 0, m.crc, len(m.raw), m.size,
            len(name), 0,
        )  # fmt: skip
        out += name + m.raw
        central += struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, m.method, 0, 0, m.crc, len(m.raw),
            m.size, len(name), 0, 0, 0, 0, 0, offset,
        )  # fmt: skip
        central += name
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(central), len(out), 0
    )
    path.write_bytes(bytes(out + central + end))
    return path


def seed_members(tmp_path: Path, key: str = "003") -> list[Member]:
    """Seed `key` as written by the national sample writer, member by member, honest."""
    source = tmp_path / f"seed{key}.xlsx"
    write_workbook([SEEDS[key]], source)
    with zipfile.ZipFile(source) as archive:
        return [deflated(info.filename, archive.read(info)) for info in archive.infolist()]


def replace(members: list[Member], name: str, member: Member) -> list[Member]:
    return [member if m.name == name else m for m in members]


def content(members: list[Member], name: str) -> bytes:
    m = next(m for m in members if m.name == name)
    return zlib.decompress(m.raw, -zlib.MAX_WBITS) if m.method else m.raw


def zeros_stream(megabytes: int) -> bytes:
    """A raw deflate stream of `megabytes` MiB of zero bytes, built without inflating
    them: one fully flushed block (no back references across it) repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()  # an empty last block
    return block * megabytes + final
