"""Which files under the given folders are workbooks to look at, and which cannot be.

Shared by `perfxl validate` and `perfxl consolidate` so both account for the same
files in the same order: every workbook perfxl reads is listed (.xlsx, .xlsm, and
.xls, .xlsb, .ods through perfxl.reader.legacy), and so are WPS files (.et, .wps), to be
rejected with a "请另存为 .xlsx" reason rather than silently ignored. Office lock files
(`~$名称.xlsx`) found in a folder are not workbooks and are skipped; one given by name
is listed as unreadable, saying the workbook is open in Excel.

Nothing found may vanish without a word: a folder that cannot be listed or entered, a
workbook name that is a dangling link, a FIFO, a device or a folder, comes back from
`survey` as an Unreadable with a Chinese reason, for the caller to list as rejected. A
FIFO is never opened (opening one for reading blocks until someone writes). The walk is
iterative, so a tree nested thousands of folders deep costs a list, not the stack.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
# listed too, to be rejected with a reason (perfxl.reader.legacy.WPS_FORMATS)
SAVE_AS_SUFFIXES = frozenset({".et", ".ett", ".wps"})
LOCK_PREFIX = "~$"


@dataclass(frozen=True)
class Unreadable:
    path: Path
    reason: str  # Chinese, for 文件清单


@dataclass
class Survey:
    files: list[Path] = field(default_factory=list)  # regular files, to be read
    unreadable: list[Unreadable] = field(default_factory=list)
    # the inode number of each file the folder listing named as a regular file itself
    # (no link): free from the listing, it lets a caller skip a stat (batch.run._find)
    inodes: dict[Path, int] = field(default_factory=dict)

    def listing(self) -> list[Path | Unreadable]:
        """Both, in one order by path (as text)."""
        items: list[Path | Unreadable] = [*self.files, *self.unreadable]
        return sorted(items, key=lambda i: str(i.path if isinstance(i, Unreadable) else i))


def is_candidate(path: Path) -> bool:
    return _candidate_name(path.name)


def _candidate_name(name: str) -> bool:
    suffix = os.path.splitext(name)[1].lower()
    listed = suffix in WORKBOOK_SUFFIXES or suffix in SAVE_AS_SUFFIXES
    return listed and not name.startswith(LOCK_PREFIX)


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """The regular files `survey` finds, sorted by path."""
    return sorted(survey(paths).files, key=str)


def survey(paths: Iterable[str | Path]) -> Survey:
    """Files given directly are kept as they are (unless they are no regular file);
    folders are searched, without recursion.

    Symlinked folders are followed (a department's folder is often a link to a share),
    each real folder once, so a link loop ends.
    """
    result = Survey()
    found: set[Path] = set()
    seen: set[tuple[int, int]] = set()
    for entry in map(Path, paths):
        if entry.is_dir():
            _walk(entry, seen, found, result)
        elif os.path.lexists(entry) and entry not in found:
            found.add(entry)
            _classify(entry, result)
    result.files.sort(key=str)
    result.unreadable.sort(key=lambda u: str(u.path))
    return result


def _walk(top: Path, seen: set[tuple[int, int]], found: set[Path], result: Survey) -> None:
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            info = os.stat(folder)
        except OSError as exc:
            result.unreadable.append(
                Unreadable(folder, f"文件夹无法进入（{os_reason(exc)}），其中的文件未能核对")
            )
            continue
        key = (info.st_dev, info.st_ino)
        if key in seen:  # reached again through a link: already listed
            continue
        seen.add(key)
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as exc:
            result.unreadable.append(
                Unreadable(folder, f"文件夹无法读取（{os_reason(exc)}），其中的文件未能核对")
            )
            continue
        below = []
        for entry in entries:
            path = folder / entry.name
            candidate = _candidate_name(entry.name)
            try:
                is_dir = entry.is_dir()  # follows a link, as discovery always did
            except OSError:
                is_dir = False
            if is_dir:
                below.append(path)
                if candidate and path not in found:
                    found.add(path)
                    result.unreadable.append(
                        Unreadable(path, "这是一个文件夹而不是工作簿文件（其中的文件照常核对）")
                    )
                continue
            if candidate and path not in found:
                found.add(path)
                if _plain_file(entry):  # the listing says so: no stat needed
                    result.files.append(path)
                    result.inodes[path] = entry.inode()
                else:
                    _classify(path, result)
        stack.extend(sorted(below, key=str, reverse=True))


def _plain_file(entry: os.DirEntry) -> bool:
    """A regular file, no link, no lock file, by the folder listing alone (d_type on
    Linux: no system call); anything else goes through _classify's stat."""
    try:
        return entry.is_file(follow_symlinks=False) and not entry.name.startswith(LOCK_PREFIX)
    except OSError:
        return False


def _classify(path: Path, result: Survey) -> None:
    """A regular file (through any link) is to be read; anything else is listed with why."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            result.unreadable.append(Unreadable(path, "这是一个链接，但它指向的文件不存在"))
        else:
            result.unreadable.append(Unreadable(path, "文件在核对期间被删除"))
        return
    except OSError as exc:
        result.unreadable.append(Unreadable(path, f"文件无法访问（{os_reason(exc)}）"))
        return
    mode = info.st_mode
    if stat.S_ISREG(mode) and path.name.startswith(LOCK_PREFIX):  # given by name
        from perfxl.reader.legacy import lock_file_reason

        result.unreadable.append(Unreadable(path, lock_file_reason(path.name)))
    elif stat.S_ISREG(mode):
        result.files.append(path)
    elif stat.S_ISDIR(mode):
        result.unreadable.append(Unreadable(path, "这是一个文件夹而不是工作簿文件"))
    else:
        result.unreadable.append(Unreadable(path, f"这不是普通文件（{file_kind(mode)}），未读取"))


def file_kind(mode: int) -> str:
    """What a path that is not a regular file is, in a clerk's words (文件清单 reasons)."""
    if stat.S_ISFIFO(mode):
        return "命名管道"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "设备文件"
    if stat.S_ISSOCK(mode):
        return "套接字"
    if stat.S_ISDIR(mode):
        return "文件夹"
    return "特殊文件"


def os_reason(exc: OSError) -> str:
    """Why the operating system refused a path, in Chinese (discovery and the workers)."""
    if isinstance(exc, PermissionError):
        return "没有读取权限"
    if isinstance(exc, FileNotFoundError):
        return "文件已不存在（可能在核对期间被删除或移走）"
    if exc.errno == errno.ENAMETOOLONG:
        return "路径过长"
    if exc.errno == errno.ELOOP:
        return "链接层数过多，可能是链接循环"
    return exc.strerror or type(exc).__name__
