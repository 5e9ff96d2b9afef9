"""The 总览 sheet: the county's year on one printed A4 page, in seed 004's terms.

Seed 004 (the county bureau's report upward) states units covered, projects and
amounts self-evaluated, monitoring rounds, grades and budget consequences. 总览 gives
those figures from this run, first in the workbook, fitted to a single page.

Every figure is a count or a sum of the ledger, or a summary statistic of the engine's
own results (the mean score as in 单位汇总; the mean of the projects' 执行率 and 完成率,
rounded half up to 0.01 % by perfxl.rounding like every figure); the county's execution
rate over summed funds is the engine's (perfxl.rates, through aggregate.department_stats).

The labels in column A are what `perfxl rollup` reads back (perfxl.rollup), so they
are constants here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from perfxl.batch.ledger import PROCESSED, Consolidation
from perfxl.rounding import excel_round
from perfxl.summary.aggregate import (
    COUNTY_TOTAL,
    department_stats,
    grade_counts,
    is_deviating,
    lag_line,
    project_profile,
    settings,
)
from perfxl.summary.audit import draw
from perfxl.summary.missing import missing
from perfxl.summary.results import cut_total, has_rules, suggestions
from perfxl.summary.table import Formats, print_setup, put

if TYPE_CHECKING:
    from perfxl.summary.figures import Figures

OVERVIEW = "总览"
COUNTY, YEAR = "县（市、区）", "评价年度"
EXPECTED, SUBMITTED, MISSING_UNITS = "应报送单位数", "已报送单位数", "未报送单位数"
DEPARTMENTS = "有项目的主管部门数"
FILES, ACCEPTED, REJECTED_FILES = "收到文件数", "已处理文件数", "拒收文件数"
PROJECTS = "自评项目数"
BUDGET, SPENT = "全年预算数合计（万元）", "全年执行数合计（万元）"
EXECUTION = "预算执行率（资金合计）"
MEAN_SCORE = "平均得分"
MEAN_EXECUTION, MEAN_COMPLETION = "项目平均预算执行率", "项目平均总体完成率"
DEVIATING = "偏差超限项目数"
BEHIND = "执行滞后项目数"
CUTS = "结果应用建议核减合计（万元）"
SAMPLED = "真实性核查抽样项目数"
ERRORS, WARNINGS = "错误数", "警告数"
GRADE_HEADER = "等级"  # the grade table's header in column A; its rows follow


def _mean_rate(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    return excel_round(sum(present, Decimal(0)) / len(present), 4)


def monitoring_rows(c: Consolidation) -> list[tuple[str, object, str]]:
    """绩效监控 rounds (seed 004: 5 月 130 个项目 24,066 万元，总体进度 46%), when the run
    has any: (round, projects, 万元, 执行率) per monitoring month found
    (perfxl.summary.monitoring, the figures of its 监控汇总 sheet)."""
    from perfxl.summary.monitoring import overview_rounds

    rounds = overview_rounds(c)
    rows: list[tuple[str, object, str]] = []
    for name, projects, amount, progress in rounds:
        rows.append((f"{name}绩效监控项目数", projects, "int"))
        rows.append((f"{name}绩效监控资金（万元）", amount, "money"))
        rows.append((f"{name}绩效监控总体进度", progress, "rate"))
    return rows


def facts(c: Consolidation, figures: Figures | None = None) -> list[tuple]:
    """(label, value, number kind[, note]) in the order shown (`figures`: the shared
    figures of the summary being written, when there is one)."""
    county_settings = settings(c)
    if figures is None:
        county = department_stats(COUNTY_TOTAL, c.projects, c.profile, lag_line(c), c.profiles)
        absent, items, sample = missing(c), None, draw(c)
    else:
        county, absent = figures.county, figures.missing
        items, sample = figures.suggestions, figures.sample
    counted = [p for p in c.projects if p.counted]
    expected = len(county_settings.units)
    accepted = sum(1 for f in c.files if f.status == PROCESSED)
    deviating = sum(1 for p in counted if is_deviating(p, project_profile(c, p)))
    threshold = f"|总体完成率 − 预算执行率| 超过 {c.profile.deviation_threshold:g} 个百分点"
    if has_rules(c):
        total = cut_total(suggestions(c) if items is None else items)
        cuts: tuple[object, str] = (total if total is not None else "无", "money")
    else:
        cuts = ("本县尚未设定结果应用规则", "text")
    return [
        (COUNTY, county_settings.name or "（未设定）", "text"),
        (YEAR, county_settings.year if county_settings.year else "（未设定）", "int"),
        (EXPECTED, expected if expected else "（未设定）", "int"),
        (SUBMITTED, expected - len(absent) if expected else "（未设定）", "int"),
        (MISSING_UNITS, len(absent) if expected else "（未设定）", "int"),
        (DEPARTMENTS, len({p.department for p in counted}), "int"),
        (FILES, len(c.files), "int"),
        (ACCEPTED, accepted, "int"),
        (REJECTED_FILES, len(c.rejected), "int"),
        (PROJECTS, county.projects, "int"),
        (BUDGET, county.budget, "money"),
        (SPENT, county.spent, "money"),
        (EXECUTION, county.execution_rate, "rate"),
        (MEAN_SCORE, county.mean_score, "score"),
        (MEAN_EXECUTION, _mean_rate([p.execution_rate for p in counted]), "rate"),
        (MEAN_COMPLETION, _mean_rate([p.completion_rate for p in counted]), "rate"),
        (DEVIATING, deviating, "int", threshold),
        (BEHIND, county.behind, "int", f"预算执行率低于 {lag_line(c):.2%}"),
        *monitoring_rows(c),
        (CUTS, *cuts),
        (SAMPLED, len(sample.drawn), "int", f"随机种子 {sample.seed}"),
        (ERRORS, c.error_count, "int"),
        (WARNINGS, c.warning_count, "int"),
    ]


def write_overview(
    book: Workbook, formats: Formats, c: Consolidation, figures: Figures | None = None
) -> None:
    ws = book.add_worksheet(OVERVIEW)
    county = settings(c)
    year = f"{county.year}年度" if county.year else ""
    ws.write_string(0, 0, f"{county.name}{year}项目支出绩效自评总览", formats.title)
    ws.write_string(2, 0, "项目", formats.header)
    ws.write_string(2, 1, "数值", formats.header)
    row = 3
    for label, value, kind, *note in facts(c, figures):
        ws.write_string(row, 0, label, formats.label)
        put(ws, row, 1, value, formats, kind)
        if note:
            ws.write_string(row, 2, note[0], formats.kinds["text"])
        row += 1
    row += 1
    counts = grade_counts(c)
    total = sum(n for _, n in counts)
    for col, title in enumerate((GRADE_HEADER, "项目数", "占比")):
        ws.write_string(row, col, title, formats.header)
    for grade, n in counts:
        row += 1
        ws.write_string(row, 0, grade, formats.label)
        ws.write_number(row, 1, n, formats.kinds["int"])
        # a count over a count, unrounded so the shares add up to 100 % (as 等级分布)
        put(ws, row, 2, Decimal(n) / total if total else None, formats, "rate")
    ws.write_string(
        row + 2, 0, "各项口径见“说明”工作表；未报送单位、结果应用、核查抽样见同名工作表。"
    )
    ws.set_column(0, 0, 34)
    ws.set_column(1, 1, 26)
    ws.set_column(2, 2, 44)
    print_setup(ws, header_row=None)
    ws.fit_to_pages(1, 1)  # one A4 page: scaled down a little rather than split
