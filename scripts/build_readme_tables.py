"""Rebuild the README's generated tables from the code: commands, in-cell functions,
profiles and JSON keys.

Usage: .venv/bin/python scripts/build_readme_tables.py [--check]

Each table sits between two marker comments in README.md,

    <!-- generated: NAME (scripts/build_readme_tables.py) -->
    ...
    <!-- end generated: NAME -->

and only the text between them is rewritten; the rest of the README is left as it is.
The tables come from the click commands (perfxl.cli), the UDF registry
(perfxl.excel.udfs), the shipped profiles (perfxl/profiles/*.toml) and the scored
table's field list (perfxl.report). tests/test_readme_tables.py fails when a committed
table differs from what this script writes; with --check it only reports that (exit 1).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable from a checkout without installing perfxl
    sys.path.insert(0, str(ROOT))

import click  # noqa: E402

README = ROOT / "README.md"
START = "<!-- generated: {name} (scripts/build_readme_tables.py) -->"
END = "<!-- end generated: {name} -->"


def _cell(text: str) -> str:
    """Text fit for a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# --- commands -------------------------------------------------------------------------


def commands() -> str:
    """Every `perfxl` sub-command (sub-commands of a group each get a row), its
    arguments as the usage line shows them and the first paragraph of its help."""
    from perfxl.cli import main

    rows = []

    def visit(command: click.Command, words: list[str], parent: click.Context) -> None:
        # as make_context does: a context without the command's settings would make click
        # cache a help option without -h on the command object for the rest of the process
        ctx = click.Context(command, info_name=words[-1], parent=parent, **command.context_settings)
        if isinstance(command, click.Group):
            for name in sorted(command.commands):
                visit(command.commands[name], [*words, name], ctx)
            return
        usage = " ".join([" ".join(words), *command.collect_usage_pieces(ctx)])
        help_text = (command.help or "").split("\n\n")[0]
        rows.append((f"`{usage}`", help_text))

    root = click.Context(main, info_name="perfxl", **main.context_settings)
    for name in sorted(main.commands):
        visit(main.commands[name], ["perfxl", name], root)
    return _table(("命令", "作用"), rows)


# --- in-cell functions ----------------------------------------------------------------

_LABEL_END = re.compile(r"[，,（(；;：:]")


def _label(help_text: str) -> str:
    """An argument's short name: its help up to the first comma or bracket."""
    return _LABEL_END.split(help_text, maxsplit=1)[0].strip()


def functions() -> str:
    """The PERF_* functions as the function wizard lists them (perfxl.excel.registry):
    optional arguments in brackets, labelled by their help text."""
    import inspect

    from perfxl.excel import udfs
    from perfxl.excel.registry import REGISTRY

    rows = []
    for name, spec in REGISTRY.items():
        params = inspect.signature(getattr(udfs, name)).parameters
        args = []
        for arg, help_text in spec.args:
            label = _label(help_text)
            optional = params[arg].default is not inspect.Parameter.empty
            args.append(f"[{label}]" if optional else label)
        rows.append((f"`={name}({', '.join(args)})`", spec.description))
    return _table(("函数", "作用"), rows)


# --- profiles -------------------------------------------------------------------------


def _pct(value: Decimal) -> str:
    return f"{(value * 100).normalize():f}%"


def _points(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f} 分"


def _funds_rule(rule) -> str:
    from perfxl.profiles import ScoreMethod

    if rule.method == ScoreMethod.THRESHOLD:
        how = f"{_pct(rule.threshold)}起线性计分，100%得满分"
    elif rule.method == ScoreMethod.FULL_ABOVE:
        how = f"达到{_pct(rule.full_at)}得满分，其下分值 × 执行率"
    else:
        how = "分值 × 执行率"
    if rule.points_rounding == "truncate":
        how += "，截去小数取整分"
    return f"{_points(rule.default_weight)}，{how}"


def _header_comment(path: Path) -> str:
    """The profile file's opening comment: what it is for, in its author's words."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return "".join(lines)


def profiles() -> str:
    """Each shipped profile: title and opening comment, how the 预算执行率 row and a
    computed row are scored, the qualitative bands and the grade lines."""
    from perfxl.profiles import (
        DEFAULT_PROFILE,
        PROFILE_DIR,
        ScoreMethod,
        available_profiles,
        load_profile,
    )

    rows = []
    for name in available_profiles():
        profile = load_profile(name)
        shown = f"`{name}`（默认）" if name == DEFAULT_PROFILE else f"`{name}`"
        about = f"{profile.title}。{_header_comment(PROFILE_DIR / f'{name}.toml')}"
        rows_rule = (
            f"{_pct(profile.rows.threshold)}起线性计分"
            if profile.rows.score == ScoreMethod.THRESHOLD
            else "按完成率比例计分"
        )
        bands = " / ".join(f"{_pct(b.upper)}–{_pct(b.lower)}" for b in profile.bands)
        grades = "、".join(f"{g} ≥{m.normalize():f}" for g, m in profile.grades if m > 0)
        rows.append((shown, about, _funds_rule(profile.execution), rows_rule, bands, grades))
    header = ("名称", "说明", "预算执行率", "计算类指标", "定性指标分档", "等级")
    return _table(header, rows)


# --- JSON keys ------------------------------------------------------------------------


def json_keys() -> str:
    """The keys of `perfxl score --format json`, from the one field list (perfxl.report)."""
    from perfxl.report import (
        CATEGORY_FIELDS,
        FINDING_KEYS,
        MONITOR_ROW_FIELDS,
        MONITORING_FIELDS,
        ROW_FIELDS,
        TABLE_FIELDS,
    )

    def kind(field) -> str:
        text = "数" if field.number else "文本"
        return text + ("，可为 null" if field.optional else "")

    rows = [
        ("files[].path", "文本", "文件路径"),
        ("files[].findings[]", "对象", "文件本身的问题（无法读取、未找到指标表）"),
    ]
    rows += [(f"tables[].{f.key}", kind(f), f.about) for f in TABLE_FIELDS]
    rows += [(f"categories[].{f.key}", kind(f), f.about) for f in CATEGORY_FIELDS]
    rows += [(f"indicators[].{f.key}", kind(f), f.about) for f in ROW_FIELDS]
    rows += [(f"findings[].{key}", "文本", about) for key, about in FINDING_KEYS]
    # a monitoring table ("kind": "monitoring"): its own keys beyond those above
    shared = {f.key for f in TABLE_FIELDS}
    monitor = [f for f in MONITORING_FIELDS if f.key not in shared]
    rows += [(f"tables[].{f.key}（监控表）", kind(f), f.about) for f in monitor]
    shared_rows = {f.key for f in ROW_FIELDS}
    monitor_rows = [f for f in MONITOR_ROW_FIELDS if f.key not in shared_rows]
    rows += [(f"indicators[].{f.key}（监控表）", kind(f), f.about) for f in monitor_rows]
    return _table(("键", "类型", "说明"), [(f"`{k}`", t, a) for k, t, a in rows])


TABLES: dict[str, Callable[[], str]] = {
    "commands": commands,
    "functions": functions,
    "profiles": profiles,
    "json-keys": json_keys,
}


def render(text: str) -> str:
    """`text` (the README) with every generated block rebuilt; a block whose markers are
    missing or out of order is an error, never a silent skip."""
    for name, build in TABLES.items():
        start, end = START.format(name=name), END.format(name=name)
        head, found, rest = text.partition(start)
        _, found_end, tail = rest.partition(end)
        if not found or not found_end:
            raise ValueError(f"README.md lacks the markers of the {name} table")
        text = f"{head}{start}\n{build()}\n{end}{tail}"
    return text


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    text = render(current)
    if argv[1:] == ["--check"]:
        if current != text:
            print(f"{README} tables are out of date; run {__file__}", file=sys.stderr)
            return 1
        return 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    if text != current:
        README.write_text(text, encoding="utf-8")
    print(README)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
