"""Shared test fixtures."""

import os

import pytest

from perfxl.libreoffice import find_soffice


def require_soffice() -> str:
    """LibreOffice's path; without it the test skips here and fails in CI (CI set)."""
    found = find_soffice()
    if found is None:
        message = "LibreOffice (soffice) is not installed; .ci/run installs libreoffice-calc-nogui"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture
def soffice() -> str:
    return require_soffice()
