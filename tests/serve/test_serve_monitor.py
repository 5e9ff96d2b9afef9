"""/api/check-sheet on a 监控表, the tables' "kind", and the 413 message's limit.

The monitoring workbook is the MoF annex layout of tests/monitoring/workbooks.py; where
its cells sit and the figures are worked out in tests/monitoring/test_monitor_marks.py:
87.57 / 220 = 0.39804 -> 执行率 0.398; 序时进度 6/12 = 0.5; v = 0.3980 / 0.5 = 0.796
< 0.8 -> 黄; 培训人数 10人 of ≥100人 by June: 10 / 50 = 0.2 < 0.6 -> 红, so the project
light is 红 (the worst); PX115 warnings on M6 (funds 原因说明) and N11 (the row's).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from _serve import COUNTY, SEEDS, client, upload
from click.testing import CliRunner
from monitoring import workbooks as wb

from perfxl.cli import main

MB = 1024 * 1024
ORANGE = "#FFC000"


def _value2(path: Path, sheet: str | None = None) -> tuple[str, list[list]]:
    """A sheet's used range as WPS's Range.Value2 gives it: null for empty."""
    book = openpyxl.load_workbook(path, data_only=True)
    ws = book[sheet] if sheet else book.worksheets[0]
    return ws.title, [list(row) for row in ws.iter_rows(values_only=True)]


def _red_row(path: Path) -> Path:
    row = wb.indicator(
        "产出指标", "数量指标", "培训人数", "≥100人", "10人", "100人", causes=("经费保障",)
    )
    return wb.mof_annex(path, rows=[row])


def test_check_sheet_finds_a_monitoring_table_and_marks_its_findings(tmp_path) -> None:
    sheet, cells = _value2(_red_row(tmp_path / "监控.xlsx"))
    answer = (
        client()
        .post("/api/check-sheet", json={"sheet": sheet, "top_left": "A1", "cells": cells})
        .json()
    )
    assert [(f["code"], f["cell"]) for f in answer["findings"]] == [
        ("PX115", "监控表!M6"),
        ("PX115", "监控表!N11"),
    ]
    assert [(m["cell"], m["color"], m["severity"]) for m in answer["marks"]] == [
        ("M6", ORANGE, "warning"),
        ("N11", ORANGE, "warning"),
    ]
    assert "黄灯" in answer["marks"][0]["note"] and "红灯" in answer["marks"][1]["note"]
    assert answer["marks"][1]["note"].startswith("perfxl 校验：")
    assert answer["tables"] == [
        {
            "sheet": "监控表",
            "kind": "monitoring",
            "project": "示范项目",
            "month": 6,
            "time_progress": 0.5,
            "execution_rate": 0.398,
            "execution_light": "黄",
            "light": "红",
        }
    ]


def test_check_sheet_moves_monitoring_marks_with_the_top_left(tmp_path) -> None:
    """Posted at D3 instead of A1: every cell 2 rows down, 3 columns right (M6 -> P8)."""
    sheet, cells = _value2(_red_row(tmp_path / "监控.xlsx"))
    answer = (
        client()
        .post("/api/check-sheet", json={"sheet": sheet, "top_left": "D3", "cells": cells})
        .json()
    )
    assert [m["cell"] for m in answer["marks"]] == ["P8", "Q13"]
    assert answer["tables"][0]["execution_light"] == "黄"


def test_check_sheet_on_a_county_monitoring_sheet_matches_the_command_line() -> None:
    """The example county's 司法局 May round: the sheet's findings and figures are the
    ones `perfxl score --format json` gives its 监控表 (its one PX115 at P13)."""
    (path,) = (COUNTY / "监控" / "示例县司法局").glob("*.xlsx")
    sheet, cells = _value2(path, "法律援助经费")
    answer = client().post("/api/check-sheet", json={"sheet": sheet, "cells": cells}).json()
    out = CliRunner().invoke(main, ["score", "--format", "json", str(path)]).output
    (table,) = [t for t in json.loads(out)["files"][0]["tables"] if t["sheet"] == sheet]
    assert table["kind"] == "monitoring"
    without_file = [{k: v for k, v in f.items() if k != "file"} for f in table["findings"]]
    assert answer["findings"] == without_file
    assert [f["cell"] for f in answer["findings"]] == ["法律援助经费!P13"]
    (figures,) = answer["tables"]
    assert figures == {key: table[key] for key in figures}
    assert set(figures) >= {"month", "time_progress", "execution_rate", "execution_light", "light"}


def test_self_tables_say_their_kind() -> None:
    sheet, cells = _value2(SEEDS / "seed003.xlsx")
    answer = (
        client()
        .post("/api/check-sheet", json={"sheet": sheet, "cells": cells, "profile": "xj-60"})
        .json()
    )
    (figures,) = answer["tables"]
    # seed 003 under xj-60: 95.73 优 (tests/test_golden.py)
    assert figures["kind"] == "self" and (figures["total"], figures["grade"]) == (95.73, "优")


def test_a_sheet_with_neither_table_names_both() -> None:
    answer = client().post("/api/check-sheet", json={"sheet": "封面", "cells": [["说明"]]}).json()
    (found,) = answer["findings"]
    assert (
        found["code"] == "PX002" and "自评表" in found["message"] and "监控表" in found["message"]
    )


def test_the_413_message_shows_the_limit_as_typed() -> None:
    # `perfxl serve --max-upload 0.05` keeps int(0.05 × 2**20) = int(52428.8) = 52428 bytes,
    # which is 0.04999924 MB: the message must still say 0.05
    api = client(max_upload=int(0.05 * MB))
    response = api.post("/api/validate", files={"file": ("大.xlsx", b"x" * (200 * 1024))})
    assert response.status_code == 413
    assert "上限为 0.05 MB" in response.json()["error"]
    default = client().post(
        "/api/validate",
        files=upload(SEEDS / "seed003.xlsx"),
        headers={"content-length": str(30 * MB)},
    )
    assert default.status_code == 413 and "上限为 20 MB" in default.json()["error"]
