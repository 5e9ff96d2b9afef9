"""`perfxl rollup`: two small counties consolidated, then rolled up; refusals.

甲县 holds seeds 000 and 002 and an empty file; 乙县 holds seed 003. Their figures under
xj-prop, worked by hand in tests/test_summary.py:

    000  budget 4      spent 4       总分 100    优
    002  budget 1994   spent 693.68  总分 88.26  良   (|偏差| 57.96 > 20)
    003  budget 81.82  spent 81.82   总分 97.27  优

so 甲县: 2 projects, 1998 万元 budget, 697.68 spent, mean (100 + 88.26) / 2 = 94.13,
1 优 1 良, 1 rejected file; 乙县: 1 project, 81.82 and 81.82, mean 97.27, 1 优;
全州: 3 projects, 2079.82 and 779.50, mean (100 + 88.26 + 97.27) / 3 = 95.1767 → 95.18,
2 优 1 良, 1 rejected file.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfxl.batch import consolidate
from perfxl.cli import main
from perfxl.county import CountySettings
from perfxl.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"


@pytest.fixture(scope="module")
def counties(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("rollup")
    for name, keys, empty in (("甲县", ("000", "002"), True), ("乙县", ("003",), False)):
        folder = base / name
        for key in keys:
            (folder / key).mkdir(parents=True)
            shutil.copyfile(SEED_FILES / f"seed{key}.xlsx", folder / key / f"seed{key}.xlsx")
        if empty:
            (folder / "空表.xlsx").write_bytes(b"")
        county = CountySettings(name=name, year=2023)
        consolidate([folder], base / f"{name}.xlsx", load_profile("xj-prop"), jobs=1, county=county)
    return base


def invoke(*args: str):
    return CliRunner().invoke(main, ["rollup", *args])


def sheet(path: Path, name: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)[name]
    return [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]


@pytest.fixture(scope="module")
def prefecture(counties) -> Path:
    out = counties / "州级汇总.xlsx"
    result = invoke(str(counties / "甲县.xlsx"), str(counties / "乙县.xlsx"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "县（市、区）2 个，项目 3 个" in result.output
    return out


def test_one_row_per_county_and_the_total(prefecture):
    header, a, b, total = sheet(prefecture, "县级汇总")
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in (a, b, total)}
    first, second, whole = rows["甲县"], rows["乙县"], rows["全州合计"]
    assert (first["自评项目数"], second["自评项目数"], whole["自评项目数"]) == (2, 1, 3)
    assert first["全年预算数合计（万元）"] == pytest.approx(1998)  # 4 + 1994
    assert first["全年执行数合计（万元）"] == pytest.approx(697.68)  # 4 + 693.68
    assert whole["全年预算数合计（万元）"] == pytest.approx(2079.82)  # 1998 + 81.82
    assert whole["全年执行数合计（万元）"] == pytest.approx(779.50)  # 697.68 + 81.82
    assert (first["平均得分"], second["平均得分"], whole["平均得分"]) == (94.13, 97.27, 95.18)
    assert (first["优（个）"], first["良（个）"], second["优（个）"]) == (1, 1, 1)
    assert (whole["优（个）"], whole["良（个）"], whole["中（个）"], whole["差（个）"]) == (
        2,
        1,
        0,
        0,
    )
    assert (first["拒收文件数"], second["拒收文件数"], whole["拒收文件数"]) == (1, 0, 1)
    assert whole["偏差超限项目数"] == 1  # 002 only
    assert first["评价年度"] == 2023


def test_every_project_with_its_county(prefecture):
    header, *rows = sheet(prefecture, "项目汇总")
    projects = {r[header.index("项目名称")]: dict(zip(header, r, strict=True)) for r in rows}
    assert len(projects) == 3
    assert projects["机关运行补助项目"]["县（市、区）"] == "甲县"
    assert projects["招商引资工作经费"]["县（市、区）"] == "甲县"
    assert projects["援疆工作经费项目"]["县（市、区）"] == "乙县"
    s002 = projects["机关运行补助项目"]
    assert (s002["总分"], s002["等级"], s002["全年执行数（万元）"]) == (88.26, "良", 693.68)


def test_grades_chart_and_problem_counts(prefecture):
    grades = sheet(prefecture, "等级分布")
    assert [r[:2] for r in grades[2:6]] == [("优", 2), ("良", 1), ("中", 0), ("差", 0)]
    with zipfile.ZipFile(prefecture) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1
    _, *rows = sheet(prefecture, "问题统计")
    counts = {(r[0], r[1]): (r[2], r[3]) for r in rows}
    assert counts[("PX001", "错误")] == (1, 1)  # 甲县's empty file
    # 002 and 003 report totals differing from the recomputed ones: one PX021 each county
    assert counts[("PX021", "警告")] == (2, 2)


def test_every_sheet_prints_landscape_fit_to_width(prefecture):
    for ws in openpyxl.load_workbook(prefecture):
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows, ws.title


def test_refuses_what_perfxl_did_not_write_and_keeps_going(counties, tmp_path):
    text = tmp_path / "假汇总.xlsx"
    text.write_text("不是工作簿", encoding="utf-8")
    old = tmp_path / "旧版.xlsx"  # a summary of another layout version
    with zipfile.ZipFile(counties / "乙县.xlsx") as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/custom.xml":
                data = data.replace(b"<vt:lpwstr>3</vt:lpwstr>", b"<vt:lpwstr>2</vt:lpwstr>")
            dst.writestr(info, data)
    out = tmp_path / "州.xlsx"
    seed = SEED_FILES / "seed000.xlsx"
    args = [str(counties / "甲县.xlsx"), str(seed), str(text), str(old), str(tmp_path / "无.xlsx")]
    result = invoke(*args, str(counties / "甲县.xlsx"), "-o", str(out))
    assert result.exit_code == 1, result.output  # written, but files were refused
    refused = {Path(r[1]).name: r[2] for r in sheet(out, "未纳入文件")[1:]}
    assert "没有 perfxl 县级汇总标记" in refused["seed000.xlsx"]
    assert "不是 Excel 工作簿" in refused["假汇总.xlsx"]
    assert "其他版本" in refused["旧版.xlsx"] and "汇总格式 2" in refused["旧版.xlsx"]
    assert refused["无.xlsx"] == "文件不存在"
    assert "同一个文件" in refused["甲县.xlsx"]
    assert "Traceback" not in result.output
    assert [r[0] for r in sheet(out, "县级汇总")[1:]] == ["甲县", "全州合计"]


def test_same_county_twice_is_counted_once(counties, tmp_path):
    copy = tmp_path / "甲县（重发）.xlsx"
    shutil.copyfile(counties / "甲县.xlsx", copy)
    out = tmp_path / "州.xlsx"
    result = invoke(str(counties / "甲县.xlsx"), str(copy), "-o", str(out))
    assert result.exit_code == 1
    assert "同一县不重复计入" in result.output
    assert sheet(out, "县级汇总")[-1][5] == 2  # 甲县's 2 projects, not 4


def test_nothing_readable_writes_nothing(tmp_path):
    out = tmp_path / "州.xlsx"
    result = invoke(str(SEED_FILES / "seed000.xlsx"), "-o", str(out))
    assert result.exit_code == 2
    assert "没有可以汇总的县级汇总" in result.output
    assert not out.exists()


def test_output_that_is_not_a_rollup_is_never_replaced(counties, tmp_path):
    unit = tmp_path / "单位报送.xlsx"
    shutil.copyfile(SEED_FILES / "seed002.xlsx", unit)
    before = unit.read_bytes()
    result = invoke(str(counties / "甲县.xlsx"), "-o", str(unit))
    assert result.exit_code == 2 and "拒绝覆盖" in result.output
    assert unit.read_bytes() == before
    result = invoke(str(counties / "甲县.xlsx"), "-o", str(counties / "甲县.xlsx"))
    assert result.exit_code == 2 and "同时是输入的县级汇总" in result.output


def test_a_rollup_is_rewritten_in_place(prefecture, counties):
    result = invoke(str(counties / "乙县.xlsx"), "-o", str(prefecture))
    assert result.exit_code == 0, result.output
    assert sheet(prefecture, "县级汇总")[-1][5] == 1
    invoke(str(counties / "甲县.xlsx"), str(counties / "乙县.xlsx"), "-o", str(prefecture))


def test_a_summary_edited_by_hand_is_refused(counties, tmp_path):
    edited = tmp_path / "改过.xlsx"
    wb = openpyxl.load_workbook(counties / "甲县.xlsx")  # openpyxl keeps the marker property
    wb["项目汇总"].delete_rows(3)  # one of 甲县's two projects removed, 总览 still says 2
    wb["问题清单"]["C2"] = 12.5  # a number where a code belongs: no crash
    wb.save(edited)
    result = invoke(str(edited), str(counties / "乙县.xlsx"), "-o", str(tmp_path / "州.xlsx"))
    assert result.exit_code == 1, result.output
    assert "自评项目数（2）与“项目汇总”中计入汇总的项目（1 个）不一致" in result.output
