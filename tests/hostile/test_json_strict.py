"""JSON output is always strict JSON, and absurd numbers are findings (issue 9, attack 5).

1e308 typed in two 分值/得分 cells made a total of 2e308: `score --format json` printed
`Infinity`, which no strict JSON parser accepts, and the text output a 309-digit total.
The engine now treats a 分值 or 得分 that is not finite or not below 10^15 as unusable
(a finding on its cell, never a term of a total), and every JSON writer refuses NaN
and Infinity (`allow_nan=False`), turning any figure a float cannot hold into null.
"""

import json
import math
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from _child import run_perfxl

from perfxl.model import CellRef, Funds, Indicator, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.report import FileResult, to_json
from perfxl.scoring import score_table

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"


def _strict(text: str) -> object:
    """Parse as a strict JSON parser does: NaN, Infinity and -Infinity are errors."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _numbers(node: object):
    if isinstance(node, dict):
        for value in node.values():
            yield from _numbers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _numbers(value)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield node


@pytest.fixture(scope="module")
def huge_workbook(tmp_path_factory) -> Path:
    # seed 000 (total 100): rows 13 and 14 (分值 3 and 2, fully scored) get 1e308 in
    # both 分值 (G) and 得分 (H)
    path = tmp_path_factory.mktemp("json") / "巨大数值.xlsx"
    shutil.copy(SEEDS / "seed000.xlsx", path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    for cell in ("G13", "H13", "G14", "H14"):
        ws[cell] = 1e308
    wb.save(path)
    return path


@pytest.mark.parametrize("command", ["score", "validate"])
def test_json_output_is_strict_with_1e308_in_weights_and_scores(huge_workbook, command):
    run = run_perfxl(command, str(huge_workbook), "--format", "json", timeout=60)
    assert not run.killed
    assert run.returncode in (0, 1), run.stderr
    assert "Infinity" not in run.stdout and "NaN" not in run.stdout
    document = _strict(run.stdout)
    assert all(math.isfinite(n) for n in _numbers(document))
    (file,) = document["files"]
    findings = [f for t in file["tables"] for f in t["findings"]] + file["findings"]
    cells = {f["cell"].rsplit("!", 1)[-1] for f in findings}
    assert {"G13", "G14"} <= cells  # the unusable 分值 are findings on their cells


def test_score_total_leaves_out_unusable_weights(huge_workbook):
    run = run_perfxl("score", str(huge_workbook), "--format", "json", timeout=60)
    (table,) = _strict(run.stdout)["files"][0]["tables"]
    # the two rows (3 + 2 points) cannot be scored: 100 - 3 - 2 = 95 at most; nothing
    # anywhere near 1e308
    assert table["total"] <= 95
    assert all(abs(n) < 1e15 for n in _numbers(table))


def _row(name: str, weight, entered, row: int) -> Indicator:
    cells = {
        "name": CellRef("表", row, 4),
        "weight": CellRef("表", row, 7),
        "score": CellRef("表", row, 8),
    }
    return Indicator("决策", "项目立项", name, None, None, weight, entered, cells=cells)


@pytest.mark.parametrize(
    "bad",
    [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), Decimal("1e308"), Decimal("1e15")],
)
def test_engine_turns_unusable_weights_and_scores_into_findings(bad):
    table = IndicatorTable(
        sheet="表",
        funds=Funds(),
        indicators=(
            _row("甲", Decimal(10), Decimal(8), 5),  # 8 points
            _row("乙", bad, Decimal(5), 6),  # unusable 分值
            _row("丙", Decimal(10), bad, 7),  # unusable 得分
            _row("丁", bad, bad, 8),
        ),
    )
    result = score_table(table, load_profile("mof2020"))
    # only 甲 scores: 8 points (乙, 丙, 丁 have no usable figure)
    assert result.total == Decimal(8)
    for category in result.categories:
        assert category.weight is None or category.weight.is_finite()
    flagged = {(f.cell.row, f.cell.col) for f in result.all_findings if f.cell is not None}
    assert (6, 7) in flagged and (8, 7) in flagged  # the 分值 cells of 乙 and 丁
    (on_weight,) = [f for f in result.all_findings if f.cell == CellRef("表", 6, 7)]
    assert on_weight.code == "PX013" and "“乙”的分值" in on_weight.message
    assert ("不是有效数字" if not bad.is_finite() else "超出可计算的范围") in on_weight.message
    assert any(f.cell is not None and f.cell.row == 7 for f in result.all_findings)  # 丙
    _strict(to_json([FileResult("x.xlsx", [result])]))


def test_report_never_writes_a_number_a_float_cannot_hold():
    # a rate of 1e400 (possible with a 分值 of 1e-300) is no JSON number: null, not Infinity
    table = IndicatorTable(
        sheet="表", indicators=(_row("甲", Decimal("1e-300"), Decimal("1e100"), 5),)
    )
    result = score_table(table, load_profile("mof2020"))
    document = _strict(to_json([FileResult("x.xlsx", [result])]))
    assert all(math.isfinite(n) for n in _numbers(document))
