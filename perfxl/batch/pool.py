"""Checking many files over processes, in chunks, without ever losing or hanging on one.

Files are always checked in worker processes, even a handful with one job: a file that
kills its reader (a native abort, an out-of-memory kill) then costs one worker and is
listed as rejected, instead of ending the command with nothing written. Workers die
with the run that started them (worker.die_with_parent).

Reading a small workbook costs about a millisecond, so work is sent in chunks (one
task per 16–100 files) and each chunk sends back compact per-file dicts. Two safety
nets sit on top of the per-file try/except and time limit in the worker:

- a watchdog: each worker stamps when it started its current file in shared memory;
  a file still running well past the limit is stuck where no signal reaches it
  (native code), and the workers are killed;
- recovery: when the pool breaks (a killed or crashed worker), the files of unfinished
  chunks are run again one per task in a fresh single worker, so only the file that
  breaks it again is rejected — with a reason — and every other file still gets its
  result.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from perfxl.batch.worker import (
    PROCESSING_FAILED,
    init_worker,
    process_chunk,
    rejected_payload,
)
from perfxl.profiles import Profile

Item = tuple[str, int, int]  # path, size, mtime_ns
Record = dict[str, Any]
_GRACE = 15.0  # seconds past the per-file limit before the watchdog acts
_POLL = 0.5


def chunk_size(count: int, jobs: int) -> int:
    """Big enough to make task overhead negligible, small enough to keep both cores busy."""
    return max(16, min(100, math.ceil(count / (jobs * 8))))


def check_files(
    items: list[Item],
    profile: Profile,
    known: frozenset[str],
    *,
    jobs: int,
    timeout: float,
    advance: Callable[[int], None],
) -> list[Record]:
    """One record per item, in item order."""
    if not items:
        return []
    if len(items) < 32:  # one worker, one file per task: a second costs more than it saves
        jobs, size = 1, 1
    else:
        size = chunk_size(len(items), jobs)
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    done: dict[int, list[Record]] = {}
    with contextlib.suppress(BrokenProcessPool):  # finished chunks are kept in `done`
        _run(chunks, done, profile, known, jobs, timeout, advance)
    leftover = [item for i, chunk in enumerate(chunks) if i not in done for item in chunk]
    records = [record for i in sorted(done) for record in done[i]]
    if leftover:
        records += _isolated(leftover, profile, known, timeout, advance)
    order = {item[0]: n for n, item in enumerate(items)}
    return sorted(records, key=lambda r: order[r["path"]])


def _pool(jobs: int, profile: Profile, known: frozenset[str], timeout: float):
    # the reader and engine, loaded here once rather than in each forked worker; a run
    # with nothing to check (a warm run) never loads them
    import perfxl.validation  # noqa: F401

    context = multiprocessing.get_context()
    beats = context.Array("d", jobs, lock=False)
    slots = context.Value("i", 0)
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=init_worker,
        initargs=(profile, known, timeout, beats, slots, os.getpid()),
    )
    return pool, beats


def _stuck(beats, timeout: float) -> bool:
    if timeout <= 0:
        return False
    now = time.time()
    return any(start and now - start > timeout + _GRACE for start in beats)


def _kill(pool: ProcessPoolExecutor) -> None:
    # No public way to stop a busy worker before Python 3.14's terminate_workers().
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()


def _run(chunks, done, profile, known, jobs, timeout, advance) -> None:
    pool, beats = _pool(jobs, profile, known, timeout)
    try:
        futures = {pool.submit(process_chunk, chunk): i for i, chunk in enumerate(chunks)}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, timeout=_POLL, return_when=FIRST_COMPLETED)
            for future in finished:
                index = futures[future]
                done[index] = future.result()  # BrokenProcessPool ends the parallel phase
                advance(len(chunks[index]))
            if pending and _stuck(beats, timeout):
                _kill(pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _isolated(items: list[Item], profile, known, timeout: float, advance) -> list[Record]:
    """Each file alone in a fresh worker; one that kills or hangs it is rejected."""
    records: list[Record] = []
    queue = list(items)
    while queue:
        pool, beats = _pool(1, profile, known, timeout)
        try:
            while queue:
                item = queue[0]
                future = pool.submit(process_chunk, [item])
                while True:
                    finished, _ = wait([future], timeout=_POLL)
                    if finished or _stuck(beats, timeout):
                        break
                if not finished:
                    _kill(pool)
                try:
                    records.extend(future.result())
                except BrokenProcessPool:
                    records.append(_crashed(item, timed_out=not finished))
                    queue.pop(0)
                    advance(1)
                    break  # this pool is gone; start a fresh one for the rest
                queue.pop(0)
                advance(1)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return records


def _crashed(item: Item, *, timed_out: bool) -> Record:
    path, size, mtime = item
    if timed_out:
        reason = "处理超时且无法中断，文件可能异常，请检查后重新提交"
    else:
        reason = "处理该文件时程序异常退出（可能内存不足或文件异常），请检查后重新提交"
    payload = rejected_payload(reason, PROCESSING_FAILED, transient=True)
    return {"path": path, "size": size, "mtime_ns": mtime, "sha256": "", "payload": payload}


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)
