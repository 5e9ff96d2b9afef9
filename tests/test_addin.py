"""`perfxl addin install`: refused off Windows; the ribbon patched into a real add-in
package; the Windows orchestration checked with xlwings and Excel replaced by fakes."""

import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest
import xlwings
import xlwings.cli
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.excel import addin

MACROS = Path(__file__).resolve().parents[1] / "macros"
XLWINGS_RIBBON_ADDIN = Path(xlwings.__file__).parent / "quickstart_addin_ribbon.xlam"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def test_install_needs_windows(monkeypatch):
    monkeypatch.setattr(addin.sys, "platform", "linux")
    result = CliRunner().invoke(main, ["addin", "install"])
    assert result.exit_code == 2
    assert "Windows" in result.output and "Excel" in result.output


def test_files_lists_the_macros():
    result = CliRunner().invoke(main, ["addin", "files"])
    assert result.exit_code == 0
    assert str(MACROS / "perfxl.bas") in result.output
    assert str(MACROS / "customUI14.xml") in result.output


@pytest.fixture
def xlam(tmp_path) -> Path:
    """xlwings' own ribbon add-in: a package made by Excel, with a VBA project."""
    path = tmp_path / "perfxl.xlam"
    shutil.copy(XLWINGS_RIBBON_ADDIN, path)
    return path


def test_patch_customui_into_an_excel_made_addin(xlam):
    with zipfile.ZipFile(xlam) as z:
        before = {n: z.read(n) for n in z.namelist()}
    xml = (MACROS / "customUI14.xml").read_bytes()
    addin.patch_customui(xlam, xml)
    with zipfile.ZipFile(xlam) as z:
        assert z.testzip() is None
        after = {n: z.read(n) for n in z.namelist()}
    assert after["customUI/customUI14.xml"] == xml
    assert "customUI/customUI.xml" not in after  # the sample ribbon is gone
    rels = ET.fromstring(after["_rels/.rels"]).findall(RELS)
    ui = [r for r in rels if r.get("Type").endswith("/ui/extensibility")]
    assert [(r.get("Type"), r.get("Target")) for r in ui] == [
        (addin.UI_REL_2010, "customUI/customUI14.xml")
    ]
    assert len({r.get("Id") for r in rels}) == len(rels)
    unchanged = set(before) - {"_rels/.rels", "customUI/customUI.xml"}
    assert all(after[name] == before[name] for name in unchanged)  # VBA project untouched
    addin.patch_customui(xlam, xml)  # idempotent
    with zipfile.ZipFile(xlam) as z:
        assert sorted(z.namelist()) == sorted(after)


def test_patched_addin_still_has_its_vba_project(xlam):
    olevba = pytest.importorskip("oletools.olevba")
    addin.patch_customui(xlam, (MACROS / "customUI14.xml").read_bytes())
    parser = olevba.VBA_Parser(str(xlam))
    try:
        assert parser.detect_vba_macros()
        modules = {name for _, _, name, _ in parser.extract_macros()}
    finally:
        parser.close()
    assert "xlwings.bas" in modules


def test_patch_rejects_a_ribbon_in_another_namespace(xlam):
    old = b'<customUI xmlns="http://schemas.microsoft.com/office/2006/01/customui"/>'
    with pytest.raises(addin.AddinError, match="customUI"):
        addin.patch_customui(xlam, old)


def test_patch_adds_a_content_type_when_xml_has_no_default(xlam):
    with zipfile.ZipFile(xlam) as z:
        parts = {i: z.read(i) for i in z.infolist()}
    with zipfile.ZipFile(xlam, "w") as z:
        for info, data in parts.items():
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b'<Default Extension="xml" ContentType="application/xml" />', b""
                )
                assert b'Extension="xml"' not in data
            z.writestr(info, data)
    addin.patch_customui(xlam, (MACROS / "customUI14.xml").read_bytes())
    with zipfile.ZipFile(xlam) as z:
        types = z.read("[Content_Types].xml").decode()
    assert 'PartName="/customUI/customUI14.xml"' in types


# --------------------------------------------------------------------------- Windows, faked


class FakeVBProject:
    def __init__(self, trusted: bool, log: list):
        self.trusted, self.log = trusted, log
        self.References = SimpleNamespace(AddFromFile=lambda p: log.append(("reference", p)))
        self.VBComponents = SimpleNamespace(Import=lambda p: log.append(("import", p)))


class FakeBook:
    def __init__(self, trusted: bool, log: list):
        self.log = log
        project = FakeVBProject(trusted, log)

        class Api:
            @property
            def VBProject(self):
                if not project.trusted:
                    raise OSError("Programmatic access to Visual Basic Project is not trusted")
                return project

            def SaveAs(self, path, FileFormat):
                log.append(("save", Path(path).name, FileFormat))
                shutil.copy(XLWINGS_RIBBON_ADDIN, path)

        self.api = Api()

    def close(self):
        self.log.append(("close",))


class FakeApp:
    def __init__(self, trusted=True, log=None, **kwargs):
        self.log = log if log is not None else []
        self.books = SimpleNamespace(add=lambda: FakeBook(trusted, self.log))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.log.append(("quit",))


def test_build_with_excel_imports_the_bridge(tmp_path):
    log = []
    target = tmp_path / "perfxl.xlam"
    addin.build_with_excel(
        FakeApp(log=log), target, Path("X:/XLSTART/xlwings.xlam"), MACROS / "perfxl.bas"
    )
    assert log == [
        ("reference", str(Path("X:/XLSTART/xlwings.xlam"))),
        ("import", str(MACROS / "perfxl.bas")),
        ("save", "perfxl.xlam", 55),  # xlOpenXMLAddIn
        ("close",),
    ]


def test_build_with_excel_explains_the_trust_setting(tmp_path):
    log = []
    with pytest.raises(addin.AddinError, match="信任对 VBA 工程对象模型的访问"):
        addin.build_with_excel(
            FakeApp(trusted=False, log=log), tmp_path / "p.xlam", Path("x"), Path("y")
        )
    assert log == [("close",)]


def test_install_orchestration_on_windows(tmp_path, monkeypatch):
    xlstart = tmp_path / "XLSTART"
    xlstart.mkdir()
    calls = []

    def addin_install(args):
        calls.append(("xlwings addin install", args.glob, args.file))
        shutil.copy(
            Path(xlwings.__file__).parent / "quickstart_addin.xlam", xlstart / "xlwings.xlam"
        )

    def _addin_install(path, global_location):
        calls.append(("copy to XLSTART", Path(path).name))
        with zipfile.ZipFile(path) as z:
            assert z.read("customUI/customUI14.xml") == (MACROS / "customUI14.xml").read_bytes()
        shutil.copy(path, xlstart / Path(path).name)

    monkeypatch.setattr(xlwings.cli, "addin_install", addin_install)
    monkeypatch.setattr(xlwings.cli, "_addin_install", _addin_install)
    monkeypatch.setattr(xlwings.cli, "get_addin_dir", lambda global_location=False: str(xlstart))
    monkeypatch.setattr(
        xlwings.cli, "update_user_config", lambda key, value: calls.append(("config", key, value))
    )
    monkeypatch.setattr(xlwings, "App", FakeApp)
    lines = []
    installed = addin.install(echo=lines.append, platform="win32")
    assert installed == xlstart / "perfxl.xlam" and installed.is_file()
    assert calls == [
        ("xlwings addin install", False, None),
        ("config", "UDF MODULES", "perfxl.excel.udfs"),
        ("copy to XLSTART", "perfxl.xlam"),
    ]
    assert [line[:3] for line in lines[:4]] == ["1/4", "2/4", "3/4", "4/4"]
