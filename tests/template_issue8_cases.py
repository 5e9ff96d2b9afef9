"""Projects for the LibreOffice differential tests of the templates (issue 8).

Bare figures read by the profile, look-alike signs typed in 指标性质, targets the
formulas leave to perfxl, and the rule variants (execution points truncated, a total
covering the indicators only, entered scores kept). tests/test_template_libreoffice.py
recalculates them with the other cases and holds every computed cell to the engine;
the figures worked out by hand are asserted there.
"""

from __future__ import annotations

from dataclasses import replace

from perfxl.samples.seeds import SEEDS
from perfxl.samples.spec import FundsSpec, ProjectSpec, RowSpec

# Targets printed without an operator: fill_template leaves 指标性质 empty, so the
# template and the engine both read them by the profile ([rows] bare …).
BARE_ROWS = (
    RowSpec("产出指标", "质量指标", "培训合格率", "90%", "100%", 10, None),  # ≥: full
    # no indicators (issue 8 item 4): a breakdown row and a placeholder
    RowSpec("", "", "其中：合格证书发放率", "90%", "95%", None, None),
    RowSpec("产出指标", "质量指标", "指标2:", "", "", None, None),
    RowSpec("产出指标", "成本指标", "设备购置成本", "4万元", "3.5万元", 10, None),  # ≤: full
    RowSpec("满意度指标", "服务对象满意度指标", "投诉率", "5%", "8%", 5, None),  # ≤: 5/8
    RowSpec("效益指标", "社会效益指标", "违规问题整改率", "95%", "90%", 5, None),  # ≥
    RowSpec("产出指标", "数量指标", "培训人数", "200人", "180人", 5, None),  # 为 typed below
    # 指标性质 typed with the look-alike signs and words below (NATURES_TYPED)
    RowSpec("产出指标", "质量指标", "就业率", "≥90%", "85%", 5, None),
    RowSpec("产出指标", "质量指标", "结业率", "=100%", "95%", 5, None),
    RowSpec("产出指标", "成本指标", "人均培训成本", "≤2000元", "2150元", 5, None),
    RowSpec("产出指标", "成本指标", "人均交通补贴", "≤500元", "520元", 5, None),
    RowSpec("产出指标", "数量指标", "培训期数", "≥4期", "3期", 5, None),
    RowSpec("产出指标", "数量指标", "培训班次", "≥10次", "9次", 5, None),
    RowSpec("产出指标", "数量指标", "帮扶企业", "≥10家", "8家", 5, None),
    RowSpec("产出指标", "数量指标", "宣传次数", "≥10次", "12次", 5, None),
    RowSpec("产出指标", "数量指标", "咨询人次", "≥100人次", "90人次", 5, None),  # ≈: unread
    RowSpec("产出指标", "数量指标", "服务年限", "≥3年", "3年", 5, None),  # 2024年 typed below
    # a time span without an operator on a time row: a limit, at most (bare_duration)
    RowSpec("产出指标", "时效指标", "办结时限", "30天", "25天", 5, None),  # full
    RowSpec("产出指标", "时效指标", "审批时长", "5工作日", "6工作日", 5, None),  # 5/6
    # 定性 over a number: the reader keeps 指标值 alone (`90`, a bare figure without unit)
    RowSpec("满意度指标", "服务对象满意度指标", "回访满意度", "90%", "85%", 5, None),
    # rubric rows scored by the evaluator (评分 typed below): a dash target with a
    # described actual (PX014 without a 评分), no target with a worded actual; no target
    # with a figure stays a missing target (PX010)
    RowSpec("产出指标", "质量指标", "制度建设情况", "—", "", 5, None),
    RowSpec("产出指标", "质量指标", "档案管理", "—", "", 5, None),
    RowSpec("产出指标", "质量指标", "组织保障", "", "", 5, None),
    RowSpec("产出指标", "质量指标", "完成情况", "", "100%", 5, None),
    # a heading indicator (分值, no target or actual) and its detail row without 分值
    RowSpec("产出指标", "数量指标", "★补助粮食作物种植面积", "", "", 5, 5),
    RowSpec("", "", "红薯种植面积", "5.5亩", "5.5亩", None, None),
    RowSpec("满意度指标", "服务对象满意度指标", "用人单位评价", "", "", 5, 4),
)
# row name -> 指标性质 as typed (over what fill_template wrote); the comment says how the
# engine reads it (perfxl.quantities, perfxl.text.normalize)
NATURES_TYPED = {
    "培训人数": "为",  # names no direction: a bare figure, at least by default
    "就业率": "≧",  # ≥: 85/90
    "结业率": "═",  # U+2550 for =: mof2020 deviation 1 − 5/100
    "人均培训成本": "＜＝",  # ≤ in full width: 2000/2150
    "人均交通补贴": "=<",  # ≤: 500/520
    "培训期数": "=>",  # ≥: 3/4
    "培训班次": "〉=",  # ≥: 9/10
    "帮扶企业": "不低于",  # ≥: 8/10
    "宣传次数": "达到",  # at least since issue 8: full
    "咨询人次": "≈",  # no operator the engine knows: the target is unreadable (PX010)
    "回访满意度": "定性",  # the target reads `90`, bare: at least, 85/90
}
# row name -> {column key: value} typed over what fill_template wrote
CELLS_TYPED = {
    "服务年限": {"target": 2024},  # ≥2024年: a year, not an amount (PX010 in the engine)
    "制度建设情况": {"actual": "制度健全，执行到位", "entered": 4},  # manual: 4
    "档案管理": {"actual": "已归档"},  # manual without a 评分: unscored (PX014)
    "组织保障": {"actual": "领导重视，措施有力", "entered": 4.5},  # manual: 4.5
    "完成情况": {"entered": 5},  # 100% against no target: unscored (PX010)
}
BARE_CASE = ProjectSpec(
    key="bare",
    title_year=2024,
    project="职业技能培训项目",
    department="某县人力资源和社会保障局",
    unit="某县就业服务中心",
    funds=FundsSpec(initial_budget=50, budget=48, received=45, spent=41.76),  # 87%
    goal="",
    achieved="",
    rows=BARE_ROWS,
    total=None,
    grade="",
)

# A month without a year on a time row is a deadline in the table's year (issue 8 item 7):
# the formulas leave it to perfxl and mark the target; the other rows still compute.
DEADLINE_CASE = replace(
    BARE_CASE,
    key="deadline",
    rows=(
        RowSpec("产出指标", "时效指标", "完成时限", "12月", "11月", 5, None),  # met: 100%
        RowSpec("产出指标", "时效指标", "培训周期", "≤11个月", "12个月", 5, None),  # 11/12
        RowSpec("产出指标", "数量指标", "培训人数", "≥200人", "180人", 10, None),
    ),
)

# The national self form of test_template_libreoffice (a qualitative row marked down in
# its band, a not-applicable row rescaled) under the rule variants below.
SELF_CASE = ProjectSpec(
    key="self-rules",
    title_year=2024,
    project="职业技能培训项目",
    department="某县人力资源和社会保障局",
    unit="某县就业服务中心",
    funds=FundsSpec(initial_budget=50, budget=48, received=45, spent=41.76),
    goal="",
    achieved="",
    rows=(
        RowSpec("产出指标", "数量指标", "培训人数", "≥200人", "180人", 10, None),
        RowSpec("产出指标", "成本指标", "场地租赁费", "≤1.5万元", "16000元", 5, None),
        RowSpec("效益指标", "社会效益指标", "就业能力提升", "有效提升", "部分达成", 20, 14.5),
        RowSpec("效益指标", "社会效益指标", "群众满意", "满意", "达成", 10, 7),
        RowSpec("效益指标", "生态效益指标", "生态效益", "", "无此类指标", 5, None),
        RowSpec("满意度指标", "服务对象满意度指标", "用人单位评价", "", "", 5, 4),
    ),
    total=None,
    grade="",
)

# The rule variants of issue 8 as profile settings, with bare figures read otherwise.
RULES_PROFILE = """
name = "issue8-rules"
title = "测试用：执行率得分取整、总分不含执行率、保留评价人得分、未写符号按等于"
extends = "mof2020"

[execution]
points_rounding = "truncate"
denominator = ["received", "budget", "initial_budget"]

[arrival]
points_rounding = "truncate"

[total]
includes_execution = false

[rows]
entered_scores = "keep"
bare = "equal"
bare_cost = "at_least"
bare_at_most_names = ["投诉"]
bare_at_least_names = []
"""
# row name -> 评分 typed for a computed row: kept under entered_scores = "keep"
ENTERED_TYPED = {"培训人数": 4}  # = 200人 read: 1 − 20/200 = 90% of 5 = 4.5; 4 is kept

TEST_PROFILES = {"issue8-rules": RULES_PROFILE}
# case id -> (profile, form, project)
CASES = {
    "bare-mof2020": ("mof2020", "self", BARE_CASE),
    "bare-xj-60": ("xj-60", "self", BARE_CASE),
    "bare-rules": ("issue8-rules", "self", BARE_CASE),
    "deadline-mof2020": ("mof2020", "self", DEADLINE_CASE),
    "rules-self": ("issue8-rules", "self", SELF_CASE),
    "rules-seed003": ("issue8-rules", "eval", SEEDS["003"]),
    "rules-seed002": ("issue8-rules", "eval", SEEDS["002"]),
}
# case id -> row name -> {column key: value} typed over what fill_template wrote
TYPED_CELLS = {
    case: {
        **{name: {"nature": nature} for name, nature in NATURES_TYPED.items()},
        **CELLS_TYPED,
        **({n: {"entered": v} for n, v in ENTERED_TYPED.items()} if "rules" in case else {}),
    }
    for case in ("bare-mof2020", "bare-xj-60", "bare-rules")
}
# cases whose summary the formulas cannot give: a row is left to perfxl (a deadline)
ROWS_ONLY = {"deadline-mof2020"}
