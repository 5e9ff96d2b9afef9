"""The grade-distribution chart of the county report, as a PNG for Word.

python-docx cannot make a native Word chart, so the chart is drawn by matplotlib (Agg,
no display needed) and inserted as a picture beside the table that carries the same
counts. Chinese labels need a Chinese font: the usual ones of Windows offices and Linux
desktops are tried in turn; where none is installed no picture is drawn (boxes instead
of 优良中差 would mislead) and the table alone stands.
"""

from __future__ import annotations

import io

CJK_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "DengXian",
    "SimSun",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
)


def chinese_font() -> str | None:
    """The first installed font of CJK_FONTS, or None."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def grade_chart_png(counts: list[tuple[str, int]]) -> bytes | None:
    """A column chart of projects per grade (the counts given, in their order), or None
    when no Chinese font is installed."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    font = chinese_font()
    if font is None:
        return None
    figure = Figure(figsize=(6, 3.2), dpi=150)
    axes = figure.add_subplot()
    grades = [grade for grade, _ in counts]
    values = [n for _, n in counts]
    bars = axes.bar(grades, values, color="#4472C4")
    axes.bar_label(bars, labels=[str(n) for n in values], fontname=font)
    axes.set_title("项目等级分布", fontname=font)
    axes.set_xlabel("等级", fontname=font)
    axes.set_ylabel("项目数", fontname=font)
    for label in axes.get_xticklabels():
        label.set_fontname(font)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_ylim(0, max([*values, 1]) * 1.15)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()
