"""The same three-level indicator appears twice in one table.

Each indicator is counted once; listing it under two level-2 headings scores the same
work twice and hides a missing indicator. Names compare after folding full-width forms,
spaces and traditional characters. The later occurrence is reported, with the first.

Seed 001 lists 资金使用合规率（%） under 质量指标 and again under 时效指标.

Wrong:

    产出指标 | 质量指标 | 资金使用合规率（%） | =100%
             | 时效指标 | 资金使用合规率（%） | >=100%

Right:

    产出指标 | 质量指标 | 资金使用合规率（%） | =100%
             | 时效指标 | 任务按时完成率（%） | =100%
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.model import Indicator
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import NOT_APPLICABLE, blank, cell_of
from perfxl.text import normalize

CODE = "PX106"
NAME = "indicator.duplicate"
SEVERITY = Severity.WARNING
MESSAGE = "三级指标“{name}”重复（{level2}；首次出现在 {first}，{first_level2}）"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    first: dict[str, Indicator] = {}
    found = []
    for row in result.rows:
        ind = row.indicator
        if "name" not in ind.cells or row.method == NOT_APPLICABLE or blank(ind.name):
            continue
        key = normalize(ind.name)
        if key not in first:
            first[key] = ind
            continue
        earlier = first[key]
        message = MESSAGE.format(
            name=ind.name,
            level2=ind.level2 or ind.level1,
            first=cell_of(earlier, "name"),
            first_level2=earlier.level2 or earlier.level1,
        )
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "name")))
    return found
