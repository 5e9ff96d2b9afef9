"""The dataclasses whose __init__ is written by hand for speed (Indicator, RowResult,
Funds, IndicatorTable, CategoryResult, TableResult) must build exactly what the
generated __init__ would: same fields in the same order, same defaults, still frozen,
and a fresh `cells` dict (and Funds) per object where the field has a default factory."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from perfxl.findings import finding
from perfxl.model import CellRef, Direction, Funds, Indicator, IndicatorTable, QualLevel
from perfxl.results import CategoryResult, Method, RowResult, TableResult

HAND_MADE = [Indicator, RowResult, Funds, IndicatorTable, CategoryResult, TableResult]


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


@pytest.mark.parametrize("cls", HAND_MADE)
def test_hand_init_has_the_generated_signature(cls):
    import inspect

    hand = inspect.signature(cls.__init__).parameters
    made = inspect.signature(_generated(cls).__init__).parameters
    assert list(hand) == list(made)
    factories = {
        f.name for f in dataclasses.fields(cls) if f.default_factory is not dataclasses.MISSING
    }
    for name in list(hand)[1:]:
        if name in factories:  # a sentinel stands for default_factory (a fresh object)
            continue
        assert hand[name].default == made[name].default, name


@pytest.mark.parametrize("cls", HAND_MADE)
def test_hand_init_is_the_dataclass_own(cls):
    """init=False: dataclass did not write over the hand-made __init__, and the class is
    still frozen with the generated eq and repr."""
    params = cls.__dataclass_params__
    assert params.frozen and params.eq and not params.init
    assert cls.__init__.__qualname__ == f"{cls.__name__}.__init__"


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


def test_funds_hand_init_matches_generated():
    assert _state(Funds()) == _state(_generated(Funds)())
    assert Funds().cells == {} and Funds().cells is not Funds().cells
    cells = {"spent": CellRef("表1", 6, 6)}
    full = (Decimal(100), Decimal(120), Decimal(110), Decimal(90), Decimal(10), Decimal("0.75"),
            Decimal(7), cells, True)  # fmt: skip
    assert _state(Funds(*full)) == _state(_generated(Funds)(*full))
    assert Funds(spent=Decimal(1), cells=cells).cells is cells
    with pytest.raises(dataclasses.FrozenInstanceError):
        Funds().spent = Decimal(1)  # type: ignore[misc]


def test_indicator_table_hand_init_matches_generated():
    assert _state(IndicatorTable("表1")) == _state(_generated(IndicatorTable)("表1"))
    one, two = IndicatorTable("表1"), IndicatorTable("表1")
    assert one.funds == Funds() and one.funds is not two.funds  # a Funds of its own each
    assert one.cells == {} and one.cells is not two.cells
    indicator = Indicator("产出指标", "数量指标", "培训人数", "≥40人", "44人", Decimal(10), None)
    full = ("表1", "项目", "主管部门", "实施单位", Funds(budget=Decimal(5)), (indicator,),
            Decimal(90), "优", "xinjiang", {"total": CellRef("表1", 20, 8)}, 2023,
            (object(),))  # fmt: skip
    assert _state(IndicatorTable(*full)) == _state(_generated(IndicatorTable)(*full))
    assert IndicatorTable(*full) == IndicatorTable(*full)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.project = "改"  # type: ignore[misc]


def test_table_and_category_results_hand_inits_match_generated():
    category = ("产出指标", Decimal(50), Decimal("47.5"), Decimal("0.95"))
    assert _state(CategoryResult(*category)) == _state(_generated(CategoryResult)(*category))
    assert CategoryResult(*category) == CategoryResult(*category)
    table = IndicatorTable("表1")
    args = (table, "mof2020", (), (CategoryResult(*category),), Decimal(90), "优",
            Decimal(1), None, Decimal("0.9"), Decimal(-10), Decimal("0.5"))  # fmt: skip
    made = _generated(TableResult)
    assert _state(TableResult(*args)) == _state(made(*args))
    found = (finding("PX013", "没有可用的分值"),)
    assert _state(TableResult(*args, found)) == _state(made(*args, found))
    assert TableResult(*args, findings=found).findings == found
    assert dataclasses.replace(TableResult(*args), total=Decimal(1)).total == Decimal(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        TableResult(*args).grade = "差"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CategoryResult(*category).rate = None  # type: ignore[misc]
