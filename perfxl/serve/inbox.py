"""The submission inbox: DIR/<主管部门>/<项目名称>.xlsx, the folder consolidation reads.

A workbook without errors is stored under its department's folder by its project's
name, both taken from the table and made safe for a file name on any system the folder
may be shared to (Windows too): no separators, no `..`, no control characters, none of
`<>:"/\\|?*`, no Windows device name (CON, NUL, COM1 …), no leading dot (hidden) or
trailing dot or space (Windows drops them). The final path is checked to lie inside DIR
after resolving links, so neither a name nor a planted link can put a file elsewhere.

A resubmission keeps the copy it replaces as DIR/<主管部门>/.versions/<项目名称>.v<n>.xlsx.bak
(n = the version it was). The .bak suffix keeps those copies out of `perfxl consolidate`
(perfxl.discovery lists workbook suffixes only), so a project is counted once, by its
latest submission; renaming a copy to .xlsx opens it. Every file is written through
perfxl.batch.atomic.publish (a private temporary file, then a rename), so a reader of
the inbox never sees half a workbook. Submissions are serialised by one lock: two
clerks resubmitting the same project at once cannot lose a version.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from perfxl.batch.atomic import publish

VERSIONS = ".versions"
VERSION_SUFFIX = ".bak"
MAX_NAME = 80  # characters; a project name is a line of text, paths have limits
_FORBIDDEN = re.compile(r'[<>:"/\\|?*]')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$")
_LOCK = threading.Lock()


class InboxError(Exception):
    """The submission cannot be stored; the message is Chinese."""


def safe_name(text: str | None) -> str | None:
    """`text` as one safe path component, or None when nothing usable is left."""
    if not text:
        return None
    name = unicodedata.normalize("NFC", str(text))
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp"))
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    name = name.lstrip(".~$ ")  # no hidden file, no Office lock-file look-alike
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME].rstrip(" .")
    if not name or set(name) <= {"_", "."}:
        return None
    if _RESERVED.match(name):
        name = "_" + name
    return name


@dataclass
class Stored:
    path: str  # relative to the inbox, "/"-separated
    version: int
    sha256: str
    time: str


def place(inbox: Path, department: str | None, project: str | None, suffix: str) -> Path:
    """DIR/<主管部门>/<项目名称><suffix>, or InboxError saying which name is missing."""
    dept, name = safe_name(department), safe_name(project)
    if dept is None:
        raise InboxError("表中未填写主管部门（或只含不能用作文件夹名的字符），无法归入收件箱")
    if name is None:
        raise InboxError("表中未填写项目名称（或只含不能用作文件名的字符），无法归入收件箱")
    return inbox / dept / f"{name}{suffix}"


def inside(inbox: Path, path: Path) -> bool:
    """True when `path`, links resolved, lies inside the inbox (links resolved too)."""
    root = os.path.realpath(inbox)
    real = os.path.realpath(path)
    return real != root and real.startswith(root.rstrip(os.sep) + os.sep)


def _version_path(target: Path, n: int) -> Path:
    return target.parent / VERSIONS / f"{target.stem}.v{n}{target.suffix}{VERSION_SUFFIX}"


def _versions(target: Path) -> int:
    """The highest version number kept for `target` (0 when none)."""
    folder = target.parent / VERSIONS
    pattern = re.compile(
        re.escape(target.stem) + r"\.v([0-9]{1,6})\.[A-Za-z]{3,4}" + re.escape(VERSION_SUFFIX)
    )
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    found = [int(m.group(1)) for n in names if (m := pattern.fullmatch(n))]
    return max(found, default=0)


def store(inbox: Path, target: Path, data: bytes) -> Stored:
    """Write `data` to `target` (from `place`), keeping what it replaces as a version."""
    with _LOCK:
        if not inside(inbox, target.parent / "x") or not inside(inbox, target):
            raise InboxError("目标位置不在收件箱文件夹内，拒绝写入")
        target.parent.mkdir(parents=True, exist_ok=True)
        if not inside(inbox, target.parent / "x"):  # made through a link planted meanwhile
            raise InboxError("目标位置不在收件箱文件夹内，拒绝写入")
        # the same project under another workbook suffix (.xls then .xlsx) is one project
        same = [
            target.with_suffix(s)
            for s in (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
            if target.with_suffix(s).is_file() and not target.with_suffix(s).is_symlink()
        ]
        latest = _versions(target)
        version = latest + 1 + (1 if same else 0)
        if same:
            (target.parent / VERSIONS).mkdir(exist_ok=True)
            if not inside(inbox, target.parent / VERSIONS / "x"):
                raise InboxError("目标位置不在收件箱文件夹内，拒绝写入")
            for previous in same:
                publish(_version_path(previous, version - 1), previous.read_bytes())
                if previous != target:
                    previous.unlink()
        publish(target, data)
    return Stored(
        path=target.relative_to(inbox).as_posix(),
        version=version,
        sha256=hashlib.sha256(data).hexdigest(),
        time=datetime.now().astimezone().isoformat(timespec="seconds"),
    )
