"""The xlwings implementation of the sheet interface, run against a fake Excel.

There is no Excel here, so XlwingsBook runs on small fakes of xlwings' Book, Sheet,
Range, Note and App. The fakes only offer what the real classes have (checked below
against xlwings itself), so a call XlwingsBook makes that xlwings lacks fails here; what
Excel then does with those calls is not tested and cannot be on Linux.
"""

import inspect
import re
from types import SimpleNamespace

import openpyxl
import pytest
import xlwings.main as xwm

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


def _a1(text: str) -> tuple[int, int]:
    letters, digits = re.fullmatch(r"([A-Z]+)(\d+)", text).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


class FakeNote:
    def __init__(self, sheet, key):
        self._sheet, self._key = sheet, key

    @property
    def text(self):
        return self._sheet.notes[self._key]

    def delete(self):
        del self._sheet.notes[self._key]


class FakeFont:
    def __init__(self):
        self.bold = None


class FakeRange:
    def __init__(self, sheet, first, last=None):
        self.sheet, self.first, self.last = sheet, first, last or first
        self.font = FakeFont()

    def options(self, convert=None, **options):
        return self

    def _keys(self):
        (r1, c1), (r2, c2) = self.first, self.last
        return [[(r, c) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]

    @property
    def value(self):
        return [[self.sheet.values.get(k) for k in row] for row in self._keys()]

    @value.setter
    def value(self, rows):
        r0, c0 = self.first
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                if isinstance(v, str) and v.startswith("'"):
                    v = v[1:]  # Excel's text prefix
                elif isinstance(v, str) and v.startswith("="):
                    raise AssertionError(f"a formula written as a value: {v}")
                self.sheet.values[(r0 + i, c0 + j)] = v

    @property
    def formula(self):
        rows = [
            [self.sheet.formulas.get(k, "" if self.sheet.values.get(k) is None else str(self.sheet.values[k])) for k in row]
            for row in self._keys()
        ]  # fmt: skip
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    @formula.setter
    def formula(self, text):
        self.sheet.formulas[self.first] = text
        self.sheet.values[self.first] = re.search(r',"(.*)"\)$', text).group(1)

    @property
    def color(self):
        return self.sheet.colors.get(self.first)

    @color.setter
    def color(self, value):
        if value is None:
            self.sheet.colors.pop(self.first, None)
        else:
            self.sheet.colors[self.first] = tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))

    @property
    def note(self):
        return FakeNote(self.sheet, self.first) if self.first in self.sheet.notes else None

    def add_note(self, text):
        assert self.first not in self.sheet.notes, "Excel refuses a second note"
        self.sheet.notes[self.first] = text

    @property
    def merge_area(self):
        return self

    @property
    def row(self):
        return self.first[0]

    @property
    def column(self):
        return self.first[1]

    @property
    def last_cell(self):
        return SimpleNamespace(row=self.last[0], column=self.last[1])

    @property
    def column_width(self):
        return self.sheet.widths.get(self.first[1])

    @column_width.setter
    def column_width(self, value):
        self.sheet.widths[self.first[1]] = value

    @property
    def wrap_text(self):
        return True

    @wrap_text.setter
    def wrap_text(self, value):
        pass


class FakeSheet:
    def __init__(self, book, name):
        self.book, self.name = book, name
        self.values, self.formulas, self.colors, self.notes, self.widths = {}, {}, {}, {}, {}
        self.visible = True

    def range(self, cell1, cell2=None):
        first = _a1(cell1) if isinstance(cell1, str) else cell1
        return FakeRange(self, first, cell2)

    @property
    def used_range(self):
        keys = [k for k, v in self.values.items() if v is not None] or [(1, 1)]
        return FakeRange(self, (1, 1), (max(r for r, _ in keys), max(c for _, c in keys)))

    def activate(self):
        self.book.active_name = self.name

    def delete(self):
        assert self.visible, "Excel cannot delete a very hidden sheet"
        del self.book.by_name[self.name]


class FakeSheets:
    def __init__(self, book):
        self.book = book

    def __iter__(self):
        return iter(list(self.book.by_name.values()))

    def __getitem__(self, key):
        if isinstance(key, int):
            return list(self.book.by_name.values())[key]
        return self.book.by_name[key]

    @property
    def active(self):
        return self.book.by_name[self.book.active_name]

    def add(self, name=None, before=None, after=None):
        assert after is self[-1]
        sheet = self.book.by_name[name] = FakeSheet(self.book, name)
        sheet.activate()  # Excel activates a new sheet
        return sheet


class FakeApp:
    def __init__(self):
        self.alerts, self.calculated, self.opened = [], 0, []
        self.books = SimpleNamespace(open=self.opened.append)

    def calculate(self):
        self.calculated += 1

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append(prompt)


class FakeBook:
    def __init__(self, path):
        self.app, self.fullname, self.by_name = FakeApp(), str(path), {}
        self.sheets = FakeSheets(self)
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            sheet = self.by_name[ws.title] = FakeSheet(self, ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        sheet.values[(cell.row, cell.column)] = cell.value
        self.active_name = wb.active.title


FAKES = {
    FakeBook: xwm.Book,
    FakeSheets: xwm.Sheets,
    FakeSheet: xwm.Sheet,
    FakeRange: xwm.Range,
    FakeNote: xwm.Note,
    FakeFont: xwm.Font,
    FakeApp: xwm.App,
}
INSTANCE_ATTRIBUTES = {  # set in __init__, so not seen by vars()
    FakeBook: {"app", "fullname", "sheets"},
    FakeSheet: {"book", "name", "visible"},
    FakeRange: {"font"},
    FakeFont: {"bold"},
    FakeApp: {"books"},
}


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
    log = []

    class Com(SimpleNamespace):
        def Range(self, address):
            return SimpleNamespace(AutoFilter=lambda: log.append(("AutoFilter", address)))

    window = SimpleNamespace()
    monkeypatch.setattr(
        FakeSheet,
        "api",
        property(lambda self: self.__dict__.setdefault("_api", Com())),
        raising=False,
    )
    live = FakeBook(seed003)
    live.app.api = SimpleNamespace(ActiveWindow=window)
    ribbon.handle("perfxl.validate", XlwingsBook(live))
    assert live.by_name["perfxl_marks"]._api.Visible == 2  # xlSheetVeryHidden
    (filtered,) = log
    assert filtered[0] == "AutoFilter" and filtered[1].startswith("A1:D")
    assert (window.SplitRow, window.SplitColumn, window.FreezePanes) == (1, 0, True)
