"""Units of measure and how a target and an actual are brought to one unit.

Units are data: a table maps each spelling to a dimension and a factor to that
dimension's base, so a new spelling is one more line, not one more branch. Whatever
cannot be converted is reported, never guessed: a completion rate computed across
人 and 人次 would look exact and be wrong.
"""

from __future__ import annotations

from decimal import Decimal, Inexact, localcontext
from functools import lru_cache

from perfxl.model import Quantity, TextProblem, Unit
from perfxl.text import normalize

DATE = "date"  # value = year * 12 + month
MONTH_OF_YEAR = (
    "month_of_year"  # value = 1..12 in the table's year, 13..24 in the next (次年1月 = 13)
)
MONTH = "month"  # a duration in months, or a bare "12月" whose meaning the actual decides

DATE_UNIT = Unit("年月", DATE)
MONTH_OF_YEAR_UNIT = Unit("月份", MONTH_OF_YEAR)

# Counting words: each counts a different thing, so each is its own dimension.
_COUNT_WORDS = (
    "个 人 人次 次 批次 批 辆 辆次 台 套 台套 家 项 件 场 场次 户 户次 所 名 篇 期 条 份"
    " 本 张 株 棵 座 处 间 头 只 块 册 部 栋 组 种 类 笔 宗 例 课时 学时 起 分"
)  # 起: incidents (安全事故0起); 分: points (考核得分≥90分)
COUNT_WORDS = tuple(_COUNT_WORDS.split())

# The general classifier 个 stands for any counting word (`≥2个` against `2家`).
GENERIC_COUNT = "count:个"

_D = Decimal
UNITS: dict[str, tuple[str, Decimal]] = {
    # money, base 元
    "元": ("money", _D(1)),
    "千元": ("money", _D(1000)),
    "万元": ("money", _D(10000)),
    "亿元": ("money", _D(100000000)),
    # percent, base a plain fraction
    "%": ("percent", _D("0.01")),
    "百分比": ("percent", _D("0.01")),
    "百分点": ("percent", _D("0.01")),
    "个百分点": ("percent", _D("0.01")),
    "‰": ("percent", _D("0.001")),
    # durations; a year is 12 months so `≤1年` meets `10个月`
    "月": (MONTH, _D(1)),
    "个月": (MONTH, _D(1)),
    "季度": (MONTH, _D(3)),
    "个季度": (MONTH, _D(3)),
    "年": (MONTH, _D(12)),
    "天": ("day", _D(1)),
    "日": ("day", _D(1)),
    "周": ("day", _D(7)),
    "个周": ("day", _D(7)),
    "星期": ("day", _D(7)),
    "个星期": ("day", _D(7)),
    # hours are kept apart from days: 1/24 has no exact decimal form
    "小时": ("hour", _D(1)),
    "个小时": ("hour", _D(1)),
    # working days are not calendar days
    "工作日": ("workday", _D(1)),
    "个工作日": ("workday", _D(1)),
    # area, base 平方米 (NFKC turns ㎡ and m² into m2, ㎢ into km2)
    "平方米": ("area", _D(1)),
    "平米": ("area", _D(1)),
    "m2": ("area", _D(1)),
    "公顷": ("area", _D(10000)),
    "平方公里": ("area", _D(1000000)),
    "平方千米": ("area", _D(1000000)),
    "km2": ("area", _D(1000000)),
    # 亩 is 10000/15 m², which has no exact decimal form; converting would make
    # `=3亩` against `2000平方米` miss by 1e-25, so 亩 stays its own dimension.
    "亩": ("area:亩", _D(1)),
    # length, base 米
    "米": ("length", _D(1)),
    "延米": ("length", _D(1)),
    "m": ("length", _D(1)),
    "厘米": ("length", _D("0.01")),
    "毫米": ("length", _D("0.001")),
    "公里": ("length", _D(1000)),
    "千米": ("length", _D(1000)),
    "km": ("length", _D(1000)),
    # volume, base 立方米
    "立方米": ("volume", _D(1)),
    "m3": ("volume", _D(1)),
    "方": ("volume", _D(1)),
    # mass, base 千克
    "千克": ("mass", _D(1)),
    "公斤": ("mass", _D(1)),
    "kg": ("mass", _D(1)),
    "克": ("mass", _D("0.001")),
    "斤": ("mass", _D("0.5")),
    "吨": ("mass", _D(1000)),
    # calendar positions, produced by the date patterns of perfxl.quantities
    "年月": (DATE, _D(1)),
    "月份": (MONTH_OF_YEAR, _D(1)),
} | {word: (f"count:{word}", _D(1)) for word in COUNT_WORDS}

# 万 in front of a non-money unit multiplies it: 万人次, 万亩, 万平方米, 万吨.
_TEN_THOUSAND = "万"
# Separators of a compound denominator: 元/人*月, 元/人×月, 元/人.月 all mean 元/人·月.
_DENOMINATOR_SEPARATORS = str.maketrans({"*": "·", "×": "·", ".": "·", "/": "·", "x": "·"})


@lru_cache(maxsize=2048)
def lookup_unit(text: str) -> Unit | None:
    """The unit a spelling stands for, or None when it is not a unit we know."""
    spelled = normalize(text)
    if spelled.startswith("(") and spelled.endswith(")"):
        spelled = spelled[1:-1]
    if not spelled:
        return None
    if spelled in UNITS:
        dimension, factor = UNITS[spelled]
        return Unit(spelled, dimension, factor)
    if "/" in spelled:
        return _compound(spelled)
    if spelled.startswith(_TEN_THOUSAND) and spelled[1:] in UNITS:
        dimension, factor = UNITS[spelled[1:]]
        if dimension not in ("money", "percent", DATE, MONTH_OF_YEAR):
            return Unit(spelled, dimension, factor * 10000)
    return None


def _compound(spelled: str) -> Unit | None:
    """A rate such as 次/年 or 元/人·月: only the numerator converts."""
    numerator_text, _, denominator = spelled.partition("/")
    numerator = lookup_unit(numerator_text)  # partition left no "/" in it
    denominator = denominator.translate(_DENOMINATOR_SEPARATORS).removeprefix("每")
    if numerator is None or not denominator or numerator.dimension in (DATE, MONTH_OF_YEAR):
        return None
    return Unit(
        f"{numerator.text}/{denominator}",
        f"{numerator.dimension}/{denominator}",
        numerator.factor,
    )


def compatible(first: str, second: str) -> bool:
    """Whether two dimensions convert into each other by their factors alone."""
    first_num, _, first_den = first.partition("/")
    second_num, _, second_den = second.partition("/")
    if first_den != second_den:
        return False
    if first_num == second_num:
        return True
    counts = {first_num, second_num}
    return GENERIC_COUNT in counts and all(c.startswith("count:") for c in counts)


def month_of(date_value: Decimal) -> Decimal:
    """Month of year (1..12) of a year * 12 + month value."""
    return (date_value - 1) % 12 + 1


def describe(quantity: Quantity) -> str:
    """A quantity as a person would write it, for messages."""
    value, unit = quantity.value, quantity.unit
    if unit is None:
        return format(value, "f")
    if unit.dimension == DATE:
        year, month = divmod(int(value) - 1, 12)
        return f"{year}年{month + 1}月"
    if unit.dimension == MONTH_OF_YEAR:
        if value > 12:
            return f"次年{format(value - 12, 'f')}月"
        return f"{format(value, 'f')}月"
    return f"{format(value, 'f')}{unit.text}"


def is_month_number(quantity: Quantity) -> bool:
    """A bare `12月` that can stand for December (not `12个月`, not `14月`)."""
    return _is_month_number(quantity)


def _is_month_number(quantity: Quantity) -> bool:
    """A bare `12月` that can stand for December (not `12个月`, not `14月`)."""
    unit = quantity.unit
    if unit is None or unit.dimension not in (MONTH, MONTH_OF_YEAR):
        return False
    if unit.dimension == MONTH and unit.text != "月":
        return False
    return 1 <= quantity.value <= 12 and quantity.value == quantity.value.to_integral_value()


def _convert(target: Quantity, actual: Quantity) -> tuple[Decimal, Decimal]:
    """Both values in the target's unit when that is exact, else in the actual's.

    `≥1年` against `10个月` would give 0.8333… in years but exactly (12, 10) in months.
    """
    t_unit, a_unit = target.unit, actual.unit
    assert t_unit is not None and a_unit is not None
    if t_unit.factor == a_unit.factor:
        return target.value, actual.value
    with localcontext() as ctx:
        ctx.traps[Inexact] = True
        try:
            return target.value, actual.value * a_unit.factor / t_unit.factor
        except Inexact:
            pass
    return target.value * t_unit.factor / a_unit.factor, actual.value


def align(target: Quantity, actual: Quantity) -> tuple[Decimal, Decimal] | TextProblem:
    """Target and actual values in one unit, ready to be divided.

    The common unit is the target's (the actual's when the target is a bare number or
    when converting into the target's unit would not be exact), so `≥95%` against `0.95`
    gives (95, 95) and `≤20万元` against `18200元` gives (20, 1.82); only the ratio of
    the pair is meant to be used.
    Dates give year * 12 + month, months of year 1..12: only their order means anything,
    so a deadline target must be judged by `actual <= target`, not by a ratio.
    """
    t_unit, a_unit = target.unit, actual.unit
    t_value, a_value = target.value, actual.value
    if t_unit is None and a_unit is None:
        return t_value, a_value
    if a_unit is None:
        assert t_unit is not None
        if t_unit.dimension == "percent" and a_value <= 1 < t_value:
            return t_value, a_value / t_unit.factor
        return t_value, a_value
    if t_unit is None:
        if a_unit.dimension == "percent" and t_value <= 1 < a_value:
            return t_value / a_unit.factor, a_value
        return t_value, a_value

    t_dim, a_dim = t_unit.dimension, a_unit.dimension
    if t_dim == DATE and a_dim == DATE:
        return t_value, a_value
    if a_dim == DATE and _is_month_number(target):
        return t_value, month_of(a_value)
    if t_dim == DATE and _is_month_number(actual):
        return month_of(t_value), a_value
    if MONTH_OF_YEAR in (t_dim, a_dim) and _is_month_number(target) and _is_month_number(actual):
        return t_value, a_value
    calendar = {DATE, MONTH_OF_YEAR} & {t_dim, a_dim}
    if not calendar and compatible(t_dim, a_dim):
        return _convert(target, actual)
    return TextProblem(
        describe(actual),
        f"计量单位不一致：指标值为“{t_unit.text}”，实际完成值为“{a_unit.text}”，无法换算",
    )


def align_calendar(
    target: Quantity, actual: Quantity, year: int | None
) -> tuple[Decimal, Decimal] | TextProblem | None:
    """A deadline's target and actual as comparable calendar values, or None when the
    target is no date or month (then `align` applies).

    Months of year without a year are placed in `year`, the table's year (m → year × 12 +
    m, so 次年1月 = 13 becomes January of the next year). An actual month without a year
    against a dated target takes the table's year, else the target's. A target month
    without a year against an actual that names its year cannot be judged without the
    table's year: `2024年1月` is late for a 2023 table's `12月` and early for a 2024
    one, so that is reported, never guessed.
    """
    t_dim = target.unit.dimension if target.unit else None
    a_dim = actual.unit.dimension if actual.unit else None
    if t_dim not in (DATE, MONTH_OF_YEAR):
        return None
    if a_dim not in (DATE, MONTH_OF_YEAR):
        if not _is_month_number(actual):
            return None  # `align` reports the mismatch
        a_dim = MONTH_OF_YEAR
    t_value, a_value = target.value, actual.value
    if t_dim == a_dim:
        return t_value, a_value
    if t_dim == DATE:  # the actual is a month of year
        base = year if year is not None else (int(t_value) - 1) // 12
        return t_value, base * 12 + a_value
    if year is None:
        return TextProblem(
            describe(actual),
            f"实际完成值“{describe(actual)}”写明了年份，指标值“{describe(target)}”未写年份，"
            "且表中未找到年度（标题“（××××年度）”、自评年度或文件名），无法判断是否按期完成",
        )
    return year * 12 + t_value, a_value
