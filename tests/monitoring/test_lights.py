"""The monitoring arithmetic (perfxl.monitoring.lights) against hand-worked figures."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from perfxl.model import QualLevel
from perfxl.monitoring.lights import (
    Light,
    RowKind,
    execution_light,
    execution_rate,
    execution_ratio,
    indicator_light,
    indicator_progress,
    likelihood_light,
    predicted_short,
    project_light,
    time_progress,
    worst,
)
from perfxl.profiles import ProfileError, load_profile
from perfxl.profiles.settings import MonitoringSettings
from perfxl.rounding import excel_round

D = Decimal
DEFAULTS = MonitoringSettings()


def test_time_progress_is_months_over_twelve():
    assert time_progress(6) == D("0.5")  # 6 / 12
    assert excel_round(time_progress(5), 4) == D("0.4167")  # 5 / 12 = 0.41666… (seed 004: 41.7%)
    assert excel_round(time_progress(8), 4) == D("0.6667")  # 8 / 12 = 0.66666… (66.7%)
    assert time_progress(12) == 1
    for bad in (0, 13):
        with pytest.raises(ValueError):
            time_progress(bad)


def test_golden_220_budget_87_57_spent_by_june_is_yellow():
    # 87.57 / 220 = 0.398045… → 39.80% (half up at 4 digits); 序时进度 6/12 = 50%;
    # v = 0.3980 / 0.5 = 0.796 < 0.8 → 黄 (and ≥ 0.6, so not 红)
    rate = execution_rate(D("87.57"), None, D("220"))
    assert rate == D("0.398")
    assert execution_ratio(rate, time_progress(6)) == D("0.796")
    assert execution_light(rate, time_progress(6), DEFAULTS) == Light.YELLOW
    # 全年预算数 0 counts as blank: 年初预算数 is taken
    assert execution_rate(D("87.57"), D("0"), D("220")) == D("0.398")
    assert execution_rate(D("87.57"), None, None) is None


@pytest.mark.parametrize(
    ("rate", "month"),
    [
        # seed 004, May: 46% against 5/12; v = 0.46 × 12 / 5 = 1.104 ≥ 0.8 → 绿
        (D("0.46"), 5),
        # seed 004, August: 68% against 8/12; v = 0.68 × 12 / 8 = 1.02 ≥ 0.8 → 绿
        (D("0.68"), 8),
    ],
)
def test_seed_004_rounds_are_green(rate, month):
    assert execution_light(rate, time_progress(month), DEFAULTS) == Light.GREEN


def test_execution_thresholds_edges():
    half = time_progress(6)
    assert execution_light(D("0.2999"), half, DEFAULTS) == Light.RED  # v 0.5998 < 0.6
    assert execution_light(D("0.3"), half, DEFAULTS) == Light.YELLOW  # v 0.6 exactly
    assert execution_light(D("0.4"), half, DEFAULTS) == Light.GREEN  # v 0.8 exactly
    strict = replace(DEFAULTS, execution_red=D("0.9"), execution_yellow=D("1"))
    assert execution_light(D("0.4"), half, strict) == Light.RED  # v 0.8 < 0.9


def test_prorated_indicator_progress_and_lights():
    # ≥100 people, 45 trained by June: 45 / (100 × 6/12) = 0.9 → 绿
    progress = indicator_progress(D(45), D(100), RowKind.PRORATED, 6)
    assert progress == D("0.9")
    assert indicator_light(RowKind.PRORATED, DEFAULTS, progress) == Light.GREEN
    # 25 by June: 25 / 50 = 0.5 → 红; 35: 0.7 → 黄; 60: 1.2 → 蓝
    for actual, light in ((25, Light.RED), (35, Light.YELLOW), (60, Light.BLUE), (59, Light.GREEN)):
        p = indicator_progress(D(actual), D(100), RowKind.PRORATED, 6)
        assert indicator_light(RowKind.PRORATED, DEFAULTS, p) == light, actual


def test_rates_are_not_prorated():
    # 合格率 ≥95%, 90% so far: 90 / 95 = 0.947… → 绿 (pro-rated it would be 1.89 → 蓝)
    progress = indicator_progress(D(90), D(95), RowKind.LEVEL, 6)
    assert excel_round(progress, 4) == D("0.9474")
    assert indicator_light(RowKind.LEVEL, DEFAULTS, progress) == Light.GREEN


def test_ceiling_rows_and_deadlines_and_qualitative():
    assert indicator_light(RowKind.CEILING, DEFAULTS, within=True) == Light.GREEN
    assert indicator_light(RowKind.CEILING, DEFAULTS, within=False) == Light.RED
    assert indicator_light(RowKind.DEADLINE, DEFAULTS, met=True) == Light.GREEN
    assert indicator_light(RowKind.DEADLINE, DEFAULTS, met=False) == Light.RED
    # not yet due: only the prediction and the answer judge it
    assert indicator_light(RowKind.DEADLINE, DEFAULTS) is None
    assert indicator_light(RowKind.DEADLINE, DEFAULTS, likelihood="确定能") == Light.GREEN
    assert indicator_light(RowKind.DEADLINE, DEFAULTS, likelihood="有可能") == Light.YELLOW
    assert indicator_light(RowKind.DEADLINE, DEFAULTS, predicted_short=True) == Light.YELLOW
    assert indicator_light(RowKind.QUALITATIVE, DEFAULTS, level=QualLevel.PARTIAL) == Light.YELLOW
    assert indicator_light(RowKind.QUALITATIVE, DEFAULTS, level=QualLevel.NOT_ACHIEVED) == Light.RED


def test_prediction_and_likelihood_only_make_a_light_worse():
    good = indicator_progress(D(50), D(100), RowKind.PRORATED, 6)  # 50 / 50 = 1 → 绿
    assert indicator_light(RowKind.PRORATED, DEFAULTS, good, predicted_short=True) == Light.YELLOW
    assert indicator_light(RowKind.PRORATED, DEFAULTS, good, likelihood="完全不可能") == Light.RED
    low = indicator_progress(D(20), D(100), RowKind.PRORATED, 6)  # 20 / 50 = 0.4 → 红
    assert indicator_light(RowKind.PRORATED, DEFAULTS, low, likelihood="确定能") == Light.RED
    assert predicted_short(D(90), D(100), ceiling=False)
    assert not predicted_short(D(100), D(100), ceiling=False)
    assert predicted_short(D(21), D(20), ceiling=True)


def test_likelihood_answers():
    assert likelihood_light("确定能") == Light.GREEN
    assert likelihood_light("有可能") == Light.YELLOW
    assert likelihood_light("完全不可能") == Light.RED
    assert likelihood_light("確定能") == Light.GREEN  # traditional characters
    assert likelihood_light(" ") is None and likelihood_light(None) is None


def test_worst_orders_red_yellow_blue_green():
    assert worst([Light.GREEN, Light.BLUE]) == Light.BLUE
    assert worst([Light.BLUE, Light.YELLOW, None]) == Light.YELLOW
    assert worst([None]) is None
    assert project_light(Light.GREEN, [Light.GREEN, Light.RED]) == Light.RED
    assert project_light(Light.YELLOW, []) == Light.YELLOW


def test_profiles_carry_the_monitoring_thresholds(tmp_path):
    for name in ("mof2020", "xj-60", "xj-prop", "hubei"):
        assert load_profile(name).monitoring == DEFAULTS
    custom = tmp_path / "county.toml"
    custom.write_text(
        'name = "county"\nextends = "mof2020"\n[monitoring]\nexecution_yellow = 0.9\n',
        encoding="utf-8",
    )
    assert load_profile(str(custom)).monitoring.execution_yellow == D("0.9")
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "bad"\nextends = "mof2020"\n[monitoring]\nexecution_red = 0.9\n'
        "execution_yellow = 0.8\nindicator_blu = 1.5\n",
        encoding="utf-8",
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(str(bad))
    assert "monitoring.execution_red 不应大于 monitoring.execution_yellow" in str(caught.value)
    assert "indicator_blu" in str(caught.value)
