"""What the engine returns: scored rows, categories and tables.

Kept apart from the engine so that front ends (CLI, UDFs, the summary writer) can
depend on the shapes without importing the rules that fill them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfxl.findings import Finding, counts
from perfxl.model import Direction, Indicator, IndicatorTable, QualLevel


class Method(StrEnum):
    """How a row got its score (the `method` key of the JSON contract)."""

    COMPUTED = "computed"  # quantitative target vs actual
    QUALITATIVE = "qualitative"  # banded 达成 / 部分达成 / 未达成
    MANUAL = "manual"  # rubric row: the evaluator's score is taken
    EXECUTION = "execution"  # 预算执行率 from the funds block
    ARRIVAL = "arrival"  # 资金到位率 from the funds block
    NOT_APPLICABLE = "not_applicable"  # 无此类指标: left out
    UNSCORED = "unscored"  # could not be scored; see the row's findings


_NO_FINDINGS: tuple[Finding, ...] = ()
# rows whose printed 得分 is taken as it is (or that have none): never "differs"; a
# module constant, as Method.MANUAL costs ~150 ns a lookup on Python 3.11
_OWN_SCORE = (Method.MANUAL, Method.NOT_APPLICABLE)


@dataclass(frozen=True, init=False)
class RowResult:
    """One scored row. Made for every row of every table (most from perfxl.memo), so its
    __init__ is written out below, as Indicator's is: one dict set at once instead of an
    object.__setattr__ per field. Same fields, order and defaults as the generated one
    (tests/test_hand_inits.py)."""

    indicator: Indicator
    method: Method
    score: Decimal
    rate: Decimal | None = None  # completion rate as a fraction, capped, rounded
    ratio: Decimal | None = None  # uncapped actual-vs-target ratio, when one exists
    direction: Direction | None = None
    quantitative: bool | None = None  # None for rows that are not the project's own indicators
    findings: tuple[Finding, ...] = ()
    level: QualLevel | None = None  # the band a qualitative actual fell into
    # the rule's score when the profile keeps the evaluator's entered one ([rows]
    # entered_scores = "keep"): `score` is then the entered figure
    computed_score: Decimal | None = None

    def __init__(
        self,
        indicator: Indicator,
        method: Method,
        score: Decimal,
        rate: Decimal | None = None,
        ratio: Decimal | None = None,
        direction: Direction | None = None,
        quantitative: bool | None = None,
        findings: tuple[Finding, ...] = _NO_FINDINGS,
        level: QualLevel | None = None,
        computed_score: Decimal | None = None,
    ) -> None:
        object.__setattr__(
            self,
            "__dict__",
            {
                "indicator": indicator,
                "method": method,
                "score": score,
                "rate": rate,
                "ratio": ratio,
                "direction": direction,
                "quantitative": quantitative,
                "findings": findings,
                "level": level,
                "computed_score": computed_score,
            },
        )

    @property
    def reported_score(self) -> Decimal | None:
        return self.indicator.entered_score

    @property
    def score_differs(self) -> bool:
        """The printed 得分 differs from the computed one (PX020).

        A formula's cached result is not a printed figure: a stale cache or another
        tool's rounding would be reported as the unit's mistake.
        """
        reported = self.indicator.entered_score  # reported_score, without the call
        if reported is None or self.method in _OWN_SCORE or self.indicator.score_formula:
            return False
        computed = self.computed_score
        return reported != (self.score if computed is None else computed)


@dataclass(frozen=True, init=False)
class CategoryResult:
    """One level-1 category's points; a few per table, so its __init__ is written out
    as RowResult's is (tests/test_hand_inits.py)."""

    name: str
    weight: Decimal
    score: Decimal
    rate: Decimal | None

    def __init__(self, name: str, weight: Decimal, score: Decimal, rate: Decimal | None) -> None:
        object.__setattr__(
            self, "__dict__", {"name": name, "weight": weight, "score": score, "rate": rate}
        )


@dataclass(frozen=True, init=False)
class TableResult:
    """One scored table; its __init__ is written out as RowResult's is (one dict set
    instead of twelve object.__setattr__ calls; tests/test_hand_inits.py)."""

    table: IndicatorTable
    profile: str
    rows: tuple[RowResult, ...]
    categories: tuple[CategoryResult, ...]
    total: Decimal
    grade: str
    execution_rate: Decimal | None
    arrival_rate: Decimal | None
    completion_rate: Decimal | None
    deviation: Decimal | None  # percentage points
    quantification_rate: Decimal | None
    findings: tuple[Finding, ...] = ()  # table-level: the engine's, then the rules'

    def __init__(
        self,
        table: IndicatorTable,
        profile: str,
        rows: tuple[RowResult, ...],
        categories: tuple[CategoryResult, ...],
        total: Decimal,
        grade: str,
        execution_rate: Decimal | None,
        arrival_rate: Decimal | None,
        completion_rate: Decimal | None,
        deviation: Decimal | None,
        quantification_rate: Decimal | None,
        findings: tuple[Finding, ...] = _NO_FINDINGS,
    ) -> None:
        object.__setattr__(
            self,
            "__dict__",
            {
                "table": table,
                "profile": profile,
                "rows": rows,
                "categories": categories,
                "total": total,
                "grade": grade,
                "execution_rate": execution_rate,
                "arrival_rate": arrival_rate,
                "completion_rate": completion_rate,
                "deviation": deviation,
                "quantification_rate": quantification_rate,
                "findings": findings,
            },
        )

    @property
    def all_findings(self) -> tuple[Finding, ...]:
        """The reader's on this table, the rows', then the table-level ones (the engine's
        and, once perfxl.validation has checked the table, the rules')."""
        rows = [f for row in self.rows for f in row.findings]
        return (*self.table.findings, *rows, *self.findings)

    @property
    def error_count(self) -> int:
        return counts(self.all_findings).errors

    @property
    def total_differs(self) -> bool:
        return self.table.reported_total is not None and self.table.reported_total != self.total
