"""Header texts to fields, edge by edge: the reader finds tables by these answers, so
each way a label may be written (marks, a trailing note, a listed label with its own
parentheses, a month in the label) is pinned here with the answer a reader of the
table would give."""

import pytest

from perfxl.reader.labels import FUNDS_COLUMNS, INDICATOR_COLUMNS, _match, match_column
from perfxl.reader.monitoring_labels import COLUMNS, month_label


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("分值", "weight"),
        ("*分值", "weight"),  # a required-field star
        ("分值:", "weight"),  # a label colon
        ("分值(分)", "weight"),  # a trailing note
        ("*分值(分)", "weight"),  # both
        ("年度指标值(A)", "target"),  # listed with its parentheses
        ("年度指标值(万元)", "target"),  # an unlisted note
        ("实际完成值(B)", "actual"),
        ("偏差原因分析及改进措施(注)", "reason"),
        ("(分)", None),  # a note alone names nothing
        ("分值(分)(注)", None),  # only the last note comes off
        ("分值)", None),
        ("得分率", None),
        ("", None),
    ],
)
def test_indicator_header_texts(text, field):
    assert match_column(text, INDICATOR_COLUMNS) == field
    assert _match(text, INDICATOR_COLUMNS) == field  # uncached, same answer


def test_first_listed_field_wins_for_a_label_two_fields_list():
    # 分值 and 得分 are both the funds block's own columns; 执行率 only rate
    assert match_column("执行率(%)", FUNDS_COLUMNS) == "rate"
    table = {"a": ("x", "y"), "b": ("y", "z")}
    assert match_column("y", table) == "a"
    assert match_column("*z(注)", table) == "b"


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1-6月实际完成值", (6, "实际完成值")),
        ("截至6月底执行数", (6, "执行数")),
        ("一至五月执行数", (5, "执行数")),
        ("半年执行数", (6, "执行数")),
        ("上半年执行数", (6, "执行数")),
        ("上半年度指标执行情况", (6, "指标执行情况")),
        ("年中执行数", (6, "执行数")),
        ("半年", None),  # nothing after the half year
        ("1-13月执行数", None),
        ("实际完成值", None),
        ("全年执行数", None),
        ("6月", None),
    ],
)
def test_month_labels(text, answer):
    assert month_label(text) == answer


def test_monitoring_columns_with_a_month():
    from perfxl.reader.monitoring_labels import column_field

    assert column_field("1-6月实际完成值", COLUMNS) == ("actual", 6)
    assert column_field("半年完成情况", COLUMNS) == ("actual", 6)  # 完成 in the rest
    assert column_field("三级指标", COLUMNS) == ("name", None)


def test_long_texts_are_matched_but_not_remembered_without_their_note():
    """A cell of thousands of characters ending in a note is matched like a short one,
    and the cache of notes cut off keeps only label-length texts."""
    from perfxl.reader import labels

    kept = labels._without_note.cache_info().currsize
    long_text = "甲" * 5000 + "(备注)"
    assert labels.match_column(long_text, labels.INDICATOR_COLUMNS) is None
    assert labels._without_note.cache_info().currsize == kept
