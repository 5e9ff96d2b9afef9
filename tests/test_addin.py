"""`perfxl addin` on the command line: install refused off Windows with what it would
do there, the file locations, and `build` writing the add-in package. The package and
the Windows install are tested in tests/excel/test_addin_*.py."""

import zipfile
from pathlib import Path

from click.testing import CliRunner

from perfxl.cli import main
from perfxl.excel import addin
from perfxl.excel.addin_package import read_settings

MACROS = Path(__file__).resolve().parents[1] / "macros"


def test_install_needs_windows(monkeypatch):
    monkeypatch.setattr(addin.sys, "platform", "linux")
    result = CliRunner().invoke(main, ["addin", "install"])
    assert result.exit_code == 2
    assert "Windows" in result.output and "Excel" in result.output
    assert "XLSTART" in result.output and "perfxl addin build" in result.output


def test_files_lists_the_macros():
    result = CliRunner().invoke(main, ["addin", "files"])
    assert result.exit_code == 0
    assert str(MACROS / "perfxl.bas") in result.output
    assert str(MACROS / "customUI14.xml") in result.output


def test_build_writes_the_package_and_never_overwrites(tmp_path):
    target = tmp_path / "perfxl.xlam"
    result = CliRunner().invoke(main, ["addin", "build", "-o", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as z:
        assert "customUI/customUI14.xml" in z.namelist() and "xl/vbaProject.bin" in z.namelist()
    settings = read_settings(target)
    assert settings["UDF MODULES"] == "perfxl.excel.udfs"
    assert settings["INTERPRETER_WIN"] == ""  # this Linux python is no use to Excel
    assert "Interpreter_Win 留空" in result.output
    again = CliRunner().invoke(main, ["addin", "build", "-o", str(target)])
    assert again.exit_code == 2 and "已存在" in again.output
    wrong = CliRunner().invoke(main, ["addin", "build", "-o", str(tmp_path / "perfxl.xlsx")])
    assert wrong.exit_code == 2 and ".xlam" in wrong.output


def test_the_supported_matrix_in_the_docs_matches_setup_cfg():
    """docs/excel.md states the Python and xlwings ranges setup.cfg requires, and the
    xlwings installed here (the one the add-in tests ran with) is inside that range."""
    import configparser

    import xlwings
    from packaging.requirements import Requirement

    root = Path(__file__).resolve().parents[1]
    config = configparser.ConfigParser()
    config.read(root / "setup.cfg", encoding="utf-8")
    python = config["options"]["python_requires"]
    (xlwings_req,) = [
        Requirement(line)
        for line in config["options"]["install_requires"].split()
        if line.lower().startswith("xlwings")
    ]
    docs = " ".join((root / "docs" / "excel.md").read_text(encoding="utf-8").split())
    assert python == ">=3.11" and "Python 3.11+" in docs and "| Python | 3.11 及以上" in docs
    assert str(xlwings_req.specifier) == "<0.38,>=0.30"
    assert "0.30 及以上、0.38 以下" in docs and "xlwings >=0.30,<0.38" in docs
    assert xlwings_req.specifier.contains(xlwings.__version__)
    assert f"在 {xlwings.__version__} 上测试" in docs
