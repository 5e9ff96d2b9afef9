"""Finding a Python with LibreOffice's uno bridge, for the tests that drive LibreOffice."""

from __future__ import annotations

import os
import shutil
import subprocess


def _uno_python() -> list[str] | None:
    for python in ("/usr/bin/python3", shutil.which("python3")):
        if not python:
            continue
        env = {
            **os.environ,
            "PYTHONPATH": "/usr/lib/python3/dist-packages:/usr/lib/libreoffice/program",
        }
        probe = subprocess.run(
            [python, "-c", "import uno"], env=env, capture_output=True, check=False
        )
        if probe.returncode == 0:
            return [python]
    return None
