"""A flood of findings stays a readable, bounded summary with true counts (issue 9, weak
item: 75 files with ~14,700 findings each gave a 问题清单 of 1.1 million rows, 51 s and
1.16 GB)."""

from __future__ import annotations

import multiprocessing
import shutil
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from _child import run_child

import perfxl.summary.sheets as sheets
from perfxl.batch.ledger import Consolidation, Problem, build_ledger
from perfxl.profiles import load_profile
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.summary import write_summary

FILES, EXTRA = 75, 14_700


@pytest.mark.skipif(
    sys.platform == "win32" or multiprocessing.get_start_method() != "fork",
    reason="the flood is injected into forked workers",
)
def test_75_files_with_14700_findings_each(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    source = tmp_path / "源.xlsx"
    write_workbook([SEEDS["000"]], source)
    for n in range(FILES):  # 75 different files: the same workbook, each with its own zip comment
        target = folder / f"项目{n:02d}.xlsx"
        shutil.copyfile(source, target)
        with zipfile.ZipFile(target, "a") as archive:
            archive.comment = f"{n}".encode()
    out = tmp_path / "汇总.xlsx"
    patch = (
        "import perfxl.batch.worker as w\n"
        "from perfxl.findings import Finding, Severity\n"
        "real = w.check_file\n"
        f"FLOOD = [Finding('PX018', Severity.WARNING, f'第 {{n}} 个问题', where=f'表!A{{n}}') for n in range({EXTRA})]\n"
        "def flood(path, profile, **given):\n"
        "    check = real(path, profile, **given)\n"
        "    check.findings += FLOOD\n"
        "    return check\n"
        "w.check_file = flood\n"
    )
    argv = ["perfxl", "consolidate", str(folder), "-o", str(out), "-q"]
    code = f"{patch}\nimport sys\nfrom perfxl.cli import main\nsys.argv = {argv!r}\nmain()\n"
    run = run_child([sys.executable, "-c", code], timeout=120)
    assert not run.killed
    assert run.returncode in (0, 1), run.stderr
    assert run.peak_rss_mb < 400, run.peak_rss_mb  # 2,183 MB and 77 s before the cap
    # The count printed is the true count: every injected warning is counted.
    warnings = int(run.stdout.split("警告 ")[1].split(" 项")[0])
    assert warnings >= FILES * EXTRA
    book = openpyxl.load_workbook(out, read_only=True)
    problems = book["问题清单"].max_row - 1
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(min_row=4, values_only=True)}
    book.close()
    assert problems <= FILES * (200 + 1)  # 200 listed per file by default, plus one note
    assert notes["警告数"] == warnings


def test_a_file_lists_max_findings_and_counts_the_rest():
    profile = load_profile("xj-prop")
    result = Consolidation(profile=profile, inputs=["in"], max_findings=3)
    findings = [["warning", "PX018", f"表!A{n}", f"问题 {n}"] for n in range(10)]
    payload = {
        "tables": [],
        "findings": findings,
        "rejected": True,
        "reason": "x",
        "omitted": [2, 5, 0],
    }
    build_ledger(result, [("a.xlsx", {"size": 1, "sha256": "", "payload": payload})])
    listed = [p for p in result.problems if p.code]
    assert len(listed) == 3
    note = [p for p in result.problems if not p.code]
    assert (
        len(note) == 1 and "另有 14 条" in note[0].message
    )  # 7 beyond the 3, 7 omitted by the worker
    assert result.warning_count == 10 + 5  # every warning, listed or not
    assert result.error_count == 2
    assert result.files[0].warnings == 15 and result.files[0].errors == 2


def test_lists_longer_than_a_sheet_continue_on_more_sheets(tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "MAX_ROWS", 101)  # 100 rows a sheet instead of 1,048,575
    profile = load_profile("xj-prop")
    result = Consolidation(profile=profile, inputs=["in"], schedule=Decimal(1))
    result.problems = [
        Problem("warning", "PX018", f"文件{n}.xlsx", "", "", "A1", f"问题 {n}") for n in range(250)
    ]
    out = write_summary(result, tmp_path / "汇总.xlsx")
    book = openpyxl.load_workbook(out, read_only=True)
    parts = ["问题清单", "问题清单（2）", "问题清单（3）"]
    assert [name for name in book.sheetnames if name.startswith("问题清单")] == parts
    rows = [row for name in parts for row in book[name].iter_rows(min_row=2, values_only=True)]
    book.close()
    assert [row[0] for row in rows] == list(range(1, 251))
    assert Path(out).stat().st_size > 0
