"""The loss-free ledger: every file found becomes one entry, every project one row.

Built in discovery order from the workers' per-file payloads, so the same inputs give
the same ledger. Duplicates are decided here, where all files are seen together: a
file whose bytes equal an earlier processed file's is rejected (the county would count
its money twice); a project that an earlier file or sheet already reported for the same
department and unit stays listed but is flagged and left out of the totals.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import Any

from perfxl.batch.names import display
from perfxl.profiles import Profile

PROCESSED, REJECTED = "已处理", "已拒收"  # one word wherever a clerk reads it (console too)
SAME_CONTENT = "PX901"  # the same bytes submitted again under another name
SAME_PROJECT = "PX902"  # the same unit's project reported again with other content
NO_DEPARTMENT = "（未填写主管部门）"
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
DEFAULT_MAX_FINDINGS = 200  # a clerk reads the first few; validate lists them all
PAYLOAD_FINDINGS = 1000  # findings a worker sends back per file; the rest are counted


@dataclass(slots=True)
class FileEntry:
    path: str  # as shown: relative to the input folder it was found in
    size: int
    sha256: str
    status: str  # PROCESSED or REJECTED
    reason: str
    tables: int = 0
    errors: int = 0
    warnings: int = 0


@dataclass(slots=True)
class ProjectEntry:
    file: str
    sheet: str
    project: str
    department: str
    unit: str
    budget: Decimal | None
    received: Decimal | None
    spent: Decimal | None
    execution_rate: Decimal | None
    completion_rate: Decimal | None
    deviation: Decimal | None
    total: Decimal
    grade: str
    reported_total: Decimal | None
    reported_grade: str | None
    errors: int
    warnings: int
    note: str = ""
    counted: bool = True  # False for a repeated project: listed, not added up
    profile: str = ""  # the profile it was scored under (county settings: per folder)


@dataclass(slots=True)
class Problem:
    severity: str  # error / warning / info
    code: str
    file: str
    department: str
    project: str
    location: str
    message: str


@dataclass
class Consolidation:
    """Everything the summary workbook shows, and what the exit code is decided from."""

    profile: Profile
    inputs: list[str]
    files: list[FileEntry] = field(default_factory=list)
    projects: list[ProjectEntry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    schedule: Decimal = Decimal(1)  # 序时进度: execution below it counts as behind
    started: datetime | None = None
    elapsed: float = 0.0
    parsed: int = 0  # files read and checked in this run
    reused: int = 0  # files whose result came from the cache
    written: bool = False  # False when the summary was already up to date
    max_findings: int = DEFAULT_MAX_FINDINGS  # problems listed per file; the rest counted
    hidden: list[int] = field(default_factory=lambda: [0, 0, 0])  # errors, warnings, infos
    county: Any = None  # perfxl.county.CountySettings of the run (None: the defaults)
    profiles: dict[str, Profile] = field(default_factory=dict)  # every profile used, by name
    monitored: list[Any] = field(default_factory=list)  # perfxl.batch.monitored entries

    @property
    def rejected(self) -> list[FileEntry]:
        return [f for f in self.files if f.status == REJECTED]

    @property
    def error_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error") + self.hidden[0]

    @property
    def warning_count(self) -> int:
        return sum(1 for p in self.problems if p.severity == "warning") + self.hidden[1]

    @property
    def exit_code(self) -> int:
        """1 when any file was rejected or any finding is an error (design.md), else 0."""
        return 1 if self.rejected or self.error_count else 0


def build_ledger(consolidation: Consolidation, records: list[tuple[str, dict[str, Any]]]) -> None:
    """Fill files, projects and problems from (shown path, worker record) in discovery order.

    Each file lists at most `consolidation.max_findings` problems; the rest (and what the
    worker already left out) are counted in `consolidation.hidden` and named in one
    note row, so the counts stay true and the list stays readable and bounded.
    """
    first_by_hash: dict[str, str] = {}
    first_by_project: dict[tuple[str, str, str], str] = {}
    rows: list[tuple[str, int, ProjectEntry]] = []
    dec = _Decimals().__getitem__  # figure texts repeat: each made a Decimal once
    for shown, record in records:
        payload = record["payload"]
        sha = record.get("sha256", "")
        if not payload["rejected"] and sha in first_by_hash:
            _same_content(consolidation, shown, record, first_by_hash[sha])
            continue
        if not payload["rejected"] and sha:
            first_by_hash[sha] = shown
        mine: list[Problem] = []
        omitted = list(payload.get("omitted", [0, 0, 0]))
        file_errors, file_warnings = omitted[0], omitted[1]
        for severity, code, location, message in payload["findings"]:
            mine.append(Problem(severity, code, shown, "", "", location, message))
            file_errors += severity == "error"
            file_warnings += severity == "warning"
        for table in payload["tables"]:
            entry = _project(shown, table, dec)
            if "omitted" in table:
                omitted = [a + b for a, b in zip(omitted, table["omitted"], strict=True)]
            key = (entry.department, entry.unit, entry.project)
            problems = [
                Problem(sev, code, shown, entry.department, entry.project, loc, msg)
                for sev, code, loc, msg in table["findings"]
            ]
            if entry.project and key in first_by_project:
                earlier = first_by_project[key]
                note = f"与“{earlier}”为同一项目，疑似重复提交，未计入单位汇总"
                entry = _flag(entry, note)
                message = (
                    f"同一单位的项目“{entry.project}”已在“{earlier}”中提交，请核实后只保留一份"
                )
                problems.append(
                    Problem("error", SAME_PROJECT, shown, entry.department, entry.project,
                            f"{entry.sheet}!A1", message)
                )  # fmt: skip
            elif entry.project:
                first_by_project[key] = f"{shown}（{entry.sheet}）"
            mine.extend(problems)
            file_errors += entry.errors
            file_warnings += entry.warnings
            rows.append((entry.department, len(rows), entry))
        for table in payload.get("monitoring", ()):  # 双监控 tables: a list of their own
            entry, found = _monitored(consolidation, shown, table, first_by_project)
            omitted = [a + b for a, b in zip(omitted, table.get("omitted", [0, 0, 0]), strict=True)]
            mine.extend(found)
            file_errors += entry.errors
            file_warnings += entry.warnings
        _list_problems(consolidation, shown, mine, omitted)
        consolidation.files.append(_file_entry(shown, record, file_errors, file_warnings))
    consolidation.projects = [entry for _, _, entry in sorted(rows, key=itemgetter(0, 1))]
    consolidation.monitored.sort(key=lambda e: (e.month or 0, e.department))  # stable


def _list_problems(
    consolidation: Consolidation, shown: str, mine: list[Problem], omitted: list[int]
) -> None:
    limit = max(0, consolidation.max_findings)
    consolidation.problems.extend(mine[:limit])
    hidden = list(omitted)
    for problem in mine[limit:]:
        hidden[{"error": 0, "warning": 1}.get(problem.severity, 2)] += 1
    if not any(hidden):
        return
    for n in range(3):
        consolidation.hidden[n] += hidden[n]
    message = (
        f"该文件另有 {sum(hidden)} 条问题未在此列出（错误 {hidden[0]} 条、警告 {hidden[1]} 条、"
        f"提示 {hidden[2]} 条；每个文件最多列出 {limit} 条，可用 --max-findings 调整），"
        "运行 perfxl validate 可查看全部"
    )
    consolidation.problems.append(Problem("info", "", shown, "", "", "", message))


class _Decimals(dict):
    """The Decimal of each figure text of one ledger, made on first sight.

    A county's 100,000 figures are a few thousand distinct texts ("1", "0.8142", …), and
    Decimal(text) cost a fifth of build_ledger. Decimals are immutable, so entries may
    share one. Only texts are kept (a float key would let -0.0 stand for 0.0), and the
    dict lives as long as the one build_ledger call: at most one entry per distinct
    figure text of the records it is handed, which are in memory anyway."""

    def __missing__(self, text: Any) -> Decimal:
        value = Decimal(text)
        if type(text) is str:
            self[text] = value
        return value


def _project(shown: str, table: dict[str, Any], dec=Decimal) -> ProjectEntry:
    # once per table of the county, warm runs included: figures converted inline
    department = (table["department"] or table["unit"] or NO_DEPARTMENT).strip()
    budget, received, spent = table["budget"], table["received"], table["spent"]
    execution, completion = table["execution_rate"], table["completion_rate"]
    deviation, reported = table["deviation"], table["reported_total"]
    return ProjectEntry(
        shown,
        table["sheet"],
        (table["project"] or "").strip(),
        department,
        (table["unit"] or "").strip(),
        None if budget is None else dec(budget),
        None if received is None else dec(received),
        None if spent is None else dec(spent),
        None if execution is None else dec(execution),
        None if completion is None else dec(completion),
        None if deviation is None else dec(deviation),
        dec(table["total"]),
        table["grade"],
        None if reported is None else dec(reported),
        table["reported_grade"],
        table["errors"],
        table["warnings"],
    )


def _monitored(
    consolidation: Consolidation, shown: str, table: dict[str, Any], first: dict
) -> tuple[Any, list[Problem]]:
    """A monitoring table's ledger row and problems; the same project of the same round
    sent again is listed, flagged and not counted (keyed apart from 自评表 projects)."""
    from perfxl.batch.monitored import monitoring_entry

    entry = monitoring_entry(shown, table, NO_DEPARTMENT)
    problems = [
        Problem(sev, code, shown, entry.department, entry.project, loc, msg)
        for sev, code, loc, msg in table["findings"]
    ]
    key = ("monitoring", entry.month, entry.department, entry.unit, entry.project)
    if entry.project and key in first:
        earlier = first[key]
        entry.note = f"与“{earlier}”为同一项目同一轮监控，疑似重复提交，未计入监控汇总"
        entry.counted, entry.errors = False, entry.errors + 1
        message = (
            f"同一单位的项目“{entry.project}”本轮监控表已在“{earlier}”中提交，请核实后只保留一份"
        )
        problems.append(
            Problem("error", SAME_PROJECT, shown, entry.department, entry.project,
                    f"{entry.sheet}!A1", message)
        )  # fmt: skip
    elif entry.project:
        first[key] = f"{shown}（{entry.sheet}）"
    consolidation.monitored.append(entry)
    return entry, problems


def _flag(entry: ProjectEntry, note: str) -> ProjectEntry:
    """Mark a repeated project as not counted. The entry was just built for this table
    and is shared with nobody, so it is changed in place (dataclasses.replace cost a
    tenth of a warm run on the benchmark county, where most project names repeat)."""
    entry.note, entry.counted, entry.errors = note, False, entry.errors + 1
    return entry


def _same_content(
    consolidation: Consolidation, shown: str, record: dict[str, Any], earlier: str
) -> None:
    reason = f"与“{earlier}”内容完全相同，属重复提交，未计入汇总"
    consolidation.problems.append(Problem("error", SAME_CONTENT, shown, "", "", "", reason))
    consolidation.files.append(
        FileEntry(shown, record["size"], record["sha256"], REJECTED, reason, errors=1)
    )


def _file_entry(shown: str, record: dict[str, Any], errors: int, warnings: int) -> FileEntry:
    payload = record["payload"]
    if payload["rejected"]:
        status, reason = REJECTED, payload["reason"]
    else:
        status = PROCESSED
        parts = [f"{errors} 个错误"] if errors else []
        parts += [f"{warnings} 个警告"] if warnings else []
        reason = f"含 {'、'.join(parts)}，见问题清单" if parts else ""
    return FileEntry(
        shown,
        record["size"],
        record.get("sha256", ""),
        status,
        reason,
        tables=len(payload["tables"]) + len(payload.get("monitoring", ())),
        errors=errors,
        warnings=warnings,
    )


def shown_paths(locations: list[str], inputs: list[str]) -> list[str]:
    """How each file (by absolute path) is named in the summary: relative to the folder
    it was found under, with "/" separators.

    Relative names keep the summary the same wherever the county folder is mounted;
    with several input folders each name is prefixed by its folder's own name. A name
    that is not UTF-8 (GBK bytes from a Windows zip) is shown decoded, see
    perfxl.batch.names; `locations` and `inputs` are the names as the OS gave them.
    """
    roots = []
    for given in inputs:
        root = os.path.abspath(given)
        if os.path.isdir(root):
            label = os.path.basename(root) + "/" if len(inputs) > 1 else ""
            roots.append((root.rstrip(os.sep) + os.sep, label))
    shown = []
    for location in locations:
        name = None
        for prefix, label in roots:
            if location.startswith(prefix):
                name = label + location[len(prefix) :].replace(os.sep, "/")
                break
        shown.append(display(name if name is not None else Path(location).name))
    return shown
