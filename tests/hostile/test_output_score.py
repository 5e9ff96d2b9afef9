"""`perfxl score` over several files: one file that kills its reader, or a FIFO given by
name, costs that file only (issue 9 #1 for score; the reader's own soundness is H3's)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import pytest
from _child import run_child, run_perfxl

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX")


def three(tmp_path: Path) -> list[Path]:
    paths = []
    for name, seed in (("甲.xlsx", "seed000"), ("炸弹.xlsx", "seed002"), ("乙.xlsx", "seed003")):
        shutil.copyfile(SEEDS / f"{seed}.xlsx", tmp_path / name)
        paths.append(tmp_path / name)
    return paths


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="forked workers")
def test_score_survives_a_file_that_aborts_its_reader(tmp_path):
    paths = three(tmp_path)
    code = (
        "import os, sys\nfrom pathlib import Path\nimport perfxl.api as api\n"
        "real = api.check_file\n"
        "def check(path, profile):\n"
        "    if Path(path).name == '炸弹.xlsx':\n"
        "        os.abort()\n"
        "    return real(path, profile)\n"
        "api.check_file = check\n"
        "from perfxl.cli import main\n"
        f"sys.argv = ['perfxl', 'score', '--format', 'json', *{[str(p) for p in paths]!r}]\n"
        "main()\n"
    )
    run = run_child([sys.executable, "-c", code], timeout=60)
    assert not run.killed and run.returncode == 1, run.stderr
    import json

    files = {Path(f["path"]).name: f for f in json.loads(run.stdout)["files"]}
    assert set(files) == {"甲.xlsx", "炸弹.xlsx", "乙.xlsx"}
    assert files["甲.xlsx"]["tables"] and files["乙.xlsx"]["tables"]
    assert any(f["code"] == "PX004" for f in files["炸弹.xlsx"]["findings"])


def test_score_never_opens_a_fifo(tmp_path):
    fifo = tmp_path / "管道.xlsx"
    os.mkfifo(fifo)
    good = three(tmp_path)[0]
    run = run_perfxl("score", str(fifo), str(good), timeout=30)
    assert not run.killed and run.returncode == 1, run.stderr
    assert "命名管道" in run.stdout
