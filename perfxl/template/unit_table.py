"""The units an actual may be typed in, and what each is worth in the row's unit.

A clerk types `12个月` on a 月 row, `3家` on a 个 row, `1.6万` or `16000元` on a 万元 row:
the engine reads every one of them (perfxl.units), so the plain formulas must too, or
the template leaves blank what the engine scores. The formulas cannot call the engine,
so the engine is asked here, once, when the template is built: for every spelling of a
unit it knows (and its traditional-script form) and every unit of the 计量单位
drop-down, the actual `7<spelling>` is read against the target `≥100<unit>` exactly as
perfxl.quantities and perfxl.units.align read them, and the ratio they give becomes
the factor written into a hidden table (perfxl_lists). A formula then only looks up the
text after the number (helper sfx) and the row's unit, and multiplies.

Factors are kept as whole numerator and denominator (`‰` on a % row is 1/10, `个月` on a
年 row is 1/12) so that `value × mul ÷ div` is the correctly rounded double of the
engine's exact decimal, never `value × 0.1` with its binary error.

A spelling is left out (0: the formulas do not read it, the actual is marked red) where
the engine's reading depends on the value rather than on the unit alone: dates and
months of the year, `万` (or `余`) with no unit on a % row (a plain number there, which
the percent rule may then rescale), a percent against a target without a unit. Value-dependent rules that stay (a year such as `2024年`, a month number `13月`)
are checked in the formulas (perfxl.template.actuals).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

import zhconv

from perfxl.model import Quantity, Target
from perfxl.quantities import A_LITTLE_OVER, MULTIPLIERS, parse_actual, parse_target
from perfxl.text import normalize
from perfxl.units import DATE, MONTH_OF_YEAR, UNITS, align, lookup_unit

TEN_THOUSAND = "万"
CALENDAR = (DATE, MONTH_OF_YEAR)
PROBE_ACTUAL, PROBE_TARGET = Decimal(7), Decimal(100)
DIGITS = "0123456789"


def _known(spelling: str) -> bool:
    unit = lookup_unit(spelling)
    return unit is not None and unit.dimension not in CALENDAR


def _base_spellings() -> list[str]:
    """Every spelling perfxl.units names, its 万 forms, and the bare multipliers."""
    found = [s for s in UNITS if _known(s)]
    found += [TEN_THOUSAND + s for s in UNITS if _known(TEN_THOUSAND + s)]
    found += list(MULTIPLIERS)
    return found


def _a_little_over(base: list[str]) -> list[str]:
    """`200余人`, `10多个`, `1.2万余元`: the engine reads the figure (A_LITTLE_OVER), so
    the formulas look these spellings up too; factor() keeps only what the engine reads."""
    found = [word for word in A_LITTLE_OVER]
    for spelling in base:
        found += [word + spelling for word in A_LITTLE_OVER]
        if spelling[:1] in MULTIPLIERS:
            found += [spelling[:1] + word + spelling[1:] for word in A_LITTLE_OVER]
    return found


def _compound_spellings(row_units: tuple[str, ...], base: list[str]) -> list[str]:
    """`万元/人` for a 元/人 row: other numerators over the denominators the drop-down has."""
    found = []
    for unit in row_units:
        if "/" not in unit:
            continue
        _, _, denominator = unit.partition("/")
        found += [f"{numerator}/{denominator}" for numerator in base if "/" not in numerator]
    return found


def _traditional(spelling: str) -> list[str]:
    forms = {zhconv.convert(spelling, loc) for loc in ("zh-tw", "zh-hk")}
    return sorted(f for f in forms if f != spelling and normalize(f) == spelling)


@lru_cache(maxsize=8)
def _target(row_unit: str) -> Target:
    target = parse_target(f"≥{PROBE_TARGET}{row_unit}")
    assert isinstance(target, Target) and target.quantity is not None, row_unit
    return target


def factor(spelling: str, row_unit: str) -> Fraction | None:
    """What one `spelling` typed after a number is worth in `row_unit` ("" for a target
    without a unit), as the engine reads it; None when it does not read it by unit alone."""
    target = _target(row_unit)
    assert target.quantity is not None
    actual = parse_actual(f"{PROBE_ACTUAL}{spelling}", target)
    if not isinstance(actual, Quantity):
        return None
    t_unit, a_unit = target.quantity.unit, actual.unit
    if a_unit is not None and a_unit.dimension in CALENDAR:
        return None
    if t_unit is not None and t_unit.dimension == "percent" and a_unit is None:
        return None  # 7万 on a % row: a plain number, which align may rescale by value
    if t_unit is None and a_unit is not None and a_unit.dimension == "percent":
        return None  # against a unitless target the percent rule depends on the values
    pair = align(target.quantity, actual)
    if not isinstance(pair, tuple):
        return None
    t_value, a_value = pair
    return Fraction(a_value) / Fraction(t_value) * Fraction(PROBE_TARGET) / Fraction(PROBE_ACTUAL)


@lru_cache(maxsize=8)
def unit_table(row_units: tuple[str, ...]) -> tuple[tuple[str, tuple[Fraction | None, ...]], ...]:
    """(spelling, factor in each row unit then in no unit) for every spelling the
    formulas can look up: no digit in it (the formulas find the unit by taking the
    digits away) and read by the engine against at least one of the row units."""
    base = _base_spellings()
    spellings = dict.fromkeys(base + _compound_spellings(row_units, base) + _a_little_over(base))
    for spelling in list(spellings):
        spellings.update(dict.fromkeys(_traditional(spelling)))
    rows = []
    for spelling in spellings:
        if any(d in spelling for d in DIGITS) or "." in spelling:
            continue
        factors = tuple(factor(spelling, unit) for unit in (*row_units, ""))
        if any(f is not None for f in factors[:-1]) or (
            "/" not in spelling and factors[-1] is not None
        ):
            rows.append((spelling, factors))
    return tuple(rows)
