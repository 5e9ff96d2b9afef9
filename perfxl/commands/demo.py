"""`perfxl demo`: the README's first command — consolidate the bundled example county.

The county lies in examples/county/ of a checkout; an installed perfxl without the
examples builds the same county (it is generated deterministically) into the output
folder first. The four seed projects are also scored on their own, each under the
profile its report applies, so the demo still shows the published figures; the county's
settings file (perfxl-county.toml) gives the summary the same per-folder profiles, so the
console and the summary agree (seed 002: 88.26 良 under xj-prop in both).
"""

from __future__ import annotations

from pathlib import Path

import click

import perfxl
from perfxl.commands.common import PROFILE_OPTION, profile_or_exit
from perfxl.commands.consolidate import run
from perfxl.commands.county import settings_or_exit

SUMMARY_NAME = "县级汇总.xlsx"


def county_folder(outdir: Path) -> Path:
    bundled = Path(perfxl.__file__).resolve().parents[1] / "examples" / "county"
    if bundled.is_dir():
        return bundled
    from perfxl.samples.county import build_county

    built = outdir / "示例县"
    click.echo(f"未找到随附的示例县，正在生成：{built}")
    build_county(built)
    return built


@click.command("demo")
@click.option(
    "--output",
    "-o",
    default="perfxl-demo",
    show_default=True,
    metavar="文件夹",
    help="县级汇总写入的文件夹",
)
@PROFILE_OPTION
def command(output: str, profile: str | None) -> None:
    """汇总随附的示例县（四份种子报告项目、约 20 个部门的自评表和 5 月绩效监控表，含若干有问题的文件），生成县级汇总（含监控汇总）、县级报告与一份项目自评报告草稿。"""
    import perfxl.api
    from perfxl.samples.county import SEED_PATHS
    from perfxl.samples.demo import SEED_PROFILES

    outdir = Path(output)
    county = county_folder(outdir)
    click.echo("种子报告项目（各按其报告的评价口径计算）：")
    for key, rel in sorted(SEED_PATHS.items()):
        result = perfxl.api.score_file(county / rel, profile_or_exit(SEED_PROFILES[key]))
        for t in result.tables:
            flag = f"（填报 {t.table.reported_total}）" if t.total_differs else ""
            click.echo(
                f"  {key} {t.table.project}  [{t.profile}]  总分 {t.total}{flag}  等级 {t.grade}"
            )
    settings = settings_or_exit([str(county)], None)
    prof = profile_or_exit(profile or (settings.default_profile if settings else None))
    rules = "".join(f"，{r.pattern} 按 {r.profile}" for r in (settings.folders if settings else ()))
    click.echo(f"\n汇总示例县 {county}（默认评分规则 {prof.name}{rules}）：")
    summary = outdir / SUMMARY_NAME
    result = run([str(county)], summary, prof, quiet=True, county=settings)
    click.echo(
        "示例中故意放入了空文件、改了扩展名的文本、损坏的 .xls、加密文件、损坏的压缩包、"
        "解压后过大的文件、没有指标表的工作簿和重复提交，它们都列在“文件清单”中并写明原因。"
    )
    click.echo(f"用 Excel、WPS 或 LibreOffice 打开查看：{summary.resolve()}")
    from perfxl.reports.cli import write_demo_reports

    write_demo_reports(result, county, outdir)
