"""`perfxl report`: the project's 自评报告 draft, checked against `perfxl score --format json`.

Expected figures come from the seed reports and the golden figures (tests/test_golden.py):
seed 002 under xj-prop 88.26 良; seed 003 under xj-60 95.73 优, 预算执行率 scored 2.73 of
5, deviation 95.26% − 81.82% = 13.44 points; seed 003's report counts its indicators
6 决策 + 5 过程 + 9 产出 + 3 效益 = 23.
"""

import json
import os
import re
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import require_soffice

from perfxl.cli import main
from perfxl.reports.document import PROMPT_MARK

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
NUMBER = re.compile(r"\d+(?:\.\d+)?")
HEADINGS = [
    "一、基本情况",
    "二、绩效评价工作开展情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、预算执行进度与绩效指标偏差",
    "六、主要经验及做法、存在的问题及原因分析",
    "七、有关建议",
    "八、其他需要说明的问题",
]


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def score_json(path, profile):
    result = invoke("score", "--format", "json", "-p", profile, path)
    return json.loads(result.output)["files"][0]["tables"][0]


def make_report(tmp_path, seed, profile):
    out = tmp_path / f"{seed}.docx"
    result = invoke("report", SEEDS / f"{seed}.xlsx", "-p", profile, "-o", out)
    assert out.exists(), result.output
    return docx.Document(str(out)), result


def texts(document):
    """Paragraph texts, then every table cell's text."""
    paras = [p.text for p in document.paragraphs]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return paras, cells


@pytest.fixture(scope="module")
def seed003(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report003")
    document, result = make_report(tmp, "seed003", "xj-60")
    return document, result, score_json(SEEDS / "seed003.xlsx", "xj-60"), tmp / "seed003.docx"


def test_seed003_figures_match_the_engine_and_the_golden_values(seed003):
    document, result, table, _ = seed003
    assert result.exit_code == 1  # the table has errors (PX020, PX021): written, exit 1
    paras, _cells = texts(document)
    body = "\n".join(paras)
    # golden: 95.73 优, completion 95.26 %, deviation 13.44 points
    assert table["total"] == 95.73 and table["grade"] == "优"
    assert "总分为 95.73 分，绩效评级为“优”" in body
    assert "总体完成率为 95.26%" in body
    assert "偏差为 13.44 个百分点" in body
    assert f"预算执行率 {table['execution_rate'] * 100:.2f}%" in body
    # the reported total 95.72 differs from the engine's and is named as such
    assert "填报的总分为 95.72 分" in body
    # per level-1: count (seed 003's report: 6, 5, 9, 3), 分值, 得分, 得分率 from the JSON
    for category, count in zip(table["categories"], (6, 5, 9, 3), strict=True):
        line = (
            f"{category['name']}类指标共设置 {count} 个，分值 {category['weight']:.2f} 分，"
            f"得分 {category['score']:.2f} 分，得分率 {category['rate'] * 100:.2f}%"
        )
        assert any(line in p for p in paras), line
    assert "共设置三级指标 23 个" in body  # 6 + 5 + 9 + 3
    # every indicator is a table row: target, actual, 完成率, 分值, 得分 as the engine's
    rows = {tuple(c.text for c in row.cells) for t in document.tables for row in t.rows[1:]}
    for ind in table["indicators"]:
        expected = (
            ind["level2"], ind["name"], ind["target"] or "", ind["actual"] or "",
            f"{ind['weight']:.2f}", f"{ind['rate'] * 100:.2f}%", f"{ind['score']:.2f}",
        )  # fmt: skip
        assert expected in rows, expected
    execution = next(r for r in rows if r[1] == "预算执行率")
    assert execution[4:] == ("5.00", "81.82%", "2.73")  # golden: 5 × 81.82 % = 2.73
    # the table's own 偏差原因 is quoted
    assert "援疆项目工作检查减少、调研减少" in body


def test_every_heading_of_the_xinjiang_outline_in_order(seed003):
    paras = [p.strip() for p in texts(seed003[0])[0]]
    positions = [paras.index(h) for h in HEADINGS]
    assert positions == sorted(positions)


def test_prompts_for_the_clerk(seed003):
    paras = texts(seed003[0])[0]
    prompts = [p for p in paras if p.startswith(PROMPT_MARK)]
    assert len(prompts) >= 10
    for topic in ("项目背景", "主要偏差原因及改进措施", "主要经验及做法", "改进建议"):
        assert any(topic in p for p in prompts), topic


def test_no_number_the_engine_did_not_produce(seed003):
    """Outside prompts, every number printed is one of the JSON document (as written in
    the workbook's texts, or formatted with two decimals, rates as percentages) or a
    count of a list the test counts itself."""
    document, _, table, _ = seed003
    dump = json.dumps(table, ensure_ascii=False)
    allowed = set(NUMBER.findall(dump))

    def add(value, rate=False):
        if isinstance(value, int | float) and not isinstance(value, bool):
            allowed.add(f"{value:.2f}")
            if rate:
                allowed.add(f"{value * 100:.2f}")

    for key, value in table.items():
        add(value, rate=key.endswith("_rate"))
    for part in ("categories", "indicators"):
        for item in table[part]:
            for key, value in item.items():
                add(value, rate=key == "rate")
    inds = table["indicators"]
    counts = {
        len(inds),
        len([i for i in inds if i["target"]]),  # 阶段性目标 list
        len([i for i in inds if i["weight"] is not None and i["score"] < i["weight"]]),
        len([f for f in table["findings"] if f["severity"] in ("error", "warning")]),
        *(len([i for i in inds if i["level1"] == c["name"]]) for c in table["categories"]),
    }
    allowed |= {str(n) for n in counts}
    paras, cells = texts(document)
    for text in paras + cells:
        if text.startswith(PROMPT_MARK):
            continue
        for token in NUMBER.findall(text):
            assert token in allowed, (token, text)


def test_counts_are_the_lists_they_introduce(seed003):
    paras = texts(seed003[0])[0]
    checked = 0
    for n, text in enumerate(paras):
        found = re.search(r"共 (\d+) 个：$|问题 (\d+) 项：$", text)
        if not found:
            continue
        claimed = int(found.group(1) or found.group(2))
        items = 0
        for follower in paras[n + 1 :]:
            if not (follower.startswith("“") or follower.startswith("PX")):
                break
            items += 1
        assert items == claimed, text
        checked += 1
    assert checked >= 4


def test_seed002_under_xj_prop(tmp_path):
    document, _result = make_report(tmp_path, "seed002", "xj-prop")
    table = score_json(SEEDS / "seed002.xlsx", "xj-prop")
    body = "\n".join(texts(document)[0])
    assert table["total"] == 88.26 and table["grade"] == "良"  # golden
    assert "总分为 88.26 分，绩效评级为“良”" in body
    assert f"偏差为 {table['deviation']:.2f} 个百分点" in body


def test_refuses_to_overwrite_without_force_and_default_name(tmp_path):
    workbook = tmp_path / "seed003.xlsx"
    workbook.write_bytes((SEEDS / "seed003.xlsx").read_bytes())
    first = invoke("report", workbook, "-p", "xj-60")
    target = tmp_path / "援疆工作经费项目自评报告.docx"
    assert target.exists(), first.output
    target.write_bytes(b"clerk's edits")
    again = invoke("report", workbook, "-p", "xj-60")
    assert again.exit_code == 2 and "已存在" in again.output and "--force" in again.output
    assert target.read_bytes() == b"clerk's edits"
    forced = invoke("report", workbook, "-p", "xj-60", "--force")
    assert forced.exit_code == 1 and target.read_bytes()[:2] == b"PK"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_unreadable_workbook_gives_its_reason(tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_text("不是工作簿")
    result = invoke("report", bad, "-o", tmp_path / "r.docx")
    assert result.exit_code == 1
    assert "文件无法读取" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "r.docx").exists()


def test_renders_in_libreoffice(seed003, tmp_path):
    soffice = require_soffice()
    source = seed003[3]
    profile = (tmp_path / "lo-profile").as_uri()
    run = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, timeout=120, text=True,
    )  # fmt: skip
    pdf = tmp_path / "seed003.pdf"
    if not pdf.exists() and "could not be loaded" in run.stderr and not os.environ.get("CI"):
        pytest.skip(
            "LibreOffice Writer is not installed (apt-get install libreoffice-writer-nogui)"
        )
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert pdf.stat().st_size > 10_000
