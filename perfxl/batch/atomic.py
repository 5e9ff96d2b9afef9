"""Writing an output file without ever writing anything else.

Every file perfxl writes (the county summary, annotated copies, templates) goes the
same way: the bytes are made in memory, written to a new temporary file created with
O_EXCL under an unpredictable name (tempfile.mkstemp) in the destination's folder, and
renamed over the destination. So:

- a link planted at the destination or at a guessable temporary name is never followed
  and its target never truncated (O_EXCL refuses an existing name, links included; the
  rename replaces a link at the destination, not what it points to);
- a failed write (a full disk) leaves the old file as it was, no half-written file, and
  no `ZipFile.__del__` traceback, because no zip is ever open on a disk file;
- temporaries of a run that was killed are recognised by their name and removed by the
  next run for the same output (`remove_stale`).

`made_by_perfxl` reads an existing destination's document title, so a command can
refuse to replace a workbook it did not write (a unit's submission given as `-o`).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import zipfile
from pathlib import Path

TEMP_SUFFIX = ".tmp"
_CORE_LIMIT = 1 << 16  # docProps/core.xml is a few hundred bytes


def temp_prefix(output: Path) -> str:
    return f".{output.name}."


def publish(output: Path, data: bytes) -> Path:
    """Write `data` to `output` through a private temporary file and a rename."""
    output = Path(output)
    fd, temp = tempfile.mkstemp(
        prefix=f"{temp_prefix(output)}{os.getpid()}.", suffix=TEMP_SUFFIX, dir=output.parent
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; an output is not
        os.replace(temp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return output


def remove_stale(output: Path) -> int:
    """Remove temporaries left beside `output` by runs that died; the caller holds the
    output's lock, so no live run can own one. Links are removed, never followed."""
    prefix = temp_prefix(output)
    removed = 0
    try:
        entries = list(os.scandir(output.parent))
    except OSError:
        return 0
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        try:
            if entry.is_dir(follow_symlinks=False):
                continue
            os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def made_by_perfxl(path: Path, marker: str, *, untouched: bool = True) -> bool:
    """True when `path` is a regular file whose document properties hold `marker` (the
    summary's title, a template's description) and, if `untouched`, were last saved by
    perfxl (a template filled in and saved in Excel or WPS names its user instead; a
    summary someone opened and saved is still the summary). Read without following a
    link and without blocking on a FIFO."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        with os.fdopen(os.dup(fd), "rb") as handle, zipfile.ZipFile(handle) as archive:
            info = archive.getinfo("docProps/core.xml")
            if info.file_size > _CORE_LIMIT:
                return False
            core = archive.read(info).decode("utf-8", "replace")
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, RuntimeError, EOFError):
        return False
    finally:
        os.close(fd)
    saved_by_us = "<cp:lastModifiedBy>perfxl</cp:lastModifiedBy>" in core
    return marker in core and (saved_by_us or not untouched)


def is_link(path: Path) -> bool:
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
