"""A list sheet under a title and a one-line explanation (未报送, 结果应用, 核查抽样).

These sheets answer a question the bureau hands upward, so the first lines say what
the list is and on what basis (the settings used, the random seed); the table's header
is on row 3 and is the row repeated on every printed page, as in 说明.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from perfxl.summary.table import Column, Formats, ListSheet, print_setup, write_table

HEADER_ROW = 2  # 0-based: title, explanation, then the table


def titled_table(
    book: Workbook,
    formats: Formats,
    name: str,
    title: str,
    note: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
) -> tuple[Worksheet, int]:
    """Write the sheet; returns it and the number of table rows written."""
    ws = book.add_worksheet(name, worksheet_class=ListSheet)
    ws.write_string(0, 0, title, formats.title)
    ws.write_string(1, 0, note, formats.kinds["text"])
    count = write_table(ws, formats, columns, rows, top=HEADER_ROW)
    print_setup(ws, header_row=HEADER_ROW)
    return ws, count
