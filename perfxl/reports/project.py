"""The project's 自评报告 draft in the Xinjiang outline the seed reports follow
(一、基本情况 … 五、预算执行进度与绩效指标偏差 … 八、其他需要说明的问题).

Seeds 000–003 were written by hand and get their own figures wrong (seed 001 claims 22
decision indicators and lists 6; seed 002 prints two completion rates). Here every
figure comes from one scored table (perfxl.results.TableResult): the funds as read, the
rates, scores, total, grade and deviation as the engine computed them. A count is the
length of the list printed right after it. What only the department knows (background,
process, experience, suggestions) is a 【请填写：…】 prompt.
"""

from __future__ import annotations

from perfxl.findings import ordered
from perfxl.reports.document import Draft, num, pct
from perfxl.results import CategoryResult, RowResult, TableResult

INDICATOR_HEADER = ["二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "完成率", "得分"]
KNOWN_PARTS = {"决策": "项目决策", "过程": "项目过程", "产出": "项目产出", "效益": "项目效益"}
ORDINALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    return ORDINALS[n] if n < len(ORDINALS) else str(n + 1)


def _part(name: str) -> str:
    return KNOWN_PARTS.get(name, name)


def _kind(name: str) -> str:
    """项目决策类指标 (Xinjiang level-1 names), 产出指标 or 预算执行率指标 (national ones)."""
    if name in KNOWN_PARTS:
        return f"{KNOWN_PARTS[name]}类指标"
    return name if name.endswith("指标") else f"{name}指标"


def _rows_of(result: TableResult, category: CategoryResult) -> list[RowResult]:
    return [r for r in result.rows if r.indicator.level1 == category.name]


def _indicator_rows(rows: list[RowResult]) -> list[list[str]]:
    out = []
    for row in rows:
        ind = row.indicator
        out.append([
            ind.level2, ind.name, ind.target_text or "", ind.actual_text or "",
            num(ind.weight), pct(row.rate), num(row.score),
        ])  # fmt: skip
    return out


def _deducted(rows: tuple[RowResult, ...]) -> list[RowResult]:
    """Rows that lost points: the engine's score below the row's 分值."""
    return [r for r in rows if r.indicator.weight is not None and r.score < r.indicator.weight]


def build_project_report(result: TableResult) -> Draft:
    table = result.table
    name = table.project or table.sheet
    draft = Draft(f"{name}{'' if name.endswith('项目') else '项目'}支出绩效自评报告")
    draft.para(f"项目名称：{name}")
    draft.para(f"实施单位：{table.unit or '—'}")
    draft.para(f"主管部门：{table.department or '—'}")
    draft.prompt("项目负责人、填报时间")
    _basic(draft, result)
    _process(draft, result)
    _conclusion(draft, result)
    _analysis(draft, result)
    _deviation(draft, result)
    _problems(draft, result)
    draft.heading("七、有关建议")
    draft.prompt("针对上述问题提出的改进建议")
    draft.heading("八、其他需要说明的问题")
    draft.prompt("其他需要说明的问题；没有则写“无”")
    draft.para(
        "本草稿由 perfxl 根据自评表生成：文中各项数字均取自自评表及按评分规则"
        f"“{result.profile}”计算的结果，标有【请填写】处须由单位填写后方可报送。"
    )
    return draft


def _funds_sentence(result: TableResult) -> str:
    funds = result.table.funds
    parts = []
    if funds.initial_budget is not None:
        parts.append(f"年初预算数 {num(funds.initial_budget)} 万元")
    if funds.budget is not None:
        parts.append(f"全年预算数 {num(funds.budget)} 万元")
    if funds.received is not None:
        parts.append(f"全年到位数 {num(funds.received)} 万元")
    if result.arrival_rate is not None:
        parts.append(f"资金到位率 {pct(result.arrival_rate)}")
    if funds.spent is not None:
        parts.append(f"全年执行数 {num(funds.spent)} 万元")
    parts.append(f"预算执行率 {pct(result.execution_rate)}")
    return "本项目" + "，".join(parts) + "。"


def _basic(draft: Draft, result: TableResult) -> None:
    draft.heading("一、基本情况")
    draft.heading("（一）项目概况。", 2)
    draft.para("项目背景：")
    draft.prompt("项目背景")
    draft.para("主要内容：")
    draft.prompt("项目主要内容")
    draft.para("实施情况：")
    draft.prompt("实施主体、实施时间、实施情况")
    draft.para("项目实施主体：")
    draft.prompt("实施主体的主要职能和机构设置情况")
    draft.para("资金投入和使用情况：")
    draft.para(_funds_sentence(result))
    draft.prompt("资金来源、主要用途及结余情况")
    draft.heading("（二）项目绩效目标", 2)
    draft.para("总体目标：")
    draft.prompt("项目绩效总体目标")
    draft.para("阶段性目标：")
    outputs = [r for r in result.rows if r.indicator.target_text]
    draft.para(f"自评表中填有年度指标值的三级指标共 {len(outputs)} 个：")
    for row in outputs:
        ind = row.indicator
        draft.para(
            f"“{ind.name}”指标（{ind.level1}／{ind.level2}），年度指标值为 {ind.target_text}；"
        )


def _process(draft: Draft, result: TableResult) -> None:
    draft.heading("二、绩效评价工作开展情况")
    draft.heading("（一）绩效评价目的、对象和范围", 2)
    draft.prompt("评价目的、对象和范围")
    draft.heading("（二）绩效评价原则、评价指标体系、评价方法、评价标准", 2)
    draft.para(f"本报告中的得分按评分规则“{result.profile}”计算。")
    draft.prompt("评价原则、指标体系、评价方法和评价标准")
    draft.heading("（三）绩效评价工作过程", 2)
    draft.prompt("前期准备、组织实施、分析评价等工作过程")


def _conclusion(draft: Draft, result: TableResult) -> None:
    table = result.table
    draft.heading("三、综合评价情况及评价结论")
    draft.heading("（一）综合评价情况", 2)
    draft.prompt("项目绩效目标的总体实现情况、取得的成效和存在的不足")
    draft.heading("（二）综合评价结论", 2)
    total = f"总分为 {num(result.total)} 分，绩效评级为“{result.grade}”"
    draft.para(
        f"本项目共设置三级指标 {len(result.rows)} 个，总体完成率为 {pct(result.completion_rate)}。"
        f"最终评分结果：{total}。"
    )
    if result.total_differs:
        draft.para(
            f"自评表填报的总分为 {num(table.reported_total)} 分，与按评分规则重新计算的结果不一致，"
            "请核对各项得分。"
        )
    if table.reported_grade and table.reported_grade != result.grade:
        draft.para(f"自评表填报的等级为“{table.reported_grade}”，与重新计算的等级不一致，请核对。")
    for category in result.categories:
        rows = _rows_of(result, category)
        draft.para(
            f"{_kind(category.name)}共设置 {len(rows)} 个，分值 {num(category.weight)} 分，"
            f"得分 {num(category.score)} 分，得分率 {pct(category.rate)}；"
        )


def _analysis(draft: Draft, result: TableResult) -> None:
    draft.heading("四、绩效评价指标分析")
    for n, category in enumerate(result.categories):
        rows = _rows_of(result, category)
        part = _part(category.name)
        draft.heading(f"（{_ordinal(n)}）{part}情况", 2)
        draft.para(
            f"{_kind(category.name)}由 {len(rows)} 个三级指标构成，分值 {num(category.weight)} 分，"
            f"实际得分 {num(category.score)} 分，得分率 {pct(category.rate)}。各指标如下表："
        )
        draft.table(INDICATOR_HEADER, _indicator_rows(rows))
        draft.prompt(f"逐项说明{_kind(category.name)}的完成情况，扣分的指标写明扣分原因")
    listed = {id(r) for c in result.categories for r in _rows_of(result, c)}
    others = [r for r in result.rows if id(r) not in listed]
    if others:
        draft.para(f"另有 {len(others)} 个指标不属于上述一级指标：")
        draft.table(INDICATOR_HEADER, _indicator_rows(others))


def _deviation(draft: Draft, result: TableResult) -> None:
    draft.heading("五、预算执行进度与绩效指标偏差")
    draft.para(_funds_sentence(result))
    draft.para(
        f"本项目共设置三级指标 {len(result.rows)} 个，总体完成率为 {pct(result.completion_rate)}。"
    )
    draft.para(
        f"总体完成率与预算执行率之间的偏差为 {num(result.deviation)} 个百分点"
        "（偏差 = 总体完成率 − 预算执行率）。"
    )
    reasons = [r for r in result.rows if (r.indicator.reason or "").strip()]
    if reasons:
        draft.para(f"自评表中填写偏差原因的指标共 {len(reasons)} 个：")
        for row in reasons:
            draft.para(f"“{row.indicator.name}”：{row.indicator.reason.strip()}")
    else:
        draft.para("自评表中未填写偏差原因。")
    draft.prompt("主要偏差原因及改进措施")


def _problems(draft: Draft, result: TableResult) -> None:
    draft.heading("六、主要经验及做法、存在的问题及原因分析")
    draft.heading("（一）主要经验及做法", 2)
    draft.prompt("主要经验及做法")
    draft.heading("（二）存在问题及原因分析", 2)
    lost = _deducted(result.rows)
    if lost:
        draft.para(f"未得满分的指标共 {len(lost)} 个：")
        for row in lost:
            ind = row.indicator
            draft.para(f"“{ind.name}”：分值 {num(ind.weight)} 分，得分 {num(row.score)} 分；")
    else:
        draft.para("各项指标均得满分。")
    findings = [
        f
        for f in ordered(result.all_findings, [result.table.sheet])
        if f.to_dict()["severity"] in ("error", "warning")
    ]
    if findings:
        draft.para(f"perfxl 校验自评表发现需核对的问题 {len(findings)} 项：")
        for f in findings:
            item = f.to_dict()
            draft.para(f"{item['code']}（{item['cell']}）：{item['message']}")
    draft.prompt("存在的问题及原因分析")
