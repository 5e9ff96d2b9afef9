"""`perfxl rollup`: the prefecture summary from the counties' summaries (issue 13 item 5)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import click

from perfxl.commands.common import EXIT_USAGE

DEFAULT_OUTPUT = "州级汇总.xlsx"


@click.command("rollup")
@click.argument("summaries", nargs=-1, required=True, metavar="县级汇总.xlsx...")
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=DEFAULT_OUTPUT,
    show_default=True, help="州级汇总工作簿（.xlsx）",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="只输出结果，不逐个列出读入的县")
def command(summaries: tuple[str, ...], output: str, quiet: bool) -> None:
    """汇总各县 perfxl consolidate 生成的县级汇总，生成州级汇总工作簿。

    只读取 perfxl 生成的县级汇总，其他文件列入“未纳入文件”并说明原因。

    退出码：0 全部文件已汇总；1 州级汇总已生成，但有文件未纳入；2 没有生成（参数错误、
    没有一个可读的县级汇总、输出文件不是 perfxl 生成的州级汇总、无法写入）。
    """
    from perfxl.batch.atomic import made_by_perfxl
    from perfxl.batch.names import display
    from perfxl.i18n import os_error
    from perfxl.rollup import ROLLUP_TITLE, rollup
    from perfxl.rollup.write import write_rollup

    target = Path(os.path.abspath(output))
    if not output.lower().endswith(".xlsx"):
        _fail(f"州级汇总文件须以 .xlsx 结尾：{output}")
    if any(os.path.abspath(s) == str(target) for s in summaries):
        _fail(f"州级汇总文件 {output} 同时是输入的县级汇总，请用 -o 另指定一个文件")
    if _occupied(target) and not made_by_perfxl(
        target, f"<dc:title>{ROLLUP_TITLE}</dc:title>", untouched=False
    ):
        _fail(
            f"{display(output)} 已存在，但不是 perfxl 生成的州级汇总，拒绝覆盖；请用 -o 另指定一个文件"
        )

    def report(county) -> None:
        if not quiet:
            projects = sum(1 for p in county.projects if p["counted"])
            click.echo(f"  读入：{display(county.path)}（{county.name}，{projects} 个项目）")

    result = rollup(list(summaries), shown=display, progress=report)
    for name, reason in result.refused:
        click.echo(f"  未纳入：{name}：{reason}", err=True)
    if not result.counties:
        _fail("没有可以汇总的县级汇总，州级汇总没有生成")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        write_rollup(result, target)
    except OSError as exc:
        _fail(f"无法写入州级汇总 {display(output)}：{os_error(exc, named=False)}")
    projects = sum(1 for c in result.counties for p in c.projects if p["counted"])
    click.echo(
        f"县（市、区）{len(result.counties)} 个，项目 {projects} 个；未纳入文件 {len(result.refused)} 个"
    )
    click.echo(f"州级汇总已写入：{display(str(target))}")
    sys.exit(result.exit_code)


def _occupied(path: Path) -> bool:
    """An existing name that is not a link (a link is replaced by the rename, as always)."""
    try:
        return not stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


def _fail(message: str) -> None:
    click.echo(f"错误：{message}", err=True)
    sys.exit(EXIT_USAGE)
