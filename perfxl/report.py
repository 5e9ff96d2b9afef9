"""Rendering scored tables as the JSON contract or as a Chinese text table.

Only presentation lives here: every number shown was computed by the engine; this
module formats it (fractions as percentages in text, Decimals as JSON numbers).
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfxl.findings import Finding, ordered
from perfxl.monitoring.model import MonitoringResult, MonitoringRowResult
from perfxl.results import CategoryResult, Method, RowResult, TableResult


@dataclass
class FileResult:
    path: str
    tables: list[TableResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level (unreadable, no table)
    # 项目支出绩效目标执行监控表, apart from the 自评表 (shown after them, "kind": "monitoring")
    monitoring: list[MonitoringResult] = field(default_factory=list)


# --- the scored table's fields: the one list the JSON document, the batch payload
# (perfxl.batch.payload), its cache check and the README's key table are made from --------


@dataclass(frozen=True)
class Field:
    key: str
    get: Callable[[Any], Any]
    about: str  # one line for the README's table of JSON keys
    number: bool = False  # a Decimal: a JSON number here, exact text in a batch payload
    optional: bool = True  # may be null


def _budget(result: TableResult) -> Decimal | None:
    funds = result.table.funds
    return funds.budget if funds.budget is not None else funds.initial_budget


KINDS = "self 自评表、monitoring 监控表"

TABLE_FIELDS: tuple[Field, ...] = (
    Field("sheet", lambda r: r.table.sheet, "工作表名称", optional=False),
    Field("kind", lambda r: getattr(r, "kind", "self"), f"表格类型：{KINDS}", optional=False),
    Field("project", lambda r: r.table.project, "项目名称"),
    Field("unit", lambda r: r.table.unit, "实施单位"),
    Field("department", lambda r: r.table.department, "主管部门"),
    Field("profile", lambda r: r.profile, "评分规则名称", optional=False),
    Field("total", lambda r: r.total, "总分（按规则重新计算）", number=True, optional=False),
    Field("grade", lambda r: r.grade, "等级 优/良/中/差", optional=False),
    Field("reported_total", lambda r: r.table.reported_total, "填报总分", number=True),
    Field("reported_grade", lambda r: r.table.reported_grade, "填报等级"),
    Field("execution_rate", lambda r: r.execution_rate, "预算执行率（小数）", number=True),
    Field("arrival_rate", lambda r: r.arrival_rate, "资金到位率（小数）", number=True),
    Field("completion_rate", lambda r: r.completion_rate, "总体完成率（小数）", number=True),
    Field("deviation", lambda r: r.deviation, "偏差（百分点）", number=True),
    Field(
        "quantification_rate", lambda r: r.quantification_rate, "指标量化率（小数）", number=True
    ),
    Field("budget", _budget, "全年预算数（万元；未填时为年初预算数）", number=True),
    Field("received", lambda r: r.table.funds.received, "全年到位数（万元）", number=True),
    Field("spent", lambda r: r.table.funds.spent, "全年执行数（万元）", number=True),
)

CATEGORY_FIELDS: tuple[Field, ...] = (
    Field("name", lambda c: c.name, "一级指标名称", optional=False),
    Field("weight", lambda c: c.weight, "分值合计", number=True, optional=False),
    Field("score", lambda c: c.score, "得分合计", number=True, optional=False),
    Field("rate", lambda c: c.rate, "得分率（小数）", number=True),
)

ROW_FIELDS: tuple[Field, ...] = (
    Field(
        "cell",
        lambda r: str(r.indicator.cell) if r.indicator.cell else "",
        "指标所在单元格（`工作表!单元格`）",
        optional=False,
    ),
    Field("level1", lambda r: r.indicator.level1, "一级指标", optional=False),
    Field("level2", lambda r: r.indicator.level2, "二级指标", optional=False),
    Field("name", lambda r: r.indicator.name, "三级指标", optional=False),
    Field("target", lambda r: r.indicator.target_text, "年度指标值（原文）"),
    Field("actual", lambda r: r.indicator.actual_text, "实际完成值（原文）"),
    Field("weight", lambda r: r.indicator.weight, "分值", number=True),
    Field("rate", lambda r: r.rate, "完成率（小数，已封顶）", number=True),
    Field("score", lambda r: r.score, "得分", number=True, optional=False),
    Field("method", lambda r: str(r.method), "计分方式：" + "、".join(Method), optional=False),
    Field("reported_score", lambda r: r.reported_score, "填报得分", number=True),
)

# a monitoring table's fields (kind "monitoring"): lights are the words 红/黄/绿/蓝
MONITORING_FIELDS: tuple[Field, ...] = (
    Field("sheet", lambda r: r.table.sheet, "工作表名称", optional=False),
    Field("kind", lambda r: r.kind, f"表格类型：{KINDS}", optional=False),
    Field("project", lambda r: r.table.project, "项目名称"),
    Field("unit", lambda r: r.table.unit, "实施单位"),
    Field("department", lambda r: r.table.department, "主管部门"),
    Field("profile", lambda r: r.profile, "评分规则名称", optional=False),
    Field("year", lambda r: _whole(r.table.year), "年度", number=True),
    Field("month", lambda r: _whole(r.month), "监控月份 N（1-N月）", number=True),
    Field("time_progress", lambda r: r.time_progress, "序时进度 N/12（小数）", number=True),
    Field("execution_rate", lambda r: r.execution_rate, "执行率 = 1-N月执行数 / 全年预算数（小数）", number=True),
    Field("execution_ratio", lambda r: r.execution_ratio, "执行进度比 = 执行率 / 序时进度", number=True),
    Field("execution_light", lambda r: _light(r.execution_light), "预算执行预警灯 红/黄/绿"),
    Field("light", lambda r: _light(r.light), "项目预警灯（各指标与预算执行中最差者）红/黄/蓝/绿"),
    Field("budget", lambda r: _monitor_budget(r), "全年预算数（万元；未填时为年初预算数）", number=True),
    Field("spent", lambda r: r.table.funds.spent, "1-N月执行数（万元）", number=True),
    Field("predicted", lambda r: r.table.funds.predicted, "全年预计执行数（万元）", number=True),
)  # fmt: skip

MONITOR_ROW_FIELDS: tuple[Field, ...] = (
    Field("cell", lambda r: str(r.row.cell) if r.row.cell else "", "指标所在单元格", optional=False),
    Field("level1", lambda r: r.row.level1, "一级指标", optional=False),
    Field("level2", lambda r: r.row.level2, "二级指标", optional=False),
    Field("name", lambda r: r.row.name, "三级指标", optional=False),
    Field("target", lambda r: r.row.target_text, "年度指标值（原文）"),
    Field("actual", lambda r: r.row.actual_text, "1-N月实际完成值（原文）"),
    Field("predicted", lambda r: r.row.predicted_text, "全年预计完成值（原文）"),
    Field("progress", lambda r: r.progress, "完成进度（小数）", number=True),
    Field("light", lambda r: _light(r.light), "指标预警灯 红/黄/蓝/绿"),
    Field("likelihood", lambda r: r.row.likelihood, "完成目标可能性"),
    Field("causes", lambda r: "、".join(r.row.causes) or None, "偏差原因类别（、分隔）"),
    Field("reason", lambda r: r.row.explanation, "原因说明及改进措施"),
)  # fmt: skip


def _whole(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _light(light) -> str | None:
    return None if light is None else str(light)


def _monitor_budget(result: MonitoringResult) -> Decimal | None:
    funds = result.table.funds
    if funds.budget is not None and funds.budget > 0:
        return funds.budget
    return funds.initial_budget


FINDING_KEYS: tuple[tuple[str, str], ...] = (
    ("code", "问题代码 PXnnn（见 docs/rules.md）"),
    ("severity", "级别 error / warning / info"),
    ("cell", "位置 `工作表!单元格`（无单元格时为工作表或文件）"),
    ("message", "中文说明"),
    ("file", "所在文件"),
)


def fields(obj: Any, spec: tuple[Field, ...], number: Callable[[Any], Any]) -> dict[str, Any]:
    """`obj`'s fields by `spec`, each Decimal encoded by `number`."""
    out = {}
    for item in spec:
        value = item.get(obj)
        out[item.key] = number(value) if item.number else value
    return out


def _num(value: Decimal | None) -> float | int | None:
    """A Decimal as a JSON number; None (null) for what no float holds, never Infinity.

    The engine keeps absurd figures out of totals; a ratio of two sane ones can still
    overflow (a 分值 of 1e-300), and strict JSON has no NaN or Infinity.
    """
    if value is None or not value.is_finite():
        return None
    if value == value.to_integral_value() and abs(value) < 10**15:
        return int(value)
    number = float(value)
    return number if math.isfinite(number) else None


def table_to_dict(result: TableResult) -> dict[str, Any]:
    """A scored table as the JSON contract (README, design.md) gives it."""
    sheets = [result.table.sheet]
    return {
        **fields(result, TABLE_FIELDS, _num),
        "categories": [_category(c) for c in result.categories],
        "indicators": [_row(row) for row in result.rows],
        "findings": [f.to_dict() for f in ordered(result.all_findings, sheets)],
    }


def monitoring_to_dict(result: MonitoringResult) -> dict[str, Any]:
    """A judged monitoring table as the JSON contract gives it ("kind": "monitoring")."""
    return {
        **fields(result, MONITORING_FIELDS, _num),
        "indicators": [fields(row, MONITOR_ROW_FIELDS, _num) for row in result.rows],
        "findings": [f.to_dict() for f in ordered(result.all_findings, [result.table.sheet])],
    }


def _category(category: CategoryResult) -> dict[str, Any]:
    return fields(category, CATEGORY_FIELDS, _num)


def _row(row: RowResult) -> dict[str, Any]:
    return fields(row, ROW_FIELDS, _num)


def to_json(files: list[FileResult]) -> str:
    document = {
        "files": [
            {
                "path": f.path,
                "tables": [table_to_dict(t) for t in f.tables]
                + [monitoring_to_dict(m) for m in f.monitoring],
                "findings": [x.to_dict() for x in ordered(f.findings)],
            }
            for f in files
        ]
    }
    return json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False)


# --- text ---------------------------------------------------------------------------

METHOD_LABELS = {
    Method.COMPUTED: "",
    Method.QUALITATIVE: "定性",
    Method.MANUAL: "评分",
    Method.EXECUTION: "执行率",
    Method.ARRIVAL: "到位率",
    Method.NOT_APPLICABLE: "不适用",
    Method.UNSCORED: "无法计分",
}


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, width: int) -> str:
    """Pad or cut `text` to `width` terminal columns (CJK characters count double)."""
    out, used = "", 0
    for ch in text:
        w = display_width(ch)
        if used + w > width:
            out = out[:-1] + "…" if out else ""
            used = display_width(out)
            break
        out += ch
        used += w
    return out + " " * (width - used)


def pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


COLUMNS = (
    ("一级", 8),
    ("二级", 10),
    ("三级指标", 26),
    ("指标值", 14),
    ("实际值", 14),
    ("分值", 6),
    ("完成率", 8),
    ("得分", 7),
    ("填报", 7),
    ("", 8),
)


def table_to_text(path: str, result: TableResult) -> str:
    table = result.table
    lines = [
        f"文件：{path}    工作表：{table.sheet}",
        f"项目：{table.project or '—'}    主管部门：{table.department or '—'}    实施单位：{table.unit or '—'}    评分规则：{result.profile}",
        "",
        "".join(fit(name, width) + " " for name, width in COLUMNS).rstrip(),
    ]
    for row in result.rows:
        ind = row.indicator
        reported = "" if not row.score_differs else num(row.reported_score)
        cells = (
            ind.level1, ind.level2, ind.name, ind.target_text or "", ind.actual_text or "",
            num(ind.weight), pct(row.rate), num(row.score), reported, METHOD_LABELS[row.method],
        )  # fmt: skip
        lines.append(
            "".join(fit(str(v), w) + " " for v, (_, w) in zip(cells, COLUMNS, strict=True)).rstrip()
        )
    lines.append("")
    for cat in result.categories:
        lines.append(
            f"  {fit(cat.name, 16)} 分值 {num(cat.weight):>7}  得分 {num(cat.score):>7}  得分率 {pct(cat.rate):>8}"
        )
    total = f"总分 {num(result.total)}"
    if result.total_differs:
        total += f"（填报 {num(table.reported_total)}，与计算结果不一致）"
    lines += [
        "",
        f"{total}    等级 {result.grade}"
        + (
            f"（填报 {table.reported_grade}）"
            if table.reported_grade and table.reported_grade != result.grade
            else ""
        ),
        f"预算执行率 {pct(result.execution_rate)}    总体完成率 {pct(result.completion_rate)}    "
        f"偏差 {num(result.deviation)} 个百分点    指标量化率 {pct(result.quantification_rate)}",
    ]
    findings = ordered(result.all_findings, [table.sheet])
    if findings:
        lines.append("")
        lines.append(f"问题 {len(findings)} 项：")
        lines.extend(f"{path}:{f.location}: {f.code} {f.message}" for f in findings)
    return "\n".join(lines)


MONITOR_COLUMNS = (
    ("一级", 8),
    ("二级", 10),
    ("三级指标", 26),
    ("指标值", 14),
    ("1-N月完成", 14),
    ("全年预计", 12),
    ("完成进度", 9),
    ("预警", 6),
    ("可能性", 10),
)


def light_words(light) -> str:
    """A light in words, as a clerk reads it: 红灯, 黄灯, 绿灯, 蓝灯 (— when none)."""
    return "—" if light is None else f"{light}灯"


def monitoring_to_text(path: str, result: MonitoringResult) -> str:
    table = result.table
    month = "—" if result.month is None else f"1-{result.month}月"
    lines = [
        f"文件：{path}    工作表：{table.sheet}    项目支出绩效目标执行监控表（{month}）",
        f"项目：{table.project or '—'}    主管部门：{table.department or '—'}    实施单位：{table.unit or '—'}    评分规则：{result.profile}",
        "",
        "".join(fit(name, width) + " " for name, width in MONITOR_COLUMNS).rstrip(),
    ]
    for judged in result.rows:
        lines.append(_monitor_row(judged))
    funds = table.funds
    lines += [
        "",
        f"预算 {num(_monitor_budget(result))} 万元    执行 {num(funds.spent)} 万元    "
        f"执行率 {pct(result.execution_rate)}    序时进度 {pct(result.time_progress)}    "
        f"执行进度比 {_plain(result.execution_ratio)}    预算执行 {light_words(result.execution_light)}",
        f"项目预警：{light_words(result.light)}",
    ]
    findings = ordered(result.all_findings, [table.sheet])
    if findings:
        lines.append("")
        lines.append(f"问题 {len(findings)} 项：")
        lines.extend(f"{path}:{f.location}: {f.code} {f.message}" for f in findings)
    return "\n".join(lines)


def _plain(value: Decimal | None) -> str:
    """A ratio as the engine rounded it, without trailing zeros (0.796)."""
    return "—" if value is None else format(value.normalize(), "f")


def _monitor_row(judged: MonitoringRowResult) -> str:
    row = judged.row
    cells = (
        row.level1, row.level2, row.name, row.target_text or "", row.actual_text or "",
        row.predicted_text or "", pct(judged.progress), light_words(judged.light),
        row.likelihood or "",
    )  # fmt: skip
    pairs = zip(cells, MONITOR_COLUMNS, strict=True)
    return "".join(fit(str(v), w) + " " for v, (_, w) in pairs).rstrip()


def to_text(files: list[FileResult]) -> str:
    blocks = []
    for f in files:
        blocks.extend(table_to_text(f.path, t) for t in f.tables)
        blocks.extend(monitoring_to_text(f.path, m) for m in f.monitoring)
        blocks.extend(f"{f.path}: {x.code} {x.message}" for x in f.findings)
    return ("\n\n" + "=" * 100 + "\n\n").join(blocks)
