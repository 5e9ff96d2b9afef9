"""Numbers no one meant (issue 9 #5 and the weak NaN/Infinity item), through the CLI.

1e308 in 分值/得分 summed to 1.8e309 (Infinity in JSON, INF in the summary), and a NaN
or the text `Infinity` in a numeric column failed the whole sheet (结构无法识别). Each
such cell is now a PX006 finding naming it, and the figure is not used. The sheet is
written by hand so that the cells hold exactly these values (`<v>NaN</v>` included).
"""

from __future__ import annotations

import json
from pathlib import Path

from _child import run_perfxl
from _zips import content, deflated, replace, seed_members, write_zip

SHEET = "xl/worksheets/sheet1.xml"


def _strict(text: str) -> dict:
    def refuse(constant: str) -> None:
        raise AssertionError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def _score(path: Path) -> dict:
    run = run_perfxl("score", str(path), "--format", "json", timeout=60)
    assert not run.killed
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert run.peak_rss_mb < 400
    (file,) = _strict(run.stdout)["files"]
    return file


def _set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """The sheet with the whole <c r="ref" …> element replaced by `cell`."""
    start = xml.index(f'<c r="{ref}"'.encode())
    head_end = xml.index(b">", start)
    end = head_end + 1 if xml[head_end - 1 : head_end] == b"/" else xml.index(b"</c>", head_end) + 4
    return xml[:start] + cell + xml[end:]


def _book(tmp_path: Path, numbers: dict[str, bytes], texts: dict[str, bytes] = {}) -> Path:  # noqa: B006
    """Seed 003 with some cells set to raw numbers (<v>1e308</v>) or inline texts."""
    members = seed_members(tmp_path)
    xml = content(members, SHEET)
    for ref, value in numbers.items():
        xml = _set_cell(xml, ref, f'<c r="{ref}"><v>'.encode() + value + b"</v></c>")
    for ref, text in texts.items():
        cell = f'<c r="{ref}" t="inlineStr"><is><t>'.encode() + text + b"</t></is></c>"
        xml = _set_cell(xml, ref, cell)
    return write_zip(tmp_path / "numbers.xlsx", replace(members, SHEET, deflated(SHEET, xml)))


def _cells(findings: list[dict], code: str) -> set[str]:
    return {f["cell"].split("!")[-1] for f in findings if f["code"] == code}


def test_huge_points_are_findings_not_figures(tmp_path: Path) -> None:
    # seed 003: rows from 13, 分值 in G, 得分 in H; the 总分 row is 36
    path = _book(tmp_path, {"G13": b"1e308", "G14": b"1e308", "H15": b"-1e308"})
    file = _score(path)
    (table,) = file["tables"]
    assert _cells(table["findings"], "PX006") >= {"G13", "G14", "H15"}
    total = table["total"]
    assert total is not None and abs(total) <= 100


def test_nan_and_infinity_in_numeric_columns_are_findings(tmp_path: Path) -> None:
    values = {"G13": b"NaN", "G14": b"inf", "H16": b"-Infinity", "F6": b"NaN"}
    file = _score(_book(tmp_path, values))
    assert "PX003" not in {f["code"] for f in file["findings"]}  # the sheet is read
    (table,) = file["tables"]
    assert _cells(table["findings"], "PX006") >= {"G13", "G14", "H16", "F6"}
    assert table["indicators"]


def test_nan_and_infinity_typed_as_text_are_findings(tmp_path: Path) -> None:
    texts = {"G13": b"NaN", "G14": b"Infinity", "H36": b"-Infinity"}  # H36: the printed 总分
    file = _score(_book(tmp_path, {}, texts))
    (table,) = file["tables"]
    assert _cells(table["findings"], "PX006") >= {"G13", "G14", "H36"}
    assert table["reported_total"] is None


def test_money_beyond_any_budget_is_a_finding(tmp_path: Path) -> None:
    """全年执行数 of 1e300 万元: a finding on F6, no execution rate from it."""
    file = _score(_book(tmp_path, {"F6": b"1e300"}))
    (table,) = file["tables"]
    assert "F6" in _cells(table["findings"], "PX006")
    assert table["execution_rate"] is None or table["execution_rate"] <= 10


def test_nan_and_infinity_as_targets_and_actuals_are_findings(tmp_path: Path) -> None:
    """Seed 003 row 26 (争取援疆项目资金全部到位率): NaN target, inf actual; row 27: -inf
    actual; row 29: the text Infinity as target. Each is a PX006 on its cell, listed once,
    and read as blank (the row is not scored from it)."""
    numbers = {"E26": b"NaN", "F26": b"inf", "F27": b"-inf"}
    file = _score(_book(tmp_path, numbers, {"E29": b"Infinity"}))
    (table,) = file["tables"]
    px006 = [f["cell"].split("!")[-1] for f in table["findings"] if f["code"] == "PX006"]
    assert sorted(px006) == ["E26", "E29", "F26", "F27"]
    rows = {i["cell"].split("!")[-1]: i for i in table["indicators"]}
    assert (rows["D26"]["target"], rows["D26"]["actual"]) == (None, None)
    assert rows["D29"]["target"] is None
