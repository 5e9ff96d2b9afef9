"""Every path found is a 文件清单 row; nothing found vanishes, nothing hangs (issue 9 #7 and
the weak items on special files and deep trees).

Permissions are simulated by making os.scandir / os.stat / os.open raise
PermissionError for chosen folders, because these tests often run as root, which
ignores file modes; one test uses real modes when not root.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from _child import PERFXL, run_child, run_perfxl

from perfxl.batch import consolidate
from perfxl.batch.ledger import PROCESSED, REJECTED
from perfxl.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
PROFILE = load_profile("xj-prop")


def listed(result) -> dict[str, tuple[str, str]]:
    return {f.path: (f.status, f.reason) for f in result.files}


def file_list(summary: Path) -> dict[str, tuple[str, str]]:
    book = openpyxl.load_workbook(summary, read_only=True)
    rows = list(book["文件清单"].iter_rows(min_row=2, values_only=True))
    book.close()
    return {row[1]: (row[2], row[3]) for row in rows}


def county(tmp_path: Path) -> Path:
    """组织部 (readable) and 保密部门 (to be made unreadable), one workbook each."""
    folder = tmp_path / "in"
    for department, seed in (("组织部", "seed000"), ("保密部门", "seed002")):
        (folder / department).mkdir(parents=True)
        shutil.copyfile(SEEDS / f"{seed}.xlsx", folder / department / "项目.xlsx")
    return folder


def deny(monkeypatch, predicate, *names: str) -> None:
    """Make os.<name>(path) raise PermissionError for paths the predicate picks."""
    for name in names:
        real = getattr(os, name)

        def fake(path=".", *args, _real=real, **kwargs):
            if isinstance(path, str | Path) and predicate(str(path)):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, fake)


def test_a_folder_that_cannot_be_listed_is_a_row(tmp_path, monkeypatch):
    folder = county(tmp_path)
    secret = str(folder / "保密部门")
    deny(monkeypatch, lambda p: p.rstrip("/") == secret, "scandir")  # as mode 000
    result = consolidate([folder], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    rows = listed(result)
    assert rows["组织部/项目.xlsx"][0] == PROCESSED
    assert rows["保密部门"][0] == REJECTED and "无法读取" in rows["保密部门"][1]
    assert "没有读取权限" in rows["保密部门"][1]
    assert result.exit_code == 1


def test_a_folder_listable_but_not_enterable_lists_its_files(tmp_path, monkeypatch):
    folder = county(tmp_path)
    inside = str(folder / "保密部门") + os.sep  # as mode 644: names readable, files not
    deny(monkeypatch, lambda p: p.startswith(inside), "stat", "open")
    result = consolidate([folder], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    rows = listed(result)
    assert rows["组织部/项目.xlsx"][0] == PROCESSED
    status, reason = rows["保密部门/项目.xlsx"]
    assert status == REJECTED and "没有读取权限" in reason
    assert len(rows) == 2


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file modes"
)
def test_real_modes_000_and_644(tmp_path):
    folder = county(tmp_path)
    (folder / "第三部门").mkdir()
    shutil.copyfile(SEEDS / "seed003.xlsx", folder / "第三部门" / "项目.xlsx")
    os.chmod(folder / "保密部门", 0o000)
    os.chmod(folder / "第三部门", 0o644)
    try:
        result = consolidate([folder], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    finally:
        os.chmod(folder / "保密部门", 0o755)
        os.chmod(folder / "第三部门", 0o755)
    rows = listed(result)
    assert rows["组织部/项目.xlsx"][0] == PROCESSED
    assert rows["保密部门"][0] == REJECTED
    assert rows["第三部门/项目.xlsx"][0] == REJECTED


def special_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEEDS / "seed000.xlsx", folder / "正常.xlsx")
    (folder / "断链.xlsx").symlink_to(folder / "不存在.xlsx")
    os.mkfifo(folder / "管道.xlsx")
    (folder / "设备.xlsx").symlink_to("/dev/zero")  # a character device
    (folder / "目录.xlsx").mkdir()
    shutil.copyfile(SEEDS / "seed002.xlsx", folder / "目录.xlsx" / "里面.xlsx")
    return folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_links_fifos_devices_and_folders_named_like_workbooks(tmp_path):
    folder = special_folder(tmp_path)
    out = tmp_path / "汇总.xlsx"
    run = run_perfxl("consolidate", str(folder), "-o", str(out), "-q", timeout=60)
    assert not run.killed, "a FIFO was opened for reading"
    assert run.returncode == 1, run.stderr
    assert run.peak_rss_mb < 400
    rows = file_list(out)
    assert rows["正常.xlsx"][0] == PROCESSED
    assert rows["目录.xlsx/里面.xlsx"][0] == PROCESSED
    assert "指向的文件不存在" in rows["断链.xlsx"][1]
    assert "命名管道" in rows["管道.xlsx"][1]
    assert "设备文件" in rows["设备.xlsx"][1]
    assert "文件夹" in rows["目录.xlsx"][1]
    assert all(rows[name][0] == REJECTED for name in ("断链.xlsx", "管道.xlsx", "设备.xlsx"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_validate_lists_them_too_and_does_not_hang(tmp_path):
    folder = special_folder(tmp_path)
    run = run_perfxl("validate", str(folder), timeout=60)
    assert not run.killed and run.returncode == 1, run.stderr
    for name in ("断链.xlsx", "管道.xlsx", "设备.xlsx"):
        assert any(name in line and "PX001" in line for line in run.stdout.splitlines()), name


def test_a_fifo_given_directly_is_not_opened(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("POSIX only")
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    run = run_perfxl("validate", str(fifo), timeout=30)
    assert not run.killed and run.returncode == 1, run.stderr
    assert "命名管道" in run.stdout


def deep_tree(tmp_path: Path, depth: int) -> Path:
    top = tmp_path / "in"
    path = top
    for _ in range(depth):  # os.makedirs recurses once per level itself
        path = path / "d"
        path.mkdir(parents=path == top / "d")
    shutil.copyfile(SEEDS / "seed000.xlsx", path / "最深处.xlsx")
    return top


def remove_deep(top: Path) -> None:
    """Bottom-up, without recursion (shutil.rmtree recurses once per level)."""
    paths = [top]
    while (paths[-1] / "d").is_dir():
        paths.append(paths[-1] / "d")
    for path in reversed(paths):
        for child in path.iterdir():
            if not child.is_dir():
                child.unlink()
        path.rmdir()


def test_folders_nested_1200_deep(tmp_path):
    top = deep_tree(tmp_path, 1200)
    out = tmp_path / "汇总.xlsx"
    try:
        run = run_child([*PERFXL, "consolidate", str(top), "-o", str(out), "-q"], timeout=60)
        assert not run.killed and run.returncode == 0, run.stderr[-2000:]
        assert "RecursionError" not in run.stderr
        rows = file_list(out)
        assert [status for status, _ in rows.values()] == [PROCESSED]
        run = run_perfxl("validate", str(top), timeout=60)
        assert run.returncode == 0 and "RecursionError" not in run.stderr, run.stderr[-2000:]
    finally:
        remove_deep(top)


def test_symlink_loops_end(tmp_path):
    folder = tmp_path / "in"
    (folder / "a").mkdir(parents=True)
    shutil.copyfile(SEEDS / "seed000.xlsx", folder / "a" / "项目.xlsx")
    (folder / "a" / "回到上级").symlink_to(folder)
    (folder / "自己").symlink_to(folder / "自己")  # a link to itself
    result = consolidate([folder], tmp_path / "汇总.xlsx", PROFILE, jobs=1)
    assert [f.status for f in result.files] == [PROCESSED]


if sys.platform == "win32":  # pragma: no cover
    pytestmark = pytest.mark.skip("POSIX file system attacks")
