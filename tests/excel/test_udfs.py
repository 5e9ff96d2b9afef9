"""In-cell functions: values as Excel sends them, Chinese cell errors, and wizard metadata.

xlwings' decorators do nothing on Linux, so the metadata test runs xlwings' own Windows
decorator code (xlwings/udfs.py) with the COM modules stubbed, and then asks that code
for the VBA wrapper Excel would import: what a Windows user would see in the function
wizard is checked here without Excel.
"""

import io
import types
from dataclasses import replace
from decimal import Decimal

import pytest

from perfxl.excel import registry
from perfxl.excel.udfs import (
    PERF_ARRIVAL_SCORE,
    PERF_BLOCK,
    PERF_DEVIATION,
    PERF_EXEC_RATE,
    PERF_EXEC_SCORE,
    PERF_GRADE,
    PERF_RATE,
    PERF_SCORE,
    PERF_TOTAL,
)
from perfxl.model import Funds, Indicator, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import score_table

# xj-60 with 预算执行率 scored in proportion instead of from the 60% threshold
PROPORTIONAL_EXECUTION = """
name = "xj-60-proportional-execution"
title = "测试用：预算执行率按比例计分"
extends = "xj-60"

[execution]
method = "proportional"
"""


@pytest.fixture
def proportional_execution(tmp_path):
    path = tmp_path / "xj-60-proportional-execution.toml"
    path.write_text(PROPORTIONAL_EXECUTION, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("≥2个", "1个"), 0.5),  # 1/2
        (("≥95%", 0.95), 1.0),  # a %-formatted cell arrives as the float 0.95
        (("≥100%", 100.0), 1.0),  # a bare 100 takes the target's %
        (("≤4万元", "5万元"), 0.8),  # mof2020 reverse: 4/5
        (("≤20万元", "1.82万元", "xj-60", "成本指标"), 0.091),  # budget use: 1.82/20
        (("=12月", "12个月"), 1.0),
        (("持续", "持续"), 1.0),
        ((None, None, None, None, 4.0, 5.0), 0.8),  # manual row: the evaluator's 4 of 5
        (("有效提升", "部分达成", None, None, 7.0, 10.0), 0.7),  # marked down in its band
        (("有效提升", "部分达成", None, None, 9.0, 10.0), 0.8),  # outside it: the band's top
        (("≥2个", "1个", None, None, 9.0, 10.0), 0.5),  # a computed row ignores a typed score
    ],
)
def test_perf_rate(args, expected):
    assert PERF_RATE(*args) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("≥2个", "1个", 4.0), 2.0),
        (("≤20万元", "1.82万元", 2.0, "xj-60", "成本指标"), 0.0),  # below 60%: 0
        (("≤20万元", "1.82万元", 2.0, "xj-prop", "成本指标"), 0.18),  # 2 × 9.1%
        (("100%", "81.82%", 5.0, "xj-60"), 2.73),  # (0.8182 − 0.6)/0.4 × 5 = 2.7275
        ((None, None, 5.0, None, None, 4.0), 4.0),  # manual row: the evaluator's score
        (("有效提升", "部分达成", 10.0, None, None, 7.0), 7.0),  # inside the 80–60 band
        (("无此类指标", "无此类指标", 10.0), "不适用"),
    ],
)
def test_perf_score(args, expected):
    assert PERF_SCORE(*args) == (
        pytest.approx(expected) if isinstance(expected, float) else expected
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("≥abc5x个", "5个", 3.0), "#指标值无法识别"),
        ((None, "5个", 3.0), "#指标值无法识别"),
        (("≥5人", "5人次", 3.0), "#单位无法换算"),
        (("≥5个", None, 3.0), "#实际值无法识别"),
        (("≥5个", "5个", None), "#分值缺失"),
        ((None, None, 5.0), "#请填写得分"),
        (("≥5个", "5个", "五"), "#不是数字"),
        (("≥5个", "5个", 3.0, "atlantis"), "#评分规则无效"),
        (("有效提升", "还行", 3.0), "#无法判断是否达成"),  # PX017: and no evaluator's score
    ],
)
def test_errors_are_short_chinese_texts(args, expected):
    assert PERF_SCORE(*args) == expected


def test_nothing_raises_on_odd_input():
    odd = [
        None,
        "",
        0.0,
        -1.0,
        1e308,
        True,
        "=",
        "≥",
        "%",
        "万元",
        "≥-5个",
        "≤0个",
        "0",
        [[1.0]],
        "\u3000",
    ]
    for target in odd:
        for actual in odd:
            for value in (PERF_RATE(target, actual), PERF_SCORE(target, actual, 3.0)):
                assert isinstance(value, float | str)


def test_funds_grade_deviation_total():
    assert PERF_EXEC_RATE(81.82, 100.0) == pytest.approx(0.8182)
    assert PERF_EXEC_RATE(None, 100.0) == "#资金数据不全"
    assert PERF_DEVIATION(0.9526, 0.8182) == pytest.approx(13.44)
    assert PERF_DEVIATION("95.26%", "81.82%") == pytest.approx(13.44)
    assert PERF_GRADE(90.0) == "优"
    assert PERF_GRADE(89.99) == "良"
    assert PERF_GRADE(75.0, "hubei") == "中"
    assert PERF_GRADE(None) == ""
    # 90 of 90 applicable points; the 不适用 row's 10 shared out: 90 × 100/90 = 100
    assert PERF_TOTAL([[45.0], [10.0], [45.0]], [[45.0], ["不适用"], [45.0]]) == pytest.approx(
        100.0
    )
    assert PERF_TOTAL([[45.0], [55.0], [None]], [[40.0], [50.5], [None]]) == pytest.approx(90.5)
    # only 不适用 leaves a row out: an error text is not a reason to share its points out
    assert PERF_TOTAL([[10.0], [90.0]], [["#指标值无法识别"], [90.0]]) == "#得分有误"
    assert PERF_TOTAL([[10.0], [90.0]], [["达成"], [90.0]]) == "#得分有误"
    assert PERF_TOTAL([[10.0], [90.0]], [["不适用"], [90.0]]) == pytest.approx(100.0)
    assert PERF_TOTAL([[10.0], [90.0]], [[""], [90.0]]) == pytest.approx(90.0)  # blank: 0
    assert PERF_TOTAL([[10.0], [90.0]], [["5"], [90.0]]) == pytest.approx(95.0)


def test_funds_scores_by_hand(proportional_execution):
    """Seed 003's 预算执行率 of 81.82% for 5 points, worked out by hand."""
    # xj-60: (0.8182 − 0.6) / (1 − 0.6) × 5 = 2.7275 → 2.73
    assert PERF_EXEC_SCORE(0.8182, 5.0, "xj-60") == pytest.approx(2.73)
    assert PERF_EXEC_SCORE("81.82%", 5.0, "xj-60") == pytest.approx(2.73)
    # the same under [execution] method = "proportional": 0.8182 × 5 = 4.091 → 4.09
    assert PERF_EXEC_SCORE(0.8182, 5.0, proportional_execution) == pytest.approx(4.09)
    # its [arrival] rule is still xj-60's: from the 60% line
    assert PERF_ARRIVAL_SCORE(0.8182, 5.0, proportional_execution) == pytest.approx(2.73)
    assert PERF_ARRIVAL_SCORE(0.9, 4.0, "xj-60") == pytest.approx(3.0)  # 0.3/0.4 × 4
    assert PERF_ARRIVAL_SCORE(0.9, 4.0) == pytest.approx(3.6)  # mof2020: 0.9 × 4
    assert PERF_EXEC_SCORE(1.2, 5.0, "xj-60") == pytest.approx(5.0)  # above 100%: full
    assert PERF_EXEC_SCORE(0.5, 5.0, "xj-60") == 0.0  # below the 60% line
    assert PERF_EXEC_SCORE(None, 5.0) == "#资金数据不全"
    assert PERF_EXEC_SCORE(0.8, None) == "#分值缺失"
    assert PERF_EXEC_SCORE("八成", 5.0) == "#不是数字"
    assert PERF_ARRIVAL_SCORE(0.8, 5.0, "atlantis") == "#评分规则无效"


def test_funds_scores_are_the_engines(proportional_execution):
    """The funds rows of a whole table scored by the engine get the same points."""
    funds = Funds(budget=Decimal(100), spent=Decimal("81.82"), received=Decimal(75))
    arrival = Indicator("过程", "资金管理", "资金到位率", None, None, Decimal(4), None)
    for name in ("mof2020", "xj-60", "xj-prop", "hubei", proportional_execution):
        profile = load_profile(name)
        weight = profile.execution.default_weight or Decimal(10)
        table = IndicatorTable("", funds=replace(funds, weight=weight), indicators=(arrival,))
        result = score_table(table, profile)
        executed, arrived = result.rows  # the funds block's execution row comes first
        assert (executed.method, arrived.method) == (Method.EXECUTION, Method.ARRIVAL)
        rate = float(result.execution_rate)
        assert PERF_EXEC_SCORE(rate, float(weight), name) == float(executed.score), name
        rate = float(result.arrival_rate)
        assert PERF_ARRIVAL_SCORE(rate, 4.0, name) == float(arrived.score), name


def test_block_matches_single_cell_functions():
    level2 = [["数量指标"], ["成本指标"], [None], ["社会效益指标"]]
    targets = [["≥2个"], ["≤20万元"], [None], ["持续"]]
    actuals = [["1个"], ["1.82万元"], [None], ["持续"]]
    weights = [[4.0], [2.0], [None], [10.0]]
    block = PERF_BLOCK(level2, targets, actuals, weights, None, "xj-prop")
    assert block[2] == ["", ""]  # blank rows stay blank
    for i in (0, 1, 3):
        args = (targets[i][0], actuals[i][0])
        assert block[i][0] == PERF_RATE(*args, "xj-prop", level2[i][0])
        assert block[i][1] == PERF_SCORE(*args, weights[i][0], "xj-prop", level2[i][0])
    assert block[1] == [pytest.approx(0.091), pytest.approx(0.18)]


def test_wizard_metadata_as_excel_imports_it(windows_xlwings):
    xl_udfs, module = windows_xlwings
    specs = registry.REGISTRY
    assert set(specs) == {
        "PERF_RATE",
        "PERF_SCORE",
        "PERF_EXEC_RATE",
        "PERF_EXEC_SCORE",
        "PERF_ARRIVAL_SCORE",
        "PERF_DEVIATION",
        "PERF_GRADE",
        "PERF_TOTAL",
        "PERF_BLOCK",
        "PERF_TIME_PROGRESS",
        "PERF_MONITOR_LIGHT",
    }
    for name, spec in specs.items():
        meta = getattr(module, name).__xlfunc__
        assert meta["category"] == "绩效评价"
        assert meta["ret"]["doc"] == spec.description
        assert len(spec.description) <= registry.EXCEL_TEXT_LIMIT
        docs = [a["doc"] for a in meta["args"]]
        assert docs == [doc for _, doc in spec.args]
        assert all(
            len(d) <= registry.EXCEL_TEXT_LIMIT and "Positional argument" not in d for d in docs
        )
        assert any("\u4e00" <= ch <= "\u9fff" for ch in spec.description)  # Chinese help

    # The VBA that "Import Python UDFs" writes into the workbook.
    workbook = types.SimpleNamespace(Name="perfxl.xlsm")
    buffer = io.StringIO()
    xl_udfs.generate_vba_wrapper("perfxl.excel.udfs", module, buffer, workbook)
    vba = buffer.getvalue()
    assert (
        "Function PERF_SCORE(target, actual, weight, Optional profile, Optional level2, Optional entered)"
        in vba
    )
    assert "Function PERF_BLOCK(" in vba
    assert "Function PERF_EXEC_SCORE(rate, weight, Optional profile)" in vba
    assert "Function PERF_ARRIVAL_SCORE(rate, weight, Optional profile)" in vba
