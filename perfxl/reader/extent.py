"""How far a sheet part reaches, estimated from its bytes without parsing it.

python-calamine allocates a sheet's whole used range before it hands back a value: one
stray cell at XFD1048576 (a space typed far away, a pasted column) makes it ask for
512 GiB and abort the process, a `0` in T1048576 costs about 0.9 GB. A unit's table is
a few dozen rows and columns, so a sheet part is measured before calamine sees it, and
one that reaches too far is read bounded instead (see perfxl.reader.grid).

The measure is cheap on purpose, since every file pays it: rows come in ascending order,
so the last `<row r="N"` found from the end of the part gives the last row; a cell
reference with three letters means at least 703 columns, and the exact last column is
worked out only when the rows alone do not settle the question. Empty rows and empty
formatted cells count like Excel's used range does, although calamine skips them:
reading such a sheet bounded loses nothing of a table that fits the bounds.
"""

from __future__ import annotations

import re

from perfxl.model import column_letter

MAX_ROWS = 5_000  # beyond this a sheet is read bounded
MAX_CELLS = 500_000  # rows × columns beyond this too
READ_ROWS = 2_000  # what is read of a sheet that is too large
READ_COLUMNS = 60
EXCEL_COLUMNS = 16_384  # XFD

_ROW_TAG = b'row r="'  # every writer seen puts r first: <row r="12" spans=…>
_ROW_START = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s(?:[^>]*?\s)?r="([0-9]+)"')
_THREE_LETTERS = re.compile(rb' r="[A-Z]{3}[0-9]')
_COLUMN = {n: re.compile(rb' r="([A-Z]{%d})[0-9]' % n) for n in (2, 3)}
_CELL_REF = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def last_row(xml: bytes) -> int:
    """The number of the sheet's last row element (0 when it has none)."""
    at = xml.rfind(_ROW_TAG)
    if at > 0 and xml[at - 1 : at] in (b"<", b":"):  # <row r= or a prefixed <x:row r=
        start = at + len(_ROW_TAG)
        end = xml.find(b'"', start, start + 12)
        if end > start and xml[start:end].isdigit():
            return int(xml[start:end])
    # rows written otherwise (r not first, or left out): the largest row number or cell
    # reference, or the count of rows, which is where a reader that numbers rows itself
    # puts the last one
    numbered = max((int(m.group(1)) for m in _ROW_NUMBER.finditer(xml)), default=0)
    farthest = max((int(m.group(2)) for m in _CELL_REF.finditer(xml)), default=0)
    return max(numbered, farthest, len(_ROW_START.findall(xml)))


def _last_column(xml: bytes, letters: int) -> int:
    """The largest column among the cell references with `letters` letters."""
    return max((_column_number(m.group(1)) for m in _COLUMN[letters].finditer(xml)), default=0)


def too_large(xml: bytes) -> bool:
    """True when the part reaches beyond MAX_ROWS rows or MAX_CELLS cells from A1."""
    rows = last_row(xml)
    if rows > MAX_ROWS:
        return True
    if rows * EXCEL_COLUMNS <= MAX_CELLS:
        return False  # a few rows: even all 16,384 columns are affordable
    if _THREE_LETTERS.search(xml):  # 703 columns or more
        return rows * 703 > MAX_CELLS or rows * _last_column(xml, 3) > MAX_CELLS
    if rows * 702 <= MAX_CELLS:
        return False  # at most ZZ: no need to know the exact last column
    return rows * _last_column(xml, 2) > MAX_CELLS


def far_cells(xml: bytes) -> str:
    """The cells that make a too-large part large, as Excel names them (XFD1048576).

    Only asked for parts that `too_large` flagged, so the full scan is rare.
    """
    low_cell = wide_cell = None  # (row, col) of the lowest and the rightmost cell
    for match in _CELL_REF.finditer(xml):
        row, col = int(match.group(2)), _column_number(match.group(1))
        if low_cell is None or row >= low_cell[0]:
            low_cell = (row, col)
        if wide_cell is None or col > wide_cell[1]:
            wide_cell = (row, col)
    if low_cell is None or wide_cell is None:
        return f"第 {last_row(xml)} 行"
    far = []
    if low_cell[0] > READ_ROWS:
        far.append(low_cell)
    if wide_cell[1] > READ_COLUMNS and wide_cell not in far:
        far.append(wide_cell)
    if not far:  # empty rows far below the cells: Excel counts them, calamine does not
        return f"第 {last_row(xml)} 行"
    return "、".join(f"{column_letter(col)}{row}" for row, col in far)
