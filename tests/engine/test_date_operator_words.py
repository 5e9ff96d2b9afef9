"""早于, 晚于, 不早于, 不晚于 (and 迟于 / 不迟于) read as operators before a date or a number.

Before, these words were taken for a label and the date left bare, read as a deadline:
`不早于2023年12月` (≥) became its opposite (≤) and `早于2023年12月` (<) was met in December
(docs/testing.md, the 早于/晚于 note). Expected figures are worked out by hand below from
/work/shared/domain.md and the profile files: a date row is met (rate 100%) or not (rate
[deadlines] late_rate = 0 in both profiles); mof2020 scores rate × weight, xj-60 gives
full points at 100% and 0 below 60%. Months are whole: year × 12 + month.
"""

from decimal import Decimal as D

import pytest
from _rows import indicator

from perfxl.model import Direction, Quantity, Target
from perfxl.profiles import load_profile
from perfxl.quantities import parse_target
from perfxl.results import Method
from perfxl.scoring import score_row
from perfxl.units import DATE_UNIT, MONTH_OF_YEAR_UNIT

MOF = load_profile("mof2020")
XJ60 = load_profile("xj-60")
DECEMBER_2023 = Quantity(D(2023 * 12 + 12), DATE_UNIT)  # 24288


def row(target, actual, weight=10, level2="时效指标", name="完成时间"):
    return indicator(target, actual, weight, None, level2=level2, name=name)


def scored(result, rate, score):
    assert result.method == Method.COMPUTED, result.findings
    assert (result.rate, result.score) == (D(rate), D(score))


@pytest.mark.parametrize(
    ("text", "direction", "strict", "deadline"),
    [
        ("不早于2023年12月", Direction.POSITIVE, False, False),  # ≥: December or later
        ("晚于2023年12月", Direction.POSITIVE, True, False),  # >: January 2024 or later
        ("迟于2023年12月", Direction.POSITIVE, True, False),
        ("不晚于2023年12月", Direction.REVERSE, False, True),  # ≤: a deadline
        ("不迟于2023年12月", Direction.REVERSE, False, True),
        ("早于2023年12月", Direction.REVERSE, True, True),  # <: November or earlier
    ],
)
def test_time_words_read_as_operators(text, direction, strict, deadline):
    # not bare: the words are the operator, so no PX022 reading by the profile applies
    assert parse_target(text) == Target(
        text, direction, DECEMBER_2023, strict=strict, deadline=deadline, bare=False
    )


def test_a_month_after_a_time_word_is_a_month_of_the_year():
    # 不晚于12月 is "by December", not "at most twelve months"
    read = parse_target("不晚于12月")
    assert (read.direction, read.quantity, read.deadline) == (
        Direction.REVERSE,
        Quantity(D(12), MONTH_OF_YEAR_UNIT),
        True,
    )


def test_a_label_before_the_time_word_is_kept_apart():
    # 完成时间不晚于2023年12月: label 完成时间, operator 不晚于
    read = parse_target("完成时间不晚于2023年12月")
    assert (read.direction, read.deadline, read.bare) == (Direction.REVERSE, True, False)


def test_time_word_and_deadline_word_that_clash_are_a_problem():
    # 不早于 (≥) with 前 (before): the two directions contradict each other
    read = parse_target("不早于2023年12月前")
    assert read.message == "指标值“不早于2023年12月前”的比较方向前后矛盾"


@pytest.mark.parametrize(
    ("target", "actual", "rate", "mof", "xj"),
    [
        # 不早于2023年12月 (≥ 24288): November 24287 < 24288 → not met → rate 0:
        # mof 0 × 10 = 0.00; xj-60 0% < 60% → 0.00
        ("不早于2023年12月", "2023年11月", "0", "0.00", "0.00"),
        # December 24288 ≥ 24288 → met → 100%: mof 1 × 10 = 10.00, xj-60 full 10.00
        ("不早于2023年12月", "2023年12月", "1", "10.00", "10.00"),
        ("不早于2023年12月", "2024年3月", "1", "10.00", "10.00"),  # 24291 ≥ 24288
        # 晚于2023年12月 (> 24288): December itself is not later → 0; January 2024
        # (24289) is → 10.00
        ("晚于2023年12月", "2023年12月", "0", "0.00", "0.00"),
        ("晚于2023年12月", "2024年1月", "1", "10.00", "10.00"),
        # 不晚于2023年12月 (≤, a deadline): December and November met; January 2024 late
        ("不晚于2023年12月", "2023年12月", "1", "10.00", "10.00"),
        ("不晚于2023年12月", "2023年11月", "1", "10.00", "10.00"),
        ("不晚于2023年12月", "2024年1月", "0", "0.00", "0.00"),
        # 早于2023年12月 (<): November 24287 < 24288 met; December not (24288 < 24288
        # is false) → 0
        ("早于2023年12月", "2023年11月", "1", "10.00", "10.00"),
        ("早于2023年12月", "2023年12月", "0", "0.00", "0.00"),
        # 早于12月 with the month alone: 11月 met, 12月 not
        ("早于12月", "11月", "1", "10.00", "10.00"),
        ("早于12月", "12月", "0", "0.00", "0.00"),
        # 不晚于12月: 12月 on time, 次年1月 (month 13) late
        ("不晚于12月", "12月", "1", "10.00", "10.00"),
    ],
)
def test_time_words_before_a_date_are_scored(target, actual, rate, mof, xj):
    scored(score_row(row(target, actual), MOF), rate, mof)
    scored(score_row(row(target, actual), XJ60), rate, xj)


def test_the_same_deadline_with_a_sign_scores_alike():
    # <2023年12月 is the sign of 早于: December is not before December → 0 (both)
    scored(score_row(row("<2023年12月", "2023年12月"), MOF), "0", "0.00")
    scored(score_row(row(">2023年12月", "2023年12月"), XJ60), "0", "0.00")


def test_time_words_before_a_number():
    # 不早于95% reads as ≥95%: 90 / 95 = 0.947368…, rounded to the rate's 4 digits
    # 0.9474 → mof 10 × 0.9474 = 9.474 → 9.47; xj-60 (0.9474 − 0.6) / 0.4 × 10 = 8.685
    # → 8.69 (half up)
    target = "不早于95%"
    result = score_row(row(target, "90%", level2="质量指标", name="合格率"), MOF)
    assert result.direction == Direction.POSITIVE
    assert result.score == D("9.47")
    result = score_row(row(target, "90%", level2="质量指标", name="合格率"), XJ60)
    assert result.score == D("8.69")
    # 不晚于30天 reads as ≤30天 (not bare, so no PX022): 40天 → MoF target/actual
    # 30 / 40 = 0.75 → 7.50; xj-60 reverse (non-cost) is the same 0.75 →
    # (0.75 − 0.6) / 0.4 × 10 = 3.75
    result = score_row(row("不晚于30天", "40天", name="办理时限"), MOF)
    assert (result.direction, result.rate, result.score) == (
        Direction.REVERSE,
        D("0.75"),
        D("7.50"),
    )
    assert not [f for f in result.findings if f.code == "PX022"]
    assert score_row(row("不晚于30天", "40天", name="办理时限"), XJ60).score == D("3.75")
