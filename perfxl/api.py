"""The library surface: score files with a profile (sqlite-utils style, CLI on top).

Kept tiny on purpose: read, score, run the validation rules, and hand back results
whose findings are the same ones `perfxl validate` reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from perfxl.profiles import Profile, load_profile
from perfxl.report import FileResult
from perfxl.validation import check_file


def score_file(path: str | Path, profile: Profile | str | None = None) -> FileResult:
    """Read one workbook, score every indicator table in it and check it."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    checked = check_file(path, prof)
    tables = []
    for check in checked.tables:
        on_rows = {f for row in check.result.rows for f in row.findings}
        table_level = tuple(f for f in check.findings if f not in on_rows)
        tables.append(replace(check.result, findings=table_level))
    return FileResult(path=str(path), tables=tables, findings=list(checked.findings))


def score_files(
    paths: Iterable[str | Path], profile: Profile | str | None = None
) -> list[FileResult]:
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    return [score_file(p, prof) for p in paths]
