"""Sheet protection around marking: unprotect, mark, protect again with the same options.

perfxl's own templates protect their form sheets without a password (formatting locked),
and Excel refuses a fill or a comment on a locked cell of a protected sheet. So before
perfxl marks cells on a sheet it lifts the protection (with the empty password, which
opens exactly the sheets protected without one) and afterwards puts back the very
options the sheet had. A sheet protected with a password perfxl does not know is left
alone: no fills or comments there, and the user is told why in Chinese; the findings
still go to the 校验结果 sheet, which perfxl adds itself.

Options are named as the parameters of Excel's Worksheet.Protect (Contents,
DrawingObjects, AllowFormattingCells, …), so the xlwings implementation passes them
back to Excel unchanged; the openpyxl implementation maps them to the OOXML
sheetProtection attributes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

# Worksheet.Protect's parameters after Password, in Excel's order.
PROTECT_OPTIONS = (
    "DrawingObjects",
    "Contents",
    "Scenarios",
    "UserInterfaceOnly",
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


class SheetLocked(Exception):
    """The sheet is protected with a password perfxl does not know."""

    def __init__(self, sheet: str) -> None:
        super().__init__(sheet)
        self.sheet = sheet


@dataclass(frozen=True)
class Protection:
    """How a sheet is protected: Worksheet.Protect's options by their Excel names, the
    sheet's EnableSelection (None when unknown), and an implementation's own record of
    the protection (openpyxl keeps its SheetProtection) for an exact restore."""

    options: dict[str, bool]
    enable_selection: int | None = None
    token: Any = field(default=None, compare=False)


class Protectable(Protocol):
    def protection(self, sheet: str) -> Protection | None:
        """The sheet's protection; None when it is not protected."""
        ...

    def unprotect(self, sheet: str) -> None:
        """Lift protection set without a password; SheetLocked when it has one."""
        ...

    def protect(self, sheet: str, protection: Protection) -> None:
        """Protect the sheet again (no password) with these options."""
        ...


def locked_message(sheets: Iterable[str], action: str) -> str:
    """What the user reads when sheets could not be opened for marking."""
    names = "、".join(f"“{s}”" for s in sheets)
    return (
        f"工作表{names}设有保护密码，perfxl 无法在其中{action}。"
        "如需标记，请先撤销工作表保护（审阅 → 撤销工作表保护，输入密码）后重试；"
        "问题清单不受影响。"
    )


STRUCTURE_LOCKED = (
    "本工作簿的结构受保护（审阅 → 保护工作簿），perfxl 无法添加或删除“校验结果”等工作表，"
    "因此没有{action}。请先撤销工作簿保护后重试。"
)


@contextmanager
def unprotected(book: Protectable, sheets: Iterable[str]) -> Iterator[set[str]]:
    """Lift the protection of `sheets` for the duration of the block and restore each
    with its own options afterwards, also when the block fails. Yields the sheets that
    stay locked (protected with a password); the caller leaves those alone."""
    lifted: list[tuple[str, Protection]] = []
    locked: set[str] = set()
    try:
        for sheet in dict.fromkeys(sheets):
            state = book.protection(sheet)
            if state is None:
                continue
            try:
                book.unprotect(sheet)
            except SheetLocked:
                locked.add(sheet)
                continue
            lifted.append((sheet, state))
        yield locked
    finally:
        for sheet, state in reversed(lifted):
            book.protect(sheet, state)
