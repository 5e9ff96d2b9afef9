"""The shapes a scoring profile is read into (plain frozen data, no I/O).

Kept apart from the loader (perfxl.profiles) so that the file that checks TOML stays
small; perfxl.profiles re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from perfxl.model import QualLevel


@dataclass(frozen=True)
class FundsRule:
    """How the execution (or arrival) rate row is scored."""

    row_names: tuple[str, ...]
    method: str
    threshold: Decimal
    full_at: Decimal
    default_weight: Decimal | None
    denominator: tuple[str, ...]
    points_rounding: str = "round"  # "truncate": whole points cut down (Shanxi 2020: 9.91 → 9)


@dataclass(frozen=True)
class RowRules:
    reverse: str  # a positive row is always actual / target: no setting
    cost: str
    equal: str
    cost_level2: tuple[str, ...]
    score: str
    threshold: Decimal
    cap: Decimal
    # how a bare figure (`90%`, `12次`) is read: at_least, at_most or equal; cost rows and
    # rows whose name denotes a bad outcome (投诉率) have their own reading
    bare: str = "at_least"
    bare_cost: str = "at_most"
    bare_at_most_names: tuple[str, ...] = ()
    bare_at_least_names: tuple[str, ...] = ()  # exceptions: 违规问题整改率 is at least
    entered_scores: str = "recompute"  # "keep": the evaluator's 得分 counts (PX020 still shown)


@dataclass(frozen=True)
class DeadlineRules:
    """How dates and months are judged (the [deadlines] section)."""

    bare: str = "deadline"  # `2023年12月` with no 前/底: a deadline, or an exact month
    time_level2: tuple[str, ...] = ("时效指标", "产出时效指标", "时效")  # where `12月` is a month
    late_rate: Decimal = Decimal(0)  # completion rate of a deadline missed
    bare_duration: str = "at_most"  # `30天` on a time row: a time limit


@dataclass(frozen=True)
class TotalRules:
    """What 总分 covers (the [total] section)."""

    includes_execution: bool = True  # False: indicators alone are 100, execution apart


@dataclass(frozen=True)
class Band:
    level: QualLevel
    upper: Decimal
    lower: Decimal


@dataclass(frozen=True)
class RuleSettings:
    """Thresholds of the validation rules (perfxl.rules), from the [rules] section."""

    far_above_ratio: Decimal = Decimal("1.5")  # actual / target above this: target too low?
    quantification_min: Decimal = Decimal("0.7")  # 指标量化率 expected at least this
    rate_tolerance: Decimal = Decimal("0.0001")  # printed 执行率 vs 执行数 / 预算数
    # Expected points per level-1 category; names compare without a trailing 指标.
    level1_weights: tuple[tuple[str, Decimal], ...] = ()
    # The indicator framework: level-1 name -> the level-2 names that belong to it.
    framework: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    source: str
    rate_digits: int
    score_digits: int
    execution: FundsRule
    arrival: FundsRule
    rows: RowRules
    bands: tuple[Band, ...]
    rescale_not_applicable: bool
    completion: str
    grades: tuple[tuple[str, Decimal], ...]
    deviation_threshold: Decimal
    rules: RuleSettings = RuleSettings()
    deadlines: DeadlineRules = DeadlineRules()
    total: TotalRules = TotalRules()

    def band(self, level: QualLevel) -> Band:
        for band in self.bands:
            if band.level == level:
                return band
        raise KeyError(level)  # unreachable: validation requires all three bands

    def grade(self, total: Decimal) -> str:
        for grade, minimum in self.grades:
            if total >= minimum:
                return grade
        return self.grades[-1][0]
