"""`perfxl consolidate` on the command line: exit codes, the lock, log lines, the example."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import xlsxwriter.workbook
from click.testing import CliRunner

from perfxl.batch.lock import LockHeld, OutputLock, lock_path
from perfxl.cli import main
from perfxl.samples.county import build_county

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
COUNTY = ROOT / "examples" / "county"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def clean_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir(parents=True)
    shutil.copyfile(SEED_FILES / "seed000.xlsx", folder / "招商引资工作经费.xlsx")
    return folder


def test_clean_folder_exits_0(tmp_path):
    out = tmp_path / "out" / "县级汇总.xlsx"
    result = invoke("consolidate", clean_folder(tmp_path), "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert out.exists()
    assert "县级汇总已写入" in result.output
    again = invoke("consolidate", tmp_path / "in", "-o", out, "-q")
    assert again.exit_code == 0
    assert "输入未变化" in again.output


def test_rejected_file_exits_1(tmp_path):
    folder = clean_folder(tmp_path)
    (folder / "空.xlsx").write_bytes(b"")
    result = invoke("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "-q")
    assert result.exit_code == 1
    assert "拒收：空.xlsx：文件无法读取：文件为空" in result.output


def test_lock_held_exits_2_and_touches_nothing(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    before = sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir())
    with OutputLock(out):  # this process holds it, as a running nightly job would
        result = invoke("consolidate", folder, "-o", out)
    assert result.exit_code == 2
    assert "另一个汇总任务正在写入" in result.output
    assert str(lock_path(out)) in result.output
    assert not out.exists()
    assert not (tmp_path / "汇总.perfxl-cache.sqlite").exists()
    assert sorted((p.name, p.stat().st_mtime_ns) for p in folder.iterdir()) == before
    assert not lock_path(out).exists()  # released after the with block


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    owner = {"pid": dead.pid, "host": socket.gethostname(), "started": time.time()}
    lock_path(out).write_text(json.dumps(owner), encoding="utf-8")
    result = invoke("consolidate", folder, "-o", out, "-q")
    assert result.exit_code == 0, result.output
    assert out.exists() and not lock_path(out).exists()


def test_old_lock_is_taken_over(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    owner = {"pid": os.getpid(), "host": "另一台电脑", "started": 0}
    lock_path(out).write_text(json.dumps(owner), encoding="utf-8")
    old = time.time() - 2 * 24 * 3600
    os.utime(lock_path(out), (old, old))
    assert invoke("consolidate", folder, "-o", out, "-q").exit_code == 0


def test_usage_errors_exit_2(tmp_path):
    folder = clean_folder(tmp_path)
    assert invoke("consolidate", folder, "-o", tmp_path / "x.csv").exit_code == 2
    assert invoke("consolidate", folder, "-p", "atlantis", "-o", tmp_path / "x.xlsx").exit_code == 2
    assert invoke("consolidate", tmp_path / "无此文件夹", "-o", tmp_path / "x.xlsx").exit_code == 2


def test_log_lines_when_not_on_a_terminal(tmp_path):
    result = CliRunner().invoke(
        main, ["consolidate", str(COUNTY), "-o", str(tmp_path / "汇总.xlsx"), "--jobs", "2"]
    )
    assert result.exit_code == 1  # the example county holds bad files on purpose
    log = result.stderr
    # 42 self-evaluation submissions and the May monitoring round's 21 workbooks (监控/)
    assert "找到 63 个工作簿文件" in log
    # perfxl-county.toml scores seed 002's and seed 003's folders (one file each) under
    # xj-prop and xj-60: 63 − 2 = 61 files under the default, each group checked on its own
    assert "按评分规则 mof2020 核对的文件：61 个" in log
    assert "按评分规则 xj-prop 核对的文件：1 个" in log
    assert "按评分规则 xj-60 核对的文件：1 个" in log
    assert "核对与校验：61/61（100%）" in log
    assert log.splitlines()[0][:4].isdigit()  # timestamped lines for cron and the journal
    assert "拒收：" in result.stdout


def test_example_county_matches_its_generator(tmp_path):
    written = build_county(tmp_path / "county")
    committed = sorted(p.relative_to(COUNTY).as_posix() for p in COUNTY.rglob("*") if p.is_file())
    rebuilt = sorted(
        p.relative_to(tmp_path / "county").as_posix()
        for p in (tmp_path / "county").rglob("*")
        if p.is_file()
    )
    assert committed == rebuilt, "run scripts/build_example_county.py and commit"
    for rel in rebuilt:
        assert (COUNTY / rel).read_bytes() == (tmp_path / "county" / rel).read_bytes(), rel
    kinds = {f.kind for f in written}
    assert {"seed", "workbook", "duplicate", "resubmitted", "zero_byte", "text_renamed",
            "old_xls", "encrypted", "corrupt_zip", "no_table", "zip_bomb"} <= kinds  # fmt: skip


HOLDER = """
import os, sys, time
from pathlib import Path
from perfxl.batch.lock import OutputLock
OutputLock(Path(sys.argv[1])).acquire()
started, ready = os.pipe()
child = os.fork() if sys.argv[2] == "fork" else 0  # a pool worker would be forked like this
if child == 0 and sys.argv[2] == "fork":
    os.write(ready, b"1")  # fork has returned here: the at-fork handlers have run
    time.sleep(60)
    os._exit(0)
if child:  # on a busy machine the child may not have run yet when the parent is killed
    os.read(started, 1)
print(child, flush=True)
time.sleep(60)
"""


def hold_lock(out: Path, fork: bool = False) -> tuple[subprocess.Popen, int]:
    """Another process holding the output's lock, and the pid of its forked child (or 0)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(out), "fork" if fork else "-"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    return holder, int(holder.stdout.readline())


def test_lock_of_a_live_process_holds_and_of_a_killed_one_does_not(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    holder, _ = hold_lock(out)
    try:
        held = invoke("consolidate", folder, "-o", out, "-q")
        assert held.exit_code == 2 and "另一个汇总任务正在写入" in held.output
        assert f"进程 {holder.pid}" in held.output  # the lock file says who
        holder.kill()  # as the task scheduler or the OOM killer would: no clean-up runs
        holder.wait()
        assert lock_path(out).exists()
        result = invoke("consolidate", folder, "-o", out, "-q")
        assert result.exit_code == 0, result.output
        assert not lock_path(out).exists()
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_file_alone_does_not_hold(tmp_path):
    """What a killed run leaves on Windows, where no pid can be probed: a lock file naming
    a process that is still alive (here: this one) but holding no OS lock."""
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    lock_path(out).write_text(json.dumps(owner), encoding="utf-8")
    result = invoke("consolidate", folder, "-o", out, "-q")
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX only")
def test_forked_children_of_a_killed_run_do_not_keep_its_lock(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    holder, child = hold_lock(out, fork=True)
    try:
        holder.kill()
        holder.wait()
        os.kill(child, 0)  # the child lives on, as pool workers may for a while
        result = invoke("consolidate", folder, "-o", out, "-q")
        assert result.exit_code == 0, result.output
    finally:
        holder.kill()
        holder.wait()
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)


def test_two_locks_in_one_process_exclude_each_other(tmp_path):
    out = tmp_path / "汇总.xlsx"
    with OutputLock(out), pytest.raises(LockHeld, match="另一个汇总任务正在写入"):
        OutputLock(out).acquire()
    with OutputLock(out):  # released: free again
        pass
    assert not lock_path(out).exists()


def test_empty_input_folder_exits_2_and_keeps_the_summary(tmp_path):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert invoke("consolidate", folder, "-o", out, "-q").exit_code == 0
    before = (out.read_bytes(), out.stat().st_mtime_ns)
    (tmp_path / "share").mkdir()  # the share is not mounted: an empty mount point
    result = invoke("consolidate", tmp_path / "share", "-o", out, "-q")
    assert result.exit_code == 2
    assert "没有找到任何工作簿文件" in result.output and "Traceback" not in result.output
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before


def test_disk_full_while_writing_the_summary_exits_2(tmp_path, monkeypatch):
    folder = clean_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert invoke("consolidate", folder, "-o", out, "-q").exit_code == 0
    before = (out.read_bytes(), out.stat().st_mtime_ns)

    def full(self):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), self.filename)

    # XlsxWriter turns the OSError of its final write into FileCreateError (no OSError)
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "_store_workbook", full)
    result = invoke("consolidate", folder, "-o", out, "-q", "--full")
    assert result.exit_code == 2, result.output
    assert "无法写入汇总文件" in result.output and "磁盘空间已满" in result.output
    assert str(out) in result.output and ".tmp" not in result.output
    assert (out.read_bytes(), out.stat().st_mtime_ns) == before
    assert not list(tmp_path.glob(".*.tmp"))
