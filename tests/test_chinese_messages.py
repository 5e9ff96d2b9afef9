"""Everything a clerk can see from the command line is Chinese (issue 10 item 6).

Each usage-error path is driven through click's CliRunner and, for the common ones, through
the installed `perfxl` script in a real process (where click reads sys.argv and prints to a
real terminal encoding). `english_words` fails on any run of ASCII letters that is not a
name a Chinese text legitimately carries (file names, option names, PX codes, perfxl, Excel,
WPS, LibreOffice, JSON, TOML, the choices the user types).
"""

from __future__ import annotations

import ast
import errno
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from perfxl import i18n
from perfxl.cli import main

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"
SEED = str(SEEDS / "seed000.xlsx")
SEED_FOLDER = str(SEEDS)

# Words that stay as they are in a Chinese text: products and formats, perfxl's commands,
# the values a choice takes (typed by the user), profile names, function names.
ALLOWED = {
    "perfxl", "Excel", "WPS", "LibreOffice", "JSON", "json", "TOML", "toml", "UTF",
    "xlsx", "xlsm", "xls", "xlsb", "ods", "et", "VBA", "XML", "PERF", "UUID", "xlwings", "xlam",
    "Word", "docx",  # perfxl report and consolidate --report write Word drafts (.docx)
    "Windows", "Microsoft", "CPU", "mof", "xj", "prop", "hubei",
    "text", "self", "eval", "monitor", "plain", "udf",
}  # fmt: skip
# Removed before looking for words: options, PX codes, E12-style cells, file names
# (docs/excel.md, perfxl.xlam).
NOT_WORDS = re.compile(
    r"--?[A-Za-z][\w-]*|\bPX\d{3}\b|\b[A-Z]{1,3}\d+\b"
    r"|[\w.-]*\w/[\w./-]+|\b[\w-]+\.(?:md|toml|xlsx|xlsm|xls|xlam|bas|xml|json|txt|py)\b"
)


def command_words(command: click.Command) -> set[str]:
    """The words of every command's name (init-county: init, county), typed as they are."""
    words = set(re.findall(r"[A-Za-z]+", command.name or ""))
    for sub in getattr(command, "commands", {}).values():
        words |= command_words(sub)
    return words


ALLOWED |= command_words(main)


def english_words(text: str, *paths: object) -> list[str]:
    """ASCII words in `text` that are not allowed, once the given paths (and whatever else
    the user typed, echoed back in a message) are taken out."""
    typed = (str(p) for p in paths if not str(p).startswith("-"))  # options are checked
    for path in sorted(typed, key=len, reverse=True):
        text = text.replace(path, "〈路径〉")
    text = NOT_WORDS.sub(" ", text)
    return [w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED]


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def all_commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from all_commands(sub, (*path, name))


@pytest.fixture
def bad_profile(tmp_path) -> Path:
    path = tmp_path / "坏规则.toml"
    path.write_text('name = "坏"\nextends = "mof2020"\n[rounding\n', encoding="utf-8")
    return path


def usage_cases(tmp_path: Path, bad_profile: Path) -> list[tuple[list[str], str]]:
    """(arguments, a Chinese phrase the error must contain); every one exits 2."""
    folder = tmp_path / "单位"
    folder.mkdir(exist_ok=True)
    a_file = tmp_path / "文件.txt"
    a_file.write_text("x", encoding="utf-8")
    missing = str(tmp_path / "没有这个文件.xlsx")
    return [
        ([], "用法：perfxl"),
        (["score"], "缺少参数：工作簿"),
        (["score", missing], "不存在"),
        (["score", str(folder)], "是文件夹"),
        (["score", SEED, "--profile", "atlantis"], "未知的评分规则"),
        (["score", SEED, "--profile", str(bad_profile)], "第 3 行第 10 列"),
        (["score", SEED, "--profile"], "需要一个值"),
        (["score", SEED, "--format", "xml"], "不是可选的值"),
        (["score", SEED, "--bogus"], "没有“--bogus”这个选项"),
        (["bogus"], "没有“bogus”这个命令"),
        (["profiles", "extra"], "多余的参数"),
        (["validate"], "缺少参数：工作簿或文件夹"),
        (["validate", missing], "路径不存在"),
        (["validate", SEED, "--annotate", str(a_file)], "是文件，这里需要文件夹"),
        (["validate", SEED, "--format", "csv"], "不是可选的值"),
        (["consolidate"], "缺少参数：文件夹"),
        (["consolidate", missing], "不存在"),
        (["consolidate", str(folder), "-o", str(tmp_path / "汇总.txt")], "须以 .xlsx 结尾"),
        (["consolidate", str(folder), "-o", str(folder)], "是文件夹，这里需要文件"),
        (["consolidate", str(folder), "--jobs", "0"], "超出允许范围"),
        (["consolidate", str(folder), "--schedule", "nan"], "超出允许范围"),
        (["consolidate", str(folder), "--timeout", "abc"], "不是一个数"),
        (["consolidate", SEED_FOLDER, "-q", "-o", str(a_file / "汇总.xlsx")], "已存在同名的文件"),
        (["validate", SEED, "--annotate", str(a_file / "标注")], "路径中有一段不是文件夹"),
        (["template", "--form", "bogus"], "不是可选的值"),
        (["template", "--formulas", "vba"], "不是可选的值"),
        (["template", "--profile", "atlantis"], "未知的评分规则"),
        (["template", "-o", str(folder)], "是文件夹，这里需要文件"),
        (["template", "-o", str(a_file / "模板.xlsx")], "已存在同名的文件"),
        (["addin", "bogus"], "没有“bogus”这个命令"),
        (["demo", "--profile", str(bad_profile)], "格式错误"),
    ]


def test_every_usage_error_is_chinese(tmp_path, bad_profile):
    for args, phrase in usage_cases(tmp_path, bad_profile):
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert phrase in result.output, (args, result.output)
        assert not english_words(result.output, tmp_path, SEED, *args), (args, result.output)


def test_every_help_page_is_chinese():
    pages = 0
    for path in all_commands(main):
        for flag in ("--help", "-h"):
            result = invoke(*path, flag)
            assert result.exit_code == 0, (path, result.output)
            assert "用法：perfxl" in result.output and "显示本帮助并退出" in result.output
            assert not english_words(result.output), (path, result.output)
        pages += 1
    assert pages >= 9  # perfxl, 7 commands, addin's two sub-commands


def test_version_is_chinese():
    result = invoke("--version")
    assert result.exit_code == 0
    assert "perfxl，版本" in result.output


def _script() -> str:
    """The installed `perfxl` script beside this interpreter (bin/ or Scripts\\)."""
    folder = Path(sys.executable).parent
    for name in ("perfxl", "perfxl.exe"):
        if (folder / name).exists():
            return str(folder / name)
    pytest.fail(f"perfxl is not installed in {folder} (pip install -e .)")


def test_a_real_process_prints_chinese(tmp_path, bad_profile):
    wanted = {
        (),
        ("score",),
        ("score", str(tmp_path / "单位")),
        ("score", SEED, "--format", "xml"),
        ("score", SEED, "--profile", str(bad_profile)),
        ("validate", str(tmp_path / "没有这个文件.xlsx")),
        ("template", "--form", "bogus"),
    }
    cases = [(a, p) for a, p in usage_cases(tmp_path, bad_profile) if tuple(a) in wanted]
    cases += [(["score", "--help"], "显示本帮助并退出"), (["--version"], "版本")]
    assert len(cases) == len(wanted) + 2
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    for args, phrase in cases:
        run = subprocess.run(
            [_script(), *args], capture_output=True, env=env, cwd=tmp_path, timeout=120
        )
        out = (run.stdout + run.stderr).decode("utf-8")
        assert run.returncode == (0 if "版本" in phrase or "帮助" in phrase else 2), (args, out)
        assert phrase in out, (args, out)
        assert not english_words(out, tmp_path, SEED, *args), (args, out)


def test_the_check_finds_english():
    """The sweep can fail: click's untranslated texts are caught."""
    assert english_words("Error: Missing argument 'FILES...'.") == [
        "Error",
        "Missing",
        "argument",
        "FILES",
    ]
    assert english_words("Usage: perfxl score [OPTIONS] FILES...") == [
        "Usage",
        "OPTIONS",
        "FILES",
    ]
    assert english_words("错误：文件 /tmp/a b/x.xlsx 不存在", "/tmp/a b/x.xlsx") == []
    assert english_words("PX104 Sheet1!E12 --profile xj-60 perfxl") == ["Sheet"]
    assert english_words("见 docs/excel.md 与 perfxl.xlam，not found") == ["not", "found"]


# click's messages nobody running perfxl can meet: a programmer's mistake in declaring a
# command, an unknown stream name. Everything else click wraps in gettext must be in
# CLICK_ZH, so a click upgrade that adds a message fails here rather than on a clerk's PC.
DEVELOPER_ONLY = {
    "Could not determine name for option with declarations {decls!r}",
    "Name '{name}' defined twice",
    "Boolean option {decl!r} cannot use the same flag for true/false.",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.",
    "Unknown standard stream '{name}'",
    "Choice({choices})",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}",
}
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types")


def click_messages() -> set[str]:
    found = set()
    for name in CLICK_MODULES:
        source = (Path(click.__file__).parent / f"{name}.py").read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in (
                "_",
                "ngettext",
            ):
                found |= {
                    a.value
                    for a in node.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                }
    return found - {m for m in found if m.startswith("No options defined but a name")}


def test_every_click_message_has_chinese():
    messages = click_messages()
    assert "Missing argument" in messages  # the scan reads click's source
    missing = sorted(m for m in messages - DEVELOPER_ONLY if m not in i18n.CLICK_ZH)
    assert not missing, f"add these click {click.__version__} messages to perfxl.i18n: {missing}"
    for english, chinese in i18n.CLICK_ZH.items():
        assert not english_words(re.sub(r"\{[^}]*\}|%\(\w+\)s", "", chinese)), english


def test_click_uses_the_chinese_after_install():
    import click.exceptions

    i18n.install()
    assert click.exceptions._("Usage:") == "用法："
    assert click.exceptions.ngettext("{value!r} is not {choice}.", "x", 1).startswith("“")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name = "x"\n[rounding\n', "第 2 行第 10 列：表头缺少右方括号“]”"),
        ("名称 = 1\n", "第 1 行第 1 列：无法识别的语句（键名含中文或空格时需加引号）"),
        ('a = "abc\n', "第 1 行第 9 列：字符串在行尾缺少结束的引号"),
        ("a = 1\na = 2\n", "第 2 行第 6 列：同一个键重复赋值"),
        ("a = [1, 2\n", "文件末尾：数组缺少右方括号“]”"),
        ("a = yes\n", "第 1 行第 5 列：无法识别的值（文字需加引号）"),
        ("[a]\nb = 1\n[a]\n", "第 3 行第 3 列：a 重复声明"),  # tomllib: after the a
        ("[a.b]\n[a.b]\n", "第 2 行第 5 列：a.b 重复声明"),
    ],
)
def test_toml_syntax_errors_in_chinese_with_line_and_column(text, expected):
    import tomllib

    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    message = i18n.toml_error(caught.value)
    assert message == expected
    assert not english_words(message)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "/x/a.toml"),
         "文件或文件夹不存在：/x/a.toml"),
        (PermissionError(errno.EACCES, "Permission denied", "/x/.汇总.xlsx.tmp"),
         "没有权限（文件可能正在 Excel 中打开，或没有读写权限）"),  # a temporary name: not shown
        (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间已满"),
        (OSError(errno.ENOTRECOVERABLE, "State not recoverable"),
         f"操作系统错误（错误号 {errno.ENOTRECOVERABLE}）"),
        (OSError(errno.ENOENT, "系统找不到指定的文件。"), "文件或文件夹不存在"),
    ],
)  # fmt: skip
def test_operating_system_errors_in_chinese(error, expected):
    assert i18n.os_error(error) == expected


def test_a_profile_saved_in_gbk_says_so(tmp_path):
    from perfxl.profiles import ProfileError, load_profile

    path = tmp_path / "规则.toml"
    path.write_bytes('name = "新疆"\n'.encode("gbk"))  # Notepad's ANSI on a Chinese Windows
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    assert "不是 UTF-8 编码" in str(caught.value)


# --- docs/rules.md ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]


def _doc_builder():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_rules_doc", ROOT / "scripts" / "build_rules_doc.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_rules_page_reads_in_chinese():
    """Outside inline code (rule names, profile keys, file names) the page is Chinese,
    examples included."""
    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", " ", page)
    text = re.sub(r"`[^`\n]+`", " ", text.replace("```text", "```"))
    text = re.sub(r'<a id="px\d+"></a>|\(#px\d+\)', " ", text)
    text = re.sub(r"[\w/]+\.[\w./]+", " ", text)  # module and file names: perfxl.scoring
    assert not english_words(text, "≥100xyz"), english_words(text)  # xyz: the unknown unit
    assert "| 代码 | 名称 | 级别 | 说明 |" in page and "**错误示例**" in page


def test_the_chinese_of_each_rule_translates_its_current_docstring():
    builder = _doc_builder()
    entries = builder.chinese()
    stale = [
        f"{rule.CODE} en = {builder.fingerprint(rule)!r}"
        for rule in builder.RULES
        if entries[rule.CODE].get("en") != builder.fingerprint(rule)
    ]
    assert not stale, (
        "a rule's docstring changed: bring its Chinese in scripts/rules_doc_zh.toml up to "
        f"date, set these fingerprints, rerun scripts/build_rules_doc.py: {stale}"
    )
    assert set(entries) == {rule.CODE for rule in builder.RULES}  # none left over


def test_one_word_for_a_file_not_taken():
    """已拒收 on the console, in the summary's 文件清单 and in the docs; never 已拒绝."""
    from perfxl.batch.ledger import REJECTED

    assert REJECTED == "已拒收"
    texts = [*ROOT.joinpath("perfxl").rglob("*.py"), *ROOT.joinpath("docs").glob("*.md")]
    found = [
        str(path.relative_to(ROOT))
        for path in [*texts, ROOT / "README.md"]
        if "已拒绝" in path.read_text(encoding="utf-8")
    ]
    assert not found
