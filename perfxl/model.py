"""Plain data shared by the reader, the engine and every front end.

Nothing here does I/O or arithmetic beyond formatting; keeping the data plain lets the
engine stay a set of pure functions and lets UDFs, the ribbon and the batch build the
same objects from whatever they read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


def column_letter(col: int) -> str:
    """1-based column number to Excel letters (1 -> A, 27 -> AA)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, order=True)
class CellRef:
    """A cell in a workbook; rows and columns are 1-based as Excel shows them."""

    sheet: str
    row: int
    col: int

    @property
    def a1(self) -> str:
        return f"{column_letter(self.col)}{self.row}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.a1}"


class Direction(StrEnum):
    """How a target is compared with its actual value."""

    POSITIVE = "positive"  # ≥, >, 不低于: more is better
    REVERSE = "reverse"  # ≤, <, 不超过: staying under the cap is better
    EQUAL = "equal"  # =, 等于; a bare figure parses as EQUAL with Target.bare set
    QUALITATIVE = "qualitative"  # 有效提升, 持续, 长期 …


class QualLevel(StrEnum):
    """The three MoF bands a qualitative actual falls into."""

    ACHIEVED = "达成"
    PARTIAL = "部分达成"
    NOT_ACHIEVED = "未达成"


@dataclass(frozen=True)
class Unit:
    """A unit of measure.

    `dimension` says what can be converted into what ("money", "percent", "count:人",
    "month", "date", "money/人·月", ...); `factor` converts a value in this unit to the
    dimension's base (元 for money, a plain fraction for percent).
    """

    text: str
    dimension: str
    factor: Decimal = Decimal(1)


@dataclass(frozen=True)
class Quantity:
    """A number with an optional unit (None for a bare number)."""

    value: Decimal
    unit: Unit | None = None


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值."""

    text: str
    direction: Direction
    quantity: Quantity | None = None  # None for a qualitative target
    strict: bool = False  # > or < rather than ≥ or ≤
    deadline: bool = False  # 12月底之前, 2023年12月前: a date to be met, not a ratio
    # no operator word or sign and no 以上/以下 suffix was written (`90%`, `12次`, a number
    # or a date typed in the cell): the profile's [rows] bare settings say how it is read
    bare: bool = False


@dataclass(frozen=True)
class Qualitative:
    """A qualitative actual; `level` is None when the text cannot be judged."""

    text: str
    level: QualLevel | None


@dataclass(frozen=True)
class TextProblem:
    """Why a target or actual text could not be read (kept as a value, never raised)."""

    text: str
    message: str  # Chinese, shown to the user


_FRESH: Any = object()  # no cells given: a dict of its own, as field(default_factory=dict)


@dataclass(frozen=True, init=False)
class Indicator:
    """One three-level indicator row as the reader found it.

    The reader makes one per row: its __init__ is written out below (one dict set at
    once) rather than generated (a frozen dataclass's sets each field through
    object.__setattr__, about twice the cost). Same fields, order and defaults."""

    level1: str
    level2: str
    name: str
    target_text: str | None
    actual_text: str | None
    weight: Decimal | None
    entered_score: Decimal | None  # the printed 得分 (input for manual rows)
    reason: str | None = None  # 偏差原因分析及改进措施
    cells: dict[str, CellRef] = field(default_factory=dict)  # "name", "target", "actual", …
    level1_points: Decimal | None = None  # points printed in the level-1 cell, 产出指标(50分)
    # the 得分 cell holds a formula: entered_score is its cached result (None when there
    # is none), which a manual row takes but nobody printed, so it is never compared
    score_formula: bool = False

    def __init__(
        self,
        level1: str,
        level2: str,
        name: str,
        target_text: str | None,
        actual_text: str | None,
        weight: Decimal | None,
        entered_score: Decimal | None,
        reason: str | None = None,
        cells: dict[str, CellRef] = _FRESH,
        level1_points: Decimal | None = None,
        score_formula: bool = False,
    ) -> None:
        object.__setattr__(
            self,
            "__dict__",
            {
                "level1": level1,
                "level2": level2,
                "name": name,
                "target_text": target_text,
                "actual_text": actual_text,
                "weight": weight,
                "entered_score": entered_score,
                "reason": reason,
                "cells": {} if cells is _FRESH else cells,
                "level1_points": level1_points,
                "score_formula": score_formula,
            },
        )

    @property
    def cell(self) -> CellRef | None:
        for key in ("name", "target", "actual", "score", "weight"):
            if key in self.cells:
                return self.cells[key]
        return None


@dataclass(frozen=True, init=False)
class Funds:
    """The funds block (项目资金, 万元). The reader makes several per sheet while it
    looks for the block, so its __init__ is written out as Indicator's is."""

    initial_budget: Decimal | None = None  # 年初预算数
    budget: Decimal | None = None  # 全年预算数
    received: Decimal | None = None  # 全年到位数 / 实际到位资金
    spent: Decimal | None = None  # 全年执行数
    weight: Decimal | None = None  # 分值 of the execution row, when the block carries one
    reported_rate: Decimal | None = None  # printed 执行率 as a fraction
    reported_score: Decimal | None = None  # printed 得分
    cells: dict[str, CellRef] = field(default_factory=dict)
    # an amount could not be read (the reader said where, PX007/PX008): when the
    # amounts give no 执行率, the engine takes reported_rate rather than none
    rate_fallback: bool = False

    def __init__(
        self,
        initial_budget: Decimal | None = None,
        budget: Decimal | None = None,
        received: Decimal | None = None,
        spent: Decimal | None = None,
        weight: Decimal | None = None,
        reported_rate: Decimal | None = None,
        reported_score: Decimal | None = None,
        cells: dict[str, CellRef] = _FRESH,
        rate_fallback: bool = False,
    ) -> None:
        object.__setattr__(
            self,
            "__dict__",
            {
                "initial_budget": initial_budget,
                "budget": budget,
                "received": received,
                "spent": spent,
                "weight": weight,
                "reported_rate": reported_rate,
                "reported_score": reported_score,
                "cells": {} if cells is _FRESH else cells,
                "rate_fallback": rate_fallback,
            },
        )


@dataclass(frozen=True, init=False)
class IndicatorTable:
    """One project's self-evaluation table as read from one sheet (__init__ written
    out as Indicator's is)."""

    sheet: str
    project: str | None = None
    department: str | None = None  # 主管部门
    unit: str | None = None  # 实施单位
    funds: Funds = field(default_factory=Funds)
    indicators: tuple[Indicator, ...] = ()
    reported_total: Decimal | None = None
    reported_grade: str | None = None
    layout: str = "national"
    cells: dict[str, CellRef] = field(default_factory=dict)  # "project", "total", …
    year: int | None = None  # the year evaluated: （2023年度） in the title, 自评年度 …
    # what the reader found wrong in this table's cells (perfxl.findings.Finding; not
    # imported here, findings imports this module): a figure it could not use, a
    # money text it could not read. The engine's results pass them on.
    findings: tuple = ()

    def __init__(
        self,
        sheet: str,
        project: str | None = None,
        department: str | None = None,
        unit: str | None = None,
        funds: Funds = _FRESH,
        indicators: tuple[Indicator, ...] = (),
        reported_total: Decimal | None = None,
        reported_grade: str | None = None,
        layout: str = "national",
        cells: dict[str, CellRef] = _FRESH,
        year: int | None = None,
        findings: tuple = (),
    ) -> None:
        object.__setattr__(
            self,
            "__dict__",
            {
                "sheet": sheet,
                "project": project,
                "department": department,
                "unit": unit,
                "funds": Funds() if funds is _FRESH else funds,
                "indicators": indicators,
                "reported_total": reported_total,
                "reported_grade": reported_grade,
                "layout": layout,
                "cells": {} if cells is _FRESH else cells,
                "year": year,
                "findings": findings,
            },
        )
