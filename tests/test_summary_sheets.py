"""The county summary's sheets in seed 004's terms: 总览, 未报送, 结果应用, 核查抽样.

The small county: seeds 000, 002 and 003 (each in its own department's folder) scored
under xj-prop, and an empty file in the folder of 示例县水利局. The expected figures are
the seeds' own, worked by hand (see tests/test_summary.py for their derivation):

    project            budget   spent    执行率   完成率   偏差    总分    等级
    000 招商引资        4        4        100%     100%     0       100     优
    002 机关运行补助    1994     693.68   34.79%   92.75%   57.96   88.26   良
    003 援疆工作经费    81.82    81.82    81.82%   95.26%   13.44   97.27   优
"""

from __future__ import annotations

import random
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from perfxl.batch import consolidate
from perfxl.county import CountySettings, Treatment, load_settings
from perfxl.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
COUNTY = ROOT / "examples" / "county"
FOLDERS = {
    "000": "阿克陶县商务科技和工业信息化局",
    "002": "中共昌吉回族自治州委员会组织部",
    "003": "昌吉回族自治州对口援疆工作领导小组办公室",
}
UNITS = (*FOLDERS.values(), "示例县水利局", "示例县统计局")
RULES = (
    Treatment("优", "优先保障"),
    Treatment("良", "核减", Decimal("10")),
    Treatment("中", "核减", Decimal("20")),
    Treatment("差", "暂停"),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sheets") / "county"
    for key, unit in FOLDERS.items():
        (folder / unit).mkdir(parents=True)
        shutil.copyfile(SEED_FILES / f"seed{key}.xlsx", folder / unit / f"seed{key}.xlsx")
    (folder / "示例县水利局").mkdir()
    (folder / "示例县水利局" / "自评表.xlsx").write_bytes(b"")
    return folder


def run(folder: Path, out: Path, county: CountySettings | None) -> Path:
    consolidate([folder], out, load_profile("xj-prop"), jobs=1, county=county)
    return out


@pytest.fixture(scope="module")
def summary(folder, tmp_path_factory) -> Path:
    county = CountySettings(
        name="测试县", year=2023, units=UNITS, treatments=RULES, sample_size=2, sample_seed=7
    )
    return run(folder, tmp_path_factory.mktemp("out") / "县级汇总.xlsx", county)


@pytest.fixture(scope="module")
def bare(folder, tmp_path_factory) -> Path:
    """The same folder without any settings file."""
    return run(folder, tmp_path_factory.mktemp("bare") / "县级汇总.xlsx", None)


def values(path: Path, sheet: str) -> list[tuple]:
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    return [row for row in ws.iter_rows(values_only=True)]


def table(path: Path, sheet: str) -> list[dict]:
    """A titled list sheet (title, note, header on row 3) as dicts."""
    header, *body = values(path, sheet)[2:]
    return [dict(zip(header, row, strict=False)) for row in body if any(row)]


def overview(path: Path) -> dict:
    return {row[0]: row[1] for row in values(path, "总览") if row and row[0]}


def test_overview_is_first_and_holds_the_county_figures(summary):
    assert openpyxl.load_workbook(summary, read_only=True).sheetnames[0] == "总览"
    o = overview(summary)
    assert (o["县（市、区）"], o["评价年度"]) == ("测试县", 2023)
    # 5 expected; 水利局 sent only an empty file and 统计局 nothing: 3 submitted, 2 missing
    assert (o["应报送单位数"], o["已报送单位数"], o["未报送单位数"]) == (5, 3, 2)
    assert (o["收到文件数"], o["已处理文件数"], o["拒收文件数"]) == (4, 3, 1)
    assert o["自评项目数"] == 3
    assert o["全年预算数合计（万元）"] == pytest.approx(2079.82)  # 4 + 1994 + 81.82
    assert o["全年执行数合计（万元）"] == pytest.approx(779.50)  # 4 + 693.68 + 81.82
    assert o["平均得分"] == 95.18  # (100 + 88.26 + 97.27) / 3 = 95.1767
    assert o["项目平均预算执行率"] == 0.722  # (1 + 0.3479 + 0.8182) / 3 = 0.72203
    assert o["项目平均总体完成率"] == 0.96  # (1 + 0.9275 + 0.9526) / 3 = 0.96003
    assert o["偏差超限项目数"] == 1  # only 002's 57.96 exceeds 20; 13.44 and 0 do not
    assert o["执行滞后项目数"] == 2  # 34.79 % and 81.82 % are below 90 %
    assert o["结果应用建议核减合计（万元）"] == pytest.approx(199.40)  # 良 002: 1994 × 10 %
    assert o["真实性核查抽样项目数"] == 2
    grades = values(summary, "总览")
    at = next(n for n, row in enumerate(grades) if row[0] == "等级")
    assert [row[:2] for row in grades[at + 1 : at + 5]] == [
        ("优", 2), ("良", 1), ("中", 0), ("差", 0),
    ]  # fmt: skip


def test_overview_prints_on_one_page(summary):
    ws = openpyxl.load_workbook(summary)["总览"]
    setup = ws.page_setup
    assert setup.paperSize == 9 and setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (setup.fitToWidth or 1) == 1 and (setup.fitToHeight or 1) == 1


def test_missing_lists_units_with_what_came_from_them(summary):
    rows = table(summary, "未报送")
    assert [r["单位名称"] for r in rows] == ["示例县水利局", "示例县统计局"]
    water, statistics = rows
    assert water["情况"] == "收到 1 个文件，均未被接受"
    assert "示例县水利局/自评表.xlsx" in water["收到的文件及拒收原因"]
    assert "文件为空" in water["收到的文件及拒收原因"]
    assert statistics["情况"] == "未收到任何文件"
    assert statistics["收到的文件及拒收原因"] is None


def test_results_follow_the_county_rules(summary):
    rows = {r["项目名称"]: r for r in table(summary, "结果应用")}
    assert len(rows) == 3
    s002 = rows["机关运行补助项目"]
    assert (s002["等级"], s002["建议处理"], s002["核减比例（%）"]) == ("良", "核减 10%", 10)
    assert s002["建议核减金额（万元）"] == pytest.approx(199.40)  # 1994 × 10 / 100
    for name in ("招商引资工作经费", "援疆工作经费项目"):  # 优: no cut
        assert rows[name]["建议处理"] == "优先保障"
        assert rows[name]["建议核减金额（万元）"] is None
    assert "良 核减 10%" in values(summary, "结果应用")[1][0]


def test_results_without_rules_invent_nothing(bare):
    title, note = values(bare, "结果应用")[0][0], values(bare, "结果应用")[1][0]
    assert "尚未设定" in title and "尚未设定结果应用规则" in note
    rows = table(bare, "结果应用")
    assert [r["等级"] for r in rows] == ["良", "优", "优"]
    assert all(r["建议处理"] is None and r["建议核减金额（万元）"] is None for r in rows)
    assert overview(bare)["结果应用建议核减合计（万元）"] == "本县尚未设定结果应用规则"
    assert overview(bare)["应报送单位数"] == "（未设定）"
    assert "尚未列出应报送单位" in values(bare, "未报送")[0][0]


def test_cut_without_percent_gives_no_amount(folder, tmp_path):
    rules = (Treatment("良", "核减"),)  # the county has not chosen its percentage
    out = run(
        folder, tmp_path / "汇总.xlsx", CountySettings(name="县", year=2023, treatments=rules)
    )
    s002 = {r["项目名称"]: r for r in table(out, "结果应用")}["机关运行补助项目"]
    assert s002["建议处理"] == "核减（比例由本县确定）"
    assert s002["建议核减金额（万元）"] is None and "尚未" in s002["说明"]


def test_audit_sample_is_reproducible_from_the_printed_seed(summary, folder, tmp_path):
    rows = table(summary, "核查抽样")
    assert len(rows) == 2
    assert "随机种子 7" in values(summary, "核查抽样")[0][0]
    # redraw by hand from the printed seed over 项目汇总's order
    projects = [r[3] for r in values(summary, "项目汇总")[1:] if r[0] is not None]
    chosen = random.Random(7).sample(range(len(projects)), 2)
    assert [r["项目名称"] for r in rows] == [projects[n] for n in chosen]
    # no seed in the settings: one is derived, printed, and gives the same sample again
    county = CountySettings(name="测试县", year=2023, sample_size=2)
    first = run(folder, tmp_path / "a.xlsx", county)
    second = run(folder, tmp_path / "b.xlsx", county)
    assert table(first, "核查抽样") == table(second, "核查抽样")
    title = values(first, "核查抽样")[0][0]
    seed = int(title.split("随机种子 ")[1].rstrip("）"))
    redrawn = random.Random(seed).sample(range(len(projects)), 2)
    assert [r["项目名称"] for r in table(first, "核查抽样")] == [projects[n] for n in redrawn]


def test_audit_sample_never_exceeds_the_projects(folder, tmp_path):
    out = run(folder, tmp_path / "汇总.xlsx", CountySettings(sample_size=10, sample_seed=1))
    assert len(table(out, "核查抽样")) == 3  # only 3 projects to draw from


def test_new_sheets_print_landscape_with_their_header_repeated(summary):
    wb = openpyxl.load_workbook(summary)
    for name in ("未报送", "结果应用", "核查抽样"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.page_setup.paperSize == 9, name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert ws.page_setup.fitToHeight == 0, name
        assert ws.print_title_rows == "$3:$3", name  # the table's header, below title and note
        assert ws.freeze_panes == "A4", name


def test_demo_county_shows_its_missing_unit(tmp_path):
    """examples/county's settings expect 示例县乡村振兴局, which never submitted."""
    county = load_settings(COUNTY / "perfxl-county.toml")
    out = tmp_path / "县级汇总.xlsx"
    consolidate([COUNTY], out, load_profile(county.default_profile), county=county)
    rows = table(out, "未报送")
    assert [r["单位名称"] for r in rows] == ["示例县乡村振兴局"]
    assert rows[0]["情况"] == "未收到任何文件"
    o = overview(out)
    assert o["应报送单位数"] == len(county.units) == 26
    assert o["未报送单位数"] == 1
    # the demo's rules leave 中 and 差 without a percentage: no amount is invented
    assert o["结果应用建议核减合计（万元）"] == "无"


def test_libreoffice_prints_the_overview_on_the_first_page_alone(summary, tmp_path, soffice):
    """The PDF LibreOffice prints: page 1 holds all of 总览 (title to the closing line),
    page 2 starts 项目汇总. Page text is read with poppler's pdftotext."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    profile_dir = tmp_path / "lo-profile"  # its own profile: parallel runs must not collide
    command = [
        soffice, f"-env:UserInstallation=file://{profile_dir}", "--headless",
        "--convert-to", "pdf", "--outdir", str(tmp_path), str(summary),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "县级汇总.pdf"

    def page(n: int) -> str:
        args = [pdftotext, "-f", str(n), "-l", str(n), str(pdf), "-"]
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    first = page(1)
    assert "测试县2023年度项目支出绩效自评总览" in first
    assert "各项口径见“说明”工作表" in first and "真实性核查抽样项目数" in first
    assert "第 1 页" in first
    assert "总览" not in page(2) and "项目名称" in page(2)
