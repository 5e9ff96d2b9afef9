"""`perfxl template`: build a standard self-evaluation workbook from a profile."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from xlsxwriter.exceptions import FileCreateError

from perfxl.commands.common import EXIT_USAGE, PROFILE_OPTION, profile_or_exit

FORMS = {"self": "自评表（预算执行率 + 产出/效益/满意度）", "eval": "评价表（决策/过程/产出/效益）"}


@click.command("template")
@PROFILE_OPTION
@click.option(
    "--form",
    type=click.Choice(sorted(FORMS)),
    default="self",
    show_default=True,
    help="self：自评表；eval：评价表",
)
@click.option(
    "--formulas",
    type=click.Choice(["plain", "udf"]),
    default="plain",
    show_default=True,
    help="plain：普通公式（WPS、LibreOffice 可用）；udf：调用 perfxl 的 PERF_* 函数",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    default=None,
    help="输出文件（默认按规则与表型命名）",
)
def command(profile: str | None, form: str, formulas: str, output: str | None) -> None:
    """按评分规则生成标准绩效自评表模板（.xlsx）。"""
    from perfxl.template import build_template

    prof = profile_or_exit(profile)
    path = (
        Path(output)
        if output
        else Path(f"绩效{'自评' if form == 'self' else '评价'}表_{prof.name}_{formulas}.xlsx")
    )
    try:
        written = build_template(prof, form=form, formulas=formulas, path=path)
    except (OSError, FileCreateError) as exc:
        click.echo(f"错误：模板无法写入 {path}（{exc}）", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"已生成{FORMS[form]}模板：{Path(written).resolve()}")
