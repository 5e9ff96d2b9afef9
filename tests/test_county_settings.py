"""County settings (perfxl-county.toml): validation in Chinese with key and line, the
per-folder profile choice, the unit list, `perfxl init-county`, and the demo county
whose console and summary now agree.

Golden figures are the seed reports' (tests/test_golden.py): seed 002 88.26 良 under
xj-prop, seed 003 95.73 优 under xj-60; none is copied from perfxl's output.
"""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from perfxl.batch import consolidate
from perfxl.cli import main
from perfxl.county import (
    DEFAULT_LAG_TOLERANCE,
    SETTINGS_NAME,
    CountySettings,
    FolderRule,
    SettingsError,
    load_settings,
)
from perfxl.county_starter import starter_text
from perfxl.profiles import load_profile

ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ROOT / "examples" / "seeds"
COUNTY = ROOT / "examples" / "county"
LATIN = re.compile(r"[A-Za-z]{4,}")  # an English word in a message meant for a clerk


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / SETTINGS_NAME
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    return str(caught.value)


def english_words(message: str, path: Path) -> list[str]:
    """Latin words left once the file's path and the keys and names a message quotes (a
    word with a dot, an underscore or a digit; the sections; TOML) are taken out."""
    text = message.replace(str(path), "")
    text = re.sub(r"[A-Za-z0-9_.\-]*[._0-9][A-Za-z0-9_.\-]*", "", text)
    quoted = {
        "county",
        "units",
        "profiles",
        "execution",
        "results",
        "audit",
        "colour",
        "toml",
        "percent",
        "treatment",
        "hubei",
        "prop",
    }  # keys and profile names (xj-prop)
    return [w for w in LATIN.findall(text) if w.lower() not in quoted]


# --- the starter file -----------------------------------------------------------------------------


def test_starter_loads_as_written_with_the_defaults(tmp_path):
    settings = load_settings(write(tmp_path, starter_text("某某县", 2024, ("某某县教育局",))))
    assert (settings.name, settings.year, settings.units) == ("某某县", 2024, ("某某县教育局",))
    assert settings.default_profile == "mof2020" and settings.folders == ()
    assert settings.lag_tolerance == DEFAULT_LAG_TOLERANCE == Decimal("0.9")
    assert [(t.grade, t.action, t.percent) for t in settings.treatments] == [
        ("优", "优先保障", None), ("良", "据实保障", None), ("中", "核减", None), ("差", "核减", None),
    ]  # fmt: skip
    # no invented national figure: the cut is the county's to set
    assert settings.treatment("中").text() == "核减（比例由本县确定）"


def test_percent_set_by_the_county_is_read(tmp_path):
    text = starter_text().replace("# percent = 10  #", "percent = 15  #", 1)
    settings = load_settings(write(tmp_path, text))
    assert settings.treatment("中").text() == "核减 15%"


# --- validation: Chinese, key and line -------------------------------------------------------------

BAD = """\
[county]
name = "示例县"
year = "2023"

[profiles]
default = "mof2020"

[profiles.folders]
"援疆办" = "xj-foo"

[execution]
lag_tolerance = 90

[results."良"]
treatment = "据实保障"
percent = 5

[results."中"]
treatment = "减少"

[audit]
sample_size = -1

[colour]
x = 1
"""


def test_every_problem_is_listed_with_its_key_and_line(tmp_path):
    message = error_of(write(tmp_path, BAD))
    assert message.startswith(f"县级设置文件 {tmp_path / SETTINGS_NAME} 有误：")
    expected = [
        "第 3 行 county.year：",  # a quoted year is text, not a year
        "第 9 行 profiles.folders.援疆办：未知的评分规则“xj-foo”",
        "第 12 行 execution.lag_tolerance：应为 0 到 1 之间的小数",  # 90 is not 0.9
        "第 16 行 results.良.percent：只有“核减”需要填写比例",
        "第 19 行 results.中.treatment：取值“减少”无效",
        "第 22 行 audit.sample_size：",
        "第 24 行 colour：未知的配置项",
    ]
    for line in expected:
        assert line in message, line
    assert message.count("\n  - ") == len(expected)
    assert not english_words(message, tmp_path / SETTINGS_NAME), message


def test_missing_name_and_year_are_errors(tmp_path):
    message = error_of(write(tmp_path, "[units]\nexpected = []\n"))
    assert "county.name：须填写本县（市、区）名称" in message
    assert "county.year：须填写评价年度" in message


def test_toml_syntax_error_is_chinese_with_its_line(tmp_path):
    path = write(tmp_path, "[county]\nname = 示例县\nyear = 2023\n")  # text without quotes
    message = error_of(path)
    assert "格式错误：第 2 行第 8 列：" in message and "加引号" in message
    assert not english_words(message, path), message


def test_unknown_grade_and_misspelt_key(tmp_path):
    text = '[county]\nname = "县"\nyear = 2023\n\n[results."特优"]\ntreatment = "优先保障"\n'
    text += "\n[execution]\nlag_tolerence = 0.9\n"
    message = error_of(write(tmp_path, text))
    assert "第 5 行 results.特优：等级“特优”不在评分规则的等级中（优、良、中、差）" in message
    assert "第 9 行 execution.lag_tolerence：[execution] 中未知的配置项" in message


def test_profile_path_is_relative_to_the_settings_file(tmp_path):
    (tmp_path / "rules").mkdir()
    shutil.copyfile(ROOT / "perfxl" / "profiles" / "xj-60.toml", tmp_path / "rules" / "本县.toml")
    text = '[county]\nname = "县"\nyear = 2023\n[profiles]\ndefault = "rules/本县.toml"\n'
    settings = load_settings(write(tmp_path, text))
    assert settings.default_profile == str(tmp_path / "rules" / "本县.toml")
    missing = '[county]\nname = "县"\nyear = 2023\n[profiles]\ndefault = "无此文件.toml"\n'
    assert "第 5 行 profiles.default：评分规则文件不存在" in error_of(write(tmp_path, missing))


# --- the unit list ----------------------------------------------------------------------------------


def unit_workbook(path: Path, names: list[str]) -> Path:
    wb = openpyxl.Workbook()
    for name in names:
        wb.active.append([name])
    wb.save(path)
    return path


def test_units_from_a_one_column_workbook(tmp_path):
    unit_workbook(
        tmp_path / "单位名单.xlsx", ["单位名称", "某县教育局", " 某县民政局 ", None, "某县水利局"]
    )
    text = '[county]\nname = "某县"\nyear = 2023\n[units]\nexpected = ["某县财政局"]\nfile = "单位名单.xlsx"\n'
    settings = load_settings(write(tmp_path, text))
    # the header 单位名称 and the empty row left out, spaces trimmed, the list first
    assert settings.units == ("某县财政局", "某县教育局", "某县民政局", "某县水利局")


def test_unit_listed_twice_and_missing_workbook(tmp_path):
    unit_workbook(tmp_path / "单位名单.xlsx", ["某县教育局"])
    text = '[county]\nname = "某县"\nyear = 2023\n[units]\nexpected = ["某县教育局"]\nfile = "单位名单.xlsx"\n'
    assert "单位“某县教育局”重复列出" in error_of(write(tmp_path, text))
    gone = text.replace("单位名单.xlsx", "无此名单.xlsx").replace('["某县教育局"]', "[]")
    assert "第 6 行 units.file：单位名单工作簿不存在" in error_of(write(tmp_path, gone))


# --- which profile scores which file ------------------------------------------------------------------


def test_profile_for_by_folder_name_glob_and_first_match():
    settings = CountySettings(
        default_profile="mof2020",
        folders=(
            FolderRule("援疆办", "xj-60"),
            FolderRule("*组织部", "xj-prop"),
            FolderRule("*/特殊项目.xlsx", "hubei"),
            FolderRule("援疆*", "hubei"),  # after 援疆办: never reached for it
        ),
    )
    plain = CountySettings(folders=(FolderRule("援疆办", "xj-60"),))
    assert plain.profile_for("援疆办.xlsx") == "mof2020"  # a file name is not a folder
    assert settings.profile_for("援疆办/项目.xlsx") == "xj-60"
    assert settings.profile_for("乡镇/援疆办/项目.xlsx") == "xj-60"  # any folder on the way
    assert settings.profile_for("州委组织部/项目.xlsx") == "xj-prop"
    assert settings.profile_for("教育局/特殊项目.xlsx") == "hubei"
    assert settings.profile_for("援疆指挥部/项目.xlsx") == "hubei"
    assert settings.profile_for("教育局/项目.xlsx") == "mof2020"
    assert settings.profile_for("援疆办.xlsx") == "hubei"  # a glob matches the whole path too


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, object]:
    """Seeds 000, 002 and 003 in folders of their own, with settings naming the two
    Xinjiang folders, consolidated under the national default."""
    folder = tmp_path_factory.mktemp("seeded") / "county"
    for key, name in (("000", "商务局"), ("002", "组织部"), ("003", "援疆办")):
        (folder / name).mkdir(parents=True)
        shutil.copyfile(SEED_FILES / f"seed{key}.xlsx", folder / name / f"seed{key}.xlsx")
    text = starter_text("示例县", 2023, ("商务局", "组织部", "援疆办", "审计局"), "mof2020",
                        (("组织部", "xj-prop"), ("援疆办", "xj-60")))  # fmt: skip
    settings = load_settings(write(folder, text))
    out = folder.parent / "out" / "县级汇总.xlsx"
    result = consolidate([folder], out, load_profile("mof2020"), jobs=1, county=settings)
    return out, result


def test_each_folder_is_scored_under_its_own_profile(seeded):
    out, result = seeded
    by_project = {p.project: p for p in result.projects}
    s002, s003 = by_project["机关运行补助项目"], by_project["援疆工作经费项目"]
    assert (s002.profile, str(s002.total), s002.grade) == ("xj-prop", "88.26", "良")
    assert (s003.profile, str(s003.total), s003.grade) == ("xj-60", "95.73", "优")
    s000 = by_project["招商引资工作经费"]
    assert (s000.profile, s000.grade) == ("mof2020", "优")  # every row met: 100
    ws = openpyxl.load_workbook(out, read_only=True)["项目汇总"]
    header, *body = list(ws.iter_rows(values_only=True))
    shown = {r[header.index("项目名称")]: r for r in body}
    row = shown["机关运行补助项目"]
    assert (row[header.index("总分")], row[header.index("等级")]) == (88.26, "良")
    assert row[header.index("评分规则")] == "xj-prop"
    assert shown["援疆工作经费项目"][header.index("评分规则")] == "xj-60"


def test_missing_unit_is_listed_in_the_notes(seeded):
    out, _ = seeded
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(out, read_only=True)["说明"].iter_rows(
        values_only=True) if r and r[0]}  # fmt: skip
    assert (notes["应报送单位数"], notes["未报送单位数"], notes["未报送单位"]) == (4, 1, "审计局")
    assert notes["县（市、区）"] == "示例县" and notes["评价年度"] == 2023


def test_moving_a_file_to_another_folder_rescores_it(seeded, tmp_path):
    """The cache keeps results per profile: a file moved into a folder with other rules is
    checked again, never served the old folder's result."""
    folder = tmp_path / "county"
    (folder / "组织部").mkdir(parents=True)
    shutil.copyfile(SEED_FILES / "seed002.xlsx", folder / "组织部" / "seed002.xlsx")
    settings = CountySettings(folders=(FolderRule("组织部", "xj-prop"),))
    out = tmp_path / "汇总.xlsx"
    first = consolidate([folder], out, load_profile("mof2020"), jobs=1, county=settings)
    assert [(p.profile, str(p.total)) for p in first.projects] == [("xj-prop", "88.26")]
    (folder / "其他").mkdir()
    (folder / "组织部" / "seed002.xlsx").rename(folder / "其他" / "seed002.xlsx")
    second = consolidate([folder], out, load_profile("mof2020"), jobs=1, county=settings)
    assert second.parsed == 1 and second.projects[0].profile == "mof2020"


def test_unit_list_inside_the_input_folder_is_not_a_submission(tmp_path):
    folder = tmp_path / "county"
    (folder / "商务局").mkdir(parents=True)
    shutil.copyfile(SEED_FILES / "seed000.xlsx", folder / "商务局" / "seed000.xlsx")
    unit_workbook(folder / "单位名单.xlsx", ["单位名称", "商务局"])
    write(folder, '[county]\nname = "县"\nyear = 2023\n[units]\nfile = "单位名单.xlsx"\n')
    result = invoke("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "-q")
    assert result.exit_code == 0, result.output
    assert "文件 1 个" in result.output


# --- the command line ------------------------------------------------------------------------------


def test_consolidate_refuses_bad_settings_with_exit_2(tmp_path):
    folder = tmp_path / "county"
    folder.mkdir()
    shutil.copyfile(SEED_FILES / "seed000.xlsx", folder / "seed000.xlsx")
    write(folder, BAD)
    result = invoke("consolidate", folder, "-o", tmp_path / "汇总.xlsx", "-q")
    assert result.exit_code == 2
    assert "第 12 行 execution.lag_tolerance" in result.output
    assert not (tmp_path / "汇总.xlsx").exists()
    gone = invoke(
        "consolidate", folder, "--settings", tmp_path / "无.toml", "-o", tmp_path / "x.xlsx"
    )
    assert gone.exit_code == 2 and "县级设置文件不存在" in gone.output


def test_init_county_writes_then_refuses_without_force(tmp_path):
    folder = tmp_path / "县"
    (folder / "某县教育局").mkdir(parents=True)
    first = invoke("init-county", folder, "--name", "某县", "--year", "2024")
    assert first.exit_code == 0, first.output
    settings = load_settings(folder / SETTINGS_NAME)
    assert (settings.name, settings.year, settings.units) == ("某县", 2024, ("某县教育局",))
    (folder / SETTINGS_NAME).write_text("# 本县已改过的设置\n", encoding="utf-8")
    again = invoke("init-county", folder)
    assert again.exit_code == 2 and "已存在，未覆盖" in again.output and "--force" in again.output
    assert (folder / SETTINGS_NAME).read_text(encoding="utf-8") == "# 本县已改过的设置\n"
    forced = invoke("init-county", folder, "--force")
    assert forced.exit_code == 0 and load_settings(folder / SETTINGS_NAME).name == "某某县"


# --- the demo agrees with itself ---------------------------------------------------------------------


def test_demo_console_and_summary_agree(tmp_path):
    result = invoke("demo", "-o", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    assert re.search(
        r"002 机关运行补助项目\s+\[xj-prop\]\s+总分 88.26（填报 87.26）\s+等级 良", result.output
    )
    assert re.search(
        r"003 援疆工作经费项目\s+\[xj-60\]\s+总分 95.73（填报 95.72）\s+等级 优", result.output
    )
    assert "未报送单位 1 个：示例县乡村振兴局" in result.output
    # the per-profile counts add up to the projects counted, not to every table read
    counted = int(re.search(r"项目 (\d+) 个", result.output).group(1))
    per_profile = re.search(r"评分规则（按文件夹）：(.*)项目", result.output).group(1)
    assert sum(int(n) for n in re.findall(r" (\d+) 个", per_profile)) == counted
    ws = openpyxl.load_workbook(tmp_path / "demo" / "县级汇总.xlsx", read_only=True)["项目汇总"]
    header, *body = list(ws.iter_rows(values_only=True))
    col = {title: n for n, title in enumerate(header)}
    shown = {r[col["项目名称"]]: r for r in body}
    s002, s003 = shown["机关运行补助项目"], shown["援疆工作经费项目"]
    assert (s002[col["总分"]], s002[col["等级"]], s002[col["评分规则"]]) == (88.26, "良", "xj-prop")
    assert s002[col["填报等级"]] == "良"  # no longer 96.74 优 beside 填报等级 良
    assert (s003[col["总分"]], s003[col["等级"]], s003[col["评分规则"]]) == (95.73, "优", "xj-60")
    # 小型水库维修养护 spent 94.94 of 96 万元: 94.94 / 96 = 98.90 % ≥ 100 % × 0.9, not behind
    reservoir = shown["小型水库维修养护"]
    assert reservoir[col["预算执行率"]] == 0.989
    assert "执行进度滞后" not in (reservoir[col["备注"]] or "")
    # seed 002 spent 34.79 %: behind under any tolerance below 1
    assert "执行进度滞后" in s002[col["备注"]]


def test_hostile_settings_files_are_refused_quickly(tmp_path):
    deep = write(tmp_path, "a" + ".a" * 50_000 + " = 1\n")  # tomllib would take minutes
    assert "第 1 行：配置项层级超过 100 层" in error_of(deep)
    nested = write(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert "嵌套过深" in error_of(nested)
    (tmp_path / "文件夹.toml").mkdir()
    assert "不是普通文件" in error_of(tmp_path / "文件夹.toml")
    big = write(tmp_path, "# " + "长" * 400_000 + "\n")
    assert "过大：超过 1 MB" in error_of(big)


def test_a_folder_rule_naming_the_default_profile_shares_its_cache(tmp_path):
    """--profile xj-prop with a folder also set to xj-prop: one group, one cache, so a
    warm run reads nothing again (two caches of one profile would drop each other's rows)."""
    folder = tmp_path / "county"
    for key, name in (("002", "组织部"), ("000", "商务局")):
        (folder / name).mkdir(parents=True)
        shutil.copyfile(SEED_FILES / f"seed{key}.xlsx", folder / name / f"seed{key}.xlsx")
    settings = CountySettings(folders=(FolderRule("组织部", "xj-prop"),))
    out = tmp_path / "汇总.xlsx"
    first = consolidate([folder], out, load_profile("xj-prop"), jobs=1, county=settings)
    assert {p.profile for p in first.projects} == {"xj-prop"} and first.parsed == 2
    second = consolidate([folder], out, load_profile("xj-prop"), jobs=1, county=settings)
    assert second.parsed == 0 and second.reused == 2
