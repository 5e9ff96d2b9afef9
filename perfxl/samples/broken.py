"""Files that look like workbooks but are not, as units really submit them.

Used by the example county, the consolidation tests and the benchmark so that each of
them meets every kind of bad submission the reader must reject with a reason. All are
deterministic and small (the zip bomb is a 16+ MB sheet packed into a few KB).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from perfxl.samples.national import FIXED_TIME, _save

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def zero_byte(path: Path) -> None:
    path.write_bytes(b"")


def text_renamed(path: Path) -> None:
    """A notice saved as text and given an Excel extension."""
    path.write_text("关于报送2023年度项目支出绩效自评表的通知\n请各单位于3月底前报送。\n", "utf-8")


def ole_header(path: Path) -> None:
    """An OLE compound file: an old .xls, or an .xlsx encrypted with an open password."""
    path.write_bytes(OLE_MAGIC + bytes(504) + b"EncryptedPackage".ljust(512, b"\0"))


def corrupt_zip(path: Path, source: Path) -> None:
    """A real workbook cut short, as an interrupted upload or copy leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def zip_bomb(path: Path, megabytes: int = 20) -> None:
    """A workbook whose sheet inflates to `megabytes` of blanks: rejected before reading."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in (
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("xl/workbook.xml", '<?xml version="1.0"?><workbook/>'),
        ):
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), text)
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            block = b" " * (1024 * 1024)
            for _ in range(megabytes):
                sheet.write(block)


def no_table(path: Path) -> None:
    """A real workbook holding a cover letter instead of an indicator table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "报送说明"
    ws["A1"] = "2023年度项目支出绩效自评报送说明"
    ws["A2"] = "本单位本年度无项目支出，特此说明。"
    ws["A3"] = "联系人：张三    电话：0996-1234567"
    wb.properties.created = wb.properties.modified = FIXED_TIME
    _save(wb, path, macro_enabled=False)  # fixed dates: the example county must not churn


# name → (file name suffix, writer); writers that need a real workbook take it as `source`.
KINDS: dict[str, tuple[str, Callable[..., None]]] = {
    "zero_byte": (".xlsx", zero_byte),
    "text_renamed": (".xlsx", text_renamed),
    "old_xls": (".xls", ole_header),
    "encrypted": (".xlsx", ole_header),
    "corrupt_zip": (".xlsx", corrupt_zip),
    "zip_bomb": (".xlsx", zip_bomb),
    "no_table": (".xlsx", no_table),
}


def write_broken(kind: str, path: Path, source: Path | None = None) -> Path:
    """Write one broken file of `kind`; `source` is the workbook a corrupt zip is cut from."""
    _, writer = KINDS[kind]
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "corrupt_zip":
        if source is None:
            raise ValueError("corrupt_zip needs a source workbook")
        writer(path, source)
    else:
        writer(path)
    return path


def write_every_kind(folder: Path, source: Path) -> dict[str, Path]:
    """One file of each broken kind in `folder` (names say what they are)."""
    written = {}
    for kind, (suffix, _) in KINDS.items():
        written[kind] = write_broken(kind, folder / f"坏文件_{kind}{suffix}", source=source)
    return written
