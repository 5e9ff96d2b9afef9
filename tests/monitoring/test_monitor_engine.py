"""The monitoring engine on rows of every kind, figures worked by hand in the comments."""

from __future__ import annotations

from decimal import Decimal

import pytest

from perfxl.model import CellRef
from perfxl.monitoring.engine import score_monitoring
from perfxl.monitoring.lights import Light, RowKind
from perfxl.monitoring.model import MonitoringFunds, MonitoringRow, MonitoringTable
from perfxl.profiles import load_profile

D = Decimal
PROFILE = load_profile(None)


def judge(month: int | None = 6, funds: MonitoringFunds | None = None, **row):
    cells = {
        "name": CellRef("表", 11, 4),
        "target": CellRef("表", 11, 5),
        "actual": CellRef("表", 11, 6),
    }
    spec = {"level1": "产出指标", "level2": "数量指标", "name": "培训人数", "target_text": None,
            "actual_text": None} | row  # fmt: skip
    table = MonitoringTable(
        "表",
        project="测试",
        year=2024,
        month=month,
        funds=funds or MonitoringFunds(initial_budget=D(100), spent=D(50)),
        rows=(MonitoringRow(**spec, cells=cells),),
    )
    return score_monitoring(table, PROFILE)


@pytest.mark.parametrize(
    ("row", "kind", "progress", "light"),
    [
        # ≥ count, pro-rated: 45 / (100 × 6/12) = 0.9 → 绿
        ({"target_text": "≥100人", "actual_text": "45人"}, RowKind.PRORATED, "0.9", Light.GREEN),
        # 60 / 50 = 1.2 → 蓝 (target too low?)
        ({"target_text": "≥100人", "actual_text": "60人"}, RowKind.PRORATED, "1.2", Light.BLUE),
        # money, units converted: 30万元 of ≥100万元 by June: 30 / 50 = 0.6 → 黄 (not below 0.6)
        ({"target_text": "≥100万元", "actual_text": "300000元"}, RowKind.PRORATED, "0.6", Light.YELLOW),
        # a rate is not pro-rated: 90% / 95% = 0.94736… → 0.9474 → 绿
        ({"level2": "质量指标", "name": "验收合格率", "target_text": "≥95%", "actual_text": "90%"},
         RowKind.LEVEL, "0.9474", Light.GREEN),
        # satisfaction: 50 / 90 = 0.5555… → 红
        ({"level1": "满意度指标", "level2": "服务对象满意度", "name": "群众满意度", "target_text": "≥90",
          "actual_text": "50"}, RowKind.LEVEL, "0.5556", Light.RED),
        # ≤ ceiling kept: 18 ≤ 20 → 绿 (progress 18 / 20 = 0.9 shown)
        ({"level2": "成本指标", "name": "人均成本", "target_text": "≤20万元", "actual_text": "18万元"},
         RowKind.CEILING, "0.9", Light.GREEN),
        # beyond the ceiling: 21 > 20 → 红
        ({"level2": "成本指标", "name": "人均成本", "target_text": "≤20万元", "actual_text": "21万元"},
         RowKind.CEILING, "1.05", Light.RED),
        # qualitative: 部分达成 → 黄
        ({"level1": "效益指标", "level2": "社会效益指标", "name": "群众获得感", "target_text": "有效提升",
          "actual_text": "部分达成"}, RowKind.QUALITATIVE, None, Light.YELLOW),
    ],
)  # fmt: skip
def test_row_kinds_progress_and_lights(row, kind, progress, light):
    (judged,) = judge(**row).rows
    assert judged.kind == kind
    assert judged.progress == (None if progress is None else D(progress))
    assert judged.light == light


def test_deadlines_not_yet_due_are_judged_by_the_prediction_and_the_answer():
    row = {"level2": "时效指标", "name": "完工时间", "target_text": "2024年10月底前"}
    # not due in June and nothing reported: no light of its own; 有可能 → 黄
    assert judge(**row, actual_text="按计划推进").rows[0].light is None
    assert judge(**row, actual_text="按计划推进", likelihood="有可能").rows[0].light == Light.YELLOW
    # predicted after the deadline: at least 黄
    assert judge(**row, predicted_text="2024年11月").rows[0].light == Light.YELLOW
    # done in May: 绿
    assert judge(**row, actual_text="2024年5月").rows[0].light == Light.GREEN
    # due in March, June reports nothing done: missed → 红
    late = {**row, "target_text": "2024年3月底前"}
    assert judge(**late).rows[0].light == Light.RED


def test_prediction_below_target_is_at_least_yellow():
    # 50 / 50 = 1 → 绿 by progress; 全年预计 90人 < 100人 → 黄
    judged = judge(target_text="≥100人", actual_text="50人", predicted_text="90人").rows[0]
    assert judged.predicted_short and judged.light == Light.YELLOW
    # a red row stays red
    judged = judge(target_text="≥100人", actual_text="10人", predicted_text="90人").rows[0]
    assert judged.light == Light.RED


def test_project_light_is_the_worst_of_rows_and_execution():
    # 50 / 100 = 50% by June → v 1 → 绿; the row 10 / 50 = 0.2 → 红: the project is 红
    result = judge(target_text="≥100人", actual_text="10人")
    assert result.execution_light == Light.GREEN and result.light == Light.RED
    # 20 / 100 = 20%: v = 0.4 → 红 while the row is 绿
    funds = MonitoringFunds(initial_budget=D(100), spent=D(20))
    result = judge(funds=funds, target_text="≥100人", actual_text="50人")
    assert result.execution_light == Light.RED and result.light == Light.RED


def test_full_year_budget_wins_over_the_initial_one():
    # 全年预算数 120 after an adjustment: 60 / 120 = 50% (not 60 / 100 = 60%)
    funds = MonitoringFunds(initial_budget=D(100), budget=D(120), spent=D(60))
    assert judge(funds=funds).execution_rate == D("0.5")


def test_no_month_no_time_progress_nor_pro_rated_progress():
    result = judge(month=None, target_text="≥100人", actual_text="45人")
    assert result.time_progress is None and result.execution_light is None
    assert result.rows[0].progress is None


def test_missing_amounts_are_px016():
    result = judge(funds=MonitoringFunds())
    assert result.execution_rate is None
    assert [f.code for f in result.findings] == ["PX016"]


def test_a_custom_profile_moves_the_thresholds(tmp_path):
    custom = tmp_path / "strict.toml"
    custom.write_text(
        'name = "strict"\nextends = "mof2020"\n[monitoring]\nexecution_yellow = 1.1\n'
        "indicator_blue = 1.5\n",
        encoding="utf-8",
    )
    profile = load_profile(str(custom))
    table = MonitoringTable(
        "表",
        month=6,
        funds=MonitoringFunds(initial_budget=D(100), spent=D(50)),
        rows=(MonitoringRow("产出指标", "数量指标", "培训人数", "≥100人", "60人"),),
    )
    result = score_monitoring(table, profile)
    # v = 0.5 / 0.5 = 1 < 1.1 → 黄 under this profile; 60 / 50 = 1.2 < 1.5 → 绿
    assert result.execution_light == Light.YELLOW and result.rows[0].light == Light.GREEN
