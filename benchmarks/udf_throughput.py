"""In-process cost of the in-cell functions: scorings per second for 10,000 cells.

Excel recalculates a sheet by calling PERF_SCORE once per cell, so the figure that
matters is the Python-side cost per call (COM overhead is extra, and is why PERF_BLOCK
exists). Prints the cold pass (parse caches empty), the warm pass (a recalculation:
same texts, caches full) and one PERF_BLOCK call over the same cells; the cold pass is
the in-run baseline the warm figures are compared with. Target: ≥ 50,000 scorings/s.
A recalculation with unchanged inputs is answered from the functions' own cache; the
"parsed, not remembered" pass shows the cost when every cell's inputs are new but the
texts' parses are known (e.g. after pasting the same indicators into a new workbook).

    python benchmarks/udf_throughput.py [--cells 10000]
"""

from __future__ import annotations

import argparse
import random
import time

from perfxl.excel.udfs import PERF_BLOCK, PERF_SCORE
from perfxl.quantities import parse_actual, parse_target
from perfxl.text import normalize
from perfxl.units import lookup_unit

FORMS = [
    ("数量指标", "≥{n}个", "{m}个"),
    ("数量指标", "大于等于{n}人", "{m}人"),
    ("质量指标", "≥{p}%", "{q}%"),
    ("质量指标", "=100%", "{q}%"),
    ("时效指标", "=12月", "12个月"),
    ("成本指标", "≤{n}万元", "{m}万元"),
    ("成本指标", "小于等于{n}万元", "{k}元"),
    ("社会效益指标", "有效提升", "达成预期指标"),
    ("满意度指标", "≥{p}%", "{f}"),
]


def make_cells(count: int, seed: int = 20261122) -> list[tuple[str, str, str, float]]:
    rng = random.Random(seed)
    cells = []
    for _ in range(count):
        level2, target, actual = rng.choice(FORMS)
        n = rng.randint(2, 500)
        values = {
            "n": n,
            "m": rng.randint(1, n + 20),
            "k": rng.randint(1, n * 10000),
            "p": rng.choice([80, 85, 90, 95, 98]),
            "q": rng.randint(60, 100),
            "f": round(rng.uniform(0.6, 1.0), 2),
        }
        cells.append(
            (
                level2,
                target.format(**values),
                actual.format(**values),
                float(rng.choice([2, 3, 5, 10])),
            )
        )
    return cells


def clear_caches() -> None:
    from perfxl.excel import udfs

    for cached in (
        parse_target,
        parse_actual,
        normalize,
        lookup_unit,
        udfs._guarded_score,  # remembered answers of the in-cell functions
        udfs._guarded_rate,
    ):
        cache_clear = getattr(cached, "cache_clear", None)
        if cache_clear:
            cache_clear()


def per_cell(cells) -> float:
    start = time.perf_counter()
    for level2, target, actual, weight in cells:
        PERF_SCORE(target, actual, weight, None, level2)
    return time.perf_counter() - start


def block(cells) -> float:
    columns = [[[c[i]] for c in cells] for i in range(4)]
    start = time.perf_counter()
    PERF_BLOCK(columns[0], columns[1], columns[2], columns[3])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10_000)
    args = parser.parse_args()
    cells = make_cells(args.cells)
    distinct = len({(t, a) for _, t, a, _ in cells})

    clear_caches()
    cold = per_cell(cells)
    warm = min(per_cell(cells) for _ in range(3))
    from perfxl.excel import udfs

    udfs._guarded_score.cache_clear()
    parsed = per_cell(cells)
    warm_block = min(block(cells) for _ in range(3))

    rate = lambda seconds: args.cells / seconds  # noqa: E731
    print(f"cells: {args.cells} ({distinct} distinct target/actual pairs)")
    print(
        f"cold pass (baseline, caches empty): {rate(cold):>10,.0f} scorings/s  {cold * 1e6 / args.cells:6.1f} µs/cell"
    )
    print(
        f"warm pass (recalculation):          {rate(warm):>10,.0f} scorings/s  {warm * 1e6 / args.cells:6.1f} µs/cell  ×{cold / warm:.1f} vs cold"
    )
    print(
        f"parsed, not remembered:             {rate(parsed):>10,.0f} scorings/s  {parsed * 1e6 / args.cells:6.1f} µs/cell  ×{cold / parsed:.1f} vs cold"
    )
    print(
        f"PERF_BLOCK, one call:               {rate(warm_block):>10,.0f} scorings/s  {warm_block * 1e6 / args.cells:6.1f} µs/cell  ×{cold / warm_block:.1f} vs cold"
    )
    for label, seconds in (("recalculation", warm), ("parsed, not remembered", parsed)):
        verdict = "meets" if rate(seconds) >= 50_000 else "misses"
        print(f"target ≥ 50,000 scorings/s ({label}): {verdict}")


if __name__ == "__main__":
    main()
