"""`consolidate`: folders of unit workbooks → one county summary workbook.

The order of a run: take the output's lock; list the files (perfxl.discovery); stat
them and take, from the cache, every result whose file is unchanged; check the rest in
worker processes; build the ledger in discovery order; write the summary to a
temporary file and rename it over the output; then update the cache. The lock is
held throughout, so the cache and the output always belong to the same run.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfxl import __version__
from perfxl.batch.cache import ResultCache, cache_path, engine_key, profile_key
from perfxl.batch.ledger import Consolidation, build_ledger, shown_paths
from perfxl.batch.lock import OutputLock, replacing
from perfxl.batch.pool import check_files, default_jobs
from perfxl.batch.progress import SILENT, Reporter
from perfxl.batch.worker import result_key
from perfxl.discovery import discover
from perfxl.profiles import Profile

DEFAULT_TIMEOUT = 60.0  # seconds per file; a real self-evaluation table takes milliseconds


def consolidate(
    inputs: list[str | Path],
    output: str | Path,
    profile: Profile,
    *,
    jobs: int | None = None,
    full: bool = False,
    schedule: Decimal = Decimal(1),
    timeout: float = DEFAULT_TIMEOUT,
    reporter: Reporter = SILENT,
) -> Consolidation:
    """Write the county summary for `inputs` to `output` and return what it holds.

    Raises LockHeld when another run holds the output and OSError when the output
    cannot be written; bad input files never raise, they become ledger entries.
    """
    from perfxl.summary import SUMMARY_VERSION, write_summary

    started = datetime.now().astimezone()
    clock = time.perf_counter()
    output = Path(os.path.abspath(output))
    output.parent.mkdir(parents=True, exist_ok=True)
    roots = [str(p) for p in inputs]
    result = Consolidation(profile=profile, inputs=roots, schedule=schedule, started=started)
    with OutputLock(output):
        locations = [os.path.abspath(p) for p in discover(roots)]
        locations = [p for p in locations if p != str(output)]
        reporter.log(f"找到 {len(locations)} 个工作簿文件")
        cache = ResultCache(cache_path(output), profile_key(profile), engine_key(), reporter.warn)
        try:
            records, new_results, result.parsed, dirty = _collect(
                locations, cache, profile, full, jobs, timeout, reporter
            )
            result.reused = len(locations) - result.parsed
            shown = shown_paths(locations, roots)
            build_ledger(result, list(zip(shown, records, strict=True)))
            keys = [SUMMARY_VERSION, cache.profile, cache.engine]
            fingerprint = _fingerprint(result, records, keys)
            result.elapsed = time.perf_counter() - clock
            if full or result.parsed or not _up_to_date(cache, output, fingerprint):
                with replacing(output) as temp:
                    write_summary(result, temp)
                result.written = True
            if dirty or result.written:
                _remember(cache, output, fingerprint, records, new_results)
        finally:
            cache.close()
    result.elapsed = time.perf_counter() - clock
    return result


def _collect(
    locations: list[str],
    cache: ResultCache,
    profile: Profile,
    full: bool,
    jobs: int | None,
    timeout: float,
    reporter: Reporter,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], int, bool]:
    """A record (path, size, mtime_ns, sha256, payload) per path, the new payloads by
    result key, how many files were read and checked, and whether the cache's view of
    the folders changed."""
    known_stats = {} if full else cache.stats()
    stored = {} if full else cache.results()
    records: list[dict[str, Any] | None] = []
    todo: list[tuple[str, int, int]] = []
    hits: list[tuple[int, str]] = []  # (index, payload JSON) decoded together below
    for location in locations:
        try:
            st = os.stat(location)
        except OSError:
            st = None
        size, mtime = (st.st_size, st.st_mtime_ns) if st else (-1, -1)
        seen = known_stats.get(location)
        key = result_key(seen[2], location) if seen else ""
        if st and seen and seen[:2] == (size, mtime) and key in stored:
            hits.append((len(records), stored[key]))
            records.append({"path": location, "size": size, "mtime_ns": mtime, "sha256": seen[2]})
        else:
            records.append(None)
            todo.append((location, size, mtime))
    if hits:  # one parse of one array: ten thousand json.loads calls cost twice as much
        payloads = json.loads("[" + ",".join(text for _, text in hits) + "]")
        for (index, _), payload in zip(hits, payloads, strict=True):
            records[index]["payload"] = payload  # type: ignore[index]
    if todo:
        reporter.log(
            f"核对 {len(todo)} 个新增或有变化的文件，其余 {len(locations) - len(todo)} 个沿用缓存"
        )
    with reporter.progress(len(todo), "核对与校验") as advance:
        checked = iter(
            check_files(
                todo,
                profile,
                frozenset(stored),
                jobs=jobs or default_jobs(),
                timeout=timeout,
                advance=advance,
            )
        )
    new_results: dict[str, dict[str, Any]] = {}
    parsed = 0
    for n, record in enumerate(records):
        if record is not None:
            continue
        fresh = next(checked)
        key = result_key(fresh["sha256"], fresh["path"])
        if fresh.get("cached"):
            fresh["payload"] = json.loads(stored[key])
        else:
            parsed += 1
            if fresh["sha256"] and not fresh["payload"].get("transient"):
                new_results[key] = fresh["payload"]
        records[n] = fresh
    dirty = bool(todo) or len(known_stats) != len(locations)
    return records, new_results, parsed, dirty  # type: ignore[return-value]


def _fingerprint(result: Consolidation, records: list[dict[str, Any]], keys: list[str]) -> str:
    """What the summary's content depends on; equal fingerprints give equal workbooks.

    `keys` name the writer's layout version, the profile's content and the engine's
    code, so a changed rule or profile rewrites the summary even when no file changed.
    """
    digest = hashlib.sha256()
    head = [*keys, __version__, str(result.schedule), result.inputs]
    digest.update(json.dumps(head, ensure_ascii=False).encode())
    for entry, record in zip(result.files, records, strict=True):
        digest.update(f"\n{entry.path}\t{record['sha256']}\t{entry.status}".encode())
    for problem in result.problems:  # transient rejections have no hash
        digest.update(f"\n{problem.file}\t{problem.code}\t{problem.message}".encode())
    return digest.hexdigest()


def _up_to_date(cache: ResultCache, output: Path, fingerprint: str) -> bool:
    """True when the last summary written here came from the same inputs and is untouched."""
    stored = cache.meta(f"summary:{output}")
    if stored is None:
        return False
    try:
        previous = json.loads(stored)
        st = output.stat()
    except (ValueError, OSError):
        return False
    return previous == {"fingerprint": fingerprint, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _remember(cache, output, fingerprint, records, new_results) -> None:
    stats = [
        (r["path"], r["size"], r["mtime_ns"], r["sha256"])
        for r in records
        if r["sha256"] and r["mtime_ns"] >= 0
    ]
    keep = {result_key(r["sha256"], r["path"]) for r in records if r["sha256"]}
    cache.store(new_results.items(), stats, keep)
    try:
        st = output.stat()
    except OSError:
        return
    value = {"fingerprint": fingerprint, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    cache.set_meta(f"summary:{output}", json.dumps(value))
