"""`perfxl demo`: the bundled example, the README's first command."""

from __future__ import annotations

from pathlib import Path

import click

from perfxl.api import score_file
from perfxl.commands.common import profile_or_exit
from perfxl.report import to_text


@click.command("demo")
@click.option(
    "--output", "-o", default="perfxl-demo", show_default=True, help="示例工作簿写入的文件夹"
)
def command(output: str) -> None:
    """用随附的四份种子报告（000–003）生成自评表并逐一计算。"""
    from perfxl.samples.demo import write_seed_workbooks

    written = write_seed_workbooks(Path(output))
    results = []
    for path, profile_name in written:
        result = score_file(path, profile_or_exit(profile_name))
        results.append(result)
        click.echo(to_text([result]))
        click.echo("\n" + "=" * 100 + "\n")
    click.echo("汇总：")
    for result in results:
        for t in result.tables:
            flag = f"（填报 {t.table.reported_total}）" if t.total_differs else ""
            click.echo(f"  {result.path}  [{t.profile}]  总分 {t.total}{flag}  等级 {t.grade}")
    click.echo(f"示例工作簿已写入：{Path(output).resolve()}")
