"""Labels of the monitoring table (项目支出绩效目标执行监控表), as data.

Like perfxl.reader.labels for the 自评表: every synonym seen in published monitoring
tables goes here, compared after perfxl.text.normalize (simplified characters,
half-width signs, no spaces). The monitoring month is part of some labels
(`1-6月执行数`, `1—7月实际完成值`, `截至6月底执行数`, `半年度指标执行情况`), so those
are matched by pattern and give the month too.
"""

from __future__ import annotations

import re

from perfxl.reader.labels import HEADER_FIELDS, match_column, table_cache

# the indicator block's columns: field -> labels (exact, after normalising)
COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标", "一级"),
    "level2": ("二级指标", "二级"),
    "name": ("三级指标", "三级指标名称", "指标名称", "绩效指标名称", "三级"),
    "target": (
        "年度指标值", "指标值", "年度目标值", "全年指标值", "预期指标值", "年度绩效指标值",
        "目标值", "年度指标值(A)",
    ),
    "nature": ("指标性质", "指标方向", "运算符"),
    "unit": ("计量单位", "度量单位", "单位"),
    "actual": (
        "1-N月实际完成值", "1-n月实际完成值", "实际完成值", "执行情况", "指标执行情况", "半年度指标执行情况", "截至目前完成值",
        "当前完成值", "累计完成值", "实际完成情况", "已完成值",
    ),
    "predicted": (
        "全年预计完成值", "全年预计完成情况", "预计全年完成值", "预计全年完成情况",
        "全年预计完成", "预计完成值", "年底预计完成值",
    ),
    "cause": ("偏差原因分析", "偏差原因", "偏差原因类型", "偏差类型", "偏差原因分析及改进措施"),
    "likelihood": ("完成目标可能性", "目标完成可能性", "完成可能性"),
    "reason": (
        "原因说明", "偏差原因说明", "原因分析", "情况说明", "原因说明及改进措施",
        "偏差或不能完成目标原因分析", "不能完成目标原因分析",
    ),
    "measures": ("改进措施", "纠偏措施", "整改措施", "相关建议或举措", "拟采取的措施"),
    # a self-evaluation column: a header holding one of these is a 自评表's
    "weight": ("分值", "权重", "权重分", "标准分", "指标分值", "得分", "自评得分", "评价得分"),
}  # fmt: skip

# 偏差原因分析 sub-columns (MoF annex order) and the words that name each
CAUSE_COLUMNS: dict[str, tuple[str, ...]] = {
    "经费保障": ("经费保障", "经费", "资金保障"),
    "制度保障": ("制度保障", "制度"),
    "人员保障": ("人员保障", "人员"),
    "硬件条件保障": ("硬件条件保障", "硬件条件", "硬件保障", "硬件"),
    "其他": ("其他", "其它"),
}

# 完成目标可能性 sub-columns, when the answer is ticked rather than written
LIKELIHOOD_COLUMNS: dict[str, tuple[str, ...]] = {
    "确定能": ("确定能", "确定能完成", "能"),
    "有可能": ("有可能", "有可能完成", "可能"),
    "完全不可能": ("完全不可能", "不可能", "完全不可能完成"),
}

# the funds block's columns (万元)
FUNDS: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初预算数", "年初预算", "年初预算金额", "年初批复预算数"),
    "budget": ("全年预算数", "全年预算", "调整后预算数", "调整后预算", "预算数"),
    "spent": (
        "1-N月执行数",
        "1-n月执行数",
        "执行数",
        "累计执行数",
        "实际执行数",
        "已执行数",
        "实际支出数",
    ),
    "rate": ("执行率", "预算执行率", "执行进度", "预算执行进度"),
    "predicted": ("全年预计执行数", "预计全年执行数", "全年预计支出数", "全年预计执行"),
}
FUNDS_TOTAL_ROW = ("年度资金总额", "资金总额", "合计", "年度资金总额:")

# 项目名称 / 主管部门 / 实施单位 and the monitoring month, the table's date
HEADER: dict[str, tuple[str, ...]] = {
    **HEADER_FIELDS,
    "department": (*HEADER_FIELDS["department"], "主管部门及代码", "主管部门名称"),
    "unit": (*HEADER_FIELDS["unit"], "项目执行单位", "执行单位", "实施单位名称"),
    "month": ("监控月份", "监控期间", "监控时段", "截至月份", "监控月", "截止月份"),
    "date": ("填报日期", "填表日期", "监控日期", "报送日期", "截至日期", "截止日期"),
}

# a table's own title: the sheet holds a monitoring table
TITLE_WORDS = ("监控表", "监控情况表", "运行监控", "执行监控")
SELF_WORDS = ("自评表", "自评", "评价表")

# rows that end the indicator block
STOP_WORDS = ("填表人", "填报人", "联系电话", "单位负责人", "项目负责人", "财务负责人", "注:")

TICKS = frozenset("√✓✔☑■●✅") | {"是", "y", "Y", "yes"}

_DIGITS = "0123456789"
_CHINESE = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
            "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_MONTH = r"(1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])"
_DASH = r"[-—–~〜至到]+"
# 1-6月执行数, 1—7月实际完成值, 一至六月执行数, 1-6月份执行率, 1-6月累计执行数
_RANGE = re.compile(rf"^(?:1|一){_DASH}{_MONTH}月(?:份)?(?:底|末)?(?:累计|份)?(.*)$")
# 截至6月底执行数, 截止6月末执行数, 截至6月30日执行数
_UNTIL = re.compile(rf"^截[至止](?:20\d\d年)?{_MONTH}月(?:底|末|\d{{1,2}}日)?(?:累计)?(.*)$")
_HALF = re.compile(r"^(?:上?半年度?|年中)(.*)$")


def month_number(text: str) -> int | None:
    """'6' / '六' / '十二' → 6 / 6 / 12; None when it is not a month."""
    value = int(text) if text and text.isdigit() else _CHINESE.get(text, 0)
    return value if 1 <= value <= 12 else None


def month_label(text: str) -> tuple[int, str] | None:
    """A label carrying the month: (N, the rest) for `1-N月…`, `截至N月底…`, `半年…`."""
    if "月" in text:  # both patterns name the month with 月; most texts have none
        for pattern in (_RANGE, _UNTIL):
            found = pattern.match(text)
            if found:
                month = month_number(found.group(1))
                return None if month is None else (month, found.group(2))
    if not text.startswith(("上半", "半", "年中")):
        return None
    found = _HALF.match(text)
    if found and found.group(1):
        return 6, found.group(1)
    return None


def column_field(text: str, columns: dict[str, tuple[str, ...]]) -> tuple[str | None, int | None]:
    """(field, month in the label) for a header text of the indicator or funds block.

    `1-6月实际完成值` is the actual to date (month 6), `1-6月执行数` the spent amount,
    `1-6月执行率` the rate; a label without a month is matched as listed.
    """
    if not text:
        return None, None
    answers = table_cache(columns, "monitoring column")
    if text not in answers:
        if len(answers) > 4096:  # free text in data cells: keep the cache bounded
            answers.clear()
        answers[text] = _column_field(text, columns)
    return answers[text]


def _column_field(text: str, columns: dict[str, tuple[str, ...]]) -> tuple[str | None, int | None]:
    found = month_label(text)
    if found is not None:
        month, rest = found
        rest = rest or "执行数"
        field = match_column(rest, columns)
        if field is None and columns is COLUMNS and ("完成" in rest or "执行情况" in rest):
            field = "actual"
        return field, month
    return match_column(text, columns), None


def sub_field(text: str, columns: dict[str, tuple[str, ...]]) -> str | None:
    """The category or answer a sub-column header names (经费保障, 确定能, …)."""
    return match_column(text, columns) if text else None
