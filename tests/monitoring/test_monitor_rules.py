"""Every monitoring rule (FORM = "monitoring") against its YAML cases in tests/rules/monitoring.

A case describes a small monitoring table; `build_monitoring` lays it out as the MoF
annex does: project B3; funds row 6 (B 年初预算数, C 全年预算数, D 1-N月执行数, E 执行率,
F 全年预计执行数, G 偏差原因分析, M 原因说明); indicator rows from 11 (B 一级, C 二级,
D 三级指标, E 年度指标值, F 1-N月实际完成值, G 全年预计完成值, H 偏差原因分析 (the
ticked categories), M 完成目标可能性, N 原因说明); 填报日期 E30. `year_end` gives a 自评表
of the same file (PX119). The table is judged by the engine and the rule's `check`
must return exactly the expected findings, by code and cell.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from perfxl.model import CellRef, Indicator, IndicatorTable
from perfxl.monitoring.engine import score_monitoring
from perfxl.monitoring.model import MonitoringFunds, MonitoringRow, MonitoringTable
from perfxl.profiles import load_profile
from perfxl.rules import MONITOR_CHECKS, RULE_FAILED, RULES, run_monitoring_rules

CASES_DIR = Path(__file__).resolve().parents[1] / "rules" / "monitoring"
SHEET = "表"
FIRST_ROW = 11
ROW_COLUMNS = {"level1": 2, "level2": 3, "name": 4, "target": 5, "actual": 6, "predicted": 7,
               "cause": 8, "likelihood": 13, "reason": 14}  # fmt: skip
FUNDS_COLUMNS = {"initial_budget": 2, "budget": 3, "spent": 4, "rate": 5, "predicted": 6,
                 "cause": 7, "reason": 13}  # fmt: skip
# 110 / 220 = 50% spent by June: v = 0.5 / 0.5 = 1 → 绿, so a case's rows alone decide
DEFAULT_FUNDS = {"initial_budget": 220, "budget": 220, "spent": 110, "predicted": 220}
MONITOR_RULES = {r.CODE: r for r in RULES if getattr(r, "FORM", "self") == "monitoring"}


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def build_monitoring(spec: dict[str, Any]) -> MonitoringTable:
    funds_spec = spec.get("funds", DEFAULT_FUNDS)
    funds = MonitoringFunds(
        initial_budget=_dec(funds_spec.get("initial_budget")),
        budget=_dec(funds_spec.get("budget")),
        spent=_dec(funds_spec.get("spent")),
        predicted=_dec(funds_spec.get("predicted")),
        reason=funds_spec.get("reason"),
        cells={k: CellRef(SHEET, 6, c) for k, c in FUNDS_COLUMNS.items()},
    )
    rows = []
    for n, row in enumerate(spec.get("rows", [])):
        r = FIRST_ROW + n
        rows.append(
            MonitoringRow(
                level1=row.get("l1", "产出指标"),
                level2=row.get("l2", "数量指标"),
                name=row["name"],
                target_text=row.get("target"),
                actual_text=row.get("actual"),
                predicted_text=row.get("predicted"),
                causes=tuple(row.get("causes", ())),
                likelihood=row.get("likelihood"),
                reason=row.get("reason"),
                cells={k: CellRef(SHEET, r, c) for k, c in ROW_COLUMNS.items()},
            )
        )
    cells = {"project": CellRef(SHEET, 3, 2), "date": CellRef(SHEET, 30, 5)}
    date = spec.get("date")
    return MonitoringTable(
        sheet=SHEET,
        project=spec.get("project", "测试项目"),
        year=spec.get("year", 2024),
        month=spec.get("month", 6),
        date=None if date is None else (date[0], date[1]),
        funds=funds,
        rows=tuple(rows),
        cells=cells,
        reason=spec.get("table_reason"),
    )


def build_year_end(spec: dict[str, Any] | None) -> tuple[IndicatorTable, ...]:
    if spec is None:
        return ()
    rows = tuple(
        Indicator(
            "产出指标",
            "数量指标",
            r["name"],
            r.get("target"),
            r.get("actual"),
            Decimal(10),
            None,
            cells={"name": CellRef("自评表", 13 + n, 4)},
        )
        for n, r in enumerate(spec["rows"])
    )
    return (IndicatorTable("自评表", project=spec.get("project", "测试项目"), indicators=rows),)


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert document["rule"] == path.stem and document["form"] == "monitoring"
        cases += [(path.stem, case) for case in document["cases"]]
    return cases


CASES = load_cases()


@pytest.mark.parametrize("item", CASES, ids=[f"{c}-{x['name']}" for c, x in CASES])
def test_monitoring_rule_case(item):
    code, case = item
    rule = MONITOR_RULES[code]
    profile = load_profile(case.get("profile"))
    result = score_monitoring(build_monitoring(case["table"]), profile)
    year_end = build_year_end(case.get("year_end"))
    if getattr(rule, "ENGINE", False):
        found = [f for f in result.all_findings if f.code == code]
    else:
        found = rule.check(result, profile, year_end)
    assert sorted((f.code, str(f.cell)) for f in found) == sorted(
        (e["code"], e["cell"]) for e in case["expect"]
    ), [f.message for f in found]
    for finding in found:
        assert finding.severity == rule.SEVERITY
    for expected in case["expect"]:
        if "message" in expected:
            messages = [f.message for f in found if str(f.cell) == expected["cell"]]
            assert any(expected["message"] in m for m in messages), messages
    # no rule breaks on any case
    everything = run_monitoring_rules(result, profile, year_end)
    assert not [f.message for f in everything if f.code == RULE_FAILED]


def test_every_monitoring_rule_has_cases_that_fire_and_do_not_fire():
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for code, case in CASES:
        by_rule.setdefault(code, []).append(case)
    assert set(by_rule) == set(MONITOR_RULES)
    for code in MONITOR_RULES:
        assert any(c["expect"] for c in by_rule[code]), f"{code}: no case that fires"
        assert any(not c["expect"] for c in by_rule[code]), f"{code}: no case that does not fire"
    assert {r.CODE for r in MONITOR_CHECKS} == {
        c for c, r in MONITOR_RULES.items() if not getattr(r, "ENGINE", False)
    }


def test_a_monitoring_rule_that_raises_is_an_error_on_the_table(monkeypatch):
    import types

    import perfxl.rules

    broken = types.ModuleType("px198_broken")
    broken.CODE, broken.NAME = "PX198", "test.broken"

    def check(result, profile, year_end):
        raise ZeroDivisionError

    broken.check = check
    monkeypatch.setattr(perfxl.rules, "MONITOR_CHECKS", [broken])
    table = build_monitoring({"rows": [{"name": "培训人数", "target": "≥100人", "actual": "50人"}]})
    profile = load_profile(None)
    (failed,) = run_monitoring_rules(score_monitoring(table, profile), profile)
    assert failed.code == RULE_FAILED and str(failed.cell) == "表!B3"
