"""Fixtures of the Excel tests: xlwings' Windows-only code importable on Linux."""

import importlib
import sys
import types

import pytest

from perfxl.excel import registry, udfs


@pytest.fixture
def windows_xlwings(monkeypatch):
    """xlwings.udfs importable on Linux: the COM modules it imports, stubbed."""
    stubs = {
        name: types.ModuleType(name)
        for name in ("pythoncom", "pywintypes", "win32com", "win32com.client")
    }
    stubs["pythoncom"].CoInitialize = lambda: None
    stubs["pywintypes"].com_error = type("com_error", (Exception,), {})
    stubs["win32com.client"].Dispatch = lambda *a, **k: None
    stubs["win32com"].client = stubs["win32com.client"]
    for name, module in stubs.items():
        monkeypatch.setitem(sys.modules, name, module)
    monkeypatch.delitem(sys.modules, "xlwings.udfs", raising=False)
    xl_udfs = importlib.import_module("xlwings.udfs")
    import xlwings

    monkeypatch.setattr(xlwings, "func", xl_udfs.xlfunc)
    monkeypatch.setattr(xlwings, "arg", xl_udfs.xlarg)
    importlib.reload(registry)  # its `udf` now applies xlwings' Windows decorators
    module = importlib.reload(udfs)
    yield xl_udfs, module
    monkeypatch.undo()
    importlib.reload(registry)
    importlib.reload(udfs)
    sys.modules.pop("xlwings.udfs", None)
