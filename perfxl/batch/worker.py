"""What a pool process does with one file: hash it, check it, boil the result down.

Workers return small JSON-ready dicts (perfxl.batch.payload), never rows or engine objects: pickling a
workbook's cells back to the parent would cost more than reading it. The dict of a file
depends on its content only (no path inside), so the parent can cache it by hash and
reuse it for any file with the same bytes.

Nothing here may raise: a file that makes the reader, the engine or a rule fail, or that
takes longer than the per-file limit, comes back as a rejected entry with the reason.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from perfxl.batch.names import storable
from perfxl.batch.payload import (  # noqa: F401  (re-exported: the pool and tests use them)
    PAYLOAD_VERSION,
    decode_payload,
    file_payload,
    payload_text,
    rejected_payload,
)
from perfxl.discovery import file_kind, os_reason
from perfxl.profiles import Profile

if TYPE_CHECKING:
    from perfxl.validation import FileCheck

PROCESSING_FAILED = "PX903"  # timeout, out of memory, or a bug met while checking a file
_READ_BLOCK = 1 << 20
MAX_BYTES = 64 * 1024 * 1024  # as the reader's limit: far above any real workbook
_SCRATCH = "/dev/shm"  # where earlier versions put private copies (see remove_stale_scratch)

_profile: Profile | None = None
_known: frozenset[str] = frozenset()
_timeout: float = 0.0
_beats: Any = None  # shared array: when each worker started its current file (0 = idle)
_slot: int = -1


class FileTimeout(BaseException):
    """Raised inside a worker when one file takes longer than the per-file limit.

    A BaseException, so no `except Exception` safety net of the reader or the rules can
    turn a timeout into a finding (which would be cached as the file's result)."""


def configure(profile: Profile, known: frozenset[str], timeout: float) -> None:
    """Set what every file of this process is checked with (in-process runs call this)."""
    global _profile, _known, _timeout
    _profile, _known, _timeout = profile, known, timeout


def init_worker(
    profile: Profile,
    known: frozenset[str],
    timeout: float,
    beats: Any = None,
    slots: Any = None,
    parent: int = 0,
) -> None:
    """Pool initializer: state shared by every file a process will see.

    `known` holds the result keys the cache already has, so a file whose stat changed
    but whose bytes did not (a copy, a `touch`) is hashed and not re-read. `beats` and
    `slots` let the parent see how long each worker has been on its current file.
    """
    global _beats, _slot, _alarm_owned
    configure(profile, known, timeout)
    if beats is not None and slots is not None:
        with slots.get_lock():
            _slot, slots.value = slots.value, slots.value + 1
        _beats = beats if 0 <= _slot < len(beats) else None
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "SIGALRM"):  # the per-file limit's handler, once (see deadline)
        signal.signal(signal.SIGALRM, _expire)
        _alarm_owned = True
    if parent:
        die_with_parent(parent)
    # what is loaded by now (modules, the profile, the label tables) lives as long as the
    # worker: the collector's full passes, every few hundred files, need not walk it
    gc.freeze()


def die_with_parent(parent: int) -> None:
    """End this worker when the run that started it ends, however it ends (`kill -9`
    included): the kernel's parent-death signal on Linux, and everywhere a thread that
    notices the parent is gone (a worker stuck in native code is ended by os._exit from
    that thread)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # died before the signal was asked for
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="perfxl-parent-watch", daemon=True).start()


def process_chunk(items: list[tuple[str, int, int]]) -> list[dict[str, Any]]:
    """(path, size, mtime_ns) → one record per file, in the same order."""
    assert _profile is not None, "init_worker was not called"
    records = []
    for path, size, mtime in items:
        if _beats is not None:
            _beats[_slot] = time.time()
        records.append(process_file(path, size, mtime, _profile, _known, _timeout))
    if _beats is not None:
        _beats[_slot] = 0.0
    return records


def process_file(
    path: str, size: int, mtime_ns: int, profile: Profile, known: frozenset[str], timeout: float
) -> dict[str, Any]:
    """Read the file's bytes once, hash those bytes and check those bytes.

    A file that changes while it is read (an upload still running, a clerk saving) can
    thus never be cached under one content's hash with another content's result: the
    bytes are read through one handle, their stat taken before and after, and a file
    whose stat moved meanwhile is rejected for this run only. The stat recorded is the
    one taken before reading, so any later change is seen by the next run.
    """
    record: dict[str, Any] = {"path": path, "size": size, "mtime_ns": mtime_ns, "sha256": ""}
    try:
        snapshot = read_once(path)
    except NotRegular as exc:
        record["payload"] = rejected_payload(f"这不是普通文件（{exc}），未读取", transient=True)
        return record
    except OSError as exc:
        record["payload"] = rejected_payload(f"文件无法读取：{os_reason(exc)}", transient=True)
        return record
    record["sha256"], record["size"], record["mtime_ns"] = (
        snapshot.sha256, snapshot.size, snapshot.mtime_ns,
    )  # fmt: skip
    if snapshot.moved:
        record["sha256"] = ""
        reason = "文件在读取过程中被修改（可能正在上传或保存），本次未计入，下次运行时重新核对"
        record["payload"] = rejected_payload(reason, transient=True)
        return record
    if snapshot.data is None:
        reason = f"文件过大（{snapshot.size // (1024 * 1024)} MB），不予读取"
        record["payload"] = rejected_payload(reason)
        return record
    if known and result_key(record["sha256"], path) in known:  # a cold run knows none
        record["cached"] = True
        return record
    try:
        check = check_bytes(path, snapshot.data, profile, timeout)
        record["payload"] = file_payload(check)
        record["text"] = payload_text(record["payload"])  # the cache's JSON, made here in parallel
    except FileTimeout:
        reason = f"处理超时（超过 {timeout:g} 秒），文件可能异常，请检查后重新提交"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED, transient=True)
    except MemoryError:
        reason = "文件内容过大，处理时内存不足，不予读取"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED, transient=True)
    except Exception as exc:  # a bug in a rule must cost one file, not the night's run
        detail = f"{type(exc).__name__}: {exc}"[:200]
        reason = f"处理该文件时程序出错（{detail}），请联系管理员"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED)
    return record


class NotRegular(OSError):
    """The path names a FIFO, a device or a folder; str() is its kind in Chinese."""


@dataclass
class Snapshot:
    sha256: str
    size: int
    mtime_ns: int
    data: bytes | None  # None when larger than MAX_BYTES (hashed, not kept)
    moved: bool  # size or mtime changed while reading


def read_once(path: str) -> Snapshot:
    """The file's bytes through one handle that never blocks (a FIFO opened for reading
    would wait for a writer) and only on a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode):
            raise NotRegular(file_kind(before.st_mode))
        digest = hashlib.sha256()
        blocks: list[bytes] | None = []
        size = 0
        while block := os.read(fd, _READ_BLOCK):
            digest.update(block)
            size += len(block)
            if blocks is not None:
                blocks.append(block)
                if size > MAX_BYTES:
                    blocks = None  # keep hashing, stop keeping
        after = os.fstat(fd)
    finally:
        os.close(fd)
    moved = (before.st_size, before.st_mtime_ns) != (after.st_size, after.st_mtime_ns)
    moved = moved or size != before.st_size
    data = None if blocks is None else b"".join(blocks)
    return Snapshot(digest.hexdigest(), size, before.st_mtime_ns, data, moved)


def check_bytes(path: str, data: bytes, profile: Profile, timeout: float = 0.0) -> FileCheck:
    """check_file on exactly `data`, within `timeout` seconds, read from memory: no copy
    is written anywhere (a copy on a RAM disk cost more than a tenth of the worker's time
    outside check_file, and a full disk could refuse it). `path` only names the file, so
    every finding (file, table, row) names the file the clerk sent."""
    check = globals().get("check_file")  # set when a test stands in for it
    if check is None:
        from perfxl.validation import check_file as check  # loaded before the pool forks

    with deadline(timeout):
        return check(path, profile, data=data)


def __getattr__(name: str) -> Any:
    """check_file, loaded on first use: the parent of a run with nothing to check (a
    warm run) never loads the reader and engine (see pool._pool)."""
    if name == "check_file":
        from perfxl.validation import check_file

        return check_file
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _scratch_root() -> str | None:
    return _SCRATCH if os.path.isdir(_SCRATCH) else None


def _scratch_prefix(pid: int | None = None) -> str:
    return f"perfxl-{os.getpid() if pid is None else pid}-"


def remove_stale_scratch() -> int:
    """Remove the private copies that workers of earlier versions (which checked a copy
    on disk) left when killed in the middle of a file (their folder names carry their
    pid); links are never followed."""
    root = _scratch_root() or tempfile.gettempdir()
    removed = 0
    try:
        entries = list(os.scandir(root))
    except OSError:
        return 0
    for entry in entries:
        parts = entry.name.split("-")
        if len(parts) < 3 or parts[0] != "perfxl" or not parts[1].isdigit():
            continue
        if _alive(int(parts[1])) or not entry.is_dir(follow_symlinks=False):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # someone else's process: alive
    return True


def result_key(sha256: str, path: str) -> str:
    """What a file's result depends on: its bytes and its extension (an .xls is refused
    for its name before its content is looked at). Always storable in SQLite."""
    return f"{sha256}{storable(os.path.splitext(path)[1].lower())}"


def _expire(signum, frame):
    raise FileTimeout


_KEEP = object()  # deadline found its handler in place: nothing to restore
_alarm_owned = False  # a pool worker's SIGALRM handler is _expire for good (init_worker)


class deadline:
    """Interrupt the body after `seconds` (POSIX main thread only; elsewhere no limit).

    The parent also watches the pool, so a file stuck where no signal can reach it
    (inside native code) still ends, with its worker killed. A class rather than a
    generator, and the handler installed once per process and left in place, so the
    limit costs a worker two setitimer calls per file (it cost ~9 µs a file before).
    """

    __slots__ = ("armed", "previous", "seconds")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.previous: Any = _KEEP
        self.armed = False

    def __enter__(self) -> None:
        if not (
            self.seconds > 0
            and hasattr(signal, "setitimer")
            and threading.current_thread() is threading.main_thread()
        ):
            return
        if not _alarm_owned:
            self.previous = signal.signal(signal.SIGALRM, _expire)
        self.armed = True
        signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc: object) -> None:
        if not self.armed:
            return
        signal.setitimer(signal.ITIMER_REAL, 0)
        if self.previous is not _KEEP:
            signal.signal(signal.SIGALRM, self.previous)
