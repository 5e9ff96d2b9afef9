"""The county report upward (seed 004's terms) as a Word draft, from one consolidation.

Seed 004 states units covered, projects and amounts self-evaluated, monitoring rounds,
grades and budget consequences. The figures here are the ones the summary workbook's
总览 shows (perfxl.summary.overview.facts: counts and sums of the ledger and the engine's
rates), the grade counts, the listed problems grouped by PX code, the 结果应用 sheet's
suggestions under the county's own [results] rules, and the 核查抽样 draw; nothing is
recomputed. Every count stands before the list it counts. Without county settings
the passages that need them are 【请填写】 prompts, never invented figures.

The grade distribution is a table and, where a Chinese font is installed, a chart
drawn from the same counts (perfxl.reports.chart).
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.batch.ledger import Consolidation
from perfxl.reports.chart import grade_chart_png
from perfxl.reports.document import Draft, num, pct
from perfxl.summary import overview as ov
from perfxl.summary.aggregate import grade_counts, settings
from perfxl.summary.audit import draw
from perfxl.summary.missing import missing
from perfxl.summary.results import cut_total, has_rules, rules_text, suggestions

UNSET = "（未设定）"


def show(value: object, kind: str) -> str:
    """A 总览 value as text: amounts and scores with two decimals, rates as percentages."""
    if value is None:
        return "—"
    if isinstance(value, str) or kind in ("int", "text"):
        return str(value)
    if kind == "rate":
        return pct(Decimal(value))
    return num(Decimal(value))


def build_county_report(c: Consolidation) -> Draft:
    county = settings(c)
    facts = ov.facts(c)
    values = {label: show(value, kind) for label, value, kind, *_ in facts}
    year = f"{county.year}年度" if county.year else ""
    draft = Draft(f"{county.name}{year}项目支出绩效自评工作情况报告")
    if not county.name:
        draft.prompt("县（市、区）名称、评价年度（或在县级设置文件 perfxl-county.toml 中填写）")
    _coverage(draft, c, values)
    _results(draft, c, values)
    _monitoring(draft, c)
    _problems(draft, c)
    _application(draft, c)
    _audit(draft, c)
    draft.heading("七、全面实施预算绩效管理存在问题")
    draft.prompt("本县预算绩效管理存在的主要问题")
    draft.heading("八、预算绩效管理下一步措施")
    draft.prompt("下一步措施")
    draft.heading("附表：汇总数据")
    draft.table(
        ["项目", "数值", "说明"],
        [[label, values[label], note[0] if note else ""] for label, _, _, *note in facts],
    )
    draft.para(
        "本草稿由 perfxl 根据县级汇总生成：文中数字均取自本次汇总结果，"
        "标有【请填写】处须由县财政局填写后方可报送。"
    )
    return draft


def _coverage(draft: Draft, c: Consolidation, v: dict[str, str]) -> None:
    draft.heading("一、自评工作覆盖情况")
    if v[ov.EXPECTED] != UNSET:
        draft.para(
            f"本县应报送自评表的单位 {v[ov.EXPECTED]} 个，已报送 {v[ov.SUBMITTED]} 个，"
            f"未报送 {v[ov.MISSING_UNITS]} 个。"
        )
        absent = missing(c)
        if absent:
            draft.para(f"未报送的单位共 {len(absent)} 个：")
            for unit in absent:
                draft.para(f"“{unit.name}”：{unit.situation}；")
    else:
        draft.prompt("应报送单位数、已报送和未报送单位（县级设置文件 [units] 未填写应报送单位）")
    draft.para(
        f"共收到自评表文件 {v[ov.FILES]} 个，已处理 {v[ov.ACCEPTED]} 个，拒收 {v[ov.REJECTED_FILES]} 个。"
    )
    rejected = c.rejected
    if rejected:
        draft.para(f"拒收的文件共 {len(rejected)} 个：")
        for entry in rejected:
            draft.para(f"“{entry.path}”：{entry.reason}；")


def _results(draft: Draft, c: Consolidation, v: dict[str, str]) -> None:
    draft.heading("二、项目支出绩效自评结果")
    draft.para(
        f"本次汇总自评项目 {v[ov.PROJECTS]} 个，涉及主管部门 {v[ov.DEPARTMENTS]} 个，"
        f"全年预算数合计 {v[ov.BUDGET]} 万元，全年执行数合计 {v[ov.SPENT]} 万元，"
        f"预算执行率（资金合计）{v[ov.EXECUTION]}。"
    )
    draft.para(
        f"项目平均得分 {v[ov.MEAN_SCORE]} 分，项目平均预算执行率 {v[ov.MEAN_EXECUTION]}，"
        f"项目平均总体完成率 {v[ov.MEAN_COMPLETION]}；偏差超限项目 {v[ov.DEVIATING]} 个，"
        f"执行滞后项目 {v[ov.BEHIND]} 个。"
    )
    counts = grade_counts(c)
    draft.para("自评等级分布如下表：")
    draft.table(["等级", "项目数"], [[grade, str(n)] for grade, n in counts])
    png = grade_chart_png(counts)
    if png is not None:
        draft.picture(png, "图 项目等级分布")


def _monitoring(draft: Draft, c: Consolidation) -> None:
    draft.heading("三、预算绩效监控情况")
    rows = ov.monitoring_rows(c)
    if rows:
        draft.table(["项目", "数值"], [[label, show(value, kind)] for label, value, kind in rows])
    else:
        draft.prompt(
            "绩效监控轮次（如 5 月、8 月）、监控项目数、资金和总体进度（本次汇总未含监控数据）"
        )


def _problems(draft: Draft, c: Consolidation) -> None:
    draft.heading("四、自评表主要问题")
    by_code: dict[str, list] = {}
    for problem in c.problems:
        if problem.code:
            by_code.setdefault(problem.code, []).append(problem)
    listed = sum(len(items) for items in by_code.values())
    if not by_code:
        draft.para("汇总中未列出问题。")
    else:
        draft.para(f"汇总中列出的问题 {listed} 条，按问题代码分为 {len(by_code)} 类，如下表：")
        rows = []
        for code in sorted(by_code):
            items = by_code[code]
            errors = sum(1 for p in items if p.severity == "error")
            rows.append([code, str(len(items)), str(errors), items[0].message])
        draft.table(["问题代码", "条数", "其中错误", "示例说明"], rows)
    if any(c.hidden):
        errors, warnings, infos = c.hidden
        draft.para(
            f"另有错误 {errors} 条、警告 {warnings} 条、提示 {infos} 条未在汇总中逐条列出"
            "（运行 perfxl validate 可查看全部）。"
        )
    draft.prompt("主要问题的成因分析和整改要求")


def _application(draft: Draft, c: Consolidation) -> None:
    draft.heading("五、预算绩效结果应用情况")
    if not has_rules(c):
        draft.prompt(
            "评价结果应用情况（县级设置文件 [results] 未设定各等级的处理规则，未给出建议金额）"
        )
        return
    items = suggestions(c)
    draft.para(f"按本县结果应用规则（{rules_text(c)}），{len(items)} 个项目的处理建议汇总如下：")
    rows = []
    for grade, _ in grade_counts(c):
        mine = [s for s in items if s.project.grade == grade]
        if not mine:
            continue
        treatment = mine[0].text or "（本县未设定）"
        cut = cut_total(mine)
        rows.append([grade, treatment, str(len(mine)), "—" if cut is None else num(cut)])
    draft.table(["等级", "处理建议", "项目数", "建议核减金额（万元）"], rows)
    total = cut_total(items)
    if total is not None:
        draft.para(f"建议核减预算合计 {num(total)} 万元。")
    draft.prompt("结果应用的落实情况（实际调减预算资金等）")


def _audit(draft: Draft, c: Consolidation) -> None:
    draft.heading("六、预算绩效真实性核查情况")
    sample = draw(c)
    draft.para(
        f"从 {sample.population} 个自评项目中随机抽取项目进行真实性核查（随机种子 {sample.seed}），"
        f"抽中的项目共 {len(sample.drawn)} 个："
    )
    for project in sample.drawn:
        draft.para(f"“{project.project}”（{project.department}）；")
    draft.prompt("核查方式、核查结果及发现的问题")
