"""Profile files: finding them, reading them within limits and merging `extends`.

A profile file is written by finance staff and may come from anywhere (a path on the
command line, the county settings), so reading it is kept apart from validating what
it says: every limit here is checked before tomllib sees the text, and every failure
is a ProfileError in Chinese naming the file.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from perfxl.i18n import os_error, toml_error

PROFILE_DIR = Path(__file__).parent
DEFAULT_PROFILE = "mof2020"


class ProfileError(Exception):
    """A profile that cannot be used; the message is Chinese and names the file."""


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILE_DIR.glob("*.toml"))


def resolve(key: str) -> Path:
    candidate = Path(key)
    if candidate.suffix == ".toml" or candidate.exists():
        if not candidate.is_file():
            raise ProfileError(f"评分规则文件不存在：{key}")
        return candidate
    shipped = PROFILE_DIR / f"{key}.toml"
    if not shipped.is_file():
        names = "、".join(available_profiles())
        raise ProfileError(f"未知的评分规则“{key}”，可用的有：{names}，也可以给出 .toml 文件路径")
    return shipped


# A profile is a page of settings: a larger file, a longer `extends` chain or a number
# beyond NUMBER_LIMIT is a mistake (or an attack), refused before it costs time or memory.
MAX_PROFILE_BYTES = 1024 * 1024
MAX_EXTENDS_DEPTH = 10
MAX_KEY_DEPTH = 100  # parts of one dotted key: tomllib costs their square in time and memory
NUMBER_LIMIT = Decimal(10) ** 6


def _check_key_depth(text: str, path: Path) -> None:
    """Refuse `a.a.a…` keys before tomllib sees them (50,000 parts took minutes and GBs)."""
    for line in text.splitlines():
        key = line.split("=", 1)[0]
        if key.count(".") > MAX_KEY_DEPTH and not key.lstrip().startswith("#"):
            raise ProfileError(
                f"评分规则文件 {path}：配置项“{key.strip()[:30]}…”层级超过 {MAX_KEY_DEPTH} 层"
            )


def read_merged(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    if len(seen) > MAX_EXTENDS_DEPTH:
        raise ProfileError(
            f"评分规则文件 {seen[0]}：extends 继承超过 {MAX_EXTENDS_DEPTH} 层（已到 {path}），请减少继承层数"
        )
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PROFILE_BYTES + 1)
        if len(raw) > MAX_PROFILE_BYTES:
            raise ProfileError(f"评分规则文件 {path} 过大：超过 1 MB，不是评分规则")
        text = raw.decode("utf-8")
        _check_key_depth(text, path)
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:  # ValueError: a 5,000-digit integer
        raise ProfileError(f"评分规则文件 {path} 格式错误，{toml_error(exc)}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"评分规则文件 {path} 无法读取：{os_error(exc, named=False)}") from exc
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ProfileError(f"评分规则文件 {path}：extends 应为规则名称或文件路径")
    parent_path = resolve(parent) if not (path.parent / parent).is_file() else path.parent / parent
    if parent_path.resolve() in {p.resolve() for p in (*seen, path)}:
        raise ProfileError(f"评分规则文件 {path}：extends 形成循环引用")
    return _deep_merge(read_merged(parent_path, (*seen, path)), data)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
