"""What the API answers, computed the way the command line computes it.

Each function here is synchronous and CPU-bound (the app runs it in a worker thread).
The documents are made by the command line's own serialisers (`perfxl validate`'s
`to_json`, perfxl.report's `to_json` for `perfxl score`) from the same check
(perfxl.validation.check_file), on the upload's bytes in memory, named by the upload's
file name: so a workbook gives over HTTP exactly the text the command prints.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from perfxl.commands.validate import ordered
from perfxl.commands.validate import to_json as validate_json
from perfxl.profiles import Profile
from perfxl.report import FileResult
from perfxl.report import to_json as score_json
from perfxl.validation import FileCheck, check_file


def check_upload(name: str, data: bytes, profile: Profile) -> FileCheck:
    """The upload checked as `perfxl validate` checks a file of that name (never on disk)."""
    return check_file(name, profile, data=data)


def as_scored(check: FileCheck) -> FileResult:
    """The check as `perfxl score` reports it (perfxl.api.score_file does the same)."""
    monitoring = [m.result for m in check.monitoring]  # 监控表, as perfxl.api.score_file
    return FileResult(
        check.path, [t.result for t in check.tables], list(check.findings), monitoring
    )


def validate_document(name: str, data: bytes, profile: Profile) -> str:
    return validate_json([check_upload(name, data, profile)])


def score_document(name: str, data: bytes, profile: Profile) -> str:
    return score_json([as_scored(check_upload(name, data, profile))])


UNREADABLE = "工作簿无法读取，未生成标注副本"
TOO_LARGE = (
    "工作表的已用区域异常大（见 PX005），不生成标注副本：副本须按原样写出整张工作表；"
    "请先删除表格以外的多余内容"
)
NOT_WRITABLE = (
    "工作簿的数值已读取，但其内部结构不规范，无法写出标注副本；"
    "请在 Excel 或 WPS 中打开并另存为 .xlsx 后重试"
)


@dataclass
class Annotated:
    filename: str  # what the download is called: <stem>_批注<suffix>
    data: bytes | None  # None when no copy was made (`problem` says why)
    check: FileCheck
    problem: str | None = None


def annotated_name(name: str) -> str:
    from perfxl.annotate import copy_suffix

    path = Path(name)
    return f"{path.stem}_批注{copy_suffix(path)}"


def annotate_upload(name: str, data: bytes, profile: Profile) -> Annotated:
    """The copy `perfxl validate --annotate` writes for this workbook.

    perfxl.annotate works on files, so the upload and its copy live in a private
    temporary folder for the call; the folder and both files are removed on return,
    whatever happens. This is the one place the service writes an upload to disk
    without --inbox."""
    from perfxl.annotate import annotate_workbook

    check = check_upload(name, data, profile)
    target = annotated_name(name)
    if check.rejected:
        return Annotated(target, None, check, UNREADABLE)
    if any(f.code == "PX005" for f in check.findings):
        # openpyxl would load every cell of a sheet that reaches a million rows
        return Annotated(target, None, check, TOO_LARGE)
    with tempfile.TemporaryDirectory(prefix="perfxl-serve-") as folder:
        source = Path(folder) / "in" / name
        source.parent.mkdir()
        source.write_bytes(data)
        try:
            copy = annotate_workbook(source, Path(folder) / "out" / target, ordered(check))
        except Exception:  # openpyxl refuses XML calamine read (the CLI reports it too)
            return Annotated(target, None, check, NOT_WRITABLE)
        return Annotated(target, copy.read_bytes(), check)
