"""Every cell-text parser ends quickly on hostile text (issue 9, attack 3).

Repeated operator words made the quantity patterns backtrack exponentially: 97 characters
of `大于等于` took 35 s and PERF_RATE froze Excel. Each parser here meets texts built to
make a regular expression backtrack — repeated operator words, thousands separators,
brackets, long runs of one character — in a child process with a kill timeout. The
bound is the timeout (a hung parser is killed, the test fails), plus a generous check
that doubling a text does not multiply its cost: an exponential parser fails that long
before the timeout, a linear one passes with room to spare. No wall-clock assertion is
tight enough to flake on a slow machine.
"""

import json

import pytest
from _child import run_python

TIMEOUT = 20

# Texts as Python expressions of a size n; the child builds them at n and 2n.
HOSTILE = {
    "operator_words": "'大于等于' * n + 'x'",
    "operator_words_digit": "'大于等于' * n + '1x'",
    "mixed_operator_words": "'大于或等于小于等于不低于' * n + 'x'",
    "operator_words_date": "'不低于不超过' * n + '2023年'",
    "label_then_signs": "'完成率' * n + '≥' * n + 'x'",
    "thousands_separators": "'1' + ',000' * n + 'x'",
    "thousands_separators_unit": "'≥1' + ',000' * n + '元'",
    "digits": "'1' * (4 * n)",
    "counting_words": "'1' + '个' * (4 * n)",
    "unit_then_nouns": "'1个' + '村' * (4 * n)",
    "nested_brackets": "'(' * n + '1' + ')' * n",
    "open_brackets": "'（' * (4 * n)",
    "compound_units": "'1' + '元/' * n",
    "dates": "'2023年12月' * n",
    "traditional": "'體' * (4 * n)",
    "expanding": "'\\ufdfa' * n",
    "negations": "'未' * n + '达成'",
}

PRELUDE = """
import json, sys, time
from perfxl.quantities import classify, is_not_applicable, parse_actual, parse_target
from perfxl.text import normalize
from perfxl.units import lookup_unit
from perfxl.excel.udfs import PERF_RATE, PERF_SCORE
from perfxl.scoring import special_kind
from perfxl.model import Indicator
from perfxl.profiles import load_profile

PROFILE = load_profile(None)
NUMBER_TARGET = parse_target('≥95%')
WORD_TARGET = parse_target('有效提升')
PARSERS = {
    'parse_target': lambda s: parse_target(s),
    'parse_actual': lambda s: parse_actual(s),
    'parse_actual_number_target': lambda s: parse_actual(s, NUMBER_TARGET),
    'parse_actual_word_target': lambda s: parse_actual(s, WORD_TARGET),
    'classify': lambda s: classify(s, s[: len(s) // 2]),
    'is_not_applicable': lambda s: is_not_applicable(s),
    'normalize': lambda s: normalize(s),
    'lookup_unit': lambda s: lookup_unit(s),
    'PERF_RATE': lambda s: PERF_RATE(s, s),
    'PERF_SCORE': lambda s: PERF_SCORE(s, '1', 10),
    'special_kind': lambda s: special_kind(Indicator('', '', s, None, None, None, None), PROFILE),
}


def cost(parser, text):
    start = time.perf_counter()
    parser(text)
    return time.perf_counter() - start


parse_target('预热'), normalize('體')  # imports and first-call set-up are not the parser's cost
"""


def _costs(n: int) -> dict[str, dict[str, list[float]]]:
    """Cost of every parser on every hostile text at n and 2n, one line per text as it goes
    (so that a killed child still tells which text it hung on)."""
    code = PRELUDE + (
        f"for name, expression in {HOSTILE!r}.items():\n"
        f"    texts = [eval(expression, {{'n': n}}) for n in ({n}, {2 * n})]\n"
        "    costs = {p: [cost(parser, t) for t in texts] for p, parser in PARSERS.items()}\n"
        "    print(json.dumps([name, costs]), flush=True)\n"
    )
    run = run_python(code, timeout=TIMEOUT)
    done = dict(json.loads(line) for line in run.stdout.splitlines())
    hung = next((name for name in HOSTILE if name not in done), None)
    assert not run.killed, f"{hung!r} (n={n}): {HOSTILE[hung]} did not finish within {TIMEOUT} s"
    assert run.returncode == 0, run.stderr
    return done


@pytest.mark.parametrize("n", [30, 2500])
def test_hostile_text_ends_quickly_and_doubling_it_does_not_blow_up(n):
    # n=30 is the size that broke (121 characters of 大于等于: 35 s); n=2500 gives texts of
    # 10,000 characters and more, past the length cap and into Excel's 32,767-character limit.
    for name, costs in _costs(n).items():
        for parser, (single, double) in costs.items():
            # generous: a linear parser costs ~2x, a quadratic one ~4x; exponential ones fail
            assert double <= 10 * single + 1.0, (parser, name, n, single, double)


def test_the_reported_attack_is_read_at_once():
    # "大于等于"*30 + "x" (121 characters) never finished before; it names no figure, so it is
    # read as a qualitative target, as "大于等于x" always was.
    code = PRELUDE + (
        "t = parse_target('大于等于' * 30 + 'x')\n"
        "print(t.direction if not hasattr(t, 'message') else t.message)\n"
        "print(PERF_RATE('大于等于' * 30 + 'x', '1'))\n"
    )
    run = run_python(code, timeout=TIMEOUT)
    assert not run.killed and run.returncode == 0, run.stderr
    direction, rate = run.stdout.splitlines()
    assert direction == "qualitative"
    assert rate.startswith("#")  # a short Chinese cell error, never a hang


@pytest.mark.parametrize(
    "text",
    ["≥" + "1" * 300, "大于等于" * 60 + "95%", "有效提升" * 60, " " * 10 + "大" * 201],
)
def test_a_text_over_the_cap_is_a_problem_that_says_so(text):
    from perfxl.model import TextProblem
    from perfxl.quantities import MAX_TEXT_CHARS, parse_actual, parse_target

    assert MAX_TEXT_CHARS == 200
    target = parse_target(text)
    assert isinstance(target, TextProblem)
    assert "文字过长" in target.message and "200" in target.message
    for against in (None, parse_target("≥95%"), parse_target("有效提升")):
        actual = parse_actual(text, against)
        assert isinstance(actual, TextProblem), against
        assert "文字过长" in actual.message


def test_texts_at_the_cap_are_still_read():
    # spaces do not count: 250 of them and a figure still read as the figure
    from perfxl.model import Direction
    from perfxl.quantities import parse_target

    padded = " " * 250 + "≥95%"
    assert parse_target(padded).direction == Direction.POSITIVE
    words = "有效提升" * 50  # exactly 200 characters
    assert parse_target(words).direction == Direction.QUALITATIVE


def test_long_cell_texts_are_not_kept_in_the_parse_caches():
    # Parsers remember their answers (in-cell functions recalculate thousands of times);
    # remembering 32,767-character cells would let one hostile sheet hold gigabytes
    # (8,192 entries per cache). 20 distinct long texts must leave ~nothing behind.
    import gc
    import tracemalloc

    from perfxl.excel.udfs import PERF_RATE, PERF_SCORE
    from perfxl.model import Indicator
    from perfxl.profiles import load_profile
    from perfxl.quantities import is_not_applicable, parse_actual, parse_target
    from perfxl.scoring import special_kind

    profile = load_profile(None)
    parse_target("≥95%"), is_not_applicable("无"), PERF_RATE("≥95%", "96%")  # warm-up
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for n in range(20):
        text = "绩" * 32_766 + chr(0x4E00 + n)  # 64 KB each as a str
        parse_target(text), parse_actual(text), is_not_applicable(text)
        special_kind(Indicator("", "", text, None, None, None, None), profile)
        PERF_RATE(text, text), PERF_SCORE(text, "1", 10)
        del text
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    retained = sum(s.size_diff for s in after.compare_to(before, "filename"))
    assert retained < 1_000_000, retained  # 20 texts kept would be 1.3 MB or more
