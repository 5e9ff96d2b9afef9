"""Which cells of a workbook hold formulas.

python-calamine returns a formula cell's cached value and cannot say that it was a
formula. perfxl does not take cached results as reported figures: a workbook written by
a tool other than Excel (openpyxl, some WPS exports, perfxl's own templates) carries no
cache or a stale one, and a score that a formula derived from other cells was not
reported by anyone. So the reader asks this module where the formulas are and drops
the reported scores that sit in them.

Only the sheet parts are read, with the standard library, after `grid.sniff` has
capped their size; a sheet without a formula is recognised by a byte search and never
parsed. Any trouble here means "no formulas known", never a failed file.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _local(tag: str) -> str:
    """Tag name without its namespace: some generators write <x:c> rather than <c>."""
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from the workbook part and its relationships."""
    targets: dict[str, str] = {}
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        rel_id, target = rel.get("Id"), rel.get("Target")
        if rel_id and target:
            if target.startswith("/"):
                targets[rel_id] = target.lstrip("/")
            else:
                targets[rel_id] = posixpath.normpath(posixpath.join("xl", target))
    parts: dict[str, str] = {}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            name, rel_id = element.get("name"), element.get(_REL)
            if name and rel_id in targets:
                parts[name] = targets[rel_id]
    return parts


def _formula_positions(xml: bytes) -> frozenset[tuple[int, int]]:
    """0-based (row, col) of every <c> with an <f> child in one sheet part."""
    found: set[tuple[int, int]] = set()
    row = col = -1
    for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "row":  # r may be left out on rows and cells; then they follow on
                number = element.get("r")
                row = int(number) - 1 if number and number.isdigit() else row + 1
                col = -1
            elif tag == "c":
                ref = _CELL_REF.match(element.get("r") or "")
                if ref:
                    row, col = int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1
                else:
                    col += 1
            continue
        if tag == "c":
            if any(_local(child.tag) == "f" for child in element):
                found.add((row, col))
            element.clear()
    return frozenset(found)


def formula_cells(archive: zipfile.ZipFile) -> dict[str, frozenset[tuple[int, int]]]:
    """Sheet name -> positions of its formula cells; empty when the file cannot tell.

    The workbook's own XML (sheet names and relationships) is parsed only when some
    sheet part contains a formula at all: most unit workbooks hold typed values only,
    and for them this look costs one byte search per sheet.
    """
    result: dict[str, frozenset[tuple[int, int]]] = {}
    try:
        with_formulas = {
            info.filename: xml
            for info in archive.infolist()
            if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            for xml in (archive.read(info),)
            if _FORMULA_TAG.search(xml)
        }
        if not with_formulas:
            return result
        for name, part in _sheet_parts(archive).items():
            if part in with_formulas:
                result[name] = _formula_positions(with_formulas[part])
    except Exception:  # a best-effort look: calamine has already read the values
        return {}
    return result
