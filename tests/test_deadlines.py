"""Deadlines (issue 8, item 7): a bare month or date on a time row is a deadline; a
month without a year takes the table's year; a later year is late; an unknown year that
matters is reported, never guessed. Worked out by hand in each comment."""

from decimal import Decimal as D

import pytest
from _rows import indicator, profile_file

from perfxl.model import IndicatorTable, Quantity, TextProblem
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import score_row, score_table
from perfxl.units import DATE_UNIT, MONTH_OF_YEAR_UNIT, align_calendar, describe

MOF = load_profile("mof2020")


def row(target, actual, weight=10, level2="时效指标", name="项目完成时间", score=None):
    return indicator(target, actual, weight, score, level2=level2, name=name)


@pytest.mark.parametrize(
    ("target", "actual", "year", "rate"),
    [
        # a bare full date: a deadline; November 2023 is before December 2023 → met
        ("2023年12月", "2023年11月", None, "1"),
        ("2023年12月", "2023年12月28日", None, "1"),  # same month → met
        ("2023年12月", "2024年1月10日", None, "0"),  # later → late, rate 0
        # a bare 12月 on a time row is December of the table's year (2023 → 2023×12+12)
        ("12月", "2023年12月20日", 2023, "1"),
        ("12月", "2024年1月10日", 2023, "0"),  # 2024×12+1 > 2023×12+12 → late
        ("12月", "11月", None, "1"),  # both without a year: months compare directly
        ("12月底前", "2023年11月", 2023, "1"),
        ("9月前", "2023年10月", 2023, "0"),  # October after September → late
        ("9月前", "2023年9月", 2023, "1"),
        # 次年1月 is month 13 of the table's frame: later than 12 whatever the year
        ("12月底前", "次年1月完成", None, "0"),
        ("12月", "次年1月完成", None, "0"),
        # a dated target and an actual month: the month takes the table's year, else
        # the target's (2023年12月前 vs 11月 → 2023-11 ≤ 2023-12 → met)
        ("2023年12月前", "11月", None, "1"),
        ("2023年12月前", "次年1月", None, "0"),  # 2023×12+13 = January 2024 → late
        ("2023年12月前", "11月", 2024, "0"),  # the table says 2024: 2024-11 is late
        ("12月份", "2023年12月", 2023, "1"),  # 12月份 bare: a deadline too
    ],
)
def test_deadline_rows(target, actual, year, rate):
    result = score_row(row(target, actual), MOF, year=year)
    assert result.method == Method.COMPUTED, result.findings
    assert result.rate == D(rate)
    assert result.score == D(rate) * 10


def test_bare_date_finding_says_it_is_a_deadline():
    result = score_row(row("2023年12月", "2023年11月"), MOF)
    (info,) = [f for f in result.findings if f.code == "PX022"]
    assert "完成时限" in info.message and "不晚于2023年12月" in info.message


def test_table_year_reaches_the_rows():
    # the table's year 2023 places 12月 in December 2023; 2024年1月10日 is late: 0 of 10,
    # the other row full: total 90 of 100
    table = IndicatorTable(
        sheet="表",
        year=2023,
        indicators=(
            row("12月", "2024年1月10日"),
            row("≥2个", "2个", weight=90, level2="数量指标", name="建设数量"),
        ),
    )
    result = score_table(table, MOF)
    assert result.rows[0].rate == D(0)
    assert result.total == D("90.00")
    # the same table a year later: 2024年1月 is before December 2024 → met, 100
    later = IndicatorTable(sheet="表", year=2024, indicators=table.indicators)
    assert score_table(later, MOF).total == D("100.00")


def test_unknown_year_with_entered_score_warns_and_takes_it():
    # 12月 vs 2024年1月10日 and no table year: late or not depends on the year; the
    # evaluator's 6 is taken, with a warning (PX023), never a guess
    result = score_row(row("12月", "2024年1月10日", score=6), MOF, year=None)
    assert result.method == Method.MANUAL
    assert result.score == D(6)
    assert [(f.code, f.severity) for f in result.findings if f.code != "PX022"] == [
        ("PX023", "warning")
    ]


def test_unknown_year_without_entered_score_cannot_be_scored():
    result = score_row(row("12月底前", "2023年12月20日"), MOF, year=None)
    assert result.method == Method.UNSCORED
    assert result.score == 0
    assert [f.code for f in result.findings] == ["PX017"]
    assert "年度" in result.findings[0].message


def test_late_rate_setting(tmp_path):
    # [deadlines] late_rate = 0.6: finishing late gets 60% → 6 of 10 (default 0 → 0)
    profile = profile_file(tmp_path, "[deadlines]\nlate_rate = 0.6\n")
    assert score_row(row("9月前", "2023年10月"), profile, year=2023).score == D("6.00")
    assert score_row(row("9月前", "2023年10月"), MOF, year=2023).score == D("0.00")


def test_bare_date_setting_equal(tmp_path):
    # [deadlines] bare = "equal": 2023年12月 must be met in that month; November → 0
    profile = profile_file(tmp_path, '[deadlines]\nbare = "equal"\n')
    assert score_row(row("2023年12月", "2023年11月"), profile).score == D("0.00")
    assert score_row(row("2023年12月", "2023年12月5日"), profile).score == D("10.00")
    # an explicit deadline word stays a deadline under either setting
    assert score_row(row("2023年12月前", "2023年11月"), profile).score == D("10.00")


def test_time_level2_setting(tmp_path):
    # 12月 on a 数量指标 row is 12 months, read at least: 11月 → 11/12 = 0.9167 → 9.17
    assert score_row(row("12月", "11月", level2="数量指标"), MOF).score == D("9.17")
    # naming 数量指标 a time row makes it December: 11月 is before → met, 10
    profile = profile_file(tmp_path, '[deadlines]\ntime_level2 = ["数量指标"]\n')
    assert score_row(row("12月", "11月", level2="数量指标"), profile).score == D("10.00")


def test_bad_late_rate_is_a_profile_error(tmp_path):
    from perfxl.profiles import ProfileError

    with pytest.raises(ProfileError, match=r"deadlines\.late_rate"):
        profile_file(tmp_path, "[deadlines]\nlate_rate = 2\n")


def test_align_calendar_values():
    december = Quantity(D(12), MONTH_OF_YEAR_UNIT)
    jan_2024 = Quantity(D(2024 * 12 + 1), DATE_UNIT)
    # 2023 × 12 + 12 = 24288; January 2024 = 24289
    assert align_calendar(december, jan_2024, 2023) == (D(24288), D(24289))
    assert isinstance(align_calendar(december, jan_2024, None), TextProblem)
    # next-year months: 13 in a 2023 table is January 2024
    assert align_calendar(Quantity(D(13), MONTH_OF_YEAR_UNIT), jan_2024, 2023) == (
        D(24289),
        D(24289),
    )
    assert describe(Quantity(D(13), MONTH_OF_YEAR_UNIT)) == "次年1月"
    # not a calendar target: left to align
    assert align_calendar(Quantity(D(5)), Quantity(D(3)), 2023) is None


def test_twelve_months_typed_as_a_duration():
    # `12月` on a time row is December, but an actual of `12个月` shows it meant 12 months:
    # a time limit read at most, 12 ≤ 12 → met, 10 (it was a unit mismatch otherwise)
    result = score_row(row("12月", "12个月"), MOF, year=2023)
    assert result.score == D("10.00")
    assert any("时长" in f.message for f in result.findings if f.code == "PX022")


def test_bare_duration_on_a_time_row_is_a_limit(tmp_path):
    # 30天 bare on a time row: at most. 25天 → full; 35天 → 30/35 = 0.857142… → 8.57
    assert score_row(row("30天", "25天"), MOF).score == D("10.00")
    assert score_row(row("30天", "35天"), MOF).score == D("8.57")
    # [deadlines] bare_duration = "at_least": 25天 → 25/30 = 0.8333 → 8.33
    profile = profile_file(tmp_path, '[deadlines]\nbare_duration = "at_least"\n')
    assert score_row(row("30天", "25天"), profile).score == D("8.33")
    # on a 数量指标 row a bare 30天 is read by [rows] bare (at least): 25/30 → 8.33
    assert score_row(row("30天", "25天", level2="数量指标"), MOF).score == D("8.33")


def test_date_typed_as_a_date_cell():
    import datetime

    from perfxl.model import Target
    from perfxl.quantities import parse_target
    from perfxl.rates import read_target

    # a date cell 2023-12-31 is a bare date: read as a deadline in December 2023
    target = parse_target(datetime.date(2023, 12, 31))
    assert isinstance(target, Target) and target.bare
    read, _ = read_target(target, "完成时间", "时效指标", MOF)
    assert read.deadline and read.quantity.value == 2023 * 12 + 12
    # typed as text the same: 2024-01-10 is late (0), 2023-12-20 met (10)
    assert score_row(row("2023-12-31", "2024-01-10"), MOF).score == D("0.00")
    assert score_row(row("2023-12-31", "2023-12-20"), MOF).score == D("10.00")
