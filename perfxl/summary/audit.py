"""The 核查抽样 sheet: a reproducible random sample of projects for 真实性核查.

Seed 004 draws 20 projects at random to check the evidence behind their core
indicators. Anyone must be able to redraw the same sample, so the draw is
random.Random(seed).sample over the counted projects in the list's order (department,
then discovery order, the same on every machine), and the seed is printed on the sheet.
The seed is the county's ([audit] seed) when it set one; otherwise it is derived from
the county's name, the year and the projects drawn from (a SHA-256 of them), so the
same inputs give the same sample and a changed list gives a new, printed one.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from perfxl.batch.ledger import Consolidation, ProjectEntry
from perfxl.summary.aggregate import settings
from perfxl.summary.table import ROW_NUMBER, Column, Formats
from perfxl.summary.titled import titled_table

if TYPE_CHECKING:
    from perfxl.summary.figures import Figures

AUDIT = "核查抽样"
SEED_DIGITS = 10  # a derived seed is printed as a number of at most ten digits


@dataclass(frozen=True)
class Sample:
    seed: int
    from_settings: bool
    population: int
    drawn: list[ProjectEntry]


def derived_seed(c: Consolidation, pool: list[ProjectEntry]) -> int:
    county = settings(c)
    text = "\n".join(
        [county.name, str(county.year or ""), *(f"{p.file}|{p.sheet}|{p.project}" for p in pool)]
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return int(digest, 16) % 10**SEED_DIGITS


def draw(c: Consolidation) -> Sample:
    """The sample: min(sample_size, counted projects) projects, in the order drawn."""
    county = settings(c)
    pool = [p for p in c.projects if p.counted]
    given = county.sample_seed is not None
    seed = county.sample_seed if given else derived_seed(c, pool)
    size = min(county.sample_size, len(pool))
    chosen = random.Random(seed).sample(range(len(pool)), size)
    return Sample(seed, given, len(pool), [pool[n] for n in chosen])


def write_audit(
    book: Workbook, formats: Formats, c: Consolidation, figures: Figures | None = None
) -> Sample:
    sample = draw(c) if figures is None else figures.sample
    source = (
        "县级设置 [audit] seed"
        if sample.from_settings
        else "由县名、年度和项目清单推算；可写入县级设置 [audit] seed 固定"
    )
    title = (
        f"真实性核查抽样：从 {sample.population} 个项目中随机抽取 {len(sample.drawn)} 个"
        f"（随机种子 {sample.seed}）"
    )
    note = (
        f"随机种子 {sample.seed}（{source}）。抽样方法：Python random.Random(种子).sample，"
        "按“项目汇总”中计入汇总的项目顺序；同一种子、同一项目清单，抽样结果相同。"
    )
    columns = [
        Column("抽样序号", "int", ROW_NUMBER, (6, 8)),
        Column("主管部门", "text", attrgetter("department"), (10, 30)),
        Column("实施单位", "text", attrgetter("unit"), (10, 30)),
        Column("项目名称", "text", attrgetter("project"), (12, 36)),
        Column("全年预算数（万元）", "money", attrgetter("budget")),
        Column("总分", "score", attrgetter("total")),
        Column("等级", "text", attrgetter("grade"), (6, 8)),
        Column("来源文件", "text", attrgetter("file"), (12, 40)),
        Column("工作表", "text", attrgetter("sheet"), (8, 20)),
        Column("核查结果", "text", lambda p: "", (16, 24)),
    ]
    titled_table(book, formats, AUDIT, title, note, columns, sample.drawn)
    return sample
