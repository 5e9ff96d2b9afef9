"""County figures built from the ledger: per department, per grade, for the whole county.

Only counting and adding happen here: every score and rate comes from the engine. A
department's execution rate is a rate, so it is asked of the engine
(perfxl.rates.execution_rate over the department's summed funds) with the profile's own
denominator and rounding. The mean score and the grade shares (sheets.write_grades) are
summary statistics of the engine's totals and grades — a mean and a count — not scores;
the mean is rounded by perfxl.rounding.excel_round, as Excel's ROUND would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from perfxl.batch.ledger import PROCESSED, Consolidation, ProjectEntry
from perfxl.county import CountySettings
from perfxl.model import Funds
from perfxl.profiles import Profile
from perfxl.rates import execution_rate
from perfxl.rounding import excel_round

COUNTY_TOTAL = "全县合计"


@dataclass
class DepartmentStats:
    name: str
    projects: int = 0
    budget: Decimal | None = None
    spent: Decimal | None = None
    execution_rate: Decimal | None = None
    mean_score: Decimal | None = None
    grades: dict[str, int] = field(default_factory=dict)
    behind: int = 0  # execution below the lag line (序时进度 × the county's tolerance)
    deviating: int = 0  # |completion − execution| beyond the profile's threshold
    errors: int = 0
    warnings: int = 0


def settings(c: Consolidation) -> CountySettings:
    """The run's county settings, or the defaults when it had no settings file."""
    return c.county if c.county is not None else CountySettings()


def lag_line(c: Consolidation) -> Decimal:
    """The execution rate below which a project is 执行滞后: 序时进度 × tolerance.

    Both factors are data (--schedule and the county's execution.lag_tolerance): at
    year end with the default 0.9 a project is behind below 90 %, so 98.9 % is not."""
    return c.schedule * settings(c).lag_tolerance


def is_behind(project: ProjectEntry, line: Decimal) -> bool:
    return project.execution_rate is not None and project.execution_rate < line


def is_deviating(project: ProjectEntry, profile: Profile) -> bool:
    return project.deviation is not None and abs(project.deviation) > profile.deviation_threshold


def project_profile(c: Consolidation, project: ProjectEntry) -> Profile:
    """The profile a project was scored under (its folder's), for its own thresholds."""
    return c.profiles.get(project.profile, c.profile)


def department_stats(
    name: str,
    projects: list[ProjectEntry],
    profile: Profile,
    line: Decimal,
    profiles: dict[str, Profile] | None = None,
) -> DepartmentStats:
    """Figures of one department (or the county); repeated projects are left out of sums."""
    stats = DepartmentStats(name, grades={grade: 0 for grade, _ in profile.grades})
    counted = [p for p in projects if p.counted]
    stats.projects = len(counted)
    stats.errors = sum(p.errors for p in projects)
    stats.warnings = sum(p.warnings for p in projects)
    if not counted:
        return stats
    stats.budget = _sum(p.budget for p in counted)
    stats.spent = _sum(p.spent for p in counted)
    stats.execution_rate = execution_rate(_funds(counted), profile)
    # A summary statistic of the engine's totals (their mean), not a score: no rule is
    # applied here, and the one rounding goes through perfxl.rounding like every figure.
    stats.mean_score = excel_round(
        sum(p.total for p in counted) / len(counted), profile.score_digits
    )
    for project in counted:
        stats.grades[project.grade] = stats.grades.get(project.grade, 0) + 1
        stats.behind += is_behind(project, line)
        stats.deviating += is_deviating(project, (profiles or {}).get(project.profile, profile))
    return stats


def _sum(values) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _funds(projects: list[ProjectEntry]) -> Funds:
    """The summed funds of the projects that report spending.

    A denominator is summed only when every such project has it; otherwise the engine
    falls through to the profile's next denominator instead of dividing by a partial sum.
    """
    spending = [p for p in projects if p.spent is not None]
    if not spending:
        return Funds()

    def total(field_name: str) -> Decimal | None:
        values = [getattr(p, field_name) for p in spending]
        return None if any(v is None for v in values) else sum(values, Decimal(0))

    return Funds(budget=total("budget"), received=total("received"), spent=total("spent"))


def by_department(consolidation: Consolidation) -> list[DepartmentStats]:
    """One entry per department in name order, then the county total."""
    groups: dict[str, list[ProjectEntry]] = {}
    for project in consolidation.projects:
        groups.setdefault(project.department, []).append(project)
    profile, line, used = consolidation.profile, lag_line(consolidation), consolidation.profiles
    rows = [department_stats(name, groups[name], profile, line, used) for name in sorted(groups)]
    rows.append(department_stats(COUNTY_TOTAL, consolidation.projects, profile, line, used))
    return rows


def missing_units(consolidation: Consolidation) -> list[str]:
    """Expected units (county settings) with no accepted file: none of their names is a
    project's 主管部门 or 实施单位, nor the folder an accepted file lies in."""
    expected = settings(consolidation).units
    if not expected:  # nothing to look for: no need to gather every name received
        return []
    received: set[str] = set()
    for project in consolidation.projects:
        received.update((project.department, project.unit))
    for entry in consolidation.files:
        if entry.status == PROCESSED:
            received.update(entry.path.split("/")[:-1])
    return [unit for unit in expected if unit not in received]


def grade_counts(consolidation: Consolidation) -> list[tuple[str, int]]:
    """(grade, projects) in the profile's order, repeated projects left out."""
    counts = {grade: 0 for grade, _ in consolidation.profile.grades}
    for project in consolidation.projects:
        if project.counted:
            counts[project.grade] = counts.get(project.grade, 0) + 1
    return list(counts.items())
