"""ResultCache.store: the json_each path and the row-by-row path (an SQLite without
JSON1) leave the same rows; a store asked not to commit leaves the file as it was."""

from __future__ import annotations

import json
import sqlite3

import pytest

from perfxl.batch import cache as cache_module
from perfxl.batch.cache import ResultCache

PAYLOAD = {"tables": [], "findings": [["error", "PX001", "", "引号\"与\\反斜杠"]],
           "rejected": True, "reason": "原因"}  # fmt: skip


def _rows(path):
    db = sqlite3.connect(path)
    try:
        return (
            sorted(db.execute("SELECT * FROM results")),
            sorted(db.execute("SELECT path, size, mtime_ns, sha256, typeof(size) FROM stats")),
        )
    finally:
        db.close()


def _run(path, json1: bool, monkeypatch, commit=None):
    monkeypatch.setattr(cache_module, "_JSON", json1)
    warnings: list[str] = []
    cache = ResultCache(path, "p:1", "e:1", warnings.append)
    # an old row of the same key (replaced), one of content no longer sent (dropped)
    cache.store([("aaa.xlsx", {"old": True}), ("zzz.xlsx", PAYLOAD)], [], {"aaa.xlsx", "zzz.xlsx"})
    cache.store(
        [("aaa.xlsx", json.dumps(PAYLOAD, ensure_ascii=False)), ("bbb.xlsm", PAYLOAD)],
        [("单位/表一.xlsx", 10, 1_733_000_000_123_456_789, "aaa"), ("b.xlsm", 5, 7, "bbb")],
        {"aaa.xlsx", "bbb.xlsm"},
        commit,
    )
    cache.close()
    assert warnings == []
    return _rows(path)


def test_json_each_and_row_by_row_store_the_same(tmp_path, monkeypatch):
    fast = _run(tmp_path / "a.sqlite", True, monkeypatch)
    slow = _run(tmp_path / "b.sqlite", False, monkeypatch)
    assert fast == slow
    results, stats = fast
    assert [(k, json.loads(p)) for k, _, _, p in results] == [
        ("aaa.xlsx", PAYLOAD),
        ("bbb.xlsm", PAYLOAD),
    ]
    assert stats == [
        ("b.xlsm", 5, 7, "bbb", "integer"),
        ("单位/表一.xlsx", 10, 1_733_000_000_123_456_789, "aaa", "integer"),
    ]


@pytest.mark.parametrize("json1", [True, False])
def test_a_store_told_not_to_commit_changes_nothing(tmp_path, monkeypatch, json1):
    results, stats = _run(tmp_path / "c.sqlite", json1, monkeypatch, commit=lambda: False)
    assert [(k, json.loads(p)) for k, _, _, p in results] == [
        ("aaa.xlsx", {"old": True}),
        ("zzz.xlsx", PAYLOAD),
    ]
    assert stats == []


def test_cached_table_shapes_checked():
    """valid_payload's table checks: every key, each of its type, every figure a finite
    number (plain text, or anything Decimal reads as finite)."""
    from perfxl.batch.payload import TABLE_FIELDS, valid_payload

    table = {f.key: "1.5" if f.number else "文本" for f in TABLE_FIELDS}
    table |= {"errors": 0, "warnings": 2, "findings": [["warning", "PX010", "表!A1", "说明"]]}
    payload = {"tables": [table], "findings": [], "rejected": False, "reason": ""}
    assert valid_payload(payload)
    number = next(f.key for f in TABLE_FIELDS if f.number)
    text = next(f.key for f in TABLE_FIELDS if not f.number and not f.optional)
    assert valid_payload(payload | {"tables": [table | {number: "1E+2"}]})  # finite, not plain
    assert valid_payload(payload | {"omitted": [1, 0, 3]})
    for bad in (
        {number: "NaN"},
        {number: "-"},
        {number: 1.5},
        {text: None},
        {"errors": "0"},
        {"findings": [["warning", "PX010", "表!A1"]]},
        {"omitted": [1, True, 0]},
    ):
        assert not valid_payload(payload | {"tables": [table | bad]}), bad
    missing = dict(table)
    del missing[number]
    assert not valid_payload(payload | {"tables": [missing]})
    assert not valid_payload(payload | {"omitted": [0, 0, -1]})
    assert not valid_payload(payload | {"tables": [table, "表"]})
