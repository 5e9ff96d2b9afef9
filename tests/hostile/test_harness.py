"""The child-process harness itself: it must see a child's memory and kill a hung child."""

from _child import run_perfxl, run_python


def test_peak_rss_is_the_childs_own():
    # a child that holds ~200 MB must report at least that much
    run = run_python("b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096])")
    assert run.returncode == 0, run.stderr
    assert run.peak_rss_mb > 190


def test_a_hung_child_is_killed():
    run = run_python("import time; time.sleep(60)", timeout=1)
    assert run.killed
    assert run.returncode != 0


def test_perfxl_runs_as_a_child():
    run = run_perfxl("profiles")
    assert run.returncode == 0, run.stderr
    assert "mof2020" in run.stdout
