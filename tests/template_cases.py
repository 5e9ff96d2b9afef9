"""The projects that tests/test_template_libreoffice.py types into the templates.

Each case is (profile, form, project); a project is a ProjectSpec as fill_template
types it, and TYPED / TYPED_CELLS say what is then typed over it as a clerk would. The
issue 8 cases (bare figures, look-alike signs, deadlines, rule variants) are in
template_issue8_cases.py and join CASES here.
"""

from __future__ import annotations

from dataclasses import replace

from template_issue8_cases import CASES as ISSUE8_CASES
from template_issue8_cases import TEST_PROFILES as ISSUE8_PROFILES

from perfxl.samples.seeds import SEEDS
from perfxl.samples.spec import FundsSpec, ProjectSpec, RowSpec

# A national self-evaluation table exercising every row path under mof2020: ≥, =
# (deviation), a percent typed as a fraction, ≤ (reverse), two cost rows (one in 元
# against 万元), a qualitative row marked 部分达成 with a score typed inside its band,
# a qualitative row that restates its target, a not-applicable row (rescaled), a rubric
# row scored by hand, and a blank row not yet filled in.
SELF_CASE = ProjectSpec(
    key="self",
    title_year=2024,
    project="职业技能培训项目",
    department="某县人力资源和社会保障局",
    unit="某县就业服务中心",
    funds=FundsSpec(initial_budget=50, budget=48, received=45, spent=41.76),  # 87%
    goal="全年开展职业技能培训4期，培训200人次，培训合格率不低于95%。",
    achieved="开展培训3期，培训180人次，合格率97%。",
    rows=(
        RowSpec("产出指标", "数量指标", "培训人数", "≥200人", "180人", 10, None),
        RowSpec("产出指标", "数量指标", "培训期数", "=4期", "3期", 5, None, "场地紧张"),
        RowSpec("产出指标", "质量指标", "培训合格率", "≥95%", "0.97", 10, None),
        RowSpec("产出指标", "时效指标", "培训周期", "≤11个月", "12个月", 5, None),
        RowSpec("", "", "", "", "", None, None),  # not filled in yet
        RowSpec("产出指标", "成本指标", "人均培训成本", "≤2000元", "2150元", 10, None),
        RowSpec("产出指标", "成本指标", "场地租赁费", "≤1.5万元", "16000元", 5, None),
        RowSpec("效益指标", "社会效益指标", "就业能力提升", "有效提升", "部分达成", 20, 14.5),
        RowSpec("效益指标", "可持续影响指标", "培训长效机制", "持续", "持续", 5, None),
        RowSpec("效益指标", "生态效益指标", "生态效益", "", "无此类指标", 5, None),
        RowSpec("满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%", "92%", 10, None),
        RowSpec("满意度指标", "服务对象满意度指标", "用人单位评价", "", "", 5, 4),
    ),
    total=None,
    grade="",
)

# Every method the profile format offers that the shipped profiles do not use.
VARIANT_PROFILE = """
name = "variant-test"
title = "测试用：非默认的各项计分方法"
extends = "mof2020"

[rounding]
rate_digits = 3
score_digits = 1

[execution]
method = "full_above"
full_at = 0.85
default_weight = 15
denominator = ["initial_budget", "budget"]

[arrival]
method = "threshold"
threshold = 0.5

[rows]
reverse = "linear_penalty"
cost = "actual_over_target"
equal = "full_if_equal"
score = "threshold"
threshold = 0.5
cap = 1.2

[qualitative]
bands = [
  { level = "达成", upper = 1.0, lower = 0.8 },
  { level = "部分达成", upper = 0.8, lower = 0.5 },
  { level = "未达成", upper = 0.5, lower = 0.0 },
]

[not_applicable]
rescale = false

[completion]
method = "weighted"

[grades]
bands = [
  { grade = "优", min = 85 },
  { grade = "良", min = 70 },
  { grade = "中", min = 60 },
  { grade = "差", min = 0 },
]

[deviation]
threshold = 10
"""


# xj-60 with 预算执行率 scored in proportion: the execution rule differs from the row rule
PROPORTIONAL_EXECUTION = """
name = "xj-60-proportional-execution"
title = "测试用：预算执行率按比例计分"
extends = "xj-60"

[execution]
method = "proportional"
"""
# profile names of CASES that are written here, not shipped
TEST_PROFILES = {
    "variant": VARIANT_PROFILE,
    "proportional-execution": PROPORTIONAL_EXECUTION,
    **ISSUE8_PROFILES,
}


def _without_funds(spec: ProjectSpec) -> ProjectSpec:
    """The funds block left empty: 预算执行率 / 资金到位率 fall back on their own rows,
    where the engine keeps the uncapped ratio (105% scores full, shows 100%)."""
    actuals = {"预算执行率": "105%", "资金到位率": "90%"}
    rows = tuple(
        replace(row, target="=100%", actual=actuals[row.name]) if row.name in actuals else row
        for row in spec.rows
    )
    return replace(spec, funds=FundsSpec(None, None, None, None), rows=rows)


# A row named like the execution row (with the noise the engine strips) takes the funds
# block's rate and replaces the funds-block execution row of the self form.
NAMED_EXECUTION = replace(
    SELF_CASE,
    rows=(
        *SELF_CASE.rows,
        RowSpec("产出指标", "时效指标", "预算执行率（%）", "≥90%", "95%", 10, None),
    ),
)

# Entries typed the ordinary way rather than as the drop-downs ask: numbers as text, with
# the row's own unit or a % sign, spaces, a qualitative actual restating its target (read
# as 达成 unless its wording says otherwise, as perfxl.quantities.classify does). The
# entries the formulas cannot read as the engine does must stay uncomputed where the
# engine does not score them either: another unit, a year, `1.2.3`, 无 against a target.
# RowSpec.actual is what fill_template types; TYPED_AS_TEXT then overwrites the cell with
# the text exactly as given (fill_template would turn `180人` into the number 180).
TYPED_AS_TEXT = {
    "培训人数": "180人",  # ≥200人: 90%
    "培训期数": "3",  # =4期, the number as text: 1 − |3 − 4| / 4 = 75%
    "培训合格率": "97%",  # ≥95 %: full
    "就业率": "0.85",  # ≥90 %: a fraction typed as text reads as 85%, as a number would
    "结业证书发放率": "0.9%",  # ≥80 %: the % typed, so 0.9% stays 0.9 (1.13%)
    "人均培训成本": "2150 元",  # ≤2000元, a space before the unit: 2000/2150
    "场地租赁费": "1.6万元",  # ≤1.5万元: 1.5/1.6
    "培训时长": "3年",  # ≥3年: full
    "就业能力提升": "有效提升",  # restates 有效提升: 达成
    "创业意愿": "部分改善",  # restates 部分改善, whose wording is partial: 部分达成
    "群众获得感": "群众 满意",  # restates 群众满意 up to a space: 达成
    "投诉情况": "減少不滿意",  # restates it in traditional script: a negative phrase, 未达成
    "企业参与度": "180人次",  # ≥200人: another unit, not computed (engine: PX012)
    "培训场次": "97%",  # ≥5场: a percent against 场, not computed (engine: PX012)
    "课程数量": "1.2.3",  # two points: no number to the engine either (PX011)
    "培训年份": "2024年",  # ≥3年: a year, not an amount (engine: PX011)
    "回访率": "无",  # ≥90 % against 无: a missing figure, not a row left out (engine: PX011)
    # a unit that differs in form from the row's, converted as perfxl.units does (issue 8
    # item 9); the rates are worked out by hand in test_units_typed_differently_by_hand
    "服务期限": "12个月",  # ≥12月: 个月 and 月 are one unit, 12/12
    "合作企业": "8家",  # ≥10个: 个 counts anything, 8/10
    "受益人次": "1.8万人次",  # ≥20000人次: 18000/20000
    "设备采购成本": "5.5万元",  # ≤50000元: 50000/55000
    "宣传费": "1.6万",  # ≤1.5万元: 1.6万 of the target's 万元, 1.5/1.6
    "考试通过率": "900‰",  # ≥95%: 90%, 90/95
    "实训天数": "3周",  # ≥28天: 21 days, 21/28
    "跟踪服务期": "10个月",  # ≥1年: 10 of 12 months
    "教材数量": "9個",  # ≥10个 in traditional script: 9/10
    "师资人数": "9家",  # ≥10人: 家 is not 人, not computed (engine: PX012)
    "回访月数": "13月",  # ≥6月: a month number 13 is no month, not computed (engine: PX011)
    "咨询时长": "2024年",  # ≥24个月: a year, not an amount (engine: PX011)
    "走访户数": "190余户",  # ≥200户: a little over 190 is read as 190, 190/200
    "参训人数": "近200人",  # ≥200人: nearly 200 is no figure (engine: PX011)
}
TYPED_CASE = replace(
    SELF_CASE,
    key="typed",
    rows=(
        RowSpec("产出指标", "数量指标", "培训人数", "≥200人", "", 10, None),
        RowSpec("产出指标", "数量指标", "培训期数", "=4期", "", 5, None),
        RowSpec("产出指标", "质量指标", "培训合格率", "≥95%", "", 5, None),
        RowSpec("产出指标", "质量指标", "就业率", "≥90%", "", 5, None),
        RowSpec("产出指标", "质量指标", "结业证书发放率", "≥80%", "", 5, None),
        RowSpec("产出指标", "成本指标", "人均培训成本", "≤2000元", "", 5, None),
        RowSpec("产出指标", "成本指标", "场地租赁费", "≤1.5万元", "", 5, None),
        RowSpec("产出指标", "时效指标", "培训时长", "≥3年", "", 5, None),
        RowSpec("效益指标", "社会效益指标", "就业能力提升", "有效提升", "", 10, None),
        RowSpec("效益指标", "社会效益指标", "创业意愿", "部分改善", "", 5, None),
        RowSpec("效益指标", "社会效益指标", "群众获得感", "群众满意", "", 5, None),
        RowSpec("效益指标", "社会效益指标", "投诉情况", "減少不滿意", "", 5, None),
        RowSpec("效益指标", "可持续影响指标", "企业参与度", "≥200人", "", 5, None),
        RowSpec("产出指标", "数量指标", "培训场次", "≥5场", "", 5, None),
        RowSpec("产出指标", "数量指标", "课程数量", "≥5个", "", 5, None),
        RowSpec("产出指标", "时效指标", "培训年份", "≥3年", "", 5, None),
        RowSpec("满意度指标", "服务对象满意度指标", "回访率", "≥90%", "", 5, None),
        RowSpec("满意度指标", "服务对象满意度指标", "用人单位评价", "", "", 5, 4),
        RowSpec("产出指标", "数量指标", "服务期限", "≥12月", "", 2, None),
        RowSpec("产出指标", "数量指标", "合作企业", "≥10个", "", 2, None),
        RowSpec("产出指标", "数量指标", "受益人次", "≥20000人次", "", 2, None),
        RowSpec("产出指标", "成本指标", "设备采购成本", "≤50000元", "", 2, None),
        RowSpec("产出指标", "成本指标", "宣传费", "≤1.5万元", "", 2, None),
        RowSpec("产出指标", "质量指标", "考试通过率", "≥95%", "", 2, None),
        RowSpec("产出指标", "数量指标", "实训天数", "≥28天", "", 2, None),
        RowSpec("产出指标", "数量指标", "跟踪服务期", "≥1年", "", 2, None),
        RowSpec("产出指标", "数量指标", "教材数量", "≥10个", "", 2, None),
        RowSpec("产出指标", "数量指标", "师资人数", "≥10人", "", 2, None),
        RowSpec("产出指标", "数量指标", "回访月数", "≥6月", "", 2, None),
        RowSpec("产出指标", "数量指标", "咨询时长", "≥24个月", "", 2, None),
        RowSpec("产出指标", "数量指标", "走访户数", "≥200户", "", 2, None),
        RowSpec("产出指标", "数量指标", "参训人数", "≥200人", "", 2, None),
    ),
)
# The evaluation form with an empty funds block: 预算执行率 and 资金到位率 fall back on
# their own rows, whose actuals are typed as percent text.
TYPED_FUNDS_AS_TEXT = {**TYPED_AS_TEXT, "预算执行率": "96.5%", "资金到位率": "0.9"}
TYPED_EVAL_CASE = replace(
    _without_funds(SEEDS["003"]),
    key="typed-eval",
    rows=(
        *(r for r in _without_funds(SEEDS["003"]).rows if r.level1 in ("决策", "过程")),
        *TYPED_CASE.rows,
    ),
)

# case id -> (profile, form, project)
# Targets of 0: =0起 under xj-prop (= read like ≥, but 0 is met only by 0) and ≤0起 under
# the variant's linear_penalty (any excess over a cap of 0 is 0%)
ZERO_TARGETS = replace(
    SELF_CASE,
    key="zero-targets",
    rows=(
        RowSpec("效益指标", "社会效益指标", "安全事故", "=0起", "1起", 10, None),
        RowSpec("效益指标", "社会效益指标", "违规事件", "=0起", "0起", 10, None),
        RowSpec("效益指标", "社会效益指标", "投诉事件", "≤0起", "2起", 10, None),
        RowSpec("效益指标", "社会效益指标", "差错次数", "≤4次", "5次", 10, None),
    ),
)

CASES = {
    "zero-targets-xj-prop": ("xj-prop", "self", ZERO_TARGETS),
    "zero-targets-variant": ("variant", "self", ZERO_TARGETS),
    "seed002-xj-prop": ("xj-prop", "eval", SEEDS["002"]),
    "seed003-xj-60": ("xj-60", "eval", SEEDS["003"]),
    "self-mof2020": ("mof2020", "self", SELF_CASE),
    "self-hubei": ("hubei", "self", SELF_CASE),
    "self-variant": ("variant", "self", SELF_CASE),
    "seed002-variant": ("variant", "eval", SEEDS["002"]),
    "seed003-mof2020": ("mof2020", "eval", SEEDS["003"]),
    "seed003-no-funds-xj-60": ("xj-60", "eval", _without_funds(SEEDS["003"])),
    "seed002-no-funds-mof2020": ("mof2020", "eval", _without_funds(SEEDS["002"])),
    "self-named-execution-row": ("mof2020", "self", NAMED_EXECUTION),
    # every shipped profile in both forms
    "self-xj-60": ("xj-60", "self", SELF_CASE),
    "self-xj-prop": ("xj-prop", "self", SELF_CASE),
    "seed003-hubei": ("hubei", "eval", SEEDS["003"]),
    "seed002-xj-60": ("xj-60", "eval", SEEDS["002"]),
    "seed003-proportional-execution": ("proportional-execution", "eval", SEEDS["003"]),
    "self-proportional-execution": ("proportional-execution", "self", SELF_CASE),
    # ordinary entries typed as text
    "typed-mof2020": ("mof2020", "self", TYPED_CASE),
    "typed-variant": ("variant", "self", TYPED_CASE),
    "typed-eval-xj-60": ("xj-60", "eval", TYPED_EVAL_CASE),
    "typed-eval-hubei": ("hubei", "eval", TYPED_EVAL_CASE),
    # issue 8: bare figures, look-alike signs, deadlines, rule variants
    **ISSUE8_CASES,
}
# case id -> row name -> the actual typed as text over what fill_template typed
TYPED = {
    "typed-mof2020": TYPED_AS_TEXT,
    "typed-variant": TYPED_AS_TEXT,
    "typed-eval-xj-60": TYPED_FUNDS_AS_TEXT,
    "typed-eval-hubei": TYPED_FUNDS_AS_TEXT,
}
