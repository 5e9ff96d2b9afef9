"""CPU cost of check_file per workbook against python-calamine alone, in one process.

    python benchmarks/check_file.py [--files 300] [--rounds 5] [--keep DIR] [--profile N]

Generates a county corpus the way benchmarks/consolidate.py does (or reuses the one in
--keep), then alternates rounds of perfxl.validation.check_file and of calamine reading
every visible sheet's cells of the same workbooks, keeping the best round of each.
Time is CPU time (time.process_time): other work on a shared machine moves it far less
than wall clock, and the alternation makes the ratio compare like with like. With
--profile N, the N most expensive functions of one check_file round (cProfile,
cumulative and own time) are printed too.

Target (issue 14 item 5): check_file ≤ 0.6 ms per typical workbook and ≤ 1.5× calamine.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from consolidate import check_cost, generate  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300, help="workbooks measured")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus in this folder")
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--profile-name", default="mof2020")
    opts = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="perfxl-checkfile-"))
    corpus = opts.keep or base / "county"
    try:
        if not (corpus.exists() and any(corpus.iterdir())):
            generate(corpus, opts.files, min(300, opts.files))
        files = sorted(
            p
            for p in corpus.rglob("*")
            if p.suffix in (".xlsx", ".xlsm") and not p.name.startswith("有问题")
        )  # typical workbooks: the broken ones are refused in a few microseconds
        paths = files[-opts.files :]
        first_ms = first_pass(paths, opts.profile_name, files[: min(20, len(files) - len(paths))])
        check_ms, calamine_ms = check_cost(paths, opts.rounds)
        print(f"files: {len(paths)}   rounds: {opts.rounds} (best kept)")
        print(f"check_file:        {check_ms:.3f} ms CPU per file")
        print(f"calamine alone:    {calamine_ms:.3f} ms CPU per file")
        print(f"ratio:             {check_ms / calamine_ms:.2f}×   (targets ≤ 0.6 ms, ≤ 1.5×)")
        print(f"first pass:        {first_ms:.3f} ms CPU per file (fresh process, each file once)")
        if opts.profile:
            from perfxl.profiles import load_profile
            from perfxl.validation import check_file

            profile = load_profile(opts.profile_name)
            profiler = cProfile.Profile()
            profiler.enable()
            for path in paths:
                check_file(path, profile)
            profiler.disable()
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(opts.profile)
            stats.sort_stats("tottime").print_stats(opts.profile)
    finally:
        if opts.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


FIRST_PASS = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from perfxl.profiles import load_profile
from perfxl.validation import check_file
profile = load_profile(sys.argv[2])
warm, paths = sys.argv[4 : 4 + int(sys.argv[3])], sys.argv[4 + int(sys.argv[3]) :]
for path in warm:
    check_file(path, profile)
start = time.process_time()
for path in paths:
    check_file(path, profile)
print((time.process_time() - start) / len(paths) * 1000)
"""


def first_pass(paths: list[Path], profile: str, warm: list[Path]) -> float:
    """check_file's CPU per file in a fresh process that sees each file once, after
    `warm` (other files) loaded the imports: the caches hold only what those filled, as
    in a consolidate worker early in its run. The rounds above repeat
    the same files with the caches full, which flatters rows met before (their 0.4–0.5
    ms gap to this figure is what a worker pays on first sight of a file's texts)."""
    args = [sys.executable, "-c", FIRST_PASS, str(ROOT), profile, str(len(warm))]
    args += map(str, [*warm, *paths])
    return float(subprocess.run(args, check=True, capture_output=True, text=True).stdout)


if __name__ == "__main__":
    sys.exit(main())
