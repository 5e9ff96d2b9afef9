"""Rows met again are taken from perfxl.scoring's memo: each test scores a row that fills
it, then one that differs in a single thing the memo is keyed by, and pins the second
row's figures by hand. Were that thing left out of the key, the first row's figures
would come back."""

from decimal import Decimal as D

from _rows import indicator

from perfxl import scoring
from perfxl.memo import RowMemo
from perfxl.model import CellRef, Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import _ROWS, score_row, score_table

MOF = load_profile("mof2020")
XJ60 = load_profile("xj-60")


def _warm(row, profile=MOF, **kw):
    first = score_row(row, profile, **kw)
    assert not first.findings  # remembered only without findings
    return first


def test_a_remembered_row_comes_back_with_the_new_row_and_same_figures():
    _ROWS.cache_clear()
    # ≥100人 against 80人, 10 points, mof2020 proportional: 80 / 100 = 0.8 → 8.00
    first = _warm(indicator("≥100人", "80人"))
    assert _ROWS.cache_info() == 1
    again = indicator("≥100人", "80人", level1="效益指标")  # level1 is not read by scoring
    second = score_row(again, MOF)
    assert second.indicator is again
    assert (second.method, second.score, second.rate, second.ratio) == (
        Method.COMPUTED,
        D("8.00"),
        D("0.8000"),
        D("0.8000"),
    )
    assert second.score == first.score


def test_target_and_actual_and_weight_are_in_the_key():
    _warm(indicator("≥100人", "80人"))  # 8.00 as above
    # ≥80人 against 80人: 80 / 80 = 1 → all 10 points
    assert score_row(indicator("≥80人", "80人"), MOF).score == D("10.00")
    # ≥100人 against 90人: 0.9 × 10 = 9.00
    assert score_row(indicator("≥100人", "90人"), MOF).score == D("9.00")
    # 5 points: 0.8 × 5 = 4.00
    assert score_row(indicator("≥100人", "80人", weight=5), MOF).score == D("4.00")


def test_an_entered_score_keeps_its_own_spelling():
    # a row with neither target nor actual takes the evaluator's 得分 as written:
    # 7 stays 7 and 7.0 stays 7.0 (equal Decimals that print apart); rate 7 / 10 = 0.7
    first = _warm(indicator(None, None, weight=10, score="7"))
    assert str(first.score) == "7"
    second = score_row(indicator(None, None, weight=10, score="7.0"), MOF)
    assert str(second.score) == "7.0"
    assert second.rate == D("0.7")


def test_level2_is_in_the_key():
    # xj-60: a ≤ row is target / actual (100 / 80 = 1.25, capped at 1 → all 10 points),
    # a 成本指标 row actual / target (80 / 100 = 0.8), scored past the 60% threshold:
    # (0.8 − 0.6) / (1 − 0.6) × 10 = 5.00
    assert _warm(indicator("≤100元", "80元"), XJ60).score == D("10.00")
    assert score_row(indicator("≤100元", "80元", level2="成本指标"), XJ60).score == D("5.00")


def test_the_profile_is_in_the_key():
    # ≥100人 against 80人: mof2020 0.8 × 10 = 8.00; xj-60 (0.8 − 0.6) / 0.4 × 10 = 5.00
    assert _warm(indicator("≥100人", "80人")).score == D("8.00")
    assert score_row(indicator("≥100人", "80人"), XJ60).score == D("5.00")


def test_the_year_is_in_the_key():
    # 12月底前 falls in the table's year: done 2024年1月 is a month late for 2023
    # (late_rate 0 → 0 points) and well in time for 2024 (all 10 points)
    row = indicator("12月底前", "2024年1月", level2="时效指标")
    assert _warm(row, year=2024).score == D("10.00")
    assert score_row(row, MOF, year=2023).score == D("0.00")


def test_the_funds_rate_is_in_the_key():
    # a 预算执行率 row of 10 points scored from the funds block, proportional under
    # mof2020: 90% → 9.00, then 80% → 8.00
    row = indicator("100%", "100%", name="预算执行率")
    first = _warm(row, funds_rates={Method.EXECUTION: D("0.9")})
    assert (first.method, first.score) == (Method.EXECUTION, D("9.00"))
    second = score_row(row, MOF, funds_rates={Method.EXECUTION: D("0.8")})
    assert second.score == D("8.00")


def test_a_table_met_twice_scores_alike():
    # two rows of ≥100人 / 80人 (8.00 each, see above) and 预算执行率 of 10 points from
    # the funds block: 90 / 100 = 0.9 → 9.00; total 8 + 8 + 9 = 25.00, both times
    rows = (
        indicator("≥100人", "80人", name="甲"),
        indicator("≥100人", "80人", name="甲"),
    )
    funds = Funds(budget=D(100), spent=D(90), weight=D(10))
    table = IndicatorTable("表", funds=funds, indicators=rows)
    first, second = score_table(table, MOF), score_table(table, MOF)
    assert first.total == second.total == D("25.00")
    assert [r.score for r in second.rows] == [D("9.00"), D("8.00"), D("8.00")]


def test_a_memo_of_its_own_counts_and_empties():
    # the module's memo is made at import, before any test: a fresh one is what shows
    # that cache_info counts what put stored and cache_clear empties it
    memo = RowMemo()
    assert memo.cache_info() == 0
    row = indicator("≥100人", "80人")
    memo.put(("k",), MOF, score_row(row, MOF))
    assert memo.cache_info() == 1
    profile, fields = memo.get(("k",))
    # 80 / 100 = 0.8 → 8.00; the row itself is not kept, only its figures
    assert profile is MOF and fields["score"] == D("8.00") and "indicator" not in fields
    memo.cache_clear()
    assert memo.cache_info() == 0 and memo.get(("k",)) is None


def test_a_quantitative_targets_own_words_do_not_excuse_a_hedged_actual():
    # 基本完成率≥90% is quantitative: 基本完成 gives no figure (PX018) and is 部分达成,
    # top of its band 0.8 × 10 = 8.00. Its hedge is judged against no target words (a
    # figure was asked for), so it falls short (PX024) though the target's name holds
    # 基本完成 too
    result = score_row(indicator("基本完成率≥90%", "基本完成"), MOF)
    assert (result.method, result.score) == (Method.QUALITATIVE, D("8.00"))
    assert [f.code for f in result.findings] == ["PX018", "PX024"]


def test_a_row_met_again_is_not_scored_afresh(monkeypatch):
    # the memo's point: the second of two alike rows costs a look-up, not a scoring
    _ROWS.cache_clear()
    calls = []
    afresh = scoring._score_row_afresh
    monkeypatch.setattr(scoring, "_score_row_afresh", lambda *a: calls.append(a) or afresh(*a))
    first = score_row(indicator("≥100人", "80人"), MOF)
    second = score_row(indicator("≥100人", "80人"), MOF)
    assert len(calls) == 1
    assert first.score == second.score == D("8.00")  # 80 / 100 × 10


def test_a_row_with_findings_is_not_remembered():
    # 90% written bare is read as ≥90% with an info finding (PX022) on the row's own
    # 年度指标值 cell: the second alike row, a row lower, has it on E6, not on E5
    _ROWS.cache_clear()
    first = indicator("90%", "100%")
    second = indicator("90%", "100%")
    first.cells["target"] = CellRef("表", 5, 5)
    second.cells["target"] = CellRef("表", 6, 5)
    assert [str(f.cell) for f in score_row(first, MOF).findings] == ["表!E5"]
    again = score_row(second, MOF)
    assert [(f.code, str(f.cell)) for f in again.findings] == [("PX022", "表!E6")]
    assert again.score == D("10.00")  # 100% against ≥90%: capped at 1 → all 10 points
    assert _ROWS.cache_info() == 0
