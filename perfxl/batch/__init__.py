"""Nightly consolidation: many unit workbooks → one county summary, loss-free and incremental.

`consolidate(inputs, output, profile)` is the whole API; the command line, the demo
and the benchmark call it. The pieces: discovery (perfxl.discovery), per-file work in
worker processes (worker, pool), the result cache (cache), the output lock (lock), the
file ledger that decides rejections and duplicates (ledger), writing outputs safely
(atomic) and the summary workbook (perfxl.summary).

Names are loaded on first use, so the command line can read a constant of the ledger
without importing the reader and the engine.
"""

from importlib import import_module

_HOMES = {
    "Consolidation": "perfxl.batch.ledger",
    "FileEntry": "perfxl.batch.ledger",
    "Problem": "perfxl.batch.ledger",
    "ProjectEntry": "perfxl.batch.ledger",
    "LockHeld": "perfxl.batch.lock",
    "Reporter": "perfxl.batch.progress",
    "NoInput": "perfxl.batch.run",
    "OutputRefused": "perfxl.batch.run",
    "consolidate": "perfxl.batch.run",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
