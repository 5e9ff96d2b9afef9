"""Whether a cell is formatted as a percentage, read from the workbook's own XML.

python-calamine hands back values without their number formats, and a typed 执行率
needs one: 1.0259 shown as 102.59% is a fraction, 81.82 shown as 81.82 was typed in
percent. Only the few funds cells whose figure could be read either way ask, so the
styles part is parsed on the first question about a workbook and never for the rest:
the sheet part's `<c r="H6" s="8"` gives the style, the style's numFmtId gives the
format (the built-in 9 and 10 are 0% and 0.00%; a custom code with % outside quotes
is a percentage too).
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

from perfxl.model import column_letter

_BUILTIN_PERCENT = frozenset({9, 10})
_QUOTED = re.compile(r'"[^"]*"|\\.')


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class PercentStyles:
    """Which cell styles (the s index) are percentage formats, parsed once."""

    def __init__(self, styles_xml: bytes | None) -> None:
        self._xml = styles_xml
        self._percent: frozenset[int] | None = None

    def percent(self, style: int) -> bool | None:
        """True or False for a known style; None when the styles cannot be read."""
        if self._percent is None:
            if self._xml is None:
                return None
            try:
                self._percent = _percent_styles(self._xml)
            except Exception:  # no styles known: the caller decides without a format
                self._xml = None
                return None
        return style in self._percent


def _percent_styles(xml: bytes) -> frozenset[int]:
    root = ElementTree.fromstring(xml)
    custom: dict[int, bool] = {}
    found: list[int] = []
    for element in root:
        name = _local(element.tag)
        if name == "numFmts":
            for fmt in element:
                code = _QUOTED.sub("", fmt.get("formatCode") or "")
                if (fmt_id := fmt.get("numFmtId") or "").isdigit():
                    custom[int(fmt_id)] = "%" in code
        elif name == "cellXfs":
            for index, xf in enumerate(element):
                fmt_id = xf.get("numFmtId") or "0"
                number = int(fmt_id) if fmt_id.isdigit() else 0
                if custom.get(number, number in _BUILTIN_PERCENT):
                    found.append(index)
    return frozenset(found)


def cell_style(sheet_xml: bytes, row: int, col: int) -> int | None:
    """The s index of the cell at 0-based (row, col), 0 when unstyled, None when the
    cell is not written as `<c r="H6"` (then its style is not known)."""
    ref = f"{column_letter(col + 1)}{row + 1}".encode()
    at = sheet_xml.find(b'<c r="' + ref + b'"')
    if at < 0:
        return None
    end = sheet_xml.find(b">", at)
    match = re.search(rb'\ss="([0-9]{1,9})"', sheet_xml[at:end])
    return int(match.group(1)) if match else 0
