"""Single numbers: a rate from a target and an actual, points from a rate, funds rates.

Part of the engine (perfxl.scoring builds rows and tables from these); kept apart so
each piece stays small. Every choice between methods is read from the profile.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.model import Direction, Funds, QualLevel, Target
from perfxl.profiles import FundsRule, Profile
from perfxl.rounding import excel_round

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
DATE_DIMENSIONS = frozenset({"date", "month_of_year"})


def score_from_rate(
    rate: Decimal, weight: Decimal, method: str, threshold: Decimal, full_at: Decimal
) -> Decimal:
    """Points for a completion rate under one of the profile's scoring methods (unrounded)."""
    rate = max(rate, ZERO)
    if method == "threshold":
        if rate >= ONE:
            return weight
        if rate < threshold:
            return ZERO
        return (rate - threshold) / (ONE - threshold) * weight
    if method == "full_above" and rate >= full_at:
        return weight
    return min(rate, ONE) * weight


def funds_rate(funds: Funds, rule: FundsRule, numerator: str) -> Decimal | None:
    """spent (or received) over the first denominator the profile names that the block has."""
    top = getattr(funds, numerator)
    if top is None:
        return None
    for field in rule.denominator:
        if field == numerator:
            continue
        bottom = getattr(funds, field)
        if bottom is not None and bottom > 0:
            return top / bottom
    return None


def execution_rate(funds: Funds, profile: Profile) -> Decimal | None:
    """预算执行率 as a fraction rounded where the profile rounds rates."""
    rate = funds_rate(funds, profile.execution, "spent")
    return None if rate is None else excel_round(rate, profile.rate_digits)


def arrival_rate(funds: Funds, profile: Profile) -> Decimal | None:
    """资金到位率 = 实际到位资金 / 预算资金."""
    rate = funds_rate(funds, profile.arrival, "received")
    return None if rate is None else excel_round(rate, profile.rate_digits)


def deviation(completion: Decimal | None, execution: Decimal | None) -> Decimal | None:
    """Completion minus execution, in percentage points (seed 003: 95.26% − 81.82% = 13.44)."""
    if completion is None or execution is None:
        return None
    return excel_round((completion - execution) * HUNDRED, 2)


def quantity_rate(
    target: Target, actual_value: Decimal, target_value: Decimal, profile: Profile, cost: bool
) -> tuple[Decimal, Decimal | None]:
    """(capped rate, uncapped ratio) of aligned target and actual values."""
    rules = profile.rows
    dates = (
        target.quantity is not None
        and target.quantity.unit is not None
        and target.quantity.unit.dimension in DATE_DIMENSIONS
    )
    if target.deadline or dates:
        met = {
            Direction.REVERSE: actual_value <= target_value,
            Direction.POSITIVE: actual_value >= target_value,
        }.get(target.direction, actual_value == target_value)
        return (ONE if met else ZERO), None
    direction = target.direction
    if direction == Direction.EQUAL:
        if rules.equal == "proportional":
            direction = Direction.POSITIVE
        elif rules.equal == "full_if_equal":
            return (ONE if actual_value == target_value else ZERO), None
        else:  # deviation: the further from the target, either way, the lower the rate
            if target_value == 0:
                return (ONE if actual_value == 0 else ZERO), None
            ratio = actual_value / target_value
            return _clamp(
                ONE - abs(actual_value - target_value) / abs(target_value), rules.cap
            ), ratio
    if direction == Direction.POSITIVE:
        ratio = ONE if target_value == 0 else actual_value / target_value
        return _clamp(ratio, rules.cap), ratio
    method = rules.cost if cost else rules.reverse
    if method == "actual_over_target":
        ratio = (
            (ONE if actual_value == 0 else ZERO)
            if target_value == 0
            else actual_value / target_value
        )
    elif method == "linear_penalty":
        ratio = (
            ONE
            if actual_value <= target_value or target_value == 0
            else ONE - (actual_value - target_value) / target_value
        )
    else:  # target_over_actual: staying under the cap is full marks
        ratio = ONE if actual_value <= 0 else target_value / actual_value
    return _clamp(ratio, rules.cap), ratio


def _clamp(rate: Decimal, cap: Decimal) -> Decimal:
    return min(max(rate, ZERO), cap)


def band_scores(level: QualLevel, weight: Decimal, profile: Profile) -> tuple[Decimal, Decimal]:
    """The lowest and highest points a qualitative row in `level` may get (e.g. 达成 of 10
    points under mof2020: 8 to 10)."""
    band = profile.band(level)
    return band.lower * weight, band.upper * weight


def funds_points(rate: Decimal, weight: Decimal, rule: FundsRule, profile: Profile) -> Decimal:
    """Points of a 预算执行率 / 资金到位率 row: the rate rounded where the profile rounds
    rates, scored by the rule's method, rounded to the profile's score digits."""
    rate = excel_round(rate, profile.rate_digits)
    return excel_round(
        score_from_rate(rate, weight, rule.method, rule.threshold, rule.full_at),
        profile.score_digits,
    )
