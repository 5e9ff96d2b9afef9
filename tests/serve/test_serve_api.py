"""perfxl serve's API through Starlette's TestClient: limits, token, annotate, check-sheet."""

from __future__ import annotations

import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

import anyio
import openpyxl
import pytest
from _serve import COUNTY, SEEDS, client, upload
from click.testing import CliRunner

from perfxl.cli import main
from perfxl.serve.app import create_app
from perfxl.serve.settings import ServeSettings

SEED = SEEDS / "seed003.xlsx"
MB = 1024 * 1024


def test_info_lists_the_profiles() -> None:
    info = client(profile="xj-60").get("/api/info").json()
    assert info["profile"] == "xj-60" and info["inbox"] is False
    assert {"mof2020", "xj-60", "xj-prop"} <= set(info["profiles"])
    assert info["version"]


def test_page_and_static_are_served() -> None:
    api = client()
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert api.get("/static/index.html").status_code == 200
    assert api.get("/static/../app.py").status_code == 404


def test_unknown_profile_is_a_chinese_400_and_no_file_is_read() -> None:
    response = client().post("/api/validate", files=upload(SEED), data={"profile": "/etc/passwd"})
    assert response.status_code == 400
    assert "未知的评分规则" in response.json()["error"]


def test_missing_file_field_is_400() -> None:
    response = client().post("/api/validate", data={"profile": "xj-60"}, files={"x": ("a", b"1")})
    assert response.status_code == 400 and "file" in response.json()["error"]


def test_unreadable_upload_is_200_with_px001() -> None:
    response = client().post("/api/validate", files={"file": ("空.xlsx", b"")})
    assert response.status_code == 200
    (file,) = response.json()["files"]
    assert [f["code"] for f in file["findings"]] == ["PX001"]
    assert "0 字节" in file["findings"][0]["message"]


def test_a_client_path_in_the_file_name_is_dropped() -> None:
    response = client().post("/api/score", files=upload(SEED, "C:\\Users\\王\\..\\seed003.xlsx"))
    assert response.json()["files"][0]["path"] == "seed003.xlsx"


# --------------------------------------------------------------------------- size limit


def test_declared_length_over_the_limit_is_413_in_chinese() -> None:
    api = client(max_upload=MB)
    response = api.post("/api/validate", files={"file": ("big.xlsx", b"x" * (MB + 100_000))})
    assert response.status_code == 413
    assert "过大" in response.json()["error"]


def _multipart(name: str, size: int, chunk: int = 64 * 1024):
    """A multipart body holding `size` bytes of file, as chunks (never all in memory)."""
    boundary = b"perfxlboundary"
    head = (
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; '
        b'filename="' + name.encode() + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
    )
    yield head
    sent = 0
    while sent < size:
        part = min(chunk, size - sent)
        sent += part
        yield b"\0" * part
    yield b"\r\n--" + boundary + b"--\r\n"


def _raw_post(app, path: str, headers: list[tuple[bytes, bytes]], chunks) -> tuple[int, dict, int]:
    """POST straight to the ASGI app: any headers (a lying Content-Length, none at all),
    the body fed chunk by chunk. Returns status, JSON body, and the chunks consumed."""
    consumed = 0
    iterator = iter(chunks)
    sent: list[dict] = []

    async def receive() -> dict:
        nonlocal consumed
        try:
            body = next(iterator)
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}
        consumed += 1
        return {"type": "http.request", "body": body, "more_body": True}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 8765),
    }  # fmt: skip
    anyio.run(app, scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, json.loads(body), consumed


CONTENT_TYPE = (b"content-type", b"multipart/form-data; boundary=perfxlboundary")


@pytest.mark.parametrize("length", [None, b"1000"], ids=["no-length", "lying-length"])
def test_bytes_are_counted_whatever_the_length_says(length) -> None:
    """200 MB sent with no Content-Length (chunked) or one claiming 1,000 bytes: the
    server stops reading at the 1 MB limit plus the form's slack, and answers 413."""
    app = create_app(ServeSettings(max_upload=MB))
    headers = [CONTENT_TYPE] + ([(b"content-length", length)] if length else [])
    chunks = _multipart("bomb.xlsx", 200 * MB)
    status, body, consumed = _raw_post(app, "/api/validate", headers, chunks)
    assert status == 413 and "过大" in body["error"]
    assert consumed * 64 * 1024 < 2 * MB  # 1 MB + 64 KB slack, in 64 KB chunks


def test_the_upload_is_never_written_to_disk(monkeypatch) -> None:
    """A 3 MB workbook (Starlette's own parser would spool it to a temporary file past
    1 MB) is checked with every way of making a file on disk disabled."""
    data = SEED.read_bytes()
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:  # the seed, with a 3 MB member added
        archive.writestr("customXml/pad.bin", random.randbytes(3 * MB))
    padded = buffer.getvalue()
    assert len(padded) > 3 * MB
    big = data + b"\0" * (3 * MB)  # not a valid workbook: PX001, but read from memory

    def refuse(*args, **kwargs):
        raise AssertionError("an upload was written to disk")

    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(Path, "write_bytes", refuse)
    api = client()
    ok = api.post("/api/score", files={"file": ("seed003.xlsx", padded)})
    assert ok.status_code == 200 and ok.json()["files"][0]["tables"]
    bad = api.post("/api/score", files={"file": ("big.xlsx", big)})
    assert bad.status_code == 200


# --------------------------------------------------------------------------- token


def test_token_is_required_on_the_api_only() -> None:
    api = client(token="s3cret")
    assert api.get("/api/info").status_code == 401
    assert api.get("/api/info", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert api.get("/api/info", headers={"Authorization": "Basic s3cret"}).status_code == 401
    denied = api.post("/api/validate", files=upload(SEED))
    assert denied.status_code == 401 and "令牌" in denied.json()["error"]
    assert api.get("/api/info", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert api.get("/").status_code == 200  # the page loads; it asks for the token


def test_other_address_without_token_refuses_to_start(monkeypatch) -> None:
    monkeypatch.delenv("PERFXL_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--port", "0"])
    assert result.exit_code == 2
    assert "令牌" in result.output


# --------------------------------------------------------------------------- annotate


def test_annotated_copy_is_the_cli_copy(tmp_path: Path, monkeypatch) -> None:
    """The same marks and 校验结果 rows as `perfxl validate --annotate` writes; the
    temporary folder it used is gone."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    response = client().post("/api/annotate", files=upload(SEED))
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    assert "seed003_%E6%89%B9%E6%B3%A8.xlsx" in response.headers["content-disposition"]  # _批注
    assert list(scratch.iterdir()) == []
    monkeypatch.chdir(SEEDS)
    out = tmp_path / "copies"
    CliRunner().invoke(main, ["validate", SEED.name, "--annotate", str(out)])
    cli = openpyxl.load_workbook(out / SEED.name)
    api = openpyxl.load_workbook(io.BytesIO(response.content))
    assert api.sheetnames == cli.sheetnames and "校验结果" in api.sheetnames
    rows = lambda book: [list(r) for r in book["校验结果"].iter_rows(values_only=True)]  # noqa: E731
    assert rows(api) == rows(cli) and len(rows(api)) > 1
    sheet = cli.sheetnames[0]
    for row in cli[sheet].iter_rows():
        for cell in row:
            other = api[sheet][cell.coordinate]
            assert (other.comment and other.comment.text) == (cell.comment and cell.comment.text)
            assert other.fill.fgColor.rgb == cell.fill.fgColor.rgb


def test_annotating_an_unreadable_workbook_is_422() -> None:
    response = client().post("/api/annotate", files={"file": ("x.xlsx", b"not a zip")})
    assert response.status_code == 422
    assert response.json()["findings"][0]["code"] == "PX001"


# --------------------------------------------------------------------------- check-sheet


def _value2(path: Path) -> tuple[str, list[list]]:
    """The first sheet's used range as WPS's Range.Value2 gives it: null for empty."""
    book = openpyxl.load_workbook(path, data_only=True)
    sheet = book.worksheets[0]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    return sheet.title, cells


def test_check_sheet_gives_the_files_findings_and_figures() -> None:
    sheet, cells = _value2(SEED)
    api = client()
    answer = api.post(
        "/api/check-sheet",
        json={"sheet": sheet, "top_left": "A1", "cells": cells, "profile": "xj-60"},
    ).json()
    scored = api.post("/api/score", files=upload(SEED), data={"profile": "xj-60"}).json()
    (table,) = scored["files"][0]["tables"]
    without_file = [{k: v for k, v in f.items() if k != "file"} for f in table["findings"]]
    assert answer["findings"] == without_file
    (figures,) = answer["tables"]
    # seed 003 under xj-60: 95.73 优, deviation 95.26 − 81.82 = 13.44 (tests/test_golden.py)
    assert (figures["total"], figures["grade"], figures["deviation"]) == (95.73, "优", 13.44)
    assert figures["execution_rate"] == table["execution_rate"]
    marked = {m["cell"]: m for m in answer["marks"]}
    for found in answer["findings"]:
        cell = found["cell"].split("!")[1]
        assert found["message"] in marked[cell]["note"]
        assert marked[cell]["note"].startswith("perfxl 校验：")  # the ribbon's comment head
    errors = [m for m in answer["marks"] if m["severity"] == "error"]
    assert errors and all(m["color"] == "#FF7C80" for m in errors)  # Excel's "bad" red


def _shift(address: str, rows: int, cols: int) -> str:
    sheet, cell = address.split("!")
    letters = cell.rstrip("0123456789")
    number = int(cell[len(letters) :]) + rows
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    col += cols
    out = ""
    while col:
        col, rest = divmod(col - 1, 26)
        out = chr(65 + rest) + out
    return f"{sheet}!{out}{number}"


def test_check_sheet_counts_from_its_top_left() -> None:
    """The same range posted at A1 and at C5: every finding and mark moves 4 rows down
    and 2 columns right, so the add-in's marks land where the table is."""
    sheet, cells = _value2(SEED)
    api = client()
    whole = api.post("/api/check-sheet", json={"sheet": sheet, "top_left": "A1", "cells": cells})
    moved = api.post("/api/check-sheet", json={"sheet": sheet, "top_left": "$C$5", "cells": cells})
    a, b = whole.json(), moved.json()
    assert a["tables"] == b["tables"] and a["marks"]
    assert [_shift(f["cell"], 4, 2) for f in a["findings"]] == [f["cell"] for f in b["findings"]]
    assert [m["cell"] for m in b["marks"]] == [
        _shift(f"{sheet}!{m['cell']}", 4, 2).split("!")[1] for m in a["marks"]
    ]


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"sheet": "", "cells": []},
        {"sheet": "表", "cells": "A1"},
        {"sheet": "表", "cells": [[{"x": 1}]]},
        {"sheet": "表", "cells": [[1]], "top_left": "ZZZZ1"},
        {"sheet": "表", "cells": [[1]], "profile": 5},
        {"sheet": "表", "cells": [[1]], "profile": "../../x.toml"},
    ],
)
def test_check_sheet_refuses_what_is_no_sheet(body) -> None:
    response = client().post("/api/check-sheet", json=body)
    assert response.status_code == 400 and response.json()["error"]


def test_check_sheet_refuses_nan_and_bounds_a_huge_range() -> None:
    api = client()
    nan = api.post(
        "/api/check-sheet",
        content=b'{"sheet": "s", "cells": [[NaN]]}',
        headers={"content-type": "application/json"},
    )
    assert nan.status_code == 400
    sheet, cells = _value2(SEED)
    tall = cells + [[None]] * 6000 + [[1]]  # reaches past the reader's 5,000 rows
    answer = api.post("/api/check-sheet", json={"sheet": sheet, "cells": tall}).json()
    assert answer["findings"][0]["code"] == "PX005"
    assert answer["tables"]  # the table at the top is still read


def test_check_sheet_without_a_table_says_so() -> None:
    answer = client().post("/api/check-sheet", json={"sheet": "封面", "cells": [["说明"]]}).json()
    assert [f["code"] for f in answer["findings"]] == ["PX002"]
    assert answer["tables"] == [] and answer["marks"] == []


def test_county_example_has_a_settings_file() -> None:
    assert (COUNTY / "perfxl-county.toml").is_file()


def test_the_event_loop_answers_while_a_workbook_is_checked(monkeypatch) -> None:
    """A check that has not finished (held on an event) does not hold up /api/info: the
    work runs in a worker thread, not on the event loop."""
    import threading

    import httpx2

    from perfxl.serve import checks

    started, release = threading.Event(), threading.Event()
    real = checks.validate_document

    def held(*args):
        started.set()
        assert release.wait(60)
        return real(*args)

    monkeypatch.setattr(checks, "validate_document", held)
    app = create_app(ServeSettings())

    async def scenario() -> tuple[int, int, bool]:
        transport = httpx2.ASGITransport(app=app)
        answers: dict[str, int] = {}
        http = httpx2.AsyncClient(transport=transport, base_url="http://t")

        async def slow() -> None:
            response = await http.post("/api/validate", files=upload(SEED))
            answers["validate"] = response.status_code

        async with http, anyio.create_task_group() as group:
            group.start_soon(slow)
            await anyio.to_thread.run_sync(started.wait, 60)
            info = await http.get("/api/info")
            pending = "validate" not in answers
            release.set()
        return info.status_code, answers["validate"], pending

    info, validated, pending = anyio.run(scenario)
    assert (info, validated, pending) == (200, 200, True)


def test_an_unforeseen_failure_is_a_chinese_500_and_the_app_goes_on(monkeypatch) -> None:
    from perfxl.serve import checks

    def explode(*args):
        raise RuntimeError("boom")

    api = client()
    monkeypatch.setattr(checks, "score_document", explode)
    failed = api.post("/api/score", files=upload(SEED))
    assert failed.status_code == 500 and "程序内部出错" in failed.json()["error"]
    assert api.post("/api/validate", files=upload(SEED)).status_code == 200
