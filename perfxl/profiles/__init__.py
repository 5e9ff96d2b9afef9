"""Scoring profiles: regional rules kept as TOML data.

Provinces and years differ in how a row's rate becomes points, so every such choice
lives in a profile file and a new region needs a new file, never new code. A profile
may `extends` another and override only what differs. Files are validated on load and
every problem is reported in Chinese, because the people who write them are finance
staff, not programmers.
"""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from perfxl.model import QualLevel
from perfxl.profiles.files import (  # noqa: F401  (re-exported: callers know them here)
    DEFAULT_PROFILE,
    NUMBER_LIMIT,
    PROFILE_DIR,
    ProfileError,
    available_profiles,
    read_merged,
    resolve,
)
from perfxl.profiles.settings import (
    Band,
    CompletionMethod,
    DeadlineReading,
    DeadlineRules,
    EnteredScores,
    EqualMethod,
    FundsRule,
    MonitoringSettings,
    PointsRounding,
    Profile,
    Reading,
    ReverseMethod,
    RowRules,
    RuleSettings,
    ScoreMethod,
    TotalRules,
)

# the first of each is the default; a profile's choice is read into the enum member
SCORE_METHODS = tuple(ScoreMethod)
REVERSE_METHODS = tuple(ReverseMethod)
EQUAL_METHODS = tuple(EqualMethod)
COMPLETION_METHODS = tuple(CompletionMethod)
BARE_READINGS = tuple(Reading)  # a figure written without an operator
_AT_MOST_FIRST = (Reading.AT_MOST, Reading.AT_LEAST, Reading.EQUAL)  # cost rows, durations
DEADLINE_READINGS = tuple(DeadlineReading)  # a date or month written without 前/底/之前
POINTS_ROUNDING = tuple(PointsRounding)
ENTERED_SCORES = tuple(EnteredScores)
FUNDS_FIELDS = ("budget", "initial_budget", "received")


@lru_cache(maxsize=64)
def load_profile(name_or_path: str | None = None) -> Profile:
    """Load a shipped profile by name or any profile file by path."""
    key = name_or_path or DEFAULT_PROFILE
    path = resolve(key)
    try:
        data = read_merged(path, seen=())
        return _Validator(path).profile(data)
    except RecursionError as exc:  # tomllib, merging, or a message quoting a deep value
        raise ProfileError(f"评分规则文件 {path} 嵌套层数过深，无法读取") from exc
    except MemoryError as exc:
        raise ProfileError(f"评分规则文件 {path} 内容过多，无法读取") from exc


class _Validator:
    """Reads the merged TOML data field by field, collecting Chinese error messages."""

    SECTIONS = frozenset({
        "name", "title", "rounding", "execution", "arrival", "rows", "qualitative",
        "not_applicable", "completion", "grades", "deviation", "rules", "deadlines", "total",
        "monitoring",
    })  # fmt: skip

    # keys each section may hold; a misspelt key (`scroe`) is an error, not a silent default
    KEYS: ClassVar[dict[str, set[str]]] = {
        "rounding": {"rate_digits", "score_digits"},
        "execution": {
            "row_names",
            "method",
            "threshold",
            "full_at",
            "default_weight",
            "denominator",
            "points_rounding",
        },
        "arrival": {
            "row_names",
            "method",
            "threshold",
            "full_at",
            "default_weight",
            "denominator",
            "points_rounding",
        },
        "rows": {
            "reverse",
            "cost",
            "equal",
            "cost_level2",
            "score",
            "threshold",
            "cap",
            "bare",
            "bare_cost",
            "bare_at_most_names",
            "bare_at_least_names",
            "entered_scores",
        },
        "deadlines": {"bare", "time_level2", "late_rate", "bare_duration"},
        "total": {"includes_execution"},
        "qualitative": {"bands"},
        "not_applicable": {"rescale"},
        "completion": {"method"},
        "grades": {"bands"},
        "deviation": {"threshold"},
        "monitoring": {f.name for f in fields(MonitoringSettings)},
    }

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def profile(self, data: dict[str, Any]) -> Profile:
        for key in data:
            if key not in self.SECTIONS:
                self.errors.append(f"未知的配置项“{key}”")
            elif key in self.KEYS and isinstance(data[key], dict):
                for inner in data[key]:
                    if inner not in self.KEYS[key]:
                        allowed = "、".join(sorted(self.KEYS[key]))
                        self.errors.append(f"[{key}] 中未知的配置项“{inner}”，可用的有：{allowed}")
        rounding = self._section(data, "rounding")
        rows = self._section(data, "rows")
        profile = Profile(
            name=self._str(data, "name", ""),
            title=self._str(data, "title", ""),
            source=str(self.path),
            rate_digits=self._int(rounding, "rounding.rate_digits", 0, 10),
            score_digits=self._int(rounding, "rounding.score_digits", 0, 10),
            execution=self._funds(self._section(data, "execution"), "execution"),
            arrival=self._funds(self._section(data, "arrival"), "arrival"),
            rows=RowRules(
                reverse=self._choice(rows, "rows.reverse", REVERSE_METHODS),
                cost=self._choice(rows, "rows.cost", REVERSE_METHODS),
                equal=self._choice(rows, "rows.equal", EQUAL_METHODS),
                cost_level2=self._strings(rows, "rows.cost_level2"),
                score=self._choice(rows, "rows.score", SCORE_METHODS[:2]),
                threshold=self._fraction(rows, "rows.threshold"),
                cap=self._cap(rows),
                bare=self._choice(rows, "rows.bare", BARE_READINGS),
                bare_cost=self._choice(rows, "rows.bare_cost", _AT_MOST_FIRST),
                bare_at_most_names=self._strings(rows, "rows.bare_at_most_names"),
                bare_at_least_names=self._strings(rows, "rows.bare_at_least_names"),
                entered_scores=self._choice(rows, "rows.entered_scores", ENTERED_SCORES),
            ),
            bands=self._bands(self._section(data, "qualitative")),
            rescale_not_applicable=self._bool(
                self._section(data, "not_applicable"), "not_applicable.rescale", False
            ),
            completion=self._choice(
                self._section(data, "completion"), "completion.method", COMPLETION_METHODS
            ),
            grades=self._grades(self._section(data, "grades")),
            deviation_threshold=self._ranged(  # percentage points
                self._section(data, "deviation"),
                "deviation.threshold",
                Decimal(20),
                Decimal(0),
                Decimal(100),
            ),
            rules=self._rules(self._section(data, "rules")),
            deadlines=self._deadlines(self._section(data, "deadlines")),
            total=TotalRules(
                includes_execution=self._bool(
                    self._section(data, "total"), "total.includes_execution", True
                )
            ),
            monitoring=self._monitoring(self._section(data, "monitoring")),
        )
        if not profile.name:
            self.errors.append("缺少 name（规则名称）")
        if self.errors:
            listing = "\n  - ".join(self.errors)
            raise ProfileError(f"评分规则文件 {self.path} 有误：\n  - {listing}")
        return profile

    def _monitoring(self, section: dict[str, Any]) -> MonitoringSettings:
        """The lights' thresholds: positive, red below yellow, yellow not above blue."""
        values = {
            f.name: self._ranged(
                section, f"monitoring.{f.name}", f.default, Decimal(0), Decimal(10)
            )
            for f in fields(MonitoringSettings)
        }
        for low, high in (("execution_red", "execution_yellow"), ("indicator_red", "indicator_yellow"),
                          ("indicator_yellow", "indicator_blue")):  # fmt: skip
            if values[low] > values[high]:
                self.errors.append(f"monitoring.{low} 不应大于 monitoring.{high}")
        return MonitoringSettings(**values)

    def _section(self, data: dict[str, Any], key: str) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.errors.append(f"[{key}] 应为一个表（section）")
            return {}
        return value

    def _get(self, section: dict[str, Any], dotted: str, default: Any = None) -> Any:
        return section.get(dotted.split(".")[-1], default)

    def _str(self, section: dict[str, Any], dotted: str, default: str) -> str:
        value = self._get(section, dotted, default)
        if not isinstance(value, str):
            self.errors.append(f"{dotted} 应为文字")
            return default
        return value

    def _bool(self, section: dict[str, Any], dotted: str, default: bool) -> bool:
        value = self._get(section, dotted, default)
        if not isinstance(value, bool):
            self.errors.append(f"{dotted} 应为 true 或 false（不加引号），实际为“{value}”")
            return default
        return value

    def _int(self, section: dict[str, Any], dotted: str, low: int, high: int) -> int:
        value = self._get(section, dotted, 2)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.errors.append(f"{dotted} 应为 {low} 到 {high} 之间的整数，实际为“{value}”")
            return 2
        return value

    def _number(self, section: dict[str, Any], dotted: str, default: Decimal | None) -> Decimal:
        value = self._get(section, dotted, default)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.errors.append(f"{dotted} 应为数字，实际为“{value}”")
            return Decimal(0)
        number = Decimal(str(value))
        if not number.is_finite() or abs(number) > NUMBER_LIMIT:  # nan, inf, 1e300
            self.errors.append(
                f"{dotted} 应为绝对值不超过 {NUMBER_LIMIT} 的有限数字，实际为“{value}”"
            )
            return Decimal(0) if default is None else default
        return number

    def _ranged(
        self, section: dict[str, Any], dotted: str, default: Decimal, low: Decimal, high: Decimal
    ) -> Decimal:
        value = self._number(section, dotted, default)
        if not low <= value <= high:
            self.errors.append(f"{dotted} 应在 {low} 到 {high} 之间，实际为“{value}”")
        return value

    def _cap(self, rows: dict[str, Any]) -> Decimal:
        value = self._number(rows, "rows.cap", Decimal(1))
        if not Decimal(1) <= value <= Decimal(2):
            self.errors.append(
                f"rows.cap 应在 1 到 2 之间（完成率上限，1 即 100%），实际为“{value}”"
            )
        return value

    def _fraction(
        self, section: dict[str, Any], dotted: str, default: Decimal = Decimal("0.6")
    ) -> Decimal:
        value = self._number(section, dotted, default)
        if not Decimal(0) <= value < Decimal(1):
            self.errors.append(
                f"{dotted} 应为 0 到 1 之间的小数（如 0.6 表示 60%），实际为“{value}”"
            )
        return value

    def _choice(self, section: dict[str, Any], dotted: str, choices: tuple[str, ...]) -> str:
        value = self._get(section, dotted, choices[0])
        if value not in choices:
            self.errors.append(f"{dotted} 的取值“{value}”无效，应为：{'、'.join(choices)}")
            return choices[0]
        return choices[choices.index(value)]  # the enum member where the choices are one

    def _strings(self, section: dict[str, Any], dotted: str) -> tuple[str, ...]:
        value = self._get(section, dotted, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.errors.append(f"{dotted} 应为文字列表")
            return ()
        return tuple(value)

    def _funds(self, section: dict[str, Any], key: str) -> FundsRule:
        denominator = self._strings(section, f"{key}.denominator") or ("budget",)
        for field in denominator:
            if field not in FUNDS_FIELDS:
                self.errors.append(
                    f"{key}.denominator 中的“{field}”无效，应为：{'、'.join(FUNDS_FIELDS)}"
                )
        if key == "execution" and not section.get("row_names"):
            self.errors.append(
                'execution.row_names 不能为空：需给出预算执行率行的名称，如 ["预算执行率"]'
            )
        weight = section.get("default_weight")
        return FundsRule(
            row_names=self._strings(section, f"{key}.row_names"),
            method=self._choice(section, f"{key}.method", SCORE_METHODS),
            threshold=self._fraction(section, f"{key}.threshold"),
            full_at=self._ranged(
                section, f"{key}.full_at", Decimal("0.95"), Decimal("0.01"), Decimal(2)
            ),
            default_weight=None
            if weight is None
            else self._ranged(
                section, f"{key}.default_weight", Decimal(0), Decimal(0), Decimal(100)
            ),
            denominator=denominator,
            points_rounding=self._choice(section, f"{key}.points_rounding", POINTS_ROUNDING),
        )

    def _deadlines(self, section: dict[str, Any]) -> DeadlineRules:
        default = DeadlineRules()
        late = self._number(section, "deadlines.late_rate", default.late_rate)
        if not Decimal(0) <= late <= Decimal(1):
            self.errors.append(
                f"deadlines.late_rate 应为 0 到 1 之间的小数（逾期完成的完成率，如 0.6），实际为“{late}”"
            )
        level2 = self._strings(section, "deadlines.time_level2") if "time_level2" in section else ()
        return DeadlineRules(
            bare=self._choice(section, "deadlines.bare", DEADLINE_READINGS),
            time_level2=level2 or default.time_level2,
            late_rate=late,
            bare_duration=self._choice(section, "deadlines.bare_duration", _AT_MOST_FIRST),
        )

    def _bands(self, section: dict[str, Any]) -> tuple[Band, ...]:
        raw = section.get("bands", [])
        bands: list[Band] = []
        levels = {level.value: level for level in QualLevel}
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, dict) or item.get("level") not in levels:
                self.errors.append(
                    f"qualitative.bands 中的“{item}”无效，level 应为：{'、'.join(levels)}"
                )
                continue
            upper = self._number(item, "qualitative.bands.upper", None)
            lower = self._number(item, "qualitative.bands.lower", None)
            if not Decimal(0) <= lower <= upper <= Decimal(1):
                self.errors.append(
                    f"qualitative.bands 中“{item['level']}”的上下限应满足 0 ≤ lower ≤ upper ≤ 1"
                )
            bands.append(Band(levels[item["level"]], upper, lower))
        if {b.level for b in bands} != set(QualLevel):
            self.errors.append("qualitative.bands 须给出“达成”“部分达成”“未达成”三档")
        return tuple(bands)

    def _grades(self, section: dict[str, Any]) -> tuple[tuple[str, Decimal], ...]:
        raw = section.get("bands", [])
        grades: list[tuple[str, Decimal]] = []
        for item in raw if isinstance(raw, list) else []:
            if not isinstance(item, dict) or not isinstance(item.get("grade"), str):
                self.errors.append(
                    f'grades.bands 中的“{item}”无效，应写成 {{ grade = "优", min = 90 }}'
                )
                continue
            minimum = self._ranged(item, "grades.bands.min", Decimal(0), Decimal(0), Decimal(100))
            grades.append((item["grade"], minimum))
        if not grades:
            self.errors.append("grades.bands 不能为空")
        elif [m for _, m in grades] != sorted((m for _, m in grades), reverse=True):
            self.errors.append("grades.bands 应按分数线从高到低排列")
        elif grades[-1][1] != 0:
            self.errors.append("grades.bands 最后一档的 min 应为 0，使每个总分都有等级")
        return tuple(grades)

    RULE_KEYS = frozenset({
        "far_above_ratio", "quantification_min", "rate_tolerance", "level1_weights", "framework",
    })  # fmt: skip

    def _rules(self, section: dict[str, Any]) -> RuleSettings:
        for key in section:
            if key not in self.RULE_KEYS:
                self.errors.append(f"未知的配置项“rules.{key}”")
        default = RuleSettings()
        far = self._number(section, "rules.far_above_ratio", default.far_above_ratio)
        if far <= 1:
            self.errors.append(
                f"rules.far_above_ratio 应大于 1（如 1.5 表示超过指标值50%），实际为“{far}”"
            )
        tolerance = self._number(section, "rules.rate_tolerance", default.rate_tolerance)
        if not Decimal(0) <= tolerance < Decimal("0.1"):
            self.errors.append(
                f"rules.rate_tolerance 应为 0 到 0.1 之间的小数（如 0.0001 表示0.01%），实际为“{tolerance}”"
            )
        quantified = self._number(section, "rules.quantification_min", default.quantification_min)
        if not Decimal(0) <= quantified <= Decimal(1):
            self.errors.append(
                f"rules.quantification_min 应为 0 到 1 之间的小数（如 0.7 表示70%），实际为“{quantified}”"
            )
        return RuleSettings(
            far_above_ratio=far,
            quantification_min=quantified,
            rate_tolerance=tolerance,
            level1_weights=self._level1_weights(section.get("level1_weights", [])),
            framework=self._framework(section.get("framework", [])),
        )

    def _level1_weights(self, raw: Any) -> tuple[tuple[str, Decimal], ...]:
        example = '{ level1 = "产出", weight = 50 }'
        if not isinstance(raw, list):
            self.errors.append(f"rules.level1_weights 应为列表，每项写成 {example}")
            return ()
        weights: list[tuple[str, Decimal]] = []
        for item in raw:
            if not isinstance(item, dict) or not isinstance(item.get("level1"), str):
                self.errors.append(f"rules.level1_weights 中的“{item}”无效，应写成 {example}")
                continue
            weight = self._number(item, "rules.level1_weights.weight", None)
            if not Decimal(0) <= weight <= Decimal(100):
                self.errors.append(
                    f"rules.level1_weights 中“{item['level1']}”的分值应在 0 到 100 之间"
                )
            weights.append((item["level1"], weight))
        return tuple(weights)

    def _framework(self, raw: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        example = '{ level1 = "产出", level2 = ["数量", "质量"] }'
        if not isinstance(raw, list):
            self.errors.append(f"rules.framework 应为列表，每项写成 {example}")
            return ()
        framework: list[tuple[str, tuple[str, ...]]] = []
        for item in raw:
            level2 = item.get("level2") if isinstance(item, dict) else None
            if (
                not isinstance(item, dict)
                or not isinstance(item.get("level1"), str)
                or not isinstance(level2, list)
                or not all(isinstance(v, str) for v in level2)
            ):
                self.errors.append(f"rules.framework 中的“{item}”无效，应写成 {example}")
                continue
            framework.append((item["level1"], tuple(level2)))
        return tuple(framework)
