"""What a pool process does with one file: hash it, check it, boil the result down.

Workers return small JSON-ready dicts, never rows or engine objects: pickling a
workbook's cells back to the parent would cost more than reading it. The dict of a file
depends on its content only (no path inside), so the parent can cache it by hash and
reuse it for any file with the same bytes.

Nothing here may raise: a file that makes the reader, the engine or a rule fail, or that
takes longer than the per-file limit, comes back as a rejected entry with the reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from perfxl.batch.names import display, storable
from perfxl.findings import Finding
from perfxl.profiles import Profile
from perfxl.validation import FileCheck, TableCheck, check_file

PAYLOAD_VERSION = 1  # bump when the payload's shape changes; part of the cache key
PROCESSING_FAILED = "PX903"  # timeout, out of memory, or a bug met while checking a file
_READ_BLOCK = 1 << 20

_profile: Profile | None = None
_known: frozenset[str] = frozenset()
_timeout: float = 0.0
_beats: Any = None  # shared array: when each worker started its current file (0 = idle)
_slot: int = -1


class FileTimeout(Exception):
    """Raised inside a worker when one file takes longer than the per-file limit."""


def configure(profile: Profile, known: frozenset[str], timeout: float) -> None:
    """Set what every file of this process is checked with (in-process runs call this)."""
    global _profile, _known, _timeout
    _profile, _known, _timeout = profile, known, timeout


def init_worker(
    profile: Profile, known: frozenset[str], timeout: float, beats: Any = None, slots: Any = None
) -> None:
    """Pool initializer: state shared by every file a process will see.

    `known` holds the result keys the cache already has, so a file whose stat changed
    but whose bytes did not (a copy, a `touch`) is hashed and not re-read. `beats` and
    `slots` let the parent see how long each worker has been on its current file.
    """
    global _beats, _slot
    configure(profile, known, timeout)
    if beats is not None and slots is not None:
        with slots.get_lock():
            _slot, slots.value = slots.value, slots.value + 1
        _beats = beats if 0 <= _slot < len(beats) else None
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


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
    record: dict[str, Any] = {"path": path, "size": size, "mtime_ns": mtime_ns, "sha256": ""}
    try:
        record["sha256"], record["size"] = file_digest(path)
    except OSError as exc:
        reason = f"文件无法读取：{exc.strerror or exc}"
        record["payload"] = rejected_payload(reason, transient=True)
        return record
    if result_key(record["sha256"], path) in known:
        record["cached"] = True
        return record
    try:
        with deadline(timeout):
            check = check_file(path, profile)
        record["payload"] = file_payload(check)
    except FileTimeout:
        reason = f"处理超时（超过 {timeout:g} 秒），文件可能异常，请检查后重新提交"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED, transient=True)
    except MemoryError:
        reason = "文件内容过大，处理时内存不足，已拒绝读取"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED, transient=True)
    except Exception as exc:  # a bug in a rule must cost one file, not the night's run
        detail = f"{type(exc).__name__}: {exc}"[:200]
        reason = f"处理该文件时程序出错（{detail}），请联系管理员"
        record["payload"] = rejected_payload(reason, PROCESSING_FAILED)
    return record


def result_key(sha256: str, path: str) -> str:
    """What a file's result depends on: its bytes and its extension (an .xls is refused
    for its name before its content is looked at). Always storable in SQLite."""
    return f"{sha256}{storable(os.path.splitext(path)[1].lower())}"


def file_digest(path: str) -> tuple[str, int]:
    """sha256 and size of the bytes on disk, read in blocks so a huge file costs no memory."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


@contextmanager
def deadline(seconds: float):
    """Interrupt the body after `seconds` (POSIX main thread only; elsewhere no limit).

    The parent also watches the pool, so a file stuck where no signal can reach it
    (inside native code) still ends, with its worker killed.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def expire(signum, frame):
        raise FileTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- payloads: content-only, JSON-ready ---------------------------------------------------


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def finding_entry(finding: Finding, path: str | None = None) -> list[str]:
    """[severity, code, location, message]; a location that is just the file's path is
    dropped, because the payload must not depend on where the file lies. Texts that
    quote an undecodable file name are made displayable (see perfxl.batch.names)."""
    location = finding.location
    if path is not None and location in (path, os.fspath(Path(path))):
        location = ""
    return [str(finding.severity), finding.code, display(location), display(finding.message)]


def table_payload(check: TableCheck) -> dict[str, Any]:
    result = check.result
    table = result.table
    funds = table.funds
    return {
        "sheet": table.sheet,
        "project": table.project,
        "department": table.department,
        "unit": table.unit,
        "budget": _text(funds.budget if funds.budget is not None else funds.initial_budget),
        "received": _text(funds.received),
        "spent": _text(funds.spent),
        "execution_rate": _text(result.execution_rate),
        "completion_rate": _text(result.completion_rate),
        "deviation": _text(result.deviation),
        "total": _text(result.total),
        "grade": result.grade,
        "reported_total": _text(table.reported_total),
        "reported_grade": table.reported_grade,
        "errors": check.errors,
        "warnings": check.warnings,
        "findings": [finding_entry(f) for f in check.findings],
    }


def file_payload(check: FileCheck) -> dict[str, Any]:
    tables = [table_payload(t) for t in check.tables]
    findings = [finding_entry(f, check.path) for f in check.findings]
    reason = ""
    if not tables:
        errors = [message for severity, _, _, message in findings if severity == "error"]
        reason = "；".join(errors) or "未找到可计分的指标表"
    return {"tables": tables, "findings": findings, "rejected": not tables, "reason": reason}


def rejected_payload(
    reason: str, code: str = "PX001", *, transient: bool = False
) -> dict[str, Any]:
    """A file nothing could be scored from; transient ones (timeouts) are never cached."""
    reason = display(reason)
    payload: dict[str, Any] = {
        "tables": [],
        "findings": [["error", code, "", reason]],
        "rejected": True,
        "reason": reason,
    }
    if transient:
        payload["transient"] = True
    return payload


# --- reading payloads back from the cache -------------------------------------------------

_TEXT = (str, type(None))
_TABLE_SHAPE: dict[str, type | tuple[type, ...]] = {
    "sheet": str, "project": _TEXT, "department": _TEXT, "unit": _TEXT,
    "budget": _TEXT, "received": _TEXT, "spent": _TEXT, "execution_rate": _TEXT,
    "completion_rate": _TEXT, "deviation": _TEXT, "total": str, "grade": str,
    "reported_total": _TEXT, "reported_grade": _TEXT, "errors": int, "warnings": int,
    "findings": list,
}  # fmt: skip
_NUMBERS = ("budget", "received", "spent", "execution_rate", "completion_rate", "deviation",
            "total", "reported_total")  # fmt: skip
_MISSING = object()


def decode_payload(text: Any) -> dict[str, Any] | None:
    """A payload read back from the cache, or None when it is not one this code wrote.

    A cache row can be damaged (a disk error, a hand edit, a half-applied write) while the
    SQLite file as a whole is healthy; such a row must cost one cache miss — the file is
    checked again — and never the run.
    """
    try:
        payload = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    return payload if valid_payload(payload) else None


def valid_payload(payload: Any) -> bool:
    """True when `payload` has every key, of the right type, that the ledger reads."""
    if not isinstance(payload, dict):
        return False
    tables, findings = payload.get("tables"), payload.get("findings")
    if not (
        isinstance(tables, list)
        and isinstance(findings, list)
        and isinstance(payload.get("rejected"), bool)
        and isinstance(payload.get("reason"), str)
        and all(map(_valid_finding, findings))
    ):
        return False
    for table in tables:
        if not isinstance(table, dict):
            return False
        for key, kind in _TABLE_SHAPE.items():
            if not isinstance(table.get(key, _MISSING), kind):
                return False
        if not all(map(_valid_finding, table["findings"])):
            return False
        if not all(table[key] is None or _finite(table[key]) for key in _NUMBERS):
            return False
    return True


def _valid_finding(entry: Any) -> bool:
    return isinstance(entry, list) and len(entry) == 4 and all(isinstance(x, str) for x in entry)


def _finite(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False
