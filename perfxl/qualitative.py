"""Judging a worded 实际完成值 against its target: the MoF qualitative bands.

Units type their actuals as phrases (已完成, 部分达成, 较及时, 基本满意). The words are
data kept apart from the number parsers (perfxl.quantities, which re-exports them): the
plain template's formulas test the negative and partial lists too
(perfxl.template.actuals); the lesser satisfaction words and the hedges are judged by
the engine only. Every check is a plain substring search, linear in the text.
"""

from __future__ import annotations

from perfxl.model import QualLevel
from perfxl.text import normalize

TRAILING = ".。;,、!?"

# Words that turn the achievement word right after them around: 无法完成, 未能达到, 不符合.
_NEGATIONS = ("无法", "未能", "不能", "没能", "尚未", "没有", "未", "不", "没", "无")

# 未达 covers 未达成, 未达到, 未达标 and 未达预期.
NEGATIVE_PARTS = (
    "未达",
    "没达",
    "未完成",
    "没有达成",
    "没有完成",
    "没有达到",
    "未实现",
    "无效",
    "较差",
    "效果差",
    "不达标",
    "不合格",
    "不满意",
)
NEGATIVE_WHOLE = {"否", "差"}
PARTIAL_PARTS = ("部分达成", "部分完成", "部分实现", "部分", "一般", "一定效果", "有待")
PARTIAL_WHOLE = {"中", "中等"}
ACHIEVED_PARTS = (
    "达成",
    "达到",
    "完成",
    "符合",
    "实现",
    "良好",
    "较好",
    "显著",
    "明显",
    "有效",
    "达标",
    "合格",
    "满意",
    "预期",
)
ACHIEVED_WHOLE = {"是", "优", "良", "优秀", "好", "满意"}
# Satisfaction one step below 满意: against a 满意 (or ≥90% 满意度) target the row is only
# partly met, unless the target itself asks no more (`基本满意` against `基本满意`).
LESSER_SATISFACTION = ("较满意", "基本满意", "一般满意", "还算满意", "尚满意")
# Words that hedge the achievement word right after them: 较及时, 基本达标, 初步建立 meet
# the target only in part, unless the target asks no more (基本达标 against 基本达标).
# Longest first, so that the warning names 比较 rather than 较.
HEDGES = (
    "基本上",
    "大体上",
    "比较",
    "较为",
    "基本",
    "大体",
    "大致",
    "初步",
    "相对",
    "较",
)


def _clean(text: str) -> str:
    return normalize(text).rstrip(TRAILING)


def classify(spelled: str, target_text: str | None = None) -> QualLevel | None:
    """The MoF band of a normalized qualitative actual; negatives are checked first so
    that 未达成 is not read as 达成, then partial ones so 部分达成 is not either."""
    if spelled in NEGATIVE_WHOLE or any(part in spelled for part in NEGATIVE_PARTS):
        return QualLevel.NOT_ACHIEVED
    if lesser_satisfaction(spelled, target_text):
        return QualLevel.PARTIAL
    if spelled in PARTIAL_WHOLE or any(part in spelled for part in PARTIAL_PARTS):
        return QualLevel.PARTIAL
    if target_text and target_text in spelled:
        level = _affirmed(spelled, target_text)
        if level == QualLevel.ACHIEVED and _hedged(spelled, target_text):
            return QualLevel.PARTIAL
        return level
    if _hedged(spelled, target_text or ""):
        return QualLevel.PARTIAL
    if spelled in ACHIEVED_WHOLE:
        return QualLevel.ACHIEVED
    for part in ACHIEVED_PARTS:
        if part in spelled:
            return _affirmed(spelled, part)
    return None


def _affirmed(spelled: str, phrase: str) -> QualLevel:
    before = spelled[: spelled.index(phrase)]
    return QualLevel.NOT_ACHIEVED if before.endswith(_NEGATIONS) else QualLevel.ACHIEVED


def lesser_satisfaction(actual: str, target: str | None) -> str | None:
    """The 较满意-like word of an actual that falls short of its target, or None.

    比较满意 holds 较满意; 非常满意 and 满意 hold none of them and stay 达成.
    """
    spelled = normalize(actual)
    wanted = normalize(target or "")
    for word in LESSER_SATISFACTION:
        if word in spelled and word not in wanted:
            return word
    return None


def falls_short(actual: str, target: str | None) -> str | None:
    """The words of a qualitative actual that meet its target only in part, or None:
    a lesser satisfaction (较满意) or a hedged achievement word (较及时, 基本达标)."""
    return lesser_satisfaction(actual, target) or _hedged(_clean(actual), _clean(target or ""))


def _hedge_ending(text: str) -> str | None:
    return next((hedge for hedge in HEDGES if text.endswith(hedge)), None)


def _hedged(spelled: str, wanted: str) -> str | None:
    """The hedged phrase of an actual (较及时, 制度较健全, 基本完成), or None.

    The target restated without a hedge right before it is met (基本达成逐步提高目标
    against 逐步提高); a hedge inside the restated target (制度较健全 against 制度健全)
    or before an achievement word the target does not itself hedge is not.
    """
    if wanted and wanted in spelled:
        hedge = _hedge_ending(spelled[: spelled.index(wanted)])
        return hedge + wanted if hedge else None
    for hedge in HEDGES if wanted else ():
        at = spelled.find(hedge)
        if at < 0 or hedge in wanted:
            continue
        rest = spelled[:at] + spelled[at + len(hedge) :]
        if wanted in rest:  # the hedge sits inside the restated target
            start = min(at, rest.index(wanted))
            return spelled[start : rest.index(wanted) + len(wanted) + len(hedge)]
    for part in ACHIEVED_PARTS:
        at = spelled.find(part)
        if at > 0 and (hedge := _hedge_ending(spelled[:at])) and hedge + part not in wanted:
            return hedge + part
    return None
