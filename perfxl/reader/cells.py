"""Cell values as the layout reads them: label text, parser text, and checked figures.

A figure the reader hands on must be one anyone could have meant. A 分值 of 1e308
summed into a total of 1.8e309 (JSON can only print it as Infinity), and a NaN or the
text `Infinity` in a 分值 column failed the whole sheet. So every figure the layout
takes goes through `Figures`, which keeps what is usable and turns the rest into a
finding on its cell (PX006), the value then read as absent:

- not finite (NaN, ±Infinity, as a number or as text): never usable;
- points (分值, 得分, 总分, the points in a level-1 cell) beyond ±POINTS_LIMIT;
- money (the funds block, 万元) beyond ±MONEY_LIMIT: 10^12 万元 is a hundred times
  the world's yearly output;
- a printed rate (执行率) beyond ±RATE_LIMIT as a fraction.

Money typed as text (`46.5万`, `50万元`, `"50"`) is read with the engine's own
quantity parser (perfxl.quantities), so the funds block and the rows agree.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from perfxl.findings import Finding, finding
from perfxl.model import CellRef, Quantity
from perfxl.quantities import parse_actual, parse_target
from perfxl.reader.labels import LONGEST_LABEL, MAX_LABEL_CHARS
from perfxl.rounding import to_decimal
from perfxl.text import normalize

POINTS_LIMIT = Decimal(10) ** 9
MONEY_LIMIT = Decimal(10) ** 12  # 万元
RATE_LIMIT = Decimal(10) ** 6
LIMITS = {"points": POINTS_LIMIT, "money": MONEY_LIMIT, "rate": RATE_LIMIT}
_WITHIN_EVERY_LIMIT = min(LIMITS.values())
_WAN = Decimal(10_000)
ONE = Decimal(1)  # the scale of a block in 万元 (Figures.money)
_MONEY_TARGET = parse_target("0万元")  # reads 46.5万 as 46.5 万元, as a row would

# CellRef is frozen, so one object can stand for a cell wherever it is named: a table's
# cells repeat across the county's workbooks (one template, one sheet name), and making a
# frozen dataclass costs several times a dictionary look-up. Bounded like the others.
_REFS: dict[tuple[str, int, int], CellRef] = {}
_REMEMBERED_REFS = 16_384  # about 5 MB when full


def cell_ref(sheet: str, row: int, col: int) -> CellRef:
    """CellRef(sheet, row, col) (1-based), the same object for the same cell."""
    key = (sheet, row, col)
    ref = _REFS.get(key)
    if ref is None:
        if len(_REFS) >= _REMEMBERED_REFS:
            _REFS.clear()
        ref = _REFS[key] = CellRef(sheet, row, col)
    return ref


def label(value: Any) -> str:
    """Cell text as compared with labels, cut at MAX_LABEL_CHARS before it is parsed."""
    if value is None or value == "":
        return ""
    return normalize(str(value)[:MAX_LABEL_CHARS])


def short_label(value: Any) -> str:
    """`label` of a text cell short enough to be a label (LONGEST_LABEL), else ""."""
    if value.__class__ is not str or not value or len(value) > LONGEST_LABEL:
        return ""
    return normalize(value)


def cell_text(value: Any) -> str | None:
    """Cell value as the text a target/actual parser expects (dates as 2022年12月)."""
    if value.__class__ is str:  # most cells: asked first
        return value.strip() or None
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        text = _FLOAT_TEXTS.get(value) if value else None
        if text is None:
            number = to_decimal(value)
            text = format(number.normalize(), "f") if number.is_finite() else str(value)
            _remember(_FLOAT_TEXTS, value, text)
        return text
    text = str(value).strip()
    return text or None


# A figure read as a Decimal or a text once per distinct float in a process: budgets,
# points and counts repeat across a county's tables, and to_decimal is pure. Zero is
# never remembered (0.0 and -0.0 are one key with two answers); NaN never matches a key.
_FLOAT_DECIMALS: dict[float, Decimal] = {}
_FLOAT_TEXTS: dict[float, str] = {}
# floats whose Decimal Figures.number may hand on whatever the kind of figure: finite
# and within the smallest of LIMITS (so `usable` would give it back as it is)
_USABLE: dict[float, Decimal] = {}
_REMEMBERED = 4096


def _remember(memo: dict, value: float, answer: Any) -> None:
    if value and value == value:  # neither zero nor NaN
        if len(memo) >= _REMEMBERED:
            memo.clear()
        memo[value] = answer


def _float_decimal(value: float) -> Decimal:
    number = _FLOAT_DECIMALS.get(value) if value else None
    if number is None:
        number = to_decimal(value)
        _remember(_FLOAT_DECIMALS, value, number)
    return number


def cell_number(value: Any) -> Decimal | None:
    """A numeric cell (or text such as '5分', '81.82%') as a Decimal; may be NaN or huge,
    which `Figures` catches."""
    if value.__class__ is float:  # most figures: asked first
        return _float_decimal(value)
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return to_decimal(value)
    if isinstance(value, Decimal):
        return value
    text = label(value).removesuffix("分").removesuffix("万元").replace(",", "")
    percent = text.endswith("%")
    try:
        number = Decimal(text.removesuffix("%"))
    except InvalidOperation:
        return None
    return number / 100 if percent and number.is_finite() else number


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 40 else text[:40] + "…"


class Figures:
    """Checks figures read from one table's cells and collects findings on them."""

    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.findings: list[Finding] = []

    def cell(self, row: int, col: int) -> CellRef:
        return cell_ref(self.sheet, row + 1, col + 1)

    def usable(self, number: Decimal | None, kind: str, what: str, row: int, col: int):
        """`number` when finite and within the kind's limit, else None and a finding."""
        if number is None:
            return None
        if number.is_finite() and abs(number) <= LIMITS[kind]:
            return number
        why = (
            "不是有限数"
            if not number.is_finite()
            else f"超出合理范围（绝对值不超过 {LIMITS[kind]:.0E}）"
        )
        detail = f"{what}“{_shown(number)}”{why}，未使用"
        self.findings.append(finding("PX006", detail, self.cell(row, col)))
        return None

    def number(self, value: Any, kind: str, what: str, row: int, col: int) -> Decimal | None:
        """A points or rate cell as a usable Decimal (see the module docstring)."""
        if value.__class__ is float:  # most figures: one look-up once met (see _USABLE)
            number = _USABLE.get(value)
            if number is None:
                number = _float_decimal(value)
                if not (number.is_finite() and abs(number) <= _WITHIN_EVERY_LIMIT):
                    return self.usable(number, kind, what, row, col)
                _remember(_USABLE, value, number)
            return number
        number = cell_number(value)
        if number is None and isinstance(value, str) and _non_finite_text(value):
            number = Decimal("NaN")
        return self.usable(number, kind, what, row, col)

    def text(self, value: Any, what: str, row: int, col: int) -> str | None:
        """A target or actual as text for the parsers; NaN or ±Infinity (a number, or
        the words NaN, Infinity, inf) is a PX006 finding and read as blank."""
        if value.__class__ is str:  # most cells: cell_text's answer, asked first
            spelled = _SPELLED.get(value) if len(value) <= 20 else False
            if spelled is None:
                spelled = _non_finite_text(value)
            if not spelled:
                return value.strip() or None
        if isinstance(value, float) and not math.isfinite(value):
            return self.usable(Decimal("NaN"), "points", what, row, col)
        if isinstance(value, str) and len(value) <= 20 and _non_finite_text(value):
            return self.usable(Decimal("NaN"), "points", what, row, col)
        return cell_text(value)

    def money(
        self, value: Any, what: str, row: int, col: int, scale: Decimal = ONE
    ) -> tuple[Decimal | None, bool]:
        """A funds-block amount in 万元, and whether the cell held something unreadable.

        Numbers are in the block's unit (× `scale` gives 万元); text goes through the
        quantity parser: `46.5万` and `50万元` are 46.5 and 50 万元, `465000元` is 46.5
        万元, `"50"` is 50 in the block's unit.
        """
        if value.__class__ is float and scale is ONE:  # most amounts: one look-up once met
            number = _USABLE.get(value)  # finite, within every limit; × 1 changes nothing
            if number is None:
                number = _float_decimal(value)
                if number.is_finite() and abs(number) <= _WITHIN_EVERY_LIMIT:
                    _remember(_USABLE, value, number)
                    return number, False
            else:
                return number, False
        if value is None or value == "" or isinstance(value, bool):
            return None, False
        if isinstance(value, int | float | Decimal):
            number = cell_number(value)
            if number is not None and number.is_finite():
                number = number * scale
            return self.usable(number, "money", what, row, col), False
        if isinstance(value, dt.date):
            return None, self._unreadable(value, what, row, col)
        text = str(value).strip()
        if not text:
            return None, False
        if _non_finite_text(text):
            return self.usable(Decimal("NaN"), "money", what, row, col), False
        read = parse_actual(text, _MONEY_TARGET)
        if read is None:  # 无, -, /: nothing typed in substance
            return None, False
        amount = _in_wan(read, scale)
        if amount is None:
            return None, self._unreadable(value, what, row, col)
        return self.usable(amount, "money", what, row, col), False

    def note_fallback(self, rate: Decimal, cell: CellRef) -> None:
        """The amounts cannot give 执行率: the typed one is scored instead (PX008)."""
        shown = format((rate * 100).quantize(Decimal("0.01")).normalize(), "f")
        detail = f"预算执行率按填报的 {shown}% 计分，请核实并改正金额"
        self.findings.append(finding("PX008", detail, cell))

    def _unreadable(self, value: Any, what: str, row: int, col: int) -> bool:
        detail = f"{what}“{_shown(value)}”无法识别为金额（万元）"
        self.findings.append(finding("PX007", detail, self.cell(row, col)))
        return True


def _in_wan(read: object, scale: Decimal) -> Decimal | None:
    if not isinstance(read, Quantity):
        return None
    unit = read.unit
    if unit is None:
        return read.value * scale
    if unit.dimension != "money":
        return None
    return read.value * unit.factor / _WAN


_NON_FINITE = frozenset({"nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity"})


def _non_finite_text(text: str) -> bool:
    """Whether the text spells NaN or ±Infinity; remembered for the short texts that
    targets and actuals mostly are (each is asked for every such cell)."""
    if len(text) > 20:
        return _spells_non_finite(text[:20])
    answer = _SPELLED.get(text)
    if answer is None:
        if len(_SPELLED) >= _REMEMBERED:
            _SPELLED.clear()
        answer = _SPELLED[text] = _spells_non_finite(text)
    return answer


def _spells_non_finite(text: str) -> bool:
    return normalize(text).lower() in _NON_FINITE


_SPELLED: dict[str, bool] = {}
