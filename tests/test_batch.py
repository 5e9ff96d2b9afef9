"""Consolidation is loss-free: every file found is accounted for, with a Chinese reason.

No timing is asserted here; benchmarks/consolidate.py measures speed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

import perfxl.batch.cache as cache_module
import perfxl.batch.names as names
import perfxl.batch.pool as pool_module
import perfxl.batch.worker as worker
from perfxl.batch import NoInput, consolidate
from perfxl.batch.ledger import PROCESSED, REJECTED, SAME_CONTENT, SAME_PROJECT
from perfxl.profiles import load_profile
from perfxl.samples.broken import write_every_kind
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
COUNTY = ROOT / "examples" / "county"
PROFILE = load_profile("xj-prop")

# What the reason of each broken kind must say (Chinese, for the clerk who submitted it).
REASONS = {
    "zero_byte": "文件为空",
    "text_renamed": "不是 Excel 工作簿",
    "old_xls": ".xls",
    "encrypted": "加密",
    "corrupt_zip": "损坏",
    "zip_bomb": "解压后过大",
    "no_table": "未找到绩效指标表",
}


def broken_corpus(folder: Path) -> dict[str, Path]:
    """Two good workbooks, every broken kind, a copy, a resubmission and non-workbooks."""
    good = folder / "组织部" / "机关运行补助项目.xlsx"
    good.parent.mkdir(parents=True)
    shutil.copyfile(SEED_FILES / "seed002.xlsx", good)
    other = folder / "援疆办" / "援疆工作经费项目.xlsx"
    other.parent.mkdir(parents=True)
    shutil.copyfile(SEED_FILES / "seed003.xlsx", other)
    files = {"good": good, "other": other}
    files |= write_every_kind(folder / "有问题", source=good)
    files["duplicate"] = folder / "组织部" / "机关运行补助项目（重复）.xlsx"
    shutil.copyfile(good, files["duplicate"])
    files["resubmitted"] = folder / "组织部" / "机关运行补助项目（修改稿）.xlsx"
    write_workbook([replace(SEEDS["002"], achieved="修改稿")], files["resubmitted"])
    (folder / "组织部" / "~$机关运行补助项目.xlsx").write_bytes(b"owner")  # not a workbook
    (folder / "组织部" / "说明.txt").write_text("不是工作簿", encoding="utf-8")
    return files


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path}{stat.st_size}{stat.st_mtime_ns}".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def by_name(result) -> dict:
    return {Path(f.path).name: f for f in result.files}


def test_every_broken_kind_is_accounted_for(tmp_path):
    files = broken_corpus(tmp_path / "county")
    before = tree_digest(tmp_path / "county")
    result = consolidate([tmp_path / "county"], tmp_path / "out" / "汇总.xlsx", PROFILE, jobs=1)
    assert tree_digest(tmp_path / "county") == before  # inputs are never written
    # every candidate file is listed once; the Office owner file and the .txt are not
    assert len(result.files) == len(files)
    listed = by_name(result)
    assert sorted(listed) == sorted(p.name for p in files.values())
    for kind, needle in REASONS.items():
        entry = listed[files[kind].name]
        assert entry.status == REJECTED, kind
        assert needle in entry.reason, (kind, entry.reason)
    duplicate = listed[files["duplicate"].name]
    assert duplicate.status == REJECTED
    assert "内容完全相同" in duplicate.reason and "机关运行补助项目.xlsx" in duplicate.reason
    assert duplicate.sha256 == listed[files["good"].name].sha256
    assert listed[files["resubmitted"].name].status == PROCESSED
    flagged = [p for p in result.projects if not p.counted]
    assert [Path(p.file).name for p in flagged] == [files["resubmitted"].name]
    assert "疑似重复" in flagged[0].note
    codes = {(Path(p.file).name, p.code) for p in result.problems}
    assert (files["duplicate"].name, SAME_CONTENT) in codes
    assert (files["resubmitted"].name, SAME_PROJECT) in codes
    assert result.exit_code == 1
    sizes = {Path(f.path).name: f.size for f in result.files}
    assert sizes[files["zero_byte"].name] == 0
    assert all(len(f.sha256) == 64 for f in result.files)


def test_clean_corpus_exits_0(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copyfile(SEED_FILES / "seed000.xlsx", tmp_path / "in" / "a.xlsx")
    result = consolidate([tmp_path / "in"], tmp_path / "out.xlsx", load_profile("mof2020"))
    assert [f.status for f in result.files] == [PROCESSED]
    assert result.exit_code == 0


class Calls:
    """The names a Counter saw, kept in a file: files are read in worker processes."""

    def __init__(self, log: Path):
        self.log = log

    def _names(self) -> list[str]:
        if not self.log.exists():
            return []
        return [
            n
            for n in self.log.read_text(encoding="utf-8", errors="surrogateescape").split("\n")
            if n
        ]

    def clear(self) -> None:
        self.log.unlink(missing_ok=True)

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self):
        return iter(self._names())

    def __eq__(self, other) -> bool:
        return self._names() == list(other)


class Counter:
    """Stands in for check_file and counts the files actually read (in any process)."""

    def __init__(self, real, log: Path):
        self.real, self.calls = real, Calls(log)

    def __call__(self, path, profile, **given):
        with open(self.calls.log, "a", encoding="utf-8", errors="surrogateescape") as log:
            log.write(Path(path).name + "\n")
        return self.real(path, profile, **given)


@pytest.fixture
def counted(monkeypatch, tmp_path):
    _fork_only()
    counter = Counter(worker.check_file, tmp_path / "calls.log")
    monkeypatch.setattr(worker, "check_file", counter)
    return counter


def test_second_run_parses_nothing_and_full_parses_all(tmp_path, counted):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "out" / "汇总.xlsx"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    assert len(counted.calls) == len(first.files) and first.parsed == len(first.files)
    assert (tmp_path / "out" / "汇总.perfxl-cache.sqlite").exists()
    counted.calls.clear()
    second = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    assert counted.calls == [] and second.parsed == 0
    assert second.reused == len(first.files)
    assert second.files == first.files and second.projects == first.projects
    assert not second.written  # nothing changed: the summary on disk is kept
    full = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, full=True)
    assert len(counted.calls) == len(first.files) and full.written


def test_changed_file_is_reparsed_touched_file_only_hashed(tmp_path, counted):
    files = broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    counted.calls.clear()
    stat = files["other"].stat()
    os.utime(files["other"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # same bytes
    shutil.copyfile(SEED_FILES / "seed000.xlsx", files["good"])  # new bytes
    result = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    assert counted.calls == [files["good"].name]
    assert result.parsed == 1 and result.written


def test_other_profile_is_a_cache_miss(tmp_path, counted):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    counted.calls.clear()
    other = consolidate([tmp_path / "in"], out, load_profile("xj-60"), jobs=1)
    assert len(counted.calls) == len(first.files)
    assert other.written  # the summary shows the new profile's figures
    totals = [
        {p.total for p in run.projects if p.counted and p.project == "机关运行补助项目"}
        for run in (first, other)
    ]
    assert totals[0] != totals[1]


def test_damaged_cache_is_rebuilt(tmp_path, counted):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    cache = tmp_path / "汇总.perfxl-cache.sqlite"
    cache.write_bytes(b"this is not an SQLite database" * 100)
    warnings = []

    class Collect:
        def log(self, message):
            pass

        def warn(self, message):
            warnings.append(message)

        def progress(self, total, label):
            from perfxl.batch.progress import SILENT

            return SILENT.progress(total, label)

    result = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, reporter=Collect())
    assert result.files and out.exists()
    assert any("缓存文件已损坏" in w for w in warnings)
    assert list(tmp_path.glob("汇总.perfxl-cache.sqlite.damaged-*"))
    counted.calls.clear()
    again = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    assert counted.calls == [] and again.parsed == 0


def test_in_process_run_leaves_ctrl_c_alone(tmp_path):
    before = signal.getsignal(signal.SIGINT)
    broken_corpus(tmp_path / "in")
    consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    assert signal.getsignal(signal.SIGINT) is before


def test_output_inside_an_input_folder_is_not_read_back(tmp_path):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "in" / "汇总.xlsx"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    second = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, full=True)
    assert len(second.files) == len(first.files)
    assert "汇总.xlsx" not in {Path(f.path).name for f in second.files}
    assert not list(tmp_path.rglob("*.tmp"))  # the temporary file was renamed into place


def test_parallel_run_equals_serial_run(tmp_path):
    serial = consolidate([COUNTY], tmp_path / "a" / "汇总.xlsx", PROFILE, jobs=1)
    parallel = consolidate([COUNTY], tmp_path / "b" / "汇总.xlsx", PROFILE, jobs=2)
    assert len(parallel.files) >= 32  # large enough for the process pool
    assert parallel.files == serial.files
    assert parallel.projects == serial.projects
    assert parallel.problems == serial.problems


# --- files that hang or kill the process checking them -------------------------------------


def slow_on(name: str, action):
    real = worker.check_file

    def check(path, profile, **given):
        if Path(path).name == name:
            action()
        return real(path, profile, **given)

    return check


def test_slow_file_is_rejected_after_the_time_limit(tmp_path, monkeypatch):
    files = broken_corpus(tmp_path / "in")
    monkeypatch.setattr(worker, "check_file", slow_on(files["other"].name, lambda: time.sleep(30)))
    start = time.monotonic()
    result = consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", PROFILE, jobs=1, timeout=0.5)
    assert time.monotonic() - start < 20
    entry = by_name(result)[files["other"].name]
    assert entry.status == REJECTED and "超时" in entry.reason
    assert by_name(result)[files["good"].name].status == PROCESSED


def _fork_only():
    if multiprocessing.get_start_method() != "fork":
        pytest.skip("the monkeypatched reader reaches the workers only when they are forked")


def _blocked_sleep():
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})  # as native code would
    time.sleep(60)


def many_files(folder: Path) -> list[Path]:
    """40 distinct good workbooks, so the process pool is used."""
    folder.mkdir(parents=True)
    paths = []
    for n in range(40):
        path = folder / f"项目{n:02d}.xlsx"
        write_workbook([replace(SEEDS["000"], project=f"项目{n:02d}")], path)
        paths.append(path)
    return paths


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX only")
def test_stuck_worker_is_killed_and_the_rest_finish(tmp_path, monkeypatch):
    _fork_only()
    paths = many_files(tmp_path / "in")
    monkeypatch.setattr(worker, "check_file", slow_on(paths[5].name, _blocked_sleep))
    monkeypatch.setattr(pool_module, "_GRACE", 0.5)
    start = time.monotonic()
    result = consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", PROFILE, jobs=2, timeout=0.5)
    assert time.monotonic() - start < 40
    listed = by_name(result)
    assert len(listed) == 40
    assert listed[paths[5].name].status == REJECTED
    assert "超时" in listed[paths[5].name].reason
    assert all(listed[p.name].status == PROCESSED for p in paths if p != paths[5])


def test_crashing_worker_costs_one_file(tmp_path, monkeypatch):
    _fork_only()
    paths = many_files(tmp_path / "in")
    monkeypatch.setattr(worker, "check_file", slow_on(paths[7].name, lambda: os._exit(3)))
    result = consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", PROFILE, jobs=2)
    listed = by_name(result)
    assert listed[paths[7].name].status == REJECTED
    assert "异常退出" in listed[paths[7].name].reason
    assert sum(f.status == PROCESSED for f in result.files) == 39


def test_a_failing_rule_costs_one_file(tmp_path, monkeypatch):
    files = broken_corpus(tmp_path / "in")

    def explode():
        raise KeyError("规则内部错误")

    monkeypatch.setattr(worker, "check_file", slow_on(files["other"].name, explode))
    result = consolidate([tmp_path / "in"], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    entry = by_name(result)[files["other"].name]
    assert entry.status == REJECTED and "程序出错" in entry.reason and "KeyError" in entry.reason
    assert by_name(result)[files["good"].name].status == PROCESSED


# --- names that are not UTF-8 --------------------------------------------------------------

GBK_NAME = "教育局自评表.xlsx".encode("gbk")


def non_utf8_folder(folder: Path) -> dict[str, bytes]:
    """GBK names (a Windows zip unpacked on Linux), inside a GBK folder, and one name that
    is neither UTF-8 nor GBK."""
    if sys.platform != "linux":
        pytest.skip("only Linux file systems keep names that are not UTF-8")
    base = os.fsencode(folder)
    department = base + b"/" + "财政局".encode("gbk")
    try:
        os.makedirs(department)
        shutil.copyfile(SEED_FILES / "seed000.xlsx", base + b"/" + GBK_NAME)
        shutil.copyfile(SEED_FILES / "seed002.xlsx", department + b"/" + "项目.xlsx".encode("gbk"))
        open(department + b"/\xff\xfe.xlsx", "wb").close()  # empty, to be rejected
    except OSError as exc:
        pytest.skip(f"this file system refuses names that are not UTF-8: {exc}")
    return {"gbk": base + b"/" + GBK_NAME}


def test_display_and_storable_names():
    assert names.display("教育局/自评表.xlsx") == "教育局/自评表.xlsx"
    assert names.storable("教育局/自评表.xlsx") == "教育局/自评表.xlsx"
    if os.name == "nt":
        return
    gbk = os.fsdecode(b"/srv/\xe6\x95\x99\xe8\x82\xb2/" + GBK_NAME)  # a UTF-8 folder, a GBK name
    assert names.display(gbk) == "/srv/教育/教育局自评表.xlsx"
    assert names.display(os.fsdecode(b"\xff\xfe.xlsx")) == "\ufffd\ufffd.xlsx"
    assert names.display("\ud800x") == "\ufffd\ufffd\ufffdx"  # a surrogate the OS never gives
    key = names.storable(gbk)
    assert key.isascii() and key.startswith("hex:") and bytes.fromhex(key[4:]) == os.fsencode(gbk)
    assert names.storable(os.fsdecode(b"\xff.xlsx")) != names.storable(os.fsdecode(b"\xfe.xlsx"))


def test_file_names_that_are_not_utf8(tmp_path, counted):
    non_utf8_folder(tmp_path / "in")
    out = tmp_path / "out" / "汇总.xlsx"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    shown = sorted(f.path for f in first.files)
    assert shown == sorted(["教育局自评表.xlsx", "财政局/\ufffd\ufffd.xlsx", "财政局/项目.xlsx"])
    assert [f.status for f in first.files].count(PROCESSED) == 2
    assert {p.file for p in first.projects} == {"教育局自评表.xlsx", "财政局/项目.xlsx"}
    listed = [row[1].value for row in openpyxl.load_workbook(out)["文件清单"].iter_rows(min_row=2)]
    assert sorted(listed) == shown
    counted.calls.clear()
    second = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)  # the cache took them
    assert counted.calls == [] and second.parsed == 0 and not second.written
    assert second.files == first.files


def test_an_input_folder_that_is_not_utf8(tmp_path):
    non_utf8_folder(tmp_path / "in")
    folder = os.fsdecode(os.fsencode(tmp_path / "in") + b"/" + "财政局".encode("gbk"))
    out = os.fsdecode(os.fsencode(tmp_path) + b"/" + "汇总".encode("gbk") + b"/s.xlsx")
    result = consolidate([folder, tmp_path / "in"], out, PROFILE, jobs=1)
    assert result.inputs[0].endswith("/财政局") and result.written
    assert "财政局/项目.xlsx" in {f.path for f in result.files}
    assert consolidate([folder, tmp_path / "in"], out, PROFILE, jobs=1).parsed == 0


# --- a cache whose rows are damaged, or that cannot be used tonight ---------------------------


class Collect:
    def __init__(self):
        self.warnings = []

    def log(self, message):
        pass

    def warn(self, message):
        self.warnings.append(message)

    def progress(self, total, label):
        from perfxl.batch.progress import SILENT

        return SILENT.progress(total, label)


def cache_rows(cache: Path) -> list[tuple[str, str]]:
    with contextlib.closing(sqlite3.connect(cache)) as db:
        return db.execute("SELECT key, payload FROM results ORDER BY key").fetchall()


def damage(cache: Path, damaged: dict[str, str]) -> None:
    with contextlib.closing(sqlite3.connect(cache)) as db, db:
        for key, payload in damaged.items():
            db.execute("UPDATE results SET payload = ? WHERE key = ?", (payload, key))


def test_damaged_cache_rows_are_misses(tmp_path, counted):
    files = broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    cache = tmp_path / "汇总.perfxl-cache.sqlite"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    sha = {name: f.sha256 for name, f in by_name(first).items()}
    good = json.loads(dict(cache_rows(cache))[sha[files["good"].name] + ".xlsx"])
    bad_total = json.dumps(good | {"tables": [good["tables"][0] | {"total": "abc"}]})
    damaged = {
        sha[files["good"].name] + ".xlsx": "{bad",  # not JSON
        sha[files["other"].name] + ".xlsx": "{}",  # JSON without the keys
        sha[files["resubmitted"].name] + ".xlsx": bad_total,  # a figure that is no number
        sha[files["zero_byte"].name] + ".xlsx": "[1, 2]",
    }
    damage(cache, damaged)
    stat = files["resubmitted"].stat()  # stat changed, bytes known: the hash-only route
    os.utime(files["resubmitted"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    counted.calls.clear()
    collect = Collect()
    second = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, reporter=collect)
    read_again = ("good", "duplicate", "other", "resubmitted", "zero_byte")  # same bytes: same row
    names_read = {files[k].name for k in read_again}
    assert set(counted.calls) == names_read and second.parsed == len(names_read)
    assert second.files == first.files and second.projects == first.projects
    assert any("缓存中有 4 条结果已损坏" in w for w in collect.warnings)
    assert not list(tmp_path.glob("*.damaged-*"))  # the file is healthy: kept
    rows = dict(cache_rows(cache))
    assert all(worker.decode_payload(rows[key]) for key in damaged)  # rows replaced
    counted.calls.clear()
    assert consolidate([tmp_path / "in"], out, PROFILE, jobs=1).parsed == 0


def test_payload_validation():
    payload = worker.rejected_payload("文件为空")
    assert worker.decode_payload(json.dumps(payload)) == payload
    for text in ("{bad", "{}", "null", "[]", '{"tables": 1}', b"\xff", 5, None):
        assert worker.decode_payload(text) is None, text
    assert worker.decode_payload(json.dumps(payload | {"findings": [["error", "PX001"]]})) is None


def test_cache_that_cannot_be_opened_tonight_is_left_alone(tmp_path, counted, monkeypatch):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    cache = tmp_path / "汇总.perfxl-cache.sqlite"
    first = consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    before = cache.read_bytes()

    def locked(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(cache_module.sqlite3, "connect", locked)
    counted.calls.clear()
    collect = Collect()
    second = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, reporter=collect)
    assert len(counted.calls) == len(first.files)  # run without the cache
    assert second.files == first.files
    assert any("暂时无法读写" in w and "database is locked" in w for w in collect.warnings)
    assert not list(tmp_path.glob("*.damaged-*"))
    assert cache.read_bytes() == before
    monkeypatch.undo()
    counted.calls.clear()
    assert consolidate([tmp_path / "in"], out, PROFILE, jobs=1).parsed == 0


class DiskFull:
    """A connection whose writes fail as on a full disk; reads work."""

    def __init__(self, db):
        self.db = db

    def execute(self, sql, *args):
        if sql.lstrip().upper().startswith(("BEGIN", "INSERT")):
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self.db, name)


def test_cache_write_failure_is_no_damage(tmp_path, counted, monkeypatch):
    files = broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    cache = tmp_path / "汇总.perfxl-cache.sqlite"
    consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    shutil.copyfile(SEED_FILES / "seed000.xlsx", files["good"])  # something to store
    real = cache_module.ResultCache._connect
    monkeypatch.setattr(cache_module.ResultCache, "_connect", lambda self: DiskFull(real(self)))
    before = cache.read_bytes()
    collect = Collect()
    result = consolidate([tmp_path / "in"], out, PROFILE, jobs=1, reporter=collect)
    assert result.written and result.parsed == 1
    assert any("database or disk is full" in w for w in collect.warnings)
    assert not list(tmp_path.glob("*.damaged-*")) and cache.read_bytes() == before


# --- nothing to consolidate ---------------------------------------------------------------------


def test_empty_input_leaves_the_summary_alone(tmp_path):
    broken_corpus(tmp_path / "in")
    out = tmp_path / "汇总.xlsx"
    consolidate([tmp_path / "in"], out, PROFILE, jobs=1)
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.glob("汇总*")}
    (tmp_path / "share").mkdir()  # an unmounted share: an empty mount point
    with pytest.raises(NoInput, match="没有找到任何工作簿文件"):
        consolidate([tmp_path / "share"], out, PROFILE, jobs=1)
    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in tmp_path.glob("汇总*")}
    assert after == before  # summary, cache and no lock left behind


def test_one_empty_input_folder_is_warned_about(tmp_path):
    broken_corpus(tmp_path / "in")
    (tmp_path / "share").mkdir()
    collect = Collect()
    result = consolidate(
        [tmp_path / "in", tmp_path / "share"], tmp_path / "汇总.xlsx", PROFILE, jobs=1,
        reporter=collect,
    )  # fmt: skip
    assert result.written
    assert [w for w in collect.warnings if "share" in w and "没有找到工作簿文件" in w]


def test_a_file_is_checked_without_writing_a_copy(monkeypatch):
    """The worker checks the bytes it hashed from memory: with no temporary space at all
    (a full /dev/shm and a full /tmp) every file is still scored."""

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    monkeypatch.setattr(tempfile, "mkstemp", full)
    record = worker.process_file(str(SEED_FILES / "seed003.xlsx"), 0, 0, PROFILE, frozenset(), 10)
    payload = record["payload"]
    assert not payload["rejected"] and len(payload["tables"]) == 1


@pytest.mark.parametrize("kind", ["good", "corrupt_zip", "no_table"])
def test_findings_name_the_original_file_not_the_private_copy(tmp_path, kind):
    """The worker reads the bytes it hashed; every finding (file, table, row) must name
    the file the clerk sent, or the summary points at a path that does not exist."""
    files = broken_corpus(tmp_path / "in")
    original = str(files[kind])
    check = worker.check_bytes(original, files[kind].read_bytes(), PROFILE)
    found = list(check.all_findings)
    found += [f for t in check.tables for r in t.result.rows for f in r.findings]
    assert found  # a test that can fail: each of these files has findings
    assert check.path == original
    assert {f.path for f in found} == {original}
    assert not [
        f for f in found if (f.where or "").endswith(files[kind].name) and f.where != original
    ]
