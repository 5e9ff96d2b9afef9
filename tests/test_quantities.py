import datetime
from decimal import Decimal

import pytest

from perfxl.model import Direction, Qualitative, QualLevel, Quantity, Target, TextProblem
from perfxl.quantities import is_not_applicable, parse_actual, parse_target
from perfxl.units import align

D = Decimal
POS, REV, EQ, QUAL = (
    Direction.POSITIVE,
    Direction.REVERSE,
    Direction.EQUAL,
    Direction.QUALITATIVE,
)
ACH, PART, NOT = QualLevel.ACHIEVED, QualLevel.PARTIAL, QualLevel.NOT_ACHIEVED


def shape(result: Target) -> tuple:
    """(direction, value, unit text, dimension, strict, deadline) of a parsed target."""
    quantity = result.quantity
    assert quantity is not None
    unit = quantity.unit
    return (
        result.direction,
        quantity.value,
        unit.text if unit else None,
        unit.dimension if unit else None,
        result.strict,
        result.deadline,
    )


@pytest.mark.parametrize(
    ("text", "direction", "value", "unit", "dimension", "strict", "deadline"),
    [
        # ≥ as signs and words
        ("≥2个", POS, "2", "个", "count:个", False, False),
        (">=95%", POS, "95", "%", "percent", False, False),
        ("=>95%", POS, "95", "%", "percent", False, False),
        ("＞＝95%", POS, "95", "%", "percent", False, False),
        ("≧95%", POS, "95", "%", "percent", False, False),
        ("大于等于95.00%", POS, "95.00", "%", "percent", False, False),
        ("不低于90%", POS, "90", "%", "percent", False, False),
        ("不少于60人", POS, "60", "人", "count:人", False, False),
        ("不小于3次", POS, "3", "次", "count:次", False, False),
        ("至少2场", POS, "2", "场", "count:场", False, False),
        ("98%以上", POS, "98", "%", "percent", False, False),
        ("95%及以上", POS, "95", "%", "percent", False, False),
        ("≥95%以上", POS, "95", "%", "percent", False, False),
        # ≤ as signs and words
        ("≤4万元", REV, "4", "万元", "money", False, False),
        ("<=5个", REV, "5", "个", "count:个", False, False),
        ("=<5个", REV, "5", "个", "count:个", False, False),
        ("＜＝5个", REV, "5", "个", "count:个", False, False),
        ("小于等于5个", REV, "5", "个", "count:个", False, False),
        ("不高于3%", REV, "3", "%", "percent", False, False),
        ("不超过20万元", REV, "20", "万元", "money", False, False),
        ("不大于2次", REV, "2", "次", "count:次", False, False),
        ("控制在5万元以内", REV, "5", "万元", "money", False, False),
        ("5万元以内", REV, "5", "万元", "money", False, False),
        ("3%以下", REV, "3", "%", "percent", False, False),
        ("30天之内", REV, "30", "天", "day", False, False),
        ("5个工作日内", REV, "5", "个工作日", "workday", False, False),
        # = as signs and words, and no operator at all
        ("=12月", EQ, "12", "月", "month", False, False),
        ("==3个", EQ, "3", "个", "count:个", False, False),
        ("﹦100%", EQ, "100", "%", "percent", False, False),
        ("＝100%", EQ, "100", "%", "percent", False, False),
        ("等于100.00%", EQ, "100.00", "%", "percent", False, False),
        # 达到 is "at least" in published tables (issue 8): over-achievement is met
        ("达到100%", POS, "100", "%", "percent", False, False),
        ("为1项", EQ, "1", "项", "count:项", False, False),
        ("60人", EQ, "60", "人", "count:人", False, False),
        ("1,000", EQ, "1000", None, None, False, False),
        ("１，０００人", EQ, "1000", "人", "count:人", False, False),
        ("１００％", EQ, "100", "%", "percent", False, False),
        # strict comparisons
        (">90%", POS, "90", "%", "percent", True, False),
        ("＞90%", POS, "90", "%", "percent", True, False),
        ("高于80%", POS, "80", "%", "percent", True, False),
        ("超过3家", POS, "3", "家", "count:家", True, False),
        ("大于1个", POS, "1", "个", "count:个", True, False),
        ("<5%", REV, "5", "%", "percent", True, False),
        ("低于5%", REV, "5", "%", "percent", True, False),
        ("小于3次", REV, "3", "次", "count:次", True, False),
        ("少于2次", REV, "2", "次", "count:次", True, False),
        # a sign after a weak word wins
        ("达到≥95%", POS, "95", "%", "percent", False, False),
        # units glued, bracketed, odd or traditional
        ("=68.95（万元）", EQ, "68.95", "万元", "money", False, False),
        ("=5(次/年）", EQ, "5", "次/年", "count:次/年", False, False),
        ("=18（辆）", EQ, "18", "辆", "count:辆", False, False),
        ("≥100百分比", POS, "100", "百分比", "percent", False, False),
        ("583元/人*月", EQ, "583", "元/人·月", "money/人·月", False, False),
        ("≤300元/户", REV, "300", "元/户", "money/户", False, False),
        ("≤1万元/人", REV, "1", "万元/人", "money/人", False, False),
        ("10萬元", EQ, "10", "万元", "money", False, False),
        ("≥10萬元", POS, "10", "万元", "money", False, False),
        ("≥2輛", POS, "2", "辆", "count:辆", False, False),
        ("≤1.5亿元", REV, "1.5", "亿元", "money", False, False),
        ("≥500千元", POS, "500", "千元", "money", False, False),
        ("≥100㎡", POS, "100", "m2", "area", False, False),
        ("≥20亩", POS, "20", "亩", "area:亩", False, False),
        ("≥3公里", POS, "3", "公里", "length", False, False),
        ("≥10吨", POS, "10", "吨", "mass", False, False),
        ("≤12个月", REV, "12", "个月", "month", False, False),
        ("≤1年", REV, "1", "年", "month", False, False),
        ("≥10万人次", POS, "10", "万人次", "count:人次", False, False),
        ("≥1万", POS, "10000", None, None, False, False),
        # a unit followed by what it counts, a label before the operator
        ("≥2个村", POS, "2", "个", "count:个", False, False),
        ("完成率≥95%", POS, "95", "%", "percent", False, False),
        ("覆盖率达到100%", POS, "100", "%", "percent", False, False),
        # months and dates
        ("12月底之前", REV, "12", "月份", "month_of_year", False, True),
        ("12月底前", REV, "12", "月份", "month_of_year", False, True),
        ("12月前", REV, "12", "月份", "month_of_year", False, True),
        ("12月31日前", REV, "12", "月份", "month_of_year", False, True),
        ("12月底", REV, "12", "月份", "month_of_year", False, True),
        ("=12月底", EQ, "12", "月份", "month_of_year", False, False),
        ("12月份", EQ, "12", "月份", "month_of_year", False, False),
        ("≤12月", REV, "12", "月", "month", False, False),
        ("年底前", REV, "12", "月份", "month_of_year", False, True),
        ("2023年12月前", REV, "24288", "年月", "date", False, True),
        ("2023年12月底前", REV, "24288", "年月", "date", False, True),
        ("2023年12月31日前完成", REV, "24288", "年月", "date", False, True),
        ("2023年6月30日之前", REV, "24282", "年月", "date", False, True),
        ("≤2023年6月", REV, "24282", "年月", "date", False, True),
        ("2023年底前", REV, "24288", "年月", "date", False, True),
        ("2023年内完成", REV, "24288", "年月", "date", False, True),
        ("2022年12月", EQ, "24276", "年月", "date", False, False),
        ("2022-12", EQ, "24276", "年月", "date", False, False),
        ("2022.12.31", EQ, "24276", "年月", "date", False, False),
    ],
)
def test_parse_target(
    text: str,
    direction: Direction,
    value: str,
    unit: str | None,
    dimension: str | None,
    strict: bool,
    deadline: bool,
) -> None:
    result = parse_target(text)
    assert isinstance(result, Target), result
    assert result.text == text
    assert shape(result) == (direction, D(value), unit, dimension, strict, deadline)


@pytest.mark.parametrize(
    "text",
    [
        "有效提升",
        "持续",
        "长期",
        "逐步提高",
        "不断提高",
        "有效强化",
        "有效保障",
        "达成预期指标",
        "達成預期指標",
        "在项目计划完成时间内完成",
        "优",
        "良",
    ],
)
def test_parse_target_qualitative(text: str) -> None:
    assert parse_target(text) == Target(text, QUAL)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (95, D("95")),
        (0.95, D("0.95")),
        (12.0, D("12.0")),
        (D("1.82"), D("1.82")),
    ],
)
def test_parse_target_numeric_cell(value: object, expected: Decimal) -> None:
    result = parse_target(value)  # type: ignore[arg-type]
    assert isinstance(result, Target)
    assert result.direction == EQ
    assert result.quantity == Quantity(expected)


def test_parse_target_date_cell() -> None:
    result = parse_target(datetime.date(2023, 12, 31))  # type: ignore[arg-type]
    assert isinstance(result, Target)
    assert shape(result) == (EQ, D(24288), "年月", "date", False, False)


@pytest.mark.parametrize("value", [None, "", "   ", "\n", "无此类指标", "/", "不涉及"])
def test_parse_target_blank_or_not_applicable(value: str | None) -> None:
    assert parse_target(value) is None


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("≥abc5x个", "≥abc5x个"),
        ("≥5x个", "x个"),
        ("≥5以内", "方向"),
        ("≥5个≤8个", "≥5个≤8个"),
        ("90%-100%", "90%-100%"),
        ("3-5个", "3-5个"),
        ("≥5苹果", "苹果"),
        ("13月前", "13"),
        ("2023年", "年份"),
        ("5天前", "天前"),
        ("第3季度", "第3季度"),
        ("≥九十五%", "≥九十五%"),
        ("≥", "≥"),
        (float("nan"), "nan"),
        (True, "True"),
    ],
)
def test_parse_target_unreadable(text: object, fragment: str) -> None:
    result = parse_target(text)  # type: ignore[arg-type]
    assert isinstance(result, TextProblem), result
    assert result.text == str(text)
    assert fragment in result.message


@pytest.mark.parametrize(
    ("text", "target", "value", "unit", "dimension"),
    [
        ("2个", "≥2个", "2", "个", "count:个"),
        ("60人", "≥50人", "60", "人", "count:人"),
        ("1.82万元", "≤20万元", "1.82", "万元", "money"),
        ("18200元", "≤20万元", "18200", "元", "money"),
        ("34.79%", "≤100%", "34.79", "%", "percent"),
        ("0.95", "≥95%", "0.95", None, None),
        ("100", "≥100%", "100", None, None),
        ("95.5％", "≥95%", "95.5", "%", "percent"),
        ("12个月", "≤12个月", "12", "个月", "month"),
        ("6次/年", "=5(次/年)", "6", "次/年", "count:次/年"),
        ("583元/人·月", "583元/人*月", "583", "元/人·月", "money/人·月"),
        ("10萬元", "≥10萬元", "10", "万元", "money"),
        ("已完成2个", "≥2个", "2", "个", "count:个"),
        ("共培训60人次", None, "60", "人次", "count:人次"),
        ("≥95%", "≥95%", "95", "%", "percent"),
        ("100%以上", "≥95%", "100", "%", "percent"),
        # dates and months
        ("2022年12月", "=12月", "24276", "年月", "date"),
        ("2022年12月31日", "12月底之前", "24276", "年月", "date"),
        ("2022-12-31", None, "24276", "年月", "date"),
        ("2022年12月完成", None, "24276", "年月", "date"),
        ("12月", "12月底之前", "12", "月份", "month_of_year"),
        ("12月底", "12月底之前", "12", "月份", "month_of_year"),
        ("11月", "2023年12月前", "11", "月份", "month_of_year"),
        ("12月底", None, "12", "月份", "month_of_year"),
        ("12月", "=12月", "12", "月", "month"),
        ("12月", None, "12", "月", "month"),
    ],
)
def test_parse_actual_quantity(
    text: str, target: str | None, value: str, unit: str | None, dimension: str | None
) -> None:
    parsed_target = parse_target(target) if target else None
    assert not isinstance(parsed_target, TextProblem)
    result = parse_actual(text, parsed_target)
    assert isinstance(result, Quantity), result
    assert result.value == D(value)
    assert (result.unit.text if result.unit else None) == unit
    assert (result.unit.dimension if result.unit else None) == dimension


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.95, Quantity(D("0.95"))), (60, Quantity(D(60))), (D("1.82"), Quantity(D("1.82")))],
)
def test_parse_actual_numeric_cell(value: object, expected: Quantity) -> None:
    target = parse_target("≥95%")
    assert isinstance(target, Target)
    assert parse_actual(value, target) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        # the seeds' own pairs
        ("≥2个", "2个", ("2", "2")),
        ("=12月", "2022年12月", ("12", "12")),
        ("≤20万元", "1.82万元", ("20", "1.82")),
        ("≤100%", "34.79%", ("100", "34.79")),
        # percentages as 95% and 0.95, and a bare actual taking the target's unit
        ("≥95%", "95%", ("95", "95")),
        ("≥95%", "0.95", ("95", "95")),
        ("≥95%", 0.95, ("95", "95")),
        ("≥100%", "100", ("100", "100")),
        ("≥0.95", "95%", ("95", "95")),
        # money across 元 and 万元
        ("≤4万元", "18200元", ("4", "1.82")),
        ("=10000元", "1万元", ("10000", "10000")),
        ("≥10萬元", "10万元", ("10", "10")),
        # 个 against another counting word
        ("≥2个", "2家", ("2", "2")),
        # deadlines: month of year or full dates, judged by actual <= target
        ("12月底之前", "2022年12月", ("12", "12")),
        ("12月底之前", "12月", ("12", "12")),
        ("2023年12月前", "2022年12月", ("24288", "24276")),
        ("2023年12月前", "11月", ("12", "11")),
        ("2022年12月", "2022年12月31日", ("24276", "24276")),
    ],
)
def test_parse_and_align(target: str, actual: object, expected: tuple[str, str]) -> None:
    parsed_target = parse_target(target)
    assert isinstance(parsed_target, Target)
    assert parsed_target.quantity is not None
    parsed_actual = parse_actual(actual, parsed_target)  # type: ignore[arg-type]
    assert isinstance(parsed_actual, Quantity), parsed_actual
    assert align(parsed_target.quantity, parsed_actual) == (D(expected[0]), D(expected[1]))


def test_parse_and_align_mismatch() -> None:
    target = parse_target("≥50人")
    assert isinstance(target, Target) and target.quantity is not None
    actual = parse_actual("60人次", target)
    assert isinstance(actual, Quantity)
    problem = align(target.quantity, actual)
    assert isinstance(problem, TextProblem)
    assert problem.message == "计量单位不一致：指标值为“人”，实际完成值为“人次”，无法换算"


@pytest.mark.parametrize(
    ("text", "target", "level"),
    [
        # negatives first
        ("未达成", None, NOT),
        ("未完成", None, NOT),
        ("没有达成", None, NOT),
        ("未达成且效果较差", None, NOT),
        ("否", None, NOT),
        ("差", None, NOT),
        ("无效", None, NOT),
        ("未达成预期指标", "达成预期指标", NOT),
        ("未能持续", "持续", NOT),
        ("无法完成", None, NOT),
        ("未能达到预期", None, NOT),
        ("不符合要求", None, NOT),
        ("尚未完成", None, NOT),
        ("未达预期", None, NOT),
        ("未达标", None, NOT),
        ("满意度有待提高", None, PART),
        ("基本满意", None, PART),  # one step below 满意 (issue 8, item 8)
        # then partial
        ("部分达成", None, PART),
        ("部分完成", None, PART),
        ("部分达成并具有一定效果", None, PART),
        ("中", None, PART),
        ("一般", None, PART),
        ("效果一般", "有效提升", PART),
        # then achieved
        ("达成", None, ACH),
        ("基本达成逐步提高目标", "逐步提高", ACH),
        ("达成预期指标", None, ACH),
        ("达到预期", None, ACH),
        ("已完成", None, ACH),
        ("完成", None, ACH),
        ("全部完成", None, ACH),
        ("符合预期", None, ACH),
        ("是", None, ACH),
        ("优", None, ACH),
        ("良", None, ACH),
        ("有效", None, ACH),
        ("達成", None, ACH),
        # restating the qualitative target
        ("持续", "持续", ACH),
        ("长期", "长期", ACH),
        ("不断提高", "不断提高", ACH),
        ("有效强化", "有效强化", ACH),
        ("长期有效", "长期", ACH),
        # cannot be judged
        ("正在推进", None, None),
        ("持续", None, None),
        ("长期", "持续", None),
        ("95%", "有效提升", None),
    ],
)
def test_parse_actual_qualitative(text: str, target: str | None, level: QualLevel | None) -> None:
    parsed_target = parse_target(target) if target else None
    assert not isinstance(parsed_target, TextProblem)
    assert parse_actual(text, parsed_target) == Qualitative(text, level)


def test_numeric_actual_against_qualitative_target() -> None:
    target = parse_target("有效提升")
    assert isinstance(target, Target)
    assert parse_actual(1, target) == Qualitative("1", None)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("≥abc5x个", "≥abc5x个"),
        ("5x个", "x个"),
        ("完成率95%，效果良好", "完成率95%，效果良好"),
        ("13月", "13"),
    ],
)
def test_parse_actual_unreadable(text: str, fragment: str) -> None:
    target = parse_target("≥2个")
    assert isinstance(target, Target)
    result = parse_actual(text, target)
    assert isinstance(result, TextProblem), result
    assert result.text == text
    assert fragment in result.message


@pytest.mark.parametrize("value", [None, "", " ", "无", "无此类指标", "不涉及"])
def test_parse_actual_blank_or_not_applicable(value: str | None) -> None:
    assert parse_actual(value, None) is None


@pytest.mark.parametrize(
    "value",
    [
        "无",
        "无此类指标",
        "无此项指标",
        "无该指标",
        "本项目无该指标",
        "本单位不涉及此项指标",
        "不涉及",
        "不适用",
        "/",
        "／",
        "—",
        "——",
        "-",
        "－",
        "N/A",
        "n/a",
        " 无此类指标。",
        "無此類指標",
    ],
)
def test_is_not_applicable(value: str) -> None:
    assert is_not_applicable(value)


@pytest.mark.parametrize("value", [None, "", 0, 1.5, "0", "≥2个", "无效", "持续", "无法完成"])
def test_is_applicable(value: object) -> None:
    assert not is_not_applicable(value)


def test_parsing_is_cached() -> None:
    assert parse_target("≥95%") is parse_target("≥95%")
    target = parse_target("≥2个")
    assert isinstance(target, Target)
    assert parse_actual("2个", target) is parse_actual("2个", target)


def test_wan_without_unit_is_counted_in_the_targets_base_unit():
    from perfxl.quantities import parse_actual, parse_target
    from perfxl.units import align

    target = parse_target("≤1.5万元")
    actual = parse_actual("1.6万", target)
    assert align(target.quantity, actual) == (Decimal("1.5"), Decimal("1.6"))  # 1.6万 = 1.6万元
    people = parse_target("≥1万人")
    # the target is counted in 万人, so 5万 is 5 of them
    assert align(people.quantity, parse_actual("5万", people)) == (Decimal(1), Decimal(5))


@pytest.mark.parametrize(
    ("text", "direction", "value"),
    [
        # look-alike signs read as the operators they mean (issue 8, item 5)
        ("═100%", EQ, "100"),
        ("≧95%", POS, "95"),
        ("≦5万元", REV, "5"),
        ("＞＝95%", POS, "95"),
        ("=>95%", POS, "95"),
        ("=<5万元", REV, "5"),
        ("〉=95%", POS, "95"),
        ("〈=5万元", REV, "5"),
        ("﹦100%", EQ, "100"),
        ("≥=95%", POS, "95"),
    ],
)
def test_look_alike_signs(text: str, direction: Direction, value: str) -> None:
    result = parse_target(text)
    assert isinstance(result, Target), result
    assert result.direction == direction
    assert result.quantity is not None and result.quantity.value == D(value)
    assert not result.bare  # a sign was written


def test_look_alike_equal_sign_scores_as_equality() -> None:
    # `═100%` against 100%: an equality target met exactly, rate 1 (it was 无法识别 before)
    from perfxl.model import Indicator
    from perfxl.profiles import load_profile
    from perfxl.scoring import score_row

    row = Indicator("产出指标", "质量指标", "验收合格率", "═100%", "100%", D(10), None)
    result = score_row(row, load_profile("mof2020"))
    assert (result.rate, result.score) == (D(1), D(10))
