"""Row rates and scores the mutation run found unpinned (issue 14 item 1).

Each expected figure is worked out by hand in the comment beside it, from the formulas in
/work/shared/domain.md and the profile files; where the domain text is silent the comment
says what a finance clerk would expect and why.
"""

from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import Direction
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import score_row

MOF = load_profile("mof2020")
XJ60 = load_profile("xj-60")
XJPROP = load_profile("xj-prop")


def row(target, actual, weight=10, score=None, level2="数量指标", name="指标"):
    return indicator(target, actual, weight, score, level2=level2, name=name)


def scored(result, rate, score):
    assert result.method == Method.COMPUTED, result.findings
    assert (result.rate, result.score) == (D(rate), D(score))


# --- reverse targets and targets of 0 ---------------------------------------------------


@pytest.mark.parametrize("profile", [MOF, XJ60, XJPROP])
def test_reverse_target_with_actual_zero_is_full(profile):
    # ≤5起 of 安全事故 and 0起 happened: under the cap, full marks. MoF target/actual
    # would divide 5 by 0; staying at 0 is the best possible outcome, so 100% × 10 = 10
    # (xj profiles score non-cost reverse rows the MoF way: only cost rows differ)
    scored(score_row(row("≤5起", "0起", name="安全事故"), profile), "1", "10.00")


def test_reverse_target_over_the_cap():
    # ≤5起 and 8起 under target/actual: 5/8 = 0.625 → 62.5% × 10 = 6.25
    scored(score_row(row("≤5起", "8起", name="安全事故"), MOF), "0.625", "6.25")


def test_equal_zero_target():
    # =0起 and 0起: equal, 100% → 10 (the deviation rule cannot divide by the target 0)
    scored(score_row(row("=0起", "0起", name="安全事故"), MOF), "1", "10.00")
    # =0起 and 1起: not equal and no relative deviation exists: 0% → 0
    scored(score_row(row("=0起", "1起", name="安全事故"), MOF), "0", "0.00")


@pytest.mark.parametrize("profile", [XJPROP, XJ60])
def test_equal_zero_target_under_xj_is_met_only_by_zero(profile):
    # xj profiles read = like ≥ (equal = "proportional"), but =0起 of 安全事故 means none
    # may happen: reading it as ≥0 would give 1起 full marks. 1起 → 0% → 0 points;
    # 0起 → 100% → 10 (under xj-60's threshold scoring too: 100% is full).
    scored(score_row(row("=0起", "1起", name="安全事故"), profile), "0", "0.00")
    scored(score_row(row("=0起", "0起", name="安全事故"), profile), "1", "10.00")
    # a target above 0 is still read like ≥ there: =44人 against 46人 is full
    scored(score_row(row("=44人", "46人", name="培训人数"), profile), "1", "10.00")


@pytest.mark.parametrize(
    ("profile", "actual", "rate", "score"),
    [
        (MOF, "0万元", "1", "10.00"),  # target/actual with actual 0: nothing spent, full
        (MOF, "1万元", "0", "0.00"),  # 0/1 = 0: any spending over a cap of 0 → 0
        (XJPROP, "0万元", "1", "10.00"),  # actual/target: 0 of 0 is on budget → 100%
        (XJPROP, "1万元", "0", "0.00"),  # 1 of a budget of 0 cannot be a use rate → 0
        (XJ60, "0万元", "1", "10.00"),  # 100% under threshold scoring is full
    ],
)
def test_cost_row_with_target_zero(profile, actual, rate, score):
    scored(score_row(row("≤0万元", actual, level2="成本指标"), profile), rate, score)


def test_positive_target_missed_entirely():
    # ≥1个 and 0个: 0/1 = 0% → 0 points (MoF) and below 60% → 0 (xj-60)
    scored(score_row(row("≥1个", "0个"), MOF), "0", "0.00")
    scored(score_row(row("≥1个", "0个"), XJ60), "0", "0.00")
    # and 1个 meets it exactly: 1/1 = 100% → 10
    scored(score_row(row("≥1个", "1个"), XJ60), "1", "10.00")


@pytest.mark.parametrize("profile", [XJ60, XJPROP])
def test_equality_over_achieved_under_xj(profile):
    # xj profiles read = like ≥ (equal = "proportional"): 46/44 = 1.0454… capped at
    # 100% → 10 points (xj-60: rate ≥ 100% is full); the uncapped ratio 1.0455 is kept
    result = score_row(row("=44人", "46人"), profile)
    scored(result, "1", "10.00")
    assert result.ratio == D("1.0455")  # 46/44 = 1.045454… → 4 decimals


def test_equality_over_achieved_under_mof():
    # MoF deviation: 1 − |46 − 44|/44 = 1 − 0.0454545 = 0.954545 → 0.9545; × 10 = 9.545 → 9.55
    # (half up: 9.545 → 9.55)
    result = score_row(row("=44人", "46人"), MOF)
    scored(result, "0.9545", "9.55")
    assert result.ratio == D("1.0455")  # 46/44


def test_equality_under_achieved_under_mof_uses_absolute_deviation():
    # =44人 and 40人: 1 − |40 − 44|/44 = 1 − 4/44 = 0.909090… → 0.9091; × 10 = 9.09
    scored(score_row(row("=44人", "40人"), MOF), "0.9091", "9.09")


def test_equal_deviation_reaches_zero_and_stays_there():
    # =10个 and 25个: 1 − 15/10 = −0.5, clamped at 0 → 0 points
    scored(score_row(row("=10个", "25个"), MOF), "0", "0.00")


# --- deadlines ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "actual", "rate"),
    [
        ("2023年12月前", "2023年12月", "1"),  # done in the deadline's own month: met
        ("2023年12月", "2023年12月", "1"),  # no 前: a deadline by default, same month met
        ("2023年12月", "2023年11月", "1"),  # no 前, a month early: met
        ("2023年12月", "2024年1月", "0"),  # no 前, a month late: missed (late_rate 0)
        ("=2023年12月", "2023年12月", "1"),  # = a month: exactly that month
        ("=2023年12月", "2024年1月", "0"),  # = and a month late: not that month → 0
        ("=2023年12月", "2023年11月", "0"),  # = and a month early: not that month either
    ],
)
def test_date_targets(target, actual, rate):
    result = score_row(row(target, actual, level2="时效指标", name="完成时间"), MOF)
    scored(result, rate, "10.00" if rate == "1" else "0.00")  # 100% × 10 or 0% × 10


def test_equal_date_one_month_late_takes_late_rate(tmp_path):
    # a profile that scores a missed date as 部分达成's top (late_rate 0.6):
    # =2023年12月 and 2024年1月 → 60% × 10 = 6
    profile = profile_file(tmp_path, "[deadlines]\nlate_rate = 0.6\n")
    result = score_row(row("=2023年12月", "2024年1月", level2="时效指标"), profile)
    scored(result, "0.6", "6.00")
    # and the same month stays 100%
    scored(score_row(row("=2023年12月", "2023年12月", level2="时效指标"), profile), "1", "10.00")


def test_bare_date_read_as_equal(tmp_path):
    # [deadlines] bare = "equal": 2023年12月 without 前 must be that month; November is
    # not December → 0, December → 100%
    profile = profile_file(tmp_path, '[deadlines]\nbare = "equal"\n')
    scored(score_row(row("2023年12月", "2023年11月", level2="时效指标"), profile), "0", "0.00")
    scored(score_row(row("2023年12月", "2023年12月", level2="时效指标"), profile), "1", "10.00")


def test_date_target_with_at_least_sign():
    # ≥2023年12月 (odd but seen): the actual must be that month or later; 2024年1月 → met,
    # 2023年11月 → not met (late_rate 0)
    scored(score_row(row("≥2023年12月", "2024年1月", level2="时效指标"), MOF), "1", "10.00")
    scored(score_row(row("≥2023年12月", "2023年11月", level2="时效指标"), MOF), "0", "0.00")
    scored(score_row(row("≥2023年12月", "2023年12月", level2="时效指标"), MOF), "1", "10.00")


def test_bare_month_read_as_equal_on_a_time_row(tmp_path):
    # [deadlines] bare = "equal": 12月 on a time row is December, to be met exactly;
    # 11月 is not December → 0 (not 1 − 1/12 as for a count of months); the row reads
    # as an equality target
    profile = profile_file(tmp_path, '[deadlines]\nbare = "equal"\n')
    result = score_row(row("12月", "11月", level2="时效指标"), profile)
    scored(result, "0", "0.00")
    assert result.direction == Direction.EQUAL
    assert result.findings[0].message.endswith("按“等于”计分：须在12月完成")


def test_bare_december_against_the_same_month_is_a_deadline():
    # 12月 on a time row and 12月 done: December by December, met; the reading says so
    result = score_row(row("12月", "12月", level2="时效指标", name="完成时间"), MOF)
    scored(result, "1", "10.00")
    assert "按完成时限计分：不晚于12月完成即达成" in result.findings[0].message


def test_bare_december_against_words():
    # 12月 on a time row and 已按时完成: judged by band 达成 (100% × 10), no crash
    result = score_row(row("12月", "已按时完成", level2="时效指标"), MOF)
    assert (result.rate, result.score) == (D(1), D("10.00"))


@pytest.mark.parametrize(
    ("target", "level2", "name", "why"),
    [
        ("20万元", "成本指标", "成本", "按“不高于”（≤）计分（成本指标）"),
        ("30天", "时效指标", "办理时限", "按“不高于”（≤）计分（时效指标中的时长）"),
        ("5%", "质量指标", "投诉率", "按“不高于”（≤）计分（指标名称含“投诉率”）"),
        ("90%", "质量指标", "合格率", "按“不低于”（≥）计分"),
    ],
)
def test_bare_figure_reading_says_why(target, level2, name, why):
    # PX022 names the reading and its reason, and nothing after it
    result = score_row(row(target, target, level2=level2, name=name), MOF)
    (info,) = [f for f in result.findings if f.code == "PX022"]
    assert info.message.endswith(f"指标值“{target}”未写比较符号，{why}")
