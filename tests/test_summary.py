"""The county summary workbook: golden content, text safety, determinism, charts.

Expected figures are worked out by hand from the seed reports (comments beside them);
none was copied from perfxl's output.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import perfxl
from perfxl.batch import consolidate
from perfxl.profiles import load_profile
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.summary import SHEETS, VOLATILE

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
COUNTY = ROOT / "examples" / "county"


def rows(path: Path, sheet: str) -> list[dict]:
    """A list sheet as dicts keyed by its header titles."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    values = list(ws.iter_rows(values_only=True))
    header = values[0]
    return [dict(zip(header, row, strict=False)) for row in values[1:] if any(row)]


def facts(path: Path) -> dict:
    ws = openpyxl.load_workbook(path, read_only=True)["说明"]
    return {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row and row[0]}


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> Path:
    """Seeds 000, 002 and 003 under xj-prop, plus an empty file."""
    folder = tmp_path_factory.mktemp("golden") / "county"
    for key in ("000", "002", "003"):
        (folder / key).mkdir(parents=True)
        shutil.copyfile(SEED_FILES / f"seed{key}.xlsx", folder / key / f"seed{key}.xlsx")
    (folder / "空表.xlsx").write_bytes(b"")
    out = folder.parent / "out" / "县级汇总.xlsx"
    result = consolidate([folder], out, load_profile("xj-prop"), jobs=1)
    assert result.exit_code == 1  # the empty file is rejected
    return out


def test_sheets_in_order(golden):
    assert openpyxl.load_workbook(golden, read_only=True).sheetnames == list(SHEETS)
    assert list(SHEETS) == [
        "总览", "项目汇总", "单位汇总", "等级分布", "问题清单", "文件清单",
        "未报送", "结果应用", "核查抽样", "说明",
    ]  # fmt: skip


def test_projects_sheet(golden):
    projects = {r["项目名称"]: r for r in rows(golden, "项目汇总")}
    assert sorted(projects) == ["招商引资工作经费", "援疆工作经费项目", "机关运行补助项目"]
    s002 = projects["机关运行补助项目"]
    assert s002["全年预算数（万元）"] == 1994
    assert s002["全年执行数（万元）"] == 693.68
    assert s002["预算执行率"] == 0.3479  # 693.68 / 1994 (received) = 0.347884
    assert s002["总体完成率"] == 0.9275  # (16 × 100% + 2 × 34.79%) / 18
    assert s002["偏差（百分点）"] == 57.96  # 92.75 − 34.79
    assert s002["总分"] == 88.26  # 21 + 15.74 + 21.52 + 30
    assert s002["等级"] == "良"
    assert s002["填报总分"] == 87.26
    assert "填报总分与计算不一致" in s002["备注"] and "执行进度滞后" in s002["备注"]
    assert s002["来源文件"] == "002/seed002.xlsx"
    s000 = projects["招商引资工作经费"]
    assert (s000["总分"], s000["等级"], s000["预算执行率"]) == (100, "优", 1)  # all rows met, 4/4
    assert s000["偏差（百分点）"] == 0
    s003 = projects["援疆工作经费项目"]
    assert s003["预算执行率"] == 0.8182  # 81.82 spent / 100 received
    # 决策 21 + 过程 (3 + 5 × 81.82% = 4.09 + 5 + 2 + 4 = 18.09)
    # + 产出 (4+4+4+4+4+3+3 + 2 × 1.82/20 = 0.18 + 2 = 28.18) + 效益 30 = 97.27
    assert s003["总分"] == 97.27
    assert s003["等级"] == "优"
    assert s003["总体完成率"] == 0.9526  # (21 × 100% + 81.82% + 9.10%) / 23 = 0.952574
    assert s003["偏差（百分点）"] == 13.44  # 95.26 − 81.82
    assert s003["填报总分"] == 95.72


def test_departments_sheet(golden):
    ws = openpyxl.load_workbook(golden, read_only=True)["单位汇总"]
    values = [row for row in ws.iter_rows(values_only=True) if any(v is not None for v in row)]
    header, *departments, total = values
    assert header[:6] == ("主管部门", "项目数", "全年预算数合计（万元）", "全年执行数合计（万元）",
                          "预算执行率", "平均得分")  # fmt: skip
    assert len(departments) == 3
    county = dict(zip(header, total, strict=True))
    assert county["主管部门"] == "全县合计"
    assert county["项目数"] == 3
    assert county["全年预算数合计（万元）"] == pytest.approx(2079.82)  # 1994 + 4 + 81.82
    assert county["全年执行数合计（万元）"] == pytest.approx(779.50)  # 693.68 + 4 + 81.82
    assert county["预算执行率"] == 0.3715  # 779.50 / (1994 + 4 + 100 received) = 0.371544
    assert county["平均得分"] == 95.18  # (88.26 + 100 + 97.27) / 3 = 95.1767
    assert (county["优（个）"], county["良（个）"], county["中（个）"], county["差（个）"]) == (
        2,
        1,
        0,
        0,
    )
    assert county["执行滞后项目数"] == 2  # 34.79% and 81.82% are below the 100% schedule


def test_grades_sheet(golden):
    ws = openpyxl.load_workbook(golden, read_only=True)["等级分布"]
    table = [row[:4] for row in ws.iter_rows(min_row=3, max_row=7, values_only=True)]
    assert table[0] == ("等级", "总分区间", "项目数", "占比")
    assert [(g, n) for g, _, n, _ in table[1:]] == [("优", 2), ("良", 1), ("中", 0), ("差", 0)]
    assert table[1][3] == pytest.approx(2 / 3)
    assert table[1][1] == "≥90" and table[4][1] == "<60"


def test_problem_and_file_lists(golden):
    problems = rows(golden, "问题清单")
    assert any(
        p["代码"] == "PX021" and "87.26" in p["问题说明"] and p["项目名称"] == "机关运行补助项目"
        for p in problems
    )
    assert all(p["严重程度"] in ("错误", "警告", "提示") for p in problems)
    empty = [p for p in problems if p["来源文件"] == "空表.xlsx"]
    assert [p["代码"] for p in empty] == ["PX001"] and empty[0]["严重程度"] == "错误"
    files = rows(golden, "文件清单")
    assert [f["文件"] for f in files] == [
        "000/seed000.xlsx", "002/seed002.xlsx", "003/seed003.xlsx", "空表.xlsx",
    ]  # fmt: skip
    assert [f["状态"] for f in files] == ["已处理", "已处理", "已处理", "已拒收"]
    assert "文件为空" in files[3]["原因或说明"] and files[3]["大小（字节）"] == 0
    expected = hashlib.sha256((SEED_FILES / "seed002.xlsx").read_bytes()).hexdigest()
    assert files[1]["SHA-256"] == expected


def test_notes_sheet(golden):
    notes = facts(golden)
    assert notes["评分规则"].startswith("xj-prop")
    assert (notes["文件总数"], notes["其中已处理"], notes["其中已拒收"]) == (4, 3, 1)
    assert notes["计入汇总的项目数"] == 3
    assert notes["perfxl 版本"] == perfxl.__version__
    assert set(notes) >= VOLATILE


def test_formats_freeze_and_filters(golden):
    wb = openpyxl.load_workbook(golden)
    for name in ("项目汇总", "问题清单", "文件清单", "单位汇总"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), name
        assert ws.column_dimensions["B"].width >= 8, name
    ws = wb["项目汇总"]
    header = [c.value for c in ws[1]]
    budget = ws.cell(row=2, column=header.index("全年预算数（万元）") + 1)
    rate = ws.cell(row=2, column=header.index("预算执行率") + 1)
    assert budget.number_format == "#,##0.00"
    assert rate.number_format == "0.00%"


# --- printing ----------------------------------------------------------------------------------

# A4 landscape is 842 × 595 pt; the margins set are 0.6 in (43.2 pt) top and bottom, so
# (595 − 2 × 43.2) / 15 pt per default row = 33.9 rows fit on a page at 100 %, and more
# at the fit-to-width scale, which only shrinks.
ROWS_PER_PAGE = 33


def test_every_sheet_prints_landscape_fit_to_width_with_repeated_headers(golden):
    wb = openpyxl.load_workbook(golden)
    # 等级分布 repeats its title above the second chart; 说明's table starts on row 3
    header_rows = {"等级分布": "$1:$1", "说明": "$3:$3"}
    # the titled lists (title, note, header) too; 总览 is one page (tests/test_summary_sheets.py)
    header_rows |= {"未报送": "$3:$3", "结果应用": "$3:$3", "核查抽样": "$3:$3"}
    for ws in wb:
        if ws.title == "总览":
            continue
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (setup.fitToWidth or 1) == 1, ws.title  # absent means 1, the OOXML default
        assert setup.fitToHeight == 0, ws.title  # as many pages down as the rows need
        assert ws.print_title_rows == header_rows.get(ws.title, "$1:$1"), ws.title


def test_each_chart_prints_on_one_page(golden):
    ws = openpyxl.load_workbook(golden)["等级分布"]
    breaks = [b.id for b in ws.row_breaks.brk]  # a break id n ends a page after row n (1-based)
    assert len(ws._charts) == 2
    for chart in ws._charts:
        top, bottom = chart.anchor._from.row, chart.anchor.to.row  # 0-based rows
        assert top > 0  # below the repeated title row: a drawing there would print on every page
        assert not [n for n in breaks if top < n <= bottom], (top, bottom, breaks)
        assert bottom - top + 1 <= ROWS_PER_PAGE


def test_project_list_prints_without_its_tracing_columns(golden):
    ws = openpyxl.load_workbook(golden)["项目汇总"]
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["备注", "来源文件", "工作表"]
    # 3 projects + the header: rows 1–4; 备注 is the 17th column (Q), the last one printed
    assert header.index("备注") == 16
    assert ws.print_area == "'项目汇总'!$A$1:$Q$4"


def test_file_list_keeps_size_and_hash_last_and_off_the_printed_page(golden):
    ws = openpyxl.load_workbook(golden)["文件清单"]
    header = [c.value for c in ws[1]]
    assert header[-2:] == ["大小（字节）", "SHA-256"]
    # 4 files + the header: rows 1–5; the printed columns stop before 大小（字节） (H)
    assert ws.print_area == "'文件清单'!$A$1:$G$5"


# --- execution lag against the county's tolerance -----------------------------------------------


def test_lag_tolerance_is_a_setting(golden, tmp_path):
    from perfxl.county import CountySettings

    # default 0.9 at year end: 34.79 % (002) and 81.82 % (003) are below 90 %, 100 % (000) is not
    assert facts(golden)["执行滞后项目数"] == 2
    assert facts(golden)["执行滞后标准（执行率低于）"] == 0.9
    folder = golden.parent.parent / "county"
    out = tmp_path / "汇总.xlsx"
    loose = CountySettings(lag_tolerance=Decimal("0.8"))  # 81.82 % ≥ 80 %: only 002 is behind
    consolidate([folder], out, load_profile("xj-prop"), jobs=1, county=loose)
    assert facts(out)["执行滞后项目数"] == 1
    projects = {r["项目名称"]: r for r in rows(out, "项目汇总")}
    assert "执行进度滞后" not in (projects["援疆工作经费项目"]["备注"] or "")
    assert "执行进度滞后" in projects["机关运行补助项目"]["备注"]
    # at the May monitoring (序时进度 41.67 %) with 0.9 the line is 37.503 %: 34.79 % is behind
    may = tmp_path / "五月.xlsx"
    consolidate([folder], may, load_profile("xj-prop"), jobs=1, schedule=Decimal("0.4167"))
    assert facts(may)["执行滞后项目数"] == 1


def test_charts_are_native(golden):
    with zipfile.ZipFile(golden) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        xml = "".join(archive.read(n).decode() for n in charts)
    assert len(charts) == 2
    assert "<c:barChart>" in xml and "<c:scatterChart>" in xml
    assert "项目汇总" in xml  # the scatter plots the project list's rate columns


# --- text safety -------------------------------------------------------------------------------

DANGEROUS = ('=HYPERLINK("http://x","点击")', "+1+1", "-2+3", "@SUM(A1:A2)")


def test_formula_like_text_is_written_as_text(tmp_path):
    folder = tmp_path / "in"
    for n, text in enumerate(DANGEROUS):
        spec = replace(SEEDS["000"], project=text, department=f"{text}局", unit="-")
        write_workbook([spec], folder / f"{n}.xlsx", sheet_names=[f"表{n}"])
    (folder / "=cmd.xlsx").write_bytes(b"")
    out = tmp_path / "汇总.xlsx"
    consolidate([folder], out, load_profile("mof2020"), jobs=1)
    wb = openpyxl.load_workbook(out)
    ws = wb["项目汇总"]
    header = [c.value for c in ws[1]]
    cells = [row[header.index("项目名称")] for row in ws.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted(DANGEROUS)
    assert all(c.data_type == "s" for c in cells)
    departments = [row[header.index("主管部门")] for row in ws.iter_rows(min_row=2)]
    assert all(c.data_type == "s" and c.value.endswith("局") for c in departments)
    files = wb["文件清单"]
    (named,) = [row[1] for row in files.iter_rows(min_row=2) if row[1].value == "=cmd.xlsx"]
    assert named.data_type == "s"
    with zipfile.ZipFile(out) as archive:
        sheets = "".join(
            archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")
        )
    assert "<f>" not in sheets  # no formula anywhere in the workbook


# --- determinism --------------------------------------------------------------------------------


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    wb = openpyxl.load_workbook(path, read_only=True)
    values = {}
    for ws in wb:
        values[ws.title] = [
            row for row in ws.iter_rows(values_only=True) if not (row and row[0] in VOLATILE)
        ]
    return values


def test_same_inputs_same_workbook(tmp_path):
    first = tmp_path / "a" / "汇总.xlsx"
    second = tmp_path / "b" / "汇总.xlsx"
    profile = load_profile("mof2020")
    consolidate([COUNTY], first, profile, jobs=1)
    consolidate([COUNTY], second, profile, jobs=2, full=True)
    assert workbook_values(first) == workbook_values(second)


# --- LibreOffice ----------------------------------------------------------------------------------


def test_libreoffice_opens_the_summary_with_its_charts(golden, tmp_path, soffice):
    profile_dir = tmp_path / "lo-profile"  # its own profile: parallel runs must not collide
    command = [
        soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless",
        "--convert-to", "html", "--outdir", str(tmp_path), str(golden),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    html = (tmp_path / "县级汇总.html").read_text(encoding="utf-8", errors="replace")
    for sheet in SHEETS:
        assert sheet in html
    images = list(tmp_path.glob("县级汇总_html_*.png")) + list(tmp_path.glob("县级汇总_html_*.gif"))
    assert len(images) >= 2  # the grade chart and the scatter, drawn by LibreOffice
