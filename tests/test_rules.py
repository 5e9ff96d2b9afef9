"""Every validation rule against its YAML cases (tests/rules/<CODE>.yml), and the registry.

A case describes a small table; `build_table` lays it out as the national form does
(project B3, 主管部门 B4, 实施单位 G4, funds row 6: C 年初预算数, D 全年预算数, E 全年到位数,
F 全年执行数, G 分值, H 执行率, I 得分; indicator header row 12 and rows from 13: B level1,
C level2, D name, E target, F actual, G weight, H score, I reason; 总分 below the last
row in H). The table is scored by the engine and the rule's `check` must return exactly
the expected findings, by code and cell.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

import perfxl.rules
from perfxl.findings import CODES, Finding, Severity
from perfxl.model import CellRef, Funds, Indicator, IndicatorTable
from perfxl.profiles import Profile, load_profile
from perfxl.rules import CHECKS, RULE_FAILED, RULES, run_rules
from perfxl.scoring import score_table

ROOT = Path(__file__).resolve().parents[1]
CASES_DIR = Path(__file__).parent / "rules"
SHEET = "表"
FIRST_ROW = 13
ROW_COLUMNS = {"level1": 2, "level2": 3, "name": 4, "target": 5, "actual": 6, "weight": 7,
               "score": 8, "reason": 9}  # fmt: skip
FUNDS_COLUMNS = {"initial_budget": 3, "budget": 4, "received": 5, "spent": 6, "weight": 7,
                 "rate": 8, "score": 9}  # fmt: skip
DEFAULT_FUNDS = {"initial_budget": 100, "budget": 100, "received": 100, "spent": 100, "rate": 1}
RULES_BY_CODE = {rule.CODE: rule for rule in RULES}


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def build_table(spec: dict[str, Any]) -> IndicatorTable:
    """A case's table as the reader would give it from a national-layout sheet."""
    cells: dict[str, CellRef] = {}
    header = {"project": (3, 2), "department": (4, 2), "unit": (4, 7)}
    values = {"project": "测试项目", "department": "测试局", "unit": "测试局"}
    for key, (row, col) in header.items():
        values[key] = spec.get(key, values[key])
        if values[key] is not None:
            cells[key] = CellRef(SHEET, row, col)
    funds_spec = spec.get("funds", DEFAULT_FUNDS)
    funds = Funds()
    if funds_spec is not None:
        funds = Funds(
            initial_budget=_dec(funds_spec.get("initial_budget")),
            budget=_dec(funds_spec.get("budget")),
            received=_dec(funds_spec.get("received")),
            spent=_dec(funds_spec.get("spent")),
            weight=_dec(funds_spec.get("weight")),
            reported_rate=_dec(funds_spec.get("rate")),
            reported_score=_dec(funds_spec.get("score")),
            cells={k: CellRef(SHEET, 6, c) for k, c in FUNDS_COLUMNS.items()},
        )
    rows = []
    for n, row in enumerate(spec.get("rows", [])):
        r = FIRST_ROW + n
        rows.append(
            Indicator(
                level1=row.get("l1", "产出指标"),
                level2=row.get("l2", "数量指标"),
                name=row["name"],
                target_text=_text(row.get("target")),
                actual_text=_text(row.get("actual")),
                weight=_dec(row.get("weight")),
                entered_score=_dec(row.get("score")),
                reason=_text(row.get("reason")),
                cells={k: CellRef(SHEET, r, c) for k, c in ROW_COLUMNS.items()},
                level1_points=_dec(row.get("points")),
            )
        )
    cells["total"] = CellRef(SHEET, FIRST_ROW + len(rows), ROW_COLUMNS["score"])
    return IndicatorTable(
        sheet=SHEET,
        project=values["project"],
        department=values["department"],
        unit=values["unit"],
        funds=funds,
        indicators=tuple(rows),
        reported_total=_dec(spec.get("total")),
        cells=cells,
    )


def build_profile(case: dict[str, Any]) -> Profile:
    profile = load_profile(case.get("profile"))
    overrides = {k: _dec(v) for k, v in case.get("rules", {}).items()}
    return replace(profile, rules=replace(profile.rules, **overrides)) if overrides else profile


def load_cases() -> list[tuple[str, dict[str, Any]]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert document["rule"] == path.stem, f"{path.name} names rule {document['rule']}"
        cases += [(path.stem, case) for case in document["cases"]]
    return cases


CASES = load_cases()


def _id(item: tuple[str, dict[str, Any]]) -> str:
    return f"{item[0]}-{item[1]['name']}"


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_rule_case(item):
    code, case = item
    rule = RULES_BY_CODE[code]
    profile = build_profile(case)
    result = score_table(build_table(case["table"]), profile)
    if getattr(rule, "ENGINE", False):  # raised by the engine on the row: its findings
        found: list[Finding] = [f for f in result.all_findings if f.code == code]
    else:
        found = rule.check(result, profile)
    assert sorted((f.code, str(f.cell)) for f in found) == sorted(
        (e["code"], e["cell"]) for e in case["expect"]
    ), [f.message for f in found]
    for finding in found:
        assert finding.cell is not None and finding.severity == rule.SEVERITY
    for expected in case["expect"]:
        if "message" in expected:
            messages = [f.message for f in found if str(f.cell) == expected["cell"]]
            assert any(expected["message"] in m for m in messages), messages


@pytest.mark.parametrize("item", CASES, ids=[_id(c) for c in CASES])
def test_no_rule_fails_on_any_case(item):
    _, case = item
    profile = build_profile(case)
    found = run_rules(score_table(build_table(case["table"]), profile), profile)
    assert not [f.message for f in found if f.code == RULE_FAILED]
    assert all(f.cell is not None for f in found)


# --- the registry -----------------------------------------------------------------------


def test_codes_are_unique_and_well_formed():
    codes = [rule.CODE for rule in RULES]
    assert len(codes) == len(set(codes))
    for rule in RULES:
        assert re.fullmatch(r"PX\d{3}", rule.CODE)
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", rule.NAME), rule.NAME
        assert isinstance(rule.SEVERITY, Severity)
        assert re.search(r"[\u4e00-\u9fff]", rule.MESSAGE), f"{rule.CODE}: message not Chinese"
        # a module either checks the scored table or documents an engine code: never both
        engine = getattr(rule, "ENGINE", False)
        assert engine != callable(getattr(rule, "check", None)), rule.CODE
        if engine:  # its severity and message are the registered code's
            assert CODES[rule.CODE] == (rule.SEVERITY, rule.MESSAGE), rule.CODE
    names = [rule.NAME for rule in RULES]
    assert len(names) == len(set(names))


def test_the_requested_rules_exist():
    required = {"PX010", "PX011", "PX012", "PX020", "PX021"} | {f"PX1{n:02d}" for n in range(1, 15)}
    assert required <= set(RULES_BY_CODE)


def test_every_rule_has_cases_that_fire_and_do_not_fire():
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for code, case in CASES:
        by_rule.setdefault(code, []).append(case)
    for rule in RULES:
        if getattr(rule, "FORM", "self") == "monitoring":
            continue  # cases in tests/rules/monitoring (tests/monitoring/test_monitor_rules.py)
        cases = by_rule.get(rule.CODE, [])
        assert any(c["expect"] for c in cases), f"{rule.CODE}: no case that fires"
        assert any(not c["expect"] for c in cases), f"{rule.CODE}: no case that does not fire"
    assert set(by_rule) <= set(RULES_BY_CODE), "YAML cases for a rule that does not exist"


def _doc_builder():
    spec = importlib.util.spec_from_file_location(
        "build_rules_doc", ROOT / "scripts" / "build_rules_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_rule_documents_a_wrong_and_a_right_example():
    builder = _doc_builder()
    for rule in RULES:
        doc = builder.parse_docstring(rule.__doc__ or "")
        assert doc["summary"], rule.CODE
        assert doc["wrong"].strip(), f"{rule.CODE}: no Wrong: example"
        assert doc["right"].strip(), f"{rule.CODE}: no Right: example"
        assert doc["wrong"] != doc["right"], rule.CODE


def test_rule_modules_stay_small():
    for rule in RULES:
        lines = Path(rule.__file__).read_text(encoding="utf-8").count("\n")
        assert lines <= 120, f"{rule.__file__}: {lines} lines"


def test_rules_page_is_up_to_date():
    builder = _doc_builder()
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == builder.render(), "run scripts/build_rules_doc.py and commit docs/rules.md"
    for rule in RULES:
        assert f"## {rule.CODE} `{rule.NAME}`" in committed


# --- a rule that raises -------------------------------------------------------------------


def _broken_rule() -> ModuleType:
    rule = ModuleType("px199_broken")
    rule.CODE, rule.NAME = "PX199", "test.broken"

    def check(result, profile):
        raise ZeroDivisionError("a bug")

    rule.check = check
    return rule


def test_a_rule_that_raises_is_an_error_finding_on_the_table(monkeypatch):
    monkeypatch.setattr(perfxl.rules, "CHECKS", [_broken_rule(), *CHECKS])
    case = {"table": {"rows": [{"name": "培训人数", "target": "≥100人", "actual": "100人",
                                "weight": 100, "score": 100}], "total": 100}}  # fmt: skip
    profile = build_profile(case)
    found = run_rules(score_table(build_table(case["table"]), profile), profile)
    (failed,) = [f for f in found if f.code == RULE_FAILED]
    # registered (perfxl.findings.CODES), an error, at the table's 总分 cell (row 13 + 1)
    assert RULE_FAILED in CODES and failed.severity == Severity.ERROR
    assert str(failed.cell) == "表!H14"
    assert "PX199（test.broken）" in failed.message and "ZeroDivisionError" in failed.message
    # the rules after it still ran: 产出指标 holds 100 points where mof2020 gives it 50
    assert {f.code for f in found} == {RULE_FAILED, "PX103"}


def test_a_rule_that_raises_makes_score_exit_1(monkeypatch, tmp_path):
    from click.testing import CliRunner

    import perfxl.commands.score as score_command
    from perfxl.api import score_file
    from perfxl.cli import main

    seed = ROOT / "examples" / "seeds" / "seed000.xlsx"
    assert CliRunner().invoke(main, ["score", str(seed)]).exit_code == 0
    monkeypatch.setattr(perfxl.rules, "CHECKS", [*CHECKS, _broken_rule()])
    monkeypatch.setattr(  # in this process: the monkeypatch does not reach a worker
        score_command, "_score_all", lambda paths, profile: [score_file(p, profile) for p in paths]
    )
    result = CliRunner().invoke(main, ["score", str(seed)])
    assert result.exit_code == 1, result.output
    assert RULE_FAILED in result.output


def test_a_rule_that_raises_makes_validate_exit_1(monkeypatch):
    from click.testing import CliRunner

    import perfxl.commands.validate as validate_command
    from perfxl.cli import main

    seed = ROOT / "examples" / "seeds" / "seed000.xlsx"
    assert CliRunner().invoke(main, ["validate", str(seed)]).exit_code == 0
    monkeypatch.setattr(perfxl.rules, "CHECKS", [*CHECKS, _broken_rule()])
    monkeypatch.setattr(  # in this process: the monkeypatch does not reach a worker
        validate_command,
        "_check_all",
        lambda listing, profile: [validate_command._check(i, profile) for i in listing],
    )
    result = CliRunner().invoke(main, ["validate", str(seed)])
    assert result.exit_code == 1, result.output
    assert f"{RULE_FAILED} 校验规则内部错误" in result.output


def test_level_names_are_remembered_only_when_short():
    """A hostile file's level cells may each hold 32,767 characters: canon gives the
    same answer for them but keeps none (4,096 kept would be a quarter of a gigabyte)."""
    from perfxl.rules import common

    long_name = "产出" + "甲" * 5000 + "指标"
    kept = common._remembered_canon.cache_info().currsize
    assert common.canon(long_name) == "产出" + "甲" * 5000
    assert common._remembered_canon.cache_info().currsize == kept
    assert common.canon("产出指标") == "产出"
    assert common.canon("效益 指标") == "效益"  # normalised before the suffix goes
    assert common.canon(None) == ""
