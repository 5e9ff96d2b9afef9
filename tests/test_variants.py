"""Rule variants seen in published tables (issue 8), each a profile setting told apart
from its alternative by a hand-worked case. The test profiles live here: no published
rule text was found that names a province's setting, so none is shipped."""

from decimal import Decimal as D

from _rows import indicator, profile_file

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.rules import run_rules
from perfxl.scoring import score_table
from perfxl.validation import check_table

MOF = load_profile("mof2020")


def row(target, actual, weight, score=None, level1="产出指标", level2="数量指标", name="指标"):
    return indicator(target, actual, weight, score, level1=level1, level2=level2, name=name)


def table(spent, indicators, weight=10, **kwargs):
    funds = Funds(budget=D(100), spent=D(spent), weight=D(weight))
    return IndicatorTable(sheet="表", funds=funds, indicators=indicators, **kwargs)


# --- (a) execution points truncated to a whole point -----------------------------------


def test_execution_points_truncated(tmp_path):
    profile = profile_file(tmp_path, '[execution]\npoints_rounding = "truncate"\n')
    rest = (row("≥2个", "2个", 90),)
    # Shanxi 2020: 99.10% of 10 = 9.91 → 9 (two decimals: 9.91)
    assert score_table(table("99.10", rest), profile).rows[0].score == D(9)
    assert score_table(table("99.10", rest), MOF).rows[0].score == D("9.91")
    # Yunnan 2023: 97.81% of 10 = 9.781 → 9 (two decimals: 9.78)
    result = score_table(table("97.81", rest), profile)
    assert result.rows[0].score == D(9)
    assert result.total == D("99.00")  # 9 + 90
    assert score_table(table("97.81", rest), MOF).total == D("99.78")  # 9.78 + 90
    # 100% stays 10; 59.99% of 10 = 5.999 → 5 (not 6.00)
    assert score_table(table("100", rest), profile).rows[0].score == D(10)
    assert score_table(table("59.99", rest), profile).rows[0].score == D(5)


# --- (b) a total of the indicators alone, execution scored apart -------------------------


def sichuan_rows():
    # 70 + 20 + 10 = 100: 产出 70 full; 效益 20 at 5/10 = 50% → 10; 满意度 10 full
    return (
        row("≥2个", "2个", 70),
        row("≥10户", "5户", 20, level1="效益指标", level2="经济效益指标", name="带动农户"),
        row("≥90%", "95%", 10, level1="满意度指标", level2="服务对象满意度指标"),
    )


def test_total_without_execution(tmp_path):
    profile = profile_file(tmp_path, "[total]\nincludes_execution = false\n")
    sichuan = table("80", sichuan_rows(), reported_total=D(90))
    result = check_table(sichuan, profile)  # scored, then the rules (PX021) run
    execution = result.rows[0]
    # execution 80% of 10 = 8: still reported, not summed
    assert (execution.method, execution.score) == (Method.EXECUTION, D("8.00"))
    assert result.total == D("90.00")  # 70 + 10 + 10
    assert result.grade == "优"
    assert not [f for f in result.findings if f.code == "PX021"]  # printed 90 agrees
    assert not [f for f in run_rules(result, profile) if f.code == "PX102"]  # 100 points
    # the national rule sums all four: 8 + 70 + 10 + 10 = 98, and the weights 110
    national = check_table(sichuan, MOF)
    assert national.total == D("98.00")
    assert [f.code for f in national.findings if f.code == "PX021"] == ["PX021"]
    assert [f for f in run_rules(national, MOF) if f.code == "PX102"]


# --- (c) evaluator-entered scores kept ----------------------------------------------------


def test_entered_scores_kept(tmp_path):
    profile = profile_file(tmp_path, '[rows]\nentered_scores = "keep"\n')
    rows = (
        row("≥100人", "100人", 50, score=45),  # met (50), marked down to 45 by judgement
        row("有效提升", "有效提升", 40, score=40, level1="效益指标", level2="社会效益指标"),
    )
    marked = table("100", rows, reported_total=D(95))
    result = check_table(marked, profile)  # scored, then the rules (PX020, PX021) run
    first = result.rows[1]
    assert (first.score, first.computed_score) == (D(45), D("50.00"))
    assert result.total == D("95.00")  # 10 + 45 + 40
    (px020,) = [f for f in result.findings if f.code == "PX020"]
    assert "计算为 50.00" in px020.message and "采用填报得分" in px020.message
    assert not [f for f in result.findings if f.code == "PX021"]
    # recomputed (default): the rule's 50 counts, total 100, PX020 and PX021 raised
    national = check_table(marked, MOF)
    assert national.rows[1].score == D("50.00")
    assert national.total == D("100.00")
    assert {f.code for f in national.findings} >= {"PX020", "PX021"}


def test_entered_score_out_of_range_is_not_kept(tmp_path):
    # 55 of 50 points cannot be a score: the computed 50 stands (PX105 flags the entry)
    profile = profile_file(tmp_path, '[rows]\nentered_scores = "keep"\n')
    result = score_table(table("100", (row("≥100人", "100人", 90, score=95),)), profile)
    assert result.rows[1].score == D("90.00")
    assert result.rows[1].computed_score is None


def test_entered_qualitative_score_kept(tmp_path):
    # 部分达成 of 10 computes to the band top 8; an entered 10 is kept under "keep"
    profile = profile_file(tmp_path, '[rows]\nentered_scores = "keep"\n')
    indicator = row("有效提升", "部分达成", 90, score=90, level2="社会效益指标")
    result = score_table(table("100", (indicator,)), profile)
    assert (result.rows[1].score, result.rows[1].computed_score) == (D(90), D("72.00"))
    assert score_table(table("100", (indicator,)), MOF).rows[1].score == D("72.00")
