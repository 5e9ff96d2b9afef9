"""Render a filled template to PNG for the README: LibreOffice → PDF → pdftoppm.

Builds the xj-60 evaluation template, types seed 003's figures into it, lets
LibreOffice recalculate and print it to PDF, and turns the form's first page into docs/template.png.
Needs LibreOffice, poppler-utils (pdftoppm) and a CJK font (fonts-wqy-microhei);
the README image is committed, so only whoever refreshes it needs them.

    python scripts/render_template_png.py [OUT.png]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from perfxl.libreoffice import convert
from perfxl.profiles import load_profile
from perfxl.samples.seeds import SEEDS
from perfxl.template import build_template, fill_template

ROOT = Path(__file__).resolve().parents[1]


def form_page(pdf: Path) -> int:
    """The first page of the form itself (the 填表说明 sheet prints before it)."""
    for page in range(1, 20):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if "项目名称" in text and "三级指标" in text:
            return page
    raise SystemExit("PDF 中没有找到自评表页面")


def render(out_png: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        raise SystemExit("需要 pdftoppm：apt-get install -y poppler-utils fonts-wqy-microhei")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        template = build_template(load_profile("xj-60"), "eval", "plain", work / "template.xlsx")
        filled = fill_template(template, work / "援疆工作经费项目.xlsx", SEEDS["003"])
        done = convert([filled], "pdf", work / "pdf")
        pdf = work / "pdf" / f"{filled.stem}.pdf"
        if not pdf.is_file():
            raise SystemExit(f"LibreOffice 未生成 PDF：{done.stdout} {done.stderr}")
        page = form_page(pdf)
        prefix = work / "page"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "110",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(pdf),
                str(prefix),
            ],
            check=True,
        )
        out_png.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(prefix.with_suffix(".png"), out_png)
    return out_png


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "template.png"
    print(render(target))
