"""The cache's update made in a thread while the main thread builds the ledger and
writes the summary (perfxl.batch.run)."""

from __future__ import annotations

import threading

from perfxl.batch.names import storable
from perfxl.batch.worker import result_key


class Saving:
    """The cache's update, made in a thread while the ledger and summary are made.

    All of it comes after the workers, when one core idles: SQLite releases Python's
    lock while it works (perfxl.batch.cache inserts hundreds of rows per statement), so
    the rows go in on that core. The transaction waits before its COMMIT until the summary
    is written, and rolls back when it was not (as when the cache was updated after
    the summary): the cache and the output still belong to the same run.
    """

    def __init__(self, caches, records) -> None:
        self._caches, self._records = caches, records
        self._decided = threading.Event()
        self._commit = False
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="perfxl-cache", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            for cache, indices, new_results in self._caches:
                mine = [self._records[n] for n in indices]
                store_all(cache, self._records, new_results, mine, self._wait)
        except BaseException as exc:  # raised again in the run's own thread (finish)
            self._failed = exc

    def _wait(self) -> bool:
        self._decided.wait()
        return self._commit

    def finish(self, commit: bool) -> None:
        """Let the transaction commit (or roll back) and wait for it; once only."""
        if self._decided.is_set():
            return
        self._commit = commit
        self._decided.set()
        self._thread.join()
        if self._failed is not None:
            raise self._failed


def store_all(cache, records, new_results, mine=None, commit=None) -> None:
    """Store the results of one profile's files (`mine`, default all) and every stat."""
    stats = [
        (storable(r["path"]), r["size"], r["mtime_ns"], r["sha256"])
        for r in records
        if r["sha256"] and r["mtime_ns"] >= 0
    ]
    keep = {
        result_key(r["sha256"], r["path"])
        for r in (records if mine is None else mine)
        if r["sha256"]
    }
    cache.store(new_results.items(), stats, keep, commit)
