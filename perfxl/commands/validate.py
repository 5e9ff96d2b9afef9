"""`perfxl validate`: every finding of the engine and the rules, linter style or as JSON.

Text output is one line per finding, `path:Sheet!E12: PX104 message`, sorted by file and
then by cell, and a Chinese summary line. Inputs are only read, never written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from perfxl.commands.common import (
    EXIT_FINDINGS,
    EXIT_OK,
    EXIT_USAGE,
    PROFILE_OPTION,
    profile_or_exit,
)
from perfxl.discovery import WORKBOOK_SUFFIXES, Unreadable, survey
from perfxl.findings import Finding, finding
from perfxl.validation import FileCheck, check_file


@click.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
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
    """校验自评表：逐条列出问题所在单元格、代码与说明（FILE 或 DIR，可多个）。"""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        click.echo(f"错误：路径不存在：{'、'.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    prof = profile_or_exit(profile)
    listing = survey(paths).listing()
    if annotate_dir is not None:  # earlier annotated copies are output, not input
        out = Path(annotate_dir).resolve()
        listing = [f for f in listing if not _path(f).resolve().is_relative_to(out)]
    if not listing:
        suffixes = "、".join(sorted(WORKBOOK_SUFFIXES))
        click.echo(f"错误：未找到任何工作簿（{suffixes}）", err=True)
        sys.exit(EXIT_USAGE)
    checks = [_check(item, prof) for item in listing]
    click.echo(to_json(checks) if fmt == "json" else to_text(checks))
    if annotate_dir is not None:
        write_annotated(checks, [Path(p) for p in paths], Path(annotate_dir))
    sys.exit(EXIT_FINDINGS if any(c.errors for c in checks) else EXIT_OK)


def _path(item: Path | Unreadable) -> Path:
    return item.path if isinstance(item, Unreadable) else item


def _check(item: Path | Unreadable, profile) -> FileCheck:
    """A workbook checked, or a path that cannot be read listed as rejected (PX001)."""
    if isinstance(item, Unreadable):
        where = str(item.path)
        return FileCheck(where, [], [finding("PX001", item.reason, where=where)])
    return check_file(item, profile)


def annotated_path(source: Path, roots: list[Path], outdir: Path) -> Path:
    """Where the annotated copy of `source` goes: its path below the folder given, if any."""
    for root in roots:
        if root.is_dir():
            try:
                return outdir / source.resolve().relative_to(root.resolve())
            except ValueError:
                continue
    return outdir / source.name


def write_annotated(checks: list[FileCheck], roots: list[Path], outdir: Path) -> None:
    """Annotated copies of every readable workbook; a failure is reported, never raised."""
    from perfxl.annotate import annotate_workbook

    written = 0
    used: set[Path] = set()
    for check in checks:
        source = Path(check.path)
        if check.rejected or source.suffix.lower() not in (".xlsx", ".xlsm"):
            continue
        target = annotated_path(source, roots, outdir)
        if target in used:  # two files given directly with one name: keep both copies
            target = target.with_name(f"{source.parent.name}_{target.name}")
        used.add(target)
        if target.resolve() == source.resolve():
            click.echo(f"跳过标注：副本会覆盖原文件 {source}，请换一个输出文件夹", err=True)
            continue
        try:
            annotate_workbook(source, target, ordered(check))
            written += 1
        except Exception as exc:  # one odd workbook must not stop the others
            click.echo(f"无法为 {source} 写标注副本：{exc}", err=True)
    click.echo(f"已写入 {written} 个标注副本：{outdir.resolve()}", err=True)


def ordered(check: FileCheck) -> list[Finding]:
    """A file's findings: file-level first, then by sheet (in workbook order) and cell."""
    sheets: dict[str, int] = {}
    for table in check.tables:
        sheets.setdefault(table.result.table.sheet, len(sheets))

    def key(finding: Finding) -> tuple:
        cell = finding.cell
        if cell is None:
            return (0, 0, 0, 0, finding.code)
        return (1, sheets.get(cell.sheet, len(sheets)), cell.row, cell.col, finding.code)

    return sorted(check.all_findings, key=key)


def line(path: str, finding: Finding) -> str:
    where = finding.location
    prefix = f"{path}:{where}" if where and where != path else path
    return f"{prefix}: {finding.code} {finding.message}"


def summary(checks: list[FileCheck]) -> dict[str, int]:
    return {
        "files": len(checks),
        "tables": sum(len(c.tables) for c in checks),
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
                        "project": t.result.table.project,
                        "findings": [f.to_dict() for f in t.findings],
                    }
                    for t in c.tables
                ],
            }
            for c in checks
        ],
        "summary": summary(checks),
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)
