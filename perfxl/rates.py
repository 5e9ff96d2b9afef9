"""Single numbers: a rate from a target and an actual, points from a rate, funds rates.

Part of the engine (perfxl.scoring builds rows and tables from these); kept apart so
each piece stays small. Every choice between methods is read from the profile.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal

from perfxl.model import Direction, Funds, Indicator, QualLevel, Quantity, Target
from perfxl.profiles import (
    DeadlineReading,
    EqualMethod,
    FundsRule,
    PointsRounding,
    Profile,
    Reading,
    ReverseMethod,
    ScoreMethod,
)
from perfxl.quantities import parse_actual
from perfxl.rounding import excel_round
from perfxl.text import normalize
from perfxl.units import DATE, MONTH_OF_YEAR, MONTH_OF_YEAR_UNIT, describe, is_month_number

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
DATE_DIMENSIONS = frozenset({"date", "month_of_year"})


def score_from_rate(
    rate: Decimal, weight: Decimal, method: ScoreMethod, threshold: Decimal, full_at: Decimal
) -> Decimal:
    """Points for a completion rate under one of the profile's scoring methods (unrounded)."""
    rate = max(rate, ZERO)
    match method:
        case ScoreMethod.THRESHOLD:
            if rate >= ONE:
                return weight
            if rate < threshold:
                return ZERO
            return (rate - threshold) / (ONE - threshold) * weight
        case ScoreMethod.FULL_ABOVE:
            return weight if rate >= full_at else min(rate, ONE) * weight
        case ScoreMethod.PROPORTIONAL:
            return min(rate, ONE) * weight
    raise ValueError(f"unknown scoring method {method!r}")


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
    """预算执行率 as a fraction rounded where the profile rounds rates; the typed 执行率
    when the amounts could not be read and give none (Funds.rate_fallback, PX008)."""
    rate = funds_rate(funds, profile.execution, "spent")
    if rate is None and funds.rate_fallback:
        rate = funds.reported_rate
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
        # months are whole: `<2023年12月` / 早于 is met by November, not December
        met = {
            Direction.REVERSE: actual_value < target_value
            if target.strict
            else actual_value <= target_value,
            Direction.POSITIVE: actual_value > target_value
            if target.strict
            else actual_value >= target_value,
        }.get(target.direction, actual_value == target_value)
        return (ONE if met else profile.deadlines.late_rate), None
    direction = target.direction
    if direction == Direction.EQUAL:
        match rules.equal:
            case EqualMethod.PROPORTIONAL:  # read like ≥ …
                if target_value == 0:  # … but =0起 means none may happen: ≥0 would pass 1起
                    return (ONE if actual_value == 0 else ZERO), None
                direction = Direction.POSITIVE
            case EqualMethod.FULL_IF_EQUAL:
                return (ONE if actual_value == target_value else ZERO), None
            case EqualMethod.DEVIATION:  # the further from the target, either way, the lower
                if target_value == 0:
                    return (ONE if actual_value == 0 else ZERO), None
                deviation = abs(actual_value - target_value) / abs(target_value)
                return _clamp(ONE - deviation, rules.cap), actual_value / target_value
            case _:
                raise ValueError(f"unknown equal method {rules.equal!r}")
    if direction == Direction.POSITIVE:
        ratio = ONE if target_value == 0 else actual_value / target_value
        return _clamp(ratio, rules.cap), ratio
    ratio = _reverse_ratio(rules.cost if cost else rules.reverse, actual_value, target_value)
    return _clamp(ratio, rules.cap), ratio


def _reverse_ratio(method: ReverseMethod, actual: Decimal, target: Decimal) -> Decimal:
    """The uncapped ratio of a ≤ row under the profile's reverse (or cost) method."""
    match method:
        case ReverseMethod.TARGET_OVER_ACTUAL:  # staying under the cap is full marks
            return ONE if actual <= 0 else target / actual
        case ReverseMethod.ACTUAL_OVER_TARGET:  # budget use: spent / budget
            if target == 0:
                return ONE if actual == 0 else ZERO
            return actual / target
        case ReverseMethod.LINEAR_PENALTY:  # 0 at twice the cap
            if actual <= target:
                return ONE
            if target == 0:  # any excess over a cap of 0 is the whole cap over: 0
                return ZERO
            return ONE - (actual - target) / target
    raise ValueError(f"unknown reverse method {method!r}")


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
    points = score_from_rate(rate, weight, rule.method, rule.threshold, rule.full_at)
    match rule.points_rounding:
        case PointsRounding.TRUNCATE:  # whole points, cut down: 10 × 99.10% → 9
            return points.to_integral_value(ROUND_FLOOR)
        case PointsRounding.ROUND:
            return excel_round(points, profile.score_digits)
    raise ValueError(f"unknown points rounding {rule.points_rounding!r}")


# --- how a target written without an operator is read ---------------------------------


def _reading(setting: Reading) -> tuple[Direction, str]:
    """The direction a bare figure is scored by, and its Chinese name."""
    match setting:
        case Reading.AT_LEAST:
            return Direction.POSITIVE, "“不低于”（≥）"
        case Reading.AT_MOST:
            return Direction.REVERSE, "“不高于”（≤）"
        case Reading.EQUAL:
            return Direction.EQUAL, "“等于”（=）"
    raise ValueError(f"unknown bare reading {setting!r}")


def _level2_in(level2: str, names: tuple[str, ...]) -> bool:
    """产出时效 and 产出时效指标 are the same level-2 name."""
    spelled = normalize(level2 or "").removesuffix("指标")
    return any(spelled == normalize(n).removesuffix("指标") for n in names)


def is_cost_row(level2: str, profile: Profile) -> bool:
    return (level2 or "").strip() in profile.rows.cost_level2


DURATIONS = frozenset({"day", "workday", "hour", "month"})


def read_target(
    target: Target, name: str, level2: str, profile: Profile, months: bool = True
) -> tuple[Target, str | None]:
    """The target to score and, for a bare figure, how the profile read it (Chinese).

    A bare figure (`90%`, `12次`, a number typed in the cell) takes the profile's
    reading: [rows] bare (at least by default), bare_cost in cost rows, at most where
    the name holds a word of bare_at_most_names (投诉率) and none of bare_at_least_names
    (整改). A bare date or month of year (`2023年12月`, `12月份`, and `12月` on a time
    row unless `months` is False because the actual is a duration such as `12个月`) is a
    deadline unless [deadlines] bare says "equal"; a bare duration on a time row (`30天`)
    is a time limit read by [deadlines] bare_duration (at most by default).
    """
    quantity = target.quantity
    if not target.bare or quantity is None:
        return target, None
    dimension = quantity.unit.dimension if quantity.unit else None
    time_row = _level2_in(level2, profile.deadlines.time_level2)
    if dimension in (DATE, MONTH_OF_YEAR) or (months and time_row and is_month_number(quantity)):
        if dimension not in (DATE, MONTH_OF_YEAR):  # `12月` on a time row is December
            quantity = Quantity(quantity.value, MONTH_OF_YEAR_UNIT)
        when = describe(quantity)
        match profile.deadlines.bare:
            case DeadlineReading.DEADLINE:
                read = replace(
                    target, direction=Direction.REVERSE, quantity=quantity, deadline=True
                )
                return (
                    read,
                    f"指标值“{target.text}”未写“前”“底”等时限词，按完成时限计分：不晚于{when}完成即达成",
                )
            case DeadlineReading.EQUAL:
                read = replace(target, direction=Direction.EQUAL, quantity=quantity)
                return read, f"指标值“{target.text}”未写时限词，按“等于”计分：须在{when}完成"
        raise ValueError(f"unknown deadline reading {profile.deadlines.bare!r}")
    words = normalize(name or "") + normalize(target.text)
    bad = next((w for w in profile.rows.bare_at_most_names if w in words), None)
    if is_cost_row(level2, profile):
        setting, why = profile.rows.bare_cost, "（成本指标）"
    elif time_row and dimension in DURATIONS:
        setting, why = profile.deadlines.bare_duration, "（时效指标中的时长）"
    elif bad and not any(w in words for w in profile.rows.bare_at_least_names):
        setting, why = Reading.AT_MOST, f"（指标名称含“{bad}”）"
    else:
        setting, why = profile.rows.bare, ""
    direction, words_read = _reading(setting)
    read = replace(target, direction=direction)
    return read, f"指标值“{target.text}”未写比较符号，按{words_read}计分{why}"


def read_row_target(
    parsed: Target, indicator: Indicator, profile: Profile
) -> tuple[Target, str | None]:
    """read_target for a row; a bare `12月` read as December whose actual is a duration
    (`12个月`, `1年`) meant 12 months after all and is read again as a duration."""
    target, reading = read_target(parsed, indicator.name, indicator.level2, profile)
    if target.quantity is None or parsed.quantity is None:
        return target, reading
    if target.quantity.unit == parsed.quantity.unit:
        return target, reading  # not a month turned into a month of year
    actual = parse_actual(indicator.actual_text, target)
    unit = actual.unit if isinstance(actual, Quantity) else None
    if unit is not None and unit.dimension == "month":
        return read_target(parsed, indicator.name, indicator.level2, profile, months=False)
    return target, reading
