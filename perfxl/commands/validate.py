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
from perfxl.discovery import WORKBOOK_SUFFIXES, discover
from perfxl.findings import Finding
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
def command(paths: tuple[str, ...], profile: str | None, fmt: str) -> None:
    """校验自评表：逐条列出问题所在单元格、代码与说明（FILE 或 DIR，可多个）。"""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        click.echo(f"错误：路径不存在：{'、'.join(missing)}", err=True)
        sys.exit(EXIT_USAGE)
    prof = profile_or_exit(profile)
    files = discover(paths)
    if not files:
        suffixes = "、".join(sorted(WORKBOOK_SUFFIXES))
        click.echo(f"错误：未找到任何工作簿（{suffixes}）", err=True)
        sys.exit(EXIT_USAGE)
    checks = [check_file(path, prof) for path in files]
    click.echo(to_json(checks) if fmt == "json" else to_text(checks))
    sys.exit(EXIT_FINDINGS if any(c.errors for c in checks) else EXIT_OK)


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
    return json.dumps(document, ensure_ascii=False, indent=2)
