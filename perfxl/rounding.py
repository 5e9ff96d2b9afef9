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

    A finite Decimal from 1e-40 up to 1e14 (every figure a table computes) is reduced
    to 15 significant digits by one quantize and rounded by a second: for a value of
    at most 15 digits the first is exact, so this is to_decimal's figure without its
    look at the digits. It costs a tenth of a remembered answer: hashing a Decimal
    made by a division (28 digits) took longer than rounding it twice. From 1e14 on a
    carry of the 15th digit can reach 1e15, where no fraction is kept: the general
    way (_excel_round) takes those, and every other kind of value."""
    if value.__class__ is Decimal and value.is_finite():
        fifteen = _FIFTEEN.get(value.adjusted())
        if fifteen is not None:
            reduced = value.quantize(fifteen, rounding=ROUND_HALF_UP)
            return reduced.quantize(_step(digits), rounding=ROUND_HALF_UP)
    return _excel_round(value, digits)


# the step that keeps 15 significant digits of a value whose first digit is at 10**n
_FIFTEEN = {n: _ONE.scaleb(n - 14) for n in range(-40, _HUGE - 1)}


def _excel_round(value: Decimal | float | int, digits: int = 2) -> Decimal:
    dec = to_decimal(value)
    if not dec.is_finite() or dec.adjusted() >= _HUGE:
        return dec  # beyond Excel's 15 digits there is no fraction left to round
    return dec.quantize(_step(digits), rounding=ROUND_HALF_UP)


def _step(digits: int) -> Decimal:
    """1 for 0 digits, 0.01 for 2, …"""
    return _STEPS[digits] if 0 <= digits <= 28 else _ONE.scaleb(-digits)
