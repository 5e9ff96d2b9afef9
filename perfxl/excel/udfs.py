"""In-cell functions: =PERF_RATE(), =PERF_SCORE(), =PERF_GRADE() … for Excel via xlwings.

Each function converts what Excel sends (None for an empty cell, float for a number,
str for text, lists for ranges) into engine inputs, calls perfxl.scoring, and returns
something a cell can show: a float, a short text, or a short Chinese error such as
`#指标值无法识别` — never a traceback. Parsing is cached in perfxl.quantities, so a
sheet of thousands of cells recalculates quickly; PERF_BLOCK scores a whole indicator
block in one call because per-call overhead dominates otherwise (xlwings issue #1981).
"""

from __future__ import annotations

import math
from decimal import Decimal
from functools import lru_cache
from typing import Any

from perfxl.excel.registry import udf
from perfxl.findings import Finding
from perfxl.model import Funds, Indicator
from perfxl.profiles import FundsRule, Profile, ProfileError, load_profile
from perfxl.rates import funds_points
from perfxl.results import Method, RowResult
from perfxl.rounding import to_decimal
from perfxl.scoring import combine_total, deviation, execution_rate, score_row

# Short cell texts per finding code: what a clerk sees instead of a number.
CELL_ERRORS = {
    "PX010": "#指标值无法识别",
    "PX011": "#实际值无法识别",
    "PX012": "#单位无法换算",
    "PX013": "#分值缺失",
    "PX014": "#请填写得分",
    "PX015": "#无法判断是否达成",
    "PX016": "#资金数据不全",
    "PX017": "#无法判断是否达成",  # and no evaluator's score to fall back on
}
BAD_PROFILE = "#评分规则无效"
BAD_NUMBER = "#不是数字"
BAD_SCORE = "#得分有误"  # PERF_TOTAL: a score that is neither a number nor 不适用
NOT_APPLICABLE = "不适用"  # what PERF_SCORE shows for a row that does not apply

_PROFILE_ARG = "评分规则名称，如 mof2020、xj-60；省略则用 mof2020"
_LEVEL2_ARG = "二级指标（可省略），成本指标按规则单独计分"


def _profile(name: Any) -> Profile:
    return load_profile(str(name).strip() if name not in (None, "") else None)


def _number(value: Any) -> Decimal | None:
    """A cell value as a Decimal; None when empty. Raises ValueError on text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return to_decimal(value)
    return Decimal(str(value).strip().removesuffix("%")) / (
        100 if str(value).strip().endswith("%") else 1
    )


def _text(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _score(
    target: Any, actual: Any, weight: Any, profile: Profile, level2: Any = None, entered: Any = None
) -> RowResult:
    indicator = Indicator(
        level1="",
        level2=_text(level2) or "",
        name="",
        target_text=_text(target),
        actual_text=_text(actual),
        weight=_number(weight),
        entered_score=_number(entered),
    )
    return score_row(indicator, profile)


def _error(findings: tuple[Finding, ...]) -> str:
    for found in findings:
        if found.code in CELL_ERRORS:
            return CELL_ERRORS[found.code]
    return "#无法计算"


def _cell(value: Decimal | None) -> float | str:
    """A figure for a cell; one no float holds (a ratio over a 分值 of 1e-300) is an error
    text, never an infinity Excel would show as #NUM!."""
    if value is None:
        return ""
    number = float(value)
    return number if math.isfinite(number) else BAD_NUMBER


_REMEMBERED_CHARS = 256  # calls with a longer text argument are computed, not remembered


def _guard(function):
    """Turn a bad profile or a non-numeric argument into a short cell text, and remember
    answers: Excel recalculates a sheet by calling every cell again with the same
    arguments, and each function here is a pure function of them (a profile is loaded
    once per name). Range arguments (lists) are not hashable and are computed each time.
    """

    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except ProfileError:
            return BAD_PROFILE
        except (ValueError, ArithmeticError):
            return BAD_NUMBER

    remembered = lru_cache(maxsize=65536)(guarded)

    def call(*args: Any) -> Any:
        try:
            hash(args)
        except TypeError:
            return guarded(*args)
        if any(isinstance(arg, str) and len(arg) > _REMEMBERED_CHARS for arg in args):
            return guarded(*args)  # 65,536 long texts remembered would hold gigabytes
        return remembered(*args)

    call.__name__, call.__doc__, call.__wrapped__ = function.__name__, function.__doc__, function
    call.cache_clear = remembered.cache_clear
    return call


@udf(
    "指标完成率（小数，设置为百分比格式显示）：按指标值方向计算，正向为 实际/指标，反向按规则",
    {
        "target": "年度指标值，如 ≥2个、≤4万元、=100%、有效提升",
        "actual": "实际完成值，如 2个、3.5万元",
        "profile": _PROFILE_ARG,
        "level2": _LEVEL2_ARG,
        "entered": "评价人填写的得分（人工评分指标或定性指标档内打分，可省略），完成率随之按 得分/分值 计",
        "weight": "分值（填写了评价人得分时需要，用于换算完成率）",
    },
)
def PERF_RATE(target, actual, profile=None, level2=None, entered=None, weight=None):
    return _guarded_rate(target, actual, profile, level2, entered, weight)


@_guard
def _guarded_rate(target, actual, profile, level2, entered, weight):
    if entered in (None, ""):  # the rate does not depend on the points then
        weight = 1
    result = _score(target, actual, weight, _profile(profile), level2, entered)
    if result.method == Method.UNSCORED:
        return _error(result.findings)
    return _cell(result.rate)


@udf(
    "指标得分：按评分规则由指标值、实际完成值和分值计算，定性指标可填评价人得分",
    {
        "target": "年度指标值，如 ≥2个；留空表示人工评分指标",
        "actual": "实际完成值",
        "weight": "分值",
        "profile": _PROFILE_ARG,
        "level2": _LEVEL2_ARG,
        "entered": "评价人填写的得分（人工评分或定性指标档内打分，可省略）",
    },
)
def PERF_SCORE(target, actual, weight, profile=None, level2=None, entered=None):
    return _guarded_score(target, actual, weight, profile, level2, entered)


@_guard
def _guarded_score(target, actual, weight, profile, level2, entered):
    result = _score(target, actual, weight, _profile(profile), level2, entered)
    if result.method == Method.UNSCORED:
        return _error(result.findings)
    if result.method == Method.NOT_APPLICABLE:
        return NOT_APPLICABLE
    return _cell(result.score)


@udf(
    "预算执行率（小数）= 全年执行数 / 全年预算数",
    {"spent": "全年执行数（万元）", "budget": "全年预算数（万元）", "profile": _PROFILE_ARG},
)
def PERF_EXEC_RATE(spent, budget, profile=None):
    return _guarded_exec(spent, budget, profile)


@_guard
def _guarded_exec(spent, budget, profile):
    rate = execution_rate(Funds(budget=_number(budget), spent=_number(spent)), _profile(profile))
    return CELL_ERRORS["PX016"] if rate is None else float(rate)


@udf(
    "预算执行率得分：按评分规则中预算执行率的计分方法（按比例、起评线或满分线）由执行率和分值计算",
    {
        "rate": "预算执行率（小数或百分比，如 0.8182 或 81.82%），可引用 PERF_EXEC_RATE 的结果",
        "weight": "预算执行率的分值",
        "profile": _PROFILE_ARG,
    },
)
def PERF_EXEC_SCORE(rate, weight, profile=None):
    return _guarded_funds_score(rate, weight, profile, "execution")


@udf(
    "资金到位率得分：按评分规则中资金到位率的计分方法（按比例、起评线或满分线）由到位率和分值计算",
    {
        "rate": "资金到位率（小数或百分比，如 0.95 或 95%）= 全年到位数 / 全年预算数",
        "weight": "资金到位率的分值",
        "profile": _PROFILE_ARG,
    },
)
def PERF_ARRIVAL_SCORE(rate, weight, profile=None):
    return _guarded_funds_score(rate, weight, profile, "arrival")


@_guard
def _guarded_funds_score(rate, weight, profile, kind):
    """The engine's scoring of a 预算执行率 / 资金到位率 row (perfxl.scoring), by the
    profile's [execution] or [arrival] rule: rate rounded where the profile rounds rates,
    perfxl.rates.score_from_rate, points rounded to the profile's score digits."""
    prof = _profile(profile)
    value, points = _number(rate), _number(weight)
    if value is None:
        return CELL_ERRORS["PX016"]
    if points is None:
        return CELL_ERRORS["PX013"]
    rule: FundsRule = getattr(prof, kind)
    return float(funds_points(value, points, rule, prof))


@udf(
    "偏差（百分点）= 总体完成率 − 预算执行率",
    {"completion": "总体完成率（小数或百分比）", "execution": "预算执行率（小数或百分比）"},
)
def PERF_DEVIATION(completion, execution):
    return _guarded_deviation(completion, execution)


@_guard
def _guarded_deviation(completion, execution):
    value = deviation(_number(completion), _number(execution))
    return "" if value is None else float(value)


@udf("评价等级：按评分规则的分数线给出 优/良/中/差", {"total": "总分", "profile": _PROFILE_ARG})
def PERF_GRADE(total, profile=None):
    return _guarded_grade(total, profile)


@_guard
def _guarded_grade(total, profile):
    value = _number(total)
    return "" if value is None else _profile(profile).grade(value)


@udf(
    "总分：各指标得分之和；得分为“不适用”的指标按规则剔除并折算，得分为其他文字时显示 #得分有误",
    {"weights": "分值列", "scores": "得分列", "profile": _PROFILE_ARG},
)
def PERF_TOTAL(weights, scores, profile=None):
    return _guarded_total(weights, scores, profile)


@_guard
def _guarded_total(weights, scores, profile):
    pairs = []
    for weight, score in zip(_column(weights), _column(scores), strict=False):
        if weight in (None, "") and score in (None, ""):
            continue
        if isinstance(score, str) and not score.strip():
            score = None  # a row left blank, or one that could not be scored: 0 points
        if isinstance(score, str) and not _is_number(score):
            if score.strip() != NOT_APPLICABLE:  # an error text is not a row left out
                return BAD_SCORE
            pairs.append((_number(weight), None))
        else:
            pairs.append((_number(weight), _number(score) or Decimal(0)))
    return float(combine_total(pairs, _profile(profile)))


@udf(
    "整块计分：一次计算整个指标区域，返回“完成率、得分”两列（溢出到右侧与下方单元格）",
    {
        "level2": "二级指标列",
        "targets": "年度指标值列",
        "actuals": "实际完成值列",
        "weights": "分值列",
        "entered": "评价人得分列（可省略）",
        "profile": _PROFILE_ARG,
    },
    array=True,
)
def PERF_BLOCK(level2, targets, actuals, weights, entered=None, profile=None):
    try:
        prof = _profile(profile)
    except ProfileError:
        return [[BAD_PROFILE, BAD_PROFILE]]
    columns = [_column(c) for c in (level2, targets, actuals, weights)]
    height = max(len(c) for c in columns)
    typed = _column(entered) if entered is not None else []
    rows = []
    for i in range(height):
        values = [c[i] if i < len(c) else None for c in columns]
        score_in = typed[i] if i < len(typed) else None
        rows.append(_block_row(*values, score_in, prof))
    return rows


def _block_row(level2, target, actual, weight, entered, profile) -> list[Any]:
    if all(v in (None, "") for v in (target, actual, weight)):
        return ["", ""]
    try:
        result = _score(target, actual, weight, profile, level2, entered)
    except (ValueError, ArithmeticError):
        return [BAD_NUMBER, BAD_NUMBER]
    if result.method == Method.UNSCORED:
        return [_error(result.findings)] * 2
    if result.method == Method.NOT_APPLICABLE:
        return [NOT_APPLICABLE, NOT_APPLICABLE]
    return [_cell(result.rate), _cell(result.score)]


def _column(values: Any) -> list[Any]:
    """A range as a flat list: xlwings sends one cell as a scalar, a column as a list."""
    if isinstance(values, list):
        return [v[0] if isinstance(v, list) and v else v for v in values]
    return [values]


def _is_number(text: str) -> bool:
    try:
        Decimal(text.strip())
    except ArithmeticError:
        return False
    return True


# --- mid-year monitoring (双监控): thin shells over perfxl.monitoring ------------------

BAD_MONTH = "#月份应为1-12"
EXECUTION_WORDS = ("", "执行", "预算执行", "执行率")  # PERF_MONITOR_LIGHT's execution kind


class _BadMonth(ValueError):
    pass


def _month(value: Any) -> int:
    month = _number(value)
    if month is None or month != month.to_integral_value() or not 1 <= month <= 12:
        raise _BadMonth
    return int(month)


@udf(
    "序时进度（小数，设置为百分比格式显示）= 监控月份 ÷ 12，如 6 月为 50%",
    {"month": "监控月份（1–12），即“1-N月执行数”中的 N"},
)
def PERF_TIME_PROGRESS(month):
    return _guarded_time_progress(month)


@_guard
def _guarded_time_progress(month):
    from perfxl.monitoring.lights import time_progress

    try:
        return float(time_progress(_month(month)))
    except _BadMonth:
        return BAD_MONTH


@udf(
    "监控预警灯（红/黄/绿/蓝）：种类为“执行”或省略时比较执行率与序时进度；种类填二级指标时为指标灯，"
    "按 perfxl 的监控规则判断完成进度，并计入全年预计完成值和完成目标可能性",
    {
        "value": "执行率或实际完成值：执行率为小数或百分比；指标填 1-N月实际完成值，定性指标填 达成/部分达成/未达成",
        "reference": "序时进度或年度指标值：序时进度为小数或百分比；指标填年度指标值，如 ≥200人、≤2000元、≥95%、有效提升",
        "kind": "种类：填“执行”或省略为预算执行灯；指标灯填其二级指标，如 数量指标、质量指标、成本指标",
        "month": "监控月份（1–12）：累计类指标按 月份÷12 折算；执行灯填了月份则以 月份÷12 为序时进度",
        "predicted": "全年预计完成值（可省略），预计达不到指标值时至少为黄灯",
        "likelihood": "完成目标可能性（可省略）：确定能 / 有可能 / 完全不可能",
        "profile": _PROFILE_ARG,
        "name": "三级指标名称（可省略）：名称含“率”“满意”等的指标按水平判断，不按序时折算",
    },
)
def PERF_MONITOR_LIGHT(
    value, reference, kind=None, month=None, predicted=None, likelihood=None, profile=None,
    name=None,
):  # fmt: skip
    return _guarded_monitor_light(
        value, reference, kind, month, predicted, likelihood, profile, name
    )


@_guard
def _guarded_monitor_light(value, reference, kind, month, predicted, likelihood, profile, name):
    from perfxl.monitoring import lights
    from perfxl.monitoring.engine import score_monitoring
    from perfxl.monitoring.model import MonitoringRow, MonitoringTable

    prof = _profile(profile)
    try:
        number = None if month in (None, "") else _month(month)
    except _BadMonth:
        return BAD_MONTH
    if (_text(kind) or "").strip() in EXECUTION_WORDS:
        rate = _number(value)
        progress = _number(reference) if number is None else lights.time_progress(number)
        if rate is None or progress is None:
            return ""
        if progress <= 0:
            return BAD_NUMBER
        return str(lights.execution_light(rate, progress, prof.monitoring))
    row = MonitoringRow(
        level1="",
        level2=(_text(kind) or "").strip(),
        name=(_text(name) or "").strip(),
        target_text=_text(reference),
        actual_text=_text(value),
        predicted_text=_text(predicted),
        likelihood=_text(likelihood),
    )
    (judged,) = score_monitoring(MonitoringTable("", month=number, rows=(row,)), prof).rows
    if judged.light is None and judged.findings:
        return _error(judged.findings)
    return "" if judged.light is None else str(judged.light)
