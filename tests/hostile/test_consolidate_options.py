"""Limits are validated options, and a damaged or foreign cache is rebuilt, as the docs
promise (issue 9, weak items on --timeout / --schedule and on the cache)."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from _child import PERFXL, run_child

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"


def folder_of_two(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEEDS / "seed000.xlsx", folder / "甲.xlsx")
    shutil.copyfile(SEEDS / "seed002.xlsx", folder / "乙.xlsx")
    return folder


def consolidate(folder: Path, out: Path, *options: str):
    return run_child([*PERFXL, "consolidate", str(folder), "-o", str(out), *options], timeout=60)


@pytest.mark.parametrize(
    "option, value",
    [
        ("--timeout", "1e308"),
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "-1"),
        ("--schedule", "nan"),
        ("--schedule", "inf"),
        ("--schedule", "101"),
        ("--jobs", "100000"),
        ("--max-findings", "-1"),
    ],
)
def test_out_of_range_options_exit_2_in_chinese(tmp_path, option, value):
    folder = folder_of_two(tmp_path)
    out = tmp_path / "汇总.xlsx"
    run = consolidate(folder, out, option, value)
    assert not run.killed
    assert run.returncode == 2, (run.stdout, run.stderr)
    assert "Traceback" not in run.stderr and "程序内部出错" not in run.stderr
    assert any("\u4e00" <= ch <= "\u9fff" for ch in run.stderr.split(option, 1)[-1])
    assert not out.exists()


def test_a_long_but_finite_timeout_is_fine(tmp_path):
    run = consolidate(folder_of_two(tmp_path), tmp_path / "汇总.xlsx", "--timeout", "86400")
    assert run.returncode == 0, run.stderr


def read_count(run) -> int:
    line = next(x for x in run.stdout.splitlines() if x.startswith("本次读取"))
    return int(line.removeprefix("本次读取").split("个")[0])


def cache_of(out: Path) -> Path:
    return out.with_name(f"{out.stem}.perfxl-cache.sqlite")


def damage_and_rerun(tmp_path: Path, damage) -> None:
    folder = folder_of_two(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert consolidate(folder, out, "-q").returncode == 0
    damage(cache_of(out))
    first = consolidate(folder, out, "-q")
    assert first.returncode == 0, first.stderr
    assert "重新建立" in first.stderr  # rebuilt, not merely skipped
    second = consolidate(folder, out, "-q")
    assert second.returncode == 0, second.stderr
    assert read_count(second) == 0  # the rebuilt cache serves the next run
    assert "缓存" not in second.stderr  # no warning any more


def test_a_cache_with_a_foreign_schema_is_rebuilt(tmp_path):
    def foreign(path: Path) -> None:
        path.unlink()
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE results (a, b)")
        db.execute("CREATE TABLE stats (x)")
        db.execute("CREATE TABLE meta (name TEXT)")
        db.commit()
        db.close()

    damage_and_rerun(tmp_path, foreign)


def test_a_cache_with_flipped_header_bytes_is_rebuilt(tmp_path):
    def flip(path: Path) -> None:
        data = bytearray(path.read_bytes())
        for n in range(0, 16):
            data[n] ^= 0xFF
        path.write_bytes(bytes(data))

    damage_and_rerun(tmp_path, flip)


def test_a_cache_with_a_flipped_page_is_rebuilt(tmp_path):
    def flip(path: Path) -> None:
        data = bytearray(path.read_bytes())
        page = 4096 if len(data) > 8192 else 1024
        for n in range(page, page + 200):  # the second page's header and pointers
            data[n] ^= 0xFF
        path.write_bytes(bytes(data))

    damage_and_rerun(tmp_path, flip)


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("child processes with fork")
