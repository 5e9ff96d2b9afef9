"""County settings (perfxl-county.toml): what one county decides, kept as data.

A county finance bureau decides things no scoring profile holds: which units it expects
a table from, which folder is scored under which regional rules (a department that
follows the Xinjiang proportional variant beside others on the national one), when a
project counts as behind on spending, what each grade means for next year's budget,
and how many projects go to the 真实性核查 sample. One TOML file holds them, read by
`perfxl consolidate`; `perfxl init-county` writes a commented starter.

The loader is pure (it reads the file, the optional unit-list workbook and the profiles
it names, nothing else) and validates on load, reporting every problem in Chinese with
the key and its line, like the profiles (perfxl.profiles): the people who edit this
file are finance staff. No national figure is invented here: the cut percentages for
中 and 差 are the county's to set and stay empty until it does.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfxl.i18n import toml_error
from perfxl.profiles import DEFAULT_PROFILE, Profile, ProfileError, load_profile

SETTINGS_NAME = "perfxl-county.toml"
MAX_SETTINGS_BYTES = 1024 * 1024  # a page of settings; anything larger is a mistake
MAX_KEY_DEPTH = 100  # parts of one dotted key, as for profiles
MAX_UNITS = 20_000  # a province has a few thousand budget units
# Many provinces ask for a written explanation when execution ends the year below 90 %
# (e.g. the year-end self-evaluation notices of Xinjiang and Hubei); projects at 98.9 %
# are not behind. The county may set its own line in [execution].
DEFAULT_LAG_TOLERANCE = Decimal("0.9")
DEFAULT_SAMPLE_SIZE = 10
TREATMENTS = ("优先保障", "据实保障", "核减", "暂停")
CUT = "核减"  # the one treatment that takes a percentage
UNIT_HEADERS = frozenset({"单位名称", "单位", "单位名单", "名称", "预算单位", "主管部门"})


class SettingsError(Exception):
    """Settings that cannot be used; the message is Chinese and names the file."""


@dataclass(frozen=True)
class FolderRule:
    """Files under a folder named `pattern` (or whose path matches it) use `profile`."""

    pattern: str
    profile: str  # a shipped profile's name or a .toml path (resolved)


@dataclass(frozen=True)
class Treatment:
    """What a grade means for the next budget (结果应用)."""

    grade: str
    action: str  # one of TREATMENTS
    percent: Decimal | None = None  # 核减 by this many percent, when the county set it

    def text(self) -> str:
        if self.action == CUT and self.percent is not None:
            return f"{CUT} {self.percent:g}%"
        if self.action == CUT:
            return f"{CUT}（比例由本县确定）"
        return self.action


@dataclass(frozen=True)
class CountySettings:
    """The county's settings; CountySettings() are the defaults used without a file."""

    name: str = ""
    year: int | None = None
    units: tuple[str, ...] = ()  # expected units, in the order given
    default_profile: str = DEFAULT_PROFILE
    folders: tuple[FolderRule, ...] = ()
    lag_tolerance: Decimal = DEFAULT_LAG_TOLERANCE  # behind: 执行率 < 序时进度 × this
    treatments: tuple[Treatment, ...] = ()
    sample_size: int = DEFAULT_SAMPLE_SIZE
    sample_seed: int | None = None
    source: str = ""  # the file read, "" for the defaults
    units_file: str = ""  # the unit-list workbook read, if any

    def profile_for(self, shown: str) -> str:
        """The profile of a file shown as `shown` (relative to its input folder, "/"-
        separated): the first folder rule whose pattern equals or matches one of its
        folders, or the whole path; else the default."""
        parts = shown.split("/")
        folders = parts[:-1]
        for rule in self.folders:
            if any(fnmatch.fnmatchcase(f, rule.pattern) for f in folders):
                return rule.profile
            if fnmatch.fnmatchcase(shown, rule.pattern):
                return rule.profile
        return self.default_profile

    def treatment(self, grade: str) -> Treatment | None:
        for item in self.treatments:
            if item.grade == grade:
                return item
        return None

    def digest(self) -> str:
        """What a summary depends on in these settings (for the nightly fingerprint)."""
        values = [getattr(self, f.name) for f in fields(self) if f.name != "source"]
        return hashlib.sha256(repr(values).encode()).hexdigest()[:16]


def settings_path(folders: list[str | Path], explicit: str | Path | None) -> Path | None:
    """The settings file to read: `explicit`, else perfxl-county.toml at the top of the
    first input folder when it is there, else None (the defaults)."""
    if explicit is not None:
        return Path(explicit)
    for folder in folders:
        candidate = Path(folder) / SETTINGS_NAME
        if Path(folder).is_dir():
            return candidate if candidate.is_file() else None
    return None


def load_settings(path: str | Path) -> CountySettings:
    """Read and check `path`; raises SettingsError listing every problem."""
    path = Path(path)
    if not path.is_file():  # a FIFO would block the open; a folder has nothing to read
        raise SettingsError(f"县级设置文件不存在或不是普通文件：{path}")
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_SETTINGS_BYTES + 1)
    except OSError as exc:
        raise SettingsError(f"县级设置文件 {path} 无法读取：{exc.strerror or exc}") from exc
    if len(raw) > MAX_SETTINGS_BYTES:
        raise SettingsError(f"县级设置文件 {path} 过大：超过 1 MB，不是县级设置文件")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SettingsError(
            f"县级设置文件 {path} 不是 UTF-8 编码的文本，请用记事本“另存为”UTF-8 后重试"
        ) from exc
    for number, line in enumerate(text.splitlines(), start=1):
        # tomllib spends the square of a dotted key's parts (a.a.a… took minutes)
        if line.split("=", 1)[0].count(".") > MAX_KEY_DEPTH and not line.lstrip().startswith("#"):
            raise SettingsError(
                f"县级设置文件 {path} 第 {number} 行：配置项层级超过 {MAX_KEY_DEPTH} 层"
            )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"县级设置文件 {path} 格式错误：{_toml_reason(exc)}") from exc
    except (ValueError, RecursionError) as exc:
        raise SettingsError(f"县级设置文件 {path} 格式错误：数值过大或嵌套过深") from exc
    return _Checker(path, text).settings(data)


def _toml_reason(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib's English message as a Chinese line that keeps the position (perfxl.i18n)."""
    return (
        f"{toml_error(exc)}（常见原因：文字没有加英文双引号、用了中文引号或全角等号、"
        "同一项写了两次、方括号不成对）"
    )


_HEADER = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def key_lines(text: str) -> dict[str, int]:
    """Dotted key → line number (1-based) where it is written, for error messages.

    A linear scan of the text (tables `[a.b]`, arrays of tables `[[a]]`, `key = …`,
    quoted keys); lines inside multi-line strings are skipped. It only locates keys
    tomllib has already accepted, so it need not judge anything."""
    lines: dict[str, int] = {}
    prefix: list[str] = []
    quote = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if quote:
            if stripped.count(quote) % 2 == 1:
                quote = ""
            continue
        if not stripped or stripped.startswith("#"):
            continue
        header = _HEADER.match(stripped)
        if header:
            prefix = _split_key(header.group(1))
            lines.setdefault(".".join(prefix), number)
            continue
        key, sep, value = _key_part(stripped)
        if sep:
            dotted = ".".join([*prefix, *_split_key(key)])
            lines.setdefault(dotted, number)
            for mark in ('"""', "'''"):
                if value.count(mark) % 2 == 1:
                    quote = mark
    return lines


def _key_part(line: str) -> tuple[str, str, str]:
    """`"a b".c = 1` → ('"a b".c', '=', '1'): the first = outside quotes."""
    inside = ""
    for n, ch in enumerate(line):
        if inside:
            if ch == inside:
                inside = ""
        elif ch in "\"'":
            inside = ch
        elif ch == "=":
            return line[:n].strip(), "=", line[n + 1 :].strip()
    return line, "", ""


def _split_key(key: str) -> list[str]:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s]+)', key)
    return [a or b or c for a, b, c in parts]


class _Checker:
    """Reads the TOML data section by section, collecting Chinese messages with lines."""

    SECTIONS: dict[str, frozenset[str]] = {  # noqa: RUF012
        "county": frozenset({"name", "year"}),
        "units": frozenset({"expected", "file"}),
        "profiles": frozenset({"default", "folders"}),
        "execution": frozenset({"lag_tolerance"}),
        "results": frozenset(),  # grade names as keys
        "audit": frozenset({"sample_size", "seed"}),
    }

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = key_lines(text)
        self.errors: list[str] = []

    def error(self, key: str, message: str) -> None:
        line = self._line(key)
        where = f"第 {line} 行 " if line else ""
        self.errors.append(f"{where}{key}：{message}")

    def _line(self, key: str) -> int | None:
        parts = key.split(".")
        while parts:  # the key itself, else the nearest enclosing table
            found = self.lines.get(".".join(parts))
            if found:
                return found
            parts.pop()
        return None

    def settings(self, data: dict[str, Any]) -> CountySettings:
        for key, value in data.items():
            if key not in self.SECTIONS:
                allowed = "、".join(f"[{s}]" for s in self.SECTIONS)
                self.error(key, f"未知的配置项，可用的有：{allowed}")
            elif not isinstance(value, dict):
                self.error(key, "应为一个表（写成单独一行的 [" + key + "]）")
            elif self.SECTIONS[key]:
                for inner in value:
                    if inner not in self.SECTIONS[key]:
                        allowed = "、".join(sorted(self.SECTIONS[key]))
                        self.error(f"{key}.{inner}", f"[{key}] 中未知的配置项，可用的有：{allowed}")
        county = self._section(data, "county")
        default = self._profile(self._section(data, "profiles"), "profiles.default")
        units, units_file = self._units(self._section(data, "units"))
        settings = CountySettings(
            name=self._name(county),
            year=self._year(county),
            units=units,
            default_profile=default,
            folders=self._folders(self._section(data, "profiles")),
            lag_tolerance=self._tolerance(self._section(data, "execution")),
            treatments=self._treatments(self._section(data, "results"), default),
            sample_size=self._int(
                self._section(data, "audit"), "audit.sample_size", DEFAULT_SAMPLE_SIZE, 0, 10_000
            ),
            sample_seed=self._seed(self._section(data, "audit")),
            source=str(self.path),
            units_file=units_file,
        )
        if self.errors:
            listing = "\n  - ".join(self.errors)
            raise SettingsError(f"县级设置文件 {self.path} 有误：\n  - {listing}")
        return settings

    def _section(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        return value if isinstance(value, dict) else {}

    def _name(self, county: dict[str, Any]) -> str:
        name = county.get("name")
        if not isinstance(name, str) or not name.strip():
            self.error("county.name", '须填写本县（市、区）名称，如 name = "示例县"')
            return ""
        return name.strip()

    def _year(self, county: dict[str, Any]) -> int | None:
        year = county.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
            self.error(
                "county.year",
                f"须填写评价年度（2000 至 2100 之间的整数，不加引号），实际为“{year}”",
            )
            return None
        return year

    def _int(self, section: dict[str, Any], key: str, default: int, low: int, high: int) -> int:
        value = section.get(key.split(".")[-1], default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.error(key, f"应为 {low} 到 {high} 之间的整数（不加引号），实际为“{value}”")
            return default
        return value

    def _seed(self, section: dict[str, Any]) -> int | None:
        if "seed" not in section:
            return None
        return self._int(section, "audit.seed", 0, 0, 2**63 - 1)

    def _tolerance(self, section: dict[str, Any]) -> Decimal:
        value = section.get("lag_tolerance", DEFAULT_LAG_TOLERANCE)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.error(
                "execution.lag_tolerance", f"应为 0 到 1 之间的小数（如 0.9），实际为“{value}”"
            )
            return DEFAULT_LAG_TOLERANCE
        number = Decimal(str(value))
        if not number.is_finite() or not Decimal(0) <= number <= Decimal(1):
            self.error(
                "execution.lag_tolerance",
                f"应为 0 到 1 之间的小数（0.9 表示执行率低于序时进度的 90% 计为执行滞后），实际为“{value}”",
            )
            return DEFAULT_LAG_TOLERANCE
        return number

    def _profile(self, section: dict[str, Any], key: str, value: Any = None) -> str:
        """A profile name or .toml path (relative to this file), loaded once to check it."""
        if value is None:
            value = section.get(key.split(".")[-1], DEFAULT_PROFILE)
        if not isinstance(value, str) or not value.strip():
            self.error(key, f'应为评分规则名称（如 "xj-prop"）或 .toml 文件路径，实际为“{value}”')
            return DEFAULT_PROFILE
        reference = value.strip()
        if reference.lower().endswith(".toml") and not Path(reference).is_absolute():
            reference = str(self.path.parent / reference)
        try:
            load_profile(reference)
        except ProfileError as exc:
            self.error(key, str(exc))
            return DEFAULT_PROFILE
        return reference

    def _folders(self, section: dict[str, Any]) -> tuple[FolderRule, ...]:
        raw = section.get("folders", {})
        if not isinstance(raw, dict):
            self.error(
                "profiles.folders",
                '应为一个表，每行写成 "文件夹名或通配符" = "评分规则"，如 "示例县教育局" = "mof2020"',
            )
            return ()
        rules = []
        for pattern, profile in raw.items():
            key = f"profiles.folders.{pattern}"
            if not pattern.strip() or pattern.strip() in {"*", "**"}:
                self.error(key, "文件夹名不能为空或只写 *（全部文件请用 profiles.default）")
                continue
            rules.append(FolderRule(pattern.strip(), self._profile({}, key, profile)))
        return tuple(rules)

    def _units(self, section: dict[str, Any]) -> tuple[tuple[str, ...], str]:
        names: list[str] = []
        expected = section.get("expected", [])
        if not isinstance(expected, list) or not all(isinstance(v, str) for v in expected):
            self.error("units.expected", '应为单位名称的列表，如 ["示例县教育局", "示例县民政局"]')
            expected = []
        names.extend(v.strip() for v in expected if v.strip())
        units_file = ""
        given = section.get("file")
        if given is not None:
            if not isinstance(given, str) or not given.strip():
                self.error("units.file", '应为单位名单工作簿的文件名，如 "单位名单.xlsx"')
            else:
                workbook = self.path.parent / given.strip()
                read, problem = read_unit_list(workbook)
                if problem:
                    self.error("units.file", problem)
                names.extend(read)
                units_file = str(workbook)
        seen: set[str] = set()
        unique = []
        for name in names:
            if name in seen:
                self.error("units.expected", f"单位“{name}”重复列出")
                continue
            seen.add(name)
            unique.append(name)
        if len(unique) > MAX_UNITS:
            self.error("units", f"单位超过 {MAX_UNITS} 个，不像是一个县的单位名单")
            unique = unique[:MAX_UNITS]
        return tuple(unique), units_file

    def _treatments(self, section: dict[str, Any], default: str) -> tuple[Treatment, ...]:
        grades = [g for g, _ in load_profile(default).grades] if default else []
        result = []
        for grade, rule in section.items():
            key = f"results.{grade}"
            if grades and grade not in grades:
                self.error(key, f"等级“{grade}”不在评分规则的等级中（{'、'.join(grades)}）")
                continue
            if not isinstance(rule, dict):
                self.error(key, f'应为一个表，如 [results.{grade}] 下写 treatment = "据实保障"')
                continue
            for inner in rule:
                if inner not in ("treatment", "percent"):
                    self.error(f"{key}.{inner}", "未知的配置项，可用的有：treatment、percent")
            action = rule.get("treatment")
            if action not in TREATMENTS:
                self.error(f"{key}.treatment", f"取值“{action}”无效，应为：{'、'.join(TREATMENTS)}")
                continue
            percent = self._percent(rule, key, action)
            result.append(Treatment(grade, action, percent))
        return tuple(result)

    def _percent(self, rule: dict[str, Any], key: str, action: str) -> Decimal | None:
        if "percent" not in rule:
            return None
        value = rule["percent"]
        if action != CUT:
            self.error(f"{key}.percent", f"只有“{CUT}”需要填写比例，“{action}”不填 percent")
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(
                f"{key}.percent", f"应为 0 到 100 之间的数字（如 10 表示核减 10%），实际为“{value}”"
            )
            return None
        number = Decimal(str(value))
        if not number.is_finite() or not Decimal(0) < number <= Decimal(100):
            self.error(f"{key}.percent", f"应大于 0 且不超过 100（核减的百分比），实际为“{value}”")
            return None
        return number


def read_unit_list(path: Path) -> tuple[list[str], str]:
    """Unit names from the first column of the first sheet of a one-column workbook
    (单位名单.xlsx), a header such as 单位名称 left out; the reader's limits apply.
    Returns (names, problem) where problem is "" or a Chinese reason."""
    from perfxl.reader.grid import load

    if not path.is_file():
        return [], f"单位名单工作簿不存在：{path}"
    loaded = load(path)
    if loaded.problem:
        return [], f"单位名单工作簿 {path} 无法读取：{loaded.problem}"
    if not loaded.grids:
        return [], f"单位名单工作簿 {path} 中没有可见的工作表"
    names = []
    for row in loaded.grids[0].rows[: MAX_UNITS + 1]:
        value = row[0] if row else None
        text = str(value).strip() if value not in (None, "") else ""
        if text and not (not names and text in UNIT_HEADERS):
            names.append(text)
    return names, ""


def resolve_profiles(settings: CountySettings, override: str | None = None) -> dict[str, Profile]:
    """Every profile the settings name (the default replaced by `override`), by reference."""
    references = [override or settings.default_profile, *(r.profile for r in settings.folders)]
    return {ref: load_profile(ref) for ref in dict.fromkeys(references)}
