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
