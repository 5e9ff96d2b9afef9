"""The 绩效 ribbon tab: one dispatcher for every button, called from VBA.

macros/customUI14.xml gives every button the same onAction, the VBA Sub PerfxlRibbon
in macros/perfxl.bas, which only passes the button's id on:

    RunPython "import perfxl.excel.ribbon as r; r.handle('perfxl.validate')"

so a new button is a line of XML and an entry in HANDLERS, never new VBA. Handlers
work on the sheet interface (perfxl.excel.sheet.Book): in Excel an XlwingsBook over the
active workbook, in the tests an OpenpyxlBook. Nothing here computes a rate or a
score: tables are read by perfxl.reader and checked by perfxl.validation, the same
entry point `perfxl validate` uses, so both report the same findings.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from perfxl import __version__
from perfxl.excel.protection import STRUCTURE_LOCKED, locked_message
from perfxl.excel.sheet import (
    MARKS_SHEET,
    META_SHEETS,
    SEVERITY_ZH,
    Book,
    XlwingsBook,
    clear_marks,
    mark,
    results_sheet_name,
    workbook_profile,
    write_results,
)
from perfxl.excel.sheet import clear as undo_marks
from perfxl.findings import Severity, counts
from perfxl.profiles import DEFAULT_PROFILE, Profile, ProfileError, load_profile


def _profile(book: Book) -> tuple[Profile, str]:
    """The profile the workbook's template recorded, else mof2020; plus a note when the
    recorded one cannot be used."""
    name = workbook_profile(book)
    if name:
        try:
            return load_profile(name), ""
        except ProfileError as exc:
            note = f"工作簿记录的评分规则无法使用（{exc}），已改用 {DEFAULT_PROFILE}。\n"
            return load_profile(DEFAULT_PROFILE), note
    return load_profile(DEFAULT_PROFILE), ""


def validate_sheet(book: Book) -> None:
    """校验本表: check the active sheet (自评表 and 监控表 alike), mark its problem cells,
    list them in 校验结果."""
    from perfxl.validation import check_sheet

    sheet = book.active_sheet()
    if sheet in (MARKS_SHEET, results_sheet_name(book, existing=True)):
        book.message("请先切换到要校验的自评表或监控表工作表，再点击“校验本表”。")
        return
    if book.structure_locked():
        book.message(STRUCTURE_LOCKED.format(action="校验和标记"))
        return
    profile, note = _profile(book)
    grid = book.grid(sheet)
    checks = check_sheet(grid, profile)
    if not checks:
        clear_marks(book)
        book.activate(sheet)
        book.message(
            f"{note}工作表“{sheet}”中未找到绩效指标表（自评表需要含“三级指标、年度指标值、"
            "实际完成值、分值”的表头行；监控表需要含“三级指标、年度指标值”和“1-N月实际完成值”或“完成目标可能性”的表头行）。"
        )
        return
    if any(check.kind == "monitoring" for check in checks):
        # PX119: the approved targets must match the workbook's 自评表 on other sheets,
        # as `perfxl validate` compares them across the file
        year_end = _year_end_tables(book, sheet)
        if year_end:
            checks = check_sheet(grid, profile, year_end)
    findings = [f for check in checks for f in check.findings]
    marked = mark(book, findings)
    results = write_results(book, findings)
    book.activate(sheet)
    text = note + summary(sheet, profile.name, checks, results)
    if marked.locked:
        text += "\n" + locked_message(marked.locked, "标色和加批注")
    book.message(text)


def _year_end_tables(book: Book, sheet: str) -> tuple:
    """The 自评表 on the workbook's other sheets (perfxl's own sheets skipped)."""
    from perfxl.reader import read_sheet

    own = {MARKS_SHEET, results_sheet_name(book, existing=True), *META_SHEETS}
    others = [name for name in book.sheet_names() if name != sheet and name not in own]
    return tuple(t for name in others for t in read_sheet(book.grid(name))[0])


def summary(sheet: str, profile: str, checks: list, results: str) -> str:
    """The message box text after 校验本表 (figures from the engine, none computed here)."""
    findings = [f for check in checks for f in check.findings]
    tally = dict(zip(Severity, counts(findings), strict=True))  # errors, warnings, infos
    lines = [f"工作表“{sheet}”校验完成（评分规则 {profile}）。"]
    for check in checks:
        result = check.result
        project = result.table.project or "（未填项目名称）"
        if check.kind == "monitoring":
            lines.append(f"{project}：{monitoring_line(result)}")
        else:
            lines.append(f"{project}：重新计算总分 {result.total}，等级 {result.grade}")
    if findings:
        parts = "，".join(f"{SEVERITY_ZH[s]} {n} 条" for s, n in tally.items() if n)
        lines.append(f"发现问题：{parts}。问题单元格已标色并加批注，清单见“{results}”工作表。")
    else:
        lines.append("未发现问题。")
    return "\n".join(lines)


def monitoring_line(result) -> str:
    """A monitoring table in one line: month, 执行率 against 序时进度, the lights in words."""
    from perfxl.report import light_words, pct

    month = "未填" if result.month is None else f"{result.month} 月"
    return (
        f"监控月份 {month}，执行率 {pct(result.execution_rate)}（序时进度 "
        f"{pct(result.time_progress)}），预算执行{light_words(result.execution_light)}，"
        f"项目预警{light_words(result.light)}"
    )


def clear(book: Book) -> None:
    """清除标记: undo perfxl's fills and comments and remove its 校验结果 sheet."""
    if book.structure_locked():
        book.message(STRUCTURE_LOCKED.format(action="清除标记"))
        return
    sheet = book.active_sheet()
    cleared = undo_marks(book)
    if sheet in book.sheet_names():
        book.activate(sheet)
    restored = cleared.restored
    text = f"已清除 perfxl 标记的 {restored} 个单元格。" if restored else "没有 perfxl 的标记。"
    if cleared.locked:
        text += "\n" + locked_message(cleared.locked, "清除标记")
    book.message(text)


def recalculate(book: Book) -> None:
    """重新计算: recalculate the workbook (PERF_* functions included)."""
    book.calculate()


def new_form(book: Book) -> None:
    """新建自评表: build a standard form with the workbook's profile and open it."""
    from perfxl.template import build_template

    profile, note = _profile(book)
    folder = book.folder() or _documents()
    path = _free_path(folder / f"绩效自评表_{profile.name}.xlsx")
    written = Path(build_template(profile, form="self", formulas="plain", path=path))
    book.open(written)
    if note:
        book.message(note)


def about(book: Book) -> None:
    """关于: version and where the rules come from."""
    profile, note = _profile(book)
    book.message(
        f"{note}perfxl {__version__}\n项目支出绩效自评表的计算与校验工具。\n"
        f"本工作簿使用的评分规则：{profile.name}（{profile.title}）\n"
        "按钮：校验本表、清除标记、重新计算、新建自评表。"
    )


HANDLERS: dict[str, Callable[[Book], None]] = {
    "perfxl.validate": validate_sheet,
    "perfxl.clear": clear,
    "perfxl.recalc": recalculate,
    "perfxl.new": new_form,
    "perfxl.about": about,
}


def handle(control_id: str, book: Book | None = None) -> None:
    """Run the handler of a ribbon button; `book` defaults to Excel's active workbook.

    Errors reach the user as a short Chinese message box, not a Python traceback."""
    if book is None:
        book = XlwingsBook.active()
    handler = HANDLERS.get(control_id)
    if handler is None:
        book.message(f"未知的按钮：{control_id}（请更新 perfxl 加载项）")
        return
    try:
        handler(book)
    except Exception as exc:  # the user must see what went wrong, in Chinese
        book.message(f"操作未完成：{type(exc).__name__}: {exc}")


def _documents() -> Path:
    home = Path.home()
    docs = home / "Documents"
    return docs if docs.is_dir() else home


def _free_path(path: Path) -> Path:
    if not path.exists():
        return path
    for n in itertools.count(2):
        candidate = path.with_name(f"{path.stem}({n}){path.suffix}")
        if not candidate.exists():
            return candidate
    raise AssertionError("unreachable")
