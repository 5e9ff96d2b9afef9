"""The 结果应用 sheet: per project, its grade and what the county's rules suggest for
next year's budget.

The rules are the county's ([results."优"] … in perfxl-county.toml): a treatment per
grade and, for 核减, a percentage only the county sets. The suggested amount is that
percentage of the project's 全年预算数 (万元, rounded half up to two decimals as Excel's
ROUND); it is money arithmetic on the county's own number, no score. Without rules the
sheet says so and lists grades only: no national percentage is invented here.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from perfxl.batch.ledger import Consolidation, ProjectEntry
from perfxl.county import CUT, Treatment
from perfxl.rounding import excel_round
from perfxl.summary.aggregate import settings
from perfxl.summary.table import ROW_NUMBER, Column, Formats
from perfxl.summary.titled import titled_table

if TYPE_CHECKING:
    from perfxl.summary.figures import Figures

RESULTS = "结果应用"
SUSPEND = "暂停"
NO_RULES = "本县尚未设定结果应用规则（县级设置文件 [results]），以下只列出各项目等级，不给出处理建议和金额。"


@dataclass(frozen=True)
class Suggestion:
    project: ProjectEntry
    treatment: Treatment | None

    @property
    def text(self) -> str:
        if self.treatment is None:
            return ""
        return self.treatment.text()

    @property
    def percent(self) -> Decimal | None:
        t = self.treatment
        return t.percent if t is not None and t.action == CUT else None

    @property
    def cut(self) -> Decimal | None:
        """建议核减金额（万元）: budget × percent / 100, or None when either is unknown."""
        if self.percent is None or self.project.budget is None:
            return None
        return excel_round(self.project.budget * self.percent / 100, 2)

    @property
    def note(self) -> str:
        t = self.treatment
        if t is None:
            return ""
        if t.action == CUT and t.percent is None:
            return "核减比例由本县确定，尚未在县级设置中填写"
        if t.action == CUT and self.project.budget is None:
            return "未填报全年预算数，无法计算核减金额"
        if t.action == SUSPEND:
            return "暂停安排，金额由本县确定"
        return ""


def suggestions(c: Consolidation) -> list[Suggestion]:
    """One per counted project (a repeated project is not counted twice), in list order."""
    county = settings(c)
    return [Suggestion(p, county.treatment(p.grade)) for p in c.projects if p.counted]


def has_rules(c: Consolidation) -> bool:
    return bool(settings(c).treatments)


def cut_total(items: list[Suggestion]) -> Decimal | None:
    """The suggested cuts added up (万元), None when no amount could be computed."""
    cuts = [s.cut for s in items if s.cut is not None]
    return sum(cuts, Decimal(0)) if cuts else None


def rules_text(c: Consolidation) -> str:
    county = settings(c)
    return "；".join(f"{t.grade} {t.text()}" for t in county.treatments)


def write_results(
    book: Workbook, formats: Formats, c: Consolidation, figures: Figures | None = None
) -> list[Suggestion]:
    items = suggestions(c) if figures is None else figures.suggestions
    if has_rules(c):
        total = cut_total(items)
        money = f"，建议核减合计 {total:,.2f} 万元" if total is not None else ""
        title = f"结果应用建议：{len(items)} 个项目{money}"
        note = (
            f"本县规则：{rules_text(c)}。核减金额 = 全年预算数 × 核减比例，按四舍五入保留两位小数。"
        )
    else:
        title = f"结果应用：{len(items)} 个项目（本县尚未设定规则）"
        note = NO_RULES
    columns = [
        Column("序号", "int", ROW_NUMBER, (5, 7)),
        Column("主管部门", "text", attrgetter("project.department"), (10, 30)),
        Column("项目名称", "text", attrgetter("project.project"), (12, 36)),
        Column("全年预算数（万元）", "money", attrgetter("project.budget")),
        Column("总分", "score", attrgetter("project.total")),
        Column("等级", "text", attrgetter("project.grade"), (6, 8)),
        Column("建议处理", "text", attrgetter("text"), (10, 24)),
        Column("核减比例（%）", "score", attrgetter("percent")),
        Column("建议核减金额（万元）", "money", attrgetter("cut")),
        Column("说明", "text", attrgetter("note"), (8, 40)),
    ]
    titled_table(book, formats, RESULTS, title, note, columns, items)
    return items
