"""The nightly run's memory: per-file results in an SQLite file beside the summary.

Results are keyed by what decides them — the file's sha256, the profile (name and a
hash of its content) and the engine (perfxl version plus a hash of the code that reads,
scores and validates) — so a changed rule or profile re-checks everything while an
unchanged file is never read twice. A second table remembers each path's size, mtime
and hash, so a warm run does not even hash files whose stat is unchanged.

The cache is an optimisation and must never cost a run. Two kinds of failure differ:

- damage (sqlite3.DatabaseError proper: not a database, malformed, wrong schema, or
  another program's tables under our names): the file is moved aside and rebuilt;
- trouble (sqlite3.OperationalError: locked, read-only, disk full, I/O error, cannot
  open; or an OSError): the file may well be healthy, so it is left exactly as it is and
  this run goes on without the cache, with a warning.

A damaged row inside a healthy file is the caller's miss (worker.decode_payload).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

import perfxl
from perfxl.batch.names import display
from perfxl.batch.payload import payload_text
from perfxl.profiles import Profile

SCHEMA_VERSION = "1"
# Code whose change can change a file's result; front ends and the writer are left out.
_ENGINE_EXCLUDE = ("summary", "commands", "samples", "excel")


def cache_path(output: Path) -> Path:
    """县级汇总.xlsx → 县级汇总.perfxl-cache.sqlite in the same folder."""
    return output.with_name(f"{output.stem}.perfxl-cache.sqlite")


def profile_key(profile: Profile) -> str:
    """Name plus a hash of every setting (after `extends`), not of where the file lay.

    Asked once per file when files are grouped by profile, so the key of a profile
    object is remembered (profiles are frozen; the object is kept, so its id stays its
    own): repr of every setting costs about a tenth of a millisecond, a second for a
    county's files on a warm run that should take less in all."""
    known = _PROFILE_KEYS.get(id(profile))
    if known is not None and known[0] is profile:
        return known[1]
    settings = repr([getattr(profile, f.name) for f in fields(profile) if f.name != "source"])
    key = f"{profile.name}:{hashlib.sha256(settings.encode()).hexdigest()[:16]}"
    if len(_PROFILE_KEYS) >= 64:
        _PROFILE_KEYS.clear()
    _PROFILE_KEYS[id(profile)] = (profile, key)
    return key


_PROFILE_KEYS: dict[int, tuple[Profile, str]] = {}


def engine_key() -> str:
    """perfxl's version plus a hash of the reader, engine and rule sources.

    Rules are added between releases; keying on the version alone would serve results
    computed without them.
    """
    from perfxl.batch.payload import PAYLOAD_VERSION

    root = Path(perfxl.__file__).parent
    digest = hashlib.sha256(f"payload{PAYLOAD_VERSION}".encode())
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if rel.parts[0] in _ENGINE_EXCLUDE:
            continue
        digest.update(str(rel).encode())
        digest.update(path.read_bytes())
    for path in sorted(root.rglob("*.toml")):
        digest.update(path.read_bytes())
    return f"{perfxl.__version__}+{digest.hexdigest()[:12]}"


_COLUMNS = {
    "meta": ["key", "value"],
    "results": ["key", "profile", "engine", "payload"],
    "stats": ["path", "size", "mtime_ns", "sha256"],
}


def _check_shape(db: sqlite3.Connection) -> None:
    """Raise DatabaseError (damage: rebuild) for a file that is some other program's
    SQLite database, or whose pages are damaged.

    Without this, a foreign table of the same name fails every query with "no such
    column", an OperationalError, and the file would be skipped night after night
    instead of rebuilt. quick_check reads the whole file once: a few milliseconds for
    a county's cache."""
    for table, columns in _COLUMNS.items():
        found = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        if found != columns:
            raise sqlite3.DatabaseError(f"table {table} has columns {found}")
    verdict = db.execute("PRAGMA quick_check(1)").fetchone()
    if verdict is None or verdict[0] != "ok":
        raise sqlite3.DatabaseError(f"quick_check: {verdict}")


class ResultCache:
    """Results and stats for one output; every failure degrades to a miss."""

    def __init__(self, path: Path, profile: str, engine: str, warn: Callable[[str], None]):
        self.path, self.profile, self.engine, self.warn = path, profile, engine, warn
        self.enabled = True
        self._db: sqlite3.Connection | None = None
        self._open()

    # --- opening and repair -----------------------------------------------------------------

    def _open(self) -> None:
        self._drop_links()
        if not self.enabled:
            return
        try:
            self._db = self._connect()
        except sqlite3.OperationalError as exc:  # a subclass of DatabaseError, not damage
            self._unavailable(exc)
        except sqlite3.DatabaseError:
            self._rebuild()
        except OSError as exc:
            self._disable(f"缓存文件无法打开（{display(str(exc))}），本次不使用缓存")

    def _drop_links(self) -> None:
        """SQLite follows links: one planted at the cache's name (or its journal's) would
        have a database written into whatever it points to. Such links are removed — the
        targets untouched — before SQLite opens anything; the caller holds the output's
        lock, so no perfxl run is using them."""
        for name in (str(self.path), *(f"{self.path}{x}" for x in ("-journal", "-wal", "-shm"))):
            try:
                mode = os.lstat(name).st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                continue
            try:
                if stat.S_ISDIR(mode):
                    raise IsADirectoryError(name)
                os.unlink(name)
                self.warn(
                    f"缓存位置 {display(os.path.basename(name))} 是链接或特殊文件，已删除（其指向的文件未改动）"
                )
            except OSError as exc:
                self._disable(
                    f"缓存位置 {display(name)} 不是普通文件且无法删除（{display(str(exc))}），本次不使用缓存"
                )

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread off: a run stores from a thread (perfxl.batch.saving.Saving) while
        # the main thread waits for it; the connection is never used by two at once
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS results (
                    key TEXT NOT NULL, profile TEXT NOT NULL, engine TEXT NOT NULL,
                    payload TEXT NOT NULL, PRIMARY KEY (key, profile, engine)
                ) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS stats (
                    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
                    sha256 TEXT NOT NULL
                ) WITHOUT ROWID;
                """
            )
            _check_shape(db)
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            elif row[0] != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema {row[0]}")
        except BaseException:
            db.close()
            raise
        return db

    def _rebuild(self) -> None:
        """Move the damaged file aside (kept for inspection) and start an empty cache."""
        if self._db is not None:
            self._db.close()
            self._db = None
        aside = self.path.with_name(f"{self.path.name}.damaged-{time.strftime('%Y%m%d%H%M%S')}")
        try:
            if self.path.exists():
                os.replace(self.path, aside)
            for extra in ("-journal", "-wal", "-shm"):
                Path(f"{self.path}{extra}").unlink(missing_ok=True)
            self._db = self._connect()
            self.warn(
                f"缓存文件已损坏，已移至 {display(aside.name)} 并重新建立；本次将重新读取全部文件"
            )
        except (OSError, sqlite3.DatabaseError) as exc:
            self._disable(f"缓存文件已损坏且无法重建（{display(str(exc))}），本次不使用缓存")

    def _unavailable(self, exc: Exception) -> None:
        """Locked, read-only, disk full…: the file is not touched, this run goes without it."""
        if self._db is not None:
            self._db.close()
        self._disable(
            f"缓存文件 {display(self.path.name)} 暂时无法读写（{display(str(exc))}），"
            "本次不使用缓存、全部文件重新核对；缓存文件保持原样，问题排除后下次运行照常使用"
        )

    def _disable(self, message: str) -> None:
        self.enabled = False
        self._db = None
        self.warn(message)

    def _guard(self, action: Callable[[sqlite3.Connection], Any], default: Any) -> Any:
        """Run `action`; on damage rebuild once and report a miss, on anything else give up
        for this run (the file is left as it is)."""
        if not self.enabled or self._db is None:
            return default
        try:
            return action(self._db)
        except sqlite3.OperationalError as exc:
            self._unavailable(exc)
            return default
        except sqlite3.DatabaseError:
            self._rebuild()
            return default
        except (OSError, sqlite3.Error) as exc:
            self._disable(f"缓存读写失败（{display(str(exc))}），本次不使用缓存")
            return default

    # --- reads ----------------------------------------------------------------------------------

    def stats(self) -> dict[str, tuple[int, int, str]]:
        def read(db):
            rows = db.execute("SELECT path, size, mtime_ns, sha256 FROM stats")
            return {path: (size, mtime, sha) for path, size, mtime, sha in rows}

        return self._guard(read, {})

    def results(self) -> dict[str, str]:
        """Result key (sha256 + extension) → payload JSON for this profile and engine,
        decoded only when used."""

        def read(db):
            rows = db.execute(
                "SELECT key, payload FROM results WHERE profile = ? AND engine = ?",
                (self.profile, self.engine),
            )
            return dict(rows.fetchall())

        return self._guard(read, {})

    def meta(self, key: str) -> str | None:
        def read(db):
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            return row[0] if row else None

        return self._guard(read, None)

    # --- writes ---------------------------------------------------------------------------------

    def store(
        self,
        new_results: Iterable[tuple[str, dict[str, Any] | str]],
        stats: Iterable[tuple[str, int, int, str]],
        keep: set[str],
        commit: Callable[[], bool] | None = None,
    ) -> None:
        """One transaction: add new results, replace the stats, drop what no run can use.

        Results of older engines go, and so do this profile's results for content no
        longer submitted; other profiles' results are left for their own runs. A result
        may come as its JSON text already (encoded by the worker, see payload_text).

        `commit`, when given, is asked just before COMMIT (a run storing in a thread
        while its summary is written waits there for the summary); False rolls back.

        Rows go in through json_each, hundreds per statement: SQLite then does the
        work in one call, during which Python's lock is released (a thread storing
        while the summary is written is not held up row by row: each row of
        executemany waited for the lock), and no Python tuple is bound per row.
        """
        rows = [
            (key, payload if isinstance(payload, str) else payload_text(payload))
            for key, payload in new_results
        ]
        stats = list(stats)

        def write(db):
            db.execute("BEGIN IMMEDIATE")
            try:
                _write(db, self.profile, self.engine, rows, keep, stats)
                if commit is not None and not commit():
                    db.execute("ROLLBACK")
                    return
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

        self._guard(write, None)

    def set_meta(self, key: str, value: str) -> None:
        self._guard(
            lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value)), None
        )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


_BATCH = 500  # rows per statement: a few MB of JSON at a time, not the county's 20 MB


def _write(db, profile: str, engine: str, rows: list, keep: set[str], stats: list) -> None:
    """The rows of one store, inside its transaction (see ResultCache.store)."""
    head = (profile, engine)
    json1 = _has_json(db)
    for part in _batches(rows):
        if json1:  # {key: payload}: json_each gives both columns as they are
            # the replaced rows are deleted by a statement of their own: the pages they
            # free are then reused (one INSERT OR REPLACE left them free: twice the file)
            given = _array(dict(part))
            db.execute("DELETE FROM results WHERE profile = ? AND engine = ? AND key IN "
                       "(SELECT key FROM json_each(?))", (*head, given))  # fmt: skip
            db.execute("INSERT INTO results SELECT key, ?, ?, value FROM json_each(?)",
                       (*head, given))  # fmt: skip
        else:
            db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)",
                           [(key, *head, text) for key, text in part])  # fmt: skip
    db.execute("DELETE FROM results WHERE engine <> ?", (engine,))
    db.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
    db.execute("DELETE FROM keep")
    for part in _batches(list(keep), 20 * _BATCH):
        if json1:
            db.execute("INSERT OR IGNORE INTO keep SELECT value FROM json_each(?)",
                       (_array(part),))  # fmt: skip
        else:
            db.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((k,) for k in part))
    db.execute(
        "DELETE FROM results WHERE profile = ? AND key NOT IN (SELECT key FROM keep)", (profile,)
    )
    db.execute("DELETE FROM stats")
    items = ", ".join(f"json_extract(value, '$[{n}]')" for n in range(3))
    for part in _batches(stats, 20 * _BATCH):
        if json1:  # {path: [size, mtime_ns, sha256]}
            table = {path: rest for path, *rest in part}
            db.execute(f"INSERT OR REPLACE INTO stats SELECT key, {items} FROM json_each(?)",
                       (_array(table),))  # fmt: skip
        else:
            db.executemany("INSERT OR REPLACE INTO stats VALUES (?, ?, ?, ?)", part)


def _batches(items: list, size: int = _BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _has_json(db: sqlite3.Connection) -> bool:
    global _JSON
    if _JSON is None:
        try:
            db.execute("SELECT count(*) FROM json_each('[1]')").fetchone()
            _JSON = True
        except sqlite3.OperationalError:  # an SQLite built without JSON1
            _JSON = False
    return _JSON


_JSON: bool | None = None


_array = payload_text  # any JSON value: the same guard against a lone surrogate
