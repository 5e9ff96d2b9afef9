"""`validate --annotate` never loses a copy, never writes over an input, never follows a
link, and reports the truth (issue 9 #8, #10 and the weak items on --annotate)."""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

import pytest
from _child import PERFXL, run_child
from click.testing import CliRunner

from perfxl.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "examples" / "seeds"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.xlsx"))
    }


def same_named(tmp_path: Path, third: str) -> list[Path]:
    """甲/x.xlsx, 乙/x.xlsx and a third file whose name is what a renamed copy would get."""
    files = [tmp_path / "甲" / "x.xlsx", tmp_path / "乙" / "x.xlsx", tmp_path / third]
    for path, seed in zip(files, ("seed000", "seed002", "seed003"), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SEEDS / f"{seed}.xlsx", path)
    return files


def copies(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.xlsx"))


def written_count(output: str) -> int:
    line = next(x for x in output.splitlines() if "已写入" in x)
    return int(line.split("已写入")[1].split("个")[0])


@pytest.mark.parametrize("third", ["甲/乙_x.xlsx", "乙/甲_x.xlsx"])
def test_same_named_files_given_directly_keep_every_copy(tmp_path, third):
    files = same_named(tmp_path, third)
    out = tmp_path / "标注"
    result = invoke("validate", *files, "--annotate", out)
    assert result.exit_code in (0, 1), result.output
    assert len(copies(out)) == 3  # one per input, none overwritten
    assert written_count(result.output) == 3


def test_same_named_files_in_two_folders_keep_every_copy(tmp_path):
    same_named(tmp_path, "甲/乙_x.xlsx")
    out = tmp_path / "标注"
    result = invoke("validate", tmp_path / "甲", tmp_path / "乙", "--annotate", out)
    assert result.exit_code in (0, 1), result.output
    assert len(copies(out)) == 3
    assert written_count(result.output) == 3


@pytest.mark.parametrize("where", ["itself", "parent", "link"])
def test_annotate_folder_that_is_or_holds_the_input_is_refused(tmp_path, where):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEEDS / "seed002.xlsx", folder / "项目.xlsx")
    before = digests(tmp_path)
    if where == "link":
        (tmp_path / "链接").symlink_to(folder)
    out = {"itself": folder, "parent": tmp_path, "link": tmp_path / "链接"}[where]
    result = invoke("validate", folder, "--annotate", out)
    assert result.exit_code == 2, result.output
    assert "未找到任何工作簿" not in result.output
    assert "标注副本文件夹" in result.output
    assert digests(tmp_path) == before  # no input written, no copy made


def test_annotated_copy_never_replaces_an_input(tmp_path):
    # the copy of 部门/x.xlsx would be 标注/x.xlsx, which is itself an input given directly
    (tmp_path / "部门").mkdir()
    (tmp_path / "标注").mkdir()
    shutil.copyfile(SEEDS / "seed002.xlsx", tmp_path / "部门" / "x.xlsx")
    shutil.copyfile(SEEDS / "seed003.xlsx", tmp_path / "标注" / "x.xlsx")
    before = digests(tmp_path)
    result = invoke(
        "validate", tmp_path / "部门", tmp_path / "标注" / "x.xlsx", "--annotate", tmp_path / "标注"
    )
    assert result.exit_code == 2, result.output
    assert digests(tmp_path) == before


def test_a_link_inside_the_annotate_folder_is_not_written_through(tmp_path):
    folder = tmp_path / "in"
    (folder / "甲").mkdir(parents=True)
    shutil.copyfile(SEEDS / "seed002.xlsx", folder / "甲" / "x.xlsx")
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    out = tmp_path / "标注"
    out.mkdir()
    (out / "甲").symlink_to(elsewhere)  # planted: 标注/甲 → 别处
    result = invoke("validate", folder, "--annotate", out)
    assert list(elsewhere.iterdir()) == []
    assert result.exit_code == 2, result.output
    assert written_count(result.output) == 0


def test_copies_that_cannot_be_written_exit_nonzero_with_the_true_count(tmp_path):
    folder = tmp_path / "in"
    for department in ("甲", "乙"):
        (folder / department).mkdir(parents=True)
    shutil.copyfile(SEEDS / "seed000.xlsx", folder / "甲" / "x.xlsx")
    shutil.copyfile(SEEDS / "seed002.xlsx", folder / "乙" / "x.xlsx")
    out = tmp_path / "标注"
    out.mkdir()
    (out / "乙").write_text("挡路的文件")  # the folder for 乙's copy cannot be made
    result = invoke("validate", folder, "--annotate", out)
    assert result.exit_code == 2, result.output
    assert written_count(result.output) == 1
    assert "未能写入" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_prints_no_traceback(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(SEEDS / "seed003.xlsx", folder / "项目.xlsx")
    out = tmp_path / "标注"
    # A file-size limit makes every write past 4 KB fail, as a full disk does.
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
        "from perfxl.cli import main\n"
        f"sys.argv = ['perfxl', 'validate', {str(folder)!r}, '--annotate', {str(out)!r}]\n"
        "main()\n"
    )
    run = run_child([sys.executable, "-c", code], timeout=60)
    assert not run.killed
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr
    assert "未能写入" in run.stderr
    assert not [p for p in out.rglob("*") if p.is_file()]  # no half-written copy


def test_annotated_copies_hold_no_live_formula_from_the_findings(tmp_path):
    """Held: a finding's text that looks like a formula stays text (see also
    tests/test_annotate.py::test_formula_like_text_is_written_as_text)."""
    import openpyxl

    from perfxl.samples.national import write_workbook
    from perfxl.samples.seeds import SEEDS as SEED_DATA

    folder = tmp_path / "in"
    folder.mkdir()
    from dataclasses import replace

    write_workbook(
        [replace(SEED_DATA["002"], project='=HYPERLINK("http://x","y")', achieved="=1+1")],
        folder / "注入.xlsx",
    )
    out = tmp_path / "标注"
    result = invoke("validate", folder, "--annotate", out)
    assert result.exit_code in (0, 1), result.output
    book = openpyxl.load_workbook(out / "注入.xlsx")
    sheet = book["校验结果"]
    assert not any(
        isinstance(c.value, str) and c.data_type == "f" for row in sheet.iter_rows() for c in row
    )
    run = run_child([*PERFXL, "validate", str(out / "注入.xlsx")], timeout=60)
    assert not run.killed
