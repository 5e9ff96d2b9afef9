"""`consolidate`: folders of unit workbooks → one county summary workbook.

The order of a run: take the output's lock; list the files (perfxl.discovery) and stop,
leaving the old summary alone, when there is none; stat them and take, from the cache,
every result whose file is unchanged; check the rest in worker processes; build the
ledger in discovery order; write the summary to a temporary file and rename it over the
output; update the cache (its rows go in from a thread meanwhile, perfxl.batch.saving,
and are committed once the summary is written). The lock is held throughout, so the
cache and the output always belong to the same run.

File names are kept as the OS gave them for opening; the summary, the log and the cache
see them through perfxl.batch.names, so a name that is not UTF-8 costs nothing.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import stat
import time
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfxl import __version__
from perfxl.batch.atomic import made_by_perfxl, remove_stale
from perfxl.batch.cache import ResultCache, cache_path, engine_key, profile_key
from perfxl.batch.ledger import DEFAULT_MAX_FINDINGS, Consolidation, build_ledger, shown_paths
from perfxl.batch.lock import OutputLock
from perfxl.batch.names import display, storable
from perfxl.batch.progress import SILENT, Reporter
from perfxl.batch.saving import Saving
from perfxl.batch.worker import (
    decode_payload,
    rejected_payload,
    remove_stale_scratch,
    result_key,
)
from perfxl.county import CountySettings
from perfxl.discovery import WORKBOOK_SUFFIXES, Unreadable, survey
from perfxl.profiles import Profile, load_profile

DEFAULT_TIMEOUT = 60.0  # seconds per file; a real self-evaluation table takes milliseconds


class OutputRefused(Exception):
    """The output names a workbook perfxl did not write (an input, a unit's table): it is
    never replaced. The message is Chinese."""


class NoInput(Exception):
    """No workbook was found in any input (an empty folder, an unmounted share); the
    message is Chinese. Nothing was written: an empty summary would hide yesterday's."""


def consolidate(
    inputs: list[str | Path],
    output: str | Path,
    profile: Profile,
    *,
    jobs: int | None = None,
    full: bool = False,
    schedule: Decimal = Decimal(1),
    timeout: float = DEFAULT_TIMEOUT,
    max_findings: int = DEFAULT_MAX_FINDINGS,
    reporter: Reporter = SILENT,
    county: CountySettings | None = None,
) -> Consolidation:
    """Write the county summary for `inputs` to `output` and return what it holds.

    `profile` is the default; `county` (perfxl.county) may score the files of some
    folders under other profiles, and its unit-list workbook is not read as a submission.

    Raises LockHeld when another run holds the output, NoInput when no workbook is
    found, and OSError (or xlsxwriter's FileCreateError) when the output cannot be
    written; bad input files never raise, they become ledger entries.
    """
    from perfxl.summary import SUMMARY_TITLE, SUMMARY_VERSION, write_summary

    started = datetime.now().astimezone()
    clock = time.perf_counter()
    output = Path(os.path.abspath(output))
    output.parent.mkdir(parents=True, exist_ok=True)
    roots = [str(p) for p in inputs]
    result = Consolidation(
        profile=profile,
        inputs=[display(r) for r in roots],
        schedule=schedule,
        started=started,
        max_findings=max_findings,
        county=county,
    )
    with OutputLock(output), _paced_collector():
        _check_output(output, f"<dc:title>{SUMMARY_TITLE}</dc:title>")
        remove_stale_scratch()
        stale = remove_stale(output)
        if stale:
            reporter.log(f"已清理上次异常中断留下的 {stale} 个临时文件")
        locations, unreadable = _find(roots, output)
        if county is not None and county.units_file:  # the unit list is no submission
            locations = [p for p in locations if p != os.path.abspath(county.units_file)]
        reporter.log(f"找到 {len(locations)} 个工作簿文件")
        _check_inputs(roots, locations, unreadable, reporter)
        shown = shown_paths(locations, roots)
        groups = _by_profile(shown, profile, county)
        caches: list[tuple[ResultCache, list[int], dict[str, dict[str, Any]]]] = []
        saving: Saving | None = None
        try:
            records: list[dict[str, Any]] = [{}] * len(locations)
            dirty = False
            for prof, indices in groups:
                if len(groups) > 1:
                    reporter.log(f"按评分规则 {prof.name} 核对的文件：{len(indices)} 个")
                cache = ResultCache(
                    cache_path(output), profile_key(prof), engine_key(), reporter.warn
                )
                part, new_results, parsed, changed = _collect(
                    [locations[n] for n in indices], unreadable, cache, prof, full, jobs, timeout,
                    reporter,
                )  # fmt: skip
                caches.append((cache, indices, new_results))
                for n, record in zip(indices, part, strict=True):
                    records[n] = record
                result.parsed += parsed
                dirty = dirty or changed
                result.profiles[prof.name] = prof
            result.reused = len(locations) - result.parsed
            first = caches[0][0] if caches else None
            last_summary = first.meta(_summary_key(output)) if first is not None else None
            if dirty:  # the cache changes whatever the summary does: store meanwhile
                saving = Saving(caches, records)
            build_ledger(result, list(zip(shown, records, strict=True)))
            by_file = {shown[n]: prof.name for prof, indices in groups for n in indices}
            for project in result.projects:
                project.profile = by_file.get(project.file, profile.name)
            keys = [SUMMARY_VERSION, *(c.profile for c, _, _ in caches), engine_key()]
            keys.append(county.digest() if county is not None else "")
            fingerprint = _fingerprint(result, records, keys)
            result.elapsed = time.perf_counter() - clock
            write = bool(
                full
                or result.parsed
                or first is None
                or not _up_to_date(last_summary, output, fingerprint)
            )
            if write and saving is None:
                saving = Saving(caches, records)
            if write:
                write_summary(result, output)
                result.written = True
            if saving is not None:
                saving.finish(commit=True)
                for cache, _, _ in caches:
                    _remember_summary(cache, output, fingerprint)
        finally:
            if saving is not None:
                saving.finish(commit=False)  # no-op once finished
            for cache, _, _ in caches:
                cache.close()
    result.elapsed = time.perf_counter() - clock
    return result


@contextmanager
def _paced_collector():
    """Fewer garbage-collector passes while a run builds its ledger and summary.

    A run holds tens of thousands of small, acyclic payload dicts, ledger rows and
    summary cells; with the default thresholds the collector walked them again and
    again (a ninth of the main process's CPU on the benchmark county, two full passes
    included). Thresholds are restored when the run ends; cycles are still collected.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 20_000), before[1], max(before[2], 1_000))
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _check_output(output: Path, marker: str) -> None:
    """Refuse to replace an existing file that is not a summary perfxl wrote: given as
    `-o`, a unit's workbook (an input or not) would otherwise be lost. A link at the
    output's name is fine: the rename replaces the link, never what it points to."""
    try:
        info = os.lstat(output)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode) or made_by_perfxl(output, marker, untouched=False):
        return
    raise OutputRefused(
        f"汇总文件 {display(str(output))} 已存在，但不是 perfxl 生成的县级汇总（可能是某个单位报送的工作簿），"
        "拒绝覆盖；请用 -o 另指定一个汇总文件"
    )


def _find(roots: list[str], output: Path) -> tuple[list[str], dict[str, str]]:
    """Every path found, absolute, in discovery order (the output itself left out), and
    the reason of each that cannot be read (perfxl.discovery.survey)."""
    try:  # the output itself, not what a link there points to (the rename replaces the link)
        out = os.lstat(output)
        ours = (out.st_dev, out.st_ino)
    except OSError:
        ours = None
    locations: list[str] = []
    unreadable: dict[str, str] = {}
    found = survey(roots)
    inodes = found.inodes
    for item in found.listing():
        if isinstance(item, Unreadable):
            location = os.path.abspath(item.path)
            unreadable[location] = item.reason
        else:
            location = os.path.abspath(item)
            if location == str(output):
                continue
            # another inode number (known from the folder listing) is another file
            if (
                ours is not None
                and inodes.get(item, ours[1]) == ours[1]
                and _identity(location) == ours
            ):
                continue
        locations.append(location)
    return locations, unreadable


def _identity(location: str) -> tuple[int, int] | None:
    try:
        info = os.stat(location)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _check_inputs(
    roots: list[str], locations: list[str], unreadable: dict[str, str], reporter: Reporter
) -> None:
    """Stop on no readable workbook at all; warn about each input folder that holds none."""
    suffixes = "、".join(sorted(WORKBOOK_SUFFIXES))
    if len(locations) == len(unreadable):
        where = "、".join(display(r) for r in roots)
        problems = "；".join(f"{display(p)}：{r}" for p, r in list(unreadable.items())[:5])
        raise NoInput(
            f"在 {where} 中没有找到任何工作簿文件（{suffixes}），或找到的都无法读取。文件夹可能为空、没有读取权限，"
            "或共享盘没有挂载；汇总文件和缓存均未改动，请检查后重新运行"
            + (f"。无法读取的有：{problems}" if problems else "")
        )
    if len(roots) > 1:
        for root in roots:
            path = os.path.abspath(root)
            if os.path.isdir(path):
                prefix = path.rstrip(os.sep) + os.sep
                if not any(p.startswith(prefix) for p in locations):
                    reporter.warn(
                        f"文件夹 {display(root)} 中没有找到工作簿文件（{suffixes}），"
                        "请检查它是否为空或共享盘是否已挂载"
                    )


def _collect(
    locations: list[str],
    unreadable: dict[str, str],
    cache: ResultCache,
    profile: Profile,
    full: bool,
    jobs: int | None,
    timeout: float,
    reporter: Reporter,
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], int, bool]:
    """A record (path, size, mtime_ns, sha256, payload) per path, the new payloads by
    result key, how many files were read and checked, and whether the cache's view of
    the folders changed.

    Cached payloads are decoded and checked one by one; a damaged one is a miss and its
    file is checked again (and its cache row replaced).
    """
    known_stats = {} if full else cache.stats()
    stored = {} if full else cache.results()
    damaged: set[str] = set()
    records, todo = _cached_records(locations, unreadable, known_stats, stored, damaged)
    if todo:
        reporter.log(
            f"核对 {len(todo)} 个新增或有变化的文件，其余 {len(locations) - len(todo)} 个沿用缓存"
        )
    jobs = jobs or os.cpu_count() or 1  # as pool.default_jobs (the pool: only when needed)
    with reporter.progress(len(todo), "核对与校验") as advance:
        checked = check_files(
            todo, profile, frozenset(stored), jobs=jobs, timeout=timeout, advance=advance
        )
    _known_bytes(checked, stored, damaged, profile, jobs, timeout)
    if damaged:
        reporter.warn(f"缓存中有 {len(damaged)} 条结果已损坏，已重新核对相应文件并更新缓存")
    new_results, parsed = _merge(records, checked)
    dirty = bool(todo) or len(known_stats) != len(locations)
    return records, new_results, parsed, dirty  # type: ignore[return-value]


def check_files(*args, **options) -> list[dict[str, Any]]:
    """perfxl.batch.pool.check_files, loaded when a file is to be checked: a warm run
    never loads multiprocessing and the pool (nor, see pool._pool, the reader)."""
    from perfxl.batch.pool import check_files as run_pool

    return run_pool(*args, **options) if args[0] else []


def _cached_records(
    locations: list[str],
    unreadable: dict[str, str],
    known_stats: dict,
    stored: dict[str, Any],
    damaged: set[str],
) -> tuple[list[dict[str, Any] | None], list[tuple[str, int, int]]]:
    """A record per path where the cache answers (None where not), and the (path,
    size, mtime_ns) still to check. A damaged cache row is dropped from `stored` and
    its key added to `damaged`."""
    records: list[dict[str, Any] | None] = []
    todo: list[tuple[str, int, int]] = []
    for location in locations:
        if location in unreadable:
            payload = rejected_payload(unreadable[location], transient=True)
            records.append(
                {"path": location, "size": -1, "mtime_ns": -1, "sha256": ""} | {"payload": payload}
            )
            continue
        try:
            st = os.stat(location)
        except OSError:
            st = None
        size, mtime = (st.st_size, st.st_mtime_ns) if st else (-1, -1)
        seen = known_stats.get(storable(location))
        key = result_key(seen[2], location) if seen else ""
        if st and seen and seen[:2] == (size, mtime) and key in stored:
            payload = decode_payload(stored[key])
            if payload is not None:
                record = {"path": location, "size": size, "mtime_ns": mtime, "sha256": seen[2]}
                records.append(record | {"payload": payload})
                continue
            damaged.add(key)
            del stored[key]
        records.append(None)
        todo.append((location, size, mtime))
    return records, todo


def _known_bytes(
    checked: list[dict[str, Any]],
    stored: dict[str, Any],
    damaged: set[str],
    profile: Profile,
    jobs: int,
    timeout: float,
) -> None:
    """Fill in the payloads of files whose stat changed but whose bytes the cache knew
    (a copy, a `touch`), in place; where that cache row is damaged, check the file again."""
    again = [n for n, fresh in enumerate(checked) if fresh.get("cached")]
    for n in again:
        key = result_key(checked[n]["sha256"], checked[n]["path"])
        payload = decode_payload(stored.get(key))
        if payload is None:
            damaged.add(key)
        else:
            checked[n]["payload"] = payload
    again = [n for n in again if "payload" not in checked[n]]
    if again:
        items = [(checked[n]["path"], checked[n]["size"], checked[n]["mtime_ns"]) for n in again]
        redone = check_files(
            items, profile, frozenset(), jobs=jobs, timeout=timeout, advance=lambda n: None
        )
        for n, fresh in zip(again, redone, strict=True):
            checked[n] = fresh


def _merge(
    records: list[dict[str, Any] | None], checked: list[dict[str, Any]]
) -> tuple[dict[str, dict[str, Any] | str], int]:
    """Put the checked files' records in their places (in place), and return the
    payloads worth caching by result key and how many files were read."""
    new_results: dict[str, dict[str, Any]] = {}
    parsed = 0
    fresh_records = iter(checked)
    for n, record in enumerate(records):
        if record is not None:
            continue
        fresh = next(fresh_records)
        key = result_key(fresh["sha256"], fresh["path"])
        text = fresh.pop("text", None)  # the payload's JSON, encoded by the worker
        if not fresh.pop("cached", False):
            parsed += 1
            if fresh["sha256"] and not fresh["payload"].get("transient"):
                new_results[key] = text or fresh["payload"]
        records[n] = fresh
    return new_results, parsed


def _fingerprint(result: Consolidation, records: list[dict[str, Any]], keys: list[str]) -> str:
    """What the summary's content depends on; equal fingerprints give equal workbooks.

    `keys` name the writer's layout version, the profile's content and the engine's
    code, so a changed rule or profile rewrites the summary even when no file changed.
    """
    digest = hashlib.sha256()
    head = [*keys, __version__, str(result.schedule), result.inputs, result.max_findings]
    digest.update(json.dumps(head, ensure_ascii=False).encode(errors="surrogatepass"))
    for entry, record in zip(result.files, records, strict=True):
        line = f"\n{entry.path}\t{record['sha256']}\t{entry.status}"
        digest.update(line.encode(errors="surrogatepass"))
    for problem in result.problems:  # transient rejections have no hash
        line = f"\n{problem.file}\t{problem.code}\t{problem.message}"
        digest.update(line.encode(errors="surrogatepass"))
    return digest.hexdigest()


def _up_to_date(stored: str | None, output: Path, fingerprint: str) -> bool:
    """True when the last summary written here (`stored`: the cache's note of it) came
    from the same inputs and is untouched."""
    if stored is None:
        return False
    try:
        previous = json.loads(stored)
        st = output.stat()
    except (TypeError, ValueError, OSError):  # TypeError: a damaged row that is no text
        return False
    return previous == {"fingerprint": fingerprint, "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def _by_profile(
    shown: list[str], profile: Profile, county: CountySettings | None
) -> list[tuple[Profile, list[int]]]:
    """The files (by index) of each profile, the default's first; every file once.

    Each group is checked and cached under its own profile, so a file moved to a folder
    with other rules is checked again rather than served a result of the old rules."""
    groups: dict[str, tuple[Profile, list[int]]] = {profile_key(profile): (profile, [])}
    for n, name in enumerate(shown):
        reference = county.profile_for(name) if county is not None else ""
        if county is not None and reference == county.default_profile:
            reference = ""  # the default is `profile` (a --profile given replaces it)
        prof = load_profile(reference) if reference else profile
        # one group per profile content: two caches of one profile would drop each
        # other's results when storing
        groups.setdefault(profile_key(prof), (prof, []))[1].append(n)
    return [(prof, idx) for prof, idx in groups.values() if idx or prof is profile]


def _remember_summary(cache, output, fingerprint) -> None:
    """Note which inputs the summary now at `output` was made from (see _up_to_date)."""
    try:
        st = output.stat()
    except OSError:
        return
    value = {"fingerprint": fingerprint, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    cache.set_meta(_summary_key(output), json.dumps(value))


def _summary_key(output: Path) -> str:
    return f"summary:{storable(str(output))}"
