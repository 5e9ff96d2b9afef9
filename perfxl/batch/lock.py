"""One writer per summary: an OS lock on a file beside the output, and a rename to publish it.

The bureau's nightly job and a clerk's manual run may start together; without a lock
both would write the same workbook and its cache. The lock is an operating-system lock
held on an open handle of `县级汇总.xlsx.lock` (fcntl.flock on Linux and macOS,
msvcrt.locking on Windows). The OS drops it when the process ends in any way — a crash,
a kill, a power cut — so a dead run never blocks the next night, on Windows too, and
there is no guessing from pids and ages whether an old lock is stale. The file holds the
owner's pid, host and start time only to tell a second run who is writing.

The lock file is opened without following links (a link planted at its name is
removed, its target untouched) and only a regular file with one name is written to.
The summary itself is published by perfxl.batch.atomic.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import time
from contextlib import suppress
from pathlib import Path

from perfxl.batch.names import display

if os.name == "nt":
    import msvcrt
else:
    import fcntl

# Windows locks are mandatory: the byte locked lies far past the JSON, so a second run
# can still read who holds the lock.
_WINDOWS_LOCK_OFFSET = 1 << 30
_ATTEMPTS = 20  # re-opens when the file was replaced between open and lock
_HELD: set[int] = set()  # lock handles of this process
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _forget_in_child() -> None:
    """A forked worker shares the parent's handle, and with it the flock: were the parent
    killed, a lingering worker would hold the lock. Closing the child's copy (never
    unlocking, which would free it for the parent too) keeps the lock the parent's alone."""
    for fd in list(_HELD):
        with suppress(OSError):
            os.close(fd)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)


class LockHeld(Exception):
    """Another run holds the output; the message is Chinese and says which and how to clear it."""


def lock_path(output: Path) -> Path:
    return output.with_name(f"{output.name}.lock")


class OutputLock:
    def __init__(self, output: Path):
        self.path = lock_path(output)
        self.output = output
        self._fd: int | None = None
        self._pid = 0  # the process that took it; a forked child never releases it

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        for _ in range(_ATTEMPTS):
            fd, writable = _open(self.path)
            try:
                locked = _try_lock(fd)
            except BaseException:
                os.close(fd)
                raise
            if not locked:
                os.close(fd)
                raise LockHeld(self._held_message(self._owner()))
            if not _still_there(fd, self.path):  # its holder removed it as we opened it
                _unlock(fd)
                os.close(fd)
                continue
            self._fd, self._pid = fd, os.getpid()
            _HELD.add(fd)
            if writable:
                _write_owner(fd)
            return
        raise LockHeld(self._held_message(self._owner()))

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None or self._pid != os.getpid():
            return
        _HELD.discard(fd)
        if os.name == "nt":  # an open file cannot be removed there: unlock, close, then try
            _unlock(fd)
            os.close(fd)
            with suppress(OSError):  # another run opened it meanwhile: its lock now
                self.path.unlink(missing_ok=True)
        else:  # removed while still locked, so no other run can lock the old file after
            with suppress(OSError):
                self.path.unlink(missing_ok=True)
            os.close(fd)  # closing the last handle drops the lock

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def _owner(self) -> dict:
        """Who holds the lock, read without following a link or blocking on a FIFO."""
        try:
            fd = os.open(self.path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            return {}
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return {}
            data = json.loads(os.read(fd, 4096).decode("utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}
        finally:
            os.close(fd)

    def _held_message(self, owner: dict) -> str:
        started = owner.get("started")
        try:
            when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))
        except (TypeError, ValueError, OverflowError, OSError):
            when = "未知"
        who = f"进程 {owner.get('pid', '未知')}（{owner.get('host', '未知主机')}），开始于 {when}"
        return (
            f"另一个汇总任务正在写入 {display(self.output.name)}：{who}。请等它结束后再运行。"
            f"锁文件 {display(str(self.path))} 由操作系统加锁，该进程一旦结束（包括异常终止）"
            "即自动失效，无需手工删除"
        )


def _open(path: Path) -> tuple[int, bool]:
    """A handle on the lock file, creating it; read-only when someone else's file is not
    writable for us (a lock needs no write access, the owner's details do).

    A link is never followed (O_NOFOLLOW): one planted at the lock's name is removed
    (unlinking a link leaves its target alone) and a fresh file is made. Something that
    is not a regular file there (a FIFO, a folder) is refused. Writable is False for a
    file with other hard links, so the owner's details never overwrite another file.
    """
    binary = getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    safe = binary | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0)
    for _ in range(_ATTEMPTS):
        try:
            fd, writable = os.open(path, os.O_RDWR | os.O_CREAT | safe, 0o644), True
        except PermissionError:
            if not path.exists():
                raise
            fd, writable = os.open(path, os.O_RDONLY | safe), False
        except OSError as exc:
            if not (_is_link(path) and exc.errno in (errno.ELOOP, errno.EMLINK)):
                raise
            with suppress(FileNotFoundError):
                os.unlink(path)  # a planted link: removed, its target untouched
            continue
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise LockHeld(
                f"锁文件 {display(str(path))} 不是普通文件（可能是他人放置的管道或设备），"
                "为安全起见不使用它；请检查并删除后重新运行"
            )
        return fd, writable and info.st_nlink == 1
    raise LockHeld(f"锁文件 {display(str(path))} 反复被替换为链接，为安全起见停止运行")


def _is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _try_lock(fd: int) -> bool:
    """Lock without waiting; False when another handle (in any process) holds it."""
    try:
        if os.name == "nt":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as exc:
        if os.name == "nt" and exc.errno in (13, 36):  # EACCES, EDEADLOCK: held elsewhere
            return False
        raise
    return True


def _unlock(fd: int) -> None:
    try:
        if os.name == "nt":
            os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(fd, fcntl.LOCK_UN)
    except OSError:
        pass  # closing the handle drops it anyway


def _still_there(fd: int, path: Path) -> bool:
    """True when `path` still names the file locked through `fd` (POSIX can remove an
    open file; a run that released its lock removes the file while holding it)."""
    if os.name == "nt":
        return True  # a file open elsewhere cannot be removed on Windows
    try:
        on_disk = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (on_disk.st_dev, on_disk.st_ino) == (held.st_dev, held.st_ino)


def _write_owner(fd: int) -> None:
    """Replace the file's content with who holds the lock (information only)."""
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.time()}
    data = json.dumps(owner, ensure_ascii=False).encode("utf-8")
    try:
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, data)
    except OSError:
        pass  # a full disk must not stop the run for want of this note
