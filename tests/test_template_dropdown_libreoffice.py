"""The level-2 drop-down of a template follows level 1 in LibreOffice too."""

from __future__ import annotations

import json
import os
import subprocess

import pytest
from conftest import require_soffice
from libreoffice_uno import _uno_python

from perfxl.profiles import load_profile
from perfxl.template import build_template
from perfxl.template import layout as L


def _soffice() -> str:
    return require_soffice()


# Drive LibreOffice through UNO (its own Python bridge, run by a Python that has it) to
# check that the level-2 drop-down follows level 1 there too: LibreOffice's "mark invalid
# data" flags a level 2 typed under the wrong level 1, and the unit list is enforced.
UNO_SCRIPT = r"""
import json, socket, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue

path, sheet_name, profile_dir = sys.argv[1:4]
with socket.socket() as s:
    s.bind(("localhost", 0))
    port = s.getsockname()[1]
office = subprocess.Popen(
    ["soffice", "-env:UserInstallation=" + profile_dir, "--headless", "--norestore",
     "--accept=socket,host=localhost,port=%d;urp;" % port],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve(
                "uno:socket,host=localhost,port=%d;urp;StarOffice.ComponentContext" % port)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    hidden = PropertyValue()
    hidden.Name, hidden.Value = "Hidden", True
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(path), "_blank", 0, (hidden,))
    sheet = doc.Sheets.getByName(sheet_name)

    def invalid(cells):
        for ref, value in cells.items():
            sheet.getCellRangeByName(ref).setString(value)
        doc.calculateAll()
        sheet.clearArrows()
        return sheet.showInvalid()

    result = {
        "empty": invalid({}),
        "right_level2": invalid({"A30": "决策", "B30": "项目立项"}),
        "wrong_level2": invalid({"A30": "决策", "B30": "数量指标"}),
        "inherited_level1": invalid({"A30": "产出", "B30": "", "A31": "", "B31": "成本指标"}),
        "inherited_wrong": invalid({"B31": "项目立项"}),
        "bad_unit": invalid({"B31": "成本指标", "F31": "公斤X"}),
        "good_unit": invalid({"F31": "万元"}),
    }
    doc.close(True)
    print(json.dumps(result))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(timeout=60)
"""


def test_dependent_dropdown_in_libreoffice(tmp_path):
    _soffice()
    python = _uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno bridge (python3-uno)")
    template = build_template(load_profile("mof2020"), "eval", "plain", tmp_path / "eval.xlsx")
    script = tmp_path / "check.py"
    script.write_text(UNO_SCRIPT, encoding="utf-8")
    profile = (tmp_path / "lo-profile").as_uri()
    env = {
        **os.environ,
        "PYTHONPATH": "/usr/lib/python3/dist-packages:/usr/lib/libreoffice/program",
    }
    done = subprocess.run(
        [*python, str(script), str(template), L.FORM_SHEETS["eval"], profile],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "empty": False,
        "right_level2": False,
        "wrong_level2": True,  # 数量指标 is not under 决策
        "inherited_level1": False,  # a blank level 1 takes the one above, as merged cells do
        "inherited_wrong": True,
        "bad_unit": True,
        "good_unit": False,
    }
