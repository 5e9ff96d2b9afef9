"""Excel's ROUND on Decimals and floats, pinned by hand (issue 14 item 1).

Excel first reduces a figure to 15 significant digits, then rounds half away from zero.
"""

from decimal import Decimal as D

import pytest

from perfxl.rounding import excel_round, to_decimal


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1 + 0.2, "0.3"),  # the float 0.30000000000000004 is 0.3 to Excel
        (2.7275, "2.7275"),  # stored as 2.72749999999999…, 15 digits give 2.7275
        (1e-05, "0.00001"),
        (D("1.23456789012345678"), "1.23456789012346"),  # 18 digits → 15: …345|678 up
        (D("123456789012345.67"), "123456789012346"),  # 15 digits before the point
        (D("1.000000000000005"), "1.00000000000001"),  # the 16th digit 5: half up
        (D("2.72750000000000"), "2.7275"),  # exactly 15 digits: zeros dropped
        (D("100.000"), "100"),
        (D("1.23456789012345678E-14"), "1.23456789012346E-14"),  # tiny: still 15 digits
        (D("1.23456789012345678E-20"), "1.23456789012346E-20"),
        (D("1234567890123456.7"), "1234567890123456.7"),  # from 1e15 on: kept as it is
    ],
)
def test_to_decimal(value, expected):
    got = to_decimal(value)
    assert (got, str(got)) == (D(expected), expected)


def test_to_decimal_keeps_what_is_not_a_finite_number():
    assert str(to_decimal(D("Infinity"))) == "Infinity"
    assert to_decimal(D("NaN")).is_nan()
    assert str(to_decimal(float("inf"))) == "Infinity"
    assert to_decimal(D(0)) == 0


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (D("2.72749999999999999"), 2, "2.73"),  # 15 digits: 2.72750000000000 → 2.73
        (D("2.725"), 2, "2.73"),  # half up, not half even (2.72)
        (D("-2.725"), 2, "-2.73"),  # half away from zero
        (2.7275, 2, "2.73"),  # the float as Excel: 2.7275 → 2.73
        (0.12345, 4, "0.1235"),  # float at 4 digits: 0.12345 → 0.1235
        (D("0.12345"), 4, "0.1235"),
        (D("1234.5"), -2, "1.2E+3"),  # ROUND(1234.5, -2) = 1200
        (D("1250"), -2, "1.3E+3"),  # ROUND(1250, -2) = 1300 (half up)
        (D("0.5"), 0, "1"),
        (D("1234567890123456.785"), 2, "1234567890123456.785"),  # no fraction left to round
        (D("1E+30"), 2, "1E+30"),
        (D(0), 2, "0.00"),
        (7, 2, "7.00"),
    ],
)
def test_excel_round(value, digits, expected):
    got = excel_round(value, digits)
    assert (got, str(got)) == (D(expected), expected)


def test_excel_round_default_is_two_digits():
    assert excel_round(D("2.345")) == D("2.35")
    assert excel_round(2.345) == D("2.35")  # the float 2.34499999… is 2.345 to Excel


def test_excel_round_remembers_nothing_wrong():
    # the same figure at two precisions, and two figures in turn, each rounded afresh
    assert excel_round(D("0.81825"), 4) == D("0.8183")
    assert excel_round(D("0.81825"), 2) == D("0.82")
    assert excel_round(D("0.81835"), 4) == D("0.8184")
    assert excel_round(D("0.81825"), 4) == D("0.8183")


def test_excel_round_of_infinity_and_nan():
    assert str(excel_round(D("Infinity"), 2)) == "Infinity"
    assert excel_round(D("NaN"), 2).is_nan()


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        # 16 digits below 1e15: the 15th digit carries (…9|5 up) to 1e15, where Excel keeps
        # no fraction: 1000000000000000, not 1000000000000000.00
        (D("999999999999999.5"), 2, "1000000000000000"),
        # just below 1e14 the carry stays below 1e15: 99999999999999.95 → 100000000000000.0
        # at 15 digits, then two decimals
        (D("99999999999999.95"), 2, "100000000000000.00"),
        # 2/3 as a division gives it (28 digits): 15 digits 0.666666666666667, then 0.67
        (D(2) / D(3), 2, "0.67"),
        (D(-2) / D(3), 4, "-0.6667"),
        (D("-0.001"), 2, "-0.00"),  # half away from zero leaves a negative zero, as before
        (D("0E+5"), 2, "0.00"),
        (D("1E-41"), 2, "0.00"),  # below 1e-40: the general way, the same figure
    ],
)
def test_excel_round_at_the_edges_of_its_quick_way(value, digits, expected):
    got = excel_round(value, digits)
    assert (got, str(got)) == (D(expected), expected)


def test_excel_round_quick_way_equals_the_general_way():
    # differential: excel_round's quick way for Decimals against _excel_round (to_decimal,
    # then one quantize), which the hand-worked cases above pin; digit for digit, exponent
    # and sign included, over quotients like the engine's (28 digits), short figures,
    # halves at the 15th and at the rounded digit, and magnitudes from 1e-45 to 1e16
    import random

    from perfxl.rounding import _excel_round

    rng = random.Random(14)
    values = []
    for _ in range(4000):
        values.append(D(rng.randint(-(10**6), 10**6)) / D(rng.randint(1, 10**4)))
        values.append(D(rng.randint(-(10**17), 10**17)).scaleb(rng.randint(-60, 0)))
        half = D(rng.randint(1, 10**14) * 10 + 5)  # 16 digits ending in 5
        values.append(half.scaleb(rng.randint(-45, 1)))
        values.append(D(f"{rng.choice('-+')}{rng.randint(0, 999)}.{rng.randint(0, 999):03d}5"))
        values.append(D("9" * rng.randint(14, 17) + "." + "9" * rng.randint(0, 3)))
    for value in values:
        for digits in (0, 1, 2, 4, -1):
            assert str(excel_round(value, digits)) == str(_excel_round(value, digits)), value
