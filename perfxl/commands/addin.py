"""`perfxl addin`: the 绩效 ribbon and the PERF_* functions as one Excel add-in (Windows)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfxl.commands.common import EXIT_USAGE


@click.group("addin")
def command() -> None:
    """Excel 加载项 perfxl.xlam：“绩效”功能区与 PERF_* 函数（需要 Windows 版 Excel）。"""


@command.command("install")
@click.option(
    "--global",
    "global_location",
    is_flag=True,
    help="为本机所有用户安装（需以管理员身份运行命令提示符）",
)
def install(global_location: bool) -> None:
    """生成 perfxl.xlam（功能区与 PERF_* 函数在同一个加载项中）并安装到 Excel 启动文件夹。"""
    from perfxl.excel.addin import AddinError
    from perfxl.excel.addin import install as run_install

    try:
        run_install(global_location=global_location, echo=click.echo)
    except AddinError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)


@command.command("build")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("perfxl.xlam"),
    show_default=True,
    help="加载项文件的保存位置",
)
def build(output: Path) -> None:
    """只生成 perfxl.xlam 文件（功能区与设置表），VBA 需在 Excel 中手动完成，见 docs/excel.md。"""
    from perfxl.excel.addin import AddinError
    from perfxl.excel.addin import build as run_build

    if output.suffix.lower() != ".xlam":
        click.echo(f"错误：加载项文件名应以 .xlam 结尾：{output}", err=True)
        sys.exit(EXIT_USAGE)
    if output.exists():
        click.echo(f"错误：{output} 已存在，请先删除或换一个文件名。", err=True)
        sys.exit(EXIT_USAGE)
    on_windows = sys.platform.startswith("win")
    try:  # off Windows this Python is no interpreter for Excel: leave Interpreter_Win empty
        run_build(output, interpreter=sys.executable if on_windows else "")
    except AddinError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"已生成 {output}（VBA 尚未完成：在 Excel 中按 docs/excel.md 第 5 节操作）。")
    if not on_windows:
        click.echo(
            "注意：本机不是 Windows，设置表 perfxl.conf 中的 Interpreter_Win 留空"
            "（Excel 将使用 PATH 中的 python），请在 Windows 电脑上填写装有 perfxl 的 python.exe 路径。"
        )


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
