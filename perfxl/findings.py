"""Findings: how every stage reports bad user data instead of raising.

A stage returns its result together with a list of findings (beancount style). Codes
are stable so that summaries, annotated workbooks and other tools can rely on them;
messages are Chinese because staff read them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from perfxl.model import CellRef


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    code: str  # PXnnn
    severity: Severity
    message: str
    cell: CellRef | None = None
    where: str | None = None  # a location that is not a cell (a sheet, a file)
    path: str | None = None  # the file it was met in; set by perfxl.validation.check_file

    @property
    def location(self) -> str:
        if self.cell is not None:
            return str(self.cell)
        return self.where or ""

    def to_dict(self) -> dict[str, str]:
        """The JSON contract's finding: code, severity, cell, message (and file once known)."""
        entry = {
            "code": self.code,
            "severity": str(self.severity),
            "cell": self.location,
            "message": self.message,
        }
        if self.path is not None:
            entry["file"] = self.path
        return entry


def ordered(findings: Iterable[Finding], sheets: Sequence[str] = ()) -> list[Finding]:
    """The one order findings are shown in, everywhere: those without a cell first (about
    the file or a whole sheet), then by sheet in workbook order (`sheets`; a sheet not
    listed comes after those listed, by name), row and column; the code breaks ties and
    equal keys keep the order they were found in."""
    found = list(findings)
    if len(found) < 2:  # most tables: nothing to sort, no key to build
        return found
    index = {sheet: n for n, sheet in enumerate(sheets)}
    last = len(index)

    def key(finding: Finding) -> tuple:
        cell = finding.cell
        if cell is None:
            return (0, 0, "", 0, 0, finding.code)
        return (1, index.get(cell.sheet, last), cell.sheet, cell.row, cell.col, finding.code)

    return sorted(found, key=key)


class Counts(NamedTuple):
    errors: int
    warnings: int
    infos: int


_SEVERITIES = tuple(Severity)  # iterating the enum itself is slow, and counts is hot


_NONE = Counts(0, 0, 0)


def counts(findings: Iterable[Finding]) -> Counts:
    """How many findings of each severity: the one place severity is counted."""
    if not findings:  # an empty list or tuple, as most tables' are
        return _NONE
    tally = dict.fromkeys(_SEVERITIES, 0)
    for found in findings:
        tally[found.severity] += 1
    return Counts(tally[Severity.ERROR], tally[Severity.WARNING], tally[Severity.INFO])


# Codes raised by the reader and the engine. The validation rules of a later stage get
# their own modules; these are the ones scoring itself cannot do without.
CODES: dict[str, tuple[Severity, str]] = {
    "PX001": (Severity.ERROR, "文件无法读取"),
    "PX002": (Severity.ERROR, "未找到绩效指标表"),
    "PX003": (Severity.WARNING, "工作表无法读取"),
    "PX004": (Severity.ERROR, "处理该文件时程序出错，请联系管理员"),
    "PX005": (Severity.WARNING, "工作表已用区域异常大，只读取了开头部分"),
    "PX006": (Severity.WARNING, "单元格数值不可用（非有限数或超出合理范围），已忽略"),
    "PX007": (Severity.WARNING, "资金数额无法识别"),
    "PX008": (Severity.WARNING, "资金数额无法识别，按填报的执行率计分"),
    "PX009": (Severity.ERROR, "公式未保存计算结果，请在 Excel/WPS 中打开后保存"),
    "PX010": (Severity.ERROR, "年度指标值无法识别"),
    "PX011": (Severity.ERROR, "实际完成值无法识别"),
    "PX012": (Severity.ERROR, "计量单位无法换算"),
    "PX013": (Severity.ERROR, "分值缺失或无法识别"),
    "PX014": (Severity.ERROR, "人工评分指标未填写得分"),
    "PX015": (Severity.WARNING, "定性指标完成情况无法判断"),
    "PX016": (Severity.WARNING, "资金信息不完整，无法计算预算执行率"),
    "PX017": (Severity.ERROR, "指标完成情况无法判断，无法计分"),
    "PX018": (Severity.WARNING, "定量指标的实际完成值未给出数值"),
    "PX020": (Severity.WARNING, "填报得分与计算得分不一致"),
    "PX021": (Severity.WARNING, "填报总分与计算总分不一致"),
    "PX022": (Severity.INFO, "指标值解读"),
    "PX023": (Severity.WARNING, "无法确定表格年度，按评价人填写的得分计分"),
    "PX024": (Severity.WARNING, "完成情况低于指标值（较满意、较及时等），按部分达成计分"),
    # the monitoring engine's (perfxl.monitoring.engine)
    "PX030": (Severity.WARNING, "监控指标完成进度无法计算"),
    # a validation rule raised on a table: a bug, reported as an error so that it is seen
    "PX100": (Severity.ERROR, "校验规则内部错误，请联系管理员"),
    # the county consolidation's own (perfxl.batch)
    "PX901": (Severity.ERROR, "重复提交：与另一文件内容完全相同，未计入汇总"),
    "PX902": (Severity.ERROR, "同一单位同一项目重复报送，仅计入一份"),
    "PX903": (Severity.ERROR, "处理该文件时超时或出错，已拒收"),
}


def finding(
    code: str,
    detail: str = "",
    cell: CellRef | None = None,
    where: str | None = None,
    path: str | None = None,
) -> Finding:
    """Build a finding for a registered code; `detail` is appended to the code's title."""
    severity, title = CODES[code]
    message = f"{title}：{detail}" if detail else title
    return Finding(code, severity, message, cell, where, path)
