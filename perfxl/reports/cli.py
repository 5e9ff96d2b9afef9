"""The county report's hook for `perfxl consolidate --report` and `perfxl demo`: the
checks made before a run (so a wrong name fails before minutes of consolidating) and
the write after it, each one Chinese line, exit code 2 when the report is not written."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfxl.i18n import os_error

EXIT_USAGE = 2


def check_report_path(report: str | None, force: bool) -> None:
    if report is None:
        return
    path = Path(report)
    if not report.lower().endswith(".docx"):
        click.echo(f"错误：县级报告须以 .docx 结尾：{report}", err=True)
        sys.exit(EXIT_USAGE)
    if (path.exists() or path.is_symlink()) and not force:
        click.echo(
            f"错误：县级报告“{report}”已存在（可能已经编辑过）；如需覆盖，请加 --force", err=True
        )
        sys.exit(EXIT_USAGE)


def write_county(result, report: str | Path, force: bool = False) -> Path | None:
    """Write the county report of `result`; None (and a Chinese line) when it cannot be."""
    from perfxl.reports.county import build_county_report
    from perfxl.reports.document import ReportExists, write_document

    try:
        written = write_document(build_county_report(result), report, force=force)
    except ReportExists as exc:
        click.echo(f"错误：{exc}", err=True)
        return None
    except OSError as exc:
        click.echo(f"错误：无法写入县级报告 {report}：{os_error(exc, named=False)}", err=True)
        return None
    click.echo(f"县级报告草稿已写入：{written.resolve()}（标有【请填写】处须由县财政局填写）")
    return written


COUNTY_REPORT_NAME = "县级报告.docx"
DEMO_PROJECT = "003"  # seed 003, scored under xj-60 as its report was


def write_demo_reports(result, county: Path, outdir: Path) -> None:
    """`perfxl demo`: the county report and seed 003's project report beside the summary
    (the demo's own output folder, so a rerun replaces them)."""
    from perfxl.api import score_file
    from perfxl.reports.document import write_document
    from perfxl.reports.project import build_project_report
    from perfxl.samples.county import SEED_PATHS
    from perfxl.samples.demo import SEED_PROFILES

    write_county(result, outdir / COUNTY_REPORT_NAME, force=True)
    scored = score_file(county / SEED_PATHS[DEMO_PROJECT], SEED_PROFILES[DEMO_PROJECT])
    for table in scored.tables[:1]:
        name = f"{table.table.project or '种子项目'}自评报告.docx"
        try:
            written = write_document(build_project_report(table), outdir / name, force=True)
        except OSError as exc:
            click.echo(f"错误：无法写入项目自评报告 {outdir / name}：{os_error(exc, named=False)}")
            continue
        click.echo(f"项目自评报告草稿（种子 {DEMO_PROJECT}，{table.profile}）：{written.resolve()}")
