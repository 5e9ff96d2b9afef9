"""Date targets read by perfxl.quantities: pinned after the mutation re-run of issue 14
item 1 (the date branch of the target reader)."""

from decimal import Decimal as D

from perfxl.model import Direction, Quantity, Target, TextProblem
from perfxl.quantities import parse_target
from perfxl.units import DATE_UNIT

DECEMBER_2023 = Quantity(D(2023 * 12 + 12), DATE_UNIT)  # year × 12 + month = 24288


def test_a_date_target_with_opposite_directions_is_a_problem():
    # ≥ (at least) with 前 (before) cannot both hold: the target is refused, naming it
    for text in ("≥2023年12月前", ">2023年12月前"):
        assert parse_target(text) == TextProblem(text, f"指标值“{text}”的比较方向前后矛盾")


def test_a_strict_date_target_stays_strict():
    # <2023年12月: strictly before December (November meets it, December does not — the
    # monitoring engine's "within" reads strict); a deadline, not bare
    assert parse_target("<2023年12月") == Target(
        "<2023年12月", Direction.REVERSE, DECEMBER_2023, strict=True, deadline=True, bare=False
    )
    # ≤2023年12月 and 2023年12月前 include December: not strict
    for text in ("≤2023年12月", "2023年12月前"):
        read = parse_target(text)
        assert (read.direction, read.quantity, read.strict, read.deadline) == (
            Direction.REVERSE,
            DECEMBER_2023,
            False,
            True,
        )
