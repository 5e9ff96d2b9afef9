"""`perfxl consolidate --report`: the county report draft in seed 004's terms.

A two-project county: seed 002 (组织部, xj-prop: 88.26 良, 全年预算数 1994, 执行数
693.68 as its table reads) and seed 003 (援疆办, xj-60: 95.73 优, 81.82 and 81.82), and a
third expected unit that never submits. The county rule 良 → 核减 10 % is this test's
own number. Expected figures by hand:
  budget 1994 + 81.82 = 2075.82; spent 693.68 + 81.82 = 775.50;
  execution over summed funds 775.50 / 2075.82 = 0.37359… → 37.36 %;
  mean score (88.26 + 95.73) / 2 = 91.995 → 92.00 (half up);
  cut 1994 × 10 % = 199.40 万元; grades 优 1, 良 1, 中 0, 差 0.
"""

import re
from pathlib import Path

import docx
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.reports.document import PROMPT_MARK

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
SETTINGS = """
[county]
name = "测试县"
year = 2023

[units]
expected = ["组织部", "援疆办", "乡村振兴局"]

[profiles]
default = "mof2020"

[profiles.folders]
"组织部" = "xj-prop"
"援疆办" = "xj-60"

[results."优"]
treatment = "优先保障"

[results."良"]
treatment = "核减"
percent = 10
"""


def county(tmp_path, settings=True):
    root = tmp_path / "县"
    for folder, seed in (("组织部", "seed002"), ("援疆办", "seed003")):
        (root / folder).mkdir(parents=True)
        (root / folder / f"{seed}.xlsx").write_bytes((SEEDS / f"{seed}.xlsx").read_bytes())
    if settings:
        (root / "perfxl-county.toml").write_text(SETTINGS, encoding="utf-8")
    return root


def consolidate(tmp_path, root, *extra):
    report = tmp_path / "县级报告.docx"
    args = ["consolidate", str(root), "-o", str(tmp_path / "汇总.xlsx"), "-q", "-j", "1"]
    result = CliRunner().invoke(main, [*args, "--report", str(report), *extra])
    return result, report


def read(report):
    document = docx.Document(str(report))
    paras = [p.text for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paras, tables


def test_county_figures(tmp_path):
    result, report = consolidate(tmp_path, county(tmp_path))
    assert report.exists(), result.output
    assert "县级报告草稿已写入" in result.output
    paras, tables = read(report)
    body = "\n".join(paras)
    assert paras[0] == "测试县2023年度项目支出绩效自评工作情况报告"
    assert "应报送自评表的单位 3 个，已报送 2 个，未报送 1 个" in body
    assert "未报送的单位共 1 个：" in body and "“乡村振兴局”：未收到任何文件；" in body
    assert "自评项目 2 个" in body
    assert "全年预算数合计 2075.82 万元，全年执行数合计 775.50 万元" in body
    assert "预算执行率（资金合计）37.36%" in body
    assert "项目平均得分 92.00 分" in body
    grades = next(t for t in tables if t[0] == ["等级", "项目数"])
    assert grades[1:] == [["优", "1"], ["良", "1"], ["中", "0"], ["差", "0"]]
    application = next(t for t in tables if t[0][0] == "等级" and len(t[0]) == 4)
    assert ["良", "核减 10%", "1", "199.40"] in application
    assert "建议核减预算合计 199.40 万元" in body
    # problems by PX code: the table's counts add up to the count sentence before it
    problems = next(t for t in tables if t[0][0] == "问题代码")
    listed = sum(int(row[1]) for row in problems[1:])
    assert f"列出的问题 {listed} 条，按问题代码分为 {len(problems) - 1} 类" in body
    assert any(row[0] == "PX021" for row in problems)  # seed 002 and 003 misreport totals
    # the audit sample: the count is the list that follows (2 projects, sample size 10)
    start = next(n for n, p in enumerate(paras) if "抽中的项目共" in p)
    assert "抽中的项目共 2 个：" in paras[start]
    assert all(p.startswith("“") for p in paras[start + 1 : start + 3])
    assert paras[start + 3].startswith(PROMPT_MARK)
    for heading in ("七、全面实施预算绩效管理存在问题", "八、预算绩效管理下一步措施"):
        assert heading in paras


def test_without_settings_prompts_instead_of_figures(tmp_path):
    _result, report = consolidate(tmp_path, county(tmp_path, settings=False))
    paras, _ = read(report)
    prompts = [p for p in paras if p.startswith(PROMPT_MARK)]
    assert any("应报送单位数" in p for p in prompts)
    assert any("[results]" in p for p in prompts)
    assert not any("核减" in p for p in paras if not p.startswith(PROMPT_MARK))


def test_existing_report_is_kept_without_force(tmp_path):
    root = county(tmp_path)
    report = tmp_path / "县级报告.docx"
    report.write_bytes(b"edited")
    result, _ = consolidate(tmp_path, root)
    assert result.exit_code == 2 and "--force" in result.output
    assert report.read_bytes() == b"edited"
    assert not (tmp_path / "汇总.xlsx").exists()  # refused before the run
    forced, _ = consolidate(tmp_path, root, "--force")
    assert report.read_bytes()[:2] == b"PK", forced.output
    assert re.search(r"县级报告草稿已写入", forced.output)


def test_demo_writes_the_county_report_and_seed_003s_report(tmp_path):
    out = tmp_path / "demo"
    result = CliRunner().invoke(main, ["demo", "-o", str(out)])
    county_report = out / "县级报告.docx"
    project_report = out / "援疆工作经费项目自评报告.docx"
    assert str(county_report.resolve()) in result.output
    assert str(project_report.resolve()) in result.output
    paras, _ = read(county_report)
    assert "“示例县乡村振兴局”：未收到任何文件；" in paras  # the demo county's missing unit
    body = "\n".join(read(project_report)[0])
    assert "总分为 95.73 分，绩效评级为“优”" in body  # golden, seed 003 under xj-60


def test_grade_chart_is_drawn_from_the_same_counts(tmp_path, monkeypatch):
    import pytest

    from perfxl.reports import chart

    if chart.chinese_font() is None:
        pytest.skip("no Chinese font installed: the report keeps the table alone")
    drawn = []
    real = chart.grade_chart_png
    monkeypatch.setattr(
        "perfxl.reports.county.grade_chart_png", lambda counts: drawn.append(counts) or real(counts)
    )
    result, report = consolidate(tmp_path, county(tmp_path))
    assert report.exists(), result.output
    # the chart is given exactly the table's counts: 优 1, 良 1, 中 0, 差 0
    assert drawn == [[("优", 1), ("良", 1), ("中", 0), ("差", 0)]]
    document = docx.Document(str(report))
    (shape,) = document.inline_shapes  # one picture, 14 cm wide
    assert round(shape.width.cm) == 14
    assert "图 项目等级分布" in [p.text for p in document.paragraphs]
    png = real([("优", 1), ("良", 1), ("中", 0), ("差", 0)])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_no_chinese_font_no_picture(tmp_path, monkeypatch):
    monkeypatch.setattr("perfxl.reports.chart.chinese_font", lambda: None)
    result, report = consolidate(tmp_path, county(tmp_path))
    assert report.exists(), result.output
    assert len(docx.Document(str(report)).inline_shapes) == 0  # the table stands alone
