"""Starlette's own refusals reach a clerk in Chinese, as JSON like every other answer.

A mistyped address, a GET on an upload endpoint or a missing page file used to answer
the English words "Not Found" / "Method Not Allowed" in the page and the WPS add-in.
"""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from perfxl.serve.app import create_app
from perfxl.serve.settings import ServeSettings


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(ServeSettings()))


@pytest.mark.parametrize(
    ("method", "url", "status", "words"),
    [
        ("get", "/nope", 404, "没有这个地址"),
        ("get", "/static/no-such-file.js", 404, "没有这个地址"),
        ("get", "/api/validate", 405, "请求方式"),
        ("post", "/api/info", 405, "请求方式"),
    ],
)
def test_refusals_are_chinese(client, method, url, status, words):
    answer = getattr(client, method)(url)
    assert answer.status_code == status
    message = answer.json()["error"]
    assert words in message
    assert not any(w in message for w in ("Not Found", "Method Not Allowed"))
