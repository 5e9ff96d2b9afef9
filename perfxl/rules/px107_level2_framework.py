"""A level-2 indicator does not belong to its level-1 indicator.

The framework is data: `[rules] framework` in the profile lists, for each level-1
name, the level-2 names that belong to it — the national self-evaluation form (产出:
数量/质量/时效/成本; 效益: 经济/社会/生态效益, 可持续影响; 满意度: 服务对象满意度) and the
evaluation framework (决策: 项目立项/绩效目标/资金投入; 过程: 资金管理/组织实施).
Names compare without a trailing 指标. Level-1 names the profile does not list are not
judged. A run of rows under one level-2 heading is reported once, at its first row.

Wrong:

    产出指标 | 社会效益指标 | 群众知晓率 | ≥90%

Right:

    效益指标 | 社会效益指标 | 群众知晓率 | ≥90%
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import by_identity, canon, cell_of

CODE = "PX107"
NAME = "framework.level2"
SEVERITY = Severity.WARNING
MESSAGE = "二级指标“{level2}”不属于一级指标“{level1}”{hint}"


@by_identity
def _framework(
    framework: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, set[str]], dict[str, str]]:
    """Level-1 name -> its level-2 names, and level-2 name -> the level-1 name that owns
    it, as canon() spells them; made once per profile's framework, not per table."""
    allowed = {canon(l1): {canon(l2) for l2 in names} for l1, names in framework}
    owners: dict[str, str] = {}
    for l1, names in framework:
        for l2 in names:
            owners.setdefault(canon(l2), l1)
    return allowed, owners


def check(result: TableResult, profile: Profile) -> list[Finding]:
    allowed, owners = _framework(profile.rules.framework)
    found = []
    previous: tuple[str, str] | None = None
    for row in result.rows:
        ind = row.indicator
        group = (ind.level1, ind.level2)
        if group == previous:
            continue
        previous = group
        level1, level2 = canon(ind.level1), canon(ind.level2)
        if not level2 or level1 not in allowed or level2 in allowed[level1]:
            continue
        owner = owners.get(level2)
        hint = f"，应属于“{owner}”" if owner and canon(owner) != level1 else ""
        message = MESSAGE.format(level2=ind.level2, level1=ind.level1, hint=hint)
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "level2")))
    return found
