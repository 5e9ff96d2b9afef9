"""The 填表说明 sheet: how to fill the form, in Chinese, with the profile's rules in words.

Every rule sentence is generated from the profile's fields (method names map to
sentences; no region is named in code), and the example rows are scored by the engine
itself, so the figures shown beside them are the ones the form will compute.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.model import Indicator
from perfxl.profiles import FundsRule, Profile
from perfxl.scoring import score_row
from perfxl.template.expr import num
from perfxl.template.layout import COLUMNS, GRADES, LEVELS, NOT_APPLICABLE, TITLES

FUNDS_WORDS = {"budget": "全年预算数", "initial_budget": "年初预算数", "received": "全年到位数"}
REVERSE_WORDS = {
    "target_over_actual": "指标值 ÷ 实际完成值（不超过指标值即为满分）",
    "actual_over_target": "实际完成值 ÷ 指标值（按预算使用率计）",
    "linear_penalty": "不超过指标值为100%，超出部分按 1 −（实际 − 指标）÷ 指标 递减，至2倍指标值为0",
}
EQUAL_WORDS = {
    "deviation": "等于指标值为100%，偏离越多完成率越低：1 − |实际 − 指标| ÷ 指标",
    "proportional": "同正向指标：实际完成值 ÷ 指标值",
    "full_if_equal": "等于指标值为100%，否则为0",
}


def _pct(value: Decimal) -> str:
    return f"{num(value * 100)}%"


def score_words(method: str, threshold: Decimal, full_at: Decimal) -> str:
    if method == "threshold":
        th = _pct(threshold)
        return (
            f"完成率 ≥ 100% 得满分，低于 {th} 得 0 分，其余按"
            f"（完成率 − {th}）÷（1 − {th}）× 分值 计分"
        )
    if method == "full_above":
        return f"完成率 ≥ {_pct(full_at)} 得满分，其余按 分值 × 完成率 计分"
    return "得分 = 分值 × 完成率（完成率超过100%按100%计）"


def funds_words(rule: FundsRule, numerator: str) -> str:
    names = [FUNDS_WORDS[f] for f in rule.denominator if f != numerator]
    if len(names) == 1:
        return names[0]
    return "、".join(names) + "中第一个已填写且大于0的数"


def rule_lines(profile: Profile, form: str, mode: str = "plain") -> list[str]:
    """The profile's rules, one sentence each."""
    rows, ex, ar = profile.rows, profile.execution, profile.arrival
    cost_level2 = "、".join(rows.cost_level2) or "（无）"
    digits = max(profile.rate_digits - 2, 0)
    bands = "；".join(f"{b.level.value} {_pct(b.upper)}–{_pct(b.lower)}" for b in profile.bands)
    grades = "，".join(
        f"{g} ≥ {num(m)}"
        if i < len(profile.grades) - 1
        else f"{g} < {num(profile.grades[i - 1][1])}"
        for i, (g, m) in enumerate(profile.grades)
    )
    lines = [
        f"评分规则：{profile.title}（{profile.name}）。以下各条由规则文件生成，表中公式按同一规则计算。",
        "正向指标（≥）：完成率 = 实际完成值 ÷ 指标值。",
        f"反向指标（≤）：完成率 = {REVERSE_WORDS[rows.reverse]}。",
        f"成本指标（二级指标为 {cost_level2} 且为 ≤）：完成率 = {REVERSE_WORDS[rows.cost]}。",
        f"等于（=）：{EQUAL_WORDS[rows.equal]}。",
        f"完成率最高计 {_pct(rows.cap)}，保留 {digits} 位小数的百分比；得分保留 {profile.score_digits} 位小数。",
        f"定量指标计分：{score_words(rows.score, rows.threshold, Decimal(1))}。",
        f"定性指标分三档：{bands}；默认取所选档次的上限，评价人可在“评分”列于档内打分。",
        f"预算执行率 = 全年执行数 ÷ {funds_words(ex, 'spent')}；计分：{score_words(ex.method, ex.threshold, ex.full_at)}。",
        f"资金到位率 = 全年到位数 ÷ {funds_words(ar, 'received')}；计分：{score_words(ar.method, ar.threshold, ar.full_at)}。",
    ]
    if form == "self":
        weight = "由单位填写" if ex.default_weight is None else f"默认 {num(ex.default_weight)} 分"
        lines.append(f"自评表的预算执行率在资金栏计分，分值{weight}。")
    if profile.rescale_not_applicable:
        lines.append("不适用的指标不计分，其余指标得分按比例折算为满分。")
    else:
        lines.append("不适用的指标不计分，其分值不再折算。")
    method = (
        "各指标完成率的算术平均" if profile.completion == "mean" else "各指标完成率按分值加权平均"
    )
    lines += [
        f"总体完成率 = {method}（含预算执行率与评分类指标，未能计分的指标按0计）。",
        f"偏差 = 总体完成率 − 预算执行率（百分点），超过 {num(profile.deviation_threshold)} 个百分点须说明原因。",
        f"总分 = 各指标得分之和；评价等级：{grades}。",
    ]
    return lines + variant_lines(profile) + reading_lines(profile, mode)


READINGS = {"at_least": "不低于（≥）", "at_most": "不高于（≤）", "equal": "等于（=）"}


def variant_lines(profile: Profile) -> list[str]:
    """The rule variants a profile may set (issue 8), one sentence each where set."""
    lines = []
    for rule, name in ((profile.execution, "预算执行率"), (profile.arrival, "资金到位率")):
        if rule.points_rounding == "truncate":
            lines.append(f"{name}得分截去小数取整分（如 10 分 × 99.10% = 9.91，得 9 分）。")
    if not profile.total.includes_execution:
        lines.append("总分仅含各项绩效指标（分值合计不含预算执行率），预算执行率单独计分列示。")
    if profile.rows.entered_scores == "keep":
        lines.append(
            "评价人在“评分”列填写的得分（0 至分值之间）计入总分，即使与公式计算的得分不同。"
        )
    return lines


def reading_lines(profile: Profile, mode: str = "plain") -> list[str]:
    """How 指标性质 is read, and, in a plain template, what its formulas leave to perfxl
    (marked red); in a udf template the PERF_* functions are perfxl and read it all."""
    rows, deadlines = profile.rows, profile.deadlines
    names = "、".join(rows.bare_at_most_names[:4]) or "（无）"
    excused = "、".join(rows.bare_at_least_names[:3])
    unless = f"（同时含{excused}等词语的除外）" if excused else ""
    lines = [
        f"指标性质留空表示原表未写比较符号（如“90%”），按{READINGS[rows.bare]}计分；成本指标按"
        f"{READINGS[rows.bare_cost]}，时效指标中的时长（天、个月等）按"
        f"{READINGS[deadlines.bare_duration]}，指标名称含{names}等词语的按不高于（≤）{unless}。"
        "只有选择“等于”（或写明“=”）才按等于计分。",
        "指标性质中的 ≧ ≦ ═ ＞＝ ＜＝ =< => 〉= 以及“不低于”“不超过”“达到”等文字按其含义计算。",
    ]
    if mode != "plain":
        return lines
    return [
        *lines,
        "以下情形表中公式不计分，指标性质与指标值显示为红色，由 perfxl 计算（perfxl score）：无法识别的符号；"
        "以年份作指标值（如 2024年）；月份不在1–12之间；时效指标中未写符号的月份（如“12月”，"
        "为完成时限，须按表格年度判断是否按期完成）。",
        "定性指标的实际完成值请选择达成档次或照抄指标值；“较满意”“基本满意”等低于指标值的表述，"
        "perfxl 按部分达成计分，表中公式不作判断（实际完成值显示为红色），请选择相应档次。",
    ]


def fill_lines(form: str) -> list[str]:
    levels = "；".join(f"{l1}：{'、'.join(l2s)}" for l1, l2s in LEVELS[form].items())
    na = "、".join(f"“{x}”" for x in NOT_APPLICABLE[:5])
    grades = "/".join(GRADES)
    lines = [
        "黄色单元格为填写区；绿色单元格由公式自动计算，请勿改动。工作表已保护但未设密码，"
        "需要调整版式时可在“审阅 → 撤销工作表保护”后操作。",
        "项目资金以万元为单位，在“年度资金总额”一行填写年初预算数、全年预算数、全年到位数、全年执行数；"
        "须填数字（粘贴为文字的金额如“46.5万”显示为红色，表中公式不计算）。",
        f"一级指标、二级指标从下拉列表选择，二级指标只列出所选一级指标下的选项（{levels}）。",
        "指标性质：≥ 为正向指标，≤ 为反向指标（如成本），“等于”为等于（不填“=”：Excel 会把以 = 开头的输入当作公式），"
        "定性为文字表述的指标；"
        "原表未写符号的指标值（如“90%”“12次”）指标性质留空，按评分规则解读（见“计算规则”）。",
        "指标值填数字，单位选在“计量单位”列；百分比指标单位选 %，指标值填 95（不要填 95%）。"
        "定性指标的指标值填文字表述（如“有效提升”）。",
        f"实际完成值：定量指标填与计量单位一致的数值，也可连同计量单位填写（如 180人、97%），"
        "可换算的单位按本工具的单位表换算（月行填 12个月、万元行填 16000元 或 1.6万、个行填 8家）；"
        f"定性指标从下拉列表选择 {grades}，完成情况与指标值表述完全相同时也可照抄指标值（按达成计）。",
        f"不适用的指标：指标值留空，在实际完成值中填写 {na} 等，该指标不计分；"
        "填有指标值的指标须填写实际完成情况。",
        "评分：仅在两种情况下填写：①没有指标值的评分类指标（如决策、过程类指标），直接填得分；"
        "②定性指标需要在所选档次内酌情打分时。其余指标留空，由“得分”列自动计算。",
        "完成率低于100%的指标，须填写偏差原因分析及改进措施（未填写时该单元格显示为橙色）。",
        "实际完成值显示为红色时，表示表中公式无法按本行读取（如定性指标未选择档次、"
        "定量指标填了文字、科学计数法（如 1e3）或无法换算的计量单位），该指标暂不计分，请按上述要求改填。",
    ]
    if form == "eval":
        lines.insert(
            2,
            "决策、过程类共性指标已预置，分值默认取种子报告002（决策21分、过程19分），可按实际调整；"
            "资金到位率、预算执行率由资金栏自动计算。",
        )
    return lines


def examples(profile: Profile, form: str) -> list[tuple[str, str, str, str]]:
    """(column, example 1, example 2, what to type) rows; rate and score from the engine."""
    out1, out2 = ("产出指标", "效益指标") if form == "self" else ("产出", "效益")
    one = Indicator(out1, "数量指标", "培训人数", "≥60人", "48", Decimal(3), None)
    two = Indicator(out2, "社会效益指标", "群众就业能力", "有效提升", "部分达成", Decimal(5), None)
    first, second = score_row(one, profile), score_row(two, profile)

    def pct(value: Decimal | None) -> str:
        return "" if value is None else f"{value * 100:.2f}%"

    values = {
        "level1": (out1, out2, "下拉选择"),
        "level2": ("数量指标", "社会效益指标", "下拉选择，仅列出所选一级指标下的二级指标"),
        "name": ("培训人数", "群众就业能力", "填写本项目的三级指标名称"),
        "nature": ("≥", "定性", "下拉选择 ≥ ≤ 等于 定性"),
        "target": ("60", "有效提升", "定量填数字，定性填文字"),
        "unit": ("人", "", "下拉选择；定性指标留空"),
        "actual": ("48", "部分达成", "定量填数字；定性选择达成档次"),
        "weight": ("3", "5", "该指标的分值"),
        "entered": ("（留空）", "（留空）", "仅评分类指标或定性档内打分时填写"),
        "rate": (pct(first.rate), pct(second.rate), "自动计算"),
        "score": (str(first.score), str(second.score), "自动计算"),
        "reason": ("培训报名人数不足", "", "完成率低于100%时填写"),
    }
    return [(COLUMNS[key], *values[key]) for key in COLUMNS]


def title(form: str) -> str:
    return f"{TITLES[form]}填表说明"
