"""Helpers for the perfxl serve tests: an app over Starlette's TestClient (no sockets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.testclient import TestClient

from perfxl.serve.app import create_app
from perfxl.serve.settings import ServeSettings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEEDS = EXAMPLES / "seeds"
COUNTY = EXAMPLES / "county"


def client(**options) -> TestClient:
    return TestClient(create_app(ServeSettings(**options)))


@pytest.fixture
def api() -> TestClient:
    return client()


def upload(path: Path, name: str | None = None) -> dict:
    return {"file": (name or path.name, path.read_bytes())}
