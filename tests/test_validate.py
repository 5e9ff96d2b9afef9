"""`perfxl validate`: the seed defects at their cells, the output formats, exit codes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEED_002

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def validate_json(*args: str) -> tuple[int, dict]:
    result = invoke("validate", *args, "--format", "json")
    return result.exit_code, json.loads(result.output)


def table_findings(document: dict, name: str) -> set[tuple[str, str]]:
    (file,) = [f for f in document["files"] if Path(f["path"]).name == name]
    (table,) = file["tables"]
    return {(f["code"], f["cell"]) for f in table["findings"]}


@pytest.fixture(scope="module")
def seeds_json() -> dict[str, dict]:
    documents = {}
    for profile in ("mof2020", "xj-prop", "xj-60"):
        _, documents[profile] = validate_json(str(SEEDS), "--profile", profile)
    return documents


# --- the seed defects named in domain.md ------------------------------------------------


@pytest.mark.parametrize("profile", ["mof2020", "xj-prop", "xj-60"])
def test_seed_001_duplicate_indicator_at_its_timeliness_row(seeds_json, profile):
    # 资金使用合规率（%） is row 32 under 质量指标 and row 33 under 时效指标 (13 + 11 + 8 + 1).
    found = table_findings(seeds_json[profile], "seed001.xlsx")
    assert ("PX106", "工作经费!D33") in found
    assert ("PX106", "工作经费!D32") not in found


@pytest.mark.parametrize("profile", ["mof2020", "xj-prop", "xj-60"])
def test_seed_002_printed_total(seeds_json, profile):
    assert ("PX021", "机关运行补助项目!H31") in table_findings(seeds_json[profile], "seed002.xlsx")


def test_seed_002_printed_total_message():
    result = invoke("validate", str(SEEDS / "seed002.xlsx"), "--profile", "xj-prop")
    assert "seed002.xlsx:机关运行补助项目!H31: PX021 " in result.output
    assert (
        "填报总分 87.26，按“xj-prop”规则重新计算为 88.26；表内各项填报得分合计为 88.26"
        in result.output
    )


def test_printed_total_that_disagrees_with_its_printed_rows_is_flagged():
    # Seed 002 under mof2020 recomputes to 96.74; the printed rows still add to 88.26,
    # so both figures are named against the printed 87.26.
    result = invoke("validate", str(SEEDS / "seed002.xlsx"))
    assert "重新计算为 96.74；表内各项填报得分合计为 88.26" in result.output


@pytest.mark.parametrize("profile", ["mof2020", "xj-prop", "xj-60"])
def test_seed_003_funds_score_and_total(seeds_json, profile):
    found = table_findings(seeds_json[profile], "seed003.xlsx")
    assert ("PX114", "援疆工作经费项目!H6") in found  # 81.82 / 81.82 printed as 81.82%
    assert ("PX020", "援疆工作经费项目!H20") in found  # the printed 2.7
    assert ("PX021", "援疆工作经费项目!H36") in found  # 95.72 on the 总分 row


def test_seed_003_messages_under_xj60():
    result = invoke("validate", str(SEEDS / "seed003.xlsx"), "--profile", "xj-60")
    assert result.exit_code == 1  # PX114 is an error
    assert "援疆工作经费项目!H20: PX020 " in result.output
    assert "填报 2.7，按“xj-60”规则计算为 2.73" in result.output
    # printed rows: 21 + (3 + 2.7 + 5 + 2 + 4) + 28 + 30 = 95.7, printed total 95.72
    assert (
        "填报总分 95.72，按“xj-60”规则重新计算为 95.73；表内各项填报得分合计为 95.7"
        in result.output
    )
    assert "全年执行数 81.82 ÷ 全年预算数 81.82 = 100.00%" in result.output


def test_seeds_000_to_002_have_no_errors(seeds_json):
    for name in ("seed000.xlsx", "seed001.xlsx", "seed002.xlsx"):
        (file,) = [f for f in seeds_json["xj-prop"]["files"] if Path(f["path"]).name == name]
        severities = {f["severity"] for t in file["tables"] for f in t["findings"]}
        assert "error" not in severities, name


def test_a_defect_written_into_a_workbook_is_found_at_its_cell(tmp_path):
    # Seed 002 without the 偏差原因 of its cost row (row 27: 13 + 11 rubric + 3).
    rows = tuple(
        dataclasses.replace(r, reason="") if r.name == "预算成本控制率" else r
        for r in SEED_002.rows
    )
    path = tmp_path / "002.xlsx"
    write_workbook([dataclasses.replace(SEED_002, rows=rows)], path)
    code, document = validate_json(str(path), "--profile", "xj-prop")
    found = table_findings(document, "002.xlsx")
    assert ("PX108", "机关运行补助项目!I27") in found
    assert ("PX021", "机关运行补助项目!H31") in found
    assert code == 0  # warnings only


# --- output and exit codes --------------------------------------------------------------


def test_text_lines_are_sorted_by_file_then_cell_and_end_with_a_summary():
    result = invoke("validate", str(SEEDS))
    lines = result.output.strip().splitlines()
    *findings, summary = lines
    assert summary == "共校验 4 个文件、4 张表：错误 1 个，警告 8 个，无法读取的文件 0 个"
    paths = [line.split(":", 1)[0] for line in findings]
    assert paths == sorted(paths)
    seed003 = [line for line in findings if "seed003" in line]
    rows = [
        int("".join(ch for ch in line.split("!")[1].split(":")[0] if ch.isdigit()))
        for line in seed003
    ]
    assert rows == sorted(rows)
    for line in findings:
        assert line.split(": ", 1)[1][:2] == "PX"


def test_json_document_shape():
    code, document = validate_json(str(SEEDS / "seed003.xlsx"), str(SEEDS / "seed000.xlsx"))
    assert code == 1
    assert set(document) == {"files", "summary"}
    assert document["summary"] == {
        "files": 2, "tables": 2, "errors": 1, "warnings": 4, "rejected": 0,
    }  # fmt: skip
    for file in document["files"]:
        assert set(file) == {"path", "findings", "tables"}
        for table in file["tables"]:
            assert set(table) == {"sheet", "kind", "project", "findings"}
            for finding in table["findings"]:  # the contract's four keys and the file
                assert set(finding) == {"code", "severity", "cell", "message", "file"}
                assert "!" in finding["cell"] and finding["file"] == file["path"]


def test_exit_0_without_errors():
    result = invoke("validate", str(SEEDS / "seed000.xlsx"))
    assert result.exit_code == 0
    assert "PX106" in result.output  # a warning does not fail the run


def test_unreadable_file_is_rejected_and_exit_1(tmp_path):
    shutil.copy(SEEDS / "seed000.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_bytes(b"not a workbook")
    (tmp_path / "~$a.xlsx").write_bytes(b"lock")  # an Office lock file is not a workbook
    code, document = validate_json(str(tmp_path))
    assert code == 1
    assert [Path(f["path"]).name for f in document["files"]] == ["a.xlsx", "b.xlsx"]
    assert document["summary"]["rejected"] == 1
    broken = document["files"][1]
    assert broken["tables"] == [] and broken["findings"][0]["code"] == "PX001"
    text = invoke("validate", str(tmp_path)).output
    assert f"{tmp_path / 'b.xlsx'}: PX001 " in text
    assert "无法读取的文件 1 个" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["/no/such/dir"], "路径不存在"),
        (["--profile", "atlantis"], "未知的评分规则"),
    ],
)
def test_usage_errors_exit_2(args, message):
    if args[0] == "--profile":
        args = [str(SEEDS / "seed000.xlsx"), *args]
    result = invoke("validate", *args)
    assert result.exit_code == 2
    assert message in result.output


def test_a_folder_without_workbooks_exits_2(tmp_path):
    (tmp_path / "notes.txt").write_text("no workbooks here", encoding="utf-8")
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "未找到任何工作簿" in result.output


def test_inputs_are_never_modified(tmp_path):
    for seed in ("seed002.xlsx", "seed003.xlsx"):
        shutil.copy(SEEDS / seed, tmp_path / seed)
    before = {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns)
        for p in tmp_path.iterdir()
    }
    invoke("validate", str(tmp_path))
    invoke("validate", str(tmp_path), "--format", "json")
    after = {
        p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), os.stat(p).st_mtime_ns)
        for p in tmp_path.iterdir()
    }
    assert after == before


def test_seed_002_decision_printed_as_20_points(tmp_path):
    # The report gives 决策 as 20 points for rows listing 5 + 3 + 4 + 3 + 4 + 2 = 21.
    from openpyxl import load_workbook

    path = tmp_path / "002.xlsx"
    write_workbook([SEED_002], path, level1_points=True)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet["B13"].value == "决策(21分)"
    sheet["B13"] = "决策(20分)"
    book.save(path)
    code, document = validate_json(str(path), "--profile", "xj-prop")
    found = table_findings(document, "002.xlsx")
    assert ("PX104", "机关运行补助项目!B13") in found
    assert code == 0


def test_annotate_writes_copies_and_leaves_inputs_alone(tmp_path):
    import shutil

    import openpyxl

    src = tmp_path / "in" / "sub"
    src.mkdir(parents=True)
    shutil.copy(SEEDS / "seed003.xlsx", src / "seed003.xlsx")
    (src / "broken.xlsx").write_bytes(b"")
    before = (src / "seed003.xlsx").read_bytes()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["validate", str(tmp_path / "in"), "--profile", "xj-60", "--annotate", str(out)]
    )
    assert result.exit_code == 1
    assert (src / "seed003.xlsx").read_bytes() == before
    copy = out / "sub" / "seed003.xlsx"
    book = openpyxl.load_workbook(copy)
    assert "校验结果" in book.sheetnames
    sheet = book["援疆工作经费项目"]
    assert sheet["H20"].comment is not None and "PX020" in sheet["H20"].comment.text
    assert sheet["H6"].comment is not None and "PX114" in sheet["H6"].comment.text
    assert not (out / "sub" / "broken.xlsx").exists()  # unreadable: listed, not copied


@pytest.mark.skipif(
    sys.platform == "win32" or multiprocessing.get_start_method() != "fork",
    reason="the abort is injected into forked workers",
)
def test_a_file_that_aborts_its_reader_is_one_rejected_file(tmp_path):
    """Issue 9 #1: a native abort while reading one file must not take the others down."""
    for name, seed in (("甲.xlsx", "seed000"), ("炸弹.xlsx", "seed002"), ("乙.xlsx", "seed003")):
        shutil.copyfile(SEEDS / f"{seed}.xlsx", tmp_path / name)
    code = (
        "import os, sys\nfrom pathlib import Path\nimport perfxl.commands.validate as v\n"
        "real = v.check_file\n"
        "def check(path, profile):\n"
        "    if Path(path).name == '炸弹.xlsx':\n"
        "        os.abort()\n"
        "    return real(path, profile)\n"
        "v.check_file = check\n"
        "from perfxl.cli import main\n"
        f"sys.argv = ['perfxl', 'validate', {str(tmp_path)!r}]\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    lines = run.stdout.splitlines()
    assert any("炸弹.xlsx" in x and "PX004" in x and "异常退出" in x for x in lines)
    assert "无法读取的文件 1 个" in lines[-1] and "共校验 3 个文件" in lines[-1]


# --- the library: validate_files beside score_files (perfxl.api) ---------------------------


def test_validate_files_gives_the_findings_score_files_gives_the_figures(tmp_path):
    from perfxl.api import score_files, validate_files

    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(b"not a workbook")
    paths = [SEEDS / "seed003.xlsx", broken]
    checks = validate_files(paths, "xj-60")
    scores = score_files(paths, "xj-60")
    assert [c.path for c in checks] == [s.path for s in scores] == [str(p) for p in paths]
    seed, bad = checks
    # seed 003 under xj-60: the printed 2.7 on the 预算执行率 row (H20) and the printed
    # 95.72 total (H36) against 95.73 (domain.md); the figures are score_files'
    (table,) = seed.tables
    found = {(f.code, str(f.cell)) for f in table.findings}
    assert {("PX020", "援疆工作经费项目!H20"), ("PX021", "援疆工作经费项目!H36")} <= found
    assert str(scores[0].tables[0].total) == "95.73"
    # the same findings either way, each once, and every one names its file
    assert set(scores[0].tables[0].all_findings) == set(table.findings)
    assert len(table.findings) == len(set(table.findings))
    assert all(f.path == seed.path for f in seed.all_findings)
    # an unreadable file: rejected, its finding on the file, an error for the exit code
    assert bad.rejected and [f.code for f in bad.findings] == ["PX001"]
    assert bad.errors == 1 and bad.findings[0].path == str(broken)
    assert scores[1].tables == [] and scores[1].findings == bad.findings


def test_one_order_for_findings():
    from perfxl.findings import Finding, Severity, ordered
    from perfxl.model import CellRef

    def at(code, sheet=None, row=0, col=0, where=None):
        cell = CellRef(sheet, row, col) if sheet else None
        return Finding(code, Severity.WARNING, "x", cell, where)

    found = [
        at("PX102", "乙", 3, 2), at("PX101", "甲", 9, 1), at("PX103", "甲", 3, 5),
        at("PX104", "甲", 3, 2), at("PX001", where="a.xlsx"), at("PX105", "丙", 1, 1),
    ]  # fmt: skip
    # without a cell first; then 乙 before 甲 (workbook order), 丙 (not listed) last;
    # by row, then column
    assert [f.code for f in ordered(found, ["乙", "甲"])] == [
        "PX001", "PX102", "PX104", "PX103", "PX101", "PX105",
    ]  # fmt: skip


def test_severity_is_counted_in_one_place():
    from perfxl.findings import Finding, Severity, counts

    found = [Finding("PX1", s, "x") for s in ("error", "warning", "warning", "info")]
    assert counts(found) == (1, 2, 1)
    assert counts([]).errors == 0 and counts([Finding("PX1", Severity.INFO, "")]).infos == 1


def test_every_finding_in_the_json_names_its_file(tmp_path):
    shutil.copy(SEEDS / "seed003.xlsx", tmp_path / "a.xlsx")
    (tmp_path / "b.xlsx").write_bytes(b"not a workbook")
    for command in ("validate", "score"):
        result = invoke(command, str(tmp_path / "a.xlsx"), str(tmp_path / "b.xlsx"), "--format",
                        "json")  # fmt: skip
        files = json.loads(result.output)["files"]
        assert [Path(f["path"]).name for f in files] == ["a.xlsx", "b.xlsx"], command
        for file in files:
            found = file["findings"] + [f for t in file["tables"] for f in t["findings"]]
            assert found and all(f["file"] == file["path"] for f in found), command
