"""The 填表说明 of the monitoring template: how to fill it and its lights in words.

Every threshold in the sentences comes from the profile's [monitoring] settings, so the
guide says what the formulas compute.
"""

from __future__ import annotations

from perfxl.monitoring.engine import LEVEL_WORDS
from perfxl.profiles.settings import MonitoringSettings
from perfxl.template.expr import num
from perfxl.template.monitor_layout import CAUSES, LIKELIHOOD


def _pct(value) -> str:
    return f"{num(value * 100)}%"


def guide_lines(s: MonitoringSettings, mode: str) -> list[tuple[str, list[str]]]:
    """(heading, sentences) of each part of the guide."""
    fill = [
        "在“监控月份”下拉列表中选择监控截至的月份（如 6 表示 1-6 月），表头的“1-N月执行数”“1-N月实际完成值”随之显示该月份。",
        "资金栏以万元填写：年初预算数、全年预算数（调整后）、截至监控月份的执行数和全年预计执行数；“其中：财政拨款”“其他资金”两行按来源分列。",
        "每个三级指标一行：指标性质选 ≥、≤、等于 或 定性；年度指标值填数字（百分比填 95 而非 95%），计量单位从下拉列表选择；定性指标的年度指标值填文字。perfxl 读表时把三栏合为一个指标值（如 ≥200人）。",
        "“1-N月实际完成值”填截至监控月份的累计完成数，与年度指标值同单位（填数字，或数字加本行计量单位，如 180人；其他写法由 perfxl 读取，单元格显示为红色）；定性指标选择 达成 / 部分达成 / 未达成。“全年预计完成值”填预计全年能达到的数。",
        f"偏差原因分析从下拉列表选择主要原因（{' / '.join(CAUSES)}）；完成目标可能性选择 {' / '.join(LIKELIHOOD)}。",
        "红灯、黄灯或完成目标可能性为“有可能”“完全不可能”的指标须填写原因说明和改进措施（未填时单元格显示为橙色）；红灯还须选择偏差原因。",
    ]
    red, yellow, blue = (_pct(x) for x in (s.indicator_red, s.indicator_yellow, s.indicator_blue))
    rules = [
        "序时进度 = 监控月份 ÷ 12（如 5 月为 41.67%）。",
        "执行率 = 1-N月执行数 ÷ 全年预算数（全年预算数未填或为 0 时用年初预算数）。",
        f"预算执行灯：进度 = 执行率 ÷ 序时进度，低于 {num(s.execution_red)} 为红灯，低于 {num(s.execution_yellow)} 为黄灯，其余为绿灯。",
        "数量、金额等累计类指标（≥）：进度 = 实际完成值 ÷（年度指标值 × 序时进度）；百分比（计量单位为 %），以及二级指标或名称中含“"
        + "”“".join(LEVEL_WORDS)
        + "”等字的比率、满意度类指标不按序时折算：进度 = 实际完成值 ÷ 年度指标值。",
        f"指标灯：进度低于 {red} 为红灯，低于 {yellow} 为黄灯，达到 {blue} 及以上为蓝灯（完成大幅超前，指标值可能定得偏低），其余为绿灯。",
        "≤ 指标（上限、成本控制）：实际完成值不超过指标值为绿灯，超过为红灯；定性指标：达成 绿灯，部分达成 黄灯，未达成 红灯。",
        "填写了全年预计完成值而预计达不到指标值（≤ 指标为超过指标值）时，该指标至少为黄灯；完成目标可能性 确定能 绿灯、有可能 黄灯、完全不可能 红灯，取较差者。",
        "项目灯取预算执行灯与各指标灯中最差者（红 最差，其次 黄、蓝，绿 最好）。",
    ]
    if mode == "udf":
        rules.append(
            "本表的序时进度和各灯由 perfxl 的 PERF_TIME_PROGRESS、PERF_MONITOR_LIGHT 函数计算，需安装 perfxl 加载项。"
        )
    else:
        rules.append(
            "本表用普通公式计算，WPS、LibreOffice 均可使用；结果与 perfxl score 的计算一致。"
        )
    return [("一、怎样填写", fill), ("二、计算规则", rules)]
