"""The submission inbox: safe names, versions, atomic writes, and consolidation reads it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _serve import COUNTY, SEEDS, client, upload
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.serve import inbox

CLEAN = COUNTY / "示例县教育局" / "学生资助补助经费.xlsx"  # no errors under mof2020
OTHER = COUNTY / "示例县农业农村局" / "农业保险保费补贴.xlsx"  # no errors either
WITH_ERROR = SEEDS / "seed003.xlsx"  # PX114 on H6


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("示例县教育局", "示例县教育局"),
        ("../../etc", "_.._etc"),
        ("..", None),
        ("a/b\\c", "a_b_c"),
        ("C:\\Windows", "C__Windows"),
        ("con", "_con"),
        ("NUL.xlsx", "_NUL.xlsx"),
        ("LPT1", "_LPT1"),
        ("COMPANY", "COMPANY"),  # only the device names themselves
        (".hidden", "hidden"),
        ("~$锁定", "锁定"),
        ("名称.", "名称"),
        ("  项目 \t 名称  ", "项目 名称"),
        ("a\x00b\x1fc\u200bd", "abcd"),
        ('何<>:"|?*', "何_______"),
        ("\x00\x01", None),
        ("", None),
        (None, None),
        ("长" * 200, "长" * 80),
    ],
)
def test_safe_name(given, expected) -> None:
    assert inbox.safe_name(given) == expected


def test_no_name_leaves_the_inbox(tmp_path: Path) -> None:
    for dept in ["..", "../..", "/etc", "a/../../b", "\\\\server\\share"]:
        for project in ["../x", "/etc/passwd", "..\\..\\y", "x/../../z"]:
            try:
                target = inbox.place(tmp_path, dept, project, ".xlsx")
            except inbox.InboxError:
                continue
            assert inbox.inside(tmp_path, target), target
            assert target.parent.parent == tmp_path


def test_a_planted_link_is_not_written_through(tmp_path: Path) -> None:
    root, outside = tmp_path / "inbox", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    os.symlink(outside, root / "示例县教育局")
    target = inbox.place(root, "示例县教育局", "学生资助补助经费", ".xlsx")
    with pytest.raises(inbox.InboxError):
        inbox.store(root, target, b"data")
    assert list(outside.iterdir()) == []


def test_submit_needs_an_inbox() -> None:
    response = client().post("/api/submit", files=upload(CLEAN))
    assert response.status_code == 404 and "收件箱" in response.json()["error"]


def test_a_workbook_with_errors_is_not_stored(tmp_path: Path) -> None:
    response = client(inbox=tmp_path).post("/api/submit", files=upload(WITH_ERROR))
    assert response.status_code == 422
    assert "错误" in response.json()["error"]
    assert "PX114" in [f["code"] for f in response.json()["findings"]]
    assert list(tmp_path.iterdir()) == []


def test_unreadable_is_not_stored(tmp_path: Path) -> None:
    response = client(inbox=tmp_path).post("/api/submit", files={"file": ("x.xlsx", b"PK")})
    assert response.status_code == 422
    assert list(tmp_path.iterdir()) == []


def test_submission_receipt_and_versions(tmp_path: Path) -> None:
    api = client(inbox=tmp_path)
    first = api.post("/api/submit", files=upload(CLEAN, "随便起的名字.xlsx")).json()["receipt"]
    assert first["path"] == "示例县教育局/学生资助补助经费.xlsx"  # 主管部门/项目名称 from the table
    assert first["version"] == 1
    assert first["grade"] in ("优", "良", "中", "差") and first["total"] is not None
    import hashlib

    assert first["sha256"] == hashlib.sha256(CLEAN.read_bytes()).hexdigest()
    assert "T" in first["time"]
    stored = tmp_path / first["path"]
    assert stored.read_bytes() == CLEAN.read_bytes()
    changed = CLEAN.read_bytes() + b""  # the same project sent again, then a third time
    second = api.post("/api/submit", files={"file": ("改.xlsx", changed)}).json()["receipt"]
    third = api.post("/api/submit", files=upload(CLEAN)).json()["receipt"]
    assert (second["version"], third["version"]) == (2, 3)
    versions = sorted(p.name for p in (stored.parent / ".versions").iterdir())
    assert versions == ["学生资助补助经费.v1.xlsx.bak", "学生资助补助经费.v2.xlsx.bak"]
    leftovers = [p.name for p in stored.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_receipt_total_is_the_score_total(tmp_path: Path) -> None:
    api = client(inbox=tmp_path)
    scored = api.post("/api/score", files=upload(CLEAN)).json()["files"][0]["tables"][0]
    receipt = api.post("/api/submit", files=upload(CLEAN)).json()["receipt"]
    assert (receipt["total"], receipt["grade"]) == (scored["total"], scored["grade"])


def test_consolidate_reads_the_inbox_once_per_project(tmp_path: Path) -> None:
    """Two projects submitted, one of them twice: consolidation counts 2 files, 2
    projects; the kept version is not a third."""
    folder = tmp_path / "inbox"
    api = client(inbox=folder)
    for path in (CLEAN, OTHER, CLEAN):
        assert api.post("/api/submit", files=upload(path)).status_code == 200
    assert len(list(folder.rglob("*.bak"))) == 1
    out = tmp_path / "汇总.xlsx"
    result = CliRunner().invoke(main, ["consolidate", str(folder), "-o", str(out), "-q"])
    assert result.exit_code in (0, 1), result.output
    assert "文件 2 个" in result.output and "项目 2 个" in result.output
    assert "拒收" not in result.output.split("项目 2 个")[1].split("\n")[0]
    assert out.is_file()


def test_county_settings_choose_the_profile(tmp_path: Path) -> None:
    """perfxl-county.toml in the inbox: its default profile scores submissions, as
    `perfxl consolidate` of the inbox will."""
    (tmp_path / "perfxl-county.toml").write_text(
        '[county]\nname = "测试县"\nyear = 2023\n\n[profiles]\ndefault = "xj-60"\n',
        encoding="utf-8",
    )
    api = client(inbox=tmp_path)  # the app reads the inbox's settings itself
    assert api.get("/api/info").json()["profile"] == "xj-60"
    receipt = api.post("/api/submit", files=upload(CLEAN)).json()["receipt"]
    assert receipt["profile"] == "xj-60"


def test_a_folder_rule_of_the_county_scores_that_department(tmp_path: Path) -> None:
    """[profiles.folders] names 示例县教育局 → xj-60: its submission is scored under
    xj-60 even with --profile hubei (which replaces only the default), another
    department's under hubei, as `perfxl consolidate --profile hubei` of the inbox does."""
    (tmp_path / "perfxl-county.toml").write_text(
        '[county]\nname = "测试县"\nyear = 2023\n\n[profiles]\ndefault = "mof2020"\n\n'
        '[profiles.folders]\n"示例县教育局" = "xj-60"\n',
        encoding="utf-8",
    )
    from perfxl.county import load_settings

    county = load_settings(tmp_path / "perfxl-county.toml")
    api = client(inbox=tmp_path, county=county, profile="hubei")
    education = api.post("/api/submit", files=upload(CLEAN)).json()["receipt"]
    farming = api.post("/api/submit", files=upload(OTHER)).json()["receipt"]
    assert (education["profile"], farming["profile"]) == ("xj-60", "hubei")


def test_a_monitoring_table_is_stored_beside_the_self_evaluation(tmp_path: Path) -> None:
    """The May 监控表 and the year-end 自评表 of 农村公路养护资金: two files, neither
    a version of the other; the receipt has no total or grade (a 监控表 has none)."""
    monitor = (
        COUNTY
        / "监控"
        / "示例县交通运输局"
        / "示例县交通运输局2023年5月项目支出绩效目标执行监控表.xlsx"
    )
    self_table = COUNTY / "示例县交通运输局" / "农村公路养护资金.xlsm"
    api = client(inbox=tmp_path)
    may = api.post("/api/submit", files=upload(monitor))
    assert may.status_code == 200, may.text
    receipt = may.json()["receipt"]
    assert receipt["path"] == "示例县交通运输局/农村公路养护资金（5月监控）.xlsx"
    assert (receipt["kind"], receipt["total"], receipt["grade"]) == ("monitoring", None, None)
    year = api.post("/api/submit", files=upload(self_table)).json()["receipt"]
    assert year["path"] == "示例县交通运输局/农村公路养护资金.xlsm"
    assert (year["version"], receipt["version"]) == (1, 1)
