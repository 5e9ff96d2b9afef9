"""What every command shares: exit codes, profile loading and argument types that
refuse a bad value with a Chinese reason."""

from __future__ import annotations

import importlib
import math
import os
import sys
from collections.abc import Callable
from typing import Any

import click

from perfxl.findings import counts
from perfxl.profiles import Profile, ProfileError, load_profile
from perfxl.report import FileResult

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2

PROFILE_OPTION = click.option(
    "--profile",
    "-p",
    default=None,
    metavar="规则",
    help="评分规则名称或 .toml 文件路径（默认 mof2020；perfxl profiles 列出内置规则）",
)


class Bounded(click.ParamType):
    """A finite number within [low, high], refused in Chinese otherwise (exit 2).

    click's FloatRange lets `nan` through (every comparison with it is false) and takes
    1e308 as a time limit; a nightly job must not run on either."""

    def __init__(self, low: float, high: float, unit: str = "", integer: bool = False):
        self.low, self.high, self.unit, self.integer = low, high, unit, integer
        self.name = "integer" if integer else "float"

    def convert(self, value, param, ctx):
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = value
        else:
            try:
                number = int(str(value)) if self.integer else float(str(value))
            except ValueError:
                kind = "整数" if self.integer else "数"
                self.fail(f"“{value}”不是一个{kind}", param, ctx)
        if not (math.isfinite(number) and self.low <= number <= self.high):
            self.fail(
                f"“{value}”超出允许范围：应为 {self.low:g} 至 {self.high:g}{self.unit or ' '}之间的有限数",
                param,
                ctx,
            )
        return number

    def get_metavar(self, param, *args, **kwargs) -> str:
        return f"[{self.low:g}-{self.high:g}]"


class WorkbookFile(click.Path):
    """An existing workbook file; a folder is refused with the commands that take one
    (click would only say "is a directory")."""

    def __init__(self, command: str):
        super().__init__(exists=True, dir_okay=False)
        self.command = command

    def convert(self, value, param, ctx):
        if isinstance(value, str | os.PathLike) and os.path.isdir(value):
            self.fail(
                f"“{os.fsdecode(value)}”是文件夹；perfxl {self.command} 只接受工作簿文件，"
                "整个文件夹请用 perfxl validate（逐条校验）或 perfxl consolidate（县级汇总）",
                param,
                ctx,
            )
        return super().convert(value, param, ctx)


def exit_code(files: list[FileResult]) -> int:
    """1 when any file is unreadable or any table has an error finding, else 0."""
    for f in files:
        monitoring = getattr(f, "monitoring", [])  # monitoring tables count too
        if counts(f.findings).errors or any(t.error_count for t in [*f.tables, *monitoring]):
            return EXIT_FINDINGS
    return EXIT_OK


def profile_or_exit(name: str | None) -> Profile:
    try:
        return load_profile(name)
    except ProfileError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)


def loaded_on_first_use(module: str, names: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` that imports each of `names` (name -> the module defining
    it) when first asked: the reader and engine are loaded by the commands that read
    workbooks, not by every start of `perfxl` (a warm consolidate needs neither). Tests
    may replace the module attribute; calls look it up on the module each time."""

    def __getattr__(name: str) -> Any:
        if name in names:
            return getattr(importlib.import_module(names[name]), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
