"""The four seed reports (shared/seeds/000–003) as ProjectSpecs.

Every figure is the one the report prints, defects included, because the fixtures exist
to test a reader and a validator against real tables. Where a report does not print a
figure the national form needs, the comment beside it says how it was chosen.
Texts (targets, actuals, reasons, goals) are copied from the reports; goal and achieved
come from the sections named in the comments, since no report prints the form itself.
"""

from __future__ import annotations

from perfxl.samples.spec import FundsSpec, Number, ProjectSpec, RowSpec

_DECISION = (
    ("项目立项", "立项依据充分性"),
    ("项目立项", "立项程序规范性"),
    ("绩效目标", "绩效目标合理性"),
    ("绩效目标", "绩效指标明确性"),
    ("资金投入", "预算编制科学性"),
    ("资金投入", "资金分配合理性"),
)
_PROCESS = (
    ("资金管理", "资金到位率"),
    ("资金管理", "预算执行率"),
    ("资金管理", "资金使用合规性"),
    ("组织实施", "管理制度健全性"),
    ("组织实施", "制度执行有效性"),
)


def _rubric(
    decision: tuple[Number, ...],
    process: tuple[Number, ...],
    *,
    arrival: str,
    execution: str,
    execution_score: Number | None = None,
    execution_reason: str = "",
) -> tuple[RowSpec, ...]:
    """The common 决策/过程 rows; all full marks except 预算执行率 when a score is given.

    Only 资金到位率 and 预算执行率 carry a target/actual; the other rubric rows are
    judged against a scoring standard and the form leaves both cells empty.
    """
    rows = [
        RowSpec("决策", l2, name, "", "", w, w)
        for (l2, name), w in zip(_DECISION, decision, strict=True)
    ]
    for (l2, name), w in zip(_PROCESS, process, strict=True):
        if name == "资金到位率":
            rows.append(RowSpec("过程", l2, name, "100%", arrival, w, w))
        elif name == "预算执行率":
            score = w if execution_score is None else execution_score
            rows.append(RowSpec("过程", l2, name, "100%", execution, w, score, execution_reason))
        else:
            rows.append(RowSpec("过程", l2, name, "", "", w, w))
    return tuple(rows)


def _full(level1: str, level2: str, name: str, target: str, actual: str, weight: Number) -> RowSpec:
    return RowSpec(level1, level2, name, target, actual, weight, weight)


# --------------------------------------------------------------------------- 000

_Q000 = "完成招商考察，招商推介活动，进一步宣传和推介阿克陶县，提升城市品牌影响力"

SEED_000 = ProjectSpec(
    key="000",
    title_year=2022,
    project="招商引资工作经费",
    # 主管部门 is not printed; the implementing bureau is its own budget unit.
    department="阿克陶县商务科技和工业信息化局",
    unit="阿克陶县商务科技和工业信息化局",
    funds=FundsSpec(
        initial_budget=4,  # 本年度安排下达资金
        budget=4,  # 最终确定项目资金总数
        received=4,
        spent=4,
        rate=1.0,
        appropriation=(4, 4, 4, 4),  # 本级财政拨款4万元; spent all of it (实际支出4万元)
        carryover=(0, 0, 0, 0),  # 上年结余0万元; nothing to spend from it
    ),
    goal=(  # 主要内容 (the 总目标 section restates the results)
        "招商引资工作经费项目资金4万元，由县级财力承担，主要用于开展招商引资工作，财政资金4万，"
        "拟举办招商引资活动，引进产业来县投资办厂、带动当地劳动力就业，促进经济发展。"
    ),
    achieved="已举办招商引资活动2次，已引进入驻企业并投产2家，带动本地劳动力60人，招商工作有序进行，已形成支出4万元",
    rows=(
        # 资金到位率 is printed as 足额拨付到位 (4 of 4), written 100%; 资金执行率100.00%.
        *_rubric((3, 2, 3, 2, 5, 5), (5, 5, 5, 2, 3), arrival="100%", execution="100%"),
        _full("产出", "数量指标", "举办招商引资活动数量", "≥2个", "2个", 3),
        _full("产出", "数量指标", "引进入驻企业并投产", "≥2个", "2个", 3),
        _full("产出", "数量指标", "带动本地劳动力就业", "≥60人", "60人", 4),
        _full("产出", "质量指标", _Q000, "≥2%", "2%", 10),
        _full("产出", "时效指标", "招商引资工作周期", "=12月", "12个月", 10),
        _full("产出", "成本指标", "招商引资工作经费", "≤4万元", "4万元", 10),
        # The report prints 10 points for each of the three rows below inside a 20-point
        # category (30 in all). Halving the two benefit rows keeps 效益 at the printed 20
        # and the table at 100 while keeping 满意度 at its printed 10.
        _full("效益", "经济效益指标", "招商活动的签约项目个数", "≥2个", "2个", 5),
        _full("效益", "可持续影响指标", _Q000, "=100%", "100%", 5),
        _full("效益", "满意度指标", "客商满意度（%）", "≥98%", "98%", 10),
    ),
    total=100,
    grade="优",
)

# --------------------------------------------------------------------------- 001


def _cost001(name: str, amount: str, weight: Number) -> RowSpec:
    # Actuals are not itemised; the report says 本年支出192.05万元, the sum of these targets.
    return _full(
        "产出", "成本指标", f"{name}（万元）", f"={amount}（万元）", f"{amount}万元", weight
    )


SEED_001 = ProjectSpec(
    key="001",
    title_year=2022,
    project="工作经费",
    department="阿克陶县人民政府办公室",  # not printed; the office is its own budget unit
    unit="阿克陶县人民政府办公室",
    funds=FundsSpec(
        initial_budget=192.05,  # 本年度安排下达资金
        budget=192.05,  # 最终确定项目资金总数
        received=192.05,
        spent=192.05,
        rate=1.0,
        appropriation=(192.05, 192.05, 192.05, 192.05),  # 本级财政拨款192.05万元, all spent
        carryover=(0, 0, 0, 0),  # 上年结余0万元
    ),
    goal=(  # 项目绩效总目标
        "该项目资金主要保障政府办公室办公楼的正常运行，保障电子政务室维护、电子政务外网维护、"
        "门户网站监管以及设备采购管理、应急高清视频会议系统终端的管理、公务用车运行维护及车辆管理等。"
        "进一步促进了政府办公室管理质量的提高，提升了办公室工作人员办事效率、服务保障能力及良好的工作环境。"
    ),
    achieved=(  # 实施结果
        "工作经费项目自2022年1月实施以来，已完成政府办公室办文办会，行政效能，督查督办，加强公务接待管理，"
        "保障中央，自治区、自治州、各类接待，加强电子政务外网监控管理，全力推进电子政务工作。"
        "完成应急视频会议室通连自治区、自治州应急高清视频会议系统终端，保障应急视频会议室，"
        "提升了工作人员办事效率和服务保障能力。"
    ),
    rows=(
        # 立项依据充分性, 立项程序规范性, 绩效目标合理性 print no score: 3, 2, 3 as in seed 000
        # (same county, same form), which also makes 决策 the printed 20. 资金到位率 is
        # printed as 足额拨付到位 (192.05 of 192.05), written 100%.
        *_rubric((3, 2, 3, 2, 5, 5), (5, 5, 5, 2, 3), arrival="100%", execution="100%"),
        _full("产出", "数量指标", "保障职工人数（人）", "=44人", "44人", 2),
        _full("产出", "数量指标", "购买办公费批次（次/年）", "=8次", "8次", 2),
        _full("产出", "数量指标", "电费缴费月数（月）", "=12月", "12个月", 1),
        _full("产出", "数量指标", "支付水费月数", "=12月", "12个月", 1),
        _full("产出", "数量指标", "出差干部人数（人）", "=20人", "20人", 1),
        _full("产出", "数量指标", "办公设备购置采购批次(次/年）", "=5(次/年）", "5次/年", 1),
        _full("产出", "数量指标", "车辆维护数（辆）", "=18（辆）", "18辆", 1),
        _full("产出", "数量指标", "支付电话费及网络费费月数（月）", "=12月", "12个月", 1),
        _full("产出", "质量指标", "资金使用合规率（%）", "=100%", "100%", 10),
        # The report reuses the 质量 name under 时效 (a known defect, kept). Its analysis
        # says 任务完成时间2022年12月; the actual is written as a rate to match the target.
        _full("产出", "时效指标", "资金使用合规率（%）", ">=100%", "100%", 10),
        # 成本 is printed only as 10 points in all; 办公费 carries 2 (it is by far the largest
        # item) so that the nine rows add up to 10, as 数量 does with its two 2-point rows.
        _cost001("办公费", "68.95", 2),
        _cost001("手续费", "0.1", 1),
        _cost001("水费缴费月数", "1", 1),
        _cost001("电费缴费月数", "7", 1),
        _cost001("邮电费", "4", 1),
        _cost001("差旅费", "15", 1),
        _cost001("维修(护)费", "30", 1),
        _cost001("生活补助", "6", 1),
        _cost001("公务用车运行维护费", "60", 1),
        # The analysis only says 与预期指标一致 for the two rows below; 达成预期指标 is the
        # wording published tables use for such a qualitative actual.
        _full("效益", "社会效益指标", "提升员工办公效率", "有效强化", "达成预期指标", 5),
        _full("效益", "可持续影响指标", "提升员工办公效率", "有效保障", "达成预期指标", 5),
        _full("效益", "满意度指标", "受益群众满意度（%）", ">=95%", "95%", 10),
    ),
    total=100,
    grade="优",
)

# --------------------------------------------------------------------------- 002

_REASON_002 = "单位资金支付运转保障计划有变，导致预算执行率过低。"

SEED_002 = ProjectSpec(
    key="002",
    title_year=2023,
    project="机关运行补助项目",
    department="中共昌吉回族自治州委员会组织部",  # not printed; the department is its own unit
    unit="中共昌吉回族自治州委员会组织部",
    funds=FundsSpec(
        initial_budget=1994,
        budget=1994,
        received=1994,
        spent=693.68,
        rate=0.3479,
        appropriation=(0, 0, 0, 0),  # 财政资金0.00万元, so nothing spent from it
        other=(1994, 1994, 1994, 693.68),  # 其他资金1994.00万元; it is the only source
    ),
    goal=(  # the 年度绩效目标 quoted under 绩效目标合理性
        "全年完成支出分类小于等于5个，各项工作完成率、各项工作完成及时率以及预算成本控制率均达到100%、"
        "最终达到逐步提高调动职工的积极性主动性创造性、不断提高组织工作效率，更好的发挥职能。"
    ),
    achieved=(  # 综合评价情况
        "通过项目的实施，全年完成支出分类5个，各项工作完成率、各项工作完成及时率以及预算成本控制率"
        "均达到100.00%，发挥了调动职工的积极性、主动性、创造性效益。"
    ),
    rows=(
        # All six 决策 rows print full marks (21) though the category is reported as 20.00.
        *_rubric(
            (5, 3, 4, 3, 4, 2),
            (4, 5, 4, 2, 4),
            arrival="100%",
            execution="34.79%",
            execution_score=1.74,
            execution_reason=_REASON_002,
        ),
        _full("产出", "数量指标", "支出分类", "小于等于5个", "5个", 12),
        _full("产出", "质量指标", "各项保运转工作完成率", "等于100.00%", "100.00%", 3),
        _full("产出", "时效指标", "各项工作完成及时率", "等于100.00%", "100.00%", 2),
        RowSpec(
            "产出",
            "成本指标",
            "预算成本控制率",
            "小于等于100.00%",
            "34.79%",
            13,
            4.52,
            "单位资金支付运转保障计划有变，导致成本控制率过低。",
        ),
        _full(
            "效益",
            "社会效益指标",
            "调动职工的积极性、主动性、创造性",
            "逐步提高",
            "基本达成逐步提高目标",
            10,
        ),
        _full("效益", "社会效益指标", "提高组织工作效率", "不断提高", "基本达成不断提高目标", 10),
        _full("效益", "满意度指标", "各项工作满意度", "大于等于95.00%", "95.00%", 10),
    ),
    total=87.26,  # printed; the rows add up to 88.26 (the 决策 21-vs-20 defect)
    grade="良",
)

# --------------------------------------------------------------------------- 003

_REASON_003 = "2023年度我单位援疆项目工作检查减少、调研减少，援疆项目差旅费、办公费减少"
_A003 = "昌吉回族自治州对口援疆工作领导小组办公室"

SEED_003 = ProjectSpec(
    key="003",
    title_year=2023,
    project="援疆工作经费项目",
    department=_A003,
    unit=_A003,
    funds=FundsSpec(
        initial_budget=100,
        budget=81.82,  # equals 全年执行数: the report's defect, kept
        received=100,
        spent=81.82,
        rate=0.8182,  # printed; it is 执行数 / 到位数
        appropriation=(100, 81.82, 100, 81.82),  # 资金来源为州财政资金: the only source
    ),
    goal=(  # 总体目标
        "负责搞好对口支援省市的产业对接，指导各县市援疆办做好产业援疆工作;牵头负责援助资金投资的各类建设项目的"
        "审批协调服务及跟踪落实，负责指导州直各项目及各县市项目的组织实施，督促检查项目的进展情况。"
        "负责与福建、山西两省援疆前方指挥部、援疆省市援疆办及各县市援疆办的联络工作。"
        "负责服务援疆省市各级领导考察、接待等工作。2023年工作计划：争取福建援疆项目106个，山西援疆项目13个。"
    ),
    achieved=(  # 实际工作内容 under 绩效目标合理性
        "2023年积极争取福建、山西援疆项目119个（福建106个、山西13个），开复工率100%，"
        "争取援疆资金5.72亿元（福建省4.61亿元，山西省1.11亿元），资金到位率实现100%。"
        "深度发掘援受双方产业协作空间和潜力，累计实现招商引资项目落地28个，已落地资金66.7亿元。"
        "深入实施教育援疆工程，累计支援实施幼儿园、中小学校和中高职业院校等教育项目9个，"
        "改善了受援地办学条件，更好地满足了社会对各类教育的需求。不断提升“三交”活动项目覆盖面，"
        "累计开展“手拉手”、融情夏令营活动27场次，参与人数达1200人次。积极推进两地结对共建，"
        "助推援疆省市13所三甲医院与昌吉州13所县级以上医院结对共建，有关单位与受援地25个乡镇（街道）、"
        "村（社区）建立结对帮扶关系"
    ),
    rows=(
        *_rubric(
            (5, 3, 4, 3, 4, 2),
            (3, 5, 5, 2, 4),
            arrival="100%",
            execution="81.82%",
            execution_score=2.7,  # printed; the threshold-linear rule gives 2.73
            execution_reason=f"由于{_REASON_003}，造成工作经费未使用完。",
        ),
        _full(
            "产出",
            "数量指标",
            "争取2023年福建对口支援昌吉州计划实施项目（个）",
            "106个",
            "106个",
            4,
        ),
        _full(
            "产出", "数量指标", "争取2023年山西对口支援昌吉州计划实施项目（个）", "13个", "13个", 4
        ),
        _full("产出", "质量指标", "争取援疆项目资金全部到位率（%）", "100%", "100%", 4),
        _full("产出", "质量指标", "提高援疆项目申报成功率（%）", "100%", "100%", 4),
        _full("产出", "时效指标", "争取援疆项目资金按时到位率（%）", "100%", "100%", 4),
        _full("产出", "时效指标", "争取项目完成及时率（%）", "100%", "100%", 3),
        _full(
            "产出",
            "成本指标",
            "办公耗材、援疆项目资料印刷支出等办公经费",
            "小于等于30万元",
            "30万元",
            3,
        ),
        RowSpec(
            "产出",
            "成本指标",
            "援疆项目工作检查、调研经费",
            "小于等于20万元",
            "1.82万元",
            2,
            0,
            f"{_REASON_003}。",
        ),
        _full(
            "产出",
            "成本指标",
            "邀请专家评审、验收援疆项目等劳务费用",
            "小于等于50万元",
            "50万元",
            2,
        ),
        _full(
            "效益",
            "社会效益指标",
            "深化援受双方交流，促进闽晋昌三地交流互鉴，加深中华民族共同体意识",
            "持续",
            "持续",
            10,
        ),
        _full(
            "效益",
            "社会效益指标",
            "持续改善群众生产生活条件、文化、教育和医疗卫生等方面",
            "长期",
            "长期",
            10,
        ),
        _full("效益", "满意度指标", "机关干部满意度（%）", "大于等于90%", "90%", 10),
    ),
    total=95.72,  # printed; the printed row scores add up to 95.70
    grade="优",
)

SEEDS: dict[str, ProjectSpec] = {p.key: p for p in (SEED_000, SEED_001, SEED_002, SEED_003)}
