"""Monitoring workbooks (双监控) in the MoF 财预〔2019〕136号 annex layout, and the example
county's May round.

The annex, 项目支出绩效目标执行监控表, is what departments fill in May and August: a funds
block (年初预算数, 全年预算数, `1-N月执行数`, 执行率, 全年预计执行数; rows 年度资金总额 /
其中：财政拨款 / 其他资金) and an indicator block whose approved targets (年度指标值) are the
year-end 自评表's, with the value to date (`1-N月实际完成值`), the year's forecast
(全年预计完成值), ticks for the cause of a deviation (经费保障 / 制度保障 / 人员保障 /
硬件条件保障 / 其他) and for the likelihood of meeting the target (确定能 / 有可能 /
完全不可能), and 原因说明及改进措施. The month N is written into the column labels, as the
annex does (`1-7月执行数`). Provinces often replace the tick columns by one drop-down
column each; `variant="dropdown"` writes that form.

The May round of the example county (`county_round`) takes each project of
perfxl.samples.county with its year-end indicators and targets unchanged (approved
targets must not drift between monitoring and self-evaluation) and fills it as a unit
would in May. Which projects lag is fixed by name in PLANS, next to the year-end figures
that make it plausible; every other project is on schedule. Figures to date are chosen
well inside the default bands of one provincial system (perfxl.monitoring's settings) so
that the intended light does not hang on a rounding; they are the unit's entries, not a
computation of lights: the engine computes those when the workbooks are read.

Output is deterministic (fixed random seed, fixed dates), so examples/county/监控/
equals what scripts/build_example_county.py rebuilds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from os import PathLike
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from perfxl.samples.national import (
    _BOLD,
    _BORDER,
    _LEFT,
    _TITLE,
    FIXED_TIME,
    _default_sheet_names,
    _put,
    _save,
)
from perfxl.samples.spec import ProjectSpec

TITLE = "项目支出绩效目标执行监控表"
CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
TICK = "√"
MONITOR_FOLDER = "监控"
MAY = 5
RANDOM_SEED = 20230605  # the May round is collected in early June

Number = int | float


@dataclass(frozen=True)
class MonitorRow:
    """One indicator row as the unit fills it; texts as written."""

    level1: str
    level2: str
    name: str
    target: str  # 年度指标值: the approved target, the year-end table's text
    actual: str  # 1-N月实际完成值
    predicted: str = ""  # 全年预计完成值
    causes: tuple[str, ...] = ()  # 偏差原因分析: members of CAUSES
    likelihood: str = ""  # 完成目标可能性: one of LIKELIHOODS (blank when not filled)
    note: str = ""  # 原因说明及改进措施


@dataclass(frozen=True)
class MonitorFunds:
    """The funds block in 万元: (年初预算数, 全年预算数, 1-N月执行数, 全年预计执行数) per line;
    rate is the 执行率 the unit printed (a fraction), None leaves the cell blank."""

    total: tuple[Number | None, Number | None, Number | None, Number | None]
    rate: Number | None = None
    appropriation: tuple[Number | None, ...] | None = None  # 其中：财政拨款
    other: tuple[Number | None, ...] | None = None  # 其他资金


@dataclass(frozen=True)
class MonitorSpec:
    """One monitoring table."""

    key: str
    year: int
    month: int
    project: str
    department: str
    unit: str
    funds: MonitorFunds
    goal: str  # 全年预期目标
    progress: str  # 1-N月目标实际完成情况
    rows: tuple[MonitorRow, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- layout

_FUNDS_LINES = ("年度资金总额", "其中：财政拨款", "其他资金")
_WIDTHS = {"A": 8, "B": 10, "C": 12, "D": 24, "E": 14, "F": 14, "G": 14}
_TICK_WIDTH = 5


def funds_labels(month: int) -> tuple[str, ...]:
    return ("年初预算数", "全年预算数", f"1-{month}月执行数", "执行率", "全年预计执行数")


def indicator_labels(month: int) -> tuple[str, ...]:
    return ("一级指标", "二级指标", "三级指标", "年度指标值", f"1-{month}月实际完成值",
            "全年预计完成值")  # fmt: skip


def write_monitoring_workbook(
    specs: Sequence[MonitorSpec],
    path: str | PathLike[str],
    *,
    variant: str = "mof",
    sheet_names: Sequence[str] | None = None,
) -> None:
    """Write one sheet per project: `variant` "mof" (the annex: tick columns) or
    "dropdown" (one column each for cause and likelihood, with drop-down lists)."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"expected an .xlsx path, got {path.name!r}")
    if variant not in ("mof", "dropdown"):
        raise ValueError(f"unknown variant {variant!r}")
    if not specs:
        raise ValueError("no projects to write")
    names = list(sheet_names) if sheet_names is not None else _default_sheet_names(specs)  # type: ignore[arg-type]
    wb = Workbook()
    wb.remove(wb.active)
    for spec, name in zip(specs, names, strict=True):
        _write_sheet(wb.create_sheet(title=name), spec, variant)
    wb.properties.creator = "perfxl"
    wb.properties.lastModifiedBy = "perfxl"
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    _save(wb, path, macro_enabled=False)


def _last_column(variant: str) -> str:
    return "P" if variant == "mof" else "J"


def _write_sheet(ws: Worksheet, s: MonitorSpec, variant: str) -> None:
    last = _last_column(variant)
    _put(ws, "A1", TITLE, font=_TITLE, merge=f"A1:{last}1")
    _put(ws, "A2", f"（{s.year}年度）", merge=f"A2:{last}2")
    _put(ws, "A3", "项目名称", font=_BOLD)
    _put(ws, "B3", s.project, align=_LEFT, merge=f"B3:{last}3")
    _put(ws, "A4", "主管部门", font=_BOLD)
    _put(ws, "B4", s.department, align=_LEFT, merge="B4:E4")
    _put(ws, "F4", "实施单位", font=_BOLD)
    _put(ws, "G4", s.unit, align=_LEFT, merge=f"G4:{last}4")
    _write_funds(ws, s, last)
    _put(ws, "A9", "年度总体目标", font=_BOLD, merge="A9:A10")
    _put(ws, "B9", "全年预期目标", font=_BOLD, merge="B9:F9")
    _put(ws, "G9", f"1-{s.month}月目标实际完成情况", font=_BOLD, merge=f"G9:{last}9")
    _put(ws, "B10", s.goal, align=_LEFT, merge="B10:F10")
    _put(ws, "G10", s.progress, align=_LEFT, merge=f"G10:{last}10")
    ws.row_dimensions[10].height = 45
    end = _mof_indicators(ws, s) if variant == "mof" else _dropdown_indicators(ws, s)
    for row in ws.iter_rows(min_row=3, max_row=end, max_col=ws.max_column):
        for cell in row:
            cell.border = _BORDER
    note = (
        "说明：1.执行率 = 1-N月执行数 ÷ 全年预算数；2.偏差原因分析、完成目标可能性"
        + ("在对应栏内打“√”" if variant == "mof" else "从下拉列表中选择")
        + "；3.指标进度明显偏离序时进度或完成目标可能性为“有可能”“完全不可能”的，须填写原因说明及改进措施。"
    )
    _put(ws, f"A{end + 1}", note, align=_LEFT, merge=f"A{end + 1}:{last}{end + 1}")
    ws.row_dimensions[end + 1].height = 30
    for col, width in _WIDTHS.items():
        ws.column_dimensions[col].width = width
    if variant == "mof":
        for col in "HIJKLMNO":
            ws.column_dimensions[col].width = _TICK_WIDTH + 4
        ws.column_dimensions["P"].width = 30
    else:
        ws.column_dimensions["H"].width = 14
        ws.column_dimensions["I"].width = 12
        ws.column_dimensions["J"].width = 30
    ws.row_dimensions[1].height = 28


def _write_funds(ws: Worksheet, s: MonitorSpec, last: str) -> None:
    f = s.funds
    _put(ws, "A5", "项目资金（万元）", font=_BOLD, merge="A5:A8")
    _put(ws, "B5", None)
    for col, text in zip("CDEFG", funds_labels(s.month), strict=True):
        _put(ws, f"{col}5", text, font=_BOLD)
    _put(ws, "H5", "备注", font=_BOLD, merge=f"H5:{last}5")
    for row, text, line in zip((6, 7, 8), _FUNDS_LINES, (f.total, f.appropriation, f.other),
                               strict=True):  # fmt: skip
        _put(ws, f"B{row}", text, font=_BOLD if row == 6 else None)
        initial, budget, spent, predicted = line if line is not None else (None,) * 4
        for col, value in zip("CDEG", (initial, budget, spent, predicted), strict=True):
            _put(ws, f"{col}{row}", value, number_format="0.00")
        _put(ws, f"F{row}", f.rate if row == 6 else None, number_format="0.00%")
        _put(ws, f"H{row}", None, merge=f"H{row}:{last}{row}")


def _mof_indicators(ws: Worksheet, s: MonitorSpec) -> int:
    """The annex's two header rows (cause and likelihood split into tick columns)."""
    top, sub = 11, 12
    _put(ws, f"A{top}", "绩效指标", font=_BOLD)
    for col, text in zip("BCDEFG", indicator_labels(s.month), strict=True):
        _put(ws, f"{col}{top}", text, font=_BOLD, merge=f"{col}{top}:{col}{sub}")
    _put(ws, f"H{top}", "偏差原因分析", font=_BOLD, merge=f"H{top}:L{top}")
    _put(ws, f"M{top}", "完成目标可能性", font=_BOLD, merge=f"M{top}:O{top}")
    _put(ws, f"P{top}", "原因说明及改进措施", font=_BOLD, merge=f"P{top}:P{sub}")
    for col, text in zip("HIJKL", CAUSES, strict=True):
        _put(ws, f"{col}{sub}", text, font=_BOLD)
    for col, text in zip("MNO", LIKELIHOODS, strict=True):
        _put(ws, f"{col}{sub}", text, font=_BOLD)
    r = sub
    for row in s.rows:
        r += 1
        _common(ws, r, row)
        for col, cause in zip("HIJKL", CAUSES, strict=True):
            _put(ws, f"{col}{r}", TICK if cause in row.causes else None)
        for col, answer in zip("MNO", LIKELIHOODS, strict=True):
            _put(ws, f"{col}{r}", TICK if row.likelihood == answer else None)
        _put(ws, f"P{r}", row.note or None, align=_LEFT)
    _merge_levels(ws, s.rows, sub + 1)
    ws.merge_cells(f"A{top}:A{r}")
    return r


def _dropdown_indicators(ws: Worksheet, s: MonitorSpec) -> int:
    """One header row; cause and likelihood as one drop-down column each."""
    top = 11
    labels = ("绩效指标", *indicator_labels(s.month), "偏差原因分析", "完成目标可能性",
              "原因说明及改进措施")  # fmt: skip
    for col, text in zip("ABCDEFGHIJ", labels, strict=True):
        _put(ws, f"{col}{top}", text, font=_BOLD)
    r = top
    for row in s.rows:
        r += 1
        _common(ws, r, row)
        _put(ws, f"H{r}", "、".join(row.causes) or None)
        _put(ws, f"I{r}", row.likelihood or None)
        _put(ws, f"J{r}", row.note or None, align=_LEFT)
    _merge_levels(ws, s.rows, top + 1)
    ws.merge_cells(f"A{top}:A{r}")
    if r > top:
        causes = DataValidation(type="list", formula1='"' + ",".join(CAUSES) + '"')
        likely = DataValidation(type="list", formula1='"' + ",".join(LIKELIHOODS) + '"')
        causes.add(f"H{top + 1}:H{r}")
        likely.add(f"I{top + 1}:I{r}")
        ws.add_data_validation(causes)
        ws.add_data_validation(likely)
    return r


def _common(ws: Worksheet, r: int, row: MonitorRow) -> None:
    _put(ws, f"B{r}", row.level1)
    _put(ws, f"C{r}", row.level2)
    _put(ws, f"D{r}", row.name, align=_LEFT)
    _put(ws, f"E{r}", row.target or None)
    _put(ws, f"F{r}", row.actual or None)
    _put(ws, f"G{r}", row.predicted or None)
    if len(row.note) > 18 or len(row.name) > 12:
        ws.row_dimensions[r].height = 30


def _merge_levels(ws: Worksheet, rows: Sequence[MonitorRow], first: int) -> None:
    """Merge runs of equal 一级 and 二级 cells, as the filled forms do."""
    for col, key in (("B", lambda x: x.level1), ("C", lambda x: (x.level1, x.level2))):
        start = 0
        for n in range(1, len(rows) + 1):
            if n == len(rows) or key(rows[n]) != key(rows[start]):
                if n - start > 1:
                    ws.merge_cells(f"{col}{first + start}:{col}{first + n - 1}")
                start = n


# --------------------------------------------------------------------------- the May round


@dataclass(frozen=True)
class Plan:
    """How a project stands in May: what lags and what the unit writes about it.

    execution / quantity: "on" (on schedule), "slow" or "stalled" (well behind), "ahead"
    (far ahead of the schedule: the target looks too low); predicted: the unit's forecast
    of the quantity by year end, as a share of the target (None: the target itself).
    The reasons go on `row` (the indicator the unit explains: "数量" or "成本")."""

    execution: str = "on"
    quantity: str = "on"
    predicted: float | None = None
    quality: str | None = None  # a quality figure to date and forecast below target
    causes: tuple[str, ...] = ()
    likelihood: str = "确定能"
    note: str = ""
    row: str = "数量"


# Projects behind (or far ahead of) schedule in May, chosen where the year-end table
# shows the same trouble (low execution, a missed quantity or quality target).
PLANS: dict[str, Plan] = {
    # year end 30.7 % spent, 113,763 of 150,000 亩: slow money and slow enrolment
    "农业保险保费补贴": Plan("stalled", "stalled", 0.8, causes=("经费保障",), likelihood="有可能",
                     note="上级配套保费补贴资金尚未到位，春播期间参保工作推迟；已向上级申请加快资金下达，6月底前完成集中参保。"),
    # year end 30.8 % spent, 1,435 of 1,500 亩
    "森林植被恢复费": Plan("stalled", "slow", 0.95, causes=("硬件条件保障",), likelihood="有可能",
                    note="春季干旱，苗木调运滞后，造林进度推迟；秋季补植补造。"),
    # year end 4 of 6 小区
    "老旧小区改造": Plan("slow", "stalled", 4 / 6, causes=("制度保障",), likelihood="完全不可能",
                   note="改造方案仍在征求居民意见，施工招标尚未完成；两个小区移至下年度实施。"),
    # reservoirs are maintained after the flood season: nothing done by May, on purpose
    "小型水库维修养护": Plan("on", "stalled", None, causes=("其他",), likelihood="确定能",
                     note="维修养护按计划安排在汛期结束后（9-10月）集中实施。"),
    # year end 324 of 800 人次, 49.8 % spent
    "教师培训经费": Plan("on", "slow", 0.75, causes=("人员保障",), likelihood="有可能",
                   note="部分培训班因授课专家未落实推迟至下半年举办。"),
    # year end 3,971 of 5,000 平方米, quality 78 %
    "义务教育薄弱环节改善": Plan("on", "slow", None, causes=("硬件条件保障",), likelihood="有可能",
                       note="部分校舍改造须待暑假停课后施工。"),
    # year end quality 78 %
    "草原生态保护补助奖励": Plan("on", "on", None, quality="90%", causes=("其他",),
                       likelihood="有可能", note="部分围栏工程验收未通过，正在整改。",
                       row="质量"),
    # year end 65.7 % spent
    "家庭医生签约服务经费": Plan("slow", "on", row="成本",
                       note="签约服务费按季度考核后拨付，二季度考核结束后集中支付。"),
    # year end 61.7 % spent
    "地质灾害防治": Plan("slow", "on", row="成本", note="治理工程按合同节点付款，6月完成首期验收后支付。"),
    # year end 218 of 260 件; the unit ticked a cause but wrote no explanation (a finding)
    "法律援助经费": Plan("on", "slow", 0.85, causes=("其他",), likelihood="有可能"),
    # year end 42 of 42 公里 by spring works: far ahead, the target looks too low
    "城市道路维护经费": Plan("on", "ahead", 1.0),
}  # fmt: skip
# Departments that use a provincial form with drop-down columns instead of ticks.
DROPDOWN_DEPARTMENTS = ("农业农村局", "民政局", "卫生健康委员会")

_BANDS = {  # a progress (value to date ÷ pro-rated target) the unit's figures aim at
    "on": (0.9, 1.1),
    "slow": (0.66, 0.74),
    "stalled": (0.3, 0.45),
    "ahead": (1.3, 1.45),
}
_QUANTITY = re.compile(r"^≥(\d+(?:\.\d+)?)(\D+)$")
_PERCENT = re.compile(r"^[≥=](\d+)%$")


def _round_count(value: float) -> int:
    return int(value + 0.5)


def monitor_spec(spec: ProjectSpec, month: int, rng: random.Random) -> MonitorSpec:
    """The monitoring table of `spec`'s project in `month`: same indicators and targets."""
    plan = PLANS.get(spec.project, Plan())
    elapsed = month / 12
    budget = float(spec.funds.budget or spec.funds.initial_budget or 0)
    spent_year = float(spec.funds.spent or 0)
    low, high = _BANDS[plan.execution]
    share = rng.uniform(low, high) * elapsed
    if plan.execution == "on":
        share = rng.uniform(0.42, 0.64)  # 42 %–64 % spent against 41.7 % elapsed
    share = min(share, spent_year / budget * 0.97) if budget else 0
    spent = round(budget * share, 2)
    rate = round(spent / budget, 4) if budget else None
    funds = MonitorFunds(
        total=(spec.funds.initial_budget, budget, spent, spent_year),
        rate=rate,
        appropriation=(spec.funds.initial_budget, budget, spent, spent_year),
    )
    rows = tuple(_monitor_row(r, plan, month, spent, spent_year, rng) for r in spec.rows)
    quantity = rows[0]
    progress = f"截至{month}月底，{quantity.name}完成{quantity.actual}，支出{spent:g}万元。"
    return MonitorSpec(
        key=spec.key,
        year=spec.title_year,
        month=month,
        project=spec.project,
        department=spec.department,
        unit=spec.unit,
        funds=funds,
        goal=spec.goal,
        progress=progress,
        rows=rows,
    )


def _monitor_row(row, plan: Plan, month: int, spent: float, spent_year: float, rng) -> MonitorRow:
    """One year-end row as filled in `month`; target and names copied unchanged."""
    base = MonitorRow(row.level1, row.level2, row.name, row.target, "", "", likelihood="确定能")
    explained = {"数量": "数量指标", "成本": "成本指标", "质量": "质量指标"}[plan.row]
    reasons = {"causes": plan.causes, "likelihood": plan.likelihood, "note": plan.note}
    mine = row.level2 == explained
    if row.level2 == "数量指标" and (m := _QUANTITY.match(row.target)):
        amount, unit = float(m.group(1)), m.group(2)
        low, high = _BANDS[plan.quantity]
        done = _round_count(amount * month / 12 * rng.uniform(low, high))
        if plan.quantity == "stalled" and amount * month / 12 < 4:
            done = 0  # a handful of works not started yet
        forecast = amount if plan.predicted is None else _round_count(amount * plan.predicted)
        base = _with(base, actual=f"{done}{unit}", predicted=f"{forecast:g}{unit}")
    elif row.level2 == "成本指标":
        base = _with(base, actual=f"{spent:g}万元", predicted=f"{spent_year:g}万元")
    elif (m := _PERCENT.match(row.target)) and row.level2 == "质量指标" and plan.quality:
        base = _with(base, actual=plan.quality, predicted=plan.quality)
    elif (m := _PERCENT.match(row.target)) and row.level1 == "满意度指标":
        value = f"{rng.choice((92, 93, 95, 96))}%"
        base = _with(base, actual=value, predicted=value)
    elif m := _PERCENT.match(row.target):
        base = _with(base, actual="100%", predicted="100%")
    else:  # qualitative: the unit restates the target when on course
        base = _with(base, actual=row.target, predicted=row.target)
    if mine and (plan.causes or plan.note or plan.likelihood != "确定能"):
        base = _with(base, **reasons)
    return base


def _with(row: MonitorRow, **changes) -> MonitorRow:
    return replace(row, **changes)


@dataclass(frozen=True)
class RoundFile:
    path: str  # relative to the county folder, "/"-separated
    specs: tuple[MonitorSpec, ...]
    variant: str


def county_round(month: int = MAY) -> list[RoundFile]:
    """The example county's monitoring round: one workbook per department, a sheet per
    project, under 监控/<主管部门>/."""
    from perfxl.samples.county import COUNTY, DEPARTMENTS, county_files, department_name

    rng = random.Random(RANDOM_SEED + month)
    by_department: dict[str, list[ProjectSpec]] = {}
    for entry, specs, _ in county_files():
        if entry.kind != "workbook":
            continue
        for spec in specs:
            by_department.setdefault(spec.department, []).append(spec)
    files = []
    for short, _ in DEPARTMENTS:
        department = department_name(short)
        specs = tuple(monitor_spec(s, month, rng) for s in by_department.get(department, []))
        if not specs:
            continue
        variant = "dropdown" if short in DROPDOWN_DEPARTMENTS else "mof"
        year = specs[0].year
        name = f"{department}{year}年{month}月项目支出绩效目标执行监控表.xlsx"
        files.append(RoundFile(f"{MONITOR_FOLDER}/{department}/{name}", specs, variant))
    assert all(f.specs[0].department.startswith(COUNTY) for f in files)
    return files


def build_round(county_dir: Path, month: int = MAY) -> list[tuple[str, int]]:
    """Write the round under `county_dir`/监控; (path relative to it, projects) per file."""
    written = []
    for f in county_round(month):
        write_monitoring_workbook(f.specs, county_dir / f.path, variant=f.variant)
        written.append((f.path, len(f.specs)))
    return written
