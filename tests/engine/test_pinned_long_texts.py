"""Texts at and over the engine's length limits, and long texts that take another path
through the parse caches (short texts ≤ 64 characters and long ones are remembered
apart): pinned after the mutation re-run of issue 14 item 1."""

from decimal import Decimal as D

from _rows import indicator

from perfxl.model import Direction, Qualitative, Quantity, TextProblem
from perfxl.profiles import load_profile
from perfxl.quantities import parse_actual, parse_target
from perfxl.results import Method
from perfxl.scoring import score_row, special_kind

MOF = load_profile("mof2020")
WAN_YUAN = parse_target("≤1.5万元").quantity.unit  # 万元, factor 10,000


def test_a_target_of_exactly_200_characters_is_read():
    # 持续 × 100 = 200 characters, the most a target may hold: a qualitative target;
    # one character more (201) is too long
    text = "持续" * 100
    read = parse_target(text)
    assert (read.text, read.direction) == (text, Direction.QUALITATIVE)
    assert isinstance(parse_target(text + "持"), TextProblem)


def test_an_actual_of_exactly_200_characters_is_read():
    # the same 200 characters as an actual: a qualitative actual, not a problem
    text = "持续" * 100
    read = parse_actual(text)
    assert isinstance(read, Qualitative) and read.text == text


def test_too_long_actual_names_itself_its_length_and_start():
    # 201 characters after cleaning: 持 + 持续 × 100; the message names 实际完成值, the
    # length 201 and the first 20 characters (持 + 持续 × 9 + 持)
    text = "持" + "持续" * 100
    assert parse_actual(text) == TextProblem(
        text,
        "实际完成值文字过长（201 个字符，最多 200 个）：“" + "持" + "持续" * 9 + "持" + "…”，"
        "请只填写指标值或数值，说明写入备注",
    )


def test_a_long_actual_keeps_the_targets_unit():
    # 1.6万 followed by 70 spaces (a cell padded by its author, 74 characters, beyond
    # the short-text cache) against ≤1.5万元 is 1.6万元, as without the spaces — not
    # 16,000 of no unit
    padded = "1.6万" + " " * 70
    target = parse_target("≤1.5万元")
    assert parse_actual(padded, target) == Quantity(D("1.6"), WAN_YUAN)
    # scored: cost row, 1.5 / 1.6 = 0.9375 → 9.375 → 9.38 points (half up)
    result = score_row(indicator("≤1.5万元", padded, 10, level2="成本指标"), MOF)
    assert (result.rate, result.score) == (D("0.9375"), D("9.38"))


def test_a_nearly_actual_names_its_text():
    # 近200人 against ≥200人: a round-about figure that gives no rate; the problem keeps
    # the text it could not use
    problem = parse_actual("近200人", parse_target("≥200人"))
    assert problem == TextProblem(
        "近200人", "实际完成值“近200人”为约数（不足 200），无法计算完成率，请填写实际完成的数值"
    )


def test_a_long_row_name_is_still_the_execution_row():
    # 预算执行率 with a bracketed note making the name 107 characters (over the 100 the
    # name cache takes): the note is dropped and the row is the 预算执行率 row
    name = "预算执行率（" + "说明" * 50 + "）"
    assert len(name) == 107
    row = indicator(None, None, 10, level1="预算执行率", name=name)
    assert special_kind(row, MOF) == Method.EXECUTION


def test_a_text_between_the_caches_is_normalised():
    # 80 characters (8 × 10, over the 64 of the short cache, under the 256 cached at all):
    # traditional 滿 → 满, full-width ≧９５％ → ≥95%, spaces dropped, ten times over
    from perfxl.text import normalize

    text = "滿意度≧９５％ " * 10
    assert len(text) == 80
    assert normalize(text) == "满意度≥95%" * 10
