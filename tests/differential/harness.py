"""Type Books into plain templates, recalculate them in LibreOffice, hold them to the engine.

Each Book is typed into a copy of the committed plain template of its profile and form
(workbook_templates/, which tests/test_template.py holds equal to the generator; a profile
without one gets a template built afresh; openpyxl writes no cached results), a probe column repeats the conditions of the red marks on
实际完成值 and on 指标性质/指标值 (LibreOffice saves formula results, not conditional
formats), and all books go through one LibreOffice session. `compare` then reads the
recalculated copy and perfxl.api.score_file's result for the typed workbook (what
`perfxl score` prints) and lists every cell where they differ.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter

from differential.generate import Book, number
from perfxl.api import score_file
from perfxl.libreoffice import convert
from perfxl.model import Target
from perfxl.profiles import Profile, load_profile
from perfxl.quantities import parse_target
from perfxl.rates import execution_rate, read_target
from perfxl.results import Method
from perfxl.template import build_template
from perfxl.template import layout as L
from perfxl.template.checks import ACTUAL_ERRORS, red_actual, red_target
from perfxl.units import DATE, MONTH_OF_YEAR

RED_PROBE = get_column_letter(L.col_index("wapp") + 3)
TARGET_PROBE = get_column_letter(L.col_index("wapp") + 4)
TOLERANCE = Decimal("1e-9")


@dataclass(frozen=True)
class Disagreement:
    book: str
    where: str  # row number and name, or the summary cell
    what: str  # the figure
    engine: object
    template: object

    def __str__(self) -> str:
        return f"{self.book} {self.where} {self.what}: engine {self.engine!r}, template {self.template!r}"


ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "workbook_templates"  # equal to the generator's output (test_template.py)


def template_for(profile: str, form: str, root: Path) -> Path:
    """The committed plain template of a shipped profile, else one built afresh."""
    committed = COMMITTED / f"{profile}_{form}_plain.xlsx"
    if committed.is_file():
        return committed
    path = root / "templates" / f"{profile}_{form}.xlsx"
    return build_template(load_profile(profile), form, "plain", path)


def write_books(books: list[Book], root: Path) -> dict[str, Path]:
    """Type every book into a copy of its template; key -> path. Each template is
    loaded once and typed over book after book (every input cell is written each time)."""
    loaded: dict[tuple[str, str], openpyxl.Workbook] = {}
    out: dict[str, Path] = {}
    for book in books:
        pair = (book.profile, book.form)
        if pair not in loaded:
            loaded[pair] = openpyxl.load_workbook(template_for(*pair, root))
        out[book.key] = type_book(book, loaded[pair], root / "filled" / f"{book.key}.xlsx")
    return out


def _put(ws, cell: str, value: object) -> None:
    ws[cell] = value
    if isinstance(value, str):
        ws[cell].data_type = "s"  # `=` and `=<` typed in 指标性质 are text, not formulas


def type_book(book: Book, wb: openpyxl.Workbook, path: Path) -> Path:
    ws = wb[L.FORM_SHEETS[book.form]]
    ws[f"{L.LAST_COLUMN}{L.YEAR_ROW}"] = book.year
    ws[f"B{L.PROJECT_ROW}"] = f"差分测试 {book.key}"
    for key in L.FUNDS_INPUTS:
        _put(ws, f"{L.FUNDS_COLUMNS[key][0]}{L.FUNDS_ROW}", book.funds.get(key))
    if book.form == "self":  # 分值 of the funds row; left out: the template's default
        weight = book.funds.get("weight", "default")
        if weight == "default":
            default = load_profile(book.profile).execution.default_weight
            weight = None if default is None else number(default)
        _put(ws, f"{L.FUNDS_COLUMNS['weight'][0]}{L.FUNDS_ROW}", weight)
    for n in range(L.ROW_COUNT):
        r = L.FIRST_ROW + n
        cells = book.rows[n].cells() if n < len(book.rows) else {}
        for key in L.INPUT_COLUMNS:
            _put(ws, L.ref(key, r), cells.get(key))
        ws[f"{RED_PROBE}{r}"] = f"={red_actual(r, 'plain')}"
        ws[f"{TARGET_PROBE}{r}"] = f"={red_target(r)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def recalculate(paths: list[Path], outdir: Path, chunk: int = 40) -> dict[Path, Path]:
    """LibreOffice-recalculated copies: `chunk` workbooks per LibreOffice session, two
    sessions at a time (each has its own profile: perfxl.libreoffice.convert)."""
    parts = [paths[start : start + chunk] for start in range(0, len(paths), chunk)]
    workers = max(1, min(len(parts), os.cpu_count() or 1, 2))
    with ThreadPoolExecutor(workers) as pool:
        done = list(
            pool.map(
                lambda part: convert(part, "xlsx", outdir, timeout=120 + 15 * len(part)), parts
            )
        )
    result = {}
    for part, ran in zip(parts, done, strict=True):
        for path in part:
            calc = outdir / path.name
            assert calc.is_file(), f"LibreOffice wrote no {calc.name}: {ran.stdout} {ran.stderr}"
            result[path] = calc
    return result


def _blank(value: object) -> bool:
    return value is None or value == ""


def _differs(shown: object, expected: Decimal | str | None) -> bool:
    if expected is None:
        return not _blank(shown)
    if isinstance(expected, str):
        return shown != expected
    if isinstance(shown, bool) or not isinstance(shown, int | float):
        return True
    return abs(Decimal(str(shown)) - expected) >= TOLERANCE


def left_to_perfxl(row, profile: Profile) -> bool:
    """A number target the plain formulas leave to perfxl: unreadable to the engine, or
    read by it as a date or deadline (perfxl.template.targets)."""
    target = parse_target(row.indicator.target_text)
    if not isinstance(target, Target):
        return True
    read, _ = read_target(target, row.indicator.name, row.indicator.level2, profile)
    unit = read.quantity.unit if read.quantity is not None else None
    return read.deadline or (unit is not None and unit.dimension in (DATE, MONTH_OF_YEAR))


def compare(book: Book, filled: Path, calc: Path) -> list[Disagreement]:
    """Every computed cell of one recalculated book against the engine."""
    profile = load_profile(book.profile)
    (table,) = score_file(filled, profile).tables
    ws = openpyxl.load_workbook(calc, data_only=True)[L.FORM_SHEETS[book.form]]
    found: list[Disagreement] = []

    def check(where: str, what: str, shown: object, expected: object) -> None:
        if _differs(shown, expected):  # type: ignore[arg-type]
            found.append(Disagreement(book.key, where, what, expected, shown))

    rate_col, score_col = L.COL["rate"], L.COL["score"]
    used: set[int] = set()
    for row in table.rows:
        kept = row.method not in (Method.UNSCORED, Method.NOT_APPLICABLE)
        rate, score = (row.rate, row.score) if kept else (None, None)
        if row.indicator.cells["weight"].row == L.FUNDS_ROW:
            check("funds", "得分", ws[f"I{L.FUNDS_ROW}"].value, score)
            continue
        r = row.indicator.cells["name"].row
        used.add(r)
        where = f"row {r} {row.indicator.name}"
        spec = book.rows[r - L.FIRST_ROW]
        shown_rate, shown_score = ws[f"{rate_col}{r}"].value, ws[f"{score_col}{r}"].value
        red, red_t = bool(ws[f"{RED_PROBE}{r}"].value), bool(ws[f"{TARGET_PROBE}{r}"].value)
        marked = isinstance(ws[L.ref("target", r)].value, int | float) and left_to_perfxl(
            row, profile
        )
        if red_t != marked:
            found.append(Disagreement(book.key, where, "指标值红色标记", marked, red_t))
        if marked or spec.left:  # left to perfxl: marked red, not computed
            if not (red or red_t):
                found.append(Disagreement(book.key, where, "红色标记", spec.left, "无"))
            check(where, "完成率（留给 perfxl）", shown_rate, None)
            check(where, "得分（留给 perfxl）", shown_score, None)
            continue
        codes = {f.code for f in row.findings}
        expected_red = bool(codes & {*ACTUAL_ERRORS, "PX015", "PX018"})
        expected_red = expected_red and not _blank(row.indicator.actual_text)
        # without 分值 (PX013) the engine never reads the actual: any mark may stand
        if red != expected_red and "PX013" not in codes:
            found.append(Disagreement(book.key, where, "实际完成值红色标记", expected_red, red))
        check(where, f"完成率 ({row.method})", shown_rate, rate)
        check(where, f"得分 ({row.method})", shown_score, score)
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        if r not in used:
            for col in (rate_col, score_col):
                check(f"row {r}", "空行", ws[f"{col}{r}"].value, None)
    if book.left:
        return found
    summed = [
        r for r in table.rows if profile.total.includes_execution or r.method != Method.EXECUTION
    ]
    weights = sum((r.indicator.weight or Decimal(0) for r in summed), Decimal(0))
    check("summary", "分值合计", ws[f"H{L.TOTAL_ROW}"].value, weights)
    check(
        "funds", "执行率", ws[f"H{L.FUNDS_ROW}"].value, execution_rate(table.table.funds, profile)
    )
    cell = {row: ws[L.summary_ref(row).replace("$", "")].value for row in L.KEY_NAMES.values()}
    check("summary", "总分", cell[L.TOTAL_ROW], table.total)
    check("summary", "等级", cell[L.GRADE_ROW], table.grade)
    check("summary", "预算执行率", cell[L.EXEC_ROW], table.execution_rate)
    check("summary", "资金到位率", cell[L.ARRIVAL_ROW], table.arrival_rate)
    check("summary", "总体完成率", cell[L.COMPLETION_ROW], table.completion_rate)
    check("summary", "偏差", cell[L.DEVIATION_ROW], table.deviation)
    over = table.deviation is not None and abs(table.deviation) > profile.deviation_threshold
    if bool(ws[f"L{L.DEVIATION_ROW}"].value) != over:
        found.append(Disagreement(book.key, "summary", "偏差说明", over, not over))
    return found


def run(books: list[Book], root: Path) -> list[Disagreement]:
    """Write, recalculate and compare every book; all disagreements found."""
    filled = write_books(books, root)
    calc = recalculate(list(filled.values()), root / "recalculated")
    found: list[Disagreement] = []
    for book in books:
        found += compare(book, filled[book.key], calc[filled[book.key]])
    return found


def describe(book: Book, found: list[Disagreement]) -> str:
    """The disagreements with the typed inputs of their rows, for a regression case."""
    lines = []
    for d in found:
        lines.append(str(d))
        if d.where.startswith("row "):
            r = int(d.where.split()[1])
            n = r - L.FIRST_ROW
            if 0 <= n < len(book.rows):
                lines.append(f"    inputs: {book.rows[n].cells()}")
    if any(not d.where.startswith("row ") for d in found):
        lines.append(f"    funds: {book.funds}")
    return "\n".join(lines)
