"""The engine: the one place where rates, scores, totals, grades and deviations are made.

Every door into perfxl — the CLI, the in-cell functions, the ribbon, the nightly batch —
calls these pure functions; none re-derives a number. How a rate becomes points is
read from the profile, so regional variants never show up here as branches on a
region's name. Rows become table figures (总分, categories, 完成率) in perfxl.totals and
rates become points in perfxl.rates; callers may import what they need from here.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache

from perfxl.findings import Finding, finding
from perfxl.memo import RowMemo
from perfxl.model import (
    CellRef,
    Direction,
    Indicator,
    IndicatorTable,
    Qualitative,
    QualLevel,
    Target,
    TextProblem,
)
from perfxl.profiles import EnteredScores, Profile
from perfxl.quantities import falls_short, is_not_applicable, parse_actual, parse_target
from perfxl.rates import (
    ONE,
    ZERO,
    arrival_rate,
    band_scores,
    deviation,
    execution_rate,
    funds_points,
    is_cost_row,
    quantity_rate,
    read_row_target,
    score_from_rate,
)
from perfxl.results import Method, RowResult, TableResult
from perfxl.rounding import excel_round
from perfxl.totals import (
    categories,
    combine_total,
    completion_rate,
    quantification_rate,
    summed_rows,
)
from perfxl.units import align, align_calendar

BARE_READ = "PX022"  # info: how a figure written without an operator was read

# a bracket run stops at the next opening bracket too, so `(((…` costs one pass, not n²
_NAME_NOISE = re.compile(r"[（(][^（(）)]*[）)]|[\s%％]")


# --- one row --------------------------------------------------------------------------


def special_kind(indicator: Indicator, profile: Profile) -> Method | None:
    """EXECUTION or ARRIVAL when the row is the profile's 预算执行率 / 资金到位率 row."""
    name = _bare_name(indicator.name or "")
    if name in profile.execution.row_names:
        return Method.EXECUTION
    if name in profile.arrival.row_names:
        return Method.ARRIVAL
    return None


def _bare_name(name: str) -> str:
    """The name without bracketed notes, spaces and %: asked twice of every row, and the
    same names (预算执行率, 群众满意度 …) recur in every table, so short ones are remembered."""
    if len(name) > 100:  # pragma: no mutate
        return _strip_noise(name)
    return _bare_short(name)


def _strip_noise(name: str) -> str:
    return _NAME_NOISE.sub("", name)


_bare_short = lru_cache(maxsize=4096)(_strip_noise)  # pragma: no mutate


# A 分值 or 得分 from 10^15 on (Excel keeps no fraction there) or not finite (NaN, ∞) is
# no figure anyone meant: summed, two 1e308 made a total that JSON can only print as
# Infinity (issue 9). Such a figure is dropped from the row and never reaches a total.
POINTS_LIMIT = Decimal(10) ** 15


def _usable(number: Decimal | None) -> bool:
    return number is None or (number.is_finite() and abs(number) < POINTS_LIMIT)


def _usable_figures(indicator: Indicator) -> tuple[Indicator, str | None]:
    """The row without an unusable 分值 or 得分, and what was wrong with its 分值.

    A dropped 得分 leaves a rubric row unscored (PX014); the reader names the cell.
    """
    weight, entered = indicator.weight, indicator.entered_score
    if _usable(weight) and _usable(entered):
        return indicator, None
    kept = replace(
        indicator,
        weight=weight if _usable(weight) else None,
        entered_score=entered if _usable(entered) else None,
    )
    if _usable(weight):
        return kept, None
    assert weight is not None
    why = "超出可计算的范围" if weight.is_finite() else "不是有效数字"
    return kept, f"的分值 {weight} {why}"


def score_row(
    indicator: Indicator,
    profile: Profile,
    funds_rates: dict[Method, Decimal | None] | None = None,
    year: int | None = None,
) -> RowResult:
    """Score one indicator row; problems become findings on the row, never exceptions.

    `year` is the table's year: a month written without one (`12月底前`) falls in it.
    """
    return _score_row(indicator, profile, funds_rates, year, special_kind(indicator, profile))


def _score_row(
    indicator: Indicator,
    profile: Profile,
    funds_rates: dict[Method, Decimal | None] | None,
    year: int | None,
    kind: Method | None,
) -> RowResult:
    """score_row with the row's special_kind already known (a table asks it once per row).

    A row scored without findings is remembered (see perfxl.memo): the same indicator row
    recurs across a county's tables (群众满意度 ≥90% 95% 10分), and scoring it again gave
    the same figures."""
    rate = None if kind is None else (funds_rates or {}).get(kind)
    key = (
        id(profile),  # with the identity check below: a profile freed and another at its id
        kind,
        year,
        indicator.name,
        indicator.level2,
        indicator.target_text,
        indicator.actual_text,
        # figures by their spelling (str(None) is no Decimal's): 10 and 10.0 are equal
        # Decimals that print apart
        str(rate),
        str(indicator.weight),
        str(indicator.entered_score),
    )
    known = _ROWS.get(key)
    if known is not None and known[0] is profile:
        return RowResult(indicator, **known[1])
    result = _score_row_afresh(indicator, profile, funds_rates, year, kind)
    if not result.findings and result.indicator is indicator:
        _ROWS.put(key, profile, result)
    return result


_ROWS = RowMemo()  # cleared by tests/engine/conftest.py under mutmut


def _score_row_afresh(
    indicator: Indicator,
    profile: Profile,
    funds_rates: dict[Method, Decimal | None] | None,
    year: int | None,
    kind: Method | None,
) -> RowResult:
    indicator, unusable = _usable_figures(indicator)
    if _is_not_applicable_row(indicator):
        return RowResult(indicator, Method.NOT_APPLICABLE, ZERO)
    weight = indicator.weight
    if weight is None:
        detail = f"“{indicator.name}”{unusable or '没有可用的分值'}"
        found = finding("PX013", detail, _cell(indicator, "weight"))
        return RowResult(indicator, Method.UNSCORED, ZERO, findings=(found,))
    if kind is not None:
        return _score_funds_row(indicator, kind, profile, (funds_rates or {}).get(kind))
    if _blank(indicator.target_text) and _blank(indicator.actual_text):
        return _score_manual(indicator, profile)
    if _is_rubric_row(indicator):
        return _score_manual(indicator, profile)
    return _score_indicator(indicator, profile, year)


def _is_rubric_row(indicator: Indicator) -> bool:
    """A 项目决策/项目管理 rubric row: no real target, a described actual, the evaluator's
    得分. A dash target (—, -, 无) with an actual that does not say so too is one (the
    evaluator scores it); an empty target with a worded actual is one when a 得分 was
    entered. An empty target with a figure (100%) still misses its target (PX010)."""
    target, actual = indicator.target_text, indicator.actual_text
    if not _blank(target):
        return is_not_applicable(target)  # the actual is described: not left out above
    if indicator.entered_score is None:
        return False
    return isinstance(parse_actual(actual), Qualitative)


def _score_manual(indicator: Indicator, profile: Profile) -> RowResult:
    weight = indicator.weight or ZERO
    entered = indicator.entered_score
    if entered is None:
        if indicator.score_formula:
            detail = f"“{indicator.name}”没有指标值，得分为公式且没有计算结果，请填写数值"
        else:
            detail = f"“{indicator.name}”没有指标值，需由评价人填写得分"
        found = finding("PX014", detail, _cell(indicator, "score"))
        return RowResult(indicator, Method.UNSCORED, ZERO, findings=(found,))
    rate = entered / weight if weight > 0 else None
    return RowResult(
        indicator,
        Method.MANUAL,
        entered,
        rate=None if rate is None else excel_round(rate, profile.rate_digits),
    )


def _score_funds_row(
    indicator: Indicator, kind: Method, profile: Profile, rate: Decimal | None
) -> RowResult:
    rule = profile.execution if kind == Method.EXECUTION else profile.arrival
    findings: list[Finding] = []
    if rate is None:  # no funds block: fall back on the row's own target and actual
        computed = _score_indicator(indicator, profile)
        if computed.rate is None:
            detail = f"“{indicator.name}”既无资金数据也无可用的实际完成值"
            return RowResult(
                indicator,
                Method.UNSCORED,
                ZERO,
                findings=(*computed.findings, finding("PX016", detail, _cell(indicator, "actual"))),
            )
        # the row's own ratio keeps an actual above 100% visible to the rules
        rate = computed.ratio if computed.ratio is not None else computed.rate
        # the funds rule scores the ratio whatever the target's reading: no PX022 here
        findings = [f for f in computed.findings if f.code != BARE_READ]
    rate = excel_round(rate, profile.rate_digits)
    return RowResult(
        indicator,
        kind,
        funds_points(rate, indicator.weight or ZERO, rule, profile),
        rate=min(max(rate, ZERO), profile.rows.cap),
        ratio=rate,
        findings=tuple(findings),
    )


def _score_indicator(indicator: Indicator, profile: Profile, year: int | None = None) -> RowResult:
    parsed = parse_target(indicator.target_text)
    if parsed is None or isinstance(parsed, TextProblem):
        missing = f"“{indicator.name}”未填写年度指标值"
        return _unscored(indicator, "PX010", _problem(parsed, missing), "target")
    target, reading = read_row_target(parsed, indicator, profile)
    if reading is None:
        return _score_read(indicator, target, profile, year)
    result = _score_read(indicator, target, profile, year)
    found = finding(BARE_READ, reading, _cell(indicator, "target"))
    return replace(result, findings=(found, *result.findings))


def _score_read(
    indicator: Indicator, target: Target, profile: Profile, year: int | None
) -> RowResult:
    """Score a row whose target has been read (a bare figure's direction resolved)."""
    quantitative = target.direction != Direction.QUALITATIVE
    if is_not_applicable(indicator.actual_text):
        detail = (
            f"实际完成值填写为“{indicator.actual_text}”，但指标值为“{target.text}”：请填写实际数值；"
            "如该指标确不适用，请在指标值中注明“无此类指标”"
        )
        return _unscored(indicator, "PX011", detail, "actual", target)
    actual = parse_actual(indicator.actual_text, target)
    if actual is None or isinstance(actual, TextProblem):
        missing = f"“{indicator.name}”未填写实际完成值"
        return _unscored(indicator, "PX011", _problem(actual, missing), "actual", target)
    if isinstance(actual, Qualitative):
        return _score_qualitative(indicator, target, actual, profile, quantitative)
    # only a qualitative target has no quantity, and against one parse_actual always
    # gives a Qualitative (level None for a figure it cannot judge), handled above
    assert target.quantity is not None
    aligned = align_calendar(target.quantity, actual, year)
    if isinstance(aligned, TextProblem):  # a month without a year and no table year
        return _needs_evaluator(indicator, target, profile, quantitative, aligned.message, "PX023")
    if aligned is None:
        aligned = align(target.quantity, actual)
    if isinstance(aligned, TextProblem):
        return _unscored(indicator, "PX012", aligned.message, "actual", target)
    target_value, actual_value = aligned
    cost = is_cost_row(indicator.level2, profile)
    raw, ratio = quantity_rate(target, actual_value, target_value, profile, cost)
    rate = excel_round(raw, profile.rate_digits)
    if ratio is not None:  # within the cap the ratio is the very figure just rounded
        ratio = rate if ratio is raw else excel_round(ratio, profile.rate_digits)
    rules = profile.rows
    points = score_from_rate(rate, indicator.weight or ZERO, rules.score, rules.threshold, ONE)
    return _entered_kept(
        RowResult(
            indicator,
            Method.COMPUTED,
            excel_round(points, profile.score_digits),
            rate=rate,
            ratio=ratio,
            direction=target.direction,
            quantitative=quantitative,
        ),
        profile,
    )


def _entered_kept(result: RowResult, profile: Profile) -> RowResult:
    """Under [rows] entered_scores = "keep" the evaluator's 得分 (0…分值) counts; the
    computed score stays in computed_score, so PX020 (perfxl.rules) still shows the difference."""
    entered, weight = result.indicator.entered_score, result.indicator.weight
    match profile.rows.entered_scores:
        case EnteredScores.RECOMPUTE:
            return result
        case EnteredScores.KEEP:
            pass
        case other:  # the profile loader admits only the members above
            raise ValueError(f"unknown entered_scores {other!r}")
    if entered is None or weight is None:
        return result
    if not ZERO <= entered <= weight or entered == result.score:
        return result
    return replace(result, score=entered, computed_score=result.score)


def _score_qualitative(
    indicator: Indicator, target: Target, actual: Qualitative, profile: Profile, quantitative: bool
) -> RowResult:
    if actual.level is None:
        return _needs_evaluator(
            indicator,
            target,
            profile,
            quantitative,
            f"实际完成值“{actual.text}”无法判断是否达成指标值“{target.text}”",
        )
    band = profile.band(actual.level)
    weight = indicator.weight or ZERO
    rate = band.upper
    entered = indicator.entered_score
    low, high = band_scores(actual.level, weight, profile)
    if entered is not None and weight > 0 and low <= entered <= high:
        rate = entered / weight  # the evaluator may mark down inside the band
    rate = excel_round(rate, profile.rate_digits)
    findings: tuple[Finding, ...] = ()
    if quantitative:  # 已完成 against ≥95%: scored by band, but the figure is missing
        detail = (
            f"指标值“{target.text}”为定量指标，实际完成值“{actual.text}”未给出数值，"
            f"按“{actual.level}”档计分；请填写实际数值"
        )
        findings = (finding("PX018", detail, _cell(indicator, "actual")),)
    # falls_short is asked only of a 部分达成 actual: nothing else uses its answer
    lesser = (
        falls_short(actual.text, None if quantitative else target.text)
        if actual.level == QualLevel.PARTIAL
        else None
    )
    if lesser is not None:
        detail = (
            f"实际完成值“{actual.text}”（{lesser}）低于指标值“{target.text}”，"
            f"按“{actual.level}”档计分，而非满分"
        )
        findings += (finding("PX024", detail, _cell(indicator, "actual")),)
    return _entered_kept(
        RowResult(
            indicator,
            Method.QUALITATIVE,
            excel_round(rate * weight, profile.score_digits),
            rate=rate,
            direction=target.direction,
            quantitative=quantitative,
            findings=findings,
            level=actual.level,
        ),
        profile,
    )


def _needs_evaluator(
    indicator: Indicator,
    target: Target,
    profile: Profile,
    quantitative: bool,
    detail: str,
    code: str = "PX015",
) -> RowResult:
    """Take the evaluator's entered score when the text itself cannot be judged."""
    entered, weight = indicator.entered_score, indicator.weight or ZERO
    if entered is None:  # nothing to score the row with: an error, not a warning
        return _unscored(indicator, "PX017", f"{detail}，且未填写评价人得分", "actual", target)
    found = finding(code, detail, _cell(indicator, "actual"))
    rate = excel_round(entered / weight, profile.rate_digits) if weight > 0 else None
    return RowResult(
        indicator,
        Method.MANUAL,
        entered,
        rate=rate,
        direction=target.direction,
        quantitative=quantitative,
        findings=(found,),
    )


def _unscored(
    indicator: Indicator, code: str, detail: str, cell_key: str, target: Target | None = None
) -> RowResult:
    """A row that cannot be scored: 0 points and a finding on the offending cell."""
    found = finding(code, detail, _cell(indicator, cell_key))
    if target is None:
        return RowResult(indicator, Method.UNSCORED, ZERO, findings=(found,))
    quantitative = target.direction != Direction.QUALITATIVE
    return RowResult(
        indicator,
        Method.UNSCORED,
        ZERO,
        direction=target.direction,
        quantitative=quantitative,
        findings=(found,),
    )


def _problem(value: object, missing: str) -> str:
    return value.message if isinstance(value, TextProblem) else missing


def _is_not_applicable_row(indicator: Indicator) -> bool:
    """无此类指标 in the name leaves a row out; in the target only when the actual says
    so too or is blank (a dash target with a described actual is a rubric row the
    evaluator scores); in the actual alone only when the target is blank: `≥95%` against
    `无` is a missing figure, not a row that does not apply."""
    if not _blank(indicator.name) and is_not_applicable(indicator.name):
        return True
    target, actual = indicator.target_text, indicator.actual_text
    target_says_so = not _blank(target) and is_not_applicable(target)
    if _blank(actual):
        return target_says_so
    return is_not_applicable(actual) and (target_says_so or _blank(target))


def _blank(text: str | None) -> bool:
    return text is None or not str(text).strip()


def _cell(indicator: Indicator, key: str) -> CellRef | None:
    return indicator.cells.get(key) or indicator.cell


# --- a whole table --------------------------------------------------------------------


def funds_indicator(table: IndicatorTable, profile: Profile) -> Indicator | None:
    """The national self-evaluation form scores 预算执行率 in its funds block, not as a row."""
    kinds = [special_kind(ind, profile) for ind in table.indicators]
    return _funds_indicator(table, profile, Method.EXECUTION in kinds)


def _funds_indicator(
    table: IndicatorTable, profile: Profile, has_execution_row: bool
) -> Indicator | None:
    funds = table.funds
    if funds.weight is None or has_execution_row:
        return None
    name = profile.execution.row_names[0] if profile.execution.row_names else "预算执行率"
    cells = {k: v for k, v in funds.cells.items() if k in ("weight", "score", "spent")}
    if "spent" in cells:
        cells["actual"] = cells.pop("spent")
    return Indicator(name, name, name, None, None, funds.weight, funds.reported_score, cells=cells)


def score_table(table: IndicatorTable, profile: Profile) -> TableResult:
    """Score a whole project table: rows, categories, total, grade, rates and deviation."""
    funds_rates = _funds_rates(table, profile)
    rows = _score_rows(table, profile, funds_rates)
    total = _total(summed_rows(rows, profile), profile)
    execution = _execution_rate(rows, funds_rates)
    applicable = [r for r in rows if r.method != Method.NOT_APPLICABLE]
    completion = completion_rate(applicable, profile)
    return TableResult(
        table=table,
        profile=profile.name,
        rows=rows,
        categories=categories(rows, profile),
        total=total,
        grade=profile.grade(total),
        execution_rate=execution,
        arrival_rate=funds_rates[Method.ARRIVAL],
        completion_rate=completion,
        deviation=deviation(completion, execution),
        quantification_rate=quantification_rate(applicable, profile),
        findings=_funds_missing(table, execution),
    )


def _funds_rates(table: IndicatorTable, profile: Profile) -> dict[Method, Decimal | None]:
    """预算执行率 and 资金到位率 from the funds block (None where it cannot give them)."""
    return {
        Method.EXECUTION: execution_rate(table.funds, profile),
        Method.ARRIVAL: arrival_rate(table.funds, profile),
    }


def _score_rows(
    table: IndicatorTable, profile: Profile, funds_rates: dict[Method, Decimal | None]
) -> tuple[RowResult, ...]:
    """Every row scored, the funds block's 预算执行率 first when it is scored as a row."""
    indicators = table.indicators
    kinds = [special_kind(ind, profile) for ind in indicators]
    year = table.year
    scored = [
        _score_row(ind, profile, funds_rates, year, kind)
        for ind, kind in zip(indicators, kinds, strict=True)
    ]
    extra = _funds_indicator(table, profile, Method.EXECUTION in kinds)
    if extra is not None:
        scored.insert(0, score_row(extra, profile, funds_rates, year))
    return tuple(scored)


def _total(summed: tuple[RowResult, ...], profile: Profile) -> Decimal:
    pairs = [
        (r.indicator.weight, None if r.method == Method.NOT_APPLICABLE else r.score) for r in summed
    ]
    return combine_total(pairs, profile)


def _execution_rate(
    rows: tuple[RowResult, ...], funds_rates: dict[Method, Decimal | None]
) -> Decimal | None:
    """The funds block's 预算执行率, else the 预算执行率 row's own ratio."""
    execution = funds_rates[Method.EXECUTION]
    if execution is not None:
        return execution
    return next(
        (r.ratio for r in rows if r.method == Method.EXECUTION and r.ratio is not None), None
    )


def _funds_missing(table: IndicatorTable, execution: Decimal | None) -> tuple[Finding, ...]:
    if execution is not None:
        return ()
    cell = table.funds.cells.get("spent")
    return (finding("PX016", "请填写全年预算数与全年执行数", cell, where=table.sheet),)
