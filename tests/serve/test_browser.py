"""The page of `perfxl serve` in a real browser (issue 11 item 3).

Headless Chromium (Debian's) opens the page served by a real `perfxl serve` process,
a seed workbook is picked or dropped, and what the page shows is read back and
compared with the seed figures worked out in tests/test_golden.py; the annotated copy
is downloaded and opened with openpyxl. One browser and two servers for the module.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest
from _serve import SEEDS
from browser_support import Server, chrome, drop_file, require_browser, wait_download, wait_for
from openpyxl import load_workbook

from perfxl.samples.national import write_workbook
from perfxl.samples.seeds import SEEDS as SPECS

TOKEN = "s3cret+token_42/="  # ASCII (a header's); "+" must not become a space
HOSTILE = '<img src=x onerror="window.__pwned=1">'
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def tools():
    return require_browser()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def web(tools, downloads):
    browser = chrome(*tools, downloads)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def plain(tools):
    """No inbox, no token; a 0.25 MB upload limit (a seed is 8 KB) for the 413 case."""
    server = Server("--max-upload", "0.25")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def inbox(tools, tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    server = Server("--inbox", str(folder), "--token", TOKEN, "--profile", "mof2020")
    server.folder = folder
    yield server
    server.stop()


def choose_profile(web, name: str) -> None:
    from selenium.webdriver.support.ui import Select  # imported once a browser exists

    Select(web.find_element("id", "profile-select")).select_by_value(name)


# --- reading the page -------------------------------------------------------------------


def open_page(web, url: str, profile: str | None = None) -> None:
    web.get(url)
    wait_for(web, lambda w: body_state(w) in ("ready", "info-failed"), what="/api/info")
    if profile:
        choose_profile(web, profile)


def body_state(web) -> str:
    return web.execute_script("return document.body.dataset.state || ''")


def pick(web, path: Path) -> None:
    web.find_element("id", "file-input").send_keys(str(path))
    wait_checked(web)


def wait_checked(web) -> str:
    return wait_for(
        web, lambda w: (s := body_state(w)) in ("checked", "check-failed") and s, what="a check"
    )


def field(web, name: str) -> str:
    return web.find_element("css selector", f'#results [data-field="{name}"]').text


def finding_rows(web) -> list[dict]:
    rows = []
    for tr in web.find_elements("css selector", "#results tr.finding"):
        code, severity, cell, message = tr.find_elements("tag name", "td")
        rows.append(
            {
                "code": code.text,
                "severity": severity.text,
                "cell": cell.text,
                "where": cell.get_attribute("title"),
                "message": message.text,
            }
        )
    return rows


def status(web) -> str:
    return web.find_element("id", "status").text


def button(web, name: str):
    return web.find_element("id", f"{name}-button")


# --- the tests ------------------------------------------------------------------------------


def test_seed_003_figures_and_first_finding(web, plain):
    open_page(web, plain.url, "xj-60")
    pick(web, SEEDS / "seed003.xlsx")
    assert field(web, "project") == "援疆工作经费项目"
    # Seed 003 under xj-60 (tests/test_golden.py): 21 + 16.73 + 28 + 30 = 95.73, 优;
    # execution 81.82 spent / 100 received = 81.82%; completion (21 × 100% + 81.82% +
    # 9.10%) / 23 = 95.26%; deviation 95.26 − 81.82 = 13.44 percentage points.
    assert field(web, "total") == "95.73"
    assert "95.72" in field(web, "reported-total")  # the report prints 95.72
    assert field(web, "grade") == "优"
    assert field(web, "execution_rate") == "81.82%"
    assert field(web, "completion_rate") == "95.26%"
    assert field(web, "deviation") == "13.44 个百分点"
    rows = finding_rows(web)
    # The one error first: the funds block's printed 执行率 81.82% against 81.82 ÷ 81.82.
    assert rows[0]["code"] == "PX114"
    assert rows[0]["severity"] == "错误"
    assert rows[0]["cell"] == "H6"
    assert rows[0]["where"] == "援疆工作经费项目!H6"
    assert CJK.search(rows[0]["message"])
    # errors, then warnings, then notes; PX020 on the 预算执行率 row's printed 2.7 is there
    rank = {"错误": 0, "警告": 1, "提示": 2}
    assert [rank[r["severity"]] for r in rows] == sorted(rank[r["severity"]] for r in rows)
    assert {"code": "PX020", "cell": "H20"}.items() <= next(
        r for r in rows if r["code"] == "PX020"
    ).items()
    assert "1 个错误" in status(web)
    # nothing loaded from anywhere but the server itself (the page works offline)
    origins = web.execute_script(
        "return performance.getEntriesByType('resource').map(e => new URL(e.name).origin)"
    )
    assert set(origins) <= {plain.url.rstrip("/")}
    assert not button(web, "submit").is_displayed()  # no inbox: no 提交

    # Another profile re-checks at once: under mof2020 seed 003's execution divides by the
    # printed 全年预算数 81.82, so 81.82 / 81.82 = 100% (tests/test_golden.py).
    web.execute_script("document.body.dataset.state = ''")
    choose_profile(web, "mof2020")
    wait_checked(web)
    assert field(web, "execution_rate") == "100.00%"


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("pct(0.9526)", "95.26%"),  # not 95.25999…% (0.9526 × 100 in binary floating point)
        ("pct(0.00005)", "0.01%"),  # 0.005% rounds half up
        ("pct(0.12345)", "12.35%"),  # 12.345 half up
        ("num(2.675)", "2.68"),  # 2.675 as written, half up (the binary double is 2.67499…)
        ("num(13.44)", "13.44"),
        ("num(-0.004)", "0.00"),  # no "-0.00"
        ("num(-57.965)", "-57.97"),
        ("pct(1e-7)", "0.00%"),
        ("num(100)", "100.00"),
        ("num(null)", "—"),
        ("pct(undefined)", "—"),
    ],
)
def test_numbers_are_shown_as_the_cli_shows_them(web, plain, call, expected):
    if not web.current_url.startswith(plain.url):
        open_page(web, plain.url)
    assert web.execute_script(f"return window.perfxlFormat.{call}") == expected


def test_drop_and_download_the_annotated_copy(web, plain, downloads):
    open_page(web, plain.url, "xj-60")
    drop_file(web, SEEDS / "seed003.xlsx")
    wait_checked(web)
    assert field(web, "total") == "95.73"
    first = finding_rows(web)[0]
    sheet, cell = first["where"].rsplit("!", 1)
    button(web, "annotate").click()
    wait_for(web, lambda w: body_state(w) in ("annotated", "annotate-failed"), what="a download")
    assert body_state(web) == "annotated", status(web)
    copy = wait_download(downloads, "seed003_批注.xlsx")
    workbook = load_workbook(copy)
    comment = workbook[sheet][cell].comment
    assert comment is not None, f"no comment on {sheet}!{cell}"
    assert first["code"] in comment.text
    workbook.close()


def hostile_workbook(folder: Path) -> Path:
    """Seed 003 with markup in its project name and in an indicator's target (which a
    finding message quotes), saved under a file name that is markup too."""
    spec = SPECS["003"]
    rows = list(spec.rows)
    i = next(k for k, r in enumerate(rows) if r.target == "106个")
    rows[i] = dataclasses.replace(rows[i], target="106个" + HOSTILE)
    spec = dataclasses.replace(
        spec, project="援疆" + HOSTILE + "<script>window.__pwned=2</script>", rows=tuple(rows)
    )
    path = folder / "<img src=x onerror=window.__pwned=3>.xlsx"
    write_workbook([spec], path)
    return path


def test_markup_in_names_and_cells_is_shown_as_text(web, plain, tmp_path):
    path = hostile_workbook(tmp_path)
    open_page(web, plain.url, "xj-60")
    pick(web, path)
    assert body_state(web) == "checked", status(web)
    assert web.execute_script("return window.__pwned === undefined")
    assert web.find_elements("css selector", "#results img, #results script") == []
    assert web.find_element("css selector", "#results .file-name").text == path.name
    assert field(web, "project") == "援疆" + HOSTILE + "<script>window.__pwned=2</script>"
    assert any("106个" + HOSTILE in r["message"] for r in finding_rows(web))
    assert web.execute_script("return window.__pwned === undefined")


def test_too_large_and_unreadable_files_in_chinese(web, plain, tmp_path):
    big = tmp_path / "大文件.xlsx"
    big.write_bytes(b"PK\x03\x04" + bytes(400 * 1024))  # 400 KB over the 0.25 MB limit
    open_page(web, plain.url)
    pick(web, big)
    assert body_state(web) == "check-failed"
    message = status(web)
    assert "过大" in message and "0.25 MB" in message, message
    assert web.find_elements("css selector", "#results .table-card") == []
    assert not button(web, "annotate").is_enabled()

    text = tmp_path / "不是工作簿.xlsx"
    text.write_text("这只是一个改了扩展名的文本文件\n", encoding="utf-8")
    pick(web, text)
    assert body_state(web) == "checked"
    rejected = web.find_element("css selector", "#results .rejected").text
    assert "文件无法读取" in rejected, rejected
    (row,) = finding_rows(web)
    assert row["code"] == "PX001" and row["cell"] == "整个文件", row
    assert not button(web, "annotate").is_enabled()


def test_submit_with_token_and_receipt(web, inbox, tmp_path):
    open_page(web, inbox.url + "#token=" + TOKEN)
    assert body_state(web) == "ready", status(web)
    assert button(web, "submit").is_displayed()
    pick(web, SEEDS / "seed003.xlsx")  # one error: not submittable
    assert field(web, "total") != "—"
    assert not button(web, "submit").is_enabled()

    seed = SEEDS / "seed000.xlsx"
    pick(web, seed)  # no errors under mof2020 (tests/test_golden.py: 100, 优)
    assert field(web, "total") == "100.00"
    submit = button(web, "submit")
    assert submit.is_enabled()
    submit.click()
    wait_for(web, lambda w: body_state(w) in ("submitted", "submit-failed"), what="a receipt")
    assert body_state(web) == "submitted", status(web)
    receipt = {
        e.get_attribute("data-receipt"): e.text
        for e in web.find_elements("css selector", "#receipt [data-receipt]")
    }
    data = seed.read_bytes()
    assert receipt["sha256"] == hashlib.sha256(data).hexdigest()
    assert receipt["total"] == "100.00（优）"
    assert receipt["version"] == "第 1 版"
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", receipt["time"])
    stored = inbox.folder / receipt["path"]
    assert stored.read_bytes() == data

    # No error, but no usable 主管部门 for a folder: the server's 422 is shown, in Chinese.
    odd = tmp_path / "部门名无效.xlsx"
    write_workbook([dataclasses.replace(SPECS["000"], department="..")], odd)
    pick(web, odd)
    button(web, "submit").click()
    wait_for(web, lambda w: body_state(w) in ("submitted", "submit-failed"), what="a refusal")
    assert body_state(web) == "submit-failed"
    assert "未提交" in status(web) and "主管部门" in status(web), status(web)
    assert not web.find_element("id", "receipt").is_displayed()


def test_without_the_token_the_page_says_so(web, inbox):
    open_page(web, inbox.url)
    assert body_state(web) == "info-failed"
    assert "#token=" in status(web), status(web)
    # the address corrected in place: the page reads the new fragment and asks again
    web.execute_script("window.location.hash = arguments[0]", "token=" + TOKEN)
    wait_for(web, lambda w: body_state(w) == "ready", what="/api/info with the token")
    assert button(web, "submit").is_displayed()
