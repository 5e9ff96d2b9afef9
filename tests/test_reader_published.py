"""The reader on layouts published tables use (issue 8): total rows mid-row, typed
执行率 above 100%, money typed as text in the funds block, placeholder and breakdown
rows, the table's year, split target columns. Expected values are read off the rows
written here by hand, never from the reader.
"""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfxl.libreoffice import convert
from perfxl.profiles import load_profile
from perfxl.reader import read_workbook
from perfxl.scoring import score_table

D = Decimal
FUNDS_LABELS = [
    None,
    None,
    None,
    "年初预算数",
    "全年预算数",
    "全年执行数",
    "分值",
    "执行率",
    "得分",
]
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


def _book(path: Path, rows: list[list[Any]], formats: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for ref, fmt in (formats or {}).items():
        ws[ref].number_format = fmt
    wb.save(path)
    return path


def _table(path: Path):
    read = read_workbook(path)
    assert len(read.tables) == 1, read.findings
    return read.tables[0]


def _funds_book(path: Path, total_row: list[Any], formats=None, extra=()) -> Path:
    """A minimal national table whose funds row (row 3) is `total_row` from column B."""
    rows = [
        ["项目名称", "测试项目"],
        ["项目资金（万元）", *FUNDS_LABELS[1:]],
        [None, "年度资金总额", None, *total_row],
        *extra,
        HEADER,
        [None, "产出指标", "数量指标", "培训人数", "≥100人", "100人", 90, 90],
        ["总分", None, None, None, None, None, 100, 100],
    ]
    return _book(path, rows, formats)


# --------------------------------------------------------------------------- 1. total row


def test_total_label_mid_row_is_the_total_not_an_indicator(tmp_path: Path) -> None:
    rows = [
        ["项目名称", "营养改善计划"],
        HEADER,
        [None, "产出指标", "数量指标", "受资助人数", "≥735人", "735人", 60, 60],
        [None, "效益指标", "社会效益指标", "政策知晓率", "≥95%", "98%", 40, 36],
        ["其他需要说明事项", "无", None, None, None, "总分", 100, 96, "优"],
    ]
    table = _table(_book(tmp_path / "mid.xlsx", rows))
    assert [i.name for i in table.indicators] == ["受资助人数", "政策知晓率"]
    assert (table.reported_total, table.reported_grade) == (D(96), "优")
    assert str(table.cells["total"]) == "自评表!H5"  # the 得分 column, right of the label


def test_total_right_of_the_score_column_takes_its_own_figures(tmp_path: Path) -> None:
    """总分 | 100 | 95 past the 得分 column: the second figure is the score."""
    rows = [
        HEADER,
        [None, "产出指标", "数量指标", "受资助人数", "≥735人", "735人", 100, 95],
        [None, None, None, None, None, None, None, None, "总分", 100, 95, "良"],
    ]
    table = _table(_book(tmp_path / "far.xlsx", rows))
    assert [i.name for i in table.indicators] == ["受资助人数"]
    assert (table.reported_total, table.reported_grade) == (D(95), "良")


# --------------------------------------------------------------------------- 2. typed 执行率


@pytest.mark.parametrize(
    ("typed", "fmt", "expected"),
    [
        (1.0259, "0.00%", D("1.0259")),  # shown 102.59%: a fraction, never 1.03%
        (1.0259, None, D("1.0259")),  # no format: it can be a fraction, so it is one
        (0.8182, "0.00%", D("0.8182")),
        (81.82, None, D("0.8182")),  # 8182% cannot be: typed in percent
        (2.5, "0%", D("2.5")),  # shown 250%: the format says fraction
        (2.5, None, D("0.025")),  # above 200% with no percent format: typed in percent
        ("102.59%", None, D("1.0259")),
        ("81.82", None, D("0.8182")),
    ],
)
def test_typed_execution_rate(tmp_path: Path, typed: Any, fmt: str | None, expected) -> None:
    formats = {"H3": fmt} if fmt else None
    path = _funds_book(tmp_path / "rate.xlsx", [100, 100, 100, 10, typed, 10], formats)
    assert _table(path).funds.reported_rate == expected


def test_typed_rate_format_survives_libreoffice(tmp_path: Path, soffice: str) -> None:
    """LibreOffice writes its own styles part and shared strings; the format is still read."""
    source = _funds_book(tmp_path / "rate.xlsx", [100, 100, 250, 10, 2.5, 10], {"H3": "0.00%"})
    convert([source], "xlsx", tmp_path / "lo", timeout=120)
    table = _table(tmp_path / "lo" / "rate.xlsx")
    assert table.funds.reported_rate == D("2.5")
    assert table.funds.spent == D(250)


# --------------------------------------------------------------------------- 3. money as text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("46.5万", D("46.5")),
        ("50万元", D(50)),
        ("50", D(50)),
        ("465000元", D("46.5")),
        ("4.65e5元", D("46.5")),
    ],
)
def test_money_typed_as_text_in_the_funds_block(tmp_path: Path, typed: str, expected) -> None:
    path = _funds_book(tmp_path / "money.xlsx", [100, 100, typed, 10, None, None])
    table = _table(path)
    assert table.funds.spent == expected
    assert table.findings == ()


def test_unreadable_money_names_its_cell_and_falls_back_to_the_typed_rate(tmp_path) -> None:
    path = _funds_book(tmp_path / "bad.xlsx", [100, 100, "约四十六万", 10, 0.95, 9.5])
    table = _table(path)
    assert table.funds.spent is None
    codes = {f.code: str(f.cell) for f in table.findings}
    assert codes == {"PX007": "自评表!F3", "PX008": "自评表!H3"}
    result = score_table(table, load_profile("mof2020"))
    # the typed 95% is scored: 10 × 0.95 = 9.5, not 0
    assert result.execution_rate == D("0.95")
    assert result.rows[0].score == D("9.5")
    assert {"PX007", "PX008"} <= {f.code for f in result.all_findings}


def test_funds_on_the_breakdown_row_when_the_total_row_is_zero(tmp_path: Path) -> None:
    extra = [[None, "其中:本年财政拨款", None, 202.64, 132.912, 132.912]]
    path = _funds_book(tmp_path / "qizhong.xlsx", [0, 0, 0, 10, 0, 0], extra=extra)
    funds = _table(path).funds
    assert (funds.initial_budget, funds.budget, funds.spent) == (
        D("202.64"),
        D("132.912"),
        D("132.912"),
    )
    assert (funds.reported_rate, funds.reported_score) == (D(0), D(0))  # printed on the total row
    assert str(funds.cells["spent"]) == "自评表!F4"


# --------------------------------------------------------------------------- 4. placeholders


def test_placeholder_and_breakdown_rows_are_not_indicators(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [None, "产出指标", "数量指标", "指标1：培训人数", "≥100人", "100人", 20, 20],
        [None, None, None, "指标2:"],
        [None, None, None, "……"],
        [None, None, None, "…"],
        [None, None, None, "其中：桃树种植面积", "1亩", "1亩"],
        [None, None, "质量指标", "★补助种植面积", None, None, 20, 20],
        [None, None, None, "        红薯种植面积", "5.5亩", "5.5亩"],
        [None, None, None, "        梨树种植面积", "6亩", "6亩"],
        [None, None, "时效指标", "完成及时率", "100%", "100%", 20, 20],
        [None, None, None, "验收合格率", "100%", "100%"],  # 分值 forgotten: still a row
        [None, "效益指标", "生态效益指标"],
    ]
    table = _table(_book(tmp_path / "placeholders.xlsx", rows))
    assert [i.name for i in table.indicators] == [
        "指标1：培训人数",
        "★补助种植面积",
        "完成及时率",
        "验收合格率",
    ]


# --------------------------------------------------------------------------- 5. the year


@pytest.mark.parametrize(
    ("top", "year"),
    [
        ([["项目支出绩效自评表"], ["（2023年度）"]], 2023),
        ([["2022年度乡村振兴项目支出绩效自评表"]], 2022),
        ([["项目支出绩效自评表"], ["自评年度", 2021]], 2021),
        ([["项目支出绩效自评表"], ["年度：2020年"]], 2020),
        ([["项目支出绩效自评表"]], None),
    ],
)
def test_table_year(tmp_path: Path, top: list[list[Any]], year: int | None) -> None:
    rows = [*top, ["项目名称", "测试项目"], HEADER]
    rows.append([None, "产出指标", "时效指标", "完成时间", "12月底前", "11月", 100, 100])
    assert _table(_book(tmp_path / "year.xlsx", rows)).year == year


# --------------------------------------------------------------------------- layouts


def test_split_target_columns_under_a_two_row_header(tmp_path: Path) -> None:
    rows = [
        ["绩效指标", None, None, "年度指标值", None, None, "实际完成值", "分值", "得分"],
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位"],
        ["产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", 735, 50, 50],
        [None, "质量指标", "覆盖率", "═", 100, "%", "100%", 30, 30],
        ["效益指标", "社会效益指标", "减轻负担", None, "有效", None, "有效", 20, 20],
    ]
    table = _table(_book(tmp_path / "split.xlsx", rows))
    assert [i.target_text for i in table.indicators] == ["≧735人次", "═100%", "有效"]


# --------------------------------------------------------------------------- LibreOffice


def test_seeds_read_the_same_after_libreoffice(tmp_path: Path, soffice: str) -> None:
    """LibreOffice writes shared strings, its own styles and <f aca="false"> formulas with
    their computed cache: the tables read the same, the formulas are known as formulas."""
    from perfxl.samples.national import write_workbook
    from perfxl.samples.seeds import SEEDS

    source = tmp_path / "seeds.xlsx"
    write_workbook([SEEDS["002"], SEEDS["003"]], source)
    wb = openpyxl.load_workbook(source)
    ws = wb["援疆工作经费项目"]
    for r in range(13, 19):  # the six 决策 rows' 得分 as =G13 … =G18
        ws[f"H{r}"] = f"=G{r}"
    wb.save(source)
    convert([source], "xlsx", tmp_path / "lo", timeout=120)
    saved = tmp_path / "lo" / "seeds.xlsx"
    with zipfile.ZipFile(saved) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    before, after = read_workbook(source), read_workbook(saved)
    assert after.findings == before.findings == []
    assert [t.project for t in after.tables] == ["机关运行补助项目", "援疆工作经费项目"]
    for old, new in zip(before.tables, after.tables, strict=True):
        assert [i.name for i in new.indicators] == [i.name for i in old.indicators]
        assert [i.target_text for i in new.indicators] == [i.target_text for i in old.indicators]
        assert [i.weight for i in new.indicators] == [i.weight for i in old.indicators]
        assert (new.funds.spent, new.funds.reported_rate) == (
            old.funds.spent,
            old.funds.reported_rate,
        )
        assert (new.reported_total, new.reported_grade) == (old.reported_total, old.reported_grade)
    formulas = [i.score_formula for i in after.tables[1].indicators[:7]]
    assert formulas == [True] * 6 + [False]
    # LibreOffice computed the cache: =G13 is the row's 分值
    assert [i.entered_score for i in after.tables[1].indicators[:6]] == [
        i.weight for i in after.tables[1].indicators[:6]
    ]


def test_shared_formulas_are_formulas(tmp_path: Path) -> None:
    """Excel writes a formula copied down as one <f t="shared" ref="H13:H15" si="0"> and
    bare <f t="shared" si="0"/> in the cells after it: each copy is a formula."""
    rows = [
        HEADER,
        [None, "决策", "项目立项", "立项依据充分性", None, None, 5, 5],
        [None, None, None, "立项程序规范性", None, None, 5, 5],
        [None, None, None, "绩效目标合理性", None, None, 5, 5],
        [None, "产出指标", "数量指标", "培训人数", "≥100人", "100人", 85, 85],
    ]
    source = _book(tmp_path / "plain.xlsx", rows)
    with zipfile.ZipFile(source) as archive:
        parts = {n: archive.read(n) for n in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for r, f in ((2, '<f t="shared" ref="H2:H4" si="0">G2</f>'), (3, '<f t="shared" si="0"/>'),
                 (4, '<f t="shared" si="0"/>')):  # fmt: skip
        start = sheet.index(f'<c r="H{r}"')
        head_end = sheet.index(">", start)
        sheet = sheet[: head_end + 1] + f + sheet[head_end + 1 :]
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    path = tmp_path / "shared.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    table = _table(path)
    assert [i.score_formula for i in table.indicators] == [True, True, True, False]


def test_level2_points_are_not_part_of_the_name(tmp_path: Path) -> None:
    rows = [
        HEADER,
        [None, "产出指标(30分)", "数量指标(10分)", "保障人数", "2370人", "2370人", 10, 10],
        [None, None, "成本指标（10分）", "办公所需成本", "15万元", "15万元", 10, 10],
    ]
    table = _table(_book(tmp_path / "level2.xlsx", rows))
    assert [(i.level1, i.level2) for i in table.indicators] == [
        ("产出指标", "数量指标"),
        ("产出指标", "成本指标"),
    ]
    assert table.indicators[0].level1_points == D(30)


def test_header_block_total_when_there_is_no_total_row(tmp_path: Path) -> None:
    rows = [
        ["项目名称", "初中公用经费"],
        ["自评得分", 98, None, "财政审核评分"],
        HEADER,
        [None, "产出指标", "数量指标", "保障人数", "2370人", "2370人", 100, 98],
    ]
    table = _table(_book(tmp_path / "self_score.xlsx", rows))
    assert (table.reported_total, str(table.cells["total"])) == (D(98), "自评表!B2")
    assert [i.name for i in table.indicators] == ["保障人数"]


def test_funds_block_in_yuan(tmp_path: Path) -> None:
    """项目资金(元): 387664.62 元 is 38.766462 万元; a figure with its own unit keeps it."""
    rows = [
        [
            "项目资金 (元)",
            None,
            None,
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
        ],
        [None, "年度资金总额", None, None, 387664.62, "30万元", 10, 1, 10],
        HEADER,
        [None, "产出指标", "数量指标", "受资助人数", "≥735人", "735人", 90, 90],
    ]
    funds = _table(_book(tmp_path / "yuan.xlsx", rows)).funds
    assert (funds.budget, funds.spent) == (D("38.766462"), D(30))


def test_total_row_without_a_score_column_has_no_printed_total(tmp_path: Path) -> None:
    """总分 | 100 with no 得分 column: 100 is the 分值 total, not a score."""
    rows = [
        HEADER[:7],
        [None, "产出指标", "数量指标", "受资助人数", "≥735人", "735人", 100],
        ["总分", None, None, None, None, None, 100],
    ]
    table = _table(_book(tmp_path / "noscore.xlsx", rows))
    assert table.reported_total is None
    assert [i.name for i in table.indicators] == ["受资助人数"]
