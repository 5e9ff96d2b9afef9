"""Header labels the reader recognises, as data.

Tables are found by what their headers say, not where they sit, so every synonym seen
in published tables goes here. Labels are compared after `perfxl.text.normalize`
(simplified characters, half-width signs, no spaces).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from perfxl.text import normalize

# Indicator table columns: field -> accepted header texts (exact, after normalising).
INDICATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "name": ("三级指标", "三级指标名称", "指标名称"),
    "nature": ("指标性质", "指标方向", "运算符"),
    "target": (
        "年度指标值",
        "指标值",
        "年度目标值",
        "目标值",
        "预期指标值",
        "全年指标值",
        "年度指标值(A)",
    ),
    "unit": ("计量单位", "度量单位", "单位"),
    "actual": (
        "实际完成值",
        "实际值",
        "全年实际值",
        "实际完成情况",
        "全年实际完成值",
        "完成值",
        "实际完成值(B)",
    ),
    "weight": ("分值", "权重", "权重分", "标准分", "指标分值", "参考分值"),
    "score": ("得分", "实际得分", "自评得分", "评价得分", "评分"),
    "reason": (
        "偏差原因分析及改进措施",
        "偏差原因分析及改进",
        "偏差原因",
        "偏差原因分析",
        "未完成原因分析",
        "原因分析及改进措施",
    ),
}
REQUIRED_COLUMNS = ("name", "target", "actual", "weight")

# Funds block columns (万元).
FUNDS_COLUMNS: dict[str, tuple[str, ...]] = {
    "initial_budget": ("年初预算数", "年初预算", "年初预算金额"),
    "budget": ("全年预算数", "全年预算", "调整后预算数", "预算数"),
    "received": ("全年到位数", "实际到位资金", "到位资金", "资金到位数", "到位数"),
    "spent": ("全年执行数", "实际支出", "执行数", "全年支出数", "实际执行数"),
    "weight": ("分值",),
    "rate": ("执行率", "预算执行率"),
    "score": ("得分",),
}
FUNDS_TOTAL_ROW = ("年度资金总额", "资金总额", "合计")

# Header block labels: field -> label texts; the value is the next filled cell to the right.
HEADER_FIELDS: dict[str, tuple[str, ...]] = {
    "project": ("项目名称",),
    # a 部门整体 form names the department where a project form names the project
    "department": ("主管部门", "主管单位", "主管部门(公章)", "部门", "部门名称", "部门(单位)名称"),
    "unit": ("实施单位", "项目实施单位", "预算单位", "实施单位(公章)"),
}

TOTAL_LABELS = ("总分", "合计", "总计", "得分合计", "综合得分", "自评总分")
GRADE_LABELS = ("评价等级", "等级", "自评等级", "绩效等级")
# a printed total in the header block (自评得分 | 98 above the funds), used when the
# table has no 总分 row of its own
HEADER_TOTAL_LABELS = ("自评得分", "自评总分", "总得分", "自评分数")
# grades as printed right of a total without a label (总分 | 100 | 96 | 优)
GRADE_WORDS = frozenset(
    {"优", "良", "中", "差", "优秀", "良好", "合格", "不合格", "及格", "不及格"}
)
# 自评年度 | 2023, or 年度：2023 in the header block
YEAR_LABELS = ("自评年度", "评价年度", "年度", "预算年度", "项目年度")

SCAN_COLUMNS = 40  # headers sit in the first columns; wide sheets are scanned this far


def row_columns(row: list, columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field -> 0-based column for the labels found in one row (first occurrence wins)."""
    return label_columns(short_labels(row), columns)


def short_labels(row: list) -> Labels:
    """The normalised text of each of the row's first SCAN_COLUMNS cells that is short
    enough to be a label (LONGEST_LABEL), "" for any other cell.

    Labels are short text; most cells of a sheet are numbers or empty. A Grid keeps
    this list per row (Grid.labels), so each cell is normalised once however many
    kinds of label the reader looks for in its row. Rows with the same texts share one
    Labels object (see Labels), so what is asked of a template's header rows is worked
    out once per run; a row whose cells equal a row met before (a template's title,
    header and total rows) is not normalised again.

    Cells equal as values give the same texts: only plain str cells have a text, and a
    str equals nothing but a str. Rows holding a text longer than a label are not
    remembered by their cells, so the cache never holds a long text."""
    cells = tuple(row[:SCAN_COLUMNS])
    try:
        known = _CELLS.get(cells)
    except TypeError:  # an unhashable value: no reader gives one, but never fail on it
        return _labels(cells)
    if known is None:
        known = _labels(cells)
        if not known.long:
            if len(_CELLS) >= _REMEMBERED_ROWS:
                _CELLS.clear()
            _CELLS[cells] = known
    return known


def _labels(cells: tuple) -> Labels:
    found = []  # one pass: each cell's text, and whether any is too long for a label
    long = False
    for v in cells:
        if v.__class__ is str and v:
            if len(v) <= LONGEST_LABEL:
                found.append(normalize(v))
                continue
            long = True
        found.append("")
    texts = tuple(found)
    key = (long, texts)
    known = _ROWS.get(key)
    if known is None:
        if len(_ROWS) >= _REMEMBERED_ROWS:
            _ROWS.clear()
        known = _ROWS[key] = Labels(texts, long)
        known.answers = _shared_answers(texts, long)
    return known


class Labels(list):
    """The short_labels of a row, with the answers readers got from them.

    Files made from one template repeat their title, header, funds and total rows
    exactly; every reader asks the same questions of every row (an indicator header? a
    monitoring header? funds labels? a total?). One Labels object stands for all rows
    with the same texts and remembers each answer (`asked`), so a known row is
    classified by dictionary look-ups. The list is shared: never modify it.

    `long` tells whether the row holds a text too long to be a label (its text is
    ""): only then may a blank text stand for a cell with words in it (a title, or
    项目名称：… with a long name), so rows without one are two objects apart from rows
    with one and the same texts. A blank text of a row without a long text is an
    empty cell, a number, or spaces: nothing any reader looks for."""

    __slots__ = ("answers", "long")

    def __init__(self, texts: tuple[str, ...], long: bool = True) -> None:
        super().__init__(texts)
        self.answers: dict[Any, Any] = {}
        self.long = long


def may_hold_long(texts: list[str]) -> bool:
    """Whether a blank among `texts` may be a long text (see Labels.long)."""
    return texts.__class__ is not Labels or texts.long  # type: ignore[attr-defined]


# (long, label texts) of a row -> their Labels, and a row's cells -> their Labels;
# bounded, since body rows rarely repeat
_ROWS: dict[tuple[bool, tuple[str, ...]], Labels] = {}
_CELLS: dict[tuple, Labels] = {}
_REMEMBERED_ROWS = 4096


def sheet_labels(grid: Any) -> list[Labels]:
    """The short_labels of every row of `grid` (what Grid.labels gives), as one list.

    Both readers and each step of a table (header block, funds, year, body) walk the
    sheet's rows; one list, indexed directly, spares each of them a method call per
    row. Kept for the last grid asked only, by a weak reference (nothing of a sheet
    outlives it), and made again when that grid has gained or lost rows."""
    ref, count, texts = _SHEET[0]
    rows = grid.rows
    if count == len(rows) and ref() is grid:
        return texts
    texts = []
    known = _CELLS.get  # short_labels inlined for the rows met before (most of them)
    for row in rows:
        try:
            found = known(tuple(row[:SCAN_COLUMNS]))
        except TypeError:  # an unhashable value: short_labels reads it
            found = None
        texts.append(short_labels(row) if found is None else found)
    _SHEET[0] = (weakref.ref(grid), len(rows), texts)
    return texts


def _no_grid() -> None:
    return None


# (weak reference to the last grid, its row count, its rows' labels)
_SHEET: list[tuple[Callable[[], Any], int, list[Labels]]] = [(_no_grid, -1, [])]


def asked(texts: list[str], question: Callable[[list[str]], Any]) -> Any:
    """question(texts), remembered on the row's Labels; the answer is shared by every
    row with these texts, so callers must not modify it.

    Shared further, by every row whose texts differ only in texts that count for no
    question (see looks_at): a question must see a row's texts only through what its
    module declared with looks_at, whether each text is blank, and Labels.long."""
    if texts.__class__ is not Labels:
        return question(texts)
    answers = texts.answers  # type: ignore[attr-defined]
    answer = answers.get(question, _UNKNOWN)
    if answer is _UNKNOWN:
        answer = answers[question] = question(texts)
    return answer


def looks_at(
    tables: tuple[dict[str, tuple[str, ...]], ...] = (),
    patterns: tuple[re.Pattern[str], ...] = (),
    tests: tuple[Callable[[str], bool], ...] = (),
) -> None:
    """Declare what the questions a module asks of rows (`asked`) look for in a text:
    the labels of `tables` (as match_column finds them: as written, without marks,
    without a note), a match of any of `patterns`, a text for which a test is true, and
    a ':' (always). A text with none of these counts for no question, whatever else it
    says: a project's name, a target, a goal. Rows whose texts differ only in such
    texts (at the same places) give every question the same answers, so they share
    one dictionary of answers: a county's body rows, each with its own figures, are
    classified once per shape instead of once per row."""
    for columns in tables:
        for text in _table(columns).index:
            _COUNTING["labels"][text] = "label"
    _COUNTING["patterns"] = (*_COUNTING["patterns"], *patterns)
    _COUNTING["tests"] = (*_COUNTING["tests"], *tests)
    # what was found inert may count now: rows read so far are read afresh
    _INERT.clear()
    _SHAPES.clear()
    _ROWS.clear()
    _CELLS.clear()
    _SHEET[0] = (_no_grid, -1, [])


# what looks_at declared: label texts (text -> "label", an index as _find reads one),
# patterns and tests; texts found to count for nothing (text -> True) or something
_COUNTING: dict[str, Any] = {"labels": {}, "patterns": (), "tests": ()}
_INERT: dict[str, bool] = {}
# a row's shape (Labels.long, then each text: "" blank, None a text that counts for
# nothing, else the text) -> the answers of every row of that shape
_SHAPES: dict[tuple, dict[Any, Any]] = {}
_REMEMBERED_TEXTS = 16_384  # label texts (at most LONGEST_LABEL characters each)


def _shared_answers(texts: tuple[str, ...], long: bool) -> dict[Any, Any]:
    """The answers dictionary of rows shaped as `texts` (see looks_at)."""
    shape: list[Any] = [long]
    inert = _INERT.get
    for text in texts:
        if text:
            found = inert(text)
            if found is None:
                found = _inert(text)
            shape.append(None if found else text)
        else:
            shape.append("")
    key = tuple(shape)
    answers = _SHAPES.get(key)
    if answers is None:
        if len(_SHAPES) >= _REMEMBERED_ROWS:
            _SHAPES.clear()
        answers = _SHAPES[key] = {}
    return answers


def _inert(text: str) -> bool:
    """Whether `text` counts for no question (looks_at), remembered (texts given here
    are label texts, at most LONGEST_LABEL characters)."""
    found = (
        ":" not in text
        and _find(_COUNTING["labels"], text) is None
        and not any(p.search(text) for p in _COUNTING["patterns"])
        and not any(test(text) for test in _COUNTING["tests"])
    )
    if len(text) <= LONGEST_LABEL:
        if len(_INERT) >= _REMEMBERED_TEXTS:
            _INERT.clear()
        _INERT[text] = found
    return found


def label_columns(texts: list[str], columns: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """field -> column for the labels among `texts` (short_labels of a row)."""
    found: dict[str, int] = {}
    table = _table(columns)
    answers = table.answers
    for c, text in enumerate(texts):
        if not text:
            continue
        field = answers.get(text, _UNKNOWN)
        if field is _UNKNOWN:
            field = _learn(table, text)
        if field and field not in found:
            found[field] = c
    return found


_UNKNOWN = object()
UNASKED = _UNKNOWN  # what Labels.answers.get(question, UNASKED) gives before `asked`


def matcher(columns: dict[str, tuple[str, ...]]) -> Callable[[str], str | None]:
    """match_column for one label table as a function of the text alone, for loops
    that ask it of many cells: the table's answers are looked up directly."""
    table = _table(columns)
    answers = table.answers

    def match(text: str) -> str | None:
        field = answers.get(text, _UNKNOWN)
        if field is _UNKNOWN:
            return match_column(text, columns)  # "" included
        return field  # type: ignore[no-any-return]

    return match


# Label cells are capped before parsing: a header, a level-1 name or a grade is a few
# dozen characters, and a cell may hold 32,767. Every parser here is linear anyway.
MAX_LABEL_CHARS = 1_000
# No header, total or grade label is longer than this: longer cells (goals, reasons) are
# data, and are never normalised just to be compared with labels.
LONGEST_LABEL = 100


def split_points(text: str) -> tuple[str, str | None]:
    """'产出指标(50分)' -> ('产出指标', '50'); text without points comes back unchanged
    (see _split_points). Level names repeat from row to row and file to file, so short
    ones are split once."""
    if len(text) <= LONGEST_LABEL:
        return _split_short(text)
    return _split_points(text)


def _split_points(text: str) -> tuple[str, str | None]:
    """'产出指标(50分)' -> ('产出指标', '50'); text without points comes back unchanged.

    Read from the end in one pass (a regex with a lazy name before the digits took
    30 s on a cell of 32,767 digits): an optional ')', then 分, then the number with
    an optional decimal part; the name is what stands before, without '(' ':' '：'.
    """
    end = len(text) - 1 if text.endswith(")") else len(text)
    if end < 1 or text[end - 1] != "分":
        return text, None
    stop = end - 1  # the number ends here
    start = _digits_before(text, stop)
    if start == stop:
        return text, None
    if start > 1 and text[start - 1] == "." and _digits_before(text, start - 1) < start - 1:
        start = _digits_before(text, start - 1)
    name = text[:start]
    if name.endswith("("):
        name = name[:-1]
    if not name:
        return text, None
    return name.rstrip("(:："), text[start:stop]


_split_short = lru_cache(maxsize=4096)(_split_points)


def _digits_before(text: str, stop: int) -> int:
    """Where the run of decimal digits that ends at `stop` starts."""
    start = stop
    while start > 0 and text[start - 1].isdecimal():
        start -= 1
    return start


# A trailing note in parentheses, as in 分值(分), 年初预算数(万元), 偏差原因分析及改进措施(注).
_NOTE = re.compile(r"\([^()]*\)$")
_MARKS = "*※:"  # required-field stars and label colons around a header text


def match_column(text: str, columns: dict[str, tuple[str, ...]]) -> str | None:
    """The field whose label this (normalised) header text is, or None.

    Tried as written first, so listed labels with parentheses (年度指标值(A)) win; then
    without marks and a trailing note, which no field's meaning depends on. A reader
    asks this for every cell of every candidate row (hundreds of times a workbook), so
    answers are cached per label table.
    """
    if not text:
        return None
    table = _table(columns)
    field = table.answers.get(text, _UNKNOWN)
    return _learn(table, text) if field is _UNKNOWN else field  # type: ignore[return-value]


class _Table:
    """match_column's state for one label table: its answers so far (text -> field or
    None) and its index (label text -> the first field of the table that lists it)."""

    __slots__ = ("answers", "columns", "index")

    def __init__(self, columns: dict[str, tuple[str, ...]]) -> None:
        self.columns = columns  # held, so that its id stays its own
        self.answers: dict[str, str | None] = {}
        self.index: dict[str, str] = {}
        for field, labels in columns.items():
            for text in labels:
                self.index.setdefault(text, field)


# id(label table) -> its _Table; label tables are module constants, so this stays small
_STATE: dict[int, _Table] = {}


def _table(columns: dict[str, tuple[str, ...]]) -> _Table:
    table = _STATE.get(id(columns))
    if table is None or table.columns is not columns:
        table = _STATE[id(columns)] = _Table(columns)
    return table


def _learn(table: _Table, text: str) -> str | None:
    """match_column of a text the table has not answered yet, remembered."""
    answers = table.answers
    if len(answers) > 4096:  # free text in data cells: keep the cache bounded
        answers.clear()
    field = answers[text] = _find(table.index, text)
    return field


def _answers(columns: dict[str, tuple[str, ...]]) -> dict[str, str | None]:
    """The cache of match_column's answers for one label table."""
    return _table(columns).answers


# (id(label table), purpose) -> (the table itself, keeping the id valid; text -> answer)
_TABLES: dict[tuple[int, str], tuple[dict[str, tuple[str, ...]], dict[str, Any]]] = {}


def table_cache(columns: dict[str, tuple[str, ...]], purpose: str) -> dict[str, Any]:
    """A cache of answers about header texts for one label table and one question.

    Readers ask the same question of every cell of every row; the texts repeat across
    rows and files, so each answer is worked out once. Callers bound its size."""
    key = (id(columns), purpose)
    table = _TABLES.get(key)
    if table is None or table[0] is not columns:
        table = _TABLES[key] = (columns, {})
    return table[1]


def _match(text: str, columns: dict[str, tuple[str, ...]]) -> str | None:
    """match_column uncached: the text as written, without marks, without a note."""
    return _find(_table(columns).index, text)


def _find(index: dict[str, str], text: str) -> str | None:
    """The field of `text` in a label table's index: the text as written, without
    marks, without a note. The first field (in the table's order) listing a candidate
    wins; a note needs a ')'."""
    field = index.get(text)
    if field is not None:
        return field
    bare = text.strip(_MARKS)
    if bare and bare != text and (field := index.get(bare)) is not None:
        return field
    if ")" in bare:
        plain = _without_note(bare) if len(bare) <= LONGEST_LABEL else _strip_note(bare)
        if plain:
            return index.get(plain)
    return None


def _strip_note(text: str) -> str:
    return _NOTE.sub("", text)


# a text is asked of every label table: its note is cut once; only label-length texts
# are remembered (a caller handing a 32,767-character cell must not fill the cache)
_without_note = lru_cache(maxsize=4096)(_strip_note)


def split_label_value(text: str, columns: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """'项目名称：援疆工作经费项目' in one cell -> ('project', '援疆工作经费项目'), else None.

    `text` is the raw cell text, so the value keeps its own spelling.
    """
    for sep in ("：", ":"):
        head, found, tail = text.partition(sep)
        if found and tail.strip() and len(head) <= MAX_LABEL_CHARS:
            field = match_column(normalize(head), columns)
            if field is not None:
                return field, tail.strip()
    return None
