"""Approximate figures in published tables (issue 8, realworld 宣城 case): `200余人`,
`10多个`, `3000余万元` say "a little over N". Read conservatively as N (at least N is
certain), never as a unit 余人 that cannot be read. `近200人` (nearly 200) is below N
and its figure is unknown: a question to the user, never read as 200."""

from decimal import Decimal as D

import pytest

from perfxl.model import Indicator, Quantity, TextProblem
from perfxl.profiles import load_profile
from perfxl.quantities import parse_actual, parse_target
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")


def read(text, target="≥200人"):
    result = parse_actual(text, parse_target(target))
    assert isinstance(result, Quantity), result
    return result.value, result.unit.text if result.unit else None


@pytest.mark.parametrize(
    ("text", "target", "value", "unit"),
    [
        ("200余人", "≥200人", D("200"), "人"),  # 余 after the number: at least 200
        ("600余人", "500", D("600"), "人"),
        ("10多个", "≥10个", D("10"), "个"),  # 多 after the number: at least 10
        ("10余次/年", "≥10次/年", D("10"), "次/年"),
        ("3000余万元", "≤5000万元", D("3000"), "万元"),  # 余 before a unit that starts with 万
        ("1.2万余元", "≤2万元", D("1.2"), "万元"),  # 万余元 = 万元 (1.2 万元)
        ("3万多人", "≥2万人", D("3"), "万人"),
        ("95%余", "≥90%", D("95"), "%"),
        ("200余人以上", "≥200人", D("200"), "人"),  # suffix then 余
    ],
)
def test_a_little_over_reads_as_the_figure(text, target, value, unit):
    assert read(text, target) == (value, unit)


def test_bare_approximate_number_takes_the_targets_unit():
    # `200余` and `200多` carry no unit; a bare actual takes the target's unit later
    for text in ("200余", "200多"):
        result = parse_actual(text, parse_target("≥200人"))
        assert isinstance(result, Quantity) and result.value == D("200")


def test_ten_thousand_and_a_little_over_takes_the_targets_unit():
    # `3万余` has no unit: 3 × 10000 = 30000 people = 3 万人, not 30000 万人
    assert read("3万余", "≥2万人") == (D("3"), "万人")


def test_target_with_approximate_figure_is_a_bare_figure():
    target = parse_target("200余人")
    assert not isinstance(target, TextProblem) and target is not None
    assert target.quantity == Quantity(D("200"), target.quantity.unit)
    assert target.quantity.unit.text == "人" and target.bare


def test_more_than_operator_still_reads():
    # 多于 before the number is the strict ≥ operator, untouched by the 多 reading
    target = parse_target("多于200人")
    assert target.quantity.value == D("200") and target.strict


@pytest.mark.parametrize("text", ["近200人", "将近200人", "接近200人", "不到200人"])
def test_nearly_is_a_question_not_the_figure(text):
    # nearly 200 is below 200 by an unknown amount: reading 200 would be full marks
    result = parse_actual(text, parse_target("≥200人"))
    assert isinstance(result, TextProblem)
    assert "约数" in result.message and "200" in result.message


def row(target, actual, weight=10):
    return Indicator("产出指标", "数量指标", "接受业务培训人数", target, actual, D(weight), None)


def test_scored_rows_with_approximate_actuals():
    # bare 200 read as at least; 200余人 → 200 → 200/200 = 1 → 10 × 1 = 10
    result = score_row(row(200, "200余人"), MOF)
    assert (result.method, result.rate, result.score) == (Method.COMPUTED, D("1"), D("10.00"))
    # ≥500人 against 400余人 → 400/500 = 0.8 → 10 × 0.8 = 8
    result = score_row(row("≥500人", "400余人"), MOF)
    assert (result.rate, result.score) == (D("0.8"), D("8.00"))
    # ≥20个 against 15多个 → 15/20 = 0.75 → 10 × 0.75 = 7.5
    result = score_row(row("≥20个", "15多个"), MOF)
    assert (result.rate, result.score) == (D("0.75"), D("7.50"))


def test_nearly_row_is_not_scored_full():
    # 近500人 against ≥500人: not met for certain, figure unknown → 0 with PX011, not 10
    result = score_row(row("≥500人", "近500人"), MOF)
    assert result.method == Method.UNSCORED and result.score == D("0")
    assert [f.code for f in result.findings] == ["PX011"]


def test_a_figure_in_exponent_form_reads_as_written_out():
    # issue 8 item 3: `4.65e5元` in a funds cell is 4.65 × 10^5 元 = 465,000 元 = 46.5 万元
    quantity = parse_actual("4.65e5元", None)
    assert quantity.value == D("465000")
    assert str(quantity.value) == "465000"
    assert quantity.unit.text == "元"
    target = parse_target("≥1E2个")
    assert target.quantity.value == D("100")
    # a lone `e` after a number is not an exponent: still an unknown unit
    assert isinstance(parse_actual("2e人", None), TextProblem)
