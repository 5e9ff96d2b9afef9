"""The WPS add-in (addins/wps): its JavaScript tests, and the add-in against the service.

`node --test addins/wps/test/` runs the add-in's own tests (a fake ET object model,
test/fake_et.js); this file runs them as part of pytest so the README's test command
covers the JavaScript. It also checks what the add-in and the rest of perfxl must
agree on: the marks record is the Excel ribbon's (so either can clear the other's
marks), the service lets the add-in's file:// page (origin "null") read its answers,
and the add-in run against a real `perfxl serve` on a seed workbook.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from openpyxl.utils.datetime import to_excel
from starlette.testclient import TestClient

from perfxl.excel import sheet as ribbon
from perfxl.serve.app import create_app
from perfxl.serve.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[1]
ADDIN = ROOT / "addins" / "wps"
NODE = shutil.which("node")
needs_node = pytest.mark.skipif(
    NODE is None, reason="node is not installed (the add-in's tests need Node 20)"
)


def _node(*args: str, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [NODE, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@needs_node
def test_the_addins_node_tests_pass() -> None:
    done = _node("--test", "addins/wps/test/")
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout


@needs_node
def test_the_marks_record_is_the_excel_ribbons() -> None:
    """Same very hidden sheet, header and comment texts as perfxl/excel/sheet.py, so a
    sheet marked in WPS can be cleared by the Excel ribbon and the other way round."""
    script = (
        "const l=require('./addins/wps/js/ledger.js'),c=require('./addins/wps/js/check.js');"
        "console.log(JSON.stringify([l.SHEET,l.HEADER,c.COMMENT_HEAD,c.COMMENT_BEFORE,c.SEVERITY_ZH]))"
    )
    done = _node("-e", script)
    assert done.returncode == 0, done.stderr
    name, header, head, before, severity = json.loads(done.stdout)
    assert name == ribbon.MARKS_SHEET
    assert tuple(header) == ribbon.MARKS_HEADER
    assert head == ribbon.COMMENT_HEAD
    assert before == ribbon.COMMENT_BEFORE
    assert severity == {str(k): v for k, v in ribbon.SEVERITY_ZH.items()}


# --------------------------------------------------------------------------- CORS


def _preflight(api: TestClient, origin: str):
    return api.options(
        "/api/check-sheet",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )


def test_the_addin_page_may_read_the_service_even_with_a_token() -> None:
    """The add-in page is a file:// page (origin "null"); with a token its request
    carries Authorization, so the browser asks first (preflight, no token on it)."""
    api = TestClient(create_app(ServeSettings(token="s3cret")))
    answer = _preflight(api, "null")
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == "null"
    assert "authorization" in answer.headers["access-control-allow-headers"].lower()
    body = json.dumps({"sheet": "表", "top_left": "A1", "cells": [["x"]]})
    headers = {"Origin": "null", "Content-Type": "text/plain;charset=UTF-8"}
    refused = api.post("/api/check-sheet", content=body, headers=headers)
    assert refused.status_code == 401  # the token still guards the API
    assert refused.headers["access-control-allow-origin"] == "null"  # and the page can say why
    allowed = api.post(
        "/api/check-sheet", content=body, headers={**headers, "Authorization": "Bearer s3cret"}
    )
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "null"


def test_other_web_pages_get_no_cors_answer() -> None:
    api = TestClient(create_app(ServeSettings()))
    assert _preflight(api, "https://example.com").status_code == 400
    body = json.dumps({"sheet": "表", "top_left": "A1", "cells": [["x"]]})
    answer = api.post("/api/check-sheet", content=body, headers={"Origin": "https://example.com"})
    assert "access-control-allow-origin" not in answer.headers
    dev = api.post("/api/check-sheet", content=body, headers={"Origin": "http://127.0.0.1:3889"})
    assert dev.headers["access-control-allow-origin"] == "http://127.0.0.1:3889"  # wpsjs debug


# --------------------------------------------------------------------------- live


def _value2(value):
    """A cell as WPS's Range.Value2 gives it: dates as serial numbers."""
    return to_excel(value) if isinstance(value, datetime) else value


@pytest.fixture
def served():
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfxl.cli", "serve", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    killer = threading.Timer(180, lambda: os.killpg(proc.pid, signal.SIGKILL))  # a hang
    killer.start()
    try:
        line = proc.stdout.readline()
        assert "http://" in line, proc.stderr.read()
        yield "http://" + line.split("http://", 1)[1].split()[0].rstrip("/")
    finally:
        killer.cancel()
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@needs_node
def test_the_addin_against_a_running_service(served: str, tmp_path: Path) -> None:
    """Seed 003's sheet placed at C5 in the fake ET, checked through the real service:
    95.73 优 under xj-60 (tests/test_golden.py), every mark 4 rows down and 2 columns
    right of where the service puts it for the table at A1, all undone by 清除标记."""
    book = openpyxl.load_workbook(ROOT / "examples" / "seeds" / "seed003.xlsx", data_only=True)
    sheet = book.worksheets[0]
    cells = [[_value2(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    data = {
        "sheet": sheet.title,
        "cells": cells,
        "profile": "xj-60",
        "total": "95.73",
        "grade": "优",
    }
    path = tmp_path / "sheet.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = _node(
        "--test",
        "addins/wps/test/live.test.js",
        env={"PERFXL_TEST_URL": served, "PERFXL_TEST_SHEET": str(path)},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# pass 1" in done.stdout and "# skipped 0" in done.stdout


@needs_node
def test_the_addin_on_a_monitoring_sheet_against_a_running_service(served, tmp_path) -> None:
    """The example county's 司法局 May 监控表 through the real service: the add-in's
    summary gives the month, 执行率 against 序时进度 and the lights. By hand: 19.64 / 32
    = 0.61375 -> 61.38%; 序时进度 5/12 = 41.67%; 0.6138 / 0.4167 = 1.47 >= 0.8 -> 绿;
    办理法律援助案件 79件 of ≥260件: 79 / (260 × 5/12 = 108.33) = 0.729 < 0.8 -> 黄, so
    the project is 黄, and its empty 原因说明 (PX115) is the one mark."""
    (source,) = (ROOT / "examples" / "county" / "监控" / "示例县司法局").glob("*.xlsx")
    sheet = openpyxl.load_workbook(source, data_only=True)["法律援助经费"]
    cells = [[_value2(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    summary = "监控月份 5 月，执行率 61.38%（序时进度 41.67%），预算执行绿灯，项目预警黄灯"
    data = {"sheet": sheet.title, "cells": cells, "profile": None, "summary": summary}
    path = tmp_path / "sheet.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = _node(
        "--test",
        "addins/wps/test/live.test.js",
        env={"PERFXL_TEST_URL": served, "PERFXL_TEST_SHEET": str(path)},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# pass 1" in done.stdout and "# skipped 0" in done.stdout


# --------------------------------------------------------------------------- deployment


def _plugins(path: Path) -> list[dict]:
    return [dict(e.attrib, tag=e.tag) for e in ElementTree.parse(path).getroot()]


def test_publish_xml_names_the_packaged_version() -> None:
    """deploy/publish.xml (the offline registration wpsjs writes: url is the folder
    <name>_<version> inside jsaddons) agrees with package.json, which wpsjs reads."""
    package = json.loads((ADDIN / "package.json").read_text(encoding="utf-8"))
    assert package["addonType"] == "et"
    (entry,) = _plugins(ADDIN / "deploy" / "publish.xml")
    assert entry["tag"] == "jsplugin"
    assert (entry["name"], entry["type"], entry["version"]) == (
        package["name"],
        "et",
        package["version"],
    )
    assert entry["url"] == f"{package['name']}_{package['version']}"
    for script in ("install-linux.sh", "install-windows.ps1"):
        text = (ADDIN / "deploy" / script).read_text(encoding="utf-8-sig")
        assert (
            f"VERSION={package['version']}" in text or f"$version = '{package['version']}'" in text
        )


@pytest.mark.skipif(shutil.which("sh") is None, reason="no POSIX shell")
def test_linux_installer_keeps_other_addins_and_replaces_an_old_perfxl(tmp_path: Path) -> None:
    jsaddons = tmp_path / "jsaddons"
    jsaddons.mkdir()
    (jsaddons / "publish.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins><jspluginonline name="other" type="wps" '
        'url="http://127.0.0.1:3889/" enable="enable_dev" install="null"/>'
        '<jsplugin name="perfxl" type="et" url="perfxl_0.9.0" version="0.9.0"/></jsplugins>\n',
        encoding="utf-8",
    )
    env = {**os.environ, "WPS_JSADDONS_DIR": str(jsaddons)}
    for _ in range(2):  # installing again changes nothing
        done = subprocess.run(
            ["sh", str(ADDIN / "deploy" / "install-linux.sh")],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
    plugins = _plugins(jsaddons / "publish.xml")
    assert [(p["tag"], p["name"]) for p in plugins] == [
        ("jspluginonline", "other"),
        ("jsplugin", "perfxl"),
    ]
    assert plugins[1]["url"] == "perfxl_1.0.0"
    folder = jsaddons / "perfxl_1.0.0"
    for name in (
        "index.html",
        "main.js",
        "ribbon.xml",
        "js/check.js",
        "ui/settings.html",
        "images/check.svg",
    ):
        assert (folder / name).is_file(), name
    assert not (folder / "test").exists() and not (folder / "deploy").exists()
