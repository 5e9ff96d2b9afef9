"""What a file's result is sent back and cached as: a small JSON-ready dict.

A payload depends on the file's content only (no path inside), so the parent can cache
it by hash and reuse it for any file with the same bytes. At most PAYLOAD_FINDINGS
findings travel per file; the rest are counted by severity ("omitted"), so a file with
fifteen thousand findings costs neither the pool's pipes nor the parent's memory.
`decode_payload` checks a payload read back from the cache before anyone trusts it.
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfxl.batch.ledger import PAYLOAD_FINDINGS
from perfxl.batch.monitored import KEY as MONITORING
from perfxl.batch.monitored import monitoring_payload, valid_monitoring
from perfxl.batch.names import display
from perfxl.findings import Finding, counts
from perfxl.report import TABLE_FIELDS, fields

if TYPE_CHECKING:  # the parent reads payloads back without loading the reader
    from perfxl.validation import FileCheck, TableCheck

PAYLOAD_VERSION = 4  # bump when the payload's shape changes; part of the cache key


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


def _kept(findings, budget: list[int], path: str | None = None) -> tuple[list, list[int]]:
    """The findings that fit in the file's remaining budget, and [errors, warnings, infos]
    of those left out: a file with fifteen thousand findings must not cost the run its
    memory, while its counts stay true."""
    if not findings:  # most tables and files
        return [], [0, 0, 0]
    room = max(0, budget[0])
    kept = [finding_entry(f, path) for f in findings[:room]]
    budget[0] -= len(kept)
    return kept, list(counts(findings[room:]))


def table_payload(check: TableCheck, budget: list[int] | None = None) -> dict[str, Any]:
    findings, left = _kept(check.findings, budget if budget is not None else [PAYLOAD_FINDINGS])
    tally = counts(check.findings)
    payload = {
        **fields(check.result, TABLE_FIELDS, _text),  # the scored table's one field list
        "errors": tally.errors,
        "warnings": tally.warnings,
        "findings": findings,
    }
    if any(left):
        payload["omitted"] = left
    return payload


def file_payload(check: FileCheck) -> dict[str, Any]:
    budget = [PAYLOAD_FINDINGS]
    findings, left = _kept(check.findings, budget, check.path)
    tables = [table_payload(t, budget) for t in check.tables]
    monitored = [_monitored(m, budget) for m in getattr(check, "monitoring", ())]
    reason = ""
    if not tables and not monitored:
        errors = [message for severity, _, _, message in findings if severity == "error"]
        reason = "；".join(errors) or "未找到可计分的指标表"
    rejected = not tables and not monitored
    payload = {"tables": tables, "findings": findings, "rejected": rejected, "reason": reason}
    if monitored:  # monitoring tables (双监控) travel apart from the 自评表 tables
        payload[MONITORING] = monitored
    if any(left):
        payload["omitted"] = left
    return payload


def _monitored(check: Any, budget: list[int]) -> dict[str, Any]:
    """A monitoring table (a check holding `result` and `findings`, or a bare result)."""
    result = getattr(check, "result", check)
    found = getattr(check, "findings", None)
    findings, left = _kept(list(result.all_findings if found is None else found), budget)
    return monitoring_payload(result, findings, left)


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


def payload_text(payload: Any) -> str:
    """The payload's JSON as the cache stores it, made in the worker (in parallel)
    rather than in the parent's serial tail. SQLite must accept it: a lone surrogate
    left in some text (payloads are made displayable; this is the last guard) is
    written as an escape."""
    text = "".join(_ENCODE(payload, 0)) if _ENCODE else json.dumps(payload, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(payload)
    return text


# json.dumps(payload, ensure_ascii=False) without its per-call set-up (a JSONEncoder
# and a C encoder made afresh each time; a third of the call for a payload): the C
# encoder made once, as JSONEncoder.iterencode makes it, but with no circularity
# markers (a payload is a tree of dicts, lists, texts and numbers built here)
_ENCODE = (
    json.encoder.c_make_encoder(
        None,  # markers: no circularity check
        json.JSONEncoder().default,  # the same TypeError for what JSON cannot hold
        json.encoder.encode_basestring,  # ensure_ascii=False
        None,  # indent
        ": ",
        ", ",
        False,  # sort_keys
        False,  # skipkeys
        True,  # allow_nan
    )
    if json.encoder.c_make_encoder is not None
    else None
)


# --- reading payloads back from the cache -------------------------------------------------

_TEXT = (str, type(None))
# what a cached table must hold: the scored table's fields (perfxl.report.TABLE_FIELDS),
# each a text (a Decimal as exact text) or, where it may be missing, null
_TABLE_SHAPE: dict[str, type | tuple[type, ...]] = {
    **{f.key: _TEXT if f.optional else str for f in TABLE_FIELDS},
    "errors": int,
    "warnings": int,
    "findings": list,
}
_NUMBERS = tuple(f.key for f in TABLE_FIELDS if f.number)
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
    """True when `payload` has every key, of the right type, that the ledger reads.

    Asked of every cached payload on every run (ten thousand on a warm run), so the
    per-table checks run as map/all over C functions rather than a Python loop per key.
    """
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
    if "omitted" in payload and not _valid_counts(payload["omitted"]):
        return False
    if MONITORING in payload and not valid_monitoring(
        payload[MONITORING], _valid_finding, _valid_counts, _number
    ):
        return False
    for table in tables:
        if not (isinstance(table, dict) and table.keys() >= _SHAPE_KEYS):
            return False
        values = list(map(table.__getitem__, _SHAPE_KEYS_ORDER))
        if not all(map(isinstance, values, _SHAPE_KINDS)):
            return False
        if not all(map(_valid_finding, table["findings"])):
            return False
        if "omitted" in table and not _valid_counts(table["omitted"]):
            return False
        numbers = [table[key] for key in _NUMBERS]
        if None in numbers:
            numbers = [value for value in numbers if value is not None]
        # all plain figures (nearly always) in one match; else each on its own
        if _PLAIN_LINES.fullmatch("\n".join(numbers)) is None and not all(
            _PLAIN.fullmatch(value) is not None or _finite(value) for value in numbers
        ):
            return False
    return True


_SHAPE_KEYS_ORDER = tuple(_TABLE_SHAPE)
_SHAPE_KEYS = frozenset(_TABLE_SHAPE)
_SHAPE_KINDS = tuple(_TABLE_SHAPE.values())
# what str(Decimal) gives for nearly every figure: finite without asking Decimal
_PLAIN = re.compile(r"-?[0-9]{1,30}(?:\.[0-9]{1,30})?", re.ASCII)
_PLAIN_LINES = re.compile(
    r"(?:-?[0-9]{1,30}(?:\.[0-9]{1,30})?(?:\n-?[0-9]{1,30}(?:\.[0-9]{1,30})?)*)?", re.ASCII
)


def _valid_counts(counts: Any) -> bool:
    return (
        type(counts) is list
        and len(counts) == 3
        and all(type(n) is int and n >= 0 for n in counts)  # an int, not a bool
    )


def _valid_finding(entry: Any) -> bool:
    return isinstance(entry, list) and len(entry) == 4 and all(isinstance(x, str) for x in entry)


def _number(text: Any) -> bool:
    return isinstance(text, str) and (_PLAIN.fullmatch(text) is not None or _finite(text))


def _finite(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except (InvalidOperation, ValueError):
        return False
