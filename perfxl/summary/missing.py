"""The 未报送 sheet: every expected unit without an accepted file, and what came from it.

A unit that sent only a file perfxl could not accept (an empty file, an old .xls, a
password) has not submitted either, but the clerk calling it needs to say why: the
files that came from it are listed with the reason each was refused. A file "came
from" a unit when one of its folders is the unit's name or its file name contains it
(the demo county and most shares keep one folder per department).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from perfxl.batch.ledger import Consolidation, FileEntry
from perfxl.summary.aggregate import missing_units, settings
from perfxl.summary.table import ROW_NUMBER, Column, Formats
from perfxl.summary.titled import titled_table

if TYPE_CHECKING:
    from perfxl.summary.figures import Figures

MISSING = "未报送"
NOTHING = "未收到任何文件"


@dataclass(frozen=True)
class MissingUnit:
    name: str
    files: tuple[FileEntry, ...]  # files that came from it, none accepted

    @property
    def situation(self) -> str:
        if not self.files:
            return NOTHING
        return f"收到 {len(self.files)} 个文件，均未被接受"

    @property
    def received(self) -> str:
        return "；".join(f"{f.path}（{f.status}：{f.reason}）" for f in self.files)


def _from_unit(entry: FileEntry, unit: str) -> bool:
    *folders, name = entry.path.split("/")
    return unit in folders or unit in name


def missing(c: Consolidation, units: list[str] | None = None) -> list[MissingUnit]:
    """The expected units without an accepted file, in the settings' order (`units`:
    aggregate.missing_units of `c` when the caller already has them)."""
    return [
        MissingUnit(unit, tuple(f for f in c.files if _from_unit(f, unit)))
        for unit in (missing_units(c) if units is None else units)
    ]


def write_missing(
    book: Workbook, formats: Formats, c: Consolidation, figures: Figures | None = None
) -> list[MissingUnit]:
    units = missing(c) if figures is None else figures.missing
    expected = len(settings(c).units)
    if expected:
        title = f"未报送单位：应报送 {expected} 个，未报送 {len(units)} 个"
        note = (
            "县级设置中列出、但没有任何已处理文件（按主管部门、实施单位或所在文件夹名称）的单位；"
            "收到但被拒收的文件及原因列在右侧。"
        )
    else:
        title = "未报送单位：本县尚未列出应报送单位"
        note = "县级设置文件未列出应报送单位（[units] expected 或 file），无法判断哪些单位未报送。"
    columns = [
        Column("序号", "int", ROW_NUMBER, (5, 7)),
        Column("单位名称", "text", attrgetter("name"), (16, 40)),
        Column("情况", "text", attrgetter("situation"), (14, 24)),
        Column("收到的文件及拒收原因", "text", attrgetter("received"), (24, 90)),
    ]
    titled_table(book, formats, MISSING, title, note, columns, units)
    return units
