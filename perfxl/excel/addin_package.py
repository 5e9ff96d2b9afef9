"""perfxl.xlam as a file: xlwings' custom add-in template with perfxl's ribbon and settings.

xlwings documents one route to an add-in that carries its own functions ("Custom
Add-ins", docs.xlwings.org/en/stable/customaddin.html): `xlwings quickstart NAME
--addin --ribbon` copies an add-in that Excel made (with xlwings' whole VBA in it, so it
needs no reference to xlwings.xlam and works in plain .xlsx workbooks), the ribbon is
its customUI part, its settings are the add-in's own `NAME.conf` sheet, and the Sub
ImportPythonUDFsToAddin writes the VBA wrappers of the Python functions into the
add-in itself.

This module does the parts that are file edits, on any system, and they are tested
here: take the template from that very quickstart command (so its VBA matches the
installed xlwings and its DLL), put customUI14.xml in as the only ribbon, rename the
settings sheet `_myaddin.conf` to `perfxl.conf` (the leading underscore is what keeps
it inactive) and write this Python as Interpreter_Win and perfxl.excel.udfs as UDF
Modules into it. The VBA changes (perfxl.bas in, the sample RibbonMyAddin out,
PROJECT_NAME = "perfxl", the PERF_* wrappers) need Excel: perfxl.excel.addin does them
through Excel's VBA object model on Windows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

PROJECT = "perfxl"
TEMPLATE_PROJECT = "myaddin"  # what xlwings' template calls itself (PROJECT_NAME, sheet)
CONF_SHEET = f"{PROJECT}.conf"
TEMPLATE_CONF_SHEET = f"_{TEMPLATE_PROJECT}.conf"
CUSTOMUI_NS = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_PART = "customUI/customUI14.xml"
# The relationship Office 2010+ reads customUI14.xml by; the 2006 one is for the older
# customUI.xml. xlwings' template points the 2010 relationship at a customUI.xml in the
# 2006/01 namespace; both are dropped so that only perfxl's ribbon remains.
UI_REL_2010 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
UI_REL_2007 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
PKG_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


class PackageError(Exception):
    """The add-in package cannot be built; the message is Chinese."""


def quickstart_template(folder: Path) -> Path:
    """Run `xlwings quickstart perfxl --addin --ribbon` in `folder` (xlwings' documented
    start of a custom add-in) and return the add-in it wrote."""
    command = [sys.executable, "-m", "xlwings.cli", "quickstart", PROJECT, "--addin", "--ribbon"]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    made = folder / PROJECT / f"{PROJECT}.xlam"
    if done.returncode != 0 or not made.is_file():
        detail = (done.stderr or done.stdout).strip()[-300:]
        raise PackageError(f"xlwings quickstart 未能生成加载项模板：{detail}")
    return made


def build_package(target: Path, ribbon: bytes, interpreter: str, udf_modules: str) -> Path:
    """Write perfxl.xlam to `target`: xlwings' template, perfxl's ribbon and settings."""
    with tempfile.TemporaryDirectory(prefix="perfxl-template-") as folder:
        template = quickstart_template(Path(folder))
        data = template.read_bytes()
    target.write_bytes(data)
    patch_customui(target, ribbon)
    write_settings(target, {"Interpreter_Win": interpreter, "UDF Modules": udf_modules})
    return target


# --------------------------------------------------------------------------- ribbon


def patch_customui(xlam: str | Path, xml: bytes) -> None:
    """Put `xml` into the package as customUI/customUI14.xml, replacing any ribbon part
    it had; every other part is copied unchanged."""
    root = ET.fromstring(xml)
    if root.tag != f"{{{CUSTOMUI_NS}}}customUI":
        raise PackageError(f"功能区 XML 的根元素应为 {CUSTOMUI_NS} 命名空间中的 customUI")

    def edit(parts: dict[str, bytes]) -> None:
        rels, dropped = _ui_rels(parts["_rels/.rels"])
        parts["_rels/.rels"] = rels
        parts["[Content_Types].xml"] = _content_types(parts["[Content_Types].xml"])
        for name in dropped:
            parts.pop(name, None)
        parts[CUSTOMUI_PART] = xml

    _rewrite(Path(xlam), edit)


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
    return (XML_HEAD + ET.tostring(root, encoding="unicode")).encode(), dropped


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
    return (XML_HEAD + ET.tostring(root, encoding="unicode")).encode()


# --------------------------------------------------------------------------- settings


def write_settings(xlam: str | Path, values: dict[str, str]) -> None:
    """Activate the template's settings sheet as perfxl.conf and fill in `values` (keys
    as the sheet spells them in column A). Text edits, not an XML rewrite: the parts use
    mc:Ignorable prefixes that a namespace-normalising writer would drop."""

    def edit(parts: dict[str, bytes]) -> None:
        book = parts["xl/workbook.xml"].decode("utf-8")
        old = f'name="{TEMPLATE_CONF_SHEET}"'
        if old not in book:
            raise PackageError(f"xlwings 的加载项模板中没有设置表 {TEMPLATE_CONF_SHEET}")
        parts["xl/workbook.xml"] = book.replace(old, f'name="{CONF_SHEET}"').encode()
        sheet = _sheet_part(parts, CONF_SHEET)
        keys = _shared_strings(parts.get("xl/sharedStrings.xml", b""))
        text = parts[sheet].decode("utf-8")
        for key, value in values.items():
            text = _set_b(text, _row_of(text, keys, key), value)
        parts[sheet] = text.encode()

    _rewrite(Path(xlam), edit)


def read_settings(xlam: str | Path) -> dict[str, str]:
    """The perfxl.conf sheet as xlwings' GetConfigFromSheet reads it: column A (upper
    case) to column B, from A1 down to the first empty A cell."""
    with zipfile.ZipFile(xlam) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    text = parts[_sheet_part(parts, CONF_SHEET)].decode("utf-8")
    strings = _shared_strings(parts.get("xl/sharedStrings.xml", b""))
    cells: dict[str, str] = {}
    for ref, attrs, body in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', text):
        if 't="s"' in attrs:
            cells[ref] = strings[int(re.search(r"<v>(\d+)</v>", body).group(1))]
        elif 't="inlineStr"' in attrs:
            cells[ref] = _unescape(re.search(r"<t[^>]*>(.*?)</t>", body, re.S).group(1))
        elif 't="b"' in attrs:
            cells[ref] = "TRUE" if "<v>1</v>" in body else "FALSE"
    settings: dict[str, str] = {}
    for row in range(1, 1000):
        key = cells.get(f"A{row}", "")
        if not key:
            break
        settings[key.upper()] = cells.get(f"B{row}", "")
    return settings


def _sheet_part(parts: dict[str, bytes], name: str) -> str:
    book = parts["xl/workbook.xml"].decode("utf-8")
    match = re.search(rf'<sheet name="{re.escape(name)}"[^>]*?r:id="(\w+)"', book)
    if match is None:
        raise PackageError(f"加载项中没有工作表 {name}")
    rels = ET.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels:
        if rel.get("Id") == match.group(1):
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise PackageError(f"加载项中工作表 {name} 的关系缺失")


def _shared_strings(data: bytes) -> list[str]:
    if not data:
        return []
    root = ET.fromstring(data)
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t")) for si in root]


def _row_of(sheet: str, strings: list[str], key: str) -> int:
    """The row whose column A holds `key` (a shared string, as in xlwings' template)."""
    for ref, index in re.findall(r'<c r="A(\d+)"[^>]*t="s"[^>]*><v>(\d+)</v></c>', sheet):
        if strings[int(index)] == key:
            return int(ref)
    raise PackageError(f"xlwings 的加载项模板的设置表中没有 {key} 一行")


def _set_b(sheet: str, row: int, value: str) -> str:
    """Set B{row} to an inline string, replacing any B cell the row has."""
    match = re.search(rf'<row r="{row}"[^>]*>(.*?)</row>', sheet, re.S)
    if match is None:
        raise PackageError(f"设置表第 {row} 行缺失")
    body = re.sub(rf'<c r="B{row}"[^>]*?(?:/>|>.*?</c>)', "", match.group(1), flags=re.S)
    cell = f'<c r="B{row}" t="inlineStr"><is><t>{escape(value)}</t></is></c>'
    a_cell = re.search(rf'<c r="A{row}"[^>]*?(?:/>|>.*?</c>)', body, re.S)
    body = body[: a_cell.end()] + cell + body[a_cell.end() :] if a_cell else cell + body
    row_tag = re.sub(r'\sspans="[^"]*"', "", sheet[match.start() : match.start(1)])
    return sheet[: match.start()] + row_tag + body + "</row>" + sheet[match.end() :]


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# --------------------------------------------------------------------------- the zip


def _rewrite(xlam: Path, edit) -> None:
    """Rewrite the package with `edit` applied to {part name: bytes}; parts keep their
    order, and the file is replaced only when the new one is complete."""
    with zipfile.ZipFile(xlam) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info) for info in infos}
    edit(parts)
    names = [i.filename for i in infos if i.filename in parts]
    names += [n for n in parts if n not in names]
    handle, temp = tempfile.mkstemp(suffix=xlam.suffix, dir=xlam.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                target.writestr(name, parts[name], zipfile.ZIP_DEFLATED)
        os.replace(temp, xlam)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
