"""The reader against real-looking tables: seeds in every writer variant, hand-built
layouts that move things around, formula cells, and files that are not workbooks.

Expected values are written out by hand from the seed reports and the national layout
(header row 12, indicators from row 13), never read back from the reader itself.
"""

from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfxl.findings import Severity
from perfxl.libreoffice import convert
from perfxl.model import CellRef, Funds
from perfxl.profiles import load_profile
from perfxl.reader import read_workbook
from perfxl.reader.grid import MAX_UNCOMPRESSED
from perfxl.results import Method
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.scoring import score_table
from perfxl.validation import check_table

D = Decimal
S3 = "援疆工作经费项目"  # seed 003's sheet: the writer names sheets after projects
S2 = "机关运行补助项目"
LEVEL1_003 = ["决策"] * 6 + ["过程"] * 5 + ["产出"] * 9 + ["效益"] * 3
FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")
NATIONAL_COLUMNS = dict(zip(FIELDS, range(2, 10), strict=True))  # B..I


def _seed(tmp_path: Path, *keys: str, name: str = "seed.xlsx", **options: Any) -> Path:
    path = tmp_path / name
    write_workbook([SEEDS[k] for k in keys], path, **options)
    return path


def _one_table(path: Path):
    read = read_workbook(path)
    assert read.findings == []
    assert len(read.tables) == 1
    return read.tables[0]


def _book(path: Path, rows: list[list[Any]], *, top: int = 1, left: int = 1, merges=()) -> Path:
    """One sheet "自评表" with `rows` placed from (top, left); None leaves a cell empty."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    for r, values in enumerate(rows, start=top):
        for c, value in enumerate(values, start=left):
            if value is not None:
                ws.cell(r, c, value)
    for merge in merges:
        ws.merge_cells(merge)
    wb.save(path)
    return path


HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]


# --------------------------------------------------------------------------- seed 003


def test_seed_header_fields_and_funds(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003"))
    agency = "昌吉回族自治州对口援疆工作领导小组办公室"
    assert (table.sheet, table.project, table.layout) == (S3, "援疆工作经费项目", "national")
    assert (table.department, table.unit) == (agency, agency)
    f = table.funds
    assert [f.initial_budget, f.budget, f.received, f.spent] == [D(100), D("81.82")] * 2
    assert (f.reported_rate, f.weight, f.reported_score) == (D("0.8182"), None, None)
    assert (str(f.cells["spent"]), str(f.cells["rate"])) == (f"{S3}!F6", f"{S3}!H6")
    assert {k: str(v) for k, v in table.cells.items()} == {
        "project": f"{S3}!B3",
        "department": f"{S3}!B4",
        "unit": f"{S3}!G4",
        "total": f"{S3}!H36",  # indicators fill rows 13–35, then 总分
    }


def test_seed_indicators(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003"))
    assert len(table.indicators) == 23
    first = table.indicators[0]
    assert (first.level1, first.level2, first.name) == ("决策", "项目立项", "立项依据充分性")
    assert (first.target_text, first.actual_text, first.weight, first.entered_score) == (
        None, None, D(5), D(5)
    )  # fmt: skip
    assert [i.level1 for i in table.indicators] == LEVEL1_003
    # 6 决策 rows fill 13–18, 资金到位率 is row 19, 预算执行率 row 20.
    execution = table.indicators[7]
    assert execution.name == "预算执行率"
    assert (execution.target_text, execution.actual_text) == ("100%", "81.82%")
    assert (execution.weight, execution.entered_score) == (D(5), D("2.7"))
    assert execution.reason is not None and execution.reason.startswith("由于2023年度")
    assert (str(execution.cells["target"]), str(execution.cell)) == (f"{S3}!E20", f"{S3}!D20")
    cost = table.indicators[18]
    assert (cost.target_text, cost.actual_text, cost.weight, cost.entered_score) == (
        "小于等于20万元", "1.82万元", D(2), D(0)
    )  # fmt: skip
    last = table.indicators[-1]
    assert (last.level2, last.target_text, last.actual_text) == ("满意度指标", "大于等于90%", "90%")


def test_seed_total_and_grade(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003"))
    assert (table.reported_total, table.reported_grade) == (D("95.72"), "优")


def test_seed_every_cell_points_at_its_column(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003"))
    for offset, indicator in enumerate(table.indicators):
        expected = {key: CellRef(S3, 13 + offset, col) for key, col in NATIONAL_COLUMNS.items()}
        assert indicator.cells == expected


# --------------------------------------------------------------------------- variants


def test_traditional_reads_like_simplified(tmp_path: Path) -> None:
    plain = _one_table(_seed(tmp_path, "003", name="plain.xlsx"))
    table = _one_table(_seed(tmp_path, "003", name="trad.xlsx", traditional=True))
    assert (table.funds.budget, table.funds.reported_rate) == (D("81.82"), D("0.8182"))
    assert (table.reported_total, table.reported_grade) == (D("95.72"), "优")
    assert [i.level1 for i in table.indicators] == LEVEL1_003
    assert table.indicators[0].level2 == "项目立项"  # 項目立項 comes back simplified
    assert table.indicators[-1].level2 == "满意度指标"
    assert table == plain


def test_synonym_headers_from_writer(tmp_path: Path) -> None:
    plain = _one_table(_seed(tmp_path, "003", name="plain.xlsx"))
    table = _one_table(_seed(tmp_path, "003", name="syn.xlsx", header_variant="synonyms"))
    assert (table.indicators[7].target_text, table.indicators[7].weight) == ("100%", D(5))
    assert table == plain


@pytest.mark.parametrize(
    ("target_label", "actual_label"),
    [("年度目标值", "全年实际值"), ("年度目标值", "实际完成情况"), ("目标值", "完成值")],
)
def test_synonym_headers_hand_built(tmp_path: Path, target_label: str, actual_label: str) -> None:
    rows = [
        ["三级指标", target_label, actual_label, "权重", "评分"],
        ["培训人数", "≥100人", "120人", 60, 60],
        ["满意度", ">=90%", "92%", 40, 40],
    ]
    table = _one_table(_book(tmp_path / "syn.xlsx", rows))
    assert [(i.name, i.target_text, i.actual_text, i.weight) for i in table.indicators] == [
        ("培训人数", "≥100人", "120人", D(60)),
        ("满意度", ">=90%", "92%", D(40)),
    ]
    assert str(table.indicators[1].cells["actual"]) == "自评表!C3"


def test_spacer_rows_give_no_empty_indicators(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003", spacer_rows=True))
    assert len(table.indicators) == 23
    assert all(i.name and i.weight is not None for i in table.indicators)
    assert [i.level1 for i in table.indicators] == LEVEL1_003
    # one spacer row after the 决策 block moves 预算执行率 from row 20 to 21
    assert str(table.indicators[7].cells["target"]) == f"{S3}!E21"
    assert table.reported_total == D("95.72")


def test_level1_points(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003", level1_points=True))
    first = table.indicators[0]
    assert (first.level1, first.level1_points) == ("决策", D(21))
    points = {i.level1: i.level1_points for i in table.indicators}
    assert points == {"决策": D(21), "过程": D(19), "产出": D(30), "效益": D(30)}


def test_several_project_sheets(tmp_path: Path) -> None:
    read = read_workbook(_seed(tmp_path, "002", "003"))
    assert read.findings == []
    assert [t.sheet for t in read.tables] == [S2, S3]
    assert [t.project for t in read.tables] == [S2, S3]
    assert [len(t.indicators) for t in read.tables] == [18, 23]
    assert [t.reported_total for t in read.tables] == [D("87.26"), D("95.72")]
    assert [t.reported_grade for t in read.tables] == ["良", "优"]
    assert read.tables[0].funds.budget == D("1994")
    assert read.tables[0].indicators[0].cells["name"] == CellRef(S2, 13, 4)


def test_sheet_names_given(tmp_path: Path) -> None:
    read = read_workbook(_seed(tmp_path, "002", "003", sheet_names=["项目一", "项目二"]))
    assert [(t.sheet, t.project) for t in read.tables] == [("项目一", S2), ("项目二", S3)]
    assert str(read.tables[1].indicators[7].cells["target"]) == "项目二!E20"


def test_xlsm(tmp_path: Path) -> None:
    table = _one_table(_seed(tmp_path, "003", name="seed.xlsm"))
    assert len(table.indicators) == 23
    assert table.reported_total == D("95.72")


def test_openpyxl_fallback_reads_the_same(tmp_path: Path, monkeypatch) -> None:
    """A file calamine refuses is read by openpyxl, hidden sheets and formulas alike."""
    path = _seed(tmp_path, "002", "003")
    expected = read_workbook(path).tables

    def refuse(*_args: Any) -> None:
        raise RuntimeError("calamine refused")

    monkeypatch.setattr("perfxl.reader.grid._load_calamine", refuse)
    assert read_workbook(path).tables == expected
    formulas = _formula_book(tmp_path / "formulas.xlsx")
    _cache_formulas(formulas, "4")
    table = _one_table(formulas)
    assert [(i.entered_score, i.score_formula) for i in table.indicators] == [
        (D(4), True),
        (D(5), False),
    ]
    assert table.reported_total is None


def test_hidden_sheet_is_not_read(tmp_path: Path) -> None:
    path = _seed(tmp_path, "002", "003")
    wb = openpyxl.load_workbook(path)
    wb[S2].sheet_state = "hidden"  # an old copy kept out of sight
    wb.save(path)
    read = read_workbook(path)
    assert [t.sheet for t in read.tables] == [S3]


# --------------------------------------------------------------------------- hand-built


def test_table_away_from_a1_with_merges_and_extra_columns(tmp_path: Path) -> None:
    head = ["一级指标", "二级指标", "三级指标", "备注", "年度指标值", "实际完成值", "分值", "得分"]
    rows = [
        ["某某项目绩效自评表"],
        [None],
        [*head, "填报人"],
        ["产出指标", "数量指标", "培训人数", "第一期", "≥100人", "120人", 20, 20, "张三"],
        [None, None, "培训场次", None, "≥4次", "4次", 10, 10],
        [None],  # a blank row inside the merged 产出指标 cell
        [None, "质量指标", "合格率", None, "≥95%", "96%", 20, 18],
        ["效益指标", "社会效益指标", "群众知晓度", None, "有效提升", "有效提升", 30, 30],
        [None, None, "满意度", None, ">=90%", "92%", 20, 20],
        ["合计", None, None, None, None, None, 100, 98],
    ]
    merges = ["C21:C24", "D21:D22", "C25:C26", "D25:D26", "C27:E27"]
    table = _one_table(_book(tmp_path / "offset.xlsx", rows, top=18, left=3, merges=merges))
    assert [(i.level1, i.level2, i.name) for i in table.indicators] == [
        ("产出指标", "数量指标", "培训人数"),
        ("产出指标", "数量指标", "培训场次"),
        ("产出指标", "质量指标", "合格率"),
        ("效益指标", "社会效益指标", "群众知晓度"),
        ("效益指标", "社会效益指标", "满意度"),
    ]
    assert [i.weight for i in table.indicators] == [D(20), D(10), D(20), D(30), D(20)]
    assert table.indicators[2].entered_score == D(18)
    columns = dict(zip(FIELDS, (3, 4, 5, 7, 8, 9, 10), strict=False))  # C D E, G H I J
    assert table.indicators[0].cells == {k: CellRef("自评表", 21, c) for k, c in columns.items()}
    assert str(table.indicators[2].cells["target"]) == "自评表!G24"
    assert table.funds == Funds()
    assert (table.project, table.department, table.unit) == (None, None, None)
    assert (table.reported_total, str(table.cells["total"])) == (D(98), "自评表!J27")


def _cache_formulas(path: Path, value: str) -> None:
    """Give every formula a cached result, as Excel (or a stale copy) would store it."""
    with zipfile.ZipFile(path) as src:
        members = {info: src.read(info) for info in src.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in members.items():
            if info.filename.startswith("xl/worksheets/"):
                # openpyxl writes an empty <v/>, or <v></v> when lxml is installed
                data = re.sub(
                    rb"(</f>)(?:<v\s*/>|<v></v>)", rb"\1<v>" + value.encode() + b"</v>", data
                )
            dst.writestr(info, data)


def _formula_book(path: Path) -> Path:
    rows = [
        ["项目名称", "公式测试项目"],
        [None, "年初预算数", "全年预算数", "全年执行数", "执行率", "得分"],
        ["年度资金总额", 10, 10, 8, "=D3/C3", "=E3*10"],
        HEADER,
        ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 5, "=F5*1"],
        [None, None, "培训场次", "≥4次", "4次", "5分", "5分"],
        ["总分", None, None, None, None, 10, "=SUM(G5:G6)"],
    ]
    return _book(path, rows)


@pytest.mark.parametrize("cached", [None, "4"], ids=["no-cache", "stale-cache"])
def test_formula_scores_keep_their_cache_marked(tmp_path: Path, cached: str | None) -> None:
    """A 得分 formula keeps its cached result, marked; totals and rates drop theirs."""
    path = _formula_book(tmp_path / "formulas.xlsx")
    if cached is not None:
        _cache_formulas(path, cached)
    table = _one_table(path)
    first, second = table.indicators
    expected = None if cached is None else D(cached)
    assert (first.weight, first.entered_score, first.score_formula) == (D(5), expected, True)
    assert (second.weight, second.entered_score, second.score_formula) == (D(5), D(5), False)
    assert table.reported_total is None  # =SUM(G5:G6)
    assert table.funds.reported_rate is None and table.funds.reported_score is None
    assert (table.funds.budget, table.funds.spent) == (D(10), D(8))


def test_formula_score_is_not_compared_as_printed(tmp_path: Path) -> None:
    """A stale cache (4 where the row computes 5) is no PX020: nobody printed it."""
    path = _formula_book(tmp_path / "formulas.xlsx")
    _cache_formulas(path, "4")
    result = check_table(_one_table(path), load_profile())  # with the rules (PX020)
    first = result.rows[0]
    assert (first.method, first.score, first.reported_score) == (Method.COMPUTED, D(5), D(4))
    assert not first.score_differs
    assert "PX020" not in [f.code for f in result.all_findings]


def _manual_formula_seed(tmp_path: Path, cached: str | None) -> Path:
    """Seed 002 with the rubric row 立项依据充分性 (H13, 分值 5) scored by =G13."""
    path = _seed(tmp_path, "002")
    wb = openpyxl.load_workbook(path)
    wb[S2]["H13"] = "=G13"
    wb.save(path)
    if cached is not None:
        _cache_formulas(path, cached)
    return path


@pytest.mark.parametrize("cached", ["5", None], ids=["cached", "no-cache"])
def test_manual_score_in_a_formula(tmp_path: Path, cached: str | None) -> None:
    table = _one_table(_manual_formula_seed(tmp_path, cached))
    row = table.indicators[0]
    assert (row.name, row.target_text, row.actual_text) == ("立项依据充分性", None, None)
    assert (row.entered_score, row.score_formula) == (None if cached is None else D(5), True)
    result = score_table(table, load_profile())
    first = result.rows[0]
    decision = next(c for c in result.categories if c.name == "决策")
    px014 = [f for f in result.all_findings if f.code == "PX014"]
    if cached is not None:  # the evaluator's score is taken, as if typed
        assert (first.method, first.score, decision.score) == (Method.MANUAL, D(5), D(21))
        assert px014 == []
    else:
        assert (first.method, first.score, decision.score) == (Method.UNSCORED, D(0), D(16))
        (found,) = px014
        assert "得分为公式且没有计算结果，请填写数值" in found.message
        assert str(found.cell) == f"{S2}!H13"


def test_manual_score_formula_saved_by_libreoffice(tmp_path: Path, soffice: str) -> None:
    """The cache as a spreadsheet program writes it: <f aca="false">G13</f><v>5</v>."""
    source = _manual_formula_seed(tmp_path, None)
    done = convert([source], "xlsx", tmp_path / "lo", timeout=120)
    saved = tmp_path / "lo" / source.name
    assert saved.exists(), done.stderr
    table = _one_table(saved)
    row = table.indicators[0]
    assert (row.entered_score, row.score_formula) == (D(5), True)
    result = score_table(table, load_profile())
    assert (result.rows[0].method, result.rows[0].score) == (Method.MANUAL, D(5))
    assert next(c.score for c in result.categories if c.name == "决策") == D(21)
    assert [f for f in result.all_findings if f.cell == CellRef(S2, 13, 8)] == []


def test_perfxl_layout(tmp_path: Path) -> None:
    rows = [
        [*HEADER[:3], "指标性质", "指标值", "计量单位", "实际完成值", "分值"],
        ["产出指标", "数量指标", "新建项目", "≥", 2, "个", 2, 50],
        [None, "成本指标", "办公经费", "≤", "4", "万元", "3.5", 20],
        ["效益指标", "社会效益指标", "群众生活", "定性", "有效改善", None, "有效改善", 30],
    ]
    table = _one_table(_book(tmp_path / "perfxl.xlsx", rows))
    assert table.layout == "perfxl"
    assert [i.target_text for i in table.indicators] == ["≥2个", "≤4万元", "有效改善"]
    assert [i.actual_text for i in table.indicators] == ["2", "3.5", "有效改善"]
    assert str(table.indicators[0].cells["target"]) == "自评表!E2"


def test_header_labels_with_spaces_and_notes(tmp_path: Path) -> None:
    rows = [
        [
            "三级\n指标",
            "年度 指标值",
            "实际　完成值",
            "分值（分）",
            "得 分",
            "偏差原因分析及改进措施（注）",
        ],
        ["培训人数", "≥100人", "90人", 10, 9, "天气原因"],
    ]
    table = _one_table(_book(tmp_path / "spaces.xlsx", rows))
    (row,) = table.indicators
    assert (row.name, row.target_text, row.actual_text) == ("培训人数", "≥100人", "90人")
    assert (row.weight, row.entered_score, row.reason) == (D(10), D(9), "天气原因")


def test_two_row_header(tmp_path: Path) -> None:
    rows = [
        ["绩效指标", None, None, "年度指标值", "实际完成值", "分值", "得分"],
        ["一级指标", "二级指标", "三级指标"],
        ["产出指标", "数量指标", "培训人数", "≥100人", "120人", 10, 10],
    ]
    merges = ["A1:C1", "D1:D2", "E1:E2", "F1:F2", "G1:G2"]
    table = _one_table(_book(tmp_path / "two.xlsx", rows, merges=merges))
    (row,) = table.indicators
    assert [row.level1, row.level2, row.name] == ["产出指标", "数量指标", "培训人数"]
    assert row.weight == D(10)
    assert str(row.cells["name"]) == "自评表!C3"


def test_header_block_variants(tmp_path: Path) -> None:
    rows = [
        ["项目名称：乡村道路养护"],  # label and value in one cell
        ["主管部门", None, None, "实施单位", "县交通运输局"],  # 主管部门 left blank
        HEADER,
        ["产出指标", "数量指标", "养护里程", "≥20公里", "22公里", 100, 100],
        ["总分", None, None, None, None, 100, 100],
        ["评价等级：优"],
        ["填表人：", None, "李四", "联系电话", "0990-1234567"],  # not an indicator
    ]
    table = _one_table(_book(tmp_path / "block.xlsx", rows))
    assert table.project == "乡村道路养护"
    assert str(table.cells["project"]) == "自评表!A1"
    assert table.department is None
    assert table.unit == "县交通运输局"
    assert len(table.indicators) == 1
    assert (table.reported_total, table.reported_grade) == (D(100), "优")


@pytest.mark.parametrize("named", [True, False], ids=["named", "total-only"])
def test_tables_stacked_in_one_sheet(tmp_path: Path, named: bool) -> None:
    """Two projects one under the other: each keeps its own funds and rows."""

    def block(project: str, budget: int) -> list[list[Any]]:
        return [
            ["项目名称", project] if named else ["项目支出绩效自评表"],
            [None, "全年预算数", "全年执行数"],
            ["年度资金总额", budget, budget],
            HEADER,
            ["产出指标", "数量指标", f"{project}指标", "≥1个", "1个", 100, 100],
            ["总分", None, None, None, None, 100, 100],
        ]

    read = read_workbook(_book(tmp_path / "stacked.xlsx", block("项目甲", 5) + block("项目乙", 7)))
    assert read.findings == []
    assert [(t.funds.budget, [i.name for i in t.indicators]) for t in read.tables] == [
        (D(5), ["项目甲指标"]),
        (D(7), ["项目乙指标"]),
    ]
    assert [t.project for t in read.tables] == (["项目甲", "项目乙"] if named else [None, None])
    assert str(read.tables[1].indicators[0].cells["name"]) == "自评表!C11"
    assert str(read.tables[1].funds.cells["budget"]) == "自评表!B9"


# --------------------------------------------------------------------------- broken files


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _zip_bomb(path: Path) -> Path:
    """A sheet part that inflates past MAX_UNCOMPRESSED from well under a megabyte."""
    chunk = b"0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", b"<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(MAX_UNCOMPRESSED // len(chunk) + 1):
                member.write(chunk)
    return path


def _truncated(path: Path) -> Path:
    write_workbook([SEEDS["003"]], path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted workbooks are OLE files
NO_WORKBOOK = {"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<a/>"}
BAD_WORKBOOK = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<work"}
BROKEN = {  # file name -> (how to build it, what the reason must say)
    "empty.xlsx": (lambda p: p.write_bytes(b""), "文件为空"),
    "text.xlsx": (lambda p: p.write_text("项目名称,分值\n"), "扩展名与内容不符"),
    "truncated.xlsx": (_truncated, "已损坏"),
    "encrypted.xlsx": (lambda p: p.write_bytes(OLE + b"\x00" * 4096), "已加密"),
    "old.xls": (lambda p: p.write_bytes(OLE), "旧版 .xls"),
    "table.csv": (lambda p: p.write_text("三级指标,分值\n培训人数,10\n"), "不支持的文件类型"),
    "bomb.xlsx": (_zip_bomb, "解压后过大"),
    "no-workbook.xlsx": (lambda p: _zip(p, NO_WORKBOOK), "xl/workbook.xml"),
    "bad-workbook-xml.xlsx": (lambda p: _zip(p, BAD_WORKBOOK), "无法解析"),
    "missing.xlsx": (lambda p: None, "无法打开"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_file_is_one_px001(tmp_path: Path, case: str) -> None:
    build, reason = BROKEN[case]
    path = tmp_path / case
    build(path)
    read = read_workbook(path)
    assert read.tables == [] and read.rejected
    assert [f.code for f in read.findings] == ["PX001"]
    (found,) = read.findings
    assert found.severity == Severity.ERROR
    assert found.message.startswith("文件无法读取：")
    assert reason in found.message
    assert found.where == str(path)


def test_workbook_without_indicator_table_is_px002(tmp_path: Path) -> None:
    rows = [["项目名称", "某项目"], ["三级指标", "年度指标值", "备注"], ["培训人数", "≥100人"]]
    read = read_workbook(_book(tmp_path / "none.xlsx", rows))
    assert read.tables == []
    assert [f.code for f in read.findings] == ["PX002"]
    assert "未找到绩效指标表" in read.findings[0].message


def test_a_funds_row_is_all_zero_only_without_a_finite_nonzero_amount():
    # _all_zero decides whether the 其中 row's amounts stand in for the total row's:
    # NaN and ±Infinity are no amount (PX006 names them), -0.0 is zero, the smallest
    # float is not
    from perfxl.reader.funds import _all_zero
    from perfxl.reader.grid import Grid

    columns = {"budget": 0, "spent": 1, "rate": 2}
    nan, inf = float("nan"), float("inf")
    assert _all_zero(Grid("零", [[0.0, -0.0, 5.0]]), 0, columns)  # the rate is no amount
    assert _all_zero(Grid("零", [[nan, -inf, ""]]), 0, columns)
    assert not _all_zero(Grid("零", [[0.0, 5e-324, ""]]), 0, columns)
    assert not _all_zero(Grid("零", [[0.0, "46.5万", ""]]), 0, columns)
