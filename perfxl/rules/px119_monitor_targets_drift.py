"""The monitoring table's indicators or targets differ from the year-end table's.

The targets approved with the budget are what both tables report against: a
monitoring table and the 自评表 of the same project in one workbook must list the same
三级指标 with the same 年度指标值. A target lowered mid-year, or an indicator dropped
or added, shows here (names and targets compared after normalising: full-width signs,
traditional characters and spaces do not count as differences).

Wrong:

    监控表: 培训人数 ≥100人          自评表: 培训人数 ≥80人

Right:

    监控表: 培训人数 ≥100人          自评表: 培训人数 ≥100人
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.rules.monitor_common import row_cell, table_cell
from perfxl.text import normalize

CODE = "PX119"
NAME = "monitor.targets_drift"
SEVERITY = Severity.WARNING
FORM = "monitoring"
MESSAGE = "{detail}（与工作表“{sheet}”的自评表不一致）"


def _key(text: str | None) -> str:
    return normalize(text or "")


def check(result, profile: Profile, year_end: tuple = ()) -> list[Finding]:
    table = result.table
    same = [t for t in year_end if t.project and _key(t.project) == _key(table.project)]
    if not same:
        return []
    other = same[0]
    theirs = {_key(i.name): i for i in other.indicators if i.target_text or i.actual_text}
    ours = {_key(r.row.name): r.row for r in result.rows}
    found = []
    for key, row in ours.items():
        if key not in theirs:
            detail = f"监控指标“{row.name}”不在年终自评表中"
        elif _key(row.target_text) != _key(theirs[key].target_text):
            detail = (
                f"“{row.name}”的年度指标值“{row.target_text or ''}”与自评表的"
                f"“{theirs[key].target_text or ''}”不同"
            )
        else:
            continue
        cell = row_cell(row, "target", "name")
        found.append(
            Finding(CODE, SEVERITY, MESSAGE.format(detail=detail, sheet=other.sheet), cell)
        )
    for key, indicator in theirs.items():
        if key not in ours and _counts(indicator):
            detail = f"自评表的指标“{indicator.name}”未列入监控表"
            found.append(Finding(CODE, SEVERITY, MESSAGE.format(detail=detail, sheet=other.sheet),
                                 table_cell(table, "project")))  # fmt: skip
    return found


def _counts(indicator) -> bool:
    """A project indicator, not the 预算执行率 or a rubric row of the year-end form."""
    return bool(indicator.target_text) and "执行率" not in indicator.name
