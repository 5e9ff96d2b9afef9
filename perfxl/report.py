"""Rendering scored tables as the JSON contract or as a Chinese text table.

Only presentation lives here: every number shown was computed by the engine; this
module formats it (fractions as percentages in text, Decimals as JSON numbers).
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from perfxl.findings import Finding
from perfxl.results import Method, RowResult, TableResult


@dataclass
class FileResult:
    path: str
    tables: list[TableResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # file-level (unreadable, no table)


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
    table = result.table
    return {
        "sheet": table.sheet,
        "project": table.project,
        "unit": table.unit,
        "department": table.department,
        "profile": result.profile,
        "total": _num(result.total),
        "grade": result.grade,
        "reported_total": _num(table.reported_total),
        "reported_grade": table.reported_grade,
        "execution_rate": _num(result.execution_rate),
        "arrival_rate": _num(result.arrival_rate),
        "completion_rate": _num(result.completion_rate),
        "deviation": _num(result.deviation),
        "quantification_rate": _num(result.quantification_rate),
        "categories": [
            {"name": c.name, "weight": _num(c.weight), "score": _num(c.score), "rate": _num(c.rate)}
            for c in result.categories
        ],
        "indicators": [_row_to_dict(row) for row in result.rows],
        "findings": [f.to_dict() for f in result.all_findings],
    }


def _row_to_dict(row: RowResult) -> dict[str, Any]:
    ind = row.indicator
    return {
        "cell": str(ind.cell) if ind.cell else "",
        "level1": ind.level1,
        "level2": ind.level2,
        "name": ind.name,
        "target": ind.target_text,
        "actual": ind.actual_text,
        "weight": _num(ind.weight),
        "rate": _num(row.rate),
        "score": _num(row.score),
        "method": str(row.method),
        "reported_score": _num(row.reported_score),
    }


def to_json(files: list[FileResult]) -> str:
    document = {
        "files": [
            {
                "path": f.path,
                "tables": [table_to_dict(t) for t in f.tables],
                "findings": [x.to_dict() for x in f.findings],
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
    findings = sorted(result.all_findings, key=lambda f: f.sort_key)
    if findings:
        lines.append("")
        lines.append(f"问题 {len(findings)} 项：")
        lines.extend(f"{path}:{f.location}: {f.code} {f.message}" for f in findings)
    return "\n".join(lines)


def to_text(files: list[FileResult]) -> str:
    blocks = []
    for f in files:
        blocks.extend(table_to_text(f.path, t) for t in f.tables)
        blocks.extend(f"{f.path}: {x.code} {x.message}" for x in f.findings)
    return ("\n\n" + "=" * 100 + "\n\n").join(blocks)
