"""`perfxl score`: score workbooks and print the Chinese table or the JSON contract."""

from __future__ import annotations

import sys

import click

from perfxl.api import score_file
from perfxl.commands.common import PROFILE_OPTION, exit_code, profile_or_exit
from perfxl.report import to_json, to_text


@click.command("score")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@PROFILE_OPTION
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def command(files: tuple[str, ...], profile: str | None, fmt: str) -> None:
    """计算一个或多个自评表工作簿的得分、等级、执行率、完成率与偏差。"""
    prof = profile_or_exit(profile)
    results = [score_file(path, prof) for path in files]
    click.echo(to_json(results) if fmt == "json" else to_text(results))
    sys.exit(exit_code(results))
