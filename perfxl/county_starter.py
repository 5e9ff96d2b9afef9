"""The commented starter of perfxl-county.toml (`perfxl init-county`, the demo county).

Written as text, not serialised from data, because the comments are the point: the
clerk who opens it in Notepad learns every setting from it. perfxl.county reads it back;
a test checks the starter loads as written.
"""

from __future__ import annotations

import json

from perfxl.county import DEFAULT_LAG_TOLERANCE, DEFAULT_SAMPLE_SIZE, SETTINGS_NAME
from perfxl.profiles import DEFAULT_PROFILE, available_profiles


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def starter_text(
    name: str = "某某县",
    year: int = 2023,
    units: tuple[str, ...] = (),
    default_profile: str = DEFAULT_PROFILE,
    folders: tuple[tuple[str, str], ...] = (),
) -> str:
    """The starter file for a county; `units` and `folders` fill its lists."""
    unit_lines = "".join(f"  {_quoted(u)},\n" for u in units) or '  # "某某县教育局",\n'
    folder_lines = "".join(f"{_quoted(p)} = {_quoted(r)}\n" for p, r in folders) or (
        '# "某某县教育局" = "xj-prop"\n'
    )
    profiles = "、".join(available_profiles())
    return f"""\
# perfxl 县级设置文件（{SETTINGS_NAME}）
# 放在汇总文件夹的最上层，perfxl consolidate 会自动读取；也可以用 --settings 指定。
# 井号 # 后面是说明，不影响设置。文字加英文双引号 "…"，数字不加引号。
# 改完后运行 perfxl consolidate：设置有误时会指出第几行、哪一项。

[county]
name = {_quoted(name)}  # 本县（市、区）名称
year = {year}  # 评价年度

[units]
# 应报送自评表的单位（用于列出未报送的单位）。可以直接列在下面，
# 也可以用一个只有一列单位名称的工作簿（第一行可以是“单位名称”），写在 file 中。
expected = [
{unit_lines}]
# file = "单位名单.xlsx"  # 相对本文件所在的文件夹；汇总时这个工作簿不会被当作自评表

[profiles]
# 默认评分规则：{profiles}，或评分规则 .toml 文件的路径
default = {_quoted(default_profile)}

[profiles.folders]
# 按其他评分规则计分的单位：左边写文件夹名（或通配符，如 "*教育局"），右边写评分规则。
# 从上到下，第一条符合的生效；其余文件按默认评分规则。
{folder_lines}
[execution]
# 执行滞后：预算执行率低于“序时进度 × lag_tolerance”的项目计为执行滞后。
# 年度自评的序时进度为 100%，{DEFAULT_LAG_TOLERANCE} 即执行率低于 90% 的项目计为滞后：
# 许多省份要求执行率低于 90% 的项目说明原因，98.9% 不算滞后。
# 5 月、8 月监控时用 perfxl consolidate --schedule 给出序时进度（如 41.67、66.67）。
lag_tolerance = {DEFAULT_LAG_TOLERANCE}

# 结果应用：评价等级对应的下年度预算安排建议（treatment 可填：优先保障、据实保障、核减、暂停）。
# 核减比例由本县确定，这里不预设全国统一的数字：确定后去掉 percent 行首的 #，
# 填写百分比（如 10 表示核减 10%）。
[results."优"]
treatment = "优先保障"

[results."良"]
treatment = "据实保障"

[results."中"]
treatment = "核减"
# percent = 10  # 示例数字，请按本县规定填写

[results."差"]
treatment = "核减"  # 或 "暂停"
# percent = 20  # 示例数字，请按本县规定填写

[audit]
# 真实性核查：从已计分的项目中随机抽取的项目数
sample_size = {DEFAULT_SAMPLE_SIZE}
# seed = 20240301  # 可选：固定随机种子，使抽样结果可以复核
"""
