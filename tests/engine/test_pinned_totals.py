"""总分 in perfxl.totals (split out of perfxl.scoring): pinned after the mutation re-run of
issue 14 item 1, the first under the module's own name."""

from decimal import Decimal as D

from perfxl.profiles import load_profile
from perfxl.totals import combine_total

MOF = load_profile("mof2020")


def test_nothing_left_out_is_the_plain_sum_even_at_fifteen_digits():
    # rows of 99,999,999,999,999.9 (full marks) and 0.05 of 101: nothing is left out, so
    # the total is the sum itself, 99,999,999,999,999.95 (16 significant digits). Excel
    # keeps 15: 99,999,999,999,999.95 → 100,000,000,000,000.0 (half up), shown
    # 100000000000000.00. "Rescaling" by possible / possible would not be exact here:
    # 99,999,999,999,999.95 × 100,000,000,000,100.9 has 32 digits, Decimal keeps 28, and
    # dividing back gives 99,999,999,999,999.94999999999995 → 99,999,999,999,999.9
    rows = [(D("99999999999999.9"), D("99999999999999.9")), (D("101"), D("0.05"))]
    assert combine_total(rows, MOF) == D("100000000000000.00")


def test_all_rows_left_out_total_zero():
    # every row not applicable: nothing earned and nothing to share it over → 0.00
    assert combine_total([(D(10), None), (D(20), None)], MOF) == D("0.00")


def test_two_rows_left_out_are_both_shared_out():
    # 60 of 60 earned, rows of 20 and 20 not applicable: possible 100, left out 20 + 20 =
    # 40 → 60 × 100 / (100 − 40) = 100.00 (counting only the last row left out would
    # give 60 × 100 / 80 = 75.00)
    rows = [(D(60), D(60)), (D(20), None), (D(20), None)]
    assert combine_total(rows, MOF) == D("100.00")
