"""Workbook → IndicatorTables, with every problem as a finding.

The reader is the stage between a file on disk and the engine: it never raises on
user data. A file that cannot be opened yields PX001, a workbook without any indicator
table PX002; both carry the path so a batch can list the file as rejected. A sheet that
cannot be read yields PX003, one that reaches so far that only its top-left corner was
read PX005. What is wrong in a table's own cells travels with the table
(IndicatorTable.findings, passed on by the engine's results): a figure that is not
finite or out of range (PX006), a funds amount that cannot be read (PX007), the typed
执行率 scored in its place (PX008). Limits are listed in docs/reader.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfxl.findings import Finding, finding
from perfxl.model import IndicatorTable
from perfxl.monitoring.model import MonitoringTable
from perfxl.reader.grid import Grid
from perfxl.reader.layout import read_tables
from perfxl.reader.legacy import load_any
from perfxl.reader.monitoring import read_monitoring
from perfxl.reader.unsaved import flag_unsaved


@dataclass
class WorkbookRead:
    path: str
    tables: list[IndicatorTable] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # 项目支出绩效目标执行监控表 (perfxl.reader.monitoring), kept apart from the 自评表
    monitoring: list[MonitoringTable] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """True when nothing could be scored from this file."""
        return not self.tables and not self.monitoring


def read_sheet(
    grid: Grid, problems: list[str] | None = None
) -> tuple[list[IndicatorTable], list[MonitoringTable]]:
    """The 自评表 and the 监控表 on one sheet.

    read_workbook reads every sheet of a file with it; the Excel ribbon's 校验本表 and
    perfxl serve's /api/check-sheet read the one sheet in front of the user with it
    (perfxl.validation.check_sheet), so all of them find the same tables. Given a
    `problems` list, a reader that fails on a layout nobody foresaw adds its reason there
    and costs only its own kind of table: the sheet's other tables are still read."""
    found: list[list] = []
    for reader in (read_tables, read_monitoring):
        try:
            found.append(reader(grid))
        except Exception as exc:  # a layout we did not foresee must not stop the file
            if problems is None:
                raise
            problems.append(f"工作表“{grid.name}”结构无法识别（{type(exc).__name__}）")
            found.append([])
    return found[0], found[1]


def read_workbook(path: str | Path, data: bytes | None = None) -> WorkbookRead:
    """The tables of the workbook at `path`; with `data`, of those bytes (an upload kept
    in memory, never written to disk), `path` then only naming the file."""
    result = WorkbookRead(str(path))
    loaded = load_any(path, data)  # .xlsx/.xlsm by perfxl.reader.grid; .xls/.xlsb/.ods too
    if loaded.problem is not None:
        result.findings.append(finding("PX001", loaded.problem, where=str(path)))
        return result
    for sheet, reason in loaded.sheet_problems.items():
        result.findings.append(finding("PX003", f"工作表“{sheet}”：{reason}", where=str(path)))
    for detail in loaded.limited_messages():
        result.findings.append(finding("PX005", detail, where=str(path)))
    for grid in loaded.grids:
        problems: list[str] = []
        tables, monitoring = read_sheet(grid, problems)
        try:
            result.tables.extend(flag_unsaved(path, grid, tables, data))
        except Exception as exc:  # nor may the check for unsaved formulas
            problems.append(f"工作表“{grid.name}”结构无法识别（{type(exc).__name__}）")
        result.monitoring.extend(monitoring)
        for detail in problems:
            result.findings.append(finding("PX003", detail, where=str(path)))
    if not result.tables and not result.monitoring:
        detail = "未在任何工作表中找到含“三级指标、年度指标值、实际完成值、分值”表头的指标表"
        result.findings.append(finding("PX002", detail, where=str(path)))
    return result
