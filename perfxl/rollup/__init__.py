"""`perfxl rollup`: county summaries → one prefecture summary (州级汇总).

Issue 13 item 5. A prefecture (or a province) collects the 县级汇总.xlsx each county's
`perfxl consolidate` wrote; the roll-up reads them back (perfxl.rollup.read: only
summaries perfxl wrote, refusing anything else with a reason) and writes one workbook:
a row per county, every project with its county, the grade chart, problem counts per
PX code (perfxl.rollup.write). Files are read one at a time and only the figures kept,
so a province of ~100 counties and tens of thousands of projects fits one machine
(benchmarks/rollup.py, docs/nightly.md).

Nothing is scored again: the counties' figures are the engine's as their summaries hold
them. Sums are added in Decimal from each cell's shortest repr; the prefecture's mean
score is the mean of every counted project's total (not a mean of county means),
rounded half up by perfxl.rounding like the county's.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from perfxl.rollup.read import CountySummary, Refused, read_summary

ROLLUP_TITLE = "项目支出绩效自评州级汇总"
ROLLUP_MARKER = "perfxl 州级汇总版本"
ROLLUP_VERSION = "1"

__all__ = ["ROLLUP_TITLE", "Refused", "Rollup", "rollup"]


@dataclass
class Rollup:
    counties: list[CountySummary] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    started: datetime | None = None

    @property
    def exit_code(self) -> int:
        """0 every file rolled up; 1 written but some files refused (as consolidate)."""
        return 1 if self.refused else 0


def rollup(paths: list[str | Path], *, shown=str, progress=None) -> Rollup:
    """Read every county summary in `paths` (in the order given); nothing is written.

    The same file given twice, or a second summary of a county and year already read,
    is refused: the prefecture would count that county twice.
    """
    result = Rollup(started=datetime.now().astimezone())
    seen_files: dict[str, str] = {}
    seen_counties: dict[tuple[str, int | None], str] = {}
    for path in paths:
        name = shown(path)
        real = os.path.realpath(path)
        if real in seen_files:
            result.refused.append((name, f"与“{seen_files[real]}”是同一个文件，已跳过"))
            continue
        seen_files[real] = name
        try:
            county = read_summary(path)
        except Refused as exc:
            result.refused.append((name, str(exc)))
            continue
        key = (county.name, county.year)
        if key in seen_counties:
            year = f"{county.year} 年度" if county.year else ""
            reason = f"{county.name}{year}的汇总已由“{seen_counties[key]}”读入，同一县不重复计入"
            result.refused.append((name, reason))
            continue
        seen_counties[key] = name
        county.path = name
        result.counties.append(county)
        if progress is not None:
            progress(county)
    return result
