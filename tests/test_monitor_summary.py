"""The 监控汇总 sheet (issue 12 item 5): hand-made monitoring workbooks → the figures.

Every expected figure is worked out by hand in the comments from the workbooks written
here (month 6: 序时进度 6/12 = 50 %, so v = 执行率 ÷ 0.5 = 2 × 执行率), never copied from
perfxl's output. Default thresholds (mof2020 [monitoring]): execution v < 0.6 红,
< 0.8 黄, else 绿; a ≥ count row progress = actual ÷ (target × 0.5), < 0.6 红, < 0.8 黄,
≥ 1.2 蓝; a ≤ ceiling row 绿 within it; the project takes the worst light.
"""

from __future__ import annotations

import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfxl.batch import consolidate
from perfxl.profiles import load_profile
from perfxl.samples.monitoring import MonitorFunds, MonitorRow, MonitorSpec
from perfxl.samples.monitoring import write_monitoring_workbook as write
from perfxl.summary import SHEETS
from perfxl.summary.monitoring import MONITORING

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
PROFILE = load_profile("mof2020")


def _spec(department, project, budget, spent, count, done, unit, *, initial=None, **row):
    """A table of month 6 with three rows: a ≥ count (done to date), a ≤ cost ceiling
    (the spending), satisfaction ≥90% at 95% (95/90 = 1.06: 绿)."""
    total = (initial if initial is not None else budget, budget, spent, budget)
    rows = (
        MonitorRow("产出指标", "数量指标", f"{project}数量", f"≥{count}{unit}", f"{done}{unit}",
                   f"{count}{unit}", **row),
        MonitorRow("产出指标", "成本指标", "项目总成本", f"≤{initial or budget}万元",
                   f"{spent}万元", f"{initial or budget}万元", likelihood="确定能"),
        MonitorRow("满意度指标", "服务对象满意度指标", "服务对象满意度", "≥90%", "95%", "95%",
                   likelihood="确定能"),
    )  # fmt: skip
    return MonitorSpec(
        key=f"{department}/{project}", year=2023, month=6, project=project,
        department=department, unit=department, funds=MonitorFunds(total),
        goal=f"完成{project}", progress="按计划推进", rows=rows,
    )  # fmt: skip


# 甲局 P1: 100/200 = 50.00 %, v 1.0 绿; 60 of ≥120个: 60/(120×0.5) = 1.0 绿 → 绿
P1 = _spec("甲局", "项目一", 200, 100, 120, 60, "个", likelihood="确定能")
# 甲局 P2: 35/100 = 35.00 %, v 0.7 黄; 50 of ≥100人: 1.0 绿 → 黄 (execution)
P2 = _spec("甲局", "项目二", 100, 35, 100, 50, "人", likelihood="确定能")
# 乙局 P3: 60/300 = 20.00 %, v 0.4 红; 8 of ≥40台: 8/20 = 0.4 红 → 红
P3 = _spec("乙局", "项目三", 300, 60, 40, 8, "台", causes=("经费保障",), likelihood="有可能",
           note="上级资金未到位")  # fmt: skip
# 乙局 P4: 全年预算数 blank, 年初 50: 25/50 = 50.00 %, v 1.0 绿; 8 of ≥10场: 8/5 = 1.6 蓝 → 蓝
P4 = _spec("乙局", "项目四", None, 25, 10, 8, "场", initial=50, likelihood="确定能")
# 丙局 P5 (drop-down form): 90/150 = 60.00 %, v 1.2 绿; 20 of ≥60次: 20/30 = 0.67 黄 → 黄
P5 = _spec("丙局", "项目五", 150, 90, 60, 20, "次", causes=("人员保障",), likelihood="有可能",
           note="专业人员不足")  # fmt: skip


def _round(folder: Path) -> Path:
    write([P1, P2], folder / "甲局" / "甲局6月监控表.xlsx")
    write([P3, P4], folder / "乙局" / "乙局6月监控表.xlsx")
    write([P5], folder / "丙局" / "丙局6月监控表.xlsx", variant="dropdown")
    return folder


def sheet_rows(path: Path, name: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [r for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]


def table(rows: list[tuple], title: str) -> list[dict]:
    """The table under the row whose first cell starts with `title`, as dicts."""
    start = next(n for n, r in enumerate(rows) if str(r[0] or "").startswith(title))
    header = rows[start + 1]
    body = []
    for r in rows[start + 2 :]:
        if r[0] is None or str(r[0]).startswith(("各主管部门", "预警清单")):
            break
        body.append(dict(zip(header, r, strict=False)))
    return body


@pytest.fixture(scope="module")
def monitored(tmp_path_factory) -> tuple[Path, object]:
    folder = _round(tmp_path_factory.mktemp("round") / "监控")
    out = folder.parent / "out" / "汇总.xlsx"
    return out, consolidate([folder], out, PROFILE, jobs=1)


def test_round_figures(monitored):
    out, result = monitored
    assert len(result.monitored) == 5
    assert result.projects == []  # no monitoring table is taken for a 自评表 project
    (county,) = table(sheet_rows(out, MONITORING), "监控轮次概况")
    assert county["监控月份"] == "6月"
    assert county["序时进度"] == pytest.approx(0.5)
    assert county["监控项目数"] == 5
    # 200 + 100 + 300 + 50 (年初, 全年 blank) + 150 = 800 万元; 100 + 35 + 60 + 25 + 90 = 310
    assert county["全年预算数合计（万元）"] == pytest.approx(800)
    assert county["累计执行数合计（万元）"] == pytest.approx(310)
    # 310 / 800 = 0.3875; v = 0.3875 / 0.5 = 0.775 < 0.8 → 黄
    assert county["预算执行率"] == pytest.approx(0.3875)
    assert county["执行率 ÷ 序时进度"] == pytest.approx(0.775)
    assert county["执行进度灯"] == "黄"
    # P3 红; P2, P5 黄; P4 蓝; P1 绿
    assert (county["红灯项目数"], county["黄灯项目数"], county["蓝灯项目数"],
            county["绿灯项目数"]) == (1, 2, 1, 1)  # fmt: skip


def test_counts_per_department(monitored):
    out, _ = monitored
    rows = {r["主管部门"]: r for r in table(sheet_rows(out, MONITORING), "各主管部门监控情况")}
    assert list(rows) == ["丙局", "乙局", "甲局", "全县合计"]  # name order, then the county
    # 甲局: (100 + 35) / (200 + 100) = 0.45; 乙局: (60 + 25) / (300 + 50) = 0.242857 → 24.29 %;
    # 丙局: 90 / 150 = 0.6
    assert rows["甲局"]["预算执行率"] == pytest.approx(0.45)
    assert rows["乙局"]["预算执行率"] == pytest.approx(0.2429)
    assert rows["丙局"]["预算执行率"] == pytest.approx(0.6)
    lights = ("红灯（个）", "黄灯（个）", "蓝灯（个）", "绿灯（个）")
    assert [rows["甲局"][k] for k in lights] == [0, 1, 0, 1]
    assert [rows["乙局"][k] for k in lights] == [1, 0, 1, 0]
    assert [rows["丙局"][k] for k in lights] == [0, 1, 0, 0]
    assert [rows["全县合计"][k] for k in lights] == [1, 2, 1, 1]
    assert rows["全县合计"]["项目数"] == 5
    assert all(r["序时进度"] == pytest.approx(0.5) for r in rows.values())


def test_alert_list(monitored):
    out, _ = monitored
    alerts = table(sheet_rows(out, MONITORING), "预警清单")
    # 红 first, then 黄 by department name (丙 U+4E19 before 甲 U+7532)
    assert [(a["项目名称"], a["项目预警灯"]) for a in alerts] == [
        ("项目三", "红"), ("项目五", "黄"), ("项目二", "黄"),
    ]  # fmt: skip
    p3, p5, p2 = alerts
    assert p3["执行进度灯"] == "红" and p3["预算执行率"] == pytest.approx(0.2)
    assert "项目三数量（红）" in p3["预警指标"]
    assert "经费保障" in p3["偏差原因"] and "上级资金未到位" in p3["原因说明及改进措施"]
    assert "人员保障" in p5["偏差原因"] and "专业人员不足" in p5["原因说明及改进措施"]
    assert p5["执行进度灯"] == "绿" and "项目五数量（黄）" in p5["预警指标"]
    assert p2["执行进度灯"] == "黄" and p2["预算执行率"] == pytest.approx(0.35)


def test_chart_plots_rate_against_schedule(monitored):
    out, _ = monitored
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    combined = [c for c in charts if "<c:barChart>" in c and "<c:lineChart>" in c]
    assert len(combined) == 1
    assert "监控汇总" in combined[0] and "序时进度" in combined[0]


def test_overview_lists_the_round(monitored):
    out, _ = monitored
    facts = {r[0]: r[1] for r in sheet_rows(out, "总览")}
    assert facts["6月绩效监控项目数"] == 5
    assert facts["6月绩效监控资金（万元）"] == pytest.approx(800)
    assert facts["6月绩效监控总体进度"] == pytest.approx(0.3875)
    assert facts["自评项目数"] == 0
    notes = [r[1] for r in sheet_rows(out, "说明") if r[1]]
    assert any(str(n).startswith("绩效监控表") for n in notes)


def test_mixed_folder_keeps_the_two_apart(tmp_path):
    folder = _round(tmp_path / "county" / "监控")
    (tmp_path / "county" / "000").mkdir()
    shutil.copyfile(SEED_FILES / "seed000.xlsx", tmp_path / "county" / "000" / "seed000.xlsx")
    out = tmp_path / "out" / "汇总.xlsx"
    result = consolidate([folder.parent], out, PROFILE, jobs=1)
    names = openpyxl.load_workbook(out, read_only=True).sheetnames
    assert names == [SHEETS[0], MONITORING, *SHEETS[1:]]
    projects = [r[3] for r in sheet_rows(out, "项目汇总")[1:]]
    assert len(projects) == 1 and "项目一" not in projects  # seed 000's project alone
    departments = [r[0] for r in sheet_rows(out, "单位汇总")[1:]]
    assert not {"甲局", "乙局", "丙局"} & set(departments)
    (county,) = table(sheet_rows(out, MONITORING), "监控轮次概况")
    assert county["监控项目数"] == 5
    assert len(result.monitored) == 5 and len([p for p in result.projects if p.counted]) == 1


def test_self_evaluation_only_has_no_monitoring_sheet(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copyfile(SEED_FILES / "seed000.xlsx", tmp_path / "in" / "seed000.xlsx")
    out = tmp_path / "out.xlsx"
    consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    assert openpyxl.load_workbook(out, read_only=True).sheetnames == list(SHEETS)
    assert not any(str(r[1]).startswith("绩效监控表") for r in sheet_rows(out, "说明"))
    assert not any("绩效监控" in str(r[0]) for r in sheet_rows(out, "总览"))


def test_broken_monitoring_file_is_rejected_not_fatal(tmp_path):
    folder = _round(tmp_path / "监控")
    good = (folder / "乙局" / "乙局6月监控表.xlsx").read_bytes()
    (folder / "乙局" / "乙局6月监控表（上传中断）.xlsx").write_bytes(good[: len(good) // 2])
    out = tmp_path / "out.xlsx"
    result = consolidate([folder], out, PROFILE, jobs=1)
    assert result.exit_code == 1
    assert [f.path for f in result.rejected] == ["乙局/乙局6月监控表（上传中断）.xlsx"]
    (county,) = table(sheet_rows(out, MONITORING), "监控轮次概况")
    assert county["监控项目数"] == 5  # the four good workbooks' projects, as before


def test_same_round_sent_twice_is_counted_once(tmp_path):
    folder = _round(tmp_path / "监控")
    write([P1], folder / "甲局" / "项目一（修改稿）.xlsx", variant="dropdown")
    out = tmp_path / "out.xlsx"
    result = consolidate([folder], out, PROFILE, jobs=1)
    assert len(result.monitored) == 6
    assert sum(e.counted for e in result.monitored) == 5
    assert any(p.code == "PX902" for p in result.problems)
    (county,) = table(sheet_rows(out, MONITORING), "监控轮次概况")
    assert county["监控项目数"] == 5 and county["全年预算数合计（万元）"] == pytest.approx(800)


def test_cached_run_gives_the_same_figures(tmp_path):
    folder = _round(tmp_path / "监控")
    first = consolidate([folder], tmp_path / "a.xlsx", PROFILE, jobs=1)
    (tmp_path / "a.xlsx").unlink()
    again = consolidate([folder], tmp_path / "a.xlsx", PROFILE, jobs=1)
    assert again.parsed == 0 and again.reused == 3  # every payload from the cache
    assert [(e.project, e.light, e.execution_rate) for e in again.monitored] == [
        (e.project, e.light, e.execution_rate) for e in first.monitored
    ]
    rates = {e.project: e.execution_rate for e in again.monitored}
    assert rates["项目一"] == Decimal("0.5")  # 100 / 200


# --- the example county's May round (examples/county/监控/) and the demo -----------------

# perfxl.samples.monitoring.PLANS: what each lagging project's figures were chosen for
RED = {"农业保险保费补贴", "森林植被恢复费", "老旧小区改造", "小型水库维修养护"}
YELLOW = {"教师培训经费", "义务教育薄弱环节改善", "草原生态保护补助奖励", "家庭医生签约服务经费",
          "地质灾害防治", "法律援助经费"}  # fmt: skip
BLUE = {"城市道路维护经费"}


def test_demo_shows_the_may_round(tmp_path):
    from click.testing import CliRunner

    from perfxl.cli import main
    from perfxl.samples.county import DEPARTMENTS

    result = CliRunner().invoke(main, ["demo", "-o", str(tmp_path / "demo")])
    assert result.exit_code == 0, result.output
    projects = sum(len(p) for _, p in DEPARTMENTS)  # every generated project is monitored
    assert projects == 36
    assert f"5月绩效监控：项目 {projects} 个" in result.output
    assert "红 4，黄 6，蓝 1，绿 25" in result.output  # 36 − 4 − 6 − 1 = 25
    out = tmp_path / "demo" / "县级汇总.xlsx"
    assert MONITORING in openpyxl.load_workbook(out, read_only=True).sheetnames
    rows = sheet_rows(out, MONITORING)
    alerts = table(rows, "预警清单")
    assert {a["项目名称"] for a in alerts if a["项目预警灯"] == "红"} == RED
    assert {a["项目名称"] for a in alerts if a["项目预警灯"] == "黄"} == YELLOW
    (county,) = table(rows, "监控轮次概况")
    assert county["蓝灯项目数"] == len(BLUE) and county["序时进度"] == pytest.approx(0.4167)
    # the 自评表 sheets are as before: 40 projects (4 seeds + 36), none from 监控/
    listed = sheet_rows(out, "项目汇总")[1:]
    assert len(listed) == 41  # 40 and the repeated 社会福利补助资金 (listed, not counted)
    assert not any(str(r[-2]).startswith("监控/") for r in listed)
    problems = [r for r in sheet_rows(out, "问题清单")[1:] if str(r[5]).startswith("监控/")]
    # 法律援助经费 ticks 其他 under a yellow light without 原因说明 (on purpose)
    assert [(r[2], r[4]) for r in problems] == [("PX115", "法律援助经费")]
