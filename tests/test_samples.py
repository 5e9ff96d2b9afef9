"""The seed fixtures are golden inputs: a rebuild must give what is committed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "examples" / "seeds"
SCRIPT = ROOT / "scripts" / "build_seed_fixtures.py"


def _snapshot(path: Path) -> dict[str, tuple[list[tuple[object, ...]], list[str]]]:
    wb = openpyxl.load_workbook(path)
    return {
        ws.title: (
            [tuple(c.value for c in row) for row in ws.iter_rows()],
            sorted(str(r) for r in ws.merged_cells.ranges),
        )
        for ws in wb.worksheets
    }


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seeds")
    subprocess.run([sys.executable, str(SCRIPT), str(out)], check=True, capture_output=True)
    return out


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_rebuild_matches_committed(rebuilt: Path, key: str) -> None:
    name = f"seed{key}.xlsx"
    assert (COMMITTED / name).exists(), "run scripts/build_seed_fixtures.py and commit"
    new, old = _snapshot(rebuilt / name), _snapshot(COMMITTED / name)
    assert new.keys() == old.keys()
    for title in old:
        assert new[title][0] == old[title][0], f"{name}/{title}: cell values differ"
        assert new[title][1] == old[title][1], f"{name}/{title}: merged ranges differ"


@pytest.mark.parametrize("key", sorted(SEEDS))
def test_weights_add_up_to_100(key: str) -> None:
    assert sum(r.weight or 0 for r in SEEDS[key].rows) == pytest.approx(100)


def test_rebuild_is_byte_identical(tmp_path: Path) -> None:
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_workbook([SEEDS["002"]], a)
    write_workbook([SEEDS["002"]], b)
    assert a.read_bytes() == b.read_bytes()


def test_xlsm_opens_in_both_readers(tmp_path: Path) -> None:
    path = tmp_path / "all.xlsm"
    write_workbook(list(SEEDS.values()), path, sheet_names=["a", "b", "c", "d"])
    assert openpyxl.load_workbook(path).sheetnames == ["a", "b", "c", "d"]
    assert openpyxl.load_workbook(path, keep_vba=True).sheetnames == ["a", "b", "c", "d"]
    rows = python_calamine.CalamineWorkbook.from_path(path).get_sheet_by_index(3).to_python()
    assert rows[0][0] == "项目支出绩效自评表"


def test_variants(tmp_path: Path) -> None:
    path = tmp_path / "v.xlsx"
    write_workbook(
        [SEEDS["003"]],
        path,
        traditional=True,
        level1_points=True,
        spacer_rows=True,
        header_variant="synonyms",
    )
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "項目支出績效自評表"
    assert [ws.cell(12, c).value for c in range(2, 9)] == [
        "一級指標", "二級指標", "三級指標", "指標值", "實際值", "權重", "得分",
    ]  # fmt: skip
    assert ws["B13"].value == "決策(21分)"
    assert all(ws.cell(19, c).value is None for c in range(2, 10))  # spacer after 决策
    assert ws["B20"].value == "過程(19分)"
    assert ws["D13"].value == "立项依据充分性"  # project texts stay as written
