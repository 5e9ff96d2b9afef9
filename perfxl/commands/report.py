"""`perfxl report`: the project's 自评报告 draft (.docx) from one workbook."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from perfxl.commands.common import (
    EXIT_FINDINGS,
    EXIT_USAGE,
    PROFILE_OPTION,
    WorkbookFile,
    exit_code,
    profile_or_exit,
)
from perfxl.i18n import os_error

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_NAME = 60  # characters of the project name kept in the default file name


def default_output(workbook: str, project: str | None) -> Path:
    """<项目名称>自评报告.docx beside the workbook (the workbook's name when the table has
    no project name); characters no file system takes become “_”."""
    stem = _UNSAFE.sub("_", (project or "").strip())[:MAX_NAME].strip(" .") or Path(workbook).stem
    return Path(workbook).parent / f"{stem}自评报告.docx"


@click.command("report")
@click.argument("file", metavar="工作簿", type=WorkbookFile("report"))
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=None, metavar="报告.docx",
    help="报告文件（.docx）；默认在工作簿所在文件夹写“<项目名称>自评报告.docx”",
)  # fmt: skip
@PROFILE_OPTION
@click.option(
    "--sheet", default=None, metavar="工作表", help="工作簿有多张指标表时，指定工作表名称"
)
@click.option("--force", is_flag=True, help="报告文件已存在时覆盖它（默认不覆盖）")
def command(
    file: str, output: str | None, profile: str | None, sheet: str | None, force: bool
) -> None:
    """根据自评表生成项目支出绩效自评报告草稿（Word 文档）。

    \b
    报告按新疆自评报告提纲（一、基本情况 …… 八、其他需要说明的问题）编写：
    资金、执行率、总分、等级、各一级指标得分率、各指标完成率与得分、偏差均取自 perfxl 的计算结果；
    需要单位自行撰写的内容标为【请填写：……】。
    默认输出：工作簿所在文件夹中的“<项目名称>自评报告.docx”；已存在时不覆盖，除非加 --force。

    \b
    退出码：0 报告已生成；1 报告已生成但自评表有错误，或工作簿无法读取、没有指标表（未生成）；
    2 报告没有生成（参数错误、文件已存在且未加 --force、无法写入）。
    """
    from perfxl.commands.score import _score_all
    from perfxl.reports import ReportExists, write_document
    from perfxl.reports.project import build_project_report

    prof = profile_or_exit(profile)
    if output is not None and not output.lower().endswith(".docx"):
        click.echo(f"错误：报告文件须以 .docx 结尾：{output}", err=True)
        sys.exit(EXIT_USAGE)
    [scored] = _score_all([file], prof)
    if not scored.tables:
        reasons = "；".join(f.message for f in scored.findings) or "未找到绩效指标表"
        click.echo(f"错误：{file}：{reasons}。未生成报告", err=True)
        sys.exit(EXIT_FINDINGS)
    tables = scored.tables
    if sheet is not None:
        tables = [t for t in tables if t.table.sheet == sheet]
        if not tables:
            names = "、".join(t.table.sheet for t in scored.tables)
            click.echo(f"错误：没有名为“{sheet}”的指标表；可选：{names}", err=True)
            sys.exit(EXIT_USAGE)
    result = tables[0]
    if len(scored.tables) > 1 and sheet is None:
        click.echo(
            f"工作簿中有 {len(scored.tables)} 张指标表，本次为第一张“{result.table.sheet}”"
            "生成报告；其他表请用 --sheet 指定",
            err=True,
        )
    target = Path(output) if output else default_output(file, result.table.project)
    try:
        written = write_document(build_project_report(result), target, force=force)
    except ReportExists as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)
    except OSError as exc:
        click.echo(f"错误：无法写入报告 {target}：{os_error(exc, named=False)}", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(
        f"自评报告草稿已写入：{written.resolve()}（总分 {result.total}，等级 {result.grade}；"
        "标有【请填写】处须由单位填写）"
    )
    sys.exit(exit_code([scored]))
