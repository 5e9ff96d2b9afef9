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
