"""Type a project's figures into a template, as a clerk would (tests, screenshots, demos).

A ProjectSpec holds targets as printed text (`小于等于20万元`); the template wants them
split into 指标性质 | 指标值 | 计量单位, and a qualitative actual as one of the three
grades. The split uses perfxl.quantities, so the text the reader composes back from the
three cells means what the printed one did. Only input cells are written; formulas are
left to the spreadsheet (openpyxl keeps no cached results, so nothing stale remains).
"""

from __future__ import annotations

from decimal import Decimal
from os import PathLike
from pathlib import Path

import openpyxl
from openpyxl.worksheet.worksheet import Worksheet

from perfxl.model import Direction, Qualitative, Quantity, Target
from perfxl.quantities import parse_actual, parse_target
from perfxl.samples.spec import FundsLine, ProjectSpec, RowSpec
from perfxl.template import layout as L
from perfxl.units import DATE, MONTH_OF_YEAR, compatible

SYMBOLS = dict(
    zip((Direction.POSITIVE, Direction.REVERSE, Direction.EQUAL), L.NATURES, strict=False)
)
Cell = str | int | float | None


def fill_template(
    path_in: str | PathLike[str], path_out: str | PathLike[str], spec: ProjectSpec
) -> Path:
    """Copy the template at `path_in` to `path_out` with `spec` typed into its inputs.

    A RowSpec whose texts are all empty and whose weight is None leaves its row blank,
    which is how a test puts a not-yet-filled row between filled ones.
    """
    book = openpyxl.load_workbook(path_in)
    form = str(book[L.META_SHEET]["B4"].value)
    ws = book[L.FORM_SHEETS[form]]
    ws[f"{L.LAST_COLUMN}{L.YEAR_ROW}"] = spec.title_year
    ws[f"B{L.PROJECT_ROW}"] = spec.project
    ws[f"B{L.DEPARTMENT_ROW}"] = spec.department
    ws[f"H{L.DEPARTMENT_ROW}"] = spec.unit
    ws[f"B{L.GOAL_ROW}"] = spec.goal
    ws[f"G{L.GOAL_ROW}"] = spec.achieved
    goal = _height(spec.goal, GOAL_WIDTH, floor=4)
    ws.row_dimensions[L.GOAL_ROW].height = max(goal, _height(spec.achieved, ACHIEVED_WIDTH, 4))
    _fill_funds(ws, spec, form)
    _fill_rows(ws, spec.rows, form)
    path = Path(path_out)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _number(value: Decimal | int | float | None) -> int | float | None:
    if value is None:
        return None
    dec = Decimal(str(value))
    return int(dec) if dec == dec.to_integral_value() else float(dec)


def _fill_funds(ws: Worksheet, spec: ProjectSpec, form: str) -> None:
    f = spec.funds
    total: FundsLine = (f.initial_budget, f.budget, f.received, f.spent)
    lines = (total, f.appropriation, f.carryover, f.other)
    for row, line in zip((L.FUNDS_ROW, *L.FUNDS_SOURCE_ROWS), lines, strict=True):
        for key, value in zip(L.FUNDS_INPUTS, line or (None,) * 4, strict=True):
            ws[f"{L.FUNDS_COLUMNS[key][0]}{row}"] = _number(value)
    if form == "self" and f.weight is not None:
        ws[f"{L.FUNDS_COLUMNS['weight'][0]}{L.FUNDS_ROW}"] = _number(f.weight)


def _fill_rows(ws: Worksheet, rows: tuple[RowSpec, ...], form: str) -> None:
    common = {row.name: L.FIRST_ROW + n for n, row in enumerate(L.COMMON_ROWS[form])}
    free = iter(range(L.FIRST_ROW + len(common), L.LAST_ROW + 1))
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):  # the spec replaces prefilled content
        for key in L.INPUT_COLUMNS:
            ws[L.ref(key, r)] = None
    for spec in rows:
        r = common.pop(spec.name) if spec.name in common else next(free, None)
        if r is None:
            raise ValueError(f"the template has room for {L.ROW_COUNT} indicators only")
        for key, value in typed_row(spec).items():
            cell = ws[L.ref(key, r)]
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # the = sign of 指标性质 is text, not a formula
        texts = ((spec.name, L.WIDTHS["name"]), (spec.reason, L.WIDTHS["reason"]))
        ws.row_dimensions[r].height = max(_height(text, width) for text, width in texts)


LINE_HEIGHT = 15.0
GOAL_WIDTH = sum(L.WIDTHS[k] for k in ("level2", "name", "nature", "target", "unit"))
ACHIEVED_WIDTH = sum(L.WIDTHS[k] for k in L.COLUMNS) - GOAL_WIDTH - L.WIDTHS["level1"]


def _height(text: str, width: int, floor: int = 1) -> float:
    """A row height that shows wrapped CJK text (one CJK character ≈ 2 width units);
    openpyxl cannot autofit."""
    per_line = max(1, width // 2 - 1)
    lines = max(floor, -(-len(text or "") // per_line))
    return max(20.0, lines * LINE_HEIGHT)


def typed_row(spec: RowSpec) -> dict[str, Cell]:
    """The input cells of one row as a clerk types them."""
    if not any((spec.level1, spec.level2, spec.name, spec.target, spec.actual)) and (
        spec.weight is None
    ):
        return {}
    nature, value, unit, target = split_target(spec.target)
    actual = typed_actual(spec.actual, target)
    qualitative = target is not None and target.direction == Direction.QUALITATIVE
    manual = not spec.target.strip() and not spec.actual.strip()
    return {
        "level1": spec.level1 or None,
        "level2": spec.level2 or None,
        "name": spec.name or None,
        "nature": nature,
        "target": value,
        "unit": unit,
        "actual": actual,
        "weight": _number(spec.weight),
        "entered": _number(spec.score) if manual or qualitative else None,
        "reason": spec.reason or None,
    }


def split_target(text: str) -> tuple[Cell, Cell, Cell, Target | None]:
    """`小于等于20万元` → ("≤", 20, "万元", parsed), `106个` → (None, 106, "个", parsed):
    a bare figure keeps 指标性质 empty; qualitative text goes whole into 指标值."""
    if not text.strip():
        return None, None, None, None
    parsed = parse_target(text)
    if parsed is None:  # 无此类指标: typed as it is, the row does not count
        return None, text, None, None
    if not isinstance(parsed, Target):
        raise ValueError(f"指标值“{text}”无法识别：{parsed.message}")
    if parsed.direction == Direction.QUALITATIVE:
        return L.QUALITATIVE, text, None, parsed
    quantity = parsed.quantity
    assert quantity is not None
    unit = quantity.unit
    if parsed.deadline or (unit is not None and unit.dimension in (DATE, MONTH_OF_YEAR)):
        raise ValueError(f"指标值“{text}”是日期，模板的指标值只接受数量")
    # a figure printed without an operator stays without one: the profile reads it
    nature = None if parsed.bare else SYMBOLS[parsed.direction]
    return nature, _number(quantity.value), unit and unit.text, parsed


def typed_actual(text: str, target: Target | None) -> Cell:
    """A number in the target's unit, a grade for a qualitative target, else the text."""
    if not text.strip():
        return None
    parsed = parse_actual(text, target)
    if isinstance(parsed, Qualitative):
        return parsed.level.value if parsed.level is not None else text
    if not isinstance(parsed, Quantity):
        return text
    quantity = target.quantity if target is not None else None
    if parsed.unit is None or quantity is None or quantity.unit is None:
        return _number(parsed.value)
    if parsed.unit.factor == quantity.unit.factor:
        return _number(parsed.value)
    if not compatible(parsed.unit.dimension, quantity.unit.dimension):
        raise ValueError(f"实际完成值“{text}”的单位与指标值不一致")
    return _number(parsed.value * parsed.unit.factor / quantity.unit.factor)
