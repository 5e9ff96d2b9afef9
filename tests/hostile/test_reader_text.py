"""Long cell texts against the reader's own parsers (issue 9 #4), in a child process.

A level-1 cell of 32,767 digits (Excel's longest text) took `split_points` 30 s: its
regex tried every split of the digits. The kill timeout is generous; the parsers
must finish in milliseconds, and this only fails when they are quadratic again.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from _child import run_perfxl, run_python

LONGEST = 32_767  # the most characters Excel keeps in a cell


def test_split_points_is_linear_in_the_text() -> None:
    code = f"""
from perfxl.reader.labels import split_points
n = {LONGEST}
assert split_points("1" * n) == ("1" * n, None)
assert split_points("产出" + "1" * (n - 3) + "分") == ("产出", "1" * (n - 3))
assert split_points("产出(" + "1" * (n - 5) + ".5分)")[0] == "产出"
assert split_points("(" * n + "5分)") == ("", "5")  # the name is all marks
print("ok")
"""
    run = run_python(code, timeout=20)
    assert not run.killed
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "ok"


def test_a_table_with_longest_label_cells_is_read(tmp_path: Path) -> None:
    """Level-1, level-2 and header-block cells of 32,767 characters, scored in a child."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["项目名称：" + "名" * (LONGEST - 5)])
    ws.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    ws.append(["1" * LONGEST, "(" * LONGEST, "人数", "≥10人", "10人", 100, 100])
    ws.append(["产出" + "9" * (LONGEST - 3) + "分", "2" * LONGEST, "次数", "≥1次", "1次", 0, 0])
    ws.append(["总分", None, None, None, None, 100, 100])
    path = tmp_path / "long.xlsx"
    wb.save(path)
    run = run_perfxl("score", str(path), "--format", "json", timeout=60)
    assert not run.killed
    assert run.returncode in (0, 1), run.stderr[-2000:]
    (table,) = json.loads(run.stdout)["files"][0]["tables"]
    assert table["indicators"][0]["name"] == "人数"
