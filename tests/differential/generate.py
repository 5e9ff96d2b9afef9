"""Random but valid tables for the differential test of the plain templates.

A Book is what a clerk could type into one template (profile, form, funds block, up to
50 indicator rows); `books(profile, seed, rows)` draws as many as hold `rows` rows from
random.Random(seed), so a failure is reproduced by its seed alone. Rows cover every
path the formulas model: the directions (≥, ≤, =, the word forms, a bare figure), the
units of the drop-down typed as numbers, as text with their unit or another spelling of
it (16000元 on a 万元 row, 12个月 on a 月 row, 0.97 on a % row), qualitative targets
graded by the drop-down or restated, rows that do not apply, rubric rows scored by a
评分, rows left blank or half filled, rows without 分值, and the funds block (some of
its amounts left empty, 0, or spent above budget).

Entries that the template deliberately leaves to perfxl — free qualitative wording, a
grade word against a number target, a bare month on a time row — are drawn only into
books marked `left`: there each such row carries the reason in Row.left, the template
must mark it red and leave it uncomputed, and the book's totals are not compared
(the engine scores what the template does not).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from perfxl.profiles import Profile
from perfxl.template import layout as L

Cell = str | int | float | None


@dataclass
class Row:
    level1: Cell = None
    level2: Cell = None
    name: Cell = None
    nature: Cell = None
    target: Cell = None
    unit: Cell = None
    actual: Cell = None
    weight: Cell = None
    entered: Cell = None
    left: str | None = None  # why the template leaves this row to perfxl (marked red)

    def cells(self) -> dict[str, Cell]:
        return {k: getattr(self, k) for k in L.INPUT_COLUMNS if k != "reason"}


@dataclass
class Book:
    key: str
    profile: str
    form: str
    funds: dict[str, Cell] = field(default_factory=dict)  # FUNDS_INPUTS and "weight"
    rows: list[Row] = field(default_factory=list)
    left: bool = False  # holds rows left to perfxl: totals are not compared
    year: int = 2024


NAMES: dict[str, tuple[str, ...]] = {
    "数量": ("培训人数", "新建道路长度", "补助户数", "检测样本数", "宣传次数", "覆盖村数"),
    "质量": ("验收合格率", "培训合格率", "投诉率", "事故发生率", "违规问题整改率", "达标率"),
    "时效": ("完成时限", "资金拨付及时率", "办结时长", "项目完工时间", "服务期限"),
    "成本": ("人均培训成本", "工程总成本", "设备采购成本", "单位运营成本"),
    "效益": ("带动就业人数", "群众收入增长", "生态环境改善", "损失挽回率", "长效机制"),
    "满意": ("受益群众满意度", "服务对象满意度", "用人单位评价"),
    "其他": ("立项依据充分性", "绩效目标合理性", "资金使用合规性", "制度执行有效性"),
}
QUAL_TARGETS = (
    "有效提升", "持续", "逐步提高", "明显改善", "有效保障", "较满意", "满意", "部分改善",
    "长期", "效果显著", "减少不滿意", "群众满意",
)  # fmt: skip
# free wording the engine classifies and the formulas do not follow (left to perfxl)
FREE_WORDING = ("基本达成", "较好完成", "效果明显", "已完成", "基本满意", "未完成", "达标")
NOT_APPLICABLE = (*L.NOT_APPLICABLE, "本项目无此类指标", "本单位不涉及", "無此類指標")
NATURE_WORDS = {
    "≥": ("不低于", "不少于", "大于等于", "达到"),
    "≤": ("不高于", "不超过", "小于等于"),
}
EQUAL_FORMS = ("=", "＝", "等于")
UNITS = ("个", "人", "%", "万元", "元", "天", "月", "个月", "次", "人次", "户", "家", "项", "年")
WEIGHTS = (0.5, 1, 2, 2.5, 3, 4, 5, 6, 8, 10, 12.5, 15, 20)


def _money(rng: random.Random, low: int, high: int, digits: int = 2) -> Decimal:
    return Decimal(rng.randint(low * 10**digits, high * 10**digits)) / 10**digits


def number(value: Decimal) -> int | float:
    """A Decimal as the cell value a clerk's typing gives."""
    return int(value) if value == value.to_integral_value() else float(value)


def plain(value: Decimal) -> str:
    """A Decimal as typed text: 180, 1.5, 0.97 (never 1E+1)."""
    text = format(value.normalize(), "f")
    return text


class Generator:
    def __init__(self, profile: Profile, seed: int) -> None:
        self.p = profile
        self.rng = random.Random(f"{profile.name}:{seed}")
        self.seed = seed

    # --- one row ------------------------------------------------------------------

    def row(self, form: str, left: bool) -> Row:
        r = self.rng
        level1 = r.choice(list(L.LEVELS[form]))
        level2 = r.choice(L.LEVELS[form][level1])
        kind = r.choices(
            ("quant", "qual", "na", "rubric", "half", "left"),
            weights=(60, 18, 6, 6, 6, 14 if left else 0),
        )[0]
        row = Row(level1, level2, self._name(level2), weight=r.choice(WEIGHTS))
        roll = r.random()
        if roll < 0.03:
            row.weight = None  # a figure without 分值: unscored (PX013)
        elif roll < 0.04:
            row.weight = 0
        if kind == "quant":
            self._quantitative(row)
        elif kind == "qual":
            self._qualitative(row)
        elif kind == "na":
            self._not_applicable(row)
        elif kind == "rubric":
            self._rubric(row)
        elif kind == "half":
            self._half(row)
        else:
            self._left(row)
        return row

    def _name(self, level2: str) -> str:
        for key, names in NAMES.items():
            if key in level2:
                return self.rng.choice(names)
        return self.rng.choice(NAMES["效益"] + NAMES["其他"])

    def _nature(self) -> str | None:
        r = self.rng
        sign = r.choices(("≥", "≤", "=", ""), weights=(45, 25, 15, 15))[0]
        if sign == "":
            return None
        if sign == "=":
            return r.choice(EQUAL_FORMS)
        if r.random() < 0.15:
            return r.choice(NATURE_WORDS[sign])
        return sign

    def _target(self, unit: str) -> Decimal:
        r = self.rng
        if unit == "%":
            return Decimal(str(r.choice((60, 80, 85, 90, 95, 98, 100, 100, 5, 3, 99.5, 1, 0.5))))
        if unit in ("月", "个月"):
            return Decimal(r.randint(1, 12))
        if unit == "年":
            return Decimal(r.randint(1, 5))
        if unit == "天":
            return Decimal(r.choice((5, 7, 10, 15, 20, 30, 60, 90, 180, 365)))
        if unit == "万元":
            return _money(r, 1, 500, r.choice((0, 1, 2)))
        if unit == "元":
            return Decimal(r.randint(1, 200000))
        if r.random() < 0.05:
            return Decimal(0)
        return Decimal(r.choice((1, 2, 3, 5, 10, 12, 20, 50, 100, 200, 500, 1000, 3000)))

    def _quantitative(self, row: Row) -> None:
        r = self.rng
        unit = r.choice(UNITS)
        nature = self._nature()
        target = self._target(unit)
        if unit in ("月",) and nature is None and "时效" in str(row.level2):
            nature = "≤"  # a bare month on a time row is a deadline: only in left books
        row.nature, row.target, row.unit = nature, number(target), unit
        ratio = r.choice(
            (Decimal(1), Decimal(1), Decimal(0), *(Decimal(r.randint(30, 150)) / 100,) * 5)
        )
        digits = 0 if unit in ("个", "人", "次", "人次", "户", "家", "项", "月") else 2
        actual = (target * ratio).quantize(Decimal(1).scaleb(-digits))
        if unit in ("万元", "元", "天") and r.random() < 0.15:
            # a ratio on a rounding edge: 24.69 / 200 = 0.12345 (half up to 0.1235)
            target = Decimal(r.choice((200, 400, 2000, 80)))
            row.target = number(target)
            actual = Decimal(r.randrange(1, int(target) * 100, 2)) / 100
        if target == 0:
            actual = Decimal(r.choice((0, 0, 1, 5)))
        row.actual = self._typed(actual, unit, target)
        if r.random() < 0.05:
            row.entered = number(Decimal(r.randint(0, 10)))  # recomputed (or kept)

    def _typed(self, actual: Decimal, unit: str, target: Decimal) -> Cell:
        """The actual as one of the ways a clerk types it, all read the same."""
        r = self.rng
        ways = ("number", "text", "unit", "space", "other", "wide", "over")
        way = r.choices(ways, (45, 10, 22, 5, 12, 3, 3))[0]
        if way == "wide":  # a Chinese keyboard's full-width digits: １８０人
            wide = plain(actual).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
            return f"{wide}{unit}"
        if way == "over":  # 180余人: a little over, read as the figure
            return f"{plain(actual)}余{unit}" if unit not in ("%", "天") else plain(actual)
        if way == "number":
            if unit == "%" and target > 1 and actual <= 1 and r.random() < 0.5:
                return number(actual)  # 0.97 or 1 against 95%: read as it stands
            if unit == "%" and target > 1 and r.random() < 0.3:
                return number(actual / 100)  # 97% typed as the fraction 0.97
            return number(actual)
        if way == "text":
            return plain(actual)
        if way == "unit":
            return f"{plain(actual)}{unit}"
        if way == "space":
            return f"{plain(actual)} {unit}"
        other = {
            "万元": (f"{plain(actual * 10000)}元", f"{plain(actual)}万"),
            "元": (f"{plain(actual / 10000)}万元",),
            "月": (f"{plain(actual)}个月",),
            "个月": (f"{plain(actual)}月",),
            "%": (f"{plain(actual)}％", f"{plain(actual * 10)}‰"),
            "个": (f"{plain(actual)}家", f"{plain(actual)}個"),
            "天": (f"{plain(actual)}日",),
        }.get(unit)
        if other is None:
            return f"{plain(actual)}{unit}"
        return r.choice(other)

    def _qualitative(self, row: Row) -> None:
        r = self.rng
        row.nature = r.choice(("定性", "定性", "定性", None))
        row.target = r.choice(QUAL_TARGETS)
        way = r.choice(("grade", "grade", "restated", "restated_space"))
        if way == "grade":
            row.actual = r.choice(("达成", "部分达成", "未达成"))
        elif way == "restated":
            row.actual = row.target
        else:
            text = str(row.target)
            row.actual = f"{text[:1]} {text[1:]}" if len(text) > 1 else text
        if r.random() < 0.4 and isinstance(row.weight, int | float):
            weight = Decimal(str(row.weight))
            if r.random() < 0.5:  # on a band's edge: 0.8 × 分值, 0.6 × 分值 …
                edges = [b.lower for b in self.p.bands] + [b.upper for b in self.p.bands]
                row.entered = number(weight * r.choice(edges))
            else:
                share = Decimal(r.randint(0, 100)) / 100
                row.entered = number((weight * share).quantize(Decimal("0.1")))

    def _not_applicable(self, row: Row) -> None:
        r = self.rng
        way = r.choice(("actual", "target", "both", "name"))
        if way == "actual":
            row.actual = r.choice(NOT_APPLICABLE)
        elif way == "target":
            row.target = r.choice(NOT_APPLICABLE)
        elif way == "both":
            row.target = r.choice(NOT_APPLICABLE)
            row.actual = r.choice(NOT_APPLICABLE)
        else:
            row.name = "无此类指标"
            row.target, row.actual = None, None

    def _rubric(self, row: Row) -> None:
        r = self.rng
        row.name = r.choice(NAMES["其他"])
        if r.random() < 0.3:
            row.target = r.choice(("—", "-", "无"))
            row.actual = r.choice(("制度健全，执行到位", "程序规范", "已归档"))
        if r.random() < 0.8 and isinstance(row.weight, int | float):
            weight = Decimal(str(row.weight))
            row.entered = number(
                (weight * Decimal(r.randint(0, 100)) / 100).quantize(Decimal("0.01"))
            )

    def _half(self, row: Row) -> None:
        """Target without actual, actual without target, a 不适用 against a figure."""
        r = self.rng
        unit = r.choice(UNITS[:6])
        way = r.choice(("no_actual", "no_target", "na_actual", "bad_text"))
        if way != "no_target":
            row.nature, row.target, row.unit = "≥", number(self._target(unit)), unit
        if way == "no_target":
            row.actual = r.choice(("100%", "12个", 50))
        elif way == "na_actual":
            row.actual = r.choice(("无", "不适用", "/"))
        elif way == "bad_text":
            row.actual = r.choice(("1.2.3", "近200人", "约", "2024年", "13月", "5家"))

    def _left(self, row: Row) -> None:
        r = self.rng
        way = r.choice(("wording", "grade_vs_number", "deadline"))
        if way == "wording":
            row.nature, row.target = "定性", r.choice(QUAL_TARGETS)
            row.actual = r.choice(FREE_WORDING)
            if row.actual == row.target:
                row.actual = "基本达成"
            row.left = "free wording against a qualitative target"
        elif way == "grade_vs_number":
            row.nature, row.target, row.unit = "≥", 90, "%"
            row.actual = r.choice(("达成", "已完成", "部分达成"))
            row.left = "a word against a number target"
        else:
            row.level1, row.level2 = "产出指标", "时效指标"
            row.nature, row.target, row.unit = None, r.randint(6, 12), "月"
            row.actual = r.randint(5, 12)
            row.left = "a bare month on a time row is a deadline (target marked)"

    # --- a book -------------------------------------------------------------------

    def funds(self, form: str) -> dict[str, Cell]:
        r = self.rng
        budget = _money(r, 10, 2000)
        initial = budget if r.random() < 0.5 else _money(r, 10, 2000)
        received = (budget * Decimal(r.randint(70, 100)) / 100).quantize(Decimal("0.01"))
        spent = (received * Decimal(r.randint(30, 110)) / 100).quantize(Decimal("0.01"))
        funds: dict[str, Cell] = {
            "initial_budget": number(initial),
            "budget": number(budget),
            "received": number(received),
            "spent": number(spent),
        }
        for key in list(funds):
            roll = r.random()
            if roll < 0.12:
                funds[key] = None
            elif roll < 0.15 and key != "spent":
                funds[key] = 0
        if form == "self":
            funds["weight"] = r.choice((None, 10, 10, 20, 5, "default"))
        return funds

    def book(self, key: str, form: str, size: int, left: bool) -> Book:
        book = Book(key, self.p.name, form, self.funds(form), left=left)
        if form == "eval":
            book.rows += self._common_rows()
        while len(book.rows) < size:
            if self.rng.random() < 0.04:
                book.rows.append(Row())  # a row not filled in yet
                continue
            row = self.row(form, left)
            previous = book.rows[-1] if book.rows else None
            if previous and previous.level1 == row.level1 and self.rng.random() < 0.3:
                row.level1 = None  # as merged cells read: the level above holds
                if previous.level2 == row.level2:
                    row.level2 = None
            book.rows.append(row)
        if form == "self" and self.rng.random() < 0.05:
            name = self.rng.choice(self.p.execution.row_names)
            book.rows[-1] = Row("产出指标", "时效指标", name, "≥", 90, "%", "95%", 10)
        return book

    def _common_rows(self) -> list[Row]:
        r = self.rng
        rows = []
        for common in L.COMMON_ROWS["eval"]:
            row = Row(common.level1, common.level2, common.name, weight=common.weight)
            if common.target is not None:
                row.nature, row.target, row.unit = common.target
                row.actual = r.choice((None, "96.5%", 0.9, 1.05, "100%", 80))
            elif r.random() < 0.85:
                row.entered = number(Decimal(r.randint(0, common.weight * 10)) / 10)
            book_row = row
            rows.append(book_row)
        return rows


def books(profile: Profile, seed: int, rows: int, per_book: int = L.ROW_COUNT) -> list[Book]:
    """Books holding about `rows` rows for one profile, both forms, every 8th one a
    left book (rows left to perfxl, totals not compared)."""
    gen = Generator(profile, seed)
    found: list[Book] = []
    count = 0
    while count < rows:
        n = len(found)
        form = "eval" if n % 3 == 2 else "self"
        size = min(per_book, max(rows - count, 1) + (len(L.COMMON_ROWS[form])))
        size = max(size, len(L.COMMON_ROWS[form]) + 1)
        book = gen.book(f"{profile.name}-{seed}-{n}", form, size, left=n % 8 == 7)
        found.append(book)
        count += len(book.rows)
    return found
