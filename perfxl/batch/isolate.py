"""Running a function over files in worker processes, so one file cannot end the command.

A file can kill the process that reads it in ways no `except` catches: a native library
aborting (SIGABRT), the kernel's out-of-memory killer. `perfxl validate` over a folder
must still report every other file. `isolated_map` maps a function over items in a
process pool; when the pool breaks, the items not yet answered are run again one per
fresh single worker, and an item that breaks its worker again gets `on_crash(item)`.

Workers die with the command (perfxl.batch.worker.die_with_parent). Consolidation has
its own pool with chunking and a watchdog (perfxl.batch.pool); this is the plain one.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

# The reason given when the process reading a file died (an abort inside calamine, memory).
CRASHED = "读取它的进程异常退出（可能内存不足，或文件使读取程序崩溃），请检查该文件后重新提交"

T = TypeVar("T")
R = TypeVar("R")


def _init(parent: int) -> None:
    import signal

    from perfxl.batch.worker import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    die_with_parent(parent)


def _executor(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context(),
        initializer=_init,
        initargs=(os.getpid(),),
    )


def isolated_map(
    func: Callable[[T], R],
    items: Sequence[T],
    on_crash: Callable[[T], R],
    *,
    jobs: int | None = None,
) -> list[R]:
    """[func(item) for item in items], each call in a worker process; a call whose
    worker dies (twice: once among others, once alone) gives on_crash(item)."""
    if not items:
        return []
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(items)))
    results: dict[int, R] = {}
    pool = _executor(jobs)
    try:
        futures = [pool.submit(func, item) for item in items]
        for n, future in enumerate(futures):
            try:
                results[n] = future.result()
            except BrokenProcessPool:
                break
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    queue = [n for n in range(len(items)) if n not in results]
    while queue:  # one fresh worker, one item at a time: the item that breaks it is known
        alone = _executor(1)
        try:
            while queue:
                n = queue[0]
                try:
                    results[n] = alone.submit(func, items[n]).result()
                except BrokenProcessPool:
                    results[n] = on_crash(items[n])
                    queue.pop(0)
                    break  # this worker is gone; start another for the rest
                queue.pop(0)
        finally:
            alone.shutdown(wait=True, cancel_futures=True)
    return [results[n] for n in range(len(items))]
