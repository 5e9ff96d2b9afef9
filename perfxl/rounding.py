"""Excel-exact rounding.

Python's round() is half-even and binary floats sit just below many halves, so
ROUND(2.7275, 2) would come out 2.72 where Excel shows 2.73. Excel first reduces a
value to 15 significant digits and then rounds half away from zero; doing the same on
Decimals keeps every figure perfxl prints identical to the spreadsheet's.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_ONE = Decimal(1)
_HUGE = 15  # from 1e15 on, Excel keeps no digit after the point (and Decimal's 28 may overflow)
_STEPS = {digits: _ONE.scaleb(-digits) for digits in range(0, 29)}  # 1, 0.1, 0.01, …


def to_decimal(value: Decimal | float | int | str) -> Decimal:
    """A Decimal reduced to Excel's 15 significant digits."""
    if isinstance(value, float):
        # '.15g' keeps 15 significant digits and drops trailing zeros; it writes an
        # exponent only from 1e15 on (kept, as for Decimals) or for small fractions
        return Decimal(format(value, ".15g"))
    dec = value if isinstance(value, Decimal) else Decimal(value)
    if not dec.is_finite() or dec.is_zero() or dec.adjusted() >= _HUGE:
        return dec
    if len(dec.as_tuple().digits) <= 15:  # nothing beyond Excel's precision
        return _strip_zeros(dec)
    places = max(15 - (dec.adjusted() + 1), 0)  # digits after the point that survive
    # 15 digits fit Decimal's 28 whatever the places (1.23…E-20 has 34 of them)
    return _strip_zeros(dec.quantize(_ONE.scaleb(-places), rounding=ROUND_HALF_UP))


def _strip_zeros(dec: Decimal) -> Decimal:
    """87.2600000000000 -> 87.26 and 100.000 -> 100, never 1E+2."""
    if dec == dec.to_integral_value():
        return dec.quantize(Decimal(1))
    return dec.normalize()


def excel_round(value: Decimal | float | int, digits: int = 2) -> Decimal:
    """ROUND(value, digits) as Excel computes it (half away from zero).

    Remembered per finite, non-zero Decimal (and digits) in a process: a county's
    tables round the same figures over and over. Equal Decimals round alike whatever
    their exponent (to_decimal reduces them to one form first); zero keeps its sign
    and NaN is unhashable, so neither is remembered."""
    if value.__class__ is not Decimal or not value.is_finite() or not value:
        return _excel_round(value, digits)
    key = (value, digits)
    rounded = _ROUNDED.get(key)
    if rounded is None:
        rounded = _excel_round(value, digits)
        if len(_ROUNDED) >= 8192:
            _ROUNDED.clear()
        _ROUNDED[key] = rounded
    return rounded


_ROUNDED: dict[tuple[Decimal, int], Decimal] = {}


def _excel_round(value: Decimal | float | int, digits: int = 2) -> Decimal:
    dec = to_decimal(value)
    if not dec.is_finite() or dec.adjusted() >= _HUGE:
        return dec  # beyond Excel's 15 digits there is no fraction left to round
    step = _STEPS[digits] if 0 <= digits <= 28 else _ONE.scaleb(-digits)
    return dec.quantize(step, rounding=ROUND_HALF_UP)
