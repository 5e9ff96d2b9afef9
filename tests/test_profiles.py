from decimal import Decimal

import pytest

from perfxl.model import QualLevel
from perfxl.profiles import ProfileError, available_profiles, load_profile


def test_shipped_profiles_load():
    assert set(available_profiles()) >= {"mof2020", "xj-prop", "xj-60", "hubei"}
    for name in available_profiles():
        assert load_profile(name).name == name


def test_default_is_mof2020():
    prof = load_profile(None)
    assert prof.name == "mof2020"
    assert prof.execution.default_weight == 10
    assert prof.rows.reverse == "target_over_actual"
    assert [g for g, _ in prof.grades] == ["优", "良", "中", "差"]
    assert prof.grade(Decimal("90")) == "优"
    assert prof.grade(Decimal("89.99")) == "良"
    assert prof.grade(Decimal("59.99")) == "差"


def test_hubei_inherits_and_overrides():
    prof = load_profile("hubei")
    assert prof.execution.default_weight == 20
    assert prof.band(QualLevel.PARTIAL).lower == Decimal("0.5")
    assert prof.rows.reverse == "target_over_actual"  # inherited from mof2020


def test_xinjiang_variants():
    assert load_profile("xj-60").rows.score == "threshold"
    assert load_profile("xj-60").execution.method == "threshold"
    assert load_profile("xj-prop").rows.cost == "actual_over_target"


def test_profile_by_path_needs_no_code(tmp_path):
    path = tmp_path / "fujian.toml"
    path.write_text(
        'name = "fujian"\nextends = "mof2020"\n[execution]\nmethod = "full_above"\nfull_at = 0.95\n',
        encoding="utf-8",
    )
    prof = load_profile(str(path))
    assert prof.name == "fujian"
    assert prof.execution.method == "full_above"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('name = "x"\nextends = "mof2020"\n[rows]\nequal = "magic"\n', "rows.equal"),
        ('name = "x"\nextends = "mof2020"\n[rows]\nthreshold = 60\n', "0 到 1"),
        ('name = "x"\nextends = "mof2020"\ncolour = "red"\n', "未知的配置项"),
        (
            'name = "x"\nextends = "mof2020"\n[grades]\nbands = [{grade="差", min=0}, {grade="优", min=90}]\n',
            "从高到低",
        ),
        ('name = "x"\n[rounding\n', "格式错误"),
        ('name = "x"\nextends = "nowhere"\n', "未知的评分规则"),
    ],
)
def test_invalid_profiles_give_chinese_errors(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert message in str(info.value)


def test_unknown_name():
    with pytest.raises(ProfileError, match="未知的评分规则"):
        load_profile("atlantis")


def test_execution_row_names_required(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'name = "x"\nextends = "mof2020"\n[execution]\nrow_names = []\n', encoding="utf-8"
    )
    with pytest.raises(ProfileError, match=r"execution\.row_names"):
        load_profile(str(path))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[rows]\nscroe = 'threshold'\n", "scroe"),  # a misspelt key is not a silent default
        ("[not_applicable]\nrescale = 'false'\n", "true 或 false"),
        ("[rounding]\nrate_digits = true\n", "rounding.rate_digits"),
        ("[rows]\ncap = -5\n", "rows.cap"),
        ("[grades]\nbands = [{ grade = '优', min = 90 }]\n", "min 应为 0"),
    ],
)
def test_profile_mistakes_inside_sections(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\nextends = "mof2020"\n' + body, encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert message in str(info.value)


def test_bare_and_deadline_settings_are_inherited():
    # mof2020 sets them; every shipped profile extends it and reads bare figures alike
    for name in ("mof2020", "xj-60", "xj-prop", "hubei"):
        prof = load_profile(name)
        assert (prof.rows.bare, prof.rows.bare_cost) == ("at_least", "at_most")
        assert "投诉率" in prof.rows.bare_at_most_names
        assert "整改" in prof.rows.bare_at_least_names
        assert prof.rows.entered_scores == "recompute"
        assert prof.deadlines.bare == "deadline"
        assert prof.deadlines.late_rate == 0
        assert prof.deadlines.bare_duration == "at_most"
        assert "时效指标" in prof.deadlines.time_level2
        assert prof.execution.points_rounding == "round"
        assert prof.total.includes_execution is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[rows]\nbare = "above"\n', "rows.bare"),
        ('[rows]\nbare_cost = "less"\n', "rows.bare_cost"),
        ('[rows]\nbare_at_most_names = "投诉率"\n', "rows.bare_at_most_names"),
        ('[rows]\nentered_scores = "yes"\n', "rows.entered_scores"),
        ('[execution]\npoints_rounding = "floor"\n', "execution.points_rounding"),
        ('[deadlines]\nbare = "strict"\n', "deadlines.bare"),
        ("[deadlines]\nlate_rate = 1.5\n", "deadlines.late_rate"),
        ('[deadlines]\nbare_duration = "within"\n', "deadlines.bare_duration"),
        ("[deadlines]\nlate = 0\n", "未知的配置项"),
        ('[total]\nincludes_execution = "no"\n', "total.includes_execution"),
        ("[total]\nexecution = false\n", "未知的配置项"),
    ],
)
def test_new_settings_are_checked(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "x"\nextends = "mof2020"\n{body}', encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert message in str(info.value)
