"""Turn a real-world case (YAML) into the workbook its publisher would have sent.

Cases are transcriptions of published 项目支出绩效自评表 (see README.md and the case
format in the README). Nothing binary is committed: each test builds its workbook
into a temporary folder with openpyxl and, for `saved_by: libreoffice`, re-saves it
through LibreOffice headless so the file carries LibreOffice's shared strings and
styles, as a table filled in WPS/LibreOffice and exported would.

Run by hand to look at a case: `python tests/realworld/build.py CASE.yml OUTDIR`.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"

CASE_KEYS = {
    "source",
    "profile",
    "saved_by",
    "sheet",
    "merges",
    "number_formats",
    "rows",
    "expected",
    "pending",
}
SOURCE_KEYS = {"url", "title", "province", "year", "note"}
EXPECTED_KEYS = {
    "total",
    "grade",
    "execution_rate",
    "completion_rate",
    "deviation",
    "indicators",
    "not_indicators",
    "printed",
    "reported_total",
    "reported_grade",
    "findings",
    "no_findings",
}
SAVERS = ("openpyxl", "libreoffice")


class CaseError(ValueError):
    """A case file that does not follow the format (a transcription slip, not a perfxl bug)."""


def load_case(path: Path) -> dict[str, Any]:
    """Read and shape-check one case file, so a typo in a key fails loudly."""
    with path.open(encoding="utf-8") as handle:
        case = yaml.safe_load(handle)
    if not isinstance(case, dict):
        raise CaseError(f"{path.name}: a case is a mapping")
    unknown = set(case) - CASE_KEYS
    if unknown:
        raise CaseError(f"{path.name}: unknown keys {sorted(unknown)}")
    for key in ("source", "rows", "expected"):
        if key not in case:
            raise CaseError(f"{path.name}: missing {key}")
    unknown = set(case["source"] or {}) - SOURCE_KEYS
    if unknown:
        raise CaseError(f"{path.name}: unknown source keys {sorted(unknown)}")
    unknown = set(case["expected"] or {}) - EXPECTED_KEYS
    if unknown:
        raise CaseError(f"{path.name}: unknown expected keys {sorted(unknown)}")
    if case.get("saved_by", "openpyxl") not in SAVERS:
        raise CaseError(f"{path.name}: saved_by must be one of {SAVERS}")
    if not isinstance(case["rows"], list) or not all(
        isinstance(r, list) or r is None for r in case["rows"]
    ):
        raise CaseError(f"{path.name}: rows is a list of lists (null for an empty row)")
    return case


def profile_arg(case: dict[str, Any]) -> str:
    """A shipped profile name stays a name; a .toml path is taken relative to this folder."""
    profile = str(case.get("profile") or "mof2020")
    if profile.endswith(".toml"):
        return str((HERE / profile).resolve())
    return profile


def _cell_value(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool, date, datetime)) or value is None:
        return value
    raise CaseError(f"unsupported cell value {value!r}")


def write_openpyxl(case: dict[str, Any], target: Path) -> Path:
    """The table as openpyxl writes it: values, merged ranges and number formats."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(case.get("sheet") or "Sheet1")
    for r, row in enumerate(case["rows"], start=1):
        for c, value in enumerate(row or [], start=1):
            value = _cell_value(value)
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                # A printed target such as "=100%" is text, never a formula.
                cell.data_type = "s"
    for cell_ref, fmt in (case.get("number_formats") or {}).items():
        sheet[cell_ref].number_format = str(fmt)
    for merged in case.get("merges") or []:
        sheet.merge_cells(str(merged))
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)
    return target


def resave_libreoffice(source: Path, outdir: Path) -> Path:
    """Open the openpyxl file in LibreOffice headless and save it again as .xlsx."""
    from perfxl.libreoffice import convert

    done = convert([source], "xlsx", outdir)
    result = outdir / source.name
    if done.returncode != 0 or not result.is_file():
        raise RuntimeError(
            f"LibreOffice did not re-save {source.name}: rc={done.returncode} "
            f"stdout={done.stdout!r} stderr={done.stderr!r}"
        )
    return result


def resave_libreoffice_all(sources: list[Path], outdir: Path) -> dict[str, Path]:
    """Re-save many workbooks in one LibreOffice run; name -> re-saved file (missing if it failed)."""
    from perfxl.libreoffice import convert

    done = convert(sources, "xlsx", outdir)
    saved = {s.stem: outdir / s.name for s in sources if (outdir / s.name).is_file()}
    if not saved:
        raise RuntimeError(
            f"LibreOffice re-saved nothing: rc={done.returncode} stderr={done.stderr!r}"
        )
    return saved


def build_case(case: dict[str, Any], name: str, workdir: Path) -> Path:
    """The workbook for one case inside workdir; LibreOffice must be present if asked for."""
    written = write_openpyxl(case, workdir / "openpyxl" / f"{name}.xlsx")
    if case.get("saved_by", "openpyxl") == "libreoffice":
        return resave_libreoffice(written, workdir / "libreoffice")
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: build.py CASE.yml OUTDIR", file=sys.stderr)
        return 2
    path = Path(argv[0])
    built = build_case(load_case(path), path.stem, Path(argv[1]))
    print(built)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
