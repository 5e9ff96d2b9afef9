"""A fake of Excel's VBA object model (VBProject, VBComponents, CodeModule) and of the
Excel that opens the add-in, for the step of `perfxl addin install` that needs Excel.

The project starts with the modules olevba reads from the add-in package, so the fake
holds exactly the template's VBA; Import reads a .bas file as the VBA editor does
(Attribute VB_Name names the module, Attribute lines are hidden from the CodeModule).
VBComponents is callable like the COM collection (its default member is Item), which
xlwings' import_udfs relies on; a missing module raises the stubbed com_error.
Access to the project can be refused, as Excel does without 信任对 VBA 工程对象模型的访问.
"""

import re
import sys
from pathlib import Path
from types import SimpleNamespace

from oletools.olevba import VBA_Parser


def package_modules(xlam: Path) -> dict[str, str]:
    """Module name -> source, as olevba reads the package's vbaProject.bin."""
    parser = VBA_Parser(str(xlam))
    try:
        return {
            re.search(r'VB_Name = "(\w+)"', code).group(1): code
            for _, _, _, code in parser.extract_macros()
        }
    finally:
        parser.close()


def com_error(text):
    return sys.modules["pywintypes"].com_error(text)


class FakeCodeModule:
    def __init__(self, source: str):
        self.lines = [
            line for line in re.split(r"\r?\n", source) if not line.startswith("Attribute ")
        ]

    @property
    def CountOfLines(self):
        return len(self.lines)

    def Lines(self, start, count):
        return "\r\n".join(self.lines[start - 1 : start - 1 + count])

    def ReplaceLine(self, line, text):
        self.lines[line - 1] = text

    def text(self):
        return "\n".join(self.lines)


class FakeComponent:
    def __init__(self, name, source):
        self.Name, self.CodeModule = name, FakeCodeModule(source)


class FakeComponents:
    def __init__(self, modules: dict[str, str]):
        self.items = [FakeComponent(name, source) for name, source in modules.items()]

    @property
    def Count(self):
        return len(self.items)

    def Item(self, key):
        if isinstance(key, int):
            return self.items[key - 1]
        for item in self.items:
            if item.Name == key:
                return item
        raise com_error(f"Subscript out of range: {key}")

    __call__ = Item  # the COM collection's default member

    def Remove(self, component):
        self.items.remove(component)

    def Import(self, path):
        source = Path(path).read_text(encoding="ascii")
        name = re.search(r'^Attribute VB_Name = "(\w+)"', source, re.M).group(1)
        assert name not in {c.Name for c in self.items}, f"Excel would rename it {name}1"
        self.items.append(FakeComponent(name, source))


class FakeExcel:
    """The Excel (xlwings App) that opens the add-in; `book` is the opened add-in."""

    def __init__(
        self,
        xlam_modules,
        trusted=True,
        path="C:/Program Files/Microsoft Office/root/Office16",
        startup="",
    ):
        self.modules, self.trusted = xlam_modules, trusted
        self.path, self.startup_path = path, startup
        self.macro_options, self.log = [], []
        self.books = SimpleNamespace(open=self._open)

    def _open(self, fullname):
        self.book = FakeAddinBook(self, Path(fullname))
        self.log.append(("open", Path(fullname).name))
        return self.book

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.log.append(("quit",))


class FakeAddinBook:
    def __init__(self, excel, path):
        self.excel = excel
        project = SimpleNamespace(Name="MyAddin", VBComponents=FakeComponents(excel.modules))
        self.project = project
        application = SimpleNamespace(
            Version="16.0",
            MacroOptions=lambda macro, **kw: excel.macro_options.append((macro, kw)),
        )

        class Api:
            Name = path.name
            Application = application

            @property
            def VBProject(self):
                if not excel.trusted:
                    raise com_error("Programmatic access to Visual Basic Project is not trusted")
                return project

            def Save(self):
                excel.log.append(("save",))

        self.api = Api()

    def close(self):
        self.excel.log.append(("close",))
