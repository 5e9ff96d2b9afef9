"""Reading a county summary back (`perfxl rollup`): only summaries perfxl wrote.

A prefecture collects the counties' 县级汇总.xlsx by mail or on a stick, so a file given
here may be anything: another workbook, a summary from an older perfxl, a summary a
clerk retyped, a zip bomb. A file is read only when

- it is a regular file of at most MAX_FILE_BYTES, whose archive passes the same checks
  as a unit's workbook (perfxl.reader.archive: every member inflated once under one
  budget, sizes and CRCs verified), and
- its custom document property MARKER_PROPERTY names this perfxl's summary layout
  (perfxl.summary.SUMMARY_VERSION; Excel and WPS keep the property when saving), and
- the three sheets read (总览, 项目汇总, 问题清单…) have the columns expected and no more
  cells than MAX_SHEET_CELLS (measured from the XML before calamine, which allocates a
  sheet's whole used range, is asked), and 总览's project count equals the counted rows
  of 项目汇总 (a summary edited by hand does not add up).

Anything else is refused with a Chinese reason (Refused); nothing here raises otherwise.
Only the needed sheets are parsed, one file at a time, so memory is bounded by the
largest county, not the province.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import python_calamine

from perfxl.reader.archive import ArchiveProblem, check_members, open_archive
from perfxl.reader.extent import measure
from perfxl.reader.formulas import sheet_parts
from perfxl.summary import MARKER_PROPERTY, SUMMARY_VERSION
from perfxl.summary import overview as ov
from perfxl.summary.sheets import PROBLEMS, PROJECTS

MAX_FILE_BYTES = 128 * 1024 * 1024  # a county of 50,000 projects writes ~15 MB
MAX_SHEET_CELLS = 5_000_000  # rows × columns of one sheet read (~40 MB in calamine)
CUSTOM, CORE = "docProps/custom.xml", "docProps/core.xml"
NOT_COUNTED = "未计入单位汇总"  # 项目汇总's 备注 of a repeated project (perfxl.batch.ledger)
PROJECT_COLUMNS = (
    "主管部门", "实施单位", "项目名称", "全年预算数（万元）", "全年执行数（万元）", "预算执行率",
    "总体完成率", "偏差（百分点）", "总分", "等级", "评分规则", "错误数", "警告数", "备注",
)  # fmt: skip
MAX_PROPERTIES_BYTES = 1 << 16  # docProps/custom.xml is a few hundred bytes


class Refused(Exception):
    """The file is not a county summary this perfxl can read; the message says why."""


@dataclass
class CountySummary:
    path: str
    name: str
    year: int | None
    facts: dict[str, Any]  # 总览's label → value (numbers as Decimal, text as str)
    grades: list[tuple[str, int]]  # 总览's grade table, in its order
    projects: list[dict[str, Any]]  # 项目汇总's rows by title (text or float); "counted" added
    problems: dict[tuple[str, str], int] = field(default_factory=dict)  # (code, severity) → n

    def figure(self, label: str) -> Decimal | None:
        value = self.facts.get(label)
        return value if isinstance(value, Decimal) else None


def number(value: Any) -> Decimal | None:
    """A cell's number as the Decimal of its shortest repr (693.68, not 693.67999…)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    return Decimal(repr(float(value))).normalize() if isinstance(value, float) else Decimal(value)


def read_summary(path: str | Path) -> CountySummary:
    """The county summary at `path`, or Refused."""
    path = Path(path)
    data = _bytes(path)
    try:
        archive = open_archive(data)
        parts = sheet_parts(archive)
    except ArchiveProblem as exc:
        raise Refused(str(exc)) from None
    except (KeyError, ValueError, SyntaxError):  # ElementTree's ParseError is a SyntaxError
        raise Refused("工作簿结构无法读取，不是有效的 Excel 文件") from None
    problem_sheets = [n for n in parts if n == PROBLEMS or n.startswith(f"{PROBLEMS}（")]
    wanted = {parts[n] for n in (ov.OVERVIEW, PROJECTS, *problem_sheets) if n in parts}
    try:
        kept = check_members(data, archive, lambda m: m in wanted or m in (CUSTOM, CORE))
    except ArchiveProblem as exc:
        raise Refused(str(exc)) from None
    _check_marker(kept)
    for name in (ov.OVERVIEW, PROJECTS):
        if name not in parts or parts[name] not in kept:
            raise Refused(f"缺少“{name}”工作表，不是完整的 perfxl 县级汇总")
    for member in wanted:
        extent = measure(kept[member])
        if extent.rows * max(extent.columns, 1) > MAX_SHEET_CELLS:
            raise Refused(
                f"工作表过大（{extent.rows} 行 × {extent.columns} 列），超出读取限制，"
                "不像 perfxl 生成的县级汇总"
            )
    kept.clear()
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        overview = book.get_sheet_by_name(ov.OVERVIEW).to_python()
        projects = book.get_sheet_by_name(PROJECTS).to_python()
        problems = [book.get_sheet_by_name(n).to_python() for n in problem_sheets]
    except Exception as exc:  # calamine raises its own types for damaged parts
        raise Refused(f"工作簿无法读取（{type(exc).__name__}）") from None
    try:
        return _summary(str(path), overview, projects, problems)
    except (ArithmeticError, IndexError, KeyError, TypeError, ValueError):
        raise Refused("内容与 perfxl 县级汇总的格式不符（可能被手工改动过），不予读取") from None


def _bytes(path: Path) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Refused("文件不存在") from None
    except OSError as exc:
        if path.is_symlink():
            raise Refused("是符号链接，不予读取；请给出汇总文件本身") from None
        raise Refused(f"无法打开（{exc.strerror or exc}）") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise Refused("不是普通文件（文件夹、管道或设备），不予读取")
        if info.st_size > MAX_FILE_BYTES:
            mb = MAX_FILE_BYTES // (1024 * 1024)
            raise Refused(f"文件超过 {mb} MB，不像 perfxl 生成的县级汇总，不予读取")
        with os.fdopen(os.dup(fd), "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise Refused(f"无法读取（{exc.strerror or exc}）") from None
    finally:
        os.close(fd)


def custom_properties(xml: bytes) -> dict[str, str]:
    """name → text of each custom document property, whatever prefixes the writer used
    (XlsxWriter declares vt: on the root, openpyxl on each value); {} if unreadable."""
    if not xml or len(xml) > MAX_PROPERTIES_BYTES:
        return {}
    try:
        root = ElementTree.fromstring(xml)
    except (ElementTree.ParseError, ValueError):
        return {}
    found = {}
    for element in root:
        name = element.get("name")
        if element.tag.rsplit("}", 1)[-1] == "property" and name is not None and len(element):
            found[name] = element[0].text or ""
    return found


def _check_marker(kept: dict[str, bytes]) -> None:
    version = custom_properties(kept.get(CUSTOM, b"")).get(MARKER_PROPERTY)
    if version is None:
        raise Refused(
            "不是 perfxl 生成的县级汇总（没有 perfxl 县级汇总标记）；"
            "请提交 perfxl consolidate 生成的县级汇总.xlsx"
        )
    if version.strip() != SUMMARY_VERSION:
        raise Refused(
            f"由其他版本的 perfxl 生成（汇总格式 {version.strip()[:20]}，本版本读取格式 "
            f"{SUMMARY_VERSION}），请该县用当前版本重新运行 perfxl consolidate"
        )


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value or None
    return number(value)


def _list_cell(value: Any) -> str | float | None:
    """A list row's cell: text, or a finite float kept as read (a Decimal per cell of a
    province's project list costs more than the rest of the read; sums convert)."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    value = float(value)
    return value if value - value == 0 else None  # NaN and ±inf are no figures


def _summary(path: str, overview: list, projects: list, problems: list) -> CountySummary:
    facts: dict[str, Any] = {}
    grades: list[tuple[str, int]] = []
    in_grades = False
    for row in overview:
        label = row[0] if row and isinstance(row[0], str) else ""
        if not label:
            in_grades = False if grades else in_grades
            continue
        value = _cell(row[1]) if len(row) > 1 else None
        if label == ov.GRADE_HEADER:
            in_grades = True
        elif in_grades and isinstance(value, Decimal):
            grades.append((label, int(value)))
        else:
            facts.setdefault(label, value)
    name = facts.get(ov.COUNTY)
    if not isinstance(name, str) or name.startswith("（"):
        raise Refused("“总览”中没有县（市、区）名称：请在县级设置中填写 [county] name 后重新汇总")
    year = facts.get(ov.YEAR)
    rows = _table(projects, PROJECTS, PROJECT_COLUMNS)
    for row in rows:
        note = row.get("备注")
        row["counted"] = not (isinstance(note, str) and NOT_COUNTED in note)
    counted = sum(1 for r in rows if r["counted"])
    stated = facts.get(ov.PROJECTS)
    if stated != counted:
        raise Refused(
            f"“总览”的自评项目数（{stated}）与“项目汇总”中计入汇总的项目（{counted} 个）不一致，"
            "汇总可能被手工改动过，请该县重新运行 perfxl consolidate"
        )
    summary = CountySummary(
        path, name, int(year) if isinstance(year, Decimal) else None, facts, grades, rows
    )
    for sheet in problems:
        for problem in _table(sheet, PROBLEMS, ("严重程度", "代码")):
            code, severity = problem["代码"], problem["严重程度"]
            if isinstance(code, str):
                key = (code, severity if isinstance(severity, str) else "")
                summary.problems[key] = summary.problems.get(key, 0) + 1
    return summary


def _table(values: list, sheet: str, required: tuple[str, ...]) -> list[dict[str, Any]]:
    if not values:
        raise Refused(f"“{sheet}”工作表是空的")
    header = [h if isinstance(h, str) else "" for h in values[0]]
    absent = [title for title in required if title not in header]
    if absent:
        raise Refused(f"“{sheet}”工作表缺少列：{'、'.join(absent)}")
    at = [(title, header.index(title)) for title in required]
    rows = []
    for row in values[1:]:
        if not any(v not in ("", None) for v in row):
            continue
        rows.append({title: _list_cell(row[n]) if n < len(row) else None for title, n in at})
    return rows
