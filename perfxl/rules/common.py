"""What several rules share: where to put a table-level finding, and name matching.

Rules run on every table of a county's run, most of them looking at every row, so what
they ask per row is kept cheap: Method members are module constants here (on Python
3.11 `Method.EXECUTION` costs ~150 ns a time through the enum's class, a global ~13 ns),
zero is one Decimal, and what a rule derives from the profile is remembered by the
profile part's identity (`by_identity`) rather than hashed afresh on every table.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import TypeVar

from perfxl.model import CellRef, Indicator, IndicatorTable
from perfxl.results import Method, TableResult
from perfxl.text import normalize

COMPUTED = Method.COMPUTED
QUALITATIVE = Method.QUALITATIVE
EXECUTION = Method.EXECUTION
NOT_APPLICABLE = Method.NOT_APPLICABLE
NOT_SCORED = (Method.NOT_APPLICABLE, Method.UNSCORED)  # rows that do not count
ZERO = Decimal(0)

_Part = TypeVar("_Part")
_Made = TypeVar("_Made")


def by_identity(make: Callable[[_Part], _Made]) -> Callable[[_Part], _Made]:
    """`make(part)` remembered by the identity of `part`, a frozen piece of a profile.

    functools.lru_cache would hash the part on every call: a tuple of Decimals or a
    frozen dataclass hashes field by field, which cost a rule more than its own check.
    An entry holds its part, so the id cannot be reused while the entry lives; a few
    profiles are in use at a time, so the memo is emptied past 16 entries."""
    memo: dict[int, tuple[_Part, _Made]] = {}

    def remembered(part: _Part) -> _Made:
        entry = memo.get(id(part))
        if entry is not None and entry[0] is part:
            return entry[1]
        if len(memo) >= 16:  # pragma: no mutate (a cache size never changes an answer)
            memo.clear()
        made = make(part)
        memo[id(part)] = (part, made)
        return made

    return remembered


def blank(text: str | None) -> bool:
    return text is None or not str(text).strip()


def missing(values: list) -> bool:
    """Whether a value is None: `None in values` would ask each Decimal's __eq__ (through
    the numbers ABC check) and any() over a generator costs a frame per call."""
    for value in values:  # noqa: SIM110 (a loop, not any(): see above)
        if value is None:
            return True
    return False


def canon(name: str | None) -> str:
    """A level name as compared with the profile: 产出指标 and 产出 are the same.

    Remembered: a county's tables use a few dozen level names, each rule asks per row.
    Only short names are: a hostile file's level cells may each hold 32,767 characters,
    and 4,096 of those remembered would hold a quarter of a gigabyte."""
    if name is not None and len(name) > _REMEMBERED_CHARS:  # pragma: no mutate
        return _canon(name)
    return _remembered_canon(name)


def _canon(name: str | None) -> str:
    text = normalize(name or "")
    return text.removesuffix("指标") or text


_REMEMBERED_CHARS = 64  # pragma: no mutate (what is remembered never changes an answer)
_remembered_canon = lru_cache(maxsize=4096)(_canon)  # pragma: no mutate


def cell_of(indicator: Indicator, key: str) -> CellRef | None:
    """The row's cell for `key`, or its first known cell."""
    return indicator.cells.get(key) or indicator.cell


def known_cells(table: IndicatorTable) -> list[CellRef]:
    cells = [*table.cells.values(), *table.funds.cells.values()]
    cells += [c for ind in table.indicators for c in ind.cells.values()]
    return cells


def anchor(table: IndicatorTable) -> CellRef:
    """A cell for a finding about the whole table: the total, else its top-left cell."""
    if "total" in table.cells:
        return table.cells["total"]
    return top_cell(table)


def top_cell(table: IndicatorTable) -> CellRef:
    """The table's top-left known cell (A1 when nothing is known)."""
    cells = known_cells(table)
    if not cells:
        return CellRef(table.sheet, 1, 1)
    return min(cells, key=lambda c: (c.row, c.col))


def header_cell(table: IndicatorTable, key: str) -> CellRef:
    """The indicator header's cell for a column (年度指标值 for "target"), as near as known.

    The header sits right above the first indicator row; without rows, the table's anchor.
    """
    for indicator in table.indicators:
        cell = indicator.cells.get(key)
        if cell is not None:
            return CellRef(cell.sheet, max(cell.row - 1, 1), cell.col)
    return anchor(table)


def pct(value: Decimal) -> str:
    return f"{value * 100:.2f}%"


def num(value: Decimal | None) -> str:
    """A figure as staff write it: 87.26, 100, 2.7."""
    if value is None:
        return "—"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def raised(result: TableResult, code: str) -> bool:
    """Whether the reader or the engine raised `code` on this table: engine_findings
    without gathering every finding of the table first."""
    for found in result.findings:
        if found.code == code:
            return True
    for found in result.table.findings:
        if found.code == code:
            return True
    for row in result.rows:
        for found in row.findings:
            if found.code == code:
                return True
    return False
