"""Rows the engine cannot score by itself: which finding, on which cell, saying what, and
what the row still carries (direction, quantitative, rate). Pinned for issue 14 item 1:
a finding on the wrong cell sends the clerk to the wrong place in the sheet.
"""

from decimal import Decimal as D

from _rows import profile_file

from perfxl.model import CellRef, Direction, Indicator, QualLevel
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import funds_indicator, score_row

MOF = load_profile("mof2020")
COLUMNS = {"name": 3, "target": 4, "actual": 5, "weight": 6, "score": 7}


def row(target, actual, weight=10, score=None, name="指标", level2="数量指标", formula=False):
    """A row of sheet 表 at line 9 with every cell known: name C9 … score G9."""
    cells = {key: CellRef("表", 9, col) for key, col in COLUMNS.items()}
    return Indicator(
        "产出指标",
        level2,
        name,
        target,
        actual,
        None if weight is None else D(str(weight)),
        None if score is None else D(str(score)),
        cells=cells,
        score_formula=formula,
    )


def only(result, code):
    (found,) = [f for f in result.findings if f.code == code]
    return found


def test_manual_row_without_score():
    ind = row(None, None, 5, name="立项依据充分性")
    result = score_row(ind, MOF)
    assert (result.indicator, result.method, result.score) == (ind, Method.UNSCORED, D(0))
    found = only(result, "PX014")
    assert str(found.cell) == "表!G9"  # the 得分 cell the evaluator must fill
    assert "“立项依据充分性”没有指标值，需由评价人填写得分" in found.message


def test_manual_row_whose_score_is_a_formula_without_result():
    result = score_row(row(None, None, 5, name="立项依据充分性", formula=True), MOF)
    found = only(result, "PX014")
    assert str(found.cell) == "表!G9"
    assert "得分为公式且没有计算结果，请填写数值" in found.message


def test_manual_row_with_weight_zero():
    # 分值 0 and 得分 0: the evaluator's 0 counts; no rate exists (0/0)
    result = score_row(row(None, None, 0, score=0, name="立项依据充分性"), MOF)
    assert (result.method, result.score, result.rate) == (Method.MANUAL, D(0), None)


def test_manual_row_with_weight_one():
    # 分值 1, 得分 0.5: rate 0.5/1 = 50%
    result = score_row(row(None, None, 1, score="0.5", name="立项依据充分性"), MOF)
    assert (result.method, result.score, result.rate) == (Method.MANUAL, D("0.5"), D("0.5"))


def test_manual_row_rate_is_rounded():
    # 得分 2 of 3: 0.666… → 0.6667 (rate_digits 4)
    result = score_row(row(None, None, 3, score=2, name="立项依据充分性"), MOF)
    assert result.rate == D("0.6667")


def test_execution_row_with_nothing_to_score():
    # no funds block and no actual: the row's PX011 and the table-level PX016, both on
    # the actual cell E9
    ind = row("≥90%", None, name="预算执行率")
    result = score_row(ind, MOF, {})
    assert (result.indicator, result.method, result.score) == (ind, Method.UNSCORED, D(0))
    assert [f.code for f in result.findings] == ["PX011", "PX016"]
    found = only(result, "PX016")
    assert str(found.cell) == "表!E9"
    assert "“预算执行率”既无资金数据也无可用的实际完成值" in found.message


def test_execution_row_without_funds_and_a_qualitative_actual():
    # ≥95% against 已完成 on the 预算执行率 row without funds: band 达成's top, 100% →
    # 10; the row's own PX018 (no figure) is kept
    result = score_row(row("≥95%", "已完成", name="预算执行率"), MOF, {})
    assert (result.method, result.rate, result.score) == (Method.EXECUTION, D(1), D("10.00"))
    assert [f.code for f in result.findings] == ["PX018"]


def test_arrival_row_uses_the_arrival_rule(tmp_path):
    # execution scored by threshold, arrival (mof default) proportionally: 资金到位率 70%
    # × 10 = 7, not (0.7 − 0.6)/0.4 × 10 = 2.5
    profile = profile_file(tmp_path, '[execution]\nmethod = "threshold"\n')
    result = score_row(row(None, None, name="资金到位率"), profile, {Method.ARRIVAL: D("0.7")})
    assert (result.method, result.score) == (Method.ARRIVAL, D("7.00"))
    execution = score_row(row(None, None, name="预算执行率"), profile, {Method.EXECUTION: D("0.7")})
    assert execution.score == D("2.50")


def test_quantitative_target_with_a_worded_actual():
    # ≥95% against 已完成: scored by band 达成 (100% × 10) and PX018 on E9
    result = score_row(row("≥95%", "已完成"), MOF)
    assert (result.method, result.rate, result.score) == (Method.QUALITATIVE, D(1), D("10.00"))
    assert (result.direction, result.quantitative, result.level) == (
        Direction.POSITIVE,
        True,
        QualLevel.ACHIEVED,
    )
    found = only(result, "PX018")
    assert str(found.cell) == "表!E9"
    assert "指标值“≥95%”为定量指标，实际完成值“已完成”未给出数值，按“达成”档计分" in found.message


def test_hedged_actual_is_partial_with_px024():
    # 制度较健全 against 制度健全: 部分达成, top of its band 80% × 10 = 8, PX024 on E9
    result = score_row(row("制度健全", "制度较健全", level2="质量指标"), MOF)
    assert (result.rate, result.score, result.level) == (D("0.8"), D("8.00"), QualLevel.PARTIAL)
    assert (result.direction, result.quantitative) == (Direction.QUALITATIVE, False)
    found = only(result, "PX024")
    assert str(found.cell) == "表!E9"
    assert "实际完成值“制度较健全”" in found.message and "低于指标值“制度健全”" in found.message


def test_partial_without_a_lesser_word_has_no_px024():
    # 部分达成 against 有效提升 names no lesser degree of the target: no PX024
    result = score_row(row("有效提升", "部分达成", level2="社会效益指标"), MOF)
    assert result.level == QualLevel.PARTIAL
    assert not result.findings


def test_evaluator_score_on_the_bands_lower_bound():
    # 部分达成 of 10 under mof2020: 6 to 8 points. 6 is on the lower bound and is taken:
    # 6/10 = 60%; 5.99 is below it and the band's top 8 is taken instead
    on = score_row(row("有效提升", "部分达成", score=6, level2="社会效益指标"), MOF)
    assert (on.rate, on.score) == (D("0.6"), D("6.00"))
    below = score_row(row("有效提升", "部分达成", score="5.99", level2="社会效益指标"), MOF)
    assert (below.rate, below.score) == (D("0.8"), D("8.00"))
    # 达成 of 10 is 8 to 10: 8 on its lower bound → 80%; 部分达成's 8 is its upper bound
    top = score_row(row("有效提升", "已达成", score=8, level2="社会效益指标"), MOF)
    assert (top.rate, top.score) == (D("0.8"), D("8.00"))


def test_evaluator_score_on_a_one_point_row():
    # 分值 1: 部分达成 band 0.6 to 0.8 points; the evaluator's 0.7 → 70%
    result = score_row(row("有效提升", "部分达成", 1, score="0.7", level2="社会效益指标"), MOF)
    assert (result.rate, result.score) == (D("0.7"), D("0.70"))


def test_qualitative_row_with_weight_zero():
    # 分值 0: 0 points whatever the band; an entered 0 changes nothing
    result = score_row(row("有效提升", "部分达成", 0, score=0, level2="社会效益指标"), MOF)
    assert (result.rate, result.score) == (D("0.8"), D("0.00"))


def test_qualitative_score_keeps_the_profiles_score_digits(tmp_path):
    # score_digits 1: 部分达成 with the evaluator's 6.25 of 10 → rate 0.625, points
    # 0.625 × 10 = 6.25 → 6.3 (one decimal, half up)
    profile = profile_file(tmp_path, "[rounding]\nscore_digits = 1\n")
    result = score_row(row("有效提升", "部分达成", score="6.25", level2="社会效益指标"), profile)
    assert (result.rate, result.score) == (D("0.625"), D("6.3"))


def test_unjudgeable_qualitative_actual_takes_the_evaluators_score():
    # 做了一些工作 cannot be placed in a band: the evaluator's 7 of 10 → 70%, PX015 on E9
    result = score_row(row("有效提升", "做了一些工作", score=7, level2="社会效益指标"), MOF)
    assert (result.method, result.rate, result.score) == (Method.MANUAL, D("0.7"), D(7))
    assert (result.direction, result.quantitative) == (Direction.QUALITATIVE, False)
    found = only(result, "PX015")
    assert str(found.cell) == "表!E9"
    assert "实际完成值“做了一些工作”无法判断是否达成指标值“有效提升”" in found.message


def test_number_against_a_worded_target_takes_the_evaluators_score():
    # 有效提升 against 95%: a figure cannot be placed in a band either: PX015, the
    # evaluator's 2 of 3 → 0.6667 (4 decimals)
    result = score_row(row("有效提升", "95%", 3, score=2, level2="社会效益指标"), MOF)
    assert (result.method, result.rate, result.score) == (Method.MANUAL, D("0.6667"), D(2))
    found = only(result, "PX015")
    assert str(found.cell) == "表!E9"
    assert "实际完成值“95%”无法判断是否达成指标值“有效提升”" in found.message
    # 分值 0 and 得分 0: no rate
    zero = score_row(row("有效提升", "95%", 0, score=0, level2="社会效益指标"), MOF)
    assert (zero.method, zero.rate, zero.score) == (Method.MANUAL, None, D(0))


def test_unjudgeable_row_without_evaluators_score_is_px017():
    result = score_row(row("有效提升", "95%", level2="社会效益指标"), MOF)
    assert (result.method, result.score) == (Method.UNSCORED, D(0))
    assert (result.direction, result.quantitative) == (Direction.QUALITATIVE, False)
    found = only(result, "PX017")
    assert str(found.cell) == "表!E9"
    assert "无法判断是否达成指标值“有效提升”，且未填写评价人得分" in found.message


def test_missing_actual_is_px011_on_the_actual_cell():
    result = score_row(row("≥95%", None), MOF)
    assert (result.method, result.direction, result.quantitative) == (
        Method.UNSCORED,
        Direction.POSITIVE,
        True,
    )
    found = only(result, "PX011")
    assert str(found.cell) == "表!E9"
    assert "“指标”未填写实际完成值" in found.message


def test_unreadable_actual_says_what_it_could_not_read():
    result = score_row(row("≥95%", "9.5.1%"), MOF)
    found = only(result, "PX011")
    assert "实际完成值“9.5.1%”：无法识别计量单位“.1%”" in found.message


def test_not_applicable_actual_against_a_figure():
    result = score_row(row("≥95%", "无"), MOF)
    found = only(result, "PX011")
    assert str(found.cell) == "表!E9"
    assert "实际完成值填写为“无”，但指标值为“≥95%”" in found.message


def test_missing_target_is_px010_on_the_target_cell():
    result = score_row(row(None, "2个"), MOF)
    assert (result.method, result.direction, result.quantitative) == (Method.UNSCORED, None, None)
    found = only(result, "PX010")
    assert str(found.cell) == "表!D9"
    assert "“指标”未填写年度指标值" in found.message


def test_unreadable_target_says_what_it_could_not_read():
    found = only(score_row(row("≥9.5.1%", "2个"), MOF), "PX010")
    assert "指标值“≥9.5.1%”：无法识别计量单位“.1%”" in found.message


def test_units_that_do_not_compare_is_px012_on_the_actual_cell():
    result = score_row(row("≥2个", "3万元"), MOF)
    assert (result.method, result.direction, result.quantitative) == (
        Method.UNSCORED,
        Direction.POSITIVE,
        True,
    )
    assert str(only(result, "PX012").cell) == "表!E9"


def test_unusable_weight_is_px013_on_the_weight_cell():
    ind = row("≥2个", "2个", weight=None)
    result = score_row(ind, MOF)
    assert result.indicator is ind
    found = only(result, "PX013")
    assert str(found.cell) == "表!F9"
    assert "“指标”没有可用的分值" in found.message
    huge = score_row(row("≥2个", "2个", weight="1e15"), MOF)
    assert "的分值 1E+15 超出可计算的范围" in only(huge, "PX013").message


def test_cell_falls_back_to_the_rows_first_known_cell():
    # a row whose reader knew only the name cell: the finding points there
    ind = Indicator("产出指标", "数量指标", "指标", "≥95%", None, D(10), None,
                    cells={"name": CellRef("表", 9, 3)})  # fmt: skip
    assert str(only(score_row(ind, MOF), "PX011").cell) == "表!C9"


def test_funds_indicator_takes_the_profiles_first_row_name(tmp_path):
    # a profile whose execution row is called 资金执行率: the funds block's row is named so
    from perfxl.model import Funds, IndicatorTable

    profile = profile_file(tmp_path, '[execution]\nrow_names = ["资金执行率", "预算执行率"]\n')
    table = IndicatorTable("表", funds=Funds(budget=D(100), spent=D(90), weight=D(10)))
    assert funds_indicator(table, profile).name == "资金执行率"


def test_bare_reading_points_at_the_target_cell_not_the_rows_first():
    # PX022 on D9 (the target), not C9 (the row's name, its first known cell)
    result = score_row(row("90%", "95%", level2="质量指标"), MOF)
    assert str(only(result, "PX022").cell) == "表!D9"
