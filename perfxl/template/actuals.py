"""How the plain formulas read a typed 实际完成值 (the row helpers typed … act).

A formula reads only the entries it can read exactly as the engine does: a number; a
plain decimal typed as text, alone or followed by a unit the engine converts into the
row's (`180`, `180人`, `97%` under %, `12个月` under 月, `3家` under 个, `16000元` or
`1.6万` under 万元: perfxl.template.unit_table asks the engine for every such factor
when the template is built); one of 达成/部分达成/未达成; a qualitative actual that
restates its target word for word (classified as perfxl.quantities.classify does).
VALUE only ever sees digits, so no locale or date reading can slip in. Everything else
the engine reads from free text (other qualitative wording, numbers with words around
them, dates, a number in exponent form such as `1e3`, which Excel itself turns into a
number when typed) leaves the row uncomputed and its actual marked red
(perfxl.template.checks), so that the clerk types the structured input instead.
"""

from __future__ import annotations

from decimal import Decimal

from perfxl.quantities import (
    NEGATIVE_PARTS,
    NEGATIVE_WHOLE,
    PARTIAL_PARTS,
    PARTIAL_WHOLE,
    is_not_applicable,
)
from perfxl.template.expr import (
    DIGITS,
    SPACES,
    any_of,
    compact,
    contains,
    num,
    spellings,
    text,
    without,
)
from perfxl.template.layout import GRADES, UNITS
from perfxl.units import lookup_unit

# Characters that make the engine read a target text as a number or as unreadable
# (perfxl.quantities: a digit, or one of <>=≥≤%), with their full-width forms.
SIGNS = "<>=≥≤%＜＞＝％≧≦"
# Words the engine reads as a date without any digit (`年底前完成` is a deadline): a
# target restated with them is judged as a date there, so the formulas leave it alone.
DATE_WORDS = ("年底", "年末")
YEAR_UNIT, YEARS = "年", (1900, 2100)  # `2024年` is a year, not an amount (perfxl.quantities)
MONTH_UNIT, MONTHS = "月", (1, 12)  # `13月` is no month of the year (perfxl.quantities)

# Defined names of the unit table on the lists sheet (perfxl.template.builder).
SPELLINGS, SPELLING_NUMBERS = "PX_USPELL", "PX_USPELL_N"
UNIT_NUMBERS, FACTOR_MUL, FACTOR_DIV = "PX_UNITS_N", "PX_UMUL", "PX_UDIV"
NO_UNIT = len(UNITS) + 1  # the table's column for a target typed without a unit


def percent_units() -> dict[str, Decimal]:
    """Units of the drop-down whose dimension is percent, with the factor to undo."""
    found = {}
    for spelling in UNITS:
        unit = lookup_unit(spelling)
        if unit is not None and unit.dimension == "percent":
            found[spelling] = 1 / unit.factor
    return found


def row_unit(d: str, f: str) -> str:
    """The row's unit as the reader composes the target: none under 定性 (the reader
    keeps a 定性 row's 指标值 alone, perfxl.reader.rows)."""
    return f'IF(OR(TRIM({d})="定性",TRIM({d})="定性指标"),"",TRIM({f}))'


def helpers(d: str, f: str, g: str, h_: dict[str, str]) -> dict[str, str]:
    """Formulas of the helpers typed … num of one row (d: 指标性质, f: 计量单位,
    g: 实际完成值)."""
    typed, sfx, sidx, uidx = (h_[k] for k in ("typed", "sfx", "sidx", "uidx"))
    unit = row_unit(d, f)
    out = {"typed": f'IF(ISNUMBER({g}),"",{compact(g)})'}
    # the unit is what is left once the digits and the point are taken away; it must
    # stand at the end, after one run of digits, or the rest is no plain decimal
    out["sfx"] = f'IF({typed}="","",{without(typed, DIGITS + ".")})'
    out["bare"] = (
        f"IF(RIGHT({typed},LEN({sfx}))={sfx},LEFT({typed},LEN({typed})-LEN({sfx})),{typed})"
    )
    out["sidx"] = f'IF({sfx}="",0,SUMPRODUCT(--EXACT({SPELLINGS},{sfx}),{SPELLING_NUMBERS}))'
    out["uidx"] = f'IF({unit}="",{NO_UNIT},SUMPRODUCT(--EXACT(PX_UNITS,{unit}),{UNIT_NUMBERS}))'
    for key, table in (("umul", FACTOR_MUL), ("udiv", FACTOR_DIV)):
        # a unit spelled as the row's own that the table does not hold still reads as it
        same = f"IF(EXACT({sfx},{unit}),1,0)" if key == "umul" else "1"
        out[key] = (
            f'IF({sfx}="",1,IF(AND({sidx}>0,{uidx}>0),N(INDEX({table},{sidx},{uidx})),{same}))'
        )
    out["num"] = _num(g, h_)
    return out


def _num(g: str, h_: dict[str, str]) -> str:
    """The actual as a number in the row's unit: a number cell, or text that is a plain
    decimal once its unit is taken off, times the unit's factor. The digits are read by
    VALUE one run at a time (VALUE("975")/10, never VALUE("97.5")), so the decimal
    separator of the spreadsheet's locale plays no part; anything else — a sign, a
    second dot, a word, a unit the engine does not convert — leaves "" (the row stays red)."""
    s, sfx, mul, div = h_["bare"], h_["sfx"], h_["umul"], h_["udiv"]
    dots = f'LEN({s})-LEN(SUBSTITUTE({s},".",""))'
    no_dot = f'SUBSTITUTE({s},".","")'
    only_digits = f'{without(no_dot, DIGITS)}=""'
    value = f'VALUE({no_dot})/10^MAX(LEN({s})-FIND(".",{s}&"."),0)'
    low, high = YEARS
    year = f"AND({sfx}={text(YEAR_UNIT)},{value}>={low},{value}<={high})"
    first, last = MONTHS
    # `13月` is read as a date by the engine, and no month of the year is 13
    month = f"AND({sfx}={text(MONTH_UNIT)},{dots}=0,LEN({s})<=2,OR({value}<{first},{value}>{last}))"
    readable = f'AND(LEN({s})>0,RIGHT({s},1)<>".",{dots}<=1,{only_digits},N({mul})>0)'
    scaled = f"IF(AND({mul}=1,{div}=1),{value},{value}*{mul}/{div})"
    # AND evaluates every argument: VALUE's error on bad text ends in IFERROR's ""
    return (
        f"IF(ISNUMBER({g}),{g},IFERROR(IF(AND({readable},NOT({year}),NOT({month})),"
        f'{scaled},""),""))'
    )


def worded(typed: str) -> str:
    """The typed actual is words to the engine: no digit and none of its signs, so that
    perfxl.quantities.parse_actual reads it as qualitative text."""
    signs = ",".join(contains(typed, ch) for ch in SIGNS)
    return f"AND({without(typed, DIGITS)}={typed},NOT(OR({signs})))"


def grade(g: str, h_: dict[str, str]) -> str:
    """The band a qualitative actual falls in: one of the three grades as chosen, or
    an actual that restates its (qualitative) target, which the engine classifies by
    its wording: 未达成 when it contains a negative phrase, 部分达成 a partial one,
    else 达成 (perfxl.quantities.classify with the target found in the actual)."""
    typed, target = h_["typed"], compact(h_["text"])
    chosen = any_of(f"TRIM({g})", list(GRADES))
    wordy = f"{without(typed, DIGITS)}={typed}"  # no digit: read as words, not a number
    signs = f"NOT(OR({','.join(contains(typed, ch) for ch in (*SIGNS, *DATE_WORDS))}))"
    restated = f'AND({typed}<>"",{typed}={target},{wordy},{signs})'

    def phrase(whole: set[str], parts: tuple[str, ...]) -> str:
        tests = [f"{typed}={text(w)}" for w in spellings(sorted(whole))]
        tests += [contains(typed, part) for part in spellings(parts)]
        return f"OR({','.join(tests)})"

    achieved, partial, missed = GRADES
    level = (
        f"IF({phrase(NEGATIVE_WHOLE, NEGATIVE_PARTS)},{text(missed)},"
        f"IF({phrase(PARTIAL_WHOLE, PARTIAL_PARTS)},{text(partial)},{text(achieved)}))"
    )
    return f'IF({chosen},TRIM({g}),IF({restated},{level},""))'


def aligned(d: str, e: str, f: str, h_: dict[str, str]) -> str:
    """The actual in the target's unit: a percent typed as 0.95 against 95 % is 95
    (perfxl.units.align does so only when the actual carries no unit of its own)."""
    n, mode = h_["num"], h_["mode"]
    bare_number = f'{h_["sfx"]}=""'  # no unit typed
    value = n
    for spelling, factor in percent_units().items():
        value = (
            f"IF(AND({row_unit(d, f)}={text(spelling)},{bare_number},{n}<=1,{e}>1),"
            f"ROUND({n}*{num(factor)},10),{value})"
        )
    return f'IF({mode}="C",{value},"")'


# --- 无此类指标 ----------------------------------------------------------------------
# Every spelling perfxl.quantities.is_not_applicable reads, built from the parts of its
# pattern: (本项目|本单位|本部门)? (无|不涉及|未涉及|不适用) (此类|此项|…)? (指标)?, in both
# scripts, and n/a; a run of dashes and slashes is tested apart (any length).
NA_LIST = "PX_NA"
NA_PREFIXES = ("", "本项目", "本单位", "本部门")
NA_CORES = ("无", "不涉及", "未涉及", "不适用")
NA_KINDS = ("", "此类", "此项", "该项", "该类", "该", "此", "本项")
NA_TAILS = ("", "指标")
NA_OTHERS = ("n/a", "na", "n／a")
NA_DASHES = "-—–―/\\－／＼"


def na_spellings() -> list[str]:
    """The hidden list PX_NA; each spelling is asked of the engine, which must agree."""
    words = [
        prefix + core + kind + tail
        for prefix in NA_PREFIXES
        for core in NA_CORES
        for kind in NA_KINDS
        for tail in NA_TAILS
    ]
    found = spellings([*words, *NA_OTHERS])
    assert all(is_not_applicable(word) for word in found), "the engine reads these otherwise"
    return found


def says_not_applicable(x: str) -> str:
    """1 when the cell's text says the indicator does not apply, as the engine reads it:
    without spaces and line breaks, a spelling of PX_NA or a run of dashes and slashes.
    (The engine also drops closing marks first, `无。`; the formulas do not.)"""
    key = f'SUBSTITUTE({without(x, SPACES)},CHAR(10),"")'
    dashes = without(key, NA_DASHES)
    return f'IF(OR(SUMPRODUCT(--({NA_LIST}={key}))>0,AND(LEN({key})>0,{dashes}="")),1,0)'
