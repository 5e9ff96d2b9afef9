"""The [rules] section of a scoring profile: defaults, inheritance and Chinese errors."""

from decimal import Decimal

import pytest

from perfxl.profiles import ProfileError, load_profile


def test_mof2020_rule_settings():
    rules = load_profile("mof2020").rules
    assert rules.far_above_ratio == Decimal("1.5")
    assert rules.quantification_min == Decimal("0.7")
    assert rules.rate_tolerance == Decimal("0.0001")
    assert dict(rules.level1_weights) == {"预算执行率": 10, "产出": 50, "效益": 30, "满意度": 10}
    framework = dict(rules.framework)
    assert {"决策", "过程", "产出", "效益", "满意度"} <= set(framework)
    assert "时效" in framework["产出"]
    assert "资金管理" in framework["过程"]


def test_every_shipped_profile_inherits_the_rule_settings():
    for name in ("xj-60", "xj-prop"):
        assert load_profile(name).rules == load_profile("mof2020").rules
    # Hubei's form gives 预算执行率 20 points and splits the rest locally: no level-1 check.
    hubei = load_profile("hubei").rules
    assert hubei.level1_weights == ()
    assert hubei.framework == load_profile("mof2020").rules.framework


def test_a_child_profile_overrides_and_switches_off(tmp_path):
    path = tmp_path / "county.toml"
    path.write_text(
        'name = "county"\nextends = "mof2020"\n[rules]\nfar_above_ratio = 2\nlevel1_weights = []\n',
        encoding="utf-8",
    )
    rules = load_profile(str(path)).rules
    assert rules.far_above_ratio == 2
    assert rules.level1_weights == ()
    assert rules.framework == load_profile("mof2020").rules.framework  # inherited


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[rules]\nfar_above_ratio = 0.5\n", "rules.far_above_ratio 应大于 1"),
        ("[rules]\nquantification_min = 70\n", "rules.quantification_min 应为 0 到 1"),
        ('[rules]\nrate_tolerance = "0.01%"\n', "rules.rate_tolerance 应为数字"),
        ('[rules]\nlevel1_weights = { "产出" = 50 }\n', "rules.level1_weights 应为列表"),
        ('[rules]\nlevel1_weights = [{ level1 = "产出", weight = 500 }]\n', "0 到 100"),
        ('[rules]\nframework = [{ level1 = "产出", level2 = "数量" }]\n', "rules.framework 中的"),
        ("[rules]\nstrict = true\n", "未知的配置项“rules.strict”"),
    ],
)
def test_invalid_rule_settings_give_chinese_errors(tmp_path, body, message):
    path = tmp_path / "bad.toml"
    path.write_text(f'name = "bad"\nextends = "mof2020"\n{body}', encoding="utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(str(path))
    assert message in str(info.value)
