"""Everything check_file answers for a corpus, as one line per file and profile.

    python benchmarks/answers.py OUT.jsonl FOLDER... [--profiles mof2020,xj-60,xj-prop]
    python benchmarks/answers.py --compare BEFORE.jsonl AFTER.jsonl

A speed change must not change an answer. Run this on the same folders before and after
the change and compare: every table's JSON document (figures, rows, categories,
findings with their cells and messages), every file-level finding, and which tables
were read, for every workbook under the folders and every profile named. Timing is
not measured here (benchmarks/check_file.py does that).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def digest(folders: list[Path], profiles: list[str]) -> list[dict]:
    from perfxl.profiles import load_profile
    from perfxl.report import monitoring_to_dict, table_to_dict
    from perfxl.validation import check_file

    paths = sorted(p for folder in folders for p in folder.rglob("*") if p.suffix in SUFFIXES)
    lines = []
    for name in profiles:
        profile = load_profile(name)
        for path in paths:
            check = check_file(path, profile)
            lines.append(
                {
                    "profile": name,
                    "path": str(path),
                    "tables": [table_to_dict(t.result) for t in check.tables],
                    "monitoring": [monitoring_to_dict(m.result) for m in check.monitoring],
                    "findings": [f.to_dict() for f in check.all_findings],
                }
            )
    return lines


def compare(before: Path, after: Path) -> int:
    old = [json.loads(line) for line in before.read_text(encoding="utf-8").splitlines()]
    new = [json.loads(line) for line in after.read_text(encoding="utf-8").splitlines()]
    if len(old) != len(new):
        print(f"different number of answers: {len(old)} before, {len(new)} after")
        return 1
    differ = [(a, b) for a, b in zip(old, new, strict=True) if a != b]
    for a, b in differ[:10]:
        print(f"DIFFERS: {a['profile']} {a['path']}")
        for key in ("tables", "monitoring", "findings"):
            if a[key] != b[key]:
                print(f"  {key}:\n    before {json.dumps(a[key], ensure_ascii=False)[:600]}")
                print(f"    after  {json.dumps(b[key], ensure_ascii=False)[:600]}")
    print(f"{len(old)} answers compared, {len(differ)} differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--profiles", default="mof2020,xj-60,xj-prop")
    parser.add_argument("--compare", action="store_true", help="compare two answer files")
    opts = parser.parse_args()
    if opts.compare:
        return compare(*opts.paths)
    out, *folders = opts.paths
    lines = digest(folders, opts.profiles.split(","))
    text = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in lines)
    out.write_text(text, encoding="utf-8")
    print(f"{len(lines)} answers written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
