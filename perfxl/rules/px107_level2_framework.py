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
    framework = profile.rules.framework
    verdicts = _verdicts(framework)
    found = []
    previous: tuple[str, str] | None = None
    for row in result.rows:
        ind = row.indicator
        group = (ind.level1, ind.level2)
        if group == previous:
            continue
        previous = group
        hint = verdicts.get(group, _UNKNOWN)  # a county's few dozen groups: met before
        if hint is _UNKNOWN:
            hint = _verdict(framework, group)
        if hint is None:
            continue
        message = MESSAGE.format(level2=ind.level2, level1=ind.level1, hint=hint)
        found.append(Finding(CODE, SEVERITY, message, cell_of(ind, "level2")))
    return found


_UNKNOWN = object()


@by_identity
def _verdicts(
    framework: tuple[tuple[str, tuple[str, ...]], ...],
) -> dict[tuple[str, str], str | None]:
    """(level 1, level 2) as written -> the finding's hint, or None when the pair is
    fine; per profile's framework, filled by _verdict."""
    return {}


def _verdict(
    framework: tuple[tuple[str, tuple[str, ...]], ...], group: tuple[str, str]
) -> str | None:
    """The hint of a level-2 name outside its level 1's list ("" when no other level 1
    owns it), None when the pair is fine or not judged. Remembered for names up to 64
    characters (a hostile file's level cells may each hold 32,767)."""
    allowed, owners = _framework(framework)
    level1, level2 = canon(group[0]), canon(group[1])
    hint = None
    if level2 and level1 in allowed and level2 not in allowed[level1]:
        owner = owners.get(level2)
        hint = f"，应属于“{owner}”" if owner and canon(owner) != level1 else ""
    if len(group[0] or "") <= _REMEMBERED_CHARS and len(group[1] or "") <= _REMEMBERED_CHARS:
        verdicts = _verdicts(framework)
        if len(verdicts) >= 4096:  # pragma: no mutate (a cache size never changes an answer)
            verdicts.clear()
        verdicts[group] = hint
    return hint


_REMEMBERED_CHARS = 64  # pragma: no mutate (what is remembered never changes an answer)
