from decimal import Decimal

import pytest

from perfxl.model import Quantity, TextProblem, Unit
from perfxl.units import DATE_UNIT, MONTH_OF_YEAR_UNIT, align, compatible, describe, lookup_unit

D = Decimal


@pytest.mark.parametrize(
    ("text", "dimension", "factor"),
    [
        # money
        ("元", "money", "1"),
        ("千元", "money", "1000"),
        ("万元", "money", "10000"),
        ("亿元", "money", "100000000"),
        ("萬元", "money", "10000"),
        ("(万元)", "money", "10000"),
        ("（万元）", "money", "10000"),
        # percent
        ("%", "percent", "0.01"),
        ("％", "percent", "0.01"),
        ("百分比", "percent", "0.01"),
        ("个百分点", "percent", "0.01"),
        # durations
        ("月", "month", "1"),
        ("个月", "month", "1"),
        ("個月", "month", "1"),
        ("年", "month", "12"),
        ("季度", "month", "3"),
        ("天", "day", "1"),
        ("日", "day", "1"),
        ("周", "day", "7"),
        ("小时", "hour", "1"),
        ("个工作日", "workday", "1"),
        # counting words, each its own dimension
        ("个", "count:个", "1"),
        ("人", "count:人", "1"),
        ("人次", "count:人次", "1"),
        ("次", "count:次", "1"),
        ("批次", "count:批次", "1"),
        ("批", "count:批", "1"),
        ("辆", "count:辆", "1"),
        ("台", "count:台", "1"),
        ("套", "count:套", "1"),
        ("台套", "count:台套", "1"),
        ("家", "count:家", "1"),
        ("项", "count:项", "1"),
        ("件", "count:件", "1"),
        ("场", "count:场", "1"),
        ("场次", "count:场次", "1"),
        ("户", "count:户", "1"),
        ("所", "count:所", "1"),
        ("名", "count:名", "1"),
        ("篇", "count:篇", "1"),
        ("期", "count:期", "1"),
        ("条", "count:条", "1"),
        ("份", "count:份", "1"),
        ("本", "count:本", "1"),
        ("张", "count:张", "1"),
        ("株", "count:株", "1"),
        ("座", "count:座", "1"),
        ("处", "count:处", "1"),
        ("间", "count:间", "1"),
        ("輛", "count:辆", "1"),
        # 万 in front of a non-money unit
        ("万人次", "count:人次", "10000"),
        ("万亩", "area:亩", "10000"),
        # area
        ("平方米", "area", "1"),
        ("㎡", "area", "1"),
        ("m²", "area", "1"),
        ("公顷", "area", "10000"),
        ("平方公里", "area", "1000000"),
        ("亩", "area:亩", "1"),
        # length
        ("米", "length", "1"),
        ("公里", "length", "1000"),
        ("千米", "length", "1000"),
        # mass
        ("千克", "mass", "1"),
        ("公斤", "mass", "1"),
        ("吨", "mass", "1000"),
        # compounds: numerator factor, normalized denominator
        ("次/年", "count:次/年", "1"),
        ("元/户", "money/户", "1"),
        ("万元/人", "money/人", "10000"),
        ("元/人·月", "money/人·月", "1"),
        ("元/人*月", "money/人·月", "1"),
        ("元/人×月", "money/人·月", "1"),
        ("元/人.月", "money/人·月", "1"),
        ("元/人・月", "money/人·月", "1"),
        ("元/人/月", "money/人·月", "1"),
        ("次/每年", "count:次/年", "1"),
        # calendar units
        ("年月", "date", "1"),
        ("月份", "month_of_year", "1"),
    ],
)
def test_lookup_unit(text: str, dimension: str, factor: str) -> None:
    unit = lookup_unit(text)
    assert unit is not None
    assert unit.dimension == dimension
    assert unit.factor == D(factor)


@pytest.mark.parametrize(
    ("text", "unit_text"),
    [("元/人*月", "元/人·月"), ("萬元", "万元"), ("(次/年)", "次/年"), ("㎡", "m2")],
)
def test_lookup_unit_text_is_normalized(text: str, unit_text: str) -> None:
    unit = lookup_unit(text)
    assert unit is not None
    assert unit.text == unit_text


@pytest.mark.parametrize("text", ["", "x个", "abc", "万", "万元/", "/人", "年月/人", "苹果", "万%"])
def test_lookup_unit_unknown(text: str) -> None:
    assert lookup_unit(text) is None


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("money", "money", True),
        ("count:个", "count:家", True),
        ("count:家", "count:个", True),
        ("count:人", "count:人次", False),
        ("count:人", "count:名", False),
        ("count:个/年", "count:次/年", True),
        ("count:次/年", "count:次/月", False),
        ("count:个", "percent", False),
        ("money/人", "money", False),
    ],
)
def test_compatible(first: str, second: str, expected: bool) -> None:
    assert compatible(first, second) is expected


def q(value: str, unit: str | None = None) -> Quantity:
    return Quantity(D(value), lookup_unit(unit) if unit else None)


def date(year: int, month: int) -> Quantity:
    return Quantity(D(year * 12 + month), DATE_UNIT)


def month_of_year(month: int) -> Quantity:
    return Quantity(D(month), MONTH_OF_YEAR_UNIT)


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        # same unit
        (q("2", "个"), q("2", "个"), ("2", "2")),
        (q("95", "%"), q("98", "%"), ("95", "98")),
        (q("95", "%"), q("95", "百分比"), ("95", "95")),
        # money between 元 and 万元 (either side)
        (q("1", "万元"), q("10000", "元"), ("1", "1")),
        (q("10000", "元"), q("1", "万元"), ("10000", "10000")),
        (q("20", "万元"), q("18200", "元"), ("20", "1.82")),
        (q("4", "万元"), q("1.82", "万元"), ("4", "1.82")),
        (q("1", "亿元"), q("5000", "万元"), ("1", "0.5")),
        (q("500", "千元"), q("50", "万元"), ("500", "500")),
        # the generic 个 meets any counting word
        (q("2", "个"), q("2", "家"), ("2", "2")),
        (q("3", "家"), q("2", "个"), ("3", "2")),
        (q("5", "次/年"), q("6", "个/年"), ("5", "6")),
        # 万人次 converts into 人次
        (q("1", "万人次"), q("12000", "人次"), ("1", "1.2")),
        # durations; years into months stays exact
        (q("1", "年"), q("10", "个月"), ("12", "10")),
        (q("12", "个月"), q("1", "年"), ("12", "12")),
        (q("2", "周"), q("10", "天"), ("14", "10")),  # 10/7 is not exact: days
        # area, length, mass
        (q("1", "公顷"), q("5000", "平方米"), ("1", "0.5")),
        (q("2", "公里"), q("1500", "米"), ("2", "1.5")),
        (q("1", "吨"), q("800", "公斤"), ("1", "0.8")),
        # compounds
        (q("583", "元/人*月"), q("583", "元/人·月"), ("583", "583")),
        (q("1", "万元/人"), q("8000", "元/人"), ("1", "0.8")),
        # a bare number takes the other side's unit
        (q("100", "%"), q("100"), ("100", "100")),
        (q("2", "个"), q("3"), ("2", "3")),
        (q("5"), q("4", "万元"), ("5", "4")),
        (q("5"), q("6"), ("5", "6")),
        # a bare fraction against a percent means a fraction
        (q("95", "%"), q("0.95"), ("95", "95")),
        (q("95", "%"), q("1"), ("95", "100")),
        (q("100", "%"), q("0.8"), ("100", "80")),
        (q("0.95"), q("95", "%"), ("95", "95")),
        # ... but not when the percent target itself is a fraction of one
        (q("0.5", "%"), q("0.4"), ("0.5", "0.4")),
        # dates against months: the month of year decides
        (q("12", "月"), date(2022, 12), ("12", "12")),
        (month_of_year(12), date(2022, 12), ("12", "12")),
        (month_of_year(12), date(2022, 11), ("12", "11")),
        (date(2022, 12), month_of_year(12), ("12", "12")),
        (date(2022, 12), q("12", "月"), ("12", "12")),
        (month_of_year(12), q("12", "月"), ("12", "12")),
        (month_of_year(12), month_of_year(10), ("12", "10")),
        # date against date keeps the year
        (date(2023, 12), date(2022, 12), ("24288", "24276")),
        (date(2023, 6), date(2023, 12), ("24282", "24288")),
    ],
)
def test_align(target: Quantity, actual: Quantity, expected: tuple[str, str]) -> None:
    assert align(target, actual) == (D(expected[0]), D(expected[1]))


@pytest.mark.parametrize(
    ("target", "actual", "fragment"),
    [
        (q("5", "人"), q("6", "人次"), "指标值为“人”，实际完成值为“人次”"),
        (q("5", "人次"), q("6", "人"), "指标值为“人次”，实际完成值为“人”"),
        (q("5", "家"), q("6", "辆"), "无法换算"),
        (q("95", "%"), q("2", "个"), "计量单位不一致"),
        (q("4", "万元"), q("3", "个月"), "计量单位不一致"),
        (q("10", "天"), q("1", "个月"), "计量单位不一致"),
        (q("2", "小时"), q("1", "天"), "计量单位不一致"),
        (q("3", "亩"), q("2000", "平方米"), "计量单位不一致"),
        (q("5", "次/年"), q("5", "次/月"), "计量单位不一致"),
        (q("583", "元/人·月"), q("583", "元"), "计量单位不一致"),
        (q("24", "个月"), date(2022, 12), "计量单位不一致"),
        (q("14", "月"), date(2022, 12), "计量单位不一致"),
        (date(2022, 12), q("12", "个月"), "计量单位不一致"),
        (date(2022, 12), q("5", "万元"), "计量单位不一致"),
        (month_of_year(12), q("12", "个月"), "计量单位不一致"),
    ],
)
def test_align_mismatch(target: Quantity, actual: Quantity, fragment: str) -> None:
    result = align(target, actual)
    assert isinstance(result, TextProblem)
    assert fragment in result.message
    assert result.text == describe(actual)


@pytest.mark.parametrize(
    ("quantity", "expected"),
    [
        (q("1.82", "万元"), "1.82万元"),
        (q("95"), "95"),
        (date(2022, 12), "2022年12月"),
        (date(2023, 1), "2023年1月"),
        (month_of_year(12), "12月"),
        (Quantity(D("2"), Unit("个", "count:个")), "2个"),
    ],
)
def test_describe(quantity: Quantity, expected: str) -> None:
    assert describe(quantity) == expected
