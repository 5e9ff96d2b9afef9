"""The 说明 sheet: what the run was, the county's totals, and how each figure is defined.

Rows whose value changes from run to run although the inputs did not (when, how long,
how much came from the cache) are named in VOLATILE, so a test of "same inputs, same
workbook" can leave exactly those out.
"""

from __future__ import annotations

from decimal import Decimal

from xlsxwriter.workbook import Workbook

from perfxl import __version__
from perfxl.batch.ledger import PROCESSED, REJECTED, SAME_CONTENT, SAME_PROJECT, Consolidation
from perfxl.summary.aggregate import DepartmentStats, lag_line, missing_units, settings
from perfxl.summary.monitoring import monitoring_definitions
from perfxl.summary.sheets import NOTES
from perfxl.summary.table import Formats, print_setup, put

VOLATILE = frozenset({"生成时间", "本次读取文件数", "沿用缓存文件数", "读取与计算用时（秒）"})
_DENOMINATORS = {"received": "全年到位数", "budget": "全年预算数", "initial_budget": "年初预算数"}


def _facts(
    c: Consolidation, county: DepartmentStats, missing: list[str]
) -> list[tuple[str, object, str]]:
    """(label, value, number kind) in the order shown."""
    duplicates = sum(1 for p in c.projects if not p.counted)
    inputs = "；".join(c.inputs)
    started = c.started.strftime("%Y-%m-%d %H:%M:%S") if c.started else ""
    county_settings = settings(c)
    return [
        ("生成时间", started, "text"),
        ("perfxl 版本", __version__, "text"),
        ("县（市、区）", county_settings.name, "text"),
        ("评价年度", county_settings.year, "int"),
        ("县级设置文件", county_settings.source or "（未使用，按默认设置）", "text"),
        ("评分规则", f"{c.profile.name}（{c.profile.title}）", "text"),
        ("按文件夹指定的评分规则", _folder_rules(c), "text"),
        ("序时进度", c.schedule, "rate"),
        ("执行滞后标准（执行率低于）", lag_line(c), "rate"),
        ("汇总文件夹", inputs, "text"),
        ("文件总数", len(c.files), "int"),
        (f"其中{PROCESSED}", sum(1 for f in c.files if f.status == PROCESSED), "int"),
        (f"其中{REJECTED}", len(c.rejected), "int"),
        ("计入汇总的项目数", county.projects, "int"),
        ("疑似重复、未计入的项目数", duplicates, "int"),
        ("全年预算数合计（万元）", county.budget, "money"),
        ("全年执行数合计（万元）", county.spent, "money"),
        ("全县预算执行率", county.execution_rate, "rate"),
        ("平均得分", county.mean_score, "score"),
        ("执行滞后项目数", county.behind, "int"),
        ("应报送单位数", len(county_settings.units), "int"),
        ("未报送单位数", len(missing), "int"),
        ("未报送单位", "、".join(missing), "text"),
        ("错误数", c.error_count, "int"),
        ("警告数", c.warning_count, "int"),
        ("本次读取文件数", c.parsed, "int"),
        ("沿用缓存文件数", c.reused, "int"),
        ("读取与计算用时（秒）", Decimal(f"{c.elapsed:.2f}"), "score"),
    ]


def _folder_rules(c: Consolidation) -> str:
    rules = settings(c).folders
    return "；".join(f"{r.pattern} → {r.profile}" for r in rules) if rules else "无"


def _definitions(c: Consolidation) -> list[str]:
    profile = c.profile
    denominators = "、".join(_DENOMINATORS.get(d, d) for d in profile.execution.denominator)
    grades = "，".join(f"{g} ≥ {m:g}" for g, m in profile.grades if m > 0)
    return [
        "各项数字均由 perfxl 按所选评分规则重新计算，不采用工作簿中填报的得分；填报总分与计算不一致时在“项目汇总”备注中注明。",
        f"预算执行率 = 全年执行数 ÷ 第一个有数的分母（依次为：{denominators}），按百分比保留两位小数。",
        "总体完成率 = 各三级指标完成率的平均数（按评分规则）；偏差 = 总体完成率 − 预算执行率，单位为百分点。",
        f"偏差绝对值超过 {profile.deviation_threshold:g} 个百分点计为“偏差超限”，需在自评表中说明原因。",
        f"等级：{grades}，其余为差。",
        f"执行滞后：预算执行率低于“序时进度 × {settings(c).lag_tolerance:g}”（县级设置 execution.lag_tolerance；"
        "年度自评的序时进度为 100%，5 月、8 月双监控时可用 --schedule 指定）。",
        "每个文件按其所在文件夹的评分规则计分（县级设置 profiles.folders，“项目汇总”的“评分规则”列），其余按默认评分规则；"
        "单位汇总与全县合计的预算执行率按默认评分规则的分母计算。",
        "未报送单位：县级设置中列出、但没有任何已处理文件（按主管部门、实施单位或所在文件夹名称）的单位。",
        "单位汇总的预算执行率按该单位各项目资金合计计算；平均得分为各项目总分的算术平均。",
        f"文件清单列出找到的每一个文件：“{PROCESSED}”已计分（错误见问题清单），“{REJECTED}”未计入汇总并写明原因"
        "（空文件、加密、损坏的 .xls、WPS 专用格式、扩展名与内容不符、压缩包损坏、解压后过大、没有指标表、重复提交等）。",
        f"重复提交：与已收文件内容完全相同的文件拒收（{SAME_CONTENT}）；同一主管部门、同一实施单位的同一项目再次出现时列出但不计入单位汇总（{SAME_PROJECT}）。",
        "Excel 临时锁定文件（~$ 开头）不是工作簿，不列入文件清单。",
        *monitoring_definitions(c),  # only when the run found monitoring tables
    ]


def write_notes(
    book: Workbook,
    formats: Formats,
    c: Consolidation,
    county: DepartmentStats,
    missing: list[str] | None = None,
) -> None:
    """`missing`: aggregate.missing_units of `c` when the caller already has them."""
    ws = book.add_worksheet(NOTES)
    ws.write_string(0, 0, "项目支出绩效自评县级汇总 — 说明", formats.title)
    ws.write_string(2, 0, "项目", formats.header)
    ws.write_string(2, 1, "内容", formats.header)
    row = 3
    missing = missing_units(c) if missing is None else missing
    for label, value, kind in _facts(c, county, missing):
        ws.write_string(row, 0, label, formats.label)
        put(ws, row, 1, value, formats, kind)
        row += 1
    row += 1
    ws.write_string(row, 0, "口径说明", formats.header)
    ws.write_string(row, 1, "", formats.header)
    for n, text in enumerate(_definitions(c), start=1):
        ws.write_number(row + n, 0, n, formats.kinds["int"])
        ws.write_string(row + n, 1, text, formats.wrap)
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 100)
    ws.freeze_panes(3, 0)
    print_setup(ws, header_row=2)
