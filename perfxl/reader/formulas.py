"""Which cells of a workbook hold formulas.

python-calamine returns a formula cell's cached value and cannot say that it was a
formula. perfxl does not take cached results as printed figures: a workbook written by
a tool other than Excel (openpyxl, some WPS exports, perfxl's own templates) carries no
cache or a stale one, and a total or a rate that a formula derived from other cells
was not reported by anyone. So the reader asks this module where the formulas are; the
layout drops printed totals and rates that sit in them and marks the scores that do.

Only the sheet parts are read, with the standard library, once per file by
`perfxl.reader.grid` after the size of the archive has been capped; a sheet without a
formula is recognised by a byte search and never parsed. Any trouble here means "no
formulas known", never a failed file.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s/>]")
_F_THEN_END = re.compile(rb"f[\s/>]")  # what every formula tag contains, and little else
_CELL_REF = re.compile(r"^([A-Z]+)(\d+)$")


def _local(tag: str) -> str:
    """Tag name without its namespace: some generators write <x:c> rather than <c>."""
    return tag.rsplit("}", 1)[-1]


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from the workbook part and its relationships.

    Raises on a workbook whose parts cannot be parsed; the callers treat that as "not
    known".
    """
    members = set(archive.namelist())
    targets: dict[str, str] = {}
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    for rel in rels:
        rel_id, target = rel.get("Id"), rel.get("Target")
        if rel_id and target:
            target = target.replace("\\", "/")
            relative = posixpath.normpath(posixpath.join("xl", target))
            # absolute targets, and the xl/… that some writers put without a slash
            candidates = (relative, target.lstrip("/"))
            targets[rel_id] = next((c for c in candidates if c in members), relative)
    parts: dict[str, str] = {}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    for element in workbook.iter():
        if _local(element.tag) == "sheet":
            name, rel_id = element.get("name"), element.get(_REL)
            if name and rel_id in targets:
                parts[name] = targets[rel_id]
    return parts


def has_formulas(xml: bytes) -> bool:
    """True when a sheet part holds a formula element (byte searches; no parsing).

    The tag's "f" followed by a space, / or > is searched for first: "<" is in every
    cell of a part, "f" in few places, so this look is several times faster than the
    full pattern and settles the many parts that have no formula.
    """
    if _F_THEN_END.search(xml) is None:
        return False
    return _FORMULA_TAG.search(xml) is not None


def formula_positions(xml: bytes, max_row: int | None = None) -> frozenset[tuple[int, int]]:
    """0-based (row, col) of every <c> with an <f> child in one sheet part.

    With `max_row`, parsing stops at the first row beyond it (a sheet read bounded).
    Any trouble gives no positions at all.
    """
    found: set[tuple[int, int]] = set()
    try:
        _scan(xml, found, max_row)
    except Exception:  # a best-effort look: the values have been read already
        return frozenset()
    return frozenset(found)


def _scan(xml: bytes, found: set[tuple[int, int]], max_row: int | None) -> None:
    row = col = -1
    local: dict[str, str] = {}  # tag -> _local(tag): a part has a dozen distinct tags
    for event, element in ElementTree.iterparse(io.BytesIO(xml), events=("start", "end")):
        tag = element.tag
        name = local.get(tag)
        if name is None:
            name = local[tag] = _local(tag)
        if event == "start":
            if name == "row":  # r may be left out on rows and cells; then they follow on
                number = element.get("r")
                row = int(number) - 1 if number and number.isdigit() else row + 1
                col = -1
                if max_row is not None and row >= max_row:
                    return
            elif name == "c":
                ref = _CELL_REF.match(element.get("r") or "")
                if ref:
                    row, col = int(ref.group(2)) - 1, _column_number(ref.group(1)) - 1
                else:
                    col += 1
        elif name == "c":
            for child in element:
                child_name = local.get(child.tag)
                if child_name is None:
                    child_name = local[child.tag] = _local(child.tag)
                if child_name == "f":
                    found.add((row, col))
                    break
            element.clear()
