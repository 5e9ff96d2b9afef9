"""The monitor templates, recalculated by LibreOffice, against the monitoring engine.

Hand-worked books (tests/monitor_template_cases.py: the issue's golden 220/87.57 → 黄,
the exact boundaries v = 0.6 and 0.8, progress 0.6, 0.8 and 1.2) and a seeded
differential set of random books are typed into the committed plain and udf monitor
templates, recalculated by LibreOffice (the udf ones with PERF_* answered by
perfxl.excel.udfs through the Basic bridge of tests/test_template_libreoffice.py), and
every computed cell — 序时进度, each funds row's 执行率, v, the execution light, each
row's 进度 and 灯, the project light — is held to perfxl.monitoring.engine judging the
same inputs. Without `soffice` the tests skip (fail in CI), like the other templates'.
"""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import require_soffice
from libreoffice_uno import _uno_python
from monitor_template_cases import (
    BOUNDARIES,
    BOUNDARY_LIGHTS,
    GOLDEN,
    HAND,
    MonBook,
    engine_table,
    fill,
    random_books,
)
from test_template_libreoffice import PERFXL_PATHS, UDF_DRIVER, _uno_env, basic_module

from perfxl.libreoffice import RECALC_ALWAYS, convert
from perfxl.monitoring import lights
from perfxl.monitoring.engine import score_monitoring
from perfxl.profiles import load_profile
from perfxl.template import monitor_layout as M

ROOT = Path(__file__).resolve().parents[1]
SEED, BOOKS, ROWS = 20261130, 8, 12  # 96 random rows over 8 months, in the default run
BOOKS_UNDER_TEST = {**HAND, **{b.key: b for b in random_books(SEED, BOOKS, ROWS)}}
PROFILE = "mof2020"


def template(mode: str) -> Path:
    return ROOT / "workbook_templates" / f"{PROFILE}_monitor_{mode}.xlsx"


def _fill_all(root: Path, mode: str) -> dict[str, Path]:
    return {
        key: fill(book, template(mode), root / "filled" / f"{key}.xlsx")
        for key, book in BOOKS_UNDER_TEST.items()
    }


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> dict[str, Path]:
    """book key -> its plain template recalculated by LibreOffice."""
    require_soffice()
    root = tmp_path_factory.mktemp("monitor-lo")
    filled = _fill_all(root, "plain")
    out = root / "recalculated"
    done = convert(list(filled.values()), "xlsx", out, timeout=240)
    for path in filled.values():
        assert (out / path.name).is_file(), f"{path.name}: {done.stdout} {done.stderr}"
    return {key: out / path.name for key, path in filled.items()}


@pytest.fixture(scope="module")
def udf(tmp_path_factory) -> dict[str, Path]:
    """book key -> its udf template recalculated with PERF_* answered by perfxl."""
    require_soffice()
    python = _uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno bridge (python3-uno)")
    env = _uno_env(*PERFXL_PATHS)
    root = tmp_path_factory.mktemp("monitor-lo-udf")
    filled = _fill_all(root, "udf")
    profile_dir = root / "lo-profile"
    (profile_dir / "user").mkdir(parents=True)
    (profile_dir / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, "utf-8")
    module = root / "PerfxlUdfs.bas"
    module.write_text(basic_module(), encoding="utf-8")
    driver = root / "driver.py"
    driver.write_text(UDF_DRIVER, encoding="utf-8")
    out = root / "recalculated"
    out.mkdir()
    done = subprocess.run(
        [*python, str(driver), profile_dir.as_uri(), str(module), str(out),
         *(str(p) for p in filled.values())],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["calls"] > 0
    return {key: out / path.name for key, path in filled.items()}


def _blank(value: object) -> bool:
    return value is None or value == ""


def _same(shown: object, expected: object, where: str) -> str | None:
    """None when the cell shows the engine's figure or word, else what differs."""
    if expected is None:
        return None if _blank(shown) else f"{where}: engine blank, sheet {shown!r}"
    if isinstance(expected, str):
        return None if shown == expected else f"{where}: engine {expected!r}, sheet {shown!r}"
    if isinstance(shown, bool) or not isinstance(shown, int | float):
        return f"{where}: engine {expected}, sheet {shown!r}"
    if abs(Decimal(str(shown)) - Decimal(expected)) >= Decimal("1e-9"):
        return f"{where}: engine {expected}, sheet {shown!r}"
    return None


def disagreements(book: MonBook, calc: Path) -> list[str]:
    """Every computed cell of one recalculated book that differs from the engine."""
    profile = load_profile(PROFILE)
    result = score_monitoring(engine_table(book), profile)
    ws = openpyxl.load_workbook(calc, data_only=True)[M.SHEET]
    found: list[str | None] = []
    month = book.month
    progress = None if month is None else lights.time_progress(month)
    found.append(_same(ws[M.PROGRESS_CELL].value, progress, "序时进度"))
    label = "1-N月执行数" if month is None else f"1-{month}月执行数"
    found.append(_same(ws[f"{M.FUNDS_COLUMNS['spent']}{M.FUNDS_HEADER_ROW}"].value, label, "表头"))
    found.append(_same(ws[M.funds_ref("rate")].value, result.execution_rate, "执行率"))
    found.append(_same(ws[M.funds_ref("progress")].value, result.execution_ratio, "执行进度比"))
    light = None if result.execution_light is None else str(result.execution_light)
    found.append(_same(ws[M.funds_ref("light")].value, light, "执行灯"))
    source = M.FUNDS_SOURCE_ROWS[0]
    spent, budget, initial = (
        None if book.sources.get(k) is None else Decimal(str(book.sources[k]))
        for k in ("spent", "budget", "initial_budget")
    )
    expected = lights.execution_rate(spent, budget, initial, profile.rate_digits)
    found.append(_same(ws[M.funds_ref("rate", source)].value, expected, "财政拨款执行率"))
    for n, judged in enumerate(result.rows):
        r = M.FIRST_ROW + n
        where = f"row {r} {judged.row.name} ({judged.kind})"
        found.append(_same(ws[M.ref("progress", r)].value, judged.progress, f"{where} 进度"))
        word = None if judged.light is None else str(judged.light)
        found.append(_same(ws[M.ref("light", r)].value, word, f"{where} 灯"))
    for r in range(M.FIRST_ROW + len(result.rows), M.LAST_ROW + 1):
        for key in ("progress", "light"):
            found.append(_same(ws[M.ref(key, r)].value, None, f"blank row {r}"))
    project = None if result.light is None else str(result.light)
    found.append(_same(ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value, project, "项目灯"))
    return [f"{book.key} {d}" for d in found if d]


@pytest.mark.parametrize("mode", ["plain", "udf"])
def test_every_book_matches_the_engine(mode, request):
    books = request.getfixturevalue(mode)
    wrong = [d for key, calc in books.items() for d in disagreements(BOOKS_UNDER_TEST[key], calc)]
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong[:40])


def test_the_random_books_cover_every_light_and_kind():
    """The differential set is worth its time only if it reaches every branch."""
    profile = load_profile(PROFILE)
    results = [score_monitoring(engine_table(b), profile) for b in BOOKS_UNDER_TEST.values()]
    rows = [row for result in results for row in result.rows]
    assert {row.light for row in rows} >= set(lights.Light)
    assert {row.kind for row in rows} >= {
        lights.RowKind.PRORATED, lights.RowKind.LEVEL, lights.RowKind.CEILING,
        lights.RowKind.QUALITATIVE,
    }  # fmt: skip
    assert {r.execution_light for r in results} >= set(lights.Light) - {lights.Light.BLUE}
    assert any(row.predicted_short for row in rows)
    typed = [r for b in BOOKS_UNDER_TEST.values() for r in b.rows if isinstance(r.actual, str)]
    assert sum(1 for r in typed if r.actual[:1].isdigit()) >= 10  # 180人, 96%
    on_the_line = [r.progress for r in rows if r.progress in (Decimal("0.6"), Decimal("1.2"))]
    assert len(on_the_line) >= 3


@pytest.mark.parametrize("mode", ["plain", "udf"])
def test_golden_by_hand(mode, request):
    """The issue's golden case: 87.57 of 220 by June is 39.80%, v 0.796 → 黄."""
    ws = openpyxl.load_workbook(request.getfixturevalue(mode)[GOLDEN.key], data_only=True)[M.SHEET]
    assert ws[M.PROGRESS_CELL].value == pytest.approx(0.5)
    assert ws[M.funds_ref("rate")].value == pytest.approx(0.398)
    assert ws[M.funds_ref("progress")].value == pytest.approx(0.796)
    assert ws[M.funds_ref("light")].value == "黄"
    assert ws[M.funds_ref("rate", M.FUNDS_SOURCE_ROWS[0])].value == pytest.approx(0.4)
    lights_shown = [ws[M.ref("light", M.FIRST_ROW + n)].value for n in range(6)]
    assert lights_shown == ["红", "绿", "红", "黄", "蓝", "红"]
    progress = [ws[M.ref("progress", M.FIRST_ROW + n)].value for n in range(6)]
    # 50/100, 96/95, 2100/2000, none, 80/50, 93/90
    assert progress[:3] == [pytest.approx(0.5), pytest.approx(1.0105), pytest.approx(1.05)]
    assert _blank(progress[3]) and progress[4:] == [pytest.approx(1.6), pytest.approx(1.0333)]
    assert ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value == "红"
    assert ws[M.ref("actual", M.HEADER_ROW)].value == "1-6月实际完成值"


@pytest.mark.parametrize("mode", ["plain", "udf"])
def test_boundaries_by_hand(mode, request):
    books = request.getfixturevalue(mode)
    ws = openpyxl.load_workbook(books[BOUNDARIES.key], data_only=True)[M.SHEET]
    assert ws[M.funds_ref("light")].value == "黄"  # v = 0.1 ÷ 2/12 = 0.6 exactly
    shown = [ws[M.ref("light", M.FIRST_ROW + n)].value for n in range(len(BOUNDARY_LIGHTS))]
    assert shown == BOUNDARY_LIGHTS
    assert ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value == "红"  # 丁
    ws = openpyxl.load_workbook(books["eight"], data_only=True)[M.SHEET]
    assert ws[M.funds_ref("light")].value == "绿"  # v = 0.6 ÷ 0.75 = 0.8 exactly
    assert ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value == "绿"  # no rows: execution alone
    ws = openpyxl.load_workbook(books["no-month"], data_only=True)[M.SHEET]
    assert _blank(ws[M.PROGRESS_CELL].value) and _blank(ws[M.funds_ref("light")].value)
    assert ws[M.funds_ref("rate")].value == pytest.approx(0.6)
    assert _blank(ws[M.ref("light", M.FIRST_ROW)].value)  # pro-rated: needs the month
    assert ws[M.ref("light", M.FIRST_ROW + 1)].value == "红"  # 45/90 = 0.5
    assert ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value == "红"


# --- the monitoring reader's view: perfxl score on a filled, saved template -------------


def _score_json(path: Path) -> dict:
    from click.testing import CliRunner

    from perfxl.cli import main

    done = CliRunner().invoke(main, ["score", "--format", "json", "-p", PROFILE, str(path)])
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    return json.loads(done.stdout)


@pytest.mark.parametrize("mode", ["plain", "udf"])
def test_perfxl_score_reads_the_filled_template_as_a_monitoring_table(mode, request):
    """Every book as a clerk would hand it in (filled, recalculated, saved): `perfxl
    score --format json` finds one monitoring table with the lights its cells show."""
    for key, calc in request.getfixturevalue(mode).items():
        book = BOOKS_UNDER_TEST[key]
        (found,) = _score_json(calc)["files"]
        (table,) = found["tables"]
        ws = openpyxl.load_workbook(calc, data_only=True)[M.SHEET]
        assert table["kind"] == "monitoring", key
        assert table["month"] == book.month and table["year"] == book.year, key
        assert table["execution_light"] == (ws[M.funds_ref("light")].value or None), key
        assert table["light"] == (ws[M.ref("light", M.PROJECT_LIGHT_ROW)].value or None), key
        rate = ws[M.funds_ref("rate")].value
        assert table["execution_rate"] == (None if _blank(rate) else pytest.approx(rate)), key
        shown = [
            (ws[M.ref("light", M.FIRST_ROW + n)].value or None,
             ws[M.ref("progress", M.FIRST_ROW + n)].value)
            for n in range(len(book.rows))
        ]  # fmt: skip
        read = [(i["light"], i["progress"]) for i in table["indicators"]]
        assert len(read) == len(shown), key
        for (light, progress), (cell_light, cell_progress) in zip(read, shown, strict=True):
            assert light == cell_light, (key, read, shown)
            expected = None if _blank(cell_progress) else pytest.approx(cell_progress)
            assert progress == expected, (key, read, shown)


@pytest.mark.slow
def test_many_random_books_match_the_engine(tmp_path):
    """The long run (`pytest -m slow`): PERFXL_MONITOR_BOOKS books of 30 rows, seeded by
    PERFXL_DIFF_SEED, through the plain template."""
    require_soffice()
    seed = int(os.environ.get("PERFXL_DIFF_SEED", "1"))
    books = random_books(seed, int(os.environ.get("PERFXL_MONITOR_BOOKS", "100")), 30)
    filled = {
        b.key: fill(b, template("plain"), tmp_path / "filled" / f"{b.key}.xlsx") for b in books
    }
    out = tmp_path / "recalculated"
    convert(list(filled.values()), "xlsx", out, timeout=600)
    wrong = [d for b in books for d in disagreements(b, out / filled[b.key].name)]
    assert not wrong, f"{len(wrong)} disagreements:\n" + "\n".join(wrong[:40])
