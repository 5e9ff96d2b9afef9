"""`perfxl consolidate` on the command line: exit codes, the lock, log lines, the example."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from perfxl.batch.lock import OutputLock, lock_path
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
    assert "找到 42 个工作簿文件" in log
    assert "核对与校验：42/42（100%）" in log
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
