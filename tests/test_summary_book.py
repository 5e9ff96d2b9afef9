"""perfxl.summary.book zips XlsxWriter's own parts: the same members, in the same order,
with the same bytes inside, as plain XlsxWriter writes; only the deflate differs."""

from __future__ import annotations

import io
import zipfile

import openpyxl
from xlsxwriter.workbook import Workbook

from perfxl.summary.book import SummaryBook
from perfxl.summary.table import ListSheet

OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _fill(book: Workbook) -> None:
    """A list body (text that needs escaping, floats, gaps) and a scatter chart on it,
    plus a column chart on cells written the plain way (floats: the library's path)."""
    ws = book.add_worksheet("项目", worksheet_class=ListSheet)
    ws.write_string(0, 0, "名称")
    fmt = book.add_format({"num_format": "0.00%"})
    rows = [
        ("A&B <一>", 0.5, 0.25),
        (" 前后空格 ", None, 1.0),
        ("_x0041_ 字面", 1e-05, 123456789.125),
        ("控制\x01字符", 0.1 + 0.2, None),
    ]
    ws.set_body(0, [book.add_format({}), fmt, fmt], rows)
    scatter = book.add_chart({"type": "scatter"})
    scatter.add_series({"categories": ["项目", 1, 1, 4, 1], "values": ["项目", 1, 2, 4, 2]})
    ws.insert_chart(6, 4, scatter)
    other = book.add_worksheet("其他")
    for n, value in enumerate((3, 1.5, 0)):
        other.write_number(n, 0, value)
    other.write_string(3, 0, "非数字")
    column = book.add_chart({"type": "column"})
    column.add_series({"values": ["其他", 0, 0, 3, 0]})
    other.insert_chart(1, 3, column)


def test_same_parts_as_xlsxwriter():
    ours = SummaryBook(dict(OPTIONS))
    _fill(ours)
    ours.close()
    buffer = io.BytesIO()
    plain = Workbook(buffer, {**OPTIONS, "in_memory": True})
    _fill(plain)
    plain.close()
    mine, theirs = zipfile.ZipFile(io.BytesIO(ours.package)), zipfile.ZipFile(buffer)
    assert mine.testzip() is None
    assert [i.filename for i in mine.infolist()] == [i.filename for i in theirs.infolist()]
    for info in theirs.infolist():
        assert mine.read(info.filename) == theirs.read(info.filename), info.filename
    assert any(i.compress_type == zipfile.ZIP_DEFLATED for i in mine.infolist())
    chart = mine.read("xl/charts/chart1.xml").decode()
    assert '<c:pt idx="2"><c:v>1e-05</c:v></c:pt>' in chart  # the fast cache ran
    values = list(openpyxl.load_workbook(io.BytesIO(ours.package))["项目"].values)
    assert values[1] == ("A&B <一>", 0.5, 0.25)


def test_repeated_and_signed_zero_figures_keep_their_text():
    """ListSheet remembers the text of a figure it wrote; -0.0 equals 0.0 as a key, so
    zeros are never remembered: -0.0 stays "-0" as XlsxWriter writes it."""
    book = SummaryBook(dict(OPTIONS))
    ws = book.add_worksheet("表", worksheet_class=ListSheet)
    fmt = book.add_format({})
    ws.set_body(0, [fmt, fmt], [(0.0, -0.0), (-0.0, 0.0), (0.95, 0.95), (1 / 3, 1 / 3)])
    book.close()
    sheet = zipfile.ZipFile(io.BytesIO(book.package)).read("xl/worksheets/sheet1.xml").decode()
    values = [v.split("<")[0] for v in sheet.split("<v>")[1:]]
    assert values == [
        "0",
        "-0",
        "-0",
        "0",
        "0.95",
        "0.95",
        "0.3333333333333333",
        "0.3333333333333333",
    ]


def test_list_body_cells_are_numbered_and_typed_per_cell():
    """ListSheet renders a column at a time with a placeholder for the row number: a
    NUL typed in a text must not take the number's place, and a column holding both
    texts and numbers keeps each cell's type."""
    book = SummaryBook(dict(OPTIONS))
    ws = book.add_worksheet("表", worksheet_class=ListSheet)
    fmt = book.add_format({})
    ws.set_body(0, [fmt, fmt], [("a\x00b", 1.5), (2.0, None), (None, "末")])
    book.close()
    sheet = zipfile.ZipFile(io.BytesIO(book.package)).read("xl/worksheets/sheet1.xml").decode()
    body = sheet[sheet.index('<row r="2">') : sheet.index("</sheetData>")]
    style = body.split(' s="')[1].split('"')[0]
    assert body == (
        f'<row r="2"><c r="A2" s="{style}" t="inlineStr"><is><t>a_x0000_b</t></is></c>'
        f'<c r="B2" s="{style}"><v>1.5</v></c></row>'
        f'<row r="3"><c r="A3" s="{style}"><v>2</v></c></row>'
        f'<row r="4"><c r="B4" s="{style}" t="inlineStr"><is><t>末</t></is></c></row>'
    )
