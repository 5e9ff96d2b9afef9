"""`perfxl addin install`: the 绩效 ribbon and the in-cell functions for Excel (Windows)."""

from __future__ import annotations

import sys

import click

from perfxl.commands.common import EXIT_USAGE


@click.group("addin")
def command() -> None:
    """Excel 加载项：安装“绩效”功能区与 PERF_* 函数（需要 Windows 版 Excel）。"""


@command.command("install")
@click.option(
    "--global",
    "global_location",
    is_flag=True,
    help="为本机所有用户安装（需以管理员身份运行命令提示符）",
)
def install(global_location: bool) -> None:
    """通过 xlwings 安装 xlwings 加载项和 perfxl.xlam（“绩效”选项卡）。"""
    from perfxl.excel.addin import AddinError
    from perfxl.excel.addin import install as run_install

    try:
        run_install(global_location=global_location, echo=click.echo)
    except AddinError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)


@command.command("files")
def files() -> None:
    """显示 VBA 桥接模块与功能区 XML 所在位置（用于手动安装）。"""
    from perfxl.excel.addin import BRIDGE, RIBBON, AddinError, macros_dir

    try:
        folder = macros_dir()
    except AddinError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"VBA 模块：{folder / BRIDGE}")
    click.echo(f"功能区 XML：{folder / RIBBON}")
