"""Bare figures (issue 8, item 6): a target written without an operator is read by the
profile — at least by default, at most in cost rows and for names of bad outcomes — and
an info finding (PX022) says how. Every expected figure is worked out in its comment."""

from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import Direction, Indicator, Target
from perfxl.profiles import load_profile
from perfxl.quantities import parse_target
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")
XJPROP = load_profile("xj-prop")


def row(target, actual, weight=10, level2="数量指标", name="指标", score=None):
    return indicator(target, actual, weight, score, level2=level2, name=name)


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("90%", True),
        ("12次", True),
        ("覆盖率95%", True),  # a label is no operator
        ("为1项", True),  # 为 names no direction
        ("约100人", True),
        ("100人左右", True),
        ("=90%", False),
        ("等于90%", False),
        ("﹦90%", False),
        ("达到95%", False),  # 达到 is at least
        ("≥90%", False),
        ("90%以上", False),
        ("5万元以内", False),
        ("控制在5%", False),
        ("2023年12月", True),
        ("12月份", True),
        ("12月", True),
        ("12月底前", False),  # a deadline word
        ("2023年12月前", False),
    ],
)
def test_bare_flag(text, bare):
    target = parse_target(text)
    assert isinstance(target, Target)
    assert target.bare is bare


@pytest.mark.parametrize("value", [95, 0.9, D("4")])
def test_number_typed_in_the_cell_is_bare(value):
    target = parse_target(value)
    assert isinstance(target, Target) and target.bare


def test_bare_percent_is_at_least_by_default():
    # 90% bare, actual 100%: at least → 100/90 capped at 1 → 10 points of 10.
    # (The old "bare = equality" rule gave 1 − 10/90 = 0.8889 → 8.89.)
    result = score_row(row("90%", "100%"), MOF)
    assert (result.rate, result.score) == (D(1), D("10.00"))
    assert result.direction == Direction.POSITIVE
    (info,) = [f for f in result.findings if f.code == "PX022"]
    assert info.severity == "info"
    assert "90%" in info.message and "不低于" in info.message


def test_bare_count_under_target_is_proportional():
    # 12次 bare, actual 9次: 9/12 = 0.75 → 0.75 × 8 = 6 points
    result = score_row(row("12次", "9次", weight=8), MOF)
    assert (result.rate, result.score) == (D("0.75"), D("6.00"))


def test_bare_cost_row_is_at_most():
    # 成本指标 4万元 bare, actual 3.5万元: at most, under the cap → full 10
    result = score_row(row("4万元", "3.5万元", level2="成本指标"), MOF)
    assert (result.rate, result.score) == (D(1), D("10.00"))
    assert result.direction == Direction.REVERSE
    assert any("不高于" in f.message and "成本指标" in f.message for f in result.findings)
    # over the cap: 4 / 5 = 0.8 → 8 points (target over actual, mof2020)
    assert score_row(row("4万元", "5万元", level2="成本指标"), MOF).score == D("8.00")


def test_bare_cost_row_under_budget_use_profile():
    # xj-prop reads cost rows as budget use, actual / target: 3.5 / 4 = 0.875 → 8.75
    result = score_row(row("4万元", "3.5万元", level2="成本指标"), XJPROP)
    assert (result.rate, result.score) == (D("0.875"), D("8.75"))


def test_bad_outcome_names_are_at_most():
    # 投诉率 5% bare, actual 2%: at most → 5/2 capped → full 10
    result = score_row(row("5%", "2%", name="投诉率"), MOF)
    assert (result.rate, result.score) == (D(1), D("10.00"))
    assert any("投诉率" in f.message for f in result.findings if f.code == "PX022")
    # the same figure read at least would give 2/5 = 0.4 → 4 points
    other = score_row(row("5%", "2%", name="培训覆盖率"), MOF)
    assert other.score == D("4.00")
    # actual 8% against at most 5%: 5/8 = 0.625 → 6.25
    assert score_row(row("5%", "8%", name="安全事故发生率"), MOF).score == D("6.25")


def test_at_least_exceptions_win_over_bad_outcome_words():
    # 违规问题整改率 holds 违规 but also 整改: read at least; 100% target, 80% actual → 8
    result = score_row(row("100%", "80%", name="违规问题整改率"), MOF)
    assert result.score == D("8.00")


def test_explicit_equality_stays_equality():
    # =90% against 100%: deviation 1 − |100 − 90|/90 = 0.888… → 0.8889 × 10 = 8.889 → 8.89
    result = score_row(row("=90%", "100%"), MOF)
    assert (result.rate, result.score) == (D("0.8889"), D("8.89"))
    assert not [f for f in result.findings if f.code == "PX022"]


def test_daodao_is_at_least():
    # 达到95% against 98%: at least → full, no PX022 (a direction word was written)
    result = score_row(row("达到95%", "98%"), MOF)
    assert result.score == D("10.00")
    assert not [f for f in result.findings if f.code == "PX022"]


def test_bare_setting_equal_restores_equality(tmp_path):
    # [rows] bare = "equal": 90% against 100% is the deviation rule again → 8.89
    profile = profile_file(tmp_path, '[rows]\nbare = "equal"\n')
    result = score_row(row("90%", "100%"), profile)
    assert result.score == D("8.89")
    assert any("等于" in f.message for f in result.findings if f.code == "PX022")


def test_bare_setting_at_most(tmp_path):
    # [rows] bare = "at_most": 90% against 100% → 90/100 = 0.9 → 9 points
    profile = profile_file(tmp_path, '[rows]\nbare = "at_most"\n')
    assert score_row(row("90%", "100%"), profile).score == D("9.00")


def test_bare_cost_setting(tmp_path):
    # [rows] bare_cost = "at_least": 4万元 against 3.5万元 → 3.5/4 = 0.875 → 8.75
    profile = profile_file(tmp_path, '[rows]\nbare_cost = "at_least"\n')
    result = score_row(row("4万元", "3.5万元", level2="成本指标"), profile)
    assert result.score == D("8.75")


def test_bare_at_most_names_setting(tmp_path):
    # an empty list: 投诉率 5% bare reads at least, 2/5 → 4 points
    profile = profile_file(tmp_path, "[rows]\nbare_at_most_names = []\n")
    assert score_row(row("5%", "2%", name="投诉率"), profile).score == D("4.00")
    # and a county's own word: 缺陷 → at most, 5/2 capped → 10
    profile = profile_file(tmp_path, '[rows]\nbare_at_most_names = ["缺陷"]\n')
    assert score_row(row("5%", "2%", name="设备缺陷率"), profile).score == D("10.00")


def test_bare_at_least_names_setting(tmp_path):
    # without the exceptions, 违规问题整改率 100% against 80% reads at most: full 10
    profile = profile_file(tmp_path, "[rows]\nbare_at_least_names = []\n")
    assert score_row(row("100%", "80%", name="违规问题整改率"), profile).score == D("10.00")


def test_bad_bare_setting_is_a_profile_error(tmp_path):
    from perfxl.profiles import ProfileError

    with pytest.raises(ProfileError, match=r"rows\.bare"):
        profile_file(tmp_path, '[rows]\nbare = "more"\n')


def test_number_typed_in_the_target_cell():
    # a 95 typed as a number against 98: at least → full 10
    indicator = Indicator("产出指标", "质量指标", "合格率", "95", "98", D(10), None)
    assert score_row(indicator, MOF).score == D("10.00")


def test_execution_row_has_no_bare_finding():
    # the funds rule scores the row; how its bare 100% is read does not matter there
    result = score_row(
        row("100%", "112%", 5, level2="资金管理", name="预算执行率"),
        MOF,
    )
    assert result.method == Method.EXECUTION
    assert not [f for f in result.findings if f.code == "PX022"]


def test_zero_incidents_bare():
    # 安全事故0起 bare: at most (安全事故 is a bad outcome); 0 actual → full 10, 1起 → 0/1 → 0
    assert score_row(row("0起", "0起", name="安全事故"), MOF).score == D("10.00")
    assert score_row(row("0起", "1起", name="安全事故"), MOF).score == D("0.00")
