"""A monitoring table judged: each row's reading, progress and light, the project's light.

The texts are read by the year-end engine's own parsers (perfxl.quantities,
perfxl.rates.read_row_target, perfxl.units) so a target means the same in May as in
the 自评表; every figure and light comes from perfxl.monitoring.lights. What cannot
be read is a warning on the cell (PX030: mid-year tables often describe progress in
words; the row is then judged by its prediction and 完成目标可能性), missing funds PX016.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.findings import Finding, finding
from perfxl.model import (
    CellRef,
    Direction,
    Indicator,
    Qualitative,
    QualLevel,
    Quantity,
    Target,
    TextProblem,
)
from perfxl.monitoring import lights
from perfxl.monitoring.lights import Light, RowKind
from perfxl.monitoring.model import (
    MonitoringResult,
    MonitoringRow,
    MonitoringRowResult,
    MonitoringTable,
)
from perfxl.profiles import Profile
from perfxl.quantities import is_not_applicable, parse_actual, parse_target
from perfxl.rates import read_row_target
from perfxl.rounding import excel_round
from perfxl.text import normalize
from perfxl.units import DATE, MONTH_OF_YEAR, align, align_calendar

UNREAD = "PX030"  # warning: a row's progress cannot be computed
_JUDGED = "按全年预计完成值和完成目标可能性判断"

# rows whose figure is a level reached, not an amount piling up over the year
LEVEL_WORDS = ("满意", "率", "比例", "占比", "达标", "合格", "覆盖", "知晓", "质量")


def score_monitoring(table: MonitoringTable, profile: Profile) -> MonitoringResult:
    """Judge one monitoring table under `profile`'s [monitoring] thresholds."""
    digits = profile.rate_digits
    month = table.month if table.month is not None and 1 <= table.month <= 12 else None
    progress = None if month is None else lights.time_progress(month)
    funds = table.funds
    rate = lights.execution_rate(funds.spent, funds.budget, funds.initial_budget, digits)
    if rate is None and funds.spent is None:
        rate = None if funds.reported_rate is None else excel_round(funds.reported_rate, digits)
    found: list[Finding] = []
    ratio = execution = None
    if rate is None:
        at = funds.cells.get("spent") or table.cells.get("project")
        found.append(finding("PX016", "监控表缺少预算数或1-N月执行数", at))
    elif progress is not None:
        ratio = excel_round(lights.execution_ratio(rate, progress), digits)
        execution = lights.execution_light(rate, progress, profile.monitoring)
    rows = tuple(_judge_row(row, month, table.year, profile) for row in table.rows)
    return MonitoringResult(
        table=table,
        profile=profile.name,
        month=month,
        time_progress=None if progress is None else excel_round(progress, digits),
        execution_rate=rate,
        execution_ratio=ratio,
        execution_light=execution,
        light=lights.project_light(execution, (r.light for r in rows)),
        rows=rows,
        findings=tuple(found),
    )


def row_kind(target: Target, row: MonitoringRow) -> RowKind:
    """How a read target is judged mid-year (see perfxl.monitoring.lights.RowKind)."""
    quantity = target.quantity
    dimension = quantity.unit.dimension if quantity is not None and quantity.unit else None
    if target.direction == Direction.QUALITATIVE or quantity is None:
        return RowKind.QUALITATIVE
    if target.deadline or dimension in (DATE, MONTH_OF_YEAR):
        return RowKind.DEADLINE
    if target.direction == Direction.REVERSE:
        return RowKind.CEILING
    words = normalize(f"{row.level2}{row.name}")
    if dimension == "percent" or any(w in words for w in LEVEL_WORDS):
        return RowKind.LEVEL
    return RowKind.PRORATED


def _indicator(row: MonitoringRow) -> Indicator:
    """The row as the year-end reader's Indicator, for read_row_target."""
    return Indicator(row.level1, row.level2, row.name, row.target_text, row.actual_text, None, None)


def _judge_row(
    row: MonitoringRow, month: int | None, year: int | None, profile: Profile
) -> MonitoringRowResult:
    parsed = parse_target(row.target_text)
    if parsed is None or isinstance(parsed, TextProblem):
        if is_not_applicable(row.target_text):
            return MonitoringRowResult(row, None)
        detail = (
            parsed.message if isinstance(parsed, TextProblem) else f"“{row.name}”未填写年度指标值"
        )
        light = lights.likelihood_light(row.likelihood)
        found = _at(row, UNREAD, f"{detail}，{_JUDGED}", "target")
        return MonitoringRowResult(row, None, light=light, findings=(found,))
    target, _ = read_row_target(parsed, _indicator(row), profile)
    kind = row_kind(target, row)
    settings = profile.monitoring
    short = _predicted_short(row, target, kind, year)
    found: list[Finding] = []
    progress = None
    own: dict = {}
    actual = parse_actual(row.actual_text, target)
    if kind == RowKind.QUALITATIVE:
        own["level"] = actual.level if isinstance(actual, Qualitative) else None
    elif isinstance(actual, Quantity) and target.quantity is not None:
        aligned = _aligned(target.quantity, actual, year)
        if isinstance(aligned, TextProblem):
            if kind != RowKind.DEADLINE:
                found.append(_at(row, UNREAD, f"{aligned.message}，{_JUDGED}", "actual"))
        else:
            t_value, a_value = aligned
            if kind == RowKind.DEADLINE:
                own["met"] = a_value <= t_value
            elif kind == RowKind.CEILING:
                own["within"] = a_value < t_value if target.strict else a_value <= t_value
            if month is not None or kind != RowKind.PRORATED:  # month only pro-rates
                progress = lights.indicator_progress(a_value, t_value, kind, month or 12)
    elif isinstance(actual, TextProblem) and kind != RowKind.DEADLINE:
        found.append(_at(row, UNREAD, f"{actual.message}，{_JUDGED}", "actual"))
    elif isinstance(actual, Qualitative) and kind != RowKind.DEADLINE:  # words, not a figure
        detail = f"实际完成值“{actual.text}”不是数值，无法与指标值“{target.text}”比较"
        found.append(_at(row, UNREAD, f"{detail}，{_JUDGED}", "actual"))
    if kind == RowKind.DEADLINE and "met" not in own:
        own["met"] = _deadline_passed(target, month, year)
    light = lights.indicator_light(
        kind, settings, progress, predicted_short=short, likelihood=row.likelihood, **own
    )
    shown = None if progress is None else excel_round(progress, profile.rate_digits)
    return MonitoringRowResult(row, kind, target.direction, shown, light, short, tuple(found))


def _aligned(
    target: Quantity, actual: Quantity, year: int | None
) -> tuple[Decimal, Decimal] | TextProblem:
    calendar = align_calendar(target, actual, year)
    return align(target, actual) if calendar is None else calendar


def _deadline_passed(target: Target, month: int | None, year: int | None) -> bool | None:
    """False when the deadline lies before the monitoring month (missed: nothing done is
    reported), None while it is not yet due or cannot be placed."""
    quantity = target.quantity
    if month is None or quantity is None or quantity.unit is None:
        return None
    due = quantity.value
    if quantity.unit.dimension == DATE:
        if year is None:
            return None
        now = Decimal(year * 12 + month)
    else:
        now = Decimal(month)
    return False if due < now else None


def _predicted_short(row: MonitoringRow, target: Target, kind: RowKind, year: int | None) -> bool:
    """全年预计完成值 given and missing the target (a qualitative one: not 达成)."""
    if not (row.predicted_text or "").strip():
        return False
    predicted = parse_actual(row.predicted_text, target)
    if isinstance(predicted, Qualitative):
        return predicted.level not in (None, QualLevel.ACHIEVED)
    if not isinstance(predicted, Quantity) or target.quantity is None:
        return False
    aligned = _aligned(target.quantity, predicted, year)
    if isinstance(aligned, TextProblem):
        return False
    t_value, p_value = aligned
    ceiling = kind in (RowKind.CEILING, RowKind.DEADLINE)
    return lights.predicted_short(p_value, t_value, ceiling)


def _at(row: MonitoringRow, code: str, detail: str, key: str) -> Finding:
    cell: CellRef | None = row.cells.get(key) or row.cell
    return finding(code, detail, cell)


__all__ = ["Light", "row_kind", "score_monitoring"]
