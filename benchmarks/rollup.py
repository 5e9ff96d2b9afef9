"""Speed and memory of `perfxl rollup` over a province of synthetic county summaries.

    python benchmarks/rollup.py [--counties 100] [--projects 300] [--keep DIR]

1. Writes N county summaries with perfxl.summary.write_summary (the real writer, so
   the files carry the real marker and layout) from synthetic ledgers: M projects per
   county over 30 departments, random but seeded funds, rates and engine-like totals
   and grades, two findings per project, one rejected file per county, county settings
   with 31 expected units (one missing) and result-application rules. No workbook is
   scored: only the roll-up is measured.
2. Runs `perfxl rollup` over all of them in a fresh process and prints its wall time
   and peak RSS (getrusage of the finished child, interpreter start included).

Issue 13 item 5 asks whether one machine holds a province (~100 counties, a few tens
of thousands of projects); docs/nightly.md quotes the figure this prints.
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfxl.batch.ledger import (  # noqa: E402
    PROCESSED,
    REJECTED,
    Consolidation,
    FileEntry,
    Problem,
    ProjectEntry,
)
from perfxl.county import CountySettings, Treatment  # noqa: E402
from perfxl.profiles import load_profile  # noqa: E402
from perfxl.summary import write_summary  # noqa: E402

PROFILE = load_profile("mof2020")
GRADES = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
CODES = ("PX020", "PX021", "PX022", "PX106", "PX114")


def _grade(total: Decimal) -> str:
    return next(g for low, g in GRADES if total >= low)


def county(n: int, projects: int, rng: random.Random) -> Consolidation:
    name = f"第{n:03d}县"
    units = [f"{name}第{d:02d}局" for d in range(31)]
    c = Consolidation(profile=PROFILE, inputs=[name], profiles={PROFILE.name: PROFILE})
    c.county = CountySettings(
        name=name,
        year=2023,
        units=tuple(units),
        treatments=(
            Treatment("优", "优先保障"),
            Treatment("良", "据实保障"),
            Treatment("中", "核减", Decimal(10)),
            Treatment("差", "核减", Decimal(20)),
        ),
        sample_size=20,
    )
    for p in range(projects):
        department = units[p % 30]  # the 31st unit never submits
        budget = Decimal(rng.randint(100, 500_000)) / 100
        spent = (budget * Decimal(rng.randint(30, 100)) / 100).quantize(Decimal("0.01"))
        execution = (spent / budget).quantize(Decimal("0.0001"))
        completion = Decimal(rng.randint(6000, 10000)) / 10000
        total = Decimal(rng.randint(5500, 10000)) / 100
        path = f"{department}/项目{p:04d}.xlsx"
        c.projects.append(
            ProjectEntry(
                file=path, sheet="绩效自评表", project=f"项目{p:04d}", department=department,
                unit=department, budget=budget, received=budget, spent=spent,
                execution_rate=execution, completion_rate=completion,
                deviation=(completion - execution) * 100, total=total, grade=_grade(total),
                reported_total=total, reported_grade=_grade(total), errors=0, warnings=2,
                profile=PROFILE.name,
            )
        )  # fmt: skip
        c.files.append(FileEntry(path, 20_000, f"{n:04d}{p:060d}", PROCESSED, "", 1, 0, 2))
        for code in rng.sample(CODES, 2):
            c.problems.append(
                Problem("warning", code, path, department, f"项目{p:04d}", "绩效自评表!H12", "…")
            )
    c.files.append(FileEntry(f"{units[0]}/空表.xlsx", 0, "", REJECTED, "文件为空（0 字节）", 0, 1))
    c.problems.append(Problem("error", "PX001", f"{units[0]}/空表.xlsx", "", "", "", "文件为空"))
    c.projects.sort(key=lambda e: e.department)
    return c


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument(
        "--keep", type=Path, default=None, help="write the files here and keep them"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="perfxl-rollup-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        rng = random.Random(20240301)
        clock = time.perf_counter()
        paths = []
        for n in range(args.counties):
            path = work / f"县级汇总{n:03d}.xlsx"
            write_summary(county(n, args.projects, rng), path)
            paths.append(str(path))
        size = sum(Path(p).stat().st_size for p in paths)
        print(
            f"wrote {args.counties} county summaries × {args.projects} projects "
            f"({size / 1e6:.1f} MB) in {time.perf_counter() - clock:.1f} s"
        )
        out = work / "州级汇总.xlsx"
        command = [sys.executable, "-m", "perfxl.cli", "rollup", *paths, "-o", str(out), "-q"]
        clock = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        seconds = time.perf_counter() - clock
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        if done.returncode != 0:
            sys.exit(f"rollup failed ({done.returncode}): {done.stderr or done.stdout}")
        print(done.stdout.strip())
        projects = args.counties * args.projects
        print(
            f"rollup: {args.counties} counties, {projects} projects: {seconds:.2f} s wall, "
            f"peak RSS {peak:.0f} MiB, output {out.stat().st_size / 1e6:.1f} MB"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
