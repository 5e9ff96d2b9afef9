"""The rows under an indicator header: indicators, the 总分 row, the grade.

Published tables put more than indicators under the header, and each kind is told
apart here, never by position alone:

- The 总分 row may stand anywhere in its row (`其他需要说明事项 | 无 | 总分 | 100 | 96 |
  优`): a row with a total label in any cell is the total row, never an indicator;
  its printed total is the 得分 column's figure (or the figures right of the label,
  the 分值 total 100 first), its grade the 评价等级 cell or a grade word (优 良 中 差)
  right of it.
- Placeholder rows (`指标2:` alone, `……`, an empty 生态效益指标 row) have no 分值,
  得分, target or actual: they are not indicators.
- Breakdown rows are detail of the indicator above: a `其中…` row without 分值, and
  the rows without 分值 under a heading indicator that carries 分值 but no target or
  actual (★补助各类粮食作物种植面积 10 | 红薯种植面积 5.5亩 / 5.5亩 …). A row that
  merely lacks its 分值 under an ordinary indicator stays a row (PX013 names it).

Every figure goes through perfxl.reader.cells.Figures: a 1e308 or a NaN is a
finding on its cell, not a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from perfxl.model import CellRef, Indicator
from perfxl.reader.cells import Figures, cell_number, cell_ref, cell_text, label, short_label
from perfxl.reader.grid import Grid
from perfxl.reader.labels import (
    GRADE_LABELS,
    GRADE_WORDS,
    HEADER_FIELDS,
    LONGEST_LABEL,
    SCAN_COLUMNS,
    TOTAL_LABELS,
    UNASKED,
    asked,
    looks_at,
    matcher,
    may_hold_long,
    sheet_labels,
    split_label_value,
    split_points,
)

_TOTAL = {"total": TOTAL_LABELS}
_GRADE = {"grade": GRADE_LABELS}
_header_label = matcher(HEADER_FIELDS)
_grade_label = matcher(_GRADE)
_total_label = matcher(_TOTAL)
looks_at((HEADER_FIELDS, _TOTAL, _GRADE))  # what _Sketch looks for
_BREAKDOWN = ("其中", "其中:", "其中：")
_LONGEST_PAIR = 300  # 项目名称：… with its value in one cell


@dataclass
class Body:
    """What the rows under a header gave; `end` is the first row not part of the table
    (the next 项目名称 row, or the row after the last indicator, 总分 or 评价等级)."""

    end: int
    indicators: list[Indicator]
    total: Decimal | None = None
    total_cell: CellRef | None = None
    grade: str | None = None

    def ended(self, end: int) -> Body:
        self.end = end
        return self


def starts_block(row: list[Any], lead: int, texts: list[str] | None = None) -> bool:
    """A 项目名称 / 主管部门 / 实施单位 row: the next project's table starts here.

    Only the first `lead` cells count, where a header block starts, so a reason written
    as 实施单位：… does not end the table. Funds labels do not count either: some forms
    repeat 全年预算数 | 全年执行数 inside the 预算执行率 rows. `texts` are the row's
    short_labels when known (Grid.labels).
    """
    if texts is not None and lead <= len(texts):  # the usual case: see _row_sketch
        return _starts(row, lead, asked(texts, _row_sketch))
    for c, value in enumerate(row[:lead]):
        if value.__class__ is not str or len(value) > _LONGEST_PAIR:
            continue
        text = texts[c] if texts is not None and c < len(texts) else short_label(value)
        if text and _header_label(text):
            return True
        if ("：" in value or ":" in value) and split_label_value(value, HEADER_FIELDS):
            return True
    return False


def _starts(row: list[Any], lead: int, sketch: _Sketch) -> bool:
    """starts_block of a row whose first `lead` cells have label texts in `sketch`."""
    if sketch.header_at is not None and sketch.header_at < lead:
        return True
    for c in sketch.colons:  # a label in 项目名称：… (a raw colon shows in its text)
        if c >= lead:
            break
        if _has_colon(row[c]) and split_label_value(row[c], HEADER_FIELDS):
            return True
    for c in sketch.blanks:  # a text too long to be a label may still hold one
        if c >= lead:
            break
        value = row[c]
        if (
            value.__class__ is str
            and len(value) <= _LONGEST_PAIR
            and _has_colon(value)
            and split_label_value(value, HEADER_FIELDS)
        ):
            return True
    return False


class _Sketch:
    """What read_body asks of a row's label texts, worked out once per distinct texts
    (perfxl.reader.labels.asked): every body row is asked whether it starts the next
    block, holds a total label or a grade label, and most rows hold none of them.

    A cell whose text holds no ':' holds no colon either (normalize turns '：' into ':'
    and removes none), so only `colons` need their raw value split at a colon; a text
    cell too long to be a label has the text "" and is among `blanks` (none when the
    row holds no long text, perfxl.reader.labels.Labels.long)."""

    __slots__ = ("blanks", "colons", "first_start", "grade_cells", "header_at", "total_at")

    def __init__(self, texts: list[str]) -> None:
        header_at = total_at = None
        long = may_hold_long(texts)
        colons: list[int] = []
        blanks: list[int] = []
        grade_cells: list[tuple[int, bool]] = []
        for c, t in enumerate(texts):  # one pass: a new row's texts are asked once
            if not t:
                if long:
                    blanks.append(c)
                continue
            if header_at is None and _header_label(t):
                header_at = c
            if total_at is None and _total_label(t):  # 总分, 合计 … anywhere in the row
                total_at = c
            colon, is_grade = ":" in t, bool(_grade_label(t))
            if colon:
                colons.append(c)
            if colon or is_grade:
                grade_cells.append((c, is_grade))
        self.header_at = header_at
        self.total_at = total_at
        self.colons = tuple(colons)
        self.blanks = tuple(blanks)
        # the first cell _starts looks at: none of a row whose lead ends before it
        first_start = SCAN_COLUMNS if header_at is None else header_at
        if colons and colons[0] < first_start:
            first_start = colons[0]
        if blanks and blanks[0] < first_start:
            first_start = blanks[0]
        self.first_start = first_start
        # (column, whether its text is a grade label) of the cells _grade looks at
        self.grade_cells = tuple(grade_cells)


def _row_sketch(texts: list[str]) -> _Sketch:
    return _Sketch(texts)


def _has_colon(text: str) -> bool:
    """Whether split_label_value could find a label in `text` (it splits at a colon)."""
    return "：" in text or ":" in text


def _grade(row: list[Any], lead: int, texts: list[str]) -> tuple[bool, str | None]:
    """Whether the row names a grade (评价等级 | 优, or 评价等级：优), and the grade.

    The label is looked for in the first `lead` cells, where 总分 and 评价等级 sit, or
    anywhere on a total row (总分 | … | 95.72 | 评价等级 | 优); the grade is right of it.
    """
    for c, is_label in asked(texts, _row_sketch).grade_cells:
        if c >= lead:
            break
        value = row[c]  # a text: its label text is not blank
        pair = split_label_value(value, _GRADE) if _has_colon(value) else None
        if pair is not None:
            return True, label(pair[1])
        if is_label:
            rest = texts[c + 1 :]
            return True, next((t for t in rest if t and not _grade_label(t)), None)
    return False, None


def _total_figures(
    grid: Grid, r: int, at: int, columns: dict[str, int], figures: Figures
) -> tuple[Decimal | None, CellRef | None, str | None]:
    """The printed total, its cell and a grade word of a total row labelled at `at`.

    The 得分 column holds the total when it is right of the label; otherwise the
    figures right of the label are 分值 total then score (总分 | 100 | 96), or the
    score alone when the table has a 得分 column (without one, a lone figure is the
    分值 total). A grade word right of the label is the printed grade.
    """
    row = grid.rows[r][:SCAN_COLUMNS]
    grade = None
    for text in sheet_labels(grid)[r][at + 1 :]:  # a loop: no generator made per call
        if text in GRADE_WORDS:
            grade = text
            break
    score_col = columns.get("score")
    if score_col is not None and score_col > at:
        return _printed(grid, r, score_col, figures), figures.cell(r, score_col), grade
    numbers = [c for c in range(at + 1, len(row)) if cell_number(row[c]) is not None]
    if len(numbers) < (1 if score_col is not None else 2):
        return None, None, grade  # no 得分 column: a lone figure is the 分值 total
    c = numbers[1] if len(numbers) >= 2 else numbers[0]
    return _printed(grid, r, c, figures), figures.cell(r, c), grade


def _printed(grid: Grid, row: int, col: int, figures: Figures) -> Decimal | None:
    """A printed total or score; a formula's cached result is not one."""
    if grid.is_formula(row, col):
        return None
    return figures.number(grid.get(row, col), "points", "总分", row, col)


def read_body(
    grid: Grid, header_row: int, stop: int, columns: dict[str, int], figures: Figures
) -> Body:
    body = Body(stop, [])  # end, indicators
    level1 = level2 = ""
    points: Decimal | None = None
    closed = False  # after 总分 only the grade may follow; notes and signatures are not rows
    lead = min(columns.values()) + 3  # cells that may hold 评价等级, 项目名称
    score_col = columns.get("score")
    last = header_row
    heading: Indicator | None = None  # an indicator with 分值 but no target or actual
    items = tuple(columns.items())
    level1_col, level2_col = columns.get("level1"), columns.get("level2")
    name_col, target_col, actual_col = columns["name"], columns["target"], columns["actual"]
    weight_col, reason_col = columns["weight"], columns.get("reason")
    split_target = "nature" in columns
    width = max(columns.values()) + 1  # shorter rows are read as if padded with ""
    sheet = grid.name
    row_cells = _cells(sheet, items)
    rows, labels, formulas = grid.rows, sheet_labels(grid), grid.formulas
    for r in range(header_row + 1, stop):
        row = rows[r]
        texts = labels[r]
        sketch = texts.answers.get(_row_sketch, UNASKED)  # a row met before: one look-up
        if sketch is UNASKED:
            sketch = asked(texts, _row_sketch)
        if lead > len(texts):
            if starts_block(row, lead, texts):
                return body.ended(r)
        elif sketch.first_start < lead and _starts(row, lead, sketch):
            return body.ended(r)
        total_at = sketch.total_at
        is_grade, grade = False, None
        if sketch.grade_cells:
            is_grade, grade = _grade(row, SCAN_COLUMNS if total_at is not None else lead, texts)
        body.grade = grade or body.grade
        if total_at is not None or is_grade:
            last = r
        if total_at is not None:
            closed = True
            body.total, body.total_cell, word = _total_figures(grid, r, total_at, columns, figures)
            body.grade = body.grade or word
            continue
        if closed or is_grade:
            continue
        if len(row) < width:
            row = [*row, *[""] * (width - len(row))]  # any sequence of cells
        if level1_col is not None:
            text = _level_label(row, texts, level1_col)
            if text:
                level1, pts = split_points(text)
                points = None if pts is None else Decimal(pts)
                points = figures.usable(points, "points", "一级指标分值", r, level1_col)
                level2 = ""
                heading = None
        if level2_col is not None:
            text = _level_label(row, texts, level2_col)
            if text:
                level2 = split_points(text)[0]  # 数量指标(10分): the name
                heading = None
        name = cell_text(row[name_col])
        if split_target:  # 指标性质 | 指标值 | 度量单位 columns
            target = _target_text({key: row[c] for key, c in items}, columns, figures, r)
        else:
            target = figures.text(row[target_col], "年度指标值", r, target_col)
        actual = figures.text(row[actual_col], "实际完成值", r, actual_col)
        weight = figures.number(row[weight_col], "points", "分值", r, weight_col)
        entered = None
        if score_col is not None:
            entered = figures.number(row[score_col], "points", "得分", r, score_col)
        if weight is None and entered is None:
            if target is None and actual is None:
                continue  # a spacer, a placeholder (指标2: / ……) or a merged cell's tail
            if heading is not None or (name or "").startswith(_BREAKDOWN):
                last = r
                continue  # detail of the indicator above
        cells = row_cells.get(r)
        if cells is None:
            cells = row_cells[r] = {field: cell_ref(sheet, r + 1, c + 1) for field, c in items}
        cells = dict(cells)  # each indicator its own
        indicator = Indicator(  # by position: keywords to a class cost a dict per call
            level1,
            level2,
            name or level2,  # name
            target,  # target_text
            actual,  # actual_text
            weight,
            entered,  # entered_score
            None if reason_col is None else cell_text(row[reason_col]),  # reason
            cells,
            points,  # level1_points
            score_col is not None and (r, score_col) in formulas,  # score_formula
        )
        body.indicators.append(indicator)
        heading = indicator if weight is not None and target is None and actual is None else None
        last = r
    return body.ended(last + 1)


def _level_label(row: list[Any], texts: list[str], col: int) -> str:
    """label(row[col]) of a level cell, taken from the row's texts when that short text
    cell is normalised there already."""
    value = row[col]
    if value.__class__ is str and len(value) <= LONGEST_LABEL and col < len(texts):
        return texts[col]
    return label(value)


def _cells(sheet: str, items: tuple[tuple[str, int], ...]) -> dict[int, dict[str, CellRef]]:
    """0-based row -> (field -> cell) for a sheet's name and header columns, kept
    across tables: a county's tables share their template's positions, so a row's cell
    references are made once and copied after. Bounded by the tables it serves."""
    key = (sheet, items)
    rows = _ROW_CELLS.get(key)
    if rows is None or len(rows) > _REMEMBERED_ROWS:
        if len(_ROW_CELLS) >= _REMEMBERED_TABLES:
            _ROW_CELLS.clear()
        rows = _ROW_CELLS[key] = {}
    return rows


_ROW_CELLS: dict[tuple[str, tuple[tuple[str, int], ...]], dict[int, dict[str, CellRef]]] = {}
_REMEMBERED_TABLES = 64
_REMEMBERED_ROWS = 256  # together at most ~16k small dicts, ~10 MB


def _target_text(
    values: dict[str, Any], columns: dict[str, int], figures: Figures, row: int
) -> str | None:
    """The target as one text; split 指标性质 | 指标值 | 度量单位 columns are joined
    (≥ | 100 | 人 → ≥100人), a qualitative nature or value kept as written."""
    target = figures.text(values["target"], "年度指标值", row, columns["target"])
    if "nature" not in columns:
        return target
    nature = cell_text(values.get("nature")) or ""
    unit = cell_text(values.get("unit")) or ""
    if target is None:
        return None
    if nature in ("定性", "定性指标"):
        return target
    if nature in ("定量", "定量指标"):
        nature = ""
    if unit and target.endswith(unit):
        unit = ""  # 100% typed with its % under a % unit
    return f"{nature}{target}{unit}"
