"""Standard 项目支出绩效自评表 / 评价表 workbooks built from a scoring profile.

`build_template(profile, form, formulas, path)` writes the form: a 填表说明 sheet, the
form sheet in the national layout with drop-downs, protection, print set-up and named
key cells, and a hidden sheet recording the template version and profile. With
formulas="plain" every computed cell is an ordinary formula generated from the profile
(perfxl.template.formulas), so the form computes in Excel, WPS or LibreOffice without
Python; with formulas="udf" the row, grade and deviation cells call the PERF_* functions.

`fill_template(path_in, path_out, spec)` types a ProjectSpec's figures into a template's
input cells (tests, screenshots, demos).
"""

from perfxl.template.builder import build_template
from perfxl.template.fill import fill_template
from perfxl.template.layout import FORMS, FORMULA_MODES, TEMPLATE_VERSION

__all__ = ["FORMS", "FORMULA_MODES", "TEMPLATE_VERSION", "build_template", "fill_template"]
