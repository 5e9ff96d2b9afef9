"""The county summary workbook (县级汇总), written with XlsxWriter.

XlsxWriter writes native Excel charts that Excel, WPS and LibreOffice all draw, and it
is several times faster than openpyxl for a ten-thousand-row list. Every value is
written as a value (never a formula), and every text explicitly as a string.
"""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from perfxl import __version__
from perfxl.batch.ledger import Consolidation
from perfxl.summary.notes import VOLATILE, write_notes
from perfxl.summary.sheets import (
    SHEETS,
    write_departments,
    write_files,
    write_grades,
    write_problems,
    write_projects,
)
from perfxl.summary.table import Formats

SUMMARY_VERSION = "1"  # bump when the workbook's layout changes: old summaries are rewritten

__all__ = ["SHEETS", "SUMMARY_VERSION", "VOLATILE", "write_summary"]


def write_summary(consolidation: Consolidation, path: str | Path) -> Path:
    """Write the six sheets to `path` (any name; the caller renames it into place)."""
    path = Path(path)
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,  # belt and braces: texts go through write_string
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    properties = {
        "title": "项目支出绩效自评县级汇总",
        "author": "perfxl",
        "comments": f"perfxl {__version__}，评分规则 {consolidation.profile.name}",
    }
    if consolidation.started is not None:
        properties["created"] = consolidation.started.replace(tzinfo=None)
    book.set_properties(properties)
    formats = Formats(book)
    write_projects(book, formats, consolidation)
    stats = write_departments(book, formats, consolidation)
    write_grades(book, formats, consolidation, len(consolidation.projects))
    write_problems(book, formats, consolidation)
    write_files(book, formats, consolidation)
    write_notes(book, formats, consolidation, stats[-1])
    book.close()
    return path
