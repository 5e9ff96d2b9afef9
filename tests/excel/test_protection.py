"""校验本表 and 清除标记 on protected sheets (issue 10 item 1).

perfxl's templates protect the form sheet without a password: perfxl.template.builder
calls xlsxwriter's ws.protect("", {"format_rows": True, "format_columns": True}), i.e.
contents, objects and scenarios protected, only row and column formatting allowed. The
fake Excel (fake_excel.py) refuses fills and notes there, as Excel does; the handlers
must unprotect, mark, and protect again with exactly those options.
"""

import io
import zipfile
from dataclasses import replace
from xml.etree import ElementTree as ET

import openpyxl
import pytest

from excel.fake_excel import ALLOW, ComError, FakeBook
from perfxl.excel import ribbon
from perfxl.excel.sheet import (
    COMMENT_HEAD,
    MARKS_SHEET,
    RESULTS_SHEET,
    OpenpyxlBook,
    XlwingsBook,
    marked_cells,
)
from perfxl.model import CellRef
from perfxl.profiles import load_profile
from perfxl.samples.seeds import SEEDS
from perfxl.template import build_template
from perfxl.template.fill import fill_template

FORM = "绩效自评表"
# What the template's protection means in Excel's terms (see the module docstring).
TEMPLATE_OPTIONS = {
    "Contents": True,
    "DrawingObjects": True,
    "Scenarios": True,
    "UserInterfaceOnly": False,
    **dict.fromkeys(ALLOW, False),
    "AllowFormattingColumns": True,
    "AllowFormattingRows": True,
    "EnableSelection": 0,  # xlNoRestrictions: every cell can be selected
}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return build_template(
        load_profile("mof2020"), path=tmp_path_factory.mktemp("t") / "template.xlsx"
    )


@pytest.fixture(scope="module")
def filled_bytes(template, tmp_path_factory) -> bytes:
    """Seed 003 typed into the template, with 7 points too many on the first row, so
    that there is an error (the weights no longer add up to 100) besides the hints."""
    spec = SEEDS["003"]
    rows = list(spec.rows)
    rows[0] = replace(rows[0], weight=rows[0].weight + 7)
    path = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    return fill_template(template, path, replace(spec, rows=tuple(rows))).read_bytes()


@pytest.fixture
def filled(filled_bytes, tmp_path):
    path = tmp_path / "filled.xlsx"
    path.write_bytes(filled_bytes)
    return path


@pytest.fixture
def windows(monkeypatch):
    import perfxl.excel.book_xlwings as book_xlwings  # after perfxl.excel.sheet

    monkeypatch.setattr(book_xlwings.sys, "platform", "win32")  # COM calls reach the fake


def options(sheet) -> dict:
    """A fake sheet's protection as Excel's COM object reports it."""
    api = sheet.api
    return {
        "Contents": api.ProtectContents,
        "DrawingObjects": api.ProtectDrawingObjects,
        "Scenarios": api.ProtectScenarios,
        "UserInterfaceOnly": api.ProtectionMode,
        **{name: getattr(api.Protection, name) for name in ALLOW},
        "EnableSelection": api.EnableSelection,
    }


def test_the_fake_refuses_marks_on_the_protected_template_like_excel(filled, windows):
    live = FakeBook(filled)
    form = live.by_name[FORM]
    assert options(form) == TEMPLATE_OPTIONS
    book = XlwingsBook(live)
    with pytest.raises(ComError):
        book.set_fill(CellRef(FORM, 35, 8), "#FF7C80")
    with pytest.raises(ComError):
        book.set_comment(CellRef(FORM, 24, 5), "perfxl 校验：")
    assert form.colors == {} and form.notes == {}


def test_marking_and_clearing_a_protected_template_sheet(filled, windows):
    live = FakeBook(filled)
    form = live.by_name[FORM]
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    message = live.app.alerts[-1]
    assert "错误 1 条" in message and "密码" not in message, message
    marked = set(marked_cells(book))
    assert CellRef(FORM, 35, 8) in marked  # the weight total: PX104, filled red
    assert form.colors[(35, 8)] == (0xFF, 0x7C, 0x80)
    assert all(form.notes[(c.row, c.col)].startswith(COMMENT_HEAD) for c in marked)
    assert options(form) == TEMPLATE_OPTIONS  # protected again, with the same options
    assert form.api.password_hash is None

    ribbon.handle("perfxl.clear", book)
    assert form.notes == {} and (35, 8) not in form.colors
    assert options(form) == TEMPLATE_OPTIONS
    assert "已清除" in live.app.alerts[-1]
    assert set(live.by_name) == {FORM, "填表说明", "perfxl_meta", "perfxl_lists"}


def test_other_protection_options_come_back_unchanged(filled, windows):
    live = FakeBook(filled)
    form = live.by_name[FORM]
    form.api.Unprotect(Password="")
    form.api.Protect(
        DrawingObjects=False, AllowFormattingCells=True, AllowSorting=True, AllowFiltering=True
    )
    form.api.EnableSelection = 1  # xlUnlockedCells
    before = options(form)
    assert before["AllowSorting"] and not before["DrawingObjects"]
    ribbon.handle("perfxl.validate", XlwingsBook(live))
    assert form.notes  # marked
    assert options(form) == before


def test_protection_is_restored_when_marking_fails(filled, windows, monkeypatch):
    live = FakeBook(filled)

    def full(self, cell, text):
        raise OSError("磁盘已满")

    monkeypatch.setattr(XlwingsBook, "set_comment", full)
    ribbon.handle("perfxl.validate", XlwingsBook(live))
    assert "磁盘已满" in live.app.alerts[-1]
    assert options(live.by_name[FORM]) == TEMPLATE_OPTIONS


@pytest.fixture
def with_password(filled):
    wb = openpyxl.load_workbook(filled)
    wb[FORM].protection.password = "局里的密码"  # openpyxl stores the legacy hash
    wb.save(filled)
    return filled


def test_a_sheet_with_an_unknown_password_gets_the_findings_sheet_only(with_password, windows):
    live = FakeBook(with_password)
    form = live.by_name[FORM]
    before = options(form)
    ribbon.handle("perfxl.validate", XlwingsBook(live))
    message = live.app.alerts[-1]
    assert f"工作表“{FORM}”设有保护密码" in message and "校验完成" in message
    assert form.colors == {} and form.notes == {}  # nothing marked, nothing raised
    assert MARKS_SHEET not in live.by_name
    results = live.by_name[RESULTS_SHEET]
    assert results.values[(2, 1)] and results.values[(1, 1)] == "代码"  # findings listed
    assert options(form) == before and form.api.password_hash is not None  # still locked

    ribbon.handle("perfxl.clear", XlwingsBook(live))
    assert RESULTS_SHEET not in live.by_name


def test_marks_stay_on_a_sheet_given_a_password_after_marking(filled, windows):
    live = FakeBook(filled)
    form = live.by_name[FORM]
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    marked = marked_cells(book)
    form.api.Unprotect(Password="")
    form.api.Protect(Password="新密码")
    ribbon.handle("perfxl.clear", book)
    assert "设有保护密码" in live.app.alerts[-1] and "清除标记" in live.app.alerts[-1]
    assert marked_cells(book) == marked  # the records stay for a later 清除标记
    assert form.notes
    form.api.Unprotect(Password="新密码")
    ribbon.handle("perfxl.clear", book)
    assert form.notes == {} and marked_cells(book) == []


# --------------------------------------------------------------------------- openpyxl


def protection_xml(data: bytes, sheet: str) -> dict:
    """The sheetProtection attributes of `sheet` in a saved workbook."""
    ns = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        (node,) = [s for s in book.iterfind("m:sheets/m:sheet", ns) if s.get("name") == sheet]
        rid = node.get(f"{{{ns['r']}}}id")
        (target,) = [r.get("Target") for r in rels if r.get("Id") == rid]
        root = ET.fromstring(z.read("xl/" + target.removeprefix("/xl/")))
    element = root.find("m:sheetProtection", ns)
    return {} if element is None else dict(element.attrib)


def test_openpyxl_book_keeps_the_protection_it_found(filled):
    before = protection_xml(filled.read_bytes(), FORM)
    assert before["sheet"] == "1" and before.get("formatCells", "1") in ("1", "true")
    book = OpenpyxlBook.load(filled)
    ribbon.handle("perfxl.validate", book)
    assert CellRef(FORM, 35, 8) in set(marked_cells(book))
    buffer = io.BytesIO()
    book.workbook.save(buffer)
    assert protection_xml(buffer.getvalue(), FORM) == before
    ribbon.handle("perfxl.clear", book)
    buffer = io.BytesIO()
    book.workbook.save(buffer)
    assert protection_xml(buffer.getvalue(), FORM) == before


def test_openpyxl_book_leaves_a_password_sheet_unmarked(with_password):
    book = OpenpyxlBook.load(with_password)
    ribbon.handle("perfxl.validate", book)
    assert marked_cells(book) == [] and "设有保护密码" in book.messages[-1]
    assert book.rows(RESULTS_SHEET)[1][0].startswith("PX")
    assert book.workbook[FORM].protection.password  # unchanged


def test_a_workbook_with_a_protected_structure_gets_a_message(filled, windows):
    live = FakeBook(filled)
    live.api.ProtectStructure = True  # 审阅 → 保护工作簿: no sheet can be added
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    assert "结构受保护" in live.app.alerts[-1] and "操作未完成" not in live.app.alerts[-1]
    assert RESULTS_SHEET not in live.by_name and live.by_name[FORM].notes == {}
    ribbon.handle("perfxl.clear", book)
    assert "结构受保护" in live.app.alerts[-1]
    live.api.ProtectStructure = False
    ribbon.handle("perfxl.validate", book)
    assert RESULTS_SHEET in live.by_name


def test_openpyxl_book_reads_a_protected_structure(filled):
    from openpyxl.workbook.protection import WorkbookProtection

    wb = openpyxl.load_workbook(filled)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.save(filled)
    book = OpenpyxlBook.load(filled)
    ribbon.handle("perfxl.validate", book)
    assert "结构受保护" in book.messages[-1] and RESULTS_SHEET not in book.sheet_names()
