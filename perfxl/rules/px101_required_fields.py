"""A header field the county needs is empty: 项目名称, 主管部门 or 实施单位, or the funds.

Without a project name a table cannot be told apart in the county summary; without a
department or implementing unit nobody is answerable for it; without 全年预算数 (or
年初预算数) and 全年执行数 budget execution cannot be judged. 主管部门 and 实施单位 are
one requirement: a unit that is its own budget unit may fill only one of them. When the
engine already reported the funds block as unusable (PX016), the funds part is not
repeated here.

Wrong:

    项目名称 (空)
    主管部门 阿克陶县人民政府办公室
    年度资金总额 | 全年预算数 192.05 | 全年执行数 (空)

Right:

    项目名称 工作经费
    主管部门 阿克陶县人民政府办公室
    年度资金总额 | 全年预算数 192.05 | 全年执行数 192.05
"""

from __future__ import annotations

from perfxl.findings import Finding, Severity
from perfxl.model import CellRef
from perfxl.profiles import Profile
from perfxl.results import TableResult
from perfxl.rules.common import blank, raised, top_cell

CODE = "PX101"
NAME = "header.required_fields"
SEVERITY = Severity.ERROR
MESSAGE = "必填项“{field}”未填写"


def check(result: TableResult, profile: Profile) -> list[Finding]:
    table = result.table
    funds = table.funds
    missing: list[tuple[str, CellRef | None]] = []
    if blank(table.project):
        missing.append(("项目名称", table.cells.get("project")))
    if blank(table.department) and blank(table.unit):
        cell = table.cells.get("department") or table.cells.get("unit")
        missing.append(("主管部门/实施单位", cell))
    if not raised(result, "PX016"):
        if funds.budget is None and funds.initial_budget is None:
            missing.append(("全年预算数", funds.cells.get("budget")))
        if funds.spent is None:
            missing.append(("全年执行数", funds.cells.get("spent")))
    return [
        Finding(CODE, SEVERITY, MESSAGE.format(field=field), cell or top_cell(table))
        for field, cell in missing
    ]
