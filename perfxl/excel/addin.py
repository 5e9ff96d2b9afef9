"""Delivering the 绩效 ribbon to Excel: `perfxl addin install` (Windows only).

What the ribbon needs in Excel is an add-in, perfxl.xlam, holding two things:

- the VBA bridge macros/perfxl.bas (one Sub, PerfxlRibbon, which passes the clicked
  button's id to Python through xlwings' RunPython), with a reference to the xlwings
  add-in's VBA project, where RunPython lives;
- the ribbon XML macros/customUI14.xml, a part of the add-in's zip package.

A VBA project (xl/vbaProject.bin) is an OLE compound file of compressed module source
plus compiled p-code that only Office writes reliably, so perfxl does not forge one on
Linux (see docs/excel.md for what was tried). Instead `install` lets Excel itself
build the add-in on the user's machine, reusing xlwings' own mechanism throughout:

1. xlwings' `addin install` copies xlwings.xlam into Excel's XLSTART folder and writes
   the user config (~/.xlwings/xlwings.conf) with this Python as the interpreter;
   perfxl adds `UDF Modules = perfxl.excel.udfs` there for the in-cell functions;
2. Excel (driven by xlwings) creates a new workbook, imports perfxl.bas into its VBA
   project (this needs 信任对 VBA 工程对象模型的访问 in the Trust Center), references
   xlwings.xlam, and saves it as an add-in;
3. `patch_customui` writes customUI14.xml into the saved package (a zip edit, tested
   here against xlwings' own Excel-made add-in);
4. xlwings' `_addin_install` copies perfxl.xlam to XLSTART and loads it.

Steps 1, 2 and 4 need Windows and Excel and are not run by the tests; the tests check
the orchestration with xlwings replaced by fakes, and step 3 for real.
"""

from __future__ import annotations

import os
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import perfxl

ADDIN_NAME = "perfxl.xlam"
BRIDGE = "perfxl.bas"
RIBBON = "customUI14.xml"
UDF_MODULES = "perfxl.excel.udfs"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
# The relationship Office 2010+ uses for customUI14.xml; the 2006 one is for the older
# customUI.xml part, which is dropped so that only one ribbon definition remains.
UI_REL_2010 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
UI_REL_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
XL_OPENXML_ADDIN = 55  # XlFileFormat.xlOpenXMLAddIn
NEEDS_WINDOWS = (
    "perfxl addin install 需要在装有 Excel 的 Windows 电脑上运行（通过 xlwings 安装加载项）。"
    "其他系统请按 docs/excel.md 中的步骤手动安装，或直接使用 perfxl 命令行。"
)


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


# --------------------------------------------------------------------------- the package


def patch_customui(xlam: str | Path, xml: bytes) -> None:
    """Put `xml` into the package as customUI/customUI14.xml, replacing any ribbon part
    it had; every other part is copied unchanged."""
    xlam = Path(xlam)
    root = ET.fromstring(xml)
    if root.tag != f"{{{CUSTOMUI_NS}}}customUI":
        raise AddinError(f"功能区 XML 的根元素应为 {CUSTOMUI_NS} 命名空间中的 customUI")
    with zipfile.ZipFile(xlam) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info) for info in infos}
    rels, dropped = _ui_rels(parts["_rels/.rels"])
    parts["_rels/.rels"] = rels
    parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
    handle, temp = tempfile.mkstemp(suffix=xlam.suffix, dir=xlam.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
            for info in infos:
                if info.filename in dropped or info.filename == CUSTOMUI_PART:
                    continue
                target.writestr(info, parts[info.filename], zipfile.ZIP_DEFLATED)
            target.writestr(CUSTOMUI_PART, xml, zipfile.ZIP_DEFLATED)
        os.replace(temp, xlam)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _ui_rels(data: bytes) -> tuple[bytes, set[str]]:
    """The package relationships with every ribbon relationship replaced by one to
    customUI14.xml; also the parts the dropped relationships pointed to."""
    ET.register_namespace("", PKG_RELS_NS)
    root = ET.fromstring(data)
    dropped: set[str] = set()
    ids = set()
    for rel in list(root):
        ids.add(rel.get("Id"))
        if rel.get("Type") in (UI_REL_2010, UI_REL_2007):
            dropped.add(rel.get("Target", "").lstrip("/"))
            root.remove(rel)
    new_id = next(f"rIdPerfxl{n}" for n in range(1, 1000) if f"rIdPerfxl{n}" not in ids)
    ET.SubElement(
        root,
        f"{{{PKG_RELS_NS}}}Relationship",
        {"Id": new_id, "Type": UI_REL_2010, "Target": CUSTOMUI_PART},
    )
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode(), dropped


def _content_types(data: bytes) -> bytes:
    """[Content_Types].xml, with an entry for the ribbon part if .xml has no default."""
    ET.register_namespace("", CT_NS)
    root = ET.fromstring(data)
    for item in root:
        if item.tag == f"{{{CT_NS}}}Default" and item.get("Extension", "").lower() == "xml":
            return data
        if item.tag == f"{{{CT_NS}}}Override" and item.get("PartName") == "/" + CUSTOMUI_PART:
            return data
    ET.SubElement(
        root,
        f"{{{CT_NS}}}Override",
        {"PartName": "/" + CUSTOMUI_PART, "ContentType": "application/xml"},
    )
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode()


# --------------------------------------------------------------------------- Windows


def build_with_excel(app: Any, target: Path, xlwings_addin: Path, bridge: Path) -> Path:
    """Let Excel make perfxl.xlam: a new workbook with perfxl.bas imported into its VBA
    project and a reference to xlwings.xlam, saved as an add-in. Windows COM only."""
    book = app.books.add()
    try:
        try:
            project = book.api.VBProject
            project.References.AddFromFile(str(xlwings_addin))
            project.VBComponents.Import(str(bridge))
        except Exception as exc:
            raise AddinError(
                "Excel 拒绝访问 VBA 工程：请在 Excel“文件 > 选项 > 信任中心 > 信任中心设置 > "
                "宏设置”中勾选“信任对 VBA 工程对象模型的访问”，然后重新运行 perfxl addin install。"
                f"（{exc}）"
            ) from exc
        target.unlink(missing_ok=True)
        book.api.SaveAs(str(target), FileFormat=XL_OPENXML_ADDIN)
    finally:
        book.close()
    return target


def install(
    *, global_location: bool = False, echo: Callable[[str], None] = print, platform: str = ""
) -> Path:
    """Install the xlwings add-in and perfxl.xlam into Excel's XLSTART (Windows only)."""
    if not (platform or sys.platform).startswith("win"):
        raise AddinError(NEEDS_WINDOWS)
    import argparse

    import xlwings as xw
    from xlwings import cli

    folder = macros_dir()
    echo("1/4 安装 xlwings 加载项（xlwings addin install）…")
    cli.addin_install(argparse.Namespace(glob=global_location, dir=None, file=None))
    cli.update_user_config("UDF MODULES", UDF_MODULES)
    addin_dir = Path(cli.get_addin_dir(global_location))
    xlwings_addin = addin_dir / "xlwings.xlam"
    if not xlwings_addin.is_file():
        raise AddinError(
            f"xlwings 加载项未能安装到 {addin_dir}，请先解决 xlwings addin install 的报错。"
        )
    echo("2/4 由 Excel 生成 perfxl.xlam（导入 perfxl.bas）…")
    with tempfile.TemporaryDirectory(prefix="perfxl-addin-") as build_dir:
        target = Path(build_dir) / ADDIN_NAME
        with xw.App(visible=False, add_book=False) as app:
            build_with_excel(app, target, xlwings_addin, folder / BRIDGE)
        echo("3/4 写入“绩效”功能区（customUI14.xml）…")
        patch_customui(target, (folder / RIBBON).read_bytes())
        echo("4/4 复制到 Excel 启动文件夹（XLSTART）并加载…")
        cli._addin_install(str(target), global_location)  # prints its errors, never raises
    installed = addin_dir / ADDIN_NAME
    if not installed.is_file():
        raise AddinError(f"perfxl.xlam 未能复制到 {addin_dir}：请关闭 Excel 后重试。")
    echo(f"完成：{installed}。重新启动 Excel 后可见“绩效”选项卡。")
    return installed
