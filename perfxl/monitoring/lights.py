"""Mid-year monitoring (双监控) arithmetic: 序时进度, 执行率, progress and warning lights.

The one place monitoring figures are computed (the house's "one engine" rule): the
reader's tables (perfxl.monitoring.engine), the templates' in-cell functions and the
summary all call these pure functions, Decimal in and out, so a light is the same
wherever it is shown. Every threshold is a profile setting ([monitoring],
perfxl.profiles.settings.MonitoringSettings): no national rule fixes them.

Lights are judged on unrounded progress (the execution rate is first rounded where
the profile rounds rates, as the year-end engine does); figures are rounded half up
only where shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Context, Decimal
from enum import StrEnum

from perfxl.model import QualLevel
from perfxl.profiles.settings import MonitoringSettings
from perfxl.rounding import excel_round
from perfxl.text import normalize

ZERO = Decimal(0)
TWELVE = Decimal(12)
# A ratio is judged to 20 significant digits: N/12 is a repeating decimal, so 0.1 ÷ 2/12
# divides by 0.16666…67 and gives 0.59999…9, not the 0.6 it is (黄, not 红).
_SETTLE = Context(prec=20)


class Light(StrEnum):
    """A warning light, as the Chinese word users read."""

    RED = "红"
    YELLOW = "黄"
    GREEN = "绿"
    BLUE = "蓝"  # progress far ahead: the target was probably set too low


# worst first: 蓝 is a notice (target too low?), so it ranks below 绿
ORDER: tuple[Light, ...] = (Light.RED, Light.YELLOW, Light.BLUE, Light.GREEN)


class RowKind(StrEnum):
    """How an indicator row's progress is judged mid-year."""

    PRORATED = "prorated"  # ≥ count or amount: actual to date vs target × N/12
    LEVEL = "level"  # rate, percentage, satisfaction: actual to date vs the target itself
    CEILING = "ceiling"  # ≤ (reverse or cost ceiling): within it 绿, beyond it 红
    DEADLINE = "deadline"  # a date: met, missed, or not yet due (judged by the prediction)
    QUALITATIVE = "qualitative"  # 达成 / 部分达成 / 未达成


def worst(lights: Iterable[Light | None]) -> Light | None:
    """The worst of the lights given (None ignored); None when there is none."""
    found = [light for light in lights if light is not None]
    return min(found, key=ORDER.index) if found else None


def time_progress(month: int) -> Decimal:
    """序时进度 = N / 12, unrounded (month 6 → 0.5)."""
    if not 1 <= month <= 12:
        raise ValueError(f"monitoring month {month} is not 1..12")
    return Decimal(month) / TWELVE


def execution_rate(
    spent: Decimal | None,
    budget: Decimal | None,
    initial_budget: Decimal | None,
    digits: int = 4,
) -> Decimal | None:
    """执行率 = 1-N月执行数 / 全年预算数 (年初预算数 when 全年 is blank or 0), rounded
    half up to `digits` (the profile's rate digits); None without a usable budget."""
    if spent is None:
        return None
    for bottom in (budget, initial_budget):
        if bottom is not None and bottom > 0:
            return excel_round(spent / bottom, digits)
    return None


def execution_ratio(rate: Decimal, progress: Decimal) -> Decimal:
    """v = 执行率 / 序时进度 (unrounded)."""
    return rate / progress


def execution_light(
    execution_rate: Decimal, time_progress: Decimal, settings: MonitoringSettings
) -> Light:
    """v < execution_red 红, < execution_yellow 黄, else 绿 (defaults 0.6 and 0.8)."""
    v = _SETTLE.plus(execution_ratio(execution_rate, time_progress))
    if v < settings.execution_red:
        return Light.RED
    if v < settings.execution_yellow:
        return Light.YELLOW
    return Light.GREEN


def indicator_progress(
    actual: Decimal, target: Decimal, kind: RowKind, month: int
) -> Decimal | None:
    """Progress of a row as a fraction (unrounded); None where no ratio means anything.

    PRORATED: actual / (target × N/12); LEVEL and CEILING: actual / target; a target
    of 0, a deadline and a qualitative row have none.
    """
    match kind:
        case RowKind.PRORATED:
            expected = target * time_progress(month)
        case RowKind.LEVEL | RowKind.CEILING:
            expected = target
        case _:
            return None
    return None if expected == 0 else actual / expected


def _band(progress: Decimal, settings: MonitoringSettings) -> Light:
    progress = _SETTLE.plus(progress)
    if progress < settings.indicator_red:
        return Light.RED
    if progress < settings.indicator_yellow:
        return Light.YELLOW
    if progress >= settings.indicator_blue:
        return Light.BLUE
    return Light.GREEN


def likelihood_light(answer: str | None) -> Light | None:
    """完成目标可能性: 确定能 绿, 有可能 黄, 完全不可能 红; None when blank or unknown."""
    spelled = normalize(answer or "").replace(" ", "")
    if not spelled:
        return None
    if "不可能" in spelled or spelled in ("否", "不能", "无法完成"):
        return Light.RED
    if "不确定" in spelled or "不一定" in spelled:
        return Light.YELLOW
    if "确定" in spelled or "肯定" in spelled or spelled in ("能", "是", "可以"):
        return Light.GREEN
    if "有可能" in spelled or "可能" in spelled or "基本" in spelled:
        return Light.YELLOW
    return None


QUALITATIVE_LIGHTS = {
    QualLevel.ACHIEVED: Light.GREEN,
    QualLevel.PARTIAL: Light.YELLOW,
    QualLevel.NOT_ACHIEVED: Light.RED,
}


def indicator_light(
    kind: RowKind,
    settings: MonitoringSettings,
    progress: Decimal | None = None,
    *,
    within: bool | None = None,
    met: bool | None = None,
    level: QualLevel | None = None,
    predicted_short: bool = False,
    likelihood: str | None = None,
) -> Light | None:
    """A row's light: its own progress, then at least 黄 when 全年预计完成值 falls short
    (`predicted_short`), then the worst with the 完成目标可能性 answer's light.

    PRORATED and LEVEL rows band `progress` (< indicator_red 红, < indicator_yellow 黄,
    ≥ indicator_blue 蓝, else 绿); CEILING rows are 绿 while `within` the ceiling, 红
    beyond; DEADLINE rows 绿 when `met`, 红 when missed (met False), and when not yet
    due (met None) only the prediction and the answer judge; QUALITATIVE rows take
    the band of `level`. None when nothing judges the row.
    """
    own: Light | None = None
    match kind:
        case RowKind.PRORATED | RowKind.LEVEL:
            own = None if progress is None else _band(progress, settings)
        case RowKind.CEILING:
            own = None if within is None else (Light.GREEN if within else Light.RED)
        case RowKind.DEADLINE:
            own = None if met is None else (Light.GREEN if met else Light.RED)
        case RowKind.QUALITATIVE:
            own = None if level is None else QUALITATIVE_LIGHTS[level]
    return worst((own, Light.YELLOW if predicted_short else None, likelihood_light(likelihood)))


def predicted_short(predicted: Decimal, target: Decimal, ceiling: bool) -> bool:
    """全年预计完成值 misses the target: below it, or above a ≤ ceiling."""
    return predicted > target if ceiling else predicted < target


def project_light(execution: Light | None, rows: Iterable[Light | None]) -> Light | None:
    """The project's light: the worst of the execution light and the rows' lights."""
    return worst((execution, *rows))
