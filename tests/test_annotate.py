"""Annotated copies: problem cells filled and commented, a linked 校验结果 sheet, the
source never touched."""

import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import python_calamine

from perfxl.annotate import annotate_workbook
from perfxl.excel.sheet import MARKS_SHEET, RESULTS_HEADER, RESULTS_SHEET
from perfxl.findings import Finding, Severity
from perfxl.model import CellRef
from perfxl.profiles import load_profile
from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.validation import check_file

SHEET = "援疆工作经费项目"


@pytest.fixture
def seed003(tmp_path) -> Path:
    path = tmp_path / "in" / "seed003.xlsx"
    write_workbook([SEEDS["003"]], path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_annotated_copy_of_seed003(seed003, tmp_path):
    before = digest(seed003)
    findings = check_file(seed003, load_profile("xj-60")).all_findings
    dst = annotate_workbook(seed003, tmp_path / "out" / "seed003.xlsx", findings)
    assert digest(seed003) == before  # the input is never modified
    assert sorted(p.name for p in dst.parent.iterdir()) == ["seed003.xlsx"]  # no temp left

    wb = openpyxl.load_workbook(dst)
    ws = wb[SHEET]
    for cell in ("H20", "H36"):  # PX020 on the printed 2.7, PX021 on the printed total
        assert ws[cell].fill.fgColor.rgb == "FFFFC000"
        assert ws[cell].comment.author == "perfxl"
    assert "PX020" in ws["H20"].comment.text and "2.7" in ws["H20"].comment.text
    assert "PX021" in ws["H36"].comment.text
    assert ws["H31"].comment is None  # xj-60 agrees with the printed 0 there
    assert wb.active.title == SHEET
    assert wb[MARKS_SHEET].sheet_state == "veryHidden"

    results = wb[RESULTS_SHEET]
    rows = list(results.iter_rows(values_only=True))
    assert rows[0] == RESULTS_HEADER
    assert len(rows) == len(findings) + 1
    assert [r[0] for r in rows[1:]] == [f.code for f in findings]
    for r, finding in enumerate(findings, start=2):
        assert (
            results[f"B{r}"].value
            == {"error": "错误", "warning": "警告", "info": "提示"}[finding.severity]
        )
        assert results[f"D{r}"].value == finding.message
        if finding.cell is not None:
            link = results[f"C{r}"].hyperlink
            assert link.location == f"'{finding.cell.sheet}'!{finding.cell.a1}"
    assert results.freeze_panes == "A2"
    assert results.auto_filter.ref == f"A1:D{len(rows)}"
    assert results.column_dimensions["D"].width >= 40


def test_errors_are_red_and_several_findings_share_a_comment(seed003, tmp_path):
    cell = CellRef(SHEET, 14, 5)
    findings = [
        Finding("PX104", Severity.WARNING, "分值合计不等于 100", cell),
        Finding("PX010", Severity.ERROR, "年度指标值无法识别：≥abc", cell),
        Finding("PX130", Severity.INFO, "定量指标占比 60%", CellRef(SHEET, 15, 5)),
    ]
    dst = annotate_workbook(seed003, tmp_path / "a.xlsx", findings)
    ws = openpyxl.load_workbook(dst)[SHEET]
    assert ws["E14"].fill.fgColor.rgb == "FFFF7C80"  # the worst finding decides: error
    text = ws["E14"].comment.text
    assert "[警告] PX104" in text and "[错误] PX010" in text
    assert ws["E15"].comment is not None and ws["E15"].fill.fill_type is None  # info: no fill


def test_formula_like_text_is_written_as_text(seed003, tmp_path):
    messages = ["=SUM(A1:A3)", "+86 电话", "-5 分", "@所有人"]
    findings = [Finding("PX999", Severity.WARNING, m, CellRef(SHEET, 13 + i, 5)) for i, m in
                enumerate(messages)]  # fmt: skip
    findings.append(Finding("PX001", Severity.ERROR, "=1+1", where="=cmd|' /C calc'!A0"))
    dst = annotate_workbook(seed003, tmp_path / "a.xlsx", findings)
    with zipfile.ZipFile(dst) as z:
        names = z.namelist()
        sheets = [z.read(n) for n in names if n.startswith("xl/worksheets/sheet")]
    assert not any(b"<f>" in xml for xml in sheets)  # no formula anywhere in the copy
    with python_calamine.CalamineWorkbook.from_path(str(dst)) as book:
        values = book.get_sheet_by_name(RESULTS_SHEET).to_python()
    column_d = [row[3] for row in values[1:]]
    assert column_d == [*messages, "=1+1"]
    assert values[-1][2] == "=cmd|' /C calc'!A0"


def test_findings_without_a_cell_or_on_a_missing_sheet(seed003, tmp_path):
    findings = [
        Finding("PX002", Severity.ERROR, "未找到绩效指标表", where=str(seed003)),
        Finding("PX020", Severity.WARNING, "另一张表", CellRef("不存在的表", 3, 3)),
    ]
    dst = annotate_workbook(seed003, tmp_path / "a.xlsx", findings)
    results = openpyxl.load_workbook(dst)[RESULTS_SHEET]
    assert results["C2"].hyperlink is None and results["C3"].hyperlink is None
    assert results["C3"].value == "不存在的表!C3"


def test_no_findings_still_gives_a_results_sheet(seed003, tmp_path):
    dst = annotate_workbook(seed003, tmp_path / "a.xlsx", [])
    wb = openpyxl.load_workbook(dst)
    assert list(wb[RESULTS_SHEET].iter_rows(values_only=True)) == [RESULTS_HEADER]
    assert MARKS_SHEET not in wb.sheetnames


def test_reannotating_an_annotated_copy(seed003, tmp_path):
    findings = check_file(seed003, load_profile("mof2020")).all_findings
    first = annotate_workbook(seed003, tmp_path / "a.xlsx", findings)
    second = annotate_workbook(first, tmp_path / "b.xlsx", findings[:1])
    wb = openpyxl.load_workbook(second)
    marked = [r for r in wb[MARKS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert len(marked) == 1
    assert wb.sheetnames.count(RESULTS_SHEET) == 1
    cell = findings[0].cell
    assert wb[cell.sheet][cell.a1].comment.text.count("perfxl 校验") == 1


def test_refuses_to_overwrite_the_source(seed003):
    with pytest.raises(ValueError, match="原文件"):
        annotate_workbook(seed003, seed003, [])
    with pytest.raises(ValueError, match="格式"):
        annotate_workbook(seed003, seed003.with_suffix(".xlsm"), [])


def test_xlsm_keeps_its_vba_project(tmp_path):
    import xlwings

    src = tmp_path / "book.xlsm"
    shutil.copy(Path(xlwings.__file__).parent / "quickstart.xlsm", src)
    with zipfile.ZipFile(src) as z:
        vba = z.read("xl/vbaProject.bin")
    sheet = openpyxl.load_workbook(src).sheetnames[0]
    finding = Finding("PX020", Severity.WARNING, "测试", CellRef(sheet, 1, 1))
    dst = annotate_workbook(src, tmp_path / "out.xlsm", [finding])
    with zipfile.ZipFile(dst) as z:
        assert z.read("xl/vbaProject.bin") == vba


def test_libreoffice_opens_the_annotated_copy(seed003, tmp_path, soffice):
    findings = check_file(seed003, load_profile("xj-60")).all_findings
    dst = annotate_workbook(seed003, tmp_path / "a.xlsx", findings)
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "xlsx", "--outdir", str(out), str(dst)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    wb = openpyxl.load_workbook(out / "a.xlsx")
    assert RESULTS_SHEET in wb.sheetnames
    rows = list(wb[RESULTS_SHEET].iter_rows(values_only=True))
    assert rows[0] == RESULTS_HEADER and len(rows) == len(findings) + 1
