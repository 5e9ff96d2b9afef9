"""Helpers for the browser tests: a real `perfxl serve` process and headless Chromium.

The server is the command itself (a subprocess on a free port, --port 0, its address
read from the line it prints), so the page is tested against exactly what a clerk
starts. The browser is Debian's chromium driven by Selenium through Debian's
chromedriver (same version); no browser is downloaded. Without them the tests skip,
and fail under CI, which installs them (.ci/run), as the LibreOffice tests do.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
START_TIMEOUT = 60  # seconds for the server to print its address (a busy CI machine)
WAIT = 20  # seconds for the page to show an answer


def require_browser() -> tuple[str, str]:
    """(chromium, chromedriver) paths; without them the test skips, or fails under CI."""
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    driver = shutil.which("chromedriver")
    missing = []
    if browser is None:
        missing.append("chromium")
    if driver is None:
        missing.append("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[test]')")
    if missing:
        message = f"{', '.join(missing)} not installed; .ci/run installs chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return browser, driver


class Server:
    """`perfxl serve --port 0 <args>` in a subprocess; `url` is the address it printed."""

    def __init__(self, *args: str) -> None:
        command = [sys.executable, "-c", "from perfxl.cli import main; main()", "serve"]
        self.process = subprocess.Popen(
            [*command, "--port", "0", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.url = self._address()

    def _pump(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put("")

    def _address(self) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.output.append(line)
            if not line:
                break
            found = re.search(r"http://127\.0\.0\.1:\d+/", line)
            if found:
                return found.group(0)
        self.stop()
        raise AssertionError("perfxl serve did not start:\n" + "".join(self.output))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def chrome(browser: str, driver: str, downloads: Path):
    """Headless Chromium at 1366×768 saving downloads to `downloads` without asking."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root in a container
        "--disable-dev-shm-usage",
        "--window-size=1366,768",
        "--lang=zh-CN",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {
            "download.default_directory": str(downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        },
    )
    web = webdriver.Chrome(options=options, service=Service(driver))
    web.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    return web


def wait_for(web, check: Callable[[Any], Any], timeout: float = WAIT, what: str = "") -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(web, timeout, poll_frequency=0.1).until(
        check, message=f"the page did not show {what or 'the answer'} within {timeout} s"
    )


# A file dropped on the drop zone: Selenium cannot drag from the desktop, so a hidden
# input outside the page's form takes the path (send_keys) and a real DragEvent carrying
# that File in a DataTransfer is dispatched on the zone, as a browser does on a drop.
_DROP_INPUT = """
const input = document.createElement('input');
input.type = 'file';
input.id = 'test-drop-source';
input.style.display = 'none';
document.body.appendChild(input);
return input;
"""
_DROP = """
const zone = document.querySelector(arguments[0]);
const input = document.getElementById('test-drop-source');
const data = new DataTransfer();
data.items.add(input.files[0]);
for (const type of ['dragenter', 'dragover', 'drop']) {
  zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true}));
}
input.remove();
"""


def drop_file(web, path: Path, zone: str = "#drop-zone") -> None:
    web.execute_script(_DROP_INPUT).send_keys(str(path))
    web.execute_script(_DROP, zone)


def wait_download(folder: Path, name: str, timeout: float = WAIT) -> Path:
    """The finished download `name` in `folder` (Chromium writes .crdownload first)."""
    target = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        partial = list(folder.glob("*.crdownload"))
        if target.exists() and not partial and target.stat().st_size > 0:
            return target
        time.sleep(0.1)
    raise AssertionError(f"no download {name!r} in {folder}: {sorted(os.listdir(folder))}")
