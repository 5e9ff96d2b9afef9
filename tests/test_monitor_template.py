"""The monitor template (`perfxl template --form monitor`) without LibreOffice: its
sheets, labels, drop-downs, protection, light fills, names, the command, and the two
in-cell functions by hand. The recalculation against the engine is
tests/test_monitor_template_libreoffice.py; the committed copies are held to the
generator by tests/test_template.py (scripts/build_templates.py builds them too)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.excel.udfs import BAD_MONTH, PERF_MONITOR_LIGHT, PERF_TIME_PROGRESS
from perfxl.profiles import available_profiles, load_profile
from perfxl.template import build_template
from perfxl.template import layout as SL
from perfxl.template import monitor_layout as M

ROOT = Path(__file__).resolve().parents[1]
INPUT_FILL = "FFFFF2CC"


@pytest.fixture(scope="module", params=["plain", "udf"])
def book(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("monitor") / f"m_{request.param}.xlsx"
    built = build_template(load_profile("mof2020"), "monitor", request.param, path)
    return request.param, openpyxl.load_workbook(built)


def test_sheets_labels_and_meta(book):
    mode, wb = book
    assert wb.sheetnames == [SL.GUIDE_SHEET, M.SHEET, SL.META_SHEET, SL.LISTS_SHEET]
    assert [ws.sheet_state for ws in wb.worksheets] == ["visible", "visible", "hidden", "hidden"]
    ws = wb[M.SHEET]
    assert ws["A1"].value == "项目支出绩效目标执行监控表"
    assert [ws[c].value for c in ("A2", "C2", "E2", "A3", "A4", "G4")] == [
        "年度", "监控月份", "填报日期", "项目名称", "主管部门", "实施单位",
    ]  # fmt: skip
    assert ws[f"H{M.FUNDS_HEADER_ROW}"].value == "序时进度"
    funds = {k: ws[f"{c}{M.FUNDS_HEADER_ROW}"].value for k, c in M.FUNDS_COLUMNS.items()}
    assert funds["initial_budget"] == "年初预算数" and funds["budget"] == "全年预算数"
    assert funds["rate"] == "执行率" and funds["predicted"] == "全年预计执行数"
    # the month in the label comes by formula; the blank template shows 1-N月
    assert ws[f"E{M.FUNDS_HEADER_ROW}"].value.startswith("=IF(ISNUMBER($D$2),")
    rows = [ws[f"B{r}"].value for r in M.FUNDS_ROWS]
    assert rows == ["年度资金总额", "其中：财政拨款", "其他资金"]
    header = [ws.cell(M.HEADER_ROW, c + 1).value for c in range(len(M.COLUMNS))]
    assert header[:6] == ["一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位"]
    assert header[7:] == [
        "全年预计完成值", "进度", "灯", "偏差原因分析", "完成目标可能性", "原因说明", "改进措施",
    ]  # fmt: skip
    assert "月实际完成值" in header[6]
    assert ws[f"A{M.PROJECT_LIGHT_ROW}"].value.startswith("项目灯")
    meta = {row[0]: row[1] for row in wb[SL.META_SHEET].iter_rows(values_only=True)}
    assert (meta["form"], meta["formulas"], meta["profile"]) == ("monitor", mode, "mof2020")


def test_inputs_unlocked_computed_locked(book):
    mode, wb = book
    ws = wb[M.SHEET]
    assert ws.protection.sheet
    for cell in (M.YEAR_CELL, M.MONTH_CELL, M.DATE_CELL):
        assert not ws[cell].protection.locked and ws[cell].fill.fgColor.rgb == INPUT_FILL
    for r in range(M.FIRST_ROW, M.LAST_ROW + 1):
        for key in M.INPUT_COLUMNS:
            cell = ws[M.ref(key, r)]
            assert not cell.protection.locked and cell.fill.fgColor.rgb == INPUT_FILL, cell
        for key in ("progress", "light", *M.HELPERS):
            cell = ws[M.ref(key, r)]
            assert cell.protection.locked and cell.data_type == "f", cell
    for key in M.FUNDS_INPUTS:
        for r in M.FUNDS_ROWS:
            assert not ws[M.funds_ref(key, r)].protection.locked
    computed = [M.PROGRESS_CELL, *(M.funds_ref(k) for k in ("rate", "progress", "light"))]
    for cell in computed:
        assert ws[cell].data_type == "f" and ws[cell].protection.locked, cell
    udf_calls = "PERF_MONITOR_LIGHT(" in ws[M.funds_ref("light")].value
    assert udf_calls == (mode == "udf")
    assert ("PERF_TIME_PROGRESS(" in ws[M.PROGRESS_CELL].value) == (mode == "udf")
    assert ("PERF_MONITOR_LIGHT(" in ws[M.ref("light", M.FIRST_ROW)].value) == (mode == "udf")


def test_dropdowns_and_lists(book):
    _, wb = book
    ws = wb[M.SHEET]
    dv = {str(d.sqref): (d.type, d.formula1) for d in ws.data_validations.dataValidation}
    span = lambda key: f"{M.COL[key]}{M.FIRST_ROW}:{M.COL[key]}{M.LAST_ROW}"  # noqa: E731
    assert dv[M.MONTH_CELL] == ("list", "PX_MONTHS")
    assert dv[span("nature")] == ("list", '"≥,≤,等于,定性"')
    assert dv[span("cause")] == ("list", "PX_CAUSES")
    assert dv[span("likelihood")] == ("list", "PX_LIKELIHOOD")
    assert dv[span("unit")] == ("list", "PX_UNITS")
    lists = {}
    for name, defined in wb.defined_names.items():
        sheet, cells = next(defined.destinations)
        if sheet == SL.LISTS_SHEET:
            lists[name] = [c.value for row in wb[sheet][cells.replace("$", "")] for c in row]
    assert lists["PX_MONTHS"] == list(range(1, 13))
    assert lists["PX_LIKELIHOOD"] == ["确定能", "有可能", "完全不可能"]
    assert lists["PX_CAUSES"] == ["经费保障", "制度保障", "人员保障", "硬件条件保障", "其他"]
    assert lists["PX_QUAL"] == ["达成", "部分达成", "未达成"]


def test_every_light_cell_gets_the_four_fills(book):
    _, wb = book
    ws = wb[M.SHEET]
    fills: dict[str, set[str]] = {}
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            for word in M.LIGHT_FILLS:
                if rule.formula and rule.formula[0].endswith(f'="{word}"'):
                    fills.setdefault(str(cf.sqref), set()).add(word)
    lights = M.COL["light"]
    areas = {
        M.funds_ref("light"),
        f"{lights}{M.FIRST_ROW}:{lights}{M.LAST_ROW}",
        f"{lights}{M.PROJECT_LIGHT_ROW}",
    }
    assert {area: fills.get(area) for area in areas} == {area: set(M.LIGHT_FILLS) for area in areas}


def test_names_and_print_setup(book):
    _, wb = book
    names = wb.defined_names
    for name, cell in M.KEY_NAMES.items():
        assert names[name].attr_text == f"'{M.SHEET}'!{cell}"
    ws = wb[M.SHEET]
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$11:$11"


def test_the_guide_states_the_profiles_thresholds(tmp_path):
    source = tmp_path / "严.toml"
    source.write_text(
        'name = "严"\nextends = "mof2020"\n[monitoring]\nexecution_red = 0.7\n'
        "indicator_blue = 1.5\n",
        encoding="utf-8",
    )
    wb = openpyxl.load_workbook(
        build_template(load_profile(str(source)), "monitor", "plain", tmp_path / "t.xlsx")
    )
    text = "\n".join(str(c.value) for row in wb[SL.GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "低于 0.7 为红灯" in text and "达到 150% 及以上为蓝灯" in text
    rank = wb[M.SHEET][M.EXEC_RANK.replace("$", "")].value
    assert "<0.7,1," in rank and "<0.8,2," in rank  # the formulas take them too


def test_command_writes_the_monitor_template(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    done = CliRunner().invoke(main, ["template", "--form", "monitor"])
    assert done.exit_code == 0, done.output
    assert "绩效目标执行监控表" in done.output
    assert (tmp_path / "绩效监控表_mof2020_plain.xlsx").is_file()
    done = CliRunner().invoke(
        main, ["template", "--form", "monitor", "--formulas", "udf", "-p", "xj-60"]
    )
    assert done.exit_code == 0 and (tmp_path / "绩效监控表_xj-60_udf.xlsx").is_file()


def test_committed_monitor_templates_exist():
    for name in available_profiles():
        for mode in ("plain", "udf"):
            assert (ROOT / "workbook_templates" / f"{name}_monitor_{mode}.xlsx").is_file()


# --- the in-cell functions, figures worked out by hand ---------------------------------


def test_time_progress_by_hand():
    assert PERF_TIME_PROGRESS(6.0) == 0.5
    assert PERF_TIME_PROGRESS(5) == pytest.approx(0.4167, abs=5e-5)  # 5/12 = 41.67%
    assert PERF_TIME_PROGRESS(12) == 1
    assert PERF_TIME_PROGRESS(13) == PERF_TIME_PROGRESS(0) == PERF_TIME_PROGRESS(6.5) == BAD_MONTH
    assert PERF_TIME_PROGRESS("abc") == "#不是数字"


def test_execution_light_by_hand():
    # 87.57/220 = 39.80% against 50%: v = 0.796 → 黄
    assert PERF_MONITOR_LIGHT(0.398, 0.5) == "黄"
    assert PERF_MONITOR_LIGHT("39.80%", "50%", "执行") == "黄"
    # seed 004: 46% against 5/12 = 41.7% and 68% against 8/12 = 66.7% are 绿
    assert PERF_MONITOR_LIGHT(0.46, None, "执行", 5) == "绿"
    assert PERF_MONITOR_LIGHT(0.68, None, "执行", 8) == "绿"
    # exactly on the lines: 0.1 ÷ 2/12 = 0.6 → 黄 (the month gives N/12 exactly), 0.3 ÷ 0.5
    assert PERF_MONITOR_LIGHT(0.1, None, "执行", 2) == "黄"
    assert PERF_MONITOR_LIGHT(0.3, 0.5) == "黄" and PERF_MONITOR_LIGHT(0.4, 0.5) == "绿"
    assert PERF_MONITOR_LIGHT(0.29, 0.5) == "红"  # 0.58
    assert PERF_MONITOR_LIGHT(None, 0.5) == ""
    assert PERF_MONITOR_LIGHT(0.3, 0.5, "执行", 13) == BAD_MONTH
    assert PERF_MONITOR_LIGHT(0.3, 0.5, "执行", None, None, None, "没有这个规则") == "#评分规则无效"


def test_indicator_light_by_hand():
    # ≥200人 by June: 50 / (200 × 6/12) = 0.5 → 红; 120 / 100 = 1.2 → 蓝
    assert PERF_MONITOR_LIGHT(50, "≥200人", "数量指标", 6) == "红"
    assert PERF_MONITOR_LIGHT(120, "≥200人", "数量指标", 6) == "蓝"
    assert PERF_MONITOR_LIGHT(80, "≥200人", "数量指标", 6) == "绿"  # 80/100 = 0.8
    assert PERF_MONITOR_LIGHT(79, "≥200人", "数量指标", 6) == "黄"
    assert PERF_MONITOR_LIGHT(50, "≥200人", "数量指标") == ""  # no month: nothing to pro-rate
    # a percentage is a level: 96/95 = 1.0105 → 绿 whatever the month; 0.93 is 93%
    assert PERF_MONITOR_LIGHT(96, "≥95%", "质量指标", 3) == "绿"
    assert PERF_MONITOR_LIGHT(0.93, "≥90%", "服务对象满意度指标") == "绿"
    assert PERF_MONITOR_LIGHT(50, "≥90%", "服务对象满意度指标") == "红"  # 0.556
    # a level word in the name: 45 of 90 villages covered is 0.5 (红), not 45/45 by June
    assert PERF_MONITOR_LIGHT(45, "≥90个", "数量指标", 6, None, None, None, "覆盖村数") == "红"
    assert PERF_MONITOR_LIGHT(45, "≥90个", "数量指标", 6) == "绿"
    # a ceiling: within 绿, beyond 红
    assert PERF_MONITOR_LIGHT(2000, "≤2000元", "成本指标") == "绿"
    assert PERF_MONITOR_LIGHT(2100, "≤2000元", "成本指标") == "红"
    # qualitative grades
    assert PERF_MONITOR_LIGHT("达成", "有效提升", "社会效益指标") == "绿"
    assert PERF_MONITOR_LIGHT("部分达成", "有效提升", "社会效益指标") == "黄"
    assert PERF_MONITOR_LIGHT("未达成", "有效提升", "社会效益指标") == "红"
    # 1.2 by June is 蓝, but a predicted 190 short of 200 makes it at least 黄
    assert PERF_MONITOR_LIGHT(120, "≥200人", "数量指标", 6, 190) == "黄"
    assert PERF_MONITOR_LIGHT(120, "≥200人", "数量指标", 6, 200) == "蓝"
    # the answer counts too: the worst of the row's light and the answer's
    assert PERF_MONITOR_LIGHT(100, "≥200人", "数量指标", 6, None, "完全不可能") == "红"
    assert PERF_MONITOR_LIGHT(100, "≥200人", "数量指标", 6, None, "有可能") == "黄"
    assert PERF_MONITOR_LIGHT(None, "≥200人", "数量指标", 6, None, "有可能") == "黄"
    assert PERF_MONITOR_LIGHT(50, "≥200人", "数量指标", 13) == BAD_MONTH
