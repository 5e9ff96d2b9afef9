"""A file that kills its reader, changes under it or runs out of time costs itself only,
and a killed run leaves nothing running or lying about (issue 9 #1 batch part, #6, and
the weak items on timeouts and `kill -9`).

The faults are injected in a child process by replacing a function before perfxl's
command line starts; the pool's workers are forked, so they inherit the replacement.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl
import pytest
from _child import run_child

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or multiprocessing.get_start_method() != "fork",
    reason="faults reach the workers only when they are forked",
)


def perfxl_patched(patch: str, *args, timeout: float = 60):
    argv = ["perfxl", *map(str, args)]
    code = f"{patch}\nimport sys\nfrom perfxl.cli import main\nsys.argv = {argv!r}\nmain()\n"
    return run_child([sys.executable, "-c", code], timeout=timeout)


def sheet(summary: Path, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(summary, read_only=True)
    rows = list(book[name].iter_rows(min_row=2, values_only=True))
    book.close()
    return rows


def file_rows(summary: Path) -> dict[str, tuple]:
    return {row[1]: row for row in sheet(summary, "文件清单")}  # 文件, 状态, 原因, …, SHA-256


def projects_of(summary: Path, file: str) -> list[str]:
    return [row[3] for row in sheet(summary, "项目汇总") if row[16] == file]


def three_files(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, seed in (("甲.xlsx", "seed000"), ("炸弹.xlsx", "seed002"), ("乙.xlsx", "seed003")):
        shutil.copyfile(SEEDS / f"{seed}.xlsx", folder / name)
    return folder


def test_a_file_that_aborts_its_reader_is_one_rejected_row(tmp_path):
    # as the 38 KB file of issue 9 #1 did: a native abort (SIGABRT) inside the reader
    folder = three_files(tmp_path)
    out = tmp_path / "汇总.xlsx"
    patch = (
        "import os\nfrom pathlib import Path\nimport perfxl.batch.worker as w\n"
        "real = w.check_file\n"
        "def check(path, profile, **given):\n"
        "    if Path(path).name == '炸弹.xlsx':\n"
        "        os.abort()\n"
        "    return real(path, profile, **given)\n"
        "w.check_file = check\n"
    )
    run = perfxl_patched(patch, "consolidate", folder, "-o", out, "-q")
    assert not run.killed
    assert run.returncode == 1, run.stderr  # summary written, one file rejected
    rows = file_rows(out)
    assert rows["炸弹.xlsx"][2] == "已拒收" and "异常退出" in rows["炸弹.xlsx"][3]
    assert rows["甲.xlsx"][2] == rows["乙.xlsx"][2] == "已处理"


def test_a_file_changed_while_read_is_hashed_and_read_as_the_same_bytes(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    target = folder / "项目.xlsx"
    shutil.copyfile(SEEDS / "seed002.xlsx", target)
    first_bytes = target.read_bytes()
    out = tmp_path / "汇总.xlsx"
    # The clerk saves another version just as the file is being read.
    patch = (
        "import shutil\nfrom pathlib import Path\nimport perfxl.batch.worker as w\n"
        "real = w.check_file\n"
        "def check(path, profile, **given):\n"
        f"    shutil.copyfile({str(SEEDS / 'seed003.xlsx')!r}, {str(target)!r})\n"
        "    return real(path, profile, **given)\n"
        "w.check_file = check\n"
    )
    run = perfxl_patched(patch, "consolidate", folder, "-o", out, "-q")
    assert not run.killed and run.returncode in (0, 1), run.stderr
    truth = tmp_path / "truth"
    truth.mkdir()
    shutil.copyfile(SEEDS / "seed002.xlsx", truth / "项目.xlsx")
    expected = run_child(
        [
            sys.executable,
            "-m",
            "perfxl.cli",
            "consolidate",
            str(truth),
            "-o",
            str(tmp_path / "t.xlsx"),
            "-q",
        ]
    )
    assert expected.returncode in (0, 1), expected.stderr
    sha = file_rows(out)["项目.xlsx"][8]
    if sha == hashlib.sha256(first_bytes).hexdigest():  # the hash is of the first version…
        assert projects_of(out, "项目.xlsx") == projects_of(tmp_path / "t.xlsx", "项目.xlsx")
    # The first version comes back (a new mtime): the next run must report it, not the
    # second version's result cached under the first version's hash.
    shutil.copyfile(SEEDS / "seed002.xlsx", target)
    run = run_child(
        [sys.executable, "-m", "perfxl.cli", "consolidate", str(folder), "-o", str(out), "-q"]
    )
    assert run.returncode in (0, 1), run.stderr
    assert projects_of(out, "项目.xlsx") == projects_of(tmp_path / "t.xlsx", "项目.xlsx")
    assert file_rows(out)["项目.xlsx"][8] == hashlib.sha256(first_bytes).hexdigest()


def test_a_timeout_says_so_and_is_not_cached(tmp_path):
    folder = three_files(tmp_path)
    out = tmp_path / "汇总.xlsx"
    patch = (
        "import time\nfrom pathlib import Path\nimport perfxl.validation as v\n"
        "real = v.read_workbook\n"
        "def slow(path, *args, **kwargs):\n"
        "    if Path(path).name == '炸弹.xlsx':\n"
        "        time.sleep(20)\n"
        "    return real(path, *args, **kwargs)\n"
        "v.read_workbook = slow\n"
    )
    run = perfxl_patched(patch, "consolidate", folder, "-o", out, "-q", "--timeout", "0.5")
    assert not run.killed and run.returncode == 1, run.stderr
    status, reason = file_rows(out)["炸弹.xlsx"][2:4]
    assert status == "已拒收" and "超时" in reason
    assert "FileTimeout" not in reason and "程序出错" not in reason
    # Tonight the file is quick: it must be read again, not served from the cache.
    run = run_child(
        [sys.executable, "-m", "perfxl.cli", "consolidate", str(folder), "-o", str(out), "-q"]
    )
    assert run.returncode in (0, 1), run.stderr
    assert file_rows(out)["炸弹.xlsx"][2] == "已处理"


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc")
def test_workers_die_with_a_killed_run(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(40):  # enough for two workers
        shutil.copyfile(SEEDS / "seed000.xlsx", folder / f"项目{n:02d}.xlsx")
    patch = (
        "import time\nimport perfxl.batch.worker as w\n"
        "def stuck(path, profile, **given):\n"
        "    time.sleep(120)\n"
        "w.check_file = stuck\n"
    )
    argv = [
        "perfxl",
        "consolidate",
        str(folder),
        "-o",
        str(tmp_path / "汇总.xlsx"),
        "-q",
        "-j",
        "2",
    ]
    code = f"{patch}\nimport sys\nfrom perfxl.cli import main\nsys.argv = {argv!r}\nmain()\n"
    parent = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        workers: list[int] = []
        for _ in range(200):  # up to 20 s for the pool to start
            workers = _children(parent.pid)
            if len(workers) >= 2:
                break
            time.sleep(0.1)
        assert workers, "the pool never started"
        time.sleep(0.5)
        workers = _children(parent.pid)
        parent.kill()
        parent.wait()
        for _ in range(100):  # a generous bound (10 s), no speed assertion
            if not any(_alive(w) for w in workers):
                break
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), "pool workers outlived their run"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(parent.pid, signal.SIGKILL)


def test_temporaries_of_a_dead_run_are_removed_by_the_next(tmp_path):
    folder = three_files(tmp_path)
    out = tmp_path / "汇总.xlsx"
    stale = [tmp_path / ".汇总.xlsx.99999.tmp", tmp_path / ".汇总.xlsx.4242.k2j3h4.tmp"]
    for path in stale:
        path.write_bytes(b"PK half a summary")
    keep = tmp_path / ".其他.xlsx.99999.tmp"  # another output's: not ours to remove
    keep.write_bytes(b"x")
    run = run_child(
        [sys.executable, "-m", "perfxl.cli", "consolidate", str(folder), "-o", str(out), "-q"]
    )
    assert run.returncode in (0, 1), run.stderr
    assert not any(p.exists() for p in stale) and keep.exists()


def test_private_copies_of_killed_workers_are_removed(tmp_path):
    from perfxl.batch.worker import _scratch_root

    root = Path(_scratch_root() or tempfile.gettempdir())
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a pid that no longer runs
    stale = root / f"perfxl-{dead.pid}-abc123"
    stale.mkdir()
    (stale / "某单位.xlsx").write_bytes(b"a copy of an input")
    folder = three_files(tmp_path)
    run = run_child(
        [
            sys.executable,
            "-m",
            "perfxl.cli",
            "consolidate",
            str(folder),
            "-o",
            str(tmp_path / "汇总.xlsx"),
            "-q",
        ]
    )
    assert run.returncode in (0, 1), run.stderr
    assert not stale.exists()
