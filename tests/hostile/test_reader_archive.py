"""Hostile archives against the reader (issue 9: #1, #2, #11), each run in a child.

Each attack hides in a real seed table and is built here at test time from a few MB at
most. The child is `perfxl score`, so a regression shows as a killed or aborted child
(calamine aborts the process on a failed allocation: exit 134) or a large peak RSS,
never as a dead test run. Bounds are generous: a kill timeout, never a speed.
"""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from _child import run_perfxl
from _zips import Member, content, deflated, replace, seed_members, write_zip, zeros_stream

SHEET = "xl/worksheets/sheet1.xml"
RSS_MB = 400  # the interpreter with perfxl loaded is about 100 MB


def _score(*paths: Path):
    run = run_perfxl("score", *map(str, paths), "--format", "json", timeout=120)
    assert not run.killed
    assert run.returncode in (0, 1), run.stderr[-2000:]  # 134 is calamine's abort
    assert run.peak_rss_mb < RSS_MB, run.peak_rss_mb
    return {Path(f["path"]).name: f for f in json.loads(run.stdout)["files"]}


def _codes(report: dict) -> list[str]:
    return [f["code"] for f in report["findings"]]


def test_rows_without_r_after_the_table_are_counted(tmp_path: Path) -> None:
    """#1: a row of 16,384 cells and half a million rows, none with r=, after seed 003's
    table: about 40 KB zipped, 13 MB inflated (under the ratio check's 16 MB), and calamine
    would ask for 500,038 × 16,384 cells (131 GB). The sheet is read bounded (PX005), the
    table in it still scored, and the good file beside it too."""
    members = seed_members(tmp_path)
    xml = content(members, SHEET)
    wide = b"<row>" + b"<c><v>1</v></c>" * 16_384 + b"</row>"
    tall = b"<row><c><v>1</v></c></row>" * 500_000
    attack = xml.replace(b"</sheetData>", wide + tall + b"</sheetData>")
    bad = write_zip(tmp_path / "bad.xlsx", replace(members, SHEET, deflated(SHEET, attack)))
    assert bad.stat().st_size < 200_000
    good = write_zip(tmp_path / "good.xlsx", members)
    files = _score(bad, good)
    assert files["good.xlsx"]["tables"] and files["bad.xlsx"]["tables"]
    assert "PX005" in _codes(files["bad.xlsx"])
    bad_total = files["bad.xlsx"]["tables"][0]["total"]
    assert bad_total == files["good.xlsx"]["tables"][0]["total"]


def test_rows_numbered_out_of_order_are_counted(tmp_path: Path) -> None:
    """#1 variant: a far row first and a near row last; reading only the last number
    missed it: row 1,048,576 with a value in ZZ, 11.7 GB for calamine."""
    members = seed_members(tmp_path)
    xml = content(members, SHEET)
    far = b'<row r="1048576"><c r="ZZ1048576"><v>1</v></c></row>'
    near = b'<row r="40"><c r="A40"><v>1</v></c></row>'
    head, _, tail = xml.partition(b"<sheetData>")
    attack = head + b"<sheetData>" + far + tail.replace(b"</sheetData>", near + b"</sheetData>")
    bad = write_zip(tmp_path / "bad.xlsx", replace(members, SHEET, deflated(SHEET, attack)))
    files = _score(bad)
    assert "PX005" in _codes(files["bad.xlsx"])


def test_lying_styles_bomb_is_rejected_before_any_reader(tmp_path: Path) -> None:
    """#2: xl/styles.xml claims its honest size but its stream inflates to 2 GiB of
    zeros (2 MB in the file). Checking inflates one block past the claim and stops."""
    members = seed_members(tmp_path)
    styles = next(m for m in members if m.name == "xl/styles.xml")
    bomb = Member(styles.name, zeros_stream(2048), styles.size, styles.crc)
    bad = write_zip(tmp_path / "bomb.xlsx", replace(members, styles.name, bomb))
    good = write_zip(tmp_path / "good.xlsx", members)
    files = _score(bad, good)
    assert files["good.xlsx"]["tables"]
    assert not files["bomb.xlsx"]["tables"]
    (found,) = files["bomb.xlsx"]["findings"]
    assert found["code"] == "PX001" and "xl/styles.xml" in found["message"]


def test_bomb_in_a_part_no_reader_needs_is_rejected_too(tmp_path: Path) -> None:
    """#2: the budget covers every member, whoever might inflate it."""
    members = seed_members(tmp_path)
    bomb = Member("xl/media/image1.png", zeros_stream(512), 1000, 0)
    files = _score(write_zip(tmp_path / "bomb.xlsx", [*members, bomb]))
    assert _codes(files["bomb.xlsx"]) == ["PX001"]


def test_member_with_a_wrong_crc_is_a_rejected_file(tmp_path: Path) -> None:
    """#11: 全年执行数 (F6) altered from 81.82 to 50 after the CRC was written.
    (openpyxl wrote 81.82 as 81.81999999999999.)"""
    members = seed_members(tmp_path)
    xml = content(members, SHEET)
    original = next(m for m in members if m.name == SHEET)
    spent = b'<c r="F6" s="7" t="n"><v>81.81999999999999</v></c>'
    assert xml.count(spent) == 1
    altered = xml.replace(spent, b'<c r="F6" s="7" t="n"><v>50</v></c>')
    packed = deflated(SHEET, altered)
    tampered = Member(SHEET, packed.raw, len(altered), original.crc)
    assert zlib.crc32(altered) != original.crc
    files = _score(write_zip(tmp_path / "crc.xlsx", replace(members, SHEET, tampered)))
    report = files["crc.xlsx"]
    assert not report["tables"]
    (found,) = report["findings"]
    assert found["code"] == "PX001" and "CRC" in found["message"] and SHEET in found["message"]


def test_shared_strings_that_declare_billions_are_rejected(tmp_path: Path) -> None:
    """#1's class, found while fixing it: calamine reserves 24 bytes per declared
    uniqueCount before reading a string; 4,000,000,000 in a 200-byte part asked for
    96 GB and aborted the process (exit 134) — the good file beside it never reported."""
    members = seed_members(tmp_path)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )
    bad = write_zip(tmp_path / "sst.xlsx", [*members, deflated("xl/sharedStrings.xml", sst)])
    good = write_zip(tmp_path / "good.xlsx", members)
    files = _score(bad, good)
    assert files["good.xlsx"]["tables"]
    (found,) = files["sst.xlsx"]["findings"]
    assert found["code"] == "PX001" and "sharedStrings" in found["message"]
