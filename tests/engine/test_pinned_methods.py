"""Each scoring method with a case that tells it from the others (issue 14 item 1).

No shipped profile uses full_if_equal, linear_penalty or weighted completion today; they
are documented profile settings (docs, template guide), so each is pinned here with a
row whose figure differs under every alternative. full_above is in test_pinned_funds.
"""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import Direction, Target
from perfxl.profiles import (
    CompletionMethod,
    EqualMethod,
    ReverseMethod,
    ScoreMethod,
    load_profile,
)
from perfxl.rates import quantity_rate, score_from_rate
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")


def rate_of(profile, target, actual, level2="数量指标"):
    result = score_row(indicator(target, actual, 10, level2=level2), profile)
    assert result.method == Method.COMPUTED, result.findings
    return result.rate, result.score


@pytest.mark.parametrize(
    ("method", "actual", "rate", "score"),
    [
        # =44人 and 46人, 10 points:
        ("deviation", "46人", "0.9545", "9.55"),  # 1 − 2/44 = 0.954545 → 0.9545; 9.545 → 9.55
        ("proportional", "46人", "1", "10.00"),  # like ≥: 46/44 capped at 100%
        ("full_if_equal", "46人", "0", "0.00"),  # not equal: nothing
        ("full_if_equal", "44人", "1", "10.00"),  # equal: full
        ("full_if_equal", "40人", "0", "0.00"),  # below is not equal either
        ("proportional", "40人", "0.9091", "9.09"),  # 40/44 = 0.909090 → 0.9091
    ],
)
def test_equal_methods(tmp_path, method, actual, rate, score):
    profile = profile_file(tmp_path, f'[rows]\nequal = "{method}"\n')
    assert rate_of(profile, "=44人", actual) == (D(rate), D(score))


@pytest.mark.parametrize(
    ("method", "actual", "rate", "score"),
    [
        # ≤4万元 (a cost row), 10 points:
        ("target_over_actual", "5万元", "0.8", "8.00"),  # 4/5
        ("linear_penalty", "5万元", "0.75", "7.50"),  # 1 − (5 − 4)/4
        ("actual_over_target", "5万元", "1", "10.00"),  # 5/4 = 1.25 capped at 100%
        ("target_over_actual", "3万元", "1", "10.00"),  # under the cap: 4/3 capped
        ("linear_penalty", "3万元", "1", "10.00"),  # under the cap: full
        ("actual_over_target", "3万元", "0.75", "7.50"),  # budget use 3/4
        ("linear_penalty", "4万元", "1", "10.00"),  # at the cap: full
        ("linear_penalty", "8万元", "0", "0.00"),  # twice the cap: 1 − 4/4 = 0
        ("linear_penalty", "9万元", "0", "0.00"),  # beyond: 1 − 5/4 = −0.25, clamped at 0
    ],
)
def test_cost_methods(tmp_path, method, actual, rate, score):
    profile = profile_file(tmp_path, f'[rows]\ncost = "{method}"\n')
    assert rate_of(profile, "≤4万元", actual, level2="成本指标") == (D(rate), D(score))


@pytest.mark.parametrize(
    ("method", "actual", "ratio"),
    [
        # the uncapped ratio each method keeps (the far-above rule reads it)
        ("linear_penalty", "3万元", "1"),  # under the cap: 1, not 1 + 1/4
        ("linear_penalty", "5万元", "0.75"),
        ("target_over_actual", "2万元", "2"),  # 4/2
        ("actual_over_target", "5万元", "1.25"),  # 5/4
    ],
)
def test_cost_method_ratios(tmp_path, method, actual, ratio):
    profile = profile_file(tmp_path, f'[rows]\ncost = "{method}"\n')
    result = score_row(indicator("≤4万元", actual, 10, level2="成本指标"), profile)
    assert result.ratio == D(ratio)


@pytest.mark.parametrize(
    ("method", "rate"),
    [("target_over_actual", "0.8"), ("linear_penalty", "0.75"), ("actual_over_target", "1")],
)
def test_reverse_methods_apply_to_non_cost_rows(tmp_path, method, rate):
    # [rows] reverse governs ≤ rows outside the cost level-2 names: ≤4次 and 5次 as above
    profile = profile_file(tmp_path, f'[rows]\nreverse = "{method}"\n')
    assert rate_of(profile, "≤4次", "5次")[0] == D(rate)


def test_cost_and_reverse_are_separate_settings(tmp_path):
    # cost = linear_penalty leaves a ≤ row outside the cost names on target_over_actual
    profile = profile_file(tmp_path, '[rows]\ncost = "linear_penalty"\n')
    assert rate_of(profile, "≤4次", "5次")[0] == D("0.8")  # 4/5
    assert rate_of(profile, "≤4万元", "5万元", level2="成本指标")[0] == D("0.75")


def test_linear_penalty_with_target_zero(tmp_path):
    # ≤0万元 spent 0: at the cap, full
    profile = profile_file(tmp_path, '[rows]\ncost = "linear_penalty"\n')
    assert rate_of(profile, "≤0万元", "0万元", level2="成本指标")[0] == D(1)
    # spending 5万元 over a cap of 0 is over by more than the whole cap: 0, as
    # actual_over_target gives (it once read 100%, no relative excess being formed)
    assert rate_of(profile, "≤0万元", "5万元", level2="成本指标")[0] == D(0)


def test_cap_above_one(tmp_path):
    # [rows] cap = 1.2: over-achievement counts up to 120% in the rate: 60/50 = 1.2,
    # 70/50 = 1.4 → 1.2; the score stays at most the weight (min(rate, 1) × 10)
    profile = profile_file(tmp_path, "[rows]\ncap = 1.2\n")
    assert rate_of(profile, "≥50个", "60个") == (D("1.2"), D("10.00"))
    assert rate_of(profile, "≥50个", "70个") == (D("1.2"), D("10.00"))


@pytest.mark.parametrize(
    ("method", "rate", "points"),
    [
        ("proportional", "0.7", "7.0"),  # 0.7 × 10
        ("threshold", "0.7", "2.5"),  # (0.7 − 0.6)/0.4 × 10 = 2.5
        ("full_above", "0.7", "7.0"),  # below full_at 0.95: proportional
        ("full_above", "0.95", "10"),  # at full_at: the weight
        ("threshold", "1", "10"),  # 100%: the weight
        ("threshold", "0.6", "0"),  # at the threshold: 0/0.4 × 10 = 0
        ("threshold", "0.5", "0"),  # below: 0
        ("proportional", "1.3", "10"),  # capped: min(1.3, 1) × 10
        ("proportional", "-0.2", "0"),  # a negative rate counts as 0
        ("threshold", "-0.2", "0"),
    ],
)
def test_score_from_rate(method, rate, points):
    got = score_from_rate(D(rate), D(10), method, D("0.6"), D("0.95"))
    assert got == D(points)


def test_threshold_scores_rows_under_xj60():
    # xj-60 rows: ≥100个 and 90个 → 90% → (0.9 − 0.6)/0.4 × 4 = 3 points
    assert rate_of(load_profile("xj-60"), "≥100个", "90个")[1] == D("7.50")  # × 10 = 7.5


def test_quantity_rate_ratio_of_a_positive_row():
    # ≥50个 and 75个: rate capped at 1, ratio 1.5 kept for the far-above rule
    target = Target("≥50个", Direction.POSITIVE)
    assert quantity_rate(target, D(75), D(50), MOF, cost=False) == (D(1), D("1.5"))
    # a positive target of 0 is met by anything: rate and ratio 1
    assert quantity_rate(target, D(3), D(0), MOF, cost=False) == (D(1), D(1))


def test_profile_methods_are_read_into_enums():
    # a profile's method names are enum members, so the engine selects by member and an
    # unknown name is an error at once rather than an `else` that scores it some other way
    assert MOF.rows.score is ScoreMethod.PROPORTIONAL
    assert MOF.rows.reverse is ReverseMethod.TARGET_OVER_ACTUAL
    assert MOF.rows.equal is EqualMethod.DEVIATION
    assert load_profile("xj-60").execution.method is ScoreMethod.THRESHOLD
    assert MOF.completion is CompletionMethod.MEAN


def test_an_unknown_method_is_an_error_not_a_fallback():
    with pytest.raises(ValueError, match="unknown scoring method"):
        score_from_rate(D("0.5"), D(10), "halves", D("0.6"), D("0.95"))
    target = Target("≤4个", Direction.REVERSE)
    rules = replace(MOF.rows, reverse="halves")
    with pytest.raises(ValueError, match="unknown reverse method"):
        quantity_rate(target, D(5), D(4), replace(MOF, rows=rules), cost=False)
    equal = Target("=4个", Direction.EQUAL)
    rules = replace(MOF.rows, equal="halves")
    with pytest.raises(ValueError, match="unknown equal method"):
        quantity_rate(equal, D(5), D(4), replace(MOF, rows=rules), cost=False)
