"""The rows under a monitoring table's indicator header.

Merged 一级/二级 cells are carried down; placeholder rows (a 二级 name with no target,
actual or prediction, as forms print 质量 / 时效 rows left empty) are not indicators.
Forms without a reason column per row put 偏差或不能完成目标原因分析 and 相关建议或
举措 in rows of their own under the indicators: those become the table's reason and
measures. The block ends at the signature rows (填表人, 单位负责人, 注:).
"""

from __future__ import annotations

import re
from typing import Any

from perfxl.monitoring.model import CAUSES, MonitoringRow
from perfxl.reader.cells import Figures, cell_text
from perfxl.reader.grid import Grid
from perfxl.reader.labels import match_column
from perfxl.reader.monitoring_labels import CAUSE_COLUMNS, COLUMNS, STOP_WORDS, TICKS
from perfxl.reader.rows import _target_text

_SPACE = re.compile(r"\s+")
_TEXT_FIELDS = ("target", "actual", "predicted", "likelihood", "reason", "measures")
_NOTES = {"reason": COLUMNS["reason"], "measures": COLUMNS["measures"]}


def read_rows(
    grid: Grid,
    header: int,
    stop: int,
    columns: dict[str, int],
    sub: dict[str, dict[int, str]],
    figures: Figures,
) -> tuple[list[MonitoringRow], dict[str, str]]:
    """The indicator rows and the table-wide notes ({"reason": …, "measures": …})."""
    rows: list[MonitoringRow] = []
    notes: dict[str, str] = {}
    level1 = level2 = ""
    name_col = columns.get("name", 0)
    for r in range(header + 1, stop):
        texts = grid.labels(r)
        if any(t.startswith(STOP_WORDS) for t in texts if t):
            break
        note = _note(grid, r, texts, name_col)
        if note is not None:
            field, text = note
            if text:
                notes.setdefault(field, text)
            continue
        level1 = _carried(grid, r, columns.get("level1"), level1)
        level2 = _carried(grid, r, columns.get("level2"), level2)
        row = _row(grid, r, columns, sub, figures, level1, level2)
        if row is not None:
            rows.append(row)
    return rows, notes


def _note(grid: Grid, r: int, texts: list[str], name_col: int) -> tuple[str, str] | None:
    """A 偏差或不能完成目标原因分析 | text row: (field, the text right of the label)."""
    for c, text in enumerate(texts[: name_col + 1]):
        field = match_column(text, _NOTES) if text else None
        if field is None:
            continue
        for c2 in range(c + 1, len(grid.rows[r])):
            value = cell_text(grid.get(r, c2))
            if value:
                return field, value
        return field, ""
    return None


def _carried(grid: Grid, r: int, col: int | None, previous: str) -> str:
    if col is None:
        return previous
    text = cell_text(grid.get(r, col))
    return _SPACE.sub("", text) if text else previous


def _row(
    grid: Grid,
    r: int,
    columns: dict[str, int],
    sub: dict[str, dict[int, str]],
    figures: Figures,
    level1: str,
    level2: str,
) -> MonitoringRow | None:
    name = cell_text(grid.get(r, columns["name"]))
    values: dict[str, str | None] = {}
    for field in _TEXT_FIELDS:
        if field in columns:
            c = columns[field]
            values[field] = figures.text(grid.get(r, c), _WHAT[field], r, c)
    if "nature" in columns and "target" in columns:  # ≥ | 100 | 人 → ≥100人
        split = {k: grid.get(r, columns[k]) for k in ("target", "nature", "unit") if k in columns}
        values["target"] = _target_text(split, columns, figures, r)
    if not name or not any(values.get(f) for f in ("target", "actual", "predicted")):
        return None  # a placeholder, a heading, a blank row
    causes, cause_text = _causes(grid, r, columns, sub)
    likelihood = _ticked(grid, r, sub.get("answers", {})) or values.get("likelihood")
    cells = {
        key: figures.cell(r, columns[key])
        for key in ("name", *_TEXT_FIELDS, "cause", "level1", "level2")
        if key in columns
    }
    if sub.get("causes") and "cause" not in cells:
        cells["cause"] = figures.cell(r, min(sub["causes"]))
    if sub.get("answers") and "likelihood" not in cells:
        cells["likelihood"] = figures.cell(r, min(sub["answers"]))
    return MonitoringRow(
        level1=level1,
        level2=level2 if "level2" in columns else "",
        name=_SPACE.sub("", name) if len(name) <= 40 else name,
        target_text=values.get("target"),
        actual_text=values.get("actual"),
        predicted_text=values.get("predicted"),
        causes=causes,
        cause_text=cause_text,
        likelihood=likelihood,
        reason=values.get("reason"),
        measures=values.get("measures"),
        cells=cells,
    )


_WHAT = {"target": "年度指标值", "actual": "实际完成值", "predicted": "全年预计完成值",
         "likelihood": "完成目标可能性", "reason": "原因说明", "measures": "改进措施"}  # fmt: skip


def _is_tick(value: Any) -> bool:
    text = cell_text(value)
    return bool(text) and (text in TICKS or text.strip() in TICKS)


def _ticked(grid: Grid, r: int, options: dict[int, str]) -> str | None:
    """The option whose sub-column holds a tick (√, ✓, 是); the first when several."""
    for c, option in sorted(options.items()):
        if _is_tick(grid.get(r, c)):
            return option
    return None


def _causes(
    grid: Grid, r: int, columns: dict[str, int], sub: dict[str, dict[int, str]]
) -> tuple[tuple[str, ...], str | None]:
    """The 偏差原因 categories ticked (or named in a text column), and any other text."""
    ticked = [option for c, option in sorted(sub.get("causes", {}).items())
              if _is_tick(grid.get(r, c))]  # fmt: skip
    text = cell_text(grid.get(r, columns["cause"])) if "cause" in columns else None
    if ticked:
        return tuple(dict.fromkeys(ticked)), None
    if not text or text in TICKS:
        return (), None
    named = [k for k in CAUSES if any(w in text for w in CAUSE_COLUMNS[k])]
    return tuple(named), None if _only_categories(text) else text


def _only_categories(text: str) -> bool:
    """A drop-down choice (其他, 经费保障、人员保障) names categories and explains nothing."""
    rest = text
    for words in CAUSE_COLUMNS.values():
        for word in sorted(words, key=len, reverse=True):
            rest = rest.replace(word, "")
    return not rest.strip(" 、，,;；/／\n\t")
