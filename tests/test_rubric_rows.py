"""Rubric rows of evaluation-style forms (项目决策 / 项目管理, realworld 银川 case): a 分值,
an entered 得分 and no real target. A dash target (—, -) with a described actual is a
manual row scored by the evaluator (rate = 得分 / 分值), not a row that does not apply;
so is an empty target with a described (worded) actual and an entered 得分. A row is
left out only when target and actual both say so, or the actual alone does."""

from decimal import Decimal as D

import pytest
from _rows import indicator

from perfxl.model import Funds, IndicatorTable
from perfxl.profiles import load_profile
from perfxl.results import Method
from perfxl.scoring import score_row
from perfxl.validation import check_table

MOF = load_profile("mof2020")


def row(target, actual, weight, score=None, name="完整性", level1="项目决策", level2="项目目标"):
    return indicator(target, actual, weight, score, level1=level1, level2=level2, name=name)


@pytest.mark.parametrize("dash", ["—", "-", "/", "无"])
def test_dash_target_with_a_described_actual_is_manual(dash):
    # 得分 4 of 分值 4 → rate 4/4 = 1, score 4
    result = score_row(row(dash, "目标明确、内容细化、目标量化", 4, score=4), MOF)
    assert (result.method, result.rate, result.score) == (Method.MANUAL, D("1"), D("4"))
    assert result.findings == ()


def test_dash_target_keeps_a_marked_down_score():
    # 得分 5 of 分值 6 → rate 5/6 = 0.833333… → 0.8333, score 5
    result = score_row(row("-", "严格执行相关管理制度", 6, score=5), MOF)
    assert (result.method, result.rate, result.score) == (Method.MANUAL, D("0.8333"), D("5"))


def test_dash_target_without_a_score_asks_the_evaluator():
    result = score_row(row("—", "按照学校管理标准对学校进行管理", 2), MOF)
    assert (result.method, result.score) == (Method.UNSCORED, D("0"))
    assert [f.code for f in result.findings] == ["PX014"]


@pytest.mark.parametrize(
    ("target", "actual"),
    [("—", "—"), ("—", "无"), ("-", None), ("无此类指标", "无此类指标"), (None, "无此类指标")],
)
def test_not_applicable_only_when_both_say_so(target, actual):
    result = score_row(row(target, actual, 5, score=5), MOF)
    assert result.method == Method.NOT_APPLICABLE


def test_empty_target_with_a_worded_actual_and_a_score_is_manual():
    # 得分 2 of 分值 2 → rate 1, score 2, and no PX010
    result = score_row(row(None, "实际工作需求", 2, score=2, name="可行性"), MOF)
    assert (result.method, result.rate, result.score) == (Method.MANUAL, D("1"), D("2"))
    assert result.findings == ()


def test_empty_target_without_a_score_still_misses_its_target():
    result = score_row(row(None, "实际工作需求", 2, name="可行性"), MOF)
    assert [f.code for f in result.findings] == ["PX010"]


def test_empty_target_with_a_figure_still_misses_its_target():
    # 100% is a figure: the target that should go with it is missing, whatever was entered
    result = score_row(row(None, "100%", 10, score=10, name="项目完成率"), MOF)
    assert [f.code for f in result.findings] == ["PX010"]


def test_dash_execution_row_is_scored_from_the_funds_block():
    funds = Funds(initial_budget=D("64.8"), budget=D("64.8"), spent=D("64.8"))
    table = IndicatorTable(
        sheet="表",
        funds=funds,
        indicators=(
            row("—", "目标明确、内容细化、目标量化", 4, score=3),
            row(None, "实际工作需求", 2, score=2, name="可行性", level2="项目立项"),
            row("—", "100%", 10, score=9, name="预算执行率", level1="项目管理", level2="投入管理"),
            row("≥2个", "2个", 84, level1="项目产出", level2="数量指标", name="指标"),
        ),
    )
    result = check_table(table, MOF)  # scored, then the rules (PX020) run
    methods = [r.method for r in result.rows]
    assert methods == [Method.MANUAL, Method.MANUAL, Method.EXECUTION, Method.COMPUTED]
    # 预算执行率: 64.8 / 64.8 = 1 → 10 × 1 = 10 (the printed 9 is a difference, PX020)
    assert (result.rows[2].rate, result.rows[2].score) == (D("1"), D("10.00"))
    # total = 3 + 2 + 10 + 84 = 99, nothing rescaled
    assert result.total == D("99.00") and result.grade == "优"
    # completion = (3/4 + 2/2 + 1 + 2/2) / 4 = 3.75 / 4 = 0.9375
    assert result.completion_rate == D("0.9375")
    assert "PX020" in [f.code for f in result.findings]
