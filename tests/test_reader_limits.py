"""Sheets that reach absurdly far: one stray cell must not cost the file, or the process.

python-calamine allocates a sheet's whole used range, so a space typed at XFD1048576
made it ask for 512 GiB and abort. Such a sheet is now read bounded, with a PX005
warning that names the far cell; the reading of a far-reaching sheet runs in a child
process, so that a regression fails one test instead of killing the whole run.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from perfxl.findings import Severity
from perfxl.reader import WorkbookRead, read_workbook
from perfxl.reader.extent import far_cells, last_row, too_large
from perfxl.reader.grid import load
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS

D = Decimal
S2 = "机关运行补助项目"  # seed 002's sheet
S3 = "援疆工作经费项目"  # seed 003's sheet
MB = 1024  # ru_maxrss is in KB on Linux

CHILD = textwrap.dedent(
    """
    import pickle, resource, sys
    from pathlib import Path
    from perfxl.reader import read_workbook
    import openpyxl, python_calamine  # imported before the baseline: not the read's cost

    path, out, refuse = sys.argv[1], sys.argv[2], sys.argv[3] == "refuse"
    if refuse:  # calamine refuses the file: the openpyxl fallback must bound it too
        import perfxl.reader.grid as grid

        def _refuse(*_args):
            raise RuntimeError("calamine refused")

        grid._load_calamine = _refuse
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    read = read_workbook(path)
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    Path(out).write_bytes(pickle.dumps((read, grown)))
    """
)


def _seed(path: Path, *keys: str) -> Path:
    write_workbook([SEEDS[k] for k in keys], path)
    return path


def _with_cells(source: Path, path: Path, cells: dict[str, dict[str, Any]]) -> Path:
    """A copy of `source` with extra cells, {sheet: {ref: value}}, saved by openpyxl."""
    wb = openpyxl.load_workbook(source)
    for sheet, values in cells.items():
        for ref, value in values.items():
            wb[sheet][ref] = value
    wb.save(path)
    return path


def _read_in_child(path: Path, tmp_path: Path, refuse: bool = False) -> tuple[WorkbookRead, int]:
    """read_workbook(path) in a child process, and how much its peak memory grew (KB)."""
    out = tmp_path / "read.pickle"
    args = [sys.executable, "-c", CHILD, str(path), str(out), "refuse" if refuse else "-"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return pickle.loads(out.read_bytes())


def _limited(read: WorkbookRead) -> list[str]:
    return [f.message for f in read.findings if f.code == "PX005"]


@pytest.mark.parametrize(
    ("ref", "value"), [("XFD1048576", " "), ("A1000000", "x"), ("T1048576", 0)]
)
def test_one_far_cell_reads_like_the_seed(tmp_path: Path, ref: str, value: Any) -> None:
    seed = _seed(tmp_path / "seed.xlsx", "002")
    path = _with_cells(seed, tmp_path / "far.xlsx", {S2: {ref: value}})
    read, grown = _read_in_child(path, tmp_path)
    assert grown < 200 * MB
    assert read.tables == read_workbook(seed).tables  # every figure as in the seed
    (table,) = read.tables
    assert (len(table.indicators), table.reported_total) == (18, D("87.26"))
    assert [f.code for f in read.findings] == ["PX005"]
    (found,) = read.findings
    assert found.severity == Severity.WARNING and found.where == str(path)
    assert f"工作表“{S2}”的已用区域异常大（至 {ref}）" in found.message
    assert "只读取了前 2000 行、60 列；请删除表格以外的多余内容" in found.message


def test_openpyxl_fallback_is_bounded_too(tmp_path: Path) -> None:
    seed = _seed(tmp_path / "seed.xlsx", "002")
    path = _with_cells(seed, tmp_path / "far.xlsx", {S2: {"XFD1048576": " "}})
    read, grown = _read_in_child(path, tmp_path, refuse=True)
    assert grown < 200 * MB
    assert read.tables == read_workbook(seed).tables
    assert len(_limited(read)) == 1 and "XFD1048576" in _limited(read)[0]


def test_far_cell_on_a_hidden_sheet_is_not_read(tmp_path: Path) -> None:
    seed = _seed(tmp_path / "seed.xlsx", "002", "003")
    path = _with_cells(seed, tmp_path / "far.xlsx", {S2: {"XFD1048576": " "}})
    wb = openpyxl.load_workbook(path)
    wb[S2].sheet_state = "hidden"
    wb.save(path)
    read, _ = _read_in_child(path, tmp_path)
    assert [t.sheet for t in read.tables] == [S3]
    assert read.findings == []


def test_only_the_far_sheet_is_read_bounded(tmp_path: Path, monkeypatch) -> None:
    """Row 6000 is past the limit yet cheap for calamine, so this runs in-process."""
    seed = _seed(tmp_path / "seed.xlsx", "002", "003")
    path = _with_cells(seed, tmp_path / "far.xlsx", {S3: {"A6000": "备注"}})
    bounded: list[str] = []
    import perfxl.reader.grid as grid

    original = grid._bounded_rows

    def spy(sheet: Any) -> list[list[Any]]:
        bounded.append(sheet.title)
        return original(sheet)

    monkeypatch.setattr(grid, "_bounded_rows", spy)
    read = read_workbook(path)
    assert bounded == [S3]
    assert read.tables == read_workbook(seed).tables
    (message,) = _limited(read)
    assert f"工作表“{S3}”的已用区域异常大（至 A6000）" in message


def test_wide_sheet_is_read_bounded(tmp_path: Path) -> None:
    """32 rows × 16,384 columns is over 500,000 cells: bounded although short."""
    seed = _seed(tmp_path / "seed.xlsx", "002")
    path = _with_cells(seed, tmp_path / "wide.xlsx", {S2: {"XFD5": "x"}})
    read = read_workbook(path)
    assert read.tables == read_workbook(seed).tables
    assert "（至 XFD5）" in _limited(read)[0]


def test_ordinary_wide_columns_are_not_limited(tmp_path: Path) -> None:
    seed = _seed(tmp_path / "seed.xlsx", "002")
    path = _with_cells(seed, tmp_path / "zz.xlsx", {S2: {"ZZ30": "x", "A300": "y"}})
    read = read_workbook(path)
    assert read.findings == []
    assert read.tables == read_workbook(seed).tables


def test_formulas_of_a_bounded_sheet_are_found(tmp_path: Path) -> None:
    seed = _seed(tmp_path / "seed.xlsx", "002")
    path = _with_cells(seed, tmp_path / "far.xlsx", {S2: {"H13": "=G13", "A6000": "x"}})
    (grid,) = load(path).grids
    assert grid.formulas == frozenset({(12, 7)})
    assert len(grid.rows) == 32  # the empty rows down to 2000 are dropped
    (table,) = read_workbook(path).tables
    assert table.indicators[0].score_formula  # no cache: openpyxl writes none


# --------------------------------------------------------------------------- the estimate


def _sheet(rows: str, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    return f"<{p}worksheet><{p}sheetData>{rows}</{p}sheetData></{p}worksheet>".encode()


def _row(r: int, *refs: str, prefix: str = "") -> str:
    p = f"{prefix}:" if prefix else ""
    cells = "".join(f'<{p}c r="{ref}"><{p}v>1</{p}v></{p}c>' for ref in refs)
    return f'<{p}row r="{r}">{cells}</{p}row>'


ESTIMATES = {  # name: (sheet part, last row, too large)
    "40 rows": (_sheet(_row(1, "A1") + _row(40, "I40")), 40, False),
    "5000 rows": (_sheet(_row(5000, "A5000")), 5000, False),
    "5001 rows": (_sheet(_row(5001, "A5001")), 5001, True),
    "30 rows to XFD": (_sheet(_row(30, "XFD30")), 30, False),  # 30 × 16,384 < 500,000
    "31 rows to XFD": (_sheet(_row(31, "XFD31")), 31, True),
    "100 rows to AAA": (_sheet(_row(100, "AAA100")), 100, False),  # 100 × 703
    "712 rows to AAA": (_sheet(_row(712, "AAA712")), 712, True),  # 712 × 703 > 500,000
    "600 rows to ZZ": (_sheet(_row(600, "ZZ600")), 600, False),
    "1000 rows to ZZ": (_sheet(_row(1000, "ZZ1000")), 1000, True),
    "1000 rows to AB": (_sheet(_row(1000, "AB1000")), 1000, False),
    "prefixed": (_sheet(_row(9000, "A9000", prefix="x"), prefix="x"), 9000, True),
    "no numbers": (_sheet("<row><c><v>1</v></c></row>" * 3), 3, False),
    "r not first": (_sheet("".join(f'<row spans="1:1" r="{r}"/>' for r in (1, 6000))), 6000, True),
    "empty far row": (
        _sheet('<row r="2"><c r="A2"/></row><row r="1048576" ht="20"/>'),
        1048576,
        True,
    ),
    "empty": (_sheet(""), 0, False),
    # rows and cells without r after a numbered table: counted on from the highest
    "bare rows after the table": (
        _sheet(_row(40, "I40") + "<row><c><v>1</v></c></row>" * 5000),
        5040,
        True,
    ),
    "bare cells wide": (_sheet(_row(40, "I40") + "<row>" + "<c/>" * 12_501 + "</row>"), 41, True),
    "bare cells narrow": (_sheet(_row(40, "I40") + "<row>" + "<c/>" * 12 + "</row>"), 41, False),
    "far row first": (_sheet(_row(1048576, "ZZ1048576") + _row(40, "A40")), 1048576, True),
    "far cell in a near row": (_sheet('<row r="3"><c r="A9000"><v>1</v></c></row>'), 9000, True),
    "single quotes": (_sheet("<row r='9000'><c r='A9000'><v>1</v></c></row>"), 9000, True),
    "spaces around =": (_sheet('<row r = "9000"><c r = "A9000"/></row>'), 9000, True),
    "lower-case reference": (_sheet('<row r="2"><c r="xfd2"/></row>' * 31), 2, False),
    "reference past XFD": (_sheet('<row r="40"><c r="ZZZZ40"/></row>'), 40, True),
    "row number past int": (_sheet('<row r="99999999999999999999"/>'), 10**9, True),
    # r far into a long tag; tags never closed (read once each, not to the end every time)
    "r after long spaces": (
        _sheet('<row r="1"><c' + " " * 100_000 + 'r="XFD9000"/></row>'),
        9000,
        True,
    ),
    "tags never closed": (_sheet("<c " * 100_000), 1, False),
    # calamine takes the last of two r attributes on a cell
    "second r on a cell": (_sheet('<row r="1"><c r="A1" t="n" r="ZZ99999"/></row>'), 99999, True),
    "second r on a row": (_sheet('<row r="1" r="9999"><c r="A1"/></row>'), 9999, True),
}


@pytest.mark.parametrize("case", list(ESTIMATES))
def test_extent_estimate(case: str) -> None:
    xml, rows, large = ESTIMATES[case]
    assert (last_row(xml), too_large(xml)) == (rows, large)


def test_far_cells_names_what_is_far() -> None:
    assert far_cells(_sheet(_row(3, "A3", "I3") + _row(1048576, "XFD1048576"))) == "XFD1048576"
    assert far_cells(_sheet(_row(5, "A5", "XFD5") + _row(9000, "B9000"))) == "B9000、XFD5"
    assert far_cells(_sheet(_row(2, "A2") + '<row r="1048576" ht="20"/>')) == "第 1048576 行"


def test_a_zip_that_lies_about_its_sizes_is_rejected_after_bounded_blocks(tmp_path):
    """The central directory claims 7 KB for a sheet that inflates to 32 MB: checking it
    in 1 MiB blocks stops at the first block past the claim, and the file is rejected
    (calamine would inflate the whole stream)."""
    import zipfile

    from perfxl.reader.archive import ArchiveProblem, Budget, inflate

    seed = tmp_path / "seed.xlsx"
    write_workbook([SEEDS["002"]], seed)
    source = zipfile.ZipFile(seed)
    path = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data + b" " * (32 << 20)
            out.writestr(info.filename, data)
        for info in out.filelist:
            if info.filename == "xl/worksheets/sheet1.xml":
                info.file_size = 7_000  # the lie, written into the central directory
    read = read_workbook(path)  # must not raise nor inflate 32 MB at once
    assert [f.code for f in read.findings] == ["PX001"]
    assert "xl/worksheets/sheet1.xml" in read.findings[0].message
    assert not read.tables
    honest = tmp_path / "honest.zip"  # an honest member larger than the budget
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("big.xml", b" " * (3 << 20))
    data = honest.read_bytes()
    with zipfile.ZipFile(honest) as big, pytest.raises(ArchiveProblem):
        inflate(data, big.getinfo("big.xml"), Budget(1 << 20), keep=False)


def test_a_calamine_panic_fails_over_to_openpyxl(tmp_path: Path, monkeypatch) -> None:
    """pyo3 raises a Rust panic as PanicException, a BaseException: it must cost calamine
    the file (openpyxl reads it), never the command."""
    import perfxl.reader.grid as grid

    class PanicException(BaseException):  # the name pyo3 gives its panics
        pass

    def panic(*_args):
        raise PanicException("called `Option::unwrap()` on a `None` value")

    seed = _seed(tmp_path / "seed.xlsx", "002")
    expected = read_workbook(seed).tables
    monkeypatch.setattr(grid, "_load_calamine", panic)
    assert read_workbook(seed).tables == expected


def test_keyboard_interrupt_is_not_swallowed(tmp_path: Path, monkeypatch) -> None:
    import perfxl.reader.grid as grid

    def interrupt(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(grid, "_load_calamine", interrupt)
    with pytest.raises(KeyboardInterrupt):
        read_workbook(_seed(tmp_path / "seed.xlsx", "002"))
