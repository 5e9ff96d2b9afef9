"""Checking tables: the engine's own findings plus every validation rule's.

This is the one entry point the validate command, the ribbon's 校验本表 button and the
nightly consolidation use, so that all three report the same findings for the same
table. Rules live one per module in perfxl.rules; `run_rules` applies them all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from perfxl.findings import Finding, Severity, finding
from perfxl.model import IndicatorTable
from perfxl.profiles import Profile
from perfxl.reader import read_workbook
from perfxl.results import TableResult
from perfxl.scoring import score_table


@dataclass
class TableCheck:
    result: TableResult
    findings: list[Finding] = field(default_factory=list)  # engine + rules, in cell order

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == Severity.WARNING)


@dataclass
class FileCheck:
    path: str
    tables: list[TableCheck] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level: unreadable, no table

    @property
    def all_findings(self) -> list[Finding]:
        return self.findings + [f for t in self.tables for f in t.findings]

    @property
    def rejected(self) -> bool:
        """True when no table could be read from the file (its findings say why)."""
        return not self.tables

    @property
    def errors(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.all_findings if f.severity == Severity.WARNING)


def _order(finding: Finding) -> tuple:
    cell = finding.cell
    return (
        (0, cell.sheet, cell.row, cell.col, finding.code) if cell else (1, "", 0, 0, finding.code)
    )


def check_tables(tables: list[IndicatorTable], profile: Profile) -> list[TableCheck]:
    """Score each table and collect its findings (engine and rules), sorted by cell.

    The rule modules for the engine's own codes (PX010–PX012, PX020, PX021) pass the
    engine's findings on; equal findings are kept once.
    """
    from perfxl.rules import run_rules  # rules import the engine; keep the cycle lazy

    checks = []
    for table in tables:
        result = score_table(table, profile)
        found = list(result.all_findings) + run_rules(result, profile)
        unique = list(dict.fromkeys(found))
        checks.append(TableCheck(result, sorted(unique, key=_order)))
    return checks


def check_file(path: str | Path, profile: Profile) -> FileCheck:
    """Read one workbook (never writing it) and check every table in it.

    Whatever goes wrong inside becomes a PX004 finding on the file: one odd workbook
    costs its own result, never the listing of the others.
    """
    try:
        read = read_workbook(path)
        return FileCheck(str(path), check_tables(read.tables, profile), list(read.findings))
    except Exception as exc:  # the safety net under the reader, the engine and the rules
        detail = f"{type(exc).__name__}: {exc}"[:200]
        return FileCheck(str(path), [], [finding("PX004", detail, where=str(path))])
