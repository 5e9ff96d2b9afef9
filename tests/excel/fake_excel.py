"""Fakes of xlwings' Book, Sheet, Range, Note and App over a workbook file, with the
COM worksheet (`Sheet.api`) modelling Excel's sheet protection.

There is no Excel here. The xlwings-level fakes offer only what the real classes have
(tests/excel/test_ribbon_xlwings.py checks that against xlwings itself). `Sheet.api`
stands for Excel's COM Worksheet and models what perfxl relies on, from Excel's object
model reference:

- Worksheet.Protect(Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly,
  AllowFormattingCells, …) sets every option, an omitted one to Excel's default
  (True for the first three, False for the rest);
- ProtectContents/ProtectDrawingObjects/ProtectScenarios/ProtectionMode, the
  Protection object's Allow* properties and EnableSelection read them back;
- Unprotect with a wrong password raises (pywintypes.com_error in Excel); leaving
  Password out on a sheet that has one would make Excel prompt the user, which a
  RunPython call must never do, so the fake fails the test;
- while the contents are protected: a fill needs AllowFormattingCells (Excel greys out
  Format Cells for every cell, locked or not), a value needs an unlocked cell, and a
  note (add or delete) needs the drawing objects unprotected (编辑对象); otherwise a
  ComError, as Excel raises "1004 … protected sheet".

A file's protection is read from its sheetProtection element with the OOXML meaning
of each attribute (formatCells="1": formatting NOT allowed), written here afresh
rather than taken from perfxl. Password hashes are the legacy 16-bit ones openpyxl
writes; a given password is checked against it with openpyxl's hash_password.
"""

import re
from types import SimpleNamespace

import openpyxl
import xlwings.main as xwm
from openpyxl.utils.protection import hash_password

ALLOW = (
    "AllowFormattingCells",
    "AllowFormattingColumns",
    "AllowFormattingRows",
    "AllowInsertingColumns",
    "AllowInsertingRows",
    "AllowInsertingHyperlinks",
    "AllowDeletingColumns",
    "AllowDeletingRows",
    "AllowSorting",
    "AllowFiltering",
    "AllowUsingPivotTables",
)
# the sheetProtection attribute that forbids each Allow* option
FORBIDS = dict(
    zip(
        ALLOW,
        (
            "formatCells",
            "formatColumns",
            "formatRows",
            "insertColumns",
            "insertRows",
            "insertHyperlinks",
            "deleteColumns",
            "deleteRows",
            "sort",
            "autoFilter",
            "pivotTables",
        ),
        strict=True,
    )
)
MISSING = object()


class ComError(Exception):
    """Stands for pywintypes.com_error."""


class FakeProtection:
    """Worksheet.Protection: the Allow* options of the current protection."""

    def __init__(self):
        for name in ALLOW:
            setattr(self, name, False)


class FakeWorksheet:
    """The COM Worksheet behind Sheet.api: protection, AutoFilter, Visible."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False
        self.ProtectionMode = False
        self.Protection = FakeProtection()
        self.EnableSelection = 0  # xlNoRestrictions
        self.password_hash = None  # Excel keeps a hash; COM does not show it
        self.Visible = -1
        self.filtered = []

    @property
    def protected(self):
        return self.ProtectContents or self.ProtectDrawingObjects or self.ProtectScenarios

    def Protect(
        self,
        Password=None,
        DrawingObjects=True,
        Contents=True,
        Scenarios=True,
        UserInterfaceOnly=False,
        **allow,
    ):
        assert set(allow) <= set(ALLOW), f"Worksheet.Protect has no {set(allow) - set(ALLOW)}"
        if self.protected and self.password_hash != (hash_password(Password) if Password else None):
            raise ComError("1004: the sheet is protected with another password")
        self.ProtectDrawingObjects, self.ProtectContents = DrawingObjects, Contents
        self.ProtectScenarios, self.ProtectionMode = Scenarios, UserInterfaceOnly
        for name in ALLOW:
            setattr(self.Protection, name, allow.get(name, False))
        self.password_hash = hash_password(Password) if Password else None

    def Unprotect(self, Password=MISSING):
        if not self.protected:
            return
        if self.password_hash is not None:
            assert Password is not MISSING, "Excel would prompt the user for the password"
            if not Password or hash_password(Password) != self.password_hash:
                raise ComError("1004: The password you supplied is not correct.")
        self.ProtectContents = self.ProtectDrawingObjects = self.ProtectScenarios = False
        self.ProtectionMode = False
        self.password_hash = None

    def Range(self, address):
        return SimpleNamespace(AutoFilter=lambda: self.filtered.append(address))

    # what Excel checks before a change to a cell
    def check_format(self):
        if self.ProtectContents and not self.Protection.AllowFormattingCells:
            raise ComError("1004: Unable to set the Color property (protected sheet)")

    def check_value(self, key):
        if self.ProtectContents and key not in self.sheet.unlocked:
            raise ComError("1004: The cell you are trying to change is on a protected sheet")

    def check_note(self):
        if self.ProtectContents and self.ProtectDrawingObjects:
            raise ComError("1004: notes cannot be changed on a protected sheet")

    def load(self, state):
        """Protection as the file has it (openpyxl's SheetProtection)."""
        if not state.sheet:
            return
        self.ProtectContents = True
        self.ProtectDrawingObjects, self.ProtectScenarios = (
            bool(state.objects),
            bool(state.scenarios),
        )
        for name, attribute in FORBIDS.items():
            setattr(self.Protection, name, not getattr(state, attribute))
        if state.selectUnlockedCells:
            self.EnableSelection = -4142  # xlNoSelection
        elif state.selectLockedCells:
            self.EnableSelection = 1  # xlUnlockedCells
        self.password_hash = state.password or (state.hashValue and "unknown-sha512")


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
        self._sheet.api.check_note()
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
                self.sheet.api.check_value((r0 + i, c0 + j))
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
        self.sheet.api.check_value(self.first)
        self.sheet.formulas[self.first] = text
        self.sheet.values[self.first] = re.search(r',"(.*)"\)$', text).group(1)

    @property
    def color(self):
        return self.sheet.colors.get(self.first)

    @color.setter
    def color(self, value):
        self.sheet.api.check_format()
        if value is None:
            self.sheet.colors.pop(self.first, None)
        else:
            self.sheet.colors[self.first] = tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))

    @property
    def note(self):
        return FakeNote(self.sheet, self.first) if self.first in self.sheet.notes else None

    def add_note(self, text):
        self.sheet.api.check_note()
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
        self.unlocked = set()  # cells whose Locked is False (Excel's default: locked)
        self.api = FakeWorksheet(self)

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
        if self.book.api.ProtectStructure:
            raise ComError("1004: Workbook is protected and cannot be changed.")
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
        if self.book.api.ProtectStructure:
            raise ComError("1004: Workbook is protected and cannot be changed.")
        assert after is self[-1]
        sheet = self.book.by_name[name] = FakeSheet(self.book, name)
        sheet.activate()  # Excel activates a new sheet
        return sheet


class FakeApp:
    def __init__(self):
        self.alerts, self.calculated, self.opened = [], 0, []
        self.books = SimpleNamespace(open=self.opened.append)
        self.api = SimpleNamespace(ActiveWindow=SimpleNamespace())

    def calculate(self):
        self.calculated += 1

    def alert(self, prompt, title=None, buttons="ok", mode=None, callback=None):
        self.alerts.append(prompt)


class FakeBook:
    def __init__(self, path):
        self.app, self.fullname, self.by_name = FakeApp(), str(path), {}
        self.api = SimpleNamespace(ProtectStructure=False)  # the COM Workbook
        self.sheets = FakeSheets(self)
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            sheet = self.by_name[ws.title] = FakeSheet(self, ws.title)
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        sheet.values[(cell.row, cell.column)] = cell.value
                    if cell.protection.locked is False:
                        sheet.unlocked.add((cell.row, cell.column))
            sheet.api.load(ws.protection)
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
    FakeBook: {"app", "fullname", "sheets", "api"},
    FakeSheet: {"book", "name", "visible", "api"},
    FakeRange: {"font"},
    FakeFont: {"bold"},
    FakeApp: {"books", "api"},
}
