"""Whole tables: totals, grades, categories, completion, quantification and deviation,
pinned by hand (issue 14 item 1)."""

from decimal import Decimal as D

from _rows import indicator, profile_file

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.rates import deviation
from perfxl.results import Method
from perfxl.rounding import excel_round
from perfxl.scoring import categories, combine_total, completion_rate, score_row, score_table

MOF = load_profile("mof2020")


def table(*rows, funds=None, total=None):
    return IndicatorTable("表", funds=funds or Funds(), indicators=rows, reported_total=total)


def test_all_rows_not_applicable():
    # every row says 无此类指标: nothing to score. Total 0 (nothing earned, nothing to
    # rescale to), no categories, no completion rate, no quantification, no deviation;
    # a clerk sees 0 / 差 with PX016 asking for the funds, not a crash or 100 points
    result = score_table(
        table(
            indicator("无此类指标", "无此类指标", 10),
            indicator("无此类指标", None, 20, level2="质量指标"),
        ),
        MOF,
    )
    assert [r.method for r in result.rows] == [Method.NOT_APPLICABLE] * 2
    assert (result.total, result.grade) == (D(0), "差")
    assert result.categories == ()
    assert (result.completion_rate, result.quantification_rate, result.deviation) == (
        None,
        None,
        None,
    )


def test_not_applicable_rows_are_rescaled():
    # rows of 40 and 40 points both full, a row of 20 not applicable: raw 80 out of a
    # possible 100 with 20 left out → 80 × 100 / 80 = 100
    rows = [(D(40), D(40)), (D(40), D(40)), (D(20), None)]
    assert combine_total(rows, MOF) == D(100)
    # without rescaling (a profile that says so) the total stays 80
    no_rescale = MOF.__class__(**{**MOF.__dict__, "rescale_not_applicable": False})
    assert combine_total(rows, no_rescale) == D(80)
    # 60 earned of 90 possible, 10 left out: 60 × 100 / 90 = 66.666… → 66.67
    assert combine_total([(D(50), D(30)), (D(40), D(30)), (D(10), None)], MOF) == D("66.67")


def test_grade_on_a_bands_lower_bound():
    # 优 ≥ 90, 良 [80, 90), 中 [60, 80), 差 < 60 (mof2020)
    assert [MOF.grade(D(x)) for x in ("90", "89.99", "80", "79.99", "60", "59.99", "0")] == [
        "优",
        "良",
        "良",
        "中",
        "中",
        "差",
        "差",
    ]


def test_category_score_rate():
    # 产出: 4 + 6 points possible, 2 + 6 earned → 8/10 = 80%; 效益: ≥10个 with 5个 →
    # 50% × 10 = 5 of 10 → 50%; a not-applicable row of 产出 (20 points) is left out
    rows = tuple(
        score_row(ind, MOF)
        for ind in (
            indicator("≥2个", "1个", 4),  # 1/2 × 4 = 2
            indicator("≥3个", "3个", 6),  # full 6
            indicator("无此类指标", "无此类指标", 20),
            indicator("≥10个", "5个", 10, level1="效益指标", level2="社会效益指标"),
        )
    )
    (output, benefit) = categories(rows, MOF)
    assert (output.name, output.weight, output.score, output.rate) == (
        "产出指标",
        D(10),
        D("8.00"),
        D("0.8"),
    )
    assert (benefit.name, benefit.weight, benefit.score, benefit.rate) == (
        "效益指标",
        D(10),
        D("5.00"),
        D("0.5"),
    )


def test_category_rate_is_rounded_and_none_without_points():
    # 2 of 3 points: 0.666… → 0.6667; a category of a 0-point row has no rate
    rows = (
        score_row(indicator("≥3个", "2个", 3), MOF),  # 2/3 × 3 = 2
        score_row(indicator("≥3个", "2个", 0, level1="满意度指标"), MOF),
    )
    (output, satisfaction) = categories(rows, MOF)
    assert (output.score, output.rate) == (D("2.00"), D("0.6667"))
    assert (satisfaction.weight, satisfaction.rate) == (D(0), None)


def test_category_score_keeps_the_profiles_score_digits(tmp_path):
    # score_digits 1: rows of 1.25 and 1.25 points (≥4个 / 1个 of 5 points each: 1/4 × 5)
    # make 2.5 → category 2.5, total 2.5
    profile = profile_file(tmp_path, "[rounding]\nscore_digits = 1\n")
    rows = tuple(score_row(indicator("≥4个", "1个", 5), profile) for _ in range(2))
    assert [r.score for r in rows] == [D("1.3"), D("1.3")]  # 1.25 → 1.3 (half up)
    assert categories(rows, profile)[0].score == D("2.6")


def test_completion_rate_mean_and_weighted(tmp_path):
    # rates 100% (weight 8) and 50% (weight 2): mean (1 + 0.5)/2 = 75%;
    # weighted (1 × 8 + 0.5 × 2)/10 = 9/10 = 90%
    rows = [
        score_row(indicator("≥2个", "2个", 8), MOF),
        score_row(indicator("≥2个", "1个", 2), MOF),
    ]
    assert completion_rate(rows, MOF) == D("0.75")
    weighted = profile_file(tmp_path, '[completion]\nmethod = "weighted"\n')
    assert completion_rate(rows, weighted) == D("0.9")


def test_weighted_completion_with_no_points(tmp_path):
    # all rows of 0 points: a weighted mean has nothing to weigh → none
    weighted = profile_file(tmp_path, '[completion]\nmethod = "weighted"\n')
    rows = [score_row(indicator("≥2个", "2个", 0), weighted)]
    assert completion_rate(rows, weighted) is None


def test_completion_rate_counts_an_unscored_row_as_zero():
    # 100% and an unscored row (no actual): (1 + 0)/2 = 50%
    rows = [
        score_row(indicator("≥2个", "2个", 5), MOF),
        score_row(indicator("≥2个", None, 5), MOF),
    ]
    assert completion_rate(rows, MOF) == D("0.5")
    assert completion_rate([], MOF) is None


def test_completion_rate_is_rounded():
    # 100%, 100%, 0%: 2/3 = 0.666… → 0.6667
    rows = [score_row(indicator("≥1个", a, 1), MOF) for a in ("1个", "1个", "0个")]
    assert completion_rate(rows, MOF) == D("0.6667")


def test_px015_row_rate_counts_in_the_completion_rate():
    # 有效提升 / 做了一些工作 with the evaluator's 8 of 10 (PX015): rate 80%; with a row
    # at 100%, the completion rate is (1 + 0.8)/2 = 90% and the total 10 + 8 = 18
    result = score_table(
        table(
            indicator("≥2个", "2个", 10),
            indicator("有效提升", "做了一些工作", 10, 8, level2="社会效益指标"),
        ),
        MOF,
    )
    assert [f.code for f in result.rows[1].findings] == ["PX015"]
    assert (result.completion_rate, result.total) == (D("0.9"), D("18.00"))


def test_quantification_rate_with_unscored_rows():
    # rows: ≥2个/2个 (quantitative), 持续/持续 (qualitative), ≥5个/— blank actual
    # (unscored but its target is a figure: quantitative), a row without a target
    # (PX010: nobody knows what kind it is, left out), a rubric row scored by the
    # evaluator (not a quantified indicator, left out), a 预算执行率 row (funds, left
    # out) and one not applicable (left out): 2 quantitative of 3 judged → 66.67%
    result = score_table(
        table(
            indicator(None, None, 10, level1="预算执行率", name="预算执行率"),
            indicator("≥2个", "2个", 10),
            indicator("持续", "持续", 10, level2="可持续影响指标"),
            indicator("≥5个", None, 10),
            indicator(None, "3个", 10),
            indicator(None, None, 10, 8, level1="决策", name="立项依据充分性"),
            indicator("无此类指标", "无此类指标", 10),
            funds=Funds(budget=D(100), spent=D(100)),
        ),
        MOF,
    )
    assert result.quantification_rate == D("0.6667")


def test_quantification_rate_without_judged_rows():
    # only a rubric row: no indicator of the project's own → no quantification rate
    result = score_table(table(indicator(None, None, 10, 8, level1="决策", name="立项")), MOF)
    assert result.quantification_rate is None


def test_execution_rate_from_the_row_when_the_funds_block_has_none():
    # no funds amounts: the 预算执行率 row's own 100% / 85% → 85% is the table's
    # execution rate, and the deviation uses it: completion (0.85 + 1)/2 = 0.925 →
    # 92.5% − 85% = 7.5 points
    result = score_table(
        table(
            indicator("100%", "85%", 10, level1="预算执行率", name="预算执行率"),
            indicator("≥2个", "2个", 10),
        ),
        MOF,
    )
    assert result.execution_rate == D("0.85")
    assert (result.completion_rate, result.deviation) == (D("0.925"), D("7.50"))
    assert "PX016" not in [f.code for f in result.findings]


def test_no_execution_rate_at_all_is_px016_on_the_spent_cell():
    from perfxl.model import CellRef

    funds = Funds(cells={"spent": CellRef("表", 5, 4)})
    result = score_table(table(indicator("≥2个", "2个", 10), funds=funds), MOF)
    (found,) = [f for f in result.findings if f.code == "PX016"]
    assert (str(found.cell), found.message.endswith("请填写全年预算数与全年执行数")) == (
        "表!D5",
        True,
    )
    assert (result.execution_rate, result.deviation) == (None, None)


def test_deviation_in_percentage_points():
    # seed 003: 95.26% − 81.82% = 13.44 points; 0.123456 − 0.1 → 2.3456 → 2.35 (2 digits)
    assert deviation(D("0.9526"), D("0.8182")) == D("13.44")
    assert deviation(D("0.123456"), D("0.1")) == D("2.35")
    assert deviation(None, D("0.5")) is None
    assert deviation(D("0.5"), None) is None


def test_total_excludes_execution_when_the_profile_says_so(tmp_path):
    # [total] includes_execution = false: execution 9 of 10 shown apart; the
    # indicators 90 + 0 of 100 → total 90
    profile = profile_file(tmp_path, "[total]\nincludes_execution = false\n")
    result = score_table(
        table(
            indicator(None, None, 10, level1="预算执行率", name="预算执行率"),
            indicator("≥2个", "2个", 90),
            indicator("≥2个", "0个", 10),
            funds=Funds(budget=D(100), spent=D(90)),
        ),
        profile,
    )
    assert result.rows[0].score == D("9.00")
    assert result.total == D("90.00")


def test_excel_round_beyond_fifteen_digits():
    # Excel keeps 15 significant digits: 2.72749999999999999 (18 digits) is
    # 2.72750000000000 to Excel, which ROUND(…, 2) takes half up to 2.73; rounding the
    # 18 digits directly would give 2.72
    assert excel_round(D("2.72749999999999999"), 2) == D("2.73")
    # 16 digits: 2.724999999999999 is 2.72500000000000 to Excel → 2.73; with 15 digits
    # 2.72499999999999 is kept as it is → 2.72
    assert excel_round(D("2.724999999999999"), 2) == D("2.73")
    assert excel_round(D("2.72499999999999"), 2) == D("2.72")
    # a float goes the same way: 2.7275 is stored as 2.72749999999999…, Excel shows 2.73
    assert excel_round(2.7275, 2) == D("2.73")
