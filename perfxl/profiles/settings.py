"""The shapes a scoring profile is read into (plain frozen data, no I/O).

Kept apart from the loader (perfxl.profiles) so that the file that checks TOML stays
small; perfxl.profiles re-exports every name here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from perfxl.model import QualLevel


class ScoreMethod(StrEnum):
    """How a rate becomes points ([rows] score, [execution]/[arrival] method)."""

    PROPORTIONAL = "proportional"
    THRESHOLD = "threshold"
    FULL_ABOVE = "full_above"


class ReverseMethod(StrEnum):
    """The rate of a ≤ row ([rows] reverse and cost)."""

    TARGET_OVER_ACTUAL = "target_over_actual"
    ACTUAL_OVER_TARGET = "actual_over_target"
    LINEAR_PENALTY = "linear_penalty"


class EqualMethod(StrEnum):
    """The rate of an = row ([rows] equal)."""

    DEVIATION = "deviation"
    PROPORTIONAL = "proportional"
    FULL_IF_EQUAL = "full_if_equal"


class CompletionMethod(StrEnum):
    """How 总体完成率 combines the rows' rates ([completion] method)."""

    MEAN = "mean"
    WEIGHTED = "weighted"


class Reading(StrEnum):
    """How a figure written without an operator is read ([rows] bare, bare_cost,
    [deadlines] bare_duration)."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    EQUAL = "equal"


class DeadlineReading(StrEnum):
    """A date or month written without 前/底/之前 ([deadlines] bare)."""

    DEADLINE = "deadline"  # met on or before it
    EQUAL = "equal"  # met in that month exactly


class PointsRounding(StrEnum):
    """Points of the funds rows ([execution]/[arrival] points_rounding)."""

    ROUND = "round"  # to the profile's score digits, half up
    TRUNCATE = "truncate"  # whole points cut down (Shanxi 2020: 9.91 → 9)


class EnteredScores(StrEnum):
    """Whose 得分 counts for a computed row ([rows] entered_scores)."""

    RECOMPUTE = "recompute"  # the rule's
    KEEP = "keep"  # the evaluator's, within 0…分值 (PX020 still shown)


@dataclass(frozen=True)
class FundsRule:
    """How the execution (or arrival) rate row is scored."""

    row_names: tuple[str, ...]
    method: ScoreMethod
    threshold: Decimal
    full_at: Decimal
    default_weight: Decimal | None
    denominator: tuple[str, ...]
    points_rounding: PointsRounding = PointsRounding.ROUND


@dataclass(frozen=True)
class RowRules:
    reverse: ReverseMethod  # a positive row is always actual / target: no setting
    cost: ReverseMethod
    equal: EqualMethod
    cost_level2: tuple[str, ...]
    score: ScoreMethod
    threshold: Decimal
    cap: Decimal
    # how a bare figure (`90%`, `12次`) is read: at_least, at_most or equal; cost rows and
    # rows whose name denotes a bad outcome (投诉率) have their own reading
    bare: Reading = Reading.AT_LEAST
    bare_cost: Reading = Reading.AT_MOST
    bare_at_most_names: tuple[str, ...] = ()
    bare_at_least_names: tuple[str, ...] = ()  # exceptions: 违规问题整改率 is at least
    entered_scores: EnteredScores = EnteredScores.RECOMPUTE


@dataclass(frozen=True)
class DeadlineRules:
    """How dates and months are judged (the [deadlines] section)."""

    bare: DeadlineReading = DeadlineReading.DEADLINE  # `2023年12月` with no 前/底
    time_level2: tuple[str, ...] = ("时效指标", "产出时效指标", "时效")  # where `12月` is a month
    late_rate: Decimal = Decimal(0)  # completion rate of a deadline missed
    bare_duration: Reading = Reading.AT_MOST  # `30天` on a time row: a time limit


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
class MonitoringSettings:
    """Thresholds of the mid-year monitoring lights (the [monitoring] section).

    No national rule fixes them (one provincial system ships these defaults), so each
    county may set its own; perfxl.monitoring.lights is the only reader.
    """

    # execution: v = 执行率 / 序时进度; below red 红, below yellow 黄, else 绿
    execution_red: Decimal = Decimal("0.6")
    execution_yellow: Decimal = Decimal("0.8")
    # an indicator's progress: below red 红, below yellow 黄, from blue 蓝 (target too low)
    indicator_red: Decimal = Decimal("0.6")
    indicator_yellow: Decimal = Decimal("0.8")
    indicator_blue: Decimal = Decimal("1.2")


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
    completion: CompletionMethod
    grades: tuple[tuple[str, Decimal], ...]
    deviation_threshold: Decimal
    rules: RuleSettings = RuleSettings()
    deadlines: DeadlineRules = DeadlineRules()
    total: TotalRules = TotalRules()
    monitoring: MonitoringSettings = MonitoringSettings()

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
