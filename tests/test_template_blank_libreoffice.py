"""A template before anything is typed, and 等于 in 指标性质, recalculated by LibreOffice.

Issue 10: a blank template showed 评价等级 差 and 总体完成率 0.00% (the self form's funds
row has a default 分值, the evaluation form's common rows have theirs), and the 指标性质
drop-down offered a bare `=`, which Excel takes for the start of a formula when typed.
Now 总分, 等级, 总体完成率 and 偏差 stay empty until an actual, a 评分 or an amount is
entered, and the drop-down offers 等于, which the engine and the formulas read as `=`.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import require_soffice

from perfxl.api import score_file
from perfxl.libreoffice import convert
from perfxl.profiles import load_profile
from perfxl.template import build_template
from perfxl.template import layout as L

SUMMARY = (L.TOTAL_ROW, L.GRADE_ROW, L.EXEC_ROW, L.ARRIVAL_ROW, L.COMPLETION_ROW, L.DEVIATION_ROW)


def _type(template: Path, path: Path, form: str, cells: dict[str, object]) -> Path:
    wb = openpyxl.load_workbook(template)
    ws = wb[L.FORM_SHEETS[form]]
    for ref, value in cells.items():
        ws[ref] = value
        if isinstance(value, str):
            ws[ref].data_type = "s"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    require_soffice()
    root = tmp_path_factory.mktemp("blank")
    profile = load_profile("mof2020")
    made = {}
    for form in L.FORMS:
        made[f"blank-{form}"] = build_template(profile, form, "plain", root / f"blank-{form}.xlsx")
    r = L.FIRST_ROW
    row = {
        L.ref("level1", r): "产出指标",
        L.ref("level2", r): "数量指标",
        L.ref("name", r): "培训期数",
        L.ref("nature", r): "等于",
        L.ref("target", r): 4,
        L.ref("unit", r): "期",
        L.ref("weight", r): 10,
    }
    made["target-only"] = _type(made["blank-self"], root / "target-only.xlsx", "self", row)
    typed = {**row, L.ref("actual", r): 3, f"F{L.FUNDS_ROW}": 40, f"D{L.FUNDS_ROW}": 50}
    made["equal-typed"] = _type(made["blank-self"], root / "equal-typed.xlsx", "self", typed)
    out = root / "recalculated"
    done = convert(list(made.values()), "xlsx", out, timeout=180)
    calc = {key: out / path.name for key, path in made.items()}
    assert all(p.is_file() for p in calc.values()), done.stderr
    return {**{f"{k}.in": v for k, v in made.items()}, **calc}


def _sheet(books, key: str, form: str = "self"):
    return openpyxl.load_workbook(books[key], data_only=True)[L.FORM_SHEETS[form]]


def _summary(ws) -> dict[int, object]:
    return {row: ws[L.summary_ref(row).replace("$", "")].value for row in SUMMARY}


@pytest.mark.parametrize("form", L.FORMS)
def test_blank_template_shows_no_grade_and_no_rates(books, form):
    ws = _sheet(books, f"blank-{form}", form)
    assert all(v in (None, "") for v in _summary(ws).values()), _summary(ws)
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        assert ws[L.ref("rate", r)].value in (None, ""), r
        assert ws[L.ref("score", r)].value in (None, ""), r
    # 分值合计 still sums the points set so far: the funds row's 10, or the 40 of the
    # evaluation form's common rows (5+3+4+3+4+2 + 4+5+4+2+4)
    assert ws[f"H{L.TOTAL_ROW}"].value == (10 if form == "self" else 40)


def test_targets_alone_are_no_input(books):
    """A clerk typing targets sees no 0 差 either: nothing is scored until an actual."""
    ws = _sheet(books, "target-only")
    assert all(v in (None, "") for v in _summary(ws).values()), _summary(ws)


def test_equal_from_the_dropdown_is_read_as_equal(books):
    """等于 4期 with 3 typed, under mof2020 (equal = deviation): 1 − |3 − 4| / 4 = 75%,
    10 × 75% = 7.5 points; funds 40 / 50 = 80% of 10 = 8; total 15.5, grade 差;
    总体完成率 (80% + 75%) / 2 = 77.5%, 偏差 77.5 − 80 = −2.5."""
    ws = _sheet(books, "equal-typed")
    r = L.FIRST_ROW
    assert ws[L.ref("rate", r)].value == pytest.approx(0.75)
    assert ws[L.ref("score", r)].value == pytest.approx(7.5)
    shown = _summary(ws)
    assert shown[L.TOTAL_ROW] == pytest.approx(15.5) and shown[L.GRADE_ROW] == "差"
    assert shown[L.COMPLETION_ROW] == pytest.approx(0.775)
    assert shown[L.DEVIATION_ROW] == pytest.approx(-2.5)
    (table,) = score_file(books["equal-typed.in"], "mof2020").tables
    assert (table.total, table.completion_rate) == (Decimal("15.5"), Decimal("0.775"))
