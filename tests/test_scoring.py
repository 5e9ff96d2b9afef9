"""Engine cases worked out by hand (the arithmetic is in each comment)."""

from decimal import Decimal as D

import pytest
from _rows import indicator

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import deviation, score_row, score_table
from perfxl.validation import check_table

MOF = load_profile("mof2020")
XJ60 = load_profile("xj-60")
XJPROP = load_profile("xj-prop")
HUBEI = load_profile("hubei")


def row(target, actual, weight, score=None, level2="数量指标", name="指标", level1="产出指标"):
    return indicator(target, actual, weight, score, level1=level1, level2=level2, name=name)


@pytest.mark.parametrize(
    ("profile", "indicator", "rate", "score"),
    [
        (MOF, row("≥2个", "1个", 4), "0.5", "2.00"),  # 1/2 × 4
        (MOF, row("≥60人", "90人", 4), "1", "4.00"),  # 90/60 capped at 100%
        (MOF, row("≤4万元", "5万元", 10, level2="成本指标"), "0.8", "8.00"),  # 4/5 × 10
        (MOF, row("≤4万元", "3万元", 10, level2="成本指标"), "1", "10.00"),  # under the cap: full
        (MOF, row("≤4万元", "50000元", 10, level2="成本指标"), "0.8", "8.00"),  # 50000元 = 5万元
        (MOF, row("=44人", "46人", 2), "0.9545", "1.91"),  # 1 − 2/44 = 0.954545…; × 2 = 1.909
        (XJPROP, row("=44人", "40人", 2), "0.9091", "1.82"),  # 40/44 = 0.909090…; × 2 = 1.8182
        (XJPROP, row("≤20万元", "1.82万元", 2, level2="成本指标"), "0.091", "0.18"),  # 1.82/20 × 2
        (XJ60, row("≤20万元", "1.82万元", 2, level2="成本指标"), "0.091", "0.00"),  # below 60% → 0
        (XJ60, row("≥100个", "80个", 4), "0.8", "2.00"),  # (0.8 − 0.6)/0.4 × 4
        (XJ60, row("≥100个", "50个", 4), "0.5", "0.00"),
        (XJ60, row("≥95%", "0.95", 10, level2="满意度指标"), "1", "10.00"),  # 0.95 means 95%
        (MOF, row("≥100%", "100", 3, level2="质量指标"), "1", "3.00"),  # bare 100 takes %
        (MOF, row("2023年12月前", "2023年11月", 5, level2="时效指标"), "1", "5.00"),  # deadline met
        (
            MOF,
            row("2023年12月前", "2024年1月", 5, level2="时效指标"),
            "0",
            "0.00",
        ),  # deadline missed
        (MOF, row("持续", "持续", 10, level2="社会效益指标"), "1", "10.00"),  # restates the target
        (MOF, row("逐步提高", "基本达成逐步提高目标", 10, level2="社会效益指标"), "1", "10.00"),
        (
            MOF,
            row("有效提升", "部分达成", 10, level2="社会效益指标"),
            "0.8",
            "8.00",
        ),  # top of 80–60 band
        (
            MOF,
            row("有效提升", "部分达成", 10, score=7, level2="社会效益指标"),
            "0.7",
            "7.00",
        ),  # inside band
        (
            MOF,
            row("有效提升", "部分达成", 10, score=9, level2="社会效益指标"),
            "0.8",
            "8.00",
        ),  # outside: band top
        (MOF, row("有效提升", "未达成", 10, level2="社会效益指标"), "0.6", "6.00"),
        (
            HUBEI,
            row("有效提升", "部分达成", 10, score=5, level2="社会效益指标"),
            "0.5",
            "5.00",
        ),  # Hubei band 80–50
        (
            MOF,
            row(None, None, 5, score=4, level1="决策", name="立项依据充分性"),
            "0.8",
            "4",
        ),  # manual: 4/5
    ],
)
def test_row_rate_and_score(profile, indicator, rate, score):
    result = score_row(indicator, profile)
    assert result.rate == D(rate)
    assert result.score == D(score)
    assert not [f for f in result.findings if f.severity == "error"]


def test_manual_row_without_score_is_a_finding():
    result = score_row(row(None, None, 5, level1="决策", name="立项依据充分性"), MOF)
    assert result.method == Method.UNSCORED
    assert [f.code for f in result.findings] == ["PX014"]


@pytest.mark.parametrize(
    ("target", "actual", "code"),
    [
        ("≥abc5x个", "5个", "PX010"),  # target unreadable
        (None, "5个", "PX010"),  # target missing
        ("≥5人", "5人次", "PX012"),  # units cannot be reconciled
        ("≥5个", None, "PX011"),  # actual missing
    ],
)
def test_bad_rows_become_findings(target, actual, code):
    result = score_row(row(target, actual, 4), MOF)
    assert result.method == Method.UNSCORED
    assert result.score == 0
    assert code in [f.code for f in result.findings]


def test_missing_weight():
    result = score_row(row("≥2个", "2个", None), MOF)
    assert [f.code for f in result.findings] == ["PX013"]


@pytest.mark.parametrize("text", ["无", "无此类指标", "不适用"])
def test_not_applicable_rows_are_left_out_and_rest_rescaled(text):
    table = IndicatorTable(
        sheet="表",
        indicators=(
            row("≥2个", "2个", 45),
            row(text, text, 10, level2="生态效益指标"),
            row("≥90%", "90%", 45, level2="满意度指标"),
        ),
    )
    result = score_table(table, MOF)
    assert result.rows[1].method == Method.NOT_APPLICABLE
    # 90 of the 90 applicable points, rescaled to 100: 90 × 100/90
    assert result.total == D("100.00")
    assert result.completion_rate == D("1")


def test_unclear_qualitative_takes_entered_score_with_warning():
    result = score_row(row("有效提升", "提升公共服务水平", 10, score=9, level2="社会效益指标"), MOF)
    assert result.method == Method.MANUAL
    assert result.score == D(9)
    assert [f.code for f in result.findings] == ["PX015"]


def test_funds_block_execution_row_national_form():
    funds = Funds(budget=D(100), spent=D("81.82"), weight=D(10))
    table = IndicatorTable(sheet="表", funds=funds, indicators=(row("≥2个", "2个", 90),))
    result = score_table(table, MOF)
    first = result.rows[0]
    assert first.method == Method.EXECUTION
    assert first.rate == D("0.8182")
    assert first.score == D("8.18")  # 10 × 81.82% = 8.182
    assert result.total == D("98.18")
    assert result.execution_rate == D("0.8182")
    # completion: (0.8182 + 1) / 2 = 0.9091; deviation 90.91 − 81.82 = 9.09
    assert result.completion_rate == D("0.9091")
    assert result.deviation == D("9.09")
    assert result.grade == "优"


def test_hubei_execution_weight_twenty():
    funds = Funds(budget=D(100), spent=D("81.82"), weight=D(20))
    table = IndicatorTable(sheet="表", funds=funds, indicators=(row("≥2个", "2个", 80),))
    result = score_table(table, HUBEI)
    assert result.rows[0].score == D("16.36")  # 20 × 0.8182 = 16.364


def test_execution_denominator_is_profile_data():
    # Budget 81.82 but 100 received: mof2020 divides by the budget, xj-60 by the money received.
    funds = Funds(budget=D("81.82"), received=D(100), spent=D("81.82"))
    table = IndicatorTable(sheet="表", funds=funds, indicators=(row("≥2个", "2个", 100),))
    assert score_table(table, MOF).execution_rate == D(1)
    assert score_table(table, XJ60).execution_rate == D("0.8182")


def test_grades_and_printed_total_difference():
    table = IndicatorTable(sheet="表", indicators=(row("≥10个", "8个", 100),), reported_total=D(80))
    result = score_table(table, MOF)
    assert result.total == D("80.00") and result.grade == "良"
    table = IndicatorTable(sheet="表", indicators=(row("≥10个", "5个", 100),), reported_total=D(60))
    result = check_table(table, MOF)  # scored, then the rules (PX021) run
    assert result.total == D("50.00") and result.grade == "差"
    assert "PX021" in [f.code for f in result.findings]


def test_deviation_in_points():
    assert deviation(D("0.9526"), D("0.8182")) == D("13.44")
    assert deviation(None, D("0.5")) is None


def test_execution_row_without_funds_uses_its_own_actual():
    # No funds block: the 预算执行率 row's own 100% target and 112% actual. The rate is
    # capped at 100% (full 5 points) but the ratio 1.12 stays visible for the rules.
    result = score_row(
        row("100%", "112%", 5, level1="过程", level2="资金管理", name="预算执行率"), MOF
    )
    assert result.method == Method.EXECUTION
    assert result.rate == D(1)
    assert result.ratio == D("1.12")
    assert result.score == D("5.00")


@pytest.mark.parametrize("text", ["无", "/", "—"])
def test_not_applicable_actual_against_a_real_target_is_an_error(text):
    # `≥95%` against `无` is a missing figure: the row scores 0 with an error, it is not
    # left out (which would raise the total by rescaling the rest).
    result = score_row(row("≥95%", text, 10, level2="质量指标"), MOF)
    assert result.method == Method.UNSCORED
    assert result.score == 0
    assert [(f.code, f.severity) for f in result.findings] == [("PX011", "error")]


def test_text_actual_against_a_number_target_warns():
    result = score_row(row("≥95%", "已完成", 10, level2="质量指标"), MOF)
    assert result.method == Method.QUALITATIVE
    assert result.score == D("10.00")  # 达成: top of the band
    assert [f.code for f in result.findings] == ["PX018"]


def test_unjudgeable_row_without_score_is_an_error():
    result = score_row(row("有效提升", "有所变化", 10, level2="社会效益指标"), MOF)
    assert result.method == Method.UNSCORED
    assert [(f.code, f.severity) for f in result.findings] == [("PX017", "error")]
