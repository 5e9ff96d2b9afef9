"""The rows a table scores and what a qualitative row reports: pinned after the mutation
re-run of issue 14 item 1 on 15b087c (score_table asks each row's special_kind once)."""

from decimal import Decimal as D

from _rows import indicator

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import funds_indicator, score_row, score_table

MOF = load_profile("mof2020")


def test_a_table_with_its_own_execution_row_gets_no_second_one():
    # the funds block has a 分值 (10) but the table already lists 预算执行率 as a row:
    # that row is the execution row (90 / 100 = 90% → 9.00), no funds-block row is added,
    # and 总分 is 9 + 90 (≥2个 met in full) = 99.00 — a second execution row would make
    # three rows and 108.00
    table = IndicatorTable(
        "表",
        funds=Funds(budget=D(100), spent=D(90), weight=D(10)),
        indicators=(
            indicator(None, None, 10, level1="预算执行率", name="预算执行率"),
            indicator("≥2个", "2个", 90),
        ),
    )
    assert funds_indicator(table, MOF) is None
    result = score_table(table, MOF)
    assert [(r.method, r.score) for r in result.rows] == [
        (Method.EXECUTION, D("9.00")),
        (Method.COMPUTED, D("90.00")),
    ]
    assert result.total == D("99.00")


def test_a_negated_lesser_satisfaction_is_not_achieved_without_px024():
    # 未达到较满意 against 满意: a negation (未达) comes first, so the row is 未达成 at the
    # band's top (mof2020: 未达成 up to 60%) → 0.6 × 10 = 6.00. PX024 (较满意 falls short
    # of 满意, scored 部分达成) belongs to 部分达成 rows only; 较满意 alone is one: 80% → 8.00
    negated = score_row(
        indicator("满意", "未达到较满意", 10, level1="满意度指标", level2="服务对象满意度指标"),
        MOF,
    )
    assert (negated.rate, negated.score) == (D("0.6"), D("6.00"))
    assert [f.code for f in negated.findings] == []
    lesser = score_row(
        indicator("满意", "较满意", 10, level1="满意度指标", level2="服务对象满意度指标"), MOF
    )
    assert (lesser.rate, lesser.score) == (D("0.8"), D("8.00"))
    assert [f.code for f in lesser.findings] == ["PX024"]


def test_two_alike_rows_with_findings_each_point_at_their_own_cell():
    # the same bare 90% / 95% row on rows 9 and 10 of the sheet: each PX022 (how the bare
    # figure was read) points at its own target cell, D9 and D10; a remembered result
    # would carry the first row's cell to the second
    from perfxl.model import CellRef, Indicator

    def row(r):
        return Indicator(
            "产出指标", "质量指标", "合格率", "90%", "95%", D(10), None,
            cells={"target": CellRef("表", r, 4)},
        )  # fmt: skip

    cells = []
    for r in (9, 10):
        result = score_row(row(r), MOF)
        assert result.score == D("10.00")  # ≥90% read, 95% met: 10 points
        cells += [str(f.cell) for f in result.findings if f.code == "PX022"]
    assert cells == ["表!D9", "表!D10"]


def test_a_remembered_row_is_not_reused_under_another_profile(tmp_path, monkeypatch):
    # the row memo keys a row by its profile's id; a profile freed and another made at the
    # same address would share that id. Forced here (every id 0): =44人 / 46人 under
    # equal = "full_if_equal" is 0 (not equal), then under "deviation" 1 − 2/44 = 0.9545 →
    # 9.545 → 9.55 points — not the first profile's 0 taken from the memo
    from _rows import profile_file

    from perfxl import scoring

    exact = profile_file(tmp_path, '[rows]\nequal = "full_if_equal"\n')
    deviation = profile_file(tmp_path, '[rows]\nequal = "deviation"\n')
    monkeypatch.setattr(scoring, "id", lambda _: 0, raising=False)
    scoring._ROWS.cache_clear()
    first = score_row(indicator("=44人", "46人", 10), exact)
    second = score_row(indicator("=44人", "46人", 10), deviation)
    scoring._ROWS.cache_clear()
    assert (first.findings, first.score) == ((), D("0.00"))
    assert (second.rate, second.score) == (D("0.9545"), D("9.55"))
