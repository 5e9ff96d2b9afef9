"""What every command shares: exit codes and profile loading with a Chinese error."""

from __future__ import annotations

import sys

import click

from perfxl.findings import Severity
from perfxl.profiles import Profile, ProfileError, load_profile
from perfxl.report import FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

PROFILE_OPTION = click.option(
    "--profile", "-p", default=None, help="评分规则名称或 .toml 文件路径（默认 mof2020）"
)


def exit_code(files: list[FileResult]) -> int:
    """1 when any file is unreadable or any table has an error finding, else 0."""
    for f in files:
        if any(x.severity == Severity.ERROR for x in f.findings):
            return EXIT_FINDINGS
        if any(t.error_count for t in f.tables):
            return EXIT_FINDINGS
    return EXIT_OK


def profile_or_exit(name: str | None) -> Profile:
    try:
        return load_profile(name)
    except ProfileError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)
