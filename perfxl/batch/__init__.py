"""Nightly consolidation: many unit workbooks → one county summary, loss-free and incremental.

`consolidate(inputs, output, profile)` is the whole API; the command line, the demo
and the benchmark call it. The pieces: discovery (perfxl.discovery), per-file work in
worker processes (worker, pool), the result cache (cache), the output lock (lock), the
file ledger that decides rejections and duplicates (ledger), and the summary workbook
(perfxl.summary).
"""

from perfxl.batch.ledger import Consolidation, FileEntry, Problem, ProjectEntry
from perfxl.batch.lock import LockHeld
from perfxl.batch.progress import Reporter
from perfxl.batch.run import NoInput, OutputRefused, consolidate

__all__ = [
    "Consolidation",
    "FileEntry",
    "LockHeld",
    "NoInput",
    "OutputRefused",
    "Problem",
    "ProjectEntry",
    "Reporter",
    "consolidate",
]
