"""Rebuild the example county: examples/county/ (the demo's input).

Usage: .venv/bin/python scripts/build_example_county.py [OUTDIR]

The county is generated deterministically (perfxl.samples.county): the four seed
projects, about twenty departments with one to four projects each in varied layouts,
the bad submissions a finance bureau really receives, and the county's settings file
(perfxl-county.toml: expected units, one of which never submits, and the Xinjiang
profiles of seeds 002 and 003 by folder). tests/test_consolidate_cli.py checks that a
rebuild equals the committed files, so rerun this after changing perfxl/samples and
commit the result.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing perfxl
    sys.path.insert(0, str(ROOT))

from perfxl.samples.county import build_county  # noqa: E402

DEFAULT_OUTDIR = ROOT / "examples" / "county"


def main(argv: list[str]) -> int:
    if len(argv) > 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = Path(argv[1]) if len(argv) == 2 else DEFAULT_OUTDIR
    for entry in build_county(outdir):
        print(f"{entry.kind:12s} {entry.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
