"""Monitoring workbooks for the tests, written with openpyxl.

`write(path, rows, merges)` lays out a sheet from a list of rows; `mof_annex(...)`
builds the MoF 财预〔2019〕136号 annex layout (项目支出绩效目标执行监控表, the columns
issue 12 lists: funds 年初预算数 / 全年预算数 / 1-N月执行数 / 执行率 / 全年预计执行数;
indicators 一级 / 二级 / 三级指标, 年度指标值, 1-N月实际完成值, 全年预计完成值,
偏差原因分析 over 经费保障 … 其他, 完成目标可能性, 原因说明) with the figures given.
HUANGSHI is a published table transcribed as printed (see its comment).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")


def write(
    path: Path,
    rows: list[list[Any]],
    merges: tuple[str, ...] = (),
    sheet: str = "监控表",
    extra: dict[str, list[list[Any]]] | None = None,
) -> Path:
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for area in merges:
        ws.merge_cells(area)
    for name, more in (extra or {}).items():
        other = book.create_sheet(name)
        for r, row in enumerate(more, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    other.cell(r, c, value)
    book.save(path)
    return path


def indicator(
    level1: str,
    level2: str,
    name: str,
    target: Any,
    actual: Any,
    predicted: Any = None,
    causes: tuple[str, ...] = (),
    likelihood: str | None = "确定能",
    reason: str | None = None,
) -> list[Any]:
    ticks = ["√" if c in causes else None for c in CAUSES]
    return [None, level1, level2, name, target, actual, predicted, *ticks, likelihood, reason]


def mof_annex_rows(
    project: str = "示范项目",
    month_label: str = "1-6月",
    initial: Any = 220,
    budget: Any = None,
    spent: Any = 87.57,
    predicted: Any = 220,
    rows: list[list[Any]] | None = None,
    year: int = 2024,
    extra_header: list[list[Any]] | None = None,
) -> tuple[list[list[Any]], tuple[str, ...]]:
    """Rows and merges of the annex layout; indicator rows from `indicator(...)`."""
    body = (
        rows
        if rows is not None
        else [
            indicator("产出指标", "数量指标", "培训人数", "≥100人", "45人", "100人"),
        ]
    )
    sheet = [
        ["项目支出绩效目标执行监控表"],
        [f"（{year}年度）"],
        ["项目名称", project, None, None, None, None, None],
        ["主管部门", "示范局", None, None, "实施单位", "示范中心"],
        *(extra_header or []),
        ["项目资金（万元）", "年初预算数", "全年预算数", f"{month_label}执行数", "执行率",
         "全年预计执行数", "偏差原因分析", None, None, None, None, None, "原因说明"],
        ["年度资金总额", initial, budget, spent, None, predicted],
        ["其中：财政拨款", initial, budget, spent, None, predicted],
        ["其他资金"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", f"{month_label}实际完成值",
         "全年预计完成值", "偏差原因分析", None, None, None, None, "完成目标可能性", "原因说明"],
        [None, None, None, None, None, None, None, *CAUSES, None, None],
        *body,
        ["填表人：", None, None, "填报日期：", f"{year}年7月10日"],
    ]  # fmt: skip
    header = 9 + len(extra_header or [])
    merges = ("A1:N1", "A2:N2", f"H{header}:L{header}", f"A{header}:A{header + 1}")
    return sheet, merges


def mof_annex(path: Path, **kwargs: Any) -> Path:
    rows, merges = mof_annex_rows(**kwargs)
    return write(path, rows, merges)


# 黄石市项目支出绩效监控表（申遗）, 2019年度, as published by 黄石市文物局:
# http://hsgyyc.com/xwdt_10201/gsgg_10206/201908/t20190821_663302.html
# Transcribed as printed: 项目执行单位 (not 实施单位), one funds row 年初预算数 | 1-6月执行数 |
# 全年预计执行数 (220 | 87.57 | blank), the indicator header 一级指标 | 指标名称 | 指标值 |
# 半年度指标执行情况 | 完成目标可能性(确定能、有可能、不可能) | 备注, spaced level-1 names
# (产 出 指 标), empty 质量 / 时效 rows, the 社会效益 text in one cell over 指标值 and
# 半年度指标执行情况 (printed as one cell before 确定能), and the table-wide 偏差或不能完成目标原因分析 /
# 相关建议或举措 rows (left blank) above the printed notes.
HUANGSHI_ROWS: list[list[Any]] = [
    ["黄石市项目支出绩效监控表 (申遗)"],
    ["(2019年度)"],
    ["项目单位(盖章):", None, None, None, None, "单位:万元"],
    ["项目名称", "申遗经费"],
    ["主管部门", "黄石市文化和旅游局", None, "项目执行单位", "黄石市文物局(湖北水泥遗址博物馆)"],
    ["项目属性", "1、持续性项目 □ 2、新增性项目 □"],
    ["项目类型", "1、常年性项目 □ √ 2、延续性项目 □ 3、一次性项目 □"],
    [None, "1、部门预算项目 □ 2、省直专项 □ 3、省对下转移支付项目 □"],
    ["项目资金 (万元)", "年初预算数", "1-6月执行数", "全年预计执行数"],
    ["年度资金总额:", 220, 87.57, None],
    ["其中:当年一般公共预算拨款", 220, 87.57, None],
    ["绩效指标", "一级 指标", "指标名称", "指标值", "半年度 指标执行情况",
     "完成目标可能性(确定能、有可能、不可能)", "备注"],
    [None, "产 出 指 标", "质量", None, None, None, None],
    [None, None, "时效", None, None, None, None],
    [None, None, "成本", "年度预算220万元", "按进度执行,已使用约40%", "确定能", None],
    [None, "效 益 指 标", "社会效益",
     "开展黄石矿冶工业遗产突出普遍价值研究、学术交流、对外宣传等工作,先后举办有社会影响力的活动5场;"
     "成立黄石矿冶文化研究中心暨矿冶文学陈列馆,凸显黄石工业遗产文化价值,推动申遗工作。",
     None, "确定能", None],
    ["偏差或不能完成目标原因分析", None, None, None, None, None, None],
    ["相关建议或举措", None, None, None, None, None, None],
    ["注: 1.完成目标可能性:对应所设定的实现绩效目标的路径,分确定能、有可能、不可能三级综合判断完成的可能性。"],
]  # fmt: skip
HUANGSHI_MERGES = ("A1:G1", "A2:G2", "A12:A16", "B13:B15", "D16:E16", "B17:G17", "B18:G18")


def huangshi(path: Path) -> Path:
    return write(path, HUANGSHI_ROWS, HUANGSHI_MERGES, sheet="监控表")
