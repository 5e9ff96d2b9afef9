"""The workbook's zip archive, checked member by member before any reader inflates it.

python-calamine and openpyxl inflate the parts they need themselves, and neither keeps
to a budget: a member whose header claims 7 KB may inflate to 2 GB (the Rust zip reader
and openpyxl both run a deflate stream to its end), and a member with a wrong CRC is
read as if sound by calamine. So every member is inflated here once, from its raw
bytes, under one decompression budget for the whole file, and must

- be stored or deflated (what Excel, WPS and LibreOffice write), and not encrypted;
- inflate to exactly the size its central-directory entry declares, with a deflate
  stream that ends inside its compressed bytes;
- match the CRC-32 it declares.

A member that fails any of these makes the file rejected (PX001 with the member's
name): a damaged member is a damaged workbook, and a member that lies about its size
is an attack. Since inflation is deterministic, what calamine or openpyxl later
inflate from the same bytes is exactly what passed here, so the budget holds for every
reader without handing them a rebuilt archive.

Only the worksheet parts are kept (the extent and formula looks need them); the others
are inflated in 1 MiB blocks and dropped, so checking costs memory for one block.

The members are those zipfile lists. For the plain archive every spreadsheet writer
makes, `archive_members` reads that list straight from the central directory, the
way zipfile does, without building a ZipFile; any archive zipfile would read in
another way (a comment, ZIP64 records, bytes before the first member, extra fields)
goes to zipfile itself, so the list is zipfile's either way.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from operator import attrgetter

try:  # zlib's interface, inflating about twice as fast (see inflate)
    from isal import isal_zlib as _FAST
except ImportError:  # pragma: no cover - a platform without isal's wheel
    _FAST = zlib  # type: ignore[assignment]

MAX_UNCOMPRESSED = 256 * 1024 * 1024  # a unit's self-evaluation workbook is a few hundred KB
MAX_RATIO = 200  # zip bombs compress thousands of times; real sheets far less
BLOCK = 1 << 20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SAVE_AS_XLSX = "请另存为 .xlsx 后重新提交"  # ends the reasons for formats perfxl cannot read
_LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)
_LOCAL_MAGIC = b"PK\x03\x04"


class ArchiveProblem(Exception):
    """The archive cannot be read safely; the message is the Chinese reason."""


def open_archive(
    data: bytes, required: str = "xl/workbook.xml", kind: str | None = None
) -> zipfile.ZipFile:
    """The archive of a would-be workbook, or ArchiveProblem saying why not. `required` is
    the member every such file has; `kind` (".xlsb", ".ods") names a zipped format other
    than .xlsx in the reasons, so the same bomb and structure checks serve them all."""
    if not data:
        raise ArchiveProblem("文件为空（0 字节）")
    if data.startswith(OLE_MAGIC):
        other = "实为旧版 .xls 文件" if kind is None else f"不是 {kind} 文件"
        raise ArchiveProblem(f"工作簿已加密（设置了打开密码）或{other}，请取消密码并另存为 .xlsx")
    if not data.startswith(b"PK"):
        what = " Excel 工作簿" if kind is None else "工作簿"
        raise ArchiveProblem(f"文件内容不是{what}（扩展名与内容不符）")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise ArchiveProblem("工作簿已损坏（压缩包结构无法读取）") from exc
    try:
        _check_listing(archive.infolist(), required, kind)
    except ArchiveProblem:
        archive.close()
        raise
    return archive


def archive_members(
    data: bytes, required: str = "xl/workbook.xml", kind: str | None = None
) -> list[zipfile.ZipInfo] | list[Member]:
    """The members of the archive as open_archive() lists them, with the same checks and
    reasons; the central directory of a plain archive (`_plain_directory`) is read
    without building a ZipFile, anything else by open_archive() itself."""
    members = _plain_directory(data)
    if members is None:
        with open_archive(data, required, kind) as archive:
            return archive.infolist()
    _check_listing(members, required, kind)
    return members


def _check_listing(infos, required: str, kind: str | None) -> None:
    """The size, ratio and required-member checks of a listed archive."""
    total = sum(map(_FILE_SIZE, infos))
    packed = sum(map(_COMPRESS_SIZE, infos)) or 1
    if total > MAX_UNCOMPRESSED or (total > 16 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ArchiveProblem(
            f"工作簿解压后过大（{total // (1024 * 1024)} MB），疑似异常文件，不予读取"
        )
    if required not in map(_FILENAME, infos):
        raise ArchiveProblem(
            f"压缩包中没有工作簿内容（{required}），不是有效的 {kind or 'Excel'} 文件"
        )


_FILE_SIZE = attrgetter("file_size")
_COMPRESS_SIZE = attrgetter("compress_size")
_FILENAME = attrgetter("filename")


class Member:
    """What zipfile.ZipInfo says of a member that the checks below read."""

    __slots__ = (
        "CRC",
        "compress_size",
        "compress_type",
        "file_size",
        "filename",
        "flag_bits",
        "header_offset",
        "raw_name",  # the name's bytes as the directory holds them
    )


_END = struct.Struct(zipfile.structEndArchive)
_CENTRAL = struct.Struct(zipfile.structCentralDir)
_END_MAGIC = zipfile.stringEndArchive
_ZIP64_LOCATOR_MAGIC = zipfile.stringEndArchive64Locator
_CENTRAL_MAGIC = zipfile.stringCentralDir
_CD_NAME = zipfile._CD_FILENAME_LENGTH
_CD_EXTRA = zipfile._CD_EXTRA_FIELD_LENGTH
_CD_COMMENT = zipfile._CD_COMMENT_LENGTH


def _plain_directory(data: bytes) -> list[Member] | None:
    """The members exactly as zipfile (Python 3.11) lists them, for the archive every
    spreadsheet writer makes: the end record last and without a comment, no ZIP64
    records, nothing before the first member (zipfile's `concat` is 0), no extra fields
    and no NUL in the central directory's entries, every entry inside the directory.
    None for any other archive: zipfile.ZipFile then reads it (and gives its reasons),
    so this only saves building a ZipFile, never decides differently.

    The loop is the cost (a few K instructions a member): each entry is unpacked into
    names once, and an ASCII name (every part of a workbook) is decoded as ASCII, which
    gives what cp437 and UTF-8 give for it without going through a codec lookup."""
    size = len(data)
    if size < 64 or not data.startswith(b"PK"):
        return None
    end = size - _END.size
    magic, _, _, _, _, directory_size, directory_at, comment = _END.unpack_from(data, end)
    if magic != _END_MAGIC or comment != 0 or directory_at + directory_size != end:
        return None
    if data.startswith(_ZIP64_LOCATOR_MAGIC, end - 20):
        return None
    members: list[Member] = []
    unpack, entry_size, newest = _CENTRAL.unpack_from, _CENTRAL.size, zipfile.MAX_EXTRACT_VERSION
    at = directory_at
    while at < end:
        if at + entry_size > end:
            return None
        (
            signature, _, _, extract_version, _, flags, method, _, _, crc, packed, unpacked,
            name_length, extra_length, comment_length, _, _, _, offset,
        ) = unpack(data, at)  # fmt: skip
        name_at = at + entry_size
        name_end = name_at + name_length
        at = name_end + extra_length + comment_length
        if (
            signature != _CENTRAL_MAGIC
            or extra_length  # an extra field: zipfile decodes it (ZIP64 sizes)
            or extract_version > newest  # refused
            or at > end
        ):
            return None
        raw_name = data[name_at:name_end]
        if raw_name.isascii():
            name = raw_name.decode("ascii")
        else:
            try:
                name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
            except UnicodeDecodeError:
                return None
        if "\x00" in name:  # zipfile cuts the name there
            return None
        member = Member()
        member.filename = name
        member.raw_name = raw_name
        member.flag_bits = flags
        member.compress_type = method
        member.CRC = crc
        member.compress_size = packed
        member.file_size = unpacked
        member.header_offset = offset
        members.append(member)
    return members


class Budget:
    """What the whole file may inflate to, shared by every member."""

    def __init__(self, limit: int = MAX_UNCOMPRESSED) -> None:
        self.left = limit
        self.limit = limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            mb = self.limit // (1024 * 1024)
            raise ArchiveProblem(f"工作簿解压后超过 {mb} MB，疑似异常文件，不予读取")


_LOCAL_NAMES = struct.Struct("<4s22xHH")  # a local header's magic and its two lengths


def _span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where the member's compressed bytes lie in `data`, found through its local header."""
    start = info.header_offset
    if 0 <= start <= len(data) - _LOCAL_HEADER.size:
        magic, name_length, extra_length = _LOCAL_NAMES.unpack_from(data, start)
        if magic != _LOCAL_MAGIC:
            raise ArchiveProblem(_damaged(info, "本地文件头缺失"))
    else:  # short, or (a ZipInfo of zipfile's) before the start: as a slice reads it
        header = data[start : start + _LOCAL_HEADER.size]
        if len(header) < _LOCAL_HEADER.size or not header.startswith(_LOCAL_MAGIC):
            raise ArchiveProblem(_damaged(info, "本地文件头缺失"))
        magic, name_length, extra_length = _LOCAL_NAMES.unpack(header)
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    end = begin + info.compress_size
    if end > len(data):
        raise ArchiveProblem(_damaged(info, "数据被截断"))
    return begin, end


def _raw(data: bytes, info: zipfile.ZipInfo) -> memoryview:
    """The member's compressed bytes, without a copy."""
    begin, end = _span(data, info)
    return memoryview(data)[begin:end]


def _damaged(info: zipfile.ZipInfo, why: str) -> str:
    return f"工作簿已损坏（压缩包成员“{info.filename[:100]}”{why}），请重新保存后提交"


def inflate(data: bytes, info: zipfile.ZipInfo, budget: Budget, keep: bool) -> bytes:
    """The member's bytes, checked as the module docstring says (b"" unless `keep`).

    A deflated member is inflated by isal where it is installed (twice as fast as zlib,
    the same bytes for any stream both accept); a member isal refuses is inflated again
    by zlib, so a damaged member is refused with the reason zlib gives."""
    if info.flag_bits & 0x1:
        raise ArchiveProblem(_damaged(info, "已加密"))
    raw = _raw(data, info)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        if _FAST is not zlib:
            left = budget.left
            try:
                return _inflated(_FAST, raw, info, budget, keep)
            except ArchiveProblem:
                budget.left = left  # zlib says why
        return _inflated(zlib, raw, info, budget, keep)
    if info.compress_type != zipfile.ZIP_STORED:
        raise ArchiveProblem(_damaged(info, "使用了不支持的压缩方式"))
    if info.compress_size != info.file_size:
        raise ArchiveProblem(_damaged(info, "大小与记录不符"))
    chunks: list[bytes] = []
    crc = 0
    for at in range(0, len(raw), BLOCK):
        block = bytes(raw[at : at + BLOCK])
        budget.spend(len(block))
        crc = _FAST.crc32(block, crc)
        if keep:
            chunks.append(block)
    return _checked(info, len(raw), crc, chunks)


def _inflated(library, raw: memoryview, info: zipfile.ZipInfo, budget: Budget, keep: bool) -> bytes:
    """A deflated member inflated by `library` (zlib's interface) in BLOCK steps."""
    chunks: list[bytes] = []
    crc = 0
    size = 0
    inflater = library.decompressobj(-zlib.MAX_WBITS)
    pending: bytes | memoryview = raw  # read in place: no copy of the input

    def take(block: bytes) -> None:
        """Count, budget and checksum one inflated block (and keep it if asked)."""
        nonlocal size, crc
        size += len(block)
        budget.spend(len(block))
        if size > info.file_size:
            raise ArchiveProblem(_damaged(info, "解压后大小与记录不符"))
        crc = library.crc32(block, crc)
        if keep:
            chunks.append(block)

    try:
        while pending and not inflater.eof:
            take(inflater.decompress(pending, BLOCK))
            pending = inflater.unconsumed_tail
        # what is left in the inflater's buffer once the input is all consumed
        while not inflater.eof and (block := inflater.flush(BLOCK)):
            take(block)
    except library.error as exc:
        raise ArchiveProblem(_damaged(info, "数据无法解压")) from exc
    if not inflater.eof:
        raise ArchiveProblem(_damaged(info, "数据不完整"))
    return _checked(info, size, crc, chunks)


def _checked(info: zipfile.ZipInfo, size: int, crc: int, chunks: list[bytes]) -> bytes:
    if size != info.file_size:
        raise ArchiveProblem(_damaged(info, "解压后大小与记录不符"))
    if crc != info.CRC:
        raise ArchiveProblem(_damaged(info, "校验值（CRC）不符"))
    return b"".join(chunks)


def check_members(data: bytes, archive, keep) -> dict[str, bytes]:
    """Inflate every member under one budget; the bytes of those `keep(name)` accepts.
    `archive` is the ZipFile over `data`, or its members as archive_members() lists them.

    Raises ArchiveProblem for the first member that is damaged, lies about its size,
    or takes the file past the budget.

    A small member whose compressed bytes, method, declared size and CRC are exactly
    those of one that passed before in this process (a theme, the relationships, the
    styles of workbooks made from one template) is not inflated again: inflating is
    deterministic, so it would pass again with the same bytes. Its size is still spent
    from this file's budget.
    """
    budget = Budget()
    kept: dict[str, bytes] = {}
    infos = archive.infolist() if isinstance(archive, zipfile.ZipFile) else archive
    passed = _PASSED
    for info in infos:
        wanted = keep(info.filename)
        size, packed = info.file_size, info.compress_size
        entry = None
        if size <= _PASSED_BYTES and packed <= _PASSED_BYTES:
            key = (info.compress_type, info.flag_bits, size, info.CRC, packed)
            entry = passed.get(key)
            if entry is not None and not _same_member(data, info, entry, wanted):
                entry = None
            if entry is None:
                content = inflate(data, info, budget, wanted)
                _remember(data, key, info, content if wanted else None)
            else:
                budget.left -= size
                if budget.left < 0:
                    budget.spend(0)  # says why
                passed[key] = passed.pop(key)  # used again: the last to be dropped
                content = entry[1] if wanted else b""
        else:  # never remembered
            content = inflate(data, info, budget, wanted)
        if wanted:
            kept[info.filename] = content
    return kept


# (method, flags, declared size, CRC, compressed size) -> (the member's local header
# from its CRC on, its name and extra field and its compressed bytes; the inflated
# bytes or None when only known to pass). These bytes are compared in full before an
# entry is used, so the numbers only find the candidate without copying or hashing
# every member's bytes. Bounded in entries and in the size of each, so a run of
# thousands of files keeps at most a few megabytes here; an entry used again moves to
# the back, so the parts every workbook shares stay while the parts of one workbook
# only (its sheets, its document properties) pass through.
_Key = tuple[int, int, int, int, int]
_PASSED: dict[_Key, tuple[bytes, bytes | None]] = {}
_PASSED_ENTRIES = 64
_PASSED_BYTES = 64 * 1024  # compressed and inflated size of a remembered member
_FROM_CRC = 14  # where the CRC stands in a local header (after the time and date)


def _same_member(
    data: bytes, info: zipfile.ZipInfo, entry: tuple[bytes, bytes | None], keep: bool
) -> bool:
    """Whether the member is the one `entry` remembers: a sound local header whose
    lengths, name and extra field and then compressed bytes are those that passed
    (so its bytes lie where they lay and are the same; the header's time and date may
    differ). Two in-place comparisons (memcmp) instead of reading the header's fields."""
    if keep and entry[1] is None:
        return False  # passed, but its bytes were not kept: inflate them
    start = info.header_offset
    return (
        start >= 0
        and data.startswith(entry[0], start + _FROM_CRC)
        and data.startswith(_LOCAL_MAGIC, start)
    )


def _remember(data: bytes, key: _Key, info: zipfile.ZipInfo, content: bytes | None) -> None:
    """Remember a member that has just passed inflate() (its local header is sound)."""
    start = info.header_offset
    _, end = _span(data, info)
    if start < 0 or end - start > _PASSED_BYTES + 1024:  # a long name or extra field
        return
    if len(_PASSED) >= _PASSED_ENTRIES:
        _PASSED.pop(next(iter(_PASSED)))  # the least recently used
    _PASSED[key] = (data[start + _FROM_CRC : end], content)


# A copy of a checked archive with every member stored (not deflated), for calamine.
# calamine inflates each part it reads again (miniz, slower than isal); handed the
# parts this module has already inflated and checked, it reads them in place. Only
# for a small plain archive: the copy holds the whole inflated workbook in memory
# (three times over while calamine reads it: the members, the copy, calamine's own),
# so a workbook larger than a unit's table ever is gives calamine its own bytes.
STORED_COPY_LIMIT = 4 * 1024 * 1024  # inflated bytes; a unit's workbook is ~30-300 KB
_CD_OUT = struct.Struct(zipfile.structCentralDir)
_END_OUT = struct.Struct(zipfile.structEndArchive)
_UTF8_NAME = 0x800


def wants_stored_copy(members) -> bool:
    """Whether `members` (as archive_members() lists them) can be re-packed stored:
    a plain archive (read without zipfile), small once inflated, every name once."""
    if not members or not isinstance(members[0], Member) or len(members) > 0xFFFF:
        return False
    if sum(member.file_size for member in members) > STORED_COPY_LIMIT:
        return False
    return len({member.filename for member in members}) == len(members)


def stored_copy(members: list[Member], contents: dict[str, bytes]) -> bytes:
    """The archive again, each member stored with the bytes check_members() inflated
    and checked, under the same name, in the same order, with the CRC it declared
    (and matched): nothing is checksummed or compressed again.

    Every entry: version 2.0, only the UTF-8 name flag kept, stored (method 0), dated
    1980-01-01 00:00 (0x21), no extra field, no comment. The loop is the copy's cost,
    so the fields every entry shares are packed once (`_STORED_HEADS`) and each entry
    packs only its CRC, sizes, name length and offset."""
    heads, tail, central_tail = _STORED_HEADS, _LOCAL_TAIL.pack, _CENTRAL_TAIL.pack
    parts: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for member in members:
        name = member.raw_name
        content = contents[member.filename]
        size, length, crc = len(content), len(name), member.CRC
        local_head, central_head = heads[member.flag_bits & _UTF8_NAME]
        parts += (local_head, tail(crc, size, size, length), name, content)
        central += (central_head, central_tail(crc, size, size, length, offset), name)
        offset += 30 + length + size  # the local header is 30 bytes
    directory = b"".join(central)
    count = len(members)
    parts += (directory, _END_OUT.pack(_END_MAGIC, 0, 0, count, count, len(directory), offset, 0))
    return b"".join(parts)


# what the local header and the central entry of a stored copy's member start with,
# by its UTF-8 name flag: magic, versions, the flag, method 0, 1980-01-01 00:00
_STORED_HEADS = {
    flags: (
        _LOCAL_HEADER.pack(_LOCAL_MAGIC, 20, 0, flags, 0, 0, 0x21, 0, 0, 0, 0, 0)[:14],
        _CD_OUT.pack(_CENTRAL_MAGIC, 20, 0, 20, 0, flags, 0, 0, 0x21, *[0] * 10)[:16],
    )
    for flags in (0, _UTF8_NAME)
}
_LOCAL_TAIL = struct.Struct("<3LH2x")  # CRC, sizes, name length; no extra field
_CENTRAL_TAIL = struct.Struct("<3LH12xL")  # CRC, sizes, name length, zeros, offset
assert _LOCAL_HEADER.size == 14 + _LOCAL_TAIL.size and _CD_OUT.size == 16 + _CENTRAL_TAIL.size
