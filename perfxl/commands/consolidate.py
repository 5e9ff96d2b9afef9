"""`perfxl consolidate`: the nightly county summary from folders of unit workbooks."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import click

from perfxl.batch.ledger import DEFAULT_MAX_FINDINGS, PAYLOAD_FINDINGS
from perfxl.commands.common import EXIT_USAGE, PROFILE_OPTION, Bounded, profile_or_exit
from perfxl.i18n import os_error

DEFAULT_OUTPUT = "县级汇总.xlsx"
MAX_JOBS = 256
MAX_TIMEOUT = 86400  # a day: a longer per-file limit is no limit, and setitimer overflows


@click.command("consolidate")
@click.argument(
    "folders", nargs=-1, required=True, metavar="文件夹...", type=click.Path(exists=True)
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False), default=DEFAULT_OUTPUT,
    show_default=True, help="汇总工作簿（.xlsx）；缓存与锁文件放在同一文件夹",
)  # fmt: skip
@PROFILE_OPTION
@click.option(
    "--jobs", "-j", type=Bounded(1, MAX_JOBS, integer=True), default=None,
    help=f"并行进程数（默认等于 CPU 核数，最多 {MAX_JOBS}）",
)  # fmt: skip
@click.option("--full", is_flag=True, help="忽略缓存，重新读取全部文件")
@click.option(
    "--schedule", type=Bounded(0, 100, "（%）"), default=100.0, show_default=True,
    help="序时进度（%）：预算执行率低于它的项目计为执行滞后；5 月、8 月监控时可填 41.67、66.67",
)  # fmt: skip
@click.option(
    "--timeout", type=Bounded(0, MAX_TIMEOUT, " 秒"), default=60.0, show_default=True,
    help=f"单个文件的处理时限（秒，最多 {MAX_TIMEOUT}），超时的文件拒收并写明原因；0 表示不限",
)  # fmt: skip
@click.option(
    "--max-findings", type=Bounded(0, PAYLOAD_FINDINGS, integer=True),
    default=DEFAULT_MAX_FINDINGS, show_default=True,
    help="问题清单中每个文件最多列出的问题条数，其余只计数（错误、警告总数不受影响）",
)  # fmt: skip
@click.option(
    "--settings", type=click.Path(dir_okay=False), default=None,
    help="县级设置文件（默认读取第一个文件夹最上层的 perfxl-county.toml，没有则按默认设置）",
)  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="只输出结果和警告，不显示进度")
@click.option(
    "--report", default=None, metavar="县级报告.docx", help="同时生成县级报告草稿（Word 文档）"
)
@click.option("--force", is_flag=True, help="县级报告已存在时覆盖它（默认不覆盖）")
def command(
    folders: tuple[str, ...],
    output: str,
    profile: str | None,
    jobs: int | None,
    full: bool,
    schedule: float,
    timeout: float,
    max_findings: int,
    settings: str | None,
    quiet: bool,
    report: str | None = None,
    force: bool = False,
) -> None:
    """汇总文件夹中全部单位自评表（.xlsx/.xlsm/.xls/.xlsb/.ods），生成县级汇总工作簿。

    退出码：0 全部文件已处理且无错误；1 汇总已生成，但有文件被拒收或存在错误；2 汇总没有生成
    （参数错误、没有找到任何工作簿、另一任务正在写同一汇总、汇总文件无法写入、程序出错）。
    """
    from perfxl.commands.county import settings_or_exit

    if report is not None:  # perfxl.reports loads python-docx: only for a report
        from perfxl.reports.cli import check_report_path

        check_report_path(report, force)
    county = settings_or_exit(list(folders), settings)
    prof = profile_or_exit(profile or (county.default_profile if county else None))
    if not output.lower().endswith(".xlsx"):
        click.echo(f"错误：汇总文件须以 .xlsx 结尾：{output}", err=True)
        sys.exit(EXIT_USAGE)
    result = run(list(folders), Path(output), prof, jobs=jobs, full=full,
                 schedule=Decimal(str(schedule)) / 100, timeout=timeout,
                 max_findings=max_findings, quiet=quiet, county=county)  # fmt: skip
    if report is not None:
        from perfxl.reports.cli import write_county

        if write_county(result, report, force) is None:
            sys.exit(EXIT_USAGE)
    sys.exit(result.exit_code)


def run(folders, output: Path, profile, *, quiet: bool = False, **options):
    """Consolidate and print the outcome; exits 2 when the run itself cannot happen."""
    from perfxl.batch import LockHeld, NoInput, OutputRefused, Reporter, consolidate

    reporter = Reporter(quiet=quiet)
    try:
        result = consolidate(folders, output, profile, reporter=reporter, **options)
    except (LockHeld, NoInput, OutputRefused) as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)
    except Exception as exc:
        if not _write_error(exc):
            raise
        click.echo(f"错误：{_write_failure(exc, output)}", err=True)
        sys.exit(EXIT_USAGE)
    echo_outcome(result, output)
    return result


def _write_error(exc: Exception) -> bool:
    """An OSError, or XlsxWriter's FileCreateError (looked up only where XlsxWriter was
    loaded: a warm run that keeps the summary never loads it)."""
    if isinstance(exc, OSError):
        return True
    xlsx = sys.modules.get("xlsxwriter.exceptions")
    return xlsx is not None and isinstance(exc, xlsx.FileCreateError)


def _write_failure(exc: Exception, output: Path) -> str:
    """One Chinese line for an output that could not be written.

    XlsxWriter wraps the OSError of its final write (a full disk, a vanished share) in
    FileCreateError, which is no OSError; its first argument is the original error.
    """
    from perfxl.batch.names import display

    cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else exc
    where = getattr(cause, "filename", None)
    if not isinstance(where, str) or Path(where).name.startswith(f".{output.name}."):
        where = output  # the temporary file beside it means nothing to the operator
    # perfxl.i18n: in Chinese, with the hint (open in Excel, disk full) for the errno
    detail = os_error(cause, named=False) if isinstance(cause, OSError) else cause
    return f"无法写入汇总文件 {display(str(where))}：{display(str(detail))}。原有汇总文件未改动"


def echo_outcome(result, output: Path) -> None:
    from perfxl.batch.names import display

    counted = sum(1 for p in result.projects if p.counted)
    click.echo(
        f"文件 {len(result.files)} 个：已处理 {len(result.files) - len(result.rejected)}，"
        f"已拒收 {len(result.rejected)}；项目 {counted} 个；"
        f"错误 {result.error_count} 项，警告 {result.warning_count} 项"
    )
    click.echo(
        f"本次读取 {result.parsed} 个文件，沿用缓存 {result.reused} 个，用时 {result.elapsed:.1f} 秒"
    )
    if result.county is not None and result.county.source:
        click.echo(f"县级设置：{display(result.county.source)}")
    used: dict[str, int] = {}
    for project in result.projects:
        if project.counted:  # the same projects as the 项目 count above
            used[project.profile] = used.get(project.profile, 0) + 1
    if len(used) > 1:
        parts = "，".join(f"{name} {n} 个" for name, n in sorted(used.items()))
        click.echo(f"评分规则（按文件夹）：{parts}项目")
    from perfxl.summary.aggregate import missing_units

    missing = missing_units(result)
    if missing:
        click.echo(f"未报送单位 {len(missing)} 个：{'、'.join(missing)}")
    if result.monitored:  # 双监控 rounds (the module loads the summary writer: only then)
        from perfxl.summary.monitoring import console_lines

        for line in console_lines(result):
            click.echo(line)
    for entry in result.rejected:
        click.echo(f"  拒收：{entry.path}：{entry.reason}")
    state = "已写入" if result.written else "输入未变化，沿用"
    click.echo(f"县级汇总{state}：{display(str(output.resolve()))}")
