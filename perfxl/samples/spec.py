"""What a fixture table says, kept apart from how it is laid out.

The specs hold the figures exactly as a report prints them (texts stay texts, printed
scores stay printed even when they do not add up), so that the workbooks built from them
carry the reports' defects for a validator to find.
"""

from __future__ import annotations

from dataclasses import dataclass

Number = int | float
# One funds row as (年初预算数, 全年预算数, 全年到位数, 全年执行数); None leaves a cell blank.
FundsLine = tuple[Number | None, Number | None, Number | None, Number | None]


@dataclass(frozen=True)
class RowSpec:
    """One three-level indicator row; target and actual are the texts as printed."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Number | None
    score: Number | None
    reason: str = ""


@dataclass(frozen=True)
class FundsSpec:
    """The funds block in 万元; rate is a fraction (0.3479 for 34.79%).

    weight and score stay None when budget execution is scored as an indicator row
    inside 过程 (all seeds), because the national form then leaves them blank.
    The three optional source lines fill rows 7–9 only where a report gives them.
    """

    initial_budget: Number | None
    budget: Number | None
    received: Number | None
    spent: Number | None
    weight: Number | None = None
    rate: Number | None = None
    score: Number | None = None
    appropriation: FundsLine | None = None  # 其中：当年财政拨款
    carryover: FundsLine | None = None  # 上年结转资金
    other: FundsLine | None = None  # 其他资金


@dataclass(frozen=True)
class ProjectSpec:
    """One self-evaluation table; total and grade are the printed ones, not recomputed."""

    key: str
    title_year: int
    project: str
    department: str
    unit: str
    funds: FundsSpec
    goal: str
    achieved: str
    rows: tuple[RowSpec, ...]
    total: Number | None
    grade: str
