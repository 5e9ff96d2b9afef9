"""Hedged qualitative actuals (issue 8, realworld 九亭 case): 较及时, 基本达标, 较健全,
基本完成 say the target was met only in part. They are 部分达成 with a warning (PX024),
not full marks, unless the target itself carries the same hedge (基本达标 met by 基本达标).
Band figures are mof2020's: 部分达成 is (60%, 80%], scored at its top, 80%, or at the
evaluator's score when it lies inside the band."""

from decimal import Decimal as D

import pytest

from perfxl.model import Indicator, QualLevel
from perfxl.profiles import load_profile
from perfxl.quantities import classify
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")
ACH, PART, NOT = QualLevel.ACHIEVED, QualLevel.PARTIAL, QualLevel.NOT_ACHIEVED


@pytest.mark.parametrize(
    ("actual", "target", "level"),
    [
        # a hedge in front of the target's own word
        ("较及时", "及时", PART),
        ("比较及时", "及时", PART),
        ("较为及时", "及时", PART),
        ("基本及时", "及时", PART),
        ("基本达标", "达标", PART),
        ("较健全", "健全", PART),
        ("制度较健全", "制度健全", PART),  # the target restated once the hedge is dropped
        ("初步建立", "建立", PART),
        ("大体完成", "全面完成", PART),  # a hedge before an achievement word (完成)
        ("基本完成", "有效提升", PART),
        ("较为有效", "有效", PART),
        ("效果较显著", "效果显著", PART),
        # the target asks no more than the hedged word
        ("基本达标", "基本达标", ACH),
        ("较及时", "较及时", ACH),
        ("基本完成", "基本完成年度任务", ACH),
        # no hedge: met
        ("及时", "及时", ACH),
        ("达标", "达标", ACH),
        ("健全", "健全", ACH),
        ("较好", "良好", ACH),  # 较好 is itself an achievement word
        # the target restated unhedged wins over a hedge elsewhere (a seed text)
        ("基本达成逐步提高目标", "逐步提高", ACH),
        # negatives still come first
        ("基本未完成", "完成", NOT),
        ("不及时", "及时", NOT),
    ],
)
def test_hedged_levels(actual, target, level):
    assert classify(actual, target) == level


def test_hedge_without_a_target_text():
    # a worded answer to a quantitative target (≥95%): 基本完成 is partly met, 已完成 met
    assert classify("基本完成", None) == PART
    assert classify("已完成", None) == ACH


def row(target, actual, weight, score=None, level2="时效指标"):
    return Indicator(
        "产出指标",
        level2,
        "项目完成及时性",
        target,
        actual,
        D(weight),
        None if score is None else D(str(score)),
    )


def test_hedged_row_is_partly_met_at_the_band_top():
    # 较及时 against 及时, printed 7 of 7 (outside the band 4.2–5.6): band top 0.8 × 7 = 5.6
    result = score_row(row("及时", "较及时", 7, score=7), MOF)
    assert result.method == Method.QUALITATIVE and result.level == PART
    assert (result.rate, result.score) == (D("0.8"), D("5.60"))
    (warning,) = [f for f in result.findings if f.code == "PX024"]
    assert warning.severity == "warning" and "较及时" in warning.message
    assert "部分达成" in warning.message


def test_hedged_row_keeps_an_evaluator_score_inside_the_band():
    # 基本达标 against 达标, entered 2 of 3: 2/3 = 0.6667 lies in (0.6, 0.8] → rate 0.6667, 2.00
    result = score_row(row("达标", "基本达标", 3, score=2, level2="生态效益指标"), MOF)
    assert (result.rate, result.score) == (D("0.6667"), D("2.00"))
    assert [f.code for f in result.findings] == ["PX024"]


def test_unhedged_and_same_hedge_rows_are_full_without_warning():
    # 健全 / 健全 → 3 × 1 = 3; 基本达标 / 基本达标 → 3 × 1 = 3; no PX024
    for target, actual in (("健全", "健全"), ("基本达标", "基本达标")):
        result = score_row(row(target, actual, 3), MOF)
        assert (result.rate, result.score) == (D("1"), D("3.00"))
        assert not [f for f in result.findings if f.code == "PX024"]


def test_worded_answer_to_a_figure_is_partly_met_with_both_warnings():
    # ≥95% answered 基本完成: no figure (PX018) and hedged (PX024): band top 0.8 × 10 = 8
    result = score_row(row("≥95%", "基本完成", 10, level2="质量指标"), MOF)
    assert (result.rate, result.score) == (D("0.8"), D("8.00"))
    assert {f.code for f in result.findings} == {"PX018", "PX024"}
