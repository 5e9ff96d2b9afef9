"""The county figures several sheets show, each computed once per summary.

总览 shows the county total, the missing units, the suggested cuts and the audit
sample; 单位汇总, 未报送, 结果应用, 核查抽样 and 说明 show them again. On a county of ten
thousand files computing each afresh per sheet (the county total twice, the missing
units three times, the sample and the suggestions twice) was a tenth of the summary's
time, in the run's serial tail. A Figures is made for one consolidation that no longer
changes (summary_bytes, or one caller of overview.facts) and hands out the same values.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from perfxl.summary.aggregate import DepartmentStats, by_department, missing_units

if TYPE_CHECKING:
    from perfxl.batch.ledger import Consolidation
    from perfxl.summary.audit import Sample
    from perfxl.summary.missing import MissingUnit
    from perfxl.summary.results import Suggestion


class Figures:
    def __init__(self, consolidation: Consolidation) -> None:
        self.c = consolidation

    @cached_property
    def departments(self) -> list[DepartmentStats]:
        """aggregate.by_department: one per department, then the county total."""
        return by_department(self.c)

    @property
    def county(self) -> DepartmentStats:
        return self.departments[-1]

    @cached_property
    def missing_units(self) -> list[str]:
        return missing_units(self.c)

    @cached_property
    def missing(self) -> list[MissingUnit]:
        from perfxl.summary.missing import missing

        return missing(self.c, self.missing_units)

    @cached_property
    def suggestions(self) -> list[Suggestion]:
        from perfxl.summary.results import suggestions

        return suggestions(self.c)

    @cached_property
    def sample(self) -> Sample:
        from perfxl.summary.audit import draw

        return draw(self.c)
