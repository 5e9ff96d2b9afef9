"""The xlwings implementation of the sheet interface, run against a fake Excel.

There is no Excel here, so XlwingsBook runs on small fakes of xlwings' Book, Sheet,
Range, Note and App (tests/excel/fake_excel.py). The fakes only offer what the real
classes have (checked below against xlwings itself), so a call XlwingsBook makes that
xlwings lacks fails here; what Excel then does with those calls is not tested and
cannot be on Linux.
"""

import inspect

import pytest

from excel.fake_excel import FAKES, INSTANCE_ATTRIBUTES, FakeBook
from perfxl.excel import ribbon
from perfxl.excel.sheet import (
    COMMENT_HEAD,
    RESULTS_HEADER,
    RESULTS_SHEET,
    OpenpyxlBook,
    XlwingsBook,
    marked_cells,
)
from perfxl.model import CellRef
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS

SHEET = "援疆工作经费项目"


@pytest.mark.parametrize("fake", list(FAKES), ids=lambda f: f.__name__)
def test_fakes_only_offer_what_xlwings_has(fake):
    real = FAKES[fake]
    names = {n for n in vars(fake) if not n.startswith("_")} | INSTANCE_ATTRIBUTES.get(fake, set())
    missing = sorted(n for n in names if not hasattr(real, n))
    assert not missing, f"xlwings.{real.__name__} has no {missing}"
    for name in names & set(vars(fake)):
        mine, theirs = getattr(fake, name), getattr(real, name)
        if inspect.isfunction(mine):
            ours = [
                p for p in inspect.signature(mine).parameters.values() if p.kind != p.VAR_KEYWORD
            ]
            params = inspect.signature(theirs).parameters
            assert all(p.name in params for p in ours), (
                f"{real.__name__}.{name}{inspect.signature(theirs)}"
            )


@pytest.fixture
def seed003(tmp_path):
    path = tmp_path / "seed003.xlsx"
    write_workbook([SEEDS["003"]], path)
    return path


def test_xlwings_book_marks_like_the_openpyxl_book(seed003):
    live = FakeBook(seed003)
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    reference = OpenpyxlBook.load(seed003)
    ribbon.handle("perfxl.validate", reference)
    assert marked_cells(book) == marked_cells(reference)
    assert live.app.alerts == reference.messages
    h20 = CellRef(SHEET, 20, 8)
    assert book.fill(h20) == reference.fill(h20) == "#FFC000"
    assert book.comment(h20) == reference.comment(h20)
    assert live.active_name == SHEET  # back on the table after writing the sheets
    assert live.by_name["perfxl_marks"].visible is False
    results = live.by_name[RESULTS_SHEET]
    assert tuple(results.values[(1, c)] for c in range(1, 5)) == RESULTS_HEADER
    assert book.rows(RESULTS_SHEET) == reference.rows(RESULTS_SHEET)
    links = [f for f in results.formulas.values()]
    assert f'=HYPERLINK("#\'{SHEET}\'!H20","{SHEET}!H20")' in links

    ribbon.handle("perfxl.clear", book)
    assert list(live.by_name) == [SHEET]
    assert live.by_name[SHEET].colors == {} and live.by_name[SHEET].notes == {}


def test_xlwings_book_keeps_a_users_note(seed003):
    live = FakeBook(seed003)
    live.by_name[SHEET].notes[(20, 8)] = "请财务复核"
    live.by_name[SHEET].colors[(20, 8)] = (189, 215, 238)
    book = XlwingsBook(live)
    ribbon.handle("perfxl.validate", book)
    assert book.comment(CellRef(SHEET, 20, 8)).startswith(COMMENT_HEAD)
    ribbon.handle("perfxl.clear", book)
    assert live.by_name[SHEET].notes == {(20, 8): "请财务复核"}
    assert live.by_name[SHEET].colors == {(20, 8): (189, 215, 238)}


def test_xlwings_book_recalculates_and_opens(seed003, tmp_path):
    live = FakeBook(seed003)
    book = XlwingsBook(live)
    ribbon.handle("perfxl.recalc", book)
    assert live.app.calculated == 1
    assert book.folder() == seed003.parent
    book.open(tmp_path / "x.xlsx")
    assert live.app.opened == [str(tmp_path / "x.xlsx")]


def test_windows_only_calls(seed003, monkeypatch):
    """On Windows the marks sheet is made very hidden and 校验结果 gets a filter and a
    frozen header through COM (xlwings has no API for these on desktop Excel)."""
    import perfxl.excel.book_xlwings as sheet_module

    monkeypatch.setattr(sheet_module.sys, "platform", "win32")
    live = FakeBook(seed003)
    ribbon.handle("perfxl.validate", XlwingsBook(live))
    assert live.by_name["perfxl_marks"].api.Visible == 2  # xlSheetVeryHidden
    (filtered,) = live.by_name[RESULTS_SHEET].api.filtered
    assert filtered.startswith("A1:D")
    window = live.app.api.ActiveWindow
    assert (window.SplitRow, window.SplitColumn, window.FreezePanes) == (1, 0, True)
