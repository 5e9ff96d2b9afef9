"""Hostile profile files end with a Chinese error naming the problem (issue 9, weak).

`nan` or `inf` in a numeric field gave "程序内部出错（InvalidOperation）" and
`[deviation] threshold = nan` was accepted; a TOML nested 50,000 deep raised
RecursionError and an `extends` chain of 3,000 files ran 24 s before failing the same
way. Every numeric field must be finite and in its range, nesting and `extends` depth
are capped, and a profile file may be at most 1 MB.
"""

from pathlib import Path

import pytest
from _child import run_perfxl

from perfxl.profiles import ProfileError, load_profile

SEED = Path(__file__).resolve().parents[2] / "examples" / "seeds" / "seed000.xlsx"

# (section, key, how the field is written with a placeholder {v})
NUMERIC_FIELDS = [
    ("rows", "threshold", "threshold = {v}"),
    ("rows", "cap", "cap = {v}"),
    ("deviation", "threshold", "threshold = {v}"),
    ("execution", "threshold", "threshold = {v}"),
    ("execution", "full_at", "full_at = {v}"),
    ("execution", "default_weight", "default_weight = {v}"),
    ("arrival", "full_at", "full_at = {v}"),
    ("rules", "far_above_ratio", "far_above_ratio = {v}"),
    ("rules", "rate_tolerance", "rate_tolerance = {v}"),
    ("rules", "quantification_min", "quantification_min = {v}"),
    ("deadlines", "late_rate", "late_rate = {v}"),
    (
        "grades",
        "bands.min",
        'bands = [{{ grade = "优", min = {v} }}, {{ grade = "差", min = 0 }}]',
    ),
    (
        "qualitative",
        "bands.upper",
        'bands = [{{ level = "达成", upper = {v}, lower = 0.8 }},'
        ' {{ level = "部分达成", upper = 0.8, lower = 0.6 }},'
        ' {{ level = "未达成", upper = 0.6, lower = 0.0 }}]',
    ),
]


def _profile(tmp_path: Path, body: str, name: str = "hostile.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'extends = "mof2020"\nname = "hostile"\n{body}\n', encoding="utf-8")
    load_profile.cache_clear()
    return path


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+nan"])
@pytest.mark.parametrize(("section", "key", "line"), NUMERIC_FIELDS)
def test_a_non_finite_number_names_its_field(tmp_path, section, key, line, value):
    path = _profile(tmp_path, f"[{section}]\n{line.format(v=value)}")
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert f"{section}.{key}" in message, message


@pytest.mark.parametrize(
    ("section", "line", "field"),
    [
        ("deviation", "threshold = 1e300", "deviation.threshold"),
        ("deviation", "threshold = -5", "deviation.threshold"),
        ("execution", "full_at = 0", "execution.full_at"),
        ("execution", "full_at = 1e30", "execution.full_at"),
        ("execution", "default_weight = -1", "execution.default_weight"),
        ("execution", "default_weight = 1e20", "execution.default_weight"),
        ("rules", "far_above_ratio = 1e300", "rules.far_above_ratio"),
        ("grades", 'bands = [{ grade = "优", min = 1e300 }, { grade = "差", min = 0 }]', "grades"),
    ],
)
def test_an_absurd_number_names_its_field(tmp_path, section, line, field):
    path = _profile(tmp_path, f"[{section}]\n{line}")
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    assert field in str(caught.value)


def test_the_shipped_profiles_still_load():
    load_profile.cache_clear()
    for name in ("mof2020", "xj-60", "xj-prop", "hubei"):
        assert load_profile(name).name == name


def _refused_quickly(*args: str) -> str:
    """Run perfxl with a hostile profile: a usage error in Chinese, not a crash or a hang."""
    run = run_perfxl("score", str(SEED), *args, timeout=20)
    assert not run.killed, "the profile was not refused within 20 s"
    assert run.returncode == 2, (run.returncode, run.stderr[-2000:])
    assert "Traceback" not in run.stderr and "程序内部出错" not in run.stderr, run.stderr[-2000:]
    assert run.peak_rss_mb < 500
    return run.stderr


def test_nan_threshold_through_the_cli_names_the_field(tmp_path):
    path = _profile(tmp_path, "[deviation]\nthreshold = nan")
    stderr = _refused_quickly("--profile", str(path))
    assert "deviation.threshold" in stderr


@pytest.mark.parametrize(
    "body",
    [
        "x = " + "[" * 50_000 + "]" * 50_000,
        "x = " + "{ a = " * 50_000 + "1" + " }" * 50_000,
        "[rules]\nlevel1_weights = " + "[" * 20_000 + "]" * 20_000,
    ],
    ids=["arrays", "inline_tables", "inside_a_section"],
)
def test_deeply_nested_toml_is_refused(tmp_path, body):
    path = _profile(tmp_path, body)
    stderr = _refused_quickly("--profile", str(path))
    assert "评分规则文件" in stderr


def test_deep_dotted_keys_are_refused(tmp_path):
    path = _profile(tmp_path, "[rules]\n" + ".".join(["a"] * 50_000) + " = 1")
    stderr = _refused_quickly("--profile", str(path))
    assert "评分规则文件" in stderr


def test_an_extends_chain_of_3000_files_is_refused_quickly(tmp_path):
    for n in range(3000):
        parent = f"p{n + 1}.toml" if n < 2999 else "mof2020"
        (tmp_path / f"p{n}.toml").write_text(f'extends = "{parent}"\nname = "p{n}"\n')
    stderr = _refused_quickly("--profile", str(tmp_path / "p0.toml"))
    assert "extends" in stderr and "10" in stderr


def test_a_short_extends_chain_still_works(tmp_path):
    for n in range(5):
        parent = f"q{n + 1}.toml" if n < 4 else "mof2020"
        (tmp_path / f"q{n}.toml").write_text(f'extends = "{parent}"\nname = "q{n}"\n')
    load_profile.cache_clear()
    assert load_profile(str(tmp_path / "q0.toml")).name == "q0"


def test_an_extends_cycle_is_refused(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nname = "a"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\nname = "b"\n')
    stderr = _refused_quickly("--profile", str(tmp_path / "a.toml"))
    assert "循环" in stderr


def test_a_profile_over_1_mb_is_refused(tmp_path):
    path = _profile(tmp_path, "# " + "注" * 600_000)  # 1.8 MB of comment
    stderr = _refused_quickly("--profile", str(path))
    assert "1 MB" in stderr or "过大" in stderr


def test_an_integer_of_5000_digits_is_refused(tmp_path):
    # Python refuses to parse integers over 4,300 digits (ValueError, not a TOML error)
    path = _profile(tmp_path, "[deviation]\nthreshold = 1" + "0" * 5000)
    stderr = _refused_quickly("--profile", str(path))
    assert "评分规则文件" in stderr
