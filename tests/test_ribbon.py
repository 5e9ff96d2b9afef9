"""The 绩效 ribbon: XML, VBA bridge and Python handlers agree, and the handlers mark the
right cells (run on the openpyxl implementation of the sheet interface)."""

import re
import sys
import types
from pathlib import Path
from xml.etree import ElementTree as ET

import openpyxl
import pytest
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from perfxl import __version__
from perfxl.excel import ribbon
from perfxl.excel.sheet import (
    COMMENT_HEAD,
    MARKS_SHEET,
    RESULTS_HEADER,
    RESULTS_SHEET,
    OpenpyxlBook,
    marked_cells,
)
from perfxl.model import CellRef
from perfxl.profiles import load_profile
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.validation import check_file

MACROS = Path(__file__).resolve().parents[1] / "macros"
NS = "{http://schemas.microsoft.com/office/2009/07/customui}"
SHEET = "援疆工作经费项目"  # seed 003's sheet


def buttons() -> list[ET.Element]:
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    return list(root.iter(f"{NS}button"))


def vba_subs() -> dict[str, str]:
    """Sub name -> its parameter list, for every Sub in the bridge module."""
    text = (MACROS / "perfxl.bas").read_text(encoding="ascii")
    return dict(re.findall(r"^(?:Public\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", text, re.M))


# --------------------------------------------------------------------------- consistency


def test_ribbon_xml_is_customui14():
    root = ET.parse(MACROS / "customUI14.xml").getroot()
    assert root.tag == f"{NS}customUI"
    (tab,) = root.iter(f"{NS}tab")
    assert tab.get("label") == "绩效"
    labels = [b.get("label") for b in buttons()]
    assert labels == ["校验本表", "清除标记", "重新计算", "新建自评表", "关于"]
    for button in buttons():
        assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
    ids = [b.get("id") for b in root.iter() if b.get("id")]
    assert len(ids) == len(set(ids))


def test_every_onaction_is_a_ribbon_sub_in_the_vba():
    subs = vba_subs()
    for button in buttons():
        action = button.get("onAction")
        assert action in subs, f"{button.get('id')}: onAction {action} has no Sub in perfxl.bas"
        assert re.fullmatch(r"\s*control\s+As\s+IRibbonControl\s*", subs[action])
    assert {b.get("onAction") for b in buttons()} == {"PerfxlRibbon"}  # one generic callback


def test_every_button_has_a_handler_and_back():
    assert {b.get("id") for b in buttons()} == set(ribbon.HANDLERS)


def test_vba_bridge_is_ascii_crlf_and_runs_the_dispatcher():
    raw = (MACROS / "perfxl.bas").read_bytes()
    raw.decode("ascii")  # the VBA editor imports .bas files in the system code page
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.startswith(b'Attribute VB_Name = "')
    module = re.search(rb'VB_Name = "(\w+)"', raw).group(1).decode()
    assert module not in vba_subs()  # a module named like its Sub breaks onAction
    assert "RunPython" in raw.decode()


def python_of_runpython(control_id: str) -> str:
    """The Python statement the VBA bridge hands to RunPython for a button."""
    text = (MACROS / "perfxl.bas").read_text(encoding="ascii")
    (expr,) = re.findall(r"^\s*RunPython\s+(.+?)\s*$", text, re.M)
    parts = re.findall(r'"((?:[^"]|"")*)"|(control\.Id)', expr)
    return "".join(control_id if ident else lit.replace('""', '"') for lit, ident in parts)


def test_runpython_statement_reaches_the_handler(seed003, monkeypatch):
    book = OpenpyxlBook.load(seed003)
    monkeypatch.setattr(ribbon.XlwingsBook, "active", classmethod(lambda cls: book))
    for button in buttons():
        exec(python_of_runpython(button.get("id")), {})
    assert any(m.startswith("perfxl ") for m in book.messages)  # 关于 ran
    assert any("校验完成" in m for m in book.messages)  # 校验本表 ran


# --------------------------------------------------------------------------- handlers


@pytest.fixture
def seed003(tmp_path) -> Path:
    path = tmp_path / "seed003.xlsx"
    write_workbook([SEEDS["003"]], path)
    return path


def finding_cells(path: Path, profile: str) -> set[CellRef]:
    check = check_file(path, load_profile(profile))
    return {f.cell for f in check.all_findings if f.cell is not None}


def test_validate_marks_the_finding_cells(seed003):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    marked = set(marked_cells(book))
    assert marked == finding_cells(seed003, "mof2020")
    assert {CellRef(SHEET, 20, 8), CellRef(SHEET, 36, 8)} <= marked  # H20 2.7, total H36
    h20 = CellRef(SHEET, 20, 8)
    assert book.fill(h20) == "#FFC000"  # PX020 is a warning: orange
    assert book.comment(h20).startswith(COMMENT_HEAD)
    assert "PX020" in book.comment(h20) and "2.7" in book.comment(h20)
    assert book.workbook[SHEET][h20.a1].comment.author == "perfxl"
    assert book.active_sheet() == SHEET
    (message,) = book.messages
    assert "mof2020" in message and "警告" in message and RESULTS_SHEET in message


def test_validate_writes_the_results_sheet(seed003):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    ws = book.workbook[RESULTS_SHEET]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == RESULTS_HEADER
    (r,) = [
        i for i, row in enumerate(rows, start=1) if row[:3] == ("PX020", "警告", f"{SHEET}!H20")
    ]
    assert ws[f"C{r}"].hyperlink.location == f"'{SHEET}'!H20"
    assert "2.7" in ws[f"D{r}"].value
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:D{len(rows)}"
    assert book.workbook[MARKS_SHEET].sheet_state == "veryHidden"


def test_profile_comes_from_the_template_meta_sheet(seed003):
    wb = openpyxl.load_workbook(seed003)
    meta = wb.create_sheet("perfxl_meta")
    meta.append(["profile", "xj-60"])
    meta.sheet_state = "hidden"
    wb.save(seed003)
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    assert set(marked_cells(book)) == finding_cells(seed003, "xj-60")
    assert CellRef(SHEET, 31, 8) not in set(marked_cells(book))  # xj-60 scores H31 as 0
    assert "xj-60" in book.messages[0]


def test_unknown_profile_in_meta_falls_back_with_a_note(seed003):
    wb = openpyxl.load_workbook(seed003)
    wb.create_sheet("_perfxl").append(["评分规则", "atlantis"])
    wb.save(seed003)
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    assert "atlantis" in book.messages[0] and "mof2020" in book.messages[0]


def test_clear_removes_only_perfxl_marks(seed003):
    wb = openpyxl.load_workbook(seed003)
    ws = wb[SHEET]
    blue = PatternFill("solid", fgColor="FFBDD7EE")
    ws["H20"].fill = blue  # the user's own fill and comment on a cell perfxl will mark
    ws["H20"].comment = Comment("请财务复核", "张三")
    ws["D13"].fill = PatternFill("solid", fgColor="FFFFFF00")  # and elsewhere
    ws["A1"].comment = Comment("模板 2023 版", "张三")
    wb.save(seed003)

    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    h20 = CellRef(SHEET, 20, 8)
    assert book.fill(h20) == "#FFC000"
    assert book.comment(h20).startswith(COMMENT_HEAD) and "请财务复核" in book.comment(h20)
    ribbon.handle("perfxl.validate", book)  # twice: still one set of marks
    assert book.comment(h20).count("请财务复核") == 1

    ribbon.handle("perfxl.clear", book)
    assert marked_cells(book) == []
    assert book.fill(h20) == "#BDD7EE"
    assert book.comment(h20) == "请财务复核"
    assert book.fill(CellRef(SHEET, 13, 4)) == "#FFFF00"
    assert book.comment(CellRef(SHEET, 1, 1)) == "模板 2023 版"
    assert book.comment(CellRef(SHEET, 36, 8)) is None and book.fill(CellRef(SHEET, 36, 8)) is None
    assert book.sheet_names() == [SHEET]
    assert "已清除" in book.messages[-1]


def test_clear_keeps_what_the_user_changed_since(seed003):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    h36 = CellRef(SHEET, 36, 8)
    book.set_fill(h36, "#00B050")  # the user recoloured a marked cell
    ribbon.handle("perfxl.clear", book)
    assert book.fill(h36) == "#00B050"
    assert book.comment(h36) is None


def test_clear_keeps_a_users_sheet_named_like_the_results(seed003):
    wb = openpyxl.load_workbook(seed003)
    wb.create_sheet(RESULTS_SHEET).append(["单位自查", "已完成"])
    wb.save(seed003)
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    assert "perfxl校验结果" in book.sheet_names()
    assert book.rows(RESULTS_SHEET) == [["单位自查", "已完成"]]
    ribbon.handle("perfxl.clear", book)
    assert book.sheet_names() == [SHEET, RESULTS_SHEET]


def test_marked_workbook_saves_and_reads_back(seed003, tmp_path):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    saved = tmp_path / "marked.xlsx"
    book.save(saved)
    assert finding_cells(saved, "mof2020") == finding_cells(seed003, "mof2020")
    again = OpenpyxlBook.load(saved)
    assert set(marked_cells(again)) == finding_cells(seed003, "mof2020")
    ribbon.handle("perfxl.clear", again)
    assert again.sheet_names() == [SHEET]


def test_validate_elsewhere_gives_a_message(seed003):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", book)
    book.activate(RESULTS_SHEET)
    ribbon.handle("perfxl.validate", book)
    assert "请先切换" in book.messages[-1]
    book.workbook.create_sheet("说明").append(["本工作簿按县财政局要求填报"])
    book.activate("说明")
    ribbon.handle("perfxl.validate", book)
    assert "未找到绩效指标表" in book.messages[-1]
    assert marked_cells(book) == []


def test_recalculate_about_unknown(seed003):
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.recalc", book)
    assert book.workbook.calculation.fullCalcOnLoad is True
    ribbon.handle("perfxl.about", book)
    assert __version__ in book.messages[-1] and "mof2020" in book.messages[-1]
    ribbon.handle("perfxl.nosuch", book)
    assert "未知的按钮" in book.messages[-1]


def test_new_form_uses_the_template_builder(seed003, monkeypatch):
    calls = []

    def build_template(profile, form="self", formulas="plain", path=None):
        calls.append((profile.name, form, formulas))
        Path(path).write_bytes(b"built")
        return Path(path)

    monkeypatch.setitem(
        sys.modules, "perfxl.template", types.SimpleNamespace(build_template=build_template)
    )
    book = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.new", book)
    ribbon.handle("perfxl.new", book)
    assert calls == [("mof2020", "self", "plain")] * 2
    first, second = book.opened
    assert first.parent == seed003.parent and first.name == "绩效自评表_mof2020.xlsx"
    assert second.name == "绩效自评表_mof2020(2).xlsx"  # never overwrites
    assert book.messages == []


def test_handler_errors_become_a_message(seed003, monkeypatch):
    book = OpenpyxlBook.load(seed003)

    def broken(book):
        raise RuntimeError("磁盘已满")

    monkeypatch.setitem(ribbon.HANDLERS, "perfxl.validate", broken)
    ribbon.handle("perfxl.validate", book)
    assert "磁盘已满" in book.messages[-1]


def test_a_finding_inside_a_merged_area_marks_its_top_left_cell(seed003):
    from perfxl.excel.sheet import clear_marks, mark_findings
    from perfxl.findings import Finding, Severity

    wb = openpyxl.load_workbook(seed003)
    wb[SHEET].merge_cells("H36:I36")
    wb.save(seed003)
    book = OpenpyxlBook.load(seed003)
    i36, h36 = CellRef(SHEET, 36, 9), CellRef(SHEET, 36, 8)
    found = [
        Finding("PX021", Severity.WARNING, "总分不一致", i36),
        Finding("PX104", Severity.ERROR, "分值合计不等于 100", h36),
    ]
    assert mark_findings(book, found) == [h36]
    assert book.fill(h36) == "#FF7C80"
    assert "PX021" in book.comment(h36) and "PX104" in book.comment(h36)
    clear_marks(book)
    assert book.comment(h36) is None and book.fill(h36) is None
