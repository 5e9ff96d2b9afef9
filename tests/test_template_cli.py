"""`perfxl template` on the command line: no silent overwrite, no file perfxl would then
reject (issue 10, friction seen by a new user)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfxl.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    "name", ["自评表.xls", "自评表.xlsb", "自评表.ods", "自评表.csv", "自评表"]
)
def test_unsupported_extension_is_refused_before_anything_is_written(tmp_path, name):
    result = invoke("template", "-o", tmp_path / name)
    assert result.exit_code == 2
    assert "模板只能保存为 .xlsx 或 .xlsm 工作簿" in result.output
    assert not list(tmp_path.iterdir())


def test_existing_template_needs_force(tmp_path):
    out = tmp_path / "模板.xlsx"
    assert invoke("template", "-o", out).exit_code == 0
    before = out.read_bytes()
    again = invoke("template", "-o", out, "--profile", "xj-60")
    assert again.exit_code == 2
    assert "已存在" in again.output and "--force" in again.output
    assert out.read_bytes() == before
    forced = invoke("template", "-o", out, "--profile", "xj-60", "--force")
    assert forced.exit_code == 0, forced.output
    assert out.read_bytes() != before  # the xj-60 template replaced the mof2020 one


def test_force_never_replaces_a_filled_in_table(tmp_path):
    filled = tmp_path / "自评表.xlsx"
    shutil.copyfile(SEEDS / "seed002.xlsx", filled)
    result = invoke("template", "-o", filled, "--force")
    assert result.exit_code == 2 and "拒绝覆盖" in result.output
    assert filled.read_bytes() == (SEEDS / "seed002.xlsx").read_bytes()


def test_xlsm_is_typed_macro_enabled_and_read_back(tmp_path):
    from perfxl.reader import read_workbook

    out = tmp_path / "模板.xlsm"
    assert invoke("template", "-o", out).exit_code == 0
    with zipfile.ZipFile(out) as archive:
        types = archive.read("[Content_Types].xml").decode()
    # Excel refuses an .xlsm whose workbook part is typed as a plain .xlsx
    assert "application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert "spreadsheetml.sheet.main+xml" not in types
    assert len(read_workbook(out).tables) == 1
