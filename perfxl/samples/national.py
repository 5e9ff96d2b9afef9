"""Write ProjectSpecs as workbooks in the national 项目支出绩效自评表 layout.

The layout (columns A..I, funds block in rows 5–9, indicator header in row 12) is the
contract the reader is written against, so it is fixed here cell by cell. The options
reproduce the variations seen in published tables (traditional characters, points in the
level-1 cell, blank spacer rows, synonym headers) without changing anything else, so a
reader test can switch one of them on at a time.

Output is deterministic: document properties and zip member dates are fixed, so
rebuilding a fixture gives the same bytes and the committed files do not churn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from os import PathLike
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

import zhconv
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.constants import ARC_CONTENT_TYPES, XLSM, XLSX

from perfxl.samples.spec import FundsLine, Number, ProjectSpec, RowSpec

FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)

COLUMNS = "ABCDEFGHI"
HEADER_ROW = 12
FIRST_ROW = 13

# Indicator-header labels for E12, F12 and G12 per header_variant.
HEADER_VARIANTS: dict[str, tuple[str, str, str]] = {
    "standard": ("年度指标值", "实际完成值", "分值"),
    "synonyms": ("指标值", "实际值", "权重"),
}

_FUNDS_HEADER = ("年初预算数", "全年预算数", "全年到位数", "全年执行数", "分值", "执行率", "得分")
_FUNDS_LINES = ("其中：当年财政拨款", "上年结转资金", "其他资金")

# Approximate characters per line for a CJK text in each column (one CJK char ≈ 2 units).
_WIDTHS = {"A": 10, "B": 12, "C": 14, "D": 34, "E": 16, "F": 16, "G": 9, "H": 11, "I": 30}
_LINE_HEIGHT = 15.0

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=16)
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class _Options:
    traditional: bool
    level1_points: bool
    spacer_rows: bool
    header: tuple[str, str, str]

    def label(self, text: str) -> str:
        """Labels and framework names follow the traditional option; project data never does."""
        return zhconv.convert(text, "zh-tw") if self.traditional else text


def write_workbook(
    projects: Sequence[ProjectSpec],
    path: str | PathLike[str],
    *,
    traditional: bool = False,
    level1_points: bool = False,
    spacer_rows: bool = False,
    header_variant: str = "standard",
    sheet_names: Sequence[str] | None = None,
) -> None:
    """Write one sheet per project to an .xlsx or .xlsm file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm"):
        raise ValueError(f"expected an .xlsx or .xlsm path, got {path.name!r}")
    if header_variant not in HEADER_VARIANTS:
        raise ValueError(f"unknown header_variant {header_variant!r}")
    if not projects:
        raise ValueError("no projects to write")
    if sheet_names is not None and len(sheet_names) != len(projects):
        raise ValueError("sheet_names must give one name per project")

    opts = _Options(traditional, level1_points, spacer_rows, HEADER_VARIANTS[header_variant])
    names = list(sheet_names) if sheet_names is not None else _default_sheet_names(projects)
    wb = Workbook()
    wb.remove(wb.active)
    for project, name in zip(projects, names, strict=True):
        _write_sheet(wb.create_sheet(title=name), project, opts)
    wb.properties.creator = "perfxl"
    wb.properties.lastModifiedBy = "perfxl"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    _save(wb, path, macro_enabled=suffix == ".xlsm")


def _default_sheet_names(projects: Sequence[ProjectSpec]) -> list[str]:
    """Project names, as real workbooks use them, made legal and unique for Excel."""
    names: list[str] = []
    for p in projects:
        base = _SHEET_NAME_BAD.sub("_", p.project).strip("'") or p.key
        name, n = base[:31], 2
        while name in names:
            suffix = f"({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        names.append(name)
    return names


# --------------------------------------------------------------------------- saving


class _StableZip(ZipFile):
    """A zip whose members all carry one date, so equal content gives equal bytes.

    For .xlsm it also retypes the workbook part as macro-enabled. openpyxl only does that
    when it carries a VBA project over from a loaded file (keep_vba=True), and Excel
    refuses an .xlsm whose workbook part is typed as plain .xlsx. A macro-enabled part
    without a vbaProject.bin is what Excel itself writes for an .xlsm without macros;
    openpyxl and python-calamine both open it.
    """

    def __init__(self, file: Path, *, macro_enabled: bool) -> None:
        super().__init__(file, "w", ZIP_DEFLATED)
        self._macro_enabled = macro_enabled

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if isinstance(zinfo_or_arcname, ZipInfo):
            info = zinfo_or_arcname
        else:
            info = ZipInfo(zinfo_or_arcname, date_time=_ZIP_TIME)
            info.compress_type = ZIP_DEFLATED
            info.external_attr = 0o644 << 16
        if self._macro_enabled and info.filename == ARC_CONTENT_TYPES:
            raw = data.encode("utf-8") if isinstance(data, str) else data
            data = raw.replace(XLSX.encode(), XLSM.encode())
        super().writestr(info, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl streams worksheets through a temp file; ZipFile.write would stamp its mtime.
        with open(filename, "rb") as fh:
            self.writestr(arcname or str(filename), fh.read(), compress_type, compresslevel)


def _save(wb: Workbook, path: Path, *, macro_enabled: bool) -> None:
    # Workbook.save would reset properties.modified to now(); ExcelWriter does not.
    ExcelWriter(wb, _StableZip(path, macro_enabled=macro_enabled)).save()


# --------------------------------------------------------------------------- layout


def _write_sheet(ws: Worksheet, p: ProjectSpec, opts: _Options) -> None:
    t = opts.label
    _put(ws, "A1", t("项目支出绩效自评表"), font=_TITLE, merge="A1:I1")
    _put(ws, "A2", f"（{p.title_year}年度）", merge="A2:I2")
    _put(ws, "A3", t("项目名称"), font=_BOLD)
    _put(ws, "B3", p.project, align=_LEFT, merge="B3:I3")
    _put(ws, "A4", t("主管部门"), font=_BOLD)
    _put(ws, "B4", p.department, align=_LEFT, merge="B4:E4")
    _put(ws, "F4", t("实施单位"), font=_BOLD)
    _put(ws, "G4", p.unit, align=_LEFT, merge="G4:I4")
    _write_funds(ws, p, t)

    _put(ws, "A10", t("年度总体目标"), font=_BOLD, merge="A10:A11")
    _put(ws, "B10", t("预期目标"), font=_BOLD, merge="B10:E10")
    _put(ws, "F10", t("实际完成情况"), font=_BOLD, merge="F10:I10")
    _put(ws, "B11", p.goal, align=_LEFT, merge="B11:E11")
    _put(ws, "F11", p.achieved, align=_LEFT, merge="F11:I11")
    ws.row_dimensions[11].height = _height((p.goal, "BCDE"), (p.achieved, "FGHI"), floor=2)

    target_label, actual_label, weight_label = opts.header
    header = ("绩效指标", "一级指标", "二级指标", "三级指标", target_label, actual_label,
              weight_label, "得分", "偏差原因分析及改进措施")  # fmt: skip
    for col, text in zip(COLUMNS, header, strict=True):
        _put(ws, f"{col}{HEADER_ROW}", t(text), font=_BOLD)

    last = _write_indicators(ws, p.rows, opts)
    if last > HEADER_ROW:
        ws.merge_cells(f"A{HEADER_ROW}:A{last}")

    total_row, grade_row = last + 1, last + 2
    _put(ws, f"A{total_row}", t("总分"), font=_BOLD, merge=f"A{total_row}:F{total_row}")
    _put(ws, f"G{total_row}", 100)
    _put(ws, f"H{total_row}", p.total)
    _put(ws, f"A{grade_row}", t("评价等级"), font=_BOLD, merge=f"A{grade_row}:F{grade_row}")
    _put(ws, f"G{grade_row}", p.grade, merge=f"G{grade_row}:H{grade_row}")

    for row in ws.iter_rows(min_row=3, max_row=grade_row, max_col=len(COLUMNS)):
        for cell in row:
            cell.border = _BORDER
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.row_dimensions[1].height = 28


def _write_funds(ws: Worksheet, p: ProjectSpec, t: Callable[[str], str]) -> None:
    f = p.funds
    _put(ws, "A5", t("项目资金（万元）"), font=_BOLD, merge="A5:A9")
    for col, text in zip("CDEFGHI", _FUNDS_HEADER, strict=True):
        _put(ws, f"{col}5", t(text), font=_BOLD)
    _put(ws, "B5", None)
    _put(ws, "B6", t("年度资金总额"), font=_BOLD)
    _money_line(ws, 6, (f.initial_budget, f.budget, f.received, f.spent))
    _put(ws, "G6", f.weight)
    _put(ws, "H6", f.rate, number_format="0.00%")
    _put(ws, "I6", f.score)
    for row, text, line in zip(
        (7, 8, 9), _FUNDS_LINES, (f.appropriation, f.carryover, f.other), strict=True
    ):
        _put(ws, f"B{row}", t(text))
        _money_line(ws, row, line)


def _money_line(ws: Worksheet, row: int, line: FundsLine | None) -> None:
    for col, value in zip("CDEF", line or (None,) * 4, strict=True):
        _put(ws, f"{col}{row}", value, number_format="0.00")


def _write_indicators(ws: Worksheet, rows: Sequence[RowSpec], opts: _Options) -> int:
    """Write the indicator rows from FIRST_ROW on and return the last row used."""
    r = FIRST_ROW - 1
    for n, (level1, group_iter) in enumerate(groupby(rows, key=lambda x: x.level1)):
        group = list(group_iter)
        if n and opts.spacer_rows:
            r += 1  # the blank row stays inside the 绩效指标 merge, like the real tables
        top = r + 1
        label = opts.label(level1)
        if opts.level1_points:
            label = f"{label}({_fmt_points(sum(x.weight or 0 for x in group))}分)"
        for level2, sub_iter in groupby(group, key=lambda x: x.level2):
            sub = list(sub_iter)
            _put(ws, f"C{r + 1}", opts.label(level2))
            if len(sub) > 1:
                ws.merge_cells(f"C{r + 1}:C{r + len(sub)}")
            for spec in sub:
                r += 1
                _write_row(ws, r, spec)
        _put(ws, f"B{top}", label)
        if r > top:
            ws.merge_cells(f"B{top}:B{r}")
    return r


def _write_row(ws: Worksheet, r: int, spec: RowSpec) -> None:
    _put(ws, f"D{r}", spec.name, align=_LEFT)
    _put(ws, f"E{r}", spec.target or None)
    _put(ws, f"F{r}", spec.actual or None)
    _put(ws, f"G{r}", spec.weight)
    _put(ws, f"H{r}", spec.score)
    _put(ws, f"I{r}", spec.reason or None, align=_LEFT)
    height = _height((spec.name, "D"), (spec.reason, "I"), (spec.target, "E"), (spec.actual, "F"))
    if height > _LINE_HEIGHT:
        ws.row_dimensions[r].height = height


def _put(
    ws: Worksheet,
    ref: str,
    value: str | Number | None,
    *,
    font: Font | None = None,
    align: Alignment = _CENTER,
    merge: str | None = None,
    number_format: str | None = None,
) -> None:
    cell = ws[ref]
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # "=12月" is the target's text, not a formula
    cell.alignment = align
    if font is not None:
        cell.font = font
    if number_format is not None:
        cell.number_format = number_format
    if merge is not None:
        ws.merge_cells(merge)


def _height(*texts: tuple[str, str], floor: int = 1) -> float:
    """A row height that shows wrapped CJK text; openpyxl cannot autofit."""
    lines = floor
    for text, cols in texts:
        per_line = max(1, int(sum(_WIDTHS[c] for c in cols) / 2) - 1)
        lines = max(lines, math.ceil(len(text or "") / per_line))
    return lines * _LINE_HEIGHT


def _fmt_points(points: float) -> str:
    return f"{points:g}" if points != int(points) else str(int(points))
