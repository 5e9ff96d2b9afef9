"""The templates, recalculated by LibreOffice, against the engine to the cent.

Each case (tests/template_cases.py, tests/template_issue8_cases.py) builds a template,
types a project into it (perfxl.template.fill_template, then, for the TYPED cases,
actuals typed as ordinary text, and TYPED_CELLS over other inputs), has LibreOffice recalculate
and save it, and compares every computed cell with what perfxl.api.score_file gives for
the filled workbook: each row's 完成率 and 得分 and the red mark on its 实际完成值, the
funds block, 分值合计, 总分, 等级, 预算执行率, 资金到位率, 总体完成率 and 偏差; blank rows
must stay blank; a number target the plain formulas leave to perfxl must be marked red
and not computed. Seeds 002 and 003 are also held to their golden figures.

Every case runs twice: as a plain template, and as a udf template whose PERF_* calls
LibreOffice hands to perfxl.excel.udfs through a Basic bridge (see UDF_DRIVER), so all
16 shipped kinds (4 profiles × 2 forms × 2 formula modes) are recalculated and checked.

LibreOffice runs once per mode for all cases, with a private profile set to recalculate
every formula on load (by default it trusts cached results, and openpyxl writes none).
Without `soffice` the tests skip, except in CI (the CI variable set), where they fail;
the udf half also skips without a Python that has LibreOffice's uno bridge and perfxl.
"""

from __future__ import annotations

import json
import os
import subprocess
import sysconfig
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import require_soffice
from libreoffice_uno import _uno_python
from openpyxl.utils import get_column_letter
from template_cases import CASES, TEST_PROFILES, TYPED
from template_issue8_cases import ROWS_ONLY, TYPED_CELLS

from perfxl.api import score_file
from perfxl.excel.registry import REGISTRY
from perfxl.excel.udfs import CELL_ERRORS
from perfxl.libreoffice import RECALC_ALWAYS, convert
from perfxl.model import Target
from perfxl.profiles import load_profile
from perfxl.quantities import parse_target
from perfxl.rates import execution_rate, read_target
from perfxl.results import Method
from perfxl.scoring import special_kind
from perfxl.template import build_template, fill_template
from perfxl.template import layout as L
from perfxl.template.checks import ACTUAL_ERRORS, red_actual, red_target
from perfxl.units import DATE, MONTH_OF_YEAR


def type_as_text(path: Path, form: str, actuals: dict[str, str]) -> None:
    """Overwrite the 实际完成值 of the named rows with text, as a clerk would type it."""
    type_cells(path, form, {name: {"actual": text} for name, text in actuals.items()})


def type_cells(path: Path, form: str, cells: dict[str, dict[str, object]]) -> None:
    """Overwrite input cells of the named rows (texts stay texts, `=<` is no formula)."""
    book = openpyxl.load_workbook(path)
    ws = book[L.FORM_SHEETS[form]]
    found = set()
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        name = ws[L.ref("name", r)].value
        for key, value in cells.get(name, {}).items():
            cell = ws[L.ref(key, r)]
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
            found.add(name)
    assert found == set(cells), set(cells) - found
    book.save(path)


def _soffice() -> str:
    return require_soffice()


def fill_cases(root: Path, mode: str) -> dict[str, tuple[Path, object]]:
    """case id -> (its project typed into a `mode` template, profile)."""
    for name, text in TEST_PROFILES.items():
        (root / f"{name}.toml").write_text(text, encoding="utf-8")
    filled: dict[str, tuple[Path, object]] = {}
    for case, (name, form, spec) in CASES.items():
        profile = load_profile(str(root / f"{name}.toml") if name in TEST_PROFILES else name)
        template = build_template(profile, form, mode, root / "templates" / f"{case}.xlsx")
        path = fill_template(template, root / "filled" / f"{case}.xlsx", spec)
        if case in TYPED:
            type_as_text(path, form, TYPED[case])
        if case in TYPED_CELLS:
            type_cells(path, form, TYPED_CELLS[case])
        add_red_probes(path, form, mode)
        filled[case] = (path, profile)
    return filled


# A column right of the helpers where each row repeats the condition of its red mark on
# 实际完成值 (LibreOffice saves no conditional-format results, but it saves these).
RED_PROBE = get_column_letter(L.col_index("wapp") + 3)
TARGET_PROBE = get_column_letter(L.col_index("wapp") + 4)  # the mark on 指标性质/指标值


def add_red_probes(path: Path, form: str, mode: str) -> None:
    book = openpyxl.load_workbook(path)
    ws = book[L.FORM_SHEETS[form]]
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        ws[f"{RED_PROBE}{r}"] = f"={red_actual(r, mode)}"
        ws[f"{TARGET_PROBE}{r}"] = f"={red_target(r)}" if mode == "plain" else "=FALSE()"
    book.save(path)


def left_to_perfxl(row, profile) -> bool:
    """Whether the plain formulas leave the row's number target to perfxl: the engine
    cannot read it (PX010), or reads it as a date or deadline (issue 8 item 7)."""
    target = parse_target(row.indicator.target_text)
    if not isinstance(target, Target):
        return True
    read, _ = read_target(target, row.indicator.name, row.indicator.level2, profile)
    unit = read.quantity.unit if read.quantity is not None else None
    return read.deadline or (unit is not None and unit.dimension in (DATE, MONTH_OF_YEAR))


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, tuple[Path, Path, object]]:
    """case id -> (filled workbook, LibreOffice-recalculated copy, profile)."""
    _soffice()
    root = tmp_path_factory.mktemp("lo")
    filled = fill_cases(root, "plain")
    out = root / "recalculated"
    done = convert([path for path, _ in filled.values()], "xlsx", out, timeout=120)
    result = {}
    for case, (path, profile) in filled.items():
        calc = out / path.name
        assert calc.is_file(), f"LibreOffice wrote no {calc.name}: {done.stdout} {done.stderr}"
        result[case] = (path, calc, profile)
    return result


def _blank(value: object) -> bool:
    return value is None or value == ""


def _same(cell: object, expected: Decimal | str | None, where: str) -> None:
    if expected is None:
        assert _blank(cell), f"{where}: expected blank, LibreOffice shows {cell!r}"
    elif isinstance(expected, str):
        assert cell == expected, f"{where}: expected {expected!r}, LibreOffice shows {cell!r}"
    else:
        assert isinstance(cell, int | float), f"{where}: expected {expected}, got {cell!r}"
        assert abs(Decimal(str(cell)) - expected) < Decimal("1e-9"), (
            f"{where}: engine {expected}, LibreOffice {cell}"
        )


def compare(case: str, recalculated, udf: bool = False) -> object:
    """Check every computed cell of one case against the engine; return the TableResult.

    With udf=True the workbook is a udf template: a row the engine cannot score shows the
    in-cell functions' short error text instead of a blank, a row that does not apply
    shows 不适用 as its score (funds rows are plain bookkeeping and stay blank)."""
    filled, calc, profile = recalculated[case]
    form = CASES[case][1]
    (table,) = score_file(filled, profile).tables
    ws = openpyxl.load_workbook(calc, data_only=True)[L.FORM_SHEETS[form]]
    rate_col, score_col = L.COL["rate"], L.COL["score"]
    unscored = (Method.UNSCORED, Method.NOT_APPLICABLE)
    used = set()
    for row in table.rows:
        kept = row.method not in unscored
        rate = row.rate if kept else None
        score = row.score if kept else None
        if row.indicator.cells["weight"].row == L.FUNDS_ROW:  # the self form's funds row
            _same(ws[f"I{L.FUNDS_ROW}"].value, score, f"{case} funds 得分")
            continue
        r = row.indicator.cells["name"].row
        used.add(r)
        where = f"{case} row {r} “{row.indicator.name}”"
        codes = {f.code for f in row.findings}
        if udf:  # red where 得分 shows that the engine could not read the actual
            red = row.method == Method.UNSCORED and bool(codes & set(ACTUAL_ERRORS))
            red = red and special_kind(row.indicator, profile) is None
        else:  # red where the formulas cannot read it: the engine could not either,
            # or it had to judge the text (PX015, PX018)
            red = bool(codes & {*ACTUAL_ERRORS, "PX015", "PX018"})
        red = red and not _blank(row.indicator.actual_text)
        marked = not udf and isinstance(ws[L.ref("target", r)].value, int | float)
        marked = marked and left_to_perfxl(row, profile)
        assert bool(ws[f"{TARGET_PROBE}{r}"].value) == marked, f"{where}: target mark"
        if marked:  # not computed, marked on the target instead of the actual
            assert not ws[f"{RED_PROBE}{r}"].value, f"{where}: red mark on the actual"
            assert [_blank(ws[f"{c}{r}"].value) for c in (rate_col, score_col)] == [True] * 2
            continue
        assert bool(ws[f"{RED_PROBE}{r}"].value) == red, f"{where}: red mark {not red}"
        shown = ws[f"{rate_col}{r}"].value, ws[f"{score_col}{r}"].value
        if udf and not kept and special_kind(row.indicator, profile) is None:
            if row.method == Method.NOT_APPLICABLE:
                assert shown == ("", "不适用") or shown == (None, "不适用"), f"{where}: {shown}"
            else:
                assert all(str(v).startswith("#") for v in shown), f"{where}: {shown}"
            continue
        _same(shown[0], rate, f"{where} 完成率 ({row.method})")
        _same(shown[1], score, f"{where} 得分 ({row.method})")
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        if r not in used:
            for col in (rate_col, score_col):
                _same(ws[f"{col}{r}"].value, None, f"{case} blank row {r}")
    if case in ROWS_ONLY and not udf:  # a row left to perfxl: no summary to compare
        return table
    # the points 总分 covers: without a scored 预算执行率 under includes_execution = false
    summed = [
        r for r in table.rows if profile.total.includes_execution or r.method != Method.EXECUTION
    ]
    weights = sum((r.indicator.weight or Decimal(0) for r in summed), Decimal(0))
    _same(ws[f"H{L.TOTAL_ROW}"].value, weights, f"{case} 分值合计")
    funds_rate = execution_rate(table.table.funds, profile)  # the block's own, no fallback
    shown = ws[f"H{L.FUNDS_ROW}"].value
    if not (udf and funds_rate is None and shown == CELL_ERRORS["PX016"]):
        _same(shown, funds_rate, f"{case} funds 执行率")
    cell = {row: ws[L.summary_ref(row).replace("$", "")].value for row in L.KEY_NAMES.values()}
    _same(cell[L.TOTAL_ROW], table.total, f"{case} 总分")
    _same(cell[L.GRADE_ROW], table.grade, f"{case} 等级")
    _same(cell[L.EXEC_ROW], table.execution_rate, f"{case} 预算执行率")
    _same(cell[L.ARRIVAL_ROW], table.arrival_rate, f"{case} 资金到位率")
    _same(cell[L.COMPLETION_ROW], table.completion_rate, f"{case} 总体完成率")
    _same(cell[L.DEVIATION_ROW], table.deviation, f"{case} 偏差")
    limit = profile.deviation_threshold
    over = table.deviation is not None and abs(table.deviation) > limit
    assert bool(ws[f"L{L.DEVIATION_ROW}"].value) == over
    return table


@pytest.mark.parametrize("case", list(CASES))
def test_every_computed_cell_matches_the_engine(case, recalculated):
    table = compare(case, recalculated)
    # PX020 only where a 评分 was typed on purpose: kept (entered_scores = "keep"), or
    # on a row that cannot be scored (a figure without a target)
    kept = recalculated[case][2].rows.entered_scores == "keep"
    unscored = {r.indicator.cells["weight"].row for r in table.rows if r.method == Method.UNSCORED}
    differs = [f for f in table.all_findings if f.code == "PX020"]
    assert kept or all(f.cell is not None and f.cell.row in unscored for f in differs)
    assert not [f for f in table.all_findings if f.code == "PX021"]


def test_seed_002_golden(recalculated):
    table = compare("seed002-xj-prop", recalculated)
    assert (table.total, table.grade) == (Decimal("88.26"), "良")
    assert table.execution_rate == Decimal("0.3479")
    ws = openpyxl.load_workbook(recalculated["seed002-xj-prop"][1], data_only=True)
    sheet = ws[L.FORM_SHEETS["eval"]]
    assert sheet["I63"].value == pytest.approx(88.26) and sheet["I64"].value == "良"


def test_seed_003_golden(recalculated):
    table = compare("seed003-xj-60", recalculated)
    assert (table.total, table.grade) == (Decimal("95.73"), "优")
    assert table.completion_rate == Decimal("0.9526")
    assert table.deviation == Decimal("13.44")


def test_self_case_by_hand(recalculated):
    """Figures worked out by hand for the mof2020 self case, not taken from the engine."""
    table = compare("self-mof2020", recalculated)
    scores = {r.indicator.name: r.score for r in table.rows}
    assert scores["预算执行率"] == Decimal("8.7")  # 41.76 / 48 = 87% of 10
    assert scores["培训期数"] == Decimal("3.75")  # = target: 1 − |3 − 4| / 4 = 75%
    assert scores["培训合格率"] == 10  # 0.97 typed against 95% reads as 97%
    assert scores["场地租赁费"] == Decimal("4.69")  # 1.5 / 1.6 万元 × 5 = 4.6875, half up
    assert scores["就业能力提升"] == Decimal("14.5")  # typed inside 部分达成's 12–16 band
    assert scores["用人单位评价"] == 4
    # (8.7+9+3.75+10+4.58+9.30+4.69+14.5+5+10+4) = 83.52, rescaled ×100/95 for 生态效益
    assert table.total == Decimal("87.92")
    assert table.grade == "良"


def test_units_typed_differently_by_hand(recalculated):
    """Issue 8 item 9: an actual typed in another spelling or size of the row's unit is
    read by the template as by the engine (compare), at the rates worked out by hand."""
    table = compare("typed-mof2020", recalculated)
    rates = {r.indicator.name: r.rate for r in table.rows}
    assert rates["服务期限"] == 1  # 12个月 against ≥12月
    assert rates["合作企业"] == Decimal("0.8")  # 8家 against ≥10个
    assert rates["受益人次"] == Decimal("0.9")  # 18000 / 20000
    assert rates["设备采购成本"] == Decimal("0.9091")  # 50000 / 55000 = 0.90909…
    assert rates["宣传费"] == Decimal("0.9375")  # 1.5 / 1.6
    assert rates["考试通过率"] == Decimal("0.9474")  # 90 / 95 = 0.947368…
    assert rates["实训天数"] == Decimal("0.75")  # 21 / 28
    assert rates["跟踪服务期"] == Decimal("0.8333")  # 10 / 12
    assert rates["教材数量"] == Decimal("0.9")  # 9 / 10
    assert rates["走访户数"] == Decimal("0.95")  # 190余户: 190 / 200
    unscored = {r.indicator.name for r in table.rows if r.method == Method.UNSCORED}
    assert {"师资人数", "回访月数", "咨询时长", "参训人数"} <= unscored


def test_bare_figures_and_signs_by_hand(recalculated):
    """Issue 8 items 5 and 6 under mof2020, worked out by hand: a figure without an
    operator is at least (at most in cost rows and for 投诉率), the look-alike signs and
    words typed in 指标性质 mean their operators, and what the engine cannot read stays
    unscored in the template too (compare holds every cell to the engine)."""
    table = compare("bare-mof2020", recalculated)
    rows = {r.indicator.name: r for r in table.rows}
    rate = {name: row.rate for name, row in rows.items()}
    assert (rate["培训合格率"], rows["培训合格率"].score) == (1, 10)  # 100% against 90%
    assert rate["设备购置成本"] == 1  # 3.5万元 within a bare 4万元 cost
    assert (rate["投诉率"], rows["投诉率"].score) == (Decimal("0.625"), Decimal("3.13"))  # 5/8
    assert rate["违规问题整改率"] == Decimal("0.9474")  # 整改: at least, 90/95
    assert rate["培训人数"] == Decimal("0.9")  # 为200人: bare, at least, 180/200
    assert rate["就业率"] == Decimal("0.9444")  # ≧90%: 85/90
    assert rate["结业率"] == Decimal("0.95")  # ═100%: 1 − 5/100
    assert rate["人均培训成本"] == Decimal("0.9302")  # ＜＝2000元: 2000/2150
    assert rate["人均交通补贴"] == Decimal("0.9615")  # =<500元: 500/520
    assert rate["培训期数"] == Decimal("0.75")  # =>4期: 3/4
    assert rate["培训班次"] == Decimal("0.9")  # 〉=10次: 9/10
    assert rate["帮扶企业"] == Decimal("0.8")  # 不低于10家: 8/10
    assert rate["宣传次数"] == 1  # 达到10次: at least, 12 ≥ 10
    assert rows["咨询人次"].method == rows["服务年限"].method == Method.UNSCORED
    assert rate["办结时限"] == 1  # 30天 on a time row is a limit: 25 days within it
    assert rate["审批时长"] == Decimal("0.8333")  # 5工作日 as a limit: 5/6
    assert rate["回访满意度"] == Decimal("0.9444")  # 定性 | 90 | %: the target `90`, 85/90
    # rubric rows: the evaluator's 评分 of 5 points, or nothing to score with
    assert (rows["制度建设情况"].score, rows["组织保障"].score) == (4, Decimal("4.5"))
    assert rows["档案管理"].method == rows["完成情况"].method == Method.UNSCORED


def test_rule_variants_by_hand(recalculated):
    """Issue 8 rule variants in a test profile: execution points cut to whole points,
    总分 without them, the evaluator's score kept, bare figures read as equal."""
    table = compare("bare-rules", recalculated)
    rows = {r.indicator.name: r for r in table.rows}
    assert rows["预算执行率"].score == 9  # 10 × 41.76/45 (received) = 9.28, cut to 9
    assert rows["培训合格率"].rate == Decimal("0.8889")  # = 90%: 1 − 10/90
    assert rows["设备购置成本"].rate == Decimal("0.875")  # bare_cost at least: 3.5/4
    assert rows["投诉率"].rate == Decimal("0.625")  # 投诉 listed: at most, 5/8
    assert rows["违规问题整改率"].rate == Decimal("0.9474")  # = 95%: 1 − 5/95
    assert rows["培训人数"].score == 4  # computed 0.9 × 5 = 4.5; the typed 4 is kept
    others = [r.score for r in table.rows if r.method != Method.EXECUTION]
    assert table.total == sum(others, Decimal(0))  # no NA row: the indicators' sum
    table = compare("rules-self", recalculated)
    rows = {r.indicator.name: r for r in table.rows}
    assert rows["预算执行率"].score == 9 and rows["群众满意"].score == 7  # kept, not 10
    # 9 + 4.69 + 14.5 + 7 + 4 = 39.19 over 55 points without execution, 5 of them not
    # applicable: 39.19 × 55 / 50 = 43.109
    assert table.total == Decimal("43.11")
    seed = compare("rules-seed003", recalculated)
    (execution,) = [r for r in seed.rows if r.method == Method.EXECUTION]
    assert (execution.rate, execution.score) == (Decimal("0.8182"), 4)  # 5 × 81.82% = 4.09


def test_zero_targets_by_hand(recalculated):
    rows = {r.indicator.name: r for r in compare("zero-targets-xj-prop", recalculated).rows}
    # =0起: 1起 is not none (0%), 0起 is (100%)
    assert (rows["安全事故"].rate, rows["违规事件"].rate) == (0, 1)
    rows = {r.indicator.name: r for r in compare("zero-targets-variant", recalculated).rows}
    assert rows["安全事故"].rate == 0  # full_if_equal: 1 ≠ 0
    assert rows["投诉事件"].rate == 0  # linear_penalty, 2起 over a cap of 0: 0%
    assert rows["差错次数"].rate == Decimal("0.75")  # linear_penalty: 1 − (5 − 4)/4


def test_deadline_left_to_perfxl(recalculated):
    """A bare 12月 on a time row is a deadline in the table's year (issue 8 item 7): the
    engine scores 11月 as met; the template marks the target and computes the rest."""
    table = compare("deadline-mof2020", recalculated)
    rows = {r.indicator.name: r for r in table.rows}
    assert rows["完成时限"].rate == 1
    assert rows["培训周期"].rate == Decimal("0.9167")  # ≤11个月 against 12个月: 11/12


def test_funds_rows_without_funds_data(recalculated):
    table = compare("seed002-no-funds-mof2020", recalculated)
    (execution,) = [r for r in table.rows if r.method == Method.EXECUTION]
    assert (execution.rate, execution.ratio, execution.score) == (1, Decimal("1.05"), 5)
    assert table.execution_rate == Decimal("1.05")


def test_named_execution_row_replaces_the_funds_row(recalculated):
    table = compare("self-named-execution-row", recalculated)
    kinds = [r for r in table.rows if r.method == Method.EXECUTION]
    assert [r.indicator.name for r in kinds] == ["预算执行率（%）"]
    ws = openpyxl.load_workbook(recalculated["self-named-execution-row"][1], data_only=True)
    assert _blank(ws[L.FORM_SHEETS["self"]][f"I{L.FUNDS_ROW}"].value)


# --- udf templates: the PERF_* functions answered by the engine inside LibreOffice -----
# LibreOffice cannot run xlwings, but it calls a Basic function for a name in a formula
# that a loaded Basic library defines, even while importing an .xlsx. So a private
# LibreOffice gets a Basic module with one wrapper per in-cell function, each handing
# its arguments to a UNO object served from this script's process, which calls
# perfxl.excel.udfs the way xlwings does (empty cells and omitted arguments as None,
# numbers as float). Every udf template is then recalculated and held to the engine
# like the plain ones: all 16 shipped kinds (4 profiles × 2 forms × 2 modes) and more.

UDF_DRIVER = r"""
import json, os, socket, subprocess, sys, time
import uno, unohelper
from com.sun.star.beans import PropertyValue
from com.sun.star.task import XJob
from perfxl.excel import udfs

profile_uri, module_file, outdir, *paths = sys.argv[1:]


class Bridge(unohelper.Base, XJob):
    calls = 0

    def execute(self, arguments):
        (call,) = arguments
        Bridge.calls += 1
        args = [float(a) if isinstance(a, int) and not isinstance(a, bool) else a
                for a in call.Value]
        try:
            return getattr(udfs, call.Name)(*args)
        except Exception as exc:  # shown in the cell, so that the comparison names it
            return "#BRIDGE %s: %s" % (type(exc).__name__, exc)


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


with socket.socket() as s:
    s.bind(("localhost", 0))
    port = s.getsockname()[1]
office = subprocess.Popen(
    ["soffice", "-env:UserInstallation=" + profile_uri, "--headless", "--norestore",
     "--accept=socket,host=localhost,port=%d;urp;" % port],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
desktop = None
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
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    libraries = smgr.createInstanceWithContext(
        "com.sun.star.script.ApplicationScriptLibraryContainer", ctx)
    libraries.loadLibrary("Standard")
    standard = libraries.getByName("Standard")
    with open(module_file, encoding="utf-8") as f:
        standard.insertByName("PerfxlUdfs", f.read())
    provider = smgr.createInstanceWithContext(
        "com.sun.star.script.provider.MasterScriptProviderFactory", ctx
    ).createScriptProvider("")
    setter = provider.getScript(
        "vnd.sun.star.script:Standard.PerfxlUdfs.PX_SET?language=Basic&location=application")
    setter.invoke((Bridge(),), (), ())
    for path in paths:
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(path), "_blank", 0, (prop("Hidden", True),))
        doc.calculateAll()
        target = uno.systemPathToFileUrl(os.path.join(outdir, os.path.basename(path)))
        doc.storeToURL(target, (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
    print(json.dumps({"calls": Bridge.calls}))
finally:
    try:
        desktop.terminate()
    except Exception:
        pass
    office.wait(timeout=60)
"""


def basic_module() -> str:
    """StarBasic wrappers for the scalar in-cell functions (the templates use no other)."""
    lines = [
        "Global oBridge As Object",
        "Sub PX_SET(o)",
        "  oBridge = o",
        "End Sub",
        "Function PX_CALL(name, args)",
        "  Dim request(0) As New com.sun.star.beans.NamedValue",
        "  request(0).Name = name",
        "  request(0).Value = args",
        "  PX_CALL = oBridge.execute(request())",
        "End Function",
    ]
    for spec in REGISTRY.values():
        if spec.array or spec.name == "PERF_TOTAL":  # ranges: not used by the templates
            continue
        count = len(spec.args)
        lines.append(f"Function {spec.name}({', '.join(f'Optional a{i}' for i in range(count))})")
        lines.append(f"  Dim v({count - 1})")
        lines += [f"  If Not IsMissing(a{i}) Then v({i}) = a{i}" for i in range(count)]
        lines += [f'  {spec.name} = PX_CALL("{spec.name}", v)', "End Function"]
    return "\n".join(lines) + "\n"


def _uno_env(*extra: str) -> dict[str, str]:
    paths = [*extra, "/usr/lib/python3/dist-packages", "/usr/lib/libreoffice/program"]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}


ROOT = Path(__file__).resolve().parents[1]
# perfxl and its dependencies, for LibreOffice's Python (the venv's packages are pure
# Python where perfxl.excel.udfs needs them)
PERFXL_PATHS = (str(ROOT), sysconfig.get_paths()["purelib"])


@pytest.fixture(scope="module")
def recalculated_udf(tmp_path_factory) -> dict[str, tuple[Path, Path, object]]:
    """case id -> (filled udf workbook, copy recalculated with the bridge, profile)."""
    _soffice()
    python = _uno_python()
    if python is None:
        pytest.skip("no Python with LibreOffice's uno bridge (python3-uno)")
    env = _uno_env(*PERFXL_PATHS)
    probe = subprocess.run(
        [*python, "-c", "import perfxl.excel.udfs"], env=env, capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"LibreOffice's Python cannot import perfxl: {probe.stderr[-300:]!r}")
    root = tmp_path_factory.mktemp("lo-udf")
    filled = fill_cases(root, "udf")
    profile_dir = root / "lo-profile"
    (profile_dir / "user").mkdir(parents=True)
    (profile_dir / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, "utf-8")
    module = root / "PerfxlUdfs.bas"
    module.write_text(basic_module(), encoding="utf-8")
    driver = root / "driver.py"
    driver.write_text(UDF_DRIVER, encoding="utf-8")
    out = root / "recalculated"
    out.mkdir()
    paths = [str(path) for path, _ in filled.values()]
    done = subprocess.run(
        [*python, str(driver), profile_dir.as_uri(), str(module), str(out), *paths],
        capture_output=True, text=True, timeout=300, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["calls"] > 0
    return {case: (path, out / path.name, profile) for case, (path, profile) in filled.items()}


@pytest.mark.parametrize("case", list(CASES))
def test_udf_template_matches_the_engine(case, recalculated_udf):
    _, calc, _ = recalculated_udf[case]
    form = CASES[case][1]
    ws = openpyxl.load_workbook(calc, data_only=True)[L.FORM_SHEETS[form]]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("#BRIDGE", "#NAME"))]
    compare(case, recalculated_udf, udf=True)


@pytest.mark.parametrize("mode", ["plain", "udf"])
def test_funds_rows_follow_the_execution_rule(mode, recalculated, recalculated_udf):
    """Seed 003's 预算执行率 is 81.82% of 5 points: 2.73 from xj-60's 60% line (the figure
    the report prints), 4.09 when a profile extending xj-60 scores execution in proportion
    while its rows keep the 60% line (a udf template once scored it by the row rule)."""
    books = {"plain": recalculated, "udf": recalculated_udf}[mode]
    for case, expected in (("seed003-xj-60", 2.73), ("seed003-proportional-execution", 4.09)):
        ws = openpyxl.load_workbook(books[case][1], data_only=True)[L.FORM_SHEETS["eval"]]
        names = {ws[L.ref("name", r)].value: r for r in range(L.FIRST_ROW, L.LAST_ROW + 1)}
        r = names["预算执行率"]
        assert ws[L.ref("rate", r)].value == pytest.approx(0.8182), case
        assert ws[L.ref("score", r)].value == pytest.approx(expected), case
