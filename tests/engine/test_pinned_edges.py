"""Edges of the engine the mutation run left unpinned: unusable figures, evaluator's
scores kept, one-point rows and categories, where findings point (issue 14 item 1)."""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import CellRef, Direction, Funds, Indicator, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import (
    categories,
    combine_total,
    completion_rate,
    funds_indicator,
    score_row,
    score_table,
)

MOF = load_profile("mof2020")
CELLS = {k: CellRef("表", 9, c) for k, c in {"target": 4, "actual": 5, "weight": 6}.items()}


def row(target, actual, weight=10, score=None, level2="数量指标", name="指标"):
    return Indicator("产出指标", level2, name, target, actual,
                     None if weight is None else D(str(weight)),
                     None if score is None else D(str(score)), cells=CELLS)  # fmt: skip


def codes(result):
    return [f.code for f in result.findings]


def test_weight_that_is_not_a_number():
    result = score_row(row("≥2个", "2个", weight="NaN"), MOF)
    assert (result.method, result.score) == (Method.UNSCORED, D(0))
    (found,) = result.findings
    assert (found.code, str(found.cell)) == ("PX013", "表!F9")
    assert found.message.endswith("“指标”的分值 NaN 不是有效数字")


def test_weight_just_below_the_limit_is_used():
    # 999999999999999 points (under 10^15) is a figure: 2/2 → 100% of it
    result = score_row(row("≥2个", "2个", weight="999999999999999"), MOF)
    assert (result.method, result.score) == (Method.COMPUTED, D("999999999999999.00"))


def test_unusable_entered_score_is_dropped_and_the_weight_kept():
    # a rubric row whose 得分 is 1e16: no usable score → PX014, its 分值 5 still counts
    # as possible points
    ind = indicator(None, None, 5, "1e16", level1="决策", name="立项依据充分性")
    result = score_row(ind, MOF)
    assert (result.method, codes(result)) == (Method.UNSCORED, ["PX014"])
    assert result.indicator.weight == D(5)
    assert result.indicator.entered_score is None


def test_unusable_weight_keeps_a_usable_entered_score():
    # 分值 NaN and 得分 4 on a rubric row: PX013 for the weight; the 得分 is not dropped
    ind = indicator(None, None, "NaN", 4, level1="决策", name="立项依据充分性")
    result = score_row(ind, MOF)
    assert codes(result) == ["PX013"]
    assert (result.indicator.weight, result.indicator.entered_score) == (None, D(4))


def test_not_applicable_row_scores_zero():
    result = score_row(row("无此类指标", "无此类指标"), MOF)
    assert (result.method, result.score) == (Method.NOT_APPLICABLE, D(0))


def test_bare_reading_points_at_the_target_cell():
    result = score_row(row("90%", "95%", level2="质量指标"), MOF)
    (info,) = [f for f in result.findings if f.code == "PX022"]
    assert str(info.cell) == "表!D9"


def test_figure_missing_against_a_target_keeps_its_direction():
    # ≥95% against 无: PX011 with the whole advice, the row still a ≥ quantitative row
    result = score_row(row("≥95%", "无"), MOF)
    assert (result.direction, result.quantitative) == (Direction.POSITIVE, True)
    assert result.findings[0].message.endswith(
        "实际完成值填写为“无”，但指标值为“≥95%”：请填写实际数值；"
        "如该指标确不适用，请在指标值中注明“无此类指标”"
    )


def test_units_that_do_not_compare_say_which():
    result = score_row(row("≥2个", "3万元"), MOF)
    assert result.findings[0].message.endswith(
        "计量单位不一致：指标值为“个”，实际完成值为“万元”，无法换算"
    )


def test_unknown_year_takes_the_evaluators_score_as_a_quantitative_row():
    # 12月 (no year, no table year) against 2024年1月 with the evaluator's 8 of 10:
    # PX023, 80%, still one of the quantified rows
    result = score_row(row("12月", "2024年1月", 10, 8, level2="时效指标"), MOF)
    assert (result.method, result.rate, result.quantitative) == (Method.MANUAL, D("0.8"), True)
    assert "PX023" in codes(result)


def test_computed_row_is_quantitative():
    result = score_row(row("≥2个", "1个"), MOF)
    assert (result.method, result.quantitative, result.direction) == (
        Method.COMPUTED,
        True,
        Direction.POSITIVE,
    )


def test_computed_points_keep_the_profiles_score_digits(tmp_path):
    # score_digits 1: ≥3个 and 2个 of 10 → 2/3 = 0.6667 × 10 = 6.667 → 6.7
    profile = profile_file(tmp_path, "[rounding]\nscore_digits = 1\n")
    assert score_row(row("≥3个", "2个"), profile).score == D("6.7")


def test_evaluator_score_on_a_one_point_row_needing_the_evaluator():
    # 分值 1, the evaluator's 0.5 for a text that cannot be judged: 50%
    result = score_row(row("有效提升", "做了一些工作", 1, "0.5", level2="社会效益指标"), MOF)
    assert (result.method, result.rate) == (Method.MANUAL, D("0.5"))


@pytest.mark.parametrize(
    ("entered", "score", "computed"),
    [
        (None, "5.00", None),  # nothing entered: the rule's 5
        ("0", "0", "5.00"),  # the evaluator's 0 counts (0 is within 0…分值)
        ("4", "4", "5.00"),
        ("5.00", "5.00", None),  # the same figure: nothing to keep apart
        ("11", "5.00", None),  # above 分值: not a score, the rule's figure stands
    ],
)
def test_entered_scores_kept(tmp_path, entered, score, computed):
    # [rows] entered_scores = "keep": ≥2个 / 1个 of 10 computes 5
    profile = profile_file(tmp_path, '[rows]\nentered_scores = "keep"\n')
    result = score_row(row("≥2个", "1个", 10, entered), profile)
    assert result.score == D(score)
    assert result.computed_score == (None if computed is None else D(computed))


def test_funds_indicator_cells_and_figures():
    # the funds block's 分值, 得分 and 全年执行数 cells become the row's weight, score and
    # actual cells; its other cells (全年预算数) are not the row's
    cells = {
        "weight": CellRef("表", 5, 8),
        "score": CellRef("表", 5, 9),
        "spent": CellRef("表", 5, 6),
        "budget": CellRef("表", 5, 4),
    }
    funds = Funds(budget=D(100), spent=D(90), weight=D(10), reported_score=D(9), cells=cells)
    ind = funds_indicator(IndicatorTable("表", funds=funds), MOF)
    assert (ind.level1, ind.level2, ind.name) == ("预算执行率", "预算执行率", "预算执行率")
    assert (ind.weight, ind.entered_score) == (D(10), D(9))
    assert {k: str(v) for k, v in ind.cells.items()} == {
        "weight": "表!H5",
        "score": "表!I5",
        "actual": "表!F5",
    }
    assert funds_indicator(IndicatorTable("表", funds=Funds(budget=D(1))), MOF) is None


def test_table_result_names_its_profile_and_arrival_rate():
    # 到位 90 of 预算 100 → 资金到位率 0.9
    funds = Funds(budget=D(100), received=D(90), spent=D(90))
    result = score_table(IndicatorTable("表", funds=funds, indicators=(row("≥2个", "2个"),)), MOF)
    assert (result.profile, result.arrival_rate) == ("mof2020", D("0.9"))


def test_missing_funds_finding_names_the_sheet():
    result = score_table(IndicatorTable("表一", indicators=(row("≥2个", "2个"),)), MOF)
    (found,) = [f for f in result.findings if f.code == "PX016"]
    assert found.where == "表一"


def test_rescaling_one_point_left_out():
    # 9 of 9 possible, a 1-point row not applicable: 9 × 10 / 9 = 10
    assert combine_total([(D(9), D(9)), (D(1), None)], MOF) == D(10)


def test_total_keeps_the_profiles_score_digits(tmp_path):
    # score_digits 1: an evaluator's 3.33 and 3.33 → 6.66 → 6.7
    profile = profile_file(tmp_path, "[rounding]\nscore_digits = 1\n")
    assert combine_total([(D(5), D("3.33")), (D(5), D("3.33"))], profile) == D("6.7")


def test_category_score_of_entered_figures_keeps_the_profiles_digits(tmp_path):
    # score_digits 1: rubric rows with the evaluator's 1.25 and 1 → 2.25 → 2.3
    profile = profile_file(tmp_path, "[rounding]\nscore_digits = 1\n")
    rows = tuple(
        score_row(indicator(None, None, 5, s, level1="决策", name="立项"), profile)
        for s in ("1.25", "1")
    )
    assert categories(rows, profile)[0].score == D("2.3")


def test_one_point_category_and_unnamed_level1():
    # a category worth 1 point with 0.5 earned: 50%; a row without a level-1 name falls
    # in the category named ""
    result = score_row(replace(indicator(None, None, 1, "0.5", name="立项"), level1=None), MOF)
    (category,) = categories((result,), MOF)
    assert (category.name, category.weight, category.rate) == ("", D(1), D("0.5"))


def test_weighted_completion_of_one_point(tmp_path):
    # one row of 1 point at 50%: (0.5 × 1)/1 = 50%
    weighted = profile_file(tmp_path, '[completion]\nmethod = "weighted"\n')
    rows = [score_row(indicator("≥2个", "1个", 1), weighted)]
    assert completion_rate(rows, weighted) == D("0.5")


def test_unknown_completion_method_is_an_error():
    rows = [score_row(indicator("≥2个", "1个", 1), MOF)]
    with pytest.raises(ValueError, match="unknown completion method 'halves'"):
        completion_rate(rows, replace(MOF, completion="halves"))


def test_a_name_that_says_not_applicable_leaves_the_row_out():
    # 无此类指标 as the indicator's name: left out whatever its target and actual say
    ind = indicator("≥2个", "1个", 10, name="无此类指标")
    assert score_row(ind, MOF).method == Method.NOT_APPLICABLE


def test_cells_of_spaces_are_blank():
    # target and actual of spaces only, the evaluator's 4 of 5: a rubric row, 4 points
    result = score_row(indicator("  ", "  ", 5, 4, level1="决策", name="立项"), MOF)
    assert (result.method, result.score) == (Method.MANUAL, D(4))
