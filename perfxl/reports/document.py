"""A small layer over python-docx: Chinese fonts, the outline's headings, prompts for the
clerk, plain tables, and writing the file the house way (temp file + rename, never over
an existing file unless asked).

Formatting of the engine's figures lives here too, so both reports print a rate, a
score and an amount the same way (two decimals, as perfxl.report's text table does).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from perfxl.batch.atomic import publish

PROMPT_MARK = "【请填写"
BODY_FONT, HEADING_FONT = "宋体", "黑体"


class ReportExists(Exception):
    """The output exists and --force was not given."""


def pct(value: Decimal | None) -> str:
    """A fraction as a percentage with two decimals; “—” when the engine had none."""
    return "—" if value is None else f"{value * 100:.2f}%"


def num(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _east_asian(run, font: str) -> None:
    run.font.name = font
    props = run._element.get_or_add_rPr()
    fonts = props.find(qn("w:rFonts"))
    if fonts is None:
        fonts = props.makeelement(qn("w:rFonts"), {})
        props.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


class Draft:
    """A report being written: title, headings, paragraphs, prompts, tables."""

    def __init__(self, title: str):
        self.doc = Document()
        style = self.doc.styles["Normal"]
        style.font.size = Pt(12)
        style.font.name = BODY_FONT
        style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
        self.doc.core_properties.title = title
        self.doc.core_properties.author = "perfxl"
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(title)
        run.bold = True
        run.font.size = Pt(18)
        _east_asian(run, HEADING_FONT)

    def heading(self, text: str, level: int = 1) -> None:
        """一、… (level 1) and （一）… (level 2), bold in 黑体 as the seeds print them."""
        para = self.doc.add_paragraph()
        run = para.add_run(text)
        run.bold = True
        run.font.size = Pt(15 if level == 1 else 13)
        _east_asian(run, HEADING_FONT)

    def para(self, text: str) -> None:
        para = self.doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(24)
        _east_asian(para.add_run(text), BODY_FONT)

    def prompt(self, what: str) -> None:
        """A passage only the clerk can write, marked so it is never handed on unfilled."""
        para = self.doc.add_paragraph()
        para.paragraph_format.first_line_indent = Pt(24)
        run = para.add_run(f"{PROMPT_MARK}：{what}】")
        run.italic = True
        _east_asian(run, BODY_FONT)

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        for col, text in enumerate(header):
            cell = table.rows[0].cells[col]
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for r, row in enumerate(rows, start=1):
            cells = table.rows[r].cells
            for col, text in enumerate(row):
                cells[col].text = text
        for row in table.rows:
            for cell in row.cells:
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(10)
                    _east_asian(run, BODY_FONT)

    def picture(self, png: bytes, caption: str) -> None:
        """A centred picture 14 cm wide with its caption below."""
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(png), width=Cm(14))
        self.doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(caption)
        run.font.size = Pt(10)
        _east_asian(run, BODY_FONT)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def write_document(draft: Draft, output: str | Path, force: bool = False) -> Path:
    """Write the draft to `output` through a temporary file and a rename; an existing
    file is replaced only with `force` (a clerk's edited draft is not lost by a rerun)."""
    output = Path(output)
    if output.is_dir():
        raise ReportExists(f"“{output}”是文件夹，请给出 .docx 文件名")
    if (output.exists() or output.is_symlink()) and not force:
        raise ReportExists(f"“{output}”已存在；如需覆盖，请加 --force")
    return publish(output, draft.to_bytes())
