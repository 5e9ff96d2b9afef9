"""What the layout remembers per row texts must answer as if asked afresh.

Rows with the same label texts share one Labels object, and what a reader asks of
them (an indicator header? a monitoring header? a total? a grade? which cells may
hold 项目名称 or a year?) is worked out once per run. These cases pin the paths that
the remembered answers send back to the raw cells: a long text (over the 100
characters a label may have, so its label text is blank) holding 项目名称：… or a
year, a grade written with its colon, a row shorter than the header, and two sheets
with the same header read one after the other, so that nothing one table does to a
shared answer shows in the next.
"""

from __future__ import annotations

from decimal import Decimal as D

from perfxl.reader import read_sheet
from perfxl.reader.grid import Grid
from perfxl.reader.labels import short_labels
from perfxl.reader.monitoring import read_monitoring

HEADER = [
    "绩效指标",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
]
LONG_NAME = "某" * 120  # longer than any label: its label text is ""


def _row(*cells: object) -> list[object]:
    return [*cells, *[""] * (len(HEADER) - len(cells))]


def _sheet(name: str, top: list[list[object]], body: list[list[object]]) -> Grid:
    return Grid(name, [*top, HEADER, *body])


def test_rows_with_the_same_texts_share_their_labels():
    first = short_labels(["项目名称", "甲项目", 1.0])
    second = short_labels(["项目名称", "甲项目", 2.0])  # numbers are no label text
    assert first is second
    assert list(first) == ["项目名称", "甲项目", ""]


def test_rows_differing_only_in_texts_no_question_looks_at_share_their_answers():
    # a body row's name, target and actual are nothing any reader's question looks for
    # (perfxl.reader.labels.looks_at): rows shaped alike are classified once
    first = short_labels(["", "甲项目经费", "≥10人", "10人", 5.0])
    second = short_labels(["", "乙项目经费", "≥20人", "18人", 5.0])
    assert first is not second and first.answers is second.answers
    assert list(second) == ["", "乙项目经费", "≥20人", "18人", ""]
    # a text some question looks for keeps its row apart: a label (with a mark or a
    # note too), a colon, a year, a month label, a unit note
    for text in (
        "项目名称",
        "*三级指标",
        "分值(分)",
        "项目名称：丙",
        "2023年度",
        "1-6月实际完成值",
        "(单位:元)",
        "合计",
    ):
        other = short_labels(["", text, "≥10人", "10人", 5.0])
        assert other.answers is not first.answers, text


def test_a_year_in_one_projects_name_is_not_taken_for_another_alike():
    def sheet(name: str, project: str) -> Grid:
        return _sheet(
            name,
            [["项目支出绩效自评表"], ["项目名称", project]],
            [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 100.0)],
        )

    assert read_sheet(sheet("甲", "某某补助经费"))[0][0].year is None
    assert read_sheet(sheet("乙", "2023年某某补助经费"))[0][0].year == 2023
    assert read_sheet(sheet("丙", "某某奖励资金"))[0][0].year is None


def test_rows_remembered_by_their_cells_give_their_own_texts():
    # a row's cells equal to an earlier row's: the same Labels, without normalising
    assert short_labels(["總分", 100.0, 95.5]) is short_labels(["總分", 100.0, 95.5])
    assert list(short_labels(["總分", 100.0])) == ["总分", ""]  # traditional → simplified
    # 1, 1.0 and True are equal values and none is a text
    assert (
        list(short_labels([True, "评价等级"]))
        == list(short_labels([1, "评价等级"]))
        == ["", "评价等级"]
    )
    # an unhashable value (no reader gives one) is read, not a crash
    assert list(short_labels([["x"], "得分"])) == ["", "得分"]
    # a long text is no label, and a row holding one is still read right
    assert list(short_labels(["某" * 150, "分值"])) == ["", "分值"]


def test_a_long_title_gives_the_year_and_a_long_cell_the_project():
    title = "（2024年度）" + "某" * 110  # 117 characters, a title too long to be a label
    project = "项目名称：" + LONG_NAME
    grid = _sheet(
        "长文本",
        [[title], [project]],
        [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 100.0)],
    )
    tables, _ = read_sheet(grid)
    assert len(tables) == 1
    assert tables[0].year == 2024
    assert tables[0].project == LONG_NAME
    assert str(tables[0].cells["project"]) == "长文本!A2"


def test_a_long_text_is_not_taken_for_the_blank_of_a_row_with_the_same_texts():
    # rows 1 and 2 have the same label texts ("" | 说明): row 1's blank is an empty
    # cell, row 2's a project name too long to be a label
    grid = _sheet(
        "同文",
        [["", "说明"], ["项目名称：" + LONG_NAME, "说明"]],
        [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 100.0)],
    )
    assert list(short_labels(grid.rows[0])) == list(short_labels(grid.rows[1]))
    assert read_sheet(grid)[0][0].project == LONG_NAME


def test_a_year_label_beats_a_title_year_and_a_short_title_counts():
    grid = _sheet(
        "年度",
        [["2022年项目支出绩效自评表"], ["自评年度", 2023.0]],
        [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 100.0)],
    )
    assert read_sheet(grid)[0][0].year == 2023
    grid = _sheet(
        "标题",
        [["2022年项目支出绩效自评表"]],
        [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 100.0)],
    )
    assert read_sheet(grid)[0][0].year == 2022


def test_a_long_project_cell_in_the_first_columns_starts_the_next_table():
    # the second 项目名称：… is 125 characters: only its raw text tells it is one
    grid = Grid(
        "两表",
        [
            ["项目名称", "甲"],
            HEADER,
            _row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, 96.0),
            ["项目名称：" + LONG_NAME],
            HEADER,
            _row("", "产出指标", "数量指标", "面积", "≥5亩", "5亩", 100.0, 90.0),
        ],
    )
    tables, _ = read_sheet(grid)
    assert [t.project for t in tables] == ["甲", LONG_NAME]
    assert [len(t.indicators) for t in tables] == [1, 1]
    assert [t.indicators[0].entered_score for t in tables] == [D(96), D(90)]


def test_a_grade_after_its_colon_and_a_short_row():
    grid = _sheet(
        "等级",
        [["项目名称", "乙"]],
        [
            _row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 60.0, 60.0),
            ["", "", "", "时效", "按时", "按时", 40.0],  # shorter than the header: no 得分
            _row("总分", "", "", "", "", "", 100.0, 88.0),
            ["评价等级：良"],
        ],
    )
    table = read_sheet(grid)[0][0]
    assert [(i.name, i.weight, i.entered_score) for i in table.indicators] == [
        ("人数", D(60), D(60)),
        ("时效", D(40), None),
    ]
    # 总分 | … | 100 | 88: the 得分 column (H) holds the printed total
    assert (table.reported_total, table.reported_grade) == (D(88), "良")
    assert str(table.cells["total"]) == "等级!H5"


def test_tables_with_the_same_header_are_read_alike_one_after_the_other():
    def sheet(name: str, score: float) -> Grid:
        return _sheet(
            name,
            [["项目名称", name]],
            [_row("", "产出指标", "数量指标", "人数", "≥10人", "10人", 100.0, score)],
        )

    first = read_sheet(sheet("一", 95.0))[0][0]
    second = read_sheet(sheet("二", 85.0))[0][0]
    assert (first.project, first.indicators[0].entered_score) == ("一", D(95))
    assert (second.project, second.indicators[0].entered_score) == ("二", D(85))
    assert str(second.indicators[0].cells["score"]) == "二!H3"
    assert first.indicators[0].cells is not second.indicators[0].cells


MONITORING_HEADER = [
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "1-6月实际完成值",
    "原因说明",
]


def test_a_monitoring_header_split_over_two_rows_is_read_again_the_same():
    # 完成目标可能性 over 确定能 | 有可能 | 完全不可能 in the row below: the reader adds
    # the sub-columns' fields to the header's columns, which must not stick to the
    # answer remembered for the header row's texts
    rows = [
        ["项目名称", "丙"],
        [*MONITORING_HEADER, "完成目标可能性", "", ""],
        ["", "", "", "", "", "", "确定能", "有可能", "完全不可能"],
        ["产出指标", "数量指标", "人数", "≥10人", "6人", "", "√", "", ""],
    ]
    first = read_monitoring(Grid("监控一", [list(r) for r in rows]))
    second = read_monitoring(Grid("监控二", [list(r) for r in rows]))
    assert len(first) == len(second) == 1
    assert first[0].month == second[0].month == 6
    assert [r.likelihood for r in first[0].rows] == [r.likelihood for r in second[0].rows]
    assert [r.likelihood for r in second[0].rows] == ["确定能"]


def test_a_header_completed_by_the_row_below_leaves_the_same_header_elsewhere_alone():
    # sheet 一 names its 1-6月实际完成值 in the row under the header; sheet 二 has the
    # same header row with an indicator right under it and no actual column: its
    # figure in column G is nobody's actual
    header = ["一级指标", "二级指标", "三级指标", "年度指标值", "全年预计完成值", "原因说明", ""]
    first = Grid(
        "监控一",
        [
            list(header),
            ["", "", "", "", "", "", "1-6月实际完成值"],
            ["产出指标", "数量指标", "人数", "≥10人", "10人", "", "6人"],
        ],
    )
    second = Grid(
        "监控二",
        [list(header), ["产出指标", "数量指标", "人数", "≥10人", "10人", "", "999"]],
    )
    assert [r.actual_text for r in read_monitoring(first)[0].rows] == ["6人"]
    assert [r.actual_text for r in read_monitoring(second)[0].rows] == [None]
