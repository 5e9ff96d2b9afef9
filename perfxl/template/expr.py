"""Small pieces of formula text shared by the template's formula builders.

Only functions that Excel 2010, WPS and LibreOffice all evaluate the same way are used
(IF, IFERROR, AND, OR, NOT, MIN, MAX, ABS, ROUND, ROUNDDOWN, SUM, SUMIF, SUMPRODUCT,
COUNTIF, INDEX, N, ISNUMBER, VALUE, LEN, TRIM, LEFT, RIGHT, FIND, SUBSTITUTE, EXACT,
CHAR); no LET, no dynamic arrays.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import zhconv

DIGITS = "0123456789"
# What perfxl.text.normalize drops (spaces, line breaks) or folds (FULL_WIDTH) before the
# engine reads an actual, for the spellings a keyboard gives.
SPACES = (" ", "\u3000", "\u00a0")
FULL_WIDTH = {chr(0xFF10 + d): str(d) for d in range(10)} | {"．": ".", "％": "%"}
TRADITIONAL = ("zh-tw", "zh-hk")  # scripts whose spellings of the phrases are looked for too


def num(value: Decimal | int | float) -> str:
    """A number as a formula literal: 0.6, 1, 0.4 (never 1E+1)."""
    dec = Decimal(str(value))
    if dec == dec.to_integral_value():
        return str(int(dec))
    return format(dec.normalize(), "f")


def text(value: str) -> str:
    """A string literal."""
    return '"' + value.replace('"', '""') + '"'


def filled(cell: str) -> str:
    return f"LEN(TRIM({cell}))>0"


def blank(cell: str) -> str:
    return f"LEN(TRIM({cell}))=0"


def any_of(expr: str, values: tuple[str, ...] | list[str]) -> str:
    """expr equals one of the strings (FALSE for an empty list)."""
    if not values:
        return "FALSE"
    tests = [f"{expr}={text(v)}" for v in values]
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def contains(expr: str, part: str) -> str:
    return f"ISNUMBER(FIND({text(part)},{expr}))"


def contains_any(expr: str, parts: Iterable[str]) -> str:
    """expr contains one of the parts (FALSE for none)."""
    tests = [contains(expr, part) for part in parts]
    if not tests:
        return "FALSE"
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def without(expr: str, chars: str | tuple[str, ...]) -> str:
    """expr with every one of the characters (or strings) removed."""
    for ch in chars:
        expr = f'SUBSTITUTE({expr},{text(ch)},"")'
    return expr


def compact(expr: str) -> str:
    """A cell's text as the engine compares it: no spaces or line breaks, and the
    full-width digits, point and % of a Chinese keyboard half-width."""
    folded = f'SUBSTITUTE({without(expr, SPACES)},CHAR(10),"")'
    for wide, narrow in FULL_WIDTH.items():
        folded = f"SUBSTITUTE({folded},{text(wide)},{text(narrow)})"
    return folded


def spellings(phrases: Iterable[str]) -> list[str]:
    """The phrases and their traditional-script forms, which the engine folds into them
    (perfxl.text.normalize) before it looks for a phrase: 未達成 is 未达成 there too."""
    found = dict.fromkeys(phrases)
    for phrase in list(found):
        found.update(dict.fromkeys(zhconv.convert(phrase, loc) for loc in TRADITIONAL))
    return list(found)
