"""End-to-end speed of `perfxl consolidate` on a generated county, against a naive script.

    python benchmarks/consolidate.py [--files 10000] [--jobs N] [--naive-files 400] [--keep DIR]

1. Generates N unit workbooks: a few hundred distinct ones written by
   perfxl.samples.national.write_workbook in varied layouts (traditional characters,
   synonym headers, blank spacer rows, points in the level-1 cell, several project
   sheets in one workbook, .xlsm), then copied with the project name and department
   patched inside the sheet XML, so every file has its own content and hash; about
   0.5 % are broken (empty, renamed text, .xls, encrypted, cut-off zip, zip bomb, no
   table, exact duplicates), spread over 55 department folders.
2. Runs `perfxl consolidate` in a fresh process: cold (empty cache), warm (nothing
   changed), and warm after one file changed (the summary must be rewritten).
3. Runs a naive pandas.read_excel(engine="openpyxl") + concat script over a subset in
   a fresh process and extrapolates its time (it is ~100× slower; timing all files
   would take many minutes): the interpreter start and pandas import once, plus the
   subset's per-file time for every file (extrapolating files/s of the whole subset
   run would count the start-up once per subset and flatter perfxl's ratio by ~1.5×).
   The subset is the first files in path order.

Timings are wall clock of the whole command, interpreter start included. Peak RSS is
read from getrusage inside the consolidate process: its own peak plus its children's
(the largest worker's peak, times the number of workers as an upper bound), and, on
Linux, the largest sum over the process tree sampled every 20 ms.
4. Measures the CPU time of check_file (read + score + validate one workbook) and of
   python-calamine reading the same cells alone, on the same 300 files in this process.

The cold run's CPU time (main process and workers, from getrusage) is printed too: on a
machine shared with other work, CPU per file moves far less than wall clock does.
Targets (2 cores): cold ≥ 1,500 files/s, ≥ 12× naive, warm ≤ 1 s, peak RSS ≤ 300 MB,
check_file ≤ 0.6 ms and within 1.5× of calamine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfxl.samples.broken import write_broken  # noqa: E402
from perfxl.samples.county import DEPARTMENTS, department_name, generate_project  # noqa: E402
from perfxl.samples.national import write_workbook  # noqa: E402

_EXTRA = """
县委办公室 县人大常委会办公室 县政协办公室 县纪委监委 县委组织部 县委宣传部 县委统战部
县委政法委 县公安局 县人民法院 县人民检察院 县财政局 县科技局 县商务局 县粮食和物资储备局
县供销合作社 县妇女联合会 共青团县委 县总工会 县档案馆 县融媒体中心 县气象局 县信访局
县机关事务管理局 县住房公积金管理中心 县城市管理局 和平镇人民政府 新华镇人民政府
东风镇人民政府 红旗乡人民政府 团结乡人民政府 胜利乡人民政府 光明镇人民政府 幸福乡人民政府
"""
EXTRA_DEPARTMENTS = tuple(_EXTRA.split())
BROKEN_KINDS = ("zero_byte", "text_renamed", "old_xls", "encrypted", "corrupt_zip", "no_table")

CHILD = r"""
import json, resource, sys
from perfxl.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
    code = 0
except SystemExit as exc:
    code = exc.code
me = resource.getrusage(resource.RUSAGE_SELF)
kids = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"code": code, "self_kb": me.ru_maxrss, "children_kb": kids.ru_maxrss,
                  "self_cpu": me.ru_utime + me.ru_stime,
                  "children_cpu": kids.ru_utime + kids.ru_stime}), file=sys.stderr)
"""

NAIVE = r"""
import sys, time, warnings
import pandas as pd
warnings.simplefilter("ignore")
start = time.perf_counter()
frames = []
for path in sys.argv[1:]:
    try:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl", header=None)
    except Exception:
        continue
    for name, frame in sheets.items():
        frame["file"], frame["sheet"] = path, name
        frames.append(frame)
table = pd.concat(frames, ignore_index=True)
print(time.perf_counter() - start)
"""


# --- corpus --------------------------------------------------------------------------------


def _members(path: Path) -> list[tuple[str, bytes, int, int, int]]:
    """(name, deflated bytes, crc, size, method) of each member, read raw from the zip."""
    import zipfile

    raw = path.read_bytes()
    members = []
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack("<HH", raw[start + 26 : start + 30])
            data_start = start + 30 + name_len + extra_len
            data = raw[data_start : data_start + info.compress_size]
            members.append((info.filename, data, info.CRC, info.file_size, info.compress_type))
    return members


def _zip_bytes(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A minimal zip (no data descriptors, fixed dates) from already-deflated members."""
    out, central, offset = [], [], 0
    for name, data, crc, size, method in members:
        encoded = name.encode("utf-8")
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, method, 0, 0x5821,
                           crc, len(data), size, len(encoded), 0)  # fmt: skip
        out += [head, encoded, data]
        central.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, method, 0, 0x5821,
                        crc, len(data), size, len(encoded), 0, 0, 0, 0, 0o644 << 16, offset)
            + encoded
        )  # fmt: skip
        offset += len(head) + len(encoded) + len(data)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                      len(directory), offset, 0)  # fmt: skip
    return b"".join(out) + directory + end


def _refs(text: str) -> str:
    """`text` as an XML writer that escapes every non-ASCII character spells it."""
    return "".join(c if ord(c) < 128 else f"&#{ord(c)};" for c in text)


def _patched(members, replacements: dict[str, str]) -> bytes:
    result = []
    for name, data, crc, size, method in members:
        if name.startswith("xl/worksheets/sheet"):
            text = zlib.decompress(data, -15).decode("utf-8")
            for old, new in replacements.items():
                text = text.replace(f"<t>{old}</t>", f"<t>{new}</t>")
                # openpyxl writes inline strings with character references (&#39033;):
                # without this every copy of a template kept its bytes (a duplicate)
                text = text.replace(f"<t>{_refs(old)}</t>", f"<t>{_refs(new)}</t>")
            plain = text.encode("utf-8")
            packer = zlib.compressobj(1, zlib.DEFLATED, -15)
            data = packer.compress(plain) + packer.flush()
            crc, size, method = zlib.crc32(plain), len(plain), 8
        result.append((name, data, crc, size, method))
    return _zip_bytes(result)


def generate(root: Path, count: int, distinct: int, seed: int = 7) -> dict[str, int]:
    rng = random.Random(seed)
    templates_dir = root.parent / f"{root.name}-templates"
    templates_dir.mkdir(parents=True, exist_ok=True)
    departments = [department_name(short) for short, _ in DEPARTMENTS]
    departments += [f"示例{name}" for name in EXTRA_DEPARTMENTS]
    templates = []
    for n in range(distinct):
        short, projects = rng.choice(DEPARTMENTS)
        picked = rng.sample(projects, k=min(len(projects), rng.choice((1, 1, 1, 2, 3))))
        specs = [generate_project(rng, department_name(short), p) for p in picked]
        options = {
            "traditional": rng.random() < 0.1,
            "level1_points": rng.random() < 0.3,
            "spacer_rows": rng.random() < 0.2,
            "header_variant": "synonyms" if rng.random() < 0.2 else "standard",
        }
        suffix = ".xlsm" if rng.random() < 0.1 else ".xlsx"
        path = templates_dir / f"t{n:04d}{suffix}"
        write_workbook(specs, path, **options)
        templates.append((path, _members(path), specs))
    broken_every = 200  # 0.5 %
    made = {"workbooks": 0, "broken": 0, "duplicates": 0}
    last: Path | None = None  # the latest good workbook, copied as a duplicate submission
    for i in range(count):
        department = departments[i % len(departments)]
        folder = root / department
        folder.mkdir(parents=True, exist_ok=True)
        if i % broken_every == broken_every - 1:
            kind = BROKEN_KINDS[(i // broken_every) % len(BROKEN_KINDS)]
            if (i // broken_every) % 10 == 9:
                kind = "zip_bomb"
            if (i // broken_every) % 7 == 3 and last is not None:
                shutil.copyfile(last, folder / f"重复提交{i:05d}.xlsx")
                made["duplicates"] += 1
                continue
            suffix = ".xls" if kind == "old_xls" else ".xlsx"
            write_broken(kind, folder / f"有问题{i:05d}{suffix}", source=templates[0][0])
            made["broken"] += 1
            continue
        path, members, specs = templates[i % distinct]
        replacements = {s.project: f"{s.project}（{i:05d}）" for s in specs}
        replacements[specs[0].department] = department
        last = folder / f"{specs[0].project}{i:05d}{path.suffix}"
        last.write_bytes(_patched(members, replacements))
        made["workbooks"] += 1
    shutil.rmtree(templates_dir)
    return made


# --- measuring ------------------------------------------------------------------------------


def _tree_rss(pid: int) -> int:
    """Sum of VmRSS (KB) over a process and its descendants (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(x for x in status.splitlines() if x.startswith("VmRSS")).split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue
    return total


def run_consolidate(args: list[str]) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = [0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], _tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if Path("/proc").is_dir():
        sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.join(timeout=1) if sampler.is_alive() else None
    usage = json.loads(err.decode().strip().splitlines()[-1])
    usage.update(seconds=elapsed, sampled_kb=peak[0], output=out.decode())
    return usage


def calamine_read(path: Path) -> int:
    """What python-calamine alone does for a file: every visible worksheet's cells."""
    import python_calamine

    cells = 0
    with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
        visible = str(python_calamine.SheetVisibleEnum.Visible)
        for meta in book.sheets_metadata:
            if str(meta.visible) == visible:
                rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
                cells += sum(map(len, rows))
    return cells


def check_cost(paths: list[Path], rounds: int = 5) -> tuple[float, float]:
    """Milliseconds of CPU per file for read + score + validate (perfxl.validation.check_file)
    and for python-calamine reading the same files' cells alone, in this process.

    CPU time (time.process_time), not wall clock, so other load on the machine moves the
    figures far less; the two are measured in alternating rounds over the same files and
    the best round of each is kept, so their ratio compares like with like. check_file's
    figure is the floor under any consolidation, whatever the batch does.
    """
    from perfxl.profiles import load_profile
    from perfxl.validation import check_file

    profile = load_profile("mof2020")
    for path in paths[:20]:  # warm the imports and caches
        check_file(path, profile)
        calamine_read(path)
    best_check = best_calamine = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for path in paths:
            check_file(path, profile)
        best_check = min(best_check, time.process_time() - start)
        start = time.process_time()
        for path in paths:
            calamine_read(path)
        best_calamine = min(best_calamine, time.process_time() - start)
    return best_check / len(paths) * 1000, best_calamine / len(paths) * 1000


def run_naive(paths: list[Path]) -> tuple[float, float]:
    """Seconds of the whole naive run and of its loop over the files alone."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", NAIVE, *map(str, paths)], check=True, capture_output=True
    )
    return time.perf_counter() - start, float(done.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--distinct", type=int, default=300, help="workbooks written by openpyxl")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--naive-files", type=int, default=400, help="subset the naive script reads"
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep the corpus in this folder")
    opts = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="perfxl-bench-"))
    corpus = opts.keep or base / "county"
    out = base / "out" / "县级汇总.xlsx"
    try:
        if corpus.exists() and any(corpus.iterdir()):
            print(f"using existing corpus {corpus}")
        else:
            start = time.perf_counter()
            made = generate(corpus, opts.files, min(opts.distinct, opts.files))
            print(f"generated {opts.files} files in {time.perf_counter() - start:.1f} s: {made}")
        files = sorted(p for p in corpus.rglob("*") if p.is_file())
        count = len(files)
        # an installed perfxl has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
        # would compile every module in every timed run (the warm run most of all)
        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(ROOT / "perfxl")],
            check=False,
            capture_output=True,
        )
        base_args = ["consolidate", str(corpus), "-o", str(out), "--jobs", str(opts.jobs), "-q"]

        cold = run_consolidate(base_args)
        warm = run_consolidate(base_args)
        changed = next(p for p in files if p.suffix == ".xlsx" and p.stat().st_size > 1000)
        changed.write_bytes(changed.read_bytes())  # same bytes, new mtime: hashed, not parsed
        victim = next(p for p in reversed(files) if p.suffix == ".xlsx" and p.stat().st_size > 1000)
        shutil.copyfile(files[0] if files[0] != victim else files[1], victim)  # new content
        warm_changed = run_consolidate(base_args)

        sample = [p for p in files if p.suffix in (".xlsx", ".xlsm")]
        per_file_ms, calamine_ms = check_cost(sample[-300:])
        naive_paths = sample[: opts.naive_files]
        naive_seconds, naive_loop = run_naive(naive_paths)
        naive_total = naive_seconds - naive_loop + naive_loop / len(naive_paths) * count
        naive_rate = count / naive_total
    finally:
        if opts.keep is None:
            shutil.rmtree(base, ignore_errors=True)
        else:
            shutil.rmtree(base / "out", ignore_errors=True)

    cold_rate = count / cold["seconds"]
    mb = 1024
    upper = (cold["self_kb"] + opts.jobs * cold["children_kb"]) / mb
    cores = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"\nfiles: {count}   jobs: {opts.jobs}   cores: {cores} (usable here: {usable})")
    if load is not None:
        busy = (
            "   ← the machine is busy: wall-clock figures are pessimistic"
            if load[0] > 1.5 * usable
            else ""
        )
        print(f"load average: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}{busy}")
    print(f"cold:  {cold['seconds']:.2f} s  = {cold_rate:,.0f} files/s   (exit {cold['code']})")
    cold_cpu = cold["self_cpu"] + cold["children_cpu"]
    print(
        f"cold CPU: {cold_cpu:.2f} s = {cold_cpu / count * 1000:.2f} ms per file "
        f"(main {cold['self_cpu'] / count * 1000:.2f} + workers "
        f"{cold['children_cpu'] / count * 1000:.2f}): on {opts.jobs} idle cores at most "
        f"~{count / max(cold_cpu / opts.jobs, cold['self_cpu'], 1e-9):,.0f} files/s"
    )
    warm_cpu = warm["self_cpu"] + warm["children_cpu"]
    print(
        f"warm:  {warm['seconds']:.2f} s  (nothing changed: summary kept; "
        f"CPU {warm_cpu:.2f} s, interpreter start and imports included)"
    )
    print(
        f"warm, one file changed + one touched: {warm_changed['seconds']:.2f} s (summary rewritten)"
    )
    print(
        f"naive pandas.read_excel(openpyxl) + concat: {len(naive_paths)} files in "
        f"{naive_seconds:.2f} s ({naive_seconds - naive_loop:.2f} s of it start-up and imports) "
        f"→ extrapolated {naive_total:,.0f} s for {count} files = {naive_rate:,.0f} files/s"
    )
    print(f"ratio cold/naive: {cold_rate / naive_rate:.1f}×")
    ceiling = 1000 / per_file_ms * cores
    print(
        f"check_file (read + score + validate) costs {per_file_ms:.2f} ms CPU per file here: "
        f"at most ~{ceiling:,.0f} files/s on {cores} cores before any batch work"
    )
    print(
        f"python-calamine reading the same cells: {calamine_ms:.2f} ms CPU per file; "
        f"check_file / calamine = {per_file_ms / calamine_ms:.2f}×"
    )
    print(
        f"peak RSS (getrusage): main {cold['self_kb'] / mb:.0f} MB + largest worker "
        f"{cold['children_kb'] / mb:.0f} MB → ≤ {upper:.0f} MB for {opts.jobs} workers"
    )
    sampled = cold["sampled_kb"] / mb
    if cold["sampled_kb"]:
        print(f"peak RSS (sampled sum over the process tree): {sampled:.0f} MB")
    peak = sampled or upper
    print("\ntargets (issue 14 item 5):")
    for what, measured, met in (
        ("cold ≥ 1,500 files/s", f"{cold_rate:,.0f} files/s", cold_rate >= 1500),
        ("cold ≥ 12× naive", f"{cold_rate / naive_rate:.1f}×", cold_rate / naive_rate >= 12),
        ("warm ≤ 1 s", f"{warm['seconds']:.2f} s", warm["seconds"] <= 1),
        ("peak RSS ≤ 300 MB", f"{peak:.0f} MB", peak <= 300),
        ("check_file ≤ 0.6 ms CPU", f"{per_file_ms:.2f} ms", per_file_ms <= 0.6),
        ("check_file ≤ 1.5× calamine", f"{per_file_ms / calamine_ms:.2f}×",
         per_file_ms <= 1.5 * calamine_ms),
    ):  # fmt: skip
        print(f"  {what:28s} {measured:>14s}   {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
