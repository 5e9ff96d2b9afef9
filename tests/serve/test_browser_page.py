"""The page's files themselves (no browser): offline, served, packaged, Chinese."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

from _serve import ROOT, client

STATIC = ROOT / "perfxl" / "serve" / "static"
PAGE_FILES = ("index.html", "page.js", "page.css")


def test_the_page_fetches_nothing_from_outside():
    # Any absolute address (http://, https://, protocol-relative //host) in a src, href,
    # url() or import would need the network; the page must work offline.
    external = re.compile(
        r"""(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import"""
    )
    for name in PAGE_FILES:
        text = (STATIC / name).read_text(encoding="utf-8")
        assert not external.search(text), name
        assert 'fetch("http' not in text and "fetch('http" not in text, name


def test_the_app_serves_the_page_and_its_files():
    api = client()
    page = api.get("/")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    assert 'lang="zh-CN"' in page.text
    for name in re.findall(r'(?:src|href)="/static/([^"]+)"', page.text):
        assert api.get(f"/static/{name}").status_code == 200, name
    assert "下载批注副本" in page.text and "提交" in page.text


def test_the_page_is_packaged():
    # A wheel holds only the package data setup.cfg names (no MANIFEST.in here):
    # without this line `pip install perfxl` would serve a 404 for GET /.
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    patterns = config["options.package_data"]["perfxl.serve"].split()
    for name in PAGE_FILES:
        assert any(Path("static", name).match(p) for p in patterns), name


def test_values_enter_the_page_as_text_only():
    # The XSS test in test_browser.py proves it in a browser; this keeps the rule visible
    # where a browser is missing: data never goes through innerHTML/outerHTML/document.write.
    script = (STATIC / "page.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write", script)
