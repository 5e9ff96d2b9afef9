"""Which files under the given folders are workbooks to look at.

Shared by `perfxl validate` and `perfxl consolidate` so both account for the same
files in the same order: every Excel-looking file is listed (an old .xls is listed
too, to be rejected with a reason rather than silently ignored); Office lock files
(`~$名称.xlsx`) are not workbooks and are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})
LOCK_PREFIX = "~$"


def is_candidate(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(LOCK_PREFIX)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files given directly are kept as they are; folders are searched recursively.

    The result is sorted by path (as text) so that the same inputs give the same order.
    """
    found: set[Path] = set()
    for entry in map(Path, paths):
        if entry.is_dir():
            found.update(p for p in entry.rglob("*") if p.is_file() and is_candidate(p))
        elif entry.exists():
            found.add(entry)
    return sorted(found, key=lambda p: str(p))
