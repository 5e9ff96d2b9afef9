"""Excel-exact rounding.

Python's round() is half-even and binary floats sit just below many halves, so
ROUND(2.7275, 2) would come out 2.72 where Excel shows 2.73. Excel first reduces a
value to 15 significant digits and then rounds half away from zero; doing the same on
Decimals keeps every figure perfxl prints identical to the spreadsheet's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def to_decimal(value: Decimal | float | int | str) -> Decimal:
    """A Decimal reduced to Excel's 15 significant digits."""
    if isinstance(value, Decimal):
        dec = value
    elif isinstance(value, float):
        dec = Decimal(format(value, ".15g"))
    else:
        dec = Decimal(value)
    if not dec.is_finite() or dec.is_zero():
        return dec
    digits = dec.adjusted() + 1  # digits before the decimal point
    places = max(15 - digits, 0)
    if places < 28:
        dec = dec.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return _strip_zeros(dec)


def _strip_zeros(dec: Decimal) -> Decimal:
    """87.2600000000000 -> 87.26 and 100.000 -> 100, never 1E+2."""
    if dec == dec.to_integral_value():
        return dec.quantize(Decimal(1))
    return dec.normalize()


def excel_round(value: Decimal | float | int, digits: int = 2) -> Decimal:
    """ROUND(value, digits) as Excel computes it (half away from zero)."""
    dec = to_decimal(value)
    return dec.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
