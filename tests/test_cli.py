"""The CLI contract of ../shared/design.md: JSON keys, exit codes, Chinese text."""

import json
from pathlib import Path

from click.testing import CliRunner

from perfxl.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
TABLE_KEYS = {
    "sheet", "project", "unit", "profile", "total", "grade", "execution_rate",
    "completion_rate", "deviation", "categories", "indicators", "findings",
}  # fmt: skip
ROW_KEYS = {
    "cell",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "rate",
    "score",
    "method",
    "reported_score",
}


def invoke(*args):
    return CliRunner().invoke(main, list(args))


def test_json_contract_keys():
    result = invoke(
        "score", str(SEEDS / "seed000.xlsx"), str(SEEDS / "seed003.xlsx"), "--format", "json"
    )
    assert result.exit_code == 1  # seed 003's inconsistent funds block is an error (PX114)
    document = json.loads(result.output)
    assert [Path(f["path"]).name for f in document["files"]] == ["seed000.xlsx", "seed003.xlsx"]
    for file in document["files"]:
        assert set(file) == {"path", "tables", "findings"}
        for table in file["tables"]:
            assert set(table) >= TABLE_KEYS
            assert {"name", "weight", "score", "rate"} <= set(table["categories"][0])
            for row in table["indicators"]:
                assert set(row) == ROW_KEYS
                assert "!" in row["cell"]
            for finding in table["findings"]:  # the contract's four keys and the file
                assert set(finding) == {"code", "severity", "cell", "message", "file"}
                assert finding["code"].startswith("PX") and finding["file"] == file["path"]


def test_unreadable_file_exits_1_with_finding(tmp_path):
    broken = tmp_path / "坏文件.xlsx"
    broken.write_bytes(b"")
    result = invoke("score", str(broken), "--format", "json")
    assert result.exit_code == 1
    (file,) = json.loads(result.output)["files"]
    assert file["tables"] == []
    assert file["findings"][0]["code"] == "PX001"
    assert "空" in file["findings"][0]["message"]


def test_broken_file_does_not_stop_the_others(tmp_path):
    broken = tmp_path / "x.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    result = invoke("score", str(broken), str(SEEDS / "seed000.xlsx"))
    assert result.exit_code == 1
    assert "PX001" in result.output
    assert "总分 100.00" in result.output


def test_bad_profile_exits_2(tmp_path):
    result = invoke("score", str(SEEDS / "seed000.xlsx"), "--profile", "atlantis")
    assert result.exit_code == 2
    assert "未知的评分规则" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "bad"\nextends = "mof2020"\n[rows]\nscore = "lottery"\n', encoding="utf-8"
    )
    result = invoke("score", str(SEEDS / "seed000.xlsx"), "--profile", str(bad))
    assert result.exit_code == 2
    assert "rows.score" in result.output


def test_missing_file_is_a_usage_error():
    result = invoke("score", "/no/such/file.xlsx")
    assert result.exit_code == 2
    # click's own words, in Chinese (perfxl.i18n; every path in tests/test_chinese_messages.py)
    assert "错误：'工作簿...' 的取值无效：“/no/such/file.xlsx”不存在。" in result.output
    assert "用法：perfxl score [选项] 工作簿..." in result.output


def test_a_folder_given_to_score_names_the_commands_that_take_one(tmp_path):
    result = invoke("score", str(tmp_path))
    assert result.exit_code == 2
    assert "是文件夹；perfxl score 只接受工作簿文件" in result.output
    assert "perfxl validate" in result.output and "perfxl consolidate" in result.output


def test_profiles_listing():
    result = invoke("profiles")
    assert result.exit_code == 0
    for name in ("mof2020", "xj-prop", "xj-60", "hubei"):
        assert name in result.output


def test_demo_scores_the_four_seeds(tmp_path):
    result = invoke("demo", "-o", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    summary = tmp_path / "demo" / "县级汇总.xlsx"
    assert summary.exists()
    assert f"县级汇总已写入：{summary.resolve()}" in result.output
    assert "总分 88.26（填报 87.26）" in result.output
    assert "总分 95.73（填报 95.72）" in result.output
    assert "拒收：" in result.output  # the example county holds bad files on purpose


def test_template_command_builds_both_forms_and_modes(tmp_path):
    from perfxl.reader import read_workbook

    for form in ("self", "eval"):
        for formulas in ("plain", "udf"):
            out = tmp_path / f"{form}-{formulas}.xlsx"
            result = invoke(
                "template",
                "--profile",
                "xj-60",
                "--form",
                form,
                "--formulas",
                formulas,
                "-o",
                str(out),
            )
            assert result.exit_code == 0, result.output
            assert "已生成" in result.output
            read = read_workbook(out)
            assert len(read.tables) == 1  # the reader finds the empty form's table
            assert not [f for f in read.findings if f.code == "PX001"]
    assert (
        invoke("template", "--profile", "atlantis", "-o", str(tmp_path / "x.xlsx")).exit_code == 2
    )


def test_a_crash_in_one_file_is_a_finding_not_a_traceback(monkeypatch):
    import perfxl.validation as validation

    def explode(path):
        raise RuntimeError("boom")

    monkeypatch.setattr(validation, "read_workbook", explode)
    result = invoke("validate", str(SEEDS / "seed000.xlsx"), "--format", "json")
    assert result.exit_code == 1
    (file,) = json.loads(result.output)["files"]
    assert file["findings"][0]["code"] == "PX004"
    assert "RuntimeError" in file["findings"][0]["message"]


def test_an_internal_error_exits_2_with_a_chinese_line(monkeypatch):
    import perfxl.commands.score as score_command

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(score_command, "score_file", explode)
    result = invoke("score", str(SEEDS / "seed000.xlsx"))
    assert result.exit_code == 2
    assert "程序内部出错" in result.output
