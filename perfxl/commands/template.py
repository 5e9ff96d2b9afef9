"""`perfxl template`: build a standard self-evaluation workbook from a profile.

The workbook is built in a private folder (mkdtemp: unpredictable, ours alone) beside
the destination and renamed into place, so no link planted at a guessable name is ever
written through; a link at the destination is replaced, not followed. An existing file
that is not a template perfxl wrote (a table someone filled in) is never replaced.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

import click

from perfxl.commands.common import EXIT_USAGE, PROFILE_OPTION, profile_or_exit
from perfxl.i18n import os_error

FORMS = {
    "self": "自评表（预算执行率 + 产出/效益/满意度）",
    "eval": "评价表（决策/过程/产出/效益）",
    "monitor": "绩效目标执行监控表（序时进度、执行率与红黄绿蓝灯）",
}
TITLES = {"self": "绩效自评表", "eval": "绩效评价表", "monitor": "绩效监控表"}
TEMPLATE_MARKER = "<dc:description>perfxl template"  # in every template's core.xml
SUFFIXES = (".xlsx", ".xlsm")  # what the reader takes; .xls would be written, then rejected


@click.command("template")
@PROFILE_OPTION
@click.option(
    "--form",
    type=click.Choice(sorted(FORMS)),
    default="self",
    show_default=True,
    help="self：自评表；eval：评价表；monitor：绩效目标执行监控表（双监控）",
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
    help="输出文件（默认按规则与表型命名）；已有的、不是 perfxl 生成的模板的文件不会被覆盖",
)
@click.option("--force", is_flag=True, help="覆盖已有的 perfxl 空白模板（已填写的自评表仍不覆盖）")
def command(profile: str | None, form: str, formulas: str, output: str | None, force: bool) -> None:
    """按评分规则生成标准绩效自评表、评价表或绩效目标执行监控表模板（.xlsx）。"""
    from perfxl.batch.atomic import made_by_perfxl

    prof = profile_or_exit(profile)
    path = Path(output) if output else Path(f"{TITLES[form]}_{prof.name}_{formulas}.xlsx")
    if path.suffix.lower() not in SUFFIXES:
        click.echo(
            f"错误：模板只能保存为 .xlsx 或 .xlsm 工作簿，不能保存为“{path.suffix or '无扩展名'}”"
            f"（{path.name}）：模板的下拉列表、公式和保护只有这两种格式能保存；请换用 .xlsx 结尾的文件名",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    occupied = _occupied(path)
    if occupied and not made_by_perfxl(path, TEMPLATE_MARKER):
        click.echo(
            f"错误：{path} 已存在，且不是 perfxl 生成的空白模板（可能是已填写的自评表），拒绝覆盖；"
            "请换一个文件名",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    if occupied and not force:
        click.echo(
            f"错误：{path} 已存在（perfxl 生成的空白模板），未覆盖；确需重新生成请加 --force，"
            "或用 -o 另指定文件名",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    from xlsxwriter.exceptions import FileCreateError  # loaded by the command that writes

    try:
        written = build_safely(prof, form, formulas, path)
    except (OSError, FileCreateError) as exc:
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc
        reason = os_error(cause) if isinstance(cause, OSError) else cause
        click.echo(f"错误：模板无法写入 {path}（{reason}）", err=True)
        sys.exit(EXIT_USAGE)
    click.echo(f"已生成{FORMS[form]}模板：{Path(written).resolve()}")


def _occupied(path: Path) -> bool:
    """True when something other than a link sits at `path` (a link is replaced)."""
    try:
        return not stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def build_safely(profile, form: str, formulas: str, path: Path) -> Path:
    from perfxl.template import build_template

    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    private = tempfile.mkdtemp(prefix=".perfxl-template-", dir=folder)
    try:
        built = build_template(profile, form=form, formulas=formulas, path=Path(private) / "t.xlsx")
        if path.suffix.lower() == ".xlsm":
            built = _macro_enabled(Path(built))
        os.chmod(built, 0o666 & ~_umask())
        os.replace(built, path)
    finally:
        shutil.rmtree(private, ignore_errors=True)
    return path


def _macro_enabled(built: Path) -> Path:
    """The same workbook with its workbook part typed as macro-enabled: Excel refuses an
    .xlsm typed as plain .xlsx. No VBA project is added (Excel itself writes an .xlsm
    without macros this way). Rewritten beside `built`, in the private folder."""
    import zipfile

    from openpyxl.xml.constants import ARC_CONTENT_TYPES, XLSM, XLSX

    target = built.with_suffix(".xlsm")
    with (
        zipfile.ZipFile(built) as source,
        zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == ARC_CONTENT_TYPES:
                data = data.replace(XLSX.encode(), XLSM.encode())
            out.writestr(info, data)
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
