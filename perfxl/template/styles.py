"""Cell formats of the templates (XlsxWriter), created once per workbook.

Input cells are unlocked and light yellow, computed cells locked and pale green, labels
grey: the sheet is protected, so the colours tell a clerk what can be typed.
"""

from __future__ import annotations

from typing import Any, ClassVar

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

FONT = "宋体"
INPUT_FILL = "#FFF2CC"  # light yellow: type here
COMPUTED_FILL = "#E2EFDA"  # pale green: a formula
LABEL_FILL = "#D9D9D9"
WARN_FILL = "#F8CBAD"  # conditional formats: something to fix
ERROR_FILL = "#FF9999"

_BASE: dict[str, Any] = {
    "font_name": FONT,
    "font_size": 10,
    "border": 1,
    "valign": "vcenter",
    "text_wrap": True,
}


class Styles:
    """Named formats; `get(name)` returns the same Format object every time."""

    SPECS: ClassVar[dict[str, dict[str, Any]]] = {
        "title": {"bold": True, "font_size": 16, "border": 0, "align": "center"},
        "subtitle": {"border": 0, "align": "center"},
        "label": {"bold": True, "align": "center", "bg_color": LABEL_FILL},
        "label_left": {"bold": True, "align": "left", "bg_color": LABEL_FILL},
        "input": {"locked": False, "bg_color": INPUT_FILL, "align": "center"},
        "input_left": {"locked": False, "bg_color": INPUT_FILL, "align": "left"},
        "input_money": {"locked": False, "bg_color": INPUT_FILL, "num_format": "0.00"},
        "input_number": {"locked": False, "bg_color": INPUT_FILL, "align": "center"},
        "fixed": {"align": "center"},
        "fixed_left": {"align": "left"},
        "rate": {"bg_color": COMPUTED_FILL, "num_format": "0.00%", "align": "center"},
        "score": {"bg_color": COMPUTED_FILL, "num_format": "0.00", "align": "center"},
        "computed": {"bg_color": COMPUTED_FILL, "align": "center"},
        "note": {"border": 0, "align": "left", "font_size": 9, "italic": True},
        "helper": {"border": 0, "font_color": "#808080"},
        "text": {"border": 0, "align": "left", "valign": "top"},
        "heading": {"border": 0, "bold": True, "font_size": 12, "align": "left"},
        "warn": {"border": 0, "bg_color": WARN_FILL},
        "error": {"border": 0, "bg_color": ERROR_FILL},
    }

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self._cache: dict[str, Format] = {}

    def get(self, name: str) -> Format:
        if name not in self._cache:
            spec = {**_BASE, **self.SPECS[name]}
            if name in ("warn", "error"):  # conditional formats: fill only
                spec = dict(self.SPECS[name])
            self._cache[name] = self.workbook.add_format(spec)
        return self._cache[name]
