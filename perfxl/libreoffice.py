"""LibreOffice headless as a real spreadsheet to check perfxl against.

The plain-formula templates must compute the same figures as the engine in a program
other than ours; LibreOffice recalculates them here. By default it keeps the cached
results of an .xlsx on load, so every run gets a private user profile that says
"always recalculate" — otherwise a check could pass on stale numbers.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(
    paths: Sequence[Path], to: str, outdir: Path, *, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """`soffice --convert-to TO` for every path at once, recalculating formulas on load.

    Raises FileNotFoundError when LibreOffice is not installed; the caller decides
    whether that is a skip or a failure.
    """
    soffice = find_soffice()
    if soffice is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="perfxl-lo-") as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
        command = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            to,
            "--outdir",
            str(outdir),
            *(str(p) for p in paths),
        ]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
