"""Satisfaction words below the target (issue 8, item 8): 较满意, 比较满意, 基本满意
against 满意 (or a ≥90% 满意度 target) are 部分达成 with a warning (PX024), not full
marks. Band figures are mof2020's: 部分达成 is (60%, 80%], scored at its top, 80%."""

from decimal import Decimal as D

import pytest

from perfxl.model import Indicator, QualLevel
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")


def row(target, actual, score=None):
    return Indicator(
        "满意度指标",
        "服务对象满意度指标",
        "受益群众满意度",
        target,
        actual,
        D(10),
        None if score is None else D(str(score)),
    )


@pytest.mark.parametrize("actual", ["较满意", "比较满意", "基本满意", "群众基本满意"])
def test_lesser_satisfaction_is_partly_met(actual):
    # 部分达成 band top 80% × 10 = 8 points, and a warning
    result = score_row(row("满意", actual), MOF)
    assert result.method == Method.QUALITATIVE
    assert result.level == QualLevel.PARTIAL
    assert (result.rate, result.score) == (D("0.8"), D("8.00"))
    (warning,) = [f for f in result.findings if f.code == "PX024"]
    assert warning.severity == "warning" and actual in warning.message


@pytest.mark.parametrize("actual", ["满意", "非常满意", "很满意", "群众满意"])
def test_full_satisfaction_stays_full(actual):
    result = score_row(row("满意", actual), MOF)
    assert (result.rate, result.score) == (D(1), D("10.00"))
    assert not [f for f in result.findings if f.code == "PX024"]


def test_restating_a_lesser_target_is_met():
    # the target asks only 基本满意: 基本满意 meets it, 10 points, no warning
    result = score_row(row("基本满意", "基本满意"), MOF)
    assert result.score == D("10.00")
    assert not result.findings


def test_lesser_word_against_a_percentage_target():
    # ≥90% 满意度 answered 基本满意: no figure (PX018) and below full (PX024): band top 8
    result = score_row(row("≥90%", "基本满意"), MOF)
    assert result.score == D("8.00")
    assert {f.code for f in result.findings} == {"PX018", "PX024"}


def test_evaluator_may_mark_inside_the_band():
    # an entered 7 lies in the 部分达成 band (6, 8]: 7 is taken, rate 7/10 = 0.7
    result = score_row(row("满意", "较满意", score=7), MOF)
    assert (result.rate, result.score) == (D("0.7"), D("7.00"))
    # an entered 10 is outside the band: the band top 8 stands (PX020 at table level)
    assert score_row(row("满意", "较满意", score=10), MOF).score == D("8.00")
