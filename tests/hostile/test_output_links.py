"""Outputs never write through a link and never replace an input (issue 9, #8 and #9).

Each attack plants something where perfxl will write — a symlink at the lock file or at
a guessable temporary name, an input workbook given as `-o` — and checks that the
thing pointed at keeps its bytes.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from perfxl.batch import consolidate
from perfxl.cli import main
from perfxl.profiles import load_profile

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"
PROFILE = load_profile("xj-prop")
SECRET = "不能被改写的内容\n".encode()


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def folder_with_one(tmp_path: Path) -> Path:
    folder = tmp_path / "in" / "财政局"
    folder.mkdir(parents=True)
    shutil.copyfile(SEEDS / "seed000.xlsx", folder / "项目.xlsx")
    return tmp_path / "in"


def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(SECRET)
    return path


def test_a_link_planted_at_the_lock_is_not_followed(tmp_path):
    folder, target = folder_with_one(tmp_path), victim(tmp_path)
    out = tmp_path / "out" / "汇总.xlsx"
    out.parent.mkdir()
    (out.parent / "汇总.xlsx.lock").symlink_to(target)
    result = consolidate([folder], out, PROFILE, jobs=1)
    assert len(result.files) == 1
    assert target.read_bytes() == SECRET  # never truncated, never given the owner's JSON
    assert out.is_file() and not out.is_symlink()


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path):
    folder, target = folder_with_one(tmp_path), victim(tmp_path)
    out = tmp_path / "汇总.xlsx"
    planted = tmp_path / f".汇总.xlsx.{os.getpid()}.tmp"  # the name the writer once used
    planted.symlink_to(target)
    consolidate([folder], out, PROFILE, jobs=1)
    assert target.read_bytes() == SECRET
    assert out.is_file() and not out.is_symlink()


def test_links_planted_at_the_cache_and_its_journal_are_not_followed(tmp_path):
    folder = folder_with_one(tmp_path)
    empty = tmp_path / "空文件"
    empty.write_bytes(b"")  # SQLite would happily make a database in an empty file
    target = victim(tmp_path)
    out = tmp_path / "汇总.xlsx"
    (tmp_path / "汇总.perfxl-cache.sqlite").symlink_to(empty)
    (tmp_path / "汇总.perfxl-cache.sqlite-journal").symlink_to(target)
    consolidate([folder], out, PROFILE, jobs=1)
    assert empty.read_bytes() == b"" and target.read_bytes() == SECRET
    assert not (tmp_path / "汇总.perfxl-cache.sqlite").is_symlink()


def test_output_that_is_a_link_is_replaced_not_written_through(tmp_path):
    folder, target = folder_with_one(tmp_path), victim(tmp_path)
    out = tmp_path / "汇总.xlsx"
    out.symlink_to(target)
    consolidate([folder], out, PROFILE, jobs=1)
    assert target.read_bytes() == SECRET
    assert out.is_file() and not out.is_symlink()


def test_output_equal_to_an_input_workbook_is_refused(tmp_path):
    folder = folder_with_one(tmp_path)
    source = folder / "财政局" / "项目.xlsx"
    before = source.read_bytes()
    result = invoke("consolidate", folder, "-o", source, "-q")
    assert result.exit_code == 2, result.output
    assert "拒绝覆盖" in result.output
    assert source.read_bytes() == before


def test_output_that_is_a_workbook_not_written_by_perfxl_is_refused(tmp_path):
    # a unit's workbook lying outside the input folders, given as -o by mistake
    folder = folder_with_one(tmp_path)
    other = tmp_path / "单位自评表.xlsx"
    shutil.copyfile(SEEDS / "seed002.xlsx", other)
    before = other.read_bytes()
    result = invoke("consolidate", folder, "-o", other, "-q")
    assert result.exit_code == 2, result.output
    assert "拒绝覆盖" in result.output and other.read_bytes() == before


def test_yesterdays_summary_is_replaced(tmp_path):
    folder = folder_with_one(tmp_path)
    out = folder / "县级汇总.xlsx"  # inside the input folder, as in test_batch
    assert invoke("consolidate", folder, "-o", out, "-q").exit_code == 0
    result = invoke("consolidate", folder, "-o", out, "-q", "--full")
    assert result.exit_code == 0, result.output
    assert "文件 1 个" in result.output  # the summary is not read back as a submission


def test_output_linked_to_an_input_keeps_the_input_listed_and_unchanged(tmp_path):
    folder = folder_with_one(tmp_path)
    source = folder / "财政局" / "项目.xlsx"
    before = source.read_bytes()
    out = tmp_path / "汇总.xlsx"
    out.symlink_to(source)
    result = consolidate([folder], out, PROFILE, jobs=1)
    assert [f.path for f in result.files] == ["财政局/项目.xlsx"]
    assert source.read_bytes() == before and not out.is_symlink()


def test_a_summary_saved_in_excel_is_still_replaced(tmp_path):
    folder = folder_with_one(tmp_path)
    out = tmp_path / "汇总.xlsx"
    assert invoke("consolidate", folder, "-o", out, "-q").exit_code == 0
    saved = tmp_path / "saved.xlsx"  # as Excel saves it: another lastModifiedBy
    with zipfile.ZipFile(out) as old, zipfile.ZipFile(saved, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "docProps/core.xml":
                data = data.replace(
                    b">perfxl</cp:lastModifiedBy>", "科员</cp:lastModifiedBy>".encode()
                )
            new.writestr(info, data)
    os.replace(saved, out)
    result = invoke("consolidate", folder, "-o", out, "-q", "--full")
    assert result.exit_code == 0, result.output


def test_template_temporary_name_cannot_be_planted(tmp_path):
    target = victim(tmp_path)
    out = tmp_path / "模板.xlsx"
    (tmp_path / f".模板.{os.getpid()}.tmp.xlsx").symlink_to(target)  # the old guessable name
    result = invoke("template", "-o", out)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == SECRET
    assert out.is_file() and not out.is_symlink()


@pytest.fixture
def quick_template(monkeypatch):
    """The builder's file handling (its own temporary beside `path`, then a rename) with a
    one-sheet workbook instead of the full form: these tests are about where bytes go."""
    import xlsxwriter

    def build(profile, form="self", formulas="plain", path=""):
        path = Path(path)
        temp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
        book = xlsxwriter.Workbook(str(temp))
        book.set_properties({"author": "perfxl", "comments": "perfxl template 1.0"})
        book.add_worksheet().write_string(0, 0, "模板")
        book.close()
        os.replace(temp, path)
        return path

    monkeypatch.setattr("perfxl.template.build_template", build)


def test_template_output_link_is_replaced_not_followed(tmp_path, quick_template):
    target = victim(tmp_path)
    out = tmp_path / "模板.xlsx"
    out.symlink_to(target)
    result = invoke("template", "-o", out)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == SECRET and not out.is_symlink()


def test_template_refuses_to_replace_a_filled_in_workbook(tmp_path, quick_template):
    filled = tmp_path / "自评表.xlsx"
    shutil.copyfile(SEEDS / "seed002.xlsx", filled)
    before = filled.read_bytes()
    result = invoke("template", "-o", filled)
    assert result.exit_code == 2, result.output
    assert "拒绝覆盖" in result.output and filled.read_bytes() == before
    again = tmp_path / "模板.xlsx"  # a template made by perfxl may be made again
    assert invoke("template", "-o", again).exit_code == 0
    assert invoke("template", "-o", again, "--force").exit_code == 0  # --force since issue 10
