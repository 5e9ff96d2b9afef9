"""`perfxl addin install` on Windows, with Excel and xlwings' command line faked (issue
10 item 2). The Excel step runs on a fake VBA project that starts with the modules
olevba reads from the built package, and xlwings' real import_udfs (its Windows code,
COM modules stubbed) writes the PERF_* wrappers into it."""

import re
import shutil
from pathlib import Path

import pytest
import xlwings

from excel.fake_vba import FakeExcel, package_modules
from perfxl.excel import addin

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # olevba's pyparsing

MACROS = Path(__file__).resolve().parents[2] / "macros"
FUNCTIONS = {
    "PERF_RATE",
    "PERF_SCORE",
    "PERF_EXEC_RATE",
    "PERF_EXEC_SCORE",
    "PERF_ARRIVAL_SCORE",
    "PERF_DEVIATION",
    "PERF_GRADE",
    "PERF_TOTAL",
    "PERF_BLOCK",
    "PERF_TIME_PROGRESS",
    "PERF_MONITOR_LIGHT",
}


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return addin.build(tmp_path_factory.mktemp("addin") / "perfxl.xlam", interpreter="python")


@pytest.fixture
def import_udfs(windows_xlwings, monkeypatch):
    """xlwings' own import_udfs, finding perfxl.excel.udfs (with xlwings' Windows
    decorators applied) where it would import it."""
    xl_udfs, module = windows_xlwings
    monkeypatch.setattr(xl_udfs, "get_udf_module", lambda name, book: module)
    return xl_udfs.import_udfs


def test_excel_finishes_the_vba_project(package, import_udfs):
    excel = FakeExcel(package_modules(package))
    addin.complete_in_excel(excel, package, MACROS / "perfxl.bas", import_udfs)
    project = excel.book.project
    modules = {c.Name: c.CodeModule.text() for c in project.VBComponents.items}
    assert set(modules) == {
        "ThisWorkbook", "Sheet2", "Dictionary", "xlwings", "PerfxlBridge", "xlwings_udfs"
    }  # fmt: skip
    assert project.Name == "perfxl"
    assert re.search(r'^Public Const PROJECT_NAME As String = "perfxl"$', modules["xlwings"], re.M)
    assert "myaddin" not in modules["xlwings"].split("PROJECT_NAME", 1)[1].splitlines()[0]
    # the ribbon's one callback, and the functions in the add-in itself
    assert re.search(
        r"^Public Sub PerfxlRibbon\(control As IRibbonControl\)", modules["PerfxlBridge"], re.M
    )
    wrappers = modules["xlwings_udfs"]
    declared = set(re.findall(r"^Function (PERF_\w+)\(", wrappers, re.M))
    assert declared == FUNCTIONS
    # an add-in's wrappers pass the workbook that calls them (ActiveWorkbook), through
    # XLPy, which the add-in's own xlwings module defines: no reference to xlwings.xlam
    assert "ThisWorkbook, Application.Caller" not in wrappers
    assert 'XLPy.CallUDF("perfxl.excel.udfs", "PERF_SCORE"' in wrappers
    assert re.search(r"^Function XLPy\(\)", modules["xlwings"], re.M)
    registered = {macro: options for macro, options in excel.macro_options}
    assert set(registered) == {f"'perfxl.xlam'!{name}" for name in FUNCTIONS}
    assert {o["Category"] for o in registered.values()} == {"绩效评价"}
    assert excel.log == [("open", "perfxl.xlam"), ("save",), ("close",)]


def test_untrusted_vba_access_stops_with_the_trust_center_setting(package, import_udfs):
    excel = FakeExcel(package_modules(package), trusted=False)
    with pytest.raises(addin.AddinError, match="信任对 VBA 工程对象模型的访问"):
        addin.complete_in_excel(excel, package, MACROS / "perfxl.bas", import_udfs)
    assert excel.log == [("open", "perfxl.xlam"), ("close",)]  # nothing saved


def test_user_xlstart_follows_appdata(tmp_path):
    roaming = tmp_path / "Roaming"
    assert addin.user_xlstart({"APPDATA": str(roaming)}) == roaming / "Microsoft/Excel/XLSTART"
    home = tmp_path / "张三"
    expected = home / "AppData/Roaming/Microsoft/Excel/XLSTART"
    assert addin.user_xlstart({"USERPROFILE": str(home)}) == expected
    with pytest.raises(addin.AddinError, match="APPDATA"):
        addin.user_xlstart({})


@pytest.fixture
def windows_install(tmp_path, monkeypatch, import_udfs, package):
    """install() with Excel and the `xlwings` command faked; the fake command copies
    the file where xlwings copies it (Excel's startup_path, or with --glob the XLSTART
    under Excel's own folder)."""
    modules = package_modules(package)
    office = tmp_path / "Office16"
    calls, excels = [], []

    def app(**kwargs):
        excel = FakeExcel(modules, path=str(office), startup=str(tmp_path / "elsewhere"))
        excels.append(excel)
        return excel

    def run_xlwings(args):
        calls.append(args)
        source = Path(args[args.index("--file") + 1])
        folder = office / "XLSTART" if "--glob" in args else xlstart
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, folder / source.name)
        return "Successfully installed the xlwings add-in!"

    xlstart = tmp_path / "Roaming/Microsoft/Excel/XLSTART"
    monkeypatch.setattr(xlwings, "App", app)
    monkeypatch.setattr(addin, "run_xlwings", run_xlwings)
    return {"calls": calls, "excels": excels, "xlstart": xlstart, "office": office}


def test_install_builds_finishes_and_installs_one_addin(tmp_path, windows_install):
    lines = []
    env = {"APPDATA": str(tmp_path / "Roaming")}
    installed = addin.install(echo=lines.append, platform="win32", environ=env)
    assert installed == windows_install["xlstart"] / "perfxl.xlam"
    (args,) = windows_install["calls"]
    assert args[:3] == ["addin", "install", "--file"] and args[3].endswith("perfxl.xlam")
    assert "--glob" not in args
    (excel,) = windows_install["excels"]
    assert excel.log[:3] == [("open", "perfxl.xlam"), ("save",), ("close",)]
    assert [line[:3] for line in lines[:3]] == ["1/3", "2/3", "3/3"]
    assert "完成" in lines[-1]


def test_install_for_all_users_uses_excels_own_xlstart(tmp_path, windows_install):
    installed = addin.install(global_location=True, echo=lambda _: None, platform="win32")
    assert installed == windows_install["office"] / "XLSTART" / "perfxl.xlam"
    assert windows_install["calls"][0][-1] == "--glob"


def test_install_says_when_the_copy_did_not_happen(tmp_path, windows_install, monkeypatch):
    monkeypatch.setattr(addin, "run_xlwings", lambda args: "Error: Failed to install the add-in")
    env = {"APPDATA": str(tmp_path / "Roaming")}
    with pytest.raises(addin.AddinError, match="关闭所有 Excel") as caught:
        addin.install(echo=lambda _: None, platform="win32", environ=env)
    assert "Failed to install" in str(caught.value)


def test_the_excel_fake_uses_only_what_xlwings_offers():
    """complete_in_excel and install use App.books.open, App.path, App.startup_path,
    Book.api and Book.close, and App as a context manager; all exist in xlwings."""
    import xlwings.main as xwm

    for owner, names in (
        (xwm.App, ("books", "path", "startup_path", "__enter__", "__exit__")),
        (xwm.Books, ("open",)),
        (xwm.Book, ("api", "close")),
    ):
        assert all(hasattr(owner, name) for name in names), owner
