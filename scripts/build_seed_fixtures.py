"""Rebuild the seed fixture workbooks: examples/seeds/seed000.xlsx … seed003.xlsx.

Usage: .venv/bin/python scripts/build_seed_fixtures.py [OUTDIR]

The files are golden test inputs (tests/test_samples.py checks that a rebuild matches
them), so rerun this after changing perfxl/samples and commit the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing perfxl
    sys.path.insert(0, str(ROOT))

from perfxl.samples.national import write_workbook  # noqa: E402
from perfxl.samples.seeds import SEEDS  # noqa: E402

DEFAULT_OUTDIR = ROOT / "examples" / "seeds"


def build(outdir: Path = DEFAULT_OUTDIR) -> list[Path]:
    """Write one workbook per seed and return their paths."""
    paths = []
    for key, project in sorted(SEEDS.items()):
        path = outdir / f"seed{key}.xlsx"
        write_workbook([project], path)
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUTDIR
    for path in build(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
