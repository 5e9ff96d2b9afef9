"""The county summary workbook (县级汇总), written with XlsxWriter.

XlsxWriter writes native Excel charts that Excel, WPS and LibreOffice all draw, and it
is several times faster than openpyxl for a ten-thousand-row list. Every value is
written as a value (never a formula), and every text explicitly as a string.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl import __version__

if TYPE_CHECKING:
    from perfxl.batch.ledger import Consolidation

SUMMARY_TITLE = "项目支出绩效自评县级汇总"  # how an existing output is known to be ours
SUMMARY_VERSION = "3"  # bump when the workbook's layout changes: old summaries are rewritten
# A custom document property naming the layout: `perfxl rollup` reads a county summary
# only when it carries this (Excel and WPS keep custom properties when a file is saved).
MARKER_PROPERTY = "perfxl 县级汇总版本"

__all__ = [
    "MARKER_PROPERTY",
    "SHEETS",
    "SUMMARY_TITLE",
    "SUMMARY_VERSION",
    "VOLATILE",
    "summary_bytes",
    "write_summary",
]


def __getattr__(name: str) -> Any:
    """SHEETS and VOLATILE on first use: the writer's modules (and XlsxWriter) are
    loaded only by a run that writes a summary, not by a warm run that keeps it."""
    if name == "SHEETS":
        from perfxl.summary.sheets import SHEETS

        return SHEETS
    if name == "VOLATILE":
        from perfxl.summary.notes import VOLATILE

        return VOLATILE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def write_summary(consolidation: Consolidation, path: str | Path) -> Path:
    """Write the summary to `path` through a private temporary file and a rename
    (perfxl.batch.atomic): a link at `path` is replaced, never written through."""
    from perfxl.batch.atomic import publish

    return publish(Path(path), summary_bytes(consolidation))


def summary_bytes(consolidation: Consolidation) -> bytes:
    """The sheets (perfxl.summary.sheets.SHEETS) as the bytes of an .xlsx, made in memory.

    Nothing is written to disk here, so a full disk or a vanished share can only fail
    the final write, cleanly, and never leaves an open zip behind."""
    from perfxl.summary.audit import write_audit
    from perfxl.summary.book import SummaryBook
    from perfxl.summary.figures import Figures
    from perfxl.summary.missing import write_missing
    from perfxl.summary.monitoring import write_monitoring
    from perfxl.summary.notes import write_notes
    from perfxl.summary.overview import write_overview
    from perfxl.summary.results import write_results
    from perfxl.summary.sheets import (
        write_departments,
        write_files,
        write_grades,
        write_problems,
        write_projects,
    )
    from perfxl.summary.table import Formats

    book = SummaryBook(
        {
            "strings_to_formulas": False,  # belt and braces: texts go through write_string
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    properties = {
        "title": SUMMARY_TITLE,
        "author": "perfxl",
        "comments": f"perfxl {__version__}，评分规则 {consolidation.profile.name}",
    }
    if consolidation.started is not None:
        properties["created"] = consolidation.started.replace(tzinfo=None)
    book.set_properties(properties)
    book.set_custom_property(MARKER_PROPERTY, SUMMARY_VERSION)
    formats = Formats(book)
    figures = Figures(consolidation)  # what several sheets show, computed once
    write_overview(book, formats, consolidation, figures)
    write_monitoring(book, formats, consolidation)  # only when monitoring tables were found
    write_projects(book, formats, consolidation)
    write_departments(book, formats, consolidation, figures.departments)
    write_grades(book, formats, consolidation, len(consolidation.projects))
    write_problems(book, formats, consolidation)
    write_files(book, formats, consolidation)
    write_missing(book, formats, consolidation, figures)
    write_results(book, formats, consolidation, figures)
    write_audit(book, formats, consolidation, figures)
    write_notes(book, formats, consolidation, figures.county, figures.missing_units)
    book.close()
    return book.package
