"""`perfxl init-county DIR`: write the commented starter perfxl-county.toml, and the
settings loading every command that reads the county settings shares."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from perfxl.commands.common import EXIT_USAGE
from perfxl.county import SETTINGS_NAME, CountySettings, SettingsError, load_settings, settings_path


def settings_or_exit(folders: list[str], explicit: str | None) -> CountySettings | None:
    """The county settings for a run over `folders` (None when there is no file), or a
    Chinese message and exit 2 when the file is wrong: a nightly run must not quietly
    score every folder under the default rules because of a typo."""
    path = settings_path(folders, explicit)
    if path is None:
        return None
    if not path.is_file():
        click.echo(f"错误：县级设置文件不存在：{path}", err=True)
        sys.exit(EXIT_USAGE)
    try:
        return load_settings(path)
    except SettingsError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)


@click.command("init-county")
@click.argument("folder", metavar="文件夹", type=click.Path(file_okay=False))
@click.option("--name", default="某某县", show_default=True, help="本县（市、区）名称")
@click.option("--year", type=click.IntRange(2000, 2100), default=2023, show_default=True,
              help="评价年度")  # fmt: skip
@click.option("--force", is_flag=True, help="覆盖已有的设置文件")
def command(folder: str, name: str, year: int, force: bool) -> None:
    """在汇总文件夹中写入带说明的县级设置文件 perfxl-county.toml（单位名单、评分规则、执行滞后、结果应用、抽查数）。

    文件夹中已有的一级子文件夹名称作为应报送单位预先列出，请核对后补全。
    """
    from perfxl.county_starter import starter_text

    root = Path(folder)
    target = root / SETTINGS_NAME
    if os.path.lexists(target) and not force:
        click.echo(f"错误：{target} 已存在，未覆盖；确需重写请加 --force", err=True)
        sys.exit(EXIT_USAGE)
    units: tuple[str, ...] = ()
    if root.is_dir():
        units = tuple(
            sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
        )
    text = starter_text(name, year, units)
    try:
        root.mkdir(parents=True, exist_ok=True)
        # mkstemp: an unpredictable name of our own, so no planted link is written through;
        # a link at `target` itself is replaced by the rename, never followed.
        handle, temporary = tempfile.mkstemp(prefix=f".{SETTINGS_NAME}.", dir=root)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as exc:
        click.echo(f"错误：无法写入 {target}：{exc.strerror or exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"已写入县级设置文件：{target.resolve()}")
    click.echo("请用记事本打开，核对单位名单、评分规则和结果应用比例后再运行 perfxl consolidate。")
