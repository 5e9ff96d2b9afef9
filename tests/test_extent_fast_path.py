"""The byte-search fast path of perfxl.reader.extent.measure against its tag walk.

measure() answers most parts from a few byte searches (every tag written `<c r="A1"`,
one r a tag, references within CZ3999) and walks every tag otherwise. The walk numbers
rows and cells as calamine does, or higher; the fast path must never answer less, or a
part that makes calamine allocate a huge range would pass as small. Random parts built
from the pieces that matter (tags without r, two r attributes, tabs and line breaks
before an r, prefixed tags, far references) are measured both ways.
"""

from __future__ import annotations

import random

from perfxl.reader.extent import _OTHER_R, _other_r, _walk, measure, survey, too_large
from perfxl.reader.formulas import has_formulas

PIECES = [
    b'<c r="A1">', b'<c r="Z999"/>', b'<c r="AA1">', b'<c r="A1000">', b'<row r="5">',
    b'<row r="1000">', b"<row>", b"<c>", b"<c/>", b'<c\tr="B2">', b'<c r="C3" r="XFD1048576">',
    b'<x:c r="A1">', b'<c  r="A1">', b'<row r="7" spans="1:3">', b"</c>", b"</row>", b"\n",
    b"\r\n", b"\t", b' r="Q9"', b" r =", b'<?xml version="1.0"?>', b"?>", b"<v>1</v>",
    b'<c r="XFD1048576">', b'<row r="1048576">', b'<c r="">', b'<row r="3" r="9000">',
    b'\tr="X5"', b"\nr ", b" r\t=", b'<c r="B7" s="1" r="A5000"/>', b'<row r="12" x="r" r',
    b'="ZZ99"', b'<c r="A1"\nr="A9999"/>', b"<cols><col min=\"1\"/></cols>",
    # around the fast path's bound CZ3999
    b'<c r="CZ3999">', b'<c r="cz3999"/>', b'<c r="DA1">', b'<c r="A4000"/>', b'<c r="A0999"/>',
    b'<row r="3999">', b'<row r="4000">', b'<row r="0999">', b'<c r="AAA1"/>', b'<c r="A39990"/>',
]  # fmt: skip


def test_two_r_attributes_with_a_line_break_between_are_not_small() -> None:
    # calamine takes the last r: row 999999, not 12
    xml = b'<row r="12" r\n="999999"><c r="A1"/></row>'
    assert measure(xml).rows >= 999_999
    assert too_large(xml)


def test_the_fast_path_never_answers_less_than_the_walk() -> None:
    rng = random.Random(14)
    for _ in range(20_000):
        xml = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 10)))
        if rng.random() < 0.3:
            xml = b'<?xml version="1.0"?>\n' + xml
        walked = _walk(xml, stop_when_large=False)
        for fast in (measure(xml), measure(xml, exact=True)):
            assert fast.rows >= walked.rows, xml
            assert (
                fast.columns >= walked.columns
                or fast.rows * fast.columns >= walked.rows * walked.columns
            ), xml


# formula tags and look-alikes, for survey(): unprefixed, prefixed (Excel's extLst
# writes <xm:f>), an attribute that reads `:f ` and names that only start with f
FORMULA_PIECES = [
    b"<f>1</f>", b"<f/>", b'<f t="shared" si="0"/>', b"<f\tt=1>", b"<x:f>A1</x:f>",
    b"<xm:f>", b'<c r="B2" a:f ="1">', b"<ff>", b"<fo r>", b"<a.b:f>", b":f ", b"</f>",
    b'<x:c r="XFD1048576"/>', b'<x:row r="9999">',
]  # fmt: skip


def test_survey_answers_as_too_large_and_has_formulas() -> None:
    # survey finds formula tags in the passes over the tags; wherever those passes do
    # not settle a part it asks too_large and has_formulas themselves
    rng = random.Random(1414)
    pieces = PIECES + FORMULA_PIECES * 2
    for _ in range(20_000):
        xml = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        if rng.random() < 0.3:
            xml = rng.choice((b'<?xml version="1.0"?>', b"<?xml?>\r\n", b"<?xml?>\n\n")) + xml
        assert survey(xml) == (too_large(xml), has_formulas(xml)), xml


def test_a_formula_before_a_far_row_does_not_end_the_look() -> None:
    # the pass that meets <f> first goes on: the row below still makes the part large
    for formula in (b"<f>1</f>", b"<x:f>1</x:f>"):
        xml = b'<row r="1"><c r="A1">' + formula + b'</c></row><row r="999999"/>'
        assert survey(xml) == (True, True)
        assert survey(xml.replace(b"999999", b"9")) == (False, True)
        prefixed = b'<row r="1"><c r="A1">' + formula + b'</c><x:c r="XFD1048576"/></row>'
        assert survey(prefixed) == (True, True)
    # prefixed rows without r after a prefixed formula: numbered on, 5,001 of them
    many = b"<x:f>1</x:f>" + b"<x:row/>" * 5_001
    assert survey(many) == (True, True)


def test_the_space_only_r_search_answers_as_the_full_one() -> None:
    # _other_r searches " r" only when no tab or line break follows the declaration
    rng = random.Random(141)
    for _ in range(20_000):
        xml = b"".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        if rng.random() < 0.5:
            xml = rng.choice((b'<?xml version="1.0"?>', b"<?xml?>\r\n", b"<?xml?>\n")) + xml
        assert _other_r(xml) == (_OTHER_R.search(xml) is not None), xml


def test_a_line_break_before_a_second_r_is_seen_after_a_declaration() -> None:
    # the line break after the declaration is skipped, the one inside the tag is not
    xml = b'<?xml version="1.0"?>\r\n<row r="12"\nr="999999"><c r="A1"/></row>'
    assert _other_r(xml)
    assert survey(xml) == (True, False)
    plain = b'<?xml version="1.0"?>\r\n<row r="12"><c r="A1" s="1"/></row>'
    assert not _other_r(plain)
    assert survey(plain) == (False, False)
