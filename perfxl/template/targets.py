"""How the plain formulas read a number target: the 指标性质 it is compared by (helper dir).

The reader joins 指标性质 | 指标值 | 计量单位 into one text (`≥` `90` `%` → `≥90%`) and
the engine reads that text (perfxl.quantities) and then the profile (perfxl.rates.
read_target). The formulas follow both:

- Every spelling of an operator the engine reads — the drop-down's ≥ ≤ =, the words
  (不低于, 控制在, 达到 …) and the look-alike signs (═ ≧ ≦ ＞＝ =< => 〉=) — is asked of the
  engine when the template is built and listed in the formula with the sign it means.
- A figure without an operator (指标性质 left empty, or only 为/约) is a bare figure, read
  by the profile: [rows] bare_cost in cost rows, [deadlines] bare_duration for a time
  span on a time row (`30天` under 时效指标), at most where the row's name holds a word
  of bare_at_most_names and none of bare_at_least_names, else [rows] bare. The formula
  decides from the row's level 2, unit and name as typed, as read_target does.
- What the formulas cannot read as the engine does gives "" (the row is not computed and
  its 指标性质/指标值 are marked red, perfxl.template.checks): a sign the engine does not
  know; a year as target (`2024年`, unreadable to the engine too) or a month number
  outside 1–12 (`13月`); and a bare month number on a time row (`12月` under 时效指标),
  which the engine judges as a deadline in the table's year ([deadlines]) — a rule of
  calendars and years that is left to perfxl rather than repeated in formulas.
"""

from __future__ import annotations

from functools import lru_cache

from perfxl.model import Direction, Target
from perfxl.profiles import Profile
from perfxl.quantities import OPERATORS, TIME_OPERATORS, parse_target
from perfxl.rates import DURATIONS
from perfxl.template.actuals import MONTH_UNIT, MONTHS, YEAR_UNIT, YEARS, row_unit
from perfxl.template.expr import any_of, compact, filled, spellings, text
from perfxl.template.layout import QUALITATIVE, UNITS
from perfxl.units import lookup_unit

# the signs the helper dir holds (the drop-down offers 等于 for =: layout.NATURES)
GE, LE, EQ = "≥", "≤", "="
SIGN = {Direction.POSITIVE: GE, Direction.REVERSE: LE, Direction.EQUAL: EQ}
READING = {"at_least": GE, "at_most": LE, "equal": EQ}
# 指标性质 words the reader itself turns into nothing (perfxl.reader.rows._target_text)
# or that keep a number target without its unit (定性 with a number in 指标值).
QUANTITATIVE_WORDS = ("定量", "定量指标")
QUALITATIVE_WORDS = (QUALITATIVE, "定性指标")
# Signs perfxl.text.normalize folds into the operators, with full-width and angle forms.
LOOK_ALIKES = (
    "═", "≧", "≦", "⩾", "⩽", "≮", "≯", "＝", "﹦", "＞", "＜", "＞＝", "＜＝", "＝＞", "＝＜",
    "〉=", "〈=", "》=", "《=", "〉", "〈", "〉＝", "〈＝",
)  # fmt: skip


@lru_cache(maxsize=1)
def operator_signs() -> dict[str, str]:
    """Spelling of 指标性质 → the sign the engine reads it as ("" for a bare figure)."""
    found: dict[str, str] = {}
    for spelling in (*OPERATORS, *LOOK_ALIKES):
        if spelling in TIME_OPERATORS:
            # 早于/不晚于…: a month after them is a month of the year and 早于/晚于 are
            # strict for dates, which the formulas do not model; left to perfxl (op 0,
            # marked like any 指标性质 the formulas cannot read)
            continue
        target = parse_target(f"{spelling}90%")
        if not isinstance(target, Target) or target.direction not in SIGN:
            continue
        found[spelling] = "" if target.bare else SIGN[target.direction]
    return found


def _level2_names(names: tuple[str, ...]) -> list[str]:
    """产出时效 and 产出时效指标 are the same level-2 name (perfxl.rates._level2_in)."""
    stems = dict.fromkeys(n.removesuffix("指标") for n in names)
    return [form for stem in stems for form in (stem, f"{stem}指标")]


# Defined names of the lists the helpers look up (written by perfxl.template.builder).
OPS, OP_CODES = "PX_OPS", "PX_OPS_CODE"
AT_MOST_WORDS, AT_LEAST_WORDS = "PX_BARE_AT_MOST", "PX_BARE_AT_LEAST"
CODES = {GE: 1, LE: 2, EQ: 3, "": 4}  # the helper op: 4 a bare figure, 0 not read
BARE = CODES[""]


def operator_list() -> list[tuple[str, int]]:
    """(spelling of 指标性质, code) for the hidden list PX_OPS: every operator the engine
    reads (and its traditional form), the reader's 定量/定性 words, and blank."""
    found = {s: CODES[sign] for s, sign in operator_signs().items()}
    for spelling in list(found):
        for form in spellings([spelling]):
            found.setdefault(form, found[spelling])
    for word in (*QUANTITATIVE_WORDS, *QUALITATIVE_WORDS):
        found.setdefault(word, BARE)
    return list(found.items())


def word_lists(profile: Profile) -> dict[str, list[str]]:
    """The profile's bare_at_most_names / bare_at_least_names with traditional forms."""
    rows = profile.rows
    return {
        AT_MOST_WORDS: spellings(rows.bare_at_most_names),
        AT_LEAST_WORDS: spellings(rows.bare_at_least_names),
    }


def operator(d: str) -> str:
    """The helper op: the code of 指标性质 as the engine reads it (0 when it does not)."""
    nature = compact(d)
    return f'IF({nature}="",{BARE},SUMPRODUCT(--EXACT({OPS},{nature}),{OP_CODES}))'


def _holds_word(profile: Profile, name: str, words: str) -> str:
    if not word_lists(profile)[words]:
        return "FALSE"
    return f"SUMPRODUCT(--ISNUMBER(FIND({words},{name})))>0"


def duration_units() -> list[str]:
    """Units of the drop-down that measure a time span (perfxl.rates.DURATIONS): a bare
    figure in them on a time row is a time limit, read by [deadlines] bare_duration."""
    found = []
    for spelling in UNITS:
        unit = lookup_unit(spelling)
        if unit is not None and unit.dimension in DURATIONS:
            found.append(spelling)
    return found


def direction(profile: Profile, c: str, d: str, e: str, f: str, h_: dict[str, str]) -> str:
    """The helper dir: ≥, ≤ or = for a number target the formulas read, else ""."""
    rows, op = profile.rows, h_["op"]
    name = compact(f"IF({filled(c)},{c},{h_['l2']})")
    bad = _holds_word(profile, name, AT_MOST_WORDS)
    excused = _holds_word(profile, name, AT_LEAST_WORDS)
    cost = any_of(h_["l2"], list(rows.cost_level2))
    time_row = any_of(h_["l2"], _level2_names(profile.deadlines.time_level2))
    duration = f"AND({time_row},{any_of(row_unit(d, f), duration_units())})"
    bare = (
        f"IF({cost},{text(READING[rows.bare_cost])},"
        f"IF({duration},{text(READING[profile.deadlines.bare_duration])},"
        f"IF(AND({bad},NOT({excused})),{text(LE)},{text(READING[rows.bare])})))"
    )
    sign = text("")
    for key in (EQ, LE, GE):
        sign = f"IF({op}={CODES[key]},{text(key)},{sign})"
    sign = f"IF({op}={BARE},{bare},{sign})"
    unit = row_unit(d, f)  # none under 定性: the reader keeps 指标值 alone
    whole = f"{e}=INT({e})"
    low, high = YEARS
    year = f"AND({unit}={text(YEAR_UNIT)},{e}>={low},{e}<={high})"
    first, last = MONTHS
    # `13月` is a date to the engine (1–2 digits before 月), and no month
    month_number = f"AND({unit}={text(MONTH_UNIT)},{whole},{e}>=0,{e}<100)"
    bad_month = f"AND({month_number},OR({e}<{first},{e}>{last}))"
    deadline = f"AND({op}={BARE},{time_row},{month_number})"
    unread = f"OR({year},{bad_month},{deadline})"
    return f'IF(NOT(ISNUMBER({e})),"",IF({unread},"",{sign}))'


def udf_text(d: str, e: str, f: str, h_: dict[str, str]) -> str:
    """The target text handed to PERF_RATE / PERF_SCORE: the reader's, except that a bare
    figure the formulas read as at most by the row's name gets its ≤ written, since the
    in-cell functions are not given the name (perfxl.excel.udfs)."""
    composed, bare = h_["text"], f"{h_['op']}={BARE}"
    written = f"{text(LE)}&{e}&{row_unit(d, f)}"
    return f"IF(AND(ISNUMBER({e}),{bare},{h_['dir']}={text(LE)}),{written},{composed})"
