"""Annotated copies for `perfxl validate --annotate`: the findings, on the cells.

A copy of the workbook gets each problem cell filled (red for errors, orange for
warnings), a comment listing every finding there, and a 校验结果 sheet with one row per
finding linked to its cell. The marking is the ribbon's own (perfxl.excel.sheet), so a
copy looks the same as a workbook checked with 校验本表 in Excel, and the ribbon's
清除标记 undoes it. The findings are the file's all (FileCheck.all_findings), so a
监控表's (PX030, PX115–PX119) are marked on their cells as a 自评表's are.

The source is never written: the copy is built in memory and published by
perfxl.batch.atomic (a private temporary file, then a rename), so a crash or a full
disk leaves no half-written file and no traceback, a link at the destination is
replaced and never written through, and a destination equal to the source is refused.
`write_copies` places the copies of many files: each gets a name of its own (same-named
files never overwrite each other), no copy lands on an input, and no copy is written
through a link inside the destination folder.

openpyxl rewrites the whole file, so what it cannot read does not survive in the copy:
images and charts, slicers, some conditional-format and data-validation extensions.
Cell values, formulas, styles, merged cells, comments and (for .xlsm) the VBA project
are kept.

An .xls, .xlsb or .ods workbook (perfxl.reader.legacy) cannot be written back in its
own format by openpyxl, so its copy is an .xlsx built from the values perfxl read (a
formula's saved result, merged areas where the file records them; no formatting), with
a 说明 sheet saying so. The copy takes the name of the source with .xlsx.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import io
import os
import sys
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from perfxl.batch.atomic import publish
from perfxl.excel.sheet import OpenpyxlBook, mark_findings, write_results
from perfxl.findings import Finding
from perfxl.i18n import os_error
from perfxl.reader.legacy import LEGACY_SUFFIXES, load_legacy


def annotate_workbook(src: str | Path, dst: str | Path, findings: Sequence[Finding]) -> Path:
    """Write an annotated copy of `src` to `dst` and return `dst`.

    `dst` must keep `src`'s suffix (.xlsx or .xlsm) and differ from it (ValueError
    otherwise). A workbook openpyxl cannot open raises openpyxl's error: callers skip
    files whose check already says they are unreadable (PX001)."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValueError(f"标注副本不能覆盖原文件：{src}")
    if dst.suffix.lower() != copy_suffix(src):
        raise ValueError(f"标注副本应为 {copy_suffix(src)} 格式：{dst.name}")
    if src.suffix.lower() in LEGACY_SUFFIXES:
        book = _legacy_book(src)
    else:
        with warnings.catch_warnings():  # openpyxl warns about every extension it drops
            warnings.simplefilter("ignore", UserWarning)
            book = OpenpyxlBook.load(src)
    active = book.active_sheet()
    mark_findings(book, findings)
    write_results(book, findings)
    book.activate(active)
    buffer = io.BytesIO()
    book.workbook.save(buffer)
    dst.parent.mkdir(parents=True, exist_ok=True)
    return publish(dst, buffer.getvalue())


def copy_suffix(source: Path) -> str:
    """The annotated copy's suffix: the source's own, or .xlsx for .xls/.xlsb/.ods."""
    suffix = source.suffix.lower()
    return ".xlsx" if suffix in LEGACY_SUFFIXES else suffix


LEGACY_NOTE = (
    "本副本由 {name} 转存为 .xlsx 后标注：原文件为 {kind} 格式，无法按原格式写回。"
    "副本只保留 perfxl 读到的单元格值（公式为其保存的计算结果）"
    "{merged}，字体、边框、列宽等格式未保留。原文件未改动；修改请在原文件中进行，或将原文件另存为 .xlsx。"
)


def _legacy_book(src: Path) -> OpenpyxlBook:
    """An .xlsx in memory holding the values of an .xls/.xlsb/.ods, and a 说明 sheet."""
    from openpyxl import Workbook

    merges: dict[str, list] = {}
    loaded = load_legacy(src, merges)
    if loaded.problem is not None:
        raise ValueError(loaded.problem)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for grid in loaded.grids:
        sheet = workbook.create_sheet(grid.name)
        for r, row in enumerate(grid.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                cell = sheet.cell(row=r, column=c, value=_plain(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # text that looks like a formula stays text
        for (r0, c0), (r1, c1) in merges.get(grid.name, []):
            if (r0, c0) != (r1, c1):
                sheet.merge_cells(
                    start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1
                )
    names = {name.casefold() for name in workbook.sheetnames}
    title = next(t for t in ("说明", "perfxl说明", "perfxl转存说明") if t.casefold() not in names)
    note = workbook.create_sheet(title)
    kind = {".xls": "Excel 97–2003（.xls）", ".xlsb": "Excel 二进制（.xlsb）"}.get(
        src.suffix.lower(), "OpenDocument（.ods）"
    )
    merged = "和合并单元格" if any(merges.values()) else ""
    note["A1"] = LEGACY_NOTE.format(name=src.name, kind=kind, merged=merged)
    note["A1"].data_type = "s"
    note.column_dimensions["A"].width = 120
    if workbook.worksheets[0] is not note:
        workbook.active = 0
    return OpenpyxlBook(workbook)


def _plain(value):
    """A cell value openpyxl can write: calamine's time and duration values as they are,
    anything else unknown as its text."""
    if isinstance(value, str | int | float | bool | dt.date | dt.datetime | dt.time):
        return value
    if isinstance(value, dt.timedelta):
        return value
    return str(value)


def write_copies(
    jobs: Sequence[tuple[Path, Sequence[Finding]]], roots: Sequence[Path], outdir: Path
) -> tuple[int, list[str]]:
    """Annotated copies of (source, findings) under `outdir`: how many were written, and
    a Chinese line per copy that was not."""
    inputs = {_identity(source) for source, _ in jobs} - {None}
    out_real = os.path.realpath(outdir)
    used: set[str] = set()
    written, failures = 0, []
    for source, findings in jobs:
        target = _unique(annotated_path(source, roots, outdir), source, used)
        try:
            outdir.mkdir(parents=True, exist_ok=True)
            target.parent.mkdir(parents=True, exist_ok=True)
            expected = os.path.join(out_real, os.path.relpath(target.parent, outdir))
            if os.path.realpath(target.parent) != os.path.normpath(expected):
                raise ValueError("副本所在的文件夹是一个链接，为安全起见不写入")
            if _identity(target) in inputs and not os.path.islink(target):
                raise ValueError("副本会覆盖一个输入文件")
            with _quiet_cleanup():
                _annotate_quietly(source, target, findings)
            written += 1
        except Exception as exc:  # one odd workbook must not stop the others
            failures.append(f"无法为 {source} 写标注副本 {target}：{_reason(exc)}")
    return written, failures


def _annotate_quietly(source: Path, target: Path, findings: Sequence[Finding]) -> None:
    failure: Exception | None = None
    try:
        annotate_workbook(source, target, findings)
    except Exception as exc:
        failure = exc.with_traceback(None)  # frees the failed writers' frames here
    if failure is not None:
        gc.collect()
        raise failure


@contextmanager
def _quiet_cleanup() -> Iterator[None]:
    """openpyxl stages each sheet in a temporary file; when a write fails (a full disk)
    its half-used writers complain from their finalizers ("Exception ignored in …").
    The failure itself is reported in one Chinese line, so those echoes are dropped."""
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        yield
    finally:
        sys.unraisablehook = previous


def annotated_path(source: Path, roots: Sequence[Path], outdir: Path) -> Path:
    """Where the annotated copy of `source` goes: its path below the folder given, if any."""
    for root in roots:
        if root.is_dir():
            try:
                target = outdir / source.resolve().relative_to(root.resolve())
            except ValueError:
                continue
            return target.with_suffix(copy_suffix(source))
    return (outdir / source.name).with_suffix(copy_suffix(source))


def _unique(target: Path, source: Path, used: set[str]) -> Path:
    """`target`, or the first free of 部门_名称.xlsx, 名称（2）.xlsx, … (case-insensitively
    free: Windows and macOS folders do not tell x.xlsx from X.xlsx)."""
    candidates = [target, target.with_name(f"{source.parent.name}_{target.name}")]
    for n in range(2, len(used) + 3):
        candidates.append(target.with_name(f"{target.stem}（{n}）{target.suffix}"))
    for candidate in candidates:
        key = os.path.normcase(str(candidate)).casefold()
        if key not in used:
            used.add(key)
            return candidate
    raise AssertionError("unreachable: more candidates than names used")


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            return "磁盘空间不足"
        return os_error(exc, named=False)  # the copy's path is named by the caller
    return str(exc) or type(exc).__name__
