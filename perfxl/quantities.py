"""Reading 年度指标值 and 实际完成值 cells into values.

Cells are free text typed by hundreds of units: signs or words for the operator, units
glued, bracketed or traditional, dates with or without a year, qualitative phrases. The
parsers accept every form seen in published tables and report everything else as a
TextProblem, because a wrong number scored silently is worse than a question to the
user. Results are cached: in-cell Excel functions call these thousands of times.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import lru_cache

from perfxl.model import Direction, Qualitative, Quantity, Target, TextProblem, Unit
from perfxl.qualitative import (  # re-exported: the template and tests read them here
    ACHIEVED_PARTS,
    ACHIEVED_WHOLE,
    HEDGES,
    LESSER_SATISFACTION,
    NEGATIVE_PARTS,
    NEGATIVE_WHOLE,
    PARTIAL_PARTS,
    PARTIAL_WHOLE,
    TRAILING,
    classify,
    falls_short,
    lesser_satisfaction,
)
from perfxl.text import normalize
from perfxl.units import DATE, DATE_UNIT, MONTH_OF_YEAR, MONTH_OF_YEAR_UNIT, lookup_unit

__all__ = [
    "ACHIEVED_PARTS",
    "ACHIEVED_WHOLE",
    "HEDGES",
    "LESSER_SATISFACTION",
    "MAX_TEXT_CHARS",
    "MULTIPLIERS",
    "NEGATIVE_PARTS",
    "NEGATIVE_WHOLE",
    "OPERATORS",
    "PARTIAL_PARTS",
    "PARTIAL_WHOLE",
    "classify",
    "falls_short",
    "is_not_applicable",
    "lesser_satisfaction",
    "parse_actual",
    "parse_target",
]

POSITIVE, REVERSE, EQUAL = Direction.POSITIVE, Direction.REVERSE, Direction.EQUAL

# operator -> (direction, strict)
OPERATORS: dict[str, tuple[Direction, bool]] = {
    **dict.fromkeys(
        ["≥", ">=", "=>", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "至少"],
        (POSITIVE, False),
    ),
    **dict.fromkeys([">", "高于", "超过", "大于", "多于"], (POSITIVE, True)),
    **dict.fromkeys(["≤", "<=", "=<", "小于等于", "小于或等于", "不高于"], (REVERSE, False)),
    **dict.fromkeys(["不超过", "不大于", "不多于", "控制在", "至多", "最多"], (REVERSE, False)),
    **dict.fromkeys(["<", "低于", "小于", "少于", "不足"], (REVERSE, True)),
    # time words: 不早于 is "on or after" (≥), 不晚于/不迟于 "on or before" (≤, a deadline
    # before a date), 晚于/迟于 and 早于 the strict forms (`早于2023年12月` is not met in
    # December: perfxl.rates honours strict for dates)
    **dict.fromkeys(["不早于"], (POSITIVE, False)),
    **dict.fromkeys(["晚于", "迟于"], (POSITIVE, True)),
    **dict.fromkeys(["不晚于", "不迟于"], (REVERSE, False)),
    **dict.fromkeys(["早于"], (REVERSE, True)),
    # 达到 95% is "at least" in published tables: over-achievement is full marks
    **dict.fromkeys(["达到", "达"], (POSITIVE, False)),
    **dict.fromkeys(["=", "==", "等于", "为", "约"], (EQUAL, False)),
}
# Words that speak of time: a month after them is a month of the year (`不晚于12月` is
# December, not twelve months).
TIME_OPERATORS = frozenset({"不早于", "晚于", "迟于", "不晚于", "不迟于", "早于"})
# Words that name no direction: a target written with only these is a bare figure,
# read by the profile ([rows] bare). Only =, == and 等于 make an equality target.
WEAK_OPERATORS = frozenset({"为", "约"})
# 达到 names a direction but yields to a sign written with it (`达到≤5%` is ≤).
YIELDING_OPERATORS = frozenset({"达到", "达"})
# Words after the number; longest first so 及以上 wins over 以上.
SUFFIXES: dict[str, Direction] = {
    "及以上": POSITIVE,
    "以上": POSITIVE,
    "及以下": REVERSE,
    "以下": REVERSE,
    "以内": REVERSE,
    "之内": REVERSE,
    "内": REVERSE,
    "左右": EQUAL,  # about: names no direction, so the figure stays bare
}
# 万 / 亿 with no unit after them scale a bare number (`≥1万` is 10000).
MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000)}
# 余 / 多 right after the number (`200余人`, `10多个`, `1.2万余元`) say "a little over": at
# least the figure is certain, so it is read as the figure (conservative). 多于 before a
# number is an operator and never reaches here.
A_LITTLE_OVER = ("余", "多")
# A label ending in these makes an actual "nearly N" (近200人): below N by an unknown
# amount, so it cannot be read as N; the user is asked for the figure.
_NEARLY = ("近", "不到")

_CJK = "\u4e00-\u9fff"
_OP = "|".join(re.escape(op) for op in sorted(OPERATORS, key=len, reverse=True))
# The operator words are matched atomically: 大于等于 also reads as 大于 + 等于, and letting
# the engine retry every such split made `"大于等于" * 30 + "x"` take minutes (issue 9).
# The longest-first alternation already takes the split that is meant.
_HEAD = rf"(?P<label>[{_CJK}]*?)(?P<ops>(?>(?:{_OP})*))"
# Longer cell texts are a problem, not parsed: no target or figure needs more, and the
# patterns above (a lazy label before the operators) cost up to the square of the length.
MAX_TEXT_CHARS = 200
# Spaces around a cell's text do not count, but a raw text beyond this is refused before
# any work, so the parse caches never hold long texts (8,192 entries each).
_MAX_RAW_CHARS = 4 * MAX_TEXT_CHARS
_NUMBER_RE = re.compile(
    rf"{_HEAD}(?P<num>(?:[-+]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?|[-+]?\.\d+)(?:[eE][-+]?\d{{1,2}})?)"
    r"(?P<rest>.*)"
)
_DATE_RE = re.compile(
    rf"{_HEAD}(?:"
    r"(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?:(?P<d1>\d{1,2})[日号])?"
    r"|(?P<y2>\d{4})[-/](?P<m2>\d{1,2})(?:[-/](?P<d2>\d{1,2}))?"
    r"|(?P<y3>\d{4})\.(?P<m3>\d{1,2})\.(?P<d3>\d{1,2})"
    r"|(?P<y4>\d{4})年(?=底|末|内)"
    r"|(?P<next>次年|下一?年|第二年|翌年|来年|明年)?(?P<m5>\d{1,2})月(?:(?P<d5>\d{1,2})[日号])?"
    r"|年(?=底|末))"
    r"(?P<end>底|末|份)?(?P<suf>之前|以前|前|之内|以内|内|为止|止)?"
    r"(?:完成|完工|竣工|结束|到位|实施完毕)?"
)
_DIGIT = re.compile(r"\d")
_NOUN = re.compile(rf"[{_CJK}]+")
_SIGN_CHARS = set("<>=≥≤%")
# A label ending in these makes the number an ordinal or a rank, not an amount.
_BAD_LABEL_ENDS = ("第", "前", "后")
_NOT_APPLICABLE = re.compile(
    r"(?:本(?:项目|单位|部门))?(?:无|不涉及|未涉及|不适用)(?:此类|此项|该项|该类|该|此|本项)?(?:指标)?"
    r"|[-—–―/\\]+|n/?a",
    re.IGNORECASE,
)


def _clean(text: str) -> str:
    return normalize(text).rstrip(TRAILING)


def is_not_applicable(value: object) -> bool:
    """Whether a cell says the indicator does not apply (无此类指标, 不涉及, /, —)."""
    if not isinstance(value, str) or len(value) > _MAX_RAW_CHARS:
        return False
    # asked of each row's name, target and actual: remembered (short texts)
    if len(value) <= _SHORT_TEXT:  # pragma: no mutate
        return _not_applicable_short(value)
    return _not_applicable(value)


def _not_applicable(text: str) -> bool:
    return _NOT_APPLICABLE.fullmatch(_clean(text)) is not None


# pragma: no mutate start
# (cache sizes: a mutant changes how much is remembered, never an answer)
# Parse caches. A county's 10,000 workbooks hold tens of thousands of distinct short
# targets and actuals (≥95%, 100%, 12月底前, 已完成 …), many of them repeated from file
# to file: short texts (most of them) get large caches, the rare long ones (a sentence
# typed as the actual) small ones. Full, these caches and perfxl.text's hold about 50 MB
# in a worker whatever the cells say (an entry is under 1 KB for a short text, about
# 2.5 KB for one of _MAX_RAW_CHARS), no more than the 8,192-entry caches they replace
# could, so two workers and the main process stay within the run's 300 MB.
_SHORT_TEXT = 64
_SHORT_ENTRIES = 16_384
_LONG_ENTRIES = 1_024
_not_applicable_short = lru_cache(maxsize=_SHORT_ENTRIES)(_not_applicable)
# pragma: no mutate end


def _decimal(value: int | float | Decimal) -> Decimal | None:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


def _date_value(year: int, month: int) -> Decimal:
    return Decimal(year * 12 + month)


def _cell_problem(value: object, what: str) -> TextProblem:
    return TextProblem(str(value), f"{what}“{value}”不是数值或文字，无法识别")


def _too_long(text: str, spelled: str, what: str) -> TextProblem:
    return TextProblem(
        text,
        f"{what}文字过长（{len(spelled)} 个字符，最多 {MAX_TEXT_CHARS} 个）：“{spelled[:20]}…”，"
        "请只填写指标值或数值，说明写入备注",
    )


def _direction(ops: str, extra: Direction | None) -> tuple[Direction, bool] | None:
    """Combine every operator found; 等于/达到 yield to a sign, opposite signs clash."""
    words = re.findall(_OP, ops)
    found = [OPERATORS[op] for op in words if op not in YIELDING_OPERATORS]
    if extra is not None:
        found.append((extra, False))
    strong = {direction for direction, _ in found if direction != EQUAL}
    if len(strong) > 1:
        return None
    if not strong:
        return (POSITIVE, False) if YIELDING_OPERATORS.intersection(words) else (EQUAL, False)
    direction = strong.pop()
    return direction, any(strict for d, strict in found if d == direction)


def _is_bare(ops: str, extra: Direction | None) -> bool:
    """No operator but 为/约 and no suffix but 左右: the profile decides the reading."""
    return extra in (None, EQUAL) and all(op in WEAK_OPERATORS for op in re.findall(_OP, ops))


def _label_ok(label: str) -> bool:
    return not label.endswith(_BAD_LABEL_ENDS)


def _read_date(match: re.Match[str], month_of_year: bool) -> tuple[Quantity, bool] | str:
    """The quantity of a date match and whether it carries a deadline word, or why not."""
    groups = match.groupdict()
    year = groups["y1"] or groups["y2"] or groups["y3"] or groups["y4"]
    month = groups["m1"] or groups["m2"] or groups["m3"] or groups["m5"]
    day = groups["d1"] or groups["d2"] or groups["d3"] or groups["d5"]
    if month is None:
        month = "12"  # 2023年底, 年底
    if not 1 <= int(month) <= 12:
        return f"月份“{month}”不在1到12之间"
    if day is not None and not 1 <= int(day) <= 31:
        return f"日期“{day}”不在1到31之间"
    deadline_word = bool(groups["suf"]) or groups["end"] in ("底", "末")
    if year is not None:
        return Quantity(_date_value(int(year), int(month)), DATE_UNIT), deadline_word
    if groups["next"]:  # 次年1月: months 13..24 are the next year's (see perfxl.units)
        return Quantity(Decimal(int(month) + 12), MONTH_OF_YEAR_UNIT), deadline_word
    if month_of_year or day or groups["end"] or groups["suf"] or groups["m5"] is None:
        return Quantity(Decimal(month), MONTH_OF_YEAR_UNIT), deadline_word
    plain = lookup_unit("月")
    return Quantity(Decimal(month), plain), deadline_word


def _read_number(match: re.Match[str]) -> tuple[Quantity, Direction | None] | str:
    """The quantity of a number match and the direction of its suffix, or why not."""
    rest, suffix_direction = match["rest"], None
    for suffix, direction in SUFFIXES.items():
        if rest.endswith(suffix):
            rest, suffix_direction = rest[: -len(suffix)], direction
            break
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    rest = _without_a_little_over(rest)
    # 4.65e5 (how some programs export a figure) is written out: 465000, never 4.65E+5
    number = Decimal(format(Decimal(match["num"].replace(",", "")), "f"))
    unit: Unit | None = None
    if rest in MULTIPLIERS:
        number *= MULTIPLIERS[rest]
    elif rest:
        unit = lookup_unit(rest) or _unit_before_noun(rest)
        if unit is None:
            return f"无法识别计量单位“{rest}”"
    if unit is not None and unit.text == "年" and 1900 <= number <= 2100:
        return "只写了年份，无法确定月份"
    return Quantity(number, unit), suffix_direction


def _without_a_little_over(rest: str) -> str:
    """`余人` → `人`, `万余元` → `万元`, `多` → ``: the 余/多 of an approximate figure."""
    if rest[:1] in A_LITTLE_OVER:
        return rest[1:]
    if rest[:1] in MULTIPLIERS and rest[1:2] in A_LITTLE_OVER:
        return rest[:1] + rest[2:]
    return rest


def _is_nearly(label: str) -> bool:
    """近 / 将近 / 接近 / 不到 before an actual's number (最近 is not "nearly")."""
    return label.endswith(_NEARLY) and not label.endswith("最近")


def _unit_before_noun(text: str) -> Unit | None:
    """`2个村`, `500人次群众`, `100%完成`: a known unit followed by what is counted."""
    for end in range(len(text) - 1, 0, -1):
        head, tail = text[:end], text[end:]
        if _NOUN.fullmatch(tail) and "前" not in tail and "后" not in tail:
            unit = lookup_unit(head)
            if unit is not None:
                return unit
    return None


def parse_target(value: str | int | float | Decimal | None) -> Target | TextProblem | None:
    """A 年度指标值 cell as a Target; None when blank or not applicable (无此类指标).

    Callers that must tell blank from not-applicable ask is_not_applicable first.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return _cell_problem(value, "指标值")
    if isinstance(value, str) and len(value) > _MAX_RAW_CHARS:
        return _too_long(value, value, "指标值")
    if isinstance(value, int | float | Decimal):
        number = _decimal(value)
        if number is None:
            return _cell_problem(value, "指标值")
        return Target(str(value), EQUAL, Quantity(number), bare=True)
    if isinstance(value, datetime.date):
        quantity = Quantity(_date_value(value.year, value.month), DATE_UNIT)
        return Target(str(value), EQUAL, quantity, bare=True)
    return _parse_target_text(str(value))


def _parse_target_text(text: str) -> Target | TextProblem | None:
    if len(text) <= _SHORT_TEXT:  # pragma: no mutate
        return _target_short(text)
    return _target_long(text)


def _read_target_text(text: str) -> Target | TextProblem | None:
    spelled = _clean(text)
    if len(spelled) > MAX_TEXT_CHARS:
        return _too_long(text, spelled, "指标值")
    if not spelled or _NOT_APPLICABLE.fullmatch(spelled):
        return None
    unreadable = TextProblem(text, f"无法识别指标值“{text}”")
    if (match := _DATE_RE.fullmatch(spelled)) and _label_ok(match["label"]):
        in_time = not TIME_OPERATORS.isdisjoint(re.findall(_OP, match["ops"]))
        read = _read_date(match, month_of_year=in_time)
        if isinstance(read, str):
            return TextProblem(text, f"指标值“{text}”：{read}")
        quantity, deadline_word = read
        suffix = REVERSE if deadline_word and (match["ops"] == "" or match["suf"]) else None
        combined = _direction(match["ops"], suffix)
        if combined is None:
            return TextProblem(text, f"指标值“{text}”的比较方向前后矛盾")
        direction, strict = combined
        assert quantity.unit is not None
        deadline = direction == REVERSE and quantity.unit.dimension in (DATE, MONTH_OF_YEAR)
        bare = not deadline_word and _is_bare(match["ops"], suffix)
        return Target(text, direction, quantity, strict=strict, deadline=deadline, bare=bare)
    if not _DIGIT.search(spelled):
        if _SIGN_CHARS & set(spelled):
            return unreadable
        return Target(text, Direction.QUALITATIVE)
    match = _NUMBER_RE.fullmatch(spelled)
    if match is None or not _label_ok(match["label"]):
        return unreadable
    read_number = _read_number(match)
    if isinstance(read_number, str):
        return TextProblem(text, f"指标值“{text}”：{read_number}")
    quantity, suffix_direction = read_number
    combined = _direction(match["ops"], suffix_direction)
    if combined is None:
        return TextProblem(text, f"指标值“{text}”的比较方向前后矛盾")
    direction, strict = combined
    bare = _is_bare(match["ops"], suffix_direction)
    return Target(text, direction, quantity, strict=strict, bare=bare)


def parse_actual(
    value: str | int | float | Decimal | None, target: Target | None = None
) -> Quantity | Qualitative | TextProblem | None:
    """A 实际完成值 cell; the target decides how `12月` and qualitative text are read.

    Against a qualitative target the result is always a Qualitative (level None when
    the text, or a number, cannot be judged). Operators in an actual (`≥95%`) are
    dropped. None when blank or not applicable.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return _cell_problem(value, "实际完成值")
    if isinstance(value, str) and len(value) > _MAX_RAW_CHARS:
        return _too_long(value, value, "实际完成值")
    if not isinstance(target, Target):
        target = None
    if target is not None and target.direction == Direction.QUALITATIVE:
        if isinstance(value, str):
            return _parse_actual_text(value, target)
        return Qualitative(str(value), None)
    if isinstance(value, int | float | Decimal):
        number = _decimal(value)
        return _cell_problem(value, "实际完成值") if number is None else Quantity(number)
    if isinstance(value, datetime.date):
        return Quantity(_date_value(value.year, value.month), DATE_UNIT)
    return _parse_actual_text(str(value), target)


def _parse_actual_text(
    text: str, target: Target | None
) -> Quantity | Qualitative | TextProblem | None:
    if len(text) <= _SHORT_TEXT:  # pragma: no mutate
        return _actual_short(text, target)
    return _actual_long(text, target)


def _read_actual_text(
    text: str, target: Target | None
) -> Quantity | Qualitative | TextProblem | None:
    spelled = _clean(text)
    if len(spelled) > MAX_TEXT_CHARS:
        return _too_long(text, spelled, "实际完成值")
    if not spelled or _NOT_APPLICABLE.fullmatch(spelled):
        return None
    if target is not None and target.direction == Direction.QUALITATIVE:
        return Qualitative(text, classify(spelled, _clean(target.text)))
    unreadable = TextProblem(text, f"无法识别实际完成值“{text}”")
    if (match := _DATE_RE.fullmatch(spelled)) and _label_ok(match["label"]):
        read = _read_date(match, month_of_year=_wants_month_of_year(target))
        if isinstance(read, str):
            return TextProblem(text, f"实际完成值“{text}”：{read}")
        return read[0]
    if not _DIGIT.search(spelled):
        if _SIGN_CHARS & set(spelled):
            return unreadable
        return Qualitative(text, classify(spelled, None))
    match = _NUMBER_RE.fullmatch(spelled)
    if match is None or not _label_ok(match["label"]):
        return unreadable
    if _is_nearly(match["label"]):
        return TextProblem(
            text,
            f"实际完成值“{text}”为约数（不足 {match['num']}），无法计算完成率，请填写实际完成的数值",
        )
    read_number = _read_number(match)
    if isinstance(read_number, str):
        return TextProblem(text, f"实际完成值“{text}”：{read_number}")
    return _in_target_unit(read_number[0], _without_a_little_over(match["rest"]), target)


# pragma: no mutate start
_target_short = lru_cache(maxsize=_SHORT_ENTRIES)(_read_target_text)
_target_long = lru_cache(maxsize=_LONG_ENTRIES)(_read_target_text)
_actual_short = lru_cache(maxsize=_SHORT_ENTRIES)(_read_actual_text)
_actual_long = lru_cache(maxsize=_LONG_ENTRIES)(_read_actual_text)
# pragma: no mutate end


def _in_target_unit(quantity: Quantity, rest: str, target: Target | None) -> Quantity:
    """`1.6万` against `≤1.5万元` is 1.6万元, not 16000 of the target's 万元.

    A number scaled by 万/亿 with no unit of its own is a count in the target's base
    unit (元 for money, the item for counts); it is expressed in the target's unit so
    that the bare-number rule (a bare actual takes the target's unit) stays right.
    """
    if rest not in MULTIPLIERS or quantity.unit is not None or target is None:
        return quantity
    unit = target.quantity.unit if target.quantity is not None else None
    if unit is None or not (unit.dimension == "money" or unit.dimension.startswith("count")):
        return quantity
    return Quantity(quantity.value / unit.factor, unit)


def _wants_month_of_year(target: Target | None) -> bool:
    """`12月` in an actual means December when the target is a deadline or a date."""
    if target is None or target.quantity is None:
        return False
    unit = target.quantity.unit
    return target.deadline or (unit is not None and unit.dimension in (DATE, MONTH_OF_YEAR))
