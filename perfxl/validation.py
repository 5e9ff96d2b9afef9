"""Checking tables: the engine's own findings plus every validation rule's.

This is the one entry point the validate command, the ribbon's 校验本表 button, the
library (perfxl.api) and the nightly consolidation use, so that all of them report the
same findings for the same table. Rules live one per module in perfxl.rules;
`run_rules` applies them all. Each finding is made once, by the engine or by a rule,
so nothing here needs to drop duplicates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

from perfxl.findings import Counts, Finding, counts, finding, ordered
from perfxl.model import IndicatorTable
from perfxl.monitoring.engine import score_monitoring
from perfxl.monitoring.model import MonitoringResult, MonitoringTable
from perfxl.profiles import Profile
from perfxl.reader import read_sheet, read_workbook
from perfxl.reader.grid import Grid
from perfxl.reader.unsaved import explain_unsaved
from perfxl.results import TableResult
from perfxl.scoring import score_table


class _Counted:
    """Severity counts of a check's findings, counted once (perfxl.findings.counts)."""

    findings: list[Finding]

    @property
    def counts(self) -> Counts:
        return counts(self.findings)

    @property
    def errors(self) -> int:
        return self.counts.errors

    @property
    def warnings(self) -> int:
        return self.counts.warnings


@dataclass
class TableCheck(_Counted):
    """A scored table and its findings (reader, engine, rules) in the one order."""

    result: TableResult  # its findings include the rules' (TableResult.findings)
    findings: list[Finding] = field(default_factory=list)

    kind = "self"  # a 自评表; MonitoringCheck.kind is "monitoring"


@dataclass
class MonitoringCheck(_Counted):
    """A judged monitoring table and its findings (reader, engine, rules) in order."""

    result: MonitoringResult  # its findings include the rules'
    findings: list[Finding] = field(default_factory=list)

    kind = "monitoring"


@dataclass
class FileCheck:
    path: str
    tables: list[TableCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level: unreadable, no table
    # monitoring tables (项目支出绩效目标执行监控表) apart from the 自评表: whatever reads
    # `tables` (summary, batch payload) keeps seeing 自评表 only; the annotator, the ribbon
    # and /api/check-sheet mark every finding (all_findings, check_sheet), both kinds
    monitoring: list[MonitoringCheck] = field(default_factory=list)

    @property
    def checks(self) -> list[TableCheck | MonitoringCheck]:
        """Every table check, 自评表 first; each says its `kind` ("self", "monitoring")."""
        return [*self.tables, *self.monitoring]

    @property
    def all_findings(self) -> list[Finding]:
        """Every finding of the file, in the one order (sheets in workbook order)."""
        found = self.findings + [f for t in self.checks for f in t.findings]
        return ordered(found, [t.result.table.sheet for t in self.checks])

    @property
    def rejected(self) -> bool:
        """True when no table could be read from the file (its findings say why)."""
        return not self.tables and not self.monitoring

    @property
    def counts(self) -> Counts:
        return counts(self.findings + [f for t in self.checks for f in t.findings])

    @property
    def errors(self) -> int:
        return self.counts.errors

    @property
    def warnings(self) -> int:
        return self.counts.warnings


_RULES: ModuleType | None = None  # perfxl.rules once loaded (see _rules)


def _rules() -> ModuleType:
    """perfxl.rules, imported on first use (rules import the engine; keep the cycle lazy)
    and kept: `from perfxl.rules import run_rules` inside a function runs importlib's
    Python-level _handle_fromlist on every call, as perfxl.rules is a package."""
    global _RULES
    if _RULES is None:
        import perfxl.rules

        _RULES = perfxl.rules
    return _RULES


def _with(result: Any, **changes: Any) -> Any:
    """dataclasses.replace for the frozen results, their rows and tables (none has a
    __post_init__ or an init=False field): the same state, set in one step. replace
    walks fields() and calls the frozen __init__, an object.__setattr__ per field, for
    every table with a finding (its rules', then the file's path on each)."""
    made = object.__new__(type(result))
    object.__setattr__(made, "__dict__", {**result.__dict__, **changes})
    return made


def check_table(table: IndicatorTable, profile: Profile) -> TableResult:
    """Score one table and add the rules' findings to the result's table-level ones."""
    result = score_table(table, profile)
    found = (_RULES or _rules()).run_rules(result, profile)
    result = _with(result, findings=(*result.findings, *found)) if found else result
    return explain_unsaved(result)  # PX009 rather than "未填写" on unsaved formulas


def check_tables(tables: list[IndicatorTable], profile: Profile) -> list[TableCheck]:
    """Score each table and collect its findings (reader, engine and rules) in order."""
    checks = []
    for table in tables:
        result = check_table(table, profile)
        checks.append(TableCheck(result, ordered(result.all_findings, [table.sheet])))
    return checks


def check_monitoring(
    table: MonitoringTable, profile: Profile, year_end: tuple[IndicatorTable, ...] = ()
) -> MonitoringResult:
    """Judge one monitoring table and add the monitoring rules' findings; `year_end`
    are the 自评表 of the same file (the approved targets must not drift)."""
    from perfxl.rules import run_monitoring_rules  # rules import the engine: keep lazy

    result = score_monitoring(table, profile)
    found = run_monitoring_rules(result, profile, year_end)
    return _with(result, findings=(*result.findings, *found)) if found else result


def check_monitoring_tables(
    tables: list[MonitoringTable], profile: Profile, year_end: tuple[IndicatorTable, ...] = ()
) -> list[MonitoringCheck]:
    checks = []
    for table in tables:
        result = check_monitoring(table, profile, year_end)
        checks.append(MonitoringCheck(result, ordered(result.all_findings, [table.sheet])))
    return checks


def check_sheet(
    grid: Grid, profile: Profile, year_end: tuple[IndicatorTable, ...] = ()
) -> list[TableCheck | MonitoringCheck]:
    """Every table on one sheet checked, 自评表 first, then 监控表 (each says its `kind`).

    What check_file does for each sheet of a file, for the one sheet the Excel ribbon's
    校验本表 and perfxl serve's /api/check-sheet are given. A monitoring table's targets
    are compared (PX119) with this sheet's 自评表 and `year_end` (those of other sheets)."""
    tables, monitoring = read_sheet(grid)
    checks = check_tables(tables, profile)
    known = (*tables, *year_end)
    return [*checks, *check_monitoring_tables(monitoring, profile, known)]


def check_file(
    path: str | Path, profile: Profile, name: str | None = None, data: bytes | None = None
) -> FileCheck:
    """Read one workbook (never writing it) and check every table in it.

    Every finding carries the file (`name`, else `path`: a worker checks a private copy
    under the original's name). Whatever goes wrong inside becomes a PX004 finding on
    the file: one odd workbook costs its own result, never the listing of the others.
    With `data`, those bytes are the workbook (perfxl serve's uploads stay in memory).
    """
    shown = str(path) if name is None else name
    try:
        # one argument when reading from disk (tests stand in for read_workbook(path))
        read = read_workbook(path) if data is None else read_workbook(path, data)
        tables = [in_file(c, shown) for c in check_tables(read.tables, profile)]
        found = getattr(read, "monitoring", [])  # test stand-ins may not have any
        monitoring = [
            in_file(c, shown) for c in check_monitoring_tables(found, profile, tuple(read.tables))
        ]
        return FileCheck(shown, tables, [_at(f, shown) for f in read.findings], monitoring)
    except Exception as exc:  # the safety net under the reader, the engine and the rules
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return FileCheck(shown, [], [finding("PX004", detail, where=shown, path=shown)])


def _at(found: Finding, path: str) -> Finding:
    return Finding(found.code, found.severity, found.message, found.cell, found.where, path)


Check = TypeVar("Check", TableCheck, MonitoringCheck)


def in_file(check: Check, path: str) -> Check:
    """The check (自评表 or 监控表) with the file set on every finding, in the result's
    rows and table too."""
    if not check.findings:
        return check
    result = check.result
    rows = tuple(
        _with(r, findings=tuple(_at(f, path) for f in r.findings)) if r.findings else r
        for r in result.rows
    )
    table = result.table
    if table.findings:
        table = _with(table, findings=tuple(_at(f, path) for f in table.findings))
    result = _with(
        result, table=table, rows=rows, findings=tuple(_at(f, path) for f in result.findings)
    )
    return type(check)(result, [_at(f, path) for f in check.findings])
