"""Reading targets, actuals and units: the cases the mutation run found unpinned
(issue 14 item 1). Each expected value is what the cell means to a clerk."""

from decimal import Decimal as D

import pytest

from perfxl.model import Quantity, TextProblem
from perfxl.quantities import parse_actual, parse_target
from perfxl.units import (
    DATE_UNIT,
    MONTH_OF_YEAR_UNIT,
    align,
    align_calendar,
    describe,
    is_month_number,
    lookup_unit,
)


def unit_text(value):
    assert isinstance(value, Quantity), value
    return None if value.unit is None else value.unit.text


def test_too_long_text_names_its_length_and_start():
    text = "0123456789" * 30  # 300 characters, over the 200 a cell may hold
    problem = parse_target(text)
    assert isinstance(problem, TextProblem)
    assert problem.text == text
    assert problem.message == (
        "指标值文字过长（300 个字符，最多 200 个）：“01234567890123456789…”，"
        "请只填写指标值或数值，说明写入备注"
    )


@pytest.mark.parametrize(
    ("text", "month"),
    [("2023-11", 11), ("2023/11/05", 11), ("2023.11.05", 11), ("2023年11月", 11)],
)
def test_dates_in_every_spelling(text, month):
    # year × 12 + month: 2023 × 12 + 11 = 24287
    assert parse_actual(text) == Quantity(D(2023 * 12 + month), DATE_UNIT)


@pytest.mark.parametrize(
    "text", ["2023年11月32日", "2023-11-32", "2023.11.32", "2023年11月0日", "2023年13月"]
)
def test_impossible_days_and_months(text):
    assert isinstance(parse_actual(text), TextProblem)


@pytest.mark.parametrize("text", ["2023年11月31日", "2023年11月1日", "2023-11-01", "2023.11.31"])
def test_possible_days(text):
    # the day is checked against 1..31 only; it does not change the month's value
    assert parse_actual(text) == Quantity(D(2023 * 12 + 11), DATE_UNIT)


def test_month_day_without_year():
    # 11月5日 against a deadline: the 11th month of the table's year
    target = parse_target("12月底前")
    assert parse_actual("11月5日", target) == Quantity(D(11), MONTH_OF_YEAR_UNIT)
    assert isinstance(parse_actual("11月32日", target), TextProblem)


def test_year_end_words_make_a_deadline():
    # 2023年末 and 2023年底 mean by December 2023: a deadline (≤), not a bare date
    for text in ("2023年末", "2023年底"):
        target = parse_target(text)
        assert (target.deadline, target.bare) == (True, False), text
        assert target.quantity == Quantity(D(2023 * 12 + 12), DATE_UNIT)


def test_next_year_month():
    # 次年1月 is month 13 of the table's frame (1 + 12)
    target = parse_target("12月底前")
    assert parse_actual("次年1月", target) == Quantity(D(13), MONTH_OF_YEAR_UNIT)


def test_unit_in_brackets():
    # ≥5(个) is ≥5个; a closing bracket alone is not a unit
    assert unit_text(parse_target("≥5(个)").quantity) == "个"
    assert isinstance(parse_target("≥5个)"), TextProblem)
    assert isinstance(parse_target("≥5(个"), TextProblem)
    # ≥5(万) is 50000: the bracket is taken off before 万 is read as a multiplier
    assert parse_target("≥5(万)").quantity == Quantity(D(50000))


@pytest.mark.parametrize("year", ["1900", "2000", "2100"])
def test_a_year_alone_is_no_month(year):
    # ≥2023年 names a year, not a number of years: which month is meant is unknown
    problem = parse_target(f"≥{year}年")
    assert isinstance(problem, TextProblem)
    assert problem.message == f"指标值“≥{year}年”：只写了年份，无法确定月份"


@pytest.mark.parametrize("years", ["1899", "2101", "3"])
def test_numbers_of_years_outside_the_calendar_range(years):
    # outside 1900–2100 a figure before 年 is a duration (3年 = 36 months)
    assert unit_text(parse_target(f"≥{years}年").quantity) == "年"


def test_a_little_over_money():
    # 1.2万余元 is at least 1.2万元 (万 stays with 元), not 12000 without a unit
    read = parse_actual("1.2万余元")
    assert (read.value, unit_text(read)) == (D("1.2"), "万元")


def test_recently_is_not_nearly():
    # 最近 ends in 近 but means "recently": 最近200人 is 200人; 近200人 is not a figure
    assert parse_actual("最近200人") == Quantity(D(200), lookup_unit("人"))
    assert isinstance(parse_actual("近200人"), TextProblem)


def test_unit_before_a_noun_takes_the_longest_unit():
    # 500人次群众 counts 人次 (person-times), not 人
    assert unit_text(parse_actual("500人次群众")) == "人次"
    assert unit_text(parse_actual("2个村")) == "个"


def test_a_unit_before_a_time_word_is_not_read():
    # 2个后续项目 / 3天后: a word with 后 (or 前) after the unit is a time, not what is
    # counted; such a text is asked about rather than read as 2个
    assert isinstance(parse_actual("2个后续项目"), TextProblem)
    assert isinstance(parse_actual("2个前期项目"), TextProblem)


def test_ten_thousand_without_unit():
    # 1.6万 alone is 16000 (no target to take a unit from)
    assert parse_actual("1.6万") == Quantity(D(16000))
    # against ≤1.5万元 it is 1.6万元 (the target's unit), against ≥95% the plain 16000
    assert parse_actual("1.6万", parse_target("≤1.5万元")) == Quantity(
        D("1.6"), lookup_unit("万元")
    )
    assert parse_actual("1.6万", parse_target("≥95%")) == Quantity(D(16000))
    # against ≥3个 (a count): 16000个
    assert parse_actual("1.6万", parse_target("≥3个")) == Quantity(D(16000), lookup_unit("个"))
    # a bare figure keeps no unit of its own
    assert parse_actual("5", parse_target("≥3个")) == Quantity(D(5))


def test_a_month_against_a_date_target_is_a_month_of_year():
    # =2023年12月 is a date: 12月 in the actual is December, not 12 months
    assert parse_actual("12月", parse_target("=2023年12月")) == Quantity(D(12), MONTH_OF_YEAR_UNIT)
    # against a plain figure it is 12 months
    assert unit_text(parse_actual("12月", parse_target("≥5"))) == "月"
    assert unit_text(parse_actual("12月")) == "月"


def test_compound_units_convert_their_numerator():
    # 万元/人 is 10000 元/人: ≥1万元/人 against 8000元/人 → (1, 0.8) in 万元/人
    unit = lookup_unit("万元/人")
    assert (unit.text, unit.dimension, unit.factor) == ("万元/人", "money/人", D(10000))
    target = parse_target("≥1万元/人").quantity
    assert align(target, parse_actual("8000元/人")) == (D(1), D("0.8"))
    assert lookup_unit("年月/人") is None  # a calendar date has no rate
    assert lookup_unit("年/人").factor == D(12)  # years per person: 12 months each
    assert lookup_unit("个/") is None


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (Quantity(D("1E+1")), "10"),  # written out, never 1E+1
        (Quantity(D("1E+1"), lookup_unit("个")), "10个"),
        (Quantity(D("1E+1"), MONTH_OF_YEAR_UNIT), "10月"),
        (Quantity(D("1.3E+1"), MONTH_OF_YEAR_UNIT), "次年1月"),
        (Quantity(D("2.2E+1"), MONTH_OF_YEAR_UNIT), "次年10月"),  # 22 − 12, written out
        (Quantity(D(2023 * 12 + 12), DATE_UNIT), "2023年12月"),
        (Quantity(D(2024 * 12 + 1), DATE_UNIT), "2024年1月"),
    ],
)
def test_describe(quantity, text):
    assert describe(quantity) == text


@pytest.mark.parametrize(("value", "month"), [(1, True), (12, True), (0, False), (13, False)])
def test_month_numbers(value, month):
    assert is_month_number(Quantity(D(value), lookup_unit("月"))) is month


def test_align_percent_against_a_bare_figure():
    # ≥95% against 0.95: 95% (a fraction ≤ 1 read as a share); against 1: 100%
    pct = parse_target("≥95%").quantity
    assert align(pct, Quantity(D("0.95"))) == (D(95), D(95))
    assert align(pct, Quantity(D(1))) == (D(95), D(100))
    assert align(pct, Quantity(D(2))) == (D(95), D(2))  # 2 is 2%, not 200%
    # ≥1% against 0.5: a target of 1% or less keeps a bare 0.5 as 0.5%
    assert align(parse_target("≥1%").quantity, Quantity(D("0.5"))) == (D(1), D("0.5"))


def test_align_bare_target_against_a_percent():
    # a bare 0.95 against 96%: 95 vs 96; a bare 1 means 100%; 2 and 95 stay as written
    assert align(Quantity(D("0.95")), parse_actual("96%")) == (D(95), D(96))
    assert align(Quantity(D(1)), parse_actual("96%")) == (D(100), D(96))
    assert align(Quantity(D(2)), parse_actual("96%")) == (D(2), D(96))
    assert align(Quantity(D(95)), parse_actual("96%")) == (D(95), D(96))
    # against 1%: a bare 0.5 is 50% only when the actual is above 1 (%): here it stays
    assert align(Quantity(D("0.5")), parse_actual("1%")) == (D("0.5"), D(1))


def test_align_refuses_months_of_the_next_year_as_counts():
    # 12月 (month of year) against 次年1月 (13): align has no calendar to place them
    problem = align(Quantity(D(12), MONTH_OF_YEAR_UNIT), Quantity(D(13), MONTH_OF_YEAR_UNIT))
    assert isinstance(problem, TextProblem)


def test_align_calendar_takes_a_plain_month_as_a_month_of_year():
    # 2023年12月 against 11 (月): November of the target's year 2023
    dec = Quantity(D(2023 * 12 + 12), DATE_UNIT)
    assert align_calendar(dec, Quantity(D(11), lookup_unit("月")), None) == (
        D(2023 * 12 + 12),
        D(2023 * 12 + 11),
    )
    # 3个月 is a duration: not placed in the calendar
    assert align_calendar(dec, Quantity(D(3), lookup_unit("个月")), None) is None


def test_align_calendar_target_in_january():
    # 2024年1月前 against 12月 without a year: the target's year 2024 → 2024-12, late
    jan = Quantity(D(2024 * 12 + 1), DATE_UNIT)
    assert align_calendar(jan, Quantity(D(12), MONTH_OF_YEAR_UNIT), None) == (
        D(2024 * 12 + 1),
        D(2024 * 12 + 12),
    )


def test_align_calendar_unknown_year_is_asked():
    problem = align_calendar(
        Quantity(D(12), MONTH_OF_YEAR_UNIT), Quantity(D(2024 * 12 + 1), DATE_UNIT), None
    )
    assert isinstance(problem, TextProblem)
    assert problem.text == "2024年1月"
    assert problem.message == (
        "实际完成值“2024年1月”写明了年份，指标值“12月”未写年份，"
        "且表中未找到年度（标题“（××××年度）”、自评年度或文件名），无法判断是否按期完成"
    )


def test_align_calendar_plain_month_against_a_month_of_year():
    # 12月 (December) against 11 (月, a month number): both months of the table's year
    assert align_calendar(
        Quantity(D(12), MONTH_OF_YEAR_UNIT), Quantity(D(11), lookup_unit("月")), None
    ) == (D(12), D(11))


@pytest.mark.parametrize("parse", [parse_target, parse_actual])
def test_typed_cells(parse):
    # cells the reader hands over as Python values, not text
    import datetime

    what = "指标值" if parse is parse_target else "实际完成值"
    for odd in (True, D("NaN"), float("inf")):
        problem = parse(odd)
        assert problem == TextProblem(str(odd), f"{what}“{odd}”不是数值或文字，无法识别")
    assert parse(None) is None
    # a date cell is its month: 2023-11-05 → 2023 × 12 + 11
    for day in (datetime.date(2023, 11, 5), datetime.datetime(2023, 11, 5, 8, 30)):
        read = parse(day)
        read = read if parse is parse_actual else read.quantity
        assert read == Quantity(D(2023 * 12 + 11), DATE_UNIT)
    read = parse(D("0.95"))
    read = read if parse is parse_actual else read.quantity
    assert read == Quantity(D("0.95"))


def test_too_long_raw_text_is_refused_before_reading():
    # over 800 characters as typed: refused on its raw length, which the message gives
    text = "x" * 801
    problem = parse_actual(text)
    assert problem == TextProblem(
        text,
        "实际完成值文字过长（801 个字符，最多 200 个）：“xxxxxxxxxxxxxxxxxxxx…”，"
        "请只填写指标值或数值，说明写入备注",
    )
    # exactly 800 typed characters are read first: spaces dropped, 400 remain, too long
    spaced = "x " * 400
    assert "（400 个字符，最多 200 个）" in parse_actual(spaced).message
    assert "（400 个字符，最多 200 个）" in parse_target(spaced).message
    assert parse_target(text) == TextProblem(
        text,
        "指标值文字过长（801 个字符，最多 200 个）：“xxxxxxxxxxxxxxxxxxxx…”，"
        "请只填写指标值或数值，说明写入备注",
    )


def test_typed_target_keeps_its_text():
    import datetime

    assert parse_target(D("0.95")).text == "0.95"
    assert parse_target(95).text == "95"
    assert parse_target(datetime.date(2023, 11, 5)).text == "2023-11-05"


def test_not_applicable_up_to_the_raw_limit():
    from perfxl.quantities import is_not_applicable

    # 无 padded with spaces to 800 typed characters still says "does not apply";
    # at 801 the text is refused unread (a problem, not a row left out)
    assert is_not_applicable("无" + " " * 799) is True
    assert is_not_applicable("无" + " " * 800) is False


def test_only_a_whole_bracket_is_dropped_from_a_unit():
    # (人) is 人; a half bracket is a typo the clerk is asked about, not 人: "(人次" and
    # "人次)" are no unit (stripping one character from each end would leave 人)
    assert lookup_unit("(人)").text == "人"
    assert lookup_unit("(人次") is None
    assert lookup_unit("人次)") is None


def test_wan_multiplies_counts_but_not_money():
    # 万 before a count multiplies it: 万人次 = 10,000 人次 …
    assert (lookup_unit("万人次").text, lookup_unit("万人次").factor) == ("万人次", D(10000))
    # … but money units spell their own scale (元, 千元, 万元, 亿元): 万千元 and 万亿元 are
    # no unit, not 10,000 × 1,000 元 or 10,000 × 100,000,000 元
    assert lookup_unit("万千元") is None
    assert lookup_unit("万亿元") is None
