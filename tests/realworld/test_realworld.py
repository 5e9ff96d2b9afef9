"""Published 自评表 from many provinces, transcribed as printed, scored end to end.

Each case in cases/*.yml is one real table (its source address is in the file). The
workbook is built at test time (build.py), read and scored through the library API
into the same JSON document `perfxl score --format json` prints, and every expected
figure — worked out by hand in the case's comments, never copied from perfxl — is
checked. All mismatches of a case are reported together.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from perfxl.api import score_file
from perfxl.report import to_json

HERE = Path(__file__).resolve().parent
_spec = importlib.util.spec_from_file_location("realworld_build", HERE / "build.py")
build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build)

CASE_FILES = sorted(build.CASES.glob("*.yml"))
MIN_CASES = 15
MIN_PROVINCES = 7


def _params() -> list[Any]:
    params = []
    for path in CASE_FILES:
        marks = []
        try:
            pending = build.load_case(path).get("pending")
        except Exception:  # a broken case fails in its own test, with the reason
            pending = None
        if pending:
            marks.append(pytest.mark.xfail(strict=True, reason=str(pending)))
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


def _same(expected: Any, got: Any) -> bool:
    if expected is None or got is None:
        return expected is got
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(got, (int, float)) and abs(float(expected) - float(got)) < 1e-9
    return expected == got


def score_workbook(case: dict[str, Any], workbook: Path) -> dict:
    """Read and score one built workbook: the file's part of the `perfxl score` JSON."""
    document = json.loads(to_json([score_file(workbook, build.profile_arg(case))]))
    (file,) = document["files"]
    return file


def score_case(case: dict[str, Any], name: str, workdir: Path) -> tuple[dict, list[dict]]:
    """Build, read and score one case: its table's JSON and the file-level findings."""
    file = score_workbook(case, build.build_case(case, name, workdir))
    return file, file["findings"]


@pytest.fixture(scope="session")
def libreoffice_books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every `saved_by: libreoffice` case re-saved by ONE soffice run (start-up is most of
    the cost), keyed by case name. Requested only after the `soffice` fixture let the test run."""
    workdir = tmp_path_factory.mktemp("realworld-lo")
    written = []
    for path in CASE_FILES:
        try:
            case = build.load_case(path)
        except Exception:  # reported by the case's own test
            continue
        if case.get("saved_by") == "libreoffice":
            written.append(build.write_openpyxl(case, workdir / "openpyxl" / f"{path.stem}.xlsx"))
    if not written:
        return {}
    return build.resave_libreoffice_all(written, workdir / "libreoffice")


def check(case: dict[str, Any], file: dict) -> list[str]:
    """Every difference between the case's expectations and perfxl's document."""
    problems: list[str] = []
    sheet = case.get("sheet") or "Sheet1"
    tables = [t for t in file["tables"] if t["sheet"] == sheet]
    codes_file = [f["code"] for f in file["findings"]]
    if len(tables) != 1:
        found = [t["sheet"] for t in file["tables"]]
        return [f"expected one table on sheet {sheet!r}, found {found}; file findings {codes_file}"]
    (table,) = tables
    expected = case["expected"]

    for key in ("total", "grade", "execution_rate", "completion_rate", "deviation"):
        if key in expected and not _same(expected[key], table[key]):
            problems.append(f"{key}: expected {expected[key]!r}, got {table[key]!r}")
    for key, field in (("reported_total", "reported_total"), ("reported_grade", "reported_grade")):
        if key in expected and not _same(expected[key], table[field]):
            problems.append(
                f"{key} (printed, read): expected {expected[key]!r}, got {table[field]!r}"
            )

    got_rows = table["indicators"]
    want_rows = expected.get("indicators")
    if want_rows is not None:
        got_names = [r["name"] for r in got_rows]
        want_names = [r["name"] for r in want_rows]
        if got_names != want_names:
            problems.append(f"indicator names: expected {want_names}, got {got_names}")
        # Figures are compared by name (the n-th row of that name), so one extra or missing
        # row reports itself once above instead of shifting every comparison after it.
        unused = list(got_rows)
        for index, want in enumerate(want_rows, start=1):
            got = next((r for r in unused if r["name"] == want["name"]), None)
            if got is None:
                problems.append(f"indicator #{index} {want['name']!r} missing")
                continue
            unused.remove(got)
            label = f"indicator #{index} {want['name']!r} ({got.get('cell', '')})"
            for key in ("rate", "score"):
                if key in want and not _same(want[key], got[key]):
                    problems.append(
                        f"{label} {key}: expected {want[key]!r}, got {got[key]!r}"
                        f" [target {got['target']!r}, actual {got['actual']!r},"
                        f" weight {got['weight']!r}, method {got['method']!r}]"
                    )

    names = {str(r["name"]).strip() for r in got_rows}
    for text in expected.get("not_indicators") or []:
        if str(text).strip() in names:
            problems.append(f"{text!r} became an indicator (it is not one)")

    findings = table["findings"] + file["findings"]
    codes = {f["code"] for f in findings}
    for code in expected.get("findings") or []:
        if code not in codes:
            problems.append(f"finding {code} expected, not raised (raised: {sorted(codes)})")
    for code in expected.get("no_findings") or []:
        for f in findings:
            if f["code"] == code:
                problems.append(f"finding {code} must not be raised: {f['cell']} {f['message']}")
    return problems


@pytest.mark.parametrize("path", _params())
def test_case(path: Path, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    case = build.load_case(path)
    if case.get("saved_by", "openpyxl") == "libreoffice":
        request.getfixturevalue("soffice")  # skips locally without LibreOffice, fails in CI
        books = request.getfixturevalue("libreoffice_books")
        assert path.stem in books, f"LibreOffice did not re-save {path.name}"
        file = score_workbook(case, books[path.stem])
    else:
        file, _ = score_case(case, path.stem, tmp_path)
    problems = check(case, file)
    assert not problems, f"{path.name}: {len(problems)} mismatch(es)\n  " + "\n  ".join(problems)


def test_corpus_sources_are_complete() -> None:
    """Every case names where it was published; the corpus spans enough provinces."""
    problems = []
    provinces = set()
    for path in CASE_FILES:
        source = build.load_case(path)["source"] or {}
        for key in ("url", "title", "province", "year"):
            if not source.get(key):
                problems.append(f"{path.name}: source.{key} missing")
        url = str(source.get("url", ""))
        if url and not url.startswith(("http://", "https://")):
            problems.append(f"{path.name}: source.url is not an address: {url!r}")
        year = source.get("year")
        if year and not (isinstance(year, int) and 2015 <= year <= 2030):
            problems.append(f"{path.name}: source.year {year!r} is not a budget year")
        if source.get("province"):
            provinces.add(source["province"])
    assert not problems, "\n".join(problems)
    assert len(CASE_FILES) >= MIN_CASES, f"{len(CASE_FILES)} cases, at least {MIN_CASES} needed"
    assert len(provinces) >= MIN_PROVINCES, f"provinces {sorted(provinces)}: {MIN_PROVINCES} needed"


def test_build_keeps_text_that_looks_like_a_formula(tmp_path: Path) -> None:
    """A printed target "=100%" must reach the workbook as text, or every case lies."""
    from openpyxl import load_workbook

    case = {"sheet": "S", "rows": [["=100%", 1.0259, "46.5万"]], "number_formats": {"B1": "0.00%"}}
    path = build.write_openpyxl(case, tmp_path / "t.xlsx")
    sheet = load_workbook(path)["S"]
    assert sheet["A1"].value == "=100%" and sheet["A1"].data_type == "s"
    assert sheet["B1"].value == 1.0259 and sheet["B1"].number_format == "0.00%"
    assert sheet["C1"].value == "46.5万"
