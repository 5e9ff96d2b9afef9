"""Differential fuzzing of the plain templates against the engine (issue 14 item 2).

Random but valid tables (tests/differential/generate.py) for every shipped profile and
the regression cases (regressions.yaml) are typed into plain templates, recalculated by
LibreOffice in one session, and every rate, score, total, grade, completion rate and
deviation is held to `perfxl score` on the same workbook (tests/differential/harness.py).

The default run types DEFAULT_ROWS rows per profile (a few hundred in all); the full run
is `pytest -m slow tests/differential` (SLOW_ROWS per profile). Both are seeded, so a
disagreement is reproduced by its seed; the harness prints each with the typed inputs
of its row, ready to be kept in regressions.yaml.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import require_soffice

from differential.generate import Book, Row, books
from differential.harness import describe, run
from perfxl.profiles import available_profiles, load_profile

HERE = Path(__file__).resolve().parent
PROFILES = ("mof2020", "xj-prop", "xj-60", "hubei")
DEFAULT_SEED, DEFAULT_ROWS = 20261130, 75
SLOW_SEED = int(os.environ.get("PERFXL_DIFF_SEED", "1"))
SLOW_ROWS = int(os.environ.get("PERFXL_DIFF_ROWS", "2500"))


def regressions() -> list[Book]:
    cases = yaml.safe_load((HERE / "regressions.yaml").read_text(encoding="utf-8"))
    found = []
    for case in cases:
        rows = [Row(**row) for row in case["rows"]]
        found.append(Book(case["name"], case["profile"], case["form"], case["funds"], rows))
    return found


def _report(found, by_key) -> str:
    lines = []
    for key in dict.fromkeys(d.book for d in found):
        lines.append(describe(by_key[key], [d for d in found if d.book == key]))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    require_soffice()
    drawn = [b for p in PROFILES for b in books(load_profile(p), DEFAULT_SEED, DEFAULT_ROWS)]
    kept = regressions()
    found = run(drawn + kept, tmp_path_factory.mktemp("differential"))
    return drawn, kept, found


def test_shipped_profiles_are_all_fuzzed():
    assert set(PROFILES) == set(available_profiles())


@pytest.mark.parametrize("profile", PROFILES)
def test_random_rows_match_the_engine(default_run, profile):
    drawn, _, found = default_run
    mine = [b for b in drawn if b.profile == profile]
    assert sum(len(b.rows) for b in mine) >= DEFAULT_ROWS
    keys = {b.key: b for b in mine}
    wrong = [d for d in found if d.book in keys]
    assert not wrong, f"{len(wrong)} disagreements:\n{_report(wrong, keys)}"


@pytest.mark.parametrize("case", [b.key for b in regressions()])
def test_regression_case(default_run, case):
    _, kept, found = default_run
    keys = {b.key: b for b in kept}
    wrong = [d for d in found if d.book == case]
    assert not wrong, _report(wrong, keys)


@pytest.mark.slow
def test_thousands_of_rows_match_the_engine(tmp_path):
    """The full run: SLOW_ROWS rows per shipped profile (PERFXL_DIFF_ROWS, seed
    PERFXL_DIFF_SEED), printed as one line of figures."""
    require_soffice()
    drawn = [b for p in PROFILES for b in books(load_profile(p), SLOW_SEED, SLOW_ROWS)]
    found = run(drawn, tmp_path)
    rows = sum(len(b.rows) for b in drawn)
    print(f"\ndifferential: seed {SLOW_SEED}, {len(drawn)} books, {rows} rows, "
          f"{len(found)} disagreements")  # fmt: skip
    keys = {b.key: b for b in drawn}
    assert not found, f"{len(found)} disagreements:\n{_report(found[:50], keys)}"
