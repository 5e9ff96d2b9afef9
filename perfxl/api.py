"""The library surface: score or validate files with a profile (sqlite-utils style, CLI on top).

Kept tiny on purpose: read, score, run the validation rules, and hand back results
whose findings are the same ones `perfxl validate` reports. `score_files` gives the
figures (what `perfxl score` prints), `validate_files` the findings per table (what
`perfxl validate` prints); both take the same arguments and check each file once.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from perfxl.profiles import Profile, load_profile
from perfxl.report import FileResult
from perfxl.validation import FileCheck, check_file


def _profile(profile: Profile | str | None) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(profile)


def validate_file(path: str | Path, profile: Profile | str | None = None) -> FileCheck:
    """Read one workbook and check it: every finding of the reader, engine and rules."""
    return check_file(path, _profile(profile))


def score_file(path: str | Path, profile: Profile | str | None = None) -> FileResult:
    """Read one workbook, score every indicator table in it and check it."""
    checked = validate_file(path, profile)
    tables = [check.result for check in checked.tables]
    monitoring = [check.result for check in checked.monitoring]
    return FileResult(checked.path, tables, list(checked.findings), monitoring)


def score_files(
    paths: Iterable[str | Path], profile: Profile | str | None = None
) -> list[FileResult]:
    prof = _profile(profile)
    return [score_file(p, prof) for p in paths]


def validate_files(
    paths: Iterable[str | Path], profile: Profile | str | None = None
) -> list[FileCheck]:
    prof = _profile(profile)
    return [validate_file(p, prof) for p in paths]
