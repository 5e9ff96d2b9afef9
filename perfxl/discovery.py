"""Which files under the given folders are workbooks to look at.

Shared by `perfxl validate` and `perfxl consolidate` so both account for the same
files in the same order: every Excel-looking file is listed (an old .xls is listed
too, to be rejected with a reason rather than silently ignored); Office lock files
(`~$名称.xlsx`) are not workbooks and are skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb"})
LOCK_PREFIX = "~$"


def is_candidate(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not path.name.startswith(LOCK_PREFIX)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files given directly are kept as they are; folders are searched recursively.

    Symlinked folders are followed (a department's folder is often a link to a share),
    each real folder once, so a link loop ends. The result is sorted by path (as text)
    so that the same inputs give the same order.
    """
    found: set[Path] = set()
    seen: set[tuple[int, int]] = set()
    for entry in map(Path, paths):
        if entry.is_dir():
            found.update(_walk(entry, seen))
        elif entry.exists():
            found.add(entry)
    return sorted(found, key=lambda p: str(p))


def _walk(folder: Path, seen: set[tuple[int, int]]) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder, followlinks=True):
        try:
            stat = os.stat(root)
        except OSError:
            dirs[:] = []
            continue
        key = (stat.st_dev, stat.st_ino)
        if key in seen:  # reached again through a link: already listed
            dirs[:] = []
            continue
        seen.add(key)
        dirs.sort()
        files.extend(Path(root) / n for n in names if is_candidate(Path(n)))
    return [f for f in files if f.is_file()]
