"""`perfxl addin install`: one perfxl.xlam with the 绩效 ribbon and the PERF_* functions.

It follows xlwings' documented custom add-in route (docs/excel.md says which xlwings
versions): the add-in carries xlwings' VBA itself, so the ribbon's RunPython and the
PERF_* functions work in every workbook, plain .xlsx included, with no reference to
xlwings.xlam and no per-workbook Import Functions.

1. perfxl.excel.addin_package builds the file from `xlwings quickstart perfxl --addin
   --ribbon`: perfxl's customUI14.xml as the ribbon, the settings sheet perfxl.conf
   with this Python as Interpreter_Win and UDF Modules = perfxl.excel.udfs (tested
   here, on any system);
2. Excel, driven through xlwings on Windows, finishes the VBA project: removes the
   template's sample RibbonMyAddin module, imports macros/perfxl.bas (the one Sub
   PerfxlRibbon every button calls), sets PROJECT_NAME = "perfxl" in the xlwings
   module (so the add-in reads its perfxl.conf sheet), then runs xlwings.udfs.import_udfs
   on the add-in — the function xlwings' own Sub ImportPythonUDFsToAddin calls — which
   writes the PERF_* wrappers into the add-in and registers their wizard texts; then
   saves. A VBA project is compiled by Excel only, so perfxl writes no VBA binary
   itself. This step needs 信任对 VBA 工程对象模型的访问 (Trust Center);
3. `xlwings addin install --file perfxl.xlam` copies it into Excel's XLSTART folder and
   opens it in running Excel instances; perfxl then checks the copy is there.

Steps 2 and 3 need Windows and Excel; the tests run them against fakes (Excel's VBA
object model, xlwings' CLI) and run xlwings' real import_udfs against the fake.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import perfxl
from perfxl.excel.addin_package import PROJECT, PackageError, build_package, patch_customui

ADDIN_NAME = f"{PROJECT}.xlam"
BRIDGE = "perfxl.bas"
RIBBON = "customUI14.xml"
UDF_MODULES = "perfxl.excel.udfs"
SAMPLE_MODULE = "RibbonMyAddin"  # the template's demo ribbon callback, replaced by ours
XLWINGS_MODULE = "xlwings"  # the template's copy of xlwings' VBA
PROJECT_LINE = re.compile(r'^\s*Public\s+Const\s+PROJECT_NAME\s+As\s+String\s*=\s*"[^"]*"')
TRUST = (
    "Excel 拒绝访问 VBA 工程：请在 Excel“文件 > 选项 > 信任中心 > 信任中心设置 > 宏设置”中"
    "勾选“信任对 VBA 工程对象模型的访问”（单位电脑可能需要信息科开通），然后重新运行 "
    "perfxl addin install。"
)
NEEDS_WINDOWS = (
    "perfxl addin install 需要在装有 Excel 的 Windows 电脑上运行：加载项的 VBA 要由 Excel "
    "完成，PERF_* 函数（xlwings 的单元格函数）也只在 Windows 版 Excel 中可用。"
    "在 Windows 上，本命令把 perfxl.xlam 安装到 %APPDATA%\\Microsoft\\Excel\\XLSTART。"
    "本机可用 perfxl addin build 生成未完成 VBA 的 perfxl.xlam（手动安装见 docs/excel.md），"
    "或直接使用 perfxl score / perfxl validate --annotate。"
)

__all__ = ["AddinError", "PackageError", "install", "patch_customui"]


class AddinError(Exception):
    """Installing cannot go on; the message is Chinese and says what to do."""


def macros_dir() -> Path:
    """The folder with perfxl.bas and customUI14.xml (the repository's macros/)."""
    candidates = [
        Path(perfxl.__file__).resolve().parent.parent / "macros",
        Path(sys.prefix) / "share" / "perfxl" / "macros",
    ]
    for folder in candidates:
        if (folder / BRIDGE).is_file() and (folder / RIBBON).is_file():
            return folder
    raise AddinError(
        f"找不到 perfxl 的 VBA 与功能区文件（{BRIDGE}、{RIBBON}），请重新安装 perfxl。"
    )


def user_xlstart(environ: Mapping[str, str] | None = None) -> Path:
    """The user's XLSTART folder as Excel for Windows sets it up by default:
    %APPDATA%\\Microsoft\\Excel\\XLSTART (APPDATA is %USERPROFILE%\\AppData\\Roaming)."""
    env = os.environ if environ is None else environ
    if env.get("APPDATA"):
        appdata = Path(env["APPDATA"])
    elif env.get("USERPROFILE"):
        appdata = Path(env["USERPROFILE"], "AppData", "Roaming")
    else:
        raise AddinError("找不到用户的 APPDATA 文件夹，无法确定 Excel 启动文件夹（XLSTART）。")
    return appdata / "Microsoft" / "Excel" / "XLSTART"


def build(target: Path, interpreter: str | None = None) -> Path:
    """perfxl.xlam as a file (step 1): ribbon and settings in, VBA not yet finished."""
    folder = macros_dir()
    try:
        return build_package(
            target,
            (folder / RIBBON).read_bytes(),
            sys.executable if interpreter is None else interpreter,
            UDF_MODULES,
        )
    except PackageError as exc:
        raise AddinError(str(exc)) from exc


# --------------------------------------------------------------------------- Excel


def complete_in_excel(
    app: Any, xlam: Path, bridge: Path, import_udfs: Callable[[str, Any], None]
) -> None:
    """Step 2: let Excel finish the add-in's VBA project and save it (Windows COM)."""
    book = app.books.open(str(xlam))
    try:
        try:
            project = book.api.VBProject
            components = project.VBComponents
            components.Count  # noqa: B018 - the first call Excel refuses when untrusted
        except Exception as exc:
            raise AddinError(f"{TRUST}（{exc}）") from exc
        names = {components.Item(i).Name for i in range(1, components.Count + 1)}
        if SAMPLE_MODULE in names:
            components.Remove(components.Item(SAMPLE_MODULE))
        components.Import(str(bridge))
        _set_project_name(components.Item(XLWINGS_MODULE).CodeModule)
        project.Name = PROJECT
        import_udfs(UDF_MODULES, book.api)
        book.api.Save()
    finally:
        book.close()


def _set_project_name(code: Any) -> None:
    """PROJECT_NAME in xlwings' VBA names the settings sheet and file the add-in reads."""
    for line in range(1, min(code.CountOfLines, 300) + 1):
        if PROJECT_LINE.match(code.Lines(line, 1)):
            code.ReplaceLine(line, f'Public Const PROJECT_NAME As String = "{PROJECT}"')
            return
    raise AddinError(
        "xlwings 加载项模板的 VBA 中没有 PROJECT_NAME 一行：请安装 docs/excel.md 所列的 xlwings 版本。"
    )


# --------------------------------------------------------------------------- install


def run_xlwings(args: list[str]) -> str:
    """Run xlwings' command line (`xlwings …`) with this Python; its output."""
    done = subprocess.run(
        [sys.executable, "-m", "xlwings.cli", *args], capture_output=True, text=True, check=False
    )
    return (done.stdout + done.stderr).strip()


def install(
    *,
    global_location: bool = False,
    echo: Callable[[str], None] = print,
    platform: str = "",
    environ: Mapping[str, str] | None = None,
) -> Path:
    """Build, finish and install perfxl.xlam into Excel's XLSTART (Windows only)."""
    if not (platform or sys.platform).startswith("win"):
        raise AddinError(NEEDS_WINDOWS)
    import xlwings as xw
    from xlwings.udfs import import_udfs  # Windows only: what ImportPythonUDFsToAddin runs

    bridge = macros_dir() / BRIDGE
    with tempfile.TemporaryDirectory(prefix="perfxl-addin-") as build_dir:
        target = Path(build_dir) / ADDIN_NAME
        echo("1/3 生成 perfxl.xlam（xlwings 自定义加载项模板、“绩效”功能区、设置表 perfxl.conf）…")
        build(target)
        echo("2/3 由 Excel 完成加载项的 VBA（导入 perfxl.bas 与 PERF_* 函数）…")
        with xw.App(visible=False, add_book=False) as app:
            folders = [Path(app.path) / "XLSTART"] if global_location else [Path(app.startup_path)]
            complete_in_excel(app, target, bridge, import_udfs)
        if not global_location:
            folders.append(user_xlstart(environ))
        echo("3/3 复制到 Excel 启动文件夹（xlwings addin install --file）…")
        args = ["addin", "install", "--file", str(target)] + (["--glob"] if global_location else [])
        output = run_xlwings(args)
        built = target.read_bytes()
        for folder in folders:
            installed = folder / ADDIN_NAME
            if installed.is_file() and installed.read_bytes() == built:
                echo(
                    f"完成：{installed}。重新启动 Excel 后可见“绩效”选项卡，PERF_* 函数在任何工作簿中可用。"
                )
                return installed
    raise AddinError(
        f"perfxl.xlam 未能复制到 {folders[0]}：请关闭所有 Excel 窗口后重试"
        f"{'（--global 需以管理员身份运行命令提示符）' if global_location else ''}。"
        f"xlwings 的输出：{output}"
    )
