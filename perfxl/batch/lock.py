"""One writer per summary: a lock file beside the output, and a rename to publish it.

The bureau's nightly job and a clerk's manual run may start together; without a lock
both would write the same workbook and its cache. The lock is a file created with
O_EXCL (atomic on every local file system) holding the owner's pid, host and start
time. A lock whose process is gone (same host) or that is older than a day is stale
and taken over, so a crash or a power cut does not block the next night.

The summary itself is written to a hidden temporary file in the same folder and moved
over the old one with os.replace, so a reader never sees half a workbook.
"""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STALE_AFTER = 24 * 3600  # seconds; a nightly run that takes longer has other problems
_UNREADABLE_GRACE = 60  # a lock file still empty this long after creation is abandoned


class LockHeld(Exception):
    """Another run holds the output; the message is Chinese and says which and how to clear it."""


def lock_path(output: Path) -> Path:
    return output.with_name(f"{output.name}.lock")


class OutputLock:
    def __init__(self, output: Path, stale_after: float = STALE_AFTER):
        self.path = lock_path(output)
        self.output = output
        self.stale_after = stale_after
        self.held = False

    def acquire(self) -> None:
        for _ in range(2):  # second try after removing a stale lock
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self._owner()
                if self._stale(owner):
                    self.path.unlink(missing_ok=True)
                    continue
                raise LockHeld(self._held_message(owner)) from None
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(
                    {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()},
                    handle,
                )
            self.held = True
            return
        raise LockHeld(self._held_message(self._owner()))

    def release(self) -> None:
        if self.held:
            self.held = False
            owner = self._owner()
            if owner.get("pid") == os.getpid():
                self.path.unlink(missing_ok=True)

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def _owner(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _stale(self, owner: dict) -> bool:
        try:
            age = time.time() - self.path.stat().st_mtime
        except OSError:
            return True  # vanished meanwhile: free
        if not owner:
            return age > _UNREADABLE_GRACE
        if age > self.stale_after:
            return True
        pid = owner.get("pid")
        if owner.get("host") == socket.gethostname() and isinstance(pid, int):
            return not _alive(pid)
        return False

    def _held_message(self, owner: dict) -> str:
        started = owner.get("started")
        when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)) if started else "未知"
        who = f"进程 {owner.get('pid', '未知')}（{owner.get('host', '未知主机')}），开始于 {when}"
        return (
            f"另一个汇总任务正在写入 {self.output.name}：{who}。"
            f"请等它结束后再运行；如确认它已不在运行，可删除锁文件 {self.path}"
        )


def _alive(pid: int) -> bool:
    if os.name == "nt":  # no signal-0 probe on Windows; rely on the age limit there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


@contextmanager
def replacing(output: Path) -> Iterator[Path]:
    """Yield a temporary path beside `output`; on success move it over `output`.

    The temporary name does not end in .xlsx, so discovery never mistakes it for a
    submission when the output lies inside an input folder.
    """
    temp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        yield temp
        os.replace(temp, output)
    finally:
        temp.unlink(missing_ok=True)
