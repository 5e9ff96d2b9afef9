"""Monitoring tables to type into the monitor templates (tests/test_monitor_template*.py).

A MonBook is one project's 监控表: month, funds and indicator rows as a clerk types them
into the template's input cells. `fill` types it into a template with openpyxl;
`engine_table` gives the MonitoringTable a reader finds in it (the target composed from
指标性质 | 年度指标值 | 计量单位 as the readers compose it: `≥` `200` `人` → `≥200人`), so
perfxl.monitoring.engine can judge the same inputs. `random_books` draws seeded books
whose figures sit on and around every light boundary (v = 0.6 and 0.8 exactly, progress
0.6, 0.8 and 1.2 exactly) for the differential check.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import openpyxl

from perfxl.monitoring.model import MonitoringFunds, MonitoringRow, MonitoringTable
from perfxl.template import monitor_layout as M

Value = float | int | str | None


@dataclass(frozen=True)
class MonRow:
    level1: str | None
    level2: str | None
    name: str
    nature: str
    target: Value
    unit: str | None
    actual: Value = None
    predicted: Value = None
    cause: str | None = None
    likelihood: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class MonBook:
    key: str
    month: int | None
    funds: dict[str, Value] = field(default_factory=dict)  # the 年度资金总额 row
    rows: tuple[MonRow, ...] = ()
    year: int = 2024
    sources: dict[str, Value] = field(default_factory=dict)  # the 其中：财政拨款 row


def fill(book: MonBook, template: Path, out: Path) -> Path:
    wb = openpyxl.load_workbook(template)
    ws = wb[M.SHEET]
    ws[M.YEAR_CELL] = book.year
    ws[M.MONTH_CELL] = book.month
    ws[f"B{M.PROJECT_ROW}"] = f"监控测试 {book.key}"
    ws[f"B{M.DEPARTMENT_ROW}"] = "县财政局"
    ws[f"H{M.DEPARTMENT_ROW}"] = "绩效股"
    for key in M.FUNDS_INPUTS:
        ws[M.funds_ref(key)] = book.funds.get(key)
        ws[M.funds_ref(key, M.FUNDS_SOURCE_ROWS[0])] = book.sources.get(key)
    for n in range(M.ROW_COUNT):
        row = book.rows[n] if n < len(book.rows) else None
        r = M.FIRST_ROW + n
        for key in M.INPUT_COLUMNS:
            value = getattr(row, key, None) if row is not None else None
            if row is None and key in ("level1", "level2"):
                continue  # the template's own skeleton stays
            cell = ws[M.ref(key, r)]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def figure(value: Value) -> str | None:
    """A cell's value as the reader gives it: 50.0 → "50", 36.5 → "36.5"."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def target_text(row: MonRow) -> str | None:
    if row.nature == M.QUALITATIVE:
        return figure(row.target)
    number = figure(row.target)
    return None if number is None else f"{row.nature}{number}{row.unit or ''}"


def engine_table(book: MonBook) -> MonitoringTable:
    """The table as a reader finds it in the filled template (level 1/2 carried down)."""
    rows, l1, l2 = [], "", ""
    for row in book.rows:
        if row.level1:
            l1, l2 = row.level1, ""
        if row.level2:
            l2 = row.level2
        rows.append(
            MonitoringRow(
                level1=l1,
                level2=l2,
                name=row.name,
                target_text=target_text(row),
                actual_text=figure(row.actual),
                predicted_text=figure(row.predicted),
                likelihood=row.likelihood,
            )
        )
    funds = MonitoringFunds(
        **{k: _dec(book.funds.get(k)) for k in ("initial_budget", "budget", "spent", "predicted")}
    )
    return MonitoringTable(
        M.SHEET, project=f"监控测试 {book.key}", year=book.year, month=book.month,
        funds=funds, rows=tuple(rows),
    )  # fmt: skip


def _dec(value: Value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


# --- hand-worked books ----------------------------------------------------------------

# 年初预算 220, 1-6月执行 87.57: 执行率 87.57/220 = 0.39804… → 39.80%, 序时进度 6/12 = 50%,
# v = 0.3980/0.5 = 0.796 < 0.8 → 黄 (the golden case)
GOLDEN = MonBook(
    "golden",
    6,
    {"initial_budget": 220, "spent": 87.57, "predicted": 210},
    (
        # ≥200人 by June: 50 / (200 × 6/12) = 0.5 < 0.6 → 红
        MonRow("产出指标", "数量指标", "培训人数", "≥", 200, "人", 50, 180, "人员保障", "有可能"),
        # a percentage is not pro-rated: 96/95 = 1.0105 → 绿
        MonRow(None, "质量指标", "培训合格率", "≥", 95, "%", 96, None, None, "确定能"),
        # ≤ 2000元 ceiling, 2100 spent per head → beyond it → 红
        MonRow(None, "成本指标", "人均培训成本", "≤", 2000, "元", 2100),
        # 定性, 部分达成 → 黄
        MonRow("效益指标", "社会效益指标", "就业能力提升", "定性", "有效提升", None, "部分达成"),
        # 80 / (100 × 0.5) = 1.6 ≥ 1.2 → 蓝
        MonRow(None, None, "帮扶户数", "≥", 100, "户", 80),
        # 满意度 typed as 0.93 against 90%: 93/90 = 1.0333 → 绿, but 完全不可能 → 红
        MonRow("满意度指标", "服务对象满意度指标", "学员满意度", "≥", 90, "%", 0.93, None, None, "完全不可能"),
    ),
    sources={"initial_budget": 200, "spent": 80},  # 80/200 = 40%
)  # fmt: skip

# Exact boundaries, worked by hand (month 2: 序时进度 2/12):
# execution 10/100 = 0.1, v = 0.1 ÷ (2/12) = 0.6 exactly → 黄 (not below 0.6);
# rows, each ≥30个 pro-rated to 30 × 2/12 = 5: 3/5 = 0.6 黄, 4/5 = 0.8 绿, 6/5 = 1.2 蓝,
# 2.95/5 = 0.59 红; a 100% level 60 → 0.6 黄, 120 → 1.2 蓝; ≤ 50 with 50 → within → 绿
BOUNDARIES = MonBook(
    "boundaries",
    2,
    {"budget": 100, "spent": 10},
    (
        MonRow("产出指标", "数量指标", "甲", "≥", 30, "个", 3),
        MonRow(None, None, "乙", "≥", 30, "个", 4),
        MonRow(None, None, "丙", "≥", 30, "个", 6),
        MonRow(None, None, "丁", "≥", 30, "个", 2.95),
        MonRow(None, "质量指标", "戊", "≥", 100, "%", 60),
        MonRow(None, None, "己", "≥", 100, "%", 120),
        MonRow(None, "成本指标", "庚", "≤", 50, "万元", 50),
        # predicted 29 short of 30: at least 黄 although 6/5 = 1.2 would be 蓝
        MonRow(None, "数量指标", "辛", "≥", 30, "个", 6, 29),
        # typed as text with its unit: 4个 is 4 → 4/5 = 0.8 → 绿
        MonRow(None, None, "壬", "≥", 30, "个", "4个"),
    ),
)
BOUNDARY_LIGHTS = ["黄", "绿", "蓝", "红", "黄", "蓝", "绿", "黄", "绿"]

# v = 0.8 exactly: month 9, 60/100 = 0.6, 0.6 ÷ 0.75 = 0.8 → 绿; the blank month gives
# no 序时进度, so no execution light and no pro-rated progress — only levels and answers
EIGHT = MonBook("eight", 9, {"budget": 100, "spent": 60})
NO_MONTH = MonBook(
    "no-month",
    None,
    {"budget": 100, "spent": 60},
    (
        MonRow("产出指标", "数量指标", "甲", "≥", 30, "个", 3),
        MonRow(None, "质量指标", "乙", "≥", 90, "%", 45),  # 45/90 = 0.5 → 红
    ),
)

HAND = {b.key: b for b in (GOLDEN, BOUNDARIES, EIGHT, NO_MONTH)}


# --- random books ----------------------------------------------------------------------

L2_NAMES = {
    "数量指标": ("培训人数", "发放户数", "建设公里数", "采购台数", "覆盖村数"),
    "质量指标": ("验收合格率", "培训合格率", "设备完好率"),
    "成本指标": ("人均培训成本", "单位建设成本"),
    "社会效益指标": ("就业人数", "帮扶户数", "群众知晓率"),
    "服务对象满意度指标": ("学员满意度", "群众满意度"),
}
L1_OF = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "成本指标": "产出指标",
    "社会效益指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
FACTORS = (0.6, 0.8, 1.2, 0.5, 0.7, 1.0, 1.5, 0.59, 0.81, 1.19)


def _money(rng: random.Random, low: float, high: float) -> float:
    return round(rng.uniform(low, high), 2)


def _row(rng: random.Random, month: int | None) -> MonRow:
    l2 = rng.choice(list(L2_NAMES))
    name = rng.choice(L2_NAMES[l2])
    likelihood = rng.choice((None, None, "确定能", "有可能", "完全不可能"))
    shape = rng.random()
    if shape < 0.12:  # 定性
        actual = rng.choice(("达成", "部分达成", "未达成", None))
        predicted = rng.choice((None, "达成", "部分达成"))
        return MonRow(L1_OF[l2], l2, f"{name}情况", "定性", "有效提升", None, actual, predicted,
                      likelihood=likelihood)  # fmt: skip
    if shape < 0.3 or l2 == "成本指标":  # a ceiling
        target = rng.choice((50, 120, 2000, 4.5))
        actual = round(target * rng.choice((0.5, 1.0, 1.01, 1.2)), 2)
        predicted = rng.choice((None, target, round(target * 1.1, 2)))
        unit = rng.choice(("万元", "元", "天"))
        return MonRow(L1_OF[l2], l2, name, "≤", target, unit, actual, predicted,
                      likelihood=likelihood)  # fmt: skip
    nature = rng.choice(("≥", "≥", "≥", "等于"))
    if shape < 0.55:  # a percentage: a level, sometimes typed as a fraction
        target = rng.choice((90, 95, 100, 80))
        actual = round(target * rng.choice(FACTORS), 2)
        if actual <= 100 and rng.random() < 0.3:
            actual = round(actual / 100, 4)
        predicted = rng.choice((None, target, round(target * 0.9, 2)))
        return MonRow(L1_OF[l2], l2, name, nature, target, "%", actual, predicted,
                      likelihood=likelihood)  # fmt: skip
    # a count or amount: pro-rated, unless its name holds a level word (覆盖村数)
    target = rng.choice((60, 120, 240, 600, 35))
    share = (month or 12) / 12
    actual = round(target * share * rng.choice(FACTORS), 2)
    predicted = rng.choice((None, target, round(target * 0.95, 2), round(target * 1.1, 2)))
    unit = rng.choice(("人", "户", "个", "台", "公里"))
    return MonRow(L1_OF[l2], l2, name, nature, target, unit, actual, predicted,
                  likelihood=likelihood)  # fmt: skip


def _funds(rng: random.Random, month: int | None) -> dict[str, Value]:
    budget = _money(rng, 20, 2000)
    share = (month or 12) / 12
    spent = round(budget * share * rng.choice((0.6, 0.8, 0.3, 0.7, 0.95, 1.1)), 2)
    if rng.random() < 0.2 and month:
        budget, spent = 100, round(100 * share * rng.choice((0.6, 0.8)), 2)  # v on the line
    funds: dict[str, Value] = {"initial_budget": budget, "budget": budget, "spent": spent}
    pick = rng.random()
    if pick < 0.25:
        funds["budget"] = None  # 年初预算数 is used
    elif pick < 0.35:
        funds["budget"] = 0
    elif pick < 0.45:
        funds["initial_budget"] = _money(rng, 20, 2000)  # adjusted during the year
    if rng.random() < 0.5:
        funds["predicted"] = round(budget * rng.uniform(0.8, 1.05), 2)
    return funds


def _with_unit(rng: random.Random, row: MonRow) -> MonRow:
    """Sometimes the actual typed as text with the row's unit (180人, 96%), as clerks do."""
    if row.nature == "定性" or row.unit is None or not isinstance(row.actual, int | float):
        return row
    if rng.random() >= 0.25:
        return row
    return MonRow(**{**row.__dict__, "actual": f"{figure(row.actual)}{row.unit}"})


def random_books(seed: int, count: int, rows: int) -> list[MonBook]:
    rng = random.Random(seed)
    books = []
    for i in range(count):
        month = rng.choice((*range(1, 13), None)) if i else 7
        drawn = tuple(_with_unit(rng, _row(rng, month)) for _ in range(rows))
        books.append(MonBook(f"random-{seed}-{i}", month, _funds(rng, month), drawn))
    return books
