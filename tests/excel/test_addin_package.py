"""perfxl.xlam as a file (issue 10 item 2): built here from xlwings' own custom add-in
template, checked with readers that are not perfxl's (zipfile, python-calamine, olevba)
and the ribbon against the rules of Microsoft's customUI 2009/07 schema."""

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xlwings
from python_calamine import CalamineWorkbook

from excel.fake_vba import package_modules
from perfxl.excel import addin, addin_package

MACROS = Path(__file__).resolve().parents[2] / "macros"
XLWINGS_TEMPLATE = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
PYTHON = r"C:\Users\会计\perfxl\.venv\Scripts\python.exe"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return addin.build(tmp_path_factory.mktemp("addin") / "perfxl.xlam", interpreter=PYTHON)


def parts(xlam: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        return {name: z.read(name) for name in z.namelist()}


def test_the_package_is_xlwings_template_with_perfxl_ribbon(package):
    built, template = parts(package), parts(XLWINGS_TEMPLATE)
    assert built["customUI/customUI14.xml"] == (MACROS / "customUI14.xml").read_bytes()
    assert "customUI/customUI.xml" not in built  # the template's MyAddin tab is gone
    rels = ET.fromstring(built["_rels/.rels"]).findall(RELS)
    ui = [r for r in rels if r.get("Type").endswith("/ui/extensibility")]
    assert [(r.get("Type"), r.get("Target")) for r in ui] == [
        (
            "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility",
            "customUI/customUI14.xml",
        )
    ]
    assert len({r.get("Id") for r in rels}) == len(rels)
    types = built["[Content_Types].xml"].decode()
    assert "application/vnd.ms-excel.addin.macroEnabled.main+xml" in types  # still an add-in
    assert 'Extension="xml"' in types  # the ribbon part has a content type
    assert built["xl/vbaProject.bin"] == template["xl/vbaProject.bin"]  # Excel-made VBA
    changed = {"_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"}
    for name in set(template) - changed - {"customUI/customUI.xml"}:
        assert built[name] == template[name], name


def test_the_settings_sheet_as_another_reader_sees_it(package):
    book = CalamineWorkbook.from_path(str(package))
    assert book.sheet_names == ["perfxl.conf"]  # active: no leading underscore
    rows = {r[0]: r[1] for r in book.get_sheet_by_name("perfxl.conf").to_python() if r[0]}
    assert rows["Interpreter_Win"] == PYTHON
    assert rows["UDF Modules"] == "perfxl.excel.udfs"
    assert rows["Use UDF Server"] is False  # the template's other settings kept
    settings = addin_package.read_settings(package)  # as xlwings' GetConfigFromSheet reads
    assert settings["INTERPRETER_WIN"] == PYTHON
    assert settings["UDF MODULES"] == "perfxl.excel.udfs"


def test_the_template_vba_is_what_the_excel_step_expects(package):
    modules = package_modules(package)
    assert {"xlwings", "Dictionary", "RibbonMyAddin", "ThisWorkbook"} <= set(modules)
    code = modules["xlwings"]
    assert len([ln for ln in code.splitlines() if addin.PROJECT_LINE.match(ln)]) == 1
    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in code  # matches its DLL
    for procedure in ("Function RunPython(", "Function XLPy()", "Sub ImportPythonUDFsToAddin()"):
        assert procedure in code, procedure
    assert "GetConfigFromSheet(ThisWorkbook)" in code  # the add-in's own settings sheet


# --------------------------------------------------------------------------- the ribbon


def ribbon() -> ET.Element:
    return ET.parse(MACROS / "customUI14.xml").getroot()


# From Microsoft's customUI 2009/07 schema (customui14.xsd): the attributes a ribbon
# button may carry (CT_Button), the nesting of a custom tab, string limits.
BUTTON_ATTRIBUTES = {
    "id", "idQ", "idMso", "tag", "image", "imageMso", "getImage", "enabled", "getEnabled",
    "visible", "getVisible", "label", "getLabel", "keytip", "getKeytip", "screentip",
    "getScreentip", "supertip", "getSupertip", "showImage", "getShowImage", "showLabel",
    "getShowLabel", "size", "getSize", "onAction", "insertAfterMso", "insertBeforeMso",
    "insertAfterQ", "insertBeforeQ",
}  # fmt: skip
CHILDREN = {"customUI": {"ribbon"}, "ribbon": {"tabs"}, "tabs": {"tab"}, "tab": {"group"}}
NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
# imageMso names checked in Excel's control lists for Office 2013, 2016 and 2019
# (github.com/OfficeDev/office-fluent-ui-command-identifiers); "Info" is in none of them.
IMAGES_IN_CONTROL_LISTS = {"DataValidation", "ClearFormats", "CalculateNow", "FileNew", "Help"}


def test_ribbon_follows_the_customui14_schema_rules():
    root = ribbon()
    assert root.tag == f"{NS}customUI"
    ids = []
    for element in root.iter():
        assert element.tag.startswith(NS), element.tag
        name = element.tag.removeprefix(NS)
        children = {child.tag.removeprefix(NS) for child in element}
        if name in CHILDREN:
            assert children <= CHILDREN[name], (name, children)
        if name == "group":
            assert children <= {"button"}
        if element.get("id") is not None:
            ids.append(element.get("id"))
            assert NCNAME.match(element.get("id")) and len(element.get("id")) <= 1024
        for attribute in ("label", "screentip", "supertip", "onAction"):
            if element.get(attribute) is not None:
                assert 1 <= len(element.get(attribute)) <= 1024, (attribute, element.attrib)
    assert len(ids) == len(set(ids))
    for button in root.iter(f"{NS}button"):
        assert set(button.attrib) <= BUTTON_ATTRIBUTES, set(button.attrib) - BUTTON_ATTRIBUTES
        assert button.get("size") in ("normal", "large")
        assert sum(a in button.attrib for a in ("image", "imageMso", "getImage")) == 1
        assert button.get("imageMso") in IMAGES_IN_CONTROL_LISTS


def test_patch_rejects_a_ribbon_in_another_namespace(tmp_path, package):
    copy = tmp_path / "x.xlam"
    copy.write_bytes(package.read_bytes())
    old = b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"/>'
    with pytest.raises(addin_package.PackageError, match="customUI"):
        addin_package.patch_customui(copy, old)
