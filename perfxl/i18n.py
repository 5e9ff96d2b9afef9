"""Chinese for the texts perfxl does not write itself: click's and tomllib's messages.

click wraps every message it shows in `gettext` (usage errors, "Usage:", the help
option's text), but binds it at import as `from gettext import gettext as _`, a function
that looks in the global gettext domain. Switching that domain for the whole process
(`gettext.textdomain`) would need compiled .mo files on disk and would change every
other library that uses gettext. Instead `install()` rebinds the `_` and `ngettext` of
click's own modules to a translations object that looks the English message up in
CLICK_ZH, a .po file kept as a dict: msgid on the left, Chinese on the right. The
Chinese templates may drop or reorder click's `{fields}`; `str.format` ignores unused
keyword arguments. A message missing here stays English, which tests/test_chinese_messages.py
catches for every error path a clerk can reach.

Call `install()` before any click.Path is built: Path names itself ("file") when
constructed, so perfxl.commands installs it on import, before the command modules.

tomllib's TOMLDecodeError is English too ("Expected '=' after a key ... (at line 3,
column 7)"); `toml_error` turns it into one Chinese sentence with the same line and
column, for every TOML a user writes (profiles, county settings).
"""

from __future__ import annotations

import ast
import errno
import gettext
import importlib
import os
import re
import sys

# msgid (click 8.1–8.5) -> Chinese. ngettext's singular and plural are both listed.
CLICK_ZH: dict[str, str] = {
    # the frame around every error
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行“{command} {option}”查看用法。",
    "Usage:": "用法：",
    "Aborted!": "已取消。",
    "unknown error": "未知错误",
    # help pages
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "deprecated": "已停用",
    "Do you want to continue?": "是否继续？",
    "Confirm the action without prompting.": "不询问，直接执行。",
    # missing or unexpected parameters
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有“{name}”这个命令。",
    "No such option {name!r}.": "没有“{name}”这个选项。",
    "No such option: {name}": "没有“{name}”这个选项。",
    "Did you mean {possibility}?": "是否要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否要用其中之一：{possibilities}？）",
    "Got unexpected extra argument ({args})": "多余的参数：{args}",
    "Got unexpected extra arguments ({args})": "多余的参数：{args}",
    "Option {name!r} does not take a value.": "选项 {name} 后面不能跟值。",
    "Option {name!r} requires an argument.": "选项 {name} 后面需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 后面需要 {nargs} 个值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name} 需要 {nargs} 个值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "Value must be an iterable.": "值应为多个。",
    "Invalid start character for option ({option})": "选项开头的字符无效：{option}",
    # bad values
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "{value!r} is not {choice}.": "“{value}”不是可选的值，只能是 {choice}。",
    "{value!r} is not one of {choices}.": "“{value}”不是可选的值，可选：{choices}。",
    "Choose from:\n\t{choices}": "可选：{choices}",
    "{value!r} is not a valid {number_type}.": "“{value}”不是有效的数。",
    "{value} is not in the range {range}.": "{value} 超出允许范围 {range}。",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "“{value}”不是有效的是/否值，可用：{states}"
    ),
    "{value!r} is not a valid UUID.": "“{value}”不是有效的 UUID。",
    "{value!r} does not match the format {format}.": "“{value}”不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "“{value}”不符合格式 {formats}。",
    # paths: the Chinese names what is wrong without click's English "file"/"directory"
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "“{filename}”不存在。",
    "{name} {filename!r} is a file.": "“{filename}”是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "“{filename}”是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "“{filename}”没有读取权限。",
    "{name} {filename!r} is not writable.": "“{filename}”没有写入权限。",
    "{name} {filename!r} is not executable.": "“{filename}”不可执行。",
    "Could not open file {filename!r}: {message}": "无法打开文件“{filename}”：{message}",
}


class ChineseClick(gettext.NullTranslations):
    """click's messages from CLICK_ZH; anything not listed passes through unchanged."""

    def gettext(self, message: str) -> str:
        return CLICK_ZH.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return CLICK_ZH.get(msgid1 if n == 1 else msgid2, msgid1 if n == 1 else msgid2)


TRANSLATIONS = ChineseClick()
CLICK_MODULES = (
    "click",
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.types",
    "click.utils",
    "click.termui",
)


def install() -> None:
    """Point click's `_` and `ngettext` at TRANSLATIONS (idempotent, click modules only)."""
    for name in CLICK_MODULES:
        try:
            importlib.import_module(name)
        except ImportError:  # a module a later click folds away
            continue
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "click" or name.startswith("click.")):
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = TRANSLATIONS.gettext
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = TRANSLATIONS.ngettext


# tomllib (Python 3.11–3.13) ends each message with " (at line L, column C)" or
# " (at end of document)"; 3.14 also gives lineno/colno attributes.
_WHERE = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_TOML_ZH: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), zh)
    for p, zh in [
        (r"Invalid statement", "无法识别的语句（键名含中文或空格时需加引号）"),
        (r"Expected newline or end of document after a statement", "一行只能写一项，这里应换行"),
        (r"Expected '=' after a key in a key/value pair", "键名后面缺少“=”"),
        (r"Expected '\]' at the end of a table declaration", "表头缺少右方括号“]”"),
        (r"Expected '\]\]' at the end of an array declaration", "表数组的表头缺少“]]”"),
        (r"Expected (.+)", "此处应为 {0}"),
        (r"Found invalid character (.+)", "出现无效字符 {0}"),
        (r"Illegal character '\\n'", "字符串在行尾缺少结束的引号"),
        (r"Illegal character (.+)", "出现不允许的字符 {0}"),
        (r"Cannot declare (.+) twice", "{0} 重复声明"),
        (r"Cannot overwrite a value", "同一个键重复赋值"),
        (r"Cannot mutate immutable namespace (.+)", "{0} 已完整写出，不能再添加内容"),
        (r"Cannot redefine namespace (.+)", "{0} 不能重新定义"),
        (r"Duplicate inline table key (.+)", "行内表中的键 {0} 重复"),
        (
            r"Invalid initial character for a key part",
            "键名开头的字符无效（含中文或空格的键名需加引号）",
        ),
        (r"Unclosed array", "数组缺少右方括号“]”"),
        (r"Unclosed inline table", "行内表缺少右花括号“}}”"),
        (r"Unterminated string", "字符串缺少结束的引号"),
        (r"Unescaped '\\' in a string", "字符串中的反斜杠“\\”未转义（路径可写成 \\\\ 或用单引号）"),
        (r"Invalid hex value", "转义的十六进制值无效"),
        (r"Escaped character is not a Unicode scalar value", "转义字符不是有效的 Unicode 字符"),
        (r"Invalid date or datetime", "日期或时间无效"),
        (r"Invalid value", "无法识别的值（文字需加引号）"),
    ]
]


def toml_error(exc: Exception) -> str:
    """A TOML syntax error (or tomllib's ValueError for a huge integer) in Chinese,
    with the line and column of the original message: '第 3 行第 7 列：键名后面缺少“=”'."""
    text = str(getattr(exc, "msg", None) or exc) if hasattr(exc, "colno") else str(exc)
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    found = _WHERE.search(text)
    if found:
        text = text[: found.start()]
        if line is None and found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        elif line is None:
            line = 0  # end of document
    reason = _reason(text)
    if line == 0:
        return f"文件末尾：{reason}"
    if line is None:
        return reason
    return f"第 {line} 行第 {column} 列：{reason}"


def _key(text: str) -> str:
    """tomllib names a key as a tuple of its parts, "('a', 'b')": written a.b here."""
    if text.startswith("(") and text.endswith(")"):
        try:
            parts = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return text
        if isinstance(parts, tuple) and all(isinstance(p, str) for p in parts):
            return ".".join(parts)
    return text


def _reason(text: str) -> str:
    if text.startswith("'utf-8' codec can't decode"):  # UnicodeDecodeError is a ValueError
        return "文件不是 UTF-8 编码（用记事本“另存为”，编码选 UTF-8）"
    for pattern, zh in _TOML_ZH:
        matched = pattern.fullmatch(text.strip())
        if matched:
            return zh.format(*(_key(g) for g in matched.groups()))
    if "integer string conversion" in text or "digits" in text:
        return "数字位数过多"
    return "TOML 格式错误"


# errno -> why, in Chinese. strerror is the C library's English (on Windows too, for
# errno-based errors); a Windows sharing violation is what a workbook open in Excel gives.
_OS_ZH = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限（文件可能正在 Excel 中打开，或没有读写权限）",
    errno.EPERM: "没有权限（文件可能正在 Excel 中打开，或没有读写权限）",
    errno.EEXIST: "已存在同名的文件，无法建立文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "这是文件夹，不是文件",
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘或共享文件夹是只读的",
    errno.ENAMETOOLONG: "路径过长",
    errno.ELOOP: "链接层数过多，可能是链接循环",
    errno.EBUSY: "文件正被占用",
    errno.EMFILE: "同时打开的文件过多",
    errno.ENFILE: "同时打开的文件过多",
    errno.EXDEV: "不能跨磁盘移动文件",
    errno.EINVAL: "文件名或路径无效",
    errno.EIO: "读写出错（磁盘或网络共享故障）",
    errno.ETIMEDOUT: "网络共享无响应",
    errno.EFBIG: "文件过大",
}
_SHARING_VIOLATION = (32, 33)  # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION


def os_error(exc: OSError, named: bool = True) -> str:
    """Why the operating system refused, in Chinese, with the path it names unless that
    is one of perfxl's own temporary names (a dot name beside the real one) or `named`
    is False (the caller names it)."""
    if getattr(exc, "winerror", None) in _SHARING_VIOLATION:
        reason = "文件正被其他程序（如 Excel、WPS）打开"
    elif exc.errno in _OS_ZH:
        reason = _OS_ZH[exc.errno]
    elif exc.strerror and not re.search(r"[A-Za-z]{2,}", exc.strerror):
        reason = exc.strerror  # Windows gives its own messages in the system's language
    else:
        reason = f"操作系统错误（错误号 {exc.errno}）" if exc.errno else "操作系统错误"
    name = exc.filename if isinstance(exc.filename, str) else None
    if named and name and not os.path.basename(name).startswith("."):
        return f"{reason}：{name}"
    return reason
