"""The `perfxl` command: a thin shell over perfxl.api.

Exit codes follow the shared contract: 0 no errors, 1 errors found in the input,
2 the command itself could not run (bad arguments, unreadable profile).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from perfxl import __version__
from perfxl.api import score_file
from perfxl.findings import Severity
from perfxl.profiles import ProfileError, available_profiles, load_profile
from perfxl.report import FileResult, to_json, to_text

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _exit_code(files: list[FileResult]) -> int:
    for f in files:
        if any(x.severity == Severity.ERROR for x in f.findings):
            return EXIT_FINDINGS
        if any(t.error_count for t in f.tables):
            return EXIT_FINDINGS
    return EXIT_OK


def _profile(name: str | None):
    try:
        return load_profile(name)
    except ProfileError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_USAGE)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="perfxl")
def main() -> None:
    """perfxl：项目支出绩效自评表的计算与校验工具。"""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--profile", "-p", default=None, help="评分规则名称或 .toml 文件路径（默认 mof2020）")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def score(files: tuple[str, ...], profile: str | None, fmt: str) -> None:
    """计算一个或多个自评表工作簿的得分、等级、执行率、完成率与偏差。"""
    prof = _profile(profile)
    results = [score_file(path, prof) for path in files]
    click.echo(to_json(results) if fmt == "json" else to_text(results))
    sys.exit(_exit_code(results))


@main.command()
def profiles() -> None:
    """列出内置的评分规则。"""
    for name in available_profiles():
        prof = load_profile(name)
        click.echo(f"{name:10s} {prof.title}")


@main.command()
@click.option(
    "--output", "-o", default="perfxl-demo", show_default=True, help="示例工作簿写入的文件夹"
)
def demo(output: str) -> None:
    """用随附的四份种子报告（000–003）生成自评表并逐一计算。"""
    from perfxl.samples.demo import write_seed_workbooks

    written = write_seed_workbooks(Path(output))
    results = []
    for path, profile_name in written:
        result = score_file(path, _profile(profile_name))
        results.append(result)
        click.echo(to_text([result]))
        click.echo("\n" + "=" * 100 + "\n")
    click.echo("汇总：")
    for result in results:
        for t in result.tables:
            flag = f"（填报 {t.table.reported_total}）" if t.total_differs else ""
            click.echo(f"  {result.path}  [{t.profile}]  总分 {t.total}{flag}  等级 {t.grade}")
    click.echo(f"示例工作簿已写入：{Path(output).resolve()}")


if __name__ == "__main__":  # pragma: no cover
    main()
