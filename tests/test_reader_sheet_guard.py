"""One reader failing on a sheet costs only its own kind of table, never the sheet's other.

A sheet is read twice, for 自评表 and for 监控表. If one reader meets a layout nobody
foresaw and raises, the file gets a PX003 naming the sheet and the other reader's tables
are still scored: a crash in the new monitoring reader must not drop seed 003's 95.73.
"""

from __future__ import annotations

from pathlib import Path

import perfxl.reader as reader
from perfxl.reader import read_workbook

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = EXAMPLES / "seeds" / "seed003.xlsx"


def _boom(grid):
    raise RuntimeError("unforeseen layout")


def test_monitoring_reader_crash_keeps_the_self_evaluation(monkeypatch):
    monkeypatch.setattr(reader, "read_monitoring", _boom)
    read = read_workbook(SEED)
    assert len(read.tables) == 1  # seed 003 holds one 自评表
    assert [f.code for f in read.findings] == ["PX003"]
    assert "RuntimeError" in read.findings[0].message


def test_self_evaluation_reader_crash_keeps_the_monitoring_table(monkeypatch):
    book = sorted((EXAMPLES / "county" / "监控").rglob("*.xlsx"))[0]
    assert read_workbook(book).monitoring  # the example May round is a 监控表
    monkeypatch.setattr(reader, "read_tables", _boom)
    read = read_workbook(book)
    assert read.monitoring and not read.tables
    assert {f.code for f in read.findings} == {"PX003"}
