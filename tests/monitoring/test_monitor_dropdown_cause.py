"""A 偏差原因 picked from a drop-down names a category; it is not the 原因说明 PX115 asks for.

The provincial form has one drop-down column for 偏差原因分析 (经费保障 … 其他) beside
原因说明及改进措施. Choosing "其他" and leaving the explanation blank must be flagged
exactly as the MoF annex's tick form is, and a written cause still counts as one.
"""

from __future__ import annotations

import pytest

from perfxl.api import validate_file
from perfxl.samples.monitoring import (
    MonitorFunds,
    MonitorRow,
    MonitorSpec,
    write_monitoring_workbook,
)


def _spec(causes: tuple[str, ...], note: str = "") -> MonitorSpec:
    # Month 6: 序时进度 6/12 = 0.5. 培训人数 ≥100人 with 20人 by June:
    # progress 20 / (100 × 0.5) = 0.4 < 0.6 → 红. Funds 50 of 100 spent: 0.5 / 0.5 = 1 → 绿.
    row = MonitorRow("产出指标", "数量指标", "培训人数", "≥100人", "20人", "100人",
                     causes=causes, likelihood="确定能", note=note)  # fmt: skip
    return MonitorSpec(
        key="t", year=2023, month=6, project="培训项目", department="人社局", unit="人社局",
        funds=MonitorFunds(total=(100, 100, 50, 100)), goal="培训100人", progress="培训20人",
        rows=(row,),
    )  # fmt: skip


def _codes(tmp_path, variant: str, causes: tuple[str, ...], note: str = "") -> list[str]:
    path = tmp_path / f"{variant}.xlsx"
    write_monitoring_workbook([_spec(causes, note)], path, variant=variant)
    checked = validate_file(path, "mof2020")
    (monitoring,) = checked.monitoring
    assert str(monitoring.result.rows[0].light) == "红"
    return [f.code for f in checked.all_findings if f.code == "PX115"]


@pytest.mark.parametrize("variant", ["mof", "dropdown"])
@pytest.mark.parametrize("causes", [("其他",), ("经费保障", "人员保障")])
def test_a_category_alone_is_no_explanation(tmp_path, variant, causes):
    assert _codes(tmp_path, variant, causes) == ["PX115"]


@pytest.mark.parametrize("variant", ["mof", "dropdown"])
def test_an_explanation_satisfies_the_rule(tmp_path, variant):
    assert _codes(tmp_path, variant, ("其他",), note="场地改造推迟，7月补训两期") == []
