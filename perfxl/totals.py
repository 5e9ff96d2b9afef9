"""Totals of a scored table: 总分, the categories' points, 总体完成率 and 指标量化率.

Part of the engine (perfxl.scoring scores the rows and calls these; it re-exports
them, so `from perfxl.scoring import combine_total` keeps working). Kept apart so each
module stays small: here rows become table figures, there cells become rows.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.profiles import CompletionMethod, Profile
from perfxl.rates import ZERO
from perfxl.results import CategoryResult, Method, RowResult
from perfxl.rounding import excel_round


def summed_rows(rows: tuple[RowResult, ...], profile: Profile) -> tuple[RowResult, ...]:
    """The rows 总分 adds up. Under [total] includes_execution = false the indicators
    alone make 100 points and the 预算执行率 row is scored and shown apart (a Sichuan
    衔接资金 form)."""
    if profile.total.includes_execution:
        return rows
    return tuple(r for r in rows if r.method != Method.EXECUTION)


def quantification_rate(applicable: list[RowResult], profile: Profile) -> Decimal | None:
    """指标量化率: the share of the project's own judged rows with a quantitative target
    (the funds rows and rows that are not the project's indicators do not count)."""
    own = [
        r
        for r in applicable
        if r.quantitative is not None and r.method not in (Method.EXECUTION, Method.ARRIVAL)
    ]
    if not own:
        return None
    quantified = Decimal(sum(1 for r in own if r.quantitative))
    return excel_round(quantified / len(own), profile.rate_digits)


def combine_total(rows: list[tuple[Decimal | None, Decimal | None]], profile: Profile) -> Decimal:
    """总分 from (weight, score) pairs; a score of None marks a not-applicable row.

    When the profile says so, the points of not-applicable rows are shared out over the
    rest: total × possible / (possible − left out).
    """
    raw = possible = skipped = ZERO
    for weight, score in rows:  # one pass, each sum in row order
        points = weight or ZERO
        possible += points
        if score is None:
            skipped += points
        else:
            raw += score
    if profile.rescale_not_applicable and skipped > 0 and possible > skipped:
        raw = raw * possible / (possible - skipped)
    return excel_round(raw, profile.score_digits)


def completion_rate(rows: list[RowResult], profile: Profile) -> Decimal | None:
    """总体完成率: by default the plain mean of the three-level rows' rates (seed 003).

    A row that could not be scored counts as 0 — its finding says why — so that a bad row
    lowers the figure instead of silently vanishing from it.
    """
    if not rows:
        return None
    rates = [(r.rate if r.rate is not None else ZERO, r.indicator.weight or ZERO) for r in rows]
    match profile.completion:
        case CompletionMethod.WEIGHTED:
            weight = sum((w for _, w in rates), ZERO)
            value = sum((rate * w for rate, w in rates), ZERO) / weight if weight > 0 else None
        case CompletionMethod.MEAN:
            value = sum((rate for rate, _ in rates), ZERO) / len(rates)
        case other:  # the profile loader admits only the members above
            raise ValueError(f"unknown completion method {other!r}")
    return None if value is None else excel_round(value, profile.rate_digits)


def categories(rows: tuple[RowResult, ...], profile: Profile) -> tuple[CategoryResult, ...]:
    """Per level-1 totals and 得分率, in the order the table lists them."""
    # running (weight, points) per level-1 name, summed in row order as sum() would
    order: dict[str, list[Decimal]] = {}
    for row in rows:
        if row.method != Method.NOT_APPLICABLE:
            indicator = row.indicator
            name = indicator.level1 or ""
            sums = order.get(name)
            if sums is None:
                sums = order[name] = [ZERO, ZERO]
            sums[0] += indicator.weight or ZERO
            sums[1] += row.score
    result = []
    score_digits, rate_digits = profile.score_digits, profile.rate_digits
    for name, (weight, points) in order.items():
        score = excel_round(points, score_digits)
        rate = excel_round(score / weight, rate_digits) if weight > 0 else None
        result.append(CategoryResult(name, weight, score, rate))
    return tuple(result)
