"""How far a sheet part reaches, measured from its XML before calamine sees it.

python-calamine allocates a sheet's whole used range before it hands back a value: one
stray cell at XFD1048576 (a space typed far away, a pasted column) makes it ask for
512 GiB and abort the process, a `0` in T1048576 costs about 0.9 GB. A unit's table is
a few dozen rows and columns, so a sheet part is measured before calamine sees it, and
one that reaches too far is read bounded instead (see perfxl.reader.grid).

The measure must bound what calamine will allocate, whatever the XML says, so it takes
nothing on trust: not that rows ascend (calamine sizes the range by the largest row it
meets, wherever it stands), not that rows and cells carry `r=` (calamine numbers a row
without one as the next row and a cell without one as the next column, so 38 KB of
`<row><c><v>1</v></c></row>` after a real table reach row 1,048,576), not that
references stay within XFD1048576. Every `<row>` and `<c>` tag is looked at as it
streams past, and a row or cell without a readable `r` is counted one past the highest
row (or the row's highest column) seen so far: an upper bound of calamine's own count.
The scan stops as soon as the part is known to be too large, so an attack costs only
the bytes up to that point. Empty rows and empty formatted cells count like Excel's
used range does, although calamine skips them: reading such a sheet bounded loses
nothing of a table that fits the bounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from perfxl.model import column_letter
from perfxl.reader.formulas import has_formulas

MAX_ROWS = 5_000  # beyond this a sheet is read bounded
MAX_CELLS = 500_000  # rows × columns beyond this too
READ_ROWS = 2_000  # what is read of a sheet that is too large
READ_COLUMNS = 60
EXCEL_COLUMNS = 16_384  # XFD
_HUGE = 10**9  # a row or column number this long is beyond any sheet: counted as huge

# a row or cell start tag, any prefix; its attributes run to the next ">" (a ">" inside
# a quoted value cuts them short, which can only hide an r and so only count more)
_TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])")
_TAG_END = re.compile(rb"[<>]")
# an r attribute (a prefixed one counts too): letters then digits, as calamine reads them
_R = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?r\s*=\s*["']([A-Za-z]*)([0-9]*)""")
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']""")


@dataclass
class Extent:
    rows: int = 0  # the highest row a reader may number, 1-based
    columns: int = 0  # the highest column likewise

    @property
    def too_large(self) -> bool:
        return self.rows > MAX_ROWS or self.rows * self.columns > MAX_CELLS


def _number(digits: bytes) -> int:
    return _HUGE if len(digits) > 9 else int(digits)


def _column_number(letters: bytes) -> int:
    if len(letters) > 6:
        return _HUGE
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


def measure(xml: bytes, stop_when_large: bool = False, exact: bool = False) -> Extent:
    """The rows and columns a reader may allocate for this part (see module docstring).

    Byte searches first, which settle the usual part at C speed: when no tag has a
    prefix and every tag is written `<row r="12"` or `<c r="A12"` (all writers seen do
    so), the extent is the largest row and column among those references. A part whose
    references all stay within CZ3999 (SMALL_COLUMNS, SMALL_ROWS) is known small without
    finding the largest (unless `exact`): a filled-in template's sheets of a few hundred
    KB, 40-odd columns wide, are settled by the same byte searches as a small table.
    Otherwise every tag is walked in order (`_walk`); with `stop_when_large` the walk
    ends once the part is known too large.
    """
    if _PREFIXED.search(xml) is None:
        # one pass for the usual part: no tag but `<c r="A1…CZ3999"` / `<row r="1…3999"`
        small = _ODD_OR_FAR.search(xml) is None
        if small and not exact and not _other_r(xml):
            # and no r attribute but the one right after each such tag's name: the
            # count below would find one r a tag; every reference is within CZ3999
            cells, rows = b'<c r="' in xml, b'<row r="' in xml
            return _small(rows, cells)
        written_well = small or _TAG_WITHOUT_R_FIRST.search(xml) is None
    else:
        small = written_well = False
    if written_well:
        # every <c …> and <row …> tag is written `<c r="` or `<row r="`: count those
        cells = xml.count(b'<c r="')
        rows = xml.count(b'<row r="')
        if _r_attributes(xml) == cells + rows:  # one r a tag: calamine takes the last
            if small and not exact:  # every reference within CZ3999
                return _small(rows, cells)
            refs = _CELL_R.findall(xml)
            numbers = _ROW_R.findall(xml)
            if len(refs) == cells and len(numbers) == rows and all(a and n for a, n in refs):
                letters, digits = zip(*refs, strict=True) if refs else ((), ())
                highest = max(_largest(digits), _largest(numbers))
                return Extent(highest, _largest_column(letters))
    return _walk(xml, stop_when_large)


_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
# a <c or <row tag (<c or <row, then whitespace, / or >) not written `<c r="` / `<row r="`
_TAG_WITHOUT_R_FIRST = re.compile(rb'<(?:c|row)(?:[\t\n\r\f\v/>]| (?!r="))')
# _TAG_WITHOUT_R_FIRST, or a `<c r="` not followed by A1 … CZ3999, or a `<row r="` not
# followed by 1 … 3999, in one pattern (one pass over the part instead of three); a
# leading 0 is not small (calamine reads r="A0999" as row 999, the pattern stays simple)
SMALL_ROWS = 3_999  # [1-3]ddd or up to 3 digits
SMALL_COLUMNS = 104  # CZ: an optional A-C, then a letter
assert SMALL_ROWS <= MAX_ROWS and SMALL_ROWS * SMALL_COLUMNS <= MAX_CELLS  # small: not too large
_SMALL_ROW = rb"(?:[1-3][0-9]{3}|[0-9]{1,3})"
# (each look-ahead first tries the most usual reference, one letter and one or two
# digits, which the regex engine settles in fewer steps than the general one)
_SMALL_TAGS = (
    rb'c(?:[\t\n\r\f\v/>]| (?!r="[A-Z][0-9]{1,2}+"|r="[A-Ca-c]?[A-Za-z]'
    + _SMALL_ROW
    + rb'"))|row(?:[\t\n\r\f\v/>]| (?!r="'
    + _SMALL_ROW
    + rb'"))'
)
_ODD_OR_FAR = re.compile(rb"<(?:" + _SMALL_TAGS + rb")")


def _small(rows: bool, cells: bool) -> Extent:
    """The bound of a part whose every reference is within CZ3999."""
    return Extent(SMALL_ROWS if rows or cells else 0, SMALL_COLUMNS if cells else 0)


# an r attribute as _r_attributes counts it (whitespace, r, = or whitespace) that does
# not stand right after `<c ` or `<row ` (found from its r: a rare first byte)
_OTHER_R = re.compile(rb"r[ \t\n\r=](?<=[ \t\n\r]r.)(?<!<c r.)(?<!<row r.)", re.DOTALL)
# the same when every r attribute follows a space: found from " r", rarer than "r"
_SPACE_R = re.compile(rb" r[ \t\n\r=](?<!<c r.)(?<!<row r.)", re.DOTALL)


def _other_r(xml: bytes) -> bool:
    """Whether the part has an r attribute (as _r_attributes counts them) other than
    the one right after `<c ` or `<row `, as _OTHER_R finds them. When no tab or line
    break follows the XML declaration, every such r past it follows a space, and
    _SPACE_R, which stops at far fewer places, gives the same answer (an r inside the
    declaration is no tag's)."""
    start = _after_declaration(xml)
    if any(xml.find(space, start) >= 0 for space in (b"\t", b"\n", b"\r")):
        return _OTHER_R.search(xml) is not None
    return _SPACE_R.search(xml) is not None


def _after_declaration(xml: bytes) -> int:
    """Where the part goes on after its XML declaration and the line break after it
    (0 without a plain one): a declaration holds no tag, so the tab and line-break
    looks may start there."""
    if not xml.startswith(b"<?xml"):
        return 0
    end = xml.find(b"?>", 0, 200)
    if end < 0 or xml.find(b"<", 1, end) >= 0:  # not a declaration without any tag in it
        return 0
    start = end + 2
    while xml[start : start + 1] in (b"\r", b"\n"):
        start += 1
    return start if xml[start : start + 1] in (b"<", b"") else end + 2


_CELL_R = re.compile(rb'<c r="([A-Za-z]*)([0-9]*)"')
_SPACES = bytes.maketrans(b"\t\n\r", b"   ")


def _r_attributes(xml: bytes) -> int:
    """At least the number of unprefixed r attributes in the part's tags (calamine
    ignores a prefixed one): each is whitespace, r, then = or more whitespace.

    Tabs and line breaks count as spaces. The usual part has none past its XML
    declaration (which holds no tag), so it is counted in place, without a copy."""
    start = _after_declaration(xml)
    if all(xml.find(space, start) < 0 for space in (b"\t", b"\n", b"\r")):
        return xml.count(b" r=", start) + xml.count(b" r ", start)
    spaced = xml.translate(_SPACES)
    return spaced.count(b" r=") + spaced.count(b" r ")


_ROW_R = re.compile(rb'<row r="([0-9]+)"')


def _largest(digits) -> int:
    if not digits:
        return 0
    longest = max(map(len, digits))
    return _HUGE if longest > 9 else max(map(int, digits))


def _largest_column(letters: tuple[bytes, ...]) -> int:
    names = [name for name in letters if name]
    if not names:
        return 0
    longest = max(map(len, names))
    if longest > 6:
        return _HUGE
    return _column_number(max(map(bytes.upper, (n for n in names if len(n) == longest))))


def _walk(xml: bytes, stop_when_large: bool) -> Extent:
    """Every row and cell tag in order, numbered as calamine numbers them, or higher."""
    extent = Extent()
    row = 0  # the current row's number
    col = 0  # the highest column in the current row so far
    for tag in _TAG.finditer(xml):
        # the attributes end at the next ">" or, in a broken part, at the next "<": never
        # past the next tag, so the walk reads every byte once
        end = _TAG_END.search(xml, tag.end())
        attrs = xml[tag.end() : end.start() if end else len(xml)]
        number = letters = 0  # the largest of each that the tag's r attributes give
        if b"r" in attrs:
            for attr in _R.finditer(attrs):
                if attr.group(1):
                    letters = max(letters, _column_number(attr.group(1)))
                if attr.group(2):
                    number = max(number, _number(attr.group(2)))
        if tag.group(1) == b"row":
            row = number or extent.rows + 1
            col = 0
            extent.rows = max(extent.rows, row)
        else:
            col = letters or col + 1
            extent.rows = max(extent.rows, number or row or 1)
            extent.columns = max(extent.columns, col)
        if stop_when_large and extent.too_large:
            break
    return extent


def survey(xml: bytes) -> tuple[bool, bool]:
    """`too_large(xml)` and `formulas.has_formulas(xml)` together, for the usual part in
    three passes instead of five: formula tags are looked for by the same passes that
    look at the cell and row tags.

    A prefixed formula (`<x:f>`) is found by the pass that looks for prefixed tags, an
    unprefixed one (`<f>`) by the pass over every tag; any part the passes do not
    settle (prefixed cell or row tags, a tag not written `<c r="A1…CZ3999"` or
    `<row r="1…3999"`, another r attribute) is measured and searched as before.
    """
    formulas = False
    prefixed = _PREFIXED_OR_F.search(xml)
    if prefixed is not None and xml[prefixed.start() + 1] == _F:  # a prefixed f first
        formulas = has_formulas(xml)  # `:f ` may be an attribute: asked in full
        prefixed = _PREFIXED.search(xml, prefixed.end())
    if prefixed is None:
        odd = _ODD_FAR_OR_F.search(xml)
        if odd is not None and xml[odd.start() + 1] == _F:  # an <f> tag: formulas; go on
            formulas = True
            odd = _ODD_OR_FAR.search(xml, odd.end())
        if odd is None and not _other_r(xml):
            return False, formulas  # every reference within CZ3999: not too large
    return too_large(xml), has_formulas(xml)


# _PREFIXED or a prefixed formula tag; _ODD_OR_FAR or an unprefixed one (a match is
# a formula tag when its second byte is the f: no group, which would cost a step at
# every "<")
_PREFIXED_OR_F = re.compile(rb":(?:c|row|f)[\s/>]")
_ODD_FAR_OR_F = re.compile(rb"<(?:" + _SMALL_TAGS + rb"|f[\s/>])")
_F = ord("f")


def last_row(xml: bytes) -> int:
    """The highest row a reader may number in this part (0 when it has none)."""
    return measure(xml, exact=True).rows


def too_large(xml: bytes) -> bool:
    """True when the part reaches beyond MAX_ROWS rows or MAX_CELLS cells from A1."""
    return measure(xml, stop_when_large=True).too_large


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
    if not far:  # rows numbered past the cells (empty, or without r): Excel counts them
        return f"第 {last_row(xml)} 行"
    return "、".join(f"{column_letter(col)}{row}" for row, col in far)
