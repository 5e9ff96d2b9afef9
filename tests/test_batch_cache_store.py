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
