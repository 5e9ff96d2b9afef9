"""The summary's Workbook: XlsxWriter's, with a cheaper zip and cheaper chart caches.

Why: on a county of ten thousand files XlsxWriter spent a third of the summary's time
deflating 25 MB of sheet XML at zlib's default level (0.46 s), and another seventh
writing the scatter chart's ten thousand cached points one XML call each. Both run
after the workers have finished, while a core idles, so they were the run's tail.

- The package's parts are taken from XlsxWriter's Packager (the documented
  `_get_packager` hook) and zipped here with isal's deflate at level 2 (a tenth of
  the time; the file is about a quarter larger). Any deflate stream is valid in a
  zip: Excel, WPS, LibreOffice and openpyxl read it alike. The parts, and so what a
  reader sees, are exactly XlsxWriter's.
- A chart's numeric cache whose points are all plain numbers (what ListSheet hands
  out) is written as one string; the XML is byte for byte what XlsxWriter writes.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from functools import partial
from itertools import chain, repeat
from operator import is_not
from types import MethodType
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.workbook import Workbook

try:  # isal's deflate: several times faster than zlib's (a dependency; see archive.py)
    from isal import isal_zlib as _DEFLATE

    _LEVEL = 2
except ImportError:  # pragma: no cover - a platform without isal's wheel
    _DEFLATE, _LEVEL = zlib, 1

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, as XlsxWriter dates in-memory parts
_ZIP64_LIMIT = 0xFFFF0000  # beyond this the plain zipfile path (Zip64) is taken
_NUMBER = r"-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?"
_PLAIN_NUMBERS = re.compile(f"{_NUMBER}(?:\n{_NUMBER})*", re.ASCII)  # one per line
_NONE = type(None)
_PRESENT = partial(is_not, None)


class _Part(io.StringIO):
    """A part's text, into which a writer may put runs already in UTF-8 (write_bytes:
    ListSheet's bodies), so that only XlsxWriter's own text is encoded at the end."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[bytes] = []

    def write_bytes(self, data: bytes) -> None:
        if self.tell():
            self.runs.append(self.getvalue().encode("utf-8"))
            self.seek(0)
            self.truncate()
        self.runs.append(data)

    def size_bound(self) -> int:
        """At most this many bytes once encoded (a character takes at most 4)."""
        return self.seek(0, 2) * 4 + sum(map(len, self.runs))

    def encoded(self) -> bytes:
        return b"".join([*self.runs, self.getvalue().encode("utf-8")])


class _CapturingPackager(Packager):
    """XlsxWriter's packager, handing the parts to the workbook instead of its zip."""

    def __init__(self, book: SummaryBook) -> None:
        super().__init__()
        self._book = book

    def _filename(self, xml_filename):
        """Each text part in a _Part (the in-memory branch of Packager._filename)."""
        part = _Part()
        self.filenames.append((part, xml_filename, False))
        return part

    def _create_package(self):
        self._book._parts = super()._create_package()
        return []  # XlsxWriter's own zip gets no member; SummaryBook writes the package


class SummaryBook(Workbook):
    """An in-memory Workbook whose bytes are `package` after close()."""

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__(io.BytesIO(), options | {"in_memory": True})
        self._parts: list = []
        self.package = b""

    def _get_packager(self):
        return _CapturingPackager(self)

    def _store_workbook(self) -> None:
        super()._store_workbook()  # prepares and renders every part (into self._parts)
        parts, self._parts = self._parts, []
        parts.reverse()

        def members():  # one part's text at a time: each is let go once deflated
            while parts:
                content, name, is_binary = parts.pop()
                data = content.encoded() if isinstance(content, _Part) else content.getvalue()
                content.close()
                yield name, data if is_binary or isinstance(data, bytes) else data.encode("utf-8")

        large = sum(map(_size_bound, (part[0] for part in parts))) >= _ZIP64_LIMIT
        self.package = _zip_large(members()) if large else _zip(members())

    def add_chart(self, options):
        chart = super().add_chart(options)
        if chart is not None:
            chart._write_num_cache = MethodType(_write_num_cache, chart)
        return chart


def _size_bound(content) -> int:
    """A part's size in the zip at most: its length (characters for a text part, at
    most 4 bytes each once encoded)."""
    if isinstance(content, _Part):
        return content.size_bound()
    return content.seek(0, 2) * 4


def _zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A zip of (name, bytes), each deflated, dated 1980-01-01, in the given order
    (the caller sees to it that the whole stays below 4 GB: no Zip64 here)."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in members:
        raw = name.encode("utf-8")
        packed = _DEFLATE.compress(data, _LEVEL, -15)
        crc = _DEFLATE.crc32(data)  # isal's CRC-32: the same checksum, several times faster
        flags = 0x800 if not raw.isascii() else 0
        fixed = struct.pack(
            "<HHHHHLLLHH", 20, flags, 8, 0, _DOS_DATE, crc, len(packed), len(data), len(raw), 0
        )
        out += (b"PK\x03\x04", fixed, raw, packed)
        central.append(
            b"PK\x01\x02"
            + struct.pack("<BB", 20, 3)  # made by: zip 2.0, Unix (as zipfile writes)
            + fixed
            + struct.pack("<HHHLL", 0, 0, 0, 0o600 << 16, offset)
            + raw
        )
        offset += 30 + len(raw) + len(packed)
    directory = b"".join(central)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0
    )
    return b"".join(out) + directory + end


def _zip_large(members: Iterable[tuple[str, bytes]]) -> bytes:  # pragma: no cover - 4 GB
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()


def _write_num_cache(self, data) -> None:
    """XlsxWriter's Chart._write_num_cache, one string when every point is a plain
    number (or missing); anything else goes the library's way. The points are checked
    joined by newlines in one match (a point holding a newline itself is told apart by
    the count of newlines), and a series without gaps is joined from parts in C."""
    points = data or []
    kinds = set(map(type, points))
    if not kinds <= {str, _NONE}:
        type(self)._write_num_cache(self, data)
        return
    present = list(filter(_PRESENT, points)) if _NONE in kinds else points
    joined = "\n".join(present)
    if present and (joined.count("\n") != len(present) - 1 or not _PLAIN_NUMBERS.fullmatch(joined)):
        type(self)._write_num_cache(self, data)
        return
    head = f'<c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="{len(points)}"/>'
    if _NONE in kinds:
        parts = [
            f'<c:pt idx="{n}"><c:v>{p}</c:v></c:pt>' for n, p in enumerate(points) if p is not None
        ]
    else:
        size = len(points)
        parts = chain.from_iterable(
            zip(
                repeat('<c:pt idx="', size),
                map(str, range(size)),
                repeat('"><c:v>', size),
                points,
                repeat("</c:v></c:pt>", size),
                strict=True,
            )
        )
    self.fh.write("".join([head, *parts, "</c:numCache>"]))
