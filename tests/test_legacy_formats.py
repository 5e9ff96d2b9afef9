"""Issue 10 items 7–8: .xls, .xlsb and .ods read like .xlsx; WPS and lock files refused
with a reason; a formula without a saved value named as such.

The .xls and .ods fixtures in tests/fixtures/legacy/ were written by LibreOffice from
the seed workbooks (see the README there); the expected figures are the seed reports'
(tests/test_golden.py): 88.26 良 for seed 002 under xj-prop, 95.73 优 and a deviation
of 13.44 for seed 003 under xj-60.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.discovery import survey
from perfxl.reader import read_workbook
from perfxl.reader.grid import load
from perfxl.reader.legacy import load_legacy
from perfxl.reader.legacy_reach import _records

ROOT = Path(__file__).resolve().parents[1]
LEGACY = ROOT / "tests" / "fixtures" / "legacy"
SEEDS = ROOT / "examples" / "seeds"
FIGURES = {  # seed -> (profile, total, grade, deviation), from the seed reports
    "002": ("xj-prop", 88.26, "良", None),
    "003": ("xj-60", 95.73, "优", 13.44),
}


def score(path: Path, profile: str) -> tuple[int, dict]:
    result = CliRunner().invoke(
        main, ["score", str(path), "--profile", profile, "--format", "json"]
    )
    (file,) = json.loads(result.output)["files"]
    return result.exit_code, file


def without_paths(tables: list[dict]) -> list[dict]:
    """The tables with each finding's `file` (the path scored) left out."""
    for table in tables:
        for found in table["findings"]:
            found.pop("file", None)
    return tables


@pytest.mark.parametrize("suffix", [".xls", ".ods"])
@pytest.mark.parametrize("seed", sorted(FIGURES))
def test_libreoffice_copies_score_as_the_seed_reports(seed: str, suffix: str) -> None:
    profile, total, grade, deviation = FIGURES[seed]
    code, legacy = score(LEGACY / f"seed{seed}{suffix}", profile)
    (table,) = legacy["tables"]
    assert (table["total"], table["grade"]) == (total, grade)
    if deviation is not None:
        assert table["deviation"] == deviation
    # and everything else as the .xlsx it was saved from: rows, rates, findings, cells
    xlsx_code, xlsx = score(SEEDS / f"seed{seed}.xlsx", profile)
    assert code == xlsx_code
    assert without_paths(legacy["tables"]) == without_paths(xlsx["tables"])
    assert legacy["findings"] == xlsx["findings"] == []


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_formula_cells_are_found_in_each_format(suffix: str) -> None:
    """seed003 with formulas in H6 (执行率), G36 and H36 (合计), saved by LibreOffice:
    those three cells are formula cells in every format, so the printed total in a
    formula is not taken as reported (no reported_total), as for .xlsx."""
    path = LEGACY / f"seed003_formulas{suffix}"
    read = load(path) if suffix == ".xlsx" else load_legacy(path)
    (grid,) = read.grids
    assert grid.formulas == {(5, 7), (35, 6), (35, 7)}  # H6, G36, H36, 0-based
    _, scored = score(path, "xj-60")
    (table,) = scored["tables"]
    assert (table["total"], table["grade"], table.get("reported_total")) == (95.73, "优", None)


# --- files that are refused, and why ---------------------------------------------------


def reason(path: Path) -> str:
    read = read_workbook(path)
    assert read.rejected
    (found,) = read.findings
    assert found.code == "PX001"
    return found.message


def test_wps_files_are_asked_to_be_saved_as_xlsx(tmp_path: Path) -> None:
    for name in ("自评表.et", "自评表.wps", "自评表.ETT"):
        path = tmp_path / name
        path.write_bytes(b"\xd0\xcf\x11\xe0 WPS")
        assert "请另存为 .xlsx" in reason(path), name


def test_xls_that_is_not_an_old_workbook(tmp_path: Path) -> None:
    html = tmp_path / "网页.xls"
    html.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", "utf-8")
    assert "网页" in reason(html) and "另存为 .xlsx" in reason(html)
    renamed = tmp_path / "改名.xls"
    shutil.copyfile(SEEDS / "seed003.xlsx", renamed)
    assert "扩展名改为 .xlsx" in reason(renamed)
    cut = tmp_path / "截断.xls"
    cut.write_bytes((LEGACY / "seed003.xls").read_bytes()[:1000])
    assert "旧版 .xls" in reason(cut) and "损坏" in reason(cut)
    text = tmp_path / "文本.ods"
    text.write_text("项目名称,分值", "utf-8")
    assert "扩展名与内容不符" in reason(text)


def _patched_xls(tmp_path: Path, typ: int, patch) -> Path:
    """seed003.xls with the first record of `typ` in its sheet rewritten by `patch`.
    LibreOffice writes the Workbook stream in one run of sectors, so it is patched in
    place in the file."""
    import olefile

    data = bytearray((LEGACY / "seed003.xls").read_bytes())
    with olefile.OleFileIO(LEGACY / "seed003.xls") as ole:
        stream = ole.openstream("Workbook").read()
    base = bytes(data).find(stream)
    assert base > 0
    for offset, found, body in _records(stream):
        if found == typ:
            start = base + offset + 4
            data[start : start + len(body)] = patch(bytes(body))
            break
    else:
        raise AssertionError(f"no record {typ:#x}")
    path = tmp_path / f"patched_{typ:x}.xls"
    path.write_bytes(bytes(data))
    return path


def test_xls_with_a_far_cell_is_refused_before_calamine(tmp_path: Path) -> None:
    # a NUMBER record moved to row 60,000 (0-based 59,999): 60,000 rows > MAX_ROWS 5,000
    far = _patched_xls(tmp_path, 0x0203, lambda b: struct.pack("<H", 59_999) + b[2:])
    assert "异常大" in reason(far) and "60000" in reason(far)
    # DIMENSIONS declaring 4,000,000,000 rows: calamine would reserve room for them all
    lying = _patched_xls(
        tmp_path, 0x0200, lambda b: b[:4] + struct.pack("<I", 4_000_000_000) + b[8:]
    )
    assert "异常大" in reason(lying)


def _ods_with(tmp_path: Path, name: str, rows: str) -> Path:
    source = zipfile.ZipFile(LEGACY / "seed003.ods")
    members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for member, data in members:
            if member == "content.xml":
                text = data.decode()
                at = text.index("</table:table>")
                data = (text[:at] + rows + text[at:]).encode()
            archive.writestr(zipfile.ZipInfo(member), data, zipfile.ZIP_DEFLATED)
    return path


CELL = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'


def test_ods_reach_counts_repeats_up_to_the_last_value(tmp_path: Path) -> None:
    # LibreOffice itself ends each sheet with ~1M empty repeated rows: not counted
    trailing = '<table:table-row table:number-rows-repeated="900000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
    assert not read_workbook(_ods_with(tmp_path, "空行.ods", trailing)).rejected
    # one value after 1,048,539 + 60,000 empty rows; a value after 16,000 empty cells;
    # a value repeated over 1,000 columns and 1,000 rows (1,000,000 cells > MAX_CELLS)
    far = f'<table:table-row table:number-rows-repeated="60000"><table:table-cell/></table:table-row><table:table-row>{CELL}</table:table-row>'
    wide = f'<table:table-row><table:table-cell table:number-columns-repeated="16000"/>{CELL}</table:table-row>'
    repeated = CELL.replace(
        "<table:table-cell ", '<table:table-cell table:number-columns-repeated="1000" '
    )
    block = f'<table:table-row table:number-rows-repeated="1000">{repeated}</table:table-row>'
    for name, rows in (("远.ods", far), ("宽.ods", wide), ("重复.ods", block)):
        assert "异常大" in reason(_ods_with(tmp_path, name, rows)), name


def test_ods_bomb_is_refused_by_the_archive_budget(tmp_path: Path) -> None:
    big = "<table:table-row/>" * 2_000_000  # 36 MB of rows, a few KB packed
    path = _ods_with(tmp_path, "炸弹.ods", big)
    assert path.stat().st_size < 200_000
    assert "解压后过大" in reason(path)


# --- lock files, discovery, annotated copies ---------------------------------------------


def test_lock_file_given_by_name_says_the_workbook_is_open(tmp_path: Path) -> None:
    lock = tmp_path / "~$自评表.xlsx"
    lock.write_bytes(b"\x05zhangsan" + bytes(150))
    for command in ("score", "validate"):
        result = CliRunner().invoke(main, [command, str(lock)])
        assert result.exit_code == 1, result.output
        assert "正在 Excel 中打开" in result.output, command
    assert "正在 Excel 中打开" in reason(lock)  # the library too


def test_discovery_lists_the_formats_read_and_the_wps_ones(tmp_path: Path) -> None:
    for name in ("a.xls", "b.xlsb", "c.ods", "d.et", "e.wps", "~$f.xls", "g.csv", "h.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    listed = sorted(p.name for p in survey([tmp_path]).files)
    assert listed == ["a.xls", "b.xlsb", "c.ods", "d.et", "e.wps", "h.xlsx"]


def test_validate_folder_scores_legacy_files_and_annotates_them_as_xlsx(tmp_path: Path) -> None:
    folder = tmp_path / "各单位"
    folder.mkdir()
    shutil.copyfile(LEGACY / "seed003.xls", folder / "援疆.xls")
    shutil.copyfile(LEGACY / "seed002.ods", folder / "机关.ods")
    (folder / "旧表.et").write_bytes(b"x")
    out = tmp_path / "标注"
    runner = CliRunner()
    result = runner.invoke(
        main, ["validate", str(folder), "--profile", "xj-60", "--annotate", str(out)]
    )
    assert result.exit_code == 1, result.output
    assert "旧表.et: PX001" in result.output and "请另存为 .xlsx" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["援疆.xlsx", "机关.xlsx"]
    copy = openpyxl.load_workbook(out / "援疆.xlsx")
    assert copy.sheetnames[:2] == ["援疆工作经费项目", "说明"]
    assert "援疆.xls 转存为 .xlsx" in copy["说明"]["A1"].value
    sheet = copy["援疆工作经费项目"]
    assert sheet["B3"].value == "援疆工作经费项目"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}  # the title's merge
    # the copy scores as its source: 95.73 under xj-60 (seed report 003)
    _, scored = score(out / "援疆.xlsx", "xj-60")
    assert scored["tables"][0]["total"] == 95.73
    assert (folder / "援疆.xls").read_bytes() == (LEGACY / "seed003.xls").read_bytes()


# --- item 8: a formula without a saved result ---------------------------------------------


def test_formula_without_saved_result_is_named_not_blank(tmp_path: Path) -> None:
    """seed003 with formulas written by openpyxl, which saves no results: the project
    name (=封面!B2), 全年执行数 F6, an actual F24 and a target E25 read as empty. Each gets
    PX009 with the message of issue 10, and none of them "未填写". A formula whose
    saved result is an empty text (Excel's t="str" <v></v>) is not flagged."""
    book = openpyxl.load_workbook(SEEDS / "seed003.xlsx")
    sheet = book["援疆工作经费项目"]
    book.create_sheet("封面")["B2"] = "援疆工作经费项目"
    sheet["B3"], sheet["F6"], sheet["F24"], sheet["E25"] = "=封面!B2", "=D6", "=E24", "=E26"
    path = tmp_path / "脚本生成.xlsx"
    book.save(path)
    result = CliRunner().invoke(main, ["validate", str(path), "--profile", "xj-60"])
    lines = [line for line in result.output.splitlines() if "PX022" not in line]
    unsaved = [line for line in lines if "PX009" in line]
    message = "公式未保存计算结果，请在 Excel/WPS 中打开后保存"
    assert [line.split(": ")[0].rsplit("!", 1)[1] for line in unsaved] == ["B3", "F6", "F24", "E25"]
    assert all(line.endswith(f"PX009 {message}") for line in unsaved)
    assert not [line for line in lines if "未填写" in line], lines
    assert result.exit_code == 1  # PX009 is an error: the figures are not there

    # the same cells with a saved empty text result, as Excel writes =IF(…,"",…)
    saved = tmp_path / "已保存.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(saved, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":  # openpyxl: <v/> or <v></v>
                data, count = re.subn(
                    rb'<c r="F24"([^>]*)><f>E24</f>(?:<v\s*/>|<v></v>)</c>',
                    rb'<c r="F24"\1 t="str"><f>E24</f><v></v></c>',
                    data,
                )
                assert count == 1
            target.writestr(info, data)
    again = CliRunner().invoke(main, ["validate", str(saved), "--profile", "xj-60"])
    assert "F24: PX009" not in again.output and "F24: PX011" in again.output
    assert "F6: PX009" in again.output


# --- .xlsb: LibreOffice cannot write it; an Excel-saved pair from calamine's tests ------


def test_excel_xlsb_reads_as_its_xlsx_twin() -> None:
    """calamine's tests/issues.xlsb and issues.xlsx (the same workbook saved by Excel in
    both formats): every sheet's values and formula cells are the same."""
    xlsb = load_legacy(LEGACY / "calamine_issues.xlsb")
    xlsx = load(LEGACY / "calamine_issues.xlsx")
    assert xlsb.problem is None and xlsb.sheet_problems == {}
    twins = {g.name: g for g in xlsx.grids}
    assert sorted(g.name for g in xlsb.grids) == sorted(twins)
    for grid in xlsb.grids:
        assert grid.rows == twins[grid.name].rows, grid.name
        assert grid.formulas == twins[grid.name].formulas, grid.name
    assert sum(len(g.formulas) for g in xlsb.grids) == 5  # the twin has five formula cells
    # no indicator table in it: read, then PX002 (not a damaged file)
    assert [f.code for f in read_workbook(LEGACY / "calamine_issues.xlsb").findings] == ["PX002"]


def _first_record(part: bytes, wanted: int) -> int:
    """Where the body of the first record of type `wanted` starts in an .xlsb part
    (MS-XLSB 2.1.4: type in 1–2 bytes, size in 1–4, 7 bits each, low first)."""
    at = 0
    while at < len(part):
        values = []
        for most in (2, 4):
            value = shift = 0
            for _ in range(most):
                byte = part[at]
                at += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if not byte & 0x80:
                    break
            values.append(value)
        typ, size = values
        if typ == wanted:
            return at
        at += size
    raise AssertionError(f"no record {wanted}")


def test_xlsb_with_a_far_row_is_refused(tmp_path: Path) -> None:
    """A BrtRowHdr (record 0, row number first) moved to row 60,000 in sheet1.bin."""
    source = zipfile.ZipFile(LEGACY / "calamine_issues.xlsb")
    members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    path = tmp_path / "远.xlsb"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            if name == "xl/worksheets/sheet1.bin":
                body = _first_record(data, 0)  # BrtRowHdr
                data = data[:body] + struct.pack("<I", 59_999) + data[body + 4 :]
            archive.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    assert "异常大" in reason(path) and "60000" in reason(path)
