"""Plain data of a monitoring table (项目支出绩效目标执行监控表) and of its judgement.

MonitoringTable is what the reader finds on a sheet (perfxl.reader.monitoring);
MonitoringResult what the engine gives back (perfxl.monitoring.engine), the lights
computed by perfxl.monitoring.lights. They travel beside the year-end tables, never
among them: a FileCheck keeps them in its own `monitoring` list (perfxl.validation),
a FileResult too (perfxl.report), so every consumer of self-evaluation tables — the
summary, the batch payload, the annotator — goes on seeing only 自评表, and a mixed
folder keeps the two apart. Both shapes say `kind == "monitoring"`; TableResult and
TableCheck say "self".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfxl.findings import Finding, counts
from perfxl.model import CellRef, Direction
from perfxl.monitoring.lights import Light, RowKind

KIND = "monitoring"

# the 偏差原因分析 categories of the MoF annex, in its order
CAUSES: tuple[str, ...] = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")

# the 完成目标可能性 answers of the MoF annex
LIKELIHOODS: tuple[str, ...] = ("确定能", "有可能", "完全不可能")


@dataclass(frozen=True)
class MonitoringFunds:
    """The funds block (万元), the 年度资金总额 row; cells keyed like the fields."""

    initial_budget: Decimal | None = None  # 年初预算数
    budget: Decimal | None = None  # 全年预算数 (after adjustments)
    spent: Decimal | None = None  # 1-N月执行数
    reported_rate: Decimal | None = None  # the printed 执行率, as a fraction
    predicted: Decimal | None = None  # 全年预计执行数
    causes: tuple[str, ...] = ()  # 偏差原因 categories ticked on the funds row
    likelihood: str | None = None  # 完成目标可能性 on the funds row, where the form has it
    reason: str | None = None  # 原因说明 on the funds row
    cells: dict[str, CellRef] = field(default_factory=dict)


@dataclass(frozen=True)
class MonitoringRow:
    """One indicator row as the reader found it (texts as written)."""

    level1: str
    level2: str
    name: str
    target_text: str | None  # 年度指标值 (the approved target)
    actual_text: str | None  # 1-N月实际完成值
    predicted_text: str | None = None  # 全年预计完成值
    causes: tuple[str, ...] = ()  # 偏差原因分析 categories (of CAUSES) ticked or named
    cause_text: str | None = None  # a 偏差原因 written out rather than ticked
    likelihood: str | None = None  # 完成目标可能性 as written (确定能 / 有可能 / 完全不可能)
    reason: str | None = None  # 原因说明 (and 改进措施 where the form joins them)
    measures: str | None = None  # 改进措施 where it is a column of its own
    # "name", "target", "actual", "predicted", "cause", "likelihood", "reason", "measures"
    cells: dict[str, CellRef] = field(default_factory=dict)

    @property
    def cell(self) -> CellRef | None:
        for key in ("name", "target", "actual"):
            if key in self.cells:
                return self.cells[key]
        return None

    @property
    def has_cause(self) -> bool:
        """A 偏差原因 was given, ticked or written."""
        return bool(self.causes) or bool((self.cause_text or "").strip())

    @property
    def explanation(self) -> str | None:
        """原因说明 and 改进措施 together: what the rules ask for."""
        parts = [t.strip() for t in (self.reason, self.measures) if t and t.strip()]
        return "；".join(parts) or None


@dataclass(frozen=True)
class MonitoringTable:
    """One project's monitoring table as read from one sheet."""

    sheet: str
    project: str | None = None
    department: str | None = None  # 主管部门
    unit: str | None = None  # 实施单位
    year: int | None = None
    month: int | None = None  # the monitoring month N (from `1-N月执行数` or 监控月份)
    # the table's date (填报日期 / 监控时间 / 截至日期) as (year, month), when printed
    date: tuple[int, int] | None = None
    funds: MonitoringFunds = field(default_factory=MonitoringFunds)
    rows: tuple[MonitoringRow, ...] = ()
    layout: str = "mof2019"
    cells: dict[str, CellRef] = field(default_factory=dict)  # "project", "month", "date", …
    findings: tuple[Finding, ...] = ()  # the reader's, on this table's cells
    # the table-wide 偏差或不能完成目标原因分析 / 相关建议或举措 rows of forms that have no
    # reason column per indicator (cells "reason", "measures")
    reason: str | None = None
    measures: str | None = None

    kind = KIND


@dataclass(frozen=True)
class MonitoringRowResult:
    """A row judged: how it is read, its progress (rounded for showing) and light."""

    row: MonitoringRow
    kind: RowKind | None  # None: the target could not be read
    direction: Direction | None = None
    progress: Decimal | None = None  # fraction, rounded half up to the profile's rate digits
    light: Light | None = None
    predicted_short: bool = False  # 全年预计完成值 misses the target
    findings: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class MonitoringResult:
    """What the engine gives for one monitoring table."""

    table: MonitoringTable
    profile: str
    month: int | None
    time_progress: Decimal | None  # N/12 rounded half up to the rate digits (0.4167)
    execution_rate: Decimal | None  # rounded half up to the rate digits (0.3980)
    execution_ratio: Decimal | None  # v = 执行率 / 序时进度, rounded to the rate digits
    execution_light: Light | None
    light: Light | None  # the project's: worst of the execution light and the rows'
    rows: tuple[MonitoringRowResult, ...] = ()
    findings: tuple[Finding, ...] = ()  # table-level: the engine's, then the rules'

    kind = KIND

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        rows = tuple(f for row in self.rows for f in row.findings)
        return (*self.table.findings, *rows, *self.findings)

    @property
    def error_count(self) -> int:
        return counts(self.all_findings).errors

    def lights(self) -> dict[Light, int]:
        """How many rows show each light (the summary's 红/黄/绿/蓝 counts are projects')."""
        tally = dict.fromkeys(Light, 0)
        for row in self.rows:
            if row.light is not None:
                tally[row.light] += 1
        return tally
