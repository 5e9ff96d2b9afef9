from perfxl.discovery import discover


def test_discover_skips_lock_files_and_keeps_old_xls(tmp_path):
    (tmp_path / "a").mkdir()
    for name in ("a/x.xlsx", "a/~$x.xlsx", "b.xlsm", "c.xls", "notes.txt", "D.XLSX"):
        (tmp_path / name).write_bytes(b"")
    names = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert names == ["D.XLSX", "a/x.xlsx", "b.xlsm", "c.xls"]


def test_files_given_directly_are_kept(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("x", encoding="utf-8")
    assert discover([path, path]) == [path]


def test_symlinked_folders_are_followed_once(tmp_path):
    real = tmp_path / "share" / "教育局"
    real.mkdir(parents=True)
    (real / "a.xlsx").write_bytes(b"")
    county = tmp_path / "county"
    county.mkdir()
    (county / "教育局").symlink_to(real, target_is_directory=True)
    (county / "loop").symlink_to(county, target_is_directory=True)  # a link loop
    names = [p.name for p in discover([county])]
    assert names == ["a.xlsx"]


def test_survey_lists_what_cannot_be_read(tmp_path):
    import os

    from perfxl.discovery import survey

    (tmp_path / "好.xlsx").write_bytes(b"PK")
    (tmp_path / "断链.xlsx").symlink_to(tmp_path / "无.xlsx")
    (tmp_path / "文件夹.xlsx").mkdir()
    (tmp_path / "文件夹.xlsx" / "里.xlsx").write_bytes(b"PK")
    (tmp_path / "说明.txt").write_text("不是工作簿")
    if hasattr(os, "mkfifo"):
        os.mkfifo(tmp_path / "管道.xlsx")
    found = survey([tmp_path])
    assert [p.name for p in found.files] == ["好.xlsx", "里.xlsx"]
    reasons = {u.path.name: u.reason for u in found.unreadable}
    assert "不存在" in reasons["断链.xlsx"] and "文件夹" in reasons["文件夹.xlsx"]
    if hasattr(os, "mkfifo"):
        assert "命名管道" in reasons["管道.xlsx"]
    listing = [str(getattr(i, "path", i)) for i in found.listing()]
    assert listing == sorted(listing)


def test_survey_walks_without_recursion(tmp_path):
    import sys
    import traceback

    from perfxl.discovery import survey

    path = tmp_path
    for _ in range(120):
        path = path / "d"
        path.mkdir()
    (path / "底.xlsx").write_bytes(b"PK")
    limit = sys.getrecursionlimit()
    # 40 frames to spare: a recursive walk would need one (or more) per level, 120 levels
    sys.setrecursionlimit(len(traceback.extract_stack()) + 40)
    try:
        found = survey([tmp_path])
    finally:
        sys.setrecursionlimit(limit)
    assert [p.name for p in found.files] == ["底.xlsx"]
