"""`perfxl validate`: every finding of the engine and the rules, linter style or as JSON.

Text output is one line per finding, `path:Sheet!E12: PX104 message`, sorted by file and
then by cell, and a Chinese summary line. Inputs are only read, never written.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from perfxl.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    PROFILE_OPTION,
    loaded_on_first_use,
    profile_or_exit,
)
from perfxl.discovery import WORKBOOK_SUFFIXES, Unreadable, survey
from perfxl.findings import Finding, finding

if TYPE_CHECKING:
    from perfxl.validation import FileCheck


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, metavar="工作簿或文件夹...", type=click.Path())
@PROFILE_OPTION
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 逐条列出，json 供其他程序读取",
)
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="把标注了问题单元格、批注和“校验结果”工作表的副本写入此文件夹（原文件不改动）",
)
def command(
    paths: tuple[str, ...], profile: str | None, fmt: str, annotate_dir: str | None
) -> None:
    """校验自评表：逐条列出问题所在单元格、代码与说明（工作簿或文件夹，可多个）。"""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        click.echo(f"错误：路径不存在：{'、'.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    prof = profile_or_exit(profile)
    if annotate_dir is not None:
        _refuse_annotating_over_inputs(paths, annotate_dir)
    listing = survey(paths).listing()
    if annotate_dir is not None:  # earlier annotated copies are output, not input
        out = Path(annotate_dir).resolve()
        listing = [f for f in listing if not _path(f).resolve().is_relative_to(out)]
    if not listing:
        suffixes = "、".join(sorted(WORKBOOK_SUFFIXES))
        click.echo(f"错误：未找到任何工作簿（{suffixes}）", err=True)
        sys.exit(EXIT_USAGE)
    checks = _check_all(listing, prof)
    click.echo(to_json(checks) if fmt == "json" else to_text(checks))
    roots = [Path(p) for p in paths]
    if annotate_dir is not None and not write_annotated(checks, roots, Path(annotate_dir)):
        sys.exit(EXIT_USAGE)  # some copies asked for were not written
    sys.exit(EXIT_FINDINGS if any(c.errors for c in checks) else EXIT_OK)


def _refuse_annotating_over_inputs(paths: tuple[str, ...], annotate_dir: str) -> None:
    """The copies' folder may lie inside an input folder (its files are then skipped as
    output), but must not be an input, hold one, or be a link to one: copies would land
    on the inputs' own names."""
    out = os.path.realpath(annotate_dir)
    for given in paths:
        real = os.path.realpath(given)
        if real == out or real.startswith(out.rstrip(os.sep) + os.sep):
            click.echo(
                f"错误：标注副本文件夹 {annotate_dir} 就是输入 {given}、包含它或是指向它的链接，"
                "副本可能覆盖原文件；请另选一个不含输入文件的文件夹（例如输入文件夹中的“标注”子文件夹）",
                err=True,
            )
            sys.exit(EXIT_USAGE)


def _path(item: Path | Unreadable) -> Path:
    return item.path if isinstance(item, Unreadable) else item


def _check_all(listing: list[Path | Unreadable], profile) -> list[FileCheck]:
    """Every item checked in a worker process: a file that kills its reader (a native
    abort) is one rejected file (PX004), not the end of the command."""
    from functools import partial

    from perfxl.batch.isolate import CRASHED, isolated_map
    from perfxl.validation import FileCheck

    def crashed(item: Path | Unreadable) -> FileCheck:
        where = str(_path(item))
        detail = CRASHED
        return FileCheck(where, [], [finding("PX004", detail, where=where, path=where)])

    return isolated_map(partial(_check, profile=profile), listing, crashed)


def _check(item: Path | Unreadable, profile) -> FileCheck:
    """A workbook checked, or a path that cannot be read listed as rejected (PX001)."""
    from perfxl.validation import FileCheck

    if isinstance(item, Unreadable):
        where = str(item.path)
        return FileCheck(where, [], [finding("PX001", item.reason, where=where, path=where)])
    return sys.modules[__name__].check_file(item, profile)  # perhaps replaced by a test


def write_annotated(checks: list[FileCheck], roots: list[Path], outdir: Path) -> bool:
    """Annotated copies of every readable workbook; False when any could not be written.
    A failure is reported, never raised; the count printed is the copies on disk."""
    from perfxl.annotate import write_copies

    jobs = [
        (Path(c.path), ordered(c))
        for c in checks
        if not c.rejected and Path(c.path).suffix.lower() in WORKBOOK_SUFFIXES
    ]
    written, failures = write_copies(jobs, roots, outdir)
    for message in failures:
        click.echo(message, err=True)
    tail = f"，{len(failures)} 个未能写入（见上）" if failures else ""
    click.echo(f"已写入 {written} 个标注副本{tail}：{outdir.resolve()}", err=True)
    return not failures


def ordered(check: FileCheck) -> list[Finding]:
    """A file's findings in the one order (perfxl.findings.ordered): file-level first,
    then by sheet (in workbook order) and cell."""
    return check.all_findings


def line(path: str, finding: Finding) -> str:
    where = finding.location
    prefix = f"{path}:{where}" if where and where != path else path
    return f"{prefix}: {finding.code} {finding.message}"


def summary(checks: list[FileCheck]) -> dict[str, int]:
    return {
        "files": len(checks),
        "tables": sum(len(c.checks) for c in checks),  # 自评表 and 监控表
        "errors": sum(c.errors for c in checks),
        "warnings": sum(c.warnings for c in checks),
        "rejected": sum(1 for c in checks if c.rejected),
    }


def to_text(checks: list[FileCheck]) -> str:
    lines = [line(c.path, f) for c in checks for f in ordered(c)]
    s = summary(checks)
    lines.append(
        f"共校验 {s['files']} 个文件、{s['tables']} 张表：错误 {s['errors']} 个，"
        f"警告 {s['warnings']} 个，无法读取的文件 {s['rejected']} 个"
    )
    return "\n".join(lines)


def to_json(checks: list[FileCheck]) -> str:
    document: dict[str, Any] = {
        "files": [
            {
                "path": c.path,
                "findings": [f.to_dict() for f in c.findings],
                "tables": [
                    {
                        "sheet": t.result.table.sheet,
                        "kind": t.kind,
                        "project": t.result.table.project,
                        "findings": [f.to_dict() for f in t.findings],
                    }
                    for t in c.checks
                ],
            }
            for c in checks
        ],
        "summary": summary(checks),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


__getattr__ = loaded_on_first_use(__name__, {"check_file": "perfxl.validation"})
