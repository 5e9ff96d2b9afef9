"""The README's tables of commands, in-cell functions, profiles and JSON keys are made
from the code by scripts/build_readme_tables.py; these tests fail when they drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


@pytest.fixture(scope="module")
def builder():
    spec = importlib.util.spec_from_file_location(
        "build_readme_tables", ROOT / "scripts" / "build_readme_tables.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_tables_are_up_to_date(builder):
    committed = README.read_text(encoding="utf-8")
    assert builder.render(committed) == committed, (
        "run .venv/bin/python scripts/build_readme_tables.py and commit README.md"
    )


def _block(builder, text: str, name: str) -> str:
    start = builder.START.format(name=name)
    return text.split(start, 1)[1].split(builder.END.format(name=name), 1)[0]


def test_every_command_function_profile_and_key_is_listed(builder):
    from perfxl.cli import main
    from perfxl.excel.registry import REGISTRY
    from perfxl.profiles import available_profiles
    from perfxl.report import ROW_FIELDS, TABLE_FIELDS

    text = README.read_text(encoding="utf-8")
    commands = _block(builder, text, "commands")
    assert all(f"`perfxl {name}" in commands for name in main.commands)
    functions = _block(builder, text, "functions")
    assert all(f"`={name}(" in functions for name in REGISTRY)
    profiles = _block(builder, text, "profiles")
    assert all(f"`{name}`" in profiles for name in available_profiles())
    keys = _block(builder, text, "json-keys")
    assert all(f"`tables[].{f.key}`" in keys for f in TABLE_FIELDS)
    assert all(f"`indicators[].{f.key}`" in keys for f in ROW_FIELDS)


def test_a_stale_table_is_rewritten_and_text_outside_the_markers_kept(builder):
    text = README.read_text(encoding="utf-8")
    start = builder.START.format(name="functions")
    stale = text.replace(start, start + "\n| `=PERF_GONE()` | 已删除的函数 |", 1)
    assert stale != text and builder.render(stale) == text
    edited = text.replace("## 常用命令", "## 常用命令（别人改过）", 1)
    assert builder.render(edited) == edited  # hand-written parts are never touched


def test_missing_markers_are_an_error(builder):
    text = README.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="profiles"):
        builder.render(text.replace(builder.END.format(name="profiles"), ""))


def test_argument_labels_and_optional_brackets(builder):
    # PERF_GRADE(total, profile=None): 总分 required, the profile optional
    assert "`=PERF_GRADE(总分, [评分规则名称])`" in builder.functions()
    assert builder._label("年度指标值，如 ≥2个") == "年度指标值"
    assert builder._label("全年执行数（万元）") == "全年执行数"
