"""Reading monitoring tables: layouts, month labels, and never a 自评表 (both ways).

Expected figures are worked by hand in the comments; none was copied from perfxl's output.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from monitoring import workbooks as wb
from perfxl.api import score_file
from perfxl.cli import main
from perfxl.monitoring.lights import Light
from perfxl.profiles import load_profile
from perfxl.reader import read_workbook
from perfxl.validation import check_file

ROOT = Path(__file__).resolve().parents[2]
D = Decimal


def _only(path: Path):
    read = read_workbook(path)
    assert read.tables == [], "a monitoring table was read as a 自评表"
    (table,) = read.monitoring
    return table


def test_mof_annex_layout(tmp_path):
    rows = [
        wb.indicator("产出指标", "数量指标", "培训人数", "≥100人", "45人", "100人"),
        wb.indicator("产出指标", "质量指标", "培训合格率", "≥95%", "90%", "95%",
                     causes=("人员保障", "其他"), likelihood="有可能", reason="讲师调整"),
    ]  # fmt: skip
    table = _only(wb.mof_annex(tmp_path / "a.xlsx", rows=rows))
    assert (table.project, table.department, table.unit) == ("示范项目", "示范局", "示范中心")
    assert (table.year, table.month, table.date) == (2024, 6, (2024, 7))
    assert table.funds.initial_budget == 220 and table.funds.spent == D("87.57")
    assert table.funds.budget is None and table.funds.predicted == 220
    first, second = table.rows
    assert (first.level1, first.level2, first.name) == ("产出指标", "数量指标", "培训人数")
    assert (first.target_text, first.actual_text, first.predicted_text) == (
        "≥100人",
        "45人",
        "100人",
    )
    assert first.causes == () and first.likelihood == "确定能"
    assert second.causes == ("人员保障", "其他") and second.likelihood == "有可能"
    assert second.reason == "讲师调整" and str(second.cells["target"]) == "监控表!E12"


@pytest.mark.parametrize(
    ("label", "month"),
    [("1-6月", 6), ("1—7月", 7), ("1－8月", 8), ("一至五月", 5), ("1~9月", 9), ("1-12月", 12)],
)
def test_month_from_the_column_labels(tmp_path, label, month):
    assert _only(wb.mof_annex(tmp_path / "m.xlsx", month_label=label)).month == month


def test_month_until_the_end_of_and_from_a_month_cell(tmp_path):
    rows, merges = wb.mof_annex_rows(month_label="截至6月底")
    # 截至6月底执行数 / 截至6月底实际完成值
    assert _only(wb.write(tmp_path / "u.xlsx", rows, merges)).month == 6
    rows, merges = wb.mof_annex_rows(month_label="", extra_header=[["监控月份", "1-5月"]])
    table = _only(wb.write(tmp_path / "c.xlsx", rows, merges))
    assert table.month == 5 and str(table.cells["month"]) == "监控表!B5"


def test_traditional_characters_and_likelihood_ticks(tmp_path):
    rows = [
        ["項目支出績效目標執行監控表"],
        ["項目名稱", "傳統項目"],
        ["項目資金（萬元）", "年初預算數", "全年預算數", "1-6月執行數", "執行率"],
        ["年度資金總額", 100, 120, 30],
        ["一級指標", "二級指標", "三級指標", "年度指標值", "1-6月實際完成值", "完成目標可能性"],
        [None, None, None, None, None, "確定能", "有可能", "完全不可能"],
        ["產出指標", "數量指標", "培訓人數", "≥100人", "20人", None, None, "√"],
    ]
    table = _only(wb.write(tmp_path / "t.xlsx", rows))
    assert table.project == "傳統項目" and table.month == 6
    # 全年預算數 120 is the denominator: 30 / 120 = 25%
    assert table.funds.budget == 120 and table.funds.spent == 30
    (row,) = table.rows
    assert (row.name, row.likelihood) == ("培訓人數", "完全不可能")
    result = score_file(tmp_path / "t.xlsx").monitoring[0]
    # 25% / 50% = 0.5 < 0.6 → 红; 20 / (100 × 6/12) = 0.4 → 红
    assert result.execution_rate == D("0.25") and result.execution_light == Light.RED
    assert result.rows[0].progress == D("0.4") and result.light == Light.RED


def test_cause_written_as_text(tmp_path):
    rows = [
        ["项目支出绩效目标执行监控表"],
        ["项目名称", "文字原因"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "1-7月实际完成值", "全年预计完成值",
         "偏差原因分析", "原因说明"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "20人", "60人", "经费保障不足，资金8月到位", ""],
    ]  # fmt: skip
    (row,) = _only(wb.write(tmp_path / "x.xlsx", rows)).rows
    assert row.causes == ("经费保障",) and row.cause_text == "经费保障不足，资金8月到位"


# --- a published table: 黄石市项目支出绩效监控表（申遗）, 2019 (tests/monitoring/workbooks.py) ---


def test_huangshi_2019_as_published(tmp_path):
    table = _only(wb.huangshi(tmp_path / "huangshi.xlsx"))
    assert table.project == "申遗经费" and table.department == "黄石市文化和旅游局"
    assert table.unit == "黄石市文物局(湖北水泥遗址博物馆)"  # printed as 项目执行单位
    assert (table.year, table.month) == (2019, 6)  # (2019年度), 1-6月执行数
    assert table.funds.initial_budget == 220 and table.funds.spent == D("87.57")
    # the empty 质量 / 时效 rows are placeholders, not indicators
    assert [(r.level1, r.name) for r in table.rows] == [
        ("产出指标", "成本"),
        ("效益指标", "社会效益"),
    ]
    assert table.rows[0].target_text == "年度预算220万元"
    assert table.rows[0].actual_text == "按进度执行,已使用约40%"


def test_huangshi_golden_figures_through_score_json(tmp_path):
    path = wb.huangshi(tmp_path / "huangshi.xlsx")
    result = CliRunner().invoke(main, ["score", "--format", "json", str(path)])
    assert result.exit_code == 0, result.output  # PX030 warnings only
    (table,) = json.loads(result.output)["files"][0]["tables"]
    # 年初预算 220 (no 全年预算数), 1-6月执行 87.57: 87.57 / 220 = 0.398045… → 39.80%;
    # 序时进度 6/12 = 50%; v = 0.3980 / 0.5 = 0.796 < 0.8 → 黄 (not below 0.6)
    assert table["kind"] == "monitoring"
    assert (table["month"], table["time_progress"]) == (6, 0.5)
    assert table["execution_rate"] == 0.398 and table["execution_ratio"] == 0.796
    assert table["execution_light"] == "黄"
    # both rows are judged by 完成目标可能性 确定能 (绿): the project is as bad as its execution
    assert [row["light"] for row in table["indicators"]] == ["绿", "绿"]
    assert table["light"] == "黄"
    for key in ("month", "time_progress", "execution_rate", "execution_light", "light"):
        assert key in table
    for row in table["indicators"]:
        assert {"progress", "light"} <= row.keys()
    assert {f["code"] for f in table["findings"]} == {"PX030"}


def test_text_output_shows_lights_in_words(tmp_path):
    path = wb.huangshi(tmp_path / "huangshi.xlsx")
    output = CliRunner().invoke(main, ["score", str(path)]).output
    assert "预算执行 黄灯" in output and "项目预警：黄灯" in output
    assert (
        "执行率 39.80%" in output and "序时进度 50.00%" in output and "执行进度比 0.796" in output
    )
    assert "绿灯" in output


# --- neither reader takes the other's tables ---------------------------------------------


SELF_WORKBOOKS = sorted(
    [*(ROOT / "examples" / "seeds").glob("*.xlsx"), *(ROOT / "workbook_templates").glob("*_self_*.xlsx"),
     *(ROOT / "workbook_templates").glob("*_eval_*.xlsx")]
) + sorted(p for p in (ROOT / "examples" / "county").rglob("*.xlsx") if "监控" not in p.parts)  # fmt: skip
MONITOR_WORKBOOKS = sorted(
    [*(ROOT / "workbook_templates").glob("*_monitor_*.xlsx"), *(ROOT / "examples" / "county" / "监控").rglob("*.xlsx")]
)  # fmt: skip


def test_no_self_evaluation_workbook_holds_a_monitoring_table():
    assert len(SELF_WORKBOOKS) >= 20
    for path in SELF_WORKBOOKS:
        read = read_workbook(path)
        assert read.monitoring == [], path


def test_no_monitoring_workbook_holds_a_self_evaluation_table(tmp_path):
    built = [wb.huangshi(tmp_path / "h.xlsx"), wb.mof_annex(tmp_path / "a.xlsx")]
    assert len(MONITOR_WORKBOOKS) >= 8
    for path in [*MONITOR_WORKBOOKS, *built]:
        read = read_workbook(path)
        assert read.tables == [] and len(read.monitoring) >= 1, path
        assert "PX002" not in {f.code for f in read.findings}


def test_a_workbook_with_both_keeps_them_apart_and_compares_targets(tmp_path):
    # seed 002 (机关运行补助项目) with a 监控表 sheet of the same project whose 支出分类
    # target was changed from 小于等于5个 to 小于等于6个: PX119 on the monitoring row
    book = load_workbook(ROOT / "examples" / "seeds" / "seed002.xlsx")
    sheet = book.create_sheet("监控表")
    rows, _ = wb.mof_annex_rows(
        project="机关运行补助项目",
        rows=[wb.indicator("产出指标", "数量指标", "支出分类", "小于等于6个", "4个")],
    )
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    path = tmp_path / "both.xlsx"
    book.save(path)
    check = check_file(path, load_profile("xj-prop"))
    assert len(check.tables) == 1 and len(check.monitoring) == 1
    assert [c.kind for c in check.checks] == ["self", "monitoring"]
    assert check.tables[0].result.total == D("88.26")  # seed 002's golden total unchanged
    drift = [f for f in check.monitoring[0].findings if f.code == "PX119"]
    assert any("小于等于6个" in f.message and str(f.cell) == "监控表!E11" for f in drift)
    document = json.loads(CliRunner().invoke(main, ["score", "--format", "json", str(path)]).output)
    kinds = [t["kind"] for t in document["files"][0]["tables"]]
    assert kinds == ["self", "monitoring"]


def test_the_batch_payload_of_a_mixed_file_lists_only_the_self_evaluation(tmp_path):
    from perfxl.batch.payload import file_payload

    path = wb.mof_annex(tmp_path / "a.xlsx")
    check = check_file(path, load_profile(None))
    assert check.tables == [] and len(check.monitoring) == 1 and not check.rejected
    payload = file_payload(check)  # the 自评表 summary never sees a monitoring table
    assert payload["tables"] == []


@pytest.mark.parametrize(
    ("label", "spent", "progress", "ratio"),
    [
        # seed 004, May: 24,066万元 monitored, 46% spent; 序时进度 5/12 = 0.41666… → 41.67%;
        # v = 0.46 / (5/12) = 1.104 ≥ 0.8 → 绿 ("略高于序时进度")
        ("1-5月", 11070.36, 0.4167, 1.104),  # 24066 × 0.46 = 11070.36
        # seed 004, August: 36,905万元, 68% spent; 8/12 = 0.66666… → 66.67%; v = 0.68 × 12 / 8 = 1.02 → 绿
        ("1-8月", 25095.4, 0.6667, 1.02),  # 36905 × 0.68 = 25095.40
    ],
)
def test_seed_004_rounds_are_green_through_the_reader(tmp_path, label, spent, progress, ratio):
    budget = 24066 if label == "1-5月" else 36905
    path = wb.mof_annex(tmp_path / "r.xlsx", month_label=label, initial=budget, spent=spent,
                        predicted=budget)  # fmt: skip
    (result,) = score_file(path).monitoring
    assert result.execution_rate == (D("0.46") if label == "1-5月" else D("0.68"))
    assert result.time_progress == D(str(progress)) and result.execution_ratio == D(str(ratio))
    assert result.execution_light == Light.GREEN


def test_no_published_self_evaluation_case_holds_a_monitoring_table(tmp_path):
    """tests/realworld's transcribed 自评表, built with openpyxl (no LibreOffice re-save)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "realworld_build_monitor", ROOT / "tests" / "realworld" / "build.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    cases = sorted(build.CASES.glob("*.yml"))
    assert len(cases) >= 15
    for path in cases:
        workbook = build.write_openpyxl(build.load_case(path), tmp_path / f"{path.stem}.xlsx")
        read = read_workbook(workbook)
        assert read.monitoring == [] and read.tables, path.name
