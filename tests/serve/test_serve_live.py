"""The one test over a real socket: `perfxl serve` started as a process, fed the
reliability suite's hostile workbooks (tests/hostile: zip bombs, lying sizes, a CRC
that does not match, billions of declared strings, sheets reaching a million rows, NaN
in a number cell), a good workbook before and after. Every upload gets an answer
(/api/annotate a Chinese refusal, no copy), the good one the same answer both times,
and the server stays up within a memory bound (a generous ceiling, not a speed)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx2 as httpx
import pytest
from _serve import SEEDS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
from _zips import (
    Member,
    content,
    deflated,
    replace,
    seed_members,
    write_zip,
    zeros_stream,
)

SHEET = "xl/worksheets/sheet1.xml"
RSS_MB = 600  # the server with perfxl loaded is about 120 MB; the CLI's bound is 400


def hostile_inputs(tmp: Path) -> dict[str, tuple[Path, str]]:
    """name -> (workbook, what the answer must hold: a code, or "tables")."""
    members = seed_members(tmp)
    xml = content(members, SHEET)
    styles = next(m for m in members if m.name == "xl/styles.xml")
    original = next(m for m in members if m.name == SHEET)
    wide = b"<row>" + b"<c><v>1</v></c>" * 16_384 + b"</row>"
    tall = b"<row><c><v>1</v></c></row>" * 500_000
    far = b'<row r="1048576"><c r="ZZ1048576"><v>1</v></c></row>'
    spent = b'<c r="F6" s="7" t="n"><v>81.81999999999999</v></c>'
    altered = xml.replace(spent, b'<c r="F6" s="7" t="n"><v>50</v></c>')
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    numbers = xml.replace(spent, b'<c r="F6"><v>NaN</v></c>')

    def book(name: str, parts: list[Member]) -> Path:
        return write_zip(tmp / name, parts)

    sheet = lambda data: replace(members, SHEET, deflated(SHEET, data))  # noqa: E731
    return {
        "wide-and-tall": (
            book("tall.xlsx", sheet(xml.replace(b"</sheetData>", wide + tall + b"</sheetData>"))),
            "PX005",
        ),
        "far-row": (book("far.xlsx", sheet(xml.replace(b"<sheetData>", b"<sheetData>" + far))), "PX005"),
        "styles-bomb": (
            book("bomb.xlsx", replace(members, styles.name, Member(styles.name, zeros_stream(2048), styles.size, styles.crc))),
            "PX001",
        ),
        "unneeded-bomb": (
            book("bomb2.xlsx", [*members, Member("xl/media/image1.png", zeros_stream(512), 1000, 0)]),
            "PX001",
        ),
        "wrong-crc": (
            book("crc.xlsx", replace(members, SHEET, Member(SHEET, deflated(SHEET, altered).raw, len(altered), original.crc))),
            "PX001",
        ),
        "billions-of-strings": (book("sst.xlsx", [*members, deflated("xl/sharedStrings.xml", sst)]), "PX001"),
        "nan": (book("nan.xlsx", sheet(numbers)), "PX006"),
        "not-a-zip": (tmp.joinpath("text.xlsx"), "PX001"),
    }  # fmt: skip


def _codes(document: dict) -> list[str]:
    (file,) = document["files"]
    return [f["code"] for f in file["findings"]] + [
        f["code"] for t in file["tables"] for f in t["findings"]
    ]


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture
def server(tmp_path: Path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "perfxl.cli", "serve", "--port", "0", "--inbox", str(tmp_path / "inbox")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    killer = threading.Timer(300, lambda: os.killpg(proc.pid, signal.SIGKILL))  # a hang
    killer.start()
    try:
        line = proc.stdout.readline()
        assert "http://" in line, proc.stderr.read()
        url = line.split("http://", 1)[1].split()[0].rstrip("/")
        yield proc, f"http://{url}"
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


def test_live_server_answers_hostile_uploads_and_stays_up(server, tmp_path: Path) -> None:
    proc, base = server
    (tmp_path / "text.xlsx").write_text("这不是工作簿", encoding="utf-8")
    inputs = hostile_inputs(tmp_path)
    good = SEEDS / "seed003.xlsx"
    with httpx.Client(base_url=base, timeout=120) as http:
        assert http.get("/api/info").json()["inbox"] is True
        before = http.post("/api/score", files={"file": (good.name, good.read_bytes())})
        assert before.status_code == 200 and before.json()["files"][0]["tables"]
        for name, (path, expected) in inputs.items():
            for route in ("/api/validate", "/api/score"):
                answer = http.post(route, files={"file": (path.name, path.read_bytes())})
                assert answer.status_code == 200, (name, route, answer.text[:500])
                document = json.loads(answer.text)
                assert expected in _codes(document), (name, route, _codes(document))
                assert proc.poll() is None, name
            copy = http.post("/api/annotate", files={"file": (path.name, path.read_bytes())})
            assert copy.status_code == 422, (name, copy.text[:300])  # no copy; never a 500
            assert copy.json()["error"] and copy.json()["findings"]
            assert proc.poll() is None, name
        refused = http.post(
            "/api/submit", files={"file": ("bomb.xlsx", inputs["styles-bomb"][0].read_bytes())}
        )
        assert refused.status_code == 422
        after = http.post("/api/score", files={"file": (good.name, good.read_bytes())})
        assert after.text == before.text
        assert _peak_rss_mb(proc.pid) < RSS_MB
    assert list((tmp_path / "inbox").iterdir()) == []
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=20) == 0
    assert "服务已停止" in proc.stdout.read()
