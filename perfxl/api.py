"""The library surface: score files with a profile (sqlite-utils style, CLI on top).

Kept tiny on purpose: read, then score, then hand back results with their findings.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from perfxl.profiles import Profile, load_profile
from perfxl.reader import read_workbook
from perfxl.report import FileResult
from perfxl.scoring import score_table


def score_file(path: str | Path, profile: Profile | str | None = None) -> FileResult:
    """Read one workbook and score every indicator table in it."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    read = read_workbook(path)
    return FileResult(
        path=str(path),
        tables=[score_table(table, prof) for table in read.tables],
        findings=list(read.findings),
    )


def score_files(
    paths: Iterable[str | Path], profile: Profile | str | None = None
) -> list[FileResult]:
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    return [score_file(p, prof) for p in paths]
