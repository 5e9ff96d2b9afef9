"""The hidden perfxl_meta sheet every template carries: version, profile, form, formulas.

perfxl reads it back (the ribbon, the UDFs' default profile, `perfxl template`'s
checks) whichever form the template is, so the 自评表/评价表 builder and the 监控表
builder write it through this one function.
"""

from __future__ import annotations

from xlsxwriter.worksheet import Worksheet

from perfxl.profiles import Profile, available_profiles
from perfxl.template import layout as L

FORM_NOTES = {
    "self": "表型：self 自评表，eval 评价表",
    "eval": "表型：self 自评表，eval 评价表",
    "monitor": "表型：monitor 绩效目标执行监控表",
}


def write_meta(wb, ws: Worksheet, profile: Profile, form: str, mode: str) -> None:
    udf_profile = profile.name if profile.name in available_profiles() else profile.source
    rows = (
        ("template_version", L.TEMPLATE_VERSION, "模板版本"),
        ("profile", udf_profile, "评分规则（PERF_* 函数的 profile 参数）"),
        ("profile_title", profile.title, "评分规则名称"),
        ("form", form, FORM_NOTES[form]),
        ("formulas", mode, "公式：plain 普通公式，udf PERF_* 函数"),
        ("generator", "perfxl", "生成工具"),
    )
    for r, (key, value, note) in enumerate(rows):
        ws.write_string(r, 0, key)
        ws.write_string(r, 1, value)
        ws.write_string(r, 2, note)
    ws.set_column(0, 0, 18)
    ws.set_column(1, 2, 40)
    wb.define_name("PX_VERSION", f"={L.META_SHEET}!$B$1")
    wb.define_name("PX_PROFILE", f"={L.META_SHEET}!$B$2")
    ws.hide()
    ws.protect("")
