from decimal import Decimal

import pytest

from perfxl.rounding import excel_round


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (1.005, 2, "1.01"),  # Excel 1.01; Python's round gives 1.0
        (2.675, 2, "2.68"),  # binary 2.67499999…; Excel shows 2.68
        ((0.8182 - 0.6) / 0.4 * 5, 2, "2.73"),  # seed 003's execution row
        (5 * 0.3479, 2, "1.74"),  # seed 002's execution row
        (13 * 0.3479, 2, "4.52"),  # seed 002's cost row
        (-2.5, 0, "-3"),  # half away from zero, as Excel
        (0.1 + 0.2, 2, "0.30"),
        (Decimal("0.95257"), 4, "0.9526"),
        (100, 2, "100.00"),
    ],
)
def test_excel_round(value, digits, expected):
    assert excel_round(value, digits) == Decimal(expected)
    assert str(excel_round(value, digits)) == expected


@pytest.mark.parametrize("value", [1e30, 1e308, Decimal("1" + "0" * 40), -1e20])
def test_huge_values_do_not_raise(value):
    assert excel_round(value, 2) == Decimal(repr(value) if isinstance(value, float) else value)
