"""Profile settings read as enums, and what each says to a clerk: pinned after the mutation
re-run of issue 14 item 1 (the settings moved from strings to enums after the first run).

A setting the profile loader would refuse cannot reach the engine from a profile file; a
caller that builds a Profile by hand gets an error naming the setting, never a fallback
that scores the row some other way (the same rule as test_pinned_methods).
"""

from dataclasses import replace
from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.profiles import load_profile
from perfxl.rates import funds_points
from perfxl.scoring import score_row

MOF = load_profile("mof2020")


def px022(result):
    (info,) = [f for f in result.findings if f.code == "PX022"]
    return info.message


def test_bare_figure_read_as_equal_says_so_in_full(tmp_path):
    # [rows] bare = "equal": 90% against 100% is the deviation rule, 1 − 10/90 =
    # 0.8889 → 8.89 points, and PX022 ends with exactly the reading's Chinese name
    profile = profile_file(tmp_path, '[rows]\nbare = "equal"\n')
    result = score_row(indicator("90%", "100%", 10), profile)
    assert result.score == D("8.89")
    assert px022(result).endswith("指标值“90%”未写比较符号，按“等于”（=）计分")


def test_bare_duration_read_as_equal_says_so(tmp_path):
    # [deadlines] bare_duration = "equal": 30天 on a time row must take 30 days; 30天
    # against 30天 is 100% → 10 points, read as 等于 "（时效指标中的时长）"
    profile = profile_file(tmp_path, '[deadlines]\nbare_duration = "equal"\n')
    result = score_row(indicator("30天", "30天", 10, level2="时效指标"), profile)
    assert result.score == D("10.00")
    assert px022(result).endswith("指标值“30天”未写比较符号，按“等于”（=）计分（时效指标中的时长）")


def test_an_unknown_bare_reading_is_an_error():
    profile = replace(MOF, rows=replace(MOF.rows, bare="halves"))
    with pytest.raises(ValueError, match="unknown bare reading 'halves'"):
        score_row(indicator("90%", "100%", 10), profile)


def test_an_unknown_deadline_reading_is_an_error():
    profile = replace(MOF, deadlines=replace(MOF.deadlines, bare="halves"))
    with pytest.raises(ValueError, match="unknown deadline reading 'halves'"):
        score_row(indicator("2023年12月", "2023年11月", 10, level2="时效指标"), profile)


def test_an_unknown_points_rounding_is_an_error():
    # the same rate and weight score 9.00 when rounded (90% × 10) …
    assert funds_points(D("0.9"), D(10), MOF.execution, MOF) == D("9.00")
    # … and an unknown rounding is named, not treated as one of the two
    rule = replace(MOF.execution, points_rounding="halves")
    with pytest.raises(ValueError, match="unknown points rounding 'halves'"):
        funds_points(D("0.9"), D(10), rule, MOF)


def test_an_unknown_entered_scores_setting_is_an_error():
    # ≥2个 / 1个 with the evaluator's 8 of 10: recompute gives 1/2 × 10 = 5 …
    row = indicator("≥2个", "1个", 10, 8)
    assert score_row(row, MOF).score == D("5.00")
    # … and a setting that is neither recompute nor keep is named, not read as keep (8)
    profile = replace(MOF, rows=replace(MOF.rows, entered_scores="halves"))
    with pytest.raises(ValueError, match="unknown entered_scores 'halves'"):
        score_row(row, profile)
