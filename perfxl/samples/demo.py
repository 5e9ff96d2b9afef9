"""The bundled example: the four seed projects written as workbooks, each with its profile.

Which profile fits which seed is part of the golden data: seeds 000 and 001 follow the
national rules, 002 and 003 the two Xinjiang variants their reports apply.
"""

from __future__ import annotations

from pathlib import Path

from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS

SEED_PROFILES = {"000": "mof2020", "001": "mof2020", "002": "xj-prop", "003": "xj-60"}


def write_seed_workbooks(outdir: Path) -> list[tuple[Path, str]]:
    """Write seed000.xlsx … seed003.xlsx into `outdir`; return (path, profile name) pairs."""
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for key, profile in SEED_PROFILES.items():
        path = outdir / f"seed{key}.xlsx"
        write_workbook([SEEDS[key]], path)
        written.append((path, profile))
    return written
