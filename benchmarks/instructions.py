"""Instructions a worker spends per workbook, counted by valgrind: a figure that holds still.

    python benchmarks/instructions.py [--files 200] [--corpus DIR] [--base REF] [--calamine]

Why: on this VM the same code's CPU time moves by ~20% between neighbouring runs, so a
5% step cannot be seen in seconds. callgrind counts the instructions a process executes
(its "Ir"), which repeats to a few parts per million from run to run.

What: perfxl.batch.worker.process_file (read, hash, check, validate, encode the payload:
all a worker does for a new file) over `--files` workbooks of the benchmark county, after
a warm-up of 50 others (imports, the first profile, caches the run would have warm).
Each version runs twice under callgrind, once with no measured files; the difference
divided by the files is the figure, so start-up and warm-up cancel out. The split below
it is taken from callgrind's inclusive counts: python-calamine (and, inside it, the
merged-cell scan that its get_sheet_by_name always does), SHA-256, inflate and regular
expressions; "Python and the rest" is what is left.

With `--calamine` it also counts python-calamine alone reading every visible sheet of
the same files from the files as they are (benchmarks/consolidate.py's calamine_read,
the yardstick of issue 14's "within 1.5× of calamine") and prints the ratio.

With `--base REF` the same is measured for a git ref (checked out in a temporary
clone) and the ratio printed: compare versions in one run, not against an old note.
Instructions are not time (cache misses and branch mispredictions are not counted), so
the wall-clock benchmark (benchmarks/consolidate.py) still has the last word.
Needs valgrind (`apt-get install -y valgrind`); about 30 s per version for 200 files.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

WARM = 50

CHILD = r"""
import os, sys
from perfxl.batch.worker import process_file
from perfxl.profiles import load_profile
profile = load_profile("mof2020")
paths = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines() if line]
warm, count = int(sys.argv[2]), int(sys.argv[3])
for path in paths[:warm] + paths[warm : warm + count]:
    status = os.stat(path)
    process_file(path, status.st_size, status.st_mtime_ns, profile, frozenset(), 0)
"""

# what python-calamine alone does for the same files (benchmarks/consolidate.py's
# calamine_read: every visible worksheet's cells, from the file as it is)
CALAMINE_ALONE = r"""
import sys
sys.path.insert(0, "benchmarks")
from consolidate import calamine_read
paths = [line for line in open(sys.argv[1], encoding="utf-8").read().splitlines() if line]
warm, count = int(sys.argv[2]), int(sys.argv[3])
for path in paths[:warm] + paths[warm : warm + count]:
    try:
        calamine_read(path)
    except Exception:  # a broken file of the county: calamine refuses it, as perfxl does
        pass
"""

# (label, symbol patterns): a group's count is the sum over its patterns of the largest
# inclusive count of a function matching that pattern (wrappers hold their callee's count)
GROUPS = (
    (
        "python-calamine",
        (
            r"CalamineWorkbook>::__pymethod_from_filelike__",
            r"CalamineWorkbook>::__pymethod_get_sheet_by_name__",
            r"CalamineSheet>::__pymethod_to_python__",
        ),
    ),
    ("  of which merged-cell scan", (r"Xlsx<.*>>::merge_cells_by_sheet_name",)),
    ("SHA-256", (r":SHA256_Update ",)),
    ("inflate", (r":isal_inflate ", r":inflate \[")),
    (
        "regular expressions",
        (
            r":_sre_SRE_Pattern_search ",
            r":_sre_SRE_Pattern_match ",
            r":_sre_SRE_Pattern_fullmatch ",
            r":_sre_SRE_Pattern_findall ",
            r":pattern_subx ",
            r":_sre_SRE_Scanner_search ",
        ),
    ),
)
_LINE = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+(.*)$")
_TOTAL = re.compile(r"^\s*([\d,]+)\s+\([^)]*\)\s+PROGRAM TOTALS")


def counts(out_file: Path) -> dict[str, int]:
    """Total instructions and each group's inclusive count in one callgrind output."""
    text = subprocess.run(
        ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out_file)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: dict[str, int] = {}
    lines = text.splitlines()
    for line in lines:
        total = _TOTAL.match(line)
        if total:
            found["total"] = int(total.group(1).replace(",", ""))
            break
    for label, patterns in GROUPS:
        count = 0
        for pattern in patterns:
            regex = re.compile(pattern)
            best = 0
            for line in lines:
                match = _LINE.match(line)
                if match and regex.search(match.group(2)):
                    best = max(best, int(match.group(1).replace(",", "")))
            count += best
        found[label] = count
    return found


def measure(
    root: Path, list_file: Path, files: int, work: Path, child: str = CHILD, tag: str = ""
) -> dict[str, float]:
    """Instructions per file for the perfxl at `root`, overall and by group."""
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONHASHSEED="0")
    results = []
    for count in (0, files):
        out = work / f"callgrind.{root.name}{tag}.{count}"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                child,
                str(list_file),
                str(WARM),
                str(count),
            ],
            env=env,
            cwd=root,  # `-c` puts the working folder first on sys.path: it must be `root`
            check=True,
            capture_output=True,
        )
        results.append(counts(out))
    empty, full = results
    return {key: (full[key] - empty.get(key, 0)) / files for key in full}


def sample(corpus: Path, files: int) -> list[Path]:
    """WARM + `files` workbooks spread over the county's folders, in a fixed order."""
    paths = sorted(p for p in corpus.rglob("*") if p.suffix in (".xlsx", ".xlsm", ".xls"))
    wanted = WARM + files
    if len(paths) < wanted:
        raise SystemExit(f"{corpus} holds {len(paths)} workbooks; {wanted} are needed")
    step = len(paths) // wanted
    picked = paths[::step][:wanted]
    return picked[-WARM:] + picked[:files]  # warm-up first, then the measured files


def report(
    head: dict[str, float], base: dict[str, float] | None, ref: str | None, name: str = "HEAD"
) -> None:
    def cell(value: float, total: float) -> str:
        return f"{value / 1e6:7.3f} M ({100 * value / total:4.1f}%)"

    title = f"{'':28}{name:>20}" + (f"{ref:>22}" if base else "")
    print(title)
    rows = [("total", "total")] + [(label, label) for label, _ in GROUPS]
    for label, key in rows:
        line = f"{label:28}{cell(head[key], head['total']):>20}"
        if base:
            line += f"{cell(base[key], base['total']):>22}"
        print(line)

    def rest(found: dict[str, float]) -> float:
        return found["total"] - sum(found[label] for label, _ in GROUPS if label[0] != " ")

    line = f"{'Python and the rest':28}{cell(rest(head), head['total']):>20}"
    if base:
        line += f"{cell(rest(base), base['total']):>22}"
    print(line)
    if base:
        print(f"{name} / {ref}: {head['total'] / base['total']:.3f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200, help="workbooks measured")
    parser.add_argument("--corpus", type=Path, default=None, help="a generated county to reuse")
    parser.add_argument("--base", default=None, help="a git ref to measure as well")
    parser.add_argument(
        "--calamine", action="store_true", help="also python-calamine alone on the same files"
    )
    opts = parser.parse_args()
    if shutil.which("valgrind") is None or shutil.which("callgrind_annotate") is None:
        print("valgrind is not installed: apt-get install -y valgrind", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="perfxl-instructions-"))
    try:
        corpus = opts.corpus
        if corpus is None:
            from consolidate import generate

            corpus = work / "county"
            generate(corpus, 2 * (opts.files + WARM), 300)
        list_file = work / "files.txt"
        list_file.write_text(
            "\n".join(str(p) for p in sample(corpus, opts.files)) + "\n", encoding="utf-8"
        )
        head = measure(ROOT, list_file, opts.files, work)
        base = None
        if opts.base:
            tree = work / "base"  # a clone, not a worktree: nothing in ROOT/.git changes
            subprocess.run(["git", "clone", "-q", "--shared", str(ROOT), str(tree)], check=True)
            subprocess.run(["git", "-C", str(tree), "checkout", "-q", opts.base], check=True)
            base = measure(tree, list_file, opts.files, work)
        print(f"instructions per workbook (callgrind; {opts.files} files after {WARM} warm-up)")
        report(head, base, opts.base)
        if opts.calamine:
            alone = measure(ROOT, list_file, opts.files, work, CALAMINE_ALONE, ".alone")["total"]
            print(
                f"python-calamine alone on the same files: {alone / 1e6:.3f} M; "
                f"HEAD / calamine alone: {head['total'] / alone:.2f}× (issue 14's target: 1.5×)"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
