"""Latency, load and memory of `perfxl serve` (issue 11 item 4): a benchmark, not a test.

    python benchmarks/serve.py [--sequential 200] [--clients 8] [--requests 50] [--total 1000]

Starts `perfxl serve --port 0` (uvicorn) in a child process, writes a workbook with a
30-row indicator table (seed 001's table cut to 30 rows), and POSTs it to /api/validate:

1. 10 uploads, then the server's resident memory (VmRSS from /proc);
2. `--sequential` uploads one after another on a kept-alive connection: p50 and p95;
3. `--clients` threads × `--requests` uploads at once, each on its own connection:
   errors (any status but 200, any exception), p50/p95 under load, requests per second;
4. more uploads until `--total` in all, then VmRSS again (and the peak, VmHWM).

Targets: p95 ≤ 100 ms sequential; zero errors under load; RSS after `--total` within
50 MB of RSS after 10. Wall-clock figures depend on the machine and on what else runs
on it; the figures are printed, nothing is asserted.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from perfxl.samples.national import write_workbook  # noqa: E402
from perfxl.samples.seeds import SEEDS  # noqa: E402
from perfxl.validation import check_file  # noqa: E402

ROWS = 30


def workbook(folder: Path) -> tuple[str, bytes]:
    """Seed 001 (33 indicator rows) cut to its first 30 rows."""
    spec = dataclasses.replace(SEEDS["001"], rows=SEEDS["001"].rows[:ROWS])
    path = folder / "三十行自评表.xlsx"
    write_workbook([spec], path)
    from perfxl.profiles import load_profile

    (table,) = check_file(path, load_profile(None)).tables
    print(f"工作簿：{path.stat().st_size} 字节，{len(table.result.rows)} 行指标")
    return path.name, path.read_bytes()


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of `pid`, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def start() -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfxl.cli", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        raise SystemExit(f"server did not start: {line!r}")
    return proc, "http://" + line.split("http://", 1)[1].split()[0].rstrip("/")


def post(client: httpx.Client, name: str, data: bytes) -> float:
    """Seconds for one /api/validate; raises on anything but a 200 with the file's JSON."""
    began = time.perf_counter()
    response = client.post("/api/validate", files={"file": (name, data)})
    elapsed = time.perf_counter() - began
    if response.status_code != 200 or response.json()["files"][0]["path"] != name:
        raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return elapsed


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=50, help="per client")
    parser.add_argument("--total", type=int, default=1000, help="uploads before the last RSS")
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        name, data = workbook(Path(folder))
    proc, base = start()
    sent = 0
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(10):
                post(client, name, data)
            sent += 10
            after_10 = memory(proc.pid)
            times = [post(client, name, data) for _ in range(opts.sequential)]
            sent += opts.sequential
        print(f"逐个请求 {opts.sequential} 次：p50 {ms(percentile(times, 0.5))}，"
              f"p95 {ms(percentile(times, 0.95))}，最大 {ms(max(times))}")  # fmt: skip

        loaded: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def worker() -> None:
            with httpx.Client(base_url=base, timeout=120) as own:
                for _ in range(opts.requests):
                    try:
                        took = post(own, name, data)
                    except Exception as exc:
                        with lock:
                            errors.append(f"{type(exc).__name__}: {exc}")
                        continue
                    with lock:
                        loaded.append(took)

        threads = [threading.Thread(target=worker) for _ in range(opts.clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - began
        sent += opts.clients * opts.requests
        print(f"并发 {opts.clients} 个客户端 × {opts.requests} 次：错误 {len(errors)} 个，"
              f"p50 {ms(percentile(loaded, 0.5))}，p95 {ms(percentile(loaded, 0.95))}，"
              f"{len(loaded) / wall:.1f} 次/秒")  # fmt: skip
        for message in errors[:5]:
            print(f"  {message}")

        with httpx.Client(base_url=base, timeout=60) as client:
            while sent < opts.total:
                post(client, name, data)
                sent += 1
        after_all = memory(proc.pid)
        growth = after_all["VmRSS"] - after_10["VmRSS"]
        print(f"内存：10 次后 {after_10['VmRSS']:.1f} MB，{sent} 次后 {after_all['VmRSS']:.1f} MB"
              f"（增长 {growth:+.1f} MB），峰值 {after_all['VmHWM']:.1f} MB")  # fmt: skip
        print(f"CPU 核数：{os.cpu_count()}")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
