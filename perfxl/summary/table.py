"""Writing one list sheet: header, typed cells, frozen header, filter, widths.

Every text is written as text (an inline string, or write_string for the few cells
XlsxWriter writes itself), so a project named "=HYPERLINK(...)" or a message starting
with "-" or "@" never becomes a formula. Numbers get a format per kind: 万元 with two
decimals and thousands separators, rates (fractions) as percentages, scores and
percentage points with two decimals.

Speed: a county has tens of thousands of rows and XlsxWriter spends ~8 µs per cell
(a cell object, then an XML element at close). List bodies therefore go through
ListSheet, a Worksheet subclass (XlsxWriter's documented `worksheet_class` hook) that
renders the body rows straight into the sheet XML when the workbook is assembled; the
header, widths, filter, frozen panes, formats and charts stay XlsxWriter's.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from itertools import chain, islice, repeat
from operator import add, is_not
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

MAX_TEXT = 32767  # Excel's limit for one cell
MAX_ROWS = 1_048_576  # Excel's limit for one sheet
_WIDTH_SAMPLE = 2000  # rows looked at to size a column
_ESCAPED_LITERAL = re.compile("(_x[0-9a-fA-F]{4}_)")  # as XlsxWriter's xmlwriter does
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
# a character to escape; "_x" is looked for apart (an alternation made the regex try
# both branches at every position, twice the time of a character class on a long text)
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f]")
_XML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


@dataclass(frozen=True)
class Column:
    title: str
    kind: str  # text, int, money, rate, score, points
    value: Callable[[Any], Any]
    width: tuple[float, float] = (6, 40)  # min, max characters


class Formats:
    """The workbook's cell formats, made once (XlsxWriter formats are workbook-wide)."""

    def __init__(self, book: Workbook):
        base = {"font_name": "等线", "font_size": 10, "valign": "vcenter"}
        header = {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}
        self.header = book.add_format(base | header | {"align": "center"})
        self.title = book.add_format(base | {"bold": True, "font_size": 14})
        self.label = book.add_format(base | {"bold": True})
        self.kinds = {
            "text": book.add_format(base),
            "int": book.add_format(base | {"num_format": "0"}),
            "money": book.add_format(base | {"num_format": "#,##0.00"}),
            "rate": book.add_format(base | {"num_format": "0.00%"}),
            "score": book.add_format(base | {"num_format": "0.00"}),
            "points": book.add_format(base | {"num_format": "0.00"}),
        }
        self.wrap = book.add_format(base | {"text_wrap": True, "valign": "top"})
        self.bad = book.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006"})
        self.warn = book.add_format({"bg_color": "#FFEB9C", "font_color": "#9C5700"})
        self.good = book.add_format({"bg_color": "#C6EFCE", "font_color": "#006100"})


def text_width(text: str) -> float:
    """Display width in Excel characters: a CJK character is two, ASCII one.

    (utf-8 length + length) / 2 gives exactly that for CJK (3 bytes) and ASCII (1 byte)
    without a per-character Python loop.
    """
    return (len(text.encode("utf-8")) + len(text)) / 2


def _text_cell(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value[:MAX_TEXT] if isinstance(value, str) else str(value)[:MAX_TEXT]


ROW_NUMBER = object()  # a Column's value: the row's number in the list (write_table's `first` on)


def _column_values(column: Column, items: list, first: int = 1) -> list:
    """The column's value for each item as a cell holds it: text (cut to Excel's
    limit, None for "") or a float, None for nothing.

    The getter is mapped over the items in C (an operator.attrgetter runs no Python
    code at all); a column of plain texts, or of numbers without gaps, is then taken as
    it is or converted in one map, and only other columns go value by value."""
    if column.value is ROW_NUMBER:
        return list(map(float, range(first, first + len(items))))
    raw = list(map(column.value, items))
    if column.kind == "text":
        kinds = set(map(type, raw))
        if kinds <= {str, _NONE}:
            texts = list(filter(_PRESENT, raw)) if _NONE in kinds else raw
            if all(texts) and max(map(len, texts), default=0) <= MAX_TEXT:  # no "", none long
                return raw
        return [
            None
            if value is None or value == ""
            else value[:MAX_TEXT]
            if type(value) is str
            else _text_cell(value)
            for value in raw
        ]
    if _NONE not in set(map(type, raw)):  # not `None in raw`: == on each Decimal, slow
        return list(map(float, raw))
    return [None if value is None else float(value) for value in raw]


def cell_value(value: Any) -> str | float | None:
    """What a cell holds: text (cut to Excel's limit), a float, or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value[:MAX_TEXT]
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal | int | float):
        return float(value)
    return str(value)[:MAX_TEXT]


def put(ws: Worksheet, row: int, col: int, value: Any, formats: Formats, kind: str) -> None:
    """One cell through XlsxWriter: text by write_string, numbers by write_number."""
    value = cell_value(value)
    if value is None:
        return
    if isinstance(value, str):
        ws.write_string(row, col, value, formats.kinds["text"])
    else:
        ws.write_number(row, col, value, formats.kinds.get(kind, formats.kinds["text"]))


def _xml_text(text: str) -> str:
    if "_x" not in text and not _SPECIAL.search(text):
        return text
    text = text.translate(_XML)
    if "_x" in text:
        text = _ESCAPED_LITERAL.sub(r"_x005F\1", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return text


_ROW = "\x00"  # where a rendered cell's row number goes (the rare per-cell path)
_CHUNK = 4096  # rows joined into one string at a time


def _text_cells(letter: str, style: str, values: tuple) -> list[str]:
    """Each value of a column holding text as its <c> element ("" for None), decided
    cell by cell, row number _ROW (for a column _plain_texts turns down)."""
    start, end = f'<c r="{letter}{_ROW}"{style} t="inlineStr"><is><t', "</t></is></c>"
    special = _SPECIAL.search
    return [
        ""
        if value is None
        else f"{start}>{value}{end}"
        if type(value) is str
        and "_x" not in value
        and special(value) is None
        and value == value.strip()
        else _odd_cell(start, end, style, letter, value)
        for value in values
    ]


def _odd_cell(start: str, end: str, style: str, letter: str, value) -> str:
    """A text that needs escaping or keeps its surrounding spaces, or a number in a
    column that also holds text."""
    if not isinstance(value, str):
        return f'<c r="{letter}{_ROW}"{style}><v>{value:.16G}</v></c>'
    space = ' xml:space="preserve"' if value != value.strip() else ""
    if "_x" in value or _SPECIAL.search(value):
        value = _xml_text(value)
    return f"{start}{space}>{value}{end}"


_NONE = type(None)
_SPECIAL_CHARACTERS = tuple("&<>" + "".join(map(chr, [*range(0x09), *range(0x0B, 0x20)])))
_PRESENT = partial(is_not, None)  # filter(_PRESENT, values): the values but None, in C
_EXACT = 1e16  # below this an integral float's .16G text is its integer's digits


def _plain_texts(values: tuple, kinds: set[type]) -> bool:
    """True when every value is a str (or None) that goes into <t> as it is: nothing to
    escape, no surrounding space. Asked of the whole column at once, in C: the texts
    joined (a "_x" found across two texts only sends the column the per-cell way, which
    decides each text alone), searched for each special character (`in`: a scan in C,
    faster than the character class of _SPECIAL over a long text) and stripped (strip
    returns the text itself when there is nothing to strip)."""
    if not kinds <= {str, _NONE}:
        return False
    texts = list(filter(None, values))
    joined = "".join(texts)
    return (
        "_x" not in joined
        and not any(map(joined.__contains__, _SPECIAL_CHARACTERS))
        and list(map(str.strip, texts)) == texts
    )


def _number_texts(values: tuple, kinds: set[type]) -> list[str | None]:
    """f"{value:.16G}" of each number (None for None).

    Each distinct float is formatted once, an integral one (counts, 序号, sizes) by its
    integer's digits, the same text below 1e16. A column with another type than float,
    a NaN (never equal to itself, so never found again) or a -0.0 (equal to 0.0 but
    shown "-0") goes value by value."""
    present = list(filter(_PRESENT, values)) if _NONE in kinds else values
    distinct = set(present)
    if (
        not kinds <= {float, _NONE}
        or math.isnan(sum(distinct))  # inf − inf too
        or (0.0 in distinct and _negative_zero(present))
    ):
        return [None if v is None else f"{v:.16G}" for v in values]
    if all(map(float.is_integer, distinct)) and max(map(abs, distinct), default=0) < _EXACT:
        shown = dict(zip(distinct, map(str, map(int, distinct)), strict=True))
    else:
        shown = {v: f"{v:.16G}" for v in distinct}
    return list(map(shown.get, values))


def _negative_zero(numbers: list[float] | tuple) -> bool:
    zeros = filter((0.0).__eq__, numbers)
    return min(map(math.copysign, repeat(1.0), zeros), default=1.0) < 0


def _column_parts(letter: str, style: str, values: tuple, numbers: list[str]) -> list:
    """One column of the body as parts of a row, in UTF-8: constants (bytes) and
    per-row lists (of bytes).

    A column without gaps is constant, row number, constant, value, constant: no string
    is built per cell, the row is joined from the parts (in C) in _write_rows. A column
    with gaps gets one rendered element per row (b"" for a gap)."""
    start = f'<c r="{letter}'
    kinds = set(map(type, values))
    if any(issubclass(kind, str) for kind in kinds):
        if not _plain_texts(values, kinds):  # the per-cell way, numbered cell by cell
            cells = _text_cells(letter, style, values)
            return [
                [cell.replace(_ROW, n).encode() for cell, n in zip(cells, numbers, strict=True)]
            ]
        mid, end = f'"{style} t="inlineStr"><is><t>', "</t></is></c>"
        texts = values
    else:
        mid, end = f'"{style}><v>', "</v></c>"
        texts = _number_texts(values, kinds)
    if _NONE not in kinds:  # (a number's text is None only for None)
        return [start.encode(), numbers, mid.encode(), list(map(str.encode, texts)), end.encode()]
    cells = [
        "" if text is None else f"{start}{n}{mid}{text}{end}"
        for n, text in zip(numbers, texts, strict=True)
    ]
    return [list(map(str.encode, cells))]


class ListSheet(Worksheet):
    """A worksheet whose list body (rows top+1…) is rendered straight to XML at close."""

    def __init__(self) -> None:
        super().__init__()
        self._body: tuple[int, list[Any], list[tuple]] | None = None
        self._columns: list | None = None

    def set_body(
        self, top: int, formats: list[Any], rows: list[tuple], columns: list | None = None
    ) -> None:
        """Rows of cell values (str, float or None) below the header at row `top`
        (`columns`: the same values column by column, when the caller has them)."""
        self._body = (top, formats, rows)
        self._columns = columns
        if rows:
            self._check_dimensions(top + len(rows), len(formats) - 1)

    def _write_rows(self) -> None:
        if self._body is None:
            super()._write_rows()
            return
        top, formats, rows = self._body
        super()._write_rows()  # the header and anything else written the usual way
        if not rows:
            return
        # Half a million cells in a county summary: each column becomes a few parts
        # (_column_parts), and the rows are joined from them by zip, chain and join,
        # so no Python code runs per cell for a column without gaps or odd texts.
        numbers = list(map(str, range(top + 2, top + 2 + len(rows))))  # 1-based
        encoded = list(map(str.encode, numbers))
        layout: list = [b'<row r="', encoded, b'">']
        by_column = self._columns if self._columns is not None else zip(*rows, strict=True)
        for col, column in enumerate(by_column):
            style = f' s="{formats[col]._get_xf_index()}"'
            found = _column_parts(xl_col_to_name(col), style, column, numbers)
            layout += [encoded if part is numbers else part for part in found]
        layout.append(b"</row>")
        parts: list = []
        for part in layout:  # neighbouring constants become one
            if type(part) is bytes and parts and type(parts[-1]) is bytes:
                parts[-1] += part
            else:
                parts.append(part)
        columns = [repeat(p, len(rows)) if type(p) is bytes else p for p in parts]
        pieces = chain.from_iterable(zip(*columns, strict=True))
        # The body goes to the part as UTF-8 when it takes bytes (SummaryBook's parts:
        # no 12 MB text to encode again there), as text to any other writer.
        write_bytes = getattr(self.fh, "write_bytes", None)
        per_chunk = len(parts) * _CHUNK
        for _ in range(0, len(rows), _CHUNK):
            chunk = b"".join(islice(pieces, per_chunk))
            if write_bytes is not None:
                write_bytes(chunk)
            else:
                self.fh.write(chunk.decode("utf-8"))

    def _get_range_data(self, row_start, col_start, row_end, col_end):
        """Chart caches for ranges in the body (charts plot 项目汇总's rate columns)."""
        if self._body is None:
            return super()._get_range_data(row_start, col_start, row_end, col_end)
        top, _, rows = self._body
        if (
            col_start == col_end
            and self._columns is not None
            and col_start < len(self._columns)
            and top < row_start <= row_end <= top + len(rows)
        ):  # one column of numbers in the body (a scatter's series): formatted in one map
            values = self._columns[col_start][row_start - top - 1 : row_end - top]
            if set(map(type, values)) <= {float}:
                return list(map(format, values, repeat(".16g", len(values))))
        data: list[Any] = []
        for row in range(row_start, row_end + 1):
            values = rows[row - top - 1] if top < row <= top + len(rows) else ()
            for col in range(col_start, col_end + 1):
                value = values[col] if col < len(values) else None
                data.append(f"{value:.16g}" if isinstance(value, float) else value)
        return data


def write_table(
    ws: Worksheet,
    formats: Formats,
    columns: Sequence[Column],
    rows: Iterable[Any],
    *,
    top: int = 0,
    first: int = 1,
) -> int:
    """Header at row `top`, one line per row below it; returns the number of rows written.
    A ROW_NUMBER column numbers the rows from `first`."""
    widths = [text_width(c.title) + 2 for c in columns]
    for col, column in enumerate(columns):
        ws.write_string(top, col, column.title, formats.header)
    items = list(rows)
    # a column at a time: one map per column, no generator per row
    values = [_column_values(c, items, first) for c in columns]
    body = list(zip(*values, strict=True)) if items else []
    for col, column in enumerate(columns):
        if column.kind == "text":  # text_width of the first rows' texts, in C
            sample = list(filter(None, values[col][:_WIDTH_SAMPLE]))
            doubled = map(add, map(len, map(str.encode, sample)), map(len, sample))
            widths[col] = max(widths[col], max(doubled, default=0) / 2 + 1)
    cell_formats = [formats.kinds.get(c.kind, formats.kinds["text"]) for c in columns]
    if isinstance(ws, ListSheet):
        ws.set_body(top, cell_formats, body, values if items else None)
    else:
        for n, values in enumerate(body, start=top + 1):
            for col, value in enumerate(values):
                put(ws, n, col, value, formats, columns[col].kind)
    for col, column in enumerate(columns):
        low, high = column.width
        if column.kind != "text":
            widths[col] = max(widths[col], 12 if column.kind == "money" else 9)
        ws.set_column(col, col, min(max(widths[col], low), high))
    ws.set_row(top, 30)
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + max(len(body), 1), len(columns) - 1)
    return len(body)


A4 = 9  # XlsxWriter's paper code


def print_setup(ws: Worksheet, header_row: int | None = 0) -> None:
    """How every sheet prints: A4 landscape, all columns on one page width (as many pages
    down as the rows need), the header row repeated on each page, page numbers below.

    Without this a county's summary printed as 25 portrait pages with columns cut off.
    """
    ws.set_paper(A4)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)
    ws.set_footer("&C第 &P 页，共 &N 页")
