"""Monitoring findings on their cells: the annotated copy and the Excel ribbon's 校验本表.

The workbooks are the MoF annex layout of tests/monitoring/workbooks.py. Where its cells
sit (worked out from mof_annex_rows, row by row): row 5 is the funds header (A 项目资金,
B 年初预算数, C 全年预算数, D 1-6月执行数, E 执行率, F 全年预计执行数, G:L 偏差原因分析,
M 原因说明), row 6 年度资金总额; row 9 the indicator header (B 一级 … E 年度指标值,
F 1-6月实际完成值, G 全年预计完成值, H:L the five 偏差原因 ticks, M 完成目标可能性,
N 原因说明), row 10 the tick captions, row 11 the first indicator.

The figures, by hand: 87.57 / 220 = 0.39804 -> 执行率 39.80%; month 6 -> 序时进度
6/12 = 50.00%; v = 0.3980 / 0.5 = 0.796, below 0.8 -> 黄 (issue 12's golden case).
培训人数 ≥100人 with 10人 by June: 10 / (100 × 6/12) = 0.2, below 0.6 -> 红.
So PX115 (a warning, orange #FFC000) on M6 (the funds row's empty 原因说明) and on N11
(the 红 row's empty 原因说明); with no 偏差原因 ticked, PX116 on the row's ticks too.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from excel.fake_excel import FakeBook
from openpyxl import load_workbook

from monitoring import workbooks as wb
from perfxl.cli import main
from perfxl.excel import ribbon
from perfxl.excel.sheet import (
    COMMENT_HEAD,
    RESULTS_SHEET,
    OpenpyxlBook,
    XlwingsBook,
    marked_cells,
)
from perfxl.model import CellRef
from perfxl.profiles import DEFAULT_PROFILE, load_profile
from perfxl.validation import check_file

ROOT = Path(__file__).resolve().parents[2]
ORANGE = "#FFC000"  # a warning's fill (perfxl.excel.sheet.FILLS)
SHEET = "监控表"


def red_row(path: Path, causes: tuple[str, ...] = ("经费保障",)) -> Path:
    """The golden 220 / 87.57 table at month 6 with one 红 row and no 原因说明 anywhere."""
    row = wb.indicator(
        "产出指标", "数量指标", "培训人数", "≥100人", "10人", "100人", causes=causes, reason=None
    )
    return wb.mof_annex(path, rows=[row])


def _marks(path: Path, sheet: str = SHEET) -> dict[str, tuple[str | None, str]]:
    """cell -> (fill #RRGGBB, comment) of every commented cell of an annotated copy."""
    found = {}
    for row in load_workbook(path)[sheet].iter_rows():
        for cell in row:
            if cell.comment is not None:
                rgb = cell.fill.fgColor.rgb if cell.fill.fill_type == "solid" else None
                found[cell.coordinate] = ("#" + rgb[-6:] if rgb else None, cell.comment.text)
    return found


# --------------------------------------------------------------------------- --annotate


def test_annotated_copy_marks_the_monitoring_findings(tmp_path):
    source = red_row(tmp_path / "监控.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["validate", "--annotate", str(out), str(source)])
    assert result.exit_code == 0, result.output  # warnings only
    copy = out / "监控.xlsx"
    marks = _marks(copy)
    assert set(marks) == {"M6", "N11"}
    fill, note = marks["N11"]
    assert fill == ORANGE and note.startswith(COMMENT_HEAD)
    assert "PX115" in note and "培训人数" in note and "红灯" in note
    fill, note = marks["M6"]
    assert fill == ORANGE and "PX115" in note and "黄灯" in note  # v 0.796 -> 黄
    results = [list(r) for r in load_workbook(copy)[RESULTS_SHEET].iter_rows(values_only=True)]
    assert [r[:3] for r in results[1:]] == [
        ["PX115", "警告", "监控表!M6"],
        ["PX115", "警告", "监控表!N11"],
    ]
    # the source is never written
    assert not any(c.comment for r in load_workbook(source)[SHEET].iter_rows() for c in r)


def test_annotated_copy_of_a_county_monitoring_workbook(tmp_path):
    """The example county's May round: 司法局's one PX115 (see `perfxl validate
    examples/county/监控/`) lands on its cell, 法律援助经费!P13."""
    folder = ROOT / "examples" / "county" / "监控" / "示例县司法局"
    (source,) = folder.glob("*.xlsx")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["validate", "--annotate", str(out), str(source)])
    assert result.exit_code == 0, result.output
    marks = _marks(out / source.name, "法律援助经费")
    assert list(marks) == ["P13"]
    assert marks["P13"][0] == ORANGE and "PX115" in marks["P13"][1]


# --------------------------------------------------------------------------- the ribbon


def test_ribbon_marks_a_monitoring_sheet_and_lists_its_findings(tmp_path):
    # no 偏差原因 ticked on the 红 row: PX116 joins PX115 (both warnings); where the
    # ticks sit the rule's cell is the first of H11:L11 or the row's own cell, so it is
    # looked up rather than assumed
    path = red_row(tmp_path / "监控.xlsx", causes=())
    book = OpenpyxlBook.load(path)
    ribbon.handle("perfxl.validate", book)
    (message,) = book.messages
    assert "校验完成" in message
    assert "监控月份 6 月" in message
    assert "执行率 39.80%（序时进度 50.00%）" in message
    assert "预算执行黄灯" in message and "项目预警红灯" in message  # worst of 黄 and 红
    assert "总分" not in message
    assert "警告 3 条" in message
    rows = book.rows(RESULTS_SHEET)[1:]
    codes = sorted((r[0], r[2]) for r in rows)
    assert ("PX115", "监控表!M6") in codes and ("PX115", "监控表!N11") in codes
    (px116,) = [r for r in rows if r[0] == "PX116"]
    cells = marked_cells(book)
    assert CellRef(SHEET, 6, 13) in cells and CellRef(SHEET, 11, 14) in cells  # M6, N11
    assert len(cells) == 3 and px116[2].split("!")[1] in {c.a1 for c in cells}
    n11 = CellRef(SHEET, 11, 14)
    assert book.fill(n11) == ORANGE and "PX115" in book.comment(n11)
    ribbon.handle("perfxl.clear", book)
    assert marked_cells(book) == [] and RESULTS_SHEET not in book.sheet_names()
    assert book.fill(n11) is None and book.comment(n11) is None


def test_ribbon_on_a_live_monitoring_sheet_marks_like_the_openpyxl_book(tmp_path):
    """XlwingsBook over the fake Excel marks the same cells and says the same."""
    path = red_row(tmp_path / "监控.xlsx")
    live = FakeBook(path)
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    reference = OpenpyxlBook.load(path)
    ribbon.handle("perfxl.validate", reference)
    assert (
        marked_cells(book)
        == marked_cells(reference)
        == [
            CellRef(SHEET, 6, 13),
            CellRef(SHEET, 11, 14),
        ]
    )
    assert live.app.alerts == reference.messages
    assert book.rows(RESULTS_SHEET) == reference.rows(RESULTS_SHEET)
    assert book.fill(CellRef(SHEET, 11, 14)) == ORANGE


def test_ribbon_compares_targets_with_the_workbooks_self_evaluation(tmp_path):
    """Seed 002 with a 监控表 sheet of the same project whose 支出分类 target reads
    小于等于6个 (the 自评表 says 小于等于5个): 校验本表 on the 监控表 gives PX119 on the
    row's 年度指标值, E11, as `perfxl validate` does for the file."""
    book = openpyxl.load_workbook(ROOT / "examples" / "seeds" / "seed002.xlsx")
    sheet = book.create_sheet(SHEET)
    rows, _ = wb.mof_annex_rows(
        project="机关运行补助项目",
        rows=[wb.indicator("产出指标", "数量指标", "支出分类", "小于等于6个", "4个")],
    )
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(r, c, value)
    book.active = book.sheetnames.index(SHEET)
    path = tmp_path / "both.xlsx"
    book.save(path)
    marked = OpenpyxlBook.load(path)
    ribbon.handle("perfxl.validate", marked)
    listed = marked.rows(RESULTS_SHEET)[1:]
    drift = [r for r in listed if r[0] == "PX119" and r[2] == "监控表!E11"]
    assert drift and "小于等于6个" in drift[0][3]
    assert "PX119" in marked.comment(CellRef(SHEET, 11, 5))
    # the same findings as the command line gives the file's 监控表, and no others
    check = check_file(path, load_profile(DEFAULT_PROFILE))
    (monitoring,) = check.monitoring
    expected = [[f.code, f.location, f.message] for f in monitoring.findings]
    assert [[r[0], r[2], r[3]] for r in listed] == expected


@pytest.mark.parametrize("name", ["monitor_plain", "monitor_udf"])
def test_ribbon_on_an_empty_monitor_template_finds_the_table(name):
    """A blank monitor template (workbook_templates/) is a monitoring table to 校验本表:
    the message names the month block, not “未找到绩效指标表”."""
    (path,) = (ROOT / "workbook_templates").glob(f"mof2020_{name}.xlsx")
    book = OpenpyxlBook.load(path)
    ribbon.validate_sheet(book)
    assert "未找到" not in book.messages[-1]
    assert "监控月份" in book.messages[-1]


def test_ribbon_on_a_sheet_with_neither_table_names_both(tmp_path):
    path = wb.write(tmp_path / "封面.xlsx", [["说明"], ["本工作簿为示例"]], sheet="封面")
    book = OpenpyxlBook.load(path)
    ribbon.validate_sheet(book)
    assert "未找到绩效指标表" in book.messages[-1]
    assert "自评表需要" in book.messages[-1] and "监控表需要" in book.messages[-1]
    assert RESULTS_SHEET not in book.sheet_names()
