"""Reading a multipart upload into memory, under a byte limit, never onto disk.

Starlette's own form parser spools files over 1 MB into a temporary file, and the
upload must stay off the disk unless the inbox keeps it; so the body is fed, chunk by
chunk, to python-multipart's streaming parser here and the parts collected in memory.
The limit is enforced twice: a declared Content-Length above it is refused before a
byte is read, and the bytes are counted as they arrive, so a client that lies about
the length (or sends none, chunked) is cut off at the limit too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import unquote

from python_multipart import MultipartParser
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import parse_options_header
from starlette.requests import Request

FORM_SLACK = 64 * 1024  # the body may exceed the file's limit by the form's own bytes
MAX_FIELD_BYTES = 4 * 1024  # a text field (the profile's name) is a short word
MAX_PARTS = 16


class UploadError(Exception):
    """The upload cannot be taken; `status` is the HTTP status, the message Chinese."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Upload:
    filename: str  # the base name the client gave, without any folder
    data: bytes
    fields: dict[str, str] = field(default_factory=dict)


def too_large(limit: int) -> UploadError:
    return UploadError(413, f"上传的文件过大：上限为 {megabytes(limit)} MB，请检查是否选错了文件")


def megabytes(limit: int) -> str:
    """The byte limit as the MB figure `--max-upload` was given (0.05, not 0.0499992).

    The command keeps whole bytes (int(MB × 2**20)), dropping under one byte, less than
    0.000001 MB; rounded to five decimals the figure typed comes back."""
    return f"{round(limit / (1024 * 1024), 5):g}"


def base_name(raw: str) -> str:
    """The file's own name: browsers send the base name, old ones the whole client path
    (C:\\Users\\…\\表.xlsx); either separator ends a folder. Control characters go."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name if name not in ("", ".", "..") else ""


def _filename(options: dict[bytes, bytes]) -> str | None:
    """The file name of a part: RFC 5987's filename*=UTF-8''… if given, else filename=
    (UTF-8, as browsers send it; GB18030 when that fails, as old Chinese clients do)."""
    extended = options.get(b"filename*")
    if extended is not None:
        charset, _, rest = extended.decode("latin-1").partition("'")
        _, _, quoted = rest.partition("'")
        try:
            return unquote(quoted, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    plain = options.get(b"filename")
    if plain is None:
        return None
    for encoding in ("utf-8", "gb18030"):
        try:
            return plain.decode(encoding)
        except UnicodeDecodeError:
            continue
    return plain.decode("utf-8", "replace")


class _Collector:
    """python-multipart callbacks gathering the parts: one file, a few short fields."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.header_field = bytearray()
        self.header_value = bytearray()
        self.headers: dict[bytes, bytes] = {}
        self.name = ""
        self.filename: str | None = None
        self.buffer = bytearray()
        self.files: list[tuple[str, str, bytes]] = []  # (field, filename, bytes)
        self.fields: dict[str, str] = {}
        self.parts = 0

    def callbacks(self) -> dict:
        return {
            "on_part_begin": self.part_begin,
            "on_part_data": self.part_data,
            "on_part_end": self.part_end,
            "on_header_field": lambda d, s, e: self.header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self.header_value.extend(d[s:e]),
            "on_header_end": self.header_end,
            "on_headers_finished": self.headers_finished,
        }

    def part_begin(self) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise UploadError(400, "表单字段过多，请只上传一个工作簿")
        self.headers, self.buffer = {}, bytearray()
        self.name, self.filename = "", None

    def header_end(self) -> None:
        self.headers[bytes(self.header_field).lower()] = bytes(self.header_value)
        self.header_field.clear()
        self.header_value.clear()

    def headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.name = options.get(b"name", b"").decode("utf-8", "replace")
        self.filename = _filename(options)

    def part_data(self, data: bytes, start: int, end: int) -> None:
        self.buffer.extend(data[start:end])
        if self.filename is not None:
            if len(self.buffer) > self.limit:
                raise too_large(self.limit)
        elif len(self.buffer) > MAX_FIELD_BYTES:
            raise UploadError(400, f"表单字段“{self.name}”过长")

    def part_end(self) -> None:
        if self.filename is not None:
            self.files.append((self.name, self.filename, bytes(self.buffer)))
        else:
            self.fields[self.name] = self.buffer.decode("utf-8", "replace")
        self.buffer = bytearray()


def declared_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise UploadError(400, "请求头 Content-Length 无效") from None


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body (a JSON request), at most `limit` bytes (413 beyond)."""
    length = declared_length(request)
    if length is not None and length > limit:
        raise too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            raise too_large(limit)
    return bytes(body)


async def read_upload(request: Request, limit: int, field_name: str = "file") -> Upload:
    """The workbook posted as multipart field `field_name`, and the text fields beside it."""
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadError(400, "请以 multipart/form-data 方式上传，文件放在字段 file 中")
    length = declared_length(request)
    if length is not None and length > limit + FORM_SLACK:
        raise too_large(limit)
    collector = _Collector(limit)
    parser = MultipartParser(boundary, collector.callbacks())
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit + FORM_SLACK:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise UploadError(400, "上传内容格式错误，无法解析表单") from exc
    files = [f for f in collector.files if f[0] == field_name]
    if not files:
        raise UploadError(400, f"没有收到文件：请把工作簿放在表单字段 {field_name} 中上传")
    if len(files) > 1:
        raise UploadError(400, "一次只能上传一个工作簿")
    _, raw_name, data = files[0]
    name = base_name(raw_name)
    if not name:
        raise UploadError(400, "上传的文件没有文件名，无法判断其格式")
    if len(name.encode()) > 255:
        stem, suffix = os.path.splitext(name)
        name = stem[:60] + suffix[:16]
    return Upload(name, data, collector.fields)
