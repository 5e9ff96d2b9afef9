"""Annotated copies for `perfxl validate --annotate`: the findings, on the cells.

A copy of the workbook gets each problem cell filled (red for errors, orange for
warnings), a comment listing every finding there, and a 校验结果 sheet with one row per
finding linked to its cell. The marking is the ribbon's own (perfxl.excel.sheet), so a
copy looks the same as a workbook checked with 校验本表 in Excel, and the ribbon's
清除标记 undoes it.

The source is never written: the copy is built in memory, saved to a temporary file
in the destination's folder and moved into place, so a crash leaves no half-written
file and a destination equal to the source is refused.

openpyxl rewrites the whole file, so what it cannot read does not survive in the copy:
images and charts, slicers, some conditional-format and data-validation extensions.
Cell values, formulas, styles, merged cells, comments and (for .xlsm) the VBA project
are kept.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

from perfxl.excel.sheet import OpenpyxlBook, mark_findings, write_results
from perfxl.findings import Finding


def annotate_workbook(src: str | Path, dst: str | Path, findings: Sequence[Finding]) -> Path:
    """Write an annotated copy of `src` to `dst` and return `dst`.

    `dst` must keep `src`'s suffix (.xlsx or .xlsm) and differ from it (ValueError
    otherwise). A workbook openpyxl cannot open raises openpyxl's error: callers skip
    files whose check already says they are unreadable (PX001)."""
    src, dst = Path(src), Path(dst)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValueError(f"标注副本不能覆盖原文件：{src}")
    if dst.suffix.lower() != src.suffix.lower():
        raise ValueError(f"标注副本应与原文件同为 {src.suffix} 格式：{dst.name}")
    with warnings.catch_warnings():  # openpyxl warns about every extension it drops
        warnings.simplefilter("ignore", UserWarning)
        book = OpenpyxlBook.load(src)
    active = book.active_sheet()
    mark_findings(book, findings)
    write_results(book, findings)
    book.activate(active)
    dst.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=".perfxl-", suffix=dst.suffix, dir=dst.parent)
    os.close(handle)
    try:
        book.save(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; a copy is not
        os.replace(temp, dst)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return dst


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
