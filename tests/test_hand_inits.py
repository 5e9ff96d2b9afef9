"""The dataclasses whose __init__ is written by hand for speed (Indicator, RowResult)
must build exactly what the generated __init__ would: same fields in the same order,
same defaults, still frozen, and a fresh `cells` dict per Indicator."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from perfxl.findings import finding
from perfxl.model import CellRef, Direction, Indicator, QualLevel
from perfxl.results import Method, RowResult


def _generated(cls):
    """The same class with dataclass's own __init__ (the hand-written one left out)."""
    namespace = {"__annotations__": dict(cls.__annotations__), "__module__": cls.__module__}
    for f in dataclasses.fields(cls):
        if f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
        elif f.default_factory is not dataclasses.MISSING:
            namespace[f.name] = dataclasses.field(default_factory=f.default_factory)
    return dataclasses.dataclass(frozen=True)(type(f"Generated{cls.__name__}", (), namespace))


def _state(obj) -> list[tuple[str, object]]:
    return [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj)]


@pytest.mark.parametrize("cls", [Indicator, RowResult])
def test_hand_init_has_the_generated_signature(cls):
    import inspect

    hand = inspect.signature(cls.__init__).parameters
    made = inspect.signature(_generated(cls).__init__).parameters
    assert list(hand) == list(made)
    for name in list(hand)[1:]:
        if name == "cells":  # a sentinel stands for default_factory=dict
            continue
        assert hand[name].default == made[name].default, name


def test_indicator_hand_init_matches_generated():
    args = ("产出指标", "数量指标", "培训人数", "≥40人", "44人", Decimal(10), Decimal(10))
    hand, made = Indicator(*args), _generated(Indicator)(*args)
    assert _state(hand) == _state(made)
    assert hand.cells == {} and hand.cells is not Indicator(*args).cells
    cells = {"name": CellRef("表1", 5, 3)}
    full = (*args, "无", cells, Decimal(50), True)
    assert _state(Indicator(*full)) == _state(_generated(Indicator)(*full))
    with pytest.raises(dataclasses.FrozenInstanceError):
        hand.name = "改"  # type: ignore[misc]
    assert hand == Indicator(*args) and hash(hand.name)


def test_row_result_hand_init_matches_generated():
    indicator = Indicator("产出指标", "数量指标", "培训人数", "≥40人", "44人", Decimal(10), None)
    short = (indicator, Method.COMPUTED, Decimal(10))
    assert _state(RowResult(*short)) == _state(_generated(RowResult)(*short))
    found = (finding("PX013", "没有可用的分值"),)
    full = (
        *short,
        Decimal(1),
        Decimal("1.1"),
        Direction.POSITIVE,
        True,
        found,
        QualLevel.ACHIEVED,
        Decimal(9),
    )
    assert _state(RowResult(*full)) == _state(_generated(RowResult)(*full))
    by_name = RowResult(
        indicator, Method.MANUAL, Decimal(8), findings=found, computed_score=Decimal(7)
    )
    assert (by_name.findings, by_name.computed_score, by_name.rate) == (found, Decimal(7), None)
    assert RowResult(*short) == RowResult(*short)
    assert dataclasses.replace(RowResult(*short), score=Decimal(5)).score == Decimal(5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        RowResult(*short).score = Decimal(0)  # type: ignore[misc]
