"""Indicator rows and throw-away profiles for engine tests, written once for every test module."""

from decimal import Decimal as D

from perfxl.model import Indicator
from perfxl.profiles import load_profile


def indicator(
    target, actual, weight=10, score=None, *, level1="产出指标", level2="数量指标", name="指标"
) -> Indicator:
    """One three-level row as the reader would give it (分值 and 得分 as Decimals, None when blank)."""
    return Indicator(
        level1,
        level2,
        name,
        target,
        actual,
        None if weight is None else D(str(weight)),
        None if score is None else D(str(score)),
    )


def profile_file(tmp_path, body: str):
    """A profile extending mof2020 with `body`; a new file each call (profiles are cached by path)."""
    path = tmp_path / f"p{len(list(tmp_path.iterdir()))}.toml"
    path.write_text(f'name = "t"\nextends = "mof2020"\n{body}', encoding="utf-8")
    return load_profile(str(path))
