"""Funds rates (预算执行率, 资金到位率) and their points, pinned by hand (issue 14 item 1)."""

from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.rates import arrival_rate, execution_rate, funds_points, funds_rate
from perfxl.results import Method
from perfxl.scoring import score_row, score_table

MOF = load_profile("mof2020")
XJ60 = load_profile("xj-60")
XJPROP = load_profile("xj-prop")


def test_budget_of_zero_falls_through_to_initial_budget():
    # 全年预算数 0 cannot divide: mof2020 names budget then initial_budget, so
    # 60 / 年初预算数 80 = 0.75
    funds = Funds(initial_budget=D(80), budget=D(0), spent=D(60))
    assert execution_rate(funds, MOF) == D("0.75")


def test_budget_of_exactly_one():
    # 全年预算数 1 (万元) is a budget like any other: 1 / 1 = 100%, not 1 / 年初预算数 2
    funds = Funds(initial_budget=D(2), budget=D(1), spent=D(1))
    assert execution_rate(funds, MOF) == D(1)


def test_missing_budget_falls_through():
    # 全年预算数 blank: 45 / 年初预算数 50 = 0.9
    assert execution_rate(Funds(initial_budget=D(50), spent=D(45)), MOF) == D("0.9")


def test_no_denominator_gives_no_rate():
    assert execution_rate(Funds(spent=D(45)), MOF) is None
    assert execution_rate(Funds(budget=D(0), initial_budget=D(0), spent=D(45)), MOF) is None


def test_xj_execution_divides_by_received_first():
    # xj-prop: 实际支出 / 实际到位资金 first: 34.79 / 100 = 0.3479 (seed 002), not / 200
    funds = Funds(budget=D(200), received=D(100), spent=D("34.79"))
    assert execution_rate(funds, XJPROP) == D("0.3479")


def test_a_denominator_named_like_the_numerator_is_skipped(tmp_path):
    # an arrival rule that lists received among its denominators: received / received
    # would always be 100%, so it is skipped and the next one taken: 80 / 100 = 0.8
    profile = profile_file(tmp_path, '[arrival]\ndenominator = ["received", "budget"]\n')
    funds = Funds(budget=D(100), received=D(80))
    assert funds_rate(funds, profile.arrival, "received") == D("0.8")
    assert arrival_rate(funds, profile) == D("0.8")


def test_arrival_rate_is_rounded_to_rate_digits():
    # 到位 80.123456 of 预算 100 = 0.80123456 → 4 decimals (rate_digits 4): 0.8012
    assert arrival_rate(Funds(budget=D(100), received=D("80.123456")), MOF) == D("0.8012")
    assert arrival_rate(Funds(budget=D(100)), MOF) is None


def test_execution_rate_is_rounded_half_up():
    # 2 / 3 = 0.666666… → 0.6667; 1 / 8 = 0.125 exactly; 0.00005 → 0.0001 (half up)
    assert execution_rate(Funds(budget=D(3), spent=D(2)), MOF) == D("0.6667")
    assert execution_rate(Funds(budget=D(100000), spent=D(5)), MOF) == D("0.0001")


def test_reported_rate_only_when_the_amounts_give_none():
    # an amount the reader could not use (rate_fallback): the typed 执行率 90% stands in
    unread = Funds(budget=D(100), spent=None, reported_rate=D("0.9"), rate_fallback=True)
    assert execution_rate(unread, MOF) == D("0.9")
    # the amounts give 80 / 100 = 0.8: they win over the typed 50%
    read = Funds(budget=D(100), spent=D(80), reported_rate=D("0.5"), rate_fallback=True)
    assert execution_rate(read, MOF) == D("0.8")
    # no reader problem: a typed rate without amounts is not taken (PX016 instead)
    typed = Funds(budget=D(100), spent=None, reported_rate=D("0.9"))
    assert execution_rate(typed, MOF) is None


@pytest.mark.parametrize(
    ("profile", "rate", "weight", "points"),
    [
        # seed 003 under xj-60: (0.8182 − 0.6) / 0.4 × 5 = 0.2182 / 0.4 × 5 = 2.7275 → 2.73
        (XJ60, "0.8182", 5, "2.73"),
        (XJ60, "0.6", 5, "0.00"),  # at the threshold: (0.6 − 0.6) / 0.4 × 5 = 0
        (XJ60, "0.5999", 5, "0.00"),  # below the threshold: 0
        (XJ60, "1.2", 5, "5"),  # above 100%: full, the weight itself
        # seed 002 under xj-prop: 10 × 0.3479 = 3.479 → 3.48
        (XJPROP, "0.3479", 10, "3.48"),
        (MOF, "1.2", 10, "10.00"),  # proportional caps at 100%: min(1.2, 1) × 10
        (MOF, "-0.1", 10, "0.00"),  # a negative rate (a refund) scores 0, never below
    ],
)
def test_funds_points(profile, rate, weight, points):
    assert funds_points(D(rate), D(weight), profile.execution, profile) == D(points)


def test_funds_points_rounds_the_rate_first():
    # MoF: rate 0.81825 rounds to 0.8183 (rate_digits 4, half up) before scoring:
    # 0.8183 × 10 = 8.183 → 8.18; unrounded 8.1825 would round to 8.18 too, so use
    # xj-60: (0.8183 − 0.6) / 0.4 × 5 = 2.72875 → 2.73, unrounded rate gives
    # (0.81825 − 0.6) / 0.4 × 5 = 2.728125 → 2.73 as well; weight 100 tells them apart:
    # (0.8183 − 0.6) / 0.4 × 100 = 54.575 → 54.58 vs 54.5625 → 54.56
    assert funds_points(D("0.81825"), D(100), XJ60.execution, XJ60) == D("54.58")


def test_funds_points_keep_the_profiles_score_digits(tmp_path):
    # score_digits 1: xj-60-like threshold points 2.7275 → 2.7 (the report prints 2.7)
    profile = profile_file(
        tmp_path,
        '[rounding]\nscore_digits = 1\n[execution]\nmethod = "threshold"\nthreshold = 0.6\n',
    )
    assert funds_points(D("0.8182"), D(5), profile.execution, profile) == D("2.7")


def test_truncated_points():
    # Shanxi 2020: whole points cut down: 10 × 0.991 = 9.91 → 9
    rule = MOF.execution.__class__(**{**MOF.execution.__dict__, "points_rounding": "truncate"})
    assert funds_points(D("0.991"), D(10), rule, MOF) == D(9)


@pytest.mark.parametrize(
    ("rate", "points", "why"),
    [
        ("0.96", "10.00", "0.96 ≥ full_at 0.95: full 10"),
        ("0.95", "10.00", "exactly full_at: full 10"),
        ("0.94", "9.40", "below full_at: proportional 0.94 × 10 = 9.4"),
        ("0.5", "5.00", "proportional 0.5 × 10 = 5 (threshold would give 0)"),
    ],
)
def test_full_above(tmp_path, rate, points, why):
    # a Fujian table: execution above 95% is full marks, proportional below
    profile = profile_file(tmp_path, '[execution]\nmethod = "full_above"\nfull_at = 0.95\n')
    assert funds_points(D(rate), D(10), profile.execution, profile) == D(points), why


def test_execution_row_named_with_percent_in_brackets():
    # `预算执行率（%）` is the execution row: 80 / 100 = 80% × 10 = 8 (not a row whose
    # target is missing)
    row = indicator(None, None, 10, level1="预算执行率", name="预算执行率（%）")
    rates = {Method.EXECUTION: D("0.8")}
    result = score_row(row, MOF, rates)
    assert (result.method, result.rate, result.score) == (Method.EXECUTION, D("0.8"), D("8.00"))


def test_arrival_row_is_scored_from_the_funds_block():
    # 资金到位率 row: 90 / 100 = 90% × 10 = 9
    row = indicator(None, None, 10, level1="过程", name="资金到位率")
    result = score_row(row, MOF, {Method.ARRIVAL: D("0.9")})
    assert (result.method, result.rate, result.score) == (Method.ARRIVAL, D("0.9"), D("9.00"))


def test_execution_row_without_funds_uses_its_own_actual():
    # no funds block: the row's own bare 100% against 85% → 85/100 = 85% × 10 = 8.5;
    # the PX022 reading of the bare figure is not reported (the funds rule scores it)
    row = indicator("100%", "85%", 10, level1="预算执行率", name="预算执行率")
    result = score_row(row, MOF, {})
    assert (result.method, result.rate, result.score) == (Method.EXECUTION, D("0.85"), D("8.50"))
    assert not [f for f in result.findings if f.code == "PX022"]
    # and an actual above 100% is capped in the rate, kept in the ratio: 110% → 10
    over = score_row(indicator("≥100%", "110%", 10, name="预算执行率"), MOF, {})
    assert (over.rate, over.ratio, over.score) == (D(1), D("1.1"), D("10.00"))


def test_execution_row_without_funds_nor_actual_is_unscored():
    row = indicator("≥90%", None, 10, level1="预算执行率", name="预算执行率")
    result = score_row(row, MOF, {})
    assert result.method == Method.UNSCORED
    assert "PX016" in [f.code for f in result.findings]


def test_table_execution_from_funds_block_with_weight():
    # the national form scores 预算执行率 in its funds block (分值 10): 90 / 100 = 90%
    # → 9 points, plus one indicator ≥2个 / 2个 of 90 → 90; total 99
    table = IndicatorTable(
        "Sheet1",
        funds=Funds(budget=D(100), spent=D(90), weight=D(10)),
        indicators=(indicator("≥2个", "2个", 90),),
    )
    result = score_table(table, MOF)
    assert result.rows[0].method == Method.EXECUTION
    assert result.rows[0].score == D("9.00")
    assert (result.total, result.grade, result.execution_rate) == (D("99.00"), "优", D("0.9"))
