"""`perfxl score`: score workbooks and print the Chinese table or the JSON contract."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfxl.commands.common import (
    PROFILE_OPTION,
    WorkbookFile,
    exit_code,
    loaded_on_first_use,
    profile_or_exit,
)
from perfxl.findings import finding
from perfxl.report import FileResult, to_json, to_text


@click.command("score")
@click.argument("files", nargs=-1, required=True, metavar="工作簿...", type=WorkbookFile("score"))
@PROFILE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 中文表格，json 供其他程序读取",
)
def command(files: tuple[str, ...], profile: str | None, fmt: str) -> None:
    """计算一个或多个自评表工作簿的得分、等级、执行率、完成率与偏差。

    要处理整个文件夹，请用 perfxl validate（逐条校验）或 perfxl consolidate（县级汇总）。
    """
    prof = profile_or_exit(profile)
    results = _score_all(list(files), prof)
    click.echo(to_json(results) if fmt == "json" else to_text(results))
    sys.exit(exit_code(results))


def _score_all(paths: list[str], profile) -> list[FileResult]:
    """Each file scored in a worker process (perfxl.batch.isolate): a file that kills its
    reader is one rejected file (PX004), and a FIFO or device is never opened (PX001)."""
    from functools import partial

    from perfxl.batch.isolate import CRASHED, isolated_map
    from perfxl.discovery import survey

    kinds = {str(u.path): u.reason for u in survey(paths).unreadable}

    def crashed(path: str) -> FileResult:
        detail = CRASHED
        return FileResult(path, [], [finding("PX004", detail, where=path, path=path)])

    readable = [p for p in paths if str(Path(p)) not in kinds]
    score_file = sys.modules[__name__].score_file  # perhaps replaced by a test
    results = isolated_map(partial(score_file, profile=profile), readable, crashed)
    scored = dict(zip(readable, results, strict=True))
    return [
        scored[p]
        if p in scored
        else FileResult(p, [], [finding("PX001", kinds[str(Path(p))], where=p, path=p)])
        for p in paths
    ]


__getattr__ = loaded_on_first_use(__name__, {"score_file": "perfxl.api"})
