"""Templates: structure, drop-downs, protection, names, print set-up, committed copies
and the reader's view of them (the LibreOffice recalculation is test_template_libreoffice)."""

from __future__ import annotations

import importlib.util
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from perfxl.api import score_file
from perfxl.model import Direction
from perfxl.profiles import available_profiles, load_profile
from perfxl.quantities import classify, is_not_applicable, parse_target
from perfxl.reader import read_workbook
from perfxl.samples.seeds import SEEDS
from perfxl.template import build_template, fill_template
from perfxl.template import layout as L
from perfxl.template.fill import split_target, typed_actual
from perfxl.units import DATE, MONTH_OF_YEAR, lookup_unit

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location(
    "build_templates", ROOT / "scripts" / "build_templates.py"
)
assert _spec is not None and _spec.loader is not None
build_templates = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_templates)

VARIANTS = [(p, f, m) for p in available_profiles() for f in L.FORMS for m in L.FORMULA_MODES]
INPUT_FILL = "FFFFF2CC"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[tuple[str, str, str], Path]:
    root = tmp_path_factory.mktemp("templates")
    return {
        (p, f, m): build_template(load_profile(p), f, m, root / f"{p}_{f}_{m}.xlsx")
        for p, f, m in VARIANTS
    }


def _open(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("variant", VARIANTS, ids="-".join)
def test_sheets_header_and_meta(built, variant):
    name, form, mode = variant
    wb = _open(built[variant])
    assert wb.sheetnames == [L.GUIDE_SHEET, L.FORM_SHEETS[form], L.META_SHEET, L.LISTS_SHEET]
    states = [ws.sheet_state for ws in wb.worksheets]
    assert states == ["visible", "visible", "hidden", "hidden"]
    ws = wb[L.FORM_SHEETS[form]]
    assert ws["A1"].value == L.TITLES[form]
    header = [ws.cell(L.HEADER_ROW, c + 1).value for c in range(len(L.COLUMNS))]
    assert header == list(L.COLUMNS.values())
    assert header[3:6] == ["指标性质", "指标值", "计量单位"]
    funds = [ws[f"{c}{L.FUNDS_HEADER_ROW}"].value for c, _ in L.FUNDS_COLUMNS.values()]
    assert funds == [
        "年初预算数",
        "全年预算数",
        "全年到位数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    labels = {ws[f"A{r}"].value for r in range(L.TOTAL_ROW, L.DEVIATION_ROW + 1)}
    assert {"总分", "评价等级", "预算执行率", "总体完成率"} <= labels
    meta = {row[0]: row[1] for row in wb[L.META_SHEET].iter_rows(values_only=True)}
    assert meta["template_version"] == L.TEMPLATE_VERSION
    assert (meta["profile"], meta["form"], meta["formulas"]) == (name, form, mode)
    assert meta["profile_title"] == load_profile(name).title
    assert L.ROW_COUNT >= 40


@pytest.mark.parametrize("variant", VARIANTS, ids="-".join)
def test_inputs_unlocked_computed_locked(built, variant):
    _, form, _ = variant
    ws = _open(built[variant])[L.FORM_SHEETS[form]]
    assert ws.protection.sheet and not ws.protection.password
    for r in range(L.FIRST_ROW, L.LAST_ROW + 1):
        for key in L.INPUT_COLUMNS:
            cell = ws[L.ref(key, r)]
            assert not cell.protection.locked and cell.fill.fgColor.rgb == INPUT_FILL, cell
        for key in ("rate", "score", *L.HELPERS):
            cell = ws[L.ref(key, r)]
            assert cell.protection.locked and cell.data_type == "f", cell
    for key in L.FUNDS_INPUTS:
        assert not ws[f"{L.FUNDS_COLUMNS[key][0]}{L.FUNDS_ROW}"].protection.locked
    for row in L.KEY_NAMES.values():
        cell = ws[L.summary_ref(row).replace("$", "")]
        assert cell.protection.locked and cell.data_type == "f"
    assert ws[f"H{L.FUNDS_ROW}"].data_type == "f"
    weight = ws[f"G{L.FUNDS_ROW}"]
    assert weight.protection.locked == (form == "eval")
    hidden = {c for d in ws.column_dimensions.values() if d.hidden for c in range(d.min, d.max + 1)}
    helpers = {column_index_from_string(L.COL[h]) for h in L.HELPERS}
    assert helpers <= hidden and column_index_from_string(L.LAST_COLUMN) not in hidden


def _validations(ws) -> dict[str, tuple[str, str, bool]]:
    return {
        str(dv.sqref): (dv.type, dv.formula1, bool(dv.showErrorMessage))
        for dv in ws.data_validations.dataValidation
    }


def _lists(wb) -> dict[str, list[str]]:
    """Defined list name -> its values on the hidden lists sheet."""
    out = {}
    for name, defined in wb.defined_names.items():
        sheet, cells = next(defined.destinations)
        if sheet == L.LISTS_SHEET:
            out[name] = [c.value for row in wb[sheet][cells.replace("$", "")] for c in row]
    return out


@pytest.mark.parametrize("form", L.FORMS)
def test_dropdowns(built, form):
    wb = _open(built[("mof2020", form, "plain")])
    ws = wb[L.FORM_SHEETS[form]]
    dv = _validations(ws)
    span = lambda key: f"{L.COL[key]}{L.FIRST_ROW}:{L.COL[key]}{L.LAST_ROW}"  # noqa: E731
    assert dv[span("level1")][:2] == ("list", "PX_L1")
    kind, level2, _ = dv[span("level2")]
    assert kind == "list" and level2.startswith("INDIRECT(") and "PX_L2_" in level2
    # 等于, not `=`, which Excel takes for the start of a formula (issue 10)
    assert dv[span("nature")][:2] == ("list", '"≥,≤,等于,定性"')
    assert dv[span("unit")][:2] == ("list", "PX_UNITS")
    assert dv[span("actual")] == ("list", "PX_QUAL", False)  # numbers go there too
    assert dv[span("weight")][0] == "decimal"
    assert dv[span("target")][0] == "custom" and dv[span("entered")][0] == "custom"
    lists = _lists(wb)
    levels = L.LEVELS[form]
    assert lists["PX_L1"] == list(levels)
    for i, level2s in enumerate(levels.values(), 1):
        assert lists[f"PX_L2_{i}"] == list(level2s)
    assert lists["PX_QUAL"] == ["达成", "部分达成", "未达成"]
    assert lists["PX_UNITS"] == list(L.UNITS)
    words = {x for x in L.NOT_APPLICABLE if x.strip("-—/")}  # dashes: tested apart
    assert words <= set(lists["PX_NA"])
    # the whole pattern of perfxl.quantities: 本项目不涉及此类指标, 本单位无该项指标 …
    assert {"本项目不涉及此类指标", "本单位无该项指标", "不适用本项", "無此類指標"} <= set(
        lists["PX_NA"]
    )


def _red_actual(ws) -> str:
    actual = f"{L.COL['actual']}{L.FIRST_ROW}:{L.COL['actual']}{L.LAST_ROW}"
    (rule,) = [r for cf in ws.conditional_formatting if str(cf.sqref) == actual for r in cf.rules]
    return rule.formula[0]


def test_red_mark_follows_what_computes(built):
    """Plain: red exactly where the helpers that decide the row's mode read nothing;
    udf: red where the engine's 得分 says it could not read the actual."""
    plain = _open(built[("mof2020", "self", "plain")])[L.FORM_SHEETS["self"]]
    rule = _red_actual(plain)
    r = L.FIRST_ROW
    assert f'${L.COL["grade"]}{r}=""' in rule and f"ISNUMBER(${L.COL['num']}{r})" in rule
    udf = _open(built[("mof2020", "self", "udf")])[L.FORM_SHEETS["self"]]
    rule = _red_actual(udf)
    assert "#实际值无法识别" in rule and "#单位无法换算" in rule and "#无法判断是否达成" in rule


def test_lists_mean_what_the_engine_reads():
    for unit in L.UNITS:
        found = lookup_unit(unit)
        assert found is not None and found.dimension not in (DATE, MONTH_OF_YEAR), unit
        target = parse_target(f"≥2{unit}")
        assert target.direction == Direction.POSITIVE and target.quantity.unit.text == unit
    for text in L.NOT_APPLICABLE:
        assert is_not_applicable(text), text
    for grade in L.GRADES:
        assert classify(grade).value == grade
    for nature, direction in zip(L.NATURES[:3], Direction, strict=False):
        assert parse_target(f"{nature}95%").direction == direction
    assert not any(nature.startswith(("=", "+", "-", "@")) for nature in L.NATURES)


@pytest.mark.parametrize("variant", VARIANTS, ids="-".join)
def test_names_and_print_setup(built, variant):
    _, form, _ = variant
    wb = _open(built[variant])
    sheet = L.FORM_SHEETS[form]
    names = wb.defined_names
    for name, row in L.KEY_NAMES.items():
        assert names[name].attr_text == f"'{sheet}'!{L.summary_ref(row)}"
    assert names["PX_PROFILE"].attr_text == f"{L.META_SHEET}!$B$2"
    assert "PX_VERSION" in names and "PX_INDICATORS" in names
    ws = wb[sheet]
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.print_title_rows == f"${L.HEADER_ROW}:${L.HEADER_ROW}"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
    assert ws.print_area == f"'{sheet}'!$A$1:${L.LAST_COLUMN}${L.SIGN_ROW}"


@pytest.mark.parametrize("form", L.FORMS)
def test_formula_modes(built, form):
    plain = _open(built[("xj-60", form, "plain")])[L.FORM_SHEETS[form]]
    udf = _open(built[("xj-60", form, "udf")])[L.FORM_SHEETS[form]]
    r = L.FIRST_ROW
    cells = [L.ref("rate", r), L.ref("score", r), "I64", "I68", "H6"]
    assert not any("PERF_" in plain[c].value for c in cells)
    assert "PERF_RATE(" in udf[L.ref("rate", r)].value
    assert "PERF_SCORE(" in udf[L.ref("score", r)].value
    assert "PERF_GRADE(" in udf["I64"].value and "PERF_DEVIATION(" in udf["I68"].value
    assert "PERF_EXEC_RATE(" in udf["H6"].value
    # funds rows are scored by the profile's [execution] / [arrival] rules, not its row rule
    score = udf[L.ref("score", r)].value
    assert "PERF_EXEC_SCORE(" in score and "PERF_ARRIVAL_SCORE(" in score
    if form == "self":
        assert "PERF_EXEC_SCORE(" in udf[f"I{L.FUNDS_ROW}"].value
    every = [c.value for row in udf.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in every if '"≥100%"' in v]


def test_formulas_follow_the_profile(built):
    """The same cell differs between profiles exactly where their rules differ."""
    mof = _open(built[("mof2020", "eval", "plain")])[L.FORM_SHEETS["eval"]]
    xj60 = _open(built[("xj-60", "eval", "plain")])[L.FORM_SHEETS["eval"]]
    score = L.ref("score", L.FIRST_ROW)
    assert "-0.6)/0.4*" in xj60[score].value and "-0.6)/0.4*" not in mof[score].value
    grate = L.ref("grate", L.FIRST_ROW)
    assert '"成本指标"' in xj60[grate].value  # cost rows differ from reverse ones there
    assert '"成本指标"' not in mof[grate].value  # both target/actual under mof2020
    hubei = _open(built[("hubei", "self", "plain")])[L.FORM_SHEETS["self"]]
    assert hubei[f"G{L.FUNDS_ROW}"].value == 20 and mof["G6"].value == "—"
    assert "0.5*" in hubei[grate].value and "0.5*" not in mof[grate].value  # bands


def test_no_region_in_template_code():
    sources = (ROOT / "perfxl" / "template").glob("*.py")
    text = "\n".join(p.read_text(encoding="utf-8") for p in sources)
    for name in available_profiles():
        assert not re.search(rf"\b{re.escape(name)}\b", text), name


# --- committed templates -------------------------------------------------------------

_TIMESTAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def normalised_parts(path: Path) -> dict[str, bytes]:
    """The unzipped parts with the volatile ones neutralised, as XlsxWriter's own
    comparison tests do: creation/modification times in docProps/core.xml and the
    calculation chain, which Excel rewrites at will."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts.pop("xl/calcChain.xml", None)
    if "docProps/core.xml" in parts:
        parts["docProps/core.xml"] = _TIMESTAMPS.sub(b"", parts["docProps/core.xml"])
    return parts


def test_committed_templates_match_the_generator(tmp_path):
    committed = ROOT / "workbook_templates"
    rebuilt = build_templates.build(tmp_path)
    assert sorted(p.name for p in committed.glob("*.xlsx")) == sorted(p.name for p in rebuilt)
    for path in rebuilt:
        old, new = normalised_parts(committed / path.name), normalised_parts(path)
        assert sorted(old) == sorted(new), path.name
        for part in new:
            assert old[part] == new[part], (
                f"{path.name}: {part} differs; run scripts/build_templates.py and commit"
            )
    assert set(build_templates.TEMPLATES) == set(VARIANTS)  # every profile × form × mode
    assert {"mof2020", "xj-prop", "xj-60", "hubei"} <= set(available_profiles())


def test_build_is_atomic_and_deterministic(tmp_path):
    target = tmp_path / "t.xlsx"
    build_template(load_profile("mof2020"), "self", "plain", target)
    first = target.read_bytes()
    build_template(load_profile("mof2020"), "self", "plain", target)
    assert target.read_bytes() == first
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]
    with pytest.raises(ValueError):
        build_template(load_profile("mof2020"), "other", "plain", tmp_path / "x.xlsx")
    with pytest.raises(ValueError):
        build_template(load_profile("mof2020"), "self", "vba", tmp_path / "x.xlsx")
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


# --- the reader's view ----------------------------------------------------------------


@pytest.mark.parametrize("variant", VARIANTS, ids="-".join)
def test_reader_reads_an_empty_template(built, variant):
    _, form, _ = variant
    read = read_workbook(built[variant])
    assert not read.findings
    (table,) = read.tables
    assert table.sheet == L.FORM_SHEETS[form]
    assert table.project is None and table.reported_grade in (None, "")
    assert all(i.actual_text is None and i.entered_score is None for i in table.indicators)
    names = [i.name for i in table.indicators]
    assert names == [row.name for row in L.COMMON_ROWS[form]]


def test_reader_reads_a_filled_template(tmp_path):
    template = build_template(load_profile("xj-prop"), "eval", "plain", tmp_path / "t.xlsx")
    filled = fill_template(template, tmp_path / "filled.xlsx", SEEDS["002"])
    (table,) = read_workbook(filled).tables
    assert (table.project, table.unit) == ("机关运行补助项目", "中共昌吉回族自治州委员会组织部")
    assert (table.funds.received, table.funds.spent) == (Decimal(1994), Decimal("693.68"))
    rows = {i.name: i for i in table.indicators}
    assert len(rows) == len(SEEDS["002"].rows)
    assert (rows["支出分类"].target_text, rows["支出分类"].actual_text) == ("≤5个", "5")
    assert rows["预算成本控制率"].target_text == "≤100%"
    assert rows["各项保运转工作完成率"].target_text == "等于100%"  # 等于 from the drop-down
    assert (rows["提高组织工作效率"].target_text, rows["提高组织工作效率"].actual_text) == (
        "不断提高",
        "达成",
    )
    assert rows["立项依据充分性"].entered_score == 5 and rows["立项依据充分性"].target_text is None
    assert rows["预算执行率"].reason.startswith("单位资金支付")
    (result,) = score_file(filled, "xj-prop").tables
    assert (result.total, result.grade) == (Decimal("88.26"), "良")


def test_fill_splits_targets_as_printed():
    assert split_target("小于等于20万元")[:3] == ("≤", 20, "万元")
    assert split_target("大于等于95.00%")[:3] == ("≥", 95, "%")
    # a bare figure keeps 指标性质 empty, so that the profile reads it (issue 8 item 6)
    assert split_target("106个")[:3] == (None, 106, "个")
    assert split_target("=106个")[:3] == ("等于", 106, "个")  # as the drop-down offers it
    assert split_target("达到95%")[:3] == ("≥", 95, "%")
    assert split_target("逐步提高")[:3] == ("定性", "逐步提高", None)
    assert split_target("")[:3] == (None, None, None)
    target = split_target("≤1.5万元")[3]
    assert typed_actual("16000元", target) == 1.6
    assert typed_actual("基本达成逐步提高目标", split_target("逐步提高")[3]) == "达成"
    with pytest.raises(ValueError):
        split_target("2023年12月前")


def test_unit_table_holds_what_the_engine_converts():
    """Issue 8 item 9: the factors the plain formulas multiply by, asked of the engine."""
    from fractions import Fraction

    from perfxl.template.unit_table import factor, unit_table

    assert factor("个月", "月") == 1 and factor("月", "个月") == 1
    assert factor("个月", "年") == Fraction(1, 12)  # 10个月 on a 年 row is 10/12 年
    assert factor("万元", "元") == 10000 and factor("元", "万元") == Fraction(1, 10000)
    assert factor("万", "万元") == 1  # 1.6万 against 万元 is 1.6万元
    assert factor("万", "人") == 10000 and factor("万人次", "人次") == 10000
    assert factor("家", "个") == 1 and factor("個", "个") == 1  # 个 counts anything
    assert factor("‰", "%") == Fraction(1, 10) and factor("周", "天") == 7
    assert factor("家", "人") is None  # 家 is not 人: PX012 in the engine
    assert factor("万", "%") is None  # a plain 10000-fold number there: value-dependent
    assert factor("月份", "月") is None  # a month of the year, not a duration
    assert factor("%", "") is None and factor("人", "") == 1  # a target without a unit
    assert factor("余户", "户") == 1 and factor("万余元", "元") == 10000  # 190余户, 1.2万余元
    assert factor("万", "月") == 10000  # 7万 against 月: the plain number 70000
    spellings = [s for s, _ in unit_table(L.UNITS)]
    assert len(spellings) == len(set(spellings))
    assert not [s for s in spellings if any(c in s for c in "0123456789.")]
    assert set(L.UNITS) <= set(spellings)


def test_natures_read_as_the_engine_reads_them():
    """Issue 8 item 5: the 指标性质 spellings the plain formulas know, with the sign each
    means (written here by hand, not taken from the code); 为 and 约 name no direction."""
    from perfxl.template.targets import operator_signs

    signs = operator_signs()
    expected = {"≥": "≥", "≤": "≤", "=": "=", "═": "=", "≧": "≥", "≦": "≤", "＞＝": "≥"}
    expected |= {"＜＝": "≤", "=<": "≤", "=>": "≥", "〉=": "≥", "〈=": "≤", "不低于": "≥"}
    expected |= {"控制在": "≤", "达到": "≥", "等于": "=", "为": "", "约": ""}
    assert {k: signs.get(k) for k in expected} == expected
    assert "≈" not in signs  # unknown to the engine: the row is left to perfxl


@pytest.mark.parametrize("mode", L.FORMULA_MODES)
def test_guide_says_how_bare_figures_are_read(built, mode):
    ws = _open(built[("mof2020", "self", mode)])[L.GUIDE_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "指标性质留空表示原表未写比较符号" in text and "按不低于（≥）计分" in text
    # only the plain formulas leave deadlines to perfxl
    assert ("时效指标中未写符号的月份" in text) == (mode == "plain")


def _depth(formula: str) -> int:
    """How deeply the formula's brackets nest, outside string literals."""
    depth = deepest = 0
    quoted = False
    for ch in formula:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "()":
            depth += 1 if ch == "(" else -1
            deepest = max(deepest, depth)
    return deepest


@pytest.mark.parametrize("variant", VARIANTS, ids="-".join)
def test_formulas_within_excel_limits(built, variant):
    """Excel refuses a formula over 8,192 characters or nesting functions over 64 levels
    deep; the generated ones (a long SUBSTITUTE chain, the unit and sign lookups) must
    stay well inside both."""
    for ws in _open(built[variant]).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith("="):
                    assert len(value) < 8192 and _depth(value) < 64, cell.coordinate


def test_funds_amounts_pasted_as_text_are_marked(built):
    """perfxl reads `46.5万` in the funds block (issue 8 item 3); the formulas do not, so
    such a cell is marked red instead of silently counting as empty."""
    ws = _open(built[("mof2020", "self", "plain")])[L.FORM_SHEETS["self"]]
    block = f"C{L.FUNDS_ROW}:F{L.FUNDS_SOURCE_ROWS[-1]}"
    rules = [r for cf in ws.conditional_formatting if str(cf.sqref) == block for r in cf.rules]
    assert [r.formula[0] for r in rules] == [
        f"AND(LEN(TRIM(C{L.FUNDS_ROW}))>0,NOT(ISNUMBER(C{L.FUNDS_ROW})))"
    ]


def test_time_operator_words_are_left_to_perfxl_by_the_plain_formulas():
    """早于/晚于 are strict for a date and a month after 不晚于 is a month of the year
    (perfxl.quantities.TIME_OPERATORS); the formulas model neither, so these 指标性质
    words are not in the template's operator list (op 0: marked, scored by perfxl),
    while the number operators stay."""
    from perfxl.template.targets import CODES, operator_list

    listed = dict(operator_list())
    for word in ("早于", "晚于", "迟于", "不早于", "不晚于", "不迟于"):
        assert word not in listed, word
    assert listed["≥"] == CODES["≥"] and listed["不低于"] == CODES["≥"]
